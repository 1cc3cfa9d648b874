/**
 * "My games" (issue 13, part 3): the games this browser is a player in (it keeps a rejoin key per game,
 * localStorage `bamboo:key:<code>`), asked of the server in one request (`POST /api/my-games`), and the
 * browser notifications while a Bamboo tab is open: a phase opens where it is your move, or a deadline
 * is less than an hour away. Only after the player allowed them; nothing goes to a third party (the
 * Notifications API shows them from this page).
 */
import type { MyGameStatus } from '#shared/protocol.ts';
import { api } from './session.ts';

const KEY_PREFIX = 'bamboo:key:';
const NOTIFY = 'bamboo:notify';
const NOTIFIED = 'bamboo:notified';

/** Every game this browser holds a player's key for. */
export function myGameKeys(): { code: string; key: string }[] {
  const out: { code: string; key: string }[] = [];
  try {
    for (let i = 0; i < localStorage.length; i++) {
      const name = localStorage.key(i);
      if (!name?.startsWith(KEY_PREFIX)) continue;
      const key = JSON.parse(localStorage.getItem(name) ?? 'null') as unknown;
      const code = name.slice(KEY_PREFIX.length);
      if (typeof key === 'string' && /^[A-Z0-9]{6}$/.test(code)) out.push({ code, key });
    }
  } catch {
    /* storage disabled */
  }
  return out.slice(-50);
}

export async function fetchMyGames(): Promise<MyGameStatus[]> {
  const games = myGameKeys();
  if (games.length === 0) return [];
  return api<MyGameStatus[]>('/api/my-games', { method: 'POST', body: JSON.stringify({ games }) });
}

export function notificationsSupported(): boolean {
  return typeof window !== 'undefined' && 'Notification' in window;
}

export function notificationsOn(): boolean {
  try {
    return notificationsSupported() && Notification.permission === 'granted' && localStorage.getItem(NOTIFY) === '1';
  } catch {
    return false;
  }
}

/** Asks the browser for permission (from a click); true when notifications are on. */
export async function enableNotifications(): Promise<boolean> {
  if (!notificationsSupported()) return false;
  const permission = await Notification.requestPermission();
  if (permission !== 'granted') return false;
  localStorage.setItem(NOTIFY, '1');
  return true;
}

export function disableNotifications(): void {
  localStorage.removeItem(NOTIFY);
}

/** What deserves a notification now, given what was already told (keys kept in `told`). */
export function dueNotices(games: MyGameStatus[], told: Set<string>, soonMs = 3_600_000): { tag: string; title: string; body: string }[] {
  const out: { tag: string; title: string; body: string }[] = [];
  for (const g of games) {
    if (!g.yourMove) continue;
    const phase = `${g.code}:${g.turn}:${g.phase}`;
    const phaseName = g.phase === 'orders' ? 'orders' : 'talks';
    if (!told.has(phase)) out.push({ tag: phase, title: `Your move: ${g.title}`, body: `Turn ${g.turn} of ${g.turns}, ${phaseName} are open (game ${g.code}).` });
    const left = g.deadline ? g.deadline - g.now : 0;
    if (g.deadline && left > 0 && left <= soonMs && !told.has(`${phase}:soon`)) {
      out.push({ tag: `${phase}:soon`, title: `Deadline soon: ${g.title}`, body: `The ${phaseName} of turn ${g.turn} end in ${Math.max(1, Math.round(left / 60_000))} minutes (game ${g.code}).` });
    }
  }
  return out;
}

function toldSet(): Set<string> {
  try {
    return new Set(JSON.parse(localStorage.getItem(NOTIFIED) ?? '[]') as string[]);
  } catch {
    return new Set();
  }
}

/** Checks the games every minute while the page is open, and notifies (when the player turned it on). */
export function startNotifier(intervalMs = 60_000): void {
  const check = async () => {
    if (!notificationsOn()) return;
    try {
      const told = toldSet();
      for (const n of dueNotices(await fetchMyGames(), told)) {
        new Notification(n.title, { body: n.body, tag: n.tag });
        told.add(n.tag);
      }
      localStorage.setItem(NOTIFIED, JSON.stringify([...told].slice(-300)));
    } catch {
      /* offline or the server is restarting: next time */
    }
  };
  void check();
  window.setInterval(() => void check(), intervalMs);
}

const SEEN = 'bamboo:seen:';

/** What the player has seen of a game's talk (messages to them), so that My games can say what is new. */
export function markSeen(code: string, received: number): void {
  try {
    if (Number(localStorage.getItem(SEEN + code) ?? -1) !== received) localStorage.setItem(SEEN + code, String(received));
  } catch {
    /* storage disabled: nothing is new, nothing is lost */
  }
}

/** Messages received since the player last had the game open. */
export function unseen(code: string, received: number): number {
  try {
    return Math.max(0, received - Number(localStorage.getItem(SEEN + code) ?? 0));
  } catch {
    return 0;
  }
}
