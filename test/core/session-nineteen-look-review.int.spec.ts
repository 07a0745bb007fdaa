/**
 * Review of 5a81907 (the SQLite store's look at data_version held for one task of the event loop,
 * and an own COMMIT counted as a look). Each test states the behaviour the ledger needs: a cached
 * read (a stream, or the tail right behind the head) made while handling something that arrived
 * after another connection's commit was acknowledged reflects that commit, and no commit by another
 * connection is ever missed for good. Another process is stood in for by a second SqliteEventStore
 * on the same file (committing synchronously, at the instant a test chooses), by a worker thread, or
 * by child processes where Node's handling of an uncaught exception has to be real.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { AddressInfo, connect, createServer, Server, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { ProjectionEngine } from '../../libs/application/src/projection-engine';
import { RecordedEvent } from '../../libs/domain/src/shared';
import { StoreBusyError } from '../../libs/event-store/src/errors';
import { SqliteEventStore } from '../../libs/event-store/src/sqlite-event-store';

jest.setTimeout(30_000);

const ROOT = resolve(__dirname, '../..');
const REGISTER = join(ROOT, 'test/helpers/swc-register.js');
const STORE_TS = join(ROOT, 'libs/event-store/src/sqlite-event-store.ts');

const ev = (type: string, n: number) => ({ eventId: `${type}-${n}-${Math.random()}`, type, schemaVersion: 1, data: { n }, metadata: { actorId: 't', actorRole: 'admin', correlationId: 'c', causationId: null, idempotencyKey: null } });
const nextTurn = () => new Promise((r) => setImmediate(r));
type Internals = {
  appendTx: ((...args: unknown[]) => unknown) & { immediate: (...args: unknown[]) => unknown };
  stmts: Record<string, { get: (...args: unknown[]) => unknown }>;
  afterOwnCommit: (...args: unknown[]) => void;
  retryTimer: unknown;
  looking: boolean;
};
const inside = (s: SqliteEventStore) => s as unknown as Internals;
/** Another connection appends, synchronously, in the task that calls it (another process's commit can land at any instant); acknowledged when this returns. */
const commitNow = (store: SqliteEventStore, streamId: string, n: number, expected: number | 'no_stream') =>
  inside(store).appendTx.immediate(streamId, [ev('Foreign', n)], expected, undefined, undefined) as { position: number };
const busy = () => Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
/** Runs `fn` as a callback of its own (a fresh task of the event loop), resolving with its result. */
const inTask = <T>(fn: () => Promise<T>, via: 'immediate' | 'timer' = 'immediate'): Promise<T> =>
  new Promise<T>((res, rej) => (via === 'immediate' ? setImmediate : (f: () => void) => setTimeout(f, 0))(() => void fn().then(res, rej)));
const waitFor = async (cond: () => boolean): Promise<void> => {
  while (!cond()) await new Promise((r) => setTimeout(r, 2));
};

/** A TCP server whose every chunk of bytes is handed to `onData` (a socket callback: where a request arrives). */
const socketPair = async (onData: (text: string, sock: Socket) => void): Promise<{ client: Socket; close: () => Promise<void> }> => {
  const server: Server = createServer((sock) => sock.on('data', (d) => onData(String(d), sock)));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const client = connect((server.address() as AddressInfo).port, '127.0.0.1');
  await new Promise<void>((r) => client.once('connect', () => r()));
  return {
    client,
    close: async () => {
      client.destroy();
      await new Promise((r) => server.close(r));
    },
  };
};

describe('SQLite store: one look at data_version per task (5a81907), attacked', () => {
  let dir: string;
  let path: string;
  let a: SqliteEventStore;
  let b: SqliteEventStore;
  const extra: { close: () => Promise<void> | void }[] = [];
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-look-review-'));
    path = join(dir, 'l.sqlite');
    a = new SqliteEventStore({ path, pollMs: 10 });
    b = new SqliteEventStore({ path });
    await a.append('s', [ev('One', 1)], 'no_stream'); // position 1
    await a.append('t', [ev('One', 1)], 'no_stream'); // position 2: a's tail is [1, 2]
    await a.readStream('s');
    await a.readStream('t'); // both cached
    await nextTurn();
  });
  afterEach(async () => {
    for (const x of extra.splice(0)) await x.close();
    await a.close();
    await b.close();
    rmSync(dir, { recursive: true, force: true });
  });

  // ---- Node's scheduling: a look ends with its task -------------------------------------------

  it('timers of one phase: a look in one timer, another connection committing later in that same timer; the next timer reads the commit (stream and tail)', async () => {
    const seen = await new Promise<unknown[]>((done) => {
      const out: unknown[] = [];
      setTimeout(() => {
        void a.readStream('s').then((e) => out.push(e.length));
        commitNow(b, 's', 2, 0);
      }, 0);
      setTimeout(() => {
        void Promise.all([a.readStream('s'), a.readAll({ after: 2 })]).then(([s, tail]) => {
          out.push(s.length, tail.map((e) => e.position));
          done(out);
        });
      }, 0);
    });
    expect(seen).toEqual([1, 2, [3]]);
  });

  it('immediates of one check phase: the same, with setImmediate callbacks', async () => {
    const seen = await new Promise<unknown[]>((done) => {
      const out: unknown[] = [];
      setImmediate(() => {
        void a.readStream('s').then((e) => out.push(e.length));
        commitNow(b, 's', 2, 0);
      });
      setImmediate(() => void a.readStream('s').then((e) => (out.push(e.length), done(out))));
    });
    expect(seen).toEqual([1, 2]);
  });

  it('a look taken in a nextTick, then in a continuation behind a non-promise thenable that resolves from a tick: still over before the next callback', async () => {
    const seen = await new Promise<unknown[]>((done) => {
      const out: unknown[] = [];
      setTimeout(() => {
        process.nextTick(() => void a.readStream('t'));
        void (async () => {
          await { then: (r: (v: unknown) => void) => process.nextTick(() => r(undefined)) };
          await a.readStream('s');
          await { then: (r: (v: unknown) => void) => queueMicrotask(() => r(undefined)) };
          out.push((await a.readStream('s')).length);
          commitNow(b, 's', 2, 0); // after the last read of this task
        })();
      }, 0);
      setTimeout(() => void a.readStream('s').then((e) => (out.push(e.length), done(out))), 0);
    });
    expect(seen).toEqual([1, 2]);
  });

  it('HTTP keep-alive, pipelined: a request sent after another connection\'s commit was acknowledged sees it (stream and tail), while the earlier request on that connection is still being handled', async () => {
    const seen: Record<string, unknown> = {};
    let firstRead!: () => void;
    const firstReadDone = new Promise<void>((r) => (firstRead = r));
    let secondRead!: () => void;
    const secondReadDone = new Promise<void>((r) => (secondRead = r));
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    const server = createHttpServer((req, res) => {
      void (async () => {
        const s = await a.readStream('s');
        const tail = await a.readAll({ after: 2 });
        seen[req.url ?? ''] = { s: s.length, tail: tail.map((e) => e.position) };
        if (req.url === '/one') {
          firstRead();
          await released;
        } else secondRead();
        res.end('ok');
      })();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const sock = connect((server.address() as AddressInfo).port, '127.0.0.1');
    extra.push({ close: async () => (sock.destroy(), await new Promise<void>((r) => server.close(() => r()))) });
    await new Promise<void>((r) => sock.once('connect', () => r()));
    sock.write('GET /one HTTP/1.1\r\nHost: x\r\n\r\n');
    await firstReadDone;
    commitNow(b, 's', 2, 0); // acknowledged; /one is still being handled
    sock.write('GET /two HTTP/1.1\r\nHost: x\r\n\r\n');
    await secondReadDone;
    release();
    expect(seen).toEqual({ '/one': { s: 1, tail: [] }, '/two': { s: 2, tail: [3] } });
  });

  it('two sockets in one poll phase: another connection commits in the first socket\'s callback (after its look), the second socket\'s bytes sent after that are read with a look of their own', async () => {
    const seen: number[] = [];
    let client2!: Socket;
    let done!: () => void;
    const finished = new Promise<void>((r) => (done = r));
    const p1 = await socketPair((text) => {
      if (text !== 'first') return;
      void a.readStream('s').then((e) => seen.push(e.length));
      commitNow(b, 's', 2, 0);
      client2.write('second');
    });
    const p2 = await socketPair((text) => {
      if (text.includes('second')) void a.readStream('s').then((e) => (seen.push(e.length), done()));
    });
    client2 = p2.client;
    extra.push(p1, p2);
    p1.client.write('first');
    await finished;
    expect(seen).toEqual([1, 2]);
  });

  // ---- An own COMMIT as a look --------------------------------------------------------------

  /** From now on, the first COMMIT of `a` is followed at once (before `a` answers) by one of another connection's. */
  const foreignCommitRightAfterOwn = (streamId: string, n: number, expected: number): void => {
    const hooked = inside(a);
    const original = hooked.afterOwnCommit.bind(a);
    let armed = true;
    hooked.afterOwnCommit = (...args: unknown[]) => {
      original(...args);
      if (armed) {
        armed = false;
        commitNow(b, streamId, n, expected);
      }
    };
  };

  it('own COMMIT as a look: another connection commits right after it; a request arriving afterwards (a socket callback) sees that commit in the stream and in the tail', async () => {
    foreignCommitRightAfterOwn('s', 2, 0);
    const appended = await a.append('t', [ev('Two', 2)], 0); // position 3; the other connection's is 4
    expect(appended.position).toBe(3);
    let got!: (v: unknown) => void;
    const answer = new Promise((r) => (got = r));
    const pair = await socketPair(() => void Promise.all([a.readStream('s'), a.readAll({ after: 3 })]).then(([s, tail]) => got({ s: s.length, tail: tail.map((e) => e.position) })));
    extra.push(pair);
    pair.client.write('request');
    expect(await answer).toEqual({ s: 2, tail: [4] });
  });

  it('own COMMIT as a look: everything another connection committed before that COMMIT is in the caches the rest of the task reads (its group commit queued behind an immediate that looked and saw nothing)', async () => {
    const r = await new Promise<number>((done) => {
      setImmediate(() => {
        void a.readStream('s');
        commitNow(b, 's', 2, 0); // after that look, before a's COMMIT
      });
      void a.append('t', [ev('Two', 2)], 0).then(async () => done((await a.readStream('s')).length)); // its flush: the next immediate
    });
    expect(r).toBe(2);
  });

  it('a subscriber reading from the tail in the task where another connection committed right after this COMMIT still gets that event, in order, without a further append', async () => {
    const got: number[] = [];
    const sub = a.subscribe(2, (events) => void got.push(...events.map((e) => e.position)));
    extra.push({ close: () => sub.unsubscribe() });
    await nextTurn();
    foreignCommitRightAfterOwn('s', 2, 0);
    await a.append('t', [ev('Two', 2)], 0);
    await waitFor(() => got.length >= 2);
    await new Promise((r) => setTimeout(r, 30)); // a few more polls: nothing else may arrive
    expect(got).toEqual([3, 4]);
  });

  it('the projection engine following the log includes an event another connection committed right after this store\'s COMMIT (never missed)', async () => {
    const counting = { name: 'positions', version: 1, initial: () => [] as number[], evolve: (v: number[], e: RecordedEvent) => [...v, e.position] };
    const engine = new ProjectionEngine(a, [counting], null, { waitTimeoutMs: 20_000 });
    extra.push({ close: () => engine.stop() });
    await engine.start();
    await engine.caughtUp(2);
    foreignCommitRightAfterOwn('s', 2, 0);
    await a.append('t', [ev('Two', 2)], 0);
    await engine.caughtUp(4);
    expect(engine.view<number[]>('positions')).toEqual([1, 2, 3, 4]);
  });

  // ---- Group commit: refused appends, busy waits ------------------------------------------------

  it('a batch with one refused append, after another connection committed: the continuations of that batch read the commit', async () => {
    commitNow(b, 's', 2, 0);
    const r = await inTask(async () => {
      const results = await Promise.allSettled([a.append('t', [ev('Two', 2)], 0), a.append('u', [ev('X', 1)], 5)]);
      return { statuses: results.map((x) => x.status), s: (await a.readStream('s')).length, tail: (await a.readAll({ after: 2 })).map((e) => e.position) };
    });
    expect(r).toEqual({ statuses: ['fulfilled', 'rejected'], s: 2, tail: [3, 4] });
  });

  it('a batch whose appends are all refused, after another connection committed: the continuations read the commit', async () => {
    commitNow(b, 's', 2, 0);
    const r = await inTask(async () => {
      const results = await Promise.allSettled([a.append('t', [ev('Two', 2)], 7), a.append('u', [ev('X', 1)], 5)]);
      return { statuses: results.map((x) => x.status), s: (await a.readStream('s')).length, tail: (await a.readAll({ after: 2 })).map((e) => e.position) };
    });
    expect(r).toEqual({ statuses: ['rejected', 'rejected'], s: 2, tail: [3] });
  });

  it('an append that waited for the lock another connection held while appending: once it commits, its continuation reads that connection\'s event', async () => {
    b.db.exec('BEGIN IMMEDIATE');
    inside(b).appendTx('s', [ev('Foreign', 2)], 0, undefined, undefined); // position 3, inside b's open transaction
    const appended = a.append('t', [ev('Two', 2)], 0);
    await waitFor(() => inside(a).retryTimer !== null); // a found the lock held and waits for it
    b.db.exec('COMMIT');
    const r = await appended.then(async (res) => ({ position: res.position, s: (await a.readStream('s')).length, tail: (await a.readAll({ after: 2 })).map((e) => e.position) }));
    expect(r).toEqual({ position: 4, s: 2, tail: [3, 4] });
  });

  it('refuseBusyWaits while an append waits for the lock: refused, and the next request sees what the other connection committed', async () => {
    b.db.exec('BEGIN IMMEDIATE');
    inside(b).appendTx('s', [ev('Foreign', 2)], 0, undefined, undefined);
    const appended = a.append('t', [ev('Two', 2)], 0).then(() => 'appended', (e) => (e instanceof StoreBusyError ? 'busy' : String(e)));
    await waitFor(() => inside(a).retryTimer !== null);
    a.refuseBusyWaits();
    expect(await appended).toBe('busy');
    b.db.exec('COMMIT');
    const r = await inTask(async () => ({ s: (await a.readStream('s')).length, tail: (await a.readAll({ after: 2 })).map((e) => e.position) }), 'timer');
    expect(r).toEqual({ s: 2, tail: [3] });
  });

  // ---- Other connections: readonly, worker thread ---------------------------------------------

  it('a read-only store sees the writer\'s commit in its next callback', async () => {
    const ro = new SqliteEventStore({ path, readonly: true });
    extra.push(ro);
    expect((await ro.readStream('s')).length).toBe(1);
    await a.append('s', [ev('Two', 2)], 0);
    expect(await inTask(async () => (await ro.readStream('s')).length, 'timer')).toBe(2);
  });

  it('a worker thread appending through its own store: the main thread\'s message callback reads the commit', async () => {
    const worker = new Worker(
      `require(${JSON.stringify(REGISTER)});
       const { SqliteEventStore } = require(${JSON.stringify(STORE_TS)});
       const { parentPort, workerData } = require('node:worker_threads');
       (async () => {
         const s = new SqliteEventStore({ path: workerData.path });
         const r = await s.append('s', [{ eventId: 'w-' + Math.random(), type: 'FromWorker', schemaVersion: 1, data: { n: 2 }, metadata: { actorId: 't', actorRole: 'admin', correlationId: 'c', causationId: null, idempotencyKey: null } }], 0);
         await s.close();
         parentPort.postMessage(r.position);
       })().catch((e) => parentPort.postMessage(String(e)));`,
      { eval: true, workerData: { path } },
    );
    extra.push({ close: async () => void (await worker.terminate()) });
    await a.readStream('s'); // a look in this task, before the worker commits
    const r = await new Promise((done) => worker.once('message', (m) => void a.readStream('s').then((e) => done({ m, s: e.length }))));
    expect(r).toEqual({ m: 3, s: 2 });
  });

  // ---- Failures inside a look ---------------------------------------------------------------------

  /** The statement's next `get` throws SQLITE_BUSY; later ones answer as usual. */
  const failOnce = (stmt: { get: (...args: unknown[]) => unknown }): void => {
    const get = stmt.get.bind(stmt);
    let fail = true;
    stmt.get = (...args: unknown[]) => {
      if (fail) {
        fail = false;
        throw busy();
      }
      return get(...args);
    };
  };

  it('a look whose PRAGMA data_version failed (a transient SQLITE_BUSY) is no look: a second read in the same task (say a pipelined request) sees a commit acknowledged before that task', async () => {
    commitNow(b, 's', 2, 0);
    failOnce(inside(a).stmts.dataVersion);
    const r = await inTask(async () => {
      const first = await a.readStream('t').then(
        (e) => `read ${e.length}`,
        (e) => (e as { code?: string }).code,
      );
      return { first, second: (await a.readStream('s')).length };
    });
    expect(r).toEqual({ first: 'SQLITE_BUSY', second: 2 });
  });

  it('a closed store refuses cached reads as it did before (also right after its own last read, and on a second try)', async () => {
    const r = await inTask(async () => {
      await a.readStream('s'); // a look
      await a.close();
      const afterLook = await a.readStream('s').then(() => 'read', () => 'rejected');
      return afterLook;
    });
    const r2 = await inTask(async () => {
      const first = await a.readStream('s').then(() => 'read', () => 'rejected');
      const second = await a.readStream('s').then(() => 'read', () => 'rejected');
      const tail = await a.readAll({ after: 1 }).then(() => 'read', () => 'rejected');
      return [first, second, tail];
    });
    expect({ r, r2 }).toEqual({ r: 'rejected', r2: ['rejected', 'rejected', 'rejected'] });
  });

  it('(pre-existing, not from 5a81907) a head probe that failed after data_version moved is not taken as seen: the next task still drops what another connection moved', async () => {
    commitNow(b, 's', 2, 0); // position 3
    failOnce(inside(a).stmts.last);
    const first = await inTask(() => a.readStream('s').then(() => 'read', (e) => (e as { code?: string }).code));
    const r = await inTask(async () => ({ s: (await a.readStream('s')).length, tail: (await a.readAll({ after: 2 })).map((e) => e.position) }), 'timer');
    expect({ first, ...r }).toEqual({ first: 'SQLITE_BUSY', s: 2, tail: [3] });
  });

  // ---- Test harness: fake timers ------------------------------------------------------------------

  it('fake timers installed when the store module was loaded (jest.isolateModules / a require in a test) do not keep a look alive for good', async () => {
    let Store!: typeof SqliteEventStore;
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'setTimeout', 'clearTimeout', 'clearImmediate', 'setInterval', 'clearInterval', 'Date', 'hrtime', 'performance'] });
    try {
      jest.isolateModules(() => {
        Store = require('../../libs/event-store/src/sqlite-event-store').SqliteEventStore;
      });
    } finally {
      jest.useRealTimers();
    }
    const c = new Store({ path });
    extra.push(c);
    expect(await inTask(async () => (await c.readStream('s')).length)).toBe(1);
    commitNow(b, 's', 2, 0);
    expect(await inTask(async () => (await c.readStream('s')).length, 'timer')).toBe(2);
  });
});

// ---- An uncaught exception (the process kept alive by a handler) inside a look: real processes ----

describe('SQLite store look: a callback that throws after looking (uncaughtException handled)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-look-throw-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const script = join(dir, 'child.js');
  writeFileSync(
    script,
    `require(${JSON.stringify(REGISTER)});
const { SqliteEventStore } = require(${JSON.stringify(STORE_TS)});
const net = require('node:net');
const path = require('node:path');
const [mode, file] = process.argv.slice(2);
const ev = (type, n) => ({ eventId: type + '-' + n + '-' + Math.random(), type, schemaVersion: 1, data: { n }, metadata: { actorId: 't', actorRole: 'admin', correlationId: 'c', causationId: null, idempotencyKey: null } });
const a = new SqliteEventStore({ path: file });
const b = new SqliteEventStore({ path: file });
const commitNow = () => b.appendTx.immediate('s', [ev('Foreign', 2)], 0, undefined, undefined);
const report = (o) => { process.stdout.write(JSON.stringify(o) + '\\n'); process.exit(0); };
// Something in the process (a test runner, a supervisor, an embedding app) keeps it alive after an uncaught exception.
process.on('uncaughtException', () => {});
(async () => {
  await a.append('s', [ev('One', 1)], 'no_stream');
  await a.readStream('s');
  await new Promise((r) => setImmediate(r));
  if (mode === 'timer' || mode === 'immediate') {
    const later = mode === 'timer' ? (f) => setTimeout(f, 0) : setImmediate;
    later(() => {
      void a.readStream('s');
      commitNow();
      throw new Error('a bug in some callback');
    });
    later(() => void a.readStream('s').then((e) => report({ mode, length: e.length })));
    return;
  }
  // mode io: two sockets ready in one poll phase; the first one's callback looks, another connection commits, then the
  // second client sends its request (after that commit was acknowledged), and the first callback throws.
  let c2;
  const server = net.createServer((sock) => sock.on('data', (d) => {
    const text = String(d);
    if (text === 'fail') {
      void a.readStream('s');
      commitNow();
      c2.write('req');
      throw new Error('a bug in a socket callback');
    }
    if (text.includes('req')) void a.readStream('s').then((e) => report({ mode, length: e.length, chunk: text }));
  }));
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const port = server.address().port;
  const c1 = net.connect(port, '127.0.0.1');
  c2 = net.connect(port, '127.0.0.1');
  await Promise.all([c1, c2].map((c) => new Promise((r) => c.once('connect', r))));
  setTimeout(() => {
    c1.write('fail');
    c2.write('pre');
  }, 20);
})();
`,
  );
  const run = (mode: string): Promise<Record<string, unknown>> =>
    new Promise((done, fail) => {
      const file = join(dir, `${mode}.sqlite`);
      const child = spawn(process.execPath, [script, mode, file], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (err += d));
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      child.on('exit', () => {
        clearTimeout(timer);
        try {
          done(JSON.parse(out.trim().split('\n').pop() ?? ''));
        } catch {
          fail(new Error(`child said: ${out} ${err}`));
        }
      });
    });

  it('timers: the next timer of the phase reads a commit another connection made after the look of the timer that threw', async () => {
    expect(await run('timer')).toEqual({ mode: 'timer', length: 2 });
  });

  it('immediates: the next immediate reads a commit another connection made after the look of the immediate that threw', async () => {
    expect(await run('immediate')).toEqual({ mode: 'immediate', length: 2 });
  });

  it('sockets: a request sent after another connection\'s commit was acknowledged, read in the same poll phase right after a socket callback that looked and threw, sees that commit', async () => {
    const r = await run('io');
    if (process.env.LOOK_REVIEW_DEBUG) console.log(r); // which bytes the second socket's callback read ('prereq': the intended interleaving)
    expect({ mode: r.mode, length: r.length }).toEqual({ mode: 'io', length: 2 });
  });
});
