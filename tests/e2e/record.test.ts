/**
 * The record screens in real Chromium (issue 6): a teacher and one student play a few turns of Hanoi
 * (bots hold the other seats); the teacher replays the table step by step, forks it at an earlier
 * turn into a new table, compares both runs and opens the debrief and its exports; a spectator sees
 * the public replay. Also: an announcement to one table reaches only that table, and a console
 * button pressed while the console redraws still works (the redraw patches the page in place).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { axe, shot, start, tab, type Harness, type Tab } from './harness.ts';

let h: Harness;
let teacher: Tab;
let student: Tab;
let code = '';
const violations: string[] = [];

async function phaseOf(page: Page): Promise<string> {
  return ((await page.locator('[data-testid=phase]').textContent().catch(() => '')) ?? '').trim();
}

/** Notifications from earlier steps would cover part of a screenshot. */
async function clearToasts(page: Page): Promise<void> {
  await page.evaluate(() => document.getElementById('toasts')?.replaceChildren());
}

async function closeNews(page: Page): Promise<void> {
  const btn = page.locator('[data-testid=close-news]');
  if (await btn.isVisible().catch(() => false)) await btn.click();
}

beforeAll(async () => {
  h = await start();
  teacher = await tab(h);
});

afterAll(async () => {
  await h?.close();
});

describe('replays, forks, comparison and the debrief', () => {
  it('the teacher creates a session and a student joins', async () => {
    const p = teacher.page;
    await p.goto(h.base);
    await p.getByRole('tab', { name: /teacher/i }).click();
    await p.locator('#c-scenario').waitFor();
    await p.locator('#c-neg').fill('0');
    await p.locator('#c-ord').fill('0');
    await p.getByRole('button', { name: 'Create the session' }).click();
    await p.locator('[data-testid=join-code]').waitFor();
    code = ((await p.locator('[data-testid=join-code]').textContent()) ?? '').trim();
    student = await tab(h);
    await student.page.goto(`${h.base}/#/join/${code}`);
    await student.page.locator('#join-name').fill('Ana');
    await student.page.getByRole('button', { name: 'Join the game' }).click();
    await student.page.locator('[data-testid=lobby]').waitFor();
  });

  it('a console button pressed while the console redraws still works', async () => {
    const p = teacher.page;
    await expect.poll(() => p.locator('[data-testid=roll-call-count]').textContent()).toMatch(/1 student\b/);
    // Press "Start all", let the session change under the pointer (a second student arrives and
    // the console redraws), then release: the click must land.
    const box = (await p.locator('[data-testid=start-all]').boundingBox())!;
    await p.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await p.mouse.down();
    const late = await tab(h);
    await late.page.goto(`${h.base}/#/join/${code}`);
    await late.page.locator('#join-name').fill('Binh');
    await late.page.getByRole('button', { name: 'Join the game' }).click();
    await expect.poll(() => p.locator('[data-testid=roll-call-count]').textContent()).toMatch(/2 students/);
    await p.mouse.up();
    await expect.poll(() => p.locator('[data-testid=status-t1]').textContent(), { timeout: 10_000 }).toBe('Running');
    // The second student leaves: a bot plays their country.
    late.page.on('dialog', (d) => void d.accept());
    await late.page.getByRole('button', { name: 'Leave the game' }).click();
    await late.page.locator('#join-name').waitFor();
    await late.context.close();
  });

  it('the student plays three turns (the teacher ends each phase for the others)', async () => {
    const s = student.page;
    await s.locator('[data-testid=orders-panel]').waitFor({ timeout: 20_000 });
    const other = ((await s.locator('.pcard:not(.me) header span:nth-child(2)').first().textContent()) ?? '').trim();
    await s.locator('[data-testid=tab-talks]').click();
    await s.getByRole('button', { name: new RegExp(other) }).first().click();
    await s.locator('#chat-input').fill('Shall we talk about the dams?');
    await s.locator('#chat-input').press('Enter');
    await expect.poll(() => s.locator('[data-testid=talks-panel] ol.messages').textContent()).toMatch(/the dams/);
    for (let turn = 1; turn <= 3; turn++) {
      await closeNews(s);
      await expect.poll(() => phaseOf(s), { timeout: 15_000 }).toBe('Negotiation');
      await s.locator('[data-testid=tab-orders]').click();
      await s.locator('[data-testid=ready]').click();
      await expect.poll(() => phaseOf(s), { timeout: 15_000 }).toBe('Orders');
      const add = s.locator('[data-testid^=add-]:not([disabled])').first();
      if (await add.count()) await add.click();
      await s.locator('[data-testid=ready]').click();
      await expect.poll(() => s.locator('[data-testid=turn]').textContent(), { timeout: 20_000 }).toMatch(new RegExp(`turn ${turn + 1} of`));
      await s.locator('[data-testid=news-dialog]').waitFor({ timeout: 20_000 });
      await closeNews(s);
    }
  });

  it('the teacher steps through the replay, jumps to a turn and sees the talks', async () => {
    const p = teacher.page;
    await p.locator('[data-testid=replay-t1]').click();
    await p.locator('[data-testid=replay]').waitFor();
    await p.locator('[data-map-ready=true]').waitFor({ state: 'attached', timeout: 30_000 });
    const label = () => p.locator('[data-testid=turn]').textContent();
    await expect.poll(label).toMatch(/turn 1 of 8 — Negotiation/);
    expect(await p.locator('[data-testid=replay-position]').textContent()).toMatch(/^Step 1 of \d+$/);
    // Step: the talks of turn 1, then its orders, then turn 2 with the news of turn 1.
    await p.locator('[data-testid=rtab-talks]').click();
    await expect.poll(() => p.locator('[data-testid=replay-talks]').textContent()).toMatch(/the dams/);
    await p.locator('[data-testid=replay-next]').click();
    await expect.poll(label).toMatch(/turn 1 of 8 — Orders/);
    await p.locator('[data-testid=replay-next]').click();
    await expect.poll(label).toMatch(/turn 2 of 8 — Negotiation/);
    await p.locator('[data-testid=rtab-news]').click();
    await expect.poll(() => p.locator('[data-testid=replay-news]').textContent()).toMatch(/The news — .*turn 1 of 8/);
    await p.locator('[data-testid=rtab-moves]').click();
    await expect.poll(() => p.locator('[data-testid=replay-moves]').textContent()).toMatch(/Orders of .*turn 1 of 8/);
    // The numbers are those of that step: they change between turn 1 and turn 3.
    const numbers = () => p.locator('[data-testid=replay-strip]').textContent();
    await p.locator('[data-testid=replay-first]').click();
    const atStart = await numbers();
    await p.locator('#replay-turn').selectOption({ index: 2 });
    await expect.poll(label).toMatch(/turn 3 of 8 — Negotiation/);
    expect(await numbers()).not.toBe(atStart);
    await p.locator('[data-testid=replay-prev]').click();
    await expect.poll(label).toMatch(/turn 2 of 8 — Orders/);
    await p.locator('[data-testid=rtab-news]').click();
    await p.waitForTimeout(500);
    await clearToasts(p);
    await shot(p, '20-replay');
    violations.push(...(await axe(p, 'replay (teacher)')));
    // The public replay (for the projector) has no talks.
    await p.locator('[data-testid=replay-public]').click();
    await expect.poll(() => p.locator('[data-testid=rtab-talks]').count()).toBe(0);
    await expect.poll(label).toMatch(/turn 2 of 8 — Orders/);
    await p.locator('[data-testid=replay-full]').click();
    await expect.poll(() => p.locator('[data-testid=rtab-talks]').count()).toBe(1);
  });

  it('a fork from the replay creates a new table in the console', async () => {
    const p = teacher.page;
    await p.locator('#replay-turn').selectOption({ index: 1 });
    await expect.poll(() => p.locator('[data-testid=turn]').textContent()).toMatch(/turn 2 of 8 — Negotiation/);
    await p.locator('[data-testid=replay-fork]').click();
    await expect.poll(() => p.locator('.toast').last().textContent()).toMatch(/New table 2 created/);
    await p.getByRole('link', { name: 'Console' }).click();
    await p.locator('[data-testid=table-t2]').waitFor({ timeout: 15_000 });
    await expect.poll(() => p.locator('[data-testid=status-t2]').textContent()).toBe('Paused');
    await expect.poll(() => p.locator('[data-testid=turn-t2]').textContent()).toMatch(/turn 2 of 8/);
    // A second fork, from the console's own form, at turn 1's orders.
    await p.locator('[data-testid=fork-t1] summary').click();
    await p.locator('#fork-turn-t1').selectOption('1');
    await p.locator('#fork-phase-t1').selectOption('orders');
    await p.locator('[data-testid=fork-go-t1]').click();
    await p.locator('[data-testid=table-t3]').waitFor({ timeout: 15_000 });
    await clearToasts(p);
    await shot(p, '21-console-forks');
    await p.screenshot({ path: 'tests/e2e/screenshots/21-console-forks-full.png', fullPage: true });
    violations.push(...(await axe(p, 'console with forks and records')));
  });

  it('an announcement to one table reaches that table only', async () => {
    const p = teacher.page;
    const s = student.page;
    await p.locator('#ann-table').selectOption('t2');
    await p.locator('#ann-text').fill('Table 2: you are the what-if table');
    await p.locator('#ann-text').press('Enter');
    await expect.poll(() => p.locator('.toast').last().textContent()).toMatch(/Announcement sent to Table 2/);
    await s.waitForTimeout(800);
    expect(await s.locator('.toast').filter({ hasText: 'what-if' }).count()).toBe(0);
    expect(await s.locator('[data-testid=announcement]').count()).toBe(0);
    await p.locator('#ann-table').selectOption('t1');
    await p.locator('#ann-text').fill('Table 1: two minutes left');
    await p.locator('#ann-text').press('Enter');
    await expect.poll(() => s.locator('[data-testid=announcement]').textContent()).toMatch(/two minutes left/);
    expect(await s.locator('.toast').filter({ hasText: 'what-if' }).count()).toBe(0);
  });

  it('the comparison shows the runs side by side', async () => {
    const p = teacher.page;
    await p.locator('[data-testid=open-compare]').click();
    await p.locator('[data-testid=compare-scores]').waitFor({ timeout: 15_000 });
    for (const t of ['t1', 't2', 't3']) await expect.poll(() => p.locator(`[data-testid=run-${code}-${t}]`).count()).toBe(1);
    expect(await p.locator('.compare-table thead th').count()).toBe(4);
    expect(await p.locator('.compare-charts .chart').count()).toBeGreaterThanOrEqual(8);
    // Leave one run out.
    await p.locator('#run-t3').uncheck();
    await expect.poll(() => p.locator(`[data-testid=run-${code}-t3]`).count()).toBe(0);
    await p.locator('#cmp-metric').selectOption({ index: 1 });
    await p.waitForTimeout(300);
    await clearToasts(p);
    await shot(p, '22-compare');
    await p.screenshot({ path: 'tests/e2e/screenshots/22-compare-full.png', fullPage: true });
    violations.push(...(await axe(p, 'compare')));
  });

  it('the debrief page and its exports open from the console', async () => {
    const p = teacher.page;
    await p.goto(`${h.base}/#/console/${code}`);
    await p.locator('[data-testid=records]').waitFor({ timeout: 15_000 });
    // No secret in any address (issue 10, finding 12): the links carry none and work by themselves.
    const href = (await p.locator('[data-testid=open-debrief]').getAttribute('href'))!;
    expect(href).toContain(`/api/sessions/${code}/debrief`);
    expect(href).not.toContain('secret');
    expect((await p.request.get(href)).status()).toBe(401);
    // The page opens in a new tab with a single-use token.
    const [popup] = await Promise.all([p.context().waitForEvent('page'), p.locator('[data-testid=open-debrief]').click()]);
    await popup.waitForURL(/\/debrief\?token=/);
    await popup.locator('h1').waitFor();
    expect(await popup.title()).toContain('Debrief');
    expect(popup.url()).not.toContain('secret');
    await popup.close();
    // The exports download, fetched with the secret in a header.
    const [csv] = await Promise.all([p.waitForEvent('download'), p.locator('[data-testid=csv-scores]').click()]);
    expect(csv.suggestedFilename()).toBe(`bamboo-${code}-scores.csv`);
    expect(await csv.failure()).toBeNull();
    const [json] = await Promise.all([p.waitForEvent('download'), p.locator('[data-testid=debrief-json]').click()]);
    expect(json.suggestedFilename()).toBe(`bamboo-${code}.json`);
    await p.locator('#debrief-messages').check();
    await expect.poll(() => p.locator('[data-testid=open-debrief]').getAttribute('href')).toContain('messages=1');
  });

  it('a spectator sees the public replay, on a phone too', async () => {
    const t = await tab(h, { width: 390, height: 844 });
    await t.page.goto(`${h.base}/#/replay/${code}/t1`);
    await t.page.locator('[data-testid=replay]').waitFor({ timeout: 15_000 });
    await t.page.locator('[data-map-ready=true]').waitFor({ state: 'attached', timeout: 30_000 });
    expect(await t.page.locator('[data-testid=rtab-talks]').count()).toBe(0);
    expect(await t.page.getByText('Public replay').count()).toBe(1);
    await t.page.locator('[data-testid=replay-next]').click();
    await t.page.locator('[data-testid=replay-next]').click();
    await expect.poll(() => t.page.locator('[data-testid=turn]').textContent()).toMatch(/turn 2 of 8/);
    await expect.poll(() => t.page.locator('[data-testid=replay][data-animating]').count(), { timeout: 15_000 }).toBe(0);
    await t.page.waitForTimeout(300);
    await shot(t.page, '23-replay-phone');
    violations.push(...(await axe(t.page, 'public replay (phone)')));
    expect(t.errors).toEqual([]);
    await t.context.close();
    expect(teacher.errors).toEqual([]);
    expect(student.errors).toEqual([]);
  });

  it('axe-core finds no serious or critical violation on the record screens', () => {
    expect(violations).toEqual([]);
  });
});
