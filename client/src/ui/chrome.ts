/** The top bar shared by every screen: brand, what is going on, the countdown and the connection. */
import { toastError } from '../app.ts';
import { openDebrief } from '../net/records.ts';
import { type ConnState, storedSecret } from '../net/session.ts';
import { h, icon } from './dom.ts';

export function brand(): HTMLElement {
  const a = h('a.brand', { href: '#/', 'aria-label': 'Bamboo home' });
  a.innerHTML =
    '<svg class="brand-mark" viewBox="0 0 32 32" aria-hidden="true"><rect width="32" height="32" rx="8" fill="#2f6b45"/><g stroke="#d6f5e0" stroke-width="3" stroke-linecap="round"><path d="M12 27V5"/><path d="M20 27V9"/></g><g stroke="#2f6b45" stroke-width="1.5"><path d="M10 12h4M10 20h4M18 15h4M18 22h4"/></g><path d="M12 9c3-3 6-3 8-2-2 2-5 3-8 2z" fill="#d6f5e0"/></svg>';
  a.appendChild(h('span', null, 'Bamboo'));
  return a;
}

export function connPill(c: ConnState): HTMLElement {
  const map: Record<ConnState, [string, string]> = {
    idle: ['chip', 'Not connected'],
    connecting: ['chip chip-warn', 'Connecting…'],
    online: ['chip chip-ok', 'Online'],
    reconnecting: ['chip chip-warn', 'Reconnecting…'],
    offline: ['chip chip-bad', 'Offline'],
  };
  const [cls, text] = map[c];
  return h('span', { class: cls, role: 'status', 'data-testid': 'conn', 'data-conn': c }, icon('wifi'), text);
}

/** The banner under the top bar when the connection is not healthy. */
export function connBanner(c: ConnState): HTMLElement | null {
  if (c === 'reconnecting')
    return h(
      'div.banner.banner-warn',
      { role: 'status' },
      icon('wifi'),
      'Connection lost — reconnecting. Keep this page open: your seat is kept for you.',
    );
  if (c === 'offline')
    return h(
      'div.banner.banner-bad',
      { role: 'alert' },
      icon('wifi'),
      'You are offline. ',
      h('button.btn-sm', { type: 'button', onclick: () => location.reload() }, 'Reconnect'),
    );
  return null;
}

/** The join link of a session (shown big on the projector). */
export function joinUrl(code: string): string {
  return `${location.origin}${location.pathname}#/join/${code}`;
}

/** The facilitator's warning when the session's record cannot be saved (the game goes on in memory). */
export function storageBanner(problem: string): HTMLElement | null {
  if (!problem) return null;
  return h(
    'div.banner.banner-warn',
    { role: 'alert', 'data-testid': 'storage-problem' },
    icon('doc'),
    h('span', null, h('strong', null, 'The game is not being saved. '), problem, ' The game goes on; keep this page open until saving works again.'),
  );
}

/** A link to the replay of a table (public for players and the projector; everything for the teacher). */
export function replayLink(code: string, table: string, label = 'Watch the replay'): HTMLElement {
  return h('a.btn', { href: `#/replay/${code}/${table}`, 'data-testid': 'replay-link' }, icon('play'), label);
}

/**
 * The end screen's links: the replay, and for a game played alone (this browser holds its secret) the
 * debrief page, as the teacher's console opens it.
 */
export function endActions(code: string, table: string): HTMLElement {
  const secret = storedSecret(code);
  const debrief = secret
    ? h('button.btn', { type: 'button', 'data-testid': 'debrief-link', onclick: () => void openDebrief(code, secret, 'html').catch((e) => toastError(e)) }, icon('print'), 'Debrief page')
    : null;
  return h('span.btn-row', null, replayLink(code, table), debrief);
}

export function timerEl(testid = 'timer', table?: string): HTMLElement {
  return h('span.timer', { 'data-countdown': '', 'data-table': table, 'data-testid': testid, role: 'timer', 'aria-live': 'off' }, icon('clock'), h('span.t', null, '—'));
}

export function bambooStalks(): SVGSVGElement {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', '0 0 200 300');
  svg.setAttribute('class', 'hero-stalks');
  svg.setAttribute('aria-hidden', 'true');
  svg.innerHTML =
    '<g stroke="#fff" stroke-width="14" stroke-linecap="round" fill="none"><path d="M60 300V20"/><path d="M120 300V60"/><path d="M170 300V110"/></g>' +
    '<g stroke="#1f3a2b" stroke-width="4"><path d="M50 90h20M50 170h20M50 240h20M110 130h20M110 210h20M160 180h20M160 250h20"/></g>' +
    '<g fill="#fff"><path d="M60 60c30-25 60-25 80-15-25 20-55 25-80 15z"/><path d="M120 100c-30-20-60-18-80-6 25 18 55 20 80 6z"/><path d="M170 150c20-25 40-30 30-40-20 10-30 25-30 40z"/></g>';
  return svg;
}
