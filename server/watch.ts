/**
 * Watches the scenario directories (`BAMBOO_SCENARIO_DIRS`, node:fs `watch`) and rescans the catalog a
 * moment after the last change (debounced: an editor's save or a copy fires several events): new,
 * changed and removed files take effect without a restart. A bad file is logged with its errors and
 * skipped (server/scenarios.ts); nothing here ever throws. Running sessions hold their own version.
 */
import { type FSWatcher, statSync, watch } from 'node:fs';
import type { Logger } from './log.ts';
import type { ScenarioCatalog } from './scenarios.ts';

export interface ScenarioWatcher {
  close(): void;
}

/** Default quiet time before a rescan (ms). */
export const WATCH_DEBOUNCE_MS = 250;

export function watchScenarioDirs(catalog: ScenarioCatalog, logger: Logger, debounceMs = WATCH_DEBOUNCE_MS): ScenarioWatcher {
  const watchers: FSWatcher[] = [];
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  const rescan = () => {
    timer = undefined;
    if (closed) return;
    try {
      catalog.rescan(logger);
    } catch (e) {
      logger.error({ error: String(e) }, 'scenario rescan failed');
    }
  };
  const changed = (name: string | Buffer | null) => {
    const n = name ? String(name) : '';
    // Hidden files are publishing's temporary files (renamed into place when complete).
    if (n && (n.startsWith('.') || !(n.endsWith('.yaml') || n.endsWith('.yml')))) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(rescan, debounceMs);
    timer.unref();
  };
  for (const dir of catalog.dirs) {
    try {
      if (!statSync(dir).isDirectory()) continue;
      const w = watch(dir, { persistent: false }, (_event, name) => changed(name));
      w.on('error', (e) => logger.warn({ dir, error: String(e) }, 'scenario directory watch failed: changes there need a restart'));
      watchers.push(w);
    } catch (e) {
      logger.warn({ dir, error: String(e) }, 'scenario directory not watched');
    }
  }
  return {
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      for (const w of watchers) w.close();
    },
  };
}
