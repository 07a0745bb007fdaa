import { formatOre, MAX_ORE, parseOre } from './money';

/** The definition formatOre must agree with: integer øre split into kroner and øre with BigInt. */
const reference = (ore: number): string => {
  const abs = BigInt(Math.abs(ore));
  const s = `${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
  return ore < 0 ? `-${s}` : s;
};

describe('formatOre', () => {
  it('writes kroner and two øre digits', () => {
    expect(formatOre(0)).toBe('0.00');
    expect(formatOre(5)).toBe('0.05');
    expect(formatOre(50)).toBe('0.50');
    expect(formatOre(100)).toBe('1.00');
    expect(formatOre(180000050)).toBe('1800000.50');
    expect(formatOre(-12345)).toBe('-123.45');
    expect(formatOre(-7)).toBe('-0.07');
  });

  it('is exact at the edges of safe integers and beyond them', () => {
    for (const ore of [Number(MAX_ORE), Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 2 ** 53 - 101, 2 ** 53, 2 ** 60, -(2 ** 60)]) expect(formatOre(ore)).toBe(reference(ore));
    expect(formatOre(Number.MAX_SAFE_INTEGER)).toBe('90071992547409.91');
  });

  it('agrees with the BigInt definition on random amounts of every size', () => {
    let seed = 12345;
    const rnd = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let i = 0; i < 20000; i++) {
      const magnitude = 10 ** Math.floor(rnd() * 16);
      const ore = Math.floor(rnd() * magnitude) * (rnd() < 0.3 ? -1 : 1);
      expect(formatOre(ore)).toBe(reference(ore));
    }
  });

  it('round-trips with parseOre', () => {
    for (const s of ['0.01', '1.00', '1800000.50', '999999999999.99', '1000000000000.00']) expect(formatOre(parseOre(s))).toBe(s);
  });
});

describe('parseOre, an amount typed by hand', () => {
  const refusal = (s: string): { code: string; message: string } => {
    try {
      parseOre(s);
    } catch (e) {
      return { code: (e as { code: string }).code, message: (e as Error).message };
    }
    throw new Error(`${s} was accepted`);
  };

  it('says what is wrong (a decimal comma, spaces, thousands separators, a currency) and, where it is certain, the amount written right', () => {
    const form = 'write an amount in NOK with a decimal point (not a comma) and without spaces, thousands separators or currency, such as "1800000.00"';
    expect(refusal('1234,50')).toEqual({ code: 'MONEY.INVALID', message: `amount "1234,50" has a decimal comma: ${form} (here "1234.50").` });
    expect(refusal('1 234,50')).toEqual({ code: 'MONEY.INVALID', message: `amount "1 234,50" has spaces and a decimal comma: ${form} (here "1234.50").` });
    expect(refusal('1.234,5')).toEqual({ code: 'MONEY.INVALID', message: `amount "1.234,5" has a decimal comma and thousands separators: ${form} (here "1234.50").` });
    expect(refusal('kr 5000')).toEqual({ code: 'MONEY.INVALID', message: `amount "kr 5000" has "kr": ${form} (here "5000.00").` });
    expect(refusal('5000 NOK')).toEqual({ code: 'MONEY.INVALID', message: `amount "5000 NOK" has "NOK": ${form} (here "5000.00").` });
    expect(refusal('kr 5 000')).toEqual({ code: 'MONEY.INVALID', message: `amount "kr 5 000" has "kr" and spaces: ${form} (here "5000.00").` });
    expect(refusal('5000,-')).toEqual({ code: 'MONEY.INVALID', message: `amount "5000,-" has ",-": ${form} (here "5000.00").` });
    // "12,345" may be 12.345 or 12345: no amount is suggested.
    expect(refusal('12,345')).toEqual({ code: 'MONEY.INVALID', message: `amount "12,345" has a comma: ${form}.` });
  });

  it('keeps the general words for an amount with none of these', () => {
    for (const s of ['1e6', '', 'abc']) expect(refusal(s)).toEqual({ code: 'MONEY.INVALID', message: 'amount must be a decimal string in NOK with at most two decimals, such as "1800000.00".' });
    expect(refusal('1.234').code).toBe('MONEY.FRACTIONAL_ORE');
  });
});
