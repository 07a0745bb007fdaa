/**
 * CatchUpSubscription at a stream hard-deleted on an EventStoreDB node (StreamDeletedOnNodeError):
 * it waits it out, reading again from the same position after pauses it is given (growing to a cap,
 * not cut short by appends), tells onError once with an outage whose `resumed` resolves when a read
 * succeeds again, and warns once when it starts and once when it recovers. Other errors are as
 * before: retryable ones tried again quickly, any other the end of the subscription.
 */
import { RecordedEvent } from '../../domain/src/shared';
import { CatchUpSubscription } from './catch-up-subscription';
import { StreamDeletedOnNodeError } from './errors';
import { ReadAllOptions, SubscriptionOutage } from './port';
import { sleep, until } from './wait-until.fixture';

const event = (position: number): RecordedEvent => ({ position, eventId: `e-${position}` }) as unknown as RecordedEvent;

/** A log of positions; `failWith`, while set, makes every read after `failAfter` fail with it (a tombstone there). */
class Log {
  events: RecordedEvent[] = [];
  failWith: Error | null = null;
  failAfter = 0;
  reads: { at: number; after: number }[] = [];
  readonly readAll = async (o: ReadAllOptions): Promise<RecordedEvent[]> => {
    this.reads.push({ at: Date.now(), after: o.after ?? 0 });
    const after = o.after ?? 0;
    const next = this.events.filter((e) => e.position > after);
    if (this.failWith && next.every((e) => e.position > this.failAfter)) throw this.failWith;
    return next.filter((e) => !this.failWith || e.position <= this.failAfter).slice(0, o.maxCount);
  };
}

describe('CatchUpSubscription at a stream deleted on the node', () => {
  let warnings: string[];
  let warn: jest.SpyInstance;
  beforeEach(() => {
    warnings = [];
    warn = jest.spyOn(process, 'emitWarning').mockImplementation(((w: string | Error) => void warnings.push(String(w))) as typeof process.emitWarning);
  });
  afterEach(() => warn.mockRestore());

  it('waits it out with the pauses it is given (appends do not cut them short), tells onError once with an outage, and goes on from the same position once it is restored', async () => {
    const log = new Log();
    log.events = [event(1), event(2)];
    const seen: number[] = [];
    const errors: [unknown, SubscriptionOutage | undefined][] = [];
    const deleted = new StreamDeletedOnNodeError('centre-x', 3);
    log.failWith = deleted;
    log.failAfter = 2;
    log.events.push(event(4));
    const sub = new CatchUpSubscription(log.readAll, 0, (b) => void seen.push(...b.map((e) => e.position)), (e, outage) => errors.push([e, outage]), 20, 100, () => false, { firstMs: 40, maxMs: 80 });
    try {
      expect(await until(() => errors.length === 1, 1_000)).toBe(true);
      expect(seen).toEqual([1, 2]);
      const [error, outage] = errors[0];
      expect(error).toBe(deleted);
      expect(outage?.resumed).toBeInstanceOf(Promise);
      let resumed = false;
      void outage!.resumed.then(() => (resumed = true));
      // Appends in this process do not wake the pause (the hole does not close by them).
      const failedAt = log.reads.length;
      for (let i = 0; i < 10; i++) {
        sub.notify();
        await sleep(2);
      }
      await sleep(300);
      const retries = log.reads.slice(failedAt);
      expect(retries.length).toBeGreaterThanOrEqual(2);
      expect(retries.length).toBeLessThanOrEqual(6);
      expect(retries.every((r) => r.after === 2)).toBe(true);
      // The pauses grow from firstMs to maxMs: 40, 80, 80, ...
      const gaps = retries.slice(1).map((r, i) => r.at - retries[i].at);
      for (const g of gaps) expect(g).toBeGreaterThanOrEqual(70);
      expect([errors.length, resumed, warnings.length]).toEqual([1, false, 1]);
      expect(warnings[0]).toMatch(/^reading the log after position 2 meets stream centre-x, hard-deleted on the EventStoreDB node \(its tombstone at position 3\): the views stop here and read again every 80 ms at most until the node is restored$/);
      // The node restored: the next read goes on from position 2.
      log.failWith = null;
      expect(await until(() => seen.length === 3, 1_000)).toBe(true);
      await sleep(0);
      expect([seen, errors.length, resumed]).toEqual([[1, 2, 4], 1, true]);
      expect(warnings).toEqual([warnings[0], 'reading the log after position 2 works again (stream centre-x is back on the node): the views go on']);
    } finally {
      sub.unsubscribe();
    }
  });

  it('an unsubscribe ends the pause at once, telling nothing more', async () => {
    const log = new Log();
    log.failWith = new StreamDeletedOnNodeError('grant-y', 5);
    const errors: unknown[] = [];
    const sub = new CatchUpSubscription(log.readAll, 0, () => undefined, (e) => errors.push(e), 20, 100, () => false, { firstMs: 60_000, maxMs: 60_000 });
    expect(await until(() => errors.length === 1, 1_000)).toBe(true);
    const reads = log.reads.length;
    sub.unsubscribe();
    await sleep(50);
    expect([log.reads.length, errors.length]).toEqual([reads, 1]);
  });

  it('any other error still ends the subscription (onError without an outage), a retryable one is still tried again without telling onError', async () => {
    const log = new Log();
    log.events = [event(1)];
    const transient = Object.assign(new Error('14 UNAVAILABLE'), { code: 14 });
    log.failWith = transient;
    const errors: [unknown, SubscriptionOutage | undefined][] = [];
    const seen: number[] = [];
    const sub = new CatchUpSubscription(log.readAll, 1, (b) => void seen.push(...b.map((e) => e.position)), (e, outage) => errors.push([e, outage]), 20, 100, (e) => e === transient);
    try {
      await sleep(150);
      expect(errors).toEqual([]);
      log.failWith = null;
      log.events.push(event(2));
      expect(await until(() => seen.length === 1, 1_000)).toBe(true);
      const broken = new Error('not JSON');
      log.failWith = broken;
      expect(await until(() => errors.length === 1, 1_000)).toBe(true);
      const reads = log.reads.length;
      await sleep(100);
      expect([errors, log.reads.length]).toEqual([[[broken, undefined]], reads]);
      expect(warnings).toEqual([expect.stringMatching(/^reading the log after position 1 failed \(14 UNAVAILABLE\); trying again until it answers$/)]);
    } finally {
      sub.unsubscribe();
    }
  });
});
