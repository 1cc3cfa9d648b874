// biome-ignore-all lint/suspicious/noExplicitAny: tests read decoded JSON of unknown shape
/**
 * Delegations: a whole class at one table, several students per power. Seating fills them evenly;
 * members share their power's view and act for it; their own channel reaches only them (and the
 * facilitator); the power is ready by the session's rule; a bot takes the seat only when the whole
 * delegation is gone; the record keeps the members.
 */
import { describe, expect, it } from 'vitest';
import { legalMoves } from '../../shared/index.ts';
import { loadScenario, THREE } from '../helpers/scenarios.ts';
import { ask, type Client, createSession, decoded, inbox, join, me, refusal, until, useServer, viewAs } from './helpers.ts';

const t = useServer();
const scenario = loadScenario(THREE);
const powers = scenario.powers.map((p) => p.id);

/** Everything the client holds: decoded state and received messages. */
const holds = (c: Client, text: string) => (JSON.stringify(decoded(c)) + JSON.stringify(inbox.get(c) ?? [])).includes(text);

async function classOf(students: number, settings: Record<string, unknown>) {
  const s = await createSession(t.colyseus, { scenario: scenario.id, settings: { negotiationSeconds: 0, ordersSeconds: 0, ...settings } });
  const fac = await join(t.colyseus, s.code, { role: 'facilitator', secret: s.secret });
  const clients: Client[] = [];
  for (let i = 0; i < students; i++) clients.push(await join(t.colyseus, s.code, { role: 'player', name: `Student ${i}`, key: `delegation-key-${i}` }));
  await until(() => clients.every((c) => me(c)?.power), 'everyone seated');
  const byPower = new Map<string, Client[]>(powers.map((p) => [p, clients.filter((c) => me(c).power === p)]));
  return { s, fac, clients, byPower, tb: () => s.room.tables.get('t1')! };
}

describe('delegations', () => {
  it('fill evenly, share the view, talk among themselves, and are ready by the rule', async () => {
    const { s, fac, clients, byPower, tb } = await classOf(8, { delegationSize: 3, delegationReady: 'majority' });
    // 8 students, 3 powers, at most 3 each: 3, 3, 2 — in the order they came.
    expect(powers.map((p) => byPower.get(p)!.length)).toEqual([3, 3, 2]);
    expect(tb().seats.get(powers[0]!)!.members).toEqual(byPower.get(powers[0]!)!.map((c) => me(c).id));
    expect(tb().seats.get(powers[0]!)!.participant).toBe(me(byPower.get(powers[0]!)![0]!).id);
    // A ninth fits; a tenth finds every delegation full and waits unseated.
    const ninth = await join(t.colyseus, s.code, { role: 'player', name: 'Ninth', key: 'delegation-key-9' });
    await until(() => me(ninth)?.power === powers[2], 'ninth joins the smallest delegation');
    const tenth = await join(t.colyseus, s.code, { role: 'player', name: 'Tenth', key: 'delegation-key-10' });
    await until(() => me(tenth) !== undefined, 'tenth joined');
    expect(me(tenth).table).toBe('');
    expect(await refusal(fac, 'fac_seat', { participant: me(tenth).id, table: 't1', power: powers[0]! })).toBe('SEAT_TAKEN');

    await ask(fac, 'fac_start', {});
    const [a1, a2, a3] = byPower.get(powers[0]!)! as [Client, Client, Client];
    const [b1] = byPower.get(powers[1]!)! as [Client];

    // Any member acts for the power, and every member sees it: a proposal from one, its answer from another.
    const kind = scenario.kinds[0]!.id;
    await ask(a2, 'propose', { to: powers[1]!, note: 'marker-delegation-proposal', terms: [{ power: powers[0]!, type: 'refrain', kind, target: powers[1]!, from_turn: 1, to_turn: 1 }] });
    await until(() => [a1, a3].every((c) => viewAs(c, 't1', powers[0]!)?.proposals.length === 1), 'the whole delegation sees it');
    await until(() => viewAs(b1, 't1', powers[1]!)?.proposals.length === 1, 'the other side sees it');
    const proposal = viewAs(b1, 't1', powers[1]!).proposals[0];
    await ask(byPower.get(powers[1]!)![2]!, 'respond', { proposal: proposal.id, accept: true });
    expect(tb().game!.commitments.length).toBeGreaterThan(0);

    // The delegation's own channel: its members and the facilitator, nobody else.
    await ask(fac, 'watch', { table: 't1' });
    await ask(a1, 'team_chat', { text: 'marker-team-a' });
    await until(() => [a1, a2, a3].every((c) => holds(c, 'marker-team-a')), 'members read it');
    await until(() => holds(fac, 'marker-team-a'), 'the facilitator reads it');
    for (const other of [...byPower.get(powers[1]!)!, ...byPower.get(powers[2]!)!]) expect(holds(other, 'marker-team-a')).toBe(false);
    expect(await refusal(tenth, 'team_chat', { text: 'hello' })).toBe('NOT_SEATED');

    // Ready by majority: one of three is not enough, two are.
    await ask(a1, 'ready', { ready: true });
    expect(tb().game!.powers[powers[0]!]!.ready).toBe(false);
    await until(() => decoded(a3).tables.t1.seats[powers[0]!].readyMembers.length === 1, 'who is ready is shown');
    await ask(a2, 'ready', { ready: true });
    expect(tb().game!.powers[powers[0]!]!.ready).toBe(true);
    await ask(a2, 'ready', { ready: false });
    expect(tb().game!.powers[powers[0]!]!.ready).toBe(false);

    // The lead rule: only the first member's word counts.
    await ask(fac, 'fac_configure', { settings: { delegationReady: 'lead' } });
    await ask(byPower.get(powers[1]!)![1]!, 'ready', { ready: true });
    expect(tb().game!.powers[powers[1]!]!.ready).toBe(false);
    await ask(b1, 'ready', { ready: true });
    expect(tb().game!.powers[powers[1]!]!.ready).toBe(true);
    expect(clients.length).toBe(8);

    // The record keeps every member and the channel.
    const snap = s.room.snapshot();
    expect(snap.tables[0]!.seats.find((x) => x.power === powers[0])!.members).toEqual([a1, a2, a3].map((c) => me(c).id));
    expect(snap.team!.map((m) => m.text)).toEqual(['marker-team-a']);
  });

  it('keep their seat while one member is connected; a bot plays only when all are gone', async () => {
    const { fac, clients, byPower, tb } = await classOf(6, { delegationSize: 2, reconnectSeconds: 0 });
    await ask(fac, 'fac_start', {});
    const [x1, x2] = byPower.get(powers[0]!)! as [Client, Client];
    const id2 = me(x2).id;
    const key2 = `delegation-key-${clients.indexOf(x2)}`;
    await x1.leave(true);
    await until(() => tb().seats.get(powers[0]!)!.members.length === 2 && !tb().seats.get(powers[0]!)!.botReason, 'still human');
    expect(tb().control(tb().seats.get(powers[0]!)!)).toBe('human');
    await x2.leave(true);
    await until(() => tb().seats.get(powers[0]!)!.botReason === 'dropped', 'a bot holds the seat');
    // One comes back with their key: the seat is theirs again.
    const back = await join(t.colyseus, fac.roomId, { role: 'player', name: 'Back', key: key2 });
    await until(() => me(back)?.id === id2 && tb().seats.get(powers[0]!)!.botReason === '', 'handed back');
  });

  it('share one set of orders, and each member sees who added which', async () => {
    const { fac, byPower, tb } = await classOf(6, { delegationSize: 2, delegationReady: 'any' });
    await ask(fac, 'fac_start', {});
    for (const p of powers) await ask(byPower.get(p)![0]!, 'ready', { ready: true });
    expect(tb().game!.phase).toBe('orders');
    const [m1, m2] = byPower.get(powers[0]!)! as [Client, Client];
    const legal = legalMoves(scenario, tb().game!, powers[0]!).filter((m) => !m.joint && m.cost <= 1);
    const [o1, o2] = legal.slice(0, 2).map((m) => (m.untargeted ? { move: m.move } : { move: m.move, target: m.targets[0]! }));
    await ask(m1, 'set_orders', { orders: [o1] });
    await ask(m2, 'set_orders', { orders: [o1, o2] });
    const secretOf = (c: Client) => decoded(c).secrets?.[`t1/${powers[0]}`];
    for (const c of [m1, m2]) {
      await until(() => secretOf(c)?.orders?.length === 2, 'both members see the shared orders');
      expect(secretOf(c).orders.map((o: any) => o.by)).toEqual([me(m1).id, me(m2).id]);
    }
    for (const other of byPower.get(powers[1]!)!) expect(secretOf(other)).toBeUndefined();
  });
});
