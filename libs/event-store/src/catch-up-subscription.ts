import { RecordedEvent } from '../../domain/src/shared';
import { ReadAllOptions, Subscription } from './port';

/** Pauses before reading again after a read failed in a way worth trying again: doubling, then every 5 s. */
const RETRY_FIRST_MS = 100;
const RETRY_MAX_MS = 5_000;

/**
 * Catch-up then live: reads pages from the log until it is at the head, then waits for a
 * wake-up (an append in this process) or a poll tick (appends by other processes sharing the file).
 * Batches are delivered one at a time, in order; the next read starts after the last delivered position.
 * A failed read that `retryable` says is passing (a server restarting) is tried again from the same
 * position after a pause, with one warning per outage; any other failure ends the subscription (onError).
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
    private readonly onError: (e: unknown) => void,
    private readonly pollMs: number | null,
    private readonly pageSize = 5_000,
    private readonly retryable: (e: unknown) => boolean = () => false,
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
    try {
      while (!this.stopped) {
        this.pending = false;
        let page: RecordedEvent[];
        try {
          page = await this.readAll({ after: this.position, maxCount: this.pageSize });
        } catch (e) {
          if (this.stopped || !this.retryable(e)) throw e;
          if (failures === 0) process.emitWarning(`reading the log after position ${this.position} failed (${(e as Error).message ?? e}); trying again until it answers`);
          await this.pause(Math.min(RETRY_FIRST_MS * 2 ** failures++, RETRY_MAX_MS));
          continue;
        }
        failures = 0;
        if (this.stopped) return;
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

  /** Waits `ms`, or less if unsubscribed meanwhile. */
  private pause(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.wake = null;
        resolve();
      }, ms);
      timer.unref();
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
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
