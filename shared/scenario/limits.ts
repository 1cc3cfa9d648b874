/**
 * Limits on a scenario file, so that a mistaken or hostile file cannot exhaust the CLI, the server's
 * catalog or the browser workshop. Each is far above what a classroom scenario needs (Hanoi 2024:
 * 49 KB, 46 moves, 4 powers) and each is reported as an ordinary error at its line.
 */
export const SCENARIO_LIMITS = {
  /** Bytes of YAML text (UTF-8). */
  bytes: 512 * 1024,
  /** yaml's `maxAliasCount`: uses of an anchor, multiplied by the aliases nested inside it. */
  aliases: 5_000,
  /** Values (mappings, lists, scalars) once aliases are expanded. */
  values: 200_000,
  powers: 8,
  moves: 200,
  events: 200,
  places: 200,
  objectives: 20,
  sources: 100,
} as const;
