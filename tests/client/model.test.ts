import { describe, expect, it } from 'vitest';
import { newGame, step, playerView, CREDIBILITY_START } from '../../shared/index.ts';
import { signed, turnLabel, phaseLabel, listJoin, plural, hexToNumber, textOn, readableOnLight, contrastRatio, initials, km } from '../../client/src/model/format.ts';
import { countdown, clock, spokenDuration, ServerClock } from '../../client/src/model/countdown.ts';
import { relationStyle, relationLines, moveStroke, pairKey, relationScore } from '../../client/src/model/relations.ts';
import { friendlyError, cleanServerMessage, knownErrorCodes } from '../../client/src/model/errors.ts';
import { previewMove, actionPoints, targetsFor, describeCondition } from '../../client/src/model/effects.ts';
import { splitRegion, insetPositions, distanceKm, bearing, compass } from '../../client/src/model/geo.ts';
import { conversations, groupProposals, ledger, news, mapMoves, metricSeries, relationSeries, timeline, describeTerm, credibilitySeries } from '../../client/src/model/view.ts';
import { legalFor } from '../../client/src/model/legal.ts';
import { isValidCode, normaliseCode } from '../../client/src/net/limits.ts';
import { SERVER_ERROR_CODES } from '../../shared/protocol.ts';
import { parseRoute, routeHash } from '../../client/src/app.ts';
import { three, five, loadScenario } from './helpers.ts';

describe('format', () => {
  it('signs numbers with a real minus', () => {
    expect(signed(5)).toBe('+5');
    expect(signed(-3)).toBe('\u22123');
    expect(signed(0)).toBe('0');
  });
  it('labels turns from the scenario', () => {
    const s = three();
    expect(turnLabel(s, 1)).toMatch(/turn 1 of \d+|Turn 1 of \d+/);
    expect(phaseLabel('orders')).toBe('Orders');
    expect(phaseLabel('ended')).toBe('Game over');
  });
  it('joins lists and plurals', () => {
    expect(listJoin(['a'])).toBe('a');
    expect(listJoin(['a', 'b', 'c'])).toBe('a, b and c');
    expect(plural(1, 'point')).toBe('1 point');
    expect(plural(3, 'point')).toBe('3 points');
  });
  it('picks readable text colours', () => {
    expect(hexToNumber('#ff0000')).toBe(0xff0000);
    expect(textOn('#000000')).toBe('#ffffff');
    expect(textOn('#ffff00')).toBe('#111827');
    for (const c of ['#f1c40f', '#2e8b57', '#87ceeb', '#c0392b']) expect(contrastRatio(readableOnLight(c), '#ffffff')).toBeGreaterThanOrEqual(4.5);
  });
  it('makes initials and distances', () => {
    expect(initials('Ada Lovelace')).toBe('AL');
    expect(initials('bo')).toBe('BO');
    expect(km(6789)).toBe('6,800 km');
  });
});

describe('countdown', () => {
  it('formats time left and urgency', () => {
    expect(clock(65_000)).toBe('1:05');
    expect(clock(3_700_000)).toBe('1:01:40');
    expect(clock(400)).toBe('0:01');
    expect(countdown(10_000 + 125_000, 10_000).text).toBe('2:05');
    expect(countdown(10_000 + 125_000, 10_000).urgency).toBe('calm');
    expect(countdown(10_000 + 45_000, 10_000).urgency).toBe('soon');
    expect(countdown(10_000 + 5_000, 10_000).urgency).toBe('urgent');
    expect(countdown(10_000, 20_000).urgency).toBe('over');
    expect(countdown(0, 20_000).urgency).toBe('none');
    expect(countdown(0, 0, { paused: true, pausedRemainingMs: 30_000 }).text).toBe('0:30');
    expect(countdown(60_000, 30_000, { totalMs: 60_000 }).fraction).toBeCloseTo(0.5);
  });
  it('speaks durations', () => {
    expect(spokenDuration(125_000)).toBe('2 minutes 5 seconds');
    expect(spokenDuration(60_000)).toBe('1 minute');
    expect(spokenDuration(1_000)).toBe('1 second');
  });
  it('keeps a server clock offset', () => {
    const c = new ServerClock();
    c.observe(1_000_500, 1_000_000);
    expect(c.now(2_000_000)).toBe(2_000_500);
    c.observe(0);
    expect(c.offset).toBe(500);
  });
});

describe('relations', () => {
  const m = { min: 0, max: 100 };
  it('uses colour, thickness and dash together', () => {
    const hi = relationStyle(95, m);
    const lo = relationStyle(5, m);
    const mid = relationStyle(50, m);
    expect(hi.stance).toBe('allied');
    expect(lo.stance).toBe('hostile');
    expect(mid.stance).toBe('neutral');
    expect(hi.width).toBeGreaterThan(mid.width);
    expect(lo.width).toBeGreaterThan(mid.width);
    expect(hi.dash).toBe('solid');
    expect(lo.dash).toBe('dotted');
    expect(relationStyle(30, m).dash).toBe('dashed');
    expect(hi.colour).not.toBe(lo.colour);
    expect(relationScore(150, m)).toBe(1);
  });
  it('draws a line for every pair of a five-power scenario', () => {
    const s = five();
    const lines = relationLines(s, {});
    expect(lines).toHaveLength((s.powers.length * (s.powers.length - 1)) / 2);
    expect(pairKey('b', 'a')).toBe('a|b');
  });
  it('tells partnership from pressure by the kind tone', () => {
    const kinds = [
      { id: 'carrot', name: 'Carrot', tone: 'positive' as const },
      { id: 'stick', name: 'Stick', tone: 'negative' as const },
    ];
    expect(moveStroke({ kinds }, 'carrot')).toBe('partnership');
    expect(moveStroke({ kinds }, 'stick')).toBe('pressure');
    expect(moveStroke({ kinds }, 'other')).toBe('other');
  });
});

describe('errors', () => {
  it('has friendly words for every engine and server code', () => {
    const codes = [
      ...SERVER_ERROR_CODES,
      'NOT_ENOUGH_ACTION_POINTS',
      'WRONG_PHASE',
      'PROPOSAL_CLOSED',
      'INVALID_TERMS',
      'GAME_OVER',
    ];
    for (const c of codes) {
      const f = friendlyError(c, 'x');
      expect(knownErrorCodes(), c).toContain(c);
      expect(f.title.length).toBeGreaterThan(3);
      expect(f.title).not.toMatch(/_/);
    }
  });
  it('falls back to a cleaned server message, never a stack', () => {
    expect(friendlyError('SOMETHING_NEW', 'Error: the moon is full').detail).toBe('The moon is full');
    expect(cleanServerMessage('TypeError at foo (/x.ts:1:2)')).toBe('');
    expect(friendlyError(4212).title).toMatch(/code/);
    expect(friendlyError(undefined, 'Failed to fetch').title).toMatch(/server/);
  });
});

describe('effects preview', () => {
  it('describes every effect of every move of a scenario in words', () => {
    for (const s of [three(), five(), loadScenario('scenarios/hanoi-2024.yaml')]) {
      const actor = s.powers[0]!.id;
      for (const move of s.moves) {
        const target = targetsFor(s, move, actor)[0];
        const p = previewMove(s, move, actor, target);
        for (const l of p.lines) expect(l.text).not.toMatch(/undefined|\[object/);
        for (const c of p.conditional) expect(c.when).not.toMatch(/undefined|\[object/);
      }
    }
  });
  it('counts action points', () => {
    const s = three();
    const m = s.moves[0]!;
    expect(actionPoints(s, [{ move: m.id }]).left).toBe(s.turns.action_points - m.cost);
  });
  it('describes conditions', () => {
    const s = three();
    expect(describeCondition(s, { turn: { at_least: 2 } }, s.powers[0]!.id)).toBe('the turn is at least 2');
  });
});

describe('geography', () => {
  it('measures distances and bearings', () => {
    expect(distanceKm([0, 0], [0, 1])).toBeCloseTo(111.2, 0);
    expect(compass(bearing([0, 0], [0, 10]))).toBe('north');
    expect(compass(bearing([0, 0], [10, 0]))).toBe('east');
  });
  it('puts far capitals in insets and keeps the region tight', () => {
    const s = loadScenario('scenarios/hanoi-2024.yaml');
    const r = splitRegion(s);
    const capitals = new Set(s.powers.map((p) => p.capital));
    for (const d of r.distant) expect(capitals.has(d.place.id)).toBe(true);
    expect(r.local.length).toBeGreaterThan(0);
    for (const sc of [three(), five()]) {
      const rr = splitRegion(sc);
      expect(rr.local.length + rr.distant.length).toBeGreaterThan(0);
      expect(rr.bounds[0][0]).toBeLessThan(rr.bounds[1][0]);
    }
  });
  it('keeps insets inside the map and apart', () => {
    const pts = insetPositions([0, 5, 10, 350], 800, 500, { w: 150, h: 50, margin: 8 });
    for (const p of pts) {
      expect(p.x).toBeGreaterThanOrEqual(83);
      expect(p.x).toBeLessThanOrEqual(717);
      expect(p.y).toBeGreaterThanOrEqual(33);
    }
    for (let i = 0; i < pts.length; i++)
      for (let j = i + 1; j < pts.length; j++) {
        const a = pts[i]!;
        const b = pts[j]!;
        expect(Math.abs(a.x - b.x) >= 150 || Math.abs(a.y - b.y) >= 50).toBe(true);
      }
  });
});

describe('view models from a real game', () => {
  const s = three();
  const [a, b, c] = s.powers.map((p) => p.id) as [string, string, string];
  let st = newGame(s, 'seed-1');
  const run = (action: Parameters<typeof step>[2]) => {
    const r = step(s, st, action);
    if (!r.ok) throw new Error(r.rejection.code);
    st = r.state;
  };
  run({ type: 'message', power: a, to: [b], text: 'hello' });
  run({ type: 'message', power: a, to: [b, c], text: 'all' });
  const move = s.moves.find((m) => m.against !== 'none' && (m.by === 'any' || m.by.includes(a)) && m.requires.length === 0)!;
  run({ type: 'propose', power: a, to: b, terms: [{ power: a, type: 'do', move: move.id, target: b, from_turn: 1, to_turn: 1 }] });

  it('groups conversations per power and group', () => {
    const convs = conversations(s, a, playerView(s, st, a).messages);
    expect(convs.find((x) => x.with === b)!.messages).toHaveLength(1);
    expect(convs.find((x) => x.title === 'Everyone')!.messages).toHaveLength(1);
    expect(convs.filter((x) => x.with)).toHaveLength(2);
  });
  it('groups proposals and describes terms', () => {
    const g = groupProposals(playerView(s, st, b).proposals, b);
    expect(g.incoming).toHaveLength(1);
    expect(describeTerm(s, g.incoming[0]!.terms[0]!, b)).toContain(move.name);
  });
  it('derives legal moves from the view', () => {
    const view = playerView(s, st, a);
    expect(legalFor(s, view, a).length).toBeGreaterThan(0);
  });
  it('builds news, map moves, charts and a timeline after resolution', () => {
    run({ type: 'respond', power: b, proposal: st.proposals[0]!.id, accept: true });
    run({ type: 'advance' });
    run({ type: 'set_orders', power: a, orders: [{ move: move.id, target: b }] });
    run({ type: 'advance' });
    const view = playerView(s, st, a);
    const rec = view.history[0]!;
    const items = news(s, rec.events);
    expect(items.length).toBeGreaterThan(0);
    expect(mapMoves(s, rec.events).some((m) => m.actor === a)).toBe(true);
    const series = metricSeries(s, view.history, s.metrics.power[0]!.id);
    expect(series).toHaveLength(s.powers.length);
    expect(series[0]!.points).toHaveLength(2);
    expect(relationSeries(s, view.history, s.metrics.pair[0]!.id)).toHaveLength(3);
    expect(credibilitySeries(s, view.history, CREDIBILITY_START)[0]!.points[0]!.value).toBe(CREDIBILITY_START);
    expect(timeline(s, view.history).length).toBeGreaterThan(0);
    expect(ledger(s, view.commitments, a).length).toBeGreaterThan(0);
  });
});

describe('protocol copies and routes', () => {
  it('reads join codes as people type them', () => {
    expect(isValidCode(normaliseCode(' k7q-f2m '))).toBe(true);
    expect(isValidCode('K7QF2')).toBe(false);
    expect(isValidCode('K7QF20')).toBe(false);
  });
  it('parses and prints routes', () => {
    for (const h of ['#/', '#/join/ABCDEF', '#/s/ABCDEF', '#/console/ABCDEF', '#/watch/ABCDEF/t2']) expect(routeHash(parseRoute(h))).toBe(h);
    expect(parseRoute('#/s/abcdef')).toEqual({ name: 'seat', code: 'ABCDEF' });
  });
});
