// biome-ignore-all lint/suspicious/noExplicitAny: tests read decoded JSON of unknown shape
/**
 * A session with two tables and a spectator (the projector): automatic seating, roll call, tables
 * that advance independently, and a spectator that receives the public state only.
 */
import { describe, expect, it } from 'vitest';
import { playerView } from '../../shared/index.ts';
import { loadScenario, THREE } from '../helpers/scenarios.ts';
import { ask, type Client, createSession, decoded, join, me, messages, refusal, table, until, useServer, viewAs } from './helpers.ts';

const t = useServer('end');
const scenario = loadScenario(THREE);

describe('two tables and a spectator', () => {
  it('seats, starts and runs each table on its own', async () => {
    const n = scenario.powers.length;
    // No admin credential in this server: no monitor.
    await expect(t.colyseus.http.get('/colyseus')).rejects.toMatchObject({ statusCode: 404 });
    const s = await createSession(t.colyseus, { scenario: scenario.id, tables: 2, settings: { negotiationSeconds: 0, ordersSeconds: 0 } });
    const info = (await t.colyseus.http.get(`/api/sessions/${s.code}`)).data as { tables: string[] };
    expect(info.tables).toEqual(['t1', 't2']);
    const fac = await join(t.colyseus, s.code, { role: 'facilitator', secret: s.secret });
    const spectator = await join(t.colyseus, s.code, { role: 'spectator', name: 'Projector' });
    const players: Client[] = [];
    for (let i = 0; i < 2 * n + 1; i++) players.push(await join(t.colyseus, s.code, { role: 'player', name: `P${i}` }));

    // Roll call: the facilitator sees every participant with a name before the start; a player sees
    // their tablemates only, and the spectator the table it watches (t1 by default).
    await until(() => Object.keys(decoded(fac).participants).length === 2 * n + 3, 'roll call');
    expect(decoded(spectator).status).toBe('lobby');
    const names = Object.values(decoded(fac).participants).map((p: any) => p.name);
    for (let i = 0; i < 2 * n + 1; i++) expect(names).toContain(`P${i}`);
    // Seated table by table; the one extra player waits unseated.
    await until(() => me(players[2 * n]!) !== undefined && players.slice(0, 2 * n).every((p) => me(p).power), 'seating');
    expect(players.slice(0, n).every((p) => me(p).table === 't1')).toBe(true);
    expect(players.slice(n, 2 * n).every((p) => me(p).table === 't2')).toBe(true);
    expect(me(players[2 * n]!).table).toBe('');
    await until(() => Object.keys(decoded(players[0]!).participants).length === n, 'tablemates');
    expect(Object.values(decoded(players[0]!).participants).every((p: any) => p.table === 't1')).toBe(true);
    expect(Object.keys(decoded(players[n]!).tables)).toEqual(['t2']);
    expect(Object.keys(decoded(spectator).tables)).toEqual(['t1']);

    await ask(fac, 'fac_start', {});
    await until(() => table(fac, 't1')?.status === 'running' && table(fac, 't2')?.status === 'running', 'both running');
    expect(await refusal(fac, 'fac_start', {})).toBe('ALREADY_STARTED');

    // Table 1 finishes its negotiation early; table 2 stays where it was.
    for (const p of players.slice(0, n)) await ask(p, 'ready', { ready: true });
    await until(() => table(spectator, 't1').phase === 'orders', 't1 in orders');
    await until(() => table(fac, 't1').phase === 'orders', 'facilitator sees t1 in orders');
    expect(table(fac, 't2').phase).toBe('negotiation');
    expect(s.room.tables.get('t2')!.game!.phase).toBe('negotiation');

    // The spectator holds the public view of the table it watches, and no secret at all; it can move
    // to another table.
    const plain = (v: unknown) => JSON.parse(JSON.stringify(v));
    for (const id of ['t1', 't2']) {
      await ask(spectator, 'watch', { table: id });
      await until(() => viewAs(spectator, id, 'spectator')?.phase === s.room.tables.get(id)!.game!.phase && Object.keys(decoded(spectator).games).join() === id, `watching ${id}`);
      expect(viewAs(spectator, id, 'spectator', scenario)).toEqual(plain(playerView(scenario, s.room.tables.get(id)!.game!, 'spectator')));
      expect(Object.keys(decoded(spectator).secrets ?? {})).toEqual([]);
    }
    // The facilitator receives every table's summary, and the details of the table it opens only.
    expect(Object.keys(decoded(fac).games ?? {})).toEqual([]);
    await ask(fac, 'watch', { table: 't2' });
    await until(() => Object.keys(decoded(fac).games ?? {}).join() === 't2', 'facilitator opens t2');
    expect(viewAs(fac, 't2', 'facilitator', scenario)).toEqual(plain(playerView(scenario, s.room.tables.get('t2')!.game!, 'facilitator')));
    expect(await refusal(players[0]!, 'watch', { table: 't2' })).toBe('NOT_YOUR_SEAT');

    // The facilitator replaces a player by the one who waited; the replaced player is unseated and,
    // with no free seat left, stays so after an automatic seating.
    const leaving = players[0]!;
    const freed = me(leaving).power;
    await ask(fac, 'fac_unseat', { participant: me(leaving).id });
    await until(() => table(fac, 't1').seats[freed].control === 'bot', 'bot on freed seat');
    await ask(fac, 'fac_seat', { participant: me(players[2 * n]!).id, table: 't1', power: freed });
    await until(() => me(players[2 * n]!).power === freed, 'late player seated');
    await until(() => table(fac, 't1').seats[freed].control === 'human', 'human again');
    await ask(fac, 'fac_auto_seat', {});
    expect(s.room.participants.get(me(leaving).id)!.state.table).toBe('');
    expect(await refusal(leaving, 'ready', { ready: true })).toBe('NOT_SEATED');
    expect(await refusal(spectator, 'ready', { ready: true })).toBe('NOT_SEATED');
  });
});

describe('seating by choice', () => {
  it('lets players pick a free power where the teacher allows it', async () => {
    const s = await createSession(t.colyseus, { scenario: scenario.id, tables: 2, settings: { seating: 'choice' } });
    const fac = await join(t.colyseus, s.code, { role: 'facilitator', secret: s.secret });
    const a = await join(t.colyseus, s.code, { role: 'player', name: 'A' });
    const b = await join(t.colyseus, s.code, { role: 'player', name: 'B' });
    await until(() => me(a) !== undefined && me(b) !== undefined, 'joined');
    expect(me(a).table).toBe('');
    const [first, second] = [scenario.powers[0]!.id, scenario.powers[1]!.id];
    await ask(a, 'choose_seat', { table: 't2', power: first });
    expect(await refusal(b, 'choose_seat', { table: 't2', power: first })).toBe('SEAT_TAKEN');
    expect(await refusal(b, 'choose_seat', { table: 't3', power: first })).toBe('UNKNOWN_TABLE');
    expect(await refusal(b, 'choose_seat', { table: 't2', power: 'nobody' })).toBe('UNKNOWN_SEAT');
    await ask(b, 'choose_seat', { table: 't2', power: second });
    await ask(a, 'choose_seat', { table: 't1', power: second }); // changing one's mind before the start
    await until(() => me(a).table === 't1' && me(b).table === 't2', 'seats chosen');
    expect(table(fac, 't2').seats[first].participant).toBe('');
    await ask(fac, 'fac_start', { table: 't1' });
    // A running table only offers the seats bots hold because nobody took them.
    await ask(b, 'choose_seat', { table: 't1', power: first });
    expect(await refusal(b, 'choose_seat', { table: 't1', power: second })).toBe('SEAT_TAKEN');
    await ask(fac, 'fac_configure', { settings: { seating: 'teacher' } });
    expect(await refusal(a, 'choose_seat', { table: 't2', power: first })).toBe('SEATING_CLOSED');
    // The clock: `time` answers as a request and as a plain message.
    expect(await ask(a, 'time')).toMatchObject({ now: expect.any(Number) });
    a.send('time');
    await until(() => messages(a, 'time').length === 1, 'time message');
  });
});
