import { AnyCommandDefinition } from '../command-definition';

/** Commands of the governance feature (filled in by its issue). */
export const governanceCommands: AnyCommandDefinition[] = [];
