/** The wire: what a client decodes from the room, turned back into the engine's views. */
import type { PlayerView, Viewer } from '../engine/view.ts';
import { type DecodedState, tableView } from './view.ts';

export { type DecodedState, secretHolders, tableView } from './view.ts';

/** The PlayerView of a table from a decoded room state (an SDK state object or its `toJSON()`). */
export function playerViewOf(state: unknown, table: string, viewer: Viewer): PlayerView | null {
  const s = state as { toJSON?: () => unknown } | null;
  const plain = (typeof s?.toJSON === 'function' ? s.toJSON() : s) as DecodedState;
  return tableView(plain ?? {}, table, viewer);
}
