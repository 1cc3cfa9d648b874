/**
 * The Hanoi scenario stays balanced: with bots on every seat, each power wins between 15% and 35%
 * of 1,000 games (a fixed seed, so the figure is exact and repeatable). A change to the bots or to
 * the scenario that unbalances it fails here; docs/scenario-format.md says how it was tuned.
 */
import { describe, expect, it } from 'vitest';
import { simulate } from '../../shared/engine/simulate.ts';
import { HANOI, loadScenario } from '../helpers/scenarios.ts';

describe('Hanoi 2024 balance', () => {
  it('gives every power between 15% and 35% of 1,000 bot games', { timeout: 180_000 }, () => {
    const report = simulate(loadScenario(HANOI), 1000, 'bamboo');
    for (const p of report.powers) {
      expect(p.winRate, `${p.name} wins ${(p.winRate * 100).toFixed(1)}%`).toBeGreaterThanOrEqual(0.15);
      expect(p.winRate, `${p.name} wins ${(p.winRate * 100).toFixed(1)}%`).toBeLessThanOrEqual(0.35);
    }
  });
});
