// biome-ignore-all lint/suspicious/noExplicitAny: the test reads decoded room state of unknown shape
/**
 * A whole class at one table in real Chromium: 24 students in four delegations of six, the teacher's
 * console and a projector, playing Hanoi to the end. One student of each delegation is a browser; the
 * other twenty are SDK clients (a browser each would not fit a 2-core test machine), and they are
 * ready by majority, so every phase ends as a class would end it.
 */
import { Client } from '@colyseus/sdk';
import type { Room } from '@colyseus/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axe, shot, start, tab, type Harness, type Tab } from './harness.ts';

let h: Harness;
let teacher: Tab;
let projector: Tab;
const browsers: Tab[] = [];
const sdk: Room[] = [];
let code = '';

beforeAll(async () => {
  h = await start();
  teacher = await tab(h);
});

afterAll(async () => {
  for (const r of sdk) await r.leave(true).catch(() => {});
  await h?.close();
});

const decoded = (r: Room) => (r.state as { toJSON(): any }).toJSON();

describe('a class of 24 in four delegations', () => {
  it('the teacher sets delegations of six, and 24 students fill them evenly', async () => {
    const p = teacher.page;
    await p.goto(h.base);
    await p.getByRole('tab', { name: /teacher/i }).click();
    await p.locator('#c-neg').fill('0');
    await p.locator('#c-ord').fill('0');
    await p.getByRole('button', { name: 'Create the session' }).click();
    await p.locator('[data-testid=join-code]').waitFor();
    code = ((await p.locator('[data-testid=join-code]').textContent()) ?? '').trim();
    await p.locator('#s-dsize').fill('6');
    await p.locator('#s-dready').selectOption('majority');
    await p.locator('[data-testid=save-settings]').click();
    await expect.poll(() => p.locator('[data-testid=settings-unsaved]').isVisible()).toBe(false);

    const client = new Client(h.base);
    for (let i = 0; i < 24; i++) {
      if (i % 6 === 0) {
        const t = await tab(h);
        browsers.push(t);
        await t.page.goto(`${h.base}/#/join/${code}`);
        await t.page.locator('#join-name').fill(`Browser ${browsers.length}`);
        await t.page.getByRole('button', { name: 'Join the game' }).click();
        await t.page.locator('[data-testid=lobby]').waitFor();
      } else {
        const r = await client.joinById(code, { role: 'player', name: `Student ${i}`, key: `class-key-${i}-abcdef` });
        await expect.poll(() => (r.state as { code?: string } | undefined)?.code).toBe(code);
        sdk.push(r);
      }
    }
    await expect.poll(() => p.locator('[data-testid=roll-call-count]').textContent()).toMatch(/24 students/);
    // Six per country: each browser student sees the five others of their delegation.
    for (const b of browsers) await expect.poll(() => b.page.locator('[data-testid=lobby-delegation]').textContent()).toMatch(/you, with .+ and .+/);
    const table = decoded(sdk[0]!).tables.t1;
    expect(Object.values(table.seats).map((s: any) => s.members.length)).toEqual([6, 6, 6, 6]);
    await shot(browsers[0]!.page, '30-delegation-lobby');
    await shot(p, '31-console-delegations');
  });

  it('a delegation talks in its own channel; the game runs to the end with the projector on', async () => {
    projector = await tab(h, { width: 1920, height: 1080 });
    await projector.page.goto(`${h.base}/#/watch/${code}`);
    await teacher.page.locator('[data-testid=start-all]').click();
    for (const b of browsers) await b.page.locator('[data-testid=orders-panel]').waitFor({ timeout: 30_000 });

    // The first browser student writes to their delegation; another delegation's browser never sees it.
    const [a, other] = [browsers[0]!.page, browsers[1]!.page];
    await a.locator('[data-testid=tab-talks]').click();
    await a.locator('[data-testid=delegation]').waitFor();
    await a.locator('#team-input').fill('Let us keep Hanoi close this month');
    await a.locator('#team-input').press('Enter');
    await expect.poll(() => a.locator('[data-testid=team-log]').textContent()).toMatch(/keep Hanoi close/);
    const mates = sdk.filter((r) => decoded(r).participants && Object.values(decoded(r).participants).some((x: any) => x.name === 'Browser 1'));
    expect(mates.length).toBeGreaterThan(0);
    await other.locator('[data-testid=tab-talks]').click();
    expect(await other.locator('[data-testid=talks-panel]').textContent()).not.toMatch(/keep Hanoi close/);
    await shot(a, '32-delegation-talks');
    const violations = await axe(a, 'delegation talks');
    expect(violations).toEqual([]);

    // Every phase: the SDK members say ready (a majority of six); the browsers watch it happen.
    for (let phase = 0; phase < 16; phase++) {
      const before = decoded(sdk[0]!).tables.t1;
      if (before.status === 'ended') break;
      for (const r of sdk) await r.send('ready', { ready: true });
      await expect.poll(() => {
        const t = decoded(sdk[0]!).tables.t1;
        return t.status === 'ended' || t.phase !== before.phase || t.turn !== before.turn;
      }, { timeout: 20_000 }).toBe(true);
    }
    expect(decoded(sdk[0]!).tables.t1.status).toBe('ended');
    for (const b of browsers) await b.page.locator('[data-testid=end-screen], [data-testid=scores], h2#h-scores').first().waitFor({ timeout: 30_000 });
    await shot(browsers[0]!.page, '33-delegation-end');
    await shot(projector.page, '34-projector-end');
  });
});
