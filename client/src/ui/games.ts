/**
 * Open games (issue 13, part 2), `#/games`: the public list of games waiting for players, each free
 * power a one-click join; a form to open a game (listed or private with its code, start when full or
 * at a time, bots in the empty seats or not, timers); the games this browser opened, with "Close the
 * list". The creator's secret of each game opened here is kept in this browser (localStorage
 * `bamboo:created`) so that they can close its list later.
 */
import { type CreateGameRequest, type CreateGameResponse, LONG_PHASE_SECONDS, type OpenGameSummary, type ScenarioSummary } from '#shared/protocol.ts';
import { nameProblem, normaliseName } from '#shared/names.ts';
import { app, explainError, toast, type Screen } from '../app.ts';
import { LIMITS } from '../net/limits.ts';
import { api, rememberName, rememberSecret, Session, storedName } from '../net/session.ts';
import { brand } from './chrome.ts';
import { announce, h, icon, patch, replace } from './dom.ts';

interface Created {
  code: string;
  secret: string;
  title: string;
  listed: boolean;
}

const CREATED = 'bamboo:created';

function createdGames(): Created[] {
  try {
    return (JSON.parse(localStorage.getItem(CREATED) ?? '[]') as Created[]).filter((c) => c && typeof c.code === 'string');
  } catch {
    return [];
  }
}

function saveCreated(list: Created[]): void {
  try {
    localStorage.setItem(CREATED, JSON.stringify(list.slice(-50)));
  } catch {
    /* storage disabled: the list cannot be closed later from this browser */
  }
}

export function startLabel(start: 'full' | number): string {
  return start === 'full' ? 'Starts when every country is taken' : `Starts ${new Date(start).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' })}`;
}

export function deadlineLabel(seconds: number): string {
  if (!seconds) return 'no timer';
  if (seconds % 86_400 === 0) return `${seconds / 86_400} day${seconds === 86_400 ? '' : 's'}`;
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  return `${Math.round(seconds / 60)} min`;
}

type Roster = { started: boolean; players: { participant: string; name: string; power: string; connected: boolean }[] };

export class GamesScreen implements Screen {
  /** Who holds which country in the games opened here, when their creator asked (by code). */
  private rosters = new Map<string, Roster>();
  private body = h('main.page#main', { tabindex: '-1', 'data-testid': 'games-page' });
  private games: OpenGameSummary[] | undefined;
  private scenarios: ScenarioSummary[] | undefined;
  private error = '';
  private busy = false;
  private name = storedName();
  private timer = 0;
  private listHost = h('div');
  private createdHost = h('div');
  private formHost = h('div');

  mount(root: HTMLElement): void {
    root.append(h('header.topbar', null, brand(), h('span.spacer'), h('a.btn.btn-sm.btn-on-dark', { href: '#/my' }, 'My games'), h('a.btn.btn-sm.btn-on-dark', { href: '#/' }, 'Home')), this.body);
    // The list refreshes on its own; the name and the form are built once (what is typed stays).
    this.body.append(
      h('div.page-head', null, h('div', null, h('h1', null, 'Open games'), h('p.muted', null, 'Play with people you do not know yet: take a free country in a game, or open one.'))),
      h(
        'div.field',
        { style: 'max-width:360px' },
        h('label', { for: 'games-name' }, 'Your name'),
        h('input#games-name', { maxlength: String(LIMITS.name), autocomplete: 'nickname', value: this.name, oninput: (e: Event) => (this.name = (e.target as HTMLInputElement).value) }),
      ),
      h('div#games-error', { role: 'alert' }),
      this.listHost,
      this.createdHost,
      this.formHost,
    );
    replace(this.formHost, this.openForm());
    this.load();
    this.timer = window.setInterval(() => this.load(), 15_000);
    api<ScenarioSummary[]>('/api/scenarios')
      .then((s) => {
        this.scenarios = s;
        replace(this.formHost, this.openForm());
      })
      .catch(() => {});
  }

  unmount(): void {
    window.clearInterval(this.timer);
  }

  private load(): void {
    api<OpenGameSummary[]>('/api/games')
      .then((g) => {
        this.games = g;
        this.error = '';
        this.update();
      })
      .catch((e) => {
        this.error = explainError(e).title;
        this.update();
      });
  }

  update(): void {
    patch(this.listHost, this.listSection());
    patch(this.createdHost, this.createdSection());
  }

  private problem(message: string): void {
    const err = document.getElementById('games-error');
    if (err) replace(err, h('div.chip.chip-bad', null, icon('x'), message));
  }

  private validName(): string | undefined {
    const name = normaliseName(this.name);
    const problem = name ? nameProblem(name, { reserved: true }) : 'Type your name first: the other players see it next to your country.';
    if (problem) {
      this.problem(problem);
      document.getElementById('games-name')?.focus();
      return undefined;
    }
    return name;
  }

  /** One click: join the game and take the power. */
  private async take(code: string, power: string): Promise<void> {
    const name = this.validName();
    if (!name || this.busy) return;
    this.busy = true;
    const s = new Session(code);
    try {
      await s.join({ role: 'player', name });
      await s.request('choose_seat', { table: 't1', power });
      rememberName(name);
      app.useSession(s);
      app.go({ name: 'seat', code });
    } catch (e) {
      void s.leave();
      const f = explainError(e);
      this.problem(`${f.title}: ${f.detail}`);
      this.load();
    } finally {
      this.busy = false;
    }
  }

  private listSection(): HTMLElement {
    const games = this.games;
    return h(
      'section',
      { 'aria-labelledby': 'h-open-games' },
      h('h2#h-open-games', null, 'Games looking for players'),
      !games
        ? h('p.muted', { role: 'status' }, this.error || 'Loading…')
        : games.length === 0
          ? h('p.muted', { 'data-testid': 'no-open-games' }, 'No open game right now: open one below.')
          : h(
              'ul',
              { style: 'list-style:none;padding:0;display:grid;gap:12px', 'data-testid': 'open-games' },
              games.map((g) =>
                h(
                  'li.card',
                  { 'data-code': g.code },
                  h('h3', { style: 'margin:0 0 4px' }, g.title),
                  h(
                    'p.small.muted',
                    { style: 'margin:0 0 8px' },
                    `${startLabel(g.start)}${g.bots && g.start !== 'full' ? ' (computer players take the seats still empty)' : ''} · talks ${deadlineLabel(g.negotiationSeconds)}, orders ${deadlineLabel(g.ordersSeconds)}`,
                  ),
                  h(
                    'div.btn-row',
                    null,
                    g.powers
                      .filter((p) => g.free.includes(p.id))
                      .map((p) =>
                        h(
                          'button.btn.btn-sm',
                          { type: 'button', 'data-testid': `take-${g.code}-${p.id}`, onclick: () => void this.take(g.code, p.id) },
                          h('span.swatch', { style: `background:${p.colour}` }),
                          `Play ${p.name}`,
                        ),
                      ),
                  ),
                ),
              ),
            ),
    );
  }

  private createdSection(): HTMLElement | null {
    const mine = createdGames();
    if (mine.length === 0) return null;
    return h(
      'section',
      { 'aria-labelledby': 'h-created' },
      h('h2#h-created', null, 'Games you opened'),
      h(
        'ul',
        { style: 'list-style:none;padding:0;display:grid;gap:8px' },
        mine.map((c) =>
          h(
            'li',
            { 'data-testid': `created-${c.code}` },
            h('strong', null, c.title),
            ' · code ',
            h('code', null, c.code),
            ' · ',
            h('a', { href: `#/join/${c.code}` }, 'join link'),
            ' ',
            c.listed
              ? h(
                  'button.btn.btn-sm',
                  {
                    type: 'button',
                    'data-testid': `close-list-${c.code}`,
                    onclick: async () => {
                      try {
                        await api(`/api/games/${c.code}/close`, { method: 'POST', headers: { authorization: `Bearer ${c.secret}` } });
                        saveCreated(createdGames().map((x) => (x.code === c.code ? { ...x, listed: false } : x)));
                        toast('ok', 'Closed', 'The game is no longer on the public list; its code still works.');
                        this.load();
                      } catch (e) {
                        this.problem(explainError(e).title);
                      }
                    },
                  },
                  'Close the list',
                )
              : h('span.chip', null, 'Not listed'),
            ' ',
            h('button.btn.btn-sm.btn-ghost', { type: 'button', 'data-testid': `players-${c.code}`, onclick: () => void this.loadRoster(c.code, c.secret) }, 'Players'),
            this.rosterView(c.code, c.secret),
          ),
        ),
      ),
    );
  }

  private async loadRoster(code: string, secret: string): Promise<void> {
    try {
      this.rosters.set(code, await api<Roster>(`/api/games/${code}/players`, { method: 'POST', headers: { authorization: `Bearer ${secret}` } }));
      this.update();
    } catch (e) {
      this.problem(explainError(e).title);
    }
  }

  /** Before the start, the creator may free the country of someone who never showed up. */
  private rosterView(code: string, secret: string): HTMLElement | null {
    const roster = this.rosters.get(code);
    if (!roster) return null;
    if (roster.players.length === 0) return h('p.small.muted', null, 'Nobody has taken a country yet.');
    return h(
      'ul.small',
      { style: 'margin:6px 0 0;padding-left:18px', 'data-testid': `roster-${code}` },
      roster.players.map((p) =>
        h(
          'li',
          null,
          `${p.name} · ${p.power}${p.connected ? '' : ' · away'} `,
          roster.started
            ? null
            : h(
                'button.btn.btn-sm.btn-ghost',
                {
                  type: 'button',
                  'aria-label': `Remove ${p.name} and free their country`,
                  onclick: async () => {
                    try {
                      await api(`/api/games/${code}/remove`, { method: 'POST', headers: { authorization: `Bearer ${secret}` }, body: JSON.stringify({ participant: p.participant }) });
                      toast('ok', 'Removed', `${p.name}'s country is free again.`);
                      await this.loadRoster(code, secret);
                      this.load();
                    } catch (e) {
                      this.problem(explainError(e).title);
                    }
                  },
                },
                icon('x'),
                'Remove',
              ),
        ),
      ),
    );
  }

  private openForm(): HTMLElement {
    const list = this.scenarios ?? [];
    const err = h('div#open-error', { role: 'alert' });
    const form = h(
      'form.card#open-game',
      {
        novalidate: true,
        style: 'max-width:640px;margin-top:20px',
        onsubmit: async (e: Event) => {
          e.preventDefault();
          const name = this.validName();
          if (!name || this.busy) return;
          const val = (id: string) => (document.getElementById(id) as HTMLInputElement).value;
          const checked = (id: string) => (document.getElementById(id) as HTMLInputElement).checked;
          const scenario = list.find((s) => s.id === val('o-scenario'));
          if (!scenario) return;
          let start: 'full' | number = 'full';
          if (checked('o-start-time')) {
            const at = new Date(val('o-at')).getTime();
            if (!(at > Date.now())) {
              replace(err, h('div.chip.chip-bad', null, icon('x'), 'Choose a start time in the future.'));
              return;
            }
            start = at;
          }
          // Minutes, hours or days (games may last days: each phase up to a week).
          const unit = Number(val('o-unit')) || 60;
          const minutes = (id: string) => Math.min(LONG_PHASE_SECONDS, Math.round(Math.max(0, Number(val(id)) || 0) * unit));
          const body: CreateGameRequest = {
            scenario: scenario.id,
            open: { listed: checked('o-listed'), start, bots: checked('o-bots') },
            timers: { negotiationSeconds: minutes('o-neg'), ordersSeconds: minutes('o-ord') },
          };
          this.busy = true;
          try {
            const res = await api<CreateGameResponse>('/api/games', { method: 'POST', body: JSON.stringify(body) });
            rememberSecret(res.code, res.secret);
            saveCreated([...createdGames(), { code: res.code, secret: res.secret, title: scenario.title, listed: body.open!.listed }]);
            announce(`Game ${res.code} opened`);
            this.busy = false;
            await this.take(res.code, val('o-power'));
          } catch (ex) {
            const f = explainError(ex);
            replace(err, h('div.chip.chip-bad', null, icon('x'), f.title), h('p.small', null, f.detail));
          } finally {
            this.busy = false;
          }
        },
      },
      h('h2', null, 'Open a game'),
      !this.scenarios
        ? h('p.muted', null, 'Loading scenarios…')
        : [
            h(
              'div.field',
              null,
              h('label', { for: 'o-scenario' }, 'Scenario'),
              h(
                'select#o-scenario',
                {
                  onchange: () => {
                    const s = list.find((x) => x.id === (document.getElementById('o-scenario') as HTMLSelectElement).value);
                    const sel = document.getElementById('o-power');
                    if (s && sel) replace(sel, s.powers.map((p) => h('option', { value: p.id }, p.name)));
                  },
                },
                list.map((s) => h('option', { value: s.id }, s.title)),
              ),
            ),
            h('div.field', null, h('label', { for: 'o-power' }, 'Your country'), h('select#o-power', null, (list[0]?.powers ?? []).map((p) => h('option', { value: p.id }, p.name)))),
            h('label', { style: 'font-weight:500;display:flex;gap:8px;align-items:center' }, h('input#o-listed', { type: 'checkbox', checked: true }), 'Show it on the public list (else only people with the code can join)'),
            h(
              'fieldset',
              null,
              h('legend', null, 'When does it start?'),
              h('label', null, h('input#o-start-full', { type: 'radio', name: 'o-start', value: 'full', checked: true }), ' When every country is taken'),
              h('label', null, h('input#o-start-time', { type: 'radio', name: 'o-start', value: 'time' }), ' At a time: '),
              h('input#o-at', { type: 'datetime-local', 'aria-label': 'Start time' }),
            ),
            h('label', { style: 'font-weight:500;display:flex;gap:8px;align-items:center' }, h('input#o-bots', { type: 'checkbox', checked: true }), 'At the start, computer players take the countries still free'),
            h(
              'div.field-row',
              null,
              h('div.field', null, h('label', { for: 'o-neg' }, 'Talks'), h('input#o-neg', { type: 'number', min: '0', value: '0', inputmode: 'numeric', 'aria-describedby': 'o-timer-hint' })),
              h('div.field', null, h('label', { for: 'o-ord' }, 'Orders'), h('input#o-ord', { type: 'number', min: '0', value: '0', inputmode: 'numeric', 'aria-describedby': 'o-timer-hint' })),
              h(
                'div.field',
                null,
                h('label', { for: 'o-unit' }, 'In'),
                h('select#o-unit', null, h('option', { value: '60' }, 'minutes'), h('option', { value: '3600' }, 'hours'), h('option', { value: '86400' }, 'days')),
              ),
            ),
            h('p#o-timer-hint.small.muted', null, '0 = no timer. Each phase may last up to a week; a turn ends early once every country is ready.'),
            err,
            h('button.btn-primary.btn-lg', { type: 'submit', 'data-testid': 'open-game-submit' }, 'Open the game and take my country', icon('arrow')),
          ],
    );
    return form;
  }
}
