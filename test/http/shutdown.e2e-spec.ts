import { randomUUID } from 'node:crypto';
import { Agent, request as httpRequest, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { SECURITY_HEADERS } from '../../apps/api/src/http/security-headers';
import { startTestApp, TestApp } from '../helpers/test-app';

/**
 * Shutdown with clients that keep their connections (undici's pool, a load balancer): requests
 * received are answered, with Connection: close; idle kept-alive connections do not hold the process;
 * a request that arrives once shutdown has begun is 503 SERVER.SHUTTING_DOWN (then the connection
 * closes), not a reset. The SIGTERM tests on a real server process: test/core/concurrency-cli-review.int.spec.ts.
 */

type Answer = { status: number; headers: Record<string, string | string[] | undefined>; body: string; reusedSocket: boolean };

const send = (server: Server, agent: Agent, path: string, headers: Record<string, string> = {}): Promise<Answer> => {
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, agent, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body, reusedSocket: req.reusedSocket }));
    });
    req.on('error', reject);
    req.end();
  });
};

describe('shutdown with kept-alive connections', () => {
  let t: TestApp;
  let server: Server;
  let agent: Agent;

  beforeEach(async () => {
    t = await startTestApp({ seed: true });
    server = t.app.getHttpServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    agent = new Agent({ keepAlive: true, maxSockets: 4 });
  });
  afterEach(async () => {
    agent.destroy();
    await t.close();
  });

  it('idle kept-alive connections do not hold it up; a request in flight is answered (Connection: close) before the server closes', async () => {
    const auth = await t.auth('auditor');
    // Four connections, kept alive by the agent (idle now).
    await Promise.all(Array.from({ length: 4 }, () => send(server, agent, '/health')));
    const head = await t.store.headPosition();
    // In flight: a read waiting for a position not yet written.
    const inFlight = send(server, agent, '/counties/lateland', { ...auth, 'x-ledger-position': String(head + 1) });
    await new Promise((r) => setTimeout(r, 100));
    const started = Date.now();
    const closed = t.app.close();
    await new Promise((r) => setTimeout(r, 100));
    await t.store.append('county-lateland', [
      { eventId: randomUUID(), type: 'CountyRegistered', schemaVersion: 1, data: { countyId: 'lateland', name: 'Lateland', countyNumber: '97' }, metadata: { actorId: 'x', actorRole: 'admin', correlationId: 'c', causationId: null, idempotencyKey: null } },
    ], 'no_stream');
    const answer = await inFlight;
    expect(answer.status).toBe(200);
    expect(answer.headers.connection).toBe('close');
    await closed;
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('a request arriving on a kept-alive connection once shutdown has begun: 503 SERVER.SHUTTING_DOWN in the one error shape, with Connection: close and the security headers', async () => {
    const first = await send(server, agent, '/health');
    expect(first.status).toBe(200);
    // Nest's first step of a shutdown (before Fastify closes the server and its idle connections).
    (t.app.getHttpAdapter() as unknown as { beforeClose: () => void }).beforeClose();
    const late = await send(server, agent, '/health');
    expect(late.reusedSocket).toBe(true);
    expect(late.status).toBe(503);
    expect(late.headers.connection).toBe('close');
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) expect([name, late.headers[name.toLowerCase()]]).toEqual([name, value]);
    expect(JSON.parse(late.body)).toEqual({ statusCode: 503, code: 'SERVER.SHUTTING_DOWN', message: expect.stringContaining('shutting down'), details: {} });
  });
});
