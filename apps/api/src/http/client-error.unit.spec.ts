import { clientErrorBody, clientErrorResponse } from './client-error';
import { SECURITY_HEADERS } from './security-headers';

describe('requests refused before routing', () => {
  it('maps Node\'s parser errors to the one error shape', () => {
    expect(clientErrorBody({ code: 'HPE_HEADER_OVERFLOW' })).toMatchObject({ statusCode: 431, code: 'REQUEST.HEADERS_TOO_LARGE', details: {} });
    expect(clientErrorBody({ code: 'ERR_HTTP_REQUEST_TIMEOUT' })).toMatchObject({ statusCode: 408, code: 'REQUEST.TIMEOUT' });
    for (const code of ['HPE_INVALID_HEADER_TOKEN', 'HPE_INVALID_METHOD', 'HPE_INVALID_VERSION', undefined]) {
      expect(clientErrorBody({ code })).toMatchObject({ statusCode: 400, code: 'REQUEST.MALFORMED', details: {} });
    }
  });

  it('writes a whole HTTP answer: status line, security headers, JSON type and byte length, then close', () => {
    const text = clientErrorResponse({ code: 'HPE_HEADER_OVERFLOW' });
    const [head, body] = text.split('\r\n\r\n');
    const lines = head.split('\r\n');
    expect(lines[0]).toBe('HTTP/1.1 431 Request Header Fields Too Large');
    const headers = Object.fromEntries(lines.slice(1).map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 2)]));
    expect(headers).toMatchObject({ ...SECURITY_HEADERS, 'content-type': 'application/json; charset=utf-8', connection: 'close', 'content-length': String(Buffer.byteLength(body)) });
    expect(Object.keys(JSON.parse(body)).sort()).toEqual(['code', 'details', 'message', 'statusCode']);
  });
});
