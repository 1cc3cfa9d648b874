/**
 * "What happened to you": the first thing a player sees after a resolution (issue 11). Their numbers
 * that changed (+/−), their relations that changed, the promises kept and broken, their moves and the
 * moves against them, and the scenario's events. Also the change chips on the power cards.
 */
import type { Scenario } from '#shared/scenario/schema.ts';
import type { Change, SummaryLine, TurnSummary } from '../model/summary.ts';
import { powerName, signed, turnLabel } from '../model/format.ts';
import { h, icon } from './dom.ts';

/** A small +n / −n chip (green up, red down), read out as "up n" / "down n". */
export function deltaChip(delta: number | undefined): HTMLElement | null {
  if (!delta) return null;
  return h('span', { class: `delta ${delta > 0 ? 'up' : 'down'}`, 'aria-label': `${delta > 0 ? 'up' : 'down'} ${Math.abs(delta)}` }, signed(delta));
}

function changeRow(c: Change): HTMLElement {
  return h('li', { class: `chg ${c.delta > 0 ? 'up' : 'down'}` }, h('span.chg-label', null, c.label), h('span.chg-values', null, `${c.before} → ${c.after}`), deltaChip(c.delta));
}

function lines(items: SummaryLine[]): HTMLElement {
  return h(
    'ul.sum-lines',
    null,
    items.map((l) => h('li', { class: `tone-${l.tone}` }, l.tone === 'ok' ? icon('check') : l.tone === 'bad' ? icon('x') : icon('sparkle'), h('span', null, l.text))),
  );
}

export function turnSummaryEl(scenario: Scenario, s: TurnSummary): HTMLElement {
  const quiet = s.numbers.length + s.relations.length + s.promises.length + s.moves.length + s.events.length === 0;
  return h(
    'section.turn-summary',
    { 'aria-labelledby': 'sum-title', 'data-testid': 'turn-summary' },
    h('h3#sum-title', null, `What happened to ${powerName(scenario, s.power)} — ${turnLabel(scenario, s.turn)}`),
    quiet ? h('p.empty', null, 'Nothing changed for you this turn.') : null,
    s.numbers.length
      ? h('div', null, h('h4', null, 'Your numbers'), h('ul.chg-list', { 'data-testid': 'summary-numbers' }, s.numbers.map(changeRow)))
      : null,
    s.relations.length ? h('div', null, h('h4', null, 'Your relations'), h('ul.chg-list', null, s.relations.map(changeRow))) : null,
    s.promises.length ? h('div', { 'data-testid': 'summary-promises' }, h('h4', null, 'Promises'), lines(s.promises)) : null,
    s.moves.length ? h('div', null, h('h4', null, 'Moves by you and against you'), lines(s.moves)) : null,
    s.events.length ? h('div', null, h('h4', null, 'Events'), lines(s.events.map((e) => ({ text: `${e.headline}${e.body ? ` — ${e.body}` : ''}`, tone: 'neutral' as const })))) : null,
  );
}
