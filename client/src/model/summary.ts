/**
 * What one resolved turn did to one power (issue 11, "a turn that reads at a glance"): its numbers
 * that changed, its relations that changed, the promises it kept or broke (or that were kept or
 * broken towards it), its own moves and the moves made against it, and the scenario's events.
 * Pure: built from the history records of the rebuilt view.
 */
import type { GameEvent, TurnRecord } from '#shared/engine/types.ts';
import type { Scenario } from '#shared/scenario/schema.ts';
import { pairKey } from './relations.ts';
import { startMetrics } from './view.ts';

/** Credibility every power starts with (the engine's newGame). */
export const START_CREDIBILITY = 50;

export interface Change {
  id: string;
  label: string;
  before: number;
  after: number;
  delta: number;
}

export interface SummaryLine {
  text: string;
  tone: 'ok' | 'bad' | 'neutral';
}

export interface TurnSummary {
  turn: number;
  power: string;
  /** Power metrics and credibility that changed. */
  numbers: Change[];
  /** Pair metrics between this power and another that changed (label: the other power's name and the metric). */
  relations: Change[];
  promises: SummaryLine[];
  moves: SummaryLine[];
  events: { headline: string; body: string }[];
}

/** The values before a history record: the previous record, or the scenario's start. */
export function valuesBefore(scenario: Scenario, history: TurnRecord[], index: number): Pick<TurnRecord, 'metrics' | 'relations' | 'credibility'> {
  const prev = index > 0 ? history[index - 1] : undefined;
  if (prev) return prev;
  const relations: Record<string, Record<string, number>> = {};
  const ids = scenario.powers.map((p) => p.id);
  for (const a of ids)
    for (const b of ids) {
      if (a >= b) continue;
      const given = scenario.relations.find((r) => r.between.includes(a) && r.between.includes(b))?.values ?? {};
      relations[pairKey(a, b)] = Object.fromEntries(scenario.metrics.pair.map((m) => [m.id, given[m.id] ?? m.start]));
    }
  return { metrics: startMetrics(scenario), relations, credibility: Object.fromEntries(ids.map((id) => [id, START_CREDIBILITY])) };
}

function change(id: string, label: string, before: number | undefined, after: number | undefined): Change | null {
  if (before === undefined || after === undefined || before === after) return null;
  return { id, label, before, after, delta: after - before };
}

export function turnSummary(scenario: Scenario, history: TurnRecord[], power: string, index = history.length - 1): TurnSummary | undefined {
  const record = history[index];
  if (!record) return undefined;
  const before = valuesBefore(scenario, history, index);
  const name = (id: string) => scenario.powers.find((p) => p.id === id)?.name ?? id;
  const numbers = [
    ...scenario.metrics.power.map((m) => change(m.id, m.name, before.metrics[power]?.[m.id], record.metrics[power]?.[m.id])),
    change('credibility', 'Credibility', before.credibility[power], record.credibility[power]),
  ].filter((c): c is Change => c !== null);
  const relations: Change[] = [];
  for (const other of scenario.powers) {
    if (other.id === power) continue;
    const key = pairKey(power, other.id);
    for (const m of scenario.metrics.pair) {
      const c = change(`${other.id}:${m.id}`, `${m.name} with ${other.name}`, before.relations[key]?.[m.id], record.relations[key]?.[m.id]);
      if (c) relations.push(c);
    }
  }
  const promises: SummaryLine[] = [];
  const moves: SummaryLine[] = [];
  const events: { headline: string; body: string }[] = [];
  for (const e of record.events as GameEvent[]) {
    if (e.type === 'commitment' && (e.status === 'kept' || e.status === 'breached') && (e.by === power || e.to === power)) {
      const who = e.by === power ? 'You' : name(e.by);
      const verb = e.status === 'kept' ? 'kept' : 'broke';
      promises.push({ text: `${who} ${verb} a promise${e.by === power ? ` to ${name(e.to)}` : ' to you'}: ${e.headline}`, tone: e.status === 'kept' ? 'ok' : 'bad' });
    } else if (e.type === 'move' && (e.actor === power || e.target === power)) {
      const tone = e.outcome !== 'done' ? 'neutral' : scenario.kinds.find((k) => k.id === e.kind)?.tone === 'negative' && e.target === power ? 'bad' : 'ok';
      moves.push({ text: `${e.headline}${e.outcome !== 'done' ? ` (did not happen${e.reason ? `: ${e.reason}` : ''})` : ''}`, tone });
    } else if (e.type === 'scenario_event') {
      events.push({ headline: e.headline, body: e.body });
    }
  }
  return { turn: record.turn, power, numbers, relations, promises, moves, events };
}

/** Every power's change of each power metric and of credibility in the last resolved turn (for the chips on the cards). */
export function lastChanges(scenario: Scenario, history: TurnRecord[]): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  const last = history[history.length - 1];
  if (!last) return out;
  const before = valuesBefore(scenario, history, history.length - 1);
  for (const p of scenario.powers) {
    const d: Record<string, number> = {};
    for (const m of scenario.metrics.power) {
      const a = before.metrics[p.id]?.[m.id];
      const b = last.metrics[p.id]?.[m.id];
      if (a !== undefined && b !== undefined && a !== b) d[m.id] = b - a;
    }
    const ca = before.credibility[p.id];
    const cb = last.credibility[p.id];
    if (ca !== undefined && cb !== undefined && ca !== cb) d['credibility'] = cb - ca;
    out[p.id] = d;
  }
  return out;
}
