/**
 * Per-address rate limits (express-rate-limit, in-process memory store): session creation, and
 * guessing join codes. The address is express's `req.ip`: the socket's peer unless `TRUST_PROXY` says
 * which proxies to believe. IPv6 clients are grouped by /56, as one household or school gets one.
 * Refusals are 429 JSON with `Retry-After` (seconds).
 */
import type express from 'express';
import { rateLimit } from 'express-rate-limit';
import type { HttpSecurity, RateLimit } from './config.ts';
import { sendError } from './errors.ts';

export interface Limiters {
  sessions: express.RequestHandler;
  joins: express.RequestHandler;
  /** Counts only refused lookups and joins (status >= 400): what a guesser mostly gets. */
  misses: express.RequestHandler;
}

const pass: express.RequestHandler = (_req, _res, next) => next();

function limiter(l: RateLimit, message: string, extra: { skipSuccessfulRequests?: boolean } = {}): express.RequestHandler {
  if (l.limit <= 0) return pass;
  return rateLimit({
    windowMs: l.windowMs,
    limit: l.limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    ...extra,
    handler: (_req, res) => sendError(res, 429, message, 'rate_limited'),
    // We ignore X-Forwarded-For on purpose unless TRUST_PROXY is set: no warning for a spoofed one.
    validate: { xForwardedForHeader: false },
  });
}

export function createLimiters(limits: HttpSecurity['limits']): Limiters {
  return {
    sessions: limiter(limits.sessions, 'Too many sessions created from this address. Try again later.'),
    joins: limiter(limits.joins, 'Too many join attempts from this address. Try again in a moment.'),
    misses: limiter(limits.misses, 'Too many wrong join codes from this address. Try again later.', { skipSuccessfulRequests: true }),
  };
}
