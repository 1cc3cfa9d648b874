// biome-ignore-all lint/suspicious/noExplicitAny: tests read decoded JSON of unknown shape
/**
 * A full game of the Hanoi scenario with four human clients, from joining with the code to the final
 * scores. Nothing here names a power or a move: orders come from the engine's legal moves.
 */
import { describe, expect, it } from 'vitest';
import { legalMoves, playerView, scoreGame, type Order, } from '../../shared/index.ts';
import { HANOI, loadScenario } from '../helpers/scenarios.ts';
import { ask, type Client, createSession, join, me, messages, myView, table, until, useServer, viewAs } from './helpers.ts';

const t = useServer('end');
const scenario = loadScenario(HANOI);

describe('a full game with four clients', () => {
  it('goes from join to final scores, consistent with the engine', async () => {
    const session = await createSession(t.colyseus, { scenario: scenario.id, settings: { negotiationSeconds: 0, ordersSeconds: 0 } });
    const res = await t.colyseus.http.get(`/api/sessions/${session.code.toLowerCase()}`);
    expect((res.data as { roomId: string }).roomId).toBe(session.code);

    const fac = await join(t.colyseus, session.code, { role: 'facilitator', secret: session.secret });
    const players: Client[] = [];
    for (let i = 0; i < scenario.powers.length; i++) players.push(await join(t.colyseus, session.code, { role: 'player', name: `Student ${i + 1}`, key: `student-key-${i}` }));

    // Roll call: everyone is listed and seated before the start, each on a different power.
    await until(() => players.every((p) => me(p)?.power), 'seating');
    const powers = players.map((p) => me(p).power as string);
    expect(new Set(powers).size).toBe(scenario.powers.length);
    expect(Object.keys(table(fac).seats).sort()).toEqual(scenario.powers.map((p) => p.id).sort());

    await ask(fac, 'fac_start', {});
    await until(() => players.every((p) => myView(p)?.phase === 'negotiation'), 'start');

    // Negotiation: a private message and an accepted proposal between the first two powers.
    const [a, b] = [players[0]!, players[1]!];
    const [pa, pb] = [powers[0]!, powers[1]!];
    await ask(a, 'chat', { to: [pb], text: 'Shall we talk?' });
    const kind = scenario.kinds[scenario.kinds.length - 1]!.id;
    await ask(a, 'propose', { to: pb, terms: [{ power: pa, type: 'refrain', kind, target: pb, from_turn: 1, to_turn: 1 }], note: 'peace' });
    await until(() => (myView(b)?.proposals ?? []).some((p: any) => p.from === pa && p.status === 'open'), 'proposal arrives');
    const proposal = myView(b).proposals.find((p: any) => p.from === pa);
    await ask(b, 'respond', { proposal: proposal.id, accept: true });

    const room = session.room;
    const sent: Record<string, Order[]>[] = [];
    for (let turn = 1; turn <= scenario.turns.count; turn++) {
      for (const p of players) await ask(p, 'ready', { ready: true });
      expect(room.tables.get('t1')!.game!.phase).toBe('orders');
      const game = room.tables.get('t1')!.game!;
      const orders: Record<string, Order[]> = {};
      players.forEach((p, i) => {
        const power = powers[i]!;
        const legal = legalMoves(scenario, game, power).filter((m) => !m.joint && m.cost <= (myView(p).powers[power].action_points_left ?? 0));
        const pick = legal[(turn + i) % Math.max(1, legal.length)];
        orders[power] = pick ? [pick.untargeted ? { move: pick.move } : { move: pick.move, target: pick.targets[0]! }] : [];
      });
      for (const [i, p] of players.entries()) await ask(p, 'set_orders', { orders: orders[powers[i]!] });
      sent.push(orders);
      for (const p of players) await ask(p, 'ready', { ready: true });
    }

    expect(sent.flatMap((o) => Object.values(o).flat()).length).toBeGreaterThan(scenario.turns.count);
    const final = room.tables.get('t1')!;
    expect(final.status).toBe('ended');
    await until(() => players.every((p) => table(p)?.scores !== ''), 'scores');
    const scores = JSON.parse(table(a).scores);
    expect(scores).toEqual(JSON.parse(JSON.stringify(scoreGame(scenario, final.game!))));
    expect(scores.ranking.map((r: any) => r.power).sort()).toEqual([...powers].sort());

    // The history the clients see is the engine's, and it holds the orders the clients sent (plus what
    // the accepted proposal added).
    // Rebuilt from the typed state, each client's view is exactly the engine's view for it.
    const plain = (v: unknown) => JSON.parse(JSON.stringify(v));
    await ask(fac, 'watch', { table: 't1' });
    await until(() => viewAs(fac, 't1', 'facilitator') !== null, 'facilitator opens the table');
    expect(viewAs(a, 't1', 'spectator', scenario)).toEqual(plain(playerView(scenario, final.game!, 'spectator')));
    expect(myView(a, 't1', scenario)).toEqual(plain(playerView(scenario, final.game!, pa)));
    expect(viewAs(fac, 't1', 'facilitator', scenario)).toEqual(plain(playerView(scenario, final.game!, 'facilitator')));
    const history = myView(a).history;
    expect(history).toHaveLength(scenario.turns.count);
    history.forEach((record: any, i: number) => {
      for (const power of powers) {
        for (const o of sent[i]![power]!) expect(record.orders[power]).toContainEqual(o);
      }
    });
    expect(myView(a).commitments.some((c: any) => c.by === pa && c.to === pb)).toBe(true);
    expect(myView(b).messages.some((m: any) => m.text === 'Shall we talk?')).toBe(true);
    expect(messages(a, 'resolved').map((m) => m.turn)).toEqual(Array.from({ length: scenario.turns.count }, (_, i) => i + 1));
    expect(decodedStatus(fac)).toBe('ended');
  });
});

function decodedStatus(c: Client): string {
  return (c.state as any).status;
}
