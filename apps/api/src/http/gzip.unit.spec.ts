import { gunzipSync } from 'node:zlib';
import { gzipAnswers } from './gzip';

/** One answer through the hook: what it passed on and the headers it left. */
const send = async (payload: unknown, opts: { status?: number; acceptEncoding?: string; headers?: Record<string, string> } = {}) => {
  const h: Record<string, string> = { ...(opts.headers ?? {}) };
  const reply = { statusCode: opts.status ?? 200, header: (k: string, v: string) => (h[k] = v), getHeader: (k: string) => h[k] };
  const req = { headers: opts.acceptEncoding === undefined ? {} : { 'accept-encoding': opts.acceptEncoding } };
  const out = await new Promise<unknown>((resolve) => gzipAnswers(1024)(req, reply, payload, (_e, p) => resolve(p)));
  return { out, headers: h };
};

describe('gzipAnswers (every answer of LEDGER_GZIP_MIN_BYTES and more)', () => {
  const long = JSON.stringify(Array.from({ length: 200 }, (_, i) => ({ i })));

  it('gzips a long 2xx answer for a client that accepts gzip, with Vary: Accept-Encoding added to what the route set', async () => {
    for (const status of [200, 201]) {
      const { out, headers } = await send(long, { status, acceptEncoding: 'gzip', headers: { vary: 'Accept' } });
      expect(gunzipSync(out as Buffer).toString()).toBe(long);
      expect(headers).toMatchObject({ 'content-encoding': 'gzip', vary: 'Accept, Accept-Encoding' });
    }
    expect(gunzipSync((await send(Buffer.from(long), { acceptEncoding: 'x-gzip' })).out as Buffer).toString()).toBe(long);
  });

  it('says Vary: Accept-Encoding on a long answer it sends as it is (the client refused gzip or did not ask)', async () => {
    for (const acceptEncoding of [undefined, 'gzip;q=0', 'identity', '*;q=0', 'br']) {
      const { out, headers } = await send(long, { acceptEncoding });
      expect([acceptEncoding, out, headers['content-encoding'], headers.vary]).toEqual([acceptEncoding, long, undefined, 'Accept-Encoding']);
    }
  });

  it('leaves alone short answers, errors, 304s, 204s, streams and payloads already encoded', async () => {
    const cases: [unknown, { status?: number; headers?: Record<string, string> }][] = [
      ['{"a":1}', {}],
      [long, { status: 404 }],
      [long, { status: 304 }],
      [long, { status: 204 }],
      [long, { status: 302 }],
      [long, { headers: { 'content-encoding': 'gzip' } }],
      [{ pipe: () => undefined }, {}],
      [undefined, {}],
    ];
    for (const [payload, opts] of cases) {
      const { out, headers } = await send(payload, { ...opts, acceptEncoding: 'gzip' });
      expect(out).toBe(payload);
      expect(headers.vary).toBeUndefined();
    }
  });

  it('leaves alone bodies compressed already (an XLSX workbook is a zip), whatever the client accepts', async () => {
    const workbook = Buffer.from(long);
    for (const type of ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/zip', 'image/png']) {
      const { out, headers } = await send(workbook, { acceptEncoding: 'gzip', headers: { 'content-type': type } });
      expect([type, out, headers['content-encoding'], headers.vary]).toEqual([type, workbook, undefined, undefined]);
    }
    expect((await send(long, { acceptEncoding: 'gzip', headers: { 'content-type': 'text/csv; charset=utf-8' } })).headers['content-encoding']).toBe('gzip');
  });

  it('counts a string\'s length in bytes, as it is sent', async () => {
    const almost = 'ø'.repeat(600); // 600 characters, 1200 bytes
    expect((await send(almost, { acceptEncoding: 'gzip' })).headers['content-encoding']).toBe('gzip');
  });
});
