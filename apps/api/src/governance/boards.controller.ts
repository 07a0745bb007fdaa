import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags, OmitType } from '@nestjs/swagger';
import {
  AppointBoardMemberDto,
  CastVoteDto,
  CloseProposalDto,
  DissolveBoardDto,
  EndBoardMemberDto,
  EstablishBoardDto,
  TableProposalDto,
} from '../../../../libs/application/src/governance/dtos';
import { DomainError } from '../../../../libs/domain/src/shared';
import { PROPOSAL_KINDS } from '../../../../libs/domain/src/governance/content';
import { EventStore } from '../../../../libs/event-store/src/port';
import { boardDetailReads, boardRegister, get, listBoards, proposalOf } from '../../../../libs/projections/src/governance';
import { READERS, Roles } from '../auth/decorators';
import { ApiCommandResponses, ApiFilterQuery, ApiQueryResponses, ApiYearQuery } from '../http/openapi';
import { CommandGateway, HttpLikeRequest } from '../ledger/command-gateway';
import { QueryGate } from '../ledger/query-gate';
import { EVENT_STORE } from '../ledger/tokens';
import { governanceAnswer, governanceViews, notFound } from './governance-views';
import { CachedAnswer } from '../http/answer-cache';
import { ApiPaging, HeaderTarget, paged, PagedRequest } from '../http/paging';
import { COUNTY_FILTER, queryFilter, queryFilterOf, requireRegisteredCounty } from '../http/query-filter';

class DissolveBody extends OmitType(DissolveBoardDto, ['boardId'] as const) {}
class AppointBody extends OmitType(AppointBoardMemberDto, ['boardId'] as const) {}
class EndMemberBody extends OmitType(EndBoardMemberDto, ['boardId', 'personId'] as const) {}
class TableBody extends OmitType(TableProposalDto, ['boardId'] as const) {}
class VoteBody extends OmitType(CastVoteDto, ['boardId', 'proposalId'] as const) {}
class CloseBody extends OmitType(CloseProposalDto, ['boardId', 'proposalId'] as const) {}

const FINANCE = ['finance-officer', 'admin'] as const;
/** In this order: the acting role is the first one the token holds, so a member who is also admin votes as a member. */
const MEMBERS = ['board-member', 'admin'] as const;

const yearOf = (raw: unknown): number | undefined => {
  const year = queryFilter(raw, 'year');
  if (year === undefined) return undefined;
  if (!/^\d{4}$/.test(year)) throw new DomainError('REQUEST.BAD_YEAR', 'year must be a four-digit year such as 2014.', 'invalid');
  return Number(year);
};

@ApiTags('governance: boards')
@ApiBearerAuth()
@Controller('boards')
export class BoardsController {
  constructor(
    @Inject(CommandGateway) private readonly commands: CommandGateway,
    @Inject(QueryGate) private readonly queries: QueryGate,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  @Post()
  @Roles(...FINANCE)
  @ApiOperation({ summary: 'Establish a board (or steering group) for centres of a county, with rules of procedure (finance officers of that county)' })
  @ApiCommandResponses('EstablishBoard')
  establish(@Body() body: EstablishBoardDto, @Req() req: HttpLikeRequest) {
    return this.commands.run('EstablishBoard', body, req);
  }

  @Get()
  @CachedAnswer()
  @Roles(...READERS)
  @ApiOperation({ summary: 'Every board, optionally of one county' })
  @ApiFilterQuery('countyId', COUNTY_FILTER)
  @ApiPaging('boardId')
  @ApiQueryResponses({ refusals: ['COUNTY.NOT_FOUND'] })
  async list(@Query('countyId') countyId: unknown, @Req() req: HttpLikeRequest & PagedRequest, @Res({ passthrough: true }) reply: HeaderTarget) {
    const county = queryFilter(countyId, 'countyId');
    const v = await governanceViews(this.queries, req);
    requireRegisteredCounty(county, v.directory.counties);
    return paged(listBoards(v.boards, county), (b) => b.boardId, req, reply);
  }

  @Get(':boardId')
  @CachedAnswer()
  @Roles(...READERS)
  @ApiOperation({ summary: "The board's register: rules, members, proposals, votes and decisions, each with its event" })
  @ApiYearQuery(1000, 9999, 'REQUEST.BAD_YEAR', 'Only proposals and decisions of this year, four digits (400 REQUEST.BAD_YEAR otherwise)')
  @ApiFilterQuery('kind', { enum: PROPOSAL_KINDS, description: 'Only proposals and decisions of this kind; any other value is 400 REQUEST.BAD_FILTER' })
  @ApiQueryResponses({ refusals: ['BOARD.NOT_FOUND'] })
  async register(@Param('boardId') boardId: string, @Query('year') year: unknown, @Query('kind') kind: unknown, @Req() req: HttpLikeRequest) {
    const q = { year: yearOf(year), kind: queryFilterOf(kind, 'kind', PROPOSAL_KINDS) };
    // Proposals and votes in full come from the board's own stream (read with the views at one position: governanceAnswer).
    return governanceAnswer(this.queries, this.store, req, async (v, detail) => {
      const r = get(v.boards.boards, boardId) ? boardRegister({ boards: (await detail(boardDetailReads(boardId))).boards, parties: v.parties }, boardId, q) : null;
      if (!r) throw notFound('BOARD.NOT_FOUND', `No board with id ${boardId} is established.`);
      return r;
    });
  }

  @Get(':boardId/proposals/:proposalId')
  @CachedAnswer()
  @Roles(...READERS)
  @ApiOperation({ summary: 'One proposal with its votes and decision' })
  @ApiQueryResponses({ refusals: ['BOARD.NOT_FOUND', 'BOARD.PROPOSAL_NOT_FOUND'] })
  async proposal(@Param('boardId') boardId: string, @Param('proposalId') proposalId: string, @Req() req: HttpLikeRequest) {
    return governanceAnswer(this.queries, this.store, req, async (v, detail) => {
      if (!get(v.boards.boards, boardId)) throw notFound('BOARD.NOT_FOUND', `No board with id ${boardId} is established.`);
      const { board: b, proposal: p } = proposalOf((await detail(boardDetailReads(boardId))).boards, boardId, proposalId);
      if (!b) throw notFound('BOARD.NOT_FOUND', `No board with id ${boardId} is established.`);
      if (!p) throw notFound('BOARD.PROPOSAL_NOT_FOUND', `${b.name} has no proposal ${proposalId}.`);
      return p;
    });
  }

  @Post(':boardId/dissolve')
  @HttpCode(200)
  @Roles(...FINANCE)
  @ApiOperation({ summary: 'Dissolve a board or steering group (e.g. replaced by a new board)' })
  @ApiCommandResponses('DissolveBoard')
  dissolve(@Param('boardId') boardId: string, @Body() body: DissolveBody, @Req() req: HttpLikeRequest) {
    return this.commands.run('DissolveBoard', { ...body, boardId }, req);
  }

  @Post(':boardId/members')
  @Roles(...FINANCE)
  @ApiOperation({ summary: 'Appoint a member: person, party represented, role, term' })
  @ApiCommandResponses('AppointBoardMember')
  appoint(@Param('boardId') boardId: string, @Body() body: AppointBody, @Req() req: HttpLikeRequest) {
    return this.commands.run('AppointBoardMember', { ...body, boardId }, req);
  }

  @Post(':boardId/members/:personId/end')
  @HttpCode(200)
  @Roles(...FINANCE)
  @ApiOperation({ summary: "End a member's term (endedOn = last day as a member; again with an earlier day to correct it), never before a vote already cast in that term" })
  @ApiCommandResponses('EndBoardMember')
  endMember(@Param('boardId') boardId: string, @Param('personId') personId: string, @Body() body: EndMemberBody, @Req() req: HttpLikeRequest) {
    return this.commands.run('EndBoardMember', { ...body, boardId, personId }, req);
  }

  @Post(':boardId/proposals')
  @Roles(...MEMBERS)
  @ApiOperation({ summary: 'Table a proposal (members of this board)' })
  @ApiCommandResponses('TableProposal')
  table(@Param('boardId') boardId: string, @Body() body: TableBody, @Req() req: HttpLikeRequest) {
    return this.commands.run('TableProposal', { ...body, boardId }, req);
  }

  @Post(':boardId/proposals/:proposalId/votes')
  @Roles(...MEMBERS)
  @ApiOperation({ summary: 'Vote for, against or abstain, as yourself (a current member of this board, once; deputies standing in for a named member)' })
  @ApiCommandResponses('CastVote')
  vote(@Param('boardId') boardId: string, @Param('proposalId') proposalId: string, @Body() body: VoteBody, @Req() req: HttpLikeRequest) {
    return this.commands.run('CastVote', { ...body, boardId, proposalId }, req);
  }

  @Post(':boardId/proposals/:proposalId/close')
  @HttpCode(200)
  @Roles(...MEMBERS)
  @ApiOperation({ summary: 'Close a proposal (the chair, or the deputy chair when the chair is away): adopted or rejected from the votes, quorum and tie-break rules' })
  @ApiCommandResponses('CloseProposal')
  // Every field is optional: no body at all is a valid request.
  @ApiBody({ type: CloseBody, required: false })
  close(@Param('boardId') boardId: string, @Param('proposalId') proposalId: string, @Body() body: CloseBody, @Req() req: HttpLikeRequest) {
    return this.commands.run('CloseProposal', { ...body, boardId, proposalId }, req);
  }
}
