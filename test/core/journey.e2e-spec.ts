import { TokenService } from '../../apps/api/src/auth/token.service';
import { startTestApp, TestApp } from '../helpers/test-app';

/** The first slice end to end over HTTP: seed, sign in, register, read back, rename, close, and every refusal. */
describe('e2e journey: counties and centres over HTTP', () => {
  let t: TestApp;
  let officer: { Authorization: string };
  let registered: { streamId: string; revision: number; position: number; eventIds: string[]; recordedAt: string };
  const skien = { centreId: 'kc-skien', countyId: 'telemark', name: 'Karrieresenteret Skien', municipality: 'Skien', openedOn: '2014-03-01' };

  beforeAll(async () => {
    t = await startTestApp({ seed: true });
    officer = await t.auth('finance-officer', ['telemark'], 'kari.telemark');
  });
  afterAll(() => t.close());

  it('the 19 counties of 2014 are seeded and readable', async () => {
    const res = await t.http().get('/counties/telemark').set(officer);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ countyId: 'telemark', name: 'Telemark', countyNumber: '08', centreIds: [], centres: [] });
    const all = await t.http().get('/counties').set(officer);
    expect(all.body).toHaveLength(19);
  });

  it('a finance officer of the county registers a centre: 201 with where the event landed', async () => {
    const head = await t.store.headPosition();
    const res = await t.http().post('/centres').set(officer).send(skien);
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ streamId: 'centre-kc-skien', revision: 0, position: head + 1, eventIds: [expect.any(String)], recordedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    registered = res.body;
    const [event] = await t.store.readStream('centre-kc-skien');
    expect(event).toMatchObject({ type: 'CentreRegistered', eventId: res.body.eventIds[0], data: skien, metadata: { actorId: 'kari.telemark', actorRole: 'finance-officer' } });
  });

  it('reads it back (read-your-writes), also when naming the position in X-Ledger-Position', async () => {
    const res = await t.http().get('/centres/kc-skien').set(officer);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ...skien, closedOn: null, names: [{ name: skien.name, from: '2014-03-01' }], registeredAtPosition: registered.position });
    const auditor = await t.auth('auditor');
    const withPos = await t.http().get('/centres/kc-skien').set(auditor).set('X-Ledger-Position', String(registered.position));
    expect(withPos.status).toBe(200);
    expect(withPos.body.name).toBe(skien.name);
    const county = await t.http().get('/counties/telemark').set(auditor);
    expect(county.body.centreIds).toEqual(['kc-skien']);
    const bad = await t.http().get('/centres/kc-skien').set(auditor).set('X-Ledger-Position', 'soon');
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('REQUEST.BAD_POSITION');
  });

  it('an auditor\'s token cannot write (403)', async () => {
    const res = await t.http().post('/centres').set(await t.auth('auditor')).send({ ...skien, centreId: 'kc-bo' });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ statusCode: 403, code: 'ACCESS.ROLE_NOT_ALLOWED' });
    expect((await t.http().get('/centres/kc-bo').set(officer)).status).toBe(404);
  });

  it('a finance officer of another county cannot touch the centre (403), nor register one in that county', async () => {
    const other = await t.auth('finance-officer', ['vestfold'], 'per.vestfold');
    const rename = await t.http().post('/centres/kc-skien/rename').set(other).send({ name: 'Hijacked', effectiveFrom: '2015-01-01' });
    expect(rename.status).toBe(403);
    expect(rename.body).toMatchObject({ statusCode: 403, code: 'ACCESS.OTHER_COUNTY', details: { countyId: 'telemark' } });
    const close = await t.http().post('/centres/kc-skien/close').set(other).send({ closedOn: '2015-01-01', reason: 'x' });
    expect(close.status).toBe(403);
    const register = await t.http().post('/centres').set(other).send({ ...skien, centreId: 'kc-notodden' });
    expect(register.status).toBe(403);
    expect(register.body.code).toBe('ACCESS.OTHER_COUNTY');
    expect((await t.http().get('/centres/kc-skien').set(officer)).body.name).toBe(skien.name);
  });

  it('an unknown field is 400 VALIDATION.UNKNOWN_FIELD, and nothing is recorded', async () => {
    const head = await t.store.headPosition();
    const res = await t.http().post('/centres').set(officer).send({ ...skien, centreId: 'kc-x', budget: '100.00' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, code: 'VALIDATION.UNKNOWN_FIELD', details: { fields: [{ field: 'budget', problems: [expect.stringContaining('is not a field of this request')] }] } });
    expect(await t.store.headPosition()).toBe(head);
  });

  it('a wrong type is 400 VALIDATION.FAILED naming the field', async () => {
    const res = await t.http().post('/centres').set(officer).send({ ...skien, centreId: 'kc-y', name: 42 });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION.FAILED');
    expect(res.body.details.fields.map((f: { field: string }) => f.field)).toEqual(['name']);
    const date = await t.http().post('/centres').set(officer).send({ ...skien, centreId: 'kc-y', openedOn: '01.03.2014' });
    expect(date.status).toBe(400);
    const impossible = await t.http().post('/centres').set(officer).send({ ...skien, centreId: 'kc-y', openedOn: '2014-02-30' });
    expect(impossible.status).toBe(400);
    expect(impossible.body.code).toBe('DATE.INVALID');
  });

  it('a body that is not JSON is 400; one over the size limit is 413; both in the one error shape', async () => {
    const bad = await t.http().post('/centres').set(officer).set('Content-Type', 'application/json').send('{"centreId":');
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body).sort()).toEqual(['code', 'details', 'message', 'statusCode']);
    const big = await t.http().post('/centres').set(officer).send({ ...skien, name: 'x'.repeat(t.config.bodyLimitBytes + 10) });
    expect(big.status).toBe(413);
    expect(big.body.code).toBe('REQUEST.TOO_LARGE');
  });

  it('a missing token is 401 AUTH.MISSING_TOKEN; a forged one 401 AUTH.TOKEN_INVALID; an expired one 401 AUTH.TOKEN_EXPIRED', async () => {
    const none = await t.http().get('/centres/kc-skien');
    expect(none.status).toBe(401);
    expect(none.body).toMatchObject({ statusCode: 401, code: 'AUTH.MISSING_TOKEN' });
    const noneWrite = await t.http().post('/centres').send({ ...skien, centreId: 'kc-z' });
    expect(noneWrite.status).toBe(401);
    const forged = await new TokenService({ jwtSecret: 'another-secret', jwksUrl: null, jwtIssuer: null, jwtAudience: null }).issue({ sub: 'eve', name: 'Eve', roles: ['admin'], counties: [] });
    const f = await t.http().get('/centres').set('Authorization', `Bearer ${forged}`);
    expect(f.status).toBe(401);
    expect(f.body.code).toBe('AUTH.TOKEN_INVALID');
    const expired = await t.tokens.issue({ sub: 'kari', name: 'Kari', roles: ['finance-officer'], counties: ['telemark'] }, -60);
    const e = await t.http().get('/centres').set('Authorization', `Bearer ${expired}`);
    expect(e.status).toBe(401);
    expect(e.body.code).toBe('AUTH.TOKEN_EXPIRED');
  });

  it('renames the centre (200), and the name history shows both names', async () => {
    const res = await t.http().post('/centres/kc-skien/rename').set(officer).send({ name: 'Karriere Telemark', effectiveFrom: '2016-01-01' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ streamId: 'centre-kc-skien', revision: 1, position: expect.any(Number) });
    const read = await t.http().get('/centres/kc-skien').set(officer).set('X-Ledger-Position', String(res.body.position));
    expect(read.body.name).toBe('Karriere Telemark');
    expect(read.body.names).toEqual([{ name: skien.name, from: '2014-03-01' }, { name: 'Karriere Telemark', from: '2016-01-01' }]);
    const [, renamed] = await t.store.readStream('centre-kc-skien');
    expect(renamed.data).toEqual({ centreId: 'kc-skien', name: 'Karriere Telemark', previousName: skien.name, effectiveFrom: '2016-01-01' });
  });

  it('registering the same centre again is 409; an unknown centre is 404', async () => {
    const again = await t.http().post('/centres').set(officer).send(skien);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('CENTRE.ALREADY_REGISTERED');
    const missing = await t.http().get('/centres/kc-nowhere').set(officer);
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('CENTRE.NOT_FOUND');
    const renameMissing = await t.http().post('/centres/kc-nowhere/rename').set(officer).send({ name: 'X', effectiveFrom: '2016-01-01' });
    expect(renameMissing.status).toBe(404);
  });

  it('closes the centre (200); a write to a closed centre is 422 CENTRE.CLOSED', async () => {
    const res = await t.http().post('/centres/kc-skien/close').set(officer).send({ closedOn: '2019-12-31', reason: 'Merged into Vestfold og Telemark' });
    expect(res.status).toBe(200);
    expect(res.body.revision).toBe(2);
    const read = await t.http().get('/centres/kc-skien').set(officer);
    expect(read.body.closedOn).toBe('2019-12-31');
    const rename = await t.http().post('/centres/kc-skien/rename').set(officer).send({ name: 'Too late', effectiveFrom: '2020-01-01' });
    expect(rename.status).toBe(422);
    expect(rename.body).toMatchObject({ statusCode: 422, code: 'CENTRE.CLOSED', details: { centreId: 'kc-skien', closedOn: '2019-12-31' } });
    expect(await t.store.readStream('centre-kc-skien')).toHaveLength(3);
  });

  it('an admin may act in any county', async () => {
    const res = await t.http().post('/centres').set(await t.auth('admin')).send({ ...skien, centreId: 'kc-bodo', countyId: 'nordland', name: 'Karriere Nordland', municipality: 'Bodø' });
    expect(res.status).toBe(201);
  });

  it('/health answers without a token', async () => {
    const res = await t.http().get('/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', store: 'memory', headPosition: await t.store.headPosition() });
  });

  it('/docs serves the OpenAPI UI and its JSON describes the routes and bearer auth', async () => {
    const ui = await t.http().get('/docs');
    expect(ui.status).toBe(200);
    expect(ui.text).toContain('swagger');
    const json = await t.http().get('/docs-json');
    expect(json.status).toBe(200);
    expect(Object.keys(json.body.paths)).toEqual(expect.arrayContaining(['/counties', '/centres', '/centres/{centreId}', '/centres/{centreId}/rename', '/centres/{centreId}/close', '/health']));
    expect(json.body.components.securitySchemes.bearer).toBeDefined();
    expect(json.body.paths['/centres'].post.responses).toHaveProperty('409');
    // each write route documents the success status it really answers
    expect(Object.keys(json.body.paths['/centres'].post.responses)).toContain('201');
    expect(Object.keys(json.body.paths['/centres/{centreId}/rename'].post.responses)).toContain('200');
    expect(Object.keys(json.body.paths['/centres/{centreId}/rename'].post.responses)).not.toContain('201');
    expect(json.body.paths['/centres/{centreId}/rename'].post.responses['200'].content['application/json'].schema.$ref).toMatch(/CommandResult$/);
  });

  it('an unknown route is 404 in the one error shape', async () => {
    const res = await t.http().get('/nothing-here').set(officer);
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ statusCode: 404, code: 'ROUTE.NOT_FOUND' });
  });
});
