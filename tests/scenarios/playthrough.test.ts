/** Scenarios other than Hanoi play through from start to scores: nothing is tied to the first one. */
import { describe, expect, it } from 'vitest';
import { playBotGame } from '../../shared/engine/simulate.ts';
import { playerView, scoreGame } from '../../shared/index.ts';
import { FIVE, HANOI, loadScenario, THREE } from '../helpers/scenarios.ts';

describe.each([THREE, FIVE, HANOI])('%s', (file) => {
  const s = loadScenario(file);
  const state = playBotGame(s, 'playthrough');

  it('plays every turn to the end', () => {
    expect(state.phase).toBe('ended');
    expect(state.history.map((h) => h.turn)).toEqual(Array.from({ length: s.turns.count }, (_, i) => i + 1));
  });

  it('scores every power with an explanation for every objective', () => {
    const report = scoreGame(s, state);
    expect(report.ranking.map((r) => r.power).sort()).toEqual(s.powers.map((p) => p.id).sort());
    for (const r of report.ranking) {
      const power = s.powers.find((p) => p.id === r.power)!;
      expect(r.lines.map((l) => l.objective)).toEqual(power.objectives.map((o) => o.id));
      for (const l of r.lines) expect(l.explanation.length).toBeGreaterThan(0);
      expect(r.score).toBeCloseTo(r.lines.reduce((sum, l) => sum + l.points, 0), 6);
    }
  });

  it('produces news from the scenario’s own texts', () => {
    const headlines = state.history.flatMap((h) => h.events).filter((e) => e.type === 'move').map((e) => e.headline);
    expect(headlines.length).toBeGreaterThan(0);
    const names = s.powers.map((p) => p.name);
    expect(headlines.every((h) => names.some((n) => h.includes(n)))).toBe(true);
  });

  it('gives every power a view with its own secret objectives only', () => {
    for (const p of s.powers) {
      const view = playerView(s, state, p.id);
      for (const other of s.powers) {
        const secrets = other.objectives.filter((o) => o.secret).map((o) => o.id);
        const seen = view.objectives[other.id]!.map((o) => o.id);
        if (other.id === p.id) expect(seen).toEqual(other.objectives.map((o) => o.id));
        else expect(seen.filter((id) => secrets.includes(id))).toEqual([]);
      }
    }
  });
});
