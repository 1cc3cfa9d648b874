/**
 * The embedded database (node:sqlite, one file, WAL). `openDatabase` opens it, checks it and applies
 * the numbered migrations; any problem (a corrupted file, a database another server holds, a path that
 * cannot be written, a database from a newer Bamboo) is a `StorageError` with a message a teacher or
 * an administrator can act on. The server never falls back to a fresh, empty database.
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { MIGRATIONS } from './migrations.ts';

export const DEFAULT_DATABASE_PATH = 'data/bamboo.db';

export class StorageError extends Error {
  override name = 'StorageError';
}

export interface OpenOptions {
  /** Wait this long for a lock held by another connection (ms). */
  busyTimeoutMs?: number;
  /**
   * Hold the file for this process only (default true): a second server started on the same database
   * fails at start with "locked" instead of interleaving writes with the first.
   */
  exclusive?: boolean;
}

export function databasePath(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.DATABASE_PATH || DEFAULT_DATABASE_PATH);
}

function explain(path: string, e: unknown): StorageError {
  const msg = e instanceof Error ? e.message : String(e);
  const code = (e as { errcode?: number; code?: string }).errcode;
  let why: string;
  if (/not a database|malformed|corrupt/i.test(msg) || code === 26 || code === 11) {
    why = 'the file is not a valid Bamboo database (corrupted, or another kind of file). Restore it from a backup, or move it away to start with an empty database.';
  } else if (/locked|busy/i.test(msg) || code === 5 || code === 6) {
    why = 'the database is locked: another Bamboo server (or another program) is using it. Stop that one first, or set DATABASE_PATH to another file.';
  } else if (/readonly|read-only|unable to open|permission|cannot open|disk I\/O|EEXIST|ENOTDIR|EACCES|EROFS|EPERM/i.test(msg) || code === 8 || code === 14) {
    why = 'the file or its folder cannot be written. Check that the folder exists and that the server may write to it, or set DATABASE_PATH.';
  } else if (/full/i.test(msg) || code === 13) {
    why = 'the disk is full.';
  } else {
    why = msg;
  }
  return new StorageError(`Cannot use the database ${path}: ${why} (${msg})`, { cause: e });
}

/** Opens (creating it if absent) and migrates the database at `path`. Throws `StorageError`. */
export function openDatabase(path: string, options: OpenOptions = {}): DatabaseSync {
  const abs = path === ':memory:' ? path : resolve(path);
  if (abs !== ':memory:') {
    try {
      mkdirSync(dirname(abs), { recursive: true });
    } catch (e) {
      throw explain(abs, e);
    }
  }
  let db: DatabaseSync;
  try {
    db = new DatabaseSync(abs, { timeout: options.busyTimeoutMs ?? 2000 });
  } catch (e) {
    throw explain(abs, e);
  }
  try {
    if (options.exclusive !== false) db.exec('PRAGMA locking_mode = EXCLUSIVE');
    const mode = db.prepare('PRAGMA journal_mode = WAL').get() as { journal_mode: string } | undefined;
    if (abs !== ':memory:' && mode?.journal_mode !== 'wal') throw new Error(`could not switch to WAL (journal_mode=${mode?.journal_mode})`);
    // WAL + NORMAL: a commit survives a crash of the process (kill -9); only a power cut can lose the last commits.
    db.exec('PRAGMA synchronous = NORMAL');
    db.exec('PRAGMA foreign_keys = OFF');
    const check = db.prepare('PRAGMA quick_check').all() as { quick_check: string }[];
    if (check.length !== 1 || check[0]!.quick_check !== 'ok') throw new Error('database disk image is malformed: ' + check.map((c) => c.quick_check).join('; ').slice(0, 300));
    // Takes the write lock now (exclusive mode keeps it): a database in use elsewhere fails here, at start.
    migrate(db);
  } catch (e) {
    try {
      db.close();
    } catch {
      /* already failing */
    }
    if (e instanceof StorageError) throw e;
    throw explain(abs, e);
  }
  return db;
}

/** Applies every migration not applied yet, each in its own transaction. Returns the schema version. */
export function migrate(db: DatabaseSync, migrations = MIGRATIONS): number {
  db.exec('BEGIN IMMEDIATE');
  try {
    db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
    db.exec('COMMIT');
  } catch (e) {
    db.exec('ROLLBACK');
    throw e;
  }
  const applied = new Set((db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => r.version));
  const known = Math.max(0, ...migrations.map((m) => m.version));
  const newest = Math.max(0, ...applied);
  if (newest > known) {
    throw new StorageError(`The database has schema version ${newest}, newer than this Bamboo understands (${known}): upgrade Bamboo, or use another DATABASE_PATH.`);
  }
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (applied.has(m.version)) continue;
    db.exec('BEGIN IMMEDIATE');
    try {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, Date.now());
      db.exec('COMMIT');
    } catch (e) {
      db.exec('ROLLBACK');
      throw new StorageError(`Migration ${m.version} (${m.name}) failed: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
  }
  return Math.max(newest, known);
}
