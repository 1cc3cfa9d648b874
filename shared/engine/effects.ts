/**
 * Effects are collected as deltas first and applied together, clamped once to each metric's range.
 * Summing before clamping is what makes simultaneous moves independent of the order they arrived in.
 */
import type { Effect, Scenario } from '../scenario/schema.ts';
import { type Roles, resolvePairs, resolveWho } from './conditions.ts';
import { lookup } from './lookup.ts';
import { pairKey } from './pairs.ts';
import type { GameState, PowerId } from './types.ts';

export const CREDIBILITY_MIN = 0;
export const CREDIBILITY_MAX = 100;
export const CREDIBILITY_START = 50;

/** Changes to apply: per power (or per pair key), per metric. */
export interface Deltas {
  power: Map<PowerId, Map<string, number>>;
  pair: Map<string, Map<string, number>>;
  credibility: Map<PowerId, number>;
}

export function emptyDeltas(): Deltas {
  return { power: new Map(), pair: new Map(), credibility: new Map() };
}

function bump(map: Map<string, Map<string, number>>, key: string, metric: string, by: number) {
  let inner = map.get(key);
  if (!inner) {
    inner = new Map();
    map.set(key, inner);
  }
  inner.set(metric, (inner.get(metric) ?? 0) + by);
}

/** Adds the effects, scaled by `factor` (truncated toward zero) for the pair named by `scaledPair`. */
export function addEffects(
  scenario: Scenario,
  deltas: Deltas,
  effects: Effect[],
  roles: Roles,
  scale?: { pair: string; factor: number },
): void {
  for (const effect of effects) {
    if ('metric' in effect) {
      for (const p of resolveWho(scenario, effect.on, roles)) bump(deltas.power, p, effect.metric, effect.change);
    } else {
      // A relationship is one value whichever side is named first: `between: [all, all]` changes
      // each pair once, not once per direction.
      const done = new Set<string>();
      for (const [a, b] of resolvePairs(scenario, effect.between, roles)) {
        const key = pairKey(a, b);
        if (done.has(key)) continue;
        done.add(key);
        const change = scale && scale.pair === key ? Math.trunc(effect.change * scale.factor) : effect.change;
        bump(deltas.pair, key, effect.relation, change);
      }
    }
  }
}

export function addCredibility(deltas: Deltas, power: PowerId, by: number): void {
  deltas.credibility.set(power, (deltas.credibility.get(power) ?? 0) + by);
}

const clamp = (v: number, min: number, max: number) => Math.min(max, Math.max(min, v));

/** Returns a new state with the deltas applied; the input state is not changed. */
export function applyDeltas(scenario: Scenario, state: GameState, deltas: Deltas): GameState {
  const { powerMetrics, pairMetrics } = lookup(scenario);
  const powers = { ...state.powers };
  const relations = { ...state.relations };
  for (const [p, changes] of deltas.power) {
    const current = powers[p];
    if (!current) continue;
    const metrics = { ...current.metrics };
    for (const [metric, change] of changes) {
      const range = powerMetrics.get(metric);
      if (range) metrics[metric] = clamp((metrics[metric] ?? range.start) + change, range.min, range.max);
    }
    powers[p] = { ...current, metrics };
  }
  for (const [pair, changes] of deltas.pair) {
    const values = { ...relations[pair] };
    for (const [metric, change] of changes) {
      const range = pairMetrics.get(metric);
      if (range) values[metric] = clamp((values[metric] ?? range.start) + change, range.min, range.max);
    }
    relations[pair] = values;
  }
  for (const [p, change] of deltas.credibility) {
    const current = powers[p];
    if (!current || change === 0) continue;
    powers[p] = { ...current, credibility: clamp(current.credibility + change, CREDIBILITY_MIN, CREDIBILITY_MAX) };
  }
  return { ...state, powers, relations };
}
