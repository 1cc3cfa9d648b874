import { describe, expect, it } from 'vitest';
import { fill, moveHeadline, possessive } from '../../shared/engine/headlines.ts';
import { LAB, loadScenario } from '../helpers/scenarios.ts';

const scenario = loadScenario(LAB);

describe('headlines', () => {
  it.each([
    ['Alpha', "Alpha's"],
    ['United States', "United States'"],
    ['Philippines', "Philippines'"],
  ])('possessive of %s is %s', (name, expected) => {
    expect(possessive(name)).toBe(expected);
  });

  it.each([
    ['{actor} meets {target}', 'Alpha meets Beta'],
    ["{actor's} envoy visits {target's} capital", "Alpha's envoy visits Beta's capital"],
    ['No names here', 'No names here'],
  ])('fills %j', (template, expected) => {
    expect(fill(template, scenario, 'alpha', 'beta')).toBe(expected);
  });

  it('names the move and both powers when the scenario gives no headline', () => {
    const gift = scenario.moves.find((m) => m.id === 'gift')!;
    expect(moveHeadline(scenario, gift, 'alpha', 'gamma')).toBe('Alpha: Gift (Gamma)');
  });
});
