import { refuse } from './domain-error';

/**
 * Money is an integer number of øre inside the ledger and a decimal string in the API
 * ("1800000.00"). Never a float. The largest accepted amount is NOK 10^12.
 */
export const MAX_ORE = 10n ** 14n;
const MONEY = /^(0|[1-9]\d*)(?:\.(\d{1,2}))?$/;

export const isMoneyString = (s: unknown): s is string => typeof s === 'string' && MONEY.test(s);

/** "a", "a and b", "a, b and c". */
const listed = (xs: string[]): string => (xs.length < 2 ? xs.join('') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`);

/** A currency word typed before or after the number: "kr 5000", "kr. 5000", "5000 NOK", "5000,-". */
const CURRENCY = /^(kr\.?|nok)(?=[\s\d])|(kr\.?|nok)$/i;

/**
 * What is wrong with an amount typed the way people write money by hand ("1 234,50", "1.234,50",
 * "kr 5000", "5000,-"): a decimal comma, spaces, thousands separators, a currency word. `fixed` is the
 * amount it then stands for, written as the ledger takes it, only where that reading is certain (a
 * comma followed by one or two digits is a decimal comma; "12,345" could be either, so it gets none).
 * Undefined for an amount with none of these (left to the general message).
 */
const typedByHand = (s: string): { found: string[]; fixed?: string } | undefined => {
  const found: string[] = [];
  let t = s;
  const currency = CURRENCY.exec(t.trim());
  if (currency) {
    found.push(`"${currency[0]}"`);
    // The space between the currency and the number is not one of the amount's own spaces.
    t = t.trim().replace(CURRENCY, '').trim();
  }
  if (/\s/.test(t)) found.push('spaces');
  t = t.replace(/\s+/g, '');
  if (t.endsWith(',-')) {
    found.push('",-"');
    t = t.slice(0, -2);
  }
  if (t.includes(',')) {
    const decimalComma = /^(\d{1,3}(?:\.\d{3})+|\d+),(\d{1,2})$/.exec(t);
    if (decimalComma) {
      found.push('a decimal comma');
      if (decimalComma[1].includes('.')) found.push('thousands separators');
      t = `${decimalComma[1].replace(/\./g, '')}.${decimalComma[2]}`;
    } else {
      found.push('a comma');
      t = '';
    }
  }
  if (found.length === 0) return undefined;
  const m = MONEY.exec(t);
  if (!m) return { found };
  const ore = BigInt(m[1]) * 100n + BigInt((m[2] ?? '').padEnd(2, '0') || '0');
  return ore > 0n && ore <= MAX_ORE ? { found, fixed: formatOre(Number(ore)) } : { found };
};

/** Points between groups of three digits, the first group not starting with 0 ("1.000", "12.500.000"): the Norwegian thousands separator. */
const THOUSANDS = /^[1-9]\d{0,2}(\.\d{3})+$/;

/**
 * What to write instead of an amount with more than two decimals: "1.000" or "12.500.000" are most
 * likely thousands separators (the Norwegian way); otherwise the two nearest whole-øre amounts, since
 * which way to round is the officer's call, not the ledger's.
 */
const fractionalOreMessage = (field: string, str: string): string => {
  if (THOUSANDS.test(str)) {
    const whole = str.replace(/\./g, '');
    const fits = BigInt(whole) * 100n <= MAX_ORE;
    return `${field} "${str}" is not an amount in whole øre; if the points separate thousands, ${fits ? `write ${JSON.stringify(`${whole}.00`)} (no separators, a point before the øre)` : 'that is more than the largest amount the ledger takes'}.`;
  }
  const [kroner, decimals] = str.split('.');
  const down = BigInt(kroner) * 100n + BigInt(decimals.slice(0, 2));
  const fmt = (ore: bigint): string => `"${ore / 100n}.${String(ore % 100n).padStart(2, '0')}"`;
  // Only amounts the ledger takes (more than 0, at most MAX_ORE) are offered.
  const nearest = [down, down + 1n].filter((ore) => ore > 0n && ore <= MAX_ORE).map(fmt);
  return `${field} "${str}" has more than two decimals; amounts are in whole øre${nearest.length ? `: write at most two, e.g. ${nearest.join(' or ')}` : ''}.`;
};

/** '1800000.5' → 180000050 øre. Refuses negatives, floats, more than two decimals, zero and > NOK 10^12. */
export const parseOre = (s: unknown, field = 'amount'): number => {
  if (typeof s !== 'string') refuse('MONEY.NOT_A_DECIMAL_STRING', `${field} must be a decimal string in NOK such as "1800000.00", not a ${typeof s}.`, 'invalid', { field });
  const str = s as string;
  if (str.startsWith('-')) refuse('MONEY.NEGATIVE', `${field} cannot be negative; record a reversal to take money back.`, 'invalid', { field, value: str });
  const m = MONEY.exec(str);
  if (!m) {
    if (/^\d+\.\d{3,}$/.test(str) || THOUSANDS.test(str)) refuse('MONEY.FRACTIONAL_ORE', fractionalOreMessage(field, str), 'invalid', { field, value: str });
    const typed = typedByHand(str);
    if (typed) {
      const hint = typed.fixed === undefined ? '' : ` (here "${typed.fixed}")`;
      refuse('MONEY.INVALID', `${field} ${JSON.stringify(str)} has ${listed(typed.found)}: write an amount in NOK with a decimal point (not a comma) and without spaces, thousands separators or currency, such as "1800000.00"${hint}.`, 'invalid', { field, value: str });
    }
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
