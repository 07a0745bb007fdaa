import { startTestApp, TestApp } from '../helpers/test-app';

/**
 * Adversarial review, through HTTP only, of Vox's grant schemes (publishing and amending), stimulus
 * grants (applications, decisions, corrections) and the recording of grant evidence, and of what
 * each answer shows an auditor. Promises are README "Vox base grant" (schemes, stimulus grants,
 * evidence dates, error codes), README "Governance" (the closed-centre rule), DOMAIN.md "The state
 * grant that Vox manages" and the OpenAPI document. Base-grant eligibility and allocation are
 * reviewed in eligibility-review.e2e-spec.ts and are not repeated here. Expected values are computed
 * here from the inputs, never copied from the ledger's answers.
 */

type Auth = { Authorization: string };

const osloToday = (): string => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Oslo', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
const addDays = (d: string, n: number): string => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
/** Øre (BigInt) of a decimal NOK string, as the README defines amounts. */
const ore = (s: string): bigint => {
  const [k, o = ''] = s.split('.');
  return BigInt(k) * 100n + BigInt((o + '00').slice(0, 2));
};

describe('grant schemes, stimulus grants and evidence: adversarial review (e2e)', () => {
  let t: TestApp;
  let vox: Auth;
  let admin: Auth;
  let auditor: Auth;
  let board: Auth;
  let telemark: Auth;
  let ostfold: Auth;
  let both: Auth;
  let vestAgder: Auth;

  const head = () => t.store.headPosition();
  const post = (auth: Auth, url: string, body: unknown, headers: Record<string, string> = {}) => t.http().post(url).set(auth).set(headers).send(body as object);
  const ok = async (auth: Auth, url: string, body: object) => {
    const res = await post(auth, url, body);
    if (res.status !== 200 && res.status !== 201) throw new Error(`POST ${url} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res;
  };
  const get = async (url: string, auth: Auth = auditor) => t.http().get(url).set(auth);
  const scheme = (year: number, extra: object = {}) => ({ year, baseGrant: '1000.00', criteriaSetId: 'criteria-2014', judgingDate: `${year}-03-01`, ...extra });
  const application = (id: string, extra: object = {}) => ({
    applicationId: id,
    countyId: 'telemark',
    year: 2014,
    purpose: 'establish-centre',
    amountAsked: '700000.00',
    description: 'Etablere et nytt karrieresenter',
    appliedOn: '2014-02-10',
    ...extra,
  });
  const development = (id: string, centreId: string, extra: object = {}) => application(id, { purpose: 'development', centreId, amountAsked: '300000.00', description: 'Utviklingsarbeid', ...extra });
  const activity = (extra: object = {}) => ({ deliveredOn: '2013-03-15', kind: 'course', targetGroups: ['nav-staff'], participants: 5, description: 'Kurs for NAV-veiledere', ...extra });

  beforeAll(async () => {
    t = await startTestApp({ seed: true });
    vox = await t.auth('vox', [], 'vox-saksbehandler');
    admin = await t.auth('admin', [], 'drift');
    auditor = await t.auth('auditor', [], 'riksrevisjonen');
    board = await t.auth('board-member', ['telemark'], 'styremedlem-1');
    telemark = await t.auth('finance-officer', ['telemark'], 'okonomi-telemark');
    ostfold = await t.auth('finance-officer', ['ostfold'], 'okonomi-ostfold');
    both = await t.auth('finance-officer', ['telemark', 'ostfold'], 'okonomi-begge');
    vestAgder = await t.auth('finance-officer', ['vest-agder'], 'okonomi-va');
    await ok(telemark, '/centres', { centreId: 'rv-skien', countyId: 'telemark', name: 'Karriere Skien', municipality: 'Skien', openedOn: '2010-01-01' });
    await ok(telemark, '/centres', { centreId: 'rv-notodden', countyId: 'telemark', name: 'Karriere Notodden', municipality: 'Notodden', openedOn: '2014-02-01' });
    await ok(telemark, '/centres', { centreId: 'rv-kragero', countyId: 'telemark', name: 'Karriere Kragerø', municipality: 'Kragerø', openedOn: '2010-01-01' });
    await ok(telemark, '/centres', { centreId: 'rv-bamble', countyId: 'telemark', name: 'Karriere Bamble', municipality: 'Bamble', openedOn: '2010-01-01' });
    await ok(ostfold, '/centres', { centreId: 'rv-sarpsborg', countyId: 'ostfold', name: 'Karrieresenter Østfold', municipality: 'Sarpsborg', openedOn: '2010-01-01' });
    await ok(vestAgder, '/centres', { centreId: 'rv-krs', countyId: 'vest-agder', name: 'Karriere Kristiansand', municipality: 'Kristiansand', openedOn: '2010-01-01' });
  });

  afterAll(async () => {
    await t.close();
  });

  // =============================================================================================
  // Grant schemes: publishing and amending
  // =============================================================================================

  it('scheme years: outside 2000–2100, fractional or a string is 400 GRANT_SCHEME.YEAR_OUT_OF_RANGE; a path year that is not four digits in range is 400 REQUEST.BAD_YEAR; nothing recorded', async () => {
    const before = await head();
    const bodies: [string, object][] = [
      ['1999', scheme(1999)],
      ['2101', scheme(2101, { judgingDate: '2101-03-01' })],
      ['2015.5', scheme(2015, { year: 2015.5 })],
      ['"2015"', scheme(2015, { year: '2015' })],
    ];
    for (const [what, body] of bodies) {
      const res = await post(vox, '/grant-schemes', body);
      expect([what, res.status, res.body.code]).toEqual([what, 400, 'GRANT_SCHEME.YEAR_OUT_OF_RANGE']);
    }
    for (const year of ['1999', '2101', '02015', '2015.0', 'abcd']) {
      const amend = await post(vox, `/grant-schemes/${year}/amendments`, { baseGrant: '1.00', reason: 'x' });
      expect([year, amend.status, amend.body.code]).toEqual([year, 400, 'REQUEST.BAD_YEAR']);
      const read = await get(`/grant-schemes/${year}`);
      expect([year, read.status, read.body.code]).toEqual([year, 400, 'REQUEST.BAD_YEAR']);
    }
    expect(await head()).toBe(before);
  });

  it('only Vox publishes and amends: admin, auditor, a finance officer and a board member get 403 ACCESS.ROLE_NOT_ALLOWED and nothing is recorded', async () => {
    await ok(vox, '/grant-schemes', scheme(2018));
    const before = await head();
    for (const [who, auth] of [['admin', admin], ['auditor', auditor], ['finance officer', telemark], ['board member', board]] as const) {
      const pub = await post(auth, '/grant-schemes', scheme(2019));
      expect([who, 'publish', pub.status, pub.body.code]).toEqual([who, 'publish', 403, 'ACCESS.ROLE_NOT_ALLOWED']);
      const amend = await post(auth, '/grant-schemes/2018/amendments', { baseGrant: '2.00', reason: 'x' });
      expect([who, 'amend', amend.status, amend.body.code]).toEqual([who, 'amend', 403, 'ACCESS.ROLE_NOT_ALLOWED']);
    }
    expect(await head()).toBe(before);
    expect((await get('/grant-schemes/2019')).status).toBe(404);
    expect((await get('/grant-schemes/2018')).body).toMatchObject({ version: 1, baseGrant: '1000.00' });
  });

  it('the base-grant sum is an amount like any other: every malformed sum gets its MONEY.* code on publishing and on amending; the largest sum is kept to the øre', async () => {
    await ok(vox, '/grant-schemes', scheme(2020));
    const before = await head();
    const cases: [unknown, string][] = [
      [100, 'MONEY.NOT_A_DECIMAL_STRING'],
      [100.5, 'MONEY.NOT_A_DECIMAL_STRING'],
      ['-0.01', 'MONEY.NEGATIVE'],
      ['0.00', 'MONEY.ZERO'],
      ['0', 'MONEY.ZERO'],
      ['100.001', 'MONEY.FRACTIONAL_ORE'],
      ['1e6', 'MONEY.INVALID'],
      [' 100.00', 'MONEY.INVALID'],
      ['100,00', 'MONEY.INVALID'],
      ['0100.00', 'MONEY.INVALID'],
      ['100.', 'MONEY.INVALID'],
      ['.50', 'MONEY.INVALID'],
      ['1000000000000.01', 'MONEY.TOO_LARGE'],
    ];
    for (const [sum, code] of cases) {
      const pub = await post(vox, '/grant-schemes', scheme(2021, { baseGrant: sum }));
      expect(['publish', sum, pub.status, pub.body.code]).toEqual(['publish', sum, 400, code]);
      const amend = await post(vox, '/grant-schemes/2020/amendments', { baseGrant: sum, reason: 'Ny ramme' });
      expect(['amend', sum, amend.status, amend.body.code]).toEqual(['amend', sum, 400, code]);
    }
    const missing = await post(vox, '/grant-schemes', scheme(2021, { baseGrant: null }));
    expect([missing.status, missing.body.code]).toEqual([400, 'VALIDATION.FAILED']);
    expect(await head()).toBe(before);
    expect((await get('/grant-schemes/2021')).status).toBe(404);
    // NOK 1 000 000 000 000 is the largest amount the ledger takes; it and one øre are both kept exactly.
    await ok(vox, '/grant-schemes', scheme(2021, { baseGrant: '1000000000000.00' }));
    const big = (await get('/grant-schemes/2021')).body;
    expect([big.baseGrant, BigInt(big.baseGrantOre)]).toEqual(['1000000000000.00', ore('1000000000000.00')]);
    await ok(vox, '/grant-schemes/2021/amendments', { baseGrant: '0.01', reason: 'Én øre' });
    const small = (await get('/grant-schemes/2021')).body;
    expect([small.version, small.baseGrant, small.baseGrantOre]).toEqual([2, '0.01', 1]);
  });

  it('publishing a year twice is 409 GRANT_SCHEME.ALREADY_PUBLISHED, also when both arrive at once; the first terms stand', async () => {
    const [a, b] = await Promise.all([post(vox, '/grant-schemes', scheme(2022, { baseGrant: '111.11' })), post(vox, '/grant-schemes', scheme(2022, { baseGrant: '222.22' }))]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    const refused = a.status === 409 ? a : b;
    const won = a.status === 201 ? '111.11' : '222.22';
    expect(refused.body.code).toBe('GRANT_SCHEME.ALREADY_PUBLISHED');
    const before = await head();
    const again = await post(vox, '/grant-schemes', scheme(2022, { baseGrant: '333.33' }));
    expect([again.status, again.body.code]).toEqual([409, 'GRANT_SCHEME.ALREADY_PUBLISHED']);
    expect(await head()).toBe(before);
    const s = (await get('/grant-schemes/2022')).body;
    expect([s.version, s.baseGrant, s.history.length]).toEqual([1, won, 1]);
  });

  it('windows: one that ends before it starts, a report deadline before its report year, a report year outside the five years up to the scheme year are refused with their codes and the window named; nothing recorded', async () => {
    await ok(vox, '/grant-schemes', scheme(2023));
    const before = await head();
    const cases: [string, string, object, number, string][] = [
      ['publish', '/grant-schemes', scheme(2024, { windows: { partnershipAgreement: { from: '2024-03-01', to: '2024-02-28' } } }), 422, 'GRANT_SCHEME.WINDOW_ENDS_BEFORE_START'],
      ['publish', '/grant-schemes', scheme(2024, { windows: { annualReport: { deadline: '2022-12-31' } } }), 422, 'GRANT_SCHEME.WINDOW_ENDS_BEFORE_START'],
      ['publish', '/grant-schemes', scheme(2024, { windows: { annualReport: { reportYear: 2018 } } }), 400, 'GRANT_SCHEME.WINDOW_INVALID_REPORT_YEAR'],
      ['publish', '/grant-schemes', scheme(2024, { windows: { annualReport: { reportYear: 2025 } } }), 400, 'GRANT_SCHEME.WINDOW_INVALID_REPORT_YEAR'],
      ['publish', '/grant-schemes', scheme(2024, { windows: { userSurvey: { from: '2023-01-01', to: '2023-02-30' } } }), 400, 'GRANT_SCHEME.WINDOW_INVALID_DATE'],
      ['amend', '/grant-schemes/2023/amendments', { windows: { competenceDevelopment: { from: '2023-03-02' } }, reason: 'x' }, 422, 'GRANT_SCHEME.WINDOW_ENDS_BEFORE_START'],
      ['amend', '/grant-schemes/2023/amendments', { judgingDate: '2021-12-31', reason: 'x' }, 422, 'GRANT_SCHEME.JUDGING_DATE_OUT_OF_RANGE'],
    ];
    for (const [what, url, body, status, code] of cases) {
      const res = await post(vox, url, body);
      expect([what, JSON.stringify(body), res.status, res.body.code]).toEqual([what, JSON.stringify(body), status, code]);
    }
    const reversed = await post(vox, '/grant-schemes', scheme(2024, { windows: { partnershipAgreement: { from: '2024-03-01', to: '2024-02-28' } } }));
    expect(reversed.body.details).toMatchObject({ window: 'partnershipAgreement', from: '2024-03-01', to: '2024-02-28' });
    expect(await head()).toBe(before);
    expect((await get('/grant-schemes/2024')).status).toBe(404);
    expect((await get('/grant-schemes/2023')).body.version).toBe(1);
  });

  it('amendments lay windows over the earlier ones field by field, defaults follow a new judging date, and asOf shows each version as it was', async () => {
    const first = await ok(vox, '/grant-schemes', scheme(2017, { windows: { freeGuidance: { maxFromAge: 20 } } }));
    const second = await ok(vox, '/grant-schemes/2017/amendments', { windows: { freeGuidance: { from: '2017-02-01' } }, reason: 'Lengre vindu for gratis veiledning' });
    await ok(vox, '/grant-schemes/2017/amendments', { judgingDate: '2017-04-01', reason: 'Senere vurderingsdato' });
    const now = (await get('/grant-schemes/2017')).body;
    // README defaults (Y = 2017, J = 2017-04-01): free guidance on J (here from Vox's 2017-02-01), competence development 1 Jan Y−1..J,
    // user survey all of Y−1, annual report for Y−1 by J.
    expect(now.version).toBe(3);
    expect(now.judgingDate).toBe('2017-04-01');
    expect(now.windows).toEqual({
      partnershipAgreement: { from: '2017-04-01', to: '2017-04-01' },
      coordinatingFunction: { from: '2017-04-01', to: '2017-04-01' },
      freeGuidance: { from: '2017-02-01', to: '2017-04-01', maxFromAge: 20 },
      competenceDevelopment: { from: '2016-01-01', to: '2017-04-01' },
      userSurvey: { from: '2016-01-01', to: '2016-12-31' },
      annualReport: { reportYear: 2016, deadline: '2017-04-01' },
    });
    expect(now.windowOverrides).toEqual({ freeGuidance: { maxFromAge: 20, from: '2017-02-01' } });
    expect(now.history.map((h: any) => [h.version, h.type, h.text])).toEqual([
      [1, 'GrantSchemePublished', null],
      [2, 'GrantSchemeAmended', 'Lengre vindu for gratis veiledning'],
      [3, 'GrantSchemeAmended', 'Senere vurderingsdato'],
    ]);
    const v1 = (await get(`/grant-schemes/2017?asOf=${encodeURIComponent(first.body.recordedAt)}`)).body;
    expect([v1.version, v1.judgingDate, v1.windows.freeGuidance]).toEqual([1, '2017-03-01', { from: '2017-03-01', to: '2017-03-01', maxFromAge: 20 }]);
    const v2 = (await get(`/grant-schemes/2017?asOf=${encodeURIComponent(second.body.recordedAt)}`)).body;
    expect([v2.version, v2.judgingDate, v2.windows.freeGuidance]).toEqual([2, '2017-03-01', { from: '2017-02-01', to: '2017-03-01', maxFromAge: 20 }]);
    const before = (await get(`/grant-schemes/2017?asOf=${encodeURIComponent(new Date(Date.parse(first.body.recordedAt) - 1).toISOString())}`));
    expect([before.status, before.body.code]).toEqual([404, 'GRANT_SCHEME.NOT_FOUND']);
  });

  // =============================================================================================
  // Stimulus grants: applications
  // =============================================================================================

  it('amountAsked: every malformed amount gets its MONEY.* code and nothing is recorded; the largest amount is kept to the øre and may be awarded in full', async () => {
    const before = await head();
    const cases: [unknown, string][] = [
      [700000, 'MONEY.NOT_A_DECIMAL_STRING'],
      ['-1.00', 'MONEY.NEGATIVE'],
      ['0.00', 'MONEY.ZERO'],
      ['1.001', 'MONEY.FRACTIONAL_ORE'],
      ['7e5', 'MONEY.INVALID'],
      ['700 000.00', 'MONEY.INVALID'],
      ['1000000000000.01', 'MONEY.TOO_LARGE'],
    ];
    for (const [amountAsked, code] of cases) {
      const res = await post(telemark, '/stimulus-grants', application('rv-money-bad', { amountAsked }));
      expect([amountAsked, res.status, res.body.code]).toEqual([amountAsked, 400, code]);
    }
    expect(await head()).toBe(before);
    expect((await get('/stimulus-grants/rv-money-bad')).status).toBe(404);
    await ok(telemark, '/stimulus-grants', application('rv-money-max', { amountAsked: '1000000000000.00' }));
    const above = await post(vox, '/stimulus-grants/rv-money-max/award', { amount: '1000000000000.01' });
    expect([above.status, above.body.code]).toEqual([400, 'MONEY.TOO_LARGE']);
    await ok(vox, '/stimulus-grants/rv-money-max/award', { amount: '999999999999.99' });
    const one = (await get('/stimulus-grants/rv-money-max')).body;
    expect([one.amountAsked, one.amountAwarded]).toEqual(['1000000000000.00', '999999999999.99']);
    expect(ore(one.amountAsked) - ore(one.amountAwarded)).toBe(1n);
  });

  it("who may apply for what: another county (403), a centre of another county from an officer of both (422), an unregistered county (404), an unknown centre (404); nothing recorded", async () => {
    const before = await head();
    const other = await post(telemark, '/stimulus-grants', application('rv-who-1', { countyId: 'ostfold' }));
    expect([other.status, other.body.code]).toEqual([403, 'ACCESS.OTHER_COUNTY']);
    const viaOwnCentre = await post(telemark, '/stimulus-grants', development('rv-who-2', 'rv-skien', { countyId: 'ostfold' }));
    expect([viaOwnCentre.status, viaOwnCentre.body.code]).toEqual([403, 'ACCESS.OTHER_COUNTY']);
    const crossed = await post(both, '/stimulus-grants', development('rv-who-3', 'rv-sarpsborg'));
    expect([crossed.status, crossed.body.code]).toEqual([422, 'STIMULUS_GRANT.CENTRE_OF_OTHER_COUNTY']);
    const atlantis = await post(await t.auth('finance-officer', ['atlantis']), '/stimulus-grants', application('rv-who-4', { countyId: 'atlantis' }));
    expect([atlantis.status, atlantis.body.code]).toEqual([404, 'COUNTY.NOT_FOUND']);
    const nowhere = await post(telemark, '/stimulus-grants', development('rv-who-5', 'rv-nowhere'));
    expect([nowhere.status, nowhere.body.code]).toEqual([404, 'CENTRE.NOT_FOUND']);
    for (const [who, auth] of [['vox', vox], ['auditor', auditor], ['board member', board]] as const) {
      const res = await post(auth, '/stimulus-grants', application(`rv-who-${who.replace(' ', '-')}`));
      expect([who, res.status]).toEqual([who, 403]);
    }
    expect(await head()).toBe(before);
  });

  it('dates: appliedOn after today in Norway is 422 STIMULUS_GRANT.IN_FUTURE naming the dates, not a calendar date 400 DATE.INVALID; development from the opening day on; left out it is today', async () => {
    const today = osloToday();
    const before = await head();
    const future = await post(telemark, '/stimulus-grants', application('rv-date-1', { appliedOn: addDays(today, 2) }));
    expect([future.status, future.body.code]).toEqual([422, 'STIMULUS_GRANT.IN_FUTURE']);
    expect(future.body.details).toMatchObject({ appliedOn: addDays(today, 2), today });
    const bad = await post(telemark, '/stimulus-grants', application('rv-date-2', { appliedOn: '2014-02-30' }));
    expect([bad.status, bad.body.code]).toEqual([400, 'DATE.INVALID']);
    const early = await post(telemark, '/stimulus-grants', development('rv-date-3', 'rv-notodden', { appliedOn: '2014-01-31' }));
    expect([early.status, early.body.code]).toEqual([422, 'STIMULUS_GRANT.BEFORE_OPENING']);
    expect(await head()).toBe(before);
    await ok(telemark, '/stimulus-grants', development('rv-date-4', 'rv-notodden', { appliedOn: '2014-02-01' }));
    const body = application('rv-date-5') as Record<string, unknown>;
    delete body.appliedOn;
    await ok(telemark, '/stimulus-grants', body);
    expect((await get('/stimulus-grants/rv-date-5')).body.appliedOn).toBe(osloToday());
  });

  it('a closed centre: an application recorded for it blocks closing before its date; once closed, development dated on or after closedOn (or left to today) is 422 CENTRE.CLOSED, dated before it is recorded', async () => {
    await ok(telemark, '/stimulus-grants', development('rv-closed-1', 'rv-kragero', { appliedOn: '2014-05-01' }));
    const before = await head();
    const early = await post(telemark, '/centres/rv-kragero/close', { closedOn: '2014-04-01', reason: 'Slått sammen' });
    expect([early.status, early.body.code]).toEqual([409, 'CENTRE.CLOSE_BEFORE_ACTIVITY']);
    expect(early.body.details).toMatchObject({ earliestClosedOn: '2014-05-02' });
    expect(JSON.stringify(early.body.details)).toContain('rv-closed-1');
    expect(await head()).toBe(before);
    await ok(telemark, '/centres/rv-kragero/close', { closedOn: '2014-05-02', reason: 'Slått sammen' });
    const afterClose = await head();
    const onClosing = await post(telemark, '/stimulus-grants', development('rv-closed-2', 'rv-kragero', { appliedOn: '2014-05-02' }));
    expect([onClosing.status, onClosing.body.code]).toEqual([422, 'CENTRE.CLOSED']);
    expect(onClosing.body.details).toMatchObject({ centreId: 'rv-kragero', closedOn: '2014-05-02', date: '2014-05-02', latestDate: '2014-05-01' });
    const noDate = development('rv-closed-3', 'rv-kragero') as Record<string, unknown>;
    delete noDate.appliedOn;
    const today = await post(telemark, '/stimulus-grants', noDate);
    expect([today.status, today.body.code]).toEqual([422, 'CENTRE.CLOSED']);
    expect(await head()).toBe(afterClose);
    // README: "stimulus applications dated before closedOn are recorded as for any open centre".
    await ok(telemark, '/stimulus-grants', development('rv-closed-4', 'rv-kragero', { appliedOn: '2014-05-01' }));
    expect((await get('/stimulus-grants/rv-closed-4')).body).toMatchObject({ centreId: 'rv-kragero', status: 'applied', appliedOn: '2014-05-01' });
  });

  // =============================================================================================
  // Stimulus grants: decisions
  // =============================================================================================

  it('a decision is dated by the ledger (today in Norway): a body naming decidedOn is 400 VALIDATION.UNKNOWN_FIELD; the full amount asked may be awarded; deciding twice 409, before applying 404; nothing extra recorded', async () => {
    await ok(telemark, '/stimulus-grants', application('rv-dec-1', { amountAsked: '123456.78' }));
    const before = await head();
    const dated = await post(vox, '/stimulus-grants/rv-dec-1/award', { amount: '100.00', decidedOn: '2099-01-01' });
    expect([dated.status, dated.body.code]).toEqual([400, 'VALIDATION.UNKNOWN_FIELD']);
    const datedReject = await post(vox, '/stimulus-grants/rv-dec-1/rejection', { reason: 'Nei', decidedOn: '2013-01-01' });
    expect([datedReject.status, datedReject.body.code]).toEqual([400, 'VALIDATION.UNKNOWN_FIELD']);
    const above = await post(vox, '/stimulus-grants/rv-dec-1/award', { amount: '123456.79' });
    expect([above.status, above.body.code]).toEqual([422, 'STIMULUS_GRANT.AWARD_ABOVE_ASKED']);
    const notYet = await post(vox, '/stimulus-grants/rv-dec-none/award', { amount: '1.00' });
    expect([notYet.status, notYet.body.code]).toEqual([404, 'STIMULUS_GRANT.NOT_FOUND']);
    const notYetReject = await post(vox, '/stimulus-grants/rv-dec-none/rejection', { reason: 'Nei' });
    expect([notYetReject.status, notYetReject.body.code]).toEqual([404, 'STIMULUS_GRANT.NOT_FOUND']);
    expect(await head()).toBe(before);
    const res = await ok(vox, '/stimulus-grants/rv-dec-1/award', { amount: '123456.78' });
    const today = osloToday();
    const one = (await get('/stimulus-grants/rv-dec-1')).body;
    expect([one.status, one.amountAwarded, one.decision.decidedOn, one.decision.event.eventId]).toEqual(['awarded', '123456.78', today, res.body.eventIds[0]]);
    const after = await head();
    for (const [url, body] of [['/stimulus-grants/rv-dec-1/award', { amount: '1.00' }], ['/stimulus-grants/rv-dec-1/rejection', { reason: 'Likevel nei' }]] as const) {
      const twice = await post(vox, url, body);
      expect([url, twice.status, twice.body.code]).toEqual([url, 409, 'STIMULUS_GRANT.ALREADY_DECIDED']);
    }
    expect(await head()).toBe(after);
    // the application cannot be filed again under the same id either
    const refile = await post(telemark, '/stimulus-grants', application('rv-dec-1', { amountAsked: '999999.00' }));
    expect([refile.status, refile.body.code]).toEqual([409, 'STIMULUS_GRANT.ALREADY_EXISTS']);
    expect((await get('/stimulus-grants/rv-dec-1')).body.amountAsked).toBe('123456.78');
  });

  it('an award and a rejection sent at the same moment: exactly one is recorded, the other is 409 ALREADY_DECIDED, and the stream holds one decision', async () => {
    await ok(telemark, '/stimulus-grants', application('rv-race-1'));
    const before = await head();
    const [award, reject] = await Promise.all([post(vox, '/stimulus-grants/rv-race-1/award', { amount: '500000.00' }), post(vox, '/stimulus-grants/rv-race-1/rejection', { reason: 'Rammen er brukt opp' })]);
    expect([award.status, reject.status].sort()).toEqual([200, 409]);
    const loser = award.status === 409 ? award : reject;
    expect(loser.body.code).toBe('STIMULUS_GRANT.ALREADY_DECIDED');
    expect(await head()).toBe(before + 1);
    const { events } = (await get('/audit/streams/stimulus-grant-rv-race-1')).body;
    expect(events.map((e: any) => e.type)).toEqual(['StimulusGrantApplied', award.status === 200 ? 'StimulusGrantAwarded' : 'StimulusGrantRejected']);
    const one = (await get('/stimulus-grants/rv-race-1')).body;
    expect(one.status).toBe(award.status === 200 ? 'awarded' : 'rejected');
  });

  it('two corrections at the same moment are chained: the second replaces the decision the first made, never the one both saw', async () => {
    await ok(telemark, '/stimulus-grants', application('rv-race-2'));
    await ok(vox, '/stimulus-grants/rv-race-2/award', { amount: '600000.00' });
    const [a, b] = await Promise.all([
      post(vox, '/stimulus-grants/rv-race-2/decision-correction', { outcome: 'awarded', amount: '550000.00', correctionReason: 'Skrivefeil' }),
      post(vox, '/stimulus-grants/rv-race-2/decision-correction', { outcome: 'rejected', reason: 'Søknaden kom for sent', correctionReason: 'Omgjort' }),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const one = (await get('/stimulus-grants/rv-race-2')).body;
    expect(one.corrections).toHaveLength(2);
    const [c1, c2] = one.corrections;
    expect(c1.previous).toMatchObject({ status: 'awarded', amountAwarded: '600000.00' });
    expect({ status: c2.previous.status, amountAwarded: c2.previous.amountAwarded, note: c2.previous.note, reason: c2.previous.reason }).toEqual(c1.decision);
    expect(c2.previous.event.eventId).toBe(c1.event.eventId);
    expect([one.status, one.amountAwarded]).toEqual([c2.decision.status, c2.decision.amountAwarded]);
    // the log agrees: the second correction's `previous` is the first correction's decision
    const { events } = (await get('/audit/streams/stimulus-grant-rv-race-2')).body;
    const [e1, e2] = events.filter((e: any) => e.type === 'StimulusGrantDecisionCorrected');
    expect(e2.data.previous).toEqual({ outcome: e1.data.outcome, amountOre: e1.data.amountOre, note: e1.data.note, reason: e1.data.reason });
  });

  it('corrections: the same amount written another way changes nothing (422); a rejection turned into an award of more than asked is 422; withdrawing an award (correcting to a rejection) clears the amount; asOf shows each decision', async () => {
    await ok(telemark, '/stimulus-grants', application('rv-corr-1', { amountAsked: '400000.00' }));
    const award = await ok(vox, '/stimulus-grants/rv-corr-1/award', { amount: '400000.00' });
    const before = await head();
    const same = await post(vox, '/stimulus-grants/rv-corr-1/decision-correction', { outcome: 'awarded', amount: '400000', correctionReason: 'Samme beløp' });
    expect([same.status, same.body.code]).toEqual([422, 'STIMULUS_GRANT.CORRECTION_CHANGES_NOTHING']);
    expect(await head()).toBe(before);
    const withdrawn = await ok(vox, '/stimulus-grants/rv-corr-1/decision-correction', { outcome: 'rejected', reason: 'Vilkårene var ikke oppfylt', correctionReason: 'Tildelingen trekkes tilbake' });
    const afterWithdrawal = await head();
    const tooMuch = await post(vox, '/stimulus-grants/rv-corr-1/decision-correction', { outcome: 'awarded', amount: '400000.01', correctionReason: 'Omgjort' });
    expect([tooMuch.status, tooMuch.body.code]).toEqual([422, 'STIMULUS_GRANT.AWARD_ABOVE_ASKED']);
    expect(await head()).toBe(afterWithdrawal);
    const now = (await get('/stimulus-grants/rv-corr-1')).body;
    expect([now.status, now.amountAwarded, now.decision.reason, now.decision.event.eventId]).toEqual(['rejected', null, 'Vilkårene var ikke oppfylt', withdrawn.body.eventIds[0]]);
    expect((await get('/stimulus-grants?countyId=telemark&status=awarded')).body.map((s: any) => s.applicationId)).not.toContain('rv-corr-1');
    expect((await get('/stimulus-grants?countyId=telemark&status=rejected')).body.map((s: any) => s.applicationId)).toContain('rv-corr-1');
    const then = (await get(`/stimulus-grants/rv-corr-1?asOf=${encodeURIComponent(award.body.recordedAt)}`)).body;
    expect([then.status, then.amountAwarded, then.corrections]).toEqual(['awarded', '400000.00', []]);
    const atWithdrawal = (await get(`/stimulus-grants/rv-corr-1?asOf=${encodeURIComponent(withdrawn.body.recordedAt)}`)).body;
    expect([atWithdrawal.status, atWithdrawal.amountAwarded, atWithdrawal.corrections.length]).toEqual(['rejected', null, 1]);
  });

  // =============================================================================================
  // What an auditor sees
  // =============================================================================================

  it('every event a stimulus answer names is fetchable: readerLink by any reader, link by an auditor, and it records what the answer says (amounts to the øre, who decided, in which role)', async () => {
    const applied = await ok(telemark, '/stimulus-grants', development('rv-audit-1', 'rv-skien', { amountAsked: '250000.50' }));
    const awarded = await ok(vox, '/stimulus-grants/rv-audit-1/award', { amount: '200000.25', note: 'Delvis tildelt' });
    const corrected = await ok(vox, '/stimulus-grants/rv-audit-1/decision-correction', { outcome: 'awarded', amount: '210000.75', note: 'Rettet', correctionReason: 'Regnefeil' });
    const one = (await get('/stimulus-grants/rv-audit-1')).body;
    const named = [
      ['application', one.event, applied.body.eventIds[0], 'StimulusGrantApplied'],
      ['decision in force', one.decision.event, corrected.body.eventIds[0], 'StimulusGrantDecisionCorrected'],
      ['correction', one.corrections[0].event, corrected.body.eventIds[0], 'StimulusGrantDecisionCorrected'],
      ['decision replaced', one.corrections[0].previous.event, awarded.body.eventIds[0], 'StimulusGrantAwarded'],
    ] as const;
    for (const [what, link, eventId, type] of named) {
      expect([what, link.eventId, link.type]).toEqual([what, eventId, type]);
      const asReader = await get(link.readerLink, ostfold);
      expect([what, asReader.status, asReader.body.eventId, asReader.body.type]).toEqual([what, 200, eventId, type]);
      const asAuditor = await get(link.link);
      expect([what, asAuditor.status, asAuditor.body.eventId]).toEqual([what, 200, eventId]);
    }
    const ev = async (id: string) => (await get(`/audit/events/${id}`)).body;
    const a = await ev(applied.body.eventIds[0]);
    expect([a.data.amountAskedOre, a.data.centreId, a.metadata.actorId, a.metadata.actorRole]).toEqual([Number(ore('250000.50')), 'rv-skien', 'okonomi-telemark', 'finance-officer']);
    const w = await ev(awarded.body.eventIds[0]);
    expect([w.data.amountOre, w.data.note, w.metadata.actorId, w.metadata.actorRole]).toEqual([Number(ore('200000.25')), 'Delvis tildelt', 'vox-saksbehandler', 'vox']);
    const c = await ev(corrected.body.eventIds[0]);
    expect([c.data.amountOre, c.data.previous.amountOre, c.metadata.actorId]).toEqual([Number(ore('210000.75')), Number(ore('200000.25')), 'vox-saksbehandler']);
    expect([one.amountAwarded, one.corrections[0].previous.amountAwarded]).toEqual(['210000.75', '200000.25']);
    // the auditor's log filter finds the decisions of the county
    const log = (await get('/audit/events?county=telemark&type=StimulusGrantAwarded,StimulusGrantDecisionCorrected&limit=500')).body;
    const ids = (log.events ?? log.items ?? []).map((e: any) => e.eventId);
    expect(ids).toEqual(expect.arrayContaining([awarded.body.eventIds[0], corrected.body.eventIds[0]]));
  });

  it('the readerLink route serves only the grant streams: a county-line decision (not a grant stream) is 400 GRANT_EVIDENCE.NOT_CITABLE, as a board decision is', async () => {
    await ok(vestAgder, '/parties', { partyId: 'rv-va-fk', name: 'Vest-Agder fylkeskommune', kind: 'county-authority', countyId: 'vest-agder' });
    const decided = await ok(vestAgder, '/counties/vest-agder/county-line-decisions', {
      decisionId: 'rv-va-goals',
      centreIds: ['rv-krs'],
      kind: 'goals',
      year: 2014,
      title: 'Mål for 2014',
      content: { goals: ['Veiledning for alle voksne'] },
      decidedOn: '2014-01-10',
    });
    expect(decided.body.streamId).toBe('county-line-vest-agder');
    // The county's own stream is a grant stream (criterion 3 may cite it) and is served.
    const county = await get('/grant-evidence/streams/county-vest-agder/revisions/0', ostfold);
    expect([county.status, county.body.type]).toEqual([200, 'CountyRegistered']);
    const board = await get('/grant-evidence/streams/board-x/revisions/0', ostfold);
    expect([board.status, board.body.code]).toEqual([400, 'GRANT_EVIDENCE.NOT_CITABLE']);
    const line = await get(`/grant-evidence/streams/${decided.body.streamId}/revisions/0`, ostfold);
    expect([line.status, line.body.code, line.body.type]).toEqual([400, 'GRANT_EVIDENCE.NOT_CITABLE', undefined]);
  });

  // =============================================================================================
  // Evidence recording
  // =============================================================================================

  it('an evidence id is one per centre across every kind (409 GRANT_EVIDENCE.ID_TAKEN naming the kind); another centre may use it, and withdrawing one leaves the other', async () => {
    const decl = await ok(telemark, '/centres/rv-skien/grant-evidence/service-declarations', { declarationId: 'ev-shared', effectiveFrom: '2013-01-01', freeOfCharge: true, openToAllAdults: true, fromAge: 19 });
    const before = await head();
    const kinds: [string, object][] = [
      ['competence-development', activity({ activityId: 'ev-shared' })],
      ['user-survey-participations', { participationId: 'ev-shared', period: { from: '2013-01-01', to: '2013-12-31' } }],
      ['annual-reports', { reportId: 'ev-shared', year: 2012, submittedOn: '2013-02-01' }],
      ['service-declarations', { declarationId: 'ev-shared', effectiveFrom: '2013-06-01', freeOfCharge: true, openToAllAdults: true, fromAge: 19 }],
    ];
    for (const [kind, body] of kinds) {
      const res = await post(telemark, `/centres/rv-skien/grant-evidence/${kind}`, body);
      expect([kind, res.status, res.body.code]).toEqual([kind, 409, 'GRANT_EVIDENCE.ID_TAKEN']);
      expect(res.body.message).toContain('ServiceDeclared');
    }
    expect(await head()).toBe(before);
    const bamble = await ok(telemark, '/centres/rv-bamble/grant-evidence/competence-development', activity({ activityId: 'ev-shared' }));
    await ok(telemark, '/centres/rv-skien/grant-evidence/ev-shared/withdrawal', { reason: 'Feil senter' });
    const b = (await get('/centres/rv-bamble/grant-evidence')).body;
    expect([b.competenceDevelopment.map((x: any) => [x.activityId, x.event.eventId]), b.withdrawn]).toEqual([[['ev-shared', bamble.body.eventIds[0]]], []]);
    const s = (await get('/centres/rv-skien/grant-evidence')).body;
    expect(s.serviceDeclarations.map((x: any) => x.event.eventId)).not.toContain(decl.body.eventIds[0]);
    expect(s.withdrawn.map((x: any) => [x.evidenceId, x.evidenceType])).toEqual([['ev-shared', 'ServiceDeclared']]);
  });

  it('a closed centre: evidence dated before closedOn is still recorded, dated on it is 422 CENTRE.CLOSED; withdrawing its evidence is never refused (200), twice is 409', async () => {
    await ok(telemark, '/centres/rv-bamble/grant-evidence/annual-reports', { reportId: 'bam-2013', year: 2013, submittedOn: '2014-02-20' });
    await ok(telemark, '/centres/rv-bamble/close', { closedOn: '2014-07-01', reason: 'Nedlagt' });
    const before = await head();
    const cases: [string, object][] = [
      ['competence-development', activity({ deliveredOn: '2014-07-01' })],
      ['service-declarations', { effectiveFrom: '2014-07-01', freeOfCharge: true, openToAllAdults: true, fromAge: 19 }],
      ['user-survey-participations', { period: { from: '2014-07-01', to: '2014-07-31' } }],
    ];
    for (const [kind, body] of cases) {
      const res = await post(telemark, `/centres/rv-bamble/grant-evidence/${kind}`, body);
      expect([kind, res.status, res.body.code]).toEqual([kind, 422, 'CENTRE.CLOSED']);
      expect(res.body.details).toMatchObject({ centreId: 'rv-bamble', closedOn: '2014-07-01', date: '2014-07-01', latestDate: '2014-06-30' });
    }
    // An annual report goes by its year: one for 2015, a year the centre is open on no day of, is refused
    const report2015 = await post(telemark, '/centres/rv-bamble/grant-evidence/annual-reports', { year: 2015, submittedOn: '2016-02-01' });
    expect([report2015.status, report2015.body.code, report2015.body.details]).toEqual([422, 'CENTRE.CLOSED', { centreId: 'rv-bamble', closedOn: '2014-07-01', year: 2015, latestDate: '2014-06-30' }]);
    expect(await head()).toBe(before);
    // …and the final one, for the half of 2014 it was open, is recorded from the closing date on
    const final = await ok(telemark, '/centres/rv-bamble/grant-evidence/annual-reports', { reportId: 'bam-2014', year: 2014, submittedOn: '2014-07-01' });
    expect(final.status).toBe(201);
    const late = await ok(telemark, '/centres/rv-bamble/grant-evidence/competence-development', activity({ activityId: 'bam-act', deliveredOn: '2014-06-30' }));
    expect(late.status).toBe(201);
    expect((await post(telemark, '/centres/rv-bamble/grant-evidence/bam-2013/withdrawal', { reason: 'Feil år' })).status).toBe(200);
    const again = await post(telemark, '/centres/rv-bamble/grant-evidence/bam-2013/withdrawal', { reason: 'Feil år' });
    expect([again.status, again.body.code]).toEqual([409, 'GRANT_EVIDENCE.ALREADY_WITHDRAWN']);
    const e = (await get('/centres/rv-bamble/grant-evidence')).body;
    expect([e.closedOn, e.annualReports.map((r: any) => r.reportId), e.competenceDevelopment.map((x: any) => x.activityId)]).toEqual(['2014-07-01', ['bam-2014'], ['ev-shared', 'bam-act']]);
  });

  it("withdrawn evidence is \"shown as withdrawn\": the centre's evidence listing still lets an auditor reach the event that recorded it", async () => {
    const recorded = await ok(telemark, '/centres/rv-skien/grant-evidence/competence-development', activity({ activityId: 'act-shown', deliveredOn: '2013-10-01', participants: 12 }));
    const withdrawal = await ok(telemark, '/centres/rv-skien/grant-evidence/act-shown/withdrawal', { reason: 'Registrert på feil senter' });
    const listing = (await get('/centres/rv-skien/grant-evidence')).body;
    expect(listing.competenceDevelopment.map((x: any) => x.activityId)).not.toContain('act-shown');
    const entry = listing.withdrawn.find((w: any) => w.evidenceId === 'act-shown');
    expect(entry).toMatchObject({ evidenceType: 'CompetenceDevelopmentDelivered', reason: 'Registrert på feil senter' });
    expect(entry.event.eventId).toBe(withdrawal.body.eventIds[0]);
    // The event that recorded the withdrawn activity (2013-10-01, 12 participants) is named somewhere in its entry.
    expect(JSON.stringify(entry)).toContain(recorded.body.eventIds[0]);
  });

  it('target groups: none, an unknown one (any case, or null) and one named twice get their own documented codes; "others" alone is recorded', async () => {
    const before = await head();
    const cases: [unknown, string][] = [
      [[], 'GRANT_EVIDENCE.NO_TARGET_GROUP'],
      [['NAV-staff'], 'GRANT_EVIDENCE.UNKNOWN_TARGET_GROUP'],
      [['teachers'], 'GRANT_EVIDENCE.UNKNOWN_TARGET_GROUP'],
      [[null], 'GRANT_EVIDENCE.UNKNOWN_TARGET_GROUP'],
      [['nav-staff', 'nav-staff'], 'GRANT_EVIDENCE.DUPLICATE_TARGET_GROUP'],
      [['others', 'nav-staff', 'others'], 'GRANT_EVIDENCE.DUPLICATE_TARGET_GROUP'],
    ];
    for (const [targetGroups, code] of cases) {
      const res = await post(telemark, '/centres/rv-skien/grant-evidence/competence-development', activity({ targetGroups }));
      expect([targetGroups, res.status, res.body.code]).toEqual([targetGroups, 400, code]);
    }
    expect(await head()).toBe(before);
    const others = await ok(telemark, '/centres/rv-skien/grant-evidence/competence-development', activity({ activityId: 'act-others', targetGroups: ['others'] }));
    expect(others.status).toBe(201);
    const listed = (await get('/centres/rv-skien/grant-evidence')).body.competenceDevelopment.find((x: any) => x.activityId === 'act-others');
    expect(listed.targetGroups).toEqual(['others']);
  });

  it('five target groups of the four the ledger knows necessarily name one twice: 400 GRANT_EVIDENCE.DUPLICATE_TARGET_GROUP, nothing recorded', async () => {
    const before = await head();
    const res = await post(
      telemark,
      '/centres/rv-skien/grant-evidence/competence-development',
      activity({ targetGroups: ['nav-staff', 'others', 'nav-staff', 'upper-secondary-counsellors', 'primary-lower-secondary-counsellors'] }),
    );
    expect([res.status, res.body.code]).toEqual([400, 'GRANT_EVIDENCE.DUPLICATE_TARGET_GROUP']);
    expect(await head()).toBe(before);
  });

  it('two annual reports for the same year sent at the same moment: one is recorded, the other is 409 ANNUAL_REPORT.ALREADY_SUBMITTED; a closing and backdated evidence racing: the loser is refused', async () => {
    const [a, b] = await Promise.all([
      post(ostfold, '/centres/rv-sarpsborg/grant-evidence/annual-reports', { reportId: 'sar-a', year: 2013, submittedOn: '2014-02-01' }),
      post(ostfold, '/centres/rv-sarpsborg/grant-evidence/annual-reports', { reportId: 'sar-b', year: 2013, submittedOn: '2014-02-02' }),
    ]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    expect((a.status === 409 ? a : b).body.code).toBe('ANNUAL_REPORT.ALREADY_SUBMITTED');
    const reports = (await get('/centres/rv-sarpsborg/grant-evidence')).body.annualReports;
    expect(reports).toHaveLength(1);
    const [close, evidence] = await Promise.all([
      post(ostfold, '/centres/rv-sarpsborg/close', { closedOn: '2014-06-01', reason: 'Flyttet' }),
      post(ostfold, '/centres/rv-sarpsborg/grant-evidence/competence-development', activity({ deliveredOn: '2014-07-01' })),
    ]);
    const outcomes = [close.status, evidence.status];
    // Exactly one of them stands (README: "whichever is written second is decided again").
    expect(outcomes.filter((s) => s === 200 || s === 201)).toHaveLength(1);
    const e = (await get('/centres/rv-sarpsborg/grant-evidence')).body;
    const closed = e.closedOn === '2014-06-01';
    const after = e.competenceDevelopment.filter((x: any) => x.deliveredOn >= '2014-06-01');
    expect(closed && after.length > 0).toBe(false);
  });
});
