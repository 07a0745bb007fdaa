import { jsonEvent } from '@eventstore/db-client';
import { createHash } from 'node:crypto';
import { IdempotencyKeyTakenError, StoreBusyError, StoreOutcomeUnknownError } from './errors';
import { ev, eventStoreContract } from './event-store.contract';
import { EventStoreDbEventStore } from './eventstoredb-event-store';
import { FakeEsdbClient } from './eventstoredb-fake-client.fixture';
import { idempotencyScope } from './port';
import { CLAIM_LEASE_MS } from './stale-claim';

/**
 * The EventStoreDB adapter's own logic run here, where no server runs, against an in-process
 * stand-in of the client (FakeEsdbClient): first the whole event-store contract, then what only this
 * adapter has, an Idempotency-Key claimed in one stream and answered in another with no transaction
 * between them (a stopped process, a lost answer, a skewed clock, a slow request). The real server is
 * still the judge of the server's side: eventstoredb-event-store.int.spec.ts, skipped without one.
 */
eventStoreContract({
  name: 'EventStoreDB adapter against an in-process stand-in of the server',
  create: async ({ clock }) => new EventStoreDbEventStore(new FakeEsdbClient(), clock),
  reopen: async (store) => {
    await store.close();
    return new EventStoreDbEventStore((store as unknown as { client: FakeEsdbClient }).client);
  },
  contiguousPositions: false,
  uniqueEventIdsAcrossStreams: false,
});

const claimStream = (actorId: string, key: string): string => `ledger_idempotency_by_sender-${createHash('sha256').update(idempotencyScope(actorId, key)).digest('hex')}`;

describe('EventStoreDB adapter: Idempotency-Key claims without a transaction', () => {
  let serverSkewMs = 0;
  let now = 0;
  let server: FakeEsdbClient;
  let store: EventStoreDbEventStore;
  const idem = (key: string) => ({ actorId: 'user-1', key, requestHash: 'h' });
  const open = (): EventStoreDbEventStore => new EventStoreDbEventStore(server, () => new Date(), { monotonicMs: () => now });

  beforeEach(() => {
    serverSkewMs = 0;
    now = 1_000;
    server = new FakeEsdbClient(() => Date.now() + serverSkewMs);
    store = open();
  });

  /** A claim as a process that stopped right after writing it leaves it, for `streamId` and these event ids. */
  const strandedClaim = async (key: string, streamId: string, eventIds: string[]): Promise<void> => {
    await server.appendToStream(claimStream('user-1', key), jsonEvent({ type: 'IdempotencyKeyClaimed', data: { actorId: 'user-1', key, requestHash: 'h', streamId, fromRevision: 0, eventIds } }), { expectedRevision: 'no_stream' });
  };

  it('a claim its process never answered is in flight for a lease from when it was first seen, then freed when its events are not in the log', async () => {
    await strandedClaim('k1', 'grant-1', ['e-never']);
    await expect(store.findIdempotency('k1', 'user-1')).rejects.toBeInstanceOf(IdempotencyKeyTakenError);
    now += CLAIM_LEASE_MS - 1;
    await expect(store.findIdempotency('k1', 'user-1')).rejects.toBeInstanceOf(IdempotencyKeyTakenError);
    now += 1;
    expect(await store.findIdempotency('k1', 'user-1')).toBeNull();
    expect(server.stream(claimStream('user-1', 'k1')).map((e) => [e.type, e.data.settledFromLog ?? null])).toEqual([['IdempotencyKeyClaimed', null], ['IdempotencyKeyReleased', true]]);
    // The key is free again: the retry records once.
    await store.append('grant-1', [ev('Granted')], 'no_stream', idem('k1'));
    expect(server.stream('grant-1').map((e) => e.type)).toEqual(['Granted']);
  });

  it('a claim whose events landed before its process stopped is answered from the log once stale, and the retry records nothing', async () => {
    const granted = ev('Granted');
    const landed = await new EventStoreDbEventStore(server).append('grant-2', [granted], 'no_stream');
    await strandedClaim('k2', 'grant-2', [granted.eventId]);
    await expect(store.findIdempotency('k2', 'user-1')).rejects.toBeInstanceOf(IdempotencyKeyTakenError);
    now += CLAIM_LEASE_MS;
    expect(await store.findIdempotency('k2', 'user-1')).toEqual({ actorId: 'user-1', key: 'k2', requestHash: 'h', result: landed });
    await expect(store.append('grant-2', [ev('Granted')], 0, idem('k2'))).rejects.toBeInstanceOf(IdempotencyKeyTakenError);
    expect(server.stream('grant-2')).toHaveLength(1);
  });

  it('a server clock far behind this machine\'s does not make a fresh claim look stale (its age is this process\'s own reckoning)', async () => {
    serverSkewMs = -3_600_000;
    await strandedClaim('k3', 'grant-3', ['e-running']);
    // Written "an hour ago" by the server's clock, but seen just now: still in flight.
    await expect(store.findIdempotency('k3', 'user-1')).rejects.toBeInstanceOf(IdempotencyKeyTakenError);
    expect(server.stream(claimStream('user-1', 'k3')).map((e) => e.type)).toEqual(['IdempotencyKeyClaimed']);
  });

  it('an append is sent only within half the lease of its claim, with the rest as its deadline; later, it is refused STORE.BUSY, its claim freed, nothing recorded', async () => {
    await store.append('grant-4', [ev('Granted')], 'no_stream', idem('k4a'));
    const sent = server.appends.find((a) => a.streamName === 'grant-4')!;
    expect(sent.deadline).toBeGreaterThan(0);
    expect(sent.deadline).toBeLessThanOrEqual(CLAIM_LEASE_MS / 2);
    // A request that spent half the lease between its claim and its append (here: checking conditions).
    const slow = store.append('grant-4', [ev('Late')], 0, idem('k4b'));
    server.beforeAppend = (stream) => {
      if (stream.startsWith('ledger_idempotency')) now += CLAIM_LEASE_MS / 2;
    };
    await expect(slow).rejects.toBeInstanceOf(StoreBusyError);
    server.beforeAppend = null;
    expect(server.stream('grant-4').map((e) => e.type)).toEqual(['Granted']);
    expect(await store.findIdempotency('k4b', 'user-1')).toBeNull();
  });

  it('an append that may have landed (its answer lost) is STORE.OUTCOME_UNKNOWN and keeps its claim: the retry is in flight, then answered from the log, recorded once', async () => {
    server.beforeAppend = (stream) => (stream === 'grant-5' ? 'land-then-fail' : undefined);
    const error = await store.append('grant-5', [ev('Granted')], 'no_stream', idem('k5')).catch((e) => e);
    expect(error).toBeInstanceOf(StoreOutcomeUnknownError);
    expect(error).toMatchObject({ code: 'STORE.OUTCOME_UNKNOWN', kind: 'unavailable', details: { streamId: 'grant-5', retryAfterSeconds: CLAIM_LEASE_MS / 1000 } });
    server.beforeAppend = null;
    await expect(store.append('grant-5', [ev('Granted')], 'no_stream', idem('k5'))).rejects.toBeInstanceOf(IdempotencyKeyTakenError);
    now += CLAIM_LEASE_MS;
    const found = await store.findIdempotency('k5', 'user-1');
    expect(found?.result).toMatchObject({ streamId: 'grant-5', revision: 0, eventIds: [server.stream('grant-5')[0].id] });
    await expect(store.append('grant-5', [ev('Granted')], 0, idem('k5'))).rejects.toBeInstanceOf(IdempotencyKeyTakenError);
    expect(server.stream('grant-5').map((e) => e.type)).toEqual(['Granted']);
  });

  it('an append that failed on its way without landing keeps its claim too, which is freed from the log once stale: the retry then records once', async () => {
    server.beforeAppend = (stream) => {
      if (stream === 'grant-6') throw Object.assign(new Error('connection lost'), { code: 14 });
    };
    await expect(store.append('grant-6', [ev('Granted')], 'no_stream', idem('k6'))).rejects.toBeInstanceOf(StoreOutcomeUnknownError);
    server.beforeAppend = null;
    await expect(store.findIdempotency('k6', 'user-1')).rejects.toBeInstanceOf(IdempotencyKeyTakenError);
    now += CLAIM_LEASE_MS;
    expect(await store.findIdempotency('k6', 'user-1')).toBeNull();
    await store.append('grant-6', [ev('Granted')], 'no_stream', idem('k6'));
    expect(server.stream('grant-6')).toHaveLength(1);
  });

  it('events that landed are answered even when writing the key\'s answer fails; the claim is then answered from the log', async () => {
    server.beforeAppend = (stream) => {
      if (stream.startsWith('ledger_idempotency') && server.stream(stream).length === 1) throw Object.assign(new Error('connection lost'), { code: 14 });
    };
    const r = await store.append('grant-7', [ev('Granted')], 'no_stream', idem('k7'));
    server.beforeAppend = null;
    expect(server.stream('grant-7')).toHaveLength(1);
    // Unanswered: in flight for a lease from when it is first seen.
    await expect(store.findIdempotency('k7', 'user-1')).rejects.toBeInstanceOf(IdempotencyKeyTakenError);
    now += CLAIM_LEASE_MS;
    expect((await store.findIdempotency('k7', 'user-1'))?.result).toEqual(r);
  });

  it('a claim judged lost just before its events arrived is answered on top of that release by its own request', async () => {
    const reader = open();
    server.beforeAppend = async (stream) => {
      if (stream !== 'grant-8') return;
      // Another process sees the claim, waits a lease, finds no events yet, and frees the key.
      await expect(reader.findIdempotency('k8', 'user-1')).rejects.toBeInstanceOf(IdempotencyKeyTakenError);
      now += CLAIM_LEASE_MS;
      expect(await reader.findIdempotency('k8', 'user-1')).toBeNull();
    };
    const r = await store.append('grant-8', [ev('Granted')], 'no_stream', idem('k8'));
    server.beforeAppend = null;
    expect(server.stream(claimStream('user-1', 'k8')).map((e) => e.type)).toEqual(['IdempotencyKeyClaimed', 'IdempotencyKeyReleased', 'IdempotencyKeyAnswered']);
    expect(await reader.findIdempotency('k8', 'user-1')).toEqual({ actorId: 'user-1', key: 'k8', requestHash: 'h', result: r });
  });

  it('a claim whose append was refused by the server\'s revision check is freed at once (nothing can have landed)', async () => {
    await store.append('grant-9', [ev()], 'no_stream');
    await expect(store.append('grant-9', [ev()], 'no_stream', idem('k9'))).rejects.toMatchObject({ code: 'STREAM.WRONG_EXPECTED_REVISION' });
    expect(await store.findIdempotency('k9', 'user-1')).toBeNull();
  });
});
