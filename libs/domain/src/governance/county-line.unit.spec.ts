import { deciderSpec, testContext } from '../shared/decider-spec';
import { CoLocationCommand, coLocationDecider } from './co-location';
import { CountyLineCommand, countyLineDecider } from './county-line';
import { closedCentre, openCentre, parties, party } from './test-fixtures';

const centres = { krs: openCentre('krs', 'vest-agder'), mandal: openCentre('mandal', 'vest-agder'), flekkefjord: openCentre('flekkefjord', 'vest-agder'), skien: openCentre('skien', 'telemark') };
const known = parties(party('va-fk', 'county-authority', 'vest-agder'), party('nav-va', 'nav-county-office', 'vest-agder'));

describe('county line (Vest-Agder: no board)', () => {
  const spec = deciderSpec(countyLineDecider);
  const decide = (over: Partial<CountyLineCommand['data']> = {}, c = centres): CountyLineCommand => ({
    type: 'RecordCountyLineDecision',
    data: { decisionId: 'va-b13', countyId: 'vest-agder', centreIds: ['krs', 'mandal', 'flekkefjord'], kind: 'budget', year: 2013, title: 'Budget 2013', content: { lines: [{ partyId: 'va-fk', moneyKind: 'operating-grant', amountOre: 546_000_000 }] }, decidedOn: '2012-12-12', decidedBy: 'fo', ...over },
    countyRegistered: true,
    centres: c,
    parties: known,
  });
  it('records the decision for all three centres, marked as governed along the county line', () => {
    const [e] = spec.given([]).when(decide(), testContext()).events();
    expect(e).toMatchObject({ type: 'CountyLineDecisionRecorded', data: { governedBy: 'county-line', outcome: 'adopted', centreIds: ['krs', 'mandal', 'flekkefjord'], content: { lines: [{ amountOre: 546_000_000 }] } } });
  });
  it('refuses a centre of another county, a closed centre and a repeated id', () => {
    spec.given([]).when(decide({ centreIds: ['skien'] })).thenThrows('COUNTY_LINE.CENTRE_OF_OTHER_COUNTY');
    // A centre closed on the decision's date is refused; one whose closure is recorded for a later date is open then.
    spec.given([]).when(decide({}, { ...centres, mandal: closedCentre('mandal', 'vest-agder', '2012-12-12') })).thenThrows('CENTRE.CLOSED', 'rule');
    expect(spec.given([]).when(decide({}, { ...centres, mandal: closedCentre('mandal', 'vest-agder', '2012-12-13') })).events()).toHaveLength(1);
    const done = spec.given([]).when(decide()).events();
    spec.given(done).when(decide()).thenThrows('COUNTY_LINE.DECISION_EXISTS', 'conflict');
  });
  it('refuses a budget line naming another county\'s party (PROPOSAL.PARTY_OF_OTHER_COUNTY)', () => {
    const withTelemark = { ...known, ...parties(party('nav-tel', 'nav-county-office', 'telemark')) };
    const e = spec.given([]).when({ ...decide({ content: { lines: [{ partyId: 'nav-tel', moneyKind: 'in-kind', amountOre: 100 }] } }), parties: withTelemark }).thenThrows('PROPOSAL.PARTY_OF_OTHER_COUNTY', 'rule');
    expect(e.details).toEqual({ partyId: 'nav-tel', partyCountyId: 'telemark', countyId: 'vest-agder' });
  });
  it.each(['constructor', '__proto__'])('records a decision called %s once', (id) => {
    const done = spec.given([]).when(decide({ decisionId: id })).events();
    expect(done).toHaveLength(1);
    spec.given(done).when(decide({ decisionId: id })).thenThrows('COUNTY_LINE.DECISION_EXISTS', 'conflict');
  });
});

describe('co-location', () => {
  const spec = deciderSpec(coLocationDecider);
  const record = (from: string): CoLocationCommand => ({ type: 'RecordCoLocation', data: { centreId: 'krs', from, premises: 'NAV-huset', sharedWith: [{ kind: 'nav-local-office', partyId: null, name: 'NAV Kristiansand' }] }, centre: centres.krs, parties: known });
  it('records premises from a date, in date order', () => {
    const events = spec.given([]).when(record('2012-08-01')).events();
    expect(events[0].data).toMatchObject({ countyId: 'vest-agder', from: '2012-08-01' });
    spec.given(events).when(record('2012-01-01')).thenThrows('CO_LOCATION.OUT_OF_ORDER');
    spec.given([]).when({ ...record('2012-08-01'), centre: closedCentre('krs', 'vest-agder', '2012-08-01') }).thenThrows('CENTRE.CLOSED');
    expect(spec.given([]).when({ ...record('2012-08-01'), centre: closedCentre('krs', 'vest-agder', '2012-08-02') }).events()).toHaveLength(1);
  });
});
