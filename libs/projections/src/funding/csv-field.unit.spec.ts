import { csvField, csvText, csvVerbatim, defuseFormula, keepAsText } from './csv-field';

describe('CSV fields', () => {
  it('defuses text a spreadsheet would run as a formula (OWASP): = + - @ tab CR, "-" and a digit included', () => {
    for (const t of ['=1+1', '+1', '-1+1', "-2+3+cmd|' /C calc'!A0", '-x', '@SUM(1)', '\t=1', '\r=1', '--']) expect([t, defuseFormula(t)]).toEqual([t, `'${t}`]);
  });

  it('leaves the bare indicator "-", empty text and ordinary text as they are', () => {
    for (const t of ['-', '', 'Ja', 'Varierer', 'Telemark fylkeskommune', ' =leading space', "'quoted", '2363000.00 + ikke oppgitt']) expect(defuseFormula(t)).toBe(t);
  });

  it('quotes a field holding the separator, a quote or a line break (RFC 4180), for either separator', () => {
    expect(csvField('a;b', ';')).toBe('"a;b"');
    expect(csvField('a;b', ',')).toBe('a;b');
    expect(csvField('a,b', ',')).toBe('"a,b"');
    expect(csvField('si "hei"', ';')).toBe('"si ""hei"""');
    expect(csvField('linje\nto', ',')).toBe('"linje\nto"');
    expect(csvText('=A1;B1', ';')).toBe(`"'=A1;B1"`);
    expect(csvText('\r=1', ',')).toBe(`"'\r=1"`);
  });

  it('quotes a field holding the other separator before a formula (a spreadsheet splitting on it would start a cell there), and only then', () => {
    expect(csvText('Senter Skien,=1+1', ';')).toBe('"Senter Skien,=1+1"');
    expect(csvText('Fylke;@SUM(1+1)', ',')).toBe('"Fylke;@SUM(1+1)"');
    expect(csvField('2363000,00', ';')).toBe('2363000,00');
    expect(csvField('Skien, Porsgrunn', ';')).toBe('Skien, Porsgrunn');
  });

  it('keepAsText: text a spreadsheet would show otherwise gets the same mark as a formula; whole numbers, ISO dates, words and the bare "-" do not', () => {
    const marked = ['00123', '01', '-05', '1E5', '1e-3', '2.5E10', '1/2', '0/0', '10/12', '12.05.2013', '1-2', '12.5', '12:30', '9:05:10', '1 000', '12 345,50', '1234567890123456', '123456789012', 'TRUE', 'false', 'SANN', 'usann', '=1+1', '@x',
      // From the changes review in Calc (nb-NO, en-US):
      '(123)', '1,50', '0,5', '123.450', 'kr 100', 'kr. 1 000,50', '100 kr', '5000,-', '50 %', '12%', '12. mai 2013', 'mai 2013', 'March 2013', 'Mar 5, 2013', '12.05.2013 10:00', '2013-05-12T10:00', '2013-05-12 10:00:00', '12/2013', '1-2013'];
    for (const t of marked) expect([t, keepAsText(t)]).toEqual([t, `'${t}`]);
    const kept = ['-', '', '19', '2013', '2014-03-01', '0', '12345678901', 'Telemark', '3B Karrieresenter', '1 av 2', 'KC 00123', '2363000.00 + ikke oppgitt', 'Ja', "'quoted", 'Mai-senteret', 'Desember-prosjektet', 'Marked 2013', 'kr', '%', ',', '.', `${'1'.repeat(70)}x`];
    // Texts longer than any value a spreadsheet reads are left as they are.
    expect(keepAsText(`${'1 '.repeat(5000)}`)).toBe(`${'1 '.repeat(5000)}`);
    for (const t of kept) expect([t, keepAsText(t)]).toEqual([t, t]);
    // csvText (the ledger's own texts, NOK totals among them) is unchanged by it.
    expect(csvText('00123', ';')).toBe('00123');
    expect(csvVerbatim('00123', ';')).toBe("'00123");
    expect(csvVerbatim('1;2', ';')).toBe('"1;2"');
  });
});
