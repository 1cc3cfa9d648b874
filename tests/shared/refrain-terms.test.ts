/** Issue 11, defect 7: a promise to refrain from a move the promiser can never make against that target is refused. */
import { describe, expect, it } from 'vitest';
import { newGame, step, type Term } from '../../shared/index.ts';
import { loadScenario } from '../helpers/scenarios.ts';

const scenario = loadScenario('scenarios/hanoi-2024.yaml');
const term = (t: Partial<Term>): Term => ({ power: 'united_states', type: 'refrain', from_turn: 1, to_turn: 1, ...t }) as Term;
const propose = (terms: Term[]) => step(scenario, newGame(scenario, 'seed'), { type: 'propose', power: 'united_states', to: 'vietnam', terms });

describe('refrain terms must renounce something possible', () => {
  it('refuses a move the promiser may not play', () => {
    const r = propose([term({ move: 'arms_contract', target: 'vietnam' })]);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.rejection.code).toBe('INVALID_TERMS');
      expect(r.rejection.message).toMatch(/can never play/);
    }
  });
  it('refuses a move the promiser plays, but never against that target', () => {
    // The United States may sanction, but export market access is only ever against Vietnam.
    const r = step(scenario, newGame(scenario, 'seed'), {
      type: 'propose',
      power: 'united_states',
      to: 'china',
      terms: [term({ move: 'export_market_access', target: 'china' })],
    });
    expect(r.ok).toBe(false);
  });
  it('accepts a move the promiser can play against that target', () => {
    expect(propose([term({ move: 'export_market_access', target: 'vietnam' })]).ok).toBe(true);
    expect(propose([term({ move: 'state_visit', target: 'vietnam' })]).ok).toBe(true);
  });
  it('checks a kind against every move of that kind', () => {
    expect(propose([term({ kind: 'pressure', target: 'vietnam' })]).ok).toBe(true);
  });
});
