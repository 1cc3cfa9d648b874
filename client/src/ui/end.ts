/** The end of a game: scores with the explanation of every point, charts, the timeline, the debrief. */
import type { Scenario } from '#shared/scenario/schema.ts';
import type { TurnRecord } from '#shared/engine/types.ts';
import type { ScoreReport } from '#shared/engine/scoring.ts';
import { credibilitySeries, metricSeries, relationSeries, timeline, cite, citationText } from '../model/view.ts';
import { powerColour, powerName, readableOnLight } from '../model/format.ts';
import { lineChart } from './charts.ts';
import { h, icon } from './dom.ts';

export function endView(scenario: Scenario, scores: ScoreReport | undefined, history: TurnRecord[], me: string, actions?: HTMLElement | null): HTMLElement {
  const root = h('div.page', { 'data-testid': 'end-screen' });
  const winners = scores?.winners ?? [];
  root.append(
    h(
      'div.page-head',
      null,
      h(
        'div',
        null,
        h('h4', null, 'Game over'),
        h('h1', null, winners.length ? `${winners.map((w) => powerName(scenario, w)).join(' and ')} ${winners.length > 1 ? 'share' : 'takes'} first place` : scenario.title),
        me ? h('p.muted', null, `You led ${powerName(scenario, me)}. Here is how every point was earned.`) : null,
      ),
      actions ? h('div.btn-row', { style: 'margin-left:auto' }, actions) : null,
    ),
  );
  if (scores) {
    root.append(
      h(
        'section',
        { 'aria-labelledby': 'h-scores' },
        h('h2#h-scores', null, 'Scores'),
        h(
          'div.podium',
          null,
          scores.ranking.map((s) =>
            h(
              'article.score-card',
              { style: `--pc:${powerColour(scenario, s.power)}`, 'data-testid': `score-${s.power}` },
              h('span.rank', { 'aria-label': `Rank ${s.rank}` }, `#${s.rank}`),
              h('h3', { style: `color:${readableOnLight(powerColour(scenario, s.power))}` }, s.name, s.power === me ? ' (you)' : ''),
              h('div.pts', null, `${s.score}`, h('span.small.muted', null, ' points')),
              h('div.small.muted', null, `Credibility ${s.credibility}`),
              h(
                'ul',
                null,
                s.lines.map((l) =>
                  h(
                    'li',
                    null,
                    h('strong', null, `${l.points}/${l.weight}`),
                    ' ',
                    l.secret ? h('span.chip.chip-secret', { style: 'font-size:.7rem;padding:0 6px' }, icon('lock'), 'secret') : null,
                    ' ',
                    l.text,
                    h('div.muted', null, l.explanation),
                  ),
                ),
              ),
            ),
          ),
        ),
      ),
    );
  } else root.append(h('p.empty', null, 'Scores are being computed…'));

  const charts = h('div.grid-3', { style: 'grid-template-columns:repeat(auto-fill,minmax(320px,1fr))' });
  for (const m of scenario.metrics.power) charts.append(lineChart(m.name, metricSeries(scenario, history, m.id), { min: m.min, max: m.max }));
  charts.append(lineChart('Credibility', credibilitySeries(scenario, history)));
  for (const m of scenario.metrics.pair) charts.append(lineChart(`${m.name} between countries`, relationSeries(scenario, history, m.id), { min: m.min, max: m.max }));
  root.append(h('section', { 'aria-labelledby': 'h-charts', style: 'margin-top:28px' }, h('h2#h-charts', null, 'How things changed, turn by turn'), charts));

  const items = timeline(scenario, history);
  root.append(
    h(
      'div.grid-2',
      { style: 'margin-top:28px' },
      h(
        'section.card',
        { 'aria-labelledby': 'h-timeline' },
        h('h2#h-timeline', null, 'Timeline of key moves'),
        items.length
          ? h(
              'ol.timeline',
              null,
              items.map((t) =>
                h(
                  'li',
                  { style: `--pc:${t.power ? powerColour(scenario, t.power) : '#5b6b62'}` },
                  h('div.when', null, t.when, t.kind === 'event' ? ' · event' : t.kind === 'broken' ? ' · promise broken' : ''),
                  h('div', null, t.text),
                ),
              ),
            )
          : h('p.empty', null, 'No moves were played.'),
      ),
      h(
        'section.card',
        { 'aria-labelledby': 'h-debrief' },
        h('h2#h-debrief', null, 'What really happened'),
        scenario.debrief.length
          ? scenario.debrief.map((d) => h('div', { style: 'margin-bottom:10px' }, h('p', { style: 'margin:0' }, d.text), d.sources.length ? h('p.cite', null, cite(scenario, d.sources).map(citationText).join('; ')) : null))
          : h('p.empty', null, 'Your teacher will lead the debrief.'),
      ),
    ),
  );
  return root;
}
