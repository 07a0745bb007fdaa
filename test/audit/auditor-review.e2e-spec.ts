import Database from 'better-sqlite3';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { registeredRoutes } from '../../apps/api/src/bootstrap';
import { exportCommand } from '../../apps/cli/src/commands/export';
import { verifyCommand } from '../../apps/cli/src/commands/verify';
import { SqliteEventStore } from '../../libs/event-store/src/sqlite-event-store';
import { cliHarness } from '../helpers/cli-harness';
import { seedCounties, startTestApp, TestApp } from '../helpers/test-app';

/**
 * An auditor's adversarial review (README "Auditing", "A first call"). The auditor replays a small
 * ledger recorded on a SQLite file with a pinned clock — across a Norwegian midnight that is not a UTC
 * one, with a correction and a reversal recorded later — and asks what the ledger said at each
 * moment: at the instant a write was recorded, one millisecond before, by bare date, in other zones,
 * long before and far after. The live answers are captured as the ledger is written; every as-of
 * answer is compared with them and with figures worked out from the amounts sent. Then the log (who
 * recorded what, when; corrections linked to what they correct; paging and filters), the digest kept
 * at a moment and the offline export, tampering with the stored rows, and what an auditor may not do.
 */

type Auth = { Authorization: string };

interface Write {
  label: string;
  sub: string;
  role: string;
  idempotencyKey: string | null;
  correlationId: string | null;
  answer: { streamId: string; revision: number; position: number; eventIds: string[]; recordedAt: string };
}

/** What a read answered: status and body text (compared byte for byte). */
interface Answer {
  status: number;
  text: string;
}

/** The figures an auditor re-asks as of each moment: funding mix at three levels, key figures (JSON and both CSVs), cost-share compliance. */
const REPORTS = [
  '/centres/kc-skien/funding-mix/2013',
  '/counties/telemark/funding-mix/2013',
  '/funding-mix/2013',
  '/key-figures/2013',
  '/key-figures/2013?format=csv',
  '/reports/key-figures/2013/csv',
  '/reports/funding-mix/2013/csv?centre=kc-skien',
  '/owner-agreements/cost-share-compliance/2013',
  '/centres/kc-skien/owner-agreements/oa-1/cost-share-compliance/2013',
];

const GRANT = { fiscalYear: 2013, partyId: 'telemark-fk', decidedOn: '2012-12-12', reference: 'FT-sak 88/12' };
const ODD_SUB = 'auth0|5f7c8ec7c33c6c004bbafe82'; // an identity provider's subject as Auth0 writes it
const ODD_CORRELATION = 'batch/2014/06 #7';

/** Expected NOK amounts, from the amounts sent (øre, to avoid floating point). */
const NOK = (ore: number): string => `${Math.floor(ore / 100)}.${String(ore % 100).padStart(2, '0')}`;
const ORE = { fk: 236_300_000, nav: 132_500_000, ear: 73_100_000, oth: 10_000_000, fkCorrected: 240_000_000 };

describe('an auditor replays a SQLite ledger: as-of answers, the log, digests, the export, tampering, and what an auditor may not do', () => {
  const { out, run, freshLedger } = cliHarness('auditor-review-');
  let path: string;
  let t: TestApp;
  let now = Date.parse('2014-01-10T09:00:00.000Z');
  let auditor: Auth;
  const writes: Write[] = [];
  /** Live answers captured right after a write: instant → route → answer. */
  const captured = new Map<string, Map<string, Answer>>();
  /** Moments of the story (recorded times of writes) and the digest taken over HTTP at the first. */
  const moment: Record<string, string> = {};
  let digestAtA: { position: number; digest: string };

  const ask = async (url: string, auth: Auth = auditor): Promise<Answer> => {
    const res = await t.http().get(url).set(auth);
    return { status: res.status, text: res.text };
  };
  const json = async (url: string, auth: Auth = auditor): Promise<any> => {
    const res = await t.http().get(url).set(auth);
    if (res.status !== 200) throw new Error(`GET ${url} answered ${res.status}: ${res.text}`);
    return res.body;
  };
  const withQ = (url: string, q: string): string => `${url}${url.includes('?') ? '&' : '?'}${q}`;
  const asOf = (instant: string): string => `asOf=${encodeURIComponent(instant)}`;
  const shift = (iso: string, ms: number): string => new Date(Date.parse(iso) + ms).toISOString();

  const write = async (label: string, at: string, sub: string, counties: string[], url: string, body: object, headers: Record<string, string> = {}): Promise<Write> => {
    now = Date.parse(at);
    const res = await t.http().post(url).set(await t.auth('finance-officer', counties, sub)).set(headers).send(body);
    if (res.status !== 200 && res.status !== 201) throw new Error(`${label}: POST ${url} answered ${res.status}: ${res.text}`);
    const w: Write = { label, sub, role: 'finance-officer', idempotencyKey: headers['Idempotency-Key'] ?? null, correlationId: headers['X-Correlation-Id'] ?? null, answer: res.body };
    expect(res.body.recordedAt).toBe(at);
    writes.push(w);
    return w;
  };
  const capture = async (name: string, instant: string): Promise<void> => {
    moment[name] = instant;
    const answers = new Map<string, Answer>();
    for (const r of REPORTS) answers.set(r, await ask(r));
    captured.set(name, answers);
  };
  const byLabel = (label: string): Write => writes.find((w) => w.label === label)!;
  /** Positions of every event a write recorded (an append of n events ends at its answer's position). */
  const positionsOf = (w: Write): number[] => w.answer.eventIds.map((_, i) => w.answer.position - w.answer.eventIds.length + 1 + i);

  const telemarkMoney = (kf: any) => kf.counties.find((c: any) => c.countyId === 'telemark').money;

  beforeAll(async () => {
    path = freshLedger('ledger');
    t = await startTestApp({ store: new SqliteEventStore({ path, clock: () => new Date(now) }), env: { LEDGER_RATE_LIMIT_PER_MINUTE: '0' } });
    auditor = await t.auth('auditor', [], 'revisor');
    await seedCounties(t); // 19 events at 2014-01-10T09:00Z
    const fo = 'fo-telemark';
    const tm = ['telemark'];
    // Phase A, 15 January 2014 (winter: Oslo is UTC+1).
    await write('party fk', '2014-01-15T10:00:01.000Z', fo, tm, '/parties', { partyId: 'telemark-fk', name: 'Telemark fylkeskommune', kind: 'county-authority', countyId: 'telemark' });
    await write('party nav', '2014-01-15T10:00:02.000Z', fo, tm, '/parties', { partyId: 'nav-telemark', name: 'NAV Telemark', kind: 'nav-county-office', countyId: 'telemark' });
    await write('centre', '2014-01-15T10:00:03.000Z', fo, tm, '/centres', { centreId: 'kc-skien', countyId: 'telemark', name: 'Karrieresenter Skien', municipality: 'Skien', openedOn: '2009-01-01' });
    await write('drift fk', '2014-01-15T10:00:04.000Z', fo, tm, '/centres/kc-skien/funding/operating-grants', { ...GRANT, entryId: 'tm-fk', amount: NOK(ORE.fk) }, { 'Idempotency-Key': 'drift-fk-2013', 'X-Correlation-Id': 'FT-sak-88-12' });
    await write('drift nav', '2014-01-15T10:00:05.000Z', fo, tm, '/centres/kc-skien/funding/operating-grants', { ...GRANT, entryId: 'tm-nav', partyId: 'nav-telemark', amount: NOK(ORE.nav) });
    await write('earmarked', '2014-01-15T10:00:06.000Z', fo, tm, '/centres/kc-skien/funding/earmarked-funds', { ...GRANT, entryId: 'tm-ear', amount: NOK(ORE.ear), purpose: 'Prosjekt', period: { from: '2013-01-01', to: '2013-12-31' } });
    await write('owner agreement', '2014-01-15T10:00:07.000Z', fo, tm, '/centres/kc-skien/owner-agreements', { agreementId: 'oa-1', parties: [{ partyId: 'telemark-fk', shareBp: 5000 }, { partyId: 'nav-telemark', shareBp: 5000 }], period: { from: '2009-01-01' }, signedOn: '2009-01-01' });
    await capture('A', '2014-01-15T10:00:07.000Z');
    digestAtA = await json('/audit/digest');
    // 23:30 on 20 January in Norway (22:30Z).
    await write('other income', '2014-01-20T22:30:00.000Z', fo, tm, '/centres/kc-skien/funding/other-income', { ...GRANT, entryId: 'tm-oth', amount: NOK(ORE.oth), incomeKind: 'course-fees' });
    await capture('late', '2014-01-20T22:30:00.000Z');
    // 00:30 on 21 January in Norway — still 20 January in UTC (23:30Z).
    await write('correction', '2014-01-20T23:30:00.000Z', fo, tm, '/centres/kc-skien/funding/entries/tm-fk/correction', { reason: 'Feil beløp i vedtaket', amount: NOK(ORE.fkCorrected) }, { 'X-Correlation-Id': 'korr-1', 'Idempotency-Key': 'korr-tm-fk-2013' });
    await capture('corr', '2014-01-20T23:30:00.000Z');
    // Summer (Oslo UTC+2): a reversal by another finance officer, whose subject and correlation id hold | / # and a space.
    await write('reversal', '2014-06-01T10:00:00.000Z', ODD_SUB, tm, '/centres/kc-skien/funding/entries/tm-ear/reversal', { reason: 'Feilført' }, { 'X-Correlation-Id': ODD_CORRELATION });
    await capture('rev', '2014-06-01T10:00:00.000Z');
    await write('future rename', '2014-06-02T10:00:00.000Z', fo, tm, '/centres/kc-skien/rename', { name: 'Karrieresenter Grenland', effectiveFrom: '2090-01-01' });
    now = Date.parse('2014-09-01T12:00:00.000Z');
  });
  afterAll(() => t?.close());

  // ---------------------------------------------------------------------------------------------
  // As of a recorded time
  // ---------------------------------------------------------------------------------------------

  it('the figures as of each moment a write was recorded equal, byte for byte, what the live routes answered right after it', async () => {
    const diffs: string[] = [];
    for (const [name, answers] of captured) {
      for (const [route, then] of answers) {
        const now2 = await ask(withQ(route, asOf(moment[name])));
        if (now2.status !== then.status || now2.text !== then.text) diffs.push(`${name} ${route}: live ${then.status} ${then.text.slice(0, 120)} | as of ${now2.status} ${now2.text.slice(0, 120)}`);
      }
    }
    expect(diffs).toEqual([]);
    // Not vacuous: the head differs from the first capture on every money route.
    expect((await ask('/centres/kc-skien/funding-mix/2013')).text).not.toBe(captured.get('A')!.get('/centres/kc-skien/funding-mix/2013')!.text);
  });

  it('the captured and as-of figures are the sums of the amounts sent, at each moment', async () => {
    const expected: Record<string, { total: number; fk: number; nav: number; operatingFk: number; earmarked: number | null; other: number | null }> = {
      A: { total: ORE.fk + ORE.nav + ORE.ear, fk: ORE.fk + ORE.ear, nav: ORE.nav, operatingFk: ORE.fk, earmarked: ORE.ear, other: null },
      late: { total: ORE.fk + ORE.nav + ORE.ear + ORE.oth, fk: ORE.fk + ORE.ear + ORE.oth, nav: ORE.nav, operatingFk: ORE.fk, earmarked: ORE.ear, other: ORE.oth },
      corr: { total: ORE.fkCorrected + ORE.nav + ORE.ear + ORE.oth, fk: ORE.fkCorrected + ORE.ear + ORE.oth, nav: ORE.nav, operatingFk: ORE.fkCorrected, earmarked: ORE.ear, other: ORE.oth },
      rev: { total: ORE.fkCorrected + ORE.nav + ORE.oth, fk: ORE.fkCorrected + ORE.oth, nav: ORE.nav, operatingFk: ORE.fkCorrected, earmarked: null, other: ORE.oth },
    };
    for (const [name, e] of Object.entries(expected)) {
      const q = asOf(moment[name]);
      const mix = await json(`/centres/kc-skien/funding-mix/2013?${q}`);
      const party = (id: string) => mix.byParty.find((p: any) => p.partyId === id)?.amount;
      expect([name, mix.total.amount, party('telemark-fk'), party('nav-telemark')]).toEqual([name, NOK(e.total), NOK(e.fk), NOK(e.nav)]);
      expect([name, JSON.parse(captured.get(name)!.get('/centres/kc-skien/funding-mix/2013')!.text).total.amount]).toEqual([name, NOK(e.total)]);
      const money = telemarkMoney(await json(`/key-figures/2013?${q}`));
      expect([name, money['operatingGrant.countyAuthority'].amount, money['earmarked.countyAuthority'].amount, money.otherIncome.amount]).toEqual([
        name,
        NOK(e.operatingFk),
        e.earmarked === null ? null : NOK(e.earmarked),
        e.other === null ? null : NOK(e.other),
      ]);
      const [oa] = await json(`/owner-agreements/cost-share-compliance/2013?${q}`);
      expect([name, oa.ownersActualTotal, oa.parties.map((p: any) => [p.partyId, p.agreedSharePercent, p.actual])]).toEqual([
        name,
        NOK(e.total),
        [
          ['telemark-fk', '50.0', NOK(e.fk)],
          ['nav-telemark', '50.0', NOK(e.nav)],
        ],
      ]);
    }
  });

  it('asOf = the instant the correction was recorded shows both of its events; one millisecond before, neither (the original amount)', async () => {
    const corr = byLabel('correction');
    const at = corr.answer.recordedAt;
    const before = shift(at, -1);
    expect(telemarkMoney(await json(`/key-figures/2013?${asOf(at)}`))['operatingGrant.countyAuthority'].amount).toBe(NOK(ORE.fkCorrected));
    expect(telemarkMoney(await json(`/key-figures/2013?${asOf(before)}`))['operatingGrant.countyAuthority'].amount).toBe(NOK(ORE.fk));
    const pAt = await json(`/audit/position-at?${asOf(at)}`);
    expect([pAt.position, pAt.lastEvent.eventId, pAt.lastEvent.recordedAt]).toEqual([corr.answer.position, corr.answer.eventIds[1], at]);
    expect((await json(`/audit/position-at?${asOf(before)}`)).position).toBe(byLabel('other income').answer.position);
    // The correction's events, one by one: readable as of its instant, 404 a millisecond before.
    for (const id of corr.answer.eventIds) {
      expect((await ask(`/audit/events/${id}?${asOf(at)}`)).status).toBe(200);
      const gone = await t.http().get(`/audit/events/${id}?${asOf(before)}`).set(auditor);
      expect([gone.status, gone.body.code]).toEqual([404, 'EVENT.NOT_FOUND']);
    }
  });

  it('a bare date is the end of that day in Norway: 2014-01-20 holds the 23:30 entry but not the correction made at 00:30 on the 21st, though both are 20 January in UTC', async () => {
    const late = byLabel('other income');
    const corr = byLabel('correction');
    expect((await json('/audit/position-at?asOf=2014-01-20')).position).toBe(late.answer.position);
    expect((await json(`/audit/position-at?${asOf('2014-01-20T23:59:59.999Z')}`)).position).toBe(corr.answer.position);
    expect((await json('/audit/position-at?asOf=2014-01-21')).position).toBe(corr.answer.position);
    const mixOnThe20th = await ask('/centres/kc-skien/funding-mix/2013?asOf=2014-01-20');
    expect(mixOnThe20th).toEqual(captured.get('late')!.get('/centres/kc-skien/funding-mix/2013'));
    expect(JSON.parse(mixOnThe20th.text).total.amount).toBe(NOK(ORE.fk + ORE.nav + ORE.ear + ORE.oth));
    expect(await ask('/reports/key-figures/2013/csv?asOf=2014-01-21')).toEqual(captured.get('corr')!.get('/reports/key-figures/2013/csv'));
  });

  it('the same instant written in other zones names the same moment (Oslo +01:00, New York -05:00, Kiribati +14:00, India +0530)', async () => {
    const corr = byLabel('correction').answer; // 2014-01-20T23:30:00.000Z
    const same = ['2014-01-21T00:30:00+01:00', '2014-01-20T18:30:00-05:00', '2014-01-21T13:30:00.000+14:00', '2014-01-21T05:00:00+0530'];
    const justBefore = ['2014-01-21T00:29:59.999+01:00', '2014-01-20T18:29:59.999-05:00'];
    const expected = captured.get('corr')!.get('/key-figures/2013')!;
    for (const instant of same) {
      expect([instant, (await json(`/audit/position-at?${asOf(instant)}`)).position]).toEqual([instant, corr.position]);
      expect([instant, await ask(`/key-figures/2013?${asOf(instant)}`)]).toEqual([instant, expected]);
    }
    for (const instant of justBefore) expect([instant, (await json(`/audit/position-at?${asOf(instant)}`)).position]).toEqual([instant, byLabel('other income').answer.position]);
  });

  it('recorded time, not business dates: money decided in 2012 for 2013 is not there as of the end of 2013, nor the day before it was recorded', async () => {
    for (const instant of ['2013-12-31', '2014-01-14', '2014-01-15T10:00:02.999Z']) {
      const q = asOf(instant);
      const centre = await t.http().get(`/centres/kc-skien?${q}`).set(auditor);
      expect([instant, centre.status, centre.body.code]).toEqual([instant, 404, 'CENTRE.NOT_FOUND']);
      const kf = await json(`/key-figures/2013?${q}`);
      expect([instant, kf.counties]).toEqual([instant, []]);
      const mix = await json(`/funding-mix/2013?${q}`);
      expect([instant, mix.total.amountOre, mix.byParty]).toEqual([instant, 0, []]);
      expect([instant, await json(`/owner-agreements/cost-share-compliance/2013?${q}`)]).toEqual([instant, []]);
    }
    // Counties were seeded on 10 January: there on the 14th, not on the 9th.
    expect((await json('/counties?asOf=2014-01-14')).length).toBe(19);
    expect(await json('/counties?asOf=2014-01-09')).toEqual([]);
  });

  it('far past: 1970 answers an empty ledger (position 0, no last event); a year before 1970 is 400 REQUEST.BAD_AS_OF', async () => {
    expect(await json('/audit/position-at?asOf=1970-01-01')).toEqual({ asOf: '1970-01-01T22:59:59.999Z', position: 0, lastEvent: null });
    expect(await json('/counties?asOf=1970-01-01T00:00:00Z')).toEqual([]);
    expect((await json('/key-figures/2013?asOf=1970-01-01')).counties).toEqual([]);
    for (const bad of ['1969-12-31T23:59:59Z', '0014-01-20', '1900-01-01']) {
      for (const route of ['/counties', '/key-figures/2013', '/audit/position-at', '/audit/streams/centre-kc-skien']) {
        const res = await t.http().get(`${route}?${asOf(bad)}`).set(auditor);
        expect([route, bad, res.status, res.body.code]).toEqual([route, bad, 400, 'REQUEST.BAD_AS_OF']);
      }
    }
  });

  it('the future: an asOf after the last event answers the head; "today" is capped at the real today, so a rename from 2090 is not in force as of 2095', async () => {
    const head = await t.store.headPosition();
    for (const instant of ['2099-12-31', '9999-12-31', '2095-06-01T12:00:00+02:00']) {
      expect([instant, (await json(`/audit/position-at?${asOf(instant)}`)).position]).toEqual([instant, head]);
      for (const route of ['/centres/kc-skien/funding-mix/2013', '/key-figures/2013', '/owner-agreements/cost-share-compliance/2013']) {
        expect([instant, route, await ask(withQ(route, asOf(instant)))]).toEqual([instant, route, await ask(route)]);
      }
    }
    const centreNow = await json('/centres/kc-skien');
    const centre2095 = await json('/centres/kc-skien?asOf=2095-01-01');
    expect(centre2095).toEqual(centreNow);
    expect(centre2095.name).toBe('Karrieresenter Skien');
    expect(centre2095.upcomingRename).toMatchObject({ name: 'Karrieresenter Grenland', effectiveFrom: '2090-01-01' });
    // Before the rename was recorded, none was coming.
    expect((await json(`/centres/kc-skien?${asOf(byLabel('reversal').answer.recordedAt)}`)).upcomingRename).toBeNull();
  });

  it('a malformed asOf on the report and audit routes is 400 REQUEST.BAD_AS_OF in the one error shape, never answered', async () => {
    const BAD = ['', '09.05.2014', '2014-5-9', '2014-02-29', '2014-05-09T23:59:60Z', '2014-05-09T10:00:00', '2014-05-09 10:00:00Z', '2014-05-09t10:00:00z', '2014-05-09T10:00:00+24:00', '1399586400', '2014-W19-5', 'today', '2014-05-09T10:00:00Z/2014-05-10'];
    const ROUTES = ['/key-figures/2013', '/funding-mix/2013', '/owner-agreements/cost-share-compliance/2013', '/reports/key-figures/2013/csv', '/reports/2013/xlsx', '/audit/streams/centre-kc-skien', `/audit/events/${byLabel('centre').answer.eventIds[0]}`, '/audit/position-at'];
    const wrong: string[] = [];
    for (const bad of BAD) {
      for (const route of ROUTES) {
        const res = await t.http().get(`${route}?asOf=${encodeURIComponent(bad)}`).set(auditor);
        // The message repeats what was read (quoted), so the reader sees the typo.
        const ok = res.status === 400 && res.body.code === 'REQUEST.BAD_AS_OF' && res.body.statusCode === 400 && typeof res.body.message === 'string' && res.body.message.includes(JSON.stringify(bad)) && 'details' in res.body;
        if (!ok) wrong.push(`${route} asOf=${JSON.stringify(bad)} → ${res.status} ${res.text.slice(0, 100)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('position-at without asOf is 400 REQUEST.BAD_AS_OF (as every other missing or malformed cut) saying asOf is required and what it takes, nothing answered', async () => {
    const res = await t.http().get('/audit/position-at').set(auditor);
    expect([res.status, res.body.code, res.body.details.parameter]).toEqual([400, 'REQUEST.BAD_AS_OF', 'asOf']);
    expect(res.body.message).toContain('asOf is required');
  });

  it('a malformed from or to of the log is 400 REQUEST.BAD_AS_OF naming the parameter, as README says, not VALIDATION.FAILED', async () => {
    const wrong: string[] = [];
    for (const [param, bad] of [
      ['from', 'yesterday'],
      ['from', '09.05.2014'],
      ['from', '2014-05-09T10:00:00'],
      ['from', '2014-13-01'],
      ['to', 'today'],
      ['to', '2014-05-09T10:00:00'],
      ['to', '2014-02-30'],
      ['to', '1969-12-31'],
    ]) {
      const res = await t.http().get(`/audit/events?${param}=${encodeURIComponent(bad)}`).set(auditor);
      const shown = bad.startsWith('1969') || res.body.message.includes(JSON.stringify(bad));
      if (res.status !== 400 || res.body.code !== 'REQUEST.BAD_AS_OF' || !new RegExp(`\\b${param}\\b`).test(res.body.message) || !shown) wrong.push(`${param}=${bad} → ${res.status} ${res.body.code}: ${res.body.message}`);
    }
    const twice = await t.http().get('/audit/events?from=2014-01-15&from=2014-01-16').set(auditor);
    if (twice.status !== 400 || twice.body.code !== 'REQUEST.BAD_AS_OF' || !twice.body.message.includes('given more than once')) wrong.push(`from twice → ${twice.status} ${twice.body.code}`);
    expect(wrong).toEqual([]);
  });

  it('from=D&to=D is the Norwegian day D: the 20th holds the 23:30 entry, the 21st the correction made at 00:30 (both events)', async () => {
    const positions = async (qs: string) => (await json(`/audit/events?${qs}`)).events.map((e: any) => e.position);
    expect(await positions('from=2014-01-20&to=2014-01-20')).toEqual(positionsOf(byLabel('other income')));
    expect(await positions('from=2014-01-21&to=2014-01-21')).toEqual(positionsOf(byLabel('correction')));
    // An instant range ending one millisecond before the correction, and one starting at it.
    const at = byLabel('correction').answer.recordedAt;
    expect(await positions(`from=2014-01-20&to=${encodeURIComponent(shift(at, -1))}`)).toEqual(positionsOf(byLabel('other income')));
    expect(await positions(`from=${encodeURIComponent(at)}&to=2014-01-31`)).toEqual(positionsOf(byLabel('correction')));
    // Phase A's day in Norway, without the counties seeded on the 10th.
    expect(await positions('from=2014-01-15&to=2014-01-15')).toEqual(writes.filter((w) => w.answer.recordedAt.startsWith('2014-01-15')).flatMap(positionsOf));
  });

  // ---------------------------------------------------------------------------------------------
  // The log: who recorded what, when; corrections linked; paging and filters
  // ---------------------------------------------------------------------------------------------

  it('every event shows who recorded it, in which role, when, where, and under which key and correlation id — as the write said', async () => {
    const wrong: string[] = [];
    for (const w of writes) {
      for (const [i, id] of w.answer.eventIds.entries()) {
        const e = await json(`/audit/events/${id}`);
        const want = {
          eventId: id,
          streamId: w.answer.streamId,
          revision: w.answer.revision - w.answer.eventIds.length + 1 + i,
          position: positionsOf(w)[i],
          recordedAt: w.answer.recordedAt,
          actorId: w.sub,
          actorRole: w.role,
          idempotencyKey: w.idempotencyKey,
          ...(w.correlationId ? { correlationId: w.correlationId } : {}),
        };
        const got = {
          eventId: e.eventId,
          streamId: e.streamId,
          revision: e.revision,
          position: e.position,
          recordedAt: e.recordedAt,
          actorId: e.metadata.actorId,
          actorRole: e.metadata.actorRole,
          idempotencyKey: e.metadata.idempotencyKey,
          ...(w.correlationId ? { correlationId: e.metadata.correlationId } : {}),
        };
        if (JSON.stringify(got) !== JSON.stringify(want)) wrong.push(`${w.label}: ${JSON.stringify(got)} ≠ ${JSON.stringify(want)}`);
      }
    }
    expect(wrong).toEqual([]);
    // The amounts stored are the amounts sent.
    expect((await json(`/audit/events/${byLabel('drift fk').answer.eventIds[0]}`)).data).toMatchObject({ entryId: 'tm-fk', amountOre: ORE.fk, fiscalYear: 2013, decidedOn: '2012-12-12' });
  });

  it('a correction is a reversal and a new entry in one append, linked both ways to the entry it corrects; a reversal names the entry it reverses', async () => {
    const corr = byLabel('correction');
    const [reversal, replacement] = await Promise.all(corr.answer.eventIds.map((id) => json(`/audit/events/${id}`)));
    expect([reversal.type, reversal.data.reversedEntryId, reversal.data.correctedByEntryId, reversal.data.reason, reversal.data.amountOre]).toEqual(['EntryReversed', 'tm-fk', 'tm-fk.c1', 'Feil beløp i vedtaket', ORE.fk]);
    expect([replacement.type, replacement.data.entryId, replacement.data.correctsEntryId, replacement.data.amountOre]).toEqual(['OperatingGrantRecorded', 'tm-fk.c1', 'tm-fk', ORE.fkCorrected]);
    expect([reversal.recordedAt, reversal.metadata.correlationId]).toEqual([replacement.recordedAt, replacement.metadata.correlationId]);
    // The original entry's stream, read as the auditor reads streams: recorded → reversed → replaced, chained by hash.
    const stream = await json('/audit/streams/funding-entry-tm-fk');
    expect(stream.events.map((e: any) => [e.revision, e.type, e.position])).toEqual([
      [0, 'OperatingGrantRecorded', byLabel('drift fk').answer.position],
      [1, 'EntryReversed', positionsOf(corr)[0]],
      [2, 'OperatingGrantRecorded', positionsOf(corr)[1]],
    ]);
    expect(stream.events.slice(1).map((e: any) => e.prevHash)).toEqual(stream.events.slice(0, -1).map((e: any) => e.hash));
    const [rev] = (await json('/audit/events?type=EntryReversed&stream=funding-entry-tm-ear')).events;
    expect([rev.eventId, rev.data.reversedEntryId, rev.data.correctedByEntryId, rev.data.amountOre, rev.metadata.actorId]).toEqual([byLabel('reversal').answer.eventIds[0], 'tm-ear', null, ORE.ear, ODD_SUB]);
    // Both reversals, in position order, and only them.
    expect((await json('/audit/events?type=EntryReversed')).events.map((e: any) => e.data.reversedEntryId)).toEqual(['tm-fk', 'tm-ear']);
  });

  it('every recorded actor and correlation id can be filtered on (an Auth0 subject with |, a correlation id with / # and a space)', async () => {
    const byActor = await t.http().get(`/audit/events?actor=${encodeURIComponent(ODD_SUB)}`).set(auditor);
    expect([byActor.status, byActor.body.events?.map((e: any) => e.eventId)]).toEqual([200, byLabel('reversal').answer.eventIds]);
    const byCorr = await t.http().get(`/audit/events?correlation=${encodeURIComponent(ODD_CORRELATION)}`).set(auditor);
    expect([byCorr.status, byCorr.body.events?.map((e: any) => e.eventId)]).toEqual([200, byLabel('reversal').answer.eventIds]);
    expect((await json('/audit/events?correlation=korr-1')).events.map((e: any) => e.eventId)).toEqual(byLabel('correction').answer.eventIds);
    expect((await json('/audit/events?correlation=FT-sak-88-12')).events.map((e: any) => e.eventId)).toEqual(byLabel('drift fk').answer.eventIds);
    // A control character is still refused (a filter is one line of text).
    expect((await t.http().get(`/audit/events?actor=${encodeURIComponent('a\nb')}`).set(auditor)).status).toBe(400);
  });

  it('paging the log with any page size walks the same events in position order, filtered or not, and the same question twice gives the same bytes', async () => {
    const head = await t.store.headPosition();
    const walk = async (qs: string, limit: number): Promise<number[]> => {
      const seen: number[] = [];
      let after = 0;
      for (let guard = 0; guard < 500; guard++) {
        const page = await json(`/audit/events?${qs}after=${after}&limit=${limit}`);
        expect(page.events.length).toBeLessThanOrEqual(limit);
        seen.push(...page.events.map((e: any) => e.position));
        if (page.nextAfter === null) return seen;
        expect(page.nextAfter).toBeGreaterThan(after);
        after = page.nextAfter;
      }
      throw new Error('no end');
    };
    const all = Array.from({ length: head }, (_, i) => i + 1);
    for (const limit of [1, 2, 7, 500]) expect([limit, await walk('', limit)]).toEqual([limit, all]);
    const foPositions = writes.filter((w) => w.role === 'finance-officer').flatMap(positionsOf);
    for (const limit of [1, 3]) expect([limit, await walk('role=finance-officer&', limit)]).toEqual([limit, foPositions]);
    expect(await walk('actor=fo-telemark&stream=funding-entry-&', 2)).toEqual(['drift fk', 'drift nav', 'earmarked', 'other income', 'correction'].flatMap((l) => positionsOf(byLabel(l))));
    expect(await walk('role=admin&', 5)).toEqual(Array.from({ length: 19 }, (_, i) => i + 1));
    const a = await ask('/audit/events?county=telemark&limit=4&after=3');
    const b = await ask('/audit/events?county=telemark&limit=4&after=3');
    expect(a.status).toBe(200);
    expect(b.text).toBe(a.text);
  });

  it('a stream as of a moment holds only the revisions recorded by then, paged with nextRevision inside that cut', async () => {
    const corr = byLabel('correction').answer;
    const before = await json(`/audit/streams/funding-entry-tm-fk?${asOf(shift(corr.recordedAt, -1))}`);
    expect([before.events.map((e: any) => e.revision), before.nextRevision]).toEqual([[0], null]);
    const at = await json(`/audit/streams/funding-entry-tm-fk?${asOf(corr.recordedAt)}&limit=2`);
    expect([at.events.map((e: any) => e.revision), at.nextRevision]).toEqual([[0, 1], 2]);
    const rest = await json(`/audit/streams/funding-entry-tm-fk?${asOf(corr.recordedAt)}&fromRevision=2`);
    expect([rest.events.map((e: any) => e.revision), rest.nextRevision]).toEqual([[2], null]);
    const earBeforeReversal = await json(`/audit/streams/funding-entry-tm-ear?${asOf(moment.corr)}&limit=1`);
    expect([earBeforeReversal.events.map((e: any) => e.type), earBeforeReversal.nextRevision]).toEqual([['EarmarkedFundsRecorded'], null]);
  });

  it('a stream that does not exist, or did not yet, is 404 STREAM.NOT_FOUND whatever fromRevision is asked', async () => {
    const cases = [
      '/audit/streams/funding-entry-no-such',
      '/audit/streams/funding-entry-no-such?fromRevision=1',
      '/audit/streams/funding-entry-tm-oth?asOf=2014-01-15',
      '/audit/streams/funding-entry-tm-oth?asOf=2014-01-15&fromRevision=1',
      '/audit/streams/centre-kc-skien?asOf=2014-01-14&fromRevision=3',
    ];
    const wrong: string[] = [];
    for (const url of cases) {
      const res = await t.http().get(url).set(auditor);
      if (res.status !== 404 || res.body.code !== 'STREAM.NOT_FOUND') wrong.push(`${url} → ${res.status} ${res.text.slice(0, 100)}`);
    }
    expect(wrong).toEqual([]);
    // A stream that exists, asked past its end: an empty page, not a 404.
    expect(await json('/audit/streams/centre-kc-skien?fromRevision=5')).toEqual({ streamId: 'centre-kc-skien', events: [], nextRevision: null });
  });

  // ---------------------------------------------------------------------------------------------
  // Digests and the offline export
  // ---------------------------------------------------------------------------------------------

  it('the digest an auditor took at moment A still verifies after every later write, and position-at(A) names its position', async () => {
    expect(digestAtA.position).toBe(byLabel('owner agreement').answer.position);
    expect((await json(`/audit/position-at?${asOf(moment.A)}`)).position).toBe(digestAtA.position);
    expect((await json(`/audit/digest?position=${digestAtA.position}`)).digest).toBe(digestAtA.digest);
    const v = await json(`/audit/verify?digest=${digestAtA.digest}&position=${digestAtA.position}`);
    expect(v).toMatchObject({ ok: true, brokenStreams: [], logProblems: [], digest: { position: digestAtA.position, expected: digestAtA.digest, matches: true } });
    // The digest at A is not the head's (later writes changed heads), and a digest of one position later is not A's.
    expect((await json('/audit/digest')).digest).not.toBe(digestAtA.digest);
    expect((await json(`/audit/verify?digest=${digestAtA.digest}&position=${digestAtA.position + 1}`)).digest.matches).toBe(false);
  });

  it('export --up-to A then verify --from-export with the digest kept at A: the same events the log listed, in order, and OK', async () => {
    const dir = join(path, '..', 'export-at-A');
    expect(await run(exportCommand, ['export', '--to', dir, '--up-to', String(digestAtA.position)])).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'digest.json'), 'utf8'))).toMatchObject({ position: digestAtA.position, digest: digestAtA.digest });
    const lines = readFileSync(join(dir, 'events.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const listed = (await json(`/audit/events?limit=500&to=${encodeURIComponent(moment.A)}`)).events;
    expect(lines.map((e) => [e.position, e.eventId, e.hash])).toEqual(listed.map((e: any) => [e.position, e.eventId, e.hash]));
    expect(await run(verifyCommand, ['verify', '--from-export', dir, '--digest', digestAtA.digest, '--position', String(digestAtA.position), '--json'])).toBe(0);
    expect(JSON.parse(out.join('\n'))).toMatchObject({ ok: true, digest: { matches: true } });
    // The whole ledger: its export verifies against the digest the server gives at the head.
    const head = await json('/audit/digest');
    const full = join(path, '..', 'export-head');
    expect(await run(exportCommand, ['export', '--to', full])).toBe(0);
    expect(await run(verifyCommand, ['verify', '--from-export', full, '--digest', head.digest, '--position', String(head.position)])).toBe(0);
  });

  it('an export edited to undo the correction (amount put back, or both of its lines removed) fails verify against the digest kept, naming the correction', async () => {
    const head = await json('/audit/digest');
    const dir = join(path, '..', 'export-edited');
    expect(await run(exportCommand, ['export', '--to', dir])).toBe(0);
    const file = join(dir, 'events.jsonl');
    const original = readFileSync(file, 'utf8');
    const [revPos, newPos] = positionsOf(byLabel('correction'));
    const verifyJson = async () => {
      const code = await run(verifyCommand, ['verify', '--from-export', dir, '--digest', head.digest, '--position', String(head.position), '--json']);
      return { code, report: JSON.parse(out.join('\n')) };
    };
    const edit = (f: (lines: string[]) => string[]) => writeFileSync(file, `${f(original.trim().split('\n')).join('\n')}\n`);
    edit((lines) => lines.map((l) => (JSON.parse(l).position === newPos ? l.replace(`"amountOre":${ORE.fkCorrected}`, `"amountOre":${ORE.fk}`) : l)));
    const amount = await verifyJson();
    expect([amount.code, amount.report.ok, amount.report.firstBadPosition]).toEqual([1, false, newPos]);
    edit((lines) => lines.filter((l) => ![revPos, newPos].includes(JSON.parse(l).position)));
    const removed = await verifyJson();
    expect([removed.code, removed.report.ok, removed.report.firstBadPosition]).toEqual([1, false, revPos]);
    writeFileSync(file, original);
    expect((await verifyJson()).code).toBe(0);
  });

  // ---------------------------------------------------------------------------------------------
  // Tampering with the stored rows
  // ---------------------------------------------------------------------------------------------

  it('an amount altered in the stored row, or forged by a key written twice, is named by GET /audit/verify and `ledger verify` at its position; restored, both are OK', async () => {
    const pos = byLabel('drift nav').answer.position;
    const db = new Database(path);
    const row = db.prepare('SELECT data FROM events WHERE position = ?').get(pos) as { data: string };
    db.close();
    const setData = (data: string) => {
      const w = new Database(path);
      w.prepare('UPDATE events SET data = ? WHERE position = ?').run(data, pos);
      w.close();
    };
    const forged = [
      ['amount changed', row.data.replace(`"amountOre":${ORE.nav}`, `"amountOre":${ORE.nav * 10}`)],
      ['key written twice (JSON.parse keeps the real last one)', row.data.replace(/^\{/, `{"amountOre":${ORE.nav * 10},`)],
    ];
    try {
      for (const [what, data] of forged) {
        expect(data).not.toBe(row.data);
        setData(data);
        const http = await json('/audit/verify');
        expect([what, http.ok, http.firstBadPosition]).toEqual([what, false, pos]);
        expect(http.brokenStreams).toEqual([expect.objectContaining({ streamId: 'funding-entry-tm-nav', revision: 0, position: pos })]);
        const code = await run(verifyCommand, ['verify', '--json']);
        expect([what, code, JSON.parse(out.join('\n')).firstBadPosition]).toEqual([what, 1, pos]);
        setData(row.data);
      }
    } finally {
      setData(row.data);
    }
    expect((await json('/audit/verify')).ok).toBe(true);
    expect(await run(verifyCommand, ['verify'])).toBe(0);
  });

  it('a correction deleted from the stored rows (the original amount standing again) is found: by the digest kept, and by the receipts', async () => {
    const head = await json('/audit/digest');
    const [revPos, newPos] = positionsOf(byLabel('correction'));
    const db = new Database(path);
    const rows = db.prepare('SELECT * FROM events WHERE position IN (?, ?) ORDER BY position').all(revPos, newPos) as Record<string, unknown>[];
    db.close();
    const tamper = new Database(path);
    tamper.prepare('DELETE FROM events WHERE position IN (?, ?)').run(revPos, newPos);
    tamper.close();
    try {
      const withDigest = await json(`/audit/verify?digest=${head.digest}&position=${head.position}`);
      expect([withDigest.ok, withDigest.firstBadPosition]).toEqual([false, revPos]);
      expect(await run(verifyCommand, ['verify', '--digest', head.digest, '--position', String(head.position)])).toBe(1);
      // Without a digest: the receipt of the correction's Idempotency-Key names events that are gone.
      expect(await run(verifyCommand, ['verify', '--json'])).toBe(1);
      expect(JSON.parse(out.join('\n')).logProblems).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'idempotency-mismatch', key: 'korr-tm-fk-2013', actorId: 'fo-telemark' })]));
    } finally {
      const w = new Database(path);
      const cols = Object.keys(rows[0]);
      const ins = w.prepare(`INSERT INTO events (${cols.join(', ')}) VALUES (${cols.map((c) => `@${c}`).join(', ')})`);
      for (const r of rows) ins.run(r);
      w.close();
    }
    expect((await json(`/audit/verify?digest=${head.digest}&position=${head.position}`)).ok).toBe(true);
  });

  // ---------------------------------------------------------------------------------------------
  // What an auditor may not do
  // ---------------------------------------------------------------------------------------------

  it('an auditor (even with counties in the token) can use no write route: 403 ACCESS.ROLE_NOT_ALLOWED everywhere, nothing recorded, the digest unchanged', async () => {
    const headBefore = await t.store.headPosition();
    const digestBefore = (await json('/audit/digest')).digest;
    const au = await t.auth('auditor', ['telemark'], 'revisor-tm');
    const ids: Record<string, string> = { centreId: 'kc-skien', countyId: 'telemark', entryId: 'tm-nav', partyId: 'telemark-fk', agreementId: 'oa-1', year: '2015' };
    const writeRoutes = registeredRoutes(t.app).filter((r) => !['GET', 'HEAD', 'OPTIONS'].includes(r.method));
    expect(writeRoutes.length).toBeGreaterThan(20);
    const wrong: string[] = [];
    for (const r of writeRoutes) {
      const url = r.url.replace(/:([A-Za-z]+)/g, (_, name: string) => ids[name] ?? `x-${name}`);
      const res = await t.http()[r.method.toLowerCase() as 'post'](url).set(au).set('Idempotency-Key', `auditor-${url}`).send({ centreId: 'kc-revisor', countyId: 'telemark', name: 'Revisorens senter', municipality: 'Skien', openedOn: '2014-01-01', amount: '1.00', reason: 'revisjon' });
      if (res.status !== 403 || res.body.code !== 'ACCESS.ROLE_NOT_ALLOWED') wrong.push(`${r.method} ${url} → ${res.status} ${res.body.code}`);
    }
    expect(wrong).toEqual([]);
    expect(await t.store.headPosition()).toBe(headBefore);
    expect((await json('/audit/digest')).digest).toBe(digestBefore);
    // The idempotency receipts were not touched either: `ledger verify` cross-checks them with the log.
    expect(await run(verifyCommand, ['verify'])).toBe(0);
  });

  it('the audit routes take no other method (405, nothing recorded), and a write can never be sent "as of" a past time', async () => {
    const headBefore = await t.store.headPosition();
    const id = byLabel('drift fk').answer.eventIds[0];
    for (const [method, url] of [
      ['delete', `/audit/events/${id}`],
      ['put', `/audit/events/${id}`],
      ['patch', '/audit/streams/funding-entry-tm-fk'],
      ['post', '/audit/verify'],
      ['post', '/audit/events'],
    ] as const) {
      const res = await t.http()[method](url).set(auditor).send({ data: { amountOre: 1 } });
      expect([method, url, res.status, res.body.code]).toEqual([method, url, 405, 'ROUTE.METHOD_NOT_ALLOWED']);
    }
    const backdated = { ...GRANT, entryId: 'tm-back', amount: '1.00' };
    const asAuditor = await t.http().post(`/centres/kc-skien/funding/operating-grants?${asOf('2014-01-15')}`).set(auditor).send(backdated);
    expect([asAuditor.status, asAuditor.body.code]).toEqual([403, 'ACCESS.ROLE_NOT_ALLOWED']);
    const asOfficer = await t.http().post(`/centres/kc-skien/funding/operating-grants?${asOf('2014-01-15')}`).set(await t.auth('finance-officer', ['telemark'], 'fo-telemark')).send(backdated);
    expect([asOfficer.status, asOfficer.body.code]).toEqual([400, 'REQUEST.UNKNOWN_QUERY']);
    expect(await t.store.headPosition()).toBe(headBefore);
  });

  it('an auditor\'s reading records nothing: a tour of every audit route and the as-of reports leaves the head and its digest as they were', async () => {
    const headBefore = await t.store.headPosition();
    const digestBefore = (await json('/audit/digest')).digest;
    const tour = ['/audit/events?limit=500', '/audit/verify', `/audit/verify?digest=${digestAtA.digest}&position=${digestAtA.position}`, '/audit/streams/funding-entry-tm-fk', `/audit/position-at?${asOf(moment.corr)}`, ...REPORTS.map((r) => withQ(r, asOf(moment.late))), ...REPORTS];
    for (const url of tour) expect([url, (await ask(url)).status]).toEqual([url, 200]);
    expect(await run(exportCommand, ['export', '--to', join(path, '..', 'export-tour')])).toBe(0);
    expect(await run(verifyCommand, ['verify'])).toBe(0);
    expect(await t.store.headPosition()).toBe(headBefore);
    expect((await json('/audit/digest')).digest).toBe(digestBefore);
    expect((await json('/audit/events?role=auditor')).events).toEqual([]);
  });
});
