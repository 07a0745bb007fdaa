import { AnyProjection } from '../projection';
import { guidancePartnershipsProjection, ownerAgreementsProjection } from './agreements-view';
import { boardRegisterProjection } from './board-register';
import { navFinanciersProjection } from './nav-financiers';
import { partyDirectory } from './party-directory';
import { coLocationsProjection, countyLineProjection } from './places-and-lines';

export * from './party-directory';
export * from './agreements-view';
export * from './owner-agreement-ids';
export * from './board-register';
export * from './board-detail';
export * from './decision-index';
export * from './places-and-lines';
export * from './nav-financiers';
export * from './evidence';
export * from './queries';

/** Projections of the governance feature. */
export const governanceProjections: AnyProjection[] = [partyDirectory, ownerAgreementsProjection, guidancePartnershipsProjection, boardRegisterProjection, countyLineProjection, coLocationsProjection, navFinanciersProjection];
