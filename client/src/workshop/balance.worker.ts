/**
 * Bot games in a Web Worker, so the page stays responsive: the same engine, seeds and figures as
 * `npm run scenario -- simulate` (game g is seeded `${seed}:${g}`). Progress every few games; the
 * page cancels by terminating the worker.
 */
import { BalanceAccumulator, type SimulationReport } from '#shared/engine/balance.ts';
import { playBotGame } from '#shared/engine/simulate.ts';
import type { Scenario } from '#shared/scenario/schema.ts';

export interface RunRequest {
  scenario: Scenario;
  games: number;
  seed: string;
}
export type RunMessage = { type: 'progress'; done: number; games: number } | { type: 'done'; report: SimulationReport; ms: number } | { type: 'error'; message: string };

const post = (m: RunMessage) => (self as unknown as { postMessage(m: RunMessage): void }).postMessage(m);

self.onmessage = (e: MessageEvent<RunRequest>) => {
  const { scenario, games, seed } = e.data;
  const started = performance.now();
  try {
    const acc = new BalanceAccumulator(scenario, seed);
    let last = started;
    for (let g = 0; g < games; g++) {
      acc.add(playBotGame(scenario, `${seed}:${g}`));
      const now = performance.now();
      if (now - last > 100 || g === games - 1) {
        post({ type: 'progress', done: g + 1, games });
        last = now;
      }
    }
    post({ type: 'done', report: acc.report(), ms: performance.now() - started });
  } catch (error) {
    post({ type: 'error', message: String((error as Error).message ?? error) });
  }
};
