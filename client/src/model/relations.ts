/**
 * How a relation between two powers is drawn: colour AND thickness AND dash pattern, so that the
 * line still reads in greyscale or for colour-blind players.
 */
import type { Scenario, Metric } from '#shared/scenario/schema.ts';

export type Stance = 'allied' | 'friendly' | 'neutral' | 'tense' | 'hostile';
export type Dash = 'solid' | 'dashed' | 'dotted';

export interface LineStyle {
  stance: Stance;
  /** Words for the legend and for screen readers. */
  label: string;
  colour: string;
  width: number;
  dash: Dash;
  /** -1 (worst) .. +1 (best). */
  score: number;
}

const FRIEND = [0x1f, 0x7a, 0x4d];
const NEUTRAL = [0x8a, 0x90, 0x99];
const FOE = [0xb9, 0x3a, 0x2a];

function mix(a: number[], b: number[], t: number): string {
  const c = a.map((v, i) => Math.round(v + ((b[i] ?? v) - v) * t));
  return `#${c.map((v) => v.toString(16).padStart(2, '0')).join('')}`;
}

/** Score a relation value in -1..1 around the middle of the metric's range. */
export function relationScore(value: number, metric: Pick<Metric, 'min' | 'max'>): number {
  const mid = (metric.min + metric.max) / 2;
  const half = (metric.max - metric.min) / 2 || 1;
  return Math.max(-1, Math.min(1, (value - mid) / half));
}

export function relationStyle(value: number, metric: Pick<Metric, 'min' | 'max'>): LineStyle {
  const score = relationScore(value, metric);
  const stance: Stance =
    score >= 0.6 ? 'allied' : score >= 0.2 ? 'friendly' : score > -0.2 ? 'neutral' : score > -0.6 ? 'tense' : 'hostile';
  const label = { allied: 'Close partners', friendly: 'Friendly', neutral: 'Neutral', tense: 'Tense', hostile: 'Hostile' }[
    stance
  ];
  const colour = score >= 0 ? mix(NEUTRAL, FRIEND, score) : mix(NEUTRAL, FOE, -score);
  const width = Math.round((1.5 + Math.abs(score) * 6.5) * 10) / 10;
  const dash: Dash = stance === 'hostile' ? 'dotted' : stance === 'tense' ? 'dashed' : 'solid';
  return { stance, label, colour, width, dash, score };
}

/** The pair metric that lines are drawn from: the first one in the scenario (usually trust). */
export function mainRelationMetric(scenario: Scenario): Metric | undefined {
  return scenario.metrics.pair[0];
}

export function pairKey(a: string, b: string): string {
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}

export interface RelationLine {
  a: string;
  b: string;
  value: number;
  style: LineStyle;
}

/** Every pair of powers with its line style, from the relations record (pairKey → metric → value). */
export function relationLines(
  scenario: Scenario,
  relations: Record<string, Record<string, number>> | undefined,
): RelationLine[] {
  const metric = mainRelationMetric(scenario);
  if (!metric) return [];
  const out: RelationLine[] = [];
  const ids = scenario.powers.map((p) => p.id);
  for (let i = 0; i < ids.length; i++) {
    for (let j = i + 1; j < ids.length; j++) {
      const a = ids[i]!;
      const b = ids[j]!;
      const value = relations?.[pairKey(a, b)]?.[metric.id] ?? metric.start;
      out.push({ a, b, value, style: relationStyle(value, metric) });
    }
  }
  return out;
}

/** How a move kind is animated: partnership and pressure differ by shape, not colour alone. */
export type MoveStroke = 'partnership' | 'pressure' | 'other';
export function moveStroke(scenario: Pick<Scenario, 'kinds'> | undefined, kind: string): MoveStroke {
  const tone = scenario?.kinds?.find((k) => k.id === kind)?.tone;
  if (tone === 'positive') return 'partnership';
  if (tone === 'negative') return 'pressure';
  if (tone === 'neutral') return 'other';
  if (/partner|cooperat|aid|trade|alliance|support|invest/i.test(kind)) return 'partnership';
  if (/pressure|coerc|threat|sanction|hostil|military|confront/i.test(kind)) return 'pressure';
  return 'other';
}

/** The display name of a move kind. */
export function kindName(scenario: Pick<Scenario, 'kinds'> | undefined, kind: string): string {
  return scenario?.kinds?.find((k) => k.id === kind)?.name ?? kind.charAt(0).toUpperCase() + kind.slice(1);
}
