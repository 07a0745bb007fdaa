import { AnyCommandDefinition } from './command-definition';
import { COMMAND_PATH_REFUSALS, RefusalEntry, refusalEntries, REFUSALS } from './error-codes';
import { textRuleCodes } from './validation';

/**
 * Every refusal a command can answer, with its status and meaning: its own (`refusals`), then the
 * text rules its payload has, then what the command path refuses any command with.
 */
export const commandRefusals = (def: AnyCommandDefinition): RefusalEntry[] =>
  refusalEntries(REFUSALS, [...def.refusals, ...textRuleCodes(def.payload), ...COMMAND_PATH_REFUSALS]);
