import { AnyCommandDefinition } from '../command-definition';

/** Commands of the grants feature (filled in by its issue). */
export const grantsCommands: AnyCommandDefinition[] = [];
