/**
 * The record in one SQLite file (node:sqlite), for one machine: `SqlDatabase` over a `DatabaseSync`
 * opened and migrated by server/persistence/db.ts. node:sqlite is synchronous, so every verb runs at
 * once and resolves right after; statements are prepared once per SQL text.
 */
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { Serial, type SqlDatabase, type SqlRunner, type SqlValue, type Statement } from './sql.ts';

export class SqliteDatabase implements SqlDatabase {
  readonly dialect = 'sqlite' as const;
  readonly describe: string;
  /** The connection itself: for the online backup and for tests that look inside the file. */
  readonly raw: DatabaseSync;
  private readonly statements = new Map<string, StatementSync>();
  private readonly serial = new Serial();

  constructor(raw: DatabaseSync, path: string) {
    this.raw = raw;
    this.describe = `SQLite ${path}`;
  }

  private prepared(sql: string): StatementSync {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.raw.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  allSync<T>(sql: string, params: readonly SqlValue[] = []): T[] {
    return this.prepared(sql).all(...params) as T[];
  }

  async all<T>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    return this.allSync<T>(sql, params);
  }

  async get<T>(sql: string, params: readonly SqlValue[] = []): Promise<T | undefined> {
    return this.prepared(sql).get(...params) as T | undefined;
  }

  async run(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    return Number(this.prepared(sql).run(...params).changes);
  }

  transaction<T>(work: (tx: SqlRunner) => Promise<T>): Promise<T> {
    return this.serial.run(async () => {
      this.raw.exec('BEGIN IMMEDIATE');
      try {
        const result = await work(this);
        this.raw.exec('COMMIT');
        return result;
      } catch (e) {
        try {
          this.raw.exec('ROLLBACK');
        } catch {
          /* the transaction is already gone */
        }
        throw e;
      }
    });
  }

  batch(statements: readonly Statement[]): Promise<void> {
    return this.serial.run(async () => {
      this.raw.exec('BEGIN IMMEDIATE');
      try {
        for (const st of statements) this.prepared(st.sql).run(...st.params);
        this.raw.exec('COMMIT');
      } catch (e) {
        try {
          this.raw.exec('ROLLBACK');
        } catch {
          /* the transaction is already gone */
        }
        throw e;
      }
    });
  }

  /** This process holds the file alone: the next ids follow the largest one. */
  private nextStateId: number | undefined;
  async reserveStateIds(n: number): Promise<number[]> {
    if (this.nextStateId === undefined) {
      const r = this.raw.prepare('SELECT COALESCE(MAX(id), 0) AS id FROM states').get() as { id: number };
      this.nextStateId = Number(r.id) + 1;
    }
    const first = this.nextStateId;
    this.nextStateId += n;
    return Array.from({ length: n }, (_, i) => first + i);
  }

  async close(): Promise<void> {
    await this.serial.run(async () => undefined);
    this.raw.close();
  }
}
