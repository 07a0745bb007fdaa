/**
 * A write's body as the ledger reads it, before any route sees it (bootstrap.ts's application/json
 * parser): UTF-8 only, nested at most MAX_JSON_DEPTH deep, and no name given twice in one object.
 * Each check refuses the whole body (nothing is recorded); none is ever repaired: a U+FFFD in place of
 * "ø", or the last of two amounts, would be recorded for good.
 */

/** Deeper JSON than this is refused before it is parsed (400 REQUEST.TOO_DEEP): no DTO nests anywhere near it. */
export const MAX_JSON_DEPTH = 32;

const QUOTE = 34;
const BACKSLASH = 92;
const OPEN_OBJECT = 123;
const CLOSE_OBJECT = 125;
const OPEN_ARRAY = 91;
const CLOSE_ARRAY = 93;
const COMMA = 44;
const COLON = 58;

/** What countJsonNames answers for a text nested deeper than allowed. */
export const TOO_DEEP = -1;

/**
 * One linear scan of a JSON text, outside strings (no recursion): TOO_DEEP when it nests objects or
 * arrays deeper than `max`, else how many names its objects have (a colon outside strings follows a
 * name, and only a name). Parsed, the text has that many keys (countKeys) unless an object names a
 * field twice: JSON.parse keeps the last. Meant for text about to be parsed (on other text the count
 * means nothing: the parse refuses it).
 */
export const countJsonNames = (text: string, max: number): number => {
  let depth = 0;
  let names = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++; // skip the escaped character
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === COLON) names++;
    else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (++depth > max) return TOO_DEEP;
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) depth--;
  }
  return names;
};

/** How many keys the objects of a parsed JSON value have, nested ones included (its depth is already bounded). */
export const countKeys = (value: unknown): number => {
  if (value === null || typeof value !== 'object') return 0;
  let n = 0;
  if (Array.isArray(value)) {
    for (const v of value) n += countKeys(v);
    return n;
  }
  for (const k in value) n += 1 + countKeys((value as Record<string, unknown>)[k]);
  return n;
};

/** A name as JSON.parse reads it: escapes decoded (so "\u0061mount" is "amount"); one that does not parse is compared as written. */
const decodedName = (quoted: string): string => {
  try {
    return JSON.parse(quoted) as string;
  } catch {
    return quoted;
  }
};

/** Where a name sits: `amount`, `period.from`, `parties[1].partyId`. */
const pathOf = (steps: (string | number)[], depth: number, name: string): string => {
  let out = '';
  for (let d = 1; d < depth; d++) {
    const s = steps[d];
    out += typeof s === 'number' ? `[${s}]` : out === '' ? s : `.${s}`;
  }
  return out === '' ? name : `${out}.${name}`;
};

/**
 * The first name a JSON text gives twice in one object, at any depth, with its path (`amount`,
 * `period.from`, `parties[1].partyId`), or null. Names are compared as JSON.parse reads them (escapes
 * decoded). One linear scan; asked only of a text whose name count says there is one (countJsonNames
 * against countKeys), so every body does not pay for the sets of names.
 */
export const duplicateName = (text: string): string | null => {
  let depth = 0;
  /** Per depth: whether the container is an object, the names it has so far, and the current name or index (for the path). */
  const isObject: boolean[] = [];
  const names: Set<string>[] = [];
  const steps: (string | number)[] = [];
  let expectName = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const start = i;
      let escaped = false;
      for (i++; i < text.length; i++) {
        const s = text.charCodeAt(i);
        if (s === BACKSLASH) {
          escaped = true;
          i++;
        } else if (s === QUOTE) break;
      }
      if (expectName) {
        expectName = false;
        const name = escaped ? decodedName(text.slice(start, i + 1)) : text.slice(start + 1, i);
        if (names[depth].has(name)) return pathOf(steps, depth, name);
        names[depth].add(name);
        steps[depth] = name;
      }
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      depth++;
      isObject[depth] = c === OPEN_OBJECT;
      names[depth] = new Set();
      steps[depth] = 0;
      expectName = isObject[depth];
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      depth--;
      expectName = false;
    } else if (c === COMMA && depth > 0) {
      if (isObject[depth]) expectName = true;
      else (steps[depth] as number)++;
    }
  }
  return null;
};

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
