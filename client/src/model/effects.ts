/**
 * Expected effects of a move, in words, for the orders panel. This is a preview built from the
 * scenario's own effect lists; the server's resolution is what counts (other players' moves, mixed
 * signals and bonuses can change the outcome).
 */
import type { Scenario, Move, Effect, Condition } from '#shared/scenario/schema.ts';
import { metricName, powerName, signed, listJoin } from './format.ts';

export interface EffectLine {
  text: string;
  /** Positive for the actor ("good for you"), negative, or 0 when it is about others. */
  tone: 'good' | 'bad' | 'neutral';
  change: number;
}

export interface MovePreview {
  lines: EffectLine[];
  conditional: { when: string; lines: EffectLine[]; note?: string }[];
}

function resolveWho(scenario: Scenario, who: string, actor: string, target: string | undefined): string[] {
  const all = scenario.powers.map((p) => p.id);
  switch (who) {
    case 'actor':
      return [actor];
    case 'target':
      return target ? [target] : [];
    case 'others':
      return all.filter((p) => p !== actor && p !== target);
    case 'all':
      return all;
    default:
      return all.includes(who) ? [who] : [];
  }
}

function nameFor(scenario: Scenario, id: string, viewer: string | undefined): string {
  return id === viewer ? 'you' : powerName(scenario, id);
}

function possessive(scenario: Scenario, id: string, viewer: string | undefined): string {
  if (id === viewer) return 'Your';
  const n = powerName(scenario, id);
  return n.endsWith('s') ? `${n}'` : `${n}'s`;
}

export function describeEffect(
  scenario: Scenario,
  effect: Effect,
  actor: string,
  target: string | undefined,
  viewer: string | undefined = actor,
): EffectLine[] {
  if ('metric' in effect) {
    const whom = resolveWho(scenario, effect.on, actor, target);
    if (whom.length === 0) return [];
    const metric = metricName(scenario, effect.metric);
    if (whom.length > 2 && effect.on === 'others') {
      return [{ text: `Everyone else's ${metric.toLowerCase()} ${signed(effect.change)}`, tone: 'neutral', change: effect.change }];
    }
    return whom.map((w) => ({
      text: `${possessive(scenario, w, viewer)} ${metric.toLowerCase()} ${signed(effect.change)}`,
      tone: w === viewer ? (effect.change > 0 ? 'good' : effect.change < 0 ? 'bad' : 'neutral') : 'neutral',
      change: effect.change,
    }));
  }
  const [x, y] = effect.between;
  const as = resolveWho(scenario, x, actor, target);
  const bs = resolveWho(scenario, y, actor, target);
  const metric = metricName(scenario, effect.relation).toLowerCase();
  const out: EffectLine[] = [];
  for (const a of as) {
    for (const b of bs) {
      if (a === b) continue;
      const involvesViewer = a === viewer || b === viewer;
      out.push({
        text: `${capitalise(metric)} between ${nameFor(scenario, a, viewer)} and ${nameFor(scenario, b, viewer)} ${signed(effect.change)}`,
        tone: involvesViewer ? (effect.change > 0 ? 'good' : effect.change < 0 ? 'bad' : 'neutral') : 'neutral',
        change: effect.change,
      });
    }
  }
  return out;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** A condition in plain words (best effort, for "if …" lines). */
export function describeCondition(scenario: Scenario, c: Condition, actor: string, target?: string): string {
  const cmp = (o: { at_least?: number; at_most?: number; above?: number; below?: number }): string => {
    const parts: string[] = [];
    if (o.at_least != null) parts.push(`at least ${o.at_least}`);
    if (o.at_most != null) parts.push(`at most ${o.at_most}`);
    if (o.above != null) parts.push(`above ${o.above}`);
    if (o.below != null) parts.push(`below ${o.below}`);
    return listJoin(parts);
  };
  const who = (w: string): string =>
    w === 'actor' ? 'you' : w === 'target' ? (target ? powerName(scenario, target) : 'the target') : w === 'others' ? 'the others' : w === 'all' ? 'everyone' : powerName(scenario, w);
  if ('metric' in c) return `${who(c.of)} ${c.of === 'actor' ? 'have' : 'has'} ${metricName(scenario, c.metric).toLowerCase()} ${cmp(c)}`;
  if ('relation' in c)
    return `${metricName(scenario, c.relation).toLowerCase()} between ${who(c.between[0])} and ${who(c.between[1])} is ${cmp(c)}`;
  if ('turn' in c) return `the turn is ${cmp(c.turn)}`;
  if ('credibility' in c) return `${who(c.credibility)}'s credibility is ${cmp(c)}`;
  if ('partners_this_turn' in c)
    return `${who(c.partners_this_turn.power)} ${c.partners_this_turn.power === 'actor' ? 'work' : 'works'} with at least ${c.partners_this_turn.at_least} ${c.partners_this_turn.rivals_only ? 'rivals' : 'partners'} this turn`;
  if ('played_this_turn' in c) {
    const p = c.played_this_turn;
    const what = p.move ? `“${scenario.moves.find((m) => m.id === p.move)?.name ?? p.move}”` : p.kind ? `a ${p.kind} move` : 'a move';
    return `${who(p.by)} ${p.by === 'actor' ? 'play' : 'plays'} ${what}${p.against ? ` against ${who(p.against)}` : ''} this turn`;
  }
  if ('all' in c) return listJoin(c.all.map((x) => describeCondition(scenario, x, actor, target)));
  if ('any' in c) return listJoin(c.any.map((x) => describeCondition(scenario, x, actor, target)), 'or');
  if ('not' in c) return `not (${describeCondition(scenario, c.not, actor, target)})`;
  return 'a condition holds';
}

export function previewMove(scenario: Scenario, move: Move, actor: string, target: string | undefined): MovePreview {
  const lines = move.effects.flatMap((e) => describeEffect(scenario, e, actor, target, actor));
  const conditional = move.conditional.map((c) => ({
    when: describeCondition(scenario, c.if, actor, target),
    lines: c.effects.flatMap((e) => describeEffect(scenario, e, actor, target, actor)),
    ...(c.note ? { note: c.note } : {}),
  }));
  return { lines, conditional };
}

/** Sum of the costs of the orders, and what is left. */
export function actionPoints(scenario: Scenario, orders: { move: string }[]): { used: number; left: number; total: number } {
  const total = scenario.turns.action_points;
  const used = orders.reduce((s, o) => s + (scenario.moves.find((m) => m.id === o.move)?.cost ?? 0), 0);
  return { used, left: total - used, total };
}

/** Who a move may target, for the viewer. */
export function targetsFor(scenario: Scenario, move: Move, actor: string): string[] {
  if (move.against === 'none') return [];
  const others = scenario.powers.map((p) => p.id).filter((p) => p !== actor);
  return move.against === 'any' ? others : others.filter((p) => (move.against as string[]).includes(p));
}

/** Whether the viewer's power may play the move at all (ignoring preconditions). */
export function availableTo(move: Move, power: string): boolean {
  return move.by === 'any' || move.by.includes(power);
}
