import { CentreState } from '../counties';
import { PartyKind, PartyState } from '../parties';

/** Small builders for the governance unit specs (plain data, no mocks). */
export const openCentre = (centreId: string, countyId: string, name = centreId): CentreState => ({ status: 'open', centreId, countyId, name, municipality: name, openedOn: '2005-01-01' });
export const closedCentre = (centreId: string, countyId: string, closedOn = '2014-06-30'): CentreState => ({ status: 'closed', centreId, countyId, name: centreId, municipality: centreId, openedOn: '2005-01-01', closedOn });
export const party = (partyId: string, kind: PartyKind = 'other', countyId: string | null = null): PartyState => ({ status: 'registered', partyId, name: partyId, kind, countyId, organisationNumber: null });
export const parties = (...ps: PartyState[]): Record<string, PartyState> => Object.fromEntries(ps.map((p) => [(p as { partyId: string }).partyId, p]));
