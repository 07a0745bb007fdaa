import { Controller, Get, Inject, Param, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, Matches } from 'class-validator';
import { buildXlsx } from '../../../../libs/application/src/audit/xlsx';
import { nameInYear } from '../../../../libs/domain/src/counties/centre-names';
import { DomainError, ID_PATTERN } from '../../../../libs/domain/src/shared';
import { fundingMixTable, keyFiguresTable, ReportTable, tableCsv } from '../../../../libs/projections/src/audit/reports';
import { centreFundingMix, countryFundingMix, countyFundingMix, FundingMix } from '../../../../libs/projections/src/funding/funding-mix';
import { FUNDING_VIEW, FundingView } from '../../../../libs/projections/src/funding/funding-view';
import { ID_MESSAGE as ID_MESSAGE_TEXT } from '../../../../libs/application/src/counties/dtos';
import { keyFigures } from '../../../../libs/projections/src/funding/key-figures';
import { get } from '../../../../libs/projections/src/governance';
import { READERS, Roles } from '../auth/decorators';
import { ApiQueryResponses } from '../http/openapi';
import { parseYearParam } from '../http/year-param';
import { HttpLikeRequest } from '../ledger/command-gateway';
import { QueryGate } from '../ledger/query-gate';
import { countyNotFound, requireRegisteredCounty } from '../http/query-filter';

const ID_MESSAGE = { message: ID_MESSAGE_TEXT };
const AS_OF_DOC = 'Recorded-time instant: the report as the ledger would have given it then';
// asOf is checked by parseAsOf in the read-cut guard (http/read-cuts.ts) before the query is validated: malformed or given twice,
// it is 400 REQUEST.BAD_AS_OF as on every read route (@IsString below never sees one that is not a string).

/** The key figures take only a county: a centre is not a column of them, so ?centre= is an unknown field (400 VALIDATION.UNKNOWN_FIELD). */
export class KeyFiguresReportQuery {
  @ApiPropertyOptional({ description: 'Only this county' }) @IsOptional() @Matches(ID_PATTERN, ID_MESSAGE) county?: string;
  @ApiPropertyOptional({ description: AS_OF_DOC }) @IsOptional() @IsString() asOf?: string;
}

export class ReportQuery extends KeyFiguresReportQuery {
  @ApiPropertyOptional({ description: "Only this career centre: its funding mix, and in the XLSX its county's key figures (the sheet's first line names both); not together with county" }) @IsOptional() @Matches(ID_PATTERN, ID_MESSAGE) centre?: string;
}

/** One filter at a time: the answer to both would silently be one of them (the centre), whatever the county. */
const oneFilter = (q: ReportQuery): void => {
  if (q.county !== undefined && q.centre !== undefined) {
    throw new DomainError('REPORT.ONE_FILTER', 'Give either ?county= or ?centre=, not both: a report covers one county or one career centre.', 'invalid', { county: q.county, centre: q.centre });
  }
};

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';


interface Reply {
  header(name: string, value: string): unknown;
}

/** Key figures and funding mix as CSV and XLSX with Norwegian labels and number formats; every report accepts ?asOf=. */
@ApiTags('reports')
@ApiBearerAuth()
@Controller('reports')
export class ReportsController {
  constructor(@Inject(QueryGate) private readonly queries: QueryGate) {}

  private mix(view: FundingView, year: number, q: ReportQuery): FundingMix {
    if (q.centre) {
      const m = centreFundingMix(view, q.centre, year);
      if (!m) throw new DomainError('CENTRE.NOT_FOUND', `No career centre with id ${q.centre} is registered.`, 'not-found', { centreId: q.centre });
      return m;
    }
    if (q.county) {
      const m = countyFundingMix(view, q.county, year);
      if (!m) countyNotFound(q.county, view.counties);
      return m;
    }
    return countryFundingMix(view, year);
  }

  private keyFigures(view: FundingView, year: number, q: KeyFiguresReportQuery) {
    requireRegisteredCounty(q.county, view.counties);
    return keyFigures(view, year, q.county ? [q.county] : undefined);
  }

  /**
   * The workbook's key-figures sheet: a centre is not a column of the key figures, so with ?centre=
   * it shows the centre's county (its column for that year) and says so on its first line, naming the
   * centre as the year's reports do (the name in force on 31 December); else as the key-figures CSV.
   */
  private keyFiguresSheet(view: FundingView, year: number, q: ReportQuery): ReportTable {
    if (!q.centre) return keyFiguresTable(this.keyFigures(view, year, q), 'xlsx');
    const centre = get(view.centres, q.centre);
    if (!centre) throw new DomainError('CENTRE.NOT_FOUND', `No career centre with id ${q.centre} is registered.`, 'not-found', { centreId: q.centre });
    const county = get(view.counties, centre.countyId);
    const line = `Fylket til ${nameInYear(centre.names, year)}: ${county?.name ?? centre.countyId}`;
    return keyFiguresTable(keyFigures(view, year, [centre.countyId]), 'xlsx', line);
  }

  private send(reply: Reply, table: ReportTable | ReportTable[], filename: string, kind: 'csv' | 'xlsx'): string | Buffer {
    reply.header('content-disposition', `attachment; filename="${filename}.${kind}"`);
    if (kind === 'csv') {
      reply.header('content-type', 'text/csv; charset=utf-8');
      return tableCsv(table as ReportTable);
    }
    reply.header('content-type', XLSX);
    return buildXlsx(table as ReportTable[]);
  }

  @Get('key-figures/:year/csv')
  @Roles(...READERS)
  @ApiOperation({ summary: 'Key figures for a year as CSV for a Norwegian spreadsheet (semicolons, decimal comma, UTF-8 with BOM)' })
  @ApiQueryResponses({ produces: ['text/csv'], refusals: ['FISCAL_YEAR.OUT_OF_RANGE', 'COUNTY.NOT_FOUND'] })
  async keyFiguresCsv(@Param('year') year: string, @Query() q: KeyFiguresReportQuery, @Req() req: HttpLikeRequest, @Res({ passthrough: true }) reply: Reply) {
    const y = parseYearParam(year);
    const view = await this.queries.view<FundingView>(FUNDING_VIEW, req);
    return this.send(reply, keyFiguresTable(this.keyFigures(view, y, q), 'csv'), `nokkeltall-${y}`, 'csv');
  }

  @Get('funding-mix/:year/csv')
  @Roles(...READERS)
  @ApiOperation({ summary: 'Funding mix for a year (country, ?county= or ?centre=) as CSV for a Norwegian spreadsheet' })
  @ApiQueryResponses({ produces: ['text/csv'], refusals: ['FISCAL_YEAR.OUT_OF_RANGE', 'REPORT.ONE_FILTER', 'CENTRE.NOT_FOUND', 'COUNTY.NOT_FOUND'] })
  async fundingMixCsv(@Param('year') year: string, @Query() q: ReportQuery, @Req() req: HttpLikeRequest, @Res({ passthrough: true }) reply: Reply) {
    const y = parseYearParam(year);
    oneFilter(q);
    const view = await this.queries.view<FundingView>(FUNDING_VIEW, req);
    return this.send(reply, fundingMixTable(this.mix(view, y, q), 'csv'), `finansieringsmiks-${y}${q.centre ? `-${q.centre}` : q.county ? `-${q.county}` : ''}`, 'csv');
  }

  @Get(':year/xlsx')
  @Roles(...READERS)
  @ApiOperation({
    summary:
      'One XLSX workbook: key figures and funding mix for a year (sheets "Nøkkeltall" and "Finansieringsmiks"), numbers with Norwegian-displayed formats; with ?county= or ?centre= the key figures show only that county (the centre\'s, named on the first line)',
  })
  @ApiQueryResponses({ produces: [XLSX], refusals: ['FISCAL_YEAR.OUT_OF_RANGE', 'REPORT.ONE_FILTER', 'CENTRE.NOT_FOUND', 'COUNTY.NOT_FOUND'] })
  async workbook(@Param('year') year: string, @Query() q: ReportQuery, @Req() req: HttpLikeRequest, @Res({ passthrough: true }) reply: Reply) {
    const y = parseYearParam(year);
    oneFilter(q);
    const view = await this.queries.view<FundingView>(FUNDING_VIEW, req);
    const sheets = [this.keyFiguresSheet(view, y, q), fundingMixTable(this.mix(view, y, q), 'xlsx')];
    return this.send(reply, sheets, `karrieresentre-${y}${q.centre ? `-${q.centre}` : q.county ? `-${q.county}` : ''}`, 'xlsx');
  }
}
