/**
 * The record in PostgreSQL (issue 14), for several server processes sharing one record:
 * `DATABASE_URL=postgres://user:password@host:port/db`. A pool of connections through `pg`
 * (node-postgres); each transaction holds one connection from BEGIN to COMMIT. Integers come back as
 * numbers (times are milliseconds, far below 2^53), blobs as Buffers. `openPostgres` checks the server
 * answers and applies the numbered migrations, one process at a time (an advisory lock), so several
 * processes may start together.
 */
import pg from 'pg';
import { StorageError } from './db.ts';
import { POSTGRES_MIGRATIONS } from './migrations-postgres.ts';
import { type Migration, Serial, type SqlDatabase, type SqlRunner, type SqlValue, type Statement } from './sql.ts';

const INT8 = 20;
const NUMERIC = 1700;
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === INT8 || oid === NUMERIC) return (v: string) => (v === null ? null : Number(v));
    return pg.types.getTypeParser(oid, format as 'text');
  }) as typeof pg.types.getTypeParser,
};

/** `?` placeholders to `$1, $2, …` (the record's SQL never holds a literal question mark). */
export function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/** The address without its password, for logs. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://(unparsable address)';
  }
}

/**
 * A value as an SQL literal, for the batches sent as one simple query (which takes no parameters):
 * strings through pg's own `escapeLiteral`, bytes as a hex bytea literal, numbers only if finite.
 */
export function literal(v: SqlValue): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`not a finite number: ${v}`);
    return String(v);
  }
  if (typeof v === 'string') return pg.escapeLiteral(v);
  return `'\\x${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex')}'::bytea`;
}

/** `sql` with its `?` placeholders replaced by the literals of `params` (never rescanning a value). */
export function inline(sql: string, params: readonly SqlValue[]): string {
  const parts = sql.split('?');
  if (parts.length - 1 !== params.length) throw new Error(`${parts.length - 1} placeholders, ${params.length} values`);
  let out = parts[0]!;
  for (let i = 0; i < params.length; i++) out += literal(params[i]!) + parts[i + 1]!;
  return out;
}

const cache = new Map<string, string>();
function sqlFor(sql: string): string {
  let s = cache.get(sql);
  if (s === undefined) {
    s = numbered(sql);
    if (cache.size < 1000) cache.set(sql, s);
  }
  return s;
}

type Queryable = pg.Pool | pg.PoolClient;

class Runner implements SqlRunner {
  protected readonly q: Queryable;
  constructor(q: Queryable) {
    this.q = q;
  }
  async all<T>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    const r = await this.q.query({ text: sqlFor(sql), values: params as unknown[] });
    return r.rows as T[];
  }
  async get<T>(sql: string, params: readonly SqlValue[] = []): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0];
  }
  async run(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    const r = await this.q.query({ text: sqlFor(sql), values: params as unknown[] });
    return r.rowCount ?? 0;
  }
}

export class PostgresDatabase extends Runner implements SqlDatabase {
  readonly dialect = 'postgres' as const;
  readonly describe: string;
  readonly pool: pg.Pool;
  private readonly serial = new Serial();

  constructor(pool: pg.Pool, url: string) {
    super(pool);
    this.pool = pool;
    this.describe = `PostgreSQL ${redact(url)}`;
  }

  transaction<T>(work: (tx: SqlRunner) => Promise<T>): Promise<T> {
    return this.serial.run(() => this.inTransaction(work));
  }

  batch(statements: readonly Statement[]): Promise<void> {
    if (statements.length === 0) return Promise.resolve();
    const text = `BEGIN;\n${statements.map((st) => inline(st.sql, st.params)).join(';\n')};\nCOMMIT`;
    return this.serial.run(async () => {
      const client = await this.pool.connect();
      let broken = false;
      try {
        await client.query(text);
      } catch (e) {
        // A failed statement leaves the transaction aborted: end it before the connection is reused.
        await client.query('ROLLBACK').catch(() => {
          broken = true;
        });
        throw e;
      } finally {
        client.release(broken);
      }
    });
  }

  async reserveStateIds(n: number): Promise<number[]> {
    const rows = await this.all<{ id: number }>(`SELECT nextval(pg_get_serial_sequence('states', 'id')) AS id FROM generate_series(1, ?)`, [n]);
    return rows.map((r) => Number(r.id));
  }

  /** A transaction outside the process's queue (migrations, which hold their own lock). */
  async inTransaction<T>(work: (tx: SqlRunner) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken = false;
    try {
      await client.query('BEGIN');
      try {
        const result = await work(new Runner(client));
        await client.query('COMMIT');
        return result;
      } catch (e) {
        try {
          await client.query('ROLLBACK');
        } catch {
          broken = true;
        }
        throw e;
      }
    } finally {
      client.release(broken);
    }
  }

  async close(): Promise<void> {
    await this.serial.run(async () => undefined);
    await this.pool.end();
  }
}

export interface PostgresOptions {
  /** Connections in the pool (default 10). */
  max?: number;
  migrations?: Migration[];
}

/** Connects, checks, migrates. Throws `StorageError` with a message an administrator can act on. */
export async function openPostgres(url: string, options: PostgresOptions = {}): Promise<PostgresDatabase> {
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10, types, connectionTimeoutMillis: 10_000, idleTimeoutMillis: 30_000 });
  // An idle connection that breaks (the database restarted) must not stop the server: the next query reconnects.
  pool.on('error', () => undefined);
  const db = new PostgresDatabase(pool, url);
  try {
    await db.get('SELECT 1 AS ok');
  } catch (e) {
    await pool.end().catch(() => undefined);
    const msg = e instanceof Error ? e.message : String(e);
    throw new StorageError(`Cannot use the database ${db.describe}: the server does not answer or refuses the connection. Check DATABASE_URL, that PostgreSQL runs and that this user may connect (${msg})`, { cause: e });
  }
  try {
    await migratePostgres(db, options.migrations ?? POSTGRES_MIGRATIONS);
  } catch (e) {
    await pool.end().catch(() => undefined);
    if (e instanceof StorageError) throw e;
    throw new StorageError(`Cannot use the database ${db.describe}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  return db;
}

/** Any number, the same in every Bamboo process: the lock that makes migrations one process at a time. */
const MIGRATION_LOCK = 0x62616d62;

/** Applies the migrations not applied yet, each in its own transaction, under an advisory lock. */
export async function migratePostgres(db: PostgresDatabase, migrations: Migration[]): Promise<number> {
  const known = Math.max(0, ...migrations.map((m) => m.version));
  let newest = 0;
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    const done = await db.inTransaction(async (tx) => {
      await tx.run('SELECT pg_advisory_xact_lock(?)', [MIGRATION_LOCK]);
      await tx.run('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)');
      const rows = await tx.all<{ version: number }>('SELECT version FROM schema_migrations');
      newest = Math.max(0, ...rows.map((r) => r.version));
      if (newest > known) {
        throw new StorageError(`The database has schema version ${newest}, newer than this Bamboo understands (${known}): upgrade Bamboo, or use another DATABASE_URL.`);
      }
      if (rows.some((r) => r.version === m.version)) return false;
      try {
        for (const statement of m.sql.split(/;\s*(?:\n|$)/)) if (statement.replace(/--.*$/gm, '').trim()) await tx.run(statement);
      } catch (e) {
        throw new StorageError(`Migration ${m.version} (${m.name}) failed: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
      }
      await tx.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [m.version, m.name, Date.now()]);
      return true;
    });
    if (done) newest = Math.max(newest, m.version);
  }
  return Math.max(newest, known);
}
