import { signedAgreementOn } from './agreement-terms';

/** The one "in force" rule of a partnership agreement, shared by the partnership answers and base-grant criterion 1. */
describe('signedAgreementOn', () => {
  const v1 = { effectiveFrom: '2014-01-01', period: { from: '2014-01-01', to: '2014-12-31' } };
  const v2 = { effectiveFrom: '2014-07-01', period: { from: '2014-01-01', to: '2015-06-30' } };
  const rec = { signedOn: '2014-03-01', versions: [v1, v2], terminatedFrom: '2015-03-01' };

  it('is in force from the signing day (not before, even when the period is backdated), with the terms effective that day', () => {
    expect(signedAgreementOn(rec, '2014-02-28')).toEqual({ inForce: false, because: 'not-yet-signed', version: null });
    expect(signedAgreementOn(rec, '2014-03-01')).toEqual({ inForce: true, version: v1 });
    expect(signedAgreementOn(rec, '2014-07-01')).toEqual({ inForce: true, version: v2 });
  });

  it('is not in force from the termination, nor outside the period of the terms effective that day', () => {
    expect(signedAgreementOn(rec, '2015-02-28')).toEqual({ inForce: true, version: v2 });
    expect(signedAgreementOn(rec, '2015-03-01')).toEqual({ inForce: false, because: 'terminated', version: null });
    expect(signedAgreementOn({ ...rec, terminatedFrom: null }, '2015-07-01')).toEqual({ inForce: false, because: 'lapsed', version: v2 });
    expect(signedAgreementOn({ ...rec, signedOn: '2013-12-01' }, '2013-12-15')).toEqual({ inForce: false, because: 'not-yet-effective', version: null });
  });
});
