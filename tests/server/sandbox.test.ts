// biome-ignore-all lint/suspicious/noExplicitAny: tests read decoded JSON of unknown shape
/**
 * Sandbox mode: the teacher plays every seat of one table alone, with "resolve now" and "undo".
 */
import { describe, expect, it } from 'vitest';
import { legalMoves } from '../../shared/index.ts';
import { FIVE, loadScenario } from '../helpers/scenarios.ts';
import { ask, createSession, decoded, join, me, refusal, table, until, useServer, viewAs } from './helpers.ts';

const t = useServer('end');
const scenario = loadScenario(FIVE);

describe('sandbox', () => {
  it('lets the facilitator play every seat, resolve now and undo', async () => {
    const s = await createSession(t.colyseus, { scenario: scenario.id, sandbox: true, tables: 3 });
    expect(s.room.tables.size).toBe(1);
    const fac = await join(t.colyseus, s.code, { role: 'facilitator', secret: s.secret });
    const visitor = await join(t.colyseus, s.code, { role: 'player', name: 'Visitor' });
    await ask(fac, 'fac_start', {});
    const tb = s.room.tables.get('t1')!;
    expect(tb.deadline).toBe(0);
    const powers = scenario.powers.map((p) => p.id);
    // The facilitator receives every power's view (and its own); every seat is the facilitator's.
    await until(() => Object.keys(decoded(fac).secrets ?? {}).length === powers.length, 'every power\'s secrets');
    for (const p of powers) expect(viewAs(fac, 't1', p)?.powers[p].orders).toEqual([]);
    expect(Object.values(table(fac).seats).every((x: any) => x.control === 'facilitator')).toBe(true);
    expect(me(visitor).table).toBe('');
    expect(await refusal(visitor, 'ready', { ready: true, seat: { table: 't1', power: powers[0]! } })).toBe('NOT_YOUR_SEAT');
    expect(await refusal(fac, 'fac_sandbox_undo', {})).toBe('NOTHING_TO_UNDO');

    // Negotiation as two powers.
    await ask(fac, 'chat', { to: [powers[1]!], text: 'hello from the first', seat: { table: 't1', power: powers[0]! } });
    expect(tb.game!.messages).toHaveLength(1);
    expect(tb.game!.messages[0]!.from).toBe(powers[0]);
    await ask(fac, 'fac_end_phase', {});
    expect(tb.game!.phase).toBe('orders');

    // Orders for every power, then resolve now.
    for (const power of powers) {
      const m = legalMoves(scenario, tb.game!, power).find((x) => !x.joint);
      if (!m) continue;
      await ask(fac, 'set_orders', { orders: [m.untargeted ? { move: m.move } : { move: m.move, target: m.targets[0]! }], seat: { table: 't1', power } });
    }
    const beforeResolution = tb.game!;
    await ask(fac, 'fac_sandbox_resolve', {});
    expect(tb.game!.turn).toBe(2);
    expect(tb.game!.phase).toBe('negotiation');
    await until(() => table(fac).undoable === 1 && table(fac).turn === 2, 'undoable');

    // Undo: back to the orders phase of turn 1, orders in place.
    await ask(fac, 'fac_sandbox_undo', {});
    expect(tb.game).toEqual(beforeResolution);
    await until(() => table(fac).turn === 1 && table(fac).phase === 'orders', 'undone');

    // Resolving from negotiation goes through both phases; the whole game can be run to the end.
    for (let i = 0; i < scenario.turns.count; i++) await ask(fac, 'fac_sandbox_resolve', {});
    expect(tb.status).toBe('ended');
    await until(() => table(fac).scores !== '', 'scores');
    await ask(fac, 'fac_sandbox_undo', {});
    expect(tb.status).toBe('running');
    expect(tb.game!.turn).toBe(scenario.turns.count);
  });
});
