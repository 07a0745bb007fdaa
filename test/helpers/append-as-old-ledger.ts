import { randomUUID } from 'node:crypto';
import { EventStore, ExpectedRevision } from '../../libs/event-store/src/port';

/**
 * Writes one event straight to the store, past the API, as a ledger recorded before a rule that
 * now refuses it would hold it: schema version 1, recorded by 'old-tool' (as a finance officer
 * unless told otherwise), no causation, no idempotency key. Answers the event's global position.
 */
export const appendAsOldLedger = async (
  store: EventStore,
  streamId: string,
  type: string,
  data: Record<string, unknown>,
  opts: { actorRole?: string; expected?: ExpectedRevision } = {},
): Promise<number> => {
  const { position } = await store.append(streamId, [{
    eventId: randomUUID(), type, schemaVersion: 1, data,
    metadata: { actorId: 'old-tool', actorRole: opts.actorRole ?? 'finance-officer', correlationId: randomUUID(), causationId: null, idempotencyKey: null },
  }], opts.expected ?? 'any');
  return position;
};
