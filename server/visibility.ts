/**
 * Which entities of the room state each connection receives (its StateView). A player gets their own
 * table: its summary, its game, their power's secret, the proposals, messages and commitments their
 * power is party to, their tablemates and the announcements for them. A spectator gets the table
 * they watch, without secrets. The facilitator gets every table's summary and everyone, and the
 * details of one table: the one open on their screen (`watch`). Entitlements to game entities come
 * from the engine's own views (server/mirror.ts); nothing here decides a game rule.
 */
import type { Schema, StateView } from '@colyseus/schema';
import type { TableMirror } from './mirror.ts';
import type { TeamChannels } from './team.ts';
import type { AnnouncementState, DraftState, ParticipantState, SessionState } from './state.ts';

export interface Audience {
  participant: ParticipantState;
  draft: DraftState | undefined;
  /** The table whose details are wanted: the seat's table for players, the watched one otherwise. */
  watching: string;
  /** Everything of the watched table (facilitator), or only a power's part. */
  everything: boolean;
  /** Every table's summary and every participant (facilitator). */
  overview: boolean;
}

export interface Scope {
  state: SessionState;
  mirrors: ReadonlyMap<string, TableMirror>;
  /** Participants by table id, for "who sits at my table". */
  byTable: ReadonlyMap<string, ParticipantState[]>;
  announcements: readonly AnnouncementState[];
  team: TeamChannels;
}

/** The set of entities one connection is entitled to now. */
export function entitled(scope: Scope, who: Audience): Set<Schema> {
  const want = new Set<Schema>();
  const me = who.participant;
  want.add(me);
  if (who.draft) want.add(who.draft);
  if (who.overview) {
    for (const t of scope.state.tables.values()) want.add(t);
    for (const p of scope.state.participants.values()) want.add(p);
  }
  if (me.role === 'facilitator') for (const a of scope.state.activity.values()) want.add(a);
  const tableId = who.watching;
  const summary = tableId ? scope.state.tables.get(tableId) : undefined;
  if (summary) {
    want.add(summary);
    for (const p of scope.byTable.get(tableId) ?? []) want.add(p);
    const ent = scope.mirrors.get(tableId)?.entitlements;
    if (ent) {
      if (who.everything) for (const e of ent.all) want.add(e);
      else {
        for (const e of ent.common) want.add(e);
        if (me.role === 'player' && me.table === tableId && me.power) for (const e of ent.byPower.get(me.power) ?? []) want.add(e);
      }
    }
    // A delegation's own channel: its members, and the facilitator.
    if (who.everything) for (const m of scope.team.ofTable(tableId)) want.add(m);
    else if (me.role === 'player' && me.table === tableId && me.power) for (const m of scope.team.of(tableId, me.power)) want.add(m);
  }
  for (const a of scope.announcements) if (!a.table || a.table === tableId || me.role === 'facilitator') want.add(a);
  return want;
}

/** A connection's StateView and what it holds, so that only the difference is added or removed. */
export class ViewKeeper {
  readonly view: StateView;
  private held = new Set<Schema>();
  /** A digest of what `held` was computed from (set by the room); unchanged inputs need no update. */
  inputs = '';

  constructor(view: StateView) {
    this.view = view;
  }

  update(want: Set<Schema>): void {
    for (const e of this.held) {
      if (want.has(e)) continue;
      try {
        this.view.remove(e);
      } catch {
        /* already detached from the state (a removed table): nothing left to hide */
      }
      this.held.delete(e);
    }
    for (const e of want) {
      if (this.held.has(e)) continue;
      this.view.add(e);
      this.held.add(e);
    }
  }

  dispose(): void {
    this.held.clear();
    this.view.dispose?.();
  }
}
