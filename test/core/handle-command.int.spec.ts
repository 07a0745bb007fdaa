import { countyCommands } from '../../libs/application/src/counties/commands';
import { grantsCommands } from '../../libs/application/src/grants/commands';
import { handleCommand, requestHash } from '../../libs/application/src/handle-command';
import { Actor, DomainError } from '../../libs/domain/src/shared';
import { IdempotencyKeyTakenError } from '../../libs/event-store/src/errors';
import { MemoryEventStore } from '../../libs/event-store/src/memory-event-store';
import { EventStore } from '../../libs/event-store/src/port';
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
        return async (key: string) => {
          const found = await target.findIdempotency(key);
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
          return async (key: string) => {
            if (++calls <= 2) throw new IdempotencyKeyTakenError(key);
            return target.findIdempotency(key);
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
