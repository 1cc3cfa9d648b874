/**
 * Verification of a stored game: re-runs the table's log through the engine, from `newGame(scenario,
 * seed)` (or, for a fork, the state it was forked from), with the exact scenario content stored with
 * the session, and checks that every action is accepted again with the same events and that every
 * kept state (each phase, undo, end, and the current one) is reproduced exactly.
 */
import { isDeepStrictEqual } from 'node:util';
import { type Action, type GameState, newGame, type Scenario, step } from '#shared/index.ts';
import type { RecordStore, StoredEntry } from './store.ts';

/** Same as server/table.ts: the sandbox keeps this many undo steps. */
const UNDO_DEPTH = 30;

export interface VerifyReport {
  session: string;
  table: string;
  ok: boolean;
  actions: number;
  states: number;
  problems: string[];
}

const plain = (x: unknown): unknown => (x === undefined ? undefined : JSON.parse(JSON.stringify(x)));

export async function verifyTable(store: RecordStore, code: string, table: string): Promise<VerifyReport> {
  const report: VerifyReport = { session: code, table, ok: false, actions: 0, states: 0, problems: [] };
  const problem = (e: StoredEntry | null, text: string) => {
    if (report.problems.length < 20) report.problems.push(e ? `#${e.seq} (${e.kind} ${e.type}): ${text}` : text);
  };
  const session = await store.session(code);
  if (!session) {
    problem(null, 'no such session');
    return report;
  }
  const scenario: Scenario | undefined = await store.scenario(session.scenarioHash);
  if (!scenario) {
    problem(null, `the scenario content ${session.scenarioHash.slice(0, 12)} is not stored`);
    return report;
  }
  const row = (await store.tables(code)).find((t) => t.id === table);
  if (!row) {
    problem(null, 'no such table');
    return report;
  }
  const same = async (e: StoredEntry, game: GameState | null, what: string) => {
    if (e.state === null) return;
    const stored = await store.state(code, e.state);
    report.states++;
    if (!stored) problem(e, `the kept state ${e.state} is missing`);
    else if (!isDeepStrictEqual(plain(game), stored)) problem(e, `${what}: the replayed state differs from the stored one (turn ${stored.turn} ${stored.phase})`);
  };

  let current: GameState | null = null;
  const undo: GameState[] = [];
  for (const e of await store.entries(code, table)) {
    if (e.kind === 'table' && e.type === 'start') {
      const seed = (e.data as { seed?: string } | null)?.seed ?? row.seed ?? '';
      current = newGame(scenario, seed);
      await same(e, current, 'new game');
    } else if (e.kind === 'table' && e.type === 'fork') {
      const start = e.state === null ? undefined : await store.state(code, e.state);
      if (!start) {
        problem(e, 'the state the fork started from is missing');
        return report;
      }
      const origin = row.forkOf?.state;
      const originState = origin ? await store.state(row.forkOf?.session ?? code, origin) : undefined;
      if (originState && !isDeepStrictEqual(originState, start)) problem(e, 'the fork does not start from the state it names');
      current = start;
      report.states++;
    } else if (e.kind === 'action') {
      if (!current) {
        problem(e, 'an action before the game started');
        continue;
      }
      const action = e.data as Action;
      if (e.turn !== current.turn || e.phase !== current.phase) problem(e, `recorded at turn ${e.turn} ${e.phase}, replayed at turn ${current.turn} ${current.phase}`);
      if (action.type === 'advance' && current.phase === 'orders') {
        undo.push(current);
        if (undo.length > UNDO_DEPTH) undo.shift();
      }
      const r = step(scenario, current, action);
      report.actions++;
      if (!r.ok) {
        problem(e, `the engine now rejects it: ${r.rejection.code} ${r.rejection.message}`);
        continue;
      }
      if (!isDeepStrictEqual(plain(r.events), e.events ?? [])) problem(e, 'the events differ');
      current = r.state;
    } else if (e.kind === 'phase') {
      await same(e, current, 'phase');
    } else if (e.kind === 'table' && e.type === 'undo') {
      const previous = undo.pop();
      if (!previous) problem(e, 'nothing to undo');
      else current = previous;
      await same(e, current, 'undo');
    } else if (e.kind === 'table' && e.type === 'ended') {
      await same(e, current, 'end');
    }
  }
  const live = await store.liveState(code, table);
  if (live || current) {
    report.states++;
    if (!isDeepStrictEqual(plain(current), live)) problem(null, 'the current state differs from the replayed one');
  }
  report.ok = report.problems.length === 0;
  return report;
}

/** Every table of a session. */
export async function verifySession(store: RecordStore, code: string): Promise<VerifyReport[]> {
  const reports: VerifyReport[] = [];
  for (const t of await store.tables(code)) reports.push(await verifyTable(store, code, t.id));
  return reports;
}
