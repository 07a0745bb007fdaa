import { startTestApp, TestApp } from '../helpers/test-app';
import { FIXTURE_2013, importFile, parseCsv } from './import-fixture';

/**
 * DOMAIN.md, "The key figures table (per county, year 2013)": the four published columns.
 * Rows the published excerpt does not show are "-" in our fixture (nothing recorded).
 */
const PUBLISHED = {
  Telemark: { centres: 1, countyAuthority: 5, navCounty: 0, fullTime: 5, staffYears: '5.0', opFk: ['Ja', '2363000.00'], opNav: ['Ja', '1325000.00'], earFk: ['Ja', '731000.00'], earNav: ['Ja', null], paidNav: ['-', null] },
  Troms: { centres: 1, countyAuthority: 4, navCounty: 0, fullTime: 3, staffYears: '3.8', opFk: ['-', null], opNav: ['-', null], earFk: ['Ja', '980773.00'], earNav: ['Ja', '550000.00'], paidNav: ['-', null] },
  Østfold: { centres: 1, countyAuthority: 4, navCounty: 2, fullTime: 5, staffYears: '5.5', opFk: ['Ja', '690400.00'], opNav: ['-', null], earFk: ['-', null], earNav: ['-', null], paidNav: ['Ja', '2.0'] },
  'Vest-Agder': { centres: 3, countyAuthority: 10, navCounty: 0, fullTime: 5, staffYears: '7.5', opFk: ['Ja', '5460000.00'], opNav: ['-', null], earFk: ['-', null], earNav: ['-', null], paidNav: ['-', null] },
} as const;
type County = keyof typeof PUBLISHED;

describe('key figures 2013 from the shipped fixture (e2e)', () => {
  let t: TestApp;
  let auth: { Authorization: string };

  beforeAll(async () => {
    t = await startTestApp();
    const { applied } = await importFile(t.app, FIXTURE_2013);
    expect(applied).toBeGreaterThan(50);
    auth = await t.auth('auditor');
  });
  afterAll(() => t.close());

  it('importing the fixture a second time applies nothing (idempotency keys)', async () => {
    const before = await t.store.headPosition();
    const again = await importFile(t.app, FIXTURE_2013);
    expect(again.applied).toBe(0);
    expect(await t.store.headPosition()).toBe(before);
  });

  it('JSON: every cell of the four published columns', async () => {
    const res = await t.http().get('/key-figures/2013').set(auth);
    expect(res.status).toBe(200);
    const byName = Object.fromEntries(res.body.counties.map((c: any) => [c.name, c]));
    expect(res.body.counties.map((c: any) => c.name)).toEqual(['Østfold', 'Telemark', 'Vest-Agder', 'Troms']);
    for (const [name, p] of Object.entries(PUBLISHED) as [County, (typeof PUBLISHED)[County]][]) {
      const c = byName[name];
      expect({ name, centres: c.centres }).toEqual({ name, centres: p.centres });
      expect({ name, ca: c.personsByEmployer['county-authority'], nav: c.personsByEmployer['nav-county-office'] }).toEqual({ name, ca: p.countyAuthority, nav: p.navCounty });
      expect({ name, others: [c.personsByEmployer.centre, c.personsByEmployer['nav-local-office'], c.personsByEmployer.municipality, c.personsByEmployer.other] }).toEqual({ name, others: [0, 0, 0, 0] });
      expect({ name, fullTime: c.fullTime, staffYears: c.staffYears }).toEqual({ name, fullTime: p.fullTime, staffYears: p.staffYears });
      const money = (key: string) => [c.money[key].indicator, c.money[key].amount];
      expect({ name, cells: [money('operatingGrant.countyAuthority'), money('operatingGrant.navCountyOffice'), money('earmarked.countyAuthority'), money('earmarked.navCountyOffice')] }).toEqual({
        name,
        cells: [p.opFk, p.opNav, p.earFk, p.earNav],
      });
      const paid = c.staffPaidDirectly['staffPaidDirectly.navCountyOffice'];
      expect({ name, paid: [paid.indicator, paid.staffYears] }).toEqual({ name, paid: p.paidNav });
      for (const key of ['operatingGrant.navLocalOffice', 'operatingGrant.municipalities', 'tender.navCountyOffice', 'otherIncome']) expect({ name, key, v: money(key) }).toEqual({ name, key, v: ['-', null] });
      for (const key of ['staffPaidDirectly.countyAuthority', 'staffPaidDirectly.navLocalOffice', 'staffPaidDirectly.municipalities']) expect({ name, key, v: c.staffPaidDirectly[key].indicator }).toEqual({ name, key, v: '-' });
    }
    // "Ja (no sum)": the entry counts for the indicator and is reported as not reported, never as zero.
    expect(byName.Telemark.money['earmarked.navCountyOffice']).toMatchObject({ indicator: 'Ja', amount: null, entries: 1, unreportedEntries: 1 });
    // Exact integration behind 5.5: 3 × 365 000 + (400 × 181 + 600 × 184) + 2 × 365 000 FTE-days over 365 000.
    expect(byName.Østfold.staffYearsExact).toEqual({ fteDays: 5 * 365_000 + 400 * 181 + 600 * 184, denominator: 365_000 });
  });

  it('CSV: Accept text/csv gives the table with Norwegian row labels; parsed back, every cell matches', async () => {
    const res = await t.http().get('/key-figures/2013').set(auth).set('Accept', 'text/csv').buffer(true).parse((r, cb) => {
      let data = '';
      r.setEncoding('utf8');
      r.on('data', (chunk: string) => (data += chunk));
      r.on('end', () => cb(null, data));
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const rows = parseCsv(res.body as string);
    expect(rows[0]).toEqual(['Nøkkeltall 2013', 'Østfold', 'Telemark', 'Vest-Agder', 'Troms']);
    const col = (county: County) => rows[0].indexOf(county);
    const row = (label: string) => {
      const r = rows.find((x) => x[0] === label);
      if (!r) throw new Error(`no row ${label}`);
      return r;
    };
    const cell = (label: string, county: County) => row(label)[col(county)];
    const dash = (n: number) => (n === 0 ? '-' : String(n));
    for (const [name, p] of Object.entries(PUBLISHED) as [County, (typeof PUBLISHED)[County]][]) {
      expect([name, cell('Antall karrieresentre', name)]).toEqual([name, String(p.centres)]);
      expect([name, cell('Ansatte per 31.12 i fylkeskommunen', name)]).toEqual([name, dash(p.countyAuthority)]);
      expect([name, cell('Ansatte per 31.12 i NAV fylke', name)]).toEqual([name, dash(p.navCounty)]);
      expect([name, cell('Ansatte i hel stilling (81–100 %) per 31.12', name)]).toEqual([name, String(p.fullTime)]);
      expect([name, cell('Årsverk', name)]).toEqual([name, p.staffYears]);
      const money = (label: string, [ind, amount]: readonly [string, string | null]) => {
        expect([name, label, cell(label, name)]).toEqual([name, label, ind]);
        const expected = ind === '-' ? '' : amount === null ? 'ikke oppgitt' : amount;
        expect([name, label, cell(`${label}, kr`, name)]).toEqual([name, label, expected]);
      };
      money('Driftsmidler fra fylkeskommunen', p.opFk);
      money('Driftsmidler fra NAV fylke', p.opNav);
      money('Øremerkede midler fra fylkeskommunen', p.earFk);
      money('Øremerkede midler fra NAV fylke', p.earNav);
      money('Driftsmidler fra NAV lokal', ['-', null]);
      money('Driftsmidler fra kommuner', ['-', null]);
      money('Anbud vunnet fra NAV fylke', ['-', null]);
      money('Andre inntekter', ['-', null]);
      expect([name, cell('Årsverk lønnet direkte av NAV fylke', name), cell('Årsverk lønnet direkte av NAV fylke, årsverk', name)]).toEqual([name, p.paidNav[0], p.paidNav[1] ?? '']);
    }
    // Every row has one cell per county; the JSON and CSV agree on the row set.
    for (const r of rows) expect(r).toHaveLength(5);
  });

  it('the funding mix of Telemark shows the correction, the unreported entry and shares summing to 100.0', async () => {
    const res = await t.http().get('/centres/telemark-kc/funding-mix/2013').set(auth);
    expect(res.status).toBe(200);
    expect(res.body.total).toMatchObject({ amount: '4419000.00', entries: 4, unreportedEntries: 1, complete: false });
    expect(res.body.unreported).toEqual([expect.objectContaining({ entryId: 'tm-2013-orem-nav', partyId: 'nav-telemark', kind: 'earmarked' })]);
    const shares = res.body.byParty.map((p: any) => [p.partyId, p.amount, p.sharePercent]);
    // 3 094 000 / 4 419 000 = 70.0158…%, 1 325 000 / 4 419 000 = 29.9841…%
    expect(shares).toEqual([['telemark-fk', '3094000.00', '70.0'], ['nav-telemark', '1325000.00', '30.0']]);
  });

  it('Østfold: NAV pays two staff directly (2.0 staff-years, NOK 1 300 000 value); Sarpsborg\'s premises stand beside the money', async () => {
    const res = await t.http().get('/centres/ostfold-kc/funding-mix/2013').set(auth);
    expect(res.body.staff.paidDirectly).toEqual([expect.objectContaining({ partyId: 'nav-ostfold', staffYears: '2.0', value: '1300000.00', valueComplete: true })]);
    expect(res.body.inKind).toEqual([expect.objectContaining({ partyId: 'sarpsborg-kommune', estimatedValue: null, entries: 1, unvaluedEntries: 1 })]);
    expect(res.body.total.amount).toBe('690400.00');
  });

  it('lists a centre\'s positions with their terms and staff-years in the year', async () => {
    const res = await t.http().get('/centres/kristiansand-kc/staff-positions?year=2013').set(auth);
    expect(res.status).toBe(200);
    const byId = Object.fromEntries(res.body.map((p: any) => [p.positionId, p]));
    expect(byId['krs-veileder-2']).toMatchObject({ endedOn: '2013-06-30', year: { fteDays: 181_000, staffYears: '0.5', onDecember31: false } });
    expect(byId['krs-veileder-3']).toMatchObject({ startedOn: '2013-07-01', year: { fteDays: 184_000, staffYears: '0.5', onDecember31: true } });
    expect(byId['krs-radgiver'].terms).toEqual([{ from: '2011-01-03', fte: '0.5', payer: { kind: 'centre' }, annualCost: null }]);
    const sum = res.body.reduce((s: number, p: any) => s + p.year.fteDays, 0);
    expect(sum).toBe(3.5 * 365_000);
  });

  it('the county of Vest-Agder totals its three centres', async () => {
    const res = await t.http().get('/counties/vest-agder/funding-mix/2013').set(auth);
    expect(res.body.total.amount).toBe('5460000.00');
    expect(res.body.parts.map((p: any) => [p.id, p.total.amount])).toEqual([['kristiansand-kc', '2730000.00'], ['lister-kc', '1365000.00'], ['lindesnes-kc', '1365000.00']]);
    expect(res.body.staff.staffYears).toBe('7.5');
  });
});
