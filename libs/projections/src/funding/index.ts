import { AnyProjection } from '../projection';

/** Projections of the funding feature (filled in by its issue). */
export const fundingProjections: AnyProjection[] = [];
