/**
 * Copies of the protocol's limits and code alphabet (shared/protocol.ts), so that the first load does
 * not pull zod into the bundle. tests/client/limits.test.ts checks they stay equal.
 */
export const LIMITS = {
  name: 40,
  chat: 600,
  note: 300,
  announcement: 500,
  draft: 8000,
  orders: 20,
  terms: 10,
  recipients: 8,
  tables: 12,
  rateCount: 8,
  rateWindowMs: 10_000,
} as const;

export const JOIN_CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const JOIN_CODE_LENGTH = 6;

/** Upper-case a typed code and drop what cannot be part of it (spaces, dashes). */
export function normaliseCode(input: string): string {
  return input
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .slice(0, 12);
}

export function isValidCode(code: string): boolean {
  if (code.length !== JOIN_CODE_LENGTH) return false;
  for (const ch of code) if (!JOIN_CODE_ALPHABET.includes(ch)) return false;
  return true;
}
