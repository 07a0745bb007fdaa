import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from '../../apps/cli/src/args';

/**
 * Runs `ledger` CLI commands in process against temp SQLite files: what each printed is kept in
 * `out` and `err` (emptied in place at each run, so destructured names stay valid), the
 * environment is put back and the temp folder removed after the file's tests.
 */
export const cliHarness = (prefix: string) => {
  const saved = { ...process.env };
  const root = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => {
    process.env = saved;
    rmSync(root, { recursive: true, force: true });
  });
  const out: string[] = [];
  const err: string[] = [];
  const run = async (fn: (a: ReturnType<typeof parseArgs>) => Promise<number>, argv: string[]): Promise<number> => {
    out.length = 0;
    err.length = 0;
    const log = jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
    const error = jest.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
    try {
      return await fn(parseArgs(argv));
    } finally {
      log.mockRestore();
      error.mockRestore();
    }
  };
  /** A fresh ledger file for a group of tests, with the environment pointed at it. */
  const freshLedger = (name: string): string => {
    const dir = join(root, name);
    mkdirSync(dir, { recursive: true });
    const path = join(dir, 'ledger.sqlite');
    process.env.LEDGER_SQLITE_PATH = path;
    process.env.LEDGER_JWT_SECRET = 'review-secret-of-at-least-32-bytes';
    delete process.env.EVENTSTORE_CONNECTION_STRING;
    delete process.env.LEDGER_STORE;
    return path;
  };
  return { root, out, err, run, freshLedger };
};
