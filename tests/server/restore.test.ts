/**
 * Persistence hooks: every accepted change goes through the recorder, and a session room can be
 * re-created from a stored snapshot (what the SQLite issue will build on).
 */
import { matchMaker } from '@colyseus/core';
import { describe, expect, it } from 'vitest';
import type { SessionSnapshot } from '../../server/recorder.ts';
import type { SessionRoom } from '../../server/SessionRoom.ts';
import { loadScenario, THREE } from '../helpers/scenarios.ts';
import { ask, type Client, createSession, join, me, myView, until, useServer } from './helpers.ts';

const t = useServer('end');
const scenario = loadScenario(THREE);

describe('snapshots', () => {
  it('re-create a session with its games, seats and drafts', async () => {
    const s = await createSession(t.colyseus, { scenario: scenario.id, settings: { negotiationSeconds: 0, ordersSeconds: 0 } });
    const fac = await join(t.colyseus, s.code, { role: 'facilitator', secret: s.secret });
    const players: Client[] = [];
    for (let i = 0; i < scenario.powers.length; i++) players.push(await join(t.colyseus, s.code, { role: 'player', name: `R${i}`, key: `restore-key-${i}` }));
    await ask(fac, 'fac_start', {});
    const [a, b] = players as [Client, Client];
    await ask(a, 'chat', { to: [me(b).power], text: 'before the crash' });
    await ask(a, 'save_draft', { draft: 'unsent words' });
    for (const p of players) await ask(p, 'ready', { ready: true });
    const ids = players.map((p) => ({ id: me(p).id, power: me(p).power }));

    // The recorder saw every change, and its last snapshot is the room's.
    const recorded = t.recorder.entries.filter((e) => e.session === s.code).map((e) => e.entry.kind);
    expect(recorded).toContain('action');
    expect(recorded).toContain('phase');
    const snapshot = JSON.parse(JSON.stringify(s.room.snapshot())) as SessionSnapshot;
    expect(JSON.parse(JSON.stringify(t.recorder.last))).toEqual(snapshot);
    const game = s.room.tables.get('t1')!.game;

    // The process "crashes": the room goes away, then comes back from the snapshot.
    await s.room.disconnect();
    await until(() => t.colyseus.getRoomById(s.code) === undefined, 'room gone');
    await expect(matchMaker.createRoom('session', { restore: snapshot, internalToken: 'wrong' })).rejects.toThrow();
    const listing = await matchMaker.createRoom('session', { restore: snapshot, internalToken: 'test-internal-token' });
    expect(listing.roomId).toBe(s.code);
    const room = t.colyseus.getRoomById(s.code) as unknown as SessionRoom;
    expect(room.tables.get('t1')!.game).toEqual(game);

    const back = await join(t.colyseus, s.code, { role: 'player', name: 'R0', key: 'restore-key-0' });
    await until(() => me(back)?.id === ids[0]!.id, 'same participant');
    expect(me(back).power).toBe(ids[0]!.power);
    await until(() => me(back).draft === 'unsent words' && myView(back)?.messages.length === 1, 'draft and messages back');
    const facAgain = await join(t.colyseus, s.code, { role: 'facilitator', secret: s.secret });
    await ask(facAgain, 'fac_end_phase', {});
    expect(room.tables.get('t1')!.game!.turn).toBe(2);
    const info = (await t.colyseus.http.get(`/api/sessions/${s.code}`)).data as { roomId: string };
    expect(info.roomId).toBe(s.code);
  });
});
