/** Bamboo's rules engine: pure, deterministic, no I/O. */
export * from './engine/types.ts';
export type { Scenario, Move, Power, Metric, Place, Objective, Effect, Condition, GameEventDef, Kind } from './scenario/schema.ts';
export { ScenarioSchema } from './scenario/schema.ts';
export { parseScenario, formatIssue, formatPath, type ScenarioIssue, type ParseResult } from './scenario/load.ts';
export { newGame } from './engine/state.ts';
export { step, MAX_MESSAGE_LENGTH } from './engine/step.ts';
export { playerView, publicScenario, isPublicEvent, publicTurnRecord, visibility, type PlayerView, type PowerView, type ObjectiveView, type Viewer } from './engine/view.ts';
export { scoreGame, type ScoreReport, type PowerScore, type ScoreLine } from './engine/scoring.ts';
export { actionPointsLeft, legalMoves, type LegalMove } from './engine/orders.ts';
export { botActions, botReplies } from './engine/bots.ts';
export { pairKey, pairOf } from './engine/pairs.ts';
export { CREDIBILITY_MIN, CREDIBILITY_MAX, CREDIBILITY_START } from './engine/effects.ts';
