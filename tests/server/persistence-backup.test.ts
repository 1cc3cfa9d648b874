/**
 * Online backups (docs/operations.md): while the server holds the database exclusively, it copies it
 * itself with SQLite's backup API; the copy opens, passes its integrity check and holds the sessions;
 * only the newest BACKUP_KEEP copies stay.
 */
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupDatabase, backupName, backupSettings } from '../../server/persistence/backup.ts';
import type { SqliteDatabase } from '../../server/persistence/sqlite.ts';
import { ask, createSession, join as joinRoom } from './helpers.ts';
import { bootPersistent, type PersistentServer, settled, tempDir } from './persistence-helpers.ts';

let t: PersistentServer;
let dir: string;

beforeAll(async () => {
  dir = tempDir();
  t = await bootPersistent(join(dir, 'live.db'));
});
afterAll(async () => {
  await t.colyseus.shutdown();
  await t.persistence.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('online backups', () => {
  it('copies the live database while a game runs, and keeps the newest copies only', async () => {
    const s = await createSession(t.colyseus, { scenario: 'tern_islands', settings: { negotiationSeconds: 0, ordersSeconds: 0 } });
    const fac = await joinRoom(t.colyseus, s.code, { role: 'facilitator', secret: s.secret });
    await ask(fac, 'fac_start', {});
    await ask(fac, 'fac_end_phase', {});
    await settled();

    const backups = join(dir, 'backups');
    const file = await t.persistence.backup(backups, 2);
    const copy = new DatabaseSync(file, { readOnly: true });
    expect(copy.prepare('PRAGMA integrity_check').get()).toEqual({ integrity_check: 'ok' });
    expect(copy.prepare('SELECT code FROM sessions').all().map((r) => r.code)).toContain(s.code);
    const entries = (copy.prepare('SELECT count(*) AS n FROM entries WHERE session = ?').get(s.code) as { n: number }).n;
    expect(entries).toBeGreaterThan(0);
    copy.close();

    // The game goes on after the backup, on the same database.
    await ask(fac, 'fac_end_phase', {});
    await settled();

    for (const day of [1, 2, 3]) await backupDatabase((t.persistence.store.db as SqliteDatabase).raw, backups, 2, new Date(Date.UTC(2030, 0, day, 3)));
    expect(readdirSync(backups).sort()).toEqual([backupName(new Date(Date.UTC(2030, 0, 2, 3))), backupName(new Date(Date.UTC(2030, 0, 3, 3)))]);
  });

  it('reads its settings from the environment', () => {
    expect(backupSettings({})).toBeUndefined();
    expect(backupSettings({ BACKUP_DIR: '/var/backups/bamboo' })).toEqual({ dir: '/var/backups/bamboo', everyMs: 24 * 3600_000, keep: 7 });
    expect(backupSettings({ BACKUP_DIR: 'b', BACKUP_HOURS: '6', BACKUP_KEEP: '28' })).toMatchObject({ everyMs: 6 * 3600_000, keep: 28 });
    expect(() => backupSettings({ BACKUP_DIR: 'b', BACKUP_HOURS: '0' })).toThrow(/BACKUP_HOURS/);
    expect(() => backupSettings({ BACKUP_DIR: 'b', BACKUP_KEEP: '0' })).toThrow(/BACKUP_KEEP/);
  });
});
