/**
 * A whole class in real Chromium: a teacher creates a session, four students join in their own
 * browser contexts (one on a phone), they talk, make a deal, give orders and play the Hanoi scenario
 * to the end through the UI; one student reloads mid-turn and is back in their seat; axe-core runs
 * on every screen; screenshots of every screen go to tests/e2e/screenshots/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { axe, shot, start, tab, type Harness, type Tab } from './harness.ts';

let h: Harness;
let teacher: Tab;
const students: Tab[] = [];
const names = ['Ana', 'Binh', 'Chen', 'Dara'];
let code = '';
const violations: string[] = [];

async function closeNews(page: Page): Promise<void> {
  const btn = page.locator('[data-testid=close-news]');
  if (await btn.isVisible().catch(() => false)) await btn.click();
}

let plannedMove = '';

/**
 * A student plans a move and half-writes a message during the talks, then reloads the page: they are
 * back in their seat with the plan and the unsent message (saved on the server as a draft).
 */
async function reloadDuringTalks(p: Page): Promise<void> {
  expect(await phaseOf(p)).toBe('Negotiation');
  await closeNews(p);
  await p.locator('[data-testid=tab-orders]').click();
  const plan = p.locator('[data-testid^=add-]:not([disabled])').first();
  const move = (await plan.getAttribute('data-testid'))!.slice('add-'.length);
  plannedMove = ((await p.locator(`[data-move="${move}"] h3`).first().textContent()) ?? '').trim();
  await plan.click();
  await expect.poll(() => p.locator('[data-testid=my-orders]').textContent()).toContain(plannedMove);
  await p.locator('[data-testid=tab-talks]').click();
  const conv = p.locator('.convos button').nth(1);
  const convName = ((await conv.textContent()) ?? '').trim();
  await conv.click();
  await p.locator('#chat-input').fill('Before we decide, I think we');
  await p.locator('[data-draft=saved]').waitFor({ state: 'attached', timeout: 10_000 });
  const before = await p.locator('[data-testid=my-power]').textContent();
  await p.reload();
  await p.locator('[data-testid=orders-panel]').waitFor({ timeout: 20_000 });
  expect(await p.locator('[data-testid=my-power]').textContent()).toBe(before);
  await expect.poll(() => p.locator('[data-testid=conn]').getAttribute('data-conn')).toBe('online');
  await expect.poll(() => p.locator('[data-testid=my-orders]').textContent()).toContain(plannedMove);
  await shot(p, '09-after-reload');
  await p.locator('[data-testid=tab-talks]').click();
  await expect.poll(() => p.locator('.convos button[aria-pressed=true]').textContent()).toContain(convName);
  expect(await p.locator('#chat-input').inputValue()).toBe('Before we decide, I think we');
  await p.locator('[data-testid=tab-orders]').click();
}

async function phaseOf(page: Page): Promise<string> {
  return ((await page.locator('[data-testid=phase]').textContent().catch(() => '')) ?? '').trim();
}

beforeAll(async () => {
  h = await start();
  teacher = await tab(h);
});

afterAll(async () => {
  await h?.close();
});

describe('a class plays Hanoi 2024 through the browser', () => {
  it('the teacher creates a session and gets a code for the projector', async () => {
    const p = teacher.page;
    await p.goto(h.base);
    await shot(p, '01-landing');
    violations.push(...(await axe(p, 'landing')));
    await p.getByRole('tab', { name: /teacher/i }).click();
    await p.locator('#c-scenario').waitFor();
    await p.locator('#c-neg').fill('0');
    await p.locator('#c-ord').fill('0');
    await shot(p, '02-create');
    violations.push(...(await axe(p, 'create session')));
    await p.getByRole('button', { name: 'Create the session' }).click();
    await p.locator('[data-testid=join-code]').waitFor();
    code = ((await p.locator('[data-testid=join-code]').textContent()) ?? '').trim();
    expect(code).toMatch(/^[A-Z2-9]{6}$/);
    await shot(p, '03-console');
    violations.push(...(await axe(p, 'console')));
  });

  it('a wrong code is explained in plain words', async () => {
    const t = await tab(h);
    await t.page.goto(`${h.base}/#/join/ZZZZZZ`);
    await t.page.locator('#join-name').fill('Test');
    await t.page.getByRole('button', { name: 'Join the game' }).click();
    await expect.poll(() => t.page.locator('#join-error').textContent()).toMatch(/No game with that code/);
    await t.context.close();
  });

  it('four students join (one with the keyboard only, one on a phone) and see the lobby', async () => {
    // The teacher starts typing settings and an announcement while the students arrive: the console
    // redraws at every arrival, and what was typed stays.
    const tp = teacher.page;
    await tp.locator('#s-rec').fill('90');
    await tp.locator('#ann-text').fill('Welcome, everyone');
    await expect.poll(() => tp.locator('[data-testid=settings-unsaved]').isVisible()).toBe(true);
    for (let i = 0; i < 4; i++) {
      const phone = i === 3;
      const t = await tab(h, phone ? { width: 390, height: 844 } : { reducedMotion: i !== 0 });
      students.push(t);
      const p = t.page;
      await p.goto(`${h.base}/#/join/${code}`);
      if (i === 2) {
        // Keyboard only: skip link, then the form.
        await p.locator('#join-code').waitFor();
        await p.locator('#join-code').focus();
        await p.keyboard.press('Tab');
        await p.keyboard.type(names[i]!);
        await p.keyboard.press('Enter');
      } else {
        await p.locator('#join-name').fill(names[i]!);
        await p.getByRole('button', { name: 'Join the game' }).click();
      }
      await p.locator('[data-testid=lobby]').waitFor();
    }
    const p0 = students[0]!.page;
    await expect.poll(() => p0.locator('[data-testid=roll-call] li').count()).toBe(4);
    await expect.poll(() => p0.locator('[data-testid=lobby-role]').textContent()).toMatch(/You lead/);
    await expect.poll(() => tp.locator('[data-testid=roll-call-count]').textContent()).toMatch(/4 student/);
    expect(await tp.locator('#s-rec').inputValue()).toBe('90');
    expect(await tp.locator('#ann-text').inputValue()).toBe('Welcome, everyone');
    expect(await tp.locator('[data-testid=settings-unsaved]').isVisible()).toBe(true);
    await tp.locator('[data-testid=save-settings]').click();
    await expect.poll(() => tp.locator('[data-testid=settings-unsaved]').isVisible()).toBe(false);
    expect(await tp.locator('#s-rec').inputValue()).toBe('90');
    await tp.locator('#ann-text').press('Enter');
    await expect.poll(() => p0.locator('[data-testid=announcement]').textContent()).toMatch(/Welcome, everyone/);
    await shot(p0, '04-lobby');
    await shot(students[3]!.page, '04-lobby-phone');
    violations.push(...(await axe(p0, 'lobby')));
    violations.push(...(await axe(students[3]!.page, 'lobby (phone)')));
  });

  it('the teacher starts the game; everyone sees the map, the orders and the countdown', async () => {
    await teacher.page.locator('[data-testid=start-all]').click();
    for (const s of students) await s.page.locator('[data-testid=orders-panel]').waitFor({ timeout: 20_000 });
    const p0 = students[0]!.page;
    await p0.locator('[data-map-ready=true]').waitFor({ state: 'attached', timeout: 30_000 });
    expect(await phaseOf(p0)).toBe('Negotiation');
    expect(await p0.locator('[data-testid=turn]').textContent()).toMatch(/turn 1 of 8/);
    await p0.waitForTimeout(800);
    await shot(p0, '05-game-orders');
    violations.push(...(await axe(p0, 'game: orders')));
    await students[3]!.page.locator('[data-map-ready=true]').waitFor({ state: 'attached', timeout: 30_000 });
    await shot(students[3]!.page, '05-game-phone');
    violations.push(...(await axe(students[3]!.page, 'game (phone)')));
    // The brief shows the secret objectives, marked.
    await p0.locator('[data-testid=tab-brief]').click();
    await expect.poll(() => p0.locator('[data-testid=objectives]').textContent()).toMatch(/Secret/);
    await shot(p0, '06-brief');
    violations.push(...(await axe(p0, 'game: brief')));
    await shot(teacher.page, '07-console-running');
    violations.push(...(await axe(teacher.page, 'console running')));
  });

  it('two students chat and make a deal that lands in the ledger', async () => {
    const [a, b] = [students[0]!.page, students[1]!.page];
    const bPower = ((await b.locator('[data-testid=my-power]').textContent()) ?? '').trim();
    await a.locator('[data-testid=tab-talks]').click();
    await a.getByRole('button', { name: new RegExp(bPower) }).first().click();
    await a.locator('#chat-input').fill('Shall we work together this month?');
    await a.locator('#chat-input').press('Enter');
    await b.locator('[data-testid=tab-talks]').click();
    await expect.poll(() => b.locator('[data-testid=talks-panel]').textContent(), { timeout: 10_000 }).toMatch(/work together/);
    // Propose: the default deal is a promise to play a partnership move with them this turn.
    await a.locator('[data-testid=new-proposal]').click();
    await a.locator('#prop-to').selectOption({ label: bPower });
    await a.locator('[data-testid=send-proposal]').click();
    await expect.poll(() => b.getByRole('button', { name: 'Accept' }).count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await shot(b, '08-talks-proposal');
    violations.push(...(await axe(b, 'game: talks')));
    await b.getByRole('button', { name: 'Accept' }).first().click();
    await expect.poll(() => a.locator('[data-testid=ledger]').textContent(), { timeout: 10_000 }).toMatch(/In force/);
  });

  it('the game is played to the end; a student reloads mid-turn and is back in their seat', async () => {
    const turns = 8;
    for (let turn = 1; turn <= turns; turn++) {
      const p0 = students[0]!.page;
      // Negotiation: the teacher ends it from the console.
      for (const s of students) await closeNews(s.page);
      await expect.poll(() => phaseOf(p0), { timeout: 15_000 }).toMatch(/Negotiation|Orders/);
      if (turn === 2) await reloadDuringTalks(students[1]!.page);
      // The teacher ends the talks: one click (the console patches itself in place, so a click is
      // never lost to a redraw; see record.test.ts).
      if ((await phaseOf(p0)) === 'Negotiation') await teacher.page.locator('[data-testid=end-phase-all]').click();
      for (const s of students) await expect.poll(() => phaseOf(s.page), { timeout: 15_000 }).toBe('Orders');
      // Orders: each student adds the first affordable move, then is ready.
      for (const [i, s] of students.entries()) {
        const p = s.page;
        await closeNews(p);
        await p.locator('[data-testid=tab-orders]').click();
        if (turn === 2 && i === 1) {
          // The moves planned during the talks before the reload became the orders.
          await expect.poll(() => p.locator('[data-testid=my-orders]').textContent(), { timeout: 10_000 }).toContain(plannedMove);
        }
        const add = p.locator('[data-testid^=add-]:not([disabled])').first();
        if (await add.count()) {
          const n = await p.locator('[data-testid=my-orders] li').count();
          if (i === 2) {
            await add.focus();
            await p.keyboard.press('Enter');
          } else await add.click();
          await expect.poll(() => p.locator('[data-testid=my-orders] li').count(), { timeout: 10_000 }).toBeGreaterThan(n);
        }
        if (turn === 1 && i === 0) {
          await shot(p, '10-orders-given');
        }
        const ready = p.locator('[data-testid=ready]');
        if ((await ready.getAttribute('aria-pressed')) !== 'true') {
          if (i === 2) {
            await ready.focus();
            await p.keyboard.press('Enter');
          } else await ready.click();
        }
      }
      if (turn < turns) {
        await expect.poll(() => p0.locator('[data-testid=turn]').textContent(), { timeout: 20_000 }).toMatch(new RegExp(`turn ${turn + 1} of`));
        // Every student sees the map animation, then the news summary with its sources.
        for (const [i, s] of students.entries()) {
          await s.page.locator('[data-testid=news-dialog]').waitFor({ timeout: 20_000 });
          if (turn === 1 && i === 0) {
            await shot(p0, '11-news');
            violations.push(...(await axe(p0, 'news summary')));
          }
          if (i === 2) await s.page.keyboard.press('Escape');
          else await closeNews(s.page);
          await s.page.locator('[data-testid=news-dialog]').waitFor({ state: 'detached' });
        }
        if (turn === 1) {
          await p0.locator('[data-testid=tab-news]').click();
          violations.push(...(await axe(p0, 'game: news tab')));
        }
      }
    }
    for (const s of students) await s.page.locator('[data-testid=end-screen]').waitFor({ timeout: 30_000 });
    const p0 = students[0]!.page;
    await closeNews(p0);
    expect(await p0.locator('[data-testid^=score-]').count()).toBe(4);
    await shot(p0, '12-end');
    await p0.screenshot({ path: 'tests/e2e/screenshots/12-end-full.png', fullPage: true });
    await shot(students[3]!.page, '12-end-phone');
    violations.push(...(await axe(p0, 'end')));
    violations.push(...(await axe(students[3]!.page, 'end (phone)')));
    await shot(teacher.page, '13-console-ended');
    for (const s of students) expect(s.errors, s.errors.join('\n')).toEqual([]);
  });

  it('the projector view shows the public game', async () => {
    const t = await tab(h);
    await t.page.goto(`${h.base}/#/watch/${code}`);
    await t.page.locator('[data-testid=end-screen]').waitFor({ timeout: 20_000 });
    await shot(t.page, '14-projector');
    violations.push(...(await axe(t.page, 'projector')));
    await t.context.close();
  });

  it('axe-core finds no serious or critical violation on any screen', () => {
    expect(violations).toEqual([]);
  });
});
