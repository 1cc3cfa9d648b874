/**
 * Online backups of the record (docs/operations.md). The server holds its SQLite file exclusively
 * (`locking_mode = EXCLUSIVE`), so another program (`sqlite3 … .backup`) cannot read it while the server
 * runs: the server copies it itself, with SQLite's online backup API (node:sqlite `backup`), while games go
 * on. A copy is written to a temporary name, then renamed: a file named `bamboo-*.db` is always whole.
 *
 * Environment: `BACKUP_DIR` (unset: no backups), `BACKUP_HOURS` (default 24: one at start, then every
 * so many hours), `BACKUP_KEEP` (default 7: the newest kept, older ones deleted).
 */
import { mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { backup, DatabaseSync } from 'node:sqlite';

export interface BackupSettings {
  dir: string;
  everyMs: number;
  keep: number;
}

export function backupSettings(env: NodeJS.ProcessEnv = process.env): BackupSettings | undefined {
  if (!env.BACKUP_DIR) return undefined;
  const hours = Number(env.BACKUP_HOURS ?? 24);
  const keep = Number(env.BACKUP_KEEP ?? 7);
  if (!(hours > 0)) throw new Error(`BACKUP_HOURS must be a positive number, not "${env.BACKUP_HOURS}".`);
  if (!(Number.isInteger(keep) && keep >= 1)) throw new Error(`BACKUP_KEEP must be a whole number of at least 1, not "${env.BACKUP_KEEP}".`);
  return { dir: resolve(env.BACKUP_DIR), everyMs: hours * 3600_000, keep };
}

const NAME = /^bamboo-\d{8}-\d{6}\.db$/;

/** `bamboo-YYYYMMDD-HHMMSS.db` (UTC), so that names sort by time. */
export function backupName(now: Date): string {
  const iso = now.toISOString();
  return `bamboo-${iso.slice(0, 10).replaceAll('-', '')}-${iso.slice(11, 19).replaceAll(':', '')}.db`;
}

/** Copies the open database to `dir` and deletes all but the `keep` newest copies. Returns the new file. */
export async function backupDatabase(db: DatabaseSync, dir: string, keep: number, now = new Date()): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, backupName(now));
  const partial = `${file}.partial`;
  try {
    await backup(db, partial);
    // One self-contained file (no -wal beside it when someone opens the copy); the server sets WAL again on restore.
    const copy = new DatabaseSync(partial);
    copy.prepare('PRAGMA journal_mode = DELETE').get();
    copy.close();
    renameSync(partial, file);
  } catch (e) {
    for (const f of [partial, `${partial}-wal`, `${partial}-shm`]) rmSync(f, { force: true });
    throw e;
  }
  const copies = readdirSync(dir)
    .filter((f) => NAME.test(f))
    .sort();
  for (const old of copies.slice(0, Math.max(0, copies.length - keep))) for (const f of [old, `${old}-wal`, `${old}-shm`]) rmSync(join(dir, f), { force: true });
  return file;
}
