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
import { businessDate, governanceAnswer, governanceViews, GovernanceViewsAt, notFound } from './governance-views';
import { IsoDate } from '../../../../libs/domain/src/shared';

/** How many NAV-link answers (all centres of a position, date and county) a server keeps. */
const NAV_LINKS_KEPT = 8;

@ApiTags('governance: profile and NAV link')
@ApiBearerAuth()
@Controller()
export class CentreGovernanceController {
  constructor(@Inject(QueryGate) private readonly queries: QueryGate, @Inject(EVENT_STORE) private readonly store: EventStore) {}

  /**
   * Every centre's NAV link for the last few (position, date, county) asked: the answer is a function
   * of the views at one position (this ledger's: the map is the app's own), so an entry is never stale,
   * and a client paging through 1,250 centres had them all worked out again for every page (~180 ms
   * each on the bench ledger). The answer cache keeps none of it when the date is today's.
   */
  private readonly navLinksKept = new Map<string, ReturnType<typeof navLinks>>();
  private navLinksAt(v: GovernanceViewsAt, on: IsoDate, county: string | undefined): ReturnType<typeof navLinks> {
    const key = `${v.position}|${on}|${county ?? ''}`;
    let all = this.navLinksKept.get(key);
    if (!all) {
      all = navLinks(v, on, county);
      // Live views a fold moved on since they were taken hold more than `position`: such an answer is not kept under it.
      if (v.live && this.queries.moved(v.position)) return all;
      if (this.navLinksKept.size >= NAV_LINKS_KEPT) this.navLinksKept.delete(this.navLinksKept.keys().next().value!);
      this.navLinksKept.set(key, all);
    }
    return all;
  }

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
    const all = this.navLinksAt(v, on, county);
    // The counts describe every centre on the date; a page holds some of the links.
    return { ...all, links: paged(all.links, (l) => l.centreId, req, reply) };
  }
}
