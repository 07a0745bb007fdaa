import { rawGet } from '../helpers/raw-get';
import { startTestApp, TestApp } from '../helpers/test-app';

/**
 * The rate limit counts per client. Behind a reverse proxy every request arrives from the proxy, so
 * LEDGER_TRUST_PROXY names the proxies whose X-Forwarded-For is believed; other senders' headers are
 * ignored. The same client address is used by the routed path and by the answer cache's raw path.
 */
describe('the rate limit behind a trusted proxy (LEDGER_TRUST_PROXY)', () => {
  const apps: TestApp[] = [];
  const start = async (env: Record<string, string>) => {
    const t = await startTestApp({ env: { LEDGER_RATE_LIMIT_PER_MINUTE: '3', ...env } });
    apps.push(t);
    return t;
  };
  afterAll(async () => {
    for (const t of apps) await t.close();
  });
  const from = (client: string, auth: Record<string, string>) => ({ ...auth, 'x-forwarded-for': client });

  it('the proxy trusted (loopback): each forwarded client has its own budget, on cached answers too', async () => {
    const t = await start({ LEDGER_TRUST_PROXY: 'loopback' });
    const server = t.app.getHttpServer();
    const auth = await t.auth('auditor');
    const a = from('203.0.113.1', auth);
    const b = from('203.0.113.2', auth);
    // The first answer is computed, the next ones come from the answer cache before routing: all count for client a.
    const seen = [];
    for (let i = 0; i < 4; i++) {
      const r = await rawGet(server, '/counties', a);
      seen.push([r.statusCode, r.headers['x-ratelimit-remaining']]);
    }
    expect(seen).toEqual([
      [200, '2'],
      [200, '1'],
      [200, '0'],
      [429, '0'],
    ]);
    // Client b, behind the same proxy, still has its whole budget (a cached answer, served on the raw path).
    const rb = await rawGet(server, '/counties', b);
    expect([rb.statusCode, rb.headers['x-ratelimit-remaining']]).toEqual([200, '2']);
    // A client that names itself in front of a forwarded address is not believed past the proxy's own hop:
    // "203.0.113.9, 203.0.113.1" means 203.0.113.1 (appended by the proxy) is the client.
    const spoof = await rawGet(server, '/counties', from('203.0.113.9, 203.0.113.1', auth));
    expect(spoof.statusCode).toBe(429);
  });

  it('the sender not among the trusted proxies: X-Forwarded-For is ignored and everyone from that address shares one budget', async () => {
    const t = await start({ LEDGER_TRUST_PROXY: '10.0.0.1' });
    const server = t.app.getHttpServer();
    const auth = await t.auth('auditor');
    const codes = [];
    for (let i = 0; i < 4; i++) codes.push((await rawGet(server, '/counties', from(`198.51.100.${i}`, auth))).statusCode);
    expect(codes).toEqual([200, 200, 200, 429]);
  });

  it('unset (the default): X-Forwarded-For is ignored', async () => {
    const t = await start({});
    const server = t.app.getHttpServer();
    const auth = await t.auth('auditor');
    const codes = [];
    for (let i = 0; i < 4; i++) codes.push((await rawGet(server, '/counties', from(`198.51.100.${i}`, auth))).statusCode);
    expect(codes).toEqual([200, 200, 200, 429]);
  });
});
