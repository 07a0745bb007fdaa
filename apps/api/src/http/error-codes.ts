import { CodeMeanings, ErrorStatus, RefusalEntry, refusalEntries, RefusalOf, REFUSALS } from '../../../../libs/application/src/error-codes';

/**
 * The stable codes only the HTTP edge answers (the guard, the body parser, the query gate, the route
 * handlers, the rate limit, shutdown), with what each means; the application's own are REFUSALS
 * (libs/application/src/error-codes.ts). The OpenAPI document names them per route from these.
 */
export const HTTP_ERROR_CODES = {
  // ---- every route ----
  'AUTH.MISSING_TOKEN': { 401: 'no bearer token was sent (`Authorization: Bearer <token>`)' },
  'AUTH.TOKEN_INVALID': { 401: 'the token was refused (signature, format or claims); get a new one' },
  'AUTH.TOKEN_EXPIRED': { 401: 'the token has expired; get a new one' },
  'RATE_LIMITED': { 429: 'too many requests from this client this minute; wait for Retry-After' },
  'SERVER.SHUTTING_DOWN': { 503: 'the server is shutting down; nothing was done, send it again' },
  // ---- writes: the body ----
  'REQUEST.INVALID_JSON': { 400: 'the body is not valid JSON' },
  'REQUEST.BODY_NOT_OBJECT': { 400: 'the body is not a JSON object' },
  'REQUEST.TOO_DEEP': { 400: 'the JSON body nests objects or arrays too deeply' },
  'REQUEST.DUPLICATE_FIELD': { 400: 'the JSON body names a field twice in one object, at any depth (`details.field` names it): which value was meant?' },
  'REQUEST.NOT_UTF8': { 400: 'the body is not valid UTF-8 (sent in another encoding, e.g. Windows-1252 or Latin-1?)' },
  'REQUEST.TOO_LARGE': { 413: 'the body is larger than the limit (LEDGER_BODY_LIMIT_BYTES)' },
  'REQUEST.UNSUPPORTED_MEDIA_TYPE': { 415: 'the body is not sent as application/json, or declares a charset other than utf-8 (or its alias utf8)' },
  'REQUEST.UNKNOWN_QUERY': { 400: 'a write took a query parameter: no write route takes any (`details.parameters` names them)' },
  // ---- reads: the cut of the log and the query ----
  'REQUEST.BAD_POSITION': { 400: 'X-Ledger-Position (or atPosition) is not a log position in digits (atPosition: not from 0 to the head)' },
  'REQUEST.BAD_AS_OF': { 400: 'asOf is not one ISO-8601 instant with a zone, or a date, from 1970 on (or it is given twice), or it is missing where the route requires it (`details.parameter`); or a query parameter is a misspelt asOf or atPosition (asof, AsOf, as_of, as-of, asOf[]: `details.didYouMean` names the cut)' },
  'REQUEST.AS_OF_WITH_AT_POSITION': { 400: 'asOf and atPosition together: name one cut of the log' },
  'REQUEST.AT_POSITION_NOT_SUPPORTED': { 400: 'atPosition on a route that does not take it (only the eligibility routes do); nothing is answered at the head instead' },
  'REQUEST.AS_OF_NOT_SUPPORTED': { 400: 'asOf on a route that names its cut of the log another way (the audit log: from/to; digest and verify: position)' },
  'VIEWS.CATCHING_UP': { 503: 'the views did not reach the position asked for (X-Ledger-Position, or this process\'s own writes) within 5 s; retry' },
  'VIEWS.SNAPSHOT_REPLACED': { 503: 'an as-of answer\'s stored view was removed meanwhile by another process on the same SQLite file (a newer release starting); ask again (Retry-After)' },
  'REQUEST.BAD_DATE': { 400: '?date= is not a business date YYYY-MM-DD' },
  'REQUEST.BAD_YEAR': { 400: 'the year is not a four-digit year in the route\'s range' },
  'REQUEST.BAD_FILTER': { 400: 'a filter is given more than once, or is not one of its values' },
  'REQUEST.BAD_FORMAT': { 400: '?format= is not json or csv' },
  'REQUEST.BAD_LIMIT': { 400: '?limit= is not a whole number from 1 to 1000' },
  'REQUEST.BAD_CURSOR': { 400: '?after= names no item of this list (start again without it)' },
  'REPORT.ONE_FILTER': { 400: '?county= and ?centre= together: a report covers one of them' },
  'OWNER_AGREEMENT.NOT_IN_FORCE': { 404: 'the owner agreement was in force on no day of the year' },
  'GRANT_EVIDENCE.NOT_CITABLE': { 400: 'verdicts cite only events of the grant streams; use the audit routes for others' },
  'STREAM.BAD_ID': { 400: 'that is not a stream id' },
  'EVENT.BAD_ID': { 400: 'that is not an event id' },
  'EVENT.NOT_FOUND': { 404: 'no such event (with asOf: none recorded by then)' },
  'AUDIT.DIGEST_NEEDS_POSITION': { 400: 'digest and position go together' },
  'AUDIT.POSITION_BEYOND_HEAD': { 400: 'the position is beyond the end of the log (`details.headPosition`)' },
  'AUDIT.UNKNOWN_EVENT_TYPE': { 400: '?type= names an event type the ledger does not record (`details`: unknown, didYouMean for a near spelling, known: every type)' },
  // ---- any address: before (or instead of) a route ----
  'ROUTE.NOT_FOUND': { 404: 'no route at this address' },
  'ROUTE.METHOD_NOT_ALLOWED': { 405: 'the address does not take this method' },
  'REQUEST.BAD_URL': { 400: 'the address is not valid (bad percent-encoding)', 414: 'a part of the address is too long' },
  'REQUEST.MALFORMED': { 400: 'not well-formed HTTP (request line or header); the connection is closed' },
  'REQUEST.TIMEOUT': { 408: 'the request took too long to arrive' },
  'REQUEST.HEADERS_TOO_LARGE': { 431: 'the request headers are too large' },
  'REQUEST.NOT_ACCEPTABLE': { 406: 'the format asked for is not available here' },
  'REQUEST.INVALID': { 400: 'the request could not be read (any other refusal of the request itself)' },
  'ACCESS.DENIED': { 403: 'you may not do this (any other refusal of access)' },
  'INTERNAL': { 500: 'something went wrong on the ledger\'s side; nothing was recorded unless the answer said so' },
} as const satisfies Record<string, CodeMeanings>;

/** Every stable error code the API can answer, with its meaning per status. */
export const ERROR_CODES = { ...REFUSALS, ...HTTP_ERROR_CODES } as const;
export type ErrorCode = keyof typeof ERROR_CODES;
/** A code a route can answer, or a code with the status that applies to that route. */
export type RouteRefusal = RefusalOf<typeof ERROR_CODES>;

export const routeRefusalEntries = (refusals: readonly RouteRefusal[]): RefusalEntry[] => refusalEntries(ERROR_CODES, refusals);

/** What every route (but the public /health) can answer: no or a bad token, the rate limit, shutdown. */
const EVERY_ROUTE: readonly RouteRefusal[] = ['AUTH.MISSING_TOKEN', 'AUTH.TOKEN_INVALID', 'AUTH.TOKEN_EXPIRED', 'RATE_LIMITED', 'SERVER.SHUTTING_DOWN'];

/** What every write route can answer besides its command's refusals: its query string and its body as read before it is validated. */
export const WRITE_ROUTE_REFUSALS: readonly RouteRefusal[] = [
  'REQUEST.UNKNOWN_QUERY',
  'REQUEST.INVALID_JSON',
  'REQUEST.BODY_NOT_OBJECT',
  'REQUEST.TOO_DEEP',
  'REQUEST.DUPLICATE_FIELD',
  'REQUEST.NOT_UTF8',
  'REQUEST.TOO_LARGE',
  'REQUEST.UNSUPPORTED_MEDIA_TYPE',
  ...EVERY_ROUTE,
];

/** What every read route can answer: its role, the read-your-writes position and the views, the store (busy; on EventStoreDB, a stream hard-deleted on the node). */
export const READ_ROUTE_REFUSALS: readonly RouteRefusal[] = ['REQUEST.BAD_POSITION', 'ACCESS.ROLE_NOT_ALLOWED', 'VIEWS.CATCHING_UP', 'VIEWS.SNAPSHOT_REPLACED', 'STORE.BUSY', 'STORE.STREAM_DELETED', ...EVERY_ROUTE];

/** What a request to any address can be answered before a route takes it (or when none does). */
export const ANY_ADDRESS_REFUSALS: readonly RouteRefusal[] = [
  'ROUTE.NOT_FOUND',
  'ROUTE.METHOD_NOT_ALLOWED',
  ['REQUEST.BAD_URL', 400],
  ['REQUEST.BAD_URL', 414],
  'REQUEST.MALFORMED',
  'REQUEST.TIMEOUT',
  'REQUEST.HEADERS_TOO_LARGE',
  'REQUEST.NOT_ACCEPTABLE',
  'REQUEST.INVALID',
  'ACCESS.DENIED',
  'INTERNAL',
];

/** Codes no HTTP request can cause, and why (the document's description still names them). */
export const NOT_ANSWERED_BY_A_ROUTE: Partial<Record<ErrorCode, string>> = {
  'COMMAND.UNKNOWN': 'only `ledger import` names a command; every route issues its own',
  'EVENT.DUPLICATE_ID': 'the ledger makes every event id itself; the store refuses a repeated one as a safety net',
  'GRANT_SCHEME.BASE_GRANT_INVALID': '`baseGrant` is an amount, refused first with the `MONEY.*` codes (`MONEY.ZERO`, `MONEY.NEGATIVE`, …); the scheme checks the sum again as a safety net',
};

/** The document's list of the codes that belong to no one route, as Markdown. */
export const generalErrorsMarkdown = (): string => {
  const line = (e: RefusalEntry, why?: string) => `- ${e.status} \`${e.code}\` — ${e.description}${why ? ` (${why})` : ''}`;
  const notByRoute = Object.entries(NOT_ANSWERED_BY_A_ROUTE) as [ErrorCode, string][];
  return [
    'Every error answer is JSON `{ statusCode, code, message, details }` with a stable `code`. Each route lists the codes it can answer under its error statuses. Any address can also be answered:',
    '',
    ...routeRefusalEntries(ANY_ADDRESS_REFUSALS).map((e) => line(e)),
    '',
    'Not answered by a route:',
    '',
    ...notByRoute.flatMap(([code, why]) => routeRefusalEntries([code]).map((e) => line(e, why))),
  ].join('\n');
};

export type { ErrorStatus, RefusalEntry };
