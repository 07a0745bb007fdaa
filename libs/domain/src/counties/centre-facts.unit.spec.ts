import { deciderSpec } from '../shared/decider-spec';
import { DomainError } from '../shared';
import { centreDecider, CentreEvent, CentreState, requireOpenFor } from './centre';
import { CentreFact, factsAfterClosing, moneyOpenUntil, openUntilOf } from './centre-facts';

const spec = deciderSpec(centreDecider);
const registered: CentreEvent = { type: 'CentreRegistered', data: { centreId: 'kc', countyId: 'telemark', name: 'Karrieresenteret Skien', municipality: 'Skien', openedOn: '2010-01-01' } };
const close = (closedOn: string, activity: CentreFact[]) => ({ type: 'CloseCentre' as const, data: { centreId: 'kc', closedOn, reason: 'nedlagt' }, activity });

const money = (fiscalYear: number): CentreFact => ({ kind: 'money', id: null, date: null, fiscalYear, openUntil: moneyOpenUntil(fiscalYear), what: `money for ${fiscalYear}`, streamId: null, position: null });
const dated = (kind: CentreFact['kind'], id: string, date: string, position: number): CentreFact => ({ kind, id, date, fiscalYear: null, openUntil: date, what: `${kind} ${id} on ${date}`, streamId: `s-${id}`, position });

describe('closing a centre: facts recorded in other streams (CENTRE.CLOSE_BEFORE_ACTIVITY)', () => {
  it('money for Y needs the centre open on 1 January of Y: closing from that day is refused, from 2 January accepted', () => {
    const err = spec.given([registered]).when(close('2016-01-01', [money(2016), money(2013)])).thenThrows('CENTRE.CLOSE_BEFORE_ACTIVITY', 'conflict');
    expect(err.details).toMatchObject({ closedOn: '2016-01-01', earliestClosedOn: '2016-01-02', conflictCount: 1 });
    expect(err.message).toBe(
      'Karrieresenteret Skien cannot be closed from 2016-01-01: a fact already recorded for it needs it open on or after that day: money for 2016. Close it from 2016-01-02 at the earliest, or first reverse or correct what was recorded by mistake.',
    );
    spec.given([registered]).when(close('2016-01-02', [money(2016), money(2013)])).then([{ type: 'CentreClosed', data: { centreId: 'kc', closedOn: '2016-01-02', reason: 'nedlagt' } }]);
  });

  it('a dated fact blocks a closing on or before its date; the refusal lists at most 10, latest first, and counts them all', () => {
    const facts = Array.from({ length: 12 }, (_, i) => dated('vote-cast', `v${i}`, `2014-02-${String(i + 10).padStart(2, '0')}`, 100 + i));
    const err = spec.given([registered]).when(close('2014-02-10', facts)).thenThrows('CENTRE.CLOSE_BEFORE_ACTIVITY', 'conflict');
    const d = err.details as any;
    expect([d.conflictCount, d.conflicts.length, d.earliestClosedOn, d.latest.id]).toEqual([12, 10, '2014-02-22', 'v11']);
    expect(d.conflicts.map((f: any) => f.id)).toEqual(['v11', 'v10', 'v9', 'v8', 'v7', 'v6', 'v5', 'v4', 'v3', 'v2']);
    expect(d.conflicts[0]).toMatchObject({ kind: 'vote-cast', id: 'v11', date: '2014-02-21', streamId: 's-v11', position: 111 });
    expect(err.message).toContain('12 facts already recorded for it need it open on or after that day; the latest is vote-cast v11 on 2014-02-21');
    spec.given([registered]).when(close('2014-02-22', facts)).events();
  });

  it('checks its own stream first: a closed or unknown centre, or a date before opening, is refused as before whatever the facts', () => {
    const facts = [money(2030)];
    spec.given([]).when(close('2014-01-01', facts)).thenThrows('CENTRE.NOT_FOUND', 'not-found');
    spec.given([registered]).when(close('2009-01-01', facts)).thenThrows('CENTRE.DATE_BEFORE_OPENING', 'rule');
    spec.given([registered, { type: 'CentreClosed', data: { centreId: 'kc', closedOn: '2031-01-01', reason: 'x' } }]).when(close('2032-01-01', facts)).thenThrows('CENTRE.CLOSED', 'rule');
  });

  it('mirrors the closed-centre rule for recording: an event is refused (CENTRE.CLOSED) exactly when, recorded, it would make that closing refused', () => {
    const events: { type: string; data: Record<string, unknown> }[] = [
      { type: 'OperatingGrantRecorded', data: { fiscalYear: 2015 } },
      { type: 'InKindContributionRecorded', data: { fiscalYear: 2014 } },
      { type: 'StaffPositionStarted', data: { positionId: 'p', startedOn: '2014-12-31' } },
      { type: 'StaffPositionChanged', data: { positionId: 'p', effectiveFrom: '2015-01-01' } },
      { type: 'StaffPositionEnded', data: { positionId: 'p', endedOn: '2015-01-02' } },
      { type: 'BoardEstablished', data: { boardId: 'b', establishedOn: '2014-12-30' } },
      { type: 'ProposalTabled', data: { boardId: 'b', proposalId: 'x', tabledOn: '2015-01-01' } },
      { type: 'VoteCast', data: { boardId: 'b', proposalId: 'x', personId: 'm', castOn: '2014-12-31' } },
      { type: 'ProposalClosed', data: { boardId: 'b', proposalId: 'x', closedOn: '2015-01-01' } },
      { type: 'CountyLineDecisionRecorded', data: { decisionId: 'd', decidedOn: '2015-01-01' } },
      { type: 'CoLocationRecorded', data: { from: '2014-12-31' } },
      { type: 'OwnerAgreementRegistered', data: { agreementId: 'a', period: { from: '2014-01-01' }, signedOn: '2015-01-01' } },
      { type: 'OwnerAgreementAmended', data: { agreementId: 'a', effectiveFrom: '2014-12-31' } },
      { type: 'ServiceDeclared', data: { effectiveFrom: '2015-01-01' } },
      { type: 'CompetenceDevelopmentDelivered', data: { deliveredOn: '2014-12-31' } },
      { type: 'UserSurveyParticipationRecorded', data: { period: { from: '2014-12-31', to: '2015-01-31' } } },
      { type: 'AnnualReportSubmitted', data: { year: 2014, submittedOn: '2015-01-01' } },
      { type: 'StimulusGrantApplied', data: { applicationId: 's', appliedOn: '2015-01-01' } },
      // no day open needed: never refused, never blocking
      { type: 'EntryReversed', data: { fiscalYear: 2030 } },
      { type: 'GrantEvidenceWithdrawn', data: { evidenceId: 'e' } },
      { type: 'OwnerAgreementTerminated', data: { agreementId: 'a', effectiveFrom: '2030-01-01' } },
    ];
    for (const closedOn of ['2014-01-01', '2014-01-02', '2014-12-31', '2015-01-01', '2015-01-02', '2015-01-03']) {
      const centre: CentreState = { status: 'closed', centreId: 'kc', countyId: 'telemark', name: 'KC', municipality: 'Skien', openedOn: '2010-01-01', closedOn };
      for (const event of events) {
        const openUntil = openUntilOf(event);
        const blocks = openUntil !== null && factsAfterClosing([{ ...money(2000), openUntil }], closedOn).length > 0;
        let refused = false;
        try {
          requireOpenFor(centre, 'kc', [event]);
        } catch (e) {
          expect((e as DomainError).code).toBe('CENTRE.CLOSED');
          refused = true;
        }
        expect([closedOn, event.type, refused]).toEqual([closedOn, event.type, blocks]);
      }
    }
    expect(openUntilOf({ type: 'OperatingGrantRecorded', data: { fiscalYear: 2015 } })).toBe('2015-01-01');
    expect(openUntilOf({ type: 'OwnerAgreementRegistered', data: { period: { from: '2014-01-01' }, signedOn: '2013-06-01' } })).toBe('2014-01-01');
    expect(openUntilOf({ type: 'UserSurveyParticipationRecorded', data: { period: { from: '2014-12-31', to: '2015-01-31' } } })).toBe('2014-12-31');
    // an open centre is open for everything
    for (const event of events) requireOpenFor({ status: 'open', centreId: 'kc', countyId: 'telemark', name: 'KC', municipality: 'Skien', openedOn: '2010-01-01' }, 'kc', [event]);
  });
});
