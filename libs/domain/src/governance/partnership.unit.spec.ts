import { CountyState } from '../counties';
import { deciderSpec } from '../shared/decider-spec';
import { coordinatingHolderOn, PartnershipCommand, partnershipDecider, PartnershipEvent } from './partnership';
import { parties, party } from './test-fixtures';

const spec = deciderSpec(partnershipDecider);
const county: CountyState = { status: 'registered', countyId: 'telemark', name: 'Telemark', countyNumber: '08' };
const known = parties(party('telemark-fk', 'county-authority', 'telemark'), party('nav-telemark', 'nav-county-office', 'telemark'));
const sign = (over: Partial<Extract<PartnershipCommand, { type: 'SignPartnershipAgreement' }>['data']> = {}): PartnershipCommand => ({
  type: 'SignPartnershipAgreement',
  data: { partnershipId: 'p14', countyId: 'telemark', parties: ['telemark-fk', 'nav-telemark'], signedOn: '2014-02-01', period: { from: '2014-01-01', to: '2017-12-31' }, ...over },
  county,
  parties: known,
});
const signed: PartnershipEvent = { type: 'PartnershipAgreementSigned', data: { partnershipId: 'p14', countyId: 'telemark', parties: ['telemark-fk', 'nav-telemark'], signedOn: '2014-02-01', period: { from: '2014-01-01', to: '2017-12-31' } } };

describe('guidance partnership', () => {
  it('records a signed partnership agreement', () => {
    spec.given([]).when(sign()).then([signed]);
  });
  it('refuses one that ends before it starts, overlaps another, or has one party', () => {
    spec.given([]).when(sign({ period: { from: '2014-01-01', to: '2013-01-01' } })).thenThrows('AGREEMENT.ENDS_BEFORE_START');
    spec.given([signed]).when(sign({ partnershipId: 'p15', period: { from: '2015-01-01', to: null } })).thenThrows('PARTNERSHIP.OVERLAPS', 'conflict');
    spec.given([]).when(sign({ parties: ['telemark-fk'] })).thenThrows('PARTNERSHIP.TOO_FEW_PARTIES', 'invalid');
    spec.given([]).when({ ...sign(), county: { status: 'unregistered' } }).thenThrows('COUNTY.NOT_FOUND', 'not-found');
  });
  it('assigns the coordinating function once at a time and ends it', () => {
    const assign: PartnershipCommand = { type: 'AssignCoordinatingFunction', data: { countyId: 'telemark', holderPartyId: 'telemark-fk', description: 'coordinates', from: '2014-01-01', to: null }, county, parties: known };
    const [assigned] = spec.given([]).when(assign).events();
    spec.given([assigned]).when({ ...assign, data: { ...assign.data, holderPartyId: 'nav-telemark', from: '2015-01-01' } }).thenThrows('COORDINATING_FUNCTION.OVERLAPS', 'conflict');
    const end: PartnershipCommand = { type: 'EndCoordinatingFunction', data: { countyId: 'telemark', holderPartyId: 'telemark-fk', endedOn: '2015-06-30' }, county, parties: {} };
    const state = spec.given([assigned]).when(end).state();
    expect(coordinatingHolderOn(state.coordinating, '2015-06-30')?.holderPartyId).toBe('telemark-fk');
    expect(coordinatingHolderOn(state.coordinating, '2015-07-01')).toBeNull();
    spec.given([]).when(end).thenThrows('COORDINATING_FUNCTION.NOT_HELD');
  });
});

describe('guidance partnership: the coordinating function is the county\'s own', () => {
  const assign = (holderPartyId: string): PartnershipCommand => ({
    type: 'AssignCoordinatingFunction',
    data: { countyId: 'telemark', holderPartyId, description: 'coordinates', from: '2014-01-01', to: null },
    county,
    parties: { ...known, ...parties(party('troms-fk', 'county-authority', 'troms'), party('vox', 'vox')) },
  });
  it('refuses a holder registered to another county (COORDINATING_FUNCTION.HOLDER_OF_OTHER_COUNTY); a party without a county may hold it', () => {
    const e = spec.given([]).when(assign('troms-fk')).thenThrows('COORDINATING_FUNCTION.HOLDER_OF_OTHER_COUNTY', 'rule');
    expect(e.details).toEqual({ holderPartyId: 'troms-fk', holderCountyId: 'troms', countyId: 'telemark' });
    expect(spec.given([]).when(assign('vox')).events()).toMatchObject([{ type: 'CoordinatingFunctionAssigned', data: { holderPartyId: 'vox' } }]);
    expect(spec.given([]).when(assign('telemark-fk')).events()).toHaveLength(1);
  });
});

describe('guidance partnership: its parties are the county\'s own', () => {
  const others = { ...known, ...parties(party('ostfold-fk', 'county-authority', 'ostfold'), party('nav-ostfold', 'nav-county-office', 'ostfold'), party('vox', 'vox')) };
  it('refuses an agreement, signed or amended, naming a party of another county (PARTNERSHIP.PARTY_OF_OTHER_COUNTY); a party without a county may be one', () => {
    const e = spec.given([]).when({ ...sign({ parties: ['ostfold-fk', 'nav-ostfold'] }), parties: others }).thenThrows('PARTNERSHIP.PARTY_OF_OTHER_COUNTY', 'rule');
    expect(e.details).toEqual({ partyId: 'ostfold-fk', partyCountyId: 'ostfold', countyId: 'telemark' });
    expect(spec.given([]).when({ ...sign({ parties: ['telemark-fk', 'nav-telemark', 'vox'] }), parties: others }).events()).toHaveLength(1);
    const amend = (ids: string[]): PartnershipCommand => ({ type: 'AmendPartnershipAgreement', data: { partnershipId: 'p14', countyId: 'telemark', effectiveFrom: '2015-01-01', parties: ids, period: { from: '2014-01-01', to: '2017-12-31' }, note: null }, county, parties: others });
    spec.given([signed]).when(amend(['telemark-fk', 'nav-ostfold'])).thenThrows('PARTNERSHIP.PARTY_OF_OTHER_COUNTY', 'rule');
    expect(spec.given([signed]).when(amend(['telemark-fk', 'vox'])).events()).toHaveLength(1);
  });
});

describe('guidance partnership: ids that are built-in property names', () => {
  const terminate = (partnershipId: string): PartnershipCommand => ({ type: 'TerminatePartnershipAgreement', data: { partnershipId, countyId: 'telemark', effectiveFrom: '2015-01-01', reason: null }, county, parties: known });
  const amend = (partnershipId: string): PartnershipCommand => ({
    type: 'AmendPartnershipAgreement',
    data: { partnershipId, countyId: 'telemark', effectiveFrom: '2015-01-01', parties: ['telemark-fk', 'nav-telemark'], period: { from: '2014-01-01', to: '2017-12-31' }, note: null },
    county,
    parties: known,
  });

  it.each(['constructor', '__proto__'])('signs an agreement called %s once, then amends and terminates it', (id) => {
    const history = spec.given([]).when(sign({ partnershipId: id })).events();
    expect(history).toHaveLength(1);
    spec.given(history).when(sign({ partnershipId: id })).thenThrows('PARTNERSHIP.ALREADY_REGISTERED', 'conflict');
    const amended = spec.given(history).when(amend(id)).events();
    const state = spec.given([...history, ...amended]).when(terminate(id)).state();
    // Recorded as the agreement's own entry: the record's prototype is untouched.
    expect(Object.getPrototypeOf(state.agreements)).toBe(Object.prototype);
    expect(Object.hasOwn(state.agreements, id)).toBe(true);
    expect([state.agreements[id].versions.length, state.agreements[id].terminatedFrom]).toEqual([2, '2015-01-01']);
  });

  it.each(['constructor', '__proto__'])('an agreement called %s that was never signed is 404 PARTNERSHIP.NOT_FOUND', (id) => {
    spec.given([signed]).when(terminate(id)).thenThrows('PARTNERSHIP.NOT_FOUND', 'not-found');
    spec.given([signed]).when(amend(id)).thenThrows('PARTNERSHIP.NOT_FOUND', 'not-found');
  });
});

describe('coordinating function: ending a term', () => {
  const assigned = (from: string, to: string | null, holderPartyId = 'telemark-fk'): PartnershipEvent => ({ type: 'CoordinatingFunctionAssigned', data: { countyId: 'telemark', holderPartyId, description: 'coordinates', from, to } });
  const end = (endedOn: string, holderPartyId = 'telemark-fk'): PartnershipCommand => ({ type: 'EndCoordinatingFunction', data: { countyId: 'telemark', holderPartyId, endedOn }, county, parties: {} });
  // The holder's term from 2015 was recorded before its earlier 2010–2012 term was backfilled.
  const backfilled = [assigned('2015-01-01', null), assigned('2010-01-01', '2012-12-31')];

  it('ends the term that holds endedOn, even when a later term of the holder was recorded first', () => {
    const state = spec.given(backfilled).when(end('2011-06-30')).state();
    expect(state.coordinating.map((c) => [c.from, c.to])).toEqual([['2015-01-01', null], ['2010-01-01', '2011-06-30']]);
  });

  it('still refuses a date no term holds: before a later term starts (ENDS_BEFORE_START), or with none after it (NOT_HELD)', () => {
    spec.given(backfilled).when(end('2013-06-30')).thenThrows('COORDINATING_FUNCTION.ENDS_BEFORE_START', 'rule');
    spec.given([assigned('2010-01-01', '2012-12-31')]).when(end('2009-12-31')).thenThrows('COORDINATING_FUNCTION.ENDS_BEFORE_START', 'rule');
    spec.given([assigned('2010-01-01', '2012-12-31')]).when(end('2013-06-30')).thenThrows('COORDINATING_FUNCTION.NOT_HELD', 'rule');
    spec.given(backfilled).when(end('2011-06-30', 'nav-telemark')).thenThrows('COORDINATING_FUNCTION.NOT_HELD', 'rule');
  });

  it('refuses ending again on the same last day (409 ALREADY_ENDED); an earlier day shortens the term', () => {
    const history = [assigned('2013-01-01', null), ...spec.given([assigned('2013-01-01', null)]).when(end('2014-06-30')).events()];
    const e = spec.given(history).when(end('2014-06-30')).thenThrows('COORDINATING_FUNCTION.ALREADY_ENDED', 'conflict');
    expect(e.details).toEqual({ holderPartyId: 'telemark-fk', from: '2013-01-01', to: '2014-06-30' });
    expect(spec.given(history).when(end('2014-03-31')).state().coordinating.map((c) => c.to)).toEqual(['2014-03-31']);
    // A planned last day is the term's last day too: ending on it changes nothing.
    spec.given([assigned('2013-01-01', '2014-12-31')]).when(end('2014-12-31')).thenThrows('COORDINATING_FUNCTION.ALREADY_ENDED', 'conflict');
  });
});
