/**
 * Per-address rate limits (express-rate-limit): session creation, and guessing join codes. The address
 * is express's `req.ip`: the socket's peer unless `TRUST_PROXY` says which proxies to believe. IPv6
 * clients are grouped by /56, as one household or school gets one. Refusals are 429 JSON with
 * `Retry-After` (seconds).
 *
 * The counts live in this process's memory, or, with `REDIS_URL` (several processes), in Redis
 * (rate-limit-redis over ioredis, one key per limiter and address, `bamboo:rl:<limiter>:<address>`),
 * so that every process counts against the same quota.
 */
import type express from 'express';
import { rateLimit, type Store } from 'express-rate-limit';
import { Redis } from 'ioredis';
import { RedisStore } from 'rate-limit-redis';
import type { HttpSecurity, RateLimit } from './config.ts';
import { sendError } from './errors.ts';

export interface Limiters {
  sessions: express.RequestHandler;
  joins: express.RequestHandler;
  /** Counts only refused lookups and joins (status >= 400): what a guesser mostly gets. */
  misses: express.RequestHandler;
  /** Publishing scenarios from the workshop. */
  publish: express.RequestHandler;
}

const pass: express.RequestHandler = (_req, _res, next) => next();

/** The Redis connections the limiters use, one per URL (each process's gate shares it). */
const clients = new Map<string, Redis>();

function redisStore(url: string, name: string): Store {
  let client = clients.get(url);
  if (!client) {
    // lazyConnect false, offline queue on: commands sent before the connection is up wait for it.
    client = new Redis(url, { maxRetriesPerRequest: 2 });
    client.on('error', () => {
      /* ioredis reconnects by itself; a request that fails meanwhile is let through (passOnStoreError) */
    });
    clients.set(url, client);
  }
  const c = client;
  return new RedisStore({ prefix: `bamboo:rl:${name}:`, sendCommand: (command: string, ...args: string[]) => c.call(command, ...args) as never });
}

/** Closes the Redis connections of the limiters (tests; a server process simply exits). */
export async function closeLimiterStores(): Promise<void> {
  const all = [...clients.values()];
  clients.clear();
  await Promise.all(all.map((c) => c.quit().catch(() => c.disconnect())));
}

function limiter(
  l: RateLimit,
  name: string,
  redisUrl: string | undefined,
  message: string,
  extra: { skipSuccessfulRequests?: boolean } = {},
): express.RequestHandler {
  if (l.limit <= 0) return pass;
  return rateLimit({
    ...(redisUrl ? { store: redisStore(redisUrl, name), passOnStoreError: true } : {}),
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

/** The limiters; with `redisUrl` their counts are shared by every process using that Redis. */
export function createLimiters(limits: HttpSecurity['limits'], redisUrl?: string): Limiters {
  return {
    sessions: limiter(limits.sessions, 'sessions', redisUrl, 'Too many sessions created from this address. Try again later.'),
    joins: limiter(limits.joins, 'joins', redisUrl, 'Too many join attempts from this address. Try again in a moment.'),
    misses: limiter(limits.misses, 'misses', redisUrl, 'Too many wrong join codes from this address. Try again later.', { skipSuccessfulRequests: true }),
    publish: limiter(limits.publish, 'publish', redisUrl, 'Too many scenarios published from this address. Try again later.'),
  };
}
