/**
 * A restart loses nothing, with a REAL server process (`node server/main.ts`): SIGTERM, then kill -9
 * mid-turn. After each restart the game is in the same phase with the time that was left, the
 * players get their seats back with their rejoin key, their orders, messages and proposals are there,
 * and the game plays on to the end; the whole log (across both restarts) then verifies. Run against
 * both backends of the record (issue 14): a SQLite file (DATABASE_PATH) and a database on a throwaway
 * PostgreSQL server (DATABASE_URL). A database that cannot be used stops the start with a clear error
 * and a non-zero exit.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { Client as SdkClient } from '@colyseus/sdk';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openRecord } from '../../server/persistence/open.ts';
import type { SqlDatabase } from '../../server/persistence/sql.ts';
import { SqliteDatabase } from '../../server/persistence/sqlite.ts';
import { RecordStore } from '../../server/persistence/store.ts';
import type { Scenario } from '../../shared/index.ts';
import { freePort } from '../helpers/ports.ts';
import { loadScenario, THREE } from '../helpers/scenarios.ts';
import { ask, type Client, listen, me, myView, refusal, table, until } from './helpers.ts';
import { api, recordBackends, type ServerProcess, startServer } from './persistence-helpers.ts';

let scenario: Scenario;
const running: ServerProcess[] = [];
const record = recordBackends('bamboo-restart-');

beforeAll(() => {
  scenario = loadScenario(THREE);
});
afterEach(() => {
  for (const s of running.splice(0)) if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL');
});

async function start(env: Record<string, string>): Promise<ServerProcess> {
  const s = await startServer(env, await freePort());
  running.push(s);
  return s;
}

async function joinAt(url: string, code: string, options: object): Promise<Client> {
  const room = await new SdkClient(url).joinById(code, options as never);
  listen(room);
  await room.waitForInitialState();
  return room;
}

/** Some orders this power may give now: tries the scenario's moves until the server accepts one. */
async function someOrders(client: Client, power: string): Promise<{ move: string; target?: string }[]> {
  for (const m of scenario.moves) {
    if (m.joint || (m.by !== 'any' && !m.by.includes(power))) continue;
    const targets = m.against === 'none' ? [undefined] : scenario.powers.map((p) => p.id).filter((p) => p !== power && (m.against === 'any' || m.against.includes(p)));
    for (const target of targets) {
      const orders = [target ? { move: m.id, target } : { move: m.id }];
      try {
        await ask(client, 'set_orders', { orders });
        return orders;
      } catch {
        /* not this one */
      }
    }
  }
  throw new Error('no order accepted');
}

interface Seen {
  turn: number;
  phase: string;
  remaining: number;
  at: number;
}

function seen(client: Client): Seen {
  const t = table(client);
  return { turn: t.turn, phase: t.phase, remaining: t.deadline - Date.now(), at: Date.now() };
}

/**
 * Waits until the server at `url` hosts session `code` again. With SQLite it does before it says it
 * is running; with PostgreSQL, a session of a killed process is taken over once that process's lease
 * has run out (LEASE_SECONDS).
 */
async function hosted(url: string, code: string, timeoutMs = 15_000): Promise<void> {
  const start = Date.now();
  while ((await api(url, `/api/sessions/${code}`)).status !== 200) {
    if (Date.now() - start > timeoutMs) throw new Error(`session ${code} not restored within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.each(record.backends)('a restart loses nothing (real server process), in $name', (backend) => {
  it('survives SIGTERM and kill -9 mid-turn, with seats, time left, orders and talks', async () => {
    const where = await record.fresh(backend, 'restart');
    const env: Record<string, string> = {
      // PostgreSQL: a short lease, so that the session of the killed process is taken over within seconds.
      ...(where.url ? { DATABASE_URL: where.url, LEASE_SECONDS: '2' } : { DATABASE_PATH: where.path!, DATABASE_URL: '' }),
      BAMBOO_HEARTBEAT_MS: '100',
      RESTORE_GRACE_SECONDS: '0',
    };
    let srv = await start(env);
    const created = await api(srv.url, '/api/sessions', { body: { scenario: scenario.id, settings: { negotiationSeconds: 900, ordersSeconds: 900 } } });
    expect(created.status).toBe(201);
    const { code, secret } = created.data as { code: string; secret: string };
    const keys = ['restart-key-0', 'restart-key-1', 'restart-key-2'];
    let fac = await joinAt(srv.url, code, { role: 'facilitator', secret });
    const players: Client[] = [];
    for (const [i, key] of keys.entries()) players.push(await joinAt(srv.url, code, { role: 'player', name: `P${i}`, key }));
    await ask(fac, 'fac_start', {});
    const ids = players.map((p) => me(p).id as string);
    const powers = players.map((p) => me(p).power as string);

    // Turn 1, negotiation: a private message and an open proposal; then everyone is ready.
    await ask(players[0]!, 'chat', { to: [powers[1]], text: 'Before the storm: kestrel-7' });
    await ask(players[0]!, 'propose', { to: powers[1], terms: [{ power: powers[0], type: 'refrain', kind: scenario.kinds[0]!.id, target: powers[1], from_turn: 1, to_turn: 2 }] });
    for (const p of players) await ask(p, 'ready', { ready: true });
    await until(() => table(players[0]!).phase === 'orders', 'orders phase');
    const orders0 = await someOrders(players[0]!, powers[0]!);
    await until(() => myView(players[0]!)?.powers[powers[0]!]?.orders?.length === orders0.length, 'orders seen');
    const before = seen(players[0]!);
    expect(before.remaining).toBeGreaterThan(800_000);

    // 1. SIGTERM: a clean stop.
    const tKill = Date.now();
    srv.child.kill('SIGTERM');
    expect(await srv.exited).toEqual({ code: 0, signal: null });
    await new Promise((r) => setTimeout(r, 1500)); // downtime, which must not count against the timer
    const tSpawn = Date.now();
    srv = await start(env);
    await hosted(srv.url, code);

    for (const [i, key] of keys.entries()) players[i] = await joinAt(srv.url, code, { role: 'player', name: `P${i} again`, key });
    fac = await joinAt(srv.url, code, { role: 'facilitator', secret });
    await until(() => table(players[0]!)?.phase === 'orders', 'restored phase');
    const after = seen(players[0]!);
    expect(after.turn).toBe(before.turn);
    expect(after.phase).toBe('orders');
    // The time left when it stopped, counting neither the downtime nor more than the time it ran since.
    expect(after.remaining).toBeLessThanOrEqual(before.remaining + 500);
    expect(after.remaining).toBeGreaterThanOrEqual(before.remaining - (tKill - before.at) - (after.at - tSpawn) - 1000);
    for (const [i, p] of players.entries()) {
      expect(me(p).id).toBe(ids[i]);
      expect(me(p).power).toBe(powers[i]);
      expect(table(p).seats[powers[i]!].control).toBe('human');
    }
    await until(() => myView(players[0]!)?.powers[powers[0]!]?.orders !== undefined, 'own view');
    expect(myView(players[0]!).powers[powers[0]!].orders).toEqual(orders0);
    expect(myView(players[1]!).messages.map((m: { text: string }) => m.text)).toContain('Before the storm: kestrel-7');
    expect(myView(players[1]!).proposals.length).toBe(1);
    expect(myView(players[2]!).messages).toEqual([]);

    // Play on: the turn resolves, then the orders phase of turn 2, where it is killed.
    for (const p of players) await ask(p, 'ready', { ready: true });
    await until(() => table(players[0]!).turn === 2, 'turn 2');
    for (const p of players) await ask(p, 'ready', { ready: true });
    await until(() => table(players[0]!).phase === 'orders', 'orders of turn 2');
    const orders1 = await someOrders(players[1]!, powers[1]!);
    await ask(players[2]!, 'chat', { to: [powers[0]], text: 'After the storm: osprey-3' });
    const before2 = seen(players[0]!);

    // 2. kill -9 mid-turn.
    const tKill2 = Date.now();
    srv.child.kill('SIGKILL');
    expect((await srv.exited).signal).toBe('SIGKILL');
    {
      // What was acknowledged before the kill is in the record (SQLite: read the file as it is, without opening it as a server would).
      const db: SqlDatabase = where.url ? await openRecord(where) : new SqliteDatabase(new DatabaseSync(where.path!), where.path!);
      const texts = (await db.all<{ data: string }>("SELECT data FROM entries WHERE session = ? AND type = 'message'", [code])).map((r) => JSON.parse(r.data).text);
      // The table's current game: its last kept state and the actions recorded after it.
      const live = (await new RecordStore(db).liveState(code, 't1'))!;
      await db.close();
      expect(texts, 'entries on disk').toContain('After the storm: osprey-3');
      expect(live.messages.map((m: { text: string }) => m.text), 'live state on disk').toContain('After the storm: osprey-3');
    }
    await new Promise((r) => setTimeout(r, 1500));
    const tSpawn2 = Date.now();
    srv = await start(env);
    await hosted(srv.url, code);
    for (const [i, key] of keys.entries()) players[i] = await joinAt(srv.url, code, { role: 'player', name: `P${i}`, key });
    fac = await joinAt(srv.url, code, { role: 'facilitator', secret });
    await until(() => table(players[0]!)?.phase === 'orders', 'restored phase after kill -9');
    const after2 = seen(players[0]!);
    expect(after2.turn).toBe(2);
    expect(after2.remaining).toBeLessThanOrEqual(before2.remaining + 500);
    expect(after2.remaining).toBeGreaterThanOrEqual(before2.remaining - (tKill2 - before2.at) - (after2.at - tSpawn2) - 1000);
    for (const [i, p] of players.entries()) expect(me(p).power).toBe(powers[i]);
    await until(() => myView(players[1]!)?.powers[powers[1]!]?.orders !== undefined, 'own view');
    expect(myView(players[1]!).powers[powers[1]!].orders).toEqual(orders1);
    expect(myView(players[0]!).messages.map((m: { text: string }) => m.text)).toContain('After the storm: osprey-3');

    // To the end; the log spans both restarts and reproduces every state.
    for (let i = 0; i < 40; i++) {
      const refused = await refusal(fac, 'fac_end_phase', {});
      if (refused === 'TABLE_NOT_RUNNING') break;
      expect(refused).toBe('');
    }
    await until(() => table(fac).status === 'ended', 'game over');
    const verified = await api(srv.url, `/api/sessions/${code}/verify`, { secret });
    expect(verified.data.reports[0].problems).toEqual([]);
    expect(verified.data.ok).toBe(true);
    const replay = (await api(srv.url, `/api/sessions/${code}/tables/t1/replay`, { secret })).data;
    expect(replay.turns.length).toBe(scenario.turns.count);

    // A finished session is not re-created at the next start; its record stays.
    srv.child.kill('SIGTERM');
    await srv.exited;
    srv = await start(env);
    expect((await api(srv.url, `/api/sessions/${code}`)).status).toBe(404);
    expect((await api(srv.url, `/api/sessions/${code}/record`, { secret })).data.finished).toBe(true);
    srv.child.kill('SIGTERM');
    await srv.exited;
  });
});

describe('bad storage at start', () => {
  it('refuses a corrupted database, leaving the file as it was', async () => {
    const path = join(record.dir(), 'corrupt.db');
    const garbage = Buffer.alloc(8192, 'not a database, just some bytes. ');
    writeFileSync(path, garbage);
    const srv = await start({ DATABASE_PATH: path }).catch((e) => e as Error);
    expect(srv).toBeInstanceOf(Error);
    expect(String(srv)).toMatch(/Bamboo cannot start.*not a valid Bamboo database/s);
    expect(readFileSync(path).equals(garbage)).toBe(true);
  });

  it('refuses a database another program holds (locked)', async () => {
    const path = join(record.dir(), 'locked.db');
    const holder = new DatabaseSync(path);
    holder.exec('CREATE TABLE t (x)');
    holder.exec('BEGIN EXCLUSIVE');
    try {
      const err = await start({ DATABASE_PATH: path }).catch((e) => e as Error);
      expect(String(err)).toMatch(/Bamboo cannot start.*locked/s);
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
  });

  it('refuses a path that cannot be written, with a non-zero exit', async () => {
    const file = join(record.dir(), 'a-file');
    writeFileSync(file, 'x');
    const r = spawnSync(process.execPath, ['server/main.ts'], { env: { ...process.env, DATABASE_PATH: join(file, 'bamboo.db'), PORT: String(await freePort()) }, encoding: 'utf8', timeout: 30_000 });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/Bamboo cannot start.*cannot be written/s);
  });

  it('refuses a PostgreSQL server that does not answer (DATABASE_URL), with a non-zero exit and no stack trace', async () => {
    // Nothing listens on port 1: the connection is refused at once.
    const url = 'postgres://bamboo:pw-not-for-logs@127.0.0.1:1/bamboo';
    const r = spawnSync(process.execPath, ['server/main.ts'], { env: { ...process.env, DATABASE_URL: url, PORT: String(await freePort()) }, encoding: 'utf8', timeout: 30_000 });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/Bamboo cannot start.*PostgreSQL postgres:\/\/bamboo:\*\*\*@127\.0\.0\.1:1\/bamboo.*does not answer or refuses the connection.*Check DATABASE_URL/s);
    const output = r.stdout + r.stderr;
    expect(output).not.toMatch(/^\s+at /m);
    expect(output).not.toContain('pw-not-for-logs');
  });
});
