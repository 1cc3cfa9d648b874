/**
 * Bot-only games for scenario designers: plays many games with bots on every seat and gathers the
 * balance figures of ./balance.ts (who wins and why). Pure: the seed decides everything.
 */
import type { Scenario } from '../scenario/schema.ts';
import { BalanceAccumulator, type SimulationReport } from './balance.ts';
import { botActions, botReplies } from './bots.ts';
import { newGame } from './state.ts';
import { step } from './step.ts';
import type { Action, GameState } from './types.ts';

/** Plays one phase for every bot: each acts, then everyone answers proposals made in that pass. */
export function playBotPhase(scenario: Scenario, state: GameState): GameState {
  let current = state;
  const apply = (actions: Action[]) => {
    for (const action of actions) {
      const result = step(scenario, current, action);
      if (result.ok) current = result.state;
    }
  };
  for (const power of scenario.powers) apply(botActions(scenario, current, power.id));
  if (current.phase === 'negotiation') {
    for (const power of scenario.powers) {
      apply(botReplies(scenario, current, power.id));
    }
  }
  const advanced = step(scenario, current, { type: 'advance' });
  return advanced.ok ? advanced.state : current;
}

export function playBotGame(scenario: Scenario, seed: string): GameState {
  let state = newGame(scenario, seed);
  while (state.phase !== 'ended') state = playBotPhase(scenario, state);
  return state;
}

export type { SimulationReport } from './balance.ts';

/** Plays `games` bot games, seeded `${seed}:0`, `${seed}:1`…, and gathers the balance figures. */
export function simulate(scenario: Scenario, games: number, seed: string): SimulationReport {
  const acc = new BalanceAccumulator(scenario, seed);
  for (let g = 0; g < games; g++) acc.add(playBotGame(scenario, `${seed}:${g}`));
  return acc.report();
}
