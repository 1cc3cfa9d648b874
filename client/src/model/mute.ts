/**
 * Muting another player (issue 13, part 4): a choice of this browser only, remembered per game
 * (localStorage `bamboo:mute:<code>`, the muted powers of that game). Their messages are hidden from
 * the conversations; proposals, the ledger and the game itself are unchanged (the rules still hold).
 */
const key = (code: string) => `bamboo:mute:${code}`;

export function mutedPowers(code: string): Set<string> {
  try {
    const v = JSON.parse(localStorage.getItem(key(code)) ?? '[]') as unknown;
    return new Set(Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  } catch {
    return new Set();
  }
}

export function setMuted(code: string, power: string, muted: boolean): void {
  const set = mutedPowers(code);
  if (muted) set.add(power);
  else set.delete(power);
  try {
    localStorage.setItem(key(code), JSON.stringify([...set]));
  } catch {
    /* storage disabled: muted for this page only */
  }
}

/** The messages left to show, and how many were hidden (sent by a muted power; never your own). */
export function hideMuted<T extends { from: string }>(messages: T[], muted: ReadonlySet<string>, me: string): { shown: T[]; hidden: number } {
  const shown = messages.filter((m) => m.from === me || !muted.has(m.from));
  return { shown, hidden: messages.length - shown.length };
}
