/**
 * The scenario file format, as a zod 4 schema.
 *
 * This one schema is the single source of truth: it validates YAML files (shared/scenario/load.ts),
 * produces the TypeScript types the engine uses, and generates the JSON Schema that editors use
 * for completion (scenarios/scenario.schema.json, written by `npm run scenario -- schema`).
 * Cross-references between ids (a move naming an unknown power) are checked afterwards in
 * shared/scenario/crossref.ts, because zod checks shapes, not references.
 */
import { z } from 'zod';
import { SCENARIO_LIMITS as LIMIT } from './limits.ts';

const id = z
  .string()
  .regex(/^[a-z][a-z0-9_]*$/, 'an id: lowercase letters, digits and underscores, starting with a letter')
  .describe('An identifier: lowercase letters, digits and underscores.');

const text = z.string().min(1, 'a non-empty text');

export const SourceRefSchema = z
  .object({
    source: id.describe('The id of an entry in the top-level `sources` list.'),
    paragraph: z.number().int().positive().optional().describe('Paragraph number in the source.'),
    note: z.string().optional(),
  })
  .strict()
  .describe('A citation of one of the scenario sources.');

const cites = z.array(SourceRefSchema).default([]).describe('Sources this item is built from.');

export const SourceSchema = z
  .object({
    id,
    title: text,
    publisher: text,
    date: z.string().describe('Publication date, e.g. 2024-06-20.'),
    url: z.string().optional(),
    note: z.string().optional().describe('For the teacher: e.g. how paragraphs are numbered.'),
  })
  .strict();

export const MetricSchema = z
  .object({
    id,
    name: text,
    description: z.string().default(''),
    min: z.number().int(),
    max: z.number().int(),
    start: z.number().int().describe('Starting value unless a power or pair overrides it.'),
  })
  .strict()
  .refine((m) => m.min < m.max, { message: 'min must be below max', path: ['max'] })
  .refine((m) => m.start >= m.min && m.start <= m.max, { message: 'start must lie between min and max', path: ['start'] });

/**
 * Who an effect or condition is about. `actor` and `target` refer to the move being played;
 * `others` means every power that is neither; a power id names that power.
 */
export const WhoSchema = z
  .union([z.enum(['actor', 'target', 'others', 'all']), id])
  .describe('actor, target, others (everyone else), all, or a power id');

export const ComparisonSchema = z
  .object({
    at_least: z.number().optional(),
    at_most: z.number().optional(),
    above: z.number().optional(),
    below: z.number().optional(),
  })
  .strict();

type ConditionShape =
  | { metric: string; of: string; at_least?: number; at_most?: number; above?: number; below?: number }
  | { relation: string; between: [string, string]; at_least?: number; at_most?: number; above?: number; below?: number }
  | { turn: { at_least?: number; at_most?: number; above?: number; below?: number } }
  | { partners_this_turn: { power: string; at_least: number; kind?: string; rivals_only?: boolean } }
  | { credibility: string; at_least?: number; at_most?: number; above?: number; below?: number }
  | { played_this_turn: { by: string; move?: string; kind?: string; against?: string } }
  | { all: ConditionShape[] }
  | { any: ConditionShape[] }
  | { not: ConditionShape };

/** A condition on the game state. Structured rather than a formula so that every part is validated. */
export const ConditionSchema: z.ZodType<ConditionShape> = z.lazy(() =>
  z.union([
    ComparisonSchema.extend({ metric: id, of: WhoSchema }).strict(),
    ComparisonSchema.extend({ relation: id, between: z.tuple([WhoSchema, WhoSchema]) }).strict(),
    z.object({ turn: ComparisonSchema }).strict(),
    ComparisonSchema.extend({ credibility: WhoSchema }).strict(),
    z
      .object({
        partners_this_turn: z
          .object({
            power: WhoSchema,
            at_least: z.number().int().positive(),
            kind: id.optional().describe('The move kind that counts as partnering; default: every kind whose tone is positive.'),
            rivals_only: z.boolean().optional().describe('Count only partners that are rivals of one another.'),
          })
          .strict(),
      })
      .strict(),
    z
      .object({
        played_this_turn: z
          .object({ by: WhoSchema, move: id.optional(), kind: id.optional(), against: WhoSchema.optional() })
          .strict(),
      })
      .strict(),
    z.object({ all: z.array(ConditionSchema).min(1) }).strict(),
    z.object({ any: z.array(ConditionSchema).min(1) }).strict(),
    z.object({ not: ConditionSchema }).strict(),
  ]),
) as z.ZodType<ConditionShape>;

export const MetricEffectSchema = z
  .object({
    metric: id,
    on: WhoSchema.describe('Whose metric changes.'),
    change: z.number().int(),
  })
  .strict();

export const RelationEffectSchema = z
  .object({
    relation: id,
    between: z.tuple([WhoSchema, WhoSchema]),
    change: z.number().int(),
  })
  .strict();

export const EffectSchema = z.union([MetricEffectSchema, RelationEffectSchema]);

export const ConditionalEffectSchema = z
  .object({
    if: ConditionSchema,
    effects: z.array(EffectSchema).min(1),
    note: z.string().optional().describe('Shown in the news when this bonus applies.'),
  })
  .strict();

export const KindSchema = z
  .object({
    id,
    name: text,
    tone: z
      .enum(['positive', 'negative', 'neutral'])
      .describe('positive moves court, negative moves pressure; used by the conflict rules and the bots.'),
  })
  .strict();

export const MoveSchema = z
  .object({
    id,
    name: text,
    description: text,
    kind: id.describe('partnership, pressure, or any kind the scenario names'),
    by: z.union([z.literal('any'), z.array(id).min(1)]).default('any').describe('Powers that may play it.'),
    against: z
      .union([z.literal('any'), z.literal('none'), z.array(id).min(1)])
      .default('any')
      .describe('Powers it may target; none for moves without a target.'),
    cost: z.number().int().min(0),
    joint: z.boolean().default(false).describe('Both sides must order it against each other in the same turn.'),
    once_per_game: z.boolean().default(false),
    place: id.optional().describe('A map place the move is drawn at.'),
    headline: z.string().optional().describe("News headline; {actor} and {target} are replaced by names, {actor's} and {target's} by their possessive forms."),
    requires: z.array(ConditionSchema).default([]).describe('Preconditions, all of which must hold at the start of the turn.'),
    effects: z.array(EffectSchema).default([]),
    conditional: z.array(ConditionalEffectSchema).default([]),
    sources: cites,
  })
  .strict();

export const TriggerSchema = z.union([
  z.object({ turn: z.number().int().positive() }).strict().describe('Happens in this turn\'s resolution, after the moves.'),
  z.object({ when: ConditionSchema }).strict().describe('Fires after resolution the first time the condition holds.'),
  z
    .object({
      chance: z.number().min(0).max(1),
      from_turn: z.number().int().positive().optional(),
      to_turn: z.number().int().positive().optional(),
    })
    .strict()
    .describe('Each turn, with this probability, drawn from the game seed.'),
  z.object({ facilitator: z.literal(true) }).strict().describe('Only when the facilitator triggers it.'),
]);

export const EventSchema = z
  .object({
    id,
    headline: text,
    body: text,
    trigger: TriggerSchema,
    repeat: z.boolean().default(false).describe('May fire more than once.'),
    effects: z.array(EffectSchema).default([]),
    sources: cites,
  })
  .strict();

export const ObjectiveSchema = z
  .object({
    id,
    text: text.describe('What the power is told.'),
    secret: z.boolean().default(false),
    weight: z.number().int().positive(),
    scoring: z
      .enum(['end', 'each_turn'])
      .default('end')
      .describe('end: scored once on the final state; each_turn: weight/turns for every turn it holds.'),
    condition: ConditionSchema,
  })
  .strict();

export const PersonalitySchema = z
  .object({
    loyalty: z.number().min(0).max(1).default(0.8).describe('Chance a bot keeps its commitments.'),
    assertiveness: z.number().min(0).max(1).default(0.5).describe('How readily a bot uses pressure moves.'),
  })
  .strict();

export const PowerSchema = z
  .object({
    id,
    name: text,
    colour: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a colour like #c0392b'),
    capital: id.describe('A place id from `map.places`.'),
    brief: text,
    start: z.record(z.string(), z.number().int()).default({}).describe('Starting metric values for this power.'),
    personality: PersonalitySchema.default({ loyalty: 0.8, assertiveness: 0.5 }),
    objectives: z.array(ObjectiveSchema).min(1).max(LIMIT.objectives, `at most ${LIMIT.objectives} objectives per power`),
    sources: cites,
  })
  .strict();

export const RelationStartSchema = z
  .object({
    between: z.tuple([id, id]),
    values: z.record(z.string(), z.number().int()),
  })
  .strict();

export const PlaceSchema = z
  .object({
    id,
    name: text,
    kind: z.enum(['capital', 'city', 'zone', 'sea_lane', 'venue']),
    lon: z.number().min(-180).max(180),
    lat: z.number().min(-90).max(90),
    power: id.optional(),
    description: z.string().optional(),
  })
  .strict();

export const BreachPenaltySchema = z
  .object({
    credibility: z.number().int().max(0).default(-20),
    effects: z
      .array(EffectSchema)
      .default([])
      .describe('Extra effects; actor is the breaker, target the power the promise was made to.'),
  })
  .strict();

export const ScenarioSchema = z
  .object({
    $schema: z.string().optional(),
    id,
    title: text,
    summary: text,
    language: z.string().default('en'),
    sources: z.array(SourceSchema).max(LIMIT.sources, `at most ${LIMIT.sources} sources`).default([]),
    turns: z
      .object({
        count: z.number().int().min(1).max(50),
        represents: text.describe('What one turn stands for, e.g. "one month".'),
        labels: z.array(z.string()).optional().describe('One label per turn, e.g. "June 2024".'),
        action_points: z.number().int().min(1),
      })
      .strict(),
    metrics: z
      .object({
        power: z.array(MetricSchema).min(1),
        pair: z.array(MetricSchema).default([]),
      })
      .strict(),
    powers: z.array(PowerSchema).min(2, 'at least 2 powers').max(LIMIT.powers, `at most ${LIMIT.powers} powers`),
    relations: z.array(RelationStartSchema).default([]),
    rivalries: z.array(z.tuple([id, id])).default([]).describe('Pairs of powers that see each other as rivals.'),
    map: z
      .object({
        center: z.tuple([z.number(), z.number()]).optional().describe('[lon, lat] the map centres on.'),
        zoom: z.number().positive().optional(),
        places: z.array(PlaceSchema).min(1).max(LIMIT.places, `at most ${LIMIT.places} places`),
      })
      .strict(),
    rules: z
      .object({
        mixed_signals: z
          .number()
          .min(0)
          .max(1)
          .default(0.5)
          .describe('Share of a partnership move\'s relation effects kept when the same pair also pressures each other in that turn.'),
        courted: z
          .array(EffectSchema)
          .default([])
          .describe('Effects on a power courted by two or more others in one turn; target is the courted power.'),
        commitment_kept_credibility: z.number().int().min(0).default(5),
        breach: BreachPenaltySchema.default({ credibility: -20, effects: [] }),
        max_commitment_turns: z.number().int().min(1).default(3),
      })
      .strict()
      .default({
        mixed_signals: 0.5,
        courted: [],
        commitment_kept_credibility: 5,
        breach: { credibility: -20, effects: [] },
        max_commitment_turns: 3,
      }),
    kinds: z
      .array(KindSchema)
      .default([
        { id: 'partnership', name: 'Partnership', tone: 'positive' },
        { id: 'pressure', name: 'Pressure', tone: 'negative' },
      ])
      .describe('The kinds of move; every move names one.'),
    moves: z.array(MoveSchema).min(1).max(LIMIT.moves, `at most ${LIMIT.moves} moves`),
    events: z.array(EventSchema).max(LIMIT.events, `at most ${LIMIT.events} events`).default([]),
    debrief: z
      .array(z.object({ text, sources: cites }).strict())
      .default([])
      .describe('"What really happened", for the teacher\'s debrief.'),
  })
  .strict();

export type Scenario = z.output<typeof ScenarioSchema>;
export type Move = z.output<typeof MoveSchema>;
export type GameEventDef = z.output<typeof EventSchema>;
export type Effect = z.output<typeof EffectSchema>;
export type Condition = ConditionShape;
export type Objective = z.output<typeof ObjectiveSchema>;
export type Power = z.output<typeof PowerSchema>;
export type Metric = z.output<typeof MetricSchema>;
export type Place = z.output<typeof PlaceSchema>;
export type Kind = z.output<typeof KindSchema>;
export type Who = z.output<typeof WhoSchema>;
