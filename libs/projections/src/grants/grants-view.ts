import { DatedName, withName } from '../../../domain/src/counties/centre-names';
import { criteriaSetOf, SchemeWindows } from '../../../domain/src/grants/criteria';
import { AllocationData, CountyVerdict, SchemeTerms, VerdictOverride } from '../../../domain/src/grants/scheme';
import { SplitPart } from '../../../domain/src/grants/split';
import { StimulusPurpose } from '../../../domain/src/grants/stimulus';
import { renamedParty, SINCE_REGISTRATION } from '../../../domain/src/parties/party';
import { IsoDate, own, Period, RecordedEvent } from '../../../domain/src/shared';
import { dropIndex, idsOf, indexIds, keepIndex, noteId } from '../ids-by-owner';
import { Projection } from '../projection';
import { ActivityEntry, DeclarationEntry, EventRef, packActivity, packDeclaration, packReport, packSurvey, readActivity, readDeclaration, readReport, readSurvey, ReportEntry, reportYear, Stored, SurveyEntry } from './packed';

export type { ActivityEntry, DeclarationEntry, EventRef, ReportEntry, Stored, SurveyEntry } from './packed';

export interface PartyEntry {
  partyId: string;
  /** The latest name by date; `names` by first day (partyNameOn names the party as on a day). */
  name: string;
  names?: DatedName[];
  kind: string;
  countyId: string | null;
  ref: EventRef;
}

export interface PartnershipVersion {
  effectiveFrom: IsoDate;
  parties: string[];
  period: Period;
  ref: EventRef;
}

export interface PartnershipEntry {
  partnershipId: string;
  signedOn: IsoDate;
  versions: PartnershipVersion[];
  /** First day no longer in force. */
  terminatedFrom: IsoDate | null;
  terminatedRef: EventRef | null;
}

export interface CoordinatingEntry {
  holderPartyId: string;
  description: string;
  from: IsoDate;
  /** Planned last day (null = open-ended). */
  to: IsoDate | null;
  /** Last day held when it was ended early (the latest recorded end). */
  endedOn: IsoDate | null;
  ref: EventRef;
  endedRef: EventRef | null;
}

export interface GrantsCounty {
  countyId: string;
  name: string;
  countyNumber: string;
  registered: boolean;
  centreIds: string[];
  partnerships: Record<string, PartnershipEntry>;
  coordinating: CoordinatingEntry[];
}

export interface GrantsCentre {
  centreId: string;
  countyId: string;
  /**
   * Every name from the day it takes effect, in date order (the registered name first, from the
   * opening day): a year's answers name the centre by the one in force on 31 December of the year
   * (nameInYear), an answer about a date by the one in force on it (nameOn); see
   * libs/domain/src/counties/centre-names.ts. A rename from 2099 so renames nothing before 2099.
   */
  names: DatedName[];
  openedOn: IsoDate;
  /** First day closed. */
  closedOn: IsoDate | null;
  ref: EventRef;
  closedRef: EventRef | null;
  /** The centre's evidence, each item packed into one string (see packed.ts; read with readDeclaration etc.). */
  declarations: Stored<DeclarationEntry>[];
  activities: Stored<ActivityEntry>[];
  surveys: Stored<SurveyEntry>[];
  /** Per report year, the (first) submission recorded for it. */
  reports: Stored<ReportEntry>[];
  /**
   * Evidence withdrawn by a recorded withdrawal: no longer judged, still shown, with the item as it
   * was listed until then (`item`, null when no listed item had the id).
   */
  withdrawn: WithdrawnEntry[];
}

/** A withdrawn item as it was stored in its list (packed as there): read with that list's reader. */
export type WithdrawnItem =
  | { list: 'declarations'; stored: Stored<DeclarationEntry> }
  | { list: 'activities'; stored: Stored<ActivityEntry> }
  | { list: 'surveys'; stored: Stored<SurveyEntry> }
  | { list: 'reports'; stored: Stored<ReportEntry> };

export interface WithdrawnEntry {
  evidenceId: string;
  evidenceType: string;
  reason: string;
  /** The withdrawal's event. */
  ref: EventRef;
  item: WithdrawnItem | null;
}

export interface SchemeHistoryEntry {
  version: number;
  type: string;
  text: string | null;
  ref: EventRef;
}

export interface AllocationEntry extends AllocationData {
  note: string | null;
  ref: EventRef;
  /** Corrections in order; the last one's parts are in force. */
  corrections: (AllocationData & { correctionNo: number; reason: string; overrides: VerdictOverride[]; previousParts: SplitPart[]; ref: EventRef })[];
}

export interface SchemeEntry {
  year: number;
  version: number;
  terms: SchemeTerms;
  history: SchemeHistoryEntry[];
  allocation: AllocationEntry | null;
}

export interface StimulusEntry {
  applicationId: string;
  countyId: string;
  year: number;
  purpose: StimulusPurpose;
  amountAskedOre: number;
  description: string;
  centreId: string | null;
  appliedOn: IsoDate;
  status: 'applied' | 'awarded' | 'rejected';
  amountAwardedOre: number | null;
  /** The decision in force: the award or rejection, or the latest correction of it (decidedOn is then the day it was corrected). */
  decision: { decidedOn: IsoDate; note: string | null; reason: string | null; ref: EventRef } | null;
  /** Corrections of the decision in order, each with the decision it replaced and the one it made. */
  corrections: StimulusCorrectionEntry[];
  ref: EventRef;
}

/** One outcome of a stimulus-grant application: an award (amount, note) or a rejection (reason). */
export interface StimulusOutcomeEntry {
  status: 'awarded' | 'rejected';
  amountAwardedOre: number | null;
  note: string | null;
  reason: string | null;
}

export interface StimulusCorrectionEntry {
  correctedOn: IsoDate;
  correctionReason: string;
  /** The decision replaced, with the day it was made and its event. */
  previous: StimulusOutcomeEntry & { decidedOn: IsoDate; ref: EventRef };
  decision: StimulusOutcomeEntry;
  ref: EventRef;
}

export interface GrantsView {
  /** Last log position folded into this view. */
  position: number;
  /** Bumped on every event that changes this view (lets queries cache an answer per revision). */
  rev: number;
  counties: Record<string, GrantsCounty>;
  centres: Record<string, GrantsCentre>;
  parties: Record<string, PartyEntry>;
  schemes: Record<string, SchemeEntry>;
  stimulus: Record<string, StimulusEntry>;
}

export const GRANTS_VIEW = 'grants';

/**
 * Each centre's stimulus-grant applications, kept beside the view and never stored (ids-by-owner.ts):
 * snapshots stay as they are. A new view (initial) has it empty and the fold keeps it; the live view
 * read from a snapshot builds it once; any other view (an as-of view, a copy) builds it the first time
 * it is asked, by the one walk over every application that each such question made before.
 */
const STIMULUS_BY_CENTRE = Symbol('grantsStimulusByCentre');
const centreOfApplication = (s: StimulusEntry): unknown => s.centreId;

/** The ids of the stimulus-grant applications naming a centre, in the order a walk over `view.stimulus` meets them. Read only. */
export const stimulusIdsOf = (view: GrantsView, centreId: string): readonly string[] => idsOf(view, STIMULUS_BY_CENTRE, centreId, () => view.stimulus, centreOfApplication);

/** A record's own entry (ids such as "constructor" must not reach Object.prototype): the domain's helper, re-exported for the grants code. */
export { own };

const refOf = (e: RecordedEvent): EventRef => ({ eventId: e.eventId, type: e.type, streamId: e.streamId, revision: e.revision, position: e.position, recordedAt: e.recordedAt });

const county = (view: GrantsView, countyId: string): GrantsCounty =>
  own(view.counties, countyId) ?? (view.counties[countyId] = { countyId, name: countyId, countyNumber: '', registered: false, centreIds: [], partnerships: {}, coordinating: [] });

const isDate = (v: unknown): v is string => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v);
const isWindow = (w: any): boolean => w !== null && typeof w === 'object' && isDate(w.from) && isDate(w.to);
const completeWindows = (w: any): w is SchemeWindows =>
  w !== null &&
  typeof w === 'object' &&
  ['partnershipAgreement', 'coordinatingFunction', 'freeGuidance', 'competenceDevelopment', 'userSurvey'].every((k) => isWindow(w[k])) &&
  Number.isInteger(w.freeGuidance.maxFromAge) &&
  Number.isInteger(w.annualReport?.reportYear) &&
  isDate(w.annualReport?.deadline);

/**
 * The scheme's terms from its event. Events written by this ledger always carry resolved windows;
 * an event without them (e.g. imported from elsewhere) is judged by its criteria set's defaults
 * rather than breaking the view. Null when the event cannot be judged at all.
 */
const schemeTermsOf = (d: any): SchemeTerms | null => {
  if (!Number.isInteger(d.year) || !Number.isSafeInteger(d.baseGrantOre) || !isDate(d.judgingDate)) return null;
  const set = criteriaSetOf(d.criteriaSetId);
  const windows = completeWindows(d.windows) ? d.windows : set ? set.defaultWindows(d.year, d.judgingDate) : null;
  if (!windows) return null;
  return { year: d.year, baseGrantOre: d.baseGrantOre, criteriaSetId: d.criteriaSetId, judgingDate: d.judgingDate, windows, windowOverrides: d.windowOverrides ?? {} };
};

const allocationOf = (d: any): AllocationData => ({
  year: d.year,
  schemeVersion: d.schemeVersion,
  criteriaSetId: d.criteriaSetId,
  judgingDate: d.judgingDate,
  baseGrantOre: d.baseGrantOre,
  basedOnPosition: d.basedOnPosition,
  verdicts: d.verdicts as CountyVerdict[],
  parts: d.parts as SplitPart[],
  remainderRule: d.remainderRule,
});

/**
 * Every event type the grants view folds (a unit test keeps this list and the fold's cases equal):
 * what lands after an eligibility snapshot and is one of these may change a verdict.
 */
export const GRANTS_VIEW_EVENT_TYPES: readonly string[] = [
  'AnnualReportSubmitted',
  'BaseGrantAllocated',
  'BaseGrantAllocationCorrected',
  'CentreClosed',
  'CentreRegistered',
  'CentreRenamed',
  'CompetenceDevelopmentDelivered',
  'CoordinatingFunctionAssigned',
  'CoordinatingFunctionEnded',
  'CountyRegistered',
  'GrantEvidenceWithdrawn',
  'GrantSchemeAmended',
  'GrantSchemePublished',
  'PartnershipAgreementAmended',
  'PartnershipAgreementSigned',
  'PartnershipAgreementTerminated',
  'PartyRegistered',
  'PartyRenamed',
  'ServiceDeclared',
  'StimulusGrantApplied',
  'StimulusGrantAwarded',
  'StimulusGrantDecisionCorrected',
  'StimulusGrantRejected',
  'UserSurveyParticipationRecorded',
];

/**
 * Everything the base grant is judged on, indexed by county and centre: the counties and centres,
 * party kinds, partnership agreements, coordinating functions, the centres' evidence, the schemes
 * with their allocations, and stimulus-grant applications. Each fact keeps a reference to the
 * event that recorded it, so every verdict can cite its deciding events.
 */
export const grantsProjection: Projection<GrantsView> = {
  name: GRANTS_VIEW,
  // 2: each centre's evidence packed into one string per item (51 MB → under 10 MB at 1,000,000 events).
  // 3: a later end of a coordinating function replaces the earlier one (snapshots kept the first).
  // 4: a centre keeps every name with its first day (`names`) instead of the last one recorded, so a
  //    year is judged under the name it had (snapshots of 3 held only the latest name).
  // 5: a stimulus-grant application keeps the corrections of its decision (`corrections`), and its
  //    decision is the one in force (snapshots of 4 had neither).
  // 6: parties' names kept with their first day.
  // 7: a withdrawal keeps the withdrawn item as it was listed (`item`; snapshots of 6 dropped it).
  version: 7,
  initial: () => {
    const view: GrantsView = { position: 0, rev: 0, counties: {}, centres: {}, parties: {}, schemes: {}, stimulus: {} };
    keepIndex(view, STIMULUS_BY_CENTRE, new Map());
    return view;
  },
  // Stored as JSON, as by default; the live view read back builds its index of applications by centre at once.
  deserialize: (state, purpose) => {
    const view = JSON.parse(state) as GrantsView;
    if (purpose === 'live') indexIds(view, STIMULUS_BY_CENTRE, view.stimulus, centreOfApplication);
    return view;
  },
  evolve: (view, e) => {
    view.position = e.position;
    const d = e.data as any;
    switch (e.type) {
      case 'CountyRegistered': {
        const c = county(view, d.countyId);
        c.name = d.name;
        c.countyNumber = d.countyNumber;
        c.registered = true;
        break;
      }
      case 'CentreRegistered':
        if (!isDate(d.openedOn) || typeof d.countyId !== 'string') return view;
        view.centres[d.centreId] = {
          centreId: d.centreId,
          countyId: d.countyId,
          names: [{ name: d.name, from: d.openedOn }],
          openedOn: d.openedOn,
          closedOn: null,
          ref: refOf(e),
          closedRef: null,
          declarations: [],
          activities: [],
          surveys: [],
          reports: [],
          withdrawn: [],
        };
        county(view, d.countyId).centreIds.push(d.centreId);
        break;
      case 'CentreRenamed': {
        // Kept with its date, not written over the name (as the funding view does): a rename from
        // 2016 must not rename the 2014 answers. A rename without a date (never written by this
        // ledger) cannot be placed and is skipped.
        const c = own(view.centres, d.centreId);
        if (!c || !isDate(d.effectiveFrom) || typeof d.name !== 'string') return view;
        c.names = withName(c.names, d.name, d.effectiveFrom);
        break;
      }
      case 'CentreClosed': {
        const c = own(view.centres, d.centreId);
        if (!c) return view;
        c.closedOn = d.closedOn;
        c.closedRef = refOf(e);
        break;
      }
      case 'PartyRegistered':
        view.parties[d.partyId] = { partyId: d.partyId, name: d.name, names: [{ name: d.name, from: SINCE_REGISTRATION }], kind: d.kind, countyId: d.countyId ?? null, ref: refOf(e) };
        break;
      case 'PartyRenamed': {
        const p = own(view.parties, d.partyId);
        if (!p) return view;
        Object.assign(p, renamedParty(p, d));
        break;
      }
      case 'PartnershipAgreementSigned':
        if (!isDate(d.period?.from) || !isDate(d.signedOn) || !Array.isArray(d.parties)) return view;
        county(view, d.countyId).partnerships[d.partnershipId] = {
          partnershipId: d.partnershipId,
          signedOn: d.signedOn,
          versions: [{ effectiveFrom: d.period.from, parties: d.parties, period: d.period, ref: refOf(e) }],
          terminatedFrom: null,
          terminatedRef: null,
        };
        break;
      case 'PartnershipAgreementAmended': {
        const p = own(own(view.counties, d.countyId)?.partnerships ?? {}, d.partnershipId);
        if (!p || !isDate(d.period?.from) || !isDate(d.effectiveFrom) || !Array.isArray(d.parties)) return view;
        p.versions.push({ effectiveFrom: d.effectiveFrom, parties: d.parties, period: d.period, ref: refOf(e) });
        break;
      }
      case 'PartnershipAgreementTerminated': {
        const p = own(own(view.counties, d.countyId)?.partnerships ?? {}, d.partnershipId);
        if (!p) return view;
        p.terminatedFrom = d.effectiveFrom;
        p.terminatedRef = refOf(e);
        break;
      }
      case 'CoordinatingFunctionAssigned':
        if (!isDate(d.from)) return view;
        county(view, d.countyId).coordinating.push({ holderPartyId: d.holderPartyId, description: d.description, from: d.from, to: d.to ?? null, endedOn: null, ref: refOf(e), endedRef: null });
        break;
      case 'CoordinatingFunctionEnded': {
        const list = own(view.counties, d.countyId)?.coordinating ?? [];
        // As in the domain and the governance view: an end applies to the term held up to its current
        // last day (an earlier end included), so a second end with an earlier date shortens it again
        // and is the one cited.
        const held = list.find((c) => {
          const last = c.endedOn ?? c.to;
          return c.holderPartyId === d.holderPartyId && c.from <= d.endedOn && (last === null || last >= d.endedOn);
        });
        if (!held) return view;
        held.endedOn = d.endedOn;
        held.endedRef = refOf(e);
        break;
      }
      case 'ServiceDeclared': {
        const c = own(view.centres, d.centreId);
        if (!c || !isDate(d.effectiveFrom) || !Number.isInteger(d.fromAge)) return view;
        c.declarations.push(packDeclaration({ declarationId: d.declarationId, effectiveFrom: d.effectiveFrom, freeOfCharge: d.freeOfCharge, openToAllAdults: d.openToAllAdults, fromAge: d.fromAge, ref: refOf(e) }, c.centreId));
        break;
      }
      case 'CompetenceDevelopmentDelivered': {
        const c = own(view.centres, d.centreId);
        if (!c || !isDate(d.deliveredOn) || !Array.isArray(d.targetGroups) || typeof d.participants !== 'number') return view;
        c.activities.push(packActivity({ activityId: d.activityId, deliveredOn: d.deliveredOn, kind: d.kind, targetGroups: d.targetGroups, participants: d.participants, ref: refOf(e) }, c.centreId));
        break;
      }
      case 'UserSurveyParticipationRecorded': {
        const c = own(view.centres, d.centreId);
        if (!c || !isWindow(d.period)) return view;
        c.surveys.push(packSurvey({ participationId: d.participationId, from: d.period.from, to: d.period.to, ref: refOf(e) }, c.centreId));
        break;
      }
      case 'AnnualReportSubmitted': {
        const c = own(view.centres, d.centreId);
        if (!c || !Number.isInteger(d.year) || !isDate(d.submittedOn)) return view;
        const at = c.reports.findIndex((r) => reportYear(r) === d.year);
        const report = packReport({ reportId: d.reportId, year: d.year, submittedOn: d.submittedOn, ref: refOf(e) }, c.centreId);
        if (at < 0) c.reports.push(report);
        else if (d.submittedOn < readReport(c.reports[at], c.centreId).submittedOn) c.reports[at] = report;
        break;
      }
      case 'GrantEvidenceWithdrawn': {
        const c = own(view.centres, d.centreId);
        if (!c || typeof d.evidenceId !== 'string') return view;
        const id = d.evidenceId;
        // The item leaves its list (and every verdict) but is kept, as stored there, with its
        // withdrawal, so the listing still shows it and its event. An id is one per centre across
        // every kind, so at most one item goes (of several in an imported log, the first is kept).
        const removed: WithdrawnItem[] = [];
        c.declarations = c.declarations.filter((x) => readDeclaration(x, c.centreId).declarationId !== id || (removed.push({ list: 'declarations', stored: x }), false));
        c.activities = c.activities.filter((x) => readActivity(x, c.centreId).activityId !== id || (removed.push({ list: 'activities', stored: x }), false));
        c.surveys = c.surveys.filter((x) => readSurvey(x, c.centreId).participationId !== id || (removed.push({ list: 'surveys', stored: x }), false));
        c.reports = c.reports.filter((x) => readReport(x, c.centreId).reportId !== id || (removed.push({ list: 'reports', stored: x }), false));
        c.withdrawn.push({ evidenceId: id, evidenceType: d.evidenceType, reason: d.reason, ref: refOf(e), item: removed[0] ?? null });
        break;
      }
      case 'GrantSchemePublished': {
        const terms = schemeTermsOf(d);
        if (!terms) return view;
        const version = d.schemeVersion ?? 1;
        view.schemes[String(d.year)] = { year: d.year, version, terms, history: [{ version, type: e.type, text: d.note ?? null, ref: refOf(e) }], allocation: null };
        break;
      }
      case 'GrantSchemeAmended': {
        const s = own(view.schemes, String(d.year));
        const terms = schemeTermsOf(d);
        if (!s || !terms) return view;
        s.version = d.schemeVersion;
        s.terms = terms;
        s.history.push({ version: d.schemeVersion, type: e.type, text: d.reason ?? null, ref: refOf(e) });
        break;
      }
      case 'BaseGrantAllocated': {
        const s = own(view.schemes, String(d.year));
        if (!s || !Array.isArray(d.parts) || !Array.isArray(d.verdicts)) return view;
        s.allocation = { ...allocationOf(d), note: d.note ?? null, ref: refOf(e), corrections: [] };
        break;
      }
      case 'BaseGrantAllocationCorrected': {
        const a = own(view.schemes, String(d.year))?.allocation;
        if (!a || !Array.isArray(d.parts) || !Array.isArray(d.verdicts)) return view;
        a.corrections.push({ ...allocationOf(d), correctionNo: d.correctionNo, reason: d.reason, overrides: d.overrides, previousParts: d.previousParts, ref: refOf(e) });
        break;
      }
      case 'StimulusGrantApplied': {
        if (!Number.isSafeInteger(d.amountAskedOre) || !isDate(d.appliedOn)) return view;
        const before = own(view.stimulus, d.applicationId);
        view.stimulus[d.applicationId] = {
          applicationId: d.applicationId,
          countyId: d.countyId,
          year: d.year,
          purpose: d.purpose,
          amountAskedOre: d.amountAskedOre,
          description: d.description,
          centreId: d.centreId ?? null,
          appliedOn: d.appliedOn,
          status: 'applied',
          amountAwardedOre: null,
          decision: null,
          corrections: [],
          ref: refOf(e),
        };
        // An id applied for again (one application per stream: never written by this ledger) keeps its
        // place among the keys; if it now names another centre, the index is built again when next asked.
        if (!before) noteId(view, STIMULUS_BY_CENTRE, d.centreId ?? null, d.applicationId);
        else if (before.centreId !== (d.centreId ?? null)) dropIndex(view, STIMULUS_BY_CENTRE);
        break;
      }
      case 'StimulusGrantAwarded':
      case 'StimulusGrantRejected': {
        const s = own(view.stimulus, d.applicationId);
        if (!s) return view;
        const awarded = e.type === 'StimulusGrantAwarded';
        s.status = awarded ? 'awarded' : 'rejected';
        s.amountAwardedOre = awarded ? d.amountOre : null;
        s.decision = { decidedOn: d.decidedOn, note: awarded ? (d.note ?? null) : null, reason: awarded ? null : d.reason, ref: refOf(e) };
        break;
      }
      case 'StimulusGrantDecisionCorrected': {
        const s = own(view.stimulus, d.applicationId);
        if (!s || s.status === 'applied' || s.decision === null || !isDate(d.correctedOn)) return view;
        const awarded = d.outcome === 'awarded';
        const decision: StimulusOutcomeEntry = { status: awarded ? 'awarded' : 'rejected', amountAwardedOre: awarded ? d.amountOre : null, note: awarded ? (d.note ?? null) : null, reason: awarded ? null : d.reason };
        const previous = { status: s.status, amountAwardedOre: s.amountAwardedOre, note: s.decision.note, reason: s.decision.reason, decidedOn: s.decision.decidedOn, ref: s.decision.ref };
        s.corrections.push({ correctedOn: d.correctedOn, correctionReason: d.correctionReason, previous, decision, ref: refOf(e) });
        s.status = decision.status;
        s.amountAwardedOre = decision.amountAwardedOre;
        s.decision = { decidedOn: d.correctedOn, note: decision.note, reason: decision.reason, ref: refOf(e) };
        break;
      }
      default:
        return view;
    }
    view.rev++;
    return view;
  },
};
