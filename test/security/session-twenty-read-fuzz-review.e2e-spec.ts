import { Server } from 'node:http';
import { gunzipSync, inflateSync, brotliDecompressSync } from 'node:zlib';
import fc from 'fast-check';
import { MemoryEventStore } from '../../libs/event-store/src/memory-event-store';
import { Role } from '../../libs/domain/src/shared';
import { osloMidnight } from '../helpers/fake-date';
import { rawGet, RawAnswer } from '../helpers/raw-get';
import { seedCounties, startTestApp, TestApp } from '../helpers/test-app';
import { ACCESS_MATRIX } from './access-matrix';
import { World } from './world';

/**
 * A helper's review (session twenty): a schema-driven fuzz of EVERY GET route of /docs-json.
 *
 * The ledger is small but real (19 counties, parties, centres, boards with members and a proposal,
 * owner agreements, money entries, staff positions, grant evidence, a published scheme with an
 * allocation, stimulus-grant applications), and part of it is recorded on a store clock set to
 * instants around Norway's DST switches of 2014 and the leap second of 2016-12-31, so that as-of
 * answers on either side of those instants differ and an equivalent spelling of an instant can be
 * told from a wrong one.
 *
 * Every route starts from a valid request (200) and is mutated one thing at a time; every answer is
 * held to the README's promises: never 5xx; a 4xx is `{code, message}` with a message that leaks
 * nothing; the code is listed for that route (or for any address) in /docs-json; a 200 parses in its
 * content type (one the route documents); an as-of answer equals the answer at the same instant
 * written another way. Each check collects every distinct (route, mutation class, observed) failure
 * and fails listing them.
 */

const SEED = 20_2026;
/** Words an error message must not hold (beyond LEAKS), unless the request itself sent them. */
/** test/security/leaks.ts's LEAKS, but a stack frame must look like one ("at fn (file:1:2)", "at /path:1:2"): its "at .+:\d+:\d+" also matches "as of 2014-01-15T11:00:00". */
const STACK_LEAKS = /\bat [\w$.<>]+ \(|\bat \/|node_modules|\/work\/|\.[tj]s:\d|Error:|RangeError|TypeError|SyntaxError|FST_ERR|\bstack\b/;
const MESSAGE_LEAKS = /undefined|\[object Object\]|\bNaN\b|Invalid Date|Invalid time value|SQLITE|SELECT |INSERT |TypeError|ReferenceError|Cannot read prop|is not a function|\/work\/|node_modules|\.ts:\d/;

// ---------------------------------------------------------------------------------------------
// The ledger's store clock: a fixed instant while the dated part of the ledger is recorded, then real time.
let clockMs: number | null = null;
const storeClock = (): Date => {
  if (clockMs === null) return new Date();
  clockMs += 1;
  return new Date(clockMs);
};
/** The instants the dated events were recorded at (each phase's first event is at the instant + 1 ms). */
const PHASES = {
  seed: '2014-01-15T10:00:00.000Z',
  p1: '2014-03-29T22:30:00.000Z', // Oslo 2014-03-29 23:30 CET
  p2: '2014-03-30T00:30:00.000Z', // Oslo 2014-03-30 01:30 CET (before the switch at 01:00Z)
  p3: '2014-03-30T01:30:00.000Z', // Oslo 2014-03-30 03:30 CEST
  p4: '2014-03-30T21:30:00.000Z', // Oslo 2014-03-30 23:30 CEST: still the 30th
  p5: '2014-03-30T22:30:00.000Z', // Oslo 2014-03-31 00:30 CEST: the 31st
  p6: '2014-10-25T21:30:00.000Z', // Oslo 2014-10-25 23:30 CEST
  p7: '2014-10-25T22:30:00.000Z', // Oslo 2014-10-26 00:30 CEST
  p8: '2014-10-26T00:30:00.000Z', // Oslo 2014-10-26 02:30 CEST (the first 02:30)
  p9: '2014-10-26T01:30:00.000Z', // Oslo 2014-10-26 02:30 CET (the second 02:30)
  p10: '2014-10-26T22:30:00.000Z', // Oslo 2014-10-26 23:30 CET: still the 26th
  p11: '2014-10-26T23:30:00.000Z', // Oslo 2014-10-27 00:30 CET
  p12: '2016-12-31T23:59:59.500Z', // half a second before the leap second 2016-12-31T23:59:60Z
  p13: '2016-12-31T23:59:59.999Z', // the last millisecond before the leap second (the event lands at +1 ms: 2017-01-01T00:00:00.000Z)
} as const;

// ---------------------------------------------------------------------------------------------
// The OpenAPI document: GET routes, their parameters, their documented codes.
interface Param {
  name: string;
  in: 'query' | 'path' | 'header';
  required: boolean;
  schema: { type?: string; enum?: string[]; maximum?: number; minimum?: number };
}
interface RouteDoc {
  template: string; // /centres/{centreId}
  params: Param[];
  /** status → codes documented for it on this route */
  codes: Map<number, Set<string>>;
  okTypes: string[];
}
const GLOBAL_CODES = new Map<number, Set<string>>();

const codesIn = (text: string): string[] => [...text.matchAll(/^- `([A-Z][A-Z0-9_]*(?:\.[A-Z0-9_]+)*)`/gm)].map((m) => m[1]);

const readDocs = (docs: any): RouteDoc[] => {
  const description: string = docs.info.description;
  const anyAddress = description.split('Not answered by a route')[0];
  for (const m of anyAddress.matchAll(/^- (\d{3}) `([A-Z][A-Z0-9_.]*)`/gm)) {
    const s = Number(m[1]);
    if (!GLOBAL_CODES.has(s)) GLOBAL_CODES.set(s, new Set());
    GLOBAL_CODES.get(s)!.add(m[2]);
  }
  const routes: RouteDoc[] = [];
  for (const [template, ops] of Object.entries<any>(docs.paths)) {
    const op = ops.get;
    if (!op) continue;
    const codes = new Map<number, Set<string>>();
    for (const [status, r] of Object.entries<any>(op.responses ?? {})) codes.set(Number(status), new Set(codesIn(r.description ?? '')));
    routes.push({ template, params: op.parameters ?? [], codes, okTypes: Object.keys(op.responses?.['200']?.content ?? {}) });
  }
  return routes;
};

const documented = (r: RouteDoc, status: number, code: string): boolean => !!r.codes.get(status)?.has(code) || !!GLOBAL_CODES.get(status)?.has(code);

// ---------------------------------------------------------------------------------------------
// Requests and the oracle.
interface Sent {
  route: RouteDoc;
  klass: string;
  url: string;
  headers?: Record<string, string>;
}
interface Seen {
  status: number;
  code?: string;
  message?: string;
  contentType: string;
  text: string;
  raw: Buffer;
  json?: any;
}

const decode = (a: RawAnswer): Buffer => {
  const enc = String(a.headers['content-encoding'] ?? '').toLowerCase();
  if (enc === 'gzip') return gunzipSync(a.rawPayload);
  if (enc === 'deflate') return inflateSync(a.rawPayload);
  if (enc === 'br') return brotliDecompressSync(a.rawPayload);
  return a.rawPayload;
};

const safeDecodeURI = (s: string): string => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

class Fuzz {
  readonly failures = new Map<string, string>();
  requests = 0;
  constructor(
    private readonly server: Server,
    private readonly auth: Record<string, string>,
  ) {}

  async send(s: Sent, token: string | null = this.auth.admin): Promise<Seen> {
    const headers: Record<string, string> = { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(s.headers ?? {}) };
    this.requests++;
    let a: RawAnswer;
    try {
      a = await rawGet(this.server, s.url, headers);
    } catch (e) {
      this.fail(s, 'no answer', `request failed: ${(e as Error).message}`);
      return { status: 0, contentType: '', text: '', raw: Buffer.alloc(0) };
    }
    let raw: Buffer;
    try {
      raw = decode(a);
    } catch {
      this.fail(s, 'undecodable', `Content-Encoding ${String(a.headers['content-encoding'])} does not decode`);
      raw = a.rawPayload;
    }
    const contentType = String(a.headers['content-type'] ?? '');
    const seen: Seen = { status: a.statusCode, contentType, text: raw.toString('utf8'), raw };
    if (contentType.startsWith('application/json')) {
      try {
        seen.json = JSON.parse(seen.text);
        if (seen.status >= 400) {
          seen.code = seen.json?.code;
          seen.message = seen.json?.message;
        }
      } catch {
        /* judged below */
      }
    }
    this.judge(s, seen);
    return seen;
  }

  /** The promises every answer keeps. */
  private judge(s: Sent, seen: Seen): void {
    const { status } = seen;
    if (status >= 500) {
      this.fail(s, `${status} ${seen.code ?? ''}`, `5xx: ${seen.text.slice(0, 300)}`);
      return;
    }
    if (status === 304) return;
    if (status >= 400) {
      if (typeof seen.code !== 'string' || typeof seen.message !== 'string' || !seen.message) {
        this.fail(s, `${status} no-shape`, `a ${status} without {code, message}: ${seen.contentType} ${seen.text.slice(0, 200)}`);
        return;
      }
      const sentText = safeDecodeURI(s.url) + ' ' + JSON.stringify(s.headers ?? {});
      const leak = seen.message.match(MESSAGE_LEAKS) ?? seen.message.match(STACK_LEAKS);
      if (leak && !sentText.includes(leak[0])) this.fail(s, `${status} ${seen.code} leak:${leak[0]}`, `message leaks "${leak[0]}": ${seen.message.slice(0, 300)}`);
      if (!documented(s.route, status, seen.code)) this.fail(s, `${status} ${seen.code} undocumented`, `${status} ${seen.code} is not listed for GET ${s.route.template} (nor for any address): ${seen.message.slice(0, 200)}`);
      return;
    }
    if (status === 200) {
      const type = seen.contentType.split(';')[0].trim().toLowerCase();
      if (s.route.okTypes.length && !s.route.okTypes.includes(type)) this.fail(s, `200 as ${type}`, `a 200 in ${type}, not a type GET ${s.route.template} documents (${s.route.okTypes.join(', ')})`);
      if (type === 'application/json' && seen.json === undefined) this.fail(s, '200 json unparsable', `a 200 in JSON that does not parse: ${seen.text.slice(0, 120)}`);
      if (type === 'text/csv' && (!seen.text.length || seen.text.includes('\uFFFD'))) this.fail(s, '200 csv broken', `a CSV 200 that is empty or not UTF-8`);
      if (type.includes('spreadsheetml') && seen.raw.subarray(0, 4).toString('binary') !== 'PK\u0003\u0004') this.fail(s, '200 xlsx broken', 'an XLSX 200 that is not a zip');
      return;
    }
    this.fail(s, `${status}`, `an unexpected status ${status}`);
  }

  fail(s: Sent, observed: string, detail: string): void {
    const key = `GET ${s.route.template} | ${s.klass} | ${observed}`;
    if (!this.failures.has(key)) this.failures.set(key, `${key}\n    e.g. GET ${s.url.slice(0, 300)}${s.headers ? ` ${JSON.stringify(s.headers).slice(0, 200)}` : ''}\n    → ${detail}`);
  }

  /** Expectations of one mutation beyond the common promises. */
  expect(s: Sent, seen: Seen, ok: (seen: Seen) => boolean, wanted: string): void {
    if (seen.status === 0 || seen.status >= 500) return; // already reported
    if (!ok(seen)) this.fail(s, `${seen.status} ${seen.code ?? ''}`.trim(), `expected ${wanted}; got ${seen.status} ${seen.code ?? ''} ${(seen.message ?? seen.text).slice(0, 200)}`);
  }

  report(): string[] {
    return [...this.failures.values()];
  }
}

const splitUrl = (url: string): { path: string; query: [string, string][] } => {
  const [path, q] = url.split('?');
  return { path, query: q ? q.split('&').map((kv) => { const i = kv.indexOf('='); return i < 0 ? [kv, ''] : [kv.slice(0, i), kv.slice(i + 1)]; }) : [] };
};
const joinUrl = (path: string, query: [string, string][]): string => (query.length ? `${path}?${query.map(([k, v]) => `${k}=${v}`).join('&')}` : path);
/** The URL with parameter `name` (raw, already encoded) replaced by the given raw pairs. */
const withParam = (url: string, name: string, pairs: [string, string][]): string => {
  const { path, query } = splitUrl(url);
  return joinUrl(path, [...query.filter(([k]) => k !== name), ...pairs]);
};
const enc = (v: string): string => encodeURIComponent(v);

// ---------------------------------------------------------------------------------------------
describe('session twenty: a schema-driven fuzz of every GET route (read fuzz review)', () => {
  let t: TestApp;
  let w: World;
  let server: Server;
  let routes: RouteDoc[];
  const base = new Map<string, string>(); // template → valid URL (200 for admin)
  const auth: Record<string, string> = {};
  let head = 0;
  let firstEvent: any;

  beforeAll(async () => {
    clockMs = Date.parse(PHASES.seed);
    t = await startTestApp({ store: new MemoryEventStore(storeClock), env: { LEDGER_RATE_LIMIT_PER_MINUTE: '0' } });
    server = t.app.getHttpServer();
    await seedCounties(t);
    w = new World(t);
    await w.registerBothCounties();
    // The dated part: one money entry (key figures and funding mixes for 2013 change) at each instant.
    for (const [name, at] of Object.entries(PHASES)) {
      if (name === 'seed') continue;
      clockMs = Date.parse(at);
      await w.entry('own');
      if (name === 'p6') await w.position('own');
    }
    clockMs = null; // real time from here on
    await (w as unknown as { eligibleCounty: () => Promise<void> }).eligibleCounty();
    for (const v of ['own', 'other'] as const) {
      await w.entry(v);
      await w.position(v);
      await w.ownerAgreement(v);
      await w.stimulus(v);
      await w.proposal(v);
      await w.partnership(v);
    }
    await w.sharedAllocation();

    const docs = await t.http().get('/docs-json');
    routes = readDocs(docs.body);
    for (const r of ['admin', 'auditor', 'vox', 'board-member'] as Role[]) auth[r] = await t.token(r, [], `fuzz-${r}`);
    auth['finance-officer'] = await t.token('finance-officer', ['telemark'], 'fuzz-fo-telemark');
    auth['finance-officer@other'] = await t.token('finance-officer', ['ostfold'], 'fuzz-fo-ostfold');
    auth['board-member@board'] = await t.token('board-member', [], w.boards.own.chair);
    for (const r of routes) {
      const key = `GET ${r.template.replace(/\{(\w+)\}/g, ':$1')}`;
      const spec = ACCESS_MATRIX[key];
      if (!spec) throw new Error(`no valid request known for ${key}`);
      base.set(r.template, (await spec.build(w, 'own', 'admin')).path);
    }
    const page = await t.http().get('/audit/events?limit=1').set(w.admin);
    firstEvent = page.body.events[0];
    head = (await t.http().get('/audit/digest').set(w.admin)).body.position;
  }, 150_000);
  afterAll(async () => {
    await t?.close();
  });

  const fuzz = (): Fuzz => new Fuzz(server, auth);
  const route = (template: string): RouteDoc => routes.find((r) => r.template === template)!;
  const queryParams = (r: RouteDoc): Param[] => r.params.filter((p) => p.in === 'query');
  const takes = (r: RouteDoc, name: string): boolean => r.params.some((p) => p.in === 'query' && p.name === name);

  it('knows every GET route of /docs-json and has a valid request (200, parsing in its type) for each', async () => {
    const f = fuzz();
    expect(routes.length).toBeGreaterThan(40);
    for (const r of routes) {
      const s: Sent = { route: r, klass: 'valid request', url: base.get(r.template)! };
      const seen = await f.send(s);
      f.expect(s, seen, (x) => x.status === 200, '200');
    }
    expect(f.report()).toEqual([]);
  }, 60_000);

  // -------------------------------------------------------------------------------------------
  // Valid values of each query parameter, per route (raw, encoded).
  const nowIso = (): string => new Date().toISOString();
  const cursorCache = new Map<string, string>();
  const cursorOf = async (url: string): Promise<string> => {
    const { path } = splitUrl(url);
    if (!cursorCache.has(path)) {
      const res = await t.http().get(`${path}?limit=1`).set(w.admin);
      const link = String(res.headers.link ?? '');
      const m = link.match(/[?&]after=([^&>]+)/);
      cursorCache.set(path, m ? m[1] : '');
    }
    return cursorCache.get(path)!;
  };
  const validValue = async (r: RouteDoc, name: string): Promise<string> => {
    const p = r.params.find((x) => x.name === name && x.in === 'query');
    if (p?.schema.enum) return p.schema.enum[0] === 'full' ? 'summary' : p.schema.enum[0];
    switch (name) {
      case 'asOf':
        return enc(nowIso());
      case 'limit':
        return '2';
      case 'after':
        return r.template === '/audit/events' ? '1' : await cursorOf(base.get(r.template)!);
      case 'date':
        return '2014-06-01';
      case 'countyId':
      case 'county':
      case 'counties':
        return 'telemark';
      case 'centre':
        return 'kc-own';
      case 'kind':
        return r.template === '/boards/{boardId}' ? 'goals' : 'county-authority';
      case 'year':
        return r.template === '/stimulus-grants' || r.template === '/boards/{boardId}' ? '2014' : '2013';
      case 'atPosition':
        return '5';
      case 'fromRevision':
        return '0';
      case 'actor':
        return 'matrix-admin';
      case 'role':
        return 'admin';
      case 'type':
        return firstEvent.type;
      case 'correlation':
        return enc(firstEvent.metadata.correlationId);
      case 'stream':
        return 'centre-';
      case 'from':
        return '2014-01-01';
      case 'to':
        return '2030-01-01';
      case 'position':
        return String(head);
      case 'digest':
        return (await t.http().get(`/audit/digest?position=${head}`).set(w.admin)).body.digest;
      default:
        throw new Error(`no valid value for ${name} on ${r.template}`);
    }
  };
  const LIST_LIMIT_MAX = (r: RouteDoc): number | undefined => r.params.find((p) => p.name === 'limit')?.schema.maximum;
  const AT_POSITION = new Set(['/grant-schemes/{year}/eligibility', '/grant-schemes/{year}/eligibility/{countyId}', '/counties/{countyId}/eligibility/{year}']);
  const NO_AS_OF = new Set(['/audit/events', '/audit/verify', '/audit/digest']);
  const FILTERS = new Set(['kind', 'countyId', 'status']);
  const isBadRequest = (code: string) => (x: Seen) => x.status === 400 && x.code === code;

  /** The odd values every query parameter is given (raw, already percent-encoded as sent). */
  const oddValues = (valid: string): [string, string][] => [
    ['empty', ''],
    ['wrong type: word', 'abc'],
    ['wrong type: true', 'true'],
    ['wrong type: null', 'null'],
    ['wrong type: JSON object', enc('{"a":1}')],
    ['huge number', '99999999999999999999999'],
    ['huge string', 'x'.repeat(6000)],
    ['negative', '-1'],
    ['zero', '0'],
    ['fractional', '1.5'],
    ['exponent', '1e2'],
    ['hex', '0x10'],
    ['plus sign', '%2B1'],
    ['NaN', 'NaN'],
    ['Infinity', 'Infinity'],
    ['leading space', `%20${valid}`],
    ['trailing space', `${valid}%20`],
    ['plus as space', `+${valid}`],
    ['%00', '%00'],
    ['valid then %00', `${valid}%00`],
    ['overlong UTF-8 %C0%AE', '%C0%AE'],
    ['overlong UTF-8 %E0%80%AE', '%E0%80%AE'],
    ['lone surrogate %ED%A0%80', '%ED%A0%80'],
    ['%uD800 escape', '%uD800'],
    ['invalid byte %FF', '%FF'],
    ['bare %', '%'],
    ['bad escape %G1', '%G1'],
    ['fullwidth digits', enc('２０１３')],
    ['upper case', valid.toUpperCase()],
    ['path traversal', enc('../../etc/passwd')],
    ['prototype name', '__proto__'],
  ];
  /** Forms of the parameter itself. */
  const shapes = (name: string, valid: string): [string, [string, string][]][] => [
    ['missing', []],
    ['bare name (no =)', [[name, '']].map(([k]) => [k, '']) as [string, string][]],
    ['repeated, same value', [[name, valid], [name, valid]]],
    ['repeated, another value', [[name, valid], [name, 'zz9']]],
    ['as array p[]=', [[`${name}[]`, valid]]],
    ['as array p[0]=', [[`${name}[0]`, valid]]],
    ['as object p[a]=', [[`${name}[a]`, valid]]],
    ['as array, encoded brackets', [[`${name}%5B%5D`, valid]]],
    ['as array, repeated p[]=', [[`${name}[]`, valid], [`${name}[]`, valid]]],
  ];

  it('query parameters: each documented one (and asOf/atPosition everywhere) missing, empty, repeated, as an array, wrong type, huge, negative, 0, fractional, exponent, spaces, percent-encoded oddities, random text', async () => {
    const f = fuzz();
    const random = fc.sample(
      fc.oneof(
        fc.string({ unit: 'grapheme', maxLength: 40 }),
        fc.string({ unit: 'binary', maxLength: 20 }),
        fc.integer().map(String),
        fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).map(String),
        fc.double().map(String),
        fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
      ),
      { seed: SEED, numRuns: 10 },
    );
    for (const r of routes) {
      const url = base.get(r.template)!;
      const names = new Set(queryParams(r).map((p) => p.name));
      if (r.template !== '/health') {
        names.add('asOf'); // every read route takes asOf or refuses it (README: As of a recorded time)
        names.add('atPosition');
      }
      for (const name of names) {
        const valid = await validValue(r, name);
        const send = async (klass: string, pairs: [string, string][]) => {
          const s: Sent = { route: r, klass: `${name}: ${klass}`, url: withParam(url, name, pairs) };
          return { s, seen: await f.send(s) };
        };
        const mutations: [string, [string, string][]][] = [
          ...shapes(name, valid),
          ...oddValues(valid).map(([k, v]): [string, [string, string][]] => [k, [[name, v]]]),
          ...random.map((v, i): [string, [string, string][]] => [`random #${i}`, [[name, enc(v)]]]),
        ];
        for (const [klass, pairs] of mutations) {
          const { s, seen } = await send(klass, pairs);
          const value = pairs.length === 1 && pairs[0][0] === name ? safeDecodeURI(pairs[0][1]) : undefined;
          const repeated = pairs.length === 2 && pairs[0][0] === name && pairs[1][0] === name;
          // What the README says of the cuts, paging and filters, beyond the common promises.
          if (name === 'atPosition' && !AT_POSITION.has(r.template) && pairs.some(([k]) => k === name) && value !== '') {
            f.expect(s, seen, isBadRequest('REQUEST.AT_POSITION_NOT_SUPPORTED'), '400 REQUEST.AT_POSITION_NOT_SUPPORTED (README: refused, never answered at the head)');
          }
          if (name === 'asOf' && (repeated || pairs[0]?.[0] === 'asOf[]')) {
            f.expect(s, seen, (x) => x.status === 400 && (x.code === 'REQUEST.BAD_AS_OF' || (NO_AS_OF.has(r.template) && x.code === 'REQUEST.AS_OF_NOT_SUPPORTED')), '400 REQUEST.BAD_AS_OF (README: asOf given twice, asOf[])');
          }
          if (name === 'asOf' && value !== undefined && value !== '' && !/^\d{4}-\d{2}-\d{2}(T.*)?$/.test(value.trim())) {
            f.expect(s, seen, (x) => x.status === 400 && (x.code === 'REQUEST.BAD_AS_OF' || (NO_AS_OF.has(r.template) && x.code === 'REQUEST.AS_OF_NOT_SUPPORTED')), '400 REQUEST.BAD_AS_OF (a malformed asOf)');
          }
          if (name === 'limit' && LIST_LIMIT_MAX(r) && (repeated || (value !== undefined && value !== '' && !(/^[1-9]\d*$/.test(value) && Number(value) <= LIST_LIMIT_MAX(r)!)))) {
            f.expect(s, seen, (x) => x.status === 400, `400 (README: any other limit is 400${r.template.startsWith('/audit') ? '' : ' REQUEST.BAD_LIMIT'})`);
          }
          if (FILTERS.has(name) && repeated && klass === 'repeated, another value') {
            f.expect(s, seen, isBadRequest('REQUEST.BAD_FILTER'), '400 REQUEST.BAD_FILTER (README: a filter given more than once)');
          }
          if (name === 'date' && value !== undefined && value !== '' && !/^\d{4}-\d{2}-\d{2}$/.test(value)) {
            f.expect(s, seen, isBadRequest('REQUEST.BAD_DATE'), '400 REQUEST.BAD_DATE');
          }
          if (name === 'year' && value !== undefined && value !== '' && !/^\d{4}$/.test(value)) {
            f.expect(s, seen, (x) => x.status === 400, '400 (a year that is not four digits)');
          }
        }
      }
    }
    expect(f.requests).toBeGreaterThan(3000);
    expect(f.report()).toEqual([]);
  }, 150_000);

  // -------------------------------------------------------------------------------------------
  // asOf: the same instant in other spellings, edges, DST, leap second, sub-millisecond.
  const asOfRoutes = (): RouteDoc[] => routes.filter((r) => takes(r, 'asOf') && r.template !== '/audit/position-at');
  /** An answer reduced to what must be equal between two spellings of one question. */
  const essence = (x: Seen): string => {
    if (x.status !== 200) return `${x.status} ${x.code ?? ''} ${JSON.stringify(x.json?.details ?? null)}`;
    if (x.json !== undefined) return `200 ${JSON.stringify(x.json)}`;
    if (x.contentType.includes('spreadsheetml')) return `200 xlsx ${x.raw.length}`; // a zip: its entries' times may differ
    return `200 ${x.text}`;
  };
  const osloEndOfDay = (day: string): string => {
    const next = new Date(Date.parse(`${day}T12:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    return new Date(osloMidnight(next) - 1).toISOString();
  };
  /** Spellings of one instant (given in Z with milliseconds): [class, raw asOf, must be answered (not 400)]. */
  const spellings = (iso: string): [string, string, boolean][] => {
    const ms = Date.parse(iso);
    const at = (offsetMin: number): string => {
      const d = new Date(ms + offsetMin * 60_000).toISOString().slice(0, 23);
      const sign = offsetMin < 0 ? '-' : '+';
      const a = Math.abs(offsetMin);
      return `${d}${sign}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
    };
    const noMs = iso.endsWith('.000Z');
    return [
      ['offset +00:00', enc(at(0)), true],
      ['offset +02:00', enc(at(120)), true],
      ['offset +01:00', enc(at(60)), true],
      ['offset +14:00', enc(at(14 * 60)), true],
      ['offset -12:00', enc(at(-12 * 60)), true],
      ['offset +05:45', enc(at(5 * 60 + 45)), true],
      ['9-digit fraction', enc(iso.replace(/(\.\d{3})Z$/, '$1000000Z')), true],
      ...(noMs ? ([['no fraction', enc(iso.replace('.000Z', 'Z')), true]] as [string, string, boolean][]) : []),
      ['lower-case t and z', enc(iso.replace('T', 't').replace('Z', 'z')), false],
      ['space for T', enc(iso.replace('T', ' ')), false],
      ['offset -00:00', enc(iso.replace('Z', '-00:00')), false],
      ['offset +0200 (basic)', enc(at(120).replace(/:(\d\d)$/, '$1')), false],
      ['offset +02 (hours only)', enc(at(120).replace(/:00$/, '')), false],
    ];
  };

  it('asOf: an instant written another way (offsets +14:00/-12:00/+02:00, 9-digit fractions, lower-case t/z, …) answers what its Z spelling answers, on every route that takes asOf', async () => {
    const f = fuzz();
    const instants = [
      '2015-05-31T22:00:00.000Z', // = 2015-06-01T00:00:00+02:00
      '2014-03-30T21:45:00.000Z', // between p4 and p5: the DST-start day
      '2014-10-26T01:00:00.000Z', // between p8 and p9: the repeated hour of the DST end
      new Date(Date.parse(firstEvent.recordedAt) + 3_600_000).toISOString(),
    ];
    const mid = (await t.http().get(`/audit/events?after=${head - 20}&limit=1`).set(w.admin)).body.events[0];
    instants.push(mid.recordedAt);
    for (const r of asOfRoutes()) {
      const url = base.get(r.template)!;
      for (const iso of instants) {
        const ref: Sent = { route: r, klass: 'asOf in Z', url: withParam(url, 'asOf', [['asOf', enc(iso)]]) };
        const want = essence(await f.send(ref));
        for (const [klass, raw, mustAnswer] of spellings(iso)) {
          const s: Sent = { route: r, klass: `asOf ${klass}`, url: withParam(url, 'asOf', [['asOf', raw]]) };
          const seen = await f.send(s);
          if (!mustAnswer && seen.status === 400 && seen.code === 'REQUEST.BAD_AS_OF') continue;
          f.expect(s, seen, (x) => essence(x) === want, `the answer of ${ref.url.slice(0, 160)} (${want.slice(0, 80)})`);
        }
      }
    }
    expect(f.requests).toBeGreaterThan(500);
    expect(f.report()).toEqual([]);
  }, 120_000);

  it('asOf: a bare date is the end of that day in Norway, across both DST switches of 2014 (the event at 23:30 Oslo time is in, the one at 00:30 the next day is out)', async () => {
    const f = fuzz();
    const days = ['2014-03-29', '2014-03-30', '2014-03-31', '2014-10-25', '2014-10-26', '2014-10-27', '2016-12-31', '2017-01-01'];
    const pos = route('/audit/position-at');
    for (const day of days) {
      const end = osloEndOfDay(day);
      const a: Sent = { route: pos, klass: `bare date ${day}`, url: `/audit/position-at?asOf=${day}` };
      const b: Sent = { route: pos, klass: `bare date ${day}`, url: `/audit/position-at?asOf=${enc(end)}` };
      const [x, y] = [await f.send(a), await f.send(b)];
      f.expect(a, x, (s) => s.status === 200 && JSON.stringify(s.json?.position) === JSON.stringify(y.json?.position), `the position of ${end} (${JSON.stringify(y.json)})`);
      for (const r of asOfRoutes()) {
        const url = base.get(r.template)!;
        const s: Sent = { route: r, klass: `asOf bare date around DST (${day})`, url: withParam(url, 'asOf', [['asOf', day]]) };
        const ref: Sent = { route: r, klass: 'asOf end of the Oslo day', url: withParam(url, 'asOf', [['asOf', enc(end)]]) };
        const want = essence(await f.send(ref));
        f.expect(s, await f.send(s), (z) => essence(z) === want, `the answer as of ${end} (${want.slice(0, 80)})`);
      }
    }
    // The dated events themselves: the money entries' positions on either side of each Oslo midnight.
    const at = async (q: string) => (await t.http().get(`/audit/position-at?asOf=${enc(q)}`).set(w.admin)).body.position as number;
    expect(await at('2014-03-30')).toBe(await at('2014-03-30T21:30:00.001Z')); // p4 in
    expect(await at('2014-03-30')).toBeLessThan(await at('2014-03-30T22:30:00.001Z')); // p5 out
    expect(await at('2014-10-26')).toBe(await at('2014-10-26T22:30:00.001Z')); // p10 in
    expect(await at('2014-10-26')).toBeLessThan(await at('2014-10-26T23:30:00.001Z')); // p11 out
    expect(await at('2014-10-25')).toBe(await at('2014-10-25T21:30:00.002Z')); // p6 (entry and position) in
    expect(f.report()).toEqual([]);
  }, 90_000);

  it('asOf: sub-millisecond and leap-second instants are not rounded into the next millisecond or second', async () => {
    const f = fuzz();
    const pos = route('/audit/position-at');
    // p4's entry was recorded at 21:30:00.001Z: an instant a nanosecond before it does not include it.
    const cases: [string, string, string][] = [
      ['9 digits just before an event', '2014-03-30T21:30:00.000999999Z', '2014-03-30T21:30:00.000Z'],
      ['9 digits just before an event, +02:00', '2014-03-30T23:30:00.000999999+02:00', '2014-03-30T21:30:00.000Z'],
      ['7 digits just before an event', '2014-03-30T21:30:00.0009999Z', '2014-03-30T21:30:00.000Z'],
      ['leap second 23:59:60', '2016-12-31T23:59:60Z', '2016-12-31T23:59:59.999Z'],
      ['leap second 23:59:60.5', '2016-12-31T23:59:60.500Z', '2016-12-31T23:59:59.999Z'],
      ['leap second with offset', '2017-01-01T00:59:60+01:00', '2016-12-31T23:59:59.999Z'],
    ];
    for (const [klass, q, same] of cases) {
      const want = (await t.http().get(`/audit/position-at?asOf=${enc(same)}`).set(w.admin)).body;
      const s: Sent = { route: pos, klass: `asOf ${klass}`, url: `/audit/position-at?asOf=${enc(q)}` };
      const seen = await f.send(s);
      if (klass.startsWith('leap') && seen.status === 400 && seen.code === 'REQUEST.BAD_AS_OF') continue; // refusing a leap second is fine; answering it as the next second is not
      f.expect(s, seen, (x) => x.status === 200 && x.json?.position === want.position, `position ${want.position} (as of ${same})`);
      for (const r of asOfRoutes().filter((x) => /key-figures|funding-mix/.test(x.template))) {
        const url = base.get(r.template)!;
        const ref = essence(await f.send({ route: r, klass: 'ref', url: withParam(url, 'asOf', [['asOf', enc(same)]]) }));
        const s2: Sent = { route: r, klass: `asOf ${klass}`, url: withParam(url, 'asOf', [['asOf', enc(q)]]) };
        f.expect(s2, await f.send(s2), (x) => essence(x) === ref, `the answer as of ${same}`);
      }
    }
    expect(f.report()).toEqual([]);
  }, 60_000);

  it('asOf at the edges: before the first event, after now, 9999-12-31T23:59:59Z, beyond what a Date holds, before 1970, impossible calendar dates and times, other ISO forms', async () => {
    const f = fuzz();
    const future = ['9999-12-31T23:59:59Z', '9999-12-31T23:59:59.999999999Z', '9999-12-31', new Date(Date.now() + 86_400_000).toISOString(), '2999-01-01T00:00:00+14:00'];
    const malformed = [
      '1969-12-31T23:59:59Z', '1969-12-31', '0014-05-09', '0099-12-31', '0000-01-01', '-000001-01-01T00:00:00Z', '+010000-01-01T00:00:00Z', '10000-01-01T00:00:00Z',
      '+275760-09-13T00:00:00.001Z', '275760-09-14', '2014-02-30', '2014-02-29', '2014-13-01', '2014-00-10', '2014-03-30T25:00:00Z', '2014-03-30T23:60:00Z',
      '2014-03-30T23:59:61Z', '2014-03-30T02:30:00', '2014-03-30T02:30', '2014-03-30T21:30:00+24:00', '2014-03-30T21:30:00+99:99',
      '2014-03-30TZ', '1400000000000', '1400000000', 'now', 'today', '2014-W13-7', '2014-089', '20140330', '2014/03/30', '30.03.2014', 'Sun, 30 Mar 2014 21:30:00 GMT',
      '2014-03-30T21:30:00ZZ', '2014-03-30T21:30:00Z ', ' 2014-03-30', '2014-03-30T21:30:00.Z', '2014-03-30T21:30:00,5Z', '２０１４-03-30',
    ];
    const maybe = ['2014-03-30T21:30:00+14:01', '2014', '2014-03', '2014-03-30T24:00:00Z', '2014-03-30T21:30Z', '20140330T213000Z', '1970-01-01', '1970-01-01T00:00:00Z', '2016-02-29'];
    for (const r of asOfRoutes()) {
      const url = base.get(r.template)!;
      const headAnswer = essence(await f.send({ route: r, klass: 'no asOf', url }));
      for (const q of ['1970-01-01T00:00:00Z', '2000-01-01T00:00:00Z', '2014-01-15T10:00:00.000Z']) {
        const s: Sent = { route: r, klass: 'asOf before the first event', url: withParam(url, 'asOf', [['asOf', enc(q)]]) };
        f.expect(s, await f.send(s), (x) => x.status === 200 || x.status === 404, '200 (an empty ledger) or 404 (not there yet)');
      }
      for (const q of future) {
        const s: Sent = { route: r, klass: `asOf in the future (${q.startsWith('9999') || q.startsWith('2999') ? q : 'now + 1 day'})`, url: withParam(url, 'asOf', [['asOf', enc(q)]]) };
        f.expect(s, await f.send(s), (x) => essence(x) === headAnswer, `the answer at the head (${headAnswer.slice(0, 80)})`);
      }
      for (const q of malformed) {
        const s: Sent = { route: r, klass: `asOf malformed or out of range (${q})`, url: withParam(url, 'asOf', [['asOf', enc(q)]]) };
        f.expect(s, await f.send(s), isBadRequest('REQUEST.BAD_AS_OF'), '400 REQUEST.BAD_AS_OF');
      }
      for (const q of maybe) await f.send({ route: r, klass: 'asOf in another ISO form', url: withParam(url, 'asOf', [['asOf', enc(q)]]) });
    }
    expect(f.report()).toEqual([]);
  }, 120_000);

  // -------------------------------------------------------------------------------------------
  it('atPosition on the eligibility routes: 0, 1, the head, past the head, negative, huge, fractional, with asOf; the head answers what no atPosition answers', async () => {
    const f = fuzz();
    for (const r of routes.filter((x) => AT_POSITION.has(x.template))) {
      const url = base.get(r.template)!;
      const atHead = essence(await f.send({ route: r, klass: 'no atPosition', url }));
      const s0: Sent = { route: r, klass: 'atPosition at the head', url: withParam(url, 'atPosition', [['atPosition', String(head)]]) };
      f.expect(s0, await f.send(s0), (x) => essence(x) === atHead, 'the answer without atPosition');
      for (const v of ['0', '1']) {
        const s: Sent = { route: r, klass: `atPosition ${v}`, url: withParam(url, 'atPosition', [['atPosition', v]]) };
        f.expect(s, await f.send(s), (x) => x.status === 200 || x.status === 404, '200, or 404 (no scheme yet at that position)');
      }
      for (const [klass, v] of [['past the head', String(head + 1)], ['far past the head', String(head + 1_000_000)], ['negative', '-1'], ['huge', '9'.repeat(30)], ['2^53', '9007199254740993'], ['fractional', '1.5'], ['exponent', '1e1'], ['leading zero', `0${head}`], ['leading space', `%20${head}`], ['hex', '0x1']] as [string, string][]) {
        const s: Sent = { route: r, klass: `atPosition ${klass}`, url: withParam(url, 'atPosition', [['atPosition', v]]) };
        const seen = await f.send(s);
        if (klass !== 'leading zero') f.expect(s, seen, (x) => x.status === 400, '400 REQUEST.BAD_POSITION (not a position from 0 to the head)');
      }
      const both: Sent = { route: r, klass: 'atPosition with asOf', url: `${withParam(url, 'atPosition', [['atPosition', '5']])}&asOf=2030-01-01` };
      f.expect(both, await f.send(both), (x) => x.status === 400, '400 (atPosition is "not with asOf")');
    }
    expect(f.report()).toEqual([]);
  }, 60_000);

  it('paging: limit 0, 1, max, max+1; after cursors from another route, tampered, foreign-list and exhausted; following limit=1 pages gives the whole list once', async () => {
    const f = fuzz();
    const lists = routes.filter((r) => takes(r, 'limit') && takes(r, 'after') && !r.template.startsWith('/audit'));
    expect(lists.length).toBeGreaterThanOrEqual(9);
    const cursors = new Map<string, string>();
    for (const r of lists) cursors.set(r.template, await cursorOf(base.get(r.template)!));
    for (const r of lists) {
      const url = base.get(r.template)!;
      const max = LIST_LIMIT_MAX(r)!;
      for (const [klass, v, ok] of [['limit 0', '0', false], ['limit 1', '1', true], ['limit max', String(max), true], ['limit max+1', String(max + 1), false], ['limit 2^53+1', '9007199254740993', false]] as [string, string, boolean][]) {
        const s: Sent = { route: r, klass, url: withParam(url, 'limit', [['limit', v]]) };
        f.expect(s, await f.send(s), ok ? (x) => x.status === 200 : isBadRequest('REQUEST.BAD_LIMIT'), ok ? '200' : '400 REQUEST.BAD_LIMIT');
      }
      const own = cursors.get(r.template)!;
      const tampered: [string, string][] = [
        ['cursor of another list', [...cursors.entries()].find(([k, c]) => k !== r.template && c && c !== own)?.[1] ?? 'bm9uZQ'],
        ['cursor with a character changed', own ? own.slice(0, -1) + (own.endsWith('A') ? 'B' : 'A') : 'QQ'],
        ['cursor cut short', own.slice(0, Math.max(1, own.length - 3))],
        ['cursor of an id never recorded', Buffer.from('no-such-item').toString('base64url')],
        ['cursor with padding', `${own}==`],
        ['cursor in standard base64', Buffer.from(Buffer.from(own, 'base64url').toString('utf8')).toString('base64').replace(/=+$/, '') + '+/'],
        ['cursor of ../', Buffer.from('../').toString('base64url')],
        ['cursor of __proto__', Buffer.from('__proto__').toString('base64url')],
        ['cursor of constructor', Buffer.from('constructor').toString('base64url')],
        ['cursor of an empty id', ''],
        ['cursor not base64', '%21%21%21'],
        ['cursor huge', 'A'.repeat(5000)],
        ['cursor with %00', `${own}%00`],
        ['cursor JSON', enc(Buffer.from('{"id":"x"}').toString('base64url'))],
      ];
      for (const [klass, v] of tampered) {
        const s: Sent = { route: r, klass, url: withParam(withParam(url, 'limit', [['limit', '1']]), 'after', [['after', v]]) };
        const seen = await f.send(s);
        if (v !== '') f.expect(s, seen, isBadRequest('REQUEST.BAD_CURSOR'), '400 REQUEST.BAD_CURSOR (README: a cursor that names no item of that list)');
      }
      // Walk limit=1 pages by their Link headers: every item once, in the list's order.
      const whole = (await f.send({ route: r, klass: 'whole list', url })).json;
      const items = (b: any): unknown[] => (Array.isArray(b) ? b : b?.links ?? []);
      const seenItems: unknown[] = [];
      let next: string | null = withParam(url, 'limit', [['limit', '1']]);
      for (let i = 0; next && i < 60; i++) {
        const a = await rawGet(server, next, { Authorization: `Bearer ${auth.admin}` });
        f.requests++;
        if (a.statusCode !== 200) {
          f.fail({ route: r, klass: 'walking the pages', url: next }, `${a.statusCode}`, a.body.slice(0, 200));
          break;
        }
        seenItems.push(...items(JSON.parse(a.body)));
        const link = String(a.headers.link ?? '');
        const m = link.match(/<([^>]+)>;\s*rel="next"/);
        next = m ? m[1] : null;
      }
      if (JSON.stringify(seenItems) !== JSON.stringify(items(whole))) f.fail({ route: r, klass: 'walking the pages', url }, 'pages ≠ list', `the limit=1 pages hold ${seenItems.length} items, the whole list ${items(whole).length} (or another order)`);
    }
    // The audit routes' own paging.
    const ev = route('/audit/events');
    for (const [klass, v] of [['after -1', '-1'], ['after past the head', String(head + 10)], ['after huge', '9'.repeat(25)], ['after fractional', '1.5'], ['after a list cursor', cursors.get('/centres')!]] as [string, string][]) {
      await f.send({ route: ev, klass, url: `/audit/events?limit=5&after=${v}` });
    }
    for (const [klass, v] of [['limit 0', '0'], ['limit 501', '501'], ['limit 500', '500']] as [string, string][]) {
      const s: Sent = { route: ev, klass, url: `/audit/events?limit=${v}` };
      f.expect(s, await f.send(s), (x) => (v === '500' ? x.status === 200 : x.status === 400), v === '500' ? '200' : '400');
    }
    const st = route('/audit/streams/{streamId}');
    for (const v of ['-1', '1.5', '1e2', '9'.repeat(25), '99999', '%20']) await f.send({ route: st, klass: `fromRevision ${v}`, url: `/audit/streams/centre-kc-own?fromRevision=${v}` });
    expect(f.requests).toBeGreaterThan(200);
    expect(f.report()).toEqual([]);
  }, 90_000);

  // -------------------------------------------------------------------------------------------
  /** The URL of route r with path parameter `name` replaced by `raw` (the other parameters as in its valid request). */
  const withPathParam = (r: RouteDoc, name: string, raw: string): string => {
    const url = base.get(r.template)!;
    const { path, query } = splitUrl(url);
    const tpl = r.template.split('/');
    const segs = path.split('/');
    const i = tpl.indexOf(`{${name}}`);
    if (segs.length !== tpl.length || i < 0) throw new Error(`cannot place ${name} in ${url} (${r.template})`);
    segs[i] = raw;
    return joinUrl(segs.join('/'), query);
  };

  it('path ids: case, %2F, dots, very long, Unicode look-alikes, NUL, spaces, overlong UTF-8, prototype names; years and revisions as odd numbers: never 5xx, never a 200 for a thing that is not there', async () => {
    const f = fuzz();
    for (const r of routes) {
      const { path } = splitUrl(base.get(r.template)!);
      const tpl = r.template.split('/');
      const segs = path.split('/');
      for (const p of r.params.filter((x) => x.in === 'path')) {
        const valid = decodeURIComponent(segs[tpl.indexOf(`{${p.name}}`)]);
        const numeric = p.name === 'year' || p.name === 'revision';
        const mutations: [string, string, 'absent' | 'any'][] = numeric
          ? [
              ['year/revision with .0', `${valid}.0`, 'any'],
              ['year/revision with a plus sign', `%2B${valid}`, 'any'],
              ['year/revision with a leading zero', `0${valid}`, 'any'],
              ['year/revision as an exponent', p.name === 'year' ? '2.013e3' : '0e0', 'any'],
              ['year/revision negative', `-${valid}`, 'absent'],
              ['year/revision huge', '9'.repeat(30), 'absent'],
              ['year/revision 2^53+1', '9007199254740993', 'absent'],
              ['year/revision fullwidth digits', enc(valid.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)))), 'any'],
              ['year/revision with a space', `${valid}%20`, 'any'],
              ['year/revision NaN', 'NaN', 'absent'],
              ['year/revision Infinity', 'Infinity', 'absent'],
              ['year/revision hex', '0x7dd', 'any'],
              ['year/revision %00', `${valid}%00`, 'absent'],
            ]
          : [
              ['id in upper case', enc(valid.toUpperCase()), 'any'],
              ['id with %2F', enc(`${valid}/x`), 'absent'],
              ['id %2F..%2F', enc(`../${valid}`), 'absent'],
              ['id ..', '..', 'absent'],
              ['id %2E%2E', '%2E%2E', 'absent'],
              ['id .', '.', 'absent'],
              ['id 300 characters', 'x'.repeat(300), 'absent'],
              ['id 5000 characters', 'x'.repeat(5000), 'absent'],
              ['id with a Cyrillic look-alike', enc(valid.replace(/[oeac]/, (c) => ({ o: 'о', e: 'е', a: 'а', c: 'с' })[c]!)), 'absent'],
              ['id in fullwidth', enc(valid.replace(/[a-z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0))), 'any'],
              ['id with %00', `${valid}%00`, 'absent'],
              ['id with a trailing space', `${valid}%20`, 'any'],
              ['id with a leading space', `%20${valid}`, 'any'],
              ['id with a zero-width space', `${valid}%E2%80%8B`, 'absent'],
              ['id overlong UTF-8 %C0%AE%C0%AE', '%C0%AE%C0%AE', 'absent'],
              ['id lone surrogate %ED%A0%80', '%ED%A0%80', 'absent'],
              ['id %FF', '%FF', 'absent'],
              ['id bare %', '%', 'absent'],
              ['id %25', '%25', 'absent'],
              ['id __proto__', '__proto__', 'absent'],
              ['id constructor', 'constructor', 'absent'],
              ['id hasOwnProperty', 'hasOwnProperty', 'absent'],
              ['id toString', 'toString', 'absent'],
              ['id valueOf', 'valueOf', 'absent'],
              ['id with ;', `${valid}%3Bx`, 'absent'],
              ['id with ?', `${valid}%3F`, 'absent'],
              ['id with #', `${valid}%23`, 'absent'],
              ['id NFD-decomposed å', enc(`${valid}a\u030a`), 'absent'],
            ];
        for (const [klass, raw, must] of mutations) {
          const s: Sent = { route: r, klass: `{${p.name}}: ${klass}`, url: withPathParam(r, p.name, raw) };
          const seen = await f.send(s);
          if (must === 'absent') f.expect(s, seen, (x) => x.status >= 400, 'a 4xx (there is no such thing)');
        }
      }
    }
    expect(f.requests).toBeGreaterThan(700);
    expect(f.report()).toEqual([]);
  }, 90_000);

  /** Whether a 200 in `type` is one the Accept header allows (RFC 9110 §12.5.1, q=0 excludes). */
  const acceptable = (accept: string, type: string): boolean => {
    const ranges = accept.split(',').map((x) => x.trim()).filter(Boolean).map((x) => {
      const [range, ...ps] = x.split(';').map((y) => y.trim().toLowerCase());
      const q = ps.find((y) => y.startsWith('q='));
      return { range, q: q === undefined ? 1 : Number(q.slice(2)) };
    });
    if (!ranges.length) return true;
    const [main] = type.split('/');
    const match = (r: string) => r === type ? 3 : r === `${main}/*` ? 2 : r === '*/*' || r === '*' ? 1 : 0;
    let best = 0;
    let q = 0;
    for (const r of ranges) {
      const m = match(r.range);
      if (m > best) {
        best = m;
        q = r.q;
      }
    }
    return best > 0 && !(q <= 0) && !Number.isNaN(q);
  };

  it('Accept: odd q-values, */*;q=0, unknown types, CSV or XLSX where the route has none, overlong; Accept-Encoding odd values: 200 only in a type the Accept allows, else 406; bodies decode', async () => {
    const f = fuzz();
    const accepts = [
      'application/json;q=2', 'application/json;q=abc', 'application/json;q=-1', 'application/json;q=0.0001', 'application/json;q=0', '*/*;q=0', '*/*;q=0.0',
      'application/xml', 'text/csv', 'text/html', 'text/plain', 'image/png', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', ',', ';q=1', ', ,;', 'application/json;;;', 'application/json;q=', 'application/json;charset=latin1',
      '*/*;q=0.5, application/json;q=0', 'text/csv;q=1, application/json;q=1', 'APPLICATION/JSON', '*', 'application/*', 'text/*', 'text/*;q=0, */*', 'application/json, */*;q=0',
      'application', '/', 'application/json\u00e5', 'x'.repeat(3000), Array.from({ length: 200 }, (_, i) => `type${i}/sub${i};q=0.${i % 10}`).join(', '),
    ];
    const encodings = ['gzip;q=0', 'identity;q=0', '*;q=0', 'identity;q=0, *;q=0', 'br', 'deflate', 'gzip, gzip', 'gzip;q=abc', ', ,', 'x'.repeat(3000), 'compress', 'zstd', 'GZIP', 'gzip;q=1.5'];
    for (const r of routes) {
      const url = base.get(r.template)!;
      for (const accept of accepts) {
        const headers = { Accept: accept.replace(/[^\x20-\x7e]/g, '?') };
        const s: Sent = { route: r, klass: `Accept ${accept.length > 60 ? `${accept.slice(0, 30)}… (${accept.length} chars)` : accept}`, url, headers };
        const seen = await f.send(s);
        const wellFormed = !/q=(abc|-1|2|$)|q=;|;;|^[,; ]*$|^\/$|^application$|^;/.test(accept) && accept.length < 1000; // a malformed Accept may be read as none
        if (wellFormed && r.template !== '/health') {
          f.expect(s, seen, (x) => x.status !== 200 || acceptable(accept, x.contentType.split(';')[0].trim().toLowerCase()), `a 200 in a type ${JSON.stringify(accept.slice(0, 60))} allows, or 406`);
          if (/^\*\/\*;q=0(\.0)?$/.test(accept)) f.expect(s, seen, (x) => x.status === 406 && x.code === 'REQUEST.NOT_ACCEPTABLE', '406 REQUEST.NOT_ACCEPTABLE');
        }
      }
      for (const ae of encodings) {
        const s: Sent = { route: r, klass: `Accept-Encoding ${ae.length > 60 ? `${ae.slice(0, 20)}… (${ae.length} chars)` : ae}`, url, headers: { 'Accept-Encoding': ae } };
        await f.send(s);
      }
    }
    expect(f.report()).toEqual([]);
  }, 120_000);

  it('roles: every route for each role, a finance officer of another county, a board member of the board, no token; 200 or 403 ACCESS.ROLE_NOT_ALLOWED, never ACCESS.OTHER_COUNTY on a read', async () => {
    const f = fuzz();
    for (const r of routes) {
      const url = base.get(r.template)!;
      const answers = new Map<string, Seen>();
      for (const role of Object.keys(auth)) {
        const s: Sent = { route: r, klass: `as ${role}`, url };
        const seen = await f.send(s, auth[role]);
        answers.set(role, seen);
        f.expect(s, seen, (x) => x.status === 200 || (x.status === 403 && x.code === 'ACCESS.ROLE_NOT_ALLOWED'), '200 or 403 ACCESS.ROLE_NOT_ALLOWED');
        if (role === 'admin' || role === 'auditor') f.expect(s, seen, (x) => x.status === 200, '200 (admins and auditors read everything)');
      }
      const own = answers.get('finance-officer')!;
      const other = answers.get('finance-officer@other')!;
      const s: Sent = { route: r, klass: 'finance officer of another county', url };
      if (own.status === 200 && other.status === 200 && !own.contentType.includes('spreadsheetml')) f.expect(s, other, (x) => essence(x) === essence(own), 'the answer the county\'s own finance officer gets (reads are not filtered by county)');
      const none: Sent = { route: r, klass: 'no token', url };
      f.expect(none, await f.send(none, null), (x) => (r.template === '/health' ? x.status === 200 : x.status === 401 && x.code === 'AUTH.MISSING_TOKEN'), r.template === '/health' ? '200' : '401 AUTH.MISSING_TOKEN');
    }
    expect(f.report()).toEqual([]);
  }, 60_000);

  it('unknown and look-alike query parameters: ignored (the same answer) except on /audit and /reports (400 VALIDATION.UNKNOWN_FIELD); misspelt cuts are 400 REQUEST.BAD_AS_OF; prototype names change nothing', async () => {
    const f = fuzz();
    const names: [string, string][] = [
      ['foo', '1'], ['_', String(Date.now())], ['__proto__', 'x'], ['__proto__[admin]', '1'], ['constructor', 'x'], ['constructor[prototype][admin]', '1'], ['hasOwnProperty', '1'],
      ['toString', '1'], ['valueOf', '1'], ['length', '1'], ['%00', '1'], ['', '1'], ['%20', '1'], ['a%00b', '1'], ['x'.repeat(300), '1'], ['%C0%AE', '1'],
    ];
    const misspelt = ['asof', 'AsOf', 'as_of', 'as-of', 'ASOF', 'atposition', 'at_position', 'AtPosition'];
    for (const r of routes) {
      if (r.template === '/health') continue;
      const url = base.get(r.template)!;
      const strict = r.template.startsWith('/audit') || r.template.startsWith('/reports');
      const want = essence(await f.send({ route: r, klass: 'valid request', url }));
      for (const [k, v] of names) {
        const s: Sent = { route: r, klass: `unknown parameter ${k.length > 40 ? `${k.slice(0, 10)}…` : k}`, url: `${url}${url.includes('?') ? '&' : '?'}${k}=${v}` };
        const seen = await f.send(s);
        if (strict) f.expect(s, seen, (x) => x.status === 400, '400 (VALIDATION.UNKNOWN_FIELD: the audit and report routes check their query whole)');
        else if (!r.template.includes('xlsx')) f.expect(s, seen, (x) => essence(x) === want, 'the answer without it (an unknown parameter is ignored)');
      }
      for (const k of misspelt) {
        const s: Sent = { route: r, klass: `misspelt cut ${k}`, url: `${url}${url.includes('?') ? '&' : '?'}${k}=2014-06-01` };
        f.expect(s, await f.send(s), isBadRequest('REQUEST.BAD_AS_OF'), '400 REQUEST.BAD_AS_OF (did you mean …?)');
      }
      if (takes(r, 'asOf') && r.template !== '/audit/position-at') {
        const plain = essence(await f.send({ route: r, klass: 'asOf', url: withParam(url, 'asOf', [['asOf', '2014-10-26']]) }));
        const s: Sent = { route: r, klass: 'asOf with a percent-encoded name', url: withParam(url, 'asOf', [['%61sOf', '2014-10-26']]) };
        f.expect(s, await f.send(s), (x) => essence(x) === plain, 'the answer of asOf=2014-10-26 (the name decodes to asOf)');
      }
    }
    expect(f.report()).toEqual([]);
  }, 90_000);
});
