import { Controller, Get, Inject, Param, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuditReader, MAX_AUDIT_PAGE, MAX_AUDIT_SCAN } from '../../../../libs/application/src/audit/audit-reader';
import { eventTypesFilter } from '../../../../libs/application/src/audit/event-type-filter';
import { DIGEST_ALGORITHM, digestOfSource, LogSource, logSourceOf, sqliteDigest, verifySource, VerifyReport } from '../../../../libs/application/src/audit/integrity';
import { DomainError, Role } from '../../../../libs/domain/src/shared';
import { EventStore, hasContiguousPositions } from '../../../../libs/event-store/src/port';
import { SqliteEventStore } from '../../../../libs/event-store/src/sqlite-event-store';
import { auditEntry } from '../../../../libs/projections/src/audit/history';
import { DirectoryView } from '../../../../libs/projections/src/directory/centre-directory';
import { get } from '../../../../libs/projections/src/governance';
import { Roles } from '../auth/decorators';
import { ApiQueryResponses } from '../http/openapi';
import { HttpLikeRequest } from '../ledger/command-gateway';
import { parseAsOf, parseRangeStart, QueryGate } from '../ledger/query-gate';
import { EVENT_STORE } from '../ledger/tokens';
import { DigestQuery, EventQuery, LogQuery, PositionAtQuery, StreamHistoryQuery, VerifyQuery } from './audit.dtos';

/** Who may read the audit routes: auditors (they read everything and change nothing) and admins. */
export const AUDITORS: Role[] = ['auditor', 'admin'];

const STREAM_ID = /^[A-Za-z0-9][A-Za-z0-9._:@+-]{0,199}$/;
const EVENT_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/**
 * The log's recorded-time range: `from` starts at the instant (a bare date: 00:00 that day in Norway;
 * finer than a millisecond: the next millisecond), `to` ends at it (a bare date: the end of that day in
 * Norway, as every asOf), so from=D&to=D is exactly the Norwegian day D.
 */
const instant = (raw: unknown, edge: 'from' | 'to'): string | undefined => (edge === 'from' ? parseRangeStart(raw) : parseAsOf(raw, 'to')) ?? undefined;

@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit')
export class AuditController {
  private readonly reader: AuditReader;
  private readonly running = new Map<string, Promise<VerifyReport>>();

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore, @Inject(QueryGate) private readonly queries: QueryGate) {
    this.reader = new AuditReader(store);
  }

  private source(upTo?: number): LogSource {
    // SQLite is read as raw rows, so a damaged row is named instead of failing the whole walk.
    return logSourceOf(this.store, upTo);
  }

  @Get('streams/:streamId')
  @Roles(...AUDITORS)
  @ApiOperation({ summary: 'A stream\'s full history with metadata (who, in which role, when recorded, correlation, causation), in pages of at most 500; with asOf, as it stood then' })
  @ApiQueryResponses({ refusals: ['STREAM.BAD_ID', 'STREAM.NOT_FOUND'] })
  async stream(@Param('streamId') streamId: string, @Query() q: StreamHistoryQuery, @Req() req: HttpLikeRequest) {
    await this.queries.storeAt(req);
    if (!STREAM_ID.test(streamId)) throw new DomainError('STREAM.BAD_ID', 'That is not a stream id.', 'invalid');
    const asOf = await this.queries.asOfPosition({ query: { asOf: q.asOf } });
    return this.reader.streamHistory(streamId, Number(q.fromRevision ?? 0), Number(q.limit ?? 100), asOf?.position);
  }

  @Get('events')
  @Roles(...AUDITORS)
  @ApiOperation({
    summary: 'The global log in pages, with filters (actor, role, centre, county, event type, correlation, stream prefix, recorded-time range)',
    description: `At most ${MAX_AUDIT_PAGE} events per page; a filtered page reads at most ${MAX_AUDIT_SCAN.toLocaleString('en-US')} events and says where to go on (nextAfter; null when the range is exhausted).`,
  })
  @ApiQueryResponses({ refusals: ['REQUEST.BAD_AS_OF', 'AUDIT.UNKNOWN_EVENT_TYPE'] })
  async log(@Query() q: LogQuery, @Req() req: HttpLikeRequest) {
    await this.queries.storeAt(req);
    const types = eventTypesFilter(q.type);
    const recordedFrom = instant(q.from, 'from');
    const recordedTo = instant(q.to, 'to');
    const directory = q.county ? await this.queries.view<DirectoryView>('centre-directory', { headers: req.headers }) : null;
    return this.reader.log({
      filter: { actor: q.actor, role: q.role, centre: q.centre, county: q.county, types, correlation: q.correlation, streamPrefix: q.stream },
      after: Number(q.after ?? 0),
      limit: Number(q.limit ?? 100),
      recordedFrom,
      recordedTo,
      countyOfCentre: (id) => (directory ? get(directory.centres, id)?.countyId : undefined),
    });
  }

  @Get('events/:eventId')
  @Roles(...AUDITORS)
  @ApiOperation({ summary: 'One event by its id, with metadata and hash (other features link here as evidence); with asOf, 404 when it was recorded after that instant' })
  @ApiQueryResponses({ refusals: ['EVENT.BAD_ID', 'EVENT.NOT_FOUND'] })
  async event(@Param('eventId') eventId: string, @Query() q: EventQuery, @Req() req: HttpLikeRequest) {
    await this.queries.storeAt(req);
    if (!EVENT_ID.test(eventId)) throw new DomainError('EVENT.BAD_ID', 'That is not an event id.', 'invalid');
    const asOf = await this.queries.asOfPosition({ query: { asOf: q.asOf } });
    const e = await this.reader.event(eventId);
    // As of an instant, an event recorded after it did not exist yet.
    if (!e || (asOf !== null && e.position > asOf.position)) {
      throw new DomainError('EVENT.NOT_FOUND', `There is no event with id ${eventId}${asOf ? ` as of ${asOf.asOf}` : ''}.`, 'not-found', { eventId, ...(asOf ? { asOf: asOf.asOf } : {}) });
    }
    return auditEntry(e);
  }

  @Get('verify')
  @Roles(...AUDITORS)
  @ApiOperation({
    summary: 'Walk every stream\'s hash chain (and check a digest kept outside the ledger)',
    description: 'Answers 200 with ok=false and, per broken stream, the first event whose stored content no longer matches (stream, revision, position); missing positions; the digest comparison.',
  })
  @ApiQueryResponses({ refusals: ['AUDIT.DIGEST_NEEDS_POSITION'] })
  async verify(@Query() q: VerifyQuery, @Req() req: HttpLikeRequest) {
    await this.queries.storeAt(req);
    if ((q.digest === undefined) !== (q.position === undefined)) throw new DomainError('AUDIT.DIGEST_NEEDS_POSITION', 'Give digest and position together.', 'invalid');
    const key = `${q.digest ?? ''}@${q.position ?? ''}`;
    let run = this.running.get(key);
    if (!run) {
      run = verifySource(this.source(), {
        hashCoversPosition: this.store.hashCoversPosition,
        contiguousPositions: hasContiguousPositions(this.store.kind),
        expectedDigest: q.digest,
        digestPosition: q.position === undefined ? undefined : Number(q.position),
      }).finally(() => this.running.delete(key));
      this.running.set(key, run);
    }
    return run;
  }

  @Get('digest')
  @Roles(...AUDITORS)
  @ApiOperation({ summary: 'The digest over every stream head up to a global position: keep it outside the ledger, check it later with verify' })
  @ApiQueryResponses({ refusals: ['AUDIT.POSITION_BEYOND_HEAD'] })
  async digest(@Query() q: DigestQuery, @Req() req: HttpLikeRequest) {
    await this.queries.storeAt(req);
    const head = await this.store.headPosition();
    const position = q.position === undefined ? head : Number(q.position);
    if (position > head) throw new DomainError('AUDIT.POSITION_BEYOND_HEAD', `The log ends at position ${head}.`, 'invalid', { headPosition: head });
    const d = this.store instanceof SqliteEventStore ? sqliteDigest(this.store.db, position) : await digestOfSource(this.source(position), position);
    return { ...d, algorithm: DIGEST_ALGORITHM, headPosition: head, verifyWith: `/audit/verify?digest=${d.digest}&position=${position}` };
  }

  @Get('position-at')
  @Roles(...AUDITORS)
  @ApiOperation({ summary: 'Which global position an asOf instant names (the last event recorded at or before it); every read route accepts ?asOf=' })
  @ApiQueryResponses()
  async positionAt(@Query() q: PositionAtQuery, @Req() req: HttpLikeRequest) {
    await this.queries.storeAt(req);
    const asOf = parseAsOf(q.asOf)!;
    const position = await this.store.positionAt(asOf);
    const [last] = position > 0 ? await this.store.readAll({ after: position - 1, upTo: position, maxCount: 1, uncached: true }) : [];
    return { asOf, position, lastEvent: last ? { eventId: last.eventId, recordedAt: last.recordedAt, links: auditEntry(last).links } : null };
  }
}
