import { deciderSpec } from '../shared/decider-spec';
import { OwnerAgreementCommand, OwnerAgreementEvent, ownerAgreementDecider } from './owner-agreement';
import { closedCentre, openCentre, parties, party } from './test-fixtures';

const spec = deciderSpec(ownerAgreementDecider);
const centre = openCentre('telemark-kc', 'telemark');
const known = parties(party('nav-telemark', 'nav-county-office', 'telemark'), party('telemark-fk', 'county-authority', 'telemark'), party('skien', 'municipality', 'telemark'));
const fiftyFifty = [{ partyId: 'nav-telemark', shareBp: 5000 }, { partyId: 'telemark-fk', shareBp: 5000 }];

const register = (over: Partial<Extract<OwnerAgreementCommand, { type: 'RegisterOwnerAgreement' }>['data']> = {}): OwnerAgreementCommand => ({
  type: 'RegisterOwnerAgreement',
  data: { agreementId: 'tm-2009', centreId: 'telemark-kc', parties: fiftyFifty, period: { from: '2009-01-01', to: null }, signedOn: '2009-03-01', ...over },
  centre,
  parties: known,
});
const registered: OwnerAgreementEvent = { type: 'OwnerAgreementRegistered', data: { agreementId: 'tm-2009', centreId: 'telemark-kc', countyId: 'telemark', parties: fiftyFifty, period: { from: '2009-01-01', to: null }, signedOn: '2009-03-01' } };

describe('owner agreements', () => {
  it("records Telemark's 50/50 agreement of 2009 with the centre's county", () => {
    spec.given([]).when(register()).then([registered]);
  });

  it('refuses shares that do not sum to 100 % (OWNER_AGREEMENT.SHARES_NOT_100)', () => {
    const e = spec.given([]).when(register({ parties: [{ partyId: 'nav-telemark', shareBp: 5000 }, { partyId: 'telemark-fk', shareBp: 4999 }] })).thenThrows('OWNER_AGREEMENT.SHARES_NOT_100', 'rule');
    expect(e.details).toEqual({ sumBp: 9999 });
  });

  it('refuses an agreement that ends before it starts (AGREEMENT.ENDS_BEFORE_START)', () => {
    spec.given([]).when(register({ period: { from: '2009-01-01', to: '2008-12-31' } })).thenThrows('AGREEMENT.ENDS_BEFORE_START', 'rule');
  });

  it('refuses an overlapping agreement for the same centre and parties (OWNER_AGREEMENT.OVERLAPS)', () => {
    spec.given([registered]).when(register({ agreementId: 'tm-2012', period: { from: '2012-01-01', to: null } })).thenThrows('OWNER_AGREEMENT.OVERLAPS', 'conflict');
  });

  it('accepts a following agreement once the first is terminated', () => {
    const terminated: OwnerAgreementEvent = { type: 'OwnerAgreementTerminated', data: { agreementId: 'tm-2009', centreId: 'telemark-kc', countyId: 'telemark', effectiveFrom: '2012-01-01', reason: null } };
    const events = spec.given([registered, terminated]).when(register({ agreementId: 'tm-2012', period: { from: '2012-01-01', to: null } })).events();
    expect(events.map((e) => e.type)).toEqual(['OwnerAgreementRegistered']);
  });

  it('refuses an unregistered party, a party named twice and a closed centre', () => {
    spec.given([]).when(register({ parties: [{ partyId: 'ghost', shareBp: 10000 }] })).thenThrows('PARTY.NOT_FOUND', 'not-found');
    spec.given([]).when(register({ parties: [{ partyId: 'skien', shareBp: 5000 }, { partyId: 'skien', shareBp: 5000 }] })).thenThrows('OWNER_AGREEMENT.DUPLICATE_PARTY', 'invalid');
    // By the later of its start and its signing (2009-03-01 here): closed from that day, refused; from the day after, recorded.
    spec.given([]).when({ ...register(), centre: closedCentre('telemark-kc', 'telemark', '2009-03-01') }).thenThrows('CENTRE.CLOSED', 'rule');
    expect(spec.given([]).when({ ...register(), centre: closedCentre('telemark-kc', 'telemark', '2009-03-02') }).events()).toHaveLength(1);
  });

  it("refuses a party registered to another county than the centre's (OWNER_AGREEMENT.PARTY_OF_OTHER_COUNTY), registering or amending; a party without a county may own a share", () => {
    const withOthers = { ...known, ...parties(party('troms-fk', 'county-authority', 'troms'), party('vox', 'vox')) };
    const foreign = [{ partyId: 'telemark-fk', shareBp: 5000 }, { partyId: 'troms-fk', shareBp: 5000 }];
    const e = spec.given([]).when({ ...register({ parties: foreign }), parties: withOthers }).thenThrows('OWNER_AGREEMENT.PARTY_OF_OTHER_COUNTY', 'rule');
    expect(e.details).toEqual({ partyId: 'troms-fk', partyCountyId: 'troms', centreCountyId: 'telemark' });
    expect(e.message).toContain('troms-fk');
    const amendTo = (ps: typeof foreign): OwnerAgreementCommand => ({ type: 'AmendOwnerAgreement', data: { agreementId: 'tm-2009', centreId: 'telemark-kc', effectiveFrom: '2013-01-01', parties: ps, period: { from: '2009-01-01', to: null }, note: null }, centre, parties: withOthers });
    spec.given([registered]).when(amendTo(foreign)).thenThrows('OWNER_AGREEMENT.PARTY_OF_OTHER_COUNTY', 'rule');
    // A national party (no county) is no party of another county.
    const national = [{ partyId: 'telemark-fk', shareBp: 5000 }, { partyId: 'vox', shareBp: 5000 }];
    expect(spec.given([]).when({ ...register({ parties: national }), parties: withOthers }).events()).toHaveLength(1);
    expect(spec.given([registered]).when(amendTo(national)).events()).toHaveLength(1);
  });

  it('amends shares from a date, keeping earlier terms', () => {
    const amend: OwnerAgreementCommand = {
      type: 'AmendOwnerAgreement',
      data: { agreementId: 'tm-2009', centreId: 'telemark-kc', effectiveFrom: '2013-01-01', parties: [{ partyId: 'nav-telemark', shareBp: 4000 }, { partyId: 'telemark-fk', shareBp: 6000 }], period: { from: '2009-01-01', to: null }, note: null },
      centre,
      parties: known,
    };
    const state = spec.given([registered]).when(amend).state();
    expect(state.agreements['tm-2009'].versions.map((v) => [v.effectiveFrom, v.parties[0].shareBp])).toEqual([['2009-01-01', 5000], ['2013-01-01', 4000]]);
    spec.given([registered]).when({ ...amend, data: { ...amend.data, parties: fiftyFifty.slice(0, 1) } }).thenThrows('OWNER_AGREEMENT.SHARES_NOT_100');
    spec.given([registered]).when({ ...amend, data: { ...amend.data, period: { from: '2009-01-01', to: '2012-12-31' } } }).thenThrows('AGREEMENT.AMENDMENT_OUTSIDE_PERIOD');
    spec.given([registered]).when({ ...amend, data: { ...amend.data, effectiveFrom: '2008-06-01' } }).thenThrows('AGREEMENT.AMENDMENT_OUT_OF_ORDER');
    spec.given([registered]).when({ ...amend, data: { ...amend.data, agreementId: 'nope' } }).thenThrows('OWNER_AGREEMENT.NOT_FOUND', 'not-found');
  });

  it('terminates once, not before the start', () => {
    const terminate = (effectiveFrom: string): OwnerAgreementCommand => ({ type: 'TerminateOwnerAgreement', data: { agreementId: 'tm-2009', centreId: 'telemark-kc', effectiveFrom, reason: 'replaced' }, centre, parties: {} });
    spec.given([registered]).when(terminate('2015-01-01')).then([{ type: 'OwnerAgreementTerminated', data: { agreementId: 'tm-2009', centreId: 'telemark-kc', countyId: 'telemark', effectiveFrom: '2015-01-01', reason: 'replaced' } }]);
    spec.given([registered]).when(terminate('2008-01-01')).thenThrows('AGREEMENT.TERMINATION_BEFORE_START');
    const terminated = spec.given([registered]).when(terminate('2015-01-01')).events();
    spec.given([registered, ...terminated]).when(terminate('2016-01-01')).thenThrows('AGREEMENT.TERMINATED', 'conflict');
  });
});

describe('owner agreements: ids that are built-in property names', () => {
  const amend = (agreementId: string): OwnerAgreementCommand => ({
    type: 'AmendOwnerAgreement',
    data: { agreementId, centreId: 'telemark-kc', effectiveFrom: '2013-01-01', parties: fiftyFifty, period: { from: '2009-01-01', to: null }, note: null },
    centre,
    parties: known,
  });
  const terminate = (agreementId: string): OwnerAgreementCommand => ({ type: 'TerminateOwnerAgreement', data: { agreementId, centreId: 'telemark-kc', effectiveFrom: '2015-01-01', reason: null }, centre, parties: {} });

  it.each(['constructor', '__proto__'])('registers an agreement called %s once, then amends and terminates it', (id) => {
    const history = spec.given([]).when(register({ agreementId: id })).events();
    expect(history).toHaveLength(1);
    spec.given(history).when(register({ agreementId: id })).thenThrows('OWNER_AGREEMENT.ALREADY_REGISTERED', 'conflict');
    const amended = spec.given(history).when(amend(id)).events();
    const state = spec.given([...history, ...amended]).when(terminate(id)).state();
    // Recorded as the agreement's own entry: the record's prototype is untouched.
    expect(Object.getPrototypeOf(state.agreements)).toBe(Object.prototype);
    expect(Object.hasOwn(state.agreements, id)).toBe(true);
    expect([state.agreements[id].versions.length, state.agreements[id].terminatedFrom]).toEqual([2, '2015-01-01']);
  });

  it.each(['constructor', '__proto__'])('an agreement called %s that was never registered is 404 OWNER_AGREEMENT.NOT_FOUND', (id) => {
    spec.given([registered]).when(amend(id)).thenThrows('OWNER_AGREEMENT.NOT_FOUND', 'not-found');
    spec.given([registered]).when(terminate(id)).thenThrows('OWNER_AGREEMENT.NOT_FOUND', 'not-found');
  });
});
