/**
 * The facilitator's dashboard (issue 11): one card per table that reads at a glance — phase and
 * countdown, who is ready, who has given orders, talk activity (counts only), alerts (a student
 * dropped, a bot took over), and the controls that apply now. The table that is *open* (the one the
 * console `watch`es: the server sends the details of one table at a time) also shows its relations,
 * events to trigger. An ended table shows its final scores and links to its replay and debrief.
 */
import type { Scenario } from '#shared/scenario/schema.ts';
import type { ActivityShape } from '#shared/protocol.ts';
import type { SessionSnap, TableSnap } from '../net/session.ts';
import { parseScores } from '../model/view.ts';
import { phaseLabel, plural, powerName, turnLabel } from '../model/format.ts';
import { mainRelationMetric, relationLines } from '../model/relations.ts';
import { timerEl } from './chrome.ts';
import { h, icon } from './dom.ts';
import './dashboard.css';

export interface DashActions {
  code: string;
  /** The table whose details the console receives ('' for none). */
  open: string;
  fac(type: string, payload?: Record<string, unknown>, done?: string): void;
  toggleOpen(table: string): void;
  openDebrief(): void;
  /** The open table's extra controls (events). */
  details(t: TableSnap): (HTMLElement | null)[];
  /** Fork this table at an earlier turn (needs no details: always on the card). */
  fork(t: TableSnap): HTMLElement | null;
}

export interface Alert {
  tone: 'bad' | 'warn';
  text: string;
}

/** What needs the teacher's eye at a table. */
export function tableAlerts(snap: SessionSnap, t: TableSnap, scenario: Scenario): Alert[] {
  const out: Alert[] = [];
  if (t.status === 'waiting' || t.status === 'ended') return out;
  for (const p of scenario.powers) {
    const seat = t.seats[p.id];
    if (!seat) continue;
    const holder = seat.participant ? snap.participants[seat.participant] : undefined;
    if (seat.control === 'human' && holder && !seat.connected) out.push({ tone: 'bad', text: `${holder.name} (${p.name}) dropped out: the seat is kept for now` });
    if (seat.control === 'bot' && seat.botReason === 'dropped') out.push({ tone: 'warn', text: `A bot took over ${p.name}${holder ? ` from ${holder.name}` : ''} (dropped out)` });
  }
  return out;
}

function statusChip(t: TableSnap): HTMLElement {
  const label = t.status === 'waiting' ? 'Not started' : t.status === 'ended' ? 'Ended' : t.status === 'paused' ? 'Paused' : 'Running';
  return h('span', { class: `chip ${t.status === 'running' ? 'chip-ok' : t.status === 'paused' ? 'chip-warn' : ''}`, 'data-testid': `status-${t.id}` }, label);
}

function activityRow(a: ActivityShape | undefined): HTMLElement {
  const v = a ?? { messages: 0, proposals: 0, commitments: 0, kept: 0, breached: 0 };
  const item = (n: number, label: string, tone = '') => h('li', { class: tone }, h('b', null, String(n)), ` ${label}`);
  return h(
    'ul.dash-activity',
    { 'aria-label': 'Talk activity' },
    item(v.messages, v.messages === 1 ? 'message' : 'messages'),
    item(v.proposals, v.proposals === 1 ? 'proposal' : 'proposals'),
    item(v.commitments, 'promises in force'),
    item(v.kept, 'kept', v.kept ? 'ok' : ''),
    item(v.breached, 'broken', v.breached ? 'bad' : ''),
  );
}

function seatRow(snap: SessionSnap, t: TableSnap, p: Scenario['powers'][number], a: DashActions): HTMLElement {
  const seat = t.seats[p.id];
  const holder = seat?.participant ? snap.participants[seat.participant] : undefined;
  const running = t.status === 'running' || t.status === 'paused';
  const bot = seat?.control === 'bot';
  const who = bot ? (holder ? `Bot for ${holder.name}` : 'Bot · free seat') : holder ? holder.name : 'Free seat';
  const reason = bot && seat?.botReason === 'dropped' ? ' (dropped out)' : bot && seat?.botReason === 'facilitator' ? ' (you chose)' : '';
  const offline = !bot && holder && !(seat?.connected ?? holder.connected);
  const ordersPhase = running && t.phase === 'orders';
  return h(
    'div.seat-row',
    { 'data-power': p.id },
    h('span.swatch', { style: `background:${p.colour}` }),
    h('div.seat-who', null, h('strong', null, p.name), h('span.small.muted', null, who, reason, offline ? ' · offline' : '')),
    running && seat?.ready ? h('span.chip.chip-ok.dash-mini', null, icon('check'), 'ready') : running ? h('span.chip.dash-mini', null, 'not ready') : null,
    ordersPhase ? h('span', { class: `chip dash-mini ${seat?.orders ? 'chip-ok' : 'chip-warn'}`, 'data-testid': `orders-${t.id}-${p.id}` }, plural(seat?.orders ?? 0, 'order')) : null,
    running && !snap.sandbox && (!bot || holder)
      ? h(
          'button.btn-sm.btn-ghost',
          { type: 'button', 'aria-label': bot ? `Give ${p.name} back to its player` : `Let a bot play ${p.name}`, onclick: () => a.fac('fac_bot', { table: t.id, power: p.id, bot: !bot }) },
          icon('bot'),
          bot ? 'Back to player' : 'Bot',
        )
      : null,
    holder && !snap.sandbox && t.status !== 'ended'
      ? h('button.btn-sm.btn-ghost', { type: 'button', 'aria-label': `Unseat ${holder.name}`, onclick: () => a.fac('fac_unseat', { participant: holder.id }) }, icon('x'))
      : null,
  );
}

/** The relations of the open table, strongest first, as coloured bars. */
function relationSummary(scenario: Scenario, t: TableSnap): HTMLElement | null {
  const view = t.views['facilitator'] ?? t.public;
  if (!view) return null;
  const lines = relationLines(scenario, view.relations).sort((x, y) => y.value - x.value);
  const m = mainRelationMetric(scenario);
  if (!lines.length || !m) return null;
  const pct = (v: number) => Math.max(4, Math.min(100, Math.round(((v - m.min) / (m.max - m.min || 1)) * 100)));
  return h(
    'ul.dash-relations',
    { 'aria-label': `Relations at ${t.name}`, 'data-testid': `relations-${t.id}` },
    lines.map((l) =>
      h(
        'li',
        null,
        h('span.dash-pair', null, `${powerName(scenario, l.a)} – ${powerName(scenario, l.b)}`),
        h('span.dash-bar', { 'aria-hidden': 'true' }, h('i', { style: `width:${pct(l.value)}%;background:${l.style.colour}` })),
        h('span.dash-rel', null, `${l.style.label} ${l.value}`),
      ),
    ),
  );
}

function scoresBlock(scenario: Scenario, t: TableSnap, a: DashActions): HTMLElement {
  const report = parseScores(t.scores);
  return h(
    'div.dash-scores',
    { 'data-testid': `scores-${t.id}` },
    h('h4', null, 'Final scores'),
    report
      ? h(
          'ol',
          null,
          report.ranking.map((r) =>
            h(
              'li',
              { class: report.winners.includes(r.power) ? 'winner' : '' },
              h('span.swatch', { style: `background:${scenario.powers.find((p) => p.id === r.power)?.colour ?? '#888'}` }),
              h('span', null, r.name),
              h('b', null, String(r.score)),
              report.winners.includes(r.power) ? h('span.chip.chip-ok.dash-mini', null, icon('trophy'), 'winner') : null,
            ),
          ),
        )
      : h('p.empty', null, 'Scores are being computed…'),
    h(
      'div.btn-row',
      null,
      h('a.btn.btn-sm', { href: `#/replay/${a.code}/${t.id}`, 'data-testid': `replay-${t.id}` }, icon('play'), 'Replay'),
      h('button.btn-sm', { type: 'button', 'data-testid': `debrief-${t.id}`, onclick: () => a.openDebrief() }, icon('print'), 'Debrief'),
    ),
  );
}

export function dashboardCard(snap: SessionSnap, t: TableSnap, scenario: Scenario, a: DashActions): HTMLElement {
  const running = t.status === 'running' || t.status === 'paused';
  const open = a.open === t.id;
  const alerts = tableAlerts(snap, t, scenario);
  const humans = Object.values(t.seats).filter((s) => s.control === 'human');
  const readyN = humans.filter((s) => s.ready).length;
  return h(
    'article',
    { class: `card table-card dash-card${open ? ' open' : ''}`, 'aria-labelledby': `h-t-${t.id}`, 'data-testid': `table-${t.id}` },
    h(
      'header',
      null,
      h('h3', { id: `h-t-${t.id}` }, t.name),
      statusChip(t),
      running ? timerEl(`timer-${t.id}`, t.id) : null,
    ),
    h(
      'p.dash-phase',
      null,
      h('span', { 'data-testid': `turn-${t.id}` }, t.turn && t.status !== 'waiting' ? turnLabel(scenario, t.turn) : 'Waiting to start'),
      running ? [' · ', h('strong', null, phaseLabel(t.phase))] : null,
      running && humans.length ? h('span.muted', null, ` · ${readyN} of ${humans.length} ready`) : null,
    ),
    alerts.length
      ? h(
          'ul.dash-alerts',
          { 'data-testid': `alerts-${t.id}`, 'aria-label': `Alerts at ${t.name}` },
          alerts.map((al) => h('li', { class: al.tone }, icon(al.tone === 'bad' ? 'wifi' : 'bot'), al.text)),
        )
      : null,
    h('div', null, scenario.powers.map((p) => seatRow(snap, t, p, a))),
    t.status !== 'waiting' ? activityRow(snap.activity[t.id]) : null,
    t.status === 'ended' ? scoresBlock(scenario, t, a) : null,
    h(
      'div.controls',
      { role: 'group', 'aria-label': `Controls for ${t.name}` },
      t.status === 'waiting' ? h('button.btn-primary', { type: 'button', onclick: () => a.fac('fac_start', { table: t.id }, `${t.name} started`) }, icon('play'), 'Start') : null,
      t.status === 'running' ? h('button', { type: 'button', onclick: () => a.fac('fac_pause', { table: t.id }, `${t.name} paused`) }, icon('pause'), 'Pause') : null,
      t.status === 'paused' ? h('button', { type: 'button', onclick: () => a.fac('fac_resume', { table: t.id }, `${t.name} resumed`) }, icon('play'), 'Resume') : null,
      running ? h('button', { type: 'button', onclick: () => a.fac('fac_extend', { table: t.id, seconds: 60 }, 'One more minute') }, '+1 min') : null,
      t.status === 'running' ? h('button', { type: 'button', 'data-testid': `end-phase-${t.id}`, onclick: () => a.fac('fac_end_phase', { table: t.id }) }, icon('skip'), 'End phase') : null,
      running ? h('button.btn-danger', { type: 'button', onclick: () => confirm(`End the game on ${t.name}?`) && a.fac('fac_end_game', { table: t.id }) }, 'End game') : null,
      t.status !== 'waiting'
        ? h('button', { type: 'button', 'aria-expanded': String(open), 'data-testid': `open-${t.id}`, onclick: () => a.toggleOpen(t.id) }, icon('map'), open ? 'Close details' : 'Open')
        : null,
      h('a.btn.btn-sm', { href: `#/watch/${a.code}/${t.id}`, target: '_blank', rel: 'noopener' }, icon('projector'), 'Projector'),
      t.status !== 'waiting' && t.status !== 'ended' ? h('a.btn.btn-sm', { href: `#/replay/${a.code}/${t.id}`, 'data-testid': `replay-${t.id}` }, icon('play'), 'Replay') : null,
    ),
    a.fork(t),
    open ? h('section.dash-details', { 'aria-label': `Details of ${t.name}`, 'data-testid': `details-${t.id}` }, h('h4', null, 'Relations'), relationSummary(scenario, t) ?? h('p.empty', null, 'Loading the table…'), a.details(t)) : null,
  );
}

/** Which of the "every table" buttons apply now. */
export function bulkButtons(tables: TableSnap[]): { start: boolean; pause: boolean; resume: boolean; live: boolean } {
  return {
    start: tables.some((t) => t.status === 'waiting'),
    pause: tables.some((t) => t.status === 'running'),
    resume: tables.some((t) => t.status === 'paused'),
    live: tables.some((t) => t.status === 'running' || t.status === 'paused'),
  };
}
