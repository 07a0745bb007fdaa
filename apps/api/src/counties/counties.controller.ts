import { Body, Controller, Get, HttpCode, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags, OmitType } from '@nestjs/swagger';
import { CloseCentreDto, RegisterCentreDto, RegisterCountyDto, RenameCentreDto } from '../../../../libs/application/src/counties/dtos';
import { DomainError } from '../../../../libs/domain/src/shared';
import { CentreEntry, CentreOnDay, centreOnDay, DirectoryView } from '../../../../libs/projections/src/directory/centre-directory';
import { get } from '../../../../libs/projections/src/governance';
import { READERS, Roles } from '../auth/decorators';
import { ApiCommandResponses, ApiQueryResponses } from '../http/openapi';
import { CentreAnswer, CountyAnswer } from './directory-answers';
import { CommandGateway, HttpLikeRequest } from '../ledger/command-gateway';
import { QueryGate } from '../ledger/query-gate';
import { CachedAnswer } from '../http/answer-cache';
import { ApiPaging, HeaderTarget, paged, PagedRequest } from '../http/paging';
import { answeredToday } from '../ledger/today';
import { countyNotFound } from '../http/query-filter';

class RenameCentreBody extends OmitType(RenameCentreDto, ['centreId'] as const) {}
class CloseCentreBody extends OmitType(CloseCentreDto, ['centreId'] as const) {}

const DIRECTORY = 'centre-directory';

/** The centres as the directory answers them today, each under the name in force today (answeredToday). */
const onToday = (centres: readonly CentreEntry[], req: object): CentreOnDay[] => answeredToday(centres, centreOnDay, req);

@ApiTags('counties and centres')
@ApiBearerAuth()
@Controller()
export class CountiesController {
  constructor(@Inject(CommandGateway) private readonly commands: CommandGateway, @Inject(QueryGate) private readonly queries: QueryGate) {}

  @Post('counties')
  @Roles('admin')
  @ApiOperation({ summary: 'Register a county authority' })
  @ApiCommandResponses('RegisterCounty')
  registerCounty(@Body() body: RegisterCountyDto, @Req() req: HttpLikeRequest) {
    return this.commands.run('RegisterCounty', body, req);
  }

  @Get('counties')
  @CachedAnswer()
  @Roles(...READERS)
  @ApiOperation({ summary: 'Every registered county with its centres (each under the name in force today, with any rename still to come)' })
  @ApiPaging('countyId')
  @ApiQueryResponses({ schema: { type: CountyAnswer, isArray: true } })
  async counties(@Req() req: HttpLikeRequest & PagedRequest, @Res({ passthrough: true }) reply: HeaderTarget) {
    const view = await this.queries.view<DirectoryView>(DIRECTORY, req);
    return paged(Object.values(view.counties), (c) => c.countyId, req, reply).map((c) => ({ ...c, centres: onToday(c.centreIds.map((id) => view.centres[id]), req) }));
  }

  @Get('counties/:countyId')
  @CachedAnswer()
  @Roles(...READERS)
  @ApiOperation({ summary: 'One county with its centres (each under the name in force today, with any rename still to come)' })
  @ApiQueryResponses({ schema: { type: CountyAnswer }, refusals: ['COUNTY.NOT_FOUND'] })
  async county(@Param('countyId') countyId: string, @Req() req: HttpLikeRequest) {
    const view = await this.queries.view<DirectoryView>(DIRECTORY, req);
    // Own entries only: an id such as "constructor" must not reach Object.prototype.
    const c = get(view.counties, countyId);
    if (!c) countyNotFound(countyId, view.counties);
    return { ...c, centres: onToday(c.centreIds.map((id) => view.centres[id]), req) };
  }

  @Post('centres')
  @Roles('finance-officer', 'admin')
  @ApiOperation({ summary: 'Register a career centre in a county (finance officers of that county)' })
  @ApiCommandResponses('RegisterCentre')
  registerCentre(@Body() body: RegisterCentreDto, @Req() req: HttpLikeRequest) {
    return this.commands.run('RegisterCentre', body, req);
  }

  @Get('centres')
  @CachedAnswer()
  @Roles(...READERS)
  @ApiOperation({ summary: 'Every registered career centre, under the name in force today, with any rename still to come' })
  @ApiPaging('centreId')
  @ApiQueryResponses({ schema: { type: CentreAnswer, isArray: true } })
  async centres(@Req() req: HttpLikeRequest & PagedRequest, @Res({ passthrough: true }) reply: HeaderTarget): Promise<CentreOnDay[]> {
    const view = await this.queries.view<DirectoryView>(DIRECTORY, req);
    return onToday(paged(Object.values(view.centres), (c) => c.centreId, req, reply), req);
  }

  @Get('centres/:centreId')
  @CachedAnswer()
  @Roles(...READERS)
  @ApiOperation({ summary: 'One career centre, under the name in force today, with any rename still to come' })
  @ApiQueryResponses({ schema: { type: CentreAnswer }, refusals: ['CENTRE.NOT_FOUND'] })
  async centre(@Param('centreId') centreId: string, @Req() req: HttpLikeRequest): Promise<CentreOnDay> {
    const view = await this.queries.view<DirectoryView>(DIRECTORY, req);
    const c = get(view.centres, centreId);
    if (!c) throw new DomainError('CENTRE.NOT_FOUND', `No career centre with id ${centreId} is registered.`, 'not-found');
    return onToday([c], req)[0];
  }

  @Post('centres/:centreId/rename')
  @HttpCode(200)
  @Roles('finance-officer', 'admin')
  @ApiOperation({ summary: 'Rename a career centre from a date' })
  @ApiCommandResponses('RenameCentre')
  rename(@Param('centreId') centreId: string, @Body() body: RenameCentreBody, @Req() req: HttpLikeRequest) {
    return this.commands.run('RenameCentre', { ...body, centreId }, req);
  }

  @Post('centres/:centreId/close')
  @HttpCode(200)
  @Roles('finance-officer', 'admin')
  @ApiOperation({ summary: 'Close a career centre from a date' })
  @ApiCommandResponses('CloseCentre')
  close(@Param('centreId') centreId: string, @Body() body: CloseCentreBody, @Req() req: HttpLikeRequest) {
    return this.commands.run('CloseCentre', { ...body, centreId }, req);
  }
}
