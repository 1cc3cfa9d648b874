/**
 * Which moves a power may order, what they cost, and the validation of a whole set of orders.
 * Preconditions are read from the state at the start of the turn: all orders are simultaneous.
 */
import type { Move, Scenario } from '../scenario/schema.ts';
import { holds } from './conditions.ts';
import { lookup, mayPlay, validTargets } from './lookup.ts';
import { reject } from './reject.ts';
import { snapshotOf } from './snapshot.ts';
import type { GameState, Order, PowerId, Rejection } from './types.ts';

export function ordersCost(scenario: Scenario, orders: Order[]): number {
  const { moves } = lookup(scenario);
  return orders.reduce((sum, o) => sum + (moves.get(o.move)?.cost ?? 0), 0);
}

export function actionPointsLeft(scenario: Scenario, state: GameState, power: PowerId): number {
  return scenario.turns.action_points - ordersCost(scenario, state.powers[power]?.orders ?? []);
}

export function preconditionsHold(scenario: Scenario, state: GameState, move: Move, power: PowerId, target?: PowerId): boolean {
  const snap = snapshotOf(state);
  return move.requires.every((c) => holds(scenario, c, snap, { actor: power, target }));
}

/** Checks one order on its own (not its cost): the move exists, the power may play it, against that target, now. */
export function checkOrder(scenario: Scenario, state: GameState, power: PowerId, order: Order): Rejection | undefined {
  const { moves, powerName } = lookup(scenario);
  const move = moves.get(order.move);
  if (!move) return { code: 'UNKNOWN_MOVE', message: `There is no move "${order.move}" in this scenario.` };
  if (!mayPlay(move, power)) return { code: 'NOT_YOUR_MOVE', message: `${powerName(power)} cannot play "${move.name}".` };
  if (move.against === 'none') {
    if (order.target !== undefined) return { code: 'INVALID_TARGET', message: `"${move.name}" is not aimed at another power.` };
  } else {
    if (order.target === undefined) return { code: 'INVALID_TARGET', message: `"${move.name}" needs a target power.` };
    if (!lookup(scenario).powerIndex.has(order.target)) return { code: 'UNKNOWN_TARGET', message: `There is no power "${order.target}".` };
    if (!validTargets(scenario, move, power).includes(order.target)) {
      return { code: 'INVALID_TARGET', message: `"${move.name}" cannot be aimed at ${powerName(order.target)}.` };
    }
  }
  if (move.once_per_game && state.powers[power]?.used_once.includes(move.id)) {
    return { code: 'ALREADY_USED', message: `"${move.name}" can be played only once per game.` };
  }
  if (!preconditionsHold(scenario, state, move, power, order.target)) {
    return { code: 'PRECONDITION_FAILED', message: `The conditions for "${move.name}" are not met.` };
  }
  return undefined;
}

/** Validates a power's complete set of orders for this turn. */
export function checkOrders(scenario: Scenario, state: GameState, power: PowerId, orders: Order[]) {
  const seen = new Set<string>();
  for (const order of orders) {
    const problem = checkOrder(scenario, state, power, order);
    if (problem) return reject(problem.code, problem.message);
    const key = `${order.move}>${order.target ?? ''}`;
    if (seen.has(key)) return reject('DUPLICATE_ORDER', 'The same move against the same power can be ordered only once a turn.');
    seen.add(key);
  }
  const cost = ordersCost(scenario, orders);
  if (cost > scenario.turns.action_points) {
    return reject(
      'NOT_ENOUGH_ACTION_POINTS',
      `These orders cost ${cost} action points; only ${scenario.turns.action_points} are available each turn.`,
    );
  }
  return undefined;
}

/** Orders in a canonical order, so that nothing depends on the order in which they were given. */
export function canonicalOrders(orders: Order[]): Order[] {
  return [...orders].sort((a, b) =>
    a.move === b.move ? (a.target ?? '').localeCompare(b.target ?? '') : a.move.localeCompare(b.move),
  );
}

export interface LegalMove {
  move: string;
  name: string;
  kind: string;
  cost: number;
  joint: boolean;
  /** Targets it may be played against now; empty for untargeted moves. */
  targets: PowerId[];
  untargeted: boolean;
}

/** The moves a power could add to its orders now (ignoring action points already spent). */
export function legalMoves(scenario: Scenario, state: GameState, power: PowerId): LegalMove[] {
  const result: LegalMove[] = [];
  for (const move of scenario.moves) {
    if (!mayPlay(move, power)) continue;
    if (move.once_per_game && state.powers[power]?.used_once.includes(move.id)) continue;
    const untargeted = move.against === 'none';
    const targets = untargeted
      ? []
      : validTargets(scenario, move, power).filter((t) => preconditionsHold(scenario, state, move, power, t));
    if (untargeted ? !preconditionsHold(scenario, state, move, power) : targets.length === 0) continue;
    result.push({ move: move.id, name: move.name, kind: move.kind, cost: move.cost, joint: move.joint, targets, untargeted });
  }
  return result;
}
