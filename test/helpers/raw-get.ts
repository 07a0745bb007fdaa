import { AddressInfo } from 'node:net';
import { request as httpRequest, Server } from 'node:http';

export type RawAnswer = { statusCode: number; headers: Record<string, string | string[] | undefined>; rawPayload: Buffer; body: string };

/**
 * One GET (or HEAD, or another method) over a real socket (listening on 127.0.0.1 first if needed),
 * the body as raw bytes: no client-side decompression. A header given as an array is sent as repeated lines.
 */
export const rawGet = async (server: Server, url: string, headers: Record<string, string | string[]> = {}, method = 'GET'): Promise<RawAnswer> => {
  if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path: url, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const rawPayload = Buffer.concat(chunks);
        resolve({ statusCode: res.statusCode!, headers: res.headers, rawPayload, body: rawPayload.toString('utf8') });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
};
