/**
 * A delegation's corner of the talks panel: who holds the power with you (and who of them said
 * ready), and your delegation's own channel, which no other power reads. Shown when the seat is held
 * by more than one student, or when the channel has messages.
 */
import { toastError } from '../app.ts';
import { LIMITS } from '../net/limits.ts';
import { type GameCtx, panelState } from './context.ts';
import { h, icon } from './dom.ts';

export function delegationSection(ctx: GameCtx, rerender: () => void): HTMLElement | null {
  const seat = ctx.table.seats[ctx.power];
  const members = seat?.members ?? [];
  const messages = ctx.table.team.filter((m) => m.power === ctx.power);
  if (members.length <= 1 && messages.length === 0) return null;
  const participants = ctx.session.snap?.participants ?? {};
  const me = ctx.session.participantId;
  const name = (id: string) => (id === me ? 'You' : (participants[id]?.name ?? 'A student'));
  const rule = ctx.session.snap?.settings.delegationReady ?? 'majority';
  const ruleText = rule === 'any' ? 'Ready when any of you is.' : rule === 'lead' ? `Ready when ${name(members[0] ?? '')} (the lead) is.` : 'Ready when most of you are.';
  const st = panelState(ctx.table.id, ctx.power);
  const key = 'team';
  const input = h('input#team-input', {
    type: 'text',
    maxlength: String(LIMITS.chat),
    placeholder: 'Message your delegation…',
    'aria-label': 'Message to your delegation',
    value: st.composer[key] ?? '',
    oninput: (e: Event) => {
      st.composer[key] = (e.target as HTMLInputElement).value;
    },
  }) as HTMLInputElement;
  const submit = async (e: Event) => {
    e.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    try {
      await ctx.session.request('team_chat', { text });
      st.composer[key] = '';
      input.value = '';
      rerender();
    } catch (err) {
      toastError(err);
    }
  };
  return h(
    'section.panel-section',
    { 'aria-labelledby': 'h-delegation', 'data-testid': 'delegation' },
    h('h3#h-delegation', null, icon('users'), ' Your delegation'),
    h(
      'ul.delegation-members',
      { style: 'list-style:none;padding:0;margin:0 0 8px;display:flex;flex-wrap:wrap;gap:6px' },
      members.map((id, i) =>
        h(
          'li.chip',
          { 'data-member': id },
          name(id),
          i === 0 && members.length > 1 ? ' · lead' : '',
          participants[id] && !participants[id].connected ? ' · offline' : '',
          seat?.readyMembers.includes(id) ? h('span', { style: 'margin-left:4px' }, icon('check'), h('span.sr-only', null, ' ready')) : null,
        ),
      ),
    ),
    h('p.small.muted', null, ruleText, ' Only your delegation and the teacher read this channel.'),
    h(
      'div',
      { role: 'log', 'aria-live': 'polite' },
      h(
        'ol.messages',
        { 'aria-label': 'Messages in your delegation', tabindex: '0', 'data-testid': 'team-log' },
        messages.length === 0 ? h('li.empty', null, 'No messages in your delegation yet.') : null,
        messages.map((m) => h('li', { class: m.from === me ? 'msg mine' : 'msg' }, h('span.from', null, name(m.from)), m.text)),
      ),
    ),
    h('form.chat-form', { onsubmit: submit, style: 'display:flex;gap:6px;margin-top:6px' }, input, h('button.btn-primary', { type: 'submit' }, 'Send')),
  );
}
