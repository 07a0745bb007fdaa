import { SignJWT } from 'jose';
import { TokenService } from './token.service';

const SECRET = 'token-service-spec-secret-of-32-bytes';
const key = new TextEncoder().encode(SECRET);
const HOUR = 3600;
const nowS = () => Math.floor(Date.now() / 1000);
/** An HS256 token with exactly these claims. */
const sign = (claims: Record<string, unknown>) => new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(key);
const claims = (over: Record<string, unknown>) => ({ sub: 'kari', roles: ['auditor'], counties: [], iat: nowS(), ...over });
/** The code a token is refused with, or 'ok'. */
const outcome = async (tokens: TokenService, c: Record<string, unknown>): Promise<string> =>
  tokens.verify(await sign(c)).then(
    () => 'ok',
    (e: { code?: string }) => e.code ?? String(e),
  );

describe('TokenService: a token is valid for at most LEDGER_JWT_MAX_HOURS (24 h unless configured)', () => {
  const tokens = new TokenService({ jwtSecret: SECRET, jwksUrl: null, jwtIssuer: null, jwtAudience: null });

  it('exp more than 24 h after iat is AUTH.TOKEN_INVALID (a century, a week, 24 h and a second); 24 h, 8 h and 10 minutes are let in', async () => {
    const iat = nowS();
    const got: Record<string, string> = {};
    for (const [name, seconds] of Object.entries({ century: 100 * 365 * 86400, week: 7 * 24 * HOUR, day1s: 24 * HOUR + 1, day: 24 * HOUR, workday: 8 * HOUR, tenMinutes: 600 })) {
      got[name] = await outcome(tokens, claims({ iat, exp: iat + seconds }));
    }
    expect(got).toEqual({ century: 'AUTH.TOKEN_INVALID', week: 'AUTH.TOKEN_INVALID', day1s: 'AUTH.TOKEN_INVALID', day: 'ok', workday: 'ok', tenMinutes: 'ok' });
  });

  it('the refusal says the limit in words and in details', async () => {
    const e = await tokens.verify(await sign(claims({ exp: nowS() + 100 * 365 * 86400 }))).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'AUTH.TOKEN_INVALID', kind: 'unauthenticated', details: { maxHours: 24 } });
    expect((e as Error).message).toMatch(/at most 24 hours.*get a new token/);
  });

  it('counted from now as well: no iat, or an iat in the future, does not buy a longer life (5 minutes allowed for a clock ahead)', async () => {
    const now = nowS();
    const noIat = (exp: number) => ({ sub: 'kari', roles: ['auditor'], counties: [], exp });
    expect(await outcome(tokens, noIat(now + 100 * 365 * 86400))).toBe('AUTH.TOKEN_INVALID');
    expect(await outcome(tokens, noIat(now + 24 * HOUR + 301))).toBe('AUTH.TOKEN_INVALID');
    expect(await outcome(tokens, noIat(now + 24 * HOUR))).toBe('ok');
    expect(await outcome(tokens, claims({ iat: now + 100 * 365 * 86400, exp: now + 100 * 365 * 86400 + HOUR }))).toBe('AUTH.TOKEN_INVALID');
    expect(await outcome(tokens, claims({ iat: now + 240, exp: now + 240 + 24 * HOUR }))).toBe('ok');
    // Issued long ago for long: refused even with less than 24 h left.
    expect(await outcome(tokens, claims({ iat: now - 30 * 24 * HOUR, exp: now + HOUR }))).toBe('AUTH.TOKEN_INVALID');
  });

  it('jwtMaxHours sets the bound; issue() will not make a token the server would refuse', async () => {
    const wide = new TokenService({ jwtSecret: SECRET, jwksUrl: null, jwtIssuer: null, jwtAudience: null, jwtMaxHours: 72 });
    const iat = nowS();
    expect([await outcome(wide, claims({ iat, exp: iat + 72 * HOUR })), await outcome(wide, claims({ iat, exp: iat + 72 * HOUR + 1 }))]).toEqual(['ok', 'AUTH.TOKEN_INVALID']);
    const who = { sub: 'kari', name: 'Kari', roles: ['auditor' as const], counties: [] };
    await expect(tokens.issue(who, 25 * HOUR)).rejects.toThrow(/LEDGER_JWT_MAX_HOURS/);
    expect(await tokens.verify(await tokens.issue(who))).toMatchObject({ id: 'kari' });
    expect(await wide.verify(await wide.issue(who, 72 * HOUR))).toMatchObject({ id: 'kari' });
  });
});
