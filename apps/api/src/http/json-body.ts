/**
 * A write's body as the ledger reads it, before any route sees it (bootstrap.ts's application/json
 * parser): UTF-8 only, nested at most MAX_JSON_DEPTH deep, and no name given twice in one object.
 * Each check refuses the whole body (nothing is recorded); none is ever repaired: a U+FFFD in place of
 * "ø", or the last of two amounts, would be recorded for good. The refusal is answered by the AuthGuard,
 * after 401 and 403 (BODY_REFUSED below).
 */

import { countJsonNames, countKeys, duplicateName, MAX_JSON_DEPTH, TOO_DEEP } from '../../../../libs/application/src/json-names';

export { countJsonNames, countKeys, duplicateName, MAX_JSON_DEPTH, TOO_DEEP };

/**
 * The `charset` a Content-Type names when it is not UTF-8 (`utf-8`, or the `utf8` label the WHATWG
 * Encoding standard also reads as UTF-8; any case, quoted or not), else
 * null: none named is UTF-8 (RFC 8259 §8.1: JSON exchanged between systems is UTF-8). Every charset
 * parameter is read, so `charset=utf-8; charset=latin1` is not UTF-8.
 */
const UTF8_LABELS = new Set(['utf-8', 'utf8']);

export const charsetNotUtf8 = (contentType: string | undefined): string | null => {
  if (contentType === undefined || contentType.indexOf(';') < 0) return null;
  for (const param of contentType.split(';').slice(1)) {
    const eq = param.indexOf('=');
    if (eq < 0 || param.slice(0, eq).trim().toLowerCase() !== 'charset') continue;
    let value = param.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    if (!UTF8_LABELS.has(value.toLowerCase())) return value.slice(0, 64);
  }
  return null;
};

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** The bytes as UTF-8 text (a leading byte order mark dropped), or null when they are not valid UTF-8. */
export const decodeUtf8 = (bytes: Uint8Array): string | null => {
  try {
    return UTF8.decode(bytes);
  } catch {
    return null;
  }
};

/** Whether bytes that are not UTF-8 look like UTF-16 (a byte order mark), to say so. */
export const looksLikeUtf16 = (bytes: Uint8Array): boolean => bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff));

/** A refusal of the body before it was parsed, as the error filter answers it (error.filter.ts maps each `code`). */
export type BodyRefusal = Error & { statusCode: number; code: string; field?: string; charset?: string; utf16?: boolean };

const refusal = (code: string, statusCode: number, message: string, extra: Partial<BodyRefusal> = {}): BodyRefusal => Object.assign(new Error(message), { statusCode, code, ...extra });

/** 415: the body declares another charset than UTF-8 (REQUEST.UNSUPPORTED_MEDIA_TYPE). */
export const charsetRefusal = (charset: string): BodyRefusal => refusal('LEDGER_CHARSET_NOT_UTF8', 415, `charset ${charset} is not UTF-8`, { charset });
/** 400: the body's bytes are not valid UTF-8 (REQUEST.NOT_UTF8). */
export const notUtf8Refusal = (bytes: Uint8Array): BodyRefusal => refusal('LEDGER_BODY_NOT_UTF8', 400, 'body is not valid UTF-8', { utf16: looksLikeUtf16(bytes) });
/** 400: the JSON nests too deeply (REQUEST.TOO_DEEP). */
export const tooDeepRefusal = (): BodyRefusal => refusal('LEDGER_JSON_TOO_DEEP', 400, 'JSON nested too deeply');
/** 400: an object names a field twice (REQUEST.DUPLICATE_FIELD). */
export const duplicateFieldRefusal = (field: string): BodyRefusal => refusal('LEDGER_JSON_DUPLICATE_FIELD', 400, `JSON names ${field} twice`, { field });
/** 400: the body is JSON but not an object (REQUEST.BODY_NOT_OBJECT). */
export const notObjectRefusal = (): BodyRefusal => refusal('LEDGER_JSON_NOT_OBJECT', 400, 'JSON body is not an object');
/** 400: well-formed JSON naming __proto__ or constructor.prototype (REQUEST.INVALID). */
export const forbiddenKeyRefusal = (): BodyRefusal => refusal('LEDGER_JSON_FORBIDDEN_KEY', 400, 'JSON body names __proto__ or constructor.prototype');

/**
 * Where bootstrap.ts's JSON parser leaves a body it refused, on the request, instead of failing the
 * request there: the body then stands as REFUSED_BODY and the AuthGuard throws this refusal once the
 * caller is let in (auth.guard.ts), so a caller with no token, a bad one or no right to the route is
 * told 401 or 403 whatever the body holds. A body over the size limit is never read, so it is still
 * refused (413) before anything.
 */
export const BODY_REFUSED = Symbol('ledgerBodyRefused');

/** The body of a request whose body was refused: empty and frozen, and never handed to a handler (the guard throws first). */
export const REFUSED_BODY: object = Object.freeze(Object.create(null) as object);

/** Throws the refusal bootstrap.ts's parser left on this request, if any (the AuthGuard calls it once the caller is let in). */
export const refuseBodyRefused = (req: { [BODY_REFUSED]?: Error }): void => {
  const refused = req[BODY_REFUSED];
  if (refused !== undefined) throw refused;
};

/** Whether a text parses as JSON (asked only of a body the parser refused, to tell a forbidden key from broken JSON). */
const isWellFormedJson = (text: string): boolean => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

/** Fastify's default JSON parser (secure-json-parse: __proto__ and constructor.prototype refused), which answers synchronously. */
export type JsonParser = (req: unknown, text: string, done: (err: Error | null, value?: unknown) => void) => void;

/**
 * A JSON write body from its bytes and Content-Type, or the refusal to answer, in this order: a
 * charset other than UTF-8 (415), bytes that are not UTF-8, nesting too deep (before parsing: a deep
 * body would overflow the stack), JSON that does not parse (the parser's own error: empty or invalid,
 * answered REQUEST.INVALID_JSON), __proto__, not an object, a name given twice.
 */
export const readJsonBody = (bytes: Uint8Array, contentType: string | undefined, parse: JsonParser): { value: object } | { refused: Error } => {
  const charset = charsetNotUtf8(contentType);
  if (charset !== null) return { refused: charsetRefusal(charset) };
  const text = decodeUtf8(bytes);
  if (text === null) return { refused: notUtf8Refusal(bytes) };
  const names = countJsonNames(text, MAX_JSON_DEPTH);
  if (names === TOO_DEEP) return { refused: tooDeepRefusal() };
  let error = null as Error | null;
  let value: unknown;
  parse(undefined, text, (err, parsed) => {
    error = err;
    value = parsed;
  });
  if (error !== null) {
    // Its parser calls a forbidden key invalid JSON too: told apart here, since the JSON is well-formed.
    const forbidden = (error as { code?: unknown }).code === 'FST_ERR_CTP_INVALID_JSON_BODY' && isWellFormedJson(text);
    return { refused: forbidden ? forbiddenKeyRefusal() : error };
  }
  // Every route takes a JSON object (a DTO): `null`, arrays, strings and numbers are refused here.
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { refused: notObjectRefusal() };
  // Fewer keys than names: an object names a field twice (JSON.parse kept the last value). Which one?
  const duplicate = countKeys(value) === names ? null : duplicateName(text);
  if (duplicate !== null) return { refused: duplicateFieldRefusal(duplicate) };
  return { value };
};
