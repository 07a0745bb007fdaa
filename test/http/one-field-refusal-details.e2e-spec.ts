/**
 * README "Bad input": a refusal about one field names it as `details.field`, whichever check refused the
 * value (the request's validation, the ledger's own rule, or a report route's year). Before this, a year
 * out of range answered `details.fiscalYear` on money entries, `details.field` on grant evidence, and
 * `details.year` on the CSV reports, with the CSV and JSON routes wording the same refusal differently;
 * a window date the ledger refused named only `from`, the request's check `windows.<window>.from`.
 */
import { startTestApp, TestApp } from '../helpers/test-app';

type Auth = { Authorization: string };

describe('a one-field refusal names its field as details.field, whichever check refused it', () => {
  let t: TestApp;
  let fo: Auth;
  let vox: Auth;
  let auditor: Auth;

  const post = (auth: Auth, url: string, body: object) => t.http().post(url).set(auth).send(body);
  const ok = async (auth: Auth, url: string, body: object) => {
    const res = await post(auth, url, body);
    if (res.status >= 300) throw new Error(`${url}: ${res.status} ${JSON.stringify(res.body)}`);
  };

  beforeAll(async () => {
    t = await startTestApp({ seed: true });
    fo = await t.auth('finance-officer', ['telemark'], 'fo-telemark');
    vox = await t.auth('vox', [], 'vox-1');
    auditor = await t.auth('auditor', [], 'auditor-1');
    await ok(fo, '/parties', { partyId: 'tm-fk', name: 'Telemark fylkeskommune', kind: 'county-authority', countyId: 'telemark' });
    await ok(fo, '/centres', { centreId: 'kc-tm', countyId: 'telemark', name: 'Karrieresenter Telemark', municipality: 'Skien', openedOn: '2010-01-01' });
  });
  afterAll(() => t.close());

  it('a money entry for year 1850 (the ledger\'s rule): details.field is fiscalYear', async () => {
    const head = await t.store.headPosition();
    const res = await post(fo, '/centres/kc-tm/funding/operating-grants', { entryId: 'og-1', fiscalYear: 1850, partyId: 'tm-fk', decidedOn: '2013-01-10', amount: '100.00' });
    expect([res.status, res.body.code]).toEqual([400, 'FISCAL_YEAR.OUT_OF_RANGE']);
    expect(res.body.details).toMatchObject({ field: 'fiscalYear', fiscalYear: 1850 });
    expect(await t.store.headPosition()).toEqual(head);
  });

  it('an annual report and a stimulus grant for year 1850 (the request\'s check): details.field is year', async () => {
    const report = await post(fo, '/centres/kc-tm/grant-evidence/annual-reports', { year: 1850, submittedOn: '2014-02-01' });
    expect([report.status, report.body.code, report.body.details?.field]).toEqual([400, 'FISCAL_YEAR.OUT_OF_RANGE', 'year']);
    const grant = await post(fo, '/stimulus-grants', { applicationId: 'sg-1', countyId: 'telemark', year: 1850, amountAsked: '1000.00', description: 'Utvikling', purpose: 'development', centreId: 'kc-tm', appliedOn: '2014-02-01' });
    expect([grant.status, grant.body.code, grant.body.details?.field]).toEqual([400, 'FISCAL_YEAR.OUT_OF_RANGE', 'year']);
  });

  it.each([
    ['/funding-mix/abc'],
    ['/reports/funding-mix/abc/csv'],
    ['/reports/abc/xlsx'],
    ['/reports/key-figures/1850/csv'],
    ['/key-figures/1850'],
    ['/counties/telemark/funding-mix/20140'],
    ['/centres/kc-tm/staff-positions?year=abc'],
  ])('GET %s: the same year refusal, details.field year and the value sent', async (url) => {
    const res = await t.http().get(url).set(auditor);
    const sent = /\/(abc|1850|20140)(\/|$)/.exec(url)?.[1] ?? 'abc';
    expect([res.status, res.body.code]).toEqual([400, 'FISCAL_YEAR.OUT_OF_RANGE']);
    expect(res.body.details).toEqual({ field: 'year', year: sent });
    expect(res.body.message).toBe(`The year must be a four-digit year from 1990 to 2100, not "${sent}".`);
  });

  it('a window date the request refuses names windows.<window>.<end> (the ledger\'s own check too: scheme.unit.spec)', async () => {
    const res = await post(vox, '/grant-schemes', { year: 2022, baseGrant: '100.00', criteriaSetId: 'criteria-2014', judgingDate: '2022-03-01', windows: { competenceDevelopment: { from: '2021-02-30' } } });
    expect([res.status, res.body.code, res.body.details?.field]).toEqual([400, 'GRANT_SCHEME.WINDOW_INVALID_DATE', 'windows.competenceDevelopment.from']);

  });
});
