/**
 * Issue 14: which process restores a session whose host went silent. A host that only lost the
 * database for longer than the lease (its process still answers) must keep its session: the other
 * process asks it (Colyseus health check, `beforeTakeover`) before it claims anything, so the host
 * never sees its session taken and lets it go. Real PostgreSQL; the rooms are not created here.
 */
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../shared/protocol.ts';
import { Persistence } from '../../server/persistence/index.ts';
import type { ServerContext } from '../../server/SessionRoom.ts';
import { type PostgresServer, psql, startPostgres } from '../helpers/postgres.ts';
import { loadScenario, THREE } from '../helpers/scenarios.ts';

const scenario = loadScenario(THREE);
const logger = pino({ level: 'silent' });
let pg: PostgresServer;
let url = '';

beforeAll(async () => {
  pg = await startPostgres();
  url = await pg.createDatabase('takeover');
}, 60_000);
afterAll(async () => {
  await pg?.stop();
});

describe('taking over a silent process', () => {
  it('asks the silent process first, and leaves the session with it while it answers', async () => {
    const host = await Persistence.open({ url, logger, heartbeatMs: 0, leaseMs: 1000 });
    host.recorder.record('HOST01', { kind: 'session', change: 'created' }, () => ({
      version: 1,
      code: 'HOST01',
      scenario: scenario.id,
      sandbox: false,
      settings: DEFAULT_SETTINGS,
      secretHash: 'cd'.repeat(32),
      nextParticipant: 1,
      participants: [],
      tables: [{ id: 't1', name: 'Table 1', status: 'waiting', game: null, seats: [], deadline: 0, remaining: 0, undo: [] }],
      announcements: [],
    }));
    await host.recorder.flush();
    expect(await psql(url, "SELECT owner FROM sessions WHERE code = 'HOST01'")).toBe(host.lease.id);
    // The host cannot reach the database for longer than the lease: its alive time gets old.
    await psql(url, `UPDATE servers SET alive_at = 1 WHERE id = '${host.lease.id}'`);

    const other = await Persistence.open({ url, logger, heartbeatMs: 0, leaseMs: 1000 });
    const ownerWhenAsked: string[] = [];
    other.beforeTakeover = async (orphan) => {
      ownerWhenAsked.push(await psql(url, `SELECT owner FROM sessions WHERE code = '${orphan.code}'`));
      return false; // the host answers
    };
    const context = { internalToken: 'test', catalog: { get: () => ({ scenario }) } } as unknown as ServerContext;
    expect(await other.restoreAll(context)).toEqual([]);
    expect(ownerWhenAsked).toEqual([host.lease.id]);
    expect(await psql(url, "SELECT owner FROM sessions WHERE code = 'HOST01'")).toBe(host.lease.id);
    // And the host, back on the database, still holds it.
    await host.lease.beat();
    expect(await host.lease.lost(['HOST01'])).toEqual([]);
    await other.close();
    await host.close();
  }, 60_000);
});
