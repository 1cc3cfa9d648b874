/**
 * Download tokens (issue 10, finding 12): the debrief page and its exports open in a browser tab or
 * as a download, where no header can be set. Instead of the facilitator's secret in the address, the
 * client asks for a token (POST, with the secret in a header) and opens the address with it. A token
 * is random, names one session, works once and expires after a minute (links printed on the debrief
 * page after 15 minutes). Kept in Colyseus presence, so any process of a scaled-out server takes it.
 */
import { randomBytes } from 'node:crypto';
import { matchMaker } from '@colyseus/core';

const PREFIX = 'bamboo:download:';
export const TOKEN_SECONDS = 60;
export const PAGE_LINK_SECONDS = 15 * 60;

export function newToken(): string {
  return randomBytes(18).toString('base64url');
}

export async function issueToken(code: string, seconds = TOKEN_SECONDS, token = newToken()): Promise<string> {
  await matchMaker.presence.setex(PREFIX + token, code, seconds);
  return token;
}

/** Whether `token` was issued for `code` and not used yet; it is used up either way it was valid. */
export async function consumeToken(code: string, token: unknown): Promise<boolean> {
  if (typeof token !== 'string' || !/^[A-Za-z0-9_-]{16,64}$/.test(token)) return false;
  const key = PREFIX + token;
  const holder = await matchMaker.presence.get(key);
  if (holder !== code) return false;
  await matchMaker.presence.del(key);
  return true;
}
