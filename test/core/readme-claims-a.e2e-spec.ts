/**
 * Adversarial review of README.md from "Run it" to the governance rules: each test pins one concrete
 * promise (a route, status, code, field, default, or a documented example) against the running app.
 * A test named "README Lnnn: …" quotes the line it checks.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadConfig } from '../../apps/api/src/config';
import { SqliteEventStore } from '../../libs/event-store/src/sqlite-event-store';
import { startTestApp, TestApp, TEST_JWT_SECRET } from '../helpers/test-app';
import { ledgerChild } from '../helpers/ledger-child';

type Auth = { Authorization: string };
const ROOT = resolve(__dirname, '../..');

const ledger = (args: string[], env: Record<string, string>) => ledgerChild(args, env);

const ERROR_SHAPE = ['code', 'details', 'message', 'statusCode'];

describe('README from "Run it" to the governance rules, checked against the running app', () => {
  // ------------------------------------------------------------------ "A first call", exactly as written
  describe('A first call (README), on a ledger seeded by `ledger seed` with a token from `ledger token`', () => {
    const dir = mkdtempSync(join(tmpdir(), 'readme-a-'));
    const path = join(dir, 'ledger.sqlite');
    const env = { LEDGER_SQLITE_PATH: path, LEDGER_JWT_SECRET: TEST_JWT_SECRET };
    let t: TestApp;
    let store: SqliteEventStore;
    let token: string;
    afterAll(async () => {
      await t?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('README: `ledger seed` registers the 19 counties (safe to run again); `ledger token --role finance-officer --county telemark` prints a token', async () => {
      expect((await ledger(['seed'], env)).code).toBe(0);
      expect((await ledger(['seed'], env)).code).toBe(0);
      const out = await ledger(['token', '--role', 'finance-officer', '--county', 'telemark'], env);
      expect(out.code).toBe(0);
      token = out.stdout.trim();
      store = new SqliteEventStore({ path });
      expect(await store.headPosition()).toBe(19);
      t = await startTestApp({ store, env: { LEDGER_SQLITE_PATH: path } });
    });

    it('README: the POST /centres example answers {"streamId":"centre-kc-skien","revision":0,"position":20,"eventIds":[…],"recordedAt":…}', async () => {
      const res = await t
        .http()
        .post('/centres')
        .set('Authorization', `Bearer ${token}`)
        .set('Content-Type', 'application/json')
        .set('Idempotency-Key', 'register-kc-skien')
        .send('{"centreId":"kc-skien","countyId":"telemark","name":"Karrieresenteret Skien","municipality":"Skien","openedOn":"2014-03-01"}');
      expect(res.status).toBe(201);
      expect(Object.keys(res.body)).toEqual(['streamId', 'revision', 'position', 'eventIds', 'recordedAt']);
      expect(res.body).toEqual({ streamId: 'centre-kc-skien', revision: 0, position: 20, eventIds: [expect.any(String)], recordedAt: expect.any(String) });
    });

    it('README: the read-backs with X-Ledger-Position: 20 and of /counties/telemark answer 200 with the centre', async () => {
      const centre = await t.http().get('/centres/kc-skien').set('Authorization', `Bearer ${token}`).set('X-Ledger-Position', '20');
      expect(centre.status).toBe(200);
      expect(centre.body).toMatchObject({ centreId: 'kc-skien', countyId: 'telemark', name: 'Karrieresenteret Skien', upcomingRename: null, names: [{ name: 'Karrieresenteret Skien' }] });
      const county = await t.http().get('/counties/telemark').set('Authorization', `Bearer ${token}`);
      expect(county.status).toBe(200);
      expect(county.body.centres).toEqual([expect.objectContaining({ centreId: 'kc-skien', name: 'Karrieresenteret Skien', upcomingRename: null })]);
    });
  });

  // ------------------------------------------------------------------ the HTTP edge on a memory store
  describe('the HTTP edge', () => {
    let t: TestApp;
    let officer: Auth;
    let admin: Auth;
    let auditor: Auth;
    const skien = { centreId: 'kc-skien', countyId: 'telemark', name: 'Karrieresenteret Skien', municipality: 'Skien', openedOn: '2014-03-01' };

    beforeAll(async () => {
      t = await startTestApp({ seed: true });
      officer = await t.auth('finance-officer', ['telemark'], 'kari');
      admin = await t.auth('admin');
      auditor = await t.auth('auditor');
      expect((await t.http().post('/centres').set(officer).send(skien)).status).toBe(201);
    });
    afterAll(() => t.close());

    it('README: /health and /docs answer without a token; every other route needs one', async () => {
      expect((await t.http().get('/health')).status).toBe(200);
      const docs = await t.http().get('/docs').redirects(2);
      expect(docs.status).toBe(200);
      expect((await t.http().get('/counties')).status).toBe(401);
    });

    it('README: a 401 carries WWW-Authenticate: Bearer realm="ledger", with error="invalid_token" for a refused token', async () => {
      const none = await t.http().get('/counties');
      expect(none.headers['www-authenticate']).toBe('Bearer realm="ledger"');
      const bad = await t.http().get('/counties').set('Authorization', 'Bearer not.a.jwt');
      expect(bad.status).toBe(401);
      expect(bad.body.code).toBe('AUTH.TOKEN_INVALID');
      expect(bad.headers['www-authenticate']).toMatch(/^Bearer realm="ledger", error="invalid_token"/);
      const expired = await t.tokens.issue({ sub: 'kari', name: 'Kari', roles: ['auditor'], counties: [] }, -60);
      const e = await t.http().get('/counties').set('Authorization', `Bearer ${expired}`);
      expect(e.body.code).toBe('AUTH.TOKEN_EXPIRED');
      expect(e.headers['www-authenticate']).toContain('error="invalid_token"');
    });

    it('README: the scheme may be written in any case (bearer, BEARER)', async () => {
      const tok = await t.token('auditor');
      for (const scheme of ['bearer', 'BEARER', 'BeArEr']) {
        const res = await t.http().get('/counties/telemark').set('Authorization', `${scheme} ${tok}`);
        expect(res.status).toBe(200);
      }
    });

    it('README: every error has one shape {statusCode, code, message, details}', async () => {
      const answers = await Promise.all([
        t.http().get('/no-such-route').set(auditor),
        t.http().get('/counties/nowhere').set(auditor),
        t.http().post('/centres').set(officer).set('Content-Type', 'text/plain').send('hello'),
        t.http().post('/centres').set(officer).set('Content-Type', 'application/json').send('[1,2]'),
        t.http().get('/counties'),
      ]);
      for (const res of answers) {
        expect(Object.keys(res.body).sort()).toEqual(ERROR_SHAPE);
        expect(res.body.statusCode).toBe(res.status);
      }
    });

    it('README: an unknown address is 404 ROUTE.NOT_FOUND', async () => {
      const res = await t.http().get('/no-such-route').set(auditor);
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('ROUTE.NOT_FOUND');
    });

    it('README: an address that does not take the method is 405 ROUTE.METHOD_NOT_ALLOWED', async () => {
      const del = await t.http().delete('/centres/kc-skien').set(admin);
      expect({ status: del.status, code: del.body.code }).toEqual({ status: 405, code: 'ROUTE.METHOD_NOT_ALLOWED' });
      const put = await t.http().put('/counties').set(admin).send({});
      expect({ status: put.status, code: put.body.code }).toEqual({ status: 405, code: 'ROUTE.METHOD_NOT_ALLOWED' });
    });

    it('README: a body sent as anything but application/json is 415 REQUEST.UNSUPPORTED_MEDIA_TYPE', async () => {
      const head = await t.store.headPosition();
      const res = await t.http().post('/centres').set(officer).set('Content-Type', 'text/plain').send(JSON.stringify({ ...skien, centreId: 'kc-txt' }));
      expect(res.status).toBe(415);
      expect(res.body.code).toBe('REQUEST.UNSUPPORTED_MEDIA_TYPE');
      expect(await t.store.headPosition()).toBe(head);
    });

    it('README: a body that is JSON but not an object is 400 REQUEST.BODY_NOT_OBJECT', async () => {
      for (const body of ['[1,2]', '"text"', '42', 'null']) {
        const res = await t.http().post('/centres').set(officer).set('Content-Type', 'application/json').send(body);
        expect({ body, status: res.status, code: res.body.code }).toEqual({ body, status: 400, code: 'REQUEST.BODY_NOT_OBJECT' });
      }
    });

    it('README: invalid JSON is 400 REQUEST.INVALID_JSON; deeply nested JSON 400 REQUEST.TOO_DEEP', async () => {
      const bad = await t.http().post('/centres').set(officer).set('Content-Type', 'application/json').send('{"centreId":');
      expect(bad.body.code).toBe('REQUEST.INVALID_JSON');
      const deep = await t.http().post('/centres').set(officer).set('Content-Type', 'application/json').send(`{"a":${'['.repeat(200)}${']'.repeat(200)}}`);
      expect(deep.status).toBe(400);
      expect(deep.body.code).toBe('REQUEST.TOO_DEEP');
    });

    it('README: an Idempotency-Key that is not 1–200 visible ASCII characters is 400 IDEMPOTENCY_KEY_INVALID; 200 characters is fine', async () => {
      for (const key of ['x'.repeat(201), 'has space', 'tab\tkey']) {
        const res = await t.http().post('/centres').set(officer).set('Idempotency-Key', key).send({ ...skien, centreId: 'kc-key', name: 'Karrieresenteret Key' });
        expect({ key: key.slice(0, 12), status: res.status, code: res.body.code }).toEqual({ key: key.slice(0, 12), status: 400, code: 'IDEMPOTENCY_KEY_INVALID' });
      }
      const ok = await t.http().post('/centres').set(officer).set('Idempotency-Key', '~'.repeat(200)).send({ ...skien, centreId: 'kc-key200', name: 'Karrieresenteret Key 200' });
      expect(ok.status).toBe(201);
    });

    it('README: a repeat with the same body gets the first answer and records nothing; another body is 409 IDEMPOTENCY_KEY_REUSED; another user\'s key never collides (their own write, here refused by the rules, never the first answer); no right is 403', async () => {
      const body = { ...skien, centreId: 'kc-idem', name: 'Karrieresenteret Idem' };
      const first = await t.http().post('/centres').set(officer).set('Idempotency-Key', 'idem-1').send(body);
      expect(first.status).toBe(201);
      const head = await t.store.headPosition();
      const again = await t.http().post('/centres').set(officer).set('Idempotency-Key', 'idem-1').send(body);
      expect(again.status).toBe(first.status);
      expect(again.body).toEqual(first.body);
      const other = await t.http().post('/centres').set(officer).set('Idempotency-Key', 'idem-1').send({ ...body, name: 'Other' });
      expect({ status: other.status, code: other.body.code }).toEqual({ status: 409, code: 'IDEMPOTENCY_KEY_REUSED' });
      const colleague = await t.http().post('/centres').set(await t.auth('finance-officer', ['telemark'], 'ola')).set('Idempotency-Key', 'idem-1').send(body);
      expect({ status: colleague.status, code: colleague.body.code }).toEqual({ status: 409, code: 'CENTRE.ALREADY_REGISTERED' });
      const stranger = await t.http().post('/centres').set(await t.auth('finance-officer', ['vestfold'], 'per')).set('Idempotency-Key', 'idem-1').send(body);
      expect({ status: stranger.status, code: stranger.body.code }).toEqual({ status: 403, code: 'ACCESS.OTHER_COUNTY' });
      const reader = await t.http().post('/centres').set(auditor).set('Idempotency-Key', 'idem-1').send(body);
      expect(reader.status).toBe(403);
      expect(await t.store.headPosition()).toBe(head);
    });

    it('README: a county registered twice is 409 COUNTY.ALREADY_REGISTERED; a number already taken is 409 COUNTY.NUMBER_TAKEN naming the county that has it', async () => {
      const twice = await t.http().post('/counties').set(admin).send({ countyId: 'telemark', name: 'Telemark', countyNumber: '08' });
      expect({ status: twice.status, code: twice.body.code }).toEqual({ status: 409, code: 'COUNTY.ALREADY_REGISTERED' });
      const taken = await t.http().post('/counties').set(admin).send({ countyId: 'nye-telemark', name: 'Nye Telemark', countyNumber: '08' });
      expect({ status: taken.status, code: taken.body.code }).toEqual({ status: 409, code: 'COUNTY.NUMBER_TAKEN' });
      expect(taken.body.message).toContain('telemark');
    });

    it('README: unknown county 404 COUNTY.NOT_FOUND; unknown centre 404 CENTRE.NOT_FOUND (read and write); centre twice 409 CENTRE.ALREADY_REGISTERED', async () => {
      const county = await t.http().get('/counties/atlantis').set(auditor);
      expect({ status: county.status, code: county.body.code }).toEqual({ status: 404, code: 'COUNTY.NOT_FOUND' });
      const centre = await t.http().get('/centres/kc-atlantis').set(auditor);
      expect({ status: centre.status, code: centre.body.code }).toEqual({ status: 404, code: 'CENTRE.NOT_FOUND' });
      const rename = await t.http().post('/centres/kc-atlantis/rename').set(admin).send({ name: 'X', effectiveFrom: '2015-01-01' });
      expect({ status: rename.status, code: rename.body.code }).toEqual({ status: 404, code: 'CENTRE.NOT_FOUND' });
      const twice = await t.http().post('/centres').set(officer).send(skien);
      expect({ status: twice.status, code: twice.body.code }).toEqual({ status: 409, code: 'CENTRE.ALREADY_REGISTERED' });
      const inNoCounty = await t.http().post('/centres').set(admin).send({ ...skien, centreId: 'kc-atl', countyId: 'atlantis' });
      expect({ status: inNoCounty.status, code: inNoCounty.body.code }).toEqual({ status: 404, code: 'COUNTY.NOT_FOUND' });
    });

    it('README: a rename or closure dated before the centre opened is 422 CENTRE.DATE_BEFORE_OPENING', async () => {
      const rename = await t.http().post('/centres/kc-skien/rename').set(officer).send({ name: 'Early', effectiveFrom: '2014-02-28' });
      expect({ status: rename.status, code: rename.body.code }).toEqual({ status: 422, code: 'CENTRE.DATE_BEFORE_OPENING' });
      const close = await t.http().post('/centres/kc-skien/close').set(officer).send({ closedOn: '2014-01-01', reason: 'never mind' });
      expect({ status: close.status, code: close.body.code }).toEqual({ status: 422, code: 'CENTRE.DATE_BEFORE_OPENING' });
    });

    it('README: a date that is not a real calendar date is 400 DATE.INVALID (rename, close)', async () => {
      const rename = await t.http().post('/centres/kc-skien/rename').set(officer).send({ name: 'X', effectiveFrom: '2015-02-29' });
      expect({ status: rename.status, code: rename.body.code }).toEqual({ status: 400, code: 'DATE.INVALID' });
      const close = await t.http().post('/centres/kc-skien/close').set(officer).send({ closedOn: '2015-13-01', reason: 'x' });
      expect({ status: close.status, code: close.body.code }).toEqual({ status: 400, code: 'DATE.INVALID' });
    });

    it('README: a future rename shows as upcomingRename {name, effectiveFrom} only; `name` stays today\'s; `names` lists every name with its first day in the order recorded', async () => {
      await t.http().post('/centres').set(officer).send({ ...skien, centreId: 'kc-future', name: 'Now' }).expect(201);
      await t.http().post('/centres/kc-future/rename').set(officer).send({ name: 'Later B', effectiveFrom: '2099-06-01' }).expect(200);
      await t.http().post('/centres/kc-future/rename').set(officer).send({ name: 'Sooner', effectiveFrom: '2098-01-01' }).expect(200);
      await t.http().post('/centres/kc-future/rename').set(officer).send({ name: 'Later C', effectiveFrom: '2099-06-01' }).expect(200);
      const res = await t.http().get('/centres/kc-future').set(auditor);
      expect(res.body.name).toBe('Now');
      expect(res.body.upcomingRename).toEqual({ name: 'Sooner', effectiveFrom: '2098-01-01' });
      expect(res.body.names.map((n: { name: string }) => n.name)).toEqual(['Now', 'Later B', 'Sooner', 'Later C']);
      const list = await t.http().get('/centres').set(auditor);
      expect(list.body.find((c: { centreId: string }) => c.centreId === 'kc-future').upcomingRename).toEqual({ name: 'Sooner', effectiveFrom: '2098-01-01' });
      const county = await t.http().get('/counties/telemark').set(auditor);
      expect(county.body.centres.find((c: { centreId: string }) => c.centreId === 'kc-future')).toMatchObject({ name: 'Now', upcomingRename: { name: 'Sooner', effectiveFrom: '2098-01-01' } });
      const counties = await t.http().get('/counties').set(auditor);
      expect(counties.body.find((c: { countyId: string }) => c.countyId === 'telemark').centres.find((c: { centreId: string }) => c.centreId === 'kc-future').upcomingRename).toEqual({ name: 'Sooner', effectiveFrom: '2098-01-01' });
    });

    it('README: two renames from the same future day: the upcoming one is the one recorded last', async () => {
      await t.http().post('/centres').set(officer).send({ ...skien, centreId: 'kc-sameday', name: 'Now too' }).expect(201);
      await t.http().post('/centres/kc-sameday/rename').set(officer).send({ name: 'First', effectiveFrom: '2099-01-01' }).expect(200);
      await t.http().post('/centres/kc-sameday/rename').set(officer).send({ name: 'Second', effectiveFrom: '2099-01-01' }).expect(200);
      const res = await t.http().get('/centres/kc-sameday').set(auditor);
      expect(res.body.upcomingRename).toEqual({ name: 'Second', effectiveFrom: '2099-01-01' });
    });

    it('README: closing a centre already closed is CENTRE.CLOSED whatever the dates; a rename dated on or after closedOn is CENTRE.CLOSED (422)', async () => {
      await t.http().post('/centres').set(officer).send({ ...skien, centreId: 'kc-closing', name: 'Closing' }).expect(201);
      // a rename recorded earlier for a later date does not block the closing
      await t.http().post('/centres/kc-closing/rename').set(officer).send({ name: 'Renamed late', effectiveFrom: '2020-01-01' }).expect(200);
      const close = await t.http().post('/centres/kc-closing/close').set(officer).send({ closedOn: '2016-01-01', reason: 'merged' });
      expect(close.status).toBe(200);
      for (const closedOn of ['2015-01-01', '2016-01-01', '2017-01-01']) {
        const again = await t.http().post('/centres/kc-closing/close').set(officer).send({ closedOn, reason: 'again' });
        expect({ closedOn, status: again.status, code: again.body.code }).toEqual({ closedOn, status: 422, code: 'CENTRE.CLOSED' });
      }
      const renameOn = await t.http().post('/centres/kc-closing/rename').set(officer).send({ name: 'Ghost', effectiveFrom: '2016-01-01' });
      expect({ status: renameOn.status, code: renameOn.body.code }).toEqual({ status: 422, code: 'CENTRE.CLOSED' });
      const renameBefore = await t.http().post('/centres/kc-closing/rename').set(officer).send({ name: 'Still open', effectiveFrom: '2015-12-31' });
      expect(renameBefore.status).toBe(200);
    });

    it('README: closing needs `closedOn` and a `reason`', async () => {
      const res = await t.http().post('/centres/kc-skien/close').set(officer).send({ closedOn: '2030-01-01' });
      expect(res.status).toBe(400);
      expect(res.body.details.fields.map((f: { field: string }) => f.field)).toContain('reason');
    });
  });

  // ------------------------------------------------------------------ Configuration
  describe('Configuration (README)', () => {
    const base = { LEDGER_JWT_SECRET: 's'.repeat(32), LEDGER_STORE: 'memory' };

    it('README: the defaults of the table', () => {
      const c = loadConfig({ ...base } as NodeJS.ProcessEnv);
      expect({ port: c.port, host: c.host, sqlitePath: c.sqlitePath, body: c.bodyLimitBytes, rate: c.rateLimitPerMinute, cache: c.answerCacheMb, gzip: c.gzipMinBytes, log: c.logLevel }).toEqual({
        port: 3000, host: '127.0.0.1', sqlitePath: './data/ledger.sqlite', body: 65536, rate: 6000, cache: 32, gzip: 8192, log: 'silent',
      });
      expect(loadConfig({ ...base, LEDGER_STORE: 'anything' } as NodeJS.ProcessEnv).store).toBe('sqlite');
      expect(loadConfig({ ...base, LEDGER_STORE: '', EVENTSTORE_CONNECTION_STRING: 'esdb://localhost:2113?tls=false' } as NodeJS.ProcessEnv).store).toBe('eventstoredb');
    });

    it('README: the numeric settings take their default when empty', () => {
      const c = loadConfig({ ...base, PORT: '', LEDGER_BODY_LIMIT_BYTES: '', LEDGER_RATE_LIMIT_PER_MINUTE: '', LEDGER_ANSWER_CACHE_MB: '', LEDGER_GZIP_MIN_BYTES: '' } as NodeJS.ProcessEnv);
      expect([c.port, c.bodyLimitBytes, c.rateLimitPerMinute, c.answerCacheMb, c.gzipMinBytes]).toEqual([3000, 65536, 6000, 32, 8192]);
    });

    it('README: anything not a whole number in digits, in range, stops with one line naming the variable, as in the example', () => {
      expect(() => loadConfig({ ...base, LEDGER_RATE_LIMIT_PER_MINUTE: '6000/min' } as NodeJS.ProcessEnv)).toThrow(/^LEDGER_RATE_LIMIT_PER_MINUTE must be a whole number of 0 or more \(.*\), not "6000\/min"/);
      const bad: [string, string][] = [['PORT', '65536'], ['PORT', '-1'], ['PORT', '80.0'], ['LEDGER_BODY_LIMIT_BYTES', '0'], ['LEDGER_BODY_LIMIT_BYTES', '64k'], ['LEDGER_ANSWER_CACHE_MB', ' 32'], ['LEDGER_GZIP_MIN_BYTES', '1e3'], ['LEDGER_RATE_LIMIT_PER_MINUTE', '+5']];
      for (const [name, value] of bad) {
        let message = '';
        try {
          loadConfig({ ...base, [name]: value } as NodeJS.ProcessEnv);
        } catch (e) {
          message = (e as Error).message;
        }
        expect([name, value, message.startsWith(`${name} must be`), message.includes('\n')]).toEqual([name, value, true, false]);
      }
      expect(loadConfig({ ...base, PORT: '65535', LEDGER_BODY_LIMIT_BYTES: '1', LEDGER_RATE_LIMIT_PER_MINUTE: '0', LEDGER_ANSWER_CACHE_MB: '0' } as NodeJS.ProcessEnv)).toMatchObject({ port: 65535, bodyLimitBytes: 1, rateLimitPerMinute: 0, answerCacheMb: 0 });
    });

    it('README: CI runs exactly `npm test`; every file the test table names exists', () => {
      expect(readFileSync(join(ROOT, '.ci/run'), 'utf8')).toMatch(/\bnpm test\b/);
      for (const f of ['test/core/concurrency.int.spec.ts', 'test/core/idempotency.e2e-spec.ts', 'test/core/kill.int.spec.ts', 'test/core/journey.e2e-spec.ts', 'test/core/cli.int.spec.ts', 'test/core/command-path.e2e-spec.ts', 'test/http/error-code-catalogue.e2e-spec.ts', 'apps/api/src/config.ts', 'libs/application/src/error-codes.ts', 'apps/api/src/http/error-codes.ts', 'apps/api/src/bootstrap.ts', 'libs/domain/src/shared/dates.ts', 'libs/domain/src/counties/centre.ts', 'libs/domain/src/counties/centre-facts.ts', 'libs/event-store/src/verify-chain.ts', 'libs/event-store/src/sqlite-event-store.ts', 'apps/api/src/http/answer-cache.ts', 'apps/api/src/http/gzip.ts', 'apps/api/src/http/etag.ts', 'libs/domain/src/shared/decider-spec.ts', 'test/helpers/test-app.ts']) {
        expect([f, existsSync(join(ROOT, f))]).toEqual([f, true]);
      }
      expect(readdirSync(join(ROOT, 'libs/event-store/src')).some((f: string) => f.endsWith('.int.spec.ts'))).toBe(true);
      expect(readdirSync(join(ROOT, 'libs/domain/src/counties')).some((f: string) => f.endsWith('.unit.spec.ts'))).toBe(true);
    });
  });

  // ------------------------------------------------------------------ limits and gzip from the environment
  describe('settings at work: body limit, gzip for any 2xx, answer cache off (README: settings and the answer cache)', () => {
    let t: TestApp;
    let officer: Auth;
    beforeAll(async () => {
      t = await startTestApp({ seed: true, env: { LEDGER_BODY_LIMIT_BYTES: '400', LEDGER_GZIP_MIN_BYTES: '50', LEDGER_ANSWER_CACHE_MB: '0' } });
      officer = await t.auth('finance-officer', ['telemark']);
    });
    afterAll(() => t.close());

    it('README: a body over LEDGER_BODY_LIMIT_BYTES is 413 REQUEST.TOO_LARGE; one under it is taken', async () => {
      const big = await t.http().post('/centres').set(officer).send({ centreId: 'kc-big', countyId: 'telemark', name: 'x'.repeat(400), municipality: 'Skien', openedOn: '2014-03-01' });
      expect({ status: big.status, code: big.body.code }).toEqual({ status: 413, code: 'REQUEST.TOO_LARGE' });
      const ok = await t.http().post('/centres').set(officer).send({ centreId: 'kc-small', countyId: 'telemark', name: 'Small', municipality: 'Skien', openedOn: '2014-03-01' });
      expect(ok.status).toBe(201);
    });

    it('README: any 2xx of any route (a POST 201 included) at least LEDGER_GZIP_MIN_BYTES long is gzipped for a gzip client, with Vary: Accept-Encoding', async () => {
      const res = await t.http().post('/centres').set(officer).set('Accept-Encoding', 'gzip').send({ centreId: 'kc-gz', countyId: 'telemark', name: 'Gzipped', municipality: 'Skien', openedOn: '2014-03-01' });
      expect(res.status).toBe(201);
      expect(res.headers['content-encoding']).toBe('gzip');
      expect(String(res.headers['vary'])).toMatch(/accept-encoding/i);
      expect(res.body.streamId).toBe('centre-kc-gz');
    });

    it('README: with the answer cache off gzip stays; gzip;q=0 refuses it; x-gzip and * accept it', async () => {
      const auditor = await t.auth('auditor');
      const gz = await t.http().get('/counties').set(auditor).set('Accept-Encoding', 'gzip');
      expect(gz.headers['content-encoding']).toBe('gzip');
      expect(String(gz.headers['vary'])).toMatch(/accept-encoding/i);
      const refused = await t.http().get('/counties').set(auditor).set('Accept-Encoding', 'gzip;q=0');
      expect(refused.headers['content-encoding']).toBeUndefined();
      for (const ae of ['x-gzip', '*']) {
        const res = await t.http().get('/counties').set(auditor).set('Accept-Encoding', ae);
        expect([ae, res.headers['content-encoding']]).toEqual([ae, 'gzip']);
      }
    });
  });

  // ------------------------------------------------------------------ pages on the lists not covered elsewhere
  describe('Lists in pages (README) on /partnerships, /stimulus-grants, /grant-schemes, /grant-criteria-sets', () => {
    let t: TestApp;
    let auditor: Auth;
    beforeAll(async () => {
      t = await startTestApp({ seed: true });
      auditor = await t.auth('auditor');
      for (const countyId of ['telemark', 'vestfold', 'ostfold']) {
        const fo = await t.auth('finance-officer', [countyId]);
        await t.http().post('/parties').set(fo).send({ partyId: `${countyId}-fk`, name: `${countyId} fylkeskommune`, kind: 'county-authority', countyId }).expect(201);
        await t.http().post('/parties').set(fo).send({ partyId: `nav-${countyId}`, name: `NAV ${countyId}`, kind: 'nav-county-office', countyId }).expect(201);
        await t.http().post(`/counties/${countyId}/partnership-agreements`).set(fo).send({ partnershipId: `${countyId}-p`, parties: [`${countyId}-fk`, `nav-${countyId}`], signedOn: '2013-09-01', period: { from: '2013-09-01' } }).expect(201);
      }
    });
    afterAll(() => t.close());

    it('README: limit 0, 1001 or not a number is 400 REQUEST.BAD_LIMIT; a garbled cursor 400 REQUEST.BAD_CURSOR, on every list route', async () => {
      for (const path of ['/partnerships?date=2014-06-01&', '/stimulus-grants?', '/grant-schemes?', '/grant-criteria-sets?', '/counties?', '/centres?', '/parties?', '/boards?', '/nav-links?date=2014-06-01&']) {
        for (const limit of ['0', '1001', 'ten', '1.5', '-1']) {
          const res = await t.http().get(`${path}limit=${limit}`).set(auditor);
          expect([path, limit, res.status, res.body.code]).toEqual([path, limit, 400, 'REQUEST.BAD_LIMIT']);
        }
        const ok = await t.http().get(`${path}limit=1000`).set(auditor);
        expect([path, ok.status]).toEqual([path, 200]);
        const cursor = await t.http().get(`${path}limit=1&after=!!garbled!!`).set(auditor);
        expect([path, cursor.status, cursor.body.code]).toEqual([path, 400, 'REQUEST.BAD_CURSOR']);
      }
    });

    it('README: /partnerships?date=…&limit=7 pages with a Link that keeps date, and X-Total-Count; the pages together are the whole list', async () => {
      const whole = await t.http().get('/partnerships?date=2014-06-01').set(auditor);
      expect(whole.headers['link']).toBeUndefined();
      const all = whole.body as unknown[];
      const seen: unknown[] = [];
      let url: string | null = '/partnerships?date=2014-06-01&limit=7';
      for (let pages = 0; url && pages < 10; pages++) {
        const res = await t.http().get(url).set(auditor);
        expect(res.status).toBe(200);
        expect(res.headers['x-total-count']).toBe(String(all.length));
        expect(Array.isArray(res.body)).toBe(true);
        seen.push(...res.body);
        const link = res.headers['link'] as string | undefined;
        if (!link) break;
        expect(link).toMatch(/^<\/partnerships\?date=2014-06-01&limit=7&after=[A-Za-z0-9_-]+>; rel="next"$/);
        url = /<([^>]+)>/.exec(link)![1];
      }
      expect(seen).toEqual(all);
    });
  });

  // ------------------------------------------------------------------ names on dates
  describe('a centre\'s name on a date (README)', () => {
    let t: TestApp;
    let fo: Auth;
    let vox: Auth;
    let auditor: Auth;
    beforeAll(async () => {
      t = await startTestApp({ seed: true });
      fo = await t.auth('finance-officer', ['telemark']);
      vox = await t.auth('vox');
      auditor = await t.auth('auditor');
      await t.http().post('/centres').set(fo).send({ centreId: 'kc-tm', countyId: 'telemark', name: 'Karriere Telemark', municipality: 'Skien', openedOn: '2010-01-01' }).expect(201);
      await t.http().post('/centres/kc-tm/rename').set(fo).send({ name: 'Karrieresenteret i Telemark', effectiveFrom: '2016-01-01' }).expect(200);
      await t.http().post('/grant-schemes').set(vox).send({ year: 2014, baseGrant: '4200000.00', criteriaSetId: 'criteria-2014', judgingDate: '2014-03-01' }).expect(201);
    });
    afterAll(() => t.close());

    it('README: the governance answers name the centre by the name in force on their date', async () => {
      const before = await t.http().get('/centres/kc-tm/governance?date=2015-06-01').set(auditor);
      const after = await t.http().get('/centres/kc-tm/governance?date=2016-06-01').set(auditor);
      expect([before.body.name, after.body.name]).toEqual(['Karriere Telemark', 'Karrieresenteret i Telemark']);
      const link = await t.http().get('/centres/kc-tm/nav-link?date=2015-06-01').set(auditor);
      expect(link.body.name).toBe('Karriere Telemark');
      const links = await t.http().get('/nav-links?date=2015-06-01').set(auditor);
      const entry = links.body.links.find((l: { centreId: string }) => l.centreId === 'kc-tm');
      expect(entry?.name).toBe('Karriere Telemark');
    });

    it('README: year answers (the 2014 base-grant eligibility) name the centre by the name in force on 31 December of the year', async () => {
      const res = await t.http().get('/grant-schemes/2014/eligibility/telemark').set(auditor);
      expect(res.status).toBe(200);
      const names = JSON.stringify(res.body).match(/Karrieresenteret i Telemark/g) ?? [];
      expect(res.body.centres.map((c: { name: string }) => c.name)).toEqual(['Karriere Telemark']);
      expect(names).toHaveLength(0);
    });
  });

  // ------------------------------------------------------------------ codes of the general list that a user meets first
  describe('Error codes of the general list (README)', () => {
    let t: TestApp;
    let fo: Auth;
    let auditor: Auth;
    beforeAll(async () => {
      t = await startTestApp({ seed: true });
      fo = await t.auth('finance-officer', ['telemark']);
      auditor = await t.auth('auditor');
      await t.http().post('/parties').set(fo).send({ partyId: 'telemark-fk', name: 'Telemark fylkeskommune', kind: 'county-authority', countyId: 'telemark' }).expect(201);
      await t.http().post('/centres').set(fo).send({ centreId: 'tm', countyId: 'telemark', name: 'Karriere Telemark', municipality: 'Skien', openedOn: '2009-09-01' }).expect(201);
    });
    afterAll(() => t.close());
    const entry = { fiscalYear: 2013, partyId: 'telemark-fk', amount: '100.00', decidedOn: '2013-01-10', reference: 'FT-sak 1/13' };

    it('README: an earmarked fund or tender award without a period is 400 PERIOD.MISSING ("this kind of entry needs a period {from, to}")', async () => {
      const head = await t.store.headPosition();
      const got: string[] = [];
      const want: string[] = [];
      for (const [route, extra] of [['earmarked-funds', { purpose: 'Prosjekt' }], ['tender-awards', { contractReference: 'NAV-1' }]] as const) {
        for (const period of [undefined, null]) {
          const res = await t.http().post(`/centres/tm/funding/${route}`).set(fo).send({ ...entry, ...extra, ...(period === undefined ? {} : { period }) });
          got.push(`${route} period=${String(period)}: ${res.status} ${res.body.code}`);
          want.push(`${route} period=${String(period)}: 400 PERIOD.MISSING`);
        }
      }
      expect(got).toEqual(want);
      expect(await t.store.headPosition()).toBe(head);
    });

    it('README: a period that ends before it starts is 422 PERIOD.ENDS_BEFORE_START; an amount left out 400 MONEY.MISSING', async () => {
      const ends = await t.http().post('/centres/tm/funding/earmarked-funds').set(fo).send({ ...entry, purpose: 'Prosjekt', period: { from: '2013-06-01', to: '2013-05-31' } });
      expect([ends.status, ends.body.code]).toEqual([422, 'PERIOD.ENDS_BEFORE_START']);
      const noAmount: Partial<typeof entry> = { ...entry };
      delete noAmount.amount;
      const missing = await t.http().post('/centres/tm/funding/operating-grants').set(fo).send(noAmount);
      expect([missing.status, missing.body.code]).toEqual([400, 'MONEY.MISSING']);
    });

    it('README: a format that is not available here (Accept: application/xml on a JSON/CSV route) is 406 REQUEST.NOT_ACCEPTABLE', async () => {
      const res = await t.http().get('/key-figures/2014').set(auditor).set('Accept', 'application/xml');
      expect([res.status, res.body.code]).toEqual([406, 'REQUEST.NOT_ACCEPTABLE']);
    });

    it('README: ?format=xml is 400 REQUEST.BAD_FORMAT; a broken percent-encoding 400 REQUEST.BAD_URL; ?date=2014-02-30 400 REQUEST.BAD_DATE', async () => {
      const format = await t.http().get('/key-figures/2014?format=xml').set(auditor);
      expect([format.status, format.body.code]).toEqual([400, 'REQUEST.BAD_FORMAT']);
      const url = await t.http().get('/centres/%E0%A4%A').set(auditor);
      expect([url.status, url.body.code]).toEqual([400, 'REQUEST.BAD_URL']);
      const date = await t.http().get('/nav-links?date=2014-02-30').set(auditor);
      expect([date.status, date.body.code]).toEqual([400, 'REQUEST.BAD_DATE']);
    });

    it('README: Vox and auditors read only (403 on a write, nothing recorded)', async () => {
      const head = await t.store.headPosition();
      for (const role of ['vox', 'auditor'] as const) {
        const res = await t.http().post('/parties').set(await t.auth(role)).send({ partyId: `p-${role}`, name: 'X', kind: 'other' });
        expect([role, res.status, res.body.code]).toEqual([role, 403, 'ACCESS.ROLE_NOT_ALLOWED']);
      }
      expect(await t.store.headPosition()).toBe(head);
    });
  });
});
