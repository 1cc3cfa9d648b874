/**
 * The protocol's limits and the join-code alphabet, in a module of their own without zod, so that the
 * client's first load can use them without pulling in the validation library.
 */

export const LIMITS = {
  /** Display name of a player or spectator. */
  name: 40,
  /** One chat message. */
  chat: 600,
  /** The free-text note of a proposal. */
  note: 300,
  /** An announcement from the facilitator. */
  announcement: 500,
  /** The opaque draft a client saves (unsent orders, half-written messages). */
  draft: 8000,
  /** Orders in one set_orders message. */
  orders: 20,
  /** Terms in one proposal. */
  terms: 10,
  /** Recipients of one chat message. */
  recipients: 8,
  /** Students in one delegation (who hold one power together). */
  delegation: 8,
  /** Messages kept in one delegation's own channel (the oldest go first). */
  teamMessages: 200,
  /** Tables in one session. */
  tables: 12,
  /** Players (participants who joined as players, seated or not) in one session. */
  players: 100,
  /** Spectators connected to (or reconnecting to) one session at a time. */
  spectators: 30,
  /** Chat messages and proposals a client may send per RATE_WINDOW_MS. */
  rateCount: 8,
  rateWindowMs: 10_000,
} as const;

/** Characters of a join code: no 0/O, 1/I/l, so that it reads aloud well. */
export const JOIN_CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const JOIN_CODE_LENGTH = 6;
