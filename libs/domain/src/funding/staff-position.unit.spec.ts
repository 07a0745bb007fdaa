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
    spec.given([started]).when(change({ fte: '0.6' })).then([
      { type: 'StaffPositionChanged', data: { positionId: 'p1', centreId: 'ostfold-kc', countyId: 'ostfold', effectiveFrom: '2013-07-01', fteMilli: 600, payer: { kind: 'party', partyId: 'nav-ostfold' }, annualCostOre: 65000000 } },
    ]);
    const [c] = spec.given([started]).when(change({ payer: { kind: 'centre' }, annualCost: null })).events();
    expect(c.data).toMatchObject({ fteMilli: 1000, payer: { kind: 'centre' }, annualCostOre: null });
    expect(spec.given([started]).when(change({ fte: '1' })).events()).toEqual([]);
  });

  it('refuses a change before the start, after the end, or for another centre or unknown position', () => {
    spec.given([started]).when(change({ effectiveFrom: '2012-07-31', fte: '0.5' })).thenThrows('STAFF.CHANGED_BEFORE_START', 'rule');
    const ended: StaffPositionEvent = { type: 'StaffPositionEnded', data: { positionId: 'p1', centreId: 'ostfold-kc', countyId: 'ostfold', endedOn: '2013-06-30' } };
    spec.given([started, ended]).when(change({ effectiveFrom: '2013-07-01', fte: '0.5' })).thenThrows('STAFF.CHANGED_AFTER_END', 'rule');
    expect(spec.given([started, ended]).when(change({ effectiveFrom: '2013-06-30', fte: '0.5' })).events()).toHaveLength(1);
    spec.given([started]).when(change({ centreId: 'troms-kc', fte: '0.5' })).thenThrows('STAFF.OTHER_CENTRE', 'rule');
    spec.given([]).when(change({ fte: '0.5' })).thenThrows('STAFF.NOT_FOUND', 'not-found');
    spec.given([started]).when(change({ fte: '1.5' })).thenThrows('STAFF.FTE_OUT_OF_RANGE', 'invalid');
  });

  it('ends on a date (the last day), never before it started nor before a recorded change, and only once', () => {
    spec.given([started]).when(end('2013-12-31')).then([{ type: 'StaffPositionEnded', data: { positionId: 'p1', centreId: 'ostfold-kc', countyId: 'ostfold', endedOn: '2013-12-31' } }]);
    spec.given([started]).when(end('2012-07-31')).thenThrows('STAFF.ENDS_BEFORE_START', 'rule');
    expect(spec.given([started]).when(end('2012-08-01')).events()).toHaveLength(1);
    const changed = spec.given([started]).when(change({ fte: '0.5' })).events();
    spec.given([started, ...changed]).when(end('2013-06-30')).thenThrows('STAFF.ENDS_BEFORE_CHANGE', 'rule');
    const ended = spec.given([started]).when(end('2013-12-31')).events();
    spec.given([started, ...ended]).when(end('2014-01-31')).thenThrows('STAFF.ALREADY_ENDED', 'conflict');
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
    spec.given([started]).when({ ...change({ fte: '0.5', effectiveFrom: '2015-01-01' }), centre: closed } as StaffPositionCommand).thenThrows('CENTRE.CLOSED', 'rule');
    expect(spec.given([started]).when({ ...change({ fte: '0.5' }), centre: closed } as StaffPositionCommand).events()).toHaveLength(1);
    spec.given([]).when({ type: 'EndStaffPosition', data: { positionId: 'p1', centreId: 'ostfold-kc', endedOn: '2013-01-01' }, centre: { status: 'unregistered' } }).thenThrows('STAFF.NOT_FOUND', 'not-found');
    spec.given([started]).when({ type: 'EndStaffPosition', data: { positionId: 'p1', centreId: 'ostfold-kc', endedOn: '2013-01-01' }, centre: { status: 'unregistered' } }).thenThrows('CENTRE.NOT_FOUND', 'not-found');
  });
});
