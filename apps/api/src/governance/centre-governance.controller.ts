import { Controller, Get, Inject, Param, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { EventStore } from '../../../../libs/event-store/src/port';
import { get, governanceProfile, navLink, navLinks, profileDetailReads } from '../../../../libs/projections/src/governance';
import { READERS, Roles } from '../auth/decorators';
import { ApiFilterQuery, ApiQueryResponses, DATE_QUERY } from '../http/openapi';
import { ApiPaging, HeaderTarget, paged, PagedRequest } from '../http/paging';
import { COUNTY_FILTER, queryFilter, requireRegisteredCounty } from '../http/query-filter';
import { HttpLikeRequest } from '../ledger/command-gateway';
import { QueryGate } from '../ledger/query-gate';
import { EVENT_STORE } from '../ledger/tokens';
import { businessDate, governanceAnswer, governanceViews, notFound } from './governance-views';

@ApiTags('governance: profile and NAV link')
@ApiBearerAuth()
@Controller()
export class CentreGovernanceController {
  constructor(@Inject(QueryGate) private readonly queries: QueryGate, @Inject(EVENT_STORE) private readonly store: EventStore) {}

  @Get('centres/:centreId/governance')
  @Roles(...READERS)
  @ApiOperation({ summary: "A centre's governance profile on a business date: owners and shares, board and members, adopted decisions, current plan, co-location" })
  @DATE_QUERY
  @ApiQueryResponses({ refusals: ['CENTRE.NOT_FOUND'] })
  async profile(@Param('centreId') centreId: string, @Query('date') date: unknown, @Req() req: HttpLikeRequest) {
    const on = businessDate(date, req);
    // Decisions in full (with their content) come from the centre's board and county-line streams (read with the views at one position: governanceAnswer).
    return governanceAnswer(this.queries, this.store, req, async (v, detail) => {
      if (!get(v.directory.centres, centreId)) throw notFound('CENTRE.NOT_FOUND', `No career centre with id ${centreId} is registered.`);
      const d = await detail(profileDetailReads(v, centreId));
      const p = governanceProfile(v, centreId, on, d);
      if (!p) throw notFound('CENTRE.NOT_FOUND', `No career centre with id ${centreId} is registered.`);
      return p;
    });
  }

  @Get('centres/:centreId/nav-link')
  @Roles(...READERS)
  @ApiOperation({ summary: "A centre's NAV link on a business date: the five grounds (board, owner, financier, formal input, co-located) with the events that show each" })
  @DATE_QUERY
  @ApiQueryResponses({ refusals: ['CENTRE.NOT_FOUND'] })
  async navLink(@Param('centreId') centreId: string, @Query('date') date: unknown, @Req() req: HttpLikeRequest) {
    const on = businessDate(date, req);
    const l = navLink(await governanceViews(this.queries, req), centreId, on);
    if (!l) throw notFound('CENTRE.NOT_FOUND', `No career centre with id ${centreId} is registered.`);
    return l;
  }

  @Get('nav-links')
  @Roles(...READERS)
  @ApiOperation({ summary: "Every open centre's NAV link on a business date, with how many have one" })
  @DATE_QUERY
  @ApiFilterQuery('countyId', COUNTY_FILTER)
  @ApiPaging('centreId')
  @ApiQueryResponses({ refusals: ['COUNTY.NOT_FOUND'] })
  async navLinks(@Query('date') date: unknown, @Query('countyId') countyId: unknown, @Req() req: HttpLikeRequest & PagedRequest, @Res({ passthrough: true }) reply: HeaderTarget) {
    const on = businessDate(date, req);
    const county = queryFilter(countyId, 'countyId');
    const v = await governanceViews(this.queries, req);
    requireRegisteredCounty(county, v.directory.counties);
    const all = navLinks(v, on, county);
    // The counts describe every centre on the date; a page holds some of the links.
    return { ...all, links: paged(all.links, (l) => l.centreId, req, reply) };
  }
}
