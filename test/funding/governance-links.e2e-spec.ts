import { startTestApp, TestApp } from '../helpers/test-app';
import { FIXTURE_2013, importFile } from './import-fixture';

/** The funding questions that read governance's events, recorded through governance's own routes. */
describe('funding × governance (e2e): owner cost-share compliance and budget against actual', () => {
  let t: TestApp;
  let fo: (county: string) => Promise<{ Authorization: string }>;

  beforeAll(async () => {
    t = await startTestApp();
    await importFile(t.app, FIXTURE_2013);
    fo = (county) => t.auth('finance-officer', [county], `fo-${county}`);
  });
  afterAll(() => t.close());

  it('Telemark\'s 50/50 owner agreement: the county authority gives 20.0 percentage points (NOK 884 500) more than its half', async () => {
    const reg = await t.http().post('/centres/telemark-kc/owner-agreements').set(await fo('telemark')).send({
      agreementId: 'telemark-owners-2009',
      parties: [{ partyId: 'telemark-fk', shareBp: 5000 }, { partyId: 'nav-telemark', shareBp: 5000 }],
      period: { from: '2009-09-01', to: null },
      signedOn: '2009-06-15',
    });
    expect(reg.status).toBe(201);
    const res = await t.http().get('/owner-agreements/cost-share-compliance/2013').set(await t.auth('board-member')).set('X-Ledger-Position', String(reg.body.position));
    expect(res.status).toBe(200);
    expect(res.body).toHaveLength(1);
    const c = res.body[0];
    expect(c).toMatchObject({ agreementId: 'telemark-owners-2009', centreId: 'telemark-kc', daysInForce: 365, ownersActualTotal: '4419000.00', complete: false });
    expect(c.parties.map((p: any) => [p.partyId, p.agreedSharePercent, p.money, p.actualSharePercent, p.differencePercentagePoints, p.differenceNok])).toEqual([
      ['telemark-fk', '50.0', '3094000.00', '70.0', '20.0', '884500.00'],
      ['nav-telemark', '50.0', '1325000.00', '30.0', '-20.0', '-884500.00'],
    ]);
    const one = await t.http().get('/owner-agreements/telemark-owners-2009/cost-share-compliance/2013').set(await t.auth('vox'));
    expect(one.body).toEqual(c);
    expect((await t.http().get('/owner-agreements/telemark-owners-2009/cost-share-compliance/2008').set(await t.auth('vox'))).body.code).toBe('OWNER_AGREEMENT.NOT_IN_FORCE');
    expect((await t.http().get('/owner-agreements/nope/cost-share-compliance/2013').set(await t.auth('vox'))).status).toBe(404);
  });

  it('Vest-Agder\'s county line adopts one budget for its three centres; each centre\'s mix compares it with the three centres\' actual', async () => {
    const rec = await t.http().post('/counties/vest-agder/county-line-decisions').set(await fo('vest-agder')).send({
      decisionId: 'vest-agder-budget-2013',
      centreIds: ['kristiansand-kc', 'lister-kc', 'lindesnes-kc'],
      kind: 'budget',
      year: 2013,
      title: 'Budsjett 2013 for karrieresentrene',
      content: { lines: [{ partyId: 'vest-agder-fk', moneyKind: 'operating-grant', amount: '5200000.00' }] },
      decidedOn: '2012-12-11',
    });
    expect(rec.status).toBe(201);
    const mix = await t.http().get('/centres/lister-kc/funding-mix/2013').set(await t.auth('auditor')).set('X-Ledger-Position', String(rec.body.position));
    expect(mix.body.budget).toEqual({
      decisionIds: [{ source: 'county-line', countyId: 'vest-agder', decisionId: 'vest-agder-budget-2013' }],
      coversCentreIds: ['kristiansand-kc', 'lister-kc', 'lindesnes-kc'],
      overlaps: [],
      lines: [{ partyId: 'vest-agder-fk', moneyKind: 'operating-grant', budget: '5200000.00', actual: '5460000.00', difference: '260000.00', actualUnreportedEntries: 0 }],
    });
    const county = await t.http().get('/counties/vest-agder/funding-mix/2013').set(await t.auth('auditor'));
    expect(county.body.budget.lines[0]).toMatchObject({ budget: '5200000.00', actual: '5460000.00' });
    expect((await t.http().get('/centres/telemark-kc/funding-mix/2013').set(await t.auth('auditor'))).body.budget).toBeNull();
  });
});
