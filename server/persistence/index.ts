/**
 * Persistence for the server process (issues 6 and 14), wired by server/main.ts (and the tests):
 * open the record (a clear `StorageError` if it cannot be used), record every session, serve the
 * record's HTTP API, re-create the unfinished sessions no live process hosts (at start, and whenever
 * another process is lost), share the workshop's published scenarios between processes, and purge old sessions.
 *
 * Environment: `DATABASE_URL` (PostgreSQL, shared by several processes) or `DATABASE_PATH` (SQLite,
 * default data/bamboo.db), `LEASE_SECONDS` (default 15: a process silent this long has lost its
 * sessions), `RETENTION_DAYS` (default 365; 0 keeps everything), `RESTORE_GRACE_SECONDS` (default 10:
 * a restored phase timer has at least this long), `BACKUP_DIR`/`BACKUP_HOURS`/`BACKUP_KEEP` (online
 * backups of the SQLite file, server/persistence/backup.ts).
 */
import { matchMaker } from '@colyseus/core';
import type { Scenario } from '#shared/index.ts';
import type { Logger } from '../log.ts';
import type { ServerContext, SessionRoom } from '../SessionRoom.ts';
import { type BackupSettings, backupDatabase, backupSettings } from './backup.ts';
import { deleteSession, persistenceRoutes } from './http.ts';
import { leaseSettings, type Orphan, ServerLease } from './lease.ts';
import { LibrarySync } from './library-sync.ts';
import { openRecord, type RecordLocation, recordLocation } from './open.ts';
import { DatabaseRecorder } from './recorder.ts';
import type { SqlDatabase } from './sql.ts';
import { SqliteDatabase } from './sqlite.ts';
import { RecordStore } from './store.ts';

export { StorageError } from './db.ts';

export interface PersistenceOptions {
  /** A SQLite file (default: `DATABASE_PATH`, unless `DATABASE_URL` is set). */
  path?: string;
  /** A PostgreSQL address (default: `DATABASE_URL`). */
  url?: string;
  logger: Logger;
  retentionDays?: number;
  restoreGraceSeconds?: number;
  heartbeatMs?: number;
  /** A process silent this long has lost its sessions (ms; default `LEASE_SECONDS`). */
  leaseMs?: number;
  /** Online backups (default: `BACKUP_DIR`, `BACKUP_HOURS`, `BACKUP_KEEP`; server/persistence/backup.ts). */
  backups?: BackupSettings;
  env?: NodeJS.ProcessEnv;
}

const DAY = 24 * 3600 * 1000;

/**
 * Called before a session lost by another process is re-created here: false if that process turns out
 * to be alive (server/scale.ts asks it through Colyseus, which also removes a dead one's room listings).
 */
export type BeforeTakeover = (orphan: Orphan) => Promise<boolean>;

export class Persistence {
  /** Where the record is, for logs. */
  readonly describe: string;
  readonly db: SqlDatabase;
  readonly store: RecordStore;
  readonly recorder: DatabaseRecorder;
  readonly lease: ServerLease;
  readonly routes: ReturnType<typeof persistenceRoutes>;
  readonly retentionDays: number;
  readonly restoreGraceMs: number;
  private readonly logger: Logger;
  private scenarioOf: (id: string) => Scenario | undefined = () => undefined;
  private retentionTimer: NodeJS.Timeout | undefined;
  private backupTimer: NodeJS.Timeout | undefined;
  private leaseTimer: NodeJS.Timeout | undefined;
  readonly backups: BackupSettings | undefined;
  /** When a server of this record was last alive before issue 14 kept one time per process. */
  private legacyAliveAt = 0;
  private context: ServerContext | undefined;
  private checking = false;
  private stopped = false;
  beforeTakeover: BeforeTakeover | undefined;
  /** With PostgreSQL: the library shared by every process of the record (library-sync.ts). */
  library: LibrarySync | undefined;

  private constructor(db: SqlDatabase, options: PersistenceOptions, env: NodeJS.ProcessEnv) {
    this.db = db;
    this.describe = db.describe;
    this.logger = options.logger;
    this.retentionDays = options.retentionDays ?? Number(env.RETENTION_DAYS ?? 365);
    this.restoreGraceMs = 1000 * (options.restoreGraceSeconds ?? Number(env.RESTORE_GRACE_SECONDS ?? 10));
    this.backups = options.backups ?? backupSettings(env);
    this.lease = new ServerLease(db, { leaseMs: options.leaseMs ?? leaseSettings(env).leaseMs, exclusive: db.dialect === 'sqlite' });
    this.store = new RecordStore(db);
    this.store.onProblem = (code, problems) => this.logger.error({ code, problems }, 'a restored game could not be rebuilt exactly from its record');
    this.recorder = new DatabaseRecorder(db, {
      scenarioOf: (id) => this.scenarioOf(id),
      logger: this.logger,
      serverId: this.lease.id,
      heartbeatMs: options.heartbeatMs ?? Number(env.BAMBOO_HEARTBEAT_MS ?? 5000),
      onHealth: (session, problem) => {
        const room = matchMaker.getLocalRoomById(session) as SessionRoom | undefined;
        room?.storageProblem?.(problem);
      },
    });
    this.routes = persistenceRoutes({ store: this.store, recorder: this.recorder, logger: this.logger, own: (code) => this.lease.own(code) });
  }

  /** Opens (and migrates) the record and registers this process. Throws `StorageError`. */
  static async open(options: PersistenceOptions): Promise<Persistence> {
    const env = options.env ?? process.env;
    const where: RecordLocation = options.url ? { url: options.url } : options.path ? { path: options.path } : recordLocation(env);
    const db = await openRecord(where);
    const p = new Persistence(db, options, env);
    p.legacyAliveAt = await p.store.aliveAt();
    await p.lease.start();
    return p;
  }

  /** The server's context (catalog, internal token) once the app exists. */
  attach(context: ServerContext): void {
    this.context = context;
    this.scenarioOf = (id) => context.catalog.get(id)?.scenario;
    // Clients of a session restored with a recorded version fetch that version by its hash.
    context.catalog.recorded = (hash) => this.store.scenario(hash);
    // A new session never takes the code of a recorded one (its replays and debrief stay its own).
    context.codeTaken = async (code) => (await this.store.session(code)) !== undefined;
    // Several processes share one record: what is published through one is offered by all.
    if (this.db.dialect === 'postgres') this.library = new LibrarySync(this.db, context.catalog, this.logger, this.lease.id);
  }

  /**
   * Re-creates every unfinished session whose host is gone (at start: with SQLite, all of them; with
   * PostgreSQL, those of processes that stopped or went silent) from its latest snapshot. Returns the
   * codes restored.
   */
  async restoreAll(context: ServerContext = this.context!): Promise<string[]> {
    const restored: string[] = [];
    const from = new Set<string>();
    for (const orphan of await this.lease.orphans()) {
      if (this.stopped) break;
      // Its process may only have lost the database for a while: if it still answers, it keeps the
      // session (asked before the claim, so that it never sees its session taken and let go).
      if (orphan.owner && this.beforeTakeover && !(await this.beforeTakeover(orphan))) {
        this.logger.warn({ code: orphan.code, owner: orphan.owner }, 'a session looked lost, but its process answers: left where it is');
        continue;
      }
      if (!(await this.lease.claim(orphan))) continue;
      if (await this.restore(context, orphan)) {
        restored.push(orphan.code);
        from.add(orphan.owner);
      }
    }
    if (restored.length > 0) this.logger.info({ sessions: restored, from: [...from] }, 'sessions restored from the record');
    return restored;
  }

  private async restore(context: ServerContext, orphan: Orphan): Promise<boolean> {
    const { code } = orphan;
    const snapshot = await this.store.snapshot(code, Date.now(), this.restoreGraceMs, orphan.aliveAt ?? this.legacyAliveAt);
    if (!snapshot) return false;
    // The game goes on with the scenario it was played with, even if the file has changed since.
    const session = await this.store.session(code);
    const recorded = session ? await this.store.scenario(session.scenarioHash) : undefined;
    const offered = context.catalog.get(snapshot.scenario)?.scenario;
    if (!recorded && !offered) {
      this.logger.error({ code, scenario: snapshot.scenario }, 'cannot restore a session: its scenario is neither recorded nor offered (its record is kept)');
      return false;
    }
    const changed = recorded && offered && JSON.stringify(recorded) !== JSON.stringify(offered);
    if (changed) this.logger.warn({ code, scenario: snapshot.scenario }, 'the scenario file changed since this session began: it continues with the recorded version');
    try {
      this.recorder.resume(code);
      // Here, on this process (the lease says so), not wherever Colyseus would place a new room.
      await matchMaker.handleCreateRoom('session', {
        restore: snapshot,
        internalToken: context.internalToken,
        ...(recorded && (changed || !offered) ? { scenario: recorded } : {}),
      });
      if (orphan.owner) this.logger.warn({ code, from: orphan.owner, silentMs: orphan.aliveAt === null ? null : Date.now() - orphan.aliveAt }, 'session taken over from a process that is gone');
      return true;
    } catch (e) {
      this.logger.error({ code, error: String(e) }, 'cannot restore a session (its record is kept)');
      return false;
    }
  }

  /**
   * Every third of the lease: this process is alive; the sessions another process took from it (it
   * was silent too long) are let go; with PostgreSQL, what other processes published is copied into
   * this library and the sessions of processes that are gone are taken over.
   */
  startLease(context: ServerContext = this.context!): void {
    const every = Math.max(200, Math.floor(this.lease.leaseMs / 3));
    this.leaseTimer = setInterval(() => {
      void this.checkLease(context);
    }, every);
    this.leaseTimer.unref();
  }

  /** One beat of the lease (see `startLease`). Never throws. */
  async checkLease(context: ServerContext = this.context!): Promise<void> {
    if (this.checking || this.stopped) return;
    this.checking = true;
    try {
      await this.lease.beat();
      await this.library?.sync();
      const hosted = (await matchMaker.query({ name: 'session', processId: matchMaker.processId })).map((r) => r.roomId).filter((id) => matchMaker.getLocalRoomById(id));
      for (const code of await this.lease.lost(hosted)) {
        this.logger.error({ code }, 'another process took this session over (this one was silent longer than the lease): letting it go');
        this.recorder.forget(code);
        const room = matchMaker.getLocalRoomById(code) as SessionRoom | undefined;
        await room?.disconnect().catch(() => undefined);
      }
      if (this.db.dialect === 'postgres') await this.restoreAll(context);
    } catch (e) {
      this.logger.error({ error: String(e) }, 'lease check failed (retrying)');
    } finally {
      this.checking = false;
    }
  }

  /** Deletes every session whose last activity is older than the retention period. */
  async purge(now = Date.now()): Promise<string[]> {
    if (!(this.retentionDays > 0)) return [];
    const old = await this.store.olderThan(now - this.retentionDays * DAY);
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

  /** Copies the SQLite record to `dir` now (SQLite's online backup; games go on). Returns the file written. */
  async backup(dir = this.backups?.dir, keep = this.backups?.keep ?? 7): Promise<string> {
    if (!dir) throw new Error('no backup folder: set BACKUP_DIR');
    if (!(this.db instanceof SqliteDatabase)) throw new Error('BACKUP_DIR backs up the SQLite file; back PostgreSQL up with pg_dump (docs/operations.md)');
    const t0 = performance.now();
    const file = await backupDatabase(this.db.raw, dir, keep);
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

  /**
   * The server is shutting down: the record keeps the games as they are now (see
   * `DatabaseRecorder.freeze`), and the other processes may take its sessions over at once.
   */
  async stopping(): Promise<void> {
    this.stopped = true;
    await this.recorder.freeze();
    await this.lease.stop().catch((e) => this.logger.error({ error: String(e) }, 'could not mark this process stopped'));
  }

  async close(): Promise<void> {
    this.stopped = true;
    if (this.retentionTimer) clearInterval(this.retentionTimer);
    if (this.backupTimer) clearInterval(this.backupTimer);
    if (this.leaseTimer) clearInterval(this.leaseTimer);
    this.library?.close();
    await this.recorder.close();
  }
}
