/**
 * Rate limits across processes (issue 14): with REDIS_URL, two real server processes count the HTTP
 * rate limits in the one Redis, so an address gets one quota, not one per process. Needs Debian's
 * redis-server (installed by .ci/run), like scaleout.test.ts.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, startScaledServer } from '../helpers/processes.ts';

const processes: ChildProcess[] = [];
const dir = mkdtempSync(join(tmpdir(), 'bamboo-scale-limits-'));

let portA = 0;
let portB = 0;
const SESSIONS = 3;
const MISSES = 4;

beforeAll(async () => {
  const redisUrl = await startRedis(processes);
  const limits = { RATE_LIMIT_SESSIONS: `${SESSIONS}/600`, RATE_LIMIT_MISSES: `${MISSES}/600`, RATE_LIMIT_JOINS: '1000/60' };
  const server = (name: string) => startScaledServer(redisUrl, { DATABASE_PATH: join(dir, `${name}.db`), ...limits }, processes);
  [portA, portB] = await Promise.all([server('a'), server('b')]);
});

afterAll(() => {
  for (const p of processes) p.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

const create = (port: number) =>
  fetch(`http://localhost:${port}/api/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ scenario: 'hanoi_2024', tables: 1 }),
  });

describe('rate limits shared by two processes over Redis', () => {
  it('holds the session-creation limit across the processes', async () => {
    // Alternating between the processes: each alone would allow SESSIONS; together they allow SESSIONS.
    const statuses: number[] = [];
    for (let i = 0; i < SESSIONS; i++) statuses.push((await create(i % 2 === 0 ? portA : portB)).status);
    expect(statuses).toEqual(Array(SESSIONS).fill(201));
    for (const port of [portA, portB]) {
      const res = await create(port);
      expect(res.status).toBe(429);
      expect(((await res.json()) as { code: string }).code).toBe('rate_limited');
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      // The quota in the headers is the shared one.
      expect(res.headers.get('ratelimit')).toMatch(/r=0/);
    }
  });

  it('counts wrong join codes across the processes', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < MISSES + 2; i++) statuses.push((await fetch(`http://localhost:${i % 2 === 0 ? portB : portA}/api/sessions/ZZZZZ${i}`)).status);
    expect(statuses).toEqual([...Array(MISSES).fill(404), 429, 429]);
  });
});
