import { describe, expect, it } from 'vitest';
import { type GameState, newGame, playerView, publicScenario, step, type Action } from '../../shared/index.ts';
import { LAB, loadScenario } from '../helpers/scenarios.ts';

const scenario = loadScenario(LAB);

function playedState(): GameState {
  let state = newGame(scenario, 'view');
  const actions: Action[] = [
    { type: 'message', power: 'alpha', to: ['beta'], text: 'secret plan for beta' },
    { type: 'message', power: 'beta', to: ['alpha', 'gamma'], text: 'group hello' },
    { type: 'propose', power: 'alpha', to: 'beta', terms: [{ power: 'alpha', type: 'refrain', kind: 'pressure', target: 'beta', from_turn: 1, to_turn: 2 }] },
    { type: 'respond', power: 'beta', proposal: 'p1.alpha.beta', accept: true },
    { type: 'propose', power: 'gamma', to: 'alpha', terms: [{ power: 'gamma', type: 'do', move: 'gift', target: 'alpha', from_turn: 1, to_turn: 1 }] },
    { type: 'advance' },
    { type: 'set_orders', power: 'alpha', orders: [{ move: 'gift', target: 'beta' }] },
    { type: 'set_orders', power: 'gamma', orders: [{ move: 'scold', target: 'alpha' }] },
  ];
  for (const a of actions) {
    const r = step(scenario, state, a);
    if (!r.ok) throw new Error(`${a.type}: ${r.rejection.code}`);
    state = r.state;
  }
  return state;
}

describe('player view', () => {
  const state = playedState();
  const json = (viewer: string) => JSON.stringify(playerView(scenario, state, viewer));

  it.each([
    ['alpha', ['secret plan for beta', 'group hello'], []],
    ['beta', ['secret plan for beta', 'group hello'], []],
    ['gamma', ['group hello'], ['secret plan for beta']],
    ['spectator', [], ['secret plan for beta', 'group hello']],
  ])('%s reads only the messages it is party to', (viewer, sees, hidden) => {
    for (const text of sees) expect(json(viewer)).toContain(text);
    for (const text of hidden) expect(json(viewer)).not.toContain(text);
  });

  it('shows a power its own unresolved orders and nobody else’s', () => {
    expect(playerView(scenario, state, 'alpha').powers.alpha?.orders).toEqual([{ move: 'gift', target: 'beta' }]);
    expect(playerView(scenario, state, 'alpha').powers.gamma?.orders).toBeUndefined();
    expect(playerView(scenario, state, 'beta').powers.alpha?.orders).toBeUndefined();
    expect(json('beta')).not.toContain('"scold"');
    expect(json('spectator')).not.toContain('"gift"');
    expect(playerView(scenario, state, 'facilitator').powers.gamma?.orders).toEqual([{ move: 'scold', target: 'alpha' }]);
  });

  it('shows secret objectives to their owner only', () => {
    expect(playerView(scenario, state, 'alpha').objectives.alpha?.map((o) => o.id)).toEqual(['rich', 'calm_each']);
    expect(playerView(scenario, state, 'beta').objectives.alpha?.map((o) => o.id)).toEqual(['rich']);
    expect(playerView(scenario, state, 'beta').objectives.gamma).toEqual([]);
    expect(json('spectator')).not.toContain('Keep Alpha restless');
    expect(JSON.stringify(publicScenario(scenario))).not.toContain('Keep Alpha restless');
    expect(JSON.stringify(publicScenario(scenario))).toContain('Be rich');
  });

  it('shows proposals and active commitments to the two parties only', () => {
    expect(playerView(scenario, state, 'gamma').proposals.map((p) => p.id)).toEqual(['p1.alpha.gamma']);
    expect(playerView(scenario, state, 'gamma').commitments).toEqual([]);
    expect(playerView(scenario, state, 'beta').commitments.map((c) => c.by)).toEqual(['alpha']);
    expect(playerView(scenario, state, 'spectator').proposals).toEqual([]);
  });

  it('reveals orders and settled commitments to everyone once the turn resolves', () => {
    const r = step(scenario, state, { type: 'advance' });
    if (!r.ok) throw new Error('advance refused');
    const spectator = playerView(scenario, r.state, 'spectator');
    expect(spectator.history[0]?.orders.gamma).toEqual([{ move: 'scold', target: 'alpha' }]);
    expect(spectator.powers.alpha?.orders).toBeUndefined();
    expect(spectator.commitments).toEqual([]); // alpha's promise runs to turn 2: still active, still private
  });
});
