import { DomainError } from '../../domain/src/shared';

/** The stream was not at the revision the writer expected. */
export class WrongExpectedRevisionError extends DomainError {
  constructor(readonly streamId: string, readonly expected: unknown, readonly actual: number) {
    super('STREAM.WRONG_EXPECTED_REVISION', `Someone else changed ${streamId} first (it is now at revision ${actual}); read it again and retry.`, 'conflict', { streamId, expected, currentRevision: actual });
  }
}

/**
 * Something a decision read outside its own stream changed before its events were written (see
 * AppendConditions): nothing was appended. The command path decides again, like a wrong expected
 * revision; after its last try the client gets 409 and may retry.
 */
export class ConcurrentChangeError extends DomainError {
  constructor(readonly streamId: string, readonly position: number | null) {
    super('STREAM.CONCURRENT_CHANGE', `Something this decision relied on (${streamId}) was changed by another request while it was being recorded; nothing was recorded. Retry it.`, 'conflict', { streamId, ...(position === null ? {} : { position }) });
  }
}

/** Another request of the same sender already claimed this idempotency key (raced us, or with another body). */
export class IdempotencyKeyTakenError extends Error {
  constructor(readonly key: string) {
    super(`idempotency key ${key} already recorded`);
  }
}

/** An event id is already stored (event ids are unique across the whole log). Nothing was appended. */
export class DuplicateEventIdError extends DomainError {
  constructor(readonly eventId: string) {
    super('EVENT.DUPLICATE_ID', `An event with id ${eventId} is already recorded; nothing was appended.`, 'conflict', { eventId });
  }
}

/**
 * SQLite said another connection holds a lock this one needs (SQLITE_BUSY, SQLITE_LOCKED and their
 * extended codes): nothing of the statement took effect. Told apart by code, so this file needs no
 * SQLite client.
 */
export const isBusyError = (e: unknown): boolean => {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
};

/**
 * Another writer (another process on the same SQLite file: a second server, `ledger import`, a
 * backup, a sqlite3 shell) held the write lock for longer than the store waits for it. Nothing of
 * the append was recorded, so retrying it is safe (with the same Idempotency-Key, it is recorded
 * at most once). HTTP: 503 STORE.BUSY with Retry-After.
 */
export class StoreBusyError extends DomainError {
  /** Seconds a client should wait before retrying (the Retry-After of the 503). */
  static readonly RETRY_AFTER_SECONDS = 1;
  constructor(readonly waitedMs: number) {
    super('STORE.BUSY', 'The ledger is busy with another writer; nothing was recorded. Retry in a moment.', 'unavailable', { waitedMs, retryAfterSeconds: StoreBusyError.RETRY_AFTER_SECONDS });
    this.name = 'StoreBusyError';
  }
}

/**
 * The store took an append but did not confirm it (a deadline passed, the connection was lost): it
 * may or may not have been recorded (EventStoreDB only; SQLite's append is in this process). A
 * request sent with an Idempotency-Key is answered with what was recorded when sent again with the
 * same key after Retry-After (its claim is settled from the log by then); nothing is recorded twice.
 * HTTP: 503 STORE.OUTCOME_UNKNOWN with Retry-After.
 */
export class StoreOutcomeUnknownError extends DomainError {
  constructor(readonly streamId: string, readonly retryAfterSeconds: number) {
    super(
      'STORE.OUTCOME_UNKNOWN',
      `The event store did not confirm this write in time, so it may or may not have been recorded. Send it again with the same Idempotency-Key after ${retryAfterSeconds} seconds: you then get its answer, and it is never recorded twice. Without an Idempotency-Key, look it up before sending it again.`,
      'unavailable',
      { streamId, retryAfterSeconds },
    );
    this.name = 'StoreOutcomeUnknownError';
  }
}

/**
 * A stream of the ledger was hard-deleted (tombstoned) on the EventStoreDB node, behind the ledger's
 * back: the node refuses every read of it and every append to it (the client's StreamDeletedError),
 * and keeps its tombstone in `$all`, where a read of the whole log meets it (`position`: the
 * tombstone's; null when met reading or writing the stream itself). Recorded history is gone (or,
 * until the node's next scavenge, unreachable by stream), so no answer built on it can be trusted;
 * nothing of the request that met it was recorded (an append the node refused as deleted is a
 * definite refusal, not an unknown outcome). Only an administrator can repair it: a hard delete is
 * permanent on the node, so the stream comes back only by restoring the node from a backup taken
 * before it. `ledger verify` names every deleted stream. Not a DomainError: it is no refusal of the
 * request but the store damaged. HTTP: 500 STORE.STREAM_DELETED (apps/api/src/http/error.filter.ts).
 */
export class StreamDeletedOnNodeError extends Error {
  readonly code = 'STORE.STREAM_DELETED';
  readonly details: { streamId: string; position?: number };
  constructor(readonly streamId: string, readonly position: number | null = null) {
    super(
      `Part of the ledger's recorded history (stream ${streamId}) has been deleted from the EventStoreDB node (a hard delete, which the ledger never makes), so it can no longer be read or added to, and answers that rely on it cannot be given. Nothing was recorded by this request. An administrator must restore the stream from a backup of the node taken before it was deleted; \`ledger verify\` names every deleted stream.`,
    );
    this.name = 'StreamDeletedOnNodeError';
    this.details = position === null ? { streamId } : { streamId, position };
  }
}
