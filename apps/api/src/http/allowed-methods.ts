import type { ErrorBody } from './error.filter';

/**
 * 405 ROUTE.METHOD_NOT_ALLOWED: which methods an address takes, for a request the router found no
 * route for (Fastify routes by method first, so a known address asked with another method would be
 * 404). Built from the route table the app collects with Fastify's onRoute hook (bootstrap.ts), compiled
 * once, and asked only on the not-found path, so a routed request never pays for it.
 *
 * The patterns are find-my-way's, matched as its router matches them: the path before `?` or `#`,
 * decoded as decodeURI does (`/c%6Funties` is `/counties`; an encoded `/` stays inside its segment), case
 * sensitive, a trailing or doubled slash significant (the app keeps Fastify's defaults), `:name` one
 * segment (or up to the static text that follows it in the segment) and `*` the rest of the path. A
 * parameter must not be empty: Nest answers a route reached with an empty one as not found (its
 * requireNonEmptyParams), so such an address takes no method.
 */

export interface RoutePattern {
  readonly method: string;
  readonly url: string;
}

/** Answers for a request URL the methods its path takes: sorted, HEAD wherever GET; empty when none. */
export type AllowedMethods = (url: string) => readonly string[];

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** find-my-way's URL pattern as an anchored RegExp (null for a pattern without parameters or wildcard). */
export const patternRegExp = (url: string): RegExp | null => {
  if (!url.includes(':') && !url.includes('*')) return null;
  let out = '';
  let i = 0;
  while (i < url.length) {
    const c = url[i];
    if (c === ':' && url[i + 1] === ':') {
      out += ':'; // `::` is a literal colon
      i += 2;
    } else if (c === ':') {
      // A parameter: its name runs to `/`, `-`, `.` or `(`, then an optional regexp in parentheses.
      let j = i + 1;
      while (j < url.length && !'/-.('.includes(url[j])) j++;
      let value = '[^/]+';
      if (url[j] === '(') {
        let depth = 0;
        let k = j;
        for (; k < url.length; k++) {
          if (url[k] === '\\') k++;
          else if (url[k] === '(') depth++;
          else if (url[k] === ')' && --depth === 0) break;
        }
        value = `(?:${url.slice(j + 1, k).replace(/^\^/, '').replace(/\$$/, '')})`;
        j = k + 1;
      }
      // Followed by static text in the same segment: only as far as that text.
      const lazy = j < url.length && url[j] !== '/' && value === '[^/]+';
      out += lazy ? '[^/]+?' : value;
      i = j;
    } else if (c === '*') {
      out += '.*';
      i++;
    } else {
      out += escapeRegExp(c);
      i++;
    }
  }
  return new RegExp(`^${out}$`);
};

/** The path find-my-way routes: before `?`/`#`, the scheme and host of an absolute-form target dropped, decoded as decodeURI does (null when it cannot be). */
export const routedPath = (url: string): string | null => {
  let end = url.length;
  for (const delimiter of ['?', '#']) {
    const at = url.indexOf(delimiter);
    if (at !== -1 && at < end) end = at;
  }
  let path = url.slice(0, end);
  if (path.charCodeAt(0) !== 47) path = path.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '');
  if (!path.includes('%')) return path;
  try {
    return decodeURI(path);
  } catch {
    return null;
  }
};

const ORDER = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
const byOrder = (a: string, b: string): number => {
  const [x, y] = [ORDER.indexOf(a), ORDER.indexOf(b)];
  return x === -1 && y === -1 ? a.localeCompare(b) : x === -1 ? 1 : y === -1 ? -1 : x - y;
};
const sorted = (methods: Iterable<string>): readonly string[] => {
  const set = new Set(methods);
  if (set.has('GET')) set.add('HEAD');
  return Object.freeze([...set].sort(byOrder));
};

/** Compiles a route table (method and URL pattern per route) into AllowedMethods. */
export const allowedMethodsOf = (routes: readonly RoutePattern[]): AllowedMethods => {
  const byUrl = new Map<string, Set<string>>();
  for (const { method, url } of routes) {
    const set = byUrl.get(url) ?? new Set<string>();
    set.add(method.toUpperCase());
    byUrl.set(url, set);
  }
  const exact = new Map<string, Set<string>>();
  const patterns: { re: RegExp; methods: Set<string> }[] = [];
  for (const [url, methods] of byUrl) {
    const re = patternRegExp(url);
    if (re) patterns.push({ re, methods });
    else exact.set(url, methods);
  }
  const none: readonly string[] = Object.freeze([]);
  return (url) => {
    const path = routedPath(url);
    if (path === null) return none;
    const found = new Set<string>(exact.get(path));
    for (const { re, methods } of patterns) if (re.test(path)) for (const m of methods) found.add(m);
    return found.size === 0 ? none : sorted(found);
  };
};

/** The answer to a method the address does not take (with `Allow: <allowed>` beside it). */
export const methodNotAllowedBody = (method: string, allowed: readonly string[]): ErrorBody => ({
  statusCode: 405,
  code: 'ROUTE.METHOD_NOT_ALLOWED',
  message: `This address does not take ${method}; it takes ${allowed.join(', ')}.`,
  details: { allowed },
});
