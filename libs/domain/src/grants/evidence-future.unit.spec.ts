import { CentreState } from '../counties/centre';
import { deciderSpec, testContext } from '../shared/decider-spec';
import { GrantEvidenceCommand, grantEvidenceDecider } from './evidence';

const spec = deciderSpec(grantEvidenceDecider);
const OPEN: CentreState = { status: 'open', centreId: 'telemark-kc', countyId: 'telemark', name: 'Karrieresenter Telemark', municipality: 'Skien', openedOn: '2009-01-01' };

/** 23:30 UTC on 15 January 2026 is 00:30 on 16 January in Norway. */
const LATE = testContext({ now: '2026-01-15T23:30:00.000Z' });

const declaration = (effectiveFrom: string): GrantEvidenceCommand => ({
  type: 'DeclareService',
  data: { declarationId: null, centreId: 'telemark-kc', effectiveFrom, freeOfCharge: true, openToAllAdults: true, fromAge: 19, note: null },
  centre: OPEN,
});
const survey = (from: string, to: string): GrantEvidenceCommand => ({ type: 'RecordUserSurveyParticipation', data: { participationId: null, centreId: 'telemark-kc', period: { from, to }, note: null }, centre: OPEN });
const report = (submittedOn: string): GrantEvidenceCommand => ({ type: 'RecordAnnualReport', data: { reportId: null, centreId: 'telemark-kc', year: 2025, submittedOn }, centre: OPEN });
const activity = (deliveredOn: string): GrantEvidenceCommand => ({
  type: 'RecordCompetenceDevelopment',
  data: { activityId: null, centreId: 'telemark-kc', deliveredOn, kind: 'course', targetGroups: ['nav-staff'], participants: 3, description: 'Kurs' },
  centre: OPEN,
});

describe('evidence dated after today in Norway is refused (GRANT_EVIDENCE.IN_FUTURE)', () => {
  it('a service declaration, a user-survey period (by its end), an annual report and an activity dated after today', () => {
    for (const command of [declaration('2026-01-17'), survey('2025-01-01', '2026-01-17'), report('2026-01-17'), activity('2026-01-17')]) {
      spec.given([]).when(command, LATE).thenThrows('GRANT_EVIDENCE.IN_FUTURE', 'rule');
    }
  });

  it("today is Norway's date, not the UTC date: at 23:30 UTC on the 15th, the 16th is today", () => {
    for (const command of [declaration('2026-01-16'), survey('2025-01-01', '2026-01-16'), report('2026-01-16'), activity('2026-01-16')]) spec.given([]).when(command, LATE).events();
  });

  it('a survey period that started but has not ended is refused by its end', () => {
    spec.given([]).when(survey('2026-01-01', '2026-12-31'), LATE).thenThrows('GRANT_EVIDENCE.IN_FUTURE', 'rule');
  });

  it('reads the clock only for evidence with a date (a withdrawal never asks)', () => {
    let reads = 0;
    const ctx = { ...testContext(), get now() {
      reads++;
      return '2026-01-15T12:00:00.000Z';
    } };
    const recorded = spec.given([]).when(declaration('2013-01-01'), ctx).events();
    expect(reads).toBeGreaterThan(0);
    reads = 0;
    spec.given(recorded as never).when({ type: 'WithdrawGrantEvidence', data: { evidenceId: 'id-1', centreId: 'telemark-kc', reason: 'feil' }, centre: OPEN }, ctx).events();
    expect(reads).toBe(0);
  });
});
