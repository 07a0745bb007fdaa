import { FISCAL_YEAR_MAX, FISCAL_YEAR_MIN } from '../../../../libs/domain/src/funding';
import { DomainError } from '../../../../libs/domain/src/shared';

/**
 * The year of a report route (`/funding-mix/:year`, `/key-figures/:year/csv`, `?year=`): one parser, so
 * the JSON and CSV routes accept the same years and refuse with the same message and `details`
 * (`field` names the parameter, as every one-field refusal does).
 */
export const parseYearParam = (value: string, field = 'year'): number => {
  const year = /^\d{4}$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(year) || year < FISCAL_YEAR_MIN || year > FISCAL_YEAR_MAX) {
    const shown = value.length > 16 ? `${value.slice(0, 16)}…` : value;
    throw new DomainError('FISCAL_YEAR.OUT_OF_RANGE', `The year must be a four-digit year from ${FISCAL_YEAR_MIN} to ${FISCAL_YEAR_MAX}, not ${JSON.stringify(shown)}.`, 'invalid', { field, [field]: shown });
  }
  return year;
};
