/**
 * One library for every process of a shared record (PostgreSQL, issue 14). A scenario published from
 * the workshop is written into the library of the process that received it (server/publish.ts) and
 * into the record's `published_scenarios`; every other process copies it into its own library at its
 * next look (each beat of the lease, a few seconds), so teachers see it whichever process answers them.
 * A library file of a shared scenario removed by hand from one running process is withdrawn
 * everywhere (its row keeps `hash = ''`). Files edited by hand stay local: publish to share.
 *
 * Every copy is checked again by this process's own parser before it is written: a process of another
 * version, or a row changed by hand, cannot put a file into the library that this process would refuse.
 */
import { parseScenario } from '#shared/index.ts';
import { inLibrary, removeFromLibrary, writeToLibrary } from '../library.ts';
import type { Logger } from '../log.ts';
import type { ScenarioCatalog } from '../scenarios.ts';
import type { SqlDatabase } from './sql.ts';

interface Row {
  id: string;
  hash: string;
}

export class LibrarySync {
  /** Per id, the version this process has in its library from the record ('' once withdrawn). */
  private readonly seen = new Map<string, string>();
  private syncing = false;

  private readonly db: SqlDatabase;
  private readonly catalog: ScenarioCatalog;
  private readonly logger: Logger;
  private readonly serverId: string;

  constructor(db: SqlDatabase, catalog: ScenarioCatalog, logger: Logger, serverId: string) {
    this.db = db;
    this.catalog = catalog;
    this.logger = logger;
    this.serverId = serverId;
    catalog.onPublished = (id, text, hash) => this.published(id, text, hash);
    catalog.onRescan = () => this.noticeRemovals();
  }

  /** Shares what was just published here (the publish route awaits it before it answers). */
  async published(id: string, text: string, hash: string): Promise<void> {
    await this.upsert(id, text, hash);
    this.seen.set(id, hash);
  }

  /** Copies into this library what others published or withdrew since the last look. Never throws. */
  async sync(): Promise<void> {
    if (this.syncing) return;
    this.syncing = true;
    try {
      for (const row of await this.db.all<Row>('SELECT id, hash FROM published_scenarios ORDER BY id')) {
        if (this.seen.get(row.id) === row.hash) continue;
        await this.apply(row);
        // A copy is parsed and the folder read again (tens of ms): let the games' messages through between copies.
        await new Promise((resolve) => setImmediate(resolve));
      }
    } catch (e) {
      this.logger.error({ error: String(e) }, 'shared library check failed (retrying)');
    } finally {
      this.syncing = false;
    }
  }

  private async apply(row: Row): Promise<void> {
    if (row.hash === '') {
      // Marked first, so that the rescan after the removal does not withdraw it a second time.
      this.seen.set(row.id, '');
      if (removeFromLibrary(this.catalog, row.id, this.logger)) this.logger.info({ id: row.id }, 'scenario withdrawn from the shared library');
      return;
    }
    if (inLibrary(this.catalog, row.id) && this.catalog.entries.get(row.id)?.hash === row.hash) {
      this.seen.set(row.id, row.hash);
      return;
    }
    const full = await this.db.get<{ content: string | null }>('SELECT content FROM published_scenarios WHERE id = ? AND hash = ?', [row.id, row.hash]);
    // Changed again since the list was read: the next look takes the newer version.
    if (typeof full?.content !== 'string') return;
    const parsed = parseScenario(full.content, `${row.id}.yaml`);
    if (!parsed.ok || parsed.scenario.id !== row.id || row.id.startsWith('draft_')) {
      this.seen.set(row.id, row.hash);
      this.logger.error({ id: row.id, errors: parsed.ok ? ['id does not match'] : parsed.errors.length }, 'shared library: a published scenario this server cannot read was skipped');
      return;
    }
    const written = writeToLibrary(this.catalog, row.id, full.content, this.logger);
    this.seen.set(row.id, row.hash);
    if (written.ok) this.logger.info({ id: row.id, hash: row.hash, file: written.file }, 'scenario copied from the shared library');
  }

  /** After a rescan: a shared scenario whose library file is gone here was withdrawn by hand. */
  private noticeRemovals(): void {
    for (const [id, hash] of this.seen) {
      if (hash === '' || inLibrary(this.catalog, id)) continue;
      this.seen.set(id, '');
      this.logger.info({ id }, 'shared scenario removed from this library: withdrawing it everywhere');
      this.upsert(id, null, '').catch((e) => this.logger.error({ id, error: String(e) }, 'could not withdraw a shared scenario'));
    }
  }

  private async upsert(id: string, content: string | null, hash: string): Promise<void> {
    await this.db.run(
      'INSERT INTO published_scenarios (id, content, hash, changed_at, server) VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET content = excluded.content, hash = excluded.hash, changed_at = excluded.changed_at, server = excluded.server',
      [id, content, hash, Date.now(), this.serverId],
    );
  }

  /** Stops listening to the catalog. */
  close(): void {
    this.catalog.onPublished = undefined;
    this.catalog.onRescan = undefined;
  }
}
