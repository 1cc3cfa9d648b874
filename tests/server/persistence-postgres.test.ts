/**
 * server/persistence/postgres.ts: how a batch's values become SQL literals (a write is one simple
 * query, which takes no parameters), and how addresses are shown in logs. Pure functions, no server;
 * the round trip through a real PostgreSQL is in storage-contract.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { inline, literal, numbered, redact } from '../../server/persistence/postgres.ts';

describe('literal', () => {
  it.each([
    { value: null, sql: 'NULL' },
    { value: 42, sql: '42' },
    { value: -1.5, sql: '-1.5' },
    { value: 1_796_023_069_731, sql: '1796023069731' },
    { value: 'plain', sql: "'plain'" },
    { value: "it's", sql: "'it''s'" },
    { value: "'); DROP TABLE entries; --", sql: "'''); DROP TABLE entries; --'" },
    { value: 'back\\slash', sql: " E'back\\\\slash'" },
    { value: new Uint8Array([0, 1, 254, 255]), sql: "'\\x0001feff'::bytea" },
  ])('$value → $sql', ({ value, sql }) => {
    expect(literal(value)).toBe(sql);
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY])('refuses %s', (n) => {
    expect(() => literal(n)).toThrow(/finite/);
  });
});

describe('inline', () => {
  it('replaces each placeholder once, never inside a value', () => {
    expect(inline('UPDATE t SET a = ?, b = ? WHERE c = ?', ['x?', 1, null])).toBe("UPDATE t SET a = 'x?', b = 1 WHERE c = NULL");
  });
  it('refuses a count of values that does not match', () => {
    expect(() => inline('SELECT ?', [])).toThrow(/placeholders/);
    expect(() => inline('SELECT 1', [1])).toThrow(/placeholders/);
  });
});

describe('numbered', () => {
  it('numbers the placeholders for a parameterised query', () => {
    expect(numbered('SELECT a FROM t WHERE b = ? AND c IN (?, ?)')).toBe('SELECT a FROM t WHERE b = $1 AND c IN ($2, $3)');
  });
});

describe('redact', () => {
  it.each([
    { url: 'postgres://bamboo:s3cret@db:5432/bamboo', shown: 'postgres://bamboo:***@db:5432/bamboo' },
    { url: 'postgres://bamboo@db/bamboo', shown: 'postgres://bamboo@db/bamboo' },
    { url: 'not a url', shown: 'postgres://(unparsable address)' },
  ])('$url', ({ url, shown }) => {
    expect(redact(url)).toBe(shown);
  });
});
