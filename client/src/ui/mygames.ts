/**
 * My games (issue 13, part 3), `#/my`: every game this browser is a player in, whose move it is and
 * the time left, each opened in one click (the browser's key gives the seat back); and the switch for
 * browser notifications (a phase opens where it is your move, a deadline is near).
 */
import type { MyGameStatus } from '#shared/protocol.ts';
import { exportCode, importCode } from '../net/transfer.ts';
import { app, explainError, type Screen } from '../app.ts';
import { disableNotifications, enableNotifications, fetchMyGames, notificationsOn, notificationsSupported, unseen } from '../net/mygames.ts';
import { Session, storedName } from '../net/session.ts';
import { brand } from './chrome.ts';
import { h, icon, patch } from './dom.ts';

/** "2 d 3 h", "5 h 10 min", "12 min", or "no timer". */
export function timeLeft(ms: number): string {
  if (ms <= 0) return 'any moment now';
  const min = Math.ceil(ms / 60_000);
  const d = Math.floor(min / 1440);
  const hrs = Math.floor((min % 1440) / 60);
  const m = min % 60;
  if (d > 0) return `${d} d ${hrs} h`;
  if (hrs > 0) return `${hrs} h ${m} min`;
  return `${m} min`;
}

export class MyGamesScreen implements Screen {
  private body = h('main.page#main', { tabindex: '-1', 'data-testid': 'my-games-page' });
  private games: MyGameStatus[] | undefined;
  /** Local clock minus the server's, from the answer. */
  private offset = 0;
  private error = '';
  private timer = 0;

  mount(root: HTMLElement): void {
    root.append(h('header.topbar', null, brand(), h('span.spacer'), h('a.btn.btn-sm.btn-on-dark', { href: '#/' }, 'Home')), this.body);
    this.load();
    this.timer = window.setInterval(() => this.load(), 30_000);
  }

  unmount(): void {
    window.clearInterval(this.timer);
  }

  private load(): void {
    const asked = Date.now();
    fetchMyGames()
      .then((g) => {
        this.games = g;
        if (g[0]) this.offset = asked - g[0].now;
        this.error = '';
        this.update();
      })
      .catch((e) => {
        this.error = explainError(e).title;
        this.update();
      });
  }

  private async open(code: string): Promise<void> {
    const s = new Session(code);
    try {
      await s.join({ role: 'player', name: storedName() || 'Player' });
      app.useSession(s);
      app.go({ name: 'seat', code });
    } catch (e) {
      this.error = explainError(e).title;
      this.update();
    }
  }

  /** Move these games to another device: a transfer code shown once, or one pasted from elsewhere. */
  private shownCode = '';
  private transferNote = '';
  private transferCard(): HTMLElement {
    const paste = h('textarea#transfer-in', { rows: '2', style: 'width:100%;font-family:monospace', placeholder: 'BAMBOO1-…', 'aria-label': 'Transfer code from another device' }) as HTMLTextAreaElement;
    return h(
      'section.card',
      { style: 'margin-top:20px;max-width:640px', 'aria-labelledby': 'h-transfer', 'data-testid': 'transfer' },
      h('h2#h-transfer', null, 'Play on another device'),
      h('p.small.muted', null, 'No account needed: a transfer code carries your games to another browser. Keep it to yourself, like a password: whoever has it can play your countries.'),
      this.shownCode
        ? h(
            'div',
            null,
            h('label.small', { for: 'transfer-out' }, 'Your transfer code (shown once: copy it now)'),
            h('textarea#transfer-out', { rows: '3', readonly: true, style: 'width:100%;font-family:monospace', 'data-testid': 'transfer-code' }, this.shownCode),
            h(
              'div.btn-row',
              null,
              h(
                'button.btn.btn-sm',
                {
                  type: 'button',
                  onclick: async () => {
                    await navigator.clipboard?.writeText(this.shownCode);
                    this.transferNote = 'Copied.';
                    this.update();
                  },
                },
                icon('copy'),
                'Copy',
              ),
              h(
                'button.btn.btn-sm.btn-ghost',
                {
                  type: 'button',
                  onclick: () => {
                    this.shownCode = '';
                    this.update();
                  },
                },
                'Hide it',
              ),
            ),
          )
        : h(
            'button.btn',
            {
              type: 'button',
              'data-testid': 'transfer-show',
              onclick: () => {
                this.shownCode = exportCode();
                this.transferNote = this.shownCode ? '' : 'No game to move yet.';
                this.update();
              },
            },
            'Show a transfer code',
          ),
      h(
        'form',
        {
          style: 'margin-top:12px',
          onsubmit: (e: Event) => {
            e.preventDefault();
            // The page is patched in place: read the field that is on the page, not this render's copy.
            const field = (e.currentTarget as HTMLFormElement).querySelector<HTMLTextAreaElement>('#transfer-in');
            const r = importCode(field?.value ?? '');
            this.transferNote = 'error' in r ? r.error : r.added === 0 ? 'These games were already here.' : `${r.added} game${r.added === 1 ? '' : 's'} added.`;
            if (!('error' in r)) this.load();
            this.update();
          },
        },
        h('label.small', { for: 'transfer-in' }, 'Have a code from another device? Paste it here'),
        paste,
        h('button.btn.btn-sm', { type: 'submit', 'data-testid': 'transfer-import' }, 'Add my games'),
      ),
      this.transferNote ? h('p.small', { role: 'status', 'data-testid': 'transfer-note' }, this.transferNote) : null,
    );
  }

  update(): void {
    const games = this.games;
    const on = notificationsOn();
    patch(
      this.body,
      h('div.page-head', null, h('div', null, h('h1', null, 'My games'), h('p.muted', null, 'Every game you play in this browser: whose move it is, and how long is left.'))),
      this.error ? h('div.chip.chip-bad', { role: 'alert' }, icon('x'), this.error) : null,
      !games
        ? h('p.muted', { role: 'status' }, 'Loading…')
        : games.length === 0
          ? h('p.muted', { 'data-testid': 'no-my-games' }, 'No game yet. ', h('a', { href: '#/' }, 'Play now'), ' or ', h('a', { href: '#/games' }, 'join an open game'), '.')
          : h(
              'ul',
              { style: 'list-style:none;padding:0;display:grid;gap:12px', 'data-testid': 'my-games' },
              games.map((g) => {
                const state =
                  g.status === 'ended'
                    ? 'The game is over'
                    : g.status === 'waiting'
                      ? 'Waiting for the start'
                      : g.status === 'paused'
                        ? 'Paused'
                        : g.yourMove
                          ? 'Your move'
                          : g.waitingFor.length
                            ? `Waiting for ${g.waitingFor.length} other ${g.waitingFor.length === 1 ? 'country' : 'countries'}`
                            : 'Resolving';
                const left = g.status === 'running' && g.deadline ? `${timeLeft(g.deadline - (Date.now() - this.offset))} left` : g.status === 'running' ? 'no timer' : '';
                return h(
                  'li.card',
                  { 'data-code': g.code, 'data-testid': `my-game-${g.code}` },
                  h('h3', { style: 'margin:0 0 4px' }, g.title),
                  h(
                    'p',
                    { style: 'margin:0 0 8px' },
                    h(`span.chip${g.yourMove ? '.chip-warn' : ''}`, { 'data-testid': 'my-game-state' }, state),
                    ' ',
                    g.turn ? `Turn ${g.turn} of ${g.turns}, ${g.phase === 'orders' ? 'orders' : g.phase === 'negotiation' ? 'talks' : g.phase}` : '',
                    left ? ` · ${left}` : '',
                    ` · code ${g.code}`,
                  ),
                  talkLine(g),
                  h('button.btn.btn-sm', { type: 'button', 'data-testid': `open-${g.code}`, onclick: () => void this.open(g.code) }, 'Open', icon('arrow')),
                );
              }),
            ),
      this.transferCard(),
      h(
        'section.card',
        { style: 'margin-top:20px;max-width:640px', 'aria-labelledby': 'h-notify' },
        h('h2#h-notify', null, 'Notifications'),
        h('p.small.muted', null, 'While a Bamboo tab is open, your browser can tell you when it is your move or a deadline is less than an hour away. Nothing is sent anywhere else.'),
        !notificationsSupported()
          ? h('p.small', null, 'This browser does not offer notifications.')
          : on
            ? h('button.btn', { type: 'button', 'data-testid': 'notify-off', onclick: () => (disableNotifications(), this.update()) }, 'Turn notifications off')
            : h(
                'button.btn',
                {
                  type: 'button',
                  'data-testid': 'notify-on',
                  onclick: async () => {
                    if (!(await enableNotifications())) this.error = 'Notifications are blocked in this browser\u2019s settings.';
                    this.update();
                  },
                },
                'Notify me',
              ),
      ),
    );
  }
}

/** "2 new messages · 1 proposal to answer": the talk waiting for the player in one game. */
function talkLine(g: MyGameStatus): HTMLElement | null {
  const fresh = unseen(g.code, g.received ?? 0);
  const parts = [
    fresh ? `${fresh} new message${fresh === 1 ? '' : 's'}` : '',
    g.openProposals ? `${g.openProposals} proposal${g.openProposals === 1 ? '' : 's'} to answer` : '',
  ].filter(Boolean);
  return parts.length ? h('p.small', { style: 'margin:0 0 8px', 'data-testid': 'my-game-talk' }, icon('chat'), ' ', parts.join(' · ')) : null;
}
