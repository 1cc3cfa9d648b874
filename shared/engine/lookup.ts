/**
 * Lookups over a scenario (moves by id, tone of each kind, metric ranges), built once per scenario
 * object and memoised, because resolution and bots ask them thousands of times per game.
 */
import type { GameEventDef, Kind, Metric, Move, Power, Scenario } from '../scenario/schema.ts';
import { pairKey } from './pairs.ts';
import type { PowerId } from './types.ts';

export interface ScenarioLookup {
  powerIds: PowerId[];
  powerIndex: Map<PowerId, number>;
  moves: Map<string, Move>;
  kinds: Map<string, Kind>;
  events: Map<string, GameEventDef>;
  powerMetrics: Map<string, Metric>;
  pairMetrics: Map<string, Metric>;
  rivals: Set<string>;
  powers: Map<PowerId, Power>;
  powerName(id: PowerId): string;
  tone(move: Move): Kind['tone'];
}

const cache = new WeakMap<Scenario, ScenarioLookup>();

export function lookup(scenario: Scenario): ScenarioLookup {
  const known = cache.get(scenario);
  if (known) return known;
  const kinds = new Map(scenario.kinds.map((k) => [k.id, k]));
  const names = new Map(scenario.powers.map((p) => [p.id, p.name]));
  const built: ScenarioLookup = {
    powerIds: scenario.powers.map((p) => p.id),
    powerIndex: new Map(scenario.powers.map((p, i) => [p.id, i])),
    moves: new Map(scenario.moves.map((m) => [m.id, m])),
    kinds,
    events: new Map(scenario.events.map((e) => [e.id, e])),
    powerMetrics: new Map(scenario.metrics.power.map((m) => [m.id, m])),
    pairMetrics: new Map(scenario.metrics.pair.map((m) => [m.id, m])),
    rivals: new Set(scenario.rivalries.map(([a, b]) => pairKey(a, b))),
    powers: new Map(scenario.powers.map((p) => [p.id, p])),
    powerName: (id) => names.get(id) ?? id,
    tone: (move) => kinds.get(move.kind)?.tone ?? 'neutral',
  };
  cache.set(scenario, built);
  return built;
}

/** Whether a power may play a move at all, and against whom. */
export function mayPlay(move: Move, power: PowerId): boolean {
  return move.by === 'any' || move.by.includes(power);
}

export function validTargets(scenario: Scenario, move: Move, power: PowerId): PowerId[] {
  if (move.against === 'none') return [];
  const all = lookup(scenario).powerIds.filter((p) => p !== power);
  return move.against === 'any' ? all : all.filter((p) => (move.against as string[]).includes(p));
}
