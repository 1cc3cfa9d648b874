/**
 * The compact record (issue 9): a table's current game is not written after each action; it is the
 * last kept state plus the actions recorded after it, replayed through the engine. A game stopped
 * mid-turn comes back as the identical GameState (and undo stack), whatever happened in the turn:
 * player messages, proposals and replies, orders, a seat taken from a bot (the server's ready:false),
 * a facilitator's event, a sandbox undo, a restart in between. And a finished 8-turn Hanoi game costs
 * less than 100 KiB of record. Real `Table`s drive a real `DatabaseRecorder`: no room, no port. The
 * replay and size suites run against both backends of the record (issue 14), a SQLite file and a
 * database on a throwaway PostgreSQL server; the schema-1 upgrade is SQLite's own history.
 */
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { migrate, openDatabase } from '../../server/persistence/db.ts';
import { MIGRATIONS } from '../../server/persistence/migrations.ts';
import { openRecord, type RecordLocation } from '../../server/persistence/open.ts';
import { DatabaseRecorder } from '../../server/persistence/recorder.ts';
import type { SqlDatabase } from '../../server/persistence/sql.ts';
import { SqliteDatabase } from '../../server/persistence/sqlite.ts';
import { RecordStore } from '../../server/persistence/store.ts';
import { verifyTable } from '../../server/persistence/verify.ts';
import type { SessionSnapshot } from '../../server/recorder.ts';
import { Table } from '../../server/table.ts';
import { type Action, botActions, botReplies, type GameState, type Scenario } from '../../shared/index.ts';
import { DEFAULT_SETTINGS, type Settings } from '../../shared/protocol.ts';
import { HANOI, loadScenario, THREE } from '../helpers/scenarios.ts';
import { recordBackends } from './persistence-helpers.ts';

const logger = pino({ level: 'silent' });
const hanoi = loadScenario(HANOI);
const three = loadScenario(THREE);
const record = recordBackends('bamboo-compact-');

/** JSON's view of a value: what a record can hold. */
const plain = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

/** One session of one table, recorded into a record (a new recorder: a new server process). */
class Rig {
  readonly recorder: DatabaseRecorder;
  readonly store: RecordStore;
  readonly db: SqlDatabase;
  table!: Table;
  clock = 1_000_000;
  readonly code: string;
  readonly scenario: Scenario;
  readonly sandbox: boolean;
  readonly settings: Settings = { ...DEFAULT_SETTINGS, negotiationSeconds: 600, ordersSeconds: 600 };
  /** Opens (and migrates) the record at `where`: a SQLite file or a PostgreSQL database. */
  static async open(where: RecordLocation, code: string, scenario: Scenario, sandbox: boolean): Promise<Rig> {
    return new Rig(await openRecord(where), code, scenario, sandbox);
  }
  private constructor(db: SqlDatabase, code: string, scenario: Scenario, sandbox: boolean) {
    this.code = code;
    this.scenario = scenario;
    this.sandbox = sandbox;
    this.db = db;
    this.recorder = new DatabaseRecorder(this.db, { scenarioOf: () => scenario, logger, heartbeatMs: 0, now: () => this.clock });
    this.store = new RecordStore(this.db);
  }
  env() {
    return {
      now: () => this.clock,
      settings: () => this.settings,
      sandbox: this.sandbox,
      record: (entry: Parameters<DatabaseRecorder['record']>[1]) => this.recorder.record(this.code, entry, () => this.snapshot()),
      resolved: () => {},
      warn: () => {},
    };
  }
  snapshot(): SessionSnapshot {
    return {
      version: 1,
      code: this.code,
      scenario: this.scenario.id,
      sandbox: this.sandbox,
      settings: this.settings,
      secretHash: '0'.repeat(64),
      nextParticipant: 5,
      participants: [],
      tables: [this.table.snapshot()],
      announcements: [],
    };
  }
  create(): void {
    this.table = new Table('t1', 'Table 1', this.scenario, this.env());
    this.recorder.record(this.code, { kind: 'session', change: 'created' }, () => this.snapshot());
  }
  /** A restart: the table comes back from the stored snapshot, as the room's `restore` does. */
  async restore(): Promise<void> {
    const snap = (await this.store.snapshot(this.code))!;
    this.table = Table.restore(snap.tables[0]!, this.scenario, this.env());
    this.recorder.record(this.code, { kind: 'session', change: 'created' }, () => this.snapshot());
  }
  async close(): Promise<void> {
    await this.recorder.flush();
    await this.recorder.close();
  }
}

const game = (r: Rig) => r.table.game as GameState;
/** What a bot would do for `power`, done by the person in that seat (messages, proposals, replies, orders). */
function playAsHuman(r: Rig, power: string, kinds: Action['type'][], limit = 3): number {
  let n = 0;
  for (const decide of [botReplies, botActions]) {
    for (const a of decide(r.scenario, game(r), power)) {
      if (n >= limit || !kinds.includes(a.type)) continue;
      if (r.table.act(a, { kind: 'participant', participant: 'p1' }).ok) n++;
    }
  }
  if (kinds.includes('message')) {
    const to = r.scenario.powers.find((p) => p.id !== power)!.id;
    if (r.table.act({ type: 'message', power, to: [to], text: `turn ${game(r).turn} ${game(r).phase}: hello` }, { kind: 'participant', participant: 'p1' }).ok) n++;
  }
  return n;
}

async function expectRestoredExactly(r: Rig): Promise<void> {
  await r.recorder.flush();
  const live = await r.store.liveState(r.code, 't1');
  expect(live).toEqual(plain(r.table.game));
  const snap = (await r.store.snapshot(r.code))!;
  const t = snap.tables[0]!;
  expect(t.game).toEqual(plain(r.table.game));
  expect(t.undo).toEqual(plain(r.table.undo));
  expect(t.seats).toEqual(plain([...r.table.seats.values()]));
  expect(t.status).toBe(r.table.status);
}

interface Case {
  name: string;
  scenario: Scenario;
  sandbox?: boolean;
  /** Phases ended (by the facilitator) before the turn in which it stops. */
  phases: number;
  /** What happens in the turn it stops in. */
  during: (r: Rig, human: string) => void;
  /** A restart after `phases`, then one more phase, before `during`. */
  restartBefore?: boolean;
}

const CASES: Case[] = [
  { name: 'Hanoi, negotiation of turn 1: messages and proposals', scenario: hanoi, phases: 0, during: (r, h) => void playAsHuman(r, h, ['message', 'propose', 'respond'], 4) },
  { name: 'Hanoi, orders of turn 3: orders given, not ready', scenario: hanoi, phases: 5, during: (r, h) => void playAsHuman(r, h, ['set_orders'], 2) },
  {
    name: 'Hanoi, negotiation of turn 5: replies to the bots, then ready',
    scenario: hanoi,
    phases: 8,
    during: (r, h) => {
      playAsHuman(r, h, ['respond', 'message', 'propose'], 5);
      r.table.act({ type: 'ready', power: h, ready: true }, { kind: 'participant', participant: 'p1' });
    },
  },
  {
    name: 'three powers: a seat taken from a ready bot (the server un-readies it)',
    scenario: three,
    phases: 2,
    during: (r) => {
      const power = r.scenario.powers[1]!.id;
      expect(game(r).powers[power]!.ready).toBe(true);
      r.table.setOccupant(power, 'p2');
      expect(game(r).powers[power]!.ready).toBe(false);
      playAsHuman(r, power, ['message', 'propose'], 2);
    },
  },
  {
    name: 'Hanoi: a facilitator event mid-turn',
    scenario: hanoi,
    phases: 2,
    during: (r, h) => {
      const event = r.scenario.events.find((e) => r.table.act({ type: 'trigger_event', event: e.id }, { kind: 'facilitator', participant: 'p0' }).ok);
      expect(event).toBeDefined();
      playAsHuman(r, h, ['message'], 1);
    },
  },
  {
    name: 'sandbox: two resolutions, an undo, then orders',
    scenario: three,
    sandbox: true,
    phases: 4,
    during: (r) => {
      expect(r.table.undoLast().ok).toBe(true);
      expect(game(r).phase).toBe('orders');
      // Back before the resolution: the facilitator changes a power's mind, and its orders.
      const power = r.scenario.powers[0]!.id;
      expect(r.table.act({ type: 'ready', power, ready: false }, { kind: 'facilitator', participant: 'p0' }).ok).toBe(true);
      expect(r.table.act({ type: 'set_orders', power, orders: [] }, { kind: 'facilitator', participant: 'p0' }).ok).toBe(true);
    },
  },
  { name: 'Hanoi: a restart at turn 2, then stopped in the orders of turn 3', scenario: hanoi, phases: 3, restartBefore: true, during: (r, h) => void playAsHuman(r, h, ['set_orders', 'message'], 3) },
];

describe.each(record.backends)('replay on restore, in $name: a game stopped mid-turn comes back identical', (backend) => {
  it.each(CASES.map((c, i) => [c.name, c, i] as const))('%s', async (_name, c, i) => {
    const where = await record.fresh(backend, `case_${i}`);
    const code = `CASE${i}`;
    let r = await Rig.open(where, code, c.scenario, c.sandbox ?? false);
    r.create();
    const human = c.scenario.powers[0]!.id;
    if (!c.sandbox) r.table.setOccupant(human, 'p1');
    expect(r.table.start(`${code}/t1`).ok).toBe(true);
    for (let i = 0; i < c.phases; i++) {
      if (i % 2 === 0) playAsHuman(r, human, ['message', 'propose', 'set_orders'], 2);
      r.clock += 1000;
      expect(r.table.endPhase().ok).toBe(true);
    }
    if (c.restartBefore) {
      await expectRestoredExactly(r);
      await r.close();
      r = await Rig.open(where, code, c.scenario, c.sandbox ?? false);
      await r.restore();
      expect(r.table.endPhase().ok).toBe(true);
    }
    c.during(r, human);
    await expectRestoredExactly(r);
    // Not a single state was written since the turn's last phase change: the game is rebuilt from actions.
    const last = (await r.db.get<{ seq: number }>("SELECT MAX(seq) AS seq FROM states WHERE session = ? AND reason != 'undo_stack'", [code]))!;
    expect(last.seq).toBeGreaterThan(0);
    const after = (await r.db.get<{ n: number }>("SELECT COUNT(*) AS n FROM entries WHERE session = ? AND kind = 'action' AND seq > ?", [code, last.seq]))!;
    expect(after.n).toBeGreaterThan(0);
    // And the whole log still verifies.
    expect((await verifyTable(r.store, code, 't1')).problems).toEqual([]);
    await r.close();
  });
});

/**
 * The record's own bytes for a session: every value stored for it (the scenario content, shared by all
 * sessions, excluded). LENGTH counts a blob's bytes and a text's characters in both SQLite and PostgreSQL.
 */
async function recordBytes(db: SqlDatabase, code: string): Promise<number> {
  const one = async (sql: string) => Number((await db.get<{ n: number | null }>(sql, [code]))?.n ?? 0);
  const parts = [
    await one('SELECT SUM(LENGTH(state) + 40) AS n FROM states WHERE session = ?'),
    await one('SELECT SUM(COALESCE(LENGTH(data), 0) + COALESCE(LENGTH(events), 0) + COALESCE(LENGTH(actor), 0) + LENGTH(type) + COALESCE(LENGTH(phase), 0) + 40) AS n FROM entries WHERE session = ?'),
    await one('SELECT SUM(COALESCE(LENGTH(live_state), 0) + COALESCE(LENGTH(fork_of), 0) + COALESCE(LENGTH(seed), 0) + 40) AS n FROM tables WHERE session = ?'),
    await one('SELECT SUM(COALESCE(LENGTH(snapshot), 0) + LENGTH(settings) + 120) AS n FROM sessions WHERE code = ?'),
  ];
  // Each part holds something (a query that silently counts nothing would make the limit meaningless).
  for (const n of parts) expect(n).toBeGreaterThan(0);
  return parts.reduce((a, b) => a + b, 0);
}

describe.each(record.backends)('the size of a finished game, in $name', (backend) => {
  it.each([
    ['a scripted 8-turn Hanoi game, one person and three bots', 'SIZE1', 1],
    ['a scripted 8-turn Hanoi game, two people and two bots', 'SIZE2', 2],
  ] as const)('%s: under 100 KiB of record', async (_name, code, humans) => {
    const r = await Rig.open(await record.fresh(backend, code), code, hanoi, false);
    r.create();
    const people = hanoi.powers.slice(0, humans).map((p) => p.id);
    for (const [i, p] of people.entries()) r.table.setOccupant(p, `p${i + 1}`);
    r.table.start(`${code}/t1`);
    for (let i = 0; i < 100 && r.table.status !== 'ended'; i++) {
      for (const p of people) playAsHuman(r, p, ['message', 'propose', 'respond', 'set_orders'], 4);
      r.clock += 1000;
      r.table.endPhase();
    }
    expect(r.table.status).toBe('ended');
    expect(game(r).turn).toBe(hanoi.turns.count);
    await r.recorder.flush();
    expect(await r.store.latestState(code, 't1')).toEqual(plain(r.table.game));
    expect((await verifyTable(r.store, code, 't1')).problems).toEqual([]);
    const bytes = await recordBytes(r.db, code);
    expect(bytes).toBeLessThan(100 * 1024);
    await r.close();
  });
});

// SQLite only: the upgrade of a file written by an older Bamboo (no PostgreSQL record predates issue 14, nor holds format-0 states).
describe('a database written before issue 9 (schema 1)', () => {
  it('opens, migrates, and restores its unfinished game exactly', async () => {
    const dir = record.dir();
    // A game recorded now, copied into a schema-1 database as version 1 wrote it: whole JSON states,
    // the live state in tables.live_state, and the snapshot's game as 'live'.
    const r = await Rig.open({ path: join(dir, 'source.db') }, 'OLD001', hanoi, false);
    r.create();
    r.table.setOccupant(hanoi.powers[0]!.id, 'p1');
    r.table.start('OLD001/t1');
    for (let i = 0; i < 3; i++) r.table.endPhase();
    playAsHuman(r, hanoi.powers[0]!.id, ['set_orders', 'message'], 3);
    await r.recorder.flush();
    const expected = plain(r.table.game);
    const expectedUndo = plain(r.table.undo);
    const src = (r.db as SqliteDatabase).raw;
    const path = join(dir, 'schema1.db');
    const old = new DatabaseSync(path);
    expect(migrate(old, MIGRATIONS.filter((m) => m.version === 1))).toBe(1);
    const copy = (table: string, cols: string) => {
      const rows = src.prepare(`SELECT ${cols} FROM ${table}`).all() as Record<string, unknown>[];
      const ins = old.prepare(`INSERT INTO ${table} (${cols}) VALUES (${cols.split(',').map(() => '?').join(',')})`);
      for (const row of rows) ins.run(...(Object.values(row) as never[]));
    };
    copy('scenarios', 'hash, id, content, stored_at');
    copy('entries', 'session, seq, at, table_id, kind, type, turn, phase, actor, data, events, state_id');
    copy('sessions', 'code, scenario_id, scenario_hash, sandbox, settings, secret_hash, created_at, updated_at, finished, closed_at, snapshot_seq, snapshot_at');
    copy('tables', 'session, id, name, status, seed, fork_of, created_at');
    const ids = src.prepare('SELECT id, session, table_id, seq, turn, phase, reason FROM states ORDER BY id').all() as { id: number; session: string; table_id: string; seq: number; turn: number; phase: string; reason: string }[];
    const insState = old.prepare('INSERT INTO states (id, session, table_id, seq, turn, phase, reason, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    for (const s of ids) insState.run(s.id, s.session, s.table_id, s.seq, s.turn, s.phase, s.reason, (await r.store.stateJson(s.session, s.id))!);
    const snap = JSON.parse((src.prepare('SELECT snapshot FROM sessions').get() as { snapshot: string }).snapshot);
    snap.tables[0].gameRef = 'live';
    old.prepare('UPDATE sessions SET snapshot = ?').run(JSON.stringify(snap));
    old.prepare('UPDATE tables SET live_state = ?').run(JSON.stringify(expected));
    old.close();
    await r.close();

    const db = openDatabase(path);
    expect((db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number }).v).toBe(MIGRATIONS.at(-1)!.version);
    const store = new RecordStore(new SqliteDatabase(db, path));
    expect(await store.restorable()).toEqual(['OLD001']);
    const restored = (await store.snapshot('OLD001'))!;
    expect(restored.tables[0]!.game).toEqual(expected);
    expect(restored.tables[0]!.undo).toEqual(expectedUndo);
    expect((await verifyTable(store, 'OLD001', 't1')).problems).toEqual([]);
    await store.db.close();
  });
});
