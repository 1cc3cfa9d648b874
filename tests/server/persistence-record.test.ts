/**
 * The record (issue 6): every game is stored as it happens, and re-running a stored log through the
 * engine reproduces every stored state exactly — over many bot games of several scenarios, a game
 * with human negotiation, a sandbox with undo, and forks. Tampering with the record is detected.
 * Every suite runs against both backends of the record (issue 14): a SQLite file and a database on a
 * throwaway PostgreSQL server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pack } from '../../server/persistence/codec.ts';
import { verifySession, verifyTable } from '../../server/persistence/verify.ts';
import { legalMoves } from '../../shared/index.ts';
import { ask, type Client, createSession, join as joinRoom, me } from './helpers.ts';
import { api, bootPersistent, type PersistentServer, recordBackends, settled, stopPersistent } from './persistence-helpers.ts';

const BASE = 'http://localhost:2568';
const record = recordBackends('bamboo-record-');

describe.each(record.backends)('in $name', (backend) => {
  let t: PersistentServer;

  beforeAll(async () => {
    t = await bootPersistent(await record.fresh(backend, 'record'));
  });
  afterAll(() => stopPersistent(t));

  /** Plays every table of a session to the end with bots on every seat (the facilitator ends each phase). */
  async function botSession(scenario: string, tables: number) {
    const s = await createSession(t.colyseus, { scenario, tables, settings: { negotiationSeconds: 0, ordersSeconds: 0 } });
    const fac = await joinRoom(t.colyseus, s.code, { role: 'facilitator', secret: s.secret });
    await ask(fac, 'fac_start', {});
    for (let i = 0; i < 200 && [...s.room.tables.values()].some((x) => x.status !== 'ended'); i++) await ask(fac, 'fac_end_phase', {});
    await settled(t.persistence);
    return { s, fac };
  }

  describe('the record and its verification', () => {
    it('reproduces every stored state of many bot games exactly', async () => {
      const games: { code: string; table: string }[] = [];
      for (const [scenario, tables] of [
        ['hanoi_2024', 8],
        ['tern_islands', 6],
        ['river_compact', 6],
      ] as const) {
        for (let round = 0; round < 2; round++) {
          const { s } = await botSession(scenario, tables);
          for (const id of s.room.tables.keys()) games.push({ code: s.code, table: id });
          await t.colyseus.cleanup();
        }
      }
      expect(games.length).toBe(40);
      const store = t.persistence.store;
      let actions = 0;
      let states = 0;
      for (const g of games) {
        const r = await verifyTable(store, g.code, g.table);
        expect(r.problems, `${g.code}/${g.table}`).toEqual([]);
        expect(r.ok).toBe(true);
        expect((await store.tables(g.code)).find((x) => x.id === g.table)!.status).toBe('ended');
        actions += r.actions;
        states += r.states;
      }
      expect(actions).toBeGreaterThan(40 * 10);
      expect(states).toBeGreaterThan(40 * 4);
      // The sessions are finished: nothing to restore at a restart.
      for (const code of new Set(games.map((g) => g.code))) expect((await store.session(code))!.finished).toBe(true);
    });

    it('detects a tampered state, a tampered action and a changed seed', async () => {
      const { s } = await botSession('tern_islands', 1);
      const store = t.persistence.store;
      expect((await verifyTable(store, s.code, 't1')).ok).toBe(true);
      // Through the storage interface (`?` placeholders), the same on both backends.
      const db = store.db;
      // A metric changed in a stored phase state (written whole: deflated JSON, format 1).
      const row = (await db.get<{ id: number; state: Uint8Array; format: number; base: number | null }>(
        "SELECT id, state, format, base FROM states WHERE session = ? AND reason = 'phase' ORDER BY id LIMIT 1 OFFSET 2",
        [s.code],
      ))!;
      expect(row).toBeDefined();
      const tampered = (await store.state(s.code, row.id))! as unknown as { powers: Record<string, { metrics: Record<string, number> }> };
      const power = Object.keys(tampered.powers)[0]!;
      const metric = Object.keys(tampered.powers[power]!.metrics)[0]!;
      tampered.powers[power]!.metrics[metric]! += 1;
      expect(await db.run('UPDATE states SET state = ?, format = 1, base = NULL WHERE id = ?', [pack(JSON.stringify(tampered)), row.id])).toBe(1);
      const r1 = await verifyTable(store, s.code, 't1');
      expect(r1.ok).toBe(false);
      expect(r1.problems.join('\n')).toMatch(/differs/);
      await db.run('UPDATE states SET state = ?, format = ?, base = ? WHERE id = ?', [row.state, row.format, row.base, row.id]);
      expect((await verifyTable(store, s.code, 't1')).ok).toBe(true);
      // The seed of the table changed: the new game differs from the stored one.
      const start = (await db.get<{ seq: number; data: string }>("SELECT seq, data FROM entries WHERE session = ? AND kind = 'table' AND type = 'start'", [s.code]))!;
      expect(await db.run('UPDATE entries SET data = ? WHERE session = ? AND seq = ?', [JSON.stringify({ seed: 'another seed' }), s.code, start.seq])).toBe(1);
      expect((await verifyTable(store, s.code, 't1')).ok).toBe(false);
      await db.run('UPDATE entries SET data = ? WHERE session = ? AND seq = ?', [start.data, s.code, start.seq]);
      // An order dropped from the log.
      const order = (await db.get<{ seq: number; data: string }>(
        "SELECT seq, data FROM entries WHERE session = ? AND kind = 'action' AND type = 'set_orders' AND data LIKE '%\"move\"%' ORDER BY seq LIMIT 1",
        [s.code],
      ))!;
      const action = JSON.parse(order.data);
      expect(await db.run('UPDATE entries SET data = ? WHERE session = ? AND seq = ?', [JSON.stringify({ ...action, orders: [] }), s.code, order.seq])).toBe(1);
      expect((await verifyTable(store, s.code, 't1')).ok).toBe(false);
      await db.run('UPDATE entries SET data = ? WHERE session = ? AND seq = ?', [order.data, s.code, order.seq]);
      expect((await verifyTable(store, s.code, 't1')).ok).toBe(true);
      await t.colyseus.cleanup();
    });

    it('records negotiation (messages, proposals, commitments) with actors, and a sandbox with undo', async () => {
      const s = await createSession(t.colyseus, { scenario: 'tern_islands', settings: { negotiationSeconds: 0, ordersSeconds: 0 } });
      const fac = await joinRoom(t.colyseus, s.code, { role: 'facilitator', secret: s.secret });
      const players: Client[] = [];
      for (let i = 0; i < 3; i++) players.push(await joinRoom(t.colyseus, s.code, { role: 'player', name: `P${i}`, key: `negotiation-key-${i}` }));
      await ask(fac, 'fac_start', {});
      const [a, b] = players as [Client, Client];
      const pa = me(a).power as string;
      const pb = me(b).power as string;
      await ask(a, 'chat', { to: [pb], text: 'A secret between us' });
      await ask(a, 'propose', { to: pb, terms: [{ power: pa, type: 'refrain', kind: s.room.entry.scenario.kinds[0]!.id, target: pb, from_turn: 1, to_turn: 1 }] });
      const proposal = s.room.tables.get('t1')!.game!.proposals[0]!;
      await ask(b, 'respond', { proposal: proposal.id, accept: true });
      for (const p of players) await ask(p, 'ready', { ready: true });
      const game = s.room.tables.get('t1')!.game!;
      expect(game.phase).toBe('orders');
      const m = legalMoves(s.room.entry.scenario, game, pa).find((x) => !x.joint && x.untargeted)!;
      if (m) await ask(a, 'set_orders', { orders: [{ move: m.move }] });
      for (const p of players) await ask(p, 'ready', { ready: true });
      await ask(fac, 'fac_announce', { text: 'Well played' });
      await ask(fac, 'fac_end_game', {});
      await settled(t.persistence);
      const store = t.persistence.store;
      const entries = await store.entries(s.code);
      const types = entries.map((e) => `${e.kind}:${e.type}`);
      for (const x of ['action:message', 'action:propose', 'action:respond', 'action:set_orders', 'action:ready', 'action:advance', 'phase:advance', 'table:start', 'table:ended', 'session:announce', 'session:join']) {
        expect(types).toContain(x);
      }
      const chat = entries.find((e) => e.type === 'message')!;
      expect(chat.actor).toEqual({ kind: 'participant', participant: me(a).id });
      expect((chat.data as { text: string }).text).toBe('A secret between us');
      expect(entries.find((e) => e.type === 'advance')!.actor).toEqual({ kind: 'server', reason: 'ready' });
      expect((await store.latestState(s.code, 't1'))!.commitments.length).toBeGreaterThan(0);
      expect((await verifySession(store, s.code)).every((r) => r.ok)).toBe(true);
      await t.colyseus.cleanup();

      // A sandbox: the facilitator resolves and undoes; the undo is replayed too.
      const sb = await createSession(t.colyseus, { scenario: 'tern_islands', sandbox: true });
      const f2 = await joinRoom(t.colyseus, sb.code, { role: 'facilitator', secret: sb.secret });
      await ask(f2, 'fac_start', {});
      await ask(f2, 'fac_sandbox_resolve', {});
      await ask(f2, 'fac_sandbox_resolve', {});
      await ask(f2, 'fac_sandbox_undo', {});
      await ask(f2, 'fac_sandbox_resolve', {});
      await settled(t.persistence);
      const r = await verifyTable(store, sb.code, 't1');
      expect(r.problems).toEqual([]);
      expect((await store.entries(sb.code)).some((e) => e.type === 'undo')).toBe(true);
      // The undo stack survives in the snapshot.
      expect((await store.snapshot(sb.code))!.tables[0]!.undo.length).toBe(2);
      await t.colyseus.cleanup();
    });
  });

  describe('the HTTP API of the record', () => {
    it('replays publicly without the secret and privately with it', async () => {
      const s = await createSession(t.colyseus, { scenario: 'tern_islands', settings: { negotiationSeconds: 0, ordersSeconds: 0 } });
      const fac = await joinRoom(t.colyseus, s.code, { role: 'facilitator', secret: s.secret });
      const a = await joinRoom(t.colyseus, s.code, { role: 'player', name: 'A', key: 'replay-key-a' });
      const b = await joinRoom(t.colyseus, s.code, { role: 'player', name: 'B', key: 'replay-key-b' });
      await ask(fac, 'fac_start', {});
      await ask(a, 'chat', { to: [me(b).power], text: 'Psst: zebra-quartz at noon' });
      for (let i = 0; i < 6; i++) await ask(fac, 'fac_end_phase', {});
      await settled(t.persistence);

      const pub = await api(BASE, `/api/sessions/${s.code}/tables/t1/replay`);
      expect(pub.status).toBe(200);
      expect(pub.data.private).toBe(false);
      expect(pub.data.turns.length).toBeGreaterThanOrEqual(3);
      expect(pub.data.turns[0].frames[0].view.viewer).toBe('spectator');
      expect(pub.text).not.toContain('zebra-quartz');
      expect(pub.data.turns[0].entries).toBeUndefined();
      expect(pub.data.seed).toBeNull();

      const priv = await api(BASE, `/api/sessions/${s.code}/tables/t1/replay`, { secret: s.secret });
      expect(priv.data.private).toBe(true);
      expect(priv.text).toContain('zebra-quartz');
      expect(priv.data.turns[0].frames[0].view.viewer).toBe('facilitator');
      expect(priv.data.turns[0].entries.some((e: any) => e.type === 'message')).toBe(true);
      expect(priv.data.turns[0].record.turn).toBe(1);

      const one = await api(BASE, `/api/sessions/${s.code}/tables/t1/replay?turn=2`, { secret: s.secret });
      expect(one.data.turns.map((x: any) => x.turn)).toEqual([2]);
      expect((await api(BASE, `/api/sessions/${s.code}/tables/t1/replay`, { secret: 'wrong' })).status).toBe(401);
      expect((await api(BASE, `/api/sessions/NOPE99/tables/t1/replay`)).status).toBe(404);

      const v = await api(BASE, `/api/sessions/${s.code}/verify`, { secret: s.secret });
      expect(v.data.ok).toBe(true);
      expect((await api(BASE, `/api/sessions/${s.code}/verify`)).status).toBe(401);
      await t.colyseus.cleanup();
    });

    it('forks a past turn into a new table, plays it, and compares the runs', async () => {
      const s = await createSession(t.colyseus, { scenario: 'tern_islands', tables: 2, settings: { negotiationSeconds: 0, ordersSeconds: 0 } });
      const fac = await joinRoom(t.colyseus, s.code, { role: 'facilitator', secret: s.secret });
      await ask(fac, 'fac_start', {});
      for (let i = 0; i < 200 && [...s.room.tables.values()].some((x) => x.status !== 'ended'); i++) await ask(fac, 'fac_end_phase', {});
      await settled(t.persistence);

      expect((await api(BASE, `/api/sessions/${s.code}/forks`, { body: { table: 't1', turn: 2 } })).status).toBe(401);
      expect((await api(BASE, `/api/sessions/${s.code}/forks`, { body: { table: 't1', turn: 99 }, secret: s.secret })).status).toBe(404);
      const fork = await api(BASE, `/api/sessions/${s.code}/forks`, { body: { table: 't1', turn: 2 }, secret: s.secret });
      expect(fork.status).toBe(201);
      expect(fork.data.table).toBe('t3');
      const t3 = s.room.tables.get('t3')!;
      expect(t3.status).toBe('paused');
      expect(t3.game!.turn).toBe(2);
      expect(t3.game!.phase).toBe('negotiation');
      // Its history is the original's up to the fork.
      const original = (await t.persistence.store.latestState(s.code, 't1'))!;
      expect(t3.game!.history).toEqual(original.history.slice(0, 1));
      await ask(fac, 'fac_resume', { table: 't3' });
      for (let i = 0; i < 100 && t3.status !== 'ended'; i++) await ask(fac, 'fac_end_phase', { table: 't3' });
      await settled(t.persistence);
      expect(t3.status).toBe('ended');
      const store = t.persistence.store;
      expect((await store.tables(s.code)).find((x) => x.id === 't3')!.forkOf).toMatchObject({ table: 't1', turn: 2, phase: 'negotiation' });
      expect((await verifyTable(store, s.code, 't3')).problems).toEqual([]);

      const cmp = await api(BASE, `/api/sessions/${s.code}/compare`, { secret: s.secret });
      expect(cmp.status).toBe(200);
      expect(cmp.data.runs.map((r: any) => r.table)).toEqual(['t1', 't2', 't3']);
      const [r1, , r3] = cmp.data.runs;
      expect(r1.turns[0]).toBe(0);
      expect(r3.turns).toEqual(r1.turns);
      // Same values until the fork (start and turn 1), and scores for each run.
      const power = cmp.data.powers[0].id;
      const metric = cmp.data.metrics.power[0].id;
      expect(r3.metrics[power][metric].slice(0, 2)).toEqual(r1.metrics[power][metric].slice(0, 2));
      expect(Object.keys(r1.relations)).toEqual(cmp.data.pairs.map((p: any) => p.key));
      expect(r1.scores.final).toBe(true);
      expect(r3.scores.ranking.length).toBe(3);

      // One class against another: each run with its own secret.
      const { s: other } = await botSession('tern_islands', 1);
      const cross = await api(BASE, '/api/compare', {
        body: {
          runs: [
            { session: s.code, table: 't1', secret: s.secret },
            { session: other.code, secret: other.secret },
          ],
        },
      });
      expect(cross.status).toBe(200);
      expect(cross.data.runs.map((r: any) => `${r.session}/${r.table}`)).toEqual([`${s.code}/t1`, `${other.code}/t1`]);
      const wrong = await api(BASE, '/api/compare', { body: { runs: [{ session: s.code, secret: s.secret }, { session: other.code, secret: s.secret }] } });
      expect(wrong.status).toBe(401);
      await t.colyseus.cleanup();
    });
  });
});
