/**
 * Rate limits are keyed by the client's address: the socket's peer, unless TRUST_PROXY says to
 * believe the proxy's X-Forwarded-For. The gate alone, on a free port, in front of a stub.
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveSecurity } from '../../server/http/config.ts';
import { corsPolicy } from '../../server/http/cors.ts';
import { GatedServer, installGate } from '../../server/http/gate.ts';

let server: GatedServer | undefined;
afterEach(async () => {
  server?.close();
  server = undefined;
});

async function start(trustProxy: false | number): Promise<string> {
  const security = resolveSecurity({ trustProxy, limits: { misses: { limit: 3, windowMs: 60_000 } } }, {});
  server = new GatedServer((_req, res) => {
    res.statusCode = 404;
    res.end('{}');
  });
  installGate(server, security, corsPolicy([]), pino({ level: 'silent' }));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const guess = (base: string, xff?: string) => fetch(`${base}/api/sessions/ZZZZZ2`, { headers: xff ? { 'x-forwarded-for': xff } : {} });

describe('client address', () => {
  it('ignores X-Forwarded-For by default: a spoofed header does not get new tries', async () => {
    const base = await start(false);
    for (let i = 0; i < 3; i++) expect((await guess(base, `198.51.100.${i}`)).status).toBe(404);
    expect((await guess(base, '198.51.100.99')).status).toBe(429);
  });

  it('with TRUST_PROXY, keys each client by the address the proxy appended', async () => {
    const base = await start(1);
    for (let i = 0; i < 3; i++) expect((await guess(base, '1.1.1.1, 203.0.113.5')).status).toBe(404);
    expect((await guess(base, '9.9.9.9, 203.0.113.5')).status).toBe(429); // the spoofed left part is ignored
    expect((await guess(base, '203.0.113.6')).status).toBe(404); // another client behind the proxy
  });

  it('reads the settings from the environment', () => {
    const s = resolveSecurity({}, { TRUST_PROXY: 'true', CORS_ORIGINS: 'https://a.example, http://localhost:5173/', RATE_LIMIT_JOINS: '50/30', RATE_LIMIT_MISSES: 'off', MAX_BODY_BYTES: '1000' });
    expect(s.trustProxy).toBe(1);
    expect(s.corsOrigins).toEqual(['https://a.example', 'http://localhost:5173']);
    expect(s.limits.joins).toEqual({ limit: 50, windowMs: 30_000 });
    expect(s.limits.misses.limit).toBe(0);
    expect(s.maxBodyBytes).toBe(1000);
    expect(() => resolveSecurity({}, { RATE_LIMIT_SESSIONS: 'lots' })).toThrow(/RATE_LIMIT_SESSIONS/);
  });
});
