/**
 * Builds the Colyseus server: the `session` room, the HTTP API (sessions, scenarios, health), the
 * built client (dist/client, compressed, with an SPA fallback) and, behind an admin credential, the
 * monitor. In front of all of it, Colyseus's matchmaker included, sits the gate of server/http/gate.ts
 * (security headers, CORS, body cap, rate limits); see docs/security.md.
 * `server/main.ts` listens; tests pass the result to @colyseus/testing's `boot()`.
 */

import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineRoom, defineServer, matchMaker, type Presence, type Server } from '@colyseus/core';
import { monitor } from '@colyseus/monitor';
import { Encoder } from '@colyseus/schema';
import { WebSocketTransport } from '@colyseus/ws-transport';
import compression from 'compression';
import express from 'express';
import { z } from 'zod';
import { CreateGameRequestSchema, type CreateGameResponse, CreateSessionRequestSchema, type CreateSessionResponse, JOIN_CODE_LENGTH, type MyGameStatus, MyGamesRequestSchema, type OpenGameSummary, type SessionInfoResponse } from '#shared/protocol.ts';
import { draftSessionRoute } from './drafts.ts';
import { type HttpSecurity, type HttpSecurityOptions, resolveSecurity } from './http/config.ts';
import { applyCorsToColyseus, corsPolicy } from './http/cors.ts';
import { jsonErrors, notFound } from './http/errors.ts';
import { GatedServer, installGate } from './http/gate.ts';
import { clientFiles } from './http/static.ts';
import { createLogger, type Logger } from './log.ts';
import { publishRoute } from './publish.ts';
import { type GameRecorder, noopRecorder } from './recorder.ts';
import { hashSecret, newSecret, presenceKey, type ServerContext, type SessionMetadata, SessionRoom } from './SessionRoom.ts';
import { createSessionHere } from './scale.ts';
import { ScenarioCatalog } from './scenarios.ts';
import { LogThrottle, TokenBucket } from './throttle.ts';
import { type ScenarioWatcher, watchScenarioDirs } from './watch.ts';

export interface AppOptions {
  /** Directories with scenario files (default: `BAMBOO_SCENARIO_DIRS`, colon-separated, or `scenarios`). */
  scenarioDirs?: string[];
  catalog?: ScenarioCatalog;
  recorder?: GameRecorder;
  logger?: Logger;
  /** The built client (default `dist/client`). */
  clientDir?: string;
  /** Monitor credential; default `MONITOR_PASSWORD` (user `MONITOR_USER`, default `admin`). Unset: no monitor. */
  monitorUser?: string;
  monitorPassword?: string;
  /** Presence and driver (Redis for several processes); default: in-process. */
  presence?: Presence;
  driver?: matchMaker.MatchMakerDriver;
  publicAddress?: string;
  idleDisposeSeconds?: number;
  /** Secret shared by processes for restoring rooms from snapshots (`BAMBOO_INTERNAL_TOKEN`). */
  internalToken?: string;
  /** Extra HTTP routes (issue 6: records, replay, forks, debrief), added before the client's fallback. */
  routes?: (app: express.Application, context: ServerContext) => void;
  /** Body cap, rate limits, trusted proxies, CORS origins, CSP (default: the environment, server/http/config.ts). */
  security?: HttpSecurityOptions;
  /** Sessions open at once on this server (default `MAX_SESSIONS`, 500); POST /api/sessions answers 503 above. */
  maxSessions?: number;
  /** The designer credential for publishing from the workshop (default `DESIGNER_PASSWORD`); unset: publishing is off. */
  designerPassword?: string;
  /**
   * Watch the scenario directories and take new, changed and removed files at once (default on;
   * `BAMBOO_WATCH_SCENARIOS=0` turns it off). A number: the debounce in ms.
   */
  watchScenarios?: boolean | number;
}

/**
 * Colyseus's own log lines (e.g. a request frame it cannot decode logs a whole stack): the first line
 * only, each distinct line at most once a minute, and at most about 20 a minute in all.
 */
function colyseusLog(logger: Logger, level: 'warn' | 'error'): (...a: unknown[]) => void {
  const throttle = new LogThrottle(60_000);
  const overall = new TokenBucket(20, 1 / 3, Date.now());
  return (...a: unknown[]) => {
    const line = a.map(String).join(' ').split('\n')[0]!.slice(0, 300);
    const now = Date.now();
    const pass = throttle.pass(line, now);
    if (pass.log && overall.take(now)) logger[level]({ source: 'colyseus', suppressed: pass.suppressed }, line);
  };
}

export interface App {
  server: Server;
  context: ServerContext;
  /** The HTTP settings in force. */
  security: HttpSecurity;
  /** The scenario directories' watcher, if on (it never keeps the process alive; close it to stop it). */
  watcher: ScenarioWatcher | undefined;
}

/** The only matchmaker methods open over HTTP: joining a session by its code, and reconnecting. */
export const MATCHMAKE_METHODS = ['joinById', 'reconnect'];

function basicAuth(user: string, password: string): express.RequestHandler {
  const expected = 'Basic ' + Buffer.from(`${user}:${password}`).toString('base64');
  return (req, res, next) => {
    if (req.headers.authorization === expected) return next();
    res.set('WWW-Authenticate', 'Basic realm="bamboo-monitor"').status(401).send('Authentication required');
  };
}

/** The largest WebSocket frame a client may send. */
export const MAX_FRAME_BYTES = 64 * 1024;

/**
 * Each room keeps two encoder buffers of this size (notes: 4 MiB cost 12 MiB per room). With changes sent
 * as typed deltas, a session's whole state (every table's game, late in the game) stays well under it;
 * a larger state still works (the encoder grows the buffer and logs a warning).
 */
Encoder.BUFFER_SIZE = 256 * 1024;

export function createApp(options: AppOptions = {}): App {
  const logger = options.logger ?? createLogger();
  const dirs = options.scenarioDirs ?? (process.env.BAMBOO_SCENARIO_DIRS ?? 'scenarios').split(':').filter(Boolean);
  const catalog = options.catalog ?? ScenarioCatalog.load(dirs, logger);
  const watchSetting = options.watchScenarios ?? !['0', 'false', 'off'].includes((process.env.BAMBOO_WATCH_SCENARIOS ?? '').trim().toLowerCase());
  const watcher = watchSetting === false ? undefined : watchScenarioDirs(catalog, logger, typeof watchSetting === 'number' ? watchSetting : undefined);
  const designerPassword = options.designerPassword ?? process.env.DESIGNER_PASSWORD ?? '';
  const context: ServerContext = {
    catalog,
    recorder: options.recorder ?? noopRecorder,
    logger,
    internalToken: options.internalToken ?? process.env.BAMBOO_INTERNAL_TOKEN ?? newSecret(),
    idleDisposeSeconds: options.idleDisposeSeconds ?? Number(process.env.BAMBOO_IDLE_SECONDS ?? 4 * 3600),
  };
  const Room = class extends SessionRoom {
    override ctx = context;
  };
  const clientDir = resolve(options.clientDir ?? 'dist/client');
  const monitorPassword = options.monitorPassword ?? process.env.MONITOR_PASSWORD;
  const monitorUser = options.monitorUser ?? process.env.MONITOR_USER ?? 'admin';
  const security = resolveSecurity(options.security);
  const maxSessions = options.maxSessions ?? Number(process.env.MAX_SESSIONS ?? 500);
  if (!(Number.isInteger(maxSessions) && maxSessions > 0)) throw new Error('MAX_SESSIONS must be a positive whole number.');

  // Finding 1 (issue 10): `join`, `joinOrCreate` and `create` over HTTP let anyone in without a code
  // (they answer 520). Sessions are created by POST /api/sessions, on the server, in this process (createSessionHere).
  matchMaker.controller.exposedMethods = [...MATCHMAKE_METHODS];
  const cors = corsPolicy(security.corsOrigins);
  applyCorsToColyseus(cors);
  const httpServer = new GatedServer();
  installGate(httpServer, security, cors, logger);

  const server = defineServer({
    rooms: { session: defineRoom(Room) },
    ...(options.presence ? { presence: options.presence } : {}),
    ...(options.driver ? { driver: options.driver } : {}),
    ...(options.publicAddress ? { publicAddress: options.publicAddress } : {}),
    // Frames above this close the connection (ws); the protocol's own limits (drafts 8000 chars) fit.
    transport: new WebSocketTransport({ server: httpServer, maxPayload: MAX_FRAME_BYTES }),
    greet: false,
    logger: { info: () => {}, warn: colyseusLog(logger, 'warn'), error: colyseusLog(logger, 'error'), debug: () => {} },
    express: (app) => {
      app.disable('x-powered-by');
      app.set('trust proxy', security.trustProxy);
      // On-the-fly brotli/gzip for what is not precompressed (the API's JSON); skips encoded files.
      app.use(compression({ threshold: 1024 }));
      app.get('/healthz', (_req, res) => {
        // `record`: whether the last write to the record worked. Still 200 when it did not: a database
        // outage would otherwise take every process out of the proxy at once, and games go on in memory.
        const problem = (context.recorder as { problem?: string | null }).problem;
        res.json({ ok: true, scenarios: catalog.entries.size, record: problem ? 'failing' : 'ok' });
      });
      app.get('/api/scenarios', (_req, res) => {
        res.json(catalog.list());
      });
      // Publishing from the workshop (server/publish.ts): the designer credential, a YAML body.
      app.post('/api/scenarios', ...publishRoute(catalog, designerPassword, logger));
      app.get('/api/scenarios/:id', async (req, res) => {
        // `?v=HASH`: the version a session plays (its state's scenarioVersion), even after the file changed.
        const id = String(req.params.id);
        const v = typeof req.query.v === 'string' ? req.query.v : '';
        const entry = v ? await catalog.version(id, v) : catalog.get(id);
        if (!entry) {
          res.status(404).json({ error: 'No such scenario.' });
          return;
        }
        // The scenario never travels in the room state: clients fetch it once and revalidate (ETag, 304).
        res.set('Cache-Control', 'no-cache').type('application/json').send(entry.publicJson);
      });
      // A YAML body is a workshop draft played in a sandbox (server/drafts.ts); JSON goes on below.
      app.post('/api/sessions', ...draftSessionRoute(catalog, logger));
      // Finding 2/9 (issue 10): a cap on sessions, each of which is kept and restored at every restart.
      const serverFull = async (res: express.Response): Promise<boolean> => {
        const open = await matchMaker.query({ name: 'session' });
        if (open.length < maxSessions) return false;
        res.status(503).set('Retry-After', '600').json({ error: `This server already runs ${maxSessions} sessions: try again later.`, code: 'too_many_sessions' });
        return true;
      };
      app.post('/api/sessions', express.json({ limit: '16kb' }), async (req, res) => {
        const parsed = CreateSessionRequestSchema.safeParse(req.body);
        if (!parsed.success) {
          res.status(400).json({ error: z.prettifyError(parsed.error) });
          return;
        }
        if (!catalog.get(parsed.data.scenario)) {
          res.status(400).json({ error: `Unknown scenario "${parsed.data.scenario}".` });
          return;
        }
        try {
          if (await serverFull(res)) return;
          const secret = newSecret();
          const room = await createSessionHere({ ...parsed.data, secretHash: hashSecret(secret) });
          const body: CreateSessionResponse = { code: room.roomId, roomId: room.roomId, secret };
          res.status(201).json(body);
        } catch (e) {
          logger.error({ error: String(e) }, 'session creation failed');
          res.status(500).json({ error: 'Could not create the session.' });
        }
      });
      // Play now (issue 13): one table, the caller's power, bots everywhere else; it starts when they join.
      app.post('/api/games', express.json({ limit: '4kb' }), async (req, res) => {
        const parsed = CreateGameRequestSchema.safeParse(req.body);
        if (!parsed.success) {
          res.status(400).json({ error: z.prettifyError(parsed.error) });
          return;
        }
        const { scenario, power, timers, open: openGame } = parsed.data;
        const entry = catalog.get(scenario);
        if (!entry) {
          res.status(400).json({ error: `Unknown scenario "${scenario}".` });
          return;
        }
        if (!openGame && !entry.scenario.powers.some((p) => p.id === power)) {
          res.status(400).json({ error: `The scenario has no power "${power}".` });
          return;
        }
        try {
          if (await serverFull(res)) return;
          const secret = newSecret();
          const timerSettings = { negotiationSeconds: timers?.negotiationSeconds ?? 0, ordersSeconds: timers?.ordersSeconds ?? 0 };
          if (openGame) {
            // Players take a free power themselves; the game starts when full or at its time (SessionRoom.openGameStart).
            const room = await createSessionHere({ scenario, secretHash: hashSecret(secret), open: openGame, settings: { seating: 'choice', ...timerSettings } });
            const body: CreateGameResponse = { code: room.roomId, roomId: room.roomId, power: '', key: '', secret };
            res.status(201).json(body);
            return;
          }
          const key = randomBytes(16).toString('base64url');
          const room = await createSessionHere({
            scenario,
            secretHash: hashSecret(secret),
            solo: { power, keyHash: hashSecret(key) },
            // Nobody else is seated; a player who steps away keeps the seat for an hour before a bot plays it.
            settings: { seating: 'teacher', reconnectSeconds: 3600, ...timerSettings },
          });
          const body: CreateGameResponse = { code: room.roomId, roomId: room.roomId, power: power!, key, secret };
          res.status(201).json(body);
        } catch (e) {
          logger.error({ error: String(e) }, 'game creation failed');
          res.status(500).json({ error: 'Could not create the game.' });
        }
      });
      // The public list (issue 13, part 2): listed open games that wait for players, newest first.
      app.get('/api/games', async (_req, res) => {
        const rooms = await matchMaker.query({ name: 'session' });
        const list: OpenGameSummary[] = [];
        for (const r of [...rooms].reverse()) {
          const listing = (r.metadata as SessionMetadata | undefined)?.listing;
          if (listing) list.push(listing);
          if (list.length >= 200) break;
        }
        res.set('Cache-Control', 'no-store').json(list);
      });
      // My games (issue 13, part 3): for each game this browser holds a key for, where its player stands.
      app.post('/api/my-games', express.json({ limit: '8kb' }), async (req, res) => {
        const parsed = MyGamesRequestSchema.safeParse(req.body);
        if (!parsed.success) {
          res.status(400).json({ error: z.prettifyError(parsed.error) });
          return;
        }
        const out = await Promise.all(
          parsed.data.games.map(async ({ code, key }): Promise<MyGameStatus | null> => {
            try {
              const info = await matchMaker.presence.hgetall(presenceKey(code));
              if (!info?.roomId) return null;
              return (await matchMaker.remoteRoomCall(info.roomId, 'playerStatus', [hashSecret(key)])) as MyGameStatus | null;
            } catch {
              return null;
            }
          }),
        );
        res.set('Cache-Control', 'no-store').json(out.filter((g): g is MyGameStatus => g !== null));
      });
      // The creator's routes: their secret in `Authorization: Bearer`, never in the address.
      const creatorRoom = async (req: express.Request, res: express.Response): Promise<string | undefined> => {
        const code = String(req.params.code ?? '').toUpperCase();
        const info = code.length === JOIN_CODE_LENGTH ? await matchMaker.presence.hgetall(presenceKey(code)) : undefined;
        if (!info?.roomId) {
          res.status(404).json({ error: 'No such game.' });
          return undefined;
        }
        const auth = req.get('authorization') ?? '';
        const given = Buffer.from(hashSecret(auth.startsWith('Bearer ') ? auth.slice(7).trim() : ''), 'hex');
        const expected = Buffer.from(info.secretHash ?? '', 'hex');
        if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
          res.status(401).json({ error: 'Only the game\u2019s creator can do this.' });
          return undefined;
        }
        return info.roomId;
      };
      // The creator takes an open game off the list.
      app.post('/api/games/:code/close', async (req, res) => {
        const roomId = await creatorRoom(req, res);
        if (!roomId) return;
        await matchMaker.remoteRoomCall(roomId, 'closeListing', []);
        res.status(204).end();
      });
      // The creator sees who holds which country before the start, and removes a player who never came.
      app.post('/api/games/:code/players', async (req, res) => {
        const roomId = await creatorRoom(req, res);
        if (!roomId) return;
        res.set('Cache-Control', 'no-store').json(await matchMaker.remoteRoomCall(roomId, 'creatorSeats', []));
      });
      app.post('/api/games/:code/remove', express.json({ limit: '1kb' }), async (req, res) => {
        const roomId = await creatorRoom(req, res);
        if (!roomId) return;
        const participant = typeof req.body?.participant === 'string' ? req.body.participant.slice(0, 32) : '';
        const r = (await matchMaker.remoteRoomCall(roomId, 'creatorRemove', [participant])) as { ok: true } | { error: string };
        if ('error' in r) res.status(409).json({ error: r.error });
        else res.status(204).end();
      });
      app.get('/api/sessions/:code', async (req, res) => {
        const code = String(req.params.code ?? '').toUpperCase();
        if (code.length !== JOIN_CODE_LENGTH) {
          res.status(404).json({ error: 'No such session.' });
          return;
        }
        const info = await matchMaker.presence.hgetall(presenceKey(code));
        if (!info?.roomId) {
          res.status(404).json({ error: 'No such session.' });
          return;
        }
        const entry = info.scenario ? catalog.get(info.scenario) : undefined;
        const body: SessionInfoResponse = {
          code,
          roomId: info.roomId,
          scenario: info.scenario ?? '',
          title: entry?.scenario.title ?? '',
          tables: info.tables ? (JSON.parse(info.tables) as string[]) : [],
        };
        res.json(body);
      });
      options.routes?.(app, context);
      app.use('/api', notFound);
      if (monitorPassword) {
        app.use('/colyseus', basicAuth(monitorUser, monitorPassword), monitor() as unknown as express.RequestHandler);
      }
      if (existsSync(clientDir)) {
        app.use(clientFiles(clientDir));
      } else {
        app.get('/', (_req, res) => {
          res.type('text/plain').send('Bamboo server is running. The client is not built yet: run `npm run build`.');
        });
      }
      app.use(notFound);
      app.use(jsonErrors(logger));
    },
  });
  return { server, context, security, watcher };
}
