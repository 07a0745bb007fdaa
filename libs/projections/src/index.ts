import { auditProjections } from './audit';
import { centreDirectory } from './directory/centre-directory';
import { fundingProjections } from './funding';
import { governanceProjections } from './governance';
import { grantsProjections } from './grants';
import { AnyProjection } from './projection';

export * from './projection';

/** Every projection the engine keeps up to date; each answers one question users ask. */
export const ALL_PROJECTIONS: readonly AnyProjection[] = [centreDirectory, ...governanceProjections, ...fundingProjections, ...grantsProjections, ...auditProjections];
