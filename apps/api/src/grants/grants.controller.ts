import { applyDecorators, Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiParam, ApiQuery, ApiTags, OmitType } from '@nestjs/swagger';
import { AllocateBaseGrantBody, AmendGrantSchemeDto, CorrectBaseGrantAllocationBody, PublishGrantSchemeDto } from '../../../../libs/application/src/grants/dtos';
import { CRITERIA_SETS } from '../../../../libs/domain/src/grants/criteria';
import { DomainError } from '../../../../libs/domain/src/shared';
import {
  allEligibility,
  allEligibilityJson,
  allocationAnswer,
  countyEligibilityJson,
  eligibilityCsv,
  GRANTS_VIEW,
  GrantsView,
  parseDetail,
  schemeAnswer,
  schemesList,
  verdictsOf,
} from '../../../../libs/projections/src/grants';
import { READERS, Roles } from '../auth/decorators';
import { ApiCommandResponses, ApiQueryResponses, ApiRefusals, RouteRefusal } from '../http/openapi';
import { onlyFields, RetryOfRefusedBody } from '../http/refused-retry';
import { CommandGateway, HttpLikeRequest } from '../ledger/command-gateway';
import { parseAsOf, QueryGate } from '../ledger/query-gate';
import { CachedAnswer } from '../http/answer-cache';
import { answersCsv } from '../http/content-negotiation';
import { ApiPaging, paged, PagedRequest } from '../http/paging';
import { TakesAtPosition } from '../http/read-cuts';

class AmendGrantSchemeBody extends OmitType(AmendGrantSchemeDto, ['year'] as const) {}

/** A year (from the path, or a list's ?year=), or a 400. */
export const yearParam = (raw: string): number => {
  const year = Number(raw);
  if (!/^\d{4}$/.test(raw) || year < 2000 || year > 2100) throw new DomainError('REQUEST.BAD_YEAR', `year must be a four-digit year from 2000 to 2100, not "${raw}".`, 'invalid', { year: raw });
  return year;
};

const AT_POSITION = applyDecorators(
  ApiQuery({
    name: 'atPosition',
    required: false,
    schema: { type: 'integer', minimum: 0 },
    description:
      "Answer from the views at this global log position (0 to the head; not with asOf): an allocation's `reproduceWith` names its snapshot's position, so its verdicts come back exactly. 400 REQUEST.BAD_POSITION otherwise; with asOf, 400 REQUEST.AS_OF_WITH_AT_POSITION.",
  }),
  ApiRefusals('REQUEST.BAD_POSITION', 'REQUEST.AS_OF_WITH_AT_POSITION'),
  // Every other read route refuses atPosition (400 REQUEST.AT_POSITION_NOT_SUPPORTED, http/read-cuts.ts).
  TakesAtPosition(),
);

const DETAIL = applyDecorators(
  ApiQuery({ name: 'detail', required: false, enum: ['full', 'summary'], description: 'full (default): every centre with its sub-criteria and evidence; summary: each centre as its verdict and failed criteria' }),
  ApiRefusals('REQUEST.BAD_DETAIL'),
);

/** What a year's eligibility (computed from the views) can refuse: the year, an unpublished scheme, a criteria set this ledger does not know. */
const ELIGIBILITY: RouteRefusal[] = ['REQUEST.BAD_YEAR', 'GRANT_SCHEME.NOT_FOUND', ['GRANT_SCHEME.UNKNOWN_CRITERIA_SET', 422]];

/** An allocation or its correction: the route computes the eligibility from the current views first. */
const ALLOCATING: RouteRefusal[] = [...ELIGIBILITY, 'REQUEST.BAD_POSITION', 'VIEWS.CATCHING_UP'];

interface ReplyLike {
  header(name: string, value: string): unknown;
  getHeader(name: string): unknown;
}

/** Sends JSON text the query layer already serialised (and cached) as it is. */
const json = <T extends string | Buffer>(reply: ReplyLike, text: T): T => {
  reply.header('content-type', 'application/json; charset=utf-8');
  return text;
};

@ApiTags('grants: Vox base grant')
@ApiBearerAuth()
@Controller()
export class GrantsController {
  constructor(@Inject(CommandGateway) private readonly commands: CommandGateway, @Inject(QueryGate) private readonly queries: QueryGate) {}

  @Get('grant-criteria-sets')
  @CachedAnswer()
  @Roles(...READERS)
  @ApiOperation({ summary: 'The criteria sets a scheme can name, with their default windows and why each default was chosen' })
  @ApiPaging('criteria set id')
  @ApiQueryResponses()
  async criteriaSets(@Req() req: PagedRequest & { headers: Record<string, unknown> }, @Res({ passthrough: true }) reply: ReplyLike) {
    // The sets are code, the same at every recorded time; a malformed asOf or X-Ledger-Position is still a 400, as on every read route.
    parseAsOf(req.query?.asOf);
    await this.queries.ready(req.headers);
    return paged(Object.values(CRITERIA_SETS), (s) => s.id, req, reply).map((s) => ({
      id: s.id,
      title: s.title,
      introducedFor: s.introducedFor,
      requiredTargetGroups: s.requiredTargetGroups,
      exampleDefaultWindows: { year: s.introducedFor, judgingDate: `${s.introducedFor}-03-01`, windows: s.defaultWindows(s.introducedFor, `${s.introducedFor}-03-01`) },
      defaultsExplained: s.defaultsExplained,
    }));
  }

  @Post('grant-schemes')
  @Roles('vox')
  @ApiOperation({ summary: "Publish a year's grant scheme: base-grant sum, criteria set, judging date, and windows that differ from the defaults (Vox)" })
  @ApiCommandResponses('PublishGrantScheme')
  publish(@Body() body: PublishGrantSchemeDto, @Req() req: HttpLikeRequest) {
    return this.commands.run('PublishGrantScheme', body, req);
  }

  @Get('grant-schemes')
  @CachedAnswer()
  @Roles(...READERS)
  @ApiOperation({ summary: 'Every published grant scheme' })
  @ApiPaging('year')
  @ApiQueryResponses()
  async schemes(@Req() req: HttpLikeRequest & PagedRequest, @Res({ passthrough: true }) reply: ReplyLike) {
    return paged(schemesList(await this.queries.view<GrantsView>(GRANTS_VIEW, req)), (s) => s.year, req, reply);
  }

  @Get('grant-schemes/:year')
  @CachedAnswer()
  @Roles(...READERS)
  @ApiOperation({ summary: "One year's scheme: its terms, resolved windows, overrides, the defaults explained, and its history" })
  @ApiParam({ name: 'year', example: 2014 })
  @ApiQueryResponses({ refusals: ['REQUEST.BAD_YEAR', 'GRANT_SCHEME.NOT_FOUND'] })
  async scheme(@Param('year') year: string, @Req() req: HttpLikeRequest) {
    return schemeAnswer(await this.queries.view<GrantsView>(GRANTS_VIEW, req), yearParam(year));
  }

  @Post('grant-schemes/:year/amendments')
  @HttpCode(200)
  @Roles('vox')
  @ApiOperation({ summary: 'Amend a scheme until its base grant is allocated (Vox)' })
  @ApiParam({ name: 'year', example: 2014 })
  @ApiCommandResponses('AmendGrantScheme', 'REQUEST.BAD_YEAR')
  @RetryOfRefusedBody({ payload: (body, params) => ({ ...body, year: yearParam(params.year) }) })
  amend(@Param('year') year: string, @Body() body: AmendGrantSchemeBody, @Req() req: HttpLikeRequest) {
    return this.commands.run('AmendGrantScheme', { ...body, year: yearParam(year) }, req);
  }

  @Get('grant-schemes/:year/eligibility')
  @CachedAnswer()
  @Roles(...READERS)
  @ApiOperation({ summary: "Every county's base-grant eligibility for the year, with every criterion's verdict, reasons (nb/en), deciding events and what is missing; JSON or CSV (Accept: text/csv)" })
  @ApiParam({ name: 'year', example: 2014 })
  @DETAIL
  @AT_POSITION
  @ApiQueryResponses({ produces: ['application/json', 'text/csv'], refusals: ELIGIBILITY })
  async eligibility(@Param('year') year: string, @Query('detail') detail: unknown, @Req() req: HttpLikeRequest, @Res({ passthrough: true }) reply: ReplyLike) {
    const view = await this.queries.viewAtPosition<GrantsView>(GRANTS_VIEW, req);
    if (!answersCsv(req, reply)) return json(reply, allEligibilityJson(view, yearParam(year), parseDetail(detail)));
    const all = allEligibility(view, yearParam(year));
    reply.header('content-type', 'text/csv; charset=utf-8');
    reply.header('content-disposition', `inline; filename="eligibility-${all.year}.csv"`);
    return eligibilityCsv(all);
  }

  @Get('grant-schemes/:year/eligibility/:countyId')
  @CachedAnswer()
  @Roles(...READERS)
  @ApiOperation({ summary: "One county's base-grant eligibility for the year: each criterion and sub-criterion with pass/fail, reasons (nb/en), the deciding events, the qualifying centres and what is missing" })
  @ApiParam({ name: 'year', example: 2014 })
  @ApiParam({ name: 'countyId', example: 'telemark' })
  @DETAIL
  @AT_POSITION
  @ApiQueryResponses({ refusals: [...ELIGIBILITY, 'COUNTY.NOT_FOUND'] })
  async countyEligibility(@Param('year') year: string, @Param('countyId') countyId: string, @Query('detail') detail: unknown, @Req() req: HttpLikeRequest, @Res({ passthrough: true }) reply: ReplyLike) {
    return json(reply, countyEligibilityJson(await this.queries.viewAtPosition<GrantsView>(GRANTS_VIEW, req), yearParam(year), countyId, parseDetail(detail)));
  }

  @Get('counties/:countyId/eligibility/:year')
  @CachedAnswer()
  @Roles(...READERS)
  @ApiOperation({ summary: "The same answer from the county's side: why it did or did not qualify for the year's base grant" })
  @ApiParam({ name: 'countyId', example: 'telemark' })
  @ApiParam({ name: 'year', example: 2014 })
  @DETAIL
  @AT_POSITION
  @ApiQueryResponses({ refusals: [...ELIGIBILITY, 'COUNTY.NOT_FOUND'] })
  async eligibilityOfCounty(@Param('countyId') countyId: string, @Param('year') year: string, @Query('detail') detail: unknown, @Req() req: HttpLikeRequest, @Res({ passthrough: true }) reply: ReplyLike) {
    return json(reply, countyEligibilityJson(await this.queries.viewAtPosition<GrantsView>(GRANTS_VIEW, req), yearParam(year), countyId, parseDetail(detail)));
  }

  @Post('grant-schemes/:year/allocation')
  @Roles('vox')
  @ApiOperation({
    summary:
      "Allocate the year's base grant (from the scheme's judging date on): the ledger computes every county's eligibility now, splits the sum equally among the eligible counties to the øre (remainder øre one each in ascending county number) and records it with the snapshot (Vox)",
  })
  @ApiParam({ name: 'year', example: 2014 })
  @ApiCommandResponses('AllocateBaseGrant', ...ALLOCATING)
  // Every field is optional: no body at all is a valid request.
  @ApiBody({ type: AllocateBaseGrantBody, required: false })
  // What the client sent (the command's idempotencyPayload is made of it; the snapshot is the server's).
  @RetryOfRefusedBody({
    payload: (body, params) => {
      onlyFields(body, ['note']);
      return { year: yearParam(params.year), note: body.note };
    },
  })
  async allocate(@Param('year') year: string, @Body() body: AllocateBaseGrantBody, @Req() req: HttpLikeRequest) {
    const y = yearParam(year);
    // Always from the current views (never an `asOf`): an allocation follows what the ledger knows now.
    const all = allEligibility(await this.queries.view<GrantsView>(GRANTS_VIEW, { headers: req.headers }), y);
    return this.commands.run('AllocateBaseGrant', { year: y, note: body.note, schemeVersion: all.scheme.version, basedOnPosition: all.asOfPosition, verdicts: verdictsOf(all) }, req);
  }

  @Post('grant-schemes/:year/allocation/corrections')
  @Roles('vox')
  @ApiOperation({ summary: 'Correct the allocation: recompute from the eligibility now, with verdicts Vox overrides by hand, and record why (Vox)' })
  @ApiParam({ name: 'year', example: 2014 })
  @ApiCommandResponses('CorrectBaseGrantAllocation', ...ALLOCATING)
  @RetryOfRefusedBody({
    payload: (body, params) => {
      onlyFields(body, ['reason', 'overrides']);
      return { year: yearParam(params.year), reason: body.reason, overrides: body.overrides ?? [] };
    },
  })
  async correct(@Param('year') year: string, @Body() body: CorrectBaseGrantAllocationBody, @Req() req: HttpLikeRequest) {
    const y = yearParam(year);
    const all = allEligibility(await this.queries.view<GrantsView>(GRANTS_VIEW, { headers: req.headers }), y);
    return this.commands.run(
      'CorrectBaseGrantAllocation',
      { year: y, reason: body.reason, overrides: body.overrides ?? [], schemeVersion: all.scheme.version, basedOnPosition: all.asOfPosition, verdicts: verdictsOf(all) },
      req,
    );
  }

  @Get('grant-schemes/:year/allocation')
  @CachedAnswer()
  @Roles(...READERS)
  @ApiOperation({ summary: "The year's base-grant allocation as it stands: each eligible county's part, the total, the eligibility snapshot (scheme version, log position, verdicts) and every correction" })
  @ApiParam({ name: 'year', example: 2014 })
  @ApiQueryResponses({ refusals: ['REQUEST.BAD_YEAR', 'GRANT_SCHEME.NOT_FOUND', ['BASE_GRANT.NOT_ALLOCATED', 404]] })
  async allocation(@Param('year') year: string, @Req() req: HttpLikeRequest) {
    return allocationAnswer(await this.queries.view<GrantsView>(GRANTS_VIEW, req), yearParam(year));
  }
}
