/**
 * Legal moves for the orders panel, from the engine's own rules (shared/engine/orders.ts) applied to
 * a game state rebuilt from the player's view. The server re-checks every order.
 */
import type { Scenario } from '#shared/scenario/schema.ts';
import type { GameState, PowerState } from '#shared/engine/types.ts';
import type { PlayerView } from '#shared/engine/view.ts';
import { legalMoves, type LegalMove } from '#shared/engine/orders.ts';
import { usedOnce } from './view.ts';

export function stateFromView(scenario: Scenario, view: PlayerView): GameState {
  const powers: Record<string, PowerState> = {};
  for (const p of scenario.powers) {
    const v = view.powers[p.id];
    powers[p.id] = {
      metrics: { ...(v?.metrics ?? {}) },
      credibility: v?.credibility ?? 0,
      orders: v?.orders ?? [],
      ready: v?.ready ?? false,
      used_once: usedOnce(scenario, view.history ?? [], p.id),
    };
  }
  return {
    scenario: view.scenario,
    seed: '',
    turn: view.turn,
    phase: view.phase,
    powers,
    relations: view.relations ?? {},
    proposals: view.proposals ?? [],
    commitments: view.commitments ?? [],
    messages: view.messages ?? [],
    fired: [],
    current_events: view.current_events ?? [],
    history: view.history ?? [],
    next_id: 0,
  };
}

/** The legal moves of `power`, or an empty list when the view cannot tell. */
export function legalFor(scenario: Scenario, view: PlayerView, power: string): LegalMove[] {
  try {
    return legalMoves(scenario, stateFromView(scenario, view), power);
  } catch {
    return [];
  }
}

export type { LegalMove };
