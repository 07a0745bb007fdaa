import { DomainError } from '../../../../libs/domain/src/shared';
import { parseAsOf } from '../ledger/query-gate';

/**
 * The cuts of the log a read route takes: `asOf` (a recorded time) and `atPosition` (a log
 * position). Declared on the handler by its decorators (ApiQueryResponses: asOf, unless its query
 * DTO leaves it out; TakesAtPosition: atPosition), which also document them, and enforced for every
 * read route by the AuthGuard once it lets the caller in (a global interceptor would wrap every
 * request, writes included, in an Observable): a cut the route does not take is refused, never ignored (an
 * answer at the head to a question about another point of the log would look like an answer to it).
 */
export interface ReadCuts {
  readonly asOf: boolean;
  readonly atPosition: boolean;
  /** asOf is the route's question itself (GET /audit/position-at: its query DTO requires it), not a cut it may leave out. */
  readonly asOfRequired?: boolean;
}

const READ_CUTS = 'ledgerReadCuts';

/** The routes that take `atPosition` (named in the refusal). */
export const AT_POSITION_ROUTES = ['/grant-schemes/{year}/eligibility', '/grant-schemes/{year}/eligibility/{countyId}', '/counties/{countyId}/eligibility/{year}'] as const;

/** The cuts a handler declared, or undefined for a route that is no read route (writes, /health). */
export const readCutsOf = (handler: object): ReadCuts | undefined => Reflect.getMetadata(READ_CUTS, handler) as ReadCuts | undefined;

/** Declares (part of) the cuts a read route's handler takes; the rest stay as declared, else not taken. */
export const declareReadCuts = (handler: object, cuts: Partial<ReadCuts>): void => {
  Reflect.defineMetadata(READ_CUTS, { asOf: false, atPosition: false, asOfRequired: false, ...readCutsOf(handler), ...cuts }, handler);
};

/** Marks a read route that answers `?atPosition=` (QueryGate.viewAtPosition). */
export const TakesAtPosition = (): MethodDecorator => (_target, _key, descriptor) => declareReadCuts(descriptor.value as object, { atPosition: true });

/**
 * The cut a query parameter's name was probably meant to be (`asof`, `AsOf`, `as_of`, `as-of`,
 * `asOf[]`: the name lowercased without `-`, `_` and `[]` is `asof` or `atposition`), or undefined when
 * it is the cut itself or no near-miss of one.
 */
export const nearMissOfCut = (name: string): 'asOf' | 'atPosition' | undefined => {
  if (name.length < 4 || name.length > 24 || name === 'asOf' || name === 'atPosition') return undefined;
  const bare = name.toLowerCase().replace(/[-_]|\[\]/g, '');
  return bare === 'asof' ? 'asOf' : bare === 'atposition' ? 'atPosition' : undefined;
};

/**
 * Refuses, before the route does any work (400): a cut the route does not take; a query parameter
 * that is a near-miss of a cut's name (answered at the head, it would look like an answer as of that
 * time; other unknown parameters, such as cache busters, stay tolerated); and an `asOf` that is not
 * one well-formed instant (given twice, too: parseAsOf, so every route, a query DTO's included,
 * answers REQUEST.BAD_AS_OF for it, not its DTO's VALIDATION.FAILED), or none where the route requires one.
 */
export const refuseCutsNotTaken = (given: Record<string, unknown> | undefined, cuts: ReadCuts): void => {
  const query = given ?? {};
  for (const name in query) {
    const meant = nearMissOfCut(name);
    if (meant === undefined) continue;
    const taken = meant === 'asOf' ? cuts.asOf : cuts.atPosition;
    throw new DomainError(
      'REQUEST.BAD_AS_OF',
      `There is no query parameter ${name.slice(0, 64)}: did you mean ${meant}?${taken ? '' : ` (This route does not take ${meant} either.)`} A misspelt cut is refused, not answered at the head of the log.`,
      'invalid',
      { parameter: name.slice(0, 64), didYouMean: meant },
    );
  }
  if (!cuts.atPosition && query.atPosition !== undefined) {
    throw new DomainError(
      'REQUEST.AT_POSITION_NOT_SUPPORTED',
      `atPosition is taken only by the eligibility routes (${AT_POSITION_ROUTES.join(', ')}); this route ${cuts.asOf ? 'answers at the head of the log, or as of a recorded time with asOf' : 'names its cut of the log another way'}.`,
      'invalid',
      { atPosition: typeof query.atPosition === 'string' ? query.atPosition.slice(0, 64) : null, takenBy: [...AT_POSITION_ROUTES] },
    );
  }
  if (!cuts.asOf && query.asOf !== undefined) {
    throw new DomainError(
      'REQUEST.AS_OF_NOT_SUPPORTED',
      'This route does not answer as of a recorded time: it names its cut of the log another way (the log: after, from and to; the digest and verify: position, which GET /audit/position-at gives for an instant).',
      'invalid',
      { asOf: typeof query.asOf === 'string' ? query.asOf.slice(0, 64) : null },
    );
  }
  if (cuts.asOf && query.asOf !== undefined) parseAsOf(query.asOf);
  if (cuts.asOfRequired && query.asOf === undefined) {
    throw new DomainError(
      'REQUEST.BAD_AS_OF',
      'asOf is required here: name the recorded-time instant to turn into a log position, such as ?asOf=2014-05-09T23:59:59Z (or a date such as ?asOf=2014-05-09, meaning the end of that day in Norway).',
      'invalid',
      { parameter: 'asOf', asOf: null },
    );
  }
};
