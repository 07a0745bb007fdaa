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
