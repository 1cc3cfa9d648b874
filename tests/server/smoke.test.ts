import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ask, bootServer, createSession, join, table, type TestServer, until } from './helpers.ts';

let t: TestServer;
beforeAll(async () => {
  t = await bootServer();
});
afterEach(async () => {
  await t.colyseus.cleanup();
});
afterAll(async () => {
  await t.colyseus.shutdown();
});

describe('smoke', () => {
  it('creates a session and joins', async () => {
    const s = await createSession(t.colyseus, { scenario: 'tern_islands', settings: { negotiationSeconds: 0, ordersSeconds: 0 } });
    expect(s.code).toMatch(/^[A-HJKMNP-Z2-9]{6}$/);
    const fac = await join(t.colyseus, s.code, { role: 'facilitator', secret: s.secret });
    const a = await join(t.colyseus, s.code, { role: 'player', name: 'Ann' });
    await ask(fac, 'fac_start', {});
    await until(() => table(a)?.status === 'running', 'running');
    console.log(JSON.stringify(table(a)).slice(0, 600));
  });
});
