/**
 * The scenario designer's command line:
 *   npm run scenario -- check FILE...                     validate; exit 1 on errors
 *   npm run scenario -- simulate FILE [--games N] [--seed S] [--json]
 *   npm run scenario -- schema [OUT]                      write the JSON Schema for editors
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { formatIssue, parseScenario, ScenarioSchema, type Scenario } from '#shared/index.ts';
import { simulate } from '#shared/engine/simulate.ts';

function load(file: string): { scenario?: Scenario; ok: boolean } {
  let text: string;
  try {
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

function check(files: string[]): number {
  if (files.length === 0) {
    console.error('usage: npm run scenario -- check FILE...');
    return 2;
  }
  let failed = 0;
  for (const file of files) {
    const { ok, scenario } = load(file);
    if (ok && scenario) {
      console.log(`${file}: ok (${scenario.powers.length} powers, ${scenario.moves.length} moves, ${scenario.events.length} events, ${scenario.turns.count} turns)`);
    } else failed++;
  }
  return failed ? 1 : 0;
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const pad = (s: string, n: number) => s.padEnd(n);

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
  console.log(`${basename(file)}: ${games} bot games, seed "${values.seed}" (${seconds.toFixed(1)} s)\n`);
  const metricIds = scenario.metrics.power.map((m) => m.id);
  console.log(`${pad('power', 16)}${pad('wins', 8)}${pad('score', 16)}${pad('cred.', 7)}${metricIds.map((m) => pad(m, 11)).join('')}`);
  for (const p of report.powers) {
    const balanced = p.winRate >= 0.15 && p.winRate <= 0.35 ? '' : ' *';
    console.log(
      `${pad(p.name, 16)}${pad(pct(p.winRate), 8)}${pad(`${p.meanScore.toFixed(1)} ± ${p.sdScore.toFixed(1)}`, 16)}${pad(p.meanCredibility.toFixed(0), 7)}` +
        metricIds.map((m) => pad((p.meanMetrics[m] ?? 0).toFixed(1), 11)).join('') +
        balanced,
    );
  }
  const fair = 1 / scenario.powers.length;
  console.log(`\n(* outside 15%–35%; an even share is ${pct(fair)})`);
  console.log(`\nCommitments: ${report.kept} kept, ${report.breaches} broken`);
  console.log('\nMost played moves:');
  for (const m of report.moves.slice(0, 5)) console.log(`  ${pad(m.name, 40)}${m.perGame.toFixed(2)} per game`);
  console.log('Least played moves:');
  for (const m of report.moves.slice(-5).reverse()) console.log(`  ${pad(m.name, 40)}${m.perGame.toFixed(2)} per game`);
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
  console.error('usage: npm run scenario -- check FILE... | simulate FILE [--games N] [--seed S] | schema [OUT]');
  process.exit(2);
}
process.exit(run(rest));
