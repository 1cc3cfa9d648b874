/**
 * The record of past and running games (issue 6), over HTTP: replays, forks, comparisons and the
 * debrief. Private data and every change need the facilitator's secret (header
 * `X-Facilitator-Secret` or `Authorization: Bearer`, never in an address); a replay without it is the
 * public one. See notes/persistence-api.md.
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

/**
 * Address of the debrief page or an export, without any credential: opening it needs the secret in a
 * header (fetch) or a download token (`?token=`, see {@link openDebrief}). The secret never goes in an address.
 */
export function debriefUrl(code: string, format: 'html' | 'json' | 'csv', opts: { messages?: boolean; part?: DebriefPart; token?: string } = {}): string {
  const path = format === 'html' ? 'debrief' : `debrief.${format}`;
  const q = new URLSearchParams();
  if (opts.token) q.set('token', opts.token);
  if (opts.messages) q.set('messages', '1');
  if (format === 'csv') q.set('part', opts.part ?? 'scores');
  const query = q.toString();
  return new URL(`/api/sessions/${enc(code)}/${path}${query ? `?${query}` : ''}`, serverUrl()).toString();
}

/** A single-use token (one minute) for opening the debrief page in a tab. */
export async function downloadToken(code: string, secret: string): Promise<string> {
  const r = await api<{ token: string }>(`/api/sessions/${enc(code)}/downloads`, { method: 'POST', headers: { authorization: `Bearer ${secret}` } });
  return r.token;
}

/**
 * Opens the debrief page in a new tab (with a single-use token), or downloads an export (fetched with
 * the secret in a header, saved from memory). Call it from the click itself: the tab is opened at once,
 * so that browsers do not block it as a pop-up.
 */
export async function openDebrief(code: string, secret: string, format: 'html' | 'json' | 'csv', opts: { messages?: boolean; part?: DebriefPart } = {}): Promise<void> {
  if (format === 'html') {
    const tab = window.open('', '_blank');
    try {
      const token = await downloadToken(code, secret);
      if (tab) {
        tab.opener = null;
        tab.location.href = debriefUrl(code, 'html', { ...opts, token });
      } else location.assign(debriefUrl(code, 'html', { ...opts, token }));
    } catch (e) {
      tab?.close();
      throw e;
    }
    return;
  }
  let res: Response;
  try {
    res = await fetch(debriefUrl(code, format, opts), { headers: { authorization: `Bearer ${secret}` } });
  } catch {
    throw { code: 'NETWORK', message: 'network' } satisfies ErrorPayload;
  }
  if (!res.ok) throw { code: 'HTTP_' + res.status, message: res.statusText } satisfies ErrorPayload;
  const blob = await res.blob();
  const name = format === 'csv' ? `bamboo-${code}-${opts.part ?? 'scores'}.csv` : `bamboo-${code}.json`;
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = name;
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 60_000);
}

export function isErrorPayload(e: unknown): e is ErrorPayload {
  return typeof e === 'object' && e !== null && typeof (e as ErrorPayload).code === 'string';
}
