import { RateLimiter, rateLimitBucket } from './rate-limit';

describe('RateLimiter', () => {
  it('allows the limit per minute per address, then refuses until the window resets', () => {
    let now = 1_000_000;
    const r = new RateLimiter(3, () => now);
    expect([1, 2, 3, 4].map(() => r.hit('a').allowed)).toEqual([true, true, true, false]);
    expect(r.hit('b')).toEqual({ allowed: true, limit: 3, remaining: 2, resetSeconds: 60 });
    now += 30_500;
    expect(r.hit('a')).toEqual({ allowed: false, limit: 3, remaining: 0, resetSeconds: 30 });
    now += 29_500;
    expect(r.hit('a')).toMatchObject({ allowed: true, remaining: 2, resetSeconds: 60 });
  });

  it('drops stale windows once many addresses were seen', () => {
    let now = 0;
    const r = new RateLimiter(1, () => now);
    for (let i = 0; i < 10_000; i++) r.hit(`c${i}`);
    expect(r.size).toBe(10_000);
    now += 60_000;
    r.hit('new');
    expect(r.size).toBe(1);
  });
});

describe('rateLimitBucket: the budget an address counts against', () => {
  it('an IPv6 address is its /64, however it is written (case, zeros, brackets, a zone)', () => {
    const bucket = rateLimitBucket('2001:db8:1:2::a');
    expect(bucket).toBe('2001:db8:1:2::/64');
    for (const a of ['2001:db8:1:2:ffff:ffff:ffff:ffff', '2001:DB8:1:2::B', '2001:0db8:0001:0002:0000:0000:0000:000c', '[2001:db8:1:2::1]', '2001:db8:1:2::1%eth0', '2001:db8:1:2:0:0:1.2.3.4']) {
      expect([a, rateLimitBucket(a)]).toEqual([a, bucket]);
    }
    expect(rateLimitBucket('2001:db8:1:3::a')).not.toBe(bucket);
    expect(rateLimitBucket('2001:db8::')).toBe('2001:db8:0:0::/64');
    expect(rateLimitBucket('::1')).toBe('0:0:0:0::/64');
  });

  it('IPv4-mapped IPv6 is the IPv4 address (dotted or hex, any case); IPv4 and anything else stay as they are', () => {
    for (const a of ['::ffff:203.0.113.5', '::FFFF:203.0.113.5', '::ffff:cb00:7105', '0:0:0:0:0:ffff:203.0.113.5', '[::ffff:203.0.113.5]', '203.0.113.5']) {
      expect([a, rateLimitBucket(a)]).toEqual([a, '203.0.113.5']);
    }
    // Not IPv4-mapped: an IPv4-embedded NAT64 address is an IPv6 client (its /64).
    expect(rateLimitBucket('64:ff9b::203.0.113.5')).toBe('64:ff9b:0:0::/64');
    expect(rateLimitBucket('unknown')).toBe('unknown');
    // A port a proxy appended is the connection's: not a budget of its own.
    expect([rateLimitBucket('203.0.113.5:51234'), rateLimitBucket('[::ffff:203.0.113.5]:443'), rateLimitBucket('[2001:db8:1:2::a]:8080')]).toEqual(['203.0.113.5', '203.0.113.5', '2001:db8:1:2::/64']);
  });

  it('the limiter counts by bucket: addresses of one /64, and both spellings of one IPv4 address, share one budget', () => {
    const r = new RateLimiter(2, () => 0);
    expect([r.hit('2001:db8:1:2::a').allowed, r.hit('2001:db8:1:2::b').allowed, r.hit('2001:db8:1:2::c').allowed, r.hit('2001:db8:1:3::a').allowed]).toEqual([true, true, false, true]);
    expect([r.hit('198.51.100.7').allowed, r.hit('::ffff:198.51.100.7').allowed, r.hit('198.51.100.7').allowed]).toEqual([true, true, false]);
  });
});
