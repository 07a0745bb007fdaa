import { DatedName, nameOn, withName } from '../counties/centre-names';
import { assertNever, Decider, DomainEvent, IsoDate, isIsoDate, osloDateOf, refuse } from '../shared';

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
  /**
   * `effectiveFrom`: the first day of the new name (a reform renames a NAV office or county authority
   * from a date; the years before keep the old name). Absent on renames recorded before names were
   * dated: those rename the party for every day, as they did then (SINCE_REGISTRATION).
   */
  | DomainEvent<'PartyRenamed', { partyId: string; name: string; previousName: string; effectiveFrom?: IsoDate }>;

/** The `from` of a party's registered name, and of an undated rename: before any day. */
export const SINCE_REGISTRATION = '0000-01-01' as IsoDate;

/** A party's names by first day; one kept without them (a fixture, an older view) has its one name for every day. */
export const partyNamesOf = (p: { name: string; names?: readonly DatedName[] }): readonly DatedName[] => (p.names?.length ? p.names : [{ name: p.name, from: SINCE_REGISTRATION }]);

/** A party's names by the day they took effect (the registered one first, from SINCE_REGISTRATION). */
export const partyNamesAfter = (names: readonly DatedName[], e: { name: string; effectiveFrom?: IsoDate }): DatedName[] =>
  withName(names, e.name, e.effectiveFrom ?? SINCE_REGISTRATION);

/** A renamed party's names and `name` (the latest by date), as every view keeps them. */
export const renamedParty = (p: { name: string; names?: readonly DatedName[] }, e: { name: string; effectiveFrom?: IsoDate }): { names: DatedName[]; name: string } => {
  const names = partyNamesAfter(partyNamesOf(p), e);
  return { names, name: names[names.length - 1].name };
};

/** The name a party had on a day (a view entry without `names`, from an older view, has its one name). */
export const partyNameOn = (p: { name: string; names?: readonly DatedName[] }, day: IsoDate): string => nameOn(partyNamesOf(p), day);

export type PartyCommand =
  | {
      type: 'RegisterParty';
      data: { partyId: string; name: string; kind: PartyKind; countyId: string | null; organisationNumber: string | null };
      /** Whether the named county is registered (true when no county is named); loaded by the application. */
      countyRegistered?: boolean;
      /** Another party already registered with this organisation number (null: none); loaded by the application across party streams. */
      organisationNumberTakenBy?: { partyId: string; name: string } | null;
    }
  /** `effectiveFrom` null: from today (in Norway), given by the context's clock. */
  | { type: 'RenameParty'; data: { partyId: string; name: string; effectiveFrom: IsoDate | null } };

export type PartyState =
  | { status: 'unregistered' }
  /** `names`: by the day each took effect (left out by fixtures: the one `name` then holds for every day). */
  | { status: 'registered'; partyId: string; name: string; names?: DatedName[]; kind: PartyKind; countyId: string | null; organisationNumber: string | null };

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
        return { status: 'registered', ...event.data, names: [{ name: event.data.name, from: SINCE_REGISTRATION }] };
      case 'PartyRenamed': {
        if (state.status !== 'registered') return state;
        // `name`: the latest by date (what messages name); the answers take the name on their own day.
        return { ...state, ...renamedParty(state, event.data) };
      }
      default:
        return state;
    }
  },
  decide: (command, state, ctx) => {
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
        const effectiveFrom = command.data.effectiveFrom ?? osloDateOf(ctx.now);
        if (!isIsoDate(effectiveFrom)) refuse('DATE.INVALID', `effectiveFrom (${effectiveFrom}) is not a real calendar date.`, 'invalid', { effectiveFrom });
        // The name already in force from that day: nothing to record.
        const before = nameOn(partyNamesOf(p), effectiveFrom);
        if (before === command.data.name) return [];
        return [{ type: 'PartyRenamed', data: { partyId: command.data.partyId, name: command.data.name, previousName: before, effectiveFrom } }];
      }
      default:
        return assertNever(command);
    }
  },
};
