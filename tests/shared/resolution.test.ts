import { describe, expect, it } from 'vitest';
import { type Action, type GameEvent, type GameState, newGame, type Order, step } from '../../shared/index.ts';
import { LAB, loadScenario, loadYaml } from '../helpers/scenarios.ts';

interface Case {
  name: string;
  setup?: Action[];
  orders: Record<string, Order[]> | null;
  expect: {
    turn?: number;
    metrics?: Record<string, Record<string, number>>;
    relations?: Record<string, Record<string, number>>;
    credibility?: Record<string, number>;
    used_once?: Record<string, string[]>;
    fired?: string[];
    commitments?: Array<Record<string, unknown>>;
  };
  events?: Array<Partial<GameEvent>>;
  absent?: Array<Partial<GameEvent>>;
}

const scenario = loadScenario(LAB);
const cases = loadYaml<Case[]>('tests/fixtures/rules/resolution.yaml');

function run(c: Case): { state: GameState; events: GameEvent[] } {
  let state = newGame(scenario, 'fixture');
  const apply = (action: Action) => {
    const result = step(scenario, state, action);
    if (!result.ok) throw new Error(`${action.type} refused: ${result.rejection.code} ${result.rejection.message}`);
    state = result.state;
    return result.events;
  };
  for (const action of c.setup ?? []) apply(action);
  if (state.phase === 'negotiation') apply({ type: 'advance' });
  for (const [power, orders] of Object.entries(c.orders ?? {})) apply({ type: 'set_orders', power, orders });
  const events = apply({ type: 'advance' });
  // A facilitator event of this turn is reported in the turn's record rather than in the last step.
  return { state, events: [...(state.history.at(-1)?.events ?? []), ...events] };
}

describe('turn resolution (tests/fixtures/rules/resolution.yaml)', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const { state, events } = run(c);
    const e = c.expect;
    if (e.turn !== undefined) expect(state.turn).toBe(e.turn);
    for (const [power, metrics] of Object.entries(e.metrics ?? {})) expect(state.powers[power]?.metrics).toMatchObject(metrics);
    for (const [pair, values] of Object.entries(e.relations ?? {})) expect(state.relations[pair]).toMatchObject(values);
    for (const [power, value] of Object.entries(e.credibility ?? {})) expect(state.powers[power]?.credibility).toBe(value);
    for (const [power, used] of Object.entries(e.used_once ?? {})) expect(state.powers[power]?.used_once).toEqual(used);
    if (e.fired) expect(state.fired).toEqual(e.fired);
    if (e.commitments) expect(state.commitments).toEqual(e.commitments.map((x) => expect.objectContaining(x)));
    for (const wanted of c.events ?? []) expect(events).toContainEqual(expect.objectContaining(wanted));
    for (const unwanted of c.absent ?? []) expect(events).not.toContainEqual(expect.objectContaining(unwanted));
  });
});
