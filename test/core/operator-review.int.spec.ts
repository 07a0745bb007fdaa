import { ChildProcess, spawn } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { SignJWT } from 'jose';
import { freePort } from '../helpers/free-port';
import { LISTENING_LINE, ledgerChild } from '../helpers/ledger-child';

/**
 * Operator review: the server as someone installing it for a county runs it, a child process on
 * temporary files, configured only through the environment README's Configuration table names.
 * A setting the service cannot run with must stop it at start, exit non-zero, with one line on
 * stderr naming the variable (no stack trace), never start and fail later; a setting it takes must
 * be honoured; SIGTERM answers what is in flight and leaves a file `ledger verify` calls intact;
 * a backup made the documented way verifies and answers as the original did.
 */

const ROOT = resolve(__dirname, '../..');
const REGISTER = join(ROOT, 'test/helpers/swc-register.js');
const MAIN = join(ROOT, 'apps/api/src/main.ts');
const SECRET = 'operator-review-secret-of-some-length';
const root = mkdtempSync(join(tmpdir(), 'operator-review-'));
chmodSync(root, 0o755);
let n = 0;
const freshDir = (): string => {
  const d = join(root, `d${n++}`);
  mkdirSync(d, { recursive: true, mode: 0o777 });
  chmodSync(d, 0o777);
  return d;
};

/** Every child started here, killed at the end whatever a test left running. */
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  try {
    rmSync(root, { recursive: true, force: true });
  } catch {
    /* a read-only folder a test made: left to the OS */
  }
});


/** The environment of this process less every setting the Configuration table names, plus `env`. */
const cleanEnv = (env: Record<string, string | undefined>): NodeJS.ProcessEnv => {
  const clean: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(clean)) if (k.startsWith('LEDGER_') || k === 'PORT' || k === 'HOST' || k === 'EVENTSTORE_CONNECTION_STRING') delete clean[k];
  for (const [k, v] of Object.entries(env)) if (v !== undefined) clean[k] = v;
  return clean;
};

interface Child {
  child: ChildProcess;
  out: () => string;
  err: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** As an unprivileged user when the tests run as root (root writes whatever the mode says). */
const unprivileged = () => (process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {});

const launch = (env: Record<string, string | undefined>, opts: { cwd?: string; asUser?: boolean } = {}): Child => {
  const child = spawn(process.execPath, ['-r', REGISTER, MAIN], { cwd: opts.cwd ?? ROOT, env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'], ...(opts.asUser ? unprivileged() : {}) });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.on('exit', (code, signal) => r({ code, signal })));
  return { child, out: () => out, err: () => err, exited };
};

/** Starts a child and waits until it exits or says it listens (then it is killed): how it ended. */
const startOutcome = async (env: Record<string, string | undefined>, opts: { cwd?: string; asUser?: boolean } = {}) => {
  const c = launch(env, opts);
  const deadline = Date.now() + 50_000;
  let listened = false;
  for (;;) {
    if (c.child.exitCode !== null || c.child.signalCode !== null) break;
    if (c.out().includes('listening')) {
      listened = true;
      c.child.kill('SIGKILL');
      break;
    }
    if (Date.now() > deadline) {
      c.child.kill('SIGKILL');
      break;
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  const { code } = await c.exited;
  return { listened, code, stdout: c.out(), stderr: c.err() };
};

/** Refused at start: did not listen, exited non-zero, one line on stderr naming `variable`, no stack trace. */
const expectRefusal = (r: Awaited<ReturnType<typeof startOutcome>>, variable: string, also: RegExp[] = []) => {
  const lines = r.stderr.trim().split('\n');
  expect({ listened: r.listened, nonZero: r.code !== 0 && r.code !== null, lines: lines.length, stack: /\n\s+at /.test(r.stderr) || /\[Nest\]/.test(r.stderr) }).toEqual({
    listened: false,
    nonZero: true,
    lines: 1,
    stack: false,
  });
  expect(lines[0]).toContain(variable);
  for (const re of also) expect(lines[0]).toMatch(re);
};

interface Server extends Child {
  base: string;
  port: number;
}

/**
 * A server on `file`, waited for until /health says the views reached the head. Without a PORT it is
 * started with PORT=0 and the port its line names is used (a port picked free beforehand could be taken
 * by another process before the child listens); /health is asked only once the child says it listens,
 * so the answers are its own.
 */
const startServer = async (env: Record<string, string | undefined>, opts: { cwd?: string; asUser?: boolean } = {}): Promise<Server> => {
  const c = launch({ LEDGER_JWT_SECRET: SECRET, HOST: '127.0.0.1', LEDGER_RATE_LIMIT_PER_MINUTE: '0', ...env, PORT: env.PORT ?? '0' }, opts);
  const t0 = Date.now();
  let port = 0;
  for (;;) {
    if (c.child.exitCode !== null || c.child.signalCode !== null) throw new Error(`server exited during start: ${c.err()}`);
    if (Date.now() - t0 > 60_000) throw new Error(`server did not listen in 60 s: ${c.err()}`);
    const m = LISTENING_LINE.exec(c.out());
    if (m) {
      port = Number(m[1]);
      break;
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  const base = `http://127.0.0.1:${port}`;
  for (;;) {
    if (c.child.exitCode !== null || c.child.signalCode !== null) throw new Error(`server exited during start: ${c.err()}`);
    if (Date.now() - t0 > 60_000) throw new Error(`server not ready in 60 s: ${c.err()}`);
    try {
      const h = (await (await fetch(`${base}/health`)).json()) as { headPosition: number; viewsPosition: number };
      if (h.viewsPosition === h.headPosition) break;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  return { ...c, base, port };
};

/** SIGTERM; how it ended, within `ms`. */
const stop = async (s: Child, ms = 8_000) => {
  s.child.kill('SIGTERM');
  const t0 = Date.now();
  const end = await Promise.race([s.exited, new Promise<null>((r) => setTimeout(() => r(null), ms))]);
  if (end === null) s.child.kill('SIGKILL');
  return { end, ms: Date.now() - t0 };
};
/** A clean end: exit 0, or the SIGTERM re-raised once shutdown finished (Nest's shutdown hooks do so). */
const clean = (end: { code: number | null; signal: NodeJS.Signals | null } | null) => end !== null && (end.code === 0 || end.signal === 'SIGTERM');

const token = (sub: string, roles: string[], counties: string[] = [], secret = SECRET, claims: { iss?: string; aud?: string } = {}) => {
  let jwt = new SignJWT({ name: sub, roles, counties }).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setSubject(sub).setIssuedAt().setExpirationTime('1h');
  if (claims.iss) jwt = jwt.setIssuer(claims.iss);
  if (claims.aud) jwt = jwt.setAudience(claims.aud);
  return jwt.sign(new TextEncoder().encode(secret));
};
const centre = (id: string) => ({ centreId: id, countyId: 'telemark', name: `Karrieresenteret ${id}`, municipality: 'Skien', openedOn: '2014-03-01' });
const post = async (base: string, path: string, body: unknown, headers: Record<string, string>) => {
  const res = await fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: res.status, headers: res.headers, text: await res.text() };
};
const get = async (base: string, path: string, headers: Record<string, string> = {}) => {
  const res = await fetch(base + path, { headers: { 'accept-encoding': 'identity', ...headers } });
  return { status: res.status, headers: res.headers, text: await res.text() };
};
const health = async (base: string) => (await (await fetch(`${base}/health`)).json()) as { status: string; headPosition: number; viewsPosition: number };
const events = (file: string) => {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT position, stream_id AS streamId FROM events ORDER BY position').all() as { position: number; streamId: string }[];
  } finally {
    db.close();
  }
};
/** A seeded ledger (the 19 counties) at a new path. */
const seeded = async (): Promise<string> => {
  const file = join(freshDir(), 'ledger.sqlite');
  const r = await ledgerChild(['seed'], { LEDGER_SQLITE_PATH: file, LEDGER_JWT_SECRET: SECRET });
  expect(r.code).toBe(0);
  return file;
};

// =============================================================================================
// 1. Settings the service cannot run with: refused at start, one line naming the variable
// =============================================================================================

describe('a malformed setting stops the server at start with one line naming it', () => {
  const file = () => join(freshDir(), 'ledger.sqlite');
  const cases: [string, Record<string, string>, string][] = [
    ['PORT=abc', { PORT: 'abc' }, 'PORT'],
    ['PORT=70000', { PORT: '70000' }, 'PORT'],
    ['PORT=-1', { PORT: '-1' }, 'PORT'],
    ['LEDGER_RATE_LIMIT_PER_MINUTE=-5', { LEDGER_RATE_LIMIT_PER_MINUTE: '-5' }, 'LEDGER_RATE_LIMIT_PER_MINUTE'],
    ['LEDGER_RATE_LIMIT_PER_MINUTE=99999999999999999999 (huge)', { LEDGER_RATE_LIMIT_PER_MINUTE: '99999999999999999999' }, 'LEDGER_RATE_LIMIT_PER_MINUTE'],
    ['LEDGER_RATE_LIMIT_PER_MINUTE=6000/min', { LEDGER_RATE_LIMIT_PER_MINUTE: '6000/min' }, 'LEDGER_RATE_LIMIT_PER_MINUTE'],
    ['LEDGER_BODY_LIMIT_BYTES=0', { LEDGER_BODY_LIMIT_BYTES: '0' }, 'LEDGER_BODY_LIMIT_BYTES'],
    ['LEDGER_ANSWER_CACHE_MB=lots', { LEDGER_ANSWER_CACHE_MB: 'lots' }, 'LEDGER_ANSWER_CACHE_MB'],
    ['LEDGER_GZIP_MIN_BYTES=1.5', { LEDGER_GZIP_MIN_BYTES: '1.5' }, 'LEDGER_GZIP_MIN_BYTES'],
    ['LEDGER_TRUST_PROXY=*', { LEDGER_TRUST_PROXY: '*' }, 'LEDGER_TRUST_PROXY'],
  ];
  it.each(cases)('%s', async (_name, env, variable) => {
    const path = file();
    const r = await startOutcome({ LEDGER_JWT_SECRET: SECRET, LEDGER_SQLITE_PATH: path, ...env });
    expectRefusal(r, variable);
    // Refused before anything is written: no ledger, no local secret.
    expect(existsSync(path)).toBe(false);
  }, 60_000);

  it('HOST that is no address of this machine: one line naming HOST', async () => {
    expectRefusal(await startOutcome({ LEDGER_JWT_SECRET: SECRET, LEDGER_SQLITE_PATH: file(), PORT: '0', HOST: '999.1.1.1' }), 'HOST');
  }, 60_000);

  it('PORT already taken by another process: one line naming PORT', async () => {
    const taken = createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', () => r()));
    try {
      const port = (taken.address() as { port: number }).port;
      expectRefusal(await startOutcome({ LEDGER_JWT_SECRET: SECRET, LEDGER_SQLITE_PATH: file(), PORT: String(port), HOST: '127.0.0.1' }), 'PORT', [new RegExp(String(port))]);
    } finally {
      taken.close();
    }
  }, 60_000);
});

describe('LEDGER_SQLITE_PATH the server cannot keep a ledger at: refused at start, one line naming it', () => {
  it('a directory', async () => {
    const dir = freshDir();
    expectRefusal(await startOutcome({ LEDGER_JWT_SECRET: SECRET, LEDGER_SQLITE_PATH: dir }), 'LEDGER_SQLITE_PATH', [/director/]);
  }, 60_000);

  it('a path under a regular file', async () => {
    const f = join(freshDir(), 'plain.txt');
    writeFileSync(f, 'x');
    expectRefusal(await startOutcome({ LEDGER_JWT_SECRET: SECRET, LEDGER_SQLITE_PATH: join(f, 'ledger.sqlite') }), 'LEDGER_SQLITE_PATH');
  }, 60_000);

  it('a file that is not SQLite (left as it was)', async () => {
    const f = join(freshDir(), 'notes.sqlite');
    writeFileSync(f, 'these are my notes, not a database\n'.repeat(20));
    const before = readFileSync(f);
    expectRefusal(await startOutcome({ LEDGER_JWT_SECRET: SECRET, LEDGER_SQLITE_PATH: f }), 'LEDGER_SQLITE_PATH', [/SQLite/]);
    expect(readFileSync(f)).toEqual(before);
  }, 60_000);

  it('an SQLite database of another application (left as it was: no ledger tables added to it)', async () => {
    const f = join(freshDir(), 'crm.sqlite');
    const other = new Database(f);
    other.exec("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO customers (name) VALUES ('Kari')");
    other.close();
    const before = readFileSync(f);
    expectRefusal(await startOutcome({ LEDGER_JWT_SECRET: SECRET, LEDGER_SQLITE_PATH: f }), 'LEDGER_SQLITE_PATH', [/something else/, /customers/]);
    expect(readFileSync(f)).toEqual(before);
  }, 60_000);

  it('a ledger file the server may not write: refused at start, not started to fail every write later', async () => {
    const f = await seeded();
    chmodSync(f, 0o444);
    expectRefusal(await startOutcome({ LEDGER_JWT_SECRET: SECRET, LEDGER_SQLITE_PATH: f }, { asUser: true }), 'LEDGER_SQLITE_PATH', [/writ/]);
  }, 60_000);

  it('a new ledger in a folder the server may not write (LEDGER_JWT_SECRET set)', async () => {
    const dir = freshDir();
    chmodSync(dir, 0o555);
    expectRefusal(await startOutcome({ LEDGER_JWT_SECRET: SECRET, LEDGER_SQLITE_PATH: join(dir, 'ledger.sqlite') }, { asUser: true }), 'LEDGER_SQLITE_PATH', [/writ/]);
  }, 60_000);

  it('a new ledger in a folder the server may not write, no LEDGER_JWT_SECRET: the folder is named (the local secret would be kept there too)', async () => {
    const dir = freshDir();
    chmodSync(dir, 0o555);
    expectRefusal(await startOutcome({ LEDGER_SQLITE_PATH: join(dir, 'ledger.sqlite') }, { asUser: true }), 'LEDGER_SQLITE_PATH', [/writ/]);
  }, 60_000);

  it('a directory, no LEDGER_JWT_SECRET: refused before a jwt-secret is written beside it', async () => {
    const parent = freshDir();
    const dir = join(parent, 'data');
    mkdirSync(dir);
    expectRefusal(await startOutcome({ LEDGER_SQLITE_PATH: dir }), 'LEDGER_SQLITE_PATH', [/director/]);
    expect(existsSync(join(parent, 'jwt-secret'))).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  }, 60_000);

  it('LEDGER_JWT_SECRET shorter than 32 bytes (HS256 needs 256 bits), or a kept jwt-secret that short: refused at start, nothing written', async () => {
    const path = join(freshDir(), 'ledger.sqlite');
    const r = await startOutcome({ LEDGER_JWT_SECRET: 'changeme', LEDGER_SQLITE_PATH: path });
    expectRefusal(r, 'LEDGER_JWT_SECRET', [/at least 32 bytes/, /not 8/, /openssl rand -hex 32/]);
    expect(existsSync(path)).toBe(false);
    const dir = freshDir();
    writeFileSync(join(dir, 'jwt-secret'), 'hunter2\n');
    expectRefusal(await startOutcome({ LEDGER_SQLITE_PATH: join(dir, 'ledger.sqlite') }), 'jwt-secret', [/7 bytes/, /at least 32/]);
    expect(existsSync(join(dir, 'ledger.sqlite'))).toBe(false);
  }, 60_000);

  it('an empty local jwt-secret file (a full disk, a `touch`): refused at start, not started to refuse every token', async () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'jwt-secret'), '\n');
    expectRefusal(await startOutcome({ LEDGER_SQLITE_PATH: join(dir, 'ledger.sqlite') }), 'jwt-secret', [/LEDGER_JWT_SECRET/]);
  }, 60_000);
});

// =============================================================================================
// 2. Settings the server takes are honoured
// =============================================================================================

describe('settings are honoured', () => {
  it('defaults on a fresh machine: ./data/ledger.sqlite and a jwt-secret (mode 600) next to it are created; `ledger token` signs what the server takes', async () => {
    const cwd = freshDir();
    const s = await startServer({ LEDGER_JWT_SECRET: undefined }, { cwd });
    try {
      expect(s.out()).toContain(`sqlite at ./data/ledger.sqlite`);
      expect(existsSync(join(cwd, 'data/ledger.sqlite'))).toBe(true);
      expect(statSync(join(cwd, 'data/jwt-secret')).mode & 0o777).toBe(0o600);
      const t = await ledgerChild(['token', '--role', 'auditor'], { LEDGER_SQLITE_PATH: join(cwd, 'data/ledger.sqlite') });
      expect(t.code).toBe(0);
      expect((await get(s.base, '/counties', { authorization: `Bearer ${t.stdout.trim()}` })).status).toBe(200);
      expect((await get(s.base, '/counties', { authorization: `Bearer ${await token('x', ['auditor'])}` })).status).toBe(401);
    } finally {
      expect(clean((await stop(s)).end)).toBe(true);
    }
  }, 60_000);

  it('a missing directory in LEDGER_SQLITE_PATH is created (README: created on first start)', async () => {
    const f = join(freshDir(), 'a', 'b', 'ledger.sqlite');
    const s = await startServer({ LEDGER_SQLITE_PATH: f });
    try {
      expect(existsSync(f)).toBe(true);
    } finally {
      await stop(s);
    }
  }, 60_000);

  it('PORT=0 takes a free port, and the one line the server prints names the port it took', async () => {
    const c = launch({ LEDGER_JWT_SECRET: SECRET, LEDGER_SQLITE_PATH: join(freshDir(), 'ledger.sqlite'), PORT: '0' });
    try {
      const t0 = Date.now();
      while (!c.out().includes('listening') && Date.now() - t0 < 50_000 && c.child.exitCode === null) await new Promise((r) => setTimeout(r, 25));
      const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(c.out());
      expect(m?.[1]).not.toBe('0');
      expect((await fetch(`http://127.0.0.1:${m![1]}/health`)).status).toBe(200);
    } finally {
      await stop(c);
    }
  }, 60_000);

  it('PORT, HOST, LEDGER_RATE_LIMIT_PER_MINUTE (/health exempt), LEDGER_BODY_LIMIT_BYTES, LEDGER_GZIP_MIN_BYTES, LEDGER_JWT_SECRET, LEDGER_JWT_ISSUER/AUDIENCE, LEDGER_LOG=info', async () => {
    const f = await seeded();
    // PORT given: a port free now, which another process may take before the server listens; then it is refused
    // (one line naming PORT) and started again on another.
    let port = 0;
    let s: Server | undefined;
    for (let attempt = 1; !s; attempt++) {
      port = await freePort();
      try {
        s = await startServer({
          LEDGER_SQLITE_PATH: f,
          PORT: String(port),
          HOST: '127.0.0.1',
          LEDGER_RATE_LIMIT_PER_MINUTE: '8',
          LEDGER_BODY_LIMIT_BYTES: '300',
          LEDGER_GZIP_MIN_BYTES: '1',
          LEDGER_JWT_ISSUER: 'https://idp.example',
          LEDGER_JWT_AUDIENCE: 'ledger',
          LEDGER_LOG: 'info',
        });
      } catch (e) {
        if (attempt >= 3 || !/already in use/.test(String(e))) throw e;
      }
    }
    try {
      expect(s.out()).toContain(`listening on http://127.0.0.1:${port}`);
      const good = `Bearer ${await token('auditor-1', ['auditor'], [], SECRET, { iss: 'https://idp.example', aud: 'ledger' })}`;
      const noIss = `Bearer ${await token('auditor-1', ['auditor'])}`;
      const otherSecret = `Bearer ${await token('auditor-1', ['auditor'], [], 'another-secret-entirely', { iss: 'https://idp.example', aud: 'ledger' })}`;
      const gz = await fetch(`${s.base}/counties`, { headers: { authorization: good, 'accept-encoding': 'gzip' } });
      expect([gz.status, gz.headers.get('content-encoding')]).toEqual([200, 'gzip']);
      expect((await get(s.base, '/counties', { authorization: noIss })).status).toBe(401);
      expect((await get(s.base, '/counties', { authorization: otherSecret })).status).toBe(401);
      const officer = `Bearer ${await token('fo-1', ['finance-officer'], ['telemark'], SECRET, { iss: 'https://idp.example', aud: 'ledger' })}`;
      const big = await post(s.base, '/centres', { ...centre('kc-big'), name: 'x'.repeat(400) }, { authorization: officer });
      expect(big.status).toBe(413);
      // 4 requests so far, the limit 8 a minute: the 9th is 429, /health never.
      const rest = [];
      for (let i = 0; i < 5; i++) rest.push((await get(s.base, '/counties', { authorization: good })).status);
      expect(rest).toEqual([200, 200, 200, 200, 429]);
      for (let i = 0; i < 10; i++) expect((await fetch(`${s.base}/health`)).status).toBe(200);
      // LEDGER_LOG=info: Fastify logs each request.
      expect(s.out()).toMatch(/"url":"\/counties"/);
    } finally {
      expect(clean((await stop(s)).end)).toBe(true);
    }
  }, 60_000);

  it('LEDGER_STORE=memory writes no file; an unknown LEDGER_STORE chooses SQLite as README says, and the line says which', async () => {
    const dir = freshDir();
    const mem = await startServer({ LEDGER_STORE: 'memory', LEDGER_SQLITE_PATH: join(dir, 'ledger.sqlite') });
    try {
      expect(mem.out()).toContain('store: memory');
      expect((await health(mem.base)).status).toBe('ok');
    } finally {
      await stop(mem);
    }
    expect(existsSync(join(dir, 'ledger.sqlite'))).toBe(false);
    const other = await startServer({ LEDGER_STORE: 'Memory', LEDGER_SQLITE_PATH: join(dir, 'ledger.sqlite') });
    try {
      expect(other.out()).toContain(`store: sqlite at ${join(dir, 'ledger.sqlite')}`);
    } finally {
      await stop(other);
    }
  }, 60_000);
});

// =============================================================================================
// 3. Running: /health, two servers on one file, SIGTERM in flight, backups
// =============================================================================================

describe('running and stopping', () => {
  it('/health answers 200 from the first moment it listens, views never ahead of the head, and reaches the head', async () => {
    const f = await seeded();
    // Asked from before it listens, so on a port chosen beforehand. Another process may take that port before the
    // server listens (then /health was answered by that process, and the server refuses the port): the answers
    // count only once the server has said it listens on that port; else it is started again on another.
    let c!: Child;
    let seen: { status: number; head: number; views: number }[] = [];
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      c = launch({ LEDGER_JWT_SECRET: SECRET, LEDGER_SQLITE_PATH: f, PORT: String(port), HOST: '127.0.0.1' });
      seen = [];
      const t0 = Date.now();
      while (Date.now() - t0 < 60_000 && c.child.exitCode === null) {
        try {
          const r = await fetch(`http://127.0.0.1:${port}/health`);
          const h = (await r.json()) as { headPosition: number; viewsPosition: number };
          seen.push({ status: r.status, head: h.headPosition, views: h.viewsPosition });
          if (h.viewsPosition === h.headPosition) break;
        } catch {
          /* not listening yet */
        }
        await new Promise((r) => setTimeout(r, 5));
      }
      while (!c.out().includes('listening') && c.child.exitCode === null && Date.now() - t0 < 60_000) await new Promise((r) => setTimeout(r, 25));
      if (c.out().includes(`listening on http://127.0.0.1:${port}`)) break;
      await stop(c);
      if (attempt >= 3 || !/already in use/.test(c.err())) throw new Error(`server did not listen on ${port}: ${c.err()}`);
    }
    try {
      expect(seen.length).toBeGreaterThan(0);
      expect(seen.filter((h) => h.status !== 200 || h.views > h.head || h.head !== 19)).toEqual([]);
      expect(seen.at(-1)!.views).toBe(19);
    } finally {
      await stop(c);
    }
  }, 60_000);

  it('two servers on one SQLite file (README: several processes may write one file): a write on one is read on the other', async () => {
    const f = await seeded();
    const a = await startServer({ LEDGER_SQLITE_PATH: f });
    const b = await startServer({ LEDGER_SQLITE_PATH: f });
    try {
      const officer = `Bearer ${await token('fo-2', ['finance-officer'], ['telemark'])}`;
      const w = await post(a.base, '/centres', centre('kc-two'), { authorization: officer });
      expect(w.status).toBe(201);
      const position = JSON.parse(w.text).position as number;
      const r = await get(b.base, '/centres/kc-two', { authorization: officer, 'x-ledger-position': String(position) });
      expect(r.status).toBe(200);
      expect((await health(b.base)).headPosition).toBe(position);
    } finally {
      await Promise.all([stop(a), stop(b)]);
    }
    expect((await ledgerChild(['verify'], { LEDGER_SQLITE_PATH: f })).code).toBe(0);
  }, 60_000);

  it('SIGTERM with writes in flight: each answered 201 (and recorded) or not recorded, a clean exit within 5 s, `ledger verify` OK, and every 201 is in the file', async () => {
    const f = await seeded();
    const s = await startServer({ LEDGER_SQLITE_PATH: f });
    const officer = `Bearer ${await token('fo-3', ['finance-officer'], ['telemark'])}`;
    // Requests fully written to their connections (each its own), then SIGTERM: every one was sent before the signal.
    // The signal goes the moment the first answer arrives (in its callback), so the server had taken requests
    // (a fixed 10 ms let a loaded machine send it before the server read any: nothing then is 201) and the others are in flight.
    const sent: Promise<void>[] = [];
    let allSent = false;
    let signalled = false;
    let stopped: ReturnType<typeof stop> | undefined;
    let firstAnswered: () => void = () => {};
    const firstAnswer = new Promise<void>((r) => (firstAnswered = r));
    const signalAtFirstAnswer = () => {
      firstAnswered();
      if (allSent && !signalled) {
        signalled = true;
        stopped = stop(s);
      }
    };
    const inflight = Array.from({ length: 30 }, (_, i) => {
      const body = JSON.stringify(centre(`kc-term-${i}`));
      return new Promise<{ i: number; status: number; code: string; afterSignal: boolean }>((ok) => {
        const req = httpRequest(`${s.base}/centres`, { method: 'POST', agent: false, headers: { authorization: officer, 'content-type': 'application/json', 'idempotency-key': `term-${i}`, 'content-length': Buffer.byteLength(body) } }, (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () => {
            const afterSignal = signalled;
            signalAtFirstAnswer();
            ok({ i, status: res.statusCode!, code: res.statusCode === 201 ? '' : (JSON.parse(text) as { code: string }).code, afterSignal });
          });
        });
        req.on('error', (e: NodeJS.ErrnoException) => {
          const afterSignal = signalled;
          signalAtFirstAnswer();
          ok({ i, status: 0, code: `no answer: ${e.code ?? e.message}`, afterSignal });
        });
        sent.push(new Promise<void>((r) => req.on('finish', () => r())));
        req.end(body);
      });
    });
    await Promise.all(sent);
    allSent = true;
    await firstAnswer;
    signalAtFirstAnswer(); // the first answer came before every request was written out: signal now
    const results = await Promise.all(inflight);
    // The signal went while requests were still in flight (else this checks no shutdown at all).
    expect(results.filter((r) => r.afterSignal).length).toBeGreaterThan(0);
    const { end, ms } = await stopped!;
    expect(clean(end)).toBe(true);
    expect(ms).toBeLessThan(5_000);
    // Every request sent before the signal is answered: recorded (201) or refused with nothing done (503).
    expect(results.filter((r) => r.status !== 201 && !(r.status === 503 && r.code === 'SERVER.SHUTTING_DOWN'))).toEqual([]);
    expect(results.filter((r) => r.status === 201).length).toBeGreaterThan(0);
    const recorded = new Set(events(f).map((e) => e.streamId));
    expect(results.filter((r) => (r.status === 201) !== recorded.has(`centre-kc-term-${r.i}`))).toEqual([]);
    const v = await ledgerChild(['verify'], { LEDGER_SQLITE_PATH: f });
    expect([v.code, v.stderr]).toEqual([0, '']);
    expect(v.stdout).toMatch(/OK/);
  }, 60_000);

  it('a backup copied the documented way (server stopped; the file with its -wal if any) verifies and serves the same answers', async () => {
    const f = await seeded();
    const s = await startServer({ LEDGER_SQLITE_PATH: f });
    const officer = `Bearer ${await token('fo-4', ['finance-officer'], ['telemark'])}`;
    const auditor = `Bearer ${await token('aud-4', ['auditor'])}`;
    for (let i = 0; i < 5; i++) expect((await post(s.base, '/centres', centre(`kc-bak-${i}`), { authorization: officer })).status).toBe(201);
    const answers = [await get(s.base, '/centres', { authorization: auditor }), await get(s.base, '/counties/telemark', { authorization: auditor })].map((r) => [r.status, r.text]);
    const online = join(freshDir(), 'online.sqlite');
    // A copy taken while the server runs, with SQLite's online backup (a page-level copy of a consistent snapshot).
    const db = new Database(f, { readonly: true, fileMustExist: true });
    await db.backup(online);
    db.close();
    expect(clean((await stop(s)).end)).toBe(true);
    const copy = join(freshDir(), 'copy.sqlite');
    copyFileSync(f, copy);
    if (existsSync(`${f}-wal`)) copyFileSync(`${f}-wal`, `${copy}-wal`);
    for (const file of [copy, online]) {
      const v = await ledgerChild(['verify'], { LEDGER_SQLITE_PATH: file });
      expect([file, v.code]).toEqual([file, 0]);
      const original = await ledgerChild(['verify'], { LEDGER_SQLITE_PATH: f });
      expect(v.stdout).toBe(original.stdout.split(f).join(file));
      const b = await startServer({ LEDGER_SQLITE_PATH: file });
      try {
        const again = [await get(b.base, '/centres', { authorization: auditor }), await get(b.base, '/counties/telemark', { authorization: auditor })].map((r) => [r.status, r.text]);
        expect(again).toEqual(answers);
      } finally {
        await stop(b);
      }
    }
  }, 90_000);
});

// =============================================================================================
// 4. The CLI as an operator meets it
// =============================================================================================

describe('ledger CLI: a missing ledger and a missing file', () => {
  it('verify on a path with no ledger: exit 2, one line `no ledger at PATH`, nothing created', async () => {
    const path = join(freshDir(), 'nothing-here.sqlite');
    const r = await ledgerChild(['verify'], { LEDGER_SQLITE_PATH: path });
    expect([r.code, r.stderr.trim()]).toEqual([2, `no ledger at ${path}`]);
    expect(existsSync(path)).toBe(false);
  }, 60_000);

  it('import of a file that is not there: exit 2, `no file at PATH`, no ledger created', async () => {
    const dir = freshDir();
    const r = await ledgerChild(['import', join(dir, 'missing.jsonl')], { LEDGER_SQLITE_PATH: join(dir, 'ledger.sqlite'), LEDGER_JWT_SECRET: SECRET });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`no file at ${join(dir, 'missing.jsonl')}`);
    expect(existsSync(join(dir, 'ledger.sqlite'))).toBe(false);
  }, 60_000);

  it('a malformed setting stops the CLI too (README), with the same one line', async () => {
    const r = await ledgerChild(['verify'], { LEDGER_SQLITE_PATH: join(freshDir(), 'x.sqlite'), LEDGER_RATE_LIMIT_PER_MINUTE: '-1' });
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('LEDGER_RATE_LIMIT_PER_MINUTE');
  }, 60_000);
});
