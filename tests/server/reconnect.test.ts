/**
 * Reconnection mid-turn (same seat, same state, unsent drafts back), a page reload that joins again
 * with the browser's key, and a bot that takes a dropped seat and hands it back.
 */
import { describe, expect, it } from 'vitest';
import { legalMoves, } from '../../shared/index.ts';
import { loadScenario, THREE } from '../helpers/scenarios.ts';
import { ask, type Client, createSession, join, listen, me, myView, refusal, table, until, useServer } from './helpers.ts';

const t = useServer();
const scenario = loadScenario(THREE);

async function started(reconnectSeconds: number) {
  const s = await createSession(t.colyseus, { scenario: scenario.id, settings: { negotiationSeconds: 0, ordersSeconds: 0, reconnectSeconds } });
  const fac = await join(t.colyseus, s.code, { role: 'facilitator', secret: s.secret });
  const players: Client[] = [];
  for (let i = 0; i < scenario.powers.length; i++) players.push(await join(t.colyseus, s.code, { role: 'player', name: `P${i}`, key: `browser-key-${i}` }));
  await ask(fac, 'fac_start', {});
  for (const p of players) await ask(p, 'ready', { ready: true });
  expect(s.room.tables.get('t1')!.game!.phase).toBe('orders');
  return { s, fac, players };
}

function someOrders(game: Parameters<typeof legalMoves>[1], power: string) {
  const m = legalMoves(scenario, game, power).find((x) => !x.joint)!;
  return [m.untargeted ? { move: m.move } : { move: m.move, target: m.targets[0]! }];
}

describe('reconnection', () => {
  it('gives a dropped player the same seat, state and drafts mid-turn', async () => {
    const { s, players } = await started(120);
    const a = players[0]!;
    const who = me(a);
    const orders = someOrders(s.room.tables.get('t1')!.game!, who.power);
    await ask(a, 'set_orders', { orders });
    await ask(a, 'save_draft', { draft: '{"chat":"half a sentence"}' });
    const token = a.reconnectionToken;

    await a.leave(false);
    await until(() => s.room.participants.get(who.id)!.state.connected === false, 'drop seen');
    // Still the player's seat while the window is open: no bot.
    expect(s.room.tables.get('t1')!.seats.get(who.power)!.botReason).toBe('');
    expect(table(players[1]!).seats[who.power].control).toBe('human');

    const back = await t.colyseus.sdk.reconnect(token);
    listen(back);
    await until(() => me(back)?.id === who.id && me(back)?.connected === true, 'reconnected');
    expect(me(back).power).toBe(who.power);
    await until(() => me(back).draft === '{"chat":"half a sentence"}', 'draft back');
    await until(() => myView(back)?.powers[who.power].orders !== undefined, 'view back');
    expect(myView(back).powers[who.power].orders).toEqual(orders);
    // And it can go on playing.
    await ask(back, 'set_orders', { orders: [] });
    expect(s.room.tables.get('t1')!.game!.powers[who.power]!.orders).toEqual([]);
  });

  it('hands a dropped seat to a bot, and back when the player returns with the same key', async () => {
    const { s, fac, players } = await started(0);
    const b = players[1]!;
    const who = me(b);
    const tb = s.room.tables.get('t1')!;
    await b.leave(false);
    await until(() => tb.seats.get(who.power)!.botReason === 'dropped', 'bot takes over');
    await until(() => table(players[0]!).seats[who.power].control === 'bot', 'bot visible');
    // The bot played the seat: it is ready in this phase.
    expect(tb.game!.powers[who.power]!.ready).toBe(true);

    // A page reload: join again with the browser's key.
    const again = await join(t.colyseus, s.code, { role: 'player', name: 'P1 again', key: 'browser-key-1' });
    await until(() => me(again)?.id === who.id, 'same participant');
    expect(me(again).power).toBe(who.power);
    expect(tb.seats.get(who.power)!.botReason).toBe('');
    await until(() => table(again).seats[who.power].control === 'human', 'handed back');
    await ask(again, 'ready', { ready: false });

    // The facilitator's own choice of a bot is not undone by a returning player.
    await ask(fac, 'fac_bot', { table: 't1', power: who.power, bot: true });
    expect(tb.seats.get(who.power)!.botReason).toBe('facilitator');
    expect(await refusal(again, 'ready', { ready: true })).toBe('NOT_YOUR_SEAT');
    await again.leave(true);
    const third = await join(t.colyseus, s.code, { role: 'player', name: 'P1', key: 'browser-key-1' });
    await until(() => me(third)?.id === who.id, 'same participant again');
    expect(tb.seats.get(who.power)!.botReason).toBe('facilitator');
    await ask(fac, 'fac_bot', { table: 't1', power: who.power, bot: false });
    expect(tb.seats.get(who.power)!.botReason).toBe('');
    await ask(third, 'ready', { ready: false });
  });

  it('starts a table with a bot on the seat of a player who left the lobby, until they return', async () => {
    const s = await createSession(t.colyseus, { scenario: scenario.id, settings: { negotiationSeconds: 0, ordersSeconds: 0, reconnectSeconds: 0 } });
    const fac = await join(t.colyseus, s.code, { role: 'facilitator', secret: s.secret });
    const a = await join(t.colyseus, s.code, { role: 'player', name: 'A', key: 'lobby-key-a' });
    const b = await join(t.colyseus, s.code, { role: 'player', name: 'B', key: 'lobby-key-b' });
    const who = me(b);
    await b.leave(true);
    await until(() => s.room.participants.get(who.id)!.state.connected === false, 'left');
    await ask(fac, 'fac_start', {});
    const tb = s.room.tables.get('t1')!;
    expect(tb.seats.get(who.power)!.botReason).toBe('dropped');
    // A alone is the only human: ready-early needs A only.
    await ask(a, 'ready', { ready: true });
    expect(tb.game!.phase).toBe('orders');
    const back = await join(t.colyseus, s.code, { role: 'player', name: 'B', key: 'lobby-key-b' });
    await until(() => me(back)?.id === who.id, 'back');
    expect(tb.seats.get(who.power)!.botReason).toBe('');
  });

  it('refuses a second connection of the same key by closing the older one', async () => {
    const { s, players } = await started(120);
    const a = players[0]!;
    const who = me(a);
    const twin = await join(t.colyseus, s.code, { role: 'player', name: 'P0', key: 'browser-key-0' });
    await until(() => me(twin)?.id === who.id, 'same participant');
    await until(() => s.room.clients.length === players.length + 1, 'older connection closed');
    expect(s.room.participants.get(who.id)!.state.sessionId).toBe(twin.sessionId);
    expect(s.room.participants.get(who.id)!.state.connected).toBe(true);
  });
});
