/**
 * The game screen body shared by players, the projector and the sandbox: the map with its legend and
 * a text alternative, every power's metrics at a glance, and the side panel (orders, talks, brief,
 * news). Detects resolved turns and plays them: the map animation, then the news summary.
 */
import type { TurnRecord } from '#shared/engine/types.ts';
import type { Scenario } from '#shared/scenario/schema.ts';
import { tabList } from './tabs.ts';
import { relationLines, relationStyle, mainRelationMetric } from '../model/relations.ts';
import { mapMoves, news } from '../model/view.ts';
import { powerName, readableOnLight, turnLabel } from '../model/format.ts';
import type { MapView } from '../map/MapView.ts';
import { type GameCtx, panelState } from './context.ts';
import { ordersPanel, submitPlanIfNeeded } from './orders.ts';
import { talksPanel, unreadCount } from './talks.ts';
import { briefPanel, newsItemEl, newsPanel } from './brief.ts';
import { bindDraftHost, draftChanged, restoreDraft } from './drafts.ts';
import { lastChanges, turnSummary } from '../model/summary.ts';
import { deltaChip, turnSummaryEl } from './summary.ts';
import { proposalNotices } from './notices.ts';
import { h, icon, patch, announce } from './dom.ts';
import './turn.css';

type Mode = 'player' | 'spectator' | 'sandbox';

export interface GameViewOptions {
  /** Show a resolved turn's news this way instead of the news dialog (the projector's headlines). */
  onNews?: (ctx: GameCtx, record: TurnRecord) => void;
  /** Map text and boxes larger (the projector). */
  textScale?: number;
}
type Tab = 'map' | 'orders' | 'talks' | 'brief' | 'news';

/** Phones: the map, the orders and the talks are full-screen tabs. */
const PHONE = '(max-width: 860px)';
function isPhone(): boolean {
  return typeof window !== 'undefined' && !!window.matchMedia?.(PHONE).matches;
}

export class GameView {
  readonly el: HTMLElement;
  private mapHost: HTMLElement;
  private mapWords: HTMLDetailsElement;
  private legend: HTMLElement;
  private mapCaption: HTMLElement;
  private strip: HTMLElement;
  private side: HTMLElement;
  private map: MapView | undefined;
  private mapLoading: Promise<void> | undefined;
  private ctx: GameCtx | undefined;
  private lastHistory = -1;
  private lastTable = '';
  private playing = false;
  private dialog: HTMLElement | undefined;
  private destroyed = false;

  private readonly mode: Mode;
  private readonly opts: GameViewOptions;
  constructor(mode: Mode, opts: GameViewOptions = {}) {
    this.mode = mode;
    this.opts = opts;
    this.mapHost = h('div.map-host', { role: 'img', 'aria-label': 'Map of the region' });
    this.legend = h('div.map-legend', { 'aria-hidden': 'true' });
    this.mapCaption = h('span.map-caption', { 'aria-hidden': 'true' });
    this.mapWords = h('details', { class: 'map-words' });
    this.strip = h('section.powers-strip', { 'aria-label': 'Every country at a glance', 'data-testid': 'powers-strip', tabindex: '0' });
    this.side = h('aside.side', { 'aria-label': mode === 'spectator' ? 'News' : 'Your country' });
    this.el = h(
      'div.game',
      { 'data-keep': '' },
      h(
        'section.stage',
        { 'aria-label': 'Map and countries' },
        h('div.map-wrap.with-tools', { 'data-testid': 'map' }, h('div.map-loading', null, 'Loading the map…'), this.mapHost, this.legend, h('div.map-tools', null, this.mapCaption, this.mapWords)),
        this.strip,
      ),
      this.side,
    );
    if (mode === 'player') bindDraftHost(this.el);
    // Crossing the phone width adds or removes the map tab.
    this.phoneQuery = window.matchMedia?.(PHONE);
    this.phoneQuery?.addEventListener('change', this.onPhone);
  }

  private phoneQuery: MediaQueryList | undefined;
  private onPhone = (): void => {
    if (this.ctx) this.renderSide(this.ctx);
  };

  private ensureMap(): void {
    if (this.map || this.mapLoading) return;
    this.mapLoading = import('../map/MapView.ts').then(({ MapView }) => {
      this.map = new MapView(this.mapHost);
      this.mapHost.parentElement?.querySelector('.map-loading')?.remove();
      if (this.ctx) this.pushMap(this.ctx);
    });
  }

  private pushMap(ctx: GameCtx): void {
    this.map?.set({ scenario: ctx.scenario, relations: ctx.view.relations ?? {}, ...(ctx.power ? { me: ctx.power } : {}), ...(this.opts.textScale ? { textScale: this.opts.textScale } : {}) });
  }

  update(ctx: GameCtx): void {
    this.ctx = ctx;
    if (this.mode === 'player') restoreDraft(ctx);
    this.ensureMap();
    if (!this.playing) this.pushMap(ctx);
    this.renderLegend(ctx);
    this.renderStrip(ctx);
    this.renderSide(ctx);
    if (this.mode !== 'spectator') submitPlanIfNeeded(ctx);
    if (this.mode !== 'spectator' && ctx.power) proposalNotices(ctx);
    this.detectResolution(ctx);
  }

  private detectResolution(ctx: GameCtx): void {
    const n = ctx.view.history?.length ?? 0;
    if (this.lastTable !== `${ctx.table.id}:${ctx.power}`) {
      this.lastTable = `${ctx.table.id}:${ctx.power}`;
      this.lastHistory = n;
      return;
    }
    if (n > this.lastHistory && this.lastHistory >= 0) {
      const record = ctx.view.history[n - 1]!;
      this.lastHistory = n;
      void this.playResolution(ctx, record);
    }
    this.lastHistory = n;
  }

  private async playResolution(ctx: GameCtx, record: TurnRecord): Promise<void> {
    announce(`${turnLabel(ctx.scenario, record.turn)} resolved. Here is the news.`);
    this.playing = true;
    // On a phone, the turn plays on the map: jump to it.
    if (isPhone()) {
      panelState(ctx.table.id, ctx.power || '_').tab = 'map';
      this.renderSide(ctx);
    }
    // Show the relations as they were before the turn while the moves play, then the new ones.
    const before = ctx.view.history[ctx.view.history.length - 2]?.relations;
    if (before) this.map?.set({ scenario: ctx.scenario, relations: before, ...(ctx.power ? { me: ctx.power } : {}), ...(this.opts.textScale ? { textScale: this.opts.textScale } : {}) });
    try {
      await this.mapLoading;
      await this.map?.play(mapMoves(ctx.scenario, record.events));
    } finally {
      this.playing = false;
      if (this.ctx && !this.destroyed) this.pushMap(this.ctx);
    }
    if (this.destroyed) return;
    if (this.opts.onNews) this.opts.onNews(ctx, record);
    else this.openNews(ctx, record);
  }

  private openNews(ctx: GameCtx, record: TurnRecord): void {
    this.dialog?.remove();
    const items = news(ctx.scenario, record.events);
    const index = ctx.view.history.indexOf(record);
    const summary = ctx.power ? turnSummary(ctx.scenario, ctx.view.history, ctx.power, index) : undefined;
    const previous = document.activeElement as HTMLElement | null;
    const close = () => {
      dlg.remove();
      this.dialog = undefined;
      previous?.focus?.();
    };
    const closeBtn = h('button.btn-primary', { type: 'button', 'data-testid': 'close-news', onclick: close }, 'Back to the game');
    const dlg = h(
      'div.overlay',
      {
        onkeydown: (e: KeyboardEvent) => {
          if (e.key === 'Escape') close();
          if (e.key === 'Tab') {
            const f = [...dlg.querySelectorAll<HTMLElement>('button, a[href], [tabindex="0"]')];
            if (f.length === 0) return;
            const first = f[0]!;
            const last = f[f.length - 1]!;
            if (e.shiftKey && document.activeElement === first) {
              e.preventDefault();
              last.focus();
            } else if (!e.shiftKey && document.activeElement === last) {
              e.preventDefault();
              first.focus();
            }
          }
        },
      },
      h(
        'div.dialog',
        { role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'news-title', 'data-testid': 'news-dialog' },
        h(
          'header',
          null,
          h('div.masthead', null, `The ${ctx.scenario.title.split(':')[0]} Courier`),
          h('h2#news-title', { tabindex: '-1' }, `The news — ${turnLabel(ctx.scenario, record.turn)}`),
        ),
        h(
          'div.body',
          { tabindex: '0' },
          summary ? turnSummaryEl(ctx.scenario, summary) : null,
          summary ? h('h3.news-all', null, 'All the news') : null,
          items.length ? items.map((n) => newsItemEl(ctx.scenario, n)) : h('p.empty', null, 'A quiet month: nothing happened.'),
          h('div.btn-row', { style: 'margin-top:14px;justify-content:flex-end' }, closeBtn),
        ),
      ),
    );
    this.dialog = dlg;
    document.body.appendChild(dlg);
    (dlg.querySelector('#news-title') as HTMLElement | null)?.focus();
    if (this.mode === 'spectator') window.setTimeout(() => dlg.isConnected && close(), 25_000);
  }

  private renderLegend(ctx: GameCtx): void {
    const metric = mainRelationMetric(ctx.scenario);
    if (!metric) return patch(this.legend);
    this.mapCaption.textContent = `Lines show ${metric.name.toLowerCase()}: thick green = close, red dots = hostile`;
    patch(this.legend, ...mapLegend(ctx.scenario));
    // Text alternative of the map, for screen readers and anyone who prefers words.
    const lines = relationLines(ctx.scenario, ctx.view.relations);
    this.mapHost.setAttribute(
      'aria-label',
      `Map of the region with ${ctx.scenario.powers.length} countries. ${lines.map((l) => `${powerName(ctx.scenario, l.a)} and ${powerName(ctx.scenario, l.b)}: ${l.style.label.toLowerCase()}`).join('. ')}.`,
    );
    patch(
      this.mapWords,
      h('summary.btn.btn-sm', null, 'Relations in words'),
      h(
        'div.card.map-words-panel',
        null,
        h('ul', { style: 'margin:0;padding-left:16px;font-size:.85rem' }, lines.map((l) => h('li', null, `${powerName(ctx.scenario, l.a)} – ${powerName(ctx.scenario, l.b)}: ${l.style.label} (${metric.name.toLowerCase()} ${l.value})`))),
      ),
    );
  }

  private renderStrip(ctx: GameCtx): void {
    const { scenario, view, table } = ctx;
    const participants = ctx.session.snap?.participants ?? {};
    // The change of the last resolved turn, as chips (like the replay).
    const changes = lastChanges(scenario, view.history ?? []);
    patch(
      this.strip,
      scenario.powers.map((p) => {
        const pv = view.powers[p.id];
        const seat = table.seats[p.id];
        const holder = seat?.participant ? (participants[seat.participant]?.name ?? 'Player') : '';
        // Issue 13: after two missed deadlines a bot stands in for the player until they return; say so.
        const who =
          seat?.control === 'bot' && seat.botReason === 'absent'
            ? `Bot for ${holder || 'the player'}: missed 2 deadlines`
            : seat?.control === 'bot'
              ? 'Computer player'
              : holder || 'Empty seat';
        return h(
          'article',
          { class: `pcard${p.id === ctx.power ? ' me' : ''}`, style: `--pc:${p.colour}`, 'aria-label': p.name, 'data-power': p.id },
          h(
            'header',
            null,
            h('span.swatch', { style: `background:${p.colour}` }),
            h('span', { style: `color:${readableOnLight(p.colour)}` }, p.name, p.id === ctx.power ? ' (you)' : ''),
            seat?.ready ? h('span.chip.chip-ok', null, icon('check'), 'Ready') : seat?.control === 'bot' ? h('span.chip', null, icon('bot'), 'Bot') : null,
          ),
          h('div.small.muted', { style: 'margin:-2px 0 2px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;font-size:.78rem', title: who, 'data-testid': `who-${p.id}` }, who, seat && seat.control === 'human' && !seat.connected ? ' · offline' : ''),
          h('div.metrics', null, scenario.metrics.power.map((m) => {
            const v = pv?.metrics?.[m.id] ?? m.start;
            const pct = Math.round(((v - m.min) / (m.max - m.min || 1)) * 100);
            return h(
              'div.metric',
              null,
              h('span', null, m.name),
              h('b', null, String(v), deltaChip(changes[p.id]?.[m.id])),
              h('div.bar', { role: 'meter', 'aria-label': `${p.name} ${m.name}`, 'aria-valuemin': String(m.min), 'aria-valuemax': String(m.max), 'aria-valuenow': String(v) }, h('i', { style: `width:${pct}%` })),
            );
          }),
          h('div.metric', null, h('span', null, 'Credibility'), h('b', null, String(pv?.credibility ?? '—'), deltaChip(changes[p.id]?.['credibility'])))),
        );
      }),
    );
  }

  private renderSide(ctx: GameCtx): void {
    const spectator = this.mode === 'spectator' || !ctx.power;
    const st = panelState(ctx.table.id, ctx.power || '_');
    const phone = isPhone();
    const tabs: Tab[] = [...(phone ? (['map'] as Tab[]) : []), ...((spectator ? ['news', 'brief'] : ['orders', 'talks', 'brief', 'news']) as Tab[])];
    let tab = st.tab as Tab;
    if (!tabs.includes(tab)) tab = tabs[0]!;
    st.tab = tab;
    const unread = spectator ? 0 : unreadCount(ctx);
    const label: Record<Tab, string> = { map: 'Map', orders: 'Orders', talks: 'Talks', brief: spectator ? 'Scenario' : 'Brief', news: 'News' };
    const iconFor: Record<Tab, Parameters<typeof icon>[0]> = { map: 'map', orders: 'flag', talks: 'chat', brief: 'doc', news: 'news' };
    const rerender = () => this.ctx && this.renderSide(this.ctx);
    const select = (t: Tab, focus = true) => {
      st.tab = t;
      rerender();
      if (focus) document.getElementById(`gtab-${t}`)?.focus();
    };
    const tablist = tabList({
      tabs,
      selected: tab,
      prefix: 'g',
      testPrefix: 'tab',
      label,
      icon: iconFor,
      extra: (t) => (t === 'talks' && unread > 0 ? h('span.badge', { 'aria-label': `${unread} new` }, String(unread)) : null),
      select,
    });
    // Phones show one tab at a time, full screen: the map (with the cards) or a panel.
    this.el.dataset['view'] = tab === 'map' ? 'map' : 'panel';
    let body: HTMLElement;
    if (tab === 'map') body = h('p.sr-only', null, 'The map and every country are shown.');
    else if (spectator && tab === 'brief') body = briefPanel({ ...ctx, power: '' });
    else if (tab === 'orders') body = ordersPanel(ctx, rerender);
    else if (tab === 'talks') body = talksPanel(ctx, rerender);
    else if (tab === 'brief') body = briefPanel(ctx);
    else body = newsPanel(ctx);
    const panel = h('div', { role: 'tabpanel', id: `gpanel-${tab}`, 'aria-labelledby': `gtab-${tab}`, tabindex: '0' }, body);
    // In place: the panel keeps its scroll position, and a button being clicked stays the same node.
    patch(this.side, tablist, panel);
    if (this.mode === 'player') draftChanged(ctx);
  }

  destroy(): void {
    this.destroyed = true;
    this.phoneQuery?.removeEventListener('change', this.onPhone);
    this.map?.destroy();
    this.dialog?.remove();
  }
}

/** The map's legend: what the relation lines' colour, thickness and dash mean, and the move badges. */
export function mapLegend(scenario: Scenario): HTMLElement[] {
  const metric = mainRelationMetric(scenario);
  if (!metric) return [];
  const samples = [metric.max, metric.min + (metric.max - metric.min) * 0.7, (metric.min + metric.max) / 2, metric.min + (metric.max - metric.min) * 0.3, metric.min];
  const svgLine = (v: number) => {
    const s = relationStyle(v, metric);
    const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    svg.setAttribute('viewBox', '0 0 44 10');
    svg.innerHTML = `<line x1="2" y1="5" x2="42" y2="5" stroke="${s.colour}" stroke-width="${Math.min(8, s.width)}" stroke-linecap="round" ${s.dash === 'dashed' ? 'stroke-dasharray="8 5"' : s.dash === 'dotted' ? 'stroke-dasharray="1 6"' : ''}/>`;
    return h('div.row', null, svg, s.label);
  };
  return [h('strong', null, metric.name), ...samples.map(svgLine), h('div.row', null, h('span', { style: 'width:44px;text-align:center;font-weight:700' }, '+ !'), 'Moves: + partnership, ! pressure')];
}

