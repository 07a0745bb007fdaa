/**
 * Minimal argument parser: `--name value` or `--name=value`, `--switch`, repeated options collect
 * into arrays, `--` ends the options. An option given without a value is recorded as `null`, never
 * as a made-up value, so a command can refuse it instead of using it.
 */
export interface Args {
  positional: string[];
  /** Each value given, in order; `null` where the option was given without one. */
  flags: Record<string, (string | null)[]>;
}

/**
 * `switches` are the options that never take a value: the word after one is not consumed (so
 * `verify --json copy.sqlite` gives the positional `copy.sqlite`). Every other option takes the next
 * word as its value unless that word is itself an option (`--…`) or there is none: then it is
 * recorded without a value (`null`). A value starting with `--` can be given as `--name=--value`.
 */
export const parseArgs = (argv: string[], switches: readonly string[] = []): Args => {
  const out: Args = { positional: [], flags: {} };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      out.positional.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq < 0 ? a.slice(2) : a.slice(2, eq);
      let value: string | null = eq < 0 ? null : a.slice(eq + 1);
      if (value === null && !switches.includes(name)) {
        const next = argv[i + 1];
        if (next !== undefined && !next.startsWith('--')) value = (i++, next);
      }
      (out.flags[name] ??= []).push(value);
    } else out.positional.push(a);
  }
  return out;
};

/** The last value given for `name` (undefined when not given, or given without a value). */
export const flag = (a: Args, name: string): string | undefined => {
  const v = a.flags[name]?.[a.flags[name].length - 1];
  return v ?? undefined;
};
/** Every value given for a repeatable option, comma-separated values split. */
export const flags = (a: Args, name: string): string[] =>
  (a.flags[name] ?? []).flatMap((v) => (v === null ? [] : v.split(','))).filter(Boolean);
/** Whether a switch (`--json`) was given. */
export const hasFlag = (a: Args, name: string): boolean => a.flags[name] !== undefined;


/**
 * What each option of a usage line takes: the placeholder written after it (`--to DIR` → `DIR`), or
 * null for a switch written alone (`[--json]`). Only the synopsis (before the first run of two or
 * more spaces) is read, so the description can mention options freely.
 */
export const optionValuesOf = (usage: string): Map<string, string | null> => {
  const synopsis = usage.split(/\s{2,}/)[0];
  const out = new Map<string, string | null>();
  for (const m of synopsis.matchAll(/--([a-z][a-z-]*)(?:[ =]([A-Z][A-Za-z0-9_.-]*))?/g)) out.set(m[1], m[2] ?? null);
  return out;
};

/** The options a usage line marks as repeatable, written `--county ID ...` in its synopsis. */
export const repeatableOf = (usage: string): string[] => [...usage.split(/\s{2,}/)[0].matchAll(/--([a-z][a-z-]*)[ =][A-Z][A-Za-z0-9_.-]* \.\.\./g)].map((m) => m[1]);

/** The options a command's usage line names (`export --to DIR [--up-to P]` → to, up-to): its usage is the one list of what it accepts. */
export const optionsOf = (usage: string): string[] => [...optionValuesOf(usage).keys()];

/** The switches (options that take no value) a usage line names. */
export const switchesOf = (usage: string): string[] => [...optionValuesOf(usage)].filter(([, v]) => v === null).map(([k]) => k);

/** The options given that are not among `known` (each once, as given). */
export const unknownOptions = (a: Args, known: readonly string[]): string[] => Object.keys(a.flags).filter((f) => !known.includes(f));

/** How a command is called, beyond its options: see {@link checkArgs}. */
export interface CommandShape {
  /** Its usage line (`import FILE.jsonl [--token JWT]   …`): the options it names are the ones accepted. */
  help: string;
  /** The positional arguments it takes after its name, by their placeholder (`['FILE.jsonl']`), all required. */
  operands: readonly string[];
  /** Said when it is given an argument more than it takes (the first such is passed): e.g. where its input comes from instead. */
  extraOperandHint?: (extra: string) => string;
}

const quote = (s: string): string => JSON.stringify(s);

/** `s` as one shell word (quoted only when it has to be), for a command line printed as advice. */
export const shellWord = (s: string): string => (/^[\w./:@%+,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/**
 * Every problem with how a command was called (`args.positional[0]` is its name), each a line to
 * print before the usage, or none: an unknown option, an option that needs a value given none (or a
 * switch given one), a one-value option given twice, an argument more than it takes, a required
 * argument missing.
 */
export const checkArgs = (name: string, shape: CommandShape, a: Args): string[] => {
  const problems: string[] = [];
  const values = optionValuesOf(shape.help);
  const repeatable = repeatableOf(shape.help);
  // An option the command does not know is refused, not ignored: `export --upto 50` would export everything.
  const unknown = unknownOptions(a, optionsOf(shape.help));
  if (unknown.length) problems.push(`unknown option${unknown.length > 1 ? 's' : ''} ${unknown.map((f) => `--${f}`).join(', ')}`);
  for (const [option, given] of Object.entries(a.flags)) {
    if (!values.has(option)) continue;
    const placeholder = values.get(option);
    if (placeholder && given.some((v) => v === null || v === '')) problems.push(`--${option} needs a value: --${option} ${placeholder}`);
    // `export --to a --to b` or two --token values: which one was meant is not ours to guess.
    if (placeholder && given.length > 1 && !repeatable.includes(option)) problems.push(`--${option} was given ${given.length} times; it takes one value`);
    if (!placeholder && given.some((v) => v !== null)) problems.push(`--${option} takes no value (given ${quote(given.find((v) => v !== null)!)})`);
  }
  const operands = a.positional.slice(1);
  const extra = operands.slice(shape.operands.length);
  if (extra.length) {
    const takes = shape.operands.length === 0 ? `${name} takes no arguments` : `${name} takes ${shape.operands.length === 1 ? 'one argument' : `${shape.operands.length} arguments`} (${shape.operands.join(' ')})`;
    problems.push(`unexpected argument${extra.length > 1 ? 's' : ''} ${extra.map(quote).join(', ')}: ${takes}${shape.extraOperandHint ? `; ${shape.extraOperandHint(extra[0])}` : ''}`);
  }
  const missing = shape.operands.slice(operands.length);
  if (missing.length) problems.push(`${name} needs ${missing.join(' ')}`);
  return problems;
};

/** Prints what is wrong with how a command was called, then its usage; the exit code for that, 2. */
export const usageError = (help: string, ...problems: string[]): number => {
  console.error([...problems, `usage: ledger ${help}`].join('\n'));
  return 2;
};

/**
 * A command that runs only when called as its shape says ({@link checkArgs}); otherwise it prints
 * every problem and its usage and exits 2 before anything is read or written.
 */
export const checked =
  (name: string, shape: CommandShape, run: (args: Args) => Promise<number>) =>
  async (args: Args): Promise<number> => {
    const problems = checkArgs(name, shape, args);
    return problems.length ? usageError(shape.help, ...problems) : run(args);
  };
