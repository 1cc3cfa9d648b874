/** My games (issue 13, part 3): which notifications are due, each told once. */
import { describe, expect, it } from 'vitest';
import type { MyGameStatus } from '../../shared/protocol.ts';
import { dueNotices } from '../../client/src/net/mygames.ts';

const game = (over: Partial<MyGameStatus>): MyGameStatus => ({
  code: 'ABCDEF',
  title: 'Hanoi 2024',
  scenario: 'hanoi_2024',
  power: 'vietnam',
  status: 'running',
  turn: 2,
  turns: 8,
  phase: 'orders',
  deadline: 0,
  now: 1_000_000,
  waitingFor: ['vietnam'],
  yourMove: true,
  received: 0,
  openProposals: 0,
  ...over,
});

describe('notifications of My games', () => {
  it('tells once that a phase opened where it is your move', () => {
    const told = new Set<string>();
    const first = dueNotices([game({})], told);
    expect(first).toHaveLength(1);
    expect(first[0]!.title).toMatch(/Your move/);
    for (const n of first) told.add(n.tag);
    expect(dueNotices([game({})], told)).toEqual([]);
    // The next phase is new again.
    expect(dueNotices([game({ phase: 'negotiation', turn: 3 })], told)).toHaveLength(1);
  });

  it('tells when a deadline is less than an hour away, once', () => {
    const told = new Set<string>(['ABCDEF:2:orders']);
    expect(dueNotices([game({ deadline: 1_000_000 + 2 * 3_600_000 })], told)).toEqual([]);
    const soon = dueNotices([game({ deadline: 1_000_000 + 30 * 60_000 })], told);
    expect(soon.map((n) => n.title)).toEqual(['Deadline soon: Hanoi 2024']);
    expect(soon[0]!.body).toMatch(/30 minutes/);
    told.add(soon[0]!.tag);
    expect(dueNotices([game({ deadline: 1_000_000 + 10 * 60_000 })], told)).toEqual([]);
  });

  it('says nothing when it is not your move', () => {
    expect(dueNotices([game({ yourMove: false, waitingFor: ['china'], deadline: 1_000_000 + 60_000 })], new Set())).toEqual([]);
  });
});
