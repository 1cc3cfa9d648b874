/**
 * The room state the clients receive (@colyseus/schema 5). Its shape is documented for clients in
 * shared/protocol.ts (`SessionStateShape`). Secret parts are `.view()` fields, sent only to the
 * clients whose StateView holds the entity (see server/views.ts).
 */
import { schema, t } from '@colyseus/schema';

export const SettingsState = schema(
  {
    seating: t.string().default('auto'),
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
    /** Visible only to the participant themselves. */
    draft: t.string().default('').view(),
  },
  'Participant',
);
export type ParticipantState = InstanceType<typeof ParticipantState>;

export const SeatState = schema(
  {
    power: t.string().default(''),
    participant: t.string().default(''),
    control: t.string().default('empty'),
    botReason: t.string().default(''),
    connected: t.boolean().default(false),
    ready: t.boolean().default(false),
  },
  'Seat',
);
export type SeatState = InstanceType<typeof SeatState>;

export const ViewState = schema(
  {
    viewer: t.string().default(''),
    json: t.string().default(''),
  },
  'View',
);
export type ViewState = InstanceType<typeof ViewState>;

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
    public: t.string().default(''),
    /** One entry per power and 'facilitator'; each client's view holds only its own. */
    views: t.map(ViewState).view(),
    scores: t.string().default(''),
    undoable: t.number().default(0),
  },
  'Table',
);
export type TableState = InstanceType<typeof TableState>;

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
    title: t.string().default(''),
    sandbox: t.boolean().default(false),
    status: t.string().default('lobby'),
    settings: t.ref(SettingsState),
    participants: t.map(ParticipantState),
    tables: t.map(TableState),
    announcements: t.array(AnnouncementState),
    /** '' while the record is saved; else why saving fails (the game goes on in memory). Issue 6. */
    storage: t.string().default(''),
  },
  'SessionState',
);
export type SessionState = InstanceType<typeof SessionState>;
