/**
 * The wire protocol between the browser and the game server (issue 4).
 *
 * Pure: zod 4 schemas and TypeScript types, no I/O. The server validates every incoming message with
 * the schemas below (never trusting the client), and the client uses the same schemas and types to
 * build what it sends.
 *
 * Overview
 * - One Colyseus room per *session* (a class). Room name: `session`. Its room id IS the join code.
 * - A session holds one or more *tables*; each table plays one game of the scenario.
 * - HTTP: `POST /api/sessions` creates a session (teacher), `POST /api/games` a game played alone
 *   against bots, `GET /api/sessions/:code` checks a code,
 *   `GET /api/scenarios` lists the scenarios, `GET /api/scenarios/:id` gives one without its secret
 *   objectives (the state does not carry the scenario). See the *HTTP API* types below.
 * - Join: `client.joinById(code, joinOptions)`; see {@link JoinOptionsSchema}.
 * - Client → server: `room.send(type, payload)` with the types in {@link ClientMessages}. Every message
 *   may also be sent with `room.request(type, payload)`: the promise then resolves with `{ ok: true }`
 *   or rejects with an {@link ErrorPayload} (and no `error` message is sent).
 * - Server → client messages: {@link ServerMessages}.
 * - Room state (decoded by the SDK): {@link SessionStateShape}.
 */
import { z } from 'zod';
import { JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH, LIMITS } from './limits.ts';
import { isReservedName, nameProblem, normaliseName } from './names.ts';

/** `scores` parses to a ScoreReport; shared/wire/view.ts rebuilds a PlayerView from the state. */
export type { PlayerView, ScoreReport } from './index.ts';

// ---------------------------------------------------------------------------------------------
// Limits (the server enforces them; the client may use them to size inputs)
// ---------------------------------------------------------------------------------------------

export { JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH, LIMITS };

// ---------------------------------------------------------------------------------------------
// Small pieces
// ---------------------------------------------------------------------------------------------

/** A scenario id (power, move, event ids have the same shape). */
export const IdSchema = z.string().min(1).max(64).regex(/^[a-z][a-z0-9_]*$/);
/** A table id, e.g. `t1`. */
export const TableIdSchema = z.string().min(1).max(16);
/** A participant id (stable across reconnections), e.g. `p7`. */
export const ParticipantIdSchema = z.string().min(1).max(32);
/** A proposal id as the engine writes it (`p3.china.russia`; `p12` in games saved before issue 10). */
export const ProposalIdSchema = z.string().min(1).max(160);
export const JoinCodeSchema = z
  .string()
  .length(JOIN_CODE_LENGTH)
  .regex(new RegExp(`^[${JOIN_CODE_ALPHABET}]+$`));

/**
 * A display name (finding 11, rule in shared/names.ts): normalised (NFC, spaces collapsed, trimmed);
 * control, zero-width, bidi and blank characters refused. The facilitator may use any such name.
 */
export const NameSchema = z
  .string()
  .max(LIMITS.name * 8)
  .transform(normaliseName)
  .superRefine((name, ctx) => {
    const problem = nameProblem(name, { reserved: false });
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
/** A player's or spectator's name: also not one of the facilitator's labels ("Teacher", "Facilitator", lookalikes). */
export const PublicNameSchema = NameSchema.superRefine((name, ctx) => {
  if (isReservedName(name)) ctx.addIssue({ code: 'custom', message: 'This name is kept for the facilitator: choose another.' });
});

/** One order: a move of the scenario, against a power unless the move has `against: none`. */
export const OrderSchema = z.strictObject({ move: IdSchema, target: IdSchema.optional() });

/** A term of a proposal (see shared/engine/types.ts `Term`). */
export const TermSchema = z.strictObject({
  power: IdSchema,
  type: z.enum(['do', 'refrain']),
  move: IdSchema.optional(),
  kind: IdSchema.optional(),
  target: IdSchema.optional(),
  from_turn: z.number().int().min(1).max(100),
  to_turn: z.number().int().min(1).max(100),
});

/**
 * In a sandbox session the facilitator plays every seat: player messages from the facilitator carry
 * `seat` to say which power acts. Players never send it (their seat is known to the server).
 */
export const ActingSeatSchema = z.strictObject({ table: TableIdSchema, power: IdSchema });

// ---------------------------------------------------------------------------------------------
// Session settings
// ---------------------------------------------------------------------------------------------

export const SeatingModeSchema = z
  .enum(['auto', 'teacher', 'choice'])
  .describe('auto: the server seats players as they join; teacher: the facilitator seats them; choice: players pick a free seat.');
export const DefaultOrdersSchema = z
  .enum(['none', 'bot'])
  .describe('What a seat without orders plays at the deadline: no moves, or what the bot would order.');

export const DelegationReadySchema = z
  .enum(['any', 'lead', 'majority'])
  .describe('When a delegation of several students is ready: any member says so, its lead (first member) does, or most of its connected members.');

export const SettingsSchema = z.strictObject({
  seating: SeatingModeSchema,
  /** Students per power (a delegation); 1 = one student per power. Seating fills delegations evenly. */
  delegationSize: z.number().int().min(1).max(LIMITS.delegation),
  delegationReady: DelegationReadySchema,
  defaultOrders: DefaultOrdersSchema,
  /** How long a dropped player keeps their seat before a bot takes it (seconds; 0 = at once). */
  reconnectSeconds: z.number().int().min(0).max(3600),
  /** Phase timers in seconds; 0 = no timer (the phase ends when everyone is ready or the facilitator ends it). */
  negotiationSeconds: z.number().int().min(0).max(24 * 3600),
  ordersSeconds: z.number().int().min(0).max(24 * 3600),
});
export type Settings = z.infer<typeof SettingsSchema>;

export const DEFAULT_SETTINGS: Settings = {
  seating: 'auto',
  delegationSize: 1,
  delegationReady: 'majority',
  defaultOrders: 'none',
  reconnectSeconds: 120,
  negotiationSeconds: 300,
  ordersSeconds: 180,
};

// ---------------------------------------------------------------------------------------------
// HTTP API
// ---------------------------------------------------------------------------------------------

/** `POST /api/sessions` body (JSON). */
export const CreateSessionRequestSchema = z.strictObject({
  /** Scenario id, from `GET /api/scenarios`. */
  scenario: IdSchema,
  /** Number of tables (games played in parallel); default 1. */
  tables: z.number().int().min(1).max(LIMITS.tables).optional(),
  /** Sandbox: one table where the facilitator plays every seat alone, with resolve-now and undo. */
  sandbox: z.boolean().optional(),
  settings: SettingsSchema.partial().optional(),
});
export type CreateSessionRequest = z.infer<typeof CreateSessionRequestSchema>;

/** `POST /api/sessions` answer (201). Keep `secret`: it is shown once and never stored in clear. */
export interface CreateSessionResponse {
  code: string;
  roomId: string;
  secret: string;
}

/**
 * An open game (issue 13, part 2): players pick a free power; it starts when every power is taken
 * (`start: 'full'`) or at a time (ms since epoch). At the start, bots take the seats still empty if
 * `bots` allows it (else a game with a time waits until it is full). `listed`: shown by `GET /api/games`;
 * unlisted games are joined with their code only.
 */
export const OpenGameSchema = z.strictObject({
  listed: z.boolean(),
  start: z.union([z.literal('full'), z.number().int().positive()]),
  bots: z.boolean(),
});
export type OpenGame = z.infer<typeof OpenGameSchema>;

/**
 * `POST /api/games` body (JSON): play now, alone, against bots (issue 13). The session has one table;
 * the chosen power is the caller's, every other seat a bot from the start; the game starts when the
 * player arrives. With `open`, a game for several players instead. Timers in seconds, 0 (the default) for none.
 */
/** Games that last days (issue 13, part 3): a phase of a game made by `POST /api/games` may last up to a week. */
export const LONG_PHASE_SECONDS = 7 * 24 * 3600;

export const CreateGameRequestSchema = z
  .strictObject({
    scenario: IdSchema,
    /** Play now: the caller's power (required unless `open`). */
    power: IdSchema.optional(),
    /** An open game for several players instead of a game alone. */
    open: OpenGameSchema.optional(),
    timers: z
      .strictObject({
        negotiationSeconds: z.number().int().min(0).max(LONG_PHASE_SECONDS),
        ordersSeconds: z.number().int().min(0).max(LONG_PHASE_SECONDS),
      })
      .partial()
      .optional(),
  })
  .refine((b) => b.open !== undefined || b.power !== undefined, { message: 'Choose your power (or open the game to others).', path: ['power'] });
export type CreateGameRequest = z.infer<typeof CreateGameRequestSchema>;

/**
 * `POST /api/games` answer (201). Join with `joinById(code, { role: 'player', name, key })`: the key
 * makes the joiner the game's player (keep it as the browser's rejoin key for this code). `secret` is
 * the session's facilitator secret (the full replay and the debrief of a game played alone).
 */
export interface CreateGameResponse {
  code: string;
  roomId: string;
  /** A game alone: the caller's power and rejoin key ('' for an open game: join it and choose a seat). */
  power: string;
  key: string;
  /** The creator's secret: closes the list (`POST /api/games/:code/close`), full replay, debrief. */
  secret: string;
}

/** `POST /api/my-games` body: the games this browser holds a key for (localStorage `bamboo:key:<code>`). */
export const MyGamesRequestSchema = z.strictObject({
  games: z.array(z.strictObject({ code: JoinCodeSchema, key: z.string().min(8).max(128) })).max(50),
});
export type MyGamesRequest = z.infer<typeof MyGamesRequestSchema>;

/** `POST /api/my-games` answer: one entry per game still known to the server, in the order asked. */
export interface MyGameStatus {
  code: string;
  title: string;
  scenario: string;
  /** The caller's power at the game ('' if not seated). */
  power: string;
  status: TableStatus;
  turn: number;
  turns: number;
  phase: string;
  /** Server time the phase ends (0: no timer) and the server clock when answered. */
  deadline: number;
  now: number;
  /** Powers played by people that have not said ready this phase: whose move it is. */
  waitingFor: string[];
  /** Whether the caller's power has to act (a running phase, not ready yet). */
  yourMove: boolean;
  /** Messages other powers sent to the caller's power, and proposals waiting for its answer (the browser counts what is new). */
  received: number;
  openProposals: number;
}

/** `GET /api/games`: the listed open games that have not started, newest first. */
export interface OpenGameSummary {
  code: string;
  scenario: string;
  title: string;
  powers: { id: string; name: string; colour: string }[];
  /** Powers nobody holds yet. */
  free: string[];
  start: 'full' | number;
  bots: boolean;
  negotiationSeconds: number;
  ordersSeconds: number;
}

/** `GET /api/sessions/:code` answer (200; 404 `{ error }` when unknown). */
export interface SessionInfoResponse {
  code: string;
  roomId: string;
  scenario: string;
  title: string;
  tables: string[];
}

/**
 * `POST /api/scenarios` answer (201 added, 200 replaced): the workshop published a scenario into the
 * server's library. `file` is its name there, `version` the hash `GET /api/scenarios/:id?v=` takes.
 */
export interface PublishScenarioResponse {
  id: string;
  title: string;
  file: string;
  replaced: boolean;
  version: string;
}

/** `GET /api/scenarios` answer: one entry per scenario file on the server. */
export interface ScenarioSummary {
  id: string;
  title: string;
  summary: string;
  turns: number;
  powers: { id: string; name: string; colour: string }[];
}

// ---------------------------------------------------------------------------------------------
// Join options: `client.joinById(code, options)`
// ---------------------------------------------------------------------------------------------

export const JoinOptionsSchema = z.discriminatedUnion('role', [
  z.strictObject({
    role: z.literal('player'),
    name: PublicNameSchema,
    /**
     * A random string the browser keeps (localStorage). Joining again with the same key after the
     * reconnection window gives the player their participant and seat back.
     */
    key: z.string().min(8).max(128).optional(),
  }),
  z.strictObject({ role: z.literal('spectator'), name: PublicNameSchema.optional() }),
  z.strictObject({ role: z.literal('facilitator'), secret: z.string().min(8).max(256), name: NameSchema.optional() }),
]);
export type JoinOptions = z.infer<typeof JoinOptionsSchema>;

// ---------------------------------------------------------------------------------------------
// Client → server messages
// ---------------------------------------------------------------------------------------------

const seat = { seat: ActingSeatSchema.optional() };

/**
 * Every message a client may send, by type. Player messages act for the sender's seat; `fac_*`
 * messages need a connection that joined as facilitator with the session's secret.
 */
export const ClientMessages = {
  // --- players ---
  /** Replace this turn's orders of my power (orders phase; drafts may be sent in negotiation too if the engine allows). */
  set_orders: z.strictObject({ orders: z.array(OrderSchema).max(LIMITS.orders), ...seat }),
  /** Mark my power ready (or not) for the current phase; when every human power is ready the phase ends early. */
  ready: z.strictObject({ ready: z.boolean(), ...seat }),
  /** Propose terms to another power (optionally countering one of its proposals). */
  propose: z.strictObject({
    to: IdSchema,
    terms: z.array(TermSchema).min(1).max(LIMITS.terms),
    note: z.string().max(LIMITS.note).optional(),
    counters: ProposalIdSchema.optional(),
    ...seat,
  }),
  /** Accept or reject a proposal addressed to my power. */
  respond: z.strictObject({ proposal: ProposalIdSchema, accept: z.boolean(), ...seat }),
  /** Withdraw one of my open proposals. */
  withdraw: z.strictObject({ proposal: ProposalIdSchema, ...seat }),
  /** A private (one recipient) or group (several) message to other powers of my table. */
  chat: z.strictObject({
    to: z.array(IdSchema).min(1).max(LIMITS.recipients),
    text: z.string().max(LIMITS.chat),
    ...seat,
  }),
  /** A message to my own delegation only (the students who hold my power with me). */
  team_chat: z.strictObject({ text: z.string().trim().min(1).max(LIMITS.chat) }),
  /** Save my unsent drafts (opaque to the server); given back in `participants[me].draft` after a reconnection. */
  save_draft: z.strictObject({ draft: z.string().max(LIMITS.draft) }),
  /** Take a free seat (session setting seating = choice; before the table starts, or a bot-held empty seat later). */
  choose_seat: z.strictObject({ table: TableIdSchema, power: IdSchema }),
  /**
   * Spectators and the facilitator: the table whose details (its game, and for the facilitator its
   * secrets) this connection receives; '' for none. Players always receive their own table.
   */
  watch: z.strictObject({ table: TableIdSchema.or(z.literal('')) }),
  /** Ask for the server clock; answered with a `time` message (for countdowns). */
  time: z.strictObject({}).optional(),

  // --- facilitator ---
  /** Change settings (timers apply from the next phase; `tables` only before any table started). */
  fac_configure: z.strictObject({
    settings: SettingsSchema.partial().optional(),
    tables: z.number().int().min(1).max(LIMITS.tables).optional(),
  }),
  /** Seat a participant at a table's power, moving them from any other seat; whoever held that seat is unseated. */
  fac_seat: z.strictObject({ participant: ParticipantIdSchema, table: TableIdSchema, power: IdSchema }),
  /** Take a participant out of their seat (a bot holds it while the table runs). */
  fac_unseat: z.strictObject({ participant: ParticipantIdSchema }),
  /** Seat every unseated player in free seats, table by table. */
  fac_auto_seat: z.strictObject({}).optional(),
  /** Start the game on one table, or on every waiting table. Free seats go to bots. */
  fac_start: z.strictObject({ table: TableIdSchema.optional() }).optional(),
  /** Pause the phase timer and game actions of one table or all. */
  fac_pause: z.strictObject({ table: TableIdSchema.optional() }).optional(),
  fac_resume: z.strictObject({ table: TableIdSchema.optional() }).optional(),
  /** Add time to the current phase (starts a timer if the phase had none). */
  fac_extend: z.strictObject({ table: TableIdSchema.optional(), seconds: z.number().int().min(1).max(3600) }),
  /** End the current phase now (orders: the turn resolves). */
  fac_end_phase: z.strictObject({ table: TableIdSchema.optional() }).optional(),
  /** Trigger one of the scenario's facilitator events (applies at the next resolution). */
  fac_trigger_event: z.strictObject({ table: TableIdSchema, event: IdSchema }),
  /** Broadcast an announcement to the whole session or one table. */
  fac_announce: z.strictObject({ text: z.string().trim().min(1).max(LIMITS.announcement), table: TableIdSchema.optional() }),
  /** Hand a seat to a bot (bot: true) or back to its player (bot: false). */
  fac_bot: z.strictObject({ table: TableIdSchema, power: IdSchema, bot: z.boolean() }),
  /** End the game now on one table or all: final scores are computed on the current state. */
  fac_end_game: z.strictObject({ table: TableIdSchema.optional() }).optional(),
  /** Sandbox only: end phases until the current turn is resolved. */
  fac_sandbox_resolve: z.strictObject({ table: TableIdSchema.optional() }).optional(),
  /** Sandbox only: go back to before the last resolution (orders phase of that turn). */
  fac_sandbox_undo: z.strictObject({ table: TableIdSchema.optional() }).optional(),
} as const;

export type ClientMessageType = keyof typeof ClientMessages;
export type ClientMessage<T extends ClientMessageType> = z.infer<(typeof ClientMessages)[T]>;
export const CLIENT_MESSAGE_TYPES = Object.keys(ClientMessages) as ClientMessageType[];
export const PLAYER_ACTION_TYPES = ['set_orders', 'ready', 'propose', 'respond', 'withdraw', 'chat'] as const;
export type PlayerActionType = (typeof PLAYER_ACTION_TYPES)[number];

export function isFacilitatorMessage(type: string): boolean {
  return type.startsWith('fac_');
}

// ---------------------------------------------------------------------------------------------
// Server → client messages
// ---------------------------------------------------------------------------------------------

/** Server error codes, next to the engine's rejection codes (shared/engine/types.ts RejectionCode). */
export const SERVER_ERROR_CODES = [
  'UNKNOWN_MESSAGE', // no such message type
  'INVALID_MESSAGE', // payload does not match the schema (too long, wrong types, extra fields)
  'NOT_FACILITATOR', // a fac_* message from a connection that did not join with the secret
  'NOT_SEATED', // a player action from someone without a seat
  'NOT_YOUR_SEAT', // `seat` used by a non-facilitator, or outside sandbox
  'RATE_LIMITED', // too many chat messages/proposals
  'UNKNOWN_TABLE',
  'UNKNOWN_PARTICIPANT',
  'UNKNOWN_SEAT',
  'SEAT_TAKEN',
  'SEATING_CLOSED', // choose_seat when seating is not `choice`, or the table runs and the seat is not free
  'TABLE_NOT_RUNNING', // a game action on a table that has not started or has ended
  'TABLE_PAUSED',
  'ALREADY_STARTED',
  'NOT_SANDBOX',
  'NOTHING_TO_UNDO',
  'SEAT_EMPTY', // fac_bot false on a seat without a player
  'INTERNAL',
] as const;
export type ServerErrorCode = (typeof SERVER_ERROR_CODES)[number];

/** `error`: sent to the one client whose message was refused. Nothing changed. */
export interface ErrorPayload {
  /** A server code above, or the engine's rejection code (e.g. NOT_ENOUGH_ACTION_POINTS, WRONG_PHASE). */
  code: string;
  message: string;
  /** The message type that was refused. */
  type?: string;
}

/** `welcome`: sent after every join and reconnection. */
export interface WelcomePayload {
  participant: string;
  role: ParticipantRole;
  /** Server clock (ms since epoch) when sent; use it to offset `deadline`s. */
  serverTime: number;
  /** The player's rejoin key (echoed, or generated when none was given): store it in localStorage. */
  key?: string;
}

/** `announcement`: a facilitator announcement (also kept in `state.announcements`). */
export interface AnnouncementPayload {
  id: number;
  text: string;
  /** '' for the whole session. */
  table: string;
  at: number;
}

/** `time`: the answer to a `time` message. */
export interface TimePayload {
  now: number;
}

/** `resolved`: a table resolved a turn (for the news/animation); the details are in the views. */
export interface ResolvedPayload {
  table: string;
  turn: number;
}

/** `storage` (facilitators only): saving the session's record failed (`ok: false`) or works again. */
export interface StoragePayload {
  ok: boolean;
  problem: string;
}

export interface ServerMessages {
  error: ErrorPayload;
  storage: StoragePayload;
  welcome: WelcomePayload;
  announcement: AnnouncementPayload;
  time: TimePayload;
  resolved: ResolvedPayload;
}

// ---------------------------------------------------------------------------------------------
// Room state, as the client SDK decodes it (the server's @colyseus/schema classes in server/state.ts)
// Maps arrive as MapSchema (use `.get`, `.forEach`), arrays as ArraySchema.
// ---------------------------------------------------------------------------------------------

export type ParticipantRole = 'player' | 'spectator' | 'facilitator';
export type SessionStatus = 'lobby' | 'running' | 'ended';
export type TableStatus = 'waiting' | 'running' | 'paused' | 'ended';
/** Who plays a seat now. */
export type SeatControl = 'empty' | 'human' | 'bot' | 'facilitator';

export interface ParticipantShape {
  id: string;
  /** The Colyseus sessionId of the participant's current connection: find yourself with `room.sessionId`. */
  sessionId: string;
  name: string;
  role: ParticipantRole;
  /** '' when not seated. */
  table: string;
  power: string;
  connected: boolean;
}

export interface SeatShape {
  power: string;
  /** Participant id, '' when nobody holds it. */
  participant: string;
  control: SeatControl;
  /**
   * Why a bot plays: 'empty' seat, player 'dropped', the 'facilitator' chose it, or (games made by
   * POST /api/games) the player missed two deadlines in a row, until they return ('absent'); '' otherwise.
   */
  botReason: '' | 'empty' | 'dropped' | 'facilitator' | 'absent';
  connected: boolean;
  ready: boolean;
  /** The delegation holding the seat, its lead (`participant`) first; and who of them said ready. */
  members: string[];
  readyMembers: string[];
  /** How many orders the power has given this turn (orders phase); what they are stays secret. */
  orders: number;
}

export interface TableShape {
  id: string;
  name: string;
  status: TableStatus;
  turn: number;
  phase: string;
  /** Server time (ms) the phase ends at; 0 when no timer runs (none set, or paused). */
  deadline: number;
  /** While paused: ms that were left. */
  remaining: number;
  seats: Map<string, SeatShape>;
  /** JSON of the engine's `scoreGame` once the table has ended, else ''. */
  scores: string;
  /** Sandbox: how many resolutions can be undone. */
  undoable: number;
}

/** What everyone at a table sees of its game. Rebuild the engine's PlayerView with shared/wire/view.ts. */
export interface GameShape {
  table: string;
  scenario: string;
  turn: number;
  phase: string;
  powers: Map<string, { metrics: Map<string, number>; credibility: number }>;
  /** Keyed by `pairKey(a, b)`. */
  relations: Map<string, { values: Map<string, number> }>;
  /** This turn's public events so far, one JSON `GameEvent` each (appended, never changed). */
  events: string[];
  /** Resolved turns, one JSON `TurnRecord` each (appended once per turn). */
  history: string[];
}

export interface TeamMessageShape {
  table: string;
  power: string;
  /** The participant who wrote it. */
  from: string;
  text: string;
  at: number;
}

export interface ActivityShape {
  messages: number;
  proposals: number;
  /** Promises in force now; kept and broken so far. */
  commitments: number;
  kept: number;
  breached: number;
}

export interface OrderShape {
  move: string;
  target?: string;
  /** The member of the delegation who added it ('' from a deal or a bot). */
  by?: string;
}

export interface TermShape {
  power: string;
  type: 'do' | 'refrain';
  move?: string;
  kind?: string;
  target?: string;
  fromTurn: number;
  toTurn: number;
}

/** One power's secrets at one table (keyed `table/power`): only that power and the facilitator receive it. */
export interface SecretShape {
  table: string;
  power: string;
  orders: OrderShape[];
  pointsLeft: number;
  objectives: { id: string; text: string; secret: boolean; weight: number; scoring: 'end' | 'each_turn' }[];
}

export interface ProposalShape {
  id: string;
  table: string;
  from: string;
  to: string;
  terms: TermShape[];
  note: string;
  turn: number;
  status: string;
  counters?: string;
}

export interface CommitmentShape {
  id: string;
  table: string;
  proposal: string;
  by: string;
  to: string;
  term: TermShape;
  status: string;
  settledTurn?: number;
}

export interface MessageShape {
  id: string;
  table: string;
  turn: number;
  from: string;
  to: string[];
  text: string;
}

/**
 * Every collection below reaches a client only for the entries it may see (StateView): a player
 * receives their own table, their tablemates, their power's secret and the proposals, messages and
 * commitments their power is party to (settled commitments are public); a spectator the table they
 * `watch`, without secrets; the facilitator every table's summary and participant, and everything of
 * the table they `watch`.
 */
export interface SessionStateShape {
  code: string;
  scenario: string;
  title: string;
  sandbox: boolean;
  /** 'class' (a teacher's session), 'solo' (alone against bots) or 'open' (players choose seats). */
  kind: 'class' | 'solo' | 'open';
  /** An open game's start time (ms since epoch), 0 when it starts once every country is taken. */
  startsAt: number;
  status: SessionStatus;
  settings: Settings;
  /** '' while the session's record is being saved; else why saving fails (the game goes on). */
  storage: string;
  participants: Map<string, ParticipantShape>;
  /** Your own saved draft, keyed by your participant id. */
  drafts: Map<string, { text: string }>;
  tables: Map<string, TableShape>;
  /** The facilitator only, keyed by table id: talk activity as counts (never contents). */
  activity: Map<string, ActivityShape>;
  /** Keyed by table id. */
  games: Map<string, GameShape>;
  /** Your delegation's own channel (keyed `table/power/n`): only its members and the facilitator. */
  team: Map<string, TeamMessageShape>;
  /** Keyed `table/power`. */
  secrets: Map<string, SecretShape>;
  /** Keyed `table/id`. */
  proposals: Map<string, ProposalShape>;
  commitments: Map<string, CommitmentShape>;
  messages: Map<string, MessageShape>;
  /** Keyed by id. */
  announcements: Map<string, AnnouncementPayload>;
}

/** The plain JSON a client gets from `state.toJSON()`: every Map becomes a record. */
export type Plain<T> = T extends Map<string, infer V> ? Record<string, Plain<V>> : T extends Array<infer V> ? Plain<V>[] : T extends object ? { [K in keyof T]: Plain<T[K]> } : T;
export type TableSnap = Plain<TableShape>;
export type SessionSnap = Plain<SessionStateShape>;
