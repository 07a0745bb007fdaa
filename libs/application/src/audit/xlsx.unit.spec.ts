import { buildXlsx, columnName, sheetName, unzip, xmlEscape, zip } from './xlsx';

describe('xlsx writer', () => {
  it('names columns like a spreadsheet', () => {
    expect([0, 25, 26, 27, 51, 52, 701, 702].map(columnName)).toEqual(['A', 'Z', 'AA', 'AB', 'AZ', 'BA', 'ZZ', 'AAA']);
  });

  it('escapes XML and drops control characters; keeps sheet names legal', () => {
    expect(xmlEscape('a<b & "c"\u0001>')).toBe('a&lt;b &amp; &quot;c&quot;&gt;');
    expect(sheetName('Nøkkeltall 2013/2014: [utkast] og mer tekst enn tillatt')).toHaveLength(31);
    expect(sheetName('a/b')).toBe('a b');
  });

  it('drops every character XML 1.0 cannot hold (C0 controls but tab/LF/CR, lone surrogates, U+FFFE, U+FFFF), keeps the rest', () => {
    expect(xmlEscape('a\u0000b\u0008c\u000bd\u001fe\uFFFEf\uFFFFg\uD800h\uDFFFi')).toBe('abcdefghi');
    expect(xmlEscape('tab\tLF\nCR\r')).toBe('tab\tLF\nCR&#13;'); // a literal CR would be read back as LF (XML 1.0 §2.11)
    expect(xmlEscape('😀 \uD83D\uDE00 æøå \u0085 \uFFFD \uE000')).toBe('😀 😀 æøå \u0085 \uFFFD \uE000');
    // a sheet name cut inside a surrogate pair leaves no half behind
    const book = unzip(buildXlsx([{ name: `${'x'.repeat(30)}😀`, rows: [['Ugyldig\uFFFEtegn']] }]));
    expect(book.get('xl/workbook.xml')!.toString('utf8')).toContain(`name="${'x'.repeat(30)}"`);
    expect(book.get('xl/worksheets/sheet1.xml')!.toString('utf8')).toContain('>Ugyldigtegn</t>');
  });

  it('writes a ZIP that reads back byte for byte, deterministically', () => {
    const entries = [
      { name: 'a.txt', data: Buffer.from('hei æøå '.repeat(100)) },
      { name: 'dir/b.bin', data: Buffer.from([0, 1, 2, 255]) },
    ];
    const z = zip(entries);
    expect(zip(entries).equals(z)).toBe(true);
    const back = unzip(z);
    expect(back.get('a.txt')!.toString()).toBe('hei æøå '.repeat(100));
    expect([...back.get('dir/b.bin')!]).toEqual([0, 1, 2, 255]);
    const broken = Buffer.from(z);
    broken[40] ^= 0xff;
    expect(() => unzip(broken)).toThrow();
  });

  it('puts numbers as numbers with their style, text as inline strings, empty cells left out', () => {
    const book = unzip(buildXlsx([{ name: 'Ark', rows: [[{ v: 'Tittel', f: 'bold' }, null], ['Beløp', { v: 2363000.5, f: 'nok' }, { v: 0.644, f: 'percent' }, 7]], widths: [30, 12], freezeRows: 1 }]));
    const sheet = book.get('xl/worksheets/sheet1.xml')!.toString('utf8');
    expect(sheet).toContain('<c r="A1" s="1" t="inlineStr"><is><t xml:space="preserve">Tittel</t></is></c>');
    expect(sheet).not.toContain('r="B1"');
    expect(sheet).toContain('<c r="B2" s="2"><v>2363000.5</v></c>');
    expect(sheet).toContain('<c r="C2" s="5"><v>0.644</v></c>');
    expect(sheet).toContain('<c r="D2" s="3"><v>7</v></c>');
    expect(sheet).toContain('<pane ySplit="1"');
    expect(sheet).toContain('<col min="1" max="1" width="30" customWidth="1"/>');
    expect(book.get('[Content_Types].xml')!.toString()).toContain('/xl/worksheets/sheet1.xml');
  });
});
