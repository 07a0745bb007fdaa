import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Actor, DomainError, Role } from '../../../../libs/domain/src/shared';
import { bearerToken } from './bearer';
import { PUBLIC_KEY, ROLES_KEY } from './decorators';
import { TokenService } from './token.service';
import { ReadCuts, readCutsOf, refuseCutsNotTaken } from '../http/read-cuts';
import { refuseQueryOfWrite } from '../http/write-query';
import { BODY_REFUSED, refuseBodyRefused } from '../http/json-body';

/** What a route's decorators say about access, read once per route (handler and class). */
interface Access {
  readonly isPublic: boolean;
  readonly allowed: Role[] | undefined;
  /** The cuts of the log a read route takes (asOf, atPosition); undefined for writes. */
  readonly cuts: ReadCuts | undefined;
}

/**
 * Global guard: every route needs a valid bearer token and one of its roles, unless marked @Public.
 * A token verified recently (TokenService's re-verify interval) is let in without a promise, and each
 * route's @Public/@Roles metadata is read once.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly access = new WeakMap<object, WeakMap<object, Access>>();

  constructor(private readonly reflector: Reflector, @Inject(TokenService) private readonly tokens: TokenService) {}

  canActivate(ctx: ExecutionContext): boolean | Promise<boolean> {
    const access = this.accessOf(ctx.getHandler(), ctx.getClass());
    const req = ctx.switchToHttp().getRequest();
    // A public route (only GET /health today) has no caller to judge first: a refused body is refused at once.
    if (access.isPublic) {
      refuseBodyRefused(req);
      return true;
    }
    const token = bearerToken(req.headers?.authorization);
    if (token === null) {
      throw new DomainError('AUTH.MISSING_TOKEN', 'Sign in first: send "Authorization: Bearer <token>".', 'unauthenticated');
    }
    const known = this.tokens.verifiedActor(token);
    if (known) return this.admit(req, token, known, access);
    return this.tokens.verify(token).then((actor) => this.admit(req, token, actor, access));
  }

  private admit(req: { method?: string; actor?: Actor; actorTrustedUntil?: number; query?: Record<string, unknown>; [BODY_REFUSED]?: Error }, token: string, actor: Omit<Actor, 'actingRole'>, access: Access): true {
    const allowed = access.allowed;
    // The route's own order decides, not the token's: a board member who is also admin votes as a member (MEMBERS lists board-member first).
    const actingRole = allowed?.length ? allowed.find((r) => actor.roles.includes(r)) : undefined;
    if (!actingRole) {
      // Says who may, so the caller knows whom to ask (the roles are no secret: README lists them per route).
      // A token with no known role never gets here: the token check refuses it (401 AUTH.TOKEN_INVALID).
      const whoMay = allowed?.length ? `; it is open to the role${allowed.length > 1 ? 's' : ''} ${allowed.join(', ')}` : '';
      throw new DomainError('ACCESS.ROLE_NOT_ALLOWED', `Your role (${actor.roles.join(', ')}) may not use this route${whoMay}.`, 'forbidden', { allowed: allowed ?? [] });
    }
    req.actor = { ...actor, actingRole };
    // How long this verification holds: an answer cached for this token is not served beyond it (answer-cache.ts).
    req.actorTrustedUntil = this.tokens.trustedUntil(token);
    // A cut of the log the read route does not take (asOf, atPosition) is refused here, once the
    // caller is known to be let in and before any pipe or handler runs (read-cuts.ts).
    if (access.cuts) refuseCutsNotTaken(req.query, access.cuts);
    // A write takes no query parameter at all (`?dryRun=true` would be recorded for real): refused at the
    // same point (write-query.ts), so a caller without the right to write is told that first.
    else refuseQueryOfWrite(req.method, req.query);
    // A body the JSON parser refused (not UTF-8, another charset, too deep, invalid JSON, a field twice,
    // not an object, __proto__) is refused here too, after 401 and 403 (bootstrap.ts left it on the request).
    refuseBodyRefused(req);
    return true;
  }

  private accessOf(handler: object, cls: object): Access {
    let byHandler = this.access.get(cls);
    if (!byHandler) this.access.set(cls, (byHandler = new WeakMap()));
    let access = byHandler.get(handler);
    if (!access) {
      const targets = [handler, cls] as Parameters<Reflector['getAllAndOverride']>[1];
      access = {
        isPublic: this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets) === true,
        allowed: this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets),
        cuts: readCutsOf(handler),
      };
      byHandler.set(handler, access);
    }
    return access;
  }
}
