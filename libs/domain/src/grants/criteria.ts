import { isIsoDate, IsoDate, refuse, sentAsText } from '../shared';

/**
 * Criteria sets are versioned CODE selected by id (a later year's new set never changes how an
 * earlier scheme, which names its set, is judged). Their windows are DATA: every scheme stores
 * its windows resolved to concrete dates, so changing a default here later does not change a
 * scheme that was already published.
 */

export const TARGET_GROUPS = ['primary-lower-secondary-counsellors', 'upper-secondary-counsellors', 'nav-staff', 'others'] as const;
export type TargetGroup = (typeof TARGET_GROUPS)[number];

export const ACTIVITY_KINDS = ['lecture', 'course', 'triangle-conversation', 'network-meeting', 'credit-bearing-programme'] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];

export interface DateWindow {
  from: IsoDate;
  to: IsoDate;
}

/** Every window a scheme of the 2014 criteria set judges over, resolved to dates. */
export interface SchemeWindows {
  /** The partnership agreement must be signed and in force on every day of this window. */
  partnershipAgreement: DateWindow;
  /** A coordinating function must be in force on every day of this window. */
  coordinatingFunction: DateWindow;
  /** The centre's service declaration must be free, open to all adults and from an age ≤ maxFromAge on every day. */
  freeGuidance: DateWindow & { maxFromAge: number };
  /** Competence development for each required target group must be delivered on some day of this window. */
  competenceDevelopment: DateWindow;
  /** User-survey participation periods must together cover every day of this window. */
  userSurvey: DateWindow;
  /** The annual report for `reportYear` must have been submitted to Vox on or before `deadline`. */
  annualReport: { reportYear: number; deadline: IsoDate };
}

export type WindowKey = keyof SchemeWindows;

/** What a scheme may override: any field of any window. */
export type WindowOverrides = {
  [K in WindowKey]?: Partial<SchemeWindows[K]>;
};

export interface CriteriaSet {
  id: string;
  title: { nb: string; en: string };
  /** The first scheme year the set was written for (informative; any year may name any set). */
  introducedFor: number;
  /** Target groups competence development must reach (all of them). */
  requiredTargetGroups: readonly TargetGroup[];
  defaultWindows: (year: number, judgingDate: IsoDate) => SchemeWindows;
  /** Why each default is what it is (shown by GET /grant-criteria-sets and in the README). */
  defaultsExplained: Record<WindowKey, string>;
}

export const CRITERIA_2014: CriteriaSet = {
  id: 'criteria-2014',
  title: {
    nb: 'Kriterier for grunntilskudd fra 2014: partnerskapsavtale, koordinerende funksjon og minst ett karrieresenter',
    en: 'Base-grant criteria from 2014: partnership agreement, coordinating function and at least one career centre',
  },
  introducedFor: 2014,
  requiredTargetGroups: ['primary-lower-secondary-counsellors', 'upper-secondary-counsellors', 'nav-staff'],
  defaultWindows: (year, judgingDate) => ({
    partnershipAgreement: { from: judgingDate, to: judgingDate },
    coordinatingFunction: { from: judgingDate, to: judgingDate },
    freeGuidance: { from: judgingDate, to: judgingDate, maxFromAge: 19 },
    competenceDevelopment: { from: `${year - 1}-01-01`, to: judgingDate },
    userSurvey: { from: `${year - 1}-01-01`, to: `${year - 1}-12-31` },
    annualReport: { reportYear: year - 1, deadline: judgingDate },
  }),
  defaultsExplained: {
    partnershipAgreement: 'The judging date only: the criterion asks for an agreement "in force", which is a state on the day Vox judges.',
    coordinatingFunction: 'The judging date only, for the same reason: the function must exist when Vox judges.',
    freeGuidance:
      'The judging date only, with maxFromAge 19: a declaration must be free, open to all adults and start at age 19 or lower. "Over 19" is read as "19 and older" (a centre serving from 20 or 25 leaves adults out and fails).',
    competenceDevelopment:
      'From 1 January of the year before the scheme year to the judging date: the last full activity year plus the current year so far; each of the three groups must be reached at least once in it.',
    userSurvey: 'The whole year before the scheme year: the same year the annual report covers, so the quality assurance that is judged is that of the reported year.',
    annualReport: 'The report for the year before the scheme year, submitted no later than the judging date: a report Vox has not received when it judges cannot count.',
  },
};

export const CRITERIA_SETS: Readonly<Record<string, CriteriaSet>> = { [CRITERIA_2014.id]: CRITERIA_2014 };

/** The criteria set with this id, or undefined (ids such as "constructor" never reach Object.prototype). */
export const criteriaSetOf = (id: unknown): CriteriaSet | undefined =>
  typeof id === 'string' && Object.prototype.hasOwnProperty.call(CRITERIA_SETS, id) ? CRITERIA_SETS[id] : undefined;

export const requireCriteriaSet = (id: string): CriteriaSet =>
  criteriaSetOf(id) ?? refuse('GRANT_SCHEME.UNKNOWN_CRITERIA_SET', `There is no criteria set called ${id}; known sets: ${Object.keys(CRITERIA_SETS).join(', ')}.`, 'invalid', { criteriaSetId: id, known: Object.keys(CRITERIA_SETS) });

const DATE_WINDOWS = ['partnershipAgreement', 'coordinatingFunction', 'freeGuidance', 'competenceDevelopment', 'userSurvey'] as const;

/** Defaults for (year, judging date), with the scheme's overrides laid over them field by field. */
export const resolveWindows = (set: CriteriaSet, year: number, judgingDate: IsoDate, overrides: WindowOverrides): SchemeWindows => {
  const d = set.defaultWindows(year, judgingDate);
  const o = overrides;
  const w: SchemeWindows = {
    partnershipAgreement: { ...d.partnershipAgreement, ...o.partnershipAgreement },
    coordinatingFunction: { ...d.coordinatingFunction, ...o.coordinatingFunction },
    freeGuidance: { ...d.freeGuidance, ...o.freeGuidance },
    competenceDevelopment: { ...d.competenceDevelopment, ...o.competenceDevelopment },
    userSurvey: { ...d.userSurvey, ...o.userSurvey },
    annualReport: { ...d.annualReport, ...o.annualReport },
  };
  for (const k of DATE_WINDOWS) {
    const win = w[k];
    for (const f of ['from', 'to'] as const) {
      if (!isIsoDate(win[f])) refuse('GRANT_SCHEME.WINDOW_INVALID_DATE', `windows.${k}.${f} (${String(win[f])}) is not a real calendar date.`, 'invalid', { field: `windows.${k}.${f}`, window: k });
    }
    if (win.to < win.from) refuse('GRANT_SCHEME.WINDOW_ENDS_BEFORE_START', `The ${k} window ends (${win.to}) before it starts (${win.from}).`, 'rule', { window: k, from: win.from, to: win.to });
  }
  const age = w.freeGuidance.maxFromAge;
  if (!Number.isInteger(age) || age < 16 || age > 67) refuse('GRANT_SCHEME.WINDOW_INVALID_AGE', `${sentAsText('windows.freeGuidance.maxFromAge', age, 16, 67) ?? `windows.freeGuidance.maxFromAge must be a whole age from 16 to 67, not ${String(age)}`}.`, 'invalid');
  const ry = w.annualReport.reportYear;
  if (!Number.isInteger(ry) || ry < year - 5 || ry > year) refuse('GRANT_SCHEME.WINDOW_INVALID_REPORT_YEAR', `windows.annualReport.reportYear must be a year from ${year - 5} to ${year}, not ${String(ry)}.`, 'invalid');
  if (!isIsoDate(w.annualReport.deadline)) refuse('GRANT_SCHEME.WINDOW_INVALID_DATE', `windows.annualReport.deadline (${String(w.annualReport.deadline)}) is not a real calendar date.`, 'invalid', { field: 'windows.annualReport.deadline', window: 'annualReport' });
  if (w.annualReport.deadline < `${ry}-01-01`) refuse('GRANT_SCHEME.WINDOW_ENDS_BEFORE_START', `The annual report deadline (${w.annualReport.deadline}) is before the report year ${ry} began.`, 'rule');
  return w;
};

/** Merges two override sets (later wins, field by field). */
export const mergeOverrides = (a: WindowOverrides, b: WindowOverrides): WindowOverrides => {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = { ...(a as Record<string, object>)[k], ...v };
  return out as WindowOverrides;
};
