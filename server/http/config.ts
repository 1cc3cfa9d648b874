/**
 * The HTTP layer's security settings, read from the environment (docs/security.md lists them).
 * `createApp({ security })` overrides any of them (tests lower the rate limits this way).
 */

/** `limit` requests per `windowMs` per client address; `limit: 0` turns the limiter off. */
export interface RateLimit {
  limit: number;
  windowMs: number;
}

export interface HttpSecurity {
  /** The largest request body any route accepts, Colyseus's matchmaker included (`MAX_BODY_BYTES`). */
  maxBodyBytes: number;
  /**
   * Express's `trust proxy` (`TRUST_PROXY`): false (the default) keys clients by the socket's address
   * and ignores X-Forwarded-For; a number of proxy hops, or addresses/subnets of the proxies.
   */
  trustProxy: boolean | number | string;
  /** Other origins allowed to call the API and open WebSockets (`CORS_ORIGINS`); same origin always is. */
  corsOrigins: string[];
  /** Extra CSP connect-src sources (`CSP_CONNECT_SRC`), e.g. the WebSocket addresses of other processes. */
  connectSrc: string[];
  /**
   * Where the rate limits count: a Redis URL shared by every process (`REDIS_URL`, as for Colyseus's
   * presence), so that an address gets one quota across them; unset: this process's memory.
   */
  rateLimitRedis?: string | undefined;
  limits: {
    /** `POST /api/sessions` (`RATE_LIMIT_SESSIONS`, default 20 per 10 min). */
    sessions: RateLimit;
    /** `GET /api/sessions/:code`, `POST /matchmake/joinById/*` and `/matchmake/reconnect/*` (`RATE_LIMIT_JOINS`, default 300 per min). */
    joins: RateLimit;
    /** Failed lookups and joins by code, i.e. guesses (`RATE_LIMIT_MISSES`, default 100 per 10 min). */
    misses: RateLimit;
    /** `POST /api/scenarios`, publishing from the workshop (`RATE_LIMIT_PUBLISH`, default 30 per 10 min). */
    publish: RateLimit;
  };
}

export type HttpSecurityOptions = Partial<Omit<HttpSecurity, 'limits'>> & { limits?: Partial<HttpSecurity['limits']> };

export const DEFAULT_SECURITY: HttpSecurity = {
  maxBodyBytes: 64 * 1024,
  trustProxy: false,
  corsOrigins: [],
  connectSrc: [],
  limits: {
    sessions: { limit: 20, windowMs: 10 * 60_000 },
    joins: { limit: 300, windowMs: 60_000 },
    misses: { limit: 100, windowMs: 10 * 60_000 },
    publish: { limit: 30, windowMs: 10 * 60_000 },
  },
};

const list = (s: string | undefined): string[] => (s ?? '').split(/[\s,]+/).filter(Boolean);

function positiveInt(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, not "${value}".`);
  return n;
}

/** `N/SECONDS` (N requests per SECONDS), `N` (per the default window), or `0`/`off`. */
export function parseRateLimit(name: string, value: string | undefined, fallback: RateLimit): RateLimit {
  if (value === undefined || value.trim() === '') return fallback;
  const v = value.trim().toLowerCase();
  if (v === 'off') return { limit: 0, windowMs: fallback.windowMs };
  const [n, secs] = v.split('/');
  const limit = positiveInt(name, n ?? '');
  const windowMs = secs === undefined ? fallback.windowMs : positiveInt(name, secs) * 1000;
  if (windowMs === 0) throw new Error(`${name}: the window must be at least one second.`);
  return { limit, windowMs };
}

/** `TRUST_PROXY`: unset/false/0 → false; true → 1 hop; a number → that many hops; else addresses/subnets. */
export function parseTrustProxy(value: string | undefined): HttpSecurity['trustProxy'] {
  const v = (value ?? '').trim();
  if (v === '' || v === 'false' || v === '0') return false;
  if (v === 'true') return 1;
  if (/^\d+$/.test(v)) return Number(v);
  return list(v).join(',');
}

/** Origins as the browser sends them: scheme://host[:port], no path, no trailing slash. */
function origin(name: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${name}: "${value}" is not an origin like https://school.example.org.`);
  }
  return url.origin;
}

export function securityFromEnv(env: NodeJS.ProcessEnv = process.env): HttpSecurity {
  const d = DEFAULT_SECURITY;
  return {
    maxBodyBytes: env.MAX_BODY_BYTES ? positiveInt('MAX_BODY_BYTES', env.MAX_BODY_BYTES) : d.maxBodyBytes,
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    corsOrigins: list(env.CORS_ORIGINS).map((o) => origin('CORS_ORIGINS', o)),
    connectSrc: list(env.CSP_CONNECT_SRC),
    rateLimitRedis: env.REDIS_URL || undefined,
    limits: {
      sessions: parseRateLimit('RATE_LIMIT_SESSIONS', env.RATE_LIMIT_SESSIONS, d.limits.sessions),
      joins: parseRateLimit('RATE_LIMIT_JOINS', env.RATE_LIMIT_JOINS, d.limits.joins),
      misses: parseRateLimit('RATE_LIMIT_MISSES', env.RATE_LIMIT_MISSES, d.limits.misses),
      publish: parseRateLimit('RATE_LIMIT_PUBLISH', env.RATE_LIMIT_PUBLISH, d.limits.publish),
    },
  };
}

/** The environment's settings with the given ones on top. */
export function resolveSecurity(options: HttpSecurityOptions = {}, env: NodeJS.ProcessEnv = process.env): HttpSecurity {
  const base = securityFromEnv(env);
  return {
    ...base,
    ...Object.fromEntries(Object.entries(options).filter(([k, v]) => k !== 'limits' && v !== undefined)),
    limits: { ...base.limits, ...options.limits },
  } as HttpSecurity;
}
