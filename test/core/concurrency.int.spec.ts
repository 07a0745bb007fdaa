import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { handleCommand } from '../../libs/application/src/handle-command';
import { Actor } from '../../libs/domain/src/shared';
import { WrongExpectedRevisionError } from '../../libs/event-store/src/errors';
import { ev } from '../../libs/event-store/src/event-store.contract';
import { MemoryEventStore } from '../../libs/event-store/src/memory-event-store';
import { EventStore } from '../../libs/event-store/src/port';
import { SqliteEventStore } from '../../libs/event-store/src/sqlite-event-store';
import { verifyChains } from '../../libs/event-store/src/verify-chain';
import { tickCommand } from './counter-command';

const WRITERS = 8;
const APPENDS = 200;
const STREAM = 'counter-1';
const admin: Actor = { id: 'admin-1', name: 'Admin', roles: ['admin'], counties: [], actingRole: 'admin' };

const dir = mkdtempSync(join(tmpdir(), 'ledger-concurrency-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Setup {
  /** One store per writer (SQLite: a connection each, as separate processes would have), and one to check with. */
  writers: EventStore[];
  check: EventStore;
  close: () => Promise<void>;
}

const setups: Record<string, () => Setup> = {
  memory: () => {
    const s = new MemoryEventStore();
    return { writers: Array(WRITERS).fill(s), check: s, close: () => s.close() };
  },
  'SQLite (one connection per writer)': () => {
    const path = join(dir, `c-${Date.now()}-${Math.random().toString(36).slice(2)}.sqlite`);
    const writers = Array.from({ length: WRITERS }, () => new SqliteEventStore({ path }));
    const check = new SqliteEventStore({ path });
    return { writers, check, close: async () => { for (const w of [...writers, check]) await w.close(); } };
  },
};

/** Yields to the event loop at random so the writers really interleave. */
const jitter = () => new Promise<void>((r) => (Math.random() < 0.5 ? setImmediate(r) : r()));

/** Wraps a store: yields at random between reading and appending (as a network round trip would) and counts conflicts. */
const racy = (store: EventStore, stats: { conflicts: number }): EventStore =>
  new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === 'readStream') return async (...a: Parameters<EventStore['readStream']>) => { const r = await target.readStream(...a); await jitter(); return r; };
      if (prop === 'append') {
        return async (...a: Parameters<EventStore['append']>) => {
          try {
            return await target.append(...a);
          } catch (e) {
            if (e instanceof WrongExpectedRevisionError) stats.conflicts++;
            throw e;
          }
        };
      }
      const v = Reflect.get(target, prop, receiver);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });

const readWhole = async (store: EventStore) => {
  const out = [];
  for (let from = 0; ; ) {
    const page = await store.readStream(STREAM, { fromRevision: from, maxCount: 500 });
    if (!page.length) return out;
    out.push(...page);
    from = page[page.length - 1].revision + 1;
  }
};

describe.each(Object.keys(setups))('%s: 8 concurrent writers × 200 appends to one stream', (name) => {
  it('through handleCommand (bounded retries): revisions are exactly 0..n−1 with n = acknowledged appends; nothing lost or doubled', async () => {
    const { writers, check, close } = setups[name]();
    const acked: { writer: number; seq: number; eventId: string; revision: number }[] = [];
    let refused = 0;
    const stats = { conflicts: 0 };
    const racing = writers.map((w) => racy(w, stats));
    const writer = async (w: number) => {
      for (let seq = 0; seq < APPENDS; seq++) {
        await jitter();
        try {
          const out = await handleCommand({ store: racing[w] }, tickCommand, { streamId: STREAM, writer: w, seq }, { actor: admin });
          acked.push({ writer: w, seq, eventId: out.result.eventIds[0], revision: out.result.revision });
        } catch (e) {
          if (!(e instanceof WrongExpectedRevisionError)) throw e;
          refused++; // gave up after the bounded retries: a typed conflict, nothing appended
        }
      }
    };
    await Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w)));
    const events = await readWhole(check);
    const n = acked.length;
    console.log(`[concurrency] ${name} via handleCommand: ${n} acknowledged, ${stats.conflicts} conflicts re-decided, ${refused} refused after the bounded retries, ${events.length} stored`);
    expect(n + refused).toBe(WRITERS * APPENDS);
    expect(stats.conflicts).toBeGreaterThan(0); // the writers really raced and handleCommand re-decided
    expect(n).toBeGreaterThan(0);
    expect(events.map((e) => e.revision)).toEqual(Array.from({ length: n }, (_, i) => i));
    // Every acknowledged append is stored exactly once, at the revision it was told; nothing else is stored.
    expect(new Set(events.map((e) => e.eventId)).size).toBe(n);
    expect(events.map((e) => e.eventId).sort()).toEqual(acked.map((a) => a.eventId).sort());
    const byId = new Map(events.map((e) => [e.eventId, e]));
    for (const a of acked) expect(byId.get(a.eventId)!.revision).toBe(a.revision);
    // No lost update: each decision saw exactly the events before it.
    expect(events.map((e) => e.data.countBefore)).toEqual(events.map((e) => e.revision));
    expect(verifyChains(events, check.hashCoversPosition)).toEqual([]);
    await close();
  }, 300_000);

  it('through the store with expected revisions and unbounded retry: all 1,600 appends land at revisions 0..1599', async () => {
    const { writers, check, close } = setups[name]();
    const acked: string[] = [];
    let conflicts = 0;
    const writer = async (w: number) => {
      const store = writers[w];
      for (let seq = 0; seq < APPENDS; seq++) {
        for (;;) {
          const last = await store.readStream(STREAM, { direction: 'backwards', maxCount: 1 });
          const expected = last.length ? last[0].revision : 'no_stream';
          await jitter();
          try {
            const r = await store.append(STREAM, [ev('Ticked', { writer: w, seq })], expected);
            acked.push(r.eventIds[0]);
            break;
          } catch (e) {
            if (!(e instanceof WrongExpectedRevisionError)) throw e;
            expect(e.actual).toBeGreaterThan(typeof expected === 'number' ? expected : -1);
            conflicts++;
          }
        }
      }
    };
    await Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w)));
    const events = await readWhole(check);
    console.log(`[concurrency] ${name} via store+retry: ${acked.length} acknowledged after ${conflicts} conflicts, ${events.length} stored`);
    expect(acked).toHaveLength(WRITERS * APPENDS);
    expect(conflicts).toBeGreaterThan(0); // the writers really raced
    expect(events.map((e) => e.revision)).toEqual(Array.from({ length: WRITERS * APPENDS }, (_, i) => i));
    expect(events.map((e) => e.eventId).sort()).toEqual([...acked].sort());
    // Each writer's own appends are in its order.
    for (let w = 0; w < WRITERS; w++) expect(events.filter((e) => e.data.writer === w).map((e) => e.data.seq)).toEqual(Array.from({ length: APPENDS }, (_, i) => i));
    expect(verifyChains(events, check.hashCoversPosition)).toEqual([]);
    await close();
  }, 240_000);
});

describe('SQLite, 8 writer PROCESSES × 200 appends to one stream of one file', () => {
  it('every acknowledged append is stored once, at the revision it was told; revisions are exactly 0..1599', async () => {
    const ROOT = resolve(__dirname, '../..');
    const path = join(dir, 'processes.sqlite');
    await new SqliteEventStore({ path }).close(); // create the file and schema once, before the race
    const runWriter = (w: number) =>
      new Promise<{ acks: { eventId: string; revision: number }[]; conflicts: number }>((done, fail) => {
        execFile(
          process.execPath,
          ['-r', join(ROOT, 'test/helpers/swc-register.js'), join(ROOT, 'test/core/kill/concurrent-writer.ts')],
          { cwd: ROOT, env: { ...process.env, LEDGER_SQLITE_PATH: path, WRITER: String(w), APPENDS: String(APPENDS), STREAM }, timeout: 150_000, maxBuffer: 16 * 1024 * 1024 },
          (err, stdout, stderr) => {
            if (err) return fail(new Error(`writer ${w} failed: ${stderr || err.message}`));
            const lines = stdout.trim().split('\n');
            const last = lines.find((l) => l.startsWith('DONE '));
            if (!last) return fail(new Error(`writer ${w} did not finish`));
            done({
              acks: lines.filter((l) => l.startsWith('ACK ')).map((l) => { const [, eventId, revision] = l.split(' '); return { eventId, revision: Number(revision) }; }),
              conflicts: Number(last.slice(5)),
            });
          },
        );
      });
    const results = await Promise.all(Array.from({ length: WRITERS }, (_, w) => runWriter(w)));
    const acked = results.flatMap((r) => r.acks);
    const conflicts = results.reduce((n, r) => n + r.conflicts, 0);
    const check = new SqliteEventStore({ path });
    const events = await readWhole(check);
    console.log(`[concurrency] SQLite, ${WRITERS} processes: ${acked.length} acknowledged after ${conflicts} conflicts, ${events.length} stored`);
    expect(acked).toHaveLength(WRITERS * APPENDS);
    expect(events.map((e) => e.revision)).toEqual(Array.from({ length: WRITERS * APPENDS }, (_, i) => i));
    const byId = new Map(events.map((e) => [e.eventId, e]));
    expect(byId.size).toBe(events.length);
    for (const a of acked) expect(byId.get(a.eventId)?.revision).toBe(a.revision);
    expect(events.map((e) => e.data.countBefore)).toEqual(events.map((e) => e.revision));
    for (let w = 0; w < WRITERS; w++) expect(events.filter((e) => e.data.writer === w).map((e) => e.data.seq)).toEqual(Array.from({ length: APPENDS }, (_, i) => i));
    expect(verifyChains(events, check.hashCoversPosition)).toEqual([]);
    await check.close();
  }, 300_000);
});
