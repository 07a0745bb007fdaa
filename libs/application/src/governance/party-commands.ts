import { countyDecider, countyStream } from '../../../domain/src/counties';
import { partyDecider, partyStream } from '../../../domain/src/parties';
import { Actor, DomainError } from '../../../domain/src/shared';
import { requireCountyAccess } from '../access';
import { AnyCommandDefinition, CommandIO, defineCommand } from '../command-definition';
import { normalName } from '../plain-text';
import { organisationNumberTakenBy, partiesNamedAlike, partyIdTakenBy } from '../registrations';
import { RegisterPartyDto, RenamePartyDto } from './party-dtos';

/**
 * Who may register or rename a party: admins any; finance officers a party of their own county,
 * or one that belongs to no county (a union, Vox, a national employers' organisation).
 */
export const authorizeForParty = async (actor: Actor, io: CommandIO, countyId: string | null | undefined): Promise<void> => {
  if (actor.roles.includes('admin')) return;
  if (!countyId) {
    if (actor.roles.includes('finance-officer')) return;
    throw new DomainError('ACCESS.ROLE_NOT_ALLOWED', 'Only finance officers and admins may register parties.', 'forbidden', { allowed: ['finance-officer', 'admin'] });
  }
  await requireCountyAccess(actor, io, countyId);
};

/**
 * Who may rename a party: admins any; finance officers a party of their own county. A party of no
 * county (Vox, a union, a national employers' organisation) is every county's, so one county's
 * officer may not rename it for all: admins only. An unknown party is left to the decider (404).
 */
export const authorizeRenameOfParty = async (actor: Actor, io: CommandIO, party: { countyId: string | null } | undefined): Promise<void> => {
  if (actor.roles.includes('admin') || party === undefined) return;
  if (party.countyId === null) {
    throw new DomainError('ACCESS.ROLE_NOT_ALLOWED', 'A party of no county (a national party) is shared by every county: only an admin may rename it.', 'forbidden', { countyId: null, allowed: ['admin'] });
  }
  await requireCountyAccess(actor, io, party.countyId);
};

const existingParty = async (io: CommandIO, partyId: string): Promise<{ countyId: string | null } | undefined> => {
  const { state } = await io.load(partyStream(partyId), partyDecider);
  return state.status === 'registered' ? { countyId: state.countyId } : undefined;
};

export const partyCommands: AnyCommandDefinition[] = [
  defineCommand({
    name: 'RegisterParty',
    summary: 'Register an organisation that owns, funds, sits on a board or employs staff (once; referred to by id).',
    payload: RegisterPartyDto,
    roles: ['finance-officer', 'admin'],
    stream: (p) => partyStream(p.partyId),
    decider: partyDecider,
    refusals: ['ACCESS.OTHER_COUNTY', 'PARTY.ALREADY_REGISTERED', 'COUNTY.NOT_FOUND', 'PARTY.UNKNOWN_KIND', 'PARTY.COUNTY_REQUIRED', 'PARTY.ORGANISATION_NUMBER_INVALID', 'PARTY.ORGANISATION_NUMBER_TAKEN', 'PARTY.NAME_TAKEN'],
    authorize: (actor, p, io) => authorizeForParty(actor, io, p.countyId ?? null),
    toCommand: async (p, io) => {
      const countyId = p.countyId ?? null;
      const countyRegistered = countyId === null ? true : (await io.load(countyStream(countyId), countyDecider)).state.status === 'registered';
      const organisationNumber = p.organisationNumber ?? null;
      const name = normalName(p.name);
      return {
        type: 'RegisterParty' as const,
        data: { partyId: p.partyId, name, kind: p.kind, countyId, organisationNumber },
        countyRegistered,
        idTakenBy: await partyIdTakenBy(io, p.partyId),
        organisationNumberTakenBy: await organisationNumberTakenBy(io, p.partyId, organisationNumber),
        namedAlike: await partiesNamedAlike(io, p.partyId, name),
      };
    },
  }),
  defineCommand({
    name: 'RenameParty',
    summary: 'Rename a registered party from a date (the id stays; the days before keep the old name).',
    payload: RenamePartyDto,
    roles: ['finance-officer', 'admin'],
    stream: (p) => partyStream(p.partyId),
    decider: partyDecider,
    refusals: ['ACCESS.OTHER_COUNTY', 'PARTY.NOT_FOUND', 'DATE.INVALID', 'PARTY.NAME_TAKEN'],
    authorize: async (actor, p, io) => authorizeRenameOfParty(actor, io, await existingParty(io, p.partyId)),
    // NFC and trimmed, as registered: the same name written another way is no rename and records nothing.
    toCommand: async (p, io) => {
      const name = normalName(p.name);
      return { type: 'RenameParty' as const, data: { partyId: p.partyId, name, effectiveFrom: p.effectiveFrom ?? null }, namedAlike: await partiesNamedAlike(io, p.partyId, name) };
    },
  }),
];
