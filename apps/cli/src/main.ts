import 'reflect-metadata';
import { optionsOf, parseArgs, unknownOptions } from './args';
import { CLI_COMMANDS } from './cli-commands';

const usage = (): string =>
  ['usage: ledger <command> [options]', '', ...Object.values(CLI_COMMANDS).map((c) => `  ${c.help}`), '', 'Configuration comes from the same environment variables as the server (see README).'].join('\n');

const main = async (): Promise<number> => {
  const args = parseArgs(process.argv.slice(2));
  const name = args.positional[0];
  const cmd = name ? CLI_COMMANDS[name] : undefined;
  if (!cmd) {
    console.error(usage());
    return name ? 2 : 0;
  }
  // An option the command does not know is refused, not ignored: `export --upto 50` would export everything.
  const unknown = unknownOptions(args, optionsOf(cmd.help));
  if (unknown.length) {
    console.error(`unknown option${unknown.length > 1 ? 's' : ''} ${unknown.map((f) => `--${f}`).join(', ')}\nusage: ledger ${cmd.help}`);
    return 2;
  }
  return cmd.run(args);
};

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  },
);
