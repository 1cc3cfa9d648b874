/** Starts a real process (redis-server, a Bamboo server) for a test and waits until it says it is ready. */
import { type ChildProcess, spawn } from 'node:child_process';
import { freePort } from './ports.ts';

export function startProcess(command: string, args: string[], env: Record<string, string>, ready: RegExp, started: ChildProcess[]): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    started.push(child);
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (ready.test(output)) resolve(child);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => reject(new Error(`${command} exited with ${code}:\n${output}`)));
    setTimeout(() => reject(new Error(`${command} did not start:\n${output}`)), 30_000);
  });
}

/** A throwaway redis-server on a free port (nothing kept on disk); returns its address. */
export async function startRedis(started: ChildProcess[]): Promise<string> {
  const port = await freePort();
  await startProcess('redis-server', ['--port', String(port), '--save', '', '--appendonly', 'no'], {}, /Ready to accept connections/, started);
  return `redis://127.0.0.1:${port}`;
}

/**
 * A real Bamboo process of a scaled-out server (`node server/main.ts` with REDIS_URL and its own
 * PUBLIC_ADDRESS) on a free port, with `env` on top; returns the port once it listens.
 */
export async function startScaledServer(redisUrl: string, env: Record<string, string>, started: ChildProcess[]): Promise<number> {
  const port = await freePort();
  await startProcess(
    process.execPath,
    ['server/main.ts'],
    { PORT: String(port), REDIS_URL: redisUrl, PUBLIC_ADDRESS: `localhost:${port}`, LOG_LEVEL: 'warn', ...env },
    /Bamboo is running/,
    started,
  );
  return port;
}
