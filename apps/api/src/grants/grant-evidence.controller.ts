import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags, OmitType } from '@nestjs/swagger';
import {
  ApplyForStimulusGrantDto,
  AwardStimulusGrantDto,
  CorrectStimulusGrantDecisionDto,
  DeclareServiceDto,
  RecordAnnualReportDto,
  RecordCompetenceDevelopmentDto,
  RecordUserSurveyParticipationDto,
  RejectStimulusGrantDto,
  STIMULUS_STATUSES,
  WithdrawGrantEvidenceDto,
} from '../../../../libs/application/src/grants/dtos';
import { renameAfter } from '../../../../libs/domain/src/counties/centre-names';
import { DomainError } from '../../../../libs/domain/src/shared';
import { EventStore } from '../../../../libs/event-store/src/port';
import { centreEvidence, CITED_STREAM_PREFIXES, GRANTS_VIEW, GrantsView, stimulusList, stimulusOne } from '../../../../libs/projections/src/grants';
import { GRANTS_VIEW_EVENT_TYPES } from '../../../../libs/projections/src/grants/grants-view';

const CITABLE_TYPES = new Set(GRANTS_VIEW_EVENT_TYPES);
import { READERS, Roles } from '../auth/decorators';
import { ApiCommandResponses, ApiFilterQuery, ApiQueryResponses, ApiYearQuery } from '../http/openapi';
import { CommandGateway, HttpLikeRequest } from '../ledger/command-gateway';
import { QueryGate } from '../ledger/query-gate';
import { EVENT_STORE } from '../ledger/tokens';
import { yearParam } from './grants.controller';
import { CachedAnswer, keepOutOfAnswerCache } from '../http/answer-cache';
import { ApiPaging, HeaderTarget, paged, PagedRequest } from '../http/paging';
import { COUNTY_FILTER, queryFilter, queryFilterOf, requireRegisteredCounty } from '../http/query-filter';
import { todayOf } from '../ledger/today';

class DeclareServiceBody extends OmitType(DeclareServiceDto, ['centreId'] as const) {}
class RecordCompetenceDevelopmentBody extends OmitType(RecordCompetenceDevelopmentDto, ['centreId'] as const) {}
class RecordUserSurveyParticipationBody extends OmitType(RecordUserSurveyParticipationDto, ['centreId'] as const) {}
class RecordAnnualReportBody extends OmitType(RecordAnnualReportDto, ['centreId'] as const) {}
class WithdrawGrantEvidenceBody extends OmitType(WithdrawGrantEvidenceDto, ['centreId', 'evidenceId'] as const) {}
class AwardStimulusGrantBody extends OmitType(AwardStimulusGrantDto, ['applicationId'] as const) {}
class RejectStimulusGrantBody extends OmitType(RejectStimulusGrantDto, ['applicationId'] as const) {}
class CorrectStimulusGrantDecisionBody extends OmitType(CorrectStimulusGrantDecisionDto, ['applicationId'] as const) {}

@ApiTags('grants: evidence and stimulus grants')
@ApiBearerAuth()
@Controller()
export class GrantEvidenceController {
  constructor(
    @Inject(CommandGateway) private readonly commands: CommandGateway,
    @Inject(QueryGate) private readonly queries: QueryGate,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  @Get('grant-evidence/streams/:streamId/revisions/:revision')
  @CachedAnswer()
  @Roles(...READERS)
  @ApiOperation({
    summary: "One event that a base-grant verdict cites (its `readerLink`): readable by everyone who may read eligibility; auditors also have /audit/events/:eventId",
    description: 'With asOf, an event recorded after that instant is not there yet: 404 EVENT.NOT_FOUND.',
  })
  @ApiQueryResponses({ refusals: ['GRANT_EVIDENCE.NOT_CITABLE', 'EVENT.NOT_FOUND'] })
  async citedEvent(@Param('streamId') streamId: string, @Param('revision') revision: string, @Req() req: HttpLikeRequest) {
    // X-Ledger-Position as on the audit routes, which also read the store (a malformed one is 400).
    await this.queries.storeAt(req);
    const rev = Number(revision);
    if (!/^\d{1,9}$/.test(revision) || !CITED_STREAM_PREFIXES.some((p) => streamId.startsWith(p)) || streamId.length > 200) {
      throw new DomainError('GRANT_EVIDENCE.NOT_CITABLE', `Base-grant verdicts cite only events of streams starting with ${CITED_STREAM_PREFIXES.join(', ')}; use the auditor's routes for others.`, 'invalid', { streamId });
    }
    // Read from the store, not a view: as of an instant, only what was recorded by then exists. The row
    // as stored (uncached, as the audit history routes read): the event a verdict cites, with its hash.
    const asOf = await this.queries.asOfPosition(req);
    const [e] = await this.store.readStream(streamId, { fromRevision: rev, maxCount: 1, uncached: true });
    if (!e || e.revision !== rev || (asOf !== null && e.position > asOf.position)) {
      throw new DomainError('EVENT.NOT_FOUND', `Stream ${streamId} has no event at revision ${rev}${asOf ? ` as of ${asOf.asOf}` : ''}.`, 'not-found', { streamId, revision: rev, ...(asOf ? { asOf: asOf.asOf } : {}) });
    }
    // A stream name can match a prefix and hold other facts (a county's county-line decisions are
    // `county-line-<id>`): only what a verdict can cite, the facts the grants view reads, is served here.
    if (!CITABLE_TYPES.has(e.type)) {
      throw new DomainError('GRANT_EVIDENCE.NOT_CITABLE', `Base-grant verdicts never cite a ${e.type}; use the auditor's routes for it.`, 'invalid', { streamId, type: e.type });
    }
    return { eventId: e.eventId, streamId: e.streamId, revision: e.revision, position: e.position, type: e.type, schemaVersion: e.schemaVersion, data: e.data, recordedAt: e.recordedAt, hash: e.hash };
  }

  @Post('centres/:centreId/grant-evidence/service-declarations')
  @Roles('finance-officer', 'admin')
  @ApiOperation({ summary: "Record a centre's service declaration from a date: free of charge, open to all adults, from which age (finance officers of the centre's county)" })
  @ApiCommandResponses('DeclareService')
  declare(@Param('centreId') centreId: string, @Body() body: DeclareServiceBody, @Req() req: HttpLikeRequest) {
    return this.commands.run('DeclareService', { ...body, centreId }, req);
  }

  @Post('centres/:centreId/grant-evidence/competence-development')
  @Roles('finance-officer', 'admin')
  @ApiOperation({ summary: 'Record a competence-development activity: target groups, kind, date, participants' })
  @ApiCommandResponses('RecordCompetenceDevelopment')
  competence(@Param('centreId') centreId: string, @Body() body: RecordCompetenceDevelopmentBody, @Req() req: HttpLikeRequest) {
    return this.commands.run('RecordCompetenceDevelopment', { ...body, centreId }, req);
  }

  @Post('centres/:centreId/grant-evidence/user-survey-participations')
  @Roles('finance-officer', 'admin')
  @ApiOperation({ summary: "Record a centre's participation in the user survey for a period" })
  @ApiCommandResponses('RecordUserSurveyParticipation')
  survey(@Param('centreId') centreId: string, @Body() body: RecordUserSurveyParticipationBody, @Req() req: HttpLikeRequest) {
    return this.commands.run('RecordUserSurveyParticipation', { ...body, centreId }, req);
  }

  @Post('centres/:centreId/grant-evidence/annual-reports')
  @Roles('finance-officer', 'admin')
  @ApiOperation({ summary: "Record that a centre's annual report for a year was submitted to Vox, and on which date" })
  @ApiCommandResponses('RecordAnnualReport')
  report(@Param('centreId') centreId: string, @Body() body: RecordAnnualReportBody, @Req() req: HttpLikeRequest) {
    return this.commands.run('RecordAnnualReport', { ...body, centreId }, req);
  }

  @Post('centres/:centreId/grant-evidence/:evidenceId/withdrawal')
  @HttpCode(200)
  @Roles('finance-officer', 'admin')
  @ApiOperation({ summary: 'Withdraw evidence recorded by mistake, with a reason (it stays in the log, shown as withdrawn, and is no longer judged)' })
  @ApiCommandResponses('WithdrawGrantEvidence')
  withdraw(@Param('centreId') centreId: string, @Param('evidenceId') evidenceId: string, @Body() body: WithdrawGrantEvidenceBody, @Req() req: HttpLikeRequest) {
    return this.commands.run('WithdrawGrantEvidence', { ...body, centreId, evidenceId }, req);
  }

  @Get('centres/:centreId/grant-evidence')
  @CachedAnswer()
  @Roles(...READERS)
  @ApiOperation({ summary: "All base-grant evidence recorded for a centre, each item with a link to its event; the centre under the name in force today (in Norway; as of a past moment, on that moment's day), with every name and its first day in `names`" })
  @ApiQueryResponses({ refusals: ['CENTRE.NOT_FOUND'] })
  async evidence(@Param('centreId') centreId: string, @Req() req: HttpLikeRequest) {
    // Named by the request's today's name (todayOf: as of a past moment, that moment's day), as the
    // directory does: an answer with a rename still to come changes on that day although its URL does
    // not, so when its today came from the clock it is kept out of the answer cache.
    const today = todayOf(req);
    const answer = centreEvidence(await this.queries.view<GrantsView>(GRANTS_VIEW, req), centreId, today.day);
    if (today.fromClock && renameAfter(answer.names, today.day) !== null) keepOutOfAnswerCache(req);
    return answer;
  }

  @Post('stimulus-grants')
  @Roles('finance-officer', 'admin')
  @ApiOperation({ summary: 'Apply for a stimulus grant for your county: to establish a centre, or for development work in a centre' })
  @ApiCommandResponses('ApplyForStimulusGrant')
  apply(@Body() body: ApplyForStimulusGrantDto, @Req() req: HttpLikeRequest) {
    return this.commands.run('ApplyForStimulusGrant', body, req);
  }

  @Get('stimulus-grants')
  @CachedAnswer()
  @Roles(...READERS)
  @ApiOperation({ summary: 'Stimulus-grant applications, those to establish a centre in a county without one first, then by application date' })
  @ApiYearQuery(2000, 2100, 'REQUEST.BAD_YEAR', 'Applications for this year (400 REQUEST.BAD_YEAR otherwise)')
  @ApiFilterQuery('countyId', COUNTY_FILTER)
  @ApiFilterQuery('status', { enum: STIMULUS_STATUSES, description: `One of ${STIMULUS_STATUSES.join(', ')} (400 REQUEST.BAD_FILTER otherwise)` })
  @ApiPaging('applicationId')
  @ApiQueryResponses({ refusals: ['COUNTY.NOT_FOUND'] })
  async list(@Query('year') year: unknown, @Query('countyId') countyId: unknown, @Query('status') status: unknown, @Req() req: HttpLikeRequest & PagedRequest, @Res({ passthrough: true }) reply: HeaderTarget) {
    const y = queryFilter(year, 'year');
    const filter = { year: y === undefined ? undefined : yearParam(y), countyId: queryFilter(countyId, 'countyId'), status: queryFilterOf(status, 'status', STIMULUS_STATUSES) };
    const view = await this.queries.view<GrantsView>(GRANTS_VIEW, req);
    requireRegisteredCounty(filter.countyId, view.counties, (c) => c.registered);
    const all = stimulusList(view, filter);
    return paged(all, (s) => s.applicationId, req, reply);
  }

  @Get('stimulus-grants/:applicationId')
  @CachedAnswer()
  @Roles(...READERS)
  @ApiOperation({ summary: 'One stimulus-grant application and its decision' })
  @ApiQueryResponses({ refusals: ['STIMULUS_GRANT.NOT_FOUND'] })
  async one(@Param('applicationId') applicationId: string, @Req() req: HttpLikeRequest) {
    return stimulusOne(await this.queries.view<GrantsView>(GRANTS_VIEW, req), applicationId);
  }

  @Post('stimulus-grants/:applicationId/award')
  @HttpCode(200)
  @Roles('vox')
  @ApiOperation({ summary: 'Award a stimulus grant: an amount up to what was asked (Vox)' })
  @ApiCommandResponses('AwardStimulusGrant')
  award(@Param('applicationId') applicationId: string, @Body() body: AwardStimulusGrantBody, @Req() req: HttpLikeRequest) {
    return this.commands.run('AwardStimulusGrant', { ...body, applicationId }, req);
  }

  @Post('stimulus-grants/:applicationId/rejection')
  @HttpCode(200)
  @Roles('vox')
  @ApiOperation({ summary: 'Reject a stimulus-grant application with a reason (Vox)' })
  @ApiCommandResponses('RejectStimulusGrant')
  reject(@Param('applicationId') applicationId: string, @Body() body: RejectStimulusGrantBody, @Req() req: HttpLikeRequest) {
    return this.commands.run('RejectStimulusGrant', { ...body, applicationId }, req);
  }

  @Post('stimulus-grants/:applicationId/decision-correction')
  @HttpCode(200)
  @Roles('vox')
  @ApiOperation({
    summary: 'Correct the decision on a decided application: another amount, or the other outcome, with why (Vox)',
    description: 'The body is the decision that replaces the one in force, whole (an award: amount, note; a rejection: reason), and correctionReason. The decision it replaces stays in the log and is shown under `corrections` of GET /stimulus-grants/:applicationId.',
  })
  @ApiCommandResponses('CorrectStimulusGrantDecision')
  correctDecision(@Param('applicationId') applicationId: string, @Body() body: CorrectStimulusGrantDecisionBody, @Req() req: HttpLikeRequest) {
    return this.commands.run('CorrectStimulusGrantDecision', { ...body, applicationId }, req);
  }
}
