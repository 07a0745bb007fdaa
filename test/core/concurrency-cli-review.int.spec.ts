/**
 * Adversarial review: concurrency, idempotency, rate limiting, CLI edge cases and graceful shutdown.
 * Each test asserts what the README promises (or what a serious product should do where it is silent).
 */
import { ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { TokenService } from '../../apps/api/src/auth/token.service';
import { loadConfig } from '../../apps/api/src/config';
import { COUNTIES_2014 } from '../../libs/application/src/seed/counties-2014';
import { Role } from '../../libs/domain/src/shared';
import { SqliteEventStore } from '../../libs/event-store/src/sqlite-event-store';
import { MemoryEventStore } from '../../libs/event-store/src/memory-event-store';
import { EventStore } from '../../libs/event-store/src/port';
import { startTestApp, TestApp } from '../helpers/test-app';
import { ledgerChild, untilListening } from '../helpers/ledger-child';

// Tests here start servers and CLI children (each compiling our TypeScript at start): seconds each on a loaded machine.
jest.setTimeout(60_000);

const ROOT = resolve(__dirname, '../..');
const REGISTER = join(ROOT, 'test/helpers/swc-register.js');
const SECRET = 'review-secret-of-at-least-32-bytes';

const root = mkdtempSync(join(tmpdir(), 'ledger-review-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let dirN = 0;
const freshDir = (): string => {
  const d = join(root, `d${++dirN}`);
  mkdirSync(d, { recursive: true });
  return d;
};

/** Every event of a stream (small streams only). */
const streamEvents = async (store: EventStore, streamId: string) => store.readStream(streamId, { fromRevision: 0, maxCount: 1000 });
const allEvents = async (path: string) => {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare('SELECT position, stream_id AS streamId, type, revision FROM events ORDER BY position').all() as { position: number; streamId: string; type: string; revision: number }[];
  } finally {
    db.close();
  }
};

const centre = (id: string, countyId = 'telemark') => ({ centreId: id, countyId, name: `Karrieresenteret ${id}`, municipality: 'Skien', openedOn: '2014-03-01' });

// ---------------------------------------------------------------------------------------------
// Child-process helpers
// ---------------------------------------------------------------------------------------------

const ledger = (args: string[], env: Record<string, string>, input?: string) => ledgerChild(args, { LEDGER_JWT_SECRET: SECRET, ...env }, { input, timeoutMs: 55_000 });

interface Server {
  child: ChildProcess;
  base: string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const servers: ChildProcess[] = [];
afterAll(() => servers.forEach((c) => c.exitCode === null && c.signalCode === null && c.kill('SIGKILL')));

/** Starts the real server (apps/api/src/main.ts) as a child process on a free port (PORT=0: the one it took, named in its line; a port picked beforehand could be taken meanwhile by another process). */
const startServer = async (sqlitePath: string, env: Record<string, string> = {}): Promise<Server> => {
  const clean = { ...process.env };
  delete clean.EVENTSTORE_CONNECTION_STRING;
  delete clean.LEDGER_STORE;
  const child = spawn(process.execPath, ['-r', REGISTER, join(ROOT, 'apps/api/src/main.ts')], {
    cwd: ROOT,
    env: { ...clean, PORT: '0', HOST: '127.0.0.1', LEDGER_SQLITE_PATH: sqlitePath, LEDGER_JWT_SECRET: SECRET, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  servers.push(child);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.on('exit', (code, signal) => r({ code, signal })));
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const port = await untilListening(child, 60_000);
  return { child, base: `http://127.0.0.1:${port}`, stderr: () => err, exited };
};

const tokens = new TokenService(loadConfig({ LEDGER_STORE: 'memory', LEDGER_JWT_SECRET: SECRET } as NodeJS.ProcessEnv));
const bearer = async (roles: Role[], counties: string[] = [], sub = `${roles.join('+')}@${counties.join('+')}`) =>
  `Bearer ${await tokens.issue({ sub, name: sub, roles, counties })}`;

const post = async (base: string, path: string, body: unknown, headers: Record<string, string>) => {
  const res = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const text = await res.text();
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, body: json, headers: res.headers };
};

const seedOver = async (base: string) => {
  const auth = await bearer(['admin'], [], 'seed-admin');
  for (const c of COUNTIES_2014) {
    const r = await post(base, '/counties', c, { authorization: auth });
    if (r.status !== 201 && r.status !== 409) throw new Error(`seed ${r.status}`);
  }
};

// =============================================================================================
// 1. Concurrency on one stream (in process)
// =============================================================================================

describe('concurrent conflicting commands on one stream', () => {
  it.each([
    ['memory', () => new MemoryEventStore() as EventStore],
    ['sqlite', () => new SqliteEventStore({ path: join(freshDir(), 'l.sqlite') }) as EventStore],
  ])('%s: 40 concurrent renames of one centre → each 201 or 409 STREAM.WRONG_EXPECTED_REVISION with currentRevision; never 500; events == successes', async (_n, mk) => {
    const t = await startTestApp({ store: mk(), seed: true });
    try {
      const auth = await t.auth('finance-officer', ['telemark']);
      expect((await t.http().post('/centres').set(auth).send(centre('kc-race'))).status).toBe(201);
      const answers = await Promise.all(
        Array.from({ length: 40 }, (_, i) => t.http().post('/centres/kc-race/rename').set(auth).send({ name: `Navn ${i}`, effectiveFrom: `2015-01-${String((i % 28) + 1).padStart(2, '0')}` })),
      );
      const statuses = answers.map((a) => a.status);
      expect(statuses.filter((s) => s !== 200 && s !== 201 && s !== 409)).toEqual([]);
      for (const a of answers.filter((x) => x.status === 409)) {
        expect(a.body.code).toBe('STREAM.WRONG_EXPECTED_REVISION');
        expect(typeof a.body.details.currentRevision).toBe('number');
      }
      const events = await streamEvents(t.store, 'centre-kc-race');
      expect(events.length - 1).toBe(answers.filter((a) => a.status < 300 && a.body.eventIds.length === 1).length);
      expect(events.map((e) => e.revision)).toEqual(events.map((_, i) => i));
    } finally {
      await t.close();
    }
  });
});

// =============================================================================================
// 2. Two Nest apps on ONE SQLite file (two connections, as two processes would have)
// =============================================================================================

describe('two app instances on one SQLite file', () => {
  const twoApps = async (): Promise<{ a: TestApp; b: TestApp; path: string; close: () => Promise<void> }> => {
    const path = join(freshDir(), 'ledger.sqlite');
    const a = await startTestApp({ store: new SqliteEventStore({ path, pollMs: 20 }), seed: true });
    const b = await startTestApp({ store: new SqliteEventStore({ path, pollMs: 20 }) });
    return { a, b, path, close: async () => { await a.close(); await b.close(); } };
  };

  it('the same Idempotency-Key and body sent 20× concurrently to both apps: one event, 20 identical 201 answers', async () => {
    const { a, b, path, close } = await twoApps();
    try {
      const auth = await a.auth('finance-officer', ['telemark']);
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) => (i % 2 ? b : a).http().post('/centres').set(auth).set('Idempotency-Key', 'same-key-1').send(centre('kc-twin'))),
      );
      expect(answers.map((r) => r.status)).toEqual(Array(20).fill(201));
      expect(new Set(answers.map((r) => JSON.stringify(r.body))).size).toBe(1);
      expect((await allEvents(path)).filter((e) => e.streamId === 'centre-kc-twin')).toHaveLength(1);
    } finally {
      await close();
    }
  });

  it('the same Idempotency-Key with DIFFERENT bodies concurrently on both apps: one recorded, every other 409 IDEMPOTENCY_KEY_REUSED (never 500)', async () => {
    const { a, b, path, close } = await twoApps();
    try {
      const auth = await a.auth('finance-officer', ['telemark']);
      const answers = await Promise.all(
        Array.from({ length: 12 }, (_, i) => (i % 2 ? b : a).http().post('/centres').set(auth).set('Idempotency-Key', 'contested').send(centre(`kc-k${i}`))),
      );
      const ok = answers.filter((r) => r.status === 201);
      expect(ok).toHaveLength(1);
      for (const r of answers.filter((x) => x.status !== 201)) {
        expect(r.status).toBe(409);
        expect(r.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
      }
      expect((await allEvents(path)).filter((e) => e.type === 'CentreRegistered')).toHaveLength(1);
    } finally {
      await close();
    }
  });

  it('concurrent conflicting renames through both apps: never 500, every 201 recorded exactly once, revisions contiguous', async () => {
    const { a, b, path, close } = await twoApps();
    try {
      const auth = await a.auth('finance-officer', ['telemark']);
      const reg = await a.http().post('/centres').set(auth).send(centre('kc-both'));
      expect(reg.status).toBe(201);
      const answers = await Promise.all(
        Array.from({ length: 30 }, (_, i) => (i % 2 ? b : a).http().post('/centres/kc-both/rename').set(auth).send({ name: `N${i}`, effectiveFrom: '2016-01-01' })),
      );
      const statuses = answers.map((r) => r.status);
      expect(statuses.filter((s) => s !== 200 && s !== 201 && s !== 409)).toEqual([]);
      const evs = (await allEvents(path)).filter((e) => e.streamId === 'centre-kc-both');
      expect(evs.map((e) => e.revision)).toEqual(evs.map((_, i) => i));
      // A 201 with an empty eventIds is a no-op rename (the name already in force); the rest are one event each.
      const recorded = answers.filter((r) => r.status < 300 && r.body.eventIds.length === 1).length;
      expect(evs.length - 1).toBe(recorded);
    } finally {
      await close();
    }
  });

  it('read-your-writes across instances: a write on A is read on B with X-Ledger-Position', async () => {
    const { a, b, close } = await twoApps();
    try {
      const auth = await a.auth('finance-officer', ['telemark']);
      const w = await a.http().post('/centres').set(auth).send(centre('kc-ryw'));
      expect(w.status).toBe(201);
      const r = await b.http().get('/centres/kc-ryw').set(auth).set('X-Ledger-Position', String(w.body.position));
      expect(r.status).toBe(200);
      expect(r.body.centreId ?? r.body.id).toBe('kc-ryw');
    } finally {
      await close();
    }
  });
});

// =============================================================================================
// 3. Idempotency edge cases (in process)
// =============================================================================================

describe('Idempotency-Key edge cases', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ seed: true });
  });
  afterAll(() => t.close());

  it('a retry after the first attempt was refused with a 4xx is not stuck: the corrected request with the same key is recorded', async () => {
    const auth = await t.auth('finance-officer', ['telemark']);
    const bad = await t.http().post('/centres').set(auth).set('Idempotency-Key', 'retry-after-4xx').send({ ...centre('kc-4xx'), openedOn: '2014-02-30' });
    expect(bad.status).toBe(400);
    const same = await t.http().post('/centres').set(auth).set('Idempotency-Key', 'retry-after-4xx').send(centre('kc-4xx'));
    expect(same.status).toBe(201);
    const again = await t.http().post('/centres').set(auth).set('Idempotency-Key', 'retry-after-4xx').send(centre('kc-4xx'));
    expect(again.status).toBe(201);
    expect(again.body).toEqual(same.body);
  });

  it('a retry after a rule refusal (422/404 from the decider) with the same key and body is answered by the rules again, then recorded once fixed', async () => {
    const auth = await t.auth(['admin']);
    const first = await t.http().post('/centres').set(auth).set('Idempotency-Key', 'no-county-yet').send(centre('kc-nc', 'atlantis'));
    expect(first.status).toBe(404);
    await t.http().post('/counties').set(auth).send({ countyId: 'atlantis', name: 'Atlantis', countyNumber: '99' });
    const second = await t.http().post('/centres').set(auth).set('Idempotency-Key', 'no-county-yet').send(centre('kc-nc', 'atlantis'));
    expect(second.status).toBe(201);
  });

  it('keys: 200 visible ASCII accepted; 201 characters, a space or an empty key is 400 IDEMPOTENCY_KEY_INVALID and records nothing', async () => {
    const auth = await t.auth('finance-officer', ['telemark']);
    const before = await t.store.headPosition();
    for (const key of ['k'.repeat(201), 'has space', '']) {
      const r = await t.http().post('/centres').set(auth).set('Idempotency-Key', key).send(centre(`kc-key-${before}`));
      expect([r.status, r.body.code]).toEqual([400, 'IDEMPOTENCY_KEY_INVALID']);
    }
    expect(await t.store.headPosition()).toBe(before);
    const ok = await t.http().post('/centres').set(auth).set('Idempotency-Key', 'k'.repeat(200)).send(centre('kc-key-200'));
    expect(ok.status).toBe(201);
  });

  it('a key on a read route is ignored (200), and does not claim the key', async () => {
    const auth = await t.auth('finance-officer', ['telemark']);
    const r = await t.http().get('/counties/telemark').set(auth).set('Idempotency-Key', 'read-key');
    expect(r.status).toBe(200);
    const w = await t.http().post('/centres').set(auth).set('Idempotency-Key', 'read-key').send(centre('kc-read-key'));
    expect(w.status).toBe(201);
  });

  it('the same key sent twice in one request (two header lines) is refused or treated as one key, never split', async () => {
    const auth = await t.auth('finance-officer', ['telemark']);
    // Node joins duplicate unknown headers with ", " → "a, b": contains a space → must be 400, not recorded under "a".
    const r = await t.http().post('/centres').set(auth).set('Idempotency-Key', ['dup-a', 'dup-b'] as any).send(centre('kc-dup'));
    expect(r.status).toBe(400);
  });
});

// =============================================================================================
// 4. Rate limiting
// =============================================================================================

describe('rate limiting', () => {
  it('a 429 carries RATE_LIMITED and Retry-After, and records nothing', async () => {
    const store = new MemoryEventStore();
    const seeder = await startTestApp({ store, seed: true });
    const t = await startTestApp({ store, env: { LEDGER_RATE_LIMIT_PER_MINUTE: '3' } });
    try {
      const auth = await t.auth('finance-officer', ['telemark']);
      const before = await t.store.headPosition();
      const answers = [];
      for (let i = 0; i < 4; i++) answers.push(await t.http().post('/centres').set(auth).set('Idempotency-Key', `rl-${i}`).send(centre(`kc-rl-${i}`)));
      expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 429]);
      const last = answers[3];
      expect(last.body.code).toBe('RATE_LIMITED');
      expect(Number(last.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(await t.store.headPosition()).toBe(before + 3);
    } finally {
      await t.close();
      await seeder.close();
    }
  });

  it('liveness (/health) is not refused by the per-client rate limit (a probe from the same address must not get 429)', async () => {
    const t = await startTestApp({ env: { LEDGER_RATE_LIMIT_PER_MINUTE: '2' } });
    try {
      const auth = await t.auth('auditor');
      await t.http().get('/counties').set(auth);
      await t.http().get('/counties').set(auth);
      const h = await t.http().get('/health');
      expect(h.status).toBe(200);
    } finally {
      await t.close();
    }
  });
});

// =============================================================================================
// 5. SQLITE_BUSY: another process holds the write lock longer than busy_timeout
// =============================================================================================

describe('SQLITE_BUSY', () => {
  it('a write while another process holds the write lock past the busy timeout is a clear 503 (not 500 INTERNAL), and nothing is recorded', async () => {
    const path = join(freshDir(), 'ledger.sqlite');
    const t = await startTestApp({ store: new SqliteEventStore({ path }), seed: true });
    const auth = await t.auth('finance-officer', ['telemark']);
    // A separate process takes the write lock and keeps it (as a long backup, a sqlite3 shell or a stuck writer would)
    // until told (a line on stdin; at most 45 s): a fixed hold of 12 s raced the write's start on a loaded machine.
    const holder = spawn(process.execPath, ['-e', `
      const D = require(${JSON.stringify(require.resolve('better-sqlite3'))});
      const db = new D(${JSON.stringify(path)}); db.exec('BEGIN IMMEDIATE'); console.log('LOCKED');
      const free = () => { db.exec('ROLLBACK'); db.close(); process.exit(0); };
      process.stdin.once('data', free); setTimeout(free, 45000);
    `], { stdio: ['pipe', 'pipe', 'inherit'] });
    const holderGone = new Promise((res) => holder.on('exit', res));
    try {
      await new Promise<void>((r) => holder.stdout!.on('data', (c: Buffer) => c.toString().includes('LOCKED') && r()));
      const before = (await allEvents(path)).length;
      const r = await t.http().post('/centres').set(auth).send(centre('kc-busy'));
      const stillHeld = holder.exitCode === null; // the write was answered while the lock was still held
      holder.stdin!.write('release\n');
      await holderGone;
      expect(stillHeld).toBe(true);
      expect(r.body.code).not.toBe('INTERNAL');
      expect(r.status).toBe(503);
      expect((await allEvents(path)).length).toBe(before);
    } finally {
      holder.kill('SIGKILL');
      await t.close();
    }
  }, 60_000);
});

describe('SQLITE_BUSY: the event loop while a write waits for the lock', () => {
  it('while another process holds the write lock, the server (a child process) still answers /health promptly; a waiting write must not freeze every request', async () => {
    const path = join(freshDir(), 'ledger.sqlite');
    const s = await startServer(path);
    await seedOver(s.base);
    // The lock is held until told (a line on stdin; at most 45 s): a fixed hold of 4 s could end before /health was asked on a loaded machine.
    const holder = spawn(process.execPath, ['-e', `
      const D = require(${JSON.stringify(require.resolve('better-sqlite3'))});
      const db = new D(${JSON.stringify(path)}); db.exec('BEGIN IMMEDIATE'); console.log('LOCKED');
      const free = () => { db.exec('ROLLBACK'); db.close(); process.exit(0); };
      process.stdin.once('data', free); setTimeout(free, 45000);
    `], { stdio: ['pipe', 'pipe', 'inherit'] });
    const locked = new Promise<void>((r) => holder.stdout!.on('data', (c: Buffer) => c.toString().includes('LOCKED') && r()));
    try {
      const auth = await bearer(['finance-officer'], ['telemark']);
      await locked;
      let answered = false;
      const write = post(s.base, '/centres', centre('kc-busy2'), { authorization: auth }).finally(() => (answered = true));
      await new Promise((r) => setTimeout(r, 200));
      const started = Date.now();
      const health = await fetch(`${s.base}/health`);
      const took = Date.now() - started;
      // /health was answered while the write still waited for the lock (else this proves nothing).
      const writeWaiting = !answered;
      holder.stdin!.write('release\n');
      expect(health.status).toBe(200);
      await write;
      expect(writeWaiting).toBe(true);
      expect(took).toBeLessThan(1000);
    } finally {
      holder.kill('SIGKILL');
      s.child.kill('SIGKILL');
      await s.exited;
    }
  }, 60_000);
});

// =============================================================================================
// 6. Real server processes: two on one file; SIGTERM with requests in flight; CLI beside the server
// =============================================================================================

describe('server child processes on one SQLite file', () => {
  it('two server processes: same key concurrently → one event, identical answers; conflicting renames → only 2xx/409, never 500', async () => {
    const path = join(freshDir(), 'ledger.sqlite');
    const a = await startServer(path);
    const b = await startServer(path);
    try {
      await seedOver(a.base);
      const auth = await bearer(['finance-officer'], ['telemark']);
      const same = await Promise.all(Array.from({ length: 16 }, (_, i) => post(i % 2 ? b.base : a.base, '/centres', centre('kc-proc'), { authorization: auth, 'idempotency-key': 'proc-key' })));
      expect(same.map((r) => r.status)).toEqual(Array(16).fill(201));
      expect(new Set(same.map((r) => JSON.stringify(r.body))).size).toBe(1);
      const renames = await Promise.all(
        Array.from({ length: 30 }, (_, i) => post(i % 2 ? b.base : a.base, '/centres/kc-proc/rename', { name: `P${i}`, effectiveFrom: '2016-01-01' }, { authorization: auth })),
      );
      expect(renames.map((r) => r.status).filter((s) => s >= 300 && s !== 409)).toEqual([]);
      const evs = (await allEvents(path)).filter((e) => e.streamId === 'centre-kc-proc');
      expect(evs.map((e) => e.revision)).toEqual(evs.map((_, i) => i));
      expect(evs.length - 1).toBe(renames.filter((r) => r.status < 300 && r.body.eventIds.length === 1).length);
      // read-your-writes across the processes
      const last = renames.filter((r) => r.status < 300).map((r) => r.body.position).sort((x, y) => y - x)[0];
      const read = await fetch(`${b.base}/centres/kc-proc`, { headers: { authorization: auth, 'x-ledger-position': String(last) } });
      expect(read.status).toBe(200);
    } finally {
      a.child.kill('SIGKILL');
      b.child.kill('SIGKILL');
      await Promise.all([a.exited, b.exited]);
    }
  }, 60_000);

  it('SIGTERM with 40 writes in flight: each is answered 2xx (and recorded once) or refused (and not recorded); nothing half-recorded', async () => {
    const path = join(freshDir(), 'ledger.sqlite');
    const s = await startServer(path);
    try {
      await seedOver(s.base);
      const auth = await bearer(['finance-officer'], ['telemark']);
      const inflight = Array.from({ length: 40 }, (_, i) =>
        post(s.base, '/centres', centre(`kc-term-${i}`), { authorization: auth, 'idempotency-key': `term-${i}` }).then(
          (r) => ({ i, status: r.status }),
          () => ({ i, status: 0 }), // connection reset / refused: not answered
        ),
      );
      await new Promise((r) => setTimeout(r, 15));
      s.child.kill('SIGTERM');
      const results = await Promise.all(inflight);
      await Promise.race([s.exited, new Promise((r) => setTimeout(r, 8000))]);
      s.child.kill('SIGKILL');
      await s.exited;
      const recorded = new Set((await allEvents(path)).filter((e) => e.type === 'CentreRegistered').map((e) => e.streamId));
      const acked = results.filter((r) => r.status === 201).map((r) => `centre-kc-term-${r.i}`);
      expect(acked.filter((id) => !recorded.has(id))).toEqual([]); // nothing acknowledged is lost
      expect(results.filter((r) => r.status !== 201 && recorded.has(`centre-kc-term-${r.i}`))).toEqual([]); // nothing refused was recorded
      expect(results.filter((r) => r.status >= 500 && r.status !== 503)).toEqual([]);
    } finally {
      s.child.kill('SIGKILL');
    }
  }, 60_000);

  it('SIGTERM: the server exits within 5 s even though the client keeps its keep-alive connections open (the views are saved, not SIGKILLed by the orchestrator)', async () => {
    const path = join(freshDir(), 'ledger.sqlite');
    const s = await startServer(path);
    try {
      await seedOver(s.base);
      const auth = await bearer(['finance-officer'], ['telemark']);
      // Writes in flight when SIGTERM arrives; the client (undici's pool, as any HTTP client or load balancer) keeps its connections.
      const inflight = Array.from({ length: 10 }, (_, i) => post(s.base, '/centres', centre(`kc-ka-${i}`), { authorization: auth }).catch(() => null));
      await new Promise((r) => setTimeout(r, 10));
      s.child.kill('SIGTERM');
      await Promise.all(inflight);
      const exited = await Promise.race([s.exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 5000))]);
      expect(exited).toBe(true);
    } finally {
      s.child.kill('SIGKILL');
      await s.exited;
    }
  }, 60_000);

  it('CLI import into the ledger a running server has open, while HTTP writes go on: both complete, nothing lost, server reads the import', async () => {
    const path = join(freshDir(), 'ledger.sqlite');
    const s = await startServer(path);
    try {
      await seedOver(s.base);
      const auth = await bearer(['finance-officer'], ['telemark']);
      const file = join(freshDir(), 'centres.jsonl');
      writeFileSync(file, Array.from({ length: 25 }, (_, i) => JSON.stringify({ command: 'RegisterCentre', payload: centre(`kc-cli-${i}`) })).join('\n') + '\n');
      const [cli, http] = await Promise.all([
        ledger(['import', file], { LEDGER_SQLITE_PATH: path }),
        Promise.all(Array.from({ length: 25 }, (_, i) => post(s.base, '/centres', centre(`kc-http-${i}`), { authorization: auth }))),
      ]);
      expect(cli.stderr).toBe('');
      expect(cli.code).toBe(0);
      expect(http.map((r) => r.status)).toEqual(Array(25).fill(201));
      const evs = (await allEvents(path)).filter((e) => e.type === 'CentreRegistered');
      expect(evs).toHaveLength(50);
      const head = Math.max(...(await allEvents(path)).map((e) => e.position));
      const read = await fetch(`${s.base}/centres/kc-cli-24`, { headers: { authorization: auth, 'x-ledger-position': String(head) } });
      expect(read.status).toBe(200);
    } finally {
      s.child.kill('SIGKILL');
      await s.exited;
    }
  }, 60_000);
});

// =============================================================================================
// 7. The CLI: files, arguments, exit codes; export → verify
// =============================================================================================

describe('ledger CLI edge cases (child process)', () => {
  const dir = freshDir();
  const path = join(dir, 'ledger.sqlite');
  const env = { LEDGER_SQLITE_PATH: path };
  beforeAll(async () => {
    const seed = await ledger(['seed'], env);
    expect(seed.code).toBe(0);
  }, 60_000);

  it('import: a file with a BOM, CRLF line endings, a comment and trailing blank lines is applied; re-running applies nothing', async () => {
    const file = join(dir, 'bom-crlf.jsonl');
    const lines = ['# centres', JSON.stringify({ command: 'RegisterCentre', payload: centre('kc-bom-1') }), JSON.stringify({ command: 'RegisterCentre', payload: centre('kc-bom-2') }), '', '', ''];
    writeFileSync(file, '\uFEFF' + lines.join('\r\n'));
    const first = await ledger(['import', file], env);
    expect([first.code, first.stderr]).toEqual([0, '']);
    expect(first.stdout).toContain('2 applied');
    const second = await ledger(['import', file], env);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('0 applied');
  });

  it('import: a huge line (5 MB) is refused by the shape check, naming the line, exit 1, nothing applied', async () => {
    const file = join(dir, 'huge.jsonl');
    writeFileSync(file, JSON.stringify({ command: 'RegisterCentre', payload: { ...centre('kc-huge'), name: 'x'.repeat(5_000_000) } }) + '\n');
    const before = (await allEvents(path)).length;
    const out = await ledger(['import', file], env);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('line 1:');
    expect((await allEvents(path)).length).toBe(before);
  });

  it('import: a second file argument is refused (exit 2, usage), not silently ignored', async () => {
    const a = join(dir, 'a.jsonl');
    const b = join(dir, 'b.jsonl');
    writeFileSync(a, JSON.stringify({ command: 'RegisterCentre', payload: centre('kc-two-a') }) + '\n');
    writeFileSync(b, JSON.stringify({ command: 'RegisterCentre', payload: centre('kc-two-b') }) + '\n');
    const before = (await allEvents(path)).length;
    const out = await ledger(['import', a, b], env);
    expect(out.code).toBe(2);
    expect((await allEvents(path)).length).toBe(before);
  });

  it('import: a missing file is a usage error (exit 2) naming the file, like verify/export refuse a missing ledger', async () => {
    const out = await ledger(['import', join(dir, 'no-such.jsonl')], env);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('no-such.jsonl');
  });

  it('verify: a ledger path given as an argument is not silently ignored (an auditor typing `ledger verify copy.sqlite` must not get the default ledger\'s OK)', async () => {
    // A second ledger with one altered event.
    const other = join(freshDir(), 'copy.sqlite');
    expect((await ledger(['seed'], { LEDGER_SQLITE_PATH: other })).code).toBe(0);
    const db = new Database(other);
    db.prepare("UPDATE events SET data = replace(data, 'Telemark', 'Telemarc') WHERE stream_id = 'county-telemark'").run();
    db.close();
    const out = await ledger(['verify', other], env);
    // Either verify that file (exit 1: it was altered) or refuse the argument (exit 2); never exit 0 for another file.
    expect(out.code).not.toBe(0);
  });

  it('export → verify --from-export with the kept digest: exit 0; one byte changed in events.jsonl: exit 1 naming the stream', async () => {
    const to = join(freshDir(), 'export');
    const ex = await ledger(['export', '--to', to], env);
    expect(ex.code).toBe(0);
    const m = /digest at position (\d+): ([0-9a-f]{64})/.exec(ex.stdout)!;
    const [, position, digest] = m;
    const ok = await ledger(['verify', '--from-export', to, '--digest', digest, '--position', position], env);
    expect(ok.code).toBe(0);
    const file = join(to, 'events.jsonl');
    const text = readFileSync(file, 'utf8');
    const i = text.indexOf('"Telemark"');
    writeFileSync(file, text.slice(0, i + 1) + 't' + text.slice(i + 2)); // "Telemark" → "telemark"
    const bad = await ledger(['verify', '--from-export', to, '--digest', digest, '--position', position, '--json'], env);
    expect(bad.code).toBe(1);
    const report = JSON.parse(bad.stdout);
    expect(report.brokenStreams.map((s: { streamId: string }) => s.streamId)).toContain('county-telemark');
  });

  it('export → verify: an export whose events.jsonl got CRLF line endings (copied through Windows) still verifies (content unchanged)', async () => {
    const to = join(freshDir(), 'export-crlf');
    const ex = await ledger(['export', '--to', to], env);
    const [, position, digest] = /digest at position (\d+): ([0-9a-f]{64})/.exec(ex.stdout)!;
    const file = join(to, 'events.jsonl');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/\n/g, '\r\n'));
    const out = await ledger(['verify', '--from-export', to, '--digest', digest, '--position', position], env);
    expect(out.code).toBe(0);
  });

  it('verify --digest/--position beyond the head: exit 1 (the log ends before the digest position)', async () => {
    const out = await ledger(['verify', '--digest', 'a'.repeat(64), '--position', '999999'], env);
    expect(out.code).toBe(1);
  });

  it('import FILE --token (no value) is a usage error (exit 2), not a token error (exit 1)', async () => {
    const file = join(dir, 'opt.jsonl');
    writeFileSync(file, JSON.stringify({ command: 'RegisterCentre', payload: centre('kc-opt') }) + '\n');
    const out = await ledger(['import', file, '--token'], env);
    expect(out.code).toBe(2);
  });
});
