/** Exact arithmetic helpers: sums stay integers; rounding happens once, at the edge, by these rules. */

export const daysInYear = (y: number): number => (y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 366 : 365);

/** num/den rounded to the nearest integer, halves away from zero (den > 0). */
export const roundDiv = (num: bigint, den: bigint): bigint => {
  const neg = num < 0n;
  const a = neg ? -num : num;
  const q = (2n * a + den) / (2n * den);
  return neg ? -q : q;
};

/** A count of tenths as "5.0", "-0.3". */
export const formatTenths = (tenths: bigint | number): string => {
  const t = BigInt(tenths);
  const neg = t < 0n;
  const a = neg ? -t : t;
  return `${neg ? '-' : ''}${a / 10n}.${a % 10n}`;
};

/** Staff-years to one decimal from Σ fteMilli × days: divided by days-in-year × 1000 only here. */
export const staffYearsTenths = (fteDays: number, year: number): bigint => roundDiv(BigInt(fteDays) * 10n, BigInt(daysInYear(year)) * 1000n);
export const formatStaffYears = (fteDays: number, year: number): string => formatTenths(staffYearsTenths(fteDays, year));

/**
 * The share rule, applied once per breakdown: every share is amount × 1000 / total in tenths of a
 * percent, rounded down; the tenths still missing to reach exactly 1000 (= 100.0 %) go one each to
 * the parts with the largest remainders (ties: the larger amount first, then the key in
 * alphabetical order). So shares always add up to exactly 100.0 %. Parts with no reported amount
 * get no share (null). (Hamilton's largest-remainder method.)
 */
export const SHARE_RULE =
  'Shares are computed exactly from øre, each rounded down to a tenth of a percent; the tenths missing to reach 100.0 % go one each to the largest remainders (ties: larger amount, then id). Shares therefore always add up to exactly 100.0 %. Only reported amounts take part; entries with an amount not reported are counted and listed, never treated as zero.';

/** `ore`: each part's amount, all in one unit (øre; cost shares pass øre × days, hence bigint too). */
export const largestRemainderTenths = (parts: { key: string; ore: number | bigint }[]): Record<string, number> => {
  const live = parts.filter((p) => BigInt(p.ore) > 0n);
  const total = live.reduce((s, p) => s + BigInt(p.ore), 0n);
  const out: Record<string, number> = {};
  if (total === 0n) return out;
  const rows = live.map((p) => {
    const scaled = BigInt(p.ore) * 1000n;
    return { key: p.key, ore: BigInt(p.ore), q: scaled / total, r: scaled % total };
  });
  let missing = 1000n - rows.reduce((s, r) => s + r.q, 0n);
  const order = [...rows].sort((a, b) => (a.r !== b.r ? (a.r > b.r ? -1 : 1) : a.ore !== b.ore ? (a.ore > b.ore ? -1 : 1) : a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (const r of order) {
    if (missing <= 0n) break;
    r.q += 1n;
    missing -= 1n;
  }
  for (const r of rows) out[r.key] = Number(r.q);
  return out;
};
