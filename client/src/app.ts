/**
 * The application shell: routes, the current session, scenarios, toasts and the render loop.
 *
 * Routes (hash based, so that the server only serves index.html):
 *   #/                 landing (join or create)
 *   #/join/CODE        landing with the code filled in (the join link)
 *   #/s/CODE           a player's seat: lobby, game, end
 *   #/console/CODE     the facilitator console
 *   #/watch/CODE[/T]   projector (spectator) view, optionally of table T
 *   #/replay/CODE/T    replay of table T (everything with the teacher's secret, else public)
 *   #/compare/CODE[/T1,T2]  tables of a session side by side (teacher)
 *   #/workshop         the designer's workshop: write, check, preview and balance a scenario
 *   #/games            open games: the public list, open a game, close its list
 *   #/my               my games: whose move it is in each, the time left, notifications
 */
import type { Scenario } from '#shared/scenario/schema.ts';
import type { AnnouncementPayload, ErrorPayload } from '#shared/protocol.ts';
import { api, type Session, type ConnState } from './net/session.ts';
import { type FriendlyError, friendlyError } from './model/errors.ts';
import { h, icon, announce } from './ui/dom.ts';

export type Route =
  | { name: 'landing'; code?: string }
  | { name: 'seat'; code: string }
  | { name: 'console'; code: string }
  | { name: 'watch'; code: string; table?: string }
  | { name: 'replay'; code: string; table: string }
  | { name: 'compare'; code: string; tables?: string[] }
  | { name: 'workshop' }
  | { name: 'games' }
  | { name: 'my' };

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean);
  const code = (parts[1] ?? '').toUpperCase();
  switch (parts[0]) {
    case 'workshop':
      return { name: 'workshop' };
    case 'games':
      return { name: 'games' };
    case 'my':
      return { name: 'my' };
    case 'join':
      return code ? { name: 'landing', code } : { name: 'landing' };
    case 's':
      return code ? { name: 'seat', code } : { name: 'landing' };
    case 'console':
      return code ? { name: 'console', code } : { name: 'landing' };
    case 'watch':
      return code ? { name: 'watch', code, ...(parts[2] ? { table: parts[2] } : {}) } : { name: 'landing' };
    case 'replay':
      return code && parts[2] ? { name: 'replay', code, table: parts[2] } : code ? { name: 'replay', code, table: 't1' } : { name: 'landing' };
    case 'compare': {
      const tables = (parts[2] ?? '').split(',').filter(Boolean);
      return code ? { name: 'compare', code, ...(tables.length ? { tables } : {}) } : { name: 'landing' };
    }
    default:
      return { name: 'landing' };
  }
}

export function routeHash(r: Route): string {
  switch (r.name) {
    case 'landing':
      return r.code ? `#/join/${r.code}` : '#/';
    case 'seat':
      return `#/s/${r.code}`;
    case 'console':
      return `#/console/${r.code}`;
    case 'watch':
      return `#/watch/${r.code}${r.table ? `/${r.table}` : ''}`;
    case 'replay':
      return `#/replay/${r.code}/${r.table}`;
    case 'workshop':
      return '#/workshop';
    case 'games':
      return '#/games';
    case 'my':
      return '#/my';
    case 'compare':
      return `#/compare/${r.code}${r.tables?.length ? `/${r.tables.join(',')}` : ''}`;
  }
}

export interface Screen {
  mount(root: HTMLElement): void;
  update(): void;
  unmount(): void;
  /** Whether a facilitator announcement concerns this screen's viewer (default: every one does). */
  wantsAnnouncement?(a: AnnouncementPayload): boolean;
}

class App {
  session: Session | undefined;
  route: Route = { name: 'landing' };
  private scenarios = new Map<string, Scenario>();
  private scenarioLoading = new Map<string, Promise<Scenario | undefined>>();
  private screen: Screen | undefined;
  private screenKey = '';
  private pending = false;
  private unsub: (() => void)[] = [];
  screenFactory: ((route: Route) => { key: string; create: () => Screen }) | undefined;

  /**
   * A scenario by id; with `version` (a session's scenarioVersion), that very version, even when the
   * file on the server has changed since the session began.
   */
  scenario(id: string | undefined, version?: string): Scenario | undefined {
    if (!id) return undefined;
    const key = version ? `${id}@${version}` : id;
    const s = this.scenarios.get(key);
    if (s) return s;
    if (!this.scenarioLoading.has(key)) {
      const p = api<Scenario>(`/api/scenarios/${encodeURIComponent(id)}${version ? `?v=${encodeURIComponent(version)}` : ''}`)
        .then((sc) => {
          this.scenarios.set(key, sc);
          // The session's views were rebuilt without it (objectives, powers' order): rebuild them.
          this.session?.refresh();
          this.render();
          return sc;
        })
        .catch((e: ErrorPayload) => {
          this.scenarioLoading.delete(key);
          toastError(e);
          return undefined;
        });
      this.scenarioLoading.set(key, p);
    }
    return undefined;
  }

  setScenario(s: Scenario): void {
    this.scenarios.set(s.id, s);
  }

  go(r: Route, replace = false): void {
    const hash = routeHash(r);
    if (location.hash !== hash) {
      if (replace) history.replaceState(null, '', hash);
      else history.pushState(null, '', hash);
    }
    this.route = r;
    this.render(true);
  }

  /** Use this session from now on (after a join); closes the previous one. */
  useSession(s: Session): void {
    if (this.session && this.session !== s) void this.session.leave();
    for (const u of this.unsub) u();
    this.session = s;
    s.scenarioOf = (id, version) => this.scenario(id, version);
    this.unsub = [
      s.on('change', () => this.render()),
      s.on('conn', (c) => {
        connAnnounce(c);
        this.render();
      }),
      s.on('error', (e) => toastError(e)),
      s.on('announcement', (a) => {
        // An announcement to one table is for that table's players and its projector only.
        if (this.screen?.wantsAnnouncement && !this.screen.wantsAnnouncement(a)) return;
        toast('info', 'Message from your teacher', a.text);
      }),
      s.on('reconnected', () => {
        // The server stopped or restarted and this page joined again by itself (issue 10, finding 13).
        toast('ok', 'Reconnected', 'The server restarted; you are back where you were.');
        announce('Reconnected');
        this.render();
      }),
      s.on('left', (code) => {
        if (code === 4000 || code === 1000) return;
        if (code === 4009) return void toast('info', 'Opened somewhere else', 'You joined from another tab or device: this page is no longer connected.');
        toast('bad', 'You left the game', 'The connection closed. Reload the page to join again.');
      }),
    ];
  }

  render(force = false): void {
    if (force) this.pending = false;
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      this.draw();
    });
  }

  private draw(): void {
    const root = document.getElementById('app')!;
    if (!this.screenFactory) return;
    const { key, create } = this.screenFactory(this.route);
    if (key !== this.screenKey || !this.screen) {
      this.screen?.unmount();
      root.replaceChildren();
      this.screen = create();
      this.screenKey = key;
      this.screen.mount(root);
    }
    this.screen.update();
  }
}

export const app = new App();

function connAnnounce(c: ConnState): void {
  if (c === 'reconnecting') announce('Connection lost. Reconnecting…');
  if (c === 'online') announce('Connected');
}

// ----------------------------------------------------------------------------- toasts

export function toast(kind: 'bad' | 'ok' | 'info', title: string, detail = ''): void {
  const host = document.getElementById('toasts');
  if (!host) return;
  const el = h(
    `div.toast.${kind}`,
    { role: kind === 'bad' ? 'alert' : 'status' },
    h('div', null, h('strong', null, title)),
    detail ? h('p', null, detail) : null,
    h('button.btn-ghost', { type: 'button', 'aria-label': 'Dismiss', onclick: () => el.remove() }, icon('x')),
  );
  host.appendChild(el);
  while (host.children.length > 4) host.firstElementChild?.remove();
  window.setTimeout(() => el.remove(), kind === 'bad' ? 9000 : 7000);
}

export function toastError(e: unknown): void {
  const f = explainError(e);
  toast('bad', f.title, f.detail);
}

/** Any error a request or the room gave, in plain words for the screen (model/errors.ts). */
export function explainError(e: unknown): FriendlyError {
  const err = normaliseError(e);
  return friendlyError(err.code, err.message);
}

/** Errors come as ErrorPayload objects, SDK errors (code + message), or plain Errors. */
export function normaliseError(e: unknown): { code: string | number | undefined; message: string } {
  if (e && typeof e === 'object') {
    const o = e as { code?: unknown; message?: unknown; error?: unknown };
    const code = typeof o.code === 'string' || typeof o.code === 'number' ? o.code : undefined;
    const message = typeof o.message === 'string' ? o.message : typeof o.error === 'string' ? o.error : String(e);
    return { code, message };
  }
  return { code: undefined, message: String(e) };
}
