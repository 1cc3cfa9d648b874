/**
 * In-memory `localStorage` and `sessionStorage` for tests that run the browser client's own code
 * (client/src/net/session.ts) in Node: one "browser" per test process.
 */
class MemoryStorage {
  private m = new Map<string, string>();
  getItem(k: string) {
    return this.m.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    this.m.set(k, String(v));
  }
  removeItem(k: string) {
    this.m.delete(k);
  }
}

export function installMemoryStorage(): void {
  const g = globalThis as Record<string, unknown>;
  g.localStorage ??= new MemoryStorage();
  g.sessionStorage ??= new MemoryStorage();
}
