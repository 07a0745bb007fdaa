/** Median, min and max of a few runs: the figure the table prints. */
export interface Spread {
  median: number;
  min: number;
  max: number;
  runs: number[];
}

export const median = (xs: readonly number[]): number => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

export const spread = (xs: readonly number[]): Spread => ({
  median: median(xs),
  min: xs.length ? Math.min(...xs) : NaN,
  max: xs.length ? Math.max(...xs) : NaN,
  runs: [...xs],
});

/** Nearest-rank percentile (p in 0..100) of a sample. */
export const percentile = (xs: readonly number[], p: number): number => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const rank = Math.min(s.length, Math.max(1, Math.ceil((p / 100) * s.length)));
  return s[rank - 1];
};

/** A deterministic PRNG (mulberry32): the same seed gives the same sequence on every machine. */
export const prng = (seed: number): (() => number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};
