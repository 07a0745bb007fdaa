import { CentreState, requireCentre, requireOpenFor } from '../counties/centre';
import { PartyState, requireParty } from '../parties/party';
import { assertNever, Decider, DomainEvent, formatOre, IsoDate, osloDateOf, own, Period, refuse } from '../shared';
import { parseAmountOrNotReported, parseOptionalOre, requireDate, requireFiscalYear, requirePeriod } from './common';

/** The kinds of money (and in-kind value) a centre receives; also the budget line kinds. */
export const MONEY_KINDS = ['operating-grant', 'earmarked', 'tender', 'other-income', 'in-kind'] as const;
export type MoneyKind = (typeof MONEY_KINDS)[number];
export const INCOME_KINDS = ['course-fees', 'sales', 'other'] as const;
export type IncomeKind = (typeof INCOME_KINDS)[number];
export const IN_KIND_KINDS = ['premises', 'payroll-services', 'it', 'other'] as const;
export type InKindKind = (typeof IN_KIND_KINDS)[number];

export const ENTRY_EVENT_OF_KIND = {
  'operating-grant': 'OperatingGrantRecorded',
  earmarked: 'EarmarkedFundsRecorded',
  tender: 'TenderAwardRecorded',
  'other-income': 'OtherIncomeRecorded',
  'in-kind': 'InKindContributionRecorded',
} as const satisfies Record<MoneyKind, string>;
export type EntryEventType = (typeof ENTRY_EVENT_OF_KIND)[MoneyKind];
export const KIND_OF_ENTRY_EVENT: Record<EntryEventType, MoneyKind> = {
  OperatingGrantRecorded: 'operating-grant',
  EarmarkedFundsRecorded: 'earmarked',
  TenderAwardRecorded: 'tender',
  OtherIncomeRecorded: 'other-income',
  InKindContributionRecorded: 'in-kind',
};

/**
 * Every money entry lives in the stream of the entry that started its correction chain:
 * `funding-entry-<rootEntryId>`. A correction's new entry gets the id `<rootEntryId>.c<n>`, so the
 * stream of any entry follows from its id alone, every read in the command path is a handful of
 * events, and a reversal, its correction and the entry it corrects are appended atomically.
 */
export const CORRECTION_SUFFIX = /\.c\d+$/;
/** The chain's first entry id (runs for every funding command: no regex unless the id can be a correction's). */
export const rootEntryId = (entryId: string): string => (entryId.includes('.c') ? entryId.replace(CORRECTION_SUFFIX, '') : entryId);
export const entryStream = (entryId: string): string => `funding-entry-${rootEntryId(entryId)}`;
export const reversalIdOf = (entryId: string): string => `${entryId}.reversal`;

export type EntryCommon = {
  entryId: string;
  centreId: string;
  countyId: string;
  fiscalYear: number;
  partyId: string;
  /** Integer øre; null = the amount was not reported (always null for in-kind). */
  amountOre: number | null;
  decidedOn: IsoDate;
  reference: string | null;
  note: string | null;
  correctsEntryId: string | null;
};
export type OperatingGrantData = EntryCommon;
export type EarmarkedFundsData = EntryCommon & { purpose: string; period: Period };
export type TenderAwardData = EntryCommon & { contractReference: string; period: Period };
export type OtherIncomeData = EntryCommon & { incomeKind: IncomeKind };
export type InKindContributionData = EntryCommon & { inKindKind: InKindKind; estimatedValueOre: number | null };
export type AnyEntryData = EntryCommon & Partial<Omit<EarmarkedFundsData & TenderAwardData & OtherIncomeData & InKindContributionData, keyof EntryCommon>>;

export type EntryReversedData = {
  /** The reversal's own id: `<reversedEntryId>.reversal`. */
  entryId: string;
  reversedEntryId: string;
  centreId: string;
  countyId: string;
  fiscalYear: number;
  reason: string;
  /** What was reversed, copied so projections can subtract it without keeping every entry. */
  entryKind: MoneyKind;
  partyId: string;
  amountOre: number | null;
  estimatedValueOre: number | null;
  /** Set when this reversal is part of a correction: the entry that replaces the reversed one. */
  correctedByEntryId: string | null;
};

export type MoneyEntryEvent =
  | DomainEvent<'OperatingGrantRecorded', OperatingGrantData>
  | DomainEvent<'EarmarkedFundsRecorded', EarmarkedFundsData>
  | DomainEvent<'TenderAwardRecorded', TenderAwardData>
  | DomainEvent<'OtherIncomeRecorded', OtherIncomeData>
  | DomainEvent<'InKindContributionRecorded', InKindContributionData>
  | DomainEvent<'EntryReversed', EntryReversedData>;

const ENTRY_EVENT_TYPES = new Set<string>(Object.keys(KIND_OF_ENTRY_EVENT));
export const isEntryEventType = (t: string): t is EntryEventType => ENTRY_EVENT_TYPES.has(t);

/** What a caller gives for an entry, as the API received it (amounts still decimal strings). */
export interface EntryInput {
  entryId: string;
  centreId: string;
  fiscalYear: number;
  partyId: string;
  /** Decimal string in NOK, or null = not reported. In-kind entries have none. */
  amount?: unknown;
  decidedOn: string;
  reference?: string | null;
  note?: string | null;
  purpose?: string;
  contractReference?: string;
  period?: { from: string; to: string | null };
  incomeKind?: IncomeKind;
  inKindKind?: InKindKind;
  estimatedValue?: unknown;
}

/** The fields a correction may change (everything but the entry's id and centre). */
export type EntryChanges = Partial<Omit<EntryInput, 'entryId' | 'centreId'>>;

export type MoneyEntryCommand =
  | { type: 'RecordEntry'; kind: MoneyKind; input: EntryInput; centre: CentreState; party: PartyState }
  | { type: 'ReverseEntry'; data: { entryId: string; centreId: string; reason: string }; centre: CentreState }
  | { type: 'CorrectEntry'; data: { entryId: string; centreId: string; reason: string; changes: EntryChanges }; centre: CentreState; party: PartyState | null };

export interface StoredEntry {
  kind: MoneyKind;
  data: AnyEntryData;
  reversed: boolean;
  /** When a correction reversed it: the entry that replaced it (the one to correct or reverse now). */
  correctedByEntryId?: string | null;
}

export type MoneyEntryState =
  | { status: 'empty' }
  | { status: 'recorded'; rootId: string; entries: Record<string, StoredEntry>; count: number };

const REQUIRED_TEXT = (v: unknown, field: string): string => {
  if (typeof v !== 'string' || v.trim() === '') return refuse('ENTRY.FIELD_MISSING', `${field} is required for this kind of entry.`, 'invalid', { field });
  return v;
};

/**
 * The ledger records money decided: an allocation dated after today (in Norway) has not been decided
 * yet, as a board or county-line decision has not. Money for a coming fiscal year is decided before
 * that year starts, so only `decidedOn` is held to today, never `fiscalYear`.
 */
const requireDecidedBy = (decidedOn: IsoDate, today: IsoDate): void => {
  if (decidedOn > today) {
    refuse('ENTRY.DECIDED_IN_FUTURE', `Money is recorded once it is decided; decidedOn (${decidedOn}) is after today (${today}). Record it on or after ${decidedOn}, or give the date it was decided.`, 'rule', { decidedOn, today });
  }
};

/** Validates an entry's input against every rule and builds its event data. Pure. */
export const buildEntry = (kind: MoneyKind, input: EntryInput, countyId: string, correctsEntryId: string | null): AnyEntryData => {
  const fiscalYear = requireFiscalYear(input.fiscalYear);
  const decidedOn = requireDate(input.decidedOn, 'decidedOn');
  let amountOre: number | null;
  if (kind === 'in-kind') {
    if (input.amount !== undefined && input.amount !== null) {
      refuse('IN_KIND.NO_AMOUNT', 'An in-kind contribution is not money and has no amount; give its estimatedValue instead (it is kept apart from money in every total).', 'invalid', { field: 'amount' });
    }
    amountOre = null;
  } else amountOre = parseAmountOrNotReported(input.amount, 'amount');
  const common: EntryCommon = {
    entryId: input.entryId,
    centreId: input.centreId,
    countyId,
    fiscalYear,
    partyId: input.partyId,
    amountOre,
    decidedOn,
    reference: input.reference ?? null,
    note: input.note ?? null,
    correctsEntryId,
  };
  switch (kind) {
    case 'operating-grant':
      return common;
    case 'earmarked':
      return { ...common, purpose: REQUIRED_TEXT(input.purpose, 'purpose'), period: requirePeriod(input.period) };
    case 'tender':
      return { ...common, contractReference: REQUIRED_TEXT(input.contractReference, 'contractReference'), period: requirePeriod(input.period) };
    case 'other-income':
      return { ...common, incomeKind: (REQUIRED_TEXT(input.incomeKind, 'incomeKind') as IncomeKind) };
    case 'in-kind':
      return { ...common, inKindKind: REQUIRED_TEXT(input.inKindKind, 'inKindKind') as InKindKind, estimatedValueOre: parseOptionalOre(input.estimatedValue, 'estimatedValue') };
    default:
      return assertNever(kind);
  }
};

/** An entry's data back in API form, so a correction can start from it. */
export const inputOf = (d: AnyEntryData): EntryInput => ({
  entryId: d.entryId,
  centreId: d.centreId,
  fiscalYear: d.fiscalYear,
  partyId: d.partyId,
  amount: d.amountOre === null ? null : formatOre(d.amountOre),
  decidedOn: d.decidedOn,
  reference: d.reference,
  note: d.note,
  ...(d.purpose !== undefined ? { purpose: d.purpose } : {}),
  ...(d.contractReference !== undefined ? { contractReference: d.contractReference } : {}),
  ...(d.period !== undefined ? { period: d.period } : {}),
  ...(d.incomeKind !== undefined ? { incomeKind: d.incomeKind } : {}),
  ...(d.inKindKind !== undefined ? { inKindKind: d.inKindKind, estimatedValue: d.estimatedValueOre === null || d.estimatedValueOre === undefined ? null : formatOre(d.estimatedValueOre) } : {}),
});

const entryEvent = (kind: MoneyKind, data: AnyEntryData): MoneyEntryEvent => ({ type: ENTRY_EVENT_OF_KIND[kind], data } as MoneyEntryEvent);

/**
 * JSON with object keys sorted at every depth (undefined fields left out), so equal data gives
 * equal text whatever the key order. Local on purpose: the domain depends on nothing outside it.
 * (An array replacer for JSON.stringify is no substitute: it filters keys at every depth too, so
 * nested fields such as `period.from` would vanish from the comparison.)
 */
const canonical = (v: unknown): string => {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o).filter((k) => o[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(',')}}`;
};

/** Whether a correction's new data equals the entry it corrects, ignoring only the ids that always differ. */
const sameEntry = (a: AnyEntryData, b: AnyEntryData): boolean => {
  const strip = (d: AnyEntryData) => canonical({ ...d, entryId: '', correctsEntryId: null });
  return strip(a) === strip(b);
};

/** The fields a correction may give, by kind of entry (what buildEntry reads for it). */
const COMMON_FIELDS: (keyof EntryChanges)[] = ['fiscalYear', 'partyId', 'amount', 'decidedOn', 'reference', 'note'];
const CORRECTABLE: Record<MoneyKind, readonly (keyof EntryChanges)[]> = {
  'operating-grant': COMMON_FIELDS,
  earmarked: [...COMMON_FIELDS, 'purpose', 'period'],
  tender: [...COMMON_FIELDS, 'contractReference', 'period'],
  'other-income': [...COMMON_FIELDS, 'incomeKind'],
  'in-kind': [...COMMON_FIELDS.filter((f) => f !== 'amount'), 'inKindKind', 'estimatedValue'],
};
const KIND_NAME: Record<MoneyKind, string> = { 'operating-grant': 'an operating grant', earmarked: 'earmarked funds', tender: 'a tender award', 'other-income': 'other income', 'in-kind': 'an in-kind contribution' };

/** Finds a live entry of this chain for a reversal or correction; refuses with the precise reason. */
const requireLiveEntry = (state: MoneyEntryState, entryId: string, centreId: string): StoredEntry => {
  const entry = state.status === 'recorded' ? own(state.entries, entryId) : undefined;
  if (!entry) return refuse('ENTRY.NOT_FOUND', `No funding entry with id ${entryId} is recorded.`, 'not-found', { entryId });
  if (entry.data.centreId !== centreId) {
    // Named by the centre it was recorded for; whoever may write for that centre can reverse or correct it there.
    return refuse('ENTRY.OTHER_CENTRE', `Entry ${entryId} was recorded for centre ${entry.data.centreId}, not for ${centreId}: it can only be reversed or corrected under the centre it was recorded for.`, 'rule', { entryId, centreId: entry.data.centreId });
  }
  if (entry.reversed) {
    // Follow the corrections to the entry in force now (corrected twice: the second correction), or to one reversed since (none is).
    const entries = (state as Extract<MoneyEntryState, { status: 'recorded' }>).entries;
    let current = entry;
    while (current.reversed && current.correctedByEntryId) {
      const next = own(entries, current.correctedByEntryId);
      if (!next) break;
      current = next;
    }
    const now = current.data.entryId;
    if (current !== entry && !current.reversed) {
      return refuse('ENTRY.ALREADY_REVERSED', `Entry ${entryId} was corrected: ${now} replaced it and is the entry in force; reverse or correct ${now} instead.`, 'conflict', { entryId, correctedByEntryId: now });
    }
    if (current !== entry) {
      return refuse('ENTRY.ALREADY_REVERSED', `Entry ${entryId} was corrected, and its correction ${now} was reversed since: nothing of that entry stands, so there is nothing left to reverse or correct.`, 'conflict', { entryId });
    }
    return refuse('ENTRY.ALREADY_REVERSED', `Entry ${entryId} has already been reversed; nothing is left to reverse or correct.`, 'conflict', { entryId });
  }
  return entry;
};

const reversalOf = (entry: StoredEntry, reason: string, correctedByEntryId: string | null): MoneyEntryEvent => ({
  type: 'EntryReversed',
  data: {
    entryId: reversalIdOf(entry.data.entryId),
    reversedEntryId: entry.data.entryId,
    centreId: entry.data.centreId,
    countyId: entry.data.countyId,
    fiscalYear: entry.data.fiscalYear,
    reason,
    entryKind: entry.kind,
    partyId: entry.data.partyId,
    amountOre: entry.data.amountOre,
    estimatedValueOre: entry.data.estimatedValueOre ?? null,
    correctedByEntryId,
  },
});

/** One correction chain of money entries: record, reverse, correct. Corrections never delete. */
export const moneyEntryDecider: Decider<MoneyEntryCommand, MoneyEntryEvent, MoneyEntryState> = {
  initialState: () => ({ status: 'empty' }),
  evolve: (state, event) => {
    if (event.type === 'EntryReversed') {
      if (state.status !== 'recorded') return state;
      const e = own(state.entries, event.data.reversedEntryId);
      if (!e) return state;
      return { ...state, entries: { ...state.entries, [e.data.entryId]: { ...e, reversed: true, correctedByEntryId: event.data.correctedByEntryId } } };
    }
    const kind = KIND_OF_ENTRY_EVENT[event.type];
    if (!kind) return state;
    const data = event.data as AnyEntryData;
    const base = state.status === 'recorded' ? state : { status: 'recorded' as const, rootId: rootEntryId(data.entryId), entries: {}, count: 0 };
    return { ...base, entries: { ...base.entries, [data.entryId]: { kind, data, reversed: false } }, count: base.count + 1 };
  },
  decide: (command, state, ctx) => {
    switch (command.type) {
      case 'RecordEntry': {
        const centre = requireCentre(command.centre, command.input.centreId);
        if (state.status !== 'empty') {
          // Ids are one namespace for the whole ledger: an id another county's officer took is only to be avoided, not an entry to correct.
          const ours = Object.values(state.entries).some((e) => e.data.countyId === centre.countyId);
          refuse('ENTRY.ALREADY_EXISTS', `A funding entry with id ${command.input.entryId} is already recorded; choose a new id${ours ? ' (to change that entry, correct it)' : ''}.`, 'conflict', { entryId: command.input.entryId });
        }
        const data = buildEntry(command.kind, command.input, centre.countyId, null);
        requireDecidedBy(data.decidedOn, osloDateOf(ctx.now));
        requirePartyOfCounty(requireParty(command.party, command.input.partyId), centre);
        requireOpenedBy(centre, data);
        const events = [entryEvent(command.kind, data)];
        // Money for a fiscal year the centre is open on no day of is refused (CENTRE.CLOSED), not money for a year it is open in.
        requireOpenFor(command.centre, command.input.centreId, events);
        return events;
      }
      case 'ReverseEntry': {
        // A reversal needs no day open (reversed money counts nowhere, nor for closing): a closed centre's money can be put right.
        requireCentre(command.centre, command.data.centreId);
        const entry = requireLiveEntry(state, command.data.entryId, command.data.centreId);
        return [reversalOf(entry, command.data.reason, null)];
      }
      case 'CorrectEntry': {
        const centre = requireCentre(command.centre, command.data.centreId);
        const entry = requireLiveEntry(state, command.data.entryId, command.data.centreId);
        const s = state as Extract<MoneyEntryState, { status: 'recorded' }>;
        const newId = `${s.rootId}.c${s.count}`;
        const changes = command.data.changes;
        // A field this kind of entry does not have (an operating grant's `purpose`) would be dropped without a word.
        const foreign = Object.keys(stripUndefined(changes)).filter((k) => !CORRECTABLE[entry.kind].includes(k as keyof EntryChanges) && !(entry.kind === 'in-kind' && k === 'amount')); // an in-kind amount: IN_KIND.NO_AMOUNT says what to give instead
        if (foreign.length > 0) {
          refuse('ENTRY.FIELD_NOT_FOR_KIND', `${entry.data.entryId} is ${KIND_NAME[entry.kind]}, which has no ${foreign.join(', ')}; a correction may change: ${CORRECTABLE[entry.kind].join(', ')}.`, 'invalid', { entryId: entry.data.entryId, kind: entry.kind, fields: foreign, allowed: [...CORRECTABLE[entry.kind]] });
        }
        // Only a party the correction names is checked: an entry's own party is kept as recorded.
        if (changes.partyId !== undefined && changes.partyId !== entry.data.partyId) requirePartyOfCounty(requireParty(command.party ?? { status: 'unregistered' }, changes.partyId), centre);
        const input: EntryInput = { ...inputOf(entry.data), ...stripUndefined(changes), entryId: newId, centreId: entry.data.centreId };
        const data = buildEntry(entry.kind, input, centre.countyId, entry.data.entryId);
        // Only a date the correction changes is held to today: an entry recorded before this rule keeps its
        // own, also when a client sends the whole entry back with that date in it.
        if (changes.decidedOn !== undefined && data.decidedOn !== entry.data.decidedOn) requireDecidedBy(data.decidedOn, osloDateOf(ctx.now));
        if (sameEntry(data, entry.data)) refuse('ENTRY.CORRECTION_CHANGES_NOTHING', `The correction of ${entry.data.entryId} changes nothing; give the fields that were wrong.`, 'rule', { entryId: entry.data.entryId });
        // The new entry is held to the opening like any new entry (a reversal alone is not: ReverseEntry).
        requireOpenedBy(centre, data);
        const events = [reversalOf(entry, command.data.reason, newId), entryEvent(entry.kind, data)];
        // The new entry is judged like any new entry (by its fiscal year); the reversal needs no day open.
        requireOpenFor(command.centre, command.data.centreId, events);
        return events;
      }
      default:
        return assertNever(command);
    }
  },
};

/**
 * A centre's money is paid by a party of its own county, or by a national one (no county: Vox, a
 * union): money named as another county's authority or NAV office would count as that party's in
 * every mix, the country's included. Owner agreements follow the same rule (assertPartiesOfCounty).
 */
const requirePartyOfCounty = (party: Extract<PartyState, { status: 'registered' }>, centre: Exclude<CentreState, { status: 'unregistered' }>): void => {
  if (typeof party.countyId === 'string' && party.countyId !== centre.countyId) {
    refuse('ENTRY.PARTY_OF_OTHER_COUNTY', `${party.name} (${party.partyId}) is a party of county ${party.countyId}; centre ${centre.name} is of county ${centre.countyId}, and its money is paid by parties of its own county (or national ones).`, 'rule', { partyId: party.partyId, partyCountyId: party.countyId, centreCountyId: centre.countyId });
  }
};

/**
 * Money for a fiscal year that ends before the centre opened (a year before the year of `openedOn`) is
 * refused: it would count in no county's or the country's total, since the centre is open on no day of it.
 * Money for the opening year itself is accepted (the centre is open on some day of it).
 */
const requireOpenedBy = (centre: Exclude<CentreState, { status: 'unregistered' }>, data: AnyEntryData): void => {
  const openingYear = Number(centre.openedOn.slice(0, 4));
  if (data.fiscalYear < openingYear) {
    refuse('ENTRY.BEFORE_OPENING', `Money for fiscal year ${data.fiscalYear} cannot be recorded for centre ${centre.name}: that year ends before the centre opened on ${centre.openedOn}.`, 'rule', { entryId: data.entryId, fiscalYear: data.fiscalYear, openedOn: centre.openedOn });
  }
};

const stripUndefined = <T extends object>(o: T): Partial<T> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
