import { deserializeWithLazyYears, serializeWithLazyYears } from './lazy-years';

interface V {
  rev: number;
  money: Record<string, Record<string, { ore: number }>>;
  budgets: Record<string, { latest: string }>;
}
const KEYS = ['money', 'budgets'] as const;
const sample = (): V => ({
  rev: 7,
  money: { 2013: { tm: { ore: 100 }, va: { ore: 5 } }, 2014: { tm: { ore: 200 } }, 2015: {} },
  budgets: { 2014: { latest: 'b-1' } },
});

describe('funding snapshots with years parsed on first read', () => {
  it('reads back equal to the original, year by year and as a whole', () => {
    const text = serializeWithLazyYears(sample(), KEYS);
    const back = deserializeWithLazyYears<V>(text, KEYS);
    expect(back.money[2014]).toEqual({ tm: { ore: 200 } });
    expect(Object.keys(back.money)).toEqual(['2013', '2014', '2015']);
    expect(back).toEqual(sample());
    expect(JSON.parse(JSON.stringify(back))).toEqual(sample());
  });

  it('parses a year only when it is read, and writes unread years back unchanged', () => {
    const text = serializeWithLazyYears(sample(), KEYS);
    const back = deserializeWithLazyYears<V>(text, KEYS);
    expect(Object.getOwnPropertyDescriptor(back.money, '2013')?.get).toBeDefined();
    back.money[2014].tm.ore += 1; // a fold changing one year in place
    expect(Object.getOwnPropertyDescriptor(back.money, '2014')?.value).toEqual({ tm: { ore: 201 } });
    expect(Object.getOwnPropertyDescriptor(back.money, '2013')?.get).toBeDefined();
    const again = deserializeWithLazyYears<V>(serializeWithLazyYears(back, KEYS), KEYS);
    expect(again).toEqual({ ...sample(), money: { ...sample().money, 2014: { tm: { ore: 201 } } } });
  });

  it('takes new years, replaced years and ??= like a plain object', () => {
    const back = deserializeWithLazyYears<V>(serializeWithLazyYears(sample(), KEYS), KEYS);
    (back.money[2016] ??= {}).tm = { ore: 1 };
    (back.money[2013] ??= {}).xx = { ore: 2 };
    back.budgets[2014] = { latest: 'b-2' };
    expect(back.money[2016]).toEqual({ tm: { ore: 1 } });
    expect(back.money[2013]).toEqual({ tm: { ore: 100 }, va: { ore: 5 }, xx: { ore: 2 } });
    expect(deserializeWithLazyYears<V>(serializeWithLazyYears(back, KEYS), KEYS).budgets).toEqual({ 2014: { latest: 'b-2' } });
  });

  it('parses every year at once for the live view', () => {
    const back = deserializeWithLazyYears<V>(serializeWithLazyYears(sample(), KEYS), KEYS, false);
    expect(Object.getOwnPropertyDescriptor(back.money, '2013')?.get).toBeUndefined();
    expect(back).toEqual(sample());
  });
});
