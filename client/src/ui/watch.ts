/** The projector (spectator) view: the public state of one table, large, with the news as it comes. */
import { app, type Screen } from '../app.ts';
import { Session } from '../net/session.ts';
import { parseScores } from '../model/view.ts';
import { connBanner, joinUrl, replayLink } from './chrome.ts';
import { GameView } from './gameview.ts';
import { endView } from './end.ts';
import { gameTopbar, tickCountdowns } from './topbar.ts';
import { announcementBanner, announcementFor } from './player.ts';
import { h, patch, replace } from './dom.ts';

export class WatchScreen implements Screen {
  private top = h('header.topbar');
  private banner = h('div');
  private body = h('main#main', { tabindex: '-1', style: 'flex:1;display:flex;flex-direction:column;min-height:0' });
  private game: GameView | undefined;
  private timer = 0;

  private readonly code: string;
  private readonly tableId: string | undefined;
  constructor(code: string, tableId?: string) {
    this.code = code;
    this.tableId = tableId;
  }

  mount(root: HTMLElement): void {
    root.classList.add('projector');
    root.append(this.top, this.banner, this.body);
    this.timer = window.setInterval(() => tickCountdowns(app.session, this.table()), 500);
    // The projector has its own connection (a spectator), even in the teacher's browser.
    const s = new Session(this.code);
    app.useSession(s);
    if (this.tableId) s.watch(this.tableId);
    s.join({ role: 'spectator', name: 'Projector' }).catch(() => app.go({ name: 'landing', code: this.code }, true));
  }

  private table() {
    const snap = app.session?.snap;
    if (!snap) return undefined;
    return (this.tableId ? snap.tables[this.tableId] : undefined) ?? Object.values(snap.tables)[0];
  }

  wantsAnnouncement(a: { table: string }): boolean {
    return announcementFor(a, this.table()?.id ?? '');
  }

  unmount(): void {
    document.getElementById('app')?.classList.remove('projector', 'fixed');
    window.clearInterval(this.timer);
    this.game?.destroy();
  }

  update(): void {
    const s = app.session;
    if (!s) return;
    const table = this.table();
    const scenario = app.scenario(s.snap?.scenario);
    gameTopbar(this.top, s, scenario, table, '', table && Object.keys(s.snap?.tables ?? {}).length > 1 ? h('span.chip', null, table.name) : null);
    patch(this.banner, connBanner(s.conn), announcementBanner(s.snap?.announcements ?? [], table?.id ?? ''));
    if (!table || !scenario) {
      patch(this.body, h('div.page', null, h('p.empty', { role: 'status' }, 'Connecting…')));
      return;
    }
    const view = table.public;
    if (table.status === 'waiting' || !view) {
      document.getElementById('app')?.classList.remove('fixed');
      this.game?.destroy();
      this.game = undefined;
      patch(
        this.body,
        h(
          'div.page.joincard',
          { style: 'display:flex;flex-direction:column;justify-content:center;text-align:center' },
          h('h1', { style: 'font-size:2.6rem' }, scenario.title),
          h('p', { style: 'font-size:1.4rem' }, 'Join at ', h('span.joinurl', null, joinUrl(this.code).replace(/^https?:\/\//, '').replace(/#\/join\/.*$/, '')), ' with the code'),
          h('div.joincode', { style: 'font-size:clamp(4rem,14vw,10rem)' }, this.code),
        ),
      );
      return;
    }
    if (table.status === 'ended') {
      document.getElementById('app')?.classList.remove('fixed');
      this.game?.destroy();
      this.game = undefined;
      patch(this.body, endView(scenario, parseScores(table.scores), view.history ?? [], '', replayLink(this.code, table.id)));
      return;
    }
    document.getElementById('app')?.classList.add('fixed');
    if (!this.game) {
      this.game = new GameView('spectator');
      replace(this.body, this.game.el);
    }
    this.game.update({ session: s, scenario, table, view, power: '', readOnly: true });
    tickCountdowns(s, table);
  }
}
