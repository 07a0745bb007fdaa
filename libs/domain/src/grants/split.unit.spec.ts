import fc from 'fast-check';
import { REMAINDER_RULE, splitEqually } from './split';

const counties = (n: number) => Array.from({ length: n }, (_, i) => ({ countyId: `c${i}`, countyNumber: String(((i * 7) % 19) + 1).padStart(2, '0') + `-${i}` }));

describe('the equal split of the base grant', () => {
  it('property: parts always sum to the whole and differ by at most one øre', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 14 }), fc.integer({ min: 1, max: 40 }), (total, n) => {
        const parts = splitEqually(total, counties(n));
        const amounts = parts.map((p) => p.amountOre);
        expect(parts).toHaveLength(n);
        expect(amounts.reduce((a, b) => a + b, 0)).toBe(total);
        expect(Math.max(...amounts) - Math.min(...amounts)).toBeLessThanOrEqual(1);
        expect(amounts.every((a) => Number.isSafeInteger(a) && a >= 0)).toBe(true);
        expect(parts.filter((p) => p.remainderOre === 1)).toHaveLength(total % n);
      }),
      { numRuns: 2000 },
    );
  });

  it('property: the remainder øre go to the first counties in ascending county number, whatever the input order', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 12 }), fc.shuffledSubarray(counties(19), { minLength: 1 }), (total, cs) => {
        const parts = splitEqually(total, cs);
        const numbers = parts.map((p) => p.countyNumber);
        expect(numbers).toEqual([...numbers].sort());
        const extra = parts.map((p) => p.remainderOre);
        expect(extra).toEqual([...extra].sort((a, b) => b - a));
        expect(splitEqually(total, [...cs].reverse())).toEqual(parts);
      }),
    );
  });

  it('splits NOK 26 600 000.01 among 19 counties: 1 400 000.00 each and the one extra øre to county 01', () => {
    const parts = splitEqually(2_660_000_001, counties(19));
    expect(parts[0].amountOre).toBe(140_000_001);
    expect(parts.slice(1).every((p) => p.amountOre === 140_000_000)).toBe(true);
    expect(REMAINDER_RULE).toBe('one-extra-ore-each-in-ascending-county-number');
  });

  it('refuses a negative or fractional total and gives nothing to nobody', () => {
    expect(() => splitEqually(-1, counties(2))).toThrow(RangeError);
    expect(() => splitEqually(1.5, counties(2))).toThrow(RangeError);
    expect(splitEqually(100, [])).toEqual([]);
  });
});
