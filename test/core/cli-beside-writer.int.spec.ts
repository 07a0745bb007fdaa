/**
 * `ledger replay` and `ledger import` while another process writes to (or holds) the same SQLite
 * ledger file, as README's CLI section and "Another writer holding the lock" allow. The commands run
 * in process against a temp LEDGER_SQLITE_PATH (test/helpers/cli-harness.ts); the other writer is a
 * second connection on the file, and the lock is held by a real child process.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { importCommand } from '../../apps/cli/src/commands/import';
import { replayCommand } from '../../apps/cli/src/commands/replay';
import { seedCommand } from '../../apps/cli/src/commands/seed';
import { ProjectionEngine } from '../../libs/application/src/projection-engine';
import { StoreOutcomeUnknownError } from '../../libs/event-store/src/errors';
import { SqliteEventStore } from '../../libs/event-store/src/sqlite-event-store';
import { cliHarness } from '../helpers/cli-harness';

/** How long the CLI's store waits for another writer's lock before STORE.BUSY (10 s by default; shorter here). */
const mockBusyWaitMs = 300;
jest.mock('../../libs/event-store/src/create-event-store', () => {
  const actual = jest.requireActual('../../libs/event-store/src/create-event-store');
  const { SqliteEventStore: Store } = jest.requireActual('../../libs/event-store/src/sqlite-event-store');
  return { ...actual, createEventStore: (c: { store: string; sqlitePath: string }) => (c.store === 'sqlite' ? new Store({ path: c.sqlitePath, busyWaitMs: mockBusyWaitMs }) : actual.createEventStore(c)) };
});

const { root, out, err, run, freshLedger } = cliHarness('ledger-cli-beside-writer-');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const headOf = async (path: string): Promise<number> => {
  const s = new SqliteEventStore({ path });
  try {
    return await s.headPosition();
  } finally {
    await s.close();
  }
};

const centre = (id: string) => ({ command: 'RegisterCentre', payload: { centreId: id, countyId: 'telemark', name: `KC ${id}`, municipality: 'Skien', openedOn: '2014-03-01' } });
const jsonl = (lines: unknown[]): string => lines.map((l) => JSON.stringify(l)).join('\n') + '\n';

/** Another writer on the file (a connection of its own, as a server's would be) registers a centre. */
const registerElsewhere = async (path: string, id: string): Promise<void> => {
  const other = new SqliteEventStore({ path });
  try {
    const metadata = { actorId: 'someone-else', actorRole: 'admin', correlationId: `other-${id}`, causationId: null, idempotencyKey: null };
    await other.append(`centre-${id}`, [{ eventId: randomUUID(), type: 'CentreRegistered', schemaVersion: 1, data: { centreId: id, countyId: 'telemark', name: `Other ${id}`, municipality: 'Skien', openedOn: '2014-03-01' }, metadata }], 'no_stream');
  } finally {
    await other.close();
  }
};

describe('ledger replay while another process writes to the ledger', () => {
  let path: string;
  beforeAll(async () => {
    path = freshLedger('replay');
    expect(await run(seedCommand as any, ['seed'])).toBe(0);
    const file = join(root, 'replay-setup.jsonl');
    writeFileSync(file, jsonl([centre('kc-r1'), centre('kc-r2')]));
    expect(await run(importCommand, ['import', file])).toBe(0);
  });

  it('a write landing while the views are rebuilt is no difference: exit 0, every view equals the live one, the position compared is named', async () => {
    const original = ProjectionEngine.prototype.rebuild;
    let wrote = false;
    // The other writer records between the replay reading the head and its rebuild; then the CLI's live views have time to follow the log (they poll every 250 ms).
    const spy = jest.spyOn(ProjectionEngine.prototype, 'rebuild').mockImplementation(async function (this: ProjectionEngine, ...a: Parameters<ProjectionEngine['rebuild']>) {
      if (!wrote) {
        wrote = true;
        await registerElsewhere(path, 'kc-meanwhile');
        await sleep(900);
      }
      return original.apply(this, a);
    });
    const before = await headOf(path);
    let code: number;
    try {
      code = await run(replayCommand, ['replay']);
    } finally {
      spy.mockRestore();
    }
    expect(wrote).toBe(true);
    const stdout = out.join('\n');
    expect({ code, differs: out.filter((l) => l.includes('DIFFERS')) }).toEqual({ code: 0, differs: [] });
    expect(stdout).toMatch(/centre-directory\s+v\d+\s+equals the live view/);
    // The position both were compared at: where the live views stopped, the write meanwhile left for the next replay.
    expect(stdout).toContain(`compared at position ${before}`);
    expect(stdout).toContain(`the log has since reached ${before + 1}`);
    // That next replay, with nothing written meanwhile, takes it in.
    expect(await run(replayCommand, ['replay'])).toBe(0);
    expect(out.join('\n')).toContain(`compared at position ${before + 1}`);
    expect(out.join('\n')).not.toContain('the log has since reached');
  });

  it('a live view that really differs from the rebuilt one (its stored checkpoint altered) is still reported: DIFFERS for it alone, exit 1', async () => {
    const head = await headOf(path);
    // The CLI's live views are restored from the checkpoint the last replay saved at the head; alter the centre directory's.
    const db = new Database(path);
    try {
      const changed = db.prepare("UPDATE projection_snapshots SET state = replace(state, 'KC kc-r1', 'KC kc-r1 (altered)') WHERE name = 'centre-directory' AND position = ?").run(head).changes;
      expect(changed).toBe(1);
    } finally {
      db.close();
    }
    const code = await run(replayCommand, ['replay']);
    const stdout = out.join('\n');
    expect(code).toBe(1);
    expect(out.filter((l) => l.includes('DIFFERS')).map((l) => l.trim().split(/\s+/)[0])).toEqual(['centre-directory']);
    expect(stdout).toContain(`compared at position ${head}`);
  });
});

/**
 * A child process that takes the ledger's write lock (BEGIN IMMEDIATE, as a server's append or a
 * sqlite3 shell would) and keeps it until told to let go (a line on its stdin).
 */
const lockHolder = async (path: string) => {
  const child = spawn(
    process.execPath,
    ['-e', `const D = require(${JSON.stringify(require.resolve('better-sqlite3'))}); const db = new D(${JSON.stringify(path)}); db.exec('BEGIN IMMEDIATE'); console.log('LOCKED'); process.stdin.once('data', () => { db.exec('ROLLBACK'); db.close(); console.log('RELEASED'); process.exit(0); });`],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  let said = '';
  const heard = (word: string) => new Promise<void>((r) => {
    const check = () => said.includes(word) && r();
    child.stdout!.on('data', (c: Buffer) => ((said += c.toString()), check()));
    check();
  });
  const gone = new Promise((r) => child.on('exit', r));
  await heard('LOCKED');
  return {
    release: async () => {
      if (child.exitCode !== null) return;
      child.stdin!.write('release\n');
      await heard('RELEASED');
      await gone;
    },
    kill: () => child.exitCode === null && child.kill('SIGKILL'),
  };
};

describe('ledger import stopped by another process holding the ledger', () => {
  let path: string;
  beforeAll(async () => {
    path = freshLedger('import-busy');
    expect(await run(seedCommand as any, ['seed'])).toBe(0);
  });

  it('STORE.BUSY: the message says another process held the ledger and to run the same file again (nothing wrong with the line); the re-run applies the rest, nothing twice', async () => {
    const file = join(root, 'busy.jsonl');
    writeFileSync(file, jsonl([centre('kc-b1'), centre('kc-b2'), centre('kc-b3')]));
    const original = SqliteEventStore.prototype.append;
    let holder: Awaited<ReturnType<typeof lockHolder>> | undefined;
    let appends = 0;
    // Line 1 goes through; then another process takes the write lock, so line 2 waits for it and is refused; the lock is let go once it was.
    const spy = jest.spyOn(SqliteEventStore.prototype, 'append').mockImplementation(async function (this: SqliteEventStore, ...a: Parameters<SqliteEventStore['append']>) {
      if (++appends === 2) holder = await lockHolder(path);
      try {
        return await original.apply(this, a);
      } finally {
        await holder?.release();
      }
    });
    const before = await headOf(path);
    let code: number;
    try {
      code = await run(importCommand, ['import', file]);
    } finally {
      spy.mockRestore();
      holder?.kill();
    }
    const stderr = err.join('\n');
    expect(code).toBe(1);
    expect(stderr).toMatch(/line 2 \(RegisterCentre\) not applied: STORE\.BUSY /);
    expect(stderr).toMatch(/[Aa]nother process .*held the ledger's write lock/);
    expect(stderr).toContain('1 line(s) before it were applied');
    expect(stderr).toMatch(/[Rr]un the same file again/);
    expect(stderr).toContain('not applied twice');
    expect(stderr).not.toContain('Fix the line');
    expect(stderr).not.toContain('ledger changed');
    expect(await headOf(path)).toBe(before + 1);
    // Run again, as the message says: line 1 is recognised, lines 2 and 3 applied.
    expect(await run(importCommand, ['import', file])).toBe(0);
    expect(out.join('\n')).toContain('3 line(s): 2 applied (2 events), 1 already applied earlier');
    expect(await headOf(path)).toBe(before + 3);
  });

  it('STORE.OUTCOME_UNKNOWN (an EventStoreDB write not confirmed): the message says the line may have been recorded and to run the same file again after the wait it names, never recorded twice', async () => {
    const file = join(root, 'unknown.jsonl');
    writeFileSync(file, jsonl([centre('kc-u1')]));
    const spy = jest.spyOn(SqliteEventStore.prototype, 'append').mockRejectedValueOnce(new StoreOutcomeUnknownError('centre-kc-u1', 60));
    let code: number;
    try {
      code = await run(importCommand, ['import', file]);
    } finally {
      spy.mockRestore();
    }
    const stderr = err.join('\n');
    expect(code).toBe(1);
    expect(stderr).toMatch(/line 1 \(RegisterCentre\) .*STORE\.OUTCOME_UNKNOWN/);
    expect(stderr).toContain('may or may not have been recorded');
    expect(stderr).toMatch(/[Rr]un the same file again after 60 s/);
    expect(stderr).not.toContain('Fix the line');
    expect(stderr).not.toContain('ledger changed');
  });

  it('a line the rules refuse only while applying keeps the advice to fix the line (the ledger changed after the dry run)', async () => {
    const file = join(root, 'changed.jsonl');
    writeFileSync(file, jsonl([centre('kc-c1')]));
    const original = SqliteEventStore.prototype.append;
    const spy = jest.spyOn(SqliteEventStore.prototype, 'append').mockImplementationOnce(async function (this: SqliteEventStore, ...a: Parameters<SqliteEventStore['append']>) {
      await registerElsewhere(path, 'kc-c1');
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
    expect(stderr).toMatch(/line 1 \(RegisterCentre\) refused: /);
    expect(stderr).toContain('the ledger changed while it was applied');
    expect(stderr).toContain('Fix the line');
  });
});
