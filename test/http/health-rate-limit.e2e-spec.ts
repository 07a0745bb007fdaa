import { rawGet } from '../helpers/raw-get';
import { startTestApp, TestApp } from '../helpers/test-app';

/** Liveness is exempt from the per-client rate limit: a probe from a busy address is never told 429, and probes use none of its budget. */
describe('/health and the rate limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { LEDGER_RATE_LIMIT_PER_MINUTE: '2' } });
  });
  afterAll(() => t.close());

  it('GET and HEAD /health are neither refused nor counted; other routes are', async () => {
    const server = t.app.getHttpServer();
    const auth = await t.auth('auditor');
    for (let i = 0; i < 5; i++) {
      for (const method of ['GET', 'HEAD']) {
        const h = await rawGet(server, '/health', {}, method);
        expect([method, h.statusCode, h.headers['x-ratelimit-limit']]).toEqual([method, 200, undefined]);
      }
    }
    // The probes above used none of the budget: two reads pass, the third is refused.
    expect((await rawGet(server, '/counties', auth)).statusCode).toBe(200);
    expect((await rawGet(server, '/counties', auth)).statusCode).toBe(200);
    const third = await rawGet(server, '/counties', auth);
    expect([third.statusCode, JSON.parse(third.body).code]).toEqual([429, 'RATE_LIMITED']);
    expect((await rawGet(server, '/health')).statusCode).toBe(200);
    expect((await rawGet(server, '/health', {}, 'HEAD')).statusCode).toBe(200);
    // A path that is not the health route is limited like any other (404 or 429, never a way around the limit).
    expect((await rawGet(server, '/health/x')).statusCode).toBe(429);
    expect((await rawGet(server, '/healthz')).statusCode).toBe(429);
  });
});
