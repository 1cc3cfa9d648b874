/**
 * Operations and the HTTP API: health, scenarios, sessions, the built client with its SPA fallback,
 * and the Colyseus monitor behind the admin credential.
 */
import { get } from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { boot, type ColyseusTestServer } from '@colyseus/testing';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import type { ScenarioSummary } from '../../shared/protocol.ts';
import { loadScenario, THREE } from '../helpers/scenarios.ts';
import { SCENARIO_DIRS } from './helpers.ts';

let colyseus: ColyseusTestServer;
const clientDir = mkdtempSync(joinPath(tmpdir(), 'bamboo-client-'));
writeFileSync(joinPath(clientDir, 'index.html'), '<!doctype html><title>Bamboo</title>');
writeFileSync(joinPath(clientDir, 'app.js'), 'console.log(1)');

beforeAll(async () => {
  const { server } = createApp({
    scenarioDirs: SCENARIO_DIRS,
    logger: pino({ level: 'silent' }),
    clientDir,
    monitorPassword: 'let-me-in',
  });
  colyseus = await boot(server);
});
afterAll(async () => {
  await colyseus.cleanup();
  await colyseus.shutdown();
});

async function status(p: Promise<unknown>): Promise<number> {
  try {
    const r = (await p) as { statusCode: number };
    return r.statusCode;
  } catch (e) {
    return (e as { statusCode: number }).statusCode;
  }
}

describe('HTTP', () => {
  it('answers health checks and lists the scenarios', async () => {
    expect((await colyseus.http.get('/healthz')).data).toMatchObject({ ok: true });
    const list = (await colyseus.http.get('/api/scenarios')).data as ScenarioSummary[];
    const three = loadScenario(THREE);
    const entry = list.find((s) => s.id === three.id)!;
    expect(entry.powers.map((p) => p.id)).toEqual(three.powers.map((p) => p.id));
    // A scenario for clients carries no secret objective.
    const full = (await colyseus.http.get(`/api/scenarios/${three.id}`)).data as typeof three;
    const secrets = three.powers.flatMap((p) => p.objectives.filter((o) => o.secret).map((o) => o.text));
    expect(secrets.length).toBeGreaterThan(0);
    for (const text of secrets) expect(JSON.stringify(full)).not.toContain(text);
    expect(await status(colyseus.http.get('/api/scenarios/nope'))).toBe(404);
    // Fetched once: a browser's revalidation with the ETag gets 304 and no body. (Node's fetch adds
    // `Cache-Control: no-cache` to a hand-made conditional request, as the Fetch standard says, so this
    // asks with node:http, as a browser's cache does.)
    const url = `http://localhost:2568/api/scenarios/${three.id}`;
    const first = await fetch(url);
    expect(first.headers.get('cache-control')).toBe('no-cache');
    const etag = first.headers.get('etag');
    expect(etag).toBeTruthy();
    const again = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      get(url, { headers: { 'if-none-match': etag! } }, (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      }).on('error', reject);
    });
    expect(again.status).toBe(304);
    expect(again.body).toBe('');
  });

  it('creates sessions and finds them by code, and refuses bad requests', async () => {
    const three = loadScenario(THREE);
    const bad = [{}, { scenario: 'nope' }, { scenario: three.id, tables: 99 }, { scenario: three.id, extra: 1 }];
    for (const body of bad) {
      expect(await status(colyseus.http.post('/api/sessions', { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }))).toBe(400);
    }
    const res = await colyseus.http.post('/api/sessions', { body: JSON.stringify({ scenario: three.id, tables: 3 }), headers: { 'content-type': 'application/json' } });
    expect(res.statusCode).toBe(201);
    const { code, secret } = res.data as { code: string; secret: string };
    expect(code).toMatch(/^[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{6}$/);
    expect(secret.length).toBeGreaterThanOrEqual(20);
    const info = (await colyseus.http.get(`/api/sessions/${code}`)).data as { tables: string[]; scenario: string };
    expect(info).toMatchObject({ scenario: three.id, tables: ['t1', 't2', 't3'] });
    expect(await status(colyseus.http.get('/api/sessions/ZZZZZZ'))).toBe(404);
    expect(await status(colyseus.http.get('/api/sessions/x'))).toBe(404);
  });

  it('serves the built client with an SPA fallback', async () => {
    expect(String((await colyseus.http.get('/')).data)).toContain('<title>Bamboo</title>');
    expect(String((await colyseus.http.get('/app.js')).data)).toContain('console.log');
    expect(String((await colyseus.http.get('/join/ABCDEF')).data)).toContain('<title>Bamboo</title>');
    expect(await status(colyseus.http.get('/api/nothing-here'))).toBe(404);
  });

  it('puts the monitor behind the admin credential', async () => {
    expect(await status(colyseus.http.get('/colyseus'))).toBe(401);
    expect(await status(colyseus.http.get('/colyseus', { headers: { authorization: 'Basic ' + Buffer.from('admin:wrong').toString('base64') } }))).toBe(401);
    const ok = await status(colyseus.http.get('/colyseus', { headers: { authorization: 'Basic ' + Buffer.from('admin:let-me-in').toString('base64') } }));
    expect(ok).toBe(200);
  });
});
