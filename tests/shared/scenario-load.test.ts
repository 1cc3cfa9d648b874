import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../shared/index.ts';
import { path } from '../helpers/scenarios.ts';

interface Expected {
  mistake: string;
  errors: Array<{ line: number; column: number; path: string; message: string }>;
}

const brokenDir = 'tests/fixtures/scenarios/broken/';
const expected = JSON.parse(readFileSync(path(`${brokenDir}expected.json`), 'utf8')) as Record<string, Expected>;
const brokenFiles = readdirSync(path(brokenDir)).filter((f) => f.endsWith('.yaml'));

describe('broken scenario files report each mistake at its exact place', () => {
  it('has an expectation for every broken file', () => {
    expect(Object.keys(expected).sort()).toEqual(brokenFiles.sort());
  });

  it.each(brokenFiles)('%s', (file) => {
    const result = parseScenario(readFileSync(path(brokenDir + file), 'utf8'), file);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const want = expected[file]!;
    expect(result.errors.map((e) => ({ line: e.line, column: e.column, path: e.path }))).toEqual(
      want.errors.map((e) => ({ line: e.line, column: e.column, path: e.path })),
    );
    result.errors.forEach((e, i) => {
      expect(e.file).toBe(file);
      expect(e.message).toContain(want.errors[i]!.message);
    });
  });
});

describe('valid scenarios', () => {
  const files = [
    ...readdirSync(path('scenarios')).filter((f) => f.endsWith('.yaml')).map((f) => `scenarios/${f}`),
    ...readdirSync(path('tests/fixtures/scenarios')).filter((f) => f.endsWith('.yaml')).map((f) => `tests/fixtures/scenarios/${f}`),
  ];
  it.each(files)('%s validates without errors', (file) => {
    const result = parseScenario(readFileSync(path(file), 'utf8'), file);
    expect(result.ok ? [] : result.errors).toEqual([]);
  });

  it('warns, with the line, about moves and events that cite no source', () => {
    const text = readFileSync(path('tests/fixtures/scenarios/rules-lab.yaml'), 'utf8').replace(
      '    description: Public criticism.\n    kind: pressure\n',
      '    description: Public criticism.\n    kind: pressure\n    sources: []\n',
    ).replace(/(id: scold[\s\S]*?) {4}sources: \[\{ source: lab \}\]\n/, '$1');
    const result = parseScenario(text, 'lab.yaml');
    expect(result.ok).toBe(true);
    expect(result.warnings).toEqual([expect.objectContaining({ path: 'moves[1].id', message: 'move "scold" cites no source', line: expect.any(Number) })]);
  });
});
