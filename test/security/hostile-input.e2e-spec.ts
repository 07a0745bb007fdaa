import { SignJWT } from 'jose';
import { Role } from '../../libs/domain/src/shared';
import { TEST_JWT_SECRET } from '../helpers/test-app';
import { ACCESS_MATRIX, RouteSpec } from './access-matrix';
import { bodyClasses, FieldKind, fieldKinds } from './dto-meta';
import { LEAKS } from './leaks';
import { Built, OWN, World } from './world';

/**
 * At least 5,000 generated hostile requests against every write route: wrong types, unknown
 * fields, negative / NaN / huge / fractional-øre amounts, malformed ids, oversized bodies, deep
 * JSON, broken JSON, wrong media types, missing / forged / expired / role-less tokens, roles that
 * may not write, and ids of another county. Nothing may be appended (the log's length before and
 * after is equal), no answer may be ≥ 500, and each must be the 4xx its kind of attack calls for.
 */

interface Attack {
  route: string;
  kind: string;
  method: 'POST';
  path: string;
  /** A JSON value, or raw text when `raw` is set. */
  body?: unknown;
  raw?: string;
  contentType?: string;
  authorization?: string | null;
  expect: number[];
}

const MONEY_FIELD = /amount|estimatedValue|annualCost|baseGrant/i;
const BAD_MONEY: unknown[] = ['-100.00', '-0.01', 'NaN', 'Infinity', '-Infinity', '1e6', '12.345', '0.001', '100000000000000.01', '99999999999999999999', '1 000', '12,50', '0x10', '', ' 100', '0', '0.00', '+5', '١٠٠', '1.', '.5', 1000.5, -1, 0, 1e21, true, [], {}];
const BAD_IDS: unknown[] = ['../etc/passwd', 'a b', 'x'.repeat(65), '<script>alert(1)</script>', '', 'ø-id', '-leading', 'id\u0000nul', "x' OR '1'='1", '😀', ' padded ', 'a/b'];
const WRONG_TYPES: Record<string, unknown[]> = {
  string: [true, false, 12345, { x: 1 }, [1], [['nested']]],
  number: [true, 'abc', { x: 1 }, [1], '', 'NaN'],
  boolean: ['true', 1, 0, { x: 1 }, [true]],
  object: [true, 'x', 1, [1], 'null'],
  array: [true, 'x', 1, { x: 1 }, [[[]]], [{ bad: { deeper: true } }]],
};
const UNKNOWN_FIELDS: [string, unknown][] = [
  ['isAdmin', true],
  ['actorId', 'mallory'],
  ['position', 1],
  ['hash', '00'],
  ['recordedAt', '2001-01-01T00:00:00Z'],
  ['constructor', { prototype: { polluted: true } }],
  ['$where', '1'],
  ['metadata', { actorRole: 'admin' }],
  ['streamId', 'county-telemark'],
  ['eventId', '00000000-0000-0000-0000-000000000000'],
  ['expectedRevision', 'any'],
];

const typeOf = (v: unknown): keyof typeof WRONG_TYPES => (Array.isArray(v) ? 'array' : v === null ? 'object' : (typeof v as keyof typeof WRONG_TYPES));

const roleFor = (spec: RouteSpec): Role => {
  const roles = spec.roles as Role[];
  return (['finance-officer', 'board-member', 'vox', 'admin'] as Role[]).find((r) => roles.includes(r))!;
};

describe('hostile input against every write route', () => {
  let w: World;
  beforeAll(async () => {
    w = await World.create();
  }, 120_000);
  afterAll(() => w?.close());

  it('records nothing, never answers ≥ 500, and answers each attack with its 4xx', async () => {
    const now = Math.floor(Date.now() / 1000);
    const secret = new TextEncoder().encode(TEST_JWT_SECRET);
    const sign = (claims: Record<string, unknown>, key: Uint8Array = secret, exp = now + 600) =>
      new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setSubject(String(claims.sub ?? 'mallory')).setIssuedAt(now).setExpirationTime(exp).sign(key);
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const valid = await w.t.token('admin', [], 'hostile-admin');
    const badTokens: [string, string | null][] = [
      ['no token', null],
      ['empty bearer', 'Bearer'],
      ['not a jwt', 'Bearer not.a.jwt'],
      ['basic auth', 'Basic dXNlcjpwYXNz'],
      ['forged signature', `Bearer ${await sign({ roles: ['admin'], counties: [] }, new TextEncoder().encode('guessed-secret'))}`],
      ['expired', `Bearer ${await sign({ roles: ['admin'], counties: [] }, secret, now - 60)}`],
      ['alg none', `Bearer ${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'mallory', roles: ['admin'], exp: now + 600 })}.`],
      ['no roles', `Bearer ${await sign({ roles: [], counties: [OWN] })}`],
      ['unknown role', `Bearer ${await sign({ roles: ['superuser'], counties: [OWN] })}`],
      ['tampered signature', `Bearer ${valid.slice(0, -3)}${valid.slice(-3) === 'AAA' ? 'BBB' : 'AAA'}`],
      ['token in query, not header', null],
    ];

    // Phase 1: every valid request to mutate, and the other county's objects (setup writes happen here).
    const classes = bodyClasses(w.t.app);
    const writes = Object.entries(ACCESS_MATRIX).filter(([, s]) => s.write);
    expect(writes.length).toBeGreaterThan(40);
    const attacks: Attack[] = [];
    const tokens = new Map<string, string>();
    const auth = async (role: Role, sub?: string) => {
      const key = `${role}/${sub}`;
      if (!tokens.has(key)) tokens.set(key, `Bearer ${await w.t.token(role, [OWN], sub ?? `hostile-${role}`)}`);
      return tokens.get(key)!;
    };
    for (const [route, spec] of writes) {
      const role = roleFor(spec);
      const base: Built = await spec.build(w, 'own', role);
      const token = await auth(role, role === 'board-member' || role === 'finance-officer' ? base.sub : undefined);
      const body = (base.body ?? {}) as Record<string, unknown>;
      const cls = classes.get(route);
      if (!cls) throw new Error(`no body class found for ${route}`);
      const kinds: Record<string, FieldKind> = fieldKinds(cls);
      const add = (kind: string, over: Partial<Attack>, expectStatus: number[]) => attacks.push({ route, kind, method: 'POST', path: base.path, body, authorization: token, expect: expectStatus, ...over });

      for (const [label, header] of badTokens) {
        add(`token: ${label}`, { authorization: header, path: label.includes('query') ? `${base.path}?access_token=${valid}` : base.path }, [401]);
        add(`token: ${label} + unknown field`, { authorization: header, body: { ...body, isAdmin: true } }, [401]);
        add(`token: ${label} + no body`, { authorization: header, body: {} }, [401]);
        add(`token: ${label} + negative amount`, { authorization: header, body: { ...body, amount: '-1000.00' } }, [401]);
      }
      for (const other of (['finance-officer', 'board-member', 'vox', 'auditor', 'admin'] as Role[]).filter((r) => !(spec.roles as Role[]).includes(r))) {
        add(`role ${other} may not write`, { authorization: await auth(other) }, [403]);
      }
      if (spec.scope !== 'none') {
        const foreign = await spec.build(w, 'other', role);
        add('ids of another county', { path: foreign.path, body: foreign.body }, [403]);
      }
      for (const [field, value] of UNKNOWN_FIELDS) if (!(field in body)) add(`unknown field ${field}`, { body: { ...body, [field]: value } }, [400]);
      for (const [field, value] of Object.entries(body)) {
        const kind = kinds[field] ?? 'required';
        const expectType = kind === 'domain' ? [400, 422] : [400];
        for (const wrong of WRONG_TYPES[typeOf(value)]) {
          if (kind === 'domain' && (typeof wrong === 'string' || typeof wrong === 'number')) continue; // e.g. fte takes "0.5" or 0.5
          add(`wrong type ${field}=${JSON.stringify(wrong)}`, { body: { ...body, [field]: wrong } }, expectType);
        }
        if (kind === 'required') add(`missing ${field}`, { body: Object.fromEntries(Object.entries(body).filter(([k]) => k !== field)) }, [400]);
        if (kind === 'required') add(`null ${field}`, { body: { ...body, [field]: null } }, [400]);
        if (typeof value === 'string' && MONEY_FIELD.test(field)) for (const bad of BAD_MONEY) add(`money ${field}=${JSON.stringify(bad)}`, { body: { ...body, [field]: bad } }, [400]);
        if (typeof value === 'string' && /Id$/.test(field) && kind !== 'domain') for (const bad of BAD_IDS) add(`id ${field}=${JSON.stringify(bad)}`, { body: { ...body, [field]: bad } }, [400]);
        if (typeof value === 'string' && !/Id$/.test(field) && !MONEY_FIELD.test(field)) add(`huge string ${field}`, { body: { ...body, [field]: 'x'.repeat(20_000) } }, [400]);
      }
      add('oversized body', { body: { ...body, padding: 'x'.repeat(70_000) } }, [413]);
      add('deep JSON', { raw: `{"a":${'['.repeat(64)}${']'.repeat(64)}}`, contentType: 'application/json' }, [400]);
      add('deep JSON in a known field', { body: { ...body, [Object.keys(body)[0] ?? 'x']: JSON.parse(`${'{"a":'.repeat(40)}1${'}'.repeat(40)}`) } }, [400]);
      add('broken JSON', { raw: JSON.stringify(body).slice(0, -1), contentType: 'application/json' }, [400]);
      add('JSON with a trailing comma', { raw: `${JSON.stringify(body).slice(0, -1)},}`, contentType: 'application/json' }, [400]);
      add('__proto__ pollution', { raw: `{"__proto__":{"admin":true},${JSON.stringify(body).slice(1)}`, contentType: 'application/json' }, [400]);
      add('body is an array', { body: [body] }, [400]);
      add('body is a number', { raw: '42', contentType: 'application/json' }, [400]);
      add('body is a string', { raw: '"hello"', contentType: 'application/json' }, [400]);
      add('body is null', { raw: 'null', contentType: 'application/json' }, [400]);
      add('empty body', { raw: '', contentType: 'application/json' }, [400]);
      add('form-encoded body', { raw: 'a=1&b=2', contentType: 'application/x-www-form-urlencoded' }, [415]);
      add('XML body', { raw: '<a>1</a>', contentType: 'application/xml' }, [415]);
      add('JSON sent as text/plain', { raw: JSON.stringify(body), contentType: 'text/plain' }, [415]);
      const firstParam = /\/:([A-Za-z]+)/.exec(route);
      if (firstParam) {
        const segments = base.path.split('/');
        const idx = route.split(' ')[1].split('/').findIndex((s) => s === `:${firstParam[1]}`);
        for (const bad of ['bad id!', '..', '%00', 'x'.repeat(300)]) {
          const p = [...segments];
          p[idx] = encodeURIComponent(bad);
          // 400 (not an id), 404 (no such object), 403 (not this officer's county) or 414 (too long for a URL): all refusals.
          add(`path ${firstParam[1]}=${JSON.stringify(bad)}`, { path: p.join('/') }, [400, 403, 404, 414]);
        }
      }
    }
    expect(attacks.length).toBeGreaterThanOrEqual(5000);

    // Phase 2: the attacks, with the log's length before and after.
    const before = await w.t.store.headPosition();
    const wrong: string[] = [];
    const byStatus = new Map<number, number>();
    for (const a of attacks) {
      const req = w.t.http().post(a.path);
      if (a.authorization) req.set('Authorization', a.authorization);
      let res;
      if (a.raw !== undefined) res = await req.set('Content-Type', a.contentType ?? 'application/json').send(a.raw);
      else res = await req.set('Content-Type', 'application/json').send(JSON.stringify(a.body));
      byStatus.set(res.status, (byStatus.get(res.status) ?? 0) + 1);
      const leak = LEAKS.test(JSON.stringify(res.body ?? '')) || LEAKS.test(res.text ?? '');
      if (!a.expect.includes(res.status) || leak) wrong.push(`${a.route} | ${a.kind} → ${res.status} (expected ${a.expect.join('/')})${leak ? ' LEAK' : ''} ${JSON.stringify(res.body).slice(0, 160)}`);
    }
    const after = await w.t.store.headPosition();

    expect({ appended: after - before, wrong: wrong.slice(0, 200) }).toEqual({ appended: 0, wrong: [] });
    expect([...byStatus.keys()].filter((s) => s >= 500)).toEqual([]);
    expect(wrong.length).toBe(0);
    // Every answer was a client error.
    expect([...byStatus.keys()].every((s) => s >= 400 && s < 500)).toBe(true);
  }, 600_000);
});
