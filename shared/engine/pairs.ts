import type { PowerId } from './types.ts';

/** Relations are symmetric: a pair is stored once, under its two ids sorted and joined. */
export function pairKey(a: PowerId, b: PowerId): string {
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}

export function pairOf(key: string): [PowerId, PowerId] {
  const [a, b] = key.split('|');
  return [a ?? '', b ?? ''];
}
