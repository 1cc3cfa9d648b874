/**
 * Play now (issue 13, part 1): `POST /api/games` makes a game played alone against bots in one request;
 * the player who joins with the answered key gets the chosen power, the game starts at once with bots
 * in every other seat, bots answer proposals, and it plays to the end; the record keeps it.
 */
import { describe, expect, it } from 'vitest';
import type { CreateGameResponse } from '../../shared/protocol.ts';
import type { SessionRoom } from '../../server/SessionRoom.ts';
import { LAB, loadScenario } from '../helpers/scenarios.ts';
import { ask, decoded, join, me, refusal, table, until, useServer } from './helpers.ts';

const t = useServer();
const scenario = loadScenario(LAB);

async function createGame(body: unknown): Promise<{ status: number; data: CreateGameResponse & { error?: string } }> {
  const res = await fetch('http://localhost:2568/api/games', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, data: (await res.json()) as CreateGameResponse & { error?: string } };
}

describe('play now', () => {
  it('refuses an unknown scenario, an unknown power and bad timers', async () => {
    expect((await createGame({ scenario: 'no_such', power: 'alpha' })).status).toBe(400);
    expect((await createGame({ scenario: scenario.id, power: 'nobody' })).status).toBe(400);
    expect((await createGame({ scenario: scenario.id, power: 'alpha', timers: { ordersSeconds: -1 } })).status).toBe(400);
    expect((await createGame({ scenario: scenario.id, power: 'alpha', extra: 1 })).status).toBe(400);
  });

  it('starts when its player arrives, bots in every other seat, and plays to the end', async () => {
    const { status, data } = await createGame({ scenario: scenario.id, power: 'alpha' });
    expect(status).toBe(201);
    expect(data.power).toBe('alpha');
    const room = t.colyseus.getRoomById(data.roomId) as unknown as SessionRoom;
    const tb = room.tables.get('t1')!;
    expect(tb.status).toBe('waiting');

    // Someone else with the code is not seated (and does not start the game).
    const stranger = await join(t.colyseus, data.code, { role: 'player', name: 'Stranger' });
    expect(me(stranger).power).toBe('');
    expect(tb.status).toBe('waiting');
    await stranger.leave();

    const player = await join(t.colyseus, data.code, { role: 'player', name: 'Alone', key: data.key });
    await until(() => table(player)?.status === 'running', 'the game starts');
    expect(me(player).power).toBe('alpha');
    const seats = table(player).seats;
    expect(seats.alpha.control).toBe('human');
    for (const p of scenario.powers.filter((x) => x.id !== 'alpha')) expect(seats[p.id].control).toBe('bot');
    // No timers unless chosen.
    expect(table(player).deadline).toBe(0);
    expect(decoded(player).settings.seating).toBe('teacher');

    // Bots answer a proposal.
    const pact = (by: string, target: string) => ({ power: by, type: 'do', move: 'pact', target, from_turn: 1, to_turn: 1 });
    await ask(player, 'propose', { to: 'beta', terms: [pact('alpha', 'beta'), pact('beta', 'alpha')] });
    const mine = () => tb.game!.proposals.find((p) => p.from === 'alpha' && p.to === 'beta');
    await until(() => mine() !== undefined && mine()!.status !== 'open', 'the bot answers');

    // A reload (a new connection with the same key) is the same player, at the same power.
    await player.leave();
    const again = await join(t.colyseus, data.code, { role: 'player', name: 'Alone', key: data.key });
    await until(() => me(again)?.power === 'alpha' && table(again)?.seats.alpha.control === 'human', 'back at alpha');

    for (let i = 0; i < 2 * scenario.turns.count && tb.status !== 'ended'; i++) {
      await ask(again, 'ready', { ready: true });
    }
    await until(() => table(again)?.status === 'ended' && table(again)?.scores !== '', 'the game ends');
    expect(JSON.parse(table(again).scores).ranking).toHaveLength(scenario.powers.length);
    expect(await refusal(again, 'ready', { ready: true })).toBe('GAME_OVER');
    // The record: the player's seat, and the session as a game alone.
    expect(t.recorder.last?.solo).toEqual({ power: 'alpha', keyHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it('keeps the chosen timers', async () => {
    const { data } = await createGame({ scenario: scenario.id, power: 'beta', timers: { negotiationSeconds: 600, ordersSeconds: 300 } });
    const room = t.colyseus.getRoomById(data.roomId) as unknown as SessionRoom;
    const clock = { now: 5_000_000 };
    room.now = () => clock.now;
    const player = await join(t.colyseus, data.code, { role: 'player', name: 'Timed', key: data.key });
    await until(() => table(player)?.status === 'running', 'started');
    expect(room.tables.get('t1')!.deadline).toBe(clock.now + 600_000);
    clock.now += 600_000;
    room.tick();
    expect(room.tables.get('t1')!.game!.phase).toBe('orders');
    expect(room.tables.get('t1')!.deadline).toBe(clock.now + 300_000);
  });
});
