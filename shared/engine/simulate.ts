/**
 * Bot-only games for scenario designers: plays many games with bots on every seat and summarises
 * who wins, the spread of scores, final metrics and which moves are played, so a designer can see
 * whether a scenario is balanced. Pure: the seed decides everything.
 */
import type { Scenario } from '../scenario/schema.ts';
import { botActions, botReplies } from './bots.ts';
import { scoreGame } from './scoring.ts';
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

export interface PowerStats {
  power: string;
  name: string;
  winRate: number;
  meanScore: number;
  sdScore: number;
  meanMetrics: Record<string, number>;
  meanCredibility: number;
}

export interface SimulationReport {
  games: number;
  seed: string;
  powers: PowerStats[];
  moves: Array<{ move: string; name: string; played: number; perGame: number }>;
  breaches: number;
  kept: number;
}

export function simulate(scenario: Scenario, games: number, seed: string): SimulationReport {
  const n = scenario.powers.length;
  const wins = new Array<number>(n).fill(0);
  const scores: number[][] = scenario.powers.map(() => []);
  const metricSums = scenario.powers.map(() => Object.fromEntries(scenario.metrics.power.map((m) => [m.id, 0])) as Record<string, number>);
  const credibility = new Array<number>(n).fill(0);
  const played = new Map(scenario.moves.map((m) => [m.id, 0]));
  let breaches = 0;
  let kept = 0;
  for (let g = 0; g < games; g++) {
    const state = playBotGame(scenario, `${seed}:${g}`);
    const report = scoreGame(scenario, state);
    scenario.powers.forEach((p, i) => {
      const s = report.ranking.find((r) => r.power === p.id)!;
      scores[i]!.push(s.score);
      if (report.winners.includes(p.id)) wins[i]! += 1 / report.winners.length;
      for (const m of scenario.metrics.power) metricSums[i]![m.id]! += state.powers[p.id]!.metrics[m.id] ?? 0;
      credibility[i]! += state.powers[p.id]!.credibility;
    });
    for (const record of state.history) {
      for (const e of record.events) {
        if (e.type === 'move' && e.outcome === 'done') played.set(e.move, (played.get(e.move) ?? 0) + 1);
        if (e.type === 'commitment') {
          if (e.status === 'breached') breaches++;
          if (e.status === 'kept') kept++;
        }
      }
    }
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const powers = scenario.powers.map((p, i) => {
    const m = mean(scores[i]!);
    return {
      power: p.id,
      name: p.name,
      winRate: wins[i]! / games,
      meanScore: m,
      sdScore: Math.sqrt(mean(scores[i]!.map((x) => (x - m) ** 2))),
      meanMetrics: Object.fromEntries(Object.entries(metricSums[i]!).map(([k, v]) => [k, v / games])),
      meanCredibility: credibility[i]! / games,
    };
  });
  const moves = scenario.moves
    .map((m) => ({ move: m.id, name: m.name, played: played.get(m.id) ?? 0, perGame: (played.get(m.id) ?? 0) / games }))
    .sort((a, b) => b.played - a.played);
  return { games, seed, powers, moves, breaches, kept };
}
