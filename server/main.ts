/**
 * `npm start`: serves the game server and the built client on one port (`PORT`, default 2567).
 * SIGTERM/SIGINT: Colyseus disconnects the rooms and closes the port, then the process exits.
 */
import { createApp } from './app.ts';
import { createLogger } from './log.ts';
import { Persistence } from './persistence/index.ts';
import { forgetLostRoom, scaleOutOptions, startRelisting } from './scale.ts';

const logger = createLogger();
// A promise nobody awaited must not take every class down with it: log it (the record keeps the games).
let rejections = 0;
process.on('unhandledRejection', (reason) => {
  if (++rejections <= 20) logger.error({ error: String(reason), stack: reason instanceof Error ? reason.stack?.split('\n').slice(0, 4).join(' | ') : undefined }, 'unhandled rejection');
});
const port = Number(process.env.PORT ?? 2567);

// Issues 6 and 14: the record (DATABASE_PATH, or DATABASE_URL for PostgreSQL). A database that cannot be
// used stops the start, never a silent fresh start.
let persistence: Persistence;
try {
  persistence = await Persistence.open({ logger });
} catch (e) {
  logger.fatal({ error: String(e) }, 'cannot open the database');
  console.error(`\n  Bamboo cannot start. ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
}
const { server, context, security, watcher } = createApp({ logger, recorder: persistence.recorder, routes: persistence.routes, ...scaleOutOptions() });
persistence.attach(context);
// With a shared record, the scenarios published through other processes are in the list from the start.
await persistence.library?.sync();
server.onBeforeShutdown(() => persistence.stopping());
// Several processes (REDIS_URL and DATABASE_URL): a session taken over from a lost process is listed here, not there.
persistence.beforeTakeover = forgetLostRoom;

if (context.catalog.entries.size === 0) logger.warn('no scenario loaded: check BAMBOO_SCENARIO_DIRS or scenarios/');

server.onShutdown(async () => {
  watcher?.close();
  await persistence.close();
  logger.info('server stopped');
});

await server.listen(port);
await persistence.purge();
await persistence.restoreAll(context);
persistence.startLease(context);
if (process.env.REDIS_URL) startRelisting(logger);
persistence.startRetention();
persistence.startBackups();
const url = `http://localhost:${port}/`;
logger.info(
  {
    port,
    record: persistence.describe,
    server: persistence.lease.id,
    scenarios: [...context.catalog.entries.keys()],
    monitor: Boolean(process.env.MONITOR_PASSWORD),
    // docs/security.md: what each limit is and how to change it.
    http: { maxBodyBytes: security.maxBodyBytes, trustProxy: security.trustProxy, corsOrigins: security.corsOrigins, limits: security.limits },
  },
  'listening',
);
console.log(`\n  Bamboo is running: open ${url}\n`);
