import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { DomainError, HTTP_STATUS_OF_KIND } from '../../../../libs/domain/src/shared';
import { ProjectionLagError } from '../../../../libs/application/src/projection-engine';
import { MissingPartError } from '../../../../libs/application/src/snapshot-store';
import { isBusyError, StoreBusyError, StreamDeletedOnNodeError } from '../../../../libs/event-store/src/errors';
import { NotAcceptableError } from './content-negotiation';

export interface ErrorBody {
  statusCode: number;
  code: string;
  message: string;
  details: Record<string, unknown>;
}

const HTTP_CODES: Record<number, [string, string]> = {
  400: ['REQUEST.INVALID', 'The request could not be read.'],
  401: ['AUTH.MISSING_TOKEN', 'Sign in first.'],
  403: ['ACCESS.DENIED', 'You may not do this.'],
  404: ['ROUTE.NOT_FOUND', 'There is nothing at this address.'],
  405: ['ROUTE.METHOD_NOT_ALLOWED', 'This address does not accept that method.'],
  406: ['REQUEST.NOT_ACCEPTABLE', 'The requested format is not available here.'],
  413: ['REQUEST.TOO_LARGE', 'The request body is too large.'],
  415: ['REQUEST.UNSUPPORTED_MEDIA_TYPE', 'Send the body as application/json.'],
  429: ['RATE_LIMITED', 'Too many requests; wait a moment and try again.'],
};

/** A Fastify error with a status (`FST_ERR_…`, from @fastify/error). */
const isFastifyError = (e: unknown): boolean => e instanceof Error && e.name === 'FastifyError' && typeof (e as { statusCode?: unknown }).statusCode === 'number';

/** Maps any error to the one error shape; never leaks a stack trace or internal detail. */
export const toErrorBody = (e: unknown): ErrorBody => {
  if (e instanceof DomainError) {
    return { statusCode: HTTP_STATUS_OF_KIND[e.kind], code: e.code, message: e.message, details: e.details };
  }
  // Recorded history hard-deleted on the EventStoreDB node: the store is damaged, not the request (500),
  // and said plainly with a stable code, the stream named (never the generic INTERNAL).
  if (e instanceof StreamDeletedOnNodeError) {
    return { statusCode: 500, code: e.code, message: e.message, details: { ...e.details } };
  }
  if (e instanceof ProjectionLagError) {
    return { statusCode: 503, code: 'VIEWS.CATCHING_UP', message: 'The ledger is still catching up with recent writes; try again in a moment.', details: { wanted: e.wanted, at: e.at } };
  }
  if (e instanceof MissingPartError) {
    // Only a process on the same file discarding this version's history snapshots (a newer release starting)
    // removes a part an as-of answer reads late; the view is forgotten, so asking again folds from what is stored.
    return { statusCode: 503, code: 'VIEWS.SNAPSHOT_REPLACED', message: 'A stored view this answer was built from was removed by another process on the same ledger (a newer version of the server starting?); nothing is wrong with the question: ask again.', details: {} };
  }
  if (e instanceof NotAcceptableError) {
    return { statusCode: 406, code: 'REQUEST.NOT_ACCEPTABLE', message: e.message, details: { available: e.available } };
  }
  if (e instanceof HttpException) {
    // Fastify's own refusals of the request (the body parser, the content type, the size) reach the filter
    // wrapped by Nest's adapter, the Fastify error as the cause: answered by what it says.
    const cause = (e as { cause?: unknown }).cause;
    if (isFastifyError(cause) && (cause as { statusCode: number }).statusCode === e.getStatus()) return toErrorBody(cause);
    const status = e.getStatus();
    const [code, message] = HTTP_CODES[status] ?? (status < 500 ? ['REQUEST.INVALID', 'The request was refused.'] : ['INTERNAL', 'Something went wrong on our side.']);
    return { statusCode: status, code, message, details: {} };
  }
  // Fastify's own errors (body too large, bad JSON, wrong content type) carry a statusCode.
  const status = (e as { statusCode?: unknown })?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const fcode = (e as { code?: string }).code;
    if (fcode === 'LEDGER_JSON_TOO_DEEP') {
      return { statusCode: 400, code: 'REQUEST.TOO_DEEP', message: 'The JSON body nests objects or arrays too deeply.', details: {} };
    }
    if (fcode === 'LEDGER_JSON_DUPLICATE_FIELD') {
      const field = String((e as { field?: unknown }).field).slice(0, 200);
      return { statusCode: 400, code: 'REQUEST.DUPLICATE_FIELD', message: `The body names ${field} more than once; send each field once (which value was meant?). Nothing was recorded.`, details: { field } };
    }
    if (fcode === 'LEDGER_BODY_NOT_UTF8') {
      const utf16 = (e as { utf16?: unknown }).utf16 === true;
      const message = utf16 ? 'The body is not valid UTF-8: it looks like UTF-16; send it as UTF-8. Nothing was recorded.' : 'The body is not valid UTF-8 (sent in another encoding, e.g. Windows-1252 or Latin-1?); send it as UTF-8. Nothing was recorded.';
      return { statusCode: 400, code: 'REQUEST.NOT_UTF8', message, details: {} };
    }
    if (fcode === 'LEDGER_CHARSET_NOT_UTF8') {
      const charset = String((e as { charset?: unknown }).charset);
      return { statusCode: 415, code: 'REQUEST.UNSUPPORTED_MEDIA_TYPE', message: `The body is declared as charset ${charset}: send it as UTF-8 JSON (application/json, with charset=utf-8 or no charset). Nothing was recorded.`, details: { charset } };
    }
    if (fcode === 'LEDGER_JSON_NOT_OBJECT') {
      return { statusCode: 400, code: 'REQUEST.BODY_NOT_OBJECT', message: 'The request body must be a JSON object.', details: {} };
    }
    if (fcode === 'FST_ERR_BAD_URL' || fcode === 'FST_ERR_MAX_PARAM_LENGTH') {
      return { statusCode: status, code: 'REQUEST.BAD_URL', message: 'The address is not valid.', details: {} };
    }
    if (fcode === 'FST_ERR_CTP_INVALID_JSON_BODY' || e instanceof SyntaxError) {
      return { statusCode: 400, code: 'REQUEST.INVALID_JSON', message: 'The body is not valid JSON.', details: {} };
    }
    if (fcode === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
      return { statusCode: 400, code: 'REQUEST.INVALID_JSON', message: 'The body is empty, which is not valid JSON: send a JSON object (or, with no body, no Content-Type either).', details: {} };
    }
    if (fcode === 'LEDGER_JSON_FORBIDDEN_KEY') {
      return { statusCode: 400, code: 'REQUEST.INVALID', message: 'The JSON body names __proto__ (or constructor.prototype), which the ledger refuses.', details: {} };
    }
    const [code, message] = HTTP_CODES[status] ?? ['REQUEST.INVALID', 'The request was refused.'];
    return { statusCode: status, code, message, details: {} };
  }
  // SQLite's lock held by another connection on a path that does not wait for it (a read during another
  // process's WAL recovery, say): the same answer as an append that waited too long, nothing recorded.
  if (isBusyError(e)) {
    const busy = new StoreBusyError(0);
    return { statusCode: HTTP_STATUS_OF_KIND[busy.kind], code: busy.code, message: busy.message, details: busy.details };
  }
  return { statusCode: 500, code: 'INTERNAL', message: 'Something went wrong on our side; nothing was recorded by this request unless its answer said so.', details: {} };
};

/** The Retry-After (seconds) an error answer carries, if any: 503 STORE.BUSY, VIEWS.SNAPSHOT_REPLACED and STORE.OUTCOME_UNKNOWN say when to try again. */
export const retryAfterOf = (body: ErrorBody): string | undefined => {
  if (body.code === 'STORE.BUSY' || body.code === 'VIEWS.SNAPSHOT_REPLACED') return String(StoreBusyError.RETRY_AFTER_SECONDS);
  const seconds = (body.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
  return body.code === 'STORE.OUTCOME_UNKNOWN' && typeof seconds === 'number' ? String(seconds) : undefined;
};

/**
 * The WWW-Authenticate a 401 carries (RFC 9110 §15.5.2, RFC 6750 §3): the scheme and realm, and
 * `error="invalid_token"` when a token was sent but refused (bad or expired), so a client knows to get
 * a new one rather than to sign in for the first time.
 */
export const wwwAuthenticate = (body: ErrorBody): string | undefined => {
  if (body.statusCode !== 401) return undefined;
  return body.code === 'AUTH.TOKEN_INVALID' || body.code === 'AUTH.TOKEN_EXPIRED' ? 'Bearer realm="ledger", error="invalid_token"' : 'Bearer realm="ledger"';
};

@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('Ledger');
  catch(exception: unknown, host: ArgumentsHost): void {
    const body = toErrorBody(exception);
    const retryAfter = retryAfterOf(body);
    // Another writer holding the lock is the operator's concern, not a bug: one line, no stack.
    if (retryAfter) this.logger.warn(`${body.code}: ${exception instanceof Error ? exception.message : String(exception)}`);
    // So is a stream deleted on the node (for an administrator to restore): one line, no stack.
    else if (exception instanceof StreamDeletedOnNodeError) this.logger.error(`${body.code}: ${exception.message}`);
    else if (body.statusCode >= 500 && !(exception instanceof ProjectionLagError)) this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    const reply = host.switchToHttp().getResponse();
    if (body.statusCode === 429 && !reply.getHeader?.('retry-after')) reply.header('Retry-After', '60');
    if (retryAfter) reply.header('Retry-After', retryAfter);
    const challenge = wwwAuthenticate(body);
    if (challenge) reply.header('WWW-Authenticate', challenge);
    reply.status(body.statusCode).header('content-type', 'application/json; charset=utf-8').send(body);
  }
}
