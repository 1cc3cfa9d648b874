/**
 * Notices derived from the rebuilt view (issue 11, defect 8): the proposer hears when the other side
 * accepts or rejects their proposal. Statuses seen on this page are remembered per seat; the first
 * sighting (a reload) says nothing.
 */
import { toast } from '../app.ts';
import { powerName } from '../model/format.ts';
import type { GameCtx } from './context.ts';
import { announce } from './dom.ts';

const seen = new Map<string, Map<string, string>>();

export function proposalNotices(ctx: GameCtx): void {
  const key = `${ctx.session.code}:${ctx.table.id}:${ctx.power}`;
  let known = seen.get(key);
  const first = !known;
  if (!known) {
    known = new Map();
    seen.set(key, known);
  }
  for (const p of ctx.view.proposals ?? []) {
    if (p.from !== ctx.power) continue;
    const was = known.get(p.id);
    known.set(p.id, p.status);
    if (first || was === p.status || (was !== undefined && was !== 'open')) continue;
    const who = powerName(ctx.scenario, p.to);
    if (p.status === 'accepted') {
      toast('ok', `${who} accepted your proposal`, 'The deal is in your commitments ledger (Talks).');
      announce(`${who} accepted your proposal.`);
    } else if (p.status === 'rejected') {
      toast('info', `${who} rejected your proposal`);
      announce(`${who} rejected your proposal.`);
    } else if (p.status === 'countered') {
      toast('info', `${who} answered with a counter-proposal`, 'See Talks.');
      announce(`${who} answered your proposal with a counter-proposal.`);
    }
  }
}
