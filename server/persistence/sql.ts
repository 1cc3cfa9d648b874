/**
 * The one storage interface the record is written through (issue 14): a few SQL verbs, a transaction
 * and a close. Two implementations: the embedded SQLite file for one machine (server/persistence/sqlite.ts)
 * and PostgreSQL for several processes sharing one record (server/persistence/postgres.ts). The record's
 * SQL is written once, in the subset both understand: `?` placeholders (rewritten to `$n` for
 * PostgreSQL), `ON CONFLICT … DO NOTHING/UPDATE`, `RETURNING`, integers for booleans and times (ms).
 * Only the schema (the migrations) is written per dialect.
 */

export type SqlValue = string | number | null | Uint8Array;

export interface SqlRunner {
  /** Every row. */
  all<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  /** The first row, or undefined. */
  get<T>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined>;
  /** Runs a statement; resolves to the number of rows it changed. */
  run(sql: string, params?: readonly SqlValue[]): Promise<number>;
}

/** One statement of a batch. */
export interface Statement {
  sql: string;
  params: readonly SqlValue[];
}

export interface SqlDatabase extends SqlRunner {
  readonly dialect: 'sqlite' | 'postgres';
  /** Where the record is, for logs (never a password). */
  readonly describe: string;
  /**
   * Runs `work` in one transaction: committed if it resolves, rolled back if it throws. Transactions
   * of one process run one at a time (in the order asked), so the recorder's writes and a deletion
   * never interleave.
   */
  transaction<T>(work: (tx: SqlRunner) => Promise<T>): Promise<T>;
  /**
   * Runs `statements` in order in one transaction (queued like `transaction`), all or nothing. The
   * recorder's writes: PostgreSQL gets them in one round trip, so that a busy server does not wait
   * one turn of its event loop per statement before its answers go out.
   */
  batch(statements: readonly Statement[]): Promise<void>;
  /** `n` fresh ids for the kept states (the recorder numbers its rows before it writes them in one batch). */
  reserveStateIds(n: number): Promise<number[]>;
  close(): Promise<void>;
}

/** A schema change: `sql` may hold several statements. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Runs `work` after every earlier call has settled: one at a time, in order. */
export class Serial {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(work: () => Promise<T>): Promise<T> {
    const next = this.tail.then(work, work);
    this.tail = next.catch(() => undefined);
    return next;
  }
}
