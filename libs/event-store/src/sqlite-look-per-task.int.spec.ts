/**
 * The stream cache's look at data_version (has another connection committed?) holds for the task
 * the event loop is running and no longer: reads in one task's promise continuations share one
 * look, and the next callback (a timer, a socket's bytes, an immediate) looks again. A commit of
 * this store's own counts as a look (data_version read inside its transaction).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from './sqlite-event-store';

const ev = (type: string, n: number) => ({ eventId: `${type}-${n}-${Math.random()}`, type, schemaVersion: 1, data: { n }, metadata: { actorId: 't', actorRole: 'admin', correlationId: 'c', causationId: null, idempotencyKey: null } });
const nextTurn = () => new Promise((r) => setImmediate(r));
/** Appends through another connection synchronously, in the task that calls it (as another process's commit can land at any instant). */
const commitNow = (store: SqliteEventStore, streamId: string, n: number, expected: number | 'no_stream') =>
  (store as unknown as { appendTx: { immediate: (...args: unknown[]) => unknown } }).appendTx.immediate(streamId, [ev('Foreign', n)], expected, undefined, undefined);

describe('SQLite stream cache: one look at data_version per task', () => {
  let dir: string;
  let a: SqliteEventStore;
  let b: SqliteEventStore;
  let looks: number;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-look-'));
    a = new SqliteEventStore({ path: join(dir, 'l.sqlite') });
    b = new SqliteEventStore({ path: join(dir, 'l.sqlite') });
    await a.append('s', [ev('One', 1)], 'no_stream');
    await a.append('t', [ev('One', 1)], 'no_stream');
    await a.readStream('s');
    await a.readStream('t'); // both cached
    await nextTurn();
    looks = 0;
    const stmts = (a as unknown as { stmts: { dataVersion: { get: () => unknown } } }).stmts;
    const get = stmts.dataVersion.get.bind(stmts.dataVersion);
    stmts.dataVersion.get = () => {
      looks++;
      return get();
    };
  });
  afterEach(async () => {
    await a.close();
    await b.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads one after the other in a task look once; the next task looks again', async () => {
    await a.readStream('s');
    await a.readStream('t');
    await a.readStream('s');
    expect(looks).toBe(1);
    await nextTurn();
    await a.readStream('t');
    expect(looks).toBe(2);
  });

  it('a look taken in a callback itself (before any await) lasts through that callback\'s continuations, and ends with it', async () => {
    const seen = await new Promise<number[]>((resolve) => {
      setTimeout(() => {
        void a.readStream('s').then(async () => {
          await a.readStream('t');
          await a.readStream('s');
          resolve([looks]);
        });
      }, 0);
    });
    expect(seen).toEqual([1]);
    await nextTurn();
    await a.readStream('s');
    expect(looks).toBe(2);
  });

  it('another connection committing in a timer between two timers of the same phase: the second timer\'s read sees it', async () => {
    const lengths: number[] = [];
    await new Promise<void>((resolve) => {
      // Three timers due at once run in one timers phase, each its own task.
      setTimeout(() => void a.readStream('s').then((e) => lengths.push(e.length)), 0);
      setTimeout(() => commitNow(b, 's', 2, 0), 0);
      setTimeout(() => void a.readStream('s').then((e) => (lengths.push(e.length), resolve())), 0);
    });
    expect(lengths).toEqual([1, 2]);
  });

  it('another connection committing when bytes arrive on a socket is seen by the read the next socket callback makes', async () => {
    const { createServer, connect } = await import('node:net');
    const lengths: number[] = [];
    let done: () => void = () => {};
    const finished = new Promise<void>((r) => (done = r));
    let chunk = 0;
    const server = createServer((sock) => {
      sock.on('data', () => {
        chunk++;
        if (chunk === 1) void a.readStream('s').then((e) => (lengths.push(e.length), sock.write('1')));
        if (chunk === 2) void a.readStream('s').then((e) => (lengths.push(e.length), done()));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const client = connect((server.address() as { port: number }).port, '127.0.0.1');
    try {
      client.write('a');
      // The other connection commits once the first read is answered, then the second request is sent.
      await new Promise<void>((r) => client.once('data', () => r()));
      commitNow(b, 's', 2, 0);
      client.write('b');
      await finished;
      expect(lengths).toEqual([1, 2]);
    } finally {
      client.destroy();
      await new Promise((r) => server.close(r));
    }
  });

  it('a read right after its own commit\'s answer, in the same task, does not look again; a commit by another connection after that COMMIT is seen by the next task', async () => {
    // Another connection commits in the instant right after this store's COMMIT (before it answers).
    const hooked = a as unknown as { afterOwnCommit: (...args: unknown[]) => void };
    const original = hooked.afterOwnCommit.bind(a);
    let armed = true;
    hooked.afterOwnCommit = (...args: unknown[]) => {
      original(...args);
      if (armed) {
        armed = false;
        commitNow(b, 's', 2, 0);
      }
    };
    await a.append('t', [ev('Two', 2)], 0);
    const inTheSameTask = await a.readStream('s');
    expect({ looks, lengthInTheSameTask: inTheSameTask.length }).toEqual({ looks: 1, lengthInTheSameTask: 1 }); // the one look: data_version read inside the commit
    await nextTurn();
    expect((await a.readStream('s')).map((e) => e.data)).toEqual([{ n: 1 }, { n: 2 }]);
    expect((await a.readStream('t')).map((e) => e.data)).toEqual([{ n: 1 }, { n: 2 }]);
    expect(looks).toBe(2);
  });

  it('a test\'s fake timers (process.nextTick replaced) do not keep a look alive', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'setTimeout'] });
    try {
      await a.readStream('s');
      commitNow(b, 's', 2, 0);
      await new Promise((r) => setTimeout(r, 5));
      expect((await a.readStream('s')).length).toBe(2);
    } finally {
      jest.useRealTimers();
    }
  });
});
