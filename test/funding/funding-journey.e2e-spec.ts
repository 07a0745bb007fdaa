import { startTestApp, TestApp } from '../helpers/test-app';

/** Recording money and staff over HTTP as a finance officer: the happy path, every refusal, and who may do what. */
describe('funding over HTTP (e2e)', () => {
  let t: TestApp;
  let admin: { Authorization: string };
  let fo: { Authorization: string };
  let foOther: { Authorization: string };
  const post = (path: string, body: object, auth: { Authorization: string }, headers: Record<string, string> = {}) => t.http().post(path).set(auth).set(headers).send(body);
  const get = (path: string, auth: { Authorization: string }) => t.http().get(path).set(auth);

  beforeAll(async () => {
    t = await startTestApp({ seed: true });
    admin = await t.auth('admin');
    fo = await t.auth('finance-officer', ['telemark'], 'fo-telemark');
    foOther = await t.auth('finance-officer', ['ostfold'], 'fo-ostfold');
    for (const p of [
      { partyId: 'telemark-fk', name: 'Telemark fylkeskommune', kind: 'county-authority', countyId: 'telemark' },
      { partyId: 'nav-telemark', name: 'NAV Telemark', kind: 'nav-county-office', countyId: 'telemark' },
      { partyId: 'skien-kommune', name: 'Skien kommune', kind: 'municipality', countyId: 'telemark' },
    ]) expect((await post('/parties', p, admin)).status).toBe(201);
    expect((await post('/centres', { centreId: 'tm', countyId: 'telemark', name: 'Karrieresenter Telemark', municipality: 'Skien', openedOn: '2009-09-01' }, fo)).status).toBe(201);
    expect((await post('/centres', { centreId: 'tm-closed', countyId: 'telemark', name: 'Gamle senteret', municipality: 'Notodden', openedOn: '2009-09-01' }, fo)).status).toBe(201);
    expect((await t.http().post('/centres/tm-closed/close').set(fo).send({ closedOn: '2012-12-31', reason: 'Slått sammen' })).status).toBe(200);
    expect((await post('/centres', { centreId: 'of', countyId: 'ostfold', name: 'Karrieresenteret i Østfold', municipality: 'Sarpsborg', openedOn: '2008-01-01' }, foOther)).status).toBe(201);
  });
  afterAll(() => t.close());

  const grant = (over: object = {}) => ({ fiscalYear: 2013, partyId: 'telemark-fk', amount: '1000000.00', decidedOn: '2013-01-10', reference: 'FT-sak 1/13', ...over });

  it('records an operating grant (201 with where it landed and the entry id) and the funding mix shows it', async () => {
    const res = await post('/centres/tm/funding/operating-grants', grant({ entryId: 'g1' }), fo);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ streamId: 'funding-entry-g1', revision: 0, entryId: 'g1' });
    expect(res.body.position).toBeGreaterThan(0);
    const mix = await get('/centres/tm/funding-mix/2013', fo).set('X-Ledger-Position', String(res.body.position));
    expect(mix.body.total.amount).toBe('1000000.00');
  });

  it('derives the entry id from the Idempotency-Key, so a retry records nothing twice', async () => {
    const a = await post('/centres/tm/funding/other-income', grant({ amount: '2500.50', incomeKind: 'course-fees' }), fo, { 'Idempotency-Key': 'kurs-2013-1' });
    const b = await post('/centres/tm/funding/other-income', grant({ amount: '2500.50', incomeKind: 'course-fees' }), fo, { 'Idempotency-Key': 'kurs-2013-1' });
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.body).toEqual(a.body);
    const mix = await get('/centres/tm/funding-mix/2013', fo);
    expect(mix.body.byKind.find((k: any) => k.kind === 'other-income')).toMatchObject({ amount: '2500.50', entries: 1 });
  });

  it('records every kind: earmarked, tender, in-kind (beside the money), and an amount not reported', async () => {
    expect((await post('/centres/tm/funding/earmarked-funds', grant({ entryId: 'ear1', partyId: 'nav-telemark', amount: null, purpose: 'Veiledning', period: { from: '2013-01-01', to: '2013-12-31' } }), fo)).status).toBe(201);
    expect((await post('/centres/tm/funding/tender-awards', grant({ entryId: 'ten1', partyId: 'nav-telemark', amount: '300000', contractReference: 'NAV-13/7', period: { from: '2013-03-01', to: null } }), fo)).status).toBe(201);
    expect((await post('/centres/tm/funding/in-kind-contributions', { entryId: 'ik1', fiscalYear: 2013, partyId: 'skien-kommune', decidedOn: '2013-01-01', inKindKind: 'premises', estimatedValue: '120000.00' }, fo)).status).toBe(201);
    const mix = (await get('/centres/tm/funding-mix/2013', fo)).body;
    expect(mix.total).toMatchObject({ amount: '1302500.50', unreportedEntries: 1, complete: false });
    expect(mix.unreported.map((u: any) => u.entryId)).toEqual(['ear1']);
    expect(mix.inKind).toEqual([expect.objectContaining({ partyId: 'skien-kommune', estimatedValue: '120000.00' })]);
    const sum = mix.byParty.reduce((s: number, p: any) => s + (p.sharePercent === null ? 0 : Math.round(Number(p.sharePercent) * 10)), 0);
    expect(sum).toBe(1000);
    expect(mix.byParty.find((p: any) => p.partyId === 'nav-telemark')).toMatchObject({ amount: '300000.00', unreportedEntries: 1 });
  });

  it('reverses and corrects; refuses a second reversal, an unknown entry and another centre\'s entry', async () => {
    expect((await post('/centres/tm/funding/operating-grants', grant({ entryId: 'g2', amount: '50000' }), fo)).status).toBe(201);
    const rev = await post('/centres/tm/funding/entries/g2/reversal', { reason: 'Dobbeltført' }, fo);
    expect(rev.status).toBe(201);
    expect(rev.body.entryId).toBe('g2.reversal');
    const again = await post('/centres/tm/funding/entries/g2/reversal', { reason: 'Igjen' }, fo);
    expect([again.status, again.body.code]).toEqual([409, 'ENTRY.ALREADY_REVERSED']);
    const missing = await post('/centres/tm/funding/entries/nope/reversal', { reason: 'x' }, fo);
    expect([missing.status, missing.body.code]).toEqual([404, 'ENTRY.NOT_FOUND']);
    expect((await post('/parties', { partyId: 'ostfold-fk', name: 'Østfold fylkeskommune', kind: 'county-authority', countyId: 'ostfold' }, admin)).status).toBe(201);
    expect((await post('/centres/of/funding/operating-grants', grant({ entryId: 'of1', partyId: 'ostfold-fk' }), foOther)).status).toBe(201);
    const other = await post('/centres/tm/funding/entries/of1/reversal', { reason: 'x' }, fo);
    expect([other.status, other.body.code]).toEqual([422, 'ENTRY.OTHER_CENTRE']);
    const corr = await post('/centres/tm/funding/entries/g1/correction', { reason: 'Feil beløp', amount: '1100000.00' }, fo);
    expect(corr.status).toBe(201);
    expect(corr.body.streamId).toBe('funding-entry-g1');
    const mix = (await get('/centres/tm/funding-mix/2013', fo)).body;
    expect(mix.byPartyAndKind.find((l: any) => l.partyId === 'telemark-fk' && l.kind === 'operating-grant')).toMatchObject({ amount: '1100000.00', entries: 1 });
    const corr2 = await post('/centres/tm/funding/entries/g1.c1/correction', { reason: 'Feil år', fiscalYear: 2014 }, fo);
    expect(corr2.status).toBe(201);
    expect((await get('/centres/tm/funding-mix/2014', fo)).body.total.amount).toBe('1100000.00');
    expect((await get('/centres/tm/funding-mix/2013', fo)).body.byPartyAndKind.find((l: any) => l.partyId === 'telemark-fk' && l.kind === 'operating-grant')).toBeUndefined();
  });

  it.each([
    ['a negative amount', grant({ amount: '-5.00' }), 400, 'MONEY.NEGATIVE'],
    ['a zero amount', grant({ amount: '0.00' }), 400, 'MONEY.ZERO'],
    ['a float', grant({ amount: 1000.5 }), 400, 'MONEY.NOT_A_DECIMAL_STRING'],
    ['more than two decimals', grant({ amount: '10.005' }), 400, 'MONEY.FRACTIONAL_ORE'],
    ['above NOK 10^12', grant({ amount: '1000000000000.01' }), 400, 'MONEY.TOO_LARGE'],
    ['a fiscal year before 1990', grant({ fiscalYear: 1989 }), 400, 'FISCAL_YEAR.OUT_OF_RANGE'],
    ['a fiscal year after 2100', grant({ fiscalYear: 2101 }), 400, 'FISCAL_YEAR.OUT_OF_RANGE'],
    ['a party that is not registered', grant({ partyId: 'ghost' }), 404, 'PARTY.NOT_FOUND'],
    ['an unknown field', grant({ colour: 'red' }), 400, 'VALIDATION.UNKNOWN_FIELD'],
  ])('refuses %s with its own code and records nothing', async (_, body, status, code) => {
    const before = await t.store.headPosition();
    const res = await post('/centres/tm/funding/operating-grants', body, fo);
    expect([res.status, res.body.code]).toEqual([status, code]);
    expect(await t.store.headPosition()).toBe(before);
  });

  it('refuses an unknown centre, a closed centre and a period that ends before it starts, recording nothing', async () => {
    const before = await t.store.headPosition();
    const unknown = await post('/centres/nowhere/funding/operating-grants', grant(), fo);
    expect([unknown.status, unknown.body.code]).toEqual([404, 'CENTRE.NOT_FOUND']);
    const closed = await post('/centres/tm-closed/funding/operating-grants', grant(), fo);
    expect([closed.status, closed.body.code]).toEqual([422, 'CENTRE.CLOSED']);
    const period = await post('/centres/tm/funding/earmarked-funds', grant({ purpose: 'p', period: { from: '2013-06-01', to: '2013-01-01' } }), fo);
    expect([period.status, period.body.code]).toEqual([422, 'PERIOD.ENDS_BEFORE_START']);
    expect(await t.store.headPosition()).toBe(before);
  });

  it('staff positions: start, change, end; refuses bad FTE, an end before the start and a change after the end', async () => {
    const start = (over: object) => post('/centres/tm/staff-positions', { positionId: 'p1', title: 'Karriereveileder', employerKind: 'county-authority', employerPartyId: 'telemark-fk', fte: '1', payer: { kind: 'centre' }, startedOn: '2013-01-01', ...over }, fo);
    const before = await t.store.headPosition();
    for (const [fte, code] of [['0', 'STAFF.FTE_OUT_OF_RANGE'], ['1.01', 'STAFF.FTE_OUT_OF_RANGE'], ['-0.5', 'STAFF.FTE_OUT_OF_RANGE'], ['0.12345', 'STAFF.FTE_INVALID']]) {
      const res = await start({ fte });
      expect([fte, res.status, res.body.code]).toEqual([fte, 400, code]);
    }
    expect(await t.store.headPosition()).toBe(before);
    expect((await start({})).status).toBe(201);
    const noPayer = await post('/centres/tm/staff-positions', { positionId: 'p-default', title: 'Leder', employerKind: 'centre', fte: 1, startedOn: '2014-01-01' }, fo);
    expect(noPayer.status).toBe(201);
    const listed = (await get('/centres/tm/staff-positions', fo)).body.find((p: any) => p.positionId === 'p-default');
    expect(listed.terms).toEqual([{ from: '2014-01-01', fte: '1.0', payer: { kind: 'centre' }, annualCost: null }]);
    const change = await post('/centres/tm/staff-positions/p1/changes', { effectiveFrom: '2013-07-01', fte: '0.5', payer: { kind: 'party', partyId: 'nav-telemark' }, annualCost: '300000' }, fo);
    expect(change.status).toBe(201);
    const early = await t.http().post('/centres/tm/staff-positions/p1/end').set(fo).send({ endedOn: '2012-12-31' });
    expect([early.status, early.body.code]).toEqual([422, 'STAFF.ENDS_BEFORE_START']);
    const end = await t.http().post('/centres/tm/staff-positions/p1/end').set(fo).send({ endedOn: '2013-09-30' });
    expect(end.status).toBe(200);
    const late = await post('/centres/tm/staff-positions/p1/changes', { effectiveFrom: '2013-10-01', fte: '1' }, fo);
    expect([late.status, late.body.code]).toEqual([422, 'STAFF.CHANGED_AFTER_END']);
    const mix = (await get('/centres/tm/funding-mix/2013', fo)).body;
    // 1000 × 181 days (Jan–Jun) + 500 × 92 days (Jul–Sep) = 227 000 FTE-days of 365 000 → 0.6
    expect(mix.staff.staffYearsExact).toEqual({ fteDays: 227_000, denominator: 365_000 });
    expect(mix.staff.staffYears).toBe('0.6');
    // NAV pays 500 × 92 = 46 000 FTE-days (0.1); value 300 000 × 92 / 365 = 75 616.44
    expect(mix.staff.paidDirectly).toEqual([expect.objectContaining({ partyId: 'nav-telemark', staffYears: '0.1', value: '75616.44' })]);
  });

  it('who may do what: a finance officer only for own county; board members, Vox and auditors read but never write', async () => {
    const before = await t.store.headPosition();
    const otherCounty = await post('/centres/tm/funding/operating-grants', grant(), foOther);
    expect([otherCounty.status, otherCounty.body.code]).toEqual([403, 'ACCESS.OTHER_COUNTY']);
    const otherReversal = await post('/centres/tm/funding/entries/g1.c2/reversal', { reason: 'x' }, foOther);
    expect(otherReversal.status).toBe(403);
    for (const role of ['board-member', 'vox', 'auditor'] as const) {
      const h = await t.auth(role, ['telemark']);
      expect((await post('/centres/tm/funding/operating-grants', grant(), h)).status).toBe(403);
      expect((await post('/centres/tm/staff-positions', { positionId: 'px', title: 't', employerKind: 'centre', fte: '1', payer: { kind: 'centre' }, startedOn: '2013-01-01' }, h)).status).toBe(403);
      expect((await get('/centres/tm/funding-mix/2013', h)).status).toBe(200);
      expect((await get('/counties/telemark/funding-mix/2013', h)).status).toBe(200);
      expect((await get('/funding-mix/2013', h)).status).toBe(200);
      expect((await get('/key-figures/2013', h)).status).toBe(200);
      expect((await get('/owner-agreements/cost-share-compliance/2013', h)).status).toBe(200);
    }
    expect((await t.http().get('/key-figures/2013')).status).toBe(401);
    expect(await t.store.headPosition()).toBe(before);
  });

  it('read routes refuse a year outside 1990–2100 and unknown centres and counties', async () => {
    expect((await get('/key-figures/1989', fo)).body.code).toBe('FISCAL_YEAR.OUT_OF_RANGE');
    expect((await get('/funding-mix/abc', fo)).status).toBe(400);
    expect((await get('/centres/nowhere/funding-mix/2013', fo)).status).toBe(404);
    expect((await get('/counties/nowhere/funding-mix/2013', fo)).status).toBe(404);
  });

  it('the county total equals the sum of its centres; the country lists every county', async () => {
    const county = (await get('/counties/telemark/funding-mix/2013', fo)).body;
    const sum = county.parts.reduce((s: number, p: any) => s + p.total.amountOre, 0);
    expect(county.total.amountOre).toBe(sum);
    const country = (await get('/funding-mix/2013', fo)).body;
    expect(country.parts).toHaveLength(19);
    expect(country.total.amountOre).toBe(country.parts.reduce((s: number, p: any) => s + p.total.amountOre, 0));
  });
});

describe('funding routes in the OpenAPI document', () => {
  it('documents every funding route with its operation summary', async () => {
    const t = await startTestApp();
    try {
      const res = await t.http().get('/docs-json');
      expect(res.status).toBe(200);
      const paths = Object.keys(res.body.paths);
      for (const p of [
        '/centres/{centreId}/funding/operating-grants',
        '/centres/{centreId}/funding/earmarked-funds',
        '/centres/{centreId}/funding/tender-awards',
        '/centres/{centreId}/funding/other-income',
        '/centres/{centreId}/funding/in-kind-contributions',
        '/centres/{centreId}/funding/entries/{entryId}/reversal',
        '/centres/{centreId}/funding/entries/{entryId}/correction',
        '/centres/{centreId}/staff-positions',
        '/centres/{centreId}/staff-positions/{positionId}/changes',
        '/centres/{centreId}/staff-positions/{positionId}/end',
        '/centres/{centreId}/funding-mix/{year}',
        '/counties/{countyId}/funding-mix/{year}',
        '/funding-mix/{year}',
        '/key-figures/{year}',
        '/owner-agreements/cost-share-compliance/{year}',
        '/owner-agreements/{agreementId}/cost-share-compliance/{year}',
        '/centres/{centreId}/owner-agreements/{agreementId}/cost-share-compliance/{year}',
      ]) expect(paths).toContain(p);
      const grant = res.body.paths['/centres/{centreId}/funding/operating-grants'].post;
      expect(grant.summary).toMatch(/operating grant/);
      const schemaName = grant.requestBody.content['application/json'].schema.$ref.split('/').pop();
      expect(Object.keys(res.body.components.schemas[schemaName].properties)).toEqual(expect.arrayContaining(['amount', 'fiscalYear', 'partyId', 'decidedOn']));
    } finally {
      await t.close();
    }
  });
});
