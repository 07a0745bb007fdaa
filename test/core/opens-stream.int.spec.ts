/**
 * CommandDefinition.opensStream: a new money entry is decided on its (presumed) empty stream
 * without reading it; the append's no_stream expectation is the check. These show the read is
 * skipped only where that cannot change an outcome: every answer equals the one the same command
 * gets when its stream is read first.
 */
import { CommandExecutor } from '../../libs/application/src/command-executor';
import { CommandRegistry } from '../../libs/application/src/command-registry';
import { entryStream } from '../../libs/domain/src/funding';
import { Actor } from '../../libs/domain/src/shared';
import { MemoryEventStore } from '../../libs/event-store/src/memory-event-store';
import { EventStore } from '../../libs/event-store/src/port';

const admin: Actor = { id: 'admin-1', name: 'Admin', roles: ['admin'], counties: [], actingRole: 'admin' };
const kari: Actor = { id: 'kari', name: 'Kari', roles: ['finance-officer'], counties: ['telemark'], actingRole: 'finance-officer' };

const ENTRY = entryStream('tm-2014-drift');

const grant = (over: Record<string, unknown> = {}) => ({
  entryId: 'tm-2014-drift',
  centreId: 'kc-skien',
  fiscalYear: 2014,
  partyId: 'telemark-fk',
  amount: '1250000.00',
  decidedOn: '2014-01-15',
  ...over,
});

/** A store that counts reads of each stream and can run something just before an append of one stream. */
const watched = (inner: MemoryEventStore) => {
  const reads = new Map<string, number>();
  let beforeAppend: ((streamId: string) => Promise<void>) | null = null;
  const store = new Proxy(inner, {
    get(target, prop, receiver) {
      if (prop === 'readStream') {
        return (streamId: string, o?: object) => {
          reads.set(streamId, (reads.get(streamId) ?? 0) + 1);
          return target.readStream(streamId, o);
        };
      }
      if (prop === 'append') {
        return async (...a: Parameters<EventStore['append']>) => {
          const hook = beforeAppend;
          beforeAppend = null;
          if (hook) await hook(a[0]);
          return target.append(...a);
        };
      }
      const v = Reflect.get(target, prop, receiver);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
  return { store: store as EventStore, reads, onNextAppend: (f: (streamId: string) => Promise<void>) => (beforeAppend = f) };
};

const ledger = async (opensStream: boolean) => {
  const inner = new MemoryEventStore();
  const registry = new CommandRegistry();
  registry.get('RecordOperatingGrant').opensStream = opensStream;
  const w = watched(inner);
  const exec = new CommandExecutor(w.store, registry, null);
  await exec.execute({ command: 'RegisterCounty', payload: { countyId: 'telemark', name: 'Telemark', countyNumber: '08' }, actor: admin });
  await exec.execute({ command: 'RegisterParty', payload: { partyId: 'telemark-fk', name: 'Telemark fylkeskommune', kind: 'county-authority', countyId: 'telemark' }, actor: admin });
  await exec.execute({ command: 'RegisterCentre', payload: { centreId: 'kc-skien', countyId: 'telemark', name: 'Skien', municipality: 'Skien', openedOn: '2009-01-01' }, actor: admin });
  w.reads.clear();
  const run = (payload: object) =>
    exec.execute({ command: 'RecordOperatingGrant', payload, actor: kari }).then(
      (o) => ({ ok: o.events.map((e) => e.type) }),
      (e: { code?: string; message?: string }) => ({ refused: e.code ?? String(e.message) }),
    );
  return { inner, ...w, run };
};

describe('opensStream: a new money entry is decided without reading its own stream', () => {
  it('is set on the money-entry commands (the benchmark and every new entry rely on it)', () => {
    const registry = new CommandRegistry();
    for (const name of ['RecordOperatingGrant', 'RecordEarmarkedFunds', 'RecordTenderAward', 'RecordOtherIncome', 'RecordInKindContribution']) {
      expect([name, registry.get(name).opensStream]).toEqual([name, true]);
    }
    expect(registry.get('ReverseEntry').opensStream).toBeFalsy();
  });

  it('records a new entry without reading the entry stream', async () => {
    const l = await ledger(true);
    expect(await l.run(grant())).toEqual({ ok: ['OperatingGrantRecorded'] });
    expect(l.reads.get(ENTRY) ?? 0).toBe(0);
    expect(await l.inner.readStream(ENTRY)).toHaveLength(1);
  });

  it.each([
    ['the same entry again', grant()],
    ['the same id with another amount', grant({ amount: '99.00' })],
    ['the same id with an amount no entry may have', grant({ amount: '-5.00' })],
    ['the same id with a fiscal year out of range', grant({ fiscalYear: 1990 })],
  ])('%s: answered exactly as when the stream is read first, and nothing recorded', async (_what, second) => {
    const answers = [];
    for (const opens of [false, true]) {
      const l = await ledger(opens);
      await l.run(grant());
      answers.push({ answer: await l.run(second), events: (await l.inner.readStream(ENTRY)).length });
    }
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[1].events).toBe(1);
    expect(answers[1].answer).toHaveProperty('refused');
  });

  it('a new entry the rules refuse is refused as when the stream is read (and then it is read)', async () => {
    const answers = [];
    for (const opens of [false, true]) {
      const l = await ledger(opens);
      answers.push(await l.run(grant({ amount: '-5.00' })));
    }
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[1]).toHaveProperty('refused');
  });

  it('an entry recorded under the same id between the decision and the append: refused as already recorded, recorded once', async () => {
    const l = await ledger(true);
    l.onNextAppend(async () => {
      // Another request records the id first (straight into the store, as another process would).
      const other = await new CommandExecutor(l.inner, new CommandRegistry(), null).execute({ command: 'RecordOperatingGrant', payload: grant({ amount: '7.00' }), actor: kari });
      expect(other.events).toHaveLength(1);
    });
    expect(await l.run(grant())).toEqual({ refused: 'ENTRY.ALREADY_EXISTS' });
    const stored = await l.inner.readStream(ENTRY);
    expect(stored).toHaveLength(1);
    expect((stored[0].data as { amountOre: number }).amountOre).toBe(700); // the other request's 7.00
  });
});
