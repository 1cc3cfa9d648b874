import { readFileSync } from 'node:fs';
import { parseScenario, type Scenario } from '../../shared/index.ts';

export function loadScenario(path: string): Scenario {
  const r = parseScenario(readFileSync(path, 'utf8'), path);
  if (!r.ok) throw new Error(`${path} does not parse`);
  return r.scenario;
}
export const three = () => loadScenario('tests/fixtures/scenarios/three-powers.yaml');
export const five = () => loadScenario('tests/fixtures/scenarios/five-powers.yaml');
