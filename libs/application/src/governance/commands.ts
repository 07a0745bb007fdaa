import { centreDecider, centreStream, CentreState, countyDecider, countyStream } from '../../../domain/src/counties';
import {
  boardDecider,
  boardStream,
  BoardRules,
  coLocationDecider,
  coLocationStream,
  ContentInput,
  countyLineDecider,
  countyLineStream,
  DEFAULT_RULES,
  Issuer,
  ownerAgreementDecider,
  ownerAgreementsStream,
  partiesNamedIn,
  partnershipDecider,
  partnershipStream,
  requireSomeTerm,
} from '../../../domain/src/governance';
import { partyDecider, partyStream, PartyState } from '../../../domain/src/parties';
import { Actor, DomainError, isIsoDate, parseOre, Period, refuse, refuseDate, Role } from '../../../domain/src/shared';
import { requireCountyAccess } from '../access';
import { AnyCommandDefinition, CommandIO, defineCommand } from '../command-definition';
import { authorizeForCentre } from '../counties/commands';
import { ACTING_MEMBER_REFUSALS, CENTRE_ACCESS_REFUSALS, CONTENT_REFUSALS, Refusal } from '../error-codes';
import {
  AmendOwnerAgreementDto,
  AmendPartnershipAgreementDto,
  AppointBoardMemberDto,
  AssignCoordinatingFunctionDto,
  BoardRulesDto,
  CastVoteDto,
  CloseProposalDto,
  DecisionContentDto,
  DissolveBoardDto,
  EndBoardMemberDto,
  EndCoordinatingFunctionDto,
  EstablishBoardDto,
  GovernancePeriodDto,
  CorrectCoLocationDto,
  RecordCoLocationDto,
  RecordCountyLineDecisionDto,
  RegisterOwnerAgreementDto,
  SignPartnershipAgreementDto,
  TableProposalDto,
  TerminateOwnerAgreementDto,
  TerminatePartnershipAgreementDto,
  WithdrawCoLocationDto,
} from './dtos';
import { partyCommands } from './party-commands';

const FINANCE = ['finance-officer', 'admin'] as const;
/** In this order: the acting role is the first one the token holds, so a member who is also admin acts as a member (as themselves). */
const BOARD = ['board-member', 'admin'] as const;

/**
 * A vote's acting role for a caller who is both member and admin: a member when voting as themselves
 * (no personId, or their own), an admin when entering another person's vote from the minutes.
 */
const voteActingRole = (p: { personId?: unknown } | null, actor: { id: string }): Role => (p?.personId !== undefined && p.personId !== actor.id ? 'admin' : 'board-member');

/** Every date field must be a real calendar date (the DTO only checks the shape). */
const dates = (values: Record<string, string | null | undefined>): void => {
  for (const [field, v] of Object.entries(values)) {
    if (v !== null && v !== undefined && !isIsoDate(v)) refuseDate(field, `${field} (${v}) is not a real calendar date.`);
  }
};

const period = (p: GovernancePeriodDto, field = 'period'): Period => {
  dates({ [`${field}.from`]: p.from, [`${field}.to`]: p.to });
  return { from: p.from, to: p.to ?? null };
};

const loadParties = async (io: CommandIO, ids: (string | null | undefined)[]): Promise<Record<string, PartyState>> => {
  const out: Record<string, PartyState> = {};
  for (const id of new Set(ids.filter((x): x is string => !!x))) out[id] = (await io.load(partyStream(id), partyDecider)).state;
  return out;
};

const loadCentres = async (io: CommandIO, ids: string[]): Promise<Record<string, CentreState>> => {
  const out: Record<string, CentreState> = {};
  for (const id of new Set(ids)) out[id] = (await io.load(centreStream(id), centreDecider)).state;
  return out;
};

const countyRegistered = async (io: CommandIO, countyId: string): Promise<boolean> => (await io.load(countyStream(countyId), countyDecider)).state.status === 'registered';

const loadBoard = async (io: CommandIO, boardId: string) => {
  const { state } = await io.load(boardStream(boardId), boardDecider);
  if (state.status === 'none') refuse('BOARD.NOT_FOUND', `No board with id ${boardId} is established.`, 'not-found', { boardId });
  return state as Exclude<typeof state, { status: 'none' }>;
};

/** Finance officers (and admins) of the board's county manage the board itself. */
const authorizeBoardAdministration = async (actor: Actor, io: CommandIO, boardId: string): Promise<void> => requireCountyAccess(actor, io, (await loadBoard(io, boardId)).countyId);

const issuerOf = (actor: Actor): Issuer => ({ personId: actor.id, isAdmin: actor.actingRole === 'admin' });

/**
 * Members act only on a board they have sat on (admins record for anyone). Checked here, before the
 * Idempotency-Key is looked up, so an outsider reusing a member's key is refused 403 and learns nothing
 * about it; whether the person held the seat on the act's date is the decider's.
 */
const authorizeBoardMember = async (actor: Actor, io: CommandIO, boardId: string): Promise<void> => {
  if (actor.actingRole === 'admin') return;
  const board = await loadBoard(io, boardId);
  requireSomeTerm(board.members, actor.id, board.name);
};

const content = (c: DecisionContentDto): ContentInput => ({
  lines: c.lines?.map((l, i) => ({ partyId: l.partyId, moneyKind: l.moneyKind, amountOre: parseOre(l.amount, `content.lines[${i}].amount`) })),
  goals: c.goals,
  targetGroups: c.targetGroups,
  inputFromPartyIds: c.inputFromPartyIds,
  summary: c.summary ?? null,
});

const rules = (r: BoardRulesDto | undefined): BoardRules => {
  if (r?.quorum === 'at-least' && r.quorumMembers === undefined) refuse('BOARD.INVALID_QUORUM', "quorum 'at-least' needs quorumMembers (how many seats must take part).", 'invalid');
  if (r?.quorum !== 'at-least' && r?.quorumMembers !== undefined) refuse('BOARD.INVALID_QUORUM', "quorumMembers goes with quorum 'at-least'.", 'invalid');
  return {
    quorum: r?.quorum === 'at-least' ? { kind: 'at-least', members: r.quorumMembers! } : DEFAULT_RULES.quorum,
    tieBreak: r?.tieBreak ?? DEFAULT_RULES.tieBreak,
  };
};

/** assertShares, assertParties and assertPartiesOfCounty: an owner agreement's parties and shares. */
const OWNER_TERMS: readonly Refusal[] = ['OWNER_AGREEMENT.NO_PARTIES', 'OWNER_AGREEMENT.INVALID_SHARE', 'OWNER_AGREEMENT.SHARES_NOT_100', 'OWNER_AGREEMENT.DUPLICATE_PARTY', 'PARTY.NOT_FOUND', 'OWNER_AGREEMENT.PARTY_OF_OTHER_COUNTY'];
/** assertAmendable: an amendment of either kind of agreement. */
const AMENDMENT: readonly Refusal[] = ['AGREEMENT.TERMINATED', 'AGREEMENT.AMENDMENT_OUT_OF_ORDER', 'AGREEMENT.ENDS_BEFORE_START', 'AGREEMENT.AMENDMENT_OUTSIDE_PERIOD'];
/** assertTerminable: a termination of either kind of agreement. */
const TERMINATION: readonly Refusal[] = ['AGREEMENT.TERMINATED', 'AGREEMENT.TERMINATION_BEFORE_START', 'AGREEMENT.ALREADY_ENDED'];
/** A county's partnership stream: the county's finance officers, real dates, a registered county. */
const ON_PARTNERSHIP: readonly Refusal[] = ['ACCESS.OTHER_COUNTY', 'DATE.INVALID', 'COUNTY.NOT_FOUND'];
/** assertPartnershipParties. */
const PARTNERSHIP_PARTIES: readonly Refusal[] = ['PARTNERSHIP.TOO_FEW_PARTIES', 'PARTNERSHIP.DUPLICATE_PARTY', 'PARTY.NOT_FOUND', 'PARTNERSHIP.PARTY_OF_OTHER_COUNTY'];
/** authorizeBoardAdministration, then requireActive: an existing board of the actor's county, not dissolved by the act's date. */
const BOARD_ADMINISTRATION: readonly Refusal[] = ['BOARD.NOT_FOUND', 'ACCESS.OTHER_COUNTY', 'DATE.INVALID', 'BOARD.DISSOLVED'];
/** requireActive and requireOpenProposal: an open proposal of a board not dissolved by the act's date. */
const ON_PROPOSAL: readonly Refusal[] = ['BOARD.NOT_FOUND', 'BOARD.DISSOLVED', 'BOARD.PROPOSAL_NOT_FOUND', 'BOARD.PROPOSAL_CLOSED'];

const ownerAgreementCommands: AnyCommandDefinition[] = [
  defineCommand({
    name: 'RegisterOwnerAgreement',
    summary: "Register a centre's owner agreement: parties with cost shares (basis points summing to 10000), period and signed-on date.",
    payload: RegisterOwnerAgreementDto,
    roles: [...FINANCE],
    stream: (p) => ownerAgreementsStream(p.centreId),
    decider: ownerAgreementDecider,
    refusals: [...CENTRE_ACCESS_REFUSALS, 'DATE.INVALID', 'OWNER_AGREEMENT.ALREADY_REGISTERED', 'OWNER_AGREEMENT.SIGNED_IN_FUTURE', 'AGREEMENT.ENDS_BEFORE_START', ...OWNER_TERMS, 'OWNER_AGREEMENT.OVERLAPS', 'CENTRE.CLOSED'],
    authorize: (actor, p, io) => authorizeForCentre(actor, io, p.centreId),
    toCommand: async (p, io) => {
      dates({ signedOn: p.signedOn });
      const parties = p.parties.map((x) => ({ partyId: x.partyId, shareBp: x.shareBp }));
      return {
        type: 'RegisterOwnerAgreement' as const,
        data: { agreementId: p.agreementId, centreId: p.centreId, parties, period: period(p.period), signedOn: p.signedOn },
        centre: (await io.load(centreStream(p.centreId), centreDecider)).state,
        parties: await loadParties(io, parties.map((x) => x.partyId)),
      };
    },
  }),
  defineCommand({
    name: 'AmendOwnerAgreement',
    summary: 'Amend an owner agreement from a date: the full new shares and period (earlier terms are kept).',
    payload: AmendOwnerAgreementDto,
    roles: [...FINANCE],
    stream: (p) => ownerAgreementsStream(p.centreId),
    decider: ownerAgreementDecider,
    refusals: [...CENTRE_ACCESS_REFUSALS, 'DATE.INVALID', 'OWNER_AGREEMENT.NOT_FOUND', ...AMENDMENT, ...OWNER_TERMS, 'OWNER_AGREEMENT.OVERLAPS', 'CENTRE.CLOSED'],
    authorize: (actor, p, io) => authorizeForCentre(actor, io, p.centreId),
    toCommand: async (p, io) => {
      dates({ effectiveFrom: p.effectiveFrom });
      const parties = p.parties.map((x) => ({ partyId: x.partyId, shareBp: x.shareBp }));
      return {
        type: 'AmendOwnerAgreement' as const,
        data: { agreementId: p.agreementId, centreId: p.centreId, effectiveFrom: p.effectiveFrom, parties, period: period(p.period), note: p.note ?? null },
        centre: (await io.load(centreStream(p.centreId), centreDecider)).state,
        parties: await loadParties(io, parties.map((x) => x.partyId)),
      };
    },
  }),
  defineCommand({
    name: 'TerminateOwnerAgreement',
    summary: 'Terminate an owner agreement from a date (it holds until the day before).',
    payload: TerminateOwnerAgreementDto,
    roles: [...FINANCE],
    stream: (p) => ownerAgreementsStream(p.centreId),
    decider: ownerAgreementDecider,
    refusals: [...CENTRE_ACCESS_REFUSALS, 'DATE.INVALID', 'OWNER_AGREEMENT.NOT_FOUND', ...TERMINATION],
    authorize: (actor, p, io) => authorizeForCentre(actor, io, p.centreId),
    toCommand: async (p, io) => {
      dates({ effectiveFrom: p.effectiveFrom });
      return {
        type: 'TerminateOwnerAgreement' as const,
        data: { agreementId: p.agreementId, centreId: p.centreId, effectiveFrom: p.effectiveFrom, reason: p.reason ?? null },
        centre: (await io.load(centreStream(p.centreId), centreDecider)).state,
        parties: {},
      };
    },
  }),
];

const partnershipCommands: AnyCommandDefinition[] = [
  defineCommand({
    name: 'SignPartnershipAgreement',
    summary: "Record a county guidance partnership's signed agreement: its parties, signed-on date and period.",
    payload: SignPartnershipAgreementDto,
    roles: [...FINANCE],
    stream: (p) => partnershipStream(p.countyId),
    decider: partnershipDecider,
    refusals: [...ON_PARTNERSHIP, 'PARTNERSHIP.ALREADY_REGISTERED', 'PARTNERSHIP.SIGNED_IN_FUTURE', 'AGREEMENT.ENDS_BEFORE_START', ...PARTNERSHIP_PARTIES, 'PARTNERSHIP.OVERLAPS'],
    authorize: (actor, p, io) => requireCountyAccess(actor, io, p.countyId),
    toCommand: async (p, io) => {
      dates({ signedOn: p.signedOn });
      return {
        type: 'SignPartnershipAgreement' as const,
        data: { partnershipId: p.partnershipId, countyId: p.countyId, parties: p.parties, signedOn: p.signedOn, period: period(p.period) },
        county: (await io.load(countyStream(p.countyId), countyDecider)).state,
        parties: await loadParties(io, p.parties),
      };
    },
  }),
  defineCommand({
    name: 'AmendPartnershipAgreement',
    summary: 'Amend a partnership agreement from a date: the full new parties and period.',
    payload: AmendPartnershipAgreementDto,
    roles: [...FINANCE],
    stream: (p) => partnershipStream(p.countyId),
    decider: partnershipDecider,
    refusals: [...ON_PARTNERSHIP, 'PARTNERSHIP.NOT_FOUND', ...AMENDMENT, ...PARTNERSHIP_PARTIES, 'PARTNERSHIP.OVERLAPS'],
    authorize: (actor, p, io) => requireCountyAccess(actor, io, p.countyId),
    toCommand: async (p, io) => {
      dates({ effectiveFrom: p.effectiveFrom });
      return {
        type: 'AmendPartnershipAgreement' as const,
        data: { partnershipId: p.partnershipId, countyId: p.countyId, effectiveFrom: p.effectiveFrom, parties: p.parties, period: period(p.period), note: p.note ?? null },
        county: (await io.load(countyStream(p.countyId), countyDecider)).state,
        parties: await loadParties(io, p.parties),
      };
    },
  }),
  defineCommand({
    name: 'TerminatePartnershipAgreement',
    summary: 'Terminate a partnership agreement from a date (it holds until the day before).',
    payload: TerminatePartnershipAgreementDto,
    roles: [...FINANCE],
    stream: (p) => partnershipStream(p.countyId),
    decider: partnershipDecider,
    refusals: [...ON_PARTNERSHIP, 'PARTNERSHIP.NOT_FOUND', ...TERMINATION],
    authorize: (actor, p, io) => requireCountyAccess(actor, io, p.countyId),
    toCommand: async (p, io) => {
      dates({ effectiveFrom: p.effectiveFrom });
      return {
        type: 'TerminatePartnershipAgreement' as const,
        data: { partnershipId: p.partnershipId, countyId: p.countyId, effectiveFrom: p.effectiveFrom, reason: p.reason ?? null },
        county: (await io.load(countyStream(p.countyId), countyDecider)).state,
        parties: {},
      };
    },
  }),
  defineCommand({
    name: 'AssignCoordinatingFunction',
    summary: "Assign the county's coordinating function for guidance to a party, from (and optionally until) a date.",
    payload: AssignCoordinatingFunctionDto,
    roles: [...FINANCE],
    stream: (p) => partnershipStream(p.countyId),
    decider: partnershipDecider,
    refusals: [...ON_PARTNERSHIP, 'COORDINATING_FUNCTION.ENDS_BEFORE_START', 'PARTY.NOT_FOUND', 'COORDINATING_FUNCTION.HOLDER_OF_OTHER_COUNTY', 'COORDINATING_FUNCTION.OVERLAPS'],
    authorize: (actor, p, io) => requireCountyAccess(actor, io, p.countyId),
    toCommand: async (p, io) => {
      dates({ from: p.from, to: p.to });
      return {
        type: 'AssignCoordinatingFunction' as const,
        data: { countyId: p.countyId, holderPartyId: p.holderPartyId, description: p.description, from: p.from, to: p.to ?? null },
        county: (await io.load(countyStream(p.countyId), countyDecider)).state,
        parties: await loadParties(io, [p.holderPartyId]),
      };
    },
  }),
  defineCommand({
    name: 'EndCoordinatingFunction',
    summary: 'End the coordinating function held by a party (endedOn is the last day held).',
    payload: EndCoordinatingFunctionDto,
    roles: [...FINANCE],
    stream: (p) => partnershipStream(p.countyId),
    decider: partnershipDecider,
    refusals: [...ON_PARTNERSHIP, 'COORDINATING_FUNCTION.NOT_HELD', 'COORDINATING_FUNCTION.ENDS_BEFORE_START', 'COORDINATING_FUNCTION.ALREADY_ENDED'],
    authorize: (actor, p, io) => requireCountyAccess(actor, io, p.countyId),
    toCommand: async (p, io) => {
      dates({ endedOn: p.endedOn });
      return {
        type: 'EndCoordinatingFunction' as const,
        data: { countyId: p.countyId, holderPartyId: p.holderPartyId, endedOn: p.endedOn },
        county: (await io.load(countyStream(p.countyId), countyDecider)).state,
        parties: {},
      };
    },
  }),
];

const boardCommands: AnyCommandDefinition[] = [
  defineCommand({
    name: 'EstablishBoard',
    summary: 'Establish a board (or steering group) for one or more centres of a county, with its rules of procedure.',
    payload: EstablishBoardDto,
    roles: [...FINANCE],
    stream: (p) => boardStream(p.boardId),
    decider: boardDecider,
    refusals: ['ACCESS.OTHER_COUNTY', 'DATE.INVALID', 'BOARD.INVALID_QUORUM', 'BOARD.ALREADY_ESTABLISHED', 'COUNTY.NOT_FOUND', 'BOARD.NO_CENTRES', 'BOARD.DUPLICATE_CENTRE', 'CENTRE.NOT_FOUND', 'BOARD.CENTRE_OF_OTHER_COUNTY', 'CENTRE.CLOSED'],
    authorize: (actor, p, io) => requireCountyAccess(actor, io, p.countyId),
    toCommand: async (p, io) => {
      dates({ establishedOn: p.establishedOn });
      return {
        type: 'EstablishBoard' as const,
        data: { boardId: p.boardId, countyId: p.countyId, centreIds: p.centreIds, name: p.name, bodyKind: p.bodyKind ?? 'board', establishedOn: p.establishedOn, rules: rules(p.rules) },
        countyRegistered: await countyRegistered(io, p.countyId),
        centres: await loadCentres(io, p.centreIds),
      };
    },
  }),
  defineCommand({
    name: 'DissolveBoard',
    summary: 'Dissolve a board or steering group (e.g. replaced by a new board).',
    payload: DissolveBoardDto,
    roles: [...FINANCE],
    stream: (p) => boardStream(p.boardId),
    decider: boardDecider,
    refusals: [...BOARD_ADMINISTRATION, 'BOARD.DATE_BEFORE_ESTABLISHED', 'BOARD.DISSOLVED_BEFORE_ACTIVITY', 'BOARD.REPLACED_BY_ITSELF', 'BOARD.REPLACEMENT_OF_OTHER_COUNTY'],
    authorize: (actor, p, io) => authorizeBoardAdministration(actor, io, p.boardId),
    toCommand: async (p, io) => {
      dates({ dissolvedOn: p.dissolvedOn });
      const replacedByBoardId = p.replacedByBoardId ?? null;
      return {
        type: 'DissolveBoard' as const,
        data: { boardId: p.boardId, dissolvedOn: p.dissolvedOn, reason: p.reason ?? null, replacedByBoardId },
        // Read through the io: the replacing board's stream becomes a condition of the append, so one established or changed meanwhile makes the command decide again.
        replacement: replacedByBoardId === null ? null : (await io.load(boardStream(replacedByBoardId), boardDecider)).state,
      };
    },
  }),
  defineCommand({
    name: 'AppointBoardMember',
    summary: 'Appoint a person to a board: the party they represent, their role and term.',
    payload: AppointBoardMemberDto,
    roles: [...FINANCE],
    stream: (p) => boardStream(p.boardId),
    decider: boardDecider,
    refusals: [...BOARD_ADMINISTRATION, 'BOARD.PARTY_REQUIRED', 'PARTY.NOT_FOUND', 'BOARD.NAV_OF_OTHER_COUNTY', 'BOARD.TERM_ENDS_BEFORE_START', 'BOARD.DATE_BEFORE_ESTABLISHED', 'BOARD.ALREADY_A_MEMBER', 'BOARD.ROLE_TAKEN'],
    authorize: (actor, p, io) => authorizeBoardAdministration(actor, io, p.boardId),
    toCommand: async (p, io) => ({
      type: 'AppointBoardMember' as const,
      data: { boardId: p.boardId, personId: p.personId, name: p.name, partyId: p.partyId ?? null, role: p.role, term: period(p.term, 'term') },
      parties: await loadParties(io, [p.partyId]),
    }),
  }),
  defineCommand({
    name: 'EndBoardMember',
    summary: "End a member's term (endedOn is the last day as a member; ending it again with an earlier day shortens it). Never before a vote already cast in the term: it ends on the day of that vote at the earliest.",
    payload: EndBoardMemberDto,
    roles: [...FINANCE],
    stream: (p) => boardStream(p.boardId),
    decider: boardDecider,
    refusals: [...BOARD_ADMINISTRATION, ['BOARD.NOT_A_MEMBER', 404], 'BOARD.TERM_ENDS_BEFORE_START', ['BOARD.FORMER_MEMBER', 409], 'BOARD.TERM_ENDS_BEFORE_VOTE'],
    authorize: (actor, p, io) => authorizeBoardAdministration(actor, io, p.boardId),
    toCommand: (p) => {
      dates({ endedOn: p.endedOn });
      return { type: 'EndBoardMember' as const, data: { boardId: p.boardId, personId: p.personId, endedOn: p.endedOn, reason: p.reason ?? null } };
    },
  }),
  defineCommand({
    name: 'TableProposal',
    summary: 'Table a proposal (budget, accounts, annual report, action plan, strategic plan, goals, other) for a year; current members of that board only.',
    payload: TableProposalDto,
    roles: [...BOARD],
    stream: (p) => boardStream(p.boardId),
    decider: boardDecider,
    refusals: ['DATE.INVALID', 'BOARD.TABLED_IN_FUTURE', 'BOARD.NOT_FOUND', 'BOARD.DISSOLVED', 'BOARD.DATE_BEFORE_ESTABLISHED', ...ACTING_MEMBER_REFUSALS, 'BOARD.PROPOSAL_EXISTS', 'BOARD.CENTRE_NOT_GOVERNED', 'CENTRE.NOT_FOUND', ...CONTENT_REFUSALS, 'CENTRE.CLOSED'],
    authorize: (actor, p, io) => authorizeBoardMember(actor, io, p.boardId),
    toCommand: async (p, io, actor) => {
      dates({ tabledOn: p.tabledOn });
      const c = content(p.content);
      const { state } = await io.load(boardStream(p.boardId), boardDecider);
      const centreIds = p.centreIds ?? (state.status === 'none' ? [] : state.centreIds);
      return {
        type: 'TableProposal' as const,
        data: { boardId: p.boardId, proposalId: p.proposalId, kind: p.kind, year: p.year, title: p.title, content: c, centreIds: p.centreIds ?? null, tabledOn: p.tabledOn ?? null },
        issuer: issuerOf(actor),
        parties: await loadParties(io, partiesNamedIn(c)),
        centres: await loadCentres(io, centreIds),
      };
    },
  }),
  defineCommand({
    name: 'CastVote',
    summary: 'Vote for, against or abstain on a proposal: a current member of that board, as themselves, once; a deputy only standing in for a named member.',
    payload: CastVoteDto,
    roles: [...BOARD],
    actingRole: voteActingRole,
    stream: (p) => boardStream(p.boardId),
    decider: boardDecider,
    refusals: ['BOARD.PERSON_REQUIRED', 'BOARD.VOTE_AS_OTHER', 'DATE.INVALID', ...ON_PROPOSAL, 'BOARD.VOTED_IN_FUTURE', 'BOARD.VOTE_BEFORE_TABLED', ...ACTING_MEMBER_REFUSALS, 'CENTRE.NOT_FOUND', 'BOARD.DEPUTY_NOT_STANDING_IN', 'BOARD.STANDING_IN_FOR_NON_MEMBER', 'BOARD.NOT_A_DEPUTY', 'BOARD.ALREADY_VOTED', 'CENTRE.CLOSED'],
    authorize: (actor, p, io) => {
      if (actor.actingRole === 'admin') {
        if (!p.personId) throw new DomainError('BOARD.PERSON_REQUIRED', 'An admin entering a recorded vote names the member (personId).', 'invalid');
        return;
      }
      if (p.personId !== undefined && p.personId !== actor.id) {
        throw new DomainError('BOARD.VOTE_AS_OTHER', `You sign in as ${actor.id} and may vote only as yourself, not as ${p.personId}.`, 'forbidden', { personId: p.personId });
      }
      return authorizeBoardMember(actor, io, p.boardId);
    },
    toCommand: async (p, io, actor) => {
      dates({ castOn: p.castOn });
      const personId = actor.actingRole === 'admin' ? p.personId! : actor.id;
      // The proposal's centres, so the decider refuses a vote for a closed one (as CloseProposal does).
      const { state } = await io.load(boardStream(p.boardId), boardDecider);
      const proposal = state.status === 'none' ? undefined : state.proposals[p.proposalId];
      return {
        type: 'CastVote' as const,
        data: { boardId: p.boardId, proposalId: p.proposalId, personId, vote: p.vote, standingInFor: p.standingInFor ?? null, castOn: p.castOn ?? null },
        issuer: issuerOf(actor),
        centres: await loadCentres(io, proposal?.centreIds ?? []),
      };
    },
  }),
  defineCommand({
    name: 'CloseProposal',
    summary: 'Close a proposal: the chair (or the deputy chair when the chair is away) records it adopted or rejected from the votes and the rules of procedure.',
    payload: CloseProposalDto,
    roles: [...BOARD],
    stream: (p) => boardStream(p.boardId),
    decider: boardDecider,
    refusals: ['DATE.INVALID', ...ON_PROPOSAL, 'BOARD.DECIDED_IN_FUTURE', 'BOARD.CLOSE_BEFORE_TABLED', 'BOARD.CLOSE_BEFORE_VOTES', ...ACTING_MEMBER_REFUSALS, 'BOARD.CHAIR_PRESENT', 'BOARD.NOT_THE_CHAIR', 'CENTRE.NOT_FOUND', 'BOARD.NO_QUORUM', 'BOARD.OUTCOME_MISMATCH', 'CENTRE.CLOSED'],
    authorize: (actor, p, io) => authorizeBoardMember(actor, io, p.boardId),
    toCommand: async (p, io, actor) => {
      dates({ closedOn: p.closedOn });
      const { state } = await io.load(boardStream(p.boardId), boardDecider);
      const proposal = state.status === 'none' ? undefined : state.proposals[p.proposalId];
      return {
        type: 'CloseProposal' as const,
        data: { boardId: p.boardId, proposalId: p.proposalId, closedOn: p.closedOn ?? null, expectedOutcome: p.outcome ?? null },
        issuer: issuerOf(actor),
        centres: await loadCentres(io, proposal?.centreIds ?? []),
      };
    },
  }),
];

const otherCommands: AnyCommandDefinition[] = [
  defineCommand({
    name: 'RecordCountyLineDecision',
    summary: 'Record a decision the county authority makes directly for centres without a board (governed along the county line).',
    payload: RecordCountyLineDecisionDto,
    roles: [...FINANCE],
    stream: (p) => countyLineStream(p.countyId),
    decider: countyLineDecider,
    refusals: ['ACCESS.OTHER_COUNTY', 'DATE.INVALID', 'COUNTY.NOT_FOUND', 'COUNTY_LINE.DECISION_EXISTS', 'COUNTY_LINE.NO_CENTRES', 'COUNTY_LINE.DUPLICATE_CENTRE', 'COUNTY_LINE.DECIDED_IN_FUTURE', 'CENTRE.NOT_FOUND', 'COUNTY_LINE.CENTRE_OF_OTHER_COUNTY', 'COUNTY_LINE.BEFORE_OPENING', ...CONTENT_REFUSALS, 'CENTRE.CLOSED'],
    authorize: (actor, p, io) => requireCountyAccess(actor, io, p.countyId),
    toCommand: async (p, io, actor) => {
      dates({ decidedOn: p.decidedOn });
      const c = content(p.content);
      return {
        type: 'RecordCountyLineDecision' as const,
        data: { decisionId: p.decisionId, countyId: p.countyId, centreIds: p.centreIds, kind: p.kind, year: p.year, title: p.title, content: c, decidedOn: p.decidedOn ?? null, decidedBy: actor.id },
        countyRegistered: await countyRegistered(io, p.countyId),
        centres: await loadCentres(io, p.centreIds),
        parties: await loadParties(io, partiesNamedIn(c)),
      };
    },
  }),
  defineCommand({
    name: 'RecordCoLocation',
    summary: "Record a centre's premises and whom it shares them with (NAV offices, a school, an OPUS centre, other), from a date.",
    payload: RecordCoLocationDto,
    roles: [...FINANCE],
    stream: (p) => coLocationStream(p.centreId),
    decider: coLocationDecider,
    refusals: [...CENTRE_ACCESS_REFUSALS, 'DATE.INVALID', 'CO_LOCATION.BEFORE_OPENING', 'CO_LOCATION.OUT_OF_ORDER', 'CO_LOCATION.UNKNOWN_KIND', 'CO_LOCATION.SHARED_WITH_UNNAMED', 'PARTY.NOT_FOUND', 'CO_LOCATION.KIND_MISMATCH', 'CO_LOCATION.NAV_OF_OTHER_COUNTY', 'CENTRE.CLOSED'],
    authorize: (actor, p, io) => authorizeForCentre(actor, io, p.centreId),
    toCommand: async (p, io) => {
      dates({ from: p.from });
      const sharedWith = p.sharedWith.map((s) => ({ kind: s.kind, partyId: s.partyId ?? null, name: s.name ?? null }));
      return {
        type: 'RecordCoLocation' as const,
        data: { centreId: p.centreId, from: p.from, premises: p.premises, sharedWith },
        centre: (await io.load(centreStream(p.centreId), centreDecider)).state,
        parties: await loadParties(io, sharedWith.map((s) => s.partyId)),
      };
    },
  }),
  defineCommand({
    name: 'CorrectCoLocation',
    summary: "Correct a centre's premises record from a date (wrong premises or sharedWith): the full new contents and a reason; the record as it was stays in the log.",
    payload: CorrectCoLocationDto,
    roles: [...FINANCE],
    stream: (p) => coLocationStream(p.centreId),
    decider: coLocationDecider,
    refusals: [...CENTRE_ACCESS_REFUSALS, 'DATE.INVALID', 'CO_LOCATION.NOT_FOUND', 'CO_LOCATION.UNKNOWN_KIND', 'CO_LOCATION.SHARED_WITH_UNNAMED', 'PARTY.NOT_FOUND', 'CO_LOCATION.KIND_MISMATCH', 'CO_LOCATION.NAV_OF_OTHER_COUNTY', 'CO_LOCATION.CORRECTION_CHANGES_NOTHING'],
    authorize: (actor, p, io) => authorizeForCentre(actor, io, p.centreId),
    toCommand: async (p, io) => {
      dates({ from: p.from });
      const sharedWith = p.sharedWith.map((s) => ({ kind: s.kind, partyId: s.partyId ?? null, name: s.name ?? null }));
      return {
        type: 'CorrectCoLocation' as const,
        data: { centreId: p.centreId, from: p.from, premises: p.premises, sharedWith, reason: p.reason },
        centre: (await io.load(centreStream(p.centreId), centreDecider)).state,
        parties: await loadParties(io, sharedWith.map((s) => s.partyId)),
      };
    },
  }),
  defineCommand({
    name: 'WithdrawCoLocation',
    summary: "Withdraw a centre's premises record entered by mistake (e.g. the wrong date), with a reason: it stays in the log, no longer counts, and the right record can be entered.",
    payload: WithdrawCoLocationDto,
    roles: [...FINANCE],
    stream: (p) => coLocationStream(p.centreId),
    decider: coLocationDecider,
    refusals: [...CENTRE_ACCESS_REFUSALS, 'DATE.INVALID', 'CO_LOCATION.NOT_FOUND'],
    authorize: (actor, p, io) => authorizeForCentre(actor, io, p.centreId),
    toCommand: async (p, io) => {
      dates({ from: p.from });
      return {
        type: 'WithdrawCoLocation' as const,
        data: { centreId: p.centreId, from: p.from, reason: p.reason },
        centre: (await io.load(centreStream(p.centreId), centreDecider)).state,
      };
    },
  }),
];

/** Commands of the governance feature: parties, agreements, partnerships, boards, county line, co-location. */
export const governanceCommands: AnyCommandDefinition[] = [...partyCommands, ...ownerAgreementCommands, ...partnershipCommands, ...boardCommands, ...otherCommands];
