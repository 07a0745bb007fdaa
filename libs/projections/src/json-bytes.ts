/**
 * The JSON of a plain-data value as UTF-8 bytes, byte for byte what
 * `Buffer.from(JSON.stringify(value))` gives, without ever making that text as one string.
 *
 * Why: a string over ~128 KB lives in V8's large-object space, and once a request still holds it at
 * a young-generation collection it stays there until a full collection; a county's eligibility
 * answer is ~370 KB, and a few hundred of them left ~150-190 MB of such garbage waiting (measured:
 * the server's resident memory peaked ~100-250 MB higher). Bytes are external memory, which V8
 * counts towards collecting sooner. So objects and arrays down to `depth` are written member by
 * member, everything below with JSON.stringify, in chunks kept far below that size.
 */
const CHUNK = 16 * 1024;

type Piece = (text: string) => void;

/** Arrays and plain objects without toJSON are written member by member; anything else (dates, boxed values, maps) as JSON.stringify writes it. */
const isSplittable = (v: unknown): v is object => {
  if (typeof v !== 'object' || v === null) return false;
  if (Array.isArray(v)) return true;
  const proto = Object.getPrototypeOf(v);
  return (proto === Object.prototype || proto === null) && typeof (v as { toJSON?: unknown }).toJSON !== 'function';
};

/** What JSON.stringify leaves out of an object (and writes as null in an array). */
const isSkipped = (v: unknown): boolean => v === undefined || typeof v === 'function' || typeof v === 'symbol';

const write = (value: unknown, depth: number, put: Piece): void => {
  if (depth <= 0 || !isSplittable(value)) {
    put(JSON.stringify(value));
    return;
  }
  if (Array.isArray(value)) {
    put('[');
    for (let i = 0; i < value.length; i++) {
      if (i > 0) put(',');
      const item: unknown = value[i];
      if (isSkipped(item)) put('null');
      else write(item, depth - 1, put);
    }
    put(']');
    return;
  }
  put('{');
  let first = true;
  for (const key of Object.keys(value)) {
    const member: unknown = (value as Record<string, unknown>)[key];
    if (isSkipped(member)) continue;
    put(first ? `${JSON.stringify(key)}:` : `,${JSON.stringify(key)}:`);
    first = false;
    write(member, depth - 1, put);
  }
  put('}');
};

/** `Buffer.from(JSON.stringify(value))` for plain data (what JSON.stringify accepts without a replacer), made from pieces; see above. */
export const jsonBytes = (value: unknown, depth: number): Buffer => {
  if (isSkipped(value)) throw new TypeError('jsonBytes: JSON.stringify gives no text for this value');
  const chunks: string[] = [];
  let chunk = '';
  write(value, depth, (text) => {
    chunk += text;
    if (chunk.length >= CHUNK) {
      chunks.push(chunk);
      chunk = '';
    }
  });
  if (chunk !== '') chunks.push(chunk);
  let total = 0;
  const lengths = chunks.map((c) => Buffer.byteLength(c, 'utf8'));
  for (const n of lengths) total += n;
  const out = Buffer.allocUnsafe(total);
  let at = 0;
  for (let i = 0; i < chunks.length; i++) at += out.write(chunks[i], at, lengths[i], 'utf8');
  return out;
};
