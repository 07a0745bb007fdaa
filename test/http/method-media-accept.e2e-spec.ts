import { registeredRoutes } from '../../apps/api/src/bootstrap';
import { answerCacheOf } from '../../apps/api/src/http/answer-cache';
import { SECURITY_HEADERS } from '../../apps/api/src/http/security-headers';
import { rawGet, RawAnswer } from '../helpers/raw-get';
import { startTestApp, TestApp } from '../helpers/test-app';

/**
 * The refusals of the request itself that README's list of error codes promises (README, "Error codes"):
 * 405 ROUTE.METHOD_NOT_ALLOWED with Allow, 415 REQUEST.UNSUPPORTED_MEDIA_TYPE for any body but JSON,
 * 400 REQUEST.INVALID_JSON for a body that is not JSON, and 406 REQUEST.NOT_ACCEPTABLE for an Accept
 * that allows none of the route's types, with the answer cache, ETag/304 and HEAD agreeing.
 */

const ERROR_KEYS = ['code', 'details', 'message', 'statusCode'];
const CENTRE = (centreId: string) => ({ centreId, countyId: 'telemark', name: `Karrieresenteret ${centreId}`, municipality: 'Skien', openedOn: '2014-03-01' });
const BROWSER = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';

describe('405, 415, 400 REQUEST.INVALID_JSON and 406 at the HTTP edge', () => {
  let t: TestApp;
  let admin: { Authorization: string };
  let auditor: { Authorization: string };
  const raw = (url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<RawAnswer> => rawGet(t.app.getHttpServer(), url, headers, method);
  const expectError = (res: RawAnswer, status: number, code: string) => {
    expect([res.statusCode, res.headers['content-type']]).toEqual([status, 'application/json; charset=utf-8']);
    if (res.body) {
      const body = JSON.parse(res.body);
      expect(Object.keys(body).sort()).toEqual(ERROR_KEYS);
      expect([body.statusCode, body.code]).toEqual([status, code]);
    }
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) expect([name, res.headers[name]]).toEqual([name, value]);
  };

  beforeAll(async () => {
    t = await startTestApp({ seed: true });
    admin = await t.auth('admin');
    auditor = await t.auth('auditor');
    expect((await t.http().post('/centres').set(admin).send(CENTRE('kc-405'))).status).toBe(201);
  });
  afterAll(() => t.close());

  describe('405 ROUTE.METHOD_NOT_ALLOWED', () => {
    it('an address that exists but not for the method: 405 with Allow (HEAD with GET) and the methods in details', async () => {
      for (const [method, url, allow] of [
        ['DELETE', '/centres/kc-405', 'GET, HEAD'],
        ['PUT', '/counties', 'GET, HEAD, POST'],
        ['PATCH', '/counties?limit=2', 'GET, HEAD, POST'],
        ['GET', '/centres/kc-405/rename', 'POST'],
        ['OPTIONS', '/counties/telemark/eligibility/2014', 'GET, HEAD'],
        ['DELETE', '/c%6Funties', 'GET, HEAD, POST'], // the router decodes the path
        ['DELETE', '/docs', 'GET, HEAD'],
        ['POST', '/docs-json', 'GET, HEAD'],
        ['PUT', '/docs/swagger-ui-init.js', 'GET, HEAD'],
      ]) {
        const res = await raw(url, admin, method);
        expect([method, url, res.statusCode, res.headers.allow]).toEqual([method, url, 405, allow]);
        expectError(res, 405, 'ROUTE.METHOD_NOT_ALLOWED');
        expect(JSON.parse(res.body).details.allowed).toEqual(allow.split(', '));
      }
    });

    it('HEAD gets the same 405 and Allow without a body; no token needed to be told (as for a 404)', async () => {
      const head = await raw('/centres/kc-405/rename', {}, 'HEAD');
      expect([head.statusCode, head.headers.allow, head.rawPayload.length]).toEqual([405, 'POST', 0]);
      const anonymous = await raw('/centres/kc-405', {}, 'DELETE');
      expectError(anonymous, 405, 'ROUTE.METHOD_NOT_ALLOWED');
    });

    it('still 404 where no method would be routed: unknown, a trailing or doubled slash, an empty parameter, another case', async () => {
      for (const [method, url] of [['DELETE', '/no-such-route'], ['PUT', '/counties/'], ['GET', '/counties/'], ['DELETE', '//counties'], ['DELETE', '/centres//governance'], ['POST', '/centres//governance'], ['PUT', '/Counties']]) {
        const res = await raw(url, admin, method);
        expect([method, url, res.statusCode, res.headers.allow]).toEqual([method, url, 404, undefined]);
        expectError(res, 404, 'ROUTE.NOT_FOUND');
      }
    });

    it('every registered address (parameters filled in) answers a method it does not take with 405 and an Allow naming its own', async () => {
      const byUrl = new Map<string, Set<string>>();
      for (const r of registeredRoutes(t.app)) byUrl.set(r.url, (byUrl.get(r.url) ?? new Set()).add(r.method));
      expect(byUrl.size).toBeGreaterThan(60);
      const wrong: string[] = [];
      for (const [url, methods] of byUrl) {
        const path = url.replace(/:[A-Za-z]+/g, 'x1').replace('*', 'x1');
        const res = await raw(path, admin, 'PATCH'); // no route takes PATCH
        const allow = String(res.headers.allow ?? '').split(', ');
        if (res.statusCode !== 405 || ![...methods].every((m) => allow.includes(m))) wrong.push(`${url}: ${res.statusCode} Allow ${res.headers.allow}`);
      }
      expect(wrong).toEqual([]);
    });
  });

  describe('415 and REQUEST.INVALID_JSON: the body', () => {
    it('README L234: a body sent as text/plain (JSON in it, or empty) is 415 REQUEST.UNSUPPORTED_MEDIA_TYPE, like a form or XML, and nothing is recorded', async () => {
      const head = await t.store.headPosition();
      for (const [type, body] of [['text/plain', JSON.stringify(CENTRE('kc-txt'))], ['text/plain; charset=utf-8', JSON.stringify(CENTRE('kc-txt'))], ['text/plain', ''], ['application/x-www-form-urlencoded', 'centreId=kc-form'], ['application/xml', '<centre/>'], ['text/csv', 'a;b']]) {
        const res = await t.http().post('/centres').set(admin).set('Content-Type', type).send(body);
        expect([type, body.slice(0, 10), res.status, res.body.code]).toEqual([type, body.slice(0, 10), 415, 'REQUEST.UNSUPPORTED_MEDIA_TYPE']);
      }
      expect(await t.store.headPosition()).toBe(head);
    });

    it('a POST with no body and no Content-Type is read as it was (the DTO refuses the missing fields); JSON with a charset, or in capitals, is taken', async () => {
      const none = await t.http().post('/centres').set(admin);
      expect(none.status).toBe(400);
      expect(none.body.code).toMatch(/^VALIDATION\./);
      const charset = await t.http().post('/centres').set(admin).set('Content-Type', 'application/json; charset=utf-8').send(JSON.stringify(CENTRE('kc-charset')));
      expect(charset.status).toBe(201);
      const capitals = await t.http().post('/centres').set(admin).set('Content-Type', 'Application/JSON').send(JSON.stringify(CENTRE('kc-caps')));
      expect(capitals.status).toBe(201);
    });

    it('README L230: a body that is not valid JSON, or empty under Content-Type: application/json, is 400 REQUEST.INVALID_JSON; nothing is recorded', async () => {
      const head = await t.store.headPosition();
      for (const body of ['{"centreId":', '{"centreId":"x",}', "{'centreId':'x'}", '{"a":1}}', '']) {
        const res = await t.http().post('/centres').set(admin).set('Content-Type', 'application/json').send(body);
        expect([body, res.status, res.body.code]).toEqual([body, 400, 'REQUEST.INVALID_JSON']);
        expect(Object.keys(res.body).sort()).toEqual(ERROR_KEYS);
      }
      const empty = await t.http().post('/centres').set(admin).set('Content-Type', 'application/json').send('');
      expect(empty.body.message).toMatch(/empty/);
      expect(await t.store.headPosition()).toBe(head);
    });

    it('well-formed JSON naming __proto__ or constructor.prototype is refused as REQUEST.INVALID (not called broken JSON); a non-object stays BODY_NOT_OBJECT', async () => {
      for (const body of ['{"__proto__":{"admin":true}}', '{"constructor":{"prototype":{"admin":true}}}']) {
        const res = await t.http().post('/centres').set(admin).set('Content-Type', 'application/json').send(body);
        expect([body, res.status, res.body.code]).toEqual([body, 400, 'REQUEST.INVALID']);
      }
      const list = await t.http().post('/centres').set(admin).set('Content-Type', 'application/json').send('[1]');
      expect(list.body.code).toBe('REQUEST.BODY_NOT_OBJECT');
    });
  });

  describe('406 REQUEST.NOT_ACCEPTABLE', () => {
    it('README L241: Accept: application/xml on a JSON/CSV route is 406, in JSON, naming the types there, with Vary: Accept; HEAD the same without a body', async () => {
      const res = await raw('/key-figures/2014', { ...auditor, accept: 'application/xml' });
      expectError(res, 406, 'REQUEST.NOT_ACCEPTABLE');
      expect(JSON.parse(res.body).details).toEqual({ available: ['application/json', 'text/csv'] });
      expect(String(res.headers.vary)).toMatch(/\bAccept\b/);
      const head = await raw('/key-figures/2014', { ...auditor, accept: 'application/xml' }, 'HEAD');
      expect([head.statusCode, head.rawPayload.length]).toEqual([406, 0]);
    });

    it('on a JSON/CSV route: no Accept, */*, a browser, application/* → JSON; text/* → CSV; none of them with q > 0 → 406; ?format= wins over Accept', async () => {
      const cases: [Record<string, string>, string, number, string][] = [
        [{}, '', 200, 'application/json'],
        [{ accept: '*/*' }, '', 200, 'application/json'],
        [{ accept: BROWSER }, '', 200, 'application/json'],
        [{ accept: 'application/*' }, '', 200, 'application/json'],
        [{ accept: 'text/*' }, '', 200, 'text/csv'],
        [{ accept: 'text/csv;q=0' }, '', 406, 'application/json'],
        [{ accept: 'application/json;q=0, text/csv;q=0, application/xml' }, '', 406, 'application/json'],
        [{ accept: 'application/xml' }, '?format=json', 200, 'application/json'],
        [{ accept: 'application/xml' }, '?format=csv', 200, 'text/csv'],
        [{ accept: 'application/xml' }, '?format=xml', 400, 'application/json'],
      ];
      for (const [headers, query, status, type] of cases) {
        const res = await raw(`/key-figures/2014${query}`, { ...auditor, ...headers });
        expect([headers.accept, query, res.statusCode, String(res.headers['content-type']).split(';')[0]]).toEqual([headers.accept, query, status, type]);
      }
    });

    it('on a JSON-only route and on a write: an Accept without JSON is 406 before anything is done; the wildcard, application/*, a bare * or an empty Accept get JSON', async () => {
      for (const accept of ['application/xml', 'text/csv', 'text/html', 'application/json;q=0, */*']) {
        expectError(await raw('/counties', { ...auditor, accept }), 406, 'REQUEST.NOT_ACCEPTABLE');
        expectError(await raw('/centres/kc-405/governance', { ...auditor, accept }), 406, 'REQUEST.NOT_ACCEPTABLE');
      }
      for (const accept of ['*/*', '*/*;q=0.1', 'application/*', '*', '', BROWSER, 'application/json; charset=utf-8']) {
        const res = await raw('/counties', { ...auditor, accept });
        expect([accept, res.statusCode]).toEqual([accept, 200]);
      }
      const head = await t.store.headPosition();
      const write = await t.http().post('/centres').set(admin).set('Accept', 'text/html').send(CENTRE('kc-html'));
      expect([write.status, write.body.code]).toEqual([406, 'REQUEST.NOT_ACCEPTABLE']);
      expect(await t.store.headPosition()).toBe(head);
      expect((await t.http().post('/centres').set(admin).set('Accept', 'application/json').send(CENTRE('kc-json'))).status).toBe(201);
    });

    it('a CSV-only report takes text/csv, text/* or the wildcard, and refuses Accept: application/json (its errors still JSON)', async () => {
      expect((await raw('/reports/key-figures/2014/csv', { ...auditor, accept: 'text/csv' })).statusCode).toBe(200);
      expect((await raw('/reports/key-figures/2014/csv', { ...auditor, accept: BROWSER })).statusCode).toBe(200);
      expectError(await raw('/reports/key-figures/2014/csv', { ...auditor, accept: 'application/json' }), 406, 'REQUEST.NOT_ACCEPTABLE');
      expectError(await raw('/reports/key-figures/1800/csv', { ...auditor, accept: 'text/csv' }), 400, 'FISCAL_YEAR.OUT_OF_RANGE');
    });

    it('the API docs and /health answer whatever the Accept', async () => {
      expect((await raw('/docs/', { accept: 'text/html' })).statusCode).toBe(200);
      expect((await raw('/docs-json', { accept: 'application/json' })).statusCode).toBe(200);
      expect((await raw('/health', { accept: 'text/plain' })).statusCode).toBe(200);
    });

    it('the answer cache and ETag/304: an entry is never served, nor a 304 given, to an Accept that excludes the answer', async () => {
      const cache = answerCacheOf(t.app.getHttpAdapter().getInstance())!;
      const reader = await t.auth('auditor', [], 'accept-cache');
      for (const url of ['/counties/telemark', '/key-figures/2014']) {
        const first = await raw(url, reader);
        expect(first.statusCode).toBe(200);
        const hits = cache.rawHits;
        expect((await raw(url, reader)).statusCode).toBe(200);
        expect(cache.rawHits).toBe(hits + 1); // the entry is there and served
        const etag = first.headers.etag as string;
        expect((await raw(url, { ...reader, 'if-none-match': etag })).statusCode).toBe(304);
        for (const accept of ['application/xml', 'text/csv;q=0, application/json;q=0']) {
          expectError(await raw(url, { ...reader, accept }), 406, 'REQUEST.NOT_ACCEPTABLE');
          expectError(await raw(url, { ...reader, accept, 'if-none-match': etag }), 406, 'REQUEST.NOT_ACCEPTABLE');
          expectError(await raw(url, { ...reader, accept, 'if-none-match': etag }, 'HEAD'), 406, 'REQUEST.NOT_ACCEPTABLE');
        }
        // An acceptable Accept is its own entry, filled and served as before.
        expect((await raw(url, { ...reader, accept: 'application/json' })).statusCode).toBe(200);
        expect((await raw(url, { ...reader, accept: 'application/json', 'if-none-match': etag })).statusCode).toBe(304);
      }
    });
  });
});
