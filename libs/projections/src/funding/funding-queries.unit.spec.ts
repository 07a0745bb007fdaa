import { foldEvents } from '../projection';
import { largestRemainderTenths, formatStaffYears, roundDiv } from './exact';
import { agreementCompliance, costShareCompliance } from './cost-share';
import { centreFundingMix, countryFundingMix, countyFundingMix } from './funding-mix';
import { fundingProjection } from './funding-view';
import { keyFigures, keyFiguresCsv } from './key-figures';
import { memo } from './memo';
import { centreStaffPositions } from './staff-positions';
import { addYearAgg, emptyYearAgg, personsOnDecember31, staffOfYear } from './staff-years';
import { recorded } from './test-events';

const base = [
  { type: 'CountyRegistered', data: { countyId: 'telemark', name: 'Telemark', countyNumber: '08' } },
  { type: 'CountyRegistered', data: { countyId: 'vest-agder', name: 'Vest-Agder', countyNumber: '10' } },
  { type: 'CountyRegistered', data: { countyId: 'finnmark', name: 'Finnmark', countyNumber: '20' } },
  { type: 'CentreRegistered', data: { centreId: 'tm', countyId: 'telemark', name: 'Telemark', municipality: 'Skien', openedOn: '2009-09-01' } },
  { type: 'CentreRegistered', data: { centreId: 'krs', countyId: 'vest-agder', name: 'Kristiansand', municipality: 'Kristiansand', openedOn: '2009-01-01' } },
  { type: 'CentreRegistered', data: { centreId: 'lister', countyId: 'vest-agder', name: 'Lister', municipality: 'Flekkefjord', openedOn: '2010-01-01' } },
  { type: 'CentreRegistered', data: { centreId: 'late', countyId: 'vest-agder', name: 'Opened 2014', municipality: 'Mandal', openedOn: '2014-01-01' } },
  { type: 'PartyRegistered', data: { partyId: 'tm-fk', name: 'Telemark fylkeskommune', kind: 'county-authority', countyId: 'telemark', organisationNumber: null } },
  { type: 'PartyRegistered', data: { partyId: 'nav-tm', name: 'NAV Telemark', kind: 'nav-county-office', countyId: 'telemark', organisationNumber: null } },
  { type: 'PartyRegistered', data: { partyId: 'va-fk', name: 'Vest-Agder fylkeskommune', kind: 'county-authority', countyId: 'vest-agder', organisationNumber: null } },
  { type: 'PartyRegistered', data: { partyId: 'nav-va', name: 'NAV Vest-Agder', kind: 'nav-county-office', countyId: 'vest-agder', organisationNumber: null } },
];
const entry = (type: string, entryId: string, centreId: string, countyId: string, partyId: string, amountOre: number | null, extra: object = {}) => ({
  type,
  data: { entryId, centreId, countyId, fiscalYear: 2013, partyId, amountOre, decidedOn: '2013-01-01', reference: null, note: null, correctsEntryId: null, ...extra },
});
const op = (id: string, c: string, county: string, p: string, ore: number | null) => entry('OperatingGrantRecorded', id, c, county, p, ore);
const ear = (id: string, c: string, county: string, p: string, ore: number | null) => entry('EarmarkedFundsRecorded', id, c, county, p, ore, { purpose: 'x', period: { from: '2013-01-01', to: null } });

const telemark2013 = [
  op('tm-op-fk', 'tm', 'telemark', 'tm-fk', 2_363_000_00),
  ear('tm-ear-fk', 'tm', 'telemark', 'tm-fk', 731_000_00),
  op('tm-op-nav', 'tm', 'telemark', 'nav-tm', 1_325_000_00),
  ear('tm-ear-nav', 'tm', 'telemark', 'nav-tm', null),
];

describe('key figures: the indicator rule and the CSV', () => {
  const view = foldEvents(fundingProjection, recorded([
    ...base,
    ...telemark2013,
    op('krs-op', 'krs', 'vest-agder', 'va-fk', 1_000_000_00),
    ear('krs-ear-nav', 'krs', 'vest-agder', 'nav-va', 200_000_00),
    ear('lister-ear-nav', 'lister', 'vest-agder', 'nav-va', null),
    op('late-op', 'late', 'vest-agder', 'nav-va', 5_00),
  ]));
  const kf = keyFigures(view, 2013);
  const va = kf.counties.find((c) => c.countyId === 'vest-agder')!;

  it('lists only counties with a centre that year, in county-number order; a centre opened later does not count', () => {
    expect(kf.counties.map((c) => c.countyId)).toEqual(['telemark', 'vest-agder']);
    expect(va.centres).toBe(2);
    expect(va.centreIds).toEqual(['krs', 'lister']);
    expect(keyFigures(view, 2014).counties.find((c) => c.countyId === 'vest-agder')!.centres).toBe(3);
  });

  it('Ja when every centre has it, Varierer when some do, - when none; the NOK total is the county\'s', () => {
    expect(va.money['operatingGrant.countyAuthority']).toMatchObject({ indicator: 'Varierer', centresWith: 1, amount: '1000000.00' });
    expect(va.money['earmarked.navCountyOffice']).toMatchObject({ indicator: 'Ja', centresWith: 2, amount: '200000.00', entries: 2, unreportedEntries: 1 });
    expect(va.money['operatingGrant.navCountyOffice']).toMatchObject({ indicator: '-', amount: null });
  });

  it('the CSV marks a total with unreported entries, and "ikke oppgitt" when no amount was reported at all', () => {
    const csv = keyFiguresCsv(kf);
    const lines = csv.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('Nøkkeltall 2013,Telemark,Vest-Agder');
    expect(lines).toContain('"Øremerkede midler fra NAV fylke, kr",ikke oppgitt,200000.00 + ikke oppgitt');
    expect(lines).toContain('Driftsmidler fra fylkeskommunen,Ja,Varierer');
    expect(lines).toContain('Antall karrieresentre,1,2');
  });

  it('a reversal takes an entry out of the indicator and the total; a reversed unreported entry leaves the list', () => {
    const v2 = foldEvents(fundingProjection, recorded([
      { type: 'EntryReversed', data: { entryId: 'lister-ear-nav.reversal', reversedEntryId: 'lister-ear-nav', centreId: 'lister', countyId: 'vest-agder', fiscalYear: 2013, reason: 'r', entryKind: 'earmarked', partyId: 'nav-va', amountOre: null, estimatedValueOre: null, correctedByEntryId: null } },
    ], 100), JSON.parse(JSON.stringify(view)));
    const va2 = keyFigures(v2, 2013).counties.find((c) => c.countyId === 'vest-agder')!;
    expect(va2.money['earmarked.navCountyOffice']).toMatchObject({ indicator: 'Varierer', centresWith: 1, amount: '200000.00', unreportedEntries: 0 });
    expect(v2.money[2013].lister.unreported).toEqual({});
  });
});

describe('funding mix: shares, budget against actual', () => {
  it('largest remainder: thirds become 33.4 + 33.3 + 33.3 (ties to the larger amount, then the id)', () => {
    expect(largestRemainderTenths([{ key: 'b', ore: 100 }, { key: 'a', ore: 100 }, { key: 'c', ore: 100 }])).toEqual({ a: 334, b: 333, c: 333 });
    expect(largestRemainderTenths([{ key: 'x', ore: 1 }, { key: 'y', ore: 2 }])).toEqual({ x: 333, y: 667 });
    expect(largestRemainderTenths([{ key: 'x', ore: 0 }])).toEqual({});
    // 2/3 of 1000 = 666.67 → 667, 1/6 = 166.67 → 167 would be 1001 if rounded each: the rule gives 1000
    const s = largestRemainderTenths([{ key: 'a', ore: 4 }, { key: 'b', ore: 1 }, { key: 'c', ore: 1 }]);
    expect(s.a + s.b + s.c).toBe(1000);
  });

  it('budget against actual by line from an adopted board budget; a rejected budget is ignored', () => {
    const view = foldEvents(fundingProjection, recorded([
      ...base,
      ...telemark2013,
      { type: 'ProposalClosed', data: { proposalId: 'b-rejected', boardId: 'bd', countyId: 'telemark', centreIds: ['tm'], kind: 'budget', year: 2013, outcome: 'rejected', closedOn: '2012-12-01', content: { lines: [{ partyId: 'tm-fk', moneyKind: 'operating-grant', amountOre: 1 }] } } },
      { type: 'ProposalClosed', data: { proposalId: 'b-2013', boardId: 'bd', countyId: 'telemark', centreIds: ['tm'], kind: 'budget', year: 2013, outcome: 'adopted', closedOn: '2012-12-01', content: { lines: [{ partyId: 'tm-fk', moneyKind: 'operating-grant', amountOre: 2_400_000_00 }, { partyId: 'nav-tm', moneyKind: 'earmarked', amountOre: 300_000_00 }] } } },
    ]));
    const mix = centreFundingMix(view, 'tm', 2013)!;
    expect(mix.budget).toEqual({
      decisionIds: [{ source: 'board', boardId: 'bd', proposalId: 'b-2013' }],
      coversCentreIds: ['tm'],
      overlaps: [],
      lines: [
        { partyId: 'tm-fk', moneyKind: 'operating-grant', budget: '2400000.00', actual: '2363000.00', difference: '-37000.00', actualUnreportedEntries: 0 },
        { partyId: 'nav-tm', moneyKind: 'earmarked', budget: '300000.00', actual: null, difference: null, actualUnreportedEntries: 1 },
      ],
    });
    expect(centreFundingMix(view, 'tm', 2014)!.budget).toBeNull();
  });

  it('a later adopted budget replaces the earlier one; the superseded budget leaves the view', () => {
    const budget = (id: string, amountOre: number, closedOn = '2012-12-01') => ({ type: 'ProposalClosed', data: { proposalId: id, boardId: 'bd', countyId: 'telemark', centreIds: ['tm'], kind: 'budget', year: 2013, outcome: 'adopted', closedOn, content: { lines: [{ partyId: 'tm-fk', moneyKind: 'operating-grant', amountOre }] } } });
    const view = foldEvents(fundingProjection, recorded([...base, ...telemark2013, budget('b1', 1_00), budget('b2', 2_400_000_00)]));
    expect(centreFundingMix(view, 'tm', 2013)!.budget!.lines[0]).toMatchObject({ budget: '2400000.00', difference: '-37000.00' });
    expect(Object.keys(view.budgets[2013].decisions)).toEqual(['board:bd:b2']);
    // Recorded afterwards but decided earlier: neither in force nor kept.
    foldEvents(fundingProjection, recorded([budget('b0', 5_00, '2012-11-01')], 900), view);
    expect(Object.keys(view.budgets[2013].decisions)).toEqual(['board:bd:b2']);
    // Without a decision date a budget cannot be ordered: skipped.
    foldEvents(fundingProjection, recorded([budget('b-undated', 7_00, 'soon')], 901), view);
    expect(centreFundingMix(view, 'tm', 2013)!.budget!.decisionIds).toEqual([{ source: 'board', boardId: 'bd', proposalId: 'b2' }]);
  });

  it('answers are cached per view revision and recomputed after the next event', () => {
    const view = foldEvents(fundingProjection, recorded([...base, ...telemark2013]));
    const a = memo(view, 'k', () => keyFigures(view, 2013));
    expect(memo(view, 'k', () => keyFigures(view, 2013))).toBe(a);
    foldEvents(fundingProjection, recorded([op('tm-more', 'tm', 'telemark', 'tm-fk', 1_00)], 500), view);
    const b = memo(view, 'k', () => keyFigures(view, 2013));
    expect(b).not.toBe(a);
    expect(b.counties[0].money['operatingGrant.countyAuthority'].amount).toBe('2363001.00');
  });

  it('a county-line budget for several centres compares with the actual of all of them', () => {
    const view = foldEvents(fundingProjection, recorded([
      ...base,
      op('krs-op', 'krs', 'vest-agder', 'va-fk', 2_730_000_00),
      op('lister-op', 'lister', 'vest-agder', 'va-fk', 1_365_000_00),
      { type: 'CountyLineDecisionRecorded', data: { decisionId: 'va-budget-2013', countyId: 'vest-agder', centreIds: ['krs', 'lister'], kind: 'budget', year: 2013, decidedOn: '2012-12-11', content: { lines: [{ partyId: 'va-fk', moneyKind: 'operating-grant', amountOre: 4_000_000_00 }] }, governedBy: 'county-line' } },
    ]));
    expect(centreFundingMix(view, 'lister', 2013)!.budget).toEqual({
      decisionIds: [{ source: 'county-line', countyId: 'vest-agder', decisionId: 'va-budget-2013' }],
      coversCentreIds: ['krs', 'lister'],
      overlaps: [],
      lines: [{ partyId: 'va-fk', moneyKind: 'operating-grant', budget: '4000000.00', actual: '4095000.00', difference: '95000.00', actualUnreportedEntries: 0 }],
    });
  });

  it('the country total is the sum of its counties; in-kind stays outside every total', () => {
    const view = foldEvents(fundingProjection, recorded([
      ...base,
      ...telemark2013,
      op('krs-op', 'krs', 'vest-agder', 'va-fk', 1_00),
      entry('InKindContributionRecorded', 'ik', 'krs', 'vest-agder', 'va-fk', null, { inKindKind: 'premises', estimatedValueOre: 99_999_00 }),
    ]));
    const mix = countryFundingMix(view, 2013);
    expect(mix.total.amountOre).toBe(2_363_000_00 + 731_000_00 + 1_325_000_00 + 1_00);
    expect(mix.parts!.map((p) => [p.id, p.total.amountOre])).toEqual([['telemark', 4_419_000_00], ['vest-agder', 1_00], ['finnmark', 0]]);
    expect(mix.inKind).toEqual([expect.objectContaining({ partyId: 'va-fk', estimatedValue: '99999.00' })]);
  });

  it('county and country mixes count only the centres that exist in the year, as the key figures do; a centre\'s own mix shows all recorded for it', () => {
    const staff = (positionId: string, centreId: string, startedOn: string) => ({ type: 'StaffPositionStarted', data: { positionId, centreId, countyId: 'vest-agder', title: 'Veileder', employerKind: 'county-authority', employerPartyId: null, fteMilli: 1000, payer: { kind: 'centre' }, annualCostOre: null, startedOn } });
    const view = foldEvents(fundingProjection, recorded([
      ...base,
      ...telemark2013,
      op('krs-op', 'krs', 'vest-agder', 'va-fk', 100_00),
      // 'late' opens in 2014: money and staff recorded for 2013 do not belong to the county's 2013
      // (the deciders now refuse both, ENTRY.BEFORE_OPENING and STAFF.BEFORE_OPENING; a ledger written before that may hold them)
      op('late-op', 'late', 'vest-agder', 'va-fk', 500_00),
      staff('late-p', 'late', '2013-01-01'),
      // 'lister' closes at the end of 2013 with a position still open: it is out of the county from 2014
      staff('lister-p', 'lister', '2013-01-01'),
      staff('krs-p', 'krs', '2013-01-01'),
      { type: 'CentreClosed', data: { centreId: 'lister', closedOn: '2013-12-31', reason: 'Slått sammen' } },
      { ...op('lister-2014', 'lister', 'vest-agder', 'va-fk', 7_00), data: { ...op('lister-2014', 'lister', 'vest-agder', 'va-fk', 7_00).data, fiscalYear: 2014 } },
    ]));
    const kf = (year: number) => keyFigures(view, year, ['vest-agder']).counties[0];

    const y2013 = countyFundingMix(view, 'vest-agder', 2013)!;
    expect(y2013.centreIds).toEqual(kf(2013).centreIds);
    expect(y2013.centreIds).toEqual(['krs', 'lister']);
    expect(y2013.parts!.map((p) => p.id)).toEqual(['krs', 'lister']);
    expect([y2013.total.amount, y2013.staff.staffYears]).toEqual([kf(2013).money['operatingGrant.countyAuthority'].amount, kf(2013).staffYears]);
    expect([y2013.total.amount, y2013.staff.staffYears]).toEqual(['100.00', '2.0']);

    const y2014 = countyFundingMix(view, 'vest-agder', 2014)!;
    expect(y2014.centreIds).toEqual(['krs', 'late']);
    expect([y2014.total.amountOre, y2014.total.entries, y2014.staff.staffYears]).toEqual([kf(2014).money['operatingGrant.countyAuthority'].amountOre, kf(2014).money['operatingGrant.countyAuthority'].entries, kf(2014).staffYears]);
    expect([y2014.total.amountOre, y2014.total.entries, y2014.staff.staffYears]).toEqual([0, 0, '2.0']);

    // the country mix and its per-county parts follow the same rule
    const country = countryFundingMix(view, 2013);
    expect(country.centreIds).toEqual(['tm', 'krs', 'lister']);
    expect(country.total.amountOre).toBe(4_419_000_00 + 100_00);
    expect(country.staff.staffYears).toBe('2.0');
    expect(country.parts!.map((p) => [p.id, p.total.amountOre])).toEqual([['telemark', 4_419_000_00], ['vest-agder', 100_00], ['finnmark', 0]]);
    expect(countryFundingMix(view, 2014).parts!.find((p) => p.id === 'vest-agder')!.total.entries).toBe(0);

    // a centre's own mix shows the money recorded for it, whatever its dates; its staff count no day it is closed
    expect(centreFundingMix(view, 'late', 2013)!).toMatchObject({ total: { amount: '500.00' }, staff: { staffYears: '1.0' } });
    expect(centreFundingMix(view, 'lister', 2014)!).toMatchObject({ total: { amount: '7.00' }, staff: { staffYears: '0.0' } });
    // 2013: 1 January – 30 December (closed from 31 December), 364 days, and nobody there on 31.12
    expect(centreFundingMix(view, 'lister', 2013)!.staff.staffYearsExact.fteDays).toBe(364_000);
    expect(keyFigures(view, 2013, ['vest-agder']).counties[0].staffYearsExact.fteDays).toBe(365_000 + 364_000);
  });
});

describe('a centre\'s name in a year', () => {
  const renamed = (name: string, effectiveFrom: string) => ({ type: 'CentreRenamed', data: { centreId: 'krs', name, previousName: 'x', effectiveFrom } });
  // Recorded out of date order: a rename from 2099 first, then one from mid-2013, then one from March 2013.
  const view = foldEvents(fundingProjection, recorded([
    ...base,
    op('krs-op', 'krs', 'vest-agder', 'va-fk', 1_00),
    renamed('Fremtidig navn', '2099-01-01'),
    renamed('Karriere Sør', '2013-07-01'),
    renamed('Mellomnavn', '2013-03-01'),
  ]));

  it('is the name in force on 31 December (the registered name before any rename), not the last recorded', () => {
    const name = (year: number) => centreFundingMix(view, 'krs', year)!.scope.name;
    expect([2012, 2013, 2098, 2099].map(name)).toEqual(['Kristiansand', 'Karriere Sør', 'Karriere Sør', 'Fremtidig navn']);
    expect(countyFundingMix(view, 'vest-agder', 2012)!.parts!.find((p) => p.id === 'krs')!.name).toBe('Kristiansand');
    expect(countyFundingMix(view, 'vest-agder', 2013)!.parts!.find((p) => p.id === 'krs')!.name).toBe('Karriere Sør');
  });

  it('survives a snapshot: a view read back names every year alike', () => {
    const stored = fundingProjection.serialize!(view) as { state: string; parts: Record<string, string> };
    for (const purpose of ['live', 'as-of'] as const) {
      const back = fundingProjection.deserialize!(stored.state, purpose, (key) => stored.parts[key]);
      expect([2012, 2013, 2099].map((y) => centreFundingMix(back, 'krs', y)!.scope.name)).toEqual(['Kristiansand', 'Karriere Sør', 'Fremtidig navn']);
    }
  });

  it('a rename without a date (another writer) is skipped, never folded into the names', () => {
    const v = foldEvents(fundingProjection, recorded([{ type: 'CentreRenamed', data: { centreId: 'krs', name: 'Udatert' } }], 100), JSON.parse(JSON.stringify(view)));
    expect(v.centres.krs.names.map((n: { name: string }) => n.name)).not.toContain('Udatert');
  });
});

describe('owner cost-share compliance', () => {
  const agreement = { type: 'OwnerAgreementRegistered', data: { agreementId: 'tm-owners', centreId: 'tm', countyId: 'telemark', parties: [{ partyId: 'tm-fk', shareBp: 5000 }, { partyId: 'nav-tm', shareBp: 5000 }], period: { from: '2009-09-01', to: null }, signedOn: '2009-06-15' } };
  const navStaff = { type: 'StaffPositionStarted', data: { positionId: 'nav-1', centreId: 'tm', countyId: 'telemark', title: 'Veileder', employerKind: 'nav-county-office', employerPartyId: 'nav-tm', fteMilli: 1000, payer: { kind: 'party', partyId: 'nav-tm' }, annualCostOre: 365_000_00, startedOn: '2013-07-01' } };

  it('50/50: each party\'s money against its agreed half, in percentage points and NOK', () => {
    const view = foldEvents(fundingProjection, recorded([...base, ...telemark2013, agreement]));
    const c = agreementCompliance(view, 'tm', 'tm-owners', 2013)!;
    expect(c).toMatchObject({ agreementId: 'tm-owners', daysInForce: 365, ownersActualTotal: '4419000.00', complete: false });
    expect(c.parties.map((p) => [p.partyId, p.agreedSharePercent, p.actual, p.actualSharePercent, p.differencePercentagePoints, p.differenceNok])).toEqual([
      ['tm-fk', '50.0', '3094000.00', '70.0', '20.0', '884500.00'],
      ['nav-tm', '50.0', '1325000.00', '30.0', '-20.0', '-884500.00'],
    ]);
    expect(c.parties[1].moneyUnreportedEntries).toBe(1);
  });

  it('staff a party pays directly count at their annual cost pro-rated by days; an amendment mid-year weighs the agreed shares by days', () => {
    const amended = { type: 'OwnerAgreementAmended', data: { agreementId: 'tm-owners', centreId: 'tm', countyId: 'telemark', effectiveFrom: '2013-07-01', parties: [{ partyId: 'tm-fk', shareBp: 6000 }, { partyId: 'nav-tm', shareBp: 4000 }], period: { from: '2009-09-01', to: null } } };
    const view = foldEvents(fundingProjection, recorded([...base, ...telemark2013, agreement, amended, navStaff]));
    const c = agreementCompliance(view, 'tm', 'tm-owners', 2013)!;
    // NAV: 1 325 000 + 365 000 × 184/365 = 1 509 000 of 4 603 000 = 32.78 %; agreed (50 % × 181 + 40 % × 184)/365 = 44.96 %
    expect(c.parties.find((p) => p.partyId === 'nav-tm')).toMatchObject({ staffValue: '184000.00', actual: '1509000.00', agreedSharePercent: '45.0', actualSharePercent: '32.8', differencePercentagePoints: '-12.2', differenceNok: '-560458.36' });
    expect(c.parties.find((p) => p.partyId === 'tm-fk')).toMatchObject({ agreedSharePercent: '55.0', differencePercentagePoints: '12.2', differenceNok: '560458.36' });
  });

  it('a terminated agreement counts only until the day before; outside its period it is not listed', () => {
    const terminated = { type: 'OwnerAgreementTerminated', data: { agreementId: 'tm-owners', centreId: 'tm', countyId: 'telemark', effectiveFrom: '2013-04-01' } };
    const view = foldEvents(fundingProjection, recorded([...base, ...telemark2013, agreement, terminated]));
    expect(agreementCompliance(view, 'tm', 'tm-owners', 2013)!.daysInForce).toBe(90);
    expect(costShareCompliance(view, 2014)).toEqual([]);
    expect(costShareCompliance(view, 2013, 'vest-agder')).toEqual([]);
    expect(costShareCompliance(view, 2013).map((c) => c.agreementId)).toEqual(['tm-owners']);
  });

  it('two centres with the same agreement id: each keeps its own terms, amendments and compliance', () => {
    const krs = { type: 'OwnerAgreementRegistered', data: { ...agreement.data, centreId: 'krs', countyId: 'vest-agder', parties: [{ partyId: 'va-fk', shareBp: 10000 }] } };
    const amendKrs = { type: 'OwnerAgreementAmended', data: { agreementId: 'tm-owners', centreId: 'krs', countyId: 'vest-agder', effectiveFrom: '2013-07-01', parties: [{ partyId: 'va-fk', shareBp: 6000 }, { partyId: 'nav-va', shareBp: 4000 }], period: { from: '2009-09-01', to: null } } };
    const view = foldEvents(fundingProjection, recorded([...base, ...telemark2013, agreement, krs, amendKrs]));
    expect(view.agreementCentres).toEqual({ 'tm-owners': ['tm', 'krs'] });
    expect(costShareCompliance(view, 2013).map((c) => [c.agreementId, c.centreId])).toEqual([['tm-owners', 'krs'], ['tm-owners', 'tm']]);
    expect(agreementCompliance(view, 'tm', 'tm-owners', 2013)!.parties.map((p) => [p.partyId, p.agreedSharePercent])).toEqual([['tm-fk', '50.0'], ['nav-tm', '50.0']]);
    expect(agreementCompliance(view, 'krs', 'tm-owners', 2013)!.parties.map((p) => [p.partyId, p.agreedSharePercent])).toEqual([['va-fk', '79.8'], ['nav-va', '20.2']]); // (100 % × 181 + 60 % × 184 days) / 365
    expect(agreementCompliance(view, 'lister', 'tm-owners', 2013)).toBeNull();
  });

  it('actual shares follow the funding mix\'s rule: they add up to exactly 100.0', () => {
    // Thirds: 33.3 each by rounding alone would add up to 99.9; the missing tenth goes to the first id of equal remainders.
    const three = { type: 'OwnerAgreementRegistered', data: { ...agreement.data, centreId: 'lister', countyId: 'vest-agder', agreementId: 'thirds', parties: [{ partyId: 'va-fk', shareBp: 3333 }, { partyId: 'nav-va', shareBp: 3333 }, { partyId: 'tm-fk', shareBp: 3334 }] } };
    const view = foldEvents(fundingProjection, recorded([...base, three, op('l1', 'lister', 'vest-agder', 'va-fk', 100_00), op('l2', 'lister', 'vest-agder', 'nav-va', 100_00), op('l3', 'lister', 'vest-agder', 'tm-fk', 100_00)]));
    const c = agreementCompliance(view, 'lister', 'thirds', 2013)!;
    expect(c.parties.map((p) => [p.partyId, p.actualSharePercent])).toEqual([['va-fk', '33.3'], ['nav-va', '33.4'], ['tm-fk', '33.3']]);
    expect(c.parties.map((p) => [p.partyId, p.actualSharePercent]).sort()).toEqual(centreFundingMix(view, 'lister', 2013)!.byParty.map((p) => [p.partyId, p.sharePercent]).sort());
  });
});

describe('robustness: the fold never throws and never folds garbage', () => {
  it('a reversal without the copied kind, party and amount (an older or foreign writer) is skipped; so are malformed staff events', () => {
    const view = foldEvents(fundingProjection, recorded([
      ...base,
      ...telemark2013,
      { type: 'EntryReversed', data: { entryId: 'x', reversedEntryId: 'tm-op-fk', centreId: 'tm', countyId: 'telemark', fiscalYear: 2013, reason: 'r' } },
      { type: 'StaffPositionStarted', data: { positionId: 'bad', centreId: 'tm' } },
      { type: 'StaffPositionChanged', data: { positionId: 'bad', effectiveFrom: 'soon' } },
      { type: 'StaffPositionEnded', data: { positionId: 'nobody', endedOn: '2013-01-01' } },
      { type: 'OperatingGrantRecorded', data: { entryId: 'no-year', centreId: 'tm', partyId: 'tm-fk', amountOre: 5 } },
    ]));
    expect(centreFundingMix(view, 'tm', 2013)!.total.amountOre).toBe(4_419_000_00);
    expect(Object.keys(view.money[2013].tm.k).sort()).toEqual(['earmarked', 'operating-grant']);
    expect(view.positions).toEqual({});
  });
});

describe('exact helpers', () => {
  it('staff-years round once, halves up: 0.05 → 0.1, 0.0499… → 0.0', () => {
    expect(formatStaffYears(18_250, 2013)).toBe('0.1'); // 18 250 / 365 000 = 0.05
    expect(formatStaffYears(18_249, 2013)).toBe('0.0');
    expect(formatStaffYears(366_000 * 3, 2012)).toBe('3.0'); // a leap year
    expect(roundDiv(-5n, 2n)).toBe(-3n);
  });
});

describe('a centre closed with positions still open: no day from closedOn counts', () => {
  const navStaff = { type: 'StaffPositionStarted', data: { positionId: 'nav-1', centreId: 'tm', countyId: 'telemark', title: 'Veileder', employerKind: 'nav-county-office', employerPartyId: 'nav-tm', fteMilli: 1000, payer: { kind: 'party', partyId: 'nav-tm' }, annualCostOre: 365_000_00, startedOn: '2012-01-01' } };
  const fkStaff = { type: 'StaffPositionStarted', data: { positionId: 'fk-1', centreId: 'tm', countyId: 'telemark', title: 'Leder', employerKind: 'county-authority', employerPartyId: 'tm-fk', fteMilli: 500, payer: { kind: 'centre' }, annualCostOre: null, startedOn: '2013-03-01' } };
  const agreement = { type: 'OwnerAgreementRegistered', data: { agreementId: 'tm-owners', centreId: 'tm', countyId: 'telemark', parties: [{ partyId: 'tm-fk', shareBp: 5000 }, { partyId: 'nav-tm', shareBp: 5000 }], period: { from: '2009-09-01', to: null }, signedOn: '2009-06-15' } };
  const closed = { type: 'CentreClosed', data: { centreId: 'tm', closedOn: '2013-07-01', reason: 'Lagt ned' } };
  const figures = (view: ReturnType<typeof fundingProjection.initial>) => ({
    k13: keyFigures(view, 2013, ['telemark']).counties[0],
    own13: centreFundingMix(view, 'tm', 2013)!.staff,
    own14: centreFundingMix(view, 'tm', 2014)!.staff,
    cost13: agreementCompliance(view, 'tm', 'tm-owners', 2013)!.parties.find((p) => p.partyId === 'nav-tm')!.staffValue,
  });

  it('staff-years, persons on 31.12 and directly paid value stop the day before closedOn, whether the closing is recorded after the positions or before a late one', () => {
    // 1 January – 30 June 2013: 181 days at 1.0 (NAV); 1 March – 30 June: 122 days at 0.5 (the county authority)
    for (const order of [[navStaff, fkStaff, agreement, closed], [navStaff, agreement, closed, fkStaff]]) {
      const { k13, own13, own14, cost13 } = figures(foldEvents(fundingProjection, recorded([...base, ...order])));
      expect([k13.staffYearsExact.fteDays, Object.values(k13.personsByEmployer).reduce((a, b) => a + b, 0), k13.fullTime]).toEqual([181_000 + 122 * 500, 0, 0]);
      expect([own13.staffYearsExact.fteDays, own13.paidDirectly.map((p) => [p.partyId, p.value])]).toEqual([181_000 + 122 * 500, [['nav-tm', '181000.00']]]);
      expect([own14.staffYears, own14.staffYearsExact.fteDays, own14.paidDirectly]).toEqual(['0.0', 0, []]);
      expect(cost13).toBe('181000.00');
    }
  });

  it('the listing says where the figures stop: countedUntil is the day before closedOn for a position left open (endedOn null), the end for one ended before the closing, null at an open centre', () => {
    const ended = { type: 'StaffPositionEnded', data: { positionId: 'fk-1', centreId: 'tm', countyId: 'telemark', endedOn: '2013-05-31' } };
    const open = foldEvents(fundingProjection, recorded([...base, navStaff, fkStaff, agreement]));
    expect(centreStaffPositions(open, 'tm').map((l) => [l.positionId, l.endedOn, l.countedUntil])).toEqual([['nav-1', null, null], ['fk-1', null, null]]);
    const view = foldEvents(fundingProjection, recorded([...base, navStaff, fkStaff, agreement, ended, closed]));
    const lines = centreStaffPositions(view, 'tm', 2013);
    expect(lines.map((l) => [l.positionId, l.endedOn, l.countedUntil, l.year!.fteDays])).toEqual([
      ['nav-1', null, '2013-06-30', 181_000],
      ['fk-1', '2013-05-31', '2013-05-31', 92 * 500],
    ]);
  });

  it('an as-of view folding the closing forward from a snapshot (parts read lazily) answers as the view folded from the start', () => {
    const before = foldEvents(fundingProjection, recorded([...base, navStaff, fkStaff, agreement]));
    const stored = fundingProjection.serialize!(before) as { state: string; parts: Record<string, string> };
    const asOf = fundingProjection.deserialize!(stored.state, 'as-of', (key) => stored.parts[key]);
    foldEvents(fundingProjection, recorded([closed], base.length + 4), asOf);
    const whole = foldEvents(fundingProjection, recorded([...base, navStaff, fkStaff, agreement, closed]));
    expect(JSON.stringify(figures(asOf))).toBe(JSON.stringify(figures(whole)));
    expect(figures(whole).own14.staffYearsExact.fteDays).toBe(0);
  });
});

describe('persons on 31.12 with a personId: counted per scope (centre, county, country)', () => {
  const pos = (positionId: string, centreId: string, countyId: string, employerKind: string, fteMilli: number, startedOn: string, personId?: string) => ({
    type: 'StaffPositionStarted',
    data: { positionId, centreId, countyId, title: 'Veileder', employerKind, employerPartyId: null, fteMilli, payer: { kind: 'centre' }, annualCostOre: null, startedOn, ...(personId === undefined ? {} : { personId }) },
  });
  const end = (positionId: string, centreId: string, countyId: string, endedOn: string) => ({ type: 'StaffPositionEnded', data: { positionId, centreId, countyId, endedOn } });
  const staff = [
    // Kari: 50 % at each of two Vest-Agder centres; the Lister post started first, so in the county her employer is its NAV county office.
    pos('kari-krs', 'krs', 'vest-agder', 'county-authority', 500, '2012-01-01', 'E-1'),
    pos('kari-lister', 'lister', 'vest-agder', 'nav-county-office', 500, '2011-06-01', 'E-1'),
    // Ola: 60 % and 30 % at Kristiansand: one person, employed by the county authority (the larger FTE), full time (0.9).
    pos('ola-b', 'krs', 'vest-agder', 'centre', 300, '2010-01-01', 'E-2'),
    pos('ola-a', 'krs', 'vest-agder', 'county-authority', 600, '2012-01-01', 'E-2'),
    // Per: 50 % in Telemark and 50 % in Vest-Agder: one person in each county, full time in neither.
    pos('per-tm', 'tm', 'telemark', 'municipality', 500, '2012-01-01', 'E-3'),
    pos('per-krs', 'krs', 'vest-agder', 'other', 500, '2012-01-01', 'E-3'),
    // A position without a personId is a person of its own, as before.
    pos('anon', 'krs', 'vest-agder', 'county-authority', 1000, '2012-01-01'),
  ];
  const view = foldEvents(fundingProjection, recorded([...base, ...staff]));
  const centre = (id: string, year = 2013) => personsOnDecember31(staffOfYear(view.staff[id], year));
  const county = (id: string, year = 2013) => keyFigures(view, year, [id]).counties[0];
  const persons = (c: { personsByEmployer: Record<string, number> }) => Object.fromEntries(Object.entries(c.personsByEmployer).filter(([, n]) => n > 0));

  it('a person at two centres of a county is one person in the county, full time, and one part-time person at each centre', () => {
    expect(centre('lister')).toEqual({ persons: { 'nav-county-office': 1 }, fullTime: 0, total: 1 });
    // At Kristiansand: Kari (0.5), Ola (0.9, full time), Per (0.5), the unnamed position (1.0, full time).
    expect(centre('krs')).toEqual({ persons: { 'county-authority': 3, other: 1 }, fullTime: 2, total: 4 });
    const va = county('vest-agder');
    // Kari counts once, under the employer of her earlier-started post (tie on FTE); the rows add up to the persons.
    expect([persons(va), va.fullTime]).toEqual([{ 'county-authority': 2, 'nav-county-office': 1, other: 1 }, 3]);
    const tm = county('telemark');
    expect([persons(tm), tm.fullTime]).toEqual([{ municipality: 1 }, 0]);
  });

  it('the country counts each person once across counties: Per is one full-time person there', () => {
    const all = emptyYearAgg();
    for (const id of ['tm', 'krs', 'lister']) addYearAgg(all, staffOfYear(view.staff[id], 2013));
    // Per's 50 % posts are equal and started the same day: the lower position id (per-krs) names the employer.
    expect(personsOnDecember31(all)).toEqual({ persons: { 'county-authority': 2, 'nav-county-office': 1, other: 1 }, fullTime: 4, total: 4 });
  });

  it('the employer is the largest FTE\'s, then the position started first, then the lower position id; FTEs above 1.0 are full time', () => {
    const v = foldEvents(fundingProjection, recorded([
      ...base,
      pos('b', 'tm', 'telemark', 'municipality', 500, '2012-01-01', 'x'),
      pos('a', 'tm', 'telemark', 'other', 500, '2012-01-01', 'x'),
      pos('c', 'tm', 'telemark', 'centre', 500, '2012-06-01', 'x'),
      pos('big', 'tm', 'telemark', 'nav-local-office', 800, '2013-01-01', 'y'),
      pos('small', 'tm', 'telemark', 'centre', 700, '2011-01-01', 'y'),
    ]));
    const tm = keyFigures(v, 2013, ['telemark']).counties[0];
    expect([persons(tm), tm.fullTime]).toEqual([{ other: 1, 'nav-local-office': 1 }, 2]);
  });

  it('staff-years are FTE integrated over the year whatever the personIds; an ended post leaves the person\'s other post to count alone', () => {
    const unnamed = foldEvents(fundingProjection, recorded([...base, ...staff.map((e) => ({ ...e, data: { ...e.data, personId: undefined } }))]));
    for (const id of ['vest-agder', 'telemark']) expect(county(id).staffYearsExact).toEqual(keyFigures(unnamed, 2013, [id]).counties[0].staffYearsExact);
    expect(persons(keyFigures(unnamed, 2013, ['vest-agder']).counties[0])).toEqual({ 'county-authority': 3, 'nav-county-office': 1, centre: 1, other: 1 });
    const ended = foldEvents(fundingProjection, recorded([end('kari-lister', 'lister', 'vest-agder', '2013-06-30')]), JSON.parse(JSON.stringify(view)));
    const va13 = keyFigures(ended, 2013, ['vest-agder']).counties[0];
    const va12 = keyFigures(ended, 2012, ['vest-agder']).counties[0];
    expect([persons(va13), va13.fullTime]).toEqual([{ 'county-authority': 3, other: 1 }, 2]);
    expect([persons(va12), va12.fullTime]).toEqual([{ 'county-authority': 2, 'nav-county-office': 1, other: 1 }, 3]);
  });

  it('the figures and the listing are a function of the current end: a change cut off by an end moved earlier counts again once the end is moved past it', () => {
    const change = { type: 'StaffPositionChanged', data: { positionId: 'anon', centreId: 'krs', countyId: 'vest-agder', effectiveFrom: '2013-10-01', fteMilli: 500, payer: { kind: 'centre' }, annualCostOre: null } };
    const ends = (...days: string[]) => days.map((d) => end('anon', 'krs', 'vest-agder', d));
    const line = (events: { type: string; data: object }[]) => {
      const v = foldEvents(fundingProjection, recorded([...base, staff[6], change, ...events]));
      const [l] = centreStaffPositions(v, 'krs', 2013);
      return [l.endedOn, l.countedUntil, l.terms.map((t) => t.from), l.year!.fteDays, keyFigures(v, 2013, ['vest-agder']).counties[0].staffYearsExact.fteDays];
    };
    // Ended 30 June: the October change is not counted nor shown.
    expect(line(ends('2013-12-31', '2013-06-30'))).toEqual(['2013-06-30', '2013-06-30', ['2012-01-01'], 181_000, 181_000]);
    // Moved on to 31 December: as if it had ended there all along (273 days at 1.0, 92 at 0.5).
    const later = line(ends('2013-12-31', '2013-06-30', '2013-12-31'));
    expect(later).toEqual(['2013-12-31', '2013-12-31', ['2012-01-01', '2013-10-01'], 273_000 + 92 * 500, 273_000 + 92 * 500]);
    expect(later).toEqual(line(ends('2013-12-31')));
    // Moved to a day before the change: the change still waits.
    expect(line(ends('2013-06-30', '2013-09-30'))).toEqual(['2013-09-30', '2013-09-30', ['2012-01-01'], 273_000, 273_000]);
  });

  it('the listing shows each position\'s personId (null when none)', () => {
    const lines = centreStaffPositions(view, 'krs', 2013);
    expect(lines.map((l) => [l.positionId, l.personId, l.year!.onDecember31])).toEqual([
      ['ola-b', 'E-2', true],
      ['anon', null, true],
      ['kari-krs', 'E-1', true],
      ['ola-a', 'E-2', true],
      ['per-krs', 'E-3', true],
    ]);
  });
});
