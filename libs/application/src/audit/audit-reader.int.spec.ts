import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryEventStore } from '../../../event-store/src/memory-event-store';
import { SqliteEventStore } from '../../../event-store/src/sqlite-event-store';
import { AuditReader } from './audit-reader';

const meta = { actorId: 't', actorRole: 'admin', correlationId: 'c', causationId: null, idempotencyKey: null };

describe('AuditReader.event', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-audit-reader-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['SQLite (one indexed row)', () => new SqliteEventStore({ path: join(dir, 'l.sqlite') })],
    ['memory (a scan of the log)', () => new MemoryEventStore()],
  ])('finds an event by id on %s, exactly as the log reads it, and null for an unknown id', async (_kind, open) => {
    const store = open();
    try {
      await store.append('centre-a', [{ eventId: 'e-1', type: 'Registered', schemaVersion: 1, data: { name: 'A', n: 1 }, metadata: meta }], 'no_stream');
      await store.append('centre-a', [{ eventId: 'e-2', type: 'Renamed', schemaVersion: 2, data: { name: 'B' }, metadata: meta }], 0);
      const reader = new AuditReader(store);
      const [, second] = await store.readAll({ after: 0 });
      expect(await reader.event('e-2')).toEqual(second);
      expect(await reader.event('nope')).toBeNull();
    } finally {
      await store.close();
    }
  });
});
