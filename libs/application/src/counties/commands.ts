import { centreDecider, centreStream, countyDecider, countyStream } from '../../../domain/src/counties';
import { isIsoDate, refuse, refuseDate } from '../../../domain/src/shared';
import { requireCountyAccess, requireRole } from '../access';
import { AnyCommandDefinition, CommandIO, defineCommand } from '../command-definition';
import { CloseCentreDto, RegisterCentreDto, RegisterCountyDto, RenameCentreDto } from './dtos';
import { centresAlike, countyNumberTakenBy } from '../registrations';
import { CENTRE_ACCESS_REFUSALS } from '../error-codes';
import { normalName } from '../plain-text';

const requireDate = (value: string, field: string): void => {
  if (!isIsoDate(value)) refuseDate(field, `${field} (${value}) is not a real calendar date.`);
};

/** The county a centre belongs to, for object-level access (null when the centre is unknown). */
export const countyOfCentre = async (io: CommandIO, centreId: string): Promise<string | null> => {
  const { state } = await io.load(centreStream(centreId), centreDecider);
  return state.status === 'unregistered' ? null : state.countyId;
};

/** Access rule for anything recorded on a centre: it must exist, and be in one of the actor's counties. */
export const authorizeForCentre = async (actor: Parameters<typeof requireCountyAccess>[0], io: CommandIO, centreId: string): Promise<void> => {
  const countyId = await countyOfCentre(io, centreId);
  if (countyId === null) refuse('CENTRE.NOT_FOUND', `No career centre with id ${centreId} is registered.`, 'not-found', { centreId });
  await requireCountyAccess(actor, io, countyId);
};

export const countyCommands: AnyCommandDefinition[] = [
  defineCommand({
    name: 'RegisterCounty',
    summary: 'Register a county authority (admin only; `ledger seed` loads the 19 counties of 2014).',
    payload: RegisterCountyDto,
    roles: ['admin'],
    stream: (p) => countyStream(p.countyId),
    decider: countyDecider,
    refusals: ['COUNTY.ALREADY_REGISTERED', 'COUNTY.NUMBER_TAKEN', 'COUNTY.ID_RESERVED'],
    authorize: (actor) => requireRole(actor, 'admin'),
    toCommand: async (p, io) => {
      // county-<id> is the county's stream and county-line-<id> its county-line decisions: "line-x" would be x's.
      if (p.countyId.startsWith('line-')) refuse('COUNTY.ID_RESERVED', `A county id may not start with "line-" (${p.countyId}): that name is taken by the streams of county-line decisions.`, 'invalid', { countyId: p.countyId });
      return { type: 'RegisterCounty' as const, data: { countyId: p.countyId, name: p.name, countyNumber: p.countyNumber }, numberTakenBy: await countyNumberTakenBy(io, p.countyId, p.countyNumber) };
    },
  }),
  defineCommand({
    name: 'RegisterCentre',
    summary: 'Register a career centre in a county.',
    payload: RegisterCentreDto,
    roles: ['finance-officer', 'admin'],
    stream: (p) => centreStream(p.centreId),
    decider: centreDecider,
    refusals: ['ACCESS.OTHER_COUNTY', 'DATE.INVALID', 'CENTRE.ALREADY_REGISTERED', 'COUNTY.NOT_FOUND', 'CENTRE.NAME_TAKEN'],
    authorize: (actor, p, io) => requireCountyAccess(actor, io, p.countyId),
    toCommand: async (p, io) => {
      requireDate(p.openedOn, 'openedOn');
      const { state: county } = await io.load(countyStream(p.countyId), countyDecider);
      // NFC and trimmed, as a party's name: the same name written another way is one name.
      const name = normalName(p.name);
      const data = { centreId: p.centreId, countyId: p.countyId, name, municipality: p.municipality, openedOn: p.openedOn };
      // The rule refuses an unregistered county before it looks at other centres: their read (the whole log's registrations) is spared.
      const alike = county.status === 'registered' ? await centresAlike(io, p.centreId, name) : [];
      return { type: 'RegisterCentre' as const, data, county, alike };
    },
  }),
  defineCommand({
    name: 'RenameCentre',
    summary: 'Rename a career centre from a date.',
    payload: RenameCentreDto,
    roles: ['finance-officer', 'admin'],
    stream: (p) => centreStream(p.centreId),
    decider: centreDecider,
    refusals: [...CENTRE_ACCESS_REFUSALS, 'DATE.INVALID', 'CENTRE.DATE_BEFORE_OPENING', 'CENTRE.CLOSED', 'CENTRE.NAME_TAKEN'],
    authorize: (actor, p, io) => authorizeForCentre(actor, io, p.centreId),
    toCommand: async (p, io) => {
      requireDate(p.effectiveFrom, 'effectiveFrom');
      // NFC and trimmed, as registered: the same name written another way is no rename and records nothing.
      const name = normalName(p.name);
      const data = { centreId: p.centreId, name, effectiveFrom: p.effectiveFrom };
      return { type: 'RenameCentre' as const, data, alike: await centresAlike(io, p.centreId, name) };
    },
  }),
  defineCommand({
    name: 'CloseCentre',
    summary: 'Close a career centre from a date; nothing more can be recorded for it afterwards.',
    payload: CloseCentreDto,
    roles: ['finance-officer', 'admin'],
    stream: (p) => centreStream(p.centreId),
    decider: centreDecider,
    refusals: [...CENTRE_ACCESS_REFUSALS, 'DATE.INVALID', 'CENTRE.CLOSED', 'CENTRE.DATE_BEFORE_OPENING', 'CENTRE.CLOSE_BEFORE_ACTIVITY'],
    authorize: (actor, p, io) => authorizeForCentre(actor, io, p.centreId),
    toCommand: async (p, io) => {
      requireDate(p.closedOn, 'closedOn');
      const data = { centreId: p.centreId, closedOn: p.closedOn, reason: p.reason };
      // What other streams hold for the centre from the closing date on (money, staff, governance,
      // grant evidence): the decider refuses to put any of it after the closure. Read only when the
      // centre is open and the date is not before its opening (the decider refuses the rest first).
      const { state } = await io.load(centreStream(p.centreId), centreDecider);
      if (state.status !== 'open' || p.closedOn < state.openedOn) return { type: 'CloseCentre' as const, data };
      if (!io.centreActivity) throw new Error('CloseCentre needs the CentreActivity port in its CommandIO (handleCommand provides it).');
      const { facts: activity } = await io.centreActivity.factsFrom({ centreId: p.centreId, countyId: state.countyId }, p.closedOn);
      return { type: 'CloseCentre' as const, data, activity };
    },
  }),
];
