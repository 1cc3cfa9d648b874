// biome-ignore-all lint/suspicious/noExplicitAny: tests read decoded JSON of unknown shape
/**
 * Test helpers for the server suite: boot a real server on the test port, create sessions over HTTP
 * and join with real SDK clients over WebSocket.
 */
import type { Room as SdkRoom } from '@colyseus/sdk';
import { type ColyseusTestServer, boot } from '@colyseus/testing';
import pino from 'pino';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { CreateSessionRequest, CreateSessionResponse, ErrorPayload, JoinOptions } from '../../shared/protocol.ts';
import { type AppOptions, createApp } from '../../server/app.ts';
import { tableView } from '../../shared/wire/view.ts';
import type { Scenario } from '../../shared/index.ts';
import { MemoryRecorder } from '../../server/recorder.ts';
import type { SessionRoom } from '../../server/SessionRoom.ts';

export const SCENARIO_DIRS = ['scenarios', 'tests/fixtures/scenarios'];

export interface TestServer {
  colyseus: ColyseusTestServer;
  recorder: MemoryRecorder;
}

export async function bootServer(overrides: Partial<AppOptions> = {}): Promise<TestServer> {
  const recorder = new MemoryRecorder();
  const { server } = createApp({
    ...overrides,
    scenarioDirs: SCENARIO_DIRS,
    recorder,
    logger: overrides.logger ?? pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    clientDir: '/nonexistent-client-dir',
    internalToken: 'test-internal-token',
    // One test address creates far more sessions than a teacher would: the HTTP rate limits are
    // tested on their own in http-security.test.ts.
    security: { limits: { sessions: { limit: 0, windowMs: 60_000 }, joins: { limit: 0, windowMs: 60_000 }, misses: { limit: 0, windowMs: 60_000 } } },
  });
  const colyseus = await boot(server);
  return { colyseus, recorder };
}

/**
 * Boots one test server for a test file and registers its hooks: rooms are cleaned up after each
 * test (`each`) or only at the end (`end`, for files whose tests share rooms), and the server shut
 * down after all. The returned object is filled in before the first test runs.
 */
export function useServer(cleanup: 'each' | 'end' = 'each', overrides: Partial<AppOptions> = {}): TestServer {
  const t = {} as TestServer;
  beforeAll(async () => {
    Object.assign(t, await bootServer(overrides));
  });
  if (cleanup === 'each') afterEach(() => t.colyseus.cleanup());
  afterAll(async () => {
    if (cleanup === 'end') await t.colyseus.cleanup();
    await t.colyseus.shutdown();
  });
  return t;
}

export interface Session extends CreateSessionResponse {
  room: SessionRoom;
}

export async function createSession(colyseus: ColyseusTestServer, body: CreateSessionRequest): Promise<Session> {
  const res = await colyseus.http.post('/api/sessions', { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  const data = res.data as CreateSessionResponse;
  const room = colyseus.getRoomById(data.roomId) as unknown as SessionRoom;
  return { ...data, room };
}

export type Client = SdkRoom;

/** Every message each test client received, in order. */
export const inbox = new WeakMap<Client, { type: string; payload: any }[]>();

export async function join(colyseus: ColyseusTestServer, code: string, options: JoinOptions): Promise<Client> {
  const room = await colyseus.sdk.joinById(code, options);
  listen(room);
  await room.waitForInitialState();
  return room;
}

export function listen(room: Client): void {
  const box: { type: string; payload: any }[] = [];
  inbox.set(room, box);
  room.onMessage('*', (type, payload) => {
    box.push({ type: String(type), payload });
  });
}

export function messages(client: Client, type?: string): any[] {
  return (inbox.get(client) ?? []).filter((m) => type === undefined || m.type === type).map((m) => m.payload);
}

/** Polls until `cond()` holds (the clients receive patches asynchronously). */
export async function until(cond: () => boolean, what = 'condition', timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Sends a message as a request: resolves once the server handled it, or rejects with its ErrorPayload. */
export async function ask(client: Client, type: string, payload?: unknown): Promise<unknown> {
  try {
    return await client.request(type as never, payload as never);
  } catch (e) {
    const reason = (e as { reason?: ErrorPayload }).reason;
    if (reason) throw Object.assign(new Error(`${reason.code}: ${reason.message}`), { payload: reason });
    throw e;
  }
}

/** The error code a request is refused with ('' if it was accepted). */
export async function refusal(client: Client, type: string, payload?: unknown): Promise<string> {
  try {
    await ask(client, type, payload);
    return '';
  } catch (e) {
    const p = (e as { payload?: ErrorPayload }).payload;
    if (!p) throw e;
    return p.code;
  }
}

/** Everything a client has decoded so far, as plain JSON. */
export function decoded(client: Client): any {
  return (client.state as { toJSON(): unknown }).toJSON();
}

export function table(client: Client, id = 't1'): any {
  return decoded(client).tables[id];
}

/** The client's own participant entry, with the draft it last saved (from `drafts`). */
export function me(client: Client): any {
  const s = decoded(client);
  const p: any = Object.values(s?.participants ?? {}).find((x: any) => x.sessionId === client.sessionId);
  if (!p) return p;
  const draft = s?.drafts?.[p.id]?.text;
  return draft === undefined ? p : { ...p, draft };
}

/** The PlayerView this client can rebuild for a table: its own power's, the facilitator's, else the public one. */
export function myView(client: Client, tableId = 't1', scenario?: Scenario): any {
  return viewAs(client, tableId, undefined, scenario);
}

/** The PlayerView rebuilt from what this client decoded, for one viewer (default: as the client's role allows). */
export function viewAs(client: Client, tableId = 't1', viewer?: string, scenario?: Scenario): any {
  const state = decoded(client);
  const p = me(client);
  const who = viewer ?? (p?.role === 'facilitator' ? 'facilitator' : p?.power || 'spectator');
  return tableView(state, tableId, who, scenario);
}
