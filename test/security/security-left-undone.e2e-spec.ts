import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { rawGet } from '../helpers/raw-get';
import { startTestApp, TestApp, TEST_JWT_SECRET } from '../helpers/test-app';

/**
 * The four findings the security review (security-review.e2e-spec.ts) left open, each checked as the
 * ledger should behave:
 *  1. a token's lifetime is bounded (LEDGER_JWT_MAX_HOURS, 24 h by default), local and JWKS tokens alike;
 *  2. a look-alike party or centre name in Unicode compatibility forms (fullwidth letters) is the same name;
 *  3. behind a trusted proxy an IPv6 client is one budget per /64, and `::ffff:a.b.c.d` is `a.b.c.d`;
 *  4. every request counts towards the rate limit, URLs the router refuses included.
 */

type Auth = { Authorization: string };
const nowS = () => Math.floor(Date.now() / 1000);
const HOUR = 3600;
const secret = new TextEncoder().encode(TEST_JWT_SECRET);
/** An HS256 token with exactly these claims (jose adds nothing). */
const hs = (claims: Record<string, unknown>) => new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(secret);
const base = (over: Record<string, unknown> = {}) => ({ sub: 'slu-probe', name: 'Probe', roles: ['auditor'], counties: [], iat: nowS(), exp: nowS() + 600, ...over });
const bearer = (token: string): Auth => ({ Authorization: `Bearer ${token}` });
const refusal = (res: { status: number; body: any }) => [res.status, res.body?.code];
/** Without `undefined` keys: a claim left out, not sent as null. */
const without = (o: Record<string, unknown>, key: string) => Object.fromEntries(Object.entries(o).filter(([k]) => k !== key));

// ------------------------------------------------------------------ 1. the token's lifetime

describe('security left undone: a token may be valid for at most LEDGER_JWT_MAX_HOURS (24 h by default)', () => {
  let t: TestApp;
  // The test helper lets its servers accept tokens of a week (its tokens live three days); empty is the default, 24 h.
  beforeAll(async () => {
    t = await startTestApp({ env: { LEDGER_JWT_MAX_HOURS: '', LEDGER_RATE_LIMIT_PER_MINUTE: '0' } });
  });
  afterAll(() => t?.close());
  const status = async (claims: Record<string, unknown>) => refusal(await t.http().get('/counties').set(bearer(await hs(claims))));

  it('a token whose exp is a century after its iat is 401 AUTH.TOKEN_INVALID with a message saying the limit, and WWW-Authenticate invalid_token', async () => {
    const res = await t.http().get('/counties').set(bearer(await hs(base({ exp: nowS() + 100 * 365 * 86400 }))));
    expect(refusal(res)).toEqual([401, 'AUTH.TOKEN_INVALID']);
    expect(res.body.message).toMatch(/24 hours/);
    expect(res.body.details).toEqual({ maxHours: 24 });
    expect(res.headers['www-authenticate']).toBe('Bearer realm="ledger", error="invalid_token"');
  });

  it('exp more than 24 h after iat is refused, 24 h is let in; the CLI\'s 8-hour token is let in', async () => {
    const iat = nowS();
    expect(await status(base({ iat, exp: iat + 24 * HOUR + 1 }))).toEqual([401, 'AUTH.TOKEN_INVALID']);
    expect(await status(base({ iat, exp: iat + 8 * 24 * HOUR }))).toEqual([401, 'AUTH.TOKEN_INVALID']);
    expect(await status(base({ iat, exp: iat + 24 * HOUR }))).toEqual([200, undefined]);
    // Issued earlier with a long lifetime: refused though it has less than 24 h left.
    expect(await status(base({ iat: iat - 48 * HOUR, exp: iat + HOUR }))).toEqual([401, 'AUTH.TOKEN_INVALID']);
    expect(refusal(await t.http().get('/counties').set(bearer(await t.tokens.issue({ sub: 'slu-cli', name: 'CLI', roles: ['auditor'], counties: [] }))))).toEqual([200, undefined]);
  });

  it('without iat, or with an iat in the future, the lifetime is counted from now: exp a century ahead is refused either way', async () => {
    expect(await status(without(base({ exp: nowS() + 100 * 365 * 86400 }), 'iat'))).toEqual([401, 'AUTH.TOKEN_INVALID']);
    expect(await status(without(base({ exp: nowS() + 25 * HOUR }), 'iat'))).toEqual([401, 'AUTH.TOKEN_INVALID']);
    expect(await status(without(base({ exp: nowS() + 23 * HOUR }), 'iat'))).toEqual([200, undefined]);
    // iat a century ahead and exp an hour after it: valid for a century from now.
    const later = nowS() + 100 * 365 * 86400;
    expect(await status(base({ iat: later, exp: later + HOUR }))).toEqual([401, 'AUTH.TOKEN_INVALID']);
    // An issuer whose clock is two minutes ahead, issuing a 24-hour token: let in.
    expect(await status(base({ iat: nowS() + 120, exp: nowS() + 120 + 24 * HOUR }))).toEqual([200, undefined]);
  });

  it('LEDGER_JWT_MAX_HOURS sets the bound (48: a 30-hour token is let in, a 49-hour one refused)', async () => {
    const wide = await startTestApp({ env: { LEDGER_JWT_MAX_HOURS: '48', LEDGER_RATE_LIMIT_PER_MINUTE: '0' } });
    try {
      const get = async (claims: Record<string, unknown>) => (await wide.http().get('/counties').set(bearer(await hs(claims)))).status;
      expect([await get(base({ exp: nowS() + 30 * HOUR })), await get(base({ exp: nowS() + 49 * HOUR }))]).toEqual([200, 401]);
    } finally {
      await wide.close();
    }
  });

  describe('tokens from an identity provider (JWKS, RS256)', () => {
    let server: Server;
    let jwks: TestApp;
    let sign: (claims: Record<string, unknown>) => Promise<string>;
    beforeAll(async () => {
      const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
      const jwk = { ...(await exportJWK(publicKey)), kid: 'idp-1', alg: 'RS256', use: 'sig' };
      server = createServer((_req, res) => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ keys: [jwk] }));
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      sign = (claims) => new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'idp-1' }).sign(privateKey);
      jwks = await startTestApp({ env: { LEDGER_JWKS_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`, LEDGER_JWT_MAX_HOURS: '', LEDGER_RATE_LIMIT_PER_MINUTE: '0' } });
    });
    afterAll(async () => {
      await jwks?.close();
      await new Promise<void>((r) => server.close(() => r()));
    });

    it("the provider's token valid for a year, or for 25 hours, is refused; one of an hour is let in", async () => {
      const get = async (claims: Record<string, unknown>) => refusal(await jwks.http().get('/counties').set(bearer(await sign(claims))));
      expect(await get(base({ exp: nowS() + 365 * 86400 }))).toEqual([401, 'AUTH.TOKEN_INVALID']);
      expect(await get(base({ exp: nowS() + 25 * HOUR }))).toEqual([401, 'AUTH.TOKEN_INVALID']);
      expect(await get(base({ exp: nowS() + HOUR }))).toEqual([200, undefined]);
    });
  });
});

// ------------------------------------------------------------------ 2. look-alike names

describe('security left undone: a party or centre name in fullwidth letters is the same name', () => {
  let t: TestApp;
  let fo: Auth;
  const post = (path: string, body: object, auth: Auth = fo) => t.http().post(path).set(auth).send(body);
  beforeAll(async () => {
    t = await startTestApp({ seed: true, env: { LEDGER_RATE_LIMIT_PER_MINUTE: '0' } });
    fo = await t.auth('finance-officer', ['telemark'], 'slu-fo');
    expect((await post('/parties', { partyId: 'slu-tfk', name: 'Telemark fylkeskommune', kind: 'county-authority', countyId: 'telemark' })).status).toBe(201);
    expect((await post('/centres', { centreId: 'slu-kc', countyId: 'telemark', name: 'Karrieresenteret Notodden', municipality: 'Notodden', openedOn: '2010-01-01' })).status).toBe(201);
  });
  afterAll(() => t?.close());

  it('registering `ｔｅｌｅｍａｒｋ fylkeskommune` beside Telemark fylkeskommune is 409 PARTY.NAME_TAKEN naming it; nothing recorded', async () => {
    const before = await t.store.headPosition();
    for (const [i, name] of ['ｔｅｌｅｍａｒｋ fylkeskommune', 'ＴＥＬＥＭＡＲＫ　ＦＹＬＫＥＳＫＯＭＭＵＮＥ'].entries()) {
      const res = await post('/parties', { partyId: `slu-look-${i}`, name, kind: 'county-authority', countyId: 'telemark' });
      expect([name, ...refusal(res), res.body.details?.partyId]).toEqual([name, 409, 'PARTY.NAME_TAKEN', 'slu-tfk']);
    }
    expect(await t.store.headPosition()).toBe(before);
  });

  it('a ligature (ﬁ) is the letters it joins: "Fiskevåg kommune" written "ﬁskevåg kommune" clashes', async () => {
    expect((await post('/parties', { partyId: 'slu-fisk', name: 'Fiskevåg kommune', kind: 'municipality', countyId: 'telemark' })).status).toBe(201);
    expect(refusal(await post('/parties', { partyId: 'slu-fisk-2', name: 'ﬁskevåg kommune', kind: 'municipality', countyId: 'telemark' }))).toEqual([409, 'PARTY.NAME_TAKEN']);
  });

  it('a rename of another party to the fullwidth name is 409 PARTY.NAME_TAKEN too', async () => {
    expect((await post('/parties', { partyId: 'slu-other', name: 'Vestfold og Telemark fylkeskommune', kind: 'county-authority', countyId: 'telemark' })).status).toBe(201);
    const res = await post('/parties/slu-other/rename', { name: 'ｔｅｌｅｍａｒｋ fylkeskommune' });
    expect([...refusal(res), res.body.details?.partyId]).toEqual([409, 'PARTY.NAME_TAKEN', 'slu-tfk']);
  });

  it('a centre registered or renamed to `ｋａｒｒｉｅｒｅｓｅｎｔｅｒｅｔ Notodden` is 409 CENTRE.NAME_TAKEN naming the other', async () => {
    const look = 'ｋａｒｒｉｅｒｅｓｅｎｔｅｒｅｔ Notodden';
    const reg = await post('/centres', { centreId: 'slu-kc-look', countyId: 'telemark', name: look, municipality: 'Notodden', openedOn: '2011-01-01' });
    expect([...refusal(reg), reg.body.details?.centreId]).toEqual([409, 'CENTRE.NAME_TAKEN', 'slu-kc']);
    expect((await post('/centres', { centreId: 'slu-kc-2', countyId: 'telemark', name: 'Karrieresenteret Bø', municipality: 'Bø', openedOn: '2011-01-01' })).status).toBe(201);
    const ren = await post('/centres/slu-kc-2/rename', { name: look, effectiveFrom: '2012-01-01' });
    expect([...refusal(ren), ren.body.details?.centreId]).toEqual([409, 'CENTRE.NAME_TAKEN', 'slu-kc']);
  });

  it('only the comparison folds: a name in fullwidth letters with no twin is kept as it was given', async () => {
    const name = 'Ｓｋｉｅｎ kommune';
    expect((await post('/parties', { partyId: 'slu-skien', name, kind: 'municipality', countyId: 'telemark' })).status).toBe(201);
    expect((await t.http().get('/parties/slu-skien').set(fo).set('X-Ledger-Position', String(await t.store.headPosition()))).body.name).toBe(name);
  });
});

// ------------------------------------------------------------------ 3 and 4. the rate limit

describe('security left undone: the rate limit', () => {
  const apps: TestApp[] = [];
  const start = async (env: Record<string, string>) => {
    const t = await startTestApp({ env: { LEDGER_RATE_LIMIT_PER_MINUTE: '3', ...env } });
    apps.push(t);
    return t;
  };
  afterAll(async () => {
    for (const t of apps) await t.close();
  });

  it('behind a trusted proxy, every IPv6 address of one /64 shares one budget; another /64 has its own', async () => {
    const t = await start({ LEDGER_TRUST_PROXY: 'loopback' });
    const server = t.app.getHttpServer();
    const auth = await t.auth('auditor', [], 'slu-v6');
    const from = (client: string) => ({ ...auth, 'x-forwarded-for': client });
    const codes: number[] = [];
    // Four addresses of 2001:db8:1:2::/64, written every way (a cached answer after the first).
    for (const client of ['2001:db8:1:2::a', '2001:db8:1:2:ffff:ffff:ffff:fffe', '2001:DB8:1:2::b', '2001:0db8:0001:0002:0:0:0:c']) codes.push((await rawGet(server, '/counties', from(client))).statusCode);
    expect(codes).toEqual([200, 200, 200, 429]);
    // The neighbouring /64 is another subscriber.
    expect((await rawGet(server, '/counties', from('2001:db8:1:3::a'))).statusCode).toBe(200);
  });

  it('behind a trusted proxy, `::ffff:a.b.c.d` (or a.b.c.d with a port the proxy appended) is the client a.b.c.d: one budget for every spelling', async () => {
    const t = await start({ LEDGER_TRUST_PROXY: 'loopback' });
    const server = t.app.getHttpServer();
    const auth = await t.auth('auditor', [], 'slu-mapped');
    const codes: number[] = [];
    for (const client of ['203.0.113.5', '::ffff:203.0.113.5', '::FFFF:cb00:7105', '203.0.113.5:51234']) codes.push((await rawGet(server, '/counties', { ...auth, 'x-forwarded-for': client })).statusCode);
    expect(codes).toEqual([200, 200, 200, 429]);
    expect((await rawGet(server, '/counties', { ...auth, 'x-forwarded-for': '203.0.113.6' })).statusCode).toBe(200);
  });

  it('URLs the router refuses (bad percent-encoding, a parameter too long) count towards the limit, and are 429 once it is spent', async () => {
    const t = await start({});
    const server = t.app.getHttpServer();
    const bad = ['/centres/%E0%A4%A', `/centres/${'a'.repeat(200)}`, '/%ZZ'];
    const first = [];
    for (const url of bad) {
      const r = await rawGet(server, url);
      first.push([r.statusCode, JSON.parse(r.body).code, r.headers['x-ratelimit-remaining']]);
    }
    expect(first).toEqual([
      [400, 'REQUEST.BAD_URL', '2'],
      [414, 'REQUEST.BAD_URL', '1'],
      [400, 'REQUEST.BAD_URL', '0'],
    ]);
    // The budget is spent: a routed request, and a refused URL, are 429 (with Retry-After and the security headers).
    const routed = await rawGet(server, '/counties', await t.auth('auditor', [], 'slu-bad-url'));
    const again = await rawGet(server, '/centres/%E0%A4%A');
    expect([routed.statusCode, again.statusCode, JSON.parse(again.body).code]).toEqual([429, 429, 'RATE_LIMITED']);
    expect(again.headers['retry-after']).toBeDefined();
    expect(again.headers['x-content-type-options']).toBe('nosniff');
  });

  it('addresses no route takes (404, 405) count and are 429 once the budget is spent; /health stays exempt', async () => {
    const t = await start({});
    const server = t.app.getHttpServer();
    const codes: number[] = [];
    for (const [url, method] of [['/no/such/route', 'GET'], ['/nowhere', 'HEAD'], ['/counties', 'DELETE'], ['/no/such/route', 'GET'], ['/counties', 'DELETE']]) codes.push((await rawGet(server, url, {}, method)).statusCode);
    expect(codes).toEqual([404, 404, 405, 429, 429]);
    expect([(await rawGet(server, '/health')).statusCode, (await rawGet(server, '/health', {}, 'HEAD')).statusCode]).toEqual([200, 200]);
    // POST /health is not a probe: limited as any other request.
    expect((await rawGet(server, '/health', {}, 'POST')).statusCode).toBe(429);
  });
});
