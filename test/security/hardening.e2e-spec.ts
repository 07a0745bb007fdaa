import { SignJWT } from 'jose';
import { startTestApp, TestApp } from '../helpers/test-app';

import { LEAKS } from './leaks';

const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');

describe('hardening', () => {
  let t: TestApp;
  let fo: { Authorization: string };
  beforeAll(async () => {
    t = await startTestApp({ seed: true });
    fo = await t.auth('finance-officer', ['telemark']);
  });
  afterAll(() => t.close());

  it('sends security headers (helmet) on answers and on errors', async () => {
    for (const res of [await t.http().get('/health'), await t.http().get('/nowhere'), await t.http().post('/centres').set(fo).send({})]) {
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['content-security-policy']).toContain("default-src 'self'");
      expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
      expect(res.headers['x-frame-options']).toBeDefined();
      expect(res.headers['referrer-policy']).toBe('no-referrer');
    }
    expect((await t.http().get('/docs')).status).toBe(200);
  });

  it.each([
    ['a body over the limit', () => t.http().post('/centres').set(fo).set('content-type', 'application/json').send(JSON.stringify({ name: 'x'.repeat(70_000) })), 413, 'REQUEST.TOO_LARGE'],
    ['deeply nested JSON', () => t.http().post('/centres').set(fo).set('content-type', 'application/json').send(`{"name":${'['.repeat(5000)}${']'.repeat(5000)}}`), 400, 'REQUEST.TOO_DEEP'],
    ['JSON nested 33 deep', () => t.http().post('/centres').set(fo).set('content-type', 'application/json').send(`${'{"a":'.repeat(33)}1${'}'.repeat(33)}`), 400, 'REQUEST.TOO_DEEP'],
    ['broken JSON', () => t.http().post('/centres').set(fo).set('content-type', 'application/json').send('{"centreId":'), 400, 'REQUEST.INVALID_JSON'],
    ['__proto__ poisoning', () => t.http().post('/centres').set(fo).set('content-type', 'application/json').send('{"__proto__":{"admin":true}}'), 400, 'REQUEST.INVALID'],
    ['a text/plain body', () => t.http().post('/centres').set(fo).set('content-type', 'text/plain').send('{"centreId":"x"}'), 415, 'REQUEST.UNSUPPORTED_MEDIA_TYPE'],
    ['a method the address does not take', () => t.http().delete('/centres/x').set(fo), 405, 'ROUTE.METHOD_NOT_ALLOWED'],
    ['an Accept without JSON', () => t.http().get('/counties').set(fo).set('accept', 'application/xml'), 406, 'REQUEST.NOT_ACCEPTABLE'],
    ['a form body', () => t.http().post('/centres').set(fo).set('content-type', 'application/x-www-form-urlencoded').send('centreId=x'), 415, 'REQUEST.UNSUPPORTED_MEDIA_TYPE'],
    ['a malformed URL', () => t.http().get('/centres/%E0%A4%A').set(fo), 400, 'REQUEST.BAD_URL'],
    ['an unknown route', () => t.http().get('/admin/secrets').set(fo), 404, 'ROUTE.NOT_FOUND'],
    ['no token', () => t.http().get('/counties'), 401, 'AUTH.MISSING_TOKEN'],
  ])('refuses %s with a clean 4xx in the one error shape', async (_label, send, status, code) => {
    const res = await send();
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(Object.keys(res.body).sort()).toEqual(['code', 'details', 'message', 'statusCode']);
    if (code) expect(res.body.code).toBe(code);
    expect(JSON.stringify(res.body)).not.toMatch(LEAKS);
  });

  it('checks token expiry, signature and algorithm', async () => {
    const expired = await t.tokens.issue({ sub: 'fo', name: 'fo', roles: ['finance-officer'], counties: ['telemark'] }, -10);
    const res = await t.http().get('/counties').set('Authorization', `Bearer ${expired}`);
    expect([res.status, res.body.code]).toEqual([401, 'AUTH.TOKEN_EXPIRED']);
    const now = Math.floor(Date.now() / 1000);
    const forged = await new SignJWT({ roles: ['admin'], counties: [] }).setProtectedHeader({ alg: 'HS256' }).setSubject('mallory').setIssuedAt(now).setExpirationTime(now + 600).sign(new TextEncoder().encode('not-the-secret'));
    expect((await t.http().get('/counties').set('Authorization', `Bearer ${forged}`)).body.code).toBe('AUTH.TOKEN_INVALID');
    const none = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'mallory', roles: ['admin'], exp: now + 600 })}.`;
    expect((await t.http().get('/counties').set('Authorization', `Bearer ${none}`)).status).toBe(401);
    const noExp = await new SignJWT({ roles: ['admin'], counties: [] }).setProtectedHeader({ alg: 'HS256' }).setSubject('x').sign(new TextEncoder().encode('test-secret-of-at-least-32-bytes!'));
    expect((await t.http().get('/counties').set('Authorization', `Bearer ${noExp}`)).status).toBe(401);
  });

  it('rate limits with 429 and Retry-After', async () => {
    const small = await startTestApp({ env: { LEDGER_RATE_LIMIT_PER_MINUTE: '5' } });
    try {
      const statuses: number[] = [];
      let last: any;
      const reader = await small.auth('auditor', [], 'rate-probe');
      for (let i = 0; i < 7; i++) {
        // /health is exempt (a liveness probe must not be refused under load): probe a read route.
        last = await small.http().get('/counties').set(reader);
        statuses.push(last.status);
      }
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
      expect(Number(last.headers['retry-after'])).toBeGreaterThan(0);
      expect(Number(last.headers['retry-after'])).toBeLessThanOrEqual(60);
      expect(last.body).toEqual({ statusCode: 429, code: 'RATE_LIMITED', message: expect.any(String), details: {} });
    } finally {
      await small.close();
    }
  });
});
