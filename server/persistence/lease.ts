/**
 * Which server process hosts which session (issue 14). Every process has a row in `servers` with the
 * time it was last alive, refreshed every few seconds; every session names its host (`sessions.owner`).
 * A process that has not been alive for the lease (`LEASE_SECONDS`, default 15), or that stopped
 * cleanly, has lost its sessions: another process takes each one over with a compare-and-set on its
 * owner, so exactly one process restores it, even when several look at the same moment. A process
 * that was only slow (paused longer than the lease) finds out at its next beat (`lost`) and lets go
 * of the sessions taken from it.
 *
 * With the SQLite file there is only ever one process (it holds the file alone): every unfinished
 * session is its own at start (`exclusive`).
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { SqlDatabase } from './sql.ts';

export interface Orphan {
  code: string;
  /** The process that hosted it ('' if none was recorded: a record made before issue 14). */
  owner: string;
  /** When that process was last alive (ms), null if unknown. */
  aliveAt: number | null;
}

export interface LeaseOptions {
  /** A process silent this long has lost its sessions (ms). */
  leaseMs: number;
  /** Only this process can use the record (SQLite): every other owner is gone. */
  exclusive: boolean;
  now?: () => number;
  id?: string;
}

export function leaseSettings(env: NodeJS.ProcessEnv = process.env): { leaseMs: number } {
  const seconds = Number(env.LEASE_SECONDS ?? 15);
  if (!(seconds >= 1)) throw new Error(`LEASE_SECONDS must be a number of at least 1, not "${env.LEASE_SECONDS}".`);
  return { leaseMs: seconds * 1000 };
}

export class ServerLease {
  readonly id: string;
  readonly leaseMs: number;
  private readonly db: SqlDatabase;
  private readonly exclusive: boolean;
  private readonly now: () => number;

  constructor(db: SqlDatabase, options: LeaseOptions) {
    this.db = db;
    this.leaseMs = options.leaseMs;
    this.exclusive = options.exclusive;
    this.now = options.now ?? Date.now;
    // Readable in the record and the logs, unique across restarts and machines.
    this.id = options.id ?? `${hostname().slice(0, 40)}-${process.pid}-${randomBytes(4).toString('hex')}`;
  }

  /** Registers this process. */
  async start(): Promise<void> {
    const at = this.now();
    await this.db.run('INSERT INTO servers (id, started_at, alive_at, stopped) VALUES (?, ?, ?, 0) ON CONFLICT (id) DO UPDATE SET alive_at = excluded.alive_at, stopped = 0', [this.id, at, at]);
  }

  /** This process is alive. */
  async beat(): Promise<void> {
    await this.db.run('UPDATE servers SET alive_at = ? WHERE id = ?', [this.now(), this.id]);
  }

  /** This process stops cleanly: the others may take its sessions over at once. */
  async stop(): Promise<void> {
    await this.db.run('UPDATE servers SET alive_at = ?, stopped = 1 WHERE id = ?', [this.now(), this.id]);
  }

  /** Unfinished sessions whose host is gone, oldest first. */
  async orphans(): Promise<Orphan[]> {
    const rows = await this.db.all<{ code: string; owner: string | null; alive_at: number | null; stopped: number | null }>(
      `SELECT s.code, s.owner, v.alive_at, v.stopped FROM sessions s LEFT JOIN servers v ON v.id = s.owner
       WHERE s.finished = 0 AND s.closed_at IS NULL AND s.snapshot IS NOT NULL AND COALESCE(s.owner, '') <> ?
       ORDER BY s.created_at, s.code`,
      [this.id],
    );
    const cutoff = this.now() - this.leaseMs;
    return rows
      .filter((r) => this.exclusive || r.owner === null || r.alive_at === null || r.stopped === 1 || r.alive_at < cutoff)
      .map((r) => ({ code: r.code, owner: r.owner ?? '', aliveAt: r.alive_at }));
  }

  /** Takes `orphan` over if no other process has since: true for exactly one process. */
  async claim(orphan: Orphan): Promise<boolean> {
    const n = await this.db.run(`UPDATE sessions SET owner = ? WHERE code = ? AND COALESCE(owner, '') = ?`, [this.id, orphan.code, orphan.owner]);
    return n === 1;
  }

  /** Of `codes` (sessions this process hosts), those another process has taken over. */
  async lost(codes: string[]): Promise<string[]> {
    if (codes.length === 0) return [];
    const rows = await this.db.all<{ code: string }>(
      `SELECT code FROM sessions WHERE code IN (${codes.map(() => '?').join(', ')}) AND owner IS NOT NULL AND owner <> ?`,
      [...codes, this.id],
    );
    return rows.map((r) => r.code);
  }

  /** Marks `code` as hosted here (a session re-opened from the record by this process). */
  async own(code: string): Promise<void> {
    await this.db.run('UPDATE sessions SET owner = ? WHERE code = ?', [this.id, code]);
  }
}
