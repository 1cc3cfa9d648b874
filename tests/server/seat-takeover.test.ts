/**
 * A person who takes over a seat a bot was playing is not "ready" because the bot was: the seat
 * shows them as not ready, and the phase does not end before they have acted.
 */
import { describe, expect, it } from 'vitest';
import { LAB, loadScenario } from '../helpers/scenarios.ts';
import { ask, createSession, join, me, table, until, useServer } from './helpers.ts';

const t = useServer();
const scenario = loadScenario(LAB);
const [first, second] = [scenario.powers[0]!.id, scenario.powers[1]!.id];


describe('a seat taken from a bot', () => {
  it('a student who takes a free seat a bot held is not ready, and the phase waits for them', async () => {
    const s = await createSession(t.colyseus, { scenario: scenario.id, settings: { seating: 'choice', negotiationSeconds: 0, ordersSeconds: 0 } });
    const fac = await join(t.colyseus, s.code, { role: 'facilitator', secret: s.secret });
    const a = await join(t.colyseus, s.code, { role: 'player', name: 'A', key: 'takeover-key-a' });
    await ask(a, 'choose_seat', { table: 't1', power: first });
    await ask(fac, 'fac_start', {});
    const tb = s.room.tables.get('t1')!;
    // The bot on the empty seat has talked and is ready.
    await until(() => tb.game?.powers[second]?.ready === true, 'the bot is ready');
    await until(() => table(fac).seats[second].ready === true && table(fac).seats[second].control === 'bot', 'the console shows the bot ready');

    const b = await join(t.colyseus, s.code, { role: 'player', name: 'B', key: 'takeover-key-b' });
    await ask(b, 'choose_seat', { table: 't1', power: second });
    await until(() => me(b)?.power === second, 'B holds the seat');
    expect(tb.game!.powers[second]!.ready).toBe(false);
    await until(() => table(b)?.seats[second]?.control === 'human' && table(b)?.seats[second]?.ready === false, 'B is shown as not ready');
    await until(() => table(fac).seats[second].ready === false, 'the console shows B not ready');

    // A is ready: the phase still waits for B, who has just arrived.
    await ask(a, 'ready', { ready: true });
    expect(tb.game!.phase).toBe('negotiation');
    await ask(b, 'ready', { ready: true });
    await until(() => tb.game!.phase === 'orders', 'both ready: the orders phase');
  });

  it('a seat the facilitator gives back to its player after a bot played it is not ready either', async () => {
    const s = await createSession(t.colyseus, { scenario: scenario.id, settings: { seating: 'teacher', negotiationSeconds: 0, ordersSeconds: 0 } });
    const fac = await join(t.colyseus, s.code, { role: 'facilitator', secret: s.secret });
    const a = await join(t.colyseus, s.code, { role: 'player', name: 'A', key: 'takeover-key-c' });
    const b = await join(t.colyseus, s.code, { role: 'player', name: 'B', key: 'takeover-key-d' });
    await ask(fac, 'fac_seat', { participant: me(a).id, table: 't1', power: first });
    await ask(fac, 'fac_seat', { participant: me(b).id, table: 't1', power: second });
    await ask(fac, 'fac_start', {});
    const tb = s.room.tables.get('t1')!;
    await ask(fac, 'fac_bot', { table: 't1', power: second, bot: true });
    await until(() => tb.game!.powers[second]!.ready === true, 'the bot is ready');
    await ask(fac, 'fac_bot', { table: 't1', power: second, bot: false });
    expect(tb.game!.powers[second]!.ready).toBe(false);
    expect(tb.game!.phase).toBe('negotiation');
    await until(() => table(b)?.seats[second]?.control === 'human' && table(b)?.seats[second]?.ready === false, 'B is shown as not ready');
  });
});
