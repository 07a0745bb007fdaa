/**
 * The security headers every answer carries: helmet's defaults with a CSP that still lets the API
 * docs at /docs load their own script and styles, and without helmet's `upgrade-insecure-requests`:
 * the server speaks plain HTTP (TLS is a proxy's), so at any address but loopback that directive
 * turned the page's own script and stylesheet into https fetches and /docs was blank. Fixed once here instead of recomputed per
 * request by a middleware (helmet's per-request work was ~4 % of a read's CPU).
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-security-policy':
    "default-src 'self';base-uri 'self';font-src 'self' https: data:;form-action 'self';frame-ancestors 'none';img-src 'self' data:;object-src 'none';script-src 'self';script-src-attr 'none';style-src 'self' 'unsafe-inline'",
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-frame-options': 'SAMEORIGIN',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
});

/** The same as a flat [name, value, …] list, for Node's writeHead (copy it before adding to it). */
export const SECURITY_HEADER_LIST: readonly string[] = Object.freeze(Object.entries(SECURITY_HEADERS).flat());

/** The rate-limit headers every answer carries when the limit is on (set per request). */
export const RATE_LIMIT_HEADERS: readonly string[] = Object.freeze(['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'retry-after']);
