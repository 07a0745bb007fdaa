import { unzip } from '../helpers/unzip';
/**
 * README claims added or changed since 428b9b3 (`git diff 428b9b3..HEAD -- README.md`), checked
 * against the running app in process, one test per claim. Each test names the README line it checks
 * and quotes a few of its words. The claims that need child processes or the CLI (ledger token,
 * replay, import beside a lock holder, the server refusing a setting, snapshots on a SQLite file) are
 * in readme-claims-c.int.spec.ts.
 */
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { loadConfig } from '../../apps/api/src/config';
import { appendAsOldLedger } from '../helpers/append-as-old-ledger';
import { rawGet } from '../helpers/raw-get';
import { startTestApp, TestApp, TEST_JWT_SECRET } from '../helpers/test-app';

type Auth = { Authorization: string };
const NOW_S = () => Math.floor(Date.now() / 1000);
const HOUR = 3600;

/** An HS256 token signed with the test secret; `iat`/`exp` in seconds (iat undefined: none at all). */
const hsToken = (claims: { iat?: number; exp: number; roles?: string[] }): Promise<string> => {
  let jwt = new SignJWT({ name: 'Revisor', roles: claims.roles ?? ['auditor'], counties: [] }).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setSubject('revisor-c').setExpirationTime(claims.exp);
  if (claims.iat !== undefined) jwt = jwt.setIssuedAt(claims.iat);
  return jwt.sign(new TextEncoder().encode(TEST_JWT_SECRET));
};

// ------------------------------------------------------------------ a ZIP and SpreadsheetML reader of our own


/** Text content as an XML 1.0 parser reports it: line ends normalised (§2.11), then references decoded. */
const xmlText = (raw: string): string =>
  raw
    .replace(/\r\n?/g, '\n')
    .replace(/&#x([0-9a-f]+);/gi, (_, h) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d) => String.fromCodePoint(Number(d)))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');

interface XCell { ref: string; col: string; text?: string; num?: number; style?: string }
/** The sheet named `sheet` of a workbook: its rows, each a list of cells (inline strings and numbers). */
const sheetRows = (xlsx: Buffer, sheet: string): { rows: XCell[][]; xml: string } => {
  const files = unzip(xlsx);
  const workbook = files.get('xl/workbook.xml')!.toString('utf8');
  const names = [...workbook.matchAll(/<sheet name="([^"]*)"[^>]*r:id="rId(\d+)"/g)].map((m) => ({ name: xmlText(m[1]), n: m[2] }));
  const hit = names.find((x) => x.name.startsWith(sheet));
  if (!hit) throw new Error(`no sheet ${sheet} in ${names.map((x) => x.name).join(', ')}`);
  const xml = files.get(`xl/worksheets/sheet${hit.n}.xml`)!.toString('utf8');
  const rows = [...xml.matchAll(/<row [^>]*>(.*?)<\/row>/gs)].map((r) =>
    [...r[1].matchAll(/<c r="([A-Z]+)(\d+)"([^>]*)>(.*?)<\/c>/gs)].map((c): XCell => {
      const style = /s="(\d+)"/.exec(c[3])?.[1];
      const t = /<t[^>]*>(.*?)<\/t>/s.exec(c[4]);
      const v = /<v>(.*?)<\/v>/s.exec(c[4]);
      return { ref: `${c[1]}${c[2]}`, col: c[1], style, ...(t ? { text: xmlText(t[1]) } : {}), ...(v ? { num: Number(v[1]) } : {}) };
    }),
  );
  return { rows, xml };
};

/** A report CSV's rows (`;`, quoted fields, CRLF) without its BOM. */
const csvRows = (text: string): string[][] => {
  const s = text.replace(/^\uFEFF/, '');
  const rows: string[][] = [];
  let row: string[] = [];
  let f = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (ch === '"' && f === '') {
      let j = i + 1;
      for (;;) {
        if (s[j] === '"' && s[j + 1] === '"') { f += '"'; j += 2; } else if (s[j] === '"') break; else f += s[j++];
      }
      i = j;
    } else if (ch === ';') { row.push(f); f = ''; }
    else if (ch === '\r' && s[i + 1] === '\n') { row.push(f); rows.push(row); row = []; f = ''; i++; }
    else f += ch;
  }
  return rows;
};

describe('README claims changed since 428b9b3, checked over HTTP (e2e)', () => {
  // ================================================================== Configuration: LEDGER_JWT_MAX_HOURS
  describe('LEDGER_JWT_MAX_HOURS (README line 90, 99-102, 1562-1567)', () => {
    const base = { LEDGER_STORE: 'memory', LEDGER_JWT_SECRET: TEST_JWT_SECRET };
    const cfg = (v: string | undefined) => loadConfig({ ...base, ...(v === undefined ? {} : { LEDGER_JWT_MAX_HOURS: v }) } as NodeJS.ProcessEnv);

    it('README 90: "`LEDGER_JWT_MAX_HOURS` | `24`": unset or empty is 24 (README 99: "take their default when unset or empty")', () => {
      expect(cfg(undefined).jwtMaxHours).toBe(24);
      expect(cfg('').jwtMaxHours).toBe(24);
    });

    it('README 90: "in hours (1–168)": 1 and 168 are taken, 0 and 169 are not', () => {
      expect(cfg('1').jwtMaxHours).toBe(1);
      expect(cfg('168').jwtMaxHours).toBe(168);
      expect(() => cfg('0')).toThrow();
      expect(() => cfg('169')).toThrow();
    });

    it('README 99-102: "any other value that is not a whole number written in digits, in range, stops the service … with one line naming the variable"', () => {
      for (const v of ['0', '169', '24h', '-1', '1.5', ' 24', 'abc']) {
        let message = '';
        try {
          cfg(v);
        } catch (e) {
          message = (e as Error).message;
        }
        expect({ v, starts: message.startsWith('LEDGER_JWT_MAX_HOURS must be a whole number'), oneLine: !message.includes('\n'), quoted: message.includes(JSON.stringify(v)) }).toEqual({ v, starts: true, oneLine: true, quoted: true });
      }
    });

    describe('tokens against the default bound (24 h), local HS256', () => {
      let t: TestApp;
      beforeAll(async () => {
        t = await startTestApp({ env: { LEDGER_JWT_MAX_HOURS: '', LEDGER_RATE_LIMIT_PER_MINUTE: '0' } });
      });
      afterAll(() => t.close());
      const ask = async (token: string) => {
        const res = await t.http().get('/counties').set('Authorization', `Bearer ${token}`);
        return { status: res.status, code: res.body?.code, details: res.body?.details };
      };

      it('README 90: "`exp` more than this after `iat` … is `401 AUTH.TOKEN_INVALID`": exactly 24 h after iat is taken, one second more refused (README 1565: "(`details.maxHours`)")', async () => {
        const now = NOW_S();
        expect((await ask(await hsToken({ iat: now, exp: now + 24 * HOUR }))).status).toBe(200);
        expect(await ask(await hsToken({ iat: now, exp: now + 24 * HOUR + 1 }))).toEqual({ status: 401, code: 'AUTH.TOKEN_INVALID', details: { maxHours: 24 } });
      });

      it('README 1563-1565: "a token minted for a century … is not a key for longer": iat 100 years ago, exp in an hour', async () => {
        const now = NOW_S();
        expect(await ask(await hsToken({ iat: now - 100 * 365 * 24 * HOUR, exp: now + HOUR }))).toMatchObject({ status: 401, code: 'AUTH.TOKEN_INVALID' });
      });

      it('README 90: "or more than this (plus 5 minutes for clocks out of step) after now": without iat, 24 h + 4 min is taken, 24 h + 6 min refused', async () => {
        const now = NOW_S();
        expect((await ask(await hsToken({ exp: now + 24 * HOUR + 4 * 60 }))).status).toBe(200);
        expect(await ask(await hsToken({ exp: now + 24 * HOUR + 6 * 60 }))).toMatchObject({ status: 401, code: 'AUTH.TOKEN_INVALID', details: { maxHours: 24 } });
      });

      it('README 1564-1565: "or one whose `iat` is set in the future": iat 2 h ahead, exp 23 h after it (25 h from now) is refused; iat 3 min ahead with a 24 h lifetime is taken (the clock leeway)', async () => {
        const now = NOW_S();
        expect(await ask(await hsToken({ iat: now + 2 * HOUR, exp: now + 25 * HOUR }))).toMatchObject({ status: 401, code: 'AUTH.TOKEN_INVALID' });
        expect((await ask(await hsToken({ iat: now + 3 * 60, exp: now + 3 * 60 + 24 * HOUR }))).status).toBe(200);
      });
    });

    it('README 90: "the longest a token may be valid, in hours": LEDGER_JWT_MAX_HOURS=2 refuses a 3-hour token (details.maxHours 2) and takes a 2-hour one', async () => {
      const t = await startTestApp({ env: { LEDGER_JWT_MAX_HOURS: '2', LEDGER_RATE_LIMIT_PER_MINUTE: '0' } });
      try {
        const now = NOW_S();
        const long = await t.http().get('/counties').set('Authorization', `Bearer ${await hsToken({ iat: now, exp: now + 3 * HOUR })}`);
        expect([long.status, long.body.code, long.body.details]).toEqual([401, 'AUTH.TOKEN_INVALID', { maxHours: 2 }]);
        const ok = await t.http().get('/counties').set('Authorization', `Bearer ${await hsToken({ iat: now, exp: now + 2 * HOUR })}`);
        expect(ok.status).toBe(200);
      } finally {
        await t.close();
      }
    });

    describe('README 90: "local and identity-provider tokens alike" / 1567: "an identity provider\'s (JWKS) tokens are held to the same bound"', () => {
      let server: Server;
      let t: TestApp;
      let key: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
      beforeAll(async () => {
        const pair = await generateKeyPair('RS256');
        key = pair.privateKey;
        const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'c1', alg: 'RS256', use: 'sig' };
        server = createServer((_q, res) => {
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify({ keys: [jwk] }));
        });
        await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
        t = await startTestApp({ env: { LEDGER_JWKS_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`, LEDGER_JWT_MAX_HOURS: '', LEDGER_RATE_LIMIT_PER_MINUTE: '0' } });
      });
      afterAll(async () => {
        await t.close();
        await new Promise<void>((r) => server.close(() => r()));
      });
      const rs = (iat: number | undefined, exp: number) => {
        let jwt = new SignJWT({ name: 'IdP user', roles: ['auditor'], counties: [] }).setProtectedHeader({ alg: 'RS256', kid: 'c1' }).setSubject('idp-user').setExpirationTime(exp);
        if (iat !== undefined) jwt = jwt.setIssuedAt(iat);
        return jwt.sign(key);
      };

      it('an RS256 token valid for 25 h is 401 AUTH.TOKEN_INVALID (maxHours 24); one valid for 1 h is taken; without iat, exp 30 h ahead is refused', async () => {
        const now = NOW_S();
        const long = await t.http().get('/counties').set('Authorization', `Bearer ${await rs(now, now + 25 * HOUR)}`);
        expect([long.status, long.body.code, long.body.details]).toEqual([401, 'AUTH.TOKEN_INVALID', { maxHours: 24 }]);
        expect((await t.http().get('/counties').set('Authorization', `Bearer ${await rs(now, now + HOUR)}`)).status).toBe(200);
        expect((await t.http().get('/counties').set('Authorization', `Bearer ${await rs(undefined, now + 30 * HOUR)}`)).status).toBe(401);
      });
    });
  });

  // ================================================================== the rate limit's buckets
  describe('the rate limit (README line 92 and 1515-1523)', () => {
    const apps: TestApp[] = [];
    afterAll(async () => {
      for (const t of apps) await t.close();
    });
    const start = async (env: Record<string, string>) => {
      const t = await startTestApp({ env: { LEDGER_RATE_LIMIT_PER_MINUTE: '3', ...env } });
      apps.push(t);
      return t;
    };

    it('README 92: "an IPv6 client is counted by its /64" (1517: "every address of it shares one budget"): three addresses of 2001:db8:1:2::/64 share 3 requests; 2001:db8:1:3::1 has its own', async () => {
      const t = await start({ LEDGER_TRUST_PROXY: 'loopback' });
      const server = t.app.getHttpServer();
      const auth = await t.auth('auditor');
      const seen: number[] = [];
      for (const ip of ['2001:db8:1:2::1', '2001:db8:1:2:ffff:ffff:ffff:fffe', '2001:DB8:1:2:0:0:0:abcd', '2001:db8:1:2::77']) seen.push((await rawGet(server, '/counties', { ...auth, 'x-forwarded-for': ip })).statusCode);
      expect(seen).toEqual([200, 200, 200, 429]);
      const other = await rawGet(server, '/counties', { ...auth, 'x-forwarded-for': '2001:db8:1:3::1' });
      expect([other.statusCode, other.headers['x-ratelimit-remaining']]).toEqual([200, '2']);
    });

    it('README 92: "`::ffff:a.b.c.d` as `a.b.c.d`" (1518-1519): 192.0.2.1 and ::ffff:192.0.2.1 (and its hex form) share one budget', async () => {
      const t = await start({ LEDGER_TRUST_PROXY: 'loopback' });
      const server = t.app.getHttpServer();
      const auth = await t.auth('auditor');
      const seen: string[] = [];
      for (const ip of ['192.0.2.1', '::ffff:192.0.2.1', '::ffff:c000:201', '192.0.2.1']) {
        const r = await rawGet(server, '/counties', { ...auth, 'x-forwarded-for': ip });
        seen.push(`${r.statusCode}/${r.headers['x-ratelimit-remaining']}`);
      }
      expect(seen).toEqual(['200/2', '200/1', '200/0', '429/0']);
    });

    it('README 1519-1520: "a port a proxy appends to the address it forwards (`192.0.2.1:51234`) is left out"', async () => {
      const t = await start({ LEDGER_TRUST_PROXY: 'loopback' });
      const server = t.app.getHttpServer();
      const auth = await t.auth('auditor');
      const seen: number[] = [];
      for (const ip of ['198.51.100.7:51234', '198.51.100.7:443', '198.51.100.7', '198.51.100.7:8080']) seen.push((await rawGet(server, '/counties', { ...auth, 'x-forwarded-for': ip })).statusCode);
      expect(seen).toEqual([200, 200, 200, 429]);
      const v6 = [];
      for (const ip of ['[2001:db8:9:9::1]:443', '2001:db8:9:9::2', '[2001:db8:9:9::3]:80', '2001:db8:9:9::4']) v6.push((await rawGet(server, '/counties', { ...auth, 'x-forwarded-for': ip })).statusCode);
      expect(v6).toEqual([200, 200, 200, 429]);
    });

    it('README 92: "every request counted, unknown addresses too" / 1520-1523: "a 404 or 405 of an address no route takes and a URL the router itself refuses (`REQUEST.BAD_URL` …), which is 429 too once the budget is spent"', async () => {
      const t = await start({});
      const server = t.app.getHttpServer();
      const first = [
        await rawGet(server, '/no-such-address'),
        await rawGet(server, '/counties', {}, 'DELETE'),
        await rawGet(server, '/centres/%E0%A4%A'),
      ];
      expect(first.map((r) => [r.statusCode, r.headers['x-ratelimit-remaining']])).toEqual([
        [404, '2'],
        [405, '1'],
        [400, '0'],
      ]);
      expect(JSON.parse(first[2].body).code).toBe('REQUEST.BAD_URL');
      const bad = await rawGet(server, '/centres/%zz');
      expect([bad.statusCode, JSON.parse(bad.body).code]).toEqual([429, 'RATE_LIMITED']);
      expect((await rawGet(server, '/no-such-address')).statusCode).toBe(429);
      expect((await rawGet(server, `/centres/${'x'.repeat(600)}`)).statusCode).toBe(429);
      // /health is still exempt (README 92: "`/health` is exempt").
      expect((await rawGet(server, '/health')).statusCode).toBe(200);
    });

    it('README 1521-1522: "a URL the router itself refuses (`REQUEST.BAD_URL`: … a parameter too long)" is counted', async () => {
      const t = await start({});
      const server = t.app.getHttpServer();
      const long = await rawGet(server, `/centres/${'x'.repeat(600)}`);
      expect([JSON.parse(long.body).code, long.headers['x-ratelimit-remaining']]).toEqual(['REQUEST.BAD_URL', '2']);
    });

    // Not a line of the diff, but the one the new Hardening text (1521-1522) refers to for REQUEST.BAD_URL.
    it('README 397 (older, referred to by 1521-1522): "`REQUEST.BAD_URL` 400: the address is not valid (bad percent-encoding); 414: a part of the address is too long"', async () => {
      const t = await start({ LEDGER_RATE_LIMIT_PER_MINUTE: '0' });
      const server = t.app.getHttpServer();
      const pct = await rawGet(server, '/centres/%zz');
      expect([pct.statusCode, JSON.parse(pct.body).code]).toEqual([400, 'REQUEST.BAD_URL']);
      const long = await rawGet(server, `/centres/${'x'.repeat(600)}`);
      expect([long.statusCode, JSON.parse(long.body).code]).toEqual([414, 'REQUEST.BAD_URL']);
    });
  });

  // ================================================================== the rest on one app
  describe('on one app with Telemark and Østfold data', () => {
    let t: TestApp;
    let admin: Auth;
    let fo: Auth; // finance officer, Telemark
    let auditor: Auth;
    let vox: Auth;
    const send = (auth: Auth, path: string, body: object) => t.http().post(path).set(auth).send(body);
    const ok = async (auth: Auth, path: string, body: object) => {
      const res = await send(auth, path, body);
      if (res.status >= 300) throw new Error(`POST ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
      return res.body;
    };
    const head = () => t.store.headPosition();

    beforeAll(async () => {
      t = await startTestApp({ seed: true, env: { LEDGER_RATE_LIMIT_PER_MINUTE: '0' } });
      admin = await t.auth('admin', [], 'admin-c');
      fo = await t.auth('finance-officer', ['telemark'], 'fo-telemark-c');
      auditor = await t.auth('auditor', [], 'revisor-c');
      vox = await t.auth('vox', [], 'vox-c');
      await ok(fo, '/parties', { partyId: 'c-tm-fk', name: 'Telemark fylkeskommune', kind: 'county-authority', countyId: 'telemark' });
      await ok(fo, '/parties', { partyId: 'c-tm-nav', name: 'NAV Telemark', kind: 'nav-county-office', countyId: 'telemark' });
      await ok(fo, '/centres', { centreId: 'c-kc-tm', countyId: 'telemark', name: 'Karrieresenter Telemark', municipality: 'Skien', openedOn: '2010-01-01' });
    });
    afterAll(() => t.close());

    // -------------------------------------------------------------- names folded by NFKC
    describe('names compared folded by NFKC (README 280-282, 378, 848-853)', () => {
      const party = (partyId: string, name: string, kind = 'other') => send(fo, '/parties', { partyId, name, kind, countyId: 'telemark' });
      const taken = async (res: { status: number; body: any }, code: string, field: string, other: string) =>
        expect([res.status, res.body.code, res.body.details?.[field]]).toEqual([409, code, other]);

      it('README 850-851: "a look-alike written in fullwidth letters (`ｔｅｌｅｍａｒｋ fylkeskommune`) … is the same name": 409 PARTY.NAME_TAKEN naming the other party', async () => {
        const before = await head();
        await taken(await party('c-fw-fk', 'ｔｅｌｅｍａｒｋ fylkeskommune', 'county-authority'), 'PARTY.NAME_TAKEN', 'partyId', 'c-tm-fk');
        expect(await head()).toBe(before);
      });

      it('README 851: "with a ligature (`ﬁ`)": "Veiledning ﬁnans AS" is "Veiledning finans AS"', async () => {
        expect((await party('c-fin', 'Veiledning finans AS')).status).toBe(201);
        await taken(await party('c-fin-lig', 'Veiledning ﬁnans AS'), 'PARTY.NAME_TAKEN', 'partyId', 'c-fin');
      });

      it('README 851-852: "or a superscript digit is the same name": "Kontor ² AS" is "Kontor 2 AS"', async () => {
        expect((await party('c-k2', 'Kontor 2 AS')).status).toBe(201);
        await taken(await party('c-k2-sup', 'Kontor ² AS'), 'PARTY.NAME_TAKEN', 'partyId', 'c-k2');
      });

      it('README 845-850: "a party registered (or renamed) with the name of another": a rename to a fullwidth look-alike is refused too', async () => {
        expect((await party('c-ren', 'Helt annet navn AS')).status).toBe(201);
        const res = await send(fo, '/parties/c-ren/rename', { name: 'Ｖｅｉｌｅｄｎｉｎｇ finans AS' });
        await taken(res, 'PARTY.NAME_TAKEN', 'partyId', 'c-fin');
      });

      it('README 852-853: "Look-alikes from other scripts (a Cyrillic `а` for a Latin `a`) are not folded": "Veiledning finаns AS" with U+0430 is registered', async () => {
        const res = await party('c-cyr', 'Veiledning fin\u0430ns AS');
        expect(res.status).toBe(201);
      });

      it('README 852: "only the comparison folds, the name is kept as given (in NFC)": a fullwidth name is kept fullwidth; a decomposed Å is kept composed', async () => {
        expect((await party('c-fw-own', 'Ｂｒｅｄｄ veiledning AS')).status).toBe(201);
        expect((await party('c-nfd', 'A\u030asgard veiledning AS')).status).toBe(201);
        const fw = await t.http().get('/parties/c-fw-own').set(auditor);
        const nfd = await t.http().get('/parties/c-nfd').set(auditor);
        expect(fw.status).toBe(200);
        expect(fw.body.name).toBe('Ｂｒｅｄｄ veiledning AS');
        expect(nfd.body.name).toBe('\u00c5sgard veiledning AS');
      });

      it('README 378: CENTRE.NAME_TAKEN "case, whitespace and look-alike forms (Unicode NFKC: fullwidth letters, ligatures) aside (`details.centreId` names it)"', async () => {
        const centre = (centreId: string, name: string) => send(fo, '/centres', { centreId, countyId: 'telemark', name, municipality: 'Skien', openedOn: '2014-03-01' });
        await taken(await centre('c-kc-fw', 'Ｋａｒｒｉｅｒｅｓｅｎｔｅｒ Telemark'), 'CENTRE.NAME_TAKEN', 'centreId', 'c-kc-tm');
        // case and whitespace aside too
        await taken(await centre('c-kc-ws', '  karrieresenter   TELEMARK '), 'CENTRE.NAME_TAKEN', 'centreId', 'c-kc-tm');
      });

      it('README 280-282: a centre named with a ligature of another open centre\'s name is 409 CENTRE.NAME_TAKEN; a Cyrillic look-alike is not', async () => {
        const centre = (centreId: string, name: string) => send(fo, '/centres', { centreId, countyId: 'telemark', name, municipality: 'Skien', openedOn: '2014-03-01' });
        expect((await centre('c-kc-fin', 'Karrieresenter Finnskogen')).status).toBe(201);
        await taken(await centre('c-kc-fin2', 'Karrieresenter \ufb01nnskogen'), 'CENTRE.NAME_TAKEN', 'centreId', 'c-kc-fin');
        expect((await centre('c-kc-cyr', 'Karrieresenter T\u0435lemark')).status).toBe(201);
      });
    });

    // -------------------------------------------------------------- BOARD.TERM_ENDS_BEFORE_VOTE
    describe('a term cannot end before a vote cast in it (README 701-703, 712-724, 959)', () => {
      const member = (personId: string) => t.auth('board-member', [], personId);
      const end = (personId: string, endedOn: string) => send(fo, `/boards/c-board/members/${personId}/end`, { endedOn, reason: 'Rettet etter protokollen' });

      beforeAll(async () => {
        await ok(fo, '/boards', { boardId: 'c-board', countyId: 'telemark', centreIds: ['c-kc-tm'], name: 'Styret for Karrieresenter Telemark', establishedOn: '2012-01-01' });
        const appoint = (personId: string, name: string, role: string, term: object = { from: '2012-01-01' }) => ok(fo, '/boards/c-board/members', { personId, name, partyId: 'c-tm-fk', role, term });
        await appoint('c-chair', 'Per Leder', 'chair');
        await appoint('c-anne', 'Anne Medlem', 'member');
        await appoint('c-bjorn', 'Bjørn Medlem', 'member');
        await appoint('c-dina', 'Dina Vara', 'deputy-member');
        await appoint('c-eva', 'Eva To Perioder', 'member', { from: '2012-01-01', to: '2013-06-30' });
        await appoint('c-eva', 'Eva To Perioder', 'member', { from: '2014-01-01' });
        // P1: tabled 1 Feb, Anne votes 10 Feb, Dina for Bjørn's seat 12 Feb, the chair 14 Feb; decided (closed) 20 Feb.
        await ok(await member('c-chair'), '/boards/c-board/proposals', { proposalId: 'c-p1', kind: 'goals', year: 2014, title: 'Mål for 2014', content: { goals: ['Flere voksne får veiledning'] }, tabledOn: '2014-02-01' });
        await ok(await member('c-anne'), '/boards/c-board/proposals/c-p1/votes', { vote: 'for', castOn: '2014-02-10' });
        await ok(await member('c-dina'), '/boards/c-board/proposals/c-p1/votes', { vote: 'for', castOn: '2014-02-12', standingInFor: 'c-bjorn' });
        await ok(await member('c-chair'), '/boards/c-board/proposals/c-p1/votes', { vote: 'for', castOn: '2014-02-14' });
        await ok(await member('c-chair'), '/boards/c-board/proposals/c-p1/close', { closedOn: '2014-02-20' });
        // P2 and P3: open; Anne votes on both (3 and 5 March), Eva in her second term (4 March).
        for (const id of ['c-p2', 'c-p3']) await ok(await member('c-chair'), '/boards/c-board/proposals', { proposalId: id, kind: 'goals', year: 2015, title: `Mål ${id}`, content: { goals: ['Mer'] }, tabledOn: '2014-03-01' });
        await ok(await member('c-anne'), '/boards/c-board/proposals/c-p2/votes', { vote: 'against', castOn: '2014-03-03' });
        await ok(await member('c-anne'), '/boards/c-board/proposals/c-p3/votes', { vote: 'for', castOn: '2014-03-05' });
        await ok(await member('c-eva'), '/boards/c-board/proposals/c-p2/votes', { vote: 'for', castOn: '2014-03-04' });
      });

      it('README 959: "`details`: personId, endedOn, proposalId, castOn, castBy, … earliestEndedOn, voteCount" for an open proposal (no decidedOn); the latest such vote is named; nothing recorded', async () => {
        const before = await head();
        const res = await end('c-anne', '2014-03-02');
        expect([res.status, res.body.code]).toEqual([422, 'BOARD.TERM_ENDS_BEFORE_VOTE']);
        expect(res.body.details).toEqual({ personId: 'c-anne', endedOn: '2014-03-02', proposalId: 'c-p3', castOn: '2014-03-05', castBy: 'c-anne', earliestEndedOn: '2014-03-05', voteCount: 2 });
        expect(await head()).toBe(before);
      });

      it('README 720-721: the message reads "<member>\'s term on <board> cannot end on <endedOn>: <member> voted on proposal <id> on <castOn> …"', async () => {
        const res = await end('c-anne', '2014-03-04');
        const msg: string = res.body.message;
        expect(msg).toMatch(/^Anne Medlem \(c-anne\)'s term on Styret for Karrieresenter Telemark cannot end on 2014-03-04: Anne Medlem \(c-anne\) voted on proposal c-p3\b/);
        expect(msg).toContain('on 2014-03-05');
      });

      it('README 717-719 + 959: "a seat\'s holder\'s term cannot end between their vote and the decision that counted it" — details carry decidedOn, earliestEndedOn is the decision\'s day', async () => {
        // A fresh member with one vote on a decided proposal: vote on 10 Feb (Anne's other votes would be named first, so use the chair).
        const before = await head();
        const res = await end('c-chair', '2014-02-17');
        expect([res.status, res.body.code]).toEqual([422, 'BOARD.TERM_ENDS_BEFORE_VOTE']);
        expect(res.body.details).toEqual({ personId: 'c-chair', endedOn: '2014-02-17', proposalId: 'c-p1', castOn: '2014-02-14', castBy: 'c-chair', decidedOn: '2014-02-20', earliestEndedOn: '2014-02-20', voteCount: 1 });
        expect(await head()).toBe(before);
      });

      it('README 959: "by a deputy standing in for their seat, or (for the seat\'s holder) before the decision": Bjørn, whose seat Dina voted for on 12 Feb, cannot end on 15 Feb (decided 20 Feb); he can on the decision\'s day', async () => {
        const res = await end('c-bjorn', '2014-02-15');
        expect([res.status, res.body.code]).toEqual([422, 'BOARD.TERM_ENDS_BEFORE_VOTE']);
        expect(res.body.details).toEqual({ personId: 'c-bjorn', endedOn: '2014-02-15', proposalId: 'c-p1', castOn: '2014-02-12', castBy: 'c-dina', decidedOn: '2014-02-20', earliestEndedOn: '2014-02-20', voteCount: 1 });
        expect((await end('c-bjorn', '2014-02-11')).body.details.earliestEndedOn).toBe('2014-02-20');
        expect((await end('c-bjorn', '2014-02-20')).status).toBe(200);
      });

      it('README 714-716: the deputy\'s own term holds for her vote\'s day only ("a term includes its last day"): Dina cannot end on 11 Feb, can on 12 Feb (the vote\'s day)', async () => {
        const res = await end('c-dina', '2014-02-11');
        expect([res.status, res.body.code, res.body.details.castOn, res.body.details.castBy, res.body.details.earliestEndedOn, 'decidedOn' in res.body.details]).toEqual([422, 'BOARD.TERM_ENDS_BEFORE_VOTE', '2014-02-12', 'c-dina', '2014-02-12', false]);
        expect((await end('c-dina', '2014-02-12')).status).toBe(200);
      });

      it('README 716: "so a term may end on the day of its last vote" (open proposal): Anne ends on 5 March, her last vote\'s day; an earlier correction afterwards is refused (README 719: "one ending the term again with an earlier day to correct it")', async () => {
        expect((await end('c-anne', '2014-03-05')).status).toBe(200);
        const before = await head();
        const again = await end('c-anne', '2014-03-04');
        expect([again.status, again.body.code, again.body.details.proposalId]).toEqual([422, 'BOARD.TERM_ENDS_BEFORE_VOTE', 'c-p3']);
        expect(await head()).toBe(before);
      });

      it('README 720-724 (Dates): "`details`: `personId`, `endedOn`, and for the vote that holds the term longest its `proposalId`, `castOn`, `castBy`, `decidedOn` when a decision counted it later, `earliestEndedOn`" — Frode voted on P5 on 2 April (decided 10 April) and on the open P6 on 5 April; ending his term on 1 April', async () => {
        await ok(fo, '/boards/c-board/members', { personId: 'c-frode', name: 'Frode Medlem', partyId: 'c-tm-fk', role: 'member', term: { from: '2012-01-01' } });
        for (const id of ['c-p5', 'c-p6']) await ok(await member('c-chair'), '/boards/c-board/proposals', { proposalId: id, kind: 'goals', year: 2016, title: `Mål ${id}`, content: { goals: ['Mer'] }, tabledOn: '2014-04-01' });
        await ok(await member('c-frode'), '/boards/c-board/proposals/c-p5/votes', { vote: 'for', castOn: '2014-04-02' });
        await ok(await member('c-frode'), '/boards/c-board/proposals/c-p6/votes', { vote: 'for', castOn: '2014-04-05' });
        await ok(await member('c-chair'), '/boards/c-board/proposals/c-p5/close', { closedOn: '2014-04-10' });
        const res = await end('c-frode', '2014-04-01');
        expect([res.status, res.body.code]).toEqual([422, 'BOARD.TERM_ENDS_BEFORE_VOTE']);
        // As README's Dates paragraph reads: the vote that holds the term longest is named (P5: voted 2 April, but the decision of
        // 10 April counted it, later than the open P6's vote of 5 April), with decidedOn, earliestEndedOn that decision's day.
        expect(res.body.details).toEqual({ personId: 'c-frode', endedOn: '2014-04-01', proposalId: 'c-p5', castOn: '2014-04-02', castBy: 'c-frode', decidedOn: '2014-04-10', earliestEndedOn: '2014-04-10', voteCount: 2 });
      });

      it('README 724: "A vote in another term of the person does not count": Eva\'s first term is corrected to end earlier although she voted (in her second term) on 4 March 2014', async () => {
        expect((await end('c-eva', '2013-03-31')).status).toBe(200);
        const board = (await t.http().get('/boards/c-board').set(auditor)).body;
        expect(board.members.filter((m: any) => m.personId === 'c-eva').map((m: any) => m.term)).toEqual([
          { from: '2012-01-01', to: '2013-03-31' },
          { from: '2014-01-01', to: null },
        ]);
      });
    });

    // -------------------------------------------------------------- user survey of a centre closed in its window
    describe('the user survey of a centre closed during its window (README 1205, 1421)', () => {
      const find = (cs: any[], id: string): any => cs.map((x) => (x.id === id ? x : x.subCriteria ? find(x.subCriteria, id) : undefined)).find((x) => x);
      let pass: any;
      let fail: any;
      let events: any[];

      beforeAll(async () => {
        const e = async (path: string, body: object) => ok(fo, path, body);
        await e('/counties/telemark/partnership-agreements', { partnershipId: 'c-partnerskap', parties: ['c-tm-fk', 'c-tm-nav'], signedOn: '2012-09-01', period: { from: '2012-09-01', to: null } });
        await e('/counties/telemark/coordinating-function', { holderPartyId: 'c-tm-fk', description: 'Koordinerer veiledningsaktørene', from: '2012-01-01' });
        for (const [id, name, periods] of [
          ['c-bo', 'Karriere Bø', [['2013-01-01', '2013-12-31']]],
          ['c-notodden', 'Karriere Notodden', [['2013-01-01', '2013-06-30']]],
        ] as const) {
          await e('/centres', { centreId: id, countyId: 'telemark', name, municipality: 'Bø', openedOn: '2010-01-01' });
          const base = `/centres/${id}/grant-evidence`;
          await e(`${base}/service-declarations`, { effectiveFrom: '2012-01-01', freeOfCharge: true, openToAllAdults: true, fromAge: 19 });
          for (const [i, g] of ['primary-lower-secondary-counsellors', 'upper-secondary-counsellors', 'nav-staff'].entries()) {
            await e(`${base}/competence-development`, { deliveredOn: `2013-0${i + 3}-15`, kind: 'course', targetGroups: [g], participants: 5, description: `Kurs ${g}` });
          }
          for (const [from, to] of periods) await e(`${base}/user-survey-participations`, { period: { from, to } });
        }
        // Bø's survey period runs to 31 Dec; both close from 1 October 2013.
        for (const id of ['c-bo', 'c-notodden']) {
          const res = await send(fo, `/centres/${id}/close`, { closedOn: '2013-10-01', reason: 'Slått sammen' });
          if (res.status !== 200) throw new Error(`closing ${id}: ${res.status} ${JSON.stringify(res.body)}`);
          await e(`/centres/${id}/grant-evidence/annual-reports`, { year: 2013, submittedOn: '2014-02-10' });
        }
        // Free guidance judged over the first half of 2013, so a centre closed from October is considered.
        await ok(vox, '/grant-schemes', { year: 2014, baseGrant: '1000000.00', criteriaSetId: 'criteria-2014', judgingDate: '2014-03-01', windows: { freeGuidance: { from: '2013-01-01', to: '2013-06-30' } } });
        const res = await t.http().get('/grant-schemes/2014/eligibility/telemark').set(vox);
        expect(res.status).toBe(200);
        events = res.body.events;
        pass = find(res.body.centres.find((c: any) => c.centreId === 'c-bo').criteria, '3c-i');
        fail = find(res.body.centres.find((c: any) => c.centreId === 'c-notodden').criteria, '3c-i');
      });
      const typesOf = (r: any) => r.evidence.map((x: any) => events.find((e: any) => e.position === x.position)?.type);

      it('README 1205: "judged up to the day before its `closedOn`: a period running past it counts up to that day, the reason says "closed from …"" — a survey of all 2013 passes for a centre closed from 1 October', async () => {
        expect(pass.passed).toBe(true);
        expect(pass.reason.en).toBe('Karriere Bø took part in the user survey throughout 2013-01-01 – 2013-09-30 (closed from 2013-10-01).');
      });

      it('README 1205: "and the closure is cited" (passing)', async () => {
        expect(typesOf(pass)).toEqual(['UserSurveyParticipationRecorded', 'CentreClosed']);
      });

      it('README 1205: "(a scheme whose free-guidance window ends before the closing; with the defaults it is not considered)": with default windows a centre closed during 2014 is among those not considered for 2015', async () => {
        await ok(fo, '/centres', { centreId: 'c-lunde', countyId: 'telemark', name: 'Karriere Lunde', municipality: 'Nome', openedOn: '2010-01-01' });
        const closed = await send(fo, '/centres/c-lunde/close', { closedOn: '2014-10-01', reason: 'Lagt ned' });
        expect(closed.status).toBe(200);
        expect((await send(vox, '/grant-schemes', { year: 2015, baseGrant: '1000000.00', criteriaSetId: 'criteria-2014', judgingDate: '2015-03-01' })).status).toBe(201);
        const res = await t.http().get('/grant-schemes/2015/eligibility/telemark').set(vox);
        expect(res.status).toBe(200);
        expect(res.body.centres.map((c: any) => c.centreId)).not.toContain('c-lunde');
        expect(JSON.stringify(res.body.centresNotConsidered ?? res.body.notConsidered)).toContain('c-lunde');
      });

      it('README 1205 + 1421: "judged only up to the day before `closedOn`": a gap from 1 July to 30 September fails, naming those days (not the rest of the year), the closure cited', async () => {
        expect(fail.passed).toBe(false);
        expect(fail.reason.en).toBe('Karriere Notodden did not take part in the user survey from 2013-07-01 to 2013-09-30.');
        expect(typesOf(fail)).toContain('CentreClosed');
      });
    });

    // -------------------------------------------------------------- position-at without asOf
    describe('GET /audit/position-at (README 1387, 1403-1404)', () => {
      it('README 1387: "`asOf` is required (without it `400 REQUEST.BAD_AS_OF`, `details.parameter`)"; 1404: "(`details.parameter`: `asOf`)"', async () => {
        const res = await t.http().get('/audit/position-at').set(auditor);
        expect([res.status, res.body.code, res.body.details?.parameter]).toEqual([400, 'REQUEST.BAD_AS_OF', 'asOf']);
        const good = await t.http().get(`/audit/position-at?asOf=${encodeURIComponent(new Date().toISOString())}`).set(auditor);
        expect(good.status).toBe(200);
      });
    });

    // -------------------------------------------------------------- reports
    describe('report files (README 1388)', () => {
      const csv = async (path: string) => {
        const res = await t.http().get(path).set(auditor);
        expect(res.status).toBe(200);
        return csvRows(res.text);
      };
      const xlsx = async (path: string): Promise<Buffer> => {
        const res = await t.http().get(path).set(auditor).buffer(true).parse((r, cb) => {
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c));
          r.on('end', () => cb(null, Buffer.concat(chunks)));
        });
        expect(res.status).toBe(200);
        return res.body as Buffer;
      };

      beforeAll(async () => {
        // Østfold: a centre whose 2013 money has no amount at all; a centre with amounts; a centre with staff paid directly by a party.
        const ofo = await t.auth('finance-officer', ['ostfold'], 'fo-ostfold-c');
        await ok(ofo, '/parties', { partyId: 'c-of-fk', name: 'Østfold fylkeskommune', kind: 'county-authority', countyId: 'ostfold' });
        await ok(ofo, '/parties', { partyId: 'c-of-nav', name: 'NAV Østfold', kind: 'nav-county-office', countyId: 'ostfold' });
        await ok(ofo, '/centres', { centreId: 'c-of-null', countyId: 'ostfold', name: 'Karriere Halden', municipality: 'Halden', openedOn: '2010-01-01' });
        await ok(ofo, '/centres/c-of-null/funding/operating-grants', { entryId: 'c-null-1', fiscalYear: 2013, partyId: 'c-of-fk', decidedOn: '2012-12-01', amount: null });
        await ok(ofo, '/centres/c-of-null/funding/operating-grants', { entryId: 'c-null-2', fiscalYear: 2013, partyId: 'c-of-nav', decidedOn: '2012-12-01', amount: null });
        await ok(ofo, '/centres', { centreId: 'c-of-staff', countyId: 'ostfold', name: 'Karriere Moss', municipality: 'Moss', openedOn: '2010-01-01' });
        await ok(ofo, '/centres/c-of-staff/funding/operating-grants', { entryId: 'c-staff-money', fiscalYear: 2013, partyId: 'c-of-fk', decidedOn: '2012-12-01', amount: '500000.00' });
        const pos = (positionId: string, annualCost?: string) =>
          ok(ofo, '/centres/c-of-staff/staff-positions', { positionId, title: 'Veileder', employerKind: 'nav-county-office', employerPartyId: 'c-of-nav', fte: '1', startedOn: '2013-01-01', payer: { kind: 'party', partyId: 'c-of-nav' }, ...(annualCost ? { annualCost } : {}) });
        await pos('c-pos-cost', '600000.00');
        await pos('c-pos-nocost');
        // Oppland: a party name holding a carriage return, recorded before names had to be one line.
        await appendAsOldLedger(t.store, 'party-c-op-cr', 'PartyRegistered', { partyId: 'c-op-cr', name: 'Første linje\randre linje', kind: 'other', countyId: 'oppland', organisationNumber: null }, { actorRole: 'admin', expected: 'no_stream' });
        await ok(admin, '/centres', { centreId: 'c-op', countyId: 'oppland', name: 'Karriere Oppland', municipality: 'Gjøvik', openedOn: '2010-01-01' });
        await ok(admin, '/centres/c-op/funding/other-income', { entryId: 'c-op-1', fiscalYear: 2013, partyId: 'c-op-cr', decidedOn: '2013-02-01', amount: '10.00', incomeKind: 'other' });
      });

      it('README 1388: "the «Sum» row\'s share is empty when no amount is reported" — CSV and XLSX of a centre whose entries have no amount', async () => {
        const json = (await t.http().get('/centres/c-of-null/funding-mix/2013').set(auditor)).body;
        expect(json.total.amount).toBeNull();
        const rows = await csv('/reports/funding-mix/2013/csv?centre=c-of-null');
        const sum = rows.find((r) => r[0] === 'Sum')!;
        expect(sum[3]).toBe('');
        const sheet = sheetRows(await xlsx('/reports/2013/xlsx?centre=c-of-null'), 'Finansieringsmiks');
        const sumRow = sheet.rows.find((r) => r[0]?.text === 'Sum')!;
        expect(sumRow.find((c) => c.col === 'D')).toBeUndefined();
      });

      it('README 1388 (contrast): with amounts reported the «Sum» share is 100,0', async () => {
        const rows = await csv('/reports/funding-mix/2013/csv?centre=c-of-staff');
        expect(rows.find((r) => r[0] === 'Sum')![3]).toBe('100,0');
      });

      it('README 1388: "a value of staff paid directly that leaves out positions without an annual cost reads `<value> + ikke oppgitt` in the CSV"', async () => {
        const rows = await csv('/reports/funding-mix/2013/csv?centre=c-of-staff');
        const at = rows.findIndex((r) => r[0] === 'Årsverk lønnet direkte av');
        expect(at).toBeGreaterThan(0);
        const nav = rows[at + 1];
        expect(nav[0]).toBe('NAV Østfold');
        expect(nav[3]).toBe('600000,00 + ikke oppgitt');
      });

      it('README 1388: "(the workbook keeps the number and says so in a «Merknad» column)"', async () => {
        const sheet = sheetRows(await xlsx('/reports/2013/xlsx?centre=c-of-staff'), 'Finansieringsmiks');
        const at = sheet.rows.findIndex((r) => r[0]?.text === 'Årsverk lønnet direkte av');
        expect(sheet.rows[at].map((c) => c.text)).toEqual(['Årsverk lønnet direkte av', 'Type part', 'Årsverk', 'Verdi, kr', 'Merknad']);
        const nav = sheet.rows[at + 1];
        expect(nav.find((c) => c.col === 'D')?.num).toBe(600000);
        expect(nav.find((c) => c.col === 'E')?.text).toMatch(/ikke oppgitt/);
      });

      it('README 1388: "a carriage return in a text is kept in the workbook (written `&#13;`)"', async () => {
        const sheet = sheetRows(await xlsx('/reports/2013/xlsx?centre=c-op'), 'Finansieringsmiks');
        expect(sheet.xml).toContain('Første linje&#13;andre linje');
        expect(sheet.rows.flat().map((c) => c.text)).toContain('Første linje\randre linje');
      });
    });
  });
});
