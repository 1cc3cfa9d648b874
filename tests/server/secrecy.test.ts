// biome-ignore-all lint/suspicious/noExplicitAny: tests read decoded JSON of unknown shape
/**
 * Secrecy: decode what each client actually received (its whole decoded state and every message)
 * and check that no other power's orders, private messages, proposals, secret objectives or drafts
 * are in it. Spectators receive the public state only.
 */
import { describe, expect, it } from 'vitest';
import { legalMoves } from '../../shared/index.ts';
import { loadScenario, THREE } from '../helpers/scenarios.ts';
import { ask, type Client, createSession, decoded, inbox, join, me, myView, until, useServer, viewAs } from './helpers.ts';

const t = useServer('end');
const scenario = loadScenario(THREE);

/** Everything the client holds: decoded state and received messages, as one string. */
function received(c: Client): string {
  return JSON.stringify(decoded(c)) + JSON.stringify(inbox.get(c) ?? []);
}

/** The JSON strings inside the state are escaped once more: search both forms. */
function holds(c: Client, text: string): boolean {
  const all = received(c);
  return all.includes(text) || all.includes(JSON.stringify(text).slice(1, -1));
}

describe('secrecy', () => {
  it('gives each client only what its power may know', async () => {
    const s = await createSession(t.colyseus, { scenario: scenario.id, settings: { negotiationSeconds: 0, ordersSeconds: 0 } });
    const fac = await join(t.colyseus, s.code, { role: 'facilitator', secret: s.secret });
    const spectator = await join(t.colyseus, s.code, { role: 'spectator' });
    const [a, b, c] = [
      await join(t.colyseus, s.code, { role: 'player', name: 'A' }),
      await join(t.colyseus, s.code, { role: 'player', name: 'B' }),
      await join(t.colyseus, s.code, { role: 'player', name: 'C' }),
    ] as [Client, Client, Client];
    await ask(fac, 'fac_start', {});
    const [pa, pb, pc] = [me(a).power, me(b).power, me(c).power] as [string, string, string];

    await ask(a, 'chat', { to: [pb], text: 'marker-ab-private' });
    await ask(b, 'chat', { to: [pc], text: 'marker-bc-private' });
    await ask(b, 'chat', { to: [pa, pc], text: 'marker-group-abc' });
    const kind = scenario.kinds[0]!.id;
    await ask(a, 'propose', { to: pb, terms: [{ power: pa, type: 'refrain', kind, target: pb, from_turn: 1, to_turn: 1 }], note: 'marker-ab-note' });
    await ask(a, 'save_draft', { draft: 'marker-a-draft' });
    await ask(b, 'save_draft', { draft: 'marker-b-draft' });
    for (const p of [a, b, c]) await ask(p, 'ready', { ready: true });

    // Orders: B and C give orders; nobody is ready, so they stay secret.
    const game = s.room.tables.get('t1')!.game!;
    expect(game.phase).toBe('orders');
    const ordersOf = (power: string) => {
      const m = legalMoves(scenario, game, power).find((x) => !x.joint)!;
      return [m.untargeted ? { move: m.move } : { move: m.move, target: m.targets[0]! }];
    };
    await ask(b, 'set_orders', { orders: ordersOf(pb) });
    await ask(c, 'set_orders', { orders: ordersOf(pc) });
    await until(() => myView(b)?.powers[pb].orders?.length === 1 && myView(c)?.powers[pc].orders?.length === 1, 'own orders visible');
    await ask(fac, 'watch', { table: 't1' });
    await until(() => viewAs(fac, 't1', 'facilitator')?.powers[pc].orders?.length === 1, 'facilitator sees all');
    await until(() => me(a)?.draft === 'marker-a-draft', 'own draft');

    // A: its own view only; no orders of others; only the messages and proposals it is party to.
    expect(Object.keys(decoded(a).secrets)).toEqual([`t1/${pa}`]);
    const va = myView(a);
    expect(va.viewer).toBe(pa);
    expect(va.powers[pb].orders).toBeUndefined();
    expect(va.powers[pc].orders).toBeUndefined();
    expect(holds(a, 'marker-ab-private')).toBe(true);
    expect(holds(a, 'marker-group-abc')).toBe(true);
    expect(holds(a, 'marker-ab-note')).toBe(true);
    expect(holds(a, 'marker-bc-private')).toBe(false);
    expect(holds(a, 'marker-b-draft')).toBe(false);
    // C sees B's message to it and the group message, not A's private message or A's proposal.
    expect(holds(c, 'marker-bc-private')).toBe(true);
    expect(holds(c, 'marker-ab-private')).toBe(false);
    expect(holds(c, 'marker-ab-note')).toBe(false);
    expect(holds(c, 'marker-a-draft')).toBe(false);
    expect(myView(c).powers[pb].orders).toBeUndefined();
    // Other participants' entries carry no draft.
    expect(Object.keys(decoded(c).drafts)).toEqual([me(c).id]);

    // Secret objectives: each player holds its own, and none of the others'.
    for (const [client, power] of [[a, pa], [b, pb], [c, pc]] as [Client, string][]) {
      for (const other of scenario.powers) {
        for (const o of other.objectives.filter((x) => x.secret)) {
          expect(holds(client, o.text), `${power} and the secret objective ${other.id}/${o.id}`).toBe(other.id === power);
        }
      }
    }

    // The spectator: public state only.
    expect(Object.keys(decoded(spectator).secrets ?? {})).toEqual([]);
    for (const marker of ['marker-ab-private', 'marker-bc-private', 'marker-group-abc', 'marker-ab-note', 'marker-a-draft', 'marker-b-draft']) {
      expect(holds(spectator, marker), marker).toBe(false);
    }
    for (const power of scenario.powers) for (const o of power.objectives.filter((x) => x.secret)) expect(holds(spectator, o.text)).toBe(false);
    const pub = viewAs(spectator, 't1', 'spectator');
    for (const power of scenario.powers) expect(pub.powers[power.id].orders).toBeUndefined();

    // Once resolved, the orders are public: the secrecy above is not an empty view.
    for (const p of [a, b, c]) await ask(p, 'ready', { ready: true });
    await until(() => viewAs(spectator, 't1', 'spectator').history.length === 1, 'resolution');
    expect(viewAs(spectator, 't1', 'spectator').history[0].orders[pb]).toEqual(ordersOf(pb));
  });
});
