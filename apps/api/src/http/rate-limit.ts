/**
 * Requests per client address per minute, in fixed one-minute windows. A plain counter per
 * address (the Nest throttler's bookkeeping was ~20 % of a read's CPU); stale windows are
 * dropped when the table grows, so memory stays bounded by the addresses seen in a minute.
 */
export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window resets (≥ 1). */
  resetSeconds: number;
}

const WINDOW_MS = 60_000;
const PRUNE_ABOVE = 10_000;

export class RateLimiter {
  private readonly windows = new Map<string, { startedAt: number; count: number }>();

  constructor(
    readonly limitPerMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  hit(client: string): RateDecision {
    const t = this.now();
    let w = this.windows.get(client);
    if (!w || t - w.startedAt >= WINDOW_MS) {
      if (!w && this.windows.size >= PRUNE_ABOVE) this.prune(t);
      w = { startedAt: t, count: 0 };
      this.windows.set(client, w);
    }
    w.count++;
    const resetSeconds = Math.max(1, Math.ceil((w.startedAt + WINDOW_MS - t) / 1000));
    return { allowed: w.count <= this.limitPerMinute, limit: this.limitPerMinute, remaining: Math.max(0, this.limitPerMinute - w.count), resetSeconds };
  }

  private prune(t: number): void {
    for (const [k, w] of this.windows) if (t - w.startedAt >= WINDOW_MS) this.windows.delete(k);
  }

  /** How many addresses are tracked (for tests). */
  get size(): number {
    return this.windows.size;
  }
}
