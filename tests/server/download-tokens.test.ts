/**
 * Issue 10, finding 12 (last part): no secret in any address. The debrief page and its exports,
 * opened in a tab or downloaded, use single-use tokens obtained with the secret in a header. The
 * tokens live in Colyseus presence, but the debrief is built from the record: run against both of
 * its backends (issue 14), a SQLite file and a database on a throwaway PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ask, createSession, join as joinRoom } from './helpers.ts';
import { api, bootPersistent, type PersistentServer, recordBackends, settled, stopPersistent } from './persistence-helpers.ts';

const BASE = 'http://localhost:2568';
const record = recordBackends('bamboo-tokens-');

describe.each(record.backends)('debrief links, in $name', (backend) => {
  let t: PersistentServer;
  beforeAll(async () => {
    t = await bootPersistent(await record.fresh(backend, 'tokens'));
  });
  afterAll(() => stopPersistent(t));

  it('refuse the secret in the query string and take a single-use token instead', async () => {
    const s = await createSession(t.colyseus, { scenario: 'tern_islands', settings: { negotiationSeconds: 0, ordersSeconds: 0 } });
    const fac = await joinRoom(t.colyseus, s.code, { role: 'facilitator', secret: s.secret });
    await ask(fac, 'fac_start', {});
    await settled(t.persistence);
    const path = `/api/sessions/${s.code}`;

    // The old way: the secret in the address (kept in history, logs and Referer) no longer works.
    expect((await api(BASE, `${path}/debrief?secret=${encodeURIComponent(s.secret)}`)).status).toBe(401);
    expect((await api(BASE, `${path}/debrief.csv?secret=${encodeURIComponent(s.secret)}&part=scores`)).status).toBe(401);

    // A token needs the secret (in a header), and is refused without it.
    expect((await api(BASE, `${path}/downloads`, { method: 'POST' })).status).toBe(401);
    expect((await api(BASE, `${path}/downloads`, { method: 'POST', secret: 'wrong-secret-xyz' })).status).toBe(401);
    const { status, data } = await api(BASE, `${path}/downloads`, { method: 'POST', secret: s.secret });
    expect(status).toBe(201);
    expect(data.token).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(data.expiresIn).toBeLessThanOrEqual(60);

    // Used once, then gone.
    const page = await api(BASE, `${path}/debrief?token=${data.token}`);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain(s.secret);
    expect((await api(BASE, `${path}/debrief?token=${data.token}`)).status).toBe(401);

    // The page's own links carry fresh tokens, each good once.
    const links = [...page.text.matchAll(/href="([^"]*debrief\.csv[^"]*)"/g)].map((m) => m[1]!.replaceAll('&amp;', '&'));
    expect(links.length).toBeGreaterThan(3);
    expect(new Set(links.map((l) => new URL(l, BASE).searchParams.get('token'))).size).toBe(links.length);
    const csv = await api(BASE, links[0]!);
    expect(csv.status).toBe(200);
    expect((await api(BASE, links[0]!)).status).toBe(401);

    // A token names one session.
    const other = await createSession(t.colyseus, { scenario: 'tern_islands' });
    await settled(t.persistence);
    const { data: mine } = await api(BASE, `${path}/downloads`, { method: 'POST', secret: s.secret });
    expect((await api(BASE, `/api/sessions/${other.code}/debrief.json?token=${mine.token}`)).status).toBe(401);

    // With the secret in a header, as before.
    expect((await api(BASE, `${path}/debrief.json`, { secret: s.secret })).status).toBe(200);
  });
});
