import { DomainError, isIsoDate } from '../../../../libs/domain/src/shared';
import { DirectoryView } from '../../../../libs/projections/src/directory/centre-directory';
import {
  BOARD_REGISTER,
  CO_LOCATIONS,
  COUNTY_LINE_DECISIONS,
  GovernanceViews,
  GUIDANCE_PARTNERSHIPS,
  NAV_FINANCIERS,
  OWNER_AGREEMENTS,
  PARTY_DIRECTORY,
} from '../../../../libs/projections/src/governance';
import { HttpLikeRequest } from '../ledger/command-gateway';
import { QueryGate } from '../ledger/query-gate';

/** Every view the governance queries read, from one gate call each (the same position, or the same `asOf`). */
export const governanceViews = async (gate: QueryGate, req: HttpLikeRequest): Promise<GovernanceViews> => {
  const [directory, parties, owners, partnerships, boards, countyLine, coLocations, financiers] = await Promise.all([
    gate.view<GovernanceViews['directory']>('centre-directory', req),
    gate.view<GovernanceViews['parties']>(PARTY_DIRECTORY, req),
    gate.view<GovernanceViews['owners']>(OWNER_AGREEMENTS, req),
    gate.view<GovernanceViews['partnerships']>(GUIDANCE_PARTNERSHIPS, req),
    gate.view<GovernanceViews['boards']>(BOARD_REGISTER, req),
    gate.view<GovernanceViews['countyLine']>(COUNTY_LINE_DECISIONS, req),
    gate.view<GovernanceViews['coLocations']>(CO_LOCATIONS, req),
    gate.view<GovernanceViews['financiers']>(NAV_FINANCIERS, req),
  ]);
  return { directory: directory as DirectoryView, parties, owners, partnerships, boards, countyLine, coLocations, financiers };
};

/** The business date a query asks about (`?date=YYYY-MM-DD`, default today). Not `asOf`, which is recorded time. */
export const businessDate = (raw: unknown): string => {
  if (raw === undefined || raw === '') return new Date().toISOString().slice(0, 10);
  if (!isIsoDate(raw)) throw new DomainError('REQUEST.BAD_DATE', 'date must be a business date written as YYYY-MM-DD (use asOf for recorded time).', 'invalid', { date: typeof raw === 'string' ? raw.slice(0, 32) : null });
  return raw;
};

export const notFound = (code: string, message: string): DomainError => new DomainError(code, message, 'not-found');
