import { Actor, DomainError } from '../../domain/src/shared';

/**
 * The object-level rule shared by every county-scoped command: admins act everywhere,
 * finance officers only for the counties in their token.
 */
export const requireCountyAccess = (actor: Actor, countyId: string | null | undefined): void => {
  if (actor.roles.includes('admin')) return;
  if (actor.roles.includes('finance-officer') && countyId && actor.counties.includes(countyId)) return;
  throw new DomainError('ACCESS.OTHER_COUNTY', `You may only act for the counties you serve (${actor.counties.join(', ') || 'none'}); this belongs to county ${countyId ?? 'unknown'}.`, 'forbidden', { countyId });
};

export const requireRole = (actor: Actor, ...roles: string[]): void => {
  if (actor.roles.some((r) => roles.includes(r))) return;
  throw new DomainError('ACCESS.ROLE_NOT_ALLOWED', `Your role (${actor.roles.join(', ')}) may not do this; it needs one of: ${roles.join(', ')}.`, 'forbidden');
};
