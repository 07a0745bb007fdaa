import 'reflect-metadata';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { NestFactory } from '@nestjs/core';
import type { LogLevel } from '@nestjs/common';
import proxyAddr from '@fastify/proxy-addr';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { finishDocument } from './http/openapi';
import { EventStore } from '../../../libs/event-store/src/port';
import { SqliteEventStore } from '../../../libs/event-store/src/sqlite-event-store';
import { EVENT_STORE } from './ledger/tokens';
import { AppModule } from './app.module';
import { LedgerConfig } from './config';
import { ledgerValidationPipe } from './http/validation.pipe';
import { NestedObjectsPipe } from './audit/nested-objects.pipe';
import { toErrorBody } from './http/error.filter';
import { generalErrorsMarkdown } from './http/error-codes';
import { RateDecision, RateLimiter } from './http/rate-limit';
import { RATE_LIMIT_HEADERS, SECURITY_HEADER_LIST, SECURITY_HEADERS } from './http/security-headers';
import { HeaderValue, rawAnswerOf, registerAnswerCache } from './http/answer-cache';
import { conditionalGetOnSend } from './http/etag';
import { gzipAnswers } from './http/gzip';
import { answerClientError } from './http/client-error';
import { AllowedMethods, allowedMethodsOf, methodNotAllowedBody } from './http/allowed-methods';
import { AcceptCheck, acceptCheckOf, JSON_ONLY, NotAcceptableError, withVary } from './http/content-negotiation';
import { PRODUCES } from './http/route-config';
import { BODY_REFUSED, JsonParser, readJsonBody, REFUSED_BODY } from './http/json-body';
import { bearerToken } from './auth/bearer';
import { ProjectionEngine } from '../../../libs/application/src/projection-engine';
import { TokenService } from './auth/token.service';

export interface RouteInfo {
  method: string;
  url: string;
}
const ROUTE_TABLES = new WeakMap<object, RouteInfo[]>();
/** The rate decision the raw answer path already took for a request it then left to Fastify (so it is counted once). */
const RATE_DECISION = Symbol('rateDecision');
/** Liveness (GET and HEAD): never rate limited, so a probe from a busy client's address is not told 429 and the process restarted. */
export const HEALTH_ROUTE = '/health';
/**
 * Shutdown (SIGTERM, SIGINT, app.close()): requests already received are answered, with
 * `Connection: close`; idle kept-alive connections are closed at once (a client's pool would
 * otherwise hold the process up to Fastify's 72-s keep-alive timeout). After SHUTDOWN_REFUSE_BUSY_MS
 * an append still waiting for another process's write lock is refused (503 STORE.BUSY, nothing
 * recorded), and SHUTDOWN_DRAIN_MS after the start every connection left is closed.
 */
export const SHUTDOWN_REFUSE_BUSY_MS = 2_000;
export const SHUTDOWN_DRAIN_MS = 3_000;
/** How long requests already sent (in their sockets, unread) are read and answered before the server closes. */
export const SHUTDOWN_GRACE_MS = 200;
/** What a request that arrives once shutdown has begun is answered (503, then the connection closes). */
export const SHUTTING_DOWN_BODY = {
  statusCode: 503,
  code: 'SERVER.SHUTTING_DOWN',
  message: 'The server is shutting down; nothing was done for this request. Send it again (another instance, or this one once it has restarted).',
  details: {},
};
/** Where the API docs are served (`/docs`, `/docs/…`, `/docs-json`, `/docs-yaml`). */
export const DOCS_PATH = '/docs';
const isDocsRoute = (url: string): boolean => url === DOCS_PATH || url.startsWith(`${DOCS_PATH}/`) || url.startsWith(`${DOCS_PATH}-`);
/** Where a route's Fastify config keeps the AcceptCheck of the types it answers with (see the onRoute hook). */
const ACCEPT_CHECK = 'ledgerAcceptCheck';
/** The routes the app registered with Fastify (method and URL pattern, HEAD included). */
export const registeredRoutes = (app: NestFastifyApplication): RouteInfo[] => [...(ROUTE_TABLES.get(app) ?? [])];

/** Builds the HTTP app (used by main and by the e2e tests). */
/** Nest's own log levels: errors only, unless LEDGER_LOG=info. */
export const nestLogLevels = (config: LedgerConfig): LogLevel[] => (config.logLevel === 'info' ? ['log', 'warn', 'error'] : ['error']);

/** A liveness probe (GET or HEAD /health, any query): never rate limited. */
const isHealthProbe = (req: IncomingMessage): boolean =>
  (req.method === 'GET' || req.method === 'HEAD') && (req.url === HEALTH_ROUTE || req.url?.startsWith(`${HEALTH_ROUTE}?`) === true);

export const createApp = async (config: LedgerConfig, store?: EventStore): Promise<NestFastifyApplication> => {
  // The client address behind trusted proxies (LEDGER_TRUST_PROXY), one function for Fastify's req.ip and the raw answer path alike.
  const trust = config.trustProxy?.length ? proxyAddr.compile([...config.trustProxy]) : null;
  // The rate limit per client (LEDGER_RATE_LIMIT_PER_MINUTE; 0 turns it off; /health is exempt), counted
  // for every request once, before routing: a routed request, a 404 or 405 of an address no route takes, a
  // URL the router itself refuses (bad percent-encoding, a parameter too long) and a cached answer alike.
  const limiter = config.rateLimitPerMinute > 0 ? new RateLimiter(config.rateLimitPerMinute) : null;
  /** The decision for this request, taken on its first ask and kept on it (null: not limited). */
  const rateDecision = (req: IncomingMessage): RateDecision | null => {
    const kept = req as unknown as Record<symbol, RateDecision | null | undefined>;
    let decision = kept[RATE_DECISION];
    if (decision === undefined) {
      decision = limiter === null || isHealthProbe(req) ? null : limiter.hit((trust ? proxyAddr(req, trust) : req.socket.remoteAddress) ?? 'unknown');
      kept[RATE_DECISION] = decision;
    }
    return decision;
  };
  /** Puts the rate-limit headers on the reply; answers 429 RATE_LIMITED (and returns true) when the client is over its budget. */
  const refusedByRateLimit = (req: IncomingMessage, reply: any): boolean => {
    const r = rateDecision(req);
    if (r === null) return false;
    reply.header('x-ratelimit-limit', r.limit).header('x-ratelimit-remaining', r.remaining).header('x-ratelimit-reset', r.resetSeconds);
    if (r.allowed) return false;
    reply.code(429).header('retry-after', r.resetSeconds).header('content-type', 'application/json; charset=utf-8').send(toErrorBody({ statusCode: 429 }));
    return true;
  };
  const adapter = new FastifyAdapter({
    bodyLimit: config.bodyLimitBytes,
    trustProxy: trust ?? false,
    logger: config.logLevel === 'info',
    // A request Node's parser refuses (headers too large: 431, a malformed header line: 400) never reaches
    // the router: answer it in the ledger's error shape with the security headers too.
    clientErrorHandler: answerClientError,
    // A malformed URL is refused by the router before Nest sees it (and before any onRequest hook): answer
    // in the ledger's error shape too, after the rate limit (such a request counts, and is 429 over the budget).
    frameworkErrors: (error: unknown, req: { raw: IncomingMessage }, reply: any) => {
      reply.headers(SECURITY_HEADERS);
      if (refusedByRateLimit(req.raw, reply)) return;
      const body = toErrorBody(error);
      void reply.code(body.statusCode).header('content-type', 'application/json; charset=utf-8').send(body);
    },
    // Requests arriving while closing are answered by the hook below, in the ledger's error shape (Fastify still adds Connection: close).
    return503OnClosing: false,
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, store), adapter, {
    logger: nestLogLevels(config),
    // Fastify's own JSON parser (wrapped below with a depth limit); no form bodies.
    bodyParser: false,
  });
  const fastify = app.getHttpAdapter().getInstance();
  const server = fastify.server;
  // Every route the server answers (Nest's and the API docs'), so a test can hold an access rule for each
  // and a request for a known address with another method is told 405 with the methods it takes.
  // Each route also gets, in its config, the check of the Accept header against the types it answers
  // with (`@ApiQueryResponses({ produces })`, else JSON): see the onRequest hook below. Not the API
  // docs (HTML, scripts, YAML), not /health (a probe is answered whatever it accepts), and not a route
  // that offers more than one type: its handler chooses (answersCsv), and refuses there.
  const routes: RouteInfo[] = [];
  fastify.addHook('onRoute', (r: { method: string | string[]; url: string; config?: Record<string, unknown> }) => {
    for (const method of Array.isArray(r.method) ? r.method : [r.method]) routes.push({ method, url: r.url });
    if (isDocsRoute(r.url) || r.url === HEALTH_ROUTE) return;
    const types = (r.config?.[PRODUCES] as readonly string[] | undefined) ?? JSON_ONLY;
    if (types.length === 1) r.config = { ...r.config, [ACCEPT_CHECK]: acceptCheckOf(types) };
  });
  ROUTE_TABLES.set(app, routes);
  /** The methods each address takes, compiled on the first request no route took (every route is registered by then). */
  let allowedMethods: AllowedMethods | undefined;
  // Shutting down: from Nest's first step (the adapter's flag) or Fastify's close (preClose below).
  let closing = false;
  const shuttingDown = () => closing || (adapter as unknown as { isShuttingDown?: boolean }).isShuttingDown === true;
  const ledgerStore = app.get<EventStore>(EVENT_STORE);
  fastify.addHook('preClose', (done: () => void) => {
    closing = true;
    const refuse = setTimeout(() => {
      if (ledgerStore instanceof SqliteEventStore) ledgerStore.refuseBusyWaits();
    }, SHUTDOWN_REFUSE_BUSY_MS);
    const drain = setTimeout(() => server.closeAllConnections(), SHUTDOWN_DRAIN_MS);
    refuse.unref();
    drain.unref();
    server.once('close', () => {
      clearTimeout(refuse);
      clearTimeout(drain);
    });
    // The server is closed (and, by Node, its idle connections with it) only after a short grace: a
    // connection whose request is already in its socket but not yet read counts as idle, and closing it
    // at once reset requests sent before the signal. Meanwhile they are read and answered (503 from here on).
    // With no connection open there is nothing to read: closed at once (tests and idle servers stop without the wait).
    server.getConnections((err, open) => (err || open > 0 ? setTimeout(done, SHUTDOWN_GRACE_MS) : done()));
  });
  // Every answer given while shutting down closes its connection (HTTP/1): a request in flight is answered, then its kept-alive connection ends.
  fastify.addHook('onSend', (req: any, reply: any, payload: unknown, done: (err: Error | null, payload?: unknown) => void) => {
    if (shuttingDown() && req.raw.httpVersionMajor !== 2) reply.header('connection', 'close');
    done(null, payload);
  });
  // Security headers on every answer (errors included); a request arriving once shutdown has begun is
  // 503 SERVER.SHUTTING_DOWN; then the rate limit (taken before routing, see rateDecision): 429
  // RATE_LIMITED with Retry-After, before any other work.
  fastify.addHook('onRequest', (req: any, reply: any, done: (err?: Error) => void) => {
    reply.headers(SECURITY_HEADERS);
    if (shuttingDown()) {
      reply.code(503).header('connection', 'close').header('content-type', 'application/json; charset=utf-8').send(SHUTTING_DOWN_BODY);
      return;
    }
    if (refusedByRateLimit(req.raw, reply)) return;
    // No route for this method: if the address takes others, 405 ROUTE.METHOD_NOT_ALLOWED with Allow
    // (http/allowed-methods.ts), else on to the 404. Only here, on the not-found path.
    if (req.is404 === true) {
      const allowed = (allowedMethods ??= allowedMethodsOf(routes))(req.url);
      if (allowed.length > 0 && !allowed.includes(req.method)) {
        reply.code(405).header('allow', allowed.join(', ')).header('content-type', 'application/json; charset=utf-8').send(methodNotAllowedBody(req.method, allowed));
        return;
      }
      return done();
    }
    // An Accept that allows none of the types the route answers with: 406 REQUEST.NOT_ACCEPTABLE (JSON, as
    // every error), before any work and before the answer cache's hook (whose entries are kept per Accept
    // value, so none was ever filled for such an Accept). No Accept, or the full wildcard, takes JSON.
    const accept = req.headers.accept;
    if (accept !== undefined) {
      const check = req.routeOptions.config?.[ACCEPT_CHECK] as AcceptCheck | undefined;
      if (check !== undefined && !check.accepts(accept)) {
        const body = toErrorBody(new NotAcceptableError(check.types));
        reply.code(406).header('vary', withVary(reply.getHeader('vary'), 'Accept')).header('content-type', 'application/json; charset=utf-8').send(body);
        return;
      }
    }
    done();
  });
  // Answers of @CachedAnswer() routes served as stored bytes while the views stay at one position, gzip
  // for clients that accept it (after the hook above: rate limit and security headers apply to every answer).
  const tokens = app.get(TokenService);
  registerAnswerCache(fastify, app.get(ProjectionEngine), {
    maxBytes: config.answerCacheMb * 1024 * 1024,
    gzipMinBytes: config.gzipMinBytes,
    perRequestHeaders: [...Object.keys(SECURITY_HEADERS), ...RATE_LIMIT_HEADERS],
    trustedUntil: (authorization) => {
      const token = bearerToken(authorization);
      return token === null ? undefined : tokens.trustedUntil(token);
    },
  });
  // Conditional GETs (http/etag.ts): every other GET 200 with a string or Buffer body gets a weak ETag of its
  // identity body and Cache-Control here, and a 304 without a body when If-None-Match matches (after the
  // guard and the handler, so only where the 200 would have been given). Registered after the answer
  // cache's onSend, which tags its own routes' answers (before gzip) once per entry.
  fastify.addHook('onSend', conditionalGetOnSend);
  // gzip for every other 2xx answer of LEDGER_GZIP_MIN_BYTES and more (http/gzip.ts): after the ETag, which
  // is the identity body's; the answer cache's own answers arrive already encoded and pass as they are.
  fastify.addHook('onSend', gzipAnswers(config.gzipMinBytes));
  // Cache hits answered on Node's request, before Fastify routes it (no route lookup, Nest's request
  // hooks or reply pipeline): the same security and rate-limit headers (the same limiter, counted once),
  // then the entry's own header block built once (a 304 when If-None-Match matches the entry's ETag). Not while logging every request (LEDGER_LOG=info:
  // each request is logged by Fastify) nor once the server is shutting down (Nest and Fastify answer 503).
  // An entry exists only for a URL Fastify once routed to a @CachedAnswer() GET route, so the same URL is
  // that route again. What such a hit skips: Nest middleware and other onRequest hooks (the app has none
  // that answer or add headers; add one and it must be mirrored here), and the client address is the
  // socket's, or the one X-Forwarded-For names behind trusted proxies, as Fastify's req.ip.
  // Every request is counted by the rate limit here, on Node's request before Fastify routes it (the
  // onRequest hook and frameworkErrors answer 429 with that same decision; were this wrapper not installed,
  // they would take it themselves).
  const raw = rawAnswerOf(fastify);
  const handlers = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
  const rawPath = raw !== undefined && config.answerCacheMb > 0 && config.logLevel !== 'info';
  if ((rawPath || limiter) && handlers.length === 1) {
    const handle = handlers[0];
    const head = (req: IncomingMessage): HeaderValue[] | null => {
      const h: HeaderValue[] = SECURITY_HEADER_LIST.slice();
      const r = rateDecision(req);
      if (r === null) return h;
      if (!r.allowed) return null; // the normal way answers 429 with this decision
      h.push('x-ratelimit-limit', r.limit, 'x-ratelimit-remaining', r.remaining, 'x-ratelimit-reset', r.resetSeconds);
      return h;
    };
    server.removeListener('request', handle);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      if (!shuttingDown()) {
        rateDecision(req);
        if (rawPath && raw!(req, res, head)) return;
      }
      handle.call(server, req, res);
    });
  }
  // Bodies are JSON only: Fastify's text/plain parser would hand the text on to the route (a DTO, then
  // 400 VALIDATION.FAILED); without it a text/plain body is 415 REQUEST.UNSUPPORTED_MEDIA_TYPE, as every
  // type but application/json is. (A request with no body and no Content-Type is parsed by no one.)
  fastify.removeContentTypeParser('text/plain');
  // JSON bodies, read as bytes (http/json-body.ts): UTF-8 only (another charset 415, bytes that are not
  // UTF-8 400 REQUEST.NOT_UTF8), deep nesting refused before parsing (a deep body would otherwise overflow
  // the stack), Fastify's protection against __proto__/constructor poisoning kept, an object only, and no
  // name given twice in one object (400 REQUEST.DUPLICATE_FIELD: JSON.parse would keep the last).
  // A refusal does not fail the request here: it is left on the request (BODY_REFUSED, the body an
  // empty frozen placeholder) and the AuthGuard throws it once the caller is let in, so 401 and 403 come
  // first whatever the body holds. The guard runs for every Nest route (@Public ones too), so no handler
  // sees the placeholder. A body over the limit is never read: 413 before anything, as before.
  const parseJson = fastify.getDefaultJsonParser('error', 'error') as JsonParser;
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: config.bodyLimitBytes }, (req, body, done) => {
    const read = readJsonBody(body as Buffer, req.headers['content-type'], parseJson);
    if ('refused' in read) {
      (req as unknown as Record<symbol, Error>)[BODY_REFUSED] = read.refused;
      done(null, REFUSED_BODY);
    } else done(null, read.value);
  });
  app.useGlobalPipes(ledgerValidationPipe(), new NestedObjectsPipe());
  app.enableShutdownHooks();
  const doc = new DocumentBuilder()
    .setTitle('Career centre ledger')
    .setDescription(`Funding and governance ledger for Norway's county career centres. Every write is an event; every answer can be replayed.\n\n${generalErrorsMarkdown()}`)
    .setVersion('0.1.0')
    .addBearerAuth()
    .build();
  SwaggerModule.setup(DOCS_PATH.slice(1), app, () => finishDocument(SwaggerModule.createDocument(app, doc)));
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
};
