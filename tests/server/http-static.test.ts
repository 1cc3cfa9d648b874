/**
 * Issue 9, item 4: the built client and the map data are sent compressed (the build's brotli and gzip
 * files first, else on the fly), Vite's hashed assets are immutable, index.html and the SPA fallback
 * are revalidated. Checked with fetch against the booted server.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { boot, type ColyseusTestServer } from '@colyseus/testing';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { precompress } from '../../server/http/precompress.ts';
import { IMMUTABLE } from '../../server/http/static.ts';
import { SCENARIO_DIRS } from './helpers.ts';

const BASE = 'http://localhost:2568';
const dir = mkdtempSync(joinPath(tmpdir(), 'bamboo-client-'));
const INDEX = `<!doctype html><title>Bamboo</title>${'<!-- padding -->'.repeat(100)}`;
const APP = `console.log(${JSON.stringify('bamboo '.repeat(5000))});`;
const MAP = JSON.stringify({ type: 'Topology', arcs: Array.from({ length: 3000 }, (_, i) => [i, i * 2, i * 3]) });
const LATE = `export const late = ${JSON.stringify('x'.repeat(4000))};`;
mkdirSync(joinPath(dir, 'assets'));
writeFileSync(joinPath(dir, 'index.html'), INDEX);
writeFileSync(joinPath(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
writeFileSync(joinPath(dir, 'assets', 'index-Ab12Cd34.js'), APP);
writeFileSync(joinPath(dir, 'assets', 'countries-50m-Xy98Zw76.json'), MAP);

let colyseus: ColyseusTestServer;
beforeAll(async () => {
  const results = await precompress(dir);
  expect(results.find((r) => r.file === 'assets/index-Ab12Cd34.js')?.br).toBeLessThan(APP.length / 10);
  // A file the build step did not see (as after a bare `vite build`): compressed on the fly instead.
  writeFileSync(joinPath(dir, 'assets', 'late-Qq11Rr22.js'), LATE);
  const { server } = createApp({ scenarioDirs: SCENARIO_DIRS, logger: pino({ level: 'silent' }), clientDir: dir });
  colyseus = await boot(server);
});
afterAll(async () => {
  await colyseus.cleanup();
  await colyseus.shutdown();
});

const get = (path: string, encoding: string) => fetch(BASE + path, { headers: { 'accept-encoding': encoding } });

describe('static files', () => {
  it('sends the precompressed brotli or gzip file, or the plain one, with the same content', async () => {
    for (const [path, content] of [
      ['/assets/index-Ab12Cd34.js', APP],
      ['/assets/countries-50m-Xy98Zw76.json', MAP],
    ] as const) {
      for (const [accept, encoding] of [
        ['gzip, deflate, br', 'br'],
        ['gzip', 'gzip'],
        ['identity', null],
      ] as const) {
        const res = await get(path, accept);
        expect(res.status).toBe(200);
        expect(res.headers.get('content-encoding')).toBe(encoding);
        expect(res.headers.get('vary')).toMatch(/Accept-Encoding/i);
        expect(res.headers.get('cache-control')).toBe(IMMUTABLE);
        expect(await res.text()).toBe(content); // fetch decodes br and gzip
      }
    }
    const js = await get('/assets/index-Ab12Cd34.js', 'br');
    expect(js.headers.get('content-type')).toMatch(/javascript/);
    expect(Number(js.headers.get('content-length'))).toBeLessThan(APP.length / 10);
  });

  it('compresses on the fly what was not precompressed, and the API', async () => {
    const late = await get('/assets/late-Qq11Rr22.js', 'br');
    expect(late.headers.get('content-encoding')).toBe('br');
    expect(late.headers.get('cache-control')).toBe(IMMUTABLE);
    expect(await late.text()).toBe(LATE);
    const api = await get('/api/scenarios', 'gzip');
    expect(api.headers.get('content-encoding')).toBe('gzip');
    expect(Array.isArray(await api.json())).toBe(true);
  });

  it('revalidates index.html, the SPA fallback and unhashed files; 404 JSON for a missing asset', async () => {
    for (const path of ['/', '/index.html', '/join/ABCDEF', '/console/XYZ']) {
      const res = await get(path, 'br, gzip');
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(res.headers.get('content-type')).toMatch(/text\/html/);
      expect(res.headers.get('content-encoding')).toBe('br');
      expect(await res.text()).toBe(INDEX);
      expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    }
    const etag = (await get('/', 'br')).headers.get('etag');
    expect(etag).toBeTruthy();
    // node:http: fetch adds Cache-Control: no-cache to a conditional request, which forbids a 304.
    const revalidated = await new Promise<number>((resolve, reject) =>
      httpGet(`${BASE}/`, { headers: { 'accept-encoding': 'br', 'if-none-match': etag! } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      }).on('error', reject),
    );
    expect(revalidated).toBe(304);
    expect((await get('/favicon.svg', 'br')).headers.get('cache-control')).toBe('no-cache');
    const missing = await get('/assets/index-Gone0000.js', 'br');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ code: 'not_found' });
    const bad = await get('/%', 'br');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: 'bad_uri' });
  });
});
