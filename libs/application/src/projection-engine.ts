import { RecordedEvent } from '../../domain/src/shared';
import { StreamDeletedOnNodeError } from '../../event-store/src/errors';
import { BULK_PAGE, EventStore, Subscription, SubscriptionOutage } from '../../event-store/src/port';
import { AnyProjection, deserializeView, foldEvents, serializeView } from '../../projections/src/projection';
import { MissingPartError, partsReader, SnapshotStore, StoredSnapshot } from './snapshot-store';

export interface EngineOptions {
  /** Save a checkpoint after this many new events (and on close). */
  snapshotEvery?: number;
  /** How long a query waits for the views to reach a position before answering 503. */
  waitTimeoutMs?: number;
  /** Keep a history snapshot of every view each time the log crosses a multiple of this many positions (for as-of answers). */
  historyEvery?: number;
  /** How many as-of views to keep in memory (LRU by projection name and position). */
  asOfCacheSize?: number;
  onError?: (e: unknown) => void;
}

/** Where a projection's history snapshots live in the SnapshotStore (apart from its latest checkpoint). */
export const historyName = (name: string): string => `history:${name}`;

export class ProjectionLagError extends Error {
  constructor(readonly wanted: number, readonly at: number) {
    super(`views are at position ${at}, behind ${wanted}`);
  }
}

/**
 * Why the views stopped following the log: the subscription's error, the position they had folded
 * up to, and whether the subscription is waiting it out (`retrying`: a stream hard-deleted on an
 * EventStoreDB node, until the node is restored; the views then go on by themselves) or ended.
 */
export interface ViewsStopped {
  readonly error: unknown;
  readonly position: number;
  readonly retrying: boolean;
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
  /** How many times every view was kept as a history snapshot at one position. */
  private completeHistorySets = 0;
  /**
   * The position of every view's checkpoint when it is where the views are (restored from it, or
   * saved since); -1 otherwise. A complete set of history snapshots does not count: a start that
   * finds a changed projection restores the others from their checkpoints only.
   */
  private storedAt = -1;
  private subscription: Subscription | null = null;
  /** Set by stop() (for good): a start() still under way returns at its next await, saving and subscribing nothing. */
  private stopped = false;
  /** While start() runs a view may be folded from 0 only part-way, so stop() saves no checkpoint then. */
  private starting = false;
  private waiters: { position: number; resolve: () => void; reject: (e: unknown) => void }[] = [];
  /** Set when the subscription fails (see ViewsStopped); cleared when it reads again after an outage it waited out. */
  private stoppedBy: ViewsStopped | null = null;
  /** Highest position this process has been told about (its own appends): reads wait for it. */
  private known = 0;
  private readonly snapshotEvery: number;
  private readonly waitTimeoutMs: number;
  /** The finest history cadence of any projection: the log is folded in slices that end on its multiples. */
  private readonly historyEvery: number;
  private readonly cadence = new Map<string, number>();
  private readonly asOfCacheSize: number;
  /**
   * Recent as-of views: for each of the last `asOfCacheSize` positions asked (Map order is their LRU
   * order), every view asked at it. Kept by position, not by view: a question that combines views
   * (the governance routes read eight) finds them all again, where a cache of single views evicted
   * each with the next and folded all eight anew for every such question at the same instant.
   */
  private readonly asOfCache = new Map<number, Map<string, Promise<unknown>>>();

  constructor(
    private readonly store: EventStore,
    readonly projections: readonly AnyProjection[],
    private readonly snapshots: SnapshotStore | null,
    private readonly options: EngineOptions = {},
  ) {
    this.snapshotEvery = options.snapshotEvery ?? 50_000;
    this.waitTimeoutMs = options.waitTimeoutMs ?? 5_000;
    const every = options.historyEvery ?? 50_000;
    // A projection may ask for a finer cadence (never coarser than the engine's).
    for (const p of projections) this.cadence.set(p.name, Math.min(every, p.historyEvery ?? every));
    this.historyEvery = Math.min(every, ...this.cadence.values());
    // One as-of view kept (an auditor's questions at one instant hit it); each can hold hundreds of MB at 1,000,000 events.
    this.asOfCacheSize = options.asOfCacheSize ?? 1;
  }

  get position(): number {
    return this.checkpoint;
  }

  /** Why the views stopped following the log, or null while they follow it (GET /health's `viewsStopped`). */
  get viewsStopped(): ViewsStopped | null {
    return this.stoppedBy;
  }

  /** True when the views include every position this process has acknowledged (a query would answer at `position` without waiting). */
  get upToDate(): boolean {
    return this.known <= this.checkpoint;
  }

  /**
   * Loads the stored checkpoints, folds any projection without a usable one (new, or its fold
   * changed version) from position 0 up to the others, then follows the log with all of them.
   */
  async start(): Promise<void> {
    if (this.stopped) return;
    this.starting = true;
    try {
      const behind = this.restore();
      if (behind.length > 0) {
        await this.foldFromZero(behind);
        // Stopped meanwhile (a shutdown during start-up): the views in `behind` may not have reached the checkpoint.
        if (this.stopped) return;
        this.saveCheckpoint();
      }
      const head = await this.store.headPosition();
      if (this.stopped) return; // nothing subscribes after stop()
      this.known = Math.max(this.known, head);
      this.subscription = this.store.subscribe(this.checkpoint, (events) => this.apply(events), (e, outage) => this.subscriptionFailed(e, outage));
    } finally {
      this.starting = false;
    }
  }

  /**
   * The subscription failed: the views stop where they are. A failing fold, or a read that cannot go
   * on, ends it; say so instead of going quiet (the default when no onError is given). A stream
   * hard-deleted on the EventStoreDB node is waited out by the subscription (it warned): until it reads
   * again, a read that needs the views past this point is refused at once with that error (500
   * STORE.STREAM_DELETED naming the stream), not left to wait for a position they cannot reach.
   */
  private subscriptionFailed(e: unknown, outage?: SubscriptionOutage): void {
    const stopped: ViewsStopped = { error: e, position: this.checkpoint, retrying: outage !== undefined };
    this.stoppedBy = stopped;
    if (e instanceof StreamDeletedOnNodeError) {
      const waiting = this.waiters;
      this.waiters = [];
      for (const w of waiting) w.reject(e);
    }
    if (outage) {
      void outage.resumed.then(() => {
        if (this.stoppedBy === stopped) this.stoppedBy = null;
      });
    }
    const report = this.options.onError ?? (outage ? () => undefined : (err: unknown) => console.error(`projection engine stopped at position ${this.checkpoint}:`, err));
    report(e);
  }

  /**
   * Each projection's latest checkpoint of its current version, at the position they were saved
   * together. Returns the projections left at their initial view (none stored, another version,
   * or an older position): they must be folded up to the checkpoint before the views are served.
   */
  private restore(): AnyProjection[] {
    this.views = new Map(this.projections.map((p) => [p.name, p.initial()]));
    this.checkpoint = 0;
    if (!this.snapshots) return [];
    // Snapshots an older (or newer) fold wrote can never be read by this one: drop them, history included.
    for (const p of this.projections) this.snapshots.discardOtherVersions([p.name, historyName(p.name)], p.version);
    // Which snapshots to restore, and their parts, are read as of one moment: another process saving
    // its checkpoint meanwhile (a rolling restart, `ledger import` ending) deletes the one being read.
    return this.consistently(() => this.restoreStored());
  }

  /** `fn` reading the snapshot store as of one moment (SnapshotStore.consistently), where the store can. */
  private consistently<T>(fn: () => T): T {
    const snapshots = this.snapshots;
    return snapshots?.consistently ? snapshots.consistently(fn) : fn();
  }

  private restoreStored(): AnyProjection[] {
    const common = this.newestCommon();
    if (common) {
      const unreadable: AnyProjection[] = [];
      for (const [name, s] of common.stored) {
        const p = this.projections.find((x) => x.name === name)!;
        if (!this.restoreView(p, s)) unreadable.push(p);
      }
      this.checkpoint = common.position;
      if (common.allCheckpoints && unreadable.length === 0) this.storedAt = common.position;
      return unreadable;
    }
    const current = this.projections.map((p) => ({ p, s: this.snapshots!.latest(p.name) })).filter(({ p, s }) => s !== null && s.version === p.version);
    if (current.length === 0) return [];
    const position = Math.max(...current.map(({ s }) => s!.position));
    const restored = new Set<string>();
    for (const { p, s } of current) {
      if (s!.position !== position) continue;
      if (this.restoreView(p, s!)) restored.add(p.name);
    }
    this.checkpoint = position;
    return this.projections.filter((p) => !restored.has(p.name));
  }

  /**
   * The live view from a stored snapshot; the part texts it read prime the next history snapshot
   * (SnapshotStore.primeHistory). A snapshot lacking a part it names (never written so by this
   * version; a file damaged or written by an older one) is not restored: the view is left at its
   * initial state, to be folded from 0 like a changed one (false), and a warning says so.
   */
  private restoreView(p: AnyProjection, s: StoredSnapshot): boolean {
    const texts = new Map<string, string>();
    let view: unknown;
    try {
      view = deserializeView(p, s.state, 'live', (key) => {
        const text = s.part(key);
        texts.set(key, text);
        return text;
      });
    } catch (e) {
      if (!(e instanceof MissingPartError)) throw e;
      process.emitWarning(`${e.message}: the ${p.name} view is folded again from position 0 instead`);
      this.views.set(p.name, p.initial());
      return false;
    }
    this.views.set(p.name, view);
    this.snapshots?.primeHistory?.(historyName(p.name), s, texts);
    return true;
  }

  /**
   * The newest position at which every projection has a stored view of its version, its checkpoint
   * or a history snapshot (null if there is none, or if a checkpoint is newer: then the projections
   * without one are folded alone). While the log is folded from 0 no checkpoint is written beside a
   * complete set of history snapshots (see apply), so a start interrupted half-way resumes from that set.
   */
  private newestCommon(): { position: number; stored: Map<string, StoredSnapshot>; allCheckpoints: boolean } | null {
    const snapshots = this.snapshots!;
    if (this.projections.length === 0) return null;
    // Positions first (a history snapshot's main text can be megabytes): each view's newest stored position at or before a candidate.
    const newest = (p: AnyProjection, at: number): number => Math.max(snapshots.positionAtOrBefore(p.name, p.version, at) ?? 0, snapshots.positionAtOrBefore(historyName(p.name), p.version, at) ?? 0);
    let position = Number.MAX_SAFE_INTEGER;
    for (;;) {
      const lower = Math.min(...this.projections.map((p) => newest(p, position)));
      if (lower <= 0) return null;
      if (lower === position) break;
      position = lower;
    }
    if (this.projections.some((p) => (snapshots.positionAtOrBefore(p.name, p.version, Number.MAX_SAFE_INTEGER) ?? 0) > position)) return null;
    const stored = new Map<string, StoredSnapshot>();
    let allCheckpoints = true;
    for (const p of this.projections) {
      const latest = snapshots.atOrBefore(p.name, p.version, position);
      allCheckpoints &&= latest?.position === position;
      stored.set(p.name, latest?.position === position ? latest : snapshots.atOrBefore(historyName(p.name), p.version, position)!);
    }
    return { position, stored, allCheckpoints };
  }

  /** Folds some projections alone from position 0 up to the checkpoint (keeping their history snapshots), reading only their event types when they all name them. */
  private async foldFromZero(ps: AnyProjection[]): Promise<void> {
    const types = ps.every((p) => p.eventTypes) ? [...new Set(ps.flatMap((p) => p.eventTypes!))] : undefined;
    let at = 0;
    while (at < this.checkpoint) {
      const page = await this.store.readAll({ after: at, upTo: this.checkpoint, maxCount: BULK_PAGE, types });
      if (this.stopped || page.length === 0) break;
      at = this.foldSlices(ps, page, at);
    }
  }

  /**
   * Folds events into the views of `ps`, in slices that end on multiples of the history cadence so
   * history snapshots sit at exact positions; returns the position reached.
   */
  private foldSlices(ps: readonly AnyProjection[], events: RecordedEvent[], from: number): number {
    let at = from;
    for (let start = 0; start < events.length; ) {
      const boundary = (Math.floor(at / this.historyEvery) + 1) * this.historyEvery;
      let end = start;
      while (end < events.length && events[end].position < boundary) end++;
      if (end < events.length) end++;
      const slice = start === 0 && end === events.length ? events : events.slice(start, end);
      for (const p of ps) this.views.set(p.name, foldEvents(p, slice, this.views.get(p.name)));
      at = slice[slice.length - 1].position;
      if (at >= boundary) this.saveHistory(boundary, ps, at);
      start = end;
    }
    return at;
  }

  private apply(events: RecordedEvent[]): void {
    const sets = this.completeHistorySets;
    this.checkpoint = this.foldSlices(this.projections, events, this.checkpoint);
    this.known = Math.max(this.known, this.checkpoint);
    // A complete set of history snapshots stands for a checkpoint (restore starts from it): no need to write every view again beside it.
    this.sinceSnapshot = this.completeHistorySets !== sets ? 0 : this.sinceSnapshot + events.length;
    if (this.sinceSnapshot >= this.snapshotEvery) this.saveCheckpoint();
    this.waiters = this.waiters.filter((w) => (w.position <= this.checkpoint ? (w.resolve(), false) : true));
  }

  /**
   * Persists every view at the current checkpoint, unless another process on the same store has
   * already saved a newer one of every view's fold, as this process folds it (a server beside
   * `ledger replay` or `import`): replacing that would only make the next start fold more. If any
   * view has none newer (a release whose fold of it changed, beside the old one), all are saved:
   * a start restores one position for all of them.
   */
  saveCheckpoint(): void {
    const snapshots = this.snapshots;
    if (!snapshots) return;
    let saved = false;
    // One transaction: every view's checkpoint at the same position, or the previous ones untouched.
    snapshots.atomically(() => {
      if (this.projections.every((p) => (snapshots.positionAtOrBefore(p.name, p.version, Number.MAX_SAFE_INTEGER) ?? -1) > this.checkpoint)) return;
      for (const p of this.projections) {
        snapshots.save({ name: p.name, version: p.version, position: this.checkpoint, ...serializeView(p, this.views.get(p.name)) }, 'latest-only');
      }
      saved = true;
    });
    this.sinceSnapshot = 0;
    if (saved) this.storedAt = this.checkpoint;
  }

  /**
   * Keeps the views whose cadence the crossed boundary is a multiple of (every view when no
   * boundary is given) as history snapshots at the current checkpoint: as-of answers start from the nearest one.
   */
  saveHistory(boundary?: number, ps: readonly AnyProjection[] = this.projections, position = this.checkpoint): void {
    if (!this.snapshots) return;
    let saved = 0;
    for (const p of ps) {
      if (boundary !== undefined && boundary % this.cadence.get(p.name)! !== 0) continue;
      this.snapshots.save({ name: historyName(p.name), version: p.version, position, ...serializeView(p, this.views.get(p.name)) }, 'keep-history');
      saved++;
    }
    if (saved === this.projections.length) this.completeHistorySets++;
  }

  /** The store's last position (the views may not have folded it yet). */
  headPosition(): Promise<number> {
    return this.store.headPosition();
  }

  /** The last global position recorded at or before an instant (ISO-8601, as stored). */
  positionAt(recordedAt: string): Promise<number> {
    return this.store.positionAt(recordedAt);
  }

  /**
   * One projection's view as it was at global position `position`: the live view when that is
   * where the views are, else the nearest history snapshot at or before it, folded forward with
   * the same projection over (snapshot, position]. Recent answers are kept (LRU). Never mutate the result.
   * The live view changes in place as later events are folded: a caller that awaits anything before it
   * has built its answer checks `position` afterwards (a view folded apart is never changed).
   */
  async viewAt<V>(name: string, position: number): Promise<V> {
    const p = this.projections.find((x) => x.name === name);
    if (!p) throw new Error(`unknown projection ${name}`);
    if (position >= this.checkpoint) {
      await this.caughtUp(position);
      if (position === this.checkpoint) return this.view<V>(name);
    }
    let at = this.asOfCache.get(position);
    if (at) {
      this.asOfCache.delete(position);
      this.asOfCache.set(position, at);
      const hit = at.get(name);
      if (hit) return hit as Promise<V>;
    } else {
      // Room is made before computing, so a new position's views never sit in memory beside a full cache (peak memory).
      while (this.asOfCache.size > 0 && this.asOfCache.size >= this.asOfCacheSize) this.asOfCache.delete(this.asOfCache.keys().next().value as number);
      this.asOfCache.set(position, (at = new Map()));
    }
    const views = at;
    // Forgotten when it fails, or when a history snapshot's part is gone on first read (another process
    // dropped it), so the question asked again folds from what is still stored; only this computation's
    // own entry: a newer one for the same view and position may have taken its place meanwhile.
    const forget = (): void => {
      if (views.get(name) !== computed) return;
      views.delete(name);
      if (views.size === 0 && this.asOfCache.get(position) === views) this.asOfCache.delete(position);
    };
    const computed: Promise<unknown> = this.computeViewAt(p, position, forget);
    views.set(name, computed);
    computed.catch(forget);
    return computed as Promise<V>;
  }

  /**
   * Several views at ONE position, taken together: the live views when that is where the views are
   * (`live`: they change in place with every later fold, so a caller that awaits before it has built
   * its answer checks `position` afterwards), else each folded apart at `position` (never changed).
   * Taken one by one, a fold landing between two of them would have mixed live views with ones at the
   * position asked, or live views at two positions.
   */
  async viewsAt(names: readonly string[], position: number): Promise<{ views: unknown[]; live: boolean }> {
    if (position >= this.checkpoint) await this.caughtUp(position);
    if (position === this.checkpoint) return { views: names.map((n) => this.view(n)), live: true };
    return { views: await Promise.all(names.map((n) => this.viewAt(n, position))), live: false };
  }

  /**
   * The nearest stored view at or before `position`, read back. A history snapshot is never
   * replaced, so its parts are read when the answer first needs them; the latest checkpoint is
   * replaced as the log grows, so its parts are all read now.
   */
  private nearestStored(p: AnyProjection, position: number, onPartGone: () => void): { view: unknown; position: number } {
    // One moment of the store: another process may replace the checkpoint between its row and its parts.
    return this.consistently(() => this.readNearestStored(p, position, onPartGone));
  }

  private readNearestStored(p: AnyProjection, position: number, onPartGone: () => void): { view: unknown; position: number } {
    const history = this.snapshots?.atOrBefore(historyName(p.name), p.version, position) ?? null;
    const latest = this.snapshots?.atOrBefore(p.name, p.version, position) ?? null;
    if (latest && (!history || latest.position > history.position)) {
      return { view: deserializeView(p, latest.state, 'as-of', partsReader(latest.allParts(), latest)), position: latest.position };
    }
    if (history) {
      // Read later, outside this moment: only a process discarding this fold's version (a newer one starting
      // on the same file) removes a history snapshot, and the answer being built is then refused (MissingPartError).
      const part = (key: string): string => {
        try {
          return history.part(key);
        } catch (e) {
          if (e instanceof MissingPartError) onPartGone();
          throw e;
        }
      };
      return { view: deserializeView(p, history.state, 'as-of', part), position: history.position };
    }
    return { view: p.initial(), position: 0 };
  }

  private async computeViewAt(p: AnyProjection, position: number, onPartGone: () => void): Promise<unknown> {
    const start = this.nearestStored(p, position, onPartGone);
    let view = start.view;
    let after = start.position;
    while (after < position) {
      // Only the event types the projection folds (when it says which): the rest would leave it unchanged.
      const page = await this.store.readAll({ after, upTo: position, maxCount: BULK_PAGE, types: p.eventTypes });
      if (page.length === 0) break;
      view = foldEvents(p, page, view);
      after = page[page.length - 1].position;
    }
    return view;
  }

  /** Tell the engine about a position this process has acknowledged to a client. */
  noteAppended(position: number): void {
    if (position > this.known) this.known = position;
  }

  /**
   * Resolves once the views include everything this process has acknowledged and `wanted` (a
   * client's X-Ledger-Position): ONE wait for the larger, so a read is refused after one timeout, not two.
   */
  readYourWrites(wanted = 0): Promise<void> {
    return this.caughtUp(Math.max(this.known, wanted));
  }

  /** Resolves once the views include `position` (default: everything this process has acknowledged). */
  async caughtUp(position = this.known): Promise<void> {
    if (position <= this.checkpoint) return;
    // The views stopped at a stream deleted on the node: they cannot get there until it is restored (never a 503 "try again in a moment").
    const stoppedBy = this.stoppedBy?.error;
    if (stoppedBy instanceof StreamDeletedOnNodeError) throw stoppedBy;
    await new Promise<void>((resolve, reject) => {
      const waiter = { position, resolve: () => { clearTimeout(timer); resolve(); }, reject: (e: unknown) => { clearTimeout(timer); reject(e); } };
      // A read that gave up is no longer waited for: with the views stopped (no fold to take it off the list), one entry per refused read would pile up.
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new ProjectionLagError(position, this.checkpoint));
      }, this.waitTimeoutMs);
      this.waiters.push(waiter);
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
      const page = await this.store.readAll({ after, upTo, maxCount: BULK_PAGE });
      if (page.length === 0) break;
      for (const p of this.projections) views.set(p.name, foldEvents(p, page, views.get(p.name)));
      after = page[page.length - 1].position;
      onProgress?.(after);
    }
    return { position: after, views };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.subscription?.unsubscribe();
    this.subscription = null;
    // Nothing folded since every view's checkpoint (a restart with no new events): writing the same views again would only cost time (~1.6 s at 1,000,000 events).
    // Nor while start() is still running: a view folded from 0 part-way would be stored at a position it never reached;
    // what start() has stored (checkpoints it restored, history snapshots of the fold) lets the next start resume.
    if (!this.starting && this.checkpoint !== this.storedAt) this.saveCheckpoint();
    // History snapshots still being written in the background are stored before the process may end.
    this.snapshots?.close?.();
  }
}
