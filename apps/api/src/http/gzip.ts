import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import { wantsGzip, withVary } from './content-negotiation';

/** Bodies smaller than this are sent as they are: compressing a few KB costs more CPU (~25 % of a funding-mix read) than it saves on the wire. */
export const GZIP_MIN_BYTES = 8 * 1024;
/** zlib level: 6 (the default) compresses a 62 KB key-figures answer to ~5 KB in ~1 ms. */
const GZIP_LEVEL = 6;

const gzipAsync = promisify(gzip);
/** Compresses on the thread pool, off the event loop. */
export const gzipBody = (body: Buffer | string): Promise<Buffer> => gzipAsync(body, { level: GZIP_LEVEL });
export const gunzipBody = promisify(gunzip);

interface GzipRequest {
  headers: Record<string, string | string[] | undefined>;
}
interface GzipReply {
  statusCode: number;
  header(name: string, value: string): unknown;
  getHeader(name: string): unknown;
}

/**
 * Fastify onSend hook: gzips every 2xx answer of at least `minBytes` (a string or Buffer body) for a
 * client that accepts gzip, with `Vary: Accept-Encoding` on every answer that long (LEDGER_GZIP_MIN_BYTES).
 * Registered after the answer cache (which compresses its own answers once per entry and sets
 * Content-Encoding, so they are left alone here) and after the ETag step (the tag is the identity
 * body's). A 304 has no body. A HEAD is compressed too, only so that Fastify's HEAD step gives the
 * Content-Length GET would; it then drops the body. Streams and encoded payloads pass as they are.
 */
/** Media types whose bodies are compressed already (an XLSX workbook is a zip): gzip would cost CPU and save nothing. */
const COMPRESSED_ALREADY = /^(application\/(zip|gzip|x-gzip|vnd\.openxmlformats-officedocument\.[^;]*|pdf)|image\/(png|jpeg|gif|webp)|font\/woff2?)\b/i;
export const isCompressedAlready = (contentType: unknown): boolean => typeof contentType === 'string' && COMPRESSED_ALREADY.test(contentType.trim());

export const gzipAnswers =
  (minBytes: number) =>
  (req: GzipRequest, reply: GzipReply, payload: unknown, done: (err: Error | null, payload?: unknown) => void): void => {
    const status = reply.statusCode;
    if (status < 200 || status >= 300 || status === 204 || (typeof payload !== 'string' && !Buffer.isBuffer(payload)) || reply.getHeader('content-encoding') !== undefined) return done(null, payload);
    if ((typeof payload === 'string' ? Buffer.byteLength(payload) : payload.length) < minBytes || isCompressedAlready(reply.getHeader('content-type'))) return done(null, payload);
    reply.header('vary', withVary(reply.getHeader('vary'), 'Accept-Encoding'));
    if (!wantsGzip(req.headers['accept-encoding'])) return done(null, payload);
    gzipBody(payload).then(
      (out) => {
        reply.header('content-encoding', 'gzip');
        done(null, out);
      },
      () => done(null, payload),
    );
  };
