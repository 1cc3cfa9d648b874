import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { path } from '../helpers/scenarios.ts';

const run = promisify(execFile);
const node = process.execPath;

async function scenarioCommand(...args: string[]) {
  try {
    const { stdout, stderr } = await run(node, [path('server/cli/scenario.ts'), ...args], { cwd: path('') });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('npm run scenario', () => {
  it('check: exits 0 for valid files and lists what they hold', async () => {
    const r = await scenarioCommand('check', 'scenarios/hanoi-2024.yaml', 'tests/fixtures/scenarios/three-powers.yaml');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/hanoi-2024\.yaml: ok \(4 powers/);
    expect(r.stdout).toMatch(/three-powers\.yaml: ok \(3 powers/);
  });

  it('check: exits 1 and prints file:line:column, path and message for each error', async () => {
    const r = await scenarioCommand('check', 'tests/fixtures/scenarios/broken/several-reference-mistakes.yaml');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/several-reference-mistakes\.yaml:\d+:\d+: error: powers\[1\]\.capital: unknown place "paris"/);
    expect(r.stderr).toMatch(/moves\[0\]\.by\[1\]: unknown power "atlantis"/);
    expect(r.stderr).toMatch(/3 errors/);
  });

  it('check: a missing file is a clear error', async () => {
    const r = await scenarioCommand('check', 'scenarios/nope.yaml');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('cannot read the file');
  });

  it('simulate: prints win rates that add up to 100% and the moves played', async () => {
    const r = await scenarioCommand('simulate', 'tests/fixtures/scenarios/three-powers.yaml', '--games', '20', '--seed', 'cli', '--json');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { games: number; powers: Array<{ winRate: number }>; moves: unknown[] };
    expect(report.games).toBe(20);
    expect(report.powers).toHaveLength(3);
    expect(report.powers.reduce((s, p) => s + p.winRate, 0)).toBeCloseTo(1, 6);
    expect(report.moves.length).toBeGreaterThan(0);
    const text = await scenarioCommand('simulate', 'tests/fixtures/scenarios/three-powers.yaml', '--games', '5');
    expect(text.stdout).toContain('Moves — times taken effect per game');
  });

  it('simulate: a bad --games value is refused', async () => {
    const r = await scenarioCommand('simulate', 'scenarios/hanoi-2024.yaml', '--games', 'many');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('usage');
  });

  it.each([
    ['a folder', ['tests/fixtures/scenarios/folder'], 1, [/folder\/lab\.yml: ok \(3 powers, 4 moves, 4 events, 3 turns\)/, /one-turn\.yaml: ok \(.*, 1 turn\)/, /3 files checked, 1 with errors/], [/empty\.yaml:1:1: error: \(top level\): the file holds nothing but comments/]],
    ['a glob', ['tests/fixtures/scenarios/*.yaml'], 0, [/five-powers\.yaml: ok \(5 powers/, /4 files checked, all valid/], []],
    ['a glob matching nothing', ['tests/fixtures/nothing/*.yaml'], 1, [], [/no scenario files/]],
    ['an alias bomb', ['tests/fixtures/scenarios/limits/alias-bomb.yaml'], 1, [], [/alias-bomb\.yaml:62:11: error: \(YAML aliases\): aliases expand to more than 5,000 copies/]],
    ['many legitimate aliases', ['tests/fixtures/scenarios/limits/many-aliases.yaml'], 0, [/ok \(3 powers, 120 moves/], []],
    ['too many moves', ['tests/fixtures/scenarios/limits/too-many-moves.yaml'], 1, [], [/too-many-moves\.yaml:256:5: error: moves\[200\]: at most 200 moves/]],
    ['a duplicate key', ['tests/fixtures/scenarios/limits/duplicate-key.yaml'], 1, [], [/:19:5: error: \(YAML syntax\): the key "name" appears twice/]],
  ])('check: %s', async (_name, args, code, out, err) => {
    const r = await scenarioCommand('check', ...args);
    expect(r.code).toBe(code);
    for (const re of out) expect(r.stdout).toMatch(re);
    for (const re of err) expect(r.stderr).toMatch(re);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('check: a 5 MB file is refused with its size, without a stack trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bamboo-cli-'));
    const file = join(dir, 'huge.yaml');
    writeFileSync(file, readFileSync(path('tests/fixtures/scenarios/rules-lab.yaml'), 'utf8') + `# ${'x'.repeat(98)}\n`.repeat(50_000));
    const r = await scenarioCommand('check', file);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/huge\.yaml:1:1: error: \(file\): the file is 4,9\d\d KB; a scenario may be at most 512 KB/);
  });

  it('simulate: prints every balance figure in columns that never run together', async () => {
    const r = await scenarioCommand('simulate', 'tests/fixtures/scenarios/three-powers.yaml', '--games', '30', '--seed', 'cli');
    expect(r.code).toBe(0);
    for (const heading of ['Win rates — fair band for 3 powers: 21.7% to 45.0%', 'Objectives', 'Moves', 'Events', 'Metrics at the end', 'Relations at the end', 'Commitments']) {
      expect(r.stdout).toContain(heading);
    }
    expect(r.stdout).toContain('30 bot games');
    expect(r.stdout).toMatch(/Scholar exchange\s+0\.00 .*NEVER PLAYED/);
    // Every move row: the name, then at least two spaces before its first number.
    const rows = r.stdout.split('\n').filter((l) => /^ {2}\S.*\d+\.\d\d {2}/.test(l));
    for (const row of rows) expect(row).toMatch(/\S {2,}\d/);
  });

  it('simulate --json: objectives, moves with players, events, spreads and intervals', async () => {
    const r = await scenarioCommand('simulate', 'tests/fixtures/scenarios/folder/one-turn.yaml', '--games', '12', '--json');
    const report = JSON.parse(r.stdout) as import('../../shared/engine/balance.ts').SimulationReport;
    expect(report.fair.share).toBeCloseTo(1 / 3, 6);
    expect(report.powers[0]).toMatchObject({ interval: [expect.any(Number), expect.any(Number)], maxScore: 16, objectives: expect.any(Array) });
    expect(report.moves[0]).toMatchObject({ byPower: expect.any(Object), winRateWhenPlayed: expect.any(Number) });
    expect(report.events.map((e) => e.event).sort()).toEqual(['luck', 'storm', 'summit', 'windfall']);
    expect(report.metrics[0]!.spread).toMatchObject({ min: expect.any(Number), q1: expect.any(Number), median: expect.any(Number), q3: expect.any(Number), max: expect.any(Number) });
  });
});
