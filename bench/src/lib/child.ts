import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

/** dist/bench/src: where the compiled tasks live. */
export const BENCH_DIST = join(__dirname, '..');

/** A task prints one line `RESULT {json}` on stdout when it is done. */
export const report = (result: unknown): void => {
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
};

/** Runs one task in a fresh Node process (its own heap and JIT), bounded in time. */
export const runTask = <T>(task: string, args: Record<string, unknown>, timeoutMs: number, nodeArgs: string[] = []): Promise<T> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, join(BENCH_DIST, 'tasks', `${task}.js`), JSON.stringify(args)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`task ${task} took longer than ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      const line = out.split('\n').find((l) => l.startsWith('RESULT '));
      if (code === 0 && line) resolve(JSON.parse(line.slice(7)) as T);
      else reject(new Error(`task ${task} failed (exit ${code}): ${err.slice(-2000) || out.slice(-2000)}`));
    });
  });

export interface Server {
  child: ChildProcess;
  port: number;
  /** Output seen so far (for error messages). */
  output: () => string;
  stop: (signal?: NodeJS.Signals, timeoutMs?: number) => Promise<void>;
}

/** Starts a server in a child process on 127.0.0.1; `stop` ends that process (and only it). */
export const startServer = (script: string, argv: string[], env: Record<string, string>, port: number, nodeArgs: string[] = []): Server => {
  const child = spawn(process.execPath, [...nodeArgs, script, ...argv], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env, HOST: '127.0.0.1', PORT: String(port) },
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<void>((r) => child.on('exit', () => r()));
  return {
    child,
    port,
    output: () => out,
    stop: async (signal = 'SIGTERM', timeoutMs = 20_000) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      const t = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      await exited;
      clearTimeout(t);
    },
  };
};

/** Resident and peak resident memory of a process, in bytes (Linux /proc). */
export const memoryOf = (pid: number): { rss: number; peak: number } => {
  const status = require('node:fs').readFileSync(`/proc/${pid}/status`, 'utf8') as string;
  const kb = (k: string): number => Number(new RegExp(`${k}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN) * 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
};

/** User + system CPU time of a process in ms (Linux /proc; NaN elsewhere). */
export const cpuMsOf = (pid: number): number => {
  try {
    const fields = (require('node:fs').readFileSync(`/proc/${pid}/stat`, 'utf8') as string).replace(/^.*\) /, '').split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return Number.NaN;
  }
};

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
