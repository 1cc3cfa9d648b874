/**
 * The debrief as a printable, self-contained HTML page (server-rendered, inline CSS and SVG charts,
 * no script, no external resource): scores and their explanation, moves turn by turn, commitments
 * kept and broken, relation charts, messages if asked, and "what really happened" with its sources.
 */
import type { Debrief, DebriefTable } from './model.ts';

const esc = (v: unknown): string =>
  String(v ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(2).replace(/0+$/, '').replace(/\.$/, ''));

const METRIC_COLOURS = ['#1f5fa8', '#c2452d', '#2e8540', '#8a4fbf', '#b7791f', '#4a5568'];

interface Series {
  label: string;
  colour: string;
  values: number[];
  dashed?: boolean;
}

/** A small line chart: x = the turns given, y from min to max. */
function lineChart(opts: { title: string; turns: number[]; series: Series[]; min: number; max: number; width?: number; height?: number }): string {
  const W = opts.width ?? 300;
  const H = opts.height ?? 150;
  const L = 30;
  const R = 8;
  const T = 8;
  const B = 22;
  const n = Math.max(1, opts.turns.length - 1);
  const span = opts.max - opts.min || 1;
  const x = (i: number) => L + ((W - L - R) * i) / n;
  const y = (v: number) => T + (H - T - B) * (1 - (Math.min(opts.max, Math.max(opts.min, v)) - opts.min) / span);
  const parts: string[] = [];
  const ticks = 4;
  for (let k = 0; k <= ticks; k++) {
    const v = opts.min + (span * k) / ticks;
    const yy = y(v).toFixed(1);
    parts.push(`<line x1="${L}" x2="${W - R}" y1="${yy}" y2="${yy}" class="grid"/>`);
    parts.push(`<text x="${L - 4}" y="${(Number(yy) + 3).toFixed(1)}" class="ylab">${esc(fmt(Math.round(v * 10) / 10))}</text>`);
  }
  opts.turns.forEach((t, i) => {
    if (opts.turns.length > 12 && i % 2 === 1) return;
    parts.push(`<text x="${x(i).toFixed(1)}" y="${H - 6}" class="xlab">${t === 0 ? 'S' : t}</text>`);
  });
  for (const s of opts.series) {
    if (s.values.length === 0) continue;
    const d = s.values.map((v, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
    parts.push(`<path d="${d}" fill="none" stroke="${esc(s.colour)}" stroke-width="2"${s.dashed ? ' stroke-dasharray="4 3"' : ''}><title>${esc(s.label)}</title></path>`);
    const last = s.values.length - 1;
    parts.push(`<circle cx="${x(last).toFixed(1)}" cy="${y(s.values[last]!).toFixed(1)}" r="2.5" fill="${esc(s.colour)}"/>`);
  }
  const legend = opts.series.map((s) => `<span class="key"><i style="background:${esc(s.colour)}"></i>${esc(s.label)}</span>`).join('');
  return `<figure class="chart"><figcaption>${esc(opts.title)}</figcaption><svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(opts.title)}">${parts.join('')}</svg><div class="legend">${legend}</div></figure>`;
}

const STATUS_LABEL: Record<string, string> = { kept: 'Kept', breached: 'Broken', active: 'Still active', expired: 'Expired' };
const OUTCOME_LABEL: Record<string, string> = { done: '', unmatched: 'unmatched', failed: 'failed' };

function tableSection(d: Debrief, t: DebriefTable): string {
  const name = (id: string) => d.powers.find((p) => p.id === id)?.name ?? id;
  const colour = (id: string) => d.powers.find((p) => p.id === id)?.colour ?? '#888';
  const dot = (id: string) => `<span class="dot" style="background:${esc(colour(id))}"></span>`;
  const out: string[] = [];
  const fork = t.forkOf ? `<p class="meta">Forked from ${esc(d.tables.find((x) => x.id === t.forkOf!.table)?.name ?? t.forkOf.table)} at ${esc(d.labels[t.forkOf.turn] ?? `turn ${t.forkOf.turn}`)} (${esc(t.forkOf.phase)}).</p>` : '';
  const status = t.status === 'ended' ? 'Finished' : t.status === 'waiting' ? 'Not started' : `In progress — ${d.labels[t.turn] ?? `turn ${t.turn}`}, ${t.phase}`;
  out.push(`<section class="table-section" id="${esc(t.id)}"><h2>${esc(t.name)} <span class="status">${esc(status)}</span></h2>${fork}`);
  if (!t.scores) {
    out.push('<p class="empty">This table never started.</p></section>');
    return out.join('');
  }

  // Scores
  out.push(`<h3>${t.scores.final ? 'Final scores' : 'Scores if the game ended now'}</h3>`);
  out.push('<table class="scores"><thead><tr><th>Rank</th><th>Power</th><th class="num">Score</th><th class="num">Credibility</th><th class="num">Promises kept</th><th class="num">Broken</th></tr></thead><tbody>');
  for (const p of t.scores.ranking) {
    const pr = t.promises[p.power];
    const win = t.scores.winners.includes(p.power) ? ' class="winner"' : '';
    const who = t.students?.[p.power]?.length ? `<br><span class="why">${esc(t.students[p.power]!.join(', '))}</span>` : '';
    out.push(`<tr${win}><td>${p.rank}</td><td>${dot(p.power)}${esc(p.name)}${who}</td><td class="num strong">${fmt(p.score)}</td><td class="num">${fmt(p.credibility)}</td><td class="num">${pr?.kept ?? 0}</td><td class="num">${pr?.broken ?? 0}</td></tr>`);
  }
  out.push('</tbody></table>');
  out.push('<div class="explain">');
  for (const p of t.scores.ranking) {
    out.push(`<div class="power-explain"><h4>${dot(p.power)}${esc(p.name)} — ${fmt(p.score)} points</h4><ul>`);
    for (const l of p.lines) {
      out.push(`<li><span class="pts">${fmt(l.points)}/${fmt(l.weight)}</span> ${esc(l.text)}${l.secret ? ' <span class="tag">secret</span>' : ''}<br><span class="why">${esc(l.explanation)}</span></li>`);
    }
    out.push('</ul></div>');
  }
  out.push('</div>');

  // Moves
  out.push('<h3>Moves, turn by turn</h3>');
  if (t.turns.length === 0) out.push('<p class="empty">No turn was resolved.</p>');
  else {
    out.push(`<table class="moves"><thead><tr><th>Turn</th>${d.powers.map((p) => `<th>${dot(p.id)}${esc(p.name)}</th>`).join('')}</tr></thead><tbody>`);
    for (const turn of t.turns) {
      const cells = d.powers.map((p) => {
        const moves = turn.moves[p.id] ?? [];
        if (moves.length === 0) return '<td class="none">—</td>';
        return `<td>${moves
          .map((m) => {
            const o = OUTCOME_LABEL[m.outcome] ?? m.outcome;
            return `<div class="mv kind-${esc(m.kind)}">${esc(m.name)}${m.targetName ? ` <span class="tgt">→ ${esc(m.targetName)}</span>` : ''}${o ? ` <span class="tag">${esc(o)}</span>` : ''}</div>`;
          })
          .join('')}</td>`;
      });
      out.push(`<tr><th scope="row">${esc(turn.label)}</th>${cells.join('')}</tr>`);
      if (turn.news.length > 0) out.push(`<tr class="news"><td></td><td colspan="${d.powers.length}">${turn.news.map(esc).join(' · ')}</td></tr>`);
    }
    out.push('</tbody></table>');
  }

  // Commitments
  out.push('<h3>Commitments</h3>');
  if (t.commitments.length === 0) out.push('<p class="empty">No commitment was made at this table.</p>');
  else {
    out.push('<table class="commitments"><thead><tr><th>Promise by</th><th>To</th><th>Promise</th><th>Outcome</th></tr></thead><tbody>');
    for (const c of t.commitments) {
      const when = c.settledTurn ? ` (turn ${c.settledTurn})` : '';
      out.push(`<tr><td>${dot(c.by)}${esc(name(c.by))}</td><td>${dot(c.to)}${esc(name(c.to))}</td><td>${esc(c.text)}</td><td><span class="badge st-${esc(c.status)}">${esc(STATUS_LABEL[c.status] ?? c.status)}</span>${esc(when)}</td></tr>`);
    }
    out.push('</tbody></table>');
  }

  // Charts
  const turns = t.series.turns;
  if (turns.length > 1) {
    out.push('<h3>Relations</h3><div class="charts">');
    for (const pair of d.pairs) {
      const series = d.metrics.pair.map((m, i) => ({ label: m.name, colour: METRIC_COLOURS[i % METRIC_COLOURS.length]!, values: t.series.relations[pair.key]?.[m.id] ?? [] }));
      const min = Math.min(...d.metrics.pair.map((m) => m.min));
      const max = Math.max(...d.metrics.pair.map((m) => m.max));
      out.push(lineChart({ title: `${name(pair.a)} – ${name(pair.b)}`, turns, series, min, max }));
    }
    out.push('</div><h3>Standing of each power</h3><div class="charts">');
    for (const m of d.metrics.power) {
      const series = d.powers.map((p) => ({ label: p.name, colour: p.colour, values: t.series.metrics[p.id]?.[m.id] ?? [] }));
      out.push(lineChart({ title: m.name, turns, series, min: m.min, max: m.max }));
    }
    const cred = d.powers.map((p) => ({ label: p.name, colour: p.colour, values: t.series.credibility[p.id] ?? [] }));
    const all = cred.flatMap((s) => s.values);
    out.push(lineChart({ title: 'Credibility', turns, series: cred, min: Math.min(0, ...all), max: Math.max(100, ...all) }));
    out.push('</div>');
  }

  if (t.messages) {
    out.push('<h3>Messages</h3>');
    if (t.messages.length === 0) out.push('<p class="empty">No message was sent at this table.</p>');
    else {
      out.push('<table class="messages"><thead><tr><th>Turn</th><th>From</th><th>To</th><th>Message</th></tr></thead><tbody>');
      for (const m of t.messages) out.push(`<tr><td>${m.turn}</td><td>${dot(m.from)}${esc(m.fromName)}</td><td>${esc(m.toNames.join(', '))}</td><td class="msg">${esc(m.text)}</td></tr>`);
      out.push('</tbody></table>');
    }
  }
  out.push('</section>');
  return out.join('');
}

const CSS = `
:root { --ink:#1b2330; --muted:#5b6676; --line:#d9dee6; --soft:#f3f5f8; --accent:#1f5fa8; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 "Inter", "Segoe UI", system-ui, -apple-system, "Helvetica Neue", Arial, sans-serif; color: var(--ink); background: #fff; }
main { max-width: 1040px; margin: 0 auto; padding: 28px 32px 48px; }
header.doc { border-bottom: 3px solid var(--ink); padding-bottom: 14px; margin-bottom: 18px; }
header.doc .eyebrow { text-transform: uppercase; letter-spacing: .12em; font-size: 11px; color: var(--muted); font-weight: 600; }
h1 { font-size: 28px; margin: 4px 0 6px; letter-spacing: -.01em; }
h2 { font-size: 21px; margin: 30px 0 4px; padding-bottom: 6px; border-bottom: 1px solid var(--line); }
h2 .status { font-size: 12px; font-weight: 500; color: var(--muted); margin-left: 8px; }
h3 { font-size: 15px; margin: 22px 0 8px; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); }
h4 { font-size: 14px; margin: 0 0 4px; }
p.meta, .summary { color: var(--muted); margin: 0; }
.toolbar { display: flex; flex-wrap: wrap; gap: 8px; margin: 14px 0 0; }
.toolbar a { font-size: 12px; text-decoration: none; color: var(--accent); border: 1px solid var(--line); border-radius: 6px; padding: 4px 10px; background: var(--soft); }
table { border-collapse: collapse; width: 100%; margin: 4px 0 8px; font-size: 13px; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
thead th { font-size: 11px; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); border-bottom: 2px solid var(--ink); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.strong { font-weight: 700; }
tr.winner td { background: #fff8e1; }
tr.winner td:first-child::after { content: " ★"; color: #b7791f; }
.dot { display: inline-block; width: 9px; height: 9px; border-radius: 50%; margin-right: 6px; vertical-align: 0; }
.explain { display: grid; grid-template-columns: repeat(auto-fill, minmax(300px, 1fr)); gap: 10px 22px; margin-top: 10px; }
.power-explain ul { list-style: none; padding: 0; margin: 0; }
.power-explain li { padding: 4px 0; border-bottom: 1px dotted var(--line); font-size: 13px; }
.pts { display: inline-block; min-width: 46px; font-weight: 700; font-variant-numeric: tabular-nums; }
.why { color: var(--muted); font-size: 12px; padding-left: 50px; display: inline-block; }
.tag { font-size: 10px; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); border: 1px solid var(--line); border-radius: 4px; padding: 0 4px; }
table.moves td { font-size: 12.5px; }
table.moves th[scope=row] { white-space: nowrap; font-weight: 600; }
.mv { padding: 1px 0 1px 7px; border-left: 3px solid var(--line); margin: 2px 0; }
.mv.kind-partnership { border-left-color: #2e8540; }
.mv.kind-pressure { border-left-color: #c2452d; }
.tgt { color: var(--muted); }
td.none { color: #aab2bd; }
tr.news td { font-size: 12px; color: var(--muted); font-style: italic; border-bottom: 1px solid var(--line); }
.badge { font-size: 11px; font-weight: 600; border-radius: 10px; padding: 1px 8px; }
.st-kept { background: #e3f4e8; color: #1d6b35; }
.st-breached { background: #fde7e3; color: #a3321f; }
.st-active { background: #e6eef9; color: #1f5fa8; }
.st-expired { background: var(--soft); color: var(--muted); }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(300px, 1fr)); gap: 14px; }
figure.chart { margin: 0; border: 1px solid var(--line); border-radius: 8px; padding: 8px 10px 6px; break-inside: avoid; }
figcaption { font-weight: 600; font-size: 13px; margin-bottom: 2px; }
svg { display: block; width: 100%; height: auto; }
svg .grid { stroke: #e6e9ee; stroke-width: 1; }
svg .ylab { font-size: 9px; fill: #7b8593; text-anchor: end; }
svg .xlab { font-size: 9px; fill: #7b8593; text-anchor: middle; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 12px; font-size: 11px; color: var(--muted); }
.key i { display: inline-block; width: 12px; height: 3px; margin-right: 4px; vertical-align: middle; border-radius: 2px; }
td.msg { white-space: pre-wrap; }
.history p { margin: 0 0 10px; max-width: 76ch; }
.history sup a { color: var(--accent); text-decoration: none; font-size: 10px; }
ol.sources { padding-left: 22px; font-size: 13px; }
ol.sources li { margin-bottom: 4px; }
.empty { color: var(--muted); font-style: italic; }
.overview td, .overview th { font-size: 13px; }
footer { margin-top: 36px; padding-top: 10px; border-top: 1px solid var(--line); color: var(--muted); font-size: 11px; }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { font-size: 10.5pt; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  main { max-width: none; padding: 0; }
  .no-print { display: none !important; }
  .table-section { break-before: page; }
  h2, h3 { break-after: avoid; }
  tr, figure, .power-explain, .history p { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
  .charts { grid-template-columns: repeat(3, 1fr); }
}
`;

/** `token`: a fresh single-use download token for each link of the page (none: links without one). */
export function renderDebriefHtml(d: Debrief, opts: { token?: () => string } = {}): string {
  const date = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
  const base = `/api/sessions/${encodeURIComponent(d.session)}`;
  const q = (extra: Record<string, string>) => {
    const params = new URLSearchParams({ ...(opts.token ? { token: opts.token() } : {}), ...extra });
    const s = params.toString();
    return s ? `?${s}` : '';
  };
  const name = (id: string) => d.powers.find((p) => p.id === id)?.name ?? id;
  const out: string[] = [];
  out.push(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>Debrief — ${esc(d.scenario.title)} — ${esc(d.session)}</title><style>${CSS}</style></head><body><main>`);
  const started = d.tables.filter((t) => t.scores).length;
  out.push(`<header class="doc"><div class="eyebrow">Bamboo · Teacher's debrief</div><h1>${esc(d.scenario.title)}</h1>`);
  out.push(`<p class="summary">Session <strong>${esc(d.session)}</strong> · ${esc(date(d.createdAt))} · ${d.tables.length} table${d.tables.length === 1 ? '' : 's'} (${started} played) · ${d.scenario.turns} turns of ${esc(d.scenario.represents)} · ${d.finished ? 'finished' : 'not finished yet'}${d.sandbox ? ' · sandbox' : ''}</p>`);
  // The teacher's two choices travel with every link: messages, and the students' names.
  const keep = (o: Record<string, string>) => ({ ...(d.includeMessages ? { messages: '1' } : {}), ...(d.includeNames ? { names: '1' } : {}), ...o });
  const { messages: _m, ...withoutMessages } = keep({});
  const { names: _n, ...withoutNames } = keep({});
  out.push(`<nav class="toolbar no-print"><a href="${esc(base + '/debrief' + q(d.includeMessages ? withoutMessages : keep({ messages: '1' })))}">${d.includeMessages ? 'Hide messages' : 'Include messages'}</a>`);
  out.push(`<a href="${esc(base + '/debrief' + q(d.includeNames ? withoutNames : keep({ names: '1' })))}">${d.includeNames ? 'Hide the students\' names' : 'Name the students of each power'}</a>`);
  for (const part of ['scores', 'moves', 'commitments', 'relations', 'metrics', ...(d.includeMessages ? ['messages'] : [])]) {
    out.push(`<a href="${esc(base + '/debrief.csv' + q(keep({ part })))}">CSV: ${esc(part)}</a>`);
  }
  out.push(`<a href="${esc(base + '/debrief.json' + q(keep({})))}">JSON</a></nav></header>`);

  // Overview
  out.push('<section><h3>Overview</h3><table class="overview"><thead><tr><th>Table</th><th>Status</th><th>Winner</th><th class="num">Score</th><th class="num">Promises kept</th><th class="num">Broken</th></tr></thead><tbody>');
  for (const t of d.tables) {
    const winners = t.scores?.winners.map(name).join(', ') ?? '—';
    const top = t.scores?.ranking[0]?.score;
    const kept = Object.values(t.promises).reduce((s, p) => s + p.kept, 0);
    const broken = Object.values(t.promises).reduce((s, p) => s + p.broken, 0);
    const status = t.status === 'ended' ? 'Finished' : t.status === 'waiting' ? 'Not started' : `Turn ${t.turn}`;
    out.push(`<tr><td><a href="#${esc(t.id)}">${esc(t.name)}</a></td><td>${esc(status)}</td><td>${esc(winners)}</td><td class="num">${top === undefined ? '—' : fmt(top)}</td><td class="num">${kept}</td><td class="num">${broken}</td></tr>`);
  }
  out.push('</tbody></table></section>');

  for (const t of d.tables) out.push(tableSection(d, t));

  // What really happened
  out.push('<section class="history table-section"><h2>What really happened</h2>');
  if (d.whatHappened.length === 0) out.push('<p class="empty">The scenario has no debrief notes.</p>');
  for (const w of d.whatHappened) {
    const cites = w.citations
      .filter((c) => c.number > 0)
      .map((c) => `<a href="#src-${c.number}">[${c.number}${c.paragraph ? ` ¶${c.paragraph}` : ''}]</a>`)
      .join('');
    out.push(`<p>${esc(w.text)}${cites ? ` <sup>${cites}</sup>` : ''}</p>`);
  }
  if (d.sources.length > 0) {
    out.push('<h3>Sources</h3><ol class="sources">');
    for (const [i, s] of d.sources.entries()) {
      const title = s.url ? `<a href="${esc(s.url)}">${esc(s.title)}</a>` : esc(s.title);
      out.push(`<li id="src-${i + 1}">${title} — <em>${esc(s.publisher)}</em>, ${esc(s.date)}${s.url ? ` <span class="no-print">(${esc(s.url)})</span>` : ''}</li>`);
    }
    out.push('</ol>');
  }
  out.push('</section>');
  out.push(`<footer>Generated ${esc(date(d.generatedAt))} from the session's record · scenario ${esc(d.scenario.id)} (content ${esc(d.scenario.hash.slice(0, 12))}) · Bamboo</footer>`);
  out.push('</main></body></html>');
  return out.join('\n');
}
