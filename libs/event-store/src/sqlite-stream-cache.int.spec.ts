import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CACHE_TEXT_UNITS, SqliteEventStore } from './sqlite-event-store';

const ev = (type: string, n: number) => ({ eventId: `${type}-${n}-${Math.random()}`, type, schemaVersion: 1, data: { n }, metadata: { actorId: 't', actorRole: 'admin', correlationId: 'c', causationId: null, idempotencyKey: null } });

describe('SQLite stream read cache', () => {
  let dir: string;
  let a: SqliteEventStore;
  let b: SqliteEventStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-cache-'));
    a = new SqliteEventStore({ path: join(dir, 'l.sqlite') });
    b = new SqliteEventStore({ path: join(dir, 'l.sqlite') });
  });
  afterEach(async () => {
    await a.close();
    await b.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the streams it read when many new streams are written (a new stream is cached only once read)', async () => {
    await a.append('centre', [ev('Registered', 1)], 'no_stream');
    const first = (await a.readStream('centre'))[0];
    expect((await a.readStream('centre'))[0]).toBe(first); // served from the cache: the same frozen event
    // More new streams than the cache holds, as money entries each open their own.
    await Promise.all(Array.from({ length: 5_000 }, (_, i) => a.append(`entry-${i}`, [ev('Entry', i)], 'no_stream')));
    expect((await a.readStream('centre'))[0]).toBe(first);
    expect((await a.readStream('entry-7')).map((e) => e.data)).toEqual([{ n: 7 }]);
    expect(await a.readStream('never-written')).toEqual([]);
  });

  it('keeps at most CACHE_TEXT_UNITS of stored text, the least recently read streams dropped first, on reads and on writes through', async () => {
    // 1,000,000 characters an event: 48 streams hold 1.5 times the bound, far under the 4,096-stream count.
    const big = (n: number) => ({ ...ev('Big', n), data: { n, text: 'x'.repeat(1_000_000) } });
    const cache = () => (a as unknown as { streamCache: Map<string, { units: number }>; cachedUnits: number });
    const units = () => [...cache().streamCache.values()].reduce((sum, c) => sum + c.units, 0);
    const streams = 48;
    for (let i = 0; i < streams; i++) await a.append(`big-${i}`, [big(i)], 'no_stream');
    const firstRead = await a.readStream('big-0');
    for (let i = 1; i < streams; i++) expect((await a.readStream(`big-${i}`))[0].data).toMatchObject({ n: i });
    expect(cache().cachedUnits).toBe(units()); // the running total is the cached streams' own
    expect(cache().cachedUnits).toBeLessThanOrEqual(CACHE_TEXT_UNITS);
    expect(cache().streamCache.size).toBeLessThan(streams);
    expect(cache().streamCache.has(`big-${streams - 1}`)).toBe(true); // the most recent kept
    expect(cache().streamCache.has('big-0')).toBe(false); // the oldest dropped
    expect((await a.readStream('big-0'))[0]).not.toBe(firstRead); // read again from the file
    expect((await a.readStream('big-0'))[0].data).toEqual(firstRead[0].data);
    // A write through to a cached stream adds its text; the bound still holds.
    await a.append(`big-${streams - 1}`, [big(1000)], 0);
    expect((await a.readStream(`big-${streams - 1}`)).map((e) => e.revision)).toEqual([0, 1]);
    expect(cache().cachedUnits).toBe(units());
    expect(cache().cachedUnits).toBeLessThanOrEqual(CACHE_TEXT_UNITS);
    // Another connection's commit empties the cache, and the total with it.
    await b.append('other', [ev('One', 1)], 'no_stream');
    await a.readStream('other');
    expect(cache().cachedUnits).toBe(units());
  }, 60_000);

  it('sees appends made through itself and through another connection to the same file', async () => {
    await a.append('s', [ev('One', 1)], 'no_stream');
    expect((await a.readStream('s')).map((e) => e.data)).toEqual([{ n: 1 }]);
    await b.append('s', [ev('Two', 2)], 0); // another connection (as another process would)
    expect((await a.readStream('s')).map((e) => e.data)).toEqual([{ n: 1 }, { n: 2 }]);
    await a.append('s', [ev('Three', 3)], 1);
    expect((await a.readStream('s')).map((e) => e.revision)).toEqual([0, 1, 2]);
    expect((await a.readStream('s', { fromRevision: 1, maxCount: 1 })).map((e) => e.revision)).toEqual([1]);
    expect((await a.readStream('s', { direction: 'backwards', maxCount: 2 })).map((e) => e.revision)).toEqual([2, 1]);
    expect(await a.readStream('missing')).toEqual([]);
    await b.append('missing', [ev('Born', 0)], 'no_stream');
    expect(await a.readStream('missing')).toHaveLength(1);
  });

  it('after appends (grouped in one commit, some refused) reads exactly what a fresh connection reads', async () => {
    await a.append('w1', [ev('One', 1)], 'no_stream');
    await a.readStream('w1');
    const results = await Promise.allSettled([
      a.append('w1', [ev('Two', 2), ev('Three', 3)], 0),
      a.append('w2', [ev('New', 1)], 'no_stream'),
      a.append('w1', [ev('Stale', 9)], 0), // refused: w1 is at revision 2 by then
      a.append('w2', [ev('Next', 2)], 0),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    for (const s of ['w1', 'w2']) expect(await a.readStream(s)).toEqual(await b.readStream(s));
    expect((await a.readStream('w1')).map((e) => e.type)).toEqual(['One', 'Two', 'Three']);
  });

  it('serves readAll right behind the head from its own writes, and from SQLite once another connection wrote', async () => {
    await a.append('t', [ev('A1', 1), ev('A2', 2)], 'no_stream');
    await a.append('u', [ev('A3', 3)], 'no_stream');
    const same = async (after: number, upTo?: number, maxCount?: number) => expect(await a.readAll({ after, upTo, maxCount })).toEqual(await b.readAll({ after, upTo, maxCount }));
    for (const after of [0, 1, 2, 3]) await same(after);
    await same(1, 2);
    await same(0, undefined, 2);
    await b.append('t', [ev('B1', 4)], 1); // another connection writes position 4
    await a.append('u', [ev('A4', 5)], 0);
    for (const after of [0, 2, 3, 4, 5]) await same(after);
    expect((await a.readAll({ after: 3 })).map((e) => e.type)).toEqual(['B1', 'A4']);
    await a.append('u', [ev('A5', 6)], 1);
    await same(4);
    await same(5);
  });

  const nextTurn = () => new Promise((r) => setImmediate(r));

  it('keeps its caches when another connection commits without appending an event (as the snapshot writer does)', async () => {
    await a.append('c', [ev('One', 1)], 'no_stream');
    const [first] = await a.readStream('c');
    const [tailFirst] = await a.readAll({ after: 0 });
    // A commit by another connection that appends no event: data_version changes, the log's head does not.
    b.db.exec('CREATE TABLE IF NOT EXISTS side_table (x INTEGER)');
    b.db.prepare('INSERT INTO side_table (x) VALUES (1)').run();
    await nextTurn();
    expect((await a.readStream('c'))[0]).toBe(first); // still the cached, frozen event: not read again
    expect((await a.readAll({ after: 0 }))[0]).toBe(tailFirst); // still served from its own writes
    // An append by the other connection still empties them.
    await b.append('c', [ev('Two', 2)], 0);
    await nextTurn();
    expect((await a.readStream('c')).map((e) => e.data)).toEqual([{ n: 1 }, { n: 2 }]);
    expect(await a.readAll({ after: 0 })).toEqual(await b.readAll({ after: 0 }));
  });

  it('an uncached read (the audit routes) reads a row changed behind its back, which its caches keep until the head moves', async () => {
    await a.append('c', [ev('One', 1)], 'no_stream');
    const [cached] = await a.readStream('c');
    const [tailFirst] = await a.readAll({ after: 0 });
    // Another connection changes the stored row (not a ledger write): data_version changes, the head does not.
    b.db.prepare('UPDATE events SET data = ? WHERE position = 1').run(JSON.stringify({ n: 99 }));
    await nextTurn();
    expect((await a.readStream('c', { uncached: true })).map((e) => e.data)).toEqual([{ n: 99 }]);
    expect((await a.readAll({ after: 0, uncached: true })).map((e) => e.data)).toEqual([{ n: 99 }]);
    // The command path's caches are as they were: the stream and the tail still hold what this store wrote.
    expect((await a.readStream('c'))[0]).toBe(cached);
    expect((await a.readAll({ after: 0 }))[0]).toBe(tailFirst);
  });

  it('drops its caches when another connection appended just before its own commit', async () => {
    await a.append('s', [ev('One', 1)], 'no_stream');
    expect(await a.readStream('s')).toHaveLength(1); // cached
    await b.append('s', [ev('Two', 2)], 0); // another connection appends at position 2 …
    await a.append('other', [ev('Three', 3)], 'no_stream'); // … and this one at 3, before it looks again: the head is where it wrote
    await nextTurn();
    expect((await a.readStream('s')).map((e) => e.data)).toEqual([{ n: 1 }, { n: 2 }]);
    expect((await a.readAll({ after: 0 })).map((e) => e.type)).toEqual(['One', 'Two', 'Three']);
  });

  it('costs one data_version read inside the commit, then one look per task, also when another connection had appended before that commit (no head probe)', async () => {
    await a.append('p', [ev('One', 1)], 'no_stream');
    await a.readAll({ after: 0 }); // the head is known now
    await nextTurn();
    // Counts every statement the store runs (its prepared ones and its paged reads).
    const calls: string[] = [];
    const inner = a as unknown as { stmts: Record<string, object>; page: (...args: unknown[]) => unknown };
    for (const [name, stmt] of Object.entries(inner.stmts)) {
      inner.stmts[name] = new Proxy(stmt, {
        get: (t, k) => {
          const v = Reflect.get(t, k) as unknown;
          if (typeof v !== 'function') return v;
          return (...args: unknown[]) => {
            if (k === 'get' || k === 'run' || k === 'all') calls.push(name);
            return (v as (...a: unknown[]) => unknown).apply(t, args);
          };
        },
      });
    }
    const page = inner.page.bind(a);
    inner.page = (...args: unknown[]) => (calls.push('page'), page(...args));
    const counted = async <T>(f: () => Promise<T>): Promise<{ value: T; calls: string[] }> => {
      calls.length = 0;
      const value = await f();
      return { value, calls: [...calls] };
    };

    // The common path: the commit (data_version read inside it, under the write lock), then the follower served from the tail after one data_version look.
    expect((await counted(() => a.append('p', [ev('Two', 2)], 0))).calls).toEqual(['dataVersion', 'head', 'last', 'insert']);
    await nextTurn();
    const tail = await counted(() => a.readAll({ after: 1 }));
    expect({ types: tail.value.map((e) => e.type), calls: tail.calls }).toEqual({ types: ['Two'], calls: ['dataVersion'] });

    // Another connection appended before this commit: the commit drops the caches and reads data_version with that append in it, so the next look needs no head probe; the tail serves this store's event.
    await b.append('q', [ev('Three', 3)], 'no_stream');
    expect((await counted(() => a.append('p', [ev('Four', 4)], 1))).calls).toEqual(['dataVersion', 'head', 'last', 'insert']);
    await nextTurn();
    const after = await counted(() => a.readAll({ after: 3 }));
    expect({ types: after.value.map((e) => e.type), calls: after.calls }).toEqual({ types: ['Four'], calls: ['dataVersion'] });
  });

  it('hands out frozen events, so no reader can change what the next one sees', async () => {
    await a.append('f', [ev('One', 1)], 'no_stream');
    const [first] = await a.readStream('f');
    expect(() => {
      (first.data as { n: number }).n = 99;
    }).toThrow(TypeError);
    const [again] = await a.readStream('f');
    expect(again.data).toEqual({ n: 1 });
  });

  it('reads long streams from SQLite page by page as before', async () => {
    await a.append('long', Array.from({ length: 100 }, (_, i) => ev('E', i)), 'no_stream');
    const all = await a.readStream('long');
    expect(all.map((e) => e.revision)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect((await a.readStream('long', { fromRevision: 90 })).map((e) => e.revision)).toEqual([90, 91, 92, 93, 94, 95, 96, 97, 98, 99]);
  });
});
