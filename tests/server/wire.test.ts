// biome-ignore-all lint/suspicious/noExplicitAny: tests read decoded JSON of unknown shape
/**
 * What travels on the wire, counted and searched byte by byte. A scripted Hanoi game at two tables
 * with full negotiation (a private message and a proposal or an answer per student per turn, orders,
 * ready), a facilitator, a spectator, bots and a reconnection:
 * - every frame each client receives is kept raw; no client's bytes hold a message, proposal note,
 *   secret objective or draft it may not see (searched in the raw bytes, not only the decoded state);
 * - a student receives less than the budget per turn, and a join less than the join budget. Bytes,
 *   not time: the count is the same on a fast or a slow machine.
 */
import { describe, expect, it } from 'vitest';
import { legalMoves, playerView, type Scenario } from '../../shared/index.ts';
import { HANOI, loadScenario } from '../helpers/scenarios.ts';
import { ask, type Client, createSession, decoded, listen, me, until, useServer, viewAs } from './helpers.ts';

const t = useServer('end');
const scenario: Scenario = loadScenario(HANOI);

/** Budgets from issue 9: per student per turn with full negotiation, and one join. */
const TURN_BUDGET = 8 * 1024;
const JOIN_BUDGET = 60 * 1024;

interface Tap {
  frames: Buffer[];
  bytes: number;
}

/** Keeps every frame the client's WebSocket receives from now on. */
function tap(room: Client, into: Tap = { frames: [], bytes: 0 }): Tap {
  const ws = (room as any).connection.transport.ws as { addEventListener(type: string, fn: (e: { data: ArrayBuffer | Buffer }) => void): void };
  ws.addEventListener('message', (e) => {
    const buf = Buffer.from(e.data instanceof ArrayBuffer ? new Uint8Array(e.data) : e.data);
    into.frames.push(buf);
    into.bytes += buf.length;
  });
  return into;
}

async function joinTapped(code: string, options: any): Promise<{ room: Client; tap: Tap; joinBytes: number }> {
  const room = await t.colyseus.sdk.joinById(code, options);
  const tp = tap(room);
  listen(room);
  await room.waitForInitialState();
  await new Promise((r) => setTimeout(r, 50));
  return { room, tap: tp, joinBytes: tp.bytes };
}

function holdsRaw(tp: Tap, text: string): boolean {
  const needle = Buffer.from(text, 'utf8');
  return tp.frames.some((f) => f.includes(needle));
}

describe('the wire', () => {
  it('sends each client only its own table, within the byte budget, and no secret it may not see', async () => {
    const s = await createSession(t.colyseus, { scenario: scenario.id, tables: 2, settings: { seating: 'teacher', negotiationSeconds: 0, ordersSeconds: 0 } });
    const fac = await joinTapped(s.code, { role: 'facilitator', secret: s.secret });
    const spectator = await joinTapped(s.code, { role: 'spectator' });
    const powers = scenario.powers.map((p) => p.id);
    const students: { room: Client; tap: Tap; joinBytes: number; power: string; beforeEnd?: number }[] = [];
    for (const [i, power] of powers.entries()) {
      const j = await joinTapped(s.code, { role: 'player', name: `Student ${i}`, key: `wire-student-key-${i}` });
      await ask(fac.room, 'fac_seat', { participant: me(j.room).id, table: 't1', power });
      students.push({ ...j, power });
    }
    // One student at the other table; bots hold its other seats.
    const other = await joinTapped(s.code, { role: 'player', name: 'Elsewhere', key: 'wire-elsewhere-key' });
    await ask(fac.room, 'fac_seat', { participant: me(other.room).id, table: 't2', power: powers[0]! });
    for (const st of students) await ask(st.room, 'save_draft', { draft: `draft-of-${st.power}-secret` });
    await ask(fac.room, 'watch', { table: 't1' });
    await ask(fac.room, 'fac_start', {});
    const tb = s.room.tables.get('t1')!;
    // A class talks over minutes, not milliseconds: the room's clock moves a minute per turn, so the
    // per-student message limit is not what this test measures.
    let clock = Date.now();
    s.room.now = () => clock;
    const kind = scenario.kinds.find((k) => k.id !== 'partnership')?.id ?? scenario.kinds[0]!.id;

    const perTurn: number[][] = [];
    const rejoins: number[] = [];
    const markers: { text: string; parties: string[] }[] = [];
    for (let turn = 1; turn <= scenario.turns.count; turn++) {
      clock += 60_000;
      if (turn === scenario.turns.count) for (const st of students) st.beforeEnd = st.tap.frames.length;
      if (turn === 5) {
        // A dropped connection comes back: the state is sent once more (a join, not a turn), nothing is lost.
        const st = students[1]!;
        const token = st.room.reconnectionToken;
        await st.room.leave(false);
        const room = await t.colyseus.sdk.reconnect(token);
        const start = st.tap.bytes;
        tap(room, st.tap);
        listen(room);
        st.room = room;
        await until(() => decoded(room).games?.t1?.history?.length === turn - 1, 'reconnected client has the game');
        await new Promise((r) => setTimeout(r, 50));
        rejoins.push(st.tap.bytes - start);
      }
      const before = students.map((st) => st.tap.bytes);
      // Negotiation: a private message to the next power, a proposal to the one after (or an answer).
      for (const [i, st] of students.entries()) {
        const to = powers[(i + 1) % powers.length]!;
        const text = `chat-${turn}-${st.power}-${to}-secret`;
        markers.push({ text, parties: [st.power, to] });
        await ask(st.room, 'chat', { to: [to], text });
      }
      for (const [i, st] of students.entries()) {
        const view = viewAs(st.room, 't1', st.power);
        const open = (view?.proposals ?? []).find((p: any) => p.to === st.power && p.status === 'open');
        if (open && i % 2 === 1) {
          await ask(st.room, 'respond', { proposal: open.id, accept: true }).catch(() => undefined);
          continue;
        }
        const to = powers[(i + 2) % powers.length]!;
        const note = `note-${turn}-${st.power}-${to}-secret`;
        markers.push({ text: note, parties: [st.power, to] });
        await ask(st.room, 'propose', { to, note, terms: [{ power: st.power, type: 'refrain', kind, target: to, from_turn: turn, to_turn: turn }] });
      }
      for (const st of students) await ask(st.room, 'ready', { ready: true });
      await ask(other.room, 'ready', { ready: true }).catch(() => undefined);
      await until(() => tb.game!.phase === 'orders', `turn ${turn}: orders`);
      for (const st of students) {
        const legal = legalMoves(scenario, tb.game!, st.power).filter((m) => !m.joint);
        const orders = legal.slice(0, 2).map((m) => (m.untargeted ? { move: m.move } : { move: m.move, target: m.targets[0]! }));
        await ask(st.room, 'set_orders', { orders }).catch(() => ask(st.room, 'set_orders', { orders: orders.slice(0, 1) }).catch(() => undefined));
      }
      for (const st of students) await ask(st.room, 'ready', { ready: true });
      await ask(other.room, 'ready', { ready: true }).catch(() => undefined);
      await until(() => tb.game!.turn > turn || tb.game!.phase === 'ended', `turn ${turn}: resolved`);
      await until(() => students.every((st) => decoded(st.room).games?.t1?.history?.length === turn), `turn ${turn}: clients have the news`);
      perTurn.push(students.map((st, i) => st.tap.bytes - before[i]!));

    }
    await until(() => students.every((st) => decoded(st.room).tables?.t1?.status === 'ended'), 'game over for everyone');

    // The budget: each student, each turn.
    // The last turn also carries the final score report (every point explained), once per game.
    const report = Buffer.byteLength(decoded(students[0]!.room).tables.t1.scores, 'utf8');
    expect(report).toBeGreaterThan(0);
    const worst = Math.max(...perTurn.slice(0, -1).flat(), ...perTurn.at(-1)!.map((b) => b - report));
    console.log(`bytes per student per turn: max ${worst} (final score report ${report} apart), by turn ${perTurn.map((r) => Math.max(...r)).join(' ')}; joins ${students.map((x) => x.joinBytes).join(' ')}; rejoin at turn 5 ${rejoins.join(' ')}`);
    expect(worst).toBeLessThan(TURN_BUDGET);
    for (const st of [...students, spectator, other]) expect(st.joinBytes).toBeLessThan(JOIN_BUDGET);
    expect(rejoins).toHaveLength(1);
    expect(rejoins[0]!).toBeLessThan(JOIN_BUDGET);
    // The reconnected student still has everything of the game.
    expect(viewAs(students[1]!.room, 't1', powers[1]!, scenario)).toEqual(JSON.parse(JSON.stringify(playerView(scenario, tb.game!, powers[1]!))));
    expect(markers.length).toBeGreaterThan(scenario.turns.count * powers.length);

    // Secrecy, in the raw bytes of every frame.
    for (const st of students) {
      for (const m of markers) expect(holdsRaw(st.tap, m.text), `${st.power} and ${m.text}`).toBe(m.parties.includes(st.power));
      for (const o of students) expect(holdsRaw(st.tap, `draft-of-${o.power}-secret`), `${st.power} and ${o.power}'s draft`).toBe(o === st);
      // Secret objectives stay secret until the final scores explain every point.
      const untilEnd = { frames: st.tap.frames.slice(0, st.beforeEnd), bytes: 0 };
      for (const p of scenario.powers) {
        for (const o of p.objectives.filter((x) => x.secret)) expect(holdsRaw(untilEnd, o.text), `${st.power} and ${p.id}/${o.id}`).toBe(p.id === st.power);
      }
    }
    for (const outsider of [spectator, other]) {
      for (const m of markers) expect(holdsRaw(outsider.tap, m.text), m.text).toBe(false);
      for (const o of students) expect(holdsRaw(outsider.tap, `draft-of-${o.power}-secret`)).toBe(false);
    }
    // The student at the other table never received table 1, nor its people.
    expect(holdsRaw(other.tap, 'Student 0')).toBe(false);
    expect(Object.keys(decoded(other.room).tables)).toEqual(['t2']);
    // Talk activity (counts) reaches the facilitator only.
    expect(Object.keys(decoded(students[0]!.room).activity ?? {})).toEqual([]);
    expect(Object.keys(decoded(spectator.room).activity ?? {})).toEqual([]);
    await until(() => decoded(fac.room).activity?.t1?.messages === tb.game!.messages.length, 'activity counts');
    expect(decoded(fac.room).activity.t1.proposals).toBe(tb.game!.proposals.length);
    // The facilitator watched table 1: it holds everything of it.
    for (const m of markers) expect(holdsRaw(fac.tap, m.text), m.text).toBe(true);
  });
});
