/**
 * One simulated student: per turn, with a think time between steps, a chat to another power, a
 * proposal (or an answer to one addressed to them), ready; then two legal orders and ready.
 * Also the choice of orders from the player's view (shared/engine's legalMoves on a state rebuilt
 * from the PlayerView).
 */
import { type GameState, legalMoves, type Order, type PlayerView, type Scenario } from '#shared/index.ts';
import type { Metrics, Requester } from './metrics.ts';
import { type Seated, seatOf, type TableObservation, tableOf, viewOf } from './observe.ts';
import type { FrameCounter } from './ws-bytes.ts';

export interface RoomLike extends Requester {
  sessionId: string;
  state: unknown;
  onStateChange(cb: (state: unknown) => void): unknown;
  onLeave(cb: (code: number) => void): unknown;
  onMessage(type: string, cb: (...args: unknown[]) => void): unknown;
  leave(consented?: boolean): Promise<unknown>;
}

export interface DriveOptions {
  scenario: Scenario;
  thinkMin: number;
  thinkMax: number;
  metrics: Metrics;
  stopped: () => boolean;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)]!;

/** A GameState good enough for legalMoves (metrics, relations, moves used once) from a PlayerView. */
export function stateFromView(view: PlayerView, me: string): GameState {
  const used = new Set<string>();
  for (const h of view.history) for (const o of h.orders[me] ?? []) used.add(o.move);
  const powers: GameState['powers'] = {};
  for (const [id, p] of Object.entries(view.powers)) {
    powers[id] = { metrics: p.metrics, credibility: p.credibility, orders: p.orders ?? [], ready: p.ready, used_once: id === me ? [...used] : [] };
  }
  return {
    scenario: view.scenario,
    seed: '',
    turn: view.turn,
    phase: view.phase,
    powers,
    relations: view.relations,
    proposals: view.proposals,
    commitments: view.commitments,
    messages: view.messages,
    fired: [],
    current_events: view.current_events,
    history: view.history,
    next_id: 0,
  };
}

/** Up to two distinct legal orders within the action points, in random order of preference. */
export function chooseOrders(scenario: Scenario, view: PlayerView | undefined, me: string): Order[] {
  if (!view) return [];
  const options: { order: Order; cost: number }[] = [];
  for (const m of legalMoves(scenario, stateFromView(view, me), me)) {
    if (m.joint) continue;
    if (m.untargeted) options.push({ order: { move: m.move }, cost: m.cost });
    else for (const t of m.targets) options.push({ order: { move: m.move, target: t }, cost: m.cost });
  }
  options.sort(() => Math.random() - 0.5);
  const chosen: Order[] = [];
  let left = scenario.turns.action_points;
  for (const o of options) {
    if (chosen.length === 2) break;
    if (o.cost > left || chosen.some((c) => c.move === o.order.move)) continue;
    chosen.push(o.order);
    left -= o.cost;
  }
  return chosen;
}

export class Student {
  seat: Seated | undefined;
  obs: TableObservation | undefined;
  /** Bytes received, by the turn the table was in when the frame arrived (0: before the start; -1: after the end). */
  readonly bytesByTurn = new Map<number, number>();
  joinBytes = 0;
  maxTurn = 0;
  ended = false;
  left = false;
  private waiters: (() => void)[] = [];

  readonly room: RoomLike;
  readonly counter: FrameCounter;

  constructor(room: RoomLike, counter: FrameCounter) {
    this.room = room;
    this.counter = counter;
    counter.onFrame = (n) => {
      const bucket = this.ended ? -1 : (this.obs?.turn ?? 0);
      this.bytesByTurn.set(bucket, (this.bytesByTurn.get(bucket) ?? 0) + n);
    };
    room.onMessage('*', () => {});
    room.onStateChange((state) => {
      if (this.joinBytes === 0) this.joinBytes = counter.bytes;
      this.update(state);
    });
    room.onLeave(() => {
      this.left = true;
      this.wake();
    });
    this.update(room.state);
  }

  private update(state: unknown): void {
    if (!state) return;
    this.seat ??= seatOf(state, this.room.sessionId);
    if (this.seat) {
      this.obs = tableOf(state, this.seat.table);
      if (this.obs) {
        this.maxTurn = Math.max(this.maxTurn, this.obs.turn);
        if (this.obs.status === 'ended' || this.obs.phase === 'ended') this.ended = true;
      }
    }
    this.wake();
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** Resolves at the next state change (or after `ms`). */
  changed(ms = 2000): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Turns whose end this client saw (the turn moved on, or the game ended). */
  completedTurns(): number[] {
    const out: number[] = [];
    for (let t = 1; t <= this.maxTurn; t++) if (t < this.maxTurn || this.ended) out.push(t);
    return out;
  }

  async play(o: DriveOptions): Promise<void> {
    const me = () => this.seat!.power;
    let done = '';
    while (!o.stopped() && !this.left && !this.ended) {
      const obs = this.obs;
      const key = obs ? `${obs.turn}/${obs.phase}` : '';
      if (!this.seat || !obs || obs.status !== 'running' || key === done) {
        await this.changed();
        continue;
      }
      const still = () => !o.stopped() && !this.left && this.obs?.status === 'running' && `${this.obs.turn}/${this.obs.phase}` === key;
      const think = async () => {
        await sleep(o.thinkMin + Math.random() * (o.thinkMax - o.thinkMin));
        return still();
      };
      const others = () => Object.keys(obs.ready).filter((p) => p !== me());
      if (obs.phase === 'negotiation') {
        if (!(await think())) continue;
        await o.metrics.send(this.room, 'chat', { to: [pick(others())], text: `Turn ${obs.turn}: ${me()} would like to talk about the coming month. Are you in?` });
        if (!(await think())) continue;
        const view = viewOf(this.room.state, this.seat.table, me());
        const open = view?.proposals.filter((p) => p.to === me() && p.status === 'open') ?? [];
        if (open.length > 0) {
          await o.metrics.send(this.room, 'respond', { proposal: pick(open).id, accept: Math.random() < 0.5 });
        } else {
          const target = pick(others());
          const pressure = o.scenario.kinds.filter((k) => k.tone === 'negative').map((k) => k.id);
          await o.metrics.send(this.room, 'propose', {
            to: target,
            terms: [{ power: me(), type: 'refrain', kind: pick(pressure.length ? pressure : ['pressure']), target, from_turn: obs.turn, to_turn: obs.turn }],
          });
        }
        if (!(await think())) continue;
        await o.metrics.send(this.room, 'ready', { ready: true });
      } else if (obs.phase === 'orders') {
        if (!(await think())) continue;
        const orders = chooseOrders(o.scenario, viewOf(this.room.state, this.seat.table, me()), me());
        // The server has the last word: fall back to fewer orders if it refuses.
        for (let n = orders.length; n >= 0; n--) {
          const r = await o.metrics.send(this.room, 'set_orders', { orders: orders.slice(0, n) });
          if (r.ok || !r.rejected || !still()) break;
        }
        if (!(await think())) continue;
        await o.metrics.send(this.room, 'ready', { ready: true });
      }
      done = key;
    }
  }
}
