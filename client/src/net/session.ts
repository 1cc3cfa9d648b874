/**
 * The connection to one session room: joining, reconnecting (automatic drops and page reloads),
 * a plain-JSON snapshot of the room state, and sending with friendly errors.
 *
 * Stored in the browser:
 * - sessionStorage `bamboo:conn:<code>`: { role, token, name } to reconnect after a page reload;
 * - sessionStorage `bamboo:secret:<code>`: the facilitator's secret;
 * - localStorage `bamboo:key:<code>`: the player's rejoin key (same seat after the reconnection window).
 */
import { Client, type Room } from '@colyseus/sdk';
import type { PlayerView } from '#shared/engine/view.ts';
import type {
  ActivityShape,
  AnnouncementPayload,
  ErrorPayload,
  ParticipantRole,
  ParticipantShape,
  Plain,
  SeatShape,
  SessionStatus,
  Settings,
  TableShape,
  TableStatus,
  TeamMessageShape,
  WelcomePayload,
} from '#shared/protocol.ts';
import type { Scenario } from '#shared/scenario/schema.ts';
import { type DecodedState, orderAuthors, secretHolders, tableView } from '#shared/wire/view.ts';
import { ServerClock } from '../model/countdown.ts';

export type ConnState = 'idle' | 'connecting' | 'online' | 'reconnecting' | 'offline';

/** A table as the screens use it: its summary and the PlayerViews this connection can build. */
export type TableSnap = Plain<TableShape> & {
  public: PlayerView | null;
  views: Record<string, PlayerView>;
  /** The delegation channels this connection may read at this table, oldest first. */
  team: TeamMessageShape[];
  /** Per power whose secrets this connection holds: who added each order (a delegation's member id, or ''). */
  orderBy: Record<string, string[]>;
};
/** A participant; your own entry carries the draft you last saved. */
export type ParticipantSnap = ParticipantShape & { draft?: string };
export interface SessionSnap {
  code: string;
  scenario: string;
  /** The hash of the scenario version the session plays (it may differ from the file on the server now). */
  scenarioVersion: string;
  title: string;
  sandbox: boolean;
  kind: 'class' | 'solo' | 'open';
  startsAt: number;
  status: SessionStatus;
  settings: Settings;
  participants: Record<string, ParticipantSnap>;
  tables: Record<string, TableSnap>;
  announcements: AnnouncementPayload[];
  storage: string;
  /** The facilitator only: each table's talk activity (counts). */
  activity: Record<string, ActivityShape>;
}

export interface SessionEvents {
  change(): void;
  conn(state: ConnState): void;
  /** Joined again by itself after the server stopped or restarted (close 4001/4003): show it. */
  reconnected(): void;
  error(err: ErrorPayload): void;
  announcement(a: AnnouncementPayload): void;
  resolved(r: { table: string; turn: number }): void;
  left(code: number): void;
}

interface StoredConn {
  role: ParticipantRole;
  token: string;
  name?: string;
}

const store = {
  get<T>(area: Storage, key: string): T | undefined {
    try {
      const v = area.getItem(key);
      return v ? (JSON.parse(v) as T) : undefined;
    } catch {
      return undefined;
    }
  },
  set(area: Storage, key: string, value: unknown): void {
    try {
      area.setItem(key, JSON.stringify(value));
    } catch {
      /* storage full or disabled: reconnection after reload will need a rejoin */
    }
  },
  del(area: Storage, key: string): void {
    try {
      area.removeItem(key);
    } catch {
      /* ignore */
    }
  },
};

export function serverUrl(): string {
  const env = (import.meta as unknown as { env?: Record<string, string> }).env;
  return env?.['VITE_SERVER_URL'] || location.origin;
}

export function rememberSecret(code: string, secret: string): void {
  store.set(sessionStorage, `bamboo:secret:${code}`, secret);
}
export function storedSecret(code: string): string | undefined {
  return store.get<string>(sessionStorage, `bamboo:secret:${code}`);
}
export function storedName(): string {
  return store.get<string>(localStorage, 'bamboo:name') ?? '';
}
export function rememberName(name: string): void {
  store.set(localStorage, 'bamboo:name', name);
}
/** Keeps the rejoin key the server gave for a game (play now): this browser is that game's player. */
export function rememberKey(code: string, key: string): void {
  store.set(localStorage, `bamboo:key:${code}`, key);
}
export function hasStoredConnection(code: string): boolean {
  return !!store.get<StoredConn>(sessionStorage, `bamboo:conn:${code}`);
}
export function storedRole(code: string): ParticipantRole | undefined {
  return store.get<StoredConn>(sessionStorage, `bamboo:conn:${code}`)?.role;
}
export function forgetConnection(code: string): void {
  store.del(sessionStorage, `bamboo:conn:${code}`);
}

function playerKey(code: string): string {
  const k = `bamboo:key:${code}`;
  let key = store.get<string>(localStorage, k);
  if (!key) {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    key = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
    store.set(localStorage, k, key);
  }
  return key;
}

function plain(value: unknown): unknown {
  if (value && typeof (value as { toJSON?: () => unknown }).toJSON === 'function') return (value as { toJSON: () => unknown }).toJSON();
  return value;
}

type Listener<K extends keyof SessionEvents> = SessionEvents[K];

/**
 * Close codes after which the client joins again by itself (issue 10, finding 13): the server shut down
 * (4001, e.g. SIGTERM for an update), the SDK's own reconnection failed (4003, e.g. the server was
 * killed and restarted), or the connection broke where the SDK does not retry (1001/1005/1006, 4010).
 * Not after leaving on purpose (4000, 1000), an error (4002) or a newer connection of the same
 * participant (4009).
 */
export const REJOIN_CODES: ReadonlySet<number> = new Set([4001, 4003, 1001, 1005, 1006, 4010]);
/** After a drop, how long the SDK may try to reconnect to the same process before the client joins again through any (ms). */
export const DROP_REJOIN_MS = 10_000;
/** Tries before giving up (about three minutes with the backoff below). */
export const REJOIN_ATTEMPTS = 25;
/** Wait before try `n` (0-based): 0.5 s doubling up to 8 s, with jitter so a class does not come back at once. */
export function rejoinDelay(n: number, random = Math.random): number {
  const base = Math.min(8000, 500 * 2 ** n);
  return Math.round(base * (0.75 + random() * 0.5));
}

/** A refusal that trying again will not change (a wrong secret, invalid options, a full session). */
function finalRefusal(e: unknown): boolean {
  const message = String((e as { message?: unknown })?.message ?? '');
  return /Wrong facilitator secret|Invalid join options|is full|kept for the facilitator/.test(message);
}

export class Session {
  readonly client: Client;
  readonly code: string;
  room: Room | undefined;
  role: ParticipantRole | undefined;
  participantId: string | undefined;
  conn: ConnState = 'idle';
  snap: SessionSnap | undefined;
  readonly clock = new ServerClock();
  private listeners: { [K in keyof SessionEvents]?: Set<Listener<K>> } = {};
  /** The (public) scenario by id, for the objectives and the order of the powers in the rebuilt views. */
  scenarioOf: ((id: string | undefined, version?: string) => Scenario | undefined) | undefined;
  /** A spectator's or facilitator's open table (sent again after every reconnection). */
  private watching: string | undefined;
  private closed = false;
  /** The name this connection joined with (to join again the same way). */
  private name: string | undefined;
  private rejoining = false;
  private dropTimer: ReturnType<typeof setTimeout> | undefined;
  /** How many times this session joined again by itself. */
  rejoins = 0;

  constructor(code: string, url: string = serverUrl()) {
    this.code = code;
    this.client = new Client(url);
  }

  on<K extends keyof SessionEvents>(event: K, fn: Listener<K>): () => void {
    let set = this.listeners[event] as Set<Listener<K>> | undefined;
    if (!set) {
      set = new Set();
      (this.listeners as Record<string, Set<unknown>>)[event] = set as Set<unknown>;
    }
    set.add(fn);
    return () => set!.delete(fn);
  }

  private emit<K extends keyof SessionEvents>(event: K, ...args: Parameters<SessionEvents[K]>): void {
    const set = this.listeners[event] as Set<(...a: unknown[]) => void> | undefined;
    if (set) for (const fn of [...set]) fn(...args);
  }

  private setConn(c: ConnState): void {
    if (this.conn === c) return;
    this.conn = c;
    this.emit('conn', c);
  }

  /** Join as a player, spectator or facilitator. Throws a friendly-mappable error. */
  async join(opts: { role: 'player'; name: string } | { role: 'spectator'; name?: string } | { role: 'facilitator'; secret: string; name?: string }, quiet = false): Promise<void> {
    if (!quiet) this.setConn('connecting');
    const options: Record<string, unknown> = { ...opts };
    if (opts.role === 'player') options['key'] = playerKey(this.code);
    try {
      const room = await this.client.joinById(this.code, options);
      this.attach(room, opts.role, 'name' in opts ? opts.name : undefined);
    } catch (e) {
      if (!quiet) this.setConn('offline');
      throw e;
    }
  }

  /**
   * Joins again after the server closed the room (shutdown or restart), with backoff: a player with
   * their key (same participant, same seat), the facilitator with the stored secret, a spectator as
   * one. Emits `reconnected` once back; `left` if it gives up.
   */
  private async rejoin(code: number): Promise<void> {
    if (this.rejoining || this.closed) return;
    this.rejoining = true;
    this.setConn('reconnecting');
    const role = this.role;
    const name = this.name;
    for (let n = 0; n < REJOIN_ATTEMPTS && !this.closed; n++) {
      await new Promise((r) => setTimeout(r, rejoinDelay(n)));
      if (this.closed) break;
      try {
        if (role === 'player' && name) await this.join({ role: 'player', name }, true);
        else if (role === 'facilitator') {
          const secret = storedSecret(this.code);
          if (!secret) break;
          await this.join({ role: 'facilitator', secret, ...(name ? { name } : {}) }, true);
        } else if (role === 'spectator') await this.join({ role: 'spectator', ...(name ? { name } : {}) }, true);
        else break;
        this.rejoining = false;
        this.rejoins++;
        this.emit('reconnected');
        return;
      } catch (e) {
        if (finalRefusal(e)) break;
      }
    }
    this.rejoining = false;
    if (this.closed) return;
    this.setConn('offline');
    this.emit('left', code);
  }

  /**
   * After a page reload: reconnect with the stored token; if that fails, join again with the stored
   * role (players keep their seat through their key). Returns false when nothing was stored.
   */
  async resume(): Promise<boolean> {
    const saved = store.get<StoredConn>(sessionStorage, `bamboo:conn:${this.code}`);
    if (!saved) return false;
    this.setConn('reconnecting');
    try {
      const room = await this.client.reconnect(saved.token);
      this.attach(room, saved.role, saved.name);
      return true;
    } catch {
      // The reconnection window is over or the server restarted: join again.
      if (saved.role === 'player' && saved.name) {
        await this.join({ role: 'player', name: saved.name });
        return true;
      }
      if (saved.role === 'facilitator') {
        const secret = storedSecret(this.code);
        if (secret) {
          await this.join({ role: 'facilitator', secret });
          return true;
        }
      }
      if (saved.role === 'spectator') {
        await this.join({ role: 'spectator' });
        return true;
      }
      this.setConn('offline');
      forgetConnection(this.code);
      return false;
    }
  }

  private attach(room: Room, role: ParticipantRole, name?: string): void {
    this.room = room;
    this.role = role;
    this.name = name;
    this.save(name);
    room.reconnection.maxRetries = 30;
    room.reconnection.maxDelay = 4000;
    room.onStateChange((state: unknown) => {
      this.snap = toSnap(state, this.role, this.scenarioOf?.(...scenarioKey(state)));
      const me = Object.values(this.snap.participants).find((p) => p.sessionId === room.sessionId);
      if (me) this.participantId = me.id;
      this.emit('change');
    });
    room.onMessage('welcome', (w: WelcomePayload) => {
      this.participantId = w.participant;
      this.clock.observe(w.serverTime);
      if (w.key) store.set(localStorage, `bamboo:key:${this.code}`, w.key);
      this.emit('change');
    });
    room.onMessage('time', (t: { now: number }) => this.clock.observe(t.now));
    room.onMessage('error', (e: ErrorPayload) => this.emit('error', e));
    room.onMessage('announcement', (a: AnnouncementPayload) => this.emit('announcement', a));
    room.onMessage('resolved', (r: { table: string; turn: number }) => this.emit('resolved', r));
    room.onDrop(() => {
      this.setConn('reconnecting');
      // The SDK retries the same process only. If that process is gone for good (several servers, one
      // lost: issue 14), its session goes on in another one: after a while, join again through any.
      // (Every failed try of the SDK is a drop again: the first one starts the clock.)
      if (this.dropTimer !== undefined) return;
      this.dropTimer = setTimeout(() => {
        this.dropTimer = undefined;
        if (this.room !== room || this.conn !== 'reconnecting' || this.closed) return;
        room.reconnection.enabled = false;
        void this.rejoin(1006);
      }, DROP_REJOIN_MS);
    });
    room.onReconnect(() => {
      clearTimeout(this.dropTimer);
      this.dropTimer = undefined;
      this.setConn('online');
      this.save(name);
      this.send('time', {});
      if (this.watching !== undefined) this.send('watch', { table: this.watching });
    });
    room.onLeave((code: number) => {
      if (this.room !== room) return; // an older connection, already replaced
      if (!this.closed && REJOIN_CODES.has(code)) return void this.rejoin(code);
      this.setConn('offline');
      if (!this.closed) this.emit('left', code);
    });
    this.setConn('online');
    this.send('time', {});
    if (this.watching !== undefined && role !== 'player') this.send('watch', { table: this.watching });
  }

  /** Rebuilds the snapshot from the decoded state (e.g. once the scenario has arrived). */
  refresh(): void {
    if (this.room?.state) this.snap = toSnap(this.room.state, this.role, this.scenarioOf?.(...scenarioKey(this.room.state)));
  }

  /** Spectators and the facilitator: receive the details of this table ('' for none). */
  watch(table: string): void {
    if (this.watching === table) return;
    this.watching = table;
    if (this.room && this.role !== 'player') this.send('watch', { table });
  }

  private save(name?: string): void {
    if (!this.room || !this.role) return;
    store.set(sessionStorage, `bamboo:conn:${this.code}`, {
      role: this.role,
      token: this.room.reconnectionToken,
      ...(name ? { name } : {}),
    } satisfies StoredConn);
  }

  send(type: string, payload: unknown = {}): void {
    this.room?.send(type, payload);
  }

  /** Send and wait for the server's answer; rejects with the server's ErrorPayload. */
  async request(type: string, payload: unknown = {}): Promise<void> {
    if (!this.room) throw { code: 'CONNECTION_LOST', message: 'Not connected' } satisfies ErrorPayload;
    await this.room.request(type, payload);
  }

  get me(): ParticipantSnap | undefined {
    if (!this.snap) return undefined;
    if (this.participantId && this.snap.participants[this.participantId]) return this.snap.participants[this.participantId];
    return Object.values(this.snap.participants).find((p) => p.sessionId === this.room?.sessionId);
  }

  async leave(): Promise<void> {
    this.closed = true;
    clearTimeout(this.dropTimer);
    forgetConnection(this.code);
    try {
      await this.room?.leave(true);
    } catch {
      /* already gone */
    }
    this.room = undefined;
    this.setConn('idle');
  }
}

/**
 * The plain snapshot the screens render: the room's summaries as decoded, and for each table the
 * engine's PlayerView rebuilt from the typed state (shared/wire/view.ts) — `public` for what everyone
 * sees, `views[x]` for each power whose secrets this connection holds (and 'facilitator').
 */
/** The scenario id and version a session's state names. */
function scenarioKey(state: unknown): [string | undefined, string | undefined] {
  const s = state as { scenario?: string; scenarioVersion?: string };
  return [s.scenario, s.scenarioVersion || undefined];
}

export function toSnap(state: unknown, role?: ParticipantRole, scenario?: Scenario): SessionSnap {
  const s = (plain(state) ?? {}) as DecodedState;
  const tables: Record<string, TableSnap> = {};
  for (const [id, t] of Object.entries((s.tables ?? {}) as Record<string, Partial<TableSnap>>)) {
    const views: Record<string, PlayerView> = {};
    const pub = tableView(s, id, 'spectator', scenario);
    if (pub) {
      for (const power of secretHolders(s, id)) views[power] = tableView(s, id, power, scenario)!;
      if (role === 'facilitator') views['facilitator'] = tableView(s, id, 'facilitator', scenario)!;
    }
    tables[id] = {
      id: String(t.id ?? id),
      name: String(t.name ?? id),
      status: (t.status ?? 'waiting') as TableStatus,
      turn: Number(t.turn ?? 0),
      phase: String(t.phase ?? ''),
      deadline: Number(t.deadline ?? 0),
      remaining: Number(t.remaining ?? 0),
      seats: (t.seats ?? {}) as Record<string, SeatShape>,
      scores: String(t.scores ?? ''),
      undoable: Number(t.undoable ?? 0),
      public: pub,
      views,
      orderBy: Object.fromEntries(secretHolders(s, id).map((power) => [power, orderAuthors(s, id, power)])),
      team: Object.values(s.team ?? {})
        .filter((m) => m.table === id)
        .sort((a, b) => a.at - b.at),
    };
  }
  const drafts = s.drafts ?? {};
  const participants: Record<string, ParticipantSnap> = {};
  for (const [id, p] of Object.entries(s.participants ?? {})) {
    participants[id] = drafts[id] ? { ...p, draft: drafts[id].text } : p;
  }
  return {
    code: String(s.code ?? ''),
    scenario: String(s.scenario ?? ''),
    scenarioVersion: String((s as { scenarioVersion?: string }).scenarioVersion ?? ''),
    title: String(s.title ?? ''),
    sandbox: Boolean(s.sandbox),
    kind: s.kind === 'solo' || s.kind === 'open' ? s.kind : 'class',
    startsAt: Number(s.startsAt ?? 0),
    status: (s.status ?? 'lobby') as SessionStatus,
    settings: (s.settings ?? {}) as Settings,
    participants,
    tables,
    announcements: Object.values(s.announcements ?? {}).sort((a, b) => a.id - b.id),
    storage: typeof s.storage === 'string' ? s.storage : '',
    activity: (s.activity ?? {}) as Record<string, ActivityShape>,
  };
}

/** HTTP helpers for the landing page. */
export async function api<T>(path: string, init?: RequestInit): Promise<T> {
  let res: Response;
  try {
    res = await fetch(new URL(path, serverUrl()), { ...init, headers: { 'content-type': 'application/json', ...(init?.headers ?? {}) } });
  } catch {
    throw { code: 'NETWORK', message: 'network' } satisfies ErrorPayload;
  }
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!res.ok) {
    const b = (body ?? {}) as { error?: unknown; code?: string; message?: string };
    const message = typeof b.error === 'string' ? b.error : (b.message ?? res.statusText);
    throw { code: b.code ?? (res.status === 404 ? 'SESSION_NOT_FOUND' : 'HTTP_' + res.status), message } satisfies ErrorPayload;
  }
  return body as T;
}
