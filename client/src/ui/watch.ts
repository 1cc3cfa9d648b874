/**
 * The projector (issue 11): a screen at the front of the room, readable from eight metres at
 * 1920×1080 (no text under 32 px). The join code while a table waits; during the game the phase and
 * the countdown in very large type over the animated map and every country's numbers; after a
 * resolution the headlines one by one; at the end the scores. ←/→ or 1–9 change the table (a
 * spectator receives only the table it watches).
 */
import type { TurnRecord } from '#shared/engine/types.ts';
import type { Scenario } from '#shared/scenario/schema.ts';
import { app, type Screen } from '../app.ts';
import { Session, api, type TableSnap } from '../net/session.ts';
import type { SessionInfoResponse } from '#shared/protocol.ts';
import { news, parseScores, type NewsItem } from '../model/view.ts';
import { phaseLabel, turnLabel } from '../model/format.ts';
import { connBanner, joinUrl, replayLink, timerEl } from './chrome.ts';
import { GameView } from './gameview.ts';
import { endView } from './end.ts';
import { tickCountdowns } from './topbar.ts';
import { announcementBanner, announcementFor, phaseKey } from './player.ts';
import { h, icon, patch, replace } from './dom.ts';
import './projector.css';

/** The projector's own (spectator) connections, even before they have joined: the console never takes one for its own. */
export const projectorSessions = new WeakSet<Session>();

/** How long each headline stays on the screen. */
const HEADLINE_MS = 5000;

export class WatchScreen implements Screen {
  private banner = h('div');
  private head = h('header.proj-head', { 'data-testid': 'proj-head' });
  private stage = h('div.proj-stage');
  private news = h('div.proj-news', { role: 'status', 'aria-live': 'polite', 'data-testid': 'proj-news', hidden: true });
  private body = h('main#main.proj-main', { tabindex: '-1' }, this.head, this.stage, this.news);
  private game: GameView | undefined;
  private timer = 0;
  private headlines: { title: string; items: NewsItem[]; at: number; timer: number } | undefined;
  /** Every table of the session (a spectator's state holds only the table it watches). */
  private tableIds: string[] = [];

  private readonly code: string;
  private tableId: string | undefined;
  constructor(code: string, tableId?: string) {
    this.code = code;
    this.tableId = tableId;
  }

  mount(root: HTMLElement): void {
    root.classList.add('projector');
    root.append(this.banner, this.body);
    this.timer = window.setInterval(() => tickCountdowns(app.session, this.table()), 500);
    window.addEventListener('keydown', this.onKey);
    // The projector has its own connection (a spectator), even in the teacher's browser.
    const s = new Session(this.code);
    projectorSessions.add(s);
    app.useSession(s);
    if (this.tableId) s.watch(this.tableId);
    this.loadTables();
    s.join({ role: 'spectator', name: 'Projector' }).catch(() => app.go({ name: 'landing', code: this.code }, true));
  }

  unmount(): void {
    document.getElementById('app')?.classList.remove('projector', 'fixed');
    window.clearInterval(this.timer);
    window.removeEventListener('keydown', this.onKey);
    if (this.headlines) window.clearTimeout(this.headlines.timer);
    this.game?.destroy();
  }

  private tables(): TableSnap[] {
    return Object.values(app.session?.snap?.tables ?? {});
  }

  private loadTables(): void {
    api<SessionInfoResponse>(`/api/sessions/${encodeURIComponent(this.code)}`)
      .then((info) => {
        this.tableIds = info.tables;
        app.render();
      })
      .catch(() => undefined);
  }

  /** Table ids in order: from the server's list, and any the state holds. */
  private ids(): string[] {
    const ids = [...this.tableIds];
    for (const t of this.tables()) if (!ids.includes(t.id)) ids.push(t.id);
    return ids.sort((a, b) => Number(a.replace(/\D/g, '')) - Number(b.replace(/\D/g, '')) || a.localeCompare(b));
  }

  private table(): TableSnap | undefined {
    const snap = app.session?.snap;
    if (!snap) return undefined;
    // After a switch, the previous table may stay in the state a moment: show only the one asked for.
    if (this.tableId) return snap.tables[this.tableId];
    return Object.values(snap.tables)[0];
  }

  wantsAnnouncement(a: { table: string }): boolean {
    return announcementFor(a, this.table()?.id ?? '');
  }

  /** ←/→ step through the tables, 1–9 pick one. */
  private onKey = (e: KeyboardEvent): void => {
    if (e.altKey || e.ctrlKey || e.metaKey || (e.target as HTMLElement | null)?.closest?.('input, select, textarea')) return;
    const ids = this.ids();
    if (ids.length < 2) return;
    const at = Math.max(0, ids.indexOf(this.tableId ?? ''));
    let next: string | undefined;
    if (e.key === 'ArrowRight') next = ids[(at + 1) % ids.length];
    else if (e.key === 'ArrowLeft') next = ids[(at - 1 + ids.length) % ids.length];
    else if (/^[1-9]$/.test(e.key)) next = ids[Number(e.key) - 1];
    if (!next || next === this.tableId) return;
    e.preventDefault();
    this.show(next);
    // Forked tables appear later: refresh the list now and then.
    this.loadTables();
  };

  private show(id: string): void {
    this.tableId = id;
    app.session?.watch(id);
    history.replaceState(null, '', `#/watch/${this.code}/${id}`);
    this.stopHeadlines();
    app.render();
  }

  update(): void {
    const s = app.session;
    if (!s) return;
    const table = this.table();
    if (table && this.tableId !== table.id) {
      // No table in the address: watch the first one.
      this.tableId = table.id;
      s.watch(table.id);
    }
    const scenario = app.scenario(s.snap?.scenario, s.snap?.scenarioVersion);
    patch(this.banner, connBanner(s.conn), announcementBanner(s.snap?.announcements ?? [], table?.id ?? '', phaseKey(table)));
    if (!table || !scenario) {
      patch(this.head);
      patch(this.stage, h('p.proj-wait', { role: 'status' }, 'Connecting…'));
      return;
    }
    this.drawHead(scenario, table);
    const view = table.public;
    if (table.status === 'waiting' || !view) {
      this.dropGame();
      patch(
        this.stage,
        h(
          'div.proj-join',
          { 'data-testid': 'proj-join' },
          h('h1', null, scenario.title),
          h('p', null, 'Join at ', h('strong.joinurl', null, joinUrl(this.code).replace(/^https?:\/\//, '').replace(/#\/join\/.*$/, '')), ' with the code'),
          h('div.joincode', { 'data-testid': 'join-code', 'aria-label': `Code ${this.code.split('').join(' ')}` }, this.code),
          h('p.proj-muted', null, table.status === 'waiting' ? 'The game starts when your teacher says so.' : 'Setting the table…'),
        ),
      );
      return;
    }
    if (table.status === 'ended') {
      this.dropGame();
      this.stopHeadlines();
      patch(this.stage, h('div.proj-end', null, endView(scenario, parseScores(table.scores), view.history ?? [], '', replayLink(this.code, table.id))));
      return;
    }
    document.getElementById('app')?.classList.add('fixed');
    if (!this.game) {
      this.game = new GameView('spectator', { onNews: (_ctx, record) => this.playHeadlines(scenario, record), textScale: 2 });
      replace(this.stage, this.game.el);
    }
    this.game.update({ session: s, scenario, table, view, power: '', readOnly: true });
    tickCountdowns(s, table);
  }

  private dropGame(): void {
    document.getElementById('app')?.classList.remove('fixed');
    this.game?.destroy();
    this.game = undefined;
  }

  private drawHead(scenario: Scenario, t: TableSnap): void {
    const ids = this.ids();
    const running = t.status === 'running' || t.status === 'paused';
    const phase = t.status === 'paused' ? 'Paused' : t.status === 'ended' ? 'Game over' : t.status === 'waiting' ? 'Waiting to start' : phaseLabel(t.phase);
    patch(
      this.head,
      h(
        'div.proj-title',
        null,
        h('span.proj-scn', null, scenario.title),
        h('span.proj-turn', { 'data-testid': 'turn' }, t.status === 'waiting' ? `Code ${this.code}` : turnLabel(scenario, Math.max(1, t.turn))),
      ),
      h('span', { class: `proj-phase${t.status === 'paused' ? ' paused' : ''}`, 'data-testid': 'phase' }, phase),
      running ? timerEl('proj-timer', t.id) : null,
      ids.length > 1
        ? h('span.proj-table', { 'data-testid': 'proj-table', title: 'Change table with ← → or 1–9' }, t.name, h('small', null, ` ${ids.indexOf(t.id) + 1}/${ids.length} · ← →`))
        : null,
    );
  }

  /** After a resolution: the turn's headlines one by one, large, over the map. */
  private playHeadlines(scenario: Scenario, record: TurnRecord): void {
    this.stopHeadlines();
    const items = news(scenario, record.events);
    this.headlines = { title: `The news — ${turnLabel(scenario, record.turn)}`, items, at: 0, timer: 0 };
    this.drawHeadline();
  }

  private drawHeadline(): void {
    const hl = this.headlines;
    if (!hl) return;
    const n = hl.items[hl.at];
    this.news.hidden = false;
    patch(
      this.news,
      h(
        'div.proj-news-card',
        { 'data-testid': 'proj-headline' },
        h('div.proj-news-title', null, icon('news'), hl.title, hl.items.length > 1 ? h('span.proj-count', null, `${hl.at + 1} / ${hl.items.length}`) : null),
        n ? h('h2', { class: `proj-hl ${n.stroke}${n.failed ? ' failed' : ''}` }, n.headline) : h('h2.proj-hl', null, 'A quiet month: nothing happened.'),
        n?.body ? h('p', null, n.body) : null,
      ),
    );
    hl.timer = window.setTimeout(() => {
      if (hl.at + 1 < hl.items.length) {
        hl.at++;
        this.drawHeadline();
      } else this.stopHeadlines();
    }, HEADLINE_MS);
  }

  private stopHeadlines(): void {
    if (this.headlines) window.clearTimeout(this.headlines.timer);
    this.headlines = undefined;
    this.news.hidden = true;
    patch(this.news);
  }
}
