import { answerCacheOf } from '../../apps/api/src/http/answer-cache';
import { rawGet } from '../helpers/raw-get';
import { startTestApp, TestApp } from '../helpers/test-app';
import { addDays, osloDateOf } from '../../libs/domain/src/shared';
import { fakeDateOnly, osloMidnight } from '../helpers/fake-date';

/**
 * Every route whose `?date=` defaults to today (governance: owner agreements, partnerships, the
 * governance profile and NAV links) answers the new day after midnight, however the date is left out:
 * absent, empty (`?date=`) or bare (`?date`). `GET /owner-agreements/:id` is an answer-cache route: its
 * today answers were stored under a URL that does not name the date and served yesterday's date the
 * next day (and, with the date left out, it had no terms on today at all). The other routes are not
 * cached; they stay here so that marking one @CachedAnswer() cannot bring the bug back.
 */

/** Each route with where its answer says which business date it is about. */
const ROUTES: [string, (body: any) => unknown[]][] = [
  ['/owner-agreements/td-2009', (b) => [b.inForceOn?.date]],
  ['/centres/td-kc/owner-agreements', (b) => [b.date]],
  ['/counties/telemark/partnership', (b) => [b.date]],
  ['/partnerships', (b) => b.map((p: { date: string }) => p.date)],
  ['/centres/td-kc/governance', (b) => [b.date]],
  ['/centres/td-kc/nav-link', (b) => [b.date]],
  ['/nav-links', (b) => [b.date, ...b.links.map((l: { date: string }) => l.date)]],
];
/** A date left out, empty, bare; and with other parameters around it. */
const SPELLINGS = ['', '?date=', '?date', '?limit=1000&date=', '?date&limit=1000'];

describe('routes whose ?date= defaults to today, across midnight', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ seed: true, env: { LEDGER_RATE_LIMIT_PER_MINUTE: '0' } });
    const fo = await t.auth('finance-officer', ['telemark'], 'td-fo');
    for (const [url, body] of [
      ['/centres', { centreId: 'td-kc', countyId: 'telemark', name: 'Karrieresenteret Today', municipality: 'Skien', openedOn: '2005-01-01' }],
      ['/parties', { partyId: 'td-fk', name: 'Telemark fylkeskommune', kind: 'county-authority', countyId: 'telemark' }],
      ['/parties', { partyId: 'td-nav', name: 'NAV Telemark', kind: 'nav-county-office', countyId: 'telemark' }],
      ['/centres/td-kc/owner-agreements', { agreementId: 'td-2009', parties: [{ partyId: 'td-nav', shareBp: 5000 }, { partyId: 'td-fk', shareBp: 5000 }], period: { from: '2009-01-01' }, signedOn: '2009-03-01' }],
    ] as [string, object][]) {
      const res = await t.http().post(url).set(fo).send(body);
      if (res.status !== 201) throw new Error(`${url}: ${res.status} ${JSON.stringify(res.body)}`);
    }
  });
  afterAll(() => t.close());

  it.each(ROUTES)('%s answers today, then tomorrow after midnight, for every spelling of a date left out; none is kept in the answer cache', async (path, datesOf) => {
    const token = await t.tokens.issue({ sub: `td-${path}`, name: 'Today', roles: ['auditor'], counties: [] }, 3 * 86400);
    const auth = { authorization: `Bearer ${token}` };
    const cache = answerCacheOf(t.app.getHttpAdapter().getInstance())!;
    // Today is the date in Norway: midnight is Oslo's (23:00 or 22:00 UTC).
    const today = osloDateOf(new Date().toISOString());
    const tomorrow = addDays(today, 1);
    // Only the Date is faked: the server's timers and I/O run as usual.
    fakeDateOnly(osloMidnight(tomorrow) - 10_000);
    try {
      const ask = async (url: string) => {
        const res = await rawGet(t.app.getHttpServer(), url, auth);
        expect([url, res.statusCode]).toEqual([url, 200]);
        return datesOf(JSON.parse(res.body));
      };
      const size = cache.size;
      for (const q of SPELLINGS) {
        for (let i = 0; i < 2; i++) for (const d of await ask(`${path}${q}`)) expect([`${path}${q}`, d]).toEqual([`${path}${q}`, today]);
      }
      expect(cache.size).toBe(size);
      jest.setSystemTime(osloMidnight(tomorrow) + 5_000);
      for (const q of SPELLINGS) for (const d of await ask(`${path}${q}`)) expect([`${path}${q}`, d]).toEqual([`${path}${q}`, tomorrow]);
      // A named date is the same answer every day, so a cached route may keep it.
      expect(await ask(`${path}${path.includes('?') ? '&' : '?'}date=2014-05-09`)).toEqual(expect.arrayContaining(['2014-05-09']));
    } finally {
      jest.useRealTimers();
    }
  });
});
