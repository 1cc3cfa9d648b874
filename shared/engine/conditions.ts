/**
 * Evaluating a scenario condition on a snapshot. `actor` and `target` name the powers of the move
 * (or the objective's owner, as actor, when scoring); a reference that names nobody makes a
 * condition false rather than throwing, so an event condition using `actor` simply never fires.
 */
import type { Condition, Scenario, Who } from '../scenario/schema.ts';
import { lookup } from './lookup.ts';
import { pairKey } from './pairs.ts';
import type { Snapshot } from './snapshot.ts';
import type { PowerId } from './types.ts';

export interface Roles {
  actor?: PowerId;
  target?: PowerId;
}

export function resolveWho(scenario: Scenario, who: Who, roles: Roles): PowerId[] {
  const all = lookup(scenario).powerIds;
  switch (who) {
    case 'actor':
      return roles.actor ? [roles.actor] : [];
    case 'target':
      return roles.target ? [roles.target] : [];
    case 'others':
      return all.filter((p) => p !== roles.actor && p !== roles.target);
    case 'all':
      return all;
    default:
      return [who];
  }
}

interface Comparison {
  at_least?: number;
  at_most?: number;
  above?: number;
  below?: number;
}

export function compare(value: number, c: Comparison): boolean {
  if (c.at_least !== undefined && !(value >= c.at_least)) return false;
  if (c.at_most !== undefined && !(value <= c.at_most)) return false;
  if (c.above !== undefined && !(value > c.above)) return false;
  if (c.below !== undefined && !(value < c.below)) return false;
  return true;
}

/** Every pair named by two references, without a power paired with itself. */
export function resolvePairs(scenario: Scenario, between: [Who, Who], roles: Roles): Array<[PowerId, PowerId]> {
  const pairs: Array<[PowerId, PowerId]> = [];
  for (const a of resolveWho(scenario, between[0], roles)) {
    for (const b of resolveWho(scenario, between[1], roles)) {
      if (a !== b) pairs.push([a, b]);
    }
  }
  return pairs;
}

/** Powers a power partnered with this turn (moves of a positive tone, or of one named kind, either way). */
export function partnersThisTurn(scenario: Scenario, snap: Snapshot, power: PowerId, kind?: string): Set<PowerId> {
  const { moves, tone } = lookup(scenario);
  const partners = new Set<PowerId>();
  for (const e of snap.executed) {
    const move = moves.get(e.move);
    if (!move || !e.target) continue;
    const counts = kind ? e.kind === kind : tone(move) === 'positive';
    if (!counts) continue;
    if (e.actor === power) partners.add(e.target);
    else if (e.target === power) partners.add(e.actor);
  }
  return partners;
}

function hasRivalPair(scenario: Scenario, powers: Set<PowerId>, atLeast: number): boolean {
  // The largest group of partners that are all rivals of one another must reach `atLeast`.
  const { rivals } = lookup(scenario);
  const list = [...powers];
  let best = list.length > 0 ? 1 : 0;
  const grow = (group: PowerId[], start: number) => {
    best = Math.max(best, group.length);
    for (let i = start; i < list.length; i++) {
      const candidate = list[i]!;
      if (group.every((g) => rivals.has(pairKey(g, candidate)))) grow([...group, candidate], i + 1);
    }
  };
  grow([], 0);
  return best >= atLeast;
}

export function holds(scenario: Scenario, condition: Condition, snap: Snapshot, roles: Roles): boolean {
  if ('all' in condition) return condition.all.every((c) => holds(scenario, c, snap, roles));
  if ('any' in condition) return condition.any.some((c) => holds(scenario, c, snap, roles));
  if ('not' in condition) return !holds(scenario, condition.not, snap, roles);
  if ('metric' in condition) {
    const powers = resolveWho(scenario, condition.of, roles);
    return powers.length > 0 && powers.every((p) => compare(snap.metrics[p]?.[condition.metric] ?? 0, condition));
  }
  if ('relation' in condition) {
    const pairs = resolvePairs(scenario, condition.between, roles);
    return (
      pairs.length > 0 &&
      pairs.every(([a, b]) => compare(snap.relations[pairKey(a, b)]?.[condition.relation] ?? 0, condition))
    );
  }
  if ('credibility' in condition) {
    const powers = resolveWho(scenario, condition.credibility, roles);
    return powers.length > 0 && powers.every((p) => compare(snap.credibility[p] ?? 0, condition));
  }
  if ('turn' in condition) return compare(snap.turn, condition.turn);
  if ('partners_this_turn' in condition) {
    const spec = condition.partners_this_turn;
    return resolveWho(scenario, spec.power, roles).some((p) => {
      const partners = partnersThisTurn(scenario, snap, p, spec.kind);
      return spec.rivals_only ? hasRivalPair(scenario, partners, spec.at_least) : partners.size >= spec.at_least;
    });
  }
  if ('played_this_turn' in condition) {
    const spec = condition.played_this_turn;
    const actors = new Set(resolveWho(scenario, spec.by, roles));
    const targets = spec.against ? new Set(resolveWho(scenario, spec.against, roles)) : undefined;
    return snap.executed.some(
      (e) =>
        actors.has(e.actor) &&
        (!spec.move || e.move === spec.move) &&
        (!spec.kind || e.kind === spec.kind) &&
        (!targets || (e.target !== undefined && targets.has(e.target))),
    );
  }
  return false;
}
