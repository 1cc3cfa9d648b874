/**
 * The live preview beside the editor: the scenario as players will meet it — the map, each power with
 * its colour, brief and objectives (secret ones marked), the move cards with their effects and the
 * events. Built from the last version of the draft that has no errors.
 */
import type { Condition, Effect, GameEventDef, Move, Scenario } from '#shared/scenario/schema.ts';
import { newGame } from '#shared/engine/state.ts';
import type { MapView } from '../map/MapView.ts';
import { describeCondition } from '../model/effects.ts';
import { listJoin, metricName, powerName, signed } from '../model/format.ts';
import { objectivesList } from '../ui/brief.ts';
import { h, icon } from '../ui/dom.ts';

const WHO: Record<string, string> = { actor: 'the player', target: 'the target', others: 'everyone else', all: 'everyone' };
const who = (s: Scenario, w: string) => WHO[w] ?? powerName(s, w);

export function effectText(s: Scenario, e: Effect): string {
  if ('metric' in e) return `${metricName(s, e.metric)} of ${who(s, e.on)} ${signed(e.change)}`;
  return `${metricName(s, e.relation)} between ${who(s, e.between[0])} and ${who(s, e.between[1])} ${signed(e.change)}`;
}

function effectList(s: Scenario, effects: Effect[]): HTMLElement | null {
  if (!effects.length) return null;
  return h(
    'ul.ws-effects',
    null,
    effects.map((e) => h(`li.${e.change >= 0 ? 'up' : 'down'}`, null, effectText(s, e))),
  );
}

const condition = (s: Scenario, c: Condition) => describeCondition(s, c, 'actor').replace(/^you have /, 'the player has ').replace(/\byou work\b/g, 'the player works').replace(/\byou play\b/g, 'the player plays').replace(/\byou\b/g, 'the player');

function moveCard(s: Scenario, m: Move): HTMLElement {
  const kind = s.kinds.find((k) => k.id === m.kind);
  const by = m.by === 'any' ? 'Any power' : listJoin(m.by.map((p) => powerName(s, p)));
  const against = m.against === 'none' ? 'no target' : m.against === 'any' ? 'any other power' : listJoin(m.against.map((p) => powerName(s, p)));
  return h(
    `article.ws-card.ws-move.${kind?.tone ?? 'neutral'}`,
    { 'data-testid': 'preview-move' },
    h(
      'header',
      null,
      h('h4', null, m.name),
      h('span.ws-cost', { title: 'Action points' }, `${m.cost} AP`),
    ),
    h(
      'div.ws-chips',
      null,
      h(`span.chip.ws-kind.${kind?.tone ?? 'neutral'}`, null, kind?.tone === 'negative' ? icon('bolt') : icon('handshake'), kind?.name ?? m.kind),
      m.joint ? h('span.chip', null, 'Joint') : null,
      m.once_per_game ? h('span.chip', null, 'Once per game') : null,
    ),
    h('p', null, m.description),
    h('p.small.muted', null, `${by} → ${against}`),
    m.requires.length ? h('p.small', null, h('strong', null, 'Only if '), listJoin(m.requires.map((c) => condition(s, c)))) : null,
    effectList(s, m.effects),
    m.conditional.map((c) => h('div.ws-bonus', null, h('p.small', null, h('strong', null, 'Bonus if '), condition(s, c.if)), effectList(s, c.effects))),
  );
}

function triggerText(s: Scenario, e: GameEventDef): string {
  const t = e.trigger;
  const turn = (n: number) => s.turns.labels?.[n - 1] ?? `turn ${n}`;
  if ('turn' in t) return `In ${turn(t.turn)}`;
  if ('chance' in t) return `${Math.round(t.chance * 100)}% each turn${t.from_turn ? ` from ${turn(t.from_turn)}` : ''}${t.to_turn ? ` to ${turn(t.to_turn)}` : ''}`;
  if ('when' in t) return `When ${describeCondition(s, t.when, '')}`;
  return 'When the teacher triggers it';
}

function eventCard(s: Scenario, e: GameEventDef): HTMLElement {
  return h(
    'article.ws-card.ws-event',
    { 'data-testid': 'preview-event' },
    h('header', null, h('h4', null, icon('news'), e.headline)),
    h('p.small.ws-trigger', null, icon('clock'), triggerText(s, e), e.repeat ? ' (may repeat)' : ''),
    h('p', null, e.body),
    effectList(s, e.effects),
  );
}

function powerCard(s: Scenario, p: Scenario['powers'][number]): HTMLElement {
  const capital = s.map.places.find((x) => x.id === p.capital);
  return h(
    'article.ws-card.ws-power',
    { style: `--power:${p.colour}`, 'data-testid': 'preview-power' },
    h('header', null, h('span.swatch', { style: `background:${p.colour}` }), h('h4', null, p.name), capital ? h('span.small.muted', null, capital.name) : null),
    h('p', null, p.brief),
    objectivesList(p.objectives.map((o) => ({ id: o.id, text: o.text, secret: o.secret, weight: o.weight, scoring: o.scoring }))),
  );
}

export class Preview {
  readonly el = h('div.ws-preview', { 'data-testid': 'preview' });
  private mapHost = h('div.ws-map', { 'aria-label': 'Map preview', role: 'img' });
  private map: MapView | undefined;
  private mapLoading: Promise<void> | undefined;
  private scenario: Scenario | undefined;

  show(s: Scenario, stale: boolean): void {
    this.scenario = s;
    const section = (title: string, count: number, ...children: HTMLElement[]) =>
      h('section.ws-section', null, h('h3', null, title, h('span.ws-count', null, String(count))), ...children);
    this.el.replaceChildren(
      stale ? h('p.ws-stale', { role: 'status' }, icon('clock'), 'Showing the last version without errors. Fix the problems on the left to update it.') : '',
      h(
        'header.ws-preview-head',
        null,
        h('h2', { 'data-testid': 'preview-title' }, s.title),
        h('p', null, s.summary),
        h('p.small.muted', null, `${s.turns.count} turns of ${s.turns.represents} · ${s.turns.action_points} action points per turn · ${s.powers.length} powers`),
      ),
      this.mapHost,
      section('Powers', s.powers.length, h('div.ws-grid', null, s.powers.map((p) => powerCard(s, p)))),
      section('Moves', s.moves.length, h('div.ws-grid', null, s.moves.map((m) => moveCard(s, m)))),
      section('Events', s.events.length, s.events.length ? h('div.ws-grid', null, s.events.map((e) => eventCard(s, e))) : h('p.empty', null, 'No events.')),
    );
    this.updateMap();
  }

  private updateMap(): void {
    const s = this.scenario;
    if (!s) return;
    this.mapLoading ??= import('../map/MapView.ts').then(({ MapView }) => {
      this.map = new MapView(this.mapHost);
    });
    void this.mapLoading.then(() => {
      if (this.scenario !== s) return;
      this.map?.set({ scenario: s, relations: newGame(s, 'preview').relations });
    });
  }

  destroy(): void {
    this.map?.destroy();
  }
}
