/** Entry point: styles, routes and screens. Phaser and the map data load only with the game screen. */
import './styles.css';
import { app, parseRoute, type Route } from './app.ts';
import { LandingScreen } from './ui/landing.ts';
import { PlayerScreen } from './ui/player.ts';
import { ConsoleScreen } from './ui/console.ts';
import { WatchScreen } from './ui/watch.ts';

app.screenFactory = (route: Route) => {
  switch (route.name) {
    case 'landing':
      return { key: `landing:${route.code ?? ''}`, create: () => new LandingScreen(route.code) };
    case 'seat':
      return { key: `seat:${route.code}`, create: () => new PlayerScreen(route.code) };
    case 'console':
      return { key: `console:${route.code}`, create: () => new ConsoleScreen(route.code) };
    case 'watch':
      return { key: `watch:${route.code}:${route.table ?? ''}`, create: () => new WatchScreen(route.code, route.table) };
  }
};

function onRoute(): void {
  app.route = parseRoute(location.hash);
  app.render(true);
}
window.addEventListener('hashchange', onRoute);
window.addEventListener('popstate', onRoute);
onRoute();
