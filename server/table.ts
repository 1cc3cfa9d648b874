/**
 * One table: one game of the scenario, its seats and its phase timer. No Colyseus here: the room
 * calls these methods and copies the result into the schema state. Every rule lives in the engine;
 * this class only decides *when* to call it (timers, ready-early, bots, defaults at the deadline).
 */
import { botActions, botReplies, newGame, scoreGame, step } from '#shared/index.ts';
import type { Action, GameState, Phase, PowerId, Scenario, ScoreReport } from '#shared/index.ts';
import type { SeatControl, ServerErrorCode, Settings, TableStatus } from '#shared/protocol.ts';
import type { Actor, BotReason, RecordEntry, SeatSnapshot, TableSnapshot } from './recorder.ts';

/** At most this many undo steps are kept (sandbox). */
const UNDO_DEPTH = 30;

export interface Seat {
  power: PowerId;
  /** The delegation's lead (its first member), '' when nobody holds the seat. */
  participant: string;
  /** Every student of the delegation, the lead first (one, unless the session seats delegations). */
  members: string[];
  /** Members who said they are ready this phase (how many it takes: the session's delegation rule). */
  readyMembers: string[];
  botReason: BotReason;
  /** Deadlines this seat's player missed in a row (not ready, and no orders at an orders deadline). */
  missed?: number;
}

/** When a delegation is ready: any member says so, its lead does, or a majority of its connected members. */
export type DelegationReady = 'any' | 'lead' | 'majority';

export type Outcome = { ok: true } | { ok: false; code: ServerErrorCode | string; message: string };

export const OK: Outcome = { ok: true };
export function fail(code: ServerErrorCode | string, message: string): Outcome {
  return { ok: false, code, message };
}

export interface TableEnv {
  now(): number;
  settings(): Settings;
  sandbox: boolean;
  /** Receives every accepted action and phase change. */
  record(entry: RecordEntry): void;
  /** A turn was resolved (for the `resolved` message). */
  resolved(table: Table, turn: number): void;
  warn(message: string, detail?: unknown): void;
  /** After this many deadlines missed in a row a bot plays the seat until its player returns (0: never). */
  absentAfter?(): number;
}

export class Table {
  readonly id: string;
  readonly name: string;
  readonly scenario: Scenario;
  readonly env: TableEnv;
  status: TableStatus = 'waiting';
  game: GameState | null = null;
  readonly seats = new Map<PowerId, Seat>();
  deadline = 0;
  remaining = 0;
  undo: GameState[] = [];
  scores: ScoreReport | null = null;
  /** Bumped on every change, so the room knows what to copy into the schema. */
  version = 0;

  constructor(id: string, name: string, scenario: Scenario, env: TableEnv) {
    this.id = id;
    this.name = name;
    this.scenario = scenario;
    this.env = env;
    for (const p of scenario.powers) this.seats.set(p.id, { power: p.id, participant: '', members: [], readyMembers: [], botReason: '' });
  }

  // -------------------------------------------------------------------------------------------
  // Seats
  // -------------------------------------------------------------------------------------------

  control(seat: Seat): SeatControl {
    if (this.env.sandbox) return 'facilitator';
    if (seat.botReason !== '') return 'bot';
    return seat.participant ? 'human' : 'empty';
  }

  /** Powers a human (or, in a sandbox, the facilitator) plays. */
  humanPowers(): PowerId[] {
    return [...this.seats.values()].filter((s) => {
      const c = this.control(s);
      return c === 'human' || c === 'facilitator';
    }).map((s) => s.power);
  }

  /** Put a participant in a seat alone ('' to empty it). An emptied seat of a running game goes to a bot. */
  setOccupant(power: PowerId, participant: string): void {
    this.setMembers(power, participant ? [participant] : []);
  }

  /** The delegation holding a seat, lead first ([] to empty it). */
  setMembers(power: PowerId, members: string[]): void {
    const seat = this.seats.get(power);
    if (!seat) return;
    const wasBot = this.control(seat) === 'bot';
    const participant = members[0] ?? '';
    seat.members = [...members];
    seat.readyMembers = seat.readyMembers.filter((m) => members.includes(m));
    seat.participant = participant;
    if (!participant) {
      if (this.started()) seat.botReason = 'empty';
    } else if (seat.botReason === 'empty' || seat.botReason === 'dropped') {
      seat.botReason = '';
    }
    this.version++;
    this.takenFromBot(power, wasBot);
    this.afterSeatChange();
  }

  /** A returning player takes their seat back from the bot that held it while they were away. */
  handBack(power: PowerId): void {
    const seat = this.seats.get(power);
    if (!seat || (seat.botReason !== 'dropped' && seat.botReason !== 'empty' && seat.botReason !== 'absent')) return;
    seat.missed = 0;
    this.setBot(power, '');
  }

  setBot(power: PowerId, reason: BotReason): void {
    const seat = this.seats.get(power);
    if (!seat || this.env.sandbox) return;
    const wasBot = this.control(seat) === 'bot';
    seat.botReason = reason;
    this.version++;
    this.takenFromBot(power, wasBot);
    this.afterSeatChange();
  }

  /**
   * A person takes over a seat a bot was playing: the bot's "ready" is not theirs (it would show
   * them as ready and could end the phase before they acted). Orders the bot gave stay, to be changed.
   */
  private takenFromBot(power: PowerId, wasBot: boolean): void {
    const seat = this.seats.get(power);
    if (!wasBot || !seat || this.control(seat) !== 'human' || !this.game || this.game.phase === 'ended') return;
    if (this.game.powers[power]?.ready) this.apply({ type: 'ready', power, ready: false }, { kind: 'server', reason: 'seat taken from a bot' });
  }

  private afterSeatChange(): void {
    if (this.status !== 'running') return;
    this.runBots();
    this.checkReady();
  }

  started(): boolean {
    return this.status !== 'waiting';
  }

  // -------------------------------------------------------------------------------------------
  // Life cycle
  // -------------------------------------------------------------------------------------------

  start(seed: string): Outcome {
    if (this.status !== 'waiting') return fail('ALREADY_STARTED', `Table ${this.name} has already started.`);
    this.game = newGame(this.scenario, seed);
    this.status = 'running';
    if (!this.env.sandbox) {
      for (const seat of this.seats.values()) if (!seat.participant) seat.botReason = 'empty';
    }
    this.version++;
    this.env.record({ kind: 'table', table: this.id, change: 'start', detail: { seed } });
    this.enterPhase('start');
    return OK;
  }

  pause(): Outcome {
    if (this.status !== 'running') return fail('TABLE_NOT_RUNNING', `Table ${this.name} is not running.`);
    this.status = 'paused';
    this.remaining = this.deadline ? Math.max(0, this.deadline - this.env.now()) : 0;
    this.deadline = 0;
    this.version++;
    this.env.record({ kind: 'table', table: this.id, change: 'pause' });
    return OK;
  }

  resume(): Outcome {
    if (this.status !== 'paused') return fail('TABLE_NOT_RUNNING', `Table ${this.name} is not paused.`);
    this.status = 'running';
    this.deadline = this.remaining ? this.env.now() + this.remaining : 0;
    this.remaining = 0;
    this.version++;
    this.env.record({ kind: 'table', table: this.id, change: 'resume' });
    this.checkReady();
    return OK;
  }

  extend(seconds: number): Outcome {
    if (this.status === 'paused') {
      this.remaining += seconds * 1000;
    } else if (this.status === 'running') {
      this.deadline = (this.deadline || this.env.now()) + seconds * 1000;
    } else {
      return fail('TABLE_NOT_RUNNING', `Table ${this.name} is not running.`);
    }
    this.version++;
    this.env.record({ kind: 'table', table: this.id, change: 'extend', detail: { seconds } });
    return OK;
  }

  /** Ends the current phase now (facilitator). */
  endPhase(reason = 'facilitator'): Outcome {
    if (this.status !== 'running' && this.status !== 'paused') return fail('TABLE_NOT_RUNNING', `Table ${this.name} is not running.`);
    this.advance(reason);
    return OK;
  }

  /** Ends the game now: final scores on the current state. */
  endGame(): Outcome {
    if (!this.game || this.status === 'ended') return fail('TABLE_NOT_RUNNING', `Table ${this.name} is not running.`);
    this.finish('facilitator');
    return OK;
  }

  /** Sandbox: end phases until the current turn has been resolved. */
  resolveNow(): Outcome {
    if (!this.env.sandbox) return fail('NOT_SANDBOX', 'Only in a sandbox session.');
    if (!this.game || (this.status !== 'running' && this.status !== 'paused')) return fail('TABLE_NOT_RUNNING', `Table ${this.name} is not running.`);
    const turn = this.game.turn;
    for (let i = 0; i < 3 && this.game.turn === turn && (this.status as TableStatus) !== 'ended'; i++) this.advance('sandbox');
    return OK;
  }

  /** Sandbox: back to just before the last resolution. */
  undoLast(): Outcome {
    if (!this.env.sandbox) return fail('NOT_SANDBOX', 'Only in a sandbox session.');
    const previous = this.undo.pop();
    if (!previous) return fail('NOTHING_TO_UNDO', 'There is no resolved turn to undo.');
    this.game = previous;
    this.scores = null;
    if (this.status === 'ended') this.status = 'running';
    this.setTimer();
    this.version++;
    this.env.record({ kind: 'table', table: this.id, change: 'undo', detail: { turn: previous.turn } });
    return OK;
  }

  /** Called often by the room: ends the phase when its deadline has passed. */
  tick(): boolean {
    if (this.status === 'running' && this.deadline > 0 && this.env.now() >= this.deadline) {
      this.advance('deadline');
      return true;
    }
    return false;
  }

  // -------------------------------------------------------------------------------------------
  // Actions
  // -------------------------------------------------------------------------------------------

  /**
   * A member of a delegation says they are ready (or no longer); the power becomes ready when the
   * session's rule holds (a delegation of one: when its student is).
   */
  memberReady(power: PowerId, participant: string, ready: boolean, rule: DelegationReady, connected: (participant: string) => boolean, actor: Actor): Outcome {
    const seat = this.seats.get(power);
    if (!seat) return fail('UNKNOWN_SEAT', `No power "${power}" at this table.`);
    const before = seat.readyMembers;
    seat.readyMembers = ready ? [...new Set([...before, participant])] : before.filter((m) => m !== participant);
    const want = delegationIsReady(seat, rule, connected);
    if (this.game && this.game.phase !== 'ended' && this.status === 'running' && this.game.powers[power]?.ready === want) {
      // Nothing changes in the game, but who said ready is part of the record.
      this.version++;
      this.env.record({ kind: 'table', table: this.id, change: 'member_ready', detail: { power, participant, ready } });
      return OK;
    }
    const outcome = this.act({ type: 'ready', power, ready: want }, actor);
    if (!outcome.ok) seat.readyMembers = before;
    return outcome;
  }

  /** A player's (or the facilitator's) action, validated by the engine. */
  act(action: Action, actor: Actor): Outcome {
    if (!this.game || this.status === 'waiting') return fail('TABLE_NOT_RUNNING', `Table ${this.name} has not started.`);
    if (this.status === 'ended') return fail('GAME_OVER', 'The game is over.');
    if (this.status === 'paused') return fail('TABLE_PAUSED', 'The game is paused.');
    const result = this.apply(action, actor);
    if (!result.ok) return result;
    if (action.type === 'propose') this.runBots();
    this.checkReady();
    return OK;
  }

  private apply(action: Action, actor: Actor): Outcome {
    if (!this.game) return fail('TABLE_NOT_RUNNING', 'No game.');
    const before = this.game;
    const result = step(this.scenario, before, action);
    if (!result.ok) return fail(result.rejection.code, result.rejection.message);
    this.game = result.state;
    this.version++;
    this.env.record({ kind: 'action', table: this.id, action, actor, events: result.events, turn: before.turn, phase: before.phase });
    if (before.phase !== result.state.phase || before.turn !== result.state.turn) {
      // A new phase: every member says ready afresh.
      for (const seat of this.seats.values()) seat.readyMembers = [];
      this.env.record({ kind: 'phase', table: this.id, turn: result.state.turn, phase: result.state.phase, reason: action.type });
    }
    return OK;
  }

  /** Lets every bot-held seat act (orders, readiness, replies to proposals). */
  runBots(): void {
    if (!this.game || this.status !== 'running' || this.game.phase === 'ended') return;
    for (const seat of this.seats.values()) {
      if (this.control(seat) !== 'bot') continue;
      // Replies first, so that orders are chosen knowing which deals were struck.
      for (const decide of [botReplies, botActions]) {
        let actions: Action[] = [];
        try {
          actions = decide(this.scenario, this.game, seat.power).filter((a) => decide === botReplies || a.type !== 'respond');
        } catch (e) {
          this.env.warn('bot failed', { table: this.id, power: seat.power, error: String(e) });
          break;
        }
        for (const action of actions) {
          const r = this.apply(action, { kind: 'bot', power: seat.power });
          if (!r.ok) this.env.warn('bot action rejected', { table: this.id, power: seat.power, action, code: r.code });
        }
      }
    }
  }

  /** Ends the phase early when every human-played power is ready (not with bots alone). */
  private checkReady(): void {
    const game = this.game;
    if (!game || this.status !== 'running' || game.phase === 'ended') return;
    const humans = this.humanPowers();
    if (humans.length === 0) return;
    if (humans.every((p) => game.powers[p]?.ready)) this.advance('ready');
  }

  private advance(reason: string): void {
    if (!this.game || this.game.phase === 'ended') return;
    const actor: Actor = { kind: 'server', reason };
    if (this.game.phase === 'orders') {
      // Missing orders at the end of the orders phase: no moves, or the bot's, as the teacher chose.
      if (this.env.settings().defaultOrders === 'bot' && !this.env.sandbox) {
        for (const seat of this.seats.values()) {
          const ps = this.game.powers[seat.power];
          if (this.control(seat) !== 'human' || !ps || ps.ready || ps.orders.length > 0) continue;
          let orders: Action[] = [];
          try {
            orders = botActions(this.scenario, this.game, seat.power).filter((a) => a.type === 'set_orders');
          } catch (e) {
            this.env.warn('bot failed', { table: this.id, power: seat.power, error: String(e) });
          }
          for (const a of orders) this.apply(a, { kind: 'bot', power: seat.power });
        }
      }
      // Undo exists in the sandbox only: a class table keeps no stack of past states (memory, record).
      if (this.env.sandbox) {
        this.undo.push(this.game);
        if (this.undo.length > UNDO_DEPTH) this.undo.shift();
      }
    }
    if (reason === 'deadline') this.countMissed();
    const turn = this.game.turn;
    const from: Phase = this.game.phase;
    const r = this.apply({ type: 'advance' }, actor);
    if (!r.ok) {
      this.env.warn('advance rejected', { table: this.id, code: r.code, message: r.message });
      return;
    }
    if (from === 'orders') this.env.resolved(this, turn);
    if ((this.game.phase as Phase) === 'ended') {
      this.finish('engine');
    } else {
      this.enterPhase(reason);
    }
  }

  /**
   * At a deadline: a person's seat that is not ready (and, at an orders deadline, gave no orders) missed
   * it; one that acted starts again from zero. After `absentAfter` misses in a row a bot takes the seat
   * ('absent') until its player comes back.
   */
  private countMissed(): void {
    const limit = this.env.absentAfter?.() ?? 0;
    const game = this.game;
    if (!limit || !game) return;
    for (const seat of this.seats.values()) {
      if (this.control(seat) !== 'human') continue;
      const ps = game.powers[seat.power];
      const acted = !!ps && (ps.ready || (game.phase === 'orders' && ps.orders.length > 0));
      seat.missed = acted ? 0 : (seat.missed ?? 0) + 1;
      if (seat.missed >= limit) {
        seat.botReason = 'absent';
        this.version++;
        this.env.record({ kind: 'table', table: this.id, change: 'absent', detail: { power: seat.power, missed: seat.missed } });
      }
    }
  }

  private finish(reason: string): void {
    if (!this.game) return;
    this.status = 'ended';
    this.deadline = 0;
    this.remaining = 0;
    this.scores = scoreGame(this.scenario, this.game);
    this.version++;
    this.env.record({ kind: 'table', table: this.id, change: 'ended', detail: { reason } });
  }

  private setTimer(): void {
    const settings = this.env.settings();
    const phase = this.game?.phase;
    const seconds = phase === 'negotiation' ? settings.negotiationSeconds : phase === 'orders' ? settings.ordersSeconds : 0;
    if (this.status === 'paused') {
      this.remaining = seconds * 1000;
      this.deadline = 0;
    } else {
      this.deadline = seconds > 0 ? this.env.now() + seconds * 1000 : 0;
      this.remaining = 0;
    }
  }

  private enterPhase(_reason: string): void {
    this.setTimer();
    this.version++;
    this.runBots();
    this.checkReady();
  }

  // -------------------------------------------------------------------------------------------
  // Snapshots
  // -------------------------------------------------------------------------------------------

  snapshot(): TableSnapshot {
    return {
      id: this.id,
      name: this.name,
      status: this.status,
      game: this.game,
      seats: [...this.seats.values()].map((s): SeatSnapshot => ({ ...s, members: [...s.members], readyMembers: [...s.readyMembers] })),
      deadline: this.deadline,
      remaining: this.remaining,
      undo: [...this.undo],
    };
  }

  static restore(snap: TableSnapshot, scenario: Scenario, env: TableEnv): Table {
    const table = new Table(snap.id, snap.name, scenario, env);
    table.status = snap.status;
    table.game = snap.game;
    for (const s of snap.seats) {
      const seat = table.seats.get(s.power);
      // Records made before delegations name one participant per seat.
      if (seat) Object.assign(seat, s, { members: s.members ?? (s.participant ? [s.participant] : []), readyMembers: s.readyMembers ?? [] });
    }
    table.deadline = snap.deadline;
    table.remaining = snap.remaining;
    table.undo = [...snap.undo];
    if (table.status === 'ended' && table.game) table.scores = scoreGame(scenario, table.game);
    return table;
  }
}

/** Whether a delegation is ready under the session's rule. */
export function delegationIsReady(seat: Seat, rule: DelegationReady, connected: (participant: string) => boolean): boolean {
  if (seat.members.length <= 1 || rule === 'any') return seat.readyMembers.length > 0;
  if (rule === 'lead') return seat.readyMembers.includes(seat.members[0]!);
  const present = seat.members.filter(connected);
  const ready = seat.readyMembers.filter((m) => present.includes(m)).length;
  return present.length === 0 ? seat.readyMembers.length > 0 : ready * 2 > present.length;
}
