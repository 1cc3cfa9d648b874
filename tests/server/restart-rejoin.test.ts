/**
 * Issue 10, finding 13: after SIGTERM (close 4001) or a kill -9 and restart (the SDK's reconnection
 * fails: 4003), clients join again by themselves and say so. A REAL server process is stopped and
 * started again on the same port and database; the clients are the browser client's own Session
 * (client/src/net/session.ts) with real SDK connections, and in-memory browser storage.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { installMemoryStorage } from '../helpers/browser-storage.ts';
import { freePort } from '../helpers/ports.ts';
import { until } from './helpers.ts';
import { api, type ServerProcess, startServer, tempDir } from './persistence-helpers.ts';

let dir: string;
const running: ServerProcess[] = [];
type SessionModule = typeof import('../../client/src/net/session.ts');
let net: SessionModule;

beforeAll(async () => {
  dir = tempDir('bamboo-rejoin-');
  installMemoryStorage();
  net = await import('../../client/src/net/session.ts');
});
afterEach(() => {
  for (const s of running.splice(0)) if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL');
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('after a restart', () => {
  it('players, the facilitator and spectators join again by themselves, players in their seat', async () => {
    const port = await freePort();
    const env = { DATABASE_PATH: join(dir, 'rejoin.db'), RESTORE_GRACE_SECONDS: '30', RATE_LIMIT_JOINS: '0', RATE_LIMIT_MISSES: '0' };
    const start = async () => {
      const s = await startServer(env, port);
      running.push(s);
      return s;
    };
    let server = await start();
    const created = await api(server.url, '/api/sessions', { body: { scenario: 'hanoi_2024', settings: { seating: 'auto', reconnectSeconds: 120 } } });
    const { code, secret } = created.data as { code: string; secret: string };
    net.rememberSecret(code, secret);

    const player = new net.Session(code, server.url);
    const teacher = new net.Session(code, server.url);
    const watcher = new net.Session(code, server.url);
    const all = [player, teacher, watcher];
    const reconnected = new Map(all.map((s) => [s, 0]));
    const left: number[] = [];
    for (const s of all) {
      s.on('reconnected', () => reconnected.set(s, reconnected.get(s)! + 1));
      s.on('left', (c) => left.push(c));
    }
    await player.join({ role: 'player', name: 'Ana' });
    await teacher.join({ role: 'facilitator', secret, name: 'Teacher' });
    await watcher.join({ role: 'spectator' });
    await until(() => !!player.me?.power, 'the player is seated');
    const seat = player.me!.power;
    const pid = player.participantId;

    // 1. SIGTERM: the server closes every connection with 4001 and stops.
    const closes: number[] = [];
    player.room!.onLeave((c: number) => closes.push(c));
    server.child.kill('SIGTERM');
    expect((await server.exited).code).toBe(0);
    await until(() => closes.length > 0, "the close");
    expect(closes).toEqual([4001]);
    await until(() => all.every((s) => s.conn === 'reconnecting'), 'everyone shows "reconnecting"');
    server = await start();
    await until(() => all.every((s) => s.conn === 'online' && reconnected.get(s) === 1), 'everyone back after SIGTERM', 30_000);
    await until(() => player.me?.power === seat, 'the player in the same seat');
    expect(player.participantId).toBe(pid);
    expect(teacher.me?.role).toBe('facilitator');
    expect(watcher.me?.role).toBe('spectator');

    // 2. kill -9 and start again: the SDK's own reconnection fails (4003), then the client joins again.
    // (After the SDK's minUptime of 5 s, so that it tries its own reconnection first.)
    await new Promise((r) => setTimeout(r, 5500));
    const closes2: number[] = [];
    player.room!.onLeave((c: number) => closes2.push(c));
    server.child.kill('SIGKILL');
    await server.exited;
    await new Promise((r) => setTimeout(r, 1500));
    server = await start();
    await until(() => all.every((s) => s.conn === 'online' && reconnected.get(s) === 2), 'everyone back after kill -9', 60_000);
    await until(() => player.me?.power === seat, 'the player in the same seat again');
    expect(closes2[0]).toBe(4003);
    expect(left).toEqual([]);

    for (const s of all) await s.leave();
    server.child.kill('SIGTERM');
    await server.exited;
  }, 120_000);
});
