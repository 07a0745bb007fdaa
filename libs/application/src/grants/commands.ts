import { centreDecider, centreStream, countyDecider, countyStream } from '../../../domain/src/counties';
import { WindowOverrides } from '../../../domain/src/grants/criteria';
import { grantEvidenceDecider, grantEvidenceStream } from '../../../domain/src/grants/evidence';
import { grantSchemeDecider, grantSchemeStream } from '../../../domain/src/grants/scheme';
import { stimulusGrantDecider, stimulusGrantStream } from '../../../domain/src/grants/stimulus';
import { parseOre } from '../../../domain/src/shared';
import { requireCountyAccess, requireRole } from '../access';
import { AnyCommandDefinition, CommandIO, defineCommand } from '../command-definition';
import { authorizeForCentre } from '../counties/commands';
import { GRANTS_VIEW_EVENT_TYPES } from '../../../projections/src/grants/grants-view';
import { ALLOCATION_REFUSALS, AMOUNT_REFUSALS, CENTRE_ACCESS_REFUSALS, Refusal, SCHEME_TERMS_REFUSALS } from '../error-codes';
import {
  AllocateBaseGrantDto,
  AmendGrantSchemeDto,
  ApplyForStimulusGrantDto,
  AwardStimulusGrantDto,
  CorrectBaseGrantAllocationDto,
  CorrectStimulusGrantDecisionDto,
  DeclareServiceDto,
  PublishGrantSchemeDto,
  RecordAnnualReportDto,
  RecordCompetenceDevelopmentDto,
  RecordUserSurveyParticipationDto,
  RejectStimulusGrantDto,
  WithdrawGrantEvidenceDto,
  WindowOverridesDto,
} from './dtos';

/** Drops unset fields (DTO instances carry declared-but-absent fields as undefined). */
const defined = <T extends object>(o: T | undefined): Partial<T> | undefined => {
  if (o === undefined || o === null) return undefined;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined && v !== null) out[k] = v;
  return out as Partial<T>;
};

const overridesOf = (w: WindowOverridesDto | undefined): WindowOverrides | undefined => {
  if (!w) return undefined;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(w)) {
    const d = defined(v as object);
    if (d && Object.keys(d).length) out[k] = d;
  }
  return out as WindowOverrides;
};

const loadCentre = async (io: CommandIO, centreId: string) => (await io.load(centreStream(centreId), centreDecider)).state;

const verdictsOf = (vs: AllocateBaseGrantDto['verdicts']) =>
  vs.map((v) => ({ countyId: v.countyId, countyNumber: v.countyNumber, name: v.name, eligible: v.eligible, failedCriteria: [...v.failedCriteria], qualifyingCentreIds: [...v.qualifyingCentreIds] }));

const overridesIn = (p: CorrectBaseGrantAllocationDto) => (p.overrides ?? []).map((o) => ({ countyId: o.countyId, eligible: o.eligible, reason: o.reason }));

/**
 * What can change a base-grant verdict: what the grants view folds, but for stimulus grants (no
 * criterion reads them) and the scheme's own stream (the append's expected revision covers it).
 */
const ELIGIBILITY_INPUTS = new Set(GRANTS_VIEW_EVENT_TYPES.filter((t) => !t.startsWith('StimulusGrant') && !t.startsWith('BaseGrant') && !t.startsWith('GrantScheme')));

/**
 * An allocation follows the eligibility snapshot the route computed at `basedOnPosition`: if
 * something that can change a verdict was recorded since, its append is refused (the views had not
 * folded it, or it landed while the allocation was decided), and Vox's retry recomputes it.
 */
const restsOnSnapshot = (io: CommandIO, basedOnPosition: number): void => {
  if (!io.relyOn) throw new Error('An allocation needs the command path\'s IO (relyOn) to rest on its eligibility snapshot.');
  io.relyOn({ after: basedOnPosition, affects: (e) => ELIGIBILITY_INPUTS.has(e.type) });
};

const VOX_ONLY = (actor: Parameters<typeof requireRole>[0]) => requireRole(actor, 'vox');

/** Allocating and correcting: the route adds the live eligibility snapshot, which the decider trusts. */
const SNAPSHOT_FROM_THE_ROUTE = 'the ledger computes its eligibility snapshot from the live views, and the decider trusts it';

/** Evidence about a centre: the centre's county, real dates, none before the centre opened or after today. */
const EVIDENCE: readonly Refusal[] = [...CENTRE_ACCESS_REFUSALS, 'DATE.INVALID', 'GRANT_EVIDENCE.BEFORE_OPENING', 'GRANT_EVIDENCE.IN_FUTURE'];

/** Commands of the grants feature: Vox's schemes and allocations, the counties' evidence, stimulus grants. */
export const grantsCommands: AnyCommandDefinition[] = [
  // ---- Vox: schemes and the base grant ----
  defineCommand({
    name: 'PublishGrantScheme',
    summary: "Publish a year's grant scheme: the base-grant sum, the criteria set, the judging date and any windows that differ from the set's defaults (Vox).",
    payload: PublishGrantSchemeDto,
    roles: ['vox'],
    stream: (p) => grantSchemeStream(p.year),
    decider: grantSchemeDecider,
    refusals: ['GRANT_SCHEME.ALREADY_PUBLISHED', ...SCHEME_TERMS_REFUSALS],
    authorize: VOX_ONLY,
    toCommand: (p) => ({
      type: 'PublishGrantScheme' as const,
      data: { year: p.year, baseGrantOre: parseOre(p.baseGrant, 'baseGrant'), criteriaSetId: p.criteriaSetId, judgingDate: p.judgingDate, windowOverrides: overridesOf(p.windows) ?? {}, note: p.note ?? null },
    }),
  }),
  defineCommand({
    name: 'AmendGrantScheme',
    summary: 'Amend a published scheme (sum, criteria set, judging date, windows) until its base grant is allocated (Vox).',
    payload: AmendGrantSchemeDto,
    roles: ['vox'],
    stream: (p) => grantSchemeStream(p.year),
    decider: grantSchemeDecider,
    refusals: ['GRANT_SCHEME.NOT_FOUND', 'GRANT_SCHEME.ALREADY_ALLOCATED', ...SCHEME_TERMS_REFUSALS],
    authorize: VOX_ONLY,
    toCommand: (p) => ({
      type: 'AmendGrantScheme' as const,
      data: {
        year: p.year,
        baseGrantOre: p.baseGrant === undefined || p.baseGrant === null ? undefined : parseOre(p.baseGrant, 'baseGrant'),
        criteriaSetId: p.criteriaSetId ?? undefined,
        judgingDate: p.judgingDate ?? undefined,
        windowOverrides: overridesOf(p.windows),
        reason: p.reason,
      },
    }),
  }),
  defineCommand({
    name: 'AllocateBaseGrant',
    summary: "Allocate a year's base grant equally among the eligible counties, recording the eligibility snapshot it follows (Vox, from the judging date on; HTTP only: the ledger computes the snapshot).",
    payload: AllocateBaseGrantDto,
    roles: ['vox'],
    stream: (p) => grantSchemeStream(p.year),
    decider: grantSchemeDecider,
    refusals: ['GRANT_SCHEME.NOT_FOUND', 'BASE_GRANT.ALREADY_ALLOCATED', ...ALLOCATION_REFUSALS],
    authorize: VOX_ONLY,
    httpOnly: { route: 'POST /grant-schemes/:year/allocation', why: SNAPSHOT_FROM_THE_ROUTE },
    // The snapshot is the server's, recomputed on a retry: only what the client sent must repeat.
    idempotencyPayload: (p) => ({ year: p.year, note: p.note ?? null }),
    toCommand: (p, io) => {
      restsOnSnapshot(io, p.basedOnPosition);
      return {
        type: 'AllocateBaseGrant' as const,
        data: { year: p.year, schemeVersion: p.schemeVersion, basedOnPosition: p.basedOnPosition, verdicts: verdictsOf(p.verdicts), note: p.note ?? null },
      };
    },
  }),
  defineCommand({
    name: 'CorrectBaseGrantAllocation',
    summary: 'Correct an allocation: recompute from a new eligibility snapshot, with any verdicts Vox overrides by hand, and record why (Vox; HTTP only: the ledger computes the snapshot).',
    payload: CorrectBaseGrantAllocationDto,
    roles: ['vox'],
    stream: (p) => grantSchemeStream(p.year),
    decider: grantSchemeDecider,
    refusals: [['BASE_GRANT.NOT_ALLOCATED', 422], ...ALLOCATION_REFUSALS, 'BASE_GRANT.UNKNOWN_COUNTY', 'BASE_GRANT.CORRECTION_CHANGES_NOTHING'],
    authorize: VOX_ONLY,
    httpOnly: { route: 'POST /grant-schemes/:year/allocation/corrections', why: SNAPSHOT_FROM_THE_ROUTE },
    idempotencyPayload: (p) => ({ year: p.year, reason: p.reason, overrides: overridesIn(p) }),
    toCommand: (p, io) => {
      restsOnSnapshot(io, p.basedOnPosition);
      return {
        type: 'CorrectBaseGrantAllocation' as const,
        data: {
          year: p.year,
          schemeVersion: p.schemeVersion,
          basedOnPosition: p.basedOnPosition,
          verdicts: verdictsOf(p.verdicts),
          overrides: overridesIn(p),
          reason: p.reason,
        },
      };
    },
  }),

  // ---- a county's finance officers: evidence about their centres ----
  defineCommand({
    name: 'DeclareService',
    summary: "Record a centre's service declaration from a date: free of charge or not, open to all adults or not, from which age.",
    payload: DeclareServiceDto,
    roles: ['finance-officer', 'admin'],
    stream: (p) => grantEvidenceStream(p.centreId),
    decider: grantEvidenceDecider,
    refusals: [...EVIDENCE, 'GRANT_EVIDENCE.AGE_OUT_OF_RANGE', 'GRANT_EVIDENCE.ID_TAKEN', 'CENTRE.CLOSED'],
    authorize: (actor, p, io) => authorizeForCentre(actor, io, p.centreId),
    toCommand: async (p, io) => ({
      type: 'DeclareService' as const,
      data: { declarationId: p.declarationId ?? null, centreId: p.centreId, effectiveFrom: p.effectiveFrom, freeOfCharge: p.freeOfCharge, openToAllAdults: p.openToAllAdults, fromAge: p.fromAge, note: p.note ?? null },
      centre: await loadCentre(io, p.centreId),
    }),
  }),
  defineCommand({
    name: 'RecordCompetenceDevelopment',
    summary: 'Record a competence-development activity a centre delivered: target groups, kind, date, participants.',
    payload: RecordCompetenceDevelopmentDto,
    roles: ['finance-officer', 'admin'],
    stream: (p) => grantEvidenceStream(p.centreId),
    decider: grantEvidenceDecider,
    refusals: [...EVIDENCE, 'GRANT_EVIDENCE.UNKNOWN_KIND', 'GRANT_EVIDENCE.NO_TARGET_GROUP', 'GRANT_EVIDENCE.UNKNOWN_TARGET_GROUP', 'GRANT_EVIDENCE.DUPLICATE_TARGET_GROUP', 'GRANT_EVIDENCE.NO_PARTICIPANTS', 'GRANT_EVIDENCE.ID_TAKEN', 'CENTRE.CLOSED'],
    authorize: (actor, p, io) => authorizeForCentre(actor, io, p.centreId),
    toCommand: async (p, io) => ({
      type: 'RecordCompetenceDevelopment' as const,
      data: { activityId: p.activityId ?? null, centreId: p.centreId, deliveredOn: p.deliveredOn, kind: p.kind, targetGroups: [...p.targetGroups], participants: p.participants, description: p.description },
      centre: await loadCentre(io, p.centreId),
    }),
  }),
  defineCommand({
    name: 'RecordUserSurveyParticipation',
    summary: "Record a centre's participation in the user survey for a period.",
    payload: RecordUserSurveyParticipationDto,
    roles: ['finance-officer', 'admin'],
    stream: (p) => grantEvidenceStream(p.centreId),
    decider: grantEvidenceDecider,
    refusals: [...EVIDENCE, 'PERIOD.ENDS_BEFORE_START', 'GRANT_EVIDENCE.ID_TAKEN', 'CENTRE.CLOSED'],
    authorize: (actor, p, io) => authorizeForCentre(actor, io, p.centreId),
    toCommand: async (p, io) => ({
      type: 'RecordUserSurveyParticipation' as const,
      data: { participationId: p.participationId ?? null, centreId: p.centreId, period: { from: p.period.from, to: p.period.to }, note: p.note ?? null },
      centre: await loadCentre(io, p.centreId),
    }),
  }),
  defineCommand({
    name: 'RecordAnnualReport',
    summary: "Record that a centre's annual report for a year was submitted to Vox, and when.",
    payload: RecordAnnualReportDto,
    roles: ['finance-officer', 'admin'],
    stream: (p) => grantEvidenceStream(p.centreId),
    decider: grantEvidenceDecider,
    refusals: [...EVIDENCE, 'FISCAL_YEAR.OUT_OF_RANGE', 'ANNUAL_REPORT.SUBMITTED_BEFORE_YEAR', 'ANNUAL_REPORT.YEAR_BEFORE_OPENING', 'ANNUAL_REPORT.SUBMITTED_BEFORE_YEAR_END', 'ANNUAL_REPORT.ALREADY_SUBMITTED', 'GRANT_EVIDENCE.ID_TAKEN', 'CENTRE.CLOSED'],
    authorize: (actor, p, io) => authorizeForCentre(actor, io, p.centreId),
    toCommand: async (p, io) => ({
      type: 'RecordAnnualReport' as const,
      data: { reportId: p.reportId ?? null, centreId: p.centreId, year: p.year, submittedOn: p.submittedOn },
      centre: await loadCentre(io, p.centreId),
    }),
  }),

  defineCommand({
    name: 'WithdrawGrantEvidence',
    summary: 'Withdraw evidence recorded by mistake (it stays in the log and is shown as withdrawn, but is no longer judged); record the right evidence afterwards.',
    payload: WithdrawGrantEvidenceDto,
    roles: ['finance-officer', 'admin'],
    stream: (p) => grantEvidenceStream(p.centreId),
    decider: grantEvidenceDecider,
    refusals: [...CENTRE_ACCESS_REFUSALS, 'GRANT_EVIDENCE.NOT_FOUND', 'GRANT_EVIDENCE.ALREADY_WITHDRAWN'],
    authorize: (actor, p, io) => authorizeForCentre(actor, io, p.centreId),
    toCommand: async (p, io) => ({
      type: 'WithdrawGrantEvidence' as const,
      data: { evidenceId: p.evidenceId, centreId: p.centreId, reason: p.reason },
      centre: await loadCentre(io, p.centreId),
    }),
  }),

  // ---- stimulus grants ----
  defineCommand({
    name: 'ApplyForStimulusGrant',
    summary: "Apply for a stimulus grant for the county: to establish a centre, or for development work in a centre (the county's finance officers).",
    payload: ApplyForStimulusGrantDto,
    roles: ['finance-officer', 'admin'],
    stream: (p) => stimulusGrantStream(p.applicationId),
    decider: stimulusGrantDecider,
    refusals: ['ACCESS.OTHER_COUNTY', ...AMOUNT_REFUSALS, 'STIMULUS_GRANT.ALREADY_EXISTS', 'COUNTY.NOT_FOUND', 'FISCAL_YEAR.OUT_OF_RANGE', 'STIMULUS_GRANT.UNKNOWN_PURPOSE', 'DATE.INVALID', 'STIMULUS_GRANT.IN_FUTURE', 'STIMULUS_GRANT.CENTRE_REQUIRED', 'STIMULUS_GRANT.CENTRE_NOT_EXPECTED', 'CENTRE.NOT_FOUND', 'STIMULUS_GRANT.CENTRE_OF_OTHER_COUNTY', 'STIMULUS_GRANT.BEFORE_OPENING', 'CENTRE.CLOSED'],
    authorize: (actor, p, io) => requireCountyAccess(actor, io, p.countyId),
    toCommand: async (p, io) => ({
      type: 'ApplyForStimulusGrant' as const,
      data: {
        applicationId: p.applicationId,
        countyId: p.countyId,
        year: p.year,
        purpose: p.purpose,
        amountAskedOre: parseOre(p.amountAsked, 'amountAsked'),
        description: p.description,
        centreId: p.centreId ?? null,
        appliedOn: p.appliedOn ?? null,
      },
      county: (await io.load(countyStream(p.countyId), countyDecider)).state,
      centre: p.centreId ? await loadCentre(io, p.centreId) : { status: 'unregistered' as const },
    }),
  }),
  defineCommand({
    name: 'AwardStimulusGrant',
    summary: 'Award a stimulus grant (an amount up to what was asked) (Vox).',
    payload: AwardStimulusGrantDto,
    roles: ['vox'],
    stream: (p) => stimulusGrantStream(p.applicationId),
    decider: stimulusGrantDecider,
    refusals: [...AMOUNT_REFUSALS, 'STIMULUS_GRANT.NOT_FOUND', 'STIMULUS_GRANT.ALREADY_DECIDED', 'STIMULUS_GRANT.AWARD_ABOVE_ASKED'],
    authorize: VOX_ONLY,
    toCommand: (p) => ({ type: 'AwardStimulusGrant' as const, data: { applicationId: p.applicationId, amountOre: parseOre(p.amount, 'amount'), note: p.note ?? null } }),
  }),
  defineCommand({
    name: 'RejectStimulusGrant',
    summary: 'Reject a stimulus-grant application with a reason (Vox).',
    payload: RejectStimulusGrantDto,
    roles: ['vox'],
    stream: (p) => stimulusGrantStream(p.applicationId),
    decider: stimulusGrantDecider,
    refusals: ['STIMULUS_GRANT.NOT_FOUND', 'STIMULUS_GRANT.ALREADY_DECIDED'],
    authorize: VOX_ONLY,
    toCommand: (p) => ({ type: 'RejectStimulusGrant' as const, data: { applicationId: p.applicationId, reason: p.reason } }),
  }),
  defineCommand({
    name: 'CorrectStimulusGrantDecision',
    summary: 'Correct the decision on a decided stimulus-grant application: another amount, or the other outcome, with why; the decision it replaces stays in the log (Vox).',
    payload: CorrectStimulusGrantDecisionDto,
    roles: ['vox'],
    stream: (p) => stimulusGrantStream(p.applicationId),
    decider: stimulusGrantDecider,
    refusals: [
      ...AMOUNT_REFUSALS,
      'STIMULUS_GRANT.UNKNOWN_OUTCOME',
      'STIMULUS_GRANT.DECISION_FIELDS',
      'STIMULUS_GRANT.NOT_FOUND',
      'STIMULUS_GRANT.NOT_DECIDED',
      'STIMULUS_GRANT.AWARD_ABOVE_ASKED',
      'STIMULUS_GRANT.CORRECTION_CHANGES_NOTHING',
    ],
    authorize: VOX_ONLY,
    toCommand: (p) => ({
      type: 'CorrectStimulusGrantDecision' as const,
      data: {
        applicationId: p.applicationId,
        outcome: p.outcome,
        // Only an award's amount is read: on a rejection any amount is the other outcome's field, refused
        // as such by the decider (DECISION_FIELDS) whatever its value (NaN: given, not read).
        amountOre: p.amount === undefined || p.amount === null ? null : p.outcome === 'awarded' ? parseOre(p.amount, 'amount') : Number.NaN,
        note: p.note ?? null,
        reason: p.reason ?? null,
        correctionReason: p.correctionReason,
      },
    }),
  }),
];
