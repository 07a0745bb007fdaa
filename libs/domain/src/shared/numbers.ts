/**
 * A whole number sent as text: `"2014"` where 2014 was meant. Answers the number when `v` is a string
 * holding a whole number from `min` to `max` (digits only, spaces around it allowed), else undefined.
 * A message saying "must be a whole year from 1990 to 2100, not "2014"" contradicts itself to the
 * reader, who cannot see that the quotes are the problem: `sentAsText` lets it say so instead.
 */
export const wholeNumberInText = (v: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined => {
  if (typeof v !== 'string' || !/^\s*-?\d{1,15}\s*$/.test(v)) return undefined;
  const n = Number(v.trim());
  return Number.isSafeInteger(n) && n >= min && n <= max ? n : undefined;
};

/**
 * The problem of a whole number sent as text (see `wholeNumberInText`), without a full stop:
 * `<label> must be sent as a number (2014), not as text ("2014")`; undefined when that is not the problem.
 */
export const sentAsText = (label: string, v: unknown, min: number, max?: number): string | undefined => {
  const n = wholeNumberInText(v, min, max);
  return n === undefined ? undefined : `${label} must be sent as a number (${n}), not as text (${JSON.stringify(v)})`;
};
