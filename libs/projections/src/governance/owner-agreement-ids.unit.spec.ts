import { DomainError } from '../../../domain/src/shared';
import { recorded } from '../funding/test-events';
import { foldEvents } from '../projection';
import { ownerAgreementsProjection } from './agreements-view';
import { agreementKey, centreOfAgreement } from './owner-agreement-ids';
import { ownerAgreementHistory, ownerAgreementsOfCentre } from './queries';

const registered = (centreId: string, partyId: string) => ({
  type: 'OwnerAgreementRegistered',
  data: { agreementId: 'eierskapsavtale', centreId, countyId: centreId, parties: [{ partyId, shareBp: 10000 }], period: { from: '2010-01-01', to: null }, signedOn: '2009-12-01' },
});
const refusal = (f: () => unknown): DomainError | null => {
  try {
    f();
    return null;
  } catch (e) {
    return e as DomainError;
  }
};

describe('owner agreements are keyed by centre and id', () => {
  const view = foldEvents(
    ownerAgreementsProjection,
    recorded([
      registered('he', 'he-fk'),
      registered('op', 'op-fk'),
      { type: 'OwnerAgreementAmended', data: { agreementId: 'eierskapsavtale', centreId: 'op', countyId: 'op', effectiveFrom: '2012-01-01', parties: [{ partyId: 'op-fk', shareBp: 10000 }], period: { from: '2010-01-01', to: null }, note: null } },
      { type: 'OwnerAgreementTerminated', data: { agreementId: 'eierskapsavtale', centreId: 'he', countyId: 'he', effectiveFrom: '2013-01-01', reason: null } },
    ]),
  );

  it('two centres with the same agreement id keep their own history', () => {
    expect(Object.keys(view.agreements)).toEqual([agreementKey('he', 'eierskapsavtale'), agreementKey('op', 'eierskapsavtale')]);
    const he = ownerAgreementHistory(view, 'he', 'eierskapsavtale')!;
    const op = ownerAgreementHistory(view, 'op', 'eierskapsavtale')!;
    expect([he.versions.length, he.terminatedFrom, he.versions[0].parties[0].partyId]).toEqual([1, '2013-01-01', 'he-fk']);
    expect([op.versions.length, op.terminatedFrom, op.versions[0].parties[0].partyId]).toEqual([2, null, 'op-fk']);
    expect(ownerAgreementsOfCentre(view, 'op').map((a) => a.centreId)).toEqual(['op']);
    expect(ownerAgreementHistory(view, 'nowhere', 'eierskapsavtale')).toBeNull();
  });

  it('the id alone resolves to its centre only when one centre has it', () => {
    expect(view.centresById).toEqual({ eierskapsavtale: ['he', 'op'] });
    const ambiguous = refusal(() => centreOfAgreement(view.centresById, 'eierskapsavtale', '/cost-share-compliance/2013'))!;
    expect([ambiguous.code, ambiguous.kind, ambiguous.details]).toEqual(['OWNER_AGREEMENT.AMBIGUOUS_ID', 'conflict', { agreementId: 'eierskapsavtale', centreIds: ['he', 'op'] }]);
    expect(ambiguous.message).toContain('/centres/op/owner-agreements/eierskapsavtale/cost-share-compliance/2013');
    expect([refusal(() => centreOfAgreement(view.centresById, 'nope'))?.code]).toEqual(['OWNER_AGREEMENT.NOT_FOUND']);
    expect(centreOfAgreement({ x: ['he'] }, 'x')).toBe('he');
    // Ids such as "constructor" are looked up as own keys only.
    expect(refusal(() => centreOfAgreement(view.centresById, 'constructor'))?.code).toBe('OWNER_AGREEMENT.NOT_FOUND');
  });
});
