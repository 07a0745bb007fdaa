import { AnyProjection } from '../projection';

/** Projections of the grants feature (filled in by its issue). */
export const grantsProjections: AnyProjection[] = [];
