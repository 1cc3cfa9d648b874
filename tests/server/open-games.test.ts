/**
 * Open games and the public list (issue 13, part 2), with real SDK clients: a listed game of a
 * four-power scenario, joined by three players who each take a free power, started at its time (a
 * controlled clock) with a bot in the empty seat, and played to the end; a game that starts when full;
 * the creator closing the list; an unlisted game joined by its code.
 */
import { describe, expect, it } from 'vitest';
import type { CreateGameResponse, OpenGameSummary } from '../../shared/protocol.ts';
import type { SessionRoom } from '../../server/SessionRoom.ts';
import { HANOI, LAB, loadScenario } from '../helpers/scenarios.ts';
import { ask, type Client, join, me, refusal, table, until, useServer } from './helpers.ts';

const t = useServer();
const BASE = 'http://localhost:2568';
const hanoi = loadScenario(HANOI);
const lab = loadScenario(LAB);

async function createGame(body: unknown): Promise<CreateGameResponse> {
  const res = await fetch(`${BASE}/api/games`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.status).toBe(201);
  return (await res.json()) as CreateGameResponse;
}

async function list(): Promise<OpenGameSummary[]> {
  const res = await fetch(`${BASE}/api/games`);
  expect(res.status).toBe(200);
  return (await res.json()) as OpenGameSummary[];
}

const roomOf = (code: string) => t.colyseus.getRoomById(code) as unknown as SessionRoom;

describe('open games', () => {
  it('a listed game: three players take free powers, it starts at its time with a bot in the empty seat and plays to the end', async () => {
    const clock = { now: Date.now() };
    const at = clock.now + 3_600_000;
    const game = await createGame({ scenario: hanoi.id, open: { listed: true, start: at, bots: true } });
    expect(game.key).toBe('');
    const room = roomOf(game.code);
    room.now = () => clock.now;
    await until(() => room.metadata?.listing !== undefined, 'listed');
    const listed = (await list()).find((g) => g.code === game.code)!;
    expect(listed).toMatchObject({ scenario: hanoi.id, start: at, bots: true, free: hanoi.powers.map((p) => p.id) });
    expect(listed.powers).toHaveLength(4);

    const players: Client[] = [];
    for (const [i, power] of hanoi.powers.slice(0, 3).map((p) => p.id).entries()) {
      const c = await join(t.colyseus, game.code, { role: 'player', name: `Stranger ${i + 1}` });
      await ask(c, 'choose_seat', { table: 't1', power });
      players.push(c);
    }
    // Two players cannot hold one power.
    const late = await join(t.colyseus, game.code, { role: 'player', name: 'Late' });
    expect(await refusal(late, 'choose_seat', { table: 't1', power: hanoi.powers[0]!.id })).toBe('SEAT_TAKEN');
    await late.leave();
    await until(() => (room.metadata?.listing?.free.length ?? -1) === 1, 'one free power');
    expect((await list()).find((g) => g.code === game.code)!.free).toEqual([hanoi.powers[3]!.id]);

    room.tick();
    expect(room.tables.get('t1')!.status).toBe('waiting');
    clock.now = at;
    room.tick();
    const tb = room.tables.get('t1')!;
    expect(tb.status).toBe('running');
    await until(() => table(players[0]!)?.seats[hanoi.powers[3]!.id]?.control === 'bot', 'a bot in the empty seat');
    for (const p of players) expect(table(p).seats[me(p).power].control).toBe('human');
    // A started game leaves the list.
    await until(() => room.metadata?.listing === undefined, 'unlisted');
    expect((await list()).some((g) => g.code === game.code)).toBe(false);

    for (let i = 0; i < 2 * hanoi.turns.count && tb.status !== 'ended'; i++) {
      const phase = `${tb.game!.turn}:${tb.game!.phase}`;
      for (const p of players) await ask(p, 'ready', { ready: true });
      await until(() => tb.status === 'ended' || `${tb.game!.turn}:${tb.game!.phase}` !== phase, 'the phase ends when every player is ready');
    }
    await until(() => table(players[0]!)?.status === 'ended' && table(players[0]!).scores !== '', 'the game ends');
    expect(JSON.parse(table(players[0]!).scores).ranking).toHaveLength(4);
    expect(t.recorder.last?.open).toEqual({ listed: true, start: at, bots: true });
  });

  it('a game "when full" starts once every power is taken, not before, and never with bots alone', async () => {
    const game = await createGame({ scenario: lab.id, open: { listed: true, start: 'full', bots: false } });
    const room = roomOf(game.code);
    room.tick();
    expect(room.tables.get('t1')!.status).toBe('waiting');
    const players: Client[] = [];
    for (const p of lab.powers) {
      expect(room.tables.get('t1')!.status).toBe('waiting');
      const c = await join(t.colyseus, game.code, { role: 'player', name: `Player ${p.id}` });
      await ask(c, 'choose_seat', { table: 't1', power: p.id });
      players.push(c);
    }
    expect(room.tables.get('t1')!.status).toBe('running');
    await until(() => table(players[0]!)?.status === 'running', 'started for the players');
    for (const p of lab.powers) expect(table(players[0]!).seats[p.id].control).toBe('human');
  });

  it('a game at a time without bots waits until it is full', async () => {
    const clock = { now: Date.now() };
    const game = await createGame({ scenario: lab.id, open: { listed: false, start: clock.now + 1000, bots: false } });
    const room = roomOf(game.code);
    room.now = () => clock.now;
    const c = await join(t.colyseus, game.code, { role: 'player', name: 'Only me' });
    await ask(c, 'choose_seat', { table: 't1', power: 'alpha' });
    clock.now += 10_000;
    room.tick();
    expect(room.tables.get('t1')!.status).toBe('waiting');
  });

  it('the creator closes the list; an unlisted game is never listed but joins by its code', async () => {
    const game = await createGame({ scenario: lab.id, open: { listed: true, start: 'full', bots: true } });
    const room = roomOf(game.code);
    await until(() => room.metadata?.listing !== undefined, 'listed');
    const close = (secret: string) => fetch(`${BASE}/api/games/${game.code}/close`, { method: 'POST', headers: { authorization: `Bearer ${secret}` } });
    expect((await close('not-the-secret')).status).toBe(401);
    expect((await fetch(`${BASE}/api/games/ZZZZZZ/close`, { method: 'POST' })).status).toBe(404);
    expect((await list()).some((g) => g.code === game.code)).toBe(true);
    expect((await close(game.secret)).status).toBe(204);
    await until(() => room.metadata?.listing === undefined, 'unlisted');
    expect((await list()).some((g) => g.code === game.code)).toBe(false);

    const hidden = await createGame({ scenario: lab.id, open: { listed: false, start: 'full', bots: true } });
    expect((await list()).some((g) => g.code === hidden.code)).toBe(false);
    const c = await join(t.colyseus, hidden.code, { role: 'player', name: 'Friend' });
    await ask(c, 'choose_seat', { table: 't1', power: 'beta' });
    await until(() => me(c)?.power === 'beta', 'seated at beta');
  });

  it('applies the name rules to whoever joins an open game', async () => {
    const game = await createGame({ scenario: lab.id, open: { listed: true, start: 'full', bots: true } });
    await expect(join(t.colyseus, game.code, { role: 'player', name: 'Teacher' })).rejects.toThrow();
    await expect(join(t.colyseus, game.code, { role: 'player', name: 'a\u202Eb' })).rejects.toThrow();
  });

  it('the creator removes a player who never showed up, before the start only, with their secret', async () => {
    const game = await createGame({ scenario: lab.id, open: { listed: true, start: 'full', bots: false } });
    const room = roomOf(game.code);
    const [first, second] = lab.powers.map((p) => p.id) as [string, string];
    const noShow = await join(t.colyseus, game.code, { role: 'player', name: 'No Show' });
    await ask(noShow, 'choose_seat', { table: 't1', power: first });
    const id = me(noShow).id as string;
    const post = (path: string, secret: string, body?: unknown) =>
      fetch(`${BASE}/api/games/${game.code}/${path}`, { method: 'POST', headers: { authorization: `Bearer ${secret}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });

    expect((await post('players', 'not-the-secret')).status).toBe(401);
    expect((await post('remove', 'not-the-secret', { participant: id })).status).toBe(401);
    const seats = (await (await post('players', game.secret)).json()) as { started: boolean; players: { participant: string; name: string; power: string }[] };
    expect(seats.started).toBe(false);
    expect(seats.players).toEqual([expect.objectContaining({ participant: id, name: 'No Show', power: first })]);

    expect((await post('remove', game.secret, { participant: id })).status).toBe(204);
    await until(() => room.tables.get('t1')!.seats.get(first)!.members.length === 0, 'the country is free again');
    expect(room.participants.has(id)).toBe(false);
    await until(() => (room.metadata?.listing?.free ?? []).includes(first), 'listed as free');
    expect((await post('remove', game.secret, { participant: 'p999' })).status).toBe(409);

    // Once the game has started, nobody is removed: bots stand in for absent players instead.
    const players: Client[] = [];
    for (const [i, power] of lab.powers.map((p) => p.id).entries()) {
      const c = await join(t.colyseus, game.code, { role: 'player', name: `Player ${i}` });
      await ask(c, 'choose_seat', { table: 't1', power });
      players.push(c);
    }
    await until(() => room.tables.get('t1')!.status === 'running', 'full, started');
    expect((await post('remove', game.secret, { participant: me(players[1]!).id })).status).toBe(409);
    expect(room.tables.get('t1')!.seats.get(second)!.members).toEqual([me(players[1]!).id]);
  });
});
