// biome-ignore-all lint/suspicious/noExplicitAny: tests read decoded JSON of unknown shape
/**
 * The server watches its scenario directories (issue 12, item 4): with a real file change in a temp
 * directory, a new file is offered, a changed one replaced, a removed one withdrawn, without a restart;
 * a broken file is logged with its errors and skipped, and the server goes on. A running session keeps
 * the version it began with, and its clients can still fetch that version.
 */
import { cpSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { type ColyseusTestServer, boot } from '@colyseus/testing';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { scenarioContent } from '../../server/persistence/recorder.ts';
import type { SessionRoom } from '../../server/SessionRoom.ts';
import { LAB, path, THREE } from '../helpers/scenarios.ts';

const BASE = 'http://localhost:2568';
const lab = readFileSync(path(LAB), 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'bamboo-watch-'));
const logs: any[] = [];
let colyseus: ColyseusTestServer;

const list = async () => (await (await fetch(`${BASE}/api/scenarios`)).json()) as Array<{ id: string; title: string }>;

/** Polls the HTTP list until `check` holds (the watcher debounces, then rescans). */
async function eventually(check: (l: Array<{ id: string; title: string }>) => boolean, what: string): Promise<Array<{ id: string; title: string }>> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const l = await list();
    if (check(l)) return l;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(l)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

beforeAll(async () => {
  cpSync(path(THREE), join(dir, 'three.yaml'));
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) logs.push(JSON.parse(line));
      done();
    },
  });
  const { server } = createApp({
    scenarioDirs: [dir],
    logger: pino({ level: 'info' }, sink),
    clientDir: '/nonexistent-client-dir',
    internalToken: 'test-internal-token',
    watchScenarios: 50,
    security: { limits: { sessions: { limit: 0, windowMs: 60_000 }, joins: { limit: 0, windowMs: 60_000 }, misses: { limit: 0, windowMs: 60_000 } } },
  });
  colyseus = await boot(server);
});
afterAll(async () => {
  await colyseus.cleanup();
  await colyseus.shutdown();
  rmSync(dir, { recursive: true, force: true });
});

describe('watching the scenario directories', () => {
  it('offers a new file, replaces a changed one, skips a broken one and withdraws a removed one', async () => {
    expect((await list()).map((s) => s.id)).toEqual(['tern_islands']);

    // Added: written elsewhere and moved in, as a copy or an editor's save does.
    writeFileSync(join(dir, '.lab.partial'), lab);
    renameSync(join(dir, '.lab.partial'), join(dir, 'lab.yaml'));
    await eventually((l) => l.some((s) => s.id === 'rules_lab'), 'the new file');

    // A session begins with this version.
    const created = await (await fetch(`${BASE}/api/sessions`, { method: 'POST', body: JSON.stringify({ scenario: 'rules_lab' }), headers: { 'content-type': 'application/json' } })).json();
    const room = colyseus.getRoomById(created.roomId) as unknown as SessionRoom;
    const v1 = room.state.scenarioVersion;
    // The same hash as the record keeps the content by.
    expect(v1).toBe(scenarioContent(room.entry.scenario).hash);

    // Changed in place.
    writeFileSync(join(dir, 'lab.yaml'), lab.replace('title: Rules laboratory', 'title: Rules laboratory, edited'));
    await eventually((l) => l.some((s) => s.title === 'Rules laboratory, edited'), 'the changed file');
    expect(room.state.title).toBe('Rules laboratory');
    expect(room.entry.hash).toBe(v1);
    expect((await (await fetch(`${BASE}/api/scenarios/rules_lab?v=${v1}`)).json()).title).toBe('Rules laboratory');
    expect(logs.some((l) => l.msg === 'scenarios changed' && l.changed?.includes('rules_lab'))).toBe(true);

    // Broken: logged with its errors (file, line, path) and skipped; the others stay.
    writeFileSync(join(dir, 'broken.yaml'), lab.replace('id: rules_lab', 'id: broken_lab').replace('capital: beta_city', 'capital: paris'));
    await (async () => {
      const deadline = Date.now() + 10_000;
      while (!logs.some((l) => l.msg === 'scenario file rejected' && String(l.file).endsWith('broken.yaml'))) {
        if (Date.now() > deadline) throw new Error('the broken file was not logged');
        await new Promise((r) => setTimeout(r, 25));
      }
    })();
    const rejected = logs.find((l) => l.msg === 'scenario file rejected' && String(l.file).endsWith('broken.yaml'));
    expect(rejected.errors.join('\n')).toMatch(/broken\.yaml:\d+:\d+: .*capital.*unknown place "paris"/);
    expect((await list()).map((s) => s.id).sort()).toEqual(['rules_lab', 'tern_islands']);
    expect((await fetch(`${BASE}/healthz`)).status).toBe(200);

    // Fixed: offered.
    writeFileSync(join(dir, 'broken.yaml'), lab.replace('id: rules_lab', 'id: broken_lab'));
    await eventually((l) => l.some((s) => s.id === 'broken_lab'), 'the fixed file');

    // Removed: withdrawn from the list; the running session plays on with its version.
    rmSync(join(dir, 'lab.yaml'));
    await eventually((l) => !l.some((s) => s.id === 'rules_lab'), 'the removed file');
    expect((await list()).map((s) => s.id).sort()).toEqual(['broken_lab', 'tern_islands']);
    expect(room.state.title).toBe('Rules laboratory');
    expect((await (await fetch(`${BASE}/api/scenarios/rules_lab?v=${v1}`)).json()).title).toBe('Rules laboratory');
    expect((await fetch(`${BASE}/api/scenarios/rules_lab`)).status).toBe(404);
    const refused = await fetch(`${BASE}/api/sessions`, { method: 'POST', body: JSON.stringify({ scenario: 'rules_lab' }), headers: { 'content-type': 'application/json' } });
    expect(refused.status).toBe(400);
  });
});
