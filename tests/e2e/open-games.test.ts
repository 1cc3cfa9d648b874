/**
 * Open games (issue 13, part 2) in real Chromium: one player opens a listed game from `#/games` and
 * takes a country; a stranger in another browser sees it on the public list and takes a free country
 * in one click; the creator closes the list.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axe, shot, start, tab, type Harness } from './harness.ts';

let h: Harness;

beforeAll(async () => {
  h = await start();
});

afterAll(async () => {
  await h?.close();
});

describe('open games', () => {
  it('opened, joined from the public list in one click, and taken off the list', async () => {
    const host = await tab(h);
    const guest = await tab(h);
    const a = host.page;
    await a.goto(h.base);
    await a.getByRole('tab', { name: 'Play now' }).click();
    await a.locator('[data-testid=games-link]').click();
    await a.locator('#o-scenario').waitFor();
    await a.locator('#games-name').fill('Host');
    await a.locator('#o-power').selectOption({ index: 0 });
    await a.locator('[data-testid=open-game-submit]').click();
    await a.locator('[data-testid=lobby]').waitFor({ timeout: 20_000 });
    const code = /#\/s\/([A-Z2-9]{6})$/.exec(a.url())![1]!;

    const b = guest.page;
    await b.goto(`${h.base}/#/games`);
    await b.locator('#games-name').fill('Guest');
    const take = b.locator(`[data-testid^=take-${code}-]`).first();
    await take.waitFor({ timeout: 20_000 });
    await shot(b, 'open-games-01-list');
    expect(await axe(b, 'open games')).toEqual([]);
    await take.click();
    await b.locator('[data-testid=lobby]').waitFor({ timeout: 20_000 });
    await expect.poll(() => b.locator('[data-testid=lobby-role]').textContent(), { timeout: 10_000 }).toMatch(/You lead/);

    await a.goto(`${h.base}/#/games`);
    await a.locator(`[data-testid=close-list-${code}]`).click();
    await expect.poll(async () => (await (await fetch(`${h.base}/api/games`)).json()).some((g: { code: string }) => g.code === code), { timeout: 10_000 }).toBe(false);
    expect(host.errors, host.errors.join('\n')).toEqual([]);
    expect(guest.errors, guest.errors.join('\n')).toEqual([]);
  });
});
