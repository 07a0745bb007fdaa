/** Ids are opaque strings chosen by the caller or generated; this keeps them safe in stream names and URLs. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
export const isId = (s: unknown): s is string => typeof s === 'string' && ID_PATTERN.test(s);
