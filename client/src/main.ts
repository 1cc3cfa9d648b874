/** Entry point: styles, routes and screens. Phaser and the map data load only with the game screen; the record screens (replay, compare) when opened. */
import './styles.css';
import { app, parseRoute, type Route } from './app.ts';
import { LandingScreen } from './ui/landing.ts';
import { PlayerScreen } from './ui/player.ts';
import { WatchScreen } from './ui/watch.ts';
import { lazyScreen } from './ui/lazy.ts';
import { startNotifier } from './net/mygames.ts';

app.screenFactory = (route: Route) => {
  switch (route.name) {
    case 'landing':
      return { key: `landing:${route.code ?? ''}`, create: () => new LandingScreen(route.code) };
    case 'seat':
      return { key: `seat:${route.code}`, create: () => new PlayerScreen(route.code) };
    case 'console':
      return { key: `console:${route.code}`, create: () => lazyScreen(() => import('./ui/console.ts').then((m) => new m.ConsoleScreen(route.code))) };
    case 'watch':
      return { key: `watch:${route.code}:${route.table ?? ''}`, create: () => new WatchScreen(route.code, route.table) };
    case 'replay':
      return { key: `replay:${route.code}:${route.table}`, create: () => lazyScreen(() => import('./ui/replay.ts').then((m) => new m.ReplayScreen(route.code, route.table))) };
    case 'my':
      return { key: 'my', create: () => lazyScreen(() => import('./ui/mygames.ts').then((m) => new m.MyGamesScreen())) };
    case 'games':
      return { key: 'games', create: () => lazyScreen(() => import('./ui/games.ts').then((m) => new m.GamesScreen())) };
    case 'workshop':
      return { key: 'workshop', create: () => lazyScreen(() => import('./workshop/screen.ts').then((m) => new m.WorkshopScreen())) };
    case 'compare':
      // The chosen tables live in the screen (and the address): changing them does not make a new screen.
      return { key: `compare:${route.code}`, create: () => lazyScreen(() => import('./ui/compare.ts').then((m) => new m.CompareScreen(route.code, route.tables))) };
  }
};

function onRoute(): void {
  app.route = parseRoute(location.hash);
  app.render(true);
}
window.addEventListener('hashchange', onRoute);
// Issue 13: while a tab is open, tell the player (if they allowed it) when it is their move or a deadline nears.
startNotifier();
window.addEventListener('popstate', onRoute);
onRoute();
