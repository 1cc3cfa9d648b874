// biome-ignore-all lint/suspicious/noExplicitAny: tests read decoded JSON of unknown shape
/**
 * Publishing from the workshop (issue 12, item 4) over real HTTP: POST /api/scenarios with the
 * designer credential writes the scenario into the first scenario directory, checked by the same
 * parser and limits, and GET /api/scenarios lists it at once. A running session keeps its version.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { type ColyseusTestServer, boot } from '@colyseus/testing';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { designerAuthorized } from '../../server/publish.ts';
import type { SessionRoom } from '../../server/SessionRoom.ts';
import { LAB, path } from '../helpers/scenarios.ts';

const BASE = 'http://localhost:2568';
const PASSWORD = 'correct horse battery staple';
const lab = readFileSync(path(LAB), 'utf8');
const lineOf = (text: string, needle: string) => text.slice(0, text.indexOf(needle)).split('\n').length;

async function publish(body: string | Buffer, headers: Record<string, string> = {}): Promise<{ status: number; data: any }> {
  const res = await fetch(`${BASE}/api/scenarios`, {
    method: 'POST',
    body: typeof body === 'string' ? body : new Uint8Array(body),
    headers: { 'content-type': 'application/yaml', authorization: `Bearer ${PASSWORD}`, ...headers },
  });
  return { status: res.status, data: await res.json() };
}

const list = async () => (await (await fetch(`${BASE}/api/scenarios`)).json()) as Array<{ id: string; title: string }>;

async function serve(library: string, designerPassword: string | undefined, limits?: { publish?: { limit: number; windowMs: number } }): Promise<ColyseusTestServer> {
  const { server } = createApp({
    scenarioDirs: [library],
    logger: pino({ level: 'silent' }),
    clientDir: '/nonexistent-client-dir',
    internalToken: 'test-internal-token',
    ...(designerPassword === undefined ? { designerPassword: '' } : { designerPassword }),
    watchScenarios: false,
    security: { limits: { sessions: { limit: 0, windowMs: 60_000 }, joins: { limit: 0, windowMs: 60_000 }, misses: { limit: 0, windowMs: 60_000 }, publish: { limit: 0, windowMs: 60_000 }, ...limits } },
  });
  return boot(server);
}

describe('publishing scenarios', () => {
  let colyseus: ColyseusTestServer;
  let library: string;
  beforeAll(async () => {
    library = join(mkdtempSync(join(tmpdir(), 'bamboo-publish-')), 'library'); // created by the first publish
    colyseus = await serve(library, PASSWORD);
  });
  afterAll(async () => {
    await colyseus.cleanup();
    await colyseus.shutdown();
    rmSync(join(library, '..'), { recursive: true, force: true });
  });

  it('refuses without the designer credential, or with a wrong one, in a header only', async () => {
    for (const headers of [{ authorization: '' }, { authorization: 'Bearer wrong' }, { authorization: `Basic ${PASSWORD}` }, { authorization: `Bearer ${PASSWORD}x` }]) {
      const r = await publish(lab, headers);
      expect(r.status).toBe(401);
      expect(r.data.code).toBe('unauthorized');
    }
    // A credential in the address is no credential.
    const res = await fetch(`${BASE}/api/scenarios?password=${encodeURIComponent(PASSWORD)}`, { method: 'POST', body: lab, headers: { 'content-type': 'application/yaml' } });
    expect(res.status).toBe(401);
    expect(existsSync(library)).toBe(false);
    expect((await list()).length).toBe(0);
    expect(designerAuthorized(`Bearer ${PASSWORD}`, PASSWORD)).toBe(true);
    expect(designerAuthorized('Bearer ', PASSWORD)).toBe(false);
  });

  it('refuses a bad file with each error at its line, and writes nothing', async () => {
    const bad = lab.replace('capital: beta_city', 'capital: paris');
    const r = await publish(bad);
    expect(r.status).toBe(400);
    expect(r.data.errors[0].message).toMatch(/unknown place "paris"/);
    expect(r.data.errors[0].line).toBe(lineOf(bad, 'capital: paris'));
    expect(r.data.errors[0].path).toMatch(/capital/);
    const bomb = await publish(readFileSync(path('tests/fixtures/scenarios/limits/alias-bomb.yaml'), 'utf8'));
    expect(bomb.status).toBe(400);
    expect(bomb.data.errors[0].message).toMatch(/aliases expand/);
    expect(bomb.data.errors[0].line).toBeGreaterThan(0);
    expect(existsSync(library) ? readdirSync(library) : []).toEqual([]);
    expect((await list()).length).toBe(0);
  });

  it('publishes a good file under a name made from its id, listed at once', async () => {
    const r = await publish(gzipSync(lab), { 'content-encoding': 'gzip' });
    expect(r.status).toBe(201);
    expect(r.data).toMatchObject({ id: 'rules_lab', title: 'Rules laboratory', file: 'rules_lab.yaml', replaced: false });
    expect(readdirSync(library)).toEqual(['rules_lab.yaml']);
    expect(readFileSync(join(library, 'rules_lab.yaml'), 'utf8')).toBe(lab);
    expect((await list()).map((s) => s.id)).toEqual(['rules_lab']);
    const scenario = await (await fetch(`${BASE}/api/scenarios/rules_lab`)).json();
    expect(scenario.title).toBe('Rules laboratory');
  });

  it('replaces a scenario; a running session keeps its version, and its clients can fetch it', async () => {
    const created = await (await fetch(`${BASE}/api/sessions`, { method: 'POST', body: JSON.stringify({ scenario: 'rules_lab' }), headers: { 'content-type': 'application/json' } })).json();
    const room = colyseus.getRoomById(created.roomId) as unknown as SessionRoom;
    const v1 = room.state.scenarioVersion;
    expect(v1).toMatch(/^[0-9a-f]{64}$/);

    const r = await publish(lab.replace('title: Rules laboratory', 'title: Rules laboratory, second edition'));
    expect(r.status).toBe(200);
    expect(r.data).toMatchObject({ id: 'rules_lab', file: 'rules_lab.yaml', replaced: true });
    expect(r.data.version).not.toBe(v1);
    expect(readdirSync(library)).toEqual(['rules_lab.yaml']);
    expect((await list()).map((s) => s.title)).toEqual(['Rules laboratory, second edition']);

    // The session plays on with the version it began with.
    expect(room.state.title).toBe('Rules laboratory');
    expect(room.entry.hash).toBe(v1);
    expect((await (await fetch(`${BASE}/api/scenarios/rules_lab?v=${v1}`)).json()).title).toBe('Rules laboratory');
    expect((await (await fetch(`${BASE}/api/scenarios/rules_lab?v=${r.data.version}`)).json()).title).toBe('Rules laboratory, second edition');
    expect((await (await fetch(`${BASE}/api/scenarios/rules_lab`)).json()).title).toBe('Rules laboratory, second edition');
    expect((await fetch(`${BASE}/api/scenarios/rules_lab?v=${'0'.repeat(64)}`)).status).toBe(404);
    // A new session gets the new version.
    const second = await (await fetch(`${BASE}/api/sessions`, { method: 'POST', body: JSON.stringify({ scenario: 'rules_lab' }), headers: { 'content-type': 'application/json' } })).json();
    expect((colyseus.getRoomById(second.roomId) as unknown as SessionRoom).state.title).toBe('Rules laboratory, second edition');
  });

  it('replaces the file that gives the id, whatever its name, and keeps drafts\u2019 ids for drafts', async () => {
    writeFileSync(join(library, 'my-lab.yaml'), lab.replace('id: rules_lab', 'id: my_lab'));
    const r = await publish(lab.replace('id: rules_lab', 'id: my_lab').replace('title: Rules laboratory', 'title: Mine'));
    expect(r.status).toBe(200);
    expect(r.data.file).toBe('my-lab.yaml');
    expect(readdirSync(library).sort()).toEqual(['my-lab.yaml', 'rules_lab.yaml']);
    const draftId = await publish(lab.replace('id: rules_lab', 'id: draft_mine'));
    expect(draftId.status).toBe(400);
  });

  it('caps the body like every route', async () => {
    const r = await fetch(`${BASE}/api/scenarios`, { method: 'POST', body: `${lab}# ${'x'.repeat(100_000)}\n`, headers: { 'content-type': 'application/yaml', authorization: `Bearer ${PASSWORD}` } });
    expect(r.status).toBe(413);
    const inflated = await publish(gzipSync(`${lab}# ${'x'.repeat(700_000)}\n`), { 'content-encoding': 'gzip' });
    expect(inflated.status).toBe(413);
  });
});

describe('publishing turned off, and rate limited', () => {
  let colyseus: ColyseusTestServer;
  let library: string;
  afterAll(async () => {
    await colyseus?.shutdown();
    rmSync(library, { recursive: true, force: true });
  });

  it('is off when no designer credential is set', async () => {
    library = mkdtempSync(join(tmpdir(), 'bamboo-publish-off-'));
    colyseus = await serve(library, undefined);
    const r = await publish(lab);
    expect(r.status).toBe(403);
    expect(r.data.code).toBe('publishing_off');
    expect(readdirSync(library)).toEqual([]);
    await colyseus.shutdown();
  });

  it('answers 429 past the publish limit', async () => {
    colyseus = await serve(library, PASSWORD, { publish: { limit: 2, windowMs: 60_000 } });
    expect((await publish(lab)).status).toBe(201);
    expect((await publish(lab, { authorization: 'Bearer wrong' })).status).toBe(401);
    const r = await publish(lab);
    expect(r.status).toBe(429);
    expect(r.data.code).toBe('rate_limited');
  });
});
