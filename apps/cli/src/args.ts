/** Minimal flag parser: `--name value`, `--flag`, repeated flags collect into arrays. */
export interface Args {
  positional: string[];
  flags: Record<string, string[]>;
}

export const parseArgs = (argv: string[]): Args => {
  const out: Args = { positional: [], flags: {} };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('--')) {
      const [name, inline] = a.slice(2).split('=', 2);
      const next = argv[i + 1];
      const value = inline ?? (next !== undefined && !next.startsWith('--') ? (i++, next) : 'true');
      (out.flags[name] ??= []).push(value);
    } else out.positional.push(a);
  }
  return out;
};

export const flag = (a: Args, name: string): string | undefined => a.flags[name]?.[a.flags[name].length - 1];
export const flags = (a: Args, name: string): string[] => (a.flags[name] ?? []).flatMap((v) => v.split(',')).filter(Boolean);

/** The options a command's usage line names (`export --to DIR [--up-to P]` → to, up-to): its usage is the one list of what it accepts. */
export const optionsOf = (usage: string): string[] => [...new Set(Array.from(usage.matchAll(/--([a-z][a-z-]*)/g), (m) => m[1]))];

/** The options given that are not among `known` (each once, as given). */
export const unknownOptions = (a: Args, known: readonly string[]): string[] => Object.keys(a.flags).filter((f) => !known.includes(f));
