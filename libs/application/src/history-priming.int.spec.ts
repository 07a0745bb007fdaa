import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../../event-store/src/sqlite-event-store';
import { foldEvents, Projection, serializeView } from '../../projections/src/projection';
import { historyName, ProjectionEngine } from './projection-engine';
import { SqliteSnapshotStore } from './snapshot-store';
import { SnapshotWriter, WriteJob } from './snapshot-writer';

const meta = { actorId: 't', actorRole: 'admin', correlationId: 'c', causationId: null, idempotencyKey: null };
const ev = (n: number) => ({ eventId: `e-${n}`, type: 'Added', schemaVersion: 1, data: { n }, metadata: meta });

/**
 * A view in 50 parts that, like the funding view, keeps the text of each part it stored or read
 * until that part changes: a snapshot hands back the very same string for a part nothing changed.
 */
type Buckets = { buckets: Record<string, number[]> };
const kept = new WeakMap<Buckets, Map<string, string>>();
const parted: Projection<Buckets> = {
  name: 'parted',
  version: 1,
  initial: () => ({ buckets: Object.fromEntries(Array.from({ length: 50 }, (_, b) => [`b${b}`, []])) }),
  evolve: (v, e) => {
    const key = `b${(e.data as { n: number }).n % 50}`;
    v.buckets[key].push((e.data as { n: number }).n);
    kept.get(v)?.delete(key);
    return v;
  },
  serialize: (v) => {
    let texts = kept.get(v);
    if (!texts) kept.set(v, (texts = new Map()));
    const parts: Record<string, string> = {};
    for (const key of Object.keys(v.buckets)) {
      if (!texts.has(key)) texts.set(key, JSON.stringify(v.buckets[key]));
      parts[key] = texts.get(key)!;
    }
    return { state: JSON.stringify(Object.keys(v.buckets)), parts };
  },
  deserialize: (state, _purpose, part) => {
    const v: Buckets = { buckets: {} };
    const texts = new Map<string, string>();
    for (const key of JSON.parse(state) as string[]) {
      const text = part(key);
      v.buckets[key] = JSON.parse(text) as number[];
      texts.set(key, text);
    }
    kept.set(v, texts);
    return v;
  },
};

describe('the first history snapshot after a restart', () => {
  const dir = mkdtempSync(join(tmpdir(), 'history-priming-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Folds 100 events and stops (the checkpoint at 100), then restarts on the same file with the given snapshot store options and folds 10 more, all in part b3. */
  const restartAndFold = async (path: string, background: boolean) => {
    const first = new SqliteEventStore({ path });
    for (let n = 1; n <= 100; n++) await first.append(`s-${n}`, [ev(n)], 'no_stream');
    const engine1 = new ProjectionEngine(first, [parted], new SqliteSnapshotStore(first.db, { writeIntent: first.writeIntent, background }), { historyEvery: 10, snapshotEvery: 1_000_000 });
    await engine1.start();
    await engine1.caughtUp(100);
    await engine1.stop();
    await first.close();
    const again = new SqliteEventStore({ path });
    const snapshots = new SqliteSnapshotStore(again.db, { writeIntent: again.writeIntent, background });
    const engine2 = new ProjectionEngine(again, [parted], snapshots, { historyEvery: 10, snapshotEvery: 1_000_000 });
    await engine2.start();
    for (let j = 0; j < 10; j++) await again.append(`t-${j}`, [ev(103 + 50 * j)], 'no_stream');
    await engine2.caughtUp(110);
    const all = await again.readAll({ maxCount: 1_000 });
    const expected = serializeView(parted, foldEvents(parted, all.filter((e) => e.position <= 110)));
    const stored = snapshots.atOrBefore(historyName('parted'), 1, 110)!;
    const result = { position: stored.position, parts: stored.allParts(), expected: expected.parts };
    await engine2.stop();
    await again.close();
    return result;
  };

  it('written on the main thread (no writer thread) reuses the restored rows\' hashes and is stored whole', async () => {
    const { position, parts, expected } = await restartAndFold(join(dir, 'main-thread.sqlite'), false);
    expect(position).toBe(110);
    expect(parts).toEqual(expected);
    expect(parts.b3).toBe(JSON.stringify([3, 53, 103, 153, 203, 253, 303, 353, 403, 453, 503, 553]));
    // Every stored text is under its own SHA-256 (a primed hash that named another text would break this).
    const db = new Database(join(dir, 'main-thread.sqlite'), { readonly: true });
    const rows = db.prepare('SELECT hash, state FROM projection_snapshot_texts').all() as { hash: string; state: string }[];
    db.close();
    expect(rows.length).toBeGreaterThan(50);
    for (const r of rows) expect(r.hash).toBe(createHash('sha256').update(r.state).digest('base64'));
  });

  it('hands the writer thread only the parts that changed since the stored view it was restored from, and is stored whole', async () => {
    const path = join(dir, 'ledger.sqlite');
    const first = new SqliteEventStore({ path });
    for (let n = 1; n <= 100; n++) await first.append(`s-${n}`, [ev(n)], 'no_stream');
    const engine1 = new ProjectionEngine(first, [parted], new SqliteSnapshotStore(first.db, { writeIntent: first.writeIntent }), { historyEvery: 10, snapshotEvery: 1_000_000 });
    await engine1.start();
    await engine1.caughtUp(100);
    await engine1.stop(); // stores the checkpoint at 100
    await first.close();

    // Every job handed to the writer thread, passed on as it is.
    const jobs: Omit<WriteJob, 'seq'>[] = [];
    const original = SnapshotWriter.prototype.write;
    const write = jest.spyOn(SnapshotWriter.prototype, 'write').mockImplementation(function (this: SnapshotWriter, job, bytes) {
      jobs.push(job);
      original.call(this, job, bytes);
    });
    try {
      const again = new SqliteEventStore({ path });
      const snapshots = new SqliteSnapshotStore(again.db, { writeIntent: again.writeIntent });
      const engine2 = new ProjectionEngine(again, [parted], snapshots, { historyEvery: 10, snapshotEvery: 1_000_000 });
      await engine2.start();
      // Ten events, all in part b3 (n % 50 === 3): the next history snapshot is at 110.
      for (let j = 0; j < 10; j++) await again.append(`t-${j}`, [ev(103 + 50 * j)], 'no_stream');
      await engine2.caughtUp(110);
      snapshots.flush();
      const job = jobs.find((j) => j.name === historyName('parted') && j.position === 110)!;
      expect(job).toBeDefined();
      // Only b3 is handed over as text; the 49 others are "unchanged", with the hashes of the restored rows.
      expect(job.parts.filter(([, text]) => text !== null).map(([key]) => key)).toEqual(['b3']);
      expect(job.knownHashes).toHaveLength(50);
      // What is stored is the whole view at 110, as a fold from 0 serialises it.
      const all = [...(await again.readAll({ maxCount: 1_000 }))];
      const expected = serializeView(parted, foldEvents(parted, all.filter((e) => e.position <= 110)));
      expect(snapshots.atOrBefore(historyName('parted'), 1, 110)!.allParts()).toEqual(expected.parts);
      await engine2.stop();
      await again.close();
    } finally {
      write.mockRestore();
    }
  });
});
