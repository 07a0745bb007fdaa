import { OwnerShare } from '../../../domain/src/governance';
import { IsoDate, Period, RecordedEvent } from '../../../domain/src/shared';
import { Projection } from '../projection';
import { EventRef, get, refOf, slot } from './evidence';
import { agreementKey, CentresByAgreementId, noteAgreementCentre } from './owner-agreement-ids';

export interface TermsVersion<P> {
  effectiveFrom: IsoDate;
  parties: P[];
  period: Period;
  note: string | null;
  event: EventRef;
}

export interface AgreementEntry<P> {
  signedOn: IsoDate;
  versions: TermsVersion<P>[];
  terminatedFrom: IsoDate | null;
  termination: { reason: string | null; event: EventRef } | null;
}

export interface OwnerAgreementEntry extends AgreementEntry<OwnerShare> {
  agreementId: string;
  centreId: string;
  countyId: string;
}

export interface OwnerAgreementsView {
  /** By agreementKey(centreId, agreementId): an id is unique per centre only. */
  agreements: Record<string, OwnerAgreementEntry>;
  /** Centre → the ids of its agreements, in the order recorded. */
  byCentre: Record<string, string[]>;
  /** Agreement id → the centres that have one of that id (resolves `/owner-agreements/:agreementId`). */
  centresById: CentresByAgreementId;
}

export const OWNER_AGREEMENTS = 'owner-agreements';

/** Every owner agreement with its full history of terms (nothing overwritten). */
export const ownerAgreementsProjection: Projection<OwnerAgreementsView> = {
  name: OWNER_AGREEMENTS,
  // 2: agreements keyed by centre and id (two centres' `eierskapsavtale` overwrote each other), centresById.
  version: 2,
  eventTypes: ['OwnerAgreementRegistered', 'OwnerAgreementAmended', 'OwnerAgreementTerminated'],
  initial: () => ({ agreements: {}, byCentre: {}, centresById: {} }),
  evolve: (view, e: RecordedEvent) => {
    const d = e.data as any;
    const key = agreementKey(d?.centreId, d?.agreementId);
    switch (e.type) {
      case 'OwnerAgreementRegistered':
        view.agreements[key] = {
          agreementId: d.agreementId,
          centreId: d.centreId,
          countyId: d.countyId,
          signedOn: d.signedOn,
          versions: [{ effectiveFrom: d.period.from, parties: d.parties, period: d.period, note: null, event: refOf(e) }],
          terminatedFrom: null,
          termination: null,
        };
        slot(view.byCentre, d.centreId, () => ([])).push(d.agreementId);
        noteAgreementCentre(view.centresById, d.agreementId, d.centreId);
        break;
      case 'OwnerAgreementAmended': {
        const a = get(view.agreements, key);
        if (a) a.versions.push({ effectiveFrom: d.effectiveFrom, parties: d.parties, period: d.period, note: d.note ?? null, event: refOf(e) });
        break;
      }
      case 'OwnerAgreementTerminated': {
        const a = get(view.agreements, key);
        if (a) {
          a.terminatedFrom = d.effectiveFrom;
          a.termination = { reason: d.reason ?? null, event: refOf(e) };
        }
        break;
      }
    }
    return view;
  },
};

export interface PartnershipEntry extends AgreementEntry<string> {
  partnershipId: string;
  countyId: string;
}

export interface CoordinatingEntry {
  holderPartyId: string;
  description: string;
  from: IsoDate;
  /** Last day held: the planned end, or the day it was ended. */
  to: IsoDate | null;
  assigned: EventRef;
  ended: EventRef | null;
}

export interface CountyPartnership {
  countyId: string;
  agreements: Record<string, PartnershipEntry>;
  coordinating: CoordinatingEntry[];
}

export type PartnershipsView = Record<string, CountyPartnership>;

export const GUIDANCE_PARTNERSHIPS = 'guidance-partnerships';

/** Each county's guidance partnership: agreements with their history, and who held the coordinating function when. */
export const guidancePartnershipsProjection: Projection<PartnershipsView> = {
  name: GUIDANCE_PARTNERSHIPS,
  version: 1,
  eventTypes: ['PartnershipAgreementSigned', 'PartnershipAgreementAmended', 'PartnershipAgreementTerminated', 'CoordinatingFunctionAssigned', 'CoordinatingFunctionEnded'],
  initial: () => ({}),
  evolve: (view, e: RecordedEvent) => {
    const d = e.data as any;
    const county = (): CountyPartnership => slot(view, d.countyId, () => ({ countyId: d.countyId, agreements: {}, coordinating: [] }));
    switch (e.type) {
      case 'PartnershipAgreementSigned':
        county().agreements[d.partnershipId] = {
          partnershipId: d.partnershipId,
          countyId: d.countyId,
          signedOn: d.signedOn,
          versions: [{ effectiveFrom: d.period.from, parties: d.parties, period: d.period, note: null, event: refOf(e) }],
          terminatedFrom: null,
          termination: null,
        };
        break;
      case 'PartnershipAgreementAmended': {
        const a = get(county().agreements, d.partnershipId);
        if (a) a.versions.push({ effectiveFrom: d.effectiveFrom, parties: d.parties, period: d.period, note: d.note ?? null, event: refOf(e) });
        break;
      }
      case 'PartnershipAgreementTerminated': {
        const a = get(county().agreements, d.partnershipId);
        if (a) {
          a.terminatedFrom = d.effectiveFrom;
          a.termination = { reason: d.reason ?? null, event: refOf(e) };
        }
        break;
      }
      case 'CoordinatingFunctionAssigned':
        county().coordinating.push({ holderPartyId: d.holderPartyId, description: d.description, from: d.from, to: d.to ?? null, assigned: refOf(e), ended: null });
        break;
      case 'CoordinatingFunctionEnded': {
        const c = county().coordinating.find((x) => x.holderPartyId === d.holderPartyId && x.from <= d.endedOn && (x.to === null || x.to >= d.endedOn));
        if (c) {
          c.to = d.endedOn;
          c.ended = refOf(e);
        }
        break;
      }
    }
    return view;
  },
};
