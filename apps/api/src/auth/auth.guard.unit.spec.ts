import 'reflect-metadata';
import { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from './auth.guard';
import { Public, READERS, Roles } from './decorators';
import { TokenService } from './token.service';
import { BODY_REFUSED, duplicateFieldRefusal } from '../http/json-body';

class Routes {
  @Roles(...READERS) read() {}
  @Roles('admin') admin() {}
  @Public() health() {}
  unmarked() {}
}

const tokens = new TokenService({ jwtSecret: 'guard-spec-secret', jwksUrl: null, jwtIssuer: null, jwtAudience: null });
const guard = new AuthGuard(new Reflector(), tokens);
const ctxFor = (handler: keyof Routes, req: Record<string, unknown>): ExecutionContext =>
  ({ getHandler: () => Routes.prototype[handler], getClass: () => Routes, switchToHttp: () => ({ getRequest: () => req }) }) as unknown as ExecutionContext;
/** The guard's answer, sync or not, as a settled value: true, or the error code it refused with. */
const activate = async (handler: keyof Routes, authorization?: string, bodyRefused?: Error): Promise<{ result: unknown; sync: boolean; actor?: unknown; trustedUntil?: unknown }> => {
  const req: Record<string | symbol, unknown> = { method: 'POST', headers: authorization === undefined ? {} : { authorization } };
  if (bodyRefused) req[BODY_REFUSED] = bodyRefused;
  try {
    const r = guard.canActivate(ctxFor(handler, req));
    const sync = typeof r === 'boolean';
    return { result: await r, sync, actor: req.actor, trustedUntil: req.actorTrustedUntil };
  } catch (e) {
    return { result: (e as { code?: string }).code, sync: true };
  }
};

describe('AuthGuard', () => {
  it('verifies a token in full the first time, then admits it without a promise, with the same role rules each time', async () => {
    const token = await tokens.issue({ sub: 'g', name: 'G', roles: ['auditor'], counties: [] });
    const first = await activate('read', `Bearer ${token}`);
    expect(first).toMatchObject({ result: true, sync: false, actor: { id: 'g', actingRole: 'auditor' } });
    const again = await activate('read', `Bearer ${token}`);
    expect(again).toMatchObject({ result: true, sync: true, actor: { id: 'g', actingRole: 'auditor', roles: ['auditor'] } });
    // The request says how long that verification is trusted (the answer cache serves no longer).
    expect(again.trustedUntil).toBe(first.trustedUntil);
    expect(again.trustedUntil).toBe(tokens.trustedUntil(token));
    expect(first.trustedUntil as number).toBeGreaterThan(Date.now());
    expect(first.trustedUntil as number).toBeLessThanOrEqual(Date.now() + 60_000);
    expect(await activate('admin', `Bearer ${token}`)).toEqual({ result: 'ACCESS.ROLE_NOT_ALLOWED', sync: true });
    expect(await activate('unmarked', `Bearer ${token}`)).toEqual({ result: 'ACCESS.ROLE_NOT_ALLOWED', sync: true }); // deny by default
  });

  it('refuses a missing or malformed header and a bad signature, lets @Public routes through', async () => {
    expect((await activate('read')).result).toBe('AUTH.MISSING_TOKEN');
    expect((await activate('read', 'Basic abc')).result).toBe('AUTH.MISSING_TOKEN');
    const token = await tokens.issue({ sub: 'h', name: 'H', roles: ['admin'], counties: [] });
    expect((await activate('admin', `Bearer ${token.slice(0, -2)}xx`)).result).toBe('AUTH.TOKEN_INVALID');
    expect(await activate('health')).toMatchObject({ result: true, sync: true });
  });

  it('takes the scheme in any case (RFC 9110 §11.1), through the one bearer parser', async () => {
    const token = await tokens.issue({ sub: 'c', name: 'C', roles: ['auditor'], counties: [] });
    for (const scheme of ['bearer', 'BEARER', 'Bearer']) expect((await activate('read', `${scheme} ${token}`)).result).toBe(true);
    expect((await activate('read', `Bearer${token}`)).result).toBe('AUTH.MISSING_TOKEN');
  });

  it('answers AUTH.TOKEN_EXPIRED for a token admitted before once its exp has passed', async () => {
    // exp is whole seconds (now rounded down + 1): issued at the start of a second, the token lives ~1 s, not a few ms, on a loaded machine.
    await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000) + 5));
    const token = await tokens.issue({ sub: 'e', name: 'E', roles: ['auditor'], counties: [] }, 1);
    expect((await activate('read', `Bearer ${token}`)).result).toBe(true);
    const exp = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).exp as number;
    await new Promise((r) => setTimeout(r, Math.max(0, exp * 1000 - Date.now()) + 20));
    expect(await activate('read', `Bearer ${token}`)).toEqual({ result: 'AUTH.TOKEN_EXPIRED', sync: true });
  });

  it('a body the JSON parser refused is refused after 401 and 403, with the parser\'s own error (and at once on a @Public route)', async () => {
    const dup = duplicateFieldRefusal('partyId');
    expect((await activate('admin', undefined, dup)).result).toBe('AUTH.MISSING_TOKEN');
    const auditor = await tokens.issue({ sub: 'b', name: 'B', roles: ['auditor'], counties: [] });
    expect((await activate('admin', `Bearer ${auditor}`, dup)).result).toBe('ACCESS.ROLE_NOT_ALLOWED');
    const admin = await tokens.issue({ sub: 'a', name: 'A', roles: ['admin'], counties: [] });
    expect((await activate('admin', `Bearer ${admin}`, dup)).result).toBe('LEDGER_JSON_DUPLICATE_FIELD'); // first verification (a promise)
    expect(await activate('admin', `Bearer ${admin}`, dup)).toEqual({ result: 'LEDGER_JSON_DUPLICATE_FIELD', sync: true });
    expect(await activate('admin', `Bearer ${admin}`)).toMatchObject({ result: true });
    expect(await activate('health', undefined, dup)).toEqual({ result: 'LEDGER_JSON_DUPLICATE_FIELD', sync: true });
  });

  it('a handler changing its actor does not change the next request\'s', async () => {
    const token = await tokens.issue({ sub: 'm', name: 'M', roles: ['finance-officer'], counties: ['telemark'] });
    const first = (await activate('read', `Bearer ${token}`)).actor as { counties: string[] };
    first.counties.push('oslo');
    expect(((await activate('read', `Bearer ${token}`)).actor as { counties: string[] }).counties).toEqual(['telemark']);
  });
});
