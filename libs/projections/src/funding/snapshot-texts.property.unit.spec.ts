import fc from 'fast-check';
import { foldEvents } from '../projection';
import { FundingView, fundingProjection } from './funding-view';
import { recorded } from './test-events';

/**
 * The live funding view re-serialises only the snapshot parts changed since its last snapshot
 * (lazy-parts.ts keeps the others' texts). Every snapshot must still equal a fresh serialisation
 * of the same view: for random histories of every event the fold takes, snapshot after snapshot.
 */
const CENTRES = ['a1', 'a2', 'b1'];
const countyOf = (c: string) => c[0];
const PARTIES = ['fk', 'nav', 'kom'];
const KINDS = ['OperatingGrantRecorded', 'EarmarkedFundsRecorded', 'TenderAwardRecorded', 'OtherIncomeRecorded', 'InKindContributionRecorded'] as const;
const KIND_NAME: Record<(typeof KINDS)[number], string> = {
  OperatingGrantRecorded: 'operating-grant',
  EarmarkedFundsRecorded: 'earmarked',
  TenderAwardRecorded: 'tender',
  OtherIncomeRecorded: 'other-income',
  InKindContributionRecorded: 'in-kind',
};

const directory = [
  { type: 'CountyRegistered', data: { countyId: 'a', name: 'A', countyNumber: '01' } },
  { type: 'CountyRegistered', data: { countyId: 'b', name: 'B', countyNumber: '02' } },
  ...CENTRES.map((c) => ({ type: 'CentreRegistered', data: { centreId: c, countyId: countyOf(c), name: c, municipality: 'm', openedOn: '2000-01-01' } })),
  { type: 'PartyRegistered', data: { partyId: 'fk', kind: 'county-authority', name: 'fk', countyId: null, organisationNumber: null } },
  { type: 'PartyRegistered', data: { partyId: 'nav', kind: 'nav-county-office', name: 'nav', countyId: null, organisationNumber: null } },
  { type: 'PartyRegistered', data: { partyId: 'kom', kind: 'municipality', name: 'kom', countyId: null, organisationNumber: null } },
];

const date = fc.record({ y: fc.integer({ min: 2011, max: 2015 }), m: fc.integer({ min: 1, max: 12 }), d: fc.integer({ min: 1, max: 28 }) }).map(({ y, m, d }) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
const payer = fc.oneof(fc.constant({ kind: 'centre' }), fc.constantFrom(...PARTIES).map((partyId) => ({ kind: 'party', partyId })));
const shares = fc.constantFrom([{ partyId: 'fk', shareBp: 10000 }], [{ partyId: 'fk', shareBp: 5000 }, { partyId: 'nav', shareBp: 5000 }]);

type Ev = { type: string; data: object };
/** One event; `n` numbers entries so a reversal can name an earlier one. */
const eventArb: fc.Arbitrary<(n: number) => Ev> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constantFrom(...KINDS), centre: fc.constantFrom(...CENTRES), year: fc.integer({ min: 2012, max: 2014 }), party: fc.constantFrom(...PARTIES), amount: fc.option(fc.integer({ min: 1, max: 1_000_000 }), { freq: 4 }) }).map((x) => (n: number) => ({ type: x.kind, data: { entryId: `e${n}`, centreId: x.centre, countyId: countyOf(x.centre), fiscalYear: x.year, partyId: x.party, amountOre: x.kind === 'InKindContributionRecorded' ? 0 : x.amount, estimatedValueOre: x.amount, decidedOn: '2013-01-01', reference: 'r' } })) },
  { weight: 1, arbitrary: fc.record({ back: fc.nat(20), centre: fc.constantFrom(...CENTRES), year: fc.integer({ min: 2012, max: 2014 }), party: fc.constantFrom(...PARTIES), amount: fc.option(fc.integer({ min: 1, max: 1_000_000 }), { freq: 4 }), kind: fc.constantFrom(...KINDS) }).map((x) => (n: number) => ({ type: 'EntryReversed', data: { entryId: `r${n}`, reversedEntryId: `e${Math.max(0, n - x.back)}`, centreId: x.centre, countyId: countyOf(x.centre), fiscalYear: x.year, reason: 'r', entryKind: KIND_NAME[x.kind], partyId: x.party, amountOre: x.amount, estimatedValueOre: x.amount } })) },
  { weight: 2, arbitrary: fc.record({ p: fc.nat(5), centre: fc.constantFrom(...CENTRES), on: date, fte: fc.integer({ min: 1, max: 1000 }), payer, cost: fc.option(fc.integer({ min: 1, max: 90_000_000 })) }).map((x) => () => ({ type: 'StaffPositionStarted', data: { positionId: `p${x.p}`, centreId: x.centre, countyId: countyOf(x.centre), title: 't', employerKind: 'centre', employerPartyId: null, fteMilli: x.fte, payer: x.payer, annualCostOre: x.cost, startedOn: x.on } })) },
  { weight: 2, arbitrary: fc.record({ p: fc.nat(5), on: date, fte: fc.integer({ min: 1, max: 1000 }), payer, cost: fc.option(fc.integer({ min: 1, max: 90_000_000 })) }).map((x) => () => ({ type: 'StaffPositionChanged', data: { positionId: `p${x.p}`, effectiveFrom: x.on, fteMilli: x.fte, payer: x.payer, annualCostOre: x.cost } })) },
  { weight: 1, arbitrary: fc.record({ p: fc.nat(5), on: date }).map((x) => () => ({ type: 'StaffPositionEnded', data: { positionId: `p${x.p}`, endedOn: x.on } })) },
  { weight: 1, arbitrary: fc.record({ a: fc.nat(3), centre: fc.constantFrom(...CENTRES), on: date, parties: shares }).map((x) => () => ({ type: 'OwnerAgreementRegistered', data: { agreementId: `oa${x.a}`, centreId: x.centre, countyId: countyOf(x.centre), parties: x.parties, period: { from: x.on, to: null }, signedOn: null } })) },
  { weight: 1, arbitrary: fc.record({ a: fc.nat(3), centre: fc.constantFrom(...CENTRES), on: date, parties: shares }).map((x) => () => ({ type: 'OwnerAgreementAmended', data: { agreementId: `oa${x.a}`, centreId: x.centre, effectiveFrom: x.on, parties: x.parties } })) },
  { weight: 1, arbitrary: fc.record({ a: fc.nat(3), centre: fc.constantFrom(...CENTRES), on: date }).map((x) => () => ({ type: 'OwnerAgreementTerminated', data: { agreementId: `oa${x.a}`, centreId: x.centre, effectiveFrom: x.on } })) },
  // Budgets decided in any order, along the county line and by two boards reusing one proposal id.
  { weight: 1, arbitrary: fc.record({ d: fc.nat(3), year: fc.integer({ min: 2012, max: 2014 }), centres: fc.subarray(CENTRES, { minLength: 1 }), amount: fc.integer({ min: 1, max: 1_000_000 }), on: date }).map((x) => () => ({ type: 'CountyLineDecisionRecorded', data: { decisionId: `d${x.d}`, countyId: 'a', centreIds: x.centres, kind: 'budget', year: x.year, content: { lines: [{ partyId: 'fk', moneyKind: 'operating-grant', amountOre: x.amount }] }, decidedOn: x.on, governedBy: 'county-line' } })) },
  { weight: 1, arbitrary: fc.record({ board: fc.constantFrom('b-1', 'b-2'), year: fc.integer({ min: 2012, max: 2014 }), centres: fc.subarray(CENTRES, { minLength: 1 }), amount: fc.integer({ min: 1, max: 1_000_000 }), on: date }).map((x) => () => ({ type: 'ProposalClosed', data: { boardId: x.board, proposalId: 'd1', countyId: 'a', centreIds: x.centres, kind: 'budget', year: x.year, outcome: 'adopted', content: { lines: [{ partyId: 'nav', moneyKind: 'operating-grant', amountOre: x.amount }] }, closedOn: x.on, governedBy: 'board' } })) },
  { weight: 1, arbitrary: fc.record({ centre: fc.constantFrom(...CENTRES), on: date }).map((x) => (n: number) => ({ type: 'CentreRenamed', data: { centreId: x.centre, name: `${x.centre} ${n}`, previousName: x.centre, effectiveFrom: x.on } })) },
  // A closing counts every position of the centre again (staff-years.ts, countedUntil).
  { weight: 1, arbitrary: fc.record({ centre: fc.constantFrom(...CENTRES), on: date }).map((x) => () => ({ type: 'CentreClosed', data: { centreId: x.centre, closedOn: x.on, reason: 'r' } })) },
);

describe('funding snapshots re-serialise only what changed', () => {
  it('every snapshot of the live view equals a fresh serialisation of it, snapshot after snapshot', () => {
    fc.assert(
      fc.property(fc.array(eventArb, { minLength: 1, maxLength: 120 }), fc.integer({ min: 1, max: 15 }), (makers, every) => {
        const events = recorded([...directory, ...makers.map((make, n) => make(n))]);
        let view: FundingView = fundingProjection.initial();
        for (let i = 0; i < events.length; i += every) {
          view = foldEvents(fundingProjection, events.slice(i, i + every), view);
          const kept = fundingProjection.serialize!(view);
          const fresh = fundingProjection.serialize!(JSON.parse(JSON.stringify(view)) as FundingView);
          expect(typeof kept).toBe('object');
          const k = kept as { state: string; parts: Record<string, string> };
          expect(k).toEqual(fresh);
        }
      }),
      { numRuns: 150, seed: 20261126 },
    );
  });

  it('a live view restored from a snapshot keeps its texts, and every later snapshot still equals a fresh serialisation', () => {
    fc.assert(
      fc.property(fc.array(eventArb, { minLength: 1, maxLength: 120 }), fc.integer({ min: 1, max: 15 }), fc.integer({ min: 0, max: 8 }), (makers, every, restoreAt) => {
        const events = recorded([...directory, ...makers.map((make, n) => make(n))]);
        let view: FundingView = fundingProjection.initial();
        for (let i = 0, k = 0; i < events.length; i += every, k++) {
          view = foldEvents(fundingProjection, events.slice(i, i + every), view);
          const kept = fundingProjection.serialize!(view) as { state: string; parts: Record<string, string> };
          expect(kept).toEqual(fundingProjection.serialize!(JSON.parse(JSON.stringify(view)) as FundingView));
          // A restart: the live view is read back from this snapshot and folds on from there.
          if (k === restoreAt) view = fundingProjection.deserialize!(kept.state, 'live', (key) => kept.parts[key]);
        }
      }),
      { numRuns: 150, seed: 20261127 },
    );
  });

  it('a live view restored from a snapshot serialises nothing again until something changes', () => {
    const events = recorded([
      ...directory,
      { type: 'OperatingGrantRecorded', data: { entryId: 'e1', centreId: 'a1', countyId: 'a', fiscalYear: 2013, partyId: 'fk', amountOre: 100, decidedOn: '2013-01-01', reference: 'r' } },
      { type: 'StaffPositionStarted', data: { positionId: 'p1', centreId: 'a1', countyId: 'a', title: 't', employerKind: 'centre', employerPartyId: null, fteMilli: 500, payer: { kind: 'centre' }, annualCostOre: null, startedOn: '2013-03-01' } },
      { type: 'OwnerAgreementRegistered', data: { agreementId: 'oa1', centreId: 'a1', countyId: 'a', parties: [{ partyId: 'fk', shareBp: 10000 }], period: { from: '2013-01-01', to: null }, signedOn: null } },
    ]);
    const stored = fundingProjection.serialize!(foldEvents(fundingProjection, events)) as { state: string; parts: Record<string, string> };
    const back = fundingProjection.deserialize!(stored.state, 'live', (key) => stored.parts[key]);
    const stringify = jest.spyOn(JSON, 'stringify');
    const again = fundingProjection.serialize!(back) as { parts: Record<string, string> };
    // The main text and each staff entry's rest (not kept: the rest part is one text for every centre); no part.
    const calls = stringify.mock.calls.length;
    stringify.mockRestore();
    expect(again).toEqual(stored);
    expect(calls).toBeLessThanOrEqual(1 + Object.keys(back.staff).length);
    expect(Object.keys(stored.parts).length).toBeGreaterThan(1000);
  });

  it('serialises again only the parts that changed (one money year here), not all ~1,100', () => {
    const base = recorded([
      ...directory,
      { type: 'OperatingGrantRecorded', data: { entryId: 'e1', centreId: 'a1', countyId: 'a', fiscalYear: 2013, partyId: 'fk', amountOre: 100, decidedOn: '2013-01-01', reference: 'r' } },
      { type: 'OperatingGrantRecorded', data: { entryId: 'e2', centreId: 'a1', countyId: 'a', fiscalYear: 2014, partyId: 'fk', amountOre: 100, decidedOn: '2014-01-01', reference: 'r' } },
    ]);
    const view = foldEvents(fundingProjection, base);
    const first = fundingProjection.serialize!(view) as { parts: Record<string, string> };
    foldEvents(fundingProjection, recorded([{ type: 'OperatingGrantRecorded', data: { entryId: 'e3', centreId: 'a2', countyId: 'a', fiscalYear: 2014, partyId: 'fk', amountOre: 5, decidedOn: '2014-01-01', reference: 'r' } }], base.length + 1), view);
    const stringify = jest.spyOn(JSON, 'stringify');
    const second = fundingProjection.serialize!(view) as { parts: Record<string, string> };
    // The main text, the one money year, the two id orders and the staff rest: nothing else.
    expect(stringify.mock.calls.length).toBeLessThanOrEqual(6);
    stringify.mockRestore();
    expect(Object.keys(second.parts).length).toBeGreaterThan(1000);
    expect(second.parts['money/2013']).toBe(first.parts['money/2013']);
    expect(second.parts['money/2014']).not.toBe(first.parts['money/2014']);
    expect(JSON.parse(second.parts['money/2014']).a2.k['operating-grant'].fk).toEqual({ ore: 5, n: 1, u: 0 });
  });
});
