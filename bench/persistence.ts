/**
 * Persistence benchmark (issues 6 and 9). Prints figures; never passes or fails on time.
 *   node bench/persistence.ts [--games N] [--tables N] [--burst N]
 * Plays Hanoi bot games action by action through a real DatabaseRecorder on a temporary SQLite file
 * (WAL, synchronous=NORMAL), as a session room of `--tables` tables would (the table's undo stack
 * included, as server/table.ts keeps it): each action is recorded and committed on its own (the worst
 * case: one client message per action, flushed before the reply), then the same with one commit per
 * bot phase (what timers and bots do within one event-loop turn). Then `--burst` tables of one session
 * whose phases all end in the same event-loop turn (one timer): the largest single flush.
 * Figures: the recorder's CPU (record + flush, the engine excluded) per action and per phase commit,
 * the largest single flush, and the bytes a finished game costs (the record's own bytes, and the file).
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { type Action, botActions, type GameState, newGame, parseScenario, type Scenario, step } from '../shared/index.ts';
import { DEFAULT_SETTINGS } from '../shared/protocol.ts';
import { openDatabase } from '../server/persistence/db.ts';
import { DatabaseRecorder } from '../server/persistence/recorder.ts';
import { SqliteDatabase } from '../server/persistence/sqlite.ts';
import type { SessionSnapshot, TableSnapshot } from '../server/recorder.ts';

const { values } = parseArgs({ options: { games: { type: 'string', default: '20' }, tables: { type: 'string', default: '7' }, burst: { type: 'string', default: '12' } } });
const games = Number(values.games);
const tableCount = Number(values.tables);
const burst = Number(values.burst);

const file = 'scenarios/hanoi-2024.yaml';
const parsed = parseScenario(readFileSync(file, 'utf8'), file);
if (!parsed.ok) throw new Error('scenario does not validate');
const scenario: Scenario = parsed.scenario;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
/** This thread's CPU time (ms): what the event loop spent, whatever else the machine runs. */
const cpuNow = () => {
  const u = process.threadCpuUsage();
  return (u.user + u.system) / 1000;
};
const fileSize = (path: string) => {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
};

/** The record's own bytes (every stored value, without SQLite's pages), per session. */
function recordBytes(db: SqliteDatabase): number {
  const one = (sql: string) => Number((db.raw.prepare(sql).get() as { n: number | null }).n ?? 0);
  return (
    one('SELECT SUM(LENGTH(state) + 40) AS n FROM states') +
    one('SELECT SUM(IFNULL(LENGTH(data), 0) + IFNULL(LENGTH(events), 0) + IFNULL(LENGTH(actor), 0) + LENGTH(type) + IFNULL(LENGTH(phase), 0) + 40) AS n FROM entries') +
    one('SELECT SUM(IFNULL(LENGTH(live_state), 0) + IFNULL(LENGTH(fork_of), 0) + 40) AS n FROM tables') +
    one('SELECT SUM(IFNULL(LENGTH(snapshot), 0) + LENGTH(settings) + 120) AS n FROM sessions')
  );
}

interface Sim {
  code: string;
  tables: TableSnapshot[];
  snapshot: () => SessionSnapshot;
}

function session(code: string, count: number): Sim {
  const tables: TableSnapshot[] = Array.from({ length: count }, (_, i) => ({
    id: `t${i + 1}`,
    name: `Table ${i + 1}`,
    status: 'running',
    game: newGame(scenario, `${code}/t${i + 1}`),
    seats: scenario.powers.map((p) => ({ power: p.id, participant: '', botReason: 'empty' as const })),
    deadline: 0,
    remaining: 0,
    undo: [],
  }));
  const snapshot = (): SessionSnapshot => ({
    version: 1,
    code,
    scenario: scenario.id,
    sandbox: false,
    settings: DEFAULT_SETTINGS,
    secretHash: '0'.repeat(64),
    nextParticipant: 1,
    participants: [],
    tables: tables.map((t) => ({ ...t, seats: t.seats.map((s) => ({ ...s })), undo: [...t.undo] })),
    announcements: [],
  });
  return { code, tables, snapshot };
}

/** Plays one phase of a table with bots; `rec` wraps each recorder call (to time it). */
async function playPhase(recorder: DatabaseRecorder, sim: Sim, t: TableSnapshot, perAction: (fn: () => void) => void | Promise<void>, engine: { ms: number }): Promise<number> {
  let state = t.game as GameState;
  let n = 0;
  const apply = async (action: Action) => {
    const before = state;
    const e0 = performance.now();
    const r = step(scenario, state, action);
    engine.ms += performance.now() - e0;
    if (!r.ok) return;
    if (action.type === 'advance' && before.phase === 'orders') {
      t.undo.push(before);
      if (t.undo.length > 30) t.undo.shift();
    }
    state = r.state;
    t.game = state;
    if ((state.phase as string) === 'ended') t.status = 'ended';
    const after = state;
    const done = perAction(() => {
      recorder.record(sim.code, { kind: 'action', table: t.id, action, actor: { kind: 'bot', power: 'x' }, events: r.events, turn: before.turn, phase: before.phase }, sim.snapshot);
      if (before.phase !== after.phase) recorder.record(sim.code, { kind: 'phase', table: t.id, turn: after.turn, phase: after.phase, reason: action.type }, sim.snapshot);
      if (after.phase === 'ended') recorder.record(sim.code, { kind: 'table', table: t.id, change: 'ended', detail: { reason: 'engine' } }, sim.snapshot);
    });
    if (done) await done;
    n++;
  };
  for (const p of scenario.powers) for (const a of botActions(scenario, state, p.id)) await apply(a);
  await apply({ type: 'advance' });
  return n;
}

async function withDb<T>(fn: (recorder: DatabaseRecorder, path: string) => Promise<T>): Promise<T & { fileBytes: number; recordBytes: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'bamboo-bench-'));
  const path = join(dir, 'bench.db');
  const db = new SqliteDatabase(openDatabase(path), path);
  const recorder = new DatabaseRecorder(db, { scenarioOf: () => scenario, logger: pino({ level: 'silent' }), heartbeatMs: 0 });
  try {
    const out = await fn(recorder, path);
    const bytes = recordBytes(db);
    db.raw.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    await recorder.close();
    return { ...out, fileBytes: fileSize(path) + fileSize(path + '-wal'), recordBytes: bytes };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Plays the games; without `record`, the same games with no recorder (the baseline for the recorder's CPU). */
function run(mode: 'per-action' | 'per-phase', record = true) {
  return withDb(async (recorder) => {
    const wall: number[] = [];
    const cpus: number[] = [];
    const engine = { ms: 0 };
    let actions = 0;
    let phases = 0;
    const timed = async (fn: () => void) => {
      if (!record) return;
      const c = cpuNow();
      const t0 = performance.now();
      fn();
      await recorder.flush();
      wall.push(performance.now() - t0);
      cpus.push(cpuNow() - c);
    };
    const c0 = cpuNow();
    for (let g = 0; g < games; g++) {
      const sim = session(`B${String(g).padStart(5, '0')}`, tableCount);
      if (record) {
        recorder.record(sim.code, { kind: 'session', change: 'created' }, sim.snapshot);
        for (const t of sim.tables) recorder.record(sim.code, { kind: 'table', table: t.id, change: 'start', detail: { seed: t.game!.seed } }, sim.snapshot);
        await recorder.flush();
      }
      // The tables take turns, one phase each, as a class would.
      while (sim.tables.some((t) => t.status !== 'ended')) {
        for (const t of sim.tables) {
          if (t.status === 'ended') continue;
          if (mode === 'per-action') {
            actions += await playPhase(recorder, sim, t, record ? timed : () => undefined, engine);
          } else {
            const queued: (() => void)[] = [];
            actions += await playPhase(recorder, sim, t, (fn) => void queued.push(fn), engine);
            await timed(() => {
              for (const fn of queued) fn();
            });
          }
          phases++;
        }
      }
      if (record) {
        recorder.record(sim.code, { kind: 'session', change: 'ended' }, sim.snapshot);
        await recorder.flush();
      }
    }
    const cpu = cpuNow() - c0;
    return { actions, phases, wall: [...wall].sort((a, b) => a - b), cpus: [...cpus].sort((a, b) => a - b), recorderCpu: cpus.reduce((x, y) => x + y, 0), cpu, engineMs: engine.ms };
  });
}

/** `burst` tables of one session reach the end of a phase in one event-loop turn: one flush holds them all. */
function runBurst() {
  return withDb(async (recorder) => {
    const sim = session('BURST0', burst);
    recorder.record(sim.code, { kind: 'session', change: 'created' }, sim.snapshot);
    for (const t of sim.tables) recorder.record(sim.code, { kind: 'table', table: t.id, change: 'start', detail: { seed: t.game!.seed } }, sim.snapshot);
    await recorder.flush();
    const flushes: number[] = [];
    const cpus: number[] = [];
    const engine = { ms: 0 };
    while (sim.tables.some((t) => t.status !== 'ended')) {
      const queued: (() => void)[] = [];
      for (const t of sim.tables) if (t.status !== 'ended') await playPhase(recorder, sim, t, (fn) => void queued.push(fn), engine);
      const c = cpuNow();
      const t0 = performance.now();
      for (const fn of queued) fn();
      await recorder.flush();
      flushes.push(performance.now() - t0);
      cpus.push(cpuNow() - c);
    }
    return { flushes: [...flushes].sort((a, b) => a - b), cpus: [...cpus].sort((a, b) => a - b) };
  });
}

const us = (ms: number) => `${(ms * 1000).toFixed(0)} µs`;
const kib = (b: number) => `${(b / 1024).toFixed(1)} KiB`;
const over = (xs: number[], ms: number) => xs.filter((x) => x > ms).length;
console.log(`Persistence bench: ${games} sessions × ${tableCount} tables of ${scenario.id} (bots), node ${process.version}\n`);
const perGame = games * tableCount;
const base = await run('per-action', false);
console.log(`Without a recorder: ${base.actions} actions, event-loop CPU ${us(base.cpu / base.actions)} per action (engine step alone: ${us(base.engineMs / base.actions)})`);
const a = await run('per-action');
console.log('One commit per action (a client message, flushed before the reply):');
console.log(`  recorder CPU (record + flush, this thread): ${us(a.recorderCpu / a.actions)} per action; median ${us(percentile(a.cpus, 50))}, p99 ${us(percentile(a.cpus, 99))}, largest ${a.cpus.at(-1)!.toFixed(2)} ms`);
console.log(`  wall time (I/O waits and other processes included): median ${us(percentile(a.wall, 50))}, p99 ${us(percentile(a.wall, 99))}, largest ${a.wall.at(-1)!.toFixed(2)} ms; ${over(a.wall, 5)} of ${a.wall.length} over 5 ms`);
console.log(`  per finished game: ${kib(a.recordBytes / perGame)} of record, ${kib(a.fileBytes / perGame)} of database file`);
const b = await run('per-phase');
console.log('One commit per bot phase (timers and bots: one event-loop turn):');
console.log(`  recorder CPU: ${us(b.recorderCpu / b.phases)} per phase (${us(b.recorderCpu / b.actions)} per action); p99 ${us(percentile(b.cpus, 99))}, largest ${b.cpus.at(-1)!.toFixed(2)} ms`);
console.log(`  wall time per phase commit: median ${us(percentile(b.wall, 50))}, p99 ${us(percentile(b.wall, 99))}, largest ${b.wall.at(-1)!.toFixed(2)} ms`);
console.log(`  per finished game: ${kib(b.recordBytes / perGame)} of record, ${kib(b.fileBytes / perGame)} of database file`);
const c = await runBurst();
console.log(`${burst} tables of one session ending a phase in the same event-loop turn (one flush holds them all):`);
console.log(`  largest flush: ${c.cpus.at(-1)!.toFixed(2)} ms CPU, ${c.flushes.at(-1)!.toFixed(2)} ms wall; median ${c.cpus[Math.floor(c.cpus.length / 2)]!.toFixed(2)} ms CPU over ${c.flushes.length} flushes`);
console.log(`\n(engine state JSON: ${(JSON.stringify(newGame(scenario, 'x')).length / 1024).toFixed(1)} KiB at the start of a game)`);
