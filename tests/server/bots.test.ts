/**
 * Bots on empty seats answer proposals in either phase, and choose their orders after the deal: a
 * joint move agreed with a bot during the orders phase is in the bot's orders and happens.
 */
import { describe, expect, it } from 'vitest';
import { LAB, loadScenario } from '../helpers/scenarios.ts';
import { ask, createSession, join, me, until, useServer } from './helpers.ts';

const t = useServer();
const scenario = loadScenario(LAB);

describe('bots and proposals', () => {
  it.each(['negotiation', 'orders'] as const)('a bot answers a proposal made in the %s phase and keeps the deal', async (phase) => {
    const s = await createSession(t.colyseus, { scenario: scenario.id, settings: { negotiationSeconds: 0, ordersSeconds: 0 } });
    const fac = await join(t.colyseus, s.code, { role: 'facilitator', secret: s.secret });
    const player = await join(t.colyseus, s.code, { role: 'player', name: 'Solo', key: 'solo-key-1234' });
    await ask(fac, 'fac_seat', { participant: me(player).id, table: 't1', power: 'alpha' });
    await ask(fac, 'fac_start', {});
    const tb = s.room.tables.get('t1')!;
    if (phase === 'orders') await ask(player, 'ready', { ready: true });
    await until(() => tb.game!.phase === phase, phase);

    const pact = (by: string, target: string) => ({ power: by, type: 'do', move: 'pact', target, from_turn: 1, to_turn: 1 });
    await ask(player, 'propose', { to: 'beta', terms: [pact('alpha', 'beta'), pact('beta', 'alpha')] });
    const mine = () => tb.game!.proposals.find((p) => p.from === 'alpha' && p.to === 'beta');
    await until(() => mine() !== undefined && mine()!.status !== 'open', 'the bot answers');
    expect(mine()!.status).toBe('accepted');
    expect(tb.game!.powers.beta!.orders).toContainEqual({ move: 'pact', target: 'alpha' });

    if (phase === 'negotiation') await ask(player, 'ready', { ready: true });
    await until(() => tb.game!.phase === 'orders', 'orders phase');
    await ask(player, 'ready', { ready: true });
    await until(() => tb.game!.turn === 2, 'resolution');
    const record = tb.game!.history[0]!;
    expect(record.events).toContainEqual(expect.objectContaining({ type: 'move', actor: 'beta', move: 'pact', outcome: 'done' }));
    const promise = tb.game!.commitments.find((c) => c.proposal === mine()!.id && c.by === 'beta');
    expect(promise?.status).toBe('kept');
  });
});
