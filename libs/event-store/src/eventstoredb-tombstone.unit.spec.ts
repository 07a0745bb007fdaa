/**
 * A stream hard-deleted (tombstoned) on the EventStoreDB node behind the ledger's back, against the
 * adapter's in-process stand-in of the client (FakeEsdbClient), which answers as the real client
 * does (node_modules/@eventstore/db-client 6.x): a read of the stream fails with StreamDeletedError
 * (the node's FAILED_PRECONDITION `exception: stream-deleted` trailers, converted by the client), an
 * append to it fails with StreamDeletedError.fromStreamName (batch append's StreamDeleted details),
 * whatever its expected revision; `$all` keeps a `$streamDeleted` record at revision 2^63-1, and the
 * stream's events until a scavenge.
 *
 * What the ledger promises: recorded history removed is said plainly and stably
 * (StreamDeletedOnNodeError, HTTP 500 STORE.STREAM_DELETED), never an empty stream, an unhandled
 * error, or an "outcome unknown" for an append the node refused outright (nothing recorded, its
 * Idempotency-Key claim released); a read of the whole log never passes the tombstone in silence; the
 * views stop just before it; `ledger verify` names the stream and walks on.
 */
import { randomUUID } from 'node:crypto';
import { StreamDeletedError } from '@eventstore/db-client';
import { verifySource, storeSource } from '../../application/src/audit/integrity';
import { countyCommands } from '../../application/src/counties/commands';
import { handleCommand } from '../../application/src/handle-command';
import { Actor } from '../../domain/src/shared';
import { IdempotencyKeyTakenError, StoreOutcomeUnknownError, StreamDeletedOnNodeError } from './errors';
import { ev } from './event-store.contract';
import { EventStoreDbEventStore, idempotencyStream } from './eventstoredb-event-store';
import { FakeEsdbClient, TOMBSTONE_REVISION } from './eventstoredb-fake-client.fixture';
import { sleep, until } from './wait-until.fixture';

const unique = (name: string): string => `${name}-${randomUUID().slice(0, 8)}`;
const claimStream = (actorId: string, key: string): string => idempotencyStream(key, actorId);
const idem = (key: string) => ({ actorId: 'user-1', key, requestHash: 'h' });
const caught = (p: Promise<unknown>): Promise<unknown> => p.then(() => 'resolved', (e: unknown) => e);

let server: FakeEsdbClient;
let store: EventStoreDbEventStore;
beforeEach(() => {
  server = new FakeEsdbClient();
  store = new EventStoreDbEventStore(server);
});
afterEach(async () => {
  await store.close();
});

describe('the stand-in answers a hard-deleted stream as the real client does', () => {
  it('a read fails with StreamDeletedError naming the stream (FAILED_PRECONDITION), an append with StreamDeletedError.fromStreamName; $all keeps a $streamDeleted record at revision 2^63-1', async () => {
    const s = unique('grant');
    await store.append(s, [ev('Granted')], 'no_stream');
    const { position } = server.tombstone(s);
    const read = (await caught((async () => {
      for await (const r of server.readStream(s)) void r;
    })())) as StreamDeletedError;
    expect(read).toBeInstanceOf(StreamDeletedError);
    expect([read.type, read.streamName, read.code, read.message]).toEqual(['stream-deleted', s, 9, `9 FAILED_PRECONDITION: Event stream '${s}' is deleted.`]);
    const append = (await caught(server.appendToStream(s, { type: 'X', data: {} }, { expectedRevision: 0n }))) as StreamDeletedError;
    expect(append).toBeInstanceOf(StreamDeletedError);
    expect([append.type, append.streamName]).toEqual(['stream-deleted', s]);
    const all: any[] = [];
    for await (const r of server.readAll({ direction: 'forwards', fromPosition: 'start' })) all.push(r);
    expect(all.map((r) => [r.event.streamId, r.event.type, r.event.revision])).toEqual([
      [s, 'Granted', 0n],
      [s, '$streamDeleted', TOMBSTONE_REVISION],
    ]);
    expect(all[1].commitPosition).toBe(position);
  });
});

describe('EventStoreDB adapter: reading and appending to a stream hard-deleted on the node', () => {
  it('readStream throws StreamDeletedOnNodeError naming the stream, STORE.STREAM_DELETED (it threw the client\'s StreamDeletedError: HTTP 500 INTERNAL); a stream never written is still empty', async () => {
    const s = unique('grant');
    await store.append(s, [ev('Granted')], 'no_stream');
    server.tombstone(s);
    for (const direction of ['forwards', 'backwards'] as const) {
      const e = await caught(store.readStream(s, { direction }));
      expect(e).toBeInstanceOf(StreamDeletedOnNodeError);
      expect(e).toMatchObject({ code: 'STORE.STREAM_DELETED', streamId: s, position: null, details: { streamId: s } });
      expect((e as Error).message).toMatch(new RegExp(`^Part of the ledger's recorded history \\(stream ${s}\\) has been deleted from the EventStoreDB node.*Nothing was recorded by this request\\. An administrator must restore the stream from a backup of the node.*\`ledger verify\` names every deleted stream\\.$`));
    }
    expect(await store.readStream(unique('never'))).toEqual([]);
  });

  it('an append to it is refused StreamDeletedOnNodeError whatever the expected revision; nothing is recorded', async () => {
    const s = unique('grant');
    await store.append(s, [ev('Granted')], 'no_stream');
    server.tombstone(s);
    for (const expected of [0, 'any', 'stream_exists', 'no_stream'] as const) {
      await expect(store.append(s, [ev('Late')], expected)).rejects.toMatchObject({ constructor: StreamDeletedOnNodeError, streamId: s });
    }
    expect(server.stream(s).map((e) => e.type)).toEqual(['Granted']);
  });

  it('an append whose stream is hard-deleted between its read and its write (the node refuses it as deleted) is a definite refusal, StreamDeletedOnNodeError, not StoreOutcomeUnknownError; nothing recorded', async () => {
    const s = unique('grant');
    await store.append(s, [ev('Granted')], 'no_stream');
    server.beforeAppend = (name) => {
      if (name === s) server.tombstone(s);
    };
    const e = await caught(store.append(s, [ev('Late')], 0));
    expect(e).not.toBeInstanceOf(StoreOutcomeUnknownError);
    expect(e).toBeInstanceOf(StreamDeletedOnNodeError);
    expect(e).toMatchObject({ streamId: s });
    expect(server.stream(s).map((x) => x.type)).toEqual(['Granted']);
    expect(await caught(store.readAll())).toMatchObject({ constructor: StreamDeletedOnNodeError, streamId: s });
  });

  it('keyed: the refused append releases its claim, so the key is not left in flight: findIdempotency is null, and a retry with the same key gets the same refusal (not IdempotencyKeyTakenError, i.e. IDEMPOTENCY_KEY_IN_FLIGHT)', async () => {
    const s = unique('grant');
    await store.append(s, [ev('Granted')], 'no_stream');
    server.beforeAppend = (name) => {
      if (name === s) server.tombstone(s);
    };
    await expect(store.append(s, [ev('Late')], 0, idem('k1'))).rejects.toBeInstanceOf(StreamDeletedOnNodeError);
    expect(server.stream(claimStream('user-1', 'k1')).map((e) => e.type)).toEqual(['IdempotencyKeyClaimed', 'IdempotencyKeyReleased']);
    expect(await store.findIdempotency('k1', 'user-1')).toBeNull();
    const retry = await caught(store.append(s, [ev('Late')], 0, idem('k1')));
    expect(retry).not.toBeInstanceOf(IdempotencyKeyTakenError);
    expect(retry).toMatchObject({ constructor: StreamDeletedOnNodeError, streamId: s });
    expect(server.stream(s).map((e) => e.type)).toEqual(['Granted']);
  });

  it('through the command path: a keyed RegisterCentre whose stream is deleted under it is STORE.STREAM_DELETED, and so is its retry with the same key (not IDEMPOTENCY_KEY_IN_FLIGHT); nothing recorded', async () => {
    const def = (name: string) => countyCommands.find((c) => c.name === name)!;
    const admin: Actor = { id: 'admin-1', name: 'Admin', roles: ['admin'], counties: [], actingRole: 'admin' };
    const officer: Actor = { id: 'kari', name: 'Kari', roles: ['finance-officer'], counties: ['telemark'], actingRole: 'finance-officer' };
    await handleCommand({ store }, def('RegisterCounty'), { countyId: 'telemark', name: 'Telemark', countyNumber: '08' }, { actor: admin });
    const centre = { centreId: 'kc-skien', countyId: 'telemark', name: 'Skien', municipality: 'Skien', openedOn: '2014-03-01' };
    server.beforeAppend = (name) => {
      if (name === 'centre-kc-skien') server.tombstone(name);
    };
    const first = await caught(handleCommand({ store }, def('RegisterCentre'), centre, { actor: officer, idempotencyKey: 'k-1' }));
    expect(first).toMatchObject({ code: 'STORE.STREAM_DELETED', streamId: 'centre-kc-skien' });
    const retry = await caught(handleCommand({ store }, def('RegisterCentre'), centre, { actor: officer, idempotencyKey: 'k-1' }));
    expect(retry).toMatchObject({ code: 'STORE.STREAM_DELETED', streamId: 'centre-kc-skien' });
    expect(server.stream('centre-kc-skien')).toEqual([]);
  });

  it('a key whose claim stream was hard-deleted is refused StreamDeletedOnNodeError naming that stream (what it recorded cannot be told): never recorded twice', async () => {
    const s = unique('grant');
    await store.append(s, [ev('Granted')], 'no_stream', idem('k2'));
    server.tombstone(claimStream('user-1', 'k2'));
    await expect(store.findIdempotency('k2', 'user-1')).rejects.toMatchObject({ constructor: StreamDeletedOnNodeError, streamId: claimStream('user-1', 'k2') });
    await expect(store.append(s, [ev('Granted')], 'no_stream', idem('k2'))).rejects.toMatchObject({ constructor: StreamDeletedOnNodeError, streamId: claimStream('user-1', 'k2') });
    // The claim itself refused as deleted (deleted between the look-up and the claim): nothing claimed, nothing recorded.
    const t = unique('grant');
    server.beforeAppend = (name) => {
      if (name === claimStream('user-1', 'k3')) server.tombstone(name);
    };
    await expect(store.append(t, [ev('Granted')], 'no_stream', idem('k3'))).rejects.toMatchObject({ constructor: StreamDeletedOnNodeError, streamId: claimStream('user-1', 'k3') });
    expect([server.stream(s).length, server.stream(t).length]).toEqual([1, 0]);
  });
});

describe('EventStoreDB adapter: reads of the whole log ($all) never pass a deleted stream in silence', () => {
  /** Stream a (kept), stream s (deleted after its two events), then one more event of a. */
  const history = async () => {
    const a = unique('acc');
    const s = unique('grant');
    await store.append(a, [ev('Opened')], 'no_stream');
    const mine = await store.append(s, [ev('Granted'), ev('Paid')], 'no_stream');
    const { position } = server.tombstone(s);
    const after = await store.append(a, [ev('Moved')], 0);
    return { a, s, mine, tombstoneAt: Number(position), after };
  };

  it('readAll returns the deleted stream\'s events as recorded until the scavenge, then fails at its tombstone with the stream and the position (it skipped the tombstone); within upTo before it, or after it, reads as usual; whatever the types', async () => {
    const { a, s, tombstoneAt, after } = await history();
    for (const scavenged of [false, true]) {
      if (scavenged) server.scavenge();
      const e = await caught(store.readAll());
      expect(e).toBeInstanceOf(StreamDeletedOnNodeError);
      expect(e).toMatchObject({ streamId: s, position: tombstoneAt, details: { streamId: s, position: tombstoneAt } });
      await expect(store.readAll({ types: ['Moved'] })).rejects.toBeInstanceOf(StreamDeletedOnNodeError);
      const before = await store.readAll({ upTo: tombstoneAt - 1 });
      expect(before.map((x) => [x.streamId, x.type])).toEqual([[a, 'Opened'], ...(scavenged ? [] : [[s, 'Granted'], [s, 'Paid']])]);
      expect((await store.readAll({ after: tombstoneAt })).map((x) => x.eventId)).toEqual(after.eventIds);
    }
  });

  it('the views\' subscription delivers every event before the tombstone, then stops there with StreamDeletedOnNodeError (onError), never folding past it', async () => {
    const { s, mine, tombstoneAt, after } = await history();
    const seen: string[] = [];
    const errors: unknown[] = [];
    const sub = store.subscribe(0, (batch) => void seen.push(...batch.map((e) => e.eventId)), (e) => errors.push(e));
    try {
      await until(() => errors.length > 0, 3_000);
      await sleep(600); // a poll later: still stopped
      expect(seen.length).toBe(3);
      expect(seen.slice(1)).toEqual(mine.eventIds);
      expect(seen).not.toContain(after.eventIds[0]);
      expect(errors).toEqual([expect.objectContaining({ constructor: StreamDeletedOnNodeError, streamId: s, position: tombstoneAt })]);
    } finally {
      sub.unsubscribe();
    }
  });

  it('a decision whose conditions read the log across the tombstone is refused StreamDeletedOnNodeError before it is sent, its claim released (it was recorded past the hole)', async () => {
    const { s } = await history();
    const own = unique('own');
    const e = await caught(store.append(own, [ev('Decided')], 'no_stream', idem('k4'), { nothingAfter: [{ after: 0, affects: () => false }] }));
    expect(e).toMatchObject({ constructor: StreamDeletedOnNodeError, streamId: s });
    expect(server.stream(own)).toEqual([]);
    expect(server.stream(claimStream('user-1', 'k4')).map((x) => x.type)).toEqual(['IdempotencyKeyClaimed', 'IdempotencyKeyReleased']);
  });

  it('ledger verify (and GET /audit/verify) names the deleted stream as broken at its tombstone and walks on past it, before and after the scavenge (it crashed, or passed it as OK)', async () => {
    const { a, s, tombstoneAt } = await history();
    for (const scavenged of [false, true]) {
      if (scavenged) server.scavenge();
      const report = await verifySource(storeSource(store), { hashCoversPosition: store.hashCoversPosition, contiguousPositions: false });
      expect(report.ok).toBe(false);
      expect(report.brokenStreams).toEqual([{ streamId: s, revision: null, position: tombstoneAt, reasons: ['stream-deleted'], detail: expect.stringMatching(/^the stream was hard-deleted \(tombstoned\) on the EventStoreDB node at position \d+: .*restore it from a backup of the node/), badEvents: 1 }]);
      // Every event still in the log is checked: a's two (one past the tombstone), and s's two until the scavenge.
      expect([report.eventsChecked, report.streamsChecked]).toEqual(scavenged ? [2, 1] : [4, 2]);
      expect(report.firstBadPosition).toBe(tombstoneAt);
      expect(report.logProblems).toEqual([]);
    }
    // A stream kept intact is not named.
    expect(a).not.toBe(s);
  });
});
