/**
 * README claims added or changed since 428b9b3 that need the CLI or several processes on one SQLite
 * file: `ledger token`'s lifetime, a setting refused at start, `ledger replay` beside a writer
 * ('compared at position P', 'the log has since reached Q', DIFFERS), `ledger import` stopped by
 * another process holding the write lock (a real child process), an unconfirmed write, and a stored
 * checkpoint lacking a part. Each test names the README line it checks and quotes a few words.
 * The HTTP claims are in readme-claims-c.e2e-spec.ts.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { decodeJwt } from 'jose';
import { importCommand } from '../../apps/cli/src/commands/import';
import { seedCommand } from '../../apps/cli/src/commands/seed';
import { tokenCommand } from '../../apps/cli/src/commands/token';
import { StoreOutcomeUnknownError } from '../../libs/event-store/src/errors';
import { SqliteEventStore } from '../../libs/event-store/src/sqlite-event-store';
import { SnapshotWriter } from '../../libs/application/src/snapshot-writer';
import { migrate } from '../../libs/event-store/src/sqlite-schema';
import { cliHarness } from '../helpers/cli-harness';
import { centreLine, headOf, jsonl, whileAppendFails } from '../helpers/import-lines';
import { LISTENING_LINE, ledgerChild } from '../helpers/ledger-child';

const ROOT = resolve(__dirname, '../..');
const REGISTER = join(ROOT, 'test/helpers/swc-register.js');
const SECRET = 'readme-claims-c-secret-of-some-length';
const { root, out, err, run, freshLedger } = cliHarness('readme-claims-c-');

const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const env = (path: string, more: Record<string, string> = {}) => ({ LEDGER_SQLITE_PATH: path, LEDGER_JWT_SECRET: SECRET, LEDGER_JWT_MAX_HOURS: '', ...more });
/** A fresh SQLite ledger seeded by `ledger seed` (19 counties). */
const seededLedger = async (name: string): Promise<string> => {
  const dir = mkdtempSync(join(root, `${name}-`));
  const path = join(dir, 'ledger.sqlite');
  const r = await ledgerChild(['seed'], env(path));
  expect(r.code).toBe(0);
  return path;
};
/** Appends centre registrations straight to the file, as another process would (its own connection). */
const registerCentres = async (path: string, ids: string[]): Promise<void> => {
  const s = new SqliteEventStore({ path });
  try {
    for (const id of ids) {
      await s.append(`centre-${id}`, [{ eventId: randomUUID(), type: 'CentreRegistered', schemaVersion: 1, data: { centreId: id, countyId: 'telemark', name: `Other ${id}`, municipality: 'Skien', openedOn: '2014-03-01' }, metadata: { actorId: 'other-process', actorRole: 'admin', correlationId: randomUUID(), causationId: null, idempotencyKey: null } }], 'no_stream');
    }
  } finally {
    await s.close();
  }
};

/** `ledger ARGS` as a child, streaming what it prints (so a test can act on a line before it exits). */
const ledgerStreaming = (args: string[], e: Record<string, string>) => {
  const clean = { ...process.env };
  for (const k of Object.keys(clean)) if (k.startsWith('LEDGER_') || k === 'EVENTSTORE_CONNECTION_STRING') delete clean[k];
  const child = spawn(process.execPath, ['-r', REGISTER, join(ROOT, 'apps/cli/src/main.ts'), ...args], { cwd: ROOT, env: { ...clean, ...e }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number>((r) => child.on('exit', (code) => r(code ?? 1)));
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
};

describe('README claims changed since 428b9b3, checked with the CLI and several processes (int)', () => {
  // ================================================================== ledger token and LEDGER_JWT_MAX_HOURS
  describe('`ledger token` (README line 90 and 1566-1567)', () => {
    beforeAll(() => {
      freshLedger('token');
    });
    const issue = async (argv: string[], maxHours?: string) => {
      if (maxHours === undefined) delete process.env.LEDGER_JWT_MAX_HOURS;
      else process.env.LEDGER_JWT_MAX_HOURS = maxHours;
      const code = await run(tokenCommand, ['token', ...argv]);
      const payload = code === 0 ? decodeJwt(out.join('').trim()) : undefined;
      return { code, lifetime: payload ? payload.exp! - payload.iat! : undefined, stderr: err.join('\n') };
    };
    afterAll(() => {
      delete process.env.LEDGER_JWT_MAX_HOURS;
    });

    it('README 1566: "`ledger token` issues 8-hour tokens": without --ttl, exp − iat is 28,800 s (setting unset and empty alike)', async () => {
      expect(await issue(['--role', 'auditor'])).toMatchObject({ code: 0, lifetime: 8 * 3600 });
      expect(await issue(['--role', 'auditor'], '')).toMatchObject({ code: 0, lifetime: 8 * 3600 });
    });

    it('README 1566: "(or as long as `LEDGER_JWT_MAX_HOURS` allows, when shorter)": with 3 the default token lives 3 h; with 48 still 8 h', async () => {
      expect(await issue(['--role', 'auditor'], '3')).toMatchObject({ code: 0, lifetime: 3 * 3600 });
      expect(await issue(['--role', 'auditor'], '48')).toMatchObject({ code: 0, lifetime: 8 * 3600 });
    });

    it('README 90: "`ledger token --ttl` refuses more" / 1567: "and refuses a longer `--ttl`": 86,401 s against the default 24 h is refused (exit 2, saying why), 86,400 s is issued', async () => {
      const refused = await issue(['--role', 'auditor', '--ttl', '86401']);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/--ttl/);
      expect(refused.stderr).toMatch(/LEDGER_JWT_MAX_HOURS/);
      expect(out).toEqual([]);
      expect(await issue(['--role', 'auditor', '--ttl', '86400'])).toMatchObject({ code: 0, lifetime: 86400 });
      expect(await issue(['--role', 'auditor', '--ttl', '172800'], '48')).toMatchObject({ code: 0, lifetime: 172800 });
      expect((await issue(['--role', 'auditor', '--ttl', '172801'], '48')).code).toBe(2);
    });

    it('README 99-102: a bad LEDGER_JWT_MAX_HOURS "stops the service (and the CLI) at start with one line naming the variable" — the CLI as a child process', async () => {
      const dir = mkdtempSync(join(root, 'cli-bad-'));
      for (const bad of ['169', '0', '24h']) {
        const r = await ledgerChild(['token', '--role', 'auditor'], env(join(dir, 'ledger.sqlite'), { LEDGER_JWT_MAX_HOURS: bad }));
        const lines = r.stderr.trim().split('\n');
        expect({ bad, code: r.code !== 0, lines: lines.length, stack: /\n\s+at /.test(r.stderr), stdout: r.stdout }).toEqual({ bad, code: true, lines: 1, stack: false, stdout: '' });
        expect(lines[0]).toMatch(new RegExp(`^LEDGER_JWT_MAX_HOURS must be a whole number from 1 to 168 \\(.*\\), not "${bad}"`));
      }
    });

    it('README 99-102: the server likewise: LEDGER_JWT_MAX_HOURS=169 stops it at start with one line naming the variable, never listening', async () => {
      const dir = mkdtempSync(join(root, 'server-bad-'));
      const clean = { ...process.env };
      for (const k of Object.keys(clean)) if (k.startsWith('LEDGER_') || k === 'PORT' || k === 'HOST') delete clean[k];
      const child = spawn(process.execPath, ['-r', REGISTER, join(ROOT, 'apps/api/src/main.ts')], {
        cwd: ROOT,
        env: { ...clean, LEDGER_SQLITE_PATH: join(dir, 'ledger.sqlite'), LEDGER_JWT_SECRET: SECRET, LEDGER_JWT_MAX_HOURS: '169', PORT: '0', HOST: '127.0.0.1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      children.push(child);
      let stdout = '';
      let stderr = '';
      child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
      child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
      const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
      expect({ code: code !== 0, listening: stdout.includes('listening'), lines: stderr.trim().split('\n').length }).toEqual({ code: true, listening: false, lines: 1 });
      expect(stderr.trim()).toMatch(/^LEDGER_JWT_MAX_HOURS must be a whole number from 1 to 168 \(.*\), not "169"/);
    });
  });

  // ================================================================== ledger replay beside a writer
  describe('`ledger replay` (README 208-214, 254)', () => {
    let path: string;
    beforeAll(async () => {
      path = await seededLedger('replay');
      // Enough events that the rebuild takes a while (another process's writes land during it).
      await registerCentres(path, Array.from({ length: 1500 }, (_, i) => `kc-bulk-${i}`));
    }, 120_000);

    it('README 210: "which it prints (`compared at position P`)", nothing written meanwhile: P is the head, no "the log has since reached", exit 0', async () => {
      const head = headOf(path);
      const r = await ledgerChild(['replay'], env(path));
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`compared at position ${head}\n`);
      expect(r.stdout).not.toContain('since reached');
      expect(r.stdout).not.toContain('DIFFERS');
    });

    it('README 211-213: "A server (or another import) recording meanwhile is therefore no difference to report; the output then adds `the log has since reached Q`" — another process writing throughout: exit 0, P < Q, and the next replay takes them in', async () => {
      const start = headOf(path);
      const replay = ledgerStreaming(['replay'], env(path));
      // Another process records, one event after another, until the replay has printed its comparison.
      const writer = new SqliteEventStore({ path });
      let n = 0;
      try {
        while (replay.child.exitCode === null && !replay.stdout().includes('compared at position')) {
          await writer.append(`centre-kc-live-${n}`, [{ eventId: randomUUID(), type: 'CentreRegistered', schemaVersion: 1, data: { centreId: `kc-live-${n}`, countyId: 'telemark', name: `Live ${n}`, municipality: 'Skien', openedOn: '2014-03-01' }, metadata: { actorId: 'server', actorRole: 'admin', correlationId: randomUUID(), causationId: null, idempotencyKey: null } }], 'no_stream');
          n++;
          await sleep(2);
        }
      } finally {
        await writer.close();
      }
      const code = await replay.exited;
      const stdout = replay.stdout();
      const m = /compared at position (\d+)(?: \(the log has since reached (\d+))?/.exec(stdout);
      expect({ code, differs: stdout.includes('DIFFERS'), compared: m !== null }).toEqual({ code: 0, differs: false, compared: true });
      const p = Number(m![1]);
      expect(p).toBeGreaterThanOrEqual(start);
      expect(n).toBeGreaterThan(0);
      // Writes landed after the live views stopped (the writer ran until the line was printed).
      expect(m![2]).toBeDefined();
      expect(Number(m![2])).toBeGreaterThan(p);
      // "those events are the next replay's"
      const next = await ledgerChild(['replay'], env(path));
      expect(next.code).toBe(0);
      expect(next.stdout).toContain(`compared at position ${headOf(path)}\n`);
    }, 120_000);

    it('README 213-214: "A view that differs at P is still `DIFFERS from the live view` (exit 1)" — the stored checkpoint of the centre directory altered', async () => {
      const head = headOf(path);
      const db = new Database(path);
      try {
        const changed = db.prepare("UPDATE projection_snapshots SET state = replace(state, 'Other kc-bulk-7\"', 'Altered kc-bulk-7\"') WHERE name = 'centre-directory' AND position = ?").run(head).changes;
        expect(changed).toBe(1);
      } finally {
        db.close();
      }
      const r = await ledgerChild(['replay'], env(path));
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/centre-directory\s+v\d+\s+DIFFERS from the live view/);
      expect(r.stdout).toContain(`compared at position ${head}`);
      expect(r.stdout.match(/DIFFERS/g)).toHaveLength(1);
    });
  });

  // ================================================================== ledger import stopped by another process
  describe('`ledger import` stopped part-way (README 224-235, 530-532)', () => {
    /**
     * A child process that waits until the ledger's head reaches `at`, then takes the write lock
     * (BEGIN IMMEDIATE, as a server's append or a sqlite3 shell would) and holds it until told.
     */
    const lockAt = (path: string, at: number) => {
      const src = `
        const D = require(${JSON.stringify(require.resolve('better-sqlite3'))});
        const db = new D(${JSON.stringify(path)});
        db.pragma('busy_timeout = 20000');
        const head = db.prepare('SELECT COALESCE(MAX(position), 0) FROM events').pluck();
        const poll = () => {
          if (head.get() >= ${at}) { db.exec('BEGIN IMMEDIATE'); console.log('LOCKED ' + head.get()); process.stdin.once('data', () => { db.exec('ROLLBACK'); db.close(); console.log('RELEASED'); process.exit(0); }); }
          else setTimeout(poll, 1);
        };
        console.log('READY');
        poll();`;
      const child = spawn(process.execPath, ['-e', src], { stdio: ['pipe', 'pipe', 'inherit'] });
      children.push(child);
      let said = '';
      child.stdout!.on('data', (c: Buffer) => (said += c.toString()));
      const heard = async (word: string, ms = 60_000) => {
        for (const t0 = Date.now(); !said.includes(word); await sleep(5)) if (Date.now() - t0 > ms) throw new Error(`no ${word}: ${said}`);
      };
      return { heard, said: () => said, release: () => child.stdin!.write('go\n'), gone: new Promise((r) => child.on('exit', r)) };
    };

    it('README 226-228 + 232-235: "`STORE.BUSY` (another process held the SQLite write lock longer than the import waits, 10 s; nothing of the line was recorded)" … "named `not applied`", "the message says another process held the ledger", "run the same file again"; the re-run goes on from that line, earlier lines "counted as `already applied earlier`"', async () => {
      const path = await seededLedger('busy');
      const base = headOf(path);
      const file = join(root, 'busy.jsonl');
      // Enough lines that the import is still running when the holder, polling the head, takes the lock,
      // even when this machine is loaded (with 60 lines a CI run once saw the import finish first).
      const lines = 800;
      const ids = Array.from({ length: lines }, (_, i) => `kc-busy-${i}`);
      writeFileSync(file, jsonl(ids.map(centreLine)));
      // The lock is taken once the import has applied at least 5 lines.
      const holder = lockAt(path, base + 5);
      await holder.heard('READY');
      const imp = ledgerStreaming(['import', file], env(path));
      let lockedSince = 0;
      let waited = 0;
      try {
        for (const deadline = Date.now() + 60_000; !imp.stderr().includes('Run the same file again') && imp.child.exitCode === null; await sleep(10)) {
          if (!lockedSince && holder.said().includes('LOCKED')) lockedSince = Date.now();
          if (Date.now() > deadline) throw new Error(`import did not stop: ${imp.stderr()}`);
        }
        waited = Date.now() - lockedSince;
      } finally {
        holder.release();
      }
      const code = await imp.exited;
      await holder.gone;
      const stderr = imp.stderr();
      const lockedAt = Number(/LOCKED (\d+)/.exec(holder.said())![1]);
      const appliedBefore = lockedAt - base;
      const stoppedLine = appliedBefore + 1;
      // The holder took the lock while the import still had lines to apply (else the check below proves nothing).
      expect(appliedBefore).toBeLessThan(lines);
      expect(code).toBe(1);
      // "longer than the import waits, 10 s" (measured from when the lock was seen taken; polled every 10 ms)
      expect(waited).toBeGreaterThanOrEqual(9_900);
      // README 528-531: "with the same code and message"
      expect(stderr).toContain(`line ${stoppedLine} (RegisterCentre) not applied: STORE.BUSY The ledger is busy with another writer; nothing was recorded. Retry in a moment.`);
      expect(stderr).toMatch(/[Aa]nother process .*held the ledger/);
      expect(stderr).toMatch(/[Rr]un the same file again/);
      expect(stderr).not.toMatch(/Fix the line/);
      // README 531-532: "running the same file again applies the rest (the lines before it are not applied twice)"
      expect(stderr).toContain('not applied twice');
      // "nothing of the line was recorded"
      expect(headOf(path)).toBe(lockedAt);
      // Run again, as told: the applied lines are recognised, the rest applied, nothing twice.
      const again = await ledgerChild(['import', file], env(path));
      expect(again.code).toBe(0);
      expect(again.stdout).toContain(`${lines} line(s): ${lines - appliedBefore} applied (${lines - appliedBefore} events), ${appliedBefore} already applied earlier.`);
      expect(headOf(path)).toBe(base + lines);
    }, 120_000);

    it('README 228-235: "on EventStoreDB, `STORE.OUTCOME_UNKNOWN` …: it is named `not applied` (`outcome unknown`), … (or the store did not confirm the write), … after the `Retry-After` seconds it names"; the re-run "goes on from the line it stopped at" (the store\'s answer simulated in process: the write not recorded)', async () => {
      const path = freshLedger('unknown');
      expect(await run(seedCommand as any, ['seed'])).toBe(0);
      const base = headOf(path);
      const file = join(root, 'unknown.jsonl');
      writeFileSync(file, jsonl([centreLine('kc-u1'), centreLine('kc-u2'), centreLine('kc-u3')]));
      // Line 2's write is not confirmed (as EventStoreDB may answer); here it was not recorded either.
      const code = await whileAppendFails('centre-kc-u', 2, (streamId) => new StoreOutcomeUnknownError(streamId, 7), () => run(importCommand, ['import', file]));
      const stderr = err.join('\n');
      expect(code).toBe(1);
      expect(stderr).toMatch(/line 2 \(RegisterCentre\) outcome unknown: STORE\.OUTCOME_UNKNOWN/);
      expect(stderr).toMatch(/did not confirm the line's write/);
      expect(stderr).toMatch(/[Rr]un the same file again after 7 s/);
      expect(stderr).not.toMatch(/Fix the line/);
      expect(headOf(path)).toBe(base + 1);
      expect(await run(importCommand, ['import', file])).toBe(0);
      expect(out.join('\n')).toContain('3 line(s): 2 applied (2 events), 1 already applied earlier.');
      expect(headOf(path)).toBe(base + 3);
    });

    it('README 225-226: "A ledger changed by another writer between dry run and apply: the line is named `refused` with the rule\'s code (fix it, then run the file again)"', async () => {
      const path = freshLedger('changed');
      expect(await run(seedCommand as any, ['seed'])).toBe(0);
      const file = join(root, 'changed.jsonl');
      writeFileSync(file, jsonl([centreLine('kc-ch1'), centreLine('kc-ch2')]));
      const original = SqliteEventStore.prototype.append;
      let other = false;
      // Between the dry run and line 2's write, another process registers kc-ch2.
      const spy = jest.spyOn(SqliteEventStore.prototype, 'append').mockImplementation(async function (this: SqliteEventStore, ...a: Parameters<SqliteEventStore['append']>) {
        if (a[0] === 'centre-kc-ch2' && !other) {
          other = true;
          await registerCentres(path, ['kc-ch2']);
        }
        return original.apply(this, a);
      });
      let code: number;
      try {
        code = await run(importCommand, ['import', file]);
      } finally {
        spy.mockRestore();
      }
      const stderr = err.join('\n');
      expect(code).toBe(1);
      expect(stderr).toMatch(/line 2 \(RegisterCentre\) refused: CENTRE\.ALREADY_REGISTERED /);
      expect(stderr).toContain('1 line(s) before it were applied');
      expect(stderr).toMatch(/Fix the line and run the file again/);
    });
  });

  // ================================================================== history snapshots and checkpoints
  describe('stored snapshots (README 1453-1468)', () => {
    it('README 1467-1468: "A stored snapshot that lacks a part its main text names is not restored: that view is folded again from position 0 (with a warning naming the snapshot and the part) and the start goes on" — the server starts, warns, and answers as before', async () => {
      const path = await seededLedger('snapshot');
      const file = join(root, 'money.jsonl');
      writeFileSync(file, jsonl([
        centreLine('kc-snap'),
        { command: 'RegisterParty', payload: { partyId: 'snap-fk', name: 'Telemark fylkeskommune', kind: 'county-authority', countyId: 'telemark' }, idempotencyKey: 'p1' },
        { command: 'RecordOperatingGrant', payload: { centreId: 'kc-snap', entryId: 'snap-e1', fiscalYear: 2014, partyId: 'snap-fk', decidedOn: '2014-03-05', amount: '1234.50' }, idempotencyKey: 'e1' },
      ]));
      const imp = await ledgerChild(['import', file], env(path));
      expect(imp.code).toBe(0);
      // A replay leaves every view's checkpoint at the head.
      expect((await ledgerChild(['replay'], env(path))).code).toBe(0);
      const head = headOf(path);
      const db = new Database(path);
      let removed: string;
      try {
        const parts = db.prepare("SELECT part FROM projection_snapshot_parts WHERE name = 'funding' AND position = ? ORDER BY part").pluck().all(head) as string[];
        expect(parts.length).toBeGreaterThan(0);
        removed = parts[0];
        db.prepare("DELETE FROM projection_snapshot_parts WHERE name = 'funding' AND position = ? AND part = ?").run(head, removed);
      } finally {
        db.close();
      }
      const clean = { ...process.env };
      for (const k of Object.keys(clean)) if (k.startsWith('LEDGER_') || k === 'PORT' || k === 'HOST') delete clean[k];
      // PORT=0: the port it took is named in its line (a port picked free beforehand could be taken meanwhile by another process).
      const server = spawn(process.execPath, ['-r', REGISTER, join(ROOT, 'apps/api/src/main.ts')], { cwd: ROOT, env: { ...clean, ...env(path), PORT: '0', HOST: '127.0.0.1', LEDGER_RATE_LIMIT_PER_MINUTE: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
      children.push(server);
      let stderr = '';
      let stdout = '';
      server.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
      server.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
      try {
        for (const t0 = Date.now(); !LISTENING_LINE.test(stdout); await sleep(25)) {
          if (server.exitCode !== null) throw new Error(`server exited: ${stderr}`);
          if (Date.now() - t0 > 60_000) throw new Error(`server did not start: ${stderr}`);
        }
        const port = Number(LISTENING_LINE.exec(stdout)![1]);
        const token = (await ledgerChild(['token', '--role', 'auditor'], env(path))).stdout.trim();
        const mix = await fetch(`http://127.0.0.1:${port}/centres/kc-snap/funding-mix/2014`, { headers: { authorization: `Bearer ${token}`, 'x-ledger-position': String(head) } });
        expect(mix.status).toBe(200);
        const body = (await mix.json()) as { total: { amount: string | null } };
        expect(body.total.amount).toBe('1234.50');
        expect(stderr).toContain(`snapshot funding@${head} has no part ${removed!}`);
        expect(stderr).toMatch(/the funding view is folded again from position 0/);
      } finally {
        server.kill('SIGTERM');
        await new Promise((r) => server.on('exit', r));
      }
    }, 120_000);

    it('README 1455-1457: "parts a crash left without a row are removed when a writer thread starts" (a snapshot with its row keeps its parts)', () => {
      const dir = mkdtempSync(join(tmpdir(), 'readme-c-orphans-'));
      try {
        const path = join(dir, 'ledger.sqlite');
        const db = new Database(path);
        db.pragma('journal_mode = WAL');
        migrate(db);
        db.prepare("INSERT INTO projection_snapshot_texts (hash, state) VALUES ('t-row', 'with a row'), ('t-crash', 'left by a crash')").run();
        db.prepare("INSERT INTO projection_snapshots (name, version, position, state, saved_at) VALUES ('history:funding', 12, 100, '{}', '2026-01-01T00:00:00.000Z')").run();
        db.prepare("INSERT INTO projection_snapshot_parts (name, position, part, hash) VALUES ('history:funding', 100, 'x', 't-row'), ('history:funding', 200, 'y', 't-crash')").run();
        const writer = new SnapshotWriter(path);
        writer.write({ name: 'history:grants', version: 7, position: 300, state: '{}', savedAt: '2026-01-01T00:00:00.000Z', parts: [['z', 'new']] }, 3);
        writer.close();
        expect(writer.failed).toBeNull();
        expect(db.prepare('SELECT name, position, part FROM projection_snapshot_parts ORDER BY position').all()).toEqual([
          { name: 'history:funding', position: 100, part: 'x' },
          { name: 'history:grants', position: 300, part: 'z' },
        ]);
        expect(db.prepare('SELECT state FROM projection_snapshot_texts ORDER BY state').pluck().all()).toEqual(['new', 'with a row']);
        db.close();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
