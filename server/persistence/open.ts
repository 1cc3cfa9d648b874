/**
 * Which record this process uses (issue 14): `DATABASE_URL=postgres://…` selects PostgreSQL, shared
 * by several processes; otherwise the SQLite file at `DATABASE_PATH` (default data/bamboo.db), held by
 * this process alone. Both are the same `SqlDatabase` to the rest of the server.
 */
import { databasePath, openDatabase, StorageError } from './db.ts';
import { openPostgres } from './postgres.ts';
import type { SqlDatabase } from './sql.ts';
import { SqliteDatabase } from './sqlite.ts';

export function isPostgresUrl(url: string | undefined): url is string {
  return !!url && /^postgres(ql)?:\/\//i.test(url);
}

export interface RecordLocation {
  /** A SQLite file (used when `url` is absent). */
  path?: string;
  /** A PostgreSQL address. */
  url?: string;
}

export function recordLocation(env: NodeJS.ProcessEnv = process.env): RecordLocation {
  if (env.DATABASE_URL) {
    if (!isPostgresUrl(env.DATABASE_URL)) throw new StorageError('DATABASE_URL must be a PostgreSQL address (postgres://user:password@host:5432/database); for a SQLite file, set DATABASE_PATH instead.');
    return { url: env.DATABASE_URL };
  }
  return { path: databasePath(env) };
}

export async function openRecord(where: RecordLocation): Promise<SqlDatabase> {
  if (where.url) return openPostgres(where.url);
  const path = where.path ?? databasePath({});
  return new SqliteDatabase(openDatabase(path), path);
}
