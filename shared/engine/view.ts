/**
 * What one viewer may see. A power sees its own orders, its secret objectives, and the messages and
 * proposals it is party to; everyone sees metrics, relations, credibility, who is ready, settled
 * commitments and the history of resolved turns (orders are revealed once resolved). A spectator
 * sees only what everyone sees; the facilitator sees everything.
 */
import type { Scenario } from '../scenario/schema.ts';
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

export function playerView(scenario: Scenario, state: GameState, viewer: Viewer): PlayerView {
  const all = viewer === 'facilitator';
  const sees = (p: PowerId) => all || p === viewer;
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
    proposals: state.proposals.filter((p) => sees(p.from) || sees(p.to)),
    commitments: state.commitments.filter((c) => sees(c.by) || sees(c.to) || c.status !== 'active'),
    messages: state.messages.filter((m) => all || m.to.includes(viewer)),
    current_events: state.current_events,
    history: state.history,
  };
}

/**
 * The scenario as a client may receive it: every secret objective removed. Each player's own
 * secret objectives reach them through their player view only.
 */
export function publicScenario(scenario: Scenario): Scenario {
  return { ...scenario, powers: scenario.powers.map((p) => ({ ...p, objectives: p.objectives.filter((o) => !o.secret) })) };
}
