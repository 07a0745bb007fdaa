import { ConfigError, loadConfig } from './config';

/** loadConfig with the memory store and a secret (so no file is written), plus `env`. */
const load = (env: Record<string, string | undefined>) => loadConfig({ LEDGER_STORE: 'memory', LEDGER_JWT_SECRET: 's'.repeat(32), ...env } as NodeJS.ProcessEnv);

describe('loadConfig: whole-number settings', () => {
  const NUMERIC: [string, keyof ReturnType<typeof load>, number][] = [
    ['PORT', 'port', 3000],
    ['LEDGER_BODY_LIMIT_BYTES', 'bodyLimitBytes', 65536],
    ['LEDGER_RATE_LIMIT_PER_MINUTE', 'rateLimitPerMinute', 6000],
    ['LEDGER_ANSWER_CACHE_MB', 'answerCacheMb', 32],
    ['LEDGER_GZIP_MIN_BYTES', 'gzipMinBytes', 8192],
  ];

  it.each(NUMERIC)('%s: unset or empty takes the default; digits are taken as they are', (name, field, fallback) => {
    expect(load({})[field]).toBe(fallback);
    expect(load({ [name]: '' })[field]).toBe(fallback);
    expect(load({ [name]: '1234' })[field]).toBe(1234);
  });

  it.each(NUMERIC)('%s: anything but a whole number refuses to start, naming the variable and the value', (name) => {
    for (const value of ['abc', '6000/min', '-5', '1.5', '1e3', '0x10', ' 12', '12 ', '+3', 'NaN', 'Infinity', '99999999999999999']) {
      let error: unknown;
      try {
        load({ [name]: value });
      } catch (e) {
        error = e;
      }
      expect([value, error instanceof ConfigError]).toEqual([value, true]);
      expect((error as Error).message).toContain(name);
      expect((error as Error).message).toContain(JSON.stringify(value));
    }
  });

  it('0 turns the rate limit and the answer cache off and gzips every answer; a body limit or port out of range is refused', () => {
    expect(load({ LEDGER_RATE_LIMIT_PER_MINUTE: '0', LEDGER_ANSWER_CACHE_MB: '0', LEDGER_GZIP_MIN_BYTES: '0', PORT: '0' })).toMatchObject({ rateLimitPerMinute: 0, answerCacheMb: 0, gzipMinBytes: 0, port: 0 });
    expect(() => load({ LEDGER_BODY_LIMIT_BYTES: '0' })).toThrow(/LEDGER_BODY_LIMIT_BYTES must be a whole number of 1 or more/);
    expect(() => load({ PORT: '65536' })).toThrow(/PORT must be a whole number from 0 to 65535/);
    expect(load({ PORT: '65535' }).port).toBe(65535);
  });

  it('LEDGER_JWT_MAX_HOURS: 24 when unset or empty, 1 to 168 taken, 0, more than a week or a non-number refuses to start', () => {
    expect([load({}).jwtMaxHours, load({ LEDGER_JWT_MAX_HOURS: '' }).jwtMaxHours, load({ LEDGER_JWT_MAX_HOURS: '1' }).jwtMaxHours, load({ LEDGER_JWT_MAX_HOURS: '168' }).jwtMaxHours]).toEqual([24, 24, 1, 168]);
    for (const value of ['0', '169', '8760', '24h', '1.5', '-1']) expect(() => load({ LEDGER_JWT_MAX_HOURS: value })).toThrow(/LEDGER_JWT_MAX_HOURS must be a whole number from 1 to 168/);
  });

  it('says what to do in one line', () => {
    expect(() => load({ LEDGER_RATE_LIMIT_PER_MINUTE: 'abc' })).toThrow(
      'LEDGER_RATE_LIMIT_PER_MINUTE must be a whole number of 0 or more (requests per minute per client; 0 turns the limit off), not "abc"; leave it unset or empty for the default, 6000.',
    );
  });
  it('LEDGER_TRUST_PROXY: unset trusts no proxy; a list of addresses, ranges and proxy-addr names is kept; anything else refuses to start', () => {
    expect(load({}).trustProxy).toBeNull();
    expect(load({ LEDGER_TRUST_PROXY: '  ' }).trustProxy).toBeNull();
    expect(load({ LEDGER_TRUST_PROXY: 'loopback, 10.0.0.0/8,192.168.1.5' }).trustProxy).toEqual(['loopback', '10.0.0.0/8', '192.168.1.5']);
    for (const bad of ['true', '*', '10.0.0.0/99', 'proxy.example', '10.0.0.1,,10.0.0.2']) {
      expect(() => load({ LEDGER_TRUST_PROXY: bad })).toThrow(/^LEDGER_TRUST_PROXY must be a comma-separated list of the proxies' addresses/);
    }
  });
});
