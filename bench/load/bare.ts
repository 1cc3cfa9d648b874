/**
 * The reference half of the load bench: the same number of clients, in rooms of the same size, send
 * the same mix of message types to bare-server.ts at the same total rate as Bamboo received.
 */
import type { Client as SdkClient } from '@colyseus/sdk';
import { pool } from './bamboo.ts';
import type { Metrics } from './metrics.ts';
import type { RoomLike } from './student.ts';

type ClientCtor = new (url: string) => SdkClient;

const PAYLOADS: Record<string, unknown> = {
  chat: { to: ['vietnam'], text: 'Turn 1: russia would like to talk about the coming month. Are you in?' },
  propose: { to: 'vietnam', terms: [{ power: 'russia', type: 'refrain', kind: 'pressure', target: 'vietnam', from_turn: 1, to_turn: 1 }] },
  respond: { proposal: 'p12', accept: true },
  ready: { ready: true },
  set_orders: { orders: [{ move: 'state_visit', target: 'vietnam' }, { move: 'bamboo_outreach' }] },
  fac_start: {},
  fac_end_phase: { table: 't1' },
};

export async function runBare(o: {
  url: string;
  Client: ClientCtor;
  clients: number;
  roomSize: number;
  /** Messages per second, all clients together. */
  rate: number;
  /** Message types and their share. */
  mix: Map<string, number>;
  durationMs: number;
  metrics: Metrics;
  joinConcurrency: number;
  onLoadStart: () => void;
  log: (s: string) => void;
}): Promise<{ seconds: number; rooms: RoomLike[] }> {
  const client = new o.Client(o.url);
  const rooms: RoomLike[] = [];
  const groups: number[] = [];
  for (let left = o.clients; left > 0; left -= o.roomSize) groups.push(Math.min(o.roomSize, left));
  await pool(groups, Math.max(1, Math.ceil(o.joinConcurrency / 4)), async (size) => {
    const first = (await client.create('bare', {})) as unknown as RoomLike & { roomId: string };
    rooms.push(first);
    await pool(Array.from({ length: size - 1 }), 4, async () => {
      rooms.push((await client.joinById(first.roomId, {})) as unknown as RoomLike);
    });
  });
  o.log(`bare: joined ${rooms.length} clients`);
  const types: string[] = [];
  const total = [...o.mix.values()].reduce((a, b) => a + b, 0) || 1;
  for (const [type, n] of o.mix) for (let i = 0; i < Math.max(1, Math.round((n / total) * 1000)); i++) types.push(type);
  const meanGapMs = (rooms.length / Math.max(o.rate, 0.001)) * 1000;
  let stopped = false;
  o.onLoadStart();
  const t0 = performance.now();
  const loops = rooms.map(async (room) => {
    // Start spread over one gap so that clients do not send in lockstep.
    await new Promise((r) => setTimeout(r, Math.random() * meanGapMs));
    while (!stopped) {
      const type = types[Math.floor(Math.random() * types.length)] ?? 'ready';
      await o.metrics.send(room, type, PAYLOADS[type] ?? {});
      await new Promise((r) => setTimeout(r, meanGapMs * (0.5 + Math.random())));
    }
  });
  await new Promise((r) => setTimeout(r, o.durationMs));
  stopped = true;
  await Promise.all(loops);
  return { seconds: (performance.now() - t0) / 1000, rooms };
}
