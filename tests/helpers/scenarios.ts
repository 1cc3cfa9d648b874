import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { parseScenario, type Scenario } from '../../shared/index.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

export function path(relative: string): string {
  return `${root}${relative}`;
}

/** Loads a scenario file, failing loudly with its errors if it does not validate. */
export function loadScenario(relative: string): Scenario {
  const result = parseScenario(readFileSync(path(relative), 'utf8'), relative);
  if (!result.ok) throw new Error(result.errors.map((e) => `${e.line}:${e.column} ${e.path}: ${e.message}`).join('\n'));
  return result.scenario;
}

export function loadYaml<T>(relative: string): T {
  return parse(readFileSync(path(relative), 'utf8')) as T;
}

export const LAB = 'tests/fixtures/scenarios/rules-lab.yaml';
export const HANOI = 'scenarios/hanoi-2024.yaml';
export const THREE = 'tests/fixtures/scenarios/three-powers.yaml';
export const FIVE = 'tests/fixtures/scenarios/five-powers.yaml';
