/** Figures of a load run: bytes by turn from the clients, and the printed table. */

export interface ByteSource {
  bytesByTurn: Map<number, number>;
  completedTurns(): number[];
}

/** Mean bytes per client per completed turn, overall and for each turn number. */
export function bytesPerTurn(sources: ByteSource[]): { mean: number; byTurn: Map<number, number> } {
  let sum = 0;
  let n = 0;
  const perTurn = new Map<number, { sum: number; n: number }>();
  for (const s of sources) {
    for (const t of s.completedTurns()) {
      const b = s.bytesByTurn.get(t) ?? 0;
      sum += b;
      n++;
      const e = perTurn.get(t) ?? { sum: 0, n: 0 };
      e.sum += b;
      e.n++;
      perTurn.set(t, e);
    }
  }
  const byTurn = new Map<number, number>();
  for (const [t, e] of [...perTurn].sort((a, b) => a[0] - b[0])) byTurn.set(t, e.sum / e.n);
  return { mean: n ? sum / n : 0, byTurn };
}

export function mean(xs: number[]): number {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0;
}

export const kb = (b: number) => `${(b / 1024).toFixed(1)} KB`;
export const mb = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MB`;
export const ms = (x: number) => `${x.toFixed(1)} ms`;

export function table(rows: [string, string][]): string {
  const w = Math.max(...rows.map((r) => r[0].length));
  return rows.map(([k, v]) => `  ${k.padEnd(w)}  ${v}`).join('\n');
}
