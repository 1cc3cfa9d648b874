/**
 * Replays and comparisons, built from the record only (finished or running games alike).
 *
 * A replay is the table's game turn by turn: one frame per kept state (start, each phase, fork, undo,
 * end) with the view the reader may have — the facilitator's (everything) with the secret, else the
 * spectator's (public only) — and, with the secret, every recorded entry of the turn (who did what,
 * messages, proposals, facilitator actions, events). A comparison lines up several runs of one
 * scenario: scores and, per turn, each power's metrics and credibility and each pair's relations.
 */
import { type GameEvent, type GameState, pairKey, type PlayerView, playerView, type Scenario, type ScoreReport, scoreGame, type TurnRecord } from '#shared/index.ts';
import type { Actor } from '../recorder.ts';
import type { ForkOrigin, RecordStore, SessionRow, TableRow } from './store.ts';

export interface ReplayFrame {
  seq: number;
  turn: number;
  phase: string;
  /** start | phase | fork | undo | ended */
  reason: string;
  /** The view at that moment; its `history` is left out (see the turn's `record`). */
  view: PlayerView;
}

export interface ReplayEntry {
  seq: number;
  at: number;
  kind: string;
  type: string;
  phase: string | null;
  actor: Actor | null;
  data: unknown;
  events: GameEvent[] | null;
}

export interface ReplayTurn {
  turn: number;
  label: string;
  frames: ReplayFrame[];
  /** What the resolution of this turn revealed (orders, events, metrics after), once resolved. */
  record: TurnRecord | null;
  /** Private replays only: everything recorded during the turn, in order. */
  entries?: ReplayEntry[];
}

export interface Replay {
  session: string;
  table: string;
  name: string;
  status: string;
  private: boolean;
  scenario: { id: string; title: string; hash: string };
  seed: string | null;
  forkOf: ForkOrigin | null;
  turns: ReplayTurn[];
}

export class NotFound extends Error {}

export function turnLabel(scenario: Scenario, turn: number): string {
  return scenario.turns.labels?.[turn - 1] ?? `Turn ${turn}`;
}

async function tableOf(store: RecordStore, code: string, table: string): Promise<{ session: SessionRow; row: TableRow; scenario: Scenario }> {
  const session = await store.session(code);
  if (!session) throw new NotFound('No such session.');
  const row = (await store.tables(code)).find((t) => t.id === table);
  if (!row) throw new NotFound('No such table.');
  const scenario = await store.scenario(session.scenarioHash);
  if (!scenario) throw new NotFound('The scenario of this session is not stored.');
  return { session, row, scenario };
}

export async function buildReplay(store: RecordStore, code: string, table: string, options: { private: boolean; turn?: number }): Promise<Replay> {
  const { session, row, scenario } = await tableOf(store, code, table);
  const viewer = options.private ? 'facilitator' : 'spectator';
  const latest = await store.latestState(code, table);
  const history = new Map((latest?.history ?? []).map((r) => [r.turn, r]));
  const turns = new Map<number, ReplayTurn>();
  const turnOf = (n: number): ReplayTurn => {
    let t = turns.get(n);
    if (!t) {
      t = { turn: n, label: turnLabel(scenario, n), frames: [], record: history.get(n) ?? null, ...(options.private ? { entries: [] } : {}) };
      turns.set(n, t);
    }
    return t;
  };
  for (const s of await store.states(code, table)) {
    if (s.reason === 'undo_stack') continue;
    if (options.turn !== undefined && s.turn !== options.turn) continue;
    const state = await store.state(code, s.id);
    if (!state) continue;
    const view = { ...playerView(scenario, state, viewer), history: [] };
    turnOf(s.turn).frames.push({ seq: s.seq, turn: s.turn, phase: s.phase, reason: s.reason, view });
  }
  if (options.private) {
    let turn = 1;
    for (const e of await store.entries(code, table)) {
      if (e.turn !== null) turn = e.turn;
      if (options.turn !== undefined && turn !== options.turn) continue;
      turnOf(turn).entries!.push({ seq: e.seq, at: e.at, kind: e.kind, type: e.type, phase: e.phase, actor: e.actor, data: e.data, events: e.events });
    }
  }
  return {
    session: session.code,
    table: row.id,
    name: row.name,
    status: row.status,
    private: options.private,
    scenario: { id: scenario.id, title: scenario.title, hash: session.scenarioHash },
    seed: options.private ? row.seed : null,
    forkOf: row.forkOf,
    turns: [...turns.values()].sort((a, b) => a.turn - b.turn),
  };
}

// ---------------------------------------------------------------------------------------------
// Comparison
// ---------------------------------------------------------------------------------------------

export interface RunSeries {
  session: string;
  table: string;
  name: string;
  status: string;
  scenarioHash: string;
  forkOf: ForkOrigin | null;
  turn: number;
  phase: string;
  scores: ScoreReport | null;
  /** x axis: 0 (the start) then each resolved turn. */
  turns: number[];
  metrics: Record<string, Record<string, number[]>>;
  credibility: Record<string, number[]>;
  /** By pair key (`a|b`, ids sorted), then pair metric. */
  relations: Record<string, Record<string, number[]>>;
}

export interface Comparison {
  scenario: { id: string; title: string };
  labels: string[];
  powers: { id: string; name: string; colour: string }[];
  metrics: { power: { id: string; name: string }[]; pair: { id: string; name: string }[] };
  pairs: { key: string; a: string; b: string }[];
  runs: RunSeries[];
  /** Runs whose scenario content differs from the first one's (edited between classes). */
  warnings: string[];
}

/** The first kept state of a table: its start (or the state it was forked from). */
async function firstState(store: RecordStore, code: string, table: string): Promise<GameState | undefined> {
  const first = (await store.states(code, table)).find((s) => s.reason !== 'undo_stack');
  return first ? store.state(code, first.id) : undefined;
}

export function pairsOf(scenario: Scenario): { key: string; a: string; b: string }[] {
  const out: { key: string; a: string; b: string }[] = [];
  const ids = scenario.powers.map((p) => p.id);
  for (let i = 0; i < ids.length; i++) for (let j = i + 1; j < ids.length; j++) out.push({ key: pairKey(ids[i]!, ids[j]!), a: ids[i]!, b: ids[j]! });
  return out;
}

export async function runSeries(store: RecordStore, code: string, table: string): Promise<{ run: RunSeries; scenario: Scenario }> {
  const { session, row, scenario } = await tableOf(store, code, table);
  const latest = await store.latestState(code, table);
  // Turn 0: the game's starting values, from the table the run (or the first run it was forked from) began with.
  const all = await store.tables(code);
  let base: TableRow | undefined = row;
  for (let i = 0; i < 20 && base?.forkOf; i++) base = all.find((t) => t.id === base!.forkOf!.table);
  const start = base ? await firstState(store, code, base.id) : undefined;
  const run: RunSeries = {
    session: code,
    table,
    name: row.name,
    status: row.status,
    scenarioHash: session.scenarioHash,
    forkOf: row.forkOf,
    turn: latest?.turn ?? 0,
    phase: latest?.phase ?? '',
    scores: latest ? scoreGame(scenario, latest) : null,
    turns: [],
    metrics: {},
    credibility: {},
    relations: {},
  };
  const points: { turn: number; metrics: Record<string, Record<string, number>>; relations: Record<string, Record<string, number>>; credibility: Record<string, number> }[] = [];
  if (start && start.history.length === 0) {
    points.push({
      turn: 0,
      metrics: Object.fromEntries(Object.entries(start.powers).map(([p, s]) => [p, s.metrics])),
      relations: start.relations,
      credibility: Object.fromEntries(Object.entries(start.powers).map(([p, s]) => [p, s.credibility])),
    });
  }
  for (const r of latest?.history ?? []) points.push({ turn: r.turn, metrics: r.metrics, relations: r.relations, credibility: r.credibility });
  run.turns = points.map((p) => p.turn);
  for (const power of scenario.powers) {
    run.metrics[power.id] = Object.fromEntries(scenario.metrics.power.map((m) => [m.id, points.map((p) => p.metrics[power.id]?.[m.id] ?? 0)]));
    run.credibility[power.id] = points.map((p) => p.credibility[power.id] ?? 0);
  }
  for (const pair of pairsOf(scenario)) {
    run.relations[pair.key] = Object.fromEntries(scenario.metrics.pair.map((m) => [m.id, points.map((p) => p.relations[pair.key]?.[m.id] ?? 0)]));
  }
  return { run, scenario };
}

export class Mismatch extends Error {}

/** Lines up runs (session + table) of one scenario. */
export async function compareRuns(store: RecordStore, runs: { session: string; table: string }[]): Promise<Comparison> {
  if (runs.length === 0) throw new NotFound('No runs to compare.');
  const built: { run: RunSeries; scenario: Scenario }[] = [];
  for (const r of runs) built.push(await runSeries(store, r.session, r.table));
  const scenario = built[0]!.scenario;
  const warnings: string[] = [];
  for (const b of built) {
    if (b.scenario.id !== scenario.id) throw new Mismatch(`Runs of different scenarios cannot be compared (${scenario.id}, ${b.scenario.id}).`);
    if (b.run.scenarioHash !== built[0]!.run.scenarioHash) warnings.push(`${b.run.session}/${b.run.table} was played with a different version of the scenario.`);
  }
  const maxTurn = scenario.turns.count;
  return {
    scenario: { id: scenario.id, title: scenario.title },
    labels: ['Start', ...Array.from({ length: maxTurn }, (_, i) => turnLabel(scenario, i + 1))],
    powers: scenario.powers.map((p) => ({ id: p.id, name: p.name, colour: p.colour })),
    metrics: { power: scenario.metrics.power.map((m) => ({ id: m.id, name: m.name })), pair: scenario.metrics.pair.map((m) => ({ id: m.id, name: m.name })) },
    pairs: pairsOf(scenario),
    runs: built.map((b) => b.run),
    warnings,
  };
}
