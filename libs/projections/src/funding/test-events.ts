import { RecordedEvent } from '../../../domain/src/shared';

/** Wraps domain events as recorded ones (positions 1, 2, …) for projection tests. */
export const recorded = (events: { type: string; data: object }[], startAt = 1): RecordedEvent[] =>
  events.map((e, i) => ({
    eventId: `ev-${startAt + i}`,
    streamId: 'test',
    revision: i,
    position: startAt + i,
    type: e.type,
    schemaVersion: 1,
    data: e.data as Record<string, unknown>,
    metadata: { actorId: 't', actorRole: 'admin', correlationId: 'c', causationId: null, idempotencyKey: null },
    recordedAt: '2026-01-01T00:00:00.000Z',
    prevHash: null,
    hash: '',
  }));
