import { Args, flag } from './args';

/**
 * A ledger position given as an option (`--up-to P`, `--position P`): undefined when not given,
 * null when not a whole number of 0 or more written in digits (`-5`, `1.5`, `1e3`, `0x10`).
 */
export const parsePosition = (args: Args, option: string): number | undefined | null => {
  const s = flag(args, option);
  if (s === undefined) return undefined;
  return /^\d{1,15}$/.test(s) ? Number(s) : null;
};

/** The message for a position option that {@link parsePosition} refused. */
export const badPosition = (args: Args, option: string): string =>
  `--${option} must be a ledger position, a whole number of 0 or more written in digits (given ${JSON.stringify(flag(args, option))})`;
