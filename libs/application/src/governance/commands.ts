import { AnyCommandDefinition } from '../command-definition';
import { partyCommands } from './party-commands';

/** Commands of the governance feature: parties, agreements, partnerships, boards, county line, co-location. */
export const governanceCommands: AnyCommandDefinition[] = [...partyCommands];
