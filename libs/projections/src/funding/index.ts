import { AnyProjection } from '../projection';
import { fundingProjection } from './funding-view';

export * from './exact';
export * from './staff-years';
export * from './adopted-budgets';
export * from './funding-view';
export * from './funding-mix';
export * from './key-figures';
export * from './cost-share';
export * from './staff-positions';
export * from './memo';

/** Projections of the funding feature: one compact view answers the funding mix, key figures and cost-share compliance. */
export const fundingProjections: AnyProjection[] = [fundingProjection];
