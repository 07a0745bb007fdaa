/**
 * Adversarial review of the `ledger` CLI as an operator and an auditor use it: `bin/ledger` (the
 * built CLI, `npm run build` first) run as a child process on real SQLite files in a temp folder.
 * Each test pins a promise of the README or `ledger --help`, or what an operator or auditor
 * obviously expects: nothing lost or recorded twice, tampering detected, no file created by a
 * read-only command, a clear message (no stack trace) and a non-zero exit on failure.
 */
import { ChildProcess, execFile, spawn } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { TokenService } from '../../apps/api/src/auth/token.service';
import { loadConfig } from '../../apps/api/src/config';
import { hashEvent } from '../../libs/event-store/src/hashing';
import { EventArray, EVENT_COLUMNS, eventOfRow } from '../../libs/event-store/src/sqlite-event-store';
import { untilListening } from '../helpers/ledger-child';

jest.setTimeout(60_000);

const ROOT = resolve(__dirname, '../..');
const BIN = join(ROOT, 'bin/ledger');
const API = join(ROOT, 'dist/apps/api/src/main.js');
const SECRET = 'cli-review-secret-of-at-least-32-bytes';

const root = mkdtempSync(join(tmpdir(), 'ledger-cli-review-'));
let dirN = 0;
const freshDir = (): string => {
  const d = join(root, `d${++dirN}`);
  mkdirSync(d, { recursive: true });
  return d;
};

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The environment of a child: this one's, less whatever would choose another ledger or secret. */
const childEnv = (env: Record<string, string>): NodeJS.ProcessEnv => {
  const clean = { ...process.env };
  for (const k of ['LEDGER_SQLITE_PATH', 'LEDGER_JWT_SECRET', 'EVENTSTORE_CONNECTION_STRING', 'LEDGER_STORE', 'LEDGER_LOG']) delete clean[k];
  return { ...clean, LEDGER_JWT_SECRET: SECRET, ...env };
};

/** `ledger ARGS` exactly as an operator runs it (bin/ledger → dist), with `env` on top. */
const ledger = (args: string[], env: Record<string, string>, options: { uid?: number; gid?: number } = {}): Promise<Run> =>
  new Promise((done) => {
    execFile(process.execPath, [BIN, ...args], { cwd: ROOT, env: childEnv(env), timeout: 30_000, ...options }, (err, stdout, stderr) =>
      done({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout, stderr }),
    );
  });

/** Terminal colours (a child's stderr may have them when the parent's environment asks for colour). */
const ANSI = new RegExp('\\u001b\\[[0-9;]*m', 'g');
/** A stack trace line (`    at fn (file:1:2)`), which no message for an operator should hold; colours are ignored. */
const STACK = { test: (s: string): boolean => /^\s+at .+:\d+:\d+\)?$/m.test(s.replace(ANSI, '')) };

const dbOf = (path: string) => new Database(path, { readonly: true, fileMustExist: true });
const count = (path: string, sql: string, ...params: unknown[]): number => {
  const db = dbOf(path);
  try {
    return (db.prepare(sql).get(...params) as { n: number }).n;
  } finally {
    db.close();
  }
};
const eventCount = (path: string): number => count(path, 'SELECT count(*) AS n FROM events');

const centre = (id: string, name = `Karrieresenteret ${id}`) => ({ centreId: id, countyId: 'telemark', name, municipality: 'Skien', openedOn: '2014-03-01' });
const line = (id: string, key?: string, name?: string): string => JSON.stringify({ command: 'RegisterCentre', payload: centre(id, name), ...(key ? { idempotencyKey: key } : {}) });

/** A seeded ledger (19 counties) in a fresh folder. */
const seededLedger = async (): Promise<{ dir: string; path: string; env: Record<string, string> }> => {
  const dir = freshDir();
  const path = join(dir, 'ledger.sqlite');
  const env = { LEDGER_SQLITE_PATH: path };
  const seed = await ledger(['seed'], env);
  expect([seed.code, seed.stderr]).toEqual([0, '']);
  return { dir, path, env };
};

const servers: ChildProcess[] = [];
afterAll(() => {
  for (const c of servers) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  rmSync(root, { recursive: true, force: true });
});

/** The built server (`node dist/apps/api/src/main.js`) on `path`. */
const startServer = async (path: string): Promise<{ child: ChildProcess; base: string; exited: Promise<unknown> }> => {
  // PORT=0: the port it took is named in its line (a port picked free beforehand could be taken meanwhile by another process).
  const child = spawn(process.execPath, [API], { cwd: ROOT, env: childEnv({ LEDGER_SQLITE_PATH: path, PORT: '0', HOST: '127.0.0.1' }), stdio: ['ignore', 'pipe', 'pipe'] });
  servers.push(child);
  const exited = new Promise((r) => child.on('exit', r));
  const port = await untilListening(child, 60_000);
  return { child, base: `http://127.0.0.1:${port}`, exited };
};

const tokens = new TokenService(loadConfig({ LEDGER_STORE: 'memory', LEDGER_JWT_SECRET: SECRET } as NodeJS.ProcessEnv));

// =============================================================================================
// ledger import: the file itself
// =============================================================================================

describe('ledger import: what is in the file', () => {
  let ledgerOf: { dir: string; path: string; env: Record<string, string> };
  beforeAll(async () => {
    ledgerOf = await seededLedger();
  });

  it('a line that is not valid UTF-8 (a Windows-1252/Latin-1 export, "Tr\\xF8ndelag") is refused naming the line; nothing recorded, no U+FFFD in the ledger', async () => {
    const { dir, path, env } = ledgerOf;
    const file = join(dir, 'latin1.jsonl');
    const good = Buffer.from(line('kc-utf8-ok') + '\n', 'utf8');
    const bad = Buffer.from(line('kc-latin1', undefined, 'Karrieresenteret Trøndelag') + '\n', 'latin1');
    writeFileSync(file, Buffer.concat([good, bad]));
    const before = eventCount(path);
    const r = await ledger(['import', file], env);
    const replacementChars = count(path, "SELECT count(*) AS n FROM events WHERE data LIKE '%' || char(65533) || '%'");
    expect({ code: r.code, recorded: eventCount(path) - before, replacementChars }).toEqual({ code: 1, recorded: 0, replacementChars: 0 });
    expect(r.stderr).toMatch(/line 2/);
    expect(STACK.test(r.stderr)).toBe(false);
  });

  it('a UTF-16 file (Excel "Unicode text", with its BOM) is rejected whole (exit 1, line named), nothing recorded', async () => {
    const { dir, path, env } = ledgerOf;
    const file = join(dir, 'utf16.jsonl');
    writeFileSync(file, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${line('kc-utf16-a')}\r\n${line('kc-utf16-b')}\r\n`, 'utf16le')]));
    const before = eventCount(path);
    const r = await ledger(['import', file], env);
    expect({ code: r.code, recorded: eventCount(path) - before }).toEqual({ code: 1, recorded: 0 });
    expect(r.stderr).toContain('rejected, nothing applied');
    expect(r.stderr).toMatch(/line 1: /);
    expect(STACK.test(r.stderr)).toBe(false);
  });

  it('two exports joined with `cat` (a BOM at the start of a middle line), CRLF, a whitespace-only last line and no final newline: every line applied once; re-run applies nothing', async () => {
    const { dir, path, env } = ledgerOf;
    const a = '\uFEFF' + [line('kc-cat-1'), line('kc-cat-2', 'cat-2')].join('\r\n') + '\r\n';
    const b = '\uFEFF' + [line('kc-cat-3'), line('kc-cat-4', 'cat-4'), '  \t '].join('\r\n');
    const file = join(dir, 'joined.jsonl');
    writeFileSync(file, a + b);
    const before = eventCount(path);
    const first = await ledger(['import', file], env);
    expect([first.code, first.stderr]).toEqual([0, '']);
    expect(first.stdout).toContain('4 line(s): 4 applied (4 events), 0 already applied earlier');
    const again = await ledger(['import', file], env);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('0 applied (0 events), 4 already applied earlier');
    expect(eventCount(path) - before).toBe(4);
    expect(count(path, "SELECT count(*) AS n FROM events WHERE stream_id LIKE 'centre-kc-cat-%'")).toBe(4);
  });

  it('a file the operator may not read (mode 000, run as an unprivileged user): exit 2, "cannot be read: permission denied", no ledger created', async () => {
    const dir = freshDir();
    chmodSync(dir, 0o777);
    const file = join(dir, 'secret.jsonl');
    writeFileSync(file, line('kc-unreadable') + '\n');
    chmodSync(file, 0o000);
    const path = join(dir, 'ledger.sqlite');
    // As root the mode would not stop a read: run as nobody then.
    const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const r = await ledger(['import', file], { LEDGER_SQLITE_PATH: path }, asNobody);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(`${file} cannot be read: permission denied`);
    expect(existsSync(path)).toBe(false);
  });

  it('a line edited after the file was applied, keeping its idempotencyKey: refused (IDEMPOTENCY_KEY_REUSED, naming the line), never silently "already applied"', async () => {
    const { dir, path, env } = ledgerOf;
    const file = join(dir, 'edited.jsonl');
    writeFileSync(file, [line('kc-edit-1', 'edit-1'), line('kc-edit-2', 'edit-2', 'KC Porsgrunn')].join('\n') + '\n');
    expect((await ledger(['import', file], env)).code).toBe(0);
    // The operator corrects the name on line 2 and runs the file again, key unchanged.
    writeFileSync(file, [line('kc-edit-1', 'edit-1'), line('kc-edit-2', 'edit-2', 'KC Porsgrunn (corrected)')].join('\n') + '\n');
    const before = eventCount(path);
    const r = await ledger(['import', file], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/line 2: IDEMPOTENCY_KEY_REUSED/);
    expect(r.stdout).not.toContain('already applied earlier');
    expect(eventCount(path)).toBe(before);
  });

  it('the same file imported twice at the same moment (two operators, or cron overlapping): every line recorded exactly once, each run exits 0 or 1 with a message, no stack trace', async () => {
    const { dir, path, env } = ledgerOf;
    const file = join(dir, 'twice.jsonl');
    const n = 60;
    writeFileSync(file, Array.from({ length: n }, (_, i) => line(`kc-twice-${i}`, i % 2 ? `twice-${i}` : undefined)).join('\n') + '\n');
    const runs = await Promise.all([ledger(['import', file], env), ledger(['import', file], env)]);
    for (const r of runs) {
      expect([0, 1]).toContain(r.code);
      expect(STACK.test(r.stderr)).toBe(false);
    }
    expect(runs.some((r) => r.code === 0)).toBe(true);
    const perStream = count(path, "SELECT max(c) AS n FROM (SELECT count(*) AS c FROM events WHERE stream_id LIKE 'centre-kc-twice-%' GROUP BY stream_id)");
    expect({ streams: count(path, "SELECT count(DISTINCT stream_id) AS n FROM events WHERE stream_id LIKE 'centre-kc-twice-%'"), perStream }).toEqual({ streams: n, perStream: 1 });
    const again = await ledger(['import', file], env);
    expect(again.stdout).toContain(`0 applied (0 events), ${n} already applied earlier`);
  });
});

// =============================================================================================
// ledger import killed part-way, while the server runs on the same file
// =============================================================================================

describe('ledger import killed part-way (SIGKILL) while the HTTP server runs on the same file', () => {
  it('the re-run applies only the rest, once; the server reads every centre; verify (server still running) is OK', async () => {
    const { dir, path, env } = await seededLedger();
    const server = await startServer(path);
    try {
      const n = 400;
      const file = join(dir, 'big.jsonl');
      // Half with keys of their own, half with keys derived from their content.
      writeFileSync(file, Array.from({ length: n }, (_, i) => line(`kc-kill-${i}`, i % 2 ? `kill-${i}` : undefined)).join('\n') + '\n');
      const centres = () => count(path, "SELECT count(*) AS n FROM events WHERE stream_id LIKE 'centre-kc-kill-%'");
      const child = spawn(process.execPath, [BIN, 'import', file], { cwd: ROOT, env: childEnv(env), stdio: 'ignore' });
      const exited = new Promise<void>((r) => child.on('exit', () => r()));
      let killedAt = -1;
      const deadline = Date.now() + 30_000;
      while (child.exitCode === null && Date.now() < deadline) {
        const c = centres();
        if (c >= 10) {
          child.kill('SIGKILL');
          killedAt = c;
          break;
        }
        await new Promise((r) => setTimeout(r, 5));
      }
      await exited;
      const applied = centres();
      // The kill landed part-way (otherwise this test proves less, but must still hold).
      expect(killedAt).toBeGreaterThan(0);
      expect(applied).toBeLessThan(n);

      const rerun = await ledger(['import', file], env);
      expect([rerun.code, rerun.stderr]).toEqual([0, '']);
      expect(rerun.stdout).toContain(`${n} line(s): ${n - applied} applied (${n - applied} events), ${applied} already applied earlier`);
      expect(centres()).toBe(n);
      expect(count(path, "SELECT count(DISTINCT stream_id) AS n FROM events WHERE stream_id LIKE 'centre-kc-kill-%'")).toBe(n);

      const head = count(path, 'SELECT max(position) AS n FROM events');
      const auth = `Bearer ${await tokens.issue({ sub: 'auditor-1', name: 'Auditor', roles: ['admin'], counties: [] })}`;
      for (const id of ['kc-kill-0', `kc-kill-${n - 1}`]) {
        const res = await fetch(`${server.base}/centres/${id}`, { headers: { authorization: auth, 'x-ledger-position': String(head) } });
        expect([id, res.status]).toEqual([id, 200]);
      }
      const v = await ledger(['verify', '--json'], env);
      expect(v.code).toBe(0);
      expect(JSON.parse(v.stdout)).toMatchObject({ ok: true, eventsChecked: head, headPosition: head });
    } finally {
      server.child.kill('SIGKILL');
      await server.exited;
    }
  });
});

// =============================================================================================
// ledger verify on a live SQLite ledger changed behind the ledger's back
// =============================================================================================

describe('ledger verify: a SQLite ledger changed with sqlite3', () => {
  let base: string;
  let baseDir: string;
  let kept: { position: number; digest: string };
  beforeAll(async () => {
    const l = await seededLedger();
    base = l.path;
    baseDir = l.dir;
    const file = join(l.dir, 'history.jsonl');
    const rename = (id: string, name: string, from: string) => JSON.stringify({ command: 'RenameCentre', payload: { centreId: id, name, effectiveFrom: from }, idempotencyKey: `rn-${id}-${from}` });
    writeFileSync(file, [line('kc-t-1', 'reg-kc-t-1'), line('kc-t-2', 'reg-kc-t-2'), rename('kc-t-1', 'KC Skien sentrum', '2015-01-01'), rename('kc-t-2', 'KC Notodden', '2015-01-01'), rename('kc-t-1', 'KC Skien', '2016-01-01')].join('\n') + '\n');
    const r = await ledger(['import', file], l.env);
    expect(r.code).toBe(0);
    const v = await ledger(['verify'], l.env);
    expect(v.code).toBe(0);
    const m = /digest at position (\d+): ([0-9a-f]{64})/.exec(v.stdout)!;
    kept = { position: Number(m[1]), digest: m[2] };
  });

  let copyN = 0;
  /** A copy of the intact ledger with `change` applied through a plain read-write connection. */
  const tampered = (change: (db: Database.Database) => void): string => {
    const path = join(baseDir, `copy-${++copyN}.sqlite`);
    copyFileSync(base, path);
    const db = new Database(path);
    change(db);
    db.close();
    return path;
  };
  const verifyJson = async (path: string, ...extra: string[]) => {
    const r = await ledger(['verify', '--json', ...extra], { LEDGER_SQLITE_PATH: path });
    return { code: r.code, report: r.stdout ? JSON.parse(r.stdout) : null, stderr: r.stderr };
  };
  const positionOf = (db: Database.Database, streamId: string, revision: number): number => (db.prepare('SELECT position FROM events WHERE stream_id = ? AND revision = ?').get(streamId, revision) as { position: number }).position;

  it('data, metadata or recorded_at of one row changed: exit 1, that stream and position named as content-altered', async () => {
    const cases: [string, string][] = [
      ['data', "UPDATE events SET data = replace(data, 'KC Notodden', 'KC Nottoden') WHERE stream_id = 'centre-kc-t-2' AND revision = 1"],
      ['metadata', "UPDATE events SET metadata = replace(metadata, 'ledger-cli', 'board-chair') WHERE stream_id = 'centre-kc-t-2' AND revision = 1"],
      ['recorded_at', "UPDATE events SET recorded_at = '2014-01-01T00:00:00.000Z' WHERE stream_id = 'centre-kc-t-2' AND revision = 1"],
    ];
    let position = 0;
    const results = await Promise.all(
      cases.map(async ([what, sql]) => {
        const path = tampered((db) => {
          position = positionOf(db, 'centre-kc-t-2', 1);
          expect(db.prepare(sql).run().changes).toBe(1);
        });
        const { code, report } = await verifyJson(path);
        return { what, code, ok: report.ok, firstBadPosition: report.firstBadPosition, stream: report.brokenStreams[0]?.streamId, reasons: report.brokenStreams[0]?.reasons };
      }),
    );
    for (const r of results) expect(r).toEqual({ what: r.what, code: 1, ok: false, firstBadPosition: position, stream: 'centre-kc-t-2', reasons: ['content-altered'] });
  });

  it('a row deleted from the middle, or two rows swapped in position: exit 1, the position named', async () => {
    let middle = 0;
    const deleted = tampered((db) => {
      middle = positionOf(db, 'centre-kc-t-1', 1);
      db.prepare('DELETE FROM events WHERE position = ?').run(middle);
    });
    let a = 0;
    let b = 0;
    const swapped = tampered((db) => {
      a = positionOf(db, 'centre-kc-t-1', 0);
      b = positionOf(db, 'centre-kc-t-2', 0);
      db.prepare('UPDATE events SET position = -1 WHERE position = ?').run(a);
      db.prepare('UPDATE events SET position = ? WHERE position = ?').run(a, b);
      db.prepare('UPDATE events SET position = ? WHERE position = -1').run(b);
    });
    const [d, s] = await Promise.all([verifyJson(deleted), verifyJson(swapped)]);
    expect({ code: d.code, first: d.report.firstBadPosition, missing: d.report.logProblems.map((p: { kind: string }) => p.kind) }).toEqual({ code: 1, first: middle, missing: ['missing-positions', 'idempotency-mismatch'] }); // and its receipt names the event that is gone
    expect({ code: s.code, first: s.report.firstBadPosition, streams: s.report.brokenStreams.map((x: { streamId: string }) => x.streamId).sort() }).toEqual({ code: 1, first: Math.min(a, b), streams: ['centre-kc-t-1', 'centre-kc-t-2'] });
  });

  it('against the digest kept earlier: a last event rewritten with its hash recomputed, or the last row deleted, is caught (exit 1, "does NOT match")', async () => {
    const rehashed = tampered((db) => {
      const row = db.prepare(`SELECT ${EVENT_COLUMNS} FROM events ORDER BY position DESC LIMIT 1`).raw(true).get() as EventArray;
      const e = eventOfRow(row);
      const forged = { ...e, data: { ...(e.data as object), name: 'KC Forged' } };
      const hash = hashEvent(forged, true);
      db.prepare('UPDATE events SET data = ?, hash = ? WHERE position = ?').run(JSON.stringify(forged.data), hash, e.position);
    });
    const truncated = tampered((db) => void db.prepare('DELETE FROM events WHERE position = (SELECT max(position) FROM events)').run());
    const args = ['--digest', kept.digest, '--position', String(kept.position)];
    const [r, t, intact] = await Promise.all([verifyJson(rehashed, ...args), verifyJson(truncated, ...args), verifyJson(base, ...args)]);
    expect(intact.code).toBe(0);
    expect({ code: r.code, matches: r.report.digest.matches }).toEqual({ code: 1, matches: false });
    expect({ code: t.code, matches: t.report.digest.matches }).toEqual({ code: 1, matches: false });
    const plain = await ledger(['verify', ...args], { LEDGER_SQLITE_PATH: rehashed });
    expect(plain.stdout).toContain(`digest at position ${kept.position} does NOT match`);
  });

  it('a duplicate key injected into a row\'s stored JSON (JSON.parse keeps the last, SQLite\'s json_extract the first): exit 1', async () => {
    const path = tampered((db) => {
      db.prepare("UPDATE events SET data = replace(data, '{\"centreId\"', '{\"name\":\"KC Forged\",\"centreId\"') WHERE stream_id = 'centre-kc-t-2' AND revision = 0").run();
    });
    const db = dbOf(path);
    const seenBySql = (db.prepare("SELECT json_extract(data, '$.name') AS name FROM events WHERE stream_id = 'centre-kc-t-2' AND revision = 0").get() as { name: string }).name;
    db.close();
    expect(seenBySql).toBe('KC Forged');
    const { code, report } = await verifyJson(path);
    expect({ code, ok: report.ok }).toEqual({ code: 1, ok: false });
  });

  it('an idempotency row changed (its receipt now names another position and event): exit 1', async () => {
    const path = tampered((db) => {
      const other = db.prepare("SELECT position, event_id FROM events WHERE stream_id = 'county-telemark'").get() as { position: number; event_id: string };
      const row = db.prepare("SELECT result FROM idempotency_receipts WHERE key = 'reg-kc-t-2'").get() as { result: string };
      const receipt = JSON.parse(row.result);
      const forged = { ...receipt, position: other.position, eventIds: [other.event_id] };
      expect(db.prepare("UPDATE idempotency_receipts SET result = ? WHERE key = 'reg-kc-t-2'").run(JSON.stringify(forged)).changes).toBe(1);
    });
    const { code, report } = await verifyJson(path);
    expect({ code, ok: report.ok }).toEqual({ code: 1, ok: false });
  });
});

// =============================================================================================
// Read-only commands on something that is not a ledger; the files they leave
// =============================================================================================

describe('verify / export / replay: a ledger that is not there, or not a ledger', () => {
  it('replay of a ledger path that does not exist: exit 2 "no ledger at PATH", as verify and export; no file or folder created', async () => {
    const dir = freshDir();
    const path = join(dir, 'typo', 'ledgr.sqlite');
    const r = await ledger(['replay'], { LEDGER_SQLITE_PATH: path });
    expect({ code: r.code, made: existsSync(join(dir, 'typo')) }).toEqual({ code: 2, made: false });
    expect(r.stderr).toContain(`no ledger at ${path}`);
  });

  it('LEDGER_SQLITE_PATH naming a folder: verify and export exit 2 naming the path (not "disk I/O error", not verify\'s "not intact" 1); no export written', async () => {
    const dir = freshDir();
    const folder = join(dir, 'ledger.sqlite');
    mkdirSync(folder);
    const to = join(dir, 'export');
    const [v, e] = await Promise.all([ledger(['verify'], { LEDGER_SQLITE_PATH: folder }), ledger(['export', '--to', to], { LEDGER_SQLITE_PATH: folder })]);
    for (const r of [v, e]) {
      expect({ code: r.code, namesPath: r.stderr.includes(folder) }).toEqual({ code: 2, namesPath: true });
      expect(r.stderr).not.toMatch(/disk I\/O error|SQLITE_/);
    }
    expect(existsSync(to)).toBe(false);
  });

  it('a file of another format (text, empty, another program\'s SQLite database): verify and export exit 2 naming the path; the file unchanged, no export written', async () => {
    const dir = freshDir();
    const text = join(dir, 'notes.sqlite');
    writeFileSync(text, '{"this is": "not a ledger"}\n');
    const empty = join(dir, 'empty.sqlite');
    writeFileSync(empty, '');
    const foreign = join(dir, 'crm.sqlite');
    const db = new Database(foreign);
    db.exec("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO customers (name) VALUES ('Kari')");
    db.close();
    const results: { file: string; cmd: string; code: number | null; namesPath: boolean; stack: boolean }[] = [];
    for (const file of [text, empty, foreign]) {
      const before = readFileSync(file);
      const to = join(dir, `export-of-${results.length}`);
      const [v, e] = await Promise.all([ledger(['verify'], { LEDGER_SQLITE_PATH: file }), ledger(['export', '--to', to], { LEDGER_SQLITE_PATH: file })]);
      results.push({ file, cmd: 'verify', code: v.code, namesPath: v.stderr.includes(file), stack: STACK.test(v.stderr) });
      results.push({ file, cmd: 'export', code: e.code, namesPath: e.stderr.includes(file), stack: STACK.test(e.stderr) });
      expect(readFileSync(file).equals(before)).toBe(true);
      expect(existsSync(to)).toBe(false);
    }
    expect(results).toEqual(results.map((r) => ({ ...r, code: 2, namesPath: true, stack: false })));
  });

  it('import, seed and replay on a folder or a non-database file: one line naming the path, non-zero exit, no stack trace; the file not overwritten', async () => {
    const dir = freshDir();
    const folder = join(dir, 'a-folder.sqlite');
    mkdirSync(folder);
    const text = join(dir, 'notes.sqlite');
    writeFileSync(text, 'minutes of the board meeting\n');
    const file = join(dir, 'one.jsonl');
    writeFileSync(file, line('kc-nowhere') + '\n');
    const runs = await Promise.all(
      [folder, text].flatMap((path) =>
        [['import', file], ['seed'], ['replay']].map(async (args) => ({ path, cmd: args[0], ...(await ledger(args, { LEDGER_SQLITE_PATH: path })) })),
      ),
    );
    const seen = runs.map((r) => ({ path: r.path, cmd: r.cmd, nonZero: r.code !== 0, stack: STACK.test(r.stderr), namesPath: r.stderr.includes(r.path) }));
    expect(seen).toEqual(seen.map((s) => ({ ...s, nonZero: true, stack: false, namesPath: true })));
    expect(readFileSync(text, 'utf8')).toBe('minutes of the board meeting\n');
  });

  it('verify and export leave the ledger\'s folder as they found it: no -wal or -shm file created next to a cleanly closed ledger', async () => {
    const { dir, path, env } = await seededLedger();
    const listing = () => readdirSync(dir).sort();
    const before = listing();
    const bytes = readFileSync(path);
    expect(before).toEqual(['jwt-secret', 'ledger.sqlite'].filter((f) => existsSync(join(dir, f))));
    const v = await ledger(['verify'], env);
    expect(v.code).toBe(0);
    const afterVerify = listing();
    const e = await ledger(['export', '--to', join(root, `export-${dirN}`)], env);
    expect(e.code).toBe(0);
    expect({ afterVerify, afterExport: listing() }).toEqual({ afterVerify: before, afterExport: before });
    expect(readFileSync(path).equals(bytes)).toBe(true);
  });

  it('verify and export of an auditor\'s copy (no jwt-secret beside it) create no jwt-secret either', async () => {
    const { path } = await seededLedger();
    const copyDir = freshDir();
    const copy = join(copyDir, 'ledger.sqlite');
    copyFileSync(path, copy);
    const env = { LEDGER_SQLITE_PATH: copy };
    expect((await ledger(['verify'], env)).code).toBe(0);
    expect((await ledger(['export', '--to', join(root, `export-copy-${dirN}`)], env)).code).toBe(0);
    expect(readdirSync(copyDir).sort()).toEqual(['ledger.sqlite']);
  });
});

// =============================================================================================
// --help
// =============================================================================================

describe('ledger COMMAND --help', () => {
  it('prints that command\'s usage and exits 0, as `ledger --help` does, without doing anything (no ledger created, no token printed)', async () => {
    const dir = freshDir();
    const path = join(dir, 'ledger.sqlite');
    const names = ['token', 'seed', 'replay', 'import', 'verify', 'export'];
    const runs = await Promise.all(names.map(async (cmd) => ({ cmd, ...(await ledger([cmd, '--help'], { LEDGER_SQLITE_PATH: path })) })));
    const seen = runs.map((r) => ({ cmd: r.cmd, code: r.code, usage: `${r.stdout}${r.stderr}`.includes(`usage: ledger ${r.cmd}`), complaint: /unknown option|needs/.test(r.stderr) }));
    expect(seen).toEqual(names.map((cmd) => ({ cmd, code: 0, usage: true, complaint: false })));
    expect(existsSync(path)).toBe(false);
    expect(runs.find((r) => r.cmd === 'token')!.stdout).not.toMatch(/^ey/);
  });

  it('an import file given with --help is not applied; `ledger help` prints every command (exit 0)', async () => {
    const { dir, path, env } = await seededLedger();
    const file = join(dir, 'help.jsonl');
    writeFileSync(file, line('kc-help') + '\n');
    const before = eventCount(path);
    const r = await ledger(['import', file, '--help'], env);
    expect(r.code).not.toBe(1);
    expect(eventCount(path)).toBe(before);
    const all = await ledger(['help'], env);
    expect(all.code).toBe(0);
    for (const cmd of ['token', 'seed', 'replay', 'import', 'verify', 'export']) expect(all.stderr + all.stdout).toContain(`  ${cmd}`);
  });
});
