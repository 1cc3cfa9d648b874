/**
 * The scenario designer's command line:
 *   npm run scenario -- check FILE|FOLDER|GLOB...         validate; exit 1 on errors
 *   npm run scenario -- simulate FILE [--games N] [--seed S] [--json]
 *   npm run scenario -- schema [OUT]                      write the JSON Schema for editors
 */
import { globSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { formatIssue, parseScenario, ScenarioSchema, type Scenario } from '#shared/index.ts';
import { simulate } from '#shared/engine/simulate.ts';
import { SCENARIO_LIMITS } from '#shared/scenario/limits.ts';
import { formatReport, plural } from './report.ts';

function load(file: string): { scenario?: Scenario; ok: boolean } {
  let text: string;
  try {
    // A file far past the limit is refused before it is read; parseScenario reports the exact size.
    if (statSync(file).size > 4 * SCENARIO_LIMITS.bytes) {
      console.error(`${file}:1:1: error: (file): the file is ${Math.round(statSync(file).size / 1024).toLocaleString('en')} KB; a scenario may be at most ${SCENARIO_LIMITS.bytes / 1024} KB`);
      return { ok: false };
    }
    text = readFileSync(file, 'utf8');
  } catch (error) {
    console.error(`${file}: cannot read the file (${(error as Error).message})`);
    return { ok: false };
  }
  const result = parseScenario(text, file);
  for (const w of result.warnings) console.error(formatIssue(w));
  if (!result.ok) {
    for (const e of result.errors) console.error(formatIssue(e));
    console.error(`${file}: ${result.errors.length} error${result.errors.length === 1 ? '' : 's'}`);
    return { ok: false };
  }
  return { scenario: result.scenario, ok: true };
}

const isYaml = (name: string) => name.endsWith('.yaml') || name.endsWith('.yml');

/** Files, folders (their *.yaml and *.yml files, not sub-folders) and globs, in a stable order. */
export function expandArgs(args: string[]): { files: string[]; missing: string[] } {
  const files: string[] = [];
  const missing: string[] = [];
  for (const arg of args) {
    if (/[*?[{]/.test(arg)) {
      const found = globSync(arg).filter(isYaml).sort();
      if (found.length === 0) missing.push(arg);
      files.push(...found);
      continue;
    }
    let dir = false;
    try {
      dir = statSync(arg).isDirectory();
    } catch {
      // Not there: load() says so with the file's name.
    }
    if (!dir) files.push(arg);
    else {
      const found = readdirSync(arg).filter(isYaml).sort().map((n) => join(arg, n));
      if (found.length === 0) missing.push(arg);
      files.push(...found);
    }
  }
  return { files: [...new Set(files)], missing };
}

function check(args: string[]): number {
  if (args.length === 0) {
    console.error('usage: npm run scenario -- check FILE|FOLDER|GLOB...');
    return 2;
  }
  const { files, missing } = expandArgs(args);
  for (const m of missing) console.error(`${m}: no scenario files (*.yaml, *.yml) here`);
  let failed = missing.length;
  for (const file of files) {
    const { ok, scenario } = load(file);
    if (ok && scenario) {
      const counts = [plural(scenario.powers.length, 'power'), plural(scenario.moves.length, 'move'), plural(scenario.events.length, 'event'), plural(scenario.turns.count, 'turn')];
      console.log(`${file}: ok (${counts.join(', ')})`);
    } else failed++;
  }
  if (files.length > 1) console.log(`${plural(files.length, 'file')} checked, ${failed ? `${failed} with errors` : 'all valid'}`);
  return failed ? 1 : 0;
}

function runSimulation(argv: string[]): number {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { games: { type: 'string', default: '1000' }, seed: { type: 'string', default: 'bamboo' }, json: { type: 'boolean', default: false } },
  });
  const file = positionals[0];
  const games = Number(values.games);
  if (!file || !Number.isInteger(games) || games < 1) {
    console.error('usage: npm run scenario -- simulate FILE [--games N] [--seed S] [--json]');
    return 2;
  }
  const { scenario } = load(file);
  if (!scenario) return 1;
  const started = performance.now();
  const report = simulate(scenario, games, values.seed);
  const seconds = (performance.now() - started) / 1000;
  if (values.json) {
    console.log(JSON.stringify(report, null, 2));
    return 0;
  }
  console.log(formatReport(scenario, report, basename(file)));
  console.log(`\n(${seconds.toFixed(1)} s)`);
  return 0;
}

function writeSchema(out = 'scenarios/scenario.schema.json'): number {
  const schema = z.toJSONSchema(ScenarioSchema, { io: 'input', unrepresentable: 'any' });
  writeFileSync(out, `${JSON.stringify({ ...schema, title: 'Bamboo scenario' }, null, 2)}\n`);
  console.log(`wrote ${out}`);
  return 0;
}

const [command, ...rest] = process.argv.slice(2);
const commands: Record<string, (args: string[]) => number> = {
  check,
  simulate: runSimulation,
  schema: (args) => writeSchema(args[0]),
};
const run = command ? commands[command] : undefined;
if (!run) {
  console.error('usage: npm run scenario -- check FILE|FOLDER|GLOB... | simulate FILE [--games N] [--seed S] | schema [OUT]');
  process.exit(2);
}
process.exit(run(rest));
