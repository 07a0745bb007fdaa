import { CentreState } from '../counties/centre';
import { PartyState } from '../parties/party';
import { deciderSpec } from '../shared/decider-spec';
import { StaffPositionCommand, staffPositionDecider, StaffPositionEvent } from './staff-position';

const spec = deciderSpec(staffPositionDecider);
const ostfold: CentreState = { status: 'open', centreId: 'ostfold-kc', countyId: 'ostfold', name: 'Karrieresenteret i Østfold', municipality: 'Sarpsborg', openedOn: '2008-01-01' };
const nav: PartyState = { status: 'registered', partyId: 'nav-ostfold', name: 'NAV Østfold', kind: 'nav-county-office', countyId: 'ostfold', organisationNumber: null };
const fk: PartyState = { status: 'registered', partyId: 'ostfold-fk', name: 'Østfold fylkeskommune', kind: 'county-authority', countyId: 'ostfold', organisationNumber: null };

type Start = Extract<StaffPositionCommand, { type: 'StartStaffPosition' }>;
const start = (over: Partial<Start['data']> = {}, parties: Partial<Pick<Start, 'employerParty' | 'payerParty'>> = {}): StaffPositionCommand => ({
  type: 'StartStaffPosition',
  data: { positionId: 'p1', centreId: 'ostfold-kc', title: 'Karriereveileder', employerKind: 'nav-county-office', employerPartyId: 'nav-ostfold', fte: '1', payer: { kind: 'party', partyId: 'nav-ostfold' }, annualCost: '650000', startedOn: '2012-08-01', ...over },
  centre: ostfold,
  employerParty: nav,
  payerParty: nav,
  ...parties,
});
const started: StaffPositionEvent = {
  type: 'StaffPositionStarted',
  data: { positionId: 'p1', centreId: 'ostfold-kc', countyId: 'ostfold', title: 'Karriereveileder', employerKind: 'nav-county-office', employerPartyId: 'nav-ostfold', fteMilli: 1000, payer: { kind: 'party', partyId: 'nav-ostfold' }, annualCostOre: 65000000, startedOn: '2012-08-01' },
};
const change = (over: Partial<Extract<StaffPositionCommand, { type: 'ChangeStaffPosition' }>['data']> = {}, payerParty: PartyState | null = null): StaffPositionCommand => ({
  type: 'ChangeStaffPosition', data: { positionId: 'p1', centreId: 'ostfold-kc', effectiveFrom: '2013-07-01', ...over }, centre: ostfold, payerParty,
});
const end = (endedOn: string, centreId = 'ostfold-kc'): StaffPositionCommand => ({ type: 'EndStaffPosition', data: { positionId: 'p1', centreId, endedOn }, centre: ostfold });

describe('staff positions', () => {
  it('given nothing, when a position starts, then the FTE is stored exactly in per mille and the payer named', () => {
    spec.given([]).when(start()).then([started]);
    expect((spec.given([]).when(start({ fte: '0.813' })).events()[0].data as { fteMilli: number }).fteMilli).toBe(813);
    expect((spec.given([]).when(start({ fte: 0.5 })).events()[0].data as { fteMilli: number }).fteMilli).toBe(500);
    expect((spec.given([]).when(start({ fte: '0.5000' })).events()[0].data as { fteMilli: number }).fteMilli).toBe(500);
  });

  it('a start naming its person records personId (NFC, so one id typed two ways is one person); without one (or null) the event is as before', () => {
    expect(spec.given([]).when(start({ personId: 'A\u030Ase-104' })).events()[0].data).toEqual({ ...started.data, personId: '\u00C5se-104' });
    spec.given([]).when(start({ personId: null })).then([started]);
    expect('personId' in spec.given([]).when(start()).events()[0].data).toBe(false);
  });

  it.each([['0'], ['0.000'], ['-0.5'], ['1.001'], ['2'], [0], [1.5]])('refuses FTE %p with STAFF.FTE_OUT_OF_RANGE', (fte) => {
    spec.given([]).when(start({ fte })).thenThrows('STAFF.FTE_OUT_OF_RANGE', 'invalid');
  });

  it.each([['0.8125'], ['abc'], [null], ['1e-1']])('refuses the malformed FTE %p with STAFF.FTE_INVALID', (fte) => {
    spec.given([]).when(start({ fte })).thenThrows('STAFF.FTE_INVALID', 'invalid');
  });

  it('refuses an unregistered employer or payer, a payer without party, and an employer of the wrong kind', () => {
    spec.given([]).when(start({}, { employerParty: { status: 'unregistered' } })).thenThrows('PARTY.NOT_FOUND', 'not-found');
    spec.given([]).when(start({}, { payerParty: { status: 'unregistered' } })).thenThrows('PARTY.NOT_FOUND', 'not-found');
    spec.given([]).when(start({ payer: { kind: 'party' } })).thenThrows('STAFF.PAYER_INVALID', 'invalid');
    spec.given([]).when(start({ employerKind: 'county-authority' })).thenThrows('STAFF.EMPLOYER_KIND_MISMATCH', 'rule');
    expect(spec.given([]).when(start({ employerKind: 'county-authority', employerPartyId: 'ostfold-fk', payer: { kind: 'centre' }, annualCost: undefined }, { employerParty: fk })).events()[0].data).toMatchObject({ payer: { kind: 'centre' }, annualCostOre: null });
  });

  it('refuses a start before the centre opened (STAFF.BEFORE_OPENING); a start on the opening day is recorded', () => {
    const refused = spec.given([]).when(start({ startedOn: '2007-12-31' })).thenThrows('STAFF.BEFORE_OPENING', 'rule');
    expect(refused.message).toBe('Position p1 at Karrieresenteret i Østfold cannot have started before the centre opened on 2008-01-01 (startedOn 2007-12-31); give a startedOn on or after the opening.');
    expect(refused.details).toEqual({ positionId: 'p1', startedOn: '2007-12-31', openedOn: '2008-01-01' });
    spec.given([]).when(start({ startedOn: '2006-01-01' })).thenThrows('STAFF.BEFORE_OPENING', 'rule');
    spec.given([]).when({ ...start({ startedOn: '2007-12-31' }), centre: { ...ostfold, status: 'closed', closedOn: '2012-08-01' } } as StaffPositionCommand).thenThrows('STAFF.BEFORE_OPENING', 'rule');
    expect(spec.given([]).when(start({ startedOn: '2008-01-01' })).events()).toMatchObject([{ type: 'StaffPositionStarted', data: { startedOn: '2008-01-01' } }]);
  });

  it('refuses an unknown or closed centre and a second start', () => {
    spec.given([]).when({ ...start(), centre: { status: 'unregistered' } } as StaffPositionCommand).thenThrows('CENTRE.NOT_FOUND');
    // Starting on the closing date or later is refused; a start the day before it is recorded (the date rule).
    const refused = spec.given([]).when({ ...start(), centre: { ...ostfold, status: 'closed', closedOn: '2012-08-01' } } as StaffPositionCommand).thenThrows('CENTRE.CLOSED');
    expect(refused.message).toBe(`Career centre Karrieresenteret i Østfold is closed from 2012-08-01; the start of staff position p1 dated 2012-08-01 falls after that.`);
    expect(spec.given([]).when({ ...start(), centre: { ...ostfold, status: 'closed', closedOn: '2012-08-02' } } as StaffPositionCommand).events()).toHaveLength(1);
    spec.given([started]).when(start()).thenThrows('STAFF.ALREADY_STARTED', 'conflict');
  });

  it('changes FTE or payer from a date, keeping the terms not given', () => {
    spec.given([started]).when(change({ fte: '0.6', annualCost: '390000' })).then([
      { type: 'StaffPositionChanged', data: { positionId: 'p1', centreId: 'ostfold-kc', countyId: 'ostfold', effectiveFrom: '2013-07-01', fteMilli: 600, payer: { kind: 'party', partyId: 'nav-ostfold' }, annualCostOre: 39000000 } },
    ]);
    expect(spec.given([started]).when(change({ payer: { kind: 'party', partyId: 'ostfold-fk' } }, fk)).events()[0].data).toMatchObject({ fteMilli: 1000, payer: { kind: 'party', partyId: 'ostfold-fk' }, annualCostOre: 65000000 });
    const [c] = spec.given([started]).when(change({ payer: { kind: 'centre' }, annualCost: null })).events();
    expect(c.data).toMatchObject({ fteMilli: 1000, payer: { kind: 'centre' }, annualCostOre: null });
    expect(spec.given([started]).when(change({ fte: '1' })).events()).toEqual([]);
  });

  it('an annual cost is the cost at its FTE: a new FTE without a new cost is refused (STAFF.ANNUAL_COST_REQUIRED); with one, or null, it is recorded; a position without a cost needs none', () => {
    const refused = spec.given([started]).when(change({ fte: '0.5' })).thenThrows('STAFF.ANNUAL_COST_REQUIRED', 'rule');
    expect(refused.message).toBe('The annual cost of position p1 (650000.00) was for 1.0 FTE; give the cost at 0.5 FTE (annualCost) with the change.');
    expect(refused.details).toEqual({ positionId: 'p1', effectiveFrom: '2013-07-01', fte: '0.5', previousFte: '1.0', previousAnnualCost: '650000.00' });
    expect(spec.given([started]).when(change({ fte: '0.5', annualCost: null })).events()[0].data).toMatchObject({ fteMilli: 500, annualCostOre: null });
    const noCost: StaffPositionEvent = { ...started, data: { ...started.data, payer: { kind: 'centre' }, annualCostOre: null } } as StaffPositionEvent;
    expect(spec.given([noCost]).when(change({ fte: '0.5' })).events()[0].data).toMatchObject({ fteMilli: 500, annualCostOre: null });
  });

  it('employer and payer are parties of the centre\'s county or national ones (STAFF.PARTY_OF_OTHER_COUNTY), on start and on a change of payer', () => {
    const navTroms: PartyState = { ...nav, partyId: 'nav-troms', name: 'NAV Troms', countyId: 'troms' } as PartyState;
    const national: PartyState = { status: 'registered', partyId: 'vox', name: 'Vox', kind: 'other', countyId: null, organisationNumber: null };
    const asPayer = spec.given([]).when(start({ employerKind: 'county-authority', employerPartyId: 'ostfold-fk', payer: { kind: 'party', partyId: 'nav-troms' } }, { employerParty: fk, payerParty: navTroms })).thenThrows('STAFF.PARTY_OF_OTHER_COUNTY', 'rule');
    expect(asPayer.details).toEqual({ role: 'payer', partyId: 'nav-troms', partyCountyId: 'troms', centreCountyId: 'ostfold' });
    // Said as ENTRY.PARTY_OF_OTHER_COUNTY says it: the centre by its name and county.
    expect(asPayer.message).toBe("NAV Troms (nav-troms) is a party of county troms and cannot pay staff at Karrieresenteret i Østfold (county ostfold): a centre's staff are employed and paid directly by parties of its own county or national ones.");
    const asEmployer = spec.given([]).when(start({ employerPartyId: 'nav-troms', payer: { kind: 'centre' }, annualCost: undefined }, { employerParty: navTroms })).thenThrows('STAFF.PARTY_OF_OTHER_COUNTY', 'rule');
    expect(asEmployer.details).toMatchObject({ role: 'employer', partyId: 'nav-troms' });
    expect(asEmployer.message).toContain('cannot employ staff at Karrieresenteret i Østfold (county ostfold)');
    expect(spec.given([]).when(start({ employerKind: 'other', employerPartyId: 'vox', payer: { kind: 'party', partyId: 'vox' } }, { employerParty: national, payerParty: national })).events()).toHaveLength(1);
    spec.given([started]).when(change({ payer: { kind: 'party', partyId: 'nav-troms' } }, navTroms)).thenThrows('STAFF.PARTY_OF_OTHER_COUNTY', 'rule');
  });

  it('refuses a change before the start, after the end, or for another centre or unknown position', () => {
    spec.given([started]).when(change({ effectiveFrom: '2012-07-31', fte: '0.5' })).thenThrows('STAFF.CHANGED_BEFORE_START', 'rule');
    const ended: StaffPositionEvent = { type: 'StaffPositionEnded', data: { positionId: 'p1', centreId: 'ostfold-kc', countyId: 'ostfold', endedOn: '2013-06-30' } };
    spec.given([started, ended]).when(change({ effectiveFrom: '2013-07-01', fte: '0.5' })).thenThrows('STAFF.CHANGED_AFTER_END', 'rule');
    expect(spec.given([started, ended]).when(change({ effectiveFrom: '2013-06-30', fte: '0.5', annualCost: '325000' })).events()).toHaveLength(1);
    spec.given([started]).when(change({ centreId: 'troms-kc', fte: '0.5' })).thenThrows('STAFF.OTHER_CENTRE', 'rule');
    spec.given([]).when(change({ fte: '0.5' })).thenThrows('STAFF.NOT_FOUND', 'not-found');
    spec.given([started]).when(change({ fte: '1.5' })).thenThrows('STAFF.FTE_OUT_OF_RANGE', 'invalid');
  });

  it('ends on a date (the last day), never before it started; a change planned for later is cut off; ended again, an earlier or a later last day is taken (it corrects the end), the same day is 409', () => {
    spec.given([started]).when(end('2013-12-31')).then([{ type: 'StaffPositionEnded', data: { positionId: 'p1', centreId: 'ostfold-kc', countyId: 'ostfold', endedOn: '2013-12-31' } }]);
    spec.given([started]).when(end('2012-07-31')).thenThrows('STAFF.ENDS_BEFORE_START', 'rule');
    expect(spec.given([started]).when(end('2012-08-01')).events()).toHaveLength(1);
    // the person leaves before a planned change (from 2013-07-01) takes effect
    const changed = spec.given([started]).when(change({ fte: '0.5', annualCost: '325000' })).events();
    expect(spec.given([started, ...changed]).when(end('2013-06-30')).events()).toEqual([{ type: 'StaffPositionEnded', data: { positionId: 'p1', centreId: 'ostfold-kc', countyId: 'ostfold', endedOn: '2013-06-30' } }]);
    const ended = spec.given([started]).when(end('2013-12-31')).events();
    expect(spec.given([started, ...ended]).when(end('2014-01-31')).events()).toEqual([{ type: 'StaffPositionEnded', data: { positionId: 'p1', centreId: 'ostfold-kc', countyId: 'ostfold', endedOn: '2014-01-31' } }]);
    const again = spec.given([started, ...ended]).when(end('2013-12-31')).thenThrows('STAFF.ALREADY_ENDED', 'conflict');
    expect(again.details).toEqual({ endedOn: '2013-12-31' });
    const corrected = spec.given([started, ...ended]).when(end('2013-06-30')).events();
    expect(corrected).toEqual([{ type: 'StaffPositionEnded', data: { positionId: 'p1', centreId: 'ostfold-kc', countyId: 'ostfold', endedOn: '2013-06-30' } }]);
    // the corrected end is the end: the same day again is 409, a later one moves it on
    spec.given([started, ...ended, ...corrected]).when(end('2013-06-30')).thenThrows('STAFF.ALREADY_ENDED', 'conflict');
    expect(spec.given([started, ...ended, ...corrected]).when(end('2013-09-30')).events()).toHaveLength(1);
    spec.given([started, ...ended]).when(end('2012-07-31')).thenThrows('STAFF.ENDS_BEFORE_START', 'rule');
    // a change cut off by an end moved earlier counts again once the end is moved past it: the state keeps it
    const early = spec.given([started, ...changed]).when(end('2013-06-30')).events();
    const history = [started, ...changed, ...early, ...spec.given([started, ...changed, ...early]).when(end('2013-12-31')).events()];
    spec.given(history).when(change({ fte: '0.5', annualCost: '325000' })).then([]);
  });

  it('a closed centre\'s open position can still be ended, with a last day before the closing date (the first day closed) only; nothing dated on or after it is recorded for it', () => {
    const closed: CentreState = { ...ostfold, status: 'closed', closedOn: '2015-01-01' } as CentreState;
    const endAtClosed = (endedOn: string): StaffPositionCommand => ({ type: 'EndStaffPosition', data: { positionId: 'p1', centreId: 'ostfold-kc', endedOn }, centre: closed });
    spec.given([started]).when(endAtClosed('2014-12-31')).then([{ type: 'StaffPositionEnded', data: { positionId: 'p1', centreId: 'ostfold-kc', countyId: 'ostfold', endedOn: '2014-12-31' } }]);
    expect(spec.given([started]).when(endAtClosed('2013-06-30')).events()).toHaveLength(1);
    // endedOn is the position's last day: on the closing date itself the centre is already closed
    const onClosing = spec.given([started]).when(endAtClosed('2015-01-01')).thenThrows('CENTRE.CLOSED', 'rule');
    expect(onClosing.message).toContain('a last day before the closing date (2014-12-31 at the latest)');
    expect(onClosing.details).toMatchObject({ closedOn: '2015-01-01', endedOn: '2015-01-01', latestEndedOn: '2014-12-31' });
    spec.given([started]).when(endAtClosed('2015-03-31')).thenThrows('CENTRE.CLOSED', 'rule');
    // the other rules still apply; a change from the closing date or later is refused, one from before it is recorded
    spec.given([started]).when(endAtClosed('2012-07-31')).thenThrows('STAFF.ENDS_BEFORE_START', 'rule');
    const ended = spec.given([started]).when(endAtClosed('2014-06-30')).events();
    spec.given([started, ...ended]).when(endAtClosed('2014-06-30')).thenThrows('STAFF.ALREADY_ENDED', 'conflict');
    // moved later, the end still keeps to the closing: up to the day before it, not on it
    expect(spec.given([started, ...ended]).when(endAtClosed('2014-12-31')).events()).toHaveLength(1);
    spec.given([started, ...ended]).when(endAtClosed('2015-01-01')).thenThrows('CENTRE.CLOSED', 'rule');
    spec.given([started]).when({ ...change({ fte: '0.5', annualCost: '325000', effectiveFrom: '2015-01-01' }), centre: closed } as StaffPositionCommand).thenThrows('CENTRE.CLOSED', 'rule');
    expect(spec.given([started]).when({ ...change({ fte: '0.5', annualCost: '325000' }), centre: closed } as StaffPositionCommand).events()).toHaveLength(1);
    spec.given([]).when({ type: 'EndStaffPosition', data: { positionId: 'p1', centreId: 'ostfold-kc', endedOn: '2013-01-01' }, centre: { status: 'unregistered' } }).thenThrows('STAFF.NOT_FOUND', 'not-found');
    spec.given([started]).when({ type: 'EndStaffPosition', data: { positionId: 'p1', centreId: 'ostfold-kc', endedOn: '2013-01-01' }, centre: { status: 'unregistered' } }).thenThrows('CENTRE.NOT_FOUND', 'not-found');
  });
});
