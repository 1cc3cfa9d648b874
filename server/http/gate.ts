/**
 * The front gate: runs before anything else on the HTTP server, Colyseus's matchmaker (`/matchmake/*`),
 * its CORS listener and OPTIONS answers included, which express middleware never sees (Colyseus puts
 * its own `request` listener in front of express).
 *
 * The gate is an http.Server whose `request` event first goes through a small express app (security
 * headers, CORS, the body cap, the rate limits); only what it lets through is emitted to the listeners
 * Colyseus and express registered. It works the same whoever calls `listen()` (server/main.ts, or
 * @colyseus/testing's `boot()`). WebSocket upgrades from a foreign browser origin are refused here too.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import express from 'express';
import type { Logger } from '../log.ts';
import type { HttpSecurity } from './config.ts';
import { type CorsPolicy, websocketOriginAllowed } from './cors.ts';
import { describeError, sendError } from './errors.ts';
import { securityHeaders } from './headers.ts';
import { createLimiters } from './limits.ts';

type Gate = (req: IncomingMessage, res: ServerResponse, pass: () => void) => void;

export class GatedServer extends http.Server {
  gate?: Gate;
  upgradeGate?: (req: IncomingMessage, socket: Duplex) => boolean;

  // biome-ignore lint/suspicious/noExplicitAny: EventEmitter's own signature
  override emit(event: string | symbol, ...args: any[]): boolean {
    if (event === 'request' && this.gate) {
      const [req, res] = args as [IncomingMessage, ServerResponse];
      this.gate(req, res, () => super.emit('request', req, res));
      return true;
    }
    if (event === 'upgrade' && this.upgradeGate && !this.upgradeGate(args[0], args[1])) return true;
    return super.emit(event, ...args);
  }
}

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/**
 * Refuses, before a byte of it is read, a body above `max` bytes, a chunked body (its size is unknown
 * in advance), and a POST/PUT/PATCH without Content-Length. Node's parser never reads past the length.
 */
export function bodyCap(max: number): express.RequestHandler {
  return (req, res, next) => {
    const te = req.headers['transfer-encoding'];
    const cl = req.headers['content-length'];
    if (te !== undefined || (cl === undefined && BODY_METHODS.has(req.method))) {
      res.setHeader('Connection', 'close');
      return sendError(res, 413, `Send a request body with a Content-Length of at most ${max} bytes.`, 'length_required');
    }
    if (cl !== undefined && !(Number(cl) <= max)) {
      res.setHeader('Connection', 'close');
      return sendError(res, 413, `The request body is too large (at most ${max} bytes).`, 'body_too_large');
    }
    next();
  };
}

export function createGate(security: HttpSecurity, cors: CorsPolicy, logger: Logger): Gate {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', security.trustProxy);
  const limits = createLimiters(security.limits, security.rateLimitRedis);

  // CORS headers first, so that a cross-origin caller that is allowed can read a 413 or a 429 too
  // (Colyseus's listener sets the same ones again for what passes).
  app.use((req, res, next) => {
    for (const [k, v] of Object.entries(cors(req.headers.origin))) res.setHeader(k, v);
    next();
  });
  app.use(securityHeaders({ connectSrc: security.connectSrc }));
  app.use(bodyCap(security.maxBodyBytes));

  // Plain middleware, not routes: express would answer OPTIONS for a route itself, and decode its params.
  // Case-insensitive and with an optional trailing slash, as express routes these paths.
  const rules: [string[], RegExp, express.RequestHandler[]][] = [
    [['POST'], /^\/api\/sessions\/?$/i, [limits.sessions]],
    // Publishing: its own quota, and refusals (a wrong designer password) count as guesses.
    [['POST'], /^\/api\/scenarios\/?$/i, [limits.publish, limits.misses]],
    [['POST'], /^\/api\/games\/?$/i, [limits.sessions]],
    [['GET', 'HEAD'], /^\/api\/games\/?$/i, [limits.joins]],
    [['POST'], /^\/api\/my-games\/?$/i, [limits.joins]],
    [['POST'], /^\/api\/games\/[^/]+\/(close|players|remove)\/?$/i, [limits.joins, limits.misses]],
    [['GET', 'HEAD'], /^\/api\/sessions\/[^/]+\/?$/i, [limits.joins, limits.misses]],
    [['POST'], /^\/matchmake\/joinById\/[^/]+\/?$/i, [limits.joins, limits.misses]],
    [['POST'], /^\/matchmake\/reconnect\/[^/]+\/?$/i, [limits.joins]],
  ];
  for (const [methods, path, handlers] of rules) {
    app.use((req, res, next) => {
      if (!methods.includes(req.method) || !path.test(req.path)) return next();
      const run = (i: number, err?: unknown): void => {
        if (err || i === handlers.length) return next(err);
        handlers[i]!(req, res, (e?: unknown) => run(i + 1, e));
      };
      run(0);
    });
  }

  const handle = (app as unknown as { handle(req: IncomingMessage, res: ServerResponse, done: (err?: unknown) => void): void }).handle.bind(app);
  return (req, res, pass) => {
    handle(req, res, (err) => {
      if (!err) return pass();
      const [status, message, code] = describeError(err);
      if (status >= 500) logger.error({ error: String(err), stack: (err as Error)?.stack }, 'request gate failed');
      sendError(res, status, message, code);
    });
  };
}

/** Installs the gate and the WebSocket origin check on the server. */
export function installGate(server: GatedServer, security: HttpSecurity, cors: CorsPolicy, logger: Logger): void {
  server.gate = createGate(security, cors, logger);
  server.upgradeGate = (req, socket) => {
    if (websocketOriginAllowed(req, security.corsOrigins)) return true;
    const body = JSON.stringify({ error: 'This origin may not connect.', code: 'origin_refused' });
    socket.end(`HTTP/1.1 403 Forbidden\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
    return false;
  };
}
