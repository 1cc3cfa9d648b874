/**
 * The designer's workshop in real Chromium: paste a broken file and see each error at its line, fix
 * it and see the preview, run 500 bot games in the worker (and a second run beside the first), and
 * start a sandbox session from the draft, and publish it with the designer password: the teacher's
 * list offers it at once, without a restart. Screenshots at 1366×768 and at a phone's size.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { axe, type Harness, shot, start, tab } from './harness.ts';

const lab = readFileSync('tests/fixtures/scenarios/three-powers.yaml', 'utf8');
// Two mistakes: a capital that is no place, and a move by an unknown power.
const broken = lab.replace(/capital: (\w+)/, 'capital: atlantis_city').replace(/by: \[(\w+)/, 'by: [atlantis');
const lineOf = (text: string, needle: string) => text.slice(0, text.indexOf(needle)).split('\n').length;

const DESIGNER_PASSWORD = 'e2e designer password';
// The server's library (the first scenario directory) starts empty; the usual scenarios come after it.
const library = mkdtempSync(join(tmpdir(), 'bamboo-e2e-library-'));

let hs: Harness;
beforeAll(async () => {
  hs = await start({ env: { DESIGNER_PASSWORD, BAMBOO_SCENARIO_DIRS: `${library}:scenarios` } });
});
afterAll(async () => {
  await hs?.close();
  rmSync(library, { recursive: true, force: true });
});

/** axe, less its finding on CodeMirror's scroller: the editable content inside it takes the focus. */
async function a11y(page: Page, label: string): Promise<string[]> {
  return (await axe(page, label)).filter((v) => !/scrollable-region-focusable .*: \.cm-scroller$/.test(v));
}

async function paste(page: Page, text: string): Promise<void> {
  await page.locator('.cm-content').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.evaluate((t) => navigator.clipboard?.writeText(t).catch(() => {}), text).catch(() => {});
  // Paste through the editor's own input path (a ClipboardEvent with the text).
  await page.locator('.cm-content').evaluate((el, t) => {
    const data = new DataTransfer();
    data.setData('text/plain', t);
    el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, text);
}

describe('designer workshop', () => {
  it('checks as you type, previews, balances in a worker and plays the draft', async () => {
    const { page, errors, context } = await tab(hs);
    await context.grantPermissions(['clipboard-read', 'clipboard-write']).catch(() => {});
    const cdp = await context.newCDPSession(page); await cdp.send('Emulation.setCPUThrottlingRate', { rate: 8 });
    await page.goto(`${hs.base}/#/`);
    await page.getByRole('tab', { name: 'Start a session (teacher)' }).click();
    await page.getByTestId('workshop-link').click();
    await page.locator('.cm-content').waitFor();
    // The workshop opens on a valid example; it is checked before the broken file comes (a slow
    // machine must not paste over it before then, or there is no "last version without errors").
    // Wait for what it shows (its powers), not for the absence of a message that may not be drawn yet.
    await expect.poll(() => page.getByTestId('preview-power').count(), { timeout: 20_000 }).toBeGreaterThan(0);

    // A broken file: each error listed with its line and path, and underlined at that line.
    await paste(page, broken);
    await expect.poll(() => page.getByTestId('problems-summary').textContent(), { timeout: 15_000 }).toContain('2 errors');
    const problems = page.getByTestId('problems').locator('button.ws-problem.error');
    const capitalLine = lineOf(broken, 'atlantis_city');
    const byLine = lineOf(broken, 'by: [atlantis');
    expect(await problems.evaluateAll((bs) => bs.map((b) => b.getAttribute('data-line')))).toEqual([String(capitalLine), String(byLine)]);
    await expect.poll(() => problems.first().textContent()).toMatch(/powers\[0\]\.capital.*unknown place "atlantis_city"/);
    // Underlined at its line: the editor draws the lines in view, so go to each error and look there.
    await problems.first().click();
    await expect.poll(() => page.locator('.cm-activeLine .cm-lintRange-error').textContent()).toBe('atlantis_city');
    await expect.poll(() => page.getByTestId('preview').textContent()).toContain('Showing the last version without errors');
    // Keyboard: focus the list, move down, Enter puts the cursor at the second error.
    await problems.first().focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.cm-activeLine .cm-lintRange-error').textContent()).toBe('atlantis');
    expect(await page.locator('.cm-activeLineGutter').first().textContent()).toContain(String(byLine));
    await page.waitForTimeout(300);
    await shot(page, 'workshop-errors'); await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
    await page.screenshot({ path: '/tmp/workshop-errors.png' });

    // Fixed: no errors, the preview shows the powers, moves and events.
    await paste(page, lab);
    await expect.poll(() => page.getByTestId('problems-summary').textContent(), { timeout: 15_000 }).toContain('No errors');
    await expect.poll(() => page.getByTestId('preview-power').count()).toBe(3);
    expect(await page.getByTestId('preview-move').count()).toBe(5);
    expect(await page.getByTestId('preview-event').count()).toBe(4);
    expect(await page.getByTestId('preview').textContent()).toContain('Secret');
    await page.locator('.ws-map[data-map-ready="true"]').waitFor({ timeout: 30_000 });
    await page.waitForTimeout(800);
    await page.screenshot({ path: '/tmp/workshop-preview.png' });
    expect(await a11y(page, 'workshop preview')).toEqual([]);

    // Balance: 500 games in the worker, with progress; then a second run beside it.
    await page.getByRole('tab', { name: 'Balance' }).click();
    await page.getByTestId('run-balance').click();
    await page.getByTestId('run-current').waitFor({ timeout: 120_000 });
    expect(await page.getByTestId('balance-status').textContent()).toMatch(/500 games in/);
    expect(await page.getByTestId('win-rates').locator('.ws-row').count()).toBe(3);
    expect(await page.getByTestId('moves-played').textContent()).toContain('Never played');
    await page.locator('#ws-seed').fill('second');
    await page.getByTestId('run-balance').click();
    await expect.poll(() => page.getByTestId('run-previous').count(), { timeout: 120_000 }).toBe(1);
    await page.screenshot({ path: '/tmp/workshop-balance.png' });
    expect(await a11y(page, 'workshop balance')).toEqual([]);

    // Cancel stops a long run.
    await page.locator('#ws-games').fill('5000');
    await page.getByTestId('run-balance').click();
    await page.getByTestId('cancel-balance').click();
    expect(await page.getByTestId('balance-status').textContent()).toBe('Cancelled.');

    // Publish: a wrong password is refused in the dialog; the right one puts the file in the library.
    const teacher = await context.newPage();
    await teacher.goto(`${hs.base}/#/`);
    await teacher.getByRole('tab', { name: 'Start a session (teacher)' }).click();
    const offered = async () => (await teacher.locator('#c-scenario option').allTextContents()).join('|');
    await expect.poll(offered, { timeout: 15_000 }).toContain('Hanoi 2024');
    expect(await offered()).not.toContain('The Tern Islands');
    await page.getByTestId('publish').click();
    await page.getByTestId('designer-password').fill('not the password');
    await page.getByTestId('publish-submit').click();
    await expect.poll(() => page.getByTestId('publish-status').textContent(), { timeout: 15_000 }).toContain('password is missing or wrong');
    expect(readdirSync(library)).toEqual([]);
    await page.getByTestId('designer-password').fill(DESIGNER_PASSWORD);
    await page.screenshot({ path: '/tmp/workshop-publish.png' });
    expect(await a11y(page, 'workshop publish dialog')).toEqual([]);
    await page.getByTestId('publish-submit').click();
    await expect.poll(() => page.textContent('#toasts'), { timeout: 15_000 }).toContain('The Tern Islands');
    expect(await page.getByTestId('publish-dialog').isVisible()).toBe(false);
    expect(readdirSync(library)).toEqual(['tern_islands.yaml']);
    // The teacher's page, open since before, offers it on coming back to the tab; no restart, no reload.
    await teacher.getByRole('tab', { name: 'Join a game' }).click();
    await teacher.getByRole('tab', { name: 'Start a session (teacher)' }).click();
    await expect.poll(offered, { timeout: 15_000 }).toContain('The Tern Islands');
    await teacher.close();

    // Play it now: a sandbox session with the draft, in the console.
    await page.getByTestId('play-now').click();
    await page.waitForURL(/#\/console\/[A-Z0-9]+/, { timeout: 30_000 });
    await expect.poll(() => page.textContent('body'), { timeout: 20_000 }).toContain('Coralia');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('fits a phone', async () => {
    const { page, errors, context } = await tab(hs, { width: 390, height: 844 });
    await page.goto(`${hs.base}/#/workshop`);
    await page.locator('.cm-content').waitFor();
    await paste(page, broken);
    await expect.poll(() => page.getByTestId('problems-summary').textContent(), { timeout: 15_000 }).toContain('2 errors');
    await page.waitForTimeout(300);
    await page.screenshot({ path: '/tmp/workshop-phone.png' });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    expect(errors).toEqual([]);
    await context.close();
  });
});
