/**
 * Checking the commitments ledger at resolution. A `do` promise is kept for a turn when the move was
 * ordered; a `refrain` promise is broken when a matching move was ordered. A promise whose last turn
 * passes unbroken is kept (and earns credibility); a breach costs credibility and the scenario's
 * breach effects, with the breaker as actor and the power it was made to as target. Promises still
 * open when the game ends expire.
 */
import type { Scenario } from '../scenario/schema.ts';
import { addCredibility, addEffects, type Deltas } from './effects.ts';
import { lookup } from './lookup.ts';
import type { Commitment, GameEvent, GameState, Order, PowerId, Term } from './types.ts';

export function termCovers(term: Term, turn: number): boolean {
  return term.from_turn <= turn && turn <= term.to_turn;
}

export function refrainMatches(scenario: Scenario, term: Term, order: Order): boolean {
  const move = lookup(scenario).moves.get(order.move);
  if (!move) return false;
  if (term.move !== undefined && term.move !== order.move) return false;
  if (term.kind !== undefined && term.kind !== move.kind) return false;
  return term.target === undefined || term.target === order.target;
}

function kept(scenario: Scenario, c: Commitment, orders: Order[]): boolean {
  if (c.term.type === 'do') return orders.some((o) => o.move === c.term.move && o.target === c.term.target);
  return !orders.some((o) => refrainMatches(scenario, c.term, o));
}

export function headlineFor(scenario: Scenario, c: Commitment, status: 'kept' | 'breached' | 'expired'): string {
  const { powerName, moves, kinds } = lookup(scenario);
  const what = c.term.move ? (moves.get(c.term.move)?.name ?? c.term.move) : (kinds.get(c.term.kind ?? '')?.name ?? c.term.kind ?? '');
  const promise = c.term.type === 'do' ? `to play "${what}"` : `not to use "${what}"`;
  const verb = status === 'kept' ? 'kept its word' : status === 'breached' ? 'broke its promise' : 'promise lapsed';
  return `${powerName(c.by)} ${verb} to ${powerName(c.to)} (${promise})`;
}

export function settleCommitments(
  scenario: Scenario,
  state: GameState,
  orders: Record<PowerId, Order[]>,
  deltas: Deltas,
): { commitments: Commitment[]; events: GameEvent[] } {
  const turn = state.turn;
  const events: GameEvent[] = [];
  const commitments = state.commitments.map((c) => {
    if (c.status !== 'active' || !termCovers(c.term, turn)) return c;
    if (!kept(scenario, c, orders[c.by] ?? [])) {
      addCredibility(deltas, c.by, scenario.rules.breach.credibility);
      addEffects(scenario, deltas, scenario.rules.breach.effects, { actor: c.by, target: c.to });
      events.push({ type: 'commitment', turn, commitment: c.id, by: c.by, to: c.to, status: 'breached', headline: headlineFor(scenario, c, 'breached') });
      return { ...c, status: 'breached' as const, settled_turn: turn };
    }
    if (c.term.to_turn === turn) {
      addCredibility(deltas, c.by, scenario.rules.commitment_kept_credibility);
      events.push({ type: 'commitment', turn, commitment: c.id, by: c.by, to: c.to, status: 'kept', headline: headlineFor(scenario, c, 'kept') });
      return { ...c, status: 'kept' as const, settled_turn: turn };
    }
    return c;
  });
  return { commitments, events };
}

/** When the game ends, promises about turns that never came expire. */
export function expireCommitments(scenario: Scenario, state: GameState): { commitments: Commitment[]; events: GameEvent[] } {
  const events: GameEvent[] = [];
  const commitments = state.commitments.map((c) => {
    if (c.status !== 'active') return c;
    events.push({ type: 'commitment', turn: state.turn, commitment: c.id, by: c.by, to: c.to, status: 'expired', headline: headlineFor(scenario, c, 'expired') });
    return { ...c, status: 'expired' as const, settled_turn: state.turn };
  });
  return { commitments, events };
}
