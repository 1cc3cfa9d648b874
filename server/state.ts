/**
 * The room state the clients receive (@colyseus/schema 5): the game as typed data, so that a change
 * travels as a small delta, never as a re-sent copy. Its decoded shape is documented for clients in
 * shared/protocol.ts (`SessionStateShape`) and turned back into the engine's PlayerView by
 * shared/wire/view.ts.
 *
 * Secrecy and "each client gets only its own table" are both done with StateView: every collection
 * below marked `.view()` reaches a client only for the entries its view holds (server/visibility.ts
 * decides which). An entity never holds a `.view()` child, so adding it to a view exposes exactly it.
 */
import { schema, t } from '@colyseus/schema';

export const SettingsState = schema(
  {
    seating: t.string().default('auto'),
    delegationSize: t.number().default(1),
    delegationReady: t.string().default('majority'),
    defaultOrders: t.string().default('none'),
    reconnectSeconds: t.number().default(120),
    negotiationSeconds: t.number().default(0),
    ordersSeconds: t.number().default(0),
  },
  'Settings',
);
export type SettingsState = InstanceType<typeof SettingsState>;

export const ParticipantState = schema(
  {
    id: t.string().default(''),
    sessionId: t.string().default(''),
    name: t.string().default(''),
    role: t.string().default('player'),
    table: t.string().default(''),
    power: t.string().default(''),
    connected: t.boolean().default(false),
  },
  'Participant',
);
export type ParticipantState = InstanceType<typeof ParticipantState>;

/** A message in a delegation's own channel: only its members (and the facilitator) receive it. */
export const TeamMessageState = schema(
  { table: t.string().default(''), power: t.string().default(''), from: t.string().default(''), text: t.string().default(''), at: t.number().default(0) },
  'TeamMessage',
);
export type TeamMessageState = InstanceType<typeof TeamMessageState>;

/** A player's saved drafts (opaque to the server): only the participant themselves receives theirs. */
export const DraftState = schema({ text: t.string().default('') }, 'Draft');
export type DraftState = InstanceType<typeof DraftState>;

export const SeatState = schema(
  {
    power: t.string().default(''),
    participant: t.string().default(''),
    control: t.string().default('empty'),
    botReason: t.string().default(''),
    connected: t.boolean().default(false),
    ready: t.boolean().default(false),
    /** The delegation, lead first, and who of them said ready this phase. */
    members: t.array('string'),
    readyMembers: t.array('string'),
    /** How many orders the power has given this turn (what they are stays secret): "who has ordered". */
    orders: t.number().default(0),
  },
  'Seat',
);
export type SeatState = InstanceType<typeof SeatState>;

/** What the facilitator's overview needs of a table; a player receives only their own table's. */
export const TableState = schema(
  {
    id: t.string().default(''),
    name: t.string().default(''),
    status: t.string().default('waiting'),
    turn: t.number().default(0),
    phase: t.string().default(''),
    deadline: t.number().default(0),
    remaining: t.number().default(0),
    seats: t.map(SeatState),
    /** JSON of the engine's `scoreGame` once the table has ended (set once), else ''. */
    scores: t.string().default(''),
    undoable: t.number().default(0),
  },
  'Table',
);
export type TableState = InstanceType<typeof TableState>;

/**
 * Talk activity of a table, for the facilitator's dashboard only (a player must not learn how much the
 * others talk in private): counts, never contents.
 */
export const ActivityState = schema(
  {
    messages: t.number().default(0),
    proposals: t.number().default(0),
    /** Promises in force now. */
    commitments: t.number().default(0),
    /** Promises kept and broken so far. */
    kept: t.number().default(0),
    breached: t.number().default(0),
  },
  'Activity',
);
export type ActivityState = InstanceType<typeof ActivityState>;

export const PowerState = schema({ metrics: t.map('number'), credibility: t.number().default(0) }, 'Power');
export type PowerState = InstanceType<typeof PowerState>;

export const RelationState = schema({ values: t.map('number') }, 'Relation');
export type RelationState = InstanceType<typeof RelationState>;

/**
 * What everyone at a table may see of its game. History and news are appended one JSON string per
 * turn record or event: each is sent once and never changes afterwards.
 */
export const GameViewState = schema(
  {
    table: t.string().default(''),
    scenario: t.string().default(''),
    turn: t.number().default(0),
    phase: t.string().default(''),
    powers: t.map(PowerState),
    relations: t.map(RelationState),
    events: t.array('string'),
    history: t.array('string'),
  },
  'Game',
);
export type GameViewState = InstanceType<typeof GameViewState>;

/** `by`: the member of the delegation who added the order ('' when it came from a deal or a bot). */
export const OrderState = schema({ move: t.string().default(''), target: t.string(), by: t.string().default('') }, 'Order');
export type OrderState = InstanceType<typeof OrderState>;

export const ObjectiveState = schema(
  { id: t.string().default(''), text: t.string().default(''), secret: t.boolean().default(false), weight: t.number().default(0), scoring: t.string().default('end') },
  'Objective',
);
export type ObjectiveState = InstanceType<typeof ObjectiveState>;

/** One power's secrets at one table: its unresolved orders, points left and objectives. */
export const SecretState = schema(
  {
    table: t.string().default(''),
    power: t.string().default(''),
    orders: t.array(OrderState),
    pointsLeft: t.number().default(0),
    objectives: t.array(ObjectiveState),
  },
  'Secret',
);
export type SecretState = InstanceType<typeof SecretState>;

export const TermState = schema(
  {
    power: t.string().default(''),
    type: t.string().default('do'),
    move: t.string(),
    kind: t.string(),
    target: t.string(),
    fromTurn: t.number().default(0),
    toTurn: t.number().default(0),
  },
  'Term',
);
export type TermState = InstanceType<typeof TermState>;

export const ProposalState = schema(
  {
    id: t.string().default(''),
    table: t.string().default(''),
    from: t.string().default(''),
    to: t.string().default(''),
    terms: t.array(TermState),
    note: t.string().default(''),
    turn: t.number().default(0),
    status: t.string().default('open'),
    counters: t.string(),
  },
  'Proposal',
);
export type ProposalState = InstanceType<typeof ProposalState>;

export const CommitmentState = schema(
  {
    id: t.string().default(''),
    table: t.string().default(''),
    proposal: t.string().default(''),
    by: t.string().default(''),
    to: t.string().default(''),
    term: t.ref(TermState),
    status: t.string().default('active'),
    settledTurn: t.number(),
  },
  'Commitment',
);
export type CommitmentState = InstanceType<typeof CommitmentState>;

export const MessageState = schema(
  {
    id: t.string().default(''),
    table: t.string().default(''),
    turn: t.number().default(0),
    from: t.string().default(''),
    to: t.array('string'),
    text: t.string().default(''),
  },
  'Message',
);
export type MessageState = InstanceType<typeof MessageState>;

export const AnnouncementState = schema(
  {
    id: t.number().default(0),
    text: t.string().default(''),
    table: t.string().default(''),
    at: t.number().default(0),
  },
  'Announcement',
);
export type AnnouncementState = InstanceType<typeof AnnouncementState>;

export const SessionState = schema(
  {
    code: t.string().default(''),
    scenario: t.string().default(''),
    /** The hash of the scenario's content this session plays: `GET /api/scenarios/:id?v=` gives that version. */
    scenarioVersion: t.string().default(''),
    title: t.string().default(''),
    sandbox: t.boolean().default(false),
    /** 'class' (a teacher's session), 'solo' (played alone against bots) or 'open' (players choose seats). */
    kind: t.string().default('class'),
    /** An open game: when it starts with bots in the empty seats (ms since epoch); 0: once every country is taken. */
    startsAt: t.number().default(0),
    status: t.string().default('lobby'),
    settings: t.ref(SettingsState),
    /** '' while the record is saved; else why saving fails (the game goes on in memory). Issue 6. */
    storage: t.string().default(''),
    /** Yourself, the people at your table; the facilitator sees everyone. */
    participants: t.map(ParticipantState).view(),
    /** Keyed by participant id: your own only. */
    drafts: t.map(DraftState).view(),
    /** Your table's summary; the facilitator receives every table's. Keyed by table id. */
    tables: t.map(TableState).view(),
    /** The facilitator only: each table's talk activity (counts). Keyed by table id. */
    activity: t.map(ActivityState).view(),
    /** Your table's game; the facilitator receives the one open on screen. Keyed by table id. */
    games: t.map(GameViewState).view(),
    /** Keyed `table/power`. */
    secrets: t.map(SecretState).view(),
    /** Delegation channels, keyed `table/power/n`. */
    team: t.map(TeamMessageState).view(),
    /** Keyed `table/id`: each reaches only the powers party to it (and the facilitator). */
    proposals: t.map(ProposalState).view(),
    commitments: t.map(CommitmentState).view(),
    messages: t.map(MessageState).view(),
    /** Session-wide announcements, and those of your table. */
    announcements: t.map(AnnouncementState).view(),
  },
  'SessionState',
);
export type SessionState = InstanceType<typeof SessionState>;
