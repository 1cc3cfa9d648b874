/**
 * Display names (issue 10, finding 11): one rule for the server (shared/protocol.ts NameSchema) and the
 * client's join form, in a module without zod so that the first page can use it.
 *
 * A name is normalised (Unicode NFC, runs of spaces made one, trimmed) and refused when it is empty,
 * too long, holds a control, format (zero-width, bidi override, soft hyphen), line-separator or blank
 * filler character, or (for players and spectators) looks like one of the facilitator's labels:
 * "Teacher" or "Facilitator", in any case, spacing or punctuation, and with lookalike letters
 * (Cyrillic "Теасher", "T3acher", full-width letters).
 */
import { LIMITS } from './limits.ts';

/** Labels that only the facilitator is shown with. */
export const RESERVED_NAMES = ['teacher', 'facilitator'] as const;

/** Control (Cc), format (Cf: zero-width, bidi controls, BOM, soft hyphen), line and paragraph separators, unassigned and private-use code points. */
const FORBIDDEN = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Cn}\p{Cs}]/u;
/** Letters that render as nothing (Hangul fillers, the blank braille pattern) and combining grapheme joiner. */
const BLANKS = /\u115F|\u1160|\u3164|\uFFA0|\u2800|\u034F|\u180E/u;
/** Something visible: a letter, digit, symbol or punctuation mark. */
const VISIBLE = /[\p{L}\p{N}\p{S}\p{P}]/u;

/** NFC, every run of spaces (any width) one plain space, trimmed. Line breaks and tabs are refused, not normalised. */
export function normaliseName(raw: string): string {
  return raw.normalize('NFC').replace(/\p{Zs}+/gu, ' ').trim();
}

/** Lookalikes of Latin letters (Cyrillic, Greek, digits and signs) folded onto them. */
const LOOKALIKES: Record<string, string> = {
  а: 'a', е: 'e', ё: 'e', о: 'o', р: 'p', с: 'c', у: 'y', х: 'x', і: 'i', ї: 'i', ј: 'j', һ: 'h', т: 't', к: 'k', в: 'b', н: 'h', м: 'm', ԁ: 'd', ӏ: 'l', ɑ: 'a',
  α: 'a', ε: 'e', ο: 'o', ρ: 'p', τ: 't', ι: 'i', κ: 'k', ν: 'v', χ: 'x', η: 'n', ϲ: 'c', ℓ: 'l',
  '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '@': 'a', $: 's', '!': 'i', '|': 'l',
};

/** A name folded for comparison: compatibility forms (full-width, ligatures), no accents, lower case, lookalikes mapped, only letters kept. */
export function nameSkeleton(name: string): string {
  let out = '';
  for (const ch of name.normalize('NFKD').toLowerCase()) {
    const mapped = LOOKALIKES[ch] ?? ch;
    if (/\p{L}/u.test(mapped) && !/\p{M}/u.test(mapped)) out += mapped;
  }
  // "l" and "i" are read alike (faci1itator, teacher with a capital I for l): fold them too.
  return out.replace(/l/g, 'i');
}

const RESERVED_SKELETONS = RESERVED_NAMES.map((n) => nameSkeleton(n));

/** Whether a name reads as one of the facilitator's labels. */
export function isReservedName(name: string): boolean {
  const s = nameSkeleton(name);
  return s.length > 0 && RESERVED_SKELETONS.some((r) => s.includes(r));
}

/**
 * Why a (normalised) name is refused, or null if it is fine. `reserved`: also refuse the facilitator's
 * labels (players and spectators).
 */
export function nameProblem(name: string, opts: { reserved: boolean }): string | null {
  if (name.length === 0) return 'Enter a name.';
  if ([...name].length > LIMITS.name) return `A name has at most ${LIMITS.name} characters.`;
  if (FORBIDDEN.test(name) || BLANKS.test(name)) return 'A name cannot hold invisible or control characters.';
  if (!VISIBLE.test(name)) return 'A name needs at least one letter or digit.';
  if (opts.reserved && isReservedName(name)) return 'This name is kept for the facilitator: choose another.';
  return null;
}
