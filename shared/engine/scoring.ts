/**
 * Scoring: each objective's weight is earned when its condition holds, on the final state (`end`)
 * or in proportion to the turns it held (`each_turn`). Every point comes with a line saying which
 * objective, which turn(s) and why. Ranking: score, then credibility, then the order of the scenario
 * (ties beyond that share the rank).
 */
import type { Scenario } from '../scenario/schema.ts';
import { holds } from './conditions.ts';
import { describeCondition } from './describe.ts';
import { lookup } from './lookup.ts';
import { snapshotOf, snapshotOfRecord } from './snapshot.ts';
import type { GameState, PowerId } from './types.ts';

export interface ScoreLine {
  objective: string;
  text: string;
  secret: boolean;
  weight: number;
  points: number;
  /** Turns on which the condition held (for each_turn), or the final turn (for end) when met. */
  turns: number[];
  explanation: string;
}

export interface PowerScore {
  power: PowerId;
  name: string;
  score: number;
  rank: number;
  credibility: number;
  lines: ScoreLine[];
}

export interface ScoreReport {
  final: boolean;
  turn: number;
  ranking: PowerScore[];
  /** Powers sharing first place. */
  winners: PowerId[];
}

const round2 = (x: number) => Math.round(x * 100) / 100;

export function scoreGame(scenario: Scenario, state: GameState): ScoreReport {
  const { moves } = lookup(scenario);
  const kindOf = (m: string) => moves.get(m)?.kind ?? '';
  const pastSnaps = state.history.map((r) => snapshotOfRecord(r, kindOf));
  // "If the game ended now": today's metrics, with the moves of the last resolved turn.
  const lastSnap = pastSnaps[pastSnaps.length - 1];
  const finalSnap = { ...snapshotOf(state, lastSnap?.executed ?? []), turn: lastSnap?.turn ?? 0 };
  const scores: PowerScore[] = scenario.powers.map((power) => {
    const lines: ScoreLine[] = power.objectives.map((o) => {
      const roles = { actor: power.id };
      if (o.scoring === 'end') {
        const met = holds(scenario, o.condition, finalSnap, roles);
        return {
          objective: o.id,
          text: o.text,
          secret: o.secret,
          weight: o.weight,
          points: met ? o.weight : 0,
          turns: met ? [finalSnap.turn] : [],
          explanation: `${met ? `Met at the end (after turn ${finalSnap.turn}): +${o.weight}` : `Not met at the end (after turn ${finalSnap.turn}): 0 of ${o.weight}`}. ${describeCondition(scenario, o.condition, finalSnap, roles)}.`,
        };
      }
      const turns = pastSnaps.filter((s) => holds(scenario, o.condition, s, roles)).map((s) => s.turn);
      const points = round2((o.weight * turns.length) / scenario.turns.count);
      return {
        objective: o.id,
        text: o.text,
        secret: o.secret,
        weight: o.weight,
        points,
        turns,
        explanation: `Held after ${turns.length} of ${scenario.turns.count} turns${turns.length ? ` (turns ${turns.join(', ')})` : ''}: +${points} of ${o.weight}. At the end: ${describeCondition(scenario, o.condition, finalSnap, roles)}.`,
      };
    });
    return {
      power: power.id,
      name: power.name,
      score: round2(lines.reduce((s, l) => s + l.points, 0)),
      rank: 0,
      credibility: state.powers[power.id]?.credibility ?? 0,
      lines,
    };
  });
  const ranking = [...scores].sort((a, b) => b.score - a.score || b.credibility - a.credibility);
  for (const [i, s] of ranking.entries()) {
    const prev = ranking[i - 1];
    s.rank = prev && prev.score === s.score && prev.credibility === s.credibility ? prev.rank : i + 1;
  }
  return {
    final: state.phase === 'ended',
    turn: state.turn,
    ranking,
    winners: ranking.filter((s) => s.rank === 1).map((s) => s.power),
  };
}
