/**
 * View models: what the screens show, derived from the room snapshot, the scenario and the engine's
 * player view. Pure functions; unit-tested in tests/client.
 */
import type { Scenario, Move } from '#shared/scenario/schema.ts';
import type { GameEvent, Message, Proposal, Commitment, Term, TurnRecord } from '#shared/engine/types.ts';
import type { PlayerView } from '#shared/engine/view.ts';
import type { ScoreReport } from '#shared/engine/scoring.ts';
import { listJoin, moveName, powerName, metricName } from './format.ts';
import { moveStroke, type MoveStroke } from './relations.ts';

const jsonCache = new Map<string, unknown>();
/** JSON.parse with a small cache keyed by the text (views arrive as JSON strings on every patch). */
export function parseJson<T>(text: string | undefined): T | undefined {
  if (!text) return undefined;
  const hit = jsonCache.get(text);
  if (hit !== undefined) return hit as T;
  try {
    const v = JSON.parse(text) as T;
    if (jsonCache.size > 64) jsonCache.clear();
    jsonCache.set(text, v);
    return v;
  } catch {
    return undefined;
  }
}

// ----------------------------------------------------------------------------- conversations

export interface Conversation {
  key: string;
  /** Every power in it, the viewer included. */
  members: string[];
  title: string;
  messages: Message[];
  /** A one-to-one conversation with this power. */
  with?: string;
}

export function convKey(members: string[]): string {
  return [...new Set(members)].sort().join('+');
}

/**
 * Conversations of the viewer: one per other power (always, even empty), one with everyone, and one
 * per other group that messages were sent to.
 */
export function conversations(scenario: Scenario, me: string, messages: Message[]): Conversation[] {
  const others = scenario.powers.map((p) => p.id).filter((p) => p !== me);
  const byKey = new Map<string, Conversation>();
  for (const o of others) {
    const members = [me, o];
    byKey.set(convKey(members), { key: convKey(members), members, title: powerName(scenario, o), messages: [], with: o });
  }
  if (others.length > 1) {
    const all = [me, ...others];
    byKey.set(convKey(all), { key: convKey(all), members: all, title: 'Everyone', messages: [] });
  }
  for (const m of messages) {
    const members = [...new Set([m.from, ...m.to])];
    if (!members.includes(me)) continue;
    const key = convKey(members);
    let c = byKey.get(key);
    if (!c) {
      c = {
        key,
        members,
        title: listJoin(members.filter((x) => x !== me).map((x) => powerName(scenario, x))),
        messages: [],
      };
      byKey.set(key, c);
    }
    c.messages.push(m);
  }
  return [...byKey.values()];
}

// ----------------------------------------------------------------------------- proposals

export function describeTerm(scenario: Scenario, t: Term, me?: string): string {
  const who = t.power === me ? 'You' : powerName(scenario, t.power);
  const you = (id: string | undefined) => (id === me ? 'you' : powerName(scenario, id));
  const what = t.move ? `“${moveName(scenario, t.move)}”` : t.kind ? `any ${scenario.kinds?.find((k) => k.id === t.kind)?.name.toLowerCase() ?? t.kind} move` : 'that move';
  const against = t.target ? ` ${t.type === 'do' ? 'with' : 'against'} ${you(t.target)}` : '';
  const when = t.from_turn === t.to_turn ? `in turn ${t.from_turn}` : `from turn ${t.from_turn} to ${t.to_turn}`;
  const verb = t.type === 'do' ? (t.power === me ? 'will play' : 'will play') : t.power === me ? 'will not play' : 'will not play';
  return `${who} ${verb} ${what}${against} ${when}`;
}

export interface ProposalGroups {
  incoming: Proposal[];
  outgoing: Proposal[];
  closed: Proposal[];
}

export function groupProposals(proposals: Proposal[], me: string): ProposalGroups {
  const incoming = proposals.filter((p) => p.to === me && p.status === 'open');
  const outgoing = proposals.filter((p) => p.from === me && p.status === 'open');
  const closed = proposals.filter((p) => p.status !== 'open').reverse();
  return { incoming, outgoing, closed };
}

export function proposalStatusLabel(status: string): string {
  return (
    { open: 'Waiting for an answer', accepted: 'Accepted', rejected: 'Rejected', countered: 'Countered', expired: 'Expired', withdrawn: 'Withdrawn' } as Record<
      string,
      string
    >
  )[status] ?? status;
}

export interface LedgerRow {
  id: string;
  by: string;
  to: string;
  text: string;
  status: Commitment['status'];
  label: string;
  tone: 'ok' | 'bad' | 'warn' | 'neutral';
}

export function ledger(scenario: Scenario, commitments: Commitment[], me?: string): LedgerRow[] {
  const label = { active: 'In force', kept: 'Kept', breached: 'Broken', expired: 'Expired' } as const;
  const tone = { active: 'warn', kept: 'ok', breached: 'bad', expired: 'neutral' } as const;
  return commitments
    .map((c) => ({
      id: c.id,
      by: c.by,
      to: c.to,
      text: describeTerm(scenario, c.term, me),
      status: c.status,
      label: label[c.status],
      tone: tone[c.status],
    }))
    .sort((a, b) => order(a.status) - order(b.status));
}
function order(s: string): number {
  return s === 'breached' ? 0 : s === 'active' ? 1 : s === 'kept' ? 2 : 3;
}

// ----------------------------------------------------------------------------- news

export interface Citation {
  title: string;
  publisher: string;
  paragraph?: number;
  url?: string;
}

export interface NewsItem {
  headline: string;
  body?: string;
  stroke: MoveStroke | 'event' | 'commitment' | 'courted';
  actor?: string;
  target?: string;
  failed: boolean;
  notes: string[];
  citations: Citation[];
}

export function cite(scenario: Scenario, refs: { source: string; paragraph?: number }[] | undefined): Citation[] {
  return (refs ?? []).flatMap((r) => {
    const s = scenario.sources.find((x) => x.id === r.source);
    if (!s) return [];
    return [{ title: s.title, publisher: s.publisher, ...(r.paragraph ? { paragraph: r.paragraph } : {}), ...(s.url ? { url: s.url } : {}) }];
  });
}

export function citationText(c: Citation): string {
  return `${c.publisher}, “${c.title}”${c.paragraph ? `, ¶${c.paragraph}` : ''}`;
}

/** The news of one resolved turn: moves that happened, events, commitments settled, powers courted. */
export function news(scenario: Scenario, events: GameEvent[]): NewsItem[] {
  const items: NewsItem[] = [];
  const seenJoint = new Set<string>();
  for (const e of events) {
    if (e.type === 'move') {
      const move = scenario.moves.find((m) => m.id === e.move);
      if (move?.joint && e.target) {
        const k = [e.move, ...[e.actor, e.target].sort()].join('|');
        if (seenJoint.has(k)) continue;
        seenJoint.add(k);
      }
      items.push({
        headline: e.headline,
        stroke: moveStroke(scenario, e.kind),
        actor: e.actor,
        ...(e.target ? { target: e.target } : {}),
        failed: e.outcome !== 'done',
        ...(e.reason ? { body: e.reason } : {}),
        notes: e.notes ?? [],
        citations: cite(scenario, move?.sources),
      });
    } else if (e.type === 'scenario_event') {
      const def = scenario.events.find((x) => x.id === e.event);
      items.push({ headline: e.headline, body: e.body, stroke: 'event', failed: false, notes: [], citations: cite(scenario, def?.sources) });
    } else if (e.type === 'commitment' && (e.status === 'breached' || e.status === 'kept')) {
      items.push({ headline: e.headline, stroke: 'commitment', actor: e.by, target: e.to, failed: e.status === 'breached', notes: [], citations: [] });
    } else if (e.type === 'courted') {
      items.push({ headline: e.headline, stroke: 'courted', actor: e.power, failed: false, notes: [], citations: [] });
    }
  }
  // Done moves first, then events, then failed moves.
  const rank = (n: NewsItem) => (n.stroke === 'event' ? 1 : n.failed ? 3 : n.stroke === 'commitment' ? 2 : 0);
  return items.map((n, i) => ({ n, i })).sort((a, b) => rank(a.n) - rank(b.n) || a.i - b.i).map((x) => x.n);
}

/** What the map animates for one resolved turn. */
export interface MapMove {
  actor: string;
  target?: string;
  place?: string;
  stroke: MoveStroke;
  label: string;
  failed: boolean;
}

export function mapMoves(scenario: Scenario, events: GameEvent[]): MapMove[] {
  const out: MapMove[] = [];
  const seen = new Set<string>();
  for (const e of events) {
    if (e.type !== 'move') continue;
    const move = scenario.moves.find((m) => m.id === e.move);
    const k = move?.joint && e.target ? [e.move, ...[e.actor, e.target].sort()].join('|') : `${e.actor}|${e.move}|${e.target ?? ''}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push({
      actor: e.actor,
      ...(e.target ? { target: e.target } : {}),
      ...(move?.place ? { place: move.place } : {}),
      stroke: moveStroke(scenario, e.kind),
      label: move?.name ?? e.move,
      failed: e.outcome !== 'done',
    });
  }
  return out;
}

// ----------------------------------------------------------------------------- charts and timeline

export interface Series {
  id: string;
  label: string;
  colour: string;
  points: { turn: number; value: number }[];
}

export function startMetrics(scenario: Scenario): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const p of scenario.powers) {
    out[p.id] = {};
    for (const m of scenario.metrics.power) out[p.id]![m.id] = p.start[m.id] ?? m.start;
  }
  return out;
}

/** One series per power for a power metric (turn 0 = the start). */
export function metricSeries(scenario: Scenario, history: TurnRecord[], metric: string): Series[] {
  const start = startMetrics(scenario);
  return scenario.powers.map((p) => ({
    id: p.id,
    label: p.name,
    colour: p.colour,
    points: [
      { turn: 0, value: start[p.id]?.[metric] ?? 0 },
      ...history.map((r) => ({ turn: r.turn, value: r.metrics[p.id]?.[metric] ?? 0 })),
    ],
  }));
}

export function credibilitySeries(scenario: Scenario, history: TurnRecord[], start = 50): Series[] {
  return scenario.powers.map((p) => ({
    id: p.id,
    label: p.name,
    colour: p.colour,
    points: [{ turn: 0, value: start }, ...history.map((r) => ({ turn: r.turn, value: r.credibility[p.id] ?? 0 }))],
  }));
}

/** One series per pair of powers for a pair metric. */
export function relationSeries(scenario: Scenario, history: TurnRecord[], metric: string): Series[] {
  const def = scenario.metrics.pair.find((m) => m.id === metric);
  const out: Series[] = [];
  const ids = scenario.powers.map((p) => p.id);
  for (let i = 0; i < ids.length; i++) {
    for (let j = i + 1; j < ids.length; j++) {
      const a = ids[i]!;
      const b = ids[j]!;
      const key = a < b ? `${a}|${b}` : `${b}|${a}`;
      const start =
        scenario.relations.find((r) => (r.between[0] === a && r.between[1] === b) || (r.between[0] === b && r.between[1] === a))?.values[metric] ??
        def?.start ??
        0;
      out.push({
        id: key,
        label: `${powerName(scenario, a)} – ${powerName(scenario, b)}`,
        colour: PAIR_COLOURS[out.length % PAIR_COLOURS.length]!,
        points: [{ turn: 0, value: start }, ...history.map((r) => ({ turn: r.turn, value: r.relations[key]?.[metric] ?? start }))],
      });
    }
  }
  return out;
}

/** Distinguishable colours for pair lines (Okabe–Ito + extras). */
const PAIR_COLOURS = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#e69f00', '#56b4e9', '#000000', '#8c564b', '#7f7f7f', '#bcbd22'];

export interface TimelineItem {
  turn: number;
  when: string;
  text: string;
  power?: string;
  kind: 'move' | 'event' | 'broken' | 'kept';
}

/** The key moves of a game: every done move whose headline exists, scenario events and broken promises. */
export function timeline(scenario: Scenario, history: TurnRecord[]): TimelineItem[] {
  const out: TimelineItem[] = [];
  for (const r of history) {
    const when = scenario.turns.labels?.[r.turn - 1] ?? `Turn ${r.turn}`;
    for (const n of news(scenario, r.events)) {
      if (n.failed && n.stroke !== 'commitment') continue;
      const kind: TimelineItem['kind'] = n.stroke === 'event' ? 'event' : n.stroke === 'commitment' ? (n.failed ? 'broken' : 'kept') : 'move';
      if (kind === 'kept') continue;
      out.push({ turn: r.turn, when, text: n.headline, ...(n.actor ? { power: n.actor } : {}), kind });
    }
  }
  return out;
}

// ----------------------------------------------------------------------------- scores

export function parseScores(text: string | undefined): ScoreReport | undefined {
  return parseJson<ScoreReport>(text);
}

// ----------------------------------------------------------------------------- orders

export interface PlannedOrder {
  move: string;
  target?: string;
}

/** Moves of the scenario the power may play (ignoring preconditions), cheapest first within each kind. */
export function movesFor(scenario: Scenario, power: string): Move[] {
  return scenario.moves.filter((m) => m.by === 'any' || m.by.includes(power));
}

/** Moves played once already by this power (from the public history), for once_per_game moves. */
export function usedOnce(scenario: Scenario, history: TurnRecord[], power: string): string[] {
  const once = new Set(scenario.moves.filter((m) => m.once_per_game).map((m) => m.id));
  const used = new Set<string>();
  for (const r of history) for (const o of r.orders[power] ?? []) if (once.has(o.move)) used.add(o.move);
  return [...used];
}

/** Short text for a metric and its value: "Economy 55". */
export function metricLine(scenario: Scenario, id: string, value: number): string {
  return `${metricName(scenario, id)} ${value}`;
}

export type { PlayerView };
