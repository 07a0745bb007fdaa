import { DomainError } from '../../../../libs/domain/src/shared';

/**
 * Writes say everything in their body: no write route takes a query parameter (each route's handler
 * reads none; `test/http/write-query.e2e-spec.ts` checks every one). One sent anyway (`?dryRun=true`,
 * `?validateOnly=1`) would be ignored and the fact recorded for real, so it is refused, 400
 * REQUEST.UNKNOWN_QUERY: by the AuthGuard, once it lets the caller in (a missing token is 401, a role
 * that may not write 403, as without the query) and before the body is validated or anything is done,
 * for every route of these methods, as it refuses a read's cut of the log the read does not take.
 */
export const WRITE_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** At most this many names are listed (each at most 64 characters). */
const SHOWN = 10;

/** The refusal of a write that has query parameters (`query` as Fastify parsed it), or null. */
export const queryOfWriteRefused = (method: string, query: unknown): DomainError | null => {
  if (!WRITE_METHODS.has(method) || query === null || typeof query !== 'object') return null;
  const names = Object.keys(query);
  if (names.length === 0) return null;
  const parameters = names.slice(0, SHOWN).map((n) => n.slice(0, 64));
  const listed = `${parameters.map((n) => (n === '' ? '""' : n)).join(', ')}${names.length > SHOWN ? ', …' : ''}`;
  return new DomainError(
    'REQUEST.UNKNOWN_QUERY',
    `This request takes no query parameters: ${listed}; nothing was recorded. A write says everything in its body (there is no dry run): send it again without them.`,
    'invalid',
    { parameters },
  );
};

/** Throws the refusal of a write that has query parameters (see queryOfWriteRefused). */
export const refuseQueryOfWrite = (method: string | undefined, query: unknown): void => {
  const refused = method === undefined ? null : queryOfWriteRefused(method, query);
  if (refused !== null) throw refused;
};
