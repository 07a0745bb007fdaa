import { isIsoDate, IsoDate, parseOre, Period, assertPeriod, refuse, refuseDate, sentAsText } from '../shared';

/** The fiscal years the ledger accepts. */
export const FISCAL_YEAR_MIN = 1990;
export const FISCAL_YEAR_MAX = 2100;

export const requireFiscalYear = (y: unknown): number => {
  // Left out: said as any required field is (it said "…, not undefined").
  if (y === undefined || y === null) return refuse('FISCAL_YEAR.OUT_OF_RANGE', `The fiscal year (fiscalYear) is required: a whole year from ${FISCAL_YEAR_MIN} to ${FISCAL_YEAR_MAX}, such as 2014.`, 'invalid', { field: 'fiscalYear' });
  if (typeof y !== 'number' || !Number.isInteger(y) || y < FISCAL_YEAR_MIN || y > FISCAL_YEAR_MAX) {
    // "2014" is such a year, sent as text: say that, not that it is out of range.
    const asText = sentAsText('The fiscal year', y, FISCAL_YEAR_MIN, FISCAL_YEAR_MAX);
    return refuse('FISCAL_YEAR.OUT_OF_RANGE', `${asText ?? `The fiscal year must be a whole year from ${FISCAL_YEAR_MIN} to ${FISCAL_YEAR_MAX}, not ${JSON.stringify(y)}`}.`, 'invalid', { field: 'fiscalYear', fiscalYear: y });
  }
  return y;
};

export const requireDate = (v: unknown, field: string): IsoDate => {
  if (!isIsoDate(v)) return refuseDate(field, `${field} (${JSON.stringify(v)}) is not a real calendar date written as YYYY-MM-DD.`);
  return v;
};

export const requirePeriod = (p: unknown, field = 'period'): Period => {
  if (p === null || typeof p !== 'object') return refuse('PERIOD.MISSING', `${field} is required: {"from": "YYYY-MM-DD", "to": "YYYY-MM-DD" or null}.`, 'invalid', { field });
  const { from, to } = p as { from?: unknown; to?: unknown };
  const period: Period = { from: requireDate(from, `${field}.from`), to: to === null || to === undefined ? null : requireDate(to, `${field}.to`) };
  assertPeriod(period, 'PERIOD.ENDS_BEFORE_START');
  return period;
};

/**
 * An amount as the API gives it: a decimal string in NOK, or null when the source says only
 * *that* money came, not how much ("amount not reported").
 */
export const parseAmountOrNotReported = (v: unknown, field = 'amount'): number | null => {
  if (v === null) return null;
  if (v === undefined) return refuse('MONEY.MISSING', `${field} is required: a decimal string in NOK such as "1800000.00", or null when the amount was not reported.`, 'invalid', { field });
  return parseOre(v, field);
};

/** An optional amount (an estimated value, an annual cost): absent or null means "not given". */
export const parseOptionalOre = (v: unknown, field: string): number | null => (v === null || v === undefined ? null : parseOre(v, field));

/** Largest annual cost of one position the ledger accepts: NOK 100 million (keeps day-weighted sums exact). */
export const MAX_ANNUAL_COST_ORE = 10_000_000_000;

const FTE = /^(\d+)(?:\.(\d+))?$/;

/**
 * An FTE fraction, exact: "0.5", "1", "0.813" (or the JSON number 0.5), at most three decimals,
 * 0 < FTE ≤ 1. Returned as per-mille (500, 1000, 813).
 */
export const parseFteMilli = (v: unknown, field = 'fte'): number => {
  if (v === undefined || v === null) return refuse('STAFF.FTE_INVALID', `${field} is required: a decimal such as "0.5" or "1" (full time).`, 'invalid', { field });
  if (typeof v !== 'string' && typeof v !== 'number') return refuse('STAFF.FTE_INVALID', `${field} must be a decimal such as "0.5" or "1", not ${typeof v}.`, 'invalid', { field });
  if (typeof v === 'number' && !Number.isFinite(v)) return refuse('STAFF.FTE_INVALID', `${field} must be a finite decimal such as "0.5".`, 'invalid', { field });
  const s = String(v).trim();
  if (s.startsWith('-')) return refuse('STAFF.FTE_OUT_OF_RANGE', `${field} must be more than 0 and at most 1 (full time); ${s} is not.`, 'invalid', { field, value: s });
  const m = FTE.exec(s);
  if (!m) {
    // "25 %": a percentage, said as the fraction it stands for.
    const pct = /^(\d{1,3})\s*%$/.exec(s);
    const hint = pct && Number(pct[1]) > 0 && Number(pct[1]) <= 100 ? ` For ${pct[1]} % write "${String(Number(pct[1]) / 100)}".` : '';
    return refuse('STAFF.FTE_INVALID', `${field} must be a decimal such as "0.5" or "1" (at most three decimals), not ${JSON.stringify(v)}.${hint}`, 'invalid', { field });
  }
  const decimals = m[2] ?? '';
  if (decimals.length > 3 && /[1-9]/.test(decimals.slice(3))) {
    return refuse('STAFF.FTE_INVALID', `${field} has more than three decimals; FTE is recorded exactly in per mille (e.g. "0.813").`, 'invalid', { field, value: s });
  }
  const whole = Number(m[1]);
  const milli = whole > 1 ? 1001 : whole * 1000 + Number(decimals.slice(0, 3).padEnd(3, '0'));
  if (milli <= 0 || milli > 1000) {
    // "50" is most likely a percentage: say how it is written here.
    const percent = /^\d{1,3}$/.test(s) && Number(s) >= 2 && Number(s) <= 100 ? ` For ${s} % write "${String(Number(s) / 100)}".` : '';
    return refuse('STAFF.FTE_OUT_OF_RANGE', `${field} must be more than 0 and at most 1 (full time); ${s} is not.${percent}`, 'invalid', { field, value: s });
  }
  return milli;
};

export const formatFte = (milli: number): string => `${Math.floor(milli / 1000)}.${String(milli % 1000).padStart(3, '0')}`.replace(/0+$/, '').replace(/\.$/, '.0');
