/**
 * The engine's data: the game state, orders, proposals, commitments and the events a step produces.
 * Everything here is plain JSON (no classes, no Maps) so that a state can be stored, sent, hashed and
 * compared byte for byte.
 */

export type PowerId = string;

export type Phase = 'negotiation' | 'orders' | 'ended';

/** One move a power orders for this turn. */
export interface Order {
  move: string;
  /** The power the move is aimed at; absent for moves with `against: none`. */
  target?: PowerId;
}

/**
 * A term of a proposal: either a promise to play a move, or a promise to refrain from a move (or a
 * whole kind of move), against a power, for some turns.
 */
export interface Term {
  /** Who makes this promise. */
  power: PowerId;
  type: 'do' | 'refrain';
  /** For `do`: the move. For `refrain`: the move, or omitted with `kind` set. */
  move?: string;
  kind?: string;
  target?: PowerId;
  /** First and last turn (inclusive) the promise covers. */
  from_turn: number;
  to_turn: number;
}

export type ProposalStatus = 'open' | 'accepted' | 'rejected' | 'countered' | 'expired' | 'withdrawn';

export interface Proposal {
  id: string;
  from: PowerId;
  to: PowerId;
  terms: Term[];
  note: string;
  turn: number;
  status: ProposalStatus;
  /** When this proposal counters another. */
  counters?: string;
}

export type CommitmentStatus = 'active' | 'kept' | 'breached' | 'expired';

export interface Commitment {
  id: string;
  proposal: string;
  /** The power that made the promise, and the power it was made to. */
  by: PowerId;
  to: PowerId;
  term: Term;
  status: CommitmentStatus;
  /** The turn the status was settled in. */
  settled_turn?: number;
}

export interface Message {
  id: string;
  turn: number;
  from: PowerId;
  /** Every power that can read it, including the sender. */
  to: PowerId[];
  text: string;
}

export interface PowerState {
  metrics: Record<string, number>;
  credibility: number;
  /** Orders drafted or submitted for the current turn; secret until resolution. */
  orders: Order[];
  ready: boolean;
  /** Moves played once (for `once_per_game` moves). */
  used_once: string[];
}

/** What happened at one resolution: public once resolved. */
export interface TurnRecord {
  turn: number;
  orders: Record<PowerId, Order[]>;
  events: GameEvent[];
  /** Metrics and relations after the turn, for the charts and the debrief. */
  metrics: Record<PowerId, Record<string, number>>;
  relations: Record<string, Record<string, number>>;
  credibility: Record<PowerId, number>;
}

export interface GameState {
  scenario: string;
  seed: string;
  turn: number;
  phase: Phase;
  powers: Record<PowerId, PowerState>;
  /** Pair metrics keyed by `pairKey(a, b)` (ids sorted, joined by `|`). */
  relations: Record<string, Record<string, number>>;
  proposals: Proposal[];
  commitments: Commitment[];
  messages: Message[];
  /** Ids of events that fired (for non-repeating events). */
  fired: string[];
  /** Public events of the current turn so far (facilitator events, settled proposals); moved into history at resolution. */
  current_events: GameEvent[];
  history: TurnRecord[];
  /**
   * Games saved before issue 10: one counter for the ids of proposals, commitments and messages.
   * Kept (unused once `ids` is present) so that those games replay with the same ids.
   */
  next_id: number;
  /** Counters of ids, one per conversation (shared/engine/ids.ts). Absent in games saved before: they keep `next_id`. */
  ids?: Record<string, number>;
}

/**
 * What a step produced, for the news feed and the map animation. Every text is built from the
 * scenario's own texts; `sources` carries the citations for the classroom.
 */
export type GameEvent =
  | {
      type: 'move';
      turn: number;
      actor: PowerId;
      move: string;
      kind: string;
      target?: PowerId;
      headline: string;
      outcome: 'done' | 'unmatched' | 'failed';
      reason?: string;
      notes: string[];
    }
  | { type: 'scenario_event'; turn: number; event: string; headline: string; body: string; trigger: string }
  | { type: 'commitment'; turn: number; commitment: string; by: PowerId; to: PowerId; status: CommitmentStatus; headline: string }
  | { type: 'courted'; turn: number; power: PowerId; by: PowerId[]; headline: string }
  | { type: 'proposal'; turn: number; proposal: string; from: PowerId; to: PowerId; status: ProposalStatus }
  | { type: 'phase'; turn: number; phase: Phase };

/** Everything a player, the facilitator or the server can ask the engine to do. */
export type Action =
  | { type: 'set_orders'; power: PowerId; orders: Order[] }
  | { type: 'ready'; power: PowerId; ready: boolean }
  | { type: 'propose'; power: PowerId; to: PowerId; terms: Term[]; note?: string; counters?: string }
  | { type: 'respond'; power: PowerId; proposal: string; accept: boolean }
  | { type: 'withdraw'; power: PowerId; proposal: string }
  | { type: 'message'; power: PowerId; to: PowerId[]; text: string }
  | { type: 'advance' }
  | { type: 'trigger_event'; event: string };

export type RejectionCode =
  | 'UNKNOWN_POWER'
  | 'UNKNOWN_MOVE'
  | 'UNKNOWN_TARGET'
  | 'UNKNOWN_EVENT'
  | 'UNKNOWN_PROPOSAL'
  | 'NOT_YOUR_MOVE'
  | 'INVALID_TARGET'
  | 'NOT_ENOUGH_ACTION_POINTS'
  | 'PRECONDITION_FAILED'
  | 'ALREADY_USED'
  | 'DUPLICATE_ORDER'
  | 'WRONG_PHASE'
  | 'NOT_YOUR_TURN'
  | 'GAME_OVER'
  | 'NOT_ADDRESSED_TO_YOU'
  | 'PROPOSAL_CLOSED'
  | 'INVALID_TERMS'
  | 'EMPTY_MESSAGE'
  | 'NOT_A_FACILITATOR_EVENT';

export interface Rejection {
  code: RejectionCode;
  message: string;
}

export type StepResult = { ok: true; state: GameState; events: GameEvent[] } | { ok: false; rejection: Rejection };
