/**
 * A snapshot is the part of a game that conditions read: metrics, relations, credibility, the turn
 * and the moves executed in it. Objectives are scored on past turns too, so conditions work on a
 * snapshot rather than on the whole GameState.
 */
import type { GameState, PowerId, TurnRecord } from './types.ts';

export interface ExecutedMove {
  actor: PowerId;
  move: string;
  kind: string;
  target?: PowerId;
}

export interface Snapshot {
  turn: number;
  metrics: Record<PowerId, Record<string, number>>;
  relations: Record<string, Record<string, number>>;
  credibility: Record<PowerId, number>;
  executed: ExecutedMove[];
}

// States are never changed once made, so a state's snapshot can be remembered.
const cache = new WeakMap<GameState, Snapshot>();

export function snapshotOf(state: GameState, executed: ExecutedMove[] = []): Snapshot {
  const known = cache.get(state);
  if (known) return executed.length ? { ...known, executed } : known;
  const metrics: Snapshot['metrics'] = {};
  const credibility: Snapshot['credibility'] = {};
  for (const [power, ps] of Object.entries(state.powers)) {
    metrics[power] = ps.metrics;
    credibility[power] = ps.credibility;
  }
  const snap = { turn: state.turn, metrics, relations: state.relations, credibility, executed: [] };
  cache.set(state, snap);
  return executed.length ? { ...snap, executed } : snap;
}

export function snapshotOfRecord(record: TurnRecord, kindOf: (move: string) => string): Snapshot {
  const executed: ExecutedMove[] = [];
  for (const event of record.events) {
    if (event.type === 'move' && event.outcome === 'done') {
      executed.push({ actor: event.actor, move: event.move, kind: kindOf(event.move), target: event.target });
    }
  }
  return {
    turn: record.turn,
    metrics: record.metrics,
    relations: record.relations,
    credibility: record.credibility,
    executed,
  };
}
