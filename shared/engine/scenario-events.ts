/**
 * The scenario's own events: scheduled for a turn, conditional on the state, random (drawn from the
 * game seed, one stream per turn and event so draws never shift each other), or triggered by the
 * facilitator. They happen after the moves of a turn, in the order the scenario lists them.
 */
import type { GameEventDef, Scenario } from '../scenario/schema.ts';
import { holds } from './conditions.ts';
import { addEffects, applyDeltas, emptyDeltas } from './effects.ts';
import { randomStream } from './rng.ts';
import { type ExecutedMove, snapshotOf } from './snapshot.ts';
import type { GameEvent, GameState } from './types.ts';

export function fireEvent(scenario: Scenario, state: GameState, def: GameEventDef, trigger: string): { state: GameState; event: GameEvent } {
  const deltas = emptyDeltas();
  addEffects(scenario, deltas, def.effects, {});
  const next = applyDeltas(scenario, state, deltas);
  const fired = def.repeat || state.fired.includes(def.id) ? state.fired : [...state.fired, def.id];
  return {
    state: { ...next, fired },
    event: { type: 'scenario_event', turn: state.turn, event: def.id, headline: def.headline, body: def.body, trigger },
  };
}

const eligible = (state: GameState, def: GameEventDef) => def.repeat || !state.fired.includes(def.id);

/** Runs the scheduled, random and conditional events due after this turn's moves. */
export function runTurnEvents(scenario: Scenario, start: GameState, executed: ExecutedMove[]): { state: GameState; events: GameEvent[] } {
  let state = start;
  const events: GameEvent[] = [];
  const turn = state.turn;
  for (const def of scenario.events) {
    const trigger = def.trigger;
    let due = false;
    let label = '';
    if ('turn' in trigger) {
      due = trigger.turn === turn;
      label = 'scheduled';
    } else if ('chance' in trigger) {
      const inWindow = turn >= (trigger.from_turn ?? 1) && turn <= (trigger.to_turn ?? scenario.turns.count);
      due = inWindow && randomStream(state.seed, 'event', turn, def.id).next() < trigger.chance;
      label = 'random';
    } else if ('when' in trigger) {
      due = holds(scenario, trigger.when, snapshotOf(state, executed), {});
      label = 'conditional';
    }
    if (!due || !eligible(state, def)) continue;
    const fired = fireEvent(scenario, state, def, label);
    state = fired.state;
    events.push(fired.event);
  }
  return { state, events };
}
