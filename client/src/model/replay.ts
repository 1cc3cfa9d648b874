/**
 * View models of the record screens (issue 6): the steps of a replay, the teacher's log of a phase,
 * and the series of a comparison of several runs. Pure functions; unit-tested in tests/client.
 */
import type { Scenario } from '#shared/scenario/schema.ts';
import type { Action, TurnRecord } from '#shared/engine/types.ts';
import type { PlayerView } from '#shared/engine/view.ts';
import type { ScoreReport } from '#shared/engine/scoring.ts';
import { describeTerm, type Series } from './view.ts';
import { listJoin, moveName, phaseLabel, powerName, turnLabel } from './format.ts';

// The shapes of the record API (server/persistence/replay.ts), restated structurally so that this
// module stays independent of the server's files.
export interface FrameLike {
  seq: number;
  turn: number;
  phase: string;
  reason: string;
  view: PlayerView;
}
export interface EntryLike {
  seq: number;
  at: number;
  kind: string;
  type: string;
  phase: string | null;
  actor: { kind: string; participant?: string; power?: string; reason?: string } | null;
  data: unknown;
}
export interface ReplayLike {
  turns: { turn: number; label: string; frames: FrameLike[]; record: TurnRecord | null; entries?: EntryLike[] }[];
}

/** One step of a replay: the state at the start of a phase (or the end), and what led to it. */
export interface ReplayStep {
  index: number;
  turn: number;
  phase: string;
  reason: string;
  view: PlayerView;
  /** The turn whose resolution led to this step (its news and moves), if any. */
  resolved: TurnRecord | null;
  /** Private replays: what was recorded during this step's phase, in order. */
  entries: EntryLike[];
}

export function replaySteps(replay: ReplayLike): ReplayStep[] {
  const frames = replay.turns.flatMap((t) => t.frames).sort((a, b) => a.seq - b.seq);
  const records = new Map(replay.turns.filter((t) => t.record).map((t) => [t.turn, t.record!]));
  const entries = replay.turns.flatMap((t) => t.entries ?? []).sort((a, b) => a.seq - b.seq);
  return frames.map((f, i) => {
    const prev = frames[i - 1];
    const next = frames[i + 1];
    const resolved = prev && prev.phase === 'orders' && (f.turn !== prev.turn || f.phase === 'ended') ? (records.get(prev.turn) ?? null) : null;
    return {
      index: i,
      turn: f.turn,
      phase: f.phase,
      reason: f.reason,
      view: f.view,
      resolved,
      entries: entries.filter((e) => e.seq >= f.seq && (!next || e.seq < next.seq)),
    };
  });
}

/** "June 2024 · turn 1 of 8 — Orders", or "Game over". */
export function stepLabel(scenario: Scenario, step: Pick<ReplayStep, 'turn' | 'phase'>): string {
  if (step.phase === 'ended') return 'Game over';
  return `${turnLabel(scenario, Math.max(1, step.turn))} — ${phaseLabel(step.phase)}`;
}

/** The first step of a turn (its talks), for "jump to a turn". */
export function stepOfTurn(steps: ReplayStep[], turn: number): number {
  const i = steps.findIndex((s) => s.turn === turn && s.phase !== 'ended');
  if (i >= 0) return i;
  const after = steps.findIndex((s) => s.turn > turn);
  return after >= 0 ? after : Math.max(0, steps.length - 1);
}

/** The turns a replay can jump to, in order. */
export function replayTurns(steps: ReplayStep[]): number[] {
  return [...new Set(steps.filter((s) => s.phase !== 'ended').map((s) => s.turn))];
}

/** Where a fork from this step starts: the phase of this step (a game that ended cannot be played on). */
export function forkPoint(step: Pick<ReplayStep, 'turn' | 'phase'>): { turn: number; phase: 'negotiation' | 'orders' } | undefined {
  if (step.phase !== 'negotiation' && step.phase !== 'orders') return undefined;
  return { turn: step.turn, phase: step.phase };
}

// ----------------------------------------------------------------------------- the teacher's log

export interface LogLine {
  seq: number;
  /** Who did it: a power id, or '' for the teacher/server. */
  power: string;
  by: 'player' | 'bot' | 'teacher' | 'server';
  kind: 'message' | 'proposal' | 'answer' | 'orders' | 'ready' | 'teacher' | 'event';
  text: string;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** What happened during a phase, in words: messages, proposals and answers, orders, the teacher's actions. */
export function logLines(scenario: Scenario, entries: EntryLike[]): LogLine[] {
  const out: LogLine[] = [];
  for (const e of entries) {
    const by: LogLine['by'] = e.actor?.kind === 'bot' ? 'bot' : e.actor?.kind === 'facilitator' ? 'teacher' : e.actor?.kind === 'server' ? 'server' : 'player';
    if (e.kind === 'action' && isObj(e.data)) {
      const a = e.data as Action;
      const who = 'power' in a ? a.power : '';
      const name = powerName(scenario, who);
      switch (a.type) {
        case 'message':
          out.push({ seq: e.seq, power: who, by, kind: 'message', text: `${name} to ${listJoin(a.to.map((p) => powerName(scenario, p)))}: “${a.text}”` });
          break;
        case 'propose':
          out.push({
            seq: e.seq,
            power: who,
            by,
            kind: 'proposal',
            text: `${name} ${a.counters ? 'countered with' : 'proposed'} to ${powerName(scenario, a.to)}: ${a.terms.map((t) => describeTerm(scenario, t)).join('; ')}${a.note ? ` — “${a.note}”` : ''}`,
          });
          break;
        case 'respond':
          out.push({ seq: e.seq, power: who, by, kind: 'answer', text: `${name} ${a.accept ? 'accepted' : 'rejected'} a proposal` });
          break;
        case 'withdraw':
          out.push({ seq: e.seq, power: who, by, kind: 'answer', text: `${name} withdrew a proposal` });
          break;
        case 'set_orders':
          out.push({
            seq: e.seq,
            power: who,
            by,
            kind: 'orders',
            text: a.orders.length
              ? `${name} ordered ${listJoin(a.orders.map((o) => `${moveName(scenario, o.move)}${o.target ? ` → ${powerName(scenario, o.target)}` : ''}`))}`
              : `${name} cleared their orders`,
          });
          break;
        case 'ready':
          if (a.ready) out.push({ seq: e.seq, power: who, by, kind: 'ready', text: `${name} was ready` });
          break;
        case 'trigger_event': {
          const ev = scenario.events.find((x) => x.id === a.event);
          out.push({ seq: e.seq, power: '', by: 'teacher', kind: 'event', text: `The teacher triggered an event: ${ev?.headline ?? a.event}` });
          break;
        }
        default:
          break;
      }
    } else if (e.kind === 'table') {
      const text = TEACHER_ACTIONS[e.type]?.(e.data, scenario);
      if (text) out.push({ seq: e.seq, power: '', by: 'teacher', kind: 'teacher', text });
    }
  }
  return out;
}

const TEACHER_ACTIONS: Record<string, (data: unknown, scenario: Scenario) => string> = {
  start: () => 'The game started',
  pause: () => 'The teacher paused the game',
  resume: () => 'The teacher resumed the game',
  extend: (d) => `The teacher added ${isObj(d) && typeof d['seconds'] === 'number' ? Math.round(d['seconds'] / 60) || 1 : 1} min`,
  bot: (d, s) => (isObj(d) ? `${powerName(s, String(d['power'] ?? ''))} ${d['bot'] ? 'was handed to a bot' : 'went back to its player'}` : ''),
  fork: (d) => (isObj(d) ? `Forked from ${String(d['table'] ?? '')}, turn ${String(d['turn'] ?? '')}` : 'Forked'),
  undo: () => 'The teacher undid the last resolution',
  ended: (d) => (isObj(d) && d['reason'] === 'facilitator' ? 'The teacher ended the game' : 'The game ended'),
};

// ----------------------------------------------------------------------------- comparison

export interface ComparisonLike {
  labels: string[];
  powers: { id: string; name: string; colour: string }[];
  metrics: { power: { id: string; name: string }[]; pair: { id: string; name: string }[] };
  pairs: { key: string; a: string; b: string }[];
  runs: {
    session: string;
    table: string;
    name: string;
    status: string;
    turn: number;
    phase: string;
    forkOf: { table: string; turn: number; phase: string } | null;
    scores: ScoreReport | null;
    turns: number[];
    metrics: Record<string, Record<string, number[]>>;
    credibility: Record<string, number[]>;
    relations: Record<string, Record<string, number[]>>;
  }[];
}

/** Colours and names that tell runs apart (Okabe–Ito; the charts also vary the dash). */
const RUN_COLOURS = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#e69f00', '#56b4e9', '#000000', '#8c564b', '#7f7f7f', '#bcbd22'];

export function runColour(i: number): string {
  return RUN_COLOURS[i % RUN_COLOURS.length]!;
}

/** A run's name in a comparison: the table's name, with the class code when several sessions are compared. */
export function runLabel(c: ComparisonLike, i: number): string {
  const r = c.runs[i]!;
  const sessions = new Set(c.runs.map((x) => x.session));
  return sessions.size > 1 ? `${r.session} · ${r.name}` : r.name;
}

function series(c: ComparisonLike, pick: (r: ComparisonLike['runs'][number]) => number[] | undefined): Series[] {
  return c.runs.map((r, i) => {
    const values = pick(r) ?? [];
    return { id: `${r.session}/${r.table}`, label: runLabel(c, i), colour: runColour(i), points: r.turns.map((t, j) => ({ turn: t, value: values[j] ?? 0 })).filter((_, j) => j < values.length) };
  });
}

/** One line per run: a power's metric (or 'credibility') turn by turn. */
export function powerSeries(c: ComparisonLike, power: string, metric: string): Series[] {
  return series(c, (r) => (metric === 'credibility' ? r.credibility[power] : r.metrics[power]?.[metric]));
}

/** One line per run: a pair's relation metric turn by turn. */
export function pairSeries(c: ComparisonLike, pair: string, metric: string): Series[] {
  return series(c, (r) => r.relations[pair]?.[metric]);
}

export interface ScoreRow {
  power: string;
  name: string;
  colour: string;
  /** Per run: score and rank, or undefined while the run has no score. */
  cells: ({ score: number; rank: number; winner: boolean } | undefined)[];
}

/** Powers down, runs across: every run's score and rank for each power. */
export function scoreRows(c: ComparisonLike): ScoreRow[] {
  return c.powers.map((p) => ({
    power: p.id,
    name: p.name,
    colour: p.colour,
    cells: c.runs.map((r) => {
      const s = r.scores?.ranking.find((x) => x.power === p.id);
      return s ? { score: s.score, rank: s.rank, winner: r.scores?.winners.includes(p.id) ?? false } : undefined;
    }),
  }));
}

/** Where each run stands: "Finished", or "Turn 3, orders"; and where a fork came from. */
export function runStatus(c: ComparisonLike, i: number): string {
  const r = c.runs[i]!;
  const where = r.status === 'ended' ? 'Finished' : `${r.status === 'paused' ? 'Paused' : r.status === 'waiting' ? 'Not started' : 'Playing'} · turn ${r.turn}${r.phase && r.phase !== 'ended' ? `, ${phaseLabel(r.phase).toLowerCase()}` : ''}`;
  if (!r.forkOf) return where;
  const from = c.runs.find((x) => x.session === r.session && x.table === r.forkOf!.table)?.name ?? r.forkOf.table;
  return `${where} · forked from ${from} at turn ${r.forkOf.turn}`;
}
