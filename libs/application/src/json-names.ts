/**
 * Names in a JSON text, read without parsing it: how deep it nests, how many names its objects have,
 * and the first name an object gives twice. Shared by the HTTP body parser and `ledger import`, so a
 * field named twice is refused on both ways in (JSON.parse would silently keep the last value).
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
