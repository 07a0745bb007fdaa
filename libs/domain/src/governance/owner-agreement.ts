import { CentreState, requireCentre, requireOpenFor } from '../counties';
import { PartyState } from '../parties';
import { assertNever, Decider, DomainEvent, IsoDate, osloDateOf, own, Period, periodsOverlap, putOwn, refuse } from '../shared';
import { AgreementRecord, agreementSpan, assertAgreementPeriod, assertAmendable, assertParties, assertTerminable } from './agreement-terms';

/** All owner agreements of one centre live in one stream, so overlaps are checked without reading anything else. */
export const ownerAgreementsStream = (centreId: string): string => `owner-agreements-${centreId}`;

export const FULL_SHARE_BP = 10_000;

export interface OwnerShare {
  partyId: string;
  /** Cost share in basis points (1/100 of a percent); an agreement's shares sum to exactly 10000. */
  shareBp: number;
}

export type OwnerAgreementEvent =
  | DomainEvent<'OwnerAgreementRegistered', { agreementId: string; centreId: string; countyId: string; parties: OwnerShare[]; period: Period; signedOn: IsoDate }>
  | DomainEvent<'OwnerAgreementAmended', { agreementId: string; centreId: string; countyId: string; effectiveFrom: IsoDate; parties: OwnerShare[]; period: Period; note: string | null }>
  | DomainEvent<'OwnerAgreementTerminated', { agreementId: string; centreId: string; countyId: string; effectiveFrom: IsoDate; reason: string | null }>;

interface Context {
  centre: CentreState;
  /** State of every party the command names. */
  parties: Record<string, PartyState>;
}

export type OwnerAgreementCommand =
  | ({ type: 'RegisterOwnerAgreement'; data: { agreementId: string; centreId: string; parties: OwnerShare[]; period: Period; signedOn: IsoDate } } & Context)
  | ({ type: 'AmendOwnerAgreement'; data: { agreementId: string; centreId: string; effectiveFrom: IsoDate; parties: OwnerShare[]; period: Period; note: string | null } } & Context)
  | ({ type: 'TerminateOwnerAgreement'; data: { agreementId: string; centreId: string; effectiveFrom: IsoDate; reason: string | null } } & Context);

export interface OwnerAgreementsState {
  agreements: Record<string, AgreementRecord<OwnerShare>>;
}

export const assertShares = (parties: OwnerShare[]): void => {
  if (parties.length === 0) refuse('OWNER_AGREEMENT.NO_PARTIES', 'An owner agreement names at least one party.', 'invalid');
  for (const p of parties) {
    if (!Number.isSafeInteger(p.shareBp) || p.shareBp <= 0 || p.shareBp > FULL_SHARE_BP) {
      refuse('OWNER_AGREEMENT.INVALID_SHARE', `Party ${p.partyId}'s share must be a whole number of basis points between 1 and 10000 (100 % = 10000).`, 'invalid', { partyId: p.partyId, shareBp: p.shareBp });
    }
  }
  const sum = parties.reduce((s, p) => s + p.shareBp, 0);
  if (sum !== FULL_SHARE_BP) {
    refuse('OWNER_AGREEMENT.SHARES_NOT_100', `The cost shares sum to ${sum / 100} %, not 100 % (in basis points: ${sum}, not 10000).`, 'rule', { sumBp: sum });
  }
};

/**
 * A centre is owned by parties of its own county: a party registered to another county (its `countyId`
 * set and not the centre's) is refused; a party without a county (a national one) may own a share.
 */
export const assertPartiesOfCounty = (parties: OwnerShare[], known: Record<string, PartyState>, centreId: string, countyId: string): void => {
  for (const { partyId } of parties) {
    const p = known[partyId];
    if (p?.status === 'registered' && typeof p.countyId === 'string' && p.countyId !== countyId) {
      refuse('OWNER_AGREEMENT.PARTY_OF_OTHER_COUNTY', `${p.name} (${partyId}) is a party of county ${p.countyId}; centre ${centreId} is of county ${countyId}, and its owners are parties of its own county (or national ones).`, 'rule', { partyId, partyCountyId: p.countyId, centreCountyId: countyId });
    }
  }
};

const assertNoOverlap = (state: OwnerAgreementsState, agreementId: string, span: Period | null, centreId: string): void => {
  if (span === null) return;
  for (const [id, other] of Object.entries(state.agreements)) {
    if (id === agreementId) continue;
    const o = agreementSpan(other);
    if (o !== null && periodsOverlap(o, span)) {
      refuse('OWNER_AGREEMENT.OVERLAPS', `Owner agreement ${id} for centre ${centreId} is in force ${o.from} – ${o.to ?? 'open'}, which overlaps ${span.from} – ${span.to ?? 'open'}; amend or terminate it first.`, 'conflict', { overlapsAgreementId: id, period: o });
    }
  }
};

const requireAgreement = (state: OwnerAgreementsState, agreementId: string, centreId: string): AgreementRecord<OwnerShare> =>
  own(state.agreements, agreementId) ??
  refuse('OWNER_AGREEMENT.NOT_FOUND', `Centre ${centreId} has no owner agreement ${agreementId}.`, 'not-found', { agreementId, centreId });

export const ownerAgreementDecider: Decider<OwnerAgreementCommand, OwnerAgreementEvent, OwnerAgreementsState> = {
  initialState: () => ({ agreements: {} }),
  // Updates the state in place (it is always a fresh fold from initialState), so loading a centre
  // with many agreements stays linear. Only the records evolve made are changed, never event data.
  evolve: (state, event) => {
    const d = event.data;
    switch (event.type) {
      case 'OwnerAgreementRegistered':
        putOwn(state.agreements, d.agreementId, { signedOn: event.data.signedOn, versions: [{ effectiveFrom: event.data.period.from, parties: event.data.parties, period: event.data.period }], terminatedFrom: null });
        return state;
      case 'OwnerAgreementAmended': {
        const a = own(state.agreements, d.agreementId);
        if (a) a.versions.push({ effectiveFrom: event.data.effectiveFrom, parties: event.data.parties, period: event.data.period });
        return state;
      }
      case 'OwnerAgreementTerminated': {
        const a = own(state.agreements, d.agreementId);
        if (a) a.terminatedFrom = event.data.effectiveFrom;
        return state;
      }
      default:
        return state;
    }
  },
  decide: (command, state, ctx) => {
    const centre = requireCentre(command.centre, command.data.centreId);
    const { countyId } = centre;
    switch (command.type) {
      case 'RegisterOwnerAgreement': {
        const d = command.data;
        if (own(state.agreements, d.agreementId)) refuse('OWNER_AGREEMENT.ALREADY_REGISTERED', `Owner agreement ${d.agreementId} is already registered; amend it instead.`, 'conflict', { agreementId: d.agreementId });
        // Recorded once signed, as a partnership agreement is: a signing date after today (in Norway) has not happened yet.
        const today = osloDateOf(ctx.now);
        if (d.signedOn > today) {
          refuse('OWNER_AGREEMENT.SIGNED_IN_FUTURE', `An owner agreement is recorded once it is signed; signedOn (${d.signedOn}) is after today (${today}).`, 'rule', { signedOn: d.signedOn, today });
        }
        assertAgreementPeriod(d.period);
        assertShares(d.parties);
        assertParties(d.parties.map((p) => p.partyId), command.parties, 'OWNER_AGREEMENT.DUPLICATE_PARTY');
        assertPartiesOfCounty(d.parties, command.parties, d.centreId, countyId);
        assertNoOverlap(state, d.agreementId, d.period, d.centreId);
        const events: OwnerAgreementEvent[] = [{ type: 'OwnerAgreementRegistered', data: { agreementId: d.agreementId, centreId: d.centreId, countyId, parties: d.parties, period: d.period, signedOn: d.signedOn } }];
        // Refused when the centre is closed on the later of its start and its signing (the date rule).
        requireOpenFor(command.centre, d.centreId, events);
        return events;
      }
      case 'AmendOwnerAgreement': {
        const d = command.data;
        const a = requireAgreement(state, d.agreementId, d.centreId);
        assertAmendable(a, d.effectiveFrom, d.period, 'owner agreement');
        assertShares(d.parties);
        assertParties(d.parties.map((p) => p.partyId), command.parties, 'OWNER_AGREEMENT.DUPLICATE_PARTY');
        assertPartiesOfCounty(d.parties, command.parties, d.centreId, countyId);
        const amended = { ...a, versions: [...a.versions, { effectiveFrom: d.effectiveFrom, parties: d.parties, period: d.period }] };
        assertNoOverlap(state, d.agreementId, agreementSpan(amended), d.centreId);
        const events: OwnerAgreementEvent[] = [{ type: 'OwnerAgreementAmended', data: { agreementId: d.agreementId, centreId: d.centreId, countyId, effectiveFrom: d.effectiveFrom, parties: d.parties, period: d.period, note: d.note } }];
        // Refused when it takes effect on or after the centre's closure (the date rule).
        requireOpenFor(command.centre, d.centreId, events);
        return events;
      }
      case 'TerminateOwnerAgreement': {
        const d = command.data;
        const a = requireAgreement(state, d.agreementId, d.centreId);
        assertTerminable(a, d.effectiveFrom, 'owner agreement');
        // A termination needs no day open: a closed centre's agreement can still be ended.
        return [{ type: 'OwnerAgreementTerminated', data: { agreementId: d.agreementId, centreId: d.centreId, countyId, effectiveFrom: d.effectiveFrom, reason: d.reason } }];
      }
      default:
        return assertNever(command);
    }
  },
};
