import { BoardRole, BoardRules, BodyKind, CloseReason, DecisionContent, Outcome, ProposalKind, Tally, VoteChoice } from '../../../domain/src/governance';
import { IsoDate, Period, RecordedEvent } from '../../../domain/src/shared';
import { Projection } from '../projection';
import { EventRef, get, refOf, slot } from './evidence';

export interface MemberEntry {
  personId: string;
  name: string;
  partyId: string | null;
  role: BoardRole;
  term: Period;
  appointed: EventRef;
  ended: EventRef | null;
}

export interface VoteEntry {
  personId: string;
  vote: VoteChoice;
  standingInFor: string | null;
  castOn: IsoDate;
  event: EventRef;
}

export interface DecisionEntry {
  outcome: Outcome;
  reason: CloseReason;
  tally: Tally;
  quorumMet: boolean;
  closedBy: string;
  closedOn: IsoDate;
  event: EventRef;
}

export interface ProposalEntry {
  proposalId: string;
  kind: ProposalKind;
  year: number;
  title: string;
  centreIds: string[];
  content: DecisionContent;
  tabledBy: string;
  tabledOn: IsoDate;
  tabled: EventRef;
  votes: VoteEntry[];
  decision: DecisionEntry | null;
}

export interface BoardEntry {
  boardId: string;
  countyId: string;
  centreIds: string[];
  name: string;
  bodyKind: BodyKind;
  establishedOn: IsoDate;
  rules: BoardRules;
  established: EventRef;
  dissolvedOn: IsoDate | null;
  dissolution: { reason: string | null; replacedByBoardId: string | null; event: EventRef } | null;
  members: MemberEntry[];
  proposals: Record<string, ProposalEntry>;
}

export interface BoardRegisterView {
  boards: Record<string, BoardEntry>;
  /** centreId → the boards that have governed it, in order of establishment. */
  byCentre: Record<string, string[]>;
}

export const BOARD_REGISTER = 'board-register';

/** Every board's register: rules, members, proposals, votes and decisions, each with its event. */
export const boardRegisterProjection: Projection<BoardRegisterView> = {
  name: BOARD_REGISTER,
  version: 1,
  initial: () => ({ boards: {}, byCentre: {} }),
  evolve: (view, e: RecordedEvent) => {
    const d = e.data as any;
    if (e.type === 'BoardEstablished') {
      view.boards[d.boardId] = {
        boardId: d.boardId,
        countyId: d.countyId,
        centreIds: d.centreIds,
        name: d.name,
        bodyKind: d.bodyKind ?? 'board',
        establishedOn: d.establishedOn,
        rules: d.rules,
        established: refOf(e),
        dissolvedOn: null,
        dissolution: null,
        members: [],
        proposals: {},
      };
      for (const c of d.centreIds as string[]) slot(view.byCentre, c, () => ([])).push(d.boardId);
      return view;
    }
    const b = typeof d?.boardId === 'string' ? get(view.boards, d.boardId) : undefined;
    if (!b) return view;
    switch (e.type) {
      case 'BoardDissolved':
        b.dissolvedOn = d.dissolvedOn;
        b.dissolution = { reason: d.reason ?? null, replacedByBoardId: d.replacedByBoardId ?? null, event: refOf(e) };
        break;
      case 'BoardMemberAppointed':
        b.members.push({ personId: d.personId, name: d.name, partyId: d.partyId ?? null, role: d.role, term: d.term, appointed: refOf(e), ended: null });
        break;
      case 'BoardMemberEnded': {
        const m = b.members.find((x) => x.personId === d.personId && x.term.from <= d.endedOn && (x.term.to === null || x.term.to >= d.endedOn));
        if (m) {
          m.term = { from: m.term.from, to: d.endedOn };
          m.ended = refOf(e);
        }
        break;
      }
      case 'ProposalTabled':
        b.proposals[d.proposalId] = { proposalId: d.proposalId, kind: d.kind, year: d.year, title: d.title, centreIds: d.centreIds, content: d.content, tabledBy: d.tabledBy, tabledOn: d.tabledOn, tabled: refOf(e), votes: [], decision: null };
        break;
      case 'VoteCast':
        get(b.proposals, d.proposalId)?.votes.push({ personId: d.personId, vote: d.vote, standingInFor: d.standingInFor ?? null, castOn: d.castOn, event: refOf(e) });
        break;
      case 'ProposalClosed': {
        const p = get(b.proposals, d.proposalId);
        if (p) p.decision = { outcome: d.outcome, reason: d.reason, tally: d.tally, quorumMet: d.quorumMet, closedBy: d.closedBy, closedOn: d.closedOn, event: refOf(e) };
        break;
      }
    }
    return view;
  },
};
