/**
 * Ack latency (request → reply, rejections included) in an HDR histogram, and the counts of sent
 * messages, engine/server rejections (by code) and errors (timeouts, closed connections).
 */
import { build, type Histogram } from 'hdr-histogram-js';

export interface Requester {
  request(type: string, payload?: unknown, options?: { timeout?: number }): Promise<unknown>;
}

export type Outcome = { ok: true } | { ok: false; rejected: true; code: string } | { ok: false; rejected: false; error: string };

export class Metrics {
  /** Microseconds. */
  readonly ack: Histogram = build({ lowestDiscernibleValue: 1, highestTrackableValue: 120_000_000, numberOfSignificantValueDigits: 3 });
  sent = 0;
  ok = 0;
  readonly byType = new Map<string, number>();
  readonly rejections = new Map<string, number>();
  readonly errors = new Map<string, number>();
  /** Only messages sent while `counting` are recorded (the load window). */
  counting = true;

  async send(room: Requester, type: string, payload: unknown, timeoutMs = 10_000): Promise<Outcome> {
    const counted = this.counting;
    if (counted) {
      this.sent++;
      this.byType.set(type, (this.byType.get(type) ?? 0) + 1);
    }
    const t0 = performance.now();
    try {
      await room.request(type, payload, { timeout: timeoutMs });
      if (counted) {
        this.ack.recordValue(Math.max(1, Math.round((performance.now() - t0) * 1000)));
        this.ok++;
      }
      return { ok: true };
    } catch (e) {
      const err = e as { name?: string; message?: string; reason?: { code?: string }; code?: unknown };
      const code = err?.reason?.code ?? (err?.name === 'rejected' ? 'rejected' : undefined);
      if (code !== undefined) {
        if (counted) {
          this.ack.recordValue(Math.max(1, Math.round((performance.now() - t0) * 1000)));
          this.rejections.set(`${type}:${code}`, (this.rejections.get(`${type}:${code}`) ?? 0) + 1);
        }
        return { ok: false, rejected: true, code: String(code) };
      }
      const msg = String(err?.message ?? e).replace(/\d+/g, 'N').slice(0, 80);
      if (counted) this.errors.set(`${type}: ${msg}`, (this.errors.get(`${type}: ${msg}`) ?? 0) + 1);
      return { ok: false, rejected: false, error: msg };
    }
  }

  noteError(what: string): void {
    this.errors.set(what, (this.errors.get(what) ?? 0) + 1);
  }

  total(m: Map<string, number>): number {
    let n = 0;
    for (const v of m.values()) n += v;
    return n;
  }

  /** Milliseconds. */
  latency(): { p50: number; p95: number; p99: number; max: number; count: number } {
    const h = this.ack;
    return {
      p50: h.getValueAtPercentile(50) / 1000,
      p95: h.getValueAtPercentile(95) / 1000,
      p99: h.getValueAtPercentile(99) / 1000,
      max: h.maxValue / 1000,
      count: h.totalCount,
    };
  }
}
