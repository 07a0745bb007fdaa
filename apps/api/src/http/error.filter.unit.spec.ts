import { ErrorBody, wwwAuthenticate } from './error.filter';

const body = (statusCode: number, code: string): ErrorBody => ({ statusCode, code, message: '', details: {} });

describe('wwwAuthenticate (RFC 6750 §3)', () => {
  it('challenges every 401 with the scheme and realm, adds error="invalid_token" for a token sent but refused, and nothing else', () => {
    expect(wwwAuthenticate(body(401, 'AUTH.MISSING_TOKEN'))).toBe('Bearer realm="ledger"');
    expect(wwwAuthenticate(body(401, 'AUTH.TOKEN_INVALID'))).toBe('Bearer realm="ledger", error="invalid_token"');
    expect(wwwAuthenticate(body(401, 'AUTH.TOKEN_EXPIRED'))).toBe('Bearer realm="ledger", error="invalid_token"');
    expect(wwwAuthenticate(body(403, 'ACCESS.DENIED'))).toBeUndefined();
    expect(wwwAuthenticate(body(400, 'AUTH.TOKEN_INVALID'))).toBeUndefined();
  });
});
