/** The game top bar: scenario and turn, phase, countdown, the viewer's power, the connection. */
import type { Scenario } from '#shared/scenario/schema.ts';
import type { Session, TableSnap } from '../net/session.ts';
import { countdown } from '../model/countdown.ts';
import { phaseLabel, turnLabel, powerName, powerColour } from '../model/format.ts';
import { brand, connPill, timerEl } from './chrome.ts';
import { h, patch } from './dom.ts';

export function gameTopbar(el: HTMLElement, s: Session, scenario: Scenario | undefined, table: TableSnap | undefined, power: string, extra?: HTMLElement | null): void {
  const phase = table?.status === 'paused' ? 'paused' : table?.status === 'ended' ? 'ended' : (table?.phase ?? 'lobby');
  patch(
    el,
    brand(),
    h(
      'div.turn-info',
      null,
      h('span.t1', null, scenario?.title ?? s.snap?.title ?? 'Bamboo'),
      h('span.t2', { 'data-testid': 'turn' }, table && scenario && table.status !== 'waiting' ? turnLabel(scenario, Math.max(1, table.turn)) : `Code ${s.code}`),
    ),
    h('span.spacer'),
    table && table.status !== 'waiting'
      ? h('span', { class: `chip ${phase === 'paused' ? 'chip-warn' : ''}`, 'data-testid': 'phase' }, phase === 'paused' ? 'Paused' : phaseLabel(phase))
      : null,
    table && (table.status === 'running' || table.status === 'paused') ? timerEl() : null,
    power && scenario
      ? h('span.chip', { 'data-testid': 'my-power', style: 'font-weight:700' }, h('span.swatch', { style: `background:${powerColour(scenario, power)}` }), powerName(scenario, power))
      : null,
    extra ?? null,
    connPill(s.conn),
  );
}

/** Update every countdown on the page. Elements with data-table follow that table, others `table`. */
export function tickCountdowns(s: Session | undefined, table: TableSnap | undefined): void {
  if (!s?.snap) return;
  for (const el of document.querySelectorAll<HTMLElement>('[data-countdown]')) {
    const t = el.dataset['table'] ? s.snap.tables[el.dataset['table']] : table;
    if (!t) continue;
    const totalMs = (t.phase === 'orders' ? s.snap.settings.ordersSeconds : s.snap.settings.negotiationSeconds) ?? 0;
    const c = countdown(t.status === 'running' ? t.deadline : 0, s.clock.now(), {
      paused: t.status === 'paused',
      ...(t.status === 'paused' ? { pausedRemainingMs: t.remaining } : {}),
      ...(totalMs ? { totalMs: totalMs * 1000 } : {}),
    });
    const span = el.querySelector('.t');
    if (span && span.textContent !== c.text) span.textContent = c.text;
    el.dataset['urgency'] = c.urgency;
    el.setAttribute('aria-label', `Time left: ${c.spoken}`);
  }
}
