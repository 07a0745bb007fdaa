import { AnyCommandDefinition } from './command-definition';
import { COMMAND_PATH_REFUSALS, Refusal, RefusalEntry, refusalEntries, REFUSALS } from './error-codes';
import { ruleCodes } from './validation';

/**
 * Every refusal a command can answer, with its status and meaning: its own (`refusals`), then the
 * codes its payload's rules answer (the text rules, and the domain codes rules stand for, all 400),
 * then what the command path refuses any command with.
 */
export const commandRefusals = (def: AnyCommandDefinition): RefusalEntry[] =>
  refusalEntries(REFUSALS, [...def.refusals, ...ruleCodes(def.payload).map((code) => [code, 400] as unknown as Refusal), ...COMMAND_PATH_REFUSALS]);
