import { foldEvents } from '../../libs/projections/src/projection';
import { allEligibility, grantsProjection } from '../../libs/projections/src/grants';
import { MemoryEventStore } from '../../libs/event-store/src/memory-event-store';
import { startTestApp, TestApp } from '../helpers/test-app';
import { post, recordCounty } from './grants-fixture';

/**
 * The 2014 journey: counties from DOMAIN.md record their evidence, Vox publishes the 2014 scheme,
 * reads every county's verdict with reasons, allocates; evidence recorded afterwards changes
 * neither the recorded allocation nor the as-of eligibility at the allocation.
 * The store's clock is pinned to 2014 so recorded times read like the real year.
 */
describe('Vox base grant 2014 (e2e)', () => {
  let now = Date.parse('2014-01-06T08:00:00.000Z');
  const at = (iso: string) => {
    now = Date.parse(iso);
  };
  const store = new MemoryEventStore(() => new Date(now++));
  let t: TestApp;
  let vox: { Authorization: string };
  let auditor: { Authorization: string };

  beforeAll(async () => {
    t = await startTestApp({ store, seed: true });
    vox = await t.auth('vox', [], 'vox-saksbehandler');
    auditor = await t.auth('auditor', [], 'riksrevisjonen');
    await recordCounty(t, 'ostfold', 'Østfold', [{ centreId: 'ostfold-kc', name: 'Karrieresenter Østfold', municipality: 'Sarpsborg' }]);
    await recordCounty(t, 'telemark', 'Telemark', [{ centreId: 'telemark-kc', name: 'Karriere Telemark', municipality: 'Skien' }]);
    await recordCounty(t, 'vest-agder', 'Vest-Agder', [
      { centreId: 'kristiansand', name: 'Karrieresenteret i Kristiansand', municipality: 'Kristiansand' },
      { centreId: 'mandal', name: 'Karrieresenteret i Mandal', municipality: 'Mandal', survey: false },
      { centreId: 'flekkefjord', name: 'Karrieresenteret i Flekkefjord', municipality: 'Flekkefjord', survey: false },
    ]);
    // Troms reached primary/lower secondary and upper secondary counsellors, but (so far) not NAV.
    await recordCounty(t, 'troms', 'Troms', [{ centreId: 'tromso', name: 'Karrieresenteret i Tromsø', municipality: 'Tromsø', groups: ['primary-lower-secondary-counsellors', 'upper-secondary-counsellors'] }]);
    // Nordland's partnership agreement lapsed the day before the judging date.
    await recordCounty(t, 'nordland', 'Nordland', [{ centreId: 'bodo', name: 'Karrieresenter Bodø', municipality: 'Bodø' }], { partnership: { to: '2014-02-28' } });
    // Oppland's centre offers guidance only from age 25.
    await recordCounty(t, 'oppland', 'Oppland', [{ centreId: 'gjovik', name: 'Karrieresenter Gjøvik', municipality: 'Gjøvik', fromAge: 25 }]);
    // Buskerud submitted its annual report one day late.
    await recordCounty(t, 'buskerud', 'Buskerud', [{ centreId: 'drammen', name: 'Karrieresenter Drammen', municipality: 'Drammen', reportSubmittedOn: '2014-03-02' }]);
  });

  afterAll(async () => {
    await t.close();
  });

  it('only Vox publishes the scheme; a finance officer is refused with 403 and nothing is recorded', async () => {
    at('2014-01-20T09:00:00.000Z');
    const head = await store.headPosition();
    const fo = await t.auth('finance-officer', ['telemark']);
    const refused = await t.http().post('/grant-schemes').set(fo).send({ year: 2014, baseGrant: '4200000.02', criteriaSetId: 'criteria-2014', judgingDate: '2014-03-01' });
    expect(refused.status).toBe(403);
    expect(await store.headPosition()).toBe(head);
    const res = await post(t, vox, '/grant-schemes', { year: 2014, baseGrant: '4200000.02', criteriaSetId: 'criteria-2014', judgingDate: '2014-03-01', note: 'Grunntilskudd 2014' });
    expect(res.status).toBe(201);
    expect(res.body.streamId).toBe('grant-scheme-2014');
    const scheme = await t.http().get('/grant-schemes/2014').set(auditor);
    expect(scheme.status).toBe(200);
    expect(scheme.body).toMatchObject({ year: 2014, version: 1, baseGrant: '4200000.02', criteriaSetId: 'criteria-2014', judgingDate: '2014-03-01', amendable: true });
    expect(scheme.body.windows.annualReport).toEqual({ reportYear: 2013, deadline: '2014-03-01' });
    expect(scheme.body.defaultsExplained.freeGuidance).toContain('19 and older');
  });

  it('a bad scheme amendment is refused with its code; a good one is recorded as version 2', async () => {
    const bad = await t.http().post('/grant-schemes/2014/amendments').set(vox).send({ windows: { userSurvey: { from: '2013-12-31', to: '2013-01-01' } }, reason: 'typo' });
    expect([bad.status, bad.body.code]).toEqual([422, 'GRANT_SCHEME.WINDOW_ENDS_BEFORE_START']);
    const unknown = await t.http().post('/grant-schemes/2014/amendments').set(vox).send({ windows: { userSurvey: { from: '2013-01-01', until: '2013-12-31' } }, reason: 'typo' });
    expect([unknown.status, unknown.body.code]).toEqual([400, 'VALIDATION.UNKNOWN_FIELD']);
    const ok = await t.http().post('/grant-schemes/2014/amendments').set(vox).send({ windows: { competenceDevelopment: { from: '2013-01-01' } }, note: undefined, reason: 'Tydeliggjort vindu for kompetanseutvikling' });
    expect(ok.status).toBe(200);
    const scheme = await t.http().get('/grant-schemes/2014').set(vox);
    expect(scheme.body.version).toBe(2);
    expect(scheme.body.history.map((h: { type: string }) => h.type)).toEqual(['GrantSchemePublished', 'GrantSchemeAmended']);
  });

  let before: any;

  it("Vox reads every county's verdict with reasons in Norwegian and English, the deciding events, and what is missing", async () => {
    at('2014-03-05T09:00:00.000Z');
    const res = await t.http().get('/grant-schemes/2014/eligibility').set(vox);
    expect(res.status).toBe(200);
    before = res.body;
    const by = (id: string) => res.body.counties.find((c: { countyId: string }) => c.countyId === id);
    expect(res.body.countyCount).toBe(19);
    expect(res.body.counties.filter((c: { eligible: boolean }) => c.eligible).map((c: { countyId: string }) => c.countyId)).toEqual(['ostfold', 'telemark', 'vest-agder']);

    const summary = await t.http().get('/grant-schemes/2014/eligibility/vest-agder').query({ detail: 'summary' }).set(vox);
    expect(summary.body.centres).toEqual([
      { centreId: 'kristiansand', name: 'Karrieresenteret i Kristiansand', qualifies: true, failedCriteria: [] },
      { centreId: 'mandal', name: 'Karrieresenteret i Mandal', qualifies: false, failedCriteria: ['3c-i'] },
      { centreId: 'flekkefjord', name: 'Karrieresenteret i Flekkefjord', qualifies: false, failedCriteria: ['3c-i'] },
    ]);
    const badDetail = await t.http().get('/grant-schemes/2014/eligibility').query({ detail: 'all' }).set(vox);
    expect([badDetail.status, badDetail.body.code]).toEqual([400, 'REQUEST.BAD_DETAIL']);

    const vestAgder = by('vest-agder');
    expect(vestAgder.qualifyingCentres).toEqual([{ centreId: 'kristiansand', name: 'Karrieresenteret i Kristiansand' }]);
    expect(vestAgder.centres.map((c: { centreId: string; qualifies: boolean }) => [c.centreId, c.qualifies])).toEqual([
      ['kristiansand', true],
      ['mandal', false],
      ['flekkefjord', false],
    ]);

    const troms = by('troms');
    expect(troms.eligible).toBe(false);
    expect(troms.missing.map((m: { criterion: string; centreId: string }) => [m.criterion, m.centreId])).toEqual([['3b-nav-staff', 'tromso']]);
    expect(troms.missing[0].en).toContain('NAV staff');
    expect(troms.missing[0].nb).toContain('veiledere i NAV');

    const nordland = by('nordland');
    expect(nordland.criteria[0].passed).toBe(false);
    expect(nordland.criteria[0].reason.en).toContain('only ran until 2014-02-28');
    expect(nordland.criteria[0].reason.nb).toContain('gjaldt bare til og med 2014-02-28');

    const oppland = by('oppland');
    expect(oppland.missing.map((m: { criterion: string }) => m.criterion)).toEqual(['3a']);
    expect(oppland.centres[0].criteria[0].reason.en).toContain('only from age 25');

    const buskerud = by('buskerud');
    expect(buskerud.missing.map((m: { criterion: string }) => m.criterion)).toEqual(['3c-ii']);
    expect(buskerud.centres[0].criteria[2].subCriteria[1].reason.en).toContain('1 day(s) after the deadline 2014-03-01');

    expect(by('finnmark').missing.map((m: { criterion: string }) => m.criterion)).toEqual(['1', '2', '3']);
  });

  it('every evidence link points at the recorded event it describes, readable by an auditor', async () => {
    const telemark = (await t.http().get('/grant-schemes/2014/eligibility/telemark').set(vox)).body;
    expect(telemark.eligible).toBe(true);
    const fromCounty = await t.http().get('/counties/telemark/eligibility/2014').set(await t.auth('finance-officer', ['telemark']));
    expect(fromCounty.body).toEqual(telemark);
    // Verdicts cite events by eventId and position; the answer lists each cited event once, in log order.
    const cited = (c: any): any[] => [...c.evidence, ...(c.subCriteria ?? []).flatMap(cited)];
    const refs = [...telemark.criteria.flatMap(cited), ...telemark.centres.flatMap((c: any) => c.criteria.flatMap(cited))];
    const links = telemark.events;
    expect(links.length).toBeGreaterThanOrEqual(8);
    expect(links.map((l: any) => l.position)).toEqual([...new Set(refs.map((r: any) => r.position))].sort((a, b) => a - b));
    for (const r of refs) expect(links.find((l: any) => l.position === r.position).eventId).toBe(r.eventId);
    const all = await store.readAll();
    for (const l of links) {
      const e = all.find((x) => x.eventId === l.eventId)!;
      expect([e.type, e.streamId, e.revision, e.position, e.recordedAt]).toEqual([l.type, l.streamId, l.revision, l.position, l.recordedAt]);
      expect(l.link).toBe(`/audit/events/${l.eventId}`);
    }
    const partnership = links.find((l: any) => l.type === 'PartnershipAgreementSigned');
    const read = await t.http().get(partnership.link).set(auditor);
    expect(read.status).toBe(200);
    expect(read.body.data).toMatchObject({ partnershipId: 'telemark-partnerskap', countyId: 'telemark', signedOn: '2013-09-01' });
    const forReaders = await t.http().get(partnership.readerLink).set(vox);
    expect(forReaders.status).toBe(200);
    expect(forReaders.body).toMatchObject({ eventId: partnership.eventId, type: 'PartnershipAgreementSigned', data: { partnershipId: 'telemark-partnerskap' } });
  });

  it('the same for all counties as CSV', async () => {
    const res = await t.http().get('/grant-schemes/2014/eligibility').set(vox).set('Accept', 'text/csv');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    const lines = res.text.trimEnd().split('\r\n');
    expect(lines).toHaveLength(20);
    expect(lines[0].split(',').slice(0, 6)).toEqual(['\uFEFFcounty_number', 'county', 'eligible', '1_partnership_agreement', '2_coordinating_function', '3_career_centre']);
    expect(lines.find((l) => l.startsWith("'08,"))!.split(',').slice(0, 6)).toEqual(["'08", 'Telemark', 'yes', 'pass', 'pass', 'pass']);
    expect(lines.find((l) => l.startsWith('19,'))).toContain('NAV staff');
    expect(lines.find((l) => l.startsWith('10,'))!.split(',').slice(0, 9)).toEqual(['10', 'Vest-Agder', 'yes', 'pass', 'pass', 'pass', "'3/3", "'3/3", "'1/3"]);
  });

  let allocation: any;

  it('Vox allocates: equal parts to the øre, the remainder øre to the lowest county numbers, the snapshot recorded', async () => {
    at('2014-03-10T10:00:00.000Z');
    const fo = await t.auth('finance-officer', ['telemark']);
    expect((await t.http().post('/grant-schemes/2014/allocation').set(fo).send({})).status).toBe(403);
    const res = await post(t, vox, '/grant-schemes/2014/allocation', { note: 'Grunntilskudd 2014' });
    expect(res.status).toBe(201);
    const read = await t.http().get('/grant-schemes/2014/allocation').set(vox);
    expect(read.status).toBe(200);
    allocation = read.body;
    expect(allocation.parts.map((p: any) => [p.countyId, p.amount])).toEqual([
      ['ostfold', '1400000.01'],
      ['telemark', '1400000.01'],
      ['vest-agder', '1400000.00'],
    ]);
    expect(allocation.total).toBe('4200000.02');
    expect(allocation.parts.reduce((s: number, p: any) => s + p.amountOre, 0)).toBe(420_000_002);
    expect(allocation.schemeVersion).toBe(2);
    expect(allocation.basedOnPosition).toBe(res.body.position - 1);
    expect(allocation.verdicts).toHaveLength(19);
    expect(allocation.verdicts.find((v: any) => v.countyId === 'troms')).toMatchObject({ eligible: false, failedCriteria: ['3'] });
    expect(allocation.remainderRule).toBe('one-extra-ore-each-in-ascending-county-number');

    const again = await t.http().post('/grant-schemes/2014/allocation').set(vox).send({});
    expect([again.status, again.body.code]).toEqual([409, 'BASE_GRANT.ALREADY_ALLOCATED']);
    const amend = await t.http().post('/grant-schemes/2014/amendments').set(vox).send({ baseGrant: '5000000.00', reason: 'more money' });
    expect([amend.status, amend.body.code]).toEqual([422, 'GRANT_SCHEME.ALREADY_ALLOCATED']);
  });

  it('evidence recorded later changes neither the recorded allocation nor the as-of eligibility at the allocation', async () => {
    at('2014-04-02T12:00:00.000Z');
    const troms = await t.auth('finance-officer', ['troms']);
    await post(t, troms, '/centres/tromso/grant-evidence/competence-development', { deliveredOn: '2013-11-20', kind: 'triangle-conversation', targetGroups: ['nav-staff'], participants: 4, description: 'Trekantsamtale med NAV-veileder og bruker' });

    const nowAnswer = (await t.http().get('/grant-schemes/2014/eligibility/troms').set(vox)).body;
    expect(nowAnswer.eligible).toBe(true);

    expect((await t.http().get('/grant-schemes/2014/allocation').set(vox)).body).toEqual(allocation);

    expect(allocation.reproduceWith).toBe(`/grant-schemes/2014/eligibility?atPosition=${allocation.basedOnPosition}`);
    const asOf = await t.http().get(allocation.reproduceWith).set(auditor);
    expect(asOf.status).toBe(200);
    const strip = (a: any) => a.counties.map(({ asOfPosition: _p, ...c }: any) => c);
    expect(strip(asOf.body)).toEqual(strip(before));
    expect(asOf.body.counties.find((c: any) => c.countyId === 'troms').eligible).toBe(false);
    expect(asOf.body.asOfPosition).toBe(allocation.basedOnPosition);
    // the recorded time answers the same here (no other write shares the allocation's millisecond)
    const byTime = await t.http().get(`/grant-schemes/2014/eligibility?asOf=${encodeURIComponent(allocation.recordedAt)}`).set(auditor);
    expect(strip(byTime.body)).toEqual(strip(before));

    // and by folding the projection over the log up to the snapshot's position
    const folded = allEligibility(foldEvents(grantsProjection, await store.readAll({ upTo: allocation.basedOnPosition })), 2014);
    expect(folded.counties.map((c) => [c.countyId, c.eligible])).toEqual(allocation.verdicts.map((v: any) => [v.countyId, v.eligible]));
    expect(strip(folded)).toEqual(strip(before));
  });

  it('only a recorded correction changes the allocation, and it keeps the history', async () => {
    const res = await post(t, vox, '/grant-schemes/2014/allocation/corrections', { reason: 'Troms dokumenterte kompetanseutvikling for NAV i 2013 etter tildelingen' });
    expect(res.status).toBe(201);
    const read = (await t.http().get('/grant-schemes/2014/allocation').set(auditor)).body;
    expect(read.correctionNo).toBe(1);
    expect(read.parts.map((p: any) => [p.countyId, p.amount])).toEqual([
      ['ostfold', '1050000.01'],
      ['telemark', '1050000.01'],
      ['vest-agder', '1050000.00'],
      ['troms', '1050000.00'],
    ]);
    expect(read.history.map((h: any) => h.kind)).toEqual(['allocated', 'corrected']);
    expect(read.history[0].parts).toEqual(allocation.parts);
    const nothing = await t.http().post('/grant-schemes/2014/allocation/corrections').set(vox).send({ reason: 'again' });
    expect([nothing.status, nothing.body.code]).toEqual([422, 'BASE_GRANT.CORRECTION_CHANGES_NOTHING']);
  });

  it('stimulus grants: counties apply, establishing a centre where there is none is listed first, Vox decides', async () => {
    const troms = await t.auth('finance-officer', ['troms']);
    const hordaland = await t.auth('finance-officer', ['hordaland']);
    await post(t, troms, '/stimulus-grants', { applicationId: 'troms-utvikling-2014', countyId: 'troms', year: 2014, purpose: 'development', amountAsked: '300000.00', description: 'Utviklingsarbeid: veiledning for innvandrere', centreId: 'tromso', appliedOn: '2014-01-15' });
    await post(t, hordaland, '/stimulus-grants', { applicationId: 'hordaland-etablering-2014', countyId: 'hordaland', year: 2014, purpose: 'establish-centre', amountAsked: '700000.00', description: 'Etablere karrieresenter i Bergen', appliedOn: '2014-02-10' });
    const other = await t.http().post('/stimulus-grants').set(hordaland).send({ applicationId: 'x', countyId: 'troms', year: 2014, purpose: 'development', amountAsked: '1.00', description: 'x', centreId: 'tromso' });
    expect([other.status, other.body.code]).toEqual([403, 'ACCESS.OTHER_COUNTY']);
    const float = await t.http().post('/stimulus-grants').set(hordaland).send({ applicationId: 'y', countyId: 'hordaland', year: 2014, purpose: 'establish-centre', amountAsked: 1.5, description: 'x' });
    expect([float.status, float.body.code]).toEqual([400, 'MONEY.NOT_A_DECIMAL_STRING']);

    const list = (await t.http().get('/stimulus-grants').query({ year: 2014 }).set(vox)).body;
    expect(list.map((a: any) => [a.applicationId, a.prioritised])).toEqual([
      ['hordaland-etablering-2014', true],
      ['troms-utvikling-2014', false],
    ]);

    expect((await t.http().post('/stimulus-grants/hordaland-etablering-2014/award').set(hordaland).send({ amount: '700000.00' })).status).toBe(403);
    const above = await t.http().post('/stimulus-grants/hordaland-etablering-2014/award').set(vox).send({ amount: '700000.01' });
    expect([above.status, above.body.code]).toEqual([422, 'STIMULUS_GRANT.AWARD_ABOVE_ASKED']);
    expect((await post(t, vox, '/stimulus-grants/hordaland-etablering-2014/award', { amount: '650000.00', note: 'Etablering prioriteres' })).status).toBe(200);
    expect((await post(t, vox, '/stimulus-grants/troms-utvikling-2014/rejection', { reason: 'Rammen er brukt opp' })).status).toBe(200);
    const decided = (await t.http().get('/stimulus-grants').query({ year: 2014 }).set(auditor)).body;
    expect(decided.map((a: any) => [a.status, a.amountAwarded, a.decision.reason])).toEqual([
      ['awarded', '650000.00', null],
      ['rejected', null, 'Rammen er brukt opp'],
    ]);
  });

  it("finance officers record evidence only for their own county's centres", async () => {
    const telemark = await t.auth('finance-officer', ['telemark']);
    const head = await store.headPosition();
    const res = await t.http().post('/centres/ostfold-kc/grant-evidence/annual-reports').set(telemark).send({ year: 2014, submittedOn: '2015-02-01' });
    expect([res.status, res.body.code]).toEqual([403, 'ACCESS.OTHER_COUNTY']);
    const asAuditor = await t.http().post('/centres/ostfold-kc/grant-evidence/annual-reports').set(auditor).send({ year: 2014, submittedOn: '2015-02-01' });
    expect(asAuditor.status).toBe(403);
    expect(await store.headPosition()).toBe(head);
    const evidence = (await t.http().get('/centres/ostfold-kc/grant-evidence').set(auditor)).body;
    expect(evidence.annualReports.map((r: any) => [r.year, r.submittedOn])).toEqual([[2013, '2014-02-20']]);
  });

  it('a county withdraws evidence recorded by mistake and records the right one; the allocation stays as recorded', async () => {
    at('2014-04-10T08:00:00.000Z');
    const buskerud = await t.auth('finance-officer', ['buskerud']);
    const evidence = (await t.http().get('/centres/drammen/grant-evidence').set(buskerud)).body;
    const reportId = evidence.annualReports[0].reportId;
    const w = await post(t, buskerud, `/centres/drammen/grant-evidence/${reportId}/withdrawal`, { reason: 'Feil dato: rapporten ble sendt 2014-02-27' });
    expect(w.status).toBe(200);
    await post(t, buskerud, '/centres/drammen/grant-evidence/annual-reports', { year: 2013, submittedOn: '2014-02-27' });
    const after = (await t.http().get('/centres/drammen/grant-evidence').set(vox)).body;
    expect(after.withdrawn.map((x: any) => [x.evidenceId, x.evidenceType])).toEqual([[reportId, 'AnnualReportSubmitted']]);
    expect(after.annualReports.map((r: any) => r.submittedOn)).toEqual(['2014-02-27']);
    expect((await t.http().get('/grant-schemes/2014/eligibility/buskerud').set(vox)).body.eligible).toBe(true);
    const again = await t.http().post(`/centres/drammen/grant-evidence/${reportId}/withdrawal`).set(buskerud).send({ reason: 'again' });
    expect([again.status, again.body.code]).toEqual([409, 'GRANT_EVIDENCE.ALREADY_WITHDRAWN']);
    const allocation = (await t.http().get('/grant-schemes/2014/allocation').set(vox)).body;
    expect(allocation.parts.map((p: any) => p.countyId)).not.toContain('buskerud');
  });
});
