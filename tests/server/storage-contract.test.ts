/**
 * One storage interface, two implementations (issue 14): the same suite runs against the SQLite file
 * and a real PostgreSQL server (Debian's, started by tests/helpers/postgres.ts). A game is played by
 * the engine's bots and recorded through the recorder; the store must give back exactly the engine's
 * state, the snapshot, the entries in order; the lease must hand a lost process's session to exactly
 * one other process.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Logger } from '../../server/log.ts';
import { StorageError } from '../../server/persistence/db.ts';
import { ServerLease } from '../../server/persistence/lease.ts';
import { MIGRATIONS } from '../../server/persistence/migrations.ts';
import { POSTGRES_MIGRATIONS } from '../../server/persistence/migrations-postgres.ts';
import { openRecord, type RecordLocation } from '../../server/persistence/open.ts';
import { DatabaseRecorder } from '../../server/persistence/recorder.ts';
import type { SqlDatabase } from '../../server/persistence/sql.ts';
import { RecordStore } from '../../server/persistence/store.ts';
import type { RecordEntry, SessionSnapshot } from '../../server/recorder.ts';
import { type Action, botActions, type GameState, newGame, type Scenario, step } from '../../shared/index.ts';
import { DEFAULT_SETTINGS } from '../../shared/protocol.ts';
import { startPostgres } from '../helpers/postgres.ts';
import { loadScenario, THREE } from '../helpers/scenarios.ts';

const silent = { error() {}, warn() {}, info() {}, debug() {}, fatal() {}, child: () => silent } as unknown as Logger;
const scenario: Scenario = loadScenario(THREE);

interface Backend {
  name: string;
  /** A fresh, empty record. */
  fresh(): Promise<RecordLocation>;
  /** Several processes may share it (PostgreSQL), or one holds it alone (SQLite). */
  shared: boolean;
}

const folder = mkdtempSync(join(tmpdir(), 'bamboo-contract-'));
let pg: Awaited<ReturnType<typeof startPostgres>> | undefined;
let dbCount = 0;

const backends: Backend[] = [
  { name: 'SQLite', shared: false, fresh: async () => ({ path: join(folder, `record-${++dbCount}.db`) }) },
  {
    name: 'PostgreSQL',
    shared: true,
    fresh: async () => {
      pg ??= await startPostgres();
      return { url: await pg.createDatabase(`contract_${++dbCount}`) };
    },
  },
];

afterAll(async () => {
  await pg?.stop();
  rmSync(folder, { recursive: true, force: true });
});

/** A session as the room would snapshot it, with one table playing `game`. */
function snapshotOf(code: string, game: GameState | null): SessionSnapshot {
  return {
    version: 1,
    code,
    scenario: scenario.id,
    sandbox: false,
    settings: DEFAULT_SETTINGS,
    secretHash: 'ab'.repeat(32),
    nextParticipant: 2,
    participants: [{ id: 'p1', name: 'Ada', role: 'player', table: 't1', power: scenario.powers[0]!.id, draft: '', keyHash: '' }],
    tables: [{ id: 't1', name: 'Table 1', status: game ? (game.phase === 'ended' ? 'ended' : 'running') : 'waiting', game, seats: [], deadline: 0, remaining: 0, undo: [] }],
    announcements: [],
  };
}

/** Plays a whole game with the bots, recording it as the room does. Returns the final state and the number of entries. */
async function playAndRecord(recorder: DatabaseRecorder, code: string, options: { stopAfterTurn?: number } = {}): Promise<{ game: GameState; entries: number }> {
  let game: GameState | null = null;
  let entries = 0;
  const record = (entry: RecordEntry) => {
    const now = game;
    recorder.record(code, entry, () => snapshotOf(code, now));
    entries++;
  };
  record({ kind: 'session', change: 'created' });
  game = newGame(scenario, 'contract-seed');
  record({ kind: 'table', table: 't1', change: 'start', detail: { seed: 'contract-seed' } });
  for (let guard = 0; guard < 100 && game.phase !== 'ended'; guard++) {
    for (const power of scenario.powers) {
      for (const action of botActions(scenario, game, power.id)) {
        const r = step(scenario, game, action);
        if (!r.ok) continue;
        game = r.state;
        record({ kind: 'action', table: 't1', action, actor: { kind: 'bot', power: power.id }, events: r.events ?? [], turn: game.turn, phase: game.phase });
      }
    }
    // Every so often an acknowledged answer waits for the commit, as a client's message does.
    await recorder.committed();
    // Mid-turn: orders given, not resolved yet.
    if (options.stopAfterTurn !== undefined && game.turn > options.stopAfterTurn && game.phase === 'orders') break;
    const advanced = step(scenario, game, { type: 'advance' } satisfies Action);
    if (!advanced.ok) throw new Error(advanced.rejection.message);
    game = advanced.state;
    record({ kind: 'phase', table: 't1', turn: game.turn, phase: game.phase, reason: 'timer' });
  }
  await recorder.flush();
  return { game, entries };
}

describe.each(backends)('the record in $name', (backend) => {
  let where: RecordLocation;
  let db: SqlDatabase;
  let recorder: DatabaseRecorder;
  let store: RecordStore;
  let lease: ServerLease;

  beforeAll(async () => {
    where = await backend.fresh();
    db = await openRecord(where);
    lease = new ServerLease(db, { leaseMs: 15_000, exclusive: !backend.shared, id: 'server-a' });
    await lease.start();
    recorder = new DatabaseRecorder(db, { scenarioOf: () => scenario, logger: silent, heartbeatMs: 0, serverId: lease.id });
    store = new RecordStore(db);
  }, 60_000);

  afterAll(async () => {
    await recorder?.close();
  });

  it('migrates a fresh record to the newest schema, and again without change', async () => {
    const versions = await db.all<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
    // Both dialects number their migrations alike, 1 to n without a gap, and a fresh record has them all.
    expect(POSTGRES_MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((m) => m.version));
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(versions.map((v) => v.version)).toEqual(MIGRATIONS.map((m) => m.version));
    for (const table of ['sessions', 'tables', 'entries', 'states', 'scenarios', 'servers', 'published_scenarios']) {
      expect(await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`)).toBeDefined();
    }
  });

  it('gives back a recorded game exactly: the engine state, the snapshot and every entry in order', async () => {
    const { game, entries } = await playAndRecord(recorder, 'GAME01');
    expect(game.phase).toBe('ended');
    expect(await store.liveState('GAME01', 't1')).toEqual(game);
    const rows = await store.entries('GAME01');
    expect(rows).toHaveLength(entries);
    expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i + 1));
    expect(rows.filter((r) => r.kind === 'phase').every((r) => r.state !== null)).toBe(true);
    const snap = await store.snapshot('GAME01');
    expect(snap?.tables[0]?.game).toEqual(game);
    expect(snap?.participants.map((p) => p.name)).toEqual(['Ada']);
    const session = await store.session('GAME01');
    expect(session).toMatchObject({ code: 'GAME01', scenarioId: scenario.id, finished: true, sandbox: false });
    expect(await store.scenario(session!.scenarioHash)).toEqual(scenario);
    expect(await store.checkSecret('GAME01', 'wrong')).toBe(false);
  });

  it('rebuilds a game in the middle of a turn from its last kept state and the actions after it', async () => {
    const { game } = await playAndRecord(recorder, 'GAME02', { stopAfterTurn: 1 });
    expect(game.phase).not.toBe('ended');
    const actionsAfter = (await store.entries('GAME02', 't1')).filter((e) => e.kind === 'action' && e.turn === game.turn && e.phase === game.phase);
    expect(actionsAfter.length).toBeGreaterThan(0);
    expect(await store.liveState('GAME02', 't1')).toEqual(game);
  });

  it('keeps what was committed when the record is opened again', async () => {
    const before = await store.entries('GAME02');
    await recorder.close();
    db = await openRecord(where);
    recorder = new DatabaseRecorder(db, { scenarioOf: () => scenario, logger: silent, heartbeatMs: 0, serverId: lease.id });
    store = new RecordStore(db);
    lease = new ServerLease(db, { leaseMs: 15_000, exclusive: !backend.shared, id: 'server-a' });
    expect(await store.entries('GAME02')).toEqual(before);
    // Numbering goes on after the last entry, not from 1.
    recorder.record('GAME02', { kind: 'session', change: 'note' }, () => snapshotOf('GAME02', null));
    await recorder.flush();
    const after = await store.entries('GAME02');
    expect(after.at(-1)?.seq).toBe(before.length + 1);
  });

  it('deletes a session and everything recorded about it, and finds old ones', async () => {
    expect(await store.olderThan(Date.now() + 1000)).toEqual(expect.arrayContaining(['GAME01', 'GAME02']));
    expect(await store.olderThan(0)).toEqual([]);
    expect(await store.deleteSession('GAME01')).toBe(true);
    expect(await store.session('GAME01')).toBeUndefined();
    expect(await store.entries('GAME01')).toEqual([]);
    expect(await store.tables('GAME01')).toEqual([]);
    expect(await store.deleteSession('GAME01')).toBe(false);
    expect(await store.session('GAME02')).toBeDefined();
  });

  it('keeps any text exactly: quotes, backslashes, placeholders, NUL, emoji, SQL', async () => {
    const texts = ["'); DROP TABLE entries; --", 'a \\ b \\x00 c', 'what? $1 ? $2', 'nul \u0000 here', 'Việt Nam 🇻🇳 — «ok»', "E'\\x41'", ''];
    recorder.record('TEXT01', { kind: 'session', change: 'created' }, () => snapshotOf('TEXT01', null));
    const power = scenario.powers[0]!.id;
    for (const text of texts) {
      const action = { type: 'message', power, to: [scenario.powers[1]!.id], text } as Action;
      recorder.record('TEXT01', { kind: 'action', table: 't1', action, actor: { kind: 'participant', participant: text }, events: [], turn: 1, phase: 'negotiation' }, () => snapshotOf('TEXT01', null));
    }
    expect(await recorder.flush()).toBe(true);
    const rows = (await store.entries('TEXT01')).filter((e) => e.kind === 'action');
    expect(rows.map((r) => (r.data as { text: string }).text)).toEqual(texts);
    expect(rows.map((r) => (r.actor as { participant: string }).participant)).toEqual(texts);
    expect(await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM entries')).toBeDefined();
    expect(await store.deleteSession('TEXT01')).toBe(true);
  });

  it('rolls a failed transaction back whole', async () => {
    const count = async () => (await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM entries'))!.n;
    const n = await count();
    await expect(
      db.transaction(async (tx) => {
        await tx.run("INSERT INTO entries (session, seq, at, table_id, kind, type) VALUES ('X', 1, 0, '', 'session', 'x')");
        await tx.run('INSERT INTO no_such_table VALUES (1)');
      }),
    ).rejects.toThrow();
    expect(await count()).toBe(n);
  });

  it.runIf(backend.shared)('hands the session of a silent process to exactly one other process', async () => {
    // GAME02 is unfinished and hosted by server-a, which stops beating.
    const later = () => Date.now() + 60_000;
    const b = new ServerLease(db, { leaseMs: 15_000, exclusive: false, id: 'server-b' });
    const c = new ServerLease(db, { leaseMs: 15_000, exclusive: false, id: 'server-c', now: later });
    await b.start();
    await c.start();
    await lease.beat();
    expect((await b.orphans()).map((o) => o.code)).not.toContain('GAME02');
    const bLater = new ServerLease(db, { leaseMs: 15_000, exclusive: false, id: 'server-b', now: later });
    const seenByB = (await bLater.orphans()).find((o) => o.code === 'GAME02');
    const seenByC = (await c.orphans()).find((o) => o.code === 'GAME02');
    expect(seenByB).toMatchObject({ owner: 'server-a' });
    expect(seenByB!.aliveAt).toBeGreaterThan(0);
    const wins = await Promise.all([bLater.claim(seenByB!), c.claim(seenByC!)]);
    expect(wins.filter(Boolean)).toHaveLength(1);
    // server-a, back from its pause, learns the session is no longer its own.
    expect(await lease.lost(['GAME02'])).toEqual(['GAME02']);
  });

  it.runIf(backend.shared)('lets the others take over at once from a process that stopped cleanly', async () => {
    const d = new ServerLease(db, { leaseMs: 15_000, exclusive: false, id: 'server-d' });
    await d.start();
    await db.run("UPDATE sessions SET owner = 'server-d' WHERE code = 'GAME02'");
    const e = new ServerLease(db, { leaseMs: 15_000, exclusive: false, id: 'server-e' });
    await e.start();
    expect((await e.orphans()).map((o) => o.code)).not.toContain('GAME02');
    await d.stop();
    expect((await e.orphans()).map((o) => o.code)).toContain('GAME02');
  });

  it.runIf(!backend.shared)('with one process per file, every unfinished session at start is its own', async () => {
    const next = new ServerLease(db, { leaseMs: 15_000, exclusive: true, id: 'server-next' });
    await next.start();
    const orphans = await next.orphans();
    expect(orphans.map((o) => o.code)).toEqual(['GAME02']);
    expect(await next.claim(orphans[0]!)).toBe(true);
    expect(await next.claim(orphans[0]!)).toBe(false);
  });
});

describe('PostgreSQL specifics', () => {
  it('lets several processes start on a fresh database at once (migrations one at a time)', async () => {
    const where = await backends[1]!.fresh();
    const opened = await Promise.all([openRecord(where), openRecord(where), openRecord(where)]);
    const versions = await opened[0]!.all<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
    expect(versions.map((v) => v.version)).toEqual(POSTGRES_MIGRATIONS.map((m) => m.version));
    await Promise.all(opened.map((d) => d.close()));
  }, 60_000);

  it('refuses a record from a newer Bamboo, and an unreachable server, with a clear error', async () => {
    const where = await backends[1]!.fresh();
    const db = await openRecord(where);
    await db.run("INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, 'future', 0)");
    await db.close();
    await expect(openRecord(where)).rejects.toThrow(/newer than this Bamboo/);
    const wrong = where.url!.replace(/:(\d+)\//, ':1/');
    const failure = await openRecord({ url: wrong }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(StorageError);
    expect(String(failure)).toMatch(/does not answer|refuses/);
  }, 60_000);
});
