import { execFile } from 'node:child_process';
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
    expect(text.stdout).toContain('Most played moves');
  });

  it('simulate: a bad --games value is refused', async () => {
    const r = await scenarioCommand('simulate', 'scenarios/hanoi-2024.yaml', '--games', 'many');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('usage');
  });
});
