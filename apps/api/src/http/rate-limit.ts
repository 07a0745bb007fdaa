import { isIPv4, isIPv6 } from 'node:net';

/**
 * Requests per client address per minute, in fixed one-minute windows. A plain counter per
 * address (the Nest throttler's bookkeeping was ~20 % of a read's CPU); stale windows are
 * dropped when the table grows, so memory stays bounded by the addresses seen in a minute.
 */
export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window resets (≥ 1). */
  resetSeconds: number;
}

const WINDOW_MS = 60_000;
const PRUNE_ABOVE = 10_000;

export class RateLimiter {
  private readonly windows = new Map<string, { startedAt: number; count: number }>();

  constructor(
    readonly limitPerMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one request of the client at this address (bucketed by rateLimitBucket). */
  hit(address: string): RateDecision {
    const client = rateLimitBucket(address);
    const t = this.now();
    let w = this.windows.get(client);
    if (!w || t - w.startedAt >= WINDOW_MS) {
      if (!w && this.windows.size >= PRUNE_ABOVE) this.prune(t);
      w = { startedAt: t, count: 0 };
      this.windows.set(client, w);
    }
    w.count++;
    const resetSeconds = Math.max(1, Math.ceil((w.startedAt + WINDOW_MS - t) / 1000));
    return { allowed: w.count <= this.limitPerMinute, limit: this.limitPerMinute, remaining: Math.max(0, this.limitPerMinute - w.count), resetSeconds };
  }

  private prune(t: number): void {
    for (const [k, w] of this.windows) if (t - w.startedAt >= WINDOW_MS) this.windows.delete(k);
  }

  /** How many addresses are tracked (for tests). */
  get size(): number {
    return this.windows.size;
  }
}

/**
 * The budget an address counts against. One IPv6 subscriber is given a whole /64 (RFC 6177; a host
 * picks any of its 2^64 addresses, privacy addresses change daily): each IPv6 address is counted by
 * its /64 prefix, so a client cannot buy a fresh budget per request. An IPv4 address written as
 * IPv4-mapped IPv6 (`::ffff:192.0.2.1`, as a dual-stack socket or a proxy's X-Forwarded-For gives it)
 * is that IPv4 address. Brackets, a zone (`%eth0`), a port a proxy appended and the letters' case do
 * not matter. Anything that is not an IP address is counted as it is.
 */
export const rateLimitBucket = (address: string): string => {
  // IPv4 as Node and proxy-addr give it (or no address at all): as it is, at the cost of one scan.
  if (!address.includes(':')) return address;
  let a = address.trim().toLowerCase();
  // A port some proxies append to the address they forward ("192.0.2.1:51234", "[2001:db8::1]:443") is the connection's, not the client's.
  const ported = /^(?:(\d{1,3}(?:\.\d{1,3}){3})|\[([^\]]+)\]):\d{1,5}$/.exec(a);
  if (ported) a = ported[1] ?? ported[2];
  if (a.startsWith('[') && a.endsWith(']')) a = a.slice(1, -1);
  const zone = a.indexOf('%');
  if (zone >= 0) a = a.slice(0, zone);
  if (isIPv4(a)) return a;
  if (!isIPv6(a)) return address;
  const groups = ipv6Groups(a);
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return [groups[6] >> 8, groups[6] & 0xff, groups[7] >> 8, groups[7] & 0xff].join('.');
  }
  return `${groups.slice(0, 4).map((g) => g.toString(16)).join(':')}::/64`;
};

/** The eight 16-bit groups of a valid IPv6 address (`::` expanded, a trailing dotted IPv4 read as two groups). */
const ipv6Groups = (address: string): number[] => {
  let a = address;
  const lastColon = a.lastIndexOf(':');
  if (a.includes('.', lastColon)) {
    const [b0, b1, b2, b3] = a.slice(lastColon + 1).split('.').map(Number);
    a = `${a.slice(0, lastColon + 1)}${((b0 << 8) | b1).toString(16)}:${((b2 << 8) | b3).toString(16)}`;
  }
  const groups = (part: string): number[] => (part === '' ? [] : part.split(':').map((g) => parseInt(g, 16)));
  const gap = a.indexOf('::');
  if (gap < 0) return groups(a);
  const left = groups(a.slice(0, gap));
  const right = groups(a.slice(gap + 2));
  return [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
};
