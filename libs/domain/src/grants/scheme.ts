import { assertNever, DecideContext, Decider, DomainEvent, isIsoDate, IsoDate, MAX_ORE, osloDateOf, refuse, sentAsText } from '../shared';
import { mergeOverrides, requireCriteriaSet, resolveWindows, SchemeWindows, WindowOverrides } from './criteria';
import { REMAINDER_RULE, splitEqually, SplitPart } from './split';

/** One stream per grant year: the scheme, its amendments, the allocation and its corrections. */
export const grantSchemeStream = (year: number): string => `grant-scheme-${year}`;

export const MIN_SCHEME_YEAR = 2000;
export const MAX_SCHEME_YEAR = 2100;

/** The terms of a scheme as published or last amended. */
export type SchemeTerms = {
  year: number;
  baseGrantOre: number;
  criteriaSetId: string;
  judgingDate: IsoDate;
  /** The windows the evaluation uses, resolved to dates (defaults + overrides). */
  windows: SchemeWindows;
  /** What Vox chose to differ from the criteria set's defaults. */
  windowOverrides: WindowOverrides;
};

/** A county's verdict as it stood when the allocation was computed: the snapshot the money follows. */
export interface CountyVerdict {
  countyId: string;
  countyNumber: string;
  name: string;
  eligible: boolean;
  /** Ids of the criteria that failed (empty when eligible). */
  failedCriteria: string[];
  qualifyingCentreIds: string[];
  /** Set when a correction overrode the computed verdict. */
  override?: { eligible: boolean; reason: string } | null;
}

export interface VerdictOverride {
  countyId: string;
  eligible: boolean;
  reason: string;
}

export type AllocationData = {
  year: number;
  schemeVersion: number;
  criteriaSetId: string;
  judgingDate: IsoDate;
  baseGrantOre: number;
  /** The log position the eligibility snapshot was computed at. */
  basedOnPosition: number;
  verdicts: CountyVerdict[];
  parts: SplitPart[];
  remainderRule: typeof REMAINDER_RULE;
};

export type GrantSchemeEvent =
  | DomainEvent<'GrantSchemePublished', SchemeTerms & { schemeVersion: number; note: string | null }>
  | DomainEvent<'GrantSchemeAmended', SchemeTerms & { schemeVersion: number; reason: string }>
  | DomainEvent<'BaseGrantAllocated', AllocationData & { note: string | null }>
  | DomainEvent<'BaseGrantAllocationCorrected', AllocationData & { correctionNo: number; reason: string; overrides: VerdictOverride[]; previousParts: SplitPart[] }>;

export type GrantSchemeCommand =
  | { type: 'PublishGrantScheme'; data: { year: number; baseGrantOre: number; criteriaSetId: string; judgingDate: IsoDate; windowOverrides: WindowOverrides; note: string | null } }
  | {
      type: 'AmendGrantScheme';
      data: { year: number; baseGrantOre?: number; criteriaSetId?: string; judgingDate?: IsoDate; windowOverrides?: WindowOverrides; reason: string };
    }
  | { type: 'AllocateBaseGrant'; data: { year: number; schemeVersion: number; basedOnPosition: number; verdicts: CountyVerdict[]; note: string | null } }
  | {
      type: 'CorrectBaseGrantAllocation';
      data: { year: number; schemeVersion: number; basedOnPosition: number; verdicts: CountyVerdict[]; overrides: VerdictOverride[]; reason: string };
    };

export type GrantSchemeState =
  | { status: 'unpublished' }
  | { status: 'published'; version: number; terms: SchemeTerms }
  | { status: 'allocated'; version: number; terms: SchemeTerms; parts: SplitPart[]; verdicts: CountyVerdict[]; corrections: number };

const requireYear = (year: number): void => {
  if (!Number.isInteger(year) || year < MIN_SCHEME_YEAR || year > MAX_SCHEME_YEAR) {
    refuse('GRANT_SCHEME.YEAR_OUT_OF_RANGE', `${sentAsText('The grant year', year, MIN_SCHEME_YEAR, MAX_SCHEME_YEAR) ?? `The grant year must be a whole year from ${MIN_SCHEME_YEAR} to ${MAX_SCHEME_YEAR}, not ${year}`}.`, 'invalid', { year });
  }
};

const requireSum = (ore: number): void => {
  if (!Number.isSafeInteger(ore) || ore <= 0 || ore > Number(MAX_ORE)) refuse('GRANT_SCHEME.BASE_GRANT_INVALID', 'The base-grant sum must be a whole number of øre above zero.', 'invalid');
};

const terms = (year: number, baseGrantOre: number, criteriaSetId: string, judgingDate: IsoDate, windowOverrides: WindowOverrides): SchemeTerms => {
  requireYear(year);
  requireSum(baseGrantOre);
  const set = requireCriteriaSet(criteriaSetId);
  if (!isIsoDate(judgingDate)) refuse('GRANT_SCHEME.JUDGING_DATE_INVALID', `The judging date (${judgingDate}) is not a real calendar date.`, 'invalid');
  if (judgingDate < `${year - 1}-01-01` || judgingDate > `${year + 1}-12-31`) {
    refuse('GRANT_SCHEME.JUDGING_DATE_OUT_OF_RANGE', `The judging date of the ${year} scheme must lie between ${year - 1}-01-01 and ${year + 1}-12-31, not ${judgingDate}.`, 'rule', { judgingDate });
  }
  const windows = resolveWindows(set, year, judgingDate, windowOverrides);
  requireWindowsByJudgingDate(windows, judgingDate);
  return { year, baseGrantOre, criteriaSetId, judgingDate, windows, windowOverrides };
};

/**
 * The verdicts are those "on the day Vox judges": what happens after the judging date cannot count,
 * so no window may end after it. Checked on the resolved windows, so a default (the user survey's
 * year) that an early judging date leaves unfinished is refused too. The annual report's deadline is
 * not a window: a scheme may still set it after the judging date to accept a late report.
 */
const requireWindowsByJudgingDate = (w: SchemeWindows, judgingDate: IsoDate): void => {
  for (const k of ['partnershipAgreement', 'coordinatingFunction', 'freeGuidance', 'competenceDevelopment', 'userSurvey'] as const) {
    if (w[k].to > judgingDate) {
      refuse('GRANT_SCHEME.WINDOW_AFTER_JUDGING_DATE', `The ${k} window ends (${w[k].to}) after the judging date (${judgingDate}); the criteria are judged on that day, so a window must end on or before it.`, 'rule', { window: k, to: w[k].to, judgingDate });
    }
  }
};

/** The verdicts are "on the day Vox judges": before that day no money may follow them. */
const requireJudgingDateReached = (t: SchemeTerms, ctx: DecideContext): void => {
  const today = osloDateOf(ctx.now);
  if (today < t.judgingDate) {
    refuse('BASE_GRANT.BEFORE_JUDGING_DATE', `The ${t.year} scheme is judged on ${t.judgingDate}; its base grant cannot be allocated or corrected before that date (today is ${today}).`, 'rule', {
      year: t.year,
      judgingDate: t.judgingDate,
      today,
    });
  }
};

const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Checks the snapshot handed in, applies the overrides, and splits the sum among the eligible counties. */
const allocation = (
  state: Extract<GrantSchemeState, { status: 'published' | 'allocated' }>,
  data: { year: number; schemeVersion: number; basedOnPosition: number; verdicts: CountyVerdict[] },
  overrides: VerdictOverride[],
): AllocationData => {
  if (data.schemeVersion !== state.version) {
    refuse('GRANT_SCHEME.VERSION_CHANGED', `The eligibility was computed for version ${data.schemeVersion} of the ${data.year} scheme, but it is now at version ${state.version}; read the eligibility again.`, 'conflict', {
      computedFor: data.schemeVersion,
      current: state.version,
    });
  }
  const seen = new Set<string>();
  for (const v of data.verdicts) {
    if (seen.has(v.countyId)) refuse('BASE_GRANT.DUPLICATE_COUNTY', `County ${v.countyId} appears twice in the eligibility snapshot.`, 'invalid', { countyId: v.countyId });
    seen.add(v.countyId);
  }
  const byCounty = new Map<string, VerdictOverride>();
  for (const o of overrides) {
    if (!seen.has(o.countyId)) refuse('BASE_GRANT.UNKNOWN_COUNTY', `County ${o.countyId} is not registered, so its verdict cannot be overridden.`, 'not-found', { countyId: o.countyId });
    if (byCounty.has(o.countyId)) refuse('BASE_GRANT.DUPLICATE_COUNTY', `County ${o.countyId} is overridden twice.`, 'invalid', { countyId: o.countyId });
    byCounty.set(o.countyId, o);
  }
  const verdicts = data.verdicts.map((v) => {
    const o = byCounty.get(v.countyId);
    return o ? { ...v, eligible: o.eligible, override: { eligible: o.eligible, reason: o.reason } } : { ...v, override: null };
  });
  const eligible = verdicts.filter((v) => v.eligible);
  if (eligible.length === 0) {
    refuse('BASE_GRANT.NO_ELIGIBLE_COUNTY', `No county meets the criteria of the ${data.year} scheme, so there is nobody to share the base grant with; nothing was recorded.`, 'rule', { year: data.year });
  }
  return {
    year: data.year,
    schemeVersion: state.version,
    criteriaSetId: state.terms.criteriaSetId,
    judgingDate: state.terms.judgingDate,
    baseGrantOre: state.terms.baseGrantOre,
    basedOnPosition: data.basedOnPosition,
    verdicts,
    parts: splitEqually(state.terms.baseGrantOre, eligible),
    remainderRule: REMAINDER_RULE,
  };
};

export const grantSchemeDecider: Decider<GrantSchemeCommand, GrantSchemeEvent, GrantSchemeState> = {
  initialState: () => ({ status: 'unpublished' }),
  evolve: (state, event) => {
    switch (event.type) {
      case 'GrantSchemePublished':
      case 'GrantSchemeAmended': {
        const { year, baseGrantOre, criteriaSetId, judgingDate, windows, windowOverrides, schemeVersion } = event.data;
        return { status: 'published', version: schemeVersion, terms: { year, baseGrantOre, criteriaSetId, judgingDate, windows, windowOverrides } };
      }
      case 'BaseGrantAllocated':
        return state.status === 'unpublished' ? state : { status: 'allocated', version: state.version, terms: state.terms, parts: event.data.parts, verdicts: event.data.verdicts, corrections: 0 };
      case 'BaseGrantAllocationCorrected':
        return state.status === 'allocated' ? { ...state, parts: event.data.parts, verdicts: event.data.verdicts, corrections: event.data.correctionNo } : state;
      default:
        return state;
    }
  },
  decide: (command, state, ctx) => {
    switch (command.type) {
      case 'PublishGrantScheme': {
        const d = command.data;
        if (state.status !== 'unpublished') refuse('GRANT_SCHEME.ALREADY_PUBLISHED', `The ${d.year} scheme is already published; amend it instead.`, 'conflict', { year: d.year });
        const t = terms(d.year, d.baseGrantOre, d.criteriaSetId, d.judgingDate, d.windowOverrides);
        return [{ type: 'GrantSchemePublished', data: { ...t, schemeVersion: 1, note: d.note } }];
      }
      case 'AmendGrantScheme': {
        const d = command.data;
        if (state.status === 'unpublished') return refuse('GRANT_SCHEME.NOT_FOUND', `No grant scheme is published for ${d.year}.`, 'not-found', { year: d.year });
        if (state.status === 'allocated') refuse('GRANT_SCHEME.ALREADY_ALLOCATED', `The ${d.year} base grant has been allocated; the scheme can no longer be amended (record a correction of the allocation instead).`, 'rule', { year: d.year });
        const cur = state.terms;
        const overrides = d.windowOverrides ? mergeOverrides(cur.windowOverrides, d.windowOverrides) : cur.windowOverrides;
        const t = terms(d.year, d.baseGrantOre ?? cur.baseGrantOre, d.criteriaSetId ?? cur.criteriaSetId, d.judgingDate ?? cur.judgingDate, overrides);
        if (sameJson(t, cur)) return [];
        return [{ type: 'GrantSchemeAmended', data: { ...t, schemeVersion: state.version + 1, reason: d.reason } }];
      }
      case 'AllocateBaseGrant': {
        const d = command.data;
        if (state.status === 'unpublished') return refuse('GRANT_SCHEME.NOT_FOUND', `No grant scheme is published for ${d.year}; publish it before allocating.`, 'not-found', { year: d.year });
        if (state.status === 'allocated') {
          refuse('BASE_GRANT.ALREADY_ALLOCATED', `The ${d.year} base grant is already allocated; it can only be changed by a recorded correction.`, 'conflict', { year: d.year });
        }
        requireJudgingDateReached(state.terms, ctx);
        return [{ type: 'BaseGrantAllocated', data: { ...allocation(state, d, []), note: d.note } }];
      }
      case 'CorrectBaseGrantAllocation': {
        const d = command.data;
        if (state.status !== 'allocated') return refuse('BASE_GRANT.NOT_ALLOCATED', `The ${d.year} base grant has not been allocated, so there is nothing to correct.`, 'rule', { year: d.year });
        requireJudgingDateReached(state.terms, ctx);
        const next = allocation(state, d, d.overrides);
        const eligibleOf = (vs: CountyVerdict[]) => vs.filter((v) => v.eligible).map((v) => v.countyId);
        if (sameJson(next.parts, state.parts) && sameJson(eligibleOf(next.verdicts), eligibleOf(state.verdicts))) {
          refuse('BASE_GRANT.CORRECTION_CHANGES_NOTHING', 'This correction would give every county the same verdict and amount as now; nothing was recorded.', 'rule', { year: d.year });
        }
        return [{ type: 'BaseGrantAllocationCorrected', data: { ...next, correctionNo: state.corrections + 1, reason: d.reason, overrides: d.overrides, previousParts: state.parts } }];
      }
      default:
        return assertNever(command);
    }
  },
};
