/**
 * The record of past and running games (issue 6), over HTTP: replays, forks, comparisons and the
 * debrief. Private data and every change need the facilitator's secret (header
 * `X-Facilitator-Secret`); a replay without it is the public one. See notes/persistence-api.md.
 */
import type { Comparison, Replay } from '../../../server/persistence/replay.ts';
import type { ErrorPayload } from '#shared/protocol.ts';
import { api, serverUrl } from './session.ts';

export type { Comparison, Replay, ReplayFrame, ReplayTurn, ReplayEntry, RunSeries } from '../../../server/persistence/replay.ts';

export interface RecordTable {
  id: string;
  name: string;
  status: string;
  turn: number;
  phase: string;
  forkOf: { table: string; turn: number; phase: string } | null;
}

export interface RecordInfo {
  code: string;
  scenario: string;
  sandbox: boolean;
  createdAt: number;
  updatedAt: number;
  finished: boolean;
  closed: boolean;
  /** Whether the secret given was right (the answer then holds private fields). */
  private: boolean;
  tables: RecordTable[];
}

const enc = encodeURIComponent;

function headers(secret: string | undefined): Record<string, string> {
  return secret ? { 'x-facilitator-secret': secret } : {};
}

export function fetchRecord(code: string, secret?: string): Promise<RecordInfo> {
  return api<RecordInfo>(`/api/sessions/${enc(code)}/record`, { headers: headers(secret) });
}

/** The whole replay of a table: private (everything) with the secret, public without. */
export function fetchReplay(code: string, table: string, secret?: string): Promise<Replay> {
  return api<Replay>(`/api/sessions/${enc(code)}/tables/${enc(table)}/replay`, { headers: headers(secret) });
}

export interface ForkResult {
  session: string;
  table: string;
  from: { table: string; turn: number; phase: string };
}

/** A new table of the session, starting from a past turn's phase of `table` (paused, seats free). */
export function forkTable(code: string, secret: string, from: { table: string; turn: number; phase?: 'negotiation' | 'orders' }): Promise<ForkResult> {
  return api<ForkResult>(`/api/sessions/${enc(code)}/forks`, { method: 'POST', headers: headers(secret), body: JSON.stringify(from) });
}

/** Several tables of one session side by side (all of them by default). */
export function compareTables(code: string, secret: string, tables?: string[]): Promise<Comparison> {
  const q = tables?.length ? `?tables=${enc(tables.join(','))}` : '';
  return api<Comparison>(`/api/sessions/${enc(code)}/compare${q}`, { headers: headers(secret) });
}

/** Runs of several sessions (one class against another): each run names its own session's secret. */
export function compareRuns(runs: { session: string; table?: string; secret: string }[]): Promise<Comparison> {
  return api<Comparison>('/api/compare', { method: 'POST', body: JSON.stringify({ runs }) });
}

export type DebriefPart = 'scores' | 'moves' | 'commitments' | 'relations' | 'metrics' | 'messages';

/** Address of the debrief page or an export (opened in a new tab or downloaded: the secret goes in the query). */
export function debriefUrl(code: string, secret: string, format: 'html' | 'json' | 'csv', opts: { messages?: boolean; part?: DebriefPart } = {}): string {
  const path = format === 'html' ? 'debrief' : `debrief.${format}`;
  const q = new URLSearchParams({ secret });
  if (opts.messages) q.set('messages', '1');
  if (format === 'csv') q.set('part', opts.part ?? 'scores');
  return new URL(`/api/sessions/${enc(code)}/${path}?${q.toString()}`, serverUrl()).toString();
}

export function isErrorPayload(e: unknown): e is ErrorPayload {
  return typeof e === 'object' && e !== null && typeof (e as ErrorPayload).code === 'string';
}
