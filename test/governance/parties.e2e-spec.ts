import { startTestApp, TestApp } from '../helpers/test-app';

describe('parties over HTTP', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ seed: true });
  });
  afterAll(async () => t.close());

  it('a Telemark finance officer registers NAV Telemark and a national union; both are listed', async () => {
    const fo = await t.auth('finance-officer', ['telemark']);
    const nav = await t.http().post('/parties').set(fo).send({ partyId: 'nav-telemark', name: 'NAV Telemark', kind: 'nav-county-office', countyId: 'telemark', organisationNumber: '974600951' });
    expect(nav.status).toBe(201);
    expect(nav.body.streamId).toBe('party-nav-telemark');
    const union = await t.http().post('/parties').set(fo).send({ partyId: 'udf', name: 'Utdanningsforbundet', kind: 'union' });
    expect(union.status).toBe(201);

    const reader = await t.auth('auditor');
    const one = await t.http().get('/parties/nav-telemark').set(reader).set('X-Ledger-Position', String(union.body.position));
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ partyId: 'nav-telemark', name: 'NAV Telemark', kind: 'nav-county-office', countyId: 'telemark', organisationNumber: '974600951' });
    const list = await t.http().get('/parties?countyId=telemark').set(reader);
    expect(list.body.map((p: { partyId: string }) => p.partyId)).toEqual(['nav-telemark', 'udf']);
    const navs = await t.http().get('/parties?kind=union').set(reader);
    expect(navs.body.map((p: { partyId: string }) => p.partyId)).toEqual(['udf']);
  });

  it('refuses a party of another county (403), an unknown county (404), a second registration (409), an unknown kind (400)', async () => {
    const fo = await t.auth('finance-officer', ['telemark']);
    const other = await t.http().post('/parties').set(fo).send({ partyId: 'nav-ostfold', name: 'NAV Østfold', kind: 'nav-county-office', countyId: 'ostfold' });
    expect(other.status).toBe(403);
    expect(other.body.code).toBe('ACCESS.OTHER_COUNTY');
    const admin = await t.auth('admin');
    const unknown = await t.http().post('/parties').set(admin).send({ partyId: 'x', name: 'X', kind: 'municipality', countyId: 'atlantis' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('COUNTY.NOT_FOUND');
    const again = await t.http().post('/parties').set(fo).send({ partyId: 'nav-telemark', name: 'NAV Telemark', kind: 'nav-county-office', countyId: 'telemark' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('PARTY.ALREADY_REGISTERED');
    const kind = await t.http().post('/parties').set(admin).send({ partyId: 'y', name: 'Y', kind: 'bank' });
    expect(kind.status).toBe(400);
    const vox = await t.http().post('/parties').set(await t.auth('vox')).send({ partyId: 'z', name: 'Z', kind: 'other' });
    expect(vox.status).toBe(403);
    const missing = await t.http().get('/parties/nobody').set(admin);
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('PARTY.NOT_FOUND');
  });
});

describe('governance routes in the OpenAPI document', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  it('documents every governance route with its request body', async () => {
    const res = await t.http().get('/docs-json');
    expect(res.status).toBe(200);
    const paths = Object.keys(res.body.paths);
    for (const p of ['/parties', '/boards', '/boards/{boardId}/proposals/{proposalId}/votes', '/boards/{boardId}/proposals/{proposalId}/close', '/centres/{centreId}/owner-agreements', '/centres/{centreId}/owner-agreements/{agreementId}', '/centres/{centreId}/governance', '/centres/{centreId}/nav-link', '/partnerships', '/counties/{countyId}/county-line-decisions']) {
      expect(paths).toContain(p);
    }
    expect(Object.keys(res.body.components.schemas)).toEqual(expect.arrayContaining(['RegisterOwnerAgreementBody', 'TableBody', 'VoteBody', 'EstablishBoardDto']));
  });
});
