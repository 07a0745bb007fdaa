import { BoardRole, boardStream, CloseReason, countyLineStream, DecisionContent, Outcome, ProposalKind, Tally, VoteChoice } from '../../../domain/src/governance';
import { IsoDate, Period, RecordedEvent } from '../../../domain/src/shared';
import { DirectoryView } from '../directory/centre-directory';
import { foldEvents, Projection } from '../projection';
import { BoardRegisterView, EstablishedBoard, establishedBoard } from './board-register';
import { EventRef, get, refOf, slot } from './evidence';
import type { CountyLineView } from './places-and-lines';

/*
 * The full detail of boards and county-line decisions: every proposal, vote and decision with its
 * content. It is NOT a live projection (at 1,000,000 events it would be ~120 MB of JSON): the routes
 * that show one board or one centre fold the few streams they need (`board-<id>`,
 * `county-line-<countyId>`) through these pure folds on demand. Folding the events of those streams in
 * position order gives exactly what a fold of the whole log gives for them.
 */

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

export interface BoardEntry extends EstablishedBoard {
  dissolution: { reason: string | null; replacedByBoardId: string | null; event: EventRef } | null;
  members: MemberEntry[];
  proposals: Record<string, ProposalEntry>;
}

/** Boards in full (rules, members, proposals, votes, decisions), for the boards whose streams were folded. */
export interface BoardDetailView {
  boards: Record<string, BoardEntry>;
  /** centreId → the boards that have governed it, in the order they were recorded (not of establishment). */
  byCentre: Record<string, string[]>;
}

/** Every board's register in full, each fact with its event. Fold a board's stream through it. */
export const boardDetailFold: Projection<BoardDetailView> = {
  name: 'board-detail',
  version: 1,
  initial: () => ({ boards: {}, byCentre: {} }),
  evolve: (view, e: RecordedEvent) => {
    const d = e.data as any;
    if (e.type === 'BoardEstablished') {
      view.boards[d.boardId] = {
        ...establishedBoard(d, e),
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

export interface CountyLineDecisionEntry {
  decisionId: string;
  countyId: string;
  centreIds: string[];
  kind: ProposalKind;
  year: number;
  title: string;
  content: DecisionContent;
  decidedOn: IsoDate;
  decidedBy: string;
  event: EventRef;
}

/** countyId → the decisions its county authority recorded directly (centres without a board), in full. */
export type CountyLineDetailView = Record<string, CountyLineDecisionEntry[]>;

/** County-line decisions in full. Fold a county's `county-line-<countyId>` stream through it. */
export const countyLineDetailFold: Projection<CountyLineDetailView> = {
  name: 'county-line-detail',
  version: 1,
  initial: () => ({}),
  evolve: (view, e: RecordedEvent) => {
    if (e.type === 'CountyLineDecisionRecorded') {
      const d = e.data as any;
      slot(view, d.countyId, () => ([])).push({ decisionId: d.decisionId, countyId: d.countyId, centreIds: d.centreIds, kind: d.kind, year: d.year, title: d.title, content: d.content, decidedOn: d.decidedOn, decidedBy: d.decidedBy, event: refOf(e) });
    }
    return view;
  },
};

/** The detail a single-board or single-centre answer needs, folded from the events of its streams. */
export interface GovernanceDetail {
  boards: BoardDetailView;
  countyLine: CountyLineDetailView;
}

/** Folds events (of any streams, in any order: they are taken in position order) into the detail. */
export const governanceDetail = (events: readonly RecordedEvent[]): GovernanceDetail => {
  const sorted = [...events].sort((a, b) => a.position - b.position).filter((e, i, all) => i === 0 || all[i - 1].position !== e.position);
  return { boards: foldEvents(boardDetailFold, sorted), countyLine: foldEvents(countyLineDetailFold, sorted) };
};

/** What a detail folds: a whole stream, or only the events at some revisions of it. */
export interface DetailRead {
  streamId: string;
  revisions?: number[];
}

/** What a board's register folds: the board's stream. */
export const boardDetailReads = (boardId: string): DetailRead[] => [{ streamId: boardStream(boardId) }];

/** What the county-line decisions of a county fold: the county's county-line stream. */
export const countyLineDetailReads = (countyId: string): DetailRead[] => [{ streamId: countyLineStream(countyId) }];

/**
 * What a centre's governance profile folds: the streams of every board that has governed it, and the
 * county-line decisions that name it (by revision). Read from the compact views (the same position).
 */
export const profileDetailReads = (views: { directory: DirectoryView; boards: BoardRegisterView; countyLine: CountyLineView }, centreId: string): DetailRead[] => {
  const centre = get(views.directory.centres, centreId);
  if (!centre) return [];
  const reads: DetailRead[] = [...new Set(get(views.boards.byCentre, centreId) ?? [])].map((id) => ({ streamId: boardStream(id) }));
  const county = get(views.countyLine.centres, centre.countyId);
  const line = county ? get(county, centreId) : undefined;
  if (line) reads.push({ streamId: countyLineStream(centre.countyId), revisions: line.r });
  return reads;
};
