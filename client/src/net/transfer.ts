/**
 * Moving "My games" to another device without an account: the rejoin keys this browser holds are put
 * in one transfer code (shown once, copied by hand or pasted), and read back on the other device.
 * The code is a secret like the keys in it: it never goes into an address and is never sent to the
 * server; the other device simply keeps the keys and rejoins with them.
 */
import { myGameKeys } from './mygames.ts';

const PREFIX = 'BAMBOO1-';
const KEY_PREFIX = 'bamboo:key:';

function toBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

function fromBase64Url(code: string): string {
  const b64 = code.replaceAll('-', '+').replaceAll('_', '/');
  const bin = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  return new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
}

/** The transfer code for every game this browser plays in ('' when there is none). */
export function exportCode(): string {
  const games = myGameKeys();
  if (games.length === 0) return '';
  return PREFIX + toBase64Url(JSON.stringify(games.map((g) => [g.code, g.key])));
}

/** Reads a transfer code and keeps its keys; returns how many games were added, or an error in words. */
export function importCode(text: string): { added: number } | { error: string } {
  const code = text.trim().replace(/\s+/g, '');
  if (!code.startsWith(PREFIX)) return { error: 'This is not a Bamboo transfer code: it starts with BAMBOO1-.' };
  let pairs: unknown;
  try {
    pairs = JSON.parse(fromBase64Url(code.slice(PREFIX.length)));
  } catch {
    return { error: 'This code is damaged: copy it again, whole.' };
  }
  if (!Array.isArray(pairs)) return { error: 'This code is damaged: copy it again, whole.' };
  let added = 0;
  for (const pair of pairs.slice(0, 50)) {
    if (!Array.isArray(pair) || pair.length !== 2) continue;
    const [game, key] = pair as [unknown, unknown];
    if (typeof game !== 'string' || !/^[A-Z0-9]{6}$/.test(game) || typeof key !== 'string' || key.length < 8 || key.length > 128) continue;
    try {
      if (localStorage.getItem(KEY_PREFIX + game) !== JSON.stringify(key)) added++;
      localStorage.setItem(KEY_PREFIX + game, JSON.stringify(key));
    } catch {
      return { error: 'This browser does not let Bamboo keep anything (private mode?).' };
    }
  }
  return added > 0 || pairs.length > 0 ? { added } : { error: 'This code holds no game.' };
}
