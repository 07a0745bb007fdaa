import { AnyProjection } from '../projection';

/** Projections of the governance feature (filled in by its issue). */
export const governanceProjections: AnyProjection[] = [];
