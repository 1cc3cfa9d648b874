/**
 * Two real server processes share one Redis (REDIS_URL): a session created through one process is
 * found, joined and played through the other. Needs Debian's redis-server (installed by .ci/run).
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@colyseus/sdk';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreateSessionResponse, SessionInfoResponse } from '../../shared/protocol.ts';
import { startRedis, startScaledServer } from '../helpers/processes.ts';

const processes: ChildProcess[] = [];
const dir = mkdtempSync(join(tmpdir(), 'bamboo-scale-'));

let portA = 0;
let portB = 0;
let redisUrl = '';

beforeAll(async () => {
  redisUrl = await startRedis(processes);
  const server = (name: string) => startScaledServer(redisUrl, { DATABASE_PATH: join(dir, `${name}.db`) }, processes);
  [portA, portB] = await Promise.all([server('a'), server('b')]);
});

afterAll(() => {
  for (const p of processes) p.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('several server processes over Redis', () => {
  it('finds and joins a session created on another process', async () => {
    const created = await fetch(`http://localhost:${portA}/api/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ scenario: 'hanoi_2024', tables: 1 }),
    });
    expect(created.status).toBe(201);
    const session = (await created.json()) as CreateSessionResponse;

    const info = await fetch(`http://localhost:${portB}/api/sessions/${session.code}`);
    expect(info.status).toBe(200);
    expect(((await info.json()) as SessionInfoResponse).roomId).toBe(session.roomId);

    const teacher = await new Client(`http://localhost:${portA}`).joinById(session.code, { role: 'facilitator', secret: session.secret });
    const player = await new Client(`http://localhost:${portB}`).joinById(session.code, { role: 'player', name: 'Linh', key: 'scale-key-123' });
    const names = () => {
      const participants = (teacher.state as { participants?: Map<string, { name: string }> }).participants;
      return participants ? [...participants.values()].map((p) => p.name) : [];
    };
    for (let i = 0; i < 50 && !names().includes('Linh'); i++) await new Promise((r) => setTimeout(r, 100));
    expect(names()).toContain('Linh');
    await player.leave();
    await teacher.leave();
  });

  it('reports an unknown code as unknown on every process', async () => {
    for (const port of [portA, portB]) {
      const res = await fetch(`http://localhost:${port}/api/sessions/ZZZZZZ`);
      expect(res.status).toBe(404);
    }
  });
});

describe('when Redis loses everything', () => {
  it('lists the running sessions again, so that every process finds them', async () => {
    const created = await fetch(`http://localhost:${portA}/api/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ scenario: 'hanoi_2024', tables: 1 }),
    });
    const session = (await created.json()) as CreateSessionResponse;
    // A Redis restarted without persistence comes back empty.
    const redis = new Redis(redisUrl);
    await redis.flushall();
    await redis.quit();
    const found = async () => (await Promise.all([portA, portB].map((p) => fetch(`http://localhost:${p}/api/sessions/${session.code}`)))).map((r) => r.status);
    expect(await found()).toEqual([404, 404]);
    let statuses: number[] = [];
    for (let i = 0; i < 100; i++) {
      statuses = await found();
      if (statuses.every((s) => s === 200)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(statuses).toEqual([200, 200]);
    const player = await new Client(`http://localhost:${portB}`).joinById(session.code, { role: 'player', name: 'Minh', key: 'relist-key-123' });
    expect(player.roomId).toBe(session.code);
    await player.leave();
  }, 30_000);
});
