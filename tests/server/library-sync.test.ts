// biome-ignore-all lint/suspicious/noExplicitAny: tests read decoded JSON of unknown shape
/**
 * Issue 14: one library for every process of a shared record. What the workshop publishes through one
 * process is offered by all of them (copied at start and at each beat of the lease), a new version
 * replaces the old everywhere, a file removed by hand from one library is withdrawn everywhere, and a
 * row this process cannot read is skipped without harm. First the module (two catalogs, two connections
 * to one real PostgreSQL), then real server processes over HTTP.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeToLibrary } from '../../server/library.ts';
import { LibrarySync } from '../../server/persistence/library-sync.ts';
import { openRecord } from '../../server/persistence/open.ts';
import type { SqlDatabase } from '../../server/persistence/sql.ts';
import { ScenarioCatalog } from '../../server/scenarios.ts';
import { freePort } from '../helpers/ports.ts';
import { type PostgresServer, startPostgres } from '../helpers/postgres.ts';
import { path, THREE } from '../helpers/scenarios.ts';
import { type ServerProcess, startServer } from './persistence-helpers.ts';

const three = readFileSync(path(THREE), 'utf8');
const titled = (title: string) => three.replace(/^title: .*$/m, `title: ${title}`);
const ID = 'tern_islands';

let pg: PostgresServer;
const dirs: string[] = [];
const dbs: SqlDatabase[] = [];
const servers: ServerProcess[] = [];
const silent = pino({ level: 'silent' });

beforeAll(async () => {
  pg = await startPostgres();
}, 60_000);

afterAll(async () => {
  for (const s of servers) if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL');
  for (const db of dbs) await db.close().catch(() => undefined);
  await pg?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Polls an async condition (every 50 ms, at most `ms`). */
async function eventually(cond: () => Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function library(): string {
  const dir = mkdtempSync(join(tmpdir(), 'bamboo-library-'));
  dirs.push(dir);
  return dir;
}

/** One "process": its own library folder, catalog and connection to the shared record. */
async function processOn(url: string, name: string, logger = silent) {
  const dir = library();
  const db = await openRecord({ url });
  dbs.push(db);
  const catalog = ScenarioCatalog.load([dir], logger);
  const sync = new LibrarySync(db, catalog, logger, name);
  /** What the publish route does: write into this library, then share it. */
  const publish = async (text: string) => {
    const id = /^id: (\w+)$/m.exec(text)![1]!;
    const written = writeToLibrary(catalog, id, text, logger);
    if (!written.ok) throw new Error(written.reason);
    await catalog.onPublished!(id, text, written.entry.hash);
    return written.entry;
  };
  return { dir, db, catalog, sync, publish };
}

describe('the shared library (two processes, one PostgreSQL)', () => {
  it('publishes, replaces and withdraws everywhere; a late process gets what is current', async () => {
    const url = await pg.createDatabase('library_module');
    const a = await processOn(url, 'a');
    const b = await processOn(url, 'b');

    const v1 = await a.publish(titled('Terns, first draft'));
    expect(b.catalog.get(ID)).toBeUndefined();
    await b.sync.sync();
    expect(b.catalog.get(ID)?.hash).toBe(v1.hash);
    expect(b.catalog.get(ID)?.scenario.title).toBe('Terns, first draft');
    expect(readdirSync(b.dir)).toEqual([`${ID}.yaml`]);

    // A second look with nothing new changes nothing (the file is not written again).
    const mtime = b.catalog.get(ID)!.file;
    await b.sync.sync();
    expect(b.catalog.get(ID)!.file).toBe(mtime);

    // A new version, published through the other process, replaces the first in both.
    const v2 = await b.publish(titled('Terns, second draft'));
    await a.sync.sync();
    expect(a.catalog.get(ID)?.hash).toBe(v2.hash);
    expect(a.catalog.get(ID)?.scenario.title).toBe('Terns, second draft');
    // A session still playing the first version finds it.
    expect((await a.catalog.version(ID, v1.hash))?.scenario.title).toBe('Terns, first draft');

    // A process that starts later gets the current version at its first look.
    const c = await processOn(url, 'c');
    await c.sync.sync();
    expect(c.catalog.get(ID)?.hash).toBe(v2.hash);

    // Removed by hand from b's library while b runs: withdrawn everywhere.
    rmSync(b.catalog.get(ID)!.file);
    b.catalog.rescan(silent);
    expect(b.catalog.get(ID)).toBeUndefined();
    await eventually(async () => (await a.db.get<{ hash: string }>('SELECT hash FROM published_scenarios WHERE id = ?', [ID]))?.hash === '', 'the withdrawal');
    await a.sync.sync();
    await c.sync.sync();
    expect(a.catalog.get(ID)).toBeUndefined();
    expect(c.catalog.get(ID)).toBeUndefined();
    expect(readdirSync(a.dir)).toEqual([]);
    expect(readdirSync(c.dir)).toEqual([]);

    // A process that starts after the withdrawal does not bring it back.
    const d = await processOn(url, 'd');
    await d.sync.sync();
    expect(d.catalog.get(ID)).toBeUndefined();

    // Published again: back everywhere.
    const v3 = await c.publish(titled('Terns, third draft'));
    await a.sync.sync();
    await b.sync.sync();
    expect(a.catalog.get(ID)?.hash).toBe(v3.hash);
    expect(b.catalog.get(ID)?.hash).toBe(v3.hash);
  });

  it('skips a row this process cannot read, and says so; a publish the record refuses is an error', async () => {
    const url = await pg.createDatabase('library_bad_rows');
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (l: string) => lines.push(l) });
    const a = await processOn(url, 'a', logger);
    const rows: Array<[string, string]> = [
      ['broken', 'id: broken\ntitle: [unclosed\n'],
      // Content that gives another id than its row: never written under either.
      ['impostor', three],
      ['draft_x', three.replace(`id: ${ID}`, 'id: draft_x')],
    ];
    for (const [id, content] of rows) {
      await a.db.run('INSERT INTO published_scenarios (id, content, hash, changed_at, server) VALUES (?, ?, ?, ?, ?)', [id, content, 'f'.repeat(64), Date.now(), 'by-hand']);
    }
    await a.sync.sync();
    expect(a.catalog.entries.size).toBe(0);
    expect(readdirSync(a.dir)).toEqual([]);
    const skipped = lines.map((l) => JSON.parse(l)).filter((l) => l.msg?.includes('cannot read'));
    expect(skipped.map((l) => l.id).sort()).toEqual(['broken', 'draft_x', 'impostor']);
    // They are not read again at every beat.
    lines.length = 0;
    await a.sync.sync();
    expect(lines.filter((l) => l.includes('cannot read'))).toEqual([]);

    // The record is gone: the publish route answers with an error (the file stays in this library).
    await a.db.close();
    const written = writeToLibrary(a.catalog, ID, three, silent);
    expect(written.ok).toBe(true);
    await expect(a.catalog.onPublished!(ID, three, written.ok ? written.entry.hash : '')).rejects.toThrow();
  });
});

describe('real processes on one PostgreSQL', () => {
  const PASSWORD = 'library sync designer password';
  const publish = async (base: string, text: string) => {
    const res = await fetch(`${base}/api/scenarios`, { method: 'POST', body: text, headers: { 'content-type': 'application/yaml', authorization: `Bearer ${PASSWORD}` } });
    return { status: res.status, data: (await res.json()) as any };
  };
  const titles = async (base: string) => ((await (await fetch(`${base}/api/scenarios`)).json()) as Array<{ id: string; title: string }>).filter((s) => s.id === ID).map((s) => s.title);

  it('a scenario published through one process is offered by the others: at their start and within seconds', async () => {
    const url = await pg.createDatabase('library_processes');
    const start = async () => {
      const dir = library();
      const s = await startServer({ DATABASE_URL: url, DESIGNER_PASSWORD: PASSWORD, LEASE_SECONDS: '1', BAMBOO_SCENARIO_DIRS: `${dir}:scenarios` }, await freePort());
      servers.push(s);
      return { ...s, dir };
    };
    const first = await start();
    const published = await publish(first.url, titled('Terns over HTTP'));
    expect(published.status).toBe(201);

    // A process started afterwards lists it from its first answer.
    const second = await start();
    expect(await titles(second.url)).toEqual(['Terns over HTTP']);
    expect(existsSync(join(second.dir, `${ID}.yaml`))).toBe(true);

    // A new version through the second reaches the first at its next beat.
    expect((await publish(second.url, titled('Terns, revised'))).status).toBe(200);
    await eventually(async () => (await titles(first.url))[0] === 'Terns, revised', 'the new version on the first process');
    expect(readFileSync(join(first.dir, `${ID}.yaml`), 'utf8')).toBe(titled('Terns, revised'));
  }, 60_000);
});
