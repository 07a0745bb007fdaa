import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { ErrorBody } from './error.filter';
import { SECURITY_HEADERS } from './security-headers';

/**
 * Requests Node's HTTP parser refuses before Fastify routes them (Fastify's clientErrorHandler): they
 * are answered on the socket in the ledger's one error shape, with the security headers, instead of
 * Fastify's own `{"error","message","statusCode"}`; then the connection is closed (the parser cannot
 * go on after such a request).
 */

/** The error shape for a parser error, by Node's error code; anything else the parser refuses is a malformed request. */
export const clientErrorBody = (err: { code?: unknown }): ErrorBody => {
  if (err.code === 'HPE_HEADER_OVERFLOW') {
    return { statusCode: 431, code: 'REQUEST.HEADERS_TOO_LARGE', message: 'The request headers are too large; send fewer or shorter headers (a long cookie or token is the usual cause).', details: {} };
  }
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return { statusCode: 408, code: 'REQUEST.TIMEOUT', message: 'The request took too long to arrive; send it again.', details: {} };
  }
  return { statusCode: 400, code: 'REQUEST.MALFORMED', message: 'The request is not well-formed HTTP (a malformed request line or header); check what your client sends.', details: {} };
};

/** The whole answer to a refused request, as bytes for the socket. */
export const clientErrorResponse = (err: { code?: unknown }): string => {
  const body = clientErrorBody(err);
  const json = JSON.stringify(body);
  const headers: Record<string, string> = { ...SECURITY_HEADERS, 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(json)), connection: 'close' };
  let head = `HTTP/1.1 ${body.statusCode} ${STATUS_CODES[body.statusCode]}\r\n`;
  for (const name in headers) head += `${name}: ${headers[name]}\r\n`;
  return `${head}\r\n${json}`;
};

/** Fastify's clientErrorHandler (as its default does: nothing for a reset or closed socket, else answer and close). */
export const answerClientError = (err: NodeJS.ErrnoException, socket: Duplex): void => {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  if (socket.writable) socket.write(clientErrorResponse(err));
  socket.destroy(err);
};
