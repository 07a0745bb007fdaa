import { RecordedEvent } from '../../domain/src/shared';
import { EventStore, Subscription } from '../../event-store/src/port';
import { AnyProjection, foldEvents } from '../../projections/src/projection';
import { SnapshotStore } from './snapshot-store';

export interface EngineOptions {
  /** Save a checkpoint after this many new events (and on close). */
  snapshotEvery?: number;
  /** How long a query waits for the views to reach a position before answering 503. */
  waitTimeoutMs?: number;
  onError?: (e: unknown) => void;
}

export class ProjectionLagError extends Error {
  constructor(readonly wanted: number, readonly at: number) {
    super(`views are at position ${at}, behind ${wanted}`);
  }
}

/**
 * Keeps every projection's view up to date by following the store's global log from a stored
 * checkpoint (never the in-process bus). All projections share one checkpoint so a query
 * sees one consistent position across views.
 */
export class ProjectionEngine {
  private views = new Map<string, unknown>();
  private checkpoint = 0;
  private sinceSnapshot = 0;
  private subscription: Subscription | null = null;
  private waiters: { position: number; resolve: () => void }[] = [];
  /** Highest position this process has been told about (its own appends): reads wait for it. */
  private known = 0;
  private readonly snapshotEvery: number;
  private readonly waitTimeoutMs: number;

  constructor(
    private readonly store: EventStore,
    readonly projections: readonly AnyProjection[],
    private readonly snapshots: SnapshotStore | null,
    private readonly options: EngineOptions = {},
  ) {
    this.snapshotEvery = options.snapshotEvery ?? 50_000;
    this.waitTimeoutMs = options.waitTimeoutMs ?? 5_000;
  }

  get position(): number {
    return this.checkpoint;
  }

  /** Loads the stored checkpoint (if every projection has one at the same position and version), then follows the log. */
  async start(): Promise<void> {
    this.restore();
    this.known = Math.max(this.known, await this.store.headPosition());
    this.subscription = this.store.subscribe(this.checkpoint, (events) => this.apply(events), (e) => this.options.onError?.(e));
  }

  private restore(): void {
    this.views = new Map(this.projections.map((p) => [p.name, p.initial()]));
    this.checkpoint = 0;
    if (!this.snapshots) return;
    const snaps = this.projections.map((p) => ({ p, s: this.snapshots!.latest(p.name) }));
    const usable = snaps.every(({ p, s }) => s && s.version === p.version) && new Set(snaps.map(({ s }) => s!.position)).size === 1;
    if (!usable || snaps.length === 0) return;
    for (const { p, s } of snaps) this.views.set(p.name, JSON.parse(s!.state));
    this.checkpoint = snaps[0].s!.position;
  }

  private apply(events: RecordedEvent[]): void {
    for (const p of this.projections) this.views.set(p.name, foldEvents(p, events, this.views.get(p.name)));
    this.checkpoint = events[events.length - 1].position;
    this.known = Math.max(this.known, this.checkpoint);
    this.sinceSnapshot += events.length;
    if (this.sinceSnapshot >= this.snapshotEvery) this.saveCheckpoint();
    this.waiters = this.waiters.filter((w) => (w.position <= this.checkpoint ? (w.resolve(), false) : true));
  }

  /** Persists every view at the current checkpoint. */
  saveCheckpoint(): void {
    if (!this.snapshots) return;
    for (const p of this.projections) {
      this.snapshots.save({ name: p.name, version: p.version, position: this.checkpoint, state: JSON.stringify(this.views.get(p.name)) }, 'latest-only');
    }
    this.sinceSnapshot = 0;
  }

  /** Tell the engine about a position this process has acknowledged to a client. */
  noteAppended(position: number): void {
    if (position > this.known) this.known = position;
  }

  /** Resolves once the views include `position` (default: everything this process has acknowledged). */
  async caughtUp(position = this.known): Promise<void> {
    if (position <= this.checkpoint) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new ProjectionLagError(position, this.checkpoint)), this.waitTimeoutMs);
      this.waiters.push({ position, resolve: () => { clearTimeout(timer); resolve(); } });
    });
  }

  /** The current view of one projection. Callers await `caughtUp` first for read-your-writes. */
  view<V>(name: string): V {
    if (!this.views.has(name)) throw new Error(`unknown projection ${name}`);
    return this.views.get(name) as V;
  }

  /** Every view rebuilt from position 0 (up to `upTo`), without touching the live ones. */
  async rebuild(upTo?: number, onProgress?: (position: number) => void): Promise<{ position: number; views: Map<string, unknown> }> {
    const views = new Map(this.projections.map((p) => [p.name, p.initial()]));
    let after = 0;
    for (;;) {
      const page = await this.store.readAll({ after, upTo, maxCount: 10_000 });
      if (page.length === 0) break;
      for (const p of this.projections) views.set(p.name, foldEvents(p, page, views.get(p.name)));
      after = page[page.length - 1].position;
      onProgress?.(after);
    }
    return { position: after, views };
  }

  async stop(): Promise<void> {
    this.subscription?.unsubscribe();
    this.subscription = null;
    this.saveCheckpoint();
  }
}
