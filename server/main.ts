/**
 * `npm start`: serves the game server and the built client on one port (`PORT`, default 2567).
 * SIGTERM/SIGINT: Colyseus disconnects the rooms and closes the port, then the process exits.
 */
import { createApp } from './app.ts';
import { createLogger } from './log.ts';

const logger = createLogger();
const port = Number(process.env.PORT ?? 2567);
const { server, context } = createApp({ logger });

if (context.catalog.entries.size === 0) logger.warn('no scenario loaded: check BAMBOO_SCENARIO_DIRS or scenarios/');

server.onShutdown(() => {
  logger.info('server stopped');
});

await server.listen(port);
const url = `http://localhost:${port}/`;
logger.info({ port, scenarios: [...context.catalog.entries.keys()], monitor: Boolean(process.env.MONITOR_PASSWORD) }, 'listening');
console.log(`\n  Bamboo is running: open ${url}\n`);
