import { describe, expect, it } from 'vitest';
import { type Action, newGame, type RejectionCode, step } from '../../shared/index.ts';
import { LAB, loadScenario, loadYaml } from '../helpers/scenarios.ts';

interface Case {
  name: string;
  setup?: Action[];
  orders_phase?: boolean;
  action: Action;
  code: RejectionCode;
}

const scenario = loadScenario(LAB);
const cases = loadYaml<Case[]>('tests/fixtures/rules/rejections.yaml');

describe('named rejections (tests/fixtures/rules/rejections.yaml)', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    let state = newGame(scenario, 'fixture');
    for (const action of [...(c.orders_phase ? [{ type: 'advance' } as Action] : []), ...(c.setup ?? [])]) {
      const result = step(scenario, state, action);
      if (!result.ok) throw new Error(`setup ${action.type} refused: ${result.rejection.code}`);
      state = result.state;
    }
    const before = JSON.stringify(state);
    const result = step(scenario, state, c.action);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.rejection.code).toBe(c.code);
      expect(result.rejection.message.length).toBeGreaterThan(10);
    }
    expect(JSON.stringify(state)).toBe(before);
  });
});
