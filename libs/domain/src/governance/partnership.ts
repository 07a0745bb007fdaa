import { CountyState } from '../counties';
import { PartyState, requireParty } from '../parties';
import { assertNever, Decider, DomainEvent, IsoDate, osloDateOf, own, Period, periodsOverlap, putOwn, refuse } from '../shared';
import { AgreementRecord, agreementSpan, assertAgreementPeriod, assertAmendable, assertParties, assertTerminable } from './agreement-terms';

/** A county's guidance partnership: its agreement(s) and the coordinating function, one stream per county. */
export const partnershipStream = (countyId: string): string => `partnership-${countyId}`;

export type PartnershipEvent =
  | DomainEvent<'PartnershipAgreementSigned', { partnershipId: string; countyId: string; parties: string[]; signedOn: IsoDate; period: Period }>
  | DomainEvent<'PartnershipAgreementAmended', { partnershipId: string; countyId: string; effectiveFrom: IsoDate; parties: string[]; period: Period; note: string | null }>
  | DomainEvent<'PartnershipAgreementTerminated', { partnershipId: string; countyId: string; effectiveFrom: IsoDate; reason: string | null }>
  | DomainEvent<'CoordinatingFunctionAssigned', { countyId: string; holderPartyId: string; description: string; from: IsoDate; to: IsoDate | null }>
  | DomainEvent<'CoordinatingFunctionEnded', { countyId: string; holderPartyId: string; endedOn: IsoDate }>;

interface Context {
  county: CountyState;
  parties: Record<string, PartyState>;
}

export type PartnershipCommand =
  | ({ type: 'SignPartnershipAgreement'; data: { partnershipId: string; countyId: string; parties: string[]; signedOn: IsoDate; period: Period } } & Context)
  | ({ type: 'AmendPartnershipAgreement'; data: { partnershipId: string; countyId: string; effectiveFrom: IsoDate; parties: string[]; period: Period; note: string | null } } & Context)
  | ({ type: 'TerminatePartnershipAgreement'; data: { partnershipId: string; countyId: string; effectiveFrom: IsoDate; reason: string | null } } & Context)
  | ({ type: 'AssignCoordinatingFunction'; data: { countyId: string; holderPartyId: string; description: string; from: IsoDate; to: IsoDate | null } } & Context)
  | ({ type: 'EndCoordinatingFunction'; data: { countyId: string; holderPartyId: string; endedOn: IsoDate } } & Context);

export interface CoordinatingTerm {
  holderPartyId: string;
  description: string;
  from: IsoDate;
  /** Last day held (the planned end, or the day it was ended). */
  to: IsoDate | null;
}

export interface PartnershipState {
  agreements: Record<string, AgreementRecord<string>>;
  coordinating: CoordinatingTerm[];
}

const requireCounty = (county: CountyState, countyId: string): void => {
  if (county.status !== 'registered') refuse('COUNTY.NOT_FOUND', `County ${countyId} is not registered.`, 'not-found', { countyId });
};

/**
 * The county's own partnership: every party is registered, named once, and of that county or of none
 * (a national one, such as Vox or a union), as the coordinating function's holder and an owner
 * agreement's parties are: another county's authority or NAV office is no party to this county's
 * partnership (criterion 1 would not count it, yet the agreement would list it as signed by it).
 */
const assertPartnershipParties = (parties: string[], known: Record<string, PartyState>, countyId: string): void => {
  if (parties.length < 2) refuse('PARTNERSHIP.TOO_FEW_PARTIES', 'A partnership agreement is made between at least two parties (at least the county authority and the NAV county office).', 'invalid', { parties });
  assertParties(parties, known, 'PARTNERSHIP.DUPLICATE_PARTY');
  for (const partyId of parties) {
    const p = known[partyId];
    if (p?.status === 'registered' && typeof p.countyId === 'string' && p.countyId !== countyId) {
      refuse('PARTNERSHIP.PARTY_OF_OTHER_COUNTY', `${p.name} (${partyId}) is a party of county ${p.countyId}; the partnership agreement of county ${countyId} is made by parties of that county (or national ones).`, 'rule', { partyId, partyCountyId: p.countyId, countyId });
    }
  }
};

const assertNoOverlap = (state: PartnershipState, partnershipId: string, span: Period | null, countyId: string): void => {
  if (span === null) return;
  for (const [id, other] of Object.entries(state.agreements)) {
    if (id === partnershipId) continue;
    const o = agreementSpan(other);
    if (o !== null && periodsOverlap(o, span)) {
      refuse('PARTNERSHIP.OVERLAPS', `County ${countyId} already has partnership agreement ${id} in force ${o.from} – ${o.to ?? 'open'}; amend or terminate it first.`, 'conflict', { overlapsPartnershipId: id, period: o });
    }
  }
};

const requireAgreement = (state: PartnershipState, id: string, countyId: string): AgreementRecord<string> =>
  own(state.agreements, id) ?? refuse('PARTNERSHIP.NOT_FOUND', `County ${countyId} has no partnership agreement ${id}.`, 'not-found', { partnershipId: id, countyId });

export const partnershipDecider: Decider<PartnershipCommand, PartnershipEvent, PartnershipState> = {
  initialState: () => ({ agreements: {}, coordinating: [] }),
  // Updates the state in place (it is always a fresh fold from initialState), so loading a county
  // with many agreements or terms stays linear. Only the records evolve made are changed, never
  // event data; an ended term is replaced, not changed.
  evolve: (state, event) => {
    switch (event.type) {
      case 'PartnershipAgreementSigned': {
        const d = event.data;
        putOwn(state.agreements, d.partnershipId, { signedOn: d.signedOn, versions: [{ effectiveFrom: d.period.from, parties: d.parties, period: d.period }], terminatedFrom: null });
        return state;
      }
      case 'PartnershipAgreementAmended': {
        const d = event.data;
        const a = own(state.agreements, d.partnershipId);
        if (a) a.versions.push({ effectiveFrom: d.effectiveFrom, parties: d.parties, period: d.period });
        return state;
      }
      case 'PartnershipAgreementTerminated': {
        const d = event.data;
        const a = own(state.agreements, d.partnershipId);
        if (a) a.terminatedFrom = d.effectiveFrom;
        return state;
      }
      case 'CoordinatingFunctionAssigned': {
        const d = event.data;
        state.coordinating.push({ holderPartyId: d.holderPartyId, description: d.description, from: d.from, to: d.to });
        return state;
      }
      case 'CoordinatingFunctionEnded': {
        const d = event.data;
        const terms = state.coordinating;
        for (let i = 0; i < terms.length; i++) {
          const c = terms[i];
          if (c.holderPartyId === d.holderPartyId && c.from <= d.endedOn && (c.to === null || c.to >= d.endedOn)) terms[i] = { ...c, to: d.endedOn };
        }
        return state;
      }
      default:
        return state;
    }
  },
  decide: (command, state, ctx) => {
    requireCounty(command.county, command.data.countyId);
    switch (command.type) {
      case 'SignPartnershipAgreement': {
        const d = command.data;
        if (own(state.agreements, d.partnershipId)) refuse('PARTNERSHIP.ALREADY_REGISTERED', `Partnership agreement ${d.partnershipId} is already registered; amend it instead.`, 'conflict');
        // The ledger records agreements signed: a signing date after today (in Norway) has not happened yet.
        const today = osloDateOf(ctx.now);
        if (d.signedOn > today) {
          refuse('PARTNERSHIP.SIGNED_IN_FUTURE', `A partnership agreement is recorded once it is signed; signedOn (${d.signedOn}) is after today (${today}).`, 'rule', { signedOn: d.signedOn, today });
        }
        assertAgreementPeriod(d.period);
        assertPartnershipParties(d.parties, command.parties, d.countyId);
        assertNoOverlap(state, d.partnershipId, d.period, d.countyId);
        return [{ type: 'PartnershipAgreementSigned', data: { partnershipId: d.partnershipId, countyId: d.countyId, parties: d.parties, signedOn: d.signedOn, period: d.period } }];
      }
      case 'AmendPartnershipAgreement': {
        const d = command.data;
        const a = requireAgreement(state, d.partnershipId, d.countyId);
        assertAmendable(a, d.effectiveFrom, d.period, 'partnership agreement');
        assertPartnershipParties(d.parties, command.parties, d.countyId);
        assertNoOverlap(state, d.partnershipId, agreementSpan({ ...a, versions: [...a.versions, { effectiveFrom: d.effectiveFrom, parties: d.parties, period: d.period }] }), d.countyId);
        return [{ type: 'PartnershipAgreementAmended', data: { ...d } }];
      }
      case 'TerminatePartnershipAgreement': {
        const d = command.data;
        assertTerminable(requireAgreement(state, d.partnershipId, d.countyId), d.effectiveFrom, 'partnership agreement');
        return [{ type: 'PartnershipAgreementTerminated', data: { ...d } }];
      }
      case 'AssignCoordinatingFunction': {
        const d = command.data;
        if (d.to !== null && d.to < d.from) refuse('COORDINATING_FUNCTION.ENDS_BEFORE_START', `The coordinating function cannot end (${d.to}) before it starts (${d.from}).`, 'rule', { from: d.from, to: d.to });
        const holder = requireParty(command.parties[d.holderPartyId] ?? { status: 'unregistered' }, d.holderPartyId);
        // The county's own function: held by a party of that county, or by one without a county (a national one).
        if (typeof holder.countyId === 'string' && holder.countyId !== d.countyId) {
          refuse('COORDINATING_FUNCTION.HOLDER_OF_OTHER_COUNTY', `${holder.name} (${d.holderPartyId}) is a party of county ${holder.countyId}; the coordinating function of county ${d.countyId} is held by a party of that county (or a national one).`, 'rule', { holderPartyId: d.holderPartyId, holderCountyId: holder.countyId, countyId: d.countyId });
        }
        const clash = state.coordinating.find((c) => periodsOverlap(c, d));
        if (clash) {
          refuse('COORDINATING_FUNCTION.OVERLAPS', `The coordinating function of county ${d.countyId} is held by ${clash.holderPartyId} ${clash.from} – ${clash.to ?? 'open'}; end it before assigning it again.`, 'conflict', { holderPartyId: clash.holderPartyId, from: clash.from, to: clash.to });
        }
        return [{ type: 'CoordinatingFunctionAssigned', data: { ...d } }];
      }
      case 'EndCoordinatingFunction': {
        const d = command.data;
        const terms = state.coordinating.filter((c) => c.holderPartyId === d.holderPartyId);
        // The term that holds endedOn, wherever it was recorded: terms may be backfilled after later ones.
        const held = terms.find((c) => c.from <= d.endedOn && (c.to === null || c.to >= d.endedOn));
        if (!held) {
          // No term holds endedOn: one running past it starts after it (ENDS_BEFORE_START); none means NOT_HELD.
          const later = terms.find((c) => c.to === null || c.to >= d.endedOn);
          if (!later) return refuse('COORDINATING_FUNCTION.NOT_HELD', `${d.holderPartyId} does not hold the coordinating function of county ${d.countyId} on ${d.endedOn}.`, 'rule', { holderPartyId: d.holderPartyId });
          return refuse('COORDINATING_FUNCTION.ENDS_BEFORE_START', `The coordinating function cannot end (${d.endedOn}) before it started (${later.from}).`, 'rule');
        }
        // Ending on the term's last day again would change nothing; an earlier day (shortening it) is a change.
        if (held.to === d.endedOn) {
          refuse('COORDINATING_FUNCTION.ALREADY_ENDED', `${d.holderPartyId}'s coordinating function of county ${d.countyId} (from ${held.from}) already ends on ${d.endedOn}; to end it earlier, give an earlier date.`, 'conflict', { holderPartyId: d.holderPartyId, from: held.from, to: held.to });
        }
        return [{ type: 'CoordinatingFunctionEnded', data: { ...d } }];
      }
      default:
        return assertNever(command);
    }
  },
};

/** Who holds the coordinating function on a date (null when nobody). */
export const coordinatingHolderOn = (terms: CoordinatingTerm[], date: IsoDate): CoordinatingTerm | null =>
  terms.find((c) => c.from <= date && (c.to === null || date <= c.to)) ?? null;
