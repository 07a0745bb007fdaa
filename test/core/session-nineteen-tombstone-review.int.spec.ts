/**
 * Review of commit 9590602 (EventStoreDB: a stream hard-deleted / tombstoned on the node), against
 * the adapter's in-process stand-in of the client (FakeEsdbClient). Each test asserts the behaviour
 * the ledger should have; a failing one is a finding (see the report that came with this file).
 *
 * Groups: A normal operation without a tombstone; B where the tombstone sits in `$all`; C the views
 * (subscription, projection engine, restart, restore); D Idempotency-Key claims; E verify, digest,
 * export; F the HTTP answers.
 *
 * Failing when written (HEAD b854840 = 9590602 + a test-only tidy): B6, C2, C2b, C4, C5, E1, E3, E3b,
 * E5, F3. Of those, B6, C4, E3, E5 and F3 passed before 9590602 (run against its parent with the
 * new stand-in): regressions of the commit. The other five failed before too (holes the commit
 * leaves or moves). All but C5 are fixed (40aa137 and the commit after it); C5 (after a scavenge,
 * an as-of read from before the tombstone folds the log without the deleted stream's history and
 * answers without it, e.g. a silent 404) is left as a documented limit (README, EventStoreDB), so its
 * check is not kept here: refusing honestly would mean looking for tombstones on every as-of fold.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProjectionEngine } from '../../libs/application/src/projection-engine';
import { MemorySnapshotStore } from '../../libs/application/src/snapshot-store';
import { storeSource, verifySource } from '../../libs/application/src/audit/integrity';
import { writeExport } from '../../libs/application/src/audit/export';
import { IdempotencyKeyTakenError, StoreOutcomeUnknownError, StreamDeletedOnNodeError } from '../../libs/event-store/src/errors';
import { ev } from '../../libs/event-store/src/event-store.contract';
import { EventStoreDbEventStore, idempotencyStream } from '../../libs/event-store/src/eventstoredb-event-store';
import { FakeEsdbClient } from '../../libs/event-store/src/eventstoredb-fake-client.fixture';
import { sleep, until } from '../../libs/event-store/src/wait-until.fixture';
import { RecordedEvent } from '../../libs/domain/src/shared';
import { startTestApp, TestApp } from '../helpers/test-app';

const unique = (name: string): string => `${name}-${randomUUID().slice(0, 8)}`;
const claimStream = (actorId: string, key: string): string => idempotencyStream(key, actorId);
const idem = (key: string, actorId = 'user-1') => ({ actorId, key, requestHash: 'h' });
const caught = (p: Promise<unknown>): Promise<unknown> => p.then(() => 'resolved', (e: unknown) => e);

/** The stand-in's private log (the node's `$all`), for reference reads, partial scavenges and tampering. */
interface StoredRecord { id: string; type: string; streamId: string; revision: bigint; position: bigint; data: string; metadata: string; tombstone?: true }
const logOf = (server: FakeEsdbClient): StoredRecord[] => (server as unknown as { log: StoredRecord[] }).log;
/** The node restored from a backup taken just before the hard delete: the tombstone gone, the stream readable again. */
const restore = (server: FakeEsdbClient, streamName: string): void => {
  const log = logOf(server);
  const i = log.findIndex((r) => r.tombstone && r.streamId === streamName);
  log.splice(i, 1);
  (server as unknown as { deleted: Set<string> }).deleted.delete(streamName);
};
/** Records another client writes to the same node (no ledger envelope). */
const foreign = (n: number, type = 'Imported') => Array.from({ length: n }, (_, i) => ({ type, data: { i }, metadata: {} }));

/** What readAll should return, computed from the stand-in's log directly (ledger events only). */
const reference = (server: FakeEsdbClient, o: { after?: number; upTo?: number; types?: string[]; maxCount?: number } = {}): string[] => {
  const out: string[] = [];
  for (const r of logOf(server)) {
    if (r.tombstone || r.type.startsWith('$') || r.streamId.startsWith('$') || r.streamId.startsWith('ledger_')) continue;
    const meta = JSON.parse(r.metadata);
    if (!meta?.ledger) continue;
    const p = Number(r.position);
    if (p <= (o.after ?? 0)) continue;
    if (o.upTo !== undefined && p > o.upTo) break;
    if (o.types && !o.types.includes(r.type)) continue;
    out.push(r.id);
    if (out.length >= (o.maxCount ?? 5_000)) break;
  }
  return out;
};
const ids = (events: RecordedEvent[]): string[] => events.map((e) => e.eventId);

let server: FakeEsdbClient;
let store: EventStoreDbEventStore;
beforeEach(() => {
  server = new FakeEsdbClient();
  store = new EventStoreDbEventStore(server);
});
afterEach(async () => {
  await store.close();
});

/** Ledger events of a few streams, with keyed (claim) traffic and another client's records between them, over more than one 500-record `$all` read. */
const busyLog = async (): Promise<{ streams: string[] }> => {
  const streams = [unique('acc'), unique('grant'), unique('centre')];
  for (let round = 0; round < 4; round++) {
    for (const [i, s] of streams.entries()) {
      await store.append(s, [ev(i % 2 ? 'Paid' : 'Opened'), ev('Moved')], 'any', round % 2 ? idem(`k-${round}-${i}`) : undefined);
    }
    await server.appendToStream(unique('other-app'), foreign(300) as any);
  }
  return { streams };
};

describe('A. normal operation (no tombstone) is unchanged', () => {
  it('A1 readAll over several $all reads, with claim and foreign records between ledger events: whole, paged by maxCount, with after/upTo and types, equals the log', async () => {
    await busyLog();
    expect(logOf(server).length).toBeGreaterThan(1_000);
    expect(ids(await store.readAll())).toEqual(reference(server));
    const all = await store.readAll();
    // Paged by 5, from every page's end.
    const paged: string[] = [];
    for (let after = 0; ; ) {
      const page = await store.readAll({ after, maxCount: 5 });
      if (page.length === 0) break;
      paged.push(...ids(page));
      after = page[page.length - 1].position;
    }
    expect(paged).toEqual(ids(all));
    const mid = all[7].position;
    const late = all[19].position;
    expect(ids(await store.readAll({ after: mid, upTo: late }))).toEqual(reference(server, { after: mid, upTo: late }));
    expect(ids(await store.readAll({ types: ['Paid'] }))).toEqual(reference(server, { types: ['Paid'] }));
    expect(ids(await store.readAll({ after: mid, upTo: late, types: ['Moved'], maxCount: 3 }))).toEqual(reference(server, { after: mid, upTo: late, types: ['Moved'], maxCount: 3 }));
    // A position between two records (EventStoreDB positions skip).
    expect(ids(await store.readAll({ after: mid + 1 }))).toEqual(reference(server, { after: mid + 1 }));
    expect(await store.headPosition()).toBe(all[all.length - 1].position);
  });

  it('A2 the subscription catches up over the same log and follows live appends: every event once, in order, no error', async () => {
    const { streams } = await busyLog();
    const seen: string[] = [];
    const errors: unknown[] = [];
    const sub = store.subscribe(0, (b) => void seen.push(...ids(b)), (e) => errors.push(e));
    try {
      expect(await until(() => seen.length === reference(server).length, 3_000)).toBe(true);
      await store.append(streams[0], [ev('Late')], 'any');
      expect(await until(() => seen.length === reference(server).length, 3_000)).toBe(true);
      expect([seen, errors]).toEqual([reference(server), []]);
    } finally {
      sub.unsubscribe();
    }
  });

  it('A3 keyed appends, their retries, findIdempotency and a condition-checked append answer as before (claim: Claimed, Answered; never Released)', async () => {
    const s = unique('grant');
    const first = await store.append(s, [ev('Granted')], 'no_stream', idem('a3'));
    await expect(store.append(s, [ev('Granted')], 'no_stream', idem('a3'))).rejects.toBeInstanceOf(IdempotencyKeyTakenError);
    expect(await store.findIdempotency('a3', 'user-1')).toMatchObject({ key: 'a3', requestHash: 'h', result: { eventIds: first.eventIds } });
    expect(server.stream(claimStream('user-1', 'a3')).map((e) => e.type)).toEqual(['IdempotencyKeyClaimed', 'IdempotencyKeyAnswered']);
    const decided = await store.append(unique('own'), [ev('Decided')], 'no_stream', idem('a3b'), { nothingAfter: [{ after: 0, affects: () => false }] });
    expect(decided.eventIds).toHaveLength(1);
  });
});

describe('B. where the tombstone sits in $all', () => {
  it('B1 a tombstone as the very first record (a stream never written): readAll fails there, reads on after it; the subscription from 0 delivers nothing and stops', async () => {
    const s = unique('grant');
    const t = Number(server.tombstone(s).position);
    const a = await store.append(unique('acc'), [ev('Opened')], 'no_stream');
    expect(await caught(store.readAll())).toMatchObject({ constructor: StreamDeletedOnNodeError, streamId: s, position: t });
    expect(ids(await store.readAll({ after: t }))).toEqual(a.eventIds);
    expect(await store.readAll({ upTo: t - 1 })).toEqual([]);
    expect(await store.headPosition()).toBe(a.position);
    const seen: string[] = [];
    const errors: unknown[] = [];
    const sub = store.subscribe(0, (b) => void seen.push(...ids(b)), (e) => errors.push(e));
    try {
      await until(() => errors.length > 0, 3_000);
      expect([seen, errors]).toEqual([[], [expect.objectContaining({ streamId: s, position: t })]]);
    } finally {
      sub.unsubscribe();
    }
  });

  it.each([499, 500, 501])('B2 a tombstone as $all record number %i (around the 500-record read boundary): readAll fails there, upTo just before it returns every event before it', async (n) => {
    const a = unique('acc');
    // n-1 records before the tombstone: ledger events, each followed by foreign records.
    let written = 0;
    while (written < n - 1) {
      const left = n - 1 - written;
      if (left >= 4) {
        await store.append(a, [ev('E')], 'any');
        await server.appendToStream(unique('other'), foreign(3) as any);
        written += 4;
      } else {
        await server.appendToStream(unique('other'), foreign(left) as any);
        written += left;
      }
    }
    const s = unique('grant');
    const t = Number(server.tombstone(s).position);
    expect(logOf(server).findIndex((r) => r.tombstone)).toBe(n - 1);
    const after = await store.append(a, [ev('After')], 'any');
    expect(await caught(store.readAll())).toMatchObject({ constructor: StreamDeletedOnNodeError, streamId: s, position: t });
    expect(ids(await store.readAll({ upTo: t - 1 }))).toEqual(reference(server, { upTo: t - 1 }));
    expect(ids(await store.readAll({ after: t }))).toEqual(after.eventIds);
  });

  it('B3 upTo exactly at the tombstone fails (the hole is inside the range), upTo just before it does not; after a position between the tombstone and the next event reads on', async () => {
    const a = unique('acc');
    const before = await store.append(a, [ev('Opened')], 'no_stream');
    const s = unique('grant');
    await store.append(s, [ev('Granted')], 'no_stream');
    const t = Number(server.tombstone(s).position);
    const later = await store.append(a, [ev('Moved')], 0);
    await expect(store.readAll({ upTo: t })).rejects.toMatchObject({ streamId: s, position: t });
    await expect(store.readAll({ after: before.position, upTo: t, types: ['Nothing'] })).rejects.toMatchObject({ streamId: s });
    expect((await store.readAll({ upTo: t - 1 })).map((e) => e.streamId)).toEqual([a, s]);
    expect(ids(await store.readAll({ after: t + 1 }))).toEqual(later.eventIds);
    expect(ids(await store.readAll({ after: t, upTo: later.position }))).toEqual(later.eventIds);
  });

  it('B4 two tombstones: readAll fails at the first, then (after it) at the second, then reads on; the subscription stops at the first', async () => {
    const a = unique('acc');
    const s1 = unique('grant');
    const s2 = unique('centre');
    await store.append(s1, [ev('Granted')], 'no_stream');
    await store.append(s2, [ev('Registered')], 'no_stream');
    const mid = await store.append(a, [ev('Opened')], 'no_stream');
    const t1 = Number(server.tombstone(s1).position);
    const between = await store.append(a, [ev('Moved')], 0);
    const t2 = Number(server.tombstone(s2).position);
    const last = await store.append(a, [ev('Closed')], 1);
    await expect(store.readAll()).rejects.toMatchObject({ streamId: s1, position: t1 });
    await expect(store.readAll({ after: t1 })).rejects.toMatchObject({ streamId: s2, position: t2 });
    expect(ids(await store.readAll({ after: t1, upTo: t2 - 1 }))).toEqual(between.eventIds);
    expect(ids(await store.readAll({ after: t2 }))).toEqual(last.eventIds);
    const seen: string[] = [];
    const errors: unknown[] = [];
    const sub = store.subscribe(0, (b) => void seen.push(...ids(b)), (e) => errors.push(e));
    try {
      await until(() => errors.length > 0, 3_000);
      await sleep(600);
      expect(seen[seen.length - 1]).toBe(mid.eventIds[0]);
      expect(seen).toHaveLength(3);
      expect(errors).toEqual([expect.objectContaining({ streamId: s1, position: t1 })]);
    } finally {
      sub.unsubscribe();
    }
  });

  it('B5 a hard-deleted claim stream (ledger_…) or system stream ($…) does not stop readAll or the views', async () => {
    const s = unique('grant');
    await store.append(s, [ev('Granted')], 'no_stream', idem('b5'));
    server.tombstone(claimStream('user-1', 'b5'));
    server.tombstone('$some-system-stream');
    const after = await store.append(s, [ev('Paid')], 0);
    expect((await store.readAll()).map((e) => e.type)).toEqual(['Granted', 'Paid']);
    const seen: string[] = [];
    const errors: unknown[] = [];
    const sub = store.subscribe(0, (b) => void seen.push(...ids(b)), (e) => errors.push(e));
    try {
      expect(await until(() => seen.includes(after.eventIds[0]), 3_000)).toBe(true);
      expect(errors).toEqual([]);
    } finally {
      sub.unsubscribe();
    }
  });

  it('B6 a record of type $streamDeleted that is no tombstone (a JSON event at revision 0, written by a client) is not taken for a hard delete: the views do not stop for good', async () => {
    const a = unique('acc');
    await store.append(a, [ev('Opened')], 'no_stream');
    const written = await server.appendToStream(unique('other-app'), { type: '$streamDeleted', data: { note: 'not a tombstone' }, metadata: {} });
    expect(written.nextExpectedRevision).toBe(0n);
    const later = await store.append(a, [ev('Moved')], 0);
    const read: unknown = await store.readAll().catch((e: unknown) => e);
    expect(read).not.toBeInstanceOf(StreamDeletedOnNodeError);
    expect((read as RecordedEvent[]).map((e) => e.eventId).pop()).toBe(later.eventIds[0]);
  });

  it('B7 a decision whose conditions read the log only after an old tombstone is recorded (only a read across the hole is refused)', async () => {
    const s = unique('grant');
    await store.append(s, [ev('Granted')], 'no_stream');
    server.tombstone(s);
    const read = await store.append(unique('acc'), [ev('Opened')], 'no_stream');
    const own = unique('own');
    const decided = await store.append(own, [ev('Decided')], 'no_stream', idem('b7'), { nothingAfter: [{ after: read.position, affects: () => false }] });
    expect(server.stream(own).map((e) => e.id)).toEqual(decided.eventIds);
  });
});

describe('C. the views after a tombstone', () => {
  it('C1 the projection engine folds every event before the tombstone exactly once; a second engine (a restart) from the first\'s checkpoint folds none again and stops at the same place', async () => {
    const folded: string[] = [];
    const projection: any = {
      name: 'counter',
      version: 1,
      initial: () => ({ n: 0 }),
      evolve: (v: { n: number }, e: RecordedEvent) => {
        folded.push(e.eventId);
        return { n: v.n + 1 };
      },
    };
    const a = unique('acc');
    const s = unique('grant');
    const kept = [await store.append(a, [ev('Opened')], 'no_stream'), await store.append(s, [ev('Granted'), ev('Paid')], 'no_stream')];
    server.tombstone(s);
    await store.append(a, [ev('Moved')], 0);
    const snapshots = new MemorySnapshotStore();
    const errors: unknown[] = [];
    const engine = new ProjectionEngine(store, [projection], snapshots, { onError: (e) => errors.push(e) });
    await engine.start();
    await until(() => errors.length > 0, 3_000);
    const expected = kept.flatMap((r) => r.eventIds);
    expect(folded).toEqual(expected);
    expect(engine.position).toBe(kept[1].position);
    await engine.stop();
    const errors2: unknown[] = [];
    const again = new ProjectionEngine(store, [projection], snapshots, { onError: (e) => errors2.push(e) });
    await again.start();
    await until(() => errors2.length > 0, 3_000);
    await again.stop();
    expect(folded).toEqual(expected);
    expect(again.position).toBe(kept[1].position);
    expect(errors2).toEqual([expect.objectContaining({ streamId: s })]);
  });
});

/** An app on the stand-in, its views kept in a file of a fresh folder (so a restart restores them). */
const appOn = async (node: FakeEsdbClient, dir: string): Promise<TestApp> => startTestApp({ store: new EventStoreDbEventStore(node), env: { LEDGER_SQLITE_PATH: join(dir, 'ledger.sqlite') } });

describe('C/E/F over HTTP', () => {
  let dir: string;
  let node: FakeEsdbClient;
  let t: TestApp;
  let quiet: jest.SpyInstance;
  let admin: { Authorization: string };
  let fo: { Authorization: string };
  let auditor: { Authorization: string };

  /** A write that reads nothing across the log (a centre's service declaration): it is recorded past the tombstone. */
  const laterWrite = async (): Promise<number> => {
    const res = await t.http().post('/centres/kc-notodden/grant-evidence/service-declarations').set(fo).send({ declarationId: randomUUID(), effectiveFrom: '2014-03-02', freeOfCharge: true, openToAllAdults: true, fromAge: 25 });
    expect(res.status).toBe(201);
    return res.body.position as number;
  };
  const centre = (centreId: string, countyId = 'telemark') => t.http().post('/centres').set(fo).send({ centreId, countyId, name: `Centre ${centreId}`, municipality: 'Skien', openedOn: '2014-03-01' });

  beforeEach(async () => {
    quiet = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    dir = mkdtempSync(join(tmpdir(), 'tombstone-review-'));
    node = new FakeEsdbClient();
    t = await appOn(node, dir);
    admin = await t.auth('admin', [], 'esdb-admin');
    fo = await t.auth('finance-officer', ['telemark'], 'esdb-fo');
    auditor = await t.auth('auditor', [], 'esdb-auditor');
    expect((await t.http().post('/counties').set(admin).send({ countyId: 'telemark', name: 'Telemark', countyNumber: '08' })).status).toBe(201);
    expect((await centre('kc-skien')).status).toBe(201);
    expect((await centre('kc-notodden')).status).toBe(201);
  });
  afterEach(async () => {
    await t?.close();
    quiet.mockRestore();
    rmSync(dir, { recursive: true, force: true });
  });

  it('C2 after a tombstone and a later write elsewhere (201), a view read answers 500 STORE.STREAM_DELETED (the views stopped for good), not 503 VIEWS.CATCHING_UP "try again in a moment"', async () => {
    node.tombstone('centre-kc-skien');
    await laterWrite();
    const res = await t.http().get('/counties').set(auditor);
    expect([res.status, res.body.code]).toEqual([500, 'STORE.STREAM_DELETED']);
  }, 30_000);

  it('C2b the same after a restart: a server that itself wrote nothing answers its view reads 500 STORE.STREAM_DELETED, not 503 VIEWS.CATCHING_UP on every read', async () => {
    node.tombstone('centre-kc-skien');
    await laterWrite();
    await t.close();
    t = await appOn(node, dir);
    const res = await t.http().get('/centres').set(auditor);
    expect([res.status, res.body.code]).toEqual([500, 'STORE.STREAM_DELETED']);
  }, 30_000);

  it('C3 a restart on the same node: the views come back at the same position (just before the tombstone), nothing folded twice, verify still names the stream', async () => {
    const engine = t.app.get(ProjectionEngine);
    node.tombstone('centre-kc-skien');
    await sleep(700);
    const at = engine.position;
    const before = (await t.http().get('/counties').set(auditor)).body;
    await t.close();
    t = await appOn(node, dir);
    await sleep(700);
    const engine2 = t.app.get(ProjectionEngine);
    expect(engine2.position).toBe(at);
    const after = await t.http().get('/counties').set(auditor);
    expect([after.status, after.body]).toEqual([200, before]);
    expect(after.body[0].centres.map((c: { centreId: string }) => c.centreId).sort()).toEqual(['kc-notodden', 'kc-skien']);
    const v = await t.http().get('/audit/verify').set(auditor);
    expect(v.body.brokenStreams).toEqual([expect.objectContaining({ streamId: 'centre-kc-skien', reasons: ['stream-deleted'] })]);
  }, 30_000);

  it('C4 once the node is restored (the tombstone gone), the views go on without restarting the server ("until the node is restored")', async () => {
    const engine = t.app.get(ProjectionEngine);
    node.tombstone('centre-kc-skien');
    await sleep(700);
    restore(node, 'centre-kc-skien');
    expect((await centre('kc-porsgrunn')).status).toBe(201);
    const head = await t.store.headPosition();
    expect(await until(() => engine.position === head, 4_000)).toBe(true);
  }, 30_000);

  it('E3 GET /audit/digest across a tombstone: its `events` counts ledger events only (a tombstone is no event)', async () => {
    node.tombstone('centre-kc-skien');
    await laterWrite();
    const head = await t.store.headPosition();
    const res = await t.http().get('/audit/digest').set(auditor);
    if (res.status === 200) expect(res.body.events).toBe(reference(node, { upTo: head }).length);
  }, 30_000);

  it('E3b GET /audit/digest across a tombstone does not pass it in silence (refused STORE.STREAM_DELETED, or the answer names the deleted stream), as every other whole-log read', async () => {
    node.tombstone('centre-kc-skien');
    await laterWrite();
    const res = await t.http().get('/audit/digest').set(auditor);
    if (res.status === 200) expect(JSON.stringify(res.body)).toContain('centre-kc-skien');
    else expect([res.status, res.body.code]).toEqual([500, 'STORE.STREAM_DELETED']);
  }, 30_000);

  it('E5 with the tombstone the last record, the head digest GET /audit/verify reports can be taken again by GET /audit/digest at its position (it is at the tombstone, past the last event)', async () => {
    node.tombstone('centre-kc-skien');
    const v = (await t.http().get('/audit/verify').set(auditor)).body;
    const d = await t.http().get(`/audit/digest?position=${v.headDigest.position}`).set(auditor);
    expect([d.status, d.body.digest]).toEqual([200, v.headDigest.digest]);
  }, 30_000);

  it('F1 a keyed retry whose claim stream was hard-deleted: 500 STORE.STREAM_DELETED in plain words, no stack, no Retry-After, nothing recorded twice', async () => {
    const send = () => t.http().post('/counties').set(admin).set('Idempotency-Key', 'f1-key').send({ countyId: 'vestfold', name: 'Vestfold', countyNumber: '07' });
    expect((await send()).status).toBe(201);
    node.tombstone(claimStream('esdb-admin', 'f1-key'));
    const retry = await send();
    expect([retry.status, retry.body.code]).toEqual([500, 'STORE.STREAM_DELETED']);
    expect(Object.keys(retry.body).sort()).toEqual(['code', 'details', 'message', 'statusCode']);
    expect(retry.body.details).toEqual({ streamId: claimStream('esdb-admin', 'f1-key') });
    expect(retry.body.message).not.toMatch(/\n\s+at |node_modules|\.ts:\d|StreamDeletedError|FAILED_PRECONDITION/);
    expect(retry.headers['retry-after']).toBeUndefined();
    expect(node.stream('county-vestfold').map((e) => e.type)).toEqual(['CountyRegistered']);
  }, 30_000);

  it('F2 GET /audit/events across the tombstone: 500 STORE.STREAM_DELETED with its position; after it, 200', async () => {
    const t0 = Number(node.tombstone('centre-kc-skien').position);
    await laterWrite();
    const across = await t.http().get('/audit/events').set(auditor);
    expect([across.status, across.body.code, across.body.details]).toEqual([500, 'STORE.STREAM_DELETED', { streamId: 'centre-kc-skien', position: t0 }]);
    const past = await t.http().get(`/audit/events?after=${t0}`).set(auditor);
    expect(past.status).toBe(200);
  }, 30_000);

  it('F3 a command refused by its own rules (COUNTY.NOT_FOUND, 404) stays 404 after an unrelated stream was hard-deleted: the hint read does not turn it into a 500', async () => {
    node.tombstone('centre-kc-skien');
    await laterWrite();
    const res = await t.http().post('/centres').set(admin).send({ centreId: 'kc-x', countyId: 'nowhere', name: 'X', municipality: 'X', openedOn: '2014-03-01' });
    expect([res.status, res.body.code]).toEqual([404, 'COUNTY.NOT_FOUND']);
  }, 30_000);
});

describe('D. Idempotency-Key claims meeting a tombstone', () => {
  let now = 0;
  const open = (leaseMs = 1_000): EventStoreDbEventStore => new EventStoreDbEventStore(server, () => new Date(), { monotonicMs: () => now, leaseMs });

  it('D1 a claim left unanswered (its events landed), then the events stream hard-deleted: past the lease, a retry and findIdempotency are STORE.STREAM_DELETED (not IN_FLIGHT for good, never recorded twice); the claim is left as it is', async () => {
    const first = open();
    const s = unique('grant');
    await first.append(s, [ev('Granted')], 'no_stream');
    // The answer write is lost (the process stopped after the events landed).
    server.beforeAppend = (name) => {
      if (name === claimStream('user-1', 'd1') && server.stream(name).length === 1) throw Object.assign(new Error('14 UNAVAILABLE'), { code: 14 });
    };
    await first.append(s, [ev('Paid')], 0, idem('d1'));
    server.beforeAppend = null;
    server.tombstone(s);
    const other = open();
    try {
      await expect(other.findIdempotency('d1', 'user-1')).rejects.toBeInstanceOf(IdempotencyKeyTakenError);
      now += 2_000;
      await expect(other.findIdempotency('d1', 'user-1')).rejects.toMatchObject({ constructor: StreamDeletedOnNodeError, streamId: s });
      await expect(other.append(s, [ev('Paid')], 0, idem('d1'))).rejects.toMatchObject({ constructor: StreamDeletedOnNodeError, streamId: s });
      expect(server.stream(claimStream('user-1', 'd1')).map((e) => e.type)).toEqual(['IdempotencyKeyClaimed']);
    } finally {
      await other.close();
      await first.close();
    }
  });

  it('D2 a claim whose append outcome was unknown (not landed), then the stream hard-deleted: past the lease, the retry is STORE.STREAM_DELETED; nothing recorded', async () => {
    const first = open();
    const s = unique('grant');
    await first.append(s, [ev('Granted')], 'no_stream');
    server.beforeAppend = (name) => {
      if (name === s) throw Object.assign(new Error('4 DEADLINE_EXCEEDED'), { code: 4 });
    };
    await expect(first.append(s, [ev('Paid')], 0, idem('d2'))).rejects.toBeInstanceOf(StoreOutcomeUnknownError);
    server.beforeAppend = null;
    server.tombstone(s);
    const other = open();
    try {
      await expect(other.append(s, [ev('Paid')], 0, idem('d2'))).rejects.toMatchObject({ constructor: StreamDeletedOnNodeError, streamId: s });
      now += 2_000;
      await expect(other.append(s, [ev('Paid')], 0, idem('d2'))).rejects.toMatchObject({ constructor: StreamDeletedOnNodeError, streamId: s });
      expect(server.stream(s).map((e) => e.type)).toEqual(['Granted']);
    } finally {
      await other.close();
      await first.close();
    }
  });

  it('D3 deleted between claim and append and the release write lost: the key in flight within the lease (the append itself STREAM_DELETED), then STORE.STREAM_DELETED for the key too; the claim never settled as lost', async () => {
    const first = open();
    const s = unique('grant');
    await first.append(s, [ev('Granted')], 'no_stream');
    let claimWrites = 0;
    server.beforeAppend = (name) => {
      if (name === s) server.tombstone(s);
      if (name === claimStream('user-1', 'd3') && ++claimWrites === 2) throw Object.assign(new Error('14 UNAVAILABLE'), { code: 14 });
    };
    await expect(first.append(s, [ev('Paid')], 0, idem('d3'))).rejects.toBeInstanceOf(StreamDeletedOnNodeError);
    server.beforeAppend = null;
    expect(server.stream(claimStream('user-1', 'd3')).map((e) => e.type)).toEqual(['IdempotencyKeyClaimed']);
    const other = open();
    try {
      // Within the lease the key is still in flight (its release was lost); the append itself meets the deleted stream first.
      await expect(other.findIdempotency('d3', 'user-1')).rejects.toBeInstanceOf(IdempotencyKeyTakenError);
      await expect(other.append(s, [ev('Paid')], 0, idem('d3'))).rejects.toMatchObject({ constructor: StreamDeletedOnNodeError, streamId: s });
      now += 2_000;
      await expect(other.findIdempotency('d3', 'user-1')).rejects.toMatchObject({ constructor: StreamDeletedOnNodeError, streamId: s });
      await expect(other.append(s, [ev('Paid')], 0, idem('d3'))).rejects.toMatchObject({ constructor: StreamDeletedOnNodeError, streamId: s });
      expect(server.stream(claimStream('user-1', 'd3')).map((e) => e.type)).toEqual(['IdempotencyKeyClaimed']);
      expect(server.stream(s).map((e) => e.type)).toEqual(['Granted']);
    } finally {
      await other.close();
      await first.close();
    }
  });

  it('D4 a key answered before its stream was hard-deleted still answers its retry with the first answer, recording nothing', async () => {
    const s = unique('grant');
    const first = await store.append(s, [ev('Granted')], 'no_stream', idem('d4'));
    server.tombstone(s);
    expect(await store.findIdempotency('d4', 'user-1')).toMatchObject({ result: { eventIds: first.eventIds } });
  });
});

describe('E. verify and export', () => {
  const verify = (upTo?: number) => verifySource(storeSource(store, upTo), { hashCoversPosition: store.hashCoversPosition, contiguousPositions: false });

  it('E1 a deleted stream whose older events a scavenge already removed (the node keeps those of its active chunk) is still named stream-deleted, not only revision-gap', async () => {
    const s = unique('grant');
    await store.append(s, [ev('Granted'), ev('Paid'), ev('Closed')], 'no_stream');
    const t0 = Number(server.tombstone(s).position);
    // A scavenge of the completed chunks: revisions 0 and 1 are gone, revision 2 (in the active chunk) is still in $all.
    const log = logOf(server);
    for (const rev of [0n, 1n]) log.splice(log.findIndex((r) => r.streamId === s && r.revision === rev), 1);
    const report = await verify();
    expect(report.ok).toBe(false);
    const named = report.brokenStreams.find((b) => b.streamId === s)!;
    expect(named.reasons).toContain('stream-deleted');
    expect(report.firstBadPosition).toBeLessThan(t0);
  });

  it('E2 tampering elsewhere is still found past a tombstone: content altered, an event removed (revision gap), counted right', async () => {
    const a = unique('acc');
    const b = unique('acc');
    const s = unique('grant');
    await store.append(s, [ev('Granted')], 'no_stream');
    const t0 = Number(server.tombstone(s).position);
    await store.append(a, [ev('Opened', { amount: 1 })], 'no_stream');
    await store.append(b, [ev('Opened'), ev('Moved'), ev('Closed')], 'no_stream');
    const log = logOf(server);
    const altered = log.find((r) => r.streamId === a)!;
    altered.data = JSON.stringify({ amount: 1_000_000 });
    log.splice(log.findIndex((r) => r.streamId === b && r.revision === 1n), 1);
    const report = await verify();
    expect(report.brokenStreams.map((x) => [x.streamId, x.reasons])).toEqual([
      [s, ['stream-deleted']],
      [a, ['content-altered']],
      [b, expect.arrayContaining(['revision-gap'])],
    ]);
    expect(report.brokenStreams[0].position).toBe(t0);
    expect(report.eventsChecked).toBe(1 + 1 + 2);
    expect(report.streamsChecked).toBe(3);
  });

  it('E4 ledger export across a tombstone stops, naming the stream, and leaves nothing half-written', async () => {
    const s = unique('grant');
    await store.append(s, [ev('Granted')], 'no_stream');
    server.tombstone(s);
    await store.append(unique('acc'), [ev('Opened')], 'no_stream');
    const out = mkdtempSync(join(tmpdir(), 'tombstone-export-'));
    try {
      const e = (await caught(writeExport(store, out))) as Error;
      expect(e).toBeInstanceOf(Error);
      expect(e.message).toContain(s);
      expect(e.message).toMatch(/hard-deleted/);
      expect(readdirSync(out)).toEqual([]);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
