/**
 * Automatic seating: where the next student goes. Tables fill one after the other, and within a table
 * the delegations fill evenly (the smallest first, in the scenario's order), up to the session's
 * delegation size. A waiting table comes first; then, in a running table, a seat a bot holds because
 * nobody took it, then a delegation with room.
 */
import type { Table } from './table.ts';

export function chooseSeat(tables: Table[], size: number): { table: Table; power: string } | undefined {
  const smallest = (table: Table, ok: (members: number, botReason: string) => boolean) => {
    let best: { power: string; members: number } | undefined;
    for (const seat of table.seats.values()) {
      if (seat.members.length >= size || !ok(seat.members.length, seat.botReason)) continue;
      if (!best || seat.members.length < best.members) best = { power: seat.power, members: seat.members.length };
    }
    return best ? { table, power: best.power } : undefined;
  };
  for (const table of tables) {
    if (table.started()) continue;
    const found = smallest(table, () => true);
    if (found) return found;
  }
  const running = tables.filter((t) => t.status === 'running' || t.status === 'paused');
  for (const table of running) {
    const found = smallest(table, (members, reason) => members === 0 && reason === 'empty');
    if (found) return found;
  }
  for (const table of running) {
    const found = smallest(table, (members) => members > 0);
    if (found) return found;
  }
  return undefined;
}
