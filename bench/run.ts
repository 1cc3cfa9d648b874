/**
 * Engine benchmarks. They print figures; they never pass or fail on time.
 *   npm run bench [-- --games N]
 * 1. Turn resolution for the Hanoi scenario: four powers with the orders bots would give, resolved
 *    again and again from the same orders-phase state (median and 99th percentile, turns per second).
 * 2. Bot games simulated per second, on one core (this process), for every bundled scenario.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { botActions, type GameState, newGame, parseScenario, type Scenario, step } from '../shared/index.ts';
import { playBotPhase, simulate } from '../shared/engine/simulate.ts';

const { values } = parseArgs({ options: { games: { type: 'string', default: '1000' } } });
const games = Number(values.games);

function load(file: string): Scenario {
  const result = parseScenario(readFileSync(file, 'utf8'), file);
  if (!result.ok) throw new Error(`${file} does not validate`);
  return result.scenario;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Orders-phase states with every power's bot orders in place, one per turn of a bot game. */
function ordersStates(s: Scenario, seed: string): GameState[] {
  const states: GameState[] = [];
  let state = newGame(s, seed);
  while (state.phase !== 'ended') {
    if (state.phase === 'orders') {
      let ready = state;
      for (const p of s.powers) for (const a of botActions(s, ready, p.id)) {
        const r = step(s, ready, a);
        if (r.ok) ready = r.state;
      }
      states.push(ready);
    }
    state = playBotPhase(s, state);
  }
  return states;
}

function benchResolution(file: string) {
  const s = load(file);
  const states = ordersStates(s, 'bench');
  const timings: number[] = [];
  const rounds = 4000;
  for (let i = 0; i < rounds; i++) {
    const state = states[i % states.length]!;
    const t0 = process.hrtime.bigint();
    const r = step(s, state, { type: 'advance' });
    const t1 = process.hrtime.bigint();
    if (!r.ok) throw new Error('resolution refused');
    if (i >= 400) timings.push(Number(t1 - t0) / 1000); // the first rounds warm up the JIT
  }
  timings.sort((a, b) => a - b);
  const median = percentile(timings, 50);
  console.log(`Turn resolution, ${s.title} (${s.powers.length} powers, bot orders, ${timings.length} turns):`);
  console.log(`  median ${median.toFixed(1)} µs, p99 ${percentile(timings, 99).toFixed(1)} µs, ${Math.round(1e6 / median).toLocaleString('en')} turns/s (target: median under 100 µs)`);
}

function benchGames(file: string) {
  const s = load(file);
  simulate(s, 20, 'warm-up');
  const t0 = performance.now();
  simulate(s, games, 'bench');
  const seconds = (performance.now() - t0) / 1000;
  console.log(`  ${s.title}: ${games} games in ${seconds.toFixed(2)} s, ${(games / seconds).toFixed(0)} games/s`);
}

console.log(`Bamboo engine benchmarks on Node ${process.version}\n`);
benchResolution('scenarios/hanoi-2024.yaml');
console.log(`\nBot games simulated on one core (target: 1,000 Hanoi games under 10 s):`);
const files = [
  ...readdirSync('scenarios').filter((f) => f.endsWith('.yaml')).map((f) => `scenarios/${f}`),
  'tests/fixtures/scenarios/three-powers.yaml',
  'tests/fixtures/scenarios/five-powers.yaml',
];
for (const file of files) benchGames(file);
