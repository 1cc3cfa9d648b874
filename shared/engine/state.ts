/** Creating a game's first state from a scenario and a seed. */
import type { Scenario } from '../scenario/schema.ts';
import { CREDIBILITY_START } from './effects.ts';
import { pairKey } from './pairs.ts';
import type { GameState, PowerState } from './types.ts';

export function newGame(scenario: Scenario, seed: string): GameState {
  const powers: Record<string, PowerState> = {};
  for (const power of scenario.powers) {
    const metrics: Record<string, number> = {};
    for (const m of scenario.metrics.power) metrics[m.id] = power.start[m.id] ?? m.start;
    powers[power.id] = { metrics, credibility: CREDIBILITY_START, orders: [], ready: false, used_once: [] };
  }
  const relations: GameState['relations'] = {};
  const ids = scenario.powers.map((p) => p.id);
  for (let i = 0; i < ids.length; i++) {
    for (let j = i + 1; j < ids.length; j++) {
      const values: Record<string, number> = {};
      for (const m of scenario.metrics.pair) values[m.id] = m.start;
      relations[pairKey(ids[i]!, ids[j]!)] = values;
    }
  }
  for (const r of scenario.relations) {
    const key = pairKey(r.between[0], r.between[1]);
    relations[key] = { ...relations[key], ...r.values };
  }
  return {
    scenario: scenario.id,
    seed,
    turn: 1,
    phase: 'negotiation',
    powers,
    relations,
    proposals: [],
    commitments: [],
    messages: [],
    fired: [],
    current_events: [],
    history: [],
    next_id: 1,
    ids: {},
  };
}
