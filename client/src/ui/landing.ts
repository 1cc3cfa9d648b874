/** Landing: join with a code and a name, play now alone against bots, or (teacher) create a session. */
import type { CreateGameRequest, CreateGameResponse, CreateSessionRequest, CreateSessionResponse, ScenarioSummary, SessionInfoResponse } from '#shared/protocol.ts';
import { app, explainError, type Screen } from '../app.ts';
import { api, rememberKey, rememberName, rememberSecret, Session, storedName } from '../net/session.ts';
import { isValidCode, JOIN_CODE_LENGTH, LIMITS, normaliseCode } from '../net/limits.ts';
import { nameProblem, normaliseName } from '#shared/names.ts';
import { brand, bambooStalks } from './chrome.ts';
import { h, icon, replace, announce } from './dom.ts';

type Tab = 'join' | 'play' | 'create';
const TABS: Tab[] = ['join', 'play', 'create'];
const TAB_LABELS: Record<Tab, string> = { join: 'Join a game', play: 'Play now', create: 'Start a session (teacher)' };

export class LandingScreen implements Screen {
  private tab: Tab = 'join';
  private code: string;
  private panel!: HTMLElement;
  private scenarios: ScenarioSummary[] | undefined;
  private scenariosError = '';
  private busy = false;
  /** Play now: the scenario and power picked (kept across redraws). */
  private playScenario = '';
  private playPower = '';

  constructor(code?: string) {
    this.code = code ?? '';
  }

  mount(root: HTMLElement): void {
    const top = h('header.topbar', null, brand(), h('span.spacer'), h('a.btn.btn-sm', { href: '#/', style: 'color:#f3efe3;background:transparent;border-color:rgba(255,255,255,.25)', onclick: (e: Event) => { e.preventDefault(); this.switchTab('create'); } }, 'I am a teacher'));
    this.panel = h('div.entry');
    const main = h(
      'main.landing#main',
      { tabindex: '-1' },
      h(
        'section.hero',
        { 'aria-labelledby': 'hero-title' },
        bambooStalks(),
        h('h1#hero-title', null, 'Diplomacy you can play in one lesson.'),
        h(
          'p.lead',
          null,
          'Each team leads a country. Talk, make promises, choose your moves — then watch the region react. Keep your word, or explain why you did not.',
        ),
        h(
          'ul',
          null,
          h('li', null, icon('chat'), h('span', null, 'Negotiate in private or as a group, and put deals in writing.')),
          h('li', null, icon('map'), h('span', null, 'A real map of the region, with every partnership and pressure drawn.')),
          h('li', null, icon('news'), h('span', null, 'After each turn, the news — with the sources it is based on.')),
        ),
      ),
      this.panel,
    );
    root.append(top, main);
    if (this.code) this.tab = 'join';
  }

  private switchTab(t: Tab): void {
    this.tab = t;
    // Scenarios published or added to the server since the page opened appear without a reload.
    if (t !== 'join') this.refreshScenarios();
    this.update();
    document.getElementById(`tab-${t}`)?.focus();
  }

  /** Fetches the list again in the background; redraws only if it changed. */
  private refreshScenarios(): void {
    if (!this.scenarios) return;
    api<ScenarioSummary[]>('/api/scenarios')
      .then((s) => {
        if (JSON.stringify(s) === JSON.stringify(this.scenarios)) return;
        this.scenarios = s;
        this.update();
      })
      .catch(() => {
        // The list shown stays; the next visit to the tab tries again.
      });
  }

  update(): void {
    const tabs = h(
      'div.tabs',
      { role: 'tablist', 'aria-label': 'How do you want to start?' },
      TABS.map((t) =>
        h(
          'button',
          {
            type: 'button',
            role: 'tab',
            id: `tab-${t}`,
            'aria-selected': String(this.tab === t),
            'aria-controls': `panel-${t}`,
            tabindex: this.tab === t ? '0' : '-1',
            onclick: () => this.switchTab(t),
            onkeydown: (e: KeyboardEvent) => {
              const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
              if (step) this.switchTab(TABS[(TABS.indexOf(this.tab) + step + TABS.length) % TABS.length]!);
            },
          },
          TAB_LABELS[t],
        ),
      ),
    );
    replace(this.panel, tabs, this.tab === 'join' ? this.joinForm() : this.tab === 'play' ? this.playForm() : this.createForm());
  }

  unmount(): void {}

  private joinForm(): HTMLElement {
    const err = h('div#join-error', { role: 'alert', class: 'field' });
    const codeIn: HTMLInputElement = h('input', {
      id: 'join-code',
      class: 'code-input',
      name: 'code',
      autocomplete: 'off',
      autocapitalize: 'characters',
      spellcheck: 'false',
      inputmode: 'text',
      maxlength: String(JOIN_CODE_LENGTH + 2),
      value: this.code,
      'aria-describedby': 'join-code-hint',
      required: true,
      oninput: (e: Event) => {
        this.code = normaliseCode((e.target as HTMLInputElement).value);
      },
    });
    const nameIn = h('input#join-name', {
      name: 'name',
      autocomplete: 'nickname',
      maxlength: String(LIMITS.name),
      value: storedName(),
      required: true,
    });
    const submit = h('button.btn-primary.btn-lg.btn-block', { type: 'submit' }, 'Join the game', icon('arrow'));
    const form = h(
      'form.card#panel-join',
      {
        role: 'tabpanel',
        'aria-labelledby': 'tab-join',
        novalidate: true,
        onsubmit: async (e: Event) => {
          e.preventDefault();
          if (this.busy) return;
          const code = normaliseCode(codeIn.value);
          const name = normaliseName(nameIn.value);
          const show = (title: string, detail: string, focus: HTMLElement) => {
            replace(err, h('div.chip.chip-bad', null, icon('x'), title), h('p.small', { style: 'margin:6px 0 0' }, detail));
            focus.focus();
          };
          if (!isValidCode(code)) return show('Check the game code', `It has ${JOIN_CODE_LENGTH} letters and digits, shown on the board.`, codeIn);
          if (!name) return show('Type your name', 'Your team sees it next to your country.', nameIn);
          const problem = nameProblem(name, { reserved: true });
          if (problem) return show('Choose another name', problem, nameIn);
          this.busy = true;
          submit.disabled = true;
          submit.textContent = 'Joining…';
          try {
            await api<SessionInfoResponse>(`/api/sessions/${code}`);
            const s = new Session(code);
            await s.join({ role: 'player', name });
            rememberName(name);
            app.useSession(s);
            app.go({ name: 'seat', code });
          } catch (ex) {
            const f = explainError(ex);
            show(f.title, f.detail, codeIn);
          } finally {
            this.busy = false;
            submit.disabled = false;
            submit.replaceChildren('Join the game', icon('arrow'));
          }
        },
      },
      h('h2', null, 'Join your class'),
      h('p.muted', null, 'Type the code your teacher shows, and your name.'),
      h('div.field', null, h('label', { for: 'join-code' }, 'Game code'), codeIn, h('div#join-code-hint.hint', null, `${JOIN_CODE_LENGTH} characters, for example K7QF2M`)),
      h('div.field', null, h('label', { for: 'join-name' }, 'Your name'), nameIn),
      err,
      submit,
      h('p.small.muted', { style: 'margin:12px 0 0' }, 'Reloading the page keeps your seat. If you get disconnected, just come back with the same code and name.'),
    );
    return form;
  }

  private loadScenarios(): void {
    if (!this.scenarios && !this.scenariosError) {
      api<ScenarioSummary[]>('/api/scenarios')
        .then((s) => {
          this.scenarios = s;
          this.update();
        })
        .catch((e) => {
          this.scenariosError = explainError(e).title;
          this.update();
        });
    }
  }

  /**
   * Play now (issue 13): a scenario, a country, a name and optional timers; one request makes the game
   * (bots in every other seat) and the page goes straight to it. No teacher, no code to type.
   */
  private playForm(): HTMLElement {
    this.loadScenarios();
    const list = this.scenarios ?? [];
    const err = h('div#play-error', { role: 'alert' });
    const chosen = list.find((x) => x.id === this.playScenario) ?? list[0];
    if (chosen && !chosen.powers.some((p) => p.id === this.playPower)) this.playPower = chosen.powers[0]?.id ?? '';
    const scenarioSel = h(
      'select#p-scenario',
      {
        name: 'scenario',
        required: true,
        onchange: (e: Event) => {
          this.playScenario = (e.target as HTMLSelectElement).value;
          this.update();
          document.getElementById('p-scenario')?.focus();
        },
      },
      list.map((s) => h('option', { value: s.id, selected: s.id === chosen?.id }, `${s.title} — ${s.powers.length} countries, ${s.turns} turns`)),
    );
    const powers = h(
      'fieldset',
      null,
      h('legend', null, 'Your country'),
      h(
        'div.radio-row',
        { 'data-testid': 'play-powers' },
        (chosen?.powers ?? []).map((p) =>
          h(
            'label',
            null,
            h('input', { type: 'radio', name: 'power', value: p.id, checked: p.id === this.playPower, onchange: () => (this.playPower = p.id) }),
            h('span.swatch', { style: `background:${p.colour}` }),
            p.name,
          ),
        ),
      ),
    );
    const nameIn = h('input#play-name', { name: 'name', autocomplete: 'nickname', maxlength: String(LIMITS.name), value: storedName(), required: true });
    const minutes = (id: string, label: string) =>
      h('div.field', null, h('label', { for: id }, label), h('input', { id, type: 'number', min: '0', max: '1440', value: '0', inputmode: 'numeric', 'aria-describedby': `${id}-hint` }), h('div.hint', { id: `${id}-hint` }, '0 = no timer'));
    const submit = h('button.btn-primary.btn-lg.btn-block', { type: 'submit', disabled: !chosen, 'data-testid': 'play-now' }, 'Play now', icon('arrow'));
    const form = h(
      'form.card#panel-play',
      {
        role: 'tabpanel',
        'aria-labelledby': 'tab-play',
        novalidate: true,
        onsubmit: async (e: Event) => {
          e.preventDefault();
          if (this.busy || !chosen) return;
          const show = (title: string, detail: string, focus?: HTMLElement) => {
            replace(err, h('div.chip.chip-bad', null, icon('x'), title), h('p.small', { style: 'margin:6px 0 0' }, detail));
            focus?.focus();
          };
          const name = normaliseName(nameIn.value);
          if (!name) return show('Type your name', 'The other countries see it next to yours.', nameIn);
          const problem = nameProblem(name, { reserved: true });
          if (problem) return show('Choose another name', problem, nameIn);
          const secs = (id: string) => Math.round(Math.max(0, Math.min(1440, Number((document.getElementById(id) as HTMLInputElement).value) || 0)) * 60);
          const body: CreateGameRequest = { scenario: chosen.id, power: this.playPower, timers: { negotiationSeconds: secs('p-neg'), ordersSeconds: secs('p-ord') } };
          this.busy = true;
          submit.disabled = true;
          submit.textContent = 'Setting the table…';
          try {
            const res = await api<CreateGameResponse>('/api/games', { method: 'POST', body: JSON.stringify(body) });
            rememberKey(res.code, res.key);
            // The game's own secret: the whole replay and the debrief of a game played alone.
            rememberSecret(res.code, res.secret);
            const s = new Session(res.code);
            await s.join({ role: 'player', name });
            rememberName(name);
            app.useSession(s);
            app.go({ name: 'seat', code: res.code });
            announce('Your game has started');
          } catch (ex) {
            const f = explainError(ex);
            show(f.title, f.detail);
          } finally {
            this.busy = false;
            submit.disabled = false;
            submit.replaceChildren('Play now', icon('arrow'));
          }
        },
      },
      h('h2', null, 'Play now, against the computer'),
      h('p.muted', null, 'Pick a scenario and a country: computer players lead the others, and answer your proposals. Good practice before a class.'),
      h('div.field', null, h('label', { for: 'p-scenario' }, 'Scenario'), this.scenarios ? scenarioSel : h('p.muted', null, this.scenariosError || 'Loading scenarios…')),
      chosen ? powers : null,
      h('div.field', null, h('label', { for: 'play-name' }, 'Your name'), nameIn),
      h('div.field-row', null, minutes('p-neg', 'Talks (minutes)'), minutes('p-ord', 'Orders (minutes)')),
      err,
      submit,
      h('p.small.muted', { style: 'margin:12px 0 0' }, 'Without timers, each phase ends when you press ready. You can reload the page: your game is kept.'),
      h('p.small', { style: 'margin:8px 0 0;text-align:center' }, 'Rather play with other people? ', h('a', { href: '#/games', 'data-testid': 'games-link' }, 'See the open games'), ' · ', h('a', { href: '#/my', 'data-testid': 'my-games-link' }, 'My games')),
    );
    return form;
  }

  private createForm(): HTMLElement {
    this.loadScenarios();
    const err = h('div#create-error', { role: 'alert' });
    const list = this.scenarios ?? [];
    const scenarioSel = h(
      'select#c-scenario',
      { name: 'scenario', required: true },
      list.map((s) => h('option', { value: s.id }, `${s.title} — ${s.powers.length} countries, ${s.turns} turns`)),
    );
    const summary = h('div#c-summary.small.muted', { style: 'margin-top:6px' });
    const showSummary = () => {
      const s = list.find((x) => x.id === scenarioSel.value);
      if (!s) return replace(summary, this.scenariosError || 'Loading scenarios…');
      replace(
        summary,
        h('p', { style: 'margin:0 0 6px' }, s.summary.length > 260 ? `${s.summary.slice(0, 257)}…` : s.summary),
        h('div.btn-row', null, s.powers.map((p) => h('span.chip', null, h('span.swatch', { style: `background:${p.colour}` }), p.name))),
      );
    };
    scenarioSel.addEventListener('change', showSummary);
    showSummary();
    const num = (id: string, label: string, value: number, min: number, max: number, hint: string) =>
      h('div.field', null, h('label', { for: id }, label), h('input', { id, type: 'number', min: String(min), max: String(max), value: String(value), inputmode: 'numeric', 'aria-describedby': `${id}-hint` }), h('div.hint', { id: `${id}-hint` }, hint));
    const seating = h(
      'fieldset',
      null,
      h('legend', null, 'How are seats given?'),
      h(
        'div.radio-row',
        null,
        ([
          ['auto', 'Automatically, as students join'],
          ['teacher', 'I seat them in the console'],
          ['choice', 'Students pick a free country'],
        ] as const).map(([v, l]) => h('label', null, h('input', { type: 'radio', name: 'seating', value: v, checked: v === 'auto' }), l)),
      ),
    );
    const submit = h('button.btn-primary.btn-lg.btn-block', { type: 'submit', disabled: !this.scenarios?.length }, 'Create the session', icon('arrow'));
    const form = h(
      'form.card#panel-create',
      {
        role: 'tabpanel',
        'aria-labelledby': 'tab-create',
        novalidate: true,
        onsubmit: async (e: Event) => {
          e.preventDefault();
          if (this.busy) return;
          const val = (id: string) => Number((document.getElementById(id) as HTMLInputElement).value);
          const seatingVal = (form.querySelector('input[name="seating"]:checked') as HTMLInputElement | null)?.value as 'auto' | 'teacher' | 'choice';
          const sandbox = (document.getElementById('c-sandbox') as HTMLInputElement).checked;
          const bots = (document.getElementById('c-bots') as HTMLInputElement).checked;
          const body: CreateSessionRequest = {
            scenario: scenarioSel.value,
            tables: sandbox ? 1 : Math.max(1, Math.min(LIMITS.tables, val('c-tables') || 1)),
            sandbox,
            settings: {
              seating: seatingVal ?? 'auto',
              negotiationSeconds: Math.round(Math.max(0, val('c-neg')) * 60),
              ordersSeconds: Math.round(Math.max(0, val('c-ord')) * 60),
              defaultOrders: bots ? 'bot' : 'none',
            },
          };
          this.busy = true;
          submit.disabled = true;
          try {
            const res = await api<CreateSessionResponse>('/api/sessions', { method: 'POST', body: JSON.stringify(body) });
            rememberSecret(res.code, res.secret);
            const s = new Session(res.code);
            await s.join({ role: 'facilitator', secret: res.secret, name: 'Teacher' });
            app.useSession(s);
            app.go({ name: 'console', code: res.code });
            announce(`Session ${res.code} created`);
          } catch (ex) {
            const f = explainError(ex);
            replace(err, h('div.chip.chip-bad', null, icon('x'), f.title), h('p.small', null, f.detail));
          } finally {
            this.busy = false;
            submit.disabled = false;
          }
        },
      },
      h('h2', null, 'Start a class session'),
      h('p.muted', null, 'You get a code for the board and a console to run every table.'),
      h('div.field', null, h('label', { for: 'c-scenario' }, 'Scenario'), this.scenarios ? scenarioSel : h('p.muted', null, this.scenariosError || 'Loading scenarios…'), summary),
      h(
        'div.field-row',
        null,
        num('c-tables', 'Tables', 1, 1, LIMITS.tables, 'One game per table'),
        num('c-neg', 'Talks (minutes)', 5, 0, 120, '0 = no timer'),
        num('c-ord', 'Orders (minutes)', 3, 0, 120, '0 = no timer'),
      ),
      seating,
      h(
        'div.field',
        null,
        h('label', { style: 'font-weight:500;display:flex;gap:8px;align-items:center' }, h('input#c-bots', { type: 'checkbox' }), 'A team that forgets its orders plays what a computer player would'),
        h('label', { style: 'font-weight:500;display:flex;gap:8px;align-items:center' }, h('input#c-sandbox', { type: 'checkbox' }), 'Sandbox: try the scenario alone, playing every country (with undo)'),
      ),
      err,
      submit,
      h('p.small.muted', { style: 'margin:12px 0 0;text-align:center' }, 'Writing your own scenario? ', h('a', { href: '#/workshop', 'data-testid': 'workshop-link' }, 'Open the designer\u2019s workshop')),
    );
    return form;
  }
}
