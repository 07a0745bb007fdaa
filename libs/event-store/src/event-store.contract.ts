/**
 * The event-store contract: ONE suite every adapter must pass (memory, SQLite, EventStoreDB).
 * Run it from an `*.int.spec.ts` with `eventStoreContract(target)`. Not part of the runtime.
 */
import { describe, expect, it, afterEach } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { EventMetadata, RecordedEvent } from '../../domain/src/shared';
import { ConcurrentChangeError, DuplicateEventIdError, IdempotencyKeyTakenError, WrongExpectedRevisionError } from './errors';
import { hashEvent } from './hashing';
import { EventStore, EventToAppend, MAX_PAGE } from './port';
import { verifyChains } from './verify-chain';

export interface ContractTarget {
  name: string;
  /** A store to test against; `clock` replaces the server clock when given. */
  create: (opts: { clock?: () => Date }) => Promise<EventStore>;
  /** Re-opens the same durable store (for adapters that persist); omit for memory. */
  reopen?: (store: EventStore) => Promise<EventStore>;
  /** Positions are 1, 2, 3, … without gaps (true for memory and SQLite; EventStoreDB uses commit positions). */
  contiguousPositions: boolean;
  /** The adapter refuses any event id already stored (EventStoreDB only dedupes per stream, silently: skipped there). */
  uniqueEventIdsAcrossStreams: boolean;
  /** How long a live subscription may take to see an append made by this process. */
  liveTimeoutMs?: number;
}

const meta = (over: Partial<EventMetadata> = {}): EventMetadata => ({
  actorId: 'user-1',
  actorRole: 'finance-officer',
  correlationId: 'corr-1',
  causationId: null,
  idempotencyKey: null,
  ...over,
});

export const ev = (type = 'Something', data: Record<string, unknown> = {}, over: Partial<EventToAppend> = {}): EventToAppend => ({
  eventId: randomUUID(),
  type,
  schemaVersion: 1,
  data,
  metadata: meta(),
  ...over,
});

const unique = (name: string): string => `${name}-${randomUUID().slice(0, 8)}`;

/** Reads the whole log after `after` in bounded pages. */
export const readAllPages = async (store: EventStore, after = 0, pageSize = 1000, upTo?: number): Promise<RecordedEvent[]> => {
  const out: RecordedEvent[] = [];
  let from = after;
  for (;;) {
    const page = await store.readAll({ after: from, upTo, maxCount: pageSize });
    if (page.length === 0) return out;
    out.push(...page);
    from = page[page.length - 1].position;
  }
};

const until = async (cond: () => boolean, timeoutMs: number): Promise<void> => {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
};

/**
 * Appends a probe event with the real clock and returns a time (ms) one second after the log's
 * latest recordedAt, so clock tests also work on a shared, non-empty store (EventStoreDB).
 */
const probeTime = async (store: EventStore): Promise<number> => {
  const r = await store.append(unique('probe'), [ev('Probe')], 'no_stream');
  return Date.parse(r.recordedAt!) + 1000;
};

const expectConflict = async (p: Promise<unknown>, currentRevision: number): Promise<WrongExpectedRevisionError> => {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WrongExpectedRevisionError);
  const w = err as WrongExpectedRevisionError;
  expect(w.code).toBe('STREAM.WRONG_EXPECTED_REVISION');
  expect(w.kind).toBe('conflict');
  expect(w.actual).toBe(currentRevision);
  expect(w.details.currentRevision).toBe(currentRevision);
  return w;
};

export const eventStoreContract = (target: ContractTarget): void => {
  describe(`event store contract: ${target.name}`, () => {
    const open: EventStore[] = [];
    const make = async (clock?: () => Date): Promise<EventStore> => {
      const s = await target.create({ clock });
      open.push(s);
      return s;
    };
    afterEach(async () => {
      while (open.length) await open.pop()!.close();
    });
    const live = target.liveTimeoutMs ?? 3000;

    describe('append with an expected revision', () => {
      it('no_stream: succeeds on a new stream, then conflicts carrying the current revision; nothing appended on conflict', async () => {
        const store = await make();
        const s = unique('acc');
        const head0 = await store.headPosition();
        const r = await store.append(s, [ev('Opened')], 'no_stream');
        expect(r.streamId).toBe(s);
        expect(r.revision).toBe(0);
        expect(r.position).toBeGreaterThan(head0);
        expect(r.eventIds).toHaveLength(1);
        await expectConflict(store.append(s, [ev('Again')], 'no_stream'), 0);
        const events = await store.readStream(s);
        expect(events.map((e) => e.type)).toEqual(['Opened']);
      });

      it('stream_exists: conflicts (current -1) on a missing stream, succeeds on an existing one', async () => {
        const store = await make();
        const s = unique('acc');
        await expectConflict(store.append(s, [ev()], 'stream_exists'), -1);
        expect(await store.readStream(s)).toEqual([]);
        await store.append(s, [ev()], 'no_stream');
        const r = await store.append(s, [ev()], 'stream_exists');
        expect(r.revision).toBe(1);
      });

      it('any: succeeds whether or not the stream exists', async () => {
        const store = await make();
        const s = unique('acc');
        expect((await store.append(s, [ev()], 'any')).revision).toBe(0);
        expect((await store.append(s, [ev()], 'any')).revision).toBe(1);
      });

      it('a revision number: succeeds when it is the current revision, otherwise a typed conflict with the current revision', async () => {
        const store = await make();
        const s = unique('acc');
        await store.append(s, [ev(), ev()], 'no_stream');
        await expectConflict(store.append(s, [ev('Late')], 0), 1);
        await expectConflict(store.append(s, [ev('Early')], 5), 1);
        const r = await store.append(s, [ev('OnTime')], 1);
        expect(r.revision).toBe(2);
        expect((await store.readStream(s)).map((e) => e.type)).toEqual(['Something', 'Something', 'OnTime']);
        await expectConflict(store.append(unique('missing'), [ev()], 0), -1);
      });

      it('several events in one append get consecutive revisions, increasing positions, and the result names them in order', async () => {
        const store = await make();
        const s = unique('batch');
        const batch = [ev('A'), ev('B'), ev('C')];
        const r = await store.append(s, batch, 'no_stream');
        const read = await store.readStream(s);
        expect(read.map((e) => e.revision)).toEqual([0, 1, 2]);
        expect(r.revision).toBe(2);
        expect(r.eventIds).toEqual(batch.map((e) => e.eventId));
        expect(r.position).toBe(read[2].position);
        expect(read[0].position).toBeLessThan(read[1].position);
        expect(read[1].position).toBeLessThan(read[2].position);
        if (target.contiguousPositions) expect(read.map((e) => e.position - read[0].position)).toEqual([0, 1, 2]);
        expect(r.recordedAt).toBe(read[2].recordedAt);
      });

      it('an empty append records nothing and answers the current revision', async () => {
        const store = await make();
        const s = unique('empty');
        await store.append(s, [ev()], 'no_stream');
        const head = await store.headPosition();
        const r = await store.append(s, [], 0);
        expect(r.revision).toBe(0);
        expect(r.eventIds).toEqual([]);
        expect(r.recordedAt).toBeNull();
        expect(await store.headPosition()).toBe(head);
      });
    });

    describe('append conditions (what a decision read elsewhere)', () => {
      const refused = async (p: Promise<unknown>): Promise<ConcurrentChangeError> => {
        const err = await p.then(
          () => null,
          (e: unknown) => e,
        );
        expect(err).toBeInstanceOf(ConcurrentChangeError);
        expect((err as ConcurrentChangeError).code).toBe('STREAM.CONCURRENT_CHANGE');
        return err as ConcurrentChangeError;
      };

      it('another stream must still be at the revision read (-1: still empty); otherwise nothing is appended', async () => {
        const store = await make();
        const own = unique('own');
        const other = unique('other');
        const never = unique('never');
        await store.append(other, [ev()], 'no_stream');
        const head = await store.headPosition();
        const err = await refused(store.append(own, [ev('Decided')], 'no_stream', undefined, { streams: [{ streamId: other, revision: -1 }] }));
        expect(err.details).toMatchObject({ streamId: other });
        await refused(store.append(own, [ev('Decided')], 'no_stream', undefined, { streams: [{ streamId: never, revision: 0 }] }));
        expect(await store.headPosition()).toBe(head);
        expect(await store.readStream(own)).toEqual([]);
        const ok = await store.append(own, [ev('Decided')], 'no_stream', undefined, { streams: [{ streamId: other, revision: 0 }, { streamId: never, revision: -1 }] });
        expect(ok.revision).toBe(0);
      });

      it('nothing recorded after the position read may affect the decision; what does not affect it does not refuse', async () => {
        const store = await make();
        const tag = unique('tag');
        const read = await store.headPosition();
        await store.append(unique('unrelated'), [ev('Noise', { about: 'someone else' })], 'no_stream');
        const about = (e: { type: string; data: unknown }) => e.type === 'Fact' && (e.data as { about?: string }).about === tag;
        const first = await store.append(unique('own'), [ev('Decided')], 'no_stream', undefined, { nothingAfter: [{ after: read, affects: about }] });
        expect(first.eventIds).toHaveLength(1);
        const fact = await store.append(unique('fact'), [ev('Fact', { about: tag })], 'no_stream');
        const own = unique('own');
        const head = await store.headPosition();
        const err = await refused(store.append(own, [ev('Decided')], 'no_stream', undefined, { nothingAfter: [{ after: read, affects: about }] }));
        expect(err.details).toMatchObject({ position: fact.position });
        expect(await store.headPosition()).toBe(head);
        // Read again past the fact: recorded.
        expect((await store.append(own, [ev('Decided')], 'no_stream', undefined, { nothingAfter: [{ after: fact.position, affects: about }] })).revision).toBe(0);
      });

      it('appends made at the same moment are checked in the order written: the second sees the first', async () => {
        const store = await make();
        const tag = unique('tag');
        const read = await store.headPosition();
        const about = (e: { type: string; data: unknown }) => (e.data as { about?: string }).about === tag;
        // Not awaited one by one: the SQLite adapter writes these in one group commit.
        const results = await Promise.allSettled([
          store.append(unique('a'), [ev('Fact', { about: tag })], 'no_stream', undefined, { nothingAfter: [{ after: read, affects: about }] }),
          store.append(unique('b'), [ev('Fact', { about: tag })], 'no_stream', undefined, { nothingAfter: [{ after: read, affects: about }] }),
        ]);
        expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected']);
        expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(ConcurrentChangeError);
        expect((await readAllPages(store, read)).filter((e) => (e.data as { about?: string }).about === tag)).toHaveLength(1);
      });
    });

    describe('readStream', () => {
      it('reads forwards and backwards in bounded pages', async () => {
        const store = await make();
        const s = unique('pages');
        await store.append(s, Array.from({ length: 25 }, (_, i) => ev('N', { i })), 'no_stream');
        await store.append(unique('other'), [ev('Noise')], 'no_stream');
        const all = await store.readStream(s);
        expect(all.map((e) => e.data.i)).toEqual(Array.from({ length: 25 }, (_, i) => i));
        const page = await store.readStream(s, { fromRevision: 10, maxCount: 5 });
        expect(page.map((e) => e.revision)).toEqual([10, 11, 12, 13, 14]);
        const back = await store.readStream(s, { direction: 'backwards', maxCount: 3 });
        expect(back.map((e) => e.revision)).toEqual([24, 23, 22]);
        const backFrom = await store.readStream(s, { direction: 'backwards', fromRevision: 4, maxCount: 10 });
        expect(backFrom.map((e) => e.revision)).toEqual([4, 3, 2, 1, 0]);
        // Paging forwards reconstructs the stream exactly.
        const paged: number[] = [];
        for (let from = 0; ; ) {
          const p = await store.readStream(s, { fromRevision: from, maxCount: 7 });
          if (!p.length) break;
          paged.push(...p.map((e) => e.revision));
          from = p[p.length - 1].revision + 1;
        }
        expect(paged).toEqual(all.map((e) => e.revision));
        expect(await store.readStream(unique('nothing'))).toEqual([]);
        expect(await store.readStream(unique('nothing'), { direction: 'backwards' })).toEqual([]);
      });

      it(`never returns more than MAX_PAGE (${MAX_PAGE}) events in one call`, async () => {
        const store = await make();
        const s = unique('big');
        const n = MAX_PAGE + 5;
        for (let i = 0; i < n; i += 500) {
          await store.append(s, Array.from({ length: Math.min(500, n - i) }, () => ev('Big')), 'any');
        }
        const page = await store.readStream(s, { maxCount: n + 100 });
        expect(page).toHaveLength(MAX_PAGE);
        const rest = await store.readStream(s, { fromRevision: MAX_PAGE });
        expect(rest.map((e) => e.revision)).toEqual([MAX_PAGE, MAX_PAGE + 1, MAX_PAGE + 2, MAX_PAGE + 3, MAX_PAGE + 4]);
        expect(await store.readAll({ maxCount: n + 100 })).toHaveLength(MAX_PAGE);
      }, 60_000);
    });

    describe('readAll', () => {
      it('reads every stream in global order, after/upTo bounded, in pages', async () => {
        const store = await make();
        const head = await store.headPosition();
        const a = unique('a');
        const b = unique('b');
        const written: string[] = [];
        for (let i = 0; i < 12; i++) {
          const e = ev('Step', { i });
          written.push(e.eventId);
          await store.append(i % 3 === 0 ? a : b, [e], 'any');
        }
        const all = (await readAllPages(store, head, 5)).filter((e) => e.streamId === a || e.streamId === b);
        expect(all.map((e) => e.eventId)).toEqual(written);
        for (let i = 1; i < all.length; i++) expect(all[i].position).toBeGreaterThan(all[i - 1].position);
        if (target.contiguousPositions) expect(all.map((e) => e.position)).toEqual(Array.from({ length: 12 }, (_, i) => head + 1 + i));
        // after is exclusive, upTo inclusive.
        const mid = await store.readAll({ after: all[2].position, upTo: all[6].position });
        expect(mid.map((e) => e.eventId)).toEqual(written.slice(3, 7));
        const page = await store.readAll({ after: head, maxCount: 4 });
        expect(page).toHaveLength(4);
        expect(page.map((e) => e.eventId)).toEqual(written.slice(0, 4));
        expect(await store.readAll({ after: all[11].position })).toEqual([]);
        expect(await store.headPosition()).toBe(all[11].position);
      });

      it('reads only the types asked for, in global order, maxCount counting what it returns', async () => {
        const store = await make();
        const head = await store.headPosition();
        const s = unique('typed');
        const kinds = ['Kept', 'Skipped', 'Skipped', 'AlsoKept', 'Skipped', 'Kept', 'Skipped', 'Kept'];
        const written = kinds.map((k, i) => ev(k, { i }));
        for (const e of written) await store.append(s, [e], 'any');
        const wanted = written.filter((e) => e.type !== 'Skipped').map((e) => e.eventId);
        const typed = await store.readAll({ after: head, types: ['Kept', 'AlsoKept'] });
        expect(typed.map((e) => e.eventId)).toEqual(wanted);
        const firstTwo = await store.readAll({ after: head, types: ['Kept', 'AlsoKept'], maxCount: 2 });
        expect(firstTwo.map((e) => e.eventId)).toEqual(wanted.slice(0, 2));
        const rest = await store.readAll({ after: firstTwo[1].position, types: ['Kept', 'AlsoKept'] });
        expect(rest.map((e) => e.eventId)).toEqual(wanted.slice(2));
        expect(await store.readAll({ after: head, upTo: typed[0].position - 1, types: ['Kept'] })).toEqual([]);
        expect(await store.readAll({ after: head, types: [] })).toEqual([]);
      });

      it('uncached reads (the audit routes) answer what the same reads answer without it', async () => {
        const store = await make();
        const head = await store.headPosition();
        const s = unique('stored');
        for (let i = 0; i < 5; i++) await store.append(s, [ev('Step', { i })], 'any');
        await store.readStream(s); // a cache, where the adapter keeps one, now holds the stream
        expect(await store.readStream(s, { uncached: true })).toEqual(await store.readStream(s));
        expect(await store.readStream(s, { fromRevision: 2, maxCount: 2, uncached: true })).toEqual(await store.readStream(s, { fromRevision: 2, maxCount: 2 }));
        expect(await store.readAll({ after: head, uncached: true })).toEqual(await store.readAll({ after: head }));
        expect(await store.readAll({ after: head, maxCount: 3, uncached: true })).toEqual(await store.readAll({ after: head, maxCount: 3 }));
      });
    });

    describe('subscribe', () => {
      it('catches up from a position, then follows live writes in order, each event once', async () => {
        const store = await make();
        const head = await store.headPosition();
        const s = unique('sub');
        await store.append(s, [ev('Before', { n: 1 }), ev('Before', { n: 2 })], 'no_stream');
        const seen: RecordedEvent[] = [];
        const sub = store.subscribe(head, (batch) => {
          seen.push(...batch.filter((e) => e.streamId === s));
        });
        try {
          await until(() => seen.length >= 2, live);
          expect(seen.map((e) => e.data.n)).toEqual([1, 2]);
          for (let n = 3; n <= 10; n++) await store.append(s, [ev('Live', { n })], n - 2);
          await until(() => seen.length >= 10, live);
          expect(seen.map((e) => e.data.n)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
          expect(seen.map((e) => e.revision)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
        } finally {
          sub.unsubscribe();
        }
        await store.append(s, [ev('AfterUnsubscribe')], 9);
        await new Promise((r) => setTimeout(r, 50));
        expect(seen).toHaveLength(10);
      });

      it('starting from a later position skips what came before; a slow handler still gets every batch in order', async () => {
        const store = await make();
        const s = unique('sub');
        const first = await store.append(s, [ev('Old')], 'no_stream');
        const seen: number[] = [];
        const sub = store.subscribe(first.position, async (batch) => {
          await new Promise((r) => setTimeout(r, 2));
          for (const e of batch) if (e.streamId === s) seen.push(e.revision);
        });
        try {
          const writes = [];
          for (let i = 1; i <= 30; i++) writes.push(store.append(s, [ev('New')], 'any'));
          await Promise.all(writes);
          await until(() => seen.length >= 30, live);
          expect(seen).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
        } finally {
          sub.unsubscribe();
        }
      });
    });

    describe('the stored envelope', () => {
      it('carries every field, the same from readStream and readAll', async () => {
        const store = await make();
        const s = unique('env');
        const head = await store.headPosition();
        const e = ev('CentreRegistered', { centreId: 'kc-1', amountOre: 123456, nested: { b: 2, a: [1, 'x', null] }, name: 'Førde' }, {
          schemaVersion: 3,
          metadata: meta({ actorId: 'ola', actorRole: 'admin', correlationId: 'corr-x', causationId: 'cause-y', idempotencyKey: 'idem-z' }),
        });
        const r = await store.append(s, [e], 'no_stream');
        const [read] = await store.readStream(s);
        expect(read.eventId).toBe(e.eventId);
        expect(read.streamId).toBe(s);
        expect(read.revision).toBe(0);
        expect(read.position).toBe(r.position);
        expect(read.position).toBeGreaterThan(head);
        expect(read.type).toBe('CentreRegistered');
        expect(read.schemaVersion).toBe(3);
        expect(read.data).toEqual(e.data);
        expect(read.metadata).toEqual({ actorId: 'ola', actorRole: 'admin', correlationId: 'corr-x', causationId: 'cause-y', idempotencyKey: 'idem-z' });
        expect(read.recordedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
        expect(read.recordedAt).toBe(r.recordedAt);
        expect(read.prevHash).toBeNull();
        expect(read.hash).toMatch(/^[0-9a-f]{64}$/);
        const [fromAll] = (await store.readAll({ after: head })).filter((x) => x.streamId === s);
        expect(fromAll).toEqual(read);
      });

      it('recordedAt comes from the server clock and never goes backwards, even when the clock steps back', async () => {
        let now: Date | null = null;
        const store = await make(() => now ?? new Date());
        const base = await probeTime(store);
        const at = (ms: number) => new Date(base + ms);
        const s = unique('clock');
        now = at(0);
        await store.append(s, [ev()], 'no_stream');
        now = at(-3600_000); // the clock stepped back an hour
        await store.append(s, [ev()], 0);
        now = at(5000);
        await store.append(unique('other'), [ev()], 'no_stream');
        now = at(-30 * 86400_000);
        await store.append(s, [ev()], 1);
        const read = await store.readStream(s);
        const iso = (ms: number) => at(ms).toISOString();
        expect(read.map((e) => e.recordedAt)).toEqual([iso(0), iso(0), iso(5000)]);
      });

      it('hashes each event (SHA-256 over canonical JSON) chained to the previous event of the same stream', async () => {
        const store = await make();
        const head = await store.headPosition();
        const a = unique('chain-a');
        const b = unique('chain-b');
        await store.append(a, [ev('A0'), ev('A1')], 'no_stream');
        await store.append(b, [ev('B0')], 'no_stream');
        await store.append(a, [ev('A2', { x: 1 })], 1);
        await store.append(b, [ev('B1')], 0);
        const sa = await store.readStream(a);
        const sb = await store.readStream(b);
        expect(sa[0].prevHash).toBeNull();
        expect(sa[1].prevHash).toBe(sa[0].hash);
        expect(sa[2].prevHash).toBe(sa[1].hash); // not B0's hash, although B0 came between them
        expect(sb[1].prevHash).toBe(sb[0].hash);
        for (const e of [...sa, ...sb]) {
          const { hash, ...body } = e;
          expect(hashEvent(body, store.hashCoversPosition)).toBe(hash);
        }
        const mine = (await readAllPages(store, head)).filter((e) => e.streamId === a || e.streamId === b);
        expect(verifyChains(mine, store.hashCoversPosition)).toEqual([]);
        // Tampering with any field is detected.
        const tampered = sa.map((e, i) => (i === 1 ? { ...e, data: { x: 2 } } : e));
        expect(verifyChains(tampered, store.hashCoversPosition)).toEqual([{ streamId: a, revision: 1, eventId: sa[1].eventId, problem: 'hash-mismatch' }]);
        const dropped = [sa[0], sa[2]];
        expect(verifyChains(dropped, store.hashCoversPosition).map((p) => p.problem)).toEqual(['revision-gap', 'prev-hash-mismatch']);
      });
    });

    describe('idempotency claims', () => {
      it('a key claimed with an append is permanent: the record returns the first result; a second claim is refused and appends nothing', async () => {
        const store = await make();
        const s = unique('idem');
        const key = unique('key');
        expect(await store.findIdempotency(key, 'user-1')).toBeNull();
        const r = await store.append(s, [ev('First')], 'no_stream', { actorId: 'user-1', key, requestHash: 'h1' });
        const rec = await store.findIdempotency(key, 'user-1');
        expect(rec).toEqual({ actorId: 'user-1', key, requestHash: 'h1', result: r });
        const head = await store.headPosition();
        await expect(store.append(s, [ev('Second')], 'any', { actorId: 'user-1', key, requestHash: 'h1' })).rejects.toBeInstanceOf(IdempotencyKeyTakenError);
        await expect(store.append(unique('elsewhere'), [ev('Third')], 'no_stream', { actorId: 'user-1', key, requestHash: 'h2' })).rejects.toBeInstanceOf(IdempotencyKeyTakenError);
        expect(await store.headPosition()).toBe(head);
        expect((await store.readStream(s)).map((e) => e.type)).toEqual(['First']);
        expect(await store.findIdempotency(key, 'user-1')).toEqual({ actorId: 'user-1', key, requestHash: 'h1', result: r });
      });

      it('a key is its sender\'s: another sender claims the same key for an append of its own, each finds only its own record, and neither is a receipt of the key alone', async () => {
        const store = await make();
        const key = unique('key');
        const mine = await store.append(unique('mine'), [ev('Mine')], 'no_stream', { actorId: 'user-1', key, requestHash: 'h1' });
        expect(await store.findIdempotency(key, 'user-2')).toBeNull();
        const theirs = await store.append(unique('theirs'), [ev('Theirs', {}, { metadata: meta({ actorId: 'user-2' }) })], 'no_stream', { actorId: 'user-2', key, requestHash: 'h2' });
        expect(await store.findIdempotency(key, 'user-1')).toEqual({ actorId: 'user-1', key, requestHash: 'h1', result: mine });
        expect(await store.findIdempotency(key, 'user-2')).toEqual({ actorId: 'user-2', key, requestHash: 'h2', result: theirs });
        expect(await store.findIdempotency(key, null)).toBeNull();
        // Pairs that would run together if written side by side ("a" + "b|c" and "a|b" + "c") stay apart.
        await store.append(unique('pair'), [ev()], 'no_stream', { actorId: 'a', key: 'b|c', requestHash: 'h3' });
        expect(await store.findIdempotency('c', 'a|b')).toBeNull();
        await store.append(unique('pair'), [ev()], 'no_stream', { actorId: 'a|b', key: 'c', requestHash: 'h4' });
        expect((await store.findIdempotency('b|c', 'a'))?.requestHash).toBe('h3');
        expect((await store.findIdempotency('c', 'a|b'))?.requestHash).toBe('h4');
      });

      it('two senders claiming one key at once are both recorded; one sender\'s racing claims, once', async () => {
        const store = await make();
        const key = unique('key');
        const claims = ['user-1', 'user-2', 'user-1', 'user-2', 'user-1', 'user-2'].map((actorId, i) =>
          store.append(unique(`race-${i}`), [ev('Raced', {}, { metadata: meta({ actorId }) })], 'no_stream', { actorId, key, requestHash: `h-${actorId}` }).then(
            (r) => ({ actorId, r }),
            (e) => ({ actorId, e }),
          ),
        );
        const settled = await Promise.all(claims);
        const won = settled.filter((x): x is { actorId: string; r: Awaited<ReturnType<EventStore['append']>> } => 'r' in x);
        expect(won.map((x) => x.actorId).sort()).toEqual(['user-1', 'user-2']);
        for (const x of settled) if ('e' in x) expect(x.e).toBeInstanceOf(IdempotencyKeyTakenError);
        for (const w of won) expect((await store.findIdempotency(key, w.actorId))?.result).toEqual(w.r);
      });

      it('a claim whose append conflicts is not kept', async () => {
        const store = await make();
        const s = unique('idem');
        const key = unique('key');
        await store.append(s, [ev()], 'no_stream');
        await expectConflict(store.append(s, [ev()], 'no_stream', { actorId: 'user-1', key, requestHash: 'h' }), 0);
        expect(await store.findIdempotency(key, 'user-1')).toBeNull();
        const r = await store.append(s, [ev()], 0, { actorId: 'user-1', key, requestHash: 'h' });
        expect(r.revision).toBe(1);
      });

      if (target.reopen) {
        it('survives closing and re-opening the store', async () => {
          const store = await make();
          const s = unique('idem');
          const key = unique('key');
          const r = await store.append(s, [ev()], 'no_stream', { actorId: 'user-1', key, requestHash: 'h' });
          open.splice(open.indexOf(store), 1);
          const again = await target.reopen!(store);
          open.push(again);
          expect(await again.findIdempotency(key, 'user-1')).toEqual({ actorId: 'user-1', key, requestHash: 'h', result: r });
          await expect(again.append(s, [ev()], 'any', { actorId: 'user-1', key, requestHash: 'h' })).rejects.toBeInstanceOf(IdempotencyKeyTakenError);
          expect(await again.readStream(s)).toHaveLength(1);
        });
      }
    });

    describe('positionAt', () => {
      it('answers the last position recorded at or before an instant', async () => {
        let now: Date | null = null;
        const store = await make(() => now ?? new Date());
        const base = await probeTime(store);
        const head = await store.headPosition();
        const iso = (ms: number) => new Date(base + ms).toISOString();
        const s = unique('at');
        now = new Date(base);
        const p1 = (await store.append(s, [ev()], 'no_stream')).position;
        now = new Date(base + 60_000);
        const p2 = (await store.append(s, [ev(), ev()], 0)).position;
        now = new Date(base + 120_000);
        const p3 = (await store.append(s, [ev()], 2)).position;
        expect(await store.positionAt(iso(-1))).toBe(head);
        expect(await store.positionAt(iso(0))).toBe(p1);
        expect(await store.positionAt(iso(30_000))).toBe(p1);
        expect(await store.positionAt(iso(60_000))).toBe(p2);
        expect(await store.positionAt(iso(119_999))).toBe(p2);
        expect(await store.positionAt(iso(86400_000))).toBe(p3);
        expect(await store.positionAt('1970-01-01T00:00:00.000Z')).toBe(0);
      });
    });

    describe('event ids', () => {
      const uniqueIt = target.uniqueEventIdsAcrossStreams ? it : it.skip;
      uniqueIt('are unique: an append re-using a stored id (or repeating one in its batch) is refused and appends nothing', async () => {
        const store = await make();
        const s = unique('ids');
        const e = ev('Once');
        await store.append(s, [e], 'no_stream');
        const head = await store.headPosition();
        await expect(store.append(s, [ev('Fresh'), { ...ev('Copy'), eventId: e.eventId }], 0)).rejects.toBeInstanceOf(DuplicateEventIdError);
        await expect(store.append(unique('other'), [{ ...ev('Copy'), eventId: e.eventId }], 'no_stream')).rejects.toBeInstanceOf(DuplicateEventIdError);
        const twice = ev('Twice');
        await expect(store.append(unique('other'), [twice, { ...twice }], 'no_stream')).rejects.toBeInstanceOf(DuplicateEventIdError);
        expect(await store.headPosition()).toBe(head);
        expect((await store.readStream(s)).map((x) => x.type)).toEqual(['Once']);
      });
    });
  });
};
