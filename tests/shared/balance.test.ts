import { describe, expect, it } from 'vitest';
import { BalanceAccumulator, fairBand, spreadOf, verdict, wilson } from '../../shared/engine/balance.ts';
import { playBotGame, simulate } from '../../shared/engine/simulate.ts';
import { LAB, loadScenario, THREE } from '../helpers/scenarios.ts';

describe('the fair band scales with the number of powers', () => {
  it.each([
    [2, 0.35, 0.65],
    [3, 0.2167, 0.45],
    [4, 0.15, 0.35],
    [5, 0.11, 0.29],
    [6, 0.0833, 0.25],
    [7, 0.0643, 0.2214],
    [8, 0.05, 0.2],
  ])('%i powers: %f to %f', (n, low, high) => {
    const band = fairBand(n);
    expect(band.share).toBeCloseTo(1 / n, 6);
    expect(band.low).toBeCloseTo(low, 3);
    expect(band.high).toBeCloseTo(high, 3);
  });
});

describe('Wilson interval', () => {
  it.each([
    // successes, n, low, high (reference values from the closed form)
    [50, 100, 0.4038, 0.5962],
    [0, 100, 0, 0.037],
    [100, 100, 0.963, 1],
    [250, 1000, 0.2242, 0.2777],
  ])('%f of %i', (k, n, low, high) => {
    const [lo, hi] = wilson(k, n);
    expect(lo).toBeCloseTo(low, 3);
    expect(hi).toBeCloseTo(high, 3);
    expect(lo).toBeLessThanOrEqual(k / n);
    expect(hi).toBeGreaterThanOrEqual(k / n);
  });
  it('is the whole range with no games', () => expect(wilson(0, 0)).toEqual([0, 1]));
});

describe('verdict', () => {
  const band = fairBand(4);
  it.each([
    [0.25, [0.22, 0.28], 'fair'],
    [0.5, [0.45, 0.55], 'too_often'],
    [0.05, [0.02, 0.09], 'too_rarely'],
    [0.4, [0.3, 0.5], 'unclear'],
  ] as const)('%f in [%j] is %s', (rate, interval, want) => {
    expect(verdict(rate, [interval[0], interval[1]], band)).toBe(want);
  });
});

describe('spread', () => {
  it.each([
    [[5], { min: 5, q1: 5, median: 5, q3: 5, max: 5, mean: 5 }],
    [[1, 2, 3, 4, 5], { min: 1, q1: 2, median: 3, q3: 4, max: 5, mean: 3 }],
    [[4, 1, 3, 2], { min: 1, q1: 1.75, median: 2.5, q3: 3.25, max: 4, mean: 2.5 }],
    [[], { min: 0, q1: 0, median: 0, q3: 0, max: 0, mean: 0 }],
  ])('%j', (values, want) => expect(spreadOf(values)).toEqual(want));
});

describe('the balance report', () => {
  const three = loadScenario(THREE);
  const report = simulate(three, 60, 'balance');

  it('win rates add up to 1 and each has an interval around it', () => {
    expect(report.powers.reduce((s, p) => s + p.winRate, 0)).toBeCloseTo(1, 6);
    for (const p of report.powers) {
      expect(p.interval[0]).toBeLessThanOrEqual(p.winRate);
      expect(p.interval[1]).toBeGreaterThanOrEqual(p.winRate);
      expect(p.maxScore).toBe(three.powers.find((x) => x.id === p.power)!.objectives.reduce((s, o) => s + o.weight, 0));
      expect(p.score.max).toBeLessThanOrEqual(p.maxScore);
    }
  });

  it('counts each objective, move, event and final value', () => {
    for (const p of report.powers) for (const o of p.objectives) expect(o.metRate).toBeGreaterThanOrEqual(0);
    expect(report.moves.map((m) => m.move).sort()).toEqual(three.moves.map((m) => m.id).sort());
    for (const m of report.moves) expect(Object.values(m.byPower).reduce((a, b) => a + b, 0)).toBe(m.played);
    expect(report.events).toHaveLength(three.events.length);
    expect(report.metrics).toHaveLength(three.powers.length * three.metrics.power.length);
    expect(report.relations).toHaveLength(3 * three.metrics.pair.length);
  });

  it('flags a move that is never played', () => {
    const never = report.moves.filter((m) => m.played === 0);
    expect(never.length).toBeGreaterThan(0);
    for (const m of never) expect(m.flag).toBe('never_played');
  });

  it('flags a move whose players win far more than the fair band', () => {
    const lab = loadScenario(LAB);
    const acc = new BalanceAccumulator(lab, 'x');
    for (let g = 0; g < 40; g++) acc.add(playBotGame(lab, `x:${g}`));
    const r = acc.report();
    expect(r.games).toBe(40);
    for (const m of r.moves) {
      if (m.flag === 'dominant') expect(m.interval[0]).toBeGreaterThan(r.fair.high);
      else if (m.played > 0 && m.players >= 20) expect(m.interval[0]).toBeLessThanOrEqual(r.fair.high);
    }
  });

  it('is the same for the same seed', () => {
    expect(simulate(three, 10, 's')).toEqual(simulate(three, 10, 's'));
  });
});
