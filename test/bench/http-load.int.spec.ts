import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { load } from '../../bench/src/lib/http-load';

/**
 * The benchmark's load client: a warm-up runs first with its own requests, and its figures are
 * kept apart from the measured load's. Status codes tell the two loads apart (202 for the warm-up
 * path, 200 for the measured one); no timing is asserted.
 */
describe('bench load with a warm-up', () => {
  let server: Server;
  let port: number;
  const hits: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      hits.push(req.url ?? '');
      res.writeHead(req.url === '/warm' ? 202 : 200, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()));
  });

  it('runs the warm-up first with its own requests and reports it apart from the measured load', async () => {
    hits.length = 0;
    const res = await load({ url: `http://127.0.0.1:${port}/`, seconds: 1, connections: 2, next: () => ({ path: '/measured' }), warmup: { seconds: 1, next: () => ({ path: '/warm' }) } });
    const warm = hits.filter((h) => h === '/warm').length;
    const measured = hits.filter((h) => h === '/measured').length;
    expect(res.warmup).toBeDefined();
    expect(Object.keys(res.warmup!.statusCodes)).toEqual(['202']);
    expect(Object.keys(res.statusCodes)).toEqual(['200']);
    expect(res.warmup!.requests).toBeGreaterThan(0);
    expect(res.requests).toBeGreaterThan(0);
    // Each side counts only its own answers (the server may have answered a few the client stopped waiting for).
    expect(res.warmup!.requests).toBeLessThanOrEqual(warm);
    expect(res.requests).toBeLessThanOrEqual(measured);
    // Every warm-up request reached the server before the first measured one.
    expect(hits.lastIndexOf('/warm')).toBeLessThan(hits.indexOf('/measured'));
  });

  it('without a warm-up, measures at once and reports none', async () => {
    hits.length = 0;
    const res = await load({ url: `http://127.0.0.1:${port}/`, seconds: 1, connections: 1, next: () => ({ path: '/measured' }) });
    expect(res.warmup).toBeUndefined();
    expect(hits.every((h) => h === '/measured')).toBe(true);
    expect(res.requests).toBeGreaterThan(0);
  });
});

/**
 * autocannon keeps every response body as a string only for expectBody/verifyBody/onResponse, which
 * the benchmark never uses; decoding large (gzipped, binary) answers was most of the load client's
 * CPU, taken from the server on 2 shared cores. The load client turns that off; answers are still
 * counted by status.
 */
describe('bench load client without response bodies', () => {
  it('autocannon no longer keeps the bodies it reads', () => {
    require('../../bench/src/lib/http-load');
    const Queue = require('autocannon/lib/pipelinedRequestsQueue') as new () => { insertRequest(r: object): void; addBody(b: Buffer): void; peek(): { body: string } };
    const q = new Queue();
    q.insertRequest({});
    q.addBody(Buffer.from('{"a":1}'));
    expect(q.peek().body).toBe('');
  });

  it('still counts every answer of a large binary body by its status', async () => {
    const big = Buffer.alloc(64 * 1024, 0xff); // not valid UTF-8: the kind of body that cost most to decode
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': big.length });
      res.end(big);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const port = (server.address() as AddressInfo).port;
      const res = await load({ url: `http://127.0.0.1:${port}/`, seconds: 1, connections: 2 });
      expect(res.requests).toBeGreaterThan(0);
      expect(res.errors).toBe(0);
      expect(res.statusCodes).toEqual({ '200': res.requests });
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
