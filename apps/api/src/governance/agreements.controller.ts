import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags, OmitType } from '@nestjs/swagger';
import {
  AmendOwnerAgreementDto,
  AmendPartnershipAgreementDto,
  AssignCoordinatingFunctionDto,
  CorrectCoLocationDto,
  EndCoordinatingFunctionDto,
  RecordCoLocationDto,
  RecordCountyLineDecisionDto,
  RegisterOwnerAgreementDto,
  SignPartnershipAgreementDto,
  TerminateOwnerAgreementDto,
  TerminatePartnershipAgreementDto,
  WithdrawCoLocationDto,
} from '../../../../libs/application/src/governance/dtos';
import { EventStore } from '../../../../libs/event-store/src/port';
import { centreOfAgreement, countyLineDetailReads, everyCountysPartnership, get, has, noAgreementOfCentre, ownerAgreementHistory, ownerAgreementsOfCentre, ownersOn, partnershipOn } from '../../../../libs/projections/src/governance';
import { READERS, Roles } from '../auth/decorators';
import { ApiCommandResponses, ApiQueryResponses, DATE_QUERY } from '../http/openapi';
import { CommandGateway, HttpLikeRequest } from '../ledger/command-gateway';
import { QueryGate } from '../ledger/query-gate';
import { EVENT_STORE } from '../ledger/tokens';
import { businessDate, governanceAnswer, governanceViews, notFound } from './governance-views';
import { CachedAnswer } from '../http/answer-cache';
import { ApiPaging, HeaderTarget, paged, PagedRequest } from '../http/paging';
import { requireRegisteredCounty } from '../http/query-filter';

class RegisterOwnerAgreementBody extends OmitType(RegisterOwnerAgreementDto, ['centreId'] as const) {}
class AmendOwnerAgreementBody extends OmitType(AmendOwnerAgreementDto, ['centreId', 'agreementId'] as const) {}
class TerminateOwnerAgreementBody extends OmitType(TerminateOwnerAgreementDto, ['centreId', 'agreementId'] as const) {}
class SignPartnershipBody extends OmitType(SignPartnershipAgreementDto, ['countyId'] as const) {}
class AmendPartnershipBody extends OmitType(AmendPartnershipAgreementDto, ['countyId', 'partnershipId'] as const) {}
class TerminatePartnershipBody extends OmitType(TerminatePartnershipAgreementDto, ['countyId', 'partnershipId'] as const) {}
class AssignCoordinatingBody extends OmitType(AssignCoordinatingFunctionDto, ['countyId'] as const) {}
class EndCoordinatingBody extends OmitType(EndCoordinatingFunctionDto, ['countyId'] as const) {}
class CountyLineBody extends OmitType(RecordCountyLineDecisionDto, ['countyId'] as const) {}
class CoLocationBody extends OmitType(RecordCoLocationDto, ['centreId'] as const) {}
class CorrectCoLocationBody extends OmitType(CorrectCoLocationDto, ['centreId', 'from'] as const) {}
class WithdrawCoLocationBody extends OmitType(WithdrawCoLocationDto, ['centreId', 'from'] as const) {}

const FINANCE = ['finance-officer', 'admin'] as const;

@ApiTags('governance: agreements, partnerships, county line, co-location')
@ApiBearerAuth()
@Controller()
export class AgreementsController {
  constructor(
    @Inject(CommandGateway) private readonly commands: CommandGateway,
    @Inject(QueryGate) private readonly queries: QueryGate,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  // ----- owner agreements -----

  @Post('centres/:centreId/owner-agreements')
  @Roles(...FINANCE)
  @ApiOperation({ summary: "Register the centre's owner agreement (parties, shares in basis points summing to 10000, period, signed-on date)" })
  @ApiCommandResponses('RegisterOwnerAgreement')
  registerOwnerAgreement(@Param('centreId') centreId: string, @Body() body: RegisterOwnerAgreementBody, @Req() req: HttpLikeRequest) {
    return this.commands.run('RegisterOwnerAgreement', { ...body, centreId }, req);
  }

  @Post('centres/:centreId/owner-agreements/:agreementId/amend')
  @HttpCode(200)
  @Roles(...FINANCE)
  @ApiOperation({ summary: 'Amend an owner agreement from a date (full new shares and period; earlier terms are kept)' })
  @ApiCommandResponses('AmendOwnerAgreement')
  amendOwnerAgreement(@Param('centreId') centreId: string, @Param('agreementId') agreementId: string, @Body() body: AmendOwnerAgreementBody, @Req() req: HttpLikeRequest) {
    return this.commands.run('AmendOwnerAgreement', { ...body, centreId, agreementId }, req);
  }

  @Post('centres/:centreId/owner-agreements/:agreementId/terminate')
  @HttpCode(200)
  @Roles(...FINANCE)
  @ApiOperation({ summary: 'Terminate an owner agreement from a date (in force until the day before)' })
  @ApiCommandResponses('TerminateOwnerAgreement')
  terminateOwnerAgreement(@Param('centreId') centreId: string, @Param('agreementId') agreementId: string, @Body() body: TerminateOwnerAgreementBody, @Req() req: HttpLikeRequest) {
    return this.commands.run('TerminateOwnerAgreement', { ...body, centreId, agreementId }, req);
  }

  @Get('centres/:centreId/owner-agreements')
  @Roles(...READERS)
  @ApiOperation({ summary: "The centre's owner agreement in force on a business date, and every agreement with its history" })
  @DATE_QUERY
  @ApiQueryResponses({ refusals: ['CENTRE.NOT_FOUND'] })
  async ownerAgreements(@Param('centreId') centreId: string, @Query('date') date: unknown, @Req() req: HttpLikeRequest) {
    const on = businessDate(date, req);
    const v = await governanceViews(this.queries, req);
    if (!get(v.directory.centres, centreId)) throw notFound('CENTRE.NOT_FOUND', `No career centre with id ${centreId} is registered.`);
    return { centreId, date: on, inForce: ownersOn(v.owners, v.parties, centreId, on), agreements: ownerAgreementsOfCentre(v.owners, centreId) };
  }

  @Get('owner-agreements/:agreementId')
  @CachedAnswer()
  @Roles(...READERS)
  @ApiOperation({
    summary: "An owner agreement's full history (every version of its terms, termination), and its terms on a business date",
    description: 'Ids are unique per centre only: when several centres have an agreement with this id, 409 OWNER_AGREEMENT.AMBIGUOUS_ID names them; ask /centres/{centreId}/owner-agreements/{agreementId} instead.',
  })
  @DATE_QUERY
  @ApiQueryResponses({ refusals: ['OWNER_AGREEMENT.NOT_FOUND', 'OWNER_AGREEMENT.AMBIGUOUS_ID'] })
  async ownerAgreement(@Param('agreementId') agreementId: string, @Query('date') date: unknown, @Req() req: HttpLikeRequest) {
    const on = businessDate(date, req);
    const v = await governanceViews(this.queries, req);
    return ownerAgreementHistory(v.owners, centreOfAgreement(v.owners.centresById, agreementId), agreementId, on)!;
  }

  @Get('centres/:centreId/owner-agreements/:agreementId')
  @CachedAnswer()
  @Roles(...READERS)
  @ApiOperation({ summary: "One of the centre's owner agreements: its full history (every version of its terms, termination), and its terms on a business date" })
  @DATE_QUERY
  @ApiQueryResponses({ refusals: ['CENTRE.NOT_FOUND', 'OWNER_AGREEMENT.NOT_FOUND'] })
  async centreOwnerAgreement(@Param('centreId') centreId: string, @Param('agreementId') agreementId: string, @Query('date') date: unknown, @Req() req: HttpLikeRequest) {
    const on = businessDate(date, req);
    const v = await governanceViews(this.queries, req);
    if (!get(v.directory.centres, centreId)) throw notFound('CENTRE.NOT_FOUND', `No career centre with id ${centreId} is registered.`);
    const h = ownerAgreementHistory(v.owners, centreId, agreementId, on);
    if (!h) throw noAgreementOfCentre(centreId, agreementId);
    return h;
  }

  // ----- guidance partnership and coordinating function -----

  @Post('counties/:countyId/partnership-agreements')
  @Roles(...FINANCE)
  @ApiOperation({ summary: "Record the county guidance partnership's signed agreement" })
  @ApiCommandResponses('SignPartnershipAgreement')
  signPartnership(@Param('countyId') countyId: string, @Body() body: SignPartnershipBody, @Req() req: HttpLikeRequest) {
    return this.commands.run('SignPartnershipAgreement', { ...body, countyId }, req);
  }

  @Post('counties/:countyId/partnership-agreements/:partnershipId/amend')
  @HttpCode(200)
  @Roles(...FINANCE)
  @ApiOperation({ summary: 'Amend a partnership agreement from a date' })
  @ApiCommandResponses('AmendPartnershipAgreement')
  amendPartnership(@Param('countyId') countyId: string, @Param('partnershipId') partnershipId: string, @Body() body: AmendPartnershipBody, @Req() req: HttpLikeRequest) {
    return this.commands.run('AmendPartnershipAgreement', { ...body, countyId, partnershipId }, req);
  }

  @Post('counties/:countyId/partnership-agreements/:partnershipId/terminate')
  @HttpCode(200)
  @Roles(...FINANCE)
  @ApiOperation({ summary: 'Terminate a partnership agreement from a date' })
  @ApiCommandResponses('TerminatePartnershipAgreement')
  terminatePartnership(@Param('countyId') countyId: string, @Param('partnershipId') partnershipId: string, @Body() body: TerminatePartnershipBody, @Req() req: HttpLikeRequest) {
    return this.commands.run('TerminatePartnershipAgreement', { ...body, countyId, partnershipId }, req);
  }

  @Post('counties/:countyId/coordinating-function')
  @Roles(...FINANCE)
  @ApiOperation({ summary: "Assign the county's coordinating function to a party" })
  @ApiCommandResponses('AssignCoordinatingFunction')
  assignCoordinating(@Param('countyId') countyId: string, @Body() body: AssignCoordinatingBody, @Req() req: HttpLikeRequest) {
    return this.commands.run('AssignCoordinatingFunction', { ...body, countyId }, req);
  }

  @Post('counties/:countyId/coordinating-function/end')
  @HttpCode(200)
  @Roles(...FINANCE)
  @ApiOperation({ summary: 'End the coordinating function held by a party' })
  @ApiCommandResponses('EndCoordinatingFunction')
  endCoordinating(@Param('countyId') countyId: string, @Body() body: EndCoordinatingBody, @Req() req: HttpLikeRequest) {
    return this.commands.run('EndCoordinatingFunction', { ...body, countyId }, req);
  }

  @Get('counties/:countyId/partnership')
  @Roles(...READERS)
  @ApiOperation({ summary: "The county's partnership on a business date (agreement in force, coordinating function) with its full history" })
  @DATE_QUERY
  @ApiQueryResponses({ refusals: ['COUNTY.NOT_FOUND'] })
  async partnership(@Param('countyId') countyId: string, @Query('date') date: unknown, @Req() req: HttpLikeRequest) {
    const on = businessDate(date, req);
    const v = await governanceViews(this.queries, req);
    requireRegisteredCounty(countyId, v.directory.counties);
    return partnershipOn(v, countyId, on);
  }

  @Get('partnerships')
  @Roles(...READERS)
  @ApiOperation({ summary: "Every county's guidance partnership on a business date" })
  @DATE_QUERY
  @ApiPaging('countyId')
  @ApiQueryResponses()
  async partnerships(@Query('date') date: unknown, @Req() req: HttpLikeRequest & PagedRequest, @Res({ passthrough: true }) reply: HeaderTarget) {
    const on = businessDate(date, req);
    return paged(everyCountysPartnership(await governanceViews(this.queries, req), on), (p) => p.countyId, req, reply);
  }

  // ----- county line -----

  @Post('counties/:countyId/county-line-decisions')
  @Roles(...FINANCE)
  @ApiOperation({ summary: 'Record a decision the county authority makes directly for centres without a board (county line)' })
  @ApiCommandResponses('RecordCountyLineDecision')
  countyLineDecision(@Param('countyId') countyId: string, @Body() body: CountyLineBody, @Req() req: HttpLikeRequest) {
    return this.commands.run('RecordCountyLineDecision', { ...body, countyId }, req);
  }

  @Get('counties/:countyId/county-line-decisions')
  @CachedAnswer()
  @Roles(...READERS)
  @ApiOperation({ summary: "The county authority's decisions along the county line" })
  @ApiQueryResponses({ refusals: ['COUNTY.NOT_FOUND'] })
  async countyLineDecisions(@Param('countyId') countyId: string, @Req() req: HttpLikeRequest) {
    // The decisions in full come from the county's own county-line stream (read with the views at one position: governanceAnswer).
    return governanceAnswer(this.queries, this.store, req, async (v, detail) => {
      requireRegisteredCounty(countyId, v.directory.counties);
      if (!has(v.countyLine.centres, countyId)) return [];
      return get((await detail(countyLineDetailReads(countyId))).countyLine, countyId) ?? [];
    });
  }

  // ----- co-location -----

  @Post('centres/:centreId/co-locations')
  @Roles(...FINANCE)
  @ApiOperation({ summary: "Record the centre's premises and whom it shares them with, from a date" })
  @ApiCommandResponses('RecordCoLocation')
  coLocation(@Param('centreId') centreId: string, @Body() body: CoLocationBody, @Req() req: HttpLikeRequest) {
    return this.commands.run('RecordCoLocation', { ...body, centreId }, req);
  }

  @Post('centres/:centreId/co-locations/:from/correction')
  @HttpCode(200)
  @Roles(...FINANCE)
  @ApiOperation({
    summary: 'Correct the premises record from a date: the premises and sharedWith it should say, and why',
    description: 'Records CoLocationCorrected with what the record said before; the record keeps its date, and as it was stays in the log.',
  })
  @ApiCommandResponses('CorrectCoLocation')
  correctCoLocation(@Param('centreId') centreId: string, @Param('from') from: string, @Body() body: CorrectCoLocationBody, @Req() req: HttpLikeRequest) {
    return this.commands.run('CorrectCoLocation', { ...body, centreId, from }, req);
  }

  @Post('centres/:centreId/co-locations/:from/withdrawal')
  @HttpCode(200)
  @Roles(...FINANCE)
  @ApiOperation({
    summary: 'Withdraw the premises record from a date, entered by mistake, with a reason',
    description: 'Records CoLocationWithdrawn: the record stays in the log, no longer counts, and the right record can be entered (a new record starts after the latest record still standing).',
  })
  @ApiCommandResponses('WithdrawCoLocation')
  withdrawCoLocation(@Param('centreId') centreId: string, @Param('from') from: string, @Body() body: WithdrawCoLocationBody, @Req() req: HttpLikeRequest) {
    return this.commands.run('WithdrawCoLocation', { ...body, centreId, from }, req);
  }

  @Get('centres/:centreId/co-locations')
  @CachedAnswer()
  @Roles(...READERS)
  @ApiOperation({
    summary: "The centre's premises over time: the records standing, each with its corrections, and the records withdrawn",
    description: '`records`: the records standing, in date order, each as it says now (`premises`, `sharedWith`), with `event` (its recording) and `corrections` (oldest first: what it says since, `previous`, `reason`, `event`). `withdrawn`: records withdrawn as entered by mistake, each with its corrections and `withdrawal` (reason, event); they no longer count.',
  })
  @ApiQueryResponses({ refusals: ['CENTRE.NOT_FOUND'] })
  async coLocations(@Param('centreId') centreId: string, @Req() req: HttpLikeRequest) {
    const v = await governanceViews(this.queries, req);
    if (!get(v.directory.centres, centreId)) throw notFound('CENTRE.NOT_FOUND', `No career centre with id ${centreId} is registered.`);
    const c = get(v.coLocations, centreId);
    return { centreId, records: c?.records ?? [], withdrawn: c?.withdrawn ?? [] };
  }
}
