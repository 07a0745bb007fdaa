/**
 * `Authorization: Bearer <token>` (RFC 6750 §2.1): the scheme is case-insensitive (RFC 9110 §11.1),
 * then one or more spaces and a b64token. The one parser of the header: the guard, the answer cache
 * and the token trust check all read the token the same way.
 */
const BEARER = /^bearer +([A-Za-z0-9._~+/=-]+)$/i;

/** The bearer token of an Authorization value, or null when it is not a bearer credential. */
export const bearerToken = (authorization: unknown): string | null => {
  if (typeof authorization !== 'string') return null;
  const m = BEARER.exec(authorization);
  return m ? m[1] : null;
};
