import { toCsv } from './queries';

describe('eligibility CSV cells', () => {
  it('defuses text a spreadsheet would run as a formula, and leaves numbers, booleans and the bare "-" alone', () => {
    expect(toCsv([['=HYPERLINK("http://evil.example","Fylke")', '-2+3', '@SUM(A1)', '-', -1, true, null, 'a;b']])).toBe(
      `"'=HYPERLINK(""http://evil.example"",""Fylke"")",'-2+3,'@SUM(A1),-,-1,true,,"a;b"\r\n`,
    );
  });
});
