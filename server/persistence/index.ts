/**
 * Persistence for the server process (issue 6), wired by server/main.ts (and the tests):
 * open the database (a clear `StorageError` if it cannot be used), record every session, serve the
 * record's HTTP API, re-create every unfinished session at start, and purge old sessions.
 *
 * Environment: `DATABASE_PATH` (default data/bamboo.db), `RETENTION_DAYS` (default 365; 0 keeps
 * everything), `RESTORE_GRACE_SECONDS` (default 10: a restored phase timer has at least this long),
 * `BACKUP_DIR`/`BACKUP_HOURS`/`BACKUP_KEEP` (online backups, server/persistence/backup.ts).
 */
import { matchMaker } from '@colyseus/core';
import type { Scenario } from '#shared/index.ts';
import type { Logger } from '../log.ts';
import type { ServerContext, SessionRoom } from '../SessionRoom.ts';
import { type BackupSettings, backupDatabase, backupSettings } from './backup.ts';
import { databasePath, openDatabase } from './db.ts';
import { deleteSession, persistenceRoutes } from './http.ts';
import { SqliteRecorder } from './recorder.ts';
import { RecordStore } from './store.ts';

export { StorageError } from './db.ts';

export interface PersistenceOptions {
  path?: string;
  logger: Logger;
  retentionDays?: number;
  restoreGraceSeconds?: number;
  heartbeatMs?: number;
  /** Online backups (default: `BACKUP_DIR`, `BACKUP_HOURS`, `BACKUP_KEEP`; server/persistence/backup.ts). */
  backups?: BackupSettings;
  env?: NodeJS.ProcessEnv;
}

const DAY = 24 * 3600 * 1000;

export class Persistence {
  readonly path: string;
  readonly store: RecordStore;
  readonly recorder: SqliteRecorder;
  readonly routes: ReturnType<typeof persistenceRoutes>;
  readonly retentionDays: number;
  readonly restoreGraceMs: number;
  private readonly logger: Logger;
  private scenarioOf: (id: string) => Scenario | undefined = () => undefined;
  private retentionTimer: NodeJS.Timeout | undefined;
  private backupTimer: NodeJS.Timeout | undefined;
  readonly backups: BackupSettings | undefined;
  /** When the previous server process was last alive (the timers resume from there). */
  private readonly previousAliveAt: number;

  constructor(options: PersistenceOptions) {
    const env = options.env ?? process.env;
    this.logger = options.logger;
    this.path = options.path ?? databasePath(env);
    this.retentionDays = options.retentionDays ?? Number(env.RETENTION_DAYS ?? 365);
    this.restoreGraceMs = 1000 * (options.restoreGraceSeconds ?? Number(env.RESTORE_GRACE_SECONDS ?? 10));
    this.backups = options.backups ?? backupSettings(env);
    const db = openDatabase(this.path);
    this.store = new RecordStore(db);
    this.store.onProblem = (code, problems) => this.logger.error({ code, problems }, 'a restored game could not be rebuilt exactly from its record');
    this.previousAliveAt = this.store.aliveAt();
    this.recorder = new SqliteRecorder(db, {
      scenarioOf: (id) => this.scenarioOf(id),
      logger: this.logger,
      heartbeatMs: options.heartbeatMs ?? Number(env.BAMBOO_HEARTBEAT_MS ?? 5000),
      onHealth: (session, problem) => {
        const room = matchMaker.getLocalRoomById(session) as SessionRoom | undefined;
        room?.storageProblem?.(problem);
      },
    });
    this.routes = persistenceRoutes({ store: this.store, recorder: this.recorder, logger: this.logger });
  }

  /** The server's context (catalog, internal token) once the app exists. */
  attach(context: ServerContext): void {
    this.scenarioOf = (id) => context.catalog.get(id)?.scenario;
    // Clients of a session restored with a recorded version fetch that version by its hash.
    context.catalog.recorded = (hash) => this.store.scenario(hash);
  }

  /** Re-creates every unfinished session from its latest snapshot. Returns the codes restored. */
  async restoreAll(context: ServerContext): Promise<string[]> {
    const restored: string[] = [];
    for (const code of this.store.restorable()) {
      const snapshot = this.store.snapshot(code, Date.now(), this.restoreGraceMs, this.previousAliveAt);
      if (!snapshot) continue;
      // The game goes on with the scenario it was played with, even if the file has changed since.
      const session = this.store.session(code);
      const recorded = session ? this.store.scenario(session.scenarioHash) : undefined;
      const offered = context.catalog.get(snapshot.scenario)?.scenario;
      if (!recorded && !offered) {
        this.logger.error({ code, scenario: snapshot.scenario }, 'cannot restore a session: its scenario is neither recorded nor offered (its record is kept)');
        continue;
      }
      const changed = recorded && offered && JSON.stringify(recorded) !== JSON.stringify(offered);
      if (changed) this.logger.warn({ code, scenario: snapshot.scenario }, 'the scenario file changed since this session began: it continues with the recorded version');
      try {
        await matchMaker.createRoom('session', {
          restore: snapshot,
          internalToken: context.internalToken,
          ...(recorded && (changed || !offered) ? { scenario: recorded } : {}),
        });
        restored.push(code);
      } catch (e) {
        this.logger.error({ code, error: String(e) }, 'cannot restore a session (its record is kept)');
      }
    }
    if (restored.length > 0) this.logger.info({ sessions: restored }, 'sessions restored after a restart');
    return restored;
  }

  /** Deletes every session whose last activity is older than the retention period. */
  async purge(now = Date.now()): Promise<string[]> {
    if (!(this.retentionDays > 0)) return [];
    const old = this.store.olderThan(now - this.retentionDays * DAY);
    for (const code of old) await deleteSession(this.store, this.recorder, code);
    if (old.length > 0) this.logger.info({ sessions: old, retentionDays: this.retentionDays }, 'old sessions purged');
    return old;
  }

  /** Purges now and then once a day. */
  startRetention(): void {
    this.retentionTimer = setInterval(() => {
      this.purge().catch((e) => this.logger.error({ error: String(e) }, 'purge failed'));
    }, DAY);
    this.retentionTimer.unref();
  }

  /** Copies the record to `dir` now (SQLite's online backup; games go on). Returns the file written. */
  async backup(dir = this.backups?.dir, keep = this.backups?.keep ?? 7): Promise<string> {
    if (!dir) throw new Error('no backup folder: set BACKUP_DIR');
    const t0 = performance.now();
    const file = await backupDatabase(this.store.db, dir, keep);
    this.logger.info({ file, ms: Math.round(performance.now() - t0) }, 'database backed up');
    return file;
  }

  /** With `BACKUP_DIR`: a backup now, then every `BACKUP_HOURS`. */
  startBackups(): void {
    const b = this.backups;
    if (!b) return;
    const run = () => {
      this.backup().catch((e) => this.logger.error({ error: String(e), dir: b.dir }, 'database backup failed'));
    };
    run();
    this.backupTimer = setInterval(run, b.everyMs);
    this.backupTimer.unref();
  }

  /** The server is shutting down: the record keeps the games as they are now (see `SqliteRecorder.freeze`). */
  stopping(): void {
    this.recorder.freeze();
  }

  close(): void {
    if (this.retentionTimer) clearInterval(this.retentionTimer);
    if (this.backupTimer) clearInterval(this.backupTimer);
    this.recorder.close();
  }
}
