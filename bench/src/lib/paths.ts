import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** bench/ in the source tree (dist/bench/src/lib → ../../../../bench). */
export const BENCH_ROOT = resolve(__dirname, '..', '..', '..', '..', 'bench');
/** Generated ledgers and scratch files (git-ignored); on the same disk as a real ledger, so fsync is real. */
export const DATA_DIR = join(BENCH_ROOT, 'data');
export const RESULTS_DIR = join(BENCH_ROOT, 'results');
export const REPO_ROOT = resolve(BENCH_ROOT, '..');

export const scratch = (name: string): string => {
  const dir = join(DATA_DIR, 'scratch');
  mkdirSync(dir, { recursive: true });
  return join(dir, name);
};
