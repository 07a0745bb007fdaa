import { CentreState } from '../counties/centre';
import { PartyState } from '../parties/party';
import { deciderSpec } from '../shared/decider-spec';
import { EntryChanges, EntryInput, entryStream, MoneyEntryCommand, moneyEntryDecider, MoneyEntryEvent, rootEntryId } from './money-entry';

const spec = deciderSpec(moneyEntryDecider);
const telemark: CentreState = { status: 'open', centreId: 'telemark-kc', countyId: 'telemark', name: 'Karrieresenteret Telemark', municipality: 'Skien', openedOn: '2009-01-01' };
const closed: CentreState = { ...telemark, status: 'closed', closedOn: '2014-06-30' } as CentreState;
const fk: PartyState = { status: 'registered', partyId: 'telemark-fk', name: 'Telemark fylkeskommune', kind: 'county-authority', countyId: 'telemark', organisationNumber: null };
const nav: PartyState = { status: 'registered', partyId: 'nav-telemark', name: 'NAV Telemark', kind: 'nav-county-office', countyId: 'telemark', organisationNumber: null };
const unknownParty: PartyState = { status: 'unregistered' };

const input = (over: Partial<EntryInput> = {}): EntryInput => ({ entryId: 'e1', centreId: 'telemark-kc', fiscalYear: 2013, partyId: 'telemark-fk', amount: '2363000.00', decidedOn: '2012-12-12', reference: 'FT-sak 88/12', note: null, ...over });
const record = (over: Partial<EntryInput> = {}, kind: Extract<MoneyEntryCommand, { type: 'RecordEntry' }>['kind'] = 'operating-grant', party: PartyState = fk): MoneyEntryCommand => ({ type: 'RecordEntry', kind, input: input(over), centre: telemark, party });

const granted: MoneyEntryEvent = {
  type: 'OperatingGrantRecorded',
  data: { entryId: 'e1', centreId: 'telemark-kc', countyId: 'telemark', fiscalYear: 2013, partyId: 'telemark-fk', amountOre: 236300000, decidedOn: '2012-12-12', reference: 'FT-sak 88/12', note: null, correctsEntryId: null },
};

describe('money entries: recording', () => {
  it('given nothing, when an operating grant is recorded, then OperatingGrantRecorded carries the amount in øre and the county of the centre', () => {
    spec.given([]).when(record()).then([granted]);
  });

  it('records an amount "not reported" as amountOre null (never zero)', () => {
    const [e] = spec.given([]).when(record({ amount: null })).events();
    expect(e).toMatchObject({ type: 'OperatingGrantRecorded', data: { amountOre: null } });
  });

  it('an earmarked entry needs its purpose and period; the not-reported amount stays null', () => {
    spec.given([]).when(record({ amount: null, partyId: 'nav-telemark', purpose: 'Oppstartsveiledning', period: { from: '2013-01-01', to: '2013-12-31' } }, 'earmarked', nav)).then([
      { type: 'EarmarkedFundsRecorded', data: { ...granted.data, partyId: 'nav-telemark', amountOre: null, purpose: 'Oppstartsveiledning', period: { from: '2013-01-01', to: '2013-12-31' } } },
    ]);
    spec.given([]).when(record({ purpose: 'x' }, 'earmarked')).thenThrows('PERIOD.MISSING', 'invalid');
    spec.given([]).when(record({ period: { from: '2013-01-01', to: null } }, 'earmarked')).thenThrows('ENTRY.FIELD_MISSING', 'invalid');
  });

  it('a tender award carries its contract reference and period; other income its kind', () => {
    const [t] = spec.given([]).when(record({ partyId: 'nav-telemark', contractReference: 'NAV-2013-17', period: { from: '2013-03-01', to: '2014-02-28' } }, 'tender', nav)).events();
    expect(t).toMatchObject({ type: 'TenderAwardRecorded', data: { contractReference: 'NAV-2013-17', period: { from: '2013-03-01', to: '2014-02-28' }, amountOre: 236300000 } });
    const [o] = spec.given([]).when(record({ amount: '1250.50', incomeKind: 'course-fees' }, 'other-income')).events();
    expect(o).toMatchObject({ type: 'OtherIncomeRecorded', data: { incomeKind: 'course-fees', amountOre: 125050 } });
  });

  it('an in-kind contribution has no amount, only an optional estimated value', () => {
    const [k] = spec.given([]).when(record({ amount: undefined, inKindKind: 'premises', estimatedValue: '120000' }, 'in-kind')).events();
    expect(k).toMatchObject({ type: 'InKindContributionRecorded', data: { amountOre: null, inKindKind: 'premises', estimatedValueOre: 12000000 } });
    const [k2] = spec.given([]).when(record({ amount: undefined, inKindKind: 'payroll-services' }, 'in-kind')).events();
    expect(k2.data).toMatchObject({ amountOre: null, estimatedValueOre: null });
    spec.given([]).when(record({ amount: '10.00', inKindKind: 'it' }, 'in-kind')).thenThrows('IN_KIND.NO_AMOUNT', 'invalid');
  });

  it.each([
    ['-100.00', 'MONEY.NEGATIVE'],
    ['0', 'MONEY.ZERO'],
    ['0.00', 'MONEY.ZERO'],
    [12.5, 'MONEY.NOT_A_DECIMAL_STRING'],
    ['12.345', 'MONEY.FRACTIONAL_ORE'],
    ['1000000000000.01', 'MONEY.TOO_LARGE'],
    [undefined, 'MONEY.MISSING'],
  ])('refuses the amount %p with %s', (amount, code) => {
    spec.given([]).when(record({ amount })).thenThrows(code, 'invalid');
  });

  it('accepts exactly NOK 10^12', () => {
    const [e] = spec.given([]).when(record({ amount: '1000000000000' })).events();
    expect(e.data.amountOre).toBe(100_000_000_000_000);
  });

  it.each([1989, 2101, 2013.5])('refuses fiscal year %p with FISCAL_YEAR.OUT_OF_RANGE', (fiscalYear) => {
    expect(spec.given([]).when(record({ fiscalYear })).thenThrows('FISCAL_YEAR.OUT_OF_RANGE', 'invalid').details).toEqual({ field: 'fiscalYear', fiscalYear });
  });

  it('accepts the edges 1990 and 2100', () => {
    // (for a centre open since 1990: money for a year before its opening is ENTRY.BEFORE_OPENING)
    expect(spec.given([]).when({ ...record({ fiscalYear: 1990 }), centre: { ...telemark, openedOn: '1990-01-01' } } as MoneyEntryCommand).events()).toHaveLength(1);
    expect(spec.given([]).when(record({ fiscalYear: 2100 })).events()).toHaveLength(1);
  });

  it('refuses an unknown or closed centre', () => {
    spec.given([]).when({ ...record(), centre: { status: 'unregistered' } } as MoneyEntryCommand).thenThrows('CENTRE.NOT_FOUND', 'not-found');
    // Closed from 2014-06-30: money for 2015 (a year it is open on no day of) is refused; for 2014 and earlier it is recorded.
    const refused = spec.given([]).when({ ...record({ fiscalYear: 2015 }), centre: closed } as MoneyEntryCommand).thenThrows('CENTRE.CLOSED', 'rule');
    expect(refused.message).toBe('Career centre Karrieresenteret Telemark is closed from 2014-06-30; an operating grant for 2015 falls after that: the centre is open on no day of 2015.');
    expect(refused.details).toEqual({ centreId: 'telemark-kc', closedOn: '2014-06-30', fiscalYear: 2015, latestDate: '2014-06-29' });
    expect(spec.given([]).when({ ...record({ fiscalYear: 2014 }), centre: closed } as MoneyEntryCommand).events()).toHaveLength(1);
    expect(spec.given([]).when({ ...record(), centre: closed } as MoneyEntryCommand).events()).toHaveLength(1);
  });

  it('refuses a party that is not registered', () => {
    spec.given([]).when(record({}, 'operating-grant', unknownParty)).thenThrows('PARTY.NOT_FOUND', 'not-found');
  });

  it('refuses a party of another county (ENTRY.PARTY_OF_OTHER_COUNTY), as a new entry or a correction naming it; a national party (no county) may pay', () => {
    const ostfoldFk: PartyState = { status: 'registered', partyId: 'ostfold-fk', name: 'Østfold fylkeskommune', kind: 'county-authority', countyId: 'ostfold', organisationNumber: null };
    const vox: PartyState = { status: 'registered', partyId: 'vox', name: 'Vox', kind: 'vox', countyId: null, organisationNumber: null };
    const e = spec.given([]).when(record({ partyId: 'ostfold-fk' }, 'operating-grant', ostfoldFk)).thenThrows('ENTRY.PARTY_OF_OTHER_COUNTY', 'rule');
    expect(e.details).toEqual({ partyId: 'ostfold-fk', partyCountyId: 'ostfold', centreCountyId: 'telemark' });
    expect(spec.given([]).when(record({ partyId: 'vox' }, 'operating-grant', vox)).events()).toMatchObject([{ data: { partyId: 'vox' } }]);
    const correct = (partyId: string, party: PartyState): MoneyEntryCommand => ({ type: 'CorrectEntry', data: { entryId: 'e1', centreId: 'telemark-kc', reason: 'Feil part', changes: { partyId } }, centre: telemark, party });
    spec.given([granted]).when(correct('ostfold-fk', ostfoldFk)).thenThrows('ENTRY.PARTY_OF_OTHER_COUNTY', 'rule');
    expect(spec.given([granted]).when(correct('vox', vox)).events()).toHaveLength(2);
  });

  it('refuses money for a fiscal year that ends before the centre opened (ENTRY.BEFORE_OPENING); the opening year itself is recorded', () => {
    const openedMidYear = { ...telemark, openedOn: '2013-07-01' } as CentreState;
    const refused = spec.given([]).when({ ...record({ fiscalYear: 2012 }), centre: openedMidYear } as MoneyEntryCommand).thenThrows('ENTRY.BEFORE_OPENING', 'rule');
    expect(refused.message).toBe('Money for fiscal year 2012 cannot be recorded for centre Karrieresenteret Telemark: that year ends before the centre opened on 2013-07-01.');
    expect(refused.details).toEqual({ entryId: 'e1', fiscalYear: 2012, openedOn: '2013-07-01' });
    spec.given([]).when({ ...record({ fiscalYear: 2012, amount: undefined, inKindKind: 'premises' }, 'in-kind'), centre: openedMidYear } as MoneyEntryCommand).thenThrows('ENTRY.BEFORE_OPENING', 'rule');
    expect(spec.given([]).when({ ...record({ fiscalYear: 2013 }), centre: openedMidYear } as MoneyEntryCommand).events()).toHaveLength(1);
    // A party that is not registered is still reported as such first (404 before the rule).
    spec.given([]).when({ ...record({ fiscalYear: 2012 }, 'operating-grant', unknownParty), centre: openedMidYear } as MoneyEntryCommand).thenThrows('PARTY.NOT_FOUND', 'not-found');
  });

  it('refuses a period that ends before it starts', () => {
    spec.given([]).when(record({ purpose: 'p', period: { from: '2013-06-01', to: '2013-05-31' } }, 'earmarked')).thenThrows('PERIOD.ENDS_BEFORE_START', 'rule');
  });

  it('refuses an impossible date', () => {
    spec.given([]).when(record({ decidedOn: '2013-02-30' })).thenThrows('DATE.INVALID', 'invalid');
  });

  it('refuses a second entry with the same id', () => {
    spec.given([granted]).when(record()).thenThrows('ENTRY.ALREADY_EXISTS', 'conflict');
  });
});

describe('money entries: reversal and correction', () => {
  const reverse = (entryId = 'e1', centreId = 'telemark-kc'): MoneyEntryCommand => ({ type: 'ReverseEntry', data: { entryId, centreId, reason: 'Feilført' }, centre: { ...telemark, centreId } as CentreState });

  it('given an entry, when it is reversed, then EntryReversed points at it and carries what it subtracts', () => {
    spec.given([granted]).when(reverse()).then([
      { type: 'EntryReversed', data: { entryId: 'e1.reversal', reversedEntryId: 'e1', centreId: 'telemark-kc', countyId: 'telemark', fiscalYear: 2013, reason: 'Feilført', entryKind: 'operating-grant', partyId: 'telemark-fk', amountOre: 236300000, estimatedValueOre: null, correctedByEntryId: null } },
    ]);
  });

  it('refuses to reverse an entry that does not exist', () => {
    spec.given([]).when(reverse()).thenThrows('ENTRY.NOT_FOUND', 'not-found');
    spec.given([granted]).when(reverse('e1.c7')).thenThrows('ENTRY.NOT_FOUND', 'not-found');
  });

  it.each(['constructor', '__proto__'])('looks up an entry id like %s as any other: unknown, it is not found; recorded, it is reversed', (id) => {
    spec.given([granted]).when(reverse(id)).thenThrows('ENTRY.NOT_FOUND', 'not-found');
    const recorded = spec.given([]).when(record({ entryId: id })).events();
    expect(spec.given(recorded).when(reverse(id)).events()).toMatchObject([{ type: 'EntryReversed', data: { reversedEntryId: id } }]);
  });

  it('refuses to reverse an entry of another centre', () => {
    spec.given([granted]).when(reverse('e1', 'ostfold-kc')).thenThrows('ENTRY.OTHER_CENTRE', 'rule');
  });

  it('refuses to reverse an entry twice', () => {
    const reversed = spec.given([granted]).when(reverse()).events();
    spec.given([granted, ...reversed]).when(reverse()).thenThrows('ENTRY.ALREADY_REVERSED', 'conflict');
  });

  it('a correction is a reversal plus a new entry linked to it, in one append', () => {
    const correct: MoneyEntryCommand = { type: 'CorrectEntry', data: { entryId: 'e1', centreId: 'telemark-kc', reason: 'Beløpet var feil', changes: { amount: '2363500.00' } }, centre: telemark, party: null };
    spec.given([granted]).when(correct).then([
      { type: 'EntryReversed', data: { entryId: 'e1.reversal', reversedEntryId: 'e1', centreId: 'telemark-kc', countyId: 'telemark', fiscalYear: 2013, reason: 'Beløpet var feil', entryKind: 'operating-grant', partyId: 'telemark-fk', amountOre: 236300000, estimatedValueOre: null, correctedByEntryId: 'e1.c1' } },
      { type: 'OperatingGrantRecorded', data: { ...granted.data, entryId: 'e1.c1', amountOre: 236350000, correctsEntryId: 'e1' } },
    ]);
  });

  it('a corrected entry can itself be corrected and reversed; the chain stays in one stream', () => {
    const c1 = spec.given([granted]).when({ type: 'CorrectEntry', data: { entryId: 'e1', centreId: 'telemark-kc', reason: 'r', changes: { fiscalYear: 2014 } }, centre: telemark, party: null }).events();
    expect(c1[1].data).toMatchObject({ entryId: 'e1.c1', fiscalYear: 2014, correctsEntryId: 'e1' });
    const c2 = spec.given([granted, ...c1]).when({ type: 'CorrectEntry', data: { entryId: 'e1.c1', centreId: 'telemark-kc', reason: 'r', changes: { partyId: 'nav-telemark' } }, centre: telemark, party: nav }).events();
    expect(c2[1].data).toMatchObject({ entryId: 'e1.c2', partyId: 'nav-telemark', correctsEntryId: 'e1.c1' });
    expect(entryStream('e1.c2')).toBe('funding-entry-e1');
    expect(rootEntryId('e1.c2')).toBe('e1');
    spec.given([granted, ...c1, ...c2]).when(reverse('e1.c1')).thenThrows('ENTRY.ALREADY_REVERSED', 'conflict');
    expect(spec.given([granted, ...c1, ...c2]).when(reverse('e1.c2')).events()[0].data).toMatchObject({ reversedEntryId: 'e1.c2', partyId: 'nav-telemark' });
  });

  it('a correction is validated like a new entry and must change something', () => {
    const base = { type: 'CorrectEntry' as const, centre: telemark, party: null };
    spec.given([granted]).when({ ...base, data: { entryId: 'e1', centreId: 'telemark-kc', reason: 'r', changes: { amount: '-5' } } }).thenThrows('MONEY.NEGATIVE');
    spec.given([granted]).when({ ...base, data: { entryId: 'e1', centreId: 'telemark-kc', reason: 'r', changes: { partyId: 'ghost' } } }).thenThrows('PARTY.NOT_FOUND');
    spec.given([granted]).when({ ...base, data: { entryId: 'e1', centreId: 'telemark-kc', reason: 'r', changes: { amount: '2363000' } } }).thenThrows('ENTRY.CORRECTION_CHANGES_NOTHING', 'rule');
    // A closed centre's entry is corrected like any other when the new entry's year is one it is open in, not into a later year.
    expect(spec.given([granted]).when({ ...base, data: { entryId: 'e1', centreId: 'telemark-kc', reason: 'r', changes: { amount: '1' } }, centre: closed }).events()).toHaveLength(2);
    spec.given([granted]).when({ ...base, data: { entryId: 'e1', centreId: 'telemark-kc', reason: 'r', changes: { fiscalYear: 2015 } }, centre: closed }).thenThrows('CENTRE.CLOSED');
    // A reversal needs no day open: a closed centre's money can always be reversed.
    expect(spec.given([granted]).when({ type: 'ReverseEntry', data: { entryId: 'e1', centreId: 'telemark-kc', reason: 'r' }, centre: closed }).events()).toHaveLength(1);
  });

  it('a correction\'s new entry for a fiscal year that ends before the centre opened is refused (ENTRY.BEFORE_OPENING); a reversal is not', () => {
    const openedMidYear = { ...telemark, openedOn: '2013-07-01' } as CentreState;
    const base = { type: 'CorrectEntry' as const, centre: openedMidYear, party: null };
    spec.given([granted]).when({ ...base, data: { entryId: 'e1', centreId: 'telemark-kc', reason: 'r', changes: { fiscalYear: 2012 } } }).thenThrows('ENTRY.BEFORE_OPENING', 'rule');
    expect(spec.given([granted]).when({ ...base, data: { entryId: 'e1', centreId: 'telemark-kc', reason: 'r', changes: { fiscalYear: 2014 } } }).events()).toHaveLength(2);
    // An entry recorded before the rule for a year before the opening: it can be reversed, not corrected into that year again.
    const early: MoneyEntryEvent = { ...granted, data: { ...granted.data, fiscalYear: 2012 } } as MoneyEntryEvent;
    spec.given([early]).when({ ...base, data: { entryId: 'e1', centreId: 'telemark-kc', reason: 'r', changes: { amount: '1' } } }).thenThrows('ENTRY.BEFORE_OPENING', 'rule');
    expect(spec.given([early]).when({ ...base, data: { entryId: 'e1', centreId: 'telemark-kc', reason: 'r', changes: { fiscalYear: 2013 } } }).events()).toHaveLength(2);
    expect(spec.given([early]).when({ type: 'ReverseEntry', data: { entryId: 'e1', centreId: 'telemark-kc', reason: 'r' }, centre: openedMidYear }).events()).toHaveLength(1);
  });

  it('a correction that changes only a nested field (the period of earmarked funds or a tender award) is a change', () => {
    const earmarked: MoneyEntryEvent = { type: 'EarmarkedFundsRecorded', data: { ...granted.data, purpose: 'Prosjekt', period: { from: '2013-01-01', to: '2013-06-30' } } };
    const tender: MoneyEntryEvent = { type: 'TenderAwardRecorded', data: { ...granted.data, partyId: 'nav-telemark', contractReference: 'NAV-1', period: { from: '2013-03-01', to: null } } };
    const correct = (changes: EntryChanges): MoneyEntryCommand => ({ type: 'CorrectEntry', data: { entryId: 'e1', centreId: 'telemark-kc', reason: 'Feil periode', changes }, centre: telemark, party: null });
    const [, e] = spec.given([earmarked]).when(correct({ period: { from: '2013-01-01', to: '2013-12-31' } })).events();
    expect(e).toMatchObject({ type: 'EarmarkedFundsRecorded', data: { entryId: 'e1.c1', correctsEntryId: 'e1', period: { from: '2013-01-01', to: '2013-12-31' } } });
    const [, t] = spec.given([tender]).when(correct({ period: { from: '2013-03-01', to: '2014-02-28' } })).events();
    expect(t).toMatchObject({ type: 'TenderAwardRecorded', data: { period: { from: '2013-03-01', to: '2014-02-28' } } });
    expect(spec.given([tender]).when(correct({ period: { from: '2013-04-01', to: null } })).events()).toHaveLength(2);
    // the same period again, even with its keys in another order, still changes nothing
    spec.given([earmarked]).when(correct({ period: { to: '2013-06-30', from: '2013-01-01' } })).thenThrows('ENTRY.CORRECTION_CHANGES_NOTHING', 'rule');
    spec.given([tender]).when(correct({ period: { from: '2013-03-01', to: null } })).thenThrows('ENTRY.CORRECTION_CHANGES_NOTHING', 'rule');
  });
});
