/**
 * The scenarios this server offers: every `*.yaml` file of the scenario directories, parsed by the
 * engine's `parseScenario`. Files that do not parse are logged and skipped; nothing here knows any
 * scenario's content.
 *
 * `rescan()` reads the directories again (the watcher of server/watch.ts and publishing call it): new,
 * changed and removed files take effect at once. A running session holds its own entry, so it keeps
 * the version it began with; a version that is replaced stays reachable by its hash (`version()`),
 * for the clients of such sessions, and, through `recorded`, any version the record holds.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { formatIssue, parseScenario, publicScenario, type Scenario } from '#shared/index.ts';
import type { ScenarioSummary } from '#shared/protocol.ts';
import { SCENARIO_LIMITS } from '#shared/scenario/limits.ts';
import type { Logger } from './log.ts';

export interface ScenarioEntry {
  scenario: Scenario;
  file: string;
  /** sha256 of the scenario's JSON: the same hash as the record's (server/persistence/recorder.ts). */
  hash: string;
  /** JSON of the scenario without secret objectives, for clients. */
  publicJson: string;
  summary: ScenarioSummary;
}

/** What the server keeps of a scenario: the content, its public JSON for clients, and a summary. */
export function scenarioEntry(scenario: Scenario, file = ''): ScenarioEntry {
  return {
    scenario,
    file,
    hash: scenarioHash(scenario),
    publicJson: JSON.stringify(publicScenario(scenario)),
    summary: {
      id: scenario.id,
      title: scenario.title,
      summary: scenario.summary,
      turns: scenario.turns.count,
      powers: scenario.powers.map((p) => ({ id: p.id, name: p.name, colour: p.colour })),
    },
  };
}

/** The content hash of a scenario, as the record keys it. */
export function scenarioHash(scenario: Scenario): string {
  return createHash('sha256').update(JSON.stringify(scenario)).digest('hex');
}

/** Replaced versions kept in memory for the sessions still playing them (the oldest go first). */
export const MAX_OLD_VERSIONS = 200;

/** What one rescan changed, by scenario id. */
export interface CatalogChanges {
  added: string[];
  changed: string[];
  removed: string[];
}

/** Drafts kept for sandbox sessions started from the workshop (the oldest go first). */
export const MAX_DRAFTS = 100;

export class ScenarioCatalog {
  readonly entries = new Map<string, ScenarioEntry>();
  /** Workshop drafts: found by `get` (their sessions need them) but never listed to teachers. */
  readonly drafts = new Map<string, ScenarioEntry>();
  /** Versions replaced or removed since they were loaded, by `id@hash`. */
  private readonly old = new Map<string, ScenarioEntry>();
  /** What each file gave at its last reading (size and mtime), so that a rescan parses changed files only. */
  private readonly files = new Map<string, { size: number; mtimeMs: number; entry: ScenarioEntry | null }>();
  /** The scenario directories, absolute, in order of precedence (`load`). */
  dirs: string[] = [];
  /** A version the record holds, by hash (set by server/persistence: sessions restored with it). */
  recorded: ((hash: string) => Promise<Scenario | undefined>) | undefined;
  /** A scenario was published into the library here (set by server/persistence with a shared record). */
  onPublished: ((id: string, text: string, hash: string) => Promise<void>) | undefined;
  /** After every rescan but the first (set by server/persistence with a shared record). */
  onRescan: (() => void) | undefined;

  /** Adds every scenario file of `dirs` (later directories do not replace earlier ids). */
  static load(dirs: string[], logger?: Logger): ScenarioCatalog {
    const catalog = new ScenarioCatalog();
    catalog.dirs = dirs.map((d) => resolve(d));
    catalog.rescan(logger, true);
    return catalog;
  }

  /**
   * Reads the directories again: the catalog becomes exactly what their valid files say (earlier
   * directories, then earlier file names, win a duplicate id). Unchanged files are not parsed again;
   * a bad file is logged and skipped. Replaced versions stay reachable by `version()`.
   */
  rescan(logger?: Logger, first = false): CatalogChanges {
    const next = new Map<string, ScenarioEntry>();
    const seen = new Set<string>();
    for (const abs of this.dirs) {
      let names: string[] = [];
      try {
        if (!statSync(abs).isDirectory()) continue;
        names = readdirSync(abs).filter((n) => !n.startsWith('.') && (n.endsWith('.yaml') || n.endsWith('.yml'))).sort();
      } catch {
        if (first) logger?.warn({ dir: abs }, 'scenario directory not found');
        continue;
      }
      for (const name of names) {
        const file = join(abs, name);
        seen.add(file);
        const entry = this.readFile(file, logger);
        if (!entry) continue;
        const id = entry.scenario.id;
        if (next.has(id)) {
          logger?.warn({ id, file, kept: next.get(id)!.file }, 'duplicate scenario id ignored');
          continue;
        }
        next.set(id, entry);
      }
    }
    for (const file of this.files.keys()) if (!seen.has(file)) this.files.delete(file);
    const changes: CatalogChanges = { added: [], changed: [], removed: [] };
    for (const [id, entry] of this.entries) {
      const now = next.get(id);
      if (now?.hash === entry.hash) continue;
      (now ? changes.changed : changes.removed).push(id);
      this.keepOld(entry);
    }
    for (const id of next.keys()) if (!this.entries.has(id)) changes.added.push(id);
    this.entries.clear();
    for (const [id, entry] of next) this.entries.set(id, entry);
    if (!first && changes.added.length + changes.changed.length + changes.removed.length > 0) logger?.info(changes, 'scenarios changed');
    if (!first) this.onRescan?.();
    return changes;
  }

  /** A file's entry, parsed again only when its size or mtime changed; null when it is bad. */
  private readFile(file: string, logger?: Logger): ScenarioEntry | null {
    let size = -1;
    let mtimeMs = -1;
    try {
      const st = statSync(file);
      size = st.size;
      mtimeMs = st.mtimeMs;
    } catch {
      // Unreadable: loadEntry logs it.
    }
    const known = this.files.get(file);
    if (known && known.size === size && known.mtimeMs === mtimeMs) return known.entry;
    const entry = loadEntry(file, logger);
    this.files.set(file, { size, mtimeMs, entry });
    return entry;
  }

  private keepOld(entry: ScenarioEntry): void {
    const key = `${entry.scenario.id}@${entry.hash}`;
    this.old.delete(key);
    this.old.set(key, entry);
    while (this.old.size > MAX_OLD_VERSIONS) this.old.delete(this.old.keys().next().value!);
  }

  /** Adds one file; a file that is too big, unreadable or invalid is logged and skipped, never thrown. */
  loadFile(file: string, logger?: Logger): boolean {
    const entry = loadEntry(file, logger);
    if (entry) this.add(entry.scenario, file, logger);
    return entry !== null;
  }

  add(scenario: Scenario, file = '', logger?: Logger): void {
    if (this.entries.has(scenario.id)) {
      logger?.warn({ id: scenario.id, file }, 'duplicate scenario id ignored');
      return;
    }
    this.entries.set(scenario.id, scenarioEntry(scenario, file));
  }

  get(id: string): ScenarioEntry | undefined {
    return this.entries.get(id) ?? this.drafts.get(id);
  }

  /**
   * One version of a scenario, by its content hash: the current one, one replaced while this server
   * ran, or one the record holds (a session restored with it). Undefined when none of them matches.
   */
  async version(id: string, hash: string): Promise<ScenarioEntry | undefined> {
    const current = this.get(id);
    if (current?.hash === hash) return current;
    const old = this.old.get(`${id}@${hash}`);
    if (old) return old;
    const recorded = /^[0-9a-f]{64}$/.test(hash) ? await this.recorded?.(hash).catch(() => undefined) : undefined;
    if (recorded?.id !== id) return undefined;
    const entry = scenarioEntry(recorded, '(recorded)');
    this.keepOld(entry);
    return entry;
  }

  /** Keeps a draft under a fresh id (`draft_…`), which its sandbox session and clients use. */
  addDraft(scenario: Scenario, id: string): ScenarioEntry {
    const entry = scenarioEntry({ ...scenario, id }, '(workshop draft)');
    this.drafts.set(id, entry);
    while (this.drafts.size > MAX_DRAFTS) this.drafts.delete(this.drafts.keys().next().value!);
    return entry;
  }

  list(): ScenarioSummary[] {
    return [...this.entries.values()].map((e) => e.summary);
  }
}

/** Parses one file into an entry; a file that is too big, unreadable or invalid is logged and gives null. */
function loadEntry(file: string, logger?: Logger): ScenarioEntry | null {
  try {
    const size = statSync(file).size;
    if (size > SCENARIO_LIMITS.bytes) {
      logger?.error({ file, bytes: size, limit: SCENARIO_LIMITS.bytes }, 'scenario file rejected: too large');
      return null;
    }
    const result = parseScenario(readFileSync(file, 'utf8'), file);
    if (!result.ok) {
      logger?.error({ file, errors: result.errors.map(formatIssue) }, 'scenario file rejected');
      return null;
    }
    return scenarioEntry(result.scenario, file);
  } catch (error) {
    logger?.error({ file, err: (error as Error).message }, 'scenario file rejected');
    return null;
  }
}
