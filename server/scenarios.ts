/**
 * The scenarios this server offers: every `*.yaml` file of the scenario directories, parsed by the
 * engine's `parseScenario`. Files that do not parse are logged and skipped; nothing here knows any
 * scenario's content.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { formatIssue, parseScenario, publicScenario, type Scenario } from '#shared/index.ts';
import type { ScenarioSummary } from '#shared/protocol.ts';
import { SCENARIO_LIMITS } from '#shared/scenario/limits.ts';
import type { Logger } from './log.ts';

export interface ScenarioEntry {
  scenario: Scenario;
  file: string;
  /** JSON of the scenario without secret objectives, for clients. */
  publicJson: string;
  summary: ScenarioSummary;
}

/** What the server keeps of a scenario: the content, its public JSON for clients, and a summary. */
export function scenarioEntry(scenario: Scenario, file = ''): ScenarioEntry {
  return {
    scenario,
    file,
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

/** Drafts kept for sandbox sessions started from the workshop (the oldest go first). */
export const MAX_DRAFTS = 100;

export class ScenarioCatalog {
  readonly entries = new Map<string, ScenarioEntry>();
  /** Workshop drafts: found by `get` (their sessions need them) but never listed to teachers. */
  readonly drafts = new Map<string, ScenarioEntry>();

  /** Adds every scenario file of `dirs` (later directories do not replace earlier ids). */
  static load(dirs: string[], logger?: Logger): ScenarioCatalog {
    const catalog = new ScenarioCatalog();
    for (const dir of dirs) {
      const abs = resolve(dir);
      let names: string[] = [];
      try {
        if (!statSync(abs).isDirectory()) continue;
        names = readdirSync(abs).filter((n) => n.endsWith('.yaml') || n.endsWith('.yml')).sort();
      } catch {
        logger?.warn({ dir: abs }, 'scenario directory not found');
        continue;
      }
      for (const name of names) catalog.loadFile(join(abs, name), logger);
    }
    return catalog;
  }

  /** Adds one file; a file that is too big, unreadable or invalid is logged and skipped, never thrown. */
  loadFile(file: string, logger?: Logger): boolean {
    try {
      const size = statSync(file).size;
      if (size > SCENARIO_LIMITS.bytes) {
        logger?.error({ file, bytes: size, limit: SCENARIO_LIMITS.bytes }, 'scenario file rejected: too large');
        return false;
      }
      const result = parseScenario(readFileSync(file, 'utf8'), file);
      if (!result.ok) {
        logger?.error({ file, errors: result.errors.map(formatIssue) }, 'scenario file rejected');
        return false;
      }
      this.add(result.scenario, file, logger);
      return true;
    } catch (error) {
      logger?.error({ file, err: (error as Error).message }, 'scenario file rejected');
      return false;
    }
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
