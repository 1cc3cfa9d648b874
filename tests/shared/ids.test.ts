/**
 * Issue 10, finding 5b: ids of messages, proposals and commitments tell a power nothing about what
 * others did in private. Games saved with the old single counter still replay with the old ids.
 */
import { describe, expect, it } from 'vitest';
import { type Action, type GameState, newGame, playerView, step } from '../../shared/index.ts';
import { compareIds } from '../../shared/engine/ids.ts';
import { LAB, loadScenario } from '../helpers/scenarios.ts';

const scenario = loadScenario(LAB);
const gift = (power: string, target: string) => [{ power, type: 'do' as const, move: 'gift', target, from_turn: 1, to_turn: 1 }];

function play(state: GameState, actions: Action[]): GameState {
  for (const a of actions) {
    const r = step(scenario, state, a);
    if (!r.ok) throw new Error(`${a.type}: ${r.rejection.code}`);
    state = r.state;
  }
  return state;
}

/** What alpha sees of its own conversations, with or without beta and gamma talking in private meanwhile. */
function alphasView(othersTalk: boolean) {
  const busy: Action[] = othersTalk
    ? [
        { type: 'message', power: 'beta', to: ['gamma'], text: 'just between us' },
        { type: 'propose', power: 'beta', to: 'gamma', terms: gift('beta', 'gamma') },
        { type: 'respond', power: 'gamma', proposal: 'p1.beta.gamma', accept: true },
        { type: 'propose', power: 'gamma', to: 'beta', terms: gift('gamma', 'beta') },
      ]
    : [];
  let state = newGame(scenario, 'ids');
  state = play(state, [
    { type: 'message', power: 'alpha', to: ['beta'], text: 'one' },
    { type: 'propose', power: 'alpha', to: 'beta', terms: gift('alpha', 'beta') },
    ...busy,
    { type: 'message', power: 'beta', to: ['alpha'], text: 'two' },
    { type: 'message', power: 'gamma', to: ['alpha'], text: 'three' },
    { type: 'respond', power: 'beta', proposal: 'p1.alpha.beta', accept: true },
    ...busy.slice(0, 1),
    { type: 'propose', power: 'gamma', to: 'alpha', terms: gift('gamma', 'alpha') },
  ]);
  const v = playerView(scenario, state, 'alpha');
  return { messages: v.messages.map((m) => m.id), proposals: v.proposals.map((p) => p.id), commitments: v.commitments.map((c) => c.id) };
}

describe('ids (finding 5b)', () => {
  it('are numbered per conversation: others’ private activity leaves no gap', () => {
    const quiet = alphasView(false);
    const busy = alphasView(true);
    expect(busy).toEqual(quiet);
    // Listed in the fixed order (number, then readers), not in the order of the whole table.
    expect(quiet.messages).toEqual(['m1.alpha.beta', 'm1.alpha.gamma', 'm2.alpha.beta']);
    expect(quiet.proposals).toEqual(['p1.alpha.beta', 'p1.alpha.gamma']);
    expect(quiet.commitments).toEqual(['p1.alpha.beta.c1']);
  });

  it('are unique at a table, and a group message is numbered among its readers', () => {
    const state = play(newGame(scenario, 'ids'), [
      { type: 'message', power: 'alpha', to: ['beta', 'gamma'], text: 'all' },
      { type: 'message', power: 'gamma', to: ['alpha', 'beta'], text: 'all again' },
      { type: 'message', power: 'alpha', to: ['beta'], text: 'two of us' },
      { type: 'propose', power: 'beta', to: 'alpha', terms: gift('beta', 'alpha') },
      { type: 'propose', power: 'alpha', to: 'beta', terms: gift('alpha', 'beta') },
    ]);
    expect(state.messages.map((m) => m.id)).toEqual(['m1.alpha.beta.gamma', 'm2.alpha.beta.gamma', 'm1.alpha.beta']);
    expect(state.proposals.map((p) => p.id)).toEqual(['p1.alpha.beta', 'p2.alpha.beta']);
  });

  it('stay deterministic: the same actions give the same state', () => {
    const a = alphasView(true);
    const b = alphasView(true);
    expect(a).toEqual(b);
  });

  it('keep the single counter in a game saved before (no `ids`): its recorded actions replay as they were', () => {
    const { ids: _ids, ...old } = newGame(scenario, 'old');
    const state = play(old as GameState, [
      { type: 'message', power: 'alpha', to: ['beta'], text: 'hi' },
      { type: 'propose', power: 'alpha', to: 'beta', terms: gift('alpha', 'beta') },
      { type: 'respond', power: 'beta', proposal: 'p2', accept: true },
    ]);
    expect(state.ids).toBeUndefined();
    expect(state.messages.map((m) => m.id)).toEqual(['m1']);
    expect(state.proposals.map((p) => p.id)).toEqual(['p2']);
    expect(state.commitments.map((c) => c.id)).toEqual(['c3']);
    expect(state.next_id).toBe(4);
  });

  it('sort naturally, numbers as numbers', () => {
    expect(['p10.a.b', 'p2.a.b', 'p1.c.d', 'p1.a.b'].sort(compareIds)).toEqual(['p1.a.b', 'p1.c.d', 'p2.a.b', 'p10.a.b']);
    expect(['m12', 'm3', 'm1'].sort(compareIds)).toEqual(['m1', 'm3', 'm12']);
  });
});
