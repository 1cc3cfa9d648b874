/** The debrief as CSV files (one per part), for a spreadsheet. RFC 4180 quoting; formulas defused. */
import type { Debrief } from './model.ts';

export const CSV_PARTS = ['scores', 'moves', 'commitments', 'relations', 'metrics', 'messages'] as const;
export type CsvPart = (typeof CSV_PARTS)[number];

function cell(v: unknown): string {
  let s = v === null || v === undefined ? '' : String(v);
  // A cell starting with = + - @ would run as a formula in a spreadsheet.
  if (/^[=+\-@\t\r]/.test(s) && !/^-?\d+(\.\d+)?$/.test(s)) s = "'" + s;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const line = (values: unknown[]) => values.map(cell).join(',');

export function renderDebriefCsv(d: Debrief, part: CsvPart): string {
  const name = (id: string) => d.powers.find((p) => p.id === id)?.name ?? id;
  const rows: unknown[][] = [];
  switch (part) {
    case 'scores':
      rows.push(['table', 'power', 'rank', 'score', 'credibility', 'objective', 'secret', 'weight', 'points', 'explanation']);
      for (const t of d.tables) {
        for (const p of t.scores?.ranking ?? []) {
          for (const l of p.lines) rows.push([t.name, p.name, p.rank, p.score, p.credibility, l.text, l.secret ? 'yes' : 'no', l.weight, l.points, l.explanation]);
        }
      }
      break;
    case 'moves':
      rows.push(['table', 'turn', 'label', 'power', 'move', 'kind', 'target', 'outcome', 'headline']);
      for (const t of d.tables) {
        for (const turn of t.turns) {
          for (const p of d.powers) {
            const moves = turn.moves[p.id] ?? [];
            if (moves.length === 0) rows.push([t.name, turn.turn, turn.label, p.name, '(no move)', '', '', '', '']);
            for (const m of moves) rows.push([t.name, turn.turn, turn.label, p.name, m.name, m.kind, m.targetName ?? '', m.outcome, m.headline]);
          }
        }
      }
      break;
    case 'commitments':
      rows.push(['table', 'by', 'to', 'promise', 'from_turn', 'to_turn', 'status', 'settled_turn']);
      for (const t of d.tables) for (const c of t.commitments) rows.push([t.name, name(c.by), name(c.to), c.text, c.from, c.until, c.status === 'breached' ? 'broken' : c.status, c.settledTurn ?? '']);
      break;
    case 'relations':
      rows.push(['table', 'turn', 'pair', 'metric', 'value']);
      for (const t of d.tables) {
        for (const pair of d.pairs) {
          for (const m of d.metrics.pair) {
            const values = t.series.relations[pair.key]?.[m.id] ?? [];
            values.forEach((v, i) => rows.push([t.name, t.series.turns[i], `${name(pair.a)} – ${name(pair.b)}`, m.name, v]));
          }
        }
      }
      break;
    case 'metrics':
      rows.push(['table', 'turn', 'power', 'metric', 'value']);
      for (const t of d.tables) {
        for (const p of d.powers) {
          for (const m of d.metrics.power) (t.series.metrics[p.id]?.[m.id] ?? []).forEach((v, i) => rows.push([t.name, t.series.turns[i], p.name, m.name, v]));
          (t.series.credibility[p.id] ?? []).forEach((v, i) => rows.push([t.name, t.series.turns[i], p.name, 'Credibility', v]));
        }
      }
      break;
    case 'messages':
      rows.push(['table', 'turn', 'from', 'to', 'text']);
      if (d.includeMessages) for (const t of d.tables) for (const m of t.messages ?? []) rows.push([t.name, m.turn, m.fromName, m.toNames.join('; '), m.text]);
      break;
  }
  return '\uFEFF' + rows.map(line).join('\r\n') + '\r\n';
}
