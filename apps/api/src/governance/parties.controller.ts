import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags, OmitType } from '@nestjs/swagger';
import { RegisterPartyDto, RenamePartyDto } from '../../../../libs/application/src/governance/party-dtos';
import { DomainError } from '../../../../libs/domain/src/shared';
import { DirectoryView } from '../../../../libs/projections/src/directory/centre-directory';
import { get, listParties, PARTY_DIRECTORY, PartyDirectoryView, PartyEntry, PartyOnDay, partyOnDay } from '../../../../libs/projections/src/governance';
import { answeredToday } from '../ledger/today';
import { READERS, Roles } from '../auth/decorators';
import { ApiCommandResponses, ApiFilterQuery, ApiQueryResponses } from '../http/openapi';
import { CommandGateway, HttpLikeRequest } from '../ledger/command-gateway';
import { QueryGate } from '../ledger/query-gate';
import { CachedAnswer } from '../http/answer-cache';
import { ApiPaging, HeaderTarget, paged, PagedRequest } from '../http/paging';
import { queryFilter, queryFilterOf, requireRegisteredCounty } from '../http/query-filter';
import { PARTY_KINDS } from '../../../../libs/domain/src/parties';

class RenamePartyBody extends OmitType(RenamePartyDto, ['partyId'] as const) {}

/** Parties as answered today, each under the name in force today (answeredToday, as the centre directory's). */
const onToday = (parties: readonly PartyEntry[], req: object): PartyOnDay[] => answeredToday(parties, partyOnDay, req);

@ApiTags('parties')
@ApiBearerAuth()
@Controller('parties')
export class PartiesController {
  constructor(@Inject(CommandGateway) private readonly commands: CommandGateway, @Inject(QueryGate) private readonly queries: QueryGate) {}

  @Post()
  @Roles('finance-officer', 'admin')
  @ApiOperation({ summary: 'Register a party (county authority, NAV office, municipality, union, ...); finance officers for their own county or for parties of no county' })
  @ApiCommandResponses('RegisterParty')
  register(@Body() body: RegisterPartyDto, @Req() req: HttpLikeRequest) {
    return this.commands.run('RegisterParty', body, req);
  }

  @Get()
  @CachedAnswer()
  @Roles(...READERS)
  @ApiOperation({ summary: 'Every registered party; filter by county (its own parties and those of no county) or kind' })
  @ApiFilterQuery('countyId', { description: 'One county id: its own parties and those of no county; a county that is not registered is 404 COUNTY.NOT_FOUND' })
  @ApiFilterQuery('kind', { enum: PARTY_KINDS, description: 'One party kind; any other value is 400 REQUEST.BAD_FILTER' })
  @ApiPaging('partyId')
  @ApiQueryResponses({ refusals: ['COUNTY.NOT_FOUND'] })
  async list(@Query('countyId') countyId: unknown, @Query('kind') kind: unknown, @Req() req: HttpLikeRequest & PagedRequest, @Res({ passthrough: true }) reply: HeaderTarget): Promise<PartyOnDay[]> {
    const county = queryFilter(countyId, 'countyId');
    const filter = { countyId: county, kind: queryFilterOf(kind, 'kind', PARTY_KINDS) };
    // Parties and counties at one cut of the log (asOf too), so a county registered by then is known.
    const { views } = await this.queries.views(['centre-directory', PARTY_DIRECTORY], req);
    const [directory, view] = views as [DirectoryView, PartyDirectoryView];
    // A county that is not registered (a typo) is 404, as in /key-figures?counties=: not the national parties alone, which would look like its list.
    requireRegisteredCounty(county, directory.counties);
    return onToday(paged(listParties(view, filter), (p) => p.partyId, req, reply), req);
  }

  @Get(':partyId')
  @CachedAnswer()
  @Roles(...READERS)
  @ApiOperation({ summary: 'One party' })
  @ApiQueryResponses({ refusals: ['PARTY.NOT_FOUND'] })
  async one(@Param('partyId') partyId: string, @Req() req: HttpLikeRequest): Promise<PartyOnDay> {
    const view = await this.queries.view<PartyDirectoryView>(PARTY_DIRECTORY, req);
    const p = get(view, partyId);
    if (!p) throw new DomainError('PARTY.NOT_FOUND', `No party with id ${partyId} is registered.`, 'not-found', { partyId });
    return onToday([p], req)[0];
  }

  @Post(':partyId/rename')
  @HttpCode(200)
  @Roles('finance-officer', 'admin')
  @ApiOperation({ summary: 'Rename a party from a date (effectiveFrom, default today in Norway): answers about earlier days keep the name in force then' })
  @ApiCommandResponses('RenameParty')
  rename(@Param('partyId') partyId: string, @Body() body: RenamePartyBody, @Req() req: HttpLikeRequest) {
    return this.commands.run('RenameParty', { ...body, partyId }, req);
  }
}
