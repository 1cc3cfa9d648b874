/**
 * Proposals and the commitments ledger. A proposal is a package of terms between two powers; once
 * accepted, each term becomes a commitment. This turn's promised moves are added to the promiser's
 * orders at once (they are executed at resolution); later turns' promises are checked when those
 * turns resolve (see commitments.ts).
 */
import type { Scenario } from '../scenario/schema.ts';
import { commitmentIds, proposalId } from './ids.ts';
import { lookup, mayPlay, validTargets } from './lookup.ts';
import { checkOrders } from './orders.ts';
import { reject } from './reject.ts';
import type { Commitment, GameEvent, GameState, Order, PowerId, Proposal, StepResult, Term } from './types.ts';

type ProposalEvent = Extract<GameEvent, { type: 'proposal' }>;

/** Whether a refrain term renounces something its promiser could ever do (a move, or a move of that kind, against that target). */
export function canRenounce(scenario: Scenario, term: Term): boolean {
  const { moves } = lookup(scenario);
  const renounced = term.move !== undefined ? [moves.get(term.move)].filter((m) => m !== undefined) : [...moves.values()].filter((m) => m.kind === term.kind);
  return renounced.some((m) => mayPlay(m, term.power) && (term.target === undefined || m.against === 'none' || validTargets(scenario, m, term.power).includes(term.target)));
}

function checkTerms(scenario: Scenario, state: GameState, from: PowerId, to: PowerId, terms: Term[]) {
  const { moves, kinds, powerIndex, powerName } = lookup(scenario);
  const last = scenario.turns.count;
  if (terms.length === 0) return reject('INVALID_TERMS', 'A proposal needs at least one term.');
  for (const [i, term] of terms.entries()) {
    const where = `Term ${i + 1}`;
    if (term.power !== from && term.power !== to) {
      return reject('INVALID_TERMS', `${where}: only the two powers of a proposal can promise something in it.`);
    }
    if (!Number.isInteger(term.from_turn) || !Number.isInteger(term.to_turn)) return reject('INVALID_TERMS', `${where}: turns must be whole numbers.`);
    if (term.from_turn < state.turn || term.to_turn < term.from_turn || term.to_turn > last) {
      return reject('INVALID_TERMS', `${where}: turns must run forward from the current turn (${state.turn}) to at most turn ${last}.`);
    }
    if (term.to_turn - term.from_turn + 1 > scenario.rules.max_commitment_turns) {
      return reject('INVALID_TERMS', `${where}: a promise can cover at most ${scenario.rules.max_commitment_turns} turns.`);
    }
    if (term.target !== undefined && !powerIndex.has(term.target)) return reject('UNKNOWN_TARGET', `${where}: there is no power "${term.target}".`);
    if (term.type === 'do') {
      const move = term.move ? moves.get(term.move) : undefined;
      if (!move) return reject('UNKNOWN_MOVE', `${where}: there is no move "${term.move ?? ''}".`);
      if (!mayPlay(move, term.power)) return reject('NOT_YOUR_MOVE', `${where}: ${powerName(term.power)} cannot play "${move.name}".`);
      const targetOk = move.against === 'none' ? term.target === undefined : term.target !== undefined && validTargets(scenario, move, term.power).includes(term.target);
      if (!targetOk) return reject('INVALID_TARGET', `${where}: "${move.name}" cannot be promised against that power.`);
    } else if (term.type === 'refrain') {
      if (term.move === undefined && term.kind === undefined) return reject('INVALID_TERMS', `${where}: say which move or which kind of move is renounced.`);
      if (term.move !== undefined && !moves.has(term.move)) return reject('UNKNOWN_MOVE', `${where}: there is no move "${term.move}".`);
      if (term.kind !== undefined && !kinds.has(term.kind)) return reject('INVALID_TERMS', `${where}: there is no kind of move "${term.kind}".`);
      // A promise not to do what one can never do is empty: refuse it (issue 11, defect 7).
      if (!canRenounce(scenario, term)) {
        const what = term.move !== undefined ? `"${moves.get(term.move)!.name}"` : `any ${kinds.get(term.kind!)?.name ?? term.kind} move`;
        return reject('INVALID_TERMS', `${where}: ${powerName(term.power)} can never play ${what}${term.target !== undefined ? ` against ${powerName(term.target)}` : ''}, so there is nothing to renounce.`);
      }
    } else {
      return reject('INVALID_TERMS', `${where}: a term is either "do" or "refrain".`);
    }
  }
  return undefined;
}

function openPhase(state: GameState) {
  return state.phase === 'ended' ? reject('GAME_OVER', 'The game is over.') : undefined;
}

export function propose(
  scenario: Scenario,
  state: GameState,
  action: { power: PowerId; to: PowerId; terms: Term[]; note?: string; counters?: string },
): StepResult {
  const closed = openPhase(state);
  if (closed) return closed;
  const { powerIndex } = lookup(scenario);
  if (!powerIndex.has(action.to)) return reject('UNKNOWN_TARGET', `There is no power "${action.to}".`);
  if (action.to === action.power) return reject('INVALID_TARGET', 'A proposal is made to another power.');
  const bad = checkTerms(scenario, state, action.power, action.to, action.terms);
  if (bad) return bad;
  let proposals = state.proposals;
  const events = [];
  if (action.counters !== undefined) {
    const original = proposals.find((p) => p.id === action.counters);
    if (!original) return reject('UNKNOWN_PROPOSAL', 'The proposal you are countering does not exist.');
    if (original.to !== action.power || original.from !== action.to) return reject('NOT_ADDRESSED_TO_YOU', 'You can counter only a proposal made to you, back to its author.');
    if (original.status !== 'open') return reject('PROPOSAL_CLOSED', 'That proposal is no longer open.');
    proposals = proposals.map((p) => (p.id === original.id ? { ...p, status: 'countered' as const } : p));
    events.push({ type: 'proposal' as const, turn: state.turn, proposal: original.id, from: original.from, to: original.to, status: 'countered' as const });
  }
  const { id, patch } = proposalId(state, action.power, action.to);
  const proposal: Proposal = {
    id,
    from: action.power,
    to: action.to,
    terms: action.terms.map((t) => ({ ...t })),
    note: action.note ?? '',
    turn: state.turn,
    status: 'open',
    ...(action.counters !== undefined ? { counters: action.counters } : {}),
  };
  events.push({ type: 'proposal' as const, turn: state.turn, proposal: proposal.id, from: proposal.from, to: proposal.to, status: 'open' as const });
  return { ok: true, state: { ...state, ...patch, proposals: [...proposals, proposal] }, events };
}

/** Orders after adding a power's promised moves for this turn (those not already ordered). */
function withPromisedOrders(orders: Order[], terms: Term[], power: PowerId, turn: number): Order[] {
  const result = [...orders];
  for (const t of terms) {
    if (t.power !== power || t.type !== 'do' || t.from_turn > turn || t.move === undefined) continue;
    if (!result.some((o) => o.move === t.move && o.target === t.target)) {
      result.push(t.target === undefined ? { move: t.move } : { move: t.move, target: t.target });
    }
  }
  return result;
}

export function respond(scenario: Scenario, state: GameState, action: { power: PowerId; proposal: string; accept: boolean }): StepResult {
  const closed = openPhase(state);
  if (closed) return closed;
  const proposal = state.proposals.find((p) => p.id === action.proposal);
  if (!proposal) return reject('UNKNOWN_PROPOSAL', 'That proposal does not exist.');
  if (proposal.to !== action.power) return reject('NOT_ADDRESSED_TO_YOU', 'Only the power a proposal is addressed to can answer it.');
  if (proposal.status !== 'open') return reject('PROPOSAL_CLOSED', 'That proposal is no longer open.');
  const status = action.accept ? ('accepted' as const) : ('rejected' as const);
  const proposals = state.proposals.map((p) => (p.id === proposal.id ? { ...p, status } : p));
  const event = { type: 'proposal' as const, turn: state.turn, proposal: proposal.id, from: proposal.from, to: proposal.to, status };
  if (!action.accept) return { ok: true, state: { ...state, proposals }, events: [event] };

  // This turn's promised moves join the promisers' orders now; both sides must be able to afford them.
  const powers = { ...state.powers };
  if (state.phase === 'orders' || proposal.terms.some((t) => t.type === 'do' && t.from_turn === state.turn)) {
    for (const side of [proposal.from, proposal.to]) {
      const current = powers[side]!;
      const orders = withPromisedOrders(current.orders, proposal.terms, side, state.turn);
      if (orders.length === current.orders.length) continue;
      const bad = checkOrders(scenario, state, side, orders);
      if (bad) {
        const who = lookup(scenario).powerName(side);
        return reject(bad.rejection.code, `This deal cannot be accepted: for ${who}, ${bad.rejection.message.charAt(0).toLowerCase()}${bad.rejection.message.slice(1)}`);
      }
      powers[side] = { ...current, orders };
    }
  }
  const named = commitmentIds(state, proposal.id, proposal.terms.length);
  const commitments: Commitment[] = proposal.terms.map((term, k) => ({
    id: named.ids[k]!,
    proposal: proposal.id,
    by: term.power,
    to: term.power === proposal.from ? proposal.to : proposal.from,
    term: { ...term },
    status: 'active',
  }));
  return {
    ok: true,
    state: { ...state, ...named.patch, powers, proposals, commitments: [...state.commitments, ...commitments] },
    events: [event],
  };
}

export function withdraw(state: GameState, action: { power: PowerId; proposal: string }): StepResult {
  const proposal = state.proposals.find((p) => p.id === action.proposal);
  if (!proposal) return reject('UNKNOWN_PROPOSAL', 'That proposal does not exist.');
  if (proposal.from !== action.power) return reject('NOT_ADDRESSED_TO_YOU', 'Only the author of a proposal can withdraw it.');
  if (proposal.status !== 'open') return reject('PROPOSAL_CLOSED', 'That proposal is no longer open.');
  const proposals = state.proposals.map((p) => (p.id === proposal.id ? { ...p, status: 'withdrawn' as const } : p));
  return {
    ok: true,
    state: { ...state, proposals },
    events: [{ type: 'proposal', turn: state.turn, proposal: proposal.id, from: proposal.from, to: proposal.to, status: 'withdrawn' }],
  };
}

/** At the end of a phase, every open proposal expires. */
export function expireOpenProposals(state: GameState): { state: GameState; events: ProposalEvent[] } {
  const events: ProposalEvent[] = [];
  const proposals = state.proposals.map((p) => {
    if (p.status !== 'open') return p;
    events.push({ type: 'proposal', turn: state.turn, proposal: p.id, from: p.from, to: p.to, status: 'expired' });
    return { ...p, status: 'expired' as const };
  });
  return { state: events.length ? { ...state, proposals } : state, events };
}
