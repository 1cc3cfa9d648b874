// biome-ignore-all lint/suspicious/noExplicitAny: tests read decoded JSON of unknown shape
/**
 * Every facilitator action, and each one refused to a connection without the facilitator secret.
 */
import { describe, expect, it } from 'vitest';
import { CLIENT_MESSAGE_TYPES, isFacilitatorMessage } from '../../shared/protocol.ts';
import { loadScenario, THREE } from '../helpers/scenarios.ts';
import { ask, type Client, createSession, decoded, join, me, messages, refusal, table, until, useServer } from './helpers.ts';

const t = useServer();
const scenario = loadScenario(THREE);

/** A well-formed payload for each facilitator message (so that a refusal is about the secret). */
function samplePayload(type: string, power: string, participant: string): unknown {
  const payloads: Record<string, unknown> = {
    fac_configure: { settings: { negotiationSeconds: 5 } },
    fac_seat: { participant, table: 't1', power },
    fac_unseat: { participant },
    fac_auto_seat: {},
    fac_start: {},
    fac_pause: {},
    fac_resume: {},
    fac_extend: { seconds: 30 },
    fac_end_phase: {},
    fac_trigger_event: { table: 't1', event: 'some_event' },
    fac_announce: { text: 'Hello' },
    fac_bot: { table: 't1', power, bot: true },
    fac_end_game: {},
    fac_sandbox_resolve: {},
    fac_sandbox_undo: {},
  };
  if (!(type in payloads)) throw new Error(`no sample payload for ${type}: add one`);
  return payloads[type];
}

describe('facilitator actions', () => {
  it('are refused without the secret, and change nothing', async () => {
    const s = await createSession(t.colyseus, { scenario: scenario.id });
    await expect(join(t.colyseus, s.code, { role: 'facilitator', secret: 'not-the-secret' })).rejects.toThrow(/secret/i);
    const player = await join(t.colyseus, s.code, { role: 'player', name: 'Mallory' });
    const spectator = await join(t.colyseus, s.code, { role: 'spectator' });
    const before = JSON.stringify(s.room.snapshot());
    const facTypes = CLIENT_MESSAGE_TYPES.filter(isFacilitatorMessage);
    expect(facTypes.length).toBeGreaterThanOrEqual(15);
    for (const type of facTypes) {
      const payload = samplePayload(type, me(player).power, me(player).id);
      expect(await refusal(player, type, payload), type).toBe('NOT_FACILITATOR');
      expect(await refusal(spectator, type, payload), type).toBe('NOT_FACILITATOR');
    }
    // A plain send is answered with an `error` message to that client only.
    player.send('fac_start', {});
    await until(() => messages(player, 'error').length === 1, 'error message');
    expect(messages(player, 'error')[0]).toMatchObject({ code: 'NOT_FACILITATOR', type: 'fac_start' });
    expect(messages(spectator, 'error')).toHaveLength(0);
    expect(JSON.stringify(s.room.snapshot())).toBe(before);
  });

  it('each works for the facilitator', async () => {
    const s = await createSession(t.colyseus, { scenario: scenario.id, settings: { negotiationSeconds: 0, ordersSeconds: 0 } });
    const fac = await join(t.colyseus, s.code, { role: 'facilitator', secret: s.secret });
    const room = s.room;

    // Settings and tables, before the start.
    await ask(fac, 'fac_configure', { tables: 2, settings: { seating: 'teacher', negotiationSeconds: 120, ordersSeconds: 60, defaultOrders: 'bot', reconnectSeconds: 30 } });
    await until(() => Object.keys(decoded(fac).tables).length === 2, 'two tables');
    expect(decoded(fac).settings).toMatchObject({ seating: 'teacher', negotiationSeconds: 120, ordersSeconds: 60, defaultOrders: 'bot', reconnectSeconds: 30 });
    const info = (await t.colyseus.http.get(`/api/sessions/${s.code}`)).data as { tables: string[] };
    expect(info.tables).toEqual(['t1', 't2']);

    // Seating by the teacher.
    const players: Client[] = [];
    for (let i = 0; i < 3; i++) players.push(await join(t.colyseus, s.code, { role: 'player', name: `P${i}` }));
    await until(() => players.every((p) => me(p)), 'joined');
    expect(players.every((p) => me(p).table === '')).toBe(true);
    const [p0, p1, p2] = players as [Client, Client, Client];
    const [w0, w1] = [scenario.powers[0]!.id, scenario.powers[1]!.id];
    await ask(fac, 'fac_seat', { participant: me(p0).id, table: 't1', power: w0 });
    await ask(fac, 'fac_seat', { participant: me(p1).id, table: 't1', power: w0 }); // replaces p0
    await until(() => me(p1).power === w0 && me(p0).power === '', 'replaced');
    await ask(fac, 'fac_seat', { participant: me(p0).id, table: 't2', power: w1 });
    await ask(fac, 'fac_unseat', { participant: me(p0).id });
    await until(() => me(p0).table === '', 'unseated');
    await ask(fac, 'fac_auto_seat', {});
    await until(() => me(p0).table === 't1' && me(p2).table === 't1', 'auto seated');
    expect(await refusal(fac, 'fac_seat', { participant: 'p999', table: 't1', power: w0 })).toBe('UNKNOWN_PARTICIPANT');
    expect(await refusal(fac, 'fac_seat', { participant: me(p0).id, table: 't9', power: w0 })).toBe('UNKNOWN_TABLE');
    expect(await refusal(fac, 'fac_seat', { participant: me(p0).id, table: 't1', power: 'nobody' })).toBe('UNKNOWN_SEAT');

    // Start one table, then the other.
    await ask(fac, 'fac_start', { table: 't1' });
    expect(room.tables.get('t1')!.status).toBe('running');
    expect(room.tables.get('t2')!.status).toBe('waiting');
    expect(await refusal(fac, 'fac_configure', { tables: 3 })).toBe('ALREADY_STARTED');
    await ask(fac, 'fac_start', {});
    expect(room.tables.get('t2')!.status).toBe('running');
    await until(() => decoded(fac).status === 'running', 'session running');

    // Pause, resume, extend, end the phase.
    await ask(fac, 'fac_pause', { table: 't1' });
    expect(room.tables.get('t1')!.status).toBe('paused');
    expect(room.tables.get('t2')!.status).toBe('running');
    await ask(fac, 'fac_resume', {});
    expect(room.tables.get('t1')!.status).toBe('running');
    const deadline = room.tables.get('t1')!.deadline;
    await ask(fac, 'fac_extend', { table: 't1', seconds: 45 });
    expect(room.tables.get('t1')!.deadline).toBe(deadline + 45_000);
    await ask(fac, 'fac_end_phase', { table: 't1' });
    expect(room.tables.get('t1')!.game!.phase).toBe('orders');
    expect(room.tables.get('t2')!.game!.phase).toBe('negotiation');

    // A facilitator event of the scenario, and one that is not.
    const facEvent = scenario.events.find((e) => 'facilitator' in e.trigger);
    const otherEvent = scenario.events.find((e) => !('facilitator' in e.trigger));
    if (facEvent) {
      await ask(fac, 'fac_trigger_event', { table: 't1', event: facEvent.id });
      expect(JSON.stringify(room.tables.get('t1')!.game)).toContain(facEvent.id);
    }
    if (otherEvent) expect(await refusal(fac, 'fac_trigger_event', { table: 't1', event: otherEvent.id })).toBe('NOT_A_FACILITATOR_EVENT');
    expect(await refusal(fac, 'fac_trigger_event', { table: 't1', event: 'no_such_event' })).toBe('UNKNOWN_EVENT');

    // Announcements reach everyone and stay in the state.
    await ask(fac, 'fac_announce', { text: 'Five minutes left' });
    await until(() => players.every((p) => messages(p, 'announcement').some((m) => m.text === 'Five minutes left')), 'announcement');
    await until(() => Object.values(decoded(p2).announcements as Record<string, { text: string }>).some((a) => a.text === 'Five minutes left'), 'announcement in state');

    // A seat to a bot and back.
    const seatPower = me(p0).power;
    await ask(fac, 'fac_bot', { table: 't1', power: seatPower, bot: true });
    await until(() => table(p0).seats[seatPower].control === 'bot', 'bot seat');
    await ask(fac, 'fac_bot', { table: 't1', power: seatPower, bot: false });
    await until(() => table(p0).seats[seatPower].control === 'human', 'human again');
    const emptySeat = Object.values(table(fac, 't2').seats).find((x: any) => x.participant === '') as { power: string };
    expect(await refusal(fac, 'fac_bot', { table: 't2', power: emptySeat.power, bot: false })).toBe('SEAT_EMPTY');

    // Sandbox controls are refused outside a sandbox.
    expect(await refusal(fac, 'fac_sandbox_resolve', {})).toBe('NOT_SANDBOX');
    expect(await refusal(fac, 'fac_sandbox_undo', {})).toBe('NOT_SANDBOX');

    // End the game on one table: final scores there, actions refused there.
    await ask(fac, 'fac_end_game', { table: 't1' });
    expect(room.tables.get('t1')!.status).toBe('ended');
    await until(() => table(p0).scores !== '', 'scores');
    expect(JSON.parse(table(p0).scores).ranking).toHaveLength(scenario.powers.length);
    expect(await refusal(p0, 'ready', { ready: true })).toBe('GAME_OVER');
    expect(room.tables.get('t2')!.status).toBe('running');
    await ask(fac, 'fac_end_game', {});
    await until(() => decoded(fac).status === 'ended', 'session ended');
  });
});
