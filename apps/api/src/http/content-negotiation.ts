import { DomainError } from '../../../../libs/domain/src/shared';
import { memoOf } from './bounded-memo';

/**
 * Proactive negotiation (RFC 9110 §12): which encoding and which media type a request accepts, and
 * the Vary header that says an answer was chosen by them. The answer cache and the general gzip step
 * (gzip.ts) share the encoding rules; the JSON-or-CSV routes share the media-type rules.
 */

/** One element of a weighted list (Accept, Accept-Encoding): its name in lower case and its q (1 when absent). */
interface Weighted {
  readonly name: string;
  readonly q: number;
}

/** The elements of a weighted list, in order (a repeated header, an array, is one list). */
const weightedList = (header: string | string[]): Weighted[] => {
  const out: Weighted[] = [];
  for (const part of (Array.isArray(header) ? header.join(',') : header).split(',')) {
    const [token, ...params] = part.split(';');
    const name = token.trim().toLowerCase();
    if (name === '') continue;
    let q = 1;
    for (const p of params) {
      const m = /^\s*q\s*=\s*([0-9.]+)\s*$/i.exec(p);
      if (m) q = Number(m[1]);
    }
    out.push({ name, q });
  }
  return out;
};

/** Whether an Accept-Encoding header allows gzip (`gzip`, `x-gzip` or `*`, with q > 0; an explicit `gzip;q=0` refuses it whatever `*` says). */
export const acceptsGzip = (header: unknown): boolean => {
  if (typeof header !== 'string' || header === '') return false;
  let star = false;
  for (const { name, q } of weightedList(header)) {
    if (name === 'gzip' || name === 'x-gzip') return q > 0;
    if (name === '*') star = q > 0;
  }
  return star;
};

/** acceptsGzip, each distinct header value parsed once (it is asked on every answer). */
export const wantsGzip: (header: unknown) => boolean = (() => {
  const once = memoOf(acceptsGzip);
  return (header) => typeof header === 'string' && once(header);
})();

/** The q an Accept list gives a media type, from its most specific matching range (RFC 9110 §12.5.1), and how specific that range is (2 type/subtype, 1 type/*, 0 the full wildcard, -1 none). */
const mediaRank = (list: readonly Weighted[], type: string): { q: number; specificity: number } => {
  const major = `${type.slice(0, type.indexOf('/'))}/*`;
  let best = { q: 0, specificity: -1 };
  for (const { name, q } of list) {
    const specificity = name === type ? 2 : name === major ? 1 : name === '*/*' ? 0 : -1;
    if (specificity > best.specificity) best = { q, specificity };
  }
  return best;
};

/**
 * Whether an Accept header asks for CSV rather than JSON: text/csv named (or text/*) with q > 0, ranked
 * at least as high as application/json; or CSV allowed only by the full wildcard and JSON named by a
 * range of its own with a lower q (`application/json;q=0`, or `;q=0.001`, beside the full wildcard at
 * q=0.8: RFC 9110 ranks CSV first). No Accept, or only the full wildcard, is JSON (so curl and
 * browsers get JSON); `text/csv;q=0` refuses CSV.
 */
export const prefersCsv = (accept: unknown): boolean => {
  if (typeof accept !== 'string' && !Array.isArray(accept)) return false;
  const list = weightedList(accept as string | string[]);
  const csv = mediaRank(list, 'text/csv');
  if (csv.q <= 0) return false;
  const json = mediaRank(list, 'application/json');
  return csv.specificity > 0 ? csv.q >= json.q : json.specificity > 0 && json.q < csv.q;
};

/** What a route that answers JSON only offers (every route but those that name their own types). */
export const JSON_ONLY: readonly string[] = Object.freeze(['application/json']);
/** What a route that answers JSON or CSV offers (chosen by answersCsv). */
export const JSON_OR_CSV: readonly string[] = Object.freeze(['application/json', 'text/csv']);

/**
 * Whether an Accept header allows at least one of `types` (lower-case type/subtype): a type is allowed
 * when the most specific range that names it (type/subtype, then type/*, then the full wildcard; a bare
 * `*` counts as the full wildcard) gives it q > 0. So `application/json;q=0` next to the full wildcard
 * refuses JSON, and a browser's `text/html,…` ending in the full wildcard with q=0.8 allows it. No
 * Accept, or one that names no range at all, allows everything (RFC 9110 §12.5.1).
 */
export const acceptsAnyOf = (accept: unknown, types: readonly string[]): boolean => {
  if (typeof accept !== 'string' && !Array.isArray(accept)) return true;
  const list = weightedList(accept as string | string[]).map((w) => (w.name === '*' ? { name: '*/*', q: w.q } : w));
  if (list.length === 0) return true;
  return types.some((type) => mediaRank(list, type).q > 0);
};

/** The types a route offers with acceptsAnyOf remembered per Accept value (every client sends the same one on every request). */
export interface AcceptCheck {
  readonly types: readonly string[];
  readonly accepts: (accept: string | string[]) => boolean;
}
const ACCEPT_CHECKS = new Map<string, AcceptCheck>();
/** The AcceptCheck of a list of types (one per distinct list, shared by every route that offers it). */
export const acceptCheckOf = (types: readonly string[]): AcceptCheck => {
  const id = types.join(',');
  let check = ACCEPT_CHECKS.get(id);
  if (!check) {
    const once = memoOf((accept) => acceptsAnyOf(accept, types));
    check = { types, accepts: (accept) => (typeof accept === 'string' ? once(accept) : acceptsAnyOf(accept, types)) };
    ACCEPT_CHECKS.set(id, check);
  }
  return check;
};

/**
 * 406 REQUEST.NOT_ACCEPTABLE: the request's Accept allows none of the types the route answers with
 * (`available`). Its own answer is JSON, as every error answer is, whatever the Accept.
 */
export class NotAcceptableError extends Error {
  constructor(readonly available: readonly string[]) {
    super(`This address answers ${available.join(' or ')}; send an Accept that allows ${available.length > 1 ? 'one of them' : 'it'} (or none at all).`);
    this.name = 'NotAcceptableError';
  }
}

/** Adds a header name to a Vary value (once; `*` already covers it). */
export const withVary = (current: unknown, name: string): string => {
  if (current === undefined || current === null || current === '') return name;
  const s = Array.isArray(current) ? current.join(', ') : String(current);
  const lower = name.toLowerCase();
  return s.split(',').some((v) => ['*', lower].includes(v.trim().toLowerCase())) ? s : `${s}, ${name}`;
};

interface VaryingReply {
  header(name: string, value: string): unknown;
  getHeader?(name: string): unknown;
}

/** The values `?format=` may take on a route that offers JSON or CSV. */
export const FORMATS = ['json', 'csv'] as const;

/**
 * JSON or CSV for a route that offers both: `?format=csv|json` wins (the URL names it); otherwise the
 * Accept header decides, and the answer then says `Vary: Accept` (so a shared cache keeps both apart).
 * An Accept that allows neither (`application/xml`; `text/csv;q=0` alone) is 406 REQUEST.NOT_ACCEPTABLE
 * (NotAcceptableError); no Accept, the full wildcard or a browser's list is JSON. Any other format (or one given
 * twice) is 400 REQUEST.BAD_FORMAT: answering JSON to `?format=xml` would pass for what was asked. Left
 * out or empty, the Accept header decides. (Such a route names both types in its ApiQueryResponses, so
 * the general check in bootstrap.ts leaves the choice, and the 406, to this function.)
 */
export const answersCsv = (req: { headers: Record<string, string | string[] | undefined> }, reply: VaryingReply, format?: unknown): boolean => {
  if (format === 'csv') return true;
  if (format === 'json') return false;
  if (format !== undefined && format !== '') {
    throw new DomainError('REQUEST.BAD_FORMAT', `format must be one of ${FORMATS.join(', ')} (or left out: then the Accept header decides).`, 'invalid', {
      format: typeof format === 'string' ? format.slice(0, 64) : null,
      allowed: FORMATS,
    });
  }
  reply.header('vary', withVary(reply.getHeader?.('vary'), 'Accept'));
  const accept = req.headers.accept;
  if (accept !== undefined && !acceptCheckOf(JSON_OR_CSV).accepts(accept)) throw new NotAcceptableError(JSON_OR_CSV);
  return prefersCsv(accept);
};
