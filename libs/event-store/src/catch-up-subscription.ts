import { RecordedEvent } from '../../domain/src/shared';
import { ReadAllOptions, Subscription } from './port';

/**
 * Catch-up then live: reads pages from the log until it is at the head, then waits for a
 * wake-up (an append in this process) or a poll tick (appends by other processes sharing the file).
 * Batches are delivered one at a time, in order; the next read starts after the last delivered position.
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
    try {
      while (!this.stopped) {
        this.pending = false;
        const page = await this.readAll({ after: this.position, maxCount: this.pageSize });
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
