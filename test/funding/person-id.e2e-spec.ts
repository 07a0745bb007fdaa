import { startTestApp, TestApp } from '../helpers/test-app';

/**
 * A staff position may name its person (`personId`, README "Staff positions"): persons on 31.12 are
 * counted per scope, so one person in half posts at two centres of a county is one full-time person in
 * the county's key figures; the id is checked at the door and fixed at the start.
 */
describe('staff positions naming their person (e2e)', () => {
  let t: TestApp;
  let admin: { Authorization: string };

  const post = (path: string, body: object) => t.http().post(path).set(admin).send(body);
  const ok = async (path: string, body: object) => {
    const res = await post(path, body);
    if (res.status < 200 || res.status >= 300) throw new Error(`POST ${path} → ${res.status} ${JSON.stringify(res.body)}`);
    return res;
  };
  const get = async (path: string) => {
    const res = await t.http().get(path).set(admin);
    if (res.status !== 200) throw new Error(`GET ${path} → ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const start = (centreId: string, positionId: string, fte: string, extra: object = {}) =>
    post(`/centres/${centreId}/staff-positions`, { positionId, title: 'Karriereveileder', employerKind: 'county-authority', employerPartyId: 'va-fk', fte, startedOn: '2013-01-01', ...extra });

  beforeAll(async () => {
    t = await startTestApp({ seed: true, env: { LEDGER_RATE_LIMIT_PER_MINUTE: '0' } });
    admin = await t.auth('admin');
    await ok('/parties', { partyId: 'va-fk', name: 'Vest-Agder fylkeskommune', kind: 'county-authority', countyId: 'vest-agder' });
    for (const centreId of ['va-krs', 'va-lister']) await ok('/centres', { centreId, countyId: 'vest-agder', name: `Karrieresenter ${centreId}`, municipality: 'Kommune', openedOn: '2010-01-01' });
  });
  afterAll(() => t.close());

  it('50 % at each of two centres of a county: one person in the county, working full time, beside an unnamed post; the listing names the person', async () => {
    expect((await start('va-krs', 'va-krs-1', '0.5', { personId: 'ans-104' })).status).toBe(201);
    expect((await start('va-lister', 'va-lister-1', '0.5', { personId: 'ans-104' })).status).toBe(201);
    expect((await start('va-lister', 'va-lister-2', '0.5', { personId: null })).status).toBe(201);
    const va = (await get('/key-figures/2013?counties=vest-agder')).counties[0];
    // ans-104 (full time) and the unnamed 50 % post.
    expect([va.personsByEmployer['county-authority'], va.fullTime, va.staffYears]).toEqual([2, 1, '1.5']);
    const lines = await get('/centres/va-lister/staff-positions?year=2013');
    expect(lines.map((l: any) => [l.positionId, l.personId, l.year.onDecember31])).toEqual([['va-lister-1', 'ans-104', true], ['va-lister-2', null, true]]);
  });

  it('a personId that is not 1–64 visible characters of plain text is 400, and nothing is recorded', async () => {
    const head = await t.store.headPosition();
    const cases: [unknown, string][] = [
      ['', 'VALIDATION.FAILED'],
      ['ans 104', 'VALIDATION.FAILED'],
      [' ans-104', 'VALIDATION.FAILED'],
      ['ans\u200B104', 'VALIDATION.FAILED'],
      ['x'.repeat(65), 'VALIDATION.FAILED'],
      [104, 'VALIDATION.FAILED'],
      ['ans\u0000104', 'VALIDATION.NOT_PLAIN_TEXT'],
      ['ans\n104', 'VALIDATION.NOT_PLAIN_TEXT'],
    ];
    const got = [];
    for (const [personId] of cases) {
      const res = await start('va-krs', 'va-bad', '0.5', { personId });
      got.push([personId, res.status, res.body.code]);
    }
    expect(got).toEqual(cases.map(([personId, code]) => [personId, 400, code]));
    expect(await t.store.headPosition()).toBe(head);
    // 64 characters, and letters beyond ASCII, are fine.
    expect((await start('va-krs', 'va-long', '0.1', { personId: 'ø'.repeat(64) })).status).toBe(201);
  });

  it('personId is fixed at the start: a change naming one is 400 VALIDATION.UNKNOWN_FIELD', async () => {
    const res = await post('/centres/va-krs/staff-positions/va-krs-1/changes', { effectiveFrom: '2013-07-01', personId: 'ans-105' });
    expect([res.status, res.body.code]).toEqual([400, 'VALIDATION.UNKNOWN_FIELD']);
  });
});
