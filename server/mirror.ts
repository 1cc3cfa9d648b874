/**
 * Mirrors one table's engine state into the typed room state, changing only what changed, so that
 * Colyseus sends deltas: a metric that moved, a ready flag, a new message, one appended turn record.
 *
 * No rule lives here. What each viewer may see is the engine's `playerView`: the mirror copies the
 * whole state (what the facilitator sees) into entities, and records, per power, which entities that
 * power's own `playerView` contains. server/visibility.ts then hands each client exactly those.
 */
import type { Schema } from '@colyseus/schema';
import { actionPointsLeft, isPublicEvent, playerView, publicTurnRecord } from '#shared/index.ts';
import { compactEvent, compactRecord } from '#shared/wire/events.ts';
import type { Commitment, GameEvent, GameState, Message, Order, Proposal, Scenario, Term, TurnRecord } from '#shared/index.ts';
import {
  CommitmentState,
  GameViewState,
  MessageState,
  ObjectiveState,
  OrderState,
  PowerState,
  ProposalState,
  RelationState,
  SecretState,
  type SessionState,
  TermState,
} from './state.ts';

/** The entities of one table each kind of viewer is entitled to. */
export interface Entitlements {
  /** Everyone at the table (and spectators): the game and settled commitments. */
  common: Schema[];
  /** Per power: its secret and the proposals, messages and commitments in force it is party to. */
  byPower: Map<string, Schema[]>;
  /** The facilitator: every entity of the table. */
  all: Schema[];
}

const EMPTY: Entitlements = { common: [], byPower: new Map(), all: [] };

/** Copies an append-only engine array into a schema array: appends what is new, rebuilds when history was rewritten (sandbox undo). */
class AppendLog<T> {
  private synced: readonly T[] = [];
  sync(source: readonly T[], target: { push(...v: string[]): number; clear(): void }, encode: (item: T) => string | null): void {
    if (source === this.synced) return;
    const old = this.synced;
    let prefix = old.length <= source.length;
    for (let i = 0; prefix && i < old.length; i++) if (old[i] !== source[i]) prefix = false;
    if (!prefix) target.clear();
    for (let i = prefix ? old.length : 0; i < source.length; i++) {
      const text = encode(source[i]!);
      if (text !== null) target.push(text);
    }
    this.synced = source;
  }
}

function setNumber(map: { get(k: string): number | undefined; set(k: string, v: number): unknown }, key: string, value: number): void {
  if (map.get(key) !== value) map.set(key, value);
}

function termState(term: Term): TermState {
  const s = new TermState();
  s.power = term.power;
  s.type = term.type;
  if (term.move !== undefined) s.move = term.move;
  if (term.kind !== undefined) s.kind = term.kind;
  if (term.target !== undefined) s.target = term.target;
  s.fromTurn = term.from_turn;
  s.toTurn = term.to_turn;
  return s;
}

function orderKey(orders: Order[]): string {
  return orders.map((o) => `${o.move}>${o.target ?? ''}`).join(',');
}

export class TableMirror {
  readonly id: string;
  private readonly root: SessionState;
  private readonly scenario: Scenario;
  game: GameViewState | undefined;
  private readonly secrets = new Map<string, { state: SecretState; orders: string }>();
  private readonly proposals = new Map<string, { state: ProposalState; source: Proposal }>();
  private readonly commitments = new Map<string, { state: CommitmentState; source: Commitment }>();
  private readonly messages = new Map<string, MessageState>();
  private events = new AppendLog<GameEvent>();
  private history = new AppendLog<TurnRecord>();
  private synced: GameState | null = null;
  /** The last state copied in full (cleared with the mirror). */
  private last: GameState | undefined;
  entitlements: Entitlements = EMPTY;
  /** Bumped whenever `entitlements` changes, so that connections whose inputs did not change are skipped. */
  entitlementVersion = 0;
  /** Set when an entity appears, disappears or a commitment settles: only then are entitlements recomputed. */
  private entitiesChanged = true;

  /** Who added an order (a delegation's member), for "who changed what"; '' when unknown. */
  private readonly orderedBy: (power: string, order: Order) => string;

  constructor(id: string, root: SessionState, scenario: Scenario, orderedBy: (power: string, order: Order) => string = () => '') {
    this.id = id;
    this.root = root;
    this.scenario = scenario;
    this.orderedBy = orderedBy;
  }

  private key(id: string): string {
    return `${this.id}/${id}`;
  }

  /** Brings the schema up to `game`. Cheap when nothing changed (the same immutable state object). */
  sync(game: GameState | null): void {
    if (game === this.synced) return;
    this.synced = game;
    if (!game) {
      this.clear();
      return;
    }
    // The facilitator sees everything, so the entities are the state itself; parts the engine did not
    // replace (it shares unchanged arrays between states) are skipped.
    const last = this.last;
    let g = this.game;
    if (!g) {
      g = new GameViewState();
      g.table = this.id;
      g.scenario = game.scenario;
      this.game = g;
      this.entitiesChanged = true;
      this.root.games.set(this.id, g);
    }
    if (g.turn !== game.turn) g.turn = game.turn;
    if (g.phase !== game.phase) g.phase = game.phase;
    if (game.powers !== last?.powers) {
      for (const power of this.scenario.powers) {
        const st = game.powers[power.id];
        if (!st) continue;
        let ps = g.powers.get(power.id);
        if (!ps) {
          ps = new PowerState();
          g.powers.set(power.id, ps);
        }
        for (const [metric, value] of Object.entries(st.metrics)) setNumber(ps.metrics, metric, value);
        if (ps.credibility !== st.credibility) ps.credibility = st.credibility;
        this.syncSecret(power.id, st.orders, actionPointsLeft(this.scenario, game, power.id), power.objectives);
      }
    }
    if (game.relations !== last?.relations) {
      for (const [pair, values] of Object.entries(game.relations)) {
        let rs = g.relations.get(pair);
        if (!rs) {
          rs = new RelationState();
          g.relations.set(pair, rs);
        }
        for (const [metric, value] of Object.entries(values)) setNumber(rs.values, metric, value);
      }
    }
    // News travels without the words the scenario already holds (shared/wire/events.ts).
    this.events.sync(game.current_events, g.events, (e) => (isPublicEvent(e) ? JSON.stringify(compactEvent(this.scenario, e)) : null));
    this.history.sync(game.history, g.history, (r) => JSON.stringify(compactRecord(this.scenario, publicTurnRecord(r))));
    if (game.proposals !== last?.proposals) this.syncProposals(game.proposals);
    if (game.commitments !== last?.commitments) this.syncCommitments(game.commitments);
    if (game.messages !== last?.messages) this.syncMessages(game.messages);
    this.last = game;
    if (this.entitiesChanged) {
      this.entitlements = this.entitle(game);
      this.entitlementVersion++;
      this.entitiesChanged = false;
    }
  }

  private syncSecret(power: string, orders: Order[], pointsLeft: number, objectives: { id: string; text: string; secret: boolean; weight: number; scoring: string }[]): void {
    let entry = this.secrets.get(power);
    if (!entry) {
      const state = new SecretState();
      state.table = this.id;
      state.power = power;
      for (const o of objectives) {
        const os = new ObjectiveState();
        os.id = o.id;
        os.text = o.text;
        os.secret = o.secret;
        os.weight = o.weight;
        os.scoring = o.scoring;
        state.objectives.push(os);
      }
      entry = { state, orders: '' };
      this.entitiesChanged = true;
      this.secrets.set(power, entry);
      this.root.secrets.set(this.key(power), state);
    }
    const key = orderKey(orders) + '|' + orders.map((o) => this.orderedBy(power, o)).join(',');
    if (entry.orders !== key) {
      entry.state.orders.clear();
      for (const o of orders) {
        const os = new OrderState();
        os.move = o.move;
        if (o.target !== undefined) os.target = o.target;
        os.by = this.orderedBy(power, o);
        entry.state.orders.push(os);
      }
      entry.orders = key;
    }
    if (entry.state.pointsLeft !== pointsLeft) entry.state.pointsLeft = pointsLeft;
  }

  private syncProposals(list: Proposal[]): void {
    const seen = new Set<string>();
    for (const p of list) {
      seen.add(p.id);
      const entry = this.proposals.get(p.id);
      if (entry) {
        if (entry.source !== p && entry.state.status !== p.status) entry.state.status = p.status;
        entry.source = p;
        continue;
      }
      const s = new ProposalState();
      s.id = p.id;
      s.table = this.id;
      s.from = p.from;
      s.to = p.to;
      s.note = p.note;
      s.turn = p.turn;
      s.status = p.status;
      if (p.counters !== undefined) s.counters = p.counters;
      for (const t of p.terms) s.terms.push(termState(t));
      this.proposals.set(p.id, { state: s, source: p });
      this.entitiesChanged = true;
      this.root.proposals.set(this.key(p.id), s);
    }
    for (const id of [...this.proposals.keys()]) {
      if (seen.has(id)) continue;
      this.entitiesChanged = true;
      this.proposals.delete(id);
      this.root.proposals.delete(this.key(id));
    }
  }

  private syncCommitments(list: Commitment[]): void {
    const seen = new Set<string>();
    for (const c of list) {
      seen.add(c.id);
      const entry = this.commitments.get(c.id);
      if (entry) {
        if (entry.source !== c) {
          if (entry.state.status !== c.status) {
            // Settling makes a commitment public.
            if (entry.state.status === 'active' || c.status === 'active') this.entitiesChanged = true;
            entry.state.status = c.status;
          }
          if (entry.state.settledTurn !== c.settled_turn && c.settled_turn !== undefined) entry.state.settledTurn = c.settled_turn;
          entry.source = c;
        }
        continue;
      }
      const s = new CommitmentState();
      s.id = c.id;
      s.table = this.id;
      s.proposal = c.proposal;
      s.by = c.by;
      s.to = c.to;
      s.term = termState(c.term);
      s.status = c.status;
      if (c.settled_turn !== undefined) s.settledTurn = c.settled_turn;
      this.commitments.set(c.id, { state: s, source: c });
      this.entitiesChanged = true;
      this.root.commitments.set(this.key(c.id), s);
    }
    for (const id of [...this.commitments.keys()]) {
      if (seen.has(id)) continue;
      this.entitiesChanged = true;
      this.commitments.delete(id);
      this.root.commitments.delete(this.key(id));
    }
  }

  private syncMessages(list: Message[]): void {
    const seen = new Set<string>();
    for (const m of list) {
      seen.add(m.id);
      if (this.messages.has(m.id)) continue;
      const s = new MessageState();
      s.id = m.id;
      s.table = this.id;
      s.turn = m.turn;
      s.from = m.from;
      s.text = m.text;
      for (const to of m.to) s.to.push(to);
      this.messages.set(m.id, s);
      this.entitiesChanged = true;
      this.root.messages.set(this.key(m.id), s);
    }
    for (const id of [...this.messages.keys()]) {
      if (seen.has(id)) continue;
      this.entitiesChanged = true;
      this.messages.delete(id);
      this.root.messages.delete(this.key(id));
    }
  }

  /** Who may hold which entity: read off the engine's own view of each viewer. */
  private entitle(game: GameState): Entitlements {
    const pick = (view: { proposals: Proposal[]; commitments: Commitment[]; messages: Message[] }): Schema[] => [
      ...view.proposals.map((p) => this.proposals.get(p.id)!.state),
      ...view.commitments.map((c) => this.commitments.get(c.id)!.state),
      ...view.messages.map((m) => this.messages.get(m.id)!),
    ];
    const spectator = playerView(this.scenario, game, 'spectator');
    const common: Schema[] = [this.game!, ...pick(spectator)];
    const commonSet = new Set(common);
    const byPower = new Map<string, Schema[]>();
    for (const power of this.scenario.powers) {
      const own = pick(playerView(this.scenario, game, power.id)).filter((e) => !commonSet.has(e));
      const secret = this.secrets.get(power.id)?.state;
      byPower.set(power.id, secret ? [secret, ...own] : own);
    }
    const all: Schema[] = [
      ...common,
      ...[...this.secrets.values()].map((s) => s.state),
      ...[...this.proposals.values()].map((p) => p.state),
      ...[...this.commitments.values()].filter((c) => !commonSet.has(c.state)).map((c) => c.state),
      ...[...this.messages.values()],
    ];
    return { common, byPower, all };
  }

  /** Removes the table's game and entities from the state (a table removed, or a game rolled back to none). */
  clear(): void {
    for (const id of this.secrets.keys()) this.root.secrets.delete(this.key(id));
    for (const id of this.proposals.keys()) this.root.proposals.delete(this.key(id));
    for (const id of this.commitments.keys()) this.root.commitments.delete(this.key(id));
    for (const id of this.messages.keys()) this.root.messages.delete(this.key(id));
    this.secrets.clear();
    this.proposals.clear();
    this.commitments.clear();
    this.messages.clear();
    if (this.game) this.root.games.delete(this.id);
    this.game = undefined;
    this.last = undefined;
    this.events = new AppendLog();
    this.history = new AppendLog();
    this.synced = null;
    this.entitlements = EMPTY;
  }
}
