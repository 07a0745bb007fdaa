import { AnyProjection } from '../projection';

/** Projections of the audit feature (filled in by its issue). */
export const auditProjections: AnyProjection[] = [];
