/**
 * The replay of one table, finished or not (issue 6): step, play, jump to a turn; the map and every
 * power's numbers as they were at that step; the news and the moves that led to it. With the
 * teacher's secret the replay shows everything (orders before they were revealed, the talks, the
 * teacher's own actions) and offers "fork from here"; without it, the public replay a class or a
 * projector may see.
 */
import type { Scenario } from '#shared/scenario/schema.ts';
import type { PlayerView } from '#shared/engine/view.ts';
import { tabList } from './tabs.ts';
import { app, toast, toastError, type Screen } from '../app.ts';
import { storedSecret } from '../net/session.ts';
import { fetchReplay, forkTable, type Replay } from '../net/records.ts';
import { forkPoint, logLines, replaySteps, replayTurns, type ReplayStep, stepLabel, stepOfTurn } from '../model/replay.ts';
import { ledger, mapMoves, news } from '../model/view.ts';
import { mainRelationMetric, relationLines, relationStyle } from '../model/relations.ts';
import { moveName, powerColour, powerName, readableOnLight, signed, turnLabel } from '../model/format.ts';
import type { MapView } from '../map/MapView.ts';
import { explainError } from '../app.ts';
import { brand } from './chrome.ts';
import { newsItemEl } from './brief.ts';
import { mapLegend } from './gameview.ts';
import { announce, h, icon, patch } from './dom.ts';

type Tab = 'news' | 'moves' | 'talks';
const STEP_WORDS: Record<string, string> = { negotiation: 'Talks', orders: 'Orders' };
const PLAY_STEP_MS = 2200;

export class ReplayScreen implements Screen {
  private top = h('header.topbar');
  private body = h('main#main', { tabindex: '-1', style: 'flex:1;display:flex;flex-direction:column;min-height:0' });
  private replay: Replay | undefined;
  private steps: ReplayStep[] = [];
  private index = 0;
  private error: { title: string; detail: string } | undefined;
  private loading = false;
  /** Teacher: the whole replay (secret) or the public one (for the projector). */
  private full: boolean;
  private playing = false;
  private playTimer = 0;
  private tab: Tab = 'news';
  private forking = false;
  private destroyed = false;
  // The stage is built once: the map keeps its canvas while the steps change.
  private mapHost = h('div.map-host', { role: 'img', 'aria-label': 'Map of the region' });
  private legend = h('div.map-legend', { 'aria-hidden': 'true' });
  private map: MapView | undefined;
  private mapLoading: Promise<void> | undefined;
  private animating = false;
  private controls = h('div.replay-bar', { role: 'group', 'aria-label': 'Replay controls' });
  private strip = h('section.powers-strip', { 'aria-label': 'Every country at this step', 'data-testid': 'replay-strip', tabindex: '0' });
  private side = h('aside.side', { 'aria-label': 'What happened' });
  private stage = h(
    'div.game.replay',
    { 'data-keep': '', 'data-testid': 'replay' },
    h('section.stage', { 'aria-label': 'Map and countries' }, this.controls, h('div.map-wrap', null, h('div.map-loading', null, 'Loading the map…'), this.mapHost, this.legend), this.strip),
    this.side,
  );

  private readonly code: string;
  private readonly table: string;
  constructor(code: string, table: string) {
    this.code = code;
    this.table = table;
    this.full = !!storedSecret(code);
  }

  mount(root: HTMLElement): void {
    root.append(this.top, this.body);
    document.getElementById('app')?.classList.add('fixed');
    void this.load();
  }

  unmount(): void {
    this.destroyed = true;
    this.stop();
    document.getElementById('app')?.classList.remove('fixed');
    this.map?.destroy();
  }

  private async load(): Promise<void> {
    this.loading = true;
    this.error = undefined;
    app.render();
    const secret = this.full ? storedSecret(this.code) : undefined;
    try {
      const replay = await fetchReplay(this.code, this.table, secret);
      if (this.destroyed) return;
      const keepTurn = this.steps[this.index];
      this.replay = replay;
      this.steps = replaySteps(replay);
      // Changing between the public and the full replay keeps the step.
      this.index = keepTurn ? Math.max(0, this.steps.findIndex((s) => s.turn === keepTurn.turn && s.phase === keepTurn.phase)) : 0;
      if (!this.full && this.tab === 'talks') this.tab = 'news';
    } catch (e) {
      this.error = explainError(e);
    } finally {
      this.loading = false;
      app.render();
    }
  }

  private get step(): ReplayStep | undefined {
    return this.steps[this.index];
  }

  /** Go to step `i`; a single step forward over a resolution plays that turn's moves on the map. */
  private go(i: number, animate = false): void {
    const next = Math.max(0, Math.min(this.steps.length - 1, i));
    if (next === this.index && !animate) return;
    const forward = next === this.index + 1;
    this.index = next;
    const step = this.steps[next]!;
    const scenario = this.scenario();
    if (scenario) announce(stepLabel(scenario, step));
    if (animate && forward && step.resolved && scenario) void this.animate(scenario, step);
    app.render();
  }

  private async animate(scenario: Scenario, step: ReplayStep): Promise<void> {
    const before = this.steps[step.index - 1]?.view.relations;
    this.animating = true;
    this.stage.dataset['animating'] = 'true';
    try {
      await this.mapLoading;
      if (before) this.map?.set({ scenario, relations: before });
      await this.map?.play(mapMoves(scenario, step.resolved!.events));
    } finally {
      this.animating = false;
      delete this.stage.dataset['animating'];
      if (!this.destroyed) this.pushMap(scenario);
    }
  }

  private play(): void {
    if (this.index >= this.steps.length - 1) this.index = 0;
    this.playing = true;
    const tick = () => {
      if (!this.playing || this.destroyed) return;
      if (this.index >= this.steps.length - 1) return this.stop();
      this.go(this.index + 1, true);
      this.playTimer = window.setTimeout(tick, PLAY_STEP_MS);
    };
    this.playTimer = window.setTimeout(tick, 600);
    app.render();
  }

  private stop(): void {
    this.playing = false;
    window.clearTimeout(this.playTimer);
    app.render();
  }

  private scenario(): Scenario | undefined {
    // The version the game was played with (the record keeps it by hash), not the file as it is now.
    return app.scenario(this.replay?.scenario.id, this.replay?.scenario.hash || undefined);
  }

  update(): void {
    const scenario = this.scenario();
    const replay = this.replay;
    const secret = storedSecret(this.code);
    patch(
      this.top,
      brand(),
      h(
        'div.turn-info',
        null,
        h('span.t1', null, replay ? `Replay · ${replay.name}` : 'Replay'),
        h('span.t2', { 'data-testid': 'turn' }, scenario && this.step ? stepLabel(scenario, this.step) : `Code ${this.code}`),
      ),
      h('span.spacer'),
      secret
        ? h(
            'div.seg',
            { role: 'group', 'aria-label': 'What the replay shows' },
            h('button', { type: 'button', 'aria-pressed': String(this.full), 'data-testid': 'replay-full', onclick: () => this.setFull(true) }, icon('lock'), 'Everything'),
            h('button', { type: 'button', 'aria-pressed': String(!this.full), 'data-testid': 'replay-public', onclick: () => this.setFull(false) }, icon('users'), 'Public'),
          )
        : h('span.chip', null, 'Public replay'),
      secret
        ? h('a.btn.btn-sm.btn-on-dark', { href: `#/console/${this.code}` }, 'Console')
        : h('a.btn.btn-sm.btn-on-dark', { href: '#/' }, 'Home'),
    );
    if (this.error) {
      this.map?.destroy();
      this.map = undefined;
      document.getElementById('app')?.classList.remove('fixed');
      patch(
        this.body,
        h(
          'div.page',
          null,
          h('section.card', { role: 'alert', style: 'max-width:560px;margin:40px auto' }, h('h1', null, this.error.title), h('p', null, this.error.detail), h('a.btn', { href: '#/' }, 'Back to the start')),
        ),
      );
      return;
    }
    if (!replay || !scenario || !this.step) {
      patch(this.body, h('div.page', null, h('p.empty', { role: 'status' }, this.loading ? 'Loading the replay…' : replay && !this.steps.length ? 'This game has not started: there is nothing to replay yet.' : 'Loading…')));
      return;
    }
    if (this.stage.parentElement !== this.body) {
      this.body.replaceChildren(this.stage);
      this.ensureMap(scenario);
      patch(this.legend, ...mapLegend(scenario));
    }
    this.renderControls(scenario);
    if (!this.animating) this.pushMap(scenario);
    this.renderStrip(scenario);
    this.renderSide(scenario);
  }

  private setFull(full: boolean): void {
    if (this.full === full) return;
    this.full = full;
    void this.load();
  }

  private ensureMap(scenario: Scenario): void {
    if (this.map || this.mapLoading) return;
    this.mapLoading = import('../map/MapView.ts').then(({ MapView }) => {
      if (this.destroyed) return;
      this.map = new MapView(this.mapHost);
      this.mapHost.parentElement?.querySelector('.map-loading')?.remove();
      this.pushMap(scenario);
    });
  }

  private pushMap(scenario: Scenario): void {
    const step = this.step;
    if (!step) return;
    this.map?.set({ scenario, relations: step.view.relations ?? {} });
    const metric = mainRelationMetric(scenario);
    const lines = relationLines(scenario, step.view.relations);
    this.mapHost.setAttribute(
      'aria-label',
      `Map at ${stepLabel(scenario, step)}. ${lines.map((l) => `${powerName(scenario, l.a)} and ${powerName(scenario, l.b)}: ${(metric ? relationStyle(l.value, metric).label : '').toLowerCase()}`).join('. ')}.`,
    );
  }

  private renderControls(scenario: Scenario): void {
    const n = this.steps.length;
    const step = this.step!;
    const turns = replayTurns(this.steps);
    const btn = (label: string, ic: Parameters<typeof icon>[0], disabled: boolean, onclick: () => void, testid: string) =>
      h('button.btn-sm.icon-btn', { type: 'button', 'aria-label': label, title: label, disabled, onclick, 'data-testid': testid, 'data-focus': testid }, icon(ic));
    patch(
      this.controls,
      h(
        'div.replay-buttons',
        null,
        btn('First step', 'first', this.index === 0, () => this.go(0), 'replay-first'),
        btn('Previous step', 'back', this.index === 0, () => this.go(this.index - 1), 'replay-prev'),
        this.playing
          ? h('button.btn-sm.btn-primary', { type: 'button', 'data-testid': 'replay-play', 'data-focus': 'replay-play', onclick: () => this.stop() }, icon('pause'), 'Pause')
          : h('button.btn-sm.btn-primary', { type: 'button', 'data-testid': 'replay-play', 'data-focus': 'replay-play', disabled: n < 2, onclick: () => this.play() }, icon('play'), 'Play'),
        btn('Next step', 'arrow', this.index >= n - 1, () => this.go(this.index + 1, true), 'replay-next'),
        btn('Last step', 'skip', this.index >= n - 1, () => this.go(n - 1), 'replay-last'),
      ),
      h(
        'div.replay-scrub',
        null,
        h('label.sr-only', { for: 'replay-range' }, 'Step of the replay'),
        h('input#replay-range', {
          type: 'range',
          min: '0',
          max: String(Math.max(0, n - 1)),
          step: '1',
          value: String(this.index),
          'aria-valuetext': stepLabel(scenario, step),
          oninput: (e: Event) => this.go(Number((e.target as HTMLInputElement).value)),
        }),
        h('span.small.muted', { 'data-testid': 'replay-position' }, `Step ${this.index + 1} of ${n}`),
      ),
      h(
        'div.replay-jump',
        null,
        h('label', { for: 'replay-turn' }, 'Turn'),
        h(
          'select#replay-turn',
          { onchange: (e: Event) => this.go(stepOfTurn(this.steps, Number((e.target as HTMLSelectElement).value))) },
          turns.map((t) => h('option', { value: String(t), selected: t === step.turn }, turnLabel(scenario, t))),
        ),
      ),
    );
  }

  private fork(at: { turn: number; phase: 'negotiation' | 'orders' }): void {
    const secret = storedSecret(this.code);
    if (!secret) return;
    this.forking = true;
    app.render();
    forkTable(this.code, secret, { table: this.table, ...at })
      .then((r) => {
        toast('ok', `New table ${r.table.replace(/^t/, '')} created`, `It starts at turn ${r.from.turn}, paused. Seat players and resume it from the console.`);
        announce('New table created');
      })
      .catch(toastError)
      .finally(() => {
        this.forking = false;
        app.render();
      });
  }

  private renderStrip(scenario: Scenario): void {
    const step = this.step!;
    const view = step.view;
    const before = this.steps[step.index - 1]?.view;
    patch(
      this.strip,
      scenario.powers.map((p) => {
        const pv = view.powers[p.id];
        const prev = before?.powers[p.id];
        const delta = (now: number, was: number | undefined) =>
          was === undefined || was === now ? null : h('span', { class: `delta ${now > was ? 'up' : 'down'}`, 'aria-label': `${now > was ? 'up' : 'down'} ${Math.abs(now - was)}` }, signed(now - was));
        return h(
          'article',
          { class: 'pcard', style: `--pc:${p.colour}`, 'aria-label': p.name, 'data-power': p.id },
          h('header', null, h('span.swatch', { style: `background:${p.colour}` }), h('span', { style: `color:${readableOnLight(p.colour)}` }, p.name)),
          h(
            'div.metrics',
            null,
            scenario.metrics.power.map((m) => {
              const v = pv?.metrics?.[m.id] ?? m.start;
              const pct = Math.round(((v - m.min) / (m.max - m.min || 1)) * 100);
              return h(
                'div.metric',
                null,
                h('span', null, m.name),
                h('b', null, String(v), delta(v, prev?.metrics?.[m.id])),
                h('div.bar', { role: 'meter', 'aria-label': `${p.name} ${m.name}`, 'aria-valuemin': String(m.min), 'aria-valuemax': String(m.max), 'aria-valuenow': String(v) }, h('i', { style: `width:${pct}%` })),
              );
            }),
            h('div.metric', null, h('span', null, 'Credibility'), h('b', null, String(pv?.credibility ?? '—'), pv ? delta(pv.credibility, prev?.credibility) : null)),
          ),
        );
      }),
    );
  }

  private renderSide(scenario: Scenario): void {
    const tabs: Tab[] = this.full ? ['news', 'moves', 'talks'] : ['news', 'moves'];
    if (!tabs.includes(this.tab)) this.tab = 'news';
    const label: Record<Tab, string> = { news: 'News', moves: 'Moves', talks: 'Talks' };
    const iconFor: Record<Tab, Parameters<typeof icon>[0]> = { news: 'news', moves: 'flag', talks: 'chat' };
    const select = (t: Tab) => {
      this.tab = t;
      app.render();
      queueMicrotask(() => document.getElementById(`rtab-${t}`)?.focus());
    };
    const tablist = tabList({ tabs, selected: this.tab, prefix: 'r', testPrefix: 'rtab', label, icon: iconFor, select });
    const step = this.step!;
    const body = this.tab === 'news' ? this.newsPanel(scenario, step) : this.tab === 'moves' ? this.movesPanel(scenario, step) : this.talksPanel(scenario, step);
    const at = storedSecret(this.code) && this.full ? forkPoint(step) : undefined;
    const head = h(
      'div',
      null,
      h('div.step-head', null, h('h2', null, step.phase === 'ended' ? 'Game over' : turnLabel(scenario, step.turn)), step.phase !== 'ended' ? h('span.chip', null, STEP_WORDS[step.phase] ?? step.phase) : null),
      at
        ? h(
            'div.fork-card',
            null,
            h('p', null, h('strong', null, 'What if? '), 'Start a new table of this class from this moment; this game stays as it was.'),
            h(
              'button.btn-sm',
              { type: 'button', 'data-testid': 'replay-fork', disabled: this.forking, onclick: () => this.fork(at) },
              icon('fork'),
              this.forking ? 'Creating…' : `Fork from here (${at.phase === 'orders' ? 'orders' : 'talks'} of turn ${at.turn})`,
            ),
          )
        : null,
    );
    patch(this.side, tablist, h('div', { role: 'tabpanel', id: `rpanel-${this.tab}`, 'aria-labelledby': `rtab-${this.tab}`, tabindex: '0' }, head, body));
  }

  private newsPanel(scenario: Scenario, step: ReplayStep): HTMLElement {
    const root = h('div', { 'data-testid': 'replay-news' });
    if (this.replay?.forkOf && step.index === 0) {
      root.append(h('p.chip.chip-warn', { style: 'margin-bottom:10px' }, icon('fork'), `Forked from ${this.replay.forkOf.table.replace(/^t/, 'Table ')} at turn ${this.replay.forkOf.turn}`));
    }
    if (step.reason === 'start') {
      root.append(h('section.panel-section', null, h('h2', null, 'The game begins'), h('p', null, scenario.summary)));
    }
    if (step.resolved) {
      const items = news(scenario, step.resolved.events);
      root.append(
        h(
          'section.panel-section',
          { 'aria-labelledby': 'h-rnews' },
          h('h2#h-rnews', null, `The news — ${turnLabel(scenario, step.resolved.turn)}`),
          items.length ? items.map((n) => newsItemEl(scenario, n)) : h('p.empty', null, 'A quiet turn: nothing happened.'),
        ),
      );
    }
    const current = news(scenario, step.view.current_events ?? []);
    if (current.length) root.append(h('section.panel-section', null, h('h3', null, 'So far this turn'), current.map((n) => newsItemEl(scenario, n))));
    if (!step.resolved && step.reason !== 'start' && !current.length) {
      root.append(h('p.empty', null, step.phase === 'orders' ? 'The talks are over: the countries give their orders.' : 'Nothing new yet at this step.'));
    }
    return root;
  }

  private movesPanel(scenario: Scenario, step: ReplayStep): HTMLElement {
    const root = h('div', { 'data-testid': 'replay-moves' });
    if (step.resolved) {
      root.append(
        h(
          'section.panel-section',
          null,
          h('h2', null, `Orders of ${turnLabel(scenario, step.resolved.turn)}`),
          ordersTable(scenario, step.resolved.orders),
        ),
      );
    }
    if (this.full && step.phase === 'orders') {
      const pending = Object.fromEntries(scenario.powers.map((p) => [p.id, (step.view.powers[p.id] as PlayerView['powers'][string] & { orders?: { move: string; target?: string }[] })?.orders ?? []]));
      root.append(h('section.panel-section', null, h('h3', null, 'Orders given so far', h('span.chip.chip-secret', { style: 'margin-left:8px;font-size:.7rem' }, icon('lock'), 'teacher only')), ordersTable(scenario, pending)));
    }
    const rows = ledger(scenario, step.view.commitments ?? []);
    root.append(
      h(
        'section.panel-section',
        null,
        h('h3', null, 'Promises'),
        rows.length
          ? h(
              'table.ledger',
              null,
              h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Promise'), h('th', { scope: 'col' }, 'To'), h('th', { scope: 'col' }, 'Status'))),
              h(
                'tbody',
                null,
                rows.map((r) =>
                  h(
                    'tr',
                    null,
                    h('td', null, r.text),
                    h('td', null, powerName(scenario, r.to)),
                    h('td', null, h('span', { class: `chip chip-${r.tone === 'neutral' ? '' : r.tone}` }, r.label)),
                  ),
                ),
              ),
            )
          : h('p.empty', null, 'No promises yet.'),
      ),
    );
    if (!step.resolved && !(this.full && step.phase === 'orders')) root.prepend(h('p.small.muted', null, 'Orders are revealed when the turn is resolved: step forward to see them.'));
    return root;
  }

  private talksPanel(scenario: Scenario, step: ReplayStep): HTMLElement {
    const lines = logLines(scenario, step.entries);
    return h(
      'div',
      { 'data-testid': 'replay-talks' },
      h('p.small.muted', null, h('span.chip.chip-secret', { style: 'font-size:.7rem;margin-right:6px' }, icon('lock'), 'teacher only'), 'Everything said and done during this phase, in order.'),
      lines.length
        ? h(
            'ol.log',
            null,
            lines.map((l) =>
              h(
                'li',
                { class: `log-${l.kind}`, style: `--pc:${l.power ? powerColour(scenario, l.power) : '#5b6b62'}` },
                l.by === 'bot' ? h('span.chip', { style: 'font-size:.7rem;padding:0 6px' }, icon('bot'), 'bot') : null,
                l.by === 'teacher' ? h('span.chip.chip-warn', { style: 'font-size:.7rem;padding:0 6px' }, 'teacher') : null,
                ' ',
                l.text,
              ),
            ),
          )
        : h('p.empty', null, 'Nothing was said or done during this phase.'),
    );
  }
}

function ordersTable(scenario: Scenario, orders: Record<string, { move: string; target?: string }[]>): HTMLElement {
  return h(
    'table.ledger',
    null,
    h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Country'), h('th', { scope: 'col' }, 'Orders'))),
    h(
      'tbody',
      null,
      scenario.powers.map((p) =>
        h(
          'tr',
          null,
          h('th', { scope: 'row', style: `color:${readableOnLight(p.colour)};white-space:nowrap` }, p.name),
          h('td', null, (orders[p.id] ?? []).length ? (orders[p.id] ?? []).map((o) => `${moveName(scenario, o.move)}${o.target ? ` → ${powerName(scenario, o.target)}` : ''}`).join('; ') : h('span.muted', null, 'No moves')),
        ),
      ),
    ),
  );
}
