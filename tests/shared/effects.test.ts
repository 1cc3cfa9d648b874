/**
 * Pair effects: each relationship a side names is changed once, whichever way round the pair comes
 * (`between: [all, all]` must not count every pair twice).
 */
import { describe, expect, it } from 'vitest';
import { addEffects } from '../../shared/engine/effects.ts';
import { loadScenario, THREE } from '../helpers/scenarios.ts';

const scenario = loadScenario(THREE);
const [a, b, c] = scenario.powers.map((p) => p.id) as [string, string, string];
const metric = scenario.metrics.pair[0]!.id;

function pairDeltas(between: [string, string]): Record<string, number> {
  const deltas = { power: new Map(), pair: new Map(), credibility: new Map() } as unknown as Parameters<typeof addEffects>[1];
  addEffects(scenario, deltas, [{ relation: metric, between, change: -2 } as never], { actor: a, target: b });
  const out: Record<string, number> = {};
  for (const [key, m] of (deltas as unknown as { pair: Map<string, Map<string, number>> }).pair) out[key] = m.get(metric) ?? 0;
  return out;
}

describe('pair effects', () => {
  it.each([
    { between: ['all', 'all'], pairs: 3 },
    { between: ['others', 'target'], pairs: 1 },
    { between: ['actor', 'target'], pairs: 1 },
    { between: ['all', 'target'], pairs: 2 },
  ] as { between: [string, string]; pairs: number }[])('$between changes $pairs relationship(s), each once', ({ between, pairs }) => {
    const d = pairDeltas(between);
    expect(Object.keys(d)).toHaveLength(pairs);
    for (const v of Object.values(d)) expect(v).toBe(-2);
  });

  it('names the pairs of three powers', () => {
    expect(Object.keys(pairDeltas(['all', 'all'])).sort()).toEqual([[a, b], [a, c], [b, c]].map((p) => [...p].sort().join('|')).sort());
  });
});
