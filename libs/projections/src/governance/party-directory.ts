import { isNavParty, PartyKind } from '../../../domain/src/parties';
import { RecordedEvent } from '../../../domain/src/shared';
import { Projection } from '../projection';
import { get } from './evidence';

export interface PartyEntry {
  partyId: string;
  name: string;
  kind: PartyKind;
  countyId: string | null;
  organisationNumber: string | null;
  registeredAtPosition: number;
}

/** partyId → the party: `view[partyId]`. Other features' projections may read it by name. */
export type PartyDirectoryView = Record<string, PartyEntry>;

export const PARTY_DIRECTORY = 'party-directory';

/** Every registered party (county authority, NAV offices, municipalities, unions, ...). */
export const partyDirectory: Projection<PartyDirectoryView> = {
  name: PARTY_DIRECTORY,
  version: 1,
  eventTypes: ['PartyRegistered', 'PartyRenamed'],
  initial: () => ({}),
  evolve: (view, e: RecordedEvent) => {
    const d = e.data as any;
    switch (e.type) {
      case 'PartyRegistered':
        view[d.partyId] = { partyId: d.partyId, name: d.name, kind: d.kind, countyId: d.countyId ?? null, organisationNumber: d.organisationNumber ?? null, registeredAtPosition: e.position };
        break;
      case 'PartyRenamed':
        {
          const p = get(view, d.partyId);
          if (p) p.name = d.name;
        }
        break;
    }
    return view;
  },
};

export interface PartyQuery {
  countyId?: string;
  kind?: string;
}

/** Parties filtered by county (parties of that county plus those of no county) and kind, sorted by id. */
export const listParties = (view: PartyDirectoryView, q: PartyQuery = {}): PartyEntry[] =>
  Object.values(view)
    .filter((p) => (q.countyId === undefined || p.countyId === q.countyId || p.countyId === null) && (q.kind === undefined || p.kind === q.kind))
    .sort((a, b) => (a.partyId < b.partyId ? -1 : a.partyId > b.partyId ? 1 : 0));

export const isNavPartyId = (view: PartyDirectoryView, partyId: string | null | undefined): boolean => {
  const p = partyId ? get(view, partyId) : undefined;
  return p !== undefined && isNavParty(p.kind);
};
