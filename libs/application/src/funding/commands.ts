import { AnyCommandDefinition } from '../command-definition';

/** Commands of the funding feature (filled in by its issue). */
export const fundingCommands: AnyCommandDefinition[] = [];
