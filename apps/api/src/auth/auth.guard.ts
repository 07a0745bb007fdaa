import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError, Role } from '../../../../libs/domain/src/shared';
import { PUBLIC_KEY, ROLES_KEY } from './decorators';
import { TokenService } from './token.service';

/** Global guard: every route needs a valid bearer token and one of its roles, unless marked @Public. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(private readonly reflector: Reflector, @Inject(TokenService) private readonly tokens: TokenService) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const req = ctx.switchToHttp().getRequest();
    const header: unknown = req.headers?.authorization;
    if (typeof header !== 'string' || !/^Bearer [A-Za-z0-9._~+/=-]+$/.test(header)) {
      throw new DomainError('AUTH.MISSING_TOKEN', 'Sign in first: send "Authorization: Bearer <token>".', 'unauthenticated');
    }
    const actor = await this.tokens.verify(header.slice(7));
    const allowed = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    const actingRole = allowed?.length ? actor.roles.find((r) => allowed.includes(r)) : undefined;
    if (!actingRole) {
      throw new DomainError('ACCESS.ROLE_NOT_ALLOWED', `Your role (${actor.roles.join(', ')}) may not use this route.`, 'forbidden', { allowed: allowed ?? [] });
    }
    req.actor = { ...actor, actingRole };
    return true;
  }
}
