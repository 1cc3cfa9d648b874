/**
 * A server under test as a child process: a free port, wait for health, sample its CPU and memory
 * from /proc every second, stop it with SIGTERM.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { createServer } from 'node:net';

export async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

const CLK_TCK = 100; // getconf CLK_TCK on Linux

/** utime + stime of a process, in seconds. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may contain spaces: split after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state); utime is field 14, stime field 15.
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}

/**
 * CPU seconds of a process and its children, living and reaped (a PostgreSQL server: the postmaster
 * and one backend per connection). Reaped children count through the parent's cutime/cstime.
 */
export function treeCpuSeconds(root: number): number {
  let total = 0;
  const stat = readFileSync(`/proc/${root}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  total += (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / CLK_TCK;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === root) continue;
    try {
      const st = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const g = st.slice(st.lastIndexOf(')') + 2).split(' ');
      if (Number(g[1]) === root) total += (Number(g[11]) + Number(g[12])) / CLK_TCK;
    } catch {
      /* gone meanwhile */
    }
  }
  return total;
}

/** VmRSS and VmHWM (peak) in bytes. */
export function memory(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
}

export interface Sampler {
  stop(): { cpuMean: number; cpuPeak: number; rssPeak: number; seconds: number };
}

/** Samples CPU % (100 = one core) and RSS each second until stopped. */
export function sample(pid: number): Sampler {
  const t0 = performance.now();
  const c0 = cpuSeconds(pid);
  let lastT = t0;
  let lastC = c0;
  let cpuPeak = 0;
  let rssPeak = memory(pid).rss;
  const timer = setInterval(() => {
    try {
      const t = performance.now();
      const c = cpuSeconds(pid);
      cpuPeak = Math.max(cpuPeak, ((c - lastC) / ((t - lastT) / 1000)) * 100);
      lastT = t;
      lastC = c;
      rssPeak = Math.max(rssPeak, memory(pid).rss);
    } catch {
      /* the process is gone */
    }
  }, 1000);
  return {
    stop() {
      clearInterval(timer);
      let c = lastC;
      let t = lastT;
      try {
        c = cpuSeconds(pid);
        t = performance.now();
        rssPeak = Math.max(rssPeak, memory(pid).rss);
      } catch {
        /* gone */
      }
      const seconds = (t - t0) / 1000;
      return { cpuMean: seconds > 0 ? ((c - c0) / seconds) * 100 : 0, cpuPeak, rssPeak, seconds };
    },
  };
}

export interface ServerProcess {
  child: ChildProcess;
  pid: number;
  port: number;
  url: string;
  /** Lines the server wrote on stderr/stdout that look like warnings or errors. */
  problems: string[];
  stop(): Promise<void>;
}

/** Starts `node <entry>` in `cwd` and waits until `healthPath` answers 200. */
export async function startServer(opts: {
  cwd: string;
  entry: string;
  env: Record<string, string>;
  healthPath: string;
  timeoutMs?: number;
  /** Default: a free port. */
  port?: number;
}): Promise<ServerProcess> {
  const port = opts.port ?? (await freePort());
  // BENCH_SERVER_NODE_ARGS: extra node flags for the servers only, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, opts.entry], {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const problems: string[] = [];
  const collect = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      if (/"level":(40|50|60)|warn|error|Error/i.test(line) && problems.length < 200) problems.push(line.slice(0, 400));
    }
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      resolve();
    }),
  );
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  for (;;) {
    if (exited) throw new Error(`server ${opts.entry} exited during start:\n${problems.join('\n')}`);
    try {
      const res = await fetch(url + opts.healthPath);
      if (res.ok) break;
    } catch {
      /* not yet */
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server ${opts.entry} did not answer ${opts.healthPath} in time`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    child,
    pid: child.pid!,
    port,
    url,
    problems,
    async stop() {
      if (exited) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exit;
      clearTimeout(timer);
    },
  };
}

/**
 * The pid of the local process listening on `port` (from /proc/net/tcp{,6} and /proc/<pid>/fd), or
 * undefined (not this machine, or a process this user may not inspect).
 */
export function pidListeningOn(port: number): number | undefined {
  const inodes = new Set<string>();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      // local_address is HEX_IP:HEX_PORT, st 0A is LISTEN, inode is field 10.
      if (f.length > 9 && f[3] === '0A' && Number.parseInt(f[1]!.split(':')[1]!, 16) === port) inodes.add(f[9]!);
    }
  }
  if (inodes.size === 0) return undefined;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${entry}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${entry}/fd/${fd}`));
        if (m && inodes.has(m[1]!)) return Number(entry);
      } catch {
        /* closed meanwhile */
      }
    }
  }
  return undefined;
}
