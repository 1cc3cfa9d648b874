/**
 * The facilitator console: the join code for the projector, every table at once with every control
 * the server offers (start, pause, resume, extend, end phase, events, bots, seats, end game,
 * announcements, settings), the sandbox (play any seat, resolve now, undo), and links to the
 * projector view.
 */
import type { Scenario } from '#shared/scenario/schema.ts';
import type { Settings } from '#shared/protocol.ts';
import { app, toast, toastError, type Screen } from '../app.ts';
import { Session, forgetConnection, storedRole, storedSecret, type TableSnap } from '../net/session.ts';
import { LIMITS } from '../net/limits.ts';
import { debriefUrl, forkTable, openDebrief, type DebriefPart } from '../net/records.ts';
import { powerName, turnLabel } from '../model/format.ts';
import { brand, connBanner, connPill, joinUrl, storageBanner } from './chrome.ts';
import { bulkButtons, dashboardCard } from './dashboard.ts';
import { projectorSessions } from './watch.ts';
import { GameView } from './gameview.ts';
import { tickCountdowns } from './topbar.ts';
import { h, icon, patch, replace, announce } from './dom.ts';

export { joinUrl };

export class ConsoleScreen implements Screen {
  private top = h('header.topbar');
  private banner = h('div');
  private body = h('main#main.page', { tabindex: '-1', style: 'width:min(1400px,100%)' });
  private timer = 0;
  private projector = false;
  private sandboxSeat = '';
  private sandboxView: GameView | undefined;
  private sandboxHost = h('div', { 'data-keep': '', style: 'height:720px;display:flex;border:1px solid var(--line);border-radius:12px;overflow:hidden;margin-top:12px' });
  private announceText = '';
  /** Where the announcement goes: '' = every table. */
  private announceTable = '';
  private seatChoice: Record<string, string> = {};
  private eventChoice: Record<string, string> = {};
  /**
   * What the teacher has typed in the settings form and not saved yet, by field id. The console
   * redraws on every change of the session; these drafts survive the redraws (and are dropped once
   * saved, or when the teacher discards them).
   */
  private settingsDraft: Record<string, string> = {};
  /** While a save is on its way: the settings as they were when it was sent (the drafts stay until they change). */
  private settingsAtSave: string | undefined;
  private settingsTimer = 0;
  private secretOpen = false;
  /** Per table: the turn and phase chosen to fork from. */
  private forkChoice: Record<string, { turn: number; phase: 'negotiation' | 'orders' }> = {};
  private forking = '';
  private debriefMessages = false;
  /** The table whose details are open (the server sends those of one table at a time). */
  private openTable = '';
  /** What the last redraw was made of: an identical state is not redrawn (no lost clicks, no flicker). */
  private drawn = '';

  private readonly code: string;
  constructor(code: string) {
    this.code = code;
  }

  /** Back from another page (the back/forward cache): the connection of then is gone, start afresh. */
  private onPageShow = (e: PageTransitionEvent): void => {
    if (e.persisted) location.reload();
  };

  mount(root: HTMLElement): void {
    root.append(this.top, this.banner, this.body);
    window.addEventListener('pageshow', this.onPageShow);
    this.timer = window.setInterval(() => tickCountdowns(app.session, undefined), 500);
    // A spectator connection (the projector opened in this tab, then Back) is not the console's:
    // join again as the facilitator (issue 11, defect 3).
    if (!app.session || app.session.code !== this.code || projectorSessions.has(app.session) || (app.session.role && app.session.role !== 'facilitator')) {
      const s = new Session(this.code);
      app.useSession(s);
      const secret = storedSecret(this.code);
      const resume = storedRole(this.code) === 'facilitator' || !secret ? s.resume() : Promise.resolve(false);
      resume
        .then(async (ok) => {
          if (ok) return;
          const secret = storedSecret(this.code) ?? prompt('Teacher code for this session (shown when you created it):') ?? '';
          if (!secret) return app.go({ name: 'landing' }, true);
          await s.join({ role: 'facilitator', secret });
        })
        .catch((e) => {
          forgetConnection(this.code);
          toastError(e);
          app.go({ name: 'landing' }, true);
        });
    }
  }

  unmount(): void {
    window.removeEventListener('pageshow', this.onPageShow);
    window.clearInterval(this.timer);
    window.clearTimeout(this.settingsTimer);
    this.sandboxView?.destroy();
  }

  /** The teacher sent the announcements: no "message from your teacher" toast for them. */
  wantsAnnouncement(): boolean {
    return false;
  }

  /** Redraw now even if the session did not change (local choices changed). */
  private redraw(): void {
    this.drawn = '';
    app.render();
  }

  private fac(type: string, payload: Record<string, unknown> = {}, done?: string): void {
    app.session
      ?.request(type, payload)
      .then(() => {
        if (done) {
          toast('ok', done);
          announce(done);
        }
      })
      .catch(toastError);
  }

  update(): void {
    const s = app.session;
    if (!s) return;
    const snap = s.snap;
    const scenario = app.scenario(snap?.scenario, snap?.scenarioVersion);
    patch(
      this.top,
      brand(),
      h('div.turn-info', null, h('span.t1', null, 'Facilitator console'), h('span.t2', null, snap ? `${snap.title} · code ${snap.code}` : 'Connecting…')),
      h('span.spacer'),
      h('a.btn.btn-sm', { href: `#/watch/${this.code}`, target: '_blank', rel: 'noopener', style: 'color:#f3efe3;background:rgba(255,255,255,.08);border-color:rgba(255,255,255,.2)' }, icon('projector'), 'Projector view'),
      connPill(s.conn),
    );
    patch(this.banner, connBanner(s.conn), storageBanner(snap?.storage ?? ''));
    if (!snap || !scenario) {
      this.drawn = '';
      patch(this.body, h('p.empty', { role: 'status' }, 'Connecting to the session…'));
      return;
    }
    const signature = JSON.stringify([snap, this.projector, this.sandboxSeat, this.openTable, storedSecret(this.code) ?? '']);
    if (signature === this.drawn) {
      if (snap.sandbox && snap.tables[Object.keys(snap.tables)[0] ?? '']) this.updateSandbox(scenario, Object.values(snap.tables)[0]!);
      return;
    }
    this.drawn = signature;
    if (this.projector) {
      patch(this.body, this.joinCard(true));
      return;
    }
    const tables = Object.values(snap.tables);
    const players = Object.values(snap.participants).filter((p) => p.role === 'player');
    const unseated = players.filter((p) => !p.power);
    const sandbox = snap.sandbox;
    const bulk = bulkButtons(tables);
    const nodes: (HTMLElement | null)[] = [
      h(
        'div.page-head',
        null,
        h('div', null, h('h4', { 'data-testid': 'roll-call-count' }, sandbox ? 'Sandbox' : `${tables.length} table${tables.length === 1 ? '' : 's'} · ${players.length} student${players.length === 1 ? '' : 's'}`), h('h1', null, snap.title)),
        h('span.spacer'),
        h(
          'div.btn-row',
          { role: 'group', 'aria-label': 'Every table' },
          // Only the buttons that apply now (issue 11).
          bulk.start ? h('button.btn-primary', { type: 'button', 'data-testid': 'start-all', onclick: () => this.fac('fac_start', {}, 'Game started') }, icon('play'), tables.length > 1 ? 'Start all' : 'Start') : null,
          bulk.pause ? h('button', { type: 'button', 'data-testid': 'pause-all', onclick: () => this.fac('fac_pause', {}, 'Paused') }, icon('pause'), tables.length > 1 ? 'Pause all' : 'Pause') : null,
          bulk.resume ? h('button', { type: 'button', 'data-testid': 'resume-all', onclick: () => this.fac('fac_resume', {}, 'Resumed') }, icon('play'), tables.length > 1 ? 'Resume all' : 'Resume') : null,
          bulk.live ? h('button', { type: 'button', onclick: () => this.fac('fac_extend', { seconds: 60 }, 'One more minute') }, '+1 min') : null,
          bulk.pause ? h('button', { type: 'button', 'data-testid': 'end-phase-all', onclick: () => this.fac('fac_end_phase', {}, 'Phase ended') }, icon('skip'), 'End phase now') : null,
          bulk.live ? h('button.btn-danger', { type: 'button', onclick: () => confirm('End the game on every table now? Scores are computed on the current state.') && this.fac('fac_end_game', {}, 'Games ended') }, 'End game') : null,
        ),
      ),
      h(
        'div.grid-2',
        null,
        this.joinCard(false),
        h(
          'div',
          null,
          this.announceCard(tables),
          sandbox
            ? null
            : h(
                'section.card',
                { 'aria-labelledby': 'h-unseated' },
                h('h2#h-unseated', null, `Waiting for a seat (${unseated.length})`),
                h('div.btn-row', { style: 'margin-bottom:8px' }, h('button.btn-sm', { type: 'button', onclick: () => this.fac('fac_auto_seat', {}, 'Everyone has a seat') }, icon('users'), 'Seat everyone automatically')),
                unseated.length === 0 ? h('p.empty', null, 'Everyone who joined has a seat.') : unseated.map((p) => this.seatPicker(p.id, p.name, scenario, tables)),
              ),
        ),
      ),
      h('h2', { style: 'margin-top:24px' }, 'Tables'),
      h('div.tables', null, tables.map((t) => this.tableCard(t, scenario))),
      sandbox ? this.sandboxSection(scenario, tables[0]) : null,
      this.recordsCard(tables),
      this.settingsCard(snap.settings, tables),
    ];
    if (this.sandboxView && !sandbox) {
      this.sandboxView.destroy();
      this.sandboxView = undefined;
    }
    patch(this.body, ...nodes);
    if (sandbox && tables[0]) this.updateSandbox(scenario, tables[0]);
    tickCountdowns(s, undefined);
  }

  private joinCard(big: boolean): HTMLElement {
    const url = joinUrl(this.code);
    const secret = storedSecret(this.code);
    return h(
      'section.card.joincard',
      { 'aria-labelledby': 'h-join', style: big ? 'padding:48px 24px;min-height:70vh;display:flex;flex-direction:column;justify-content:center' : '' },
      h('h2#h-join', { style: big ? 'font-size:2.4rem' : '' }, 'Join the game'),
      h('p.muted', { style: big ? 'font-size:1.4rem' : '' }, 'Open this address and type the code:'),
      h('div.joinurl', null, url.replace(/^https?:\/\//, '').replace(/#\/join\/.*$/, '')),
      h('div.joincode', { 'data-testid': 'join-code', 'aria-label': `Code ${this.code.split('').join(' ')}`, style: big ? 'font-size:clamp(4rem,14vw,10rem)' : '' }, this.code),
      h('p.small', null, 'Or share the direct link: ', h('a', { href: url }, url)),
      h(
        'div.btn-row',
        { style: 'justify-content:center;margin-top:10px' },
        h('button', { type: 'button', onclick: () => { this.projector = !big; this.redraw(); } }, icon('projector'), big ? 'Back to the console' : 'Show on the projector'),
        big ? null : h('button', { type: 'button', onclick: () => navigator.clipboard?.writeText(url).then(() => toast('ok', 'Link copied')) }, icon('copy'), 'Copy link'),
      ),
      !big && secret
        ? h(
            'details',
            { style: 'margin-top:12px;text-align:left', open: this.secretOpen, ontoggle: (e: Event) => { this.secretOpen = (e.target as HTMLDetailsElement).open; } },
            h('summary', null, 'Teacher code (to open this console on another computer)'),
            h('code', { 'data-testid': 'secret', style: 'font-size:1.1rem;word-break:break-all' }, secret),
          )
        : null,
    );
  }

  private announceCard(tables: TableSnap[]): HTMLElement {
    if (this.announceTable && !tables.some((t) => t.id === this.announceTable)) this.announceTable = '';
    const where = tables.find((t) => t.id === this.announceTable);
    return h(
      'form.card',
      {
        'aria-labelledby': 'h-ann',
        'data-testid': 'announce-form',
        onsubmit: (e: Event) => {
          e.preventDefault();
          const text = this.announceText.trim();
          if (!text) return;
          this.fac('fac_announce', { text, ...(this.announceTable ? { table: this.announceTable } : {}) }, where ? `Announcement sent to ${where.name}` : 'Announcement sent');
          this.announceText = '';
          (document.getElementById('ann-text') as HTMLInputElement).value = '';
        },
      },
      h('h2#h-ann', null, where ? `Announce to ${where.name}` : 'Announce to everyone'),
      tables.length > 1
        ? h(
            'div.field',
            { style: 'margin-bottom:8px' },
            h('label', { for: 'ann-table' }, 'To'),
            h(
              'select#ann-table',
              {
                onchange: (e: Event) => {
                  this.announceTable = (e.target as HTMLSelectElement).value;
                  this.redraw();
                },
              },
              h('option', { value: '', selected: !this.announceTable }, 'Every table'),
              tables.map((t) => h('option', { value: t.id, selected: t.id === this.announceTable }, `${t.name} only`)),
            ),
          )
        : null,
      h(
        'div.composer',
        null,
        h('label.sr-only', { for: 'ann-text' }, 'Announcement'),
        h('input#ann-text', { type: 'text', maxlength: String(LIMITS.announcement), placeholder: 'e.g. Five minutes left for talks!', value: this.announceText, oninput: (e: Event) => { this.announceText = (e.target as HTMLInputElement).value; } }),
        h('button.btn-primary', { type: 'submit' }, icon('send'), 'Send'),
      ),
    );
  }

  private seatPicker(participant: string, name: string, scenario: Scenario, tables: TableSnap[]): HTMLElement {
    const options = tables.flatMap((t) => scenario.powers.map((p) => ({ value: `${t.id}:${p.id}`, label: `${tables.length > 1 ? `${t.name} · ` : ''}${p.name}${t.seats[p.id]?.participant ? ' (taken)' : ''}` })));
    const id = `seat-${participant}`;
    const current = this.seatChoice[participant] ?? options.find((o) => !o.label.endsWith('(taken)'))?.value ?? options[0]?.value ?? '';
    return h(
      'div.seat-mini',
      null,
      h('span.name', null, name),
      h('label.sr-only', { for: id }, `Seat for ${name}`),
      h('select', { id, style: 'width:auto;min-height:34px;padding:2px 6px', onchange: (e: Event) => { this.seatChoice[participant] = (e.target as HTMLSelectElement).value; } }, options.map((o) => h('option', { value: o.value, selected: o.value === current }, o.label))),
      h(
        'button.btn-sm',
        {
          type: 'button',
          onclick: () => {
            const [table, power] = (this.seatChoice[participant] ?? current).split(':');
            this.fac('fac_seat', { participant, table, power }, `${name} seated`);
          },
        },
        'Seat',
      ),
    );
  }

  private tableCard(t: TableSnap, scenario: Scenario): HTMLElement {
    const snap = app.session!.snap!;
    const open = snap.sandbox ? (Object.keys(snap.tables)[0] ?? '') : this.openTable;
    return dashboardCard(snap, t, scenario, {
      code: this.code,
      open,
      fac: (type, payload, done) => this.fac(type, payload, done),
      toggleOpen: (id) => {
        // The server sends the details of one table at a time: the one open here.
        this.openTable = this.openTable === id ? '' : id;
        app.session?.watch(this.openTable);
        this.redraw();
      },
      openDebrief: () => {
        const secret = storedSecret(this.code);
        if (secret) openDebrief(this.code, secret, 'html', { messages: this.debriefMessages }).catch(toastError);
      },
      details: (tt) => this.tableDetails(tt, scenario),
      fork: (tt) => (tt.status !== 'waiting' && tt.turn > 0 && !snap.sandbox ? this.forkForm(tt, scenario) : null),
    });
  }

  /** The open table's events to trigger. */
  private tableDetails(t: TableSnap, scenario: Scenario): (HTMLElement | null)[] {
    const facEvents = scenario.events.filter((e) => 'facilitator' in e.trigger);
    const running = t.status === 'running' || t.status === 'paused';
    const evId = `ev-${t.id}`;
    const ev = this.eventChoice[t.id] ?? facEvents[0]?.id ?? '';
    return [
      running && facEvents.length
        ? h(
            'div.controls',
            null,
            h('label.sr-only', { for: evId }, `Event for ${t.name}`),
            h('select', { id: evId, style: 'flex:1;min-height:34px;padding:2px 6px', onchange: (e: Event) => { this.eventChoice[t.id] = (e.target as HTMLSelectElement).value; } }, facEvents.map((e) => h('option', { value: e.id, selected: e.id === ev }, e.headline))),
            // The engine applies a triggered event at once (its effects and its news), not at the next resolution.
            h('button', { type: 'button', 'data-testid': `trigger-${t.id}`, onclick: () => this.fac('fac_trigger_event', { table: t.id, event: this.eventChoice[t.id] ?? ev }, 'Event triggered: it has happened now, and is in this month\u2019s news') }, icon('sparkle'), 'Trigger event'),
          )
        : null,
    ];
  }

  /** Fork a table at a past turn into a new table ("what if…?"). */
  private forkForm(t: TableSnap, scenario: Scenario): HTMLElement {
    const last = t.turn;
    const choice = this.forkChoice[t.id] ?? { turn: Math.max(1, last - 1), phase: 'negotiation' as const };
    if (choice.turn > last) choice.turn = last;
    const turnId = `fork-turn-${t.id}`;
    const phaseId = `fork-phase-${t.id}`;
    return h(
      'details.fork',
      { 'data-testid': `fork-${t.id}` },
      h('summary', null, icon('fork'), 'Fork this game at an earlier turn…'),
      h('p.small.muted', null, 'A new table starts from that moment, paused, with computer players in the seats until you seat students. The original goes on untouched.'),
      h(
        'div.fork-controls',
        null,
        h('label.sr-only', { for: turnId }, `Turn to fork ${t.name} from`),
        h(
          'select',
          {
            id: turnId,
            onchange: (e: Event) => {
              this.forkChoice[t.id] = { ...choice, turn: Number((e.target as HTMLSelectElement).value) };
            },
          },
          Array.from({ length: last }, (_, i) => i + 1).map((n) => h('option', { value: String(n), selected: n === choice.turn }, turnLabel(scenario, n))),
        ),
        h('label.sr-only', { for: phaseId }, 'From the talks or the orders'),
        h(
          'select',
          {
            id: phaseId,
            onchange: (e: Event) => {
              this.forkChoice[t.id] = { ...(this.forkChoice[t.id] ?? choice), phase: (e.target as HTMLSelectElement).value as 'negotiation' | 'orders' };
            },
          },
          h('option', { value: 'negotiation', selected: choice.phase === 'negotiation' }, 'Talks'),
          h('option', { value: 'orders', selected: choice.phase === 'orders' }, 'Orders'),
        ),
        h(
          'button.btn-sm',
          {
            type: 'button',
            'data-testid': `fork-go-${t.id}`,
            disabled: this.forking === t.id,
            onclick: () => this.fork(t, this.forkChoice[t.id] ?? choice),
          },
          icon('fork'),
          this.forking === t.id ? 'Creating…' : 'Create the new table',
        ),
      ),
    );
  }

  private fork(t: TableSnap, at: { turn: number; phase: 'negotiation' | 'orders' }): void {
    const secret = storedSecret(this.code);
    if (!secret) return toastError({ code: 'HTTP_401', message: '' });
    this.forking = t.id;
    this.redraw();
    forkTable(this.code, secret, { table: t.id, ...at })
      .then((r) => {
        const msg = `New table ${r.table.replace(/^t/, '')} starts at turn ${r.from.turn}`;
        toast('ok', msg, 'It is paused: seat students (or leave the bots), then press Resume.');
        announce(msg);
      })
      .catch(toastError)
      .finally(() => {
        this.forking = '';
        this.redraw();
      });
  }

  /** Replays, comparison and the debrief with its exports. */
  private recordsCard(tables: TableSnap[]): HTMLElement {
    const secret = storedSecret(this.code) ?? '';
    const played = tables.filter((t) => t.status !== 'waiting');
    const msgs = this.debriefMessages;
    // The links hold no credential: a click fetches with the secret in a header, or opens the page with a single-use token.
    const open = (format: 'html' | 'json' | 'csv', part?: DebriefPart) => (e: Event) => {
      e.preventDefault();
      if (secret) openDebrief(this.code, secret, format, { messages: msgs, ...(part ? { part } : {}) }).catch(toastError);
    };
    const csv = (part: DebriefPart, label: string) =>
      h('a.btn.btn-sm', { href: secret ? debriefUrl(this.code, 'csv', { part, messages: msgs }) : undefined, onclick: open('csv', part), 'data-testid': `csv-${part}` }, icon('download'), label);
    return h(
      'section.card.records',
      { 'aria-labelledby': 'h-records', style: 'margin-top:24px', 'data-testid': 'records' },
      h('h2#h-records', null, 'Replays, comparison and debrief'),
      h('p.small.muted', null, 'Everything is recorded as it happens: replay any table turn by turn, compare the tables side by side, and print the debrief for the discussion after the game.'),
      h(
        'div.records-grid',
        null,
        h(
          'div',
          null,
          h('h3', null, 'Replay'),
          played.length
            ? h('div.btn-row', null, played.map((t) => h('a.btn.btn-sm', { href: `#/replay/${this.code}/${t.id}` }, icon('play'), t.name)))
            : h('p.empty', null, 'Start a table to replay it.'),
        ),
        h(
          'div',
          null,
          h('h3', null, 'Compare'),
          h('p.small', null, 'Scores and every number, table against table (forks included), or against another class.'),
          h('a.btn.btn-sm', { href: `#/compare/${this.code}`, 'data-testid': 'open-compare', 'aria-disabled': played.length ? undefined : 'true' }, icon('chart'), 'Compare the tables'),
        ),
        h(
          'div',
          null,
          h('h3', null, 'Debrief'),
          h(
            'label.check',
            { for: 'debrief-messages' },
            h('input#debrief-messages', {
              type: 'checkbox',
              checked: msgs,
              onchange: (e: Event) => {
                this.debriefMessages = (e.target as HTMLInputElement).checked;
                this.redraw();
              },
            }),
            'Include the students\u2019 messages',
          ),
          h(
            'div.btn-row',
            null,
            h('a.btn.btn-sm.btn-primary', { href: secret ? debriefUrl(this.code, 'html', { messages: msgs }) : undefined, onclick: open('html'), 'data-testid': 'open-debrief' }, icon('print'), 'Debrief page'),
            h('a.btn.btn-sm', { href: secret ? debriefUrl(this.code, 'json', { messages: msgs }) : undefined, onclick: open('json'), 'data-testid': 'debrief-json' }, icon('download'), 'JSON'),
          ),
          h('p.small.muted', { style: 'margin:10px 0 4px' }, 'Spreadsheets (CSV):'),
          h('div.btn-row', null, csv('scores', 'Scores'), csv('moves', 'Moves'), csv('commitments', 'Promises'), csv('relations', 'Relations'), csv('metrics', 'Numbers'), msgs ? csv('messages', 'Messages') : null),
        ),
      ),
    );
  }

  private sandboxSection(scenario: Scenario, t: TableSnap | undefined): HTMLElement | null {
    if (!t) return null;
    if (!this.sandboxSeat) this.sandboxSeat = scenario.powers[0]?.id ?? '';
    return h(
      'section',
      { 'aria-labelledby': 'h-sandbox', style: 'margin-top:24px' },
      h('h2#h-sandbox', null, 'Sandbox: play every country'),
      h(
        'div.btn-row',
        null,
        h(
          'div',
          { role: 'group', 'aria-label': 'Play as', class: 'convos', style: 'margin:0' },
          scenario.powers.map((p) =>
            h(
              'button',
              { type: 'button', 'aria-pressed': String(p.id === this.sandboxSeat), onclick: () => { this.sandboxSeat = p.id; this.redraw(); } },
              h('span.dot', { style: `background:${p.colour}` }),
              `Play as ${p.name}`,
            ),
          ),
        ),
        h('span.spacer', { style: 'flex:1' }),
        h('button.btn-primary', { type: 'button', onclick: () => this.fac('fac_sandbox_resolve', { table: t.id }, 'Turn resolved') }, icon('skip'), 'Resolve the turn now'),
        h('button', { type: 'button', disabled: t.undoable <= 0, onclick: () => this.fac('fac_sandbox_undo', { table: t.id }, 'Undone') }, icon('undo'), `Undo (${t.undoable})`),
      ),
      this.sandboxHost,
    );
  }

  private updateSandbox(scenario: Scenario, t: TableSnap): void {
    const view = t.views[this.sandboxSeat] ?? t.views['facilitator'] ?? t.public;
    if (!view || t.status === 'waiting') {
      replace(this.sandboxHost, h('p.empty', { style: 'padding:20px' }, 'Start the table to play.'));
      return;
    }
    if (!this.sandboxView) this.sandboxView = new GameView('sandbox');
    if (this.sandboxView.el.parentElement !== this.sandboxHost) replace(this.sandboxHost, this.sandboxView.el);
    this.sandboxView.el.style.height = '100%';
    this.sandboxView.el.style.width = '100%';
    this.sandboxView.update({
      session: app.session!,
      scenario,
      table: t,
      view,
      power: this.sandboxSeat,
      seat: { table: t.id, power: this.sandboxSeat },
      readOnly: false,
    });
  }

  private settingsCard(settings: Settings, tables: TableSnap[]): HTMLElement {
    const started = tables.some((t) => t.status !== 'waiting');
    // What the server has now, as the form shows it (minutes for the phase timers).
    const saved: Record<string, string> = {
      's-neg': String((settings.negotiationSeconds ?? 0) / 60),
      's-ord': String((settings.ordersSeconds ?? 0) / 60),
      's-rec': String(settings.reconnectSeconds ?? 120),
      's-tables': String(tables.length),
      's-seating': settings.seating,
      's-default': settings.defaultOrders,
      's-dsize': String(settings.delegationSize ?? 1),
      's-dready': settings.delegationReady ?? 'majority',
    };
    // The server answers a save before the new settings reach us: keep showing what was typed until
    // they do (or for two seconds), so the fields do not flick back to the old values.
    if (this.settingsAtSave !== undefined && JSON.stringify(settings) !== this.settingsAtSave) {
      this.settingsDraft = {};
      this.settingsAtSave = undefined;
    }
    const draft = this.settingsDraft;
    for (const [k, v] of Object.entries(draft)) if (v === saved[k]) delete draft[k];
    const saving = this.settingsAtSave !== undefined && Object.keys(draft).length > 0;
    if (started) delete draft['s-tables'];
    const value = (id: string) => draft[id] ?? saved[id] ?? '';
    const dirty = Object.keys(draft).length > 0;
    const edit = (id: string) => (e: Event) => {
      const v = (e.target as HTMLInputElement | HTMLSelectElement).value;
      if (v === saved[id]) delete draft[id];
      else draft[id] = v;
      // Show or hide "unsaved changes" without redrawing the field being typed in.
      (e.target as HTMLElement).classList.toggle('changed', draft[id] !== undefined);
      const pending = Object.keys(draft).length > 0;
      for (const el of document.querySelectorAll<HTMLElement>('[data-unsaved]')) el.hidden = !pending;
    };
    const num = (id: string, label: string, hint: string, opts: { step?: string; min?: string; max?: string } = {}) =>
      h(
        'div.field',
        null,
        h('label', { for: id }, label, draft[id] !== undefined ? h('span.sr-only', null, ' (changed, not saved)') : null),
        h('input', {
          id,
          type: 'number',
          min: opts.min ?? '0',
          ...(opts.max ? { max: opts.max } : {}),
          step: opts.step ?? 'any',
          inputmode: 'decimal',
          class: draft[id] !== undefined ? 'changed' : '',
          value: value(id),
          'aria-describedby': `${id}-h`,
          oninput: edit(id),
        }),
        h('div.hint', { id: `${id}-h` }, hint),
      );
    const select = (id: string, label: string, options: [string, string][]) =>
      h(
        'div.field',
        null,
        h('label', { for: id }, label),
        h('select', { id, class: draft[id] !== undefined ? 'changed' : '', onchange: edit(id) }, options.map(([v, text]) => h('option', { value: v, selected: value(id) === v }, text))),
      );
    return h(
      'form.card',
      {
        'aria-labelledby': 'h-settings',
        'data-testid': 'settings-form',
        style: 'margin-top:24px',
        onsubmit: (e: Event) => {
          e.preventDefault();
          const n = (id: string) => Number(value(id));
          const payload: Record<string, unknown> = {
            settings: {
              negotiationSeconds: Math.max(0, Math.round(n('s-neg') * 60)),
              ordersSeconds: Math.max(0, Math.round(n('s-ord') * 60)),
              reconnectSeconds: Math.max(0, Math.round(n('s-rec'))),
              seating: value('s-seating'),
              defaultOrders: value('s-default'),
              delegationSize: Math.max(1, Math.min(LIMITS.delegation, Math.round(n('s-dsize')))),
              delegationReady: value('s-dready'),
            },
          };
          if (!started) payload['tables'] = Math.max(1, Math.min(LIMITS.tables, Math.round(n('s-tables'))));
          const before = JSON.stringify(settings);
          app.session
            ?.request('fac_configure', payload)
            .then(() => {
              this.settingsAtSave = before;
              window.clearTimeout(this.settingsTimer);
              this.settingsTimer = window.setTimeout(() => {
                if (this.settingsAtSave === undefined) return;
                this.settingsDraft = {};
                this.settingsAtSave = undefined;
                this.redraw();
              }, 2000);
              this.redraw();
              toast('ok', 'Settings saved');
              announce('Settings saved');
            })
            .catch(toastError);
        },
      },
      h('h2#h-settings', null, 'Settings'),
      h(
        'div.field-row',
        null,
        num('s-neg', 'Talks (minutes)', 'From the next phase'),
        num('s-ord', 'Orders (minutes)', 'From the next phase'),
        num('s-rec', 'Seat kept after a drop (seconds)', 'Then a bot plays', { step: '1' }),
        started ? null : num('s-tables', 'Tables', 'Before the start only', { step: '1', min: '1', max: String(LIMITS.tables) }),
      ),
      h(
        'div.field-row',
        null,
        select('s-seating', 'Seating', [
          ['auto', 'Automatic'],
          ['teacher', 'Teacher seats students'],
          ['choice', 'Students choose'],
        ]),
        select('s-default', 'Missing orders', [
          ['none', 'No moves'],
          ['bot', 'What a bot would play'],
        ]),
      ),
      h(
        'div.field-row',
        null,
        num('s-dsize', 'Students per country', 'A delegation: 1 to 8 students hold one country together', { step: '1', min: '1', max: String(LIMITS.delegation) }),
        select('s-dready', 'A delegation is ready when', [
          ['majority', 'Most of its students are'],
          ['any', 'Any of its students is'],
          ['lead', 'Its lead (first student) is'],
        ]),
      ),
      h(
        'div.btn-row',
        null,
        h('button.btn-primary', { type: 'submit', 'data-testid': 'save-settings' }, 'Save settings'),
        h('span.chip.chip-warn', { 'data-unsaved': '', hidden: !dirty, 'data-testid': 'settings-unsaved' }, icon('clock'), saving ? 'Saving…' : 'Unsaved changes'),
        h(
          'button.btn-ghost',
          {
            type: 'button',
            'data-unsaved': '',
            hidden: !dirty,
            onclick: () => {
              this.settingsDraft = {};
              this.settingsAtSave = undefined;
              this.redraw();
            },
          },
          'Discard changes',
        ),
      ),
    );
  }
}

export { powerName };
