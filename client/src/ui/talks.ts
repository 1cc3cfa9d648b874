/** The negotiation panel: conversations, proposals (accept, counter, reject), the commitments ledger. */
import type { Proposal, Term } from '#shared/engine/types.ts';
import { conversations, describeTerm, groupProposals, ledger, proposalStatusLabel } from '../model/view.ts';
import { powerColour, powerName, readableOnLight } from '../model/format.ts';
import { LIMITS } from '../net/limits.ts';
import { type GameCtx, panelState, send } from './context.ts';
import { delegationSection } from './delegation.ts';
import { draftChanged } from './drafts.ts';
import { h, icon, announce } from './dom.ts';
import { hideMuted, mutedPowers, setMuted } from '../model/mute.ts';

export function unreadCount(ctx: GameCtx): number {
  const st = panelState(ctx.table.id, ctx.power);
  let n = 0;
  for (const c of conversations(ctx.scenario, ctx.power, ctx.view.messages ?? [])) {
    n += Math.max(0, c.messages.filter((m) => m.from !== ctx.power).length - (st.seenMessages[c.key] ?? 0));
  }
  const incoming = (ctx.view.proposals ?? []).filter((p) => p.to === ctx.power && p.status === 'open').length;
  return n + incoming;
}

export function talksPanel(ctx: GameCtx, rerender: () => void): HTMLElement {
  const { scenario, view, power } = ctx;
  const st = panelState(ctx.table.id, power);
  const convs = conversations(scenario, power, view.messages ?? []);
  if (!convs.some((c) => c.key === st.conv)) st.conv = convs[0]?.key ?? '';
  const conv = convs.find((c) => c.key === st.conv);
  if (conv) st.seenMessages[conv.key] = conv.messages.filter((m) => m.from !== power).length;
  const closed = view.phase === 'ended' || ctx.readOnly;

  const root = h('div', { 'data-testid': 'talks-panel' });

  // --- conversations
  const convSection = h('section.panel-section', { 'aria-labelledby': 'h-conv' }, h('h3#h-conv', null, 'Conversations'));
  convSection.append(
    h(
      'div.convos',
      { role: 'group', 'aria-label': 'Choose a conversation' },
      convs.map((c) => {
        const unread = Math.max(0, c.messages.filter((m) => m.from !== power).length - (st.seenMessages[c.key] ?? 0));
        return h(
          'button',
          {
            type: 'button',
            'aria-pressed': String(c.key === st.conv),
            'data-focus': `conv-${c.key}`,
            onclick: () => {
              st.conv = c.key;
              rerender();
            },
          },
          c.with ? h('span.dot', { style: `background:${powerColour(scenario, c.with)}` }) : icon('users'),
          c.title,
          unread ? h('span.chip.chip-warn', { style: 'padding:0 6px' }, String(unread), h('span.sr-only', null, ' unread')) : null,
        );
      }),
    ),
  );
  if (conv) {
    // Issue 13: messages of a muted player are hidden in this browser (a one-to-one conversation has the switch).
    const muted = mutedPowers(ctx.session.code);
    const { shown, hidden } = hideMuted(conv.messages, muted, power);
    const other = conv.with;
    if (other && !ctx.readOnly) {
      const isMuted = muted.has(other);
      convSection.append(
        h(
          'div.small.muted',
          { style: 'display:flex;gap:8px;align-items:center;margin:4px 0' },
          hidden ? h('span', { 'data-testid': 'muted-note' }, `${hidden} message${hidden === 1 ? '' : 's'} from ${powerName(scenario, other)} hidden.`) : null,
          h(
            'button.btn.btn-sm',
            {
              type: 'button',
              'aria-pressed': String(isMuted),
              'data-testid': `mute-${other}`,
              onclick: () => {
                setMuted(ctx.session.code, other, !isMuted);
                announce(isMuted ? `${powerName(scenario, other)} unmuted` : `${powerName(scenario, other)} muted: their messages are hidden`);
                rerender();
              },
            },
            isMuted ? 'Unmute' : `Mute ${powerName(scenario, other)}`,
          ),
        ),
      );
    }
    const log = h(
      'ol.messages',
      { 'aria-label': `Messages with ${conv.title}`, tabindex: '0' },
      shown.length === 0 ? h('li.empty', null, `No messages with ${conv.title} yet.`) : null,
      shown.map((m) =>
        h(
          'li',
          { class: m.from === power ? 'msg mine' : 'msg' },
          h('span.from', { style: `color:${readableOnLight(powerColour(scenario, m.from))}` }, m.from === power ? 'You' : powerName(scenario, m.from)),
          m.text,
        ),
      ),
    );
    convSection.append(h('div', { role: 'log', 'aria-live': 'polite' }, log));
    queueMicrotask(() => {
      // The list on the page (the panel is patched in place): show the newest message.
      const live = document.querySelector<HTMLElement>('[data-testid=talks-panel] ol.messages');
      if (live) live.scrollTop = live.scrollHeight;
    });
    const input = h('input#chat-input', {
      type: 'text',
      maxlength: String(LIMITS.chat),
      placeholder: `Message ${conv.title}…`,
      value: st.composer[conv.key] ?? '',
      disabled: closed,
      'aria-label': `Message to ${conv.title}`,
      oninput: (e: Event) => {
        st.composer[conv.key] = (e.target as HTMLInputElement).value;
        draftChanged(ctx);
      },
    });
    convSection.append(
      h(
        'form.composer',
        {
          onsubmit: async (e: Event) => {
            e.preventDefault();
            const form = e.currentTarget as HTMLFormElement | null;
            const text = (st.composer[conv.key] ?? '').trim();
            if (!text) return;
            const to = conv.members.filter((m) => m !== power);
            if (await send(ctx, 'chat', { to, text })) {
              st.composer[conv.key] = '';
              const live = form?.querySelector('input');
              if (live) live.value = '';
              input.value = '';
              draftChanged(ctx);
              announce('Message sent');
            }
          },
        },
        input,
        h('button.btn-primary', { type: 'submit', disabled: closed, 'aria-label': 'Send message' }, icon('send'), h('span', null, 'Send')),
      ),
    );
  }
  const delegation = delegationSection(ctx, rerender);
  if (delegation) root.append(delegation);
  root.append(convSection);

  // --- proposals
  const groups = groupProposals(view.proposals ?? [], power);
  const propSection = h('section.panel-section', { 'aria-labelledby': 'h-props' }, h('h3#h-props', null, 'Proposals'));
  const card = (p: Proposal, actions: HTMLElement | null) =>
    h(
      'article.proposal',
      { 'data-testid': `proposal-${p.id}`, 'aria-label': `Proposal from ${powerName(scenario, p.from)} to ${powerName(scenario, p.to)}` },
      h(
        'header',
        null,
        h('span.power-tag', null, h('span.dot', { style: `background:${powerColour(scenario, p.from)}` }), p.from === power ? 'You' : powerName(scenario, p.from)),
        icon('arrow'),
        h('span.power-tag', null, h('span.dot', { style: `background:${powerColour(scenario, p.to)}` }), p.to === power ? 'you' : powerName(scenario, p.to)),
        h('span', { class: `chip ${p.status === 'accepted' ? 'chip-ok' : p.status === 'open' ? 'chip-warn' : ''}`, style: 'margin-left:auto' }, proposalStatusLabel(p.status)),
      ),
      h('ul', null, p.terms.map((t) => h('li', null, describeTerm(scenario, t, power)))),
      p.note ? h('p.small', { style: 'margin:0 0 6px' }, `“${p.note}”`) : null,
      actions,
    );
  for (const p of groups.incoming) {
    propSection.append(
      card(
        p,
        closed
          ? null
          : h(
              'div.btn-row',
              null,
              h('button.btn-primary.btn-sm', { type: 'button', 'data-focus': `acc-${p.id}`, onclick: async () => (await send(ctx, 'respond', { proposal: p.id, accept: true })) && announce('Proposal accepted') }, icon('check'), 'Accept'),
              h(
                'button.btn-sm',
                {
                  type: 'button',
                  onclick: () => {
                    st.proposal = { open: true, to: p.from, terms: p.terms.map((t) => ({ ...t })), note: '', counters: p.id };
                    rerender();
                    document.getElementById('prop-note')?.focus();
                  },
                },
                icon('undo'),
                'Counter',
              ),
              h('button.btn-danger.btn-sm', { type: 'button', onclick: async () => (await send(ctx, 'respond', { proposal: p.id, accept: false })) && announce('Proposal rejected') }, icon('x'), 'Reject'),
            ),
      ),
    );
  }
  for (const p of groups.outgoing) {
    propSection.append(card(p, closed ? null : h('div.btn-row', null, h('button.btn-sm', { type: 'button', onclick: () => send(ctx, 'withdraw', { proposal: p.id }) }, 'Withdraw'))));
  }
  if (groups.incoming.length + groups.outgoing.length === 0) propSection.append(h('p.empty', null, 'No open proposals.'));
  if (!closed) propSection.append(proposalEditor(ctx, rerender));
  if (groups.closed.length)
    propSection.append(h('details', { style: 'margin-top:10px' }, h('summary', null, `Earlier proposals (${groups.closed.length})`), groups.closed.map((p) => card(p, null))));
  root.append(propSection);

  // --- ledger
  const rows = ledger(scenario, view.commitments ?? [], power);
  root.append(
    h(
      'section.panel-section',
      { 'aria-labelledby': 'h-ledger' },
      h('h3#h-ledger', null, 'Commitments ledger'),
      h('p.small.muted', null, 'Every accepted promise. Kept promises raise credibility; broken ones cost it.'),
      rows.length === 0
        ? h('p.empty', null, 'No commitments yet.')
        : h(
            'table.ledger',
            { 'data-testid': 'ledger' },
            h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Promise'), h('th', { scope: 'col' }, 'To'), h('th', { scope: 'col' }, 'Status'))),
            h(
              'tbody',
              null,
              rows.map((r) =>
                h(
                  'tr',
                  null,
                  h('td', null, r.text),
                  h('td', null, r.to === power ? 'You' : powerName(scenario, r.to)),
                  h('td', null, h('span', { class: `chip chip-${r.tone === 'neutral' ? '' : r.tone}` }, r.tone === 'bad' ? icon('x') : r.tone === 'ok' ? icon('check') : icon('clock'), r.label)),
                ),
              ),
            ),
          ),
    ),
  );
  return root;
}

function proposalEditor(ctx: GameCtx, rerender: () => void): HTMLElement {
  const { scenario, view, power } = ctx;
  const st = panelState(ctx.table.id, power);
  const p = st.proposal;
  const others = scenario.powers.filter((x) => x.id !== power);
  if (!p.open) {
    return h(
      'button.btn-block',
      {
        type: 'button',
        style: 'margin-top:8px',
        'data-testid': 'new-proposal',
        'data-focus': 'new-proposal',
        onclick: () => {
          const to = others[0]?.id ?? '';
          st.proposal = { open: true, to, terms: [blankTerm(ctx, power, to)], note: '' };
          rerender();
          document.getElementById('prop-to')?.focus();
        },
      },
      icon('handshake'),
      'Propose a deal',
    );
  }
  const turns = scenario.turns.count;
  const turnOptions = (sel: number) =>
    Array.from({ length: Math.max(0, turns - view.turn + 1) }, (_, i) => view.turn + i).map((t) =>
      h('option', { value: String(t), selected: t === sel }, scenario.turns.labels?.[t - 1] ?? `Turn ${t}`),
    );
  // Only moves the promiser could ever play against the other side (issue 11, defect 7).
  const moveOptions = (who: string, sel: string | undefined) =>
    promisable(ctx, who, who === power ? p.to : power).map((m) => h('option', { value: m.id, selected: m.id === sel }, m.name));
  const termRow = (t: Term, i: number) => {
    const upd = (patch: Partial<Term>) => {
      st.proposal.terms[i] = { ...t, ...patch };
      rerender();
    };
    const id = (k: string) => `term-${i}-${k}`;
    return h(
      'fieldset.term-row',
      null,
      h('legend', null, `Promise ${i + 1}`),
      h(
        'div',
        null,
        h('label.small', { for: id('who') }, 'Who promises'),
        h('select', { id: id('who'), onchange: (e: Event) => { const who = (e.target as HTMLSelectElement).value; const target = who === power ? p.to : power; upd({ power: who, target, move: moveOptionsFirst(ctx, who, target) }); } }, [power, p.to].map((w) => h('option', { value: w, selected: w === t.power }, w === power ? 'You' : powerName(scenario, w)))),
      ),
      h(
        'div',
        null,
        h('label.small', { for: id('type') }, 'Promise to'),
        h('select', { id: id('type'), onchange: (e: Event) => upd({ type: (e.target as HTMLSelectElement).value as 'do' | 'refrain' }) }, h('option', { value: 'do', selected: t.type === 'do' }, 'play'), h('option', { value: 'refrain', selected: t.type === 'refrain' }, 'not play')),
      ),
      h('div.full', null, h('label.small', { for: id('move') }, 'Move'), h('select', { id: id('move'), onchange: (e: Event) => upd({ move: (e.target as HTMLSelectElement).value }) }, moveOptions(t.power, t.move))),
      h('div', null, h('label.small', { for: id('from') }, 'From'), h('select', { id: id('from'), onchange: (e: Event) => { const f = Number((e.target as HTMLSelectElement).value); upd({ from_turn: f, to_turn: Math.max(f, t.to_turn) }); } }, turnOptions(t.from_turn))),
      h('div', null, h('label.small', { for: id('to') }, 'Until'), h('select', { id: id('to'), onchange: (e: Event) => upd({ to_turn: Math.max(t.from_turn, Number((e.target as HTMLSelectElement).value)) }) }, turnOptions(t.to_turn))),
      st.proposal.terms.length > 1
        ? h('button.btn-sm.btn-ghost.full', { type: 'button', onclick: () => { st.proposal.terms.splice(i, 1); rerender(); } }, icon('x'), 'Remove this promise')
        : null,
    );
  };
  return h(
    'form.card',
    {
      style: 'margin-top:10px;padding:14px',
      'aria-labelledby': 'h-newprop',
      onsubmit: async (e: Event) => {
        e.preventDefault();
        const terms = p.terms.map((t) => {
          const move = scenario.moves.find((m) => m.id === t.move);
          const { target: _target, ...rest } = t;
          return move?.against === 'none' ? rest : { ...t, target: t.power === power ? p.to : power };
        });
        const payload: Record<string, unknown> = { to: p.to, terms, ...(p.note.trim() ? { note: p.note.trim() } : {}), ...(p.counters ? { counters: p.counters } : {}) };
        if (await send(ctx, 'propose', payload)) {
          st.proposal = { open: false, to: '', terms: [], note: '' };
          announce('Proposal sent');
          rerender();
        }
      },
    },
    h('h3#h-newprop', null, p.counters ? 'Counter-proposal' : 'New proposal'),
    h(
      'div.field',
      null,
      h('label', { for: 'prop-to' }, 'To'),
      h(
        'select#prop-to',
        {
          disabled: !!p.counters,
          onchange: (e: Event) => {
            const to = (e.target as HTMLSelectElement).value;
            st.proposal.to = to;
            st.proposal.terms = st.proposal.terms.map((t) => {
              const next = t.power === power ? { ...t, target: to } : { ...t, power: to, target: power };
              // A move that cannot be played against the new partner gives way to one that can.
              return promisable(ctx, next.power, next.target).some((m) => m.id === next.move) ? next : { ...next, move: moveOptionsFirst(ctx, next.power, next.target) };
            });
            rerender();
          },
        },
        others.map((o) => h('option', { value: o.id, selected: o.id === p.to }, o.name)),
      ),
    ),
    h('div.terms-editor', null, p.terms.map(termRow)),
    h(
      'div.btn-row',
      { style: 'margin:8px 0' },
      p.terms.length < LIMITS.terms
        ? h('button.btn-sm', { type: 'button', onclick: () => { st.proposal.terms.push(blankTerm(ctx, p.to, power)); rerender(); } }, '+ Add a promise from them')
        : null,
      p.terms.length < LIMITS.terms
        ? h('button.btn-sm', { type: 'button', onclick: () => { st.proposal.terms.push(blankTerm(ctx, power, p.to)); rerender(); } }, '+ Add a promise from you')
        : null,
    ),
    h(
      'div.field',
      null,
      h('label', { for: 'prop-note' }, 'Note ', h('span.hint', null, '(optional)')),
      h('input#prop-note', { type: 'text', maxlength: String(LIMITS.note), value: p.note, oninput: (e: Event) => { st.proposal.note = (e.target as HTMLInputElement).value; draftChanged(ctx); } }),
    ),
    h(
      'div.btn-row',
      null,
      h('button.btn-primary', { type: 'submit', 'data-testid': 'send-proposal' }, icon('send'), 'Send proposal'),
      h('button', { type: 'button', onclick: () => { st.proposal = { open: false, to: '', terms: [], note: '' }; rerender(); } }, 'Cancel'),
    ),
  );
}

/** The moves `who` could ever play against `target` (or without a target): what a promise may name. */
function promisable(ctx: GameCtx, who: string, target: string | undefined) {
  return ctx.scenario.moves.filter(
    (m) => (m.by === 'any' || m.by.includes(who)) && (m.against === 'none' || target === undefined || (m.against === 'any' ? target !== who : m.against.includes(target))),
  );
}

function moveOptionsFirst(ctx: GameCtx, who: string, target?: string): string {
  const moves = promisable(ctx, who, target);
  const partner = moves.find((m) => ctx.scenario.kinds?.find((k) => k.id === m.kind)?.tone === 'positive');
  return (partner ?? moves[0])?.id ?? '';
}

function blankTerm(ctx: GameCtx, who: string, other: string): Term {
  const t = ctx.view.turn;
  return { power: who, type: 'do', move: moveOptionsFirst(ctx, who, other), target: other, from_turn: t, to_turn: t };
}
