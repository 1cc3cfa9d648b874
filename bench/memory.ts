/**
 * `npm run bench:memory [-- SESSIONS]`: what a table costs the server's memory, measured after garbage
 * collection (RSS peaks under load, as bench:load prints them, include garbage not yet collected).
 * Creates SESSIONS sessions of 6 Hanoi tables in-process, plays every table to the end with bots,
 * and prints the heap and array buffers per table when created, mid-game and at the end.
 */
import { matchMaker } from '@colyseus/core';
import pino from 'pino';
import { createApp } from '../server/app.ts';
import type { SessionRoom } from '../server/SessionRoom.ts';

const sessions = Number(process.argv[2] ?? 20);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) {
  console.error('run with --expose-gc (npm run bench:memory does)');
  process.exit(1);
}
const { server } = createApp({ scenarioDirs: ['scenarios'], recorder: { record() {} }, logger: pino({ level: 'silent' }), clientDir: '/nonexistent', internalToken: 'bench' });
await server.listen(0 as unknown as number);

function measure(): { heap: number; buffers: number } {
  gc!();
  gc!();
  const m = process.memoryUsage();
  return { heap: m.heapUsed, buffers: m.arrayBuffers };
}
const tables = sessions * 6;
const idle = measure();
const show = (label: string, m: { heap: number; buffers: number }) =>
  console.log(`${label.padEnd(18)} heap ${((m.heap - idle.heap) / tables / 1024).toFixed(0).padStart(5)} KB/table   encoder buffers ${((m.buffers - idle.buffers) / tables / 1024).toFixed(0).padStart(5)} KB/table`);

const rooms: SessionRoom[] = [];
for (let i = 0; i < sessions; i++) {
  const r = await matchMaker.createRoom('session', { scenario: 'hanoi_2024', tables: 6, settings: { negotiationSeconds: 0, ordersSeconds: 0 }, secretHash: 'a'.repeat(64) });
  rooms.push(matchMaker.getLocalRoomById(r.roomId) as unknown as SessionRoom);
}
console.log(`${sessions} sessions, ${tables} tables, bots in every seat (no connections: each costs about 100 KB more, see bench:load)`);
show('created', measure());
const play = (phases: number) => {
  for (const room of rooms) {
    for (const t of room.tables.values()) {
      if (t.status === 'waiting') t.start(`bench-${room.code}-${t.id}`);
      for (let k = 0; k < phases; k++) t.endPhase();
    }
    room.syncAll();
  }
};
play(8);
show('mid-game (turn 5)', measure());
play(40);
show('ended', measure());
process.exit(0);
