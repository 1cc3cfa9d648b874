/**
 * Balance figures for scenario designers, gathered game by game so that a caller can report progress
 * (the browser workshop's worker) or run them all at once (`simulate`). They explain *why* a power
 * wins, not only who does: objectives met, moves played (by whom, and how often their players win),
 * events fired, the spread of every metric and relation at the end, and each power's win rate with a
 * 95 % Wilson interval against a fair band that depends on the number of powers. Pure.
 */
import type { Scenario } from '../scenario/schema.ts';
import { pairKey } from './pairs.ts';
import { scoreGame } from './scoring.ts';
import type { GameState } from './types.ts';

/** Five-number summary (and the mean) of a list of values. */
export interface Spread {
  min: number;
  q1: number;
  median: number;
  q3: number;
  max: number;
  mean: number;
}

export interface FairBand {
  /** 1 / number of powers. */
  share: number;
  low: number;
  high: number;
}

export type Verdict = 'fair' | 'too_often' | 'too_rarely' | 'unclear';

export interface ObjectiveStats {
  id: string;
  text: string;
  secret: boolean;
  weight: number;
  scoring: 'end' | 'each_turn';
  /** `end`: share of games in which it held at the end. `each_turn`: share of turns it held. */
  metRate: number;
  meanPoints: number;
}

export interface PowerBalance {
  power: string;
  name: string;
  colour: string;
  /** Wins (a shared first place counts as a fraction). */
  wins: number;
  winRate: number;
  /** 95 % Wilson interval of the win rate. */
  interval: [number, number];
  verdict: Verdict;
  meanScore: number;
  sdScore: number;
  score: Spread;
  /** The most a power can score: every objective met (every turn, for `each_turn` ones). */
  maxScore: number;
  meanMetrics: Record<string, number>;
  meanCredibility: number;
  objectives: ObjectiveStats[];
}

export interface MoveBalance {
  move: string;
  name: string;
  kind: string;
  /** Times it took effect, over all games. */
  played: number;
  perGame: number;
  /** Times it was ordered but did not take effect (a joint move without its partner, a failed condition). */
  failed: number;
  /** Times each power played it. */
  byPower: Record<string, number>;
  /** (game, power) pairs in which that power played it at least once, and the share of those it won. */
  players: number;
  winRateWhenPlayed: number;
  interval: [number, number];
  flag?: 'never_played' | 'dominant';
}

export interface EventBalance {
  event: string;
  headline: string;
  /** Share of games in which it fired at least once, and times per game. */
  rate: number;
  perGame: number;
}

export interface SpreadLine {
  /** A power id, or the pair `a|b` for a relation. */
  of: string;
  label: string;
  metric: string;
  metricName: string;
  spread: Spread;
}

export interface SimulationReport {
  games: number;
  seed: string;
  fair: FairBand;
  powers: PowerBalance[];
  moves: MoveBalance[];
  events: EventBalance[];
  metrics: SpreadLine[];
  relations: SpreadLine[];
  breaches: number;
  kept: number;
}

/** The fair band: 1/n ± r·(1/n), with r = 0.2 + 0.05·n (30 % of the share for 2 powers, 60 % for 8). */
export function fairBand(powers: number): FairBand {
  const share = 1 / powers;
  const r = 0.2 + 0.05 * powers;
  return { share, low: share * (1 - r), high: Math.min(1, share * (1 + r)) };
}

/** 95 % Wilson score interval for `successes` out of `n` (successes may be fractional). */
export function wilson(successes: number, n: number, z = 1.96): [number, number] {
  if (n <= 0) return [0, 1];
  const p = successes / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  const round = (x: number) => Math.round(x * 1e12) / 1e12;
  return [Math.max(0, round(centre - half)), Math.min(1, round(centre + half))];
}

/** fair: inside the band; too_often / too_rarely: the whole interval is outside it; unclear: more games needed. */
export function verdict(rate: number, interval: [number, number], band: FairBand): Verdict {
  if (interval[0] > band.high) return 'too_often';
  if (interval[1] < band.low) return 'too_rarely';
  return rate >= band.low && rate <= band.high ? 'fair' : 'unclear';
}

export function spreadOf(values: number[]): Spread {
  if (values.length === 0) return { min: 0, q1: 0, median: 0, q3: 0, max: 0, mean: 0 };
  const s = Float64Array.from(values).sort();
  const q = (f: number) => {
    const i = (s.length - 1) * f;
    const lo = Math.floor(i);
    const hi = Math.ceil(i);
    return s[lo]! + (s[hi]! - s[lo]!) * (i - lo);
  };
  let sum = 0;
  for (const v of s) sum += v;
  return { min: s[0]!, q1: q(0.25), median: q(0.5), q3: q(0.75), max: s[s.length - 1]!, mean: sum / s.length };
}

/** Adds games one at a time; `report()` may be called at any point. */
export class BalanceAccumulator {
  private games = 0;
  private wins: number[];
  private scores: number[][];
  private credibility: number[];
  private objectivePoints: number[][];
  private objectiveMet: number[][];
  private played = new Map<string, { total: number; failed: number; byPower: Map<string, number>; players: number; wins: number }>();
  private fired = new Map<string, { games: number; times: number }>();
  private finalMetrics = new Map<string, number[]>();
  private finalRelations = new Map<string, number[]>();
  private breaches = 0;
  private kept = 0;

  private readonly scenario: Scenario;
  private readonly seed: string;

  constructor(scenario: Scenario, seed: string) {
    this.scenario = scenario;
    this.seed = seed;
    const n = scenario.powers.length;
    this.wins = new Array<number>(n).fill(0);
    this.credibility = new Array<number>(n).fill(0);
    this.scores = scenario.powers.map(() => []);
    this.objectivePoints = scenario.powers.map((p) => p.objectives.map(() => 0));
    this.objectiveMet = scenario.powers.map((p) => p.objectives.map(() => 0));
    for (const m of scenario.moves) this.played.set(m.id, { total: 0, failed: 0, byPower: new Map(), players: 0, wins: 0 });
    for (const e of scenario.events) this.fired.set(e.id, { games: 0, times: 0 });
  }

  get count(): number {
    return this.games;
  }

  add(state: GameState): void {
    const { scenario } = this;
    this.games++;
    const report = scoreGame(scenario, state);
    const winShare = new Map(report.winners.map((w) => [w, 1 / report.winners.length]));
    scenario.powers.forEach((p, i) => {
      const s = report.ranking.find((r) => r.power === p.id)!;
      this.scores[i]!.push(s.score);
      this.wins[i]! += winShare.get(p.id) ?? 0;
      this.credibility[i]! += state.powers[p.id]!.credibility;
      s.lines.forEach((line, j) => {
        this.objectivePoints[i]![j]! += line.points;
        const o = p.objectives[j]!;
        this.objectiveMet[i]![j]! += o.scoring === 'end' ? (line.points > 0 ? 1 : 0) : line.turns.length / scenario.turns.count;
      });
      for (const m of scenario.metrics.power) this.push(this.finalMetrics, `${p.id}\u0000${m.id}`, state.powers[p.id]!.metrics[m.id] ?? 0);
    });
    for (const [i, a] of scenario.powers.entries()) {
      for (const b of scenario.powers.slice(i + 1)) {
        const key = pairKey(a.id, b.id);
        for (const m of scenario.metrics.pair) this.push(this.finalRelations, `${key}\u0000${m.id}`, state.relations[key]?.[m.id] ?? m.start);
      }
    }
    const playedBy = new Map<string, Set<string>>();
    const firedHere = new Set<string>();
    for (const record of state.history) {
      for (const e of record.events) {
        if (e.type === 'move') {
          const entry = this.played.get(e.move);
          if (!entry) continue;
          if (e.outcome !== 'done') {
            entry.failed++;
            continue;
          }
          entry.total++;
          entry.byPower.set(e.actor, (entry.byPower.get(e.actor) ?? 0) + 1);
          if (!playedBy.has(e.move)) playedBy.set(e.move, new Set());
          playedBy.get(e.move)!.add(e.actor);
        } else if (e.type === 'scenario_event') {
          const entry = this.fired.get(e.event);
          if (!entry) continue;
          entry.times++;
          firedHere.add(e.event);
        } else if (e.type === 'commitment') {
          if (e.status === 'breached') this.breaches++;
          if (e.status === 'kept') this.kept++;
        }
      }
    }
    for (const [move, actors] of playedBy) {
      const entry = this.played.get(move)!;
      for (const actor of actors) {
        entry.players++;
        entry.wins += winShare.get(actor) ?? 0;
      }
    }
    for (const id of firedHere) this.fired.get(id)!.games++;
  }

  private push(map: Map<string, number[]>, key: string, value: number): void {
    const list = map.get(key);
    if (list) list.push(value);
    else map.set(key, [value]);
  }

  report(): SimulationReport {
    const { scenario } = this;
    const games = Math.max(1, this.games);
    const fair = fairBand(scenario.powers.length);
    const powers = scenario.powers.map((p, i): PowerBalance => {
      const scores = this.scores[i]!;
      const spread = spreadOf(scores);
      const interval = wilson(this.wins[i]!, games);
      const winRate = this.wins[i]! / games;
      const metricsOf = (id: string) => this.finalMetrics.get(`${p.id}\u0000${id}`) ?? [];
      return {
        power: p.id,
        name: p.name,
        colour: p.colour,
        wins: this.wins[i]!,
        winRate,
        interval,
        verdict: verdict(winRate, interval, fair),
        meanScore: spread.mean,
        sdScore: Math.sqrt(scores.reduce((s, x) => s + (x - spread.mean) ** 2, 0) / Math.max(1, scores.length)),
        score: spread,
        maxScore: p.objectives.reduce((s, o) => s + o.weight, 0),
        meanMetrics: Object.fromEntries(scenario.metrics.power.map((m) => [m.id, spreadOf(metricsOf(m.id)).mean])),
        meanCredibility: this.credibility[i]! / games,
        objectives: p.objectives.map((o, j) => ({
          id: o.id,
          text: o.text,
          secret: o.secret,
          weight: o.weight,
          scoring: o.scoring,
          metRate: this.objectiveMet[i]![j]! / games,
          meanPoints: this.objectivePoints[i]![j]! / games,
        })),
      };
    });
    const moves = scenario.moves
      .map((m): MoveBalance => {
        const e = this.played.get(m.id)!;
        const interval = wilson(e.wins, e.players);
        const winRateWhenPlayed = e.players ? e.wins / e.players : 0;
        // Dominant: even the low end of its players' win rate is above the fair band, over enough games.
        const flag = e.total === 0 ? 'never_played' : e.players >= 20 && interval[0] > fair.high ? 'dominant' : undefined;
        return {
          move: m.id,
          name: m.name,
          kind: m.kind,
          played: e.total,
          perGame: e.total / games,
          failed: e.failed,
          byPower: Object.fromEntries(scenario.powers.map((p) => [p.id, e.byPower.get(p.id) ?? 0])),
          players: e.players,
          winRateWhenPlayed,
          interval,
          ...(flag ? { flag } : {}),
        };
      })
      .sort((a, b) => b.played - a.played);
    const events = scenario.events.map((ev): EventBalance => {
      const e = this.fired.get(ev.id)!;
      return { event: ev.id, headline: ev.headline, rate: e.games / games, perGame: e.times / games };
    });
    const metrics = scenario.powers.flatMap((p) =>
      scenario.metrics.power.map((m) => ({ of: p.id, label: p.name, metric: m.id, metricName: m.name, spread: spreadOf(this.finalMetrics.get(`${p.id}\u0000${m.id}`) ?? []) })),
    );
    const relations: SpreadLine[] = [];
    for (const [i, a] of scenario.powers.entries()) {
      for (const b of scenario.powers.slice(i + 1)) {
        const key = pairKey(a.id, b.id);
        for (const m of scenario.metrics.pair) {
          relations.push({ of: key, label: `${a.name} – ${b.name}`, metric: m.id, metricName: m.name, spread: spreadOf(this.finalRelations.get(`${key}\u0000${m.id}`) ?? []) });
        }
      }
    }
    return { games: this.games, seed: this.seed, fair, powers, moves, events, metrics, relations, breaches: this.breaches, kept: this.kept };
  }
}
