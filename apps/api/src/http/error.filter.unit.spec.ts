import { HttpException } from '@nestjs/common';
import { NotAcceptableError } from './content-negotiation';
import { ErrorBody, toErrorBody, wwwAuthenticate } from './error.filter';
import { charsetRefusal, duplicateFieldRefusal, notUtf8Refusal } from './json-body';

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

describe('toErrorBody: refusals of the request itself', () => {
  /** A Fastify error as Nest's adapter hands it to the filter: wrapped in an HttpException, itself the cause. */
  const wrapped = (code: string, statusCode: number) => {
    const cause = Object.assign(new Error(code), { name: 'FastifyError', code, statusCode });
    return new HttpException(cause.message, statusCode, { cause });
  };
  it.each([
    ['FST_ERR_CTP_INVALID_JSON_BODY', 400, 'REQUEST.INVALID_JSON'],
    ['FST_ERR_CTP_EMPTY_JSON_BODY', 400, 'REQUEST.INVALID_JSON'],
    ['FST_ERR_CTP_INVALID_MEDIA_TYPE', 415, 'REQUEST.UNSUPPORTED_MEDIA_TYPE'],
    ['FST_ERR_CTP_BODY_TOO_LARGE', 413, 'REQUEST.TOO_LARGE'],
    ['FST_ERR_CTP_INVALID_CONTENT_LENGTH', 400, 'REQUEST.INVALID'],
  ])('%s (wrapped by Nest, or not) → %i %s', (fcode, status, code) => {
    for (const e of [wrapped(fcode, status), Object.assign(new Error(fcode), { name: 'FastifyError', code: fcode, statusCode: status })]) {
      expect(toErrorBody(e)).toMatchObject({ statusCode: status, code });
    }
  });

  it('the body refusals of json-body.ts: a field twice, bytes that are not UTF-8, another charset', () => {
    expect(toErrorBody(duplicateFieldRefusal('period.from'))).toEqual({
      statusCode: 400,
      code: 'REQUEST.DUPLICATE_FIELD',
      message: 'The body names period.from more than once; send each field once (which value was meant?). Nothing was recorded.',
      details: { field: 'period.from' },
    });
    expect(toErrorBody(notUtf8Refusal(Buffer.from('Bø', 'latin1')))).toMatchObject({ statusCode: 400, code: 'REQUEST.NOT_UTF8', message: expect.stringContaining('Latin-1'), details: {} });
    expect(toErrorBody(notUtf8Refusal(Buffer.from('\ufeff{}', 'utf16le')))).toMatchObject({ statusCode: 400, code: 'REQUEST.NOT_UTF8', message: expect.stringContaining('UTF-16') });
    expect(toErrorBody(charsetRefusal('iso-8859-1'))).toMatchObject({ statusCode: 415, code: 'REQUEST.UNSUPPORTED_MEDIA_TYPE', message: expect.stringContaining('charset iso-8859-1'), details: { charset: 'iso-8859-1' } });
  });

  it('a body naming __proto__ is REQUEST.INVALID (well-formed JSON, refused); 406 names the types the address has', () => {
    expect(toErrorBody(Object.assign(new Error('x'), { statusCode: 400, code: 'LEDGER_JSON_FORBIDDEN_KEY' }))).toMatchObject({ statusCode: 400, code: 'REQUEST.INVALID' });
    expect(toErrorBody(new NotAcceptableError(['text/csv']))).toEqual({
      statusCode: 406,
      code: 'REQUEST.NOT_ACCEPTABLE',
      message: 'This address answers text/csv; send an Accept that allows it (or none at all).',
      details: { available: ['text/csv'] },
    });
  });
});
