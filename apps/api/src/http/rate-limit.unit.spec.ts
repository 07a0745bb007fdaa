import { RateLimiter } from './rate-limit';

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
