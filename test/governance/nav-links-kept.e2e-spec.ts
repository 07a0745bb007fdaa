/**
 * GET /nav-links works out every centre's NAV link once per (position, date, county) and keeps the
 * last few: the pages of one position come from one computation, and a write (a new position) is
 * seen at once, while an as-of question before it still answers as before.
 */
import { CentreGovernanceController } from '../../apps/api/src/governance/centre-governance.controller';
import { startTestApp, TestApp } from '../helpers/test-app';

type Auth = { Authorization: string };

describe('GET /nav-links keeps its answer per position (e2e)', () => {
  let t: TestApp;
  let admin: Auth;
  const kept = () => (t.app.get(CentreGovernanceController) as unknown as { navLinksKept: Map<string, unknown> }).navLinksKept;
  const ok = async (path: string, body: object) => {
    const res = await t.http().post(path).set(admin).send(body);
    if (res.status !== 201) throw new Error(`POST ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body as { position: number; recordedAt: string };
  };
  const get = async (path: string) => {
    const res = await t.http().get(path).set(admin);
    expect(res.status).toBe(200);
    return res.body;
  };

  beforeAll(async () => {
    t = await startTestApp({ seed: true });
    admin = await t.auth('admin');
    await ok('/parties', { partyId: 'nk-fk', name: 'Telemark fylkeskommune NK', kind: 'county-authority', countyId: 'telemark' });
    await ok('/parties', { partyId: 'nk-nav', name: 'NAV Telemark NK', kind: 'nav-county-office', countyId: 'telemark' });
    for (const id of ['nk-a', 'nk-b', 'nk-c']) await ok('/centres', { centreId: id, countyId: 'telemark', name: `KC ${id}`, municipality: 'Skien', openedOn: '2010-01-01' });
    await ok('/centres/nk-a/owner-agreements', { agreementId: 'nk-a-owners', parties: [{ partyId: 'nk-fk', shareBp: 5000 }, { partyId: 'nk-nav', shareBp: 5000 }], period: { from: '2012-01-01' }, signedOn: '2012-01-01' });
  });
  afterAll(() => t?.close());

  it('the pages of one position come from one computation and add up to the whole answer', async () => {
    kept().clear();
    const whole = await get('/nav-links?date=2014-06-01&countyId=telemark');
    expect(kept().size).toBe(1);
    expect(whole.links.map((l: { centreId: string }) => l.centreId)).toEqual(['nk-a', 'nk-b', 'nk-c']);
    expect([whole.centres, whole.withNavLink]).toEqual([3, 1]);
    const firstRes = await t.http().get('/nav-links?date=2014-06-01&countyId=telemark&limit=2').set(admin);
    const first = firstRes.body;
    const next = /<([^>]+)>;\s*rel="next"/.exec(String(firstRes.headers['link']))?.[1];
    expect(next).toBeDefined();
    const second = await get(next!);
    expect(kept().size).toBe(1); // both pages from the answer kept
    expect([...first.links, ...second.links]).toEqual(whole.links);
    expect({ ...second, links: whole.links }).toEqual(whole);
    // Another date or county is another answer.
    await get('/nav-links?date=2013-06-01&countyId=telemark');
    await get('/nav-links?date=2014-06-01');
    expect(kept().size).toBe(3);
  });

  it('a write is seen by the next ask; as of before it the answer is as before; at most eight answers are kept', async () => {
    const before = await get('/nav-links?date=2014-06-01&countyId=telemark');
    const w = await ok('/centres/nk-b/owner-agreements', { agreementId: 'nk-b-owners', parties: [{ partyId: 'nk-fk', shareBp: 7000 }, { partyId: 'nk-nav', shareBp: 3000 }], period: { from: '2012-01-01' }, signedOn: '2012-01-01' });
    const after = await get('/nav-links?date=2014-06-01&countyId=telemark');
    expect([before.withNavLink, after.withNavLink]).toEqual([1, 2]);
    expect(after.links.find((l: { centreId: string }) => l.centreId === 'nk-b').hasNavLink).toBe(true);
    const asOf = new Date(Date.parse(w.recordedAt) - 1).toISOString();
    expect(await get(`/nav-links?date=2014-06-01&countyId=telemark&asOf=${encodeURIComponent(asOf)}`)).toEqual(before);
    for (let year = 2000; year < 2012; year++) await get(`/nav-links?date=${year}-06-01`);
    expect(kept().size).toBe(8);
  });
});
