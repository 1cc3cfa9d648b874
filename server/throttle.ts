/**
 * Rate limits inside a session room (issue 10, finding 9): every client message type has a budget,
 * and the log takes at most one line per client per period.
 */
import { type ClientMessageType, isFacilitatorMessage } from '#shared/protocol.ts';

/** A token bucket: `burst` messages at once, then `perSecond` on average. */
export class TokenBucket {
  private tokens: number;
  private last: number;
  readonly burst: number;
  readonly perSecond: number;

  constructor(burst: number, perSecond: number, now: number) {
    this.burst = burst;
    this.perSecond = perSecond;
    this.tokens = burst;
    this.last = now;
  }

  take(now: number): boolean {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

export type MessageClass = 'game' | 'talk' | 'other' | 'facilitator';

/**
 * Budgets per participant and class. A student gives a few orders and a ready flag per phase, and the
 * client saves drafts at most every second or so: far under these. A script toggling `ready` or
 * `set_orders` at 100/s is refused after the burst (each accepted one is a change every client receives
 * and a row in the record). Chat and proposals also keep their own tighter limit (LIMITS.rateCount).
 */
export const MESSAGE_BUDGETS: Record<MessageClass, { burst: number; perSecond: number }> = {
  game: { burst: 40, perSecond: 4 },
  talk: { burst: 20, perSecond: 2 },
  other: { burst: 40, perSecond: 4 },
  facilitator: { burst: 120, perSecond: 20 },
};

export function messageClass(type: ClientMessageType): MessageClass {
  if (isFacilitatorMessage(type)) return 'facilitator';
  if (type === 'chat' || type === 'propose' || type === 'team_chat') return 'talk';
  if (type === 'set_orders' || type === 'ready' || type === 'respond' || type === 'withdraw' || type === 'choose_seat') return 'game';
  return 'other';
}

/** One participant's buckets. */
export class MessageBudget {
  private readonly buckets = new Map<MessageClass, TokenBucket>();

  allow(type: ClientMessageType, now: number): boolean {
    const cls = messageClass(type);
    let b = this.buckets.get(cls);
    if (!b) {
      const budget = MESSAGE_BUDGETS[cls];
      b = new TokenBucket(budget.burst, budget.perSecond, now);
      this.buckets.set(cls, b);
    }
    return b.take(now);
  }
}

/**
 * At most one log line per key (a client) per period; the next line that passes tells how many were
 * left out. Bounded: keys not seen for a period are forgotten.
 */
export class LogThrottle {
  private readonly seen = new Map<string, { until: number; suppressed: number }>();

  readonly periodMs: number;

  constructor(periodMs = 60_000) {
    this.periodMs = periodMs;
  }

  /** Whether to log now, and how many lines of this key were left out since the last one. */
  pass(key: string, now: number): { log: boolean; suppressed: number } {
    const s = this.seen.get(key);
    if (s && now < s.until) {
      s.suppressed++;
      return { log: false, suppressed: s.suppressed };
    }
    const suppressed = s?.suppressed ?? 0;
    this.seen.set(key, { until: now + this.periodMs, suppressed: 0 });
    if (this.seen.size > 10_000) for (const [k, v] of this.seen) if (v.until < now) this.seen.delete(k);
    return { log: true, suppressed };
  }
}
