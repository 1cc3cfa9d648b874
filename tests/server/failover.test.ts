/**
 * Issue 14: a session survives the loss of its process. Three real server processes share one Redis
 * and one PostgreSQL (Debian's, started here). A class plays through one process; the process that
 * hosts the session is killed (SIGKILL) in the middle of a turn. Another process takes the session
 * over from the shared record (the lease), and the clients (the browser client's own Session, with
 * real SDK connections) join again through a process that is still alive, in the same seats, with
 * every acknowledged message and draft, and the game goes on.
 */
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installMemoryStorage } from '../helpers/browser-storage.ts';
import { freePort } from '../helpers/ports.ts';
import { type PostgresServer, psql, startPostgres } from '../helpers/postgres.ts';
import { startRedis } from '../helpers/processes.ts';
import { HANOI, loadScenario } from '../helpers/scenarios.ts';
import { until } from './helpers.ts';
import { api, type ServerProcess, startServer } from './persistence-helpers.ts';

type SessionModule = typeof import('../../client/src/net/session.ts');
let net: SessionModule;
let pg: PostgresServer;
let databaseUrl = '';
const helpers: ChildProcess[] = [];
const servers: ServerProcess[] = [];
const scenario = loadScenario(HANOI);

beforeAll(async () => {
  installMemoryStorage();
  net = await import('../../client/src/net/session.ts');
  pg = await startPostgres();
  databaseUrl = await pg.createDatabase('failover');
  const redisUrl = await startRedis(helpers);
  const ports = [await freePort(), await freePort(), await freePort()];
  for (const port of ports) {
    servers.push(
      await startServer(
        {
          REDIS_URL: redisUrl,
          PUBLIC_ADDRESS: `localhost:${port}`,
          DATABASE_URL: databaseUrl,
          LEASE_SECONDS: process.env.FAILOVER_LEASE_SECONDS ?? '2',
          RESTORE_GRACE_SECONDS: '120',
          RATE_LIMIT_JOINS: '0',
          RATE_LIMIT_MISSES: '0',
          RATE_LIMIT_SESSIONS: '0',
        },
        port,
      ),
    );
  }
}, 120_000);

afterAll(async () => {
  for (const s of servers) if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL');
  for (const h of helpers) h.kill('SIGKILL');
  await pg?.stop();
});

const ownerOf = async (code: string) => psql(databaseUrl, `SELECT owner FROM sessions WHERE code = '${code}'`);
const hostOf = (owner: string) => servers.find((s) => owner.includes(`-${s.child.pid}-`));

describe('three processes, one Redis, one PostgreSQL', () => {
  it('a session continues on another process after its own is killed mid-turn, with nothing lost', async () => {
    const created = await api(servers[0]!.url, '/api/sessions', {
      body: { scenario: 'hanoi_2024', settings: { seating: 'auto', reconnectSeconds: 300, negotiationSeconds: 900, ordersSeconds: 900 } },
    });
    expect(created.status).toBe(201);
    const { code, secret } = created.data as { code: string; secret: string };
    net.rememberSecret(code, secret);
    let owner = '';
    for (let i = 0; i < 50 && !owner; i++) {
      owner = await ownerOf(code);
      if (!owner) await new Promise((r) => setTimeout(r, 100));
    }
    const host = hostOf(owner);
    expect(host, `the owner ${owner} is one of the three processes`).toBeDefined();
    // The process that answered the request hosts the session (the proxy spreads the sessions).
    expect(host).toBe(servers[0]);
    // The clients talk HTTP to a process that will survive (in production: the proxy, any process).
    const entry = servers.find((s) => s !== host)!;

    // One browser's storage per test process: one player and the teacher (a second player would share the player's rejoin key).
    const ana = new net.Session(code, entry.url);
    const teacher = new net.Session(code, entry.url);
    const all = [ana, teacher];
    for (const s of all) s.scenarioOf = () => scenario;
    const left: number[] = [];
    for (const s of all) s.on('left', (c) => left.push(c));
    await ana.join({ role: 'player', name: 'Ana' });
    await teacher.join({ role: 'facilitator', secret, name: 'Teacher' });
    await until(() => !!ana.me?.power, 'Ana seated');
    const anaPower = ana.me!.power;
    const other = scenario.powers.map((p) => p.id).find((p) => p !== anaPower)!;
    await teacher.request('fac_start', {});
    const view = () => ana.snap?.tables.t1?.views[anaPower];
    await until(() => view()?.phase === 'negotiation', 'the game started');

    // Acknowledged before the crash: a message, and Ana's unsent draft.
    await ana.request('chat', { to: [other], text: 'Before the crash' });
    await ana.request('save_draft', { draft: 'half a proposal' });
    await until(() => !!view()?.messages.some((m) => m.text === 'Before the crash'), 'the message');
    const turn = view()!.turn;

    // kill -9 the process that hosts the session, after the SDK's minimum uptime (5 s), so that it first
    // tries to reconnect to the dead process, as it would in a class, before the client joins again through another.
    await new Promise((r) => setTimeout(r, 5500));
    const killedAt = Date.now();
    host!.child.kill('SIGKILL');
    await host!.exited;

    // Another process takes it over (the lease: 2 s here) and the clients come back through a live one.
    await until(() => all.every((s) => s.conn === 'online' && s.rejoins >= 1), 'everyone back on another process', 90_000);
    const backAfterMs = Date.now() - killedAt;
    const newOwner = await ownerOf(code);
    expect(newOwner).not.toBe(owner);
    expect(hostOf(newOwner)).toBeDefined();
    expect(hostOf(newOwner)).not.toBe(host);
    expect(left).toEqual([]);

    // Same seat, same participant, everything acknowledged is there.
    await until(() => ana.me?.power === anaPower, 'Ana in her seat');
    await until(() => !!view()?.messages.some((m) => m.text === 'Before the crash'), 'the message after the takeover');
    expect(view()!.turn).toBe(turn);
    expect(view()!.phase).toBe('negotiation');
    expect(ana.me?.draft).toBe('half a proposal');

    // And the game goes on: a new message, then the teacher ends the phase.
    await ana.request('chat', { to: [other], text: 'After the crash' });
    await until(() => !!view()?.messages.some((m) => m.text === 'After the crash'), 'the new message');
    await teacher.request('fac_end_phase', {});
    await until(() => view()?.phase === 'orders', 'the orders phase');

    // The record holds both messages, numbered without a gap, written by both processes.
    const seqs = (await psql(databaseUrl, `SELECT seq FROM entries WHERE session = '${code}' ORDER BY seq`)).split('\n').map(Number);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    const chats = await psql(databaseUrl, `SELECT COUNT(*) FROM entries WHERE session = '${code}' AND kind = 'action' AND type = 'message' AND data LIKE '%crash%'`);
    expect(Number(chats)).toBe(2);
    console.log(`failover: clients back ${backAfterMs} ms after the kill`);

    for (const s of all) await s.leave();
  }, 150_000);
});
