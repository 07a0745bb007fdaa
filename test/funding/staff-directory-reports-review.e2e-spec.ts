import { startTestApp, TestApp } from '../helpers/test-app';
import { centreCrit, recordCounty } from '../grants/grants-fixture';
import { csvRows } from './csv-reader';

/**
 * Adversarial review of staff positions and staff-years, the centres and parties directory, and the
 * annual reports / service declarations a centre records for Vox, through HTTP only.
 *
 * Every expected figure is computed by hand in this file from the inputs (days × FTE per mille,
 * rounded once to a tenth, halves away from zero), never copied from an answer of the ledger. Each
 * figure is compared across every route that shows it: the key figures (JSON, CSV, report CSV), the
 * centre's, county's and country's funding mix, the per-position listing and owner cost-share
 * compliance. The review found 13 of these 24 failing (closed centres' positions, ends that could not be
 * corrected or cut off planned changes, no person id, FTE changes keeping the old cost, parties of
 * another county, unchecked organisation numbers and names, annual reports for years not open or
 * not over); each was fixed and the test now asserts the decision.
 */

type Auth = { Authorization: string };

/** Σ FTE-days / (days × 1000) to one decimal, halves away from zero (the documented rule, computed here). */
const tenths = (fteDays: number, days = 365): string => {
  const den = BigInt(days) * 1000n;
  const t = (2n * BigInt(fteDays) * 10n + den) / (2n * den);
  return `${t / 10n}.${t % 10n}`;
};

describe('staff-years, the directory and annual reports: an adversarial review (e2e)', () => {
  let t: TestApp;
  let admin: Auth;
  let vox: Auth;

  const post = (path: string, body: object, auth: Auth = admin) => t.http().post(path).set(auth).send(body);
  const ok = async (path: string, body: object, auth: Auth = admin) => {
    const res = await post(path, body, auth);
    if (res.status < 200 || res.status >= 300) throw new Error(`POST ${path} ${JSON.stringify(body)} → ${res.status} ${JSON.stringify(res.body)}`);
    return res;
  };
  const get = async (path: string, auth: Auth = admin) => {
    const res = await t.http().get(path).set(auth);
    if (res.status !== 200) throw new Error(`GET ${path} → ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const text = async (path: string): Promise<string> => {
    const res = await t.http().get(path).set(admin).buffer(true).parse((r, cb) => {
      let data = '';
      r.setEncoding('utf8');
      r.on('data', (c: string) => (data += c));
      r.on('end', () => cb(null, data));
    });
    if (res.status !== 200) throw new Error(`GET ${path} → ${res.status}`);
    return res.body as string;
  };
  const kf = async (county: string, year: number) => {
    const body = await get(`/key-figures/${year}?counties=${county}`);
    expect(body.counties).toHaveLength(1);
    return body.counties[0];
  };
  const parties = async (county: string) => {
    await ok('/parties', { partyId: `${county}-fk`, name: `${county} fylkeskommune`, kind: 'county-authority', countyId: county });
    await ok('/parties', { partyId: `${county}-nav`, name: `NAV ${county}`, kind: 'nav-county-office', countyId: county });
  };
  const centre = (centreId: string, countyId: string, openedOn = '2010-01-01', name = `Karrieresenter ${centreId}`) =>
    ok('/centres', { centreId, countyId, name, municipality: 'Kommune', openedOn });
  const start = (centreId: string, positionId: string, p: { fte: string; startedOn: string; employerKind?: string; employerPartyId?: string | null; payer?: string; annualCost?: string; extra?: object }) =>
    post(`/centres/${centreId}/staff-positions`, {
      positionId,
      title: 'Karriereveileder',
      employerKind: p.employerKind ?? 'county-authority',
      employerPartyId: p.employerPartyId ?? null,
      fte: p.fte,
      payer: p.payer ? { kind: 'party', partyId: p.payer } : { kind: 'centre' },
      ...(p.annualCost ? { annualCost: p.annualCost } : {}),
      startedOn: p.startedOn,
      ...(p.extra ?? {}),
    });
  const mustStart = async (...args: Parameters<typeof start>) => {
    const res = await start(...args);
    if (res.status !== 201) throw new Error(`start ${args[1]} → ${res.status} ${JSON.stringify(res.body)}`);
    return res;
  };

  beforeAll(async () => {
    t = await startTestApp({ seed: true, env: { LEDGER_RATE_LIMIT_PER_MINUTE: '0' } });
    admin = await t.auth('admin');
    vox = await t.auth('vox', [], 'vox-saksbehandler');
    await ok('/grant-schemes', { year: 2014, baseGrant: '100.00', criteriaSetId: 'criteria-2014', judgingDate: '2014-03-01' }, vox);
  });
  afterAll(() => t.close());

  // ================================================================================================
  // Staff positions and staff-years
  // ================================================================================================

  describe('Telemark: a part-time position across the year boundary and a position NAV pays directly', () => {
    // tm-a: 0.6 FTE from 2013-09-01, 1.0 from 2014-03-01, last day 2014-08-31 (county authority).
    //   2013: 122 days × 600 = 73 200; 2014: 59 × 600 + 184 × 1000 = 219 400.
    // tm-b: 0.5 FTE from 2012-06-01, open, employed and paid directly by NAV Telemark, NOK 300 000 a year.
    //   2013 and 2014: 365 × 500 = 182 500 each.
    const EXPECT: Record<number, { fteDays: number; perPosition: Record<string, [number, boolean]>; persons: Record<string, number> }> = {
      2013: { fteDays: 73_200 + 182_500, perPosition: { 'tm-a': [73_200, true], 'tm-b': [182_500, true] }, persons: { 'county-authority': 1, 'nav-county-office': 1 } },
      2014: { fteDays: 219_400 + 182_500, perPosition: { 'tm-a': [219_400, false], 'tm-b': [182_500, true] }, persons: { 'county-authority': 0, 'nav-county-office': 1 } },
    };

    beforeAll(async () => {
      await parties('telemark');
      await centre('tm-1', 'telemark');
      await mustStart('tm-1', 'tm-a', { fte: '0.6', startedOn: '2013-09-01', employerPartyId: 'telemark-fk' });
      await ok('/centres/tm-1/staff-positions/tm-a/changes', { effectiveFrom: '2014-03-01', fte: '1' });
      await ok('/centres/tm-1/staff-positions/tm-a/end', { endedOn: '2014-08-31' });
      await mustStart('tm-1', 'tm-b', { fte: '0.5', startedOn: '2012-06-01', employerKind: 'nav-county-office', employerPartyId: 'telemark-nav', payer: 'telemark-nav', annualCost: '300000.00' });
      await ok('/centres/tm-1/owner-agreements', { agreementId: 'tm-own', parties: [{ partyId: 'telemark-fk', shareBp: 5000 }, { partyId: 'telemark-nav', shareBp: 5000 }], period: { from: '2010-01-01' }, signedOn: '2010-01-01' });
      await ok('/centres/tm-1/funding/operating-grants', { entryId: 'tm-og-2013', fiscalYear: 2013, partyId: 'telemark-fk', amount: '1000000.00', decidedOn: '2013-01-15', reference: 'FT-sak 1/13' });
    });

    it('staff-years across the year boundary agree, to the FTE-day, in the key figures (JSON, CSV, report CSV), the centre and county mix, and the per-position listing; persons on 31.12 likewise', async () => {
      for (const y of [2013, 2014]) {
        const e = EXPECT[y];
        const c = await kf('telemark', y);
        expect({ y, fteDays: c.staffYearsExact.fteDays, staffYears: c.staffYears, persons: { 'county-authority': c.personsByEmployer['county-authority'], 'nav-county-office': c.personsByEmployer['nav-county-office'] }, fullTime: c.fullTime }).toEqual({
          y,
          fteDays: e.fteDays,
          staffYears: tenths(e.fteDays),
          persons: e.persons,
          fullTime: 0,
        });
        const csv = csvRows(await text(`/key-figures/${y}?format=csv&counties=telemark`), ',');
        expect(csv.get('Årsverk')).toEqual([tenths(e.fteDays)]);
        const rep = csvRows(await text(`/reports/key-figures/${y}/csv?county=telemark`), ';');
        expect(rep.get('Årsverk')).toEqual([tenths(e.fteDays).replace('.', ',')]);
        const centreMix = await get(`/centres/tm-1/funding-mix/${y}`);
        const countyMix = await get(`/counties/telemark/funding-mix/${y}`);
        for (const mix of [centreMix, countyMix]) expect({ y, staffYears: mix.staff.staffYears, fteDays: mix.staff.staffYearsExact.fteDays }).toEqual({ y, staffYears: tenths(e.fteDays), fteDays: e.fteDays });
        const mixCsv = csvRows(await text(`/reports/funding-mix/${y}/csv?centre=tm-1`), ';');
        expect(mixCsv.get('Årsverk i alt')?.[1]).toBe(tenths(e.fteDays).replace('.', ','));
        const list = await get(`/centres/tm-1/staff-positions?year=${y}`);
        expect(Object.fromEntries(list.map((p: any) => [p.positionId, [p.year.fteDays, p.year.onDecember31]]))).toEqual(e.perPosition);
        expect(Object.fromEntries(list.map((p: any) => [p.positionId, p.year.staffYears]))).toEqual(Object.fromEntries(Object.entries(e.perPosition).map(([id, [d]]) => [id, tenths(d)])));
      }
    });

    it('a position paid directly by a party: the same staff-years and the same value (annual cost × days ÷ days in year) in key figures, funding mix and cost-share compliance, and never added to money or in-kind', async () => {
      const c = await kf('telemark', 2013);
      expect(c.staffPaidDirectly['staffPaidDirectly.navCountyOffice']).toMatchObject({ indicator: 'Ja', centresWith: 1, staffYears: '0.5', fteDays: 182_500 });
      const mix = await get('/centres/tm-1/funding-mix/2013');
      expect(mix.staff.paidDirectly.map((p: any) => [p.partyId, p.staffYears, p.value, p.valueComplete])).toEqual([['telemark-nav', '0.5', '300000.00', true]]);
      // Kept apart: the money total is the operating grant only, NAV is no in-kind contributor.
      expect([mix.total.amount, mix.byParty.map((p: any) => p.partyId), mix.inKind]).toEqual(['1000000.00', ['telemark-fk'], []]);
      const comp = await get('/centres/tm-1/owner-agreements/tm-own/cost-share-compliance/2013');
      const byParty = Object.fromEntries(comp.parties.map((p: any) => [p.partyId, [p.money, p.staffValue, p.actual, p.actualSharePercent]]));
      // 1 000 000 / 1 300 000 = 76.92 % → 76.9; 23.08 % → 23.0, plus the missing tenth (largest remainder) → 23.1.
      expect(byParty).toEqual({ 'telemark-fk': ['1000000.00', '0.00', '1000000.00', '76.9'], 'telemark-nav': ['0.00', '300000.00', '300000.00', '23.1'] });
      expect(comp.ownersActualTotal).toBe('1300000.00');
    });

    it('a party renamed from 2020: 2013 answers (mix, report CSV, cost-share) keep the 2013 name, the directory shows today\'s, and a 2020 answer the new one', async () => {
      await ok('/parties/telemark-nav/rename', { name: 'NAV Vestfold og Telemark', effectiveFrom: '2020-01-01' });
      const mix13 = await get('/centres/tm-1/funding-mix/2013');
      expect(mix13.staff.paidDirectly[0].partyName).toBe('NAV telemark');
      const comp = await get('/centres/tm-1/owner-agreements/tm-own/cost-share-compliance/2013');
      expect(comp.parties.find((p: any) => p.partyId === 'telemark-nav').partyName).toBe('NAV telemark');
      const csv = await text('/reports/funding-mix/2013/csv?centre=tm-1');
      expect([csv.includes('NAV telemark'), csv.includes('Vestfold')]).toEqual([true, false]);
      const mix20 = await get('/centres/tm-1/funding-mix/2020');
      expect(mix20.staff.paidDirectly[0].partyName).toBe('NAV Vestfold og Telemark');
      const p = await get('/parties/telemark-nav');
      expect([p.name, p.upcomingRename, p.names.map((n: any) => [n.name, n.from])]).toEqual(['NAV Vestfold og Telemark', null, [['NAV telemark', '0000-01-01'], ['NAV Vestfold og Telemark', '2020-01-01']]]);
    });
  });

  it('rounding once: two centres of 0.35 FTE each are 0.4 + 0.4 on their own but 0.7 for the county, the same 0.7 in key figures, county mix and report CSV, and the exact FTE-days add up', async () => {
    await parties('buskerud');
    await centre('bu-1', 'buskerud');
    await centre('bu-2', 'buskerud');
    await mustStart('bu-1', 'bu-1-p', { fte: '0.35', startedOn: '2013-01-01', employerPartyId: 'buskerud-fk' });
    await mustStart('bu-2', 'bu-2-p', { fte: '0.35', startedOn: '2013-01-01', employerPartyId: 'buskerud-fk' });
    const each = 365 * 350; // 127 750: exactly 0.35 → 0.4 (half away from zero)
    const m1 = await get('/centres/bu-1/funding-mix/2013');
    const m2 = await get('/centres/bu-2/funding-mix/2013');
    expect([m1.staff.staffYears, m2.staff.staffYears, m1.staff.staffYearsExact.fteDays, m2.staff.staffYearsExact.fteDays]).toEqual(['0.4', '0.4', each, each]);
    const c = await kf('buskerud', 2013);
    const county = await get('/counties/buskerud/funding-mix/2013');
    const rep = csvRows(await text('/reports/key-figures/2013/csv?county=buskerud'), ';');
    expect([c.staffYears, county.staff.staffYears, rep.get('Årsverk')?.[0], c.staffYearsExact.fteDays, county.staff.staffYearsExact.fteDays]).toEqual([tenths(2 * each), '0.7', '0,7', 2 * each, 2 * each]);
    const list = [...(await get('/centres/bu-1/staff-positions?year=2013')), ...(await get('/centres/bu-2/staff-positions?year=2013'))];
    expect(list.reduce((s: number, p: any) => s + p.year.fteDays, 0)).toBe(c.staffYearsExact.fteDays);
  });

  it('a centre closed from 1 July whose position was left open: the year counts only the days it was open (0.5), and nobody is employed there on 31.12', async () => {
    await parties('hedmark');
    await centre('he-1', 'hedmark');
    await mustStart('he-1', 'he-p', { fte: '1', startedOn: '2012-01-01', employerPartyId: 'hedmark-fk' });
    await ok('/centres/he-1/close', { closedOn: '2013-07-01', reason: 'Lagt ned' });
    const c = await kf('hedmark', 2013);
    const county = await get('/counties/hedmark/funding-mix/2013');
    // 1 January – 30 June 2013: 181 days.
    expect({ fteDays: c.staffYearsExact.fteDays, staffYears: c.staffYears, persons: c.personsByEmployer['county-authority'], fullTime: c.fullTime, countyMix: county.staff.staffYears }).toEqual({
      fteDays: 181_000,
      staffYears: '0.5',
      persons: 0,
      fullTime: 0,
      countyMix: '0.5',
    });
  });

  it('a year the centre was closed all of: its own funding mix and position listing show no staff-years, as the county mix and key figures (which leave it out) do', async () => {
    await parties('oppland');
    await centre('op-1', 'oppland');
    await mustStart('op-1', 'op-p', { fte: '1', startedOn: '2012-01-01', employerPartyId: 'oppland-fk' });
    await ok('/centres/op-1/close', { closedOn: '2013-07-01', reason: 'Lagt ned' });
    const county = await get('/counties/oppland/funding-mix/2014');
    const own = await get('/centres/op-1/funding-mix/2014');
    const list = await get('/centres/op-1/staff-positions?year=2014');
    expect({ county: county.staff.staffYears, own: own.staff.staffYears, ownFteDays: own.staff.staffYearsExact.fteDays, listed: list.map((p: any) => [p.year.staffYears, p.year.onDecember31]) }).toEqual({
      county: '0.0',
      own: '0.0',
      ownFteDays: 0,
      listed: [['0.0', false]],
    });
  });

  it('a position ended with a wrong, too late last day is put right by ending it again with the right one (as the coordinating function\'s end is), and the staff-years follow', async () => {
    await parties('vestfold');
    await centre('vf-1', 'vestfold');
    await mustStart('vf-1', 'vf-p', { fte: '1', startedOn: '2013-01-01', employerPartyId: 'vestfold-fk' });
    await ok('/centres/vf-1/staff-positions/vf-p/end', { endedOn: '2013-12-31' });
    const fix = await post('/centres/vf-1/staff-positions/vf-p/end', { endedOn: '2013-06-30' });
    const c = await kf('vestfold', 2013);
    expect({ status: fix.status, fteDays: c.staffYearsExact.fteDays, staffYears: c.staffYears, persons: c.personsByEmployer['county-authority'] }).toEqual({ status: 200, fteDays: 181_000, staffYears: '0.5', persons: 0 });
  });

  it('a person leaving before a planned FTE increase takes effect: the position can be ended on the real last day, and the next year has no staff-years from it', async () => {
    await parties('akershus');
    await centre('ak-1', 'akershus');
    await mustStart('ak-1', 'ak-p', { fte: '0.5', startedOn: '2013-01-01', employerPartyId: 'akershus-fk' });
    await ok('/centres/ak-1/staff-positions/ak-p/changes', { effectiveFrom: '2014-01-01', fte: '1' });
    const end = await post('/centres/ak-1/staff-positions/ak-p/end', { endedOn: '2013-10-31' });
    const c13 = await kf('akershus', 2013);
    const c14 = await kf('akershus', 2014);
    // 1 January – 31 October 2013: 304 days × 500.
    expect({ status: end.status, fte13: c13.staffYearsExact.fteDays, persons13: c13.personsByEmployer['county-authority'], staffYears14: c14.staffYears }).toEqual({ status: 200, fte13: 152_000, persons13: 0, staffYears14: '0.0' });
  });

  it('one person in two concurrent 50 % posts at the centre is one person on 31.12, working full time, with 1.0 staff-year', async () => {
    await parties('aust-agder');
    await centre('aa-1', 'aust-agder');
    const leader = await start('aa-1', 'aa-leder', { fte: '0.5', startedOn: '2013-01-01', employerPartyId: 'aust-agder-fk', extra: { personId: 'kari-nordmann' } });
    const counsellor = await start('aa-1', 'aa-veileder', { fte: '0.5', startedOn: '2013-01-01', employerPartyId: 'aust-agder-fk', extra: { personId: 'kari-nordmann' } });
    const c = await kf('aust-agder', 2013);
    expect({ statuses: [leader.status, counsellor.status], codes: [leader.body.code, counsellor.body.code], persons: c.personsByEmployer['county-authority'], fullTime: c.fullTime, staffYears: c.staffYears }).toEqual({ statuses: [201, 201], codes: [undefined, undefined], persons: 1, fullTime: 1, staffYears: '1.0' });
  });

  it('a directly paid position halved from 1 July without a new annual cost is not valued at the full-time cost all year: the change is refused or the value follows the FTE', async () => {
    await parties('rogaland');
    await centre('ro-1', 'rogaland');
    await mustStart('ro-1', 'ro-p', { fte: '1', startedOn: '2013-01-01', employerKind: 'nav-county-office', employerPartyId: 'rogaland-nav', payer: 'rogaland-nav', annualCost: '600000.00' });
    const change = await post('/centres/ro-1/staff-positions/ro-p/changes', { effectiveFrom: '2013-07-01', fte: '0.5' });
    const refusedValue = (await get('/centres/ro-1/funding-mix/2013')).staff.paidDirectly[0].value;
    // Refused (the cost was for 1.0 FTE): given with its cost at 0.5 FTE, the value follows.
    const withCost = await post('/centres/ro-1/staff-positions/ro-p/changes', { effectiveFrom: '2013-07-01', fte: '0.5', annualCost: '300000.00' });
    const value = (await get('/centres/ro-1/funding-mix/2013')).staff.paidDirectly[0].value;
    // 600 000 × 181/365 + 300 000 × 184/365 = 448 767.12.
    expect({ refused: [change.status, change.body.code], refusedValue, withCost: withCost.status, value }).toEqual({ refused: [422, 'STAFF.ANNUAL_COST_REQUIRED'], refusedValue: '600000.00', withCost: 201, value: '448767.12' });
  });

  it('a position paid directly or employed by another county\'s NAV county office is refused (422), as an owner agreement naming such a party is, and Troms\' key figures show no NAV-paid staff', async () => {
    await parties('troms');
    await centre('tr-1', 'troms');
    const paid = await start('tr-1', 'tr-paid', { fte: '1', startedOn: '2013-01-01', employerPartyId: 'troms-fk', payer: 'rogaland-nav', annualCost: '500000.00' });
    const employed = await start('tr-1', 'tr-emp', { fte: '1', startedOn: '2013-01-01', employerKind: 'nav-county-office', employerPartyId: 'rogaland-nav' });
    const owner = await post('/centres/tr-1/owner-agreements', { agreementId: 'tr-own', parties: [{ partyId: 'troms-fk', shareBp: 5000 }, { partyId: 'rogaland-nav', shareBp: 5000 }], period: { from: '2010-01-01' }, signedOn: '2010-01-01' });
    const c = await kf('troms', 2013);
    expect({ owner: [owner.status, owner.body.code], paid: [paid.status, paid.body.code], employed: [employed.status, employed.body.code], navPaidRow: c.staffPaidDirectly['staffPaidDirectly.navCountyOffice'].indicator, navPersons: c.personsByEmployer['nav-county-office'] }).toEqual({
      owner: [422, 'OWNER_AGREEMENT.PARTY_OF_OTHER_COUNTY'],
      paid: [422, 'STAFF.PARTY_OF_OTHER_COUNTY'],
      employed: [422, 'STAFF.PARTY_OF_OTHER_COUNTY'],
      navPaidRow: '-',
      navPersons: 0,
    });
  });

  it('bad FTE, annual cost and dates are refused with a 4xx and a stable code, and nothing is recorded', async () => {
    await centre('ro-2', 'rogaland');
    await mustStart('ro-2', 'ro-2-p', { fte: '0.5', startedOn: '2013-01-01' });
    const head = await t.store.headPosition();
    let n = 0;
    for (const fte of ['0', '0.000', '-0.5', '1.001', '2', '0.0005', '50%', '1,0', '', 'NaN']) {
      const r = await start('ro-2', `ro-2-bad-${n++}`, { fte, startedOn: '2013-01-01' });
      expect({ fte, status: r.status, code: r.body.code }).toEqual({ fte, status: 400, code: expect.stringMatching(/^STAFF\.FTE_(INVALID|OUT_OF_RANGE)$/) });
    }
    const negCost = await start('ro-2', 'ro-2-neg', { fte: '0.5', startedOn: '2013-01-01', payer: 'rogaland-nav', annualCost: '-1.00' });
    const numCost = await post('/centres/ro-2/staff-positions', { positionId: 'ro-2-num', title: 'X', employerKind: 'other', fte: '0.5', payer: { kind: 'party', partyId: 'rogaland-nav' }, annualCost: 650000, startedOn: '2013-01-01' });
    const change0 = await post('/centres/ro-2/staff-positions/ro-2-p/changes', { effectiveFrom: '2013-06-01', fte: '0' });
    const endEarly = await post('/centres/ro-2/staff-positions/ro-2-p/end', { endedOn: '2012-12-31' });
    const badDate = await post('/centres/ro-2/staff-positions/ro-2-p/end', { endedOn: '2013-02-30' });
    expect([
      [negCost.status, negCost.body.code],
      [numCost.status, numCost.body.code],
      [change0.status, change0.body.code],
      [endEarly.status, endEarly.body.code],
      [badDate.status],
    ]).toEqual([[400, 'MONEY.NEGATIVE'], [400, 'MONEY.NOT_A_DECIMAL_STRING'], [400, 'STAFF.FTE_OUT_OF_RANGE'], [422, 'STAFF.ENDS_BEFORE_START'], [400]]);
    expect(await t.store.headPosition()).toBe(head);
  });

  it('a directly paid position without an annual cost: the staff-years count, the value is unknown (null, not 0) in the mix, and cost-share compliance says it is incomplete', async () => {
    await parties('vest-agder');
    await centre('va-1', 'vest-agder');
    await mustStart('va-1', 'va-p', { fte: '1', startedOn: '2013-01-01', employerKind: 'nav-county-office', employerPartyId: 'vest-agder-nav', payer: 'vest-agder-nav' });
    await ok('/centres/va-1/owner-agreements', { agreementId: 'va-own', parties: [{ partyId: 'vest-agder-fk', shareBp: 6000 }, { partyId: 'vest-agder-nav', shareBp: 4000 }], period: { from: '2010-01-01' }, signedOn: '2010-01-01' });
    await ok('/centres/va-1/funding/operating-grants', { entryId: 'va-og', fiscalYear: 2013, partyId: 'vest-agder-fk', amount: '500000.00', decidedOn: '2013-01-15', reference: 'sak' });
    const c = await kf('vest-agder', 2013);
    expect(c.staffPaidDirectly['staffPaidDirectly.navCountyOffice']).toMatchObject({ indicator: 'Ja', staffYears: '1.0' });
    const mix = await get('/centres/va-1/funding-mix/2013');
    expect(mix.staff.paidDirectly.map((p: any) => [p.partyId, p.staffYears, p.value, p.valueComplete])).toEqual([['vest-agder-nav', '1.0', null, false]]);
    const comp = await get('/centres/va-1/owner-agreements/va-own/cost-share-compliance/2013');
    const nav = comp.parties.find((p: any) => p.partyId === 'vest-agder-nav');
    expect([comp.complete, nav.staffWithoutValueFteDays]).toEqual([false, 365_000]);
  });

  // ================================================================================================
  // The directory: centres and parties
  // ================================================================================================

  it('an organisation number with a wrong mod-11 check digit is refused (400), nothing recorded; a valid one is accepted', async () => {
    const head = await t.store.headPosition();
    const wrong = await post('/parties', { partyId: 'orgnr-feil', name: 'Feil Orgnr AS', kind: 'other', organisationNumber: '974600952' });
    const wrong2 = await post('/parties', { partyId: 'orgnr-feil-2', name: 'Tull AS', kind: 'other', organisationNumber: '123456789' });
    const after = await t.store.headPosition();
    const right = await post('/parties', { partyId: 'orgnr-riktig', name: 'Riktig Orgnr AS', kind: 'other', organisationNumber: '974600951' });
    expect({ wrong: [wrong.status, wrong.body.code], wrong2: [wrong2.status, wrong2.body.code], recorded: after - head, right: right.status }).toEqual({ wrong: [400, 'PARTY.ORGANISATION_NUMBER_INVALID'], wrong2: [400, 'PARTY.ORGANISATION_NUMBER_INVALID'], recorded: 0, right: 201 });
  });

  it('one organisation number, one party: a second party with it is 409 naming the first, and nothing is recorded', async () => {
    await ok('/parties', { partyId: 'brreg', name: 'Brønnøysundregistrene', kind: 'other', organisationNumber: '974760673' });
    const dup = await post('/parties', { partyId: 'brreg-2', name: 'Registerenheten i Brønnøysund', kind: 'other', organisationNumber: '974760673' });
    expect([dup.status, dup.body.code, dup.body.details?.partyId]).toEqual([409, 'PARTY.ORGANISATION_NUMBER_TAKEN', 'brreg']);
    expect((await t.http().get('/parties/brreg-2').set(admin)).status).toBe(404);
  });

  it('a second county authority for the same county, under the same name, is refused as a duplicate (409)', async () => {
    await ok('/parties', { partyId: 'ostfold-fk', name: 'Østfold fylkeskommune', kind: 'county-authority', countyId: 'ostfold' });
    const dup = await post('/parties', { partyId: 'ostfold-fylkeskommune', name: 'Østfold fylkeskommune', kind: 'county-authority', countyId: 'ostfold' });
    const listed = (await get('/parties?countyId=ostfold&kind=county-authority')).map((p: any) => p.partyId);
    expect({ refusal: [dup.status, dup.body.code, dup.body.details?.partyId], listed }).toEqual({ refusal: [409, 'PARTY.NAME_TAKEN', 'ostfold-fk'], listed: ['ostfold-fk'] });
  });

  it('paging a filtered party list: X-Total-Count is the filtered count, the next link keeps the filters, and the pages together are the unpaged list', async () => {
    for (let i = 1; i <= 5; i++) await ok('/parties', { partyId: `sf-kom-${i}`, name: `Kommune ${i}`, kind: 'municipality', countyId: 'sogn-og-fjordane' });
    await ok('/parties', { partyId: 'sf-fk', name: 'Sogn og Fjordane fylkeskommune', kind: 'county-authority', countyId: 'sogn-og-fjordane' });
    await ok('/parties', { partyId: 'mr-kom', name: 'Molde kommune', kind: 'municipality', countyId: 'more-og-romsdal' });
    const all = (await get('/parties?countyId=sogn-og-fjordane&kind=municipality')).map((p: any) => p.partyId);
    expect(all).toEqual(['sf-kom-1', 'sf-kom-2', 'sf-kom-3', 'sf-kom-4', 'sf-kom-5']);
    const seen: string[] = [];
    const totals: string[] = [];
    let next: string | null = '/parties?countyId=sogn-og-fjordane&kind=municipality&limit=2';
    let pages = 0;
    while (next && pages < 10) {
      const res = await t.http().get(next).set(admin);
      expect(res.status).toBe(200);
      seen.push(...res.body.map((p: any) => p.partyId));
      totals.push(res.headers['x-total-count']);
      const link = res.headers.link as string | undefined;
      next = link ? /<([^>]+)>;\s*rel="next"/.exec(link)![1] : null;
      if (next) expect([next.includes('countyId=sogn-og-fjordane'), next.includes('kind=municipality')]).toEqual([true, true]);
      pages++;
    }
    expect({ pages, seen, totals }).toEqual({ pages: 3, seen: all, totals: ['5', '5', '5'] });
  });

  it('a party list filtered by a county that is not registered (a typo) is 404 COUNTY.NOT_FOUND, not a list that looks like that county\'s', async () => {
    await ok('/parties', { partyId: 'utdanningsforbundet', name: 'Utdanningsforbundet', kind: 'union' });
    const typo = await t.http().get('/parties?countyId=telemrak').set(admin);
    const kfTypo = await t.http().get('/key-figures/2013?counties=telemrak').set(admin);
    expect({ parties: [typo.status, typo.body.code], keyFigures: [kfTypo.status, kfTypo.body.code] }).toEqual({ parties: [404, 'COUNTY.NOT_FOUND'], keyFigures: [404, 'COUNTY.NOT_FOUND'] });
  });

  it('centres opened, closed and renamed: the directory lists every centre with its dates and today\'s name; each year\'s key figures and county mix count those open that year, named as on 31 December', async () => {
    await centre('nt-1', 'nord-trondelag', '2010-01-01', 'Karrieresenter Steinkjer');
    await centre('nt-2', 'nord-trondelag', '2010-01-01', 'Karrieresenter Levanger');
    await centre('nt-3', 'nord-trondelag', '2014-03-01', 'Karrieresenter Namsos');
    await ok('/centres/nt-2/close', { closedOn: '2013-01-01', reason: 'Slått sammen' });
    await ok('/centres/nt-1/rename', { name: 'Karriere Trøndelag Steinkjer', effectiveFrom: '2014-01-01' });
    const county = await get('/counties/nord-trondelag');
    expect(county.centres.map((c: any) => [c.centreId, c.name, c.openedOn, c.closedOn])).toEqual([
      ['nt-1', 'Karriere Trøndelag Steinkjer', '2010-01-01', null],
      ['nt-2', 'Karrieresenter Levanger', '2010-01-01', '2013-01-01'],
      ['nt-3', 'Karrieresenter Namsos', '2014-03-01', null],
    ]);
    const one = await get('/centres/nt-1');
    expect([one.name, one.names.map((n: any) => [n.name, n.from])]).toEqual(['Karriere Trøndelag Steinkjer', [['Karrieresenter Steinkjer', '2010-01-01'], ['Karriere Trøndelag Steinkjer', '2014-01-01']]]);
    const k12 = await kf('nord-trondelag', 2012);
    const k13 = await kf('nord-trondelag', 2013);
    const k14 = await kf('nord-trondelag', 2014);
    expect([k12.centreIds, k13.centreIds, k14.centreIds, k14.centres]).toEqual([['nt-1', 'nt-2'], ['nt-1'], ['nt-1', 'nt-3'], 2]);
    const m13 = await get('/counties/nord-trondelag/funding-mix/2013');
    const m14 = await get('/counties/nord-trondelag/funding-mix/2014');
    expect([m13.centreIds, m13.parts.map((p: any) => p.name), m14.parts.map((p: any) => p.name)]).toEqual([['nt-1'], ['Karrieresenter Steinkjer'], ['Karriere Trøndelag Steinkjer', 'Karrieresenter Namsos']]);
  });

  // ================================================================================================
  // Annual reports and service declarations (base-grant evidence)
  // ================================================================================================

  it('an annual report for a year the centre did not exist in (2013, for a centre opened 10 January 2014) is refused, nothing recorded', async () => {
    await centre('mr-ny', 'more-og-romsdal', '2014-01-10');
    const head = await t.store.headPosition();
    const res = await post('/centres/mr-ny/grant-evidence/annual-reports', { reportId: 'mr-ny-2013', year: 2013, submittedOn: '2014-02-01' });
    const ev = await get('/centres/mr-ny/grant-evidence');
    expect({ status: [res.status, res.body.code], recorded: (await t.store.headPosition()) - head, reports: ev.annualReports.length }).toEqual({ status: [422, 'ANNUAL_REPORT.YEAR_BEFORE_OPENING'], recorded: 0, reports: 0 });
  });

  it('an annual report submitted before the year it covers has ended is refused, and so cannot pass criterion 3c-ii', async () => {
    await recordCounty(t, 'nordland', 'Nordland', [{ centreId: 'no-bodo', name: 'Karrieresenter Bodø', municipality: 'Bodø', reportSubmittedOn: null }]);
    const res = await post('/centres/no-bodo/grant-evidence/annual-reports', { reportId: 'no-2013-tidlig', year: 2013, submittedOn: '2013-06-01' });
    const a = await get('/grant-schemes/2014/eligibility/nordland', vox);
    expect({ status: [res.status, res.body.code], report3cii: centreCrit(a.centres[0], '3c-ii').passed }).toEqual({ status: [422, 'ANNUAL_REPORT.SUBMITTED_BEFORE_YEAR_END'], report3cii: false });
  });

  it('the final annual report of a centre closed from 1 July, submitted after the closing for the half year it was open, is recorded', async () => {
    await centre('st-1', 'sor-trondelag');
    await ok('/centres/st-1/close', { closedOn: '2013-07-01', reason: 'Lagt ned' });
    const res = await post('/centres/st-1/grant-evidence/annual-reports', { reportId: 'st-1-2013', year: 2013, submittedOn: '2014-02-15' });
    const ev = await get('/centres/st-1/grant-evidence');
    expect({ status: res.status, reports: ev.annualReports.map((r: any) => [r.year, r.submittedOn]) }).toEqual({ status: 201, reports: [[2013, '2014-02-15']] });
  });

  it('one annual report per centre and year: a second is 409 naming the first; withdrawn and submitted again with the right date, the new one is in effect, the old one shown as withdrawn, and 3c-ii follows it', async () => {
    await recordCounty(t, 'finnmark', 'Finnmark', [{ centreId: 'fi-alta', name: 'Karrieresenter Alta', municipality: 'Alta', reportSubmittedOn: null }]);
    const base = '/centres/fi-alta/grant-evidence';
    // Recorded with the wrong date: after the judging date, so it does not count.
    await ok(`${base}/annual-reports`, { reportId: 'fi-2013-feil', year: 2013, submittedOn: '2014-03-05' });
    const second = await post(`${base}/annual-reports`, { reportId: 'fi-2013', year: 2013, submittedOn: '2014-02-20' });
    expect([second.status, second.body.code, second.body.details?.reportId]).toEqual([409, 'ANNUAL_REPORT.ALREADY_SUBMITTED', 'fi-2013-feil']);
    const before = await get('/grant-schemes/2014/eligibility/finnmark', vox);
    expect([centreCrit(before.centres[0], '3c-ii').passed, before.eligible]).toEqual([false, false]);
    await ok(`${base}/fi-2013-feil/withdrawal`, { reason: 'Feil innsendingsdato' });
    const again = await ok(`${base}/annual-reports`, { reportId: 'fi-2013', year: 2013, submittedOn: '2014-02-20' });
    const ev = await get(`/centres/fi-alta/grant-evidence`);
    expect(ev.annualReports.map((r: any) => [r.reportId, r.year, r.submittedOn])).toEqual([['fi-2013', 2013, '2014-02-20']]);
    expect(ev.withdrawn.map((w: any) => [w.evidenceId, w.item?.submittedOn])).toEqual([['fi-2013-feil', '2014-03-05']]);
    const after = await get('/grant-schemes/2014/eligibility/finnmark', vox);
    const verdict = centreCrit(after.centres[0], '3c-ii');
    expect([verdict.passed, verdict.evidence.map((e: any) => e.position), after.eligible]).toEqual([true, [again.body.position], true]);
  });

  // ================================================================================================
  // Totals across routes
  // ================================================================================================

  it('the country\'s staff-years are the exact sum of the key-figures columns (and of the centres open that year), rounded once, in the JSON and the report CSV', async () => {
    for (const y of [2013, 2014]) {
      const cols = (await get(`/key-figures/${y}`)).counties;
      const country = await get(`/funding-mix/${y}`);
      const sumCols = cols.reduce((s: number, c: any) => s + c.staffYearsExact.fteDays, 0);
      let sumCentres = 0;
      for (const id of country.centreIds) sumCentres += (await get(`/centres/${id}/funding-mix/${y}`)).staff.staffYearsExact.fteDays;
      const csv = csvRows(await text(`/reports/funding-mix/${y}/csv`), ';');
      expect({ y, country: country.staff.staffYearsExact.fteDays, sumCentres, staffYears: country.staff.staffYears, csv: csv.get('Årsverk i alt')?.[1] }).toEqual({
        y,
        country: sumCols,
        sumCentres: sumCols,
        staffYears: tenths(sumCols),
        csv: tenths(sumCols).replace('.', ','),
      });
      expect(country.centreIds.sort()).toEqual(cols.flatMap((c: any) => c.centreIds).sort());
    }
  });
});
