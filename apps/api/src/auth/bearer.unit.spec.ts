import { bearerToken } from './bearer';

describe('bearerToken', () => {
  it.each([
    ['Bearer abc.def.ghi', 'abc.def.ghi'],
    ['bearer abc.def.ghi', 'abc.def.ghi'],
    ['BEARER abc.def.ghi', 'abc.def.ghi'],
    ['bEaReR abc', 'abc'],
    ['Bearer   abc', 'abc'], // 1*SP
    ['Bearer a-b_c~d+e/f==', 'a-b_c~d+e/f=='],
    ['Bearer', null],
    ['Bearer ', null],
    ['Bearerabc', null],
    ['Basic dXNlcjpwYXNz', null],
    ['Bearer abc def', null],
    ['Bearer abc\t', null],
    [' Bearer abc', null],
    [undefined, null],
    [['Bearer abc'], null],
  ])('%s → %s', (header, token) => expect(bearerToken(header)).toBe(token));
});
