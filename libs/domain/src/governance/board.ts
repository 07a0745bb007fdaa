import { CentreState, requireCentre, requireOpenFor } from '../counties';
import { PartyState, requireParty } from '../parties';
import { addDays, assertNever, DecideContext, Decider, DomainEvent, IsoDate, osloDateOf, own, Period, periodContains, periodsOverlap, putOwn, refuse } from '../shared';
import { ContentInput, DecisionContent, normaliseContent, ProposalKind } from './content';

/** A board's whole life (rules, members, proposals, votes, decisions) is one short stream. */
export const boardStream = (boardId: string): string => `board-${boardId}`;

export const BOARD_ROLES = ['chair', 'deputy-chair', 'member', 'deputy-member', 'staff-representative'] as const;
export type BoardRole = (typeof BOARD_ROLES)[number];
/** Roles that hold a seat and count towards quorum; deputy members vote only standing in for one of them. */
export const SEAT_ROLES: readonly BoardRole[] = ['chair', 'deputy-chair', 'member', 'staff-representative'];

export const BODY_KINDS = ['board', 'steering-group'] as const;
export type BodyKind = (typeof BODY_KINDS)[number];

export type QuorumRule = { kind: 'more-than-half' } | { kind: 'at-least'; members: number };
export type TieBreakRule = 'chair-decides' | 'rejected';
export interface BoardRules {
  quorum: QuorumRule;
  tieBreak: TieBreakRule;
}
/** Defaults when the rules of procedure say nothing: more than half take part; the chair's vote decides a tie. */
export const DEFAULT_RULES: BoardRules = { quorum: { kind: 'more-than-half' }, tieBreak: 'chair-decides' };

export type VoteChoice = 'for' | 'against' | 'abstain';
export type Outcome = 'adopted' | 'rejected';
export type CloseReason = 'MAJORITY_FOR' | 'MAJORITY_AGAINST' | 'TIE_BROKEN_BY_CHAIR' | 'TIE_NOT_BROKEN' | 'TIE_REJECTED' | 'NO_VOTES_FOR' | 'NO_QUORUM';

export interface Tally {
  for: number;
  against: number;
  abstain: number;
  /** Seats that took part (voted, abstentions included). */
  takingPart: number;
  /** Seats on the board on the closing date. */
  seats: number;
  /** Seats that had to take part for quorum. */
  quorumRequired: number;
}

export type MemberTerm = {
  personId: string;
  name: string;
  partyId: string | null;
  role: BoardRole;
  /** Both ends inclusive; `to` is the last day as a member. */
  term: Period;
};

type Base = { boardId: string; countyId: string };

export type BoardEvent =
  | DomainEvent<'BoardEstablished', Base & { centreIds: string[]; name: string; bodyKind: BodyKind; establishedOn: IsoDate; rules: BoardRules }>
  | DomainEvent<'BoardDissolved', Base & { centreIds: string[]; dissolvedOn: IsoDate; reason: string | null; replacedByBoardId: string | null }>
  | DomainEvent<'BoardMemberAppointed', Base & MemberTerm>
  | DomainEvent<'BoardMemberEnded', Base & { personId: string; endedOn: IsoDate; reason: string | null }>
  | DomainEvent<'ProposalTabled', Base & { proposalId: string; centreIds: string[]; kind: ProposalKind; year: number; title: string; content: DecisionContent; tabledBy: string; tabledOn: IsoDate }>
  | DomainEvent<'VoteCast', Base & { proposalId: string; personId: string; vote: VoteChoice; standingInFor: string | null; castOn: IsoDate }>
  | DomainEvent<
      'ProposalClosed',
      Base & {
        proposalId: string;
        centreIds: string[];
        kind: ProposalKind;
        year: number;
        title: string;
        outcome: Outcome;
        reason: CloseReason;
        tally: Tally;
        quorumMet: boolean;
        content: DecisionContent;
        closedBy: string;
        closedOn: IsoDate;
        governedBy: 'board';
      }
    >;

/** Who issues the command: a person acting as themselves, or an admin entering the record (e.g. from minutes). */
export interface Issuer {
  personId: string;
  isAdmin: boolean;
}

export type BoardCommand =
  | {
      type: 'EstablishBoard';
      data: { boardId: string; countyId: string; centreIds: string[]; name: string; bodyKind: BodyKind; establishedOn: IsoDate; rules: BoardRules };
      countyRegistered: boolean;
      centres: Record<string, CentreState>;
    }
  | {
      type: 'DissolveBoard';
      data: { boardId: string; dissolvedOn: IsoDate; reason: string | null; replacedByBoardId: string | null };
      /** The board named in replacedByBoardId as recorded (null when none is named): it must exist, in the same county. */
      replacement: BoardState | null;
    }
  | { type: 'AppointBoardMember'; data: { boardId: string } & MemberTerm; parties: Record<string, PartyState> }
  | { type: 'EndBoardMember'; data: { boardId: string; personId: string; endedOn: IsoDate; reason: string | null } }
  | {
      type: 'TableProposal';
      data: { boardId: string; proposalId: string; kind: ProposalKind; year: number; title: string; content: ContentInput; centreIds: string[] | null; tabledOn: IsoDate | null };
      issuer: Issuer;
      parties: Record<string, PartyState>;
      centres: Record<string, CentreState>;
    }
  | {
      type: 'CastVote';
      data: { boardId: string; proposalId: string; personId: string; vote: VoteChoice; standingInFor: string | null; castOn: IsoDate | null };
      issuer: Issuer;
      /** The proposal's centres: a vote is an event for them too. */
      centres: Record<string, CentreState>;
    }
  | {
      type: 'CloseProposal';
      data: { boardId: string; proposalId: string; closedOn: IsoDate | null; expectedOutcome: Outcome | null };
      issuer: Issuer;
      centres: Record<string, CentreState>;
    };

export interface VoteRecord {
  vote: VoteChoice;
  /** The person who cast it (a deputy when standing in). */
  castBy: string;
  castOn: IsoDate;
}

export interface ProposalState {
  proposalId: string;
  kind: ProposalKind;
  year: number;
  title: string;
  centreIds: string[];
  content: DecisionContent;
  tabledOn: IsoDate;
  /** By seat: the member whose seat the vote counts for. */
  votes: Record<string, VoteRecord>;
  /** The decision's date; null while the proposal is open. */
  closedOn: IsoDate | null;
}

export type BoardState =
  | { status: 'none' }
  | {
      status: 'active' | 'dissolved';
      boardId: string;
      countyId: string;
      centreIds: string[];
      name: string;
      bodyKind: BodyKind;
      establishedOn: IsoDate;
      dissolvedOn: IsoDate | null;
      rules: BoardRules;
      members: MemberTerm[];
      proposals: Record<string, ProposalState>;
    };
type Board = Exclude<BoardState, { status: 'none' }>;

/** The latest of some dates, or null when there are none. */
const latestDate = (dates: IsoDate[]): IsoDate | null => dates.reduce<IsoDate | null>((max, x) => (max === null || x > max ? x : max), null);

/** The person's membership on a date, if any. */
export const membershipOn = (members: readonly MemberTerm[], personId: string, date: IsoDate): MemberTerm | undefined =>
  members.find((m) => m.personId === personId && periodContains(m.term, date));

export const seatsOn = (members: readonly MemberTerm[], date: IsoDate): MemberTerm[] => members.filter((m) => SEAT_ROLES.includes(m.role) && periodContains(m.term, date));

export const holderOfRole = (members: readonly MemberTerm[], role: BoardRole, date: IsoDate): MemberTerm | undefined =>
  members.find((m) => m.role === role && periodContains(m.term, date));

/** Refuses unless the person is a member on that date: a former member and a stranger get different codes. */
export const requireMemberOn = (members: readonly MemberTerm[], personId: string, date: IsoDate, boardName: string): MemberTerm => {
  const m = membershipOn(members, personId, date);
  if (m) return m;
  const terms = members.filter((t) => t.personId === personId);
  // The latest term that ended before the date: the refusal says when, as the person will ask.
  const endedOn = latestDate(terms.flatMap((t) => (t.term.to !== null && t.term.to < date ? [t.term.to] : [])));
  if (endedOn !== null) {
    return refuse('BOARD.FORMER_MEMBER', `${personId}'s term on ${boardName} ended on ${endedOn}, before ${date}; former members cannot act for the board.`, 'forbidden', { personId, endedOn });
  }
  if (terms.length) return refuse('BOARD.NOT_YET_MEMBER', `${personId}'s term on ${boardName} has not started on ${date}.`, 'forbidden', { personId });
  return refuse('BOARD.NOT_A_MEMBER', `${personId} is not a member of ${boardName}; only its own members may do this.`, 'forbidden', { personId });
};

/**
 * Refuses unless the person had some term on the board, whatever its dates: checked before the
 * Idempotency-Key is looked up, so a stranger learns nothing about the board members' keys.
 */
export const requireSomeTerm = (members: readonly MemberTerm[], personId: string, boardName: string): void => {
  if (!members.some((m) => m.personId === personId)) refuse('BOARD.NOT_A_MEMBER', `${personId} is not a member of ${boardName}; only its own members may do this.`, 'forbidden', { personId });
};

/**
 * requireMemberOn for a member acting with their own token: besides holding the seat on the act's
 * date, the term the act falls in must not have ended before today (Norway). Otherwise anyone whose
 * term has ended could still swing a vote or close a proposal by dating the act inside that term;
 * recording acts from an ended term (e.g. from minutes) is an administrator's job.
 */
export const requireOwnActOn = (members: readonly MemberTerm[], personId: string, date: IsoDate, boardName: string, today: IsoDate): MemberTerm => {
  const m = requireMemberOn(members, personId, date, boardName);
  if (m.term.to !== null && m.term.to < today) {
    refuse('BOARD.FORMER_MEMBER', `${personId}'s term on ${boardName} ended on ${m.term.to}; an administrator records acts from it.`, 'forbidden', { personId, endedOn: m.term.to, today });
  }
  return m;
};

/**
 * Refuses unless the board is established and still acts on `date`, the act's own date: a board dissolved
 * from `dissolvedOn` (the first day it no longer acts) still takes acts dated before it, even when they are
 * recorded after the dissolution (the December meeting of a board replaced from 1 January). `date` null
 * (a second dissolution) is refused whatever the dates.
 */
const requireActive = (state: BoardState, boardId: string, date: IsoDate | null): Board => {
  if (state.status === 'none') return refuse('BOARD.NOT_FOUND', `No board with id ${boardId} is established.`, 'not-found', { boardId });
  if (state.status === 'dissolved' && (date === null || state.dissolvedOn === null || date >= state.dissolvedOn)) {
    const what = date === null ? 'it cannot be dissolved again' : `nothing dated ${date} can be recorded for it`;
    return refuse('BOARD.DISSOLVED', `${state.name} is dissolved from ${state.dissolvedOn}; ${what}.`, 'conflict', { boardId, dissolvedOn: state.dissolvedOn, ...(date === null ? {} : { date }) });
  }
  return state;
};

const requireOpenProposal = (board: Board, proposalId: string): ProposalState => {
  const p = own(board.proposals, proposalId);
  if (!p) return refuse('BOARD.PROPOSAL_NOT_FOUND', `${board.name} has no proposal ${proposalId}.`, 'not-found', { proposalId });
  if (p.closedOn !== null) return refuse('BOARD.PROPOSAL_CLOSED', `Proposal ${proposalId} is already closed.`, 'conflict', { proposalId });
  return p;
};

/** Each centre is registered and open on the day the events need it (the date rule: requireOpenFor). */
const requireCentresOpenFor = <E extends BoardEvent>(centreIds: readonly string[], centres: Record<string, CentreState>, events: E[]): E[] => {
  for (const id of centreIds) requireOpenFor(centres[id] ?? { status: 'unregistered' }, id, events);
  return events;
};

export const quorumRequired = (rules: BoardRules, seats: number): number =>
  rules.quorum.kind === 'more-than-half' ? Math.floor(seats / 2) + 1 : rules.quorum.members;

const holdsSeatOn = (members: readonly MemberTerm[], personId: string, date: IsoDate): boolean => seatsOn(members, date).some((m) => m.personId === personId);

/**
 * The votes that count on the closing date, by seat: the seat is held on that date and was held on the
 * day of the vote (by the voter, or by the member a deputy, then a member too, stood in for). Terms can
 * be ended retroactively, so a vote valid when cast may no longer count.
 */
export const countedVotes = (members: readonly MemberTerm[], votes: Record<string, VoteRecord>, date: IsoDate): Record<string, VoteRecord> =>
  Object.fromEntries(
    Object.entries(votes).filter(([seat, v]) => holdsSeatOn(members, seat, date) && holdsSeatOn(members, seat, v.castOn) && membershipOn(members, v.castBy, v.castOn) !== undefined),
  );

/** Counts the votes and applies the rules of procedure: pure, so the register can show why. */
export const countVotes = (board: Pick<Board, 'members' | 'rules'>, proposal: Pick<ProposalState, 'votes'>, date: IsoDate): { tally: Tally; quorumMet: boolean; outcome: Outcome; reason: CloseReason } => {
  const counted = countedVotes(board.members, proposal.votes, date);
  const votes = Object.values(counted);
  const seats = seatsOn(board.members, date).length;
  const required = quorumRequired(board.rules, seats);
  const tally: Tally = {
    for: votes.filter((v) => v.vote === 'for').length,
    against: votes.filter((v) => v.vote === 'against').length,
    abstain: votes.filter((v) => v.vote === 'abstain').length,
    takingPart: votes.length,
    seats,
    quorumRequired: required,
  };
  const quorumMet = seats > 0 && tally.takingPart >= required;
  if (!quorumMet) return { tally, quorumMet, outcome: 'rejected', reason: 'NO_QUORUM' };
  if (tally.for > tally.against) return { tally, quorumMet, outcome: 'adopted', reason: 'MAJORITY_FOR' };
  if (tally.against > tally.for) return { tally, quorumMet, outcome: 'rejected', reason: 'MAJORITY_AGAINST' };
  if (tally.for === 0) return { tally, quorumMet, outcome: 'rejected', reason: 'NO_VOTES_FOR' };
  if (board.rules.tieBreak === 'rejected') return { tally, quorumMet, outcome: 'rejected', reason: 'TIE_REJECTED' };
  // The meeting's chair breaks the tie: the chair when present (voted in person), else the deputy chair.
  const chair = holderOfRole(board.members, 'chair', date);
  const chairPresent = chair !== undefined && counted[chair.personId]?.castBy === chair.personId;
  const acting = chairPresent ? chair : holderOfRole(board.members, 'deputy-chair', date);
  // Only a vote cast in person is the meeting chair's: a deputy member standing in for the seat does not chair the meeting.
  const casting = acting && counted[acting.personId]?.castBy === acting.personId ? counted[acting.personId] : undefined;
  if (casting?.vote === 'for') return { tally, quorumMet, outcome: 'adopted', reason: 'TIE_BROKEN_BY_CHAIR' };
  if (casting?.vote === 'against') return { tally, quorumMet, outcome: 'rejected', reason: 'TIE_BROKEN_BY_CHAIR' };
  return { tally, quorumMet, outcome: 'rejected', reason: 'TIE_NOT_BROKEN' };
};

const assertRules = (rules: BoardRules): void => {
  if (rules.quorum.kind === 'at-least' && (!Number.isSafeInteger(rules.quorum.members) || rules.quorum.members < 1)) {
    refuse('BOARD.INVALID_QUORUM', 'A fixed quorum is a whole number of members, at least 1.', 'invalid', { quorum: rules.quorum });
  }
};

/** A date the command gave, or today in Norway (Europe/Oslo) when it gave none. */
const dayOf = (given: IsoDate | null, ctx: DecideContext): IsoDate => given ?? osloDateOf(ctx.now);

/** The latest day the board acted: a proposal tabled, a vote cast or a decision taken. */
const latestActivity = (b: Board): IsoDate | null =>
  latestDate(Object.values(b.proposals).flatMap((p) => [p.tabledOn, ...Object.values(p.votes).map((v) => v.castOn), ...(p.closedOn === null ? [] : [p.closedOn])]));

/**
 * Refuses ending `term` on `endedOn` (its new last day, a first end or a correction to an earlier day)
 * when a vote already recorded in it would fall outside it: the vote check's own rule read backwards
 * (CastVote needs the voter a member on `castOn`, and a deputy's absent member holding the seat on
 * `castOn`; a term includes its last day), so a term may end on the day of its last vote, not before.
 * Only the days the end takes off the term count (after `endedOn`, up to its current last day): a vote in
 * another term of the person, or one already outside every term, is no concern of this end.
 */
const requireNoVoteAfterEnd = (b: Board, term: MemberTerm, endedOn: IsoDate): void => {
  const removed = (day: IsoDate): boolean => day > endedOn && (term.term.to === null || day <= term.term.to);
  // The last day the term must hold for a vote: the vote's day, and for the seat's holder of a closed
  // proposal its decision's day too (countVotes counts a seat held on the closing date): ending the
  // term between a vote and the decision that counted it would change a recorded decision's count.
  // Each day is judged on its own (a decision already outside the term, written so by an older
  // version, does not hide a vote inside it); the latest day the end would take off is the one named.
  const mustHold = (p: ProposalState, seat: string, castOn: IsoDate): IsoDate | null => {
    const days = seat === term.personId && p.closedOn !== null && p.closedOn > castOn ? [castOn, p.closedOn] : [castOn];
    const taken = days.filter(removed);
    return taken.length === 0 ? null : taken[taken.length - 1];
  };
  const after = Object.values(b.proposals)
    .flatMap((p) => Object.entries(p.votes).map(([seat, v]) => ({ proposal: p, seat, ...v, until: mustHold(p, seat, v.castOn) })))
    .filter((v): v is typeof v & { until: IsoDate } => (v.castBy === term.personId || v.seat === term.personId) && v.until !== null)
    .sort((x, y) => (x.until !== y.until ? (x.until < y.until ? 1 : -1) : x.proposal.proposalId < y.proposal.proposalId ? -1 : 1));
  if (after.length === 0) return;
  const v = after[0];
  const who = term.name && term.name !== term.personId ? `${term.name} (${term.personId})` : term.personId;
  const what =
    v.castBy === term.personId
      ? `${who} voted on proposal ${v.proposal.proposalId} ("${v.proposal.title}") on ${v.castOn}, and a vote counts only when cast within the voter's term`
      : `${v.castBy}, a deputy member, voted for ${who}'s seat on proposal ${v.proposal.proposalId} ("${v.proposal.title}") on ${v.castOn}, and a deputy stands in only for a seat held that day`;
  const decided = v.until !== v.castOn ? `; the decision of ${v.until} counted that vote, as the seat was held that day` : '';
  const others = after.length > 1 ? ` (${after.length} recorded votes in all would fall outside the term)` : '';
  refuse(
    'BOARD.TERM_ENDS_BEFORE_VOTE',
    `${who}'s term on ${b.name} cannot end on ${endedOn}: ${what}${decided}${others}. End the term on ${v.until} or later; a term includes its last day.`,
    'rule',
    { personId: term.personId, endedOn, proposalId: v.proposal.proposalId, castOn: v.castOn, castBy: v.castBy, ...(v.until !== v.castOn ? { decidedOn: v.until } : {}), earliestEndedOn: v.until, voteCount: after.length },
  );
};

export const boardDecider: Decider<BoardCommand, BoardEvent, BoardState> = {
  initialState: () => ({ status: 'none' }),
  // Updates the board in place (it is always a fresh fold from initialState: loadStream, fold), so
  // loading a board with many proposals, votes or members stays linear in its events. Only objects
  // evolve made itself are changed: event data (deep-frozen when it comes from the store's cache, and
  // shared between reads) is never written to; a member whose term is ended is replaced, not changed.
  evolve: (state, event) => {
    switch (event.type) {
      case 'BoardEstablished': {
        const d = event.data;
        return { status: 'active', boardId: d.boardId, countyId: d.countyId, centreIds: d.centreIds, name: d.name, bodyKind: d.bodyKind, establishedOn: d.establishedOn, dissolvedOn: null, rules: d.rules, members: [], proposals: {} };
      }
      case 'BoardDissolved':
        if (state.status !== 'none') {
          state.status = 'dissolved';
          state.dissolvedOn = event.data.dissolvedOn;
        }
        return state;
      case 'BoardMemberAppointed': {
        const d = event.data;
        if (state.status !== 'none') state.members.push({ personId: d.personId, name: d.name, partyId: d.partyId, role: d.role, term: d.term });
        return state;
      }
      case 'BoardMemberEnded': {
        const d = event.data;
        if (state.status === 'none') return state;
        const members = state.members;
        for (let i = 0; i < members.length; i++) {
          const m = members[i];
          // A new member object and term: `m.term` may be the appointing event's own (frozen) term.
          if (m.personId === d.personId && m.term.from <= d.endedOn && (m.term.to === null || m.term.to >= d.endedOn)) members[i] = { ...m, term: { ...m.term, to: d.endedOn } };
        }
        return state;
      }
      case 'ProposalTabled': {
        const d = event.data;
        if (state.status === 'none') return state;
        putOwn(state.proposals, d.proposalId, { proposalId: d.proposalId, kind: d.kind, year: d.year, title: d.title, centreIds: d.centreIds, content: d.content, tabledOn: d.tabledOn, votes: {}, closedOn: null });
        return state;
      }
      case 'VoteCast': {
        const d = event.data;
        if (state.status === 'none') return state;
        const p = own(state.proposals, d.proposalId);
        if (p) putOwn(p.votes, d.standingInFor ?? d.personId, { vote: d.vote, castBy: d.personId, castOn: d.castOn });
        return state;
      }
      case 'ProposalClosed': {
        if (state.status === 'none') return state;
        const p = own(state.proposals, event.data.proposalId);
        if (p) p.closedOn = event.data.closedOn;
        return state;
      }
      default:
        return state;
    }
  },
  decide: (command, state, ctx) => {
    switch (command.type) {
      case 'EstablishBoard': {
        const d = command.data;
        if (state.status !== 'none') refuse('BOARD.ALREADY_ESTABLISHED', `A board with id ${d.boardId} is already established.`, 'conflict', { boardId: d.boardId });
        if (!command.countyRegistered) refuse('COUNTY.NOT_FOUND', `County ${d.countyId} is not registered.`, 'not-found', { countyId: d.countyId });
        if (d.centreIds.length === 0) refuse('BOARD.NO_CENTRES', 'A board governs at least one career centre.', 'invalid');
        if (new Set(d.centreIds).size !== d.centreIds.length) refuse('BOARD.DUPLICATE_CENTRE', 'A centre is named more than once.', 'invalid');
        for (const id of d.centreIds) {
          const c = requireCentre(command.centres[id] ?? { status: 'unregistered' }, id);
          if (c.countyId !== d.countyId) refuse('BOARD.CENTRE_OF_OTHER_COUNTY', `Centre ${c.name} belongs to county ${c.countyId}, not ${d.countyId}; a board governs centres of its own county.`, 'rule', { centreId: id, centreCountyId: c.countyId });
        }
        assertRules(d.rules);
        return requireCentresOpenFor(d.centreIds, command.centres, [{ type: 'BoardEstablished', data: { ...d } }]);
      }
      case 'DissolveBoard': {
        const b = requireActive(state, command.data.boardId, null);
        const d = command.data;
        if (d.dissolvedOn < b.establishedOn) refuse('BOARD.DATE_BEFORE_ESTABLISHED', `A board cannot be dissolved (${d.dissolvedOn}) before it was established (${b.establishedOn}).`, 'rule');
        // A dissolved board no longer acts from dissolvedOn: its recorded proposals, votes and decisions must fall before it.
        const lastActed = latestActivity(b);
        if (lastActed !== null && d.dissolvedOn <= lastActed) {
          refuse('BOARD.DISSOLVED_BEFORE_ACTIVITY', `${b.name} still acted on ${lastActed} (a proposal tabled, a vote cast or a decision taken); it can be dissolved from ${addDays(lastActed, 1)} at the earliest, not ${d.dissolvedOn}.`, 'rule', { dissolvedOn: d.dissolvedOn, lastActedOn: lastActed });
        }
        if (d.replacedByBoardId !== null) {
          // The record names a successor: one of the same county, established, and not this board.
          if (d.replacedByBoardId === b.boardId) return refuse('BOARD.REPLACED_BY_ITSELF', `${b.name} cannot be replaced by itself; replacedByBoardId names the board that takes over.`, 'rule', { replacedByBoardId: d.replacedByBoardId });
          const r = command.replacement ?? { status: 'none' };
          if (r.status === 'none') return refuse('BOARD.NOT_FOUND', `No board with id ${d.replacedByBoardId} is established; establish the replacing board first.`, 'not-found', { boardId: d.replacedByBoardId });
          if (r.countyId !== b.countyId) {
            refuse('BOARD.REPLACEMENT_OF_OTHER_COUNTY', `${r.name} belongs to county ${r.countyId}, not ${b.countyId}; a board is replaced by one of its own county.`, 'rule', { replacedByBoardId: d.replacedByBoardId, replacementCountyId: r.countyId, countyId: b.countyId });
          }
        }
        return [{ type: 'BoardDissolved', data: { boardId: b.boardId, countyId: b.countyId, centreIds: b.centreIds, dissolvedOn: d.dissolvedOn, reason: d.reason, replacedByBoardId: d.replacedByBoardId } }];
      }
      case 'AppointBoardMember': {
        const b = requireActive(state, command.data.boardId, command.data.term.from);
        const { boardId: _b, ...m } = command.data;
        if (m.partyId === null && m.role !== 'staff-representative') refuse('BOARD.PARTY_REQUIRED', `A ${m.role} represents a party; name it (only staff representatives may represent no party).`, 'invalid', { role: m.role });
        if (m.partyId !== null) {
          const party = requireParty(command.parties[m.partyId] ?? { status: 'unregistered' }, m.partyId);
          // Another county's NAV office would become the board ground of this county's centres' NAV link, as its money or budget lines may not.
          if ((party.kind === 'nav-county-office' || party.kind === 'nav-local-office') && party.countyId !== null && party.countyId !== b.countyId) {
            refuse('BOARD.NAV_OF_OTHER_COUNTY', `${party.name} (${m.partyId}) is a NAV office of county ${party.countyId}; ${b.name} governs centres of county ${b.countyId}, so its members represent that county's NAV offices.`, 'rule', { partyId: m.partyId, partyCountyId: party.countyId, countyId: b.countyId });
          }
        }
        if (m.term.to !== null && m.term.to < m.term.from) refuse('BOARD.TERM_ENDS_BEFORE_START', `The term ends (${m.term.to}) before it starts (${m.term.from}).`, 'rule', { term: m.term });
        if (m.term.from < b.establishedOn) refuse('BOARD.DATE_BEFORE_ESTABLISHED', `The term cannot start (${m.term.from}) before the board was established (${b.establishedOn}).`, 'rule');
        const same = b.members.find((x) => x.personId === m.personId && periodsOverlap(x.term, m.term));
        if (same) refuse('BOARD.ALREADY_A_MEMBER', `${m.personId} is already a ${same.role} of ${b.name} (${same.term.from} – ${same.term.to ?? 'open'}).`, 'conflict', { personId: m.personId });
        if (m.role === 'chair' || m.role === 'deputy-chair') {
          const taken = b.members.find((x) => x.role === m.role && periodsOverlap(x.term, m.term));
          if (taken) refuse('BOARD.ROLE_TAKEN', `${b.name} already has a ${m.role} (${taken.personId}) in that period; end that term first.`, 'conflict', { role: m.role, personId: taken.personId });
        }
        return [{ type: 'BoardMemberAppointed', data: { boardId: b.boardId, countyId: b.countyId, ...m } }];
      }
      case 'EndBoardMember': {
        const b = requireActive(state, command.data.boardId, command.data.endedOn);
        const d = command.data;
        const terms = b.members.filter((x) => x.personId === d.personId);
        if (terms.length === 0) refuse('BOARD.NOT_A_MEMBER', `${d.personId} is not a member of ${b.name}.`, 'not-found', { personId: d.personId });
        const open = terms.find((x) => x.term.from <= d.endedOn && (x.term.to === null || x.term.to >= d.endedOn));
        if (!open) {
          if (terms.some((x) => x.term.from > d.endedOn)) refuse('BOARD.TERM_ENDS_BEFORE_START', `${d.personId}'s term starts after ${d.endedOn}.`, 'rule');
          refuse('BOARD.FORMER_MEMBER', `${d.personId}'s membership of ${b.name} had already ended by ${d.endedOn}.`, 'conflict', { personId: d.personId });
        }
        requireNoVoteAfterEnd(b, open!, d.endedOn);
        return [{ type: 'BoardMemberEnded', data: { boardId: b.boardId, countyId: b.countyId, personId: d.personId, endedOn: d.endedOn, reason: d.reason } }];
      }
      case 'TableProposal': {
        const d = command.data;
        const tabledOn = dayOf(d.tabledOn, ctx);
        const b = requireActive(state, d.boardId, tabledOn);
        // As votes and decisions (after the board's own checks, as they do): a proposal is recorded once tabled. One dated ahead would also hold the board open (no dissolving before it).
        const today = osloDateOf(ctx.now);
        if (tabledOn > today) refuse('BOARD.TABLED_IN_FUTURE', `A proposal is recorded once it is tabled; tabledOn (${tabledOn}) is after today (${today}).`, 'rule', { tabledOn, today });
        if (tabledOn < b.establishedOn) refuse('BOARD.DATE_BEFORE_ESTABLISHED', `A proposal cannot be tabled (${tabledOn}) before the board was established (${b.establishedOn}).`, 'rule');
        if (!command.issuer.isAdmin) requireOwnActOn(b.members, command.issuer.personId, tabledOn, b.name, osloDateOf(ctx.now));
        if (own(b.proposals, d.proposalId)) refuse('BOARD.PROPOSAL_EXISTS', `Proposal ${d.proposalId} is already on ${b.name}'s register.`, 'conflict', { proposalId: d.proposalId });
        const centreIds = d.centreIds ?? b.centreIds;
        for (const id of centreIds) if (!b.centreIds.includes(id)) refuse('BOARD.CENTRE_NOT_GOVERNED', `${b.name} does not govern centre ${id}.`, 'rule', { centreId: id });
        for (const id of centreIds) requireCentre(command.centres[id] ?? { status: 'unregistered' }, id);
        const content = normaliseContent(d.kind, d.content, command.parties, b.countyId);
        return requireCentresOpenFor(centreIds, command.centres, [
          { type: 'ProposalTabled', data: { boardId: b.boardId, countyId: b.countyId, proposalId: d.proposalId, centreIds, kind: d.kind, year: d.year, title: d.title, content, tabledBy: command.issuer.personId, tabledOn } },
        ]);
      }
      case 'CastVote': {
        const d = command.data;
        const castOn = dayOf(d.castOn, ctx);
        const b = requireActive(state, d.boardId, castOn);
        const p = requireOpenProposal(b, d.proposalId);
        // The ledger records votes cast: one dated after today (in Norway) has not been cast yet (and no decision could follow it).
        const today = osloDateOf(ctx.now);
        if (castOn > today) refuse('BOARD.VOTED_IN_FUTURE', `A vote is recorded once cast: castOn (${castOn}) is after today (${today}).`, 'rule', { castOn, today });
        if (castOn < p.tabledOn) refuse('BOARD.VOTE_BEFORE_TABLED', `A vote cannot be cast (${castOn}) before the proposal was tabled (${p.tabledOn}).`, 'rule');
        // An admin records a vote for a member (from the minutes); a member votes with their own token.
        const m = command.issuer.isAdmin ? requireMemberOn(b.members, d.personId, castOn, b.name) : requireOwnActOn(b.members, d.personId, castOn, b.name, today);
        // A vote is recorded for the proposal's centres, as a decision is: none dated on or after a centre's closure.
        for (const id of p.centreIds) requireCentre(command.centres[id] ?? { status: 'unregistered' }, id);
        let seat = d.personId;
        if (m.role === 'deputy-member') {
          if (d.standingInFor === null) refuse('BOARD.DEPUTY_NOT_STANDING_IN', `${d.personId} is a deputy member and votes only when standing in for a named member; say whom (standingInFor).`, 'rule', { personId: d.personId });
          const absent = membershipOn(b.members, d.standingInFor!, castOn);
          if (!absent || !SEAT_ROLES.includes(absent.role)) refuse('BOARD.STANDING_IN_FOR_NON_MEMBER', `${d.standingInFor} is not a member holding a seat on ${b.name} on ${castOn}; a deputy stands in only for one.`, 'rule', { standingInFor: d.standingInFor });
          seat = d.standingInFor!;
        } else if (d.standingInFor !== null && d.standingInFor !== d.personId) {
          refuse('BOARD.NOT_A_DEPUTY', `${d.personId} is a ${m.role}, not a deputy member, and votes only for their own seat.`, 'rule', { personId: d.personId });
        }
        if (own(p.votes, seat)) refuse('BOARD.ALREADY_VOTED', seat === d.personId ? `${d.personId} has already voted on proposal ${d.proposalId}; a member votes once.` : `${seat}'s seat has already voted on proposal ${d.proposalId}.`, 'conflict', { seat });
        if (Object.values(p.votes).some((v) => v.castBy === d.personId)) refuse('BOARD.ALREADY_VOTED', `${d.personId} has already voted on proposal ${d.proposalId}; a person votes once.`, 'conflict', { personId: d.personId });
        return requireCentresOpenFor(p.centreIds, command.centres, [
          { type: 'VoteCast', data: { boardId: b.boardId, countyId: b.countyId, proposalId: d.proposalId, personId: d.personId, vote: d.vote, standingInFor: seat === d.personId ? null : seat, castOn } },
        ]);
      }
      case 'CloseProposal': {
        const d = command.data;
        const closedOn = dayOf(d.closedOn, ctx);
        const b = requireActive(state, d.boardId, closedOn);
        const p = requireOpenProposal(b, d.proposalId);
        // The ledger records decisions taken: one dated after today (in Norway) has not been taken yet.
        const today = osloDateOf(ctx.now);
        if (closedOn > today) refuse('BOARD.DECIDED_IN_FUTURE', `A decision is recorded once it is taken; closedOn (${closedOn}) is after today (${today}).`, 'rule', { closedOn, today });
        if (closedOn < p.tabledOn) refuse('BOARD.CLOSE_BEFORE_TABLED', `A proposal cannot be closed (${closedOn}) before it was tabled (${p.tabledOn}).`, 'rule');
        // The decision counts the votes cast by its date: one dated before a recorded vote would count a vote not yet cast.
        const lastVote = latestDate(Object.values(p.votes).map((v) => v.castOn));
        if (lastVote !== null && closedOn < lastVote) {
          refuse('BOARD.CLOSE_BEFORE_VOTES', `The decision cannot be dated ${closedOn}, before votes already cast on this proposal (latest vote on ${lastVote}).`, 'rule', { closedOn, latestVoteOn: lastVote });
        }
        if (!command.issuer.isAdmin) {
          const m = requireOwnActOn(b.members, command.issuer.personId, closedOn, b.name, today);
          if (m.role === 'deputy-chair') {
            const chair = holderOfRole(b.members, 'chair', closedOn);
            if (chair && Object.values(p.votes).some((v) => v.castBy === chair.personId)) {
              refuse('BOARD.CHAIR_PRESENT', `The chair (${chair.personId}) took part in this proposal and closes it; the deputy chair closes only when the chair is away.`, 'forbidden', { chair: chair.personId });
            }
          } else if (m.role !== 'chair') {
            refuse('BOARD.NOT_THE_CHAIR', `Only the chair (or the deputy chair when the chair is away) closes a proposal; ${command.issuer.personId} is a ${m.role}.`, 'forbidden', { role: m.role });
          }
        }
        for (const id of p.centreIds) requireCentre(command.centres[id] ?? { status: 'unregistered' }, id);
        const result = countVotes(b, p, closedOn);
        if (d.expectedOutcome !== null && d.expectedOutcome !== result.outcome) {
          if (d.expectedOutcome === 'adopted' && !result.quorumMet) {
            refuse('BOARD.NO_QUORUM', `Proposal ${d.proposalId} cannot be adopted: ${result.tally.takingPart} of ${result.tally.seats} seats took part, quorum needs ${result.tally.quorumRequired}. Close it without declaring an outcome to record it rejected for NO_QUORUM.`, 'rule', { tally: result.tally });
          }
          refuse('BOARD.OUTCOME_MISMATCH', `The votes give ${result.outcome} (${result.reason}), not ${d.expectedOutcome}.`, 'rule', { tally: result.tally, outcome: result.outcome, reason: result.reason });
        }
        return requireCentresOpenFor(p.centreIds, command.centres, [
          {
            type: 'ProposalClosed',
            data: {
              boardId: b.boardId,
              countyId: b.countyId,
              proposalId: p.proposalId,
              centreIds: p.centreIds,
              kind: p.kind,
              year: p.year,
              title: p.title,
              outcome: result.outcome,
              reason: result.reason,
              tally: result.tally,
              quorumMet: result.quorumMet,
              content: p.content,
              closedBy: command.issuer.personId,
              closedOn,
              governedBy: 'board',
            },
          },
        ]);
      }
      default:
        return assertNever(command);
    }
  },
};
