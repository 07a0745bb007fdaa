import { answerCacheOf } from '../../apps/api/src/http/answer-cache';
import { CommandExecutor } from '../../libs/application/src/command-executor';
import { CommandRegistry } from '../../libs/application/src/command-registry';
import { dryRunImport, parseImportFile } from '../../libs/application/src/import-file';
import { Actor } from '../../libs/domain/src/shared';
import { MemoryEventStore } from '../../libs/event-store/src/memory-event-store';
import { startTestApp, TestApp } from '../helpers/test-app';
import { post, recordCounty } from './grants-fixture';

/**
 * The Vox grant money after eligibility, at its edges: allocation, amendments, corrections,
 * idempotent retries, the judging date, the recorded snapshot (reproduceWith, atPosition),
 * stimulus grants, roles, as-of answers and the import path.
 */
describe('Vox grant money: allocation, corrections, stimulus (edge cases)', () => {
  // Real time, except that a test may hold the clock still to put two writes in one millisecond.
  let frozen: number | null = null;
  const store = new MemoryEventStore(() => new Date(frozen ?? Date.now()));
  let t: TestApp;
  let vox: { Authorization: string };
  let auditor: { Authorization: string };
  let admin: { Authorization: string };
  const fo = (county: string) => t.auth('finance-officer', [county]);
  const NAV = { deliveredOn: '2013-11-20', kind: 'triangle-conversation', targetGroups: ['nav-staff'], participants: 4, description: 'Trekantsamtale' };

  beforeAll(async () => {
    t = await startTestApp({ store, seed: true });
    vox = await t.auth('vox', [], 'vox-saksbehandler');
    auditor = await t.auth('auditor', [], 'riksrevisjonen');
    admin = await t.auth('admin', [], 'admin');
    await recordCounty(t, 'ostfold', 'Østfold', [{ centreId: 'g-sarpsborg', name: 'KC Østfold', municipality: 'Sarpsborg' }]);
    await recordCounty(t, 'telemark', 'Telemark', [{ centreId: 'g-skien', name: 'KC Telemark', municipality: 'Skien' }]);
    // Troms misses NAV staff in 3b (not eligible until it records that).
    await recordCounty(t, 'troms', 'Troms', [{ centreId: 'g-tromso', name: 'KC Tromsø', municipality: 'Tromsø', groups: ['primary-lower-secondary-counsellors', 'upper-secondary-counsellors'] }]);
    // Nordland also misses NAV staff.
    await recordCounty(t, 'nordland', 'Nordland', [{ centreId: 'g-bodo', name: 'KC Bodø', municipality: 'Bodø', groups: ['primary-lower-secondary-counsellors', 'upper-secondary-counsellors'] }]);
  });

  afterAll(async () => {
    await t.close();
  });

  // ---------- no scheme, no allocation ----------

  it('allocating or correcting a year without a scheme, or correcting before allocating, is a 4xx and records nothing', async () => {
    const head = await store.headPosition();
    const none = await t.http().post('/grant-schemes/2013/allocation').set(vox).send({});
    expect([none.status, none.body.code]).toEqual([404, 'GRANT_SCHEME.NOT_FOUND']);
    const noneC = await t.http().post('/grant-schemes/2013/allocation/corrections').set(vox).send({ reason: 'x' });
    expect([noneC.status, noneC.body.code]).toEqual([404, 'GRANT_SCHEME.NOT_FOUND']);
    await post(t, vox, '/grant-schemes', { year: 2014, baseGrant: '100.01', criteriaSetId: 'criteria-2014', judgingDate: '2014-03-01' });
    const head2 = await store.headPosition();
    const early = await t.http().post('/grant-schemes/2014/allocation/corrections').set(vox).send({ reason: 'x' });
    expect([early.status, early.body.code]).toEqual([422, 'BASE_GRANT.NOT_ALLOCATED']);
    const read = await t.http().get('/grant-schemes/2014/allocation').set(auditor);
    expect([read.status, read.body.code]).toEqual([404, 'BASE_GRANT.NOT_ALLOCATED']);
    expect(await store.headPosition()).toBe(head2);
    expect(head2).toBe(head + 1);
  });

  it('bad allocation / correction bodies are 400 with a stable code and record nothing', async () => {
    const head = await store.headPosition();
    const cases: [string, string, object][] = [
      ['allocation with a client snapshot', '/grant-schemes/2014/allocation', { verdicts: [] }],
      ['allocation naming the year', '/grant-schemes/2014/allocation', { year: 2014 }],
      ['allocation with basedOnPosition', '/grant-schemes/2014/allocation', { basedOnPosition: 1 }],
      ['correction without reason', '/grant-schemes/2014/allocation/corrections', {}],
      ['override eligible as string', '/grant-schemes/2014/allocation/corrections', { reason: 'x', overrides: [{ countyId: 'troms', eligible: 'yes', reason: 'x' }] }],
      ['override without reason', '/grant-schemes/2014/allocation/corrections', { reason: 'x', overrides: [{ countyId: 'troms', eligible: true }] }],
      ['correction with client verdicts', '/grant-schemes/2014/allocation/corrections', { reason: 'x', verdicts: [] }],
    ];
    for (const [what, path, body] of cases) {
      const res = await t.http().post(path).set(vox).send(body);
      expect([what, res.status, typeof res.body.code]).toEqual([what, 400, 'string']);
    }
    const year = await t.http().post('/grant-schemes/20x4/allocation').set(vox).send({});
    expect([year.status, year.body.code]).toEqual([400, 'REQUEST.BAD_YEAR']);
    expect(await store.headPosition()).toBe(head);
  });

  it('only Vox allocates, corrects, awards and rejects: admin, finance officers, board members and auditors get 403 and nothing is recorded', async () => {
    const head = await store.headPosition();
    const who = [admin, auditor, await fo('troms'), await t.auth('board-member', ['troms'])];
    for (const auth of who) {
      for (const [path, body] of [
        ['/grant-schemes/2014/allocation', {}],
        ['/grant-schemes/2014/allocation/corrections', { reason: 'x' }],
        ['/grant-schemes/2014/amendments', { baseGrant: '1.00', reason: 'x' }],
      ] as [string, object][]) {
        const res = await t.http().post(path).set(auth).send(body);
        expect([path, res.status]).toEqual([path, 403]);
      }
    }
    expect(await store.headPosition()).toBe(head);
  });

  it('amending an unpublished year is 404; an amendment that changes nothing records nothing and is no 5xx', async () => {
    const nf = await t.http().post('/grant-schemes/2019/amendments').set(vox).send({ baseGrant: '1.00', reason: 'x' });
    expect([nf.status, nf.body.code]).toEqual([404, 'GRANT_SCHEME.NOT_FOUND']);
    const head = await store.headPosition();
    const same = await t.http().post('/grant-schemes/2014/amendments').set(vox).send({ baseGrant: '100.01', reason: 'same' });
    expect(same.status).toBeLessThan(500);
    expect(await store.headPosition()).toBe(head);
    expect((await t.http().get('/grant-schemes/2014').set(vox)).body.version).toBe(1);
  });

  // ---------- allocation ----------

  let allocation: any;

  it('an amendment before allocation changes the sum the allocation splits; the parts add up to it exactly', async () => {
    await post(t, vox, '/grant-schemes/2014/amendments', { baseGrant: '1000.03', reason: 'Ny ramme' });
    const res = await post(t, vox, '/grant-schemes/2014/allocation', { note: 'review' });
    expect(res.status).toBe(201);
    allocation = (await t.http().get('/grant-schemes/2014/allocation').set(auditor)).body;
    expect(allocation.schemeVersion).toBe(2);
    expect(allocation.parts.map((p: any) => [p.countyId, p.amountOre])).toEqual([
      ['ostfold', 50002],
      ['telemark', 50001],
    ]);
    expect(allocation.totalOre).toBe(100003);
    expect(allocation.baseGrantOre).toBe(100003);
    // amending after allocation is refused, whatever it changes
    for (const body of [{ baseGrant: '1.00', reason: 'x' }, { judgingDate: '2014-04-01', reason: 'x' }, { windows: { userSurvey: { from: '2013-02-01' } }, reason: 'x' }]) {
      const amend = await t.http().post('/grant-schemes/2014/amendments').set(vox).send(body);
      expect([amend.status, amend.body.code]).toEqual([422, 'GRANT_SCHEME.ALREADY_ALLOCATED']);
    }
  });

  it('a finance officer of any county may read the allocation (everyone else reads)', async () => {
    const res = await t.http().get('/grant-schemes/2014/allocation').set(await fo('nordland'));
    expect(res.status).toBe(200);
    expect(res.body.totalOre).toBe(100003);
  });

  it('retrying the allocation with the same Idempotency-Key and body gets the first answer and records nothing', async () => {
    await post(t, vox, '/grant-schemes', { year: 2016, baseGrant: '10.00', criteriaSetId: 'criteria-2014', judgingDate: '2016-03-01', windows: { competenceDevelopment: { from: '2013-01-01' }, userSurvey: { from: '2013-01-01', to: '2013-12-31' }, annualReport: { reportYear: 2013 } } });
    const eligible = (await t.http().get('/grant-schemes/2016/eligibility').query({ detail: 'summary' }).set(vox)).body.eligibleCount;
    expect(eligible).toBeGreaterThan(0);
    const first = await t.http().post('/grant-schemes/2016/allocation').set(vox).set('Idempotency-Key', 'alloc-2016').send({ note: 'Grunntilskudd 2016' });
    expect(first.status).toBe(201);
    const head = await store.headPosition();
    // the client lost the answer (timeout) and retries exactly the same request
    const retry = await t.http().post('/grant-schemes/2016/allocation').set(vox).set('Idempotency-Key', 'alloc-2016').send({ note: 'Grunntilskudd 2016' });
    expect({ status: retry.status, code: retry.body.code }).toEqual({ status: 201, code: undefined });
    expect(retry.body).toEqual(first.body);
    expect(await store.headPosition()).toBe(head);
  });

  it('retrying a correction with the same Idempotency-Key and body gets the first answer and records nothing', async () => {
    const body = { reason: 'Telemark mistet grunnlaget', overrides: [{ countyId: 'telemark', eligible: false, reason: 'Avtalen var ikke signert' }] };
    const first = await t.http().post('/grant-schemes/2016/allocation/corrections').set(vox).set('Idempotency-Key', 'corr-2016-1').send(body);
    expect(first.status).toBe(201);
    const head = await store.headPosition();
    const retry = await t.http().post('/grant-schemes/2016/allocation/corrections').set(vox).set('Idempotency-Key', 'corr-2016-1').send(body);
    expect({ status: retry.status, code: retry.body.code }).toEqual({ status: 201, code: undefined });
    expect(retry.body).toEqual(first.body);
    expect(await store.headPosition()).toBe(head);
  });

  it('the same Idempotency-Key with another body is 409 IDEMPOTENCY_KEY_REUSED; from another Vox user it is that user\'s own request (keys are per sender), here refused as changing nothing; nothing recorded', async () => {
    const head = await store.headPosition();
    const body = { reason: 'Telemark mistet grunnlaget', overrides: [{ countyId: 'telemark', eligible: false, reason: 'Avtalen var ikke signert' }] };
    const attempts: [string, { Authorization: string }, string, string, object][] = [
      ['another note', vox, '/grant-schemes/2016/allocation', 'alloc-2016', { note: 'Noe annet' }],
      ['no note', vox, '/grant-schemes/2016/allocation', 'alloc-2016', {}],
      ['another reason', vox, '/grant-schemes/2016/allocation/corrections', 'corr-2016-1', { ...body, reason: 'Annen grunn' }],
      ['another override', vox, '/grant-schemes/2016/allocation/corrections', 'corr-2016-1', { ...body, overrides: [{ ...body.overrides[0], reason: 'Annen grunn' }] }],
      ['another Vox user', await t.auth('vox', [], 'vox-kollega'), '/grant-schemes/2016/allocation/corrections', 'corr-2016-1', body],
    ];
    // The colleague's key is their own: their identical correction is decided afresh, never answered with the first user's receipt.
    const expected: Record<string, [number, string]> = { 'another Vox user': [422, 'BASE_GRANT.CORRECTION_CHANGES_NOTHING'] };
    for (const [what, auth, path, key, sent] of attempts) {
      const res = await t.http().post(path).set(auth).set('Idempotency-Key', key).send(sent);
      expect([what, res.status, res.body.code]).toEqual([what, ...(expected[what] ?? [409, 'IDEMPOTENCY_KEY_REUSED'])]);
    }
    expect(await store.headPosition()).toBe(head);
  });

  // ---------- corrections ----------

  it('a correction that overrides a county in and another out keeps the sum exact and counts nobody twice', async () => {
    const res = await post(t, vox, '/grant-schemes/2014/allocation/corrections', {
      reason: 'Vox overstyrer',
      overrides: [
        { countyId: 'troms', eligible: true, reason: 'NAV-opplæring dokumentert på papir' },
        { countyId: 'nordland', eligible: true, reason: 'Likeså' },
        { countyId: 'ostfold', eligible: false, reason: 'Avtalen var ikke signert' },
      ],
    });
    expect(res.status).toBe(201);
    const a = (await t.http().get('/grant-schemes/2014/allocation').set(auditor)).body;
    expect(a.correctionNo).toBe(1);
    const ids = a.parts.map((p: any) => p.countyId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(['telemark', 'nordland', 'troms']);
    expect(a.parts.map((p: any) => p.amountOre)).toEqual([33335, 33334, 33334]);
    expect(a.totalOre).toBe(100003);
    expect(a.verdicts.find((v: any) => v.countyId === 'ostfold')).toMatchObject({ eligible: false, override: { eligible: false } });
    expect(a.history.map((h: any) => h.kind)).toEqual(['allocated', 'corrected']);
    expect(a.history[0].parts.map((p: any) => p.amountOre)).toEqual([50002, 50001]);
  });

  it('as of before the allocation 404, between allocation and correction the original, after it the corrected parts', async () => {
    const log = await store.readAll();
    const alloc = log.find((e) => e.type === 'BaseGrantAllocated' && (e.data as any).year === 2014)!;
    const corr = log.find((e) => e.type === 'BaseGrantAllocationCorrected' && (e.data as any).year === 2014)!;
    const justBefore = (iso: string) => new Date(Date.parse(iso) - 1).toISOString();
    // (the clock is real, so each of these events has its own millisecond unless two writes shared one)
    const q = (asOf: string) => t.http().get(`/grant-schemes/2014/allocation?asOf=${encodeURIComponent(asOf)}`).set(auditor);
    if (justBefore(alloc.recordedAt) > log[alloc.position - 2].recordedAt || log[alloc.position - 2].recordedAt < alloc.recordedAt) {
      const b = await q(justBefore(alloc.recordedAt));
      expect([b.status, b.body.code]).toEqual([404, 'BASE_GRANT.NOT_ALLOCATED']);
    }
    const mid = await q(justBefore(corr.recordedAt));
    if (alloc.recordedAt < corr.recordedAt) {
      expect(mid.status).toBe(200);
      expect([mid.body.correctionNo, mid.body.parts.map((p: any) => p.amountOre)]).toEqual([0, [50002, 50001]]);
    }
    const after = await q(corr.recordedAt);
    expect([after.body.correctionNo, after.body.totalOre]).toEqual([1, 100003]);
    // and the live answer again (the as-of fold must not have touched the live view)
    expect((await t.http().get('/grant-schemes/2014/allocation').set(auditor)).body.correctionNo).toBe(1);
  });

  it('a correction that would leave the year with nobody eligible is refused and records nothing', async () => {
    const head = await store.headPosition();
    const none = await t.http().post('/grant-schemes/2014/allocation/corrections').set(vox).send({
      reason: 'x',
      overrides: ['telemark', 'nordland', 'troms', 'ostfold'].map((countyId) => ({ countyId, eligible: false, reason: 'x' })),
    });
    expect([none.status, none.body.code]).toEqual([422, 'BASE_GRANT.NO_ELIGIBLE_COUNTY']);
    expect(await store.headPosition()).toBe(head);
  });

  it('a second correction drops the first correction\'s hand override (as documented: other counties keep the verdict recomputed now)', async () => {
    const res = await post(t, vox, '/grant-schemes/2014/allocation/corrections', { reason: 'Finnmark', overrides: [{ countyId: 'finnmark', eligible: true, reason: 'x' }] });
    expect(res.status).toBe(201);
    const a = (await t.http().get('/grant-schemes/2014/allocation').set(auditor)).body;
    // troms and nordland (hand-overridden in correction 1) are recomputed: not eligible; ostfold is back
    expect(a.parts.map((p: any) => p.countyId)).toEqual(['ostfold', 'telemark', 'finnmark']);
    expect(a.totalOre).toBe(100003);
  });

  // ---------- the recorded snapshot ----------

  it('reproduceWith reproduces the verdicts the allocation recorded, even when another write lands in the same millisecond', async () => {
    await post(t, vox, '/grant-schemes', { year: 2015, baseGrant: '300.00', criteriaSetId: 'criteria-2014', judgingDate: '2015-03-01', windows: { competenceDevelopment: { from: '2013-01-01' }, userSurvey: { from: '2013-01-01', to: '2013-12-31' }, annualReport: { reportYear: 2013 } } });
    frozen = Date.now() + 5;
    try {
      const res = await post(t, vox, '/grant-schemes/2015/allocation', {});
      expect(res.status).toBe(201);
      // Troms records its missing NAV-staff activity a moment later (the same millisecond)
      await post(t, await fo('troms'), '/centres/g-tromso/grant-evidence/competence-development', NAV);
    } finally {
      frozen = null;
    }
    const a = (await t.http().get('/grant-schemes/2015/allocation').set(auditor)).body;
    expect(a.verdicts.find((v: any) => v.countyId === 'troms').eligible).toBe(false);
    const again = (await t.http().get(a.reproduceWith).set(auditor)).body;
    expect(again.counties.map((c: any) => [c.countyId, c.eligible])).toEqual(a.verdicts.map((v: any) => [v.countyId, v.eligible]));
  });

  it("reproduceWith names the snapshot's log position (atPosition), for an allocation and for a correction", async () => {
    const a = (await t.http().get('/grant-schemes/2015/allocation').set(auditor)).body;
    expect(a.reproduceWith).toBe(`/grant-schemes/2015/eligibility?atPosition=${a.basedOnPosition}`);
    expect((await t.http().get(a.reproduceWith).set(auditor)).body.asOfPosition).toBe(a.basedOnPosition);
    // 2014 was corrected twice: the link follows the last correction's snapshot
    const c = (await t.http().get('/grant-schemes/2014/allocation').set(auditor)).body;
    expect(c.correctionNo).toBe(2);
    expect(c.basedOnPosition).toBe(c.history[2].basedOnPosition);
    expect(c.basedOnPosition).toBeGreaterThan(c.history[0].basedOnPosition);
    expect(c.reproduceWith).toBe(`/grant-schemes/2014/eligibility?atPosition=${c.basedOnPosition}`);
  });

  it('every eligibility route answers atPosition (JSON and CSV), and the answer cache keeps each position apart', async () => {
    const at = (await t.http().get('/grant-schemes/2015/allocation').set(auditor)).body.basedOnPosition;
    const tromsOf = async (path: string) => {
      const res = await t.http().get(path).set(auditor);
      expect([path, res.status]).toEqual([path, 200]);
      return res.body.counties ? res.body.counties.find((c: any) => c.countyId === 'troms').eligible : res.body.eligible;
    };
    // twice over, alternating, so the second round is answered from the cache (the URL, atPosition included, is its key)
    const cache = answerCacheOf(t.app.getHttpAdapter().getInstance())!;
    let hitsBefore = 0;
    for (let round = 0; round < 2; round++) {
      if (round === 1) hitsBefore = cache.rawHits;
      expect(await tromsOf(`/grant-schemes/2015/eligibility?atPosition=${at}`)).toBe(false);
      expect(await tromsOf('/grant-schemes/2015/eligibility')).toBe(true);
      expect(await tromsOf(`/grant-schemes/2015/eligibility/troms?atPosition=${at}`)).toBe(false);
      expect(await tromsOf('/grant-schemes/2015/eligibility/troms')).toBe(true);
      expect(await tromsOf(`/counties/troms/eligibility/2015?atPosition=${at}`)).toBe(false);
      expect(await tromsOf('/counties/troms/eligibility/2015')).toBe(true);
      expect(await tromsOf(`/grant-schemes/2015/eligibility/troms?atPosition=${at}&detail=summary`)).toBe(false);
    }
    expect(cache.rawHits - hitsBefore).toBe(7);
    const one = (await t.http().get(`/grant-schemes/2015/eligibility/troms?atPosition=${at}`).set(auditor)).body;
    expect(one.asOfPosition).toBe(at);
    const csv = await t.http().get(`/grant-schemes/2015/eligibility?atPosition=${at}`).set(auditor).set('Accept', 'text/csv');
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const row = csv.text.split(/\r?\n/).find((l) => l.startsWith('19,'))!;
    expect(row.split(',').slice(1, 3)).toEqual(['Troms', 'no']);
    expect(row.endsWith(`,${at}`)).toBe(true);
  });

  it('a bad atPosition is 400 REQUEST.BAD_POSITION, atPosition with asOf is 400 REQUEST.AS_OF_WITH_AT_POSITION; 0 and the head are answered', async () => {
    const head = await store.headPosition();
    const routes = ['/grant-schemes/2015/eligibility', '/grant-schemes/2015/eligibility/troms', '/counties/troms/eligibility/2015'];
    for (const route of routes) {
      for (const bad of ['-1', '1.5', 'abc', '', ' 1', '1e3', '0x10', String(head + 1), '99999999999999999']) {
        const res = await t.http().get(`${route}?atPosition=${encodeURIComponent(bad)}`).set(auditor);
        expect([route, bad, res.status, res.body.code]).toEqual([route, bad, 400, 'REQUEST.BAD_POSITION']);
      }
      const twice = await t.http().get(`${route}?atPosition=1&atPosition=2`).set(auditor);
      expect([route, twice.status, twice.body.code]).toEqual([route, 400, 'REQUEST.BAD_POSITION']);
      const both = await t.http().get(`${route}?atPosition=${head}&asOf=2030-01-01`).set(auditor);
      expect([route, both.status, both.body.code]).toEqual([route, 400, 'REQUEST.AS_OF_WITH_AT_POSITION']);
      // at position 0 the ledger knew no scheme yet
      const zero = await t.http().get(`${route}?atPosition=0`).set(auditor);
      expect([route, zero.status, zero.body.code]).toEqual([route, 404, 'GRANT_SCHEME.NOT_FOUND']);
      const atHead = await t.http().get(`${route}?atPosition=${head}`).set(auditor);
      expect([route, atHead.status]).toEqual([route, 200]);
    }
    expect(await store.headPosition()).toBe(head);
  });

  it('the OpenAPI document lists atPosition on the three eligibility routes', async () => {
    const doc = (await t.http().get('/docs-json')).body;
    for (const path of ['/grant-schemes/{year}/eligibility', '/grant-schemes/{year}/eligibility/{countyId}', '/counties/{countyId}/eligibility/{year}']) {
      const param = doc.paths[path].get.parameters.find((p: any) => p.name === 'atPosition');
      expect([path, param?.in, param?.required]).toEqual([path, 'query', false]);
      expect(param.description).toContain('REQUEST.BAD_POSITION');
    }
  });

  it('a retried allocation gets the first answer even when the eligibility changed in between (the snapshot is the ledger\'s, not the request\'s)', async () => {
    await post(t, vox, '/grant-schemes', { year: 2017, baseGrant: '20.00', criteriaSetId: 'criteria-2014', judgingDate: '2017-03-01', windows: { competenceDevelopment: { from: '2013-01-01' }, userSurvey: { from: '2013-01-01', to: '2013-12-31' }, annualReport: { reportYear: 2013 } } });
    const send = () => t.http().post('/grant-schemes/2017/allocation').set(vox).set('Idempotency-Key', 'alloc-2017').send({ note: 'Grunntilskudd 2017' });
    const first = await send();
    expect(first.status).toBe(201);
    const recorded = (await t.http().get('/grant-schemes/2017/allocation').set(auditor)).body;
    expect(recorded.verdicts.find((v: any) => v.countyId === 'nordland').eligible).toBe(false);
    // Nordland records its missing NAV-staff activity: the live eligibility now differs from the snapshot
    await post(t, await fo('nordland'), '/centres/g-bodo/grant-evidence/competence-development', NAV);
    expect((await t.http().get('/grant-schemes/2017/eligibility/nordland').set(vox)).body.eligible).toBe(true);
    const head = await store.headPosition();
    const retry = await send();
    expect([retry.status, retry.body]).toEqual([201, first.body]);
    expect(await store.headPosition()).toBe(head);
    expect((await t.http().get('/grant-schemes/2017/allocation').set(auditor)).body).toEqual(recorded);
  });

  // ---------- judging date ----------

  it('an allocation before the scheme\'s judging date is refused with 422 BASE_GRANT.BEFORE_JUDGING_DATE (the verdicts are "on the day Vox judges")', async () => {
    // A 2030 scheme judged on 2030-03-01, windows set so that Telemark already passes today.
    await post(t, await fo('telemark'), '/centres/g-skien/grant-evidence/annual-reports', { year: 2025, submittedOn: '2026-02-20' });
    await post(t, vox, '/grant-schemes', {
      year: 2030,
      baseGrant: '1000.00',
      criteriaSetId: 'criteria-2014',
      judgingDate: '2030-03-01',
      windows: { competenceDevelopment: { from: '2013-01-01' }, userSurvey: { from: '2013-01-01', to: '2013-12-31' }, annualReport: { reportYear: 2025 } },
    });
    const el = (await t.http().get('/grant-schemes/2030/eligibility').query({ detail: 'summary' }).set(vox)).body;
    expect(el.counties.filter((c: any) => c.eligible).map((c: any) => c.countyId)).toContain('telemark');
    const head = await store.headPosition();
    const res = await t.http().post('/grant-schemes/2030/allocation').set(vox).send({});
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect([res.status, res.body.code]).toEqual([422, 'BASE_GRANT.BEFORE_JUDGING_DATE']);
    expect(res.body.message).toContain('2030-03-01');
    expect(res.body.details).toMatchObject({ year: 2030, judgingDate: '2030-03-01' });
    // and so there is nothing to correct either
    const correction = await t.http().post('/grant-schemes/2030/allocation/corrections').set(vox).send({ reason: 'x' });
    expect([correction.status, correction.body.code]).toEqual([422, 'BASE_GRANT.NOT_ALLOCATED']);
    expect(await store.headPosition()).toBe(head);
  });

  // ---------- stimulus grants ----------

  it('stimulus: establishing in a county that has an open centre is not prioritised; one with none is', async () => {
    await post(t, await fo('telemark'), '/stimulus-grants', { applicationId: 'rv-tel-est', countyId: 'telemark', year: 2014, purpose: 'establish-centre', amountAsked: '100.00', description: 'Nytt senter', appliedOn: '2014-02-01' });
    await post(t, await fo('finnmark'), '/stimulus-grants', { applicationId: 'rv-fin-est', countyId: 'finnmark', year: 2014, purpose: 'establish-centre', amountAsked: '700000.00', description: 'Etablering', appliedOn: '2014-02-05' });
    const list = (await t.http().get('/stimulus-grants').query({ year: 2014 }).set(await fo('nordland'))).body;
    expect(list.map((a: any) => [a.applicationId, a.prioritised])).toEqual([
      ['rv-fin-est', true],
      ['rv-tel-est', false],
    ]);
  });

  it('stimulus: development in a centre of another county, or in an unknown centre, is refused even for an admin; nothing recorded', async () => {
    const head = await store.headPosition();
    const other = await t.http().post('/stimulus-grants').set(admin).send({ applicationId: 'rv-x', countyId: 'troms', year: 2014, purpose: 'development', amountAsked: '1.00', description: 'x', centreId: 'g-skien' });
    expect([other.status, other.body.code]).toEqual([422, 'STIMULUS_GRANT.CENTRE_OF_OTHER_COUNTY']);
    const noCentre = await t.http().post('/stimulus-grants').set(admin).send({ applicationId: 'rv-y', countyId: 'troms', year: 2014, purpose: 'development', amountAsked: '1.00', description: 'x' });
    expect([noCentre.status, noCentre.body.code]).toEqual([400, 'STIMULUS_GRANT.CENTRE_REQUIRED']);
    const unknown = await t.http().post('/stimulus-grants').set(admin).send({ applicationId: 'rv-z', countyId: 'troms', year: 2014, purpose: 'development', amountAsked: '1.00', description: 'x', centreId: 'nope' });
    expect(unknown.status).toBe(404);
    const asVox = await t.http().post('/stimulus-grants').set(vox).send({ applicationId: 'rv-v', countyId: 'troms', year: 2014, purpose: 'development', amountAsked: '1.00', description: 'x', centreId: 'g-tromso' });
    expect(asVox.status).toBe(403);
    expect(await store.headPosition()).toBe(head);
  });

  it('stimulus: awards are exact to the øre, at most the amount asked, once; bad amounts are 400; only Vox decides', async () => {
    const head = await store.headPosition();
    const bad: [unknown, number, string][] = [
      ['100.001', 400, 'MONEY.FRACTIONAL_ORE'],
      ['0.00', 400, 'MONEY.ZERO'],
      ['-1.00', 400, 'MONEY.NEGATIVE'],
      [99.5, 400, 'MONEY.NOT_A_DECIMAL_STRING'],
      ['100.01', 422, 'STIMULUS_GRANT.AWARD_ABOVE_ASKED'],
    ];
    for (const [amount, status, code] of bad) {
      const res = await t.http().post('/stimulus-grants/rv-tel-est/award').set(vox).send({ amount });
      expect([amount, res.status, res.body.code]).toEqual([amount, status, code]);
    }
    for (const auth of [admin, auditor, await fo('telemark')]) {
      expect((await t.http().post('/stimulus-grants/rv-tel-est/award').set(auth).send({ amount: '1.00' })).status).toBe(403);
      expect((await t.http().post('/stimulus-grants/rv-tel-est/rejection').set(auth).send({ reason: 'x' })).status).toBe(403);
    }
    const missing = await t.http().post('/stimulus-grants/nope/award').set(vox).send({ amount: '1.00' });
    expect([missing.status, missing.body.code]).toEqual([404, 'STIMULUS_GRANT.NOT_FOUND']);
    expect(await store.headPosition()).toBe(head);
    const ok = await post(t, vox, '/stimulus-grants/rv-fin-est/award', { amount: '699999.99' });
    const one = (await t.http().get('/stimulus-grants/rv-fin-est').set(auditor)).body;
    expect([one.status, one.amountAwarded, one.amountAsked]).toEqual(['awarded', '699999.99', '700000.00']);
    const twice = await t.http().post('/stimulus-grants/rv-fin-est/award').set(vox).send({ amount: '1.00' });
    expect([twice.status, twice.body.code]).toEqual([409, 'STIMULUS_GRANT.ALREADY_DECIDED']);
    const rejectAfter = await t.http().post('/stimulus-grants/rv-fin-est/rejection').set(vox).send({ reason: 'x' });
    expect([rejectAfter.status, rejectAfter.body.code]).toEqual([409, 'STIMULUS_GRANT.ALREADY_DECIDED']);
    // as of before the award: still applied
    const before = new Date(Date.parse(ok.body.recordedAt) - 1).toISOString();
    const then = (await t.http().get(`/stimulus-grants/rv-fin-est?asOf=${encodeURIComponent(before)}`).set(auditor)).body;
    expect([then.status, then.amountAwarded, then.decision]).toEqual(['applied', null, null]);
  });

  it('stimulus list filters: a bad year is 400, an unknown application 404', async () => {
    const bad = await t.http().get('/stimulus-grants').query({ year: '14' }).set(auditor);
    expect([bad.status, bad.body.code]).toEqual([400, 'REQUEST.BAD_YEAR']);
    const nf = await t.http().get('/stimulus-grants/nope').set(auditor);
    expect([nf.status, nf.body.code]).toEqual([404, 'STIMULUS_GRANT.NOT_FOUND']);
  });

  // ---------- the import path ----------

  it('`ledger import` cannot record an allocation with a snapshot the client made up (a county that does not exist, an ineligible one)', async () => {
    const registry = new CommandRegistry();
    const s = new MemoryEventStore();
    const executor = new CommandExecutor(s, registry, null);
    const ADMIN: Actor = { id: 'ops', name: 'Ops', roles: ['admin'], counties: [], actingRole: 'admin' };
    const VOX: Actor = { id: 'vox-1', name: 'Vox', roles: ['vox'], counties: [], actingRole: 'vox' };
    await executor.execute({ command: 'RegisterCounty', payload: { countyId: 'telemark', name: 'Telemark', countyNumber: '08' }, actor: ADMIN });
    await executor.execute({ command: 'PublishGrantScheme', payload: { year: 2014, baseGrant: '1000.00', criteriaSetId: 'criteria-2014', judgingDate: '2014-03-01' }, actor: VOX });
    // Telemark has recorded nothing at all, and "atlantis" is no county of the ledger.
    const forged = JSON.stringify({
      command: 'AllocateBaseGrant',
      payload: {
        year: 2014,
        schemeVersion: 1,
        basedOnPosition: 2,
        verdicts: [
          { countyId: 'telemark', countyNumber: '08', name: 'Telemark', eligible: true, failedCriteria: [], qualifyingCentreIds: [] },
          { countyId: 'atlantis', countyNumber: '99', name: 'Atlantis', eligible: true, failedCriteria: [], qualifyingCentreIds: [] },
        ],
      },
    });
    const { lines, problems } = await parseImportFile(forged, registry);
    const refused = problems.length ? problems : await dryRunImport(s, registry, lines, VOX);
    if (refused.length === 0) await executor.execute({ command: lines[0].command, payload: lines[0].payload, actor: VOX, idempotencyKey: lines[0].idempotencyKey });
    const recorded = (await s.readAll()).filter((e) => e.type === 'BaseGrantAllocated').map((e) => (e.data as any).parts.map((p: any) => [p.countyId, p.amountOre]));
    expect(recorded).toEqual([]);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.map((p) => [p.line, p.code])).toEqual([[1, 'IMPORT.COMMAND_NOT_IMPORTABLE']]);
    expect(refused[0].message).toContain('POST /grant-schemes/:year/allocation');
  });
});
