/**
 * `SqliteRecorder`: the room's `GameRecorder` (server/recorder.ts) writing into the database as the
 * game happens. `record()` only queues the entry (and, at phase changes, starts, forks, undos and
 * ends, the engine state at that moment); everything queued in one turn of the event loop is written
 * in ONE transaction right after (a microtask), together with the session's latest snapshot and each
 * changed table's current state. So a crash (even kill -9) leaves the database at the end of some
 * event-loop turn: entries and snapshot always agree, and no client ever saw a change that is not
 * on disk (patches go out later, on the room's patch interval).
 *
 * A failing write (a full disk, an I/O error) never stops a game: the transaction is rolled back, the
 * queue is kept in memory and written again on the next change or heartbeat, and `onHealth` tells
 * the room so that the facilitator sees it.
 */
import { createHash } from 'node:crypto';
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { GameState, Scenario } from '#shared/index.ts';
import type { Logger } from '../log.ts';
import type { GameRecorder, RecordEntry, SessionSnapshot, TableSnapshot } from '../recorder.ts';

/** A table of a stored snapshot: its game and undo stack are references, resolved on restore. */
export interface StoredTableSnapshot extends Omit<TableSnapshot, 'game' | 'undo'> {
  game: null;
  undo: [];
  /** 'live': `tables.live_state`; null: no game yet. */
  gameRef: 'live' | null;
  /** Ids in `states`, oldest first. */
  undoRefs: number[];
}
export interface StoredSnapshot extends Omit<SessionSnapshot, 'tables'> {
  tables: StoredTableSnapshot[];
}

export interface SqliteRecorderOptions {
  /** The scenario a session plays, by id (its content is stored once, by hash). */
  scenarioOf: (id: string) => Scenario | undefined;
  logger: Logger;
  now?: () => number;
  /** Writing a session's record failed (`problem` says why), or works again (`problem` null). */
  onHealth?: (session: string, problem: string | null) => void;
  /** How often the server's "alive" time is written and a failed write retried (ms; 0: never). */
  heartbeatMs?: number;
}

interface Pending {
  session: string;
  seq: number;
  at: number;
  entry: RecordEntry;
  /** The engine state right after this entry (phase changes, start, fork, undo, end). */
  game?: GameState | null;
  created?: SessionSnapshot;
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

export class SqliteRecorder implements GameRecorder {
  readonly db: DatabaseSync;
  private readonly opts: SqliteRecorderOptions;
  private readonly now: () => number;
  private pending: Pending[] = [];
  private readonly dirty = new Map<string, () => SessionSnapshot>();
  private readonly seqs = new Map<string, number>();
  /** Identity of the state last written as a table's live state, and of states already stored. */
  private readonly liveWritten = new Map<string, GameState | null>();
  private readonly tableMeta = new Map<string, string>();
  private readonly tableSets = new Map<string, string>();
  private readonly stored = new WeakMap<GameState, number>();
  private readonly deleted = new Set<string>();
  private readonly troubled = new Set<string>();
  private scheduled = false;
  private heartbeat: NodeJS.Timeout | undefined;
  private closedDb = false;
  /**
   * Set when the server shuts down: the record stays as it was at that moment. What the rooms do
   * while they close (players "leaving", bots taking their seats) is not recorded, so that a restart
   * resumes the game as it was, not as the shutdown left it.
   */
  frozen = false;
  /** The last write error while failing, else null. */
  problem: string | null = null;
  /** Counters for the bench and the logs. */
  readonly stats = { entries: 0, flushes: 0, failures: 0, stateBytes: 0 };

  private readonly q: Record<string, StatementSync>;

  constructor(db: DatabaseSync, options: SqliteRecorderOptions) {
    this.db = db;
    this.opts = options;
    this.now = options.now ?? Date.now;
    const p = (sql: string) => db.prepare(sql);
    this.q = {
      maxSeq: p('SELECT MAX(seq) AS seq FROM entries WHERE session = ?'),
      scenario: p('INSERT OR IGNORE INTO scenarios (hash, id, content, stored_at) VALUES (?, ?, ?, ?)'),
      session: p(
        `INSERT INTO sessions (code, scenario_id, scenario_hash, sandbox, settings, secret_hash, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (code) DO UPDATE SET closed_at = NULL, updated_at = excluded.updated_at`,
      ),
      snapshot: p('UPDATE sessions SET snapshot = ?, snapshot_seq = ?, snapshot_at = ?, updated_at = ?, settings = ?, finished = ? WHERE code = ?'),
      closed: p('UPDATE sessions SET closed_at = ? WHERE code = ?'),
      tableMeta: p(
        `INSERT INTO tables (session, id, name, status, created_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (session, id) DO UPDATE SET name = excluded.name, status = excluded.status`,
      ),
      tableEnsure: p('INSERT INTO tables (session, id, name, status, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (session, id) DO NOTHING'),
      tableSeed: p('UPDATE tables SET seed = ? WHERE session = ? AND id = ?'),
      tableFork: p('UPDATE tables SET fork_of = ? WHERE session = ? AND id = ?'),
      tableLive: p('UPDATE tables SET live_state = ? WHERE session = ? AND id = ?'),
      tablesOf: p('SELECT id FROM tables WHERE session = ?'),
      dropTable: p('DELETE FROM tables WHERE session = ? AND id = ?'),
      entry: p(
        `INSERT INTO entries (session, seq, at, table_id, kind, type, turn, phase, actor, data, events, state_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      state: p('INSERT INTO states (session, table_id, seq, turn, phase, reason, state) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      alive: p(`INSERT INTO meta (key, value) VALUES ('alive_at', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`),
    };
    const every = options.heartbeatMs ?? 5000;
    if (every > 0) {
      this.heartbeat = setInterval(() => this.beat(), every);
      this.heartbeat.unref();
    }
    this.beat();
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
      const item: Pending = { session, seq: this.nextSeq(session), at: this.now(), entry };
      const created = entry.kind === 'session' && entry.change === 'created';
      if (created || keepsState(entry)) {
        const snap = snapshot();
        if (created) item.created = snap;
        if (entry.kind !== 'session') item.game = snap.tables.find((t) => t.id === entry.table)?.game ?? null;
      }
      this.pending.push(item);
      this.dirty.set(session, snapshot);
      this.schedule();
    } catch (e) {
      this.opts.logger.error({ session, error: String(e) }, 'recording failed');
    }
  }

  closed(session: string, snapshot: SessionSnapshot): void {
    if (this.closedDb || this.frozen || this.deleted.has(session)) return;
    this.dirty.set(session, () => snapshot);
    this.flush();
    try {
      this.q.closed!.run(this.now(), session);
    } catch (e) {
      this.opts.logger.error({ session, error: String(e) }, 'could not mark the session closed');
    }
  }

  // -------------------------------------------------------------------------------------------
  // Writing
  // -------------------------------------------------------------------------------------------

  private nextSeq(session: string): number {
    let seq = this.seqs.get(session);
    if (seq === undefined) {
      const row = this.q.maxSeq!.get(session) as { seq: number | null } | undefined;
      seq = row?.seq ?? 0;
    }
    seq++;
    this.seqs.set(session, seq);
    return seq;
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  /** Writes everything queued, in one transaction. Never throws. Returns whether it was written. */
  flush(): boolean {
    if (this.closedDb) return false;
    if (this.pending.length === 0 && this.dirty.size === 0) return true;
    const items = this.pending;
    const sessions = new Set([...items.map((i) => i.session), ...this.dirty.keys()]);
    // Caches are updated only once the transaction has committed.
    const live = new Map<string, GameState | null>();
    const meta = new Map<string, string>();
    const tableSets = new Map<string, string>();
    const newlyStored: [GameState, number][] = [];
    try {
      this.db.exec('BEGIN IMMEDIATE');
      try {
        for (const item of items) this.writeItem(item, newlyStored);
        for (const [code, thunk] of this.dirty) {
          if (this.deleted.has(code)) continue;
          this.writeSnapshot(code, thunk(), live, meta, tableSets, newlyStored);
        }
        this.db.exec('COMMIT');
      } catch (e) {
        try {
          this.db.exec('ROLLBACK');
        } catch {
          /* the transaction is already gone */
        }
        throw e;
      }
    } catch (e) {
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
    this.pending = [];
    this.dirty.clear();
    for (const [k, v] of live) this.liveWritten.set(k, v);
    for (const [k, v] of meta) this.tableMeta.set(k, v);
    for (const [k, v] of tableSets) this.tableSets.set(k, v);
    for (const [g, id] of newlyStored) this.stored.set(g, id);
    this.stats.entries += items.length;
    this.stats.flushes++;
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

  private storeState(session: string, table: string, seq: number, reason: string, game: GameState, newlyStored: [GameState, number][]): number {
    const json = JSON.stringify(game);
    this.stats.stateBytes += json.length;
    const r = this.q.state!.run(session, table, seq, game.turn, game.phase, reason, json);
    const id = Number(r.lastInsertRowid);
    newlyStored.push([game, id]);
    return id;
  }

  private writeItem(item: Pending, newlyStored: [GameState, number][]): void {
    const { session, seq, at, entry } = item;
    if (item.created) {
      const snap = item.created;
      const scenario = this.opts.scenarioOf(snap.scenario);
      const content = scenario ? scenarioContent(scenario) : { hash: '', json: '' };
      if (scenario) this.q.scenario!.run(content.hash, scenario.id, content.json, at);
      this.q.session!.run(snap.code, snap.scenario, content.hash, snap.sandbox ? 1 : 0, JSON.stringify(snap.settings), snap.secretHash, at, at);
    }
    const table = entry.kind === 'session' ? '' : entry.table;
    let stateId: number | null = null;
    if (item.game && entry.kind !== 'session') {
      const reason = entry.kind === 'phase' ? 'phase' : (entry as { change: string }).change;
      stateId = this.storeState(session, table, seq, reason, item.game, newlyStored);
    }
    if (entry.kind === 'table' && (entry.change === 'start' || entry.change === 'fork')) {
      // The table row may not exist yet (it is written with the snapshot): make sure it does.
      this.q.tableEnsure!.run(session, table, table, 'running', at);
      if (entry.change === 'start') this.q.tableSeed!.run(String((entry.detail as { seed?: string } | undefined)?.seed ?? ''), session, table);
      else this.q.tableFork!.run(JSON.stringify({ ...(entry.detail as object), state: stateId }), session, table);
    }
    switch (entry.kind) {
      case 'action':
        this.q.entry!.run(session, seq, at, table, 'action', entry.action.type, entry.turn, entry.phase, JSON.stringify(entry.actor), JSON.stringify(entry.action), JSON.stringify(entry.events), null);
        break;
      case 'phase':
        this.q.entry!.run(session, seq, at, table, 'phase', entry.reason, entry.turn, entry.phase, null, null, null, stateId);
        break;
      case 'table':
        this.q.entry!.run(session, seq, at, table, 'table', entry.change, item.game?.turn ?? null, item.game?.phase ?? null, null, entry.detail === undefined ? null : JSON.stringify(entry.detail), null, stateId);
        break;
      case 'session':
        this.q.entry!.run(session, seq, at, '', 'session', entry.change, null, null, null, entry.detail === undefined ? null : JSON.stringify(entry.detail), null, null);
        break;
    }
  }

  private writeSnapshot(
    code: string,
    snap: SessionSnapshot,
    live: Map<string, GameState | null>,
    meta: Map<string, string>,
    tableSets: Map<string, string>,
    newlyStored: [GameState, number][],
  ): void {
    const at = this.now();
    const seq = this.seqs.get(code) ?? 0;
    const tables: StoredTableSnapshot[] = [];
    const ids = new Set<string>();
    for (const t of snap.tables) {
      const key = `${code}/${t.id}`;
      ids.add(t.id);
      const m = `${t.name}\u0000${t.status}`;
      if ((meta.get(key) ?? this.tableMeta.get(key)) !== m) {
        this.q.tableMeta!.run(code, t.id, t.name, t.status, at);
        meta.set(key, m);
      }
      const written = live.has(key) ? live.get(key) : this.liveWritten.get(key);
      if (written !== t.game) {
        const json = t.game ? JSON.stringify(t.game) : null;
        if (json) this.stats.stateBytes += json.length;
        this.q.tableLive!.run(json, code, t.id);
        live.set(key, t.game);
      }
      const undoRefs = t.undo.map((g) => {
        const known = this.stored.get(g) ?? newlyStored.find(([x]) => x === g)?.[1];
        return known ?? this.storeState(code, t.id, seq, 'undo_stack', g, newlyStored);
      });
      tables.push({ ...t, game: null, undo: [], gameRef: t.game ? 'live' : null, undoRefs });
    }
    // Tables removed before the start (fac_configure) disappear from the record too.
    const idList = [...ids].join(',');
    if ((tableSets.get(code) ?? this.tableSets.get(code)) !== idList) {
      for (const row of this.q.tablesOf!.all(code) as { id: string }[]) {
        if (!ids.has(row.id)) this.q.dropTable!.run(code, row.id);
      }
      tableSets.set(code, idList);
    }
    const stored: StoredSnapshot = { ...snap, tables };
    const finished = snap.tables.length > 0 && snap.tables.every((t) => t.status === 'ended') ? 1 : 0;
    this.q.snapshot!.run(JSON.stringify(stored), seq, at, at, JSON.stringify(snap.settings), finished, code);
  }

  /** Writes the "alive" time and retries a failed write. */
  beat(): void {
    if (this.closedDb || this.frozen) return;
    if (this.problem !== null) this.flush();
    try {
      this.q.alive!.run(String(this.now()));
    } catch {
      /* reported by flush */
    }
  }

  // -------------------------------------------------------------------------------------------
  // Deleting, closing
  // -------------------------------------------------------------------------------------------

  /** Stop recording a session (it is being deleted): anything still queued for it is dropped. */
  forget(session: string): void {
    this.deleted.add(session);
    this.pending = this.pending.filter((p) => p.session !== session);
    this.dirty.delete(session);
    this.seqs.delete(session);
    for (const k of [...this.liveWritten.keys()]) if (k.startsWith(session + '/')) this.liveWritten.delete(k);
    for (const k of [...this.tableMeta.keys()]) if (k.startsWith(session + '/')) this.tableMeta.delete(k);
    this.tableSets.delete(session);
    if (this.troubled.delete(session)) this.notify(session, null);
  }

  /** The server shuts down: write what is queued and the time, then record nothing more. */
  freeze(): void {
    if (this.closedDb || this.frozen) return;
    this.flush();
    this.beat();
    this.frozen = true;
  }

  /** Writes what is queued and closes the database. */
  close(): void {
    if (this.closedDb) return;
    if (this.heartbeat) clearInterval(this.heartbeat);
    if (!this.frozen) {
      this.flush();
      this.beat();
    }
    this.closedDb = true;
    try {
      this.db.close();
    } catch (e) {
      this.opts.logger.error({ error: String(e) }, 'closing the database failed');
    }
  }
}
