/**
 * Load benchmark (issue 9): whole classes playing whole games against a real Bamboo server, then the
 * same number of clients at the same message rate against a bare Colyseus room, for the ratios.
 * Prints figures (a table, then one JSON line); never passes or fails.
 *
 *   npm run bench:load -- --tables N [--duration S] [--server-dir DIR] [--think MS_MIN,MS_MAX]
 *                         [--bare-duration S] [--scenario ID] [--stall S] [--join-concurrency N]
 *
 * Each class is one session of 6 tables (24 students and a facilitator); N tables → ceil(N/6)
 * sessions. The servers run as child processes (`node server/main.ts` in --server-dir, default this
 * checkout; bench/load/bare-server.ts) on free ports, with a temporary DATABASE_PATH removed after.
 * Server CPU and memory come from /proc/<pid>; bytes are counted on every WebSocket frame the clients
 * receive (bench/load/ws-bytes.ts). The driver runs in this one process and competes with the server
 * for CPU on a small machine: its own CPU and event-loop delay are printed too.
 */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import type { Scenario } from '#shared/index.ts';
import { createAndJoin, pool, playGames, TABLES_PER_SESSION } from './load/bamboo.ts';
import { runBare } from './load/bare.ts';
import { Metrics } from './load/metrics.ts';
import { initObserve, viewSource } from './load/observe.ts';
import { bytesPerTurn, kb, mb, mean, ms, table } from './load/report.ts';
import { memory, sample, startServer } from './load/server-proc.ts';
import type { RoomLike } from './load/student.ts';
import { installFastStringDecode } from './load/fast-decode.ts';
import { installByteCounter } from './load/ws-bytes.ts';

const { values } = parseArgs({
  options: {
    tables: { type: 'string' },
    duration: { type: 'string', default: '1200' },
    'server-dir': { type: 'string', default: '.' },
    think: { type: 'string', default: '1000,3000' },
    'bare-duration': { type: 'string', default: '60' },
    scenario: { type: 'string', default: 'hanoi_2024' },
    stall: { type: 'string', default: '60' },
    'join-concurrency': { type: 'string', default: '32' },
  },
});
if (!values.tables || !(Number(values.tables) >= 1)) {
  console.error('usage: npm run bench:load -- --tables N [--duration S] [--server-dir DIR] [--think MS_MIN,MS_MAX] [--bare-duration S]');
  process.exit(2);
}
const tables = Number(values.tables);
const durationMs = Number(values.duration) * 1000;
const serverDir = resolve(values['server-dir']);
const [thinkMin, thinkMax] = values.think.split(',').map(Number) as [number, number];
const bareDurationMs = Number(values['bare-duration']) * 1000;
const joinConcurrency = Number(values['join-concurrency']);
const log = (s: string) => console.log(s);

installByteCounter(); // before the SDK loads: it picks its WebSocket class once
const { Client } = await import('@colyseus/sdk');
installFastStringDecode(); // the driver's own decoding, not the server's work, must not set the latencies
await initObserve();

async function leaveAll(rooms: RoomLike[]): Promise<void> {
  await pool(rooms, 50, async (r) => {
    await Promise.race([r.leave(true).catch(() => {}), new Promise((res) => setTimeout(res, 3000))]);
  });
}

function dbBytes(path: string): number {
  let n = 0;
  for (const f of [path, `${path}-wal`]) if (existsSync(f)) n += statSync(f).size;
  return n;
}

// ---------------------------------------------------------------------------------------------
// Bamboo
// ---------------------------------------------------------------------------------------------

log(`Bamboo load: ${tables} tables, server ${serverDir}, think ${thinkMin}–${thinkMax} ms, views from ${viewSource}`);
const dir = mkdtempSync(join(tmpdir(), 'bamboo-load-'));
const dbPath = join(dir, 'load.db');
const bamboo = await startServer({
  cwd: serverDir,
  entry: 'server/main.ts',
  env: { DATABASE_PATH: dbPath, LOG_LEVEL: 'warn', BAMBOO_SCENARIO_DIRS: 'scenarios' },
  healthPath: '/healthz',
});
await new Promise((r) => setTimeout(r, 2000));
const rssIdle = memory(bamboo.pid).rss;
const scenarioRes = await fetch(`${bamboo.url}/api/scenarios/${values.scenario}`);
if (!scenarioRes.ok) throw new Error(`GET /api/scenarios/${values.scenario}: ${scenarioRes.status}`);
const scenario = (await scenarioRes.json()) as Scenario;

const metrics = new Metrics();
metrics.counting = false;
const setup = await createAndJoin({ url: bamboo.url, Client, scenarioId: values.scenario, tables, joinConcurrency, log });
const rssJoined = memory(bamboo.pid).rss;

const loop = monitorEventLoopDelay({ resolution: 10 });
loop.enable();
const driverCpu0 = process.cpuUsage();
const sampler = sample(bamboo.pid);
metrics.counting = true;
const played = await playGames(setup, { scenario, thinkMin, thinkMax, metrics, durationMs, stallMs: Number(values.stall) * 1000, log });
metrics.counting = false;
const cpu = sampler.stop();
const driverCpu = process.cpuUsage(driverCpu0);
loop.disable();
const rssPeak = Math.max(cpu.rssPeak, memory(bamboo.pid).hwm);
const record = dbBytes(dbPath);
const tableStates = setup.facilitators.flatMap((f) => f.tables());
const finished = tableStates.filter((t) => t.status === 'ended').length;
const tableTurns = tableStates.reduce((n, t) => n + (t.status === 'ended' ? scenario.turns.count : Math.max(0, t.turn - 1)), 0);
const lat = metrics.latency();
const rate = metrics.sent / played.seconds;
const students = bytesPerTurn(setup.students);
const fac = bytesPerTurn(setup.facilitators);
const joinBytes = mean(setup.students.map((s) => s.joinBytes));
const facJoinBytes = mean(setup.facilitators.map((f) => f.joinBytes));
const stalls = setup.facilitators.reduce((n, f) => n + f.stallsEnded, 0);
await leaveAll([...setup.students.map((s) => s.room), ...setup.facilitators.map((f) => f.room)]);
await bamboo.stop();
rmSync(dir, { recursive: true, force: true });

// ---------------------------------------------------------------------------------------------
// Bare Colyseus, same clients, same rate, same message mix
// ---------------------------------------------------------------------------------------------

const clients = setup.students.length + setup.facilitators.length;
const bare = await startServer({ cwd: resolve(import.meta.dirname, '..'), entry: 'bench/load/bare-server.ts', env: {}, healthPath: '/__healthcheck' });
await new Promise((r) => setTimeout(r, 1000));
const bareRssIdle = memory(bare.pid).rss;
const bareMetrics = new Metrics();
let bareSampler: ReturnType<typeof sample> | undefined;
const bareRun = await runBare({
  url: bare.url,
  Client,
  clients,
  roomSize: TABLES_PER_SESSION * 4 + 1,
  rate,
  mix: metrics.byType,
  durationMs: bareDurationMs,
  metrics: bareMetrics,
  joinConcurrency,
  onLoadStart: () => {
    bareSampler = sample(bare.pid);
  },
  log,
});
const bareCpu = bareSampler!.stop();
const bareRssPeak = Math.max(bareCpu.rssPeak, memory(bare.pid).hwm);
const bareLat = bareMetrics.latency();
const bareRate = bareMetrics.sent / bareRun.seconds;
await leaveAll(bareRun.rooms);
await bare.stop();

// ---------------------------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------------------------

const sessions = Math.ceil(tables / TABLES_PER_SESSION);
const rejections = metrics.total(metrics.rejections);
const errors = metrics.total(metrics.errors);
const perTable = (rssPeak - rssIdle) / tables;
log('');
log(`== Bamboo: ${tables} tables in ${sessions} sessions, ${setup.students.length} students + ${setup.facilitators.length} facilitators ==`);
log(
  table([
    ['load window', `${played.seconds.toFixed(1)} s${played.stoppedByDuration ? ' (stopped by --duration)' : ' (every game ended)'}; joins took ${setup.joinSeconds.toFixed(1)} s`],
    ['games finished', `${finished}/${tableStates.length}; table-turns played ${tableTurns}; phases ended by the stall guard ${stalls}`],
    ['ack latency', `p50 ${ms(lat.p50)}  p95 ${ms(lat.p95)}  p99 ${ms(lat.p99)}  max ${ms(lat.max)}  (${lat.count} replies)`],
    ['messages', `${metrics.sent} sent, ${rate.toFixed(1)}/s; ${[...metrics.byType].map(([k, v]) => `${k} ${v}`).join(', ')}`],
    ['rejections', `${rejections}${rejections ? ': ' + [...metrics.rejections].map(([k, v]) => `${k} ${v}`).join(', ') : ''}`],
    ['errors', `${errors}${errors ? ': ' + [...metrics.errors].map(([k, v]) => `${k} ${v}`).join(', ') : ''}`],
    ['server CPU', `mean ${cpu.cpuMean.toFixed(1)}%  peak ${cpu.cpuPeak.toFixed(1)}% (100% = one core)`],
    ['server RSS', `idle ${mb(rssIdle)}  after joins ${mb(rssJoined)}  peak ${mb(rssPeak)}  per table beyond idle ${kb(perTable)}`],
    ['bytes/client/turn', `${kb(students.mean)} (by turn: ${[...students.byTurn].map(([t, b]) => `${t}: ${kb(b)}`).join(', ')})`],
    ['join (first state)', `student ${kb(joinBytes)}, facilitator ${kb(facJoinBytes)}`],
    ['facilitator/turn', `${kb(fac.mean)} (by turn: ${[...fac.byTurn].map(([t, b]) => `${t}: ${kb(b)}`).join(', ')})`],
    ['record (db + wal)', `${kb(record)} total; ${finished ? kb(record / finished) + ' per finished game; ' : ''}${tableTurns ? kb(record / tableTurns) + ' per table-turn' : ''}`],
    ['driver', `CPU ${(((driverCpu.user + driverCpu.system) / 1e6 / played.seconds) * 100).toFixed(1)}%; event-loop delay p99 ${(loop.percentile(99) / 1e6).toFixed(1)} ms, max ${(loop.max / 1e6).toFixed(1)} ms`],
    ['server log problems', `${bamboo.problems.length}${bamboo.problems.length ? ': ' + bamboo.problems.slice(0, 3).join(' | ') : ''}`],
  ]),
);
log('');
log(`== Bare Colyseus room: ${clients} clients, target ${rate.toFixed(1)} msg/s ==`);
log(
  table([
    ['load window', `${bareRun.seconds.toFixed(1)} s`],
    ['ack latency', `p50 ${ms(bareLat.p50)}  p95 ${ms(bareLat.p95)}  p99 ${ms(bareLat.p99)}  max ${ms(bareLat.max)}`],
    ['messages', `${bareMetrics.sent} sent, ${bareRate.toFixed(1)}/s; errors ${bareMetrics.total(bareMetrics.errors)}`],
    ['server CPU', `mean ${bareCpu.cpuMean.toFixed(1)}%  peak ${bareCpu.cpuPeak.toFixed(1)}%`],
    ['server RSS', `idle ${mb(bareRssIdle)}  peak ${mb(bareRssPeak)}`],
  ]),
);
const ratio = (a: number, b: number) => (b > 0 ? a / b : Number.NaN);
const p99Ratio = ratio(lat.p99, bareLat.p99);
const cpuRatio = ratio(cpu.cpuMean, bareCpu.cpuMean);
log('');
log(`== Ratios Bamboo/bare: p99 ${p99Ratio.toFixed(2)}, CPU mean ${cpuRatio.toFixed(2)} ==`);
const r1 = (x: number) => Math.round(x * 10) / 10;
console.log(
  JSON.stringify({
    bench: 'load',
    tables,
    sessions,
    clients,
    seconds: r1(played.seconds),
    stoppedByDuration: played.stoppedByDuration,
    finished,
    tableTurns,
    ack: { p50: r1(lat.p50), p95: r1(lat.p95), p99: r1(lat.p99), max: r1(lat.max) },
    msgsPerSec: r1(rate),
    sent: metrics.sent,
    rejections,
    errors,
    cpu: { mean: r1(cpu.cpuMean), peak: r1(cpu.cpuPeak) },
    rss: { idle: rssIdle, peak: rssPeak, perTable: Math.round(perTable) },
    bytesPerClientTurn: Math.round(students.mean),
    bytesByTurn: Object.fromEntries([...students.byTurn].map(([t, b]) => [t, Math.round(b)])),
    joinBytes: Math.round(joinBytes),
    facilitatorJoinBytes: Math.round(facJoinBytes),
    facilitatorBytesPerTurn: Math.round(fac.mean),
    recordBytes: record,
    recordBytesPerGame: finished ? Math.round(record / finished) : null,
    recordBytesPerTableTurn: tableTurns ? Math.round(record / tableTurns) : null,
    driverCpu: r1(((driverCpu.user + driverCpu.system) / 1e6 / played.seconds) * 100),
    bare: { ack: { p50: r1(bareLat.p50), p99: r1(bareLat.p99), max: r1(bareLat.max) }, msgsPerSec: r1(bareRate), cpu: { mean: r1(bareCpu.cpuMean), peak: r1(bareCpu.cpuPeak) } },
    ratio: { p99: Math.round(p99Ratio * 100) / 100, cpu: Math.round(cpuRatio * 100) / 100 },
  }),
);
process.exit(0);
