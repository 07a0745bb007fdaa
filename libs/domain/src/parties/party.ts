import { assertNever, Decider, DomainEvent, refuse } from '../shared';

/** The organisations that own, fund, sit on boards or employ staff. */
export const PARTY_KINDS = [
  'county-authority',
  'nav-county-office',
  'nav-local-office',
  'municipality',
  'vox',
  'county-governor',
  'union',
  'employers-organisation',
  'university',
  'regional-council',
  'business-park',
  'other',
] as const;
export type PartyKind = (typeof PARTY_KINDS)[number];

export const isNavParty = (kind: PartyKind): boolean => kind === 'nav-county-office' || kind === 'nav-local-office';

/** County-level parties: each belongs to one county, so registering one names it (PARTY.COUNTY_REQUIRED). */
export const COUNTY_LEVEL_PARTY_KINDS: readonly PartyKind[] = ['county-authority', 'nav-county-office'];

export const partyStream = (partyId: string): string => `party-${partyId}`;

export type PartyEvent =
  | DomainEvent<'PartyRegistered', { partyId: string; name: string; kind: PartyKind; countyId: string | null; organisationNumber: string | null }>
  | DomainEvent<'PartyRenamed', { partyId: string; name: string; previousName: string }>;

export type PartyCommand =
  | {
      type: 'RegisterParty';
      data: { partyId: string; name: string; kind: PartyKind; countyId: string | null; organisationNumber: string | null };
      /** Whether the named county is registered (true when no county is named); loaded by the application. */
      countyRegistered?: boolean;
      /** Another party already registered with this organisation number (null: none); loaded by the application across party streams. */
      organisationNumberTakenBy?: { partyId: string; name: string } | null;
    }
  | { type: 'RenameParty'; data: { partyId: string; name: string } };

export type PartyState =
  | { status: 'unregistered' }
  | { status: 'registered'; partyId: string; name: string; kind: PartyKind; countyId: string | null; organisationNumber: string | null };

/** Refuses unless the party is registered: shared by every decision that names a party. */
export const requireParty = (state: PartyState, partyId: string): Extract<PartyState, { status: 'registered' }> => {
  if (state.status !== 'registered') return refuse('PARTY.NOT_FOUND', `No party with id ${partyId} is registered; register it first.`, 'not-found', { partyId });
  return state;
};

export const partyDecider: Decider<PartyCommand, PartyEvent, PartyState> = {
  initialState: () => ({ status: 'unregistered' }),
  evolve: (state, event) => {
    switch (event.type) {
      case 'PartyRegistered':
        return { status: 'registered', ...event.data };
      case 'PartyRenamed':
        return state.status === 'registered' ? { ...state, name: event.data.name } : state;
      default:
        return state;
    }
  },
  decide: (command, state) => {
    switch (command.type) {
      case 'RegisterParty':
        if (state.status === 'registered') refuse('PARTY.ALREADY_REGISTERED', `A party with id ${command.data.partyId} is already registered (${state.name}).`, 'conflict');
        if (command.countyRegistered === false) refuse('COUNTY.NOT_FOUND', `County ${command.data.countyId} is not registered.`, 'not-found', { countyId: command.data.countyId });
        if (!PARTY_KINDS.includes(command.data.kind)) refuse('PARTY.UNKNOWN_KIND', `Party kind ${String(command.data.kind)} is not one of: ${PARTY_KINDS.join(', ')}.`, 'invalid');
        if (command.data.countyId === null && COUNTY_LEVEL_PARTY_KINDS.includes(command.data.kind)) {
          refuse('PARTY.COUNTY_REQUIRED', `A ${command.data.kind} is a county-level party: name its county (countyId).`, 'invalid', { kind: command.data.kind });
        }
        if (command.organisationNumberTakenBy) {
          const taken = command.organisationNumberTakenBy;
          refuse('PARTY.ORGANISATION_NUMBER_TAKEN', `Organisation number ${command.data.organisationNumber} is already registered as party ${taken.partyId} (${taken.name}); one organisation is one party.`, 'conflict', { organisationNumber: command.data.organisationNumber, partyId: taken.partyId });
        }
        return [{ type: 'PartyRegistered', data: { ...command.data } }];
      case 'RenameParty': {
        const p = requireParty(state, command.data.partyId);
        return p.name === command.data.name ? [] : [{ type: 'PartyRenamed', data: { ...command.data, previousName: p.name } }];
      }
      default:
        return assertNever(command);
    }
  },
};
