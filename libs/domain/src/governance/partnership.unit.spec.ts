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
