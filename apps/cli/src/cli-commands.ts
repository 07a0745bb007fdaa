import { Args, CommandShape, hasFlag, parseArgs, switchesOf } from './args';
import { importCommand, importShape } from './commands/import';
import { exportCommand, exportShape } from './commands/export';
import { replayCommand, replayShape } from './commands/replay';
import { seedCommand, seedShape } from './commands/seed';
import { tokenCommand, tokenShape } from './commands/token';
import { verifyCommand, verifyShape } from './commands/verify';

export interface CliCommand extends CommandShape {
  /**
   * Runs the command; refuses first (exit 2, with the usage) an option its usage line does not name,
   * (`--help`/`-h` never reach it: runCli prints its usage instead),
   * an option that needs a value given none, and an argument more than `operands` declares.
   */
  run: (args: Args) => Promise<number>;
}

/** Every `ledger` sub-command; later features add theirs here (wrapping `run` in `checked`). */
export const CLI_COMMANDS: Record<string, CliCommand> = {
  token: { ...tokenShape, run: tokenCommand },
  seed: { ...seedShape, run: seedCommand },
  replay: { ...replayShape, run: replayCommand },
  import: { ...importShape, run: importCommand },
  verify: { ...verifyShape, run: verifyCommand },
  export: { ...exportShape, run: exportCommand },
};

/** Whether `ledger CMD ARGV…` asks for CMD's usage: `--help` or `-h` as an option, not as an option's value nor after `--`. */
export const asksForHelp = (argv: string[], cmd: CommandShape): boolean => {
  const end = argv.indexOf('--');
  const a = parseArgs(end < 0 ? argv : argv.slice(0, end), [...switchesOf(cmd.help), 'help']);
  return hasFlag(a, 'help') || a.positional.slice(1).includes('-h');
};

export const EXIT_CODES =
  'Exit codes: 0 done (verify: intact; replay: every view equals the live one); 1 found something wrong or could not finish (a file rejected, a ledger or export not intact, an export folder not empty); 2 usage (a bad command line, or no ledger, import file or export where one was named): nothing written.';

export const cliUsage = (): string =>
  [
    'usage: ledger <command> [options]',
    '',
    ...Object.values(CLI_COMMANDS).map((c) => `  ${c.help}`),
    '',
    'Configuration, the ledger used included (LEDGER_SQLITE_PATH or EVENTSTORE_CONNECTION_STRING), comes from the same environment variables as the server (see README).',
    EXIT_CODES,
  ].join('\n');

/**
 * `ledger ARGV…` without exiting: the exit code. `ledger` alone or `ledger --help` prints the usage (0); an unknown command, the usage (2);
 * `ledger CMD --help` (or `-h`, anywhere before a `--`) that command's usage (0), doing nothing else.
 */
export const runCli = async (argv: string[]): Promise<number> => {
  const name = argv[0];
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.error(cliUsage());
    return 0;
  }
  const cmd = Object.prototype.hasOwnProperty.call(CLI_COMMANDS, name) ? CLI_COMMANDS[name] : undefined;
  if (!cmd) {
    console.error(`unknown command ${JSON.stringify(name)}\n${cliUsage()}`);
    return 2;
  }
  if (asksForHelp(argv, cmd)) {
    console.error(`usage: ledger ${cmd.help}\n\n${EXIT_CODES}`);
    return 0;
  }
  // Parsed with the command's switches known, so `verify --json copy.sqlite` does not take the file as --json's value.
  return cmd.run(parseArgs(argv, switchesOf(cmd.help)));
};
