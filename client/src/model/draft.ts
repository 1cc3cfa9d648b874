/**
 * A player's unsent work, saved on the server with `save_draft` so that a reload or a dropped
 * connection loses nothing: the moves planned during talks, half-written chat messages and the
 * proposal being written. The server keeps the draft as an opaque string (LIMITS.draft characters)
 * and gives it back in the player's own participant entry (`draft`). Pure functions; unit-tested.
 */
import type { Term } from '#shared/engine/types.ts';

export interface DraftProposal {
  open: boolean;
  to: string;
  terms: Term[];
  note: string;
  counters?: string;
}

export interface Draft {
  v: 1;
  /** The seat the draft belongs to: a draft of another seat is never applied. */
  table: string;
  power: string;
  /** Moves planned during the talks of this turn. */
  plan: { turn: number; orders: { move: string; target?: string }[] };
  /** Half-written chat messages, by conversation key. */
  composer: Record<string, string>;
  /** The conversation that was open. */
  conv?: string;
  proposal: DraftProposal;
}

/** What the panels keep in memory (a subset of PanelState). */
export interface DraftSource {
  plan: Draft['plan'];
  composer: Record<string, string>;
  conv: string;
  proposal: DraftProposal;
}

export function makeDraft(table: string, power: string, st: DraftSource): Draft {
  const composer: Record<string, string> = {};
  for (const [k, v] of Object.entries(st.composer)) if (v.trim()) composer[k] = v;
  return {
    v: 1,
    table,
    power,
    plan: { turn: st.plan.turn, orders: st.plan.orders.map((o) => (o.target ? { move: o.move, target: o.target } : { move: o.move })) },
    composer,
    ...(st.conv && composer[st.conv] ? { conv: st.conv } : {}),
    proposal: st.proposal.open
      ? { open: true, to: st.proposal.to, terms: st.proposal.terms, note: st.proposal.note, ...(st.proposal.counters ? { counters: st.proposal.counters } : {}) }
      : { open: false, to: '', terms: [], note: '' },
  };
}

/**
 * The draft as the string sent to the server, at most `limit` characters: when too long, the longest
 * chat drafts are cut first, then the proposal's note, then the proposal. Returns '' for an empty draft.
 */
export function serialiseDraft(d: Draft, limit: number): string {
  if (isEmptyDraft(d)) return '';
  let text = JSON.stringify(d);
  if (text.length <= limit) return text;
  const copy: Draft = { ...d, composer: { ...d.composer }, proposal: { ...d.proposal } };
  const keys = Object.keys(copy.composer).sort((a, b) => copy.composer[b]!.length - copy.composer[a]!.length);
  for (const k of keys) {
    delete copy.composer[k];
    text = JSON.stringify(copy);
    if (text.length <= limit) return text;
  }
  copy.proposal = { ...copy.proposal, note: '' };
  text = JSON.stringify(copy);
  if (text.length <= limit) return text;
  copy.proposal = { open: false, to: '', terms: [], note: '' };
  text = JSON.stringify(copy);
  return text.length <= limit ? text : '';
}

export function isEmptyDraft(d: Draft): boolean {
  return d.plan.orders.length === 0 && Object.keys(d.composer).length === 0 && !d.proposal.open;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === 'string';

/** Reads a draft string defensively (it comes back from the server as it was sent, but may be old or foreign). */
export function parseDraft(text: string | undefined): Draft | undefined {
  if (!text) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObj(raw) || raw['v'] !== 1 || !isStr(raw['table']) || !isStr(raw['power'])) return undefined;
  const plan = isObj(raw['plan']) ? raw['plan'] : {};
  const orders = Array.isArray(plan['orders'])
    ? plan['orders'].filter((o): o is { move: string; target?: string } => isObj(o) && isStr(o['move']) && (o['target'] === undefined || isStr(o['target'])))
    : [];
  const composer: Record<string, string> = {};
  if (isObj(raw['composer'])) for (const [k, v] of Object.entries(raw['composer'])) if (isStr(v)) composer[k] = v;
  const p = isObj(raw['proposal']) ? raw['proposal'] : {};
  const terms = Array.isArray(p['terms']) ? (p['terms'].filter((t) => isObj(t) && isStr(t['power']) && (t['type'] === 'do' || t['type'] === 'refrain')) as Term[]) : [];
  const open = p['open'] === true && isStr(p['to']) && terms.length > 0;
  return {
    v: 1,
    table: raw['table'],
    power: raw['power'],
    plan: { turn: typeof plan['turn'] === 'number' ? plan['turn'] : 0, orders: orders.map((o) => (o.target ? { move: o.move, target: o.target } : { move: o.move })) },
    composer,
    ...(isStr(raw['conv']) ? { conv: raw['conv'] } : {}),
    proposal: open
      ? { open: true, to: p['to'] as string, terms, note: isStr(p['note']) ? p['note'] : '', ...(isStr(p['counters']) ? { counters: p['counters'] } : {}) }
      : { open: false, to: '', terms: [], note: '' },
  };
}

/**
 * Puts a saved draft back into the panels' memory after a reload, for the given seat and turn.
 * Returns what was restored (for a short notice), or undefined when the draft does not apply.
 * The plan comes back only for the turn it was made in; chat and proposal drafts always.
 */
export function applyDraft(st: DraftSource, d: Draft | undefined, seat: { table: string; power: string; turn: number }): { plan: number; messages: number; proposal: boolean } | undefined {
  if (!d || d.table !== seat.table || d.power !== seat.power) return undefined;
  let plan = 0;
  if (d.plan.turn === seat.turn && d.plan.orders.length && st.plan.orders.length === 0) {
    st.plan = { turn: d.plan.turn, orders: d.plan.orders.map((o) => ({ ...o })) };
    plan = d.plan.orders.length;
  }
  let messages = 0;
  for (const [k, v] of Object.entries(d.composer)) {
    if (!st.composer[k]) {
      st.composer[k] = v;
      messages++;
    }
  }
  if (d.conv && messages && d.composer[d.conv]) st.conv = d.conv;
  let proposal = false;
  if (d.proposal.open && !st.proposal.open) {
    st.proposal = { ...d.proposal, terms: d.proposal.terms.map((t) => ({ ...t })) };
    proposal = true;
  }
  return { plan, messages, proposal };
}
