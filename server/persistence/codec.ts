/**
 * How kept engine states are stored (issue 9): deflated JSON, and most of them as a patch against the
 * previous state kept for the same table. The engine is pure and shares what a step does not change
 * (`history: [...state.history, record]`), so the patch is found by identity: an unchanged branch is
 * the same object, an array that only grew keeps its old elements. A patch applied to the JSON of its
 * base gives exactly the JSON of the state (same values, same key order).
 *
 * Formats (`states.format`): 0 the JSON text (databases before migration 2), 1 deflated JSON, 2 a
 * deflated patch against the state `states.base`.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';

export const FORMAT_JSON = 0;
export const FORMAT_DEFLATE = 1;
export const FORMAT_PATCH = 2;

/** A change of one JSON object: keys set (to the value), appended to (arrays that only grew), patched (objects), deleted. */
export interface Patch {
  s?: Record<string, unknown>;
  a?: Record<string, unknown[]>;
  p?: Record<string, Patch>;
  d?: string[];
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** The keys JSON keeps (an undefined value is left out). */
function jsonKeys(o: Record<string, unknown>): string[] {
  const keys: string[] = [];
  for (const k of Object.keys(o)) if (o[k] !== undefined && typeof o[k] !== 'function') keys.push(k);
  return keys;
}

/**
 * Whether applying a patch to `prev` keeps the key order of `cur`: the keys both have come in the same
 * order, and the new ones after them (a key set on an object goes last).
 */
function sameOrder(prevKeys: string[], curKeys: string[], cur: Record<string, unknown>, prev: Record<string, unknown>): boolean {
  let i = 0;
  const kept = prevKeys.filter((k) => cur[k] !== undefined);
  for (; i < kept.length; i++) if (curKeys[i] !== kept[i]) return false;
  for (; i < curKeys.length; i++) if (prev[curKeys[i]!] !== undefined) return false;
  return true;
}

/**
 * The patch from `prev` to `cur` (both JSON-like objects): null if they are the same, 'replace' if
 * `cur` must be written whole (its keys came in another order).
 */
export function diff(prev: Record<string, unknown>, cur: Record<string, unknown>): Patch | null | 'replace' {
  const prevKeys = jsonKeys(prev);
  const curKeys = jsonKeys(cur);
  if (!sameOrder(prevKeys, curKeys, cur, prev)) return 'replace';
  const set: Record<string, unknown> = {};
  const append: Record<string, unknown[]> = {};
  const sub: Record<string, Patch> = {};
  const del: string[] = [];
  let changed = false;
  for (const k of curKeys) {
    const v = cur[k];
    const pv = prev[k];
    if (v === pv) continue;
    if (isObject(v) && isObject(pv)) {
      const inner = diff(pv, v);
      if (inner === null) continue;
      changed = true;
      if (inner === 'replace') set[k] = v;
      else sub[k] = inner;
      continue;
    }
    changed = true;
    if (Array.isArray(v) && Array.isArray(pv) && v.length > pv.length) {
      let prefix = true;
      for (let i = 0; i < pv.length; i++) {
        if (v[i] !== pv[i]) {
          prefix = false;
          break;
        }
      }
      if (prefix) {
        append[k] = v.slice(pv.length);
        continue;
      }
    }
    set[k] = v;
  }
  for (const k of prevKeys) {
    if (cur[k] === undefined) {
      del.push(k);
      changed = true;
    }
  }
  if (!changed) return null;
  const patch: Patch = {};
  if (Object.keys(set).length > 0) patch.s = set;
  if (Object.keys(append).length > 0) patch.a = append;
  if (Object.keys(sub).length > 0) patch.p = sub;
  if (del.length > 0) patch.d = del;
  return patch;
}

/** Applies a patch to a parsed JSON object (changed in place, and returned). */
export function applyPatch(target: Record<string, unknown>, patch: Patch): Record<string, unknown> {
  if (patch.d) for (const k of patch.d) delete target[k];
  // Same order as `diff` found them: keys of the object, in its order (set, appended or patched).
  if (patch.p) for (const [k, sub] of Object.entries(patch.p)) applyPatch(target[k] as Record<string, unknown>, sub);
  if (patch.a) for (const [k, items] of Object.entries(patch.a)) (target[k] as unknown[]).push(...items);
  if (patch.s) for (const [k, v] of Object.entries(patch.s)) target[k] = v;
  return target;
}

/** Fast settings (a kept state is written at a phase change, in the event loop): most of a small patch's cost is setting zlib up. */
const DEFLATE = { level: 3, memLevel: 6 };

export function pack(json: string): Uint8Array {
  return deflateRawSync(json, DEFLATE);
}

export function unpack(data: Uint8Array | string): string {
  return typeof data === 'string' ? data : inflateRawSync(data).toString('utf8');
}
