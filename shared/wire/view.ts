/**
 * Turns the decoded room state (`state.toJSON()` of shared/protocol.ts `SessionStateShape`) back into
 * the engine's PlayerView of one table, for the client's screens and for tests. For a viewer the
 * state was filtered for, the result equals the engine's `playerView(scenario, game, viewer)` (a
 * test proves it); which entities a power sees is decided by the engine's `visibility` rules.
 */
import type { Scenario } from '../scenario/schema.ts';
import type { Commitment, CommitmentStatus, GameEvent, Message, Order, Phase, Proposal, ProposalStatus, Term, TurnRecord } from '../engine/types.ts';
import { type ObjectiveView, type PlayerView, type PowerView, type Viewer, visibility } from '../engine/view.ts';
import { compareEntries } from '../engine/ids.ts';
import { expandEvent, expandRecord } from './events.ts';
import type { CommitmentShape, MessageShape, OrderShape, Plain, ProposalShape, SessionStateShape, TermShape } from '../protocol.ts';

export type DecodedState = Partial<Plain<SessionStateShape>>;

/** JSON texts of history and news never change once sent: parse and expand each once per scenario. */
const parsed = new Map<string, { scenario: Scenario | undefined; value: unknown }>();
function parseOnce<T>(text: string, scenario: Scenario | undefined, expand: (scenario: Scenario | undefined, raw: Record<string, unknown>) => T): T {
  const hit = parsed.get(text);
  if (hit && hit.scenario === scenario) return hit.value as T;
  const value = expand(scenario, JSON.parse(text) as Record<string, unknown>);
  if (parsed.size > 2000) parsed.clear();
  parsed.set(text, { scenario, value });
  return value;
}

/** The engine's views list these in a fixed order (turn, then id: shared/engine/ids.ts); so does this one. */
function byId<T extends { id: string; turn?: number }>(list: T[]): T[] {
  return list.sort(compareEntries);
}

function term(t: Plain<TermShape>): Term {
  const out: Term = { power: t.power, type: t.type, from_turn: t.fromTurn, to_turn: t.toTurn };
  if (t.move !== undefined) out.move = t.move;
  if (t.kind !== undefined) out.kind = t.kind;
  if (t.target !== undefined) out.target = t.target;
  return out;
}

function order(o: Plain<OrderShape>): Order {
  return o.target === undefined ? { move: o.move } : { move: o.move, target: o.target };
}

function proposal(p: Plain<ProposalShape>): Proposal {
  const out: Proposal = { id: p.id, from: p.from, to: p.to, terms: (p.terms ?? []).map(term), note: p.note, turn: p.turn, status: p.status as ProposalStatus };
  if (p.counters !== undefined) out.counters = p.counters;
  return out;
}

function commitment(c: Plain<CommitmentShape>): Commitment {
  const out: Commitment = { id: c.id, proposal: c.proposal, by: c.by, to: c.to, term: term(c.term), status: c.status as CommitmentStatus };
  if (c.settledTurn !== undefined) out.settled_turn = c.settledTurn;
  return out;
}

function message(m: Plain<MessageShape>): Message {
  return { id: m.id, turn: m.turn, from: m.from, to: [...(m.to ?? [])], text: m.text };
}

function ofTable<T extends { table: string }>(map: Record<string, T> | undefined, table: string): T[] {
  return Object.values(map ?? {}).filter((x) => x.table === table);
}

/**
 * The PlayerView of `table` for `viewer` from what this client decoded, or null before the game
 * starts. Pass the (public) scenario for the other powers' public objectives and the powers' order.
 */
export function tableView(state: DecodedState, table: string, viewer: Viewer, scenario?: Scenario): PlayerView | null {
  const game = state.games?.[table];
  if (!game) return null;
  const may = visibility(viewer);
  const seats = state.tables?.[table]?.seats ?? {};
  const order_ = scenario ? scenario.powers.map((p) => p.id) : Object.keys(game.powers ?? {});
  const powers: Record<string, PowerView> = {};
  const objectives: Record<string, ObjectiveView[]> = {};
  for (const id of order_) {
    const pv = game.powers?.[id];
    if (!pv) continue;
    const secret = may.power(id) ? state.secrets?.[`${table}/${id}`] : undefined;
    const view: PowerView = { metrics: { ...(pv.metrics ?? {}) }, credibility: pv.credibility, ready: seats[id]?.ready ?? false };
    if (secret) {
      view.orders = (secret.orders ?? []).map(order);
      view.action_points_left = secret.pointsLeft;
    }
    powers[id] = view;
    if (secret) {
      objectives[id] = (secret.objectives ?? []).map((o) => ({ id: o.id, text: o.text, secret: o.secret, weight: o.weight, scoring: o.scoring }));
    } else {
      const def = scenario?.powers.find((p) => p.id === id);
      objectives[id] = (def?.objectives ?? []).filter((o) => !o.secret).map((o) => ({ id: o.id, text: o.text, secret: o.secret, weight: o.weight, scoring: o.scoring }));
    }
  }
  const relations: Record<string, Record<string, number>> = {};
  for (const [pair, r] of Object.entries(game.relations ?? {})) relations[pair] = { ...(r.values ?? {}) };
  return {
    viewer,
    scenario: game.scenario,
    turn: game.turn,
    phase: game.phase as Phase,
    powers,
    relations,
    objectives,
    proposals: byId(ofTable(state.proposals, table).map(proposal)).filter(may.proposal),
    commitments: byId(ofTable(state.commitments, table).map(commitment)).filter(may.commitment),
    messages: byId(ofTable(state.messages, table).map(message)).filter(may.message),
    current_events: (game.events ?? []).map((e) => parseOnce<GameEvent>(e, scenario, expandEvent)),
    history: (game.history ?? []).map((r) => parseOnce<TurnRecord>(r, scenario, expandRecord)),
  };
}

/** Who added each of a power's orders, in the orders' order ('' when unknown): "who changed what" in a delegation. */
export function orderAuthors(state: DecodedState, table: string, power: string): string[] {
  return (state.secrets?.[`${table}/${power}`]?.orders ?? []).map((o) => o.by ?? '');
}

/** The viewers whose view this client can build for a table: the powers whose secrets it holds. */
export function secretHolders(state: DecodedState, table: string): string[] {
  return Object.values(state.secrets ?? {})
    .filter((s) => s.table === table)
    .map((s) => s.power);
}
