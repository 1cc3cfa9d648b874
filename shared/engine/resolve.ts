/**
 * Simultaneous resolution of a turn. The documented rules (docs/rules.md):
 * 1. Orders are read in a canonical order (scenario order of powers, then move id, then target), so
 *    the result never depends on the order in which orders arrived.
 * 2. Preconditions are checked against the state at the start of the turn.
 * 3. A joint move happens only when both sides ordered it against each other; it then executes once
 *    for each side (each as actor). An unmatched joint move costs its action points and does nothing.
 * 4. Mixed signals: when the same pair exchanges a positive and a negative move in one turn, the
 *    positive moves' effects on that pair's relation keep only `rules.mixed_signals` of their size.
 * 5. Courting: a power courted by two or more others (positive moves aimed at it) receives the
 *    scenario's `rules.courted` effects, once.
 * 6. Conditional effects are judged on the moves executed this turn and the start-of-turn metrics.
 * 7. All changes are summed, then applied once, clamped to each metric's range.
 * 8. Commitments are settled, then the scenario's events run, then the turn is recorded.
 */
import type { Scenario } from '../scenario/schema.ts';
import { expireCommitments, settleCommitments } from './commitments.ts';
import { holds } from './conditions.ts';
import { addEffects, applyDeltas, emptyDeltas } from './effects.ts';
import { courtedHeadline, moveHeadline } from './headlines.ts';
import { lookup } from './lookup.ts';
import { canonicalOrders, preconditionsHold } from './orders.ts';
import { pairKey } from './pairs.ts';
import { runTurnEvents } from './scenario-events.ts';
import { type ExecutedMove, snapshotOf } from './snapshot.ts';
import type { GameEvent, GameState, Order, PowerId, TurnRecord } from './types.ts';

type MoveEvent = Extract<GameEvent, { type: 'move' }>;

export function resolveTurn(scenario: Scenario, start: GameState): { state: GameState; events: GameEvent[] } {
  const { powerIds, moves, tone } = lookup(scenario);
  const turn = start.turn;
  const orders: Record<PowerId, Order[]> = {};
  for (const p of powerIds) orders[p] = canonicalOrders(start.powers[p]?.orders ?? []);

  // Which orders execute.
  const moveEvents: MoveEvent[] = [];
  const executed: Array<ExecutedMove & { event: MoveEvent }> = [];
  for (const actor of powerIds) {
    for (const order of orders[actor]!) {
      const move = moves.get(order.move);
      if (!move) continue;
      const event: MoveEvent = {
        type: 'move',
        turn,
        actor,
        move: move.id,
        kind: move.kind,
        headline: moveHeadline(scenario, move, actor, order.target),
        outcome: 'done',
        notes: [],
        ...(order.target !== undefined ? { target: order.target } : {}),
      };
      moveEvents.push(event);
      if (!preconditionsHold(scenario, start, move, actor, order.target)) {
        event.outcome = 'failed';
        event.reason = 'Its conditions were no longer met.';
        continue;
      }
      if (move.joint && !(orders[order.target ?? ''] ?? []).some((o) => o.move === move.id && o.target === actor)) {
        event.outcome = 'unmatched';
        event.reason = `${lookup(scenario).powerName(order.target ?? '')} did not commit to it this turn.`;
        continue;
      }
      executed.push({ actor, move: move.id, kind: move.kind, target: order.target, event });
    }
  }

  // Pairs that exchanged both positive and negative moves this turn.
  const positivePairs = new Set<string>();
  const negativePairs = new Set<string>();
  for (const e of executed) {
    if (!e.target) continue;
    const t = tone(moves.get(e.move)!);
    if (t === 'positive') positivePairs.add(pairKey(e.actor, e.target));
    if (t === 'negative') negativePairs.add(pairKey(e.actor, e.target));
  }

  const deltas = emptyDeltas();
  const snap = snapshotOf(start, executed);
  for (const e of executed) {
    const move = moves.get(e.move)!;
    const roles = { actor: e.actor, target: e.target };
    const key = e.target ? pairKey(e.actor, e.target) : '';
    const mixed = tone(move) === 'positive' && negativePairs.has(key) && positivePairs.has(key);
    const scale = mixed ? { pair: key, factor: scenario.rules.mixed_signals } : undefined;
    if (mixed) e.event.notes.push('Mixed signals: pressure in the same turn blunted its effect on the relationship.');
    addEffects(scenario, deltas, move.effects, roles, scale);
    for (const bonus of move.conditional) {
      if (!holds(scenario, bonus.if, snap, roles)) continue;
      addEffects(scenario, deltas, bonus.effects, roles, scale);
      if (bonus.note) e.event.notes.push(bonus.note);
    }
  }

  // Courting: two or more powers aimed positive moves at the same power.
  const courtedEvents: GameEvent[] = [];
  if (scenario.rules.courted.length > 0) {
    for (const target of powerIds) {
      const suitors = [...new Set(executed.filter((e) => e.target === target && tone(moves.get(e.move)!) === 'positive').map((e) => e.actor))];
      if (suitors.length < 2) continue;
      addEffects(scenario, deltas, scenario.rules.courted, { target });
      courtedEvents.push({ type: 'courted', turn, power: target, by: suitors, headline: courtedHeadline(scenario, target, suitors) });
    }
  }

  const ledger = settleCommitments(scenario, start, orders, deltas);
  let state = applyDeltas(scenario, { ...start, commitments: ledger.commitments }, deltas);

  // Once-per-game moves are spent; orders and readiness are cleared for the next turn.
  const powers = { ...state.powers };
  for (const p of powerIds) {
    const used = executed.filter((e) => e.actor === p && moves.get(e.move)!.once_per_game).map((e) => e.move);
    powers[p] = { ...powers[p]!, orders: [], ready: false, used_once: used.length ? [...powers[p]!.used_once, ...used] : powers[p]!.used_once };
  }
  state = { ...state, powers };

  const scenarioEvents = runTurnEvents(scenario, state, executed);
  state = scenarioEvents.state;

  const events: GameEvent[] = [...moveEvents, ...courtedEvents, ...ledger.events, ...scenarioEvents.events];
  const last = turn >= scenario.turns.count;
  if (last) {
    const expired = expireCommitments(scenario, state);
    state = { ...state, commitments: expired.commitments };
    events.push(...expired.events);
  }

  const record: TurnRecord = {
    turn,
    orders,
    events: [...start.current_events, ...events],
    metrics: Object.fromEntries(powerIds.map((p) => [p, state.powers[p]!.metrics])),
    relations: state.relations,
    credibility: Object.fromEntries(powerIds.map((p) => [p, state.powers[p]!.credibility])),
  };
  const phaseEvent: GameEvent = { type: 'phase', turn: last ? turn : turn + 1, phase: last ? 'ended' : 'negotiation' };
  state = {
    ...state,
    history: [...state.history, record],
    current_events: [],
    turn: last ? turn : turn + 1,
    phase: last ? 'ended' : 'negotiation',
  };
  return { state, events: [...events, phaseEvent] };
}
