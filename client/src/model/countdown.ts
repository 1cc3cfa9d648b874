/**
 * The countdown shown in the top bar. The server sends deadlines as its own epoch milliseconds; the
 * client keeps an offset between its clock and the server's so that a wrong laptop clock does not
 * shorten anyone's turn.
 */

export type Urgency = 'none' | 'calm' | 'soon' | 'urgent' | 'over' | 'paused';

export interface Countdown {
  /** "4:05", "0:09", "—" without a deadline. */
  text: string;
  /** For screen readers: "4 minutes 5 seconds left". */
  spoken: string;
  urgency: Urgency;
  remainingMs: number;
  /** 0..1 share of the phase left, when the phase length is known. */
  fraction: number | null;
}

export function countdown(
  deadline: number | null | undefined,
  now: number,
  opts: { paused?: boolean; pausedRemainingMs?: number; totalMs?: number } = {},
): Countdown {
  if (opts.paused) {
    const left = Math.max(0, opts.pausedRemainingMs ?? 0);
    return {
      text: opts.pausedRemainingMs != null ? clock(left) : 'Paused',
      spoken: opts.pausedRemainingMs != null ? `Paused with ${spokenDuration(left)} left` : 'Paused',
      urgency: 'paused',
      remainingMs: left,
      fraction: opts.totalMs ? Math.min(1, left / opts.totalMs) : null,
    };
  }
  if (deadline == null || !Number.isFinite(deadline) || deadline <= 0) {
    return { text: '—', spoken: 'No time limit', urgency: 'none', remainingMs: Number.POSITIVE_INFINITY, fraction: null };
  }
  const remaining = Math.max(0, deadline - now);
  const urgency: Urgency = remaining <= 0 ? 'over' : remaining <= 15_000 ? 'urgent' : remaining <= 60_000 ? 'soon' : 'calm';
  return {
    text: clock(remaining),
    spoken: remaining <= 0 ? 'Time is up' : `${spokenDuration(remaining)} left`,
    urgency,
    remainingMs: remaining,
    fraction: opts.totalMs ? Math.max(0, Math.min(1, remaining / opts.totalMs)) : null,
  };
}

/** m:ss, or h:mm:ss past an hour. Rounds up so that "0:00" only shows when time is really up. */
export function clock(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

export function spokenDuration(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const m = Math.floor(total / 60);
  const s = total % 60;
  const parts: string[] = [];
  if (m > 0) parts.push(`${m} minute${m === 1 ? '' : 's'}`);
  if (s > 0 || m === 0) parts.push(`${s} second${s === 1 ? '' : 's'}`);
  return parts.join(' ');
}

/** Keeps the difference between the server's clock and ours (server − client), smoothed. */
export class ServerClock {
  offset = 0;
  private samples = 0;
  /** Record a server timestamp received now. */
  observe(serverNow: number, clientNow: number = Date.now()): void {
    if (!Number.isFinite(serverNow) || serverNow <= 0) return;
    const sample = serverNow - clientNow;
    this.samples++;
    // The first sample counts fully; later ones are averaged to smooth network jitter.
    this.offset = this.samples === 1 ? sample : this.offset * 0.8 + sample * 0.2;
  }
  now(clientNow: number = Date.now()): number {
    return clientNow + this.offset;
  }
}
