import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PAGED_STATEMENTS, SqliteEventStore } from './sqlite-event-store';

const ev = (n: number) => ({ eventId: `e-${n}`, type: n % 2 ? 'Odd' : 'Even', schemaVersion: 1, data: { n }, metadata: { actorId: 't', actorRole: 'admin', correlationId: 'c', causationId: null, idempotencyKey: null } });

/**
 * The store prepares one paged read per query shape and page size. Page sizes also come from
 * clients (the audit routes' `limit`) and from data, so the prepared statements are bounded: a
 * server in service asked every limit there is did not keep one per size for good (~9 KB each).
 */
describe('SQLite paged reads: prepared statements stay bounded', () => {
  let dir: string;
  let store: SqliteEventStore;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-paged-'));
    store = new SqliteEventStore({ path: join(dir, 'l.sqlite') });
    await store.append('s', Array.from({ length: 120 }, (_, i) => ev(i)), 'no_stream');
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const prepared = (): number => (store as unknown as { paged: Map<string, unknown> }).paged.size;

  it('keeps at most PAGED_STATEMENTS whatever page sizes are asked, and every page is still exact', async () => {
    for (let limit = 1; limit <= 400; limit++) {
      const all = await store.readAll({ after: 0, maxCount: limit, uncached: true });
      const odd = await store.readAll({ after: 0, maxCount: limit, types: ['Odd'] });
      const back = await store.readStream('s', { direction: 'backwards', maxCount: limit });
      const from = await store.readStream('s', { fromRevision: 3, maxCount: limit, uncached: true });
      expect([all.length, odd.length, back.length, from.length]).toEqual([Math.min(limit, 120), Math.min(limit, 60), Math.min(limit, 120), Math.min(limit, 117)]);
      expect([all[all.length - 1].data, odd[odd.length - 1].data, back[back.length - 1].revision, from[from.length - 1].revision]).toEqual([
        { n: Math.min(limit, 120) - 1 },
        { n: 2 * Math.min(limit, 60) - 1 },
        120 - Math.min(limit, 120),
        3 + Math.min(limit, 117) - 1,
      ]);
    }
    expect(prepared()).toBeGreaterThan(0);
    expect(prepared()).toBeLessThanOrEqual(PAGED_STATEMENTS);
  });

  it('prepares again a statement it dropped, with the same answer', async () => {
    const first = (await store.readAll({ after: 10, maxCount: 7, uncached: true })).map((e) => e.position);
    for (let limit = 1_000; limit < 1_000 + PAGED_STATEMENTS; limit++) await store.readAll({ after: 0, maxCount: limit, uncached: true });
    expect((await store.readAll({ after: 10, maxCount: 7, uncached: true })).map((e) => e.position)).toEqual(first);
    expect(first).toHaveLength(7);
    expect(prepared()).toBeLessThanOrEqual(PAGED_STATEMENTS);
  });
});
