import { countyDecider, countyStream } from '../../domain/src/counties';
import { Actor, DomainError } from '../../domain/src/shared';
import type { CommandIO } from './command-definition';

/** Whether the actor may act for this county: admins for every one, finance officers for those in their token. */
const actsFor = (actor: Actor, countyId: string | null | undefined): boolean =>
  actor.roles.includes('admin') || (actor.roles.includes('finance-officer') && !!countyId && actor.counties.includes(countyId));

/**
 * A registered county written in another case ("Telemark" for "telemark"), to name in the refusal, or
 * null. Read only when the command path's IO can read every county registration (it always can).
 * Only a hint: a read that fails (a busy store, a stream hard-deleted on an EventStoreDB node) leaves
 * the refusal as decided, with the general hint, rather than turning a 404 into the read's error.
 */
const sameIdInAnotherCase = async (io: Pick<CommandIO, 'eventsOfTypes'>, countyId: string): Promise<string | null> => {
  if (!io.eventsOfTypes) return null;
  const lower = countyId.toLowerCase();
  const registrations = await io.eventsOfTypes(['CountyRegistered']).catch(() => null);
  if (registrations === null) return null;
  for (const e of registrations) {
    const id = (e.data as { countyId?: unknown }).countyId;
    if (typeof id === 'string' && id !== countyId && id.toLowerCase() === lower) return id;
  }
  return null;
};

/** What a COUNTY.NOT_FOUND refusal adds: the registered id written in another case, or where to look the ids up. */
const countyHint = (registered: string | null): string =>
  registered === null ? ' See GET /counties for the registered county ids.' : ` County ids are written as registered: did you mean ${registered}?`;

/**
 * A COUNTY.NOT_FOUND refusal a rule decided without the hint (a write an admin may make for any
 * county reaches the rule, not the access check), with it; any other error as it is.
 */
export const withCountyHint = async (e: unknown, io: Pick<CommandIO, 'eventsOfTypes'>): Promise<unknown> => {
  if (!(e instanceof DomainError) || e.code !== 'COUNTY.NOT_FOUND') return e;
  const countyId = e.details.countyId;
  if (typeof countyId !== 'string' || /did you mean|GET \/counties/.test(e.message)) return e;
  return new DomainError('COUNTY.NOT_FOUND', `${e.message}${countyHint(await sameIdInAnotherCase(io, countyId))}`, 'not-found', e.details);
};

/**
 * The object-level rule shared by every county-scoped command: admins act everywhere, finance
 * officers only for the counties in their token. A county that is not registered is 404
 * `COUNTY.NOT_FOUND` before that 403, for every role: counties are public (`GET /counties`), so the
 * 404 tells nothing the 403 kept back, and "this belongs to another county" would be false (no county
 * has that id). The county is read only when the actor may not act for it, so a permitted write
 * reads nothing more.
 */
export const requireCountyAccess = async (actor: Actor, io: CommandIO, countyId: string | null | undefined): Promise<void> => {
  if (actsFor(actor, countyId)) return;
  if (countyId && (await io.load(countyStream(countyId), countyDecider)).state.status !== 'registered') {
    throw new DomainError('COUNTY.NOT_FOUND', `County ${countyId} is not registered.${countyHint(await sameIdInAnotherCase(io, countyId))}`, 'not-found', { countyId });
  }
  throw new DomainError('ACCESS.OTHER_COUNTY', `You may only act for the counties you serve (${actor.counties.join(', ') || 'none'}); this belongs to county ${countyId ?? 'unknown'}.`, 'forbidden', { countyId });
};

export const requireRole = (actor: Actor, ...roles: string[]): void => {
  if (actor.roles.some((r) => roles.includes(r))) return;
  throw new DomainError('ACCESS.ROLE_NOT_ALLOWED', `Your role (${actor.roles.join(', ')}) may not do this; it needs one of: ${roles.join(', ')}.`, 'forbidden', { allowed: [...roles] });
};
