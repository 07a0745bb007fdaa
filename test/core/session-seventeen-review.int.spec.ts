/**
 * Review of session seventeen's changes (428b9b3..HEAD), the store-level half: CommandDefinition.opensStream
 * (a new money entry decided on its presumed-empty stream, the append's no_stream the check) on SQLite,
 * beside another process holding the write lock, in a dry run and on EventStoreDB; the append
 * conditions read from the (stream_id, revision) index alone; the WAL switch asked again; the stream
 * cache probing data_version on every read; the jwt-secret written whole and linked into place;
 * `ledger token` and LEDGER_JWT_MAX_HOURS. Each check asserts what a user of the ledger would expect;
 * a failing check is a finding.
 */
import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { decodeJwt } from 'jose';
import { ConfigError, localJwtSecret } from '../../apps/api/src/config';
import { parseArgs } from '../../apps/cli/src/args';
import { tokenCommand } from '../../apps/cli/src/commands/token';
import { CommandExecutor } from '../../libs/application/src/command-executor';
import { ALL_COMMANDS, CommandRegistry } from '../../libs/application/src/command-registry';
import { dryRunImport, ImportLine } from '../../libs/application/src/import-file';
import { entryStream } from '../../libs/domain/src/funding';
import { Actor } from '../../libs/domain/src/shared';
import { EventStoreDbEventStore } from '../../libs/event-store/src/eventstoredb-event-store';
import { FakeEsdbClient } from '../../libs/event-store/src/eventstoredb-fake-client.fixture';
import { SqliteEventStore } from '../../libs/event-store/src/sqlite-event-store';

jest.setTimeout(60_000);

const root = mkdtempSync(join(tmpdir(), 'session-seventeen-int-'));
let dirN = 0;
const freshDir = (): string => mkdtempSync(join(root, `d${++dirN}-`));
const stores: { close(): Promise<void> }[] = [];
afterAll(async () => {
  for (const s of stores) await s.close().catch(() => undefined);
  rmSync(root, { recursive: true, force: true });
});

const admin: Actor = { id: 'admin-1', name: 'Admin', roles: ['admin'], counties: [], actingRole: 'admin' };
const kari: Actor = { id: 'kari', name: 'Kari', roles: ['finance-officer'], counties: ['telemark'], actingRole: 'finance-officer' };

const grant = (over: Record<string, unknown> = {}) => ({
  entryId: 'tm-2014-drift',
  centreId: 'kc-skien',
  fiscalYear: 2014,
  partyId: 'telemark-fk',
  amount: '1250000.00',
  decidedOn: '2014-01-15',
  ...over,
});

/**
 * The registry as shipped. (This review compared a shortcut, opensStream — deciding a new entry on its
 * presumed-empty stream — with the read-first path; three of its checks failed, and the shortcut was
 * withdrawn: these checks now hold the read-first behaviour it broke.)
 */
const registry = (): CommandRegistry => new CommandRegistry(ALL_COMMANDS);

/** A county, its county authority and a centre, through the command path. */
const seedLedger = async (exec: CommandExecutor): Promise<void> => {
  await exec.execute({ command: 'RegisterCounty', payload: { countyId: 'telemark', name: 'Telemark', countyNumber: '08' }, actor: admin });
  await exec.execute({ command: 'RegisterParty', payload: { partyId: 'telemark-fk', name: 'Telemark fylkeskommune', kind: 'county-authority', countyId: 'telemark' }, actor: admin });
  await exec.execute({ command: 'RegisterCentre', payload: { centreId: 'kc-skien', countyId: 'telemark', name: 'Skien', municipality: 'Skien', openedOn: '2009-01-01' }, actor: admin });
};

/** The answer a command gets: the event types it recorded, or the code it was refused with. */
const answer = (exec: CommandExecutor, payload: object, idempotencyKey?: string) =>
  exec.execute({ command: 'RecordOperatingGrant', payload, actor: kari, ...(idempotencyKey ? { idempotencyKey } : {}) }).then(
    (o) => ({ ok: o.events.map((e) => e.type), replayed: o.replayed }),
    (e: { code?: string; message?: string }) => ({ refused: e.code ?? String(e.message) }),
  );

const sqliteStore = (path: string, busyWaitMs?: number): SqliteEventStore => {
  const s = new SqliteEventStore({ path, ...(busyWaitMs === undefined ? {} : { busyWaitMs }) });
  stores.push(s);
  return s;
};

// ---------------------------------------------------------------------------------------------------
// opensStream (handle-command.ts): a new money entry decided on its presumed-empty stream
// ---------------------------------------------------------------------------------------------------

describe('a new money entry on SQLite (the withdrawn opensStream shortcut\'s cases)', () => {
  it('a duplicate id under a new Idempotency-Key is ENTRY.ALREADY_EXISTS and leaves no receipt under that key; the first key still answers the first entry', async () => {
    const store = sqliteStore(join(freshDir(), 'ledger.sqlite'));
    const exec = new CommandExecutor(store, registry(), null);
    await seedLedger(exec);
    expect(await answer(exec, grant(), 'k-first')).toEqual({ ok: ['OperatingGrantRecorded'], replayed: false });
    expect(await answer(exec, grant({ amount: '7.00' }), 'k-second')).toEqual({ refused: 'ENTRY.ALREADY_EXISTS' });
    expect(await store.findIdempotency('k-second', kari.id)).toBeNull();
    // The same key again with a corrected body (another id) is free: the refused request did not take it.
    expect(await answer(exec, grant({ entryId: 'tm-2014-drift-b', amount: '7.00' }), 'k-second')).toEqual({ ok: ['OperatingGrantRecorded'], replayed: false });
    expect(await answer(exec, grant(), 'k-first')).toEqual({ ok: [], replayed: true });
    expect(await store.readStream(entryStream('tm-2014-drift'))).toHaveLength(1);
  });

  it('an id that differs only in case is another entry (its own stream), as before: both recorded, neither refused', async () => {
    const store = sqliteStore(join(freshDir(), 'ledger.sqlite'));
    const exec = new CommandExecutor(store, registry(), null);
    await seedLedger(exec);
    expect(await answer(exec, grant({ entryId: 'TM-A' }))).toEqual({ ok: ['OperatingGrantRecorded'], replayed: false });
    expect(await answer(exec, grant({ entryId: 'tm-a' }))).toEqual({ ok: ['OperatingGrantRecorded'], replayed: false });
    // And again in the first case: refused, whichever path.
    expect(await answer(exec, grant({ entryId: 'TM-A' }))).toEqual({ refused: 'ENTRY.ALREADY_EXISTS' });
  });

  it('a new id in the stream of a corrected entry (`<id>` after `<id>` was corrected: stream funding-entry-<id> holds <id> and <id>.c1) is ENTRY.ALREADY_EXISTS, as when read first', async () => {
    const store = sqliteStore(join(freshDir(), 'ledger.sqlite'));
    const exec = new CommandExecutor(store, registry(), null);
    await seedLedger(exec);
    await answer(exec, grant());
    await exec.execute({ command: 'CorrectEntry', payload: { entryId: 'tm-2014-drift', centreId: 'kc-skien', reason: 'wrong amount', amount: '1300000.00' }, actor: kari });
    expect([await answer(exec, grant()), (await store.readStream(entryStream('tm-2014-drift'))).map((e) => e.type)]).toEqual([{ refused: 'ENTRY.ALREADY_EXISTS' }, ['OperatingGrantRecorded', 'EntryReversed', 'OperatingGrantRecorded']]);
  });

  it('beside another process holding the write lock, a duplicate id is refused ENTRY.ALREADY_EXISTS at once (a read needs no lock in WAL), as on the read-first path, not made to wait for the lock and answered 503 STORE.BUSY', async () => {
    const path = join(freshDir(), 'ledger.sqlite');
    // busyWaitMs 400: an append that finds the lock held is refused STORE.BUSY after 0.4 s (the default is 10 s).
    const store = sqliteStore(path, 400);
    const exec = new CommandExecutor(store, registry(), null);
    await seedLedger(exec);
    expect(await answer(exec, grant())).toEqual({ ok: ['OperatingGrantRecorded'], replayed: false });
    // Another process (here another connection: a backup, a sqlite3 shell, `ledger import`) holds the write lock.
    const other = new Database(path);
    other.exec('BEGIN IMMEDIATE');
    try {
      // (opensStream made the duplicate's append wait for the lock, busyWaitMs here, 10 s by default, then 503.)
      expect(await answer(exec, grant({ amount: '7.00' }))).toEqual({ refused: 'ENTRY.ALREADY_EXISTS' });
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
  });
});

describe('a new money entry in a dry run (ledger import checks the whole file on a DryRunStore)', () => {
  it('two lines recording one id: the dry run names the second ENTRY.ALREADY_EXISTS; a line whose id is already in the ledger is named too; nothing reaches the ledger', async () => {
    const store = sqliteStore(join(freshDir(), 'ledger.sqlite'));
    const exec = new CommandExecutor(store, registry(), null);
    await seedLedger(exec);
    await answer(exec, grant({ entryId: 'already' }));
    const head = await store.headPosition();
    const line = (n: number, payload: object): ImportLine => ({ line: n, command: 'RecordOperatingGrant', payload, idempotencyKey: `dry-${n}` });
    const problems = await dryRunImport(store, registry(), [line(1, grant({ entryId: 'new-one' })), line(2, grant({ entryId: 'new-one', amount: '5.00' })), line(3, grant({ entryId: 'already' }))], kari);
    expect(problems.map((p) => [p.line, p.code])).toEqual([
      [2, 'ENTRY.ALREADY_EXISTS'],
      [3, 'ENTRY.ALREADY_EXISTS'],
    ]);
    expect(await store.headPosition()).toBe(head);
    expect(await store.readStream(entryStream('new-one'))).toEqual([]);
  });
});

describe('a new money entry on EventStoreDB (FakeEsdbClient)', () => {
  /** The appends the adapter sent to idempotency claim streams while `f` ran. */
  const claimWrites = async (server: FakeEsdbClient, f: () => Promise<unknown>): Promise<string[]> => {
    const from = server.appends.length;
    await f();
    return server.appends.slice(from).map((a) => a.streamName).filter((s) => s.startsWith('ledger_idempotency'));
  };

  it('answers equal the read-first path: a duplicate is ENTRY.ALREADY_EXISTS, recorded once, and its key stays free', async () => {
    const server = new FakeEsdbClient();
    const store = new EventStoreDbEventStore(server);
    stores.push(store);
    const exec = new CommandExecutor(store, registry(), null);
    await seedLedger(exec);
    await answer(exec, grant(), 'esdb-first');
    const got = await answer(exec, grant({ amount: '7.00' }), 'esdb-second');
    expect([got, (await store.readStream(entryStream('tm-2014-drift'))).length, await store.findIdempotency('esdb-second', kari.id)]).toEqual([{ refused: 'ENTRY.ALREADY_EXISTS' }, 1, null]);
  });

  it('a refused duplicate "does not claim its key" (README, Idempotency): nothing is written to its claim stream, as on the read-first path (which wrote nothing at all)', async () => {
    const server = new FakeEsdbClient();
    const store = new EventStoreDbEventStore(server);
    stores.push(store);
    const exec = new CommandExecutor(store, registry(), null);
    await seedLedger(exec);
    await answer(exec, grant(), 'esdb-first');
    // (opensStream's no_stream append claimed the key, was refused by the revision check, then released it: two writes.)
    expect(await claimWrites(server, () => answer(exec, grant({ amount: '7.00' }), 'esdb-dup'))).toEqual([]);
  });

  it('one lost write (the release of that needless claim fails, a connection blip) turns a plain duplicate into 409 IDEMPOTENCY_KEY_IN_FLIGHT after ~2 s, for it and its retries, where the read-first path answers ENTRY.ALREADY_EXISTS at once', async () => {
    {
      const server = new FakeEsdbClient();
      const store = new EventStoreDbEventStore(server);
      stores.push(store);
      const exec = new CommandExecutor(store, registry(), null);
      await seedLedger(exec);
      await answer(exec, grant(), 'esdb-first');
      // Every write to a claim stream under an expected revision (a release or an answer) is lost once.
      let lost = 0;
      server.beforeAppend = (streamName, options) => {
        if (streamName.startsWith('ledger_idempotency') && typeof options.expectedRevision === 'bigint' && lost === 0) {
          lost++;
          throw Object.assign(new Error('14 UNAVAILABLE: connection reset'), { code: 14 });
        }
      };
      // (opensStream: each answer came after ~2 s of polling the unanswered claim; for a minute, until it was stale.)
      const got = await answer(exec, grant({ amount: '7.00' }), 'esdb-blip');
      const retry = await answer(exec, grant({ amount: '7.00' }), 'esdb-blip');
      expect({ got, retry }).toEqual({ got: { refused: 'ENTRY.ALREADY_EXISTS' }, retry: { refused: 'ENTRY.ALREADY_EXISTS' } });
    }
  });
});

// ---------------------------------------------------------------------------------------------------
// SQLite: the covering-index condition query, the WAL switch, the stream cache's data_version probe
// ---------------------------------------------------------------------------------------------------

describe('SQLite append conditions read a revision from the (stream_id, revision) index alone', () => {
  it('the condition query is answered by a covering index, and the revision it reads is right for a missing stream, revision 0 and revision n', async () => {
    const store = sqliteStore(join(freshDir(), 'ledger.sqlite'));
    const plan = store.db.prepare('EXPLAIN QUERY PLAN SELECT revision FROM events WHERE stream_id = ? ORDER BY revision DESC LIMIT 1').all('x') as { detail: string }[];
    expect(plan.map((r) => r.detail).join(' | ')).toMatch(/COVERING INDEX/);
    const ev = (type: string) => ({ eventId: `e-${type}-${Math.random()}`, type, data: {}, schemaVersion: 1, metadata: { actorId: 'a', actorRole: 'admin', correlationId: 'c', causationId: null, idempotencyKey: null } });
    await store.append('one', [ev('A')], 'no_stream');
    await store.append('three', [ev('A'), ev('B'), ev('C')], 'no_stream');
    const tryWith = (streams: { streamId: string; revision: number }[]) =>
      store.append(`own-${Math.random()}`, [ev('D')], 'no_stream', undefined, { streams, nothingAfter: [] }).then(
        () => 'appended',
        (e: Error) => e.name,
      );
    expect(await tryWith([{ streamId: 'one', revision: 0 }, { streamId: 'three', revision: 2 }, { streamId: 'none', revision: -1 }])).toBe('appended');
    expect(await tryWith([{ streamId: 'one', revision: -1 }])).not.toBe('appended');
    expect(await tryWith([{ streamId: 'three', revision: 1 }])).not.toBe('appended');
    expect(await tryWith([{ streamId: 'none', revision: 0 }])).not.toBe('appended');
  });
});

describe('the WAL switch asked again while another process holds the lock (useWal)', () => {
  it('a SqliteEventStore on ":memory:" (which the constructor provides for: no folder is made for it; used by the tamper and integrity specs) opens at once, as before (failed on 4b1eb71: 10 s, then "another process kept it locked"; fixed by 2cc56d5)', async () => {
    // SQLite answers `journal_mode = WAL` with "memory" for an in-memory database (WAL is not possible
    // there): that is no lock to wait for. useWal asks again for 10 s, then throws "another process kept it locked".
    const started = Date.now();
    let opened: SqliteEventStore | null = null;
    let error: string | null = null;
    try {
      opened = new SqliteEventStore({ path: ':memory:' });
      stores.push(opened);
    } catch (e) {
      error = (e as Error).message;
    }
    expect({ error, tookUnder2s: Date.now() - started < 2_000 }).toEqual({ error: null, tookUnder2s: true });
    if (opened) {
      await opened.append('s', [{ eventId: 'm-1', type: 'T', data: {}, schemaVersion: 1, metadata: { actorId: 'a', actorRole: 'admin', correlationId: 'c', causationId: null, idempotencyKey: null } }], 'no_stream');
      expect(await opened.headPosition()).toBe(1);
    }
  }, 30_000);

  it('a file that is already in WAL opens at once, and stays in WAL', () => {
    const path = join(freshDir(), 'ledger.sqlite');
    const first = sqliteStore(path);
    expect(first.db.pragma('journal_mode', { simple: true })).toBe('wal');
    const started = Date.now();
    const second = sqliteStore(path);
    expect([second.db.pragma('journal_mode', { simple: true }), Date.now() - started < 2_000]).toEqual(['wal', true]);
  });
});

describe('the stream cache looks at data_version on every read', () => {
  it('a stream cached by one connection and appended to by another is read whole right after, in the same turn of the event loop', async () => {
    const path = join(freshDir(), 'ledger.sqlite');
    const a = sqliteStore(path);
    const b = sqliteStore(path);
    const ev = (n: number) => ({ eventId: `c-${n}-${Math.random()}`, type: 'N', data: { n }, schemaVersion: 1, metadata: { actorId: 'a', actorRole: 'admin', correlationId: 'c', causationId: null, idempotencyKey: null } });
    await a.append('centre-x', [ev(1)], 'no_stream');
    expect((await a.readStream('centre-x')).length).toBe(1); // cached now
    await b.append('centre-x', [ev(2)], 0);
    // No timer or setImmediate between: the same turn.
    const seen = await a.readStream('centre-x');
    expect(seen.map((e) => (e.data as { n: number }).n)).toEqual([1, 2]);
    // And an append by this connection on top of it is checked against revision 1, not the cached 0.
    await expect(a.append('centre-x', [ev(3)], 0)).rejects.toThrow();
    await a.append('centre-x', [ev(3)], 1);
    expect((await b.readStream('centre-x')).map((e) => (e.data as { n: number }).n)).toEqual([1, 2, 3]);
  });
});

// ---------------------------------------------------------------------------------------------------
// The local jwt-secret: written whole under another name, then linked into place (config.ts)
// ---------------------------------------------------------------------------------------------------

describe('the kept jwt-secret, linked into place', () => {
  const drafts = (dir: string) => readdirSync(dir).filter((f) => f.startsWith('jwt-secret.'));

  it('a new secret: one file jwt-secret of 64 hex digits, mode 0600, no draft left beside it; read back the same by the next start', () => {
    const dir = freshDir();
    const secret = localJwtSecret(join(dir, 'ledger.sqlite'));
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    expect(readFileSync(join(dir, 'jwt-secret'), 'utf8')).toBe(secret);
    expect(statSync(join(dir, 'jwt-secret')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'jwt-secret')).nlink).toBe(1);
    expect(drafts(dir)).toEqual([]);
    expect(localJwtSecret(join(dir, 'ledger.sqlite'))).toBe(secret);
  });

  it('a draft a killed start left beside it does not stand in for the secret, and is no obstacle', () => {
    const dir = freshDir();
    // What a start killed between writing its draft and linking it leaves.
    writeFileSync(join(dir, 'jwt-secret.99999.deadbeef'), 'f'.repeat(64), { mode: 0o600 });
    const secret = localJwtSecret(join(dir, 'ledger.sqlite'));
    expect(secret).not.toBe('f'.repeat(64));
    expect(readFileSync(join(dir, 'jwt-secret'), 'utf8')).toBe(secret);
  });

  it('jwt-secret a dangling symbolic link (its target not made yet): answered at once with a ConfigError that says what is wrong, or the secret made at the target, as before; never a recursion until the stack overflows, nor drafts of the secret left in the folder', () => {
    // Before the change writeFileSync followed the link (the secret made at its target when the
    // target's folder exists, else ENOENT). Now linkSync(draft, file) fails EEXIST (the link itself
    // exists), existsSync(file) stays false (it follows the link), and localJwtSecret calls itself again, without end.
    const outcomes: unknown[] = [];
    for (const targetFolderExists of [true, false]) {
      const dir = freshDir();
      const target = targetFolderExists ? join(dir, 'target-secret') : join(dir, 'not-mounted', 'secret');
      symlinkSync(target, join(dir, 'jwt-secret'));
      let outcome: string;
      try {
        const secret = localJwtSecret(join(dir, 'ledger.sqlite'));
        outcome = existsSync(target) && readFileSync(target, 'utf8') === secret ? 'made at the target' : 'returned a secret kept nowhere';
      } catch (e) {
        const message = (e as Error).message;
        outcome = e instanceof ConfigError && !/call stack|Cannot read properties/.test(message) ? 'a ConfigError naming the problem' : `${(e as Error).constructor.name}: ${message.slice(0, 160)}`;
      }
      outcomes.push({ targetFolderExists, outcome: ['made at the target', 'a ConfigError naming the problem'].includes(outcome) ? 'fine' : outcome, draftsLeft: drafts(dir).length, linkKept: lstatSync(join(dir, 'jwt-secret')).isSymbolicLink() });
    }
    expect(outcomes).toEqual([
      { targetFolderExists: true, outcome: 'fine', draftsLeft: 0, linkKept: true },
      { targetFolderExists: false, outcome: 'fine', draftsLeft: 0, linkKept: true },
    ]);
  });
});

// ---------------------------------------------------------------------------------------------------
// `ledger token` and LEDGER_JWT_MAX_HOURS (the CLI's own default lifetime is 8 hours)
// ---------------------------------------------------------------------------------------------------

describe('ledger token under LEDGER_JWT_MAX_HOURS', () => {
  const saved = { ...process.env };
  let errors: string[];
  let printed: string[];
  beforeEach(() => {
    process.env.LEDGER_JWT_SECRET = 'session-seventeen-cli-secret-of-32-bytes!';
    process.env.LEDGER_STORE = 'memory';
    delete process.env.LEDGER_JWT_MAX_HOURS;
    errors = [];
    printed = [];
    jest.spyOn(console, 'error').mockImplementation((m: string) => void errors.push(m));
    jest.spyOn(console, 'log').mockImplementation((m: string) => void printed.push(m));
  });
  afterEach(() => {
    jest.restoreAllMocks();
    process.env = { ...saved };
  });
  const run = (...argv: string[]) => tokenCommand(parseArgs(['token', ...argv]));

  it('the bound itself: --ttl of exactly LEDGER_JWT_MAX_HOURS is issued (exp − iat = the bound), one second more is refused (exit 2)', async () => {
    process.env.LEDGER_JWT_MAX_HOURS = '2';
    expect(await run('--role', 'admin', '--ttl', '7200')).toBe(0);
    const claims = decodeJwt(printed[0]);
    expect(claims.exp! - claims.iat!).toBe(7200);
    expect(await run('--role', 'admin', '--ttl', '7201')).toBe(2);
  });

  it('LEDGER_JWT_MAX_HOURS=4 (1–168 are allowed): `ledger token --role admin`, with no --ttl, issues a token the server accepts, not "--ttl must be at most 14400 seconds" for a --ttl nobody gave', async () => {
    process.env.LEDGER_JWT_MAX_HOURS = '4';
    const code = await run('--role', 'admin');
    expect({ code, errors }).toEqual({ code: 0, errors: [] });
    const claims = decodeJwt(printed[0]);
    expect(claims.exp! - claims.iat!).toBeLessThanOrEqual(4 * 3600);
  });
});
