/**
 * Helpers for the persistence tests: an in-process server recording into a temporary database, and a
 * real server process (`node server/main.ts`) to stop and kill.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { boot, type ColyseusTestServer } from '@colyseus/testing';
import pino from 'pino';
import { createApp } from '../../server/app.ts';
import { Persistence } from '../../server/persistence/index.ts';
import type { ServerContext } from '../../server/SessionRoom.ts';
import { SCENARIO_DIRS } from './helpers.ts';

export function tempDir(prefix = 'bamboo-db-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export interface PersistentServer {
  colyseus: ColyseusTestServer;
  persistence: Persistence;
  context: ServerContext;
}

export async function bootPersistent(path: string, options: { retentionDays?: number } = {}): Promise<PersistentServer> {
  const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const persistence = await Persistence.open({ path, logger, heartbeatMs: 0, retentionDays: options.retentionDays ?? 0, restoreGraceSeconds: 0 });
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

/** One event-loop turn: the recorder's transaction for what just happened has committed. */
export const settled = () => new Promise((r) => setImmediate(r));

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
