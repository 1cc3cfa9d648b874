/**
 * The bot policy: plays any power of any scenario by judging moves against its own objectives.
 *
 * - Utility is a smooth measure of how close the power is to each objective (weighted), plus a small
 *   pull towards higher metrics of its own; a move's value is the utility it would add.
 * - It aims pressure at rivals more readily the more assertive its personality.
 * - It coordinates joint moves by proposing them, and accepts proposals that are worth more to it
 *   than they cost.
 * - It keeps its commitments with the probability its personality's `loyalty` gives, and otherwise
 *   breaks them, so that the ledger is exercised in simulated games.
 * Every random choice comes from the game seed, so a bot's play is reproducible.
 */
import type { Condition, Effect, Move, Scenario } from '../scenario/schema.ts';
import { refrainMatches, termCovers } from './commitments.ts';
import { compare, holds, resolvePairs, resolveWho, type Roles } from './conditions.ts';
import { addEffects, emptyDeltas, type Deltas } from './effects.ts';
import { lookup } from './lookup.ts';
import { actionPointsLeft, legalMoves, ordersCost } from './orders.ts';
import { canRenounce } from './proposals.ts';
import { pairKey } from './pairs.ts';
import { randomStream } from './rng.ts';
import { type ExecutedMove, type Snapshot, snapshotOf } from './snapshot.ts';
import type { Action, GameState, Order, PowerId, Term } from './types.ts';

type Cmp = { at_least?: number; at_most?: number; above?: number; below?: number };

/** 1 when the comparison holds; otherwise up to 0.6, falling with the distance to the threshold. */
function closeness(value: number, cmp: Cmp, span: number): number {
  if (compare(value, cmp)) return 1;
  const floor = cmp.at_least ?? (cmp.above !== undefined ? cmp.above + 1 : undefined);
  const ceil = cmp.at_most ?? (cmp.below !== undefined ? cmp.below - 1 : undefined);
  const gap = Math.max(floor !== undefined ? floor - value : 0, ceil !== undefined ? value - ceil : 0);
  return Math.max(0, 0.6 * (1 - gap / Math.max(1, span / 2)));
}

/** How close a condition is to holding, from 0 to 1 (1 = holds). Several powers: the average. */
function degree(scenario: Scenario, c: Condition, snap: Snapshot, roles: Roles): number {
  if ('metric' in c) {
    const def = lookup(scenario).powerMetrics.get(c.metric);
    const span = def ? def.max - def.min : 100;
    const powers = resolveWho(scenario, c.of, roles);
    let sum = 0;
    for (const p of powers) sum += closeness(snap.metrics[p]?.[c.metric] ?? 0, c, span);
    return powers.length ? sum / powers.length : 0;
  }
  if ('relation' in c) {
    const def = lookup(scenario).pairMetrics.get(c.relation);
    const span = def ? def.max - def.min : 100;
    const pairs = resolvePairs(scenario, c.between, roles);
    let sum = 0;
    for (const [a, b] of pairs) sum += closeness(snap.relations[pairKey(a, b)]?.[c.relation] ?? 0, c, span);
    return pairs.length ? sum / pairs.length : 0;
  }
  if ('all' in c) {
    let sum = 0;
    for (const x of c.all) sum += degree(scenario, x, snap, roles);
    return sum / c.all.length;
  }
  if ('any' in c) {
    let best = 0;
    for (const x of c.any) best = Math.max(best, degree(scenario, x, snap, roles));
    return best;
  }
  if ('not' in c) return 1 - degree(scenario, c.not, snap, roles);
  if ('credibility' in c) {
    const powers = resolveWho(scenario, c.credibility, roles);
    let sum = 0;
    for (const p of powers) sum += closeness(snap.credibility[p] ?? 0, c, 100);
    return powers.length ? sum / powers.length : 0;
  }
  return holds(scenario, c, snap, roles) ? 1 : 0;
}

export function utility(scenario: Scenario, power: PowerId, snap: Snapshot): number {
  const me = lookup(scenario).powers.get(power);
  if (!me) return 0;
  const roles = { actor: power };
  let u = 0;
  for (const o of me.objectives) u += o.weight * degree(scenario, o.condition, snap, roles);
  // A gentle preference for a stronger position overall, so a bot whose goals are met still acts.
  for (const m of scenario.metrics.power) u += (0.5 * (snap.metrics[power]?.[m.id] ?? m.start)) / Math.max(1, m.max - m.min);
  return u;
}

/** The snapshot after some deltas, copying only what changes (clamped like the real thing). */
function withDeltas(scenario: Scenario, snap: Snapshot, deltas: Deltas): Snapshot {
  const { powerMetrics, pairMetrics } = lookup(scenario);
  const metrics = { ...snap.metrics };
  const relations = { ...snap.relations };
  for (const [p, changes] of deltas.power) {
    const values = { ...metrics[p] };
    for (const [metric, change] of changes) {
      const def = powerMetrics.get(metric);
      if (def) values[metric] = Math.min(def.max, Math.max(def.min, (values[metric] ?? def.start) + change));
    }
    metrics[p] = values;
  }
  for (const [pair, changes] of deltas.pair) {
    const values = { ...relations[pair] };
    for (const [metric, change] of changes) {
      const def = pairMetrics.get(metric);
      if (def) values[metric] = Math.min(def.max, Math.max(def.min, (values[metric] ?? def.start) + change));
    }
    relations[pair] = values;
  }
  return { ...snap, metrics, relations };
}

// A move's unconditional effects depend only on who plays it against whom: work them out once.
const fixedDeltas = new WeakMap<Move, Map<string, Deltas>>();

function unconditionalDeltas(scenario: Scenario, move: Move, roles: Roles): Deltas {
  let byRoles = fixedDeltas.get(move);
  if (!byRoles) {
    byRoles = new Map();
    fixedDeltas.set(move, byRoles);
  }
  const key = `${roles.actor ?? ''}>${roles.target ?? ''}`;
  let deltas = byRoles.get(key);
  if (!deltas) {
    deltas = emptyDeltas();
    addEffects(scenario, deltas, move.effects, roles);
    byRoles.set(key, deltas);
  }
  return deltas;
}

/** The changes a move would make now. The result is shared: read it, never change it. */
function moveDeltas(scenario: Scenario, move: Move, roles: Roles, snap: Snapshot): Deltas {
  const fixed = unconditionalDeltas(scenario, move, roles);
  const bonuses = move.conditional.filter((bonus) => holds(scenario, bonus.if, snap, roles));
  if (bonuses.length === 0) return fixed;
  const deltas: Deltas = {
    power: new Map([...fixed.power].map(([k, v]) => [k, new Map(v)])),
    pair: new Map([...fixed.pair].map(([k, v]) => [k, new Map(v)])),
    credibility: new Map(fixed.credibility),
  };
  for (const bonus of bonuses) addEffects(scenario, deltas, bonus.effects, roles);
  return deltas;
}

/** Harm a move does to the target's own metrics, scaled to 0..1-ish; used for assertive bots. */
function harmTo(scenario: Scenario, effects: Effect[], roles: Roles): number {
  let harm = 0;
  for (const e of effects) {
    if ('metric' in e && e.change < 0 && resolveWho(scenario, e.on, roles).includes(roles.target ?? '')) harm += -e.change;
  }
  return harm / 10;
}

/** The least utility a move must add for a bot to spend action points on it. */
const MIN_GAIN = 0.01;

/** How often a bot plays its second-best move first. */
const EXPLORATION = 0.15;

interface Candidate {
  order: Order;
  move: Move;
  value: number;
}

/** Value of playing a move now, for the power: utility gained, plus assertiveness toward rivals. */
function moveValue(scenario: Scenario, power: PowerId, move: Move, target: PowerId | undefined, snap: Snapshot, base: number): number {
  const roles = { actor: power, target };
  const executed: ExecutedMove[] = [...snap.executed, { actor: power, move: move.id, kind: move.kind, target }];
  const withMove = { ...snap, executed };
  const after = withDeltas(scenario, withMove, moveDeltas(scenario, move, roles, withMove));
  let value = utility(scenario, power, after) - base;
  const { tone, rivals } = lookup(scenario);
  const me = lookup(scenario).powers.get(power)!;
  if (tone(move) === 'negative' && target) {
    const rival = rivals.has(pairKey(power, target));
    value += me.personality.assertiveness * harmTo(scenario, move.effects, roles) * (rival ? 1 : 0.3);
    value -= (1 - me.personality.assertiveness) * 0.5;
  }
  return value;
}

function ordersPhase(scenario: Scenario, state: GameState, power: PowerId): Action[] {
  const me = lookup(scenario).powers.get(power)!;
  const rng = randomStream(state.seed, 'bot-orders', power, state.turn);
  const { moves } = lookup(scenario);
  const mine = state.commitments.filter((c) => c.by === power && c.status === 'active' && termCovers(c.term, state.turn));
  // Keep or break each promise covering this turn, by loyalty; a deal struck this very turn was
  // accepted because it was worth it, so it is always kept.
  const madeThisTurn = new Set(state.proposals.filter((p) => p.turn === state.turn).map((p) => p.id));
  const breaking = new Set(mine.filter((c) => !madeThisTurn.has(c.proposal) && rng.next() >= me.personality.loyalty).map((c) => c.id));
  const promisedDo = mine.filter((c) => c.term.type === 'do' && !breaking.has(c.id));
  const refrains = mine.filter((c) => c.term.type === 'refrain' && !breaking.has(c.id)).map((c) => c.term);

  let orders: Order[] = (state.powers[power]?.orders ?? []).filter(
    (o) => promisedDo.some((c) => c.term.move === o.move && c.term.target === o.target) || !mine.some((c) => c.term.move === o.move && c.term.target === o.target),
  );
  const snap = snapshotOf(state);
  let spent = ordersCost(scenario, orders);
  const base = baseUtility(scenario, power, snap);
  const candidates: Candidate[] = [];
  for (const legal of legalMoves(scenario, state, power)) {
    const move = moves.get(legal.move)!;
    if (move.joint) continue; // joint moves are arranged by proposal, never ordered alone
    const targets: Array<PowerId | undefined> = legal.untargeted ? [undefined] : legal.targets;
    for (const target of targets) {
      const order: Order = target === undefined ? { move: move.id } : { move: move.id, target };
      if (orders.some((o) => o.move === order.move && o.target === order.target)) continue;
      if (refrains.some((t) => refrainMatches(scenario, t, order))) continue;
      // A little seeded noise, proportional to the value, varies play between games without
      // making the bot play moves that do it no good.
      const raw = moveValue(scenario, power, move, target, snap, base);
      const value = raw * (1 + 0.4 * (rng.next() - 0.5));
      if (raw > MIN_GAIN) candidates.push({ order, move, value });
    }
  }
  candidates.sort((a, b) => b.value / Math.max(1, b.move.cost) - a.value / Math.max(1, a.move.cost));
  // Now and then a bot tries its second-best idea first, so that simulated games explore the
  // scenario instead of replaying one line of play.
  if (candidates.length > 1 && rng.next() < EXPLORATION) candidates.unshift(candidates.splice(1, 1)[0]!);
  for (const c of candidates) {
    if (spent + c.move.cost > scenario.turns.action_points) continue;
    orders = [...orders, c.order];
    spent += c.move.cost;
  }
  return [
    { type: 'set_orders', power, orders },
    { type: 'ready', power, ready: true },
  ];
}

/** What a proposal is worth to the bot: the value of every promised move for it, minus the costs. */
// A state's utility for a power is asked for every proposal weighed in it: remember it per state.
const baseUtilities = new WeakMap<Snapshot, Map<PowerId, number>>();

function baseUtility(scenario: Scenario, power: PowerId, snap: Snapshot): number {
  let known = baseUtilities.get(snap);
  if (!known) {
    known = new Map();
    baseUtilities.set(snap, known);
  }
  let u = known.get(power);
  if (u === undefined) {
    u = utility(scenario, power, snap);
    known.set(power, u);
  }
  return u;
}

function proposalValue(scenario: Scenario, state: GameState, power: PowerId, terms: Term[]): number {
  const snap = snapshotOf(state);
  const { moves, tone } = lookup(scenario);
  const base = baseUtility(scenario, power, snap);
  let value = 0;
  for (const t of terms) {
    if (t.type === 'do') {
      const move = t.move ? moves.get(t.move) : undefined;
      if (!move) continue;
      const roles = { actor: t.power, target: t.target };
      const after = withDeltas(scenario, snap, moveDeltas(scenario, move, roles, snap));
      value += utility(scenario, power, after) - base;
      if (t.power === power) value -= 0.15 * move.cost;
    } else {
      const renounced = scenario.moves.filter((m) => (t.move ? m.id === t.move : m.kind === t.kind));
      const negative = renounced.some((m) => tone(m) === 'negative');
      // Being spared pressure is worth something; renouncing our own pressure costs more the more
      // assertive the power is (per turn promised).
      const turns = t.to_turn - t.from_turn + 1;
      const me = lookup(scenario).powers.get(power)!;
      if (t.power === power) value -= turns * (negative ? 0.05 + 0.4 * me.personality.assertiveness : 0.4);
      else if (t.target === power || t.target === undefined) value += turns * (negative ? 0.15 : 0);
    }
  }
  return value;
}

/** The bot's answers to the open proposals addressed to it. */
export function botReplies(scenario: Scenario, state: GameState, power: PowerId): Action[] {
  if (state.phase === 'ended') return [];
  const actions: Action[] = [];
  const rng = randomStream(state.seed, 'bot-reply', power, state.turn, state.phase);
  const trustMetric = scenario.metrics.pair[0]?.id;
  for (const p of state.proposals) {
    if (p.to !== power || p.status !== 'open') continue;
    const trust = trustMetric ? (state.relations[pairKey(p.from, power)]?.[trustMetric] ?? 0) : 0;
    const value = proposalValue(scenario, state, power, p.terms) + trust / 200 + (rng.next() - 0.5) * 0.2;
    actions.push({ type: 'respond', power, proposal: p.id, accept: value > 0 });
  }
  return actions;
}

/**
 * A truce: both sides renounce negative moves against each other for the next turns. Offered, now
 * and then, to the power the bot trusts most among those it would rather not quarrel with.
 */
function truceOffer(scenario: Scenario, state: GameState, power: PowerId, rng: { next(): number }): { terms: Term[]; value: number; to: PowerId } | undefined {
  const negative = scenario.kinds.find((k) => k.tone === 'negative');
  if (!negative || rng.next() < 0.5) return undefined;
  const last = Math.min(scenario.turns.count, state.turn + Math.min(2, scenario.rules.max_commitment_turns) - 1);
  let best: { terms: Term[]; value: number; to: PowerId } | undefined;
  for (const partner of lookup(scenario).powerIds) {
    if (partner === power) continue;
    // Only what each side could ever do against the other (an empty promise is refused).
    const terms: Term[] = (
      [
        { power, type: 'refrain', kind: negative.id, target: partner, from_turn: state.turn, to_turn: last },
        { power: partner, type: 'refrain', kind: negative.id, target: power, from_turn: state.turn, to_turn: last },
      ] as Term[]
    ).filter((t) => canRenounce(scenario, t));
    if (terms.length === 0) continue;
    const value = proposalValue(scenario, state, power, terms) + (rng.next() - 0.5) * 0.2;
    if (value > 0 && (!best || value > best.value)) best = { terms, value, to: partner };
  }
  return best;
}

function negotiationPhase(scenario: Scenario, state: GameState, power: PowerId): Action[] {
  const actions: Action[] = botReplies(scenario, state, power);
  const rng = randomStream(state.seed, 'bot-talk', power, state.turn);
  // Offer the most valuable joint move to the partner who gains from it too, once a turn.
  const already = state.proposals.some((p) => p.from === power && p.turn === state.turn);
  if (!already) {
    const { moves } = lookup(scenario);
    let best: { terms: Term[]; value: number; to: PowerId } | undefined;
    for (const legal of legalMoves(scenario, state, power)) {
      const move = moves.get(legal.move)!;
      if (!move.joint || move.cost > actionPointsLeft(scenario, state, power)) continue;
      for (const partner of legal.targets) {
        const terms: Term[] = [
          { power, type: 'do', move: move.id, target: partner, from_turn: state.turn, to_turn: state.turn },
          { power: partner, type: 'do', move: move.id, target: power, from_turn: state.turn, to_turn: state.turn },
        ];
        const value = proposalValue(scenario, state, power, terms) + (rng.next() - 0.5) * 0.2;
        if (value > 0 && (!best || value > best.value)) best = { terms, value, to: partner };
      }
    }
    if (!best) best = truceOffer(scenario, state, power, rng);
    if (best) actions.push({ type: 'propose', power, to: best.to, terms: best.terms, note: '' });
  }
  actions.push({ type: 'ready', power, ready: true });
  return actions;
}

/** What a bot on this seat does now, in the current phase. The caller applies them with `step`. */
export function botActions(scenario: Scenario, state: GameState, power: PowerId): Action[] {
  if (state.phase === 'ended' || !state.powers[power]) return [];
  return state.phase === 'negotiation' ? negotiationPhase(scenario, state, power) : ordersPhase(scenario, state, power);
}
