/** One county's share of an equal split. */
export interface SplitPart {
  countyId: string;
  countyNumber: string;
  amountOre: number;
  /** 1 when this county got one of the remainder øre, else 0. */
  remainderOre: number;
}

export const REMAINDER_RULE = 'one-extra-ore-each-in-ascending-county-number' as const;

/**
 * Splits `totalOre` equally among the counties, exactly to the øre: everyone gets
 * floor(total / n); the r = total mod n øre that are left go one each to the first r counties
 * in ascending county number (ties by county id). The parts always add up to the total and
 * differ by at most one øre.
 */
export const splitEqually = (totalOre: number, counties: readonly { countyId: string; countyNumber: string }[]): SplitPart[] => {
  if (!Number.isSafeInteger(totalOre) || totalOre < 0) throw new RangeError(`total must be a whole number of øre ≥ 0, got ${totalOre}`);
  const n = counties.length;
  if (n === 0) return [];
  const ordered = [...counties].sort((a, b) => (a.countyNumber < b.countyNumber ? -1 : a.countyNumber > b.countyNumber ? 1 : a.countyId < b.countyId ? -1 : a.countyId > b.countyId ? 1 : 0));
  const base = Math.floor(totalOre / n);
  const remainder = totalOre - base * n;
  return ordered.map((c, i) => {
    const extra = i < remainder ? 1 : 0;
    return { countyId: c.countyId, countyNumber: c.countyNumber, amountOre: base + extra, remainderOre: extra };
  });
};
