import { CentreState, requireCentre, requireOpenFor } from '../counties/centre';
import { fallsAfterClosing } from '../counties/centre-facts';
import { PartyKind, PartyState, requireParty } from '../parties/party';
import { addDays, assertNever, Decider, DomainEvent, formatOre, IsoDate, refuse } from '../shared';
import { formatFte, MAX_ANNUAL_COST_ORE, parseFteMilli, parseOptionalOre, requireDate } from './common';

/** Who formally employs the person in a position (a row of the key figures). */
export const EMPLOYER_KINDS = ['centre', 'county-authority', 'nav-county-office', 'nav-local-office', 'municipality', 'other'] as const;
export type EmployerKind = (typeof EMPLOYER_KINDS)[number];

/** Who pays a position: the centre's own budget, or a party directly. */
export type Payer = { kind: 'centre' } | { kind: 'party'; partyId: string };

export const positionStream = (positionId: string): string => `position-${positionId}`;

export type StaffPositionStartedData = {
  positionId: string;
  centreId: string;
  countyId: string;
  title: string;
  employerKind: EmployerKind;
  employerPartyId: string | null;
  fteMilli: number;
  payer: Payer;
  /** What the position costs a year (at its FTE), when given: values staff a party pays directly. */
  annualCostOre: number | null;
  startedOn: IsoDate;
  /**
   * The person who holds the position, as the office identifies them (e.g. an employee number), when
   * given: positions naming one person count as one person on 31.12. Absent (as in every event written
   * before it existed): the position is a person of its own.
   */
  personId?: string;
};
export type StaffPositionChangedData = {
  positionId: string;
  centreId: string;
  countyId: string;
  effectiveFrom: IsoDate;
  fteMilli: number;
  payer: Payer;
  annualCostOre: number | null;
};
export type StaffPositionEndedData = {
  positionId: string;
  centreId: string;
  countyId: string;
  /** The last day of the position (inclusive). */
  endedOn: IsoDate;
};

export type StaffPositionEvent =
  | DomainEvent<'StaffPositionStarted', StaffPositionStartedData>
  | DomainEvent<'StaffPositionChanged', StaffPositionChangedData>
  | DomainEvent<'StaffPositionEnded', StaffPositionEndedData>;

export interface PayerInput {
  kind: 'centre' | 'party';
  partyId?: string | null;
}

export type StaffPositionCommand =
  | {
      type: 'StartStaffPosition';
      data: { positionId: string; centreId: string; title: string; employerKind: EmployerKind; employerPartyId: string | null; fte: unknown; payer: PayerInput; annualCost?: unknown; startedOn: string; personId?: string | null };
      centre: CentreState;
      employerParty: PartyState | null;
      payerParty: PartyState | null;
    }
  | {
      type: 'ChangeStaffPosition';
      data: { positionId: string; centreId: string; effectiveFrom: string; fte?: unknown; payer?: PayerInput; annualCost?: unknown };
      centre: CentreState;
      payerParty: PartyState | null;
    }
  | { type: 'EndStaffPosition'; data: { positionId: string; centreId: string; endedOn: string }; centre: CentreState };

/** The terms of a position from a date: a step in its timeline. */
export interface PositionTerms {
  from: IsoDate;
  fteMilli: number;
  payer: Payer;
  annualCostOre: number | null;
}

export type StaffPositionState =
  | { status: 'none' }
  | { status: 'active' | 'ended'; positionId: string; centreId: string; countyId: string; startedOn: IsoDate; endedOn: IsoDate | null; terms: PositionTerms[] };

/**
 * Inserts terms into a timeline sorted by date; terms from the same date replace the earlier ones.
 * Generic over what a version of the terms carries (projections keep their own, e.g. who paid and the event that said so).
 */
export const withTerms = <T extends { from: IsoDate }>(timeline: readonly T[], t: T): T[] => {
  const out = timeline.filter((x) => x.from !== t.from);
  const i = out.findIndex((x) => x.from > t.from);
  if (i === -1) out.push(t);
  else out.splice(i, 0, t);
  return out;
};

export const termsOn = (timeline: readonly PositionTerms[], day: IsoDate): PositionTerms => {
  let found = timeline[0];
  for (const t of timeline) if (t.from <= day) found = t;
  return found;
};

const EMPLOYER_PARTY_KINDS: Partial<Record<EmployerKind, PartyKind>> = {
  'county-authority': 'county-authority',
  'nav-county-office': 'nav-county-office',
  'nav-local-office': 'nav-local-office',
  municipality: 'municipality',
};

const payerOf = (input: PayerInput, party: PartyState | null): Payer => {
  if (input.kind === 'centre') {
    if (input.partyId) refuse('STAFF.PAYER_INVALID', 'A position paid from the centre\'s own budget names no paying party; use {"kind": "party", "partyId": …} for a party that pays directly.', 'invalid');
    return { kind: 'centre' };
  }
  if (!input.partyId) return refuse('STAFF.PAYER_INVALID', 'A position paid directly by a party must name the party: {"kind": "party", "partyId": …}.', 'invalid');
  requireParty(party ?? { status: 'unregistered' }, input.partyId);
  return { kind: 'party', partyId: input.partyId };
};

/**
 * Staff are the centre's county's: a party registered to another county (its `countyId` set and not
 * the centre's) may neither employ nor pay a position; a national party (no county) may. The same rule
 * as an owner agreement's parties (governance/owner-agreement.ts, assertPartiesOfCounty).
 */
const requirePartyOfCounty = (party: PartyState | null, role: 'employer' | 'payer', centre: { name: string; countyId: string }): void => {
  if (party?.status !== 'registered' || typeof party.countyId !== 'string' || party.countyId === centre.countyId) return;
  // Said as ENTRY.PARTY_OF_OTHER_COUNTY says it: the centre by its name and county.
  refuse(
    'STAFF.PARTY_OF_OTHER_COUNTY',
    `${party.name} (${party.partyId}) is a party of county ${party.countyId} and cannot ${role === 'payer' ? 'pay' : 'employ'} staff at ${centre.name} (county ${centre.countyId}): a centre's staff are employed and paid directly by parties of its own county or national ones.`,
    'rule',
    { role, partyId: party.partyId, partyCountyId: party.countyId, centreCountyId: centre.countyId },
  );
};

const annualCostOf = (v: unknown): number | null => {
  const ore = parseOptionalOre(v, 'annualCost');
  if (ore !== null && ore > MAX_ANNUAL_COST_ORE) refuse('STAFF.ANNUAL_COST_TOO_LARGE', 'annualCost is above NOK 100 000 000 a year for one position, which the ledger does not accept.', 'invalid');
  return ore;
};

const requirePosition = (state: StaffPositionState, positionId: string, centreId: string): Exclude<StaffPositionState, { status: 'none' }> => {
  if (state.status === 'none') return refuse('STAFF.NOT_FOUND', `No staff position with id ${positionId} is recorded.`, 'not-found', { positionId });
  if (state.centreId !== centreId) return refuse('STAFF.OTHER_CENTRE', `Position ${positionId} belongs to centre ${state.centreId}, not to ${centreId}.`, 'rule', { positionId, centreId: state.centreId });
  return state;
};

/** A staff position at a centre: starts, changes FTE or payer from a date, ends. */
export const staffPositionDecider: Decider<StaffPositionCommand, StaffPositionEvent, StaffPositionState> = {
  initialState: () => ({ status: 'none' }),
  evolve: (state, event) => {
    switch (event.type) {
      case 'StaffPositionStarted': {
        const d = event.data;
        return { status: 'active', positionId: d.positionId, centreId: d.centreId, countyId: d.countyId, startedOn: d.startedOn, endedOn: null, terms: [{ from: d.startedOn, fteMilli: d.fteMilli, payer: d.payer, annualCostOre: d.annualCostOre }] };
      }
      case 'StaffPositionChanged': {
        if (state.status === 'none') return state;
        const d = event.data;
        return { ...state, terms: withTerms(state.terms, { from: d.effectiveFrom, fteMilli: d.fteMilli, payer: d.payer, annualCostOre: d.annualCostOre }) };
      }
      case 'StaffPositionEnded':
        return state.status === 'none' ? state : { ...state, status: 'ended', endedOn: event.data.endedOn };
      default:
        return state;
    }
  },
  decide: (command, state) => {
    switch (command.type) {
      case 'StartStaffPosition': {
        const d = command.data;
        const centre = requireCentre(command.centre, d.centreId);
        if (state.status !== 'none') refuse('STAFF.ALREADY_STARTED', `A staff position with id ${d.positionId} is already recorded.`, 'conflict', { positionId: d.positionId });
        const startedOn = requireDate(d.startedOn, 'startedOn');
        const fteMilli = parseFteMilli(d.fte);
        if (d.employerPartyId) {
          const employer = requireParty(command.employerParty ?? { status: 'unregistered' }, d.employerPartyId);
          const expected = EMPLOYER_PARTY_KINDS[d.employerKind];
          if (expected && employer.kind !== expected) {
            refuse('STAFF.EMPLOYER_KIND_MISMATCH', `The employer ${employer.name} is a ${employer.kind}, not a ${d.employerKind}.`, 'rule', { employerKind: d.employerKind, partyKind: employer.kind });
          }
        }
        const payer = payerOf(d.payer, command.payerParty);
        if (d.employerPartyId) requirePartyOfCounty(command.employerParty, 'employer', centre);
        if (payer.kind === 'party') requirePartyOfCounty(command.payerParty, 'payer', centre);
        const annualCostOre = annualCostOf(d.annualCost);
        // No staff-years for days the centre did not exist: a position starts on or after the opening.
        if (startedOn < centre.openedOn) {
          refuse('STAFF.BEFORE_OPENING', `Position ${d.positionId} at ${centre.name} cannot have started before the centre opened on ${centre.openedOn} (startedOn ${startedOn}); give a startedOn on or after the opening.`, 'rule', { positionId: d.positionId, startedOn, openedOn: centre.openedOn });
        }
        const data: StaffPositionStartedData = { positionId: d.positionId, centreId: d.centreId, countyId: centre.countyId, title: d.title, employerKind: d.employerKind, employerPartyId: d.employerPartyId ?? null, fteMilli, payer, annualCostOre, startedOn };
        // Only when given, so a position without one is recorded exactly as before. NFC: one id typed
        // two ways (Å as A + ring) is one person.
        if (typeof d.personId === 'string') data.personId = d.personId.normalize('NFC');
        const events: StaffPositionEvent[] = [{ type: 'StaffPositionStarted', data }];
        // A position starting on or after the closing date is refused; one starting before it is recorded.
        requireOpenFor(command.centre, d.centreId, events);
        return events;
      }
      case 'ChangeStaffPosition': {
        const d = command.data;
        const pos = requirePosition(state, d.positionId, d.centreId);
        const centre = requireCentre(command.centre, d.centreId);
        const effectiveFrom = requireDate(d.effectiveFrom, 'effectiveFrom');
        if (effectiveFrom < pos.startedOn) refuse('STAFF.CHANGED_BEFORE_START', `The change (${effectiveFrom}) cannot take effect before the position started (${pos.startedOn}).`, 'rule', { effectiveFrom, startedOn: pos.startedOn });
        if (pos.endedOn !== null && effectiveFrom > pos.endedOn) refuse('STAFF.CHANGED_AFTER_END', `The position ended on ${pos.endedOn}; it cannot change from ${effectiveFrom}.`, 'rule', { effectiveFrom, endedOn: pos.endedOn });
        const current = termsOn(pos.terms, effectiveFrom);
        const fteMilli = d.fte === undefined ? current.fteMilli : parseFteMilli(d.fte);
        const payer = d.payer === undefined ? current.payer : payerOf(d.payer, command.payerParty);
        if (d.payer !== undefined && payer.kind === 'party') requirePartyOfCounty(command.payerParty, 'payer', centre);
        // An annual cost is the cost at the FTE it was given for: kept across an FTE change it would value
        // the new FTE at the old one's cost, so a new FTE needs its cost (or null: no cost known).
        if (d.annualCost === undefined && fteMilli !== current.fteMilli && current.annualCostOre !== null) {
          const was = formatFte(current.fteMilli);
          const now = formatFte(fteMilli);
          refuse('STAFF.ANNUAL_COST_REQUIRED', `The annual cost of position ${d.positionId} (${formatOre(current.annualCostOre)}) was for ${was} FTE; give the cost at ${now} FTE (annualCost) with the change.`, 'rule', { positionId: d.positionId, effectiveFrom, fte: now, previousFte: was, previousAnnualCost: formatOre(current.annualCostOre) });
        }
        const annualCostOre = d.annualCost === undefined ? current.annualCostOre : annualCostOf(d.annualCost);
        if (fteMilli === current.fteMilli && JSON.stringify(payer) === JSON.stringify(current.payer) && annualCostOre === current.annualCostOre) return [];
        const events: StaffPositionEvent[] = [{ type: 'StaffPositionChanged', data: { positionId: d.positionId, centreId: d.centreId, countyId: pos.countyId, effectiveFrom, fteMilli, payer, annualCostOre } }];
        // A change from the closing date or later is refused; one from a day the centre is open is recorded.
        requireOpenFor(command.centre, d.centreId, events);
        return events;
      }
      case 'EndStaffPosition': {
        const d = command.data;
        const pos = requirePosition(state, d.positionId, d.centreId);
        const centre = requireCentre(command.centre, d.centreId);
        const endedOn = requireDate(d.endedOn, 'endedOn');
        // An end recorded on the wrong day is put right by ending again with the right last day, earlier or
        // later, which replaces it (an end recorded too early, 31 March for 31 December, can be moved on).
        // Only the same day changes nothing. The other rules hold for the new day as for a first end: not
        // before the start, not on or after the centre's closing.
        if (pos.endedOn !== null && endedOn === pos.endedOn) {
          refuse('STAFF.ALREADY_ENDED', `Position ${d.positionId} already ends on ${pos.endedOn}; to correct its last day, give another one (earlier or later).`, 'conflict', { endedOn: pos.endedOn });
        }
        // The date rule (requireOpenFor) for an end, said the way a finance officer repairs it: a closed
        // centre's still-open position is ended with a last day (endedOn) before closedOn, the first day
        // the centre is closed.
        if (centre.status === 'closed' && fallsAfterClosing(endedOn, centre.closedOn)) {
          const lastDay = addDays(centre.closedOn, -1);
          refuse('CENTRE.CLOSED', `Career centre ${centre.name} is closed from ${centre.closedOn}; position ${d.positionId} can be ended with a last day before the closing date (${lastDay} at the latest), not ${endedOn}.`, 'rule', { centreId: d.centreId, closedOn: centre.closedOn, endedOn, latestEndedOn: lastDay });
        }
        if (endedOn < pos.startedOn) refuse('STAFF.ENDS_BEFORE_START', `The position cannot end (${endedOn}) before it started (${pos.startedOn}).`, 'rule', { endedOn, startedOn: pos.startedOn });
        // A change planned for after the last day takes no effect while the end stands (the figures count no
        // day after the end); it is kept, and takes effect again if the end is moved past it.
        const events: StaffPositionEvent[] = [{ type: 'StaffPositionEnded', data: { positionId: d.positionId, centreId: d.centreId, countyId: pos.countyId, endedOn } }];
        requireOpenFor(command.centre, d.centreId, events); // passes: the same rule was judged above
        return events;
      }
      default:
        return assertNever(command);
    }
  },
};
