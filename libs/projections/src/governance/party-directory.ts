import { DatedName, nameOn, renameAfter, UpcomingRename } from '../../../domain/src/counties/centre-names';
import { isNavParty, PartyKind, renamedParty, SINCE_REGISTRATION } from '../../../domain/src/parties';
import { IsoDate, RecordedEvent } from '../../../domain/src/shared';
import { Projection } from '../projection';
import { get } from './evidence';

export interface PartyEntry {
  partyId: string;
  /** The latest name by date (a query names the party as on its own day: partyNameOn). */
  name: string;
  /** Every name by its first day, the registered one first (from SINCE_REGISTRATION, 0000-01-01). */
  names: DatedName[];
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
  // 2: names kept with their first day.
  version: 2,
  eventTypes: ['PartyRegistered', 'PartyRenamed'],
  initial: () => ({}),
  evolve: (view, e: RecordedEvent) => {
    const d = e.data as any;
    switch (e.type) {
      case 'PartyRegistered':
        view[d.partyId] = { partyId: d.partyId, name: d.name, names: [{ name: d.name, from: SINCE_REGISTRATION }], kind: d.kind, countyId: d.countyId ?? null, organisationNumber: d.organisationNumber ?? null, registeredAtPosition: e.position };
        break;
      case 'PartyRenamed':
        {
          const p = get(view, d.partyId);
          if (p) Object.assign(p, renamedParty(p, d));
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

/** A party as answered on a day: the name in force then, and the next rename dated after it (null: none). */
export type PartyOnDay = PartyEntry & { upcomingRename: UpcomingRename | null };
export const partyOnDay = (p: PartyEntry, day: IsoDate): PartyOnDay => ({ ...p, name: nameOn(p.names, day), upcomingRename: renameAfter(p.names, day) });
