/**
 * Issue 10's HTTP findings, each attack replayed with a real HTTP client (fetch, or node:http where
 * fetch cannot send it) against the booted server: the matchmaker without a code (finding 1), huge
 * bodies (3), stack traces in error pages (8), no rate limits (9), headers and CORS (12).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { cwd } from 'node:process';
import { matchMaker } from '@colyseus/core';
import { boot, type ColyseusTestServer } from '@colyseus/testing';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { loadScenario, THREE } from '../helpers/scenarios.ts';
import { SCENARIO_DIRS } from './helpers.ts';

const BASE = 'http://localhost:2568';
const ALLOWED = 'https://school.example.org';
const MAX_BODY = 8 * 1024;
const LIMITS = {
  sessions: { limit: 16, windowMs: 60_000 },
  joins: { limit: 40, windowMs: 60_000 },
  misses: { limit: 8, windowMs: 60_000 },
};

let colyseus: ColyseusTestServer;
const clientDir = mkdtempSync(joinPath(tmpdir(), 'bamboo-client-'));
writeFileSync(joinPath(clientDir, 'index.html'), '<!doctype html><title>Bamboo</title>');
const scenario = loadScenario(THREE).id;

beforeAll(async () => {
  const { server } = createApp({
    scenarioDirs: SCENARIO_DIRS,
    logger: pino({ level: 'silent' }),
    clientDir,
    security: { maxBodyBytes: MAX_BODY, corsOrigins: [ALLOWED], limits: LIMITS },
  });
  colyseus = await boot(server);
});
afterAll(async () => {
  await colyseus.cleanup();
  await colyseus.shutdown();
});

const json = { 'content-type': 'application/json' };
const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(BASE + path, { method: 'POST', headers: { ...json, ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });

async function newSession(): Promise<string> {
  const res = await post('/api/sessions', { scenario });
  expect(res.status).toBe(201);
  return ((await res.json()) as { code: string }).code;
}

/** An error answer: JSON `{ error, code? }` with nothing from the server's inside. */
async function expectJsonError(res: Response, status: number): Promise<{ error: string; code?: string }> {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  const text = await res.text();
  expect(text).not.toContain(cwd());
  expect(text).not.toMatch(/node_modules|\n\s+at |<html|<pre/i);
  const body = JSON.parse(text) as { error: string; code?: string };
  expect(typeof body.error).toBe('string');
  return body;
}

/** The least `r=` (remaining) of the draft-8 RateLimit header (one entry per limiter on the route). */
function remaining(res: Response): number {
  const left = [...(res.headers.get('ratelimit') ?? '').matchAll(/;\s*r=(\d+)/g)].map((m) => Number(m[1]));
  if (left.length === 0) throw new Error(`no RateLimit header on ${res.url} (${res.status})`);
  return Math.min(...left);
}

/** Sends raw bytes with node:http (fetch always sets its own framing headers). */
function raw(method: string, path: string, headers: Record<string, string>, chunks: Buffer[] = []): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(BASE + path, { method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => {
        body += d;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    for (const c of chunks) req.write(c);
    req.end();
  });
}

describe('finding 1: the matchmaker lets no one in without the code', () => {
  it('refuses join, joinOrCreate and create over HTTP; joinById with the code still works', async () => {
    const code = await newSession(); // server-side matchMaker.createRoom still works
    const room = colyseus.getRoomById(code);
    for (const method of ['join', 'joinOrCreate', 'create']) {
      const res = await post(`/matchmake/${method}/session`, { role: 'player', name: 'Intruder' });
      expect(res.status).toBe(520);
      expect(await res.json()).toMatchObject({ code: 520 });
    }
    expect(colyseus.getRoomById(code)).toBe(room);
    expect(room.clients.length).toBe(0);
    expect(Object.keys((room as unknown as { _reservedSeats: object })._reservedSeats)).toHaveLength(0);

    const ok = await post(`/matchmake/joinById/${code}`, { role: 'spectator' });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ roomId: code, name: 'session' });
  });
});

describe('finding 3: every body is capped before it is read', () => {
  it('answers 413 JSON to a body above the cap on the matchmaker and the API', async () => {
    const code = await newSession();
    const big = JSON.stringify({ role: 'spectator', name: 'x'.repeat(4 * 1024 * 1024) });
    for (const path of [`/matchmake/joinById/${code}`, '/matchmake/joinOrCreate/session', '/api/sessions', '/api/compare']) {
      const body = await expectJsonError(await post(path, big), 413);
      expect(body.code).toBe('body_too_large');
    }
    // Just under the cap is read (and refused by validation, not by size).
    expect((await post('/api/sessions', { scenario, pad: 'x'.repeat(MAX_BODY - 100) })).status).toBe(400);
  });

  it('answers 413 to a chunked body and to a POST without Content-Length', async () => {
    const code = await newSession();
    const chunked = await raw('POST', `/matchmake/joinById/${code}`, { ...json, 'transfer-encoding': 'chunked' }, [Buffer.from('{"role":'), Buffer.from('"spectator"}')]);
    expect(chunked.status).toBe(413);
    expect(JSON.parse(chunked.body)).toMatchObject({ code: 'length_required' });
    // The same through fetch: a streamed body has no Content-Length.
    const stream = new ReadableStream({
      start(c) {
        c.enqueue(new TextEncoder().encode(JSON.stringify({ scenario })));
        c.close();
      },
    });
    const res = await fetch(`${BASE}/api/sessions`, { method: 'POST', headers: json, body: stream, duplex: 'half' } as RequestInit);
    await expectJsonError(res, 413);
  });
});

describe('finding 8: errors are JSON, without stacks or paths', () => {
  it('malformed JSON, a false Content-Encoding, a malformed path, unknown API routes', async () => {
    expect((await expectJsonError(await post('/api/sessions', '{"scenario": '), 400)).code).toBe('bad_json');
    const gz = await raw('POST', '/api/sessions', { ...json, 'content-encoding': 'gzip', 'content-length': '12' }, [Buffer.from('not gzip at ')]);
    expect(gz.status).toBe(400);
    expect(gz.headers['content-type']).toMatch(/^application\/json/);
    expect(gz.body).not.toContain(cwd());
    expect(gz.body).not.toMatch(/\n\s+at /);
    const br = await raw('POST', '/api/sessions', { ...json, 'content-encoding': 'compress', 'content-length': '2' }, [Buffer.from('{}')]);
    expect(br.status).toBe(415);
    expect(JSON.parse(br.body)).toMatchObject({ code: 'bad_encoding' });
    await expectJsonError(await fetch(`${BASE}/%`), 400);
    await expectJsonError(await fetch(`${BASE}/api/scenarios/%E0%A4%A`), 400);
    await expectJsonError(await fetch(`${BASE}/api/sessions/%`), 400);
    await expectJsonError(await fetch(`${BASE}/api/nothing-here`), 404);
    await expectJsonError(await fetch(`${BASE}/api/sessions`, { method: 'PUT', headers: json, body: '{}' }), 404);
    await expectJsonError(await fetch(`${BASE}/no-such-route`, { method: 'POST', headers: json, body: '{}' }), 404);
    await expectJsonError(await fetch(`${BASE}/%E0%A4%A`), 400);
    // The matchmaker's own errors are JSON too.
    const bad = await post('/matchmake/joinById/ZZZZZZ', '{"role":');
    expect(bad.status).toBe(400);
    expect(await bad.text()).not.toMatch(/\n\s+at /);
  });
});

describe('headers and CORS', () => {
  it('sends security headers on every response, the matchmaker and rejections included', async () => {
    const code = await newSession();
    const responses = [
      await fetch(`${BASE}/`),
      await fetch(`${BASE}/api/scenarios`),
      await post(`/matchmake/joinById/${code}`, { role: 'spectator' }),
      await post('/matchmake/joinById/ZZZZZZ', 'x'.repeat(MAX_BODY + 1)),
      await fetch(`${BASE}/matchmake/joinById/${code}`, { method: 'OPTIONS' }),
    ];
    for (const res of responses) {
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('upgrade-insecure-requests');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('x-powered-by')).toBeNull();
    }
  });

  it('does not reflect a foreign Origin; reflects a listed one', async () => {
    const code = await newSession();
    const evil = { origin: 'https://evil.example' };
    const r1 = await post(`/matchmake/joinById/${code}`, { role: 'spectator' }, evil);
    expect(r1.headers.get('access-control-allow-origin')).toBeNull();
    expect(r1.headers.get('access-control-allow-credentials')).toBeNull();
    const pre = await fetch(`${BASE}/matchmake/joinById/${code}`, { method: 'OPTIONS', headers: { ...evil, 'access-control-request-method': 'POST' } });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBeNull();
    const api = await fetch(`${BASE}/api/scenarios`, { headers: evil });
    expect(api.headers.get('access-control-allow-origin')).toBeNull();

    const good = await fetch(`${BASE}/matchmake/joinById/${code}`, { method: 'OPTIONS', headers: { origin: ALLOWED, 'access-control-request-method': 'POST' } });
    expect(good.status).toBe(204);
    expect(good.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(good.headers.get('access-control-allow-credentials')).toBe('true');
  });

  it('refuses a WebSocket upgrade from a foreign browser origin', async () => {
    const upgrade = (origin?: string) =>
      new Promise<number>((resolve, reject) => {
        const req = request(`${BASE}/some-process/some-room`, {
          headers: {
            connection: 'Upgrade',
            upgrade: 'websocket',
            'sec-websocket-version': '13',
            'sec-websocket-key': Buffer.from('0123456789abcdef').toString('base64'),
            ...(origin ? { origin } : {}),
          },
        });
        req.on('upgrade', (res, socket) => {
          socket.destroy();
          resolve(res.statusCode ?? 0);
        });
        req.on('response', (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });
    expect(await upgrade('https://evil.example')).toBe(403);
    expect(await upgrade(BASE)).toBe(101);
    expect(await upgrade(ALLOWED)).toBe(101);
    expect(await upgrade()).toBe(101); // not a browser (the SDK in Node)
  });
});

describe('finding 9: rate limits per address', () => {
  it('limits session creation with 429 JSON and Retry-After, whatever X-Forwarded-For says', async () => {
    let res = await post('/api/sessions', { scenario });
    expect(res.status).toBe(201);
    let left = remaining(res);
    for (; left > 0; left--) {
      res = await post('/api/sessions', { scenario }, { 'x-forwarded-for': `10.0.0.${left}` });
      expect(res.status).toBe(201);
    }
    for (const xff of ['10.9.9.9', '203.0.113.7']) {
      res = await post('/api/sessions', { scenario }, { 'x-forwarded-for': xff });
      expect((await expectJsonError(res, 429)).code).toBe('rate_limited');
      // A game played alone (issue 13) counts against the same limit.
      const game = await post('/api/games', { scenario, power: loadScenario(THREE).powers[0]!.id }, { 'x-forwarded-for': xff });
      expect((await expectJsonError(game, 429)).code).toBe('rate_limited');
      const retry = Number(res.headers.get('retry-after'));
      expect(retry).toBeGreaterThan(0);
      expect(retry).toBeLessThanOrEqual(60);
    }
  });

  it('limits guessing codes (lookups and joins by id) but not a class joining', async () => {
    // Successful lookups do not count as misses: a class can look its code up many times.
    const real = (await matchMaker.query({ name: 'session' }))[0]!.roomId;
    for (let i = 0; i < 12; i++) expect((await fetch(`${BASE}/api/sessions/${real}`)).status).toBe(200);

    let res = await fetch(`${BASE}/api/sessions/AAAAA2`);
    expect(res.status).toBe(404);
    let left = remaining(res);
    for (let i = 0; left > 0; i++, left--) {
      res = i % 2 ? await fetch(`${BASE}/api/sessions/AAAAA${(i % 7) + 3}`) : await post(`/matchmake/joinById/BBBBB${(i % 7) + 3}`, { role: 'spectator' });
      expect([404, 522]).toContain(res.status);
    }
    for (const attempt of [() => fetch(`${BASE}/api/sessions/CCCCC3`), () => post('/matchmake/joinById/CCCCC4', { role: 'spectator' }), () => fetch(`${BASE}/api/sessions/${real}`)]) {
      res = await attempt();
      expect((await expectJsonError(res, 429)).code).toBe('rate_limited');
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    }
  });

  it('limits the number of joins per address', async () => {
    const res = await post('/matchmake/reconnect/ZZZZZZ', { reconnectionToken: 'x' });
    let left = remaining(res);
    let last = res;
    for (; left > 0; left--) last = await post('/matchmake/reconnect/ZZZZZZ', { reconnectionToken: 'x' });
    expect(last.status).not.toBe(429);
    last = await post('/matchmake/reconnect/ZZZZZZ', { reconnectionToken: 'x' });
    expect((await expectJsonError(last, 429)).code).toBe('rate_limited');
  });
});
