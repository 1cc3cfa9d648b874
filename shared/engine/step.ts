/**
 * The one entry point for changing a game: `step(scenario, state, action)` returns the next state and
 * what happened, or a named rejection. It never changes its inputs.
 */
import type { Scenario } from '../scenario/schema.ts';
import { messageId } from './ids.ts';
import { lookup } from './lookup.ts';
import { checkOrders } from './orders.ts';
import { expireOpenProposals, propose, respond, withdraw } from './proposals.ts';
import { reject } from './reject.ts';
import { resolveTurn } from './resolve.ts';
import { fireEvent } from './scenario-events.ts';
import type { Action, GameEvent, GameState, PowerId, StepResult } from './types.ts';

/** The most characters a message may hold; the server applies its own, usually smaller, limit too. */
export const MAX_MESSAGE_LENGTH = 2000;

function knownPower(scenario: Scenario, power: PowerId) {
  return lookup(scenario).powerIndex.has(power) ? undefined : reject('UNKNOWN_POWER', `There is no power "${power}" in this scenario.`);
}

function advance(scenario: Scenario, state: GameState): StepResult {
  if (state.phase === 'ended') return reject('GAME_OVER', 'The game is over.');
  const expired = expireOpenProposals(state);
  const expiredEvents: GameEvent[] = expired.events;
  if (state.phase === 'negotiation') {
    const powers = Object.fromEntries(Object.entries(expired.state.powers).map(([id, p]) => [id, { ...p, ready: false }]));
    const next: GameState = { ...expired.state, powers, phase: 'orders', current_events: [...expired.state.current_events, ...expiredEvents] };
    return { ok: true, state: next, events: [...expiredEvents, { type: 'phase', turn: state.turn, phase: 'orders' }] };
  }
  const resolved = resolveTurn(scenario, { ...expired.state, current_events: [...expired.state.current_events, ...expiredEvents] });
  return { ok: true, state: resolved.state, events: [...expiredEvents, ...resolved.events] };
}

export function step(scenario: Scenario, state: GameState, action: Action): StepResult {
  if ('power' in action) {
    const unknown = knownPower(scenario, action.power);
    if (unknown) return unknown;
  }
  switch (action.type) {
    case 'set_orders': {
      if (state.phase === 'ended') return reject('GAME_OVER', 'The game is over.');
      if (state.phase !== 'orders') return reject('WRONG_PHASE', 'Orders can be given only in the orders phase.');
      const bad = checkOrders(scenario, state, action.power, action.orders);
      if (bad) return bad;
      const current = state.powers[action.power]!;
      const orders = action.orders.map((o) => (o.target === undefined ? { move: o.move } : { move: o.move, target: o.target }));
      return { ok: true, state: { ...state, powers: { ...state.powers, [action.power]: { ...current, orders } } }, events: [] };
    }
    case 'ready': {
      if (state.phase === 'ended') return reject('GAME_OVER', 'The game is over.');
      const current = state.powers[action.power]!;
      return { ok: true, state: { ...state, powers: { ...state.powers, [action.power]: { ...current, ready: action.ready } } }, events: [] };
    }
    case 'propose':
      return propose(scenario, state, action);
    case 'respond':
      return respond(scenario, state, action);
    case 'withdraw':
      return withdraw(state, action);
    case 'message': {
      if (state.phase === 'ended') return reject('GAME_OVER', 'The game is over.');
      const text = action.text.trim();
      if (text.length === 0) return reject('EMPTY_MESSAGE', 'A message cannot be empty.');
      if (text.length > MAX_MESSAGE_LENGTH) return reject('INVALID_TERMS', `A message can hold at most ${MAX_MESSAGE_LENGTH} characters.`);
      const to = [...new Set(action.to)].filter((p) => p !== action.power);
      if (to.length === 0) return reject('INVALID_TARGET', 'Choose at least one other power to write to.');
      for (const p of to) {
        const unknown = knownPower(scenario, p);
        if (unknown) return unknown;
      }
      const readers = lookup(scenario).powerIds.filter((p) => p === action.power || to.includes(p));
      const { id, patch } = messageId(state, readers);
      const message = { id, turn: state.turn, from: action.power, to: readers, text };
      return { ok: true, state: { ...state, ...patch, messages: [...state.messages, message] }, events: [] };
    }
    case 'advance':
      return advance(scenario, state);
    case 'trigger_event': {
      if (state.phase === 'ended') return reject('GAME_OVER', 'The game is over.');
      const def = lookup(scenario).events.get(action.event);
      if (!def) return reject('UNKNOWN_EVENT', `There is no event "${action.event}" in this scenario.`);
      if (!('facilitator' in def.trigger)) return reject('NOT_A_FACILITATOR_EVENT', `"${def.headline}" happens by itself; it cannot be triggered.`);
      if (!def.repeat && state.fired.includes(def.id)) return reject('ALREADY_USED', `"${def.headline}" has already happened.`);
      const fired = fireEvent(scenario, state, def, 'facilitator');
      return { ok: true, state: { ...fired.state, current_events: [...fired.state.current_events, fired.event] }, events: [fired.event] };
    }
    default:
      return reject('UNKNOWN_MOVE', 'Unknown action.');
  }
}
