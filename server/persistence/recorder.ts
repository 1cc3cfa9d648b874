/**
 * `DatabaseRecorder`: the room's `GameRecorder` (server/recorder.ts) writing into the record (SQLite
 * or PostgreSQL, through server/persistence/sql.ts) as the game happens. `record()` only queues the
 * entry (and, at phase changes, starts, forks, undos and ends, the engine state at that moment);
 * everything queued is written in ONE transaction right after, together with the session's snapshot
 * if it changed; one write runs at a time, and what is queued meanwhile goes in the next. A client's
 * message is answered only once its write has committed (`committed()`), so a crash (even kill -9)
 * loses nothing that was acknowledged, and entries and snapshot always agree.
 *
 * What one change costs (issue 9): an action is one `entries` row. The engine state is written only
 * when it is kept for good (phase change, start, fork, undo, end, and the undo stack), deflated and,
 * mostly, as a patch against the table's previous kept state (server/persistence/codec.ts). A table's
 * current game is never written: it is the last kept state plus the table's actions recorded after it,
 * replayed through the engine (`RecordStore.liveState`). The session snapshot (participants, seats,
 * timers, settings: small, and no game in it) is written only when its JSON differs from the last one
 * written.
 *
 * A failing write (a full disk, an I/O error) never stops a game: the transaction is rolled back, the
 * queue is kept in memory and written again on the next change or heartbeat, and `onHealth` tells
 * the room so that the facilitator sees it.
 */
import { createHash } from 'node:crypto';
import type { GameState, Scenario } from '#shared/index.ts';
import type { Logger } from '../log.ts';
import type { GameRecorder, RecordEntry, SessionSnapshot, TableSnapshot } from '../recorder.ts';
import { diff, FORMAT_DEFLATE, FORMAT_PATCH, pack } from './codec.ts';
import type { SqlDatabase, SqlValue, Statement } from './sql.ts';

/** A table of a stored snapshot: its game and undo stack are references, resolved on restore. */
export interface StoredTableSnapshot extends Omit<TableSnapshot, 'game' | 'undo'> {
  game: null;
  undo: [];
  /**
   * 'replay': the table's last kept state plus its actions recorded after it (issue 9); 'live': the
   * same (written by older versions, which also kept it whole in `tables.live_state`); null: no game yet.
   */
  gameRef: 'replay' | 'live' | null;
  /** Ids in `states`, oldest first. */
  undoRefs: number[];
}
export interface StoredSnapshot extends Omit<SessionSnapshot, 'tables'> {
  tables: StoredTableSnapshot[];
}

export interface RecorderOptions {
  /** The scenario a session plays, by id (its content is stored once, by hash). */
  scenarioOf: (id: string) => Scenario | undefined;
  logger: Logger;
  now?: () => number;
  /** Writing a session's record failed (`problem` says why), or works again (`problem` null). */
  onHealth?: (session: string, problem: string | null) => void;
  /** How often a failed write is retried (ms; 0: never). */
  heartbeatMs?: number;
  /** This server process (server/persistence/lease.ts): the owner of the sessions it creates, and whose alive time the writes refresh. */
  serverId?: string;
}

interface Pending {
  session: string;
  at: number;
  entry: RecordEntry;
  /** The engine state right after this entry (phase changes, start, fork, undo, end). */
  game?: GameState | null;
  /** The table's undo stack at that moment (its new states are kept before `game`, the better base for their patches). */
  undo?: GameState[];
  created?: SessionSnapshot;
}

/** A kept state: its id, and how many patches lead to it from a whole state. */
interface Kept {
  id: number;
  depth: number;
}
/** The last state kept for a table: the base of the next patch. */
interface Head extends Kept {
  game: GameState;
}

/** At most this many patches in a row: then a whole state again (reading one walks back to a whole one). */
const MAX_CHAIN = 12;
/** The "alive" time and a session's `updated_at` are written at most this often by the flushes. */
const ALIVE_EVERY_MS = 250;
const TOUCH_EVERY_MS = 60_000;

/** What one transaction changes in the caches: applied once it has committed, dropped if it rolls back. */
class Tx {
  readonly heads = new Map<string, Head>();
  readonly kept = new Map<GameState, Kept>();
  readonly meta = new Map<string, string>();
  readonly tableSets = new Map<string, string>();
  readonly snapshots = new Map<string, string>();
  readonly touched = new Map<string, number>();
  readonly seqs = new Map<string, number>();
  /** The statements of this write, sent in one batch. */
  readonly statements: Statement[] = [];
  /** Ids reserved for the states this write keeps. */
  ids: number[] = [];
  /** By session whose set of tables changed: the tables the record has for it. */
  readonly recordedTables = new Map<string, string[]>();
  alive = 0;
  stateBytes = 0;
  statesWritten = 0;
  snapshotsWritten = 0;
}

/** Entries after which the table's engine state is kept for good. */
function keepsState(entry: RecordEntry): boolean {
  if (entry.kind === 'phase') return true;
  return entry.kind === 'table' && (entry.change === 'start' || entry.change === 'fork' || entry.change === 'undo' || entry.change === 'ended');
}

const scenarioHashes = new WeakMap<Scenario, { hash: string; json: string }>();
export function scenarioContent(scenario: Scenario): { hash: string; json: string } {
  let c = scenarioHashes.get(scenario);
  if (!c) {
    const json = JSON.stringify(scenario);
    c = { hash: createHash('sha256').update(json).digest('hex'), json };
    scenarioHashes.set(scenario, c);
  }
  return c;
}

/** How long a group commit may hold the first answer of a burst back (ms). */
const MAX_GROUP_MS = 2;
/** Rows per multi-row INSERT of entries (12 values each, under PostgreSQL's 65,535 parameters). */
const ENTRY_BATCH = 400;

const SQL = {
  scenario: 'INSERT INTO scenarios (hash, id, content, stored_at) VALUES (?, ?, ?, ?) ON CONFLICT (hash) DO NOTHING',
  session: `INSERT INTO sessions (code, scenario_id, scenario_hash, sandbox, settings, secret_hash, created_at, updated_at, owner)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (code) DO UPDATE SET closed_at = NULL, updated_at = excluded.updated_at, owner = excluded.owner`,
  snapshot: 'UPDATE sessions SET snapshot = ?, snapshot_seq = ?, snapshot_at = ?, updated_at = ?, settings = ?, finished = ? WHERE code = ?',
  touch: 'UPDATE sessions SET updated_at = ? WHERE code = ?',
  closed: 'UPDATE sessions SET closed_at = ? WHERE code = ?',
  tableMeta: `INSERT INTO tables (session, id, name, status, created_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (session, id) DO UPDATE SET name = excluded.name, status = excluded.status`,
  tableEnsure: 'INSERT INTO tables (session, id, name, status, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (session, id) DO NOTHING',
  tableSeed: 'UPDATE tables SET seed = ? WHERE session = ? AND id = ?',
  tableFork: 'UPDATE tables SET fork_of = ? WHERE session = ? AND id = ?',
  tablesOf: 'SELECT id FROM tables WHERE session = ?',
  dropTable: 'DELETE FROM tables WHERE session = ? AND id = ?',
  state: 'INSERT INTO states (id, session, table_id, seq, turn, phase, reason, state, format, base) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  alive: 'UPDATE servers SET alive_at = ? WHERE id = ?',
};
const ENTRY_COLUMNS = 'INSERT INTO entries (session, seq, at, table_id, kind, type, turn, phase, actor, data, events, state_id) VALUES ';
const ENTRY_ROW = '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';

export class DatabaseRecorder implements GameRecorder {
  readonly db: SqlDatabase;
  private readonly opts: RecorderOptions;
  private readonly now: () => number;
  private pending: Pending[] = [];
  private dirty = new Map<string, () => SessionSnapshot>();
  /** Sessions closed since the last write: their `closed_at`. */
  private closing = new Map<string, number>();
  private readonly seqs = new Map<string, number>();
  /** By `session/table`: the last state kept for the table (patches are taken against it). */
  private readonly heads = new Map<string, Head>();
  private readonly tableMeta = new Map<string, string>();
  private readonly tableSets = new Map<string, string>();
  /** By session: the JSON of the last snapshot written, and when `updated_at` was last written. */
  private readonly snapshots = new Map<string, string>();
  private readonly touched = new Map<string, number>();
  private aliveWritten = 0;
  /** States already kept (by identity): the undo stack refers to them, a state kept again is an empty patch. */
  private readonly kept = new WeakMap<GameState, Kept>();
  private readonly deleted = new Set<string>();
  private readonly troubled = new Set<string>();
  private scheduled = false;
  private heartbeat: NodeJS.Timeout | undefined;
  private closedDb = false;
  /** The write running now, if any: the next one starts after it. */
  private writing: Promise<boolean> | null = null;
  /**
   * Set when the server shuts down: the record stays as it was at that moment. What the rooms do
   * while they close (players "leaving", bots taking their seats) is not recorded, so that a restart
   * resumes the game as it was, not as the shutdown left it.
   */
  frozen = false;
  /** The last write error while failing, else null. */
  problem: string | null = null;
  /** Counters for the bench and the logs (stateBytes: the stored, deflated bytes of kept states). */
  readonly stats = { entries: 0, flushes: 0, failures: 0, stateBytes: 0, states: 0, snapshots: 0, maxFlushMs: 0 };

  constructor(db: SqlDatabase, options: RecorderOptions) {
    this.db = db;
    this.opts = options;
    this.now = options.now ?? Date.now;
    const every = options.heartbeatMs ?? 5000;
    if (every > 0) {
      this.heartbeat = setInterval(() => this.beat(), every);
      this.heartbeat.unref();
    }
  }

  // -------------------------------------------------------------------------------------------
  // GameRecorder
  // -------------------------------------------------------------------------------------------

  record(session: string, entry: RecordEntry, snapshot: () => SessionSnapshot): void {
    if (this.closedDb || this.frozen || !session) return;
    if (this.deleted.has(session)) {
      // A deleted session's code may be claimed again by a new session.
      if (entry.kind === 'session' && entry.change === 'created') this.deleted.delete(session);
      else return;
    }
    try {
      const item: Pending = { session, at: this.now(), entry };
      const created = entry.kind === 'session' && entry.change === 'created';
      if (created || keepsState(entry)) {
        const snap = snapshot();
        if (created) item.created = snap;
        if (entry.kind !== 'session') {
          const t = snap.tables.find((x) => x.id === entry.table);
          item.game = t?.game ?? null;
          if (t && t.undo.length > 0) item.undo = t.undo;
        }
      }
      this.pending.push(item);
      // A game action changes only the game, which is rebuilt from the entries: the session's snapshot
      // (participants, seats, timers, settings) changes with the other kinds of entry.
      if (entry.kind !== 'action') this.dirty.set(session, snapshot);
      this.schedule();
    } catch (e) {
      this.opts.logger.error({ session, error: String(e) }, 'recording failed');
    }
  }

  closed(session: string, snapshot: SessionSnapshot): void {
    if (this.closedDb || this.frozen || this.deleted.has(session)) return;
    this.dirty.set(session, () => snapshot);
    this.closing.set(session, this.now());
    void this.flush();
  }

  // -------------------------------------------------------------------------------------------
  // Writing
  // -------------------------------------------------------------------------------------------

  /** The next entry number of `session` (its last one is known: `prepare` read what was missing). */
  private nextSeq(tx: Tx, session: string): number {
    const seq = (tx.seqs.get(session) ?? this.seqs.get(session) ?? 0) + 1;
    tx.seqs.set(session, seq);
    return seq;
  }

  /** Ids reserved ahead for kept states, taken in order. */
  private idPool: number[] = [];

  /**
   * What a write must read before it is built (rarely anything): the last entry number of a session
   * this process has not written yet (restored, taken over), the recorded tables of a session whose
   * tables changed, and enough state ids.
   */
  private async prepare(tx: Tx, items: Pending[], snaps: [string, SessionSnapshot][]): Promise<void> {
    const unknown = [...new Set(items.map((i) => i.session))].filter((code) => !this.seqs.has(code) && !this.deleted.has(code));
    if (unknown.length > 0) {
      const rows = await this.db.all<{ session: string; seq: number | null }>(
        `SELECT session, MAX(seq) AS seq FROM entries WHERE session IN (${unknown.map(() => '?').join(', ')}) GROUP BY session`,
        unknown,
      );
      for (const code of unknown) tx.seqs.set(code, 0);
      for (const r of rows) tx.seqs.set(r.session, Number(r.seq ?? 0));
    }
    for (const [code, snap] of snaps) {
      if (this.tableSets.get(code) === snap.tables.map((t) => t.id).join(',')) continue;
      const rows = await this.db.all<{ id: string }>(SQL.tablesOf, [code]);
      tx.recordedTables.set(
        code,
        rows.map((r) => r.id),
      );
    }
    let bound = 0;
    for (const item of items) if (item.game) bound += 1 + (item.undo?.length ?? 0);
    for (const [, snap] of snaps) for (const t of snap.tables) bound += t.undo.length;
    if (this.idPool.length < bound) this.idPool.push(...(await this.db.reserveStateIds(Math.max(64, bound - this.idPool.length))));
    tx.ids = this.idPool;
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      // A client message waits for `committed()`: its commit is shared with the other messages of this
      // turn of the event loop. Changes made by timers are written at once.
      if (!this.grouping) void this.flush();
    });
  }

  private grouping = false;
  private groupStarted = 0;
  private waiting: (() => void)[] = [];

  committed(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      const now = performance.now();
      if (!this.grouping) {
        this.grouping = true;
        this.groupStarted = now;
        // setImmediate runs after this poll phase's I/O callbacks: every message read in this turn is
        // committed together, and answered once the commit is done.
        setImmediate(() => {
          this.grouping = false;
          this.commitWaiting();
        });
      } else if (now - this.groupStarted > MAX_GROUP_MS) {
        // A long burst: do not hold the first answers back for the whole burst.
        this.commitWaiting();
        this.groupStarted = now;
      }
    });
  }

  private commitWaiting(): void {
    const waiting = this.waiting;
    this.waiting = [];
    // Answered whether the write worked or not: a failing write never stops a game (the room warns the facilitator).
    void this.flush().then(() => {
      for (const done of waiting) done();
    });
  }

  /**
   * Writes everything queued so far, in one transaction; resolves once it is committed (true) or has
   * failed (false: kept in memory and tried again). Never rejects. Writes run one at a time: a flush
   * asked during a write starts right after it, with what was queued meanwhile.
   */
  flush(): Promise<boolean> {
    if (this.writing) {
      // The running write took its queue when it started: this caller's entries need the next one.
      return this.writing.then(() => this.flush());
    }
    const run = this.write().finally(() => {
      this.writing = null;
    });
    this.writing = run;
    return run;
  }

  private async write(): Promise<boolean> {
    if (this.closedDb) return false;
    if (this.pending.length === 0 && this.dirty.size === 0 && this.closing.size === 0) return true;
    const started = performance.now();
    // Everything queued until now, and the sessions' snapshots as they are now (taken before any await,
    // so that they agree with the entries).
    const items = this.pending;
    const dirty = this.dirty;
    const closing = this.closing;
    this.pending = [];
    this.dirty = new Map();
    this.closing = new Map();
    const at = this.now();
    const snaps: [string, SessionSnapshot][] = [];
    for (const [code, thunk] of dirty) {
      if (this.deleted.has(code)) continue;
      try {
        snaps.push([code, thunk()]);
      } catch (e) {
        this.opts.logger.error({ session: code, error: String(e) }, 'a session snapshot could not be taken');
      }
    }
    const sessions = new Set([...items.map((i) => i.session), ...dirty.keys()]);
    // Caches are updated only once the transaction has committed.
    const tx = new Tx();
    try {
      await this.prepare(tx, items, snaps);
      // Built without waiting on anything, then sent as one batch (one round trip to PostgreSQL).
      const rows: SqlValue[][] = [];
      for (const item of items) {
        if (this.deleted.has(item.session)) continue;
        rows.push(this.writeItem(tx, item));
      }
      // The rows of the states and tables go first: the entries name them.
      const entries: Statement[] = [];
      for (let i = 0; i < rows.length; i += ENTRY_BATCH) {
        const batch = rows.slice(i, i + ENTRY_BATCH);
        entries.push({ sql: ENTRY_COLUMNS + batch.map(() => ENTRY_ROW).join(', '), params: batch.flat() });
      }
      tx.statements.push(...entries);
      for (const [code, snap] of snaps) this.writeSnapshot(tx, code, snap, at);
      for (const [code, when] of closing) if (!this.deleted.has(code)) tx.statements.push({ sql: SQL.closed, params: [when, code] });
      if (this.opts.serverId && at - this.aliveWritten >= ALIVE_EVERY_MS) {
        tx.statements.push({ sql: SQL.alive, params: [at, this.opts.serverId] });
        tx.alive = at;
      }
      await this.db.batch(tx.statements);
    } catch (e) {
      // Kept for the next write, before anything queued meanwhile.
      this.pending = items.concat(this.pending);
      for (const [k, v] of dirty) if (!this.dirty.has(k)) this.dirty.set(k, v);
      for (const [k, v] of closing) if (!this.closing.has(k)) this.closing.set(k, v);
      this.stats.failures++;
      const message = e instanceof Error ? e.message : String(e);
      const first = this.problem === null;
      this.problem = message;
      if (first) this.opts.logger.error({ error: message, queued: items.length, sessions: [...sessions] }, 'storage write failed: games go on in memory; retrying');
      for (const s of sessions) {
        if (this.troubled.has(s)) continue;
        this.troubled.add(s);
        this.notify(s, message);
      }
      return false;
    }
    // A session forgotten while this write ran (deleted, or taken over) keeps no cache: its code may come back.
    const gone = (key: string) => this.deleted.has(key.split('/')[0]!);
    for (const [k, v] of tx.seqs) if (!gone(k)) this.seqs.set(k, v);
    for (const [k, v] of tx.heads) if (!gone(k)) this.heads.set(k, v);
    for (const [g, v] of tx.kept) this.kept.set(g, v);
    for (const [k, v] of tx.meta) if (!gone(k)) this.tableMeta.set(k, v);
    for (const [k, v] of tx.tableSets) if (!gone(k)) this.tableSets.set(k, v);
    for (const [k, v] of tx.snapshots) if (!gone(k)) this.snapshots.set(k, v);
    for (const [k, v] of tx.touched) if (!gone(k)) this.touched.set(k, v);
    if (tx.alive) this.aliveWritten = tx.alive;
    this.stats.entries += items.length;
    this.stats.flushes++;
    this.stats.stateBytes += tx.stateBytes;
    this.stats.states += tx.statesWritten;
    this.stats.snapshots += tx.snapshotsWritten;
    this.stats.maxFlushMs = Math.max(this.stats.maxFlushMs, performance.now() - started);
    if (this.problem !== null) {
      this.opts.logger.warn({ written: items.length }, 'storage works again: the queued record was written');
      this.problem = null;
      for (const s of this.troubled) this.notify(s, null);
      this.troubled.clear();
    }
    return true;
  }

  private notify(session: string, problem: string | null): void {
    try {
      this.opts.onHealth?.(session, problem);
    } catch (e) {
      this.opts.logger.error({ session, error: String(e) }, 'storage health listener failed');
    }
  }

  private keptOf(tx: Tx, game: GameState): Kept | undefined {
    return tx.kept.get(game) ?? this.kept.get(game);
  }

  /**
   * Keeps a state for good: deflated, as a patch against the table's previous kept state (or against
   * itself if it was kept before, e.g. an undo back to a state of the undo stack), whole after
   * `MAX_CHAIN` patches or when no patch applies. Returns its id.
   */
  private storeState(tx: Tx, session: string, table: string, seq: number, reason: string, game: GameState): number {
    const key = `${session}/${table}`;
    const head = tx.heads.get(key) ?? this.heads.get(key);
    const same = this.keptOf(tx, game);
    let json: string | undefined;
    let base: number | null = null;
    let depth = 0;
    if (same && same.depth < MAX_CHAIN) {
      json = '{}';
      base = same.id;
      depth = same.depth + 1;
    } else if (head && head.depth < MAX_CHAIN) {
      const patch = diff(head.game as unknown as Record<string, unknown>, game as unknown as Record<string, unknown>);
      if (patch !== 'replace') {
        json = JSON.stringify(patch ?? {});
        base = head.id;
        depth = head.depth + 1;
      }
    }
    json ??= JSON.stringify(game);
    const data = pack(json);
    tx.stateBytes += data.length;
    tx.statesWritten++;
    const id = tx.ids.shift();
    if (id === undefined) throw new Error('no state id reserved');
    tx.statements.push({ sql: SQL.state, params: [id, session, table, seq, game.turn, game.phase, reason, data, base === null ? FORMAT_DEFLATE : FORMAT_PATCH, base] });
    tx.heads.set(key, { id, depth, game });
    if (!same) tx.kept.set(game, { id, depth });
    return id;
  }

  /** The ids of a table's undo stack, keeping the states not kept yet. */
  private undoRefs(tx: Tx, session: string, table: string, seq: number, undo: GameState[]): number[] {
    return undo.map((g) => this.keptOf(tx, g)?.id ?? this.storeState(tx, session, table, seq, 'undo_stack', g));
  }

  /** Writes what goes with an entry (its session, table, kept state) and returns the entry's row. */
  private writeItem(tx: Tx, item: Pending): SqlValue[] {
    const { session, at, entry } = item;
    const seq = this.nextSeq(tx, session);
    const run = (sql: string, params: SqlValue[]) => tx.statements.push({ sql, params });
    if (item.created) {
      const snap = item.created;
      const scenario = this.opts.scenarioOf(snap.scenario);
      const content = scenario ? scenarioContent(scenario) : { hash: '', json: '' };
      if (scenario) run(SQL.scenario, [content.hash, scenario.id, content.json, at]);
      run(SQL.session, [snap.code, snap.scenario, content.hash, snap.sandbox ? 1 : 0, JSON.stringify(snap.settings), snap.secretHash, at, at, this.opts.serverId ?? null]);
      tx.touched.set(session, at);
    }
    const table = entry.kind === 'session' ? '' : entry.table;
    let stateId: number | null = null;
    if (item.game && entry.kind !== 'session') {
      // The undo stack's new state (just before a resolution) first: the resolved state is a small patch on it.
      if (item.undo) this.undoRefs(tx, session, table, seq, item.undo);
      const reason = entry.kind === 'phase' ? 'phase' : (entry as { change: string }).change;
      stateId = this.storeState(tx, session, table, seq, reason, item.game);
    }
    if (entry.kind === 'table' && (entry.change === 'start' || entry.change === 'fork')) {
      // The table row may not exist yet (it is written with the snapshot): make sure it does.
      run(SQL.tableEnsure, [session, table, table, 'running', at]);
      if (entry.change === 'start') run(SQL.tableSeed, [String((entry.detail as { seed?: string } | undefined)?.seed ?? ''), session, table]);
      else run(SQL.tableFork, [JSON.stringify({ ...(entry.detail as object), state: stateId }), session, table]);
    }
    switch (entry.kind) {
      case 'action':
        return [session, seq, at, table, 'action', entry.action.type, entry.turn, entry.phase, JSON.stringify(entry.actor), JSON.stringify(entry.action), JSON.stringify(entry.events), null];
      case 'phase':
        return [session, seq, at, table, 'phase', entry.reason, entry.turn, entry.phase, null, null, null, stateId];
      case 'table':
        return [session, seq, at, table, 'table', entry.change, item.game?.turn ?? null, item.game?.phase ?? null, null, entry.detail === undefined ? null : JSON.stringify(entry.detail), null, stateId];
      case 'session':
        return [session, seq, at, '', 'session', entry.change, null, null, null, entry.detail === undefined ? null : JSON.stringify(entry.detail), null, null];
    }
  }

  /**
   * The session's snapshot, without the games (a table's game is its kept states and actions), written
   * only if it differs from the last one written. Otherwise `updated_at` (for retention) at most once a minute.
   */
  private writeSnapshot(tx: Tx, code: string, snap: SessionSnapshot, at: number): void {
    const run = (sql: string, params: SqlValue[]) => tx.statements.push({ sql, params });
    const seq = tx.seqs.get(code) ?? this.seqs.get(code) ?? 0;
    const tables: StoredTableSnapshot[] = [];
    const ids = new Set<string>();
    for (const t of snap.tables) {
      const key = `${code}/${t.id}`;
      ids.add(t.id);
      const m = `${t.name}\u0000${t.status}`;
      if ((tx.meta.get(key) ?? this.tableMeta.get(key)) !== m) {
        run(SQL.tableMeta, [code, t.id, t.name, t.status, at]);
        tx.meta.set(key, m);
      }
      const undoRefs = t.undo.length === 0 ? [] : this.undoRefs(tx, code, t.id, seq, t.undo);
      tables.push({ ...t, game: null, undo: [], gameRef: t.game ? 'replay' : null, undoRefs });
    }
    // Tables removed before the start (fac_configure) disappear from the record too.
    const idList = [...ids].join(',');
    if ((tx.tableSets.get(code) ?? this.tableSets.get(code)) !== idList) {
      for (const id of tx.recordedTables.get(code) ?? []) {
        if (!ids.has(id)) run(SQL.dropTable, [code, id]);
      }
      tx.tableSets.set(code, idList);
    }
    const json = JSON.stringify({ ...snap, tables } satisfies StoredSnapshot);
    if ((tx.snapshots.get(code) ?? this.snapshots.get(code)) === json) {
      if (at - (tx.touched.get(code) ?? this.touched.get(code) ?? 0) >= TOUCH_EVERY_MS) {
        run(SQL.touch, [at, code]);
        tx.touched.set(code, at);
      }
      return;
    }
    const finished = snap.tables.length > 0 && snap.tables.every((t) => t.status === 'ended') ? 1 : 0;
    run(SQL.snapshot, [json, seq, at, at, JSON.stringify(snap.settings), finished, code]);
    tx.snapshots.set(code, json);
    tx.touched.set(code, at);
    tx.snapshotsWritten++;
  }

  /** Retries a failed write. */
  beat(): void {
    if (this.closedDb || this.frozen) return;
    if (this.problem !== null) void this.flush();
  }

  // -------------------------------------------------------------------------------------------
  // Deleting, closing
  // -------------------------------------------------------------------------------------------

  /** Stop recording a session (it is being deleted, or another process has taken it over): anything still queued for it is dropped. */
  forget(session: string): void {
    this.deleted.add(session);
    this.pending = this.pending.filter((p) => p.session !== session);
    this.dirty.delete(session);
    this.closing.delete(session);
    this.seqs.delete(session);
    for (const k of [...this.heads.keys()]) if (k.startsWith(session + '/')) this.heads.delete(k);
    for (const k of [...this.tableMeta.keys()]) if (k.startsWith(session + '/')) this.tableMeta.delete(k);
    this.tableSets.delete(session);
    this.snapshots.delete(session);
    this.touched.delete(session);
    if (this.troubled.delete(session)) this.notify(session, null);
  }

  /** A session (re-created from the record, or taken over) is recorded again by this process. */
  resume(session: string): void {
    this.deleted.delete(session);
    this.seqs.delete(session);
  }

  /** The server shuts down: write what is queued, then record nothing more. */
  async freeze(): Promise<void> {
    if (this.closedDb || this.frozen) return;
    await this.flush();
    this.frozen = true;
  }

  /** Writes what is queued and closes the database. */
  async close(): Promise<void> {
    if (this.closedDb) return;
    if (this.heartbeat) clearInterval(this.heartbeat);
    if (!this.frozen) await this.flush();
    else if (this.writing) await this.writing;
    this.closedDb = true;
    try {
      await this.db.close();
    } catch (e) {
      this.opts.logger.error({ error: String(e) }, 'closing the database failed');
    }
  }
}
