/**
 * The Bamboo half of the load bench: sessions over HTTP, one facilitator and 4 students per table
 * joining with the SDK, the start, whole games driven by Student, and what was received, by turn.
 */
import type { Client as SdkClient } from '@colyseus/sdk';
import type { Scenario } from '#shared/index.ts';
import type { CreateSessionResponse } from '#shared/protocol.ts';
import type { Metrics } from './metrics.ts';
import { tableIds, tableOf } from './observe.ts';
import { type RoomLike, Student } from './student.ts';
import { counterFor, type FrameCounter } from './ws-bytes.ts';

export const TABLES_PER_SESSION = 6;

type ClientCtor = new (url: string) => SdkClient;

export async function pool<T>(items: T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

/** The facilitator's connection: starts the tables, ends a phase that stalls, counts its bytes by turn. */
export class Facilitator {
  readonly bytesByTurn = new Map<number, number>();
  joinBytes = 0;
  maxTurn = 0;
  ended = false;
  stallsEnded = 0;
  private seen = new Map<string, { key: string; since: number }>();

  readonly room: RoomLike;
  readonly counter: FrameCounter;

  constructor(room: RoomLike, counter: FrameCounter) {
    this.room = room;
    this.counter = counter;
    counter.onFrame = (n) => {
      const bucket = this.ended ? -1 : this.maxTurn;
      this.bytesByTurn.set(bucket, (this.bytesByTurn.get(bucket) ?? 0) + n);
    };
    room.onMessage('*', () => {});
    room.onStateChange((state) => {
      if (this.joinBytes === 0) this.joinBytes = counter.bytes;
      this.update(state);
    });
    this.update(room.state);
  }

  private update(state: unknown): void {
    if (!state) return;
    const ids = tableIds(state);
    let max = 0;
    let ended = ids.length > 0;
    for (const id of ids) {
      const t = tableOf(state, id);
      max = Math.max(max, t?.turn ?? 0);
      if (t?.status !== 'ended') ended = false;
    }
    this.maxTurn = Math.max(this.maxTurn, max);
    this.ended = ended;
  }

  tables(): { id: string; turn: number; phase: string; status: string }[] {
    return tableIds(this.room.state).map((id) => ({ id, ...tableOf(this.room.state, id)! }));
  }

  completedTurns(): number[] {
    const out: number[] = [];
    for (let t = 1; t <= this.maxTurn; t++) if (t < this.maxTurn || this.ended) out.push(t);
    return out;
  }

  /** Ends the phase of a table that has not moved for `stallMs` (a refused `ready` would block it). */
  async watch(metrics: Metrics, stallMs: number): Promise<void> {
    const now = Date.now();
    for (const t of this.tables()) {
      if (t.status !== 'running') continue;
      const key = `${t.turn}/${t.phase}`;
      const s = this.seen.get(t.id);
      if (!s || s.key !== key) this.seen.set(t.id, { key, since: now });
      else if (now - s.since > stallMs) {
        this.stallsEnded++;
        this.seen.set(t.id, { key, since: now });
        await metrics.send(this.room, 'fac_end_phase', { table: t.id });
      }
    }
  }
}

export interface BambooSetup {
  facilitators: Facilitator[];
  students: Student[];
  joinSeconds: number;
  /** Sessions per hosting process (`host:port/processId` of their WebSocket). */
  hosts: Map<string, number>;
}

export async function createAndJoin(opts: {
  /** One server, or several processes of one deployment: session i is created and joined through urls[i % n]. */
  urls: string[];
  Client: ClientCtor;
  scenarioId: string;
  tables: number;
  joinConcurrency: number;
  log: (s: string) => void;
}): Promise<BambooSetup> {
  const sessions: { code: string; secret: string; tables: number; url: string }[] = [];
  for (let left = opts.tables; left > 0; left -= TABLES_PER_SESSION) {
    const tables = Math.min(TABLES_PER_SESSION, left);
    const url = opts.urls[sessions.length % opts.urls.length]!;
    const res = await fetch(`${url}/api/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ scenario: opts.scenarioId, tables, settings: { negotiationSeconds: 0, ordersSeconds: 0, seating: 'auto' } }),
    });
    if (res.status !== 201) throw new Error(`POST /api/sessions: ${res.status} ${await res.text()}`);
    const body = (await res.json()) as CreateSessionResponse;
    sessions.push({ code: body.code, secret: body.secret, tables, url });
  }
  const t0 = performance.now();
  const clients = new Map(opts.urls.map((u) => [u, new opts.Client(u)]));
  const facilitators: Facilitator[] = [];
  const students: Student[] = [];
  const hosts = new Map<string, number>();
  await pool(sessions, Math.max(1, Math.ceil(opts.joinConcurrency / 4)), async (s) => {
    const client = clients.get(s.url)!;
    const fr = (await client.joinById(s.code, { role: 'facilitator', secret: s.secret })) as unknown as RoomLike;
    const f = new Facilitator(fr, counterFor(fr.sessionId));
    facilitators.push(f);
    // Where the session is hosted (the process that created it): the WebSocket's host:port/processId.
    const ws = String((fr as unknown as { connection?: { transport?: { ws?: { url?: string } } } }).connection?.transport?.ws?.url ?? '');
    const host = /^wss?:\/\/(.+)\/[^/]+$/.exec(ws.split('?')[0] ?? '')?.[1] ?? 'unknown';
    hosts.set(host, (hosts.get(host) ?? 0) + 1);
    const names = Array.from({ length: s.tables * 4 }, (_, i) => `Student ${s.code} ${i + 1}`);
    await pool(names, 4, async (name) => {
      const room = (await client.joinById(s.code, { role: 'player', name })) as unknown as RoomLike;
      const st = new Student(room, counterFor(room.sessionId));
      students.push(st);
    });
  });
  const joinSeconds = (performance.now() - t0) / 1000;
  opts.log(`joined ${students.length} students and ${facilitators.length} facilitators in ${joinSeconds.toFixed(1)} s`);
  if (opts.urls.length > 1 || hosts.size > 1) opts.log(`sessions by hosting process: ${[...hosts].map(([h, n]) => `${h} ${n}`).join(', ')}`);
  // Everyone seated (auto seating) before the start.
  const deadline = Date.now() + 30_000;
  while (students.some((s) => !s.seat) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  const unseated = students.filter((s) => !s.seat).length;
  if (unseated) opts.log(`warning: ${unseated} students not seated after 30 s`);
  return { facilitators, students, joinSeconds, hosts };
}

export async function playGames(
  setup: BambooSetup,
  o: { scenario: Scenario; thinkMin: number; thinkMax: number; metrics: Metrics; durationMs: number; stallMs: number; log: (s: string) => void },
): Promise<{ seconds: number; stoppedByDuration: boolean }> {
  let stopped = false;
  const t0 = performance.now();
  for (const f of setup.facilitators) {
    const r = await o.metrics.send(f.room, 'fac_start', {});
    if (!r.ok) o.log(`fac_start refused: ${JSON.stringify(r)}`);
  }
  const plays = setup.students.map((s) =>
    s.play({ scenario: o.scenario, thinkMin: o.thinkMin, thinkMax: o.thinkMax, metrics: o.metrics, stopped: () => stopped }).catch((e) => {
      o.metrics.noteError(`student loop: ${String(e).slice(0, 80)}`);
    }),
  );
  let stoppedByDuration = false;
  const timer = setInterval(() => {
    for (const f of setup.facilitators) void f.watch(o.metrics, o.stallMs);
    const turns = setup.facilitators.map((f) => f.maxTurn);
    const ended = setup.students.filter((s) => s.ended).length;
    o.log(
      `  t=${((performance.now() - t0) / 1000).toFixed(0)}s sent=${o.metrics.sent} turn(max per session)=${Math.min(...turns)}..${Math.max(...turns)} students done=${ended}/${setup.students.length}`,
    );
  }, 10_000);
  const stopTimer = setTimeout(() => {
    stoppedByDuration = true;
    stopped = true;
  }, o.durationMs);
  await Promise.all(plays);
  stopped = true;
  // The facilitators' sockets may get the last patch a little after the students'.
  const settle = Date.now() + 5000;
  while (!stoppedByDuration && setup.facilitators.some((f) => !f.ended) && Date.now() < settle) await new Promise((r) => setTimeout(r, 50));
  clearTimeout(stopTimer);
  clearInterval(timer);
  return { seconds: (performance.now() - t0) / 1000, stoppedByDuration };
}
