import fc from 'fast-check';
import { ACTIVITY_KINDS, TARGET_GROUPS } from '../../../domain/src/grants/criteria';
import { activityFacts, ActivityEntry, dayOfText, windowDays, DeclarationEntry, EventRef, packActivity, packDeclaration, packReport, packSurvey, readActivity, readDeclaration, readReport, readSurvey, reportYear, ReportEntry, surveyOverlaps, SurveyEntry } from './packed';
import { centreEvidence, grantsProjection } from '.';
import { TestLog } from './test-log';

const CENTRE = 'kc-telemark-1';
const uuid = fc.uuid().map((u) => u.toLowerCase());
const id = fc.oneof(uuid, fc.string({ minLength: 0, maxLength: 12 }), fc.constantFrom('act-7', 'ABCDEF01-2345-4678-9abc-def012345678', '', 'æøå ✓'));
const day = fc.integer({ min: -800, max: 60_000 }).map((n) => new Date(n * 86_400_000).toISOString().slice(0, 10));
const date = fc.oneof(day, day, fc.constantFrom('2014-02-30', '1969-12-31', '2014-1-1', ''));
const instant = fc.oneof(fc.integer({ min: -1e11, max: 4e12 }).map((ms) => new Date(ms).toISOString()), fc.constantFrom('2014-03-01T08:00:00Z', '2014-03-01T08:00:00.000+01:00', 'x'));
const ref = (type: string): fc.Arbitrary<EventRef> =>
  fc.record({
    eventId: id,
    type: fc.constant(type),
    streamId: fc.oneof(fc.constant(`grant-evidence-${CENTRE}`), fc.constant('grant-evidence-kc-telemark-10'), fc.string({ maxLength: 30 })),
    revision: fc.integer({ min: 0, max: 2 ** 40 }),
    position: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
    recordedAt: instant,
  });

describe('packed evidence: one string per item, the same facts back', () => {
  it('property: every kind of item reads back exactly as it was packed', () => {
    const activity = fc.record({
      activityId: id,
      deliveredOn: date,
      kind: fc.constantFrom(...ACTIVITY_KINDS),
      targetGroups: fc.array(fc.constantFrom(...TARGET_GROUPS), { maxLength: 5 }),
      participants: fc.integer({ min: 0, max: 100_000 }),
      ref: ref('CompetenceDevelopmentDelivered'),
    });
    const declaration = fc.record({ declarationId: id, effectiveFrom: date, freeOfCharge: fc.boolean(), openToAllAdults: fc.boolean(), fromAge: fc.integer({ min: 0, max: 120 }), ref: ref('ServiceDeclared') });
    const survey = fc.record({ participationId: id, from: date, to: date, ref: ref('UserSurveyParticipationRecorded') });
    const report = fc.record({ reportId: id, year: fc.integer({ min: 2000, max: 2100 }), submittedOn: date, ref: ref('AnnualReportSubmitted') });
    fc.assert(
      fc.property(activity, declaration, survey, report, (a, d, s, r) => {
        const pa = packActivity(a as ActivityEntry, CENTRE);
        expect(typeof pa).toBe('string');
        expect(readActivity(pa, CENTRE)).toEqual(a);
        expect(activityFacts(pa)).toEqual({ deliveredOn: a.deliveredOn, targetGroups: a.targetGroups, participants: a.participants, position: a.ref.position });
        // with a window, an activity is skipped only when its (real) date lies outside it
        const skipped = activityFacts(pa, undefined, windowDays({ from: '2014-01-01', to: '2014-12-31' })) === null;
        expect(skipped).toBe(dayOfText(a.deliveredOn) >= 0 && (a.deliveredOn < '2014-01-01' || a.deliveredOn > '2014-12-31'));
        expect(readDeclaration(packDeclaration(d, CENTRE), CENTRE)).toEqual(d);
        const ps = packSurvey(s, CENTRE);
        expect(readSurvey(ps, CENTRE)).toEqual(s);
        expect(surveyOverlaps(ps, { from: '2014-01-01', to: '2014-12-31' })).toBe(s.from <= '2014-12-31' && s.to >= '2014-01-01');
        const pr = packReport(r as ReportEntry, CENTRE);
        expect(readReport(pr, CENTRE)).toEqual(r);
        expect(reportYear(pr)).toBe(r.year);
        // still plain JSON: a checkpoint round trip changes nothing
        expect(JSON.parse(JSON.stringify([pa, ps, pr]))).toEqual([pa, ps, pr]);
      }),
      { numRuns: 300 },
    );
  });

  it('an item written by this ledger (UUIDs, its own stream) takes about 70 characters', () => {
    const a: ActivityEntry = {
      activityId: '2f303828-bc54-4e06-aef2-5d8f4692becd',
      deliveredOn: '2014-09-26',
      kind: 'network-meeting',
      targetGroups: ['primary-lower-secondary-counsellors', 'upper-secondary-counsellors', 'nav-staff'],
      participants: 12,
      ref: { eventId: '0148b0fb-2ad5-730c-a03c-4f2ffa83c18e', type: 'CompetenceDevelopmentDelivered', streamId: `grant-evidence-${CENTRE}`, revision: 23, position: 225_895, recordedAt: '2014-09-26T08:02:03.605Z' },
    };
    const packed = packActivity(a, CENTRE) as string;
    expect(packed.length).toBeLessThanOrEqual(70);
    expect(JSON.stringify(a).length).toBeGreaterThan(5 * packed.length);
  });

  it('what the packing cannot hold exactly is kept as the plain entry, and read as it is', () => {
    const r: EventRef = { eventId: 'e', type: 'CompetenceDevelopmentDelivered', streamId: 's', revision: 0, position: 1, recordedAt: 'x' };
    const odd = [
      { activityId: 'a', deliveredOn: '2014-01-01', kind: 'webinar', targetGroups: ['nav-staff'], participants: 3, ref: r },
      { activityId: 'a', deliveredOn: '2014-01-01', kind: 'course', targetGroups: ['nav'], participants: 3, ref: r },
      { activityId: 'a', deliveredOn: '2014-01-01', kind: 'course', targetGroups: ['nav-staff'], participants: 2.5, ref: r },
      { activityId: undefined, deliveredOn: '2014-01-01', kind: 'course', targetGroups: ['nav-staff'], participants: 3, ref: r },
    ] as unknown as ActivityEntry[];
    for (const x of odd) {
      expect(packActivity(x, CENTRE)).toBe(x);
      expect(readActivity(x, CENTRE)).toBe(x);
    }
    const d = { declarationId: 'd', effectiveFrom: '2014-01-01', freeOfCharge: 'yes', openToAllAdults: true, fromAge: 19, ref: r } as unknown as DeclarationEntry;
    expect(packDeclaration(d, CENTRE)).toBe(d);
    const s = { participationId: null, from: '2014-01-01', to: '2014-12-31', ref: r } as unknown as SurveyEntry;
    expect(packSurvey(s, CENTRE)).toBe(s);
  });

  it("a centre's evidence listing is the same whether folded live or restored from a checkpoint, withdrawals and replaced reports included", () => {
    const log = new TestLog();
    log.eligibleCounty('telemark', 'Telemark', '08');
    log.activity('telemark-kc', 'telemark', '2013-04-04', ['nav-staff', 'primary-lower-secondary-counsellors'], 'lecture', 7);
    log.report('telemark-kc', 'telemark', 2012, '2013-02-01');
    log.report('telemark-kc', 'telemark', 2012, '2013-01-15'); // an earlier submission of the same year replaces it
    const act = log.events.find((e) => e.type === 'CompetenceDevelopmentDelivered')!;
    log.add('GrantEvidenceWithdrawn', { evidenceId: (act.data as { activityId: string }).activityId, centreId: 'telemark-kc', countyId: 'telemark', evidenceType: act.type, reason: 'wrong' }, 'grant-evidence-telemark-kc');
    const live = log.view();
    const listing = centreEvidence(live, 'telemark-kc', '2014-06-01');
    expect(centreEvidence(JSON.parse(JSON.stringify(live)), 'telemark-kc', '2014-06-01')).toEqual(listing);
    expect(listing.competenceDevelopment.map((a) => a.activityId)).not.toContain((act.data as { activityId: string }).activityId);
    expect(listing.competenceDevelopment.find((a) => a.kind === 'lecture')).toMatchObject({ deliveredOn: '2013-04-04', targetGroups: ['nav-staff', 'primary-lower-secondary-counsellors'], participants: 7 });
    expect(listing.annualReports.map((r) => [r.year, r.submittedOn])).toEqual([
      [2012, '2013-01-15'],
      [2013, '2014-02-15'],
    ]);
    expect(listing.withdrawn).toHaveLength(1);
    for (const item of [...listing.serviceDeclarations, ...listing.competenceDevelopment, ...listing.userSurveyParticipations, ...listing.annualReports]) {
      const e = log.events.find((x) => x.eventId === item.event.eventId)!;
      expect([item.event.type, item.event.streamId, item.event.revision, item.event.position, item.event.recordedAt]).toEqual([e.type, e.streamId, e.revision, e.position, e.recordedAt]);
    }
    // 5: stimulus-grant applications keep the corrections of their decision; 6: parties' dated names (the packed evidence is as in 4);
    // 7: a withdrawal keeps the item withdrawn.
    expect(grantsProjection.version).toBe(7);
  });

  it('a withdrawn item of every kind leaves its list but is shown with its withdrawal as it was listed (its event link included), live, from a checkpoint and as of every position', () => {
    const log = new TestLog();
    const centre = log.eligibleCounty('telemark', 'Telemark', '08');
    log.report(centre, 'telemark', 2012, '2013-02-01');
    const kinds = ['ServiceDeclared', 'CompetenceDevelopmentDelivered', 'UserSurveyParticipationRecorded', 'AnnualReportSubmitted'];
    const idOf = (data: Record<string, unknown>): string => String(data.declarationId ?? data.activityId ?? data.participationId ?? data.reportId);
    const recorded = kinds.map((type) => log.events.find((e) => e.type === type)!);
    const withdrawals = recorded.map((e) => log.add('GrantEvidenceWithdrawn', { evidenceId: idOf(e.data), centreId: centre, countyId: 'telemark', evidenceType: e.type, reason: `wrong ${e.type}` }, `grant-evidence-${centre}`));
    const unknown = log.add('GrantEvidenceWithdrawn', { evidenceId: 'never-recorded', centreId: centre, countyId: 'telemark', evidenceType: 'ServiceDeclared', reason: 'x' }, `grant-evidence-${centre}`);
    const lists = (l: ReturnType<typeof centreEvidence>) => [...l.serviceDeclarations, ...l.competenceDevelopment, ...l.userSurveyParticipations, ...l.annualReports] as { event: { eventId: string } }[];
    const registered = log.events.find((e) => e.type === 'CentreRegistered')!.position;
    for (const e of log.events.filter((x) => x.position >= registered)) {
      const view = log.view(e.position);
      const listing = centreEvidence(view, centre, '2014-06-01');
      expect(centreEvidence(JSON.parse(JSON.stringify(view)), centre, '2014-06-01')).toEqual(listing);
      withdrawals.forEach((w, k) => {
        const before = lists(centreEvidence(log.view(w.position - 1), centre, '2014-06-01')).find((x) => x.event.eventId === recorded[k].eventId);
        expect(before).toBeDefined();
        const shown = listing.withdrawn.find((x) => x.event.eventId === w.eventId);
        if (e.position < w.position) {
          expect(shown).toBeUndefined();
          return;
        }
        // out of the lists, in the withdrawn entry as listed before (so its event is fetched by the same links)
        expect(lists(listing).map((x) => x.event.eventId)).not.toContain(recorded[k].eventId);
        expect(shown).toEqual({ evidenceId: idOf(recorded[k].data), evidenceType: kinds[k], reason: `wrong ${kinds[k]}`, event: expect.objectContaining({ eventId: w.eventId, position: w.position }), item: before });
        expect(shown!.item!.event).toMatchObject({ eventId: recorded[k].eventId, type: kinds[k], position: recorded[k].position, link: `/audit/events/${recorded[k].eventId}` });
      });
    }
    const last = centreEvidence(log.view(), centre, '2014-06-01');
    expect(last.withdrawn.find((x) => x.event.eventId === unknown.eventId)).toMatchObject({ evidenceId: 'never-recorded', item: null });
    expect(last.annualReports.map((r) => r.year)).toEqual([2012]);
  });
});
