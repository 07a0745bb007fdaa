import type { IncomingMessage, ServerResponse } from 'node:http';
import { bearerToken } from '../auth/bearer';
import { memoOf } from './bounded-memo';
import { wantsGzip, withVary } from './content-negotiation';
import { etagOf, ifNoneMatch, REPRESENTATION_HEADERS, tagAnswer, toNotModified } from './etag';
import { GZIP_MIN_BYTES, gunzipBody, gzipBody } from './gzip';
import { VERIFIED_TTL_MS } from '../auth/trust-window';
import { WithRouteConfig } from './route-config';

/**
 * Answers of read routes kept as the bytes that were sent, at the edge (a Fastify hook, before
 * Nest): an answer is a pure function of the views at one log position, the URL, the caller's
 * token and the Accept header, so the same question at the same position gets the same bytes.
 *
 * - Opt-in per route with `@CachedAnswer()`: only GET routes whose answer depends on nothing but
 *   the views, path, query and the caller's access (no clock: "today" routes stay out). A handler
 *   whose answer still took the clock (a `?date=` left out, empty or bare defaults to today) calls
 *   `keepOutOfAnswerCache`, so it is never stored under a URL that does not name the date.
 * - HEAD is answered like GET (the same entry and headers, gzip included); Fastify drops the body.
 * - Key: GET + full URL + Authorization + Accept. Requests without Authorization, or naming
 *   `X-Ledger-Position`, go the normal way.
 * - An entry is served only while the views are still at the position it was computed at and
 *   include every acknowledged write (read-your-writes); it is filled only when the position did
 *   not move while the handler ran; only 200 answers are kept.
 * - The token is re-checked on a hit: its `exp` (same 401 as without the cache once expired), and
 *   the entry is served only while the token service still trusts the verification the guard
 *   relied on (at most VERIFIED_TTL_MS), after which the request goes through the guard again.
 *   Once any request has had the token verified anew, the token service trusts it again, and every
 *   entry of that token is served under the new verification (`trustedUntil`): without it, each of a
 *   token's answers would be computed again once a minute.
 * - At most `maxBytes` in total, least recently used dropped first; 0 turns the cache off.
 * - gzip for clients that accept it, for bodies ≥ GZIP_MIN_BYTES (LEDGER_GZIP_MIN_BYTES), compressed once per entry.
 * - An entry keeps the forms its clients ask for: once compressed, its identity body is let go
 *   unless a client without gzip has been served from it (a 370 KB eligibility answer is ~38 KB
 *   gzipped, so the same bytes hold ~10× as many answers); such a client later gets the
 *   compressed body inflated once, off the event loop, and the entry keeps both from then on.
 * - A hit can also be written straight to Node's response, before Fastify routes the request
 *   (`serveRawAnswer`, wired in bootstrap.ts): one writeHead with the entry's header block built once,
 *   the request's own security and rate-limit headers in front of it. Anything it cannot answer
 *   there (no entry, a compression under way) goes the normal way.
 * - Conditional GETs (etag.ts): each entry keeps the weak ETag of its identity body, hashed once when
 *   it is stored (its headers carry it, with Cache-Control); a hit whose If-None-Match matches it is
 *   answered 304 without a body, on the raw path too. A hit never hashes.
 */
export const CACHED_ANSWER = 'ledgerCachedAnswer';

/** Marks a GET route whose answer may be served from the answer cache (see above). */
export const CachedAnswer = () => WithRouteConfig({ [CACHED_ANSWER]: true });

/** How long a hit may rely on the guard's verification of the token (the token service's own re-verify interval). */
export { VERIFIED_TTL_MS };
export type HeaderValue = string | number | string[];

export interface CachedAnswerEntry {
  /** The views' position the answer was computed at. */
  readonly position: number;
  /** The answer's own headers (content type, disposition, vary), not the per-request ones. */
  readonly headers: Readonly<Record<string, HeaderValue>>;
  /** The identity body; null once let go for the gzipped one (never both null). */
  body: Buffer | null;
  /** The identity body's length in bytes (kept when the body is let go). */
  readonly length: number;
  /** A client without gzip filled the entry or was served from it: the identity body is kept. */
  identityWanted: boolean;
  /** The inflation of the gzipped body under way, shared by everyone who wants it. */
  inflating: Promise<Buffer> | null;
  /** The weak ETag of the identity body (also among `headers`). */
  readonly etag: string;
  /** The token's `exp` (seconds since the epoch). */
  readonly exp: number;
  /** Until when (ms) a hit may rely on the guard's verification of the token (moved on when the token is verified anew). */
  verifiedUntil: number;
  /** The gzipped body, once compressed. */
  gzipped: Buffer | null;
  /** The compression under way, shared by everyone who wants it. */
  gzipping: Promise<Buffer> | null;
  /** The entry's own headers as a flat [name, value, …] list ending in content-length, built on the first raw hit (identity body). */
  rawHead?: HeaderValue[];
  /** The same with content-encoding: gzip and the gzipped length. */
  rawHeadGzip?: HeaderValue[];
  /** The entry's headers a 304 carries (ETag, Vary, Cache-Control, …: all but the representation ones), built on the first raw 304. */
  rawHead304?: HeaderValue[];
}

const entryBytes = (key: string, e: CachedAnswerEntry): number => {
  let n = key.length * 2 + (e.body?.length ?? 0) + (e.gzipped?.length ?? 0) + e.etag.length + 200;
  for (const k in e.headers) n += k.length + String(e.headers[k]).length;
  return n;
};

/**
 * The entries, bounded in bytes (LRU: Map order is use order). Holds entries of one position only:
 * the views only move forward, so the first look-up at a newer position empties it.
 */
export class AnswerCache {
  private readonly entries = new Map<string, { entry: CachedAnswerEntry; bytes: number; stamp: number }>();
  private at = -1;
  private total = 0;
  /** Counts insertions and moves: a slot whose stamp is within half the size of it is still in the newer half of the order. */
  private clock = 0;
  /** Answers written on the raw (pre-routing) path (for tests and metrics). */
  rawHits = 0;

  constructor(readonly maxBytes: number) {}

  get enabled(): boolean {
    return this.maxBytes > 0;
  }

  /** The entry for `key` computed at `position`, marked as just used; a newer position empties the cache. */
  get(key: string, position: number): CachedAnswerEntry | undefined {
    if (position !== this.at) {
      if (position > this.at) this.reset(position);
      return undefined;
    }
    const slot = this.entries.get(key);
    if (!slot) return undefined;
    // Moved to the newest end only when it sits in the older half: a hot entry is not re-inserted on every hit.
    if (this.clock - slot.stamp > this.entries.size >> 1) {
      this.entries.delete(key);
      this.entries.set(key, slot);
      slot.stamp = ++this.clock;
    }
    return slot.entry;
  }

  /** Stores an entry (false when it is of an older position or larger than the whole cache). */
  set(key: string, entry: CachedAnswerEntry): boolean {
    if (!this.enabled || entry.position < this.at) return false;
    if (entry.position > this.at) this.reset(entry.position);
    const bytes = entryBytes(key, entry);
    if (bytes > this.maxBytes) return false;
    this.delete(key);
    this.entries.set(key, { entry, bytes, stamp: ++this.clock });
    this.total += bytes;
    this.evict();
    return true;
  }

  /** Recounts an entry whose gzipped body arrived, or whose identity body was let go or inflated again (it may push older entries out). */
  recount(key: string, entry: CachedAnswerEntry): void {
    const slot = this.entries.get(key);
    if (!slot || slot.entry !== entry) return;
    const bytes = entryBytes(key, entry);
    this.total += bytes - slot.bytes;
    slot.bytes = bytes;
    if (bytes > this.maxBytes) this.delete(key);
    this.evict();
  }

  delete(key: string): void {
    const slot = this.entries.get(key);
    if (!slot) return;
    this.entries.delete(key);
    this.total -= slot.bytes;
  }

  /** Bytes held (bodies, gzipped bodies, keys and headers). */
  get bytes(): number {
    return this.total;
  }

  get size(): number {
    return this.entries.size;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  private reset(position: number): void {
    this.entries.clear();
    this.total = 0;
    this.at = position;
  }

  private evict(): void {
    while (this.total > this.maxBytes && this.entries.size > 0) this.delete(this.entries.keys().next().value!);
  }
}

/** The `exp` claim of a bearer JWT the guard has already verified (null when it cannot be read). */
export const tokenExp = (authorization: string): number | null => {
  const parts = bearerToken(authorization)?.split('.');
  if (parts?.length !== 3) return null;
  try {
    const exp = (JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as { exp?: unknown }).exp;
    return typeof exp === 'number' && Number.isFinite(exp) ? exp : null;
  } catch {
    return null;
  }
};

/** What the views look like to the cache (ProjectionEngine). */
export interface ViewPosition {
  readonly position: number;
  readonly upToDate: boolean;
}

export interface AnswerCacheOptions {
  /** Total bytes the cache may hold; 0 turns it off (gzip still applies). */
  maxBytes: number;
  /** Smallest body sent gzipped (default GZIP_MIN_BYTES). */
  gzipMinBytes?: number;
  /**
   * The headers every request gets before its route runs (security, rate limit), which are the
   * request's own and never stored with an answer. Without it, the names present when the cache's
   * onRequest hook runs are taken, per request.
   */
  perRequestHeaders?: readonly string[];
  now?: () => number;
  /**
   * Until when (ms) the token service trusts its latest full verification of the token in this
   * Authorization value (undefined when it trusts none now): an entry whose own trust lapsed is
   * served again under a newer one. Without it, such an entry waits for its own key's next answer.
   */
  trustedUntil?: (authorization: string) => number | undefined;
}

interface Pending {
  gzip: boolean;
  /** Set when the answer may be stored: its key, the position before the handler ran, the per-request header names. */
  key?: string;
  position?: number;
  perRequest?: ReadonlySet<string>;
  /** Served from the cache: onSend leaves it alone. */
  hit?: boolean;
  /** A HEAD served from the cache whose If-None-Match matched: onSend makes it a 304. */
  notModified?: boolean;
}

const STATE = Symbol('answerCache');
/** The key the raw path built for a request it then left to Fastify (so a miss builds it once). */
const RAW_KEY = Symbol('answerCacheKey');

type Req = { method: string; url: string; headers: Record<string, string | string[] | undefined>; routeOptions?: { config?: Record<string, unknown> }; actor?: unknown; raw?: object; [STATE]?: Pending };
type Reply = {
  statusCode: number;
  code(status: number): Reply;
  header(name: string, value: HeaderValue): Reply;
  headers(values: Record<string, HeaderValue>): Reply;
  getHeader(name: string): unknown;
  getHeaders(): Record<string, unknown>;
  removeHeader(name: string): Reply;
  send(payload?: unknown): Reply;
};
interface HookHost {
  addHook(name: 'onRequest', fn: (req: Req, reply: Reply, done: (err?: Error) => void) => void): unknown;
  addHook(name: 'onSend', fn: (req: Req, reply: Reply, payload: unknown, done: (err: Error | null, payload?: unknown) => void) => void): unknown;
}

/**
 * Answers a request from the cache on Node's own request and response, before any framework
 * work: `head` gives the request's own headers (security, rate limit) as a flat [name, value, …]
 * list, or null when the request must not be answered here (it is rate-limited: the normal way
 * answers 429). Called only once the cache knows it has the answer. Returns whether it answered.
 */
export type RawAnswer = (req: IncomingMessage, res: ServerResponse, head: (req: IncomingMessage) => HeaderValue[] | null) => boolean;

const CACHES = new WeakMap<object, AnswerCache>();
const RAW = new WeakMap<object, RawAnswer>();
/** The answer cache registered on a Fastify instance (for tests and metrics). */
export const answerCacheOf = (fastify: object): AnswerCache | undefined => CACHES.get(fastify);
/** The raw (pre-routing) hit path of the answer cache registered on a Fastify instance. */
export const rawAnswerOf = (fastify: object): RawAnswer | undefined => RAW.get(fastify);

const first = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);

/**
 * Called by a handler of a @CachedAnswer() route whose answer depends on more than the URL names (a
 * business date that defaulted to today): that answer is not stored, so no later request is answered
 * from it (after midnight it would be yesterday's). Without the cache (another route), nothing happens.
 */
export const keepOutOfAnswerCache = (req: object): void => {
  const state = (req as Req)[STATE];
  if (state) state.key = undefined;
};

/** The entry's own headers as a flat list, for writeHead (null when it has no content type: Fastify would add one, so the normal way answers). */
const flatHead = (entry: CachedAnswerEntry, gzipped: Buffer | null): HeaderValue[] | null => {
  const out: HeaderValue[] = [];
  let typed = false;
  for (const name in entry.headers) {
    if (name === 'content-type') typed = true;
    out.push(name, entry.headers[name]);
  }
  if (!typed) return null;
  if (gzipped) out.push('content-encoding', 'gzip', 'content-length', String(gzipped.length));
  else out.push('content-length', String(entry.length));
  return out;
};

const REPRESENTATION = new Set(REPRESENTATION_HEADERS);
/** The entry's headers a 304 carries, as a flat list: all but the representation ones (no body, so no length). */
const flatHead304 = (entry: CachedAnswerEntry): HeaderValue[] => {
  const out: HeaderValue[] = [];
  for (const name in entry.headers) if (!REPRESENTATION.has(name)) out.push(name, entry.headers[name]);
  return out;
};

/**
 * Registers the cache's two hooks on a Fastify instance. Call it after the hook that applies the
 * rate limit and security headers, so a cached answer is limited and dressed like any other.
 * Returns the cache (for tests and metrics); `rawAnswerOf(fastify)` gives the pre-routing hit path.
 */
export const registerAnswerCache = (fastify: HookHost, views: ViewPosition, options: AnswerCacheOptions): AnswerCache => {
  const cache = new AnswerCache(options.maxBytes);
  const gzipMin = options.gzipMinBytes ?? GZIP_MIN_BYTES;
  CACHES.set(fastify, cache);
  const now = options.now ?? (() => Date.now());
  const perRequestNames = options.perRequestHeaders ? new Set(options.perRequestHeaders) : null;

  // Clients send the same token on every request: read each one's exp once.
  const expOf = memoOf(tokenExp);

  const gzipOf = (key: string, entry: CachedAnswerEntry): Promise<Buffer> => {
    if (entry.gzipped) return Promise.resolve(entry.gzipped);
    if (!entry.gzipping) {
      // (no gzipped body yet, so the identity body is still there)
      entry.gzipping = gzipBody(entry.body!).then((out) => {
        entry.gzipped = out;
        entry.gzipping = null;
        if (!entry.identityWanted) entry.body = null;
        cache.recount(key, entry);
        return out;
      });
      entry.gzipping.catch(() => (entry.gzipping = null));
    }
    return entry.gzipping;
  };

  /** The identity body for a client without gzip, inflated again if it was let go; kept from now on. */
  const identityOf = (key: string, entry: CachedAnswerEntry): Promise<Buffer> => {
    entry.identityWanted = true;
    if (entry.body) return Promise.resolve(entry.body);
    if (!entry.inflating) {
      // (no identity body, so the gzipped one is there)
      entry.inflating = gunzipBody(entry.gzipped!).then((out) => {
        entry.body = out;
        entry.inflating = null;
        cache.recount(key, entry);
        return out;
      });
      entry.inflating.catch(() => (entry.inflating = null));
    }
    return entry.inflating;
  };

  const keyOf = (url: string, auth: string, accept: string | string[] | undefined): string => `GET ${url}\u0000${auth}\u0000${first(accept) ?? ''}`;

  /** The entry a hit may be served from now (an expired token's entry is dropped: the guard answers 401). */
  const usable = (key: string, position: number, auth: string): CachedAnswerEntry | undefined => {
    const entry = cache.get(key, position);
    if (!entry) return undefined;
    const t = now();
    if (t >= entry.exp * 1000) {
      cache.delete(key);
      return undefined;
    }
    if (t < entry.verifiedUntil) return entry;
    // The token verified anew since (by a request that went through the guard): the entry holds under that verification.
    const renewed = options.trustedUntil?.(auth);
    if (renewed === undefined || renewed <= t) return undefined;
    entry.verifiedUntil = Math.min(t + VERIFIED_TTL_MS, renewed);
    return entry;
  };

  const raw: RawAnswer = (req, res, head) => {
    const headers = req.headers;
    const auth = headers.authorization;
    if (req.method !== 'GET' || !cache.enabled || cache.size === 0 || typeof auth !== 'string' || headers['x-ledger-position'] !== undefined || !views.upToDate) return false;
    const key = keyOf(req.url!, auth, headers.accept);
    const entry = usable(key, views.position, auth);
    if (!entry) {
      (req as { [RAW_KEY]?: string })[RAW_KEY] = key;
      return false;
    }
    const inm = headers['if-none-match'];
    if (inm !== undefined && ifNoneMatch(inm, entry.etag)) {
      const all = head(req);
      if (!all) return false;
      const own = (entry.rawHead304 ??= flatHead304(entry));
      for (let i = 0; i < own.length; i++) all.push(own[i]);
      res.writeHead(304, all as unknown as string[]);
      res.end();
      cache.rawHits++;
      return true;
    }
    const gz = entry.length >= gzipMin && wantsGzip(headers['accept-encoding']);
    if (gz ? !entry.gzipped : !entry.body) return false; // a compression or inflation to wait for: the normal way does
    const own = gz ? (entry.rawHeadGzip ??= flatHead(entry, entry.gzipped) ?? undefined) : (entry.rawHead ??= flatHead(entry, null) ?? undefined);
    if (!own) return false;
    const all = head(req);
    if (!all) return false;
    for (let i = 0; i < own.length; i++) all.push(own[i]);
    res.writeHead(200, all as unknown as string[]);
    if (!gz) entry.identityWanted = true;
    res.end(gz ? entry.gzipped : entry.body);
    cache.rawHits++;
    return true;
  };
  RAW.set(fastify, raw);

  fastify.addHook('onRequest', (req, reply, done) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || req.routeOptions?.config?.[CACHED_ANSWER] !== true) return done();
    const state: Pending = { gzip: wantsGzip(req.headers['accept-encoding']) };
    req[STATE] = state;
    const auth = req.headers.authorization;
    if (!cache.enabled || typeof auth !== 'string' || req.headers['x-ledger-position'] !== undefined || !views.upToDate) return done();
    const position = views.position;
    const key = (req.raw as { [RAW_KEY]?: string } | undefined)?.[RAW_KEY] ?? keyOf(req.url, auth, req.headers.accept);
    const entry = usable(key, position, auth);
    if (entry) {
      state.hit = true;
      reply.headers(entry.headers as Record<string, HeaderValue>);
      const inm = req.headers['if-none-match'];
      if (inm !== undefined && ifNoneMatch(inm, entry.etag)) {
        if (req.method === 'GET') {
          toNotModified(reply);
          reply.send();
          return;
        }
        // A HEAD's 304 goes on with the 200's body, which Fastify's HEAD step only measures (the 200's
        // Content-Length, which RFC 9110 §8.6 allows on a 304) and drops; made a 304 in onSend, after
        // Fastify took the body's type from the entry's headers.
        state.notModified = true;
      }
      const send = (body: Buffer, gzipped: boolean): void => {
        if (gzipped) reply.header('content-encoding', 'gzip');
        reply.send(body);
      };
      if (!state.gzip || entry.length < gzipMin) {
        if (entry.body) {
          entry.identityWanted = true;
          send(entry.body, false);
          return;
        }
        identityOf(key, entry).then(
          (body) => send(body, false),
          (err: Error) => reply.send(err),
        );
        return;
      }
      if (entry.gzipped) {
        send(entry.gzipped, true);
        return;
      }
      gzipOf(key, entry).then(
        (out) => send(out, true),
        () => send(entry.body!, false),
      );
      return;
    }
    state.key = key;
    state.position = position;
    state.perRequest = perRequestNames ?? new Set(Object.keys(reply.getHeaders()));
    done();
  });

  fastify.addHook('onSend', (req, reply, payload, done) => {
    const state = req[STATE];
    if (state?.notModified) toNotModified(reply);
    if (!state || state.hit || reply.statusCode !== 200 || (typeof payload !== 'string' && !Buffer.isBuffer(payload))) return done(null, payload);
    const body = typeof payload === 'string' ? Buffer.from(payload) : payload;
    const big = body.length >= gzipMin;
    if (big) reply.header('vary', withVary(reply.getHeader('vary'), 'Accept-Encoding'));
    // The ETag of the identity body (once per answer, stored with the entry), before the headers are taken for it.
    const own = reply.getHeader('etag');
    const etag = typeof own === 'string' ? own : etagOf(body);
    const notModified = tagAnswer(req, reply, etag);
    let fill: CachedAnswerEntry | null = null;
    const auth = first(req.headers.authorization);
    // Stored only if the views did not move while the handler ran (so the answer is the one at that position) and the guard let the caller in.
    if (state.key !== undefined && state.position === views.position && req.actor && auth) {
      const exp = expOf(auth);
      if (exp !== null) {
        const headers: Record<string, HeaderValue> = {};
        const all = reply.getHeaders();
        for (const name in all) {
          if (state.perRequest!.has(name) || name === 'content-length' || name === 'content-encoding') continue;
          headers[name] = all[name] as HeaderValue;
        }
        // Trusted no longer than the token service trusts the token's verification (so a key withdrawn
        // at the identity provider stops being honoured within one VERIFIED_TTL_MS, cache or not).
        const trusted = (req as { actorTrustedUntil?: number }).actorTrustedUntil;
        const verifiedUntil = Math.min(now() + VERIFIED_TTL_MS, trusted ?? Number.MAX_SAFE_INTEGER);
        fill = { position: state.position, headers, body, length: body.length, identityWanted: !(big && state.gzip), inflating: null, etag, exp, verifiedUntil, gzipped: null, gzipping: null };
      }
    }
    const key = state.key!;
    if (notModified || !big || !state.gzip) {
      if (fill) cache.set(key, fill);
      if (!notModified) return done(null, payload);
      toNotModified(reply);
      // (a HEAD's body goes on to Fastify's HEAD step, which gives the 200's Content-Length and drops it; it fails on null)
      return done(null, req.method === 'HEAD' ? payload : null);
    }
    // A gzip client's answer is stored once compressed, as it is kept (the gzipped body only):
    // stored with its identity body first, it would push out more entries than it goes on to hold.
    gzipBody(body).then(
      (out) => {
        if (fill) {
          fill.gzipped = out;
          fill.body = null;
          cache.set(key, fill);
        }
        reply.header('content-encoding', 'gzip');
        done(null, out);
      },
      () => {
        if (fill) cache.set(key, fill);
        done(null, payload);
      },
    );
  });

  return cache;
};
