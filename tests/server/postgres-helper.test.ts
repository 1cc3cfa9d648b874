/**
 * The throwaway PostgreSQL server (tests/helpers/postgres.ts): it starts, creates databases, answers
 * real queries, and `stop()` leaves neither a process nor its directory. Needs Debian's postgresql
 * (installed by .ci/run).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { psql, startPostgres } from '../helpers/postgres.ts';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Processes whose parent is `pid` (Linux /proc). */
function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const ppid = /^PPid:\s+(\d+)$/m.exec(readFileSync(`/proc/${entry}/status`, 'utf8'))?.[1];
      if (Number(ppid) === pid) out.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

describe('startPostgres', () => {
  it('serves real databases and stop() leaves nothing behind', async () => {
    const pg = await startPostgres({ databases: ['alpha'] });
    const port = Number(new URL(pg.url).port);
    try {
      expect(pg.url).toBe(`postgres://postgres@127.0.0.1:${port}/postgres`);
      expect(pg.urlFor('alpha')).toBe(`postgres://postgres@127.0.0.1:${port}/alpha`);

      // Created at start, and on demand.
      await psql(pg.urlFor('alpha'), 'CREATE TABLE t (n int); INSERT INTO t VALUES (6), (7)');
      expect(await psql(pg.urlFor('alpha'), 'SELECT (SELECT n FROM t WHERE n = 6) * (SELECT n FROM t WHERE n = 7)')).toBe('42');
      const beta = await pg.createDatabase('beta');
      expect(beta).toBe(`postgres://postgres@127.0.0.1:${port}/beta`);
      expect(await psql(beta, "SELECT current_database() || ':' || current_user || ':' || current_setting('fsync')")).toBe('beta:postgres:off');
      await expect(psql(beta, 'SELECT * FROM t')).rejects.toThrow(/does not exist/);
    } catch (err) {
      await pg.stop();
      throw err;
    }

    const dataDir = await psql(pg.url, 'SHOW data_directory');
    const postmaster = Number(readFileSync(`${dataDir}/postmaster.pid`, 'utf8').split('\n')[0]);
    expect(alive(postmaster)).toBe(true);
    const backends = childrenOf(postmaster);
    expect(backends.length).toBeGreaterThan(0);

    const stopping = Date.now();
    await pg.stop();
    expect(Date.now() - stopping).toBeLessThan(5_000); // a clean fast shutdown, not the SIGKILL fallback
    await pg.stop(); // twice is harmless
    expect(alive(postmaster)).toBe(false);
    expect(backends.filter(alive)).toEqual([]);
    expect(existsSync(dataDir)).toBe(false);
    expect(existsSync(dirname(dataDir))).toBe(false);
    expect(await refused(port)).toBe(true);
  });
});
