import { ChildProcess, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { SignJWT } from 'jose';
import { ReleaseServer, startReleaseServer, stopReleaseServer } from '../helpers/release-server';
import { ledgerChild } from '../helpers/ledger-child';

/**
 * Adversarial review of the upgrade path: a SQLite ledger file written by the previous release
 * (commit cefa938: schema version 2, receipts keyed by the key alone, funding view version 10) opened
 * by this one. The file and the old release's answers were made by the old build itself
 * (test/fixtures/upgrade-from-cefa938/make-fixture.mjs; gzipped): seed + the two import fixtures
 * (counties, parties, centres, money with a correction, staff, boards, proposals and votes) as
 * `ledger-cli`, then over HTTP with Idempotency-Keys: a party, a second Telemark centre with staff
 * that is closed with its positions left open, money, a correction, a reversal, grant evidence,
 * annual reports, the 2014 grant scheme and its allocation, and another officer's write under the
 * first officer's key (409 then: one key space).
 *
 * The downgrade checks (the old build on a migrated file) build the previous release from the
 * repository's own history (`git archive cefa938`, no worktree, then tsc; ~15 s).
 */

const ROOT = resolve(__dirname, '../..');
const FIXTURE = join(ROOT, 'test/fixtures/upgrade-from-cefa938');
const OLD_COMMIT = 'cefa938';

interface OldWrite { name: string; sender: string; path: string; body: object; key: string | null; status: number; text: string }
interface OldAnswers {
  writes: OldWrite[];
  reads: Record<string, { status: number; text: string }>;
  cli: Record<string, { code: number; out: string }>;
  asOf: string;
  jwtSecret: string;
}
const old: OldAnswers = JSON.parse(gunzipSync(readFileSync(join(FIXTURE, 'old-answers.json.gz'))).toString('utf8'));
/**
 * The old release ran with old.jwtSecret (22 bytes); this release refuses an HS256 secret shorter
 * than 32 bytes at start (checked below), so its servers here run with a longer one.
 */
const SECRET = 'upgrade-test-secret-of-32-bytes-or-more';

const SENDERS: Record<string, { roles: string[]; counties: string[] }> = {
  'fo-telemark': { roles: ['finance-officer'], counties: ['telemark'] },
  'fo-telemark-2': { roles: ['finance-officer'], counties: ['telemark'] },
  'vox-saksbehandler': { roles: ['vox'], counties: [] },
  riksrevisjonen: { roles: ['auditor'], counties: [] },
};
const WHO: Record<string, string> = { fo: 'fo-telemark', fo2: 'fo-telemark-2', vox: 'vox-saksbehandler', auditor: 'riksrevisjonen' };
const token = (sub: string) =>
  new SignJWT({ name: sub, roles: SENDERS[sub].roles, counties: SENDERS[sub].counties })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime('2h')
    .sign(new TextEncoder().encode(SECRET));


/** Every server child, killed at the end whatever a test left running. */
const children: ChildProcess[] = [];

type Server = ReleaseServer;

/** Starts a server on `file` (this release from its TypeScript sources, or an old build's dist), resolving once /health says the views reached the head. */
const startServer = (file: string, opts: { oldDist?: string; secret?: string } = {}): Promise<Server> => {
  const env: Record<string, string | undefined> = { ...process.env, LEDGER_SQLITE_PATH: file, LEDGER_JWT_SECRET: opts.secret ?? SECRET, LEDGER_RATE_LIMIT_PER_MINUTE: '0' };
  delete env.EVENTSTORE_CONNECTION_STRING;
  delete env.LEDGER_STORE;
  delete env.LEDGER_LOG;
  return startReleaseServer(env, { children, oldRoot: opts.oldDist, cwd: ROOT });
};

const stop = stopReleaseServer;

const send = async (s: Server, sub: string, path: string, body: unknown, key: string | null) => {
  const headers: Record<string, string> = { authorization: `Bearer ${await token(sub)}`, 'content-type': 'application/json' };
  if (key) headers['idempotency-key'] = key;
  const res = await fetch(s.base + path, { method: 'POST', headers, body: JSON.stringify(body) });
  return { status: res.status, text: await res.text() };
};
const read = async (s: Server, path: string) => {
  const res = await fetch(s.base + path, { headers: { authorization: `Bearer ${await token('riksrevisjonen')}`, 'accept-encoding': 'identity' } });
  return { status: res.status, text: await res.text() };
};
const head = async (s: Server) => ((await (await fetch(`${s.base}/health`)).json()) as { headPosition: number }).headPosition;

const sqlite = (file: string) => new Database(file, { readonly: true, fileMustExist: true });
const tableRows = (file: string, sql: string) => {
  const db = sqlite(file);
  try {
    return db.prepare(sql).all() as Record<string, unknown>[];
  } finally {
    db.close();
  }
};

const dir = mkdtempSync(join(tmpdir(), 'ledger-upgrade-'));
const fixtureCopy = (name: string): string => {
  const file = join(dir, name, 'ledger.sqlite');
  mkdirSync(join(dir, name), { recursive: true });
  writeFileSync(file, gunzipSync(readFileSync(join(FIXTURE, 'ledger.sqlite.gz'))));
  return file;
};

/** Reads whose answers this release changed on purpose (README: a position counts no day its centre is closed; funding view version 11/12). */
const PERSON_ID = 'README (staff listing): a position may name its person; the listing shows personId (null when not named) — an added field';
const CLOSED = 'README (Which rules answer): a staff position counts no day its centre is closed (funding view 11); telemark-vest closed on 2014-06-30 with its two positions left open';
const INTENDED_READ_CHANGES: Record<string, string> = {
  '/centres/telemark-kc/staff-positions?year=2013': PERSON_ID,
  '/centres/ostfold-kc/staff-positions?year=2013': PERSON_ID,
  '/centres/telemark-vest/staff-positions?year=2013': PERSON_ID,
  '/centres/telemark-vest/staff-positions?year=2014': `${PERSON_ID}; ${CLOSED}: 1.0 → 0.5 and 0.5 → 0.2 staff-years, not on 31.12`,
  '/centres/telemark-vest/staff-positions?year=2015': `${PERSON_ID}; ${CLOSED}: 1.0 → 0.0 and 0.5 → 0.0`,
  '/centres/telemark-vest/funding-mix/2014': `${CLOSED}: staff-years 1.5 → 0.7`,
  '/counties/telemark/funding-mix/2014': `${CLOSED}: staff-years 6.5 → 5.7`,
  '/funding-mix/2014': `${CLOSED}: staff-years 23.4 → 22.6`,
  '/key-figures/2014': `${CLOSED}: Telemark persons employed by the county authority 7 → 5, full time 6 → 5, staff-years 6.5 → 5.7`,
  '/reports/key-figures/2014/csv': `${CLOSED}: the same three rows`,
  [`/key-figures/2014?asOf=${encodeURIComponent(old.asOf)}`]: `${CLOSED}; README: as of a past instant, the rules applied are this version's`,
};

/** The governance reads answer for today unless given `date`; the old release's answers were for the day the fixture was made. */
const TODAY_DEFAULT_READS = ['/centres/telemark-kc/governance', '/centres/ostfold-kc/governance', '/partnerships', '/counties/telemark/partnership', '/centres/telemark-kc/owner-agreements', '/nav-links'];
const CAPTURE_DAY = /"date":"(\d{4}-\d{2}-\d{2})"/.exec(old.reads['/nav-links'].text)![1];

jest.setTimeout(120_000);
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});
/** This release's answers on the migrated fixture (filled by the first describe, before any new write). */
const newReads: Record<string, { status: number; text: string }> = {};

describe('upgrading a SQLite ledger file from the previous release (cefa938)', () => {
  const file = fixtureCopy('main');
  const before = {
    migrations: tableRows(file, 'SELECT version FROM schema_migrations ORDER BY version').map((r) => r.version),
    events: tableRows(file, 'SELECT position, event_id, stream_id, revision, type, schema_version, data, metadata, recorded_at, prev_hash, hash FROM events ORDER BY position'),
    receipts: tableRows(file, 'SELECT key, request_hash, result, recorded_at FROM idempotency ORDER BY key'),
    snapshots: tableRows(file, 'SELECT name, version, position, state, saved_at FROM projection_snapshots ORDER BY name'),
  };
  let server: Server;
  const timings: Record<string, number> = {};

  afterAll(async () => {
    if (server) await stop(server);
    console.log(`upgrade start-up timings (ms, spawn to views at the head, TypeScript via swc): ${JSON.stringify(timings)}`);
  });

  it('the fixture is what the previous release writes: schema 1-2, receipts by key alone, funding view 10, every write answered as captured', () => {
    expect(before.migrations).toEqual([1, 2]);
    expect(Object.keys(before.receipts[0]).sort()).toEqual(['key', 'recorded_at', 'request_hash', 'result']);
    expect(before.snapshots.find((s) => s.name === 'funding')?.version).toBe(10);
    expect(before.events.length).toBe(135);
    expect(old.writes.filter((w) => w.status >= 300).map((w) => [w.name, w.status])).toEqual([['fo2-same-key', 409]]);
  });

  it('`ledger verify` of this release says OK on the file as the old release left it (read-only: not migrated)', async () => {
    const run = await ledgerChild(['verify'], { LEDGER_SQLITE_PATH: file, LEDGER_JWT_SECRET: SECRET });
    expect([run.code, run.stdout.trim().split('\n')[0]]).toEqual([0, expect.stringMatching(/^OK/)]);
    expect(tableRows(file, 'SELECT version FROM schema_migrations').length).toBe(2);
  });

  it('with the previous release\'s 22-byte LEDGER_JWT_SECRET this release refuses to start, one line saying what it takes; the file is left unmigrated', async () => {
    expect(Buffer.byteLength(old.jwtSecret)).toBeLessThan(32);
    await expect(startServer(file, { secret: old.jwtSecret })).rejects.toThrow(/LEDGER_JWT_SECRET must be at least 32 bytes .* not 22: use e\.g\. `openssl rand -hex 32`/);
    expect(tableRows(file, 'SELECT version FROM schema_migrations ORDER BY version').map((r) => r.version)).toEqual([1, 2]);
  });

  it('the server starts on it; the migration runs once (schema 3), keeps every event byte for byte and every receipt under the empty sender', async () => {
    server = await startServer(file);
    timings.firstStart = server.readyMs; // printed, not asserted: timings belong to the benchmark (a loaded CI machine is slow)
    const migrations = tableRows(file, 'SELECT version FROM schema_migrations ORDER BY version').map((r) => r.version);
    expect(migrations).toEqual([1, 2, 3]);
    expect(tableRows(file, 'SELECT position, event_id, stream_id, revision, type, schema_version, data, metadata, recorded_at, prev_hash, hash FROM events ORDER BY position')).toEqual(before.events);
    const receipts = tableRows(file, 'SELECT actor_id, key, request_hash, result, recorded_at FROM idempotency_receipts ORDER BY key');
    expect(receipts.map(({ actor_id, ...r }) => [actor_id, r])).toEqual(before.receipts.map((r) => ['', r]));
  });

  // Views whose fold this release changed, with their version now: the funding view (10 → 12) and the
  // NAV financiers (3 → 4: payer terms kept by date, README "NAV link"); their checkpoints are folded again.
  const REFOLDED: Record<string, number> = { funding: 12, 'nav-financiers': 4 };

  it('checkpoints: the funding view (version 10 → 12) and the NAV financiers (3 → 4) are folded again, the others restored, all saved at the head in one set', () => {
    const after = tableRows(file, 'SELECT name, version, position, state FROM projection_snapshots ORDER BY name');
    expect(after.map((s) => [s.name, s.version, s.position])).toEqual(before.snapshots.map((s) => [s.name, REFOLDED[s.name as string] ?? s.version, 135]));
    // A restored view is stored again as it was read; a folded-again view is of the new fold.
    for (const s of after) if (!((s.name as string) in REFOLDED)) expect([s.name, s.state]).toEqual([s.name, before.snapshots.find((b) => b.name === s.name)!.state]);
    expect(tableRows(file, "SELECT count(*) AS n FROM projection_snapshots WHERE name LIKE 'funding%' AND version <> 12")[0].n).toBe(0);
  });

  it('read answers equal the old ones, except where this release changed a rule on purpose', async () => {
    // Reads that default to today answered for the day the fixture was made; asked again for that same day (not today's).
    for (const path of Object.keys(old.reads)) newReads[path] = await read(server, TODAY_DEFAULT_READS.includes(path) ? `${path}${path.includes('?') ? '&' : '?'}date=${CAPTURE_DAY}` : path);
    expect(TODAY_DEFAULT_READS.every((p) => old.reads[p].text.includes(`"date":"${CAPTURE_DAY}"`))).toBe(true);
    const differ = Object.keys(old.reads).filter((p) => old.reads[p].status !== newReads[p].status || old.reads[p].text !== newReads[p].text);
    console.log(`reads that differ from the previous release: ${JSON.stringify(differ)}`);
    expect(differ.sort()).toEqual(Object.keys(INTENDED_READ_CHANGES).sort());
  });

  // A write the previous release accepted and this one's request checks refuse (party-skien: organisation number 123456789 fails mod-11).
  const TIGHTENED_REQUEST_CHECK = ['party-skien'];

  /**
   * Write answers this release added a field to on purpose (README: a correction answers the new
   * entry's id): the first answer as captured, with that field after its own. Everything else byte for byte.
   */
  const ADDED_ANSWER_FIELDS: Record<string, (answer: Record<string, unknown>) => Record<string, unknown>> = {
    'correction-2014': (a) => ({ ...a, entryId: `${String(a.streamId).replace(/^funding-entry-/, '')}.c1` }),
  };

  it('retries of the old keyed writes (same sender, same body) get the first answers byte for byte and record nothing; an annual report filed before its year was over (a decider rule tightened since) included', async () => {
    const h0 = await head(server);
    const retried = old.writes.filter((w) => w.status < 300 && !TIGHTENED_REQUEST_CHECK.includes(w.name));
    expect(retried.map((w) => w.name)).toContain('tv-report-2014-early');
    expect(retried.map((w) => w.name)).toEqual(expect.arrayContaining(Object.keys(ADDED_ANSWER_FIELDS)));
    const answers: [string, number, string][] = [];
    for (const w of retried) {
      const res = await send(server, WHO[w.sender], w.path, w.body, w.key);
      answers.push([w.name, res.status, res.text]);
    }
    expect(await head(server)).toBe(h0);
    const added = (w: OldWrite) => (ADDED_ANSWER_FIELDS[w.name] ? JSON.stringify(ADDED_ANSWER_FIELDS[w.name](JSON.parse(w.text))) : w.text);
    expect(answers).toEqual(retried.map((w) => [w.name, w.status, added(w)]));
  });

  it('a retry of a recorded write whose body a request check added since refuses is still answered with its first answer (the write exists)', async () => {
    const h0 = await head(server);
    const w = old.writes.find((x) => x.name === 'party-skien')!;
    expect((await read(server, '/parties/skien-kommune')).status).toBe(200);
    const res = await send(server, WHO[w.sender], w.path, w.body, w.key);
    expect(await head(server)).toBe(h0);
    expect({ status: res.status, text: res.text }).toEqual({ status: w.status, text: w.text });
  });

  it('re-running the old import files as `ledger-cli` applies nothing (their receipts are the empty sender\'s)', async () => {
    const h0 = await head(server);
    for (const f of ['fixtures/case-counties-2013.jsonl', 'fixtures/governance-2014.jsonl']) {
      const run = await ledgerChild(['import', join(ROOT, f)], { LEDGER_SQLITE_PATH: file, LEDGER_JWT_SECRET: SECRET });
      expect([f, run.code, run.stderr]).toEqual([f, 0, '']);
    }
    expect(await head(server)).toBe(h0);
  });

  it('the same sender\'s key with another body is 409 IDEMPOTENCY_KEY_REUSED and records nothing', async () => {
    const h0 = await head(server);
    const res = await send(server, 'fo-telemark', '/centres/telemark-kc/funding/operating-grants', { entryId: 'tm-2014-drift-fk2', fiscalYear: 2014, partyId: 'telemark-fk', amount: '1.00', decidedOn: '2013-12-10', reference: 'Annet' }, 'drift-2014-tm');
    expect([res.status, JSON.parse(res.text).code]).toEqual([409, 'IDEMPOTENCY_KEY_REUSED']);
    const onOtherRoute = await send(server, 'vox-saksbehandler', '/grant-schemes', { year: 2015, baseGrant: '1.00', criteriaSetId: 'criteria-2014', judgingDate: '2015-03-01' }, 'allocation-2014');
    expect([onOtherRoute.status, JSON.parse(onOtherRoute.text).code]).toEqual([409, 'IDEMPOTENCY_KEY_REUSED']);
    expect(await head(server)).toBe(h0);
  });

  it('another sender\'s same key (refused 409 by the old release) is now their own write, recorded once, and answered again on retry', async () => {
    const w = old.writes.find((x) => x.name === 'fo2-same-key')!;
    const h0 = await head(server);
    const first = await send(server, 'fo-telemark-2', w.path, w.body, w.key);
    expect(first.status).toBe(201);
    expect(await head(server)).toBe(h0 + 1);
    const again = await send(server, 'fo-telemark-2', w.path, w.body, w.key);
    expect(again).toEqual(first);
    // ...and the first sender's receipt under that key still answers its own retry.
    const mine = old.writes.find((x) => x.name === 'drift-2014')!;
    expect(await send(server, 'fo-telemark', mine.path, mine.body, mine.key)).toEqual({ status: mine.status, text: mine.text });
    expect(await head(server)).toBe(h0 + 1);
  });

  it('after a normal stop, `ledger verify` says OK and `ledger export` works on the migrated file; a second start restores the stored checkpoint and rewrites none (its start-up time is printed, not asserted)', async () => {
    expect(await stop(server)).toBe('ok');
    const env = { LEDGER_SQLITE_PATH: file, LEDGER_JWT_SECRET: SECRET };
    const verify = await ledgerChild(['verify'], env);
    expect([verify.code, verify.stdout.trim().split('\n')[0]]).toEqual([0, expect.stringMatching(/^OK/)]);
    const out = join(dir, 'export');
    const exp = await ledgerChild(['export', '--to', out], env);
    expect([exp.code, exp.stderr]).toEqual([0, '']);
    expect(readFileSync(join(out, 'events.jsonl'), 'utf8').trim().split('\n').length).toBe(136);
    expect(existsSync(join(out, 'digest.json'))).toBe(true);

    const saved = tableRows(file, 'SELECT name, version, position, saved_at FROM projection_snapshots ORDER BY name');
    server = await startServer(file);
    timings.secondStart = server.readyMs;
    expect((await read(server, '/key-figures/2013')).text).toBe(newReads['/key-figures/2013'].text);
    expect(await stop(server)).toBe('ok');
    expect(tableRows(file, 'SELECT version FROM schema_migrations ORDER BY version').map((r) => r.version)).toEqual([1, 2, 3]);
    expect(tableRows(file, 'SELECT name, version, position, saved_at FROM projection_snapshots ORDER BY name')).toEqual(saved);
  });
});

/** Whether this clone holds the previous release's commit (a shallow clone may not: then that part is skipped, saying why). */
const hasOldCommit = ((): boolean => {
  try {
    execFileSync('git', ['-C', ROOT, 'cat-file', '-e', `${OLD_COMMIT}^{commit}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

const describeWithOldRelease = hasOldCommit ? describe : describe.skip;
if (!hasOldCommit) {
  describe.skip(`the previous release's own build (skipped: commit ${OLD_COMMIT} is not in this clone; clone with its history, e.g. git fetch --unshallow)`, () => {
    it('builds the previous release from the repository history and runs it on a migrated file', () => undefined);
  });
}

describeWithOldRelease('the previous release on a file this release migrated (downgrade), and an old server left running during the upgrade', () => {
  let oldRoot = '';
  let buildMs = 0;
  beforeAll(() => {
    const t0 = Date.now();
    oldRoot = join(dir, 'old-release');
    mkdirSync(oldRoot);
    // The previous release from the repository's own history: no worktree, nothing in the repository changes.
    execFileSync('sh', ['-c', `git -C "${ROOT}" archive ${OLD_COMMIT} | tar -x -C "${oldRoot}"`]);
    symlinkSync(join(ROOT, 'node_modules'), join(oldRoot, 'node_modules'));
    execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: oldRoot });
    buildMs = Date.now() - t0;
    console.log(`previous release (${OLD_COMMIT}) built in ${buildMs} ms`);
  }, 120_000);

  it('the old build refuses a migrated file clearly at start (or at least answers no keyed write with a 500)', async () => {
    const file = fixtureCopy('downgrade');
    const s = await startServer(file);
    await stop(s);
    const events = tableRows(file, 'SELECT * FROM events ORDER BY position');
    const receipts = tableRows(file, 'SELECT * FROM idempotency_receipts ORDER BY actor_id, key');
    const snapshots = tableRows(file, 'SELECT name, version, position FROM projection_snapshots ORDER BY name, position');
    let started: Server | null = null;
    let refusal = '';
    try {
      started = await startServer(file, { oldDist: oldRoot });
    } catch (e) {
      refusal = String(e);
    }
    let observed: Record<string, unknown> = { refusedAtStart: true, noSuchTable: /no such table: idempotency\b/.test(refusal) };
    if (started) {
      const keyed = await send(started, 'fo-telemark', '/centres/telemark-kc/funding/operating-grants', { entryId: 'tm-2016-drift-fk', fiscalYear: 2016, partyId: 'telemark-fk', amount: '2500000.00', decidedOn: '2015-12-10', reference: 'Budsjett 2016' }, 'drift-2016-tm');
      await stop(started);
      const funding = tableRows(file, "SELECT version FROM projection_snapshots WHERE name = 'funding'")[0].version;
      observed = { refusedAtStart: false, keyedWrite: `${keyed.status} ${keyed.text.slice(0, 60)}`, fundingCheckpointVersion: funding };
    }
    // Migration 3 moved the receipts to idempotency_receipts and dropped idempotency: the old build's statements on it cannot be prepared when it opens the file.
    expect(observed).toEqual({ refusedAtStart: true, noSuchTable: true });
    // Nothing of the file changed: no event, receipt or checkpoint lost or added.
    expect(tableRows(file, 'SELECT * FROM events ORDER BY position')).toEqual(events);
    expect(tableRows(file, 'SELECT * FROM idempotency_receipts ORDER BY actor_id, key')).toEqual(receipts);
    expect(tableRows(file, 'SELECT name, version, position FROM projection_snapshots ORDER BY name, position')).toEqual(snapshots);
  });

  it('the old build on a migrated file loses no event, and this release verifies and serves the file again afterwards', async () => {
    const file = fixtureCopy('downgrade-then-upgrade');
    await stop(await startServer(file));
    const events = tableRows(file, 'SELECT * FROM events ORDER BY position');
    const receipts = tableRows(file, 'SELECT * FROM idempotency_receipts ORDER BY actor_id, key');
    // The old build does not start on it (see above), so it records nothing, under its rules or any.
    await expect(startServer(file, { oldDist: oldRoot })).rejects.toThrow(/no such table: idempotency\b/);
    expect(tableRows(file, 'SELECT * FROM events ORDER BY position')).toEqual(events);
    expect(tableRows(file, 'SELECT * FROM idempotency_receipts ORDER BY actor_id, key')).toEqual(receipts);
    expect(tableRows(file, "SELECT version FROM projection_snapshots WHERE name = 'funding'")[0].version).toBe(12);
    const again = await startServer(file);
    expect(await read(again, '/key-figures/2014')).toEqual(newReads['/key-figures/2014']);
    expect(await stop(again)).toBe('ok');
    expect(tableRows(file, "SELECT version FROM projection_snapshots WHERE name = 'funding'")[0].version).toBe(12);
    const verify = await ledgerChild(['verify'], { LEDGER_SQLITE_PATH: file, LEDGER_JWT_SECRET: SECRET });
    expect(verify.code).toBe(0);
  });

  // The README's upgrade steps say to stop every process first. One left running cannot then record a
  // keyed write on the migrated file (its statements name the old receipts table): it fails, recording
  // nothing, and the file stays whole for the new release. (The review asked for no failure at all; a
  // running old process cannot be told to stop from here, so the guarantee is that nothing is half-written.)
  it('an old server left running while the new release migrates the file records no keyed write after it (nothing half-written), and the file stays whole', async () => {
    const file = fixtureCopy('concurrent');
    const oldServer = await startServer(file, { oldDist: oldRoot });
    const before = await send(oldServer, 'fo-telemark', '/centres/telemark-kc/funding/operating-grants', { entryId: 'tm-2017-drift-fk', fiscalYear: 2017, partyId: 'telemark-fk', amount: '2500000.00', decidedOn: '2016-12-10', reference: 'Budsjett 2017' }, 'drift-2017-tm');
    expect(before.status).toBe(201);
    const newServer = await startServer(file);
    const migrated = tableRows(file, 'SELECT * FROM events ORDER BY position');
    const after = await send(oldServer, 'fo-telemark', '/centres/telemark-kc/funding/operating-grants', { entryId: 'tm-2018-drift-fk', fiscalYear: 2018, partyId: 'telemark-fk', amount: '2500000.00', decidedOn: '2017-12-10', reference: 'Budsjett 2018' }, 'drift-2018-tm');
    await stop(newServer);
    await stop(oldServer);
    expect(after.status).not.toBe(201);
    expect(tableRows(file, 'SELECT * FROM events ORDER BY position')).toEqual(migrated);
    expect(migrated.length).toBeGreaterThan(0);
  });
});

describe('the upgrade instructions', () => {
  it('README tells an operator how to upgrade: stop every old process first, back up the file, and that there is no way back', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const says = { upgrade: /upgrad/i.test(readme), stopOldProcesses: /stop (every|all|the old|old)[^.]*(process|server|writer)/i.test(readme), backup: /back ?up[^.]*(before|first)[^.]*(upgrad|migrat)/i.test(readme), noDowngrade: /downgrad|cannot (be )?open[^.]*(older|previous)|no way back/i.test(readme) };
    expect(says).toEqual({ upgrade: true, stopOldProcesses: true, backup: true, noDowngrade: true });
  });
});
