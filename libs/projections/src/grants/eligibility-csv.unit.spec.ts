import { toCsv } from './queries';

describe('eligibility CSV cells', () => {
  it('defuses text a spreadsheet would run as a formula, and leaves numbers, booleans and the bare "-" alone', () => {
    expect(toCsv([['=HYPERLINK("http://evil.example","Fylke")', '-2+3', '@SUM(A1)', '-', -1, true, null, 'a;b']])).toBe(
      `\uFEFF"'=HYPERLINK(""http://evil.example"",""Fylke"")",'-2+3,'@SUM(A1),-,-1,true,,"a;b"\r\n`,
    );
  });

  it('keeps as text what a spreadsheet would show otherwise (a county number "01", a count "1/2"), not whole numbers or ISO dates', () => {
    expect(toCsv([['01', '1/2', '0/0', '1E5', '12.05.2013', '12:30', 'TRUE', '19', '2014-03-01', 'Troms']])).toBe(
      "\uFEFF'01,'1/2,'0/0,'1E5,'12.05.2013,'12:30,'TRUE,19,2014-03-01,Troms\r\n",
    );
  });
});
