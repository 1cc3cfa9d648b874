/**
 * Running several server processes: with `REDIS_URL` set, sessions, join codes and seat reservations
 * live in Redis (Colyseus's Redis presence and driver), so a player can reach a session through any
 * process. `PUBLIC_ADDRESS` (host:port, or host/path) is the address clients use to reach *this*
 * process; set it when processes sit behind a balancer, so seat reservations point at the right one.
 */
import { matchMaker } from '@colyseus/core';
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

/**
 * Before a session lost by another process is re-created here (server/persistence/index.ts). Colyseus
 * keeps a killed process's room listings in Redis until someone health-checks that process: a join
 * would be sent to the dead process. Asking it (2 s when it does not answer) removes its listings,
 * so joins reach the new room; if it answers, it is alive and the session stays there (false).
 * A cleanup of the dead process run elsewhere at the same moment may remove the new listing too:
 * this process lists its rooms again a little later (`restoreMissingRoomCaches`).
 */
export async function forgetLostRoom(orphan: { code: string }): Promise<boolean> {
  const listed = await matchMaker.getRoomById(orphan.code);
  if (listed && listed.processId !== matchMaker.processId) {
    if (await matchMaker.healthCheckProcessId(listed.processId)) return false;
  }
  setTimeout(() => {
    matchMaker.restoreMissingRoomCaches().catch(() => undefined);
  }, 2500).unref();
  return true;
}

/**
 * With several processes: every `everyMs`, lists this process's rooms and sessions again where Redis
 * lost them (a Redis restarted empty would otherwise leave every running session unreachable).
 */
export function startRelisting(logger: { warn(o: object, m: string): void }, everyMs = 5000): () => void {
  let busy = false;
  const timer = setInterval(async () => {
    if (busy) return;
    busy = true;
    try {
      await matchMaker.restoreMissingRoomCaches();
      const mine = await matchMaker.query({ name: 'session', processId: matchMaker.processId });
      const relisted: string[] = [];
      for (const listing of mine) {
        const room = matchMaker.getLocalRoomById(listing.roomId) as { relist?: () => Promise<boolean> } | undefined;
        if (await room?.relist?.()) relisted.push(listing.roomId);
      }
      if (relisted.length > 0) logger.warn({ sessions: relisted }, 'sessions listed again in Redis (it had lost them)');
    } catch {
      /* Redis unreachable: the next round tries again */
    } finally {
      busy = false;
    }
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * Creates a session room in THIS process (not wherever Colyseus would place it): the process that
 * answered the request hosts the session, so the proxy in front spreads sessions over the processes,
 * a workshop draft (known only to the process it was sent to) finds its scenario, and a session
 * re-opened from the record is hosted by the process that owns it in the record.
 */
export function createSessionHere(options: Record<string, unknown>) {
  return matchMaker.handleCreateRoom('session', options);
}
