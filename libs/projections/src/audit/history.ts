import { RecordedEvent } from '../../../domain/src/shared';

/**
 * The auditor's filters over the log, as pure functions so HTTP, the CLI and tests agree.
 * Recorded-time ranges are turned into position ranges by the caller (the store knows
 * which position was recorded when); everything else is decided per event here.
 */
export interface HistoryFilter {
  /** metadata.actorId */
  actor?: string;
  /** metadata.actorRole */
  role?: string;
  /** data.centreId, or one of data.centreIds */
  centre?: string;
  /** data.countyId, or the county of the event's centre */
  county?: string;
  /** event types (any of) */
  types?: string[];
  /** metadata.correlationId */
  correlation?: string;
  /** stream id prefix, e.g. `funding-` */
  streamPrefix?: string;
}

const centresOf = (e: RecordedEvent): string[] => {
  const d = e.data as Record<string, unknown>;
  const out: string[] = [];
  if (typeof d.centreId === 'string') out.push(d.centreId);
  if (Array.isArray(d.centreIds)) for (const c of d.centreIds) if (typeof c === 'string') out.push(c);
  return out;
};

/** The county an event concerns: its own countyId, else that of its centre (looked up by the caller's directory). */
export const countyOfEvent = (e: RecordedEvent, countyOfCentre: (centreId: string) => string | undefined): string[] => {
  const d = e.data as Record<string, unknown>;
  const out = new Set<string>();
  if (typeof d.countyId === 'string') out.add(d.countyId);
  for (const c of centresOf(e)) {
    const county = countyOfCentre(c);
    if (county) out.add(county);
  }
  return [...out];
};

export const isEmptyFilter = (f: HistoryFilter): boolean =>
  !f.actor && !f.role && !f.centre && !f.county && !(f.types && f.types.length) && !f.correlation && !f.streamPrefix;

export const matchesFilter = (e: RecordedEvent, f: HistoryFilter, countyOfCentre: (centreId: string) => string | undefined = () => undefined): boolean => {
  if (f.actor && e.metadata?.actorId !== f.actor) return false;
  if (f.role && e.metadata?.actorRole !== f.role) return false;
  if (f.correlation && e.metadata?.correlationId !== f.correlation) return false;
  if (f.types && f.types.length && !f.types.includes(e.type)) return false;
  if (f.streamPrefix && !e.streamId.startsWith(f.streamPrefix)) return false;
  if (f.centre && !centresOf(e).includes(f.centre)) return false;
  if (f.county && !countyOfEvent(e, countyOfCentre).includes(f.county)) return false;
  return true;
};

/** Where an event can be read on its own and in its stream (other features link to the first). */
export const eventLinks = (e: Pick<RecordedEvent, 'eventId' | 'streamId'>) => ({
  self: `/audit/events/${encodeURIComponent(e.eventId)}`,
  stream: `/audit/streams/${encodeURIComponent(e.streamId)}`,
});

/** An event as the auditor sees it: the full envelope (who, which role, when, correlation, causation) plus links. */
export const auditEntry = (e: RecordedEvent) => ({ ...e, links: eventLinks(e) });

export type AuditEntry = ReturnType<typeof auditEntry>;
