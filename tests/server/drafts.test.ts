// biome-ignore-all lint/suspicious/noExplicitAny: tests read decoded JSON of unknown shape
/** "Play it now": a YAML draft posted to /api/sessions starts a sandbox session without a file on the server. */
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { SessionRoom } from '../../server/SessionRoom.ts';
import { path } from '../helpers/scenarios.ts';
import { ask, join, table, until, useServer } from './helpers.ts';

const t = useServer('each');
const lab = readFileSync(path('tests/fixtures/scenarios/rules-lab.yaml'), 'utf8');

async function post(body: string | Buffer, headers: Record<string, string>): Promise<{ status: number; data: any }> {
  const res = await fetch(`http://localhost:2568/api/sessions`, { method: 'POST', body: typeof body === 'string' ? body : new Uint8Array(body), headers });
  return { status: res.status, data: await res.json() };
}

describe('draft sessions', () => {
  it('starts a sandbox session with a draft, gzipped or not, and serves its scenario under a draft id', async () => {
    const draft = lab.replace('title: Rules laboratory', 'title: My draft laboratory');
    for (const [body, headers] of [
      [draft, { 'content-type': 'application/yaml' }],
      [gzipSync(draft), { 'content-type': 'application/yaml', 'content-encoding': 'gzip' }],
    ] as const) {
      const r = await post(body, headers);
      expect(r.status).toBe(201);
      const room = t.colyseus.getRoomById(r.data.roomId) as unknown as SessionRoom;
      expect(room.state.sandbox).toBe(true);
      expect(room.state.scenario).toMatch(/^draft_[0-9a-f]{12}$/);
      expect(room.state.title).toBe('My draft laboratory');
      const scenario = await (await fetch(`http://localhost:2568/api/scenarios/${room.state.scenario}`)).json();
      expect(scenario.title).toBe('My draft laboratory');
      // Drafts are never offered to teachers.
      const list = (await (await fetch('http://localhost:2568/api/scenarios')).json()) as Array<{ id: string }>;
      expect(list.some((s) => s.id.startsWith('draft_'))).toBe(false);
      // The designer plays: start the game and resolve a turn.
      const fac = await join(t.colyseus, r.data.code, { role: 'facilitator', secret: r.data.secret });
      await ask(fac, 'fac_start', {});
      await ask(fac, 'fac_sandbox_resolve', {});
      await until(() => table(fac).turn === 2, 'turn 2');
    }
  });

  it.each([
    ['a draft with errors', lab.replace('capital: beta_city', 'capital: paris'), 400, /unknown place "paris"/],
    ['an alias bomb', readFileSync(path('tests/fixtures/scenarios/limits/alias-bomb.yaml'), 'utf8'), 400, /aliases expand/],
    ['an empty draft', '', 400, /empty/],
  ])('refuses %s with each error at its line', async (_name, body, status, message) => {
    const r = await post(body, { 'content-type': 'application/yaml' });
    expect(r.status).toBe(status);
    expect(r.data.errors[0].message).toMatch(message);
    expect(r.data.errors[0].line).toBeGreaterThan(0);
  });

  it('refuses a gzip body that inflates past the scenario limit', async () => {
    const r = await post(gzipSync(`${lab}# ${'x'.repeat(700_000)}\n`), { 'content-type': 'application/yaml', 'content-encoding': 'gzip' });
    expect(r.status).toBe(413);
  });

  it('leaves JSON session creation as it was', async () => {
    const r = await post(JSON.stringify({ scenario: 'rules_lab' }), { 'content-type': 'application/json' });
    expect(r.status).toBe(201);
  });
});
