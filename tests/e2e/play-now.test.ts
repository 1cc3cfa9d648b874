/**
 * Play now (issue 13) in real Chromium: a player alone opens the landing page, picks a scenario and a
 * country, and plays the whole game against bots (a proposal answered by a bot, a reload mid-game),
 * to the end screen, the replay and the debrief page. No teacher, no code typed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { axe, shot, start, tab, type Harness, type Tab } from './harness.ts';

let h: Harness;
let t: Tab;

async function closeNews(page: Page): Promise<void> {
  const btn = page.locator('[data-testid=close-news]');
  if (await btn.isVisible().catch(() => false)) await btn.click();
}

async function phaseOf(page: Page): Promise<string> {
  return ((await page.locator('[data-testid=phase]').textContent().catch(() => '')) ?? '').trim();
}

async function turnOf(page: Page): Promise<string> {
  return ((await page.locator('[data-testid=turn]').textContent().catch(() => '')) ?? '').trim();
}

beforeAll(async () => {
  h = await start();
  t = await tab(h);
});

afterAll(async () => {
  await h?.close();
});

describe('a player alone plays against bots from the landing page', () => {
  it('picks a scenario and a country and is in the game at once', async () => {
    const p = t.page;
    await p.goto(h.base);
    await p.getByRole('tab', { name: 'Play now' }).click();
    await p.locator('#p-scenario').waitFor();
    const second = p.locator('[data-testid=play-powers] input[type=radio]').nth(1);
    const power = (await second.getAttribute('value'))!;
    await second.check();
    await p.locator('#play-name').fill('Solo');
    await shot(p, 'play-now-01-form');
    expect(await axe(p, 'play now form')).toEqual([]);
    await p.locator('[data-testid=play-now]').click();
    await p.locator('[data-testid=orders-panel]').waitFor({ timeout: 20_000 });
    expect(p.url()).toMatch(/#\/s\/[A-Z2-9]{6}$/);
    await expect.poll(() => phaseOf(p), { timeout: 15_000 }).toBe('Negotiation');
    const seat = await p.evaluate(() => (document.querySelector('[data-testid=my-power]')?.textContent ?? '').trim());
    expect(seat.length).toBeGreaterThan(0);
    expect(power.length).toBeGreaterThan(0);
  });

  it('a bot answers a proposal', async () => {
    const p = t.page;
    await p.locator('[data-testid=tab-talks]').click();
    await p.locator('[data-testid=new-proposal]').click();
    await p.locator('[data-testid=send-proposal]').click();
    await expect.poll(() => p.locator('[data-testid=talks-panel]').textContent(), { timeout: 15_000 }).toMatch(/Accepted|Rejected|accepted|rejected|In force/);
    await shot(p, 'play-now-02-talks');
  });

  it('plays every turn to the end (with a reload on the way), then the replay and the debrief', async () => {
    const p = t.page;
    for (let turn = 1; turn <= 20; turn++) {
      await closeNews(p);
      if (await p.locator('[data-testid=end-screen]').isVisible().catch(() => false)) break;
      if (turn === 3) {
        const before = await p.locator('[data-testid=my-power]').textContent();
        await p.reload();
        await p.locator('[data-testid=orders-panel]').waitFor({ timeout: 20_000 });
        expect(await p.locator('[data-testid=my-power]').textContent()).toBe(before);
        await closeNews(p);
      }
      const label = await turnOf(p);
      await p.locator('[data-testid=tab-orders]').click();
      if ((await phaseOf(p)) === 'Negotiation') {
        await p.locator('[data-testid=ready]').click();
        await expect.poll(() => phaseOf(p), { timeout: 15_000 }).toBe('Orders');
      }
      await closeNews(p);
      const add = p.locator('[data-testid^=add-]:not([disabled])').first();
      if (await add.count()) {
        const n = await p.locator('[data-testid=my-orders] li').count();
        await add.click();
        await expect.poll(() => p.locator('[data-testid=my-orders] li').count(), { timeout: 10_000 }).toBeGreaterThan(n);
      }
      await p.locator('[data-testid=ready]').click();
      await expect
        .poll(async () => (await p.locator('[data-testid=end-screen]').isVisible().catch(() => false)) || (await turnOf(p)) !== label, { timeout: 20_000 })
        .toBe(true);
      if (await p.locator('[data-testid=end-screen]').isVisible().catch(() => false)) break;
      // The map plays the turn, then the news of the month appears.
      await p.locator('[data-testid=news-dialog]').waitFor({ timeout: 20_000 });
      await closeNews(p);
      await p.locator('[data-testid=news-dialog]').waitFor({ state: 'detached' });
    }
    await p.locator('[data-testid=end-screen]').waitFor({ timeout: 30_000 });
    await closeNews(p);
    expect(await p.locator('[data-testid^=score-]').count()).toBe(4);
    await shot(p, 'play-now-03-end');
    // The debrief page opens in a new tab (a single-use link; the secret stays in this browser).
    const [debrief] = await Promise.all([t.context.waitForEvent('page'), p.locator('[data-testid=debrief-link]').click()]);
    await debrief.waitForLoadState();
    await expect.poll(() => debrief.locator('body').textContent(), { timeout: 10_000 }).toMatch(/Debrief|debrief/);
    await debrief.close();
    await p.locator('[data-testid=replay-link]').click();
    await p.locator('[data-testid=replay-full]').waitFor({ timeout: 20_000 });
    await expect.poll(() => turnOf(p), { timeout: 20_000 }).not.toMatch(/^Code /);
    await shot(p, 'play-now-04-replay');
    expect(t.errors, t.errors.join('\n')).toEqual([]);
  });
});
