/**
 * How long a verification is relied on. A verified token is trusted for VERIFIED_TTL_MS without a
 * full check (by the token service and the answer cache alike), and the identity provider's JWKS is
 * fetched again once older than JWKS_CACHE_MS, so a key removed from the JWKS stops being honoured
 * within their sum: 60 s, as README promises (jose's own default keeps a key set for 10 minutes).
 */
export const VERIFIED_TTL_MS = 30_000;
export const JWKS_CACHE_MS = 30_000;
/** The longest `sub` a token may carry: an identity, not a document. */
export const MAX_SUBJECT_LENGTH = 255;
