/**
 * Conditions in words, with the values they were judged on: "Alpha's Wealth is 72 (needs at
 * least 70)". Used to explain every point of a score, so a student sees which metric earned it.
 */
import type { Condition, Scenario } from '../scenario/schema.ts';
import { type Roles, resolvePairs, resolveWho } from './conditions.ts';
import { possessive } from './headlines.ts';
import { lookup } from './lookup.ts';
import { pairKey } from './pairs.ts';
import type { Snapshot } from './snapshot.ts';

type Cmp = { at_least?: number; at_most?: number; above?: number; below?: number };

function threshold(c: Cmp): string {
  const parts: string[] = [];
  if (c.at_least !== undefined) parts.push(`at least ${c.at_least}`);
  if (c.above !== undefined) parts.push(`above ${c.above}`);
  if (c.at_most !== undefined) parts.push(`at most ${c.at_most}`);
  if (c.below !== undefined) parts.push(`below ${c.below}`);
  return parts.join(' and ');
}

export function describeCondition(scenario: Scenario, c: Condition, snap: Snapshot, roles: Roles): string {
  const { powerName, powerMetrics, pairMetrics, moves, kinds } = lookup(scenario);
  if ('all' in c) return c.all.map((x) => describeCondition(scenario, x, snap, roles)).join('; and ');
  if ('any' in c) return `either ${c.any.map((x) => describeCondition(scenario, x, snap, roles)).join('; or ')}`;
  if ('not' in c) return `not (${describeCondition(scenario, c.not, snap, roles)})`;
  if ('metric' in c) {
    const name = powerMetrics.get(c.metric)?.name ?? c.metric;
    return resolveWho(scenario, c.of, roles)
      .map((p) => `${possessive(powerName(p))} ${name} is ${snap.metrics[p]?.[c.metric] ?? 0} (needs ${threshold(c)})`)
      .join(', ');
  }
  if ('relation' in c) {
    const name = pairMetrics.get(c.relation)?.name ?? c.relation;
    return resolvePairs(scenario, c.between, roles)
      .map(([a, b]) => `${name} between ${powerName(a)} and ${powerName(b)} is ${snap.relations[pairKey(a, b)]?.[c.relation] ?? 0} (needs ${threshold(c)})`)
      .join(', ');
  }
  if ('credibility' in c) {
    return resolveWho(scenario, c.credibility, roles)
      .map((p) => `${possessive(powerName(p))} credibility is ${snap.credibility[p] ?? 0} (needs ${threshold(c)})`)
      .join(', ');
  }
  if ('turn' in c) return `turn ${snap.turn} (needs ${threshold(c.turn)})`;
  if ('partners_this_turn' in c) {
    const spec = c.partners_this_turn;
    const who = resolveWho(scenario, spec.power, roles).map(powerName).join(', ');
    return `${who} partnered with at least ${spec.at_least} ${spec.rivals_only ? 'mutually rival ' : ''}powers in one turn`;
  }
  const spec = c.played_this_turn;
  const who = resolveWho(scenario, spec.by, roles).map(powerName).join(', ');
  const what = spec.move ? `"${moves.get(spec.move)?.name ?? spec.move}"` : spec.kind ? `a ${kinds.get(spec.kind)?.name ?? spec.kind} move` : 'a move';
  const against = spec.against ? ` against ${resolveWho(scenario, spec.against, roles).map(powerName).join(', ')}` : '';
  return `${who} played ${what}${against} that turn`;
}
