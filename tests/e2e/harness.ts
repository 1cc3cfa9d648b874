/**
 * Browser test harness: builds the client once, starts the real server on a free port (serving
 * dist/client), launches Debian's chromium through playwright-core, and runs axe-core.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';

export const SHOTS = 'tests/e2e/screenshots';
const CHROMIUM = '/usr/bin/chromium';

function newestMtime(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** Build the client unless dist/client is newer than every client source file. */
export function buildClient(): void {
  const out = 'dist/client/index.html';
  if (existsSync(out) && statSync(out).mtimeMs > newestMtime('client') && !process.env.BAMBOO_REBUILD) return;
  execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--config', 'client/vite.config.ts'], { stdio: 'inherit' });
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

export interface Harness {
  base: string;
  browser: Browser;
  server: ChildProcess;
  close(): Promise<void>;
}

/** `env`: extra settings for the server process (e.g. `DESIGNER_PASSWORD`, `BAMBOO_SCENARIO_DIRS`). */
export async function start(opts: { env?: Record<string, string> } = {}): Promise<Harness> {
  if (!existsSync(CHROMIUM)) throw new Error('chromium is missing: apt-get install -y chromium');
  mkdirSync(SHOTS, { recursive: true });
  buildClient();
  const port = await freePort();
  // Each run records into its own database: never the developer's data/bamboo.db (whose unfinished
  // games a server restores at start), and never one another server holds open.
  const dir = mkdtempSync(join(tmpdir(), 'bamboo-e2e-'));
  const server = spawn(process.execPath, ['server/main.ts'], {
    env: { ...process.env, PORT: String(port), LOG_LEVEL: 'warn', DATABASE_PATH: join(dir, 'record.db'), ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  server.stdout?.on('data', (d) => {
    log += String(d);
  });
  server.stderr?.on('data', (d) => {
    log += String(d);
  });
  // A server that stops on its own is a failure to see: print why (its last log lines).
  let closing = false;
  server.on('exit', (code, signal) => {
    if (!closing) console.error(`e2e server exited unexpectedly (code ${code}, signal ${signal}):\n${log.slice(-6000)}`);
  });
  const base = `http://localhost:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      const r = await fetch(`${base}/healthz`);
      if (r.ok) break;
    } catch {
      /* not yet */
    }
    if (Date.now() > deadline) throw new Error(`server did not start:\n${log}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run'],
  });
  return {
    base,
    browser,
    server,
    async close() {
      closing = true;
      await browser.close().catch(() => {});
      server.kill('SIGTERM');
      const exited = new Promise((r) => (server.exitCode !== null ? r(undefined) : server.once('exit', r)));
      const slow = setTimeout(() => server.kill('SIGKILL'), 8000);
      await exited;
      clearTimeout(slow);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Tab {
  context: BrowserContext;
  page: Page;
  errors: string[];
}

export async function tab(h: Harness, opts: { width?: number; height?: number; reducedMotion?: boolean } = {}): Promise<Tab> {
  const context = await h.browser.newContext({
    viewport: { width: opts.width ?? 1366, height: opts.height ?? 768 },
    reducedMotion: opts.reducedMotion === false ? 'no-preference' : 'reduce',
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return { context, page, errors };
}

/** Serious or critical axe violations on the page, as readable lines. */
export async function axe(page: Page, label: string): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).exclude('canvas').analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${label}: ${v.id} (${v.impact}) — ${v.help}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}

export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${SHOTS}/${name}.png` });
}
