/**
 * The library: the first scenario directory (`BAMBOO_SCENARIO_DIRS`), where scenarios published from
 * the workshop are written. One place writes and removes its files, for publishing (server/publish.ts)
 * and for the shared record's copies from other processes (server/persistence/library-sync.ts).
 * Files are written under a name made from the scenario's id only, never one a client chose, through a
 * hidden temporary file renamed into place (the watcher ignores hidden files), so a reader never sees half.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Logger } from './log.ts';
import type { ScenarioCatalog, ScenarioEntry } from './scenarios.ts';

export type LibraryWrite =
  | { ok: true; file: string; entry: ScenarioEntry; replaced: boolean }
  | { ok: false; reason: 'no_library' | 'write_failed' }
  | { ok: false; reason: 'shadowed'; kept: string };

/** Whether the catalog's current entry for `id` comes from the library (not from a later directory). */
export function inLibrary(catalog: ScenarioCatalog, id: string): boolean {
  const entry = catalog.entries.get(id);
  return Boolean(entry && catalog.dirs[0] && dirname(entry.file) === catalog.dirs[0]);
}

/**
 * Writes `text` (already checked: a scenario whose id is `id`) into the library, over the file that
 * gives `id` there if any, and reads the catalog again. Refused when another library file of an
 * earlier name gives the same id (that one would win): the new file is taken back out.
 */
export function writeToLibrary(catalog: ScenarioCatalog, id: string, text: string, logger: Logger): LibraryWrite {
  const dir = catalog.dirs[0];
  if (!dir) return { ok: false, reason: 'no_library' };
  // Read the folders first: a file may have arrived since the watcher's last look.
  catalog.rescan(logger);
  const current = catalog.entries.get(id);
  const file = inLibrary(catalog, id) ? current!.file : join(dir, `${id}.yaml`);
  const existed = existsSync(file);
  const temp = join(dir, `.${id}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(temp, text, { flag: 'wx' });
    renameSync(temp, file);
  } catch (e) {
    rmSync(temp, { force: true });
    logger.error({ file, error: String(e) }, 'could not write a scenario into the library');
    return { ok: false, reason: 'write_failed' };
  }
  catalog.rescan(logger);
  const entry = catalog.entries.get(id);
  if (entry?.file !== file) {
    logger.warn({ id, file, kept: entry?.file }, 'scenario in the library shadowed by another file');
    if (!existed) {
      rmSync(file, { force: true });
      catalog.rescan(logger);
    }
    return { ok: false, reason: 'shadowed', kept: entry?.file ?? '' };
  }
  return { ok: true, file, entry, replaced: Boolean(current) };
}

/** Removes the library's file for `id` (if the catalog's entry comes from there) and reads the catalog again. */
export function removeFromLibrary(catalog: ScenarioCatalog, id: string, logger: Logger): boolean {
  if (!inLibrary(catalog, id)) return false;
  const file = catalog.entries.get(id)!.file;
  try {
    rmSync(file, { force: true });
  } catch (e) {
    logger.error({ file, error: String(e) }, 'could not remove a scenario from the library');
    return false;
  }
  catalog.rescan(logger);
  return true;
}
