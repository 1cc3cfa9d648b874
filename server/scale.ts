/**
 * Running several server processes: with `REDIS_URL` set, sessions, join codes and seat reservations
 * live in Redis (Colyseus's Redis presence and driver), so a player can reach a session through any
 * process. `PUBLIC_ADDRESS` (host:port, or host/path) is the address clients use to reach *this*
 * process; set it when processes sit behind a balancer, so seat reservations point at the right one.
 */
import { RedisDriver } from '@colyseus/redis-driver';
import { RedisPresence } from '@colyseus/redis-presence';
import type { AppOptions } from './app.ts';

export function scaleOutOptions(env: NodeJS.ProcessEnv = process.env): Pick<AppOptions, 'presence' | 'driver' | 'publicAddress'> {
  const url = env.REDIS_URL;
  const publicAddress = env.PUBLIC_ADDRESS;
  if (!url) return publicAddress ? { publicAddress } : {};
  return {
    presence: new RedisPresence(url),
    driver: new RedisDriver(url),
    ...(publicAddress ? { publicAddress } : {}),
  };
}
