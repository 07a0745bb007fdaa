import { jsonBytes } from './json-bytes';

/** A small deterministic generator (so a failure names its seed). */
const prng = (seed: number) => () => {
  seed = (seed * 1_103_515_245 + 12_345) & 0x7fffffff;
  return seed / 0x80000000;
};

const STRINGS = ['', 'a', 'Ålesund øre æ', '"quoted" \\ back/slash', 'line\nbreak\ttab\u0000nul', '\ud83d\ude00 pair', 'lone \ud800 high', 'lone \udc00 low', '\u2028\u2029', 'x'.repeat(20_000)];
const LEAVES: unknown[] = [0, -0, 1.5, -12345678901234, 1e21, NaN, Infinity, true, false, null, undefined, () => 1, Symbol('s'), new Date(0), { toJSON: () => 'own' }, new Map([[1, 2]]), Object.assign(Object.create(null), { k: 1 })];

const randomValue = (rnd: () => number, depth: number): unknown => {
  const r = rnd();
  if (depth <= 0 || r < 0.35) return rnd() < 0.5 ? STRINGS[Math.floor(rnd() * STRINGS.length)] : LEAVES[Math.floor(rnd() * LEAVES.length)];
  if (r < 0.65) return Array.from({ length: Math.floor(rnd() * 8) }, () => randomValue(rnd, depth - 1));
  const o: Record<string, unknown> = {};
  for (let i = Math.floor(rnd() * 8); i > 0; i--) o[rnd() < 0.2 ? STRINGS[Math.floor(rnd() * 5)] : `k${Math.floor(rnd() * 20)}`] = randomValue(rnd, depth - 1);
  return o;
};

describe('jsonBytes', () => {
  it('is byte for byte Buffer.from(JSON.stringify(value)) for any depth of splitting (1,000 random values)', () => {
    for (let seed = 1; seed <= 1_000; seed++) {
      const value = randomValue(prng(seed), 5);
      const text = JSON.stringify(value);
      if (text === undefined) continue;
      const expected = Buffer.from(text);
      for (const depth of [0, 1, 2, 6]) {
        const got = jsonBytes(value, depth);
        if (!got.equals(expected)) throw new Error(`seed ${seed}, depth ${depth}: ${got.toString().slice(0, 200)} ≠ ${text.slice(0, 200)}`);
      }
    }
  });

  it('writes a large answer in chunks whose bytes join up exactly (multi-byte characters at every boundary)', () => {
    const centres = Array.from({ length: 400 }, (_, i) => ({ centreId: `kc-${i}`, name: `Karrieresenter Ålesund ${i} \ud83d\ude00`, criteria: [{ id: '3a', passed: i % 3 === 0, reason: { nb: 'ø'.repeat(i % 50), en: 'é'.repeat(i % 37) } }] }));
    const answer = { asOfPosition: 12, countyId: 'møre-og-romsdal', centres, events: centres.map((c, i) => ({ eventId: c.centreId, position: i })) };
    const got = jsonBytes(answer, 2);
    expect(got.length).toBeGreaterThan(64 * 1024);
    expect(got.equals(Buffer.from(JSON.stringify(answer)))).toBe(true);
  });

  it('refuses a value JSON.stringify gives no text for', () => {
    expect(() => jsonBytes(undefined, 2)).toThrow(TypeError);
  });
});
