/** News texts, always built from the scenario's own words. */
import type { Move, Scenario } from '../scenario/schema.ts';
import { lookup } from './lookup.ts';
import type { PowerId } from './types.ts';

/** English possessive: Alpha -> Alpha's, but a name ending in s (the Netherlands) takes only the apostrophe. */
export function possessive(name: string): string {
  return name.endsWith('s') ? `${name}'` : `${name}'s`;
}

/** Replaces {actor}, {target}, {actor's} and {target's} with power names. */
export function fill(template: string, scenario: Scenario, actor?: PowerId, target?: PowerId): string {
  const { powerName } = lookup(scenario);
  return template
    .replaceAll("{actor's}", actor ? possessive(powerName(actor)) : '')
    .replaceAll("{target's}", target ? possessive(powerName(target)) : '')
    .replaceAll('{actor}', actor ? powerName(actor) : '')
    .replaceAll('{target}', target ? powerName(target) : '');
}

export function moveHeadline(scenario: Scenario, move: Move, actor: PowerId, target?: PowerId): string {
  if (move.headline) return fill(move.headline, scenario, actor, target);
  const { powerName } = lookup(scenario);
  return target ? `${powerName(actor)}: ${move.name} (${powerName(target)})` : `${powerName(actor)}: ${move.name}`;
}

/** The news when two or more powers court the same power in one turn. */
export function courtedHeadline(scenario: Scenario, power: PowerId, by: PowerId[]): string {
  const { powerName } = lookup(scenario);
  return `${powerName(power)} is courted by ${by.map(powerName).join(', ')}`;
}
