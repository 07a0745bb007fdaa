import { createHmac } from 'node:crypto';
import { createServer, Server } from 'node:http';
import { AddressInfo, connect } from 'node:net';
import { exportJWK, generateKeyPair, importJWK, SignJWT } from 'jose';
import { SECURITY_HEADERS } from '../../apps/api/src/http/security-headers';
import { rawGet } from '../helpers/raw-get';
import { startTestApp, TestApp, TEST_JWT_SECRET } from '../helpers/test-app';
import { ACCESS_MATRIX } from './access-matrix';
import { LEAKS } from './leaks';
import { OTHER, OWN, World } from './world';

/**
 * Security review: the gaps the other security specs leave (auth-edge-cases, hostile-input,
 * access-matrix, authorization-review, hardening). Each check states what the ledger should do;
 * a failing check is a finding (see the report that came with this file), not a mistake in the check.
 *
 * OWN = telemark (the finance officer's county in every token), OTHER = ostfold.
 */

type Auth = { Authorization: string };
const nowS = () => Math.floor(Date.now() / 1000);
const secret = new TextEncoder().encode(TEST_JWT_SECRET);
const b64 = (o: unknown) => Buffer.from(typeof o === 'string' ? o : JSON.stringify(o)).toString('base64url');
/** An HS256 token with exactly these claims (jose adds nothing). */
const hs = (claims: Record<string, unknown>, key: Uint8Array = secret, header: Record<string, unknown> = { alg: 'HS256', typ: 'JWT' }) =>
  new SignJWT(claims).setProtectedHeader(header as { alg: string }).sign(key);
/** A token whose header and payload are written by hand (raw JSON text), signed HMAC-SHA256 with the ledger's secret. */
const handSigned = (header: object | string, payloadJson: string, key = TEST_JWT_SECRET) => {
  const signingInput = `${b64(header)}.${b64(payloadJson)}`;
  return `${signingInput}.${createHmac('sha256', key).update(signingInput).digest('base64url')}`;
};
const base = (over: Record<string, unknown> = {}) => ({ sub: 'sr-probe', name: 'Probe', roles: ['admin'], counties: [], iat: nowS(), exp: nowS() + 600, ...over });
const bearer = (token: string): Auth => ({ Authorization: `Bearer ${token}` });
const refusal = (res: { status: number; body: any }) => [res.status, res.body?.code];
const ERROR_KEYS = ['code', 'details', 'message', 'statusCode'];

describe('security review', () => {
  let w: World;
  let fo: Auth; // finance officer of telemark
  const head = () => w.t.store.headPosition();
  const post = (auth: Auth, path: string, body: object, headers: Record<string, string> = {}) => w.t.http().post(path).set(auth).set(headers).send(body);
  const getAs = (auth: Auth, path: string) => w.t.http().get(path).set(auth);

  beforeAll(async () => {
    w = await World.create();
    fo = await w.t.auth('finance-officer', [OWN], 'sr-fo-telemark');
  }, 180_000);
  afterAll(() => w?.close());

  // ------------------------------------------------------------------ tokens (HS256, the local secret)

  describe('tokens', () => {
    it('algorithm confusion with the ledger secret is refused: HS384/HS512 keyed with it, an RS256/ES256/PS256/none/"hs256"/"HS256 " header over an HMAC-SHA256 signature, an unknown crit header', async () => {
      const claims = base();
      const payload = JSON.stringify(claims);
      const cases: Record<string, string> = {
        hs384SameSecret: await hs(claims, secret, { alg: 'HS384' }),
        hs512SameSecret: await hs(claims, secret, { alg: 'HS512' }),
        rs256Header: handSigned({ alg: 'RS256', typ: 'JWT' }, payload),
        es256Header: handSigned({ alg: 'ES256', typ: 'JWT' }, payload),
        ps256Header: handSigned({ alg: 'PS256', typ: 'JWT' }, payload),
        noneWithSignature: handSigned({ alg: 'none', typ: 'JWT' }, payload),
        lowercaseAlg: handSigned({ alg: 'hs256', typ: 'JWT' }, payload),
        paddedAlg: handSigned({ alg: 'HS256 ', typ: 'JWT' }, payload),
        unknownCrit: handSigned({ alg: 'HS256', crit: ['x-ledger'], 'x-ledger': 1 }, payload),
        headerNotObject: handSigned('"HS256"', payload),
      };
      const got: Record<string, number> = {};
      for (const [name, token] of Object.entries(cases)) got[name] = (await getAs(bearer(token), '/counties')).status;
      expect(got).toEqual(Object.fromEntries(Object.keys(cases).map((k) => [k, 401])));
      // control: the same claims, signed the one accepted way, are let in
      expect((await getAs(bearer(handSigned({ alg: 'HS256', typ: 'JWT' }, payload)), '/counties')).status).toBe(200);
    });

    it('a token whose exp is 1e400 (parsed as Infinity: it would never expire) is refused', async () => {
      const token = handSigned({ alg: 'HS256', typ: 'JWT' }, `{"sub":"sr-forever","roles":["admin"],"counties":[],"iat":${nowS()},"exp":1e400}`);
      const res = await getAs(bearer(token), '/counties');
      expect(refusal(res)).toEqual([401, 'AUTH.TOKEN_INVALID']);
    });


    it('time claims of the wrong type are refused: nbf or iat as text, null or a list; exp as a boolean', async () => {
      const got: Record<string, number> = {};
      for (const [name, over] of Object.entries({ nbfText: { nbf: 'soon' }, nbfNull: { nbf: null }, iatText: { iat: 'now' }, iatList: { iat: [nowS()] }, expBool: { exp: true } })) {
        got[name] = (await getAs(bearer(await hs(base(over))), '/counties')).status;
      }
      expect(got).toEqual({ nbfText: 401, nbfNull: 401, iatText: 401, iatList: 401, expBool: 401 });
    });

    it('sub is 1–255 characters: 255 is let in, 256 and 4,000 are 401 AUTH.TOKEN_INVALID', async () => {
      const status = async (sub: string) => refusal(await getAs(bearer(await hs(base({ sub }))), '/counties'));
      expect([await status('s'.repeat(255)), await status('s'.repeat(256)), await status('s'.repeat(4000))]).toEqual([
        [200, undefined],
        [401, 'AUTH.TOKEN_INVALID'],
        [401, 'AUTH.TOKEN_INVALID'],
      ]);
    });

    it('a sub holding control characters, or nothing visible, is refused (an actor recorded so cannot be searched: /audit/events?actor= refuses control characters)', async () => {
      const got: Record<string, number> = {};
      for (const sub of ['sr-evil\nseed-admin', 'sr\u0000admin', 'sr\u007fadmin', 'sr\u0085x', ' ', '\u200b']) {
        got[JSON.stringify(sub)] = (await getAs(bearer(await hs(base({ sub }))), '/counties')).status;
      }
      // (DEL is not escaped by JSON.stringify, so the keys are not spelt out here: six subjects, each 401.)
      expect([Object.keys(got).length, new Set(Object.values(got))]).toEqual([6, new Set([401])]);
    });

    it('no other claim grants a role or a county: role/isAdmin/scope/groups/realm_access/actingRole on an auditor token, county/countyId beside counties', async () => {
      const before = await head();
      const auditorDressedUp = await hs(
        base({ sub: 'sr-dressed', roles: ['auditor'], role: 'admin', isAdmin: true, admin: true, scope: 'admin ledger:write', scp: ['admin'], groups: ['admin'], realm_access: { roles: ['admin'] }, 'https://ledger/roles': ['admin'], actingRole: 'admin', counties: [OWN] }),
      );
      const county = await post(bearer(auditorDressedUp), '/counties', { countyId: 'sr-dressed', name: 'Dressed', countyNumber: w.freshCountyNumber() });
      const centre = await post(bearer(auditorDressedUp), '/centres', { centreId: w.id('kc-dressed'), countyId: OWN, name: 'Dressed', municipality: 'M', openedOn: '2012-01-01' });
      const officer = await hs(base({ sub: 'sr-officer-extra', roles: ['finance-officer'], counties: [OWN], county: OTHER, countyId: OTHER, fylke: OTHER }));
      const other = await post(bearer(officer), '/centres', { centreId: w.id('kc-extra'), countyId: OTHER, name: `Extra ${w.id('n')}`, municipality: 'M', openedOn: '2012-01-01' });
      expect([refusal(county), refusal(centre), refusal(other)]).toEqual([
        [403, 'ACCESS.ROLE_NOT_ALLOWED'],
        [403, 'ACCESS.ROLE_NOT_ALLOWED'],
        [403, 'ACCESS.OTHER_COUNTY'],
      ]);
      expect(await head()).toBe(before);
    });

    it('look-alike and unregistered county claims grant nothing in telemark (Cyrillic а, fullwidth, zero-width space, NFD, an unregistered county)', async () => {
      const before = await head();
      const got: Record<string, unknown> = {};
      for (const claim of ['telemаrk', 'ｔｅｌｅｍａｒｋ', 'tele\u200bmark', 'telemark'.normalize('NFD') + '\u0301', 'nordland-ny']) {
        const token = await hs(base({ sub: 'sr-lookalike', roles: ['finance-officer'], counties: [claim] }));
        got[claim] = refusal(await post(bearer(token), '/centres', { centreId: w.id('kc-look'), countyId: OWN, name: `Look ${w.id('n')}`, municipality: 'M', openedOn: '2012-01-01' }));
      }
      expect(Object.values(got)).toEqual(Object.values(got).map(() => [403, 'ACCESS.OTHER_COUNTY']));
      expect(await head()).toBe(before);
    });
  });

  describe('tokens from an identity provider (JWKS, RS256)', () => {
    let server: Server;
    let jwks: TestApp;
    type Key = Awaited<ReturnType<typeof importJWK>>;
    let attackerKey: Key;
    let realKey: Key;
    /** The provider's own RSA key material, imported for PS256 and RS512 (same n, e, d). */
    let realAs: Record<'PS256' | 'RS512', Key>;
    let attackerJwk: Record<string, unknown>;
    let url: string;

    beforeAll(async () => {
      const real = await generateKeyPair('RS256', { extractable: true });
      const attacker = await generateKeyPair('RS256', { extractable: true });
      realKey = real.privateKey;
      attackerKey = attacker.privateKey;
      const realPrivate = await exportJWK(real.privateKey);
      realAs = { PS256: await importJWK({ ...realPrivate, alg: 'PS256' }, 'PS256'), RS512: await importJWK({ ...realPrivate, alg: 'RS512' }, 'RS512') };
      const realJwk = { ...(await exportJWK(real.publicKey)), kid: 'idp-1', alg: 'RS256', use: 'sig' };
      attackerJwk = { ...(await exportJWK(attacker.publicKey)), kid: 'evil-1', alg: 'RS256', use: 'sig' };
      server = createServer((req, res) => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ keys: req.url === '/evil.json' ? [attackerJwk] : [realJwk] }));
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      jwks = await startTestApp({ env: { LEDGER_JWKS_URL: `${url}/jwks.json` } });
    });
    afterAll(async () => {
      await jwks?.close();
      await new Promise<void>((r) => server.close(() => r()));
    });

    it('a token that names its own key (an embedded jwk, jku or x5u) or another RSA algorithm (PS256, RS512) is refused; the provider\'s key is let in', async () => {
      const sign = (key: typeof realKey, header: Record<string, unknown>) => new SignJWT(base()).setProtectedHeader(header as { alg: string }).sign(key);
      const get = async (token: string) => (await jwks.http().get('/counties').set(bearer(token))).status;
      const cases: Record<string, number> = {
        embeddedJwk: await get(await sign(attackerKey, { alg: 'RS256', jwk: { kty: attackerJwk.kty, n: attackerJwk.n, e: attackerJwk.e } })),
        embeddedJwkRealKid: await get(await sign(attackerKey, { alg: 'RS256', kid: 'idp-1', jwk: { kty: attackerJwk.kty, n: attackerJwk.n, e: attackerJwk.e } })),
        jku: await get(await sign(attackerKey, { alg: 'RS256', kid: 'evil-1', jku: `${url}/evil.json` })),
        x5u: await get(await sign(attackerKey, { alg: 'RS256', kid: 'evil-1', x5u: `${url}/evil.json` })),
        ps256RealKey: await get(await sign(realAs.PS256, { alg: 'PS256', kid: 'idp-1' })),
        rs512RealKey: await get(await sign(realAs.RS512, { alg: 'RS512', kid: 'idp-1' })),
      };
      expect(cases).toEqual({ embeddedJwk: 401, embeddedJwkRealKid: 401, jku: 401, x5u: 401, ps256RealKey: 401, rs512RealKey: 401 });
      expect(await get(await sign(realKey, { alg: 'RS256', kid: 'idp-1' }))).toBe(200);
    });
  });

  // ------------------------------------------------------------------ a finance officer writing for another county by indirect paths

  describe("indirect paths into another county's data", () => {
    it("a correction of an own entry cannot move its payer to another county's party (422 ENTRY.PARTY_OF_OTHER_COUNTY); nothing recorded", async () => {
      const entryId = w.id('sr-entry');
      expect((await post(fo, `/centres/${w.centres.own}/funding/operating-grants`, { entryId, fiscalYear: 2013, partyId: w.fk('own'), amount: '100.00', decidedOn: '2013-01-10' })).status).toBe(201);
      const before = await head();
      const fk = await post(fo, `/centres/${w.centres.own}/funding/entries/${entryId}/correction`, { reason: 'Flytt', partyId: w.fk('other') });
      const nav = await post(fo, `/centres/${w.centres.own}/funding/entries/${entryId}/correction`, { reason: 'Flytt', partyId: w.nav('other'), amount: '99.00' });
      expect([refusal(fk), refusal(nav)]).toEqual([
        [422, 'ENTRY.PARTY_OF_OTHER_COUNTY'],
        [422, 'ENTRY.PARTY_OF_OTHER_COUNTY'],
      ]);
      expect(await head()).toBe(before);
    });

    it("a staff position cannot be switched to another county's NAV as payer, nor started with it as employer (422 STAFF.PARTY_OF_OTHER_COUNTY); nothing recorded", async () => {
      const positionId = w.id('sr-pos');
      expect((await post(fo, `/centres/${w.centres.own}/staff-positions`, w.positionBody(positionId))).status).toBe(201);
      const before = await head();
      const change = await post(fo, `/centres/${w.centres.own}/staff-positions/${positionId}/changes`, { effectiveFrom: '2013-07-01', payer: { kind: 'party', partyId: w.nav('other') } });
      const employer = await post(fo, `/centres/${w.centres.own}/staff-positions`, { positionId: w.id('sr-pos'), title: 'Rådgiver', employerKind: 'nav-county-office', employerPartyId: w.nav('other'), fte: '1.0', payer: { kind: 'centre' }, startedOn: '2013-01-01' });
      expect([refusal(change), refusal(employer)]).toEqual([
        [422, 'STAFF.PARTY_OF_OTHER_COUNTY'],
        [422, 'STAFF.PARTY_OF_OTHER_COUNTY'],
      ]);
      expect(await head()).toBe(before);
    });

    it("every kind of money entry refuses another county's party as payer (earmarked funds, tender award, other income, in kind); nothing recorded", async () => {
      const c = `/centres/${w.centres.own}/funding`;
      const before = await head();
      const got = [
        refusal(await post(fo, `${c}/earmarked-funds`, { entryId: w.id('sr-ear'), fiscalYear: 2013, partyId: w.nav('other'), amount: '550000.00', decidedOn: '2013-01-15', purpose: 'Oppstart', period: { from: '2013-01-01', to: '2013-12-31' } })),
        refusal(await post(fo, `${c}/tender-awards`, { entryId: w.id('sr-ten'), fiscalYear: 2013, partyId: w.nav('other'), amount: '300000.00', decidedOn: '2013-02-01', contractReference: 'NAV-2013/1', period: { from: '2013-03-01', to: null } })),
        refusal(await post(fo, `${c}/other-income`, { entryId: w.id('sr-oi'), fiscalYear: 2013, partyId: w.fk('other'), amount: '2500.50', decidedOn: '2013-05-01', incomeKind: 'course-fees' })),
        refusal(await post(fo, `${c}/in-kind-contributions`, { entryId: w.id('sr-ik'), fiscalYear: 2013, partyId: w.fk('other'), decidedOn: '2013-01-01', inKindKind: 'premises', estimatedValue: '120000.00' })),
      ];
      expect(got).toEqual(got.map(() => [422, 'ENTRY.PARTY_OF_OTHER_COUNTY']));
      expect(await head()).toBe(before);
    });





    it("a one-county officer cannot establish an own-county board that governs another county's centre (422 BOARD.CENTRE_OF_OTHER_COUNTY); nothing recorded", async () => {
      const before = await head();
      const res = await post(fo, '/boards', { boardId: w.id('sr-board'), countyId: OWN, centreIds: [w.centres.other], name: `Styre ${w.id('n')}`, establishedOn: '2012-01-01' });
      expect(refusal(res)).toEqual([422, 'BOARD.CENTRE_OF_OTHER_COUNTY']);
      expect(await head()).toBe(before);
    });

    it("path parameters with encoded slashes, dots, NUL, case or Cyrillic look-alikes never reach another county's centre; nothing recorded", async () => {
      const other = w.centres.other;
      const nameBefore = (await getAs(w.admin, `/centres/${other}`)).body.name;
      const before = await head();
      const got: Record<string, number> = {};
      for (const id of [`${w.centres.own}%2F..%2F${other}`, `..%2F${other}`, `${other}%2F`, `${other}%00`, other.toUpperCase(), other.replace('o', 'о'), `%2e%2e%2f${other}`, `${w.centres.own}%2F..`]) {
        got[id] = (await post(fo, `/centres/${id}/rename`, { name: 'Kapret', effectiveFrom: '2015-01-01' })).status;
      }
      expect(Object.entries(got).filter(([, s]) => ![400, 403, 404].includes(s))).toEqual([]);
      expect(await head()).toBe(before);
      expect((await getAs(w.admin, `/centres/${other}`)).body.name).toBe(nameBefore);
    });

    it('ids with homoglyphs are refused on write (400) and found nowhere on read (404): a Cyrillic о in a centre id, a Cyrillic а in a party or county id', async () => {
      const before = await head();
      const centre = await post(fo, '/centres', { centreId: 'kc-оwn', countyId: OWN, name: 'Homoglyf', municipality: 'M', openedOn: '2012-01-01' });
      const party = await post(fo, '/parties', { partyId: 'telemаrk-fk', name: 'Homoglyf kommune', kind: 'municipality', countyId: OWN });
      const county = await post(w.admin, '/counties', { countyId: 'telemаrk', name: 'Telemаrk', countyNumber: w.freshCountyNumber() });
      const reads = [await getAs(fo, `/centres/${encodeURIComponent('kc-оwn')}`), await getAs(fo, `/counties/${encodeURIComponent('telemаrk')}`)];
      expect({ centre: centre.status, party: party.status, county: county.status, reads: reads.map((r) => r.status), recorded: (await head()) - before }).toEqual({ centre: 400, party: 400, county: 400, reads: [404, 404], recorded: 0 });
    });

  });

  // ------------------------------------------------------------------ boards and idempotency

  describe('boards and Idempotency-Keys', () => {
    it("a token whose sub differs from a member's personId only in case is not that member: no vote, no proposal (403 BOARD.NOT_A_MEMBER); nothing recorded", async () => {
      const p = await w.proposal('own');
      const impostor = await w.t.auth('board-member', [], w.boards.own.member.toUpperCase());
      const before = await head();
      const vote = await post(impostor, `/boards/${p.boardId}/proposals/${p.proposalId}/votes`, { vote: 'for', castOn: '2014-02-02' });
      const table = await post(impostor, `/boards/${p.boardId}/proposals`, w.proposalBody(w.id('sr-prop')));
      expect([refusal(vote), refusal(table)]).toEqual([
        [403, 'BOARD.NOT_A_MEMBER'],
        [403, 'BOARD.NOT_A_MEMBER'],
      ]);
      expect(await head()).toBe(before);
    });

    it("the same sub, moved to another county, cannot replay its old county's keyed write: access is weighed before the receipt (403, not the first answer)", async () => {
      const centreId = await w.freshCentre('own');
      const key = w.id('sr-moved-key');
      const body = { name: `Nytt navn ${centreId}`, effectiveFrom: '2015-01-01' };
      const first = await post(await w.t.auth('finance-officer', [OWN], 'sr-mover'), `/centres/${centreId}/rename`, body, { 'Idempotency-Key': key });
      expect(first.status).toBe(200);
      const moved = await w.t.auth('finance-officer', [OTHER], 'sr-mover');
      const replay = await post(moved, `/centres/${centreId}/rename`, body, { 'Idempotency-Key': key });
      expect(refusal(replay)).toEqual([403, 'ACCESS.OTHER_COUNTY']);
      expect(JSON.stringify(replay.body)).not.toContain(first.body.eventIds?.[0] ?? '∅');
    });
  });

  // ------------------------------------------------------------------ the HTTP edge

  describe('the HTTP edge', () => {
    it('every kind of error answer has the security headers, no x-powered-by or server header, the one JSON error shape and no internals', async () => {
      const auditor = await w.t.auth('auditor', [], 'sr-auditor');
      const cases: [string, () => Promise<any>][] = [
        ['401 no token', () => w.t.http().get('/counties')],
        ['401 bad token', () => w.t.http().get('/counties').set(bearer('a.b.c'))],
        ['403 role', () => post(auditor, '/counties', { countyId: 'x', name: 'X', countyNumber: '1' })],
        ['404 route', () => getAs(fo, '/no/such/route')],
        ['404 object', () => getAs(fo, '/centres/no-such-centre')],
        ['405', () => w.t.http().delete('/centres').set(fo)],
        ['406', () => getAs(fo, '/counties').set('accept', 'application/xml')],
        ['409', () => post(w.admin, '/counties', { countyId: OWN, name: 'Telemark', countyNumber: '08' })],
        ['413', () => w.t.http().post('/centres').set(fo).set('content-type', 'application/json').send(JSON.stringify({ name: 'x'.repeat(70_000) }))],
        ['415', () => w.t.http().post('/centres').set(fo).set('content-type', 'text/plain').send('{}')],
        ['422', () => post(fo, `/centres/${w.centres.own}/funding/other-income`, { fiscalYear: 2013, partyId: w.fk('other'), amount: '1.00', decidedOn: '2013-05-01', incomeKind: 'course-fees' })],
        ['400 bad URL', () => getAs(fo, '/centres/%E0%A4%A')],
        ['400 invalid JSON', () => w.t.http().post('/centres').set(fo).set('content-type', 'application/json').send('{"centreId":')],
        ['400 validation', () => post(fo, '/centres', { centreId: 7 })],
      ];
      const wrong: string[] = [];
      for (const [label, send] of cases) {
        const res = await send();
        const h = res.headers as Record<string, string>;
        for (const [name, value] of Object.entries(SECURITY_HEADERS)) if (h[name] !== value) wrong.push(`${label}: ${name}=${h[name]}`);
        if (h['x-powered-by'] !== undefined || h.server !== undefined) wrong.push(`${label}: x-powered-by/server ${h['x-powered-by']}/${h.server}`);
        if (!/^application\/json; charset=utf-8$/.test(h['content-type'] ?? '')) wrong.push(`${label}: content-type ${h['content-type']}`);
        if (JSON.stringify(Object.keys(res.body ?? {}).sort()) !== JSON.stringify(ERROR_KEYS) || res.body.statusCode !== res.status) wrong.push(`${label}: shape ${res.text?.slice(0, 120)}`);
        if (LEAKS.test(res.text ?? '')) wrong.push(`${label}: leak ${res.text?.slice(0, 160)}`);
        if (!label.startsWith(String(res.status))) wrong.push(`${label}: answered ${res.status}`);
      }
      expect(wrong).toEqual([]);
    });

    it('no read route answers 5xx or leaks internals for hostile query strings and headers (prototype keys, arrays, NaN q-values, huge cursors, Infinity)', async () => {
      const reads = Object.entries(ACCESS_MATRIX).filter(([k, s]) => k.startsWith('GET ') && s.roles !== 'public');
      expect(reads.length).toBeGreaterThan(40);
      const QUERIES = [
        'asOf=9999-99-99', 'asOf=%00', 'limit=1e3', 'limit=-0', 'limit[]=1', 'after=%FF', `after=${'A'.repeat(5000)}`, 'date=2014-02-30', 'date=+002014-01-01',
        'year=1e3', 'countyId[]=telemark', 'countyId=__proto__', 'format=csv&format=json', 'atPosition=1e400', 'atPosition=-1', 'constructor[prototype][x]=1',
        '__proto__[x]=1', 'type=__proto__', `actor=${encodeURIComponent('a\u0000')}`, 'fromRevision=9007199254740993', 'position=99999999999999999999', 'counties=,,,', 'kind=constructor', 'status=toString',
      ];
      const HEADERS: [string, string][] = [['If-None-Match', `W/"${'a'.repeat(8000)}"`], ['Accept', 'application/json;q=NaN'], ['Accept-Encoding', 'gzip;q=1e400'], ['Accept', '*/*;q=0.5, text/csv;q=1e-400']];
      const bad: string[] = [];
      for (const [route, spec] of reads) {
        const built = await spec.build(w, 'own', 'admin');
        const sep = built.path.includes('?') ? '&' : '?';
        for (const q of QUERIES) {
          const res = await getAs(w.admin, `${built.path}${sep}${q}`);
          if (res.status >= 500 || (res.status >= 400 && LEAKS.test(res.text ?? ''))) bad.push(`${route} ?${q.slice(0, 40)} → ${res.status} ${(res.text ?? '').slice(0, 160)}`);
        }
        for (const [name, value] of HEADERS) {
          const res = await getAs(w.admin, built.path).set(name, value);
          if (res.status >= 500 || (res.status >= 400 && LEAKS.test(res.text ?? ''))) bad.push(`${route} ${name}: ${value.slice(0, 30)} → ${res.status} ${(res.text ?? '').slice(0, 160)}`);
        }
      }
      expect(bad).toEqual([]);
    }, 120_000);

    it('request smuggling shapes (Content-Length with Transfer-Encoding, two Content-Lengths, an obfuscated Transfer-Encoding) are refused 400 and record nothing', async () => {
      const server = w.t.app.getHttpServer() as Server;
      if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;
      const exchange = (text: string) =>
        new Promise<string>((resolve, reject) => {
          const sock = connect(port, '127.0.0.1', () => sock.end(text));
          const chunks: Buffer[] = [];
          sock.on('data', (c) => chunks.push(c));
          sock.on('error', reject);
          sock.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
        });
      const body = JSON.stringify({ countyId: 'sr-smuggled', name: 'Smuggled', countyNumber: w.freshCountyNumber() });
      const start = `POST /counties HTTP/1.1\r\nHost: x\r\nAuthorization: ${w.admin.Authorization}\r\nContent-Type: application/json\r\n`;
      const chunked = `${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`;
      const before = await head();
      const answers = {
        clTe: await exchange(`${start}Content-Length: ${body.length}\r\nTransfer-Encoding: chunked\r\n\r\n${chunked}`),
        clCl: await exchange(`${start}Content-Length: ${body.length}\r\nContent-Length: 5\r\n\r\n${body}`),
        teObfuscated: await exchange(`${start}Transfer-Encoding: xchunked\r\n\r\n${body}`),
        teList: await exchange(`${start}Transfer-Encoding: chunked, identity\r\n\r\n${chunked}`),
      };
      const status = Object.fromEntries(Object.entries(answers).map(([k, v]) => [k, /^HTTP\/1\.1 (\d{3})/.exec(v)?.[1]]));
      expect(status).toEqual({ clTe: '400', clCl: '400', teObfuscated: '400', teList: '400' });
      for (const v of Object.values(answers)) expect(v).not.toMatch(LEAKS);
      expect(await head()).toBe(before);
    });

    it('JSON bodies: a field named twice with a \\u escape, an escaped __proto__, constructor.prototype and a case-variant field are each refused 400; nothing recorded, nothing polluted', async () => {
      const centreId = await w.freshCentre('own');
      const path = `/centres/${centreId}/rename`;
      const send = (raw: string) => w.t.http().post(path).set(fo).set('content-type', 'application/json').send(raw);
      const before = await head();
      const got = [
        refusal(await send('{"name":"A","\\u006eame":"B","effectiveFrom":"2015-01-01"}')),
        refusal(await send('{"__pro\\u0074o__":{"polluted":true},"name":"A","effectiveFrom":"2015-01-01"}')),
        refusal(await send('{"constructor":{"prototype":{"polluted":true}},"name":"A","effectiveFrom":"2015-01-01"}')),
        refusal(await send('{"name":"A","Name":"B","effectiveFrom":"2015-01-01"}')),
      ];
      expect(got.map(([s]) => s)).toEqual([400, 400, 400, 400]);
      expect(got[0][1]).toBe('REQUEST.DUPLICATE_FIELD');
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(await head()).toBe(before);
    });

    it('no CORS: a preflight or a GET from a foreign Origin gets no Access-Control-Allow-* header', async () => {
      const pre = await w.t.http().options('/counties').set('Origin', 'https://evil.example').set('Access-Control-Request-Method', 'POST').set('Access-Control-Request-Headers', 'authorization');
      const get = await getAs(fo, '/counties').set('Origin', 'https://evil.example');
      for (const res of [pre, get]) {
        expect(Object.keys(res.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
      }
      expect(get.status).toBe(200);
    });
  });

  // ------------------------------------------------------------------ spreadsheets

  describe('CSV and spreadsheet injection', () => {
    it("the funding-mix CSV (';') quotes a centre or party name holding ',' so a spreadsheet splitting on commas never starts a cell with =, + or @", async () => {
      const centreId = w.id('sr-kc-csv');
      const centreName = `Senter ${centreId},=1+1`;
      const partyId = w.id('sr-party-csv');
      const partyName = `Kommune ${partyId},@SUM(1+1)`;
      expect((await post(fo, '/centres', { centreId, countyId: OWN, name: centreName, municipality: 'Skien', openedOn: '2009-01-01' })).status).toBe(201);
      expect((await post(fo, '/parties', { partyId, name: partyName, kind: 'municipality', countyId: OWN })).status).toBe(201);
      expect((await post(fo, `/centres/${centreId}/funding/operating-grants`, { fiscalYear: 2013, partyId, amount: '10.00', decidedOn: '2013-01-10' })).status).toBe(201);
      const csv = (await getAs(w.admin, `/reports/funding-mix/2013/csv?county=${OWN}`)).text;
      expect(csv).toContain(centreId);
      expect(csv).toContain(partyId);
      expect({ centre: csv.includes(`"${centreName}"`), party: csv.includes(`"${partyName}"`) }).toEqual({ centre: true, party: true });
    });

    it("the key-figures CSV (',') quotes a county name holding ';' so a spreadsheet splitting on semicolons (Norwegian Excel) never starts a cell with =", async () => {
      const countyId = 'sr-semikolon';
      const name = 'Fylke;=1+1';
      await w.must('POST', '/counties', { countyId, name, countyNumber: w.freshCountyNumber() });
      await w.must('POST', '/centres', { centreId: 'kc-sr-semikolon', countyId, name: 'KC Semikolon', municipality: 'M', openedOn: '2009-01-01' });
      const csv = (await getAs(w.admin, `/key-figures/2013?format=csv&counties=${countyId}`)).text;
      expect(csv).toContain('Fylke;');
      expect(csv).toContain(`"${name}"`);
    });
  });
});

// ------------------------------------------------------------------ the rate limit

describe('security review: the rate limit', () => {
  const apps: TestApp[] = [];
  afterAll(async () => {
    for (const t of apps) await t.close();
  });

  it('refused tokens count towards the limit, and no other forwarding header (Forwarded, X-Real-IP, True-Client-IP, CF-Connecting-IP) buys a new budget when no proxy is trusted', async () => {
    const t = await startTestApp({ env: { LEDGER_RATE_LIMIT_PER_MINUTE: '3' } });
    apps.push(t);
    const server = t.app.getHttpServer();
    const auth = await t.auth('auditor', [], 'sr-rate');
    const codes: unknown[] = [];
    for (let i = 0; i < 3; i++) codes.push((await rawGet(server, '/counties', { authorization: `Bearer forged.${i}.token` })).statusCode);
    const forwarding: Record<string, string>[] = [{}, { forwarded: 'for=198.51.100.7' }, { 'x-real-ip': '198.51.100.8' }, { 'true-client-ip': '198.51.100.9' }, { 'cf-connecting-ip': '198.51.100.10' }, { 'x-client-ip': '198.51.100.11' }];
    for (const h of forwarding) {
      codes.push((await rawGet(server, '/counties', { ...auth, ...h })).statusCode);
    }
    codes.push((await rawGet(server, '/counties', {})).statusCode);
    expect(codes).toEqual([401, 401, 401, 429, 429, 429, 429, 429, 429, 429]);
  });

});
