import { ChildProcess, execFile } from 'node:child_process';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');

export interface LedgerRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `ledger ARGS` as a child process (our TypeScript, via the swc require hook) with `env` on top
 * of this process's environment, less the settings that would choose another ledger or secret.
 * `input` is written to its stdin; `timeoutMs` bounds it.
 */
export const ledgerChild = (args: string[], env: Record<string, string>, options: { input?: string; timeoutMs?: number } = {}): Promise<LedgerRun> =>
  new Promise((done) => {
    const clean = { ...process.env };
    delete clean.LEDGER_JWT_SECRET;
    delete clean.EVENTSTORE_CONNECTION_STRING;
    delete clean.LEDGER_STORE;
    const child = execFile(
      process.execPath,
      ['-r', join(ROOT, 'test/helpers/swc-register.js'), join(ROOT, 'apps/cli/src/main.ts'), ...args],
      { cwd: ROOT, env: { ...clean, ...env }, timeout: options.timeoutMs ?? 60_000 },
      (err, stdout, stderr) => done({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
    if (options.input !== undefined) child.stdin!.end(options.input);
  });

/** The line a server child prints once it listens: `ledger listening on http://HOST:PORT …` (PORT the one it took, also with PORT=0). */
export const LISTENING_LINE = /listening on http:\/\/[^\s/]+:(\d+)/;

/**
 * Resolves, with the port it names, once a server child prints that it is listening; rejects, with its
 * stderr, if it exits first or takes longer than `timeoutMs`. Start the child with PORT=0 and use the
 * port this answers: a port picked free beforehand may be taken by another process before the child listens.
 */
export const untilListening = (child: ChildProcess, timeoutMs: number): Promise<number> => {
  let out = '';
  let err = '';
  return new Promise<number>((ok, fail) => {
    const t = setTimeout(() => fail(new Error(`server did not start in ${timeoutMs} ms: ${err}`)), timeoutMs);
    let heard = false;
    child.stdout!.on('data', (c: Buffer) => {
      if (heard) return;
      out += c.toString();
      const m = LISTENING_LINE.exec(out);
      if (m) {
        heard = true;
        clearTimeout(t);
        ok(Number(m[1]));
      }
    });
    child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    child.on('exit', () => {
      clearTimeout(t);
      fail(new Error(`server exited during start: ${err}`));
    });
  });
};
