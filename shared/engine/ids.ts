/**
 * Ids of messages, proposals and commitments (issue 10, finding 5b). One counter shared by all three
 * let a power count, from the gaps between the ids it saw, what others did in private. Each
 * conversation now numbers its own: a message is numbered among the messages of its readers, a
 * proposal among the proposals between its two powers, and a commitment is named after its proposal.
 * An id therefore tells its readers only what they already know.
 *
 *   message     m<n>.<reader>.<reader>...   n counts the messages with exactly these readers
 *   proposal    p<n>.<power>.<power>        n counts the proposals between the two (either way)
 *   commitment  <proposal id>.c<k>          k: the term of the proposal it comes from
 *
 * Games saved before (their state has no `ids`) keep the single counter `next_id`, so that replaying
 * their recorded actions gives the same ids as before.
 */
import type { GameState, PowerId } from './types.ts';

export type IdCounters = Record<string, number>;

function take(state: GameState, thread: string, legacyPrefix: string, format: (n: number) => string): { id: string; patch: Partial<GameState> } {
  if (!state.ids) return { id: `${legacyPrefix}${state.next_id}`, patch: { next_id: state.next_id + 1 } };
  const n = (state.ids[thread] ?? 0) + 1;
  return { id: format(n), patch: { ids: { ...state.ids, [thread]: n } } };
}

/** The id of a new message read by `readers` (the sender included, in the scenario's order). */
export function messageId(state: GameState, readers: readonly PowerId[]): { id: string; patch: Partial<GameState> } {
  const who = readers.join('.');
  return take(state, `m:${who}`, 'm', (n) => `m${n}.${who}`);
}

/** The id of a new proposal between two powers. */
export function proposalId(state: GameState, a: PowerId, b: PowerId): { id: string; patch: Partial<GameState> } {
  const pair = a < b ? `${a}.${b}` : `${b}.${a}`;
  return take(state, `p:${pair}`, 'p', (n) => `p${n}.${pair}`);
}

/** The ids of the commitments an accepted proposal creates, one per term. */
export function commitmentIds(state: GameState, proposal: string, terms: number): { ids: string[]; patch: Partial<GameState> } {
  if (!state.ids) {
    const ids = Array.from({ length: terms }, (_, k) => `c${state.next_id + k}`);
    return { ids, patch: { next_id: state.next_id + terms } };
  }
  return { ids: Array.from({ length: terms }, (_, k) => `${proposal}.c${k + 1}`), patch: {} };
}

/**
 * The order in which views list messages, proposals and commitments: by turn, then by id with numbers
 * compared as numbers. Within one conversation this is the order they were made in; across
 * conversations it is a fixed order, since the true interleaving would tell how busy the others were.
 * The engine's views and the client's rebuilt views (shared/wire/view.ts) both use it.
 */
export function compareEntries(a: { id: string; turn?: number }, b: { id: string; turn?: number }): number {
  const ta = a.turn ?? 0;
  const tb = b.turn ?? 0;
  if (ta !== tb) return ta - tb;
  return compareIds(a.id, b.id);
}

/** Natural order of ids: `p2.x` before `p10.x`, `m3` before `m12`. */
export function compareIds(a: string, b: string): number {
  const ra = a.match(/\d+|\D+/g) ?? [];
  const rb = b.match(/\d+|\D+/g) ?? [];
  for (let i = 0; i < Math.min(ra.length, rb.length); i++) {
    const x = ra[i]!;
    const y = rb[i]!;
    if (x === y) continue;
    const dx = /^\d/.test(x);
    const dy = /^\d/.test(y);
    if (dx && dy) {
      const d = Number(x) - Number(y);
      if (d !== 0) return d;
      return x.length - y.length;
    }
    return x < y ? -1 : 1;
  }
  return ra.length - rb.length;
}

/** A copy sorted with {@link compareEntries}. */
export function sortEntries<T extends { id: string; turn?: number }>(list: readonly T[]): T[] {
  return [...list].sort(compareEntries);
}
