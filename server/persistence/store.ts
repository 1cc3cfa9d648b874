/**
 * Reading the record back (replay, forks, comparison, debrief, restart) and deleting it (a teacher's
 * request, retention). Shares the recorder's connection: the database is held by one process.
 */
import { timingSafeEqual } from 'node:crypto';
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { type Action, type GameEvent, type GameState, type Scenario, step } from '#shared/index.ts';
import type { Settings } from '#shared/protocol.ts';
import type { Actor, SessionSnapshot } from '../recorder.ts';
import { hashSecret } from '../SessionRoom.ts';
import { applyPatch, FORMAT_PATCH, type Patch, unpack } from './codec.ts';
import type { StoredSnapshot } from './recorder.ts';

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

export class RecordStore {
  readonly db: DatabaseSync;
  private readonly q: Record<string, StatementSync>;
  private readonly scenarios = new Map<string, Scenario>();
  /** Told when a restored game could not be rebuilt exactly (logged by the server). */
  onProblem?: (code: string, problems: string[]) => void;

  constructor(db: DatabaseSync) {
    this.db = db;
    const p = (sql: string) => db.prepare(sql);
    const cols = 'code, scenario_id, scenario_hash, sandbox, settings, secret_hash, created_at, updated_at, finished, closed_at';
    this.q = {
      session: p(`SELECT ${cols} FROM sessions WHERE code = ?`),
      sessions: p(`SELECT ${cols} FROM sessions ORDER BY created_at`),
      restorable: p('SELECT code FROM sessions WHERE finished = 0 AND closed_at IS NULL AND snapshot IS NOT NULL ORDER BY created_at'),
      snapshot: p('SELECT snapshot, snapshot_at FROM sessions WHERE code = ?'),
      scenario: p('SELECT content FROM scenarios WHERE hash = ?'),
      tables: p('SELECT id, name, status, seed, fork_of, created_at FROM tables WHERE session = ? ORDER BY created_at, id'),
      lastKept: p(`SELECT id, seq FROM states WHERE session = ? AND table_id = ? AND reason != 'undo_stack' ORDER BY seq DESC, id DESC LIMIT 1`),
      actionsAfter: p(`SELECT seq, data FROM entries WHERE session = ? AND table_id = ? AND seq > ? AND kind = 'action' ORDER BY seq`),
      entries: p('SELECT seq, at, table_id, kind, type, turn, phase, actor, data, events, state_id FROM entries WHERE session = ? ORDER BY seq'),
      tableEntries: p('SELECT seq, at, table_id, kind, type, turn, phase, actor, data, events, state_id FROM entries WHERE session = ? AND table_id = ? ORDER BY seq'),
      states: p('SELECT id, table_id, seq, turn, phase, reason FROM states WHERE session = ? AND table_id = ? ORDER BY id'),
      state: p('SELECT state, format, base FROM states WHERE id = ? AND session = ?'),
      alive: p(`SELECT value FROM meta WHERE key = 'alive_at'`),
      old: p('SELECT code FROM sessions WHERE updated_at < ?'),
      delEntries: p('DELETE FROM entries WHERE session = ?'),
      delStates: p('DELETE FROM states WHERE session = ?'),
      delTables: p('DELETE FROM tables WHERE session = ?'),
      delSession: p('DELETE FROM sessions WHERE code = ?'),
      delScenarios: p('DELETE FROM scenarios WHERE hash NOT IN (SELECT scenario_hash FROM sessions)'),
    };
  }

  session(code: string): SessionRow | undefined {
    const r = this.q.session!.get(code) as RawSession | undefined;
    return r ? session(r) : undefined;
  }

  sessions(): SessionRow[] {
    return (this.q.sessions!.all() as unknown as RawSession[]).map(session);
  }

  /** Whether `secret` is this session's facilitator secret (constant time). */
  checkSecret(code: string, secret: string | undefined): boolean {
    const s = this.session(code);
    if (!s || !secret) return false;
    const given = Buffer.from(hashSecret(secret), 'hex');
    const expected = Buffer.from(s.secretHash, 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  /** The exact scenario content a session was played with. */
  scenario(hash: string): Scenario | undefined {
    let s = this.scenarios.get(hash);
    if (!s) {
      const r = this.q.scenario!.get(hash) as { content: string } | undefined;
      if (!r) return undefined;
      s = JSON.parse(r.content) as Scenario;
      this.scenarios.set(hash, s);
    }
    return s;
  }

  tables(code: string): TableRow[] {
    return (this.q.tables!.all(code) as { id: string; name: string; status: string; seed: string | null; fork_of: string | null; created_at: number }[]).map((r) => ({
      id: r.id,
      name: r.name,
      status: r.status,
      seed: r.seed,
      forkOf: parse<ForkOrigin>(r.fork_of),
      createdAt: r.created_at,
    }));
  }

  entries(code: string, table?: string): StoredEntry[] {
    const rows = (table === undefined ? this.q.entries!.all(code) : this.q.tableEntries!.all(code, table)) as {
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
    }[];
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

  states(code: string, table: string): StateRow[] {
    return (this.q.states!.all(code, table) as { id: number; table_id: string; seq: number; turn: number; phase: string; reason: string }[]).map((r) => ({
      id: r.id,
      table: r.table_id,
      seq: r.seq,
      turn: r.turn,
      phase: r.phase,
      reason: r.reason,
    }));
  }

  /** A kept state's JSON text, or undefined. */
  stateJson(code: string, id: number): string | undefined {
    const state = this.state(code, id);
    return state === undefined ? undefined : JSON.stringify(state);
  }

  /** A kept state (a new object on each call): its whole JSON, or the patches from the last whole one before it. */
  state(code: string, id: number): GameState | undefined {
    const patches: Patch[] = [];
    let next: number | null = id;
    for (let guard = 0; next !== null && guard < 10_000; guard++) {
      const r = this.q.state!.get(next, code) as { state: string | Uint8Array; format: number; base: number | null } | undefined;
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
  liveState(code: string, table: string, problems?: (message: string) => void): GameState | null {
    const last = this.q.lastKept!.get(code, table) as { id: number; seq: number } | undefined;
    if (!last) return null;
    let state = this.state(code, last.id);
    if (!state) {
      problems?.(`the kept state ${last.id} is missing`);
      return null;
    }
    const actions = this.q.actionsAfter!.all(code, table, last.seq) as { seq: number; data: string }[];
    if (actions.length === 0) return state;
    const row = this.session(code);
    const scenario = row ? this.scenario(row.scenarioHash) : undefined;
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
  latestState(code: string, table: string): GameState | null {
    return this.liveState(code, table);
  }

  /** Sessions to re-create at start: not finished, not closed for good. */
  restorable(): string[] {
    return (this.q.restorable!.all() as { code: string }[]).map((r) => r.code);
  }

  /** When the server was last known alive (ms), 0 if never. */
  aliveAt(): number {
    const r = this.q.alive!.get() as { value: string } | undefined;
    return r ? Number(r.value) : 0;
  }

  /**
   * The session's latest snapshot with every reference resolved, ready for the room's `restore`.
   * Running timers keep the time that was left when the server stopped (at least `graceMs`, so that
   * players have a moment to come back), counted from `now`. `aliveAt`: when the previous server
   * process was last alive (read before this process starts writing its own heartbeat).
   */
  snapshot(code: string, now = Date.now(), graceMs = 0, aliveAt = this.aliveAt()): SessionSnapshot | undefined {
    const r = this.q.snapshot!.get(code) as { snapshot: string | null; snapshot_at: number | null } | undefined;
    if (!r?.snapshot) return undefined;
    const stored = JSON.parse(r.snapshot) as StoredSnapshot;
    const stoppedAt = Math.max(aliveAt, r.snapshot_at ?? 0);
    const problems: string[] = [];
    const tables = stored.tables.map((t) => {
      const game = t.gameRef ? this.liveState(code, t.id, (problem) => problems.push(`${t.id}: ${problem}`)) : null;
      const undo = t.undoRefs.map((id) => this.state(code, id)).filter((g): g is GameState => g !== undefined);
      let deadline = t.deadline;
      if (t.status === 'running' && deadline > 0) deadline = now + Math.max(graceMs, deadline - stoppedAt);
      const { gameRef: _g, undoRefs: _u, ...rest } = t;
      return { ...rest, game, undo, deadline };
    });
    if (problems.length > 0) this.onProblem?.(code, problems);
    return { ...stored, tables };
  }

  /** Deletes a session and everything recorded about it. Returns whether it existed. */
  deleteSession(code: string): boolean {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      this.q.delEntries!.run(code);
      this.q.delStates!.run(code);
      this.q.delTables!.run(code);
      const r = this.q.delSession!.run(code);
      this.q.delScenarios!.run();
      this.db.exec('COMMIT');
      return Number(r.changes) > 0;
    } catch (e) {
      this.db.exec('ROLLBACK');
      throw e;
    }
  }

  /** Sessions whose last activity is older than `cutoff` (ms since epoch). */
  olderThan(cutoff: number): string[] {
    return (this.q.old!.all(cutoff) as { code: string }[]).map((r) => r.code);
  }
}
