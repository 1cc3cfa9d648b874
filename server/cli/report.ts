/**
 * The simulator's report as text for a terminal: tables whose columns are as wide as their longest
 * cell (a long move name never runs into a number), plurals right ("1 turn"), flags spelled out.
 */
import type { Scenario } from '#shared/index.ts';
import type { SimulationReport, Spread } from '#shared/engine/balance.ts';

export const plural = (n: number, word: string, many = `${word}s`): string => `${n.toLocaleString('en')} ${n === 1 ? word : many}`;
const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
const num = (x: number): string => (Number.isInteger(x) ? String(x) : x.toFixed(1));

/** Left-aligned text columns, right-aligned number columns, two spaces between, no trailing spaces. */
export function table(rows: string[][], numeric: boolean[] = []): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) =>
    row
      .map((cell, i) => (numeric[i] ? cell.padStart(widths[i]!) : i === row.length - 1 ? cell : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd(),
  );
}

const VERDICT: Record<string, string> = {
  fair: 'fair',
  too_often: 'wins too often',
  too_rarely: 'wins too rarely',
  unclear: 'outside the band, but more games are needed to be sure',
};

const spreadCells = (s: Spread): string[] => [num(s.min), num(s.q1), num(s.median), num(s.q3), num(s.max)];

export function formatReport(scenario: Scenario, report: SimulationReport, title: string): string {
  const out: string[] = [];
  const indent = (lines: string[]) => lines.map((l) => `  ${l}`);
  const { fair } = report;
  out.push(`${title}: ${plural(report.games, 'bot game')}, seed "${report.seed}"`, '');

  out.push(`Win rates — fair band for ${scenario.powers.length} powers: ${pct(fair.low)} to ${pct(fair.high)} (an even share is ${pct(fair.share)})`);
  out.push(
    ...indent(
      table(
        [
          ['power', 'wins', '95% interval', 'mean score', 'best', 'max', 'credibility', 'verdict'],
          ...report.powers.map((p) => [
            p.name,
            pct(p.winRate),
            `${pct(p.interval[0])}–${pct(p.interval[1])}`,
            `${p.meanScore.toFixed(1)} ± ${p.sdScore.toFixed(1)}`,
            num(p.score.max),
            num(p.maxScore),
            p.meanCredibility.toFixed(0),
            VERDICT[p.verdict] ?? p.verdict,
          ]),
        ],
        [false, true, true, true, true, true, true, false],
      ),
    ),
    '',
  );

  out.push('Objectives — how often each is met (each-turn objectives: share of turns held)');
  const objectiveRows = report.powers.flatMap((p) =>
    p.objectives.map((o, i) => [
      i === 0 ? p.name : '',
      pct(o.metRate),
      `${num(o.weight)} pts`,
      `${o.id}${o.secret ? ' (secret)' : ''}${o.scoring === 'each_turn' ? ' (each turn)' : ''}: ${o.text.length > 70 ? `${o.text.slice(0, 69)}…` : o.text}`,
    ]),
  );
  out.push(...indent(table(objectiveRows, [false, true, true, false])), '');

  const powers = scenario.powers;
  out.push('Moves — times taken effect per game, by whom, and how often the powers that played them won');
  out.push(
    ...indent(
      table(
        [
          ['move', 'per game', 'failed', ...powers.map((p) => p.name), 'players win', 'flag'],
          ...report.moves.map((m) => [
            m.name,
            m.perGame.toFixed(2),
            String(m.failed),
            ...powers.map((p) => String(m.byPower[p.id] ?? 0)),
            m.players ? pct(m.winRateWhenPlayed) : '—',
            m.flag === 'never_played' ? 'NEVER PLAYED' : m.flag === 'dominant' ? 'DOMINANT' : '',
          ]),
        ],
        [false, true, true, ...powers.map(() => true), true, false],
      ),
    ),
  );
  const never = report.moves.filter((m) => m.flag === 'never_played');
  const dominant = report.moves.filter((m) => m.flag === 'dominant');
  if (never.length) out.push(`  Never played (${never.length}): ${never.map((m) => m.name).join(', ')}. Check their conditions, cost and who may play them.`);
  if (dominant.length) {
    out.push(`  Dominant (${dominant.length}): ${dominant.map((m) => `${m.name} (its players win ${pct(m.interval[0])}–${pct(m.interval[1])})`).join(', ')}.`);
  }
  out.push('');

  if (report.events.length) {
    out.push('Events — share of games in which each fired');
    out.push(...indent(table(report.events.map((e) => [pct(e.rate), `${e.perGame.toFixed(2)} per game`, e.headline]), [true, true, false])), '');
  }

  out.push('Metrics at the end — min, lower quartile, median, upper quartile, max');
  out.push(...indent(table([['power', 'metric', 'min', 'q1', 'median', 'q3', 'max'], ...report.metrics.map((m) => [m.label, m.metricName, ...spreadCells(m.spread)])], [false, false, true, true, true, true, true])), '');
  if (report.relations.length) {
    out.push('Relations at the end — min, lower quartile, median, upper quartile, max');
    out.push(...indent(table([['pair', 'relation', 'min', 'q1', 'median', 'q3', 'max'], ...report.relations.map((m) => [m.label, m.metricName, ...spreadCells(m.spread)])], [false, false, true, true, true, true, true])), '');
  }
  out.push(`Commitments: ${plural(report.kept, 'kept', 'kept')}, ${plural(report.breaches, 'broken', 'broken')}`);
  return out.join('\n');
}
