// biome-ignore-all lint/suspicious/noExplicitAny: tests read decoded JSON of unknown shape
/**
 * Issue 10, the room's findings, each reproduced with real SDK clients over WebSocket:
 * 2 (a flood of spectators or failed joins locks a class out; caps on players, spectators, sessions),
 * 9 (every message type rate limited; bad frames do not flood the log), 10 (who leaves without a seat
 * is removed) and 11 (names).
 */
import { Writable } from 'node:stream';
import { Protocol } from '@colyseus/sdk';
import { encode } from '@colyseus/schema';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../shared/protocol.ts';
import { ask, createSession, decoded, join, me, refusal, table, until, useServer } from './helpers.ts';

const logLines: string[] = [];
const logStream = new Writable({
  write(chunk, _enc, done) {
    logLines.push(...String(chunk).split('\n').filter(Boolean));
    done();
  },
});

const t = useServer('each', { maxSessions: 6, logger: pino({ level: 'info' }, logStream) });

/** A join refused over HTTP: its error message ('' if it was let in). */
async function joinError(code: string, options: any): Promise<string> {
  try {
    const room = await t.colyseus.sdk.joinById(code, options);
    await room.leave();
    return '';
  } catch (e) {
    return String((e as Error).message ?? e);
  }
}

const reserved = (room: any) => Object.keys(room._reservedSeats).length;

describe('finding 2: floods cannot lock a class out', () => {
  it('caps spectators; the flood takes no seat, and players and the facilitator still get in', async () => {
    const s = await createSession(t.colyseus, { scenario: 'hanoi_2024', settings: { seating: 'auto' } });
    const alice = await join(t.colyseus, s.code, { role: 'player', name: 'Alice', key: 'alice-key-123' });
    const seat = me(alice).power;
    expect(seat).not.toBe('');

    // 200 spectator joins at once (no credential needed), and 100 wrong facilitator secrets.
    const flood = await Promise.allSettled(Array.from({ length: 200 }, (_, i) => t.colyseus.sdk.joinById(s.code, { role: 'spectator', name: `s${i}` })));
    const wrong = await Promise.all(Array.from({ length: 100 }, () => joinError(s.code, { role: 'facilitator', secret: 'not-the-secret' })));
    const inside = flood.filter((r) => r.status === 'fulfilled');
    const refused = flood.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
    expect(inside.length).toBe(LIMITS.spectators);
    expect(String(refused[0]!.reason.message)).toContain('spectators');
    expect(wrong.every((m) => m.includes('Wrong facilitator secret'))).toBe(true);
    expect(s.room.locked).toBe(false);
    expect(reserved(s.room)).toBe(0);

    // The seated student comes back (a new connection, same key) and keeps the seat; a new student and the teacher get in.
    await alice.leave(false);
    const again = await join(t.colyseus, s.code, { role: 'player', name: 'Alice', key: 'alice-key-123' });
    expect(me(again).power).toBe(seat);
    const bob = await join(t.colyseus, s.code, { role: 'player', name: 'Bob' });
    expect(me(bob).role).toBe('player');
    const teacher = await join(t.colyseus, s.code, { role: 'facilitator', secret: s.secret });
    expect(me(teacher).role).toBe('facilitator');

    // Spectators who leave free their place.
    await Promise.all(inside.map((r) => (r as PromiseFulfilledResult<any>).value.leave()));
    await until(() => [...s.room.participants.values()].every((p) => p.state.role !== 'spectator'), 'spectators gone');
    expect(await joinError(s.code, { role: 'spectator' })).toBe('');
  });

  it('caps new players, but a known player always comes back', async () => {
    const s = await createSession(t.colyseus, { scenario: 'hanoi_2024', settings: { seating: 'teacher' } });
    const first = await join(t.colyseus, s.code, { role: 'player', name: 'First', key: 'first-key-123' });
    const others = await Promise.all(Array.from({ length: LIMITS.players - 1 }, (_, i) => join(t.colyseus, s.code, { role: 'player', name: `P${i}` })));
    const over = await joinError(s.code, { role: 'player', name: 'One too many' });
    expect(others.length + 1).toBe(LIMITS.players);
    expect(over).toContain(`full (${LIMITS.players} players)`);
    await first.leave(false); // dropped: may come back
    const back = await join(t.colyseus, s.code, { role: 'player', name: 'First', key: 'first-key-123' });
    expect(me(back).role).toBe('player');
    expect(s.room.locked).toBe(false);
  });

  it('caps the sessions of a server with a clear error', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 8; i++) {
      const res = await t.colyseus.http.post('/api/sessions', { body: JSON.stringify({ scenario: 'hanoi_2024' }), headers: { 'content-type': 'application/json' } }).catch((e: any) => e);
      codes.push(res.status ?? res.statusCode ?? res.response?.status ?? 0);
    }
    expect(codes.slice(0, 6).every((c) => c === 201)).toBe(true);
    expect(codes.slice(6)).toEqual([503, 503]);
  });
});

describe('finding 9: every message type is rate limited', () => {
  it('refuses ready and set_orders toggled at 100/s after a burst, without hurting the others', async () => {
    const s = await createSession(t.colyseus, { scenario: 'hanoi_2024', settings: { seating: 'auto', negotiationSeconds: 0, ordersSeconds: 0 } });
    const spammer = await join(t.colyseus, s.code, { role: 'player', name: 'Spammer' });
    const student = await join(t.colyseus, s.code, { role: 'player', name: 'Student' });
    const teacher = await join(t.colyseus, s.code, { role: 'facilitator', secret: s.secret });
    await ask(teacher, 'fac_start', {});
    await until(() => table(spammer)?.status === 'running', 'table running');

    const codes: string[] = [];
    for (let i = 0; i < 100; i++) {
      codes.push(await refusal(spammer, 'ready', { ready: i % 2 === 0 }));
      await new Promise((r) => setTimeout(r, 10));
    }
    const limited = codes.filter((c) => c === 'RATE_LIMITED').length;
    expect(codes.slice(0, 30).every((c) => c === '')).toBe(true);
    expect(limited).toBeGreaterThan(40);
    const orders = await Promise.all(Array.from({ length: 100 }, () => refusal(spammer, 'set_orders', { orders: [] })));
    expect(orders.filter((c) => c === 'RATE_LIMITED').length).toBeGreaterThan(40);

    // A normal student at the same table: a few orders and a ready flag, all accepted.
    expect(await refusal(student, 'save_draft', { draft: 'plan' })).toBe('');
    expect(await refusal(student, 'ready', { ready: true })).toBe('');
    expect(await refusal(student, 'ready', { ready: false })).toBe('');
    // The spammer's budget comes back with time.
    await new Promise((r) => setTimeout(r, 1500));
    expect(await refusal(spammer, 'ready', { ready: true })).toBe('');
  });

  it('logs at most a line per client per minute for deeply nested request frames', async () => {
    const s = await createSession(t.colyseus, { scenario: 'hanoi_2024' });
    const attacker = await join(t.colyseus, s.code, { role: 'player', name: 'Nester' });
    const before = logLines.length;
    // [ROOM_REQUEST, requestId, "ready", msgpack of 60,000 nested one-element arrays]
    const depth = 60_000;
    for (let i = 0; i < 150; i++) {
      const it = { offset: 1 };
      const buf = new Uint8Array(16 + depth);
      buf[0] = Protocol.ROOM_REQUEST;
      encode.number(buf as any, 1000 + i, it);
      encode.string(buf as any, 'ready', it);
      buf.fill(0x91, it.offset, it.offset + depth - 1);
      buf[it.offset + depth - 1] = 0xc0;
      (attacker as any).connection.send(buf.subarray(0, it.offset + depth));
      if (i % 40 === 39) await new Promise((r) => setTimeout(r, 1100)); // under the per-second frame cap
    }
    await new Promise((r) => setTimeout(r, 300));
    const lines = logLines.slice(before);
    const errors = lines.filter((l) => JSON.parse(l).level >= 50);
    expect(errors.some((l) => l.includes('Maximum call stack'))).toBe(true); // the frames did reach the decoder
    expect(errors.length).toBeLessThanOrEqual(2);
    expect(lines.join('\n')).not.toMatch(/\n\s+at /);
    // The attacker was answered, not crashed into; the session still works.
    expect(await refusal(attacker, 'time', {})).toBe('');
  });
});

describe('finding 10: who leaves without a seat is removed', () => {
  it('keeps the participant count bounded over 1,500 join/leave cycles', async () => {
    const s = await createSession(t.colyseus, { scenario: 'hanoi_2024', settings: { seating: 'teacher' } });
    const teacher = await join(t.colyseus, s.code, { role: 'facilitator', secret: s.secret });
    const seated = await join(t.colyseus, s.code, { role: 'player', name: 'Seated', key: 'seated-key-1' });
    const first = Object.keys(decoded(teacher).tables.t1.seats)[0]!;
    await ask(teacher, 'fac_seat', { participant: me(seated).id, table: 't1', power: first });
    for (let round = 0; round < 75; round++) {
      const batch = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          t.colyseus.sdk.joinById(s.code, i % 2 ? { role: 'spectator', name: `S${round}-${i}` } : { role: 'player', name: `P${round}-${i}`, key: `k-${round}-${i}-xxxxxx` }),
        ),
      );
      await Promise.all(batch.map((r) => r.leave()));
    }
    await until(() => s.room.clients.length === 2, 'only the teacher and the seated player left');
    expect(s.room.participants.size).toBe(2);
    expect(s.room.state.participants.size).toBe(2);
    expect(s.room.snapshot().participants.map((p) => p.name).sort()).toEqual(['Facilitator', 'Seated']);
    // A seated player who leaves keeps their seat (and participant) for the record.
    await seated.leave();
    await until(() => s.room.clients.length === 1);
    expect(s.room.participants.size).toBe(2);
  });
});

describe('finding 11: names', () => {
  it('normalises names and refuses invisible characters and the facilitator’s labels', async () => {
    const s = await createSession(t.colyseus, { scenario: 'hanoi_2024' });
    const ana = await join(t.colyseus, s.code, { role: 'player', name: '  Ana\u3000 Lopez ' });
    expect(me(ana).name).toBe('Ana Lopez');
    const composed = await join(t.colyseus, s.code, { role: 'player', name: 'Zoe\u0308' });
    expect(me(composed).name).toBe('Zo\u00eb');
    for (const name of ['\u200b\u200b', 'a\u0000b', 'line\nbreak', '\u202eevil', 'Teacher', 'FACILITATOR', 'T\u0435acher', 'Te@cher', 'Mr. Teacher', '\u3164']) {
      expect(await joinError(s.code, { role: 'player', name }), name).toMatch(/invisible|facilitator|letter/);
    }
    expect(await joinError(s.code, { role: 'spectator', name: 'Teacher' })).toMatch(/facilitator/);
    const teacher = await join(t.colyseus, s.code, { role: 'facilitator', secret: s.secret, name: 'Teacher' });
    expect(me(teacher).name).toBe('Teacher');
  });
});
