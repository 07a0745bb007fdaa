import { DomainError } from '../../../../libs/domain/src/shared';

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
}

const READ_CUTS = 'ledgerReadCuts';

/** The routes that take `atPosition` (named in the refusal). */
export const AT_POSITION_ROUTES = ['/grant-schemes/{year}/eligibility', '/grant-schemes/{year}/eligibility/{countyId}', '/counties/{countyId}/eligibility/{year}'] as const;

/** The cuts a handler declared, or undefined for a route that is no read route (writes, /health). */
export const readCutsOf = (handler: object): ReadCuts | undefined => Reflect.getMetadata(READ_CUTS, handler) as ReadCuts | undefined;

/** Declares (part of) the cuts a read route's handler takes; the rest stay as declared, else not taken. */
export const declareReadCuts = (handler: object, cuts: Partial<ReadCuts>): void => {
  Reflect.defineMetadata(READ_CUTS, { asOf: false, atPosition: false, ...readCutsOf(handler), ...cuts }, handler);
};

/** Marks a read route that answers `?atPosition=` (QueryGate.viewAtPosition). */
export const TakesAtPosition = (): MethodDecorator => (_target, _key, descriptor) => declareReadCuts(descriptor.value as object, { atPosition: true });

/** Refuses a cut the route does not take (400), before the route does any work. */
export const refuseCutsNotTaken = (query: Record<string, unknown> | undefined, cuts: ReadCuts): void => {
  if (!query) return;
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
};
