/**
 * Which other web origins may call the server. By default none: the client is served from the same
 * origin and needs no CORS. `CORS_ORIGINS` lists others (a separately hosted client, Vite's dev server).
 * Colyseus answers CORS (and every OPTIONS) itself, reflecting any Origin with credentials; this
 * replaces its policy, and checks the Origin of WebSocket upgrades (browsers always send one).
 */
import type { IncomingMessage } from 'node:http';
import { matchMaker } from '@colyseus/core';

export type CorsPolicy = (origin: string | undefined) => Record<string, string>;

export function corsPolicy(allowed: readonly string[]): CorsPolicy {
  const set = new Set(allowed);
  return (origin): Record<string, string> => {
    // Vary, so that a shared cache never hands one origin's answer to another.
    if (!origin || !set.has(origin)) return set.size > 0 ? { Vary: 'Origin' } : {};
    return {
      'Access-Control-Allow-Origin': origin,
      'Access-Control-Allow-Credentials': 'true',
      'Access-Control-Allow-Methods': 'GET,HEAD,POST,DELETE',
      'Access-Control-Allow-Headers': 'Content-Type, Authorization, X-Facilitator-Secret, X-Requested-With, Accept',
      'Access-Control-Max-Age': '600',
      Vary: 'Origin',
    };
  };
}

/** Makes Colyseus's own CORS listener (it runs for every request, OPTIONS included) use the policy. */
export function applyCorsToColyseus(policy: CorsPolicy): void {
  (matchMaker.controller as { DEFAULT_CORS_HEADERS: Record<string, string> }).DEFAULT_CORS_HEADERS = {};
  matchMaker.controller.getCorsHeaders = (headers: Headers) => policy(headers.get('origin') ?? undefined);
}

/**
 * A WebSocket upgrade is let through without an Origin (not a browser: the SDK in Node, tests), from
 * the server's own origin (the Origin's host is the Host header), or from a listed origin.
 */
export function websocketOriginAllowed(req: IncomingMessage, allowed: readonly string[]): boolean {
  const origin = req.headers.origin;
  if (!origin) return true;
  if (allowed.includes(origin)) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}
