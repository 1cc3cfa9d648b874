/** The power's brief, objectives (secret ones marked) and the scenario's sources; and the news feed. */
import type { Scenario } from '#shared/scenario/schema.ts';
import type { TurnRecord } from '#shared/engine/types.ts';
import type { ObjectiveView } from '#shared/engine/view.ts';
import { cite, citationText, news, type NewsItem } from '../model/view.ts';
import { powerColour, powerName } from '../model/format.ts';
import type { GameCtx } from './context.ts';
import { h, icon } from './dom.ts';

export function objectivesList(objectives: ObjectiveView[] | undefined): HTMLElement {
  if (!objectives?.length) return h('p.empty', null, 'No objectives to show.');
  return h(
    'div',
    { role: 'list', 'data-testid': 'objectives' },
    objectives.map((o) =>
      h(
        'div.objective',
        { role: 'listitem' },
        h('span.w', { 'aria-label': `${o.weight} points` }, `${o.weight}`, h('span.sr-only', null, ' points')),
        h(
          'div',
          null,
          h('div', null, o.text),
          h(
            'div.btn-row',
            { style: 'margin-top:4px' },
            o.secret ? h('span.chip.chip-secret', null, icon('lock'), 'Secret — only you see this') : h('span.chip', null, 'Public'),
            h('span.chip', null, o.scoring === 'each_turn' ? 'Scored every turn' : 'Scored at the end'),
          ),
        ),
      ),
    ),
  );
}

export function sourcesList(scenario: Scenario): HTMLElement {
  if (!scenario.sources.length) return h('p.empty', null, 'This scenario lists no sources.');
  return h(
    'ol.sources',
    null,
    scenario.sources.map((s) =>
      h('li', null, s.url ? h('a', { href: s.url, target: '_blank', rel: 'noopener noreferrer' }, s.title) : h('strong', null, s.title), ` — ${s.publisher}, ${s.date}`),
    ),
  );
}

export function briefPanel(ctx: GameCtx): HTMLElement {
  const { scenario, view, power } = ctx;
  const p = scenario.powers.find((x) => x.id === power);
  const root = h('div', { 'data-testid': 'brief-panel' });
  if (p) {
    root.append(
      h(
        'section.panel-section',
        { 'aria-labelledby': 'h-brief' },
        h('h2#h-brief', { style: 'display:flex;gap:8px;align-items:center' }, h('span.swatch', { style: `background:${p.colour};width:18px;height:18px` }), `You lead ${p.name}`),
        h('p', null, p.brief),
        p.sources.length ? h('p.cite', null, 'Based on: ', cite(scenario, p.sources).map(citationText).join('; ')) : null,
      ),
      h('section.panel-section', { 'aria-labelledby': 'h-obj' }, h('h3#h-obj', null, 'Your objectives'), objectivesList(view.objectives?.[power])),
    );
  }
  root.append(
    h(
      'section.panel-section',
      { 'aria-labelledby': 'h-scn' },
      h('h3#h-scn', null, scenario.title),
      h('p.small', null, scenario.summary),
      h('p.small.muted', null, `One turn is ${scenario.turns.represents}. ${scenario.turns.count} turns, ${scenario.turns.action_points} action points per turn.`),
    ),
    h(
      'section.panel-section',
      { 'aria-labelledby': 'h-metrics' },
      h('h3#h-metrics', null, 'What the numbers mean'),
      h('dl.kv', null, [...scenario.metrics.power, ...scenario.metrics.pair].map((m) => [h('dt', null, m.name), h('dd', { style: 'font-weight:400' }, m.description || `${m.min}–${m.max}`)])),
    ),
    h('section.panel-section', { 'aria-labelledby': 'h-src' }, h('h3#h-src', null, 'Sources'), sourcesList(scenario)),
  );
  return root;
}

export function newsItemEl(scenario: Scenario, n: NewsItem): HTMLElement {
  const ic = n.stroke === 'partnership' ? icon('handshake') : n.stroke === 'pressure' ? icon('bolt') : n.stroke === 'event' ? icon('news') : n.stroke === 'commitment' ? (n.failed ? icon('x') : icon('check')) : icon('sparkle');
  return h(
    'article',
    { class: `news-item ${n.stroke}${n.failed ? ' failed' : ''}` },
    h('div.ic', { 'aria-hidden': 'true' }, ic),
    h(
      'div',
      null,
      h('h3', null, n.headline, n.failed && n.stroke !== 'commitment' ? h('span.sr-only', null, ' (did not happen)') : null),
      n.body ? h('p', null, n.body) : null,
      n.notes.length ? h('p', null, n.notes.join(' ')) : null,
      n.actor && n.stroke !== 'event'
        ? h('p.small', null, h('span.power-tag', null, h('span.dot', { style: `background:${powerColour(scenario, n.actor)}` }), powerName(scenario, n.actor)), n.target ? ` → ${powerName(scenario, n.target)}` : '')
        : null,
      // Citations fold behind "Sources" (issue 11): the headline reads first.
      n.citations.length
        ? h('details.cite-fold', null, h('summary', null, `Sources (${n.citations.length})`), h('p.cite', null, n.citations.map(citationText).join('; ')))
        : null,
    ),
  );
}

export function newsPanel(ctx: GameCtx): HTMLElement {
  const { scenario, view } = ctx;
  const history: TurnRecord[] = view.history ?? [];
  const root = h('div', { 'data-testid': 'news-panel' });
  const current = news(scenario, view.current_events ?? []);
  if (current.length) root.append(h('section.panel-section', null, h('h3', null, 'This turn so far'), current.map((n) => newsItemEl(scenario, n))));
  if (history.length === 0) root.append(h('p.empty', null, 'No news yet: the first turn has not been resolved.'));
  [...history].reverse().forEach((r, i) => {
    const items = news(scenario, r.events);
    const title = scenario.turns.labels?.[r.turn - 1] ?? `Turn ${r.turn}`;
    const body = items.length ? items.map((n) => newsItemEl(scenario, n)) : h('p.empty', null, 'A quiet turn.');
    root.append(i === 0 ? h('section.panel-section', null, h('h3', null, title), body) : h('details.panel-section', null, h('summary', null, title), body));
  });
  return root;
}
