/** Limits and plain-spoken errors: alias bombs, oversized files and lists, empty files, duplicate keys. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../shared/index.ts';
import { SCENARIO_LIMITS } from '../../shared/scenario/limits.ts';
import { path } from '../helpers/scenarios.ts';

const read = (name: string) => readFileSync(path(`tests/fixtures/scenarios/limits/${name}`), 'utf8');
const lab = readFileSync(path('tests/fixtures/scenarios/rules-lab.yaml'), 'utf8');

describe('files that break a limit or say nothing', () => {
  it.each([
    ['alias-bomb.yaml', 62, '(YAML aliases)', /aliases expand to more than 5,000 copies \(the anchor "&l7"/],
    ['too-many-moves.yaml', 256, 'moves[200]', /at most 200 moves: this is number 201/],
    ['empty.yaml', 1, '(top level)', /nothing but comments/],
    ['duplicate-key.yaml', 19, '(YAML syntax)', /the key "name" appears twice/],
  ])('%s: line %i, %s', (file, line, where, message) => {
    const result = parseScenario(read(file), file);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatchObject({ line, path: where });
    expect(result.errors[0]!.message).toMatch(message);
  });

  it.each([
    ['an empty text', '', /the file is empty/],
    ['only spaces', '  \n\n ', /the file is empty/],
    ['a bare word', 'hello\n', /only the text "hello"/],
    ['a list', '- a\n- b\n', /expected object, got a list/],
  ])('%s', (_name, text, message) => {
    const result = parseScenario(text, 'x.yaml');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]!.message).toMatch(message);
  });

  it('accepts a file that reuses two anchors across 120 moves', () => {
    const result = parseScenario(read('many-aliases.yaml'), 'many-aliases.yaml');
    expect(result.ok ? [] : result.errors).toEqual([]);
    if (result.ok) expect(result.scenario.moves).toHaveLength(120);
  });

  it('refuses a file over the size limit, at the line past the limit, quickly', () => {
    const padding = `# ${'x'.repeat(98)}\n`.repeat(Math.ceil(SCENARIO_LIMITS.bytes / 100) + 10);
    const started = performance.now();
    const result = parseScenario(lab + padding, 'big.yaml');
    expect(performance.now() - started).toBeLessThan(500);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors[0]!.message).toMatch(/the file is \d+ KB; a scenario may be at most 512 KB/);
    expect(result.errors[0]!.line).toBeGreaterThan(lab.split('\n').length);
  });

  it('refuses more than 8 powers at the ninth', () => {
    const power = (i: number) => `  - { id: p${i}, name: P${i}, colour: "#112233", capital: alpha_city, brief: x, objectives: [{ id: o, text: o, weight: 1, condition: { metric: calm, of: actor, at_least: 1 } }] }\n`;
    const text = lab.replace('powers:\n', `powers:\n${Array.from({ length: 6 }, (_, i) => power(i)).join('')}`);
    const result = parseScenario(text, 'nine.yaml');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map((e) => e.path)).toContain('powers[8]');
  });
});
