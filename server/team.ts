/**
 * Each delegation's own channel: messages among the students who hold one power together. Not part of
 * the game (the engine never sees them); only the delegation's members and the facilitator receive them
 * (server/visibility.ts). The newest LIMITS.teamMessages of each delegation are kept.
 */
import { LIMITS } from '#shared/limits.ts';
import { type SessionState, TeamMessageState } from './state.ts';

export class TeamChannels {
  private readonly root: SessionState;
  private readonly channels = new Map<string, TeamMessageState[]>();
  private next = 1;
  /** Bumped on every change, so that views are updated only when a channel changed. */
  version = 0;

  constructor(root: SessionState) {
    this.root = root;
  }

  add(table: string, power: string, from: string, text: string, at: number): TeamMessageState {
    const m = new TeamMessageState();
    m.table = table;
    m.power = power;
    m.from = from;
    m.text = text;
    m.at = at;
    const key = `${table}/${power}`;
    const list = this.channels.get(key) ?? [];
    if (list.length === 0) this.channels.set(key, list);
    list.push(m);
    this.root.team.set(`${key}/${this.next++}`, m);
    while (list.length > LIMITS.teamMessages) {
      const old = list.shift()!;
      for (const [k, v] of this.root.team) if (v === old) this.root.team.delete(k);
    }
    this.version++;
    return m;
  }

  /** One delegation's messages, oldest first. */
  of(table: string, power: string): readonly TeamMessageState[] {
    return this.channels.get(`${table}/${power}`) ?? [];
  }

  /** Every delegation's messages at a table (the facilitator's). */
  ofTable(table: string): TeamMessageState[] {
    return [...this.channels.entries()].filter(([k]) => k.startsWith(`${table}/`)).flatMap(([, v]) => v);
  }

  /** A table removed before the start. */
  dropTable(table: string): void {
    for (const [k, list] of [...this.channels]) {
      if (!k.startsWith(`${table}/`)) continue;
      for (const [rk, v] of [...this.root.team]) if (list.includes(v)) this.root.team.delete(rk);
      this.channels.delete(k);
    }
    this.version++;
  }
}
