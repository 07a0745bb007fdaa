import { applyDecorators } from '@nestjs/common';
import { ApiQuery, ApiResponse } from '@nestjs/swagger';
import { ApiRefusals } from './openapi';
import { DomainError } from '../../../../libs/domain/src/shared';

/**
 * Paging for list routes, opt-in: without `limit` and `after` a list answers exactly as it always
 * did (same body, same headers). With `?limit=N` (1–MAX_PAGE_SIZE) it answers at most N items in the
 * list's own order and, when more follow, `Link: <same path and query, after=…>; rel="next"`
 * (RFC 8288); `?after=<cursor>` continues after the item the cursor names. The cursor is the last
 * item's own id, base64url-encoded (opaque to clients): a page never depends on how many items came
 * before, so pages stay correct while items are added. A cursor that names no item of this list
 * (garbled, from another list, or its item is no longer in the list) is 400 REQUEST.BAD_CURSOR.
 * The body keeps its shape: an array stays an array; `X-Total-Count` says how many items the whole
 * list holds (exact: the list is in memory).
 */
export const MAX_PAGE_SIZE = 1000;

export interface PageQuery {
  limit?: unknown;
  after?: unknown;
}

export interface Page<T> {
  /** The items of this page (the list itself when the request does not page). */
  readonly items: T[];
  /** The relative URL of the next page (same path and query, `after` set), or null when nothing follows or the request does not page. */
  readonly next: string | null;
  /** How many items the whole list holds; null when the request does not page. */
  readonly total: number | null;
}

const LIMIT = /^[1-9]\d{0,3}$/;
const CURSOR = /^[A-Za-z0-9_-]{1,400}$/;

const badLimit = (raw: unknown) =>
  new DomainError('REQUEST.BAD_LIMIT', `limit is how many items one answer may hold: a whole number from 1 to ${MAX_PAGE_SIZE}, such as limit=100. Leave it out to get the whole list.`, 'invalid', {
    limit: typeof raw === 'string' ? raw.slice(0, 64) : null,
    max: MAX_PAGE_SIZE,
  });

const badCursor = (raw: unknown) =>
  new DomainError(
    'REQUEST.BAD_CURSOR',
    'after must be a cursor this list gave out (the after=… in the Link header of the previous page), and it no longer names an item of this list. Start again from the first page, without after.',
    'invalid',
    { after: typeof raw === 'string' ? raw.slice(0, 64) : null },
  );

/** The page size a request asks for, or null when it names none; anything but 1–MAX_PAGE_SIZE is a 400. */
export const parseLimit = (raw: unknown): number | null => {
  if (raw === undefined) return null;
  if (typeof raw !== 'string' || !LIMIT.test(raw) || Number(raw) > MAX_PAGE_SIZE) throw badLimit(raw);
  return Number(raw);
};

/** An item's id as a cursor (base64url of its UTF-8 text). */
export const encodeCursor = (id: string): string => Buffer.from(id, 'utf8').toString('base64url');

/** The id a cursor names, or null when the request has none; a cursor that is not one this module wrote is a 400. */
export const decodeCursor = (raw: unknown): string | null => {
  if (raw === undefined) return null;
  if (typeof raw !== 'string' || !CURSOR.test(raw)) throw badCursor(raw);
  const id = Buffer.from(raw, 'base64url').toString('utf8');
  if (encodeCursor(id) !== raw) throw badCursor(raw);
  return id;
};

/** Characters left as they are in a Link target (RFC 3986's unreserved, reserved and `%`); anything else is percent-encoded. */
const UNSAFE = /[^A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]/g;

const isAfter = (segment: string): boolean => {
  const name = segment.split('=', 1)[0];
  try {
    return decodeURIComponent(name.replace(/\+/g, ' ')) === 'after';
  } catch {
    return false;
  }
};

/**
 * The same path and query with `after=<cursor>`: every other parameter (asOf, date, filters, limit) is
 * kept exactly as the client sent it, so the next page answers the same question (as of the same time).
 */
export const nextLink = (url: string, cursor: string): string => {
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const kept = q < 0 ? [] : url.slice(q + 1).split('&').filter((s) => s !== '' && !isAfter(s));
  kept.push(`after=${cursor}`);
  return `${path}?${kept.join('&')}`.replace(UNSAFE, (c) => encodeURIComponent(c));
};

/**
 * One page of a list (pure): `items` in the list's own order, `idOf` each item's stable id, the
 * request's `limit` and `after`, and its URL (path and query) for the next link.
 */
export const page = <T>(items: readonly T[], idOf: (item: T) => string | number, query: PageQuery | undefined, url: string): Page<T> => {
  const limit = parseLimit(query?.limit);
  const after = decodeCursor(query?.after);
  if (limit === null && after === null) return { items: items as T[], next: null, total: null };
  let start = 0;
  if (after !== null) {
    const i = items.findIndex((item) => String(idOf(item)) === after);
    if (i < 0) throw badCursor(query?.after);
    start = i + 1;
  }
  const end = limit === null ? items.length : Math.min(items.length, start + limit);
  const out = items.slice(start, end);
  const next = end < items.length && out.length > 0 ? nextLink(url, encodeCursor(String(idOf(out[out.length - 1])))) : null;
  return { items: out, next, total: items.length };
};

export interface HeaderTarget {
  header(name: string, value: string): unknown;
}

/** Writes a page's headers: `Link: <next>; rel="next"` when more follow, and `X-Total-Count` when the request pages; nothing otherwise. */
export const writePageHeaders = (reply: HeaderTarget, p: Page<unknown>): void => {
  if (p.total === null) return;
  reply.header('x-total-count', String(p.total));
  if (p.next !== null) reply.header('link', `<${p.next}>; rel="next"`);
};

/** What a list route passes from its request: the query and the URL (Fastify's request has both). */
export interface PagedRequest {
  query?: Record<string, unknown>;
  url?: string;
}

/** A list route's one call: the page's items, with its headers written on the reply. */
export const paged = <T>(items: readonly T[], idOf: (item: T) => string | number, req: PagedRequest, reply: HeaderTarget): T[] => {
  const p = page(items, idOf, req.query, req.url ?? '/');
  writePageHeaders(reply, p);
  return p.items;
};

/** OpenAPI for a paged list route: the `limit` and `after` query parameters and the headers a page answers with. */
export const ApiPaging = (idName: string) =>
  applyDecorators(
    ApiQuery({
      name: 'limit',
      required: false,
      schema: { type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE },
      description: `Page size, 1–${MAX_PAGE_SIZE}; without it the whole list is answered. When more items follow, the answer has Link: <…&after=…>; rel="next" and X-Total-Count (400 REQUEST.BAD_LIMIT otherwise).`,
    }),
    ApiQuery({
      name: 'after',
      required: false,
      schema: { type: 'string', pattern: CURSOR.source },
      description: `Cursor from the previous page's Link header (the last ${idName} of that page, opaque): continue after that item (400 REQUEST.BAD_CURSOR when it names no item of this list).`,
    }),
    ApiRefusals('REQUEST.BAD_LIMIT', 'REQUEST.BAD_CURSOR'),
    ApiResponse({
      status: 200,
      description: 'The list (one page of it with limit/after)',
      headers: {
        Link: { description: 'With limit: <same path and query with after=…>; rel="next" when more items follow (RFC 8288)', schema: { type: 'string' } },
        'X-Total-Count': { description: 'With limit or after: how many items the whole list holds', schema: { type: 'integer' } },
      },
    }),
  );
