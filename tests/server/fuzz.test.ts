// biome-ignore-all lint/suspicious/noExplicitAny: tests read decoded JSON of unknown shape
/**
 * Bad input: fast-check sends thousands of random and malformed messages from several clients. The
 * room must stay alive, answer each refused message with an error to its sender only, never fail
 * internally, and keep a state that is exactly what the engine makes of the accepted actions.
 */
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { legalMoves, newGame, playerView, type Scenario, step } from '../../shared/index.ts';
import { CLIENT_MESSAGE_TYPES, LIMITS } from '../../shared/protocol.ts';
import { loadScenario, THREE } from '../helpers/scenarios.ts';
import { ask, type Client, createSession, join, me, messages, refusal, until, useServer, viewAs } from './helpers.ts';

const t = useServer('end');
const scenario = loadScenario(THREE);

function messageArbitrary(s: Scenario) {
  const powers = s.powers.map((p) => p.id);
  const power = fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...powers) }, { weight: 1, arbitrary: fc.constantFrom('nobody', '') });
  const move = fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...s.moves.map((m) => m.id)) }, { weight: 1, arbitrary: fc.constant('no_such_move') });
  const order = fc.record({ move, target: fc.option(power, { nil: undefined }) }, { requiredKeys: ['move'] });
  const turn = fc.integer({ min: -1, max: s.turns.count + 2 });
  const term = fc.record({
    power,
    type: fc.constantFrom('do', 'refrain', 'maybe'),
    move: fc.option(move, { nil: undefined }),
    kind: fc.option(fc.constantFrom(...s.kinds.map((k) => k.id), 'bogus'), { nil: undefined }),
    target: fc.option(power, { nil: undefined }),
    from_turn: turn,
    to_turn: turn,
  });
  const proposalId = fc.constantFrom('p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'x');
  const seat = fc.option(fc.record({ table: fc.constantFrom('t1', 't2'), power }), { nil: undefined });
  const text = fc.oneof(fc.string({ maxLength: 80 }), fc.constant('x'.repeat(LIMITS.chat + 1)), fc.constant(''));
  const wellFormed: fc.Arbitrary<[string, unknown]> = fc.oneof(
    fc.tuple(fc.constant('set_orders'), fc.record({ orders: fc.array(order, { maxLength: 2 }) })),
    fc.tuple(fc.constant('set_orders'), fc.record({ orders: fc.array(order, { maxLength: 1 }) })),
    fc.tuple(fc.constant('ready'), fc.record({ ready: fc.boolean() })),
    fc.tuple(fc.constant('ready'), fc.record({ ready: fc.boolean(), seat }, { requiredKeys: ['ready'] })),
    fc.tuple(fc.constant('chat'), fc.record({ to: fc.array(power, { maxLength: 3 }), text })),
    fc.tuple(fc.constant('propose'), fc.record({ to: power, terms: fc.array(term, { maxLength: 3 }), note: fc.option(text, { nil: undefined }) }, { requiredKeys: ['to', 'terms'] })),
    fc.tuple(fc.constant('respond'), fc.record({ proposal: proposalId, accept: fc.boolean() })),
    fc.tuple(fc.constant('withdraw'), fc.record({ proposal: proposalId })),
    fc.tuple(fc.constant('save_draft'), fc.record({ draft: fc.oneof(fc.string({ maxLength: 50 }), fc.constant('d'.repeat(LIMITS.draft + 1))) })),
    fc.tuple(fc.constant('choose_seat'), fc.record({ table: fc.constantFrom('t1', 't9'), power })),
  );
  const type = fc.oneof(fc.constantFrom(...CLIENT_MESSAGE_TYPES), fc.string({ maxLength: 12 }), fc.constantFrom('__proto__', 'constructor', 'hasOwnProperty', '*', ''));
  const junk = fc.oneof(fc.anything({ maxDepth: 3, maxKeys: 5 }), fc.constant(undefined), fc.constant(null), fc.constant({ __proto__: { polluted: true } }));
  const anyMessage: fc.Arbitrary<[string, unknown]> = fc.oneof({ weight: 4, arbitrary: wellFormed }, { weight: 2, arbitrary: fc.tuple(type, junk) });
  return fc.record({ from: fc.nat({ max: 3 }), message: anyMessage });
}

describe('bad input', () => {
  it('keeps the room alive and its state equal to the engine\'s', async () => {
    let sent = 0;
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(messageArbitrary(scenario), { minLength: 40, maxLength: 120 }), async (script) => {
        const s = await createSession(t.colyseus, { scenario: scenario.id, settings: { negotiationSeconds: 0, ordersSeconds: 0 } });
        let now = 1_000_000;
        s.room.now = () => now;
        const fac = await join(t.colyseus, s.code, { role: 'facilitator', secret: s.secret });
        const clients: Client[] = [];
        for (let i = 0; i < scenario.powers.length; i++) clients.push(await join(t.colyseus, s.code, { role: 'player', name: `F${i}` }));
        clients.push(await join(t.colyseus, s.code, { role: 'spectator' }));
        await ask(fac, 'fac_start', {});

        for (const { from, message } of script) {
          now += 2_000;
          clients[from]!.send(message[0] as never, message[1] as never);
          sent++;
        }
        // Requests are answered in order after the sends of the same client: all were handled.
        for (const c of clients) await ask(c, 'time');
        expect(t.colyseus.getRoomById(s.code)).toBeDefined();

        // Nothing failed inside the server.
        for (const c of clients) expect(messages(c, 'error').filter((e) => e.code === 'INTERNAL')).toEqual([]);
        // The spectator cannot act: each of its game or facilitator messages was refused, to it alone.
        const acting = new Set(['set_orders', 'ready', 'propose', 'respond', 'withdraw', 'chat', 'choose_seat']);
        const spectatorActs = script.filter((x) => x.from === 3 && (acting.has(x.message[0]) || x.message[0].startsWith('fac_'))).length;
        expect(messages(clients[3]!, 'error').length).toBeGreaterThanOrEqual(spectatorActs);
        const spectatorId = me(clients[3]!).id;
        expect(t.recorder.entries.filter((e) => e.session === s.code && e.entry.kind === 'action' && JSON.stringify(e.entry.actor).includes(`"${spectatorId}"`))).toEqual([]);

        // The game is exactly the engine's replay of the accepted actions.
        const tb = s.room.tables.get('t1')!;
        const entries = t.recorder.entries.filter((e) => e.session === s.code).map((e) => e.entry);
        const start = entries.find((e) => e.kind === 'table' && e.change === 'start') as { detail: { seed: string } };
        accepted += entries.filter((e) => e.kind === 'action' && e.actor.kind === 'participant').length;
        let replay = newGame(scenario, start.detail.seed);
        for (const e of entries) {
          if (e.kind !== 'action') continue;
          const r = step(scenario, replay, e.action);
          expect(r.ok).toBe(true);
          if (r.ok) replay = r.state;
        }
        expect(tb.game).toEqual(replay);

        // What each client decoded rebuilds exactly the engine's view of that game for its power.
        const plain = (v: unknown) => JSON.parse(JSON.stringify(v));
        for (const c of clients.slice(0, 3)) {
          const power = me(c).power as string;
          const expected = plain(playerView(scenario, tb.game!, power));
          await until(() => isDeepStrictEqual(viewAs(c, 't1', power, scenario), expected), 'view in sync');
        }
        await t.colyseus.cleanup();
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 25), endOnFailure: true },
    );
    expect(sent).toBeGreaterThan(1000);
    // Not only refusals: players' actions were accepted and played out. (Scripts are sent as fast as
    // the socket goes, so the per-participant message budgets refuse part of them: the count varies.)
    expect(accepted).toBeGreaterThan(20);
  });

  it('answers each kind of bad input with a clear error to its sender only', async () => {
    const s = await createSession(t.colyseus, { scenario: scenario.id, settings: { negotiationSeconds: 0, ordersSeconds: 0 } });
    const fac = await join(t.colyseus, s.code, { role: 'facilitator', secret: s.secret });
    const a = await join(t.colyseus, s.code, { role: 'player', name: 'A' });
    const b = await join(t.colyseus, s.code, { role: 'player', name: 'B' });
    await ask(fac, 'fac_start', {});
    const before = JSON.stringify(s.room.snapshot());
    expect(await refusal(a, 'set_orders', { orders: [] })).toBe('WRONG_PHASE');
    expect(await refusal(a, 'ready', { ready: 'yes' })).toBe('INVALID_MESSAGE');
    expect(await refusal(a, 'ready', { ready: true, power: me(b).power })).toBe('INVALID_MESSAGE');
    expect(await refusal(a, 'ready', { ready: true, seat: { table: 't1', power: me(b).power } })).toBe('NOT_YOUR_SEAT');
    expect(await refusal(a, 'chat', { to: [me(b).power], text: 'x'.repeat(LIMITS.chat + 1) })).toBe('INVALID_MESSAGE');
    expect(await refusal(a, 'chat', { to: ['nobody'], text: 'hi' })).toBe('UNKNOWN_POWER');
    expect(await refusal(a, 'respond', { proposal: 'p404', accept: true })).toBe('UNKNOWN_PROPOSAL');
    expect(JSON.stringify(s.room.snapshot())).toBe(before);
    // Orders that cost more than the power's action points: the engine's code reaches the client.
    for (const p of [a, b]) await ask(p, 'ready', { ready: true });
    const tb = s.room.tables.get('t1')!;
    const power = me(a).power as string;
    const orders = legalMoves(scenario, tb.game!, power)
      .filter((m) => !m.joint)
      .sort((x, y) => y.cost - x.cost)
      .map((m) => (m.untargeted ? { move: m.move } : { move: m.move, target: m.targets[0]! }));
    const costs = legalMoves(scenario, tb.game!, power).filter((m) => !m.joint).reduce((sum, m) => sum + m.cost, 0);
    if (costs > scenario.turns.action_points) expect(await refusal(a, 'set_orders', { orders })).toBe('NOT_ENOUGH_ACTION_POINTS');
    // Plain sends: an `error` message to the sender, none to anybody else.
    a.send('no_such_type' as never, { x: 1 } as never);
    a.send('ready' as never, 42 as never);
    await until(() => messages(a, 'error').length === 2, 'two errors');
    expect(messages(a, 'error').map((e) => e.code)).toEqual(['UNKNOWN_MESSAGE', 'INVALID_MESSAGE']);
    expect(messages(b, 'error')).toEqual([]);
    expect(messages(fac, 'error')).toEqual([]);
  });

  it('rate-limits chat and proposals', async () => {
    const s = await createSession(t.colyseus, { scenario: scenario.id, settings: { negotiationSeconds: 0, ordersSeconds: 0 } });
    let now = 5_000_000;
    s.room.now = () => now;
    const fac = await join(t.colyseus, s.code, { role: 'facilitator', secret: s.secret });
    const a = await join(t.colyseus, s.code, { role: 'player', name: 'A' });
    const b = await join(t.colyseus, s.code, { role: 'player', name: 'B' });
    await ask(fac, 'fac_start', {});
    for (let i = 0; i < LIMITS.rateCount; i++) await ask(a, 'chat', { to: [me(b).power], text: `m${i}` });
    expect(await refusal(a, 'chat', { to: [me(b).power], text: 'one too many' })).toBe('RATE_LIMITED');
    expect(await refusal(a, 'chat', { to: [me(b).power], text: 'x'.repeat(LIMITS.chat + 1) })).toBe('INVALID_MESSAGE');
    now += LIMITS.rateWindowMs;
    await ask(a, 'chat', { to: [me(b).power], text: 'later' });
    expect(s.room.tables.get('t1')!.game!.messages).toHaveLength(LIMITS.rateCount + 1);
  });
});
