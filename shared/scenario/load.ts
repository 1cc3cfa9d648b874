/**
 * Reading a scenario file: YAML text -> validated Scenario, or every problem at once, each with the
 * file, line and column, the path (`moves[3].effects[0].metric`) and what was expected.
 * Pure: it takes the text, not a file name to open.
 */
import { isMap, isNode, isPair, isScalar, LineCounter, parseDocument, visit, type Document } from 'yaml';
import type { z } from 'zod';
import { crossCheck, type RawIssue } from './crossref.ts';
import { SCENARIO_LIMITS } from './limits.ts';
import { type Scenario, ScenarioSchema } from './schema.ts';

export interface ScenarioIssue {
  file: string;
  line: number;
  column: number;
  path: string;
  message: string;
  severity: 'error' | 'warning';
}

export type ParseResult =
  | { ok: true; scenario: Scenario; warnings: ScenarioIssue[] }
  | { ok: false; errors: ScenarioIssue[]; warnings: ScenarioIssue[] };

type Path = Array<PropertyKey>;

export function formatPath(path: Path): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out || '(top level)';
}

/** zod reports a failed union as one issue per branch; keep the branch that came closest. */
function flatten(issues: z.core.$ZodIssue[]): z.core.$ZodIssue[] {
  const out: z.core.$ZodIssue[] = [];
  for (const issue of issues) {
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      const branches = issue.errors.map((branch) => flatten(branch.map((i) => ({ ...i, path: [...issue.path, ...i.path] }))));
      // Closest: a branch whose keys matched (no unrecognised or missing top keys), then the fewest issues.
      const score = (b: z.core.$ZodIssue[]) =>
        b.length + 100 * b.filter((i) => i.code === 'unrecognized_keys' || (i.code === 'invalid_type' && i.input === undefined)).length;
      const best = branches.reduce((a, b) => (score(b) < score(a) ? b : a));
      const formError = score(best) >= 100 ? describeForms(issue.path, branches) : undefined;
      out.push(...(formError ? [formError] : best));
    } else {
      out.push(issue);
    }
  }
  return out;
}

/**
 * When no branch of a union even has the right keys (a trigger written `{ at: 2 }`), say which forms
 * are accepted instead of reporting one arbitrary branch's complaints.
 */
function describeForms(path: PropertyKey[], branches: z.core.$ZodIssue[][]): z.core.$ZodIssue | undefined {
  const depth = path.length + 1;
  const missingKeys = (b: z.core.$ZodIssue[]) =>
    b.filter((i) => i.path.length === depth && (i.code === 'invalid_type' || i.code === 'invalid_value') && i.input === undefined).map((i) => String(i.path[depth - 1]));
  const forms = branches.map(missingKeys);
  if (forms.some((keys) => keys.length === 0)) return undefined;
  const found = [...new Set(branches.flat().flatMap((i) => (i.code === 'unrecognized_keys' && i.path.length === path.length ? i.keys : [])))];
  const expected = [...new Set(forms.map((keys) => keys.join(' + ')))].join(', ');
  const message = `${found.length ? `unexpected ${found.map((k) => `"${k}"`).join(', ')}: ` : ''}expected one of these forms: ${expected}`;
  return { code: 'custom', path: path as PropertyKey[], message, input: undefined } as z.core.$ZodIssue;
}

function describe(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type') {
    return issue.input === undefined ? `missing required field (expected ${issue.expected})` : `expected ${issue.expected}, got ${typeName(issue.input)}`;
  }
  if (issue.code === 'unrecognized_keys') return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  if (issue.code === 'invalid_value') return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
  return issue.message;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${JSON.stringify(value)}`;
}

/** The position of the deepest node on the path that exists in the document. */
function locate(doc: Document, counter: LineCounter, path: Path, key?: string): { line: number; col: number } {
  const parts = path.map((p) => (typeof p === 'symbol' ? String(p) : p));
  for (let n = parts.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(parts.slice(0, n), true);
    if (!isNode(node) || !node.range) continue;
    if (n === parts.length && key !== undefined && isMap(node)) {
      const pair = node.items.find((it) => isNode(it.key) && (it.key as { value?: unknown }).value === key);
      if (pair && isNode(pair.key) && pair.key.range) return counter.linePos(pair.key.range[0]);
    }
    return counter.linePos(node.range[0]);
  }
  return { line: 1, col: 1 };
}

export function parseScenario(text: string, file = 'scenario.yaml'): ParseResult {
  const fail = (line: number, column: number, path: string, message: string): ParseResult => ({
    ok: false,
    warnings: [],
    errors: [{ file, line, column, path, message, severity: 'error' }],
  });
  const tooBig = sizeProblem(text);
  if (tooBig) return fail(tooBig.line, 1, '(file)', tooBig.message);
  if (text.trim() === '') {
    return fail(1, 1, '(file)', 'the file is empty: a scenario is a YAML mapping that starts with `id:`, `title:` and `summary:` (see docs/scenario-format.md)');
  }
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      warnings: [],
      errors: sortIssues(doc.errors.map((e) => {
        const opener = unclosedOpener(text, e.message, e.pos[0]);
        if (opener !== undefined) {
          const at = counter.linePos(opener);
          const close = text[opener] === '{' ? '}' : ']';
          return { file, line: at.line, column: at.col, path: '(YAML syntax)', message: `this "${text[opener]}" is never closed with "${close}"`, severity: 'error' as const };
        }
        const pos = e.linePos?.[0] ?? counter.linePos(e.pos[0]);
        const first = e.message.split('\n')[0] ?? e.message;
        const dup = e.code === 'DUPLICATE_KEY' ? keyAt(doc, e.pos[0]) : undefined;
        const message = dup !== undefined ? `the key "${dup}" appears twice in this mapping (${first.replace(/ at line.*$/, '')})` : first;
        return { file, line: pos.line, column: pos.col, path: '(YAML syntax)', message, severity: 'error' as const };
      })),
    };
  }
  const at = (path: Path, message: string, severity: 'error' | 'warning', key?: string): ScenarioIssue => {
    const pos = locate(doc, counter, path, key);
    return { file, line: pos.line, column: pos.col, path: formatPath(key ? [...path, key] : path), message, severity };
  };
  if (doc.contents === null || isScalar(doc.contents)) {
    const pos = doc.contents?.range ? counter.linePos(doc.contents.range[0]) : { line: 1, col: 1 };
    const what = doc.contents === null || doc.contents.value === null ? 'nothing but comments' : `only the text ${JSON.stringify(String(doc.contents.value)).slice(0, 60)}`;
    return fail(pos.line, pos.col, '(top level)', `the file holds ${what}: a scenario is a YAML mapping that starts with \`id:\`, \`title:\` and \`summary:\``);
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: SCENARIO_LIMITS.aliases });
  } catch (error) {
    const hot = busiestAnchor(doc);
    const pos = hot?.range ? counter.linePos(hot.range[0]) : { line: 1, col: 1 };
    const detail = error instanceof ReferenceError && /alias/i.test(error.message) && hot
      ? `aliases expand to more than ${SCENARIO_LIMITS.aliases.toLocaleString('en')} copies (the anchor "&${hot.anchor}" is used ${hot.uses} times, with more aliases nested inside it); write some copies out or nest fewer aliases`
      : `the YAML cannot be read: ${(error as Error).message}`;
    return fail(pos.line, pos.col, '(YAML aliases)', detail);
  }
  const values = countValues(data, SCENARIO_LIMITS.values);
  if (values > SCENARIO_LIMITS.values) {
    return fail(1, 1, '(file)', `the scenario expands to more than ${SCENARIO_LIMITS.values.toLocaleString('en')} values once its aliases are copied in; the limit keeps the server and the browser responsive`);
  }
  const parsed = ScenarioSchema.safeParse(data, { reportInput: true });
  if (!parsed.success) {
    const errors = flatten(parsed.error.issues).flatMap((issue) =>
      issue.code === 'unrecognized_keys'
        ? issue.keys.map((k) => at(issue.path, `unknown field "${k}"`, 'error', k))
        : issue.code === 'too_big' && issue.origin === 'array'
          ? [at([...issue.path, Number(issue.maximum)], `${describe(issue)}: this is number ${Number(issue.maximum) + 1}`, 'error')]
          : [at(issue.path, describe(issue), 'error')],
    );
    return { ok: false, errors: sortIssues(errors), warnings: [] };
  }
  const raw: RawIssue[] = crossCheck(parsed.data);
  const issues = raw.map((r) => at(r.path, r.message, r.severity));
  const errors = sortIssues(issues.filter((i) => i.severity === 'error'));
  const warnings = sortIssues(issues.filter((i) => i.severity === 'warning'));
  return errors.length ? { ok: false, errors, warnings } : { ok: true, scenario: parsed.data, warnings };
}

/**
 * The YAML parser notices an unclosed `{` or `[` only where the next line begins; point at the
 * bracket itself, which is where the designer has to look.
 */
function unclosedOpener(text: string, message: string, errorAt: number): number | undefined {
  const wanted = /end with a \}/.test(message) ? '{' : /end with a \]/.test(message) ? '[' : undefined;
  if (!wanted) return undefined;
  const closer = wanted === '{' ? '}' : ']';
  let depth = 0;
  for (let i = Math.min(errorAt, text.length - 1); i >= 0; i--) {
    const ch = text[i];
    if (ch === closer) depth++;
    else if (ch === wanted) {
      if (depth === 0) return i;
      depth--;
    }
  }
  return undefined;
}

function sizeProblem(text: string): { line: number; message: string } | undefined {
  const limit = SCENARIO_LIMITS.bytes;
  if (text.length * 3 <= limit) return undefined;
  const bytes = new TextEncoder().encode(text).length;
  if (bytes <= limit) return undefined;
  let line = 1;
  for (let i = 0; i < Math.min(text.length, limit); i++) if (text.charCodeAt(i) === 10) line++;
  const kb = (n: number) => `${Math.round(n / 1024).toLocaleString('en')} KB`;
  return { line, message: `the file is ${kb(bytes)}; a scenario may be at most ${kb(limit)} (this line is past the limit)` };
}

/** The key of the pair whose key starts at `offset` (for a duplicate-key error). */
function keyAt(doc: Document, offset: number): string | undefined {
  let found: string | undefined;
  visit(doc, {
    Pair(_, pair) {
      if (isPair(pair) && isScalar(pair.key) && pair.key.range?.[0] === offset) {
        found = String(pair.key.value);
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
}

/** The anchored node used by the most aliases, for an alias error. */
function busiestAnchor(doc: Document): { anchor: string; uses: number; range?: [number, number, number] } | undefined {
  const uses = new Map<string, number>();
  const nodes = new Map<string, { range?: [number, number, number] | null }>();
  visit(doc, {
    Alias(_, node) {
      uses.set(node.source, (uses.get(node.source) ?? 0) + 1);
    },
    Node(_, node) {
      if (node.anchor && !nodes.has(node.anchor)) nodes.set(node.anchor, node);
    },
  });
  let best: { anchor: string; uses: number; range?: [number, number, number] } | undefined;
  for (const [anchor, n] of uses) {
    if (!best || n >= best.uses) best = { anchor, uses: n, ...(nodes.get(anchor)?.range ? { range: nodes.get(anchor)!.range! } : {}) };
  }
  return best;
}

/** Values in a parsed tree (aliases count once per use), stopping just past `limit`. */
function countValues(root: unknown, limit: number): number {
  let count = 0;
  const stack: unknown[] = [root];
  while (stack.length && count <= limit) {
    const v = stack.pop();
    count++;
    if (Array.isArray(v)) for (const x of v) stack.push(x);
    else if (v && typeof v === 'object') for (const x of Object.values(v)) stack.push(x);
  }
  return count;
}

function sortIssues(list: ScenarioIssue[]): ScenarioIssue[] {
  return [...list].sort((a, b) => a.line - b.line || a.column - b.column);
}

export function formatIssue(i: ScenarioIssue): string {
  return `${i.file}:${i.line}:${i.column}: ${i.severity}: ${i.path}: ${i.message}`;
}
