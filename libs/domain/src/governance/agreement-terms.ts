import { addDays, IsoDate, Period, periodContains, refuse } from '../shared';
import { PartyState, requireParty } from '../parties';

/**
 * An agreement's terms as a list of versions: the signed terms (effective from the period's start)
 * and each amendment (effective from its date). Nothing is overwritten; the terms on a date are
 * those of the last version effective on or before it.
 */
export interface AgreementVersion<P> {
  effectiveFrom: IsoDate;
  parties: P[];
  period: Period;
}

export interface AgreementRecord<P> {
  signedOn: IsoDate;
  versions: AgreementVersion<P>[];
  /** First day no longer in force (the agreement holds until the day before). */
  terminatedFrom: IsoDate | null;
}

/** Whether a signed agreement is in force on a day, and if not, why (the first reason that applies). */
export type SignedAgreementOn<V> =
  | { inForce: true; version: V }
  | { inForce: false; because: 'not-yet-signed'; version: null }
  | { inForce: false; because: 'terminated'; version: null }
  | { inForce: false; because: 'not-yet-effective'; version: null }
  | { inForce: false; because: 'lapsed'; version: V };

/**
 * THE rule for an agreement "in force" on `date`, a county's partnership agreement and a centre's owner
 * agreement alike: signed on or before it (`signedOn` ≤ date: an agreement backdated to a period before
 * its signing is not in force before it was signed), not terminated by then, and the terms effective on
 * that day cover it in their period. The partnership answers (`/counties/:countyId/partnership`,
 * `/partnerships`, the governance profile) and the base-grant criterion 1 read it, and so do the owner
 * answers (`/centres/:centreId/owner-agreements`, `…/:agreementId?date=`, the profile's owners, the NAV
 * link's owner ground); cost-share compliance counts the days from the signing on by the same rule.
 */
export const signedAgreementOn = <V extends { effectiveFrom: IsoDate; period: Period }>(
  rec: { signedOn: IsoDate; versions: readonly V[]; terminatedFrom: IsoDate | null },
  date: IsoDate,
): SignedAgreementOn<V> => {
  if (rec.signedOn > date) return { inForce: false, because: 'not-yet-signed', version: null };
  if (rec.terminatedFrom !== null && date >= rec.terminatedFrom) return { inForce: false, because: 'terminated', version: null };
  let found: V | null = null;
  for (const v of rec.versions) if (v.effectiveFrom <= date) found = v;
  if (found === null) return { inForce: false, because: 'not-yet-effective', version: null };
  if (!periodContains(found.period, date)) return { inForce: false, because: 'lapsed', version: found };
  return { inForce: true, version: found };
};

/** The whole span an agreement is (or was) in force: from its first day to its last, termination included. */
export const agreementSpan = <P>(rec: Pick<AgreementRecord<P>, 'versions' | 'terminatedFrom'>): Period | null => {
  const first = rec.versions[0];
  const last = rec.versions[rec.versions.length - 1];
  if (!first) return null;
  let to = last.period.to;
  if (rec.terminatedFrom !== null) {
    const end = addDays(rec.terminatedFrom, -1);
    to = to === null || end < to ? end : to;
  }
  if (to !== null && to < first.period.from) return null;
  return { from: first.period.from, to };
};

export const assertAgreementPeriod = (period: Period): void => {
  if (period.to !== null && period.to < period.from) {
    refuse('AGREEMENT.ENDS_BEFORE_START', `The agreement ends (${period.to}) before it starts (${period.from}).`, 'rule', { from: period.from, to: period.to });
  }
};

/** Every named party must be registered, and named once. */
export const assertParties = (partyIds: string[], parties: Record<string, PartyState>, duplicateCode: string): void => {
  const seen = new Set<string>();
  for (const id of partyIds) {
    if (seen.has(id)) refuse(duplicateCode, `Party ${id} is named more than once.`, 'invalid', { partyId: id });
    seen.add(id);
    requireParty(parties[id] ?? { status: 'unregistered' }, id);
  }
};

/** Checks an amendment against the agreement's current terms. */
export const assertAmendable = <P>(rec: AgreementRecord<P>, effectiveFrom: IsoDate, period: Period, what: string): void => {
  if (rec.terminatedFrom !== null) {
    refuse('AGREEMENT.TERMINATED', `The ${what} was terminated from ${rec.terminatedFrom}; register a new one instead of amending it.`, 'conflict', { terminatedFrom: rec.terminatedFrom });
  }
  const last = rec.versions[rec.versions.length - 1];
  if (effectiveFrom < last.effectiveFrom) {
    refuse('AGREEMENT.AMENDMENT_OUT_OF_ORDER', `An amendment cannot take effect (${effectiveFrom}) before the latest terms did (${last.effectiveFrom}).`, 'rule', { effectiveFrom, latestEffectiveFrom: last.effectiveFrom });
  }
  assertAgreementPeriod(period);
  if (!periodContains(period, effectiveFrom)) {
    refuse('AGREEMENT.AMENDMENT_OUTSIDE_PERIOD', `The amendment takes effect on ${effectiveFrom}, outside its own period (${period.from} – ${period.to ?? 'open'}).`, 'rule', { effectiveFrom, period });
  }
};

/** Checks a termination date against the agreement's span. */
export const assertTerminable = <P>(rec: AgreementRecord<P>, effectiveFrom: IsoDate, what: string): void => {
  if (rec.terminatedFrom !== null) {
    refuse('AGREEMENT.TERMINATED', `The ${what} was already terminated from ${rec.terminatedFrom}.`, 'conflict', { terminatedFrom: rec.terminatedFrom });
  }
  const span = agreementSpan(rec);
  if (span === null) return;
  if (effectiveFrom < span.from) {
    refuse('AGREEMENT.TERMINATION_BEFORE_START', `The ${what} cannot be terminated from ${effectiveFrom}, before it came into force (${span.from}).`, 'rule', { effectiveFrom, from: span.from });
  }
  if (span.to !== null && effectiveFrom > addDays(span.to, 1)) {
    refuse('AGREEMENT.ALREADY_ENDED', `The ${what} already ended on ${span.to}; there is nothing left to terminate from ${effectiveFrom}.`, 'rule', { effectiveFrom, to: span.to });
  }
};
