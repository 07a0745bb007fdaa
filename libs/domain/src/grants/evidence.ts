import { CentreState, requireCentre, requireOpenFor } from '../counties/centre';
import { assertNever, assertPeriod, DecideContext, Decider, DomainEvent, isIsoDate, IsoDate, osloDateOf, own, refuse, refuseDate, sentAsText } from '../shared';
import { ACTIVITY_KINDS, ActivityKind, TARGET_GROUPS, TargetGroup } from './criteria';

/** The base-grant evidence a county records about one of its centres: one stream per centre. */
export const grantEvidenceStream = (centreId: string): string => `grant-evidence-${centreId}`;

export type GrantEvidenceEvent =
  | DomainEvent<'ServiceDeclared', { declarationId: string; centreId: string; countyId: string; effectiveFrom: IsoDate; freeOfCharge: boolean; openToAllAdults: boolean; fromAge: number; note: string | null }>
  | DomainEvent<
      'CompetenceDevelopmentDelivered',
      { activityId: string; centreId: string; countyId: string; deliveredOn: IsoDate; kind: ActivityKind; targetGroups: TargetGroup[]; participants: number; description: string }
    >
  | DomainEvent<'UserSurveyParticipationRecorded', { participationId: string; centreId: string; countyId: string; period: { from: IsoDate; to: IsoDate }; note: string | null }>
  | DomainEvent<'AnnualReportSubmitted', { reportId: string; centreId: string; countyId: string; year: number; submittedOn: IsoDate }>
  | DomainEvent<'GrantEvidenceWithdrawn', { evidenceId: string; centreId: string; countyId: string; evidenceType: string; reason: string }>;

interface Centre {
  centre: CentreState;
}

export type GrantEvidenceCommand =
  | ({ type: 'DeclareService'; data: { declarationId: string | null; centreId: string; effectiveFrom: IsoDate; freeOfCharge: boolean; openToAllAdults: boolean; fromAge: number; note: string | null } } & Centre)
  | ({
      type: 'RecordCompetenceDevelopment';
      data: { activityId: string | null; centreId: string; deliveredOn: IsoDate; kind: ActivityKind; targetGroups: TargetGroup[]; participants: number; description: string };
    } & Centre)
  | ({ type: 'RecordUserSurveyParticipation'; data: { participationId: string | null; centreId: string; period: { from: IsoDate; to: IsoDate }; note: string | null } } & Centre)
  | ({ type: 'RecordAnnualReport'; data: { reportId: string | null; centreId: string; year: number; submittedOn: IsoDate } } & Centre)
  | ({ type: 'WithdrawGrantEvidence'; data: { evidenceId: string; centreId: string; reason: string } } & Centre);

export interface GrantEvidenceState {
  /** Every evidence id recorded on this centre, with its event type. */
  ids: Record<string, string>;
  /** Annual report year → the submission recorded for it (withdrawn ones removed). */
  reports: Record<string, { reportId: string; submittedOn: IsoDate }>;
  /** Ids of withdrawn evidence. */
  withdrawn: Record<string, true>;
}

const requireDate = (d: string, field: string): void => {
  if (!isIsoDate(d)) refuseDate(field, `${field} (${d}) is not a real calendar date.`);
};

const requireNotBeforeOpening = (d: IsoDate, openedOn: IsoDate, field: string): void => {
  if (d < openedOn) refuse('GRANT_EVIDENCE.BEFORE_OPENING', `${field} (${d}) is before the centre opened (${openedOn}).`, 'rule', { field, openedOn });
};

/** What each evidence date means, for the refusal's message. */
const FUTURE_WHAT: Record<string, string> = {
  effectiveFrom: 'The service declaration takes effect',
  deliveredOn: 'The competence-development activity was delivered',
  'period.to': 'The user-survey participation period ends',
  submittedOn: 'The annual report was submitted',
};

/**
 * Evidence records what has happened: a date after today's date in Norway (Europe/Oslo, from the
 * decision's clock, read only here) is refused, 422 GRANT_EVIDENCE.IN_FUTURE, naming the date and today.
 */
const requireNotFuture = (d: IsoDate, ctx: DecideContext, field: string): void => {
  const today = osloDateOf(ctx.now);
  if (d > today) {
    refuse(
      'GRANT_EVIDENCE.IN_FUTURE',
      `${FUTURE_WHAT[field] ?? field} on ${d}, after today (${today}, Norwegian time): evidence can only be recorded once it has happened, so record it on or after ${d}.`,
      'rule',
      { field, date: d, today },
    );
  }
};

const newEvidenceId = (state: GrantEvidenceState, given: string | null, newId: () => string): string => {
  const id = given ?? newId();
  const taken = own(state.ids, id);
  if (taken !== undefined) refuse('GRANT_EVIDENCE.ID_TAKEN', `Evidence with id ${id} is already recorded for this centre (${taken}).`, 'conflict', { id });
  return id;
};

export const grantEvidenceDecider: Decider<GrantEvidenceCommand, GrantEvidenceEvent, GrantEvidenceState> = {
  // Prototype-less records: evolve assigns by id, and `state.ids['__proto__'] = …` on a plain object
  // would set its prototype instead of recording the id.
  initialState: () => ({ ids: Object.create(null), reports: Object.create(null), withdrawn: Object.create(null) }),
  // Updates the state in place (it is always a fresh fold from initialState), so loading a
  // centre with many activities stays linear.
  evolve: (state, event) => {
    if (event.type === 'GrantEvidenceWithdrawn') {
      state.withdrawn[event.data.evidenceId] = true;
      for (const [year, r] of Object.entries(state.reports)) if (r.reportId === event.data.evidenceId) delete state.reports[year];
      return state;
    }
    const d = event.data as Record<string, unknown>;
    const id = (d.declarationId ?? d.activityId ?? d.participationId ?? d.reportId) as string | undefined;
    if (id) state.ids[id] = event.type;
    if (event.type === 'AnnualReportSubmitted') state.reports[String(event.data.year)] = { reportId: event.data.reportId, submittedOn: event.data.submittedOn };
    return state;
  },
  decide: (command, state, ctx) => {
    // Evidence dated on or after the centre's closure is refused (the date rule); a withdrawal needs no day open.
    const events = decideEvidence(command, state, ctx, requireCentre(command.centre, command.data.centreId));
    requireOpenFor(command.centre, command.data.centreId, events);
    return events;
  },
};

/** The evidence decision proper, for a registered centre; `decide` then applies the date rule to what it records. */
function decideEvidence(command: GrantEvidenceCommand, state: GrantEvidenceState, ctx: DecideContext, centre: Exclude<CentreState, { status: 'unregistered' }>): GrantEvidenceEvent[] {
  const countyId = centre.countyId;
  switch (command.type) {
    case 'DeclareService': {
      const d = command.data;
      requireDate(d.effectiveFrom, 'effectiveFrom');
      requireNotBeforeOpening(d.effectiveFrom, centre.openedOn, 'effectiveFrom');
      requireNotFuture(d.effectiveFrom, ctx, 'effectiveFrom');
      if (!Number.isInteger(d.fromAge) || d.fromAge < 0 || d.fromAge > 120) refuse('GRANT_EVIDENCE.AGE_OUT_OF_RANGE', `${sentAsText('fromAge', d.fromAge, 0, 120) ?? `fromAge must be a whole age from 0 to 120, not ${d.fromAge}`}.`, 'invalid');
      const declarationId = newEvidenceId(state, d.declarationId, ctx.newId);
      return [{ type: 'ServiceDeclared', data: { declarationId, centreId: d.centreId, countyId, effectiveFrom: d.effectiveFrom, freeOfCharge: d.freeOfCharge, openToAllAdults: d.openToAllAdults, fromAge: d.fromAge, note: d.note } }];
    }
    case 'RecordCompetenceDevelopment': {
      const d = command.data;
      requireDate(d.deliveredOn, 'deliveredOn');
      requireNotBeforeOpening(d.deliveredOn, centre.openedOn, 'deliveredOn');
      requireNotFuture(d.deliveredOn, ctx, 'deliveredOn');
      if (!ACTIVITY_KINDS.includes(d.kind)) refuse('GRANT_EVIDENCE.UNKNOWN_KIND', `kind must be one of ${ACTIVITY_KINDS.join(', ')}.`, 'invalid');
      if (d.targetGroups.length === 0) refuse('GRANT_EVIDENCE.NO_TARGET_GROUP', 'Name at least one target group the activity reached.', 'invalid');
      for (const g of d.targetGroups) if (!TARGET_GROUPS.includes(g)) refuse('GRANT_EVIDENCE.UNKNOWN_TARGET_GROUP', `Target group ${g} is not one of ${TARGET_GROUPS.join(', ')}.`, 'invalid');
      if (new Set(d.targetGroups).size !== d.targetGroups.length) refuse('GRANT_EVIDENCE.DUPLICATE_TARGET_GROUP', 'A target group is named twice.', 'invalid');
      if (!Number.isInteger(d.participants) || d.participants < 1) refuse('GRANT_EVIDENCE.NO_PARTICIPANTS', 'participants must be a whole number of at least 1.', 'invalid');
      const activityId = newEvidenceId(state, d.activityId, ctx.newId);
      return [
        {
          type: 'CompetenceDevelopmentDelivered',
          data: { activityId, centreId: d.centreId, countyId, deliveredOn: d.deliveredOn, kind: d.kind, targetGroups: [...d.targetGroups], participants: d.participants, description: d.description },
        },
      ];
    }
    case 'RecordUserSurveyParticipation': {
      const d = command.data;
      requireDate(d.period.from, 'period.from');
      requireDate(d.period.to, 'period.to');
      assertPeriod(d.period);
      requireNotBeforeOpening(d.period.from, centre.openedOn, 'period.from');
      requireNotFuture(d.period.to, ctx, 'period.to');
      const participationId = newEvidenceId(state, d.participationId, ctx.newId);
      return [{ type: 'UserSurveyParticipationRecorded', data: { participationId, centreId: d.centreId, countyId, period: { from: d.period.from, to: d.period.to }, note: d.note } }];
    }
    case 'RecordAnnualReport': {
      const d = command.data;
      requireDate(d.submittedOn, 'submittedOn');
      requireNotBeforeOpening(d.submittedOn, centre.openedOn, 'submittedOn');
      requireNotFuture(d.submittedOn, ctx, 'submittedOn');
      if (!Number.isInteger(d.year) || d.year < 2000 || d.year > 2100) refuse('FISCAL_YEAR.OUT_OF_RANGE', `${sentAsText('The report year', d.year, 2000, 2100) ?? `The report year must be a whole year from 2000 to 2100, not ${d.year}`}.`, 'invalid', { field: 'year', year: d.year });
      if (d.submittedOn < `${d.year}-01-01`) refuse('ANNUAL_REPORT.SUBMITTED_BEFORE_YEAR', `An annual report for ${d.year} cannot have been submitted on ${d.submittedOn}, before the year began.`, 'rule');
      // A report is about a year the centre was open on some day of. A year that ended before the centre
      // opened has nothing to report; one after its closing is refused as CENTRE.CLOSED (requireOpenFor),
      // as money for such a year is.
      if (`${d.year}-12-31` < centre.openedOn) {
        refuse('ANNUAL_REPORT.YEAR_BEFORE_OPENING', `${centre.name} opened on ${centre.openedOn}, after ${d.year} ended: there is no annual report for ${d.year} to record.`, 'rule', { year: d.year, openedOn: centre.openedOn });
      }
      // A report covers its whole year, so it is submitted once the year is over; a centre closed during
      // the year reports on the days it was open, from its closing date on.
      const closedOn = centre.status === 'closed' ? centre.closedOn : null;
      const reportableFrom = closedOn !== null && closedOn <= `${d.year}-12-31` ? closedOn : `${d.year + 1}-01-01`;
      if (d.submittedOn < reportableFrom) {
        const until = reportableFrom === closedOn ? `the centre was closed from ${closedOn}` : `${d.year} ended`;
        refuse('ANNUAL_REPORT.SUBMITTED_BEFORE_YEAR_END', `An annual report for ${d.year} cannot have been submitted on ${d.submittedOn}, before ${until}: give a submittedOn on or after ${reportableFrom}.`, 'rule', { year: d.year, submittedOn: d.submittedOn, earliestSubmittedOn: reportableFrom });
      }
      const prior = own(state.reports, String(d.year));
      if (prior) refuse('ANNUAL_REPORT.ALREADY_SUBMITTED', `The annual report for ${d.year} was already recorded as submitted on ${prior.submittedOn} (id ${prior.reportId}).`, 'conflict', { year: d.year, ...prior });
      const reportId = newEvidenceId(state, d.reportId, ctx.newId);
      return [{ type: 'AnnualReportSubmitted', data: { reportId, centreId: d.centreId, countyId, year: d.year, submittedOn: d.submittedOn } }];
    }
    case 'WithdrawGrantEvidence': {
      const d = command.data;
      const type = own(state.ids, d.evidenceId);
      if (!type) return refuse('GRANT_EVIDENCE.NOT_FOUND', `No evidence with id ${d.evidenceId} is recorded for centre ${d.centreId}.`, 'not-found', { evidenceId: d.evidenceId });
      if (own(state.withdrawn, d.evidenceId)) refuse('GRANT_EVIDENCE.ALREADY_WITHDRAWN', `Evidence ${d.evidenceId} was already withdrawn.`, 'conflict', { evidenceId: d.evidenceId });
      return [{ type: 'GrantEvidenceWithdrawn', data: { evidenceId: d.evidenceId, centreId: d.centreId, countyId, evidenceType: type, reason: d.reason } }];
    }
    default:
      return assertNever(command);
  }
}
