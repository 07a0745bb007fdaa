import { DomainError } from '../../../domain/src/shared';
import { get, slot } from './evidence';

/**
 * Owner-agreement ids are unique per centre only (each centre's agreements share one stream,
 * owner-agreements-<centreId>), so two centres may both have `eierskapsavtale`. Views key agreements
 * by both; ids never contain ':', so the key is unambiguous.
 */
export const agreementKey = (centreId: string, agreementId: string): string => `${centreId}:${agreementId}`;

/** Agreement id → the centres with an agreement of that id, in the order recorded. */
export type CentresByAgreementId = Record<string, string[]>;

export const noteAgreementCentre = (index: CentresByAgreementId, agreementId: string, centreId: string): void => {
  const centres = slot(index, agreementId, () => []);
  if (!centres.includes(centreId)) centres.push(centreId);
};

/**
 * The one centre with an agreement of this id, for routes that name the agreement without its centre
 * (`/owner-agreements/:agreementId…`). When several centres have one, guessing would answer about the
 * wrong centre: 409 with the centres, pointing to the centre-scoped form of the same route (`rest`
 * is what follows the agreement id in it).
 */
export const centreOfAgreement = (index: CentresByAgreementId, agreementId: string, rest = ''): string => {
  const centres = get(index, agreementId) ?? [];
  if (centres.length === 0) throw new DomainError('OWNER_AGREEMENT.NOT_FOUND', `No owner agreement ${agreementId} is registered.`, 'not-found', { agreementId });
  if (centres.length > 1) {
    const paths = centres.map((c) => `/centres/${c}/owner-agreements/${agreementId}${rest}`);
    throw new DomainError('OWNER_AGREEMENT.AMBIGUOUS_ID', `Centres ${centres.join(', ')} each have an owner agreement ${agreementId}; ask for one centre's: ${paths.join(' or ')}.`, 'conflict', { agreementId, centreIds: [...centres] });
  }
  return centres[0];
};

/** Not found under the centre-scoped routes. */
export const noAgreementOfCentre = (centreId: string, agreementId: string): DomainError =>
  new DomainError('OWNER_AGREEMENT.NOT_FOUND', `Centre ${centreId} has no owner agreement ${agreementId}.`, 'not-found', { centreId, agreementId });
