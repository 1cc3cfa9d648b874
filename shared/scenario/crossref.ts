/**
 * Checks that go beyond shape: every id a scenario mentions must exist (a move naming an unknown
 * power is an error here, not a crash later), ids are unique, turns are within the game, and
 * `actor`/`target` are used only where they mean something. Also warns about uncited content.
 */
import type { Condition, Effect, Scenario, Who } from './schema.ts';

export interface RawIssue {
  path: Array<string | number>;
  message: string;
  severity: 'error' | 'warning';
}

const ROLE_WORDS = new Set(['actor', 'target', 'others', 'all']);

export function crossCheck(s: Scenario): RawIssue[] {
  const issues: RawIssue[] = [];
  const error = (path: Array<string | number>, message: string) => issues.push({ path, message, severity: 'error' });
  const warn = (path: Array<string | number>, message: string) => issues.push({ path, message, severity: 'warning' });

  const ids = (list: Array<{ id: string }>, path: string[], what: string) => {
    const seen = new Set<string>();
    list.forEach((item, i) => {
      if (seen.has(item.id)) error([...path, i, 'id'], `duplicate ${what} id "${item.id}"`);
      seen.add(item.id);
    });
    return seen;
  };
  const powers = ids(s.powers, ['powers'], 'power');
  const moves = ids(s.moves, ['moves'], 'move');
  ids(s.events, ['events'], 'event');
  const places = ids(s.map.places, ['map', 'places'], 'place');
  const sources = ids(s.sources, ['sources'], 'source');
  const kinds = ids(s.kinds, ['kinds'], 'kind');
  const powerMetrics = new Set(s.metrics.power.map((m) => m.id));
  const pairMetrics = new Set(s.metrics.pair.map((m) => m.id));
  const list = (set: Set<string>) => [...set].join(', ');

  const power = (id: string, path: Array<string | number>) => {
    if (!powers.has(id)) error(path, `unknown power "${id}"; expected one of: ${list(powers)}`);
  };
  const who = (w: Who, path: Array<string | number>, hasActor: boolean, hasTarget: boolean) => {
    if (ROLE_WORDS.has(w)) {
      if (w === 'actor' && !hasActor) error(path, '"actor" means nothing here: there is no acting power');
      if (w === 'target' && !hasTarget) error(path, '"target" means nothing here: there is no target power');
      return;
    }
    power(w, path);
  };
  const cites = (refs: Array<{ source: string }>, path: Array<string | number>) => {
    refs.forEach((r, i) => {
      if (!sources.has(r.source)) error([...path, i, 'source'], `unknown source "${r.source}"; expected one of: ${list(sources) || '(no sources declared)'}`);
    });
  };
  const effect = (e: Effect, path: Array<string | number>, a: boolean, t: boolean) => {
    if ('metric' in e) {
      if (!powerMetrics.has(e.metric)) error([...path, 'metric'], `unknown power metric "${e.metric}"; expected one of: ${list(powerMetrics)}`);
      who(e.on, [...path, 'on'], a, t);
    } else {
      if (!pairMetrics.has(e.relation)) error([...path, 'relation'], `unknown pair metric "${e.relation}"; expected one of: ${list(pairMetrics) || '(no pair metrics declared)'}`);
      e.between.forEach((w, i) => who(w, [...path, 'between', i], a, t));
    }
  };
  const condition = (c: Condition, path: Array<string | number>, a: boolean, t: boolean): void => {
    if ('all' in c) return c.all.forEach((x, i) => condition(x, [...path, 'all', i], a, t));
    if ('any' in c) return c.any.forEach((x, i) => condition(x, [...path, 'any', i], a, t));
    if ('not' in c) return condition(c.not, [...path, 'not'], a, t);
    if ('metric' in c) {
      if (!powerMetrics.has(c.metric)) error([...path, 'metric'], `unknown power metric "${c.metric}"; expected one of: ${list(powerMetrics)}`);
      return who(c.of, [...path, 'of'], a, t);
    }
    if ('relation' in c) {
      if (!pairMetrics.has(c.relation)) error([...path, 'relation'], `unknown pair metric "${c.relation}"; expected one of: ${list(pairMetrics) || '(none declared)'}`);
      return c.between.forEach((w, i) => who(w, [...path, 'between', i], a, t));
    }
    if ('credibility' in c) return who(c.credibility, [...path, 'credibility'], a, t);
    if ('partners_this_turn' in c) {
      const spec = c.partners_this_turn;
      if (spec.kind && !kinds.has(spec.kind)) error([...path, 'partners_this_turn', 'kind'], `unknown kind "${spec.kind}"; expected one of: ${list(kinds)}`);
      return who(spec.power, [...path, 'partners_this_turn', 'power'], a, t);
    }
    if ('played_this_turn' in c) {
      const spec = c.played_this_turn;
      const p = [...path, 'played_this_turn'];
      if (spec.move && !moves.has(spec.move)) error([...p, 'move'], `unknown move "${spec.move}"`);
      if (spec.kind && !kinds.has(spec.kind)) error([...p, 'kind'], `unknown kind "${spec.kind}"; expected one of: ${list(kinds)}`);
      who(spec.by, [...p, 'by'], a, t);
      if (spec.against) who(spec.against, [...p, 'against'], a, t);
    }
  };
  const turnOk = (n: number | undefined, path: Array<string | number>) => {
    if (n !== undefined && n > s.turns.count) error(path, `turn ${n} is after the last turn (${s.turns.count})`);
  };

  if (s.turns.labels && s.turns.labels.length !== s.turns.count) {
    error(['turns', 'labels'], `expected ${s.turns.count} labels (one per turn), found ${s.turns.labels.length}`);
  }
  s.metrics.power.forEach((m, i) => {
    if (pairMetrics.has(m.id)) error(['metrics', 'power', i, 'id'], `metric id "${m.id}" is used for both a power metric and a pair metric`);
  });
  s.powers.forEach((p, i) => {
    if (!places.has(p.capital)) error(['powers', i, 'capital'], `unknown place "${p.capital}"; expected one of: ${list(places)}`);
    for (const [metric, value] of Object.entries(p.start)) {
      const def = s.metrics.power.find((m) => m.id === metric);
      if (!def) error(['powers', i, 'start', metric], `unknown power metric "${metric}"; expected one of: ${list(powerMetrics)}`);
      else if (value < def.min || value > def.max) error(['powers', i, 'start', metric], `${value} is outside ${metric}'s range ${def.min} to ${def.max}`);
    }
    const objectiveIds = new Set<string>();
    p.objectives.forEach((o, j) => {
      if (objectiveIds.has(o.id)) error(['powers', i, 'objectives', j, 'id'], `duplicate objective id "${o.id}"`);
      objectiveIds.add(o.id);
      condition(o.condition, ['powers', i, 'objectives', j, 'condition'], true, false);
    });
    cites(p.sources, ['powers', i, 'sources']);
  });
  s.relations.forEach((r, i) => {
    r.between.forEach((id, j) => power(id, ['relations', i, 'between', j]));
    if (r.between[0] === r.between[1]) error(['relations', i, 'between'], 'a relation is between two different powers');
    for (const [metric, value] of Object.entries(r.values)) {
      const def = s.metrics.pair.find((m) => m.id === metric);
      if (!def) error(['relations', i, 'values', metric], `unknown pair metric "${metric}"; expected one of: ${list(pairMetrics) || '(none declared)'}`);
      else if (value < def.min || value > def.max) error(['relations', i, 'values', metric], `${value} is outside ${metric}'s range ${def.min} to ${def.max}`);
    }
  });
  s.rivalries.forEach((r, i) => r.forEach((id, j) => power(id, ['rivalries', i, j])));
  s.map.places.forEach((p, i) => {
    if (p.power) power(p.power, ['map', 'places', i, 'power']);
  });
  s.rules.courted.forEach((e, i) => effect(e, ['rules', 'courted', i], false, true));
  s.rules.breach.effects.forEach((e, i) => effect(e, ['rules', 'breach', 'effects', i], true, true));
  s.moves.forEach((m, i) => {
    const path = ['moves', i];
    if (!kinds.has(m.kind)) error([...path, 'kind'], `unknown kind "${m.kind}"; expected one of: ${list(kinds)}`);
    if (m.by !== 'any') m.by.forEach((id, j) => power(id, [...path, 'by', j]));
    if (Array.isArray(m.against)) m.against.forEach((id, j) => power(id, [...path, 'against', j]));
    if (m.place && !places.has(m.place)) error([...path, 'place'], `unknown place "${m.place}"; expected one of: ${list(places)}`);
    if (m.joint && m.against === 'none') error([...path, 'joint'], 'a joint move needs a partner: it cannot have `against: none`');
    const targeted = m.against !== 'none';
    m.requires.forEach((c, j) => condition(c, [...path, 'requires', j], true, targeted));
    m.effects.forEach((e, j) => effect(e, [...path, 'effects', j], true, targeted));
    m.conditional.forEach((c, j) => {
      condition(c.if, [...path, 'conditional', j, 'if'], true, targeted);
      c.effects.forEach((e, k) => effect(e, [...path, 'conditional', j, 'effects', k], true, targeted));
    });
    cites(m.sources, [...path, 'sources']);
    if (m.sources.length === 0) warn([...path, 'id'], `move "${m.id}" cites no source`);
  });
  s.events.forEach((e, i) => {
    const path = ['events', i];
    const trigger = e.trigger;
    if ('turn' in trigger) turnOk(trigger.turn, [...path, 'trigger', 'turn']);
    if ('chance' in trigger) {
      turnOk(trigger.from_turn, [...path, 'trigger', 'from_turn']);
      turnOk(trigger.to_turn, [...path, 'trigger', 'to_turn']);
    }
    if ('when' in trigger) condition(trigger.when, [...path, 'trigger', 'when'], false, false);
    e.effects.forEach((x, j) => effect(x, [...path, 'effects', j], false, false));
    cites(e.sources, [...path, 'sources']);
    if (e.sources.length === 0) warn([...path, 'id'], `event "${e.id}" cites no source`);
  });
  s.debrief.forEach((d, i) => cites(d.sources, ['debrief', i, 'sources']));
  return issues;
}
