/**
 * The balance figures as small HTML charts (bars on a 0–100 % track, intervals as whiskers, the fair
 * band shaded, spreads as box plots). Every chart also carries its numbers as text, for screen readers
 * and for reading exact values.
 */
import type { SimulationReport, Spread } from '#shared/engine/balance.ts';
import type { Scenario } from '#shared/scenario/schema.ts';
import { h } from '../ui/dom.ts';

export const pct = (x: number, digits = 1): string => `${(x * 100).toFixed(digits)}%`;
const left = (x: number) => `${Math.max(0, Math.min(100, x * 100)).toFixed(2)}%`;

const VERDICT: Record<string, [string, string]> = {
  fair: ['ok', 'Fair'],
  too_often: ['bad', 'Wins too often'],
  too_rarely: ['bad', 'Wins too rarely'],
  unclear: ['warn', 'Outside the band: run more games'],
};

/** Win rate per power: bar, 95 % interval, the fair band; the previous run's rate as a tick. */
export function winRates(report: SimulationReport, previous?: SimulationReport): HTMLElement {
  const { fair } = report;
  const scale = Math.min(1, Math.max(fair.high * 1.6, ...report.powers.map((p) => p.interval[1])) + 0.05);
  const x = (v: number) => left(v / scale);
  return h(
    'div.ws-chart',
    { 'data-testid': 'win-rates' },
    report.powers.map((p) => {
      const before = previous?.powers.find((q) => q.power === p.power);
      const [tone, label] = VERDICT[p.verdict] ?? ['warn', p.verdict];
      return h(
        'div.ws-row',
        null,
        h('span.ws-row-label', null, h('span.dot', { style: `background:${p.colour}` }), p.name),
        h(
          'span.ws-track',
          { 'aria-hidden': 'true' },
          h('span.ws-band', { style: `left:${x(fair.low)};width:calc(${x(fair.high)} - ${x(fair.low)})` }),
          h('span.ws-bar', { style: `width:${x(p.winRate)};background:${p.colour}` }),
          h('span.ws-whisker', { style: `left:${x(p.interval[0])};width:calc(${x(p.interval[1])} - ${x(p.interval[0])})` }),
          before ? h('span.ws-prev', { style: `left:${x(before.winRate)}`, title: `Previous run: ${pct(before.winRate)}` }) : null,
        ),
        h('span.ws-row-value', null, h('strong', null, pct(p.winRate)), h('span.small.muted', null, ` ${pct(p.interval[0], 0)}–${pct(p.interval[1], 0)}`)),
        h(`span.ws-badge.${tone}`, null, label),
      );
    }),
    h('p.small.muted.ws-legend', null, h('span.ws-band-key'), ` Fair band ${pct(fair.low)}–${pct(fair.high)} for ${report.powers.length} powers (even share ${pct(fair.share)}); whiskers: 95% interval`, previous ? '; black tick: previous run' : ''),
  );
}

/** A labelled 0–100 % bar, with the previous value as a tick. */
function rateRow(label: HTMLElement | string, rate: number, colour: string, value: string, before?: number, extra?: HTMLElement | null): HTMLElement {
  return h(
    'div.ws-row.ws-row-thin',
    null,
    h('span.ws-row-label', null, label),
    h(
      'span.ws-track',
      { 'aria-hidden': 'true' },
      h('span.ws-bar', { style: `width:${left(rate)};background:${colour}` }),
      before !== undefined ? h('span.ws-prev', { style: `left:${left(before)}` }) : null,
    ),
    h('span.ws-row-value', null, value),
    extra ?? null,
  );
}

export function objectives(report: SimulationReport, previous?: SimulationReport): HTMLElement {
  return h(
    'div.ws-chart',
    { 'data-testid': 'objectives-met' },
    report.powers.map((p) => {
      const before = previous?.powers.find((q) => q.power === p.power);
      return h(
        'div.ws-group',
        null,
        h('h5', null, h('span.dot', { style: `background:${p.colour}` }), p.name, h('span.small.muted', null, ` — mean ${p.meanScore.toFixed(1)}, best ${p.score.max}, at most ${p.maxScore} points`)),
        p.objectives.map((o) =>
          rateRow(
            h('span', { title: o.text }, o.text, o.secret ? h('span.ws-secret', null, ' secret') : null),
            o.metRate,
            p.colour,
            `${pct(o.metRate, 0)} · ${o.weight} pts`,
            before?.objectives.find((x) => x.id === o.id)?.metRate,
          ),
        ),
      );
    }),
  );
}

export function moves(scenario: Scenario, report: SimulationReport): HTMLElement {
  const most = Math.max(0.01, ...report.moves.map((m) => m.perGame));
  const colour = new Map(report.powers.map((p) => [p.power, p.colour]));
  return h(
    'table.ws-table',
    { 'data-testid': 'moves-played' },
    h('thead', null, h('tr', null, h('th', null, 'Move'), h('th', null, 'Played per game, by whom'), h('th.num', null, 'Players win'), h('th', null, ''))),
    h(
      'tbody',
      null,
      report.moves.map((m) =>
        h(
          'tr',
          { class: m.flag ? `flag-${m.flag}` : '' },
          h('td', null, m.name),
          h(
            'td',
            null,
            h(
              'span.ws-stack',
              { title: scenario.powers.map((p) => `${p.name}: ${m.byPower[p.id] ?? 0}`).join(', ') },
              h(
                'span.ws-stack-bar',
                { style: `width:${left(m.perGame / most)}` },
                scenario.powers.map((p) => (m.byPower[p.id] ? h('span', { style: `flex:${m.byPower[p.id]};background:${colour.get(p.id)}` }) : null)),
              ),
              h('span.ws-stack-value', null, m.perGame.toFixed(2)),
            ),
          ),
          h('td.num', null, m.players ? pct(m.winRateWhenPlayed, 0) : '—'),
          h('td', null, m.flag === 'never_played' ? h('span.ws-badge.warn', null, 'Never played') : m.flag === 'dominant' ? h('span.ws-badge.bad', null, 'Dominant') : null),
        ),
      ),
    ),
  );
}

export function events(report: SimulationReport, previous?: SimulationReport): HTMLElement {
  if (!report.events.length) return h('p.empty', null, 'This scenario has no events.');
  return h(
    'div.ws-chart',
    { 'data-testid': 'events-fired' },
    report.events.map((e) => rateRow(h('span', { title: e.headline }, e.headline), e.rate, 'var(--amber)', pct(e.rate, 0), previous?.events.find((x) => x.event === e.event)?.rate)),
  );
}

function box(s: Spread, lo: number, hi: number): HTMLElement {
  const x = (v: number) => left((v - lo) / Math.max(1, hi - lo));
  return h(
    'span.ws-track.ws-box',
    { 'aria-hidden': 'true' },
    h('span.ws-box-whisker', { style: `left:${x(s.min)};width:calc(${x(s.max)} - ${x(s.min)})` }),
    h('span.ws-box-iqr', { style: `left:${x(s.q1)};width:calc(${x(s.q3)} - ${x(s.q1)})` }),
    h('span.ws-box-median', { style: `left:${x(s.median)}` }),
  );
}

export function spreads(scenario: Scenario, report: SimulationReport): HTMLElement {
  const range = (id: string) => [...scenario.metrics.power, ...scenario.metrics.pair].find((m) => m.id === id) ?? { min: 0, max: 100 };
  const rows = [...report.metrics, ...report.relations];
  return h(
    'div.ws-chart',
    { 'data-testid': 'spreads' },
    rows.map((r) => {
      const m = range(r.metric);
      return h(
        'div.ws-row.ws-row-thin',
        null,
        h('span.ws-row-label', null, `${r.label} · ${r.metricName}`),
        box(r.spread, m.min, m.max),
        h('span.ws-row-value.small', null, `${r.spread.min} · ${r.spread.q1}–${r.spread.q3} · ${r.spread.max}`),
      );
    }),
    h('p.small.muted.ws-legend', null, 'At the end of the game, over the metric\u2019s whole range: line from min to max, box from the lower to the upper quartile, tick at the median.'),
  );
}
