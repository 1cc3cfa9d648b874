/**
 * Games that last days (issue 13, part 3): a game made by POST /api/games may have phases of days
 * (a class session's stay within 24 h); a one-day deadline under a controlled clock; a turn that ends
 * early once every power is ready; "My games" (POST /api/my-games) says whose move it is and when the
 * phase ends, only to the holder of the key.
 */
import { describe, expect, it } from 'vitest';
import type { CreateGameResponse, MyGameStatus } from '../../shared/protocol.ts';
import type { SessionRoom } from '../../server/SessionRoom.ts';
import { LAB, loadScenario } from '../helpers/scenarios.ts';
import { ask, type Client, join, until, useServer } from './helpers.ts';

const t = useServer();
const BASE = 'http://localhost:2568';
const lab = loadScenario(LAB);
const DAY = 86_400;

const post = (path: string, body: unknown) => fetch(BASE + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

async function myGames(games: { code: string; key: string }[]): Promise<MyGameStatus[]> {
  const res = await post('/api/my-games', { games });
  expect(res.status).toBe(200);
  return (await res.json()) as MyGameStatus[];
}

describe('games that last days', () => {
  it('allows phases of up to a week in games, not in class sessions', async () => {
    expect((await post('/api/games', { scenario: lab.id, power: 'alpha', timers: { ordersSeconds: 2 * DAY } })).status).toBe(201);
    expect((await post('/api/games', { scenario: lab.id, power: 'alpha', timers: { ordersSeconds: 8 * DAY } })).status).toBe(400);
    expect((await post('/api/sessions', { scenario: lab.id, settings: { ordersSeconds: 2 * DAY } })).status).toBe(400);
  });

  it('a one-day deadline under a controlled clock; ready ends the turn early; My games tells whose move it is', async () => {
    const res = await post('/api/games', { scenario: lab.id, open: { listed: false, start: 'full', bots: true }, timers: { negotiationSeconds: DAY, ordersSeconds: DAY } });
    const game = (await res.json()) as CreateGameResponse;
    const room = t.colyseus.getRoomById(game.code) as unknown as SessionRoom;
    const clock = { now: Date.UTC(2026, 10, 2, 9) };
    room.now = () => clock.now;
    const keys = lab.powers.map((p) => `key-of-${p.id}-0123456789`);
    const players: Client[] = [];
    for (const [i, p] of lab.powers.entries()) {
      const c = await join(t.colyseus, game.code, { role: 'player', name: `Player ${i + 1}`, key: keys[i]! });
      await ask(c, 'choose_seat', { table: 't1', power: p.id });
      players.push(c);
    }
    const tb = room.tables.get('t1')!;
    expect(tb.status).toBe('running');
    expect(tb.deadline).toBe(clock.now + DAY * 1000);

    // My games: everyone's move, a day left; a key not in the game learns nothing.
    let mine = await myGames([{ code: game.code, key: keys[0]! }, { code: game.code, key: 'someone-else-entirely' }, { code: 'ZZZZZZ', key: 'whatever-key-1' }]);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ code: game.code, power: 'alpha', status: 'running', phase: 'negotiation', turn: 1, yourMove: true, deadline: clock.now + DAY * 1000, now: clock.now });
    expect(mine[0]!.waitingFor.sort()).toEqual(lab.powers.map((p) => p.id).sort());

    // Unread talk: what others sent to alpha (the browser counts what is new against what it saw).
    expect(mine[0]).toMatchObject({ received: 0, openProposals: 0 });
    await ask(players[1]!, 'chat', { to: ['alpha'], text: 'hello alpha' });
    await ask(players[2]!, 'chat', { to: ['beta'], text: 'not for alpha' });
    mine = await myGames([{ code: game.code, key: keys[0]! }]);
    expect(mine[0]).toMatchObject({ received: 1, openProposals: 0 });

    // Alpha is ready: it is no longer alpha's move, but the others'.
    await ask(players[0]!, 'ready', { ready: true });
    mine = await myGames([{ code: game.code, key: keys[0]! }]);
    expect(mine[0]!.yourMove).toBe(false);
    expect(mine[0]!.waitingFor).not.toContain('alpha');

    // Nobody else acts: the day passes and the phase ends at its deadline, not a millisecond before.
    clock.now += DAY * 1000 - 1;
    room.tick();
    expect(tb.game!.phase).toBe('negotiation');
    clock.now += 1;
    room.tick();
    expect(tb.game!.phase).toBe('orders');
    expect(tb.deadline).toBe(clock.now + DAY * 1000);

    // Everyone ready in an hour: the turn ends early, without waiting for the day to pass.
    clock.now += 3600_000;
    for (const p of players) await ask(p, 'ready', { ready: true });
    await until(() => tb.game!.turn === 2, 'the turn ends early');
    expect(tb.game!.phase).toBe('negotiation');
    expect(tb.deadline).toBe(clock.now + DAY * 1000);
    mine = await myGames([{ code: game.code, key: keys[1]! }]);
    expect(mine[0]).toMatchObject({ power: 'beta', turn: 2, phase: 'negotiation', yourMove: true });
  });

  it('refuses more than 50 games at once and malformed codes', async () => {
    const many = Array.from({ length: 51 }, () => ({ code: 'AAAAAA', key: 'k'.repeat(10) }));
    expect((await post('/api/my-games', { games: many })).status).toBe(400);
    expect((await post('/api/my-games', { games: [{ code: 'nope', key: 'k'.repeat(10) }] })).status).toBe(400);
  });
});
