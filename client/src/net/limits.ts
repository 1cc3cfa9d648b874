/** Join codes as people type them; the limits themselves live in shared/limits.ts (no zod there). */
import { JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH } from '#shared/limits.ts';

export { JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH, LIMITS } from '#shared/limits.ts';

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
