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

export interface Deltas {
  power: Map<string, number>; // `${power}\u0000${metric}`
  pair: Map<string, number>; // `${pairKey}\u0000${metric}`
  credibility: Map<PowerId, number>;
}

export function emptyDeltas(): Deltas {
  return { power: new Map(), pair: new Map(), credibility: new Map() };
}

function bump(map: Map<string, number>, key: string, by: number) {
  map.set(key, (map.get(key) ?? 0) + by);
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
      for (const p of resolveWho(scenario, effect.on, roles)) bump(deltas.power, `${p}\u0000${effect.metric}`, effect.change);
    } else {
      for (const [a, b] of resolvePairs(scenario, effect.between, roles)) {
        const key = pairKey(a, b);
        const change = scale && scale.pair === key ? Math.trunc(effect.change * scale.factor) : effect.change;
        bump(deltas.pair, `${key}\u0000${effect.relation}`, change);
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
  for (const [key, change] of deltas.power) {
    const [p, metric] = key.split('\u0000') as [string, string];
    const range = powerMetrics.get(metric);
    const current = powers[p];
    if (!range || !current || change === 0) continue;
    const metrics = { ...current.metrics, [metric]: clamp((current.metrics[metric] ?? range.start) + change, range.min, range.max) };
    powers[p] = { ...current, metrics };
  }
  for (const [key, change] of deltas.pair) {
    const [pair, metric] = key.split('\u0000') as [string, string];
    const range = pairMetrics.get(metric);
    if (!range || change === 0) continue;
    const current = relations[pair] ?? {};
    relations[pair] = { ...current, [metric]: clamp((current[metric] ?? range.start) + change, range.min, range.max) };
  }
  for (const [p, change] of deltas.credibility) {
    const current = powers[p];
    if (!current || change === 0) continue;
    powers[p] = { ...current, credibility: clamp(current.credibility + change, CREDIBILITY_MIN, CREDIBILITY_MAX) };
  }
  return { ...state, powers, relations };
}
