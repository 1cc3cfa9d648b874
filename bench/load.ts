/**
 * Load benchmark (issue 9): whole classes playing whole games against a real Bamboo server, then the
 * same number of clients at the same message rate against a bare Colyseus room, for the ratios.
 * Prints figures (a table, then one JSON line); never passes or fails.
 *
 *   npm run bench:load -- --tables N [--duration S] [--server-dir DIR] [--think MS_MIN,MS_MAX]
 *                         [--bare-duration S] [--scenario ID] [--stall S] [--join-concurrency N]
 *                         [--processes P | --servers URL,URL,...] [--postgres | --database-url URL]
 *
 * Each class is one session of 6 tables (24 students and a facilitator); N tables → ceil(N/6)
 * sessions. The servers run as child processes (`node server/main.ts` in --server-dir, default this
 * checkout; bench/load/bare-server.ts) on free ports, with a temporary DATABASE_PATH removed after.
 * Server CPU and memory come from /proc/<pid>; bytes are counted on every WebSocket frame the clients
 * receive (bench/load/ws-bytes.ts). The driver runs in this one process and competes with the server
 * for CPU on a small machine: its own CPU and event-loop delay are printed too.
 *
 * Several processes (issue 14): `--processes P` starts a redis-server and P server processes over it
 * (REDIS_URL, a PUBLIC_ADDRESS each); `--servers URL,URL` drives processes already running (started by
 * you, e.g. behind compose) and starts none. Either way session i is created and joined through
 * server i mod P (which hosts it: the run prints where each landed), and
 * CPU and RSS are printed per process when its pid is found on this machine (the process listening on
 * the URL's port), with a note when it is not. `--postgres` starts a throwaway PostgreSQL (Debian's,
 * fsync on) as the shared record of the servers the bench starts, `--database-url` uses yours; the
 * record's growth and PostgreSQL's own CPU are printed. The HTTP rate limits of the servers the bench starts are
 * off unless RATE_LIMIT_* are set; servers you started must have them off or high enough.
 */
import { type ChildProcess, spawn } from 'node:child_process';
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
import { freePort, memory, pidListeningOn, type Sampler, type ServerProcess, sample, startServer, treeCpuSeconds } from './load/server-proc.ts';
import { type PostgresServer, psql, startPostgres } from '../tests/helpers/postgres.ts';
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
    processes: { type: 'string', default: '1' },
    servers: { type: 'string' },
    postgres: { type: 'boolean', default: false },
    'database-url': { type: 'string' },
  },
});
if (!values.tables || !(Number(values.tables) >= 1)) {
  console.error('usage: npm run bench:load -- --tables N [--duration S] [--server-dir DIR] [--think MS_MIN,MS_MAX] [--bare-duration S] [--processes P | --servers URL,URL]');
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

const given = (values.servers ?? '').split(',').map((u) => u.trim().replace(/\/+$/, '')).filter(Boolean);
const processCount = given.length || Math.max(1, Number(values.processes));
log(
  `Bamboo load: ${tables} tables, ${given.length ? `servers ${given.join(', ')} (already running)` : `${processCount} process${processCount > 1 ? 'es' : ''} from ${serverDir}`}, think ${thinkMin}–${thinkMax} ms, views from ${viewSource}`,
);
const dir = mkdtempSync(join(tmpdir(), 'bamboo-load-'));

/** A server process under load: started here (with its database), or given (a pid only if local). */
interface Target {
  url: string;
  pid: number | undefined;
  dbPath?: string;
  proc?: ServerProcess;
  rssIdle: number;
  rssJoined: number;
  sampler?: Sampler;
}
let redis: ChildProcess | undefined;
let pgServer: PostgresServer | undefined;
let databaseUrl = values['database-url'];
if (values.postgres && !databaseUrl && !given.length) {
  pgServer = await startPostgres({ durable: true });
  databaseUrl = await pgServer.createDatabase('bamboo_load');
}
const pgSize = async () => (databaseUrl ? Number(await psql(databaseUrl, 'SELECT pg_database_size(current_database())')) : 0);
const targets: Target[] = [];
const limitsOff = Object.fromEntries(['RATE_LIMIT_JOINS', 'RATE_LIMIT_MISSES', 'RATE_LIMIT_SESSIONS'].map((k) => [k, process.env[k] ?? '0']));
if (given.length) {
  for (const url of given) {
    const u = new URL(url);
    const local = ['localhost', '127.0.0.1', '[::1]', '::1'].includes(u.hostname);
    targets.push({ url, pid: local ? pidListeningOn(Number(u.port || (u.protocol === 'https:' ? 443 : 80))) : undefined, rssIdle: 0, rssJoined: 0 });
  }
} else {
  let redisUrl: string | undefined;
  if (processCount > 1) {
    const redisPort = await freePort();
    redis = spawn('redis-server', ['--port', String(redisPort), '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
    await new Promise<void>((resolveReady, reject) => {
      let out = '';
      redis!.stdout!.on('data', (c: Buffer) => {
        out += c.toString();
        if (/Ready to accept connections/.test(out)) resolveReady();
      });
      redis!.once('error', reject);
      redis!.once('exit', (code) => reject(new Error(`redis-server exited (${code}): ${out.slice(-300)}`)));
    });
    redisUrl = `redis://127.0.0.1:${redisPort}`;
  }
  for (let i = 0; i < processCount; i++) {
    const port = await freePort();
    const dbPath = join(dir, processCount > 1 ? `load-${i + 1}.db` : 'load.db');
    const proc = await startServer({
      cwd: serverDir,
      entry: 'server/main.ts',
      port,
      env: {
        ...(databaseUrl ? { DATABASE_URL: databaseUrl } : { DATABASE_PATH: dbPath }),
        LOG_LEVEL: 'warn',
        BAMBOO_SCENARIO_DIRS: 'scenarios',
        ...limitsOff,
        ...(redisUrl ? { REDIS_URL: redisUrl, PUBLIC_ADDRESS: `127.0.0.1:${port}`, BAMBOO_INTERNAL_TOKEN: 'bench-load' } : {}),
      },
      healthPath: '/healthz',
    });
    targets.push({ url: proc.url, pid: proc.pid, ...(databaseUrl ? {} : { dbPath }), proc, rssIdle: 0, rssJoined: 0 });
  }
}
const rssOf = (t: Target) => {
  try {
    return t.pid ? memory(t.pid).rss : 0;
  } catch {
    return 0;
  }
};
await new Promise((r) => setTimeout(r, 2000));
for (const t of targets) t.rssIdle = rssOf(t);
const scenarioRes = await fetch(`${targets[0]!.url}/api/scenarios/${values.scenario}`);
if (!scenarioRes.ok) throw new Error(`GET /api/scenarios/${values.scenario}: ${scenarioRes.status}`);
const scenario = (await scenarioRes.json()) as Scenario;

const pgSize0 = await pgSize();
const metrics = new Metrics();
metrics.counting = false;
const setup = await createAndJoin({ urls: targets.map((t) => t.url), Client, scenarioId: values.scenario, tables, joinConcurrency, log });
for (const t of targets) t.rssJoined = rssOf(t);

const loop = monitorEventLoopDelay({ resolution: 10 });
loop.enable();
const driverCpu0 = process.cpuUsage();
for (const t of targets) if (t.pid) t.sampler = sample(t.pid);
const pgCpu0 = pgServer ? treeCpuSeconds(pgServer.pid) : 0;
const played0 = performance.now();
metrics.counting = true;
const played = await playGames(setup, { scenario, thinkMin, thinkMax, metrics, durationMs, stallMs: Number(values.stall) * 1000, log });
metrics.counting = false;
const pgCpu = pgServer ? ((treeCpuSeconds(pgServer.pid) - pgCpu0) / ((performance.now() - played0) / 1000)) * 100 : null;
const perProcess = targets.map((t) => {
  const c = t.sampler?.stop();
  let hwm = 0;
  try {
    hwm = t.pid ? memory(t.pid).hwm : 0;
  } catch {
    /* gone */
  }
  return { t, cpu: c, rssPeak: c ? Math.max(c.rssPeak, hwm) : 0 };
});
const measured = perProcess.filter((p) => p.cpu);
const cpu = { cpuMean: measured.reduce((n, p) => n + p.cpu!.cpuMean, 0), cpuPeak: Math.max(0, ...measured.map((p) => p.cpu!.cpuPeak)) };
const driverCpu = process.cpuUsage(driverCpu0);
loop.disable();
const rssIdle = measured.reduce((n, p) => n + p.t.rssIdle, 0);
const rssJoined = measured.reduce((n, p) => n + p.t.rssJoined, 0);
const rssPeak = measured.reduce((n, p) => n + p.rssPeak, 0);
const recorded = targets.every((t) => t.dbPath) || !!databaseUrl;
const record = databaseUrl ? (await pgSize()) - pgSize0 : recorded ? targets.reduce((n, t) => n + dbBytes(t.dbPath!), 0) : 0;
const problems = targets.flatMap((t) => t.proc?.problems ?? []);
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
for (const t of targets) await t.proc?.stop();
redis?.kill('SIGTERM');
await pgServer?.stop();
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
    ['processes', `${targets.length}${targets.length > 1 ? `; sessions by hosting process: ${[...setup.hosts].map(([h, n]) => `${h} ${n}`).join(', ')}` : ''}`],
    [
      targets.length > 1 ? 'server CPU (sum)' : 'server CPU',
      measured.length ? `mean ${cpu.cpuMean.toFixed(1)}%  peak ${cpu.cpuPeak.toFixed(1)}%${targets.length > 1 ? " (of the busiest process)" : ""} (100% = one core)${measured.length < targets.length ? ` (${measured.length} of ${targets.length} processes)` : ''}` : 'not measured: no server process on this machine',
    ],
    [targets.length > 1 ? 'server RSS (sum)' : 'server RSS', measured.length ? `idle ${mb(rssIdle)}  after joins ${mb(rssJoined)}  peak ${mb(rssPeak)}${measured.length === targets.length ? `  per table beyond idle ${kb(perTable)}` : ''}` : 'not measured'],
    ...(targets.length > 1
      ? perProcess.map(
          (p, i): [string, string] => [
            `  process ${i + 1}`,
            p.cpu
              ? `${p.t.url} pid ${p.t.pid}: CPU mean ${p.cpu.cpuMean.toFixed(1)}% peak ${p.cpu.cpuPeak.toFixed(1)}%; RSS idle ${mb(p.t.rssIdle)} peak ${mb(p.rssPeak)}`
              : `${p.t.url}: not a process on this machine (or not readable): read its CPU and memory where it runs`,
          ],
        )
      : []),
    ['bytes/client/turn', `${kb(students.mean)} (by turn: ${[...students.byTurn].map(([t, b]) => `${t}: ${kb(b)}`).join(', ')})`],
    ['join (first state)', `student ${kb(joinBytes)}, facilitator ${kb(facJoinBytes)}`],
    ['facilitator/turn', `${kb(fac.mean)} (by turn: ${[...fac.byTurn].map(([t, b]) => `${t}: ${kb(b)}`).join(', ')})`],
    ...(databaseUrl ? [['PostgreSQL', `${pgServer ? `CPU mean ${pgCpu!.toFixed(1)}% (the server and its backends)` : 'CPU not measured (your server)'}; the record grew by the figure below`] as [string, string]] : []),
    [databaseUrl ? 'record (database growth)' : 'record (db + wal)', !recorded ? 'not measured (servers not started by the bench)' : `${kb(record)} total; ${finished ? kb(record / finished) + ' per finished game; ' : ''}${tableTurns ? kb(record / tableTurns) + ' per table-turn' : ''}`],
    ['driver', `CPU ${(((driverCpu.user + driverCpu.system) / 1e6 / played.seconds) * 100).toFixed(1)}%; event-loop delay p99 ${(loop.percentile(99) / 1e6).toFixed(1)} ms, max ${(loop.max / 1e6).toFixed(1)} ms`],
    ['server log problems', given.length ? 'not read (servers not started by the bench)' : `${problems.length}${problems.length ? ': ' + problems.slice(0, 3).join(' | ') : ''}`],
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
    record: databaseUrl ? 'postgres' : 'sqlite',
    postgresCpu: pgCpu === null ? null : r1(pgCpu),
    recordBytes: recorded ? record : null,
    recordBytesPerGame: recorded && finished ? Math.round(record / finished) : null,
    recordBytesPerTableTurn: recorded && tableTurns ? Math.round(record / tableTurns) : null,
    processes: perProcess.map((p) => ({
      url: p.t.url,
      pid: p.t.pid ?? null,
      cpu: p.cpu ? { mean: r1(p.cpu.cpuMean), peak: r1(p.cpu.cpuPeak) } : null,
      rss: p.cpu ? { idle: p.t.rssIdle, peak: p.rssPeak } : null,
    })),
    sessionsByHost: Object.fromEntries(setup.hosts),
    driverCpu: r1(((driverCpu.user + driverCpu.system) / 1e6 / played.seconds) * 100),
    bare: { ack: { p50: r1(bareLat.p50), p99: r1(bareLat.p99), max: r1(bareLat.max) }, msgsPerSec: r1(bareRate), cpu: { mean: r1(bareCpu.cpuMean), peak: r1(bareCpu.cpuPeak) } },
    ratio: { p99: Math.round(p99Ratio * 100) / 100, cpu: Math.round(cpuRatio * 100) / 100 },
  }),
);
process.exit(0);
