import { countyDecider, countyStream } from '../../../domain/src/counties';
import { partyDecider, partyStream } from '../../../domain/src/parties';
import { Actor, DomainError } from '../../../domain/src/shared';
import { requireCountyAccess } from '../access';
import { AnyCommandDefinition, CommandIO, defineCommand } from '../command-definition';
import { RegisterPartyDto, RenamePartyDto } from './party-dtos';

/**
 * Who may register or rename a party: admins any; finance officers a party of their own county,
 * or one that belongs to no county (a union, Vox, a national employers' organisation).
 */
export const authorizeForParty = (actor: Actor, countyId: string | null | undefined): void => {
  if (actor.roles.includes('admin')) return;
  if (!countyId) {
    if (actor.roles.includes('finance-officer')) return;
    throw new DomainError('ACCESS.ROLE_NOT_ALLOWED', 'Only finance officers and admins may register parties.', 'forbidden');
  }
  requireCountyAccess(actor, countyId);
};

const existingPartyCounty = async (io: CommandIO, partyId: string): Promise<string | null | undefined> => {
  const { state } = await io.load(partyStream(partyId), partyDecider);
  return state.status === 'registered' ? state.countyId : undefined;
};

export const partyCommands: AnyCommandDefinition[] = [
  defineCommand({
    name: 'RegisterParty',
    summary: 'Register an organisation that owns, funds, sits on a board or employs staff (once; referred to by id).',
    payload: RegisterPartyDto,
    roles: ['finance-officer', 'admin'],
    stream: (p) => partyStream(p.partyId),
    decider: partyDecider,
    authorize: (actor, p) => authorizeForParty(actor, p.countyId ?? null),
    toCommand: async (p, io) => {
      const countyId = p.countyId ?? null;
      const countyRegistered = countyId === null ? true : (await io.load(countyStream(countyId), countyDecider)).state.status === 'registered';
      return {
        type: 'RegisterParty' as const,
        data: { partyId: p.partyId, name: p.name, kind: p.kind, countyId, organisationNumber: p.organisationNumber ?? null },
        countyRegistered,
      };
    },
  }),
  defineCommand({
    name: 'RenameParty',
    summary: 'Rename a registered party (the id stays).',
    payload: RenamePartyDto,
    roles: ['finance-officer', 'admin'],
    stream: (p) => partyStream(p.partyId),
    decider: partyDecider,
    authorize: async (actor, p, io) => authorizeForParty(actor, (await existingPartyCounty(io, p.partyId)) ?? null),
    toCommand: (p) => ({ type: 'RenameParty' as const, data: { partyId: p.partyId, name: p.name } }),
  }),
];
