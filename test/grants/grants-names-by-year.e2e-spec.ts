import { answerCacheOf } from '../../apps/api/src/http/answer-cache';
import { addDays, osloDateOf } from '../../libs/domain/src/shared';
import { MemoryEventStore } from '../../libs/event-store/src/memory-event-store';
import { steppingClock } from '../audit/fixtures';
import { fakeDateOnly, osloMidnight } from '../helpers/fake-date';
import { rawGet } from '../helpers/raw-get';
import { seedCounties, startTestApp, TestApp } from '../helpers/test-app';
import { post, recordCounty } from './grants-fixture';

/**
 * README (centres): "year answers and reports [name a centre] by the name in force on 31 December of
 * the year", so "a rename from 2099 changes nothing before 2099". The base-grant answers are year
 * answers: a centre renamed from 2016 is judged for 2014 under its 2014 name (in its verdict, every
 * reason and what is missing, the qualifying centres and the CSV) and for 2016 under the new one.
 */
describe("base-grant answers name a centre by the name it had in the year judged", () => {
  const clock = steppingClock('2014-01-15T09:00:00.000Z', 1000);
  let t: TestApp;
  let vox: { Authorization: string };
  let fo: { Authorization: string };
  let auditor: { Authorization: string };
  /** The instant just before the 2016 rename was recorded (every event is a second apart). */
  let beforeRename: string;
  let positionBeforeRename: number;

  const OLD = 'Karrieresenter Telemark';
  const NEW = 'Karriere Telemark';
  const FUTURE = 'Karriere Telemark 2099';

  const get = async (path: string, auth = auditor) => {
    const res = await t.http().get(path).set(auth);
    expect([path, res.status]).toEqual([path, 200]);
    return res;
  };
  const centreNames = (body: any): string[] => [...body.centres.map((c: any) => c.name), ...body.qualifyingCentres.map((c: any) => c.name), ...body.centresNotConsidered.map((c: any) => c.name)];

  beforeAll(async () => {
    t = await startTestApp({ store: new MemoryEventStore(() => (clock.tick(), clock.clock())) });
    await seedCounties(t);
    vox = await t.auth('vox');
    fo = await t.auth('finance-officer', ['telemark', 'vestfold']);
    auditor = await t.auth('auditor');
    await recordCounty(t, 'telemark', 'Telemark', [{ centreId: 'kc-tm', name: OLD, municipality: 'Skien' }]);
    // a centre whose id and name are those of an Object.prototype member
    await recordCounty(t, 'vestfold', 'Vestfold', [{ centreId: 'constructor', name: 'constructor', municipality: 'Tønsberg' }]);
    await post(t, vox, '/grant-schemes', { year: 2014, baseGrant: '26600000.00', criteriaSetId: 'criteria-2014', judgingDate: '2014-03-01' });
    await post(t, vox, '/grant-schemes', { year: 2016, baseGrant: '26600000.00', criteriaSetId: 'criteria-2014', judgingDate: '2016-03-01' });
    positionBeforeRename = await t.store.headPosition();
    clock.advance(30 * 86_400_000);
    beforeRename = new Date(clock.clock().getTime() - 1).toISOString();
    await post(t, fo, '/centres/kc-tm/rename', { name: NEW, effectiveFrom: '2016-01-01' });
    await post(t, fo, '/centres/constructor/rename', { name: 'toString', effectiveFrom: '2016-01-01' });
  });
  afterAll(() => t.close());

  it('the 2014 eligibility (every county, one county, summary, the county side, CSV) names the centre by its 2014 name; the 2016 scheme by the new one', async () => {
    const county = (await get('/grant-schemes/2014/eligibility/telemark')).body;
    expect(county.eligible).toBe(true);
    expect(centreNames(county)).toEqual([OLD, OLD]);
    expect(county.criteria.find((c: any) => c.id === '3').reason.en).toBe(`1 of 1 centres meet 3a–3c: ${OLD}.`);
    expect(county.centres[0].criteria.find((c: any) => c.id === '3a').reason.en).toContain(`${OLD} offers free guidance`);
    for (const path of ['/grant-schemes/2014/eligibility/telemark', '/grant-schemes/2014/eligibility', '/grant-schemes/2014/eligibility/telemark?detail=summary', '/counties/telemark/eligibility/2014', '/grant-schemes/2014/eligibility?detail=summary']) {
      const text = JSON.stringify((await get(path)).body);
      expect([path, text.includes(OLD), text.includes(NEW)]).toEqual([path, true, false]);
    }
    const csv = await t.http().get('/grant-schemes/2014/eligibility').set(auditor).set('Accept', 'text/csv');
    expect(csv.status).toBe(200);
    expect(csv.text.split('\r\n').find((l) => l.startsWith("'08,"))).toContain(OLD);
    expect(csv.text).not.toContain(NEW);

    const y2016 = (await get('/grant-schemes/2016/eligibility/telemark')).body;
    expect(y2016.centres.map((c: any) => c.name)).toEqual([NEW]);
    const text2016 = JSON.stringify(y2016);
    expect([text2016.includes(NEW), text2016.includes(OLD)]).toEqual([true, false]);
  });

  it('a rename dated 2099 changes nothing now: not the 2014 or 2016 answers, not the evidence listing (which lists it in names)', async () => {
    const before2014 = (await get('/grant-schemes/2014/eligibility/telemark')).body;
    const before2016 = (await get('/grant-schemes/2016/eligibility/telemark')).body;
    await post(t, fo, '/centres/kc-tm/rename', { name: FUTURE, effectiveFrom: '2099-01-01' });
    const after2014 = (await get('/grant-schemes/2014/eligibility/telemark')).body;
    const after2016 = (await get('/grant-schemes/2016/eligibility/telemark')).body;
    expect(JSON.stringify(after2014)).not.toContain(FUTURE);
    expect(JSON.stringify(after2016)).not.toContain(FUTURE);
    // the answers are the same but for the log position they reflect
    expect({ ...after2014, asOfPosition: 0 }).toEqual({ ...before2014, asOfPosition: 0 });
    expect({ ...after2016, asOfPosition: 0 }).toEqual({ ...before2016, asOfPosition: 0 });
    const evidence = (await get('/centres/kc-tm/grant-evidence')).body;
    expect(evidence.name).toBe(NEW);
    expect(evidence.names).toEqual([
      { name: OLD, from: '2010-01-01' },
      { name: NEW, from: '2016-01-01' },
      { name: FUTURE, from: '2099-01-01' },
    ]);
    // an allocation computed now records the 2014 verdicts; its answer names no centre from later
    await post(t, vox, '/grant-schemes/2014/allocation', { note: 'names test' });
    const allocation = (await get('/grant-schemes/2014/allocation')).body;
    expect(allocation.verdicts.find((v: any) => v.countyId === 'telemark')).toMatchObject({ name: 'Telemark', eligible: true, qualifyingCentreIds: ['kc-tm'] });
    const reproduced = (await get(allocation.reproduceWith)).body;
    expect(centreNames(reproduced.counties.find((c: any) => c.countyId === 'telemark'))).toEqual([OLD, OLD]);
  });

  it('as of before the rename was recorded: the old name everywhere, 2016 included; the evidence listing too', async () => {
    const asOf = encodeURIComponent(beforeRename);
    const then2016 = (await get(`/grant-schemes/2016/eligibility/telemark?asOf=${asOf}`)).body;
    expect(then2016.centres.map((c: any) => c.name)).toEqual([OLD]);
    expect(JSON.stringify(then2016)).not.toContain(NEW);
    const atPosition = (await get(`/grant-schemes/2016/eligibility/telemark?atPosition=${positionBeforeRename}`)).body;
    expect(atPosition.centres.map((c: any) => c.name)).toEqual([OLD]);
    const evidence = (await get(`/centres/kc-tm/grant-evidence?asOf=${asOf}`)).body;
    expect([evidence.name, evidence.names]).toEqual([OLD, [{ name: OLD, from: '2010-01-01' }]]);
    // and now, the same routes name it by the year again
    expect((await get('/grant-schemes/2016/eligibility/telemark')).body.centres.map((c: any) => c.name)).toEqual([NEW]);
    expect((await get('/grant-schemes/2014/eligibility/telemark')).body.centres.map((c: any) => c.name)).toEqual([OLD]);
  });

  it('a centre with the id and name "constructor" is judged, renamed and listed like any other', async () => {
    const y2014 = (await get('/grant-schemes/2014/eligibility/vestfold')).body;
    expect([y2014.eligible, y2014.centres.map((c: any) => [c.centreId, c.name]), y2014.qualifyingCentres]).toEqual([true, [['constructor', 'constructor']], [{ centreId: 'constructor', name: 'constructor' }]]);
    expect(JSON.stringify(y2014)).not.toContain('toString');
    const y2016 = (await get('/grant-schemes/2016/eligibility/vestfold')).body;
    expect(y2016.centres.map((c: any) => [c.centreId, c.name])).toEqual([['constructor', 'toString']]);
    const evidence = (await get('/centres/constructor/grant-evidence')).body;
    expect([evidence.centreId, evidence.name, evidence.names.map((n: any) => n.name)]).toEqual(['constructor', 'toString', ['constructor', 'toString']]);
    const asOf = (await get(`/grant-schemes/2016/eligibility/vestfold?asOf=${encodeURIComponent(beforeRename)}`)).body;
    expect(asOf.centres.map((c: any) => c.name)).toEqual(['constructor']);
  });

  it('the evidence listing (about no one year) names the centre by today\'s name: a rename from tomorrow shows from Oslo midnight, and keeps the answer out of the cache until then', async () => {
    const day = addDays(osloDateOf(new Date().toISOString()), 1);
    await post(t, fo, '/centres/constructor/rename', { name: 'valueOf', effectiveFrom: day });
    const token = await t.tokens.issue({ sub: 'names-midnight', name: 'Midnatt', roles: ['auditor'], counties: [] }, 3 * 86400);
    const cache = answerCacheOf(t.app.getHttpAdapter().getInstance())!;
    const ask = async () => {
      const res = await rawGet(t.app.getHttpServer(), '/centres/constructor/grant-evidence', { authorization: `Bearer ${token}` });
      expect(res.statusCode).toBe(200);
      return JSON.parse(res.body);
    };
    fakeDateOnly(osloMidnight(day) - 10_000);
    try {
      // (the rename moved the log, so the cache starts empty at this position)
      for (let i = 0; i < 2; i++) expect((await ask()).name).toBe('toString');
      expect(cache.size).toBe(0); // a rename still to come: not kept
      jest.setSystemTime(osloMidnight(day) + 1_000);
      const after = await ask();
      expect([after.name, after.names.map((n: any) => n.name)]).toEqual(['valueOf', ['constructor', 'toString', 'valueOf']]);
      expect(cache.size).toBe(1); // nothing to come: kept again
      // the year answers are unchanged by it
      expect((await get('/grant-schemes/2016/eligibility/vestfold')).body.centres.map((c: any) => c.name)).toEqual(['toString']);
    } finally {
      jest.useRealTimers();
    }
  });
});
