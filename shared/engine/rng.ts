/**
 * Seeded randomness. The engine never calls Math.random: every random draw comes from a stream
 * whose seed is derived from the game seed plus a label (turn number, purpose), so a draw in one
 * place never shifts the draws in another and a replay reproduces every outcome.
 */
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

/** FNV-1a, 32 bits: turns a seed string and labels into a generator seed. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash | 0;
}

export interface RandomStream {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [from, to]. */
  int(from: number, to: number): number;
}

export function randomStream(seed: string, ...labels: Array<string | number>): RandomStream {
  const rng = xoroshiro128plus(hashString([seed, ...labels].join('\u0000')));
  return {
    next: () => uniformFloat64(rng),
    int: (from, to) => uniformInt(rng, from, to),
  };
}
