/**
 * The Balance tab: runs 100–5,000 bot games of the draft in a Web Worker, with a progress bar and a
 * cancel button, and shows the figures of `npm run scenario -- simulate`. The previous run is kept and
 * shown beside the new one (and as ticks on its charts), so an edit's effect is visible.
 */
import type { SimulationReport } from '#shared/engine/balance.ts';
import type { Scenario } from '#shared/scenario/schema.ts';
import { h, icon, replace } from '../ui/dom.ts';
import type { RunMessage, RunRequest } from './balance.worker.ts';
import * as chart from './charts.ts';

interface Run {
  report: SimulationReport;
  scenario: Scenario;
  ms: number;
  at: Date;
}

export class BalancePanel {
  readonly el = h('div.ws-balance', { 'data-testid': 'balance' });
  private worker: Worker | undefined;
  private current: Run | undefined;
  private previous: Run | undefined;
  private gamesIn = h('input#ws-games', { type: 'number', min: '100', max: '5000', step: '100', value: '500', inputmode: 'numeric' });
  private seedIn = h('input#ws-seed', { type: 'text', value: 'bamboo', spellcheck: 'false' });
  private runBtn = h('button.btn-primary', { type: 'button', 'data-testid': 'run-balance', onclick: () => this.run() }, icon('play'), 'Run');
  private cancelBtn = h('button', { type: 'button', hidden: true, 'data-testid': 'cancel-balance', onclick: () => this.cancel('Cancelled.') }, icon('x'), 'Cancel');
  private progress = h('progress', { max: '1', value: '0', 'aria-label': 'Games played' });
  private status = h('span.small.muted', { role: 'status', 'data-testid': 'balance-status' }, 'Bots play every seat; the same seed gives the same figures as the command line.');
  private results = h('div.ws-runs');
  private scenario: () => Scenario | undefined;

  constructor(scenario: () => Scenario | undefined) {
    this.scenario = scenario;
    this.el.append(
      h(
        'div.ws-run-controls',
        null,
        h('label', { for: 'ws-games' }, 'Games'),
        this.gamesIn,
        h('label', { for: 'ws-seed' }, 'Seed'),
        this.seedIn,
        this.runBtn,
        this.cancelBtn,
      ),
      h('div.ws-progress', null, this.progress, this.status),
      this.results,
    );
    this.progress.hidden = true;
    this.render();
  }

  private run(): void {
    const scenario = this.scenario();
    if (!scenario) {
      this.status.textContent = 'Fix the errors first: only a file without errors can be played.';
      return;
    }
    const games = Math.max(100, Math.min(5000, Math.round(Number(this.gamesIn.value) || 500)));
    this.gamesIn.value = String(games);
    const seed = this.seedIn.value.trim() || 'bamboo';
    this.cancel();
    const worker = new Worker(new URL('./balance.worker.ts', import.meta.url), { type: 'module' });
    this.worker = worker;
    this.runBtn.disabled = true;
    this.cancelBtn.hidden = false;
    this.progress.hidden = false;
    this.progress.value = 0;
    this.status.textContent = `Playing ${games.toLocaleString('en')} games…`;
    worker.onmessage = (e: MessageEvent<RunMessage>) => {
      const m = e.data;
      if (m.type === 'progress') {
        this.progress.value = m.done / m.games;
        this.status.textContent = `${m.done.toLocaleString('en')} of ${m.games.toLocaleString('en')} games`;
        return;
      }
      this.stop();
      if (m.type === 'error') {
        this.status.textContent = `The games stopped: ${m.message}`;
        return;
      }
      if (this.current) this.previous = this.current;
      this.current = { report: m.report, scenario, ms: m.ms, at: new Date() };
      this.status.textContent = `${games.toLocaleString('en')} games in ${(m.ms / 1000).toFixed(1)} s.`;
      this.render();
    };
    worker.onerror = (e) => {
      this.stop();
      this.status.textContent = `The games stopped: ${e.message}`;
    };
    worker.postMessage({ scenario, games, seed } satisfies RunRequest);
  }

  private stop(): void {
    this.worker?.terminate();
    this.worker = undefined;
    this.runBtn.disabled = false;
    this.cancelBtn.hidden = true;
    this.progress.hidden = true;
  }

  cancel(message?: string): void {
    if (!this.worker) return;
    this.stop();
    if (message) this.status.textContent = message;
  }

  private render(): void {
    if (!this.current) {
      replace(
        this.results,
        h(
          'div.ws-empty',
          null,
          icon('chart'),
          h('h3', null, 'How balanced is it?'),
          h('p', null, 'Run a few hundred bot games to see who wins and why: objectives met, moves played, events fired and where every metric ends up. Run again after an edit to compare.'),
        ),
      );
      return;
    }
    const column = (run: Run, label: string, previous?: Run) => {
      const r = run.report;
      return h(
        'div.ws-run',
        { 'data-testid': label === 'This run' ? 'run-current' : 'run-previous' },
        h('header.ws-run-head', null, h('h3', null, label), h('span.small.muted', null, `${r.games.toLocaleString('en')} games · seed “${r.seed}” · ${run.at.toLocaleTimeString()}`)),
        h('section.ws-section', null, h('h4', null, 'Win rate per power'), chart.winRates(r, previous?.report)),
        h('section.ws-section', null, h('h4', null, 'Objectives met'), chart.objectives(r, previous?.report)),
        h('section.ws-section', null, h('h4', null, 'Moves'), this.moveSummary(r), chart.moves(run.scenario, r)),
        h('section.ws-section', null, h('h4', null, 'Events fired'), chart.events(r, previous?.report)),
        h('section.ws-section', null, h('h4', null, 'Where metrics and relations end'), chart.spreads(run.scenario, r)),
        h('p.small.muted', null, `Commitments: ${r.kept.toLocaleString('en')} kept, ${r.breaches.toLocaleString('en')} broken.`),
      );
    };
    replace(this.results, column(this.current, 'This run', this.previous), this.previous ? column(this.previous, 'Previous run') : null);
  }

  private moveSummary(r: SimulationReport): HTMLElement | null {
    const never = r.moves.filter((m) => m.flag === 'never_played');
    const dominant = r.moves.filter((m) => m.flag === 'dominant');
    if (!never.length && !dominant.length) return h('p.small.muted', null, 'Every move is played; none dominates.');
    return h(
      'div.small',
      null,
      never.length ? h('p', null, h('strong', null, `Never played (${never.length}): `), never.map((m) => m.name).join(', '), '. Check their conditions, cost and who may play them.') : null,
      dominant.length ? h('p', null, h('strong', null, `Dominant (${dominant.length}): `), dominant.map((m) => `${m.name} (players win ${chart.pct(m.winRateWhenPlayed, 0)})`).join(', '), '.') : null,
    );
  }

  destroy(): void {
    this.cancel();
  }
}
