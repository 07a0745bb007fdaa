import { addDays, IsoDate } from '../shared';

/**
 * What other streams have recorded for a centre, as the close-centre rule needs it: every fact that
 * needs the centre open on some day. The application reads them (the CentreActivity port, see
 * libs/application/src/counties/centre-activity.ts); the rule that compares them with a closing date
 * is here, pure.
 */
export type CentreFactKind =
  | 'money'
  | 'staff-position'
  | 'board-established'
  | 'proposal-tabled'
  | 'vote-cast'
  | 'board-decision'
  | 'county-line-decision'
  | 'co-location'
  | 'owner-agreement'
  | 'owner-agreement-amendment'
  | 'service-declaration'
  | 'competence-development'
  | 'user-survey-participation'
  | 'annual-report'
  | 'stimulus-grant-application';

export interface CentreFact {
  kind: CentreFactKind;
  /** The fact's own id (an entry id cannot be given for money: see `money` below). */
  id: string | null;
  /** The business date that dates it (null for money, which goes by fiscal year). */
  date: IsoDate | null;
  fiscalYear: number | null;
  /**
   * The last day the centre must still be open for this fact to stand: the centre can be closed from
   * the day after (`closedOn` is the first day closed), not from this day or earlier.
   */
  openUntil: IsoDate;
  /** The fact for a reader, e.g. "money for 2016 (operating grant from nav-telemark, 2 entries)". */
  what: string;
  /** Where it was recorded, when the reader knows (money is read from an aggregate and names neither). */
  streamId: string | null;
  position: number | null;
  /** Facts of a kind's own (a board's id, money's kind, party, live entries and amount, …). */
  more?: Record<string, unknown>;
}

/** How many facts a refusal lists (the rest are counted). */
export const LISTED_FACTS = 10;

/**
 * The last day a fiscal year's money needs its centre open: a year's funding mixes and key figures
 * count the centres open on some day of it, so money for Y stands while the centre is open on
 * 1 January of Y at least (closed from 2 January of Y at the earliest).
 */
export const moneyOpenUntil = (fiscalYear: number): IsoDate => `${String(fiscalYear).padStart(4, '0')}-01-01`;

/**
 * The last day an annual report needs its centre open: a report is about its year, as money for a
 * fiscal year is, so it stands while the centre was open on some day of that year (1 January of it at
 * least), whenever it was submitted. A centre closed from 1 July files its final report afterwards, and
 * closing a centre is refused only from a day that would leave a reported year with no day open.
 */
export const annualReportOpenUntil = (year: number): IsoDate => moneyOpenUntil(year);

/** The money events (by name: the funding module imports this one, not the other way round). */
const MONEY_EVENT_TYPES: ReadonlySet<string> = new Set(['OperatingGrantRecorded', 'EarmarkedFundsRecorded', 'TenderAwardRecorded', 'OtherIncomeRecorded', 'InKindContributionRecorded']);

const later = (a: IsoDate, b: IsoDate | null | undefined): IsoDate => (typeof b === 'string' && b > a ? b : a);

/**
 * THE per-fact rule: the last day an event recorded for a centre needs the centre open (`openUntil`),
 * or null when it needs none (a reversal, a withdrawal of evidence, a termination of an agreement, a
 * member's appointment: they record no activity of the centre on a day). Money for fiscal year Y needs
 * it open on 1 January of Y at least (open on some day of Y), and so does an annual report for Y; an
 * owner agreement from the later of its start and its signing; a user-survey participation from the
 * start of its period (the date the opening rule checks); every other fact on its own date.
 *
 * Both sides of "closed" read it, so they cannot disagree: every command that records such an event
 * refuses it as CENTRE.CLOSED exactly when a closing from `closedOn` would put it after the closure
 * (`fallsAfterClosing`; `requireOpenFor` in centre.ts), and closing is refused as
 * CENTRE.CLOSE_BEFORE_ACTIVITY exactly when facts already recorded would fall after it (the facts the
 * CentreActivity port reads carry this `openUntil`; `factsAfterClosing`).
 */
export const openUntilOf = (event: { type: string; data: unknown }): IsoDate | null => {
  const d = event.data as any;
  if (MONEY_EVENT_TYPES.has(event.type)) return typeof d?.fiscalYear === 'number' ? moneyOpenUntil(d.fiscalYear) : null;
  if (event.type === 'AnnualReportSubmitted') return typeof d?.year === 'number' ? annualReportOpenUntil(d.year) : null;
  let date: unknown;
  switch (event.type) {
    case 'StaffPositionStarted': date = d?.startedOn; break;
    case 'StaffPositionChanged': date = d?.effectiveFrom; break;
    case 'StaffPositionEnded': date = d?.endedOn; break;
    case 'BoardEstablished': date = d?.establishedOn; break;
    case 'ProposalTabled': date = d?.tabledOn; break;
    case 'VoteCast': date = d?.castOn; break;
    case 'ProposalClosed': date = d?.closedOn; break;
    case 'CountyLineDecisionRecorded': date = d?.decidedOn; break;
    case 'CoLocationRecorded': date = d?.from; break;
    case 'OwnerAgreementRegistered': date = typeof d?.period?.from === 'string' ? later(d.period.from, d.signedOn) : undefined; break;
    case 'OwnerAgreementAmended': date = d?.effectiveFrom; break;
    case 'ServiceDeclared': date = d?.effectiveFrom; break;
    case 'CompetenceDevelopmentDelivered': date = d?.deliveredOn; break;
    case 'UserSurveyParticipationRecorded': date = d?.period?.from; break;
    case 'StimulusGrantApplied': date = d?.appliedOn; break;
    default: return null;
  }
  return typeof date === 'string' ? date : null;
};

/**
 * Whether a fact needing its centre open until `openUntil` falls after a closure from `closedOn` (the
 * first day closed): the centre is not open on `openUntil`. The one comparison both the close rule
 * and the closed-centre rule for recording make.
 */
export const fallsAfterClosing = (openUntil: IsoDate, closedOn: IsoDate): boolean => openUntil >= closedOn;

/** The facts a closing from `closedOn` would put after the closure: latest first. */
export const factsAfterClosing = (facts: readonly CentreFact[], closedOn: IsoDate): CentreFact[] =>
  facts
    .filter((f) => fallsAfterClosing(f.openUntil, closedOn))
    .sort((a, b) => (a.openUntil === b.openUntil ? (b.position ?? -1) - (a.position ?? -1) : a.openUntil < b.openUntil ? 1 : -1));

/** A fact as a refusal's `details` list it. */
export const factDetail = (f: CentreFact): Record<string, unknown> => ({
  kind: f.kind,
  id: f.id,
  date: f.date,
  fiscalYear: f.fiscalYear,
  openUntil: f.openUntil,
  description: f.what,
  streamId: f.streamId,
  position: f.position,
  ...(f.more ?? {}),
});

/** The earliest day a centre with these (non-empty, latest first) facts can be closed from. */
export const earliestClosing = (latestFirst: readonly CentreFact[]): IsoDate => addDays(latestFirst[0].openUntil, 1);
