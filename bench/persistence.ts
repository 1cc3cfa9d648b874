/**
 * Persistence benchmark (issue 6). Prints figures; never passes or fails on time.
 *   node bench/persistence.ts [--games N] [--tables N]
 * Plays Hanoi bot games action by action through a real SqliteRecorder on a temporary database file
 * (WAL, synchronous=NORMAL), as a session room of `--tables` tables would: each action is recorded
 * and committed on its own (the worst case: one client message per action, flushed before the reply),
 * then the same with one commit per bot phase (what timers and bots do within one event-loop turn).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { type Action, botActions, type GameState, newGame, parseScenario, type Scenario, step } from '../shared/index.ts';
import { DEFAULT_SETTINGS } from '../shared/protocol.ts';
import { openDatabase } from '../server/persistence/db.ts';
import { SqliteRecorder } from '../server/persistence/recorder.ts';
import type { SessionSnapshot, TableSnapshot } from '../server/recorder.ts';
import { readFileSync } from 'node:fs';

const { values } = parseArgs({ options: { games: { type: 'string', default: '20' }, tables: { type: 'string', default: '7' } } });
const games = Number(values.games);
const tableCount = Number(values.tables);

const file = 'scenarios/hanoi-2024.yaml';
const parsed = parseScenario(readFileSync(file, 'utf8'), file);
if (!parsed.ok) throw new Error('scenario does not validate');
const scenario: Scenario = parsed.scenario;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

let stateKb = 0;

function run(mode: 'per-action' | 'per-phase') {
  const dir = mkdtempSync(join(tmpdir(), 'bamboo-bench-'));
  const path = join(dir, 'bench.db');
  const db = openDatabase(path);
  const recorder = new SqliteRecorder(db, { scenarioOf: () => scenario, logger: pino({ level: 'silent' }), heartbeatMs: 0 });
  const times: number[] = [];
  let actions = 0;
  const t0 = performance.now();
  for (let g = 0; g < games; g++) {
    const code = `B${String(g).padStart(5, '0')}`;
    const tables: TableSnapshot[] = Array.from({ length: tableCount }, (_, i) => ({
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
    recorder.record(code, { kind: 'session', change: 'created' }, snapshot);
    for (const t of tables) recorder.record(code, { kind: 'table', table: t.id, change: 'start', detail: { seed: t.game!.seed } }, snapshot);
    recorder.flush();
    // The tables take turns, one phase each, as a class would.
    while (tables.some((t) => t.game!.phase !== 'ended')) {
      for (const t of tables) {
        let state = t.game as GameState;
        if (state.phase === 'ended') continue;
        const apply = (action: Action) => {
          const before = state;
          const r = step(scenario, state, action);
          if (!r.ok) return;
          state = r.state;
          t.game = state;
          const start = performance.now();
          recorder.record(code, { kind: 'action', table: t.id, action, actor: { kind: 'bot', power: 'x' }, events: r.events, turn: before.turn, phase: before.phase }, snapshot);
          if (before.phase !== state.phase) recorder.record(code, { kind: 'phase', table: t.id, turn: state.turn, phase: state.phase, reason: action.type }, snapshot);
          if (mode === 'per-action') {
            recorder.flush();
            times.push(performance.now() - start);
          }
          actions++;
        };
        for (const p of scenario.powers) for (const a of botActions(scenario, state, p.id)) apply(a);
        apply({ type: 'advance' });
        if (mode === 'per-phase') {
          const start = performance.now();
          recorder.flush();
          times.push(performance.now() - start);
        }
        if ((state.phase as string) === 'ended') t.status = 'ended';
      }
    }
    recorder.record(code, { kind: 'session', change: 'ended' }, snapshot);
    recorder.flush();
  }
  const total = performance.now() - t0;
  recorder.close();
  const size = statSync(path).size + (() => {
    try {
      return statSync(path + '-wal').size;
    } catch {
      return 0;
    }
  })();
  rmSync(dir, { recursive: true, force: true });
  const sorted = [...times].sort((a, b) => a - b);
  const perGame = size / (games * tableCount);
  return { actions, median: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1)!, total, size, perGame, stats: recorder.stats };
}

console.log(`Persistence bench: ${games} sessions × ${tableCount} tables of ${scenario.id} (bots), node ${process.version}\n`);
const a = run('per-action');
console.log('One commit per action (a client message, flushed before the reply):');
console.log(`  ${a.actions} actions recorded; per action: median ${(a.median * 1000).toFixed(0)} µs, p99 ${(a.p99 * 1000).toFixed(0)} µs, max ${a.max.toFixed(2)} ms`);
console.log(`  database: ${(a.size / 1e6).toFixed(1)} MB, ${(a.perGame / 1e3).toFixed(0)} kB per game; ${a.stats.flushes} transactions`);
const b = run('per-phase');
console.log('One commit per bot phase (timers and bots: one event-loop turn):');
console.log(`  per phase commit: median ${(b.median * 1000).toFixed(0)} µs, p99 ${(b.p99 * 1000).toFixed(0)} µs; per action overall ${((b.total * 1000) / b.actions).toFixed(0)} µs (engine included)`);
console.log(`  database: ${(b.size / 1e6).toFixed(1)} MB, ${(b.perGame / 1e3).toFixed(0)} kB per game`);
stateKb = JSON.stringify(newGame(scenario, 'x')).length / 1e3;
console.log(`\n(engine state JSON: ${stateKb.toFixed(1)} kB at the start of a game; each commit writes the changed table's state once)`);
