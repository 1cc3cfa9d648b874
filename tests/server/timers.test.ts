/**
 * Phase timers under a controlled clock (the room's `now` is replaced; the room's `tick` is what its
 * interval calls), ready-early, the default orders at the deadline, and orders sent after it.
 */
import { describe, expect, it } from 'vitest';
import { legalMoves, } from '../../shared/index.ts';
import { loadScenario, THREE } from '../helpers/scenarios.ts';
import { ask, type Client, createSession, join, me, refusal, type Session, table, until, useServer } from './helpers.ts';

const t = useServer();
const scenario = loadScenario(THREE);

interface Setup {
  s: Session;
  fac: Client;
  players: Client[];
  clock: { now: number };
}

async function setup(settings: Record<string, unknown>): Promise<Setup> {
  const s = await createSession(t.colyseus, { scenario: scenario.id, settings: { negotiationSeconds: 60, ordersSeconds: 30, ...settings } });
  const clock = { now: 1_000_000 };
  s.room.now = () => clock.now;
  const fac = await join(t.colyseus, s.code, { role: 'facilitator', secret: s.secret });
  const players: Client[] = [];
  for (let i = 0; i < scenario.powers.length; i++) players.push(await join(t.colyseus, s.code, { role: 'player', name: `P${i}` }));
  await ask(fac, 'fac_start', {});
  return { s, fac, players, clock };
}

describe('phase timers', () => {
  it('end each phase at its deadline, and pause, resume and extend move the deadline', async () => {
    const { s, fac, players, clock } = await setup({});
    const tb = s.room.tables.get('t1')!;
    expect(tb.game!.phase).toBe('negotiation');
    expect(tb.deadline).toBe(clock.now + 60_000);
    await until(() => table(players[0]!).deadline === clock.now + 60_000, 'deadline sent');

    clock.now += 59_999;
    s.room.tick();
    expect(tb.game!.phase).toBe('negotiation');
    clock.now += 1;
    s.room.tick();
    expect(tb.game!.phase).toBe('orders');
    expect(tb.deadline).toBe(clock.now + 30_000);

    clock.now += 10_000;
    await ask(fac, 'fac_pause', {});
    expect(tb.status).toBe('paused');
    expect(tb.remaining).toBe(20_000);
    expect(await refusal(players[0]!, 'ready', { ready: true })).toBe('TABLE_PAUSED');
    clock.now += 3_600_000;
    s.room.tick();
    expect(tb.game!.phase).toBe('orders');
    await ask(fac, 'fac_resume', {});
    expect(tb.deadline).toBe(clock.now + 20_000);
    await ask(fac, 'fac_extend', { seconds: 15 });
    expect(tb.deadline).toBe(clock.now + 35_000);
    await until(() => table(players[0]!).deadline === clock.now + 35_000, 'extended deadline sent');

    clock.now += 34_999;
    s.room.tick();
    expect(tb.game!.turn).toBe(1);
    clock.now += 1;
    s.room.tick();
    expect(tb.game!.turn).toBe(2);
    expect(tb.game!.phase).toBe('negotiation');
    // No orders were given and the teacher chose "no moves": the turn resolved with none.
    expect(Object.values(tb.game!.history[0]!.orders).every((o) => o.length === 0)).toBe(true);
    expect(me(players[0]!)).toBeDefined();
  });

  it('ends a phase early once every human power is ready', async () => {
    const { s, players } = await setup({});
    const tb = s.room.tables.get('t1')!;
    for (const p of players.slice(0, -1)) await ask(p, 'ready', { ready: true });
    expect(tb.game!.phase).toBe('negotiation');
    await ask(players[players.length - 1]!, 'ready', { ready: true });
    expect(tb.game!.phase).toBe('orders');
    // A power that takes back its readiness keeps the phase open.
    await ask(players[0]!, 'ready', { ready: true });
    await ask(players[0]!, 'ready', { ready: false });
    for (const p of players.slice(1)) await ask(p, 'ready', { ready: true });
    expect(tb.game!.phase).toBe('orders');
  });

  it('gives the bot\'s orders to a silent power when the teacher chose it, and refuses orders after the deadline', async () => {
    const { s, players, clock } = await setup({ defaultOrders: 'bot' });
    const tb = s.room.tables.get('t1')!;
    clock.now += 60_000;
    s.room.tick();
    expect(tb.game!.phase).toBe('orders');
    // The first player orders something; the others stay silent.
    const power = me(players[0]!).power as string;
    const move = legalMoves(scenario, tb.game!, power).find((m) => !m.joint)!;
    const order = move.untargeted ? { move: move.move } : { move: move.move, target: move.targets[0]! };
    await ask(players[0]!, 'set_orders', { orders: [order] });
    // The deadline passes before the server's timer noticed: a late order is refused by the engine.
    clock.now += 30_000;
    expect(await refusal(players[1]!, 'set_orders', { orders: [] })).toBe('WRONG_PHASE');
    expect(tb.game!.turn).toBe(2);
    const record = tb.game!.history[0]!;
    expect(record.orders[power]).toEqual([order]);
    const silent = scenario.powers.map((p) => p.id).filter((p) => p !== power);
    // What the bot orders is the engine's business; that it ordered for silent powers is ours.
    expect(silent.some((p) => (record.orders[p] ?? []).length > 0)).toBe(true);
  });
});
