/**
 * What one viewer may see. A power sees its own orders, its secret objectives, and the messages and
 * proposals it is party to; everyone sees metrics, relations, credibility, who is ready, settled
 * commitments and the history of resolved turns (orders are revealed once resolved). A spectator
 * sees only what everyone sees; the facilitator sees everything.
 */
import type { Scenario } from '../scenario/schema.ts';
import { sortEntries } from './ids.ts';
import { actionPointsLeft } from './orders.ts';
import type { Commitment, GameEvent, GameState, Message, Order, Phase, PowerId, Proposal, TurnRecord } from './types.ts';

export type Viewer = PowerId | 'spectator' | 'facilitator';

export interface PowerView {
  metrics: Record<string, number>;
  credibility: number;
  ready: boolean;
  /** Only for the viewer's own power (and the facilitator). */
  orders?: Order[];
  action_points_left?: number;
}

export interface ObjectiveView {
  id: string;
  text: string;
  secret: boolean;
  weight: number;
  scoring: 'end' | 'each_turn';
}

export interface PlayerView {
  viewer: Viewer;
  scenario: string;
  turn: number;
  phase: Phase;
  powers: Record<PowerId, PowerView>;
  relations: Record<string, Record<string, number>>;
  objectives: Record<PowerId, ObjectiveView[]>;
  proposals: Proposal[];
  commitments: Commitment[];
  messages: Message[];
  current_events: GameEvent[];
  history: TurnRecord[];
}

/**
 * Whether an event is news for everyone. A proposal's opening, answer, withdrawal or expiry is known
 * only to its two parties (and through the proposal itself): announcing it would tell every power
 * who is talking to whom.
 */
export function isPublicEvent(event: GameEvent): boolean {
  return event.type !== 'proposal';
}

/** A resolved turn as everyone sees it (orders are revealed once resolved; private events are not). */
export function publicTurnRecord(record: TurnRecord): TurnRecord {
  return record.events.every(isPublicEvent) ? record : { ...record, events: record.events.filter(isPublicEvent) };
}

/** Who may see what: the one place these rules live (the server's StateView and the client's rebuilt view use them too). */
export function visibility(viewer: Viewer) {
  const all = viewer === 'facilitator';
  const sees = (p: PowerId) => all || p === viewer;
  return {
    /** The power's orders, points left and secret objectives. */
    power: sees,
    proposal: (p: Pick<Proposal, 'from' | 'to'>) => sees(p.from) || sees(p.to),
    commitment: (c: Pick<Commitment, 'by' | 'to' | 'status'>) => sees(c.by) || sees(c.to) || c.status !== 'active',
    message: (m: Pick<Message, 'to'>) => all || m.to.includes(viewer),
  };
}

export function playerView(scenario: Scenario, state: GameState, viewer: Viewer): PlayerView {
  const may = visibility(viewer);
  const sees = may.power;
  const powers: Record<PowerId, PowerView> = {};
  const objectives: Record<PowerId, ObjectiveView[]> = {};
  for (const power of scenario.powers) {
    const ps = state.powers[power.id]!;
    powers[power.id] = sees(power.id)
      ? { metrics: ps.metrics, credibility: ps.credibility, ready: ps.ready, orders: ps.orders, action_points_left: actionPointsLeft(scenario, state, power.id) }
      : { metrics: ps.metrics, credibility: ps.credibility, ready: ps.ready };
    objectives[power.id] = power.objectives
      .filter((o) => !o.secret || sees(power.id))
      .map((o) => ({ id: o.id, text: o.text, secret: o.secret, weight: o.weight, scoring: o.scoring }));
  }
  return {
    viewer,
    scenario: state.scenario,
    turn: state.turn,
    phase: state.phase,
    powers,
    relations: state.relations,
    objectives,
    // In a fixed order (shared/engine/ids.ts), not the order of the whole table, which would show others' activity.
    proposals: sortEntries(state.proposals.filter(may.proposal)),
    commitments: sortEntries(state.commitments.filter(may.commitment)),
    messages: sortEntries(state.messages.filter(may.message)),
    current_events: state.current_events.filter(isPublicEvent),
    history: state.history.map(publicTurnRecord),
  };
}

/**
 * The scenario as a client may receive it: every secret objective removed. Each player's own
 * secret objectives reach them through their player view only.
 */
export function publicScenario(scenario: Scenario): Scenario {
  return { ...scenario, powers: scenario.powers.map((p) => ({ ...p, objectives: p.objectives.filter((o) => !o.secret) })) };
}
