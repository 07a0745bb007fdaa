import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Response } from 'supertest';
import { registeredRoutes } from '../../apps/api/src/bootstrap';
import { ANY_ADDRESS_REFUSALS, ERROR_CODES } from '../../apps/api/src/http/error-codes';
import { REFUSALS } from '../../libs/application/src/error-codes';
import { Role } from '../../libs/domain/src/shared';
import { ACCESS_MATRIX, RouteSpec } from '../security/access-matrix';
import { Built, World } from '../security/world';

/**
 * A review of the published HTTP contract (GET /docs-json, and README.md where it describes the same
 * thing) against what the server answers: the routes, the success statuses and result fields, the
 * codes each refusal is documented with, the one error shape, the query parameters each read lists,
 * and the two error-code catalogues. Valid requests for every route come from the access matrix
 * (test/security/access-matrix.ts), built against its small two-county World.
 */

interface Schema {
  type?: string;
  format?: string;
  $ref?: string;
  allOf?: Schema[];
  items?: Schema;
  enum?: unknown[];
  example?: unknown;
  nullable?: boolean;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  properties?: Record<string, Schema>;
  required?: string[];
}
interface Param {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema?: Schema;
  description?: string;
}
interface Operation {
  operationId?: string;
  summary?: string;
  tags?: string[];
  security?: Record<string, string[]>[];
  parameters?: Param[];
  requestBody?: { required?: boolean; content: Record<string, { schema: Schema }> };
  responses: Record<string, { description?: string; content?: Record<string, { schema?: Schema }>; headers?: Record<string, unknown> }>;
}
interface Doc {
  openapi: string;
  info: { title: string; version: string; description: string };
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema>; securitySchemes?: Record<string, { type: string; scheme?: string }> };
}
type Auth = { Authorization: string };

const ROOT = resolve(__dirname, '../..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const ERROR_KEYS = ['statusCode', 'code', 'message', 'details'];
/** The routes the API docs themselves add (the UI, its assets, the JSON and YAML): not part of the API. */
const isDocsRoute = (url: string): boolean => url === '/docs' || url.startsWith('/docs/') || url.startsWith('/docs-');
/** A value for each path parameter that passes the route's own checks (the World's own-county objects). */
const SAMPLE: Record<string, string> = { year: '2013', countyId: 'telemark', centreId: 'kc-own', from: '2012-08-01', revision: '0', streamId: 'centre-kc-own', boardId: 'board-own' };
/** `- \`CODE\` — meaning` lines of an error response's description. */
const codesOf = (text: string | undefined): string[] => [...(text ?? '').matchAll(/^- `([A-Z0-9_.]+)` — /gm)].map((m) => m[1]);
const docPath = (key: string): string => key.replace(/:(\w+)/g, '{$1}');
const fill = (path: string): string => path.replace(/\{(\w+)\}/g, (_, n: string) => SAMPLE[n] ?? `zz-${n}`);
const withQuery = (url: string, q: string): string => `${url}${url.includes('?') ? '&' : '?'}${q}`;
/** The URL with `name` set to `value` (replacing it if the URL has it). */
const setQuery = (url: string, name: string, value: string): string => {
  const [path, query = ''] = url.split('?');
  const kept = query.split('&').filter((kv) => kv !== '' && kv.split('=')[0] !== name);
  return `${path}?${[...kept, `${name}=${encodeURIComponent(value)}`].join('&')}`;
};
/** A time after everything the review records (as of it, the answer is the head's). */
const LATER = '2099-05-09';
const mediaType = (res: Response): string => String(res.headers['content-type'] ?? '').split(';')[0].trim();

describe('OpenAPI contract review: /docs-json and README against the server', () => {
  let w: World;
  let doc: Doc;
  let ops: { path: string; method: string; op: Operation }[];
  let admin: Auth;
  let auditor: Auth;
  let fo: Auth;
  let vox: Auth;
  /** Every error answer seen, with what asked it (for the one-shape check at the end). */
  const errors: { where: string; res: Response }[] = [];
  /** `CODE STATUS` the document's description lists as answerable at any address. */
  let general: Set<string>;

  const keep = (where: string, res: Response): Response => {
    if (res.status >= 400) errors.push({ where, res });
    return res;
  };
  const send = async (method: string, url: string, auth?: Auth, body?: unknown, headers: Record<string, string> = {}): Promise<Response> => {
    const agent = w.t.http();
    let req = method === 'GET' ? agent.get(url) : method === 'POST' ? agent.post(url) : method === 'DELETE' ? agent.delete(url) : method === 'PATCH' ? agent.patch(url) : agent.put(url);
    if (auth) req = req.set(auth);
    req = req.set(headers);
    const res = body === undefined ? await req : await req.send(body as object);
    return keep(`${method} ${url}`, res);
  };
  const opOf = (method: string, path: string): Operation => {
    const op = doc.paths[path]?.[method.toLowerCase()];
    if (!op) throw new Error(`${method} ${path} is not in the document`);
    return op;
  };
  /** Whether the document names this answer's code for this route and status (on the route, or as any address's). */
  const documented = (method: string, path: string, res: Response): boolean =>
    codesOf(opOf(method, path).responses[String(res.status)]?.description).includes(res.body?.code) || general.has(`${res.body?.code} ${res.status}`);
  const verdict = (method: string, path: string, res: Response): string =>
    `${res.status} ${res.body?.code}${res.status >= 400 && !documented(method, path, res) ? ` (not documented for ${method} ${path} ${res.status}: ${codesOf(opOf(method, path).responses[String(res.status)]?.description).join(', ') || 'no such status'})` : ''}`;
  const schemaOf = (s: Schema): Schema => (s.$ref ? doc.components.schemas[s.$ref.split('/').pop()!] : s.allOf?.length === 1 ? schemaOf(s.allOf[0]) : s);

  /** The access matrix's routes but the docs', as (method, document path, spec). */
  const matrix = (): { method: string; path: string; spec: RouteSpec & { roles: Role[] } }[] =>
    Object.entries(ACCESS_MATRIX)
      .filter(([, spec]) => spec.roles !== 'public')
      .map(([key, spec]) => ({ method: key.split(' ')[0], path: docPath(key.split(' ')[1]), spec: spec as RouteSpec & { roles: Role[] } }));
  /** A valid request for a matrix route, and the token it is valid with (admin where the route takes admins, else its first role). */
  const valid = async (spec: RouteSpec & { roles: Role[] }): Promise<{ built: Built; auth: Auth }> => {
    const role: Role = spec.roles.includes('admin') ? 'admin' : spec.roles[0];
    const built = await spec.build(w, 'own', role);
    const auth = await w.t.auth(role, role === 'finance-officer' ? ['telemark'] : [], role === 'board-member' ? built.sub : `review-${role}`);
    return { built, auth };
  };

  /** The first valid request of every matrix route and its answer, made once (scheme years are few: each publish takes one). */
  let first: Promise<Map<string, { built: Built; auth: Auth; res: Response }>> | undefined;
  const firstAnswers = () =>
    (first ??= (async () => {
      const out = new Map<string, { built: Built; auth: Auth; res: Response }>();
      for (const { method, path, spec } of matrix()) {
        const { built, auth } = await valid(spec);
        out.set(`${method} ${path}`, { built, auth, res: await send(built.method, built.path, auth, built.body) });
      }
      return out;
    })());
  /** One valid request per write route, built once, for the checks that expect it refused (they record nothing). */
  const refusable = new Map<string, Promise<{ built: Built; auth: Auth }>>();
  const validOnce = (key: string, spec: RouteSpec & { roles: Role[] }) => {
    if (!refusable.has(key)) refusable.set(key, valid(spec));
    return refusable.get(key)!;
  };
  /** A token of a role the route takes (admin where it does), for requests refused before any object is looked at. */
  const tokenFor = (method: string, path: string): Promise<Auth> => {
    const spec = matrix().find((m) => m.method === method && m.path === path)?.spec;
    if (!spec) throw new Error(`no access-matrix entry for ${method} ${path}`);
    const role: Role = spec.roles.includes('admin') ? 'admin' : spec.roles[0];
    return w.t.auth(role, role === 'finance-officer' ? ['telemark'] : [], `review-${role}`);
  };

  beforeAll(async () => {
    w = await World.create();
    const res = await w.t.http().get('/docs-json');
    expect(res.status).toBe(200);
    doc = res.body;
    ops = Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ path, method: method.toUpperCase(), op })));
    general = new Set([...doc.info.description.matchAll(/^- (\d{3}) `([A-Z0-9_.]+)`/gm)].map((m) => `${m[2]} ${m[1]}`));
    admin = await w.t.auth('admin', [], 'review-admin');
    auditor = await w.t.auth('auditor', [], 'review-auditor');
    fo = await w.t.auth('finance-officer', ['telemark'], 'review-fo');
    vox = await w.t.auth('vox', [], 'review-vox');
  }, 300_000);
  afterAll(async () => w?.close());

  // ---------------------------------------------------------------- the document itself and the router

  it('is an OpenAPI 3.0 document: title, version, paths, schemas, a bearer scheme; each operation has an operationId (unique), a summary, a tag and a 2xx', () => {
    expect(doc.openapi).toMatch(/^3\.0\.\d+$/);
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    expect(doc.components.securitySchemes?.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(ops.length).toBeGreaterThan(90);
    const wrong: string[] = [];
    const ids = new Map<string, string>();
    for (const { path, method, op } of ops) {
      const where = `${method} ${path}`;
      if (!op.operationId) wrong.push(`${where}: no operationId`);
      else if (ids.has(op.operationId)) wrong.push(`${where}: operationId ${op.operationId} also on ${ids.get(op.operationId)}`);
      else ids.set(op.operationId, where);
      if (!op.summary?.trim()) wrong.push(`${where}: no summary`);
      if (!op.tags?.length) wrong.push(`${where}: no tag`);
      if (!Object.keys(op.responses).some((s) => /^2\d\d$/.test(s))) wrong.push(`${where}: no 2xx`);
      for (const [status, r] of Object.entries(op.responses)) if (!/^[1-5]\d\d$/.test(status) || (status !== '200' && !r.description?.trim())) wrong.push(`${where}: response ${status} without a description`);
    }
    expect(wrong).toEqual([]);
  });

  it('declares every {parameter} of every path as a required path parameter, and no path parameter that is not in the path', () => {
    const wrong: string[] = [];
    for (const { path, method, op } of ops) {
      const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      const declared = (op.parameters ?? []).filter((p) => p.in === 'path');
      for (const name of inPath) if (!declared.some((p) => p.name === name && p.required === true)) wrong.push(`${method} ${path}: {${name}} not declared as a required path parameter`);
      for (const p of declared) if (!inPath.includes(p.name)) wrong.push(`${method} ${path}: path parameter ${p.name} is not in the path`);
      const names = (op.parameters ?? []).map((p) => `${p.in}:${p.name}`);
      for (const n of names.filter((x, i) => names.indexOf(x) !== i)) wrong.push(`${method} ${path}: ${n} declared twice`);
    }
    expect(wrong).toEqual([]);
  });

  it('lists exactly the routes the router serves (HEAD and the docs\' own routes aside)', () => {
    const served = new Set(
      registeredRoutes(w.t.app)
        .filter((r) => r.method !== 'HEAD' && !isDocsRoute(r.url))
        .map((r) => `${r.method} ${r.url.replace(/:(\w+)/g, '{$1}')}`),
    );
    const listed = new Set(ops.map(({ method, path }) => `${method} ${path}`));
    expect({ undocumented: [...served].filter((r) => !listed.has(r)), notServed: [...listed].filter((r) => !served.has(r)) }).toEqual({ undocumented: [], notServed: [] });
  });

  it('every documented operation, asked with its method, reaches a route (never 404 ROUTE.NOT_FOUND or 405)', async () => {
    const lost: string[] = [];
    for (const { path, method } of ops) {
      const url = fill(path);
      const res = method === 'GET' ? await send('GET', url, admin) : await send(method, url, admin, {});
      if (res.status === 405 || res.body?.code === 'ROUTE.NOT_FOUND') lost.push(`${method} ${url}: ${res.status} ${res.body?.code}`);
    }
    expect(lost).toEqual([]);
  });

  it('another method on a documented path is 405 ROUTE.METHOD_NOT_ALLOWED whose Allow names exactly the documented methods (HEAD with GET); an address not in the document is 404 ROUTE.NOT_FOUND', async () => {
    const wrong: string[] = [];
    for (const [path, item] of Object.entries(doc.paths)) {
      const methods = Object.keys(item).map((m) => m.toUpperCase());
      const expected = [...new Set([...methods, ...(methods.includes('GET') ? ['HEAD'] : [])])].sort();
      const res = await send('DELETE', fill(path), admin);
      const allow = String(res.headers.allow ?? '').split(/,\s*/).filter(Boolean).sort();
      if (res.status !== 405 || res.body.code !== 'ROUTE.METHOD_NOT_ALLOWED' || JSON.stringify(allow) !== JSON.stringify(expected)) wrong.push(`DELETE ${path}: ${res.status} ${res.body?.code} Allow ${allow.join(',')} (documented: ${expected.join(',')})`);
    }
    for (const url of ['/api', '/swagger', '/metrics', '/centres/kc-own/funding', '/audit', '/reports']) {
      const res = await send('GET', url, admin);
      if (res.status !== 404 || res.body.code !== 'ROUTE.NOT_FOUND') wrong.push(`GET ${url}: ${res.status} ${res.body?.code}`);
    }
    expect(wrong).toEqual([]);
    expect(general.has('ROUTE.NOT_FOUND 404') && general.has('ROUTE.METHOD_NOT_ALLOWED 405')).toBe(true);
  });

  it('the routes the document secures with the bearer scheme answer 401 AUTH.MISSING_TOKEN (documented) without a token; the one it leaves open (/health) answers', async () => {
    const wrong: string[] = [];
    for (const { path, method, op } of ops) {
      const secured = (op.security ?? []).some((s) => 'bearer' in s);
      const res = await send(method, fill(path), undefined, method === 'GET' ? undefined : {});
      if (secured && (res.status !== 401 || res.body.code !== 'AUTH.MISSING_TOKEN' || !documented(method, path, res))) wrong.push(`${method} ${path}: secured, answered ${verdict(method, path, res)}`);
      if (!secured && res.status !== 200) wrong.push(`${method} ${path}: documented as open, answered ${res.status} ${res.body?.code}`);
    }
    expect(wrong).toEqual([]);
  });

  // ---------------------------------------------------------------- success answers

  it('every route answers a valid request with its documented success status, and a write with the documented CommandResult (no field missing, none extra, each of its type)', async () => {
    const result = schemaOf({ $ref: '#/components/schemas/CommandResult' });
    const wrong: string[] = [];
    for (const [key, { built, res }] of await firstAnswers()) {
      const [method, path] = key.split(' ');
      const op = opOf(method, path);
      const ok = Object.keys(op.responses).filter((s) => /^2\d\d$/.test(s));
      if (!ok.includes(String(res.status))) {
        wrong.push(`${method} ${built.path}: ${res.status} ${res.body?.code ?? ''} (documented ${ok.join(', ')})`);
        continue;
      }
      if (method !== 'POST') continue;
      const schema = op.responses[String(res.status)].content?.['application/json']?.schema;
      if (schema?.$ref !== '#/components/schemas/CommandResult') wrong.push(`${method} ${path}: the ${res.status} is not documented as a CommandResult`);
      for (const name of result.required ?? []) if (!(name in res.body)) wrong.push(`${method} ${path}: no ${name}`);
      for (const [name, value] of Object.entries(res.body as Record<string, unknown>)) {
        const p = result.properties?.[name];
        if (!p) wrong.push(`${method} ${path}: ${name} is not documented`);
        else if (value === null ? !p.nullable : p.type === 'integer' ? !Number.isInteger(value) : p.type === 'array' ? !Array.isArray(value) || value.some((v) => typeof v !== 'string') : typeof value !== p.type) wrong.push(`${method} ${path}: ${name} = ${JSON.stringify(value)} is not a ${p.type}${p.nullable ? ' or null' : ''}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('201 means recorded: every write documented 201 answers the events it appended (eventIds, recordedAt), as the stream history shows them at that revision and position', async () => {
    const wrong: string[] = [];
    for (const [key, { res }] of await firstAnswers()) {
      const [method, path] = key.split(' ');
      if (method !== 'POST') continue;
      if (res.status >= 300) {
        wrong.push(`${path}: ${res.status} ${res.body?.code}`);
        continue;
      }
      const { streamId, revision, position, eventIds, recordedAt } = res.body as { streamId: string; revision: number; position: number; eventIds: string[]; recordedAt: string | null };
      if (res.status === 201 && (eventIds.length === 0 || recordedAt === null)) wrong.push(`${method} ${path}: 201 with nothing recorded`);
      if (eventIds.length === 0) continue;
      const history = await send('GET', `/audit/streams/${encodeURIComponent(streamId)}?fromRevision=${revision - eventIds.length + 1}`, auditor);
      const events = (history.body.events ?? []) as { eventId: string; revision: number; position: number; recordedAt: string }[];
      const last = events[eventIds.length - 1];
      if (JSON.stringify(events.slice(0, eventIds.length).map((e) => e.eventId)) !== JSON.stringify(eventIds) || last?.revision !== revision || last?.position !== position || last?.recordedAt !== recordedAt) {
        wrong.push(`${method} ${path}: answered ${JSON.stringify(res.body)}; the stream holds ${JSON.stringify(events.map((e) => [e.eventId, e.revision, e.position]))}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('the money routes answer entryId (the one given, or derived from the Idempotency-Key); a reversal `<id>.reversal`, a correction the new entry `<id>.c<n>`; no other write answers one', async () => {
    const wrong: string[] = [];
    const grant = { fiscalYear: 2013, partyId: 'telemark-fk', amount: '100.00', decidedOn: '2013-01-10' };
    const given = await send('POST', '/centres/kc-own/funding/operating-grants', fo, { ...grant, entryId: 'review-og-1' });
    if (given.body.entryId !== 'review-og-1') wrong.push(`given id: ${JSON.stringify(given.body)}`);
    const keyed = await send('POST', '/centres/kc-own/funding/other-income', fo, { ...grant, incomeKind: 'course-fees' }, { 'Idempotency-Key': 'review-oi-1' });
    if (typeof keyed.body.entryId !== 'string' || keyed.body.streamId !== `funding-entry-${keyed.body.entryId}`) wrong.push(`derived id: ${JSON.stringify(keyed.body)}`);
    const corrected = await send('POST', '/centres/kc-own/funding/entries/review-og-1/correction', fo, { reason: 'Feil beløp', amount: '150.00' });
    if (corrected.body.entryId !== 'review-og-1.c1') wrong.push(`correction: ${JSON.stringify(corrected.body)}`);
    const history = await send('GET', `/audit/streams/funding-entry-review-og-1?fromRevision=${corrected.body.revision}`, auditor);
    if (history.body.events?.[0]?.data?.entryId !== corrected.body.entryId) wrong.push(`the correction's new entry is ${history.body.events?.[0]?.data?.entryId}, answered ${corrected.body.entryId}`);
    const reversed = await send('POST', '/centres/kc-own/funding/entries/review-og-1.c1/reversal', fo, { reason: 'Dobbeltført' });
    if (reversed.body.entryId !== 'review-og-1.c1.reversal') wrong.push(`reversal: ${JSON.stringify(reversed.body)}`);
    for (const [key, { res }] of await firstAnswers()) {
      const [method, path] = key.split(' ');
      if (method !== 'POST') continue;
      const money = /\/funding\/(operating-grants|earmarked-funds|tender-awards|other-income|in-kind-contributions|entries\/)/.test(path);
      if (res.status >= 300 || money !== (typeof res.body.entryId === 'string')) wrong.push(`${method} ${path}: ${res.status}, entryId ${JSON.stringify(res.body.entryId)}`);
    }
    expect(wrong).toEqual([]);
  });

  it('every read answers its 200 in a media type the document lists for it', async () => {
    const wrong: string[] = [];
    const reads = [...matrix().filter((m) => m.method === 'GET'), { method: 'GET', path: '/health', spec: null }];
    for (const { path, spec } of reads) {
      const { built, auth } = spec ? await valid(spec) : { built: { method: 'GET', path: '/health' } as Built, auth: undefined };
      const res = await send('GET', built.path, auth);
      const listed = Object.keys(opOf('GET', path).responses['200']?.content ?? {});
      if (res.status !== 200 || !listed.includes(mediaType(res))) wrong.push(`GET ${built.path}: ${res.status} ${mediaType(res)} (documented: ${listed.join(', ') || 'no content'})`);
    }
    expect(wrong).toEqual([]);
  });

  it('the read answers with a documented schema have exactly its fields, of its types (counties and centres, each centre in a county too)', async () => {
    const wrong: string[] = [];
    const check = (where: string, value: unknown, s: Schema): void => {
      const schema = schemaOf(s);
      if (value === null) {
        if (!schema.nullable && !s.nullable) wrong.push(`${where}: null, not documented as nullable`);
        return;
      }
      if (schema.type === 'array') {
        if (!Array.isArray(value)) return void wrong.push(`${where}: not an array`);
        value.forEach((v, i) => check(`${where}[${i}]`, v, schema.items!));
        return;
      }
      if (schema.properties) {
        if (typeof value !== 'object') return void wrong.push(`${where}: not an object`);
        const v = value as Record<string, unknown>;
        for (const name of schema.required ?? []) if (!(name in v)) wrong.push(`${where}.${name}: missing`);
        for (const [name, x] of Object.entries(v)) {
          if (!schema.properties[name]) wrong.push(`${where}.${name}: not documented`);
          else check(`${where}.${name}`, x, schema.properties[name]);
        }
        return;
      }
      const type = schema.type ?? s.type;
      if (type === 'integer' ? !Number.isInteger(value) : type && typeof value !== type) wrong.push(`${where}: ${JSON.stringify(value)} is not a ${type}`);
    };
    await send('POST', '/centres/kc-own/rename', admin, { name: 'Karrieresenter Telemark (nytt navn)', effectiveFrom: '2099-01-01' });
    let checked = 0;
    for (const { path, op } of ops.filter((o) => o.method === 'GET')) {
      const schema = op.responses['200']?.content?.['application/json']?.schema;
      if (!schema) continue;
      const res = await send('GET', fill(path), admin);
      check(`GET ${fill(path)}`, res.body, schema);
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(4);
    expect(wrong).toEqual([]);
  });

  // ---------------------------------------------------------------- refusals: the code answered is the one documented

  /** Sends each case and returns those whose answer is not the expected one, or not documented for the route and status. */
  const refusals = async (cases: [string, string, string, Auth, unknown, number, string][]): Promise<string[]> => {
    const wrong: string[] = [];
    for (const [method, path, url, auth, body, status, code] of cases) {
      const res = await send(method, url, auth, method === 'GET' ? undefined : body);
      if (res.status !== status || res.body?.code !== code || !documented(method, path, res)) wrong.push(`${method} ${url} ${body ? JSON.stringify(body).slice(0, 80) : ''}: ${verdict(method, path, res)}, expected ${status} ${code}`);
    }
    return wrong;
  };

  it('counties and centres: the refusals answered are the documented ones', async () => {
    const centre = { centreId: 'review-kc', countyId: 'telemark', name: 'Review-senteret', municipality: 'Skien', openedOn: '2010-01-01' };
    expect(
      await refusals([
        ['POST', '/counties', '/counties', admin, { countyId: 'line-x', name: 'X', countyNumber: '77' }, 400, 'COUNTY.ID_RESERVED'],
        ['POST', '/counties', '/counties', admin, { countyId: 'review-x', name: 'X' }, 400, 'VALIDATION.FAILED'],
        ['POST', '/counties', '/counties', admin, { countyId: 'review-x', name: 'X', countyNumber: '08' }, 409, 'COUNTY.NUMBER_TAKEN'],
        ['POST', '/counties', '/counties', fo, { countyId: 'review-x', name: 'X', countyNumber: '76' }, 403, 'ACCESS.ROLE_NOT_ALLOWED'],
        ['POST', '/centres', '/centres', fo, { ...centre, countyId: 'ostfold' }, 403, 'ACCESS.OTHER_COUNTY'],
        ['POST', '/centres', '/centres', fo, { ...centre, countyId: 'Telemark' }, 404, 'COUNTY.NOT_FOUND'],
        ['POST', '/centres', '/centres', fo, { ...centre, openedOn: '2010-02-30' }, 400, 'DATE.INVALID'],
        ['POST', '/centres', '/centres', fo, { ...centre, centreId: 'KC-OWN' }, 409, 'CENTRE.ALREADY_REGISTERED'],
        ['POST', '/centres', '/centres', fo, { ...centre, colour: 'red' }, 400, 'VALIDATION.UNKNOWN_FIELD'],
        ['POST', '/centres/{centreId}/rename', '/centres/kc-own/rename', fo, { name: 'Nytt', effectiveFrom: '2000-01-01' }, 422, 'CENTRE.DATE_BEFORE_OPENING'],
        ['POST', '/centres/{centreId}/close', '/centres/kc-own/close', fo, { closedOn: '2014-01-01' }, 400, 'VALIDATION.FAILED'],
        ['POST', '/centres/{centreId}/close', '/centres/kc-other/close', fo, { closedOn: '2014-01-01', reason: 'Nedlagt' }, 403, 'ACCESS.OTHER_COUNTY'],
        ['POST', '/centres/{centreId}/close', '/centres/review-none/close', fo, { closedOn: '2014-01-01', reason: 'Nedlagt' }, 404, 'CENTRE.NOT_FOUND'],
        ['GET', '/centres/{centreId}', '/centres/review-none', auditor, null, 404, 'CENTRE.NOT_FOUND'],
        ['GET', '/counties/{countyId}', '/counties/Telemark', auditor, null, 404, 'COUNTY.NOT_FOUND'],
      ]),
    ).toEqual([]);
  });

  it('funding and staff: the refusals answered are the documented ones', async () => {
    const entry = await w.entry('own');
    const position = await w.position('own');
    const grant = { fiscalYear: 2013, partyId: 'telemark-fk', amount: '5.00', decidedOn: '2013-01-01' };
    const og = ['POST', '/centres/{centreId}/funding/operating-grants', '/centres/kc-own/funding/operating-grants', fo] as const;
    const staff = ['POST', '/centres/{centreId}/staff-positions', '/centres/kc-own/staff-positions', fo] as const;
    expect(
      await refusals([
        [...og, { ...grant, amount: '-5' }, 400, 'MONEY.NEGATIVE'],
        [...og, { ...grant, amount: '0.00' }, 400, 'MONEY.ZERO'],
        [...og, { ...grant, amount: '10.005' }, 400, 'MONEY.FRACTIONAL_ORE'],
        [...og, { ...grant, amount: '1000000000000.01' }, 400, 'MONEY.TOO_LARGE'],
        [...og, { ...grant, amount: 5 }, 400, 'MONEY.NOT_A_DECIMAL_STRING'],
        [...og, { fiscalYear: 2013, partyId: 'telemark-fk', decidedOn: '2013-01-01' }, 400, 'MONEY.MISSING'],
        [...og, { ...grant, fiscalYear: 1989 }, 400, 'FISCAL_YEAR.OUT_OF_RANGE'],
        [...og, { ...grant, partyId: 'review-ghost' }, 404, 'PARTY.NOT_FOUND'],
        [...og, { ...grant, partyId: 'ostfold-fk' }, 422, 'ENTRY.PARTY_OF_OTHER_COUNTY'],
        [...og, { ...grant, entryId: entry }, 409, 'ENTRY.ALREADY_EXISTS'],
        [...og, { ...grant, currency: 'NOK' }, 400, 'VALIDATION.UNKNOWN_FIELD'],
        ['POST', '/centres/{centreId}/funding/operating-grants', '/centres/kc-other/funding/operating-grants', fo, { ...grant, partyId: 'ostfold-fk' }, 403, 'ACCESS.OTHER_COUNTY'],
        ['POST', '/centres/{centreId}/funding/operating-grants', '/centres/review-none/funding/operating-grants', fo, grant, 404, 'CENTRE.NOT_FOUND'],
        ['POST', '/centres/{centreId}/funding/earmarked-funds', '/centres/kc-own/funding/earmarked-funds', fo, { ...grant, purpose: 'Prosjekt' }, 400, 'PERIOD.MISSING'],
        ['POST', '/centres/{centreId}/funding/in-kind-contributions', '/centres/kc-own/funding/in-kind-contributions', fo, { ...grant, inKindKind: 'premises' }, 400, 'IN_KIND.NO_AMOUNT'],
        ['POST', '/centres/{centreId}/funding/entries/{entryId}/reversal', '/centres/kc-own/funding/entries/review-none/reversal', fo, { reason: 'Feil' }, 404, 'ENTRY.NOT_FOUND'],
        ['POST', '/centres/{centreId}/funding/entries/{entryId}/correction', `/centres/kc-own/funding/entries/${entry}/correction`, fo, { reason: 'Feil', purpose: 'Prosjekt' }, 400, 'ENTRY.FIELD_NOT_FOR_KIND'],
        ['POST', '/centres/{centreId}/funding/entries/{entryId}/correction', `/centres/kc-own/funding/entries/${entry}/correction`, fo, { reason: 'Feil', amount: '1000.00' }, 422, 'ENTRY.CORRECTION_CHANGES_NOTHING'],
        [...staff, { ...w.positionBody('review-p1'), fte: '0' }, 400, 'STAFF.FTE_OUT_OF_RANGE'],
        [...staff, { ...w.positionBody('review-p2'), fte: '0.12345' }, 400, 'STAFF.FTE_INVALID'],
        [...staff, { ...w.positionBody('review-p3'), payer: { kind: 'someone' } }, 400, 'STAFF.PAYER_INVALID'],
        [...staff, { ...w.positionBody('review-p4'), startedOn: '2000-01-01' }, 422, 'STAFF.BEFORE_OPENING'],
        [...staff, { ...w.positionBody(position) }, 409, 'STAFF.ALREADY_STARTED'],
        ['POST', '/centres/{centreId}/staff-positions/{positionId}/changes', `/centres/kc-own/staff-positions/${position}/changes`, fo, { effectiveFrom: '2013-07-01', personId: 'ans-1' }, 400, 'VALIDATION.UNKNOWN_FIELD'],
        ['POST', '/centres/{centreId}/staff-positions/{positionId}/changes', `/centres/kc-own/staff-positions/${position}/changes`, fo, { effectiveFrom: '2012-07-01', fte: '0.5' }, 422, 'STAFF.CHANGED_BEFORE_START'],
        ['POST', '/centres/{centreId}/staff-positions/{positionId}/end', `/centres/kc-own/staff-positions/${position}/end`, fo, { endedOn: '2012-12-31' }, 422, 'STAFF.ENDS_BEFORE_START'],
        ['POST', '/centres/{centreId}/staff-positions/{positionId}/end', '/centres/kc-own/staff-positions/review-none/end', fo, { endedOn: '2013-12-31' }, 404, 'STAFF.NOT_FOUND'],
        ['GET', '/centres/{centreId}/staff-positions', '/centres/kc-own/staff-positions?year=1989', auditor, null, 400, 'FISCAL_YEAR.OUT_OF_RANGE'],
        ['GET', '/centres/{centreId}/funding-mix/{year}', '/centres/review-none/funding-mix/2013', auditor, null, 404, 'CENTRE.NOT_FOUND'],
        ['GET', '/key-figures/{year}', '/key-figures/2013?counties=review-none', auditor, null, 404, 'COUNTY.NOT_FOUND'],
        ['GET', '/key-figures/{year}', '/key-figures/2013?format=xml', auditor, null, 400, 'REQUEST.BAD_FORMAT'],
      ]),
    ).toEqual([]);
  });

  it('governance (parties, agreements, boards, county line, co-location): the refusals answered are the documented ones', async () => {
    const p = await w.proposal('own');
    const member = await w.t.auth('board-member', [], w.boards.own.member);
    const outsider = await w.t.auth('board-member', [], w.boards.other.member);
    const agreement = (parties: object[], over: object = {}) => ({ agreementId: 'review-oa', parties, period: { from: '2010-01-01', to: null }, signedOn: '2010-01-01', ...over });
    const oa = ['POST', '/centres/{centreId}/owner-agreements', '/centres/kc-own/owner-agreements', fo] as const;
    const votes = `/boards/${p.boardId}/proposals/${p.proposalId}/votes`;
    expect(
      await refusals([
        ['POST', '/parties', '/parties', fo, { partyId: 'review-p', name: 'P', kind: 'wizard', countyId: 'telemark' }, 400, 'PARTY.UNKNOWN_KIND'],
        ['POST', '/parties', '/parties', fo, { partyId: 'review-p', name: 'P', kind: 'municipality', countyId: 'telemark', organisationNumber: '974760674' }, 400, 'PARTY.ORGANISATION_NUMBER_INVALID'],
        ['POST', '/parties', '/parties', fo, { partyId: 'review-p', name: '   ', kind: 'municipality', countyId: 'telemark' }, 400, 'VALIDATION.BLANK'],
        ['POST', '/parties/{partyId}/rename', '/parties/ostfold-fk/rename', fo, { name: 'X' }, 403, 'ACCESS.OTHER_COUNTY'],
        ['POST', '/parties/{partyId}/rename', '/parties/review-ghost/rename', fo, { name: 'X' }, 404, 'PARTY.NOT_FOUND'],
        [...oa, agreement([{ partyId: 'telemark-fk', shareBp: 5000 }, { partyId: 'nav-telemark', shareBp: 4000 }]), 422, 'OWNER_AGREEMENT.SHARES_NOT_100'],
        [...oa, agreement([]), 400, 'OWNER_AGREEMENT.NO_PARTIES'],
        [...oa, agreement([{ partyId: 'telemark-fk', shareBp: 10000 }], { signedOn: '2099-01-01' }), 422, 'OWNER_AGREEMENT.SIGNED_IN_FUTURE'],
        ['POST', '/centres/{centreId}/owner-agreements/{agreementId}/terminate', '/centres/kc-own/owner-agreements/review-none/terminate', fo, { effectiveFrom: '2015-01-01', reason: 'Ny' }, 404, 'OWNER_AGREEMENT.NOT_FOUND'],
        ['POST', '/counties/{countyId}/partnership-agreements', '/counties/telemark/partnership-agreements', fo, { partnershipId: 'review-pa', parties: ['telemark-fk'], signedOn: '2012-01-01', period: { from: '2012-01-01', to: null } }, 400, 'PARTNERSHIP.TOO_FEW_PARTIES'],
        ['POST', '/counties/{countyId}/coordinating-function/end', '/counties/telemark/coordinating-function/end', fo, { holderPartyId: 'nav-telemark', endedOn: '2013-06-30' }, 422, 'COORDINATING_FUNCTION.NOT_HELD'],
        ['POST', '/boards', '/boards', fo, { boardId: 'review-b', countyId: 'telemark', centreIds: [], name: 'S', establishedOn: '2012-01-01' }, 400, 'BOARD.NO_CENTRES'],
        ['POST', '/boards', '/boards', fo, { boardId: 'review-b', countyId: 'telemark', centreIds: ['kc-other'], name: 'S', establishedOn: '2012-01-01' }, 422, 'BOARD.CENTRE_OF_OTHER_COUNTY'],
        ['POST', '/boards/{boardId}/members', '/boards/board-other/members', fo, { personId: 'review-m', name: 'N', partyId: 'telemark-fk', role: 'member', term: { from: '2012-01-01', to: null } }, 403, 'ACCESS.OTHER_COUNTY'],
        ['POST', '/boards/{boardId}/proposals/{proposalId}/votes', votes, member, { vote: 'for', castOn: '2014-02-02', personId: w.boards.own.chair }, 403, 'BOARD.VOTE_AS_OTHER'],
        ['POST', '/boards/{boardId}/proposals/{proposalId}/votes', votes, outsider, { vote: 'for', castOn: '2014-02-02' }, 403, 'BOARD.NOT_A_MEMBER'],
        ['POST', '/boards/{boardId}/proposals/{proposalId}/votes', `/boards/${p.boardId}/proposals/review-none/votes`, member, { vote: 'for', castOn: '2014-02-02' }, 404, 'BOARD.PROPOSAL_NOT_FOUND'],
        ['POST', '/boards/{boardId}/proposals/{proposalId}/close', `/boards/${p.boardId}/proposals/${p.proposalId}/close`, member, { closedOn: '2014-02-03' }, 403, 'BOARD.NOT_THE_CHAIR'],
        ['POST', '/counties/{countyId}/county-line-decisions', '/counties/telemark/county-line-decisions', fo, { decisionId: 'review-d', centreIds: [], kind: 'goals', year: 2013, title: 'M', content: { goals: ['x'] }, decidedOn: '2012-12-12' }, 400, 'COUNTY_LINE.NO_CENTRES'],
        ['POST', '/centres/{centreId}/co-locations', '/centres/kc-own/co-locations', fo, { from: '2012-08-01', premises: 'Huset', sharedWith: [{ kind: 'elves' }] }, 400, 'CO_LOCATION.UNKNOWN_KIND'],
        ['POST', '/centres/{centreId}/co-locations/{from}/withdrawal', '/centres/kc-own/co-locations/2001-01-01/withdrawal', fo, { reason: 'Feil' }, 404, 'CO_LOCATION.NOT_FOUND'],
        ['POST', '/centres/{centreId}/co-locations/{from}/correction', '/centres/kc-own/co-locations/2001-13-01/correction', fo, { premises: 'Huset', sharedWith: [], reason: 'Feil' }, 400, 'DATE.INVALID'],
        ['GET', '/parties', '/parties?kind=wizard', auditor, null, 400, 'REQUEST.BAD_FILTER'],
        ['GET', '/nav-links', '/nav-links?date=2014-02-30', auditor, null, 400, 'REQUEST.BAD_DATE'],
        ['GET', '/boards/{boardId}', '/boards/board-own?year=14', auditor, null, 400, 'REQUEST.BAD_YEAR'],
        ['GET', '/boards/{boardId}/proposals/{proposalId}', '/boards/review-none/proposals/x', auditor, null, 404, 'BOARD.NOT_FOUND'],
      ]),
    ).toEqual([]);
  });

  it('grants (schemes, allocation, evidence, stimulus grants): the refusals answered are the documented ones', async () => {
    const stimulus = await w.stimulus('own');
    const scheme = await w.scheme();
    const schemes = ['POST', '/grant-schemes', '/grant-schemes', vox] as const;
    expect(
      await refusals([
        [...schemes, { ...w.schemeBody(2099), baseGrant: '0' }, 400, 'MONEY.ZERO'],
        [...schemes, { ...w.schemeBody(2099), baseGrant: '-1.00' }, 400, 'MONEY.NEGATIVE'],
        ['POST', '/grant-schemes', '/grant-schemes', admin, w.schemeBody(2098), 403, 'ACCESS.ROLE_NOT_ALLOWED'],
        ['POST', '/grant-schemes/{year}/amendments', '/grant-schemes/abc/amendments', vox, { judgingDate: '2014-04-01', reason: 'x' }, 400, 'REQUEST.BAD_YEAR'],
        ['POST', '/grant-schemes/{year}/amendments', '/grant-schemes/2090/amendments', vox, { judgingDate: '2090-04-01', reason: 'x' }, 404, 'GRANT_SCHEME.NOT_FOUND'],
        ['POST', '/grant-schemes/{year}/allocation', '/grant-schemes/2090/allocation', vox, {}, 404, 'GRANT_SCHEME.NOT_FOUND'],
        ['POST', '/grant-schemes/{year}/allocation/corrections', `/grant-schemes/${scheme}/allocation/corrections`, vox, { reason: 'Ny dokumentasjon' }, 422, 'BASE_GRANT.NOT_ALLOCATED'],
        ['POST', '/centres/{centreId}/grant-evidence/service-declarations', '/centres/kc-own/grant-evidence/service-declarations', fo, { effectiveFrom: '2099-01-01', freeOfCharge: true, openToAllAdults: true, fromAge: 19 }, 422, 'GRANT_EVIDENCE.IN_FUTURE'],
        ['POST', '/centres/{centreId}/grant-evidence/service-declarations', '/centres/kc-own/grant-evidence/service-declarations', fo, { effectiveFrom: '2013-01-01', freeOfCharge: true, openToAllAdults: true, fromAge: 121 }, 400, 'GRANT_EVIDENCE.AGE_OUT_OF_RANGE'],
        ['POST', '/centres/{centreId}/grant-evidence/annual-reports', '/centres/kc-own/grant-evidence/annual-reports', fo, { year: 2013, submittedOn: '2013-06-01' }, 422, 'ANNUAL_REPORT.SUBMITTED_BEFORE_YEAR_END'],
        ['POST', '/centres/{centreId}/grant-evidence/{evidenceId}/withdrawal', '/centres/kc-own/grant-evidence/review-none/withdrawal', fo, { reason: 'Feil' }, 404, 'GRANT_EVIDENCE.NOT_FOUND'],
        ['POST', '/stimulus-grants', '/stimulus-grants', fo, { ...w.stimulusBody('own', 'review-s'), purpose: 'castle' }, 400, 'STIMULUS_GRANT.UNKNOWN_PURPOSE'],
        ['POST', '/stimulus-grants', '/stimulus-grants', fo, w.stimulusBody('other', 'review-s'), 403, 'ACCESS.OTHER_COUNTY'],
        ['POST', '/stimulus-grants/{applicationId}/award', `/stimulus-grants/${stimulus}/award`, vox, { amount: '100000.01' }, 422, 'STIMULUS_GRANT.AWARD_ABOVE_ASKED'],
        ['POST', '/stimulus-grants/{applicationId}/award', `/stimulus-grants/${stimulus}/award`, admin, { amount: '5.00' }, 403, 'ACCESS.ROLE_NOT_ALLOWED'],
        ['POST', '/stimulus-grants/{applicationId}/decision-correction', `/stimulus-grants/${stimulus}/decision-correction`, vox, { outcome: 'awarded', amount: '5.00', correctionReason: 'x' }, 409, 'STIMULUS_GRANT.NOT_DECIDED'],
        ['POST', '/stimulus-grants/{applicationId}/decision-correction', `/stimulus-grants/${stimulus}/decision-correction`, vox, { outcome: 'awarded', amount: '5.00', reason: 'r', correctionReason: 'x' }, 400, 'STIMULUS_GRANT.DECISION_FIELDS'],
        ['POST', '/stimulus-grants/{applicationId}/rejection', '/stimulus-grants/review-none/rejection', vox, { reason: 'Nei' }, 404, 'STIMULUS_GRANT.NOT_FOUND'],
        ['GET', '/grant-schemes/{year}', '/grant-schemes/1999', auditor, null, 400, 'REQUEST.BAD_YEAR'],
        ['GET', '/grant-schemes/{year}/eligibility', `/grant-schemes/${scheme}/eligibility?detail=lots`, auditor, null, 400, 'REQUEST.BAD_DETAIL'],
        ['GET', '/grant-schemes/{year}/eligibility', `/grant-schemes/${scheme}/eligibility?atPosition=1&asOf=2014-01-01`, auditor, null, 400, 'REQUEST.AS_OF_WITH_AT_POSITION'],
        ['GET', '/grant-schemes/{year}/allocation', `/grant-schemes/${scheme}/allocation`, auditor, null, 404, 'BASE_GRANT.NOT_ALLOCATED'],
        ['GET', '/stimulus-grants', '/stimulus-grants?year=1999', auditor, null, 400, 'REQUEST.BAD_YEAR'],
      ]),
    ).toEqual([]);
  });

  it('audit and reports: the refusals answered are the documented ones', async () => {
    expect(
      await refusals([
        ['GET', '/audit/streams/{streamId}', '/audit/streams/review-none', auditor, null, 404, 'STREAM.NOT_FOUND'],
        ['GET', '/audit/streams/{streamId}', '/audit/streams/centre-kc-own?limit=501', auditor, null, 400, 'VALIDATION.FAILED'],
        ['GET', '/audit/events', '/audit/events?type=CentreRegistred', auditor, null, 400, 'AUDIT.UNKNOWN_EVENT_TYPE'],
        ['GET', '/audit/events', '/audit/events?from=yesterday', auditor, null, 400, 'REQUEST.BAD_AS_OF'],
        ['GET', '/audit/events', '/audit/events?asOf=2014-01-01', auditor, null, 400, 'REQUEST.AS_OF_NOT_SUPPORTED'],
        ['GET', '/audit/events', '/audit/events', fo, null, 403, 'ACCESS.ROLE_NOT_ALLOWED'],
        ['GET', '/audit/events/{eventId}', '/audit/events/review-none', auditor, null, 404, 'EVENT.NOT_FOUND'],
        ['GET', '/audit/verify', '/audit/verify?position=3', auditor, null, 400, 'AUDIT.DIGEST_NEEDS_POSITION'],
        ['GET', '/audit/digest', '/audit/digest?position=999999999', auditor, null, 400, 'AUDIT.POSITION_BEYOND_HEAD'],
        ['GET', '/audit/position-at', '/audit/position-at', auditor, null, 400, 'REQUEST.BAD_AS_OF'],
        ['GET', '/reports/funding-mix/{year}/csv', '/reports/funding-mix/2013/csv?county=telemark&centre=kc-own', auditor, null, 400, 'REPORT.ONE_FILTER'],
        ['GET', '/reports/key-figures/{year}/csv', '/reports/key-figures/2013/csv?centre=kc-own', auditor, null, 400, 'VALIDATION.UNKNOWN_FIELD'],
        ['GET', '/reports/{year}/xlsx', '/reports/2013/xlsx?county=review-none', auditor, null, 404, 'COUNTY.NOT_FOUND'],
        ['GET', '/reports/{year}/xlsx', '/reports/1900/xlsx', auditor, null, 400, 'FISCAL_YEAR.OUT_OF_RANGE'],
      ]),
    ).toEqual([]);
  });

  it('every write refuses a role it does not take with 403 ACCESS.ROLE_NOT_ALLOWED (documented under its 403), naming the roles that may', async () => {
    const wrong: string[] = [];
    for (const { path, method } of ops.filter((o) => o.method === 'POST')) {
      const res = await send('POST', fill(path), auditor, {});
      if (res.status !== 403 || res.body.code !== 'ACCESS.ROLE_NOT_ALLOWED' || !documented('POST', path, res) || !Array.isArray(res.body.details?.allowed) || res.body.details.allowed.length === 0) wrong.push(`${method} ${path}: ${verdict(method, path, res)} ${JSON.stringify(res.body.details)}`);
    }
    expect(wrong).toEqual([]);
  });

  it('every write refuses a valid body with one unknown field, 400 VALIDATION.UNKNOWN_FIELD, and an empty body with a 400 it documents', async () => {
    const wrong: string[] = [];
    for (const { method, path, spec } of matrix().filter((m) => m.method === 'POST')) {
      const { built, auth } = await validOnce(`${method} ${path}`, spec);
      const unknown = await send('POST', built.path, auth, { ...(built.body ?? {}), reviewUnknownField: 1 });
      if (unknown.status !== 400 || unknown.body.code !== 'VALIDATION.UNKNOWN_FIELD' || !documented(method, path, unknown)) wrong.push(`${path} + unknown field: ${verdict(method, path, unknown)}`);
      // {} where the documented body requires fields (where it requires none, {} is a valid request, and would be recorded).
      const required = schemaOf(opOf(method, path).requestBody!.content['application/json'].schema).required ?? [];
      if (required.length === 0) continue;
      const empty = await send('POST', built.path, auth, {});
      if (empty.status !== 400 || !documented(method, path, empty)) wrong.push(`${path} with {}: ${verdict(method, path, empty)}`);
    }
    expect(wrong).toEqual([]);
  });

  it('a request body the document marks required is required: a write sent without one is refused', async () => {
    const wrong: string[] = [];
    for (const { method, path, spec } of matrix().filter((m) => m.method === 'POST')) {
      if (opOf(method, path).requestBody?.required !== true) continue;
      const { built, auth } = await validOnce(`${method} ${path}`, spec);
      const res = await send('POST', built.path, auth);
      if (res.status < 400) wrong.push(`${method} ${built.path} without a body: ${res.status} (documented requestBody.required: true)`);
    }
    expect(wrong).toEqual([]);
  });

  it('every write refuses a query string (README: `POST …?dryRun=true` is 400 REQUEST.UNKNOWN_QUERY) and the body refusals of the JSON parser, each with a code it documents', async () => {
    const wrong: string[] = [];
    for (const { path, method } of ops.filter((o) => o.method === 'POST')) {
      const url = fill(path);
      const auth = await tokenFor(method, path);
      const raw = (u: string, type: string, text: string) => w.t.http().post(u).set(auth).set('content-type', type).send(text);
      const cases: [string, Response, number, string][] = [
        ['?dryRun=true', await send('POST', `${url}?dryRun=true`, auth, {}), 400, 'REQUEST.UNKNOWN_QUERY'],
        ['invalid JSON', keep(url, await raw(url, 'application/json', '{"a":')), 400, 'REQUEST.INVALID_JSON'],
        ['a JSON array', keep(url, await raw(url, 'application/json', '[1]')), 400, 'REQUEST.BODY_NOT_OBJECT'],
        ['a field twice', keep(url, await raw(url, 'application/json', '{"reason":"a","reason":"b"}')), 400, 'REQUEST.DUPLICATE_FIELD'],
        ['text/plain', keep(url, await raw(url, 'text/plain', 'hello')), 415, 'REQUEST.UNSUPPORTED_MEDIA_TYPE'],
        ['latin-1', keep(url, await raw(url, 'application/json; charset=latin1', '{}')), 415, 'REQUEST.UNSUPPORTED_MEDIA_TYPE'],
      ];
      for (const [what, res, status, code] of cases) if (res.status !== status || res.body.code !== code || !documented(method, path, res)) wrong.push(`${method} ${path} (${what}): ${verdict(method, path, res)}`);
    }
    expect(wrong).toEqual([]);
  });

  it('the Idempotency-Key every write documents: the same key and body answer the first answer and record nothing more; another body is 409 IDEMPOTENCY_KEY_REUSED, a bad key 400 IDEMPOTENCY_KEY_INVALID (both documented)', async () => {
    const wrong: string[] = [];
    let n = 0;
    for (const { method, path, spec } of matrix().filter((m) => m.method === 'POST')) {
      if (!opOf(method, path).parameters?.some((p) => p.in === 'header' && p.name === 'Idempotency-Key')) wrong.push(`${path}: no Idempotency-Key documented`);
      const { built, auth } = await valid(spec);
      const key = { 'Idempotency-Key': `review-key-${++n}` };
      const first = await send('POST', built.path, auth, built.body ?? {}, key);
      const head = await w.t.store.headPosition();
      const again = await send('POST', built.path, auth, built.body ?? {}, key);
      if (first.status >= 300 || again.status !== first.status || JSON.stringify(again.body) !== JSON.stringify(first.body) || (await w.t.store.headPosition()) !== head) wrong.push(`${path}: ${first.status} then ${again.status} ${again.body?.code ?? ''}`);
      const other = await send('POST', built.path, auth, { ...(built.body ?? {}), reviewOther: true }, key);
      // Another body under the key: refused, either as a reused key or by the body's own check (README: a refused request claims nothing).
      if (!(other.status === 409 && other.body.code === 'IDEMPOTENCY_KEY_REUSED' && documented(method, path, other)) && !(other.status === 400 && documented(method, path, other))) wrong.push(`${path} another body: ${verdict(method, path, other)}`);
      const bad = await send('POST', built.path, auth, built.body ?? {}, { 'Idempotency-Key': 'a b' });
      if (bad.status !== 400 || bad.body.code !== 'IDEMPOTENCY_KEY_INVALID' || !documented(method, path, bad)) wrong.push(`${path} bad key: ${verdict(method, path, bad)}`);
    }
    expect(wrong).toEqual([]);
  });

  // ---------------------------------------------------------------- query parameters of the reads

  /** A value the parameter's documented schema allows (the schema's example, its first enum value, its minimum…). */
  const sampleOf = (p: Param): string | undefined => {
    const s = p.schema ?? {};
    const bySpecial: Record<string, string> = { asOf: `${LATER}T23:59:59Z`, from: '2014-01-01', to: '2099-12-31', counties: 'telemark', countyId: 'telemark', county: 'telemark', centre: 'kc-own', actor: 'matrix-admin', role: 'admin', type: 'CentreRegistered', correlation: 'review', stream: 'centre-', kind: 'goals', fromRevision: '0', position: '1' };
    if (s.enum?.length) return String(s.enum[0]);
    if (p.name in bySpecial) return bySpecial[p.name];
    if (s.example !== undefined) return String(s.example);
    if (s.type === 'integer') return String(s.minimum ?? 0);
    if (s.format === 'date') return '2014-06-01';
    return undefined;
  };

  it('every query parameter a read documents is accepted with a value its schema allows (each on its own with the required ones, digest with its position)', async () => {
    const wrong: string[] = [];
    const digest = (await send('GET', '/audit/digest?position=1', auditor)).body.digest as string;
    for (const { path, spec } of matrix().filter((m) => m.method === 'GET')) {
      const { built, auth } = await valid(spec);
      // atPosition: the head's position (a scheme published by now is there).
      const head = String((await send('GET', '/health')).body.headPosition);
      const params = (opOf('GET', path).parameters ?? []).filter((x) => x.in === 'query' && x.name !== 'after');
      // The route's own path, with only the parameters the document says are required.
      let base = built.path.split('?')[0];
      for (const p of params.filter((x) => x.required)) base = setQuery(base, p.name, sampleOf(p) ?? '');
      for (const p of params.filter((x) => !x.required)) {
        const value = p.name === 'digest' ? digest : p.name === 'atPosition' ? head : sampleOf(p);
        if (value === undefined) {
          wrong.push(`${path} ?${p.name}: no sample (schema ${JSON.stringify(p.schema)})`);
          continue;
        }
        let url = setQuery(base, p.name, value);
        if (path === '/audit/verify') url = p.name === 'digest' ? setQuery(url, 'position', '1') : setQuery(url, 'digest', digest);
        const res = await send('GET', url, auth);
        if (res.status !== 200) wrong.push(`GET ${url}: ${res.status} ${res.body?.code} ${String(res.body?.message ?? '').slice(0, 100)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('every value of a documented enum is accepted, and a value outside it is refused with a 400 the route documents', async () => {
    const wrong: string[] = [];
    let seen = 0;
    for (const { path, spec } of matrix().filter((m) => m.method === 'GET')) {
      const enums = (opOf('GET', path).parameters ?? []).filter((p) => p.in === 'query' && (p.schema?.enum?.length ?? 0) > 0);
      if (!enums.length) continue;
      const { built, auth } = await valid(spec);
      for (const p of enums) {
        seen++;
        for (const v of p.schema!.enum!) {
          const res = await send('GET', withQuery(built.path, `${p.name}=${encodeURIComponent(String(v))}`), auth);
          if (res.status !== 200) wrong.push(`${path} ?${p.name}=${v}: ${res.status} ${res.body?.code}`);
        }
        const res = await send('GET', withQuery(built.path, `${p.name}=review-not-a-value`), auth);
        if (res.status !== 400 || !documented('GET', path, res)) wrong.push(`${path} ?${p.name}=review-not-a-value: ${verdict('GET', path, res)}`);
      }
    }
    expect(seen).toBeGreaterThanOrEqual(5);
    expect(wrong).toEqual([]);
  });

  it('asOf, where documented, takes every form its documented pattern and README name (Z, +02:00, +0200, minutes only, nine decimals, a bare date); a misspelt cut is 400 REQUEST.BAD_AS_OF (documented)', async () => {
    const forms = [`${LATER}T23:59:59Z`, `${LATER}T23:59:59+02:00`, `${LATER}T23:59:59+0200`, `${LATER}T23:59Z`, `${LATER}T23:59:59.123456789Z`, LATER];
    const wrong: string[] = [];
    for (const { path, spec } of matrix().filter((m) => m.method === 'GET')) {
      const asOf = (opOf('GET', path).parameters ?? []).find((p) => p.in === 'query' && p.name === 'asOf');
      const { built, auth } = await valid(spec);
      if (asOf) {
        const pattern = asOf.schema?.pattern ? new RegExp(asOf.schema.pattern) : null;
        for (const f of forms) {
          if (pattern && !pattern.test(f)) wrong.push(`${path}: the documented pattern refuses ${f}`);
          const res = await send('GET', setQuery(built.path, 'asOf', f), auth);
          if (res.status !== 200) wrong.push(`${path} ?asOf=${f}: ${res.status} ${res.body?.code}`);
        }
      }
      const typo = await send('GET', withQuery(built.path, `as_of=${LATER}`), auth);
      if (typo.status !== 400 || typo.body.code !== 'REQUEST.BAD_AS_OF' || !documented('GET', path, typo)) wrong.push(`${path} ?as_of=: ${verdict('GET', path, typo)}`);
    }
    expect(wrong).toEqual([]);
  });

  it('paging where documented: ?limit=1 answers one item with X-Total-Count, and Link rel="next" leads to the next item; ?limit=1001 is 400 REQUEST.BAD_LIMIT (documented)', async () => {
    const wrong: string[] = [];
    const itemsOf = (body: unknown): unknown[] => (Array.isArray(body) ? body : ((body as { links?: unknown[] }).links ?? []));
    let seen = 0;
    for (const { path, spec } of matrix().filter((m) => m.method === 'GET')) {
      const params = (opOf('GET', path).parameters ?? []).map((p) => p.name);
      if (!params.includes('limit') || path.startsWith('/audit/')) continue;
      seen++;
      const { built, auth } = await valid(spec);
      const whole = itemsOf((await send('GET', built.path, auth)).body);
      const first = await send('GET', withQuery(built.path, 'limit=1'), auth);
      const total = Number(first.headers['x-total-count']);
      if (first.status !== 200 || itemsOf(first.body).length !== Math.min(1, whole.length) || total !== whole.length) wrong.push(`${path}?limit=1: ${first.status}, ${itemsOf(first.body).length} items, X-Total-Count ${first.headers['x-total-count']} of ${whole.length}`);
      const next = /^<([^>]+)>; rel="next"$/.exec(String(first.headers.link ?? ''))?.[1];
      if (whole.length > 1 && !next) wrong.push(`${path}?limit=1: no Link rel="next" (${first.headers.link})`);
      if (next) {
        const second = await send('GET', next, auth);
        if (second.status !== 200 || JSON.stringify(itemsOf(second.body)) !== JSON.stringify(whole.slice(1, 2))) wrong.push(`${next}: ${second.status} ${JSON.stringify(itemsOf(second.body)).slice(0, 80)}`);
      }
      for (const bad of ['limit=1001', 'limit=0']) {
        const res = await send('GET', withQuery(built.path, bad), auth);
        if (res.status !== 400 || res.body.code !== 'REQUEST.BAD_LIMIT' || !documented('GET', path, res)) wrong.push(`${path}?${bad}: ${verdict('GET', path, res)}`);
      }
    }
    expect(seen).toBeGreaterThanOrEqual(9);
    expect(wrong).toEqual([]);
  });

  it('an unknown query parameter on a read is either ignored or refused with a code the route documents', async () => {
    const wrong: string[] = [];
    for (const { path, spec } of matrix().filter((m) => m.method === 'GET')) {
      const { built, auth } = await valid(spec);
      const res = await send('GET', withQuery(built.path, 'reviewUnknown=1'), auth);
      if (res.status !== 200 && !(res.status === 400 && documented('GET', path, res))) wrong.push(`${path}: ${verdict('GET', path, res)}`);
    }
    expect(wrong).toEqual([]);
  });

  it('README: an unknown query parameter (a cache buster) is ignored, except on the audit and report routes, where it is 400 VALIDATION.UNKNOWN_FIELD as documented', async () => {
    expect(README).toContain('Any other unknown parameter (a cache buster) is still ignored, except on the `/audit/*` and');
    const wrong: string[] = [];
    for (const { path, spec } of matrix().filter((m) => m.method === 'GET')) {
      const { built, auth } = await valid(spec);
      const res = await send('GET', withQuery(built.path, '_=1732870000000'), auth);
      const checkedWhole = /^\/(audit|reports)\//.test(path);
      if (checkedWhole ? res.status !== 400 || res.body?.code !== 'VALIDATION.UNKNOWN_FIELD' || !documented('GET', path, res) : res.status !== 200) {
        wrong.push(`GET ${withQuery(built.path, '_=1732870000000')}: ${res.status} ${res.body?.code}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('the X-Ledger-Position header every read documents (README: anything but digits "is 400 REQUEST.BAD_POSITION on every read route"): a valid request with a malformed one is refused so, documented on that route', async () => {
    expect(README).toMatch(/is `400 REQUEST\.BAD_POSITION` on every\s+read route/);
    const wrong: string[] = [];
    for (const { path, spec } of matrix().filter((m) => m.method === 'GET')) {
      if (!opOf('GET', path).parameters?.some((p) => p.in === 'header' && p.name === 'X-Ledger-Position')) wrong.push(`${path}: X-Ledger-Position not documented`);
      const { built, auth } = await valid(spec);
      const res = await send('GET', built.path, auth, undefined, { 'X-Ledger-Position': '0x10' });
      if (res.status !== 400 || res.body.code !== 'REQUEST.BAD_POSITION' || !documented('GET', path, res)) wrong.push(`GET ${built.path} with X-Ledger-Position: 0x10: ${verdict('GET', path, res)}`);
    }
    expect(wrong).toEqual([]);
  });

  it('an Accept no documented 200 media type satisfies is 406 REQUEST.NOT_ACCEPTABLE (the document\'s any-address list)', async () => {
    const wrong: string[] = [];
    for (const { path, spec } of matrix().filter((m) => m.method === 'GET')) {
      const { built, auth } = await valid(spec);
      const res = await send('GET', built.path, auth, undefined, { Accept: 'image/png' });
      if (res.status !== 406 || res.body.code !== 'REQUEST.NOT_ACCEPTABLE' || !documented('GET', path, res)) wrong.push(`${path}: ${verdict('GET', path, res)}`);
    }
    expect(wrong).toEqual([]);
  });

  // ---------------------------------------------------------------- the catalogues, the document and README

  it('every (code, status) of the two catalogues is named in the document, and every code the document names is catalogued with that status and the same meaning', () => {
    expect(Object.keys(REFUSALS).length).toBeGreaterThan(100);
    const named = new Map<string, string>();
    for (const { op } of ops) for (const [status, r] of Object.entries(op.responses)) for (const m of (r.description ?? '').matchAll(/^- `([A-Z0-9_.]+)` — (.*)$/gm)) named.set(`${m[1]} ${status}`, m[2]);
    // The document's own list: `- STATUS \`CODE\` — meaning`, for a code no route answers followed by ` (why)`.
    const generalLines = new Map<string, string>([...doc.info.description.matchAll(/^- (\d{3}) `([A-Z0-9_.]+)` — (.*)$/gm)].map((m): [string, string] => [`${m[2]} ${m[1]}`, m[3]]));
    const catalogue = new Map<string, string>(Object.entries(ERROR_CODES as Record<string, Record<string, string>>).flatMap(([code, by]) => Object.entries(by).map(([status, meaning]): [string, string] => [`${code} ${status}`, meaning])));
    expect([...catalogue.keys()].filter((k) => !named.has(k) && !generalLines.has(k))).toEqual([]);
    expect([...named].filter(([k, meaning]) => catalogue.get(k) !== meaning).map(([k, meaning]) => `${k}: documented "${meaning}", catalogued "${catalogue.get(k)}"`)).toEqual([]);
    expect([...generalLines].filter(([k, text]) => !(catalogue.has(k) && (text === catalogue.get(k) || text.startsWith(`${catalogue.get(k)} (`)))).map(([k, text]) => `${k}: "${text}"`)).toEqual([]);
    const anyAddress = ANY_ADDRESS_REFUSALS.map((r) => (typeof r === 'string' ? r : r[0]));
    expect(anyAddress.filter((c) => ![...general].some((g) => g.startsWith(`${c} `)))).toEqual([]);
  });

  it('README\'s code lists ("- `CODE` 400: …") and inline statuses ("409 `CODE`", "`400 CODE`") name each code with a status the document gives it', () => {
    const named = new Set<string>(general);
    for (const { op } of ops) for (const [status, r] of Object.entries(op.responses)) for (const code of codesOf(r.description)) named.add(`${code} ${status}`);
    const claims = [
      ...[...README.matchAll(/^- `([A-Z][A-Z0-9_]*(?:\.[A-Z0-9_]+)*)` (\d{3})/gm)].map((m) => `${m[1]} ${m[2]}`),
      ...[...README.matchAll(/(\d{3}) `([A-Z][A-Z0-9_]*(?:\.[A-Z0-9_]+)+|[A-Z]+_[A-Z_]+)`/g)].map((m) => `${m[2]} ${m[1]}`),
      ...[...README.matchAll(/`(\d{3}) ([A-Z][A-Z0-9_]*(?:\.[A-Z0-9_]+)+|[A-Z]+_[A-Z_]+)`/g)].map((m) => `${m[2]} ${m[1]}`),
      ...[...README.matchAll(/`([A-Z][A-Z0-9_]*(?:\.[A-Z0-9_]+)+)` \((\d{3})\)/g)].map((m) => `${m[1]} ${m[2]}`),
    ];
    expect(claims.length).toBeGreaterThan(150);
    expect([...new Set(claims)].filter((c) => !named.has(c))).toEqual([]);
  });

  it('README\'s routes (`GET /…`, `POST /…`, `POST|GET /…`) are routes of the document', () => {
    const templates = ops.map(({ method, path }) => ({ method, re: new RegExp(`^${path.replace(/\{\w+\}/g, '[^/]+')}$`) }));
    const missing: string[] = [];
    let count = 0;
    for (const m of README.matchAll(/`((?:GET|POST|PUT|PATCH|DELETE)(?:\|(?:GET|POST))*) (\/[^`\s]*)`/g)) {
      const path = m[2].replace(/\[.*$/, '').replace(/\?.*$/, '');
      if (path.includes('…')) continue;
      const alternatives = /\{([^}]*[,|][^}]*)\}/.exec(path);
      for (const p of alternatives ? alternatives[1].split(/[,|]/).map((x) => path.replace(alternatives[0], x)) : [path]) {
        for (const method of m[1].split('|')) {
          count++;
          if (!templates.some((t) => t.method === method && t.re.test(p.replace(/:\w+/g, 'x')))) missing.push(`${method} ${p}`);
        }
      }
    }
    expect(count).toBeGreaterThan(60);
    expect(missing).toEqual([]);
  });

  it('README and the document state one error shape, and every error answered in this review has exactly it: { statusCode (= the HTTP status), code, message, details (an object) }, as JSON', async () => {
    expect(README).toContain('Every error has one\nshape, `{ "statusCode", "code", "message", "details" }`');
    expect(schemaOf({ $ref: '#/components/schemas/ErrorResponse' }).required).toEqual(ERROR_KEYS);
    expect(doc.info.description).toContain('Every error answer is JSON `{ statusCode, code, message, details }`');
    // Besides every refusal above: the answers given before (or instead of) a route.
    await send('GET', '/review-nowhere', admin);
    await send('PATCH', '/centres', admin, {});
    await send('GET', '/centres', admin, undefined, { Accept: 'text/html' });
    await send('GET', '/centres/%E0%A4%A', admin);
    await send('GET', '/centres', undefined, undefined, { Authorization: 'Bearer not-a-token' });
    await send('POST', '/centres', admin, '{"__proto__":{"x":1}}', { 'content-type': 'application/json' });
    await send('POST', '/centres', admin, JSON.stringify({ name: 'x'.repeat(70_000) }), { 'content-type': 'application/json' });
    expect(errors.length).toBeGreaterThan(5);
    const wrong = errors
      .filter(({ res }) => {
        const b = res.body as Record<string, unknown>;
        return (
          mediaType(res) !== 'application/json' ||
          JSON.stringify(Object.keys(b ?? {}).sort()) !== JSON.stringify([...ERROR_KEYS].sort()) ||
          b.statusCode !== res.status ||
          typeof b.code !== 'string' ||
          typeof b.message !== 'string' ||
          b.details === null ||
          typeof b.details !== 'object' ||
          Array.isArray(b.details)
        );
      })
      .map(({ where, res }) => `${where}: ${res.status} ${mediaType(res)} ${JSON.stringify(res.body).slice(0, 120)}`);
    expect(wrong).toEqual([]);
  });
});
