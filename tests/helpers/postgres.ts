/**
 * A throwaway PostgreSQL server for a test: a fresh cluster in a temporary directory, listening on
 * 127.0.0.1 on a free port with trust authentication (user `postgres`, no password), fsync off.
 * Needs Debian's `postgresql` package (installed by .ci/run). `stop()` shuts it down and removes
 * the directory; if the test process exits first, the server is killed.
 *
 * PostgreSQL refuses to run as root: as root, initdb runs through `runuser -u postgres` (or `su`),
 * and the server is started as the `postgres` user directly (spawn's uid/gid), not through runuser:
 * runuser stays in between as a parent, turns a SIGTERM into SIGKILL after 2 s and, if it is itself
 * killed, leaves the server running.
 */
import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { accessSync, chownSync, constants, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { freePort } from './ports.ts';

export interface PostgresServer {
  /** `postgres://postgres@127.0.0.1:PORT/postgres` */
  url: string;
  /** The address of database `db` on this server (whether or not it exists). */
  urlFor(db: string): string;
  /** Creates database `name` and returns its address. */
  createDatabase(name: string): Promise<string>;
  /** Shuts the server down (fast shutdown), waits for it to exit and removes its directory. */
  stop(): Promise<void>;
  /** The postmaster's process id (its backends are its children): for the benchmarks' CPU figures. */
  pid: number;
}

interface Binaries {
  initdb: string;
  postgres: string;
  psql: string;
  pgIsready: string | undefined;
}

const INSTALL_HINT = 'PostgreSQL is required for this test: install Debian\'s package with `apt-get install -y postgresql` (.ci/run does).';
const START_TIMEOUT_MS = 30_000;

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** `command -v`, also looking in the sbin directories a non-login root PATH may lack. */
function onPath(name: string, extra: string[] = []): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), ...extra];
  for (const dir of dirs) {
    const path = join(dir, name);
    if (executable(path)) return path;
  }
  return undefined;
}

let found: Binaries | undefined;

/** The newest /usr/lib/postgresql/VERSION/bin (Debian's layout), else the programs on PATH. */
function findBinaries(): Binaries {
  if (found) return found;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => executable(join(root, v, 'bin', 'postgres')) && executable(join(root, v, 'bin', 'initdb')))
        .sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a))
    : [];
  const bin = versions[0] === undefined ? undefined : join(root, versions[0], 'bin');
  const locate = (name: string) => (bin && executable(join(bin, name)) ? join(bin, name) : onPath(name));
  const initdb = locate('initdb');
  const postgres = locate('postgres');
  const psql = locate('psql');
  if (!initdb || !postgres || !psql) {
    const missing = Object.entries({ initdb, postgres, psql })
      .filter(([, path]) => !path)
      .map(([name]) => name);
    throw new Error(`${INSTALL_HINT} Not found: ${missing.join(', ')} (looked in /usr/lib/postgresql/*/bin and on PATH).`);
  }
  found = { initdb, postgres, psql, pgIsready: locate('pg_isready') };
  return found;
}

/** The environment without PG* variables (PGHOST, PGDATABASE, …) that would redirect psql or the server. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('PG')) env[k] = v;
  return env;
}

function run(file: string, args: string[], options: { cwd?: string; timeout?: number } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { env: cleanEnv(), cwd: options.cwd, timeout: options.timeout ?? 30_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${file} ${args.join(' ')} failed: ${err.message}\n${stdout}${stderr}`));
      else resolve(stdout);
    });
  });
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Runs `file args` as the `postgres` OS user (root only): runuser if present, else su. */
function runAsPostgres(file: string, args: string[], cwd: string): Promise<string> {
  const runuser = onPath('runuser', ['/usr/sbin', '/sbin', '/usr/bin', '/bin']);
  if (runuser) return run(runuser, ['-u', 'postgres', '--', file, ...args], { cwd, timeout: 120_000 });
  const su = onPath('su', ['/usr/bin', '/bin']) ?? 'su';
  return run(su, ['postgres', '-s', '/bin/sh', '-c', [file, ...args].map(shellQuote).join(' ')], { cwd, timeout: 120_000 });
}

function postgresUser(): { uid: number; gid: number } {
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    if (Number.isInteger(uid) && Number.isInteger(gid)) return { uid, gid };
  } catch {
    // reported below
  }
  throw new Error(`PostgreSQL refuses to run as root and there is no \`postgres\` OS user to run it as. ${INSTALL_HINT}`);
}

/** Runs one SQL text through psql against `url`; returns its unaligned, tuples-only output. */
export function psql(url: string, sql: string): Promise<string> {
  return run(findBinaries().psql, ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d', url, '-c', sql]).then((out) => out.trim());
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * `durable`: fsync and full page writes on, as in production (the benchmarks); tests leave them off,
 * which changes nothing for a process that is killed (only for a power cut).
 */
export async function startPostgres(options: { databases?: string[]; durable?: boolean } = {}): Promise<PostgresServer> {
  const bins = findBinaries();
  const asRoot = process.getuid?.() === 0;
  const user = asRoot ? postgresUser() : undefined;

  const dir = mkdtempSync(join(tmpdir(), 'bamboo-pg-'));
  const dataDir = join(dir, 'data');
  let child: ChildProcess | undefined;
  const killOnExit = () => {
    child?.kill('SIGKILL');
    try {
      rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    } catch {
      // the OS tmp cleaner will have it
    }
  };
  process.on('exit', killOnExit);

  try {
    // initdb creates data/ itself (mode 0700); the socket lives in dir, which the server user owns.
    if (user) chownSync(dir, user.uid, user.gid);
    const initArgs = ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C'];
    if (user) await runAsPostgres(bins.initdb, initArgs, dir);
    else await run(bins.initdb, initArgs, { cwd: dir, timeout: 120_000 });

    let port = 0;
    let output = '';
    // freePort's port may be taken again before the server binds it: then try another, twice.
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      output = '';
      const server = spawn(
        bins.postgres,
        [
          '-D', dataDir,
          '-p', String(port),
          '-c', 'listen_addresses=127.0.0.1',
          '-c', `unix_socket_directories=${dir}`,
          '-c', `fsync=${options.durable ? 'on' : 'off'}`,
          '-c', `full_page_writes=${options.durable ? 'on' : 'off'}`,
          '-c', 'synchronous_commit=on',
          '-c', 'max_connections=200',
        ],
        { cwd: dir, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'], ...(user ? { uid: user.uid, gid: user.gid } : {}) },
      );
      child = server;
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.length > 64_000) output = output.slice(-32_000);
      };
      server.stdout?.on('data', onData);
      server.stderr?.on('data', onData);
      const result = await waitReady(server, port, bins, () => output);
      if (result === 'ready') break;
      child = undefined;
      if (attempt < 3 && /could not bind|already in use/i.test(output)) continue;
      throw new Error(`PostgreSQL exited before accepting connections (${result}):\n${output}`);
    }

    const urlFor = (db: string) => `postgres://postgres@127.0.0.1:${port}/${encodeURIComponent(db)}`;
    const createDatabase = async (name: string) => {
      await psql(urlFor('postgres'), `CREATE DATABASE ${quoteIdent(name)}`);
      return urlFor(name);
    };
    for (const db of options.databases ?? []) await createDatabase(db);

    let stopping: Promise<void> | undefined;
    const stop = () => {
      stopping ??= (async () => {
        const server = child;
        if (server && server.exitCode === null && server.signalCode === null) {
          const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
          // SIGINT is PostgreSQL's fast shutdown (SIGTERM, a smart one, would wait for every client,
          // e.g. a pool a test left open, to disconnect).
          // If that hangs: SIGQUIT (immediate shutdown, which still ends the backends), then SIGKILL.
          server.kill('SIGINT');
          const timers = [setTimeout(() => server.kill('SIGQUIT'), 10_000), setTimeout(() => server.kill('SIGKILL'), 15_000)];
          await exited;
          for (const t of timers) clearTimeout(t);
        }
        child = undefined;
        process.off('exit', killOnExit);
        rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
      })();
      return stopping;
    };

    return { url: urlFor('postgres'), urlFor, createDatabase, stop, pid: child!.pid! };
  } catch (err) {
    const server = child;
    if (server && server.exitCode === null && server.signalCode === null) {
      const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
      server.kill('SIGKILL');
      await exited;
    }
    process.off('exit', killOnExit);
    rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    throw err;
  }
}

/** Polls until the server accepts a connection: 'ready', or how it exited; throws after 30 s. */
async function waitReady(server: ChildProcess, port: number, bins: Binaries, output: () => string): Promise<string> {
  let exit: string | undefined;
  server.once('exit', (code, signal) => {
    exit = signal ? `signal ${signal}` : `code ${code}`;
  });
  server.once('error', (err) => {
    exit = `error ${err.message}`;
  });
  const deadline = Date.now() + START_TIMEOUT_MS;
  const probe = bins.pgIsready
    ? () => run(bins.pgIsready!, ['-q', '-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', 'postgres', '-t', '2'], { timeout: 5_000 })
    : () => run(bins.psql, ['-X', '-q', '-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', 'postgres', '-c', 'SELECT 1'], { timeout: 5_000 });
  while (Date.now() < deadline) {
    if (exit) return exit;
    try {
      await probe();
      if (exit) return exit;
      return 'ready';
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  server.kill('SIGKILL');
  throw new Error(`PostgreSQL did not accept connections on 127.0.0.1:${port} within ${START_TIMEOUT_MS / 1000} s:\n${output()}`);
}
