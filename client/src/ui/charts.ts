/** Small SVG line charts for the end screen: one line per power or pair, turn 0 (start) to the end. */
import type { Series } from '../model/view.ts';
import { h } from './dom.ts';

const NS = 'http://www.w3.org/2000/svg';

export function lineChart(title: string, series: Series[], opts: { min?: number; max?: number; labels?: string[] } = {}): HTMLElement {
  const W = 420;
  const H = 200;
  const pad = { l: 34, r: 10, t: 10, b: 26 };
  const all = series.flatMap((s) => s.points);
  const turns = Math.max(1, ...all.map((p) => p.turn));
  const auto = niceRange(all.map((p) => p.value));
  const lo = opts.min ?? auto.lo;
  const hi = opts.max ?? auto.hi;
  const span = hi - lo || 1;
  const x = (t: number) => pad.l + (t / turns) * (W - pad.l - pad.r);
  const y = (v: number) => pad.t + (1 - (v - lo) / span) * (H - pad.t - pad.b);
  const svg = document.createElementNS(NS, 'svg');
  svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
  svg.setAttribute('role', 'img');
  const desc = series.map((s) => `${s.label}: ${s.points.map((p) => p.value).join(', ')}`).join('; ');
  svg.setAttribute('aria-label', `${title}, from the start to turn ${turns}. ${desc}`);
  let inner = '';
  for (let i = 0; i <= 4; i++) {
    const v = lo + (span * i) / 4;
    inner += `<line x1="${pad.l}" x2="${W - pad.r}" y1="${y(v)}" y2="${y(v)}" stroke="#e8e3d6"/>`;
    inner += `<text x="${pad.l - 6}" y="${y(v) + 4}" font-size="10" text-anchor="end" fill="#5b6b62">${Math.round(v)}</text>`;
  }
  for (let t = 0; t <= turns; t++) {
    inner += `<text x="${x(t)}" y="${H - 8}" font-size="10" text-anchor="middle" fill="#5b6b62">${t === 0 ? 'start' : t}</text>`;
  }
  series.forEach((s, i) => {
    const d = s.points.map((p, j) => `${j ? 'L' : 'M'}${x(p.turn).toFixed(1)},${y(p.value).toFixed(1)}`).join(' ');
    const dash = i % 3 === 1 ? 'stroke-dasharray="6 3"' : i % 3 === 2 ? 'stroke-dasharray="2 3"' : '';
    inner += `<path d="${d}" fill="none" stroke="${s.colour}" stroke-width="2.5" ${dash} stroke-linejoin="round"/>`;
    for (const p of s.points) inner += `<circle cx="${x(p.turn)}" cy="${y(p.value)}" r="2.5" fill="${s.colour}"/>`;
  });
  svg.innerHTML = inner;
  return h(
    'figure.chart',
    { style: 'margin:0' },
    h('h3', null, title),
    svg,
    h(
      'figcaption.chart-legend',
      null,
      series.map((s, i) => {
        const sw = document.createElementNS(NS, 'svg');
        sw.setAttribute('viewBox', '0 0 22 8');
        sw.setAttribute('width', '22');
        sw.setAttribute('height', '8');
        sw.setAttribute('aria-hidden', 'true');
        sw.innerHTML = `<line x1="1" y1="4" x2="21" y2="4" stroke="${s.colour}" stroke-width="3" ${i % 3 === 1 ? 'stroke-dasharray="6 3"' : i % 3 === 2 ? 'stroke-dasharray="2 3"' : ''}/>`;
        return h('span', null, sw, s.label);
      }),
    ),
  );
}

/** A y range with round ends and room for four distinct whole-number steps (no "61, 61, 61" axis). */
export function niceRange(values: number[]): { lo: number; hi: number } {
  if (values.length === 0) return { lo: 0, hi: 4 };
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  const step = hi - lo > 40 ? 10 : hi - lo > 12 ? 5 : 1;
  lo = Math.floor(lo / step) * step;
  hi = Math.ceil(hi / step) * step;
  if (hi - lo < 4 * step) {
    const missing = 4 * step - (hi - lo);
    lo -= Math.floor(missing / 2 / step) * step;
    hi = lo + 4 * step;
  }
  // Keep whole-number ticks: a span divisible by the four grid steps.
  const span = Math.ceil((hi - lo) / 4) * 4;
  return { lo, hi: lo + span };
}

