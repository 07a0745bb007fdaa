import { DomainError, RecordedEvent } from '../../../domain/src/shared';
import { EventStore } from '../../../event-store/src/port';
import { EVENT_COLUMNS, EventArray, eventOfRow, SqliteEventStore } from '../../../event-store/src/sqlite-event-store';
import { auditEntry, AuditEntry, HistoryFilter, isEmptyFilter, matchesFilter } from '../../../projections/src/audit/history';

export const MAX_AUDIT_PAGE = 500;
/** A filtered page never reads more than this many events; the answer says where to continue. */
export const MAX_AUDIT_SCAN = 50_000;

export interface LogPageRequest {
  filter: HistoryFilter;
  /** Events after this position. */
  after: number;
  limit: number;
  /** Recorded-time range, inclusive, ISO-8601 (already validated). */
  recordedFrom?: string;
  recordedTo?: string;
  countyOfCentre?: (centreId: string) => string | undefined;
}

export interface LogPage {
  events: AuditEntry[];
  /** Continue with `after=nextAfter`; null when the range is exhausted. */
  nextAfter: number | null;
  /** The positions this answer covered: (after, scannedTo]. */
  after: number;
  scannedTo: number;
  headPosition: number;
}

/**
 * Reads the log for auditors: streams, pages of the global log with filters, single events. Always
 * what is stored (`uncached` reads: never the SQLite store's stream cache or tail), so an auditor
 * reading the history sees a row changed behind the ledger's back as verify does.
 */
export class AuditReader {
  constructor(private readonly store: EventStore) {}

  /** `upTo`: as of that global position (events recorded after it are not there yet, nor is a stream begun after it). */
  async streamHistory(streamId: string, fromRevision: number, limit: number, upTo = Number.MAX_SAFE_INTEGER): Promise<{ streamId: string; events: AuditEntry[]; nextRevision: number | null }> {
    const read = await this.store.readStream(streamId, { fromRevision, maxCount: limit + 1, uncached: true });
    // a stream's positions rise with its revisions: cut at the first one past upTo
    const past = read.findIndex((e) => e.position > upTo);
    const page = past < 0 ? read : read.slice(0, past);
    // An empty page of a stream that exists (asked past its end) is an answer; of one that does not, or did not yet
    // as of upTo, a 404 whatever revision was asked from (an empty 200 would read as "a stream with nothing more").
    if (page.length === 0 && (fromRevision === 0 || !(await this.streamExists(streamId, upTo)))) {
      throw new DomainError('STREAM.NOT_FOUND', `There is no stream called ${streamId}.`, 'not-found', { streamId });
    }
    const events = page.slice(0, limit);
    return { streamId, events: events.map(auditEntry), nextRevision: page.length > limit ? page[limit].revision : null };
  }

  /** Whether the stream's first event was recorded at or before global position `upTo`. */
  private async streamExists(streamId: string, upTo: number): Promise<boolean> {
    const [first] = await this.store.readStream(streamId, { fromRevision: 0, maxCount: 1, uncached: true });
    return first !== undefined && first.position <= upTo;
  }

  async log(req: LogPageRequest): Promise<LogPage> {
    const head = await this.store.headPosition();
    let after = req.after;
    let upTo = head;
    if (req.recordedFrom) after = Math.max(after, await this.store.positionAt(new Date(Date.parse(req.recordedFrom) - 1).toISOString()));
    if (req.recordedTo) upTo = Math.min(upTo, await this.store.positionAt(req.recordedTo));
    const start = after;
    const out: AuditEntry[] = [];
    const plain = isEmptyFilter(req.filter);
    const budget = plain ? req.limit : MAX_AUDIT_SCAN;
    let scanned = after;
    // The budget counts events read, not positions: EventStoreDB's positions are commit positions,
    // far apart, so a difference of positions ended a filtered page after its first read.
    let read = 0;
    while (scanned < upTo && out.length < req.limit && read < budget) {
      const maxCount = Math.min(5_000, budget - read, plain ? req.limit - out.length : 5_000);
      const page = await this.store.readAll({ after: scanned, upTo, maxCount, uncached: true });
      if (page.length === 0) break;
      let last = scanned;
      for (const e of page) {
        last = e.position;
        read++;
        if (matchesFilter(e, req.filter, req.countyOfCentre)) {
          out.push(auditEntry(e));
          if (out.length >= req.limit) break;
        }
      }
      scanned = last;
    }
    return { events: out, nextAfter: scanned < upTo ? scanned : null, after: start, scannedTo: scanned, headPosition: head };
  }

  async event(eventId: string): Promise<RecordedEvent | null> {
    if (this.store instanceof SqliteEventStore) {
      const row = this.store.db.prepare(`SELECT ${EVENT_COLUMNS} FROM events WHERE event_id = ?`).raw(true).get(eventId) as EventArray | undefined;
      return row ? eventOfRow(row) : null;
    }
    // The memory store keeps its events by id.
    if (this.store.readEvent) return this.store.readEvent(eventId);
    // Of the ledger's stores only EventStoreDB gets here: it has no index by event id (nor a way to ask for one event by it), so
    // the log is read page by page until the event is found. The work grows with the log there alone.
    let after = 0;
    for (;;) {
      const page = await this.store.readAll({ after, maxCount: 10_000, uncached: true });
      if (page.length === 0) return null;
      const hit = page.find((e) => e.eventId === eventId);
      if (hit) return hit;
      after = page[page.length - 1].position;
    }
  }
}
