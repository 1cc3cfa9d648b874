/**
 * Join codes: a new session takes a code that no running session holds and that no recorded session
 * had (issue 14: with a record shared by a district for a year, a reused code would mix two classes'
 * replays and debriefs). `pickCode` is table-driven; the server's wiring is checked on a real record.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pickCode } from '../../server/SessionRoom.ts';
import { createSession } from './helpers.ts';
import { bootPersistent, type PersistentServer, recordBackends, settled, stopPersistent } from './persistence-helpers.ts';

describe('pickCode', () => {
  const cases: { name: string; draws: string[]; running: string[]; recorded: string[]; expected: string | undefined }[] = [
    { name: 'the first free code', draws: ['AAAAAA'], running: [], recorded: [], expected: 'AAAAAA' },
    { name: 'skips a code a running session holds', draws: ['AAAAAA', 'BBBBBB'], running: ['AAAAAA'], recorded: [], expected: 'BBBBBB' },
    { name: 'skips a code the record holds', draws: ['AAAAAA', 'BBBBBB'], running: [], recorded: ['AAAAAA'], expected: 'BBBBBB' },
    { name: 'skips both', draws: ['AAAAAA', 'BBBBBB', 'CCCCCC'], running: ['AAAAAA'], recorded: ['BBBBBB'], expected: 'CCCCCC' },
    { name: 'gives up after its attempts', draws: ['AAAAAA', 'AAAAAA', 'AAAAAA'], running: [], recorded: ['AAAAAA'], expected: undefined },
  ];
  it.each(cases)('$name', async ({ draws, running, recorded, expected }) => {
    const queue = [...draws];
    const claimed = new Set(running);
    const code = await pickCode(
      () => queue.shift() ?? 'ZZZZZZ',
      async (c) => {
        if (claimed.has(c)) return false;
        claimed.add(c);
        return true;
      },
      async (c) => recorded.includes(c),
      draws.length,
    );
    expect(code).toBe(expected);
  });
});

const record = recordBackends('bamboo-codes-');

describe.each(record.backends)('the server, in $name', (backend) => {
  let t: PersistentServer;
  beforeAll(async () => {
    t = await bootPersistent(await record.fresh(backend, 'codes'));
  });
  afterAll(() => stopPersistent(t));

  it('knows which codes the record holds', async () => {
    const s = await createSession(t.colyseus, { scenario: 'tern_islands' });
    await settled(t.persistence);
    expect(await t.context.codeTaken?.(s.code)).toBe(true);
    expect(await t.context.codeTaken?.('ZZZZZZ')).toBe(false);
  });
});
