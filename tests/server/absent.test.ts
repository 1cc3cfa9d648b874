/**
 * Fair play among strangers (issue 13, part 4): in a game made by POST /api/games, a player who misses
 * two deadlines in a row is replaced by a bot ('absent', on their seat's card) until they act again or
 * come back; one missed deadline followed by an action starts the count again. Class sessions keep the
 * teacher in charge (no such takeover). Deadlines of a day, under a controlled clock.
 */
import { describe, expect, it } from 'vitest';
import type { CreateGameResponse } from '../../shared/protocol.ts';
import type { SessionRoom } from '../../server/SessionRoom.ts';
import { LAB, loadScenario } from '../helpers/scenarios.ts';
import { ask, type Client, createSession, join, table, until, useServer } from './helpers.ts';

const t = useServer();
const lab = loadScenario(LAB);
const DAY_MS = 86_400_000;

async function openGame(): Promise<{ room: SessionRoom; players: Client[]; clock: { now: number } }> {
  const res = await fetch('http://localhost:2568/api/games', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ scenario: lab.id, open: { listed: false, start: 'full', bots: true }, timers: { negotiationSeconds: 86_400, ordersSeconds: 86_400 } }),
  });
  const game = (await res.json()) as CreateGameResponse;
  const room = t.colyseus.getRoomById(game.code) as unknown as SessionRoom;
  const clock = { now: Date.UTC(2026, 10, 2, 9) };
  room.now = () => clock.now;
  const players: Client[] = [];
  for (const p of lab.powers) {
    const c = await join(t.colyseus, game.code, { role: 'player', name: `Player ${p.id}`, key: `key-${p.id}-0123456789` });
    await ask(c, 'choose_seat', { table: 't1', power: p.id });
    players.push(c);
  }
  return { room, players, clock };
}

describe('missed deadlines', () => {
  it('two in a row: a bot plays the seat, said on its card, until the player acts again', async () => {
    const { room, players, clock } = await openGame();
    const [alpha, beta, gamma] = players as [Client, Client, Client];
    const tb = room.tables.get('t1')!;
    expect(tb.status).toBe('running');

    // Deadline 1 (talks): alpha and beta never said ready; gamma did.
    await ask(gamma, 'ready', { ready: true });
    clock.now += DAY_MS;
    room.tick();
    expect(tb.game!.phase).toBe('orders');
    expect(tb.seats.get('alpha')!.missed).toBe(1);
    expect(tb.seats.get('beta')!.missed).toBe(1);
    expect(tb.seats.get('gamma')!.missed).toBe(0);

    // Deadline 2 (orders): beta gave orders (acted), alpha did nothing again.
    await ask(beta, 'set_orders', { orders: [{ move: 'pact', target: 'gamma' }] });
    await ask(gamma, 'ready', { ready: true });
    clock.now += DAY_MS;
    room.tick();
    expect(tb.game!.turn).toBe(2);
    expect(tb.seats.get('beta')!.missed).toBe(0);
    expect(tb.seats.get('alpha')!.botReason).toBe('absent');
    await until(() => table(beta)?.seats.alpha?.control === 'bot' && table(beta)?.seats.alpha?.botReason === 'absent', 'the card says a bot stands in');

    // With alpha's seat a bot's, the others' readiness ends the phase early.
    await ask(beta, 'ready', { ready: true });
    await ask(gamma, 'ready', { ready: true });
    await until(() => tb.game!.phase === 'orders', 'talks end once the people are ready');

    // Alpha is back: acting hands the seat back.
    await ask(alpha, 'ready', { ready: true });
    expect(tb.seats.get('alpha')!.botReason).toBe('');
    expect(tb.seats.get('alpha')!.missed).toBe(0);
    await until(() => table(alpha)?.seats.alpha?.control === 'human', 'alpha plays again');
  });

  it('a class session has no such takeover', async () => {
    const s = await createSession(t.colyseus, { scenario: lab.id, settings: { negotiationSeconds: 60, ordersSeconds: 60 } });
    const clock = { now: 1_000_000 };
    s.room.now = () => clock.now;
    const fac = await join(t.colyseus, s.code, { role: 'facilitator', secret: s.secret });
    for (const p of lab.powers) await join(t.colyseus, s.code, { role: 'player', name: `P ${p.id}` });
    await ask(fac, 'fac_start', {});
    const tb = s.room.tables.get('t1')!;
    for (let i = 0; i < 3; i++) {
      clock.now += 60_000;
      s.room.tick();
    }
    for (const seat of tb.seats.values()) expect(seat.botReason).toBe('');
  });
});
