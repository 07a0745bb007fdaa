import { createHash, randomUUID } from 'node:crypto';
import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiPropertyOptional, ApiQuery, ApiTags, OmitType } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import {
  ChangeStaffPositionDto,
  CorrectEntryDto,
  ENTRY_REF_PATTERN,
  EndStaffPositionDto,
  NEW_ENTRY_ID_MESSAGE,
  NEW_ENTRY_ID_PATTERN,
  RecordEarmarkedFundsDto,
  RecordInKindContributionDto,
  RecordOperatingGrantDto,
  RecordOtherIncomeDto,
  RecordTenderAwardDto,
  ReverseEntryDto,
  StartStaffPositionDto,
} from '../../../../libs/application/src/funding/dtos';
import { ID_CHARACTERS } from '../../../../libs/application/src/counties/dtos';
import { FISCAL_YEAR_MAX, FISCAL_YEAR_MIN } from '../../../../libs/domain/src/funding';
import { centreOpenInYear } from '../../../../libs/domain/src/counties/centre';
import { DomainError, ID_PATTERN } from '../../../../libs/domain/src/shared';
import {
  agreementCompliance,
  centreFundingMix,
  costShareCompliance,
  centreStaffPositions,
  countryFundingMix,
  countyFundingMix,
  FUNDING_VIEW,
  FundingView,
  keyFigures,
  keyFiguresCsv,
  memo,
} from '../../../../libs/projections/src/funding';
import { agreementKey, centreOfAgreement, get, noAgreementOfCentre } from '../../../../libs/projections/src/governance';
import type { AppendResult, EventStore } from '../../../../libs/event-store/src/port';
import { READERS, Roles } from '../auth/decorators';
import { ApiCommandResponses, ApiFilterQuery, ApiQueryResponses, ApiYearQuery } from '../http/openapi';
import { RetryOfRefusedBody } from '../http/refused-retry';
import { parseYearParam } from '../http/year-param';
import { CommandGateway, HttpLikeRequest } from '../ledger/command-gateway';
import { QueryGate } from '../ledger/query-gate';
import { CachedAnswer } from '../http/answer-cache';
import { answersCsv, FORMATS } from '../http/content-negotiation';
import { COUNTY_FILTER, queryFilter, requireRegisteredCounty } from '../http/query-filter';
import { EVENT_STORE } from '../ledger/tokens';

const ENTRY_ID_DOC = 'Optional: the entry\'s id (the letters a–z and A–Z, digits, . _ -, at most 56). Left out, it is derived from the Idempotency-Key (so a retry records nothing twice) or generated; the answer names it.';

class OperatingGrantBody extends OmitType(RecordOperatingGrantDto, ['centreId', 'entryId'] as const) {
  @ApiPropertyOptional({ description: ENTRY_ID_DOC }) @IsOptional() @Matches(NEW_ENTRY_ID_PATTERN, { message: NEW_ENTRY_ID_MESSAGE }) entryId?: string;
}
class EarmarkedFundsBody extends OmitType(RecordEarmarkedFundsDto, ['centreId', 'entryId'] as const) {
  @ApiPropertyOptional({ description: ENTRY_ID_DOC }) @IsOptional() @Matches(NEW_ENTRY_ID_PATTERN, { message: NEW_ENTRY_ID_MESSAGE }) entryId?: string;
}
class TenderAwardBody extends OmitType(RecordTenderAwardDto, ['centreId', 'entryId'] as const) {
  @ApiPropertyOptional({ description: ENTRY_ID_DOC }) @IsOptional() @Matches(NEW_ENTRY_ID_PATTERN, { message: NEW_ENTRY_ID_MESSAGE }) entryId?: string;
}
class OtherIncomeBody extends OmitType(RecordOtherIncomeDto, ['centreId', 'entryId'] as const) {
  @ApiPropertyOptional({ description: ENTRY_ID_DOC }) @IsOptional() @Matches(NEW_ENTRY_ID_PATTERN, { message: NEW_ENTRY_ID_MESSAGE }) entryId?: string;
}
class InKindContributionBody extends OmitType(RecordInKindContributionDto, ['centreId', 'entryId'] as const) {
  @ApiPropertyOptional({ description: ENTRY_ID_DOC }) @IsOptional() @Matches(NEW_ENTRY_ID_PATTERN, { message: NEW_ENTRY_ID_MESSAGE }) entryId?: string;
}
class ReverseEntryBody extends OmitType(ReverseEntryDto, ['centreId', 'entryId'] as const) {}
class CorrectEntryBody extends OmitType(CorrectEntryDto, ['centreId', 'entryId'] as const) {}
class StartStaffPositionBody extends OmitType(StartStaffPositionDto, ['centreId'] as const) {}
class ChangeStaffPositionBody extends OmitType(ChangeStaffPositionDto, ['centreId', 'positionId'] as const) {}
class EndStaffPositionBody extends OmitType(EndStaffPositionDto, ['centreId', 'positionId'] as const) {}

const requireParam = (value: string, name: string, pattern: RegExp = ID_PATTERN): string => {
  if (!pattern.test(value)) {
    const problem = `${name} must be an id of at most ${pattern === ENTRY_REF_PATTERN ? 72 : 64} characters: ${ID_CHARACTERS}`;
    throw new DomainError('VALIDATION.FAILED', `The request is not valid. ${problem}.`, 'invalid', { fields: [{ field: name, problems: [problem] }] });
  }
  return value;
};


const requireCentre = (view: FundingView, centreId: string): void => {
  if (!get(view.centres, centreId)) throw new DomainError('CENTRE.NOT_FOUND', `No career centre with id ${centreId} is registered.`, 'not-found', { centreId });
};

/** An agreement known to exist: its compliance, or 404 when it was in force on no day of the year. */
const complianceInYear = (view: FundingView, centreId: string, agreementId: string, y: number) => {
  const c = agreementCompliance(view, centreId, agreementId, y);
  if (c) return c;
  // A centre closed before the year began (or opened after it) is why, more often than the agreement's own dates: say so.
  const centre = get(view.centres, centreId);
  if (centre && !centreOpenInYear(centre, y)) {
    const why = centre.openedOn > `${y}-12-31` ? `the centre opened only on ${centre.openedOn}` : `the centre closed on ${centre.closedOn}`;
    throw new DomainError('OWNER_AGREEMENT.NOT_IN_FORCE', `Owner agreement ${agreementId} of centre ${centreId} was in force on no day of ${y}: ${why}, and an agreement covers only days its centre is open.`, 'not-found', { centreId, agreementId, year: y, openedOn: centre.openedOn, closedOn: centre.closedOn });
  }
  throw new DomainError('OWNER_AGREEMENT.NOT_IN_FORCE', `Owner agreement ${agreementId} of centre ${centreId} was not in force on any day of ${y}.`, 'not-found', { centreId, agreementId, year: y });
};

const header = (req: HttpLikeRequest, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

/** The entry id when the client gave none: derived from the Idempotency-Key (so retries agree), else random. */
const entryIdFor = (req: HttpLikeRequest, given: string | undefined): string => {
  if (given) return given;
  const key = header(req, 'idempotency-key');
  if (key) return `k-${createHash('sha256').update(`${req.actor.id}\u0000${key}`).digest('hex').slice(0, 40)}`;
  return randomUUID();
};

interface FastifyLikeReply {
  header(name: string, value: string): unknown;
  getHeader(name: string): unknown;
}

/**
 * Sends an answer serialised once per view revision: the same bytes Nest would send, without
 * recomputing or re-serialising while nothing was recorded (reads vastly outnumber writes). Kept as
 * bytes, not as the JSON string: a kept string is copied by the young-generation collections it
 * survives, a Buffer's bytes are not (under a load of distinct funding mixes, ~1.3 MB copied per
 * collection became ~0.8 MB), and the answer cache then stores the same Buffer instead of a copy.
 */
const cachedJson = (reply: FastifyLikeReply, view: FundingView, key: string, compute: () => unknown): Buffer => {
  reply.header('content-type', 'application/json; charset=utf-8');
  return memo(view, `json:${key}`, () => Buffer.from(JSON.stringify(compute())));
};

/** A money entry's payload and answer as `record` makes them (for a retry whose body a request check added since refuses). */
const RecordedEntry = () =>
  RetryOfRefusedBody({
    payload: (body, params, req) => ({ ...body, entryId: entryIdFor(req, body.entryId as string | undefined), centreId: params.centreId }),
    answer: (result, payload) => ({ ...result, entryId: payload.entryId }),
  });

/**
 * A correction's answer: its result and the new entry's id (`<original id>.c<n>`), the event it
 * appended last, read back so a retry answered from its Idempotency-Key names it too.
 */
const correctionAnswer = async (store: EventStore, result: AppendResult) => {
  const [made] = await store.readStream(result.streamId, { fromRevision: result.revision, maxCount: 1 });
  return { ...result, entryId: (made?.data as { entryId?: string } | undefined)?.entryId ?? null };
};

@ApiTags('funding')
@ApiBearerAuth()
@Controller()
export class FundingController {
  constructor(
    @Inject(CommandGateway) private readonly commands: CommandGateway,
    @Inject(QueryGate) private readonly queries: QueryGate,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  private async record(command: string, centreId: string, body: { entryId?: string }, req: HttpLikeRequest) {
    const entryId = entryIdFor(req, body.entryId);
    const result = await this.commands.run(command, { ...body, entryId, centreId: requireParam(centreId, 'centreId') }, req);
    return { ...result, entryId };
  }

  @Post('centres/:centreId/funding/operating-grants')
  @Roles('finance-officer', 'admin')
  @ApiOperation({ summary: 'Record an operating grant (driftsmidler) for the centre and a fiscal year', description: 'Finance officers of the centre\'s county. `amount` is a decimal string in NOK, or null when the amount was not reported. The answer adds `entryId`.' })
  @ApiCommandResponses('RecordOperatingGrant')
  @RecordedEntry()
  operatingGrant(@Param('centreId') centreId: string, @Body() body: OperatingGrantBody, @Req() req: HttpLikeRequest) {
    return this.record('RecordOperatingGrant', centreId, body, req);
  }

  @Post('centres/:centreId/funding/earmarked-funds')
  @Roles('finance-officer', 'admin')
  @ApiOperation({ summary: 'Record earmarked funds (øremerkede midler) with purpose and period' })
  @ApiCommandResponses('RecordEarmarkedFunds')
  @RecordedEntry()
  earmarked(@Param('centreId') centreId: string, @Body() body: EarmarkedFundsBody, @Req() req: HttpLikeRequest) {
    return this.record('RecordEarmarkedFunds', centreId, body, req);
  }

  @Post('centres/:centreId/funding/tender-awards')
  @Roles('finance-officer', 'admin')
  @ApiOperation({ summary: 'Record a tender award (anbud): the awarding party, contract reference and period' })
  @ApiCommandResponses('RecordTenderAward')
  @RecordedEntry()
  tender(@Param('centreId') centreId: string, @Body() body: TenderAwardBody, @Req() req: HttpLikeRequest) {
    return this.record('RecordTenderAward', centreId, body, req);
  }

  @Post('centres/:centreId/funding/other-income')
  @Roles('finance-officer', 'admin')
  @ApiOperation({ summary: 'Record other income (course fees, sales) with its kind' })
  @ApiCommandResponses('RecordOtherIncome')
  @RecordedEntry()
  otherIncome(@Param('centreId') centreId: string, @Body() body: OtherIncomeBody, @Req() req: HttpLikeRequest) {
    return this.record('RecordOtherIncome', centreId, body, req);
  }

  @Post('centres/:centreId/funding/in-kind-contributions')
  @Roles('finance-officer', 'admin')
  @ApiOperation({ summary: 'Record an in-kind contribution (premises, payroll services, IT, other) with an optional estimated value', description: 'Kept apart from money in every total.' })
  @ApiCommandResponses('RecordInKindContribution')
  @RecordedEntry()
  inKind(@Param('centreId') centreId: string, @Body() body: InKindContributionBody, @Req() req: HttpLikeRequest) {
    return this.record('RecordInKindContribution', centreId, body, req);
  }

  @Post('centres/:centreId/funding/entries/:entryId/reversal')
  @Roles('finance-officer', 'admin')
  @ApiOperation({ summary: 'Reverse a money entry of this centre, with a reason', description: 'Records EntryReversed pointing at the entry; nothing is deleted. Refused: ENTRY.NOT_FOUND (404), ENTRY.OTHER_CENTRE (422), ENTRY.ALREADY_REVERSED (409).' })
  @ApiCommandResponses('ReverseEntry')
  @RetryOfRefusedBody({ payload: (body, params) => ({ ...body, ...params }), answer: (result, payload) => ({ ...result, entryId: `${payload.entryId as string}.reversal` }) })
  async reverse(@Param('centreId') centreId: string, @Param('entryId') entryId: string, @Body() body: ReverseEntryBody, @Req() req: HttpLikeRequest) {
    const id = requireParam(entryId, 'entryId', ENTRY_REF_PATTERN);
    const result = await this.commands.run('ReverseEntry', { ...body, entryId: id, centreId: requireParam(centreId, 'centreId') }, req);
    return { ...result, entryId: `${id}.reversal` };
  }

  @Post('centres/:centreId/funding/entries/:entryId/correction')
  @Roles('finance-officer', 'admin')
  @ApiOperation({ summary: 'Correct a money entry: a reversal plus a new entry linked to it', description: 'Give the reason and the fields that were wrong (only fields the entry\'s kind has); the rest is kept. The new entry gets the id `<original id>.c<n>` (the stream is `funding-entry-<original id>`), answered as `entryId`.' })
  @ApiCommandResponses('CorrectEntry')
  @RetryOfRefusedBody({ payload: (body, params) => ({ ...body, ...params }), answer: (result, _payload, store) => correctionAnswer(store, result) })
  async correct(@Param('centreId') centreId: string, @Param('entryId') entryId: string, @Body() body: CorrectEntryBody, @Req() req: HttpLikeRequest) {
    const result = await this.commands.run('CorrectEntry', { ...body, entryId: requireParam(entryId, 'entryId', ENTRY_REF_PATTERN), centreId: requireParam(centreId, 'centreId') }, req);
    return correctionAnswer(this.store, result);
  }

  @Post('centres/:centreId/staff-positions')
  @Roles('finance-officer', 'admin')
  @ApiOperation({ summary: 'Start a staff position at the centre', description: 'Title, formal employer, FTE (0 < FTE ≤ 1, exact), who pays it (the centre, or a party directly) and, optionally, its annual cost.' })
  @ApiCommandResponses('StartStaffPosition')
  startPosition(@Param('centreId') centreId: string, @Body() body: StartStaffPositionBody, @Req() req: HttpLikeRequest) {
    return this.commands.run('StartStaffPosition', { ...body, centreId: requireParam(centreId, 'centreId') }, req);
  }

  @Post('centres/:centreId/staff-positions/:positionId/changes')
  @Roles('finance-officer', 'admin')
  @ApiOperation({ summary: 'Change a position\'s FTE, payer or annual cost from a date' })
  @ApiCommandResponses('ChangeStaffPosition')
  changePosition(@Param('centreId') centreId: string, @Param('positionId') positionId: string, @Body() body: ChangeStaffPositionBody, @Req() req: HttpLikeRequest) {
    return this.commands.run('ChangeStaffPosition', { ...body, positionId: requireParam(positionId, 'positionId'), centreId: requireParam(centreId, 'centreId') }, req);
  }

  @Post('centres/:centreId/staff-positions/:positionId/end')
  @HttpCode(200)
  @Roles('finance-officer', 'admin')
  @ApiOperation({ summary: 'End a position on a date (its last day)' })
  @ApiCommandResponses('EndStaffPosition')
  endPosition(@Param('centreId') centreId: string, @Param('positionId') positionId: string, @Body() body: EndStaffPositionBody, @Req() req: HttpLikeRequest) {
    return this.commands.run('EndStaffPosition', { ...body, positionId: requireParam(positionId, 'positionId'), centreId: requireParam(centreId, 'centreId') }, req);
  }

  @Get('centres/:centreId/staff-positions')
  @CachedAnswer()
  @Roles(...READERS)
  @ApiOperation({
    summary: 'The staff positions of a centre with their terms over time; with ?year= also each position\'s staff-years that year',
    description: 'Each position: positionId, title, employerKind, employerPartyId, personId, startedOn, endedOn (its last day as recorded), countedUntil (the last day the figures count it: endedOn or the day before the centre\'s closedOn, whichever is earlier; null while it is open at an open centre), terms (changes dated after the end are not shown) and, with ?year=, year.',
  })
  @ApiYearQuery(FISCAL_YEAR_MIN, FISCAL_YEAR_MAX, 'FISCAL_YEAR.OUT_OF_RANGE', 'Also each position\'s staff-years that year (400 FISCAL_YEAR.OUT_OF_RANGE otherwise)')
  @ApiQueryResponses({ refusals: ['CENTRE.NOT_FOUND'] })
  async staffPositions(@Param('centreId') centreId: string, @Query('year') year: unknown, @Req() req: HttpLikeRequest) {
    const one = queryFilter(year, 'year');
    const y = one === undefined ? undefined : parseYearParam(one);
    const view = await this.queries.view<FundingView>(FUNDING_VIEW, req);
    requireCentre(view, centreId);
    return centreStaffPositions(view, centreId, y);
  }

  @Get('centres/:centreId/funding-mix/:year')
  @CachedAnswer()
  @Roles(...READERS)
  @ApiOperation({ summary: 'Funding mix of a centre for a year', description: 'Totals by party and by kind with shares that add up to exactly 100.0 % (largest remainder), unreported amounts listed, in-kind beside, staff-years paid directly by each party, and budget against actual where a budget was adopted.' })
  @ApiParam({ name: 'year', example: 2013 })
  @ApiQueryResponses({ refusals: ['FISCAL_YEAR.OUT_OF_RANGE', 'CENTRE.NOT_FOUND'] })
  async centreMix(@Param('centreId') centreId: string, @Param('year') year: string, @Req() req: HttpLikeRequest, @Res({ passthrough: true }) reply: FastifyLikeReply) {
    const y = parseYearParam(year);
    const view = await this.queries.view<FundingView>(FUNDING_VIEW, req);
    requireCentre(view, centreId);
    return cachedJson(reply, view, `centre-mix:${centreId}:${y}`, () => centreFundingMix(view, centreId, y));
  }

  @Get('counties/:countyId/funding-mix/:year')
  @CachedAnswer()
  @Roles(...READERS)
  @ApiOperation({ summary: 'Funding mix of a county (all its centres) for a year, with each centre\'s total' })
  @ApiParam({ name: 'year', example: 2013 })
  @ApiQueryResponses({ refusals: ['FISCAL_YEAR.OUT_OF_RANGE', 'COUNTY.NOT_FOUND'] })
  async countyMix(@Param('countyId') countyId: string, @Param('year') year: string, @Req() req: HttpLikeRequest, @Res({ passthrough: true }) reply: FastifyLikeReply) {
    const y = parseYearParam(year);
    const view = await this.queries.view<FundingView>(FUNDING_VIEW, req);
    requireRegisteredCounty(countyId, view.counties);
    return cachedJson(reply, view, `county-mix:${countyId}:${y}`, () => countyFundingMix(view, countyId, y));
  }

  @Get('funding-mix/:year')
  @CachedAnswer()
  @Roles(...READERS)
  @ApiOperation({ summary: 'Funding mix of the whole country for a year, with each county\'s total' })
  @ApiParam({ name: 'year', example: 2013 })
  @ApiQueryResponses({ refusals: ['FISCAL_YEAR.OUT_OF_RANGE'] })
  async countryMix(@Param('year') year: string, @Req() req: HttpLikeRequest, @Res({ passthrough: true }) reply: FastifyLikeReply) {
    const y = parseYearParam(year);
    const view = await this.queries.view<FundingView>(FUNDING_VIEW, req);
    return cachedJson(reply, view, `country-mix:${y}`, () => countryFundingMix(view, y));
  }

  @Get('key-figures/:year')
  @CachedAnswer()
  @Roles(...READERS)
  @ApiOperation({
    summary: 'Key figures for a year, one column per county (JSON, or CSV with Norwegian row labels)',
    description: 'Send `Accept: text/csv` (or `?format=csv`) for the CSV: by Accept, CSV when text/csv has q > 0 and at least the q of application/json. Indicator rule: "Ja" when every centre of the county has that kind of money, "Varierer" when some do, "-" when none. Staff-years are FTE integrated day by day, one decimal.',
  })
  @ApiParam({ name: 'year', example: 2013 })
  @ApiQuery({ name: 'counties', required: false, type: String, description: 'Comma-separated county ids (default: every county with a centre that year); an id that is no registered county is 404 COUNTY.NOT_FOUND' })
  @ApiQuery({ name: 'format', required: false, enum: FORMATS, description: 'json or csv; wins over Accept (400 REQUEST.BAD_FORMAT for any other value)' })
  @ApiQueryResponses({ produces: ['application/json', 'text/csv'], refusals: ['FISCAL_YEAR.OUT_OF_RANGE', 'REQUEST.BAD_FORMAT', 'REQUEST.BAD_FILTER', 'VALIDATION.FAILED', 'COUNTY.NOT_FOUND'] })
  async keyFigures(@Param('year') year: string, @Query('counties') counties: unknown, @Query('format') format: string | undefined, @Req() req: HttpLikeRequest, @Res({ passthrough: true }) reply: FastifyLikeReply) {
    const y = parseYearParam(year);
    // One comma-separated list: ?counties twice would otherwise be read as no filter at all.
    const list = queryFilter(counties, 'counties');
    // A county named twice is one column (as the table has one per county).
    const ids = list !== undefined && list.trim() !== '' ? [...new Set(list.split(',').map((c) => requireParam(c.trim(), 'counties')))] : undefined;
    const view = await this.queries.view<FundingView>(FUNDING_VIEW, req);
    const key = `key-figures:${y}:${ids?.join(',') ?? '*'}`;
    const csv = answersCsv(req, reply, format);
    // A county asked for that is not registered is 404 (as in the report CSV and the county mix), not a table without its column.
    for (const id of ids ?? []) requireRegisteredCounty(id, view.counties);
    if (csv) {
      reply.header('content-type', 'text/csv; charset=utf-8');
      reply.header('content-disposition', `inline; filename="nokkeltall-${y}.csv"`);
      return memo(view, `csv:${key}`, () => keyFiguresCsv(keyFigures(view, y, ids)));
    }
    return cachedJson(reply, view, key, () => keyFigures(view, y, ids));
  }

  @Get('owner-agreements/cost-share-compliance/:year')
  @CachedAnswer()
  @Roles(...READERS)
  @ApiOperation({ summary: 'Owner cost-share compliance for every owner agreement in force in the year', description: 'Each party\'s actual contribution (money + value of staff it pays directly) against its agreed share, in percentage points and NOK.' })
  @ApiParam({ name: 'year', example: 2013 })
  @ApiFilterQuery('countyId', COUNTY_FILTER)
  @ApiQueryResponses({ refusals: ['FISCAL_YEAR.OUT_OF_RANGE', 'COUNTY.NOT_FOUND'] })
  async compliance(@Param('year') year: string, @Query('countyId') countyId: unknown, @Req() req: HttpLikeRequest) {
    const y = parseYearParam(year);
    const county = queryFilter(countyId, 'countyId');
    const view = await this.queries.view<FundingView>(FUNDING_VIEW, req);
    requireRegisteredCounty(county, view.counties);
    return costShareCompliance(view, y, county);
  }

  @Get('owner-agreements/:agreementId/cost-share-compliance/:year')
  @CachedAnswer()
  @Roles(...READERS)
  @ApiOperation({
    summary: 'Owner cost-share compliance of one owner agreement for a year',
    description: 'Ids are unique per centre only: when several centres have an agreement with this id, 409 OWNER_AGREEMENT.AMBIGUOUS_ID names them; ask /centres/{centreId}/owner-agreements/{agreementId}/cost-share-compliance/{year} instead.',
  })
  @ApiParam({ name: 'year', example: 2013 })
  @ApiQueryResponses({ refusals: ['FISCAL_YEAR.OUT_OF_RANGE', 'OWNER_AGREEMENT.NOT_FOUND', 'OWNER_AGREEMENT.AMBIGUOUS_ID', 'OWNER_AGREEMENT.NOT_IN_FORCE'] })
  async agreementCompliance(@Param('agreementId') agreementId: string, @Param('year') year: string, @Req() req: HttpLikeRequest) {
    const y = parseYearParam(year);
    const view = await this.queries.view<FundingView>(FUNDING_VIEW, req);
    return complianceInYear(view, centreOfAgreement(view.agreementCentres, agreementId, `/cost-share-compliance/${y}`), agreementId, y);
  }

  @Get('centres/:centreId/owner-agreements/:agreementId/cost-share-compliance/:year')
  @CachedAnswer()
  @Roles(...READERS)
  @ApiOperation({ summary: "Owner cost-share compliance of one of the centre's owner agreements for a year" })
  @ApiParam({ name: 'year', example: 2013 })
  @ApiQueryResponses({ refusals: ['FISCAL_YEAR.OUT_OF_RANGE', 'CENTRE.NOT_FOUND', 'OWNER_AGREEMENT.NOT_FOUND', 'OWNER_AGREEMENT.NOT_IN_FORCE'] })
  async centreAgreementCompliance(@Param('centreId') centreId: string, @Param('agreementId') agreementId: string, @Param('year') year: string, @Req() req: HttpLikeRequest) {
    const y = parseYearParam(year);
    const view = await this.queries.view<FundingView>(FUNDING_VIEW, req);
    requireCentre(view, centreId);
    if (!Object.hasOwn(view.agreements, agreementKey(centreId, agreementId))) throw noAgreementOfCentre(centreId, agreementId);
    return complianceInYear(view, centreId, agreementId, y);
  }
}
