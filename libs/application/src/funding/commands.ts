import { centreDecider, CentreState, centreStream } from '../../../domain/src/counties';
import { EntryChanges, entryStream, MoneyKind, moneyEntryDecider, positionStream, staffPositionDecider } from '../../../domain/src/funding';
import { partyDecider, PartyState, partyStream } from '../../../domain/src/parties';
import { Actor } from '../../../domain/src/shared';
import { AnyCommandDefinition, CommandIO, defineCommand } from '../command-definition';
import { authorizeForCentre } from '../counties/commands';
import { AMOUNT_REFUSALS, CENTRE_ACCESS_REFUSALS, Refusal } from '../error-codes';
import {
  ChangeStaffPositionDto,
  CorrectEntryDto,
  EndStaffPositionDto,
  RecordEarmarkedFundsDto,
  RecordInKindContributionDto,
  RecordOperatingGrantDto,
  RecordOtherIncomeDto,
  RecordTenderAwardDto,
  ReverseEntryDto,
  StartStaffPositionDto,
} from './dtos';

const WRITERS: ('finance-officer' | 'admin')[] = ['finance-officer', 'admin'];

/**
 * The centre's state read while authorizing is handed to toCommand (same payload object, same
 * command path), so a write reads the centre stream once. A retry after a conflict reads it again.
 */
const centreSeen = new WeakMap<object, CentreState>();

const authorizeCentre = async (actor: Actor, p: { centreId: string }, io: CommandIO): Promise<void> => {
  await authorizeForCentre(actor, io, p.centreId);
};

const loadCentre = async (p: { centreId: string }, io: CommandIO): Promise<CentreState> => {
  const seen = centreSeen.get(p);
  if (seen) {
    centreSeen.delete(p);
    return seen;
  }
  return (await io.load(centreStream(p.centreId), centreDecider)).state;
};

/** Like authorizeForCentre, but keeps the centre state it read for toCommand. */
const authorizeAndRemember = async (actor: Actor, p: { centreId: string }, io: CommandIO): Promise<void> => {
  const cachingIo: CommandIO = {
    load: async (streamId, decider) => {
      const r = await io.load(streamId, decider);
      if (streamId === centreStream(p.centreId)) centreSeen.set(p, r.state as unknown as CentreState);
      return r;
    },
  };
  await authorizeCentre(actor, p, cachingIo);
};

const loadParty = async (io: CommandIO, partyId: string | null | undefined): Promise<PartyState | null> =>
  partyId ? (await io.load(partyStream(partyId), partyDecider)).state : null;

/** buildEntry (funding/money-entry.ts): what each kind of entry refuses beyond what every entry does. */
const KIND_REFUSALS: Record<MoneyKind, readonly Refusal[]> = {
  'operating-grant': ['MONEY.MISSING', ...AMOUNT_REFUSALS],
  earmarked: ['MONEY.MISSING', ...AMOUNT_REFUSALS, 'ENTRY.FIELD_MISSING', 'PERIOD.MISSING', 'PERIOD.ENDS_BEFORE_START'],
  tender: ['MONEY.MISSING', ...AMOUNT_REFUSALS, 'ENTRY.FIELD_MISSING', 'PERIOD.MISSING', 'PERIOD.ENDS_BEFORE_START'],
  'other-income': ['MONEY.MISSING', ...AMOUNT_REFUSALS, 'ENTRY.FIELD_MISSING'],
  'in-kind': ['IN_KIND.NO_AMOUNT', ...AMOUNT_REFUSALS, 'ENTRY.FIELD_MISSING'],
};

/** parseFteMilli, payerOf and annualCostOf (funding/staff-position.ts): a position's terms. */
const STAFF_TERMS: readonly Refusal[] = ['STAFF.FTE_INVALID', 'STAFF.FTE_OUT_OF_RANGE', 'STAFF.PAYER_INVALID', 'PARTY.NOT_FOUND', ...AMOUNT_REFUSALS, 'STAFF.ANNUAL_COST_TOO_LARGE'];

/** A correction may change any field of any kind of entry (but not leave the amount out: the entry's own stays). */
const CORRECTION_REFUSALS: readonly Refusal[] = ['ENTRY.FIELD_NOT_FOR_KIND', ...AMOUNT_REFUSALS, 'IN_KIND.NO_AMOUNT', 'ENTRY.FIELD_MISSING', 'PERIOD.MISSING', 'PERIOD.ENDS_BEFORE_START'];

const recordEntry = <P extends { entryId: string; centreId: string; partyId: string }>(name: string, kind: MoneyKind, payload: new () => P, summary: string): AnyCommandDefinition =>
  defineCommand({
    name,
    summary,
    payload,
    roles: WRITERS,
    stream: (p) => entryStream(p.entryId),
    decider: moneyEntryDecider,
    refusals: [...CENTRE_ACCESS_REFUSALS, 'ENTRY.ALREADY_EXISTS', 'FISCAL_YEAR.OUT_OF_RANGE', 'DATE.INVALID', 'ENTRY.DECIDED_IN_FUTURE', ...KIND_REFUSALS[kind], 'PARTY.NOT_FOUND', 'ENTRY.PARTY_OF_OTHER_COUNTY', 'ENTRY.BEFORE_OPENING', 'CENTRE.CLOSED'],
    authorize: authorizeAndRemember,
    toCommand: async (p, io) => {
      const [centre, party] = await Promise.all([loadCentre(p, io), loadParty(io, p.partyId)]);
      return { type: 'RecordEntry' as const, kind, input: { ...(p as any) }, centre, party: party ?? { status: 'unregistered' as const } };
    },
  });

/** Commands of the funding feature: money entries, reversals, corrections and staff positions. */
export const fundingCommands: AnyCommandDefinition[] = [
  recordEntry('RecordOperatingGrant', 'operating-grant', RecordOperatingGrantDto, 'Record an operating grant (driftsmidler) for a centre and fiscal year.'),
  recordEntry('RecordEarmarkedFunds', 'earmarked', RecordEarmarkedFundsDto, 'Record earmarked funds (øremerkede midler) with their purpose and period.'),
  recordEntry('RecordTenderAward', 'tender', RecordTenderAwardDto, 'Record a tender award (anbud) with the awarding party, contract reference and period.'),
  recordEntry('RecordOtherIncome', 'other-income', RecordOtherIncomeDto, 'Record other income (course fees, sales) with its kind.'),
  recordEntry('RecordInKindContribution', 'in-kind', RecordInKindContributionDto, 'Record an in-kind contribution (premises, payroll services, IT, other) with an optional estimated value.'),
  defineCommand({
    name: 'ReverseEntry',
    summary: 'Reverse a money entry of this centre, with a reason (nothing is ever deleted).',
    payload: ReverseEntryDto,
    roles: WRITERS,
    stream: (p) => entryStream(p.entryId),
    decider: moneyEntryDecider,
    refusals: [...CENTRE_ACCESS_REFUSALS, 'ENTRY.NOT_FOUND', 'ENTRY.OTHER_CENTRE', 'ENTRY.ALREADY_REVERSED'],
    authorize: authorizeAndRemember,
    toCommand: async (p, io) => ({ type: 'ReverseEntry' as const, data: { entryId: p.entryId, centreId: p.centreId, reason: p.reason }, centre: await loadCentre(p, io) }),
  }),
  defineCommand({
    name: 'CorrectEntry',
    summary: 'Correct a money entry: a reversal plus a new entry linked to it, recorded together.',
    payload: CorrectEntryDto,
    roles: WRITERS,
    stream: (p) => entryStream(p.entryId),
    decider: moneyEntryDecider,
    refusals: [...CENTRE_ACCESS_REFUSALS, 'ENTRY.NOT_FOUND', 'ENTRY.OTHER_CENTRE', 'ENTRY.ALREADY_REVERSED', 'PARTY.NOT_FOUND', 'ENTRY.PARTY_OF_OTHER_COUNTY', 'FISCAL_YEAR.OUT_OF_RANGE', 'DATE.INVALID', 'ENTRY.DECIDED_IN_FUTURE', ...CORRECTION_REFUSALS, 'ENTRY.CORRECTION_CHANGES_NOTHING', 'ENTRY.BEFORE_OPENING', 'CENTRE.CLOSED'],
    authorize: authorizeAndRemember,
    toCommand: async (p, io) => {
      const { entryId, centreId, reason, ...changes } = p;
      const [centre, party] = await Promise.all([loadCentre(p, io), loadParty(io, p.partyId)]);
      return { type: 'CorrectEntry' as const, data: { entryId, centreId, reason, changes: { ...changes } as EntryChanges }, centre, party };
    },
  }),
  defineCommand({
    name: 'StartStaffPosition',
    summary: 'Start a staff position at a centre: title, formal employer, FTE, who pays it, from a date; optionally the person holding it (personId).',
    payload: StartStaffPositionDto,
    roles: WRITERS,
    stream: (p) => positionStream(p.positionId),
    decider: staffPositionDecider,
    refusals: [...CENTRE_ACCESS_REFUSALS, 'STAFF.ALREADY_STARTED', 'DATE.INVALID', ...STAFF_TERMS, 'STAFF.EMPLOYER_KIND_MISMATCH', 'STAFF.PARTY_OF_OTHER_COUNTY', 'STAFF.BEFORE_OPENING', 'CENTRE.CLOSED'],
    authorize: authorizeAndRemember,
    toCommand: async (p, io) => {
      const payer = p.payer ?? { kind: 'centre' as const };
      const [centre, employerParty, payerParty] = await Promise.all([loadCentre(p, io), loadParty(io, p.employerPartyId), loadParty(io, payer.kind === 'party' ? payer.partyId : null)]);
      return {
        type: 'StartStaffPosition' as const,
        data: { positionId: p.positionId, centreId: p.centreId, title: p.title, employerKind: p.employerKind, employerPartyId: p.employerPartyId ?? null, fte: p.fte, payer: { kind: payer.kind, partyId: payer.partyId ?? null }, annualCost: p.annualCost, startedOn: p.startedOn, personId: p.personId ?? null },
        centre,
        employerParty,
        payerParty,
      };
    },
  }),
  defineCommand({
    name: 'ChangeStaffPosition',
    summary: 'Change a position\'s FTE, payer or annual cost from a date (terms not given stay as they were); its personId is fixed at the start.',
    payload: ChangeStaffPositionDto,
    roles: WRITERS,
    stream: (p) => positionStream(p.positionId),
    decider: staffPositionDecider,
    refusals: [...CENTRE_ACCESS_REFUSALS, 'STAFF.NOT_FOUND', 'STAFF.OTHER_CENTRE', 'DATE.INVALID', 'STAFF.CHANGED_BEFORE_START', 'STAFF.CHANGED_AFTER_END', ...STAFF_TERMS, 'STAFF.PARTY_OF_OTHER_COUNTY', 'STAFF.ANNUAL_COST_REQUIRED', 'CENTRE.CLOSED'],
    authorize: authorizeAndRemember,
    toCommand: async (p, io) => {
      const [centre, payerParty] = await Promise.all([loadCentre(p, io), loadParty(io, p.payer?.kind === 'party' ? p.payer.partyId : null)]);
      return {
        type: 'ChangeStaffPosition' as const,
        data: { positionId: p.positionId, centreId: p.centreId, effectiveFrom: p.effectiveFrom, fte: p.fte, payer: p.payer ? { kind: p.payer.kind, partyId: p.payer.partyId ?? null } : undefined, annualCost: p.annualCost },
        centre,
        payerParty,
      };
    },
  }),
  defineCommand({
    name: 'EndStaffPosition',
    summary: 'End a staff position on a date (its last day); ending it again with an earlier last day corrects the end.',
    payload: EndStaffPositionDto,
    roles: WRITERS,
    stream: (p) => positionStream(p.positionId),
    decider: staffPositionDecider,
    refusals: [...CENTRE_ACCESS_REFUSALS, 'STAFF.NOT_FOUND', 'STAFF.OTHER_CENTRE', 'STAFF.ALREADY_ENDED', 'DATE.INVALID', 'CENTRE.CLOSED', 'STAFF.ENDS_BEFORE_START'],
    authorize: authorizeAndRemember,
    toCommand: async (p, io) => ({ type: 'EndStaffPosition' as const, data: { positionId: p.positionId, centreId: p.centreId, endedOn: p.endedOn }, centre: await loadCentre(p, io) }),
  }),
];
