import { describe, expect, it } from 'vitest';
import { playBotGame, playBotPhase } from '../../shared/engine/simulate.ts';
import { botActions, type GameState, newGame, type Scenario, scoreGame, step } from '../../shared/index.ts';
import { FIVE, HANOI, LAB, loadScenario, THREE } from '../helpers/scenarios.ts';

const files = [LAB, THREE, FIVE, HANOI];
const seeds = Array.from({ length: 12 }, (_, i) => `bot-${i}`);

/** A game where one power is played by the bot and the others stand idle (no moves, no replies). */
function soloGame(s: Scenario, power: string, seed: string, botPlays: boolean): GameState {
  let state = newGame(s, seed);
  while (state.phase !== 'ended') {
    if (botPlays) for (const a of botActions(s, state, power)) {
      const r = step(s, state, a);
      if (r.ok) state = r.state;
    }
    const r = step(s, state, { type: 'advance' });
    if (!r.ok) throw new Error('advance refused');
    state = r.state;
  }
  return state;
}

describe.each(files)('bots on %s', (file) => {
  const s = loadScenario(file);

  it('only ever give orders the engine accepts', () => {
    for (const seed of seeds.slice(0, 4)) {
      let state = newGame(s, seed);
      while (state.phase !== 'ended') {
        for (const p of s.powers) {
          for (const a of botActions(s, state, p.id)) {
            if (a.type === 'respond') continue; // a reply may race another reply in the same pass
            const r = step(s, state, a);
            expect(r.ok ? 'ok' : `${a.type}: ${r.rejection.code} ${r.rejection.message}`).toBe('ok');
            if (r.ok) state = r.state;
          }
        }
        state = playBotPhase(s, state);
      }
    }
  });

  it('score better than a power that does nothing, for every power', () => {
    for (const p of s.powers) {
      const mean = (botPlays: boolean) =>
        seeds.reduce((sum, seed) => sum + scoreGame(s, soloGame(s, p.id, seed, botPlays)).ranking.find((r) => r.power === p.id)!.score, 0);
      expect(mean(true), `${p.id} played by a bot vs idle`).toBeGreaterThanOrEqual(mean(false));
    }
  });

  it('play differently under different seeds, identically under the same seed', () => {
    const a = playBotGame(s, 'same');
    expect(JSON.stringify(playBotGame(s, 'same'))).toBe(JSON.stringify(a));
    const histories = new Set(seeds.map((seed) => JSON.stringify(playBotGame(s, seed).history.map((h) => h.orders))));
    expect(histories.size).toBeGreaterThan(1);
  });
});

describe('bot personalities', () => {
  const base = loadScenario(LAB);
  const hanoi = loadScenario(HANOI);
  const withLoyalty = (loyalty: number, s: Scenario = hanoi): Scenario => ({
    ...s,
    powers: s.powers.map((p) => ({ ...p, personality: { ...p.personality, loyalty } })),
  });
  const breaches = (s: Scenario) =>
    seeds.flatMap((seed) => playBotGame(s, seed).commitments).filter((c) => c.status === 'breached').length;
  const commitments = (s: Scenario) => seeds.flatMap((seed) => playBotGame(s, seed).commitments).length;

  it('arrange joint moves by proposal and carry them out', () => {
    const executed = seeds.flatMap((seed) => playBotGame(base, seed).history.flatMap((h) => h.events)).filter(
      (e) => e.type === 'move' && e.move === 'pact' && e.outcome === 'done',
    );
    expect(executed.length).toBeGreaterThan(0);
  });

  it('keep every promise when fully loyal and break some when not', () => {
    expect(commitments(withLoyalty(1))).toBeGreaterThan(0);
    expect(breaches(withLoyalty(1))).toBe(0);
    expect(breaches(withLoyalty(0))).toBeGreaterThan(0);
  });
});
