import { AnyProjection } from '../projection';
import { partyDirectory } from './party-directory';

export * from './party-directory';

/** Projections of the governance feature. */
export const governanceProjections: AnyProjection[] = [partyDirectory];
