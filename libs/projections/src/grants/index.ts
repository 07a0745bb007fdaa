import { AnyProjection } from '../projection';
import { grantsProjection } from './grants-view';

export * from './grants-view';
export * from './criteria-2014';
export * from './queries';

/** Projections of the grants feature: one view holds every fact the base grant is judged on. */
export const grantsProjections: AnyProjection[] = [grantsProjection];
