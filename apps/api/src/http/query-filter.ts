import { DomainError, own } from '../../../../libs/domain/src/shared';

/**
 * One value of a list's query filter (`?countyId=…`, `?kind=…`), or undefined when it is left out or
 * empty. Given more than once (`?kind=a&kind=b`) the parser hands over an array; read as "no filter",
 * that silently answered the whole list, so it is 400 REQUEST.BAD_FILTER instead.
 */
export const queryFilter = (raw: unknown, name: string): string | undefined => {
  if (raw === undefined || raw === '') return undefined;
  if (typeof raw === 'string') return raw;
  const values = Array.isArray(raw) ? raw.slice(0, 10).map((v) => String(v).slice(0, 64)) : null;
  throw new DomainError(
    'REQUEST.BAD_FILTER',
    `${name} filters the list by one value; it was given ${Array.isArray(raw) ? `${raw.length} times` : 'in a form that is not one value'}. Give ${name} once (ask once per value to see several).`,
    'invalid',
    { filter: name, values },
  );
};

/**
 * A filter that takes one of a fixed set of values (`?status=awarded`): queryFilter, and any other
 * value is 400 REQUEST.BAD_FILTER too (read as "no match", it silently answered an empty list).
 */
export const queryFilterOf = <T extends string>(raw: unknown, name: string, allowed: readonly T[]): T | undefined => {
  const value = queryFilter(raw, name);
  if (value === undefined || (allowed as readonly string[]).includes(value)) return value as T | undefined;
  throw new DomainError('REQUEST.BAD_FILTER', `${name} must be one of: ${allowed.join(', ')} (or left out for all).`, 'invalid', { filter: name, values: [value.slice(0, 64)], allowed });
};

/**
 * A `?countyId=` filter names a registered county (as of the answer's cut), or it is 404
 * COUNTY.NOT_FOUND: read as "no match", a typo (`Telemark`, `telemark-fylke`) answered an empty list
 * that looked like "nothing recorded". Told the registered id when it differs only in case, as a write
 * naming the county is. `registered` tells a county placeholder of a view from a registered one.
 */
export const requireRegisteredCounty = <T>(countyId: string | undefined, counties: Readonly<Record<string, T>>, registered: (c: T) => boolean = () => true): void => {
  if (countyId === undefined) return;
  const county = own(counties, countyId);
  if (county !== undefined && registered(county)) return;
  countyNotFound(countyId, counties, registered);
};

/** 404 COUNTY.NOT_FOUND for a county id that is not registered, naming the registered id that differs only in case (`Telemark` → telemark). */
export function countyNotFound<T>(countyId: string, counties: Readonly<Record<string, T>>, registered: (c: T) => boolean = () => true): never {
  const lower = countyId.toLowerCase();
  const same = Object.keys(counties).find((id) => id.toLowerCase() === lower && registered(counties[id]));
  const hint = same === undefined ? ' See GET /counties for the registered county ids.' : ` County ids are written as registered: did you mean ${same}?`;
  throw new DomainError('COUNTY.NOT_FOUND', `County ${countyId} is not registered.${hint}`, 'not-found', { countyId });
}

/** The OpenAPI description of a `?countyId=` list filter checked by requireRegisteredCounty. */
export const COUNTY_FILTER = { description: 'One county id; a county that is not registered is 404 COUNTY.NOT_FOUND' } as const;
