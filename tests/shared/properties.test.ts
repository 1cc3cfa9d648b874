/**
 * Properties that must hold for any play of any scenario: determinism, metrics in range, action
 * points never overspent, independence from the order orders arrive in, and a settled ledger.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { playBotGame } from '../../shared/engine/simulate.ts';
import { type Action, legalMoves, newGame, type Order, type Scenario, step, type Term } from '../../shared/index.ts';
import { HANOI, LAB, loadScenario, THREE } from '../helpers/scenarios.ts';
import { ordersCost } from '../../shared/engine/orders.ts';

const scenarios: Array<[string, Scenario]> = [LAB, THREE, HANOI].map((f) => [f, loadScenario(f)]);

/** An arbitrary order from the scenario's vocabulary (legal or not: the engine must cope). */
function orderArb(s: Scenario): fc.Arbitrary<Order> {
  const powers = s.powers.map((p) => p.id);
  return fc.record({ move: fc.constantFrom(...s.moves.map((m) => m.id)), target: fc.option(fc.constantFrom(...powers), { nil: undefined }) }).map((o) => (o.target === undefined ? { move: o.move } : o));
}

function actionArb(s: Scenario): fc.Arbitrary<Action> {
  const powers = s.powers.map((p) => p.id);
  const power = fc.constantFrom(...powers);
  const term: fc.Arbitrary<Term> = fc.record({
    power,
    type: fc.constantFrom('do' as const, 'refrain' as const),
    move: fc.constantFrom(...s.moves.map((m) => m.id)),
    target: power,
    from_turn: fc.integer({ min: 1, max: s.turns.count }),
    to_turn: fc.integer({ min: 1, max: s.turns.count }),
  });
  return fc.oneof(
    { weight: 4, arbitrary: fc.record({ type: fc.constant('set_orders' as const), power, orders: fc.array(orderArb(s), { maxLength: 4 }) }) },
    { weight: 2, arbitrary: fc.record({ type: fc.constant('propose' as const), power, to: power, terms: fc.array(term, { minLength: 1, maxLength: 3 }) }) },
    { weight: 2, arbitrary: fc.record({ type: fc.constant('respond' as const), power, proposal: fc.integer({ min: 1, max: 30 }).map((n) => `p${n}`), accept: fc.boolean() }) },
    { weight: 1, arbitrary: fc.record({ type: fc.constant('message' as const), power, to: fc.array(power, { maxLength: 3 }), text: fc.string({ maxLength: 20 }) }) },
    { weight: 1, arbitrary: fc.record({ type: fc.constant('ready' as const), power, ready: fc.boolean() }) },
    { weight: 2, arbitrary: fc.constant({ type: 'advance' as const }) },
    { weight: 1, arbitrary: fc.record({ type: fc.constant('trigger_event' as const), event: fc.constantFrom(...s.events.map((e) => e.id), 'nothing') }) },
  );
}

function play(s: Scenario, seed: string, actions: Action[]) {
  let state = newGame(s, seed);
  const states = [state];
  for (const a of actions) {
    const r = step(s, state, a);
    if (r.ok) {
      state = r.state;
      states.push(state);
    }
  }
  return { state, states };
}

describe.each(scenarios)('properties of %s', (_file, s) => {
  it('is deterministic: the same actions and seed give the same state, byte for byte', () => {
    fc.assert(
      fc.property(fc.string(), fc.array(actionArb(s), { maxLength: 60 }), (seed, actions) => {
        expect(JSON.stringify(play(s, seed, actions).state)).toBe(JSON.stringify(play(s, seed, actions).state));
      }),
      { numRuns: 40 },
    );
  });

  it('keeps every metric in its range and never overspends action points', () => {
    fc.assert(
      fc.property(fc.string(), fc.array(actionArb(s), { maxLength: 80 }), (seed, actions) => {
        for (const state of play(s, seed, actions).states) {
          for (const p of s.powers) {
            const ps = state.powers[p.id]!;
            for (const m of s.metrics.power) {
              expect(ps.metrics[m.id]).toBeGreaterThanOrEqual(m.min);
              expect(ps.metrics[m.id]).toBeLessThanOrEqual(m.max);
            }
            expect(ps.credibility).toBeGreaterThanOrEqual(0);
            expect(ps.credibility).toBeLessThanOrEqual(100);
            expect(ordersCost(s, ps.orders)).toBeLessThanOrEqual(s.turns.action_points);
          }
          for (const values of Object.values(state.relations)) {
            for (const m of s.metrics.pair) {
              expect(values[m.id]).toBeGreaterThanOrEqual(m.min);
              expect(values[m.id]).toBeLessThanOrEqual(m.max);
            }
          }
        }
      }),
      { numRuns: 40 },
    );
  });

  it('resolves the same whatever order the orders arrived in', () => {
    const powers = s.powers.map((p) => p.id);
    const opening = step(s, newGame(s, 'order-independence'), { type: 'advance' });
    if (!opening.ok) throw new Error('cannot reach the orders phase');
    // Every legal (move, target) pair of each power at the start: the sets drawn below are legal.
    const legal = powers.map((p) =>
      legalMoves(s, opening.state, p).flatMap((m) => (m.untargeted ? [{ move: m.move }] : m.targets.map((t) => ({ move: m.move, target: t })))),
    );
    const affordable = (orders: Order[]) => {
      const kept: Order[] = [];
      for (const o of orders) if (ordersCost(s, [...kept, o]) <= s.turns.action_points) kept.push(o);
      return kept;
    };
    fc.assert(
      fc.property(
        fc.tuple(...legal.map((l) => fc.shuffledSubarray(l, { maxLength: 4 }).map(affordable))),
        fc.infiniteStream(fc.nat()),
        (perPower, randomness) => {
          const resolveWith = (order: number[], shuffle: boolean) => {
            let state = opening.state;
            for (const i of order) {
              const orders = shuffle ? [...perPower[i]!].sort(() => (randomness.next().value % 3) - 1) : perPower[i]!;
              const r = step(s, state, { type: 'set_orders', power: powers[i]!, orders });
              if (!r.ok) throw new Error(`legal orders refused: ${r.rejection.code}`);
              state = r.state;
            }
            const r = step(s, state, { type: 'advance' });
            if (!r.ok) throw new Error('resolution refused');
            return JSON.stringify(r.state);
          };
          const forward = powers.map((_, i) => i);
          expect(resolveWith([...forward].reverse(), true)).toBe(resolveWith(forward, false));
        },
      ),
      { numRuns: 100 },
    );
  });

  it('ends every bot game with each commitment kept, breached or expired', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), (seed) => {
        const state = playBotGame(s, seed);
        expect(state.phase).toBe('ended');
        for (const c of state.commitments) expect(['kept', 'breached', 'expired']).toContain(c.status);
      }),
      { numRuns: 8 },
    );
  });

  it('ends games of random actions with no commitment left active', () => {
    fc.assert(
      fc.property(fc.string(), fc.array(actionArb(s), { maxLength: 60 }), (seed, actions) => {
        let { state } = play(s, seed, actions);
        while (state.phase !== 'ended') {
          const r = step(s, state, { type: 'advance' });
          if (!r.ok) throw new Error('advance refused');
          state = r.state;
        }
        for (const c of state.commitments) expect(['kept', 'breached', 'expired']).toContain(c.status);
        expect(state.proposals.filter((p) => p.status === 'open')).toEqual([]);
      }),
      { numRuns: 30 },
    );
  });
});
