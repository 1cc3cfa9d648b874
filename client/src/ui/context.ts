/** What every game panel needs: the scenario, the table, the viewer's power and view, and a sender. */
import type { Scenario } from '#shared/scenario/schema.ts';
import type { PlayerView } from '#shared/engine/view.ts';
import type { Term } from '#shared/engine/types.ts';
import type { Session, TableSnap } from '../net/session.ts';
import { toastError } from '../app.ts';

export interface GameCtx {
  session: Session;
  scenario: Scenario;
  table: TableSnap;
  view: PlayerView;
  /** The power the viewer acts for ('' for spectators). */
  power: string;
  /** Sandbox: the facilitator acts for this seat. */
  seat?: { table: string; power: string };
  readOnly: boolean;
}

export async function send(ctx: GameCtx, type: string, payload: Record<string, unknown>): Promise<boolean> {
  try {
    await ctx.session.request(type, ctx.seat ? { ...payload, seat: ctx.seat } : payload);
    return true;
  } catch (e) {
    toastError(e);
    return false;
  }
}

/** Per table+power UI state that must survive re-renders (tabs, drafts, plans). */
export interface PanelState {
  tab: 'map' | 'orders' | 'talks' | 'brief' | 'news';
  conv: string;
  composer: Record<string, string>;
  plan: { turn: number; orders: { move: string; target?: string }[] };
  targets: Record<string, string>;
  proposal: { open: boolean; to: string; terms: Term[]; note: string; counters?: string };
  seenMessages: Record<string, number>;
  seenNewsTurn: number;
}

const states = new Map<string, PanelState>();
export function panelState(table: string, power: string): PanelState {
  const key = `${table}:${power}`;
  let s = states.get(key);
  if (!s) {
    s = {
      tab: 'orders',
      conv: '',
      composer: {},
      plan: { turn: 0, orders: [] },
      targets: {},
      proposal: { open: false, to: '', terms: [], note: '' },
      seenMessages: {},
      seenNewsTurn: -1,
    };
    states.set(key, s);
  }
  return s;
}
