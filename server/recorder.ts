/**
 * The one place every accepted change of a session goes through, so that persistence (a later issue)
 * can plug in without touching the room. The room calls `record` after each accepted action, phase
 * change and session change, with a thunk that builds the full snapshot; `SessionRoom` can be
 * re-created from such a snapshot (see `SessionSnapshot` and the `restore` create option).
 */
import type { Action, GameEvent, GameState } from '#shared/index.ts';
import type { ParticipantRole, Settings, TableStatus } from '#shared/protocol.ts';

export type BotReason = '' | 'empty' | 'dropped' | 'facilitator' | 'absent';

export interface SeatSnapshot {
  power: string;
  /** The delegation's lead ('' for nobody). */
  participant: string;
  /** The whole delegation, lead first (absent in records made before delegations). */
  members?: string[];
  readyMembers?: string[];
  botReason: BotReason;
  /** Deadlines missed in a row (games made by POST /api/games; absent in older records). */
  missed?: number;
}

export interface TableSnapshot {
  id: string;
  name: string;
  status: TableStatus;
  game: GameState | null;
  seats: SeatSnapshot[];
  /** Server time the current phase ends (0: no timer) and, while paused, the ms left. */
  deadline: number;
  remaining: number;
  /** Sandbox undo stack: states just before each resolution, oldest first. */
  undo: GameState[];
}

export interface ParticipantSnapshot {
  id: string;
  name: string;
  role: ParticipantRole;
  table: string;
  power: string;
  draft: string;
  /** sha256 of the player's rejoin key ('' if none). */
  keyHash: string;
}

export interface SessionSnapshot {
  version: 1;
  code: string;
  scenario: string;
  sandbox: boolean;
  settings: Settings;
  secretHash: string;
  /** A game played alone (issue 13): the player's key hash and power (absent otherwise). */
  solo?: { power: string; keyHash: string };
  /** An open game (issue 13): listed, start ('full' or ms), bots allowed. */
  open?: { listed: boolean; start: 'full' | number; bots: boolean };
  nextParticipant: number;
  participants: ParticipantSnapshot[];
  tables: TableSnapshot[];
  announcements: { id: number; text: string; table: string; at: number }[];
  /** Delegation channels (absent in records made before delegations). */
  team?: { table: string; power: string; from: string; text: string; at: number }[];
}

/** Who did it: a participant, a bot on a seat, the facilitator, or the server (timers). */
export type Actor =
  | { kind: 'participant'; participant: string }
  | { kind: 'bot'; power: string }
  | { kind: 'facilitator'; participant: string }
  | { kind: 'server'; reason: string };

export type RecordEntry =
  | { kind: 'action'; table: string; action: Action; actor: Actor; events: GameEvent[]; turn: number; phase: string }
  | { kind: 'phase'; table: string; turn: number; phase: string; reason: string }
  | { kind: 'table'; table: string; change: string; detail?: unknown }
  | { kind: 'session'; change: string; detail?: unknown };

export interface GameRecorder {
  /** Called synchronously after each accepted change; must not throw (errors are logged and ignored). */
  record(session: string, entry: RecordEntry, snapshot: () => SessionSnapshot): void;
  /** Makes everything recorded so far durable (called before a reply is sent, so an acknowledged action is on disk). */
  flush?(): void;
  /**
   * Resolves once everything recorded so far is durable. Callers in the same turn of the event loop
   * share one commit (group commit); the commit runs before the next timers, so before any patch.
   */
  committed?(): Promise<void>;
  /** A session room closed. */
  closed?(session: string, snapshot: SessionSnapshot): void;
}

export const noopRecorder: GameRecorder = { record() {} };

/** Keeps entries in memory: for tests and debugging. */
export class MemoryRecorder implements GameRecorder {
  readonly entries: { session: string; entry: RecordEntry }[] = [];
  last: SessionSnapshot | null = null;
  record(session: string, entry: RecordEntry, snapshot: () => SessionSnapshot): void {
    this.entries.push({ session, entry });
    this.last = snapshot();
  }
}
