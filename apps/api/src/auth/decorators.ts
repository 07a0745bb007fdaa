import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { Actor, Role } from '../../../../libs/domain/src/shared';

export const ROLES_KEY = 'ledger:roles';
export const PUBLIC_KEY = 'ledger:public';

/** Roles that may call a route. A route without @Roles or @Public is refused (deny by default). */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);
/** A route anyone may call without a token (/health, /docs). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

export const READERS: Role[] = ['finance-officer', 'board-member', 'vox', 'auditor', 'admin'];

/** The authenticated caller, set by the AuthGuard. */
export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => ctx.switchToHttp().getRequest().actor);
