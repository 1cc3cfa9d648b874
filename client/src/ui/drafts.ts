/**
 * Saving and restoring a player's unsent work (see model/draft.ts): moves planned during talks,
 * half-written chat messages and proposals. Changes are sent with `save_draft` after a short pause
 * (debounced), at once when the page is being left, and again after a failed save; after a reload
 * the server's copy (the player's own participant entry, `draft`) is put back into the panels.
 */
import type { Session } from '../net/session.ts';
import { LIMITS } from '../net/limits.ts';
import { applyDraft, makeDraft, parseDraft, serialiseDraft } from '../model/draft.ts';
import { type GameCtx, panelState } from './context.ts';
import { announce } from './dom.ts';

const DEBOUNCE_MS = 500;
const RETRY_MS = 3000;

export type DraftStatus = 'idle' | 'pending' | 'saved' | 'error';

interface Saver {
  session: Session;
  /** The last text the server acknowledged (or sent us). */
  acked: string;
  /** The text waiting to be sent. */
  next: string | undefined;
  timer: number;
  inFlight: boolean;
  status: DraftStatus;
}

let saver: Saver | undefined;
/** Seats (code:table:power) whose saved draft was already considered on this page. */
const restored = new Set<string>();
let host: HTMLElement | undefined;

/** The element that carries `data-draft` (idle, pending, saved, error), for tests and styling. */
export function bindDraftHost(el: HTMLElement): void {
  host = el;
  el.dataset['draft'] = saver?.status ?? 'idle';
}

function setStatus(s: Saver, status: DraftStatus): void {
  s.status = status;
  if (host) host.dataset['draft'] = status;
}

function saverFor(session: Session): Saver {
  if (!saver || saver.session !== session) {
    if (saver) window.clearTimeout(saver.timer);
    saver = { session, acked: session.me?.draft ?? '', next: undefined, timer: 0, inFlight: false, status: 'idle' };
  }
  return saver;
}

function drafting(ctx: GameCtx): boolean {
  return !ctx.seat && !ctx.readOnly && !!ctx.power && ctx.session.role === 'player';
}

/**
 * After a reload: once per seat and page, put the server's draft back. Waits until the player's own
 * entry (with `draft`) has arrived. Returns true when something came back.
 */
export function restoreDraft(ctx: GameCtx): boolean {
  if (!drafting(ctx)) return false;
  const me = ctx.session.me;
  if (!me || me.draft === undefined) return false;
  const key = `${ctx.session.code}:${ctx.table.id}:${ctx.power}`;
  if (restored.has(key)) return false;
  restored.add(key);
  const s = saverFor(ctx.session);
  s.acked = me.draft;
  const st = panelState(ctx.table.id, ctx.power);
  const got = applyDraft(st, parseDraft(me.draft), { table: ctx.table.id, power: ctx.power, turn: ctx.view.turn });
  if (!got || (got.plan + got.messages === 0 && !got.proposal)) return false;
  const parts = [got.plan ? 'your planned moves' : '', got.messages ? 'your unsent messages' : '', got.proposal ? 'your unfinished proposal' : ''].filter(Boolean);
  announce(`Welcome back: ${parts.join(', ')} ${parts.length > 1 ? 'are' : 'is'} here as you left ${parts.length > 1 ? 'them' : 'it'}.`);
  return true;
}

/** Call after anything a draft holds may have changed: saves it after a short pause if it differs. */
export function draftChanged(ctx: GameCtx): void {
  if (!drafting(ctx)) return;
  const me = ctx.session.me;
  // Not before the saved draft was looked at: an empty page must not overwrite it.
  if (!me || me.draft === undefined || !restored.has(`${ctx.session.code}:${ctx.table.id}:${ctx.power}`)) return;
  const s = saverFor(ctx.session);
  const text = serialiseDraft(makeDraft(ctx.table.id, ctx.power, panelState(ctx.table.id, ctx.power)), LIMITS.draft);
  if (text === (s.next ?? s.acked)) return;
  s.next = text;
  setStatus(s, 'pending');
  window.clearTimeout(s.timer);
  s.timer = window.setTimeout(() => flush(s), DEBOUNCE_MS);
}

function flush(s: Saver): void {
  if (s.inFlight || s.next === undefined) return;
  const text = s.next;
  if (text === s.acked) {
    s.next = undefined;
    setStatus(s, 'saved');
    return;
  }
  s.inFlight = true;
  s.session
    .request('save_draft', { draft: text })
    .then(() => {
      s.inFlight = false;
      s.acked = text;
      if (s.next === text) {
        s.next = undefined;
        setStatus(s, 'saved');
      } else flush(s);
    })
    .catch(() => {
      // Offline or reconnecting: try again a little later (the text stays in memory meanwhile).
      s.inFlight = false;
      setStatus(s, 'error');
      window.clearTimeout(s.timer);
      s.timer = window.setTimeout(() => flush(s), RETRY_MS);
    });
}

/** The page is being left (reload, close): send what is pending now, without waiting. */
function flushNow(): void {
  const s = saver;
  if (!s || s.next === undefined || s.next === s.acked) return;
  try {
    s.session.send('save_draft', { draft: s.next });
  } catch {
    /* the connection is already gone */
  }
}

if (typeof window !== 'undefined') window.addEventListener('pagehide', flushNow);
