import { describe, expect, it } from 'vitest';
import { newGame, playerView, step, botActions, type GameState, type Action } from '../../shared/index.ts';
import { type EntryLike, forkPoint, logLines, pairSeries, powerSeries, replaySteps, replayTurns, runLabel, runStatus, scoreRows, stepLabel, stepOfTurn, type ComparisonLike, type ReplayLike } from '../../client/src/model/replay.ts';
import { three } from './helpers.ts';

/** A replay shaped like the server's, from a game played by bots for two turns. */
function playedReplay(): { replay: ReplayLike; states: GameState[] } {
  const s = three();
  let g = newGame(s, 'replay-seed');
  const frames: ReplayLike['turns'][number]['frames'] = [];
  const entries: EntryLike[] = [];
  let seq = 0;
  const keep = (reason: string) => frames.push({ seq: ++seq, turn: g.turn, phase: g.phase, reason, view: { ...playerView(s, g, 'facilitator'), history: [] } });
  const act = (a: Action, actor: EntryLike['actor']) => {
    const r = step(s, g, a);
    if (!r.ok) return;
    g = r.state;
    entries.push({ seq: ++seq, at: seq, kind: 'action', type: a.type, phase: g.phase, actor, data: a });
  };
  keep('start');
  const states = [g];
  const [p1, p2] = [s.powers[0]!.id, s.powers[1]!.id];
  act({ type: 'message', power: p1, to: [p2], text: 'Hello there' }, { kind: 'participant', participant: 'p1' });
  while (g.turn <= 2) {
    const turn = g.turn;
    const phase = g.phase;
    for (const p of s.powers) for (const a of botActions(s, g, p.id)) act(a, { kind: 'bot', power: p.id });
    act({ type: 'advance' }, { kind: 'server', reason: 'ready' });
    if (g.turn !== turn || g.phase !== phase) {
      keep('phase');
      states.push(g);
    }
  }
  entries.push({ seq: ++seq, at: seq, kind: 'table', type: 'pause', phase: g.phase, actor: { kind: 'facilitator', participant: 'p0' }, data: null });
  const turns = new Map<number, ReplayLike['turns'][number]>();
  for (const f of frames) {
    if (!turns.has(f.turn)) turns.set(f.turn, { turn: f.turn, label: `T${f.turn}`, frames: [], record: g.history.find((r) => r.turn === f.turn) ?? null, entries: [] });
    turns.get(f.turn)!.frames.push(f);
  }
  for (const e of entries) {
    const t = [...turns.values()].filter((x) => x.frames.some((f) => f.seq <= e.seq)).pop();
    t?.entries?.push(e);
  }
  return { replay: { turns: [...turns.values()] }, states };
}

describe('replay steps', () => {
  it('one step per kept state, with the resolution that led to it', () => {
    const { replay } = playedReplay();
    const steps = replaySteps(replay);
    expect(steps.map((x) => `${x.turn}:${x.phase}`)).toEqual(['1:negotiation', '1:orders', '2:negotiation', '2:orders', '3:negotiation']);
    expect(steps[0]!.resolved).toBeNull();
    expect(steps[1]!.resolved).toBeNull();
    expect(steps[2]!.resolved?.turn).toBe(1);
    expect(steps[4]!.resolved?.turn).toBe(2);
    expect(replayTurns(steps)).toEqual([1, 2, 3]);
    expect(stepOfTurn(steps, 2)).toBe(2);
    expect(stepOfTurn(steps, 9)).toBe(4);
  });

  it('gives every step what was done during its phase', () => {
    const s = three();
    const steps = replaySteps(playedReplay().replay);
    const first = logLines(s, steps[0]!.entries);
    expect(first[0]).toMatchObject({ kind: 'message', by: 'player', power: s.powers[0]!.id });
    expect(first[0]!.text).toContain('“Hello there”');
    expect(first.some((l) => l.by === 'bot')).toBe(true);
    const all = steps.flatMap((x) => x.entries.map((e) => e.seq));
    expect(new Set(all).size).toBe(all.length);
    const last = logLines(s, steps[4]!.entries);
    expect(last.at(-1)).toMatchObject({ by: 'teacher', text: 'The teacher paused the game' });
  });

  it('labels steps and where a fork can start', () => {
    const s = three();
    expect(stepLabel(s, { turn: 2, phase: 'orders' })).toMatch(/2.*Orders$/);
    expect(stepLabel(s, { turn: 3, phase: 'ended' })).toBe('Game over');
    expect(forkPoint({ turn: 2, phase: 'orders' })).toEqual({ turn: 2, phase: 'orders' });
    expect(forkPoint({ turn: 8, phase: 'ended' })).toBeUndefined();
  });
});

describe('comparison', () => {
  const c: ComparisonLike = {
    labels: ['Start', 'T1', 'T2'],
    powers: [
      { id: 'a', name: 'A', colour: '#ff0000' },
      { id: 'b', name: 'B', colour: '#0000ff' },
    ],
    metrics: { power: [{ id: 'eco', name: 'Economy' }], pair: [{ id: 'trust', name: 'Trust' }] },
    pairs: [{ key: 'a|b', a: 'a', b: 'b' }],
    runs: [
      {
        session: 'ABCDEF',
        table: 't1',
        name: 'Table 1',
        status: 'ended',
        turn: 2,
        phase: 'ended',
        forkOf: null,
        scores: { ranking: [{ power: 'a', name: 'A', score: 7, rank: 1, credibility: 50, lines: [] }, { power: 'b', name: 'B', score: 3, rank: 2, credibility: 40, lines: [] }], winners: ['a'] } as never,
        turns: [0, 1, 2],
        metrics: { a: { eco: [50, 55, 60] }, b: { eco: [40, 41, 42] } },
        credibility: { a: [50, 50, 52], b: [50, 45, 40] },
        relations: { 'a|b': { trust: [30, 35, 40] } },
      },
      {
        session: 'ABCDEF',
        table: 't2',
        name: 'Table 2',
        status: 'paused',
        turn: 2,
        phase: 'negotiation',
        forkOf: { table: 't1', turn: 2, phase: 'negotiation' },
        scores: null,
        turns: [0, 1],
        metrics: { a: { eco: [50, 55] }, b: { eco: [40, 41] } },
        credibility: { a: [50, 50], b: [50, 45] },
        relations: { 'a|b': { trust: [30, 35] } },
      },
    ],
  };

  it('draws one line per run', () => {
    const eco = powerSeries(c, 'a', 'eco');
    expect(eco.map((x) => x.label)).toEqual(['Table 1', 'Table 2']);
    expect(eco[0]!.points).toEqual([
      { turn: 0, value: 50 },
      { turn: 1, value: 55 },
      { turn: 2, value: 60 },
    ]);
    expect(eco[1]!.points).toHaveLength(2);
    expect(eco[0]!.colour).not.toBe(eco[1]!.colour);
    expect(powerSeries(c, 'b', 'credibility')[0]!.points.map((p) => p.value)).toEqual([50, 45, 40]);
    expect(pairSeries(c, 'a|b', 'trust')[1]!.points.map((p) => p.value)).toEqual([30, 35]);
  });

  it('lines up the scores and says where each run stands', () => {
    const rows = scoreRows(c);
    expect(rows[0]!.cells).toEqual([{ score: 7, rank: 1, winner: true }, undefined]);
    expect(runStatus(c, 0)).toBe('Finished');
    expect(runStatus(c, 1)).toBe('Paused · turn 2, negotiation · forked from Table 1 at turn 2');
    expect(runLabel(c, 1)).toBe('Table 2');
    const two: ComparisonLike = { ...c, runs: [c.runs[0]!, { ...c.runs[1]!, session: 'GHJKMN' }] };
    expect(runLabel(two, 1)).toBe('GHJKMN · Table 2');
  });
});

describe('chart ranges', () => {
  it('has round ends and whole, distinct steps', async () => {
    const { niceRange } = await import('../../client/src/ui/charts.ts');
    for (const values of [[60, 60.5, 61.6], [43, 46], [55, 73], [0, 100], [50], [7, 10], [19, 25, 21]]) {
      const { lo, hi } = niceRange(values);
      expect(lo).toBeLessThanOrEqual(Math.min(...values));
      expect(hi).toBeGreaterThanOrEqual(Math.max(...values));
      expect((hi - lo) % 4).toBe(0);
      expect(hi - lo).toBeGreaterThanOrEqual(4);
    }
    expect(niceRange([60, 61])).toEqual({ lo: 59, hi: 63 });
  });
});
