import { request } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { cpuMsOf } from './child';

// autocannon ships no types of its own.
const autocannon = require('autocannon') as (opts: Record<string, unknown>) => Promise<AutocannonResult>;

/**
 * autocannon appends every response body to a string (`body += chunk` in its request queue), only
 * for `expectBody`, `verifyBody` and per-request `onResponse`, none of which the benchmark uses. For
 * an 8 KB gzipped answer that decoding was ~40 % of the load client's CPU (profiled 2026-11-27:
 * `Buffer.toString` 39.5 % of the client's samples), and on 2 shared cores the client's CPU is the
 * server's lost: key figures ran at ~7,000 req/s with it, ~27,000 without. The minimal NestJS
 * baseline's 56 bytes cost it almost nothing, so the harness weighed on large answers only. Bytes
 * and status codes are counted elsewhere (on each chunk and from the headers), so nothing measured
 * changes but the client's own work. Fails loudly if a new autocannon moves the method.
 */
export const dropResponseBodies = (): void => {
  const queue = require('autocannon/lib/pipelinedRequestsQueue') as { prototype: { addBody?: (data: Buffer) => void } };
  if (typeof queue.prototype.addBody !== 'function') throw new Error('autocannon changed: PipelinedRequestsQueue.addBody is gone; review dropResponseBodies in bench/src/lib/http-load.ts');
  queue.prototype.addBody = () => undefined;
};
dropResponseBodies();

interface AutocannonResult {
  requests: { total: number; average: number };
  latency: { p50: number; p90: number; p99: number; max: number; average: number };
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  '2xx': number;
  statusCodeStats?: Record<string, { count: number }>;
}

export interface LoadResult {
  requestsPerSecond: number;
  requests: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  errors: number;
  non2xx: number;
  statusCodes: Record<string, number>;
  /** CPU (user + system) the server process spent per answered request, µs (Linux /proc; NaN elsewhere or without serverPid). */
  serverCpuUsPerRequest: number;
  /** CPU the load client (autocannon, in this process) spent per answered request, µs: on 2 cores it competes with the server. */
  clientCpuUsPerRequest: number;
}

export interface LoadOptions {
  url: string;
  connections?: number;
  seconds: number;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  /** A fresh path and body for each request (e.g. a POST with a new entry, a GET of another centre). */
  next?: () => { path: string; body?: string };
  /** The server's process id, to report its CPU per request beside the throughput. */
  serverPid?: number;
  /**
   * A load of this many seconds first, on the same connections' settings, whose figures are kept
   * apart (`warmup`) and out of the measured ones: a fresh server runs its first seconds on
   * unoptimised code (a POST load's first 3 s had p99 15-16 ms, the next 3 s 7-10 ms, measured
   * here), and the goals are about the steady state. `next` gives the warm-up's requests when
   * they must not be the measured ones (reads, whose answers would then come from the cache).
   */
  warmup?: { seconds: number; next?: () => { path: string; body?: string } };
}

/** Runs autocannon against a server on this machine, bounded in time (loopback only); after a warm-up load when asked. */
export const load = async (o: LoadOptions): Promise<LoadResult & { warmup?: LoadResult }> => {
  if (!/^http:\/\/127\.0\.0\.1:\d+\//.test(o.url)) throw new Error(`load only targets 127.0.0.1, not ${o.url}`);
  if (o.warmup && o.warmup.seconds > 0) {
    const warmup = await measure({ ...o, seconds: o.warmup.seconds, next: o.warmup.next ?? o.next });
    return { ...(await measure(o)), warmup };
  }
  return measure(o);
};

const measure = async (o: LoadOptions): Promise<LoadResult> => {
  const server0 = o.serverPid ? cpuMsOf(o.serverPid) : Number.NaN;
  const client0 = process.cpuUsage();
  const r = await autocannon({
    url: o.url,
    connections: o.connections ?? 10,
    duration: o.seconds,
    method: o.method ?? 'GET',
    headers: { 'content-type': 'application/json', ...(o.headers ?? {}) },
    requests: o.next ? [{ method: o.method ?? 'GET', setupRequest: (req: Record<string, unknown>) => ({ ...req, ...o.next!() }) }] : undefined,
  });
  const client = process.cpuUsage(client0);
  const serverMs = o.serverPid ? cpuMsOf(o.serverPid) - server0 : Number.NaN;
  const statusCodes = Object.fromEntries(Object.entries(r.statusCodeStats ?? {}).map(([k, v]) => [k, v.count]));
  return {
    requestsPerSecond: r.requests.total / r.duration,
    requests: r.requests.total,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    maxMs: r.latency.max,
    errors: r.errors + r.timeouts,
    non2xx: r.non2xx,
    statusCodes,
    serverCpuUsPerRequest: r.requests.total ? (serverMs * 1000) / r.requests.total : Number.NaN,
    clientCpuUsPerRequest: r.requests.total ? (client.user + client.system) / r.requests.total : Number.NaN,
  };
};

/** One request; resolves with status, body and the time it took (ms). */
export const fetchOnce = (url: string, headers: Record<string, string> = {}, method = 'GET', body?: string): Promise<{ status: number; body: string; ms: number; bytes: number; encoding: string | null }> =>
  new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const req = request(url, { method, headers: body ? { 'content-type': 'application/json', ...headers } : headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => {
        const raw = Buffer.concat(chunks);
        const encoding = (res.headers['content-encoding'] as string | undefined) ?? null;
        // The body as text: gzip answers (when the caller asked for them) are unpacked.
        const text = (encoding === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
        resolve({ status: res.statusCode ?? 0, body: text, ms: Number(process.hrtime.bigint() - t0) / 1e6, bytes: raw.length, encoding });
      });
    });
    req.setTimeout(30_000, () => req.destroy(new Error(`timeout: ${url}`)));
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });

/** Polls until the server answers `url` with 200 (or the deadline passes); returns ms from `since`. */
export const firstAnswer = async (url: string, headers: Record<string, string>, sinceNs: bigint, timeoutMs: number, alive: () => boolean): Promise<number> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!alive()) throw new Error('server exited before answering');
    try {
      const r = await fetchOnce(url, headers);
      if (r.status === 200) return Number(process.hrtime.bigint() - sinceNs) / 1e6;
      if (r.status >= 400 && r.status !== 503) throw new Error(`first request answered ${r.status}: ${r.body.slice(0, 300)}`);
    } catch (e) {
      if (!/ECONNREFUSED|ECONNRESET|socket hang up|timeout/.test(String((e as Error).message ?? e))) throw e;
    }
    if (Date.now() > deadline) throw new Error(`no answer from ${url} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
};

/**
 * A free TCP port on 127.0.0.1 below the ephemeral range (20000–29999), so no other process that
 * asks the OS for "any port" can take it in the seconds (or minutes, for a cold start) before our
 * server binds it.
 */
export const freePort = async (): Promise<number> => {
  const net = require('node:net') as typeof import('node:net');
  for (let tries = 0; tries < 50; tries++) {
    const port = 20_000 + Math.floor(Math.random() * 10_000);
    const free = await new Promise<boolean>((resolve) => {
      const srv = net.createServer();
      srv.once('error', () => resolve(false));
      srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error('no free port in 20000-29999');
};
