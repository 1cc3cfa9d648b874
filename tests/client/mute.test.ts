/** Muting (issue 13, part 4): a muted power's messages are hidden, never your own. */
import { describe, expect, it } from 'vitest';
import { hideMuted } from '../../client/src/model/mute.ts';

describe('mute', () => {
  it('hides the messages of muted powers and counts them', () => {
    const msgs = [{ from: 'china', text: 'a' }, { from: 'vietnam', text: 'b' }, { from: 'china', text: 'c' }, { from: 'russia', text: 'd' }];
    const r = hideMuted(msgs, new Set(['china']), 'vietnam');
    expect(r.shown.map((m) => m.text)).toEqual(['b', 'd']);
    expect(r.hidden).toBe(2);
    expect(hideMuted(msgs, new Set(['vietnam']), 'vietnam').hidden).toBe(0);
    expect(hideMuted(msgs, new Set(), 'vietnam').shown).toHaveLength(4);
  });
});
