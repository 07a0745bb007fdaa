/**
 * Preloaded (`node -r`) into a server under study instead of the CPU profiler (profile.js
 * --latency): what a request can wait behind. Times every group commit of the SQLite store (the
 * COMMIT with its fsync, on the event loop), the event loop's delay, garbage-collection pauses and
 * the history snapshots the projection engine takes on the main thread.
 * The first SIGWINCH starts counting (so start-up is left out), the second prints one line
 * `latency {json}` and the same markers as the CPU profile hook.
 */
import { monitorEventLoopDelay, performance, PerformanceObserver } from 'node:perf_hooks';
import { ProjectionEngine } from '../../../libs/application/src/projection-engine';
import { SqliteEventStore } from '../../../libs/event-store/src/sqlite-event-store';

let on = false;
const flushes: number[] = [];
const batches: number[] = [];
const gcs: number[] = [];

// flush is private to the store: reached through the prototype, only here, to time it from outside.
const proto = SqliteEventStore.prototype as unknown as { flush(): void; pending: unknown[] };
const flush = proto.flush;
proto.flush = function (this: typeof proto): void {
  const n = this.pending.length;
  const t0 = performance.now();
  flush.call(this);
  if (on && n > 0) {
    flushes.push(performance.now() - t0);
    batches.push(n);
  }
};

// The history snapshots the engine takes on the main thread as the log crosses their cadence (serialising the views).
const histories: number[] = [];
const engine = ProjectionEngine.prototype;
const saveHistory = engine.saveHistory;
engine.saveHistory = function (this: ProjectionEngine, ...args: Parameters<ProjectionEngine['saveHistory']>): void {
  const t0 = performance.now();
  saveHistory.apply(this, args);
  if (on) histories.push(performance.now() - t0);
};

const loop = monitorEventLoopDelay({ resolution: 1 });
new PerformanceObserver((list) => {
  if (on) for (const e of list.getEntries()) gcs.push(e.duration);
}).observe({ entryTypes: ['gc'] });

const quantiles = (xs: number[]): { n: number; totalMs: number; p50: number; p99: number; max: number; over20ms: number[] } => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number): number => (s.length ? Math.round(s[Math.min(s.length - 1, Math.floor(p * s.length))] * 100) / 100 : 0);
  // The long ones, in the order they happened: a stall shows as one of these.
  const over20ms = xs.filter((x) => x > 20).map((x) => Math.round(x));
  return { n: s.length, totalMs: Math.round(s.reduce((a, b) => a + b, 0)), p50: q(0.5), p99: q(0.99), max: q(1), over20ms };
};

let startedAt = 0;
process.on('SIGWINCH', () => {
  if (!on) {
    on = true;
    startedAt = performance.now();
    loop.enable();
    process.stdout.write('profile-started\n');
    return;
  }
  on = false;
  loop.disable();
  const ms = (ns: number): number => Math.round(ns / 1e4) / 100;
  const summary = {
    seconds: Math.round(performance.now() - startedAt) / 1000,
    flushMs: quantiles(flushes),
    meanBatch: batches.length ? Math.round((batches.reduce((a, b) => a + b, 0) / batches.length) * 100) / 100 : 0,
    loopDelayMs: { p50: ms(loop.percentile(50)), p99: ms(loop.percentile(99)), max: ms(loop.max) },
    gcMs: quantiles(gcs),
    historySnapshotMs: histories.map((x) => Math.round(x)),
  };
  process.stdout.write(`latency ${JSON.stringify(summary)}\nprofile-written\n`);
});
