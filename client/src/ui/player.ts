/** A player's seat: joining/reconnecting, then the lobby, the game and the end. */
import { app, toastError, type Screen } from '../app.ts';
import { markSeen } from '../net/mygames.ts';
import { Session, forgetConnection, hasStoredConnection } from '../net/session.ts';
import { parseScores } from '../model/view.ts';
import { initials, powerColour, powerName, readableOnLight } from '../model/format.ts';
import { connBanner, endActions } from './chrome.ts';
import { GameView } from './gameview.ts';
import { endView } from './end.ts';
import { objectivesList } from './brief.ts';
import { gameTopbar, tickCountdowns } from './topbar.ts';
import { h, icon, patch, replace } from './dom.ts';

export class PlayerScreen implements Screen {
  private top = h('header.topbar');
  private banner = h('div');
  private body = h('main#main', { tabindex: '-1', style: 'flex:1;display:flex;flex-direction:column;min-height:0' });
  private game: GameView | undefined;
  private mode: 'loading' | 'lobby' | 'game' | 'end' | '' = '';
  private timer = 0;
  private resuming = false;

  private readonly code: string;
  constructor(code: string) {
    this.code = code;
  }

  mount(root: HTMLElement): void {
    root.append(this.top, this.banner, this.body);
    this.timer = window.setInterval(() => {
      const s = app.session;
      const me = s?.me;
      tickCountdowns(s, me?.table ? s?.snap?.tables[me.table] : undefined);
    }, 500);
    if (!app.session || app.session.code !== this.code) {
      if (!hasStoredConnection(this.code)) {
        app.go({ name: 'landing', code: this.code }, true);
        return;
      }
      this.resuming = true;
      const s = new Session(this.code);
      app.useSession(s);
      s.resume()
        .then((ok) => {
          this.resuming = false;
          if (!ok) app.go({ name: 'landing', code: this.code }, true);
          app.render();
        })
        .catch((e) => {
          this.resuming = false;
          forgetConnection(this.code);
          toastError({ code: 'RECONNECT_FAILED', message: String(e) });
          app.go({ name: 'landing', code: this.code }, true);
        });
    }
  }

  wantsAnnouncement(a: { table: string }): boolean {
    return announcementFor(a, app.session?.me?.table ?? '');
  }

  unmount(): void {
    document.getElementById('app')?.classList.remove('fixed');
    window.clearInterval(this.timer);
    this.game?.destroy();
  }

  update(): void {
    const s = app.session;
    if (!s) return;
    const snap = s.snap;
    const me = s.me;
    const table = me?.table ? snap?.tables[me.table] : undefined;
    const scenario = app.scenario(snap?.scenario, snap?.scenarioVersion);
    const power = me?.power ?? '';
    gameTopbar(this.top, s, scenario, table, power, h('button.btn-sm', { type: 'button', onclick: () => this.leave(), 'aria-label': 'Leave the game' }, 'Leave'));
    patch(this.banner, connBanner(s.conn), announcementBanner(snap?.announcements ?? [], me?.table ?? '', phaseKey(table)));
    if (!snap || !scenario || !me) {
      this.setMode('loading');
      patch(this.body, h('div.page', null, h('p.empty', { role: 'status' }, this.resuming ? 'Getting your seat back…' : 'Joining…')));
      return;
    }
    if (!table || table.status === 'waiting' || !power) {
      this.setMode('lobby');
      patch(this.body, lobbyView(s, scenario, power));
      return;
    }
    const view = table.views[power] ?? table.public;
    // What this player has seen of the talk, for "new messages" on My games.
    if (view) markSeen(s.code, view.messages.filter((m) => m.from !== power && m.to.includes(power)).length);
    if (table.status === 'ended') {
      this.setMode('end');
      patch(this.body, endView(scenario, parseScores(table.scores), view?.history ?? [], power, endActions(s.code, table.id)));
      return;
    }
    if (!view) {
      this.setMode('loading');
      patch(this.body, h('div.page', null, h('p.empty', { role: 'status' }, 'Setting the table…')));
      return;
    }
    if (this.mode !== 'game' || !this.game) {
      this.setMode('game');
      this.game = new GameView('player');
      replace(this.body, this.game.el);
    }
    this.game.update({ session: s, scenario, table, view, power, readOnly: false });
    tickCountdowns(s, table);
  }

  private setMode(m: typeof this.mode): void {
    document.getElementById('app')?.classList.toggle('fixed', m === 'game');
    if (m === this.mode) return;
    if (this.mode === 'game') {
      this.game?.destroy();
      this.game = undefined;
    }
    this.mode = m;
    // A new screen (lobby, game, end) starts at its top.
    window.scrollTo(0, 0);
  }

  private async leave(): Promise<void> {
    if (!confirm('Leave this game? Your country will be played by the computer until you join again.')) return;
    await app.session?.leave();
    app.go({ name: 'landing' });
  }
}

/** An announcement to the whole session ('' table) is for everyone; one to a table only for that table. */
export function announcementFor(a: { table: string }, table: string): boolean {
  return !a.table || a.table === table;
}

/** The phase an announcement was first seen in, by id: it is shown until that phase ends (issue 11, defect 6). */
const seenIn = new Map<number, string>();

/** What identifies "this phase" of a table for announcements: its status, turn and phase. */
export function phaseKey(t: { status: string; turn: number; phase: string } | undefined): string {
  if (!t || t.status === 'waiting') return 'lobby';
  if (t.status === 'ended') return 'ended';
  return `${t.turn}:${t.phase}`;
}

export function announcementBanner(list: { id: number; text: string; table: string; at: number }[], table: string, phase: string): HTMLElement | null {
  const mine = list.filter((a) => announcementFor(a, table));
  const last = mine[mine.length - 1];
  if (!last) return null;
  // First seen now: it belongs to this phase (after a reload, only if it is recent).
  if (!seenIn.has(last.id)) seenIn.set(last.id, Date.now() - last.at < 5 * 60_000 ? phase : '');
  if (seenIn.get(last.id) !== phase) return null;
  return h('div.banner.banner-info', { role: 'status', 'data-testid': 'announcement' }, icon('sparkle'), h('span', null, 'Teacher: ', last.text));
}

function lobbyView(s: Session, scenario: NonNullable<ReturnType<typeof app.scenario>>, power: string): HTMLElement {
  const snap = s.snap!;
  const me = s.me!;
  const table = me.table ? snap.tables[me.table] : undefined;
  const players = Object.values(snap.participants).filter((p) => p.role === 'player');
  const myPower = scenario.powers.find((p) => p.id === power);
  const choice = snap.settings.seating === 'choice';
  const seatsCard = (tid: string) => {
    const t = snap.tables[tid]!;
    return h(
      'section.card',
      { 'aria-labelledby': `h-seats-${tid}` },
      h('h2', { id: `h-seats-${tid}` }, Object.keys(snap.tables).length > 1 ? t.name : 'Countries'),
      scenario.powers.map((p) => {
        const seat = t.seats[p.id];
        const holder = seat?.participant ? snap.participants[seat.participant] : undefined;
        const mine = holder?.id === me.id;
        return h(
          'div',
          { class: `seat${mine ? ' me' : ''}`, style: `--seat-colour:${p.colour}`, 'data-testid': `seat-${tid}-${p.id}` },
          h('span.avatar', { style: `background:${readableOnLight(p.colour)};color:#ffffff`, 'aria-hidden': 'true' }, holder ? initials(holder.name) : '—'),
          h('div.who', null, h('strong', null, p.name), h('span', null, holder ? `${holder.name}${mine ? ' (you)' : ''}` : 'Free seat')),
          holder ? h(holder.connected ? 'span.chip.chip-ok' : 'span.chip', null, holder.connected ? [icon('check'), 'Here'] : 'Away') : null,
          !holder && choice && !power
            ? h('button.btn-sm.btn-primary', { type: 'button', onclick: () => s.request('choose_seat', { table: tid, power: p.id }).catch(toastError) }, 'Take this seat')
            : null,
        );
      }),
    );
  };
  return h(
    'div.page',
    { 'data-testid': 'lobby' },
    h(
      'div.page-head',
      null,
      h(
        'div',
        null,
        h('h4', null, `Game code ${snap.code}`),
        h('h1', null, scenario.title),
        h('p.muted', { style: 'max-width:70ch' }, scenario.summary),
      ),
    ),
    h(
      'div.grid-2',
      null,
      h(
        'div',
        null,
        myPower
          ? h(
              'section.card',
              { style: `border-top:6px solid ${myPower.colour}`, 'aria-labelledby': 'h-role' },
              h('h4', null, 'Your role'),
              h('h2#h-role', { 'data-testid': 'lobby-role' }, `You lead ${myPower.name}`),
              delegationLine(snap, table?.seats[myPower.id]?.members ?? [], me.id),
              h('p', null, myPower.brief),
              h('h3', null, 'Objectives'),
              objectivesList(myPower.objectives.map((o) => ({ id: o.id, text: o.text, secret: o.secret, weight: o.weight, scoring: o.scoring }))),
              h('p.small.muted', null, 'Secret objectives appear when the game starts.'),
            )
          : h(
              'section.card',
              { 'aria-labelledby': 'h-wait' },
              h('h2#h-wait', null, `Welcome, ${me.name}`),
              h(
                'p',
                null,
                choice ? 'Pick a free country below.' : snap.settings.seating === 'teacher' ? 'Your teacher will give you a country.' : 'You will get a country in a moment.',
              ),
            ),
        h(
          'p.chip.chip-warn',
          { role: 'status', style: 'margin-top:14px;padding:6px 14px', 'data-testid': 'lobby-status' },
          icon('clock'),
          table?.status === 'waiting' || !table ? lobbyWait(snap) : 'Starting…',
        ),
      ),
      h(
        'div',
        null,
        table ? seatsCard(table.id) : choice ? Object.keys(snap.tables).map(seatsCard) : null,
        h(
          'section.card',
          { 'aria-labelledby': 'h-roll' },
          h('h2#h-roll', null, `Roll call (${players.length})`),
          players.length === 0
            ? h('p.empty', null, 'Nobody yet.')
            : h(
                'ul',
                { style: 'list-style:none;padding:0;margin:0;display:grid;gap:6px', 'data-testid': 'roll-call' },
                players.map((p) =>
                  h(
                    'li.seat-mini',
                    null,
                    h('span.dot', { style: `background:${p.connected ? '#1f7a4d' : '#b9b2a1'}`, 'aria-hidden': 'true' }),
                    h('span.name', null, p.name, p.id === me.id ? ' (you)' : ''),
                    h('span.small.muted', null, p.power ? `${powerName(scenario, p.power)}${Object.keys(snap.tables).length > 1 ? ` · ${snap.tables[p.table]?.name ?? p.table}` : ''}` : 'no seat yet'),
                    h('span.sr-only', null, p.connected ? 'connected' : 'away'),
                  ),
                ),
              ),
        ),
      ),
    ),
  );
}

export { powerColour };

/** "With Binh and Chen": the rest of the delegation that holds the country with you. */
function delegationLine(snap: { participants: Record<string, { name: string }> }, members: string[], me: string): HTMLElement | null {
  const others = members.filter((id) => id !== me).map((id) => snap.participants[id]?.name ?? 'a student');
  if (others.length === 0) return null;
  const list = others.length === 1 ? others[0] : `${others.slice(0, -1).join(', ')} and ${others.at(-1)}`;
  return h('p', { 'data-testid': 'lobby-delegation' }, h('strong', null, 'Your delegation: '), `you, with ${list}. You share the orders and the talks; the delegation has its own channel in Talks.`);
}

/** What the lobby waits for: the teacher, the other players of an open game, or its start time. */
function lobbyWait(snap: { kind: string; startsAt: number }): string {
  if (snap.kind === 'solo') return 'Starting your game…';
  if (snap.kind !== 'open') return 'Waiting for your teacher to start the game';
  if (!snap.startsAt) return 'Waiting for the other players: the game starts when every country is taken';
  const at = new Date(snap.startsAt);
  const today = at.toDateString() === new Date().toDateString();
  const when = at.toLocaleString(undefined, today ? { hour: '2-digit', minute: '2-digit' } : { weekday: 'short', hour: '2-digit', minute: '2-digit' });
  return `The game starts once every country is taken, or ${today ? 'at' : 'on'} ${when} with the computer in the empty seats`;
}
