/** Starts a real process (redis-server, a Bamboo server) for a test and waits until it says it is ready. */
import { type ChildProcess, spawn } from 'node:child_process';

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
