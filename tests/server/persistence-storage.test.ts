/**
 * Storage while games run: a full database (a real SQLITE_FULL, injected with max_page_count) keeps
 * the game going in memory, tells the facilitator, and writes the queued record once space is back.
 * Deleting a session (the teacher, with the secret) and purging old sessions (retention), and the
 * debrief's exports behind the secret.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqliteDatabase } from '../../server/persistence/sqlite.ts';
import { verifyTable } from '../../server/persistence/verify.ts';
import { ask, createSession, join as joinRoom, messages, until } from './helpers.ts';
import { api, bootPersistent, type PersistentServer, settled, tempDir } from './persistence-helpers.ts';

let t: PersistentServer;
let dir: string;
const BASE = 'http://localhost:2568';

beforeAll(async () => {
  dir = tempDir();
  t = await bootPersistent(join(dir, 'storage.db'));
});
afterAll(async () => {
  await t.colyseus.shutdown();
  await t.persistence.close();
  rmSync(dir, { recursive: true, force: true });
});

async function finishedSession(tables = 1) {
  const s = await createSession(t.colyseus, { scenario: 'tern_islands', tables, settings: { negotiationSeconds: 0, ordersSeconds: 0 } });
  const fac = await joinRoom(t.colyseus, s.code, { role: 'facilitator', secret: s.secret });
  await ask(fac, 'fac_start', {});
  for (let i = 0; i < 100 && [...s.room.tables.values()].some((x) => x.status !== 'ended'); i++) await ask(fac, 'fac_end_phase', {});
  await settled();
  return { s, fac };
}

describe('a write failure while a game runs', () => {
  it('keeps the game in memory, tells the facilitator, and catches up when storage is back', async () => {
    const s = await createSession(t.colyseus, { scenario: 'tern_islands', settings: { negotiationSeconds: 0, ordersSeconds: 0 } });
    const fac = await joinRoom(t.colyseus, s.code, { role: 'facilitator', secret: s.secret });
    const player = await joinRoom(t.colyseus, s.code, { role: 'player', name: 'P', key: 'storage-key-1' });
    await ask(fac, 'fac_start', {});
    await settled();
    const db = (t.persistence.store.db as SqliteDatabase).raw;
    const pages = (db.prepare('PRAGMA page_count').get() as { page_count: number }).page_count;
    db.exec(`PRAGMA max_page_count = ${pages}`);

    // The disk is "full": the game goes on.
    for (let i = 0; i < 4; i++) await ask(fac, 'fac_end_phase', {});
    const table = s.room.tables.get('t1')!;
    expect(table.game!.turn).toBe(3);
    expect(t.persistence.recorder.problem).toMatch(/full/i);
    // Operators see it on /healthz (still 200: a database outage must not empty the proxy), with no detail.
    const health = await fetch('http://localhost:2568/healthz');
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ ok: true, scenarios: expect.any(Number), record: 'failing' });
    await until(() => (fac.state as { storage?: string }).storage !== '' && (fac.state as { storage?: string }).storage !== undefined, 'flag on the console');
    expect((fac.state as unknown as { storage: string }).storage).toMatch(/full/i);
    await until(() => messages(fac, 'storage').length > 0, 'facilitator told');
    expect(messages(fac, 'storage')[0]).toMatchObject({ ok: false });
    expect(messages(player, 'storage')).toEqual([]);
    // The database still holds the game as it was before the failure.
    expect((await t.persistence.store.liveState(s.code, 't1'))!.turn).toBe(1);

    // Space again: the next change writes everything queued, and the flag clears.
    db.exec('PRAGMA max_page_count = 1073741823');
    await ask(fac, 'fac_end_phase', {});
    await settled();
    expect(t.persistence.recorder.problem).toBeNull();
    expect(await (await fetch('http://localhost:2568/healthz')).json()).toMatchObject({ record: 'ok' });
    await until(() => (fac.state as unknown as { storage: string }).storage === '', 'flag cleared');
    expect(messages(fac, 'storage').at(-1)).toMatchObject({ ok: true });
    expect((await t.persistence.store.liveState(s.code, 't1'))!.turn).toBe(table.game!.turn);
    expect((await verifyTable(t.persistence.store, s.code, 't1')).problems).toEqual([]);
    await t.colyseus.cleanup();
  });
});

describe('deleting and purging', () => {
  it('deletes a session and all its data, only with the secret', async () => {
    const { s } = await finishedSession(2);
    const db = (t.persistence.store.db as SqliteDatabase).raw;
    const count = (table: string, col = 'session') => (db.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE ${col} = ?`).get(s.code) as { n: number }).n;
    expect(count('entries')).toBeGreaterThan(0);
    expect((await api(BASE, `/api/sessions/${s.code}`, { method: 'DELETE' })).status).toBe(401);
    expect((await api(BASE, `/api/sessions/${s.code}`, { method: 'DELETE', secret: 'not the secret' })).status).toBe(401);
    expect((await api(BASE, `/api/sessions/${s.code}`, { method: 'DELETE', secret: s.secret })).status).toBe(204);
    await settled();
    for (const table of ['entries', 'states', 'tables']) expect(count(table)).toBe(0);
    expect(count('sessions', 'code')).toBe(0);
    expect((await api(BASE, `/api/sessions/${s.code}`)).status).toBe(404);
    expect((await api(BASE, `/api/sessions/${s.code}/record`)).status).toBe(404);
    expect((await api(BASE, `/api/sessions/${s.code}/debrief`, { secret: s.secret })).status).toBe(404);
    await t.colyseus.cleanup();
  });

  it('purges sessions whose last activity is older than the retention period', async () => {
    const { s: old } = await finishedSession();
    const { s: recent } = await finishedSession();
    await t.colyseus.cleanup();
    const db = (t.persistence.store.db as SqliteDatabase).raw;
    const day = 24 * 3600 * 1000;
    db.prepare('UPDATE sessions SET updated_at = ? WHERE code = ?').run(Date.now() - 40 * day, old.code);
    db.prepare('UPDATE sessions SET updated_at = ? WHERE code = ?').run(Date.now() - 20 * day, recent.code);
    const persistence = t.persistence as unknown as { retentionDays: number };
    const was = persistence.retentionDays;
    persistence.retentionDays = 30;
    try {
      const purged = await t.persistence.purge();
      expect(purged).toContain(old.code);
      expect(purged).not.toContain(recent.code);
    } finally {
      persistence.retentionDays = was;
    }
    expect(await t.persistence.store.session(old.code)).toBeUndefined();
    expect(await t.persistence.store.entries(old.code)).toEqual([]);
    expect(await t.persistence.store.session(recent.code)).toBeDefined();
  });
});

describe('the debrief', () => {
  it('serves the printable page, JSON and CSV behind the secret, with messages only when asked', async () => {
    const s = await createSession(t.colyseus, { scenario: 'hanoi_2024', settings: { negotiationSeconds: 0, ordersSeconds: 0 } });
    const fac = await joinRoom(t.colyseus, s.code, { role: 'facilitator', secret: s.secret });
    const a = await joinRoom(t.colyseus, s.code, { role: 'player', name: 'A', key: 'debrief-key-a' });
    const b = await joinRoom(t.colyseus, s.code, { role: 'player', name: 'B', key: 'debrief-key-b' });
    await ask(fac, 'fac_start', {});
    const pb = (b.state as unknown as { participants: Map<string, { sessionId: string; power: string }> }).participants;
    const bPower = [...pb.values()].find((p) => p.sessionId === b.sessionId)!.power;
    await ask(a, 'chat', { to: [bPower], text: 'Lighthouse <b>at dawn</b>, "quoted"' });
    for (let i = 0; i < 100 && s.room.tables.get('t1')!.status !== 'ended'; i++) await ask(fac, 'fac_end_phase', {});
    await settled();

    expect((await api(BASE, `/api/sessions/${s.code}/debrief`)).status).toBe(401);
    const { data: link } = await api(BASE, `/api/sessions/${s.code}/downloads`, { method: 'POST', secret: s.secret });
    const page = await api(BASE, `/api/sessions/${s.code}/debrief?token=${link.token}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<!doctype html>');
    expect(page.text).toContain('@media print');
    expect(page.text).toContain('Final scores');
    expect(page.text).toContain('What really happened');
    expect(page.text).toContain('<svg');
    expect(page.text).not.toContain('Lighthouse');
    const withMessages = await api(BASE, `/api/sessions/${s.code}/debrief?messages=1`, { secret: s.secret });
    expect(withMessages.text).toContain('Lighthouse &lt;b&gt;at dawn&lt;/b&gt;, &quot;quoted&quot;');
    expect(withMessages.text).not.toContain('<b>at dawn</b>');

    const json = await api(BASE, `/api/sessions/${s.code}/debrief.json`, { secret: s.secret });
    expect(json.data.tables[0].scores.final).toBe(true);
    expect(json.data.tables[0].turns.length).toBe(json.data.scenario.turns);
    expect(json.data.tables[0].messages).toBeUndefined();
    // The students' names only when the teacher chooses: A and B under the powers they held.
    expect(json.data.tables[0].students).toBeUndefined();
    expect(json.text).not.toContain('"A"');
    const named = await api(BASE, `/api/sessions/${s.code}/debrief.json?names=1`, { secret: s.secret });
    expect(named.data.tables[0].students[bPower]).toEqual(['B']);
    expect(Object.values(named.data.tables[0].students).flat().sort()).toEqual(['A', 'B']);
    const namedPage = await api(BASE, `/api/sessions/${s.code}/debrief?names=1`, { secret: s.secret });
    expect(namedPage.text).toContain('Hide the students');
    expect(json.data.sources.length).toBeGreaterThan(0);
    expect(json.data.whatHappened.length).toBeGreaterThan(0);

    const csv = await api(BASE, `/api/sessions/${s.code}/debrief.csv?part=moves`, { secret: s.secret });
    expect(csv.status).toBe(200);
    expect(csv.text.replace(/^\uFEFF/, '').split('\r\n')[0]).toBe('table,turn,label,power,move,kind,target,outcome,headline');
    const scores = await api(BASE, `/api/sessions/${s.code}/debrief.csv`, { secret: s.secret });
    expect(scores.text).toContain('explanation');
    const msgs = await api(BASE, `/api/sessions/${s.code}/debrief.csv?part=messages&messages=1`, { secret: s.secret });
    expect(msgs.text).toContain('"Lighthouse <b>at dawn</b>, ""quoted"""');
    expect((await api(BASE, `/api/sessions/${s.code}/debrief.csv?part=nope`, { secret: s.secret })).status).toBe(400);
    await t.colyseus.cleanup();
  });
});
