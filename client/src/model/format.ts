/**
 * Small formatting helpers shared by every screen. Pure: no DOM, no globals.
 */
import type { Scenario } from '#shared/scenario/schema.ts';

/** "+5", "−3" (a real minus sign), "0". */
export function signed(n: number): string {
  if (n > 0) return `+${n}`;
  if (n < 0) return `\u2212${Math.abs(n)}`;
  return '0';
}

/** The label of a turn: the scenario's own label if it has one, else "Turn 3 of 8". */
export function turnLabel(scenario: Scenario, turn: number): string {
  const label = scenario.turns.labels?.[turn - 1];
  const count = scenario.turns.count;
  return label ? `${label} · turn ${Math.min(turn, count)} of ${count}` : `Turn ${Math.min(turn, count)} of ${count}`;
}

export function phaseLabel(phase: string): string {
  switch (phase) {
    case 'lobby':
      return 'Waiting to start';
    case 'negotiation':
      return 'Negotiation';
    case 'orders':
      return 'Orders';
    case 'resolution':
      return 'Resolution';
    case 'ended':
      return 'Game over';
    default:
      return phase ? phase[0]!.toUpperCase() + phase.slice(1) : '';
  }
}

/** Name of a power id, falling back to the id itself. */
export function powerName(scenario: Scenario, id: string | undefined): string {
  if (!id) return '';
  return scenario.powers.find((p) => p.id === id)?.name ?? id;
}

export function powerColour(scenario: Scenario, id: string | undefined): string {
  return scenario.powers.find((p) => p.id === id)?.colour ?? '#6b7280';
}

export function metricName(scenario: Scenario, id: string): string {
  return (
    scenario.metrics.power.find((m) => m.id === id)?.name ?? scenario.metrics.pair.find((m) => m.id === id)?.name ?? id
  );
}

export function moveName(scenario: Scenario, id: string): string {
  return scenario.moves.find((m) => m.id === id)?.name ?? id;
}

/** "Alice, Bob and Chen". */
export function listJoin(items: string[], and = 'and'): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} ${and} ${items[items.length - 1]}`;
}

/** "1 action point", "3 action points". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** A #rrggbb colour as a Phaser-style number. */
export function hexToNumber(hex: string): number {
  const m = /^#?([0-9a-f]{6})$/i.exec(hex.trim());
  return m ? Number.parseInt(m[1]!, 16) : 0x6b7280;
}

/** Relative luminance (WCAG) of #rrggbb. */
export function luminance(hex: string): number {
  const n = hexToNumber(hex);
  const channel = (c: number): number => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel((n >> 16) & 255) + 0.7152 * channel((n >> 8) & 255) + 0.0722 * channel(n & 255);
}

export function contrastRatio(a: string, b: string): number {
  const la = luminance(a);
  const lb = luminance(b);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

/** Black or white, whichever reads better on the given background. */
export function textOn(background: string): '#ffffff' | '#111827' {
  return contrastRatio(background, '#ffffff') >= contrastRatio(background, '#111827') ? '#ffffff' : '#111827';
}

/** Darken a colour until it has at least `ratio` contrast against white (for text in a power's colour). */
export function readableOnLight(hex: string, ratio = 4.5): string {
  let n = hexToNumber(hex);
  for (let i = 0; i < 20; i++) {
    const h = `#${n.toString(16).padStart(6, '0')}`;
    if (contrastRatio(h, '#ffffff') >= ratio) return h;
    const r = Math.floor(((n >> 16) & 255) * 0.85);
    const g = Math.floor(((n >> 8) & 255) * 0.85);
    const b = Math.floor((n & 255) * 0.85);
    n = (r << 16) | (g << 8) | b;
  }
  return '#111827';
}

/** Initials for an avatar: "Ada Lovelace" → "AL". */
export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  if (parts.length === 0) return '?';
  const first = parts[0]![0] ?? '';
  const last = parts.length > 1 ? (parts[parts.length - 1]![0] ?? '') : (parts[0]![1] ?? '');
  return (first + last).toUpperCase();
}

/** Distance in km, rounded for display: "5,600 km". */
export function km(n: number): string {
  const rounded = n >= 1000 ? Math.round(n / 100) * 100 : Math.round(n);
  return `${rounded.toLocaleString('en-GB')} km`;
}
