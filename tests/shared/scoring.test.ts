import { describe, expect, it } from 'vitest';
import { type Action, type GameState, newGame, scoreGame, step } from '../../shared/index.ts';
import { LAB, loadScenario } from '../helpers/scenarios.ts';

const scenario = loadScenario(LAB);

function play(turns: Array<Action[]>): GameState {
  let state = newGame(scenario, 'score');
  for (const orders of turns) {
    for (const a of [{ type: 'advance' } as Action, ...orders, { type: 'advance' } as Action]) {
      const r = step(scenario, state, a);
      if (!r.ok) throw new Error(`${a.type}: ${r.rejection.code}`);
      state = r.state;
    }
  }
  return state;
}

describe('scoring', () => {
  it('scores end objectives on the final state and each-turn objectives per turn held, with explanations', () => {
    // Turn 1: beta and gamma both give to alpha: wealth 70, calm 5+1 (courted)+3 (windfall) = 9.
    // Turn 2: gamma scolds alpha: calm 9-2 = 7, then the storm: 6. Turn 3: nothing, calm stays 6.
    const state = play([
      [
        { type: 'set_orders', power: 'beta', orders: [{ move: 'gift', target: 'alpha' }] },
        { type: 'set_orders', power: 'gamma', orders: [{ move: 'gift', target: 'alpha' }] },
      ],
      [{ type: 'set_orders', power: 'gamma', orders: [{ move: 'scold', target: 'alpha' }] }],
      [],
    ]);
    expect(state.phase).toBe('ended');
    const report = scoreGame(scenario, state);
    expect(report.final).toBe(true);
    const alpha = report.ranking.find((r) => r.power === 'alpha')!;
    expect(alpha.lines.map((l) => [l.objective, l.points, l.turns])).toEqual([
      ['rich', 10, [3]],
      ['calm_each', 6, [1, 2, 3]],
    ]);
    expect(alpha.score).toBe(16);
    expect(alpha.lines[0]!.explanation).toContain('Met at the end');
    expect(alpha.lines[1]!.explanation).toContain('3 of 3 turns');
    // Beta: trust with alpha 5 + 4 = 9 after turn 1, below 10: not met.
    const beta = report.ranking.find((r) => r.power === 'beta')!;
    expect(beta.score).toBe(0);
    expect(beta.lines[0]!.explanation).toContain('Not met');
    expect(report.ranking[0]!.power).toBe('alpha');
    expect(report.winners).toEqual(['alpha']);
  });

  it('counts each-turn objectives in proportion to the turns they held', () => {
    // Gamma scolds alpha in turn 1: calm 3 (<5) after turn 1; the storm in turn 2 keeps it low.
    const state = play([[{ type: 'set_orders', power: 'gamma', orders: [{ move: 'scold', target: 'alpha' }] }], [], []]);
    const alpha = scoreGame(scenario, state).ranking.find((r) => r.power === 'alpha')!;
    expect(alpha.lines[1]!.turns).toEqual([]);
    expect(alpha.lines[1]!.points).toBe(0);
    const gamma = scoreGame(scenario, state).ranking.find((r) => r.power === 'gamma')!;
    expect(gamma.lines[0]!.points).toBe(10);
  });

  it('ranks ties by credibility and shares the rank when both are equal', () => {
    const report = scoreGame(scenario, newGame(scenario, 'tie'));
    expect(report.final).toBe(false);
    // At the start nobody meets an end objective except gamma? gamma needs alpha calm <= 4: no.
    expect(report.ranking.every((r) => r.score === 0)).toBe(true);
    expect(report.ranking.every((r) => r.rank === 1)).toBe(true);
    expect(report.winners).toHaveLength(3);
  });
});

describe('score explanations name the metric and its value', () => {
  it.each([
    [[{ type: 'set_orders', power: 'beta', orders: [{ move: 'gift', target: 'alpha' }] }], 'alpha', 0, "Alpha's Wealth is 60 (needs at least 60)"],
    [[], 'alpha', 0, "Alpha's Wealth is 50 (needs at least 60)"],
    [[], 'beta', 0, 'Trust between Beta and Alpha is 5 (needs at least 10)'],
    [[], 'gamma', 0, "Alpha's Calm is 4 (needs at most 4)"],
  ] as Array<[Action[], string, number, string]>)('%#: %s', (firstTurn, power, line, text) => {
    const state = play([firstTurn, [], []]);
    const score = scoreGame(scenario, state).ranking.find((r) => r.power === power)!;
    expect(score.lines[line]!.explanation).toContain(text);
  });
});
