/**
 * Runs side by side (issue 6): several tables of one class (forks included), or one class against
 * another. Scores per power and run, then every metric and relation turn by turn with one line per
 * run. Needs the teacher's secret of every session compared.
 */
import { app, explainError, type Screen } from '../app.ts';
import { storedSecret } from '../net/session.ts';
import { compareRuns, compareTables, fetchRecord, type Comparison, type RecordInfo } from '../net/records.ts';
import { normaliseCode, isValidCode } from '../net/limits.ts';
import { pairSeries, powerSeries, runColour, runLabel, runStatus, scoreRows } from '../model/replay.ts';
import { friendlyError } from '../model/errors.ts';
import { readableOnLight } from '../model/format.ts';
import { brand } from './chrome.ts';
import { lineChart } from './charts.ts';
import { h, icon, patch } from './dom.ts';

interface OtherClass {
  code: string;
  secret: string;
}

export class CompareScreen implements Screen {
  private top = h('header.topbar');
  private body = h('main#main.page', { tabindex: '-1', style: 'width:min(1400px,100%)' });
  private record: RecordInfo | undefined;
  private chosen = new Set<string>();
  private others: OtherClass[] = [];
  private comparison: Comparison | undefined;
  private error: { title: string; detail: string } | undefined;
  private loading = false;
  private metric = '';
  private pairMetric = '';
  private addCode = '';
  private addSecret = '';
  private addError = '';
  private seq = 0;

  private readonly code: string;
  constructor(code: string, tables?: string[]) {
    this.code = code;
    for (const t of tables ?? []) this.chosen.add(t);
  }

  mount(root: HTMLElement): void {
    root.append(this.top, this.body);
    void this.start();
  }

  unmount(): void {
    this.seq++;
  }

  private async start(): Promise<void> {
    const secret = storedSecret(this.code);
    if (!secret) {
      this.error = friendlyError('HTTP_401');
      app.render();
      return;
    }
    try {
      this.record = await fetchRecord(this.code, secret);
      if (this.chosen.size === 0) for (const t of this.record.tables) if (t.turn > 0) this.chosen.add(t.id);
      await this.refresh();
    } catch (e) {
      this.error = explainError(e);
      app.render();
    }
  }

  private async refresh(): Promise<void> {
    const secret = storedSecret(this.code)!;
    const mine = [...this.chosen];
    const seq = ++this.seq;
    this.loading = true;
    app.render();
    try {
      let c: Comparison | undefined;
      if (this.others.length) {
        c = await compareRuns([...mine.map((table) => ({ session: this.code, table, secret })), ...this.others.map((o) => ({ session: o.code, secret: o.secret }))]);
      } else if (mine.length) {
        c = await compareTables(this.code, secret, mine);
      }
      if (seq !== this.seq) return;
      this.comparison = c;
      this.error = undefined;
    } catch (e) {
      if (seq !== this.seq) return;
      this.error = explainError(e);
    } finally {
      if (seq === this.seq) {
        this.loading = false;
        app.render();
      }
    }
  }

  update(): void {
    const c = this.comparison;
    patch(
      this.top,
      brand(),
      h('div.turn-info', null, h('span.t1', null, 'Compare runs'), h('span.t2', null, c ? `${c.scenario.title} · code ${this.code}` : `Code ${this.code}`)),
      h('span.spacer'),
      h('a.btn.btn-sm.btn-on-dark', { href: `#/console/${this.code}` }, 'Console'),
    );
    if (this.error && !this.record) {
      patch(this.body, h('section.card', { role: 'alert', style: 'max-width:560px;margin:40px auto' }, h('h1', null, this.error.title), h('p', null, this.error.detail), h('a.btn', { href: `#/console/${this.code}` }, 'Back to the console')));
      return;
    }
    if (!this.record) {
      patch(this.body, h('p.empty', { role: 'status' }, 'Loading the runs…'));
      return;
    }
    patch(
      this.body,
      h(
        'div.page-head',
        null,
        h(
          'div',
          null,
          h('h4', null, c ? `${c.runs.length} run${c.runs.length === 1 ? '' : 's'} of the same scenario` : 'Runs of the same scenario'),
          h('h1', null, 'Side by side'),
          h('p.muted', { style: 'max-width:75ch;margin:0' }, 'The same starting point, different choices: compare the scores and how every number moved, turn by turn.'),
        ),
      ),
      this.runsCard(),
      this.error ? h('p.chip.chip-bad', { role: 'alert' }, icon('x'), `${this.error.title}. ${this.error.detail}`) : null,
      c ? this.results(c) : h('p.empty', { role: 'status' }, this.loading ? 'Comparing…' : 'Choose at least one run.'),
    );
  }

  private runsCard(): HTMLElement {
    const rec = this.record!;
    const toggle = (id: string, on: boolean) => {
      if (on) this.chosen.add(id);
      else this.chosen.delete(id);
      history.replaceState(null, '', `#/compare/${this.code}/${[...this.chosen].join(',')}`);
      void this.refresh();
    };
    return h(
      'section.card',
      { 'aria-labelledby': 'h-runs', 'data-testid': 'compare-runs' },
      h('h2#h-runs', null, 'Runs'),
      h(
        'fieldset.run-pick',
        null,
        h('legend', null, `This class (${this.code})`),
        rec.tables.map((t) => {
          const id = `run-${t.id}`;
          const from = t.forkOf ? rec.tables.find((x) => x.id === t.forkOf!.table)?.name ?? t.forkOf.table : '';
          return h(
            'label.run-choice',
            { for: id },
            h('input', { id, type: 'checkbox', checked: this.chosen.has(t.id), disabled: t.turn === 0, onchange: (e: Event) => toggle(t.id, (e.target as HTMLInputElement).checked) }),
            h('span', null, h('strong', null, t.name), h('span.small.muted', null, t.turn === 0 ? ' · not started' : ` · ${t.status === 'ended' ? 'finished' : `turn ${t.turn}`}${from ? ` · fork of ${from} at turn ${t.forkOf!.turn}` : ''}`)),
          );
        }),
      ),
      this.others.length
        ? h(
            'ul.other-classes',
            null,
            this.others.map((o, i) =>
              h(
                'li',
                null,
                icon('users'),
                `Class ${o.code} (every table)`,
                h(
                  'button.btn-sm.btn-ghost',
                  {
                    type: 'button',
                    'aria-label': `Remove class ${o.code}`,
                    onclick: () => {
                      this.others.splice(i, 1);
                      void this.refresh();
                    },
                  },
                  icon('x'),
                ),
              ),
            ),
          )
        : null,
      h(
        'details.add-class',
        null,
        h('summary', null, 'Add another class'),
        h(
          'form',
          {
            onsubmit: (e: Event) => {
              e.preventDefault();
              const code = normaliseCode(this.addCode);
              const secret = this.addSecret.trim() || storedSecret(code) || '';
              if (!isValidCode(code) || !secret) {
                this.addError = 'Type the class code and its teacher code.';
                app.render();
                return;
              }
              if (code === this.code || this.others.some((o) => o.code === code)) {
                this.addError = 'This class is already compared.';
                app.render();
                return;
              }
              this.addError = '';
              this.others.push({ code, secret });
              this.addCode = '';
              this.addSecret = '';
              void this.refresh();
            },
          },
          h('p.small.muted', null, 'A class that played the same scenario: its code and the teacher code shown when it was created.'),
          h(
            'div.field-row',
            null,
            h('div.field', null, h('label', { for: 'other-code' }, 'Class code'), h('input#other-code.code-input', { type: 'text', autocomplete: 'off', value: this.addCode, oninput: (e: Event) => { this.addCode = (e.target as HTMLInputElement).value; } })),
            h('div.field', null, h('label', { for: 'other-secret' }, 'Teacher code'), h('input#other-secret', { type: 'password', autocomplete: 'off', value: this.addSecret, oninput: (e: Event) => { this.addSecret = (e.target as HTMLInputElement).value; } })),
          ),
          this.addError ? h('p.chip.chip-bad', { role: 'alert' }, this.addError) : null,
          h('button.btn-sm', { type: 'submit' }, '+ Add to the comparison'),
        ),
      ),
    );
  }

  private results(c: Comparison): HTMLElement[] {
    const rows = scoreRows(c);
    if (!this.metric || (this.metric !== 'credibility' && !c.metrics.power.some((m) => m.id === this.metric))) this.metric = c.metrics.power[0]?.id ?? 'credibility';
    if (!this.pairMetric || !c.metrics.pair.some((m) => m.id === this.pairMetric)) this.pairMetric = c.metrics.pair[0]?.id ?? '';
    const metricName = this.metric === 'credibility' ? 'Credibility' : (c.metrics.power.find((m) => m.id === this.metric)?.name ?? this.metric);
    const pairName = c.metrics.pair.find((m) => m.id === this.pairMetric)?.name ?? '';
    const legend = h(
      'ul.run-legend',
      { 'aria-label': 'Runs' },
      c.runs.map((r, i) =>
        h(
          'li',
          { 'data-testid': `run-${r.session}-${r.table}` },
          h('span.run-swatch', { style: `--rc:${runColour(i)}`, class: `run-swatch dash-${i % 3}`, 'aria-hidden': 'true' }),
          h('strong', null, runLabel(c, i)),
          h('span.small.muted', null, runStatus(c, i)),
          h('a.btn.btn-sm.btn-ghost', { href: `#/replay/${r.session}/${r.table}` }, icon('play'), 'Replay'),
        ),
      ),
    );
    const charts = (title: string, items: HTMLElement[]) => h('div.grid-3.compare-charts', null, items.length ? items : h('p.empty', null, `No ${title} to show.`));
    return [
      c.warnings.length ? h('div.banner.banner-warn', { role: 'status', style: 'border-radius:10px;margin-top:12px' }, icon('doc'), c.warnings.join(' ')) : h('span'),
      h(
        'section.card',
        { 'aria-labelledby': 'h-cscores', style: 'margin-top:16px', 'data-testid': 'compare-scores' },
        h('h2#h-cscores', null, 'Scores'),
        legend,
        h(
          'div.table-scroll',
          { tabindex: '0', role: 'region', 'aria-label': 'Scores of every run' },
          h(
            'table.ledger.compare-table',
            null,
            h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Country'), c.runs.map((_, i) => h('th', { scope: 'col' }, runLabel(c, i))))),
            h(
              'tbody',
              null,
              rows.map((r) =>
                h(
                  'tr',
                  null,
                  h('th', { scope: 'row' }, h('span.power-tag', null, h('span.dot', { style: `background:${r.colour}` }), h('span', { style: `color:${readableOnLight(r.colour)}` }, r.name))),
                  r.cells.map((cell) =>
                    h(
                      'td',
                      { class: cell?.winner ? 'winner' : '' },
                      cell ? [h('strong', null, String(cell.score)), h('span.small.muted', null, ` pts · #${cell.rank}`), cell.winner ? h('span.chip.chip-ok', { style: 'margin-left:6px;font-size:.72rem;padding:0 8px' }, icon('trophy'), 'first') : null] : h('span.muted', null, '—'),
                    ),
                  ),
                ),
              ),
            ),
          ),
        ),
        h('p.small.muted', { style: 'margin:8px 0 0' }, 'Scores of unfinished runs are what they would be if the game ended now.'),
      ),
      h(
        'section',
        { 'aria-labelledby': 'h-cmetrics', style: 'margin-top:24px' },
        h(
          'div.section-head',
          null,
          h('h2#h-cmetrics', null, `${metricName}, country by country`),
          h(
            'div.field.inline',
            null,
            h('label', { for: 'cmp-metric' }, 'Number'),
            h(
              'select#cmp-metric',
              { onchange: (e: Event) => { this.metric = (e.target as HTMLSelectElement).value; app.render(); } },
              c.metrics.power.map((m) => h('option', { value: m.id, selected: m.id === this.metric }, m.name)),
              h('option', { value: 'credibility', selected: this.metric === 'credibility' }, 'Credibility'),
            ),
          ),
        ),
        charts(
          'metrics',
          c.powers.map((p) => lineChart(p.name, powerSeries(c, p.id, this.metric))),
        ),
      ),
      c.metrics.pair.length
        ? h(
            'section',
            { 'aria-labelledby': 'h-crel', style: 'margin-top:24px' },
            h(
              'div.section-head',
              null,
              h('h2#h-crel', null, `${pairName} between countries`),
              c.metrics.pair.length > 1
                ? h(
                    'div.field.inline',
                    null,
                    h('label', { for: 'cmp-pair' }, 'Relation'),
                    h('select#cmp-pair', { onchange: (e: Event) => { this.pairMetric = (e.target as HTMLSelectElement).value; app.render(); } }, c.metrics.pair.map((m) => h('option', { value: m.id, selected: m.id === this.pairMetric }, m.name))),
                  )
                : null,
            ),
            charts(
              'relations',
              c.pairs.map((pair) =>
                lineChart(`${c.powers.find((p) => p.id === pair.a)?.name ?? pair.a} – ${c.powers.find((p) => p.id === pair.b)?.name ?? pair.b}`, pairSeries(c, pair.key, this.pairMetric)),
              ),
            ),
          )
        : h('span'),
    ];
  }
}
