/** Who caused an event, and why: stored with every event. */
export interface EventMetadata {
  actorId: string;
  actorRole: string;
  correlationId: string;
  causationId: string | null;
  idempotencyKey: string | null;
}

/** An event as the store holds it: the envelope every adapter returns. */
export interface RecordedEvent<T extends string = string, D = Record<string, unknown>> {
  eventId: string;
  streamId: string;
  /** 0-based revision within the stream. */
  revision: number;
  /** 1-based global position in the log; 0 means "before the first event". */
  position: number;
  type: T;
  schemaVersion: number;
  data: D;
  metadata: EventMetadata;
  /** Server clock, ISO-8601 UTC; never earlier than the previous event's. */
  recordedAt: string;
  /** SHA-256 (hex) of the previous event of the same stream, null for revision 0. */
  prevHash: string | null;
  hash: string;
}

/** A domain event before it is stored. */
export interface DomainEvent<T extends string = string, D = Record<string, unknown>> {
  type: T;
  data: D;
}
