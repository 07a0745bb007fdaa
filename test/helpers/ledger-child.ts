import { execFile } from 'node:child_process';
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

