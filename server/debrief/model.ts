/**
 * The teacher's debrief of a session, as data (the JSON export; the HTML page and the CSV files are
 * rendered from it). Everything comes from the record and the exact scenario content the session was
 * played with: nothing here knows any particular scenario.
 */
import type { Commitment, Message, Scenario, ScoreReport, Term } from '#shared/index.ts';
import { scoreGame } from '#shared/index.ts';
import type { ForkOrigin, RecordStore } from '../persistence/store.ts';
import { NotFound, pairsOf, runSeries, turnLabel } from '../persistence/replay.ts';

export interface DebriefMove {
  move: string;
  name: string;
  kind: string;
  target: string | null;
  targetName: string | null;
  /** done | unmatched | failed ('' when the resolution said nothing about it). */
  outcome: string;
  headline: string;
}

export interface DebriefTurn {
  turn: number;
  label: string;
  moves: Record<string, DebriefMove[]>;
  /** Public events of the turn (scenario events, commitments settled, courting). */
  news: string[];
}

export interface DebriefCommitment {
  id: string;
  by: string;
  to: string;
  text: string;
  from: number;
  until: number;
  status: Commitment['status'];
  settledTurn: number | null;
}

export interface DebriefTable {
  id: string;
  name: string;
  status: string;
  forkOf: ForkOrigin | null;
  seed: string | null;
  turn: number;
  phase: string;
  scores: ScoreReport | null;
  turns: DebriefTurn[];
  commitments: DebriefCommitment[];
  /** Per power: commitments kept and broken (made by that power). */
  promises: Record<string, { kept: number; broken: number; active: number; expired: number }>;
  series: {
    turns: number[];
    metrics: Record<string, Record<string, number[]>>;
    credibility: Record<string, number[]>;
    relations: Record<string, Record<string, number[]>>;
  };
  messages?: (Message & { fromName: string; toNames: string[] })[];
  /** Only when the teacher asks (`names`): the students who held each power, the lead first. */
  students?: Record<string, string[]>;
}

export interface DebriefSource {
  id: string;
  title: string;
  publisher: string;
  date: string;
  url: string | null;
}

export interface DebriefCitation {
  source: string;
  /** 1-based number of the source in `sources`, for footnote marks. */
  number: number;
  paragraph: number | null;
  note: string | null;
}

export interface Debrief {
  session: string;
  generatedAt: number;
  createdAt: number;
  finished: boolean;
  sandbox: boolean;
  includeMessages: boolean;
  includeNames: boolean;
  scenario: { id: string; title: string; summary: string; hash: string; turns: number; represents: string };
  labels: string[];
  powers: { id: string; name: string; colour: string }[];
  metrics: { power: { id: string; name: string; min: number; max: number }[]; pair: { id: string; name: string; min: number; max: number }[] };
  pairs: { key: string; a: string; b: string }[];
  tables: DebriefTable[];
  whatHappened: { text: string; citations: DebriefCitation[] }[];
  sources: DebriefSource[];
}

function termText(scenario: Scenario, term: Term): string {
  const power = (id: string | undefined) => scenario.powers.find((p) => p.id === id)?.name ?? id ?? '';
  const move = term.move ? (scenario.moves.find((m) => m.id === term.move)?.name ?? term.move) : '';
  const kind = term.kind ? (scenario.kinds.find((k) => k.id === term.kind)?.name ?? term.kind) : '';
  const what = move || (kind ? `any ${kind.toLowerCase()} move` : 'this');
  const against = term.target ? ` against ${power(term.target)}` : '';
  const turns = term.from_turn === term.to_turn ? `turn ${term.from_turn}` : `turns ${term.from_turn}–${term.to_turn}`;
  return term.type === 'do' ? `${power(term.power)} plays ${what}${against} (${turns})` : `${power(term.power)} refrains from ${what}${against} (${turns})`;
}

export async function buildDebrief(store: RecordStore, code: string, options: { includeMessages: boolean; includeNames?: boolean; now?: number }): Promise<Debrief> {
  const session = await store.session(code);
  if (!session) throw new NotFound('No such session.');
  const scenario = await store.scenario(session.scenarioHash);
  if (!scenario) throw new NotFound('The scenario of this session is not stored.');
  const name = (id: string) => scenario.powers.find((p) => p.id === id)?.name ?? id;
  const moveDef = (id: string) => scenario.moves.find((m) => m.id === id);

  // Who held which power: from the session's last snapshot (a delegation's members, the lead first).
  const snap = options.includeNames ? await store.snapshot(code) : undefined;
  const people = new Map((snap?.participants ?? []).map((p) => [p.id, p.name]));
  const tables: DebriefTable[] = [];
  for (const row of await store.tables(code)) {
    const state = await store.latestState(code, row.id);
    const { run } = await runSeries(store, code, row.id);
    const turns: DebriefTurn[] = (state?.history ?? []).map((r) => {
      const moves: Record<string, DebriefMove[]> = {};
      for (const p of scenario.powers) {
        moves[p.id] = (r.orders[p.id] ?? []).map((o) => {
          const ev = r.events.find((e) => e.type === 'move' && e.actor === p.id && e.move === o.move && (e.target ?? null) === (o.target ?? null));
          const def = moveDef(o.move);
          return {
            move: o.move,
            name: def?.name ?? o.move,
            kind: def?.kind ?? '',
            target: o.target ?? null,
            targetName: o.target ? name(o.target) : null,
            outcome: ev?.type === 'move' ? ev.outcome : '',
            headline: ev?.type === 'move' ? ev.headline : '',
          };
        });
      }
      const news = r.events.flatMap((e) => (e.type === 'scenario_event' || e.type === 'commitment' || e.type === 'courted' ? [e.headline] : []));
      return { turn: r.turn, label: turnLabel(scenario, r.turn), moves, news };
    });
    const commitments: DebriefCommitment[] = (state?.commitments ?? []).map((c) => ({
      id: c.id,
      by: c.by,
      to: c.to,
      text: termText(scenario, c.term),
      from: c.term.from_turn,
      until: c.term.to_turn,
      status: c.status,
      settledTurn: c.settled_turn ?? null,
    }));
    const promises: DebriefTable['promises'] = {};
    for (const p of scenario.powers) promises[p.id] = { kept: 0, broken: 0, active: 0, expired: 0 };
    for (const c of commitments) {
      const t = promises[c.by];
      if (!t) continue;
      if (c.status === 'kept') t.kept++;
      else if (c.status === 'breached') t.broken++;
      else if (c.status === 'active') t.active++;
      else t.expired++;
    }
    const table: DebriefTable = {
      id: row.id,
      name: row.name,
      status: row.status,
      forkOf: row.forkOf,
      seed: row.seed,
      turn: state?.turn ?? 0,
      phase: state?.phase ?? '',
      scores: state ? scoreGame(scenario, state) : null,
      turns,
      commitments,
      promises,
      series: { turns: run.turns, metrics: run.metrics, credibility: run.credibility, relations: run.relations },
    };
    if (snap) {
      const seats = snap.tables.find((x) => x.id === row.id)?.seats ?? [];
      table.students = Object.fromEntries(seats.map((s) => [s.power, (s.members ?? (s.participant ? [s.participant] : [])).map((id) => people.get(id) ?? id)]));
    }
    if (options.includeMessages) {
      table.messages = (state?.messages ?? []).map((m) => ({ ...m, fromName: name(m.from), toNames: m.to.filter((x) => x !== m.from).map(name) }));
    }
    tables.push(table);
  }

  const sources: DebriefSource[] = scenario.sources.map((s) => ({ id: s.id, title: s.title, publisher: s.publisher, date: s.date, url: s.url ?? null }));
  const number = (id: string) => sources.findIndex((s) => s.id === id) + 1;
  return {
    session: code,
    generatedAt: options.now ?? Date.now(),
    createdAt: session.createdAt,
    finished: session.finished,
    sandbox: session.sandbox,
    includeMessages: options.includeMessages,
    includeNames: Boolean(options.includeNames),
    scenario: {
      id: scenario.id,
      title: scenario.title,
      summary: scenario.summary,
      hash: session.scenarioHash,
      turns: scenario.turns.count,
      represents: scenario.turns.represents,
    },
    labels: ['Start', ...Array.from({ length: scenario.turns.count }, (_, i) => turnLabel(scenario, i + 1))],
    powers: scenario.powers.map((p) => ({ id: p.id, name: p.name, colour: p.colour })),
    metrics: {
      power: scenario.metrics.power.map((m) => ({ id: m.id, name: m.name, min: m.min, max: m.max })),
      pair: scenario.metrics.pair.map((m) => ({ id: m.id, name: m.name, min: m.min, max: m.max })),
    },
    pairs: pairsOf(scenario),
    tables,
    whatHappened: scenario.debrief.map((d) => ({
      text: d.text,
      citations: d.sources.map((c) => ({ source: c.source, number: number(c.source), paragraph: c.paragraph ?? null, note: c.note ?? null })),
    })),
    sources,
  };
}
