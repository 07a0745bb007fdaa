import { canonicalJson } from './canonical-json';

/**
 * The first implementation, kept here as the reference: the hash chain depends on these exact bytes.
 * One change since: a hole in a sparse array is now written null, as JSON.stringify does (the
 * first wrote nothing, `[,"x"]`, which is not JSON). No recorded event can hold a hole, since every
 * payload reaches the ledger through JSON.parse, so no stored hash changes.
 */
const reference = (value: unknown): string => {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new Error('non-finite number in event');
    return JSON.stringify(value) ?? 'null';
  }
  // Array.from visits holes (as undefined); map skipped them.
  if (Array.isArray(value)) return `[${Array.from(value, (v) => (v === undefined ? 'null' : reference(v))).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${reference(obj[k])}`).join(',')}}`;
};

/** A small seeded generator (mulberry32), so a failure can be repeated. */
const prng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const KEYS = ['a', 'b', 'B', 'Z', '_', 'aa', 'ab', 'a b', 'æøå', 'Ω', '\u{1F600}', 'é', 'e\u0301', '10', '9', '1', '', '"q"', 'back\\slash', 'new\nline', 'entryId', 'centreId', 'amountOre', 'constructor', '__proto__x'];
const STRINGS = ['', 'x', 'Driftsmidler 2014', 'ÆØÅ æøå', '"quoted"', 'tab\there', 'nul\u0000', '\u2028\u2029', 'lone \ud800 surrogate', '\u{1F4B0} kroner', '</script>'];
const NUMBERS = [0, -0, 1, -1, 0.1, 1e21, 1e-7, 125_000_123, Number.MAX_SAFE_INTEGER, -2.5, 5e-324, 1.7976931348623157e308];

const generate = (rnd: () => number, depth: number): unknown => {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const r = rnd();
  if (depth <= 0 || r < 0.45) {
    const s = rnd();
    if (s < 0.35) return pick(STRINGS);
    if (s < 0.7) return pick(NUMBERS);
    if (s < 0.8) return rnd() < 0.5;
    if (s < 0.93) return null;
    return undefined;
  }
  if (r < 0.65) return Array.from({ length: Math.floor(rnd() * 5) }, () => generate(rnd, depth - 1));
  const o: Record<string, unknown> = {};
  const n = Math.floor(rnd() * (rnd() < 0.05 && depth < 2 ? 40 : 8));
  for (let i = 0; i < n; i++) o[rnd() < 0.8 ? pick(KEYS) : `k${Math.floor(rnd() * 100)}`] = generate(rnd, depth - 1);
  return o;
};

describe('canonicalJson', () => {
  it('gives exactly the bytes of the first implementation on 10,000 generated values', () => {
    const rnd = prng(7);
    const differ: string[] = [];
    for (let i = 0; i < 10_000; i++) {
      const v = generate(rnd, 4);
      if (canonicalJson(v) !== reference(v)) differ.push(reference(v));
    }
    expect(differ).toEqual([]);
  });

  it('sorts keys by code unit, drops undefined members, keeps null, writes undefined and holes in arrays as null', () => {
    expect(canonicalJson({ b: 1, a: undefined, B: null, é: 'x', e: [undefined, 1] })).toBe('{"B":null,"b":1,"e":[null,1],"é":"x"}');
    expect(canonicalJson([1, , 3])).toBe('[1,null,3]');
    expect(canonicalJson([1, , 3])).toBe(reference([1, , 3]));
    expect(canonicalJson(undefined)).toBe('null');
    expect(canonicalJson(new Date(0))).toBe('{}');
  });

  it('refuses non-finite numbers anywhere, like the first implementation', () => {
    for (const bad of [NaN, Infinity, { a: [1, -Infinity] }]) {
      expect(() => canonicalJson(bad)).toThrow('non-finite number in event');
      expect(() => reference(bad)).toThrow('non-finite number in event');
    }
  });

  it('sorts objects with many keys the same way', () => {
    const o: Record<string, number> = {};
    for (let i = 0; i < 300; i++) o[`key-${(i * 7919) % 1000}`] = i;
    expect(canonicalJson(o)).toBe(reference(o));
  });
});
