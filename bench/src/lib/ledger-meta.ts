import { existsSync, readFileSync } from 'node:fs';
import { GENERATOR_VERSION, GenerateResult } from '../generate';

/** What the generator wrote beside a ledger (`<ledger>.json`): its summary, plus the wall time when npm run bench generated it. */
export type LedgerMeta = GenerateResult & { out?: string; wallSeconds?: number };

/**
 * The command that (re)writes a generated ledger and its .json. The seed is read from the meta, else
 * from a bench file name (ledger-<events>-<seed>.sqlite), else the benchmark's default 42.
 */
export const regenerateCommand = (file: string, events: number, seed?: number): string => {
  const s = seed ?? Number(/ledger-\d+-(\d+)\.sqlite$/.exec(file)?.[1] ?? 42);
  return `npm run build && node dist/bench/src/generate.js --events ${events} --seed ${s} --out ${file}`;
};

/** The meta beside a generated ledger, or undefined when it is missing or unreadable. */
export const readLedgerMeta = (file: string): Partial<LedgerMeta> | undefined => {
  if (!existsSync(`${file}.json`)) return undefined;
  try {
    return JSON.parse(readFileSync(`${file}.json`, 'utf8')) as Partial<LedgerMeta>;
  } catch {
    return undefined;
  }
};

/**
 * Why a generated ledger cannot be used as one of `events` events written by this generator (null:
 * it can): missing, no readable meta beside it, another size, or written by another generator
 * version (a meta without `generatorVersion` is from before versions were written). The generator's
 * output changes with its version, so a ledger it wrote before is a different log: measured or
 * profiled as current, it would compare figures of two different logs.
 */
export const staleLedgerReason = (file: string, events?: number): string | null => {
  if (!existsSync(file)) return `${file} does not exist`;
  const meta = readLedgerMeta(file);
  if (meta === undefined) return `${file}.json (the generator's summary) is missing or unreadable`;
  if (events !== undefined && meta.events !== events) return `it holds ${meta.events} events, not ${events}`;
  if (meta.generatorVersion !== GENERATOR_VERSION) {
    const was = meta.generatorVersion === undefined ? 'an older generator (its .json records no generatorVersion)' : `generator version ${meta.generatorVersion}`;
    return `it was written by ${was}; the generator is now at version ${GENERATOR_VERSION} and writes another log for the same size and seed`;
  }
  return null;
};
