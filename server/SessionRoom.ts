/**
 * The session room: one class of students, one or more tables. It stays thin: it validates each
 * message (shared/protocol.ts), asks the table (server/table.ts, which calls the engine) to act, and
 * copies the result into the schema state (server/state.ts). Secrets travel through StateView only.
 */
import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { type AuthContext, type Client, ErrorCode, type MessageContext, matchMaker, Room, ServerError } from '@colyseus/core';
import { StateView } from '@colyseus/schema';
import { z } from 'zod';
import type { Action, GameState, Scenario } from '#shared/index.ts';
import {
  CLIENT_MESSAGE_TYPES,
  ClientMessages,
  type ClientMessage,
  type ClientMessageType,
  DEFAULT_SETTINGS,
  type ErrorPayload,
  IdSchema,
  isFacilitatorMessage,
  JOIN_CODE_ALPHABET,
  JOIN_CODE_LENGTH,
  JoinOptionsSchema,
  LIMITS,
  LONG_PHASE_SECONDS,
  type MyGameStatus,
  type OpenGame,
  OpenGameSchema,
  type OpenGameSummary,
  type ParticipantRole,
  type Settings,
  SettingsSchema,
  type WelcomePayload,
} from '#shared/protocol.ts';
import type { Logger } from './log.ts';
import type { Actor, GameRecorder, ParticipantSnapshot, RecordEntry, SessionSnapshot } from './recorder.ts';
import { type ScenarioCatalog, type ScenarioEntry, scenarioEntry } from './scenarios.ts';
import { TableMirror } from './mirror.ts';
import { LogThrottle, MessageBudget } from './throttle.ts';
import { ActivityState, AnnouncementState, DraftState, ParticipantState, SeatState, SessionState, TableState } from './state.ts';
import { chooseSeat } from './seating.ts';
import { TeamChannels } from './team.ts';
import { fail, OK, type Outcome, Table, type TableEnv } from './table.ts';
import { type Audience, entitled, ViewKeeper } from './visibility.ts';

/** What every room of a server shares (given by server/app.ts). */
export interface ServerContext {
  catalog: ScenarioCatalog;
  recorder: GameRecorder;
  logger: Logger;
  /** Required to create a room from a snapshot (`restore`), so that clients cannot. */
  internalToken: string;
  /** A session without any connection is closed after this long. */
  idleDisposeSeconds: number;
  /** Whether the record already holds a session with this code (a new session must not take it). */
  codeTaken?: (code: string) => Promise<boolean>;
}

export const PRESENCE_PREFIX = 'bamboo:session:';
export const presenceKey = (code: string) => PRESENCE_PREFIX + code;

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

export function newSecret(): string {
  return randomBytes(18).toString('base64url');
}

/**
 * A join code no running session holds (`claim`: taken atomically in presence) and no recorded session
 * had (`recorded`): a code reused while its old record is kept would mix two classes' records.
 */
export async function pickCode(draw: () => string, claim: (code: string) => Promise<boolean>, recorded: (code: string) => Promise<boolean>, attempts = 100): Promise<string | undefined> {
  for (let attempt = 0; attempt < attempts; attempt++) {
    const code = draw();
    if (!(await claim(code))) continue;
    if (await recorded(code)) continue;
    return code;
  }
  return undefined;
}

export function newJoinCode(): string {
  let code = '';
  for (let i = 0; i < JOIN_CODE_LENGTH; i++) code += JOIN_CODE_ALPHABET[randomInt(JOIN_CODE_ALPHABET.length)];
  return code;
}

/** Options given to `matchMaker.createRoom('session', ...)` (by POST /api/sessions, or a restore). */
export const CreateRoomOptionsSchema = z.union([
  z.object({
    scenario: IdSchema,
    tables: z.number().int().min(1).max(LIMITS.tables).optional(),
    sandbox: z.boolean().optional(),
    // Games made by POST /api/games may have phases of days (issue 13); a class session's stay within 24 h.
    settings: SettingsSchema.extend({
      negotiationSeconds: z.number().int().min(0).max(LONG_PHASE_SECONDS),
      ordersSeconds: z.number().int().min(0).max(LONG_PHASE_SECONDS),
    })
      .partial()
      .optional(),
    secretHash: z.string().regex(/^[0-9a-f]{64}$/),
    /** A game played alone (POST /api/games): the player holding this key takes `power` and the game starts. */
    solo: z.strictObject({ power: IdSchema, keyHash: z.string().regex(/^[0-9a-f]{64}$/) }).optional(),
    /** An open game (POST /api/games with `open`): players choose seats; it starts when full or at a time. */
    open: OpenGameSchema.optional(),
  }),
  z.object({
    restore: z.custom<SessionSnapshot>((v) => typeof v === 'object' && v !== null),
    internalToken: z.string(),
    /** The scenario content the session was played with (from the record), if it differs from the catalog's. */
    scenario: z.custom<Scenario>((v) => typeof v === 'object' && v !== null).optional(),
  }),
]);
export type CreateRoomOptions = z.infer<typeof CreateRoomOptionsSchema>;

interface ClientData {
  participant: string;
  keeper: ViewKeeper;
  /** The table a spectator or the facilitator has open ('' for none). */
  watching: string;
}

interface Participant {
  state: ParticipantState;
  /** The player's saved drafts; in the state only for the participant themselves. */
  draft: DraftState;
  keyHash: string;
  sent: number[];
  /** Message budgets per class (server/throttle.ts). */
  budget?: MessageBudget;
}

/** What a join was admitted as (`SessionRoom.admit`); becomes `client.auth`. */
export interface JoinAuth {
  role: ParticipantRole;
  name: string;
  keyHash: string;
  /** A player's rejoin key, echoed in `welcome`. */
  key?: string;
  /** The admission, until its connection arrives. */
  ticket?: string;
}

/** Close code for a connection replaced by a newer one of the same participant (the client does not rejoin). */
export const CLOSE_REPLACED = 4009;

/** The session's code in a matchmaker request (`/matchmake/joinById/CODE`). */
function roomIdOf(req: unknown): string | undefined {
  const url = (req as { url?: unknown } | undefined)?.url;
  if (typeof url !== 'string') return undefined;
  const m = /\/matchmake\/joinById\/([^/?#]+)/.exec(url);
  return m ? decodeURIComponent(m[1]!) : undefined;
}

type Handler = (client: Client, p: Participant, payload: never) => Outcome | { ok: true; value: unknown };

/** The room's matchmaking metadata; `listing` while an open, listed game waits for players (GET /api/games). */
export interface SessionMetadata {
  code: string;
  scenario: string;
  title: string;
  listing?: OpenGameSummary;
}

export class SessionRoom extends Room<{ state: SessionState; metadata: SessionMetadata }> {
  /** Set by the subclass made in server/app.ts. */
  ctx!: ServerContext;
  /**
   * Admission (`admit`) caps players and spectators before any seat is reserved; this is only a
   * backstop, high enough that the room never locks (a locked room refuses every join, the
   * facilitator's too): each player and spectator may hold a reconnection seat and a new connection.
   */
  override maxClients = 2 * (LIMITS.players + LIMITS.spectators) + 40;
  /** A connection sending more than this per second is closed (a flood, not a student). */
  override maxMessagesPerSecond = 200;
  override autoDispose = false;

  /** Time source; tests replace it to control phase timers. */
  now: () => number = () => Date.now();

  code = '';
  entry!: ScenarioEntry;
  sandbox = false;
  settings: Settings = { ...DEFAULT_SETTINGS };
  secretHash = '';
  /** A game played alone (issue 13): whose key takes which power, starting the game. */
  solo: { power: string; keyHash: string } | undefined;
  /** An open game (issue 13, part 2): listed or not, when it starts, whether bots fill it. */
  open: OpenGame | undefined;
  private listingKey = '';
  readonly tables = new Map<string, Table>();
  readonly participants = new Map<string, Participant>();
  nextParticipant = 1;
  private synced = new Map<string, number>();
  /** Per `table/power`: who of the delegation added each order now standing (by `orderId`). */
  private readonly orderEditors = new Map<string, Map<string, string>>();
  /** Each table's game, mirrored into the typed state (server/mirror.ts). */
  private readonly mirrors = new Map<string, TableMirror>();
  private readonly announcementList: AnnouncementState[] = [];
  /** Each delegation's own channel (server/team.ts); made once the state exists. */
  private team!: TeamChannels;
  private idleTimer: { clear(): void } | undefined;
  private announcementId = 0;
  /** Joins admitted whose connection has not arrived yet (they hold a seat reservation meanwhile). */
  private readonly admitted = new Map<string, { role: ParticipantRole; newPlayer: boolean; at: number }>();
  /** One log line per client per minute at most (a flood of bad frames must not flood the log). */
  private readonly logThrottle = new LogThrottle();

  private get log(): Logger {
    return this.ctx.logger;
  }

  // -------------------------------------------------------------------------------------------
  // Creation and discovery
  // -------------------------------------------------------------------------------------------

  override async onCreate(rawOptions: unknown): Promise<void> {
    const parsed = CreateRoomOptionsSchema.safeParse(rawOptions);
    if (!parsed.success) throw new ServerError(ErrorCode.APPLICATION_ERROR, 'invalid session options');
    const options = parsed.data;
    this.state = new SessionState();
    this.team = new TeamChannels(this.state);

    if ('restore' in options) {
      if (options.internalToken !== this.ctx.internalToken) throw new ServerError(ErrorCode.APPLICATION_ERROR, 'restore not allowed');
      this.restoreFrom(options.restore, options.scenario);
      await this.presence.hset(presenceKey(this.code), 'claims', '1');
    } else {
      const entry = this.ctx.catalog.get(options.scenario);
      if (!entry) throw new ServerError(ErrorCode.APPLICATION_ERROR, `unknown scenario "${options.scenario}"`);
      this.entry = entry;
      this.sandbox = options.sandbox ?? false;
      this.settings = { ...DEFAULT_SETTINGS, ...(this.sandbox ? { negotiationSeconds: 0, ordersSeconds: 0 } : {}), ...options.settings };
      this.secretHash = options.secretHash;
      if (options.solo) {
        if (!entry.scenario.powers.some((p) => p.id === options.solo!.power)) throw new ServerError(ErrorCode.APPLICATION_ERROR, `unknown power "${options.solo.power}"`);
        this.solo = options.solo;
      }
      if (options.open) this.open = { ...options.open };
      this.code = await this.claimCode();
      const count = this.sandbox ? 1 : (options.tables ?? 1);
      for (let i = 1; i <= count; i++) this.addTable();
    }
    this.roomId = this.code;
    await this.advertise();
    await this.setMetadata({ code: this.code, scenario: this.entry.scenario.id, title: this.entry.scenario.title });

    const s = this.state;
    s.code = this.code;
    s.scenario = this.entry.scenario.id;
    s.scenarioVersion = this.entry.hash;
    s.title = this.entry.scenario.title;
    s.sandbox = this.sandbox;
    s.kind = this.solo ? 'solo' : this.open ? 'open' : 'class';
    // Only a start time that fills the empty seats with bots starts the game before it is full.
    s.startsAt = this.open && this.open.start !== 'full' && this.open.bots ? this.open.start : 0;

    for (const type of CLIENT_MESSAGE_TYPES) {
      this.onMessage(type, (client: Client, payload: unknown, ctx: MessageContext) => this.dispatch(client, type, payload, ctx));
    }
    this.onMessage('*', (client: Client, type: string | number) => {
      this.reply(client, undefined, { code: 'UNKNOWN_MESSAGE', message: `Unknown message type "${String(type).slice(0, 40)}".`, type: String(type).slice(0, 40) });
    });
    this.clock.setInterval(() => this.tick(), 250);
    this.scheduleIdleDispose();
    this.syncAll();
    this.record({ kind: 'session', change: 'created', detail: { sandbox: this.sandbox, tables: [...this.tables.keys()] } });
    this.log.info({ code: this.code, scenario: this.entry.scenario.id, tables: this.tables.size, sandbox: this.sandbox }, 'session created');
  }

  private async claimCode(): Promise<string> {
    const code = await pickCode(
      newJoinCode,
      async (c) => (await this.presence.hincrby(presenceKey(c), 'claims', 1)) === 1,
      async (c) => {
        // Recorded but not running (finished, closed): free its claim and draw again.
        if (!(await this.ctx.codeTaken?.(c))) return false;
        await this.presence.del(presenceKey(c));
        return true;
      },
    );
    if (!code) throw new ServerError(ErrorCode.APPLICATION_ERROR, 'no free join code');
    return code;
  }

  /** What the HTTP routes of every process read about this session (presence: Redis when scaled out). */
  private async advertise(): Promise<void> {
    const key = presenceKey(this.code);
    await this.presence.hset(key, 'roomId', this.roomId);
    await this.presence.hset(key, 'secretHash', this.secretHash);
    await this.presence.hset(key, 'scenario', this.entry.scenario.id);
    await this.publishTables();
  }

  /**
   * Lists this session again if the shared presence lost it (Redis restarted empty): without it,
   * every process would answer "no such session" (server/scale.ts calls this every few seconds).
   */
  async relist(): Promise<boolean> {
    if (!this.code || (await this.presence.hget(presenceKey(this.code), 'roomId'))) return false;
    await this.presence.hset(presenceKey(this.code), 'claims', '1');
    await this.advertise();
    return true;
  }

  private async publishTables(): Promise<void> {
    await this.presence.hset(presenceKey(this.code), 'tables', JSON.stringify([...this.tables.keys()]));
  }

  override async onDispose(): Promise<void> {
    this.ctx.recorder.closed?.(this.code, this.snapshot());
    if (this.code) await this.presence.del(presenceKey(this.code));
    this.log.info({ code: this.code }, 'session closed');
  }

  override onUncaughtException(error: unknown, method: string): void {
    const pass = this.logThrottle.pass(`uncaught:${method}`, Date.now());
    if (!pass.log) return;
    this.log.error({ code: this.code, method, error: String(error).slice(0, 300), stack: (error as Error)?.stack, suppressed: pass.suppressed }, 'uncaught exception in room');
  }

  private tableEnv(): TableEnv {
    return {
      now: () => this.now(),
      settings: () => this.settings,
      sandbox: this.sandbox,
      record: (entry) => this.record(entry),
      resolved: (table, turn) => this.sendToTable(table.id, 'resolved', { table: table.id, turn }),
      warn: (message, detail) => this.log.warn({ code: this.code, detail }, message),
      // Issue 13, part 4: among strangers, two deadlines missed in a row hand the seat to a bot until its player returns.
      absentAfter: () => (this.lasting() ? 2 : 0),
    };
  }

  private addTable(): Table {
    const n = this.tables.size + 1;
    const id = `t${n}`;
    const table = new Table(id, `Table ${n}`, this.entry.scenario, this.tableEnv());
    this.tables.set(id, table);
    return table;
  }

  // -------------------------------------------------------------------------------------------
  // Joining, dropping, reconnecting
  // -------------------------------------------------------------------------------------------

  /**
   * Runs in the HTTP join request, before a seat is reserved (issue 10, finding 2): the session (in
   * this process or another) admits the join or refuses it, so that a refused join, or one over the
   * caps, never holds a seat.
   */
  static override async onAuth(_token: string, options: unknown, context: AuthContext): Promise<JoinAuth> {
    const roomId = roomIdOf(context?.req);
    if (!roomId) throw new ServerError(ErrorCode.AUTH_FAILED, 'Join a session by its code.');
    const result = (await matchMaker.remoteRoomCall(roomId, 'admit', [options])) as JoinAuth | { error: string };
    if ('error' in result) throw new ServerError(ErrorCode.AUTH_FAILED, result.error);
    return result;
  }

  /**
   * Checks join options and the caps: the facilitator (with the secret) and a returning player (a
   * known key) are always let in; new players up to LIMITS.players and spectators up to
   * LIMITS.spectators, counting joins admitted but not yet connected.
   */
  admit(rawOptions: unknown): JoinAuth | { error: string } {
    const parsed = JoinOptionsSchema.safeParse(rawOptions);
    if (!parsed.success) return { error: 'Invalid join options: ' + z.prettifyError(parsed.error).slice(0, 300) };
    const o = parsed.data;
    const now = Date.now();
    const expiry = (this.seatReservationTimeout + 5) * 1000;
    for (const [t, a] of this.admitted) if (now - a.at > expiry) this.admitted.delete(t);
    let auth: JoinAuth;
    let newPlayer = false;
    if (o.role === 'facilitator') {
      const given = Buffer.from(hashSecret(o.secret), 'hex');
      const expected = Buffer.from(this.secretHash, 'hex');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { error: 'Wrong facilitator secret.' };
      auth = { role: 'facilitator', name: o.name ?? 'Facilitator', keyHash: '' };
    } else if (o.role === 'spectator') {
      let count = 0;
      for (const p of this.participants.values()) if (p.state.role === 'spectator') count++;
      for (const a of this.admitted.values()) if (a.role === 'spectator') count++;
      if (count >= LIMITS.spectators) return { error: `This session already has ${LIMITS.spectators} spectators: try again later.` };
      auth = { role: 'spectator', name: o.name ?? 'Spectator', keyHash: '' };
    } else {
      const key = o.key ?? randomBytes(12).toString('base64url');
      const keyHash = hashSecret(key);
      newPlayer = ![...this.participants.values()].some((p) => p.keyHash === keyHash && p.state.role === 'player');
      if (newPlayer) {
        let count = 0;
        for (const p of this.participants.values()) if (p.state.role === 'player') count++;
        for (const a of this.admitted.values()) if (a.newPlayer) count++;
        if (count >= LIMITS.players) return { error: `This session is full (${LIMITS.players} players).` };
      }
      auth = { role: 'player', name: o.name, keyHash, key };
    }
    const ticket = randomBytes(9).toString('base64url');
    this.admitted.set(ticket, { role: auth.role, newPlayer, at: now });
    return { ...auth, ticket };
  }

  override onJoin(client: Client, options: unknown, auth?: JoinAuth): void {
    // A join made on the server (no HTTP request) was not admitted yet.
    let a = auth ?? (client.auth as JoinAuth | undefined);
    if (!a) {
      const admitted = this.admit(options);
      if ('error' in admitted) throw new ServerError(ErrorCode.AUTH_FAILED, admitted.error);
      a = admitted;
    }
    if (a.ticket) this.admitted.delete(a.ticket);
    this.cancelIdleDispose();
    let p: Participant | undefined;
    if (a.role === 'player') {
      p = [...this.participants.values()].find((x) => x.keyHash === a.keyHash && x.state.role === 'player');
      if (p) {
        // The same browser again: take the participant (and seat) back; an older connection is closed.
        const old = this.clients.find((c) => c !== client && (c.userData as ClientData | undefined)?.participant === p!.state.id);
        if (old) old.leave(CLOSE_REPLACED, 'joined from another connection');
        p.state.name = a.name;
      }
    } else if (a.role === 'facilitator') {
      p = [...this.participants.values()].find((x) => x.state.role === 'facilitator' && !x.state.connected);
    }
    if (!p) {
      const state = new ParticipantState();
      state.id = `p${this.nextParticipant++}`;
      state.name = a.name;
      state.role = a.role;
      p = { state, draft: new DraftState(), keyHash: a.keyHash, sent: [] };
      this.participants.set(state.id, p);
      this.state.participants.set(state.id, state);
      this.state.drafts.set(state.id, p.draft);
    }
    p.state.sessionId = client.sessionId;
    p.state.connected = true;
    client.view = new StateView();
    client.userData = { participant: p.state.id, keeper: new ViewKeeper(client.view), watching: this.sandbox || p.state.role === 'spectator' ? 't1' : '' } satisfies ClientData;

    if (p.state.role === 'player') {
      const table = this.tables.get(p.state.table);
      if (table && p.state.power) table.handBack(p.state.power);
      else if (this.solo && p.keyHash === this.solo.keyHash) this.startSolo(p);
      else if (this.settings.seating === 'auto') this.autoSeat(p);
    }
    this.record({ kind: 'session', change: 'join', detail: { participant: p.state.id, role: p.state.role } });
    this.syncAll();
    const welcome: WelcomePayload = { participant: p.state.id, role: p.state.role as ParticipantRole, serverTime: this.now() };
    if (a.key) welcome.key = a.key;
    client.send('welcome', welcome);
    this.log.info({ code: this.code, participant: p.state.id, role: p.state.role }, 'joined');
  }

  override onDrop(client: Client): void {
    const p = this.participantOf(client);
    // A connection replaced by a newer one of the same participant is not kept.
    if (!p || p.state.sessionId !== client.sessionId) return;
    p.state.connected = false;
    this.syncAll();
    const seconds = p?.state.role === 'player' ? this.settings.reconnectSeconds : 120;
    if (seconds > 0) this.allowReconnection(client, seconds);
  }

  override onReconnect(client: Client): void {
    const p = this.participantOf(client);
    if (!p) return;
    p.state.connected = true;
    p.state.sessionId = client.sessionId;
    client.view = new StateView();
    const data = client.userData as ClientData;
    data.keeper = new ViewKeeper(client.view);
    this.syncAll();
    client.send('welcome', { participant: p.state.id, role: p.state.role as ParticipantRole, serverTime: this.now() } satisfies WelcomePayload);
  }

  override onLeave(client: Client): void {
    const p = this.participantOf(client);
    if (p && p.state.sessionId === client.sessionId) {
      p.state.connected = false;
      const table = this.tables.get(p.state.table);
      const seat = table?.seats.get(p.state.power);
      // A game that lasts days (made by POST /api/games) keeps an absent player's seat: see missed deadlines.
      if (table && seat && seat.botReason === '' && table.started() && !this.anyConnected(seat.members) && !this.lasting()) table.setBot(seat.power, 'dropped');
      // Finding 10: whoever leaves for good without a seat is forgotten (a seat keeps its player for the record).
      const removed = p.state.role === 'spectator' || (p.state.role === 'player' && !p.state.table);
      if (removed) this.removeParticipant(p);
      this.record({ kind: 'session', change: 'leave', detail: { participant: p.state.id, ...(removed ? { removed: true } : {}) } });
    }
    (client.userData as ClientData | undefined)?.keeper.dispose();
    this.syncAll();
    if (this.clients.length === 0) this.scheduleIdleDispose();
  }

  private scheduleIdleDispose(): void {
    this.cancelIdleDispose();
    this.idleTimer = this.clock.setTimeout(() => {
      if (this.clients.length === 0) void this.disconnect();
    }, this.ctx.idleDisposeSeconds * 1000);
  }

  private cancelIdleDispose(): void {
    this.idleTimer?.clear();
    this.idleTimer = undefined;
  }

  private removeParticipant(p: Participant): void {
    this.participants.delete(p.state.id);
    this.state.participants.delete(p.state.id);
    this.state.drafts.delete(p.state.id);
  }

  private participantOf(client: Client): Participant | undefined {
    const id = (client.userData as ClientData | undefined)?.participant;
    return id ? this.participants.get(id) : undefined;
  }

  // -------------------------------------------------------------------------------------------
  // Messages
  // -------------------------------------------------------------------------------------------

  private reply(client: Client, ctx: MessageContext | undefined, error: ErrorPayload): unknown {
    if (ctx?.id !== undefined) return ctx.reject(error);
    client.send('error', error);
    return undefined;
  }

  /** The one entry point of every client message. Never throws. */
  dispatch(client: Client, type: ClientMessageType, payload: unknown, ctx?: MessageContext): unknown {
    try {
      this.tick();
      const p = this.participantOf(client);
      if (!p) return this.reply(client, ctx, { code: 'NOT_SEATED', message: 'Unknown connection.', type });
      // Finding 9: every message type has a budget per participant (server/throttle.ts), on the real clock.
      p.budget ??= new MessageBudget();
      if (!p.budget.allow(type, Date.now())) return this.reply(client, ctx, { code: 'RATE_LIMITED', message: 'Too many messages: wait a few seconds.', type });
      const parsed = ClientMessages[type].safeParse(payload);
      if (!parsed.success) {
        return this.reply(client, ctx, { code: 'INVALID_MESSAGE', message: z.prettifyError(parsed.error).slice(0, 500), type });
      }
      if (isFacilitatorMessage(type) && p.state.role !== 'facilitator') {
        return this.reply(client, ctx, { code: 'NOT_FACILITATOR', message: 'Only the facilitator may do this.', type });
      }
      const handler = this.handlers[type] as Handler;
      const outcome = handler.call(this, client, p, (parsed.data ?? {}) as never);
      this.syncAll();
      if (!outcome.ok) return this.reply(client, ctx, { code: outcome.code, message: outcome.message, type });
      const answer = () => {
        if (ctx?.id !== undefined) return ctx.resolve('value' in outcome ? outcome.value : { ok: true });
        if (type === 'time' && 'value' in outcome) client.send('time', outcome.value);
        return undefined;
      };
      // An acknowledged action is on disk: the answer waits for the commit. Messages arriving in the
      // same turn of the event loop share one commit (group commit), before any patch goes out.
      const durable = this.ctx.recorder.committed?.();
      if (durable) return durable.then(answer);
      this.ctx.recorder.flush?.();
      return answer();
    } catch (e) {
      const pass = this.logThrottle.pass(`client:${client.sessionId}`, Date.now());
      if (pass.log) this.log.error({ code: this.code, type, client: client.sessionId, error: String(e).slice(0, 300), stack: (e as Error)?.stack, suppressed: pass.suppressed }, 'message handler failed');
      try {
        this.syncAll();
      } catch {
        /* already logged */
      }
      return this.reply(client, ctx, { code: 'INTERNAL', message: 'The server could not handle this message.', type });
    }
  }

  private readonly handlers: { [K in ClientMessageType]: (client: Client, p: Participant, m: NonNullable<ClientMessage<K>>) => Outcome | { ok: true; value: unknown } } = {
    set_orders: (_c, p, m) => this.playerAction(p, m.seat, (power) => ({ type: 'set_orders', power, orders: m.orders })),
    ready: (_c, p, m) => this.playerAction(p, m.seat, (power) => ({ type: 'ready', power, ready: m.ready })),
    propose: (_c, p, m) =>
      this.rateLimited(p) ??
      this.playerAction(p, m.seat, (power) => ({ type: 'propose', power, to: m.to, terms: m.terms, note: m.note, counters: m.counters })),
    respond: (_c, p, m) => this.playerAction(p, m.seat, (power) => ({ type: 'respond', power, proposal: m.proposal, accept: m.accept })),
    withdraw: (_c, p, m) => this.playerAction(p, m.seat, (power) => ({ type: 'withdraw', power, proposal: m.proposal })),
    chat: (_c, p, m) => this.rateLimited(p) ?? this.playerAction(p, m.seat, (power) => ({ type: 'message', power, to: m.to, text: m.text })),
    save_draft: (_c, p, m) => {
      if (p.draft.text !== m.draft) {
        p.draft.text = m.draft;
        // Acknowledged means recorded: the draft is part of the session's snapshot.
        this.record({ kind: 'session', change: 'draft', detail: { participant: p.state.id } });
      }
      return OK;
    },
    choose_seat: (_c, p, m) => {
      if (p.state.role !== 'player') return fail('NOT_SEATED', 'Only players take seats.');
      if (this.settings.seating !== 'choice') return fail('SEATING_CLOSED', 'The facilitator seats the players in this session.');
      const table = this.tables.get(m.table);
      if (!table) return fail('UNKNOWN_TABLE', `No table "${m.table}".`);
      const seat = table.seats.get(m.power);
      if (!seat) return fail('UNKNOWN_SEAT', `No power "${m.power}" at this table.`);
      const size = this.settings.delegationSize;
      const mine = seat.members.includes(p.state.id);
      if (!mine && seat.members.length >= size) return fail('SEAT_TAKEN', size > 1 ? `This delegation is full (${size} students).` : 'Someone already holds this seat.');
      if (table.started() && !mine && seat.botReason !== 'empty' && size === 1) return fail('SEATING_CLOSED', 'This table has started.');
      const seated = this.seat(p, table, m.power);
      if (seated.ok) this.openGameStart();
      return seated;
    },
    time: () => ({ ok: true, value: { now: this.now() } }),
    team_chat: (_c, p, m) => {
      const table = this.tables.get(p.state.table);
      const seat = table?.seats.get(p.state.power);
      if (p.state.role !== 'player' || !table || !seat?.members.includes(p.state.id)) return fail('NOT_SEATED', 'You are not in a delegation.');
      const limited = this.rateLimited(p);
      if (limited) return limited;
      this.team.add(table.id, seat.power, p.state.id, m.text, this.now());
      this.record({ kind: 'session', change: 'team_chat', detail: { table: table.id, power: seat.power, participant: p.state.id, text: m.text } });
      return OK;
    },
    watch: (c, p, m) => {
      if (p.state.role === 'player') return fail('NOT_YOUR_SEAT', 'Players see their own table.');
      if (m.table && !this.tables.has(m.table)) return fail('UNKNOWN_TABLE', `No table "${m.table}".`);
      (c.userData as ClientData).watching = m.table;
      return OK;
    },

    fac_configure: (_c, _p, m) => {
      if (m.tables !== undefined) {
        if ([...this.tables.values()].some((t) => t.started())) return fail('ALREADY_STARTED', 'Tables can be added or removed only before the start.');
        if (this.sandbox && m.tables !== 1) return fail('NOT_SANDBOX', 'A sandbox has one table.');
        while (this.tables.size < m.tables) this.addTable();
        while (this.tables.size > m.tables) {
          const last = [...this.tables.keys()].pop()!;
          for (const p of this.participants.values()) if (p.state.table === last) this.unseat(p);
          this.tables.delete(last);
          this.state.tables.delete(last);
          this.synced.delete(last);
          this.mirrors.get(last)?.clear();
          this.mirrors.delete(last);
          this.state.activity.delete(last);
          this.team.dropTable(last);
        }
        void this.publishTables();
      }
      if (m.settings) this.settings = { ...this.settings, ...m.settings };
      this.record({ kind: 'session', change: 'configure', detail: m });
      return OK;
    },
    fac_seat: (_c, _p, m) => {
      const p = this.participants.get(m.participant);
      if (p?.state.role !== 'player') return fail('UNKNOWN_PARTICIPANT', `No player "${m.participant}".`);
      const table = this.tables.get(m.table);
      if (!table) return fail('UNKNOWN_TABLE', `No table "${m.table}".`);
      if (!table.seats.has(m.power)) return fail('UNKNOWN_SEAT', `No power "${m.power}" at this table.`);
      return this.seat(p, table, m.power);
    },
    fac_unseat: (_c, _p, m) => {
      const p = this.participants.get(m.participant);
      if (!p) return fail('UNKNOWN_PARTICIPANT', `No participant "${m.participant}".`);
      this.unseat(p);
      return OK;
    },
    fac_auto_seat: () => {
      for (const p of this.participants.values()) if (p.state.role === 'player' && !p.state.table) this.autoSeat(p);
      return OK;
    },
    fac_start: (_c, _p, m) => this.forTables(m?.table, (t) => t.status === 'waiting', 'ALREADY_STARTED', (t) => this.startTable(t)),
    fac_pause: (_c, _p, m) => this.forTables(m?.table, (t) => t.status === 'running', 'TABLE_NOT_RUNNING', (t) => t.pause()),
    fac_resume: (_c, _p, m) => this.forTables(m?.table, (t) => t.status === 'paused', 'TABLE_NOT_RUNNING', (t) => t.resume()),
    fac_extend: (_c, _p, m) =>
      this.forTables(m.table, (t) => t.status === 'running' || t.status === 'paused', 'TABLE_NOT_RUNNING', (t) => t.extend(m.seconds)),
    fac_end_phase: (_c, _p, m) =>
      this.forTables(m?.table, (t) => t.status === 'running' || t.status === 'paused', 'TABLE_NOT_RUNNING', (t) => t.endPhase()),
    fac_trigger_event: (_c, p, m) => {
      const table = this.tables.get(m.table);
      if (!table) return fail('UNKNOWN_TABLE', `No table "${m.table}".`);
      return table.act({ type: 'trigger_event', event: m.event }, { kind: 'facilitator', participant: p.state.id });
    },
    fac_announce: (_c, _p, m) => {
      if (m.table !== undefined && !this.tables.has(m.table)) return fail('UNKNOWN_TABLE', `No table "${m.table}".`);
      const a = new AnnouncementState();
      a.id = ++this.announcementId;
      a.text = m.text;
      a.table = m.table ?? '';
      a.at = this.now();
      this.addAnnouncement(a);
      const payload = { id: a.id, text: a.text, table: a.table, at: a.at };
      if (a.table) this.sendToTable(a.table, 'announcement', payload);
      else this.broadcast('announcement', payload);
      this.record({ kind: 'session', change: 'announce', detail: { text: a.text, table: a.table } });
      return OK;
    },
    fac_bot: (_c, _p, m) => {
      const table = this.tables.get(m.table);
      if (!table) return fail('UNKNOWN_TABLE', `No table "${m.table}".`);
      const seat = table.seats.get(m.power);
      if (!seat) return fail('UNKNOWN_SEAT', `No power "${m.power}" at this table.`);
      if (this.sandbox) return fail('NOT_SANDBOX', 'In a sandbox the facilitator plays every seat.');
      if (m.bot) {
        table.setBot(m.power, 'facilitator');
      } else {
        if (!seat.participant) return fail('SEAT_EMPTY', 'Nobody holds this seat: seat a player first.');
        table.setBot(m.power, '');
      }
      this.record({ kind: 'table', table: table.id, change: 'bot', detail: { power: m.power, bot: m.bot } });
      return OK;
    },
    fac_end_game: (_c, _p, m) => this.forTables(m?.table, (t) => t.game !== null && t.status !== 'ended', 'TABLE_NOT_RUNNING', (t) => t.endGame()),
    fac_sandbox_resolve: (_c, _p, m) => {
      if (!this.sandbox) return fail('NOT_SANDBOX', 'Only in a sandbox session.');
      return this.forTables(m?.table, () => true, 'TABLE_NOT_RUNNING', (t) => t.resolveNow());
    },
    fac_sandbox_undo: (_c, _p, m) => {
      if (!this.sandbox) return fail('NOT_SANDBOX', 'Only in a sandbox session.');
      return this.forTables(m?.table, () => true, 'TABLE_NOT_RUNNING', (t) => t.undoLast());
    },
  };

  /** Starts a table; a seated player who is not connected at that moment is replaced by a bot until they return. */
  private startTable(table: Table): Outcome {
    // A secret seed: one derived from the join code would let anyone predict the random events.
    const outcome = table.start(randomBytes(16).toString('base64url'));
    if (!outcome.ok) return outcome;
    for (const seat of table.seats.values()) {
      if (seat.participant && !this.anyConnected(seat.members) && !this.lasting()) table.setBot(seat.power, 'dropped');
    }
    return outcome;
  }

  /** Applies `fn` to one table, or to every table that `applies`; refused if none applies. */
  private forTables(id: string | undefined, applies: (t: Table) => boolean, code: string, fn: (t: Table) => Outcome): Outcome {
    if (id !== undefined) {
      const table = this.tables.get(id);
      if (!table) return fail('UNKNOWN_TABLE', `No table "${id}".`);
      return fn(table);
    }
    const targets = [...this.tables.values()].filter(applies);
    if (targets.length === 0) return fail(code, 'No table to apply this to.');
    let last: Outcome = OK;
    for (const t of targets) {
      const r = fn(t);
      if (!r.ok) last = r;
    }
    return targets.length === 1 ? last : OK;
  }

  private rateLimited(p: Participant): Outcome | undefined {
    const now = this.now();
    p.sent = p.sent.filter((t) => now - t < LIMITS.rateWindowMs);
    if (p.sent.length >= LIMITS.rateCount) return fail('RATE_LIMITED', 'Too many messages: wait a few seconds.');
    p.sent.push(now);
    return undefined;
  }

  /** A game action for the sender's seat (or, in a sandbox, the seat the facilitator names). */
  private playerAction(p: Participant, seatRef: { table: string; power: string } | undefined, build: (power: string) => Action): Outcome {
    let table: Table | undefined;
    let power: string;
    let actor: Actor;
    if (seatRef) {
      if (p.state.role !== 'facilitator' || !this.sandbox) return fail('NOT_YOUR_SEAT', 'You can act only for your own power.');
      table = this.tables.get(seatRef.table);
      if (!table) return fail('UNKNOWN_TABLE', `No table "${seatRef.table}".`);
      if (!table.seats.has(seatRef.power)) return fail('UNKNOWN_SEAT', `No power "${seatRef.power}" at this table.`);
      power = seatRef.power;
      actor = { kind: 'facilitator', participant: p.state.id };
    } else {
      table = this.tables.get(p.state.table);
      if (!table || !p.state.power) return fail('NOT_SEATED', 'You do not hold a seat.');
      power = p.state.power;
      const seat = table.seats.get(power);
      if (!seat || !seat.members.includes(p.state.id)) return fail('NOT_SEATED', 'You do not hold a seat.');
      // A player a bot stood in for after missed deadlines is back as soon as they act.
      if (seat.botReason === 'absent') table.handBack(power);
      if (table.control(seat) !== 'human') return fail('NOT_YOUR_SEAT', 'A bot plays this seat now.');
      actor = { kind: 'participant', participant: p.state.id };
      const action = build(power);
      // In a delegation each member says ready for themselves; the session's rule makes the power ready.
      if (action.type === 'ready') {
        return table.memberReady(power, p.state.id, action.ready, this.settings.delegationReady, (id) => this.participants.get(id)?.state.connected ?? false, actor);
      }
      const outcome = table.act(action, actor);
      // A delegation shares one set of orders: remember who added each, so that every member sees it.
      if (outcome.ok && action.type === 'set_orders') {
        const key = `${table.id}/${power}/${table.game?.turn ?? 0}`;
        for (const k of this.orderEditors.keys()) if (k.startsWith(`${table.id}/${power}/`) && k !== key) this.orderEditors.delete(k);
        const before = this.orderEditors.get(key) ?? new Map<string, string>();
        this.orderEditors.set(key, new Map(action.orders.map((o) => [orderId(o), before.get(orderId(o)) ?? p.state.id])));
      }
      return outcome;
    }
    return table.act(build(power), actor);
  }

  // -------------------------------------------------------------------------------------------
  // Seating
  // -------------------------------------------------------------------------------------------

  /**
   * Puts a player in a seat's delegation, moving them from any other seat. A full delegation of one
   * is taken over (its student is unseated, as before delegations); a full larger one refuses.
   */
  private seat(p: Participant, table: Table, power: string): Outcome {
    const seat = table.seats.get(power);
    if (!seat) return fail('UNKNOWN_SEAT', `No power "${power}" at this table.`);
    if (p.state.table === table.id && p.state.power === power) return OK;
    const size = this.settings.delegationSize;
    let members = seat.members;
    if (members.length >= size) {
      if (size > 1) return fail('SEAT_TAKEN', `This delegation is full (${size} students).`);
      for (const id of members) {
        const holder = this.participants.get(id);
        if (holder) {
          holder.state.table = '';
          holder.state.power = '';
        }
      }
      members = [];
    }
    this.unseat(p);
    p.state.table = table.id;
    p.state.power = power;
    table.setMembers(power, [...members, p.state.id]);
    this.record({ kind: 'session', change: 'seat', detail: { participant: p.state.id, table: table.id, power } });
    return OK;
  }

  private unseat(p: Participant): void {
    const table = this.tables.get(p.state.table);
    const seat = p.state.power ? table?.seats.get(p.state.power) : undefined;
    if (table && seat?.members.includes(p.state.id)) table.setMembers(seat.power, seat.members.filter((m) => m !== p.state.id));
    p.state.table = '';
    p.state.power = '';
  }

  /** Where automatic seating puts a player (server/seating.ts). */
  private autoSeat(p: Participant): void {
    if (this.sandbox) return;
    const choice = chooseSeat([...this.tables.values()], this.settings.delegationSize);
    if (choice) this.seat(p, choice.table, choice.power);
  }

  /** The player of a game played alone arrives: they take their power and the game starts, bots in every other seat. */
  private startSolo(p: Participant): void {
    const table = this.tables.get('t1');
    if (!table || !this.solo) return;
    this.seat(p, table, this.solo.power);
    if (table.status === 'waiting') this.startTable(table);
  }

  /**
   * An open game starts when every power is taken, or at its time with bots in the seats still empty
   * (if its creator allowed bots; else it waits until it is full). Never with bots alone.
   */
  openGameStart(): boolean {
    const table = this.tables.get('t1');
    if (!this.open || !table || table.status !== 'waiting') return false;
    const seats = [...table.seats.values()];
    const taken = seats.filter((s) => s.members.length > 0).length;
    if (taken === 0) return false;
    const due = this.open.start !== 'full' && this.now() >= this.open.start;
    if (taken < seats.length && !(due && this.open.bots)) return false;
    this.startTable(table);
    this.log.info({ code: this.code, taken, seats: seats.length }, 'open game started');
    return true;
  }

  /** "My games" (issue 13, part 3): where the player holding this key stands, or null if they are not in this game. */
  playerStatus(keyHash: string): MyGameStatus | null {
    const p = [...this.participants.values()].find((x) => x.keyHash === keyHash && x.state.role === 'player');
    if (!p) return null;
    const table = this.tables.get(p.state.table || 't1');
    const game = table?.game;
    const running = table?.status === 'running' && !!game && game.phase !== 'ended';
    const waitingFor = running && table ? table.humanPowers().filter((power) => !game!.powers[power]?.ready) : [];
    return {
      code: this.code,
      title: this.entry.scenario.title,
      scenario: this.entry.scenario.id,
      power: p.state.power,
      status: table?.status ?? 'waiting',
      turn: game?.turn ?? 0,
      turns: this.entry.scenario.turns.count,
      phase: game?.phase ?? '',
      deadline: table?.deadline ?? 0,
      now: this.now(),
      waitingFor,
      yourMove: !!p.state.power && waitingFor.includes(p.state.power),
      received: p.state.power ? (game?.messages.filter((m) => m.from !== p.state.power && m.to.includes(p.state.power)).length ?? 0) : 0,
      openProposals: p.state.power ? (game?.proposals.filter((x) => x.to === p.state.power && x.status === 'open').length ?? 0) : 0,
    };
  }

  /** The creator's view of an open game before its start: who holds which country (over HTTP, with their secret). */
  creatorSeats(): { started: boolean; players: { participant: string; name: string; power: string; connected: boolean }[] } {
    const table = this.tables.get('t1');
    const players = [...this.participants.values()]
      .filter((p) => p.state.role === 'player' && p.state.power)
      .map((p) => ({ participant: p.state.id, name: p.state.name, power: p.state.power, connected: p.state.connected }));
    return { started: !!table && table.status !== 'waiting', players };
  }

  /**
   * The creator removes a player who never showed up, before the start: their country is free again
   * and they are told. Refused once the game has started (bots stand in for absent players then).
   */
  creatorRemove(participant: string): { ok: true } | { error: string } {
    const table = this.tables.get('t1');
    if (!this.open || !table) return { error: 'Only in an open game.' };
    if (table.status !== 'waiting') return { error: 'The game has started: a player who stays away is replaced by a bot after two missed deadlines.' };
    const p = this.participants.get(participant);
    if (!p || p.state.role !== 'player') return { error: 'No such player.' };
    this.unseat(p);
    for (const c of this.clients) if ((c.userData as ClientData | undefined)?.participant === p.state.id) c.leave(4000, 'removed by the game\u2019s creator');
    this.removeParticipant(p);
    this.record({ kind: 'session', change: 'removed_by_creator', detail: { participant } });
    this.publishListing();
    this.syncAll();
    return { ok: true };
  }

  /** The creator takes the game off the public list (called over HTTP with their secret). */
  closeListing(): { ok: true } {
    if (this.open?.listed) {
      this.open.listed = false;
      this.record({ kind: 'session', change: 'listing_closed' });
      this.publishListing();
    }
    return { ok: true };
  }

  /** Keeps the room's metadata (what GET /api/games lists) in step with the open game's free seats. */
  private publishListing(): void {
    if (!this.open || !this.entry) return;
    const table = this.tables.get('t1');
    let listing: OpenGameSummary | undefined;
    if (this.open.listed && table?.status === 'waiting') {
      listing = {
        code: this.code,
        scenario: this.entry.scenario.id,
        title: this.entry.scenario.title,
        powers: this.entry.scenario.powers.map((p) => ({ id: p.id, name: p.name, colour: p.colour })),
        free: [...table.seats.values()].filter((x) => x.members.length === 0).map((x) => x.power),
        start: this.open.start,
        bots: this.open.bots,
        negotiationSeconds: this.settings.negotiationSeconds,
        ordersSeconds: this.settings.ordersSeconds,
      };
    }
    const key = JSON.stringify(listing ?? null);
    if (key === this.listingKey) return;
    this.listingKey = key;
    void this.setMetadata({ code: this.code, scenario: this.entry.scenario.id, title: this.entry.scenario.title, ...(listing ? { listing } : {}) });
  }

  /** A game made by POST /api/games (alone or open): players come and go over days, not a class in one room. */
  private lasting(): boolean {
    return this.open !== undefined || this.solo !== undefined;
  }

  /** Whether any member of a delegation is connected now. */
  private anyConnected(members: string[]): boolean {
    return members.some((id) => this.participants.get(id)?.state.connected);
  }

  // -------------------------------------------------------------------------------------------
  // Timers
  // -------------------------------------------------------------------------------------------

  /** Ends every phase whose deadline has passed. Called every 250 ms and before each message. */
  tick(): void {
    let changed = this.openGameStart();
    for (const t of this.tables.values()) if (t.tick()) changed = true;
    if (changed) this.syncAll();
  }

  // -------------------------------------------------------------------------------------------
  // Copying into the schema state
  // -------------------------------------------------------------------------------------------

  syncAll(): void {
    const s = this.state;
    const st = this.state.settings!;
    st.seating = this.settings.seating;
    st.defaultOrders = this.settings.defaultOrders;
    st.reconnectSeconds = this.settings.reconnectSeconds;
    st.negotiationSeconds = this.settings.negotiationSeconds;
    st.ordersSeconds = this.settings.ordersSeconds;
    st.delegationSize = this.settings.delegationSize;
    st.delegationReady = this.settings.delegationReady;
    for (const table of this.tables.values()) this.syncTable(table);
    this.publishListing();
    const statuses = [...this.tables.values()].map((t) => t.status);
    s.status = statuses.every((x) => x === 'waiting') ? 'lobby' : statuses.every((x) => x === 'ended') ? 'ended' : 'running';
    this.syncViews();
  }

  private syncTable(table: Table): void {
    let ts = this.state.tables.get(table.id);
    if (!ts) {
      ts = new TableState();
      ts.id = table.id;
      ts.name = table.name;
      this.state.tables.set(table.id, ts);
    }
    if (ts.status !== table.status) ts.status = table.status;
    if (ts.deadline !== table.deadline) ts.deadline = table.deadline;
    if (ts.remaining !== table.remaining) ts.remaining = table.remaining;
    if (ts.undoable !== table.undo.length) ts.undoable = table.undo.length;
    const game = table.game;
    for (const seat of table.seats.values()) {
      let ss = ts.seats.get(seat.power);
      if (!ss) {
        ss = new SeatState();
        ss.power = seat.power;
        ts.seats.set(seat.power, ss);
      }
      const control = table.control(seat);
      const connected = seat.participant ? (this.participants.get(seat.participant)?.state.connected ?? false) : false;
      const ready = game?.powers[seat.power]?.ready ?? false;
      if (ss.participant !== seat.participant) ss.participant = seat.participant;
      if (ss.control !== control) ss.control = control;
      if (ss.botReason !== seat.botReason) ss.botReason = seat.botReason;
      if (ss.connected !== connected) ss.connected = connected;
      if (ss.ready !== ready) ss.ready = ready;
      if (ss.members.join() !== seat.members.join()) {
        ss.members.clear();
        ss.members.push(...seat.members);
      }
      if (ss.readyMembers.join() !== seat.readyMembers.join()) {
        ss.readyMembers.clear();
        ss.readyMembers.push(...seat.readyMembers);
      }
      const orders = game?.phase === 'orders' ? (game.powers[seat.power]?.orders.length ?? 0) : 0;
      if (ss.orders !== orders) ss.orders = orders;
    }
    if (this.synced.get(table.id) === table.version) return;
    this.synced.set(table.id, table.version);
    const turn = game?.turn ?? 0;
    const phase = game?.phase ?? '';
    if (ts.turn !== turn) ts.turn = turn;
    if (ts.phase !== phase) ts.phase = phase;
    const scores = table.scores ? JSON.stringify(table.scores) : '';
    if (ts.scores !== scores) ts.scores = scores;
    let activity = this.state.activity.get(table.id);
    if (!activity) {
      activity = new ActivityState();
      this.state.activity.set(table.id, activity);
    }
    const counts = {
      messages: game?.messages.length ?? 0,
      proposals: game?.proposals.length ?? 0,
      commitments: game?.commitments.filter((c) => c.status === 'active').length ?? 0,
      kept: game?.commitments.filter((c) => c.status === 'kept').length ?? 0,
      breached: game?.commitments.filter((c) => c.status === 'breached').length ?? 0,
    };
    for (const k of Object.keys(counts) as (keyof typeof counts)[]) if (activity[k] !== counts[k]) activity[k] = counts[k];
    let mirror = this.mirrors.get(table.id);
    if (!mirror) {
      mirror = new TableMirror(table.id, this.state, this.entry.scenario, (power, order) => this.orderEditors.get(`${table.id}/${power}/${table.game?.turn ?? 0}`)?.get(orderId(order)) ?? '');
      this.mirrors.set(table.id, mirror);
    }
    mirror.sync(game);
  }

  /** Each connection's StateView holds exactly what it may see (server/visibility.ts). */
  private syncViews(): void {
    const byTable = new Map<string, ParticipantState[]>();
    for (const p of this.participants.values()) {
      if (!p.state.table) continue;
      const list = byTable.get(p.state.table);
      if (list) list.push(p.state);
      else byTable.set(p.state.table, [p.state]);
    }
    const scope = { state: this.state, mirrors: this.mirrors, byTable, announcements: this.announcementList, team: this.team };
    // What a connection may see changes only with these inputs: skip the connections whose inputs did
    // not change (most messages: a ready flag, an order, a metric), so a message costs O(connections).
    let session = `${this.settings.seating}|${this.team.version}|${this.announcementList.map((a) => a.id).join(',')}|`;
    for (const t of this.tables.values()) session += `${t.id}:${t.status},`;
    for (const p of this.participants.values()) session += `|${p.state.id}:${p.state.table}:${p.state.power}`;
    for (const client of this.clients) {
      const data = client.userData as ClientData | undefined;
      const p = this.participantOf(client);
      if (!data?.keeper || !p) continue;
      const who = this.audience(p, data);
      const key = `${session}#${p.state.id}:${p.state.role}:${who.watching}:${this.mirrors.get(who.watching)?.entitlementVersion ?? -1}`;
      if (data.keeper.inputs === key) continue;
      data.keeper.update(entitled(scope, who));
      data.keeper.inputs = key;
    }
  }

  private audience(p: Participant, data: ClientData): Audience {
    const role = p.state.role;
    if (role === 'facilitator') return { participant: p.state, draft: undefined, watching: data.watching, everything: true, overview: true };
    if (role === 'spectator') return { participant: p.state, draft: undefined, watching: data.watching, everything: false, overview: false };
    // Seating by choice: while a player has no seat or their table waits, they see every table's seats.
    const choosing = this.settings.seating === 'choice' && (!p.state.table || this.tables.get(p.state.table)?.status === 'waiting');
    return { participant: p.state, draft: p.draft, watching: p.state.table, everything: false, overview: choosing };
  }

  /** A message to the connections that see one table (its players, spectators and the facilitator). */
  private sendToTable(table: string, type: string, payload: unknown): void {
    for (const client of this.clients) {
      const p = this.participantOf(client);
      const data = client.userData as ClientData | undefined;
      if (!p || !data) continue;
      const sees = p.state.role === 'facilitator' || (p.state.role === 'player' ? p.state.table === table : data.watching === table);
      if (sees) client.send(type, payload);
    }
  }

  /** Keeps the last 20 announcements. */
  private addAnnouncement(a: AnnouncementState): void {
    this.announcementList.push(a);
    this.state.announcements.set(String(a.id), a);
    while (this.announcementList.length > 20) {
      const old = this.announcementList.shift()!;
      this.state.announcements.delete(String(old.id));
    }
  }

  // -------------------------------------------------------------------------------------------
  // Recording and snapshots
  // -------------------------------------------------------------------------------------------

  private record(entry: RecordEntry): void {
    try {
      this.ctx.recorder.record(this.code, entry, () => this.snapshot());
    } catch (e) {
      this.log.error({ code: this.code, error: String(e) }, 'recorder failed');
    }
  }

  snapshot(): SessionSnapshot {
    return {
      version: 1,
      code: this.code,
      scenario: this.entry.scenario.id,
      sandbox: this.sandbox,
      settings: { ...this.settings },
      secretHash: this.secretHash,
      ...(this.solo ? { solo: { ...this.solo } } : {}),
      ...(this.open ? { open: { ...this.open } } : {}),
      nextParticipant: this.nextParticipant,
      participants: [...this.participants.values()].map(
        (p): ParticipantSnapshot => ({
          id: p.state.id,
          name: p.state.name,
          role: p.state.role as ParticipantRole,
          table: p.state.table,
          power: p.state.power,
          draft: p.draft.text,
          keyHash: p.keyHash,
        }),
      ),
      tables: [...this.tables.values()].map((t) => t.snapshot()),
      announcements: this.announcementList.map((a) => ({ id: a.id, text: a.text, table: a.table, at: a.at })),
      team: [...this.tables.keys()].flatMap((t) => this.team.ofTable(t).map((m) => ({ table: m.table, power: m.power, from: m.from, text: m.text, at: m.at }))),
    };
  }

  // -------------------------------------------------------------------------------------------
  // Issue 6: forks and storage health (called by server/persistence via matchMaker.remoteRoomCall)
  // -------------------------------------------------------------------------------------------

  /** A new table starting from a stored state of `from.table` (a fork): paused, seats free (bots hold them). */
  forkTable(game: GameState, from: { table: string; turn: number; phase: string; state: number | null }): { table: string } | { error: string } {
    if (this.sandbox) return { error: 'A sandbox has one table: fork the game in a class session.' };
    if (this.tables.size >= LIMITS.tables) return { error: `A session holds at most ${LIMITS.tables} tables.` };
    if (game.scenario !== this.entry.scenario.id || game.phase === 'ended') return { error: 'This state cannot be played on.' };
    let n = this.tables.size + 1;
    while (this.tables.has(`t${n}`)) n++;
    const id = `t${n}`;
    const seconds = game.phase === 'negotiation' ? this.settings.negotiationSeconds : this.settings.ordersSeconds;
    const table = Table.restore(
      {
        id,
        name: `Table ${n} (${this.tables.get(from.table)?.name ?? from.table}, turn ${from.turn})`,
        status: 'paused',
        game,
        seats: this.entry.scenario.powers.map((p) => ({ power: p.id, participant: '', botReason: 'empty' as const })),
        deadline: 0,
        remaining: seconds * 1000,
        undo: [],
      },
      this.entry.scenario,
      this.tableEnv(),
    );
    this.tables.set(id, table);
    this.record({ kind: 'table', table: id, change: 'fork', detail: from });
    void this.publishTables();
    this.syncAll();
    this.log.info({ code: this.code, table: id, from }, 'table forked');
    return { table: id };
  }

  /** Saving the record fails (`problem`) or works again (null): the facilitator is told, the game goes on. */
  storageProblem(problem: string | null): void {
    this.state.storage = problem ?? '';
    for (const client of this.clients) {
      if (this.participantOf(client)?.state.role === 'facilitator') client.send('storage', { ok: problem === null, problem: problem ?? '' });
    }
  }

  private restoreFrom(snap: SessionSnapshot, stored?: Scenario): void {
    const entry = stored ? scenarioEntry(stored, '(recorded)') : this.ctx.catalog.get(snap.scenario);
    if (!entry) throw new ServerError(ErrorCode.APPLICATION_ERROR, `unknown scenario "${snap.scenario}"`);
    this.entry = entry;
    this.code = snap.code;
    this.sandbox = snap.sandbox;
    this.settings = { ...DEFAULT_SETTINGS, ...snap.settings };
    this.secretHash = snap.secretHash;
    this.solo = snap.solo;
    this.open = snap.open ? { ...snap.open } : undefined;
    this.nextParticipant = snap.nextParticipant;
    for (const ps of snap.participants) {
      const state = new ParticipantState();
      state.id = ps.id;
      state.name = ps.name;
      state.role = ps.role;
      state.table = ps.table;
      state.power = ps.power;
      state.connected = false;
      const draft = new DraftState();
      draft.text = ps.draft;
      this.participants.set(ps.id, { state, draft, keyHash: ps.keyHash, sent: [] });
      this.state.participants.set(ps.id, state);
      this.state.drafts.set(ps.id, draft);
    }
    for (const ts of snap.tables) this.tables.set(ts.id, Table.restore(ts, entry.scenario, this.tableEnv()));
    for (const m of snap.team ?? []) this.team.add(m.table, m.power, m.from, m.text, m.at);
    for (const a of snap.announcements) {
      const s = new AnnouncementState();
      Object.assign(s, a);
      this.addAnnouncement(s);
      this.announcementId = Math.max(this.announcementId, a.id);
    }
  }
}

/** An order's identity within a power's orders of a turn. */
function orderId(o: { move: string; target?: string }): string {
  return `${o.move}>${o.target ?? ''}`;
}
