import { DatedName, nameOn, namesInForceBetween, withName } from '../counties/centre-names';
import { assertNever, Decider, DomainEvent, IsoDate, isIsoDate, osloDateOf, refuse, refuseDate } from '../shared';

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

/** The weights of the organisation number's check digit (mod 11), for its first eight digits. */
const ORGANISATION_NUMBER_WEIGHTS = [3, 2, 7, 6, 5, 4, 3, 2] as const;

/**
 * The check digit of a Norwegian organisation number with these first eight digits (mod 11, as the
 * Brønnøysund Register Centre issues them), or null when none exists (the remainder gives 10: no
 * organisation number starts with those eight digits).
 */
export const organisationNumberCheckDigit = (firstEight: string): number | null => {
  if (!/^\d{8}$/.test(firstEight)) return null;
  const sum = ORGANISATION_NUMBER_WEIGHTS.reduce((s, w, i) => s + w * Number(firstEight[i]), 0);
  const check = 11 - (sum % 11);
  return check === 11 ? 0 : check === 10 ? null : check;
};

/**
 * Why a text is not a Norwegian organisation number, in words a finance officer can act on (null: it
 * is one). Nine digits, the first 8 or 9, whose last is the check digit of the first eight: one
 * mistyped digit, or two swapped, never passes, so a typo is caught here rather than recorded as
 * another organisation.
 */
export const organisationNumberProblem = (value: unknown): string | null => {
  const shown = typeof value === 'string' ? value.slice(0, 40) : JSON.stringify(value) ?? String(value);
  if (typeof value !== 'string' || !/^\d{9}$/.test(value)) {
    return `Organisation number ${shown} is not a Norwegian organisation number: write its nine digits without spaces, as in the Brønnøysund Register Centre (e.g. 974760673).`;
  }
  // The register issues numbers from 800 000 000 up: 000000000 passes the mod-11 sum (every digit 0)
  // but is no organisation's number, nor is any other starting with 0–7.
  if (value[0] !== '8' && value[0] !== '9') {
    return `Organisation number ${value} is not a Norwegian organisation number: Norwegian organisation numbers start with 8 or 9 (as the Brønnøysund Register Centre issues them, e.g. 974760673). Check it in the Brønnøysund Register Centre (Enhetsregisteret).`;
  }
  const check = organisationNumberCheckDigit(value.slice(0, 8));
  if (check === Number(value[8])) return null;
  return `Organisation number ${value} is not a valid Norwegian organisation number: its last digit is a check digit, and it does not match the first eight digits. It is probably mistyped; check it in the Brønnøysund Register Centre (Enhetsregisteret).`;
};

/**
 * A party's name as compared for a duplicate: the same letters whatever their case and whatever the
 * whitespace ("Østfold fylkeskommune", "ØSTFOLD  Fylkeskommune" and "Østfoldfylkeskommune" are one),
 * and whatever their Unicode compatibility form (NFKC): fullwidth "ｔｅｌｅｍａｒｋ", ligatures ("ﬁ"),
 * circled or superscript digits read as the plain letters and digits they look like. Only the
 * comparison folds: a name is kept as it was given (in NFC).
 */
export const partyNameKey = (name: string): string => {
  // The name rules compare one name with every registered centre's or party's on each registration and
  // rename: the same few thousand names, so each one's key is worked out once (bounded: emptied when full).
  let key = nameKeys.get(name);
  if (key === undefined) {
    if (nameKeys.size >= NAME_KEYS_KEPT) nameKeys.clear();
    // NFKC again after lower-casing: a lower-case letter may not be in NFKC form where its capital was.
    key = name.normalize('NFKC').toLowerCase().normalize('NFKC').replace(/[\p{White_Space}\u200B\uFEFF]+/gu, '');
    nameKeys.set(name, key);
  }
  return key;
};
const nameKeys = new Map<string, string>();
const NAME_KEYS_KEPT = 20_000;

/** Another registered party with a name (now, earlier or later) written like the one asked for: the application loads them across party streams. */
export interface PartyNamedAlike {
  partyId: string;
  kind: PartyKind;
  countyId: string | null;
  /** By the day each took effect, the registered one first (as partyNamesAfter keeps them). */
  names: readonly DatedName[];
}

export type PartyCommand =
  | {
      type: 'RegisterParty';
      data: { partyId: string; name: string; kind: PartyKind; countyId: string | null; organisationNumber: string | null };
      /** Whether the named county is registered (true when no county is named); loaded by the application. */
      countyRegistered?: boolean;
      /** The party registered with this id in another case (ids are compared without regard to case; null: none); loaded by the application across party streams. */
      idTakenBy?: { partyId: string; name: string } | null;
      /** Another party already registered with this organisation number (null: none); loaded by the application across party streams. */
      organisationNumberTakenBy?: { partyId: string; name: string } | null;
      /** Other parties with a name written like this one (see PartyNamedAlike); none when left out. */
      namedAlike?: readonly PartyNamedAlike[];
    }
  /** `effectiveFrom` null: from today (in Norway), given by the context's clock. */
  | { type: 'RenameParty'; data: { partyId: string; name: string; effectiveFrom: IsoDate | null }; namedAlike?: readonly PartyNamedAlike[] };

export type PartyState =
  | { status: 'unregistered' }
  /** `names`: by the day each took effect (left out by fixtures: the one `name` then holds for every day). */
  | { status: 'registered'; partyId: string; name: string; names?: DatedName[]; kind: PartyKind; countyId: string | null; organisationNumber: string | null };

/**
 * One organisation, one party: a party of the same kind and county (or both of none) that has this
 * name, compared as partyNameKey does, on a day the name would hold, is refused, naming it. The days
 * judged: for a registration, today and after (a party has no opening date, so its first name stands
 * for the past too; a name another organisation has given up is free for a new one); for a rename,
 * from its own date until the party's next rename after it, back-dated or not. On those days the
 * other party's name in force counts, and every name it takes within them.
 */
const requireNameFree = (name: string, self: { partyId: string; kind: PartyKind; countyId: string | null }, namedAlike: readonly PartyNamedAlike[] | undefined, from: IsoDate, to: IsoDate | null): void => {
  const others = (namedAlike ?? []).filter((o) => o.partyId !== self.partyId && o.kind === self.kind && o.countyId === self.countyId);
  if (others.length === 0) return;
  const key = partyNameKey(name);
  for (const o of others) {
    const held = namesInForceBetween(o.names, from, to).find((n) => partyNameKey(n) === key);
    if (held === undefined) continue;
    const where = self.countyId === null ? 'with no county' : `of county ${self.countyId}`;
    refuse('PARTY.NAME_TAKEN', `A ${self.kind} ${where} named ${held} is already registered as party ${o.partyId}; one organisation is one party: use ${o.partyId}, or give a name that tells the two apart.`, 'conflict', { partyId: o.partyId, name: held, kind: self.kind, countyId: self.countyId });
  }
};

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
        if (command.idTakenBy) {
          const taken = command.idTakenBy;
          refuse('PARTY.ALREADY_REGISTERED', `A party with id ${taken.partyId} (${taken.name}) is already registered; party ids are compared without regard to case, so ${command.data.partyId} would be a second entry of it: use ${taken.partyId}.`, 'conflict', { partyId: taken.partyId });
        }
        if (command.countyRegistered === false) refuse('COUNTY.NOT_FOUND', `County ${command.data.countyId} is not registered.`, 'not-found', { countyId: command.data.countyId });
        if (!PARTY_KINDS.includes(command.data.kind)) refuse('PARTY.UNKNOWN_KIND', `Party kind ${String(command.data.kind)} is not one of: ${PARTY_KINDS.join(', ')}.`, 'invalid');
        if (command.data.countyId === null && COUNTY_LEVEL_PARTY_KINDS.includes(command.data.kind)) {
          refuse('PARTY.COUNTY_REQUIRED', `A ${command.data.kind} is a county-level party: name its county (countyId).`, 'invalid', { kind: command.data.kind });
        }
        if (command.data.organisationNumber !== null) {
          const problem = organisationNumberProblem(command.data.organisationNumber);
          if (problem !== null) refuse('PARTY.ORGANISATION_NUMBER_INVALID', problem, 'invalid', { organisationNumber: command.data.organisationNumber });
        }
        if (command.organisationNumberTakenBy) {
          const taken = command.organisationNumberTakenBy;
          refuse('PARTY.ORGANISATION_NUMBER_TAKEN', `Organisation number ${command.data.organisationNumber} is already registered as party ${taken.partyId} (${taken.name}); one organisation is one party.`, 'conflict', { organisationNumber: command.data.organisationNumber, partyId: taken.partyId });
        }
        requireNameFree(command.data.name, command.data, command.namedAlike, osloDateOf(ctx.now), null);
        return [{ type: 'PartyRegistered', data: { ...command.data } }];
      case 'RenameParty': {
        const p = requireParty(state, command.data.partyId);
        const effectiveFrom = command.data.effectiveFrom ?? osloDateOf(ctx.now);
        if (!isIsoDate(effectiveFrom)) refuseDate('effectiveFrom', `effectiveFrom (${effectiveFrom}) is not a real calendar date.`, { effectiveFrom });
        // The name already in force from that day: nothing to record.
        const names = partyNamesOf(p);
        const before = nameOn(names, effectiveFrom);
        if (before === command.data.name) return [];
        requireNameFree(command.data.name, p, command.namedAlike, effectiveFrom, names.find((n) => n.from > effectiveFrom)?.from ?? null);
        return [{ type: 'PartyRenamed', data: { partyId: command.data.partyId, name: command.data.name, previousName: before, effectiveFrom } }];
      }
      default:
        return assertNever(command);
    }
  },
};
