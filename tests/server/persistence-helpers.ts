/**
 * Helpers for the persistence tests: the two record backends (a SQLite file, a database on a
 * throwaway PostgreSQL) for suites run against both, an in-process server recording into either,
 * and a real server process (`node server/main.ts`) to stop and kill.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { boot, type ColyseusTestServer } from '@colyseus/testing';
import pino from 'pino';
import { afterAll, beforeAll } from 'vitest';
import { createApp } from '../../server/app.ts';
import { Persistence } from '../../server/persistence/index.ts';
import type { RecordLocation } from '../../server/persistence/open.ts';
import type { ServerContext } from '../../server/SessionRoom.ts';
import { type PostgresServer, startPostgres } from '../helpers/postgres.ts';
import { SCENARIO_DIRS } from './helpers.ts';

export function tempDir(prefix = 'bamboo-db-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

// ---------------------------------------------------------------------------------------------
// The two backends of the record (issue 14): one suite, run against both with describe.each
// ---------------------------------------------------------------------------------------------

export interface RecordBackend {
  name: 'SQLite' | 'PostgreSQL';
  postgres: boolean;
}

export const RECORD_BACKENDS: readonly RecordBackend[] = [
  { name: 'SQLite', postgres: false },
  { name: 'PostgreSQL', postgres: true },
];

export interface RecordBackends {
  backends: readonly RecordBackend[];
  /** A fresh, empty record of `backend`: a new file in the temporary folder, or a new PostgreSQL database. */
  fresh(backend: RecordBackend, name?: string): Promise<RecordLocation>;
  /** The file's temporary folder (for files a test writes besides the record). */
  dir(): string;
}

/**
 * For a test file whose suites run against both backends: registers a `beforeAll` that makes a
 * temporary folder and starts one throwaway PostgreSQL server for the whole file, and an `afterAll`
 * that stops it and removes the folder. Call it at the top level of the file.
 */
export function recordBackends(prefix = 'bamboo-db-'): RecordBackends {
  let dir: string | undefined;
  let pg: PostgresServer | undefined;
  let count = 0;
  beforeAll(async () => {
    dir = tempDir(prefix);
    pg = await startPostgres();
  }, 60_000);
  afterAll(async () => {
    await pg?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  return {
    backends: RECORD_BACKENDS,
    dir: () => dir!,
    async fresh(backend, name = 'record') {
      const id = `${name.toLowerCase().replace(/[^a-z0-9_]/g, '_')}_${++count}`;
      if (!backend.postgres) return { path: join(dir!, `${id}.db`) };
      return { url: await pg!.createDatabase(id) };
    },
  };
}

export interface PersistentServer {
  colyseus: ColyseusTestServer;
  persistence: Persistence;
  context: ServerContext;
}

/** An in-process server on port 2568 recording into `where`: a SQLite file's path, or `{ path }` or `{ url }` (PostgreSQL). */
export async function bootPersistent(where: string | RecordLocation, options: { retentionDays?: number } = {}): Promise<PersistentServer> {
  const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const location: RecordLocation = typeof where === 'string' ? { path: where } : where;
  if (!location.path && !location.url) throw new Error('bootPersistent: a path or a url');
  const persistence = await Persistence.open({ ...location, logger, heartbeatMs: 0, retentionDays: options.retentionDays ?? 0, restoreGraceSeconds: 0 });
  const { server, context } = createApp({
    scenarioDirs: SCENARIO_DIRS,
    recorder: persistence.recorder,
    routes: persistence.routes,
    logger,
    clientDir: '/nonexistent-client-dir',
    internalToken: 'test-internal-token',
  });
  persistence.attach(context);
  const colyseus = await boot(server);
  return { colyseus, persistence, context };
}

/** Stops a server of `bootPersistent` (if it started): the rooms first, so that their last writes reach the record. */
export async function stopPersistent(t: PersistentServer | undefined): Promise<void> {
  await t?.colyseus.shutdown();
  await t?.persistence.close();
}

/**
 * The recorder's transaction for what just happened has committed: one event-loop turn (enough for
 * SQLite, which commits synchronously), then, given the server's `persistence`, a flush of what it has
 * queued (PostgreSQL commits over the network, after the turn).
 */
export async function settled(persistence?: Persistence): Promise<void> {
  await new Promise((r) => setImmediate(r));
  if (persistence) await persistence.recorder.flush();
}

// ---------------------------------------------------------------------------------------------
// A real server process
// ---------------------------------------------------------------------------------------------

export interface ServerProcess {
  child: ChildProcess;
  port: number;
  url: string;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `node server/main.ts`; resolves once it listens, or when it exits (check `exited`). */
export async function startServer(env: Record<string, string>, port: number): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['server/main.ts'], {
    env: {
      ...process.env,
      PORT: String(port),
      BAMBOO_SCENARIO_DIRS: SCENARIO_DIRS.join(':'),
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += String(d)));
  child.stderr!.on('data', (d) => (out += String(d)));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const started = await Promise.race([
    new Promise<boolean>((resolve) => {
      const check = () => (out.includes('Bamboo is running') ? resolve(true) : setTimeout(check, 20));
      check();
    }),
    exited.then(() => false),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 30_000)),
  ]);
  if (!started) {
    if (child.exitCode === null) child.kill('SIGKILL');
    const { code } = await exited;
    throw new Error(`the server did not start (exit code ${code}):\n${out}`);
  }
  return { child, port, url: `http://localhost:${port}`, output: () => out, exited };
}

export async function api(base: string, path: string, init: { method?: string; body?: unknown; secret?: string } = {}): Promise<{ status: number; data: any; text: string }> {
  const res = await fetch(base + path, {
    method: init.method ?? (init.body ? 'POST' : 'GET'),
    headers: { ...(init.body ? { 'content-type': 'application/json' } : {}), ...(init.secret ? { 'x-facilitator-secret': init.secret } : {}) },
    ...(init.body ? { body: JSON.stringify(init.body) } : {}),
  });
  const text = await res.text();
  let data: any = null;
  try {
    data = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, data, text };
}
