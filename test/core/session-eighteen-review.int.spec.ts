/**
 * Review of session eighteen's changes (d2beeee, c38290d, 0e60728, 3c72f25, ad9c1e0), the store- and
 * CLI-level half: `ledger import` naming a failure that is not the ledger's answer; as-of answers whose
 * history snapshot loses its parts before they are read (VIEWS.SNAPSHOT_REPLACED); the writer thread's
 * repair on every snapshot; a process never replacing a newer checkpoint another process saved; the
 * local jwt-secret's drafts and its empty-file wait. Each check asserts what a user of the ledger would
 * expect; a failing check is a finding.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { localJwtSecret } from '../../apps/api/src/config';
import { importCommand } from '../../apps/cli/src/commands/import';
import { seedCommand } from '../../apps/cli/src/commands/seed';
import { historyName, ProjectionEngine } from '../../libs/application/src/projection-engine';
import { MissingPartError, SqliteSnapshotStore } from '../../libs/application/src/snapshot-store';
import { EventStore } from '../../libs/event-store/src/port';
import { SqliteEventStore } from '../../libs/event-store/src/sqlite-event-store';
import { FundingView, fundingProjection } from '../../libs/projections/src/funding/funding-view';
import { Projection, skippedEvents } from '../../libs/projections/src/projection';
import { cliHarness } from '../helpers/cli-harness';

jest.setTimeout(60_000);

const root = mkdtempSync(join(tmpdir(), 'session-eighteen-review-int-'));
let dirN = 0;
const freshDir = (): string => mkdtempSync(join(root, `d${++dirN}-`));
const closers: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of closers.reverse()) await Promise.resolve(c()).catch(() => undefined);
  rmSync(root, { recursive: true, force: true });
});

const sqliteStore = (path: string): SqliteEventStore => {
  const s = new SqliteEventStore({ path });
  closers.push(() => s.close());
  return s;
};

const meta = { actorId: 't', actorRole: 'admin', correlationId: 'c', causationId: null, idempotencyKey: null };
let eventN = 0;
const event = (type: string, data: Record<string, unknown>) => ({ eventId: `rev18-${++eventN}`, type, schemaVersion: 1, data, metadata: meta });

/** The event store as it is, but `readAll` runs `before` first (once armed): another process acting between the engine's reads. */
const withBeforeReadAll = (store: SqliteEventStore, before: () => Promise<void> | void): { store: EventStore; arm: () => void } => {
  let armed = false;
  const proxy = new Proxy(store, {
    get: (t, k) => {
      if (k === 'readAll') {
        return async (...a: Parameters<SqliteEventStore['readAll']>) => {
          if (armed) {
            armed = false;
            await before();
          }
          return t.readAll(...a);
        };
      }
      const v = (t as unknown as Record<string | symbol, unknown>)[k];
      return typeof v === 'function' ? (v as (...x: unknown[]) => unknown).bind(t) : v;
    },
  });
  return { store: proxy as unknown as EventStore, arm: () => void (armed = true) };
};

// ---------------------------------------------------------------------------------------------------
// c38290d: a history snapshot's part removed before it is read (the funding view, lazily restored)
// ---------------------------------------------------------------------------------------------------

const position = (positionId: string) => ({
  positionId,
  centreId: 'kc-a',
  countyId: 'telemark',
  title: 'Adviser',
  employerKind: 'centre',
  employerPartyId: null,
  fteMilli: 1000,
  payer: { kind: 'centre' },
  annualCostOre: null,
  startedOn: '2014-02-01',
});

/**
 * Seven funding events; with history every 5 positions the engine keeps a history snapshot at 5 and
 * its live views at 7. Position 6 starts a second staff position (p2): an as-of view at 6 is the
 * snapshot at 5 with event 6 folded onto it, which reads the positions bucket of p2 (a lazy part).
 */
const fundingLedger = async (path: string) => {
  const store = sqliteStore(path);
  const events = [
    event('CountyRegistered', { countyId: 'telemark', name: 'Telemark', countyNumber: '08' }),
    event('CentreRegistered', { centreId: 'kc-a', countyId: 'telemark', name: 'KC A', openedOn: '2014-01-01' }),
    event('StaffPositionStarted', position('p1')),
    event('PartyRegistered', { partyId: 'px', name: 'X', kind: 'other', countyId: null }),
    event('PartyRegistered', { partyId: 'py', name: 'Y', kind: 'other', countyId: null }),
    event('StaffPositionStarted', position('p2')),
    event('PartyRegistered', { partyId: 'pz', name: 'Z', kind: 'other', countyId: null }),
  ];
  for (const [i, e] of events.entries()) await store.append(`rev18-s-${i}`, [e], 'no_stream');
  return store;
};

/** A newer release of the funding fold starting on the same file: it discards this version's snapshots, history included. */
const newerReleaseStarts = (path: string): void => {
  const db = new Database(path);
  try {
    new SqliteSnapshotStore(db, { background: false }).discardOtherVersions([fundingProjection.name, historyName(fundingProjection.name)], fundingProjection.version + 1);
  } finally {
    db.close();
  }
};

/** An engine folding the funding view over a fresh funding ledger (read through `readVia`, default the store), caught up to 7, history every 5 positions, stored. */
const fundingEngine = async (path: string, readVia?: (store: SqliteEventStore) => EventStore, asOfCacheSize?: number) => {
  const store = await fundingLedger(path);
  const snapshots = new SqliteSnapshotStore(store.db, { writeIntent: store.writeIntent });
  const engine = new ProjectionEngine(readVia ? readVia(store) : store, [fundingProjection], snapshots, { historyEvery: 5, ...(asOfCacheSize ? { asOfCacheSize } : {}) });
  closers.push(() => engine.stop());
  await engine.start();
  await engine.caughtUp(7);
  snapshots.flush();
  return { engine, snapshots };
};

describe('as-of answers whose history snapshot a newer release discards meanwhile (c38290d)', () => {
  it('an as-of view folded forward from a history snapshot whose parts go while the log is read is refused (MissingPartError, so 503), never answered without the events whose fold could not read its part', async () => {
    const path = join(freshDir(), 'ledger.sqlite');
    let arm = (): void => undefined;
    const { engine, snapshots } = await fundingEngine(path, (store) => {
      const staged = withBeforeReadAll(store, () => newerReleaseStarts(path));
      arm = staged.arm;
      return staged.store;
    });
    expect(snapshots.positionAtOrBefore(historyName('funding'), fundingProjection.version, 6)).toBe(5);
    const skippedBefore = skippedEvents.funding ?? 0;

    // The view at 6 starts from the history snapshot at 5 (its main text read now); the newer release
    // discards it while the engine reads event 6 from the log; folding event 6 then reads p2's bucket.
    arm();
    const outcome = await engine.viewAt<FundingView>('funding', 6).then(
      (v) => (Object.prototype.hasOwnProperty.call(v.positions, 'p2') ? 'answered with p2' : `answered WITHOUT p2 (event 6 skipped: skippedEvents.funding ${skippedBefore} -> ${skippedEvents.funding ?? 0})`),
      (e: unknown) => (e instanceof MissingPartError ? 'refused: MissingPartError' : `refused: ${String(e)}`),
    );
    expect(['refused: MissingPartError', 'answered with p2']).toContain(outcome);
  });

  it('a lazily read part that was found missing once is missing again when read a second time (the same as-of view shared by two requests), not read as an empty bucket', async () => {
    const path = join(freshDir(), 'ledger.sqlite');
    const { engine } = await fundingEngine(path, undefined, 2);
    // The view at 5 is the history snapshot itself, read lazily; two requests asking at once get the same view.
    const [first, second] = await Promise.all([engine.viewAt<FundingView>('funding', 5), engine.viewAt<FundingView>('funding', 5)]);
    expect(second).toBe(first);
    newerReleaseStarts(path);
    const read = (v: FundingView): string => {
      try {
        const p1 = v.positions.p1;
        return p1 === undefined ? 'p1 absent' : `p1 at ${p1.centreId}`;
      } catch (e) {
        return e instanceof MissingPartError ? 'MissingPartError' : String(e);
      }
    };
    // The first request's read: refused (503 VIEWS.SNAPSHOT_REPLACED), as c38290d says.
    expect(read(first)).toBe('MissingPartError');
    // The second request reads the same position: it must not be told p1 does not exist.
    expect(['MissingPartError', 'p1 at kc-a']).toContain(read(second));
  });

  it('after the refusal the same question asked again is folded from what is still stored and is right (regression check of c38290d on the funding view)', async () => {
    const path = join(freshDir(), 'ledger.sqlite');
    const { engine } = await fundingEngine(path, undefined, 2);
    const first = await engine.viewAt<FundingView>('funding', 5);
    newerReleaseStarts(path);
    expect(() => first.positions.p1).toThrow(MissingPartError);
    const again = await engine.viewAt<FundingView>('funding', 5);
    expect(again).not.toBe(first);
    expect(Object.keys(again.positions)).toEqual(['p1']);
    expect(Object.keys(again.parties).sort()).toEqual(['px', 'py']);
  });
});

// ---------------------------------------------------------------------------------------------------
// 3c72f25: a process never replaces a newer checkpoint of its fold another process saved
// ---------------------------------------------------------------------------------------------------

const counter = (name: string, version: number): Projection<{ n: number }> => ({ name, version, initial: () => ({ n: 0 }), evolve: (v) => ({ n: v.n + 1 }) });
const checkpoints = (db: Database.Database) =>
  db.prepare("SELECT name, version, position FROM projection_snapshots WHERE name NOT LIKE 'history:%' ORDER BY name, version").all() as { name: string; version: number; position: number }[];

describe('checkpoints beside another process (3c72f25)', () => {
  it('a rolling upgrade: the start of a release whose fold of one view changed stores that view it folded from 0, although the old release, stopping meanwhile, stored a newer checkpoint of the other views', async () => {
    const path = join(freshDir(), 'ledger.sqlite');
    const s1 = sqliteStore(path);
    for (let i = 1; i <= 12; i++) await s1.append(`rev18-u-${i}`, [event('Tick', { i })], 'no_stream');
    // The old release (view b at version 1) serves the file, its checkpoint at 12.
    const oldEngine = new ProjectionEngine(s1, [counter('a', 1), counter('b', 1)], new SqliteSnapshotStore(s1.db, { writeIntent: s1.writeIntent }), { historyEvery: 1_000 });
    await oldEngine.start();
    await oldEngine.caughtUp(12);
    oldEngine.saveCheckpoint();
    // The new release (b at version 2) starts: a restored at 12, b folded from 0; while it folds,
    // the old server records three more events and stops (its checkpoint at 15).
    const s2 = sqliteStore(path);
    const { store: staged, arm } = withBeforeReadAll(s2, async () => {
      for (let i = 13; i <= 15; i++) await s1.append(`rev18-u-${i}`, [event('Tick', { i })], 'no_stream');
      await oldEngine.caughtUp(15);
      await oldEngine.stop();
    });
    arm();
    const newEngine = new ProjectionEngine(staged, [counter('a', 1), counter('b', 2)], new SqliteSnapshotStore(s2.db, { writeIntent: s2.writeIntent }), { historyEvery: 1_000 });
    closers.push(() => newEngine.stop());
    await newEngine.start();
    // Its start folded b from 0 up to 12 (the subscription then goes on from there).
    expect(newEngine.view<{ n: number }>('b').n).toBeGreaterThanOrEqual(12);
    // What a crash of the new server now (or its stop before folding further) leaves for its next start:
    // b at version 2 must be stored, else that start folds b from 0 again (minutes at 1,000,000 events).
    expect(checkpoints(s2.db)).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'b', version: 2 })]));
  });

  it('saving the checkpoint while history snapshots are still on the writer thread neither deadlocks nor loses them (the newer-checkpoint check runs inside the transaction)', async () => {
    const path = join(freshDir(), 'ledger.sqlite');
    const store = sqliteStore(path);
    const parted: Projection<Record<string, number[]>> = {
      name: 'parted',
      version: 1,
      initial: () => ({}),
      evolve: (v, e) => {
        const i = (e.data as { i: number }).i;
        (v[`b${i % 4}`] ??= []).push(i);
        return v;
      },
      serialize: (v) => ({ state: JSON.stringify(Object.keys(v)), parts: Object.fromEntries(Object.entries(v).map(([k, ns]) => [k, JSON.stringify(ns)])) }),
      deserialize: (state, _purpose, part) => Object.fromEntries((JSON.parse(state) as string[]).map((k) => [k, JSON.parse(part(k)) as number[]])),
    };
    for (let i = 1; i <= 40; i++) await store.append(`rev18-h-${i}`, [event('Tick', { i })], 'no_stream');
    const snapshots = new SqliteSnapshotStore(store.db, { writeIntent: store.writeIntent });
    const engine = new ProjectionEngine(store, [parted], snapshots, { historyEvery: 1 });
    await engine.start();
    await engine.caughtUp(40);
    const started = Date.now();
    engine.saveCheckpoint();
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(checkpoints(store.db)).toEqual([{ name: 'parted', version: 1, position: 40 }]);
    expect(store.db.prepare("SELECT count(*) FROM projection_snapshots WHERE name = 'history:parted'").pluck().get()).toBe(40);
    await engine.stop();
  });
});

// ---------------------------------------------------------------------------------------------------
// d2beeee: `ledger import` and a failure that is not a DomainError
// ---------------------------------------------------------------------------------------------------

const cli = cliHarness('session-eighteen-review-cli-');
const centreLine = (id: string) => ({ command: 'RegisterCentre', payload: { centreId: id, countyId: 'telemark', name: `KC ${id}`, municipality: 'Skien', openedOn: '2014-03-01' }, idempotencyKey: `reg-${id}` });
const jsonl = (lines: unknown[]) => lines.map((l) => JSON.stringify(l)).join('\n') + '\n';

describe('`ledger import` stopped by an error that is not a DomainError (d2beeee)', () => {
  it('SQLite saying another connection holds a lock on a read (SQLITE_BUSY, not wrapped in StoreBusyError) is told as the busy ledger, as HTTP answers it (503 STORE.BUSY), not as an "unexpected error" to fix', async () => {
    cli.freshLedger('busy-read');
    expect(await cli.run(seedCommand as never, ['seed'])).toBe(0);
    const file = join(cli.root, 'busy-read.jsonl');
    writeFileSync(file, jsonl([centreLine('kc-b1'), centreLine('kc-b2')]));
    const appendOriginal = SqliteEventStore.prototype.append;
    const readOriginal = SqliteEventStore.prototype.readStream;
    let applying = false;
    const append = jest.spyOn(SqliteEventStore.prototype, 'append').mockImplementation(async function (this: SqliteEventStore, ...a: Parameters<SqliteEventStore['append']>) {
      applying = true; // the dry run never appends to the real store
      return appendOriginal.apply(this, a);
    });
    // Line 2's read meets another process's lock (a read during its WAL recovery): nothing was recorded.
    const read = jest.spyOn(SqliteEventStore.prototype, 'readStream').mockImplementation(async function (this: SqliteEventStore, ...a: Parameters<SqliteEventStore['readStream']>) {
      if (applying && a[0] === 'centre-kc-b2') throw Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
      return readOriginal.apply(this, a);
    });
    let code: number;
    try {
      code = await cli.run(importCommand, ['import', file]);
    } finally {
      append.mockRestore();
      read.mockRestore();
    }
    const stderr = cli.err.join('\n');
    expect(code).toBe(1);
    expect(stderr).toContain('line 2 (RegisterCentre) not applied');
    // As README says of a busy ledger: another process held it; run the same file again (nothing to fix).
    expect(stderr).toMatch(/Another process .* held the ledger/);
    expect(stderr).not.toMatch(/unexpected error/);
  });

  it('a DomainError refusal is still "refused … Fix the line", and an error that is not one is "not applied: unexpected error" (regression check)', async () => {
    cli.freshLedger('kinds');
    expect(await cli.run(seedCommand as never, ['seed'])).toBe(0);
    const file = join(cli.root, 'kinds.jsonl');
    writeFileSync(file, jsonl([centreLine('kc-k1')]));
    const original = SqliteEventStore.prototype.append;
    const spy = jest.spyOn(SqliteEventStore.prototype, 'append').mockImplementation(async function (this: SqliteEventStore, ...a: Parameters<SqliteEventStore['append']>) {
      if (String(a[0]) === 'centre-kc-k1') throw new TypeError('Cannot read properties of undefined');
      return original.apply(this, a);
    });
    try {
      expect(await cli.run(importCommand, ['import', file])).toBe(1);
    } finally {
      spy.mockRestore();
    }
    expect(cli.err.join('\n')).toContain('line 1 (RegisterCentre) not applied: unexpected error: Cannot read properties of undefined');
    expect(cli.err.join('\n')).not.toMatch(/Fix the line/);
  });
});

// ---------------------------------------------------------------------------------------------------
// ad9c1e0: the local jwt-secret's drafts and its empty-file wait
// ---------------------------------------------------------------------------------------------------

/** A PID no process here has (a process that ran and ended). */
const endedPid = (): number => spawnSync(process.execPath, ['-e', '0']).pid!;

describe('the local jwt-secret (ad9c1e0)', () => {
  it('a draft written a moment ago by a start this process cannot see (another container or PID namespace sharing the folder, mid-start) is not removed: removing it makes that start fail (its link finds no draft)', () => {
    const dir = freshDir();
    const file = join(dir, 'jwt-secret');
    // Process B, in another PID namespace, has just written its draft and is about to link it into place.
    const draft = `${file}.${endedPid()}.0badc0de`;
    writeFileSync(draft, 'b'.repeat(64), { mode: 0o600 });
    // Process A starts on the same ledger now.
    const secret = localJwtSecret(join(dir, 'ledger.sqlite'));
    expect(secret).toHaveLength(64);
    // B's next step (newSecret: linkSync(draft, file)) needs its draft; without it B's start is refused with ENOENT.
    expect(existsSync(draft)).toBe(true);
  });

  it('drafts of ended processes are removed at start; a running process\'s draft, and names that are not drafts, are kept (regression check)', () => {
    const dir = freshDir();
    const file = join(dir, 'jwt-secret');
    const dead = `${file}.${endedPid()}.0123abcd`;
    const live = `${file}.${process.ppid}.0123abcd`;
    const others = [`${file}.bak`, `${file}.${endedPid()}.xyz`, `${file}.12.0123abcde`];
    for (const f of [dead, live, ...others]) writeFileSync(f, 'x');
    // Left by a start killed over ten minutes ago (a younger draft may be another container's start under way: see above).
    const old = new Date(Date.now() - 11 * 60_000);
    for (const f of [dead, live, ...others]) utimesSync(f, old, old);
    localJwtSecret(join(dir, 'ledger.sqlite'));
    expect(existsSync(dead)).toBe(false);
    expect(existsSync(live)).toBe(true);
    for (const f of others) expect(existsSync(f)).toBe(true);
  });

  // An empty jwt-secret filled by another process within the second: session-eighteen.int.spec.ts (synchronised on the reader's start).

  it('a jwt-secret still empty after a second is refused, after waiting about a second (regression check)', () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'jwt-secret'), '');
    const started = Date.now();
    expect(() => localJwtSecret(join(dir, 'ledger.sqlite'))).toThrow(/is empty/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });
});
