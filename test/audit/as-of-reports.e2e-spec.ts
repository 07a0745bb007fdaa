import { canonicalJson } from '../../libs/event-store/src/canonical-json';
import { MemoryEventStore } from '../../libs/event-store/src/memory-event-store';
import { unzip } from '../../libs/application/src/audit/xlsx';
import { seedCounties, startTestApp, TestApp } from '../helpers/test-app';
import { steppingClock } from './fixtures';

const binary = (res: any, cb: (e: Error | null, b: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

/**
 * "What did the ledger say on 9 May 2014 about 2013?" — one request, across corrections recorded
 * later; the same figures as CSV and XLSX for spreadsheets.
 */
describe('as-of answers across corrections, and the reports', () => {
  const clock = steppingClock('2014-01-15T09:00:00.000Z', 1000);
  let t: TestApp;
  let fo: { Authorization: string };
  let auditor: { Authorization: string };
  const ASOF = encodeURIComponent('2014-05-09T23:59:59Z');
  const post = (path: string, body: object) => t.http().post(path).set(fo).send(body);
  const grant = (over: object) => ({ fiscalYear: 2013, partyId: 'telemark-fk', decidedOn: '2012-12-12', reference: 'FT-sak 88/12', ...over });

  beforeAll(async () => {
    t = await startTestApp({ store: new MemoryEventStore(() => (clock.tick(), clock.clock())) });
    fo = await t.auth('finance-officer', ['telemark'], 'fo-telemark');
    auditor = await t.auth('auditor', [], 'revisor');
    await seedCounties(t);
    const admin = await t.auth('admin');
    for (const p of [
      { partyId: 'telemark-fk', name: 'Telemark fylkeskommune', kind: 'county-authority', countyId: 'telemark' },
      { partyId: 'nav-telemark', name: 'NAV Telemark', kind: 'nav-county-office', countyId: 'telemark' },
    ]) expect((await t.http().post('/parties').set(admin).send(p)).status).toBe(201);
    expect((await post('/centres', { centreId: 'kc-telemark', countyId: 'telemark', name: 'Karrieresenter Telemark', municipality: 'Skien', openedOn: '2009-01-01' })).status).toBe(201);
    clock.advance(14 * 86_400_000); // end of January 2014: the 2013 money is recorded
    expect((await post('/centres/kc-telemark/funding/operating-grants', grant({ entryId: 'tm-2013-drift-fk', amount: '2363000.00' }))).status).toBe(201);
    expect((await post('/centres/kc-telemark/funding/operating-grants', grant({ entryId: 'tm-2013-drift-nav', partyId: 'nav-telemark', amount: '1325000.00' }))).status).toBe(201);
    expect((await post('/centres/kc-telemark/funding/earmarked-funds', grant({ entryId: 'tm-2013-ear-fk', amount: '731000.00', purpose: 'Prosjekt', period: { from: '2013-01-01', to: '2013-12-31' } }))).status).toBe(201);
    clock.advance(150 * 86_400_000); // June 2014: corrections, after 9 May
    expect((await post('/centres/kc-telemark/funding/entries/tm-2013-drift-fk/correction', { reason: 'Feil beløp', amount: '2400000.00' })).status).toBe(201);
    expect((await post('/centres/kc-telemark/funding/entries/tm-2013-ear-fk/reversal', { reason: 'Feilført' })).status).toBe(201);
  });
  afterAll(() => t.close());

  const telemark = (body: any) => body.counties.find((c: any) => c.countyId === 'telemark');

  it('answers key figures 2013 as the ledger said them on 9 May 2014, and as it says them now', async () => {
    const then = await t.http().get(`/key-figures/2013?asOf=${ASOF}`).set(auditor);
    expect(then.status).toBe(200);
    expect(telemark(then.body).money['operatingGrant.countyAuthority']).toMatchObject({ indicator: 'Ja', amount: '2363000.00' });
    expect(telemark(then.body).money['earmarked.countyAuthority']).toMatchObject({ indicator: 'Ja', amount: '731000.00' });
    const now = await t.http().get('/key-figures/2013').set(auditor);
    expect(telemark(now.body).money['operatingGrant.countyAuthority']).toMatchObject({ indicator: 'Ja', amount: '2400000.00' });
    expect(telemark(now.body).money['earmarked.countyAuthority']).toMatchObject({ indicator: '-' });
    const mixThen = await t.http().get(`/centres/kc-telemark/funding-mix/2013?asOf=${ASOF}`).set(fo);
    expect(mixThen.body.total.amount).toBe('4419000.00');
    expect((await t.http().get('/centres/kc-telemark/funding-mix/2013').set(fo)).body.total.amount).toBe('3725000.00');
  });

  it('equals the answer of a ledger built only from the events recorded up to that moment', async () => {
    const T = '2014-05-09T23:59:59.000Z';
    let now = new Date(0);
    const copy = new MemoryEventStore(() => now);
    for (const e of await t.store.readAll({ maxCount: 10_000 })) {
      if (e.recordedAt > T) break;
      now = new Date(e.recordedAt);
      await copy.append(e.streamId, [{ eventId: e.eventId, type: e.type, data: e.data, schemaVersion: e.schemaVersion, metadata: e.metadata }], 'any');
    }
    const reference = await startTestApp({ store: copy });
    try {
      for (const path of ['/key-figures/2013', '/funding-mix/2013', '/counties/telemark/funding-mix/2013', '/centres', '/parties']) {
        const asOf = await t.http().get(`${path}?asOf=${encodeURIComponent(T)}`).set(auditor);
        const ref = await reference.http().get(path).set(await reference.auth('auditor'));
        expect([path, asOf.status]).toEqual([path, 200]);
        expect([path, canonicalJson(asOf.body)]).toEqual([path, canonicalJson(ref.body)]);
      }
    } finally {
      await reference.close();
    }
  });

  it('gives key figures as CSV for a Norwegian spreadsheet, as of a date too', async () => {
    const res = await t.http().get(`/reports/key-figures/2013/csv?asOf=${ASOF}`).set(fo);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toBe('attachment; filename="nokkeltall-2013.csv"');
    expect(res.text.charCodeAt(0)).toBe(0xfeff);
    const rows = res.text.slice(1).trimEnd().split('\r\n').map((l: string) => l.split(';'));
    expect(rows[0]).toEqual(['Nøkkeltall 2013', 'Telemark']);
    const row = (label: string) => rows.find((r: string[]) => r[0] === label)?.[1];
    expect(row('Antall karrieresentre')).toBe('1');
    expect(row('Driftsmidler fra fylkeskommunen')).toBe('Ja');
    expect(row('Driftsmidler fra fylkeskommunen, kr')).toBe('2363000,00');
    expect(row('Driftsmidler fra NAV fylke, kr')).toBe('1325000,00');
    expect(row('Øremerkede midler fra fylkeskommunen, kr')).toBe('731000,00');
    expect(row('Anbud vunnet fra NAV fylke')).toBe('-');
    const now = await t.http().get('/reports/key-figures/2013/csv').set(fo);
    expect(now.text).toContain('Driftsmidler fra fylkeskommunen, kr;2400000,00');
  });

  it('gives the funding mix as CSV with shares that add up to 100,0', async () => {
    const res = await t.http().get('/reports/funding-mix/2013/csv?county=telemark').set(fo);
    expect(res.status).toBe(200);
    const lines = res.text.slice(1).split('\r\n');
    expect(lines[0]).toBe('Finansieringsmiks 2013, fylke: Telemark');
    const fk = lines.find((l: string) => l.startsWith('Telemark fylkeskommune;'))!.split(';');
    const nav = lines.find((l: string) => l.startsWith('NAV Telemark;'))!.split(';');
    expect(fk.slice(0, 4)).toEqual(['Telemark fylkeskommune', 'Fylkeskommune', '2400000,00', '64,4']);
    expect(nav.slice(0, 4)).toEqual(['NAV Telemark', 'NAV fylke', '1325000,00', '35,6']);
    expect(lines.find((l: string) => l.startsWith('Sum;'))!.split(';').slice(0, 4)).toEqual(['Sum', '', '3725000,00', '100,0']);
    expect((await t.http().get('/reports/funding-mix/2013/csv?county=nowhere').set(fo)).status).toBe(404);
    expect((await t.http().get('/reports/funding-mix/13/csv').set(fo)).status).toBe(400);
  });

  it('gives one XLSX workbook with both tables, real numbers and number formats', async () => {
    const res = await t.http().get(`/reports/2013/xlsx?county=telemark&asOf=${ASOF}`).set(fo).buffer(true).parse(binary);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const files = unzip(res.body as Buffer);
    expect([...files.keys()]).toEqual(expect.arrayContaining(['[Content_Types].xml', 'xl/workbook.xml', 'xl/styles.xml', 'xl/worksheets/sheet1.xml', 'xl/worksheets/sheet2.xml']));
    const workbook = files.get('xl/workbook.xml')!.toString('utf8');
    expect(workbook).toContain('name="Nøkkeltall 2013"');
    expect(workbook).toContain('name="Finansieringsmiks 2013"');
    expect(files.get('xl/styles.xml')!.toString('utf8')).toContain('formatCode="#,##0.00"');
    const sheet1 = files.get('xl/worksheets/sheet1.xml')!.toString('utf8');
    const rowOf = (label: string) => sheet1.split('<row ').find((r) => r.includes(`>${label}</t>`))!;
    expect(rowOf('Driftsmidler fra fylkeskommunen, kr')).toMatch(/<c r="B\d+" s="2"><v>2363000<\/v><\/c>/);
    expect(rowOf('Antall karrieresentre')).toMatch(/<c r="B\d+" s="3"><v>1<\/v><\/c>/);
    const sheet2 = files.get('xl/worksheets/sheet2.xml')!.toString('utf8');
    expect(sheet2).toContain('<v>4419000</v>');
  });
});
