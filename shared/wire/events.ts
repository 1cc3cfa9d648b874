/**
 * News on the wire without the words the scenario already holds. A move's headline, a scenario
 * event's headline and body and a courting headline are built from the scenario's texts, which every
 * client has (GET /api/scenarios/:id, cached): the server leaves them out and the client builds them
 * again with the engine's own functions. A text is left out only when rebuilding it gives exactly the
 * same words, so a view rebuilt with the same scenario equals the engine's.
 */
import { courtedHeadline, moveHeadline } from '../engine/headlines.ts';
import type { GameEvent, TurnRecord } from '../engine/types.ts';
import type { Scenario } from '../scenario/schema.ts';

type Texts = { headline?: string; body?: string };

function derived(scenario: Scenario, e: GameEvent): Texts | undefined {
  switch (e.type) {
    case 'move': {
      const move = scenario.moves.find((m) => m.id === e.move);
      return move ? { headline: moveHeadline(scenario, move, e.actor, e.target) } : undefined;
    }
    case 'scenario_event': {
      const def = scenario.events.find((d) => d.id === e.event);
      return def ? { headline: def.headline, body: def.body } : undefined;
    }
    case 'courted':
      return { headline: courtedHeadline(scenario, e.power, e.by) };
    default:
      return undefined;
  }
}

/** The event as sent: derivable texts removed. */
export function compactEvent(scenario: Scenario, e: GameEvent): Record<string, unknown> {
  const d = derived(scenario, e);
  if (!d) return e;
  const out: Record<string, unknown> = { ...e };
  const src = e as Texts;
  if (d.headline !== undefined && src.headline === d.headline) delete out['headline'];
  if (d.body !== undefined && src.body === d.body) delete out['body'];
  return out;
}

export function compactRecord(scenario: Scenario, r: TurnRecord): Record<string, unknown> {
  return { ...r, events: r.events.map((e) => compactEvent(scenario, e)) };
}

/** The event as the engine made it: missing texts rebuilt from the scenario (left empty without it). */
export function expandEvent(scenario: Scenario | undefined, raw: Record<string, unknown>): GameEvent {
  const e = raw as GameEvent & Texts;
  if (e.type !== 'move' && e.type !== 'scenario_event' && e.type !== 'courted') return e;
  if (e.headline !== undefined && (e.type !== 'scenario_event' || e.body !== undefined)) return e;
  const d = scenario ? derived(scenario, e) : undefined;
  const out = { ...e } as GameEvent & Texts;
  if (out.headline === undefined) out.headline = d?.headline ?? '';
  if (e.type === 'scenario_event' && out.body === undefined) out.body = d?.body ?? '';
  return out;
}

export function expandRecord(scenario: Scenario | undefined, raw: Record<string, unknown>): TurnRecord {
  const r = raw as unknown as TurnRecord;
  return { ...r, events: (r.events as unknown as Record<string, unknown>[]).map((e) => expandEvent(scenario, e)) };
}
