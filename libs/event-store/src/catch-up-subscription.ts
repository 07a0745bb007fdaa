import { RecordedEvent } from '../../domain/src/shared';
import { StreamDeletedOnNodeError } from './errors';
import { ReadAllOptions, Subscription, SubscriptionOutage } from './port';

/** Pauses before reading again after a read failed in a way worth trying again: doubling, then every 5 s. */
const RETRY_FIRST_MS = 100;
const RETRY_MAX_MS = 5_000;

/** Pauses before reading again at a stream hard-deleted on the node (an outage of days, not seconds). */
export interface DeletedStreamRetry {
  /** The first pause; each next one doubles... */
  firstMs: number;
  /** ...up to this, then every `maxMs`. */
  maxMs: number;
}
export const DELETED_STREAM_RETRY: DeletedStreamRetry = { firstMs: 1_000, maxMs: 30_000 };
const said = (ms: number): string => (ms % 1_000 === 0 ? `${ms / 1_000} s` : `${ms} ms`);

/**
 * Catch-up then live: reads pages from the log until it is at the head, then waits for a
 * wake-up (an append in this process) or a poll tick (appends by other processes sharing the file).
 * Batches are delivered one at a time, in order; the next read starts after the last delivered position.
 * A failed read that `retryable` says is passing (a server restarting) is tried again from the same
 * position after a pause, with one warning per outage. A read that meets a stream hard-deleted on an
 * EventStoreDB node (StreamDeletedOnNodeError) is tried again too, but only every `deletedRetry`
 * pause (growing to 30 s; appends do not cut it short, the hole does not close by them) until the
 * node is restored: one warning when it starts, `onError` told once with an outage whose `resumed`
 * resolves when a read succeeds again (one more warning then). Any other failure ends the subscription (onError).
 */
export class CatchUpSubscription implements Subscription {
  private stopped = false;
  /** Set when a wake-up arrives while a read is in flight, so it is not lost. */
  private pending = false;
  private wake: (() => void) | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly readAll: (o: ReadAllOptions) => Promise<RecordedEvent[]>,
    private position: number,
    private readonly onEvents: (events: RecordedEvent[]) => Promise<void> | void,
    private readonly onError: (e: unknown, outage?: SubscriptionOutage) => void,
    private readonly pollMs: number | null,
    private readonly pageSize = 5_000,
    private readonly retryable: (e: unknown) => boolean = () => false,
    private readonly deletedRetry: DeletedStreamRetry = DELETED_STREAM_RETRY,
  ) {
    void this.run();
  }

  notify(): void {
    const w = this.wake;
    this.wake = null;
    if (w) w();
    else this.pending = true;
  }

  unsubscribe(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.notify();
  }

  private async run(): Promise<void> {
    let failures = 0;
    /** While reads meet a stream deleted on the node: the error told, how to say it has passed, the pauses so far. */
    let deleted: { error: StreamDeletedOnNodeError; resume: () => void; resumed: Promise<void>; pauses: number } | null = null;
    try {
      while (!this.stopped) {
        this.pending = false;
        let page: RecordedEvent[];
        try {
          page = await this.readAll({ after: this.position, maxCount: this.pageSize });
        } catch (e) {
          if (this.stopped) throw e;
          if (e instanceof StreamDeletedOnNodeError) {
            if (!deleted) {
              let resume!: () => void;
              const resumed = new Promise<void>((resolve) => (resume = resolve));
              deleted = { error: e, resume, resumed, pauses: 0 };
              process.emitWarning(`reading the log after position ${this.position} meets stream ${e.streamId}, hard-deleted on the EventStoreDB node${e.position === null ? '' : ` (its tombstone at position ${e.position})`}: the views stop here and read again every ${said(this.deletedRetry.maxMs)} at most until the node is restored`);
              this.onError(e, { resumed });
            } else if (e.streamId !== deleted.error.streamId || e.position !== deleted.error.position) {
              // Another deleted stream in the way (the first restored, this one not): told too, the same outage.
              deleted.error = e;
              this.onError(e, { resumed: deleted.resumed });
            }
            // onError may have unsubscribed (before any pause was there to cut short): no pause is left behind.
            if (this.stopped) return;
            await this.pause(Math.min(this.deletedRetry.firstMs * 2 ** deleted.pauses++, this.deletedRetry.maxMs), false);
            continue;
          }
          if (!this.retryable(e)) throw e;
          if (failures === 0) process.emitWarning(`reading the log after position ${this.position} failed (${(e as Error).message ?? e}); trying again until it answers`);
          await this.pause(Math.min(RETRY_FIRST_MS * 2 ** failures++, RETRY_MAX_MS));
          continue;
        }
        failures = 0;
        if (this.stopped) return;
        if (deleted) {
          process.emitWarning(`reading the log after position ${this.position} works again (stream ${deleted.error.streamId} is back on the node): the views go on`);
          deleted.resume();
          deleted = null;
        }
        if (page.length > 0) {
          await this.onEvents(page);
          this.position = page[page.length - 1].position;
          continue;
        }
        // An append landed while we were reading: read again instead of sleeping through it.
        if (this.pending) continue;
        await new Promise<void>((resolve) => {
          this.wake = resolve;
          if (this.pollMs !== null) {
            this.timer = setTimeout(() => this.notify(), this.pollMs);
            this.timer.unref();
          }
        });
      }
    } catch (e) {
      if (!this.stopped) this.onError(e);
    }
  }

  /** Waits `ms`, or less if unsubscribed meanwhile (or, `byAppends`, woken by an append). */
  private pause(ms: number, byAppends = true): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.wake = null;
        resolve();
      }, ms);
      timer.unref();
      const wake = (): void => {
        if (!byAppends && !this.stopped) {
          this.wake = wake;
          return;
        }
        clearTimeout(timer);
        resolve();
      };
      this.wake = wake;
    });
  }
}

/** The set of live subscriptions of one store instance, woken after each append. */
export class SubscriberSet {
  private readonly subs = new Set<CatchUpSubscription>();
  add(s: CatchUpSubscription): Subscription {
    this.subs.add(s);
    return { unsubscribe: () => { s.unsubscribe(); this.subs.delete(s); } };
  }
  notifyAll(): void {
    for (const s of this.subs) s.notify();
  }
  closeAll(): void {
    for (const s of this.subs) s.unsubscribe();
    this.subs.clear();
  }
}
