import { DomainError } from '../../domain/src/shared';

/** The stream was not at the revision the writer expected. */
export class WrongExpectedRevisionError extends DomainError {
  constructor(readonly streamId: string, readonly expected: unknown, readonly actual: number) {
    super('STREAM.WRONG_EXPECTED_REVISION', `Someone else changed ${streamId} first (it is now at revision ${actual}); read it again and retry.`, 'conflict', { streamId, expected, currentRevision: actual });
  }
}

/** Another request already used this idempotency key (raced us, or with another body). */
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
