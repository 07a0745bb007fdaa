import { PartsLayout, restoreWithParts, storeWithParts, updateYear } from './lazy-parts';

interface V {
  rev: number;
  money: Record<string, Record<string, { ore: number }>>;
  staff: Record<string, { fte: number }>;
  budgets: Record<string, { latest: string }>;
}
const LAYOUT: PartsLayout<V> = { years: ['money', 'budgets'], whole: ['staff'] };
const sample = (): V => ({
  rev: 7,
  money: { 2013: { tm: { ore: 100 }, va: { ore: 5 } }, 2014: { tm: { ore: 200 } }, 2015: {} },
  staff: { 'kc-1': { fte: 2 } },
  budgets: { 2014: { latest: 'b-1' } },
});

/** A snapshot's parts as a store would hand them back, counting every read. */
const storedAs = <T extends object>(view: T, layout: PartsLayout<T>) => {
  const { state, parts = {} } = storeWithParts(view, layout);
  const reads: string[] = [];
  const part = (key: string): string => {
    reads.push(key);
    if (!(key in parts)) throw new Error(`no part ${key}`);
    return parts[key];
  };
  return { state, parts, reads, part };
};
const stored = (view: V) => storedAs(view, LAYOUT);

describe('funding snapshots with parts read on first use', () => {
  it('keeps the big sections out of the main text: one part per year, one per whole section', () => {
    const s = stored(sample());
    expect(Object.keys(s.parts).sort()).toEqual(['budgets/2014', 'money/2013', 'money/2014', 'money/2015', 'staff']);
    expect(JSON.parse(s.state)).toEqual({ rev: 7, money: ['2013', '2014', '2015'], staff: null, budgets: ['2014'] });
  });

  it('reads back equal to the original, part by part and as a whole, keeping key order', () => {
    const s = stored(sample());
    const back = restoreWithParts<V>(s.state, LAYOUT, s.part, true);
    expect(s.reads).toEqual([]);
    expect(back.money[2014]).toEqual({ tm: { ore: 200 } });
    expect(s.reads).toEqual(['money/2014']);
    expect(Object.keys(back)).toEqual(['rev', 'money', 'staff', 'budgets']);
    expect(Object.keys(back.money)).toEqual(['2013', '2014', '2015']);
    expect(back).toEqual(sample());
    expect(JSON.stringify(back)).toBe(JSON.stringify(sample()));
  });

  it('reads a part once, and writes parts never read back unchanged without parsing them', () => {
    const s = stored(sample());
    const back = restoreWithParts<V>(s.state, LAYOUT, s.part, true);
    back.money[2014].tm.ore += 1; // a fold changing one year in place
    back.money[2014].tm.ore += 1;
    expect(s.reads).toEqual(['money/2014']);
    expect(Object.getOwnPropertyDescriptor(back.money, '2014')?.value).toEqual({ tm: { ore: 202 } });
    expect(Object.getOwnPropertyDescriptor(back.money, '2013')?.get).toBeDefined();
    expect(Object.getOwnPropertyDescriptor(back, 'staff')?.get).toBeDefined();
    const again = storeWithParts(back, LAYOUT);
    expect(again.parts!['money/2013']).toBe(s.parts['money/2013']);
    expect(again.parts!['staff']).toBe(s.parts['staff']);
    expect(again.parts!['money/2014']).toBe(JSON.stringify({ tm: { ore: 202 } }));
  });

  it('takes new years, replaced years and sections, and ??= like a plain object', () => {
    const s = stored(sample());
    const back = restoreWithParts<V>(s.state, LAYOUT, s.part, true);
    (back.money[2016] ??= {}).tm = { ore: 1 };
    (back.money[2013] ??= {}).xx = { ore: 2 };
    back.budgets[2014] = { latest: 'b-2' };
    back.staff = { 'kc-2': { fte: 1 } };
    expect(s.reads).toEqual(['money/2013']);
    expect(back.money[2016]).toEqual({ tm: { ore: 1 } });
    expect(back.money[2013]).toEqual({ tm: { ore: 100 }, va: { ore: 5 }, xx: { ore: 2 } });
    const again = stored(back);
    const back2 = restoreWithParts<V>(again.state, LAYOUT, again.part, true);
    expect(back2.budgets).toEqual({ 2014: { latest: 'b-2' } });
    expect(back2.staff).toEqual({ 'kc-2': { fte: 1 } });
    expect(Object.keys(back2.money)).toEqual(['2013', '2014', '2015', '2016']);
  });

  it('puts off updates to a year not read yet until it is read, and stores the updated year back', () => {
    const s = stored(sample());
    const back = restoreWithParts<V>(s.state, LAYOUT, s.part, true);
    const bump = (v: Record<string, { ore: number }> | undefined) => ({ ...v, tm: { ore: (v?.tm?.ore ?? 0) + 1 } });
    updateYear(back.money, '2014', bump);
    updateYear(back.money, '2014', bump);
    updateYear(back.money, '2016', bump); // a year not stored: a plain write
    expect(s.reads).toEqual([]);
    expect(Object.getOwnPropertyDescriptor(back.money, '2016')?.value).toEqual({ tm: { ore: 1 } });
    const again = storeWithParts(back, LAYOUT); // the waiting year is stored updated, not as its stale text
    expect(JSON.parse(again.parts!['money/2014'])).toEqual({ tm: { ore: 202 } });
    expect(again.parts!['money/2013']).toBe(s.parts['money/2013']);
    updateYear(back.money, '2013', () => undefined); // emptied: gone once read, as on a plain object
    expect(back.money[2013]).toBeUndefined();
    expect(Object.keys(back.money)).toEqual(['2014', '2015', '2016']);
  });

  it('reads every part at once for the live view', () => {
    const s = stored(sample());
    const back = restoreWithParts<V>(s.state, LAYOUT, s.part, false);
    expect(s.reads.sort()).toEqual(Object.keys(s.parts).sort());
    expect(Object.getOwnPropertyDescriptor(back.money, '2013')?.get).toBeUndefined();
    expect(Object.getOwnPropertyDescriptor(back, 'staff')?.get).toBeUndefined();
    expect(back).toEqual(sample());
  });

  it('fails loudly when a part is missing from the store', () => {
    const s = stored(sample());
    const back = restoreWithParts<V>(s.state, LAYOUT, (key) => (key === 'staff' ? (() => { throw new Error('no part staff'); })() : s.part(key)), true);
    expect(() => back.staff).toThrow('no part staff');
  });
});

describe('sections read by id, stored in buckets', () => {
  interface W {
    rev: number;
    positions: Record<string, { centreId: string; fte: number }>;
  }
  const BUCKETED: PartsLayout<W> = { years: [], whole: [], buckets: { positions: 4 } };
  const ids = Array.from({ length: 12 }, (_, i) => `pos-${(i * 7919) % 1000}-${i}`);
  const original = (): W => ({ rev: 3, positions: Object.fromEntries(ids.map((id, i) => [id, { centreId: `kc-${i % 3}`, fte: i }])) });
  const storedW = (view: W) => {
    const { state, parts = {} } = storeWithParts(view, BUCKETED);
    const reads: string[] = [];
    return { state, parts, reads, part: (key: string) => (reads.push(key), parts[key]) };
  };

  it('reads only the bucket of an id it touches, and every bucket (in stored order) when enumerated', () => {
    const s = storedW(original());
    expect(Object.keys(s.parts).sort()).toEqual(['positions/0', 'positions/1', 'positions/2', 'positions/3', 'positions/order']);
    const back = restoreWithParts<W>(s.state, BUCKETED, s.part, true);
    expect(back.positions[ids[5]]).toEqual({ centreId: 'kc-2', fte: 5 });
    expect(back.positions['no-such-position']).toBeUndefined();
    expect(s.reads.length).toBeLessThanOrEqual(2);
    expect(s.reads).not.toContain('positions/order');
    expect(Object.keys(back.positions)).toEqual(ids);
    expect(JSON.stringify(back)).toBe(JSON.stringify(original()));
  });

  it('behaves like a plain object under writes, deletes and re-adds, and stores back equal', () => {
    const s = storedW(original());
    const back = restoreWithParts<W>(s.state, BUCKETED, s.part, true);
    const plain = original();
    for (const v of [back, plain]) {
      v.positions[ids[2]].fte = 99;
      v.positions['pos-new'] = { centreId: 'kc-9', fte: 1 };
      delete v.positions[ids[0]];
      v.positions[ids[0]] = { centreId: 'kc-0', fte: 0 };
      expect(ids[4] in v.positions).toBe(true);
    }
    expect(Object.keys(back.positions)).toEqual(Object.keys(plain.positions));
    expect(JSON.stringify(back)).toBe(JSON.stringify(plain));
    const again = storedW(back);
    const eager = restoreWithParts<W>(again.state, BUCKETED, again.part, false);
    expect(Object.keys(eager.positions)).toEqual(Object.keys(plain.positions));
    expect(eager).toEqual(plain);
  });
});

describe('sections keyed by id with a year-keyed record inside, stored one part per year', () => {
  interface S {
    rev: number;
    staff: Record<string, { years: Record<string, { fte: number }>; tails: Record<string, number> }>;
  }
  const WITHIN: PartsLayout<S> = { years: [], whole: [], yearsWithin: { staff: 'years' } };
  const sampleS = (): S => ({
    rev: 3,
    staff: {
      'kc-2': { years: { 2013: { fte: 1 }, 2014: { fte: 2 } }, tails: { 2015: 1 } },
      'kc-1': { years: { 2014: { fte: 5 } }, tails: {} },
      'kc-3': { years: {}, tails: { 2011: 2 } },
    },
  });
  const storedS = (view: S) => storedAs(view, WITHIN);

  it('stores each year across ids, and the rest of every entry (ids in order) apart', () => {
    const s = storedS(sampleS());
    expect(Object.keys(s.parts).sort()).toEqual(['staff/2013', 'staff/2014', 'staff/rest']);
    expect(JSON.parse(s.parts['staff/2014'])).toEqual({ 'kc-2': { fte: 2 }, 'kc-1': { fte: 5 } });
    expect(Object.keys(JSON.parse(s.parts['staff/rest']))).toEqual(['kc-2', 'kc-1', 'kc-3']);
    expect(JSON.parse(s.state)).toEqual({ rev: 3, staff: ['2013', '2014'] });
  });

  it('reads nothing until the section is touched, then one year part for every id that year', () => {
    const s = storedS(sampleS());
    const back = restoreWithParts<S>(s.state, WITHIN, s.part, true);
    expect(back.rev).toBe(3);
    expect(s.reads).toEqual([]);
    expect(back.staff['kc-2'].tails).toEqual({ 2015: 1 });
    expect(s.reads).toEqual(['staff/rest']);
    expect(back.staff['kc-2'].years[2014]).toEqual({ fte: 2 });
    expect(back.staff['kc-1'].years[2014]).toEqual({ fte: 5 });
    expect(back.staff['kc-3'].years[2014]).toBeUndefined();
    expect(s.reads).toEqual(['staff/rest', 'staff/2014']);
    expect(back.staff['kc-1'].years[2030]).toBeUndefined(); // a year never stored reads nothing
    expect(s.reads).toEqual(['staff/rest', 'staff/2014']);
  });

  it('behaves like the plain view under folds (??=, in-place changes, deletes), enumerates every year, and stores back equal', () => {
    const s = storedS(sampleS());
    const back = restoreWithParts<S>(s.state, WITHIN, s.part, true);
    const want = sampleS();
    for (const v of [back, want]) {
      v.staff['kc-1'].years[2014].fte += 1;
      (v.staff['kc-3'].years[2013] ??= { fte: 0 }).fte += 4;
      delete v.staff['kc-2'].years[2013];
      (v.staff['kc-2'].years[2013] ??= { fte: 0 }).fte += 9;
      v.staff['kc-4'] = { years: { 2016: { fte: 1 } }, tails: {} };
    }
    expect(Object.keys(back.staff['kc-2'].years)).toEqual(['2013', '2014']);
    expect(back).toEqual(want);
    expect(JSON.stringify(back)).toBe(JSON.stringify(want));
    expect(storeWithParts(back, WITHIN)).toEqual(storeWithParts(want, WITHIN));
  });

  it('puts off updates to a year nobody has read until it is read, then applies them in order', () => {
    const s = storedS(sampleS());
    const back = restoreWithParts<S>(s.state, WITHIN, s.part, true);
    const want = sampleS();
    const add = (n: number) => (v: { fte: number } | undefined) => {
      const fte = (v?.fte ?? 0) + n;
      return fte === 0 ? undefined : { fte };
    };
    for (const v of [back, want]) {
      updateYear(v.staff['kc-2'].years, '2013', add(10));
      updateYear(v.staff['kc-2'].years, '2013', add(-11)); // 1 + 10 − 11 = 0: the year goes
      updateYear(v.staff['kc-1'].years, '2014', add(1));
      updateYear(v.staff['kc-1'].years, '2020', add(3)); // a year no snapshot part holds
    }
    expect(s.reads).toEqual(['staff/rest']);
    expect(back.staff['kc-1'].years[2014]).toEqual({ fte: 6 });
    expect(s.reads).toEqual(['staff/rest', 'staff/2014']);
    updateYear(back.staff['kc-1'].years, '2014', add(1)); // a year already read is updated at once
    updateYear(want.staff['kc-1'].years, '2014', add(1));
    expect(Object.getOwnPropertyDescriptor(back.staff['kc-1'].years, '2014')?.value).toEqual({ fte: 7 });
    expect('2013' in back.staff['kc-2'].years).toBe(false);
    expect(Object.keys(back.staff['kc-1'].years)).toEqual(['2014', '2020']);
    expect(JSON.stringify(back)).toBe(JSON.stringify(want));
  });

  it('stores again without the years of an entry removed since the last store (no stale year text kept)', () => {
    const view = sampleS();
    const first = storeWithParts(view, WITHIN);
    expect(JSON.parse(first.parts!['staff/2013'])).toEqual({ 'kc-2': { fte: 1 } });
    delete view.staff['kc-2']; // not announced through markChanged: the store notices the entry is gone
    view.staff['kc-1'].years[2013] = { fte: 3 };
    const again = storeWithParts(view, WITHIN);
    const fresh = storeWithParts(JSON.parse(JSON.stringify(view)) as S, WITHIN);
    expect(again).toEqual(fresh);
    expect(JSON.parse(again.parts!['staff/2013'])).toEqual({ 'kc-1': { fte: 3 } });
    expect(JSON.parse(again.parts!['staff/2014'])).toEqual({ 'kc-1': { fte: 5 } });
    expect(Object.keys(JSON.parse(again.parts!['staff/rest']))).toEqual(['kc-1', 'kc-3']);
  });

  it('updates a plain year-keyed record at once', () => {
    const years: Record<string, number> = { 2013: 1 };
    updateYear(years, '2013', (v) => (v ?? 0) + 1);
    updateYear(years, '2014', () => 5);
    updateYear(years, '2013', () => undefined);
    expect(years).toEqual({ 2014: 5 });
  });

  it('reads every part at once for the live view, equal to the original', () => {
    const s = storedS(sampleS());
    const back = restoreWithParts<S>(s.state, WITHIN, s.part, false);
    expect(s.reads.sort()).toEqual(['staff/2013', 'staff/2014', 'staff/rest']);
    expect(JSON.stringify(back)).toBe(JSON.stringify(sampleS()));
  });

  it('fails loudly when a year part is missing from the store', () => {
    const s = storedS(sampleS());
    const back = restoreWithParts<S>(s.state, WITHIN, (k) => (k === 'staff/2013' ? (() => { throw new Error('no part staff/2013'); })() : s.part(k)), true);
    expect(() => back.staff['kc-2'].years[2013]).toThrow('no part staff/2013');
  });
});
