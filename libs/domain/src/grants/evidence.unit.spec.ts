import { CentreState } from '../counties/centre';
import { deciderSpec, testContext } from '../shared/decider-spec';
import { GrantEvidenceCommand, grantEvidenceDecider, GrantEvidenceEvent } from './evidence';

const spec = deciderSpec(grantEvidenceDecider);
const OPEN: CentreState = { status: 'open', centreId: 'telemark-kc', countyId: 'telemark', name: 'Karrieresenter Telemark', municipality: 'Skien', openedOn: '2009-01-01' };
const CLOSED: CentreState = { ...OPEN, status: 'closed', closedOn: '2013-12-31' };

const report = (year: number, submittedOn: string, centre: CentreState = OPEN, reportId: string | null = null): GrantEvidenceCommand => ({
  type: 'RecordAnnualReport',
  data: { reportId, centreId: 'telemark-kc', year, submittedOn },
  centre,
});

const activity = (over: Partial<Extract<GrantEvidenceCommand, { type: 'RecordCompetenceDevelopment' }>['data']> = {}): GrantEvidenceCommand => ({
  type: 'RecordCompetenceDevelopment',
  data: { activityId: 'a1', centreId: 'telemark-kc', deliveredOn: '2013-10-01', kind: 'triangle-conversation', targetGroups: ['nav-staff'], participants: 3, description: 'NAV-ansatt, bruker og veileder', ...over },
  centre: OPEN,
});

describe('grant evidence on a centre (given/when/then)', () => {
  it("records a service declaration with the centre's county", () => {
    spec
      .given([])
      .when({ type: 'DeclareService', data: { declarationId: null, centreId: 'telemark-kc', effectiveFrom: '2013-01-01', freeOfCharge: true, openToAllAdults: true, fromAge: 19, note: null }, centre: OPEN })
      .then([{ type: 'ServiceDeclared', data: { declarationId: 'id-1', centreId: 'telemark-kc', countyId: 'telemark', effectiveFrom: '2013-01-01', freeOfCharge: true, openToAllAdults: true, fromAge: 19, note: null } }]);
  });

  it('records a competence-development activity; refuses no participants, unknown groups and future dates', () => {
    const [e] = spec.given([]).when(activity()).events();
    expect(e).toEqual({ type: 'CompetenceDevelopmentDelivered', data: { activityId: 'a1', centreId: 'telemark-kc', countyId: 'telemark', deliveredOn: '2013-10-01', kind: 'triangle-conversation', targetGroups: ['nav-staff'], participants: 3, description: 'NAV-ansatt, bruker og veileder' } });
    spec.given([]).when(activity({ participants: 0 })).thenThrows('GRANT_EVIDENCE.NO_PARTICIPANTS', 'invalid');
    spec.given([]).when(activity({ targetGroups: ['teachers' as any] })).thenThrows('GRANT_EVIDENCE.UNKNOWN_TARGET_GROUP', 'invalid');
    spec.given([]).when(activity({ targetGroups: ['nav-staff', 'nav-staff'] })).thenThrows('GRANT_EVIDENCE.DUPLICATE_TARGET_GROUP', 'invalid');
    spec.given([]).when(activity({ deliveredOn: '2026-01-16' }), testContext()).thenThrows('GRANT_EVIDENCE.IN_FUTURE', 'rule');
    spec.given([]).when(activity({ deliveredOn: '2008-12-31' })).thenThrows('GRANT_EVIDENCE.BEFORE_OPENING', 'rule');
    spec.given(spec.given([]).when(activity()).events() as GrantEvidenceEvent[]).when(activity()).thenThrows('GRANT_EVIDENCE.ID_TAKEN', 'conflict');
  });

  it('refuses a report year outside 2000–2100, naming the field as the request\'s own check does', () => {
    expect(spec.given([]).when(report(2101, '2014-02-01')).thenThrows('FISCAL_YEAR.OUT_OF_RANGE', 'invalid').details).toEqual({ field: 'year', year: 2101 });
  });

  it('records user-survey participation for a period; refuses one that ends before it starts', () => {
    spec.given([]).when({ type: 'RecordUserSurveyParticipation', data: { participationId: 's', centreId: 'telemark-kc', period: { from: '2013-01-01', to: '2013-12-31' }, note: null }, centre: OPEN }).then([
      { type: 'UserSurveyParticipationRecorded', data: { participationId: 's', centreId: 'telemark-kc', countyId: 'telemark', period: { from: '2013-01-01', to: '2013-12-31' }, note: null } },
    ]);
    spec.given([]).when({ type: 'RecordUserSurveyParticipation', data: { participationId: null, centreId: 'telemark-kc', period: { from: '2013-12-31', to: '2013-01-01' }, note: null }, centre: OPEN }).thenThrows('PERIOD.ENDS_BEFORE_START');
  });

  it('records one annual report per year; a second for the same year is a conflict', () => {
    const first = spec.given([]).when(report(2013, '2014-02-15', OPEN, 'r13')).then([{ type: 'AnnualReportSubmitted', data: { reportId: 'r13', centreId: 'telemark-kc', countyId: 'telemark', year: 2013, submittedOn: '2014-02-15' } }]);
    spec.given(first).when(report(2013, '2014-02-20')).thenThrows('ANNUAL_REPORT.ALREADY_SUBMITTED', 'conflict');
    spec.given(first).when(report(2014, '2015-02-20')).events();
    spec.given([]).when(report(2014, '2013-12-31')).thenThrows('ANNUAL_REPORT.SUBMITTED_BEFORE_YEAR');
  });

  it('refuses evidence for a closed or unknown centre', () => {
    // An annual report is about its year: refused for a year the centre is open on no day of (closed from 31 December 2013: 2014)
    const refused = spec.given([]).when(report(2014, '2015-02-15', CLOSED)).thenThrows('CENTRE.CLOSED', 'rule');
    expect([refused.message, refused.details]).toEqual([
      'Career centre Karrieresenter Telemark is closed from 2013-12-31; the annual report for 2014 falls after that: the centre is open on no day of 2014.',
      { centreId: 'telemark-kc', closedOn: '2013-12-31', year: 2014, latestDate: '2013-12-30' },
    ]);
    spec.given([]).when({ ...activity({ deliveredOn: '2013-12-31' }), centre: CLOSED } as GrantEvidenceCommand).thenThrows('CENTRE.CLOSED', 'rule');
    spec.given([]).when(report(2013, '2014-02-15', { status: 'unregistered' })).thenThrows('CENTRE.NOT_FOUND', 'not-found');
  });

  it('an annual report is for a year the centre was open on some day of, submitted once that year is over (or, for a centre closed during it, from its closing date)', () => {
    // the year is not over: refused, naming the first day it may be submitted
    const early = spec.given([]).when(report(2013, '2013-12-31')).thenThrows('ANNUAL_REPORT.SUBMITTED_BEFORE_YEAR_END', 'rule');
    expect(early.details).toEqual({ year: 2013, submittedOn: '2013-12-31', earliestSubmittedOn: '2014-01-01' });
    expect(spec.given([]).when(report(2013, '2014-01-01')).events()).toHaveLength(1);
    // closed from 1 July 2013: the final report for the half year it was open, from the closing date on
    const closedMidYear: CentreState = { ...OPEN, status: 'closed', closedOn: '2013-07-01' };
    const beforeClosing = spec.given([]).when(report(2013, '2013-06-30', closedMidYear)).thenThrows('ANNUAL_REPORT.SUBMITTED_BEFORE_YEAR_END', 'rule');
    expect(beforeClosing.details).toMatchObject({ earliestSubmittedOn: '2013-07-01' });
    expect(spec.given([]).when(report(2013, '2013-07-01', closedMidYear)).events()).toHaveLength(1);
    expect(spec.given([]).when(report(2013, '2014-02-15', closedMidYear)).events()).toHaveLength(1);
    expect(spec.given([]).when(report(2013, '2014-02-15', CLOSED)).events()).toHaveLength(1);
    spec.given([]).when(report(2014, '2015-02-15', closedMidYear)).thenThrows('CENTRE.CLOSED', 'rule');
    // a year that ended before the centre opened (10 January 2014) has no report
    const late: CentreState = { ...OPEN, openedOn: '2014-01-10' };
    const before = spec.given([]).when(report(2013, '2014-02-01', late)).thenThrows('ANNUAL_REPORT.YEAR_BEFORE_OPENING', 'rule');
    expect(before.details).toEqual({ year: 2013, openedOn: '2014-01-10' });
    expect(spec.given([]).when(report(2014, '2015-02-01', late)).events()).toHaveLength(1);
  });

  it('withdraws evidence recorded by mistake, once; a withdrawn annual report can be recorded again', () => {
    const first = spec.given([]).when(report(2013, '2014-03-02', OPEN, 'r13')).events();
    const withdrawn = spec
      .given(first)
      .when({ type: 'WithdrawGrantEvidence', data: { evidenceId: 'r13', centreId: 'telemark-kc', reason: 'wrong date: it was sent on 2014-02-27' }, centre: OPEN })
      .then([{ type: 'GrantEvidenceWithdrawn', data: { evidenceId: 'r13', centreId: 'telemark-kc', countyId: 'telemark', evidenceType: 'AnnualReportSubmitted', reason: 'wrong date: it was sent on 2014-02-27' } }]);
    spec.given([...first, ...withdrawn]).when(report(2013, '2014-02-27', OPEN, 'r13b')).then([{ type: 'AnnualReportSubmitted', data: { reportId: 'r13b', centreId: 'telemark-kc', countyId: 'telemark', year: 2013, submittedOn: '2014-02-27' } }]);
    spec.given([...first, ...withdrawn]).when({ type: 'WithdrawGrantEvidence', data: { evidenceId: 'r13', centreId: 'telemark-kc', reason: 'again' }, centre: OPEN }).thenThrows('GRANT_EVIDENCE.ALREADY_WITHDRAWN', 'conflict');
    spec.given([]).when({ type: 'WithdrawGrantEvidence', data: { evidenceId: 'nope', centreId: 'telemark-kc', reason: 'x' }, centre: OPEN }).thenThrows('GRANT_EVIDENCE.NOT_FOUND', 'not-found');
    spec.given([...first, ...withdrawn]).when(report(2013, '2014-02-27', OPEN, 'r13')).thenThrows('GRANT_EVIDENCE.ID_TAKEN', 'conflict');
    const ctor = spec.given([]).when(report(2013, '2014-02-01', OPEN, 'constructor')).events();
    expect(spec.given(ctor).when({ type: 'WithdrawGrantEvidence', data: { evidenceId: 'constructor', centreId: 'telemark-kc', reason: 'x' }, centre: OPEN }).events()).toHaveLength(1);
  });
});

describe('grant evidence: opening date and ids that are built-in property names', () => {
  const withdraw = (evidenceId: string): GrantEvidenceCommand => ({ type: 'WithdrawGrantEvidence', data: { evidenceId, centreId: 'telemark-kc', reason: 'x' }, centre: OPEN });

  it('refuses an annual report submitted before the centre opened (GRANT_EVIDENCE.BEFORE_OPENING), as the other kinds', () => {
    const e = spec.given([]).when(report(2008, '2008-12-31')).thenThrows('GRANT_EVIDENCE.BEFORE_OPENING', 'rule');
    expect(e.details).toEqual({ field: 'submittedOn', openedOn: '2009-01-01' });
    // submitted after the opening, but for a year that ended before it
    spec.given([]).when(report(2008, '2009-01-01')).thenThrows('ANNUAL_REPORT.YEAR_BEFORE_OPENING', 'rule');
    expect(spec.given([]).when(report(2009, '2010-01-01')).events()).toHaveLength(1);
  });

  it.each(['constructor', '__proto__'])('records evidence called %s once and withdraws it once; unknown, it is not found', (id) => {
    spec.given([]).when(withdraw(id)).thenThrows('GRANT_EVIDENCE.NOT_FOUND', 'not-found');
    const recorded = spec.given([]).when(activity({ activityId: id })).events();
    spec.given(recorded).when(activity({ activityId: id })).thenThrows('GRANT_EVIDENCE.ID_TAKEN', 'conflict');
    const withdrawn = spec.given(recorded).when(withdraw(id)).then([{ type: 'GrantEvidenceWithdrawn', data: { evidenceId: id, centreId: 'telemark-kc', countyId: 'telemark', evidenceType: 'CompetenceDevelopmentDelivered', reason: 'x' } }]);
    spec.given([...recorded, ...withdrawn]).when(withdraw(id)).thenThrows('GRANT_EVIDENCE.ALREADY_WITHDRAWN', 'conflict');
  });
});
