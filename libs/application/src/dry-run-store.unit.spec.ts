import { randomUUID } from 'node:crypto';
import { Actor } from '../../domain/src/shared';
import { ConcurrentChangeError, IdempotencyKeyTakenError, WrongExpectedRevisionError } from '../../event-store/src/errors';
import { hashEvent } from '../../event-store/src/hashing';
import { MemoryEventStore } from '../../event-store/src/memory-event-store';
import { EventStore, EventToAppend, ExpectedRevision, IdempotencyClaim } from '../../event-store/src/port';
import { CommandRegistry } from './command-registry';
import { DryRunStore } from './dry-run-store';
import { dryRunImport, parseImportFile } from './import-file';

const ev = (type = 'Something', data: Record<string, unknown> = {}): EventToAppend => ({
  eventId: randomUUID(),
  type,
  schemaVersion: 1,
  data,
  metadata: { actorId: 'u', actorRole: 'admin', correlationId: 'c', causationId: null, idempotencyKey: null },
});

/** A real (memory) store with `n` events in stream `s` and a recorded idempotency key `real-key`. */
const realWith = async (n: number): Promise<MemoryEventStore> => {
  const real = new MemoryEventStore();
  for (let i = 0; i < n; i++) await real.append('s', [ev('Real', { i })], i === 0 ? 'no_stream' : i - 1, i === 0 ? { actorId: 'u', key: 'real-key', requestHash: 'h-real' } : undefined);
  return real;
};

/** Everything a reader of the real store can see, to compare before and after. */
const snapshot = async (store: EventStore) => ({ head: await store.headPosition(), all: await store.readAll(), s: await store.readStream('s'), t: await store.readStream('t') });

describe('DryRunStore', () => {
  it('checks an append\'s conditions against the real store and its own events, and writes nothing when one fails', async () => {
    const real = await realWith(2);
    const dry = new DryRunStore(real);
    await dry.append('t', [ev('Fact', { about: 'x' })], 'no_stream');
    const about = (e: { data: unknown }) => (e.data as { about?: string }).about === 'x';
    // 's' is at revision 1 in the real store; 't' is the dry run's own (revision 0).
    await expect(dry.append('u', [ev()], 'no_stream', undefined, { streams: [{ streamId: 's', revision: 0 }] })).rejects.toBeInstanceOf(ConcurrentChangeError);
    await expect(dry.append('u', [ev()], 'no_stream', undefined, { streams: [{ streamId: 't', revision: -1 }] })).rejects.toBeInstanceOf(ConcurrentChangeError);
    await expect(dry.append('u', [ev()], 'no_stream', undefined, { nothingAfter: [{ after: 2, affects: about }] })).rejects.toBeInstanceOf(ConcurrentChangeError);
    expect(dry.appendedCount).toBe(1);
    const ok = await dry.append('u', [ev()], 'no_stream', undefined, { streams: [{ streamId: 's', revision: 1 }, { streamId: 't', revision: 0 }], nothingAfter: [{ after: 3, affects: about }] });
    expect(ok.revision).toBe(0);
    expect(await real.headPosition()).toBe(2);
  });

  it('never writes to the real store: events, streams and idempotency records stay in the overlay', async () => {
    const real = await realWith(2);
    const before = await snapshot(real);
    const dry = new DryRunStore(real);
    await dry.append('s', [ev('A'), ev('B')], 1, { actorId: 'u', key: 'k1', requestHash: 'h1' });
    await dry.append('t', [ev('C')], 'no_stream', { actorId: 'u', key: 'k2', requestHash: 'h2' });
    await dry.append('t', [], 0, { actorId: 'u', key: 'k3', requestHash: 'h3' });
    expect(dry.appendedCount).toBe(3);
    expect(await snapshot(real)).toEqual(before);
    expect(await real.findIdempotency('k1', 'u')).toBeNull();
    expect(await real.findIdempotency('k3', 'u')).toBeNull();
    // Closing the overlay drops its events and leaves the real store open.
    await dry.close();
    expect(await real.readStream('s')).toHaveLength(2);
    await real.append('s', [ev()], 1);
  });

  it('reads see the real stream followed by earlier overlay appends, sealed as the real store would seal them', async () => {
    const real = await realWith(2);
    const [r0, r1] = await real.readStream('s');
    const dry = new DryRunStore(real);
    const a = await dry.append('s', [ev('A'), ev('B')], 1);
    const c = await dry.append('t', [ev('C')], 'no_stream');
    expect(a).toMatchObject({ streamId: 's', revision: 3, position: 4 });
    expect(c).toMatchObject({ streamId: 't', revision: 0, position: 5 });
    expect(await dry.headPosition()).toBe(5);

    const s = await dry.readStream('s');
    expect(s.map((e) => [e.type, e.revision, e.position])).toEqual([['Real', 0, 1], ['Real', 1, 2], ['A', 2, 3], ['B', 3, 4]]);
    expect(s[0]).toBe(r0);
    // The hash chain continues from the real stream's last event, and each hash is the real one.
    expect(s[2].prevHash).toBe(r1.hash);
    expect(s[3].prevHash).toBe(s[2].hash);
    const { hash, ...body } = s[3];
    expect(hash).toBe(hashEvent(body, real.hashCoversPosition));
    expect(Object.isFrozen(s[2].data)).toBe(true);

    // Pages and directions across the seam between real and overlay events.
    expect((await dry.readStream('s', { fromRevision: 1, maxCount: 2 })).map((e) => e.revision)).toEqual([1, 2]);
    expect((await dry.readStream('s', { fromRevision: 3 })).map((e) => e.revision)).toEqual([3]);
    expect((await dry.readStream('s', { fromRevision: 9 })).map((e) => e.revision)).toEqual([]);
    expect((await dry.readStream('s', { direction: 'backwards' })).map((e) => e.revision)).toEqual([3, 2, 1, 0]);
    expect((await dry.readStream('s', { direction: 'backwards', fromRevision: 2, maxCount: 2 })).map((e) => e.revision)).toEqual([2, 1]);
    expect((await dry.readStream('t', { direction: 'backwards' })).map((e) => e.type)).toEqual(['C']);
    // A stream the overlay never wrote is read straight from the real store.
    expect(await dry.readStream('u')).toEqual([]);
  });

  it('once it wrote to a stream, later writes by others to the real stream stay out of its view', async () => {
    const real = await realWith(1);
    const dry = new DryRunStore(real);
    await dry.append('s', [ev('A')], 0);
    await real.append('s', [ev('Late')], 0);
    expect((await dry.readStream('s')).map((e) => e.type)).toEqual(['Real', 'A']);
    expect((await dry.readStream('s', { direction: 'backwards' })).map((e) => e.type)).toEqual(['A', 'Real']);
  });

  it('enforces expected revisions against the real stream plus its own appends', async () => {
    const real = await realWith(2);
    const dry = new DryRunStore(real);
    await expect(dry.append('s', [ev()], 'no_stream')).rejects.toBeInstanceOf(WrongExpectedRevisionError);
    await expect(dry.append('s', [ev()], 0)).rejects.toMatchObject({ code: 'STREAM.WRONG_EXPECTED_REVISION', actual: 1 });
    await expect(dry.append('t', [ev()], 'stream_exists')).rejects.toBeInstanceOf(WrongExpectedRevisionError);
    await dry.append('s', [ev()], 1);
    await expect(dry.append('s', [ev()], 1)).rejects.toMatchObject({ actual: 2 });
    await dry.append('s', [ev()], 2);
    await dry.append('s', [ev()], 'any');
    expect(await dry.readStream('s')).toHaveLength(5);
  });

  it('enforces idempotency claims against the real records and its own, and answers lookups from both', async () => {
    const real = await realWith(1);
    const dry = new DryRunStore(real);
    await expect(dry.append('t', [ev()], 'no_stream', { actorId: 'u', key: 'real-key', requestHash: 'other' })).rejects.toBeInstanceOf(IdempotencyKeyTakenError);
    const first = await dry.append('t', [ev()], 'no_stream', { actorId: 'u', key: 'k', requestHash: 'h' });
    await expect(dry.append('u', [ev()], 'no_stream', { actorId: 'u', key: 'k', requestHash: 'h' })).rejects.toBeInstanceOf(IdempotencyKeyTakenError);
    expect(await dry.findIdempotency('k', 'u')).toEqual({ actorId: 'u', key: 'k', requestHash: 'h', result: first });
    expect(await dry.findIdempotency('real-key', 'u')).toEqual(await real.findIdempotency('real-key', 'u'));
    expect(await dry.findIdempotency('never', 'u')).toBeNull();
    // Nothing of a refused append is kept.
    expect(await dry.readStream('u')).toEqual([]);
    expect(await dry.headPosition()).toBe(2);
    // A key is its sender's: another sender finds nothing of u's, and claims 'k' and 'real-key' for appends of its own.
    expect(await dry.findIdempotency('k', 'v')).toBeNull();
    expect(await dry.findIdempotency('k', null)).toBeNull();
    await dry.append('v', [ev()], 'no_stream', { actorId: 'v', key: 'real-key', requestHash: 'h-v' });
    await dry.append('w', [ev()], 'no_stream', { actorId: 'v', key: 'k', requestHash: 'h-v' });
    expect(await dry.headPosition()).toBe(4);
    expect(await real.findIdempotency('real-key', 'v')).toBeNull();
  });

  it('answers like the real store: the same results and refusals for the same appends', async () => {
    const steps: [string, number, ExpectedRevision, IdempotencyClaim?][] = [
      ['a', 2, 'no_stream', { actorId: 'u', key: 'k1', requestHash: 'h1' }],
      ['b', 1, 'no_stream'],
      ['a', 1, 1],
      ['a', 1, 1], // stale revision
      ['b', 0, 0, { actorId: 'u', key: 'k2', requestHash: 'h2' }], // nothing appended, key still recorded
      ['c', 1, 'no_stream', { actorId: 'u', key: 'k2', requestHash: 'h2' }], // key taken
      ['c', 1, 'stream_exists'],
      ['c', 3, 'any'],
    ];
    const run = async (store: EventStore) => {
      const out: unknown[] = [];
      for (const [stream, n, expected, idem] of steps) {
        const events = Array.from({ length: n }, () => ev());
        try {
          const r = await store.append(stream, events, expected, idem);
          out.push({ revision: r.revision, position: r.position, appended: r.eventIds.length, recordedAt: r.recordedAt === null ? null : 'set' });
        } catch (e) {
          out.push(e instanceof Error ? e.constructor.name : e);
        }
      }
      const keys = await Promise.all(['k1', 'k2'].map(async (k) => (await store.findIdempotency(k, 'u'))?.result.revision));
      return { out, keys, head: await store.headPosition(), a: (await store.readStream('a')).map((e) => [e.revision, e.position]) };
    };
    expect(await run(new DryRunStore(new MemoryEventStore()))).toEqual(await run(new MemoryEventStore()));
  });

  it('readAll: the real log up to where the dry run took over, then its own events (types, after, upTo and page size kept)', async () => {
    const real = await realWith(3);
    const dry = new DryRunStore(real);
    expect((await dry.readAll()).map((e) => e.position)).toEqual([1, 2, 3]);
    await dry.append('t', [ev('Own'), ev('Real')], 'no_stream');
    // Written to the real store after the dry run took over: not part of the dry run's log.
    await real.append('s', [ev('Later')], 2);
    expect((await dry.readAll()).map((e) => [e.position, e.type])).toEqual([[1, 'Real'], [2, 'Real'], [3, 'Real'], [4, 'Own'], [5, 'Real']]);
    expect((await dry.readAll({ types: ['Own', 'Later'] })).map((e) => e.position)).toEqual([4]);
    expect((await dry.readAll({ after: 2, upTo: 4 })).map((e) => e.position)).toEqual([3, 4]);
    expect((await dry.readAll({ after: 1, maxCount: 2 })).map((e) => e.position)).toEqual([2, 3]);
    expect((await dry.readAll({ after: 3, maxCount: 1 })).map((e) => e.position)).toEqual([4]);
  });

  it('refuses, with a clear error, what a dry run of commands does not need', async () => {
    const dry = new DryRunStore(new MemoryEventStore());
    await expect(dry.positionAt()).rejects.toThrow('DryRunStore.positionAt is not supported');
    expect(() => dry.subscribe()).toThrow('DryRunStore.subscribe is not supported');
  });
});

describe('dryRunImport', () => {
  const admin: Actor = { id: 'op', name: 'operator', roles: ['admin'], counties: [], actingRole: 'admin' };
  const line = (command: string, payload: object, idempotencyKey?: string) => JSON.stringify({ command, payload, idempotencyKey });

  it('runs every line through the command path over the real store, reports each refused line, and writes nothing', async () => {
    const registry = new CommandRegistry();
    const real = new MemoryEventStore();
    const { lines, problems } = await parseImportFile(
      [
        line('RegisterCounty', { countyId: 'telemark', name: 'Telemark', countyNumber: '08' }),
        // needs line 1's county
        line('RegisterCentre', { centreId: 'kc-a', countyId: 'telemark', name: 'A', municipality: 'Skien', openedOn: '2014-03-01' }, 'same'),
        line('RegisterCentre', { centreId: 'kc-b', countyId: 'telemark', name: 'B', municipality: 'Skien', openedOn: '2014-02-30' }),
        line('RegisterCentre', { centreId: 'kc-c', countyId: 'telemark', name: 'C', municipality: 'Skien', openedOn: '2014-03-01' }, 'same'),
        line('RegisterCentre', { centreId: 'kc-d', countyId: 'atlantis', name: 'D', municipality: 'Skien', openedOn: '2014-03-01' }),
      ].join('\n'),
      registry,
    );
    expect(problems).toEqual([]);
    const refused = await dryRunImport(real, registry, lines, admin);
    expect(refused.map((p) => [p.line, p.code])).toEqual([
      [3, 'DATE.INVALID'],
      [4, 'IDEMPOTENCY_KEY_REUSED'],
      [5, 'COUNTY.NOT_FOUND'],
    ]);
    expect(await real.headPosition()).toBe(0);
    expect(await real.findIdempotency('same', admin.id)).toBeNull();
    // A finance officer of Telemark may register centres there but not counties: line 1 is named.
    const kari: Actor = { id: 'kari', name: 'kari', roles: ['finance-officer'], counties: ['telemark'], actingRole: 'finance-officer' };
    expect((await dryRunImport(real, registry, lines.slice(0, 2), kari)).map((p) => [p.line, p.code])).toEqual([
      [1, 'ACCESS.ROLE_NOT_ALLOWED'],
      [2, 'COUNTY.NOT_FOUND'],
    ]);
  });
});
