import { csvField, csvText, defuseFormula } from './csv-field';

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
});
