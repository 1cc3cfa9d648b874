/**
 * Open games (issue 13, part 2) in real Chromium: one player opens a listed game from `#/games` and
 * takes a country; a stranger in another browser sees it on the public list and takes a free country
 * in one click; the creator closes the list. "My games" shows the creator's two games (one played alone)
 * and whose move it is, after a reload too.
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
    // First a game alone (it starts at once: the player's move).
    await a.locator('#p-scenario').waitFor();
    await a.locator('#play-name').fill('Host');
    await a.locator('[data-testid=play-now]').click();
    await a.locator('[data-testid=orders-panel]').waitFor({ timeout: 20_000 });
    const solo = /#\/s\/([A-Z2-9]{6})$/.exec(a.url())![1]!;
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
    // No teacher in an open game: the lobby says what the game waits for.
    await expect.poll(() => b.locator('[data-testid=lobby-status]').textContent()).toMatch(/every country is taken/);

    await a.goto(`${h.base}/#/games`);
    // The creator sees who took which country (and could free a no-show's before the start).
    await a.locator(`[data-testid=players-${code}]`).click();
    await expect.poll(() => a.locator(`[data-testid=roster-${code}]`).textContent()).toMatch(/Guest/);
    expect(await a.getByRole('button', { name: 'Remove Guest and free their country' }).count()).toBe(1);
    await a.locator(`[data-testid=close-list-${code}]`).click();
    await expect.poll(async () => (await (await fetch(`${h.base}/api/games`)).json()).some((g: { code: string }) => g.code === code), { timeout: 10_000 }).toBe(false);

    // My games: both of the host's games, whose move it is in each; the same after a reload.
    await a.goto(`${h.base}/#/my`);
    for (let i = 0; i < 2; i++) {
      await a.locator(`[data-testid=my-game-${solo}]`).waitFor({ timeout: 10_000 });
      await expect.poll(() => a.locator(`[data-testid=my-game-${solo}] [data-testid=my-game-state]`).textContent()).toBe('Your move');
      await expect.poll(() => a.locator(`[data-testid=my-game-${code}] [data-testid=my-game-state]`).textContent()).toBe('Waiting for the start');
      if (i === 0) {
        await shot(a, 'open-games-02-my-games');
        expect(await axe(a, 'my games')).toEqual([]);
        await a.reload();
      }
    }
    // Another device: the transfer code (never in an address) carries both games to a new browser.
    await a.locator('[data-testid=transfer-show]').click();
    const transfer = ((await a.locator('[data-testid=transfer-code]').inputValue()) ?? '').trim();
    expect(transfer).toMatch(/^BAMBOO1-/);
    const other = await tab(h);
    await other.page.goto(`${h.base}/#/my`);
    await other.page.locator('[data-testid=no-my-games]').waitFor({ timeout: 10_000 });
    await other.page.locator('#transfer-in').fill('not a code');
    await other.page.locator('[data-testid=transfer-import]').click();
    await expect.poll(() => other.page.locator('[data-testid=transfer-note]').textContent()).toMatch(/not a Bamboo transfer code/);
    await other.page.locator('#transfer-in').fill(transfer);
    await other.page.locator('[data-testid=transfer-import]').click();
    await expect.poll(() => other.page.locator('[data-testid=transfer-note]').textContent()).toMatch(/2 games added/);
    await other.page.locator(`[data-testid=my-game-${solo}]`).waitFor({ timeout: 10_000 });
    await expect.poll(() => other.page.locator(`[data-testid=my-game-${solo}] [data-testid=my-game-state]`).textContent()).toBe('Your move');
    expect(other.page.url()).not.toContain('BAMBOO1');
    await shot(other.page, 'open-games-03-transfer');
    await other.context.close();

    await a.locator(`[data-testid=open-${solo}]`).click();
    await a.locator('[data-testid=orders-panel]').waitFor({ timeout: 20_000 });
    expect(host.errors, host.errors.join('\n')).toEqual([]);
    expect(guest.errors, guest.errors.join('\n')).toEqual([]);
  });
});
