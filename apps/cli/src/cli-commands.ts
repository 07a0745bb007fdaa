import { Args } from './args';
import { importCommand, importHelp } from './commands/import';
import { exportCommand, exportHelp } from './commands/export';
import { replayCommand, replayHelp } from './commands/replay';
import { seedCommand, seedHelp } from './commands/seed';
import { tokenCommand, tokenHelp } from './commands/token';
import { verifyCommand, verifyHelp } from './commands/verify';

export interface CliCommand {
  /** Its usage line: the `--options` it names are the ones the command accepts (main refuses any other, exit 2). */
  help: string;
  run: (args: Args) => Promise<number>;
}

/** Every `ledger` sub-command; later features add theirs here. */
export const CLI_COMMANDS: Record<string, CliCommand> = {
  token: { help: tokenHelp, run: tokenCommand },
  seed: { help: seedHelp, run: seedCommand },
  replay: { help: replayHelp, run: replayCommand },
  import: { help: importHelp, run: importCommand },
  verify: { help: verifyHelp, run: verifyCommand },
  export: { help: exportHelp, run: exportCommand },
};
