import { decodeImportFile } from './import-file';

describe('decodeImportFile', () => {
  it('valid UTF-8: the text, a leading byte order mark dropped', () => {
    expect(decodeImportFile(Buffer.from('\uFEFF{"a":"Trøndelag"}\n{}', 'utf8'))).toEqual({ text: '{"a":"Trøndelag"}\n{}' });
  });

  it('every line that is not valid UTF-8 is named IMPORT.NOT_UTF8 (CRLF or not), the valid ones are not', () => {
    const bytes = Buffer.concat([Buffer.from('{"ok":1}\r\n', 'utf8'), Buffer.from('{"name":"Trøndelag"}\r\n', 'latin1'), Buffer.from('{"ok":"ø"}\n', 'utf8'), Buffer.from('"Ålesund"', 'latin1')]);
    const r = decodeImportFile(bytes);
    expect('problems' in r && r.problems.map((p) => [p.line, p.code])).toEqual([
      [2, 'IMPORT.NOT_UTF8'],
      [4, 'IMPORT.NOT_UTF8'],
    ]);
  });

  it('a UTF-16 file is named as such', () => {
    const r = decodeImportFile(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{}\n', 'utf16le')]));
    expect('problems' in r && r.problems).toEqual([{ line: 1, code: 'IMPORT.NOT_UTF8', message: expect.stringContaining('UTF-16') }]);
  });
});
