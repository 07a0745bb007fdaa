import Fastify from 'fastify';
import { charsetNotUtf8, countJsonNames, countKeys, decodeUtf8, duplicateName, JsonParser, MAX_JSON_DEPTH, readJsonBody, TOO_DEEP } from './json-body';

const parseJson = Fastify().getDefaultJsonParser('error', 'error') as JsonParser;
const read = (body: string | Buffer, contentType?: string) => readJsonBody(typeof body === 'string' ? Buffer.from(body, 'utf8') : body, contentType, parseJson);
const refusedCode = (body: string | Buffer, contentType?: string) => {
  const r = read(body, contentType);
  return 'refused' in r ? (r.refused as { code?: string }).code : 'accepted';
};

describe('countJsonNames and countKeys', () => {
  it.each([
    ['{}', 0],
    ['{"a":1}', 1],
    ['{"a":"x:y","b":{"c":[{"d":1},{"d":2}]}}', 5],
    ['{"a\\":b":1}', 1],
    ['{"a":"\\\\","b":":"}', 2],
    ['[1,2,{"a":[]}]', 1],
  ])('%s has %i names, and as many keys once parsed', (text, names) => {
    expect(countJsonNames(text, MAX_JSON_DEPTH)).toBe(names);
    expect(countKeys(JSON.parse(text))).toBe(names);
  });

  it('nesting deeper than the limit is TOO_DEEP, brackets in strings aside', () => {
    expect(countJsonNames(`{"a":${'['.repeat(32)}${']'.repeat(32)}}`, MAX_JSON_DEPTH)).toBe(TOO_DEEP);
    expect(countJsonNames(`{"a":${'['.repeat(31)}${']'.repeat(31)}}`, MAX_JSON_DEPTH)).toBe(1);
    expect(countJsonNames(`{"a":"${'['.repeat(100)}"}`, MAX_JSON_DEPTH)).toBe(1);
  });

  it('a name given twice leaves fewer keys than names', () => {
    const text = '{"amount":"5.00","amount":"5000000.00"}';
    expect([countJsonNames(text, MAX_JSON_DEPTH), countKeys(JSON.parse(text))]).toEqual([2, 1]);
  });
});

describe('duplicateName', () => {
  it.each([
    ['{"fiscalYear":2014,"amount":"5.00","amount":"5000000.00"}', 'amount'],
    ['{"period":{"from":"2014-01-01","from":"2015-01-01"}}', 'period.from'],
    ['{"parties":[{"partyId":"a","shareBp":1},{"partyId":"b","partyId":"c"}]}', 'parties[1].partyId'],
    ['{"content":{"lines":[{"a":1}],"goals":["x","y"],"lines":[]}}', 'content.lines'],
    ['{"a":{"b":[[{"c":1,"c":2}]]}}', 'a.b[0][0].c'],
    ['{"amount":1,"\\u0061mount":2}', 'amount'],
    ['{"a":{"x":1},"b":{"x":1}}', null],
    ['{"a":"\\"a\\":1,","b":"a"}', null],
    ['{"a":[{"x":1},{"x":2}]}', null],
  ])('%s → %s', (text, expected) => expect(duplicateName(text)).toBe(expected));
});

describe('charsetNotUtf8', () => {
  it.each([
    [undefined, null],
    ['application/json', null],
    ['application/json; charset=utf-8', null],
    ['application/json;charset=UTF-8', null],
    ['APPLICATION/JSON; CHARSET="utf-8"', null],
    ['application/json; foo=bar', null],
    ['application/json; charset=iso-8859-1', 'iso-8859-1'],
    ['application/json; charset="windows-1252"', 'windows-1252'],
    ['application/json; charset=utf8', null],
    ['application/json; charset=UTF8', null],
    ['application/json; charset=utf-16', 'utf-16'],
    ['application/json; charset=utf-8; charset=latin1', 'latin1'],
    ['application/json; charset=', ''],
  ])('%s → %s', (ct, expected) => expect(charsetNotUtf8(ct)).toBe(expected));
});

describe('decodeUtf8', () => {
  it('decodes UTF-8 (a leading byte order mark dropped), and refuses anything else whole', () => {
    expect(decodeUtf8(Buffer.from('Bø 😀', 'utf8'))).toBe('Bø 😀');
    expect(decodeUtf8(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{}')]))).toBe('{}');
    expect(decodeUtf8(Buffer.from('Bø', 'latin1'))).toBeNull();
    expect(decodeUtf8(Buffer.from([0x7b, 0xed, 0xa0, 0x80, 0x7d]))).toBeNull(); // an encoded surrogate
    expect(decodeUtf8(Buffer.from([0x7b, 0xc0, 0xaf, 0x7d]))).toBeNull(); // an overlong "/"
  });
});

describe('readJsonBody', () => {
  it('an object in UTF-8 is read as it is', () => {
    expect(read('{"name":"Karrieresenteret Bø","period":{"from":"2014-01-01"}}', 'application/json; charset=utf-8')).toEqual({ value: { name: 'Karrieresenteret Bø', period: { from: '2014-01-01' } } });
  });

  it.each([
    ['a charset other than UTF-8', '{"a":1}', 'application/json; charset=iso-8859-1', 'LEDGER_CHARSET_NOT_UTF8'],
    ['bytes that are not UTF-8', Buffer.from('{"name":"Bø"}', 'latin1'), 'application/json', 'LEDGER_BODY_NOT_UTF8'],
    ['too deep', `{"a":${'['.repeat(40)}${']'.repeat(40)}}`, 'application/json', 'LEDGER_JSON_TOO_DEEP'],
    ['broken JSON', '{"a":1', 'application/json', 'FST_ERR_CTP_INVALID_JSON_BODY'],
    ['empty', '', 'application/json', 'FST_ERR_CTP_EMPTY_JSON_BODY'],
    ['__proto__', '{"__proto__":{"x":1}}', 'application/json', 'LEDGER_JSON_FORBIDDEN_KEY'],
    ['an array', '[{"a":1}]', 'application/json', 'LEDGER_JSON_NOT_OBJECT'],
    ['a field twice', '{"a":1,"a":2}', 'application/json', 'LEDGER_JSON_DUPLICATE_FIELD'],
    ['a nested field twice', '{"p":[{"a":1},{"b":1,"b":1}]}', 'application/json', 'LEDGER_JSON_DUPLICATE_FIELD'],
    // a declared charset is refused before the bytes are looked at; broken JSON before a duplicate is looked for
    ['latin-1 declared and sent', Buffer.from('{"name":"Bø"}', 'latin1'), 'application/json; charset=latin1', 'LEDGER_CHARSET_NOT_UTF8'],
    ['broken JSON with a field twice', '{"a":1,"a":2', 'application/json', 'FST_ERR_CTP_INVALID_JSON_BODY'],
  ])('%s is refused', (_, body, ct, code) => expect(refusedCode(body, ct)).toBe(code));

  it('names the duplicate field, and says whether bytes that are not UTF-8 look like UTF-16', () => {
    expect(read('{"period":{"from":"2014-01-01","to":null,"from":"2015-01-01"}}')).toMatchObject({ refused: { statusCode: 400, field: 'period.from' } });
    expect(read(Buffer.from('\ufeff{"a":1}', 'utf16le'))).toMatchObject({ refused: { statusCode: 400, utf16: true } });
    expect(read(Buffer.from('{"a":"ø"}', 'latin1'))).toMatchObject({ refused: { statusCode: 400, utf16: false } });
    expect(read('{"a":1}', 'application/json; charset=us-ascii')).toMatchObject({ refused: { statusCode: 415, charset: 'us-ascii' } });
  });
});
