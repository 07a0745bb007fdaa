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
/**
 * The longest a token may be valid, by default (LEDGER_JWT_MAX_HOURS): a working day's `ledger token`
 * (8 h) and an identity provider's access tokens (an hour, at most a day) fit; a token valid for
 * weeks or a century, stolen once, would be a key for as long. Refused: `exp` more than this after
 * `iat`, or more than this (plus TOKEN_CLOCK_LEEWAY_S) after now, whatever `iat` says or when there is none.
 */
export const DEFAULT_TOKEN_MAX_HOURS = 24;
/** The largest LEDGER_JWT_MAX_HOURS accepted: a week. */
export const TOKEN_MAX_HOURS_LIMIT = 168;
/** An issuer's clock a little ahead of this one (its `iat` a few minutes in the future) is not a longer lifetime. */
export const TOKEN_CLOCK_LEEWAY_S = 300;
