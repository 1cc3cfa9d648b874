import { describe, expect, it } from 'vitest';
import { applyDraft, isEmptyDraft, makeDraft, parseDraft, serialiseDraft, type DraftSource } from '../../client/src/model/draft.ts';

const blank = (): DraftSource => ({ plan: { turn: 0, orders: [] }, composer: {}, conv: '', proposal: { open: false, to: '', terms: [], note: '' } });

const term = { power: 'a', type: 'do' as const, move: 'm1', target: 'b', from_turn: 2, to_turn: 3 };

function filled(): DraftSource {
  return {
    plan: { turn: 2, orders: [{ move: 'm1', target: 'b' }, { move: 'm2' }] },
    composer: { 'a+b': 'Shall we', 'a+c': '   ' },
    conv: 'a+b',
    proposal: { open: true, to: 'b', terms: [term], note: 'a note', counters: 'p3' },
  };
}

describe('drafts', () => {
  it('round-trips the plan, chat drafts and an open proposal', () => {
    const d = makeDraft('t1', 'a', filled());
    expect(d.composer).toEqual({ 'a+b': 'Shall we' });
    expect(d.conv).toBe('a+b');
    const back = parseDraft(serialiseDraft(d, 8000));
    expect(back).toEqual(d);
  });

  it('an empty draft is the empty string', () => {
    const d = makeDraft('t1', 'a', blank());
    expect(isEmptyDraft(d)).toBe(true);
    expect(serialiseDraft(d, 8000)).toBe('');
    expect(parseDraft('')).toBeUndefined();
  });

  it('stays under the limit by dropping the longest chat drafts first', () => {
    const st = filled();
    st.composer = { long: 'x'.repeat(3000), short: 'hello' };
    const text = serialiseDraft(makeDraft('t1', 'a', st), 1000);
    expect(text.length).toBeLessThanOrEqual(1000);
    const d = parseDraft(text)!;
    expect(d.composer).toEqual({ short: 'hello' });
    expect(d.plan.orders).toHaveLength(2);
    expect(serialiseDraft(makeDraft('t1', 'a', st), 10)).toBe('');
  });

  it('ignores what is not a draft', () => {
    for (const bad of ['not json', '[]', '{"v":2,"table":"t1","power":"a"}', '{"v":1,"table":3}', 'null']) expect(parseDraft(bad)).toBeUndefined();
    const d = parseDraft('{"v":1,"table":"t1","power":"a","plan":{"turn":1,"orders":[{"move":"m"},{"x":1},"s"]},"composer":{"k":"v","n":5},"proposal":{"open":true,"to":"b","terms":[]}}')!;
    expect(d.plan.orders).toEqual([{ move: 'm' }]);
    expect(d.composer).toEqual({ k: 'v' });
    expect(d.proposal.open).toBe(false);
  });

  it('applies only to its own seat, and the plan only in its own turn', () => {
    const d = makeDraft('t1', 'a', filled());
    expect(applyDraft(blank(), d, { table: 't2', power: 'a', turn: 2 })).toBeUndefined();
    expect(applyDraft(blank(), d, { table: 't1', power: 'b', turn: 2 })).toBeUndefined();
    const later = blank();
    expect(applyDraft(later, d, { table: 't1', power: 'a', turn: 3 })).toEqual({ plan: 0, messages: 1, proposal: true });
    expect(later.plan.orders).toEqual([]);
    const st = blank();
    expect(applyDraft(st, d, { table: 't1', power: 'a', turn: 2 })).toEqual({ plan: 2, messages: 1, proposal: true });
    expect(st.plan).toEqual({ turn: 2, orders: [{ move: 'm1', target: 'b' }, { move: 'm2' }] });
    expect(st.composer['a+b']).toBe('Shall we');
    expect(st.conv).toBe('a+b');
    expect(st.proposal).toEqual({ open: true, to: 'b', terms: [term], note: 'a note', counters: 'p3' });
  });

  it('never overwrites what the player already typed on this page', () => {
    const d = makeDraft('t1', 'a', filled());
    const st = blank();
    st.composer['a+b'] = 'newer';
    st.plan = { turn: 2, orders: [{ move: 'm9' }] };
    expect(applyDraft(st, d, { table: 't1', power: 'a', turn: 2 })).toEqual({ plan: 0, messages: 0, proposal: true });
    expect(st.composer['a+b']).toBe('newer');
    expect(st.plan.orders).toEqual([{ move: 'm9' }]);
  });
});
