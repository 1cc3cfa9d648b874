/** The orders panel: legal moves with cost and expected effects, action points left, and "ready". */
import type { Order } from '#shared/engine/types.ts';
import { legalFor } from '../model/legal.ts';
import { actionPoints, previewMove } from '../model/effects.ts';
import { moveStroke, kindName } from '../model/relations.ts';
import { powerName, plural } from '../model/format.ts';
import { type GameCtx, panelState, send } from './context.ts';
import { toast } from '../app.ts';
import { h, icon, announce } from './dom.ts';

const sameOrder = (a: Order, b: Order) => a.move === b.move && (a.target ?? '') === (b.target ?? '');

/**
 * Keyboard focus after adding or removing a move (issue 11, defect 4): the button pressed is disabled
 * or gone once the orders change, so focus goes to the next move one can add, else to "ready".
 */
function keepFocus(after: string | undefined): void {
  const fix = () => {
    const active = document.activeElement as HTMLButtonElement | null;
    if (active && active !== document.body && active.isConnected && !active.disabled) return;
    const adds = [...document.querySelectorAll<HTMLButtonElement>('[data-testid=orders-panel] [data-focus^="add-"]')];
    const start = after ? adds.findIndex((b) => b.dataset['focus'] === after) : -1;
    const next = [...adds.slice(start + 1), ...adds.slice(0, Math.max(0, start))].find((b) => !b.disabled);
    (next ?? document.querySelector<HTMLElement>('[data-testid=orders-panel] [data-focus=ready]'))?.focus();
  };
  // The orders change now (a plan) or when the server's state arrives (orders): look a few times.
  for (const ms of [0, 80, 200, 400, 800, 1500]) window.setTimeout(fix, ms);
}

export function ordersPanel(ctx: GameCtx, rerender: () => void): HTMLElement {
  const { scenario, view, power, table } = ctx;
  const st = panelState(table.id, power);
  const phase = view.phase;
  const mine = view.powers[power];
  const serverOrders: Order[] = mine?.orders ?? [];
  if (st.plan.turn !== view.turn) st.plan = { turn: view.turn, orders: [] };
  const planning = phase === 'negotiation';
  // During the talks, moves promised in an accepted deal are already orders: the plan comes on top.
  const promised = planning ? serverOrders : [];
  const planned = planning ? st.plan.orders.filter((o) => !promised.some((x) => sameOrder(x, o))) : [];
  const orders = planning ? [...promised, ...planned] : serverOrders;
  const ap = actionPoints(scenario, orders);
  const ready = table.seats[power]?.ready ?? mine?.ready ?? false;
  const paused = table.status === 'paused';
  const disabled = ctx.readOnly || paused || phase === 'ended';

  const setOrders = async (next: Order[]) => {
    if (planning) {
      st.plan.orders = next.filter((o) => !promised.some((x) => sameOrder(x, o)));
      rerender();
      return;
    }
    if (await send(ctx, 'set_orders', { orders: next })) announce('Orders updated');
  };

  const legal = legalFor(scenario, view, power);
  const section = h('div', { 'data-testid': 'orders-panel' });
  section.append(
    h(
      'div.ap',
      { 'aria-label': `${ap.left} of ${ap.total} action points left` },
      h('div.ap-pips', { 'aria-hidden': 'true' }, Array.from({ length: ap.total }, (_, i) => h('i', { class: i < ap.used ? 'used' : '' }))),
      h('div', null, h('strong', { 'data-testid': 'ap-left' }, String(ap.left)), ' ', h('span.muted', null, `of ${ap.total} action points left`)),
    ),
  );
  if (planning)
    section.append(
      h(
        'p.small.muted',
        { style: 'margin-top:-4px' },
        'Talks are on. Plan your moves now: your plan is sent as your orders when the orders phase opens. You can change it until you are ready. Your plan is saved as you go, so a reload does not lose it.',
      ),
    );
  if (planning && ap.used > ap.total)
    section.append(
      h(
        'p.banner.banner-warn',
        { role: 'status', 'data-testid': 'plan-over' },
        icon('clock'),
        h('span', null, `A deal added promised moves: your plan is ${plural(ap.used - ap.total, 'point')} over. Remove a move, or the last planned ones will be left out when the orders phase opens.`),
      ),
    );
  if (paused) section.append(h('p.chip.chip-warn', null, icon('pause'), 'The game is paused by your teacher'));

  section.append(h('h3', null, planning ? 'Your plan' : 'Your orders this turn'));
  if (orders.length === 0) section.append(h('p.empty', null, planning ? 'Nothing planned yet.' : 'No orders yet. Add moves below.'));
  else
    section.append(
      h(
        'ul.orders-list',
        { 'data-testid': 'my-orders' },
        orders.map((o, i) =>
          h(
            'li',
            null,
            h('span', null, h('strong', null, scenario.moves.find((m) => m.id === o.move)?.name ?? o.move), o.target ? ` → ${powerName(scenario, o.target)}` : ''),
            i < promised.length ? h('span.chip', { 'data-testid': 'promised' }, icon('handshake'), 'Promised in a deal') : null,
            addedBy(ctx, o, planning),
            h(
              'button.btn-sm.btn-ghost',
              {
                type: 'button',
                disabled: disabled || ready || i < promised.length,
                'data-focus': `rm-${i}`,
                'aria-label': `Remove ${scenario.moves.find((m) => m.id === o.move)?.name ?? o.move}`,
                onclick: async () => {
                  await setOrders(orders.filter((_, j) => j !== i));
                  keepFocus(undefined);
                },
              },
              icon('x'),
            ),
          ),
        ),
      ),
    );

  section.append(h('h3', { style: 'margin-top:14px' }, 'Moves you can make'));
  if (legal.length === 0) section.append(h('p.empty', null, 'No move is possible right now.'));
  const list = h('div', { role: 'list' });
  for (const lm of legal) {
    const move = scenario.moves.find((m) => m.id === lm.move);
    if (!move) continue;
    const targets = lm.targets;
    let target = st.targets[lm.move];
    if (!target || !targets.includes(target)) target = targets[0];
    const preview = previewMove(scenario, move, power, lm.untargeted ? undefined : target);
    const stroke = moveStroke(scenario, lm.kind);
    const tooExpensive = lm.cost > ap.left;
    const already = orders.some((o) => o.move === lm.move && (lm.untargeted || o.target === target));
    const tgtId = `tgt-${lm.move}`;
    const card = h(
      `article.move.kind-${stroke}`,
      { role: 'listitem', 'aria-labelledby': `mv-${lm.move}`, 'data-move': lm.move },
      h(
        'header',
        null,
        h('h3', { id: `mv-${lm.move}` }, lm.name),
        h('span.chip', null, stroke === 'partnership' ? icon('handshake') : stroke === 'pressure' ? icon('bolt') : icon('flag'), kindName(scenario, lm.kind)),
        h('span.cost', null, plural(lm.cost, 'point')),
      ),
      h('p.desc', null, move.description),
      h(
        'ul.effects',
        { 'aria-label': 'Expected effects' },
        preview.lines.map((l) => h('li', { class: l.tone }, l.text)),
        preview.conditional.map((c) => h('li.cond', null, `If ${c.when}: ${c.lines.map((l) => l.text).join('; ')}${c.note ? ` — ${c.note}` : ''}`)),
        lm.joint ? h('li.cond', null, `Joint move: works only if ${target ? powerName(scenario, target) : 'the other side'} orders it too.`) : null,
        move.once_per_game ? h('li.cond', null, 'Can be played once per game.') : null,
      ),
      h(
        'div.order-form',
        null,
        lm.untargeted
          ? null
          : [
              h('label.sr-only', { for: tgtId }, `Target of ${lm.name}`),
              h(
                'select',
                {
                  id: tgtId,
                  disabled,
                  onchange: (e: Event) => {
                    st.targets[lm.move] = (e.target as HTMLSelectElement).value;
                    rerender();
                  },
                },
                targets.map((t) => h('option', { value: t, selected: t === target }, `→ ${powerName(scenario, t)}`)),
              ),
            ],
        h(
          'button.btn-sm',
          {
            type: 'button',
            class: 'btn-primary btn-sm',
            'data-focus': `add-${lm.move}`,
            'data-testid': `add-${lm.move}`,
            disabled: disabled || ready || tooExpensive || already,
            title: tooExpensive ? 'Not enough action points left' : already ? 'Already in your orders' : undefined,
            onclick: async () => {
              await setOrders([...orders, lm.untargeted ? { move: lm.move } : { move: lm.move, target: target! }]);
              keepFocus(`add-${lm.move}`);
            },
          },
          already ? 'Added' : planning ? 'Plan it' : 'Add',
        ),
      ),
    );
    list.append(card);
  }
  section.append(list);

  section.append(
    h(
      'div.ready-bar',
      null,
      h(
        'button.btn-lg.btn-block',
        {
          type: 'button',
          class: ready ? 'btn-lg btn-block' : 'btn-primary btn-lg btn-block',
          'data-testid': 'ready',
          'data-focus': 'ready',
          'aria-pressed': String(ready),
          disabled: ctx.readOnly || paused || phase === 'ended',
          onclick: async () => {
            if (await send(ctx, 'ready', { ready: !ready })) announce(ready ? 'You are no longer ready' : 'You are ready');
          },
        },
        ready ? [icon('check'), 'Ready — press to change your mind'] : phase === 'negotiation' ? 'I am done talking — ready' : 'Submit: I am ready',
      ),
      h('p.small.muted', { style: 'text-align:center;margin:6px 0 0' }, readyLine(ctx)),
    ),
  );
  return section;
}

function readyLine(ctx: GameCtx): string {
  const seats = Object.values(ctx.table.seats);
  const humans = seats.filter((s) => s.control === 'human');
  const readyN = humans.filter((s) => s.ready).length;
  return humans.length ? `${readyN} of ${humans.length} teams ready. The phase ends when everyone is ready or time runs out.` : '';
}

/**
 * When the orders phase opens, send the plan made during talks (once), on top of the orders already
 * there (moves promised in a deal: issue 11, defect 1). What no longer fits (action points, a move
 * no longer possible) is left out, and the player is told.
 */
export function submitPlanIfNeeded(ctx: GameCtx): void {
  const st = panelState(ctx.table.id, ctx.power);
  if (ctx.readOnly || ctx.view.phase !== 'orders' || st.plan.turn !== ctx.view.turn || st.plan.orders.length === 0) return;
  const current = ctx.view.powers[ctx.power]?.orders ?? [];
  const plan = st.plan.orders;
  st.plan = { turn: ctx.view.turn, orders: [] };
  const { merged, dropped } = mergePlan(ctx, current, plan);
  if (merged.length === current.length && dropped.length === 0) return;
  const name = (o: Order) => `${ctx.scenario.moves.find((m) => m.id === o.move)?.name ?? o.move}${o.target ? ` → ${powerName(ctx.scenario, o.target)}` : ''}`;
  const tell = () => {
    if (!dropped.length) return announce(current.length ? 'Your planned moves were added to your promised moves' : 'Your planned moves were submitted as orders');
    const text = `Not enough action points left after your deal: ${dropped.map(name).join(', ')} left out.`;
    toast('bad', 'Part of your plan did not fit', text);
    announce(text);
  };
  if (merged.length === current.length) return tell();
  void send(ctx, 'set_orders', { orders: merged }).then((ok) => ok && tell());
}

/** The orders there now, then each planned move that is not there yet and still fits and is legal. */
export function mergePlan(ctx: GameCtx, current: Order[], plan: Order[]): { merged: Order[]; dropped: Order[] } {
  const merged = [...current];
  const dropped: Order[] = [];
  const legal = legalFor(ctx.scenario, ctx.view, ctx.power);
  for (const o of plan) {
    if (merged.some((x) => sameOrder(x, o))) continue;
    const lm = legal.find((l) => l.move === o.move && (l.untargeted || (o.target !== undefined && l.targets.includes(o.target))));
    const ap = actionPoints(ctx.scenario, [...merged, o]);
    if (!lm || ap.used > ap.total) dropped.push(o);
    else merged.push(o);
  }
  return { merged, dropped };
}

/** In a delegation, who of its members added an order to the shared orders ("who changed what"). */
function addedBy(ctx: GameCtx, order: { move: string; target?: string }, planning: boolean): HTMLElement | null {
  const members = ctx.table.seats[ctx.power]?.members ?? [];
  if (planning || members.length <= 1) return null;
  const standing = ctx.view.powers[ctx.power]?.orders ?? [];
  const authors = ctx.table.orderBy[ctx.power] ?? [];
  const i = standing.findIndex((x) => x.move === order.move && (x.target ?? '') === (order.target ?? ''));
  const by = i >= 0 ? authors[i] : '';
  if (!by) return null;
  const name = by === ctx.session.participantId ? 'you' : (ctx.session.snap?.participants[by]?.name ?? 'a member');
  return h('span.small.muted', { 'data-testid': 'added-by' }, `added by ${name}`);
}
