import { refuse } from './domain-error';

/**
 * Money is an integer number of øre inside the ledger and a decimal string in the API
 * ("1800000.00"). Never a float. The largest accepted amount is NOK 10^12.
 */
export const MAX_ORE = 10n ** 14n;
const MONEY = /^(0|[1-9]\d*)(?:\.(\d{1,2}))?$/;

export const isMoneyString = (s: unknown): s is string => typeof s === 'string' && MONEY.test(s);

/** '1800000.5' → 180000050 øre. Refuses negatives, floats, more than two decimals, zero and > NOK 10^12. */
export const parseOre = (s: unknown, field = 'amount'): number => {
  if (typeof s !== 'string') refuse('MONEY.NOT_A_DECIMAL_STRING', `${field} must be a decimal string in NOK such as "1800000.00", not a ${typeof s}.`, 'invalid', { field });
  const str = s as string;
  if (str.startsWith('-')) refuse('MONEY.NEGATIVE', `${field} cannot be negative; record a reversal to take money back.`, 'invalid', { field, value: str });
  const m = MONEY.exec(str);
  if (!m) {
    if (/^\d+\.\d{3,}$/.test(str)) refuse('MONEY.FRACTIONAL_ORE', `${field} has more than two decimals; amounts are in whole øre.`, 'invalid', { field, value: str });
    refuse('MONEY.INVALID', `${field} must be a decimal string in NOK with at most two decimals, such as "1800000.00".`, 'invalid', { field, value: str });
  }
  const ore = BigInt(m![1]) * 100n + BigInt((m![2] ?? '').padEnd(2, '0') || '0');
  if (ore === 0n) refuse('MONEY.ZERO', `${field} must be more than zero.`, 'invalid', { field });
  if (ore > MAX_ORE) refuse('MONEY.TOO_LARGE', `${field} is above NOK 1 000 000 000 000, which the ledger does not accept.`, 'invalid', { field, value: str });
  return Number(ore);
};

/**
 * 180000050 → '1800000.50'. Exact for every integer the ledger accepts. Safe integers (every single
 * amount, and any sum below NOK 90 trillion) are split with number arithmetic, which is exact there
 * (% and the division of a multiple of 100) and ~2× faster than BigInt; anything larger goes through BigInt.
 */
export const formatOre = (ore: number): string => {
  if (Number.isSafeInteger(ore)) {
    const abs = ore < 0 ? -ore : ore;
    const o = abs % 100;
    const s = `${(abs - o) / 100}.${o < 10 ? `0${o}` : o}`;
    return ore < 0 ? `-${s}` : s;
  }
  const neg = ore < 0;
  const abs = BigInt(Math.abs(ore));
  const s = `${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
  return neg ? `-${s}` : s;
};
