/**
 * The ONE place where the load bench reads the decoded room state (its shape is being redesigned).
 *
 * Today: `state.tables[id].{turn, phase, status, seats[power].ready}`, and the power's private view is
 * JSON in `state.tables[id].views[power].json` (or the public view in `state.tables[id].public`).
 * After the redesign, `shared/wire/index.ts` is expected to export a function that rebuilds the same
 * PlayerView from the decoded state: `initObserve()` imports it if it exists (export name WIRE_EXPORT,
 * or the module's only exported function), called as `fn(state, tableId, viewer)`.
 */
import type { PlayerView } from '#shared/protocol.ts';

const WIRE_MODULE = '#shared/wire/index.ts';
const WIRE_EXPORT = 'playerViewOf';

type ViewFn = (state: unknown, table: string, viewer: string) => PlayerView | null | undefined;
let wireView: ViewFn | undefined;
export let viewSource = 'json strings (state.tables[id].views[power].json)';

export async function initObserve(): Promise<void> {
  try {
    const mod = (await import(WIRE_MODULE)) as Record<string, unknown>;
    const fns = Object.entries(mod).filter(([, v]) => typeof v === 'function');
    const chosen = (mod[WIRE_EXPORT] as ViewFn | undefined) ?? (fns.length === 1 ? (fns[0]![1] as ViewFn) : undefined);
    if (chosen) {
      wireView = chosen;
      viewSource = `${WIRE_MODULE} (${chosen.name || WIRE_EXPORT}), else the JSON strings`;
    }
  } catch {
    /* not there yet: JSON strings */
  }
}

/** Map-like access that works for MapSchema, Map and plain records. */
function entry(m: unknown, key: string): unknown {
  if (!m) return undefined;
  const g = (m as { get?: (k: string) => unknown }).get;
  if (typeof g === 'function') return g.call(m, key);
  return (m as Record<string, unknown>)[key];
}

function values(m: unknown): unknown[] {
  if (!m) return [];
  const fe = (m as { forEach?: (cb: (v: unknown) => void) => void }).forEach;
  if (typeof fe === 'function') {
    const out: unknown[] = [];
    fe.call(m, (v: unknown) => out.push(v));
    return out;
  }
  return Object.values(m as Record<string, unknown>);
}

export interface Seated {
  table: string;
  power: string;
}

/** The table and power of this connection, from `state.participants` (undefined until seated). */
export function seatOf(state: unknown, sessionId: string): Seated | undefined {
  for (const p of values((state as { participants?: unknown })?.participants)) {
    const x = p as { sessionId?: string; table?: string; power?: string };
    if (x.sessionId === sessionId) return x.table && x.power ? { table: x.table, power: x.power } : undefined;
  }
  return undefined;
}

export interface TableObservation {
  turn: number;
  phase: string;
  status: string;
  ready: Record<string, boolean>;
}

export function tableOf(state: unknown, table: string): TableObservation | undefined {
  const t = entry((state as { tables?: unknown })?.tables, table) as
    | { turn?: number; phase?: string; status?: string; seats?: unknown }
    | undefined;
  if (!t) return undefined;
  const ready: Record<string, boolean> = {};
  for (const s of values(t.seats)) {
    const seat = s as { power?: string; ready?: boolean };
    if (seat.power) ready[seat.power] = Boolean(seat.ready);
  }
  return { turn: t.turn ?? 0, phase: t.phase ?? '', status: t.status ?? '', ready };
}

export function tableIds(state: unknown): string[] {
  return values((state as { tables?: unknown })?.tables).map((t) => String((t as { id?: string }).id ?? ''));
}

const parsed = new WeakMap<object, { json: string; view: PlayerView }>();

/** The viewer's PlayerView (a power, or 'facilitator'); falls back to the public view. */
export function viewOf(state: unknown, table: string, viewer: string): PlayerView | undefined {
  // The wire module reads the new shape; a server of the old shape (e.g. a baseline checkout) still has JSON strings.
  const rebuilt = wireView?.(state, table, viewer);
  if (rebuilt) return rebuilt;
  const t = entry((state as { tables?: unknown })?.tables, table) as { views?: unknown; public?: string } | undefined;
  if (!t) return undefined;
  const v = entry(t.views, viewer) as { json?: string } | undefined;
  const json = v?.json || t.public || '';
  if (!json) return undefined;
  const key = (v ?? t) as object;
  const cached = parsed.get(key);
  if (cached && cached.json === json) return cached.view;
  const view = JSON.parse(json) as PlayerView;
  parsed.set(key, { json, view });
  return view;
}
