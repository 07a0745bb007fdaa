import { ModulesContainer } from '@nestjs/core';
import { registeredRoutes } from '../../apps/api/src/bootstrap';
import { WRITE_METHODS } from '../../apps/api/src/http/write-query';
import { startTestApp, TestApp } from '../helpers/test-app';

/**
 * Writes take no query parameters (apps/api/src/http/write-query.ts): `POST …?dryRun=true` would
 * otherwise be recorded for real. Every write route is refused 400 REQUEST.UNKNOWN_QUERY with one, and
 * records nothing; no write handler reads the query (so none is refused something it takes).
 */

/** Nest's RequestMethod, by its number. */
const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'ALL', 'OPTIONS', 'HEAD'];
/** Nest's RouteParamtypes: REQUEST (@Req) and QUERY (@Query). */
const REQUEST_PARAM = 0;
const QUERY_PARAM = 4;

describe('writes take no query parameters', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ seed: true });
  });
  afterAll(() => t?.close());

  /** Every write handler of the app's controllers: `METHOD path`, and whether it takes @Query() or reads `.query` off @Req(). */
  const writeHandlers = () => {
    const out: { route: string; query: boolean }[] = [];
    for (const mod of t.app.get(ModulesContainer).values()) {
      for (const wrapper of mod.controllers.values()) {
        const ctrl = wrapper.metatype as Function | null;
        if (!ctrl) continue;
        for (const name of Object.getOwnPropertyNames(ctrl.prototype)) {
          const handler = ctrl.prototype[name];
          const method = METHODS[Reflect.getMetadata('method', handler) as number];
          if (name === 'constructor' || typeof handler !== 'function' || !WRITE_METHODS.has(method)) continue;
          const args = Object.keys(Reflect.getMetadata('__routeArguments__', ctrl, name) ?? {}).map((k) => Number(k.split(':')[0]));
          const readsQuery = args.includes(REQUEST_PARAM) && /\.query\b/.test(String(handler));
          out.push({ route: `${method} ${Reflect.getMetadata('path', ctrl) ?? ''}/${Reflect.getMetadata('path', handler)}`, query: args.includes(QUERY_PARAM) || readsQuery });
        }
      }
    }
    return out;
  };

  it('no write handler takes a query parameter (one that does must be let through write-query.ts, and documented)', () => {
    const handlers = writeHandlers();
    expect(handlers.length).toBeGreaterThan(40);
    expect(handlers.filter((h) => h.query).map((h) => h.route)).toEqual([]);
  });

  it('every write route with a query parameter is 400 REQUEST.UNKNOWN_QUERY naming it, nothing recorded; the OpenAPI document names the code on each', async () => {
    const admin = await t.auth(['admin', 'finance-officer', 'vox', 'board-member'], ['telemark'], 'wq-admin');
    const doc = (await t.http().get('/docs-json')).body as { paths: Record<string, Record<string, { responses: Record<string, { description?: string }> }>> };
    const writes = registeredRoutes(t.app).filter((r) => WRITE_METHODS.has(r.method));
    expect(writes.length).toBeGreaterThan(40);
    const before = await t.store.headPosition();
    const wrong: string[] = [];
    for (const { method, url } of writes) {
      const path = url.replace(/:(\w+)/g, (_, p: string) => (p === 'year' ? '2014' : `x-${p}`));
      const res = await t.http()[method.toLowerCase() as 'post'](`${path}?dryRun=true`).set(admin).set('Idempotency-Key', `wq-${path}`).send({});
      const line = `${method} ${url}: ${res.status} ${res.body.code} ${JSON.stringify(res.body.details)}`;
      if (line !== `${method} ${url}: 400 REQUEST.UNKNOWN_QUERY {"parameters":["dryRun"]}`) wrong.push(line);
      const documented = doc.paths[url.replace(/:(\w+)/g, '{$1}')]?.[method.toLowerCase()]?.responses['400']?.description ?? '';
      if (!documented.includes('`REQUEST.UNKNOWN_QUERY`')) wrong.push(`${method} ${url}: 400 does not name REQUEST.UNKNOWN_QUERY`);
    }
    expect(wrong).toEqual([]);
    expect(await t.store.headPosition()).toBe(before);
  });

  it('the answer names the parameters (up to ten), in the one error shape; an empty query string is no parameter', async () => {
    const fo = await t.auth('finance-officer', ['telemark'], 'wq-fo');
    const centre = { centreId: 'wq-kc', countyId: 'telemark', name: 'Karriere Skien', municipality: 'Skien', openedOn: '2010-01-01' };
    const before = await t.store.headPosition();
    const two = await t.http().post('/centres?validateOnly=1&dryRun').set(fo).send(centre);
    expect([two.status, two.body.code, two.body.details]).toEqual([400, 'REQUEST.UNKNOWN_QUERY', { parameters: ['validateOnly', 'dryRun'] }]);
    expect(two.body.message).toMatch(/^This request takes no query parameters: validateOnly, dryRun; nothing was recorded\./);
    expect(Object.keys(two.body).sort()).toEqual(['code', 'details', 'message', 'statusCode']);
    const many = await t.http().post(`/centres?${Array.from({ length: 12 }, (_, i) => `p${i}=1`).join('&')}`).set(fo).send(centre);
    expect([many.status, many.body.details.parameters.length, many.body.message]).toEqual([400, 10, expect.stringContaining('p9, …;')]);
    // who may write is said first: no token (or one in the query) is 401, a role that may not write 403
    const anonymous = await t.http().post('/centres?access_token=x').send(centre);
    expect([anonymous.status, anonymous.body.code]).toEqual([401, 'AUTH.MISSING_TOKEN']);
    const auditor = await t.http().post('/centres?dryRun=true').set(await t.auth('auditor', [], 'wq-auditor')).send(centre);
    expect([auditor.status, auditor.body.code]).toEqual([403, 'ACCESS.ROLE_NOT_ALLOWED']);
    // and the query before the body: a body that breaks the route's rules is not looked at
    const invalid = await t.http().post('/centres?dryRun=true').set(fo).send({ ...centre, openedOn: 'yesterday' });
    expect([invalid.status, invalid.body.code]).toEqual([400, 'REQUEST.UNKNOWN_QUERY']);
    expect(await t.store.headPosition()).toBe(before);
    const bare = await t.http().post('/centres?').set(fo).send(centre);
    expect(bare.status).toBe(201);
  });

  it('reads keep their query parameters, and an unknown address with a query is still 404', async () => {
    const fo = await t.auth('finance-officer', ['telemark'], 'wq-reader');
    expect((await t.http().get('/centres?limit=1').set(fo)).status).toBe(200);
    const missing = await t.http().post('/no-such-route?dryRun=true').set(fo).send({});
    expect([missing.status, missing.body.code]).toEqual([404, 'ROUTE.NOT_FOUND']);
  });
});
