import { countyCommands } from '../../libs/application/src/counties/commands';
import { grantsCommands } from '../../libs/application/src/grants/commands';
import { handleCommand, requestHash } from '../../libs/application/src/handle-command';
import { Actor, DomainError } from '../../libs/domain/src/shared';
import { IdempotencyKeyTakenError } from '../../libs/event-store/src/errors';
import { MemoryEventStore } from '../../libs/event-store/src/memory-event-store';
import { AppendResult, EventStore, IdempotencyRecord } from '../../libs/event-store/src/port';
import { tickCommand } from './counter-command';

const admin: Actor = { id: 'admin-1', name: 'Admin', roles: ['admin'], counties: [], actingRole: 'admin' };
const officer: Actor = { id: 'kari', name: 'Kari', roles: ['finance-officer'], counties: ['telemark'], actingRole: 'finance-officer' };
const def = (name: string) => countyCommands.find((c) => c.name === name)!;
const centre = { centreId: 'kc-skien', countyId: 'telemark', name: 'Skien', municipality: 'Skien', openedOn: '2014-03-01' };

const withCounty = async (): Promise<MemoryEventStore> => {
  const store = new MemoryEventStore();
  await handleCommand({ store }, def('RegisterCounty'), { countyId: 'telemark', name: 'Telemark', countyNumber: '08' }, { actor: admin });
  return store;
};

/** A view of the store whose first idempotency look-up is held until `release()`: the other request wins the race meanwhile. */
const heldLookup = (store: EventStore) => {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let first = true;
  const view = new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === 'findIdempotency') {
        return async (key: string, actorId: string | null) => {
          const found = await target.findIdempotency(key, actorId);
          if (first) {
            first = false;
            await gate;
          }
          return found;
        };
      }
      const v = Reflect.get(target, prop, receiver);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
  return { view, release };
};

describe('handleCommand', () => {
  it('records actor, role, correlation, causation and idempotency key in every event\'s metadata', async () => {
    const store = await withCounty();
    const out = await handleCommand({ store, newId: (() => { let n = 0; return () => `id-${++n}`; })() }, def('RegisterCentre'), centre, { actor: officer, idempotencyKey: 'k', correlationId: 'corr', causationId: 'cause' });
    const [e] = await store.readStream('centre-kc-skien');
    expect(e.metadata).toEqual({ actorId: 'kari', actorRole: 'finance-officer', correlationId: 'corr', causationId: 'cause', idempotencyKey: 'k' });
    expect(out.result.eventIds).toEqual([e.eventId]);
    expect(out.replayed).toBe(false);
  });

  it('a retry that loses the race after the winner changed the stream is answered from the winner\'s record (not the decider\'s refusal)', async () => {
    const store = await withCounty();
    const { view, release } = heldLookup(store);
    const loser = handleCommand({ store: view }, def('RegisterCentre'), centre, { actor: officer, idempotencyKey: 'race-1' });
    const winner = await handleCommand({ store }, def('RegisterCentre'), centre, { actor: officer, idempotencyKey: 'race-1' });
    release();
    const out = await loser;
    expect(out).toEqual({ result: winner.result, events: [], replayed: true });
    expect(await store.readStream('centre-kc-skien')).toHaveLength(1);
  });

  it('a request with another body under a key the winner took meanwhile is IDEMPOTENCY_KEY_REUSED, not a domain refusal', async () => {
    const store = await withCounty();
    const { view, release } = heldLookup(store);
    const loser = handleCommand({ store: view }, def('RegisterCentre'), { ...centre, name: 'Other name' }, { actor: officer, idempotencyKey: 'race-2' }).catch((e) => e);
    await handleCommand({ store }, def('RegisterCentre'), centre, { actor: officer, idempotencyKey: 'race-2' });
    release();
    const err = await loser;
    expect(err).toBeInstanceOf(DomainError);
    expect(err.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('a refusal without a key stays the decider\'s refusal', async () => {
    const store = await withCounty();
    await handleCommand({ store }, def('RegisterCentre'), centre, { actor: officer });
    await expect(handleCommand({ store }, def('RegisterCentre'), centre, { actor: officer })).rejects.toMatchObject({ code: 'CENTRE.ALREADY_REGISTERED', kind: 'conflict' });
  });

  it('a key claimed but not yet answered (EventStoreDB in flight) is waited for, then answered from the record', async () => {
    const store = await withCounty();
    const winner = await handleCommand({ store }, def('RegisterCentre'), centre, { actor: officer, idempotencyKey: 'flight' });
    let calls = 0;
    const inFlight = new Proxy(store, {
      get(target, prop, receiver) {
        if (prop === 'findIdempotency') {
          return async (key: string, actorId: string | null) => {
            if (++calls <= 2) throw new IdempotencyKeyTakenError(key);
            return target.findIdempotency(key, actorId);
          };
        }
        const v = Reflect.get(target, prop, receiver);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
    const out = await handleCommand({ store: inFlight }, def('RegisterCentre'), centre, { actor: officer, idempotencyKey: 'flight' });
    expect(out).toEqual({ result: winner.result, events: [], replayed: true });
  });

  it('a definition\'s idempotencyPayload is what a retry must repeat: fields the server fills in may differ, the client\'s may not', async () => {
    const store = new MemoryEventStore();
    // `seq` stands for what a route computes itself (a snapshot, a position): a retry recomputes it.
    const def = { ...tickCommand, idempotencyPayload: (p: { streamId: string; writer: number }) => ({ streamId: p.streamId, writer: p.writer }) };
    const first = await handleCommand({ store }, def, { streamId: 't', writer: 1, seq: 1 }, { actor: admin, idempotencyKey: 'tick-1' });
    const retry = await handleCommand({ store }, def, { streamId: 't', writer: 1, seq: 2 }, { actor: admin, idempotencyKey: 'tick-1' });
    expect(retry).toEqual({ result: first.result, events: [], replayed: true });
    await expect(handleCommand({ store }, def, { streamId: 't', writer: 2, seq: 1 }, { actor: admin, idempotencyKey: 'tick-1' })).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    expect(await store.readStream('t')).toHaveLength(1);
  });

  it('a retried allocation or correction matches on what Vox sent (year, note; year, reason, overrides), not on the snapshot the route recomputed', async () => {
    const store = new MemoryEventStore();
    const vox: Actor = { id: 'vox-1', name: 'Vox', roles: ['vox'], counties: [], actingRole: 'vox' };
    const grants = (name: string) => grantsCommands.find((c) => c.name === name)!;
    const verdict = (eligible: boolean) => ({ countyId: 'telemark', countyNumber: '08', name: 'Telemark', eligible, failedCriteria: eligible ? [] : ['1'], qualifyingCentreIds: [] });
    const snapshot = (basedOnPosition: number) => ({ schemeVersion: 1, basedOnPosition, verdicts: [verdict(true), { ...verdict(true), countyId: 'ostfold', countyNumber: '01' }] });
    await handleCommand({ store }, grants('PublishGrantScheme'), { year: 2014, baseGrant: '100.00', criteriaSetId: 'criteria-2014', judgingDate: '2014-03-01' }, { actor: vox });

    const allocate = (basedOnPosition: number, note: string) => handleCommand({ store }, grants('AllocateBaseGrant'), { year: 2014, note, ...snapshot(basedOnPosition) }, { actor: vox, idempotencyKey: 'alloc' });
    const first = await allocate(1, 'Grunntilskudd');
    expect(await allocate(2, 'Grunntilskudd')).toEqual({ result: first.result, events: [], replayed: true });
    await expect(allocate(2, 'Noe annet')).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });

    const overrides = [{ countyId: 'ostfold', eligible: false, reason: 'Ikke signert' }];
    const correct = (basedOnPosition: number, reason: string, o = overrides) =>
      handleCommand({ store }, grants('CorrectBaseGrantAllocation'), { year: 2014, reason, overrides: o, ...snapshot(basedOnPosition) }, { actor: vox, idempotencyKey: 'corr' });
    const corrected = await correct(2, 'Østfold');
    expect(await correct(3, 'Østfold')).toEqual({ result: corrected.result, events: [], replayed: true });
    await expect(correct(3, 'Annen grunn')).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    await expect(correct(3, 'Østfold', [{ ...overrides[0], reason: 'Annen grunn' }])).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    expect((await store.readStream('grant-scheme-2014')).map((e) => e.type)).toEqual(['GrantSchemePublished', 'BaseGrantAllocated', 'BaseGrantAllocationCorrected']);
  });

  it('the request hash covers command, payload and actor, not key order', () => {
    expect(requestHash('A', { x: 1, y: 2 }, 'u')).toBe(requestHash('A', { y: 2, x: 1 }, 'u'));
    expect(requestHash('A', { x: 1 }, 'u')).not.toBe(requestHash('B', { x: 1 }, 'u'));
    expect(requestHash('A', { x: 1 }, 'u')).not.toBe(requestHash('A', { x: 2 }, 'u'));
    expect(requestHash('A', { x: 1 }, 'u')).not.toBe(requestHash('A', { x: 1 }, 'v'));
  });
});

/**
 * The store as a ledger kept from before keys were per sender looks: appends made through `old`
 * record their events as then (the key in their metadata) but leave a receipt of the key alone,
 * which findIdempotency(key, null) finds, as a migrated SQLite ledger's receipts are found.
 */
const withReceiptsOfTheKeyAlone = (store: EventStore) => {
  const legacy = new Map<string, IdempotencyRecord>();
  const view = new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === 'findIdempotency') return async (key: string, actorId: string | null) => (actorId === null ? (legacy.get(key) ?? null) : target.findIdempotency(key, actorId));
      const v = Reflect.get(target, prop, receiver);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
  const old = new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === 'append') {
        return async (...[streamId, events, expected, idem, conditions]: Parameters<EventStore['append']>) => {
          const result = await target.append(streamId, events, expected, undefined, conditions);
          if (idem) legacy.set(idem.key, { actorId: null, key: idem.key, requestHash: idem.requestHash, result });
          return result;
        };
      }
      if (prop === 'findIdempotency') return async (key: string) => legacy.get(key) ?? null;
      const v = Reflect.get(target, prop, receiver);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
  return { view, old, legacy };
};

describe('handleCommand: a key is its sender\'s', () => {
  const ola: Actor = { id: 'ola', name: 'Ola', roles: ['finance-officer'], counties: ['telemark'], actingRole: 'finance-officer' };
  const notodden = { ...centre, centreId: 'kc-notodden', name: 'Notodden', municipality: 'Notodden' };

  it('another sender\'s key never collides: each sender\'s write is recorded, each retry answered with its own sender\'s first answer', async () => {
    const store = await withCounty();
    const kari = await handleCommand({ store }, def('RegisterCentre'), centre, { actor: officer, idempotencyKey: 'same' });
    const olas = await handleCommand({ store }, def('RegisterCentre'), notodden, { actor: ola, idempotencyKey: 'same' });
    expect([kari.replayed, olas.replayed, olas.result.streamId]).toEqual([false, false, 'centre-kc-notodden']);
    expect(await handleCommand({ store }, def('RegisterCentre'), centre, { actor: officer, idempotencyKey: 'same' })).toEqual({ result: kari.result, events: [], replayed: true });
    expect(await handleCommand({ store }, def('RegisterCentre'), notodden, { actor: ola, idempotencyKey: 'same' })).toEqual({ result: olas.result, events: [], replayed: true });
    // A third sender sending Kari's very request under the key makes a write of their own (refused by the rules here: the centre exists), never gets Kari's answer.
    await expect(handleCommand({ store }, def('RegisterCentre'), centre, { actor: { ...ola, id: 'per' }, idempotencyKey: 'same' })).rejects.toMatchObject({ code: 'CENTRE.ALREADY_REGISTERED' });
  });

  it('two senders sending one key at once, 10 retries each: both recorded, once each; each sender\'s answers identical', async () => {
    const store = await withCounty();
    const head = await store.headPosition();
    const sends = Array.from({ length: 20 }, (_, i) =>
      i % 2 === 0 ? handleCommand({ store }, def('RegisterCentre'), centre, { actor: officer, idempotencyKey: 'at-once' }) : handleCommand({ store }, def('RegisterCentre'), notodden, { actor: ola, idempotencyKey: 'at-once' }),
    );
    const outcomes = await Promise.all(sends);
    const results = (even: boolean) => new Set(outcomes.filter((_, i) => (i % 2 === 0) === even).map((o) => JSON.stringify(o.result)));
    expect([results(true).size, results(false).size]).toEqual([1, 1]);
    expect(outcomes.filter((o) => !o.replayed)).toHaveLength(2);
    expect((await store.readAll({ after: head })).map((e) => [e.streamId, e.metadata.actorId]).sort()).toEqual([
      ['centre-kc-notodden', 'ola'],
      ['centre-kc-skien', 'kari'],
    ]);
  });

  it('a receipt of the key alone (a ledger kept from before): its sender\'s retry gets the first answer (with a token of another role too), another body of theirs is 409, and nothing is recorded twice', async () => {
    const store = await withCounty();
    const { view, old } = withReceiptsOfTheKeyAlone(store);
    const first = await handleCommand({ store: old }, def('RegisterCentre'), centre, { actor: officer, idempotencyKey: 'old-key' });
    const head = await store.headPosition();
    expect(await handleCommand({ store: view }, def('RegisterCentre'), centre, { actor: officer, idempotencyKey: 'old-key' })).toEqual({ result: first.result, events: [], replayed: true });
    const asAdmin: Actor = { ...officer, roles: ['finance-officer', 'admin'], actingRole: 'admin' };
    expect(await handleCommand({ store: view }, def('RegisterCentre'), centre, { actor: asAdmin, idempotencyKey: 'old-key' })).toEqual({ result: first.result, events: [], replayed: true });
    // Another body of the same sender: told the key is taken (its receipt's events are Kari's), and nothing recorded.
    await expect(handleCommand({ store: view }, def('RegisterCentre'), notodden, { actor: officer, idempotencyKey: 'old-key' })).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    expect(await store.headPosition()).toBe(head);
    expect(await store.findIdempotency('old-key', 'kari')).toBeNull();
  });

  it('a receipt of the key alone of another sender does not block: their write is their own, recorded once and answered from their own receipt after', async () => {
    const store = await withCounty();
    const { view, old } = withReceiptsOfTheKeyAlone(store);
    const kari = await handleCommand({ store: old }, def('RegisterCentre'), centre, { actor: officer, idempotencyKey: 'old-key' });
    const olas = await handleCommand({ store: view }, def('RegisterCentre'), notodden, { actor: ola, idempotencyKey: 'old-key' });
    expect(olas.replayed).toBe(false);
    expect((await store.findIdempotency('old-key', 'ola'))?.result).toEqual(olas.result);
    expect(await handleCommand({ store: view }, def('RegisterCentre'), notodden, { actor: ola, idempotencyKey: 'old-key' })).toEqual({ result: olas.result, events: [], replayed: true });
    // Kari's retry still gets her first answer, from the receipt of the key alone.
    expect(await handleCommand({ store: view }, def('RegisterCentre'), centre, { actor: officer, idempotencyKey: 'old-key' })).toEqual({ result: kari.result, events: [], replayed: true });
    // A sender whose retry would be Kari's request word for word is still not answered from it (the hash covers the sender).
    await expect(handleCommand({ store: view }, def('RegisterCentre'), centre, { actor: { ...ola, id: 'per' }, idempotencyKey: 'old-key' })).rejects.toMatchObject({ code: 'CENTRE.ALREADY_REGISTERED' });
  });

  it('a receipt of the key alone whose append recorded nothing (its sender cannot be told) blocks no one: another body under the key is recorded', async () => {
    const store = await withCounty();
    const { view, legacy } = withReceiptsOfTheKeyAlone(store);
    const nothing: AppendResult = { streamId: 'centre-kc-skien', revision: -1, position: await store.headPosition(), eventIds: [], recordedAt: null };
    legacy.set('empty-key', { actorId: null, key: 'empty-key', requestHash: 'of-some-other-request', result: nothing });
    const out = await handleCommand({ store: view }, def('RegisterCentre'), centre, { actor: officer, idempotencyKey: 'empty-key' });
    expect([out.replayed, out.events.length]).toEqual([false, 1]);
  });
});
