import { MemoryEventStore } from '../../libs/event-store/src/memory-event-store';
import { todayInNorway } from '../../apps/api/src/ledger/today';
import { addDays } from '../../libs/domain/src/shared';
import { seedCounties, startTestApp, TestApp } from '../helpers/test-app';
import { post, recordCounty } from '../grants/grants-fixture';

/**
 * A party renamed from a date (the 2020 regional reform renamed NAV Telemark and Telemark
 * fylkeskommune) keeps its old name in every answer about the days before: the funding mix and
 * cost-share of 2013, the partnership and the coordinating function on a 2014 date, and the 2014
 * base-grant reasons. The directory names it as today, with a rename to come in upcomingRename.
 */
describe('party names by date', () => {
  let t: TestApp;
  let admin: { Authorization: string };
  let auditor: { Authorization: string };
  const get = async (path: string) => {
    const res = await t.http().get(path).set(auditor);
    expect([path, res.status]).toEqual([path, 200]);
    return res.body;
  };

  beforeAll(async () => {
    t = await startTestApp({ store: new MemoryEventStore() });
    await seedCounties(t);
    admin = await t.auth('admin');
    auditor = await t.auth('auditor');
    const vox = await t.auth('vox');
    await recordCounty(t, 'telemark', 'Telemark', [{ centreId: 'kc-tm', name: 'Karrieresenter Telemark', municipality: 'Skien' }]);
    await post(t, vox, '/grant-schemes', { year: 2014, baseGrant: '26600000.00', criteriaSetId: 'criteria-2014', judgingDate: '2014-03-01' });
    await post(t, admin, '/centres/kc-tm/funding/operating-grants', { entryId: 'tm-2013', partyId: 'nav-telemark', amount: '1325000.00', fiscalYear: 2013, decidedOn: '2013-01-10', reference: null });
    await post(t, admin, '/centres/kc-tm/funding/operating-grants', { entryId: 'tm-2020', partyId: 'nav-telemark', amount: '1400000.00', fiscalYear: 2020, decidedOn: '2020-01-10', reference: null });
    const renamed = await t.http().post('/parties/nav-telemark/rename').set(admin).send({ name: 'NAV Vestfold og Telemark', effectiveFrom: '2020-01-01' });
    expect([renamed.status, renamed.body.eventIds?.length]).toEqual([200, 1]);
    await t.http().post('/parties/telemark-fk/rename').set(admin).send({ name: 'Vestfold og Telemark fylkeskommune', effectiveFrom: '2020-01-01' }).expect(200);
  });
  afterAll(() => t.close());

  it('the funding mix names the party as on 31 December of its year', async () => {
    const y2013 = await get('/centres/kc-tm/funding-mix/2013');
    expect(y2013.byParty.map((p: any) => [p.partyId, p.partyName])).toEqual([['nav-telemark', 'NAV Telemark']]);
    const y2020 = await get('/centres/kc-tm/funding-mix/2020');
    expect(y2020.byParty.map((p: any) => [p.partyId, p.partyName])).toEqual([['nav-telemark', 'NAV Vestfold og Telemark']]);
  });

  it('the partnership and the coordinating function on a 2014 date name the parties as they were then', async () => {
    const on2014 = await get('/counties/telemark/partnership?date=2014-06-01');
    const names = JSON.stringify(on2014);
    expect(names).toContain('NAV Telemark');
    expect(names).toContain('Telemark fylkeskommune');
    expect(names).not.toContain('Vestfold og Telemark');
    const on2021 = JSON.stringify(await get('/counties/telemark/partnership?date=2021-06-01'));
    expect(on2021).toContain('NAV Vestfold og Telemark');
  });

  it('the 2014 base-grant reasons name the parties as on the day judged', async () => {
    const county = await get('/grant-schemes/2014/eligibility/telemark');
    const reasons = JSON.stringify(county.criteria.map((c: any) => c.reason));
    expect(reasons).toContain('Telemark fylkeskommune og NAV Telemark');
    expect(reasons).not.toContain('Vestfold og Telemark');
  });

  it('the directory names the party as today, with every name by its first day', async () => {
    const p = await get('/parties/nav-telemark');
    expect(p).toMatchObject({ name: 'NAV Vestfold og Telemark', upcomingRename: null, names: [{ name: 'NAV Telemark', from: '0000-01-01' }, { name: 'NAV Vestfold og Telemark', from: '2020-01-01' }] });
  });

  it('a rename dated after today: the directory keeps today\'s name and shows the one to come', async () => {
    const tomorrow = addDays(todayInNorway(), 1);
    await t.http().post('/parties/nav-telemark/rename').set(admin).send({ name: 'NAV Telemark', effectiveFrom: tomorrow }).expect(200);
    const p = await get('/parties/nav-telemark');
    expect(p).toMatchObject({ name: 'NAV Vestfold og Telemark', upcomingRename: { name: 'NAV Telemark', effectiveFrom: tomorrow } });
    const list = await get('/parties?countyId=telemark');
    expect(list.find((x: any) => x.partyId === 'nav-telemark')).toMatchObject({ name: 'NAV Vestfold og Telemark', upcomingRename: { effectiveFrom: tomorrow } });
  });

  it('a rename without a date takes effect today; the same name again records nothing; a date that is not in the calendar is 400 DATE.INVALID', async () => {
    await post(t, admin, '/parties', { partyId: 'tm-union', name: 'Forbundet', kind: 'union', countyId: null });
    const r = await t.http().post('/parties/tm-union/rename').set(admin).send({ name: 'Forbundet (ny)' });
    expect(r.status).toBe(200);
    const [e] = (await t.store.readStream('party-tm-union')).slice(-1);
    expect(e.data).toMatchObject({ name: 'Forbundet (ny)', previousName: 'Forbundet', effectiveFrom: todayInNorway() });
    const again = await t.http().post('/parties/tm-union/rename').set(admin).send({ name: 'Forbundet (ny)' });
    expect([again.status, again.body.eventIds]).toEqual([200, []]);
    const before = await t.store.headPosition();
    for (const effectiveFrom of ['2020-02-30', '1.1.2020']) {
      const bad = await t.http().post('/parties/tm-union/rename').set(admin).send({ name: 'X', effectiveFrom });
      expect([effectiveFrom, bad.status, bad.body.code]).toEqual([effectiveFrom, 400, 'DATE.INVALID']);
    }
    expect(await t.store.headPosition()).toBe(before);
  });
});
