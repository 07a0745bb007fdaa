import { BoardRole, BoardRules, BodyKind, ProposalKind } from '../../../domain/src/governance';
import { IsoDate, RecordedEvent } from '../../../domain/src/shared';
import { Projection } from '../projection';
import { indexDecision, isInputKind, KindIndex, NavParties, navPartiesOf, noNavParties, noteParty, TitleTails } from './decision-index';
import { EventRef, get, has, packId, refOf, slot } from './evidence';

/** A member and term: `[personId, name, partyId, role, from, to, packed eventId, position]` (the appointing event). */
export type MemberRow = [string, string, string | null, BoardRole, IsoDate, IsoDate | null, string, number];

/** What a board record says of the board itself, in the register and in a board's full detail alike. */
export interface EstablishedBoard {
  boardId: string;
  countyId: string;
  centreIds: string[];
  name: string;
  bodyKind: BodyKind;
  establishedOn: IsoDate;
  rules: BoardRules;
  established: EventRef;
  dissolvedOn: IsoDate | null;
}

export interface BoardSummary extends EstablishedBoard {
  members: MemberRow[];
  /** How many proposals were tabled. */
  proposals: number;
}

/** What a BoardEstablished event says of a board, as both the register and a board's full detail keep it. */
export const establishedBoard = (d: any, e: RecordedEvent): EstablishedBoard => ({
  boardId: d.boardId,
  countyId: d.countyId,
  centreIds: d.centreIds,
  name: d.name,
  bodyKind: d.bodyKind ?? 'board',
  establishedOn: d.establishedOn,
  rules: d.rules,
  established: refOf(e),
  dissolvedOn: null,
});

/** An open proposal of an input kind, until it closes: `[kind, year, title, centreIds, navInput, navLines]`. */
export type OpenProposal = [ProposalKind, number, string, string[], number[], number[]];

/**
 * Every board's rules, members and terms, and what the NAV link needs of its decisions. Not every
 * proposal and vote: a board's full register is folded from its own stream on demand (board-detail.ts).
 */
export interface BoardRegisterView extends TitleTails {
  boards: Record<string, BoardSummary>;
  /** centreId → the boards that have governed it, in the order they were recorded (not of establishment). */
  byCentre: Record<string, string[]>;
  /** boardId → proposalId → open proposals of an input kind (budget, goals, plans). */
  open: Record<string, Record<string, OpenProposal>>;
  /** centreId → kind → the board decisions adopted for it (input kinds only). */
  decisions: Record<string, KindIndex>;
  nav: NavParties;
}

export const BOARD_REGISTER = 'board-register';

export const boardRegisterProjection: Projection<BoardRegisterView> = {
  name: BOARD_REGISTER,
  version: 2,
  // VoteCast is not among them: votes are read from the board's stream when its register is shown.
  eventTypes: ['PartyRegistered', 'BoardEstablished', 'BoardDissolved', 'BoardMemberAppointed', 'BoardMemberEnded', 'ProposalTabled', 'ProposalClosed'],
  initial: () => ({ boards: {}, byCentre: {}, open: {}, decisions: {}, nav: noNavParties(), tails: [], tailAt: {} }),
  evolve: (view, e: RecordedEvent) => {
    const d = e.data as any;
    if (e.type === 'PartyRegistered') {
      noteParty(view.nav, d);
      return view;
    }
    if (e.type === 'BoardEstablished') {
      view.boards[d.boardId] = { ...establishedBoard(d, e), members: [], proposals: 0 };
      if (has(view.open, d.boardId)) delete view.open[d.boardId];
      for (const c of d.centreIds as string[]) slot(view.byCentre, c, () => ([])).push(d.boardId);
      return view;
    }
    const b = typeof d?.boardId === 'string' ? get(view.boards, d.boardId) : undefined;
    if (!b) return view;
    switch (e.type) {
      case 'BoardDissolved':
        b.dissolvedOn = d.dissolvedOn;
        break;
      case 'BoardMemberAppointed':
        b.members.push([d.personId, d.name, d.partyId ?? null, d.role, d.term.from, d.term.to, packId(e.eventId), e.position]);
        break;
      case 'BoardMemberEnded': {
        const m = b.members.find((x) => x[0] === d.personId && x[4] <= d.endedOn && (x[5] === null || x[5] >= d.endedOn));
        if (m) m[5] = d.endedOn;
        break;
      }
      case 'ProposalTabled': {
        b.proposals++;
        const open = slot(view.open, b.boardId, () => ({} as Record<string, OpenProposal>));
        if (isInputKind(d.kind)) {
          const [navInput, navLines] = navPartiesOf(d.content, view.nav);
          open[d.proposalId] = [d.kind, d.year, d.title, d.centreIds, navInput, navLines];
        } else if (has(open, d.proposalId)) delete open[d.proposalId];
        break;
      }
      case 'ProposalClosed': {
        const open = get(view.open, b.boardId);
        const p = open ? get(open, d.proposalId) : undefined;
        if (!open || !p) break;
        delete open[d.proposalId];
        if (d.outcome !== 'adopted') break;
        const [kind, year, title, centreIds, navInput, navLines] = p;
        for (const c of new Set(centreIds)) {
          if (b.centreIds.includes(c)) indexDecision(slot(view.decisions, c, () => ({} as KindIndex)), view, kind, d.closedOn, e.position, e.eventId, year, title, navInput, navLines);
        }
        break;
      }
    }
    return view;
  },
};
