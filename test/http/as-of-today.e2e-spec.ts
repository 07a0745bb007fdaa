import { answerCacheOf } from '../../apps/api/src/http/answer-cache';
import { addDays, osloDateOf } from '../../libs/domain/src/shared';
import { fakeDateOnly, osloMidnight } from '../helpers/fake-date';
import { rawGet } from '../helpers/raw-get';
import { startTestApp, TestApp } from '../helpers/test-app';

/**
 * "Today" in an answer as of a moment M is M's day in Norway, capped at the real today (apps/api/src/ledger/today.ts,
 * todayOf). An answer on a day taken from the clock (no asOf, or an asOf still to come) changes at midnight although
 * its URL does not, so it stays out of the answer cache; an answer as of a past moment names its day in its URL (the
 * asOf), is the same on every later day, and is kept like any other. These check both, across Norway's midnight.
 */
describe('"today" as of a past moment, and the answer cache', () => {
  let t: TestApp;
  let d0: string;
  let d1: string;
  let M: string;
  let auth: Record<string, string>;

  const post = async (a: Record<string, string>, url: string, body: object) => {
    const res = await t.http().post(url).set(a).send(body);
    if (res.status !== 200 && res.status !== 201) throw new Error(`POST ${url} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const ask = async (url: string, headers: Record<string, string> = {}) => {
    const res = await rawGet(t.app.getHttpServer(), url, { ...auth, ...headers });
    return { status: res.statusCode, etag: res.headers.etag as string, text: res.body };
  };
  const asOf = (path: string, instant: string) => `${path}${path.includes('?') ? '&' : '?'}asOf=${encodeURIComponent(instant)}`;
  /** The cached routes whose answer takes "today": the directory's names, the party's, the evidence's, an agreement's terms on a date left out. */
  const PATHS = ['/centres/tq-a', '/centres', '/counties/telemark', '/parties/tq-nav', '/centres/tq-a/grant-evidence', '/owner-agreements/tq-oa', '/centres/tq-a/owner-agreements/tq-oa'];

  beforeAll(async () => {
    t = await startTestApp({ seed: true, env: { LEDGER_RATE_LIMIT_PER_MINUTE: '0' } });
    const fo = await t.auth('finance-officer', ['telemark'], 'tq-fo');
    // Three days, so a clock moved past the next midnight in Norway does not expire it.
    auth = { authorization: `Bearer ${await t.tokens.issue({ sub: 'tq-auditor', name: 'Revisor', roles: ['auditor'], counties: [] }, 3 * 86400)}` };
    d0 = osloDateOf(new Date().toISOString());
    d1 = addDays(d0, 1);
    await post(fo, '/parties', { partyId: 'tq-fk', name: 'Telemark fylkeskommune', kind: 'county-authority', countyId: 'telemark' });
    await post(fo, '/parties', { partyId: 'tq-nav', name: 'NAV Telemark', kind: 'nav-county-office', countyId: 'telemark' });
    await post(fo, '/centres', { centreId: 'tq-a', countyId: 'telemark', name: 'Karrieresenter A', municipality: 'Skien', openedOn: '2010-01-01' });
    await post(fo, '/centres/tq-a/rename', { name: 'Karriere A', effectiveFrom: d1 });
    await post(fo, '/parties/tq-nav/rename', { name: 'NAV Vestfold og Telemark', effectiveFrom: d1 });
    await post(fo, '/centres/tq-a/owner-agreements', { agreementId: 'tq-oa', parties: [{ partyId: 'tq-fk', shareBp: 5000 }, { partyId: 'tq-nav', shareBp: 5000 }], period: { from: '2009-01-01', to: d0 }, signedOn: '2009-01-01' });
    M = new Date().toISOString();
    if (osloDateOf(M) !== d0) throw new Error('the Norwegian day changed while the ledger was recorded; run again');
  });
  afterAll(() => t?.close());

  it('as of M (this day): kept in the cache and served after midnight unchanged, the same bytes as computed anew; as of a moment still to come and at the head: kept out, and the next day\'s answer after midnight', async () => {
    const cache = answerCacheOf(t.app.getHttpAdapter().getInstance())!;
    const head = String(await t.store.headPosition());
    const atM: Record<string, { etag: string; text: string }> = {};
    const later: Record<string, string> = {};
    for (const path of PATHS) {
      const a = await ask(asOf(path, M));
      expect([path, a.status]).toEqual([path, 200]);
      atM[path] = a;
      later[path] = (await ask(asOf(path, '2099-01-01'))).text;
      // Today (not asOf) the answers name the rename to come and the agreement in force today.
      expect([path, a.text]).toEqual([path, (await ask(path)).text]);
    }
    expect(JSON.parse(atM['/centres/tq-a'].text)).toMatchObject({ name: 'Karrieresenter A', upcomingRename: { name: 'Karriere A', effectiveFrom: d1 } });
    expect(JSON.parse(atM['/owner-agreements/tq-oa'].text)).toMatchObject({ inForceOn: { date: d0, terms: { effectiveFrom: '2009-01-01' } } });
    // Kept: one entry per as-of URL; nothing for the head or an asOf still to come (their day is the clock's).
    const size = cache.size;
    for (const path of PATHS) await ask(asOf(path, '2099-01-01'));
    for (const path of PATHS) await ask(path);
    expect(cache.size).toBe(size);
    const hits = cache.rawHits;
    for (const path of PATHS) expect([path, (await ask(asOf(path, M))).text]).toEqual([path, atM[path].text]);
    expect(cache.rawHits).toBe(hits + PATHS.length);

    fakeDateOnly(osloMidnight(d1) + 3_600_000);
    try {
      // The token's verification the entries relied on has lapsed with the clock moved on: one request has it verified anew.
      expect((await ask('/counties')).status).toBe(200);
      for (const path of PATHS) {
        // From the cache, and the same bytes as the answer computed anew (X-Ledger-Position goes past the cache).
        const before = cache.rawHits;
        const cached = await ask(asOf(path, M));
        expect([path, cache.rawHits]).toEqual([path, before + 1]);
        expect([path, cached.text, cached.etag]).toEqual([path, atM[path].text, atM[path].etag]);
        expect([path, (await ask(asOf(path, M), { 'x-ledger-position': head })).text]).toEqual([path, atM[path].text]);
        // A moment still to come has the real today, which is now the next day: not what was answered for it yesterday.
        const future = await ask(asOf(path, '2099-01-01'));
        expect([path, future.text]).not.toEqual([path, later[path]]);
        expect([path, future.text]).toEqual([path, (await ask(path)).text]);
      }
      expect(JSON.parse((await ask('/centres/tq-a')).text)).toMatchObject({ name: 'Karriere A', upcomingRename: null });
    } finally {
      jest.useRealTimers();
    }
  });
});
