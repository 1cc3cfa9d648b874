/**
 * Reading the record back (replay, forks, comparison, debrief, restart) and deleting it (a teacher's
 * request, retention), through the storage interface (server/persistence/sql.ts): the same code reads
 * the SQLite file and PostgreSQL. Shares the recorder's database.
 */
import { timingSafeEqual } from 'node:crypto';
import { type Action, type GameEvent, type GameState, type Scenario, step } from '#shared/index.ts';
import type { Settings } from '#shared/protocol.ts';
import type { Actor, SessionSnapshot } from '../recorder.ts';
import { hashSecret } from '../SessionRoom.ts';
import { applyPatch, FORMAT_PATCH, type Patch, unpack } from './codec.ts';
import type { StoredSnapshot } from './recorder.ts';
import type { SqlDatabase } from './sql.ts';

export interface SessionRow {
  code: string;
  scenarioId: string;
  scenarioHash: string;
  sandbox: boolean;
  settings: Settings;
  secretHash: string;
  createdAt: number;
  updatedAt: number;
  finished: boolean;
  closedAt: number | null;
}

export interface ForkOrigin {
  table: string;
  turn: number;
  phase: string;
  /** The id of the state the fork started from (in `states`). */
  state: number | null;
  /** The session the fork was taken from (the same session, unless said). */
  session?: string;
}

export interface TableRow {
  id: string;
  name: string;
  status: string;
  seed: string | null;
  forkOf: ForkOrigin | null;
  createdAt: number;
}

export interface StoredEntry {
  seq: number;
  at: number;
  table: string;
  kind: 'action' | 'phase' | 'table' | 'session';
  /** The action type, the phase change's reason, or the table/session change. */
  type: string;
  turn: number | null;
  phase: string | null;
  actor: Actor | null;
  /** The action (kind action), or the change's detail. */
  data: unknown;
  events: GameEvent[] | null;
  /** The state kept after this entry, if any. */
  state: number | null;
}

export interface StateRow {
  id: number;
  table: string;
  seq: number;
  turn: number;
  phase: string;
  reason: string;
}

interface RawSession {
  code: string;
  scenario_id: string;
  scenario_hash: string;
  sandbox: number;
  settings: string;
  secret_hash: string;
  created_at: number;
  updated_at: number;
  finished: number;
  closed_at: number | null;
}

function session(r: RawSession): SessionRow {
  return {
    code: r.code,
    scenarioId: r.scenario_id,
    scenarioHash: r.scenario_hash,
    sandbox: r.sandbox === 1,
    settings: JSON.parse(r.settings) as Settings,
    secretHash: r.secret_hash,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    finished: r.finished === 1,
    closedAt: r.closed_at,
  };
}

const parse = <T>(s: string | null): T | null => (s === null ? null : (JSON.parse(s) as T));

const COLS = 'code, scenario_id, scenario_hash, sandbox, settings, secret_hash, created_at, updated_at, finished, closed_at';
const ENTRY_COLS = 'seq, at, table_id, kind, type, turn, phase, actor, data, events, state_id';

interface RawEntry {
  seq: number;
  at: number;
  table_id: string;
  kind: StoredEntry['kind'];
  type: string;
  turn: number | null;
  phase: string | null;
  actor: string | null;
  data: string | null;
  events: string | null;
  state_id: number | null;
}

export class RecordStore {
  readonly db: SqlDatabase;
  private readonly scenarios = new Map<string, Scenario>();
  /** Told when a restored game could not be rebuilt exactly (logged by the server). */
  onProblem?: (code: string, problems: string[]) => void;

  constructor(db: SqlDatabase) {
    this.db = db;
  }

  async session(code: string): Promise<SessionRow | undefined> {
    const r = await this.db.get<RawSession>(`SELECT ${COLS} FROM sessions WHERE code = ?`, [code]);
    return r ? session(r) : undefined;
  }

  async sessions(): Promise<SessionRow[]> {
    return (await this.db.all<RawSession>(`SELECT ${COLS} FROM sessions ORDER BY created_at`)).map(session);
  }

  /** Whether `secret` is this session's facilitator secret (constant time). */
  async checkSecret(code: string, secret: string | undefined): Promise<boolean> {
    const s = await this.session(code);
    if (!s || !secret) return false;
    const given = Buffer.from(hashSecret(secret), 'hex');
    const expected = Buffer.from(s.secretHash, 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  /** The exact scenario content a session was played with (cached: a hash names one content forever). */
  async scenario(hash: string): Promise<Scenario | undefined> {
    let s = this.scenarios.get(hash);
    if (!s) {
      const r = await this.db.get<{ content: string }>('SELECT content FROM scenarios WHERE hash = ?', [hash]);
      if (!r) return undefined;
      s = JSON.parse(r.content) as Scenario;
      this.scenarios.set(hash, s);
    }
    return s;
  }

  async tables(code: string): Promise<TableRow[]> {
    const rows = await this.db.all<{ id: string; name: string; status: string; seed: string | null; fork_of: string | null; created_at: number }>(
      'SELECT id, name, status, seed, fork_of, created_at FROM tables WHERE session = ? ORDER BY created_at, id',
      [code],
    );
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      status: r.status,
      seed: r.seed,
      forkOf: parse<ForkOrigin>(r.fork_of),
      createdAt: r.created_at,
    }));
  }

  async entries(code: string, table?: string): Promise<StoredEntry[]> {
    const rows =
      table === undefined
        ? await this.db.all<RawEntry>(`SELECT ${ENTRY_COLS} FROM entries WHERE session = ? ORDER BY seq`, [code])
        : await this.db.all<RawEntry>(`SELECT ${ENTRY_COLS} FROM entries WHERE session = ? AND table_id = ? ORDER BY seq`, [code, table]);
    return rows.map((r) => ({
      seq: r.seq,
      at: r.at,
      table: r.table_id,
      kind: r.kind,
      type: r.type,
      turn: r.turn,
      phase: r.phase,
      actor: parse<Actor>(r.actor),
      data: parse<unknown>(r.data),
      events: parse<GameEvent[]>(r.events),
      state: r.state_id,
    }));
  }

  async states(code: string, table: string): Promise<StateRow[]> {
    const rows = await this.db.all<{ id: number; table_id: string; seq: number; turn: number; phase: string; reason: string }>(
      'SELECT id, table_id, seq, turn, phase, reason FROM states WHERE session = ? AND table_id = ? ORDER BY id',
      [code, table],
    );
    return rows.map((r) => ({ id: r.id, table: r.table_id, seq: r.seq, turn: r.turn, phase: r.phase, reason: r.reason }));
  }

  /** A kept state's JSON text, or undefined. */
  async stateJson(code: string, id: number): Promise<string | undefined> {
    const state = await this.state(code, id);
    return state === undefined ? undefined : JSON.stringify(state);
  }

  /** A kept state (a new object on each call): its whole JSON, or the patches from the last whole one before it. */
  async state(code: string, id: number): Promise<GameState | undefined> {
    const patches: Patch[] = [];
    let next: number | null = id;
    for (let guard = 0; next !== null && guard < 10_000; guard++) {
      const r: { state: string | Uint8Array; format: number; base: number | null } | undefined = await this.db.get(
        'SELECT state, format, base FROM states WHERE id = ? AND session = ?',
        [next, code],
      );
      if (!r) return undefined;
      const json = unpack(r.state);
      if (r.format === FORMAT_PATCH && r.base !== null) {
        patches.push(JSON.parse(json) as Patch);
        next = r.base;
      } else {
        let state = JSON.parse(json) as Record<string, unknown>;
        for (let i = patches.length - 1; i >= 0; i--) state = applyPatch(state, patches[i]!);
        return state as unknown as GameState;
      }
    }
    return undefined;
  }

  /**
   * A table's current engine state: its last kept state (phase change, start, fork, undo, end) with
   * the table's actions recorded after it replayed through the engine, with the scenario content the
   * session was played with. Every change of a table's game is such an entry (server/table.ts).
   * `problems` receives what could not be replayed (never expected: the engine is deterministic).
   */
  async liveState(code: string, table: string, problems?: (message: string) => void): Promise<GameState | null> {
    const last = await this.db.get<{ id: number; seq: number }>(
      `SELECT id, seq FROM states WHERE session = ? AND table_id = ? AND reason != 'undo_stack' ORDER BY seq DESC, id DESC LIMIT 1`,
      [code, table],
    );
    if (!last) return null;
    let state = await this.state(code, last.id);
    if (!state) {
      problems?.(`the kept state ${last.id} is missing`);
      return null;
    }
    const actions = await this.db.all<{ seq: number; data: string }>(
      `SELECT seq, data FROM entries WHERE session = ? AND table_id = ? AND seq > ? AND kind = 'action' ORDER BY seq`,
      [code, table, last.seq],
    );
    if (actions.length === 0) return state;
    const row = await this.session(code);
    const scenario = row ? await this.scenario(row.scenarioHash) : undefined;
    if (!scenario) {
      problems?.('the scenario content is not stored: the actions after the last kept state cannot be replayed');
      return state;
    }
    for (const a of actions) {
      const r = step(scenario, state, JSON.parse(a.data) as Action);
      if (r.ok) state = r.state;
      else problems?.(`action #${a.seq} is rejected on replay: ${r.rejection.code} ${r.rejection.message}`);
    }
    return state;
  }

  /** The state of a table now, or its final state. */
  latestState(code: string, table: string): Promise<GameState | null> {
    return this.liveState(code, table);
  }

  /** Sessions that a process would re-create: not finished, not closed for good. */
  async restorable(): Promise<string[]> {
    return (await this.db.all<{ code: string }>('SELECT code FROM sessions WHERE finished = 0 AND closed_at IS NULL AND snapshot IS NOT NULL ORDER BY created_at')).map((r) => r.code);
  }

  /** When a server of this record was last alive (ms), 0 if never: written by versions before issue 14. */
  async aliveAt(): Promise<number> {
    const r = await this.db.get<{ value: string }>(`SELECT value FROM meta WHERE key = 'alive_at'`);
    return r ? Number(r.value) : 0;
  }

  /**
   * The session's latest snapshot with every reference resolved, ready for the room's `restore`.
   * Running timers keep the time that was left when the server stopped (at least `graceMs`, so that
   * players have a moment to come back), counted from `now`. `aliveAt`: when the process that hosted
   * the session was last alive.
   */
  async snapshot(code: string, now = Date.now(), graceMs = 0, aliveAt?: number): Promise<SessionSnapshot | undefined> {
    const r = await this.db.get<{ snapshot: string | null; snapshot_at: number | null }>('SELECT snapshot, snapshot_at FROM sessions WHERE code = ?', [code]);
    if (!r?.snapshot) return undefined;
    const stored = JSON.parse(r.snapshot) as StoredSnapshot;
    const stoppedAt = Math.max(aliveAt ?? (await this.aliveAt()), r.snapshot_at ?? 0);
    const problems: string[] = [];
    const tables = [];
    for (const t of stored.tables) {
      const game = t.gameRef ? await this.liveState(code, t.id, (problem) => problems.push(`${t.id}: ${problem}`)) : null;
      const undo: GameState[] = [];
      for (const id of t.undoRefs) {
        const g = await this.state(code, id);
        if (g !== undefined) undo.push(g);
      }
      let deadline = t.deadline;
      if (t.status === 'running' && deadline > 0) deadline = now + Math.max(graceMs, deadline - stoppedAt);
      const { gameRef: _g, undoRefs: _u, ...rest } = t;
      tables.push({ ...rest, game, undo, deadline });
    }
    if (problems.length > 0) this.onProblem?.(code, problems);
    return { ...stored, tables };
  }

  /** Deletes a session and everything recorded about it. Returns whether it existed. */
  deleteSession(code: string): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      await tx.run('DELETE FROM entries WHERE session = ?', [code]);
      await tx.run('DELETE FROM states WHERE session = ?', [code]);
      await tx.run('DELETE FROM tables WHERE session = ?', [code]);
      const n = await tx.run('DELETE FROM sessions WHERE code = ?', [code]);
      await tx.run('DELETE FROM scenarios WHERE hash NOT IN (SELECT scenario_hash FROM sessions)');
      return n > 0;
    });
  }

  /** Sessions whose last activity is older than `cutoff` (ms since epoch). */
  async olderThan(cutoff: number): Promise<string[]> {
    return (await this.db.all<{ code: string }>('SELECT code FROM sessions WHERE updated_at < ?', [cutoff])).map((r) => r.code);
  }
}
