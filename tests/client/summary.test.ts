/** Issue 11: what one resolved turn did to one power, from the history records. */
import { describe, expect, it } from 'vitest';
import { newGame, step, type GameState } from '../../shared/index.ts';
import { lastChanges, turnSummary } from '../../client/src/model/summary.ts';
import { HANOI, loadScenario } from '../helpers/scenarios.ts';

const scenario = loadScenario(HANOI);

function play(): GameState {
  let s = newGame(scenario, 'summary');
  const go = (a: Parameters<typeof step>[2]) => {
    const r = step(scenario, s, a);
    if (!r.ok) throw new Error(r.rejection.message);
    s = r.state;
  };
  go({ type: 'propose', power: 'russia', to: 'vietnam', terms: [{ power: 'russia', type: 'do', move: 'state_visit', target: 'vietnam', from_turn: 1, to_turn: 1 }] });
  go({ type: 'respond', power: 'vietnam', proposal: s.proposals[0]!.id, accept: true });
  go({ type: 'advance' });
  go({ type: 'advance' });
  return s;
}

describe('turn summary', () => {
  const s = play();
  it('lists the numbers that changed, with before and after, and the promise kept', () => {
    const sum = turnSummary(scenario, s.history, 'russia')!;
    expect(sum.turn).toBe(1);
    expect(sum.numbers.length).toBeGreaterThan(0);
    for (const c of sum.numbers) expect(c.after - c.before).toBe(c.delta);
    expect(sum.promises.some((p) => p.tone === 'ok' && /You kept a promise to Vietnam/.test(p.text))).toBe(true);
    expect(sum.moves.some((m) => /state visit/i.test(m.text))).toBe(true);
  });
  it('gives every power its change chips', () => {
    const chips = lastChanges(scenario, s.history);
    const sum = turnSummary(scenario, s.history, 'russia')!;
    for (const c of sum.numbers) expect(chips['russia']?.[c.id]).toBe(c.delta);
  });
});
