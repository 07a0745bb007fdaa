/**
 * `npm run bench`: every figure beside its baseline measured in the same run, as a ratio.
 *
 * Each round runs every measurement once, in the same order (so figure and baseline are
 * interleaved, never one block after the other); the table shows the median of the rounds with
 * min and max, and each ratio is the median of the per-round ratios. Every task and server runs
 * in its own child process, bounded in time; servers listen on 127.0.0.1 only.
 *
 * Options (argv or env): --events N (BENCH_EVENTS, default 1,000,000), --seed S (default 42),
 * --rounds R (default 3), --seconds T per throughput run (default 3), --only a,b (debugging).
 */
import { execSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, freemem, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { COUNTIES_2014 } from '../../libs/application/src/seed/counties-2014';
import { CommandRegistry } from '../../libs/application/src/command-registry';
import { TokenService } from '../../apps/api/src/auth/token.service';
import { migrate } from '../../libs/event-store/src/sqlite-schema';
import { BENCH_DIST, memoryOf, runTask, sleep, startServer, Server } from './lib/child';
import { fetchOnce, firstAnswer, freePort, load, LoadResult } from './lib/http-load';
import { DATA_DIR, REPO_ROOT, RESULTS_DIR, scratch } from './lib/paths';
import { centreIdOf, countyAuthorityOf, countyOf, generatedCentreIdOf, STREAMS } from './lib/rows';
import { percentile, prng, spread, Spread } from './lib/stats';
import { GENERATOR_VERSION, GenerateResult } from './generate';
import { readLedgerMeta, staleLedgerReason } from './lib/ledger-meta';

// ---------- options ----------
const argOf = (name: string, env: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : process.env[env] ?? fallback;
};
const EVENTS = Number(argOf('events', 'BENCH_EVENTS', '1000000'));
const SEED = Number(argOf('seed', 'BENCH_SEED', '42'));
const ROUNDS = Math.max(1, Number(argOf('rounds', 'BENCH_ROUNDS', '3')));
const SECONDS = Number(argOf('seconds', 'BENCH_SECONDS', '3'));
/** Seconds of load before each measured HTTP load, its figures kept apart: the goals are about a server past its first seconds. */
const WARMUP = Number(argOf('warmup', 'BENCH_WARMUP_SECONDS', '3'));
const ONLY = argOf('only', 'BENCH_ONLY', '').split(',').filter(Boolean);
const wanted = (name: string): boolean => ONLY.length === 0 || ONLY.includes(name);

const JWT_SECRET = 'bench-secret-not-for-production-use';
/** What the minimal NestJS server answers (bench/src/servers/minimal-nest.ts), for comparing answer sizes. */
const MINIMAL_BODY_BYTES = JSON.stringify({ ok: true, name: 'Karrieresenter Telemark', year: 2013 }).length;
const MAIN_JS = join(REPO_ROOT, 'dist', 'apps', 'api', 'src', 'main.js');
const log = (s: string): void => void process.stderr.write(`${s}\n`);

// ---------- samples ----------
/** Per measurement, one value per round (NaN when that round failed). */
const samples = new Map<string, number[]>();
const notes: string[] = [];
const put = (key: string, value: number): void => {
  if (!samples.has(key)) samples.set(key, []);
  samples.get(key)!.push(value);
};
const failures: string[] = [];
const attempt = async (name: string, f: () => Promise<void>): Promise<void> => {
  if (!wanted(name)) return;
  const t0 = Date.now();
  try {
    await f();
    log(`  ${name} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  } catch (e) {
    const msg = `${name}: ${String((e as Error).message ?? e).slice(0, 600)}`;
    failures.push(msg);
    log(`  FAILED ${msg}`);
  }
};

// ---------- the HTTP routes the features offer (read from the app's own OpenAPI document) ----------
const ROUTE_CANDIDATES = {
  operatingGrant: ['/centres/{centreId}/funding/operating-grants', '/centres/{centreId}/operating-grants', '/funding/operating-grants'],
  fundingMix: ['/centres/{centreId}/funding-mix/{year}', '/centres/{centreId}/funding-mix', '/funding-mix/{year}'],
  keyFigures: ['/key-figures/{year}', '/key-figures'],
  eligibility: ['/counties/{countyId}/eligibility/{year}', '/eligibility/{year}/{countyId}', '/grants/eligibility/{year}/{countyId}', '/eligibility/{year}', '/grants/{year}/eligibility'],
} as const;
type RouteName = keyof typeof ROUTE_CANDIDATES;
let routes: Partial<Record<RouteName, string>> | null = null;

const discoverRoutes = async (port: number): Promise<Partial<Record<RouteName, string>>> => {
  const r = await fetchOnce(`http://127.0.0.1:${port}/docs-json`);
  if (r.status !== 200) throw new Error(`GET /docs-json answered ${r.status}`);
  const doc = JSON.parse(r.body) as { paths: Record<string, Record<string, unknown>> };
  const out: Partial<Record<RouteName, string>> = {};
  for (const [name, candidates] of Object.entries(ROUTE_CANDIDATES) as [RouteName, readonly string[]][]) {
    const method = name === 'operatingGrant' ? 'post' : 'get';
    const found = candidates.find((c) => doc.paths[c]?.[method]);
    if (found) out[name] = found;
  }
  return out;
};

const fill = (template: string, params: Record<string, string | number>): string => template.replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? `{${k}}`));

// ---------- tokens ----------
const tokens = new TokenService({ jwtSecret: JWT_SECRET, jwksUrl: null, jwtIssuer: null, jwtAudience: null });
const ALL_COUNTIES = COUNTIES_2014.map((c) => c.countyId);

// ---------- the ledger server ----------
const ledgerServer = async (file: string): Promise<Server> =>
  startServer(MAIN_JS, [], {
    LEDGER_SQLITE_PATH: file,
    LEDGER_JWT_SECRET: JWT_SECRET,
    LEDGER_RATE_LIMIT_PER_MINUTE: '100000000',
    LEDGER_LOG: 'silent',
    LEDGER_STORE: 'sqlite',
    EVENTSTORE_CONNECTION_STRING: '',
  }, await freePort());

const alive = (s: Server) => (): boolean => s.child.exitCode === null && s.child.signalCode === null;

// ---------- the generated ledger ----------
interface Ledger extends GenerateResult { file: string }
const ensureLedger = async (): Promise<Ledger> => {
  const file = join(DATA_DIR, `ledger-${EVENTS}-${SEED}.sqlite`);
  const meta = `${file}.json`;
  // Reused only when its .json says the same size and this generator's version: an older generator's ledger is another log.
  const stale = staleLedgerReason(file, EVENTS);
  if (stale === null) {
    const m = readLedgerMeta(file) as GenerateResult;
    log(`ledger: reusing ${file} (${m.events.toLocaleString('en')} events, generator version ${m.generatorVersion}, generated in ${m.seconds.toFixed(1)} s)`);
    return { ...m, file };
  }
  if (existsSync(file)) log(`ledger: not reusing ${file}: ${stale}`);
  log(`ledger: generating ${EVENTS.toLocaleString('en')} events (seed ${SEED}, generator version ${GENERATOR_VERSION}) into ${file}`);
  mkdirSync(DATA_DIR, { recursive: true });
  const t0 = Date.now();
  execSync(`"${process.execPath}" "${join(BENCH_DIST, 'generate.js')}" --events ${EVENTS} --seed ${SEED} --out "${file}" > "${meta}.log"`, { stdio: ['ignore', 'ignore', 'inherit'], timeout: 15 * 60_000 });
  const first = readFileSync(`${meta}.log`, 'utf8').split('\n')[0];
  const r = JSON.parse(first) as GenerateResult;
  writeFileSync(meta, JSON.stringify({ ...r, wallSeconds: (Date.now() - t0) / 1000 }, null, 2));
  log(`ledger: ${r.events.toLocaleString('en')} events in ${r.seconds.toFixed(1)} s`);
  return { ...r, file };
};

// ---------- one round ----------
const round = async (r: number, ledger: Ledger): Promise<void> => {
  log(`round ${r + 1}/${ROUNDS}`);
  const T = SECONDS;
  const TIMEOUT = 120_000;
  await attempt('raw-single-full', async () => put('raw.singleFull', (await runTask<{ eventsPerSecond: number }>('raw-sqlite', { mode: 'single-full', seconds: T }, TIMEOUT)).eventsPerSecond));
  await attempt('command-path', async () => put('cmd.inProcess', (await runTask<{ eventsPerSecond: number }>('command-path', { command: COMMAND_KIND, seconds: T }, TIMEOUT)).eventsPerSecond));
  await attempt('emmett', async () => {
    try {
      put('emmett', (await runTask<{ eventsPerSecond: number }>('emmett', { seconds: T }, TIMEOUT)).eventsPerSecond);
    } catch (e) {
      // Emmett-sqlite 0.38.5 now and then fails an append with SQLITE_BUSY ("cannot commit transaction - SQL statements in progress"): noted, and the run is repeated once.
      notes.push(`round ${r + 1}: Emmett failed (${String((e as Error).message).split('\n')[0].slice(0, 160)}); its run was repeated`);
      put('emmett', (await runTask<{ eventsPerSecond: number }>('emmett', { seconds: T }, TIMEOUT)).eventsPerSecond);
    }
  });
  await attempt('raw-single-normal', async () => put('raw.singleNormal', (await runTask<{ eventsPerSecond: number }>('raw-sqlite', { mode: 'single-normal', seconds: T }, TIMEOUT)).eventsPerSecond));
  await attempt('raw-batch-100', async () => put('raw.batch100', (await runTask<{ eventsPerSecond: number }>('raw-sqlite', { mode: 'batch-100', seconds: T }, TIMEOUT)).eventsPerSecond));
  await attempt('raw-read-parse', async () => put('raw.readParse', (await runTask<{ eventsPerSecond: number }>('raw-sqlite', { mode: 'read-parse', file: ledger.file }, 10 * 60_000)).eventsPerSecond));
  await attempt('rebuild', async () => {
    const out = await runTask<{ eventsPerSecond: number; viewBytes: Record<string, number>; rss: number }>('rebuild', { file: ledger.file }, 10 * 60_000);
    put('rebuild', out.eventsPerSecond);
    put('rebuild.rss', out.rss);
    if (r === 0) notes.push(`views after a full rebuild (JSON bytes): ${Object.entries(out.viewBytes).map(([k, v]) => `${k} ${(v / 1e6).toFixed(1)} MB`).join(', ')}`);
  });
  await attempt('minimal-nest', async () => {
    const port = await freePort();
    const s = startServer(join(BENCH_DIST, 'servers', 'minimal-nest.js'), [], {}, port);
    try {
      await firstAnswer(`http://127.0.0.1:${port}/constant`, {}, process.hrtime.bigint(), 30_000, alive(s));
      const res = await load({ url: `http://127.0.0.1:${port}/constant`, seconds: T, serverPid: s.child.pid, warmup: { seconds: WARMUP } });
      checkLoad('minimal NestJS', res);
      put('nest.minimal', res.requestsPerSecond);
      put('nest.minimal.p99', res.p99Ms);
      putCpu('nest.minimal', res);
    } finally {
      await s.stop();
    }
  });
  await attempt('http-command', async () => httpCommand());
  await attempt('serving', async () => serving(ledger, r));
};

/** CPU per answered request on each side of a load (µs): tells a server-bound figure from a client-bound one. */
const putCpu = (key: string, res: LoadResult): void => {
  put(`${key}.serverUs`, res.serverCpuUsPerRequest);
  put(`${key}.clientUs`, res.clientCpuUsPerRequest);
};

// From the command registry, known before any server has run (once): taken from the routes a server answers,
// the first round (before one had run) measured RenameCentre while the others measured RecordOperatingGrant.
const COMMAND_KIND: 'operating-grant' | 'rename-centre' = new CommandRegistry().has('RecordOperatingGrant') ? 'operating-grant' : 'rename-centre';

const checkLoad = (what: string, res: LoadResult): void => {
  if (res.errors > 0 || res.non2xx > 0) throw new Error(`${what}: ${res.errors} errors, ${res.non2xx} non-2xx answers (${JSON.stringify(res.statusCodes)})`);
  if (res.requests === 0) throw new Error(`${what}: no request answered`);
};

/** POST an operating grant (or, until the funding routes exist, rename a centre) at 10 connections. */
const httpCommand = async (): Promise<void> => {
  const file = scratch(`http-command-${process.pid}.sqlite`);
  await runTask('seed-ledger', { file, streams: STREAMS }, 120_000);
  const s = await ledgerServer(file);
  try {
    const token = await tokens.issue({ sub: 'bench-fo', name: 'Bench finance officer', roles: ['finance-officer'], counties: ALL_COUNTIES });
    const auth = { authorization: `Bearer ${token}` };
    await firstAnswer(`http://127.0.0.1:${s.port}/counties`, auth, process.hrtime.bigint(), 60_000, alive(s));
    if (!routes) routes = await discoverRoutes(s.port);
    let n = 0;
    const next = routes.operatingGrant
      ? () => {
          const i = n % STREAMS;
          n++;
          const countyId = countyOf(i);
          return { path: fill(routes!.operatingGrant!, { centreId: centreIdOf(i) }), body: JSON.stringify({ entryId: `bench-${i}-${n}`, fiscalYear: 2014, partyId: countyAuthorityOf(countyId), amount: `${1_250_000 + (n % 1000)}.00`, decidedOn: '2014-01-15', reference: `2014/${n}`, note: 'Driftsmidler 2014' }) };
        }
      : () => {
          const i = n % STREAMS;
          n++;
          return { path: `/centres/${centreIdOf(i)}/rename`, body: JSON.stringify({ name: `Karrieresenter ${i} (${n})`, effectiveFrom: '2014-01-01' }) };
        };
    const res = await load({ url: `http://127.0.0.1:${s.port}/`, method: 'POST', headers: auth, seconds: SECONDS, next, serverPid: s.child.pid, warmup: { seconds: WARMUP } });
    checkLoad('HTTP command', res);
    put('http.command', res.requestsPerSecond);
    put('http.command.p99', res.p99Ms);
    // A fresh server's first seconds, shown beside the steady state they are kept out of.
    if (res.warmup) {
      checkLoad('HTTP command warm-up', res.warmup);
      put('http.command.warmup', res.warmup.requestsPerSecond);
      put('http.command.warmup.p99', res.warmup.p99Ms);
    }
    putCpu('http.command', res);
  } finally {
    await s.stop();
    for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
  }
};

/**
 * The ledger serving the generated log: start-up from a stored checkpoint to the first answered
 * request, reads at 10 connections, as-of answers, resident memory. Every round first measures a
 * first-ever start (the stored views removed: every view folded from position 0), whose shutdown
 * stores the checkpoint the round's warm start then restores, so both are medians of the rounds.
 */
const hasCheckpoint = (file: string): boolean => {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM projection_snapshots').get() as { n: number }).n > 0;
  } finally {
    db.close();
  }
};

const serving = async (ledger: Ledger, r: number): Promise<void> => {
  const reader = await tokens.issue({ sub: 'bench-auditor', name: 'Bench auditor', roles: ['auditor'], counties: [] });
  const auth = { authorization: `Bearer ${reader}` };
  // Reads ask for gzip, as browsers, curl --compressed and fetch do; the ledger gzips answers of 1 KiB or more.
  const readHeaders = { ...auth, 'accept-encoding': 'gzip' };
  {
    // A first start on this file: no checkpoint, every view is folded from position 0.
    const db = new Database(ledger.file);
    migrate(db); // a ledger generated by older code may lack the snapshot-parts table
    db.prepare('DELETE FROM projection_snapshots').run();
    db.prepare('DELETE FROM projection_snapshot_parts').run();
    db.prepare('DELETE FROM projection_snapshot_texts').run();
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    const t0 = process.hrtime.bigint();
    const s = await ledgerServer(ledger.file);
    try {
      const ms = await firstAnswer(`http://127.0.0.1:${s.port}/counties`, auth, t0, 10 * 60_000, alive(s));
      put('startup.cold', ms);
      put('memory.cold.peak', memoryOf(s.child.pid!).peak);
    } finally {
      await s.stop('SIGTERM', 600_000); // saves the checkpoint, as a normal shutdown does
    }
  }
  if (!hasCheckpoint(ledger.file)) throw new Error('the first start stored no checkpoint: the warm start would fold from 0 too');
  const t0 = process.hrtime.bigint();
  const s = await ledgerServer(ledger.file);
  try {
    put('startup.warm', await firstAnswer(`http://127.0.0.1:${s.port}/counties`, auth, t0, 5 * 60_000, alive(s)));
    if (!routes) routes = await discoverRoutes(s.port);
    const rnd = prng(SEED + r);
    const years = ledger.years.slice(0, Math.max(1, ledger.years.length - 1));
    const centreIds = Array.from({ length: ledger.centres }, (_, i) => generatedCentreIdOf(i));
    const pickOf = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)];
    const reads: [string, RouteName, () => Record<string, string | number>][] = [
      ['http.read.fundingMix', 'fundingMix', () => ({ centreId: pickOf(centreIds), year: pickOf(years), countyId: pickOf(ALL_COUNTIES) })],
      ['http.read.keyFigures', 'keyFigures', () => ({ year: pickOf(years) })],
      ['http.read.eligibility', 'eligibility', () => ({ countyId: pickOf(ALL_COUNTIES), year: pickOf(years) })],
    ];
    // Warm-up reads ask about the ledger's last year, which the measured reads never do, so that
    // no measured question finds its answer already in the answer cache. Eligibility gets none: its
    // last year has no grant scheme (404), every other year is measured, and its load measures
    // first builds (~25 ms each) anyway, of which a cold start slows only the first few.
    const lastYear = ledger.years[ledger.years.length - 1];
    const wrnd = prng(SEED + 1_000 + r); // its own sequence: the measured questions stay the ones they were
    const wpick = <T>(xs: T[]): T => xs[Math.floor(wrnd() * xs.length)];
    const warmupParams: Partial<Record<RouteName, () => Record<string, string | number>>> = {
      fundingMix: () => ({ centreId: wpick(centreIds), year: lastYear, countyId: wpick(ALL_COUNTIES) }),
      keyFigures: () => ({ year: lastYear }),
    };
    for (const [key, route, params] of reads) {
      const template = routes[route];
      if (!template) continue;
      const probe = await fetchOnce(`http://127.0.0.1:${s.port}${fill(template, params())}`, readHeaders);
      if (probe.status !== 200) throw new Error(`${template} answered ${probe.status}: ${probe.body.slice(0, 300)}`);
      if (r === 0)
        notes.push(
          `GET ${template}: one answer is ${Buffer.byteLength(probe.body).toLocaleString('en')} bytes of JSON, ${probe.bytes.toLocaleString('en')} bytes on the wire (${probe.encoding ?? 'identity'}; the minimal NestJS baseline answers ${MINIMAL_BODY_BYTES} bytes)`,
        );
      const wp = warmupParams[route];
      const warmup = wp ? { seconds: WARMUP, next: () => ({ path: fill(template, wp()) }) } : undefined;
      const res = await load({ url: `http://127.0.0.1:${s.port}/`, headers: readHeaders, seconds: SECONDS, next: () => ({ path: fill(template, params()) }), serverPid: s.child.pid, warmup });
      if (res.warmup) checkLoad(`${key} warm-up`, res.warmup);
      checkLoad(key, res);
      put(key, res.requestsPerSecond);
      put(`${key}.p99`, res.p99Ms);
      putCpu(key, res);
    }
    // Eligibility asked again: every county and measured year asked once (each answer built and kept
    // in the answer cache), then the same load as above. The measured load above asks a fresh server
    // 418 questions in 3 s, so it measures first builds; this is how a server in service answers them.
    if (routes.eligibility) {
      const template = routes.eligibility;
      for (const countyId of ALL_COUNTIES) {
        for (const year of years) {
          const once = await fetchOnce(`http://127.0.0.1:${s.port}${fill(template, { countyId, year })}`, readHeaders);
          if (once.status !== 200) throw new Error(`${template} answered ${once.status} for ${countyId} ${year}: ${once.body.slice(0, 300)}`);
        }
      }
      const arnd = prng(SEED + 2_000 + r); // its own sequence: the as-of instants below stay the ones they were
      const apick = <T>(xs: T[]): T => xs[Math.floor(arnd() * xs.length)];
      const res = await load({ url: `http://127.0.0.1:${s.port}/`, headers: readHeaders, seconds: SECONDS, next: () => ({ path: fill(template, { countyId: apick(ALL_COUNTIES), year: apick(years) }) }), serverPid: s.child.pid });
      checkLoad('http.read.eligibility.again', res);
      put('http.read.eligibility.again', res.requestsPerSecond);
      put('http.read.eligibility.again.p99', res.p99Ms);
      putCpu('http.read.eligibility.again', res);
    }
    // As-of: distinct recorded instants spread over the whole log, one request at a time.
    const asOfRoute = routes.keyFigures ? fill(routes.keyFigures, { year: 2013 }) : '/counties';
    const from = Date.parse(ledger.firstRecordedAt);
    const to = Date.parse(ledger.lastRecordedAt);
    const times: number[] = [];
    for (let k = 0; k < 15; k++) {
      const at = new Date(from + rnd() * (to - from)).toISOString();
      const res = await fetchOnce(`http://127.0.0.1:${s.port}${asOfRoute}${asOfRoute.includes('?') ? '&' : '?'}asOf=${encodeURIComponent(at)}`, auth);
      if (res.status !== 200) throw new Error(`as-of ${asOfRoute} answered ${res.status}: ${res.body.slice(0, 300)}`);
      times.push(res.ms);
    }
    put('asof.p50', percentile(times, 50));
    put('asof.max', Math.max(...times));
    if (r === 0) notes.push(`as-of answered on ${asOfRoute}`);
    const mem = memoryOf(s.child.pid!);
    put('memory.rss', mem.rss);
    put('memory.peak', mem.peak);
  } finally {
    await s.stop('SIGTERM', 600_000);
  }
};

// ---------- the table ----------
interface Figure {
  id: string;
  label: string;
  unit: string;
  value: Spread | null;
  baseline: { label: string; value: Spread | null } | null;
  ratio: Spread | null;
  goal: string;
  pass: boolean | null;
  note?: string;
}

const get = (key: string): number[] => (samples.get(key) ?? []).filter((x) => Number.isFinite(x));
const sp = (key: string): Spread | null => (get(key).length ? spread(get(key)) : null);
/** Per-round ratios of two measurements taken in the same rounds. */
const ratioOf = (a: string, b: string): Spread | null => {
  const xs = samples.get(a) ?? [];
  const ys = samples.get(b) ?? [];
  const rs: number[] = [];
  for (let i = 0; i < Math.min(xs.length, ys.length); i++) if (Number.isFinite(xs[i]) && Number.isFinite(ys[i]) && ys[i] > 0) rs.push(xs[i] / ys[i]);
  return rs.length ? spread(rs) : null;
};

const buildFigures = (): Figure[] => {
  const missing = (route: RouteName): string | undefined => (routes && !routes[route] ? 'n/a (route missing)' : undefined);
  const cmdLabel = COMMAND_KIND === 'operating-grant' ? 'RecordOperatingGrant' : 'RenameCentre (funding command not available yet)';
  const min = (r: Spread | null, goal: number): boolean | null => (r ? r.median >= goal : null);
  const max = (v: Spread | null, goal: number): boolean | null => (v ? v.median <= goal : null);
  const raw = { label: 'raw single-event FULL', value: sp('raw.singleFull') };
  const nest = { label: 'minimal NestJS on Fastify', value: sp('nest.minimal') };
  const figs: Figure[] = [
    { id: 'command-path', label: `command path in process (${cmdLabel}), 2,000 streams, FULL`, unit: 'events/s', value: sp('cmd.inProcess'), baseline: raw, ratio: ratioOf('cmd.inProcess', 'raw.singleFull'), goal: '≥ 0.7×', pass: min(ratioOf('cmd.inProcess', 'raw.singleFull'), 0.7) },
    { id: 'command-path-vs-emmett', label: 'command path vs the peer', unit: 'events/s', value: sp('cmd.inProcess'), baseline: { label: 'Emmett-sqlite 0.38.5, one event per call', value: sp('emmett') }, ratio: ratioOf('cmd.inProcess', 'emmett'), goal: '≥ 10×', pass: min(ratioOf('cmd.inProcess', 'emmett'), 10) },
    { id: 'http-command', label: `HTTP command (${routes?.operatingGrant ? 'POST an operating grant' : 'POST a centre rename'}), 10 connections`, unit: 'req/s', value: sp('http.command'), baseline: raw, ratio: ratioOf('http.command', 'raw.singleFull'), goal: '≥ 0.5×', pass: min(ratioOf('http.command', 'raw.singleFull'), 0.5) },
    { id: 'http-command-p99', label: 'HTTP command p99 latency', unit: 'ms', value: sp('http.command.p99'), baseline: null, ratio: null, goal: '≤ 10 ms', pass: max(sp('http.command.p99'), 10) },
    ...(WARMUP > 0
      ? [
          { id: 'http-command-warmup', label: `HTTP command, the fresh server's first ${WARMUP} s (the warm-up before the load above, measured apart)`, unit: 'req/s', value: sp('http.command.warmup'), baseline: raw, ratio: ratioOf('http.command.warmup', 'raw.singleFull'), goal: '', pass: null, note: 'no goal' },
          { id: 'http-command-warmup-p99', label: "HTTP command p99 latency in the fresh server's first seconds", unit: 'ms', value: sp('http.command.warmup.p99'), baseline: null, ratio: null, goal: '', pass: null, note: 'no goal' },
        ]
      : []),
    { id: 'rebuild', label: `full rebuild of every projection from ${EVENTS.toLocaleString('en')} events`, unit: 'events/s', value: sp('rebuild'), baseline: { label: 'raw read + JSON.parse of the same log', value: sp('raw.readParse') }, ratio: ratioOf('rebuild', 'raw.readParse'), goal: '≥ 0.4×', pass: min(ratioOf('rebuild', 'raw.readParse'), 0.4) },
  ];
  const reads: [string, RouteName, string][] = [
    ['http.read.fundingMix', 'fundingMix', 'funding mix'],
    ['http.read.keyFigures', 'keyFigures', 'key figures'],
    ['http.read.eligibility', 'eligibility', 'eligibility'],
  ];
  for (const [key, route, label] of reads) {
    const note = missing(route);
    figs.push({ id: `read-${route}`, label: `HTTP read: ${label}${routes?.[route] ? ` (GET ${routes[route]})` : ''}, 10 connections, Accept-Encoding: gzip, ${EVENTS.toLocaleString('en')} events`, unit: 'req/s', value: sp(key), baseline: nest, ratio: ratioOf(key, 'nest.minimal'), goal: '≥ 0.6×', pass: note ? null : min(ratioOf(key, 'nest.minimal'), 0.6), note });
    figs.push({ id: `read-${route}-p99`, label: `HTTP read: ${label} p99 latency`, unit: 'ms', value: sp(`${key}.p99`), baseline: null, ratio: null, goal: '≤ 2 ms', pass: note ? null : max(sp(`${key}.p99`), 2), note });
  }
  if (!missing('eligibility')) {
    const again = 'http.read.eligibility.again';
    figs.push(
      { id: 'read-eligibility-again', label: 'HTTP read: eligibility asked again (every county and year asked once before, so answered from the answer cache, as by a server in service)', unit: 'req/s', value: sp(again), baseline: nest, ratio: ratioOf(again, 'nest.minimal'), goal: '', pass: null, note: 'no goal' },
      { id: 'read-eligibility-again-p99', label: 'HTTP read: eligibility asked again, p99 latency', unit: 'ms', value: sp(`${again}.p99`), baseline: null, ratio: null, goal: '', pass: null, note: 'no goal' },
    );
  }
  figs.push(
    { id: 'as-of', label: `as-of answer on ${EVENTS.toLocaleString('en')} events (p50 of 15 random recorded instants)`, unit: 'ms', value: sp('asof.p50'), baseline: null, ratio: null, goal: '≤ 200 ms', pass: max(sp('asof.p50'), 200) },
    { id: 'memory', label: `resident memory serving ${EVENTS.toLocaleString('en')} events (peak, after reads and as-of)`, unit: 'MiB', value: mib(sp('memory.peak')), baseline: null, ratio: null, goal: '≤ 1024 MiB', pass: max(mib(sp('memory.peak')), 1024) },
    { id: 'startup', label: `start-up to first answered request, ${EVENTS.toLocaleString('en')} events, from the stored checkpoint`, unit: 'ms', value: sp('startup.warm'), baseline: null, ratio: null, goal: '≤ 5000 ms', pass: max(sp('startup.warm'), 5000) },
    { id: 'startup-first', label: `first-ever start (no checkpoint: every view folded from 0), ${EVENTS.toLocaleString('en')} events`, unit: 'ms', value: sp('startup.cold'), baseline: null, ratio: null, goal: '≤ 5000 ms', pass: max(sp('startup.cold'), 5000) },
    { id: 'memory-first', label: 'peak resident memory of that first-ever start', unit: 'MiB', value: mib(sp('memory.cold.peak')), baseline: null, ratio: null, goal: '≤ 1024 MiB', pass: max(mib(sp('memory.cold.peak')), 1024) },
  );
  return figs;
};

const mib = (s: Spread | null): Spread | null => (s ? spread(s.runs.map((x) => x / 1024 / 1024)) : null);

const baselines = (): { label: string; unit: string; value: Spread | null }[] => [
  { label: 'raw better-sqlite3, one event per transaction, synchronous=FULL', unit: 'events/s', value: sp('raw.singleFull') },
  { label: 'raw better-sqlite3, one event per transaction, synchronous=NORMAL', unit: 'events/s', value: sp('raw.singleNormal') },
  { label: 'raw better-sqlite3, 100 events per transaction, synchronous=FULL', unit: 'events/s', value: sp('raw.batch100') },
  { label: `raw read of the whole log in position order + JSON.parse (${EVENTS.toLocaleString('en')} events)`, unit: 'events/s', value: sp('raw.readParse') },
  { label: 'Emmett-sqlite 0.38.5, one event per appendToStream, 2,000 streams', unit: 'events/s', value: sp('emmett') },
  { label: 'minimal NestJS 12 on Fastify, constant JSON, 10 connections', unit: 'req/s', value: sp('nest.minimal') },
  { label: 'minimal NestJS p99 latency', unit: 'ms', value: sp('nest.minimal.p99') },
];

/**
 * Where each HTTP request's CPU goes, per side: the load client (autocannon) shares the 2 cores, so
 * a throughput ratio alone cannot tell a slow server from a busy client (a 40 KB answer costs the
 * client far more than the minimal server's 56 bytes). The server column is comparable across rows.
 */
const cpuRows = (): { label: string; server: Spread | null; client: Spread | null; ratio: Spread | null }[] => {
  const row = (label: string, key: string) => ({ label, server: sp(`${key}.serverUs`), client: sp(`${key}.clientUs`), ratio: key === 'nest.minimal' ? null : ratioOf(`${key}.serverUs`, 'nest.minimal.serverUs') });
  return [
    row('minimal NestJS on Fastify, constant JSON', 'nest.minimal'),
    row('HTTP command (POST an operating grant)', 'http.command'),
    row('HTTP read: funding mix', 'http.read.fundingMix'),
    row('HTTP read: key figures', 'http.read.keyFigures'),
    row('HTTP read: eligibility', 'http.read.eligibility'),
    row('HTTP read: eligibility asked again', 'http.read.eligibility.again'),
  ];
};

const renderCpuTable = (): string =>
  [
    '| load (10 connections) | server CPU per request | load client CPU per request | server CPU vs minimal NestJS |',
    '|---|---|---|---|',
    ...cpuRows().map((r) => `| ${r.label} | ${fmtSpread(r.server, 'µs')} | ${fmtSpread(r.client, 'µs')} | ${fmtRatio(r.ratio)} |`),
  ].join('\n');

const fmt = (x: number, unit: string): string => {
  if (!Number.isFinite(x)) return '—';
  if (unit === 'ms') return x < 10 ? x.toFixed(2) : x < 100 ? x.toFixed(1) : Math.round(x).toLocaleString('en');
  if (unit === 'MiB') return Math.round(x).toLocaleString('en');
  return Math.round(x).toLocaleString('en');
};
const fmtSpread = (s: Spread | null, unit: string): string => (s ? `${fmt(s.median, unit)} ${unit} [${fmt(s.min, unit)}–${fmt(s.max, unit)}]` : 'n/a');
const fmtRatio = (s: Spread | null): string => (s ? `${s.median.toFixed(2)}× [${s.min.toFixed(2)}–${s.max.toFixed(2)}]` : '');

export const renderTable = (figs: Figure[]): string => {
  const rows = figs.map((f) => [
    f.label,
    f.note && !f.value ? f.note : fmtSpread(f.value, f.unit),
    f.baseline ? `${f.baseline.label}: ${fmtSpread(f.baseline.value, f.unit)}` : '',
    fmtRatio(f.ratio),
    f.goal,
    f.pass === null ? (f.note ?? 'n/a') : f.pass ? 'pass' : 'MISS',
  ]);
  const head = ['figure', 'value: median [min–max]', 'baseline in the same run', 'ratio', 'goal', 'result'];
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
};

const machine = () => ({
  nproc: Number(execSync('nproc').toString().trim()),
  cpu: cpus()[0]?.model ?? 'unknown',
  memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
  freeMemoryGiBAtStart: Math.round((freemem() / 1024 ** 3) * 10) / 10,
  node: process.version,
  loadAverageAtStart: loadavg().map((x) => Math.round(x * 100) / 100),
  platform: `${process.platform} ${process.arch}`,
});

const main = async (): Promise<void> => {
  if (!existsSync(MAIN_JS)) throw new Error(`${MAIN_JS} is missing: run \`npm run build\` first (npm run bench does)`);
  const started = new Date();
  const m = machine();
  log(`bench: ${EVENTS.toLocaleString('en')} events, seed ${SEED}, ${ROUNDS} rounds, ${SECONDS} s per throughput run; ${m.nproc} cores, node ${m.node}`);
  const ledger = await ensureLedger();
  for (let r = 0; r < ROUNDS; r++) {
    await round(r, ledger);
    await sleep(200);
  }
  const figures = buildFigures();
  const table = renderTable(figures);
  const base = baselines();
  const cpuTable = renderCpuTable();
  const baseTable = ['| baseline | median [min–max] |', '|---|---|', ...base.map((b) => `| ${b.label} | ${fmtSpread(b.value, b.unit)} |`)].join('\n');
  const result = {
    startedAt: started.toISOString(),
    seconds: Math.round((Date.now() - started.getTime()) / 1000),
    machine: { ...m, loadAverageAtEnd: loadavg().map((x) => Math.round(x * 100) / 100) },
    options: { events: EVENTS, seed: SEED, rounds: ROUNDS, secondsPerThroughputRun: SECONDS, warmupSecondsBeforeEachHttpLoad: WARMUP, connections: 10, streams: STREAMS },
    ledger: { events: ledger.events, streams: ledger.streams, centres: ledger.centres, years: [ledger.years[0], ledger.years[ledger.years.length - 1]], generatedInSeconds: ledger.seconds },
    routes,
    figures,
    baselines: base,
    samples: Object.fromEntries(samples),
    notes,
    failures,
    table,
    cpuTable,
  };
  mkdirSync(RESULTS_DIR, { recursive: true });
  const out = join(RESULTS_DIR, `${started.toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`\nBenchmarks: ${EVENTS.toLocaleString('en')} events, ${ROUNDS} interleaved rounds; ${m.nproc} cores (${m.cpu}), ${m.memoryGiB} GiB, node ${m.node}\n`);
  console.log(table);
  console.log(`\n${baseTable}\n`);
  console.log(`${cpuTable}\n`);
  for (const n of notes) console.log(`note: ${n}`);
  for (const f of failures) console.log(`FAILED: ${f}`);
  const missed = figures.filter((f) => f.pass === false).map((f) => f.id);
  console.log(`\n${figures.filter((f) => f.pass === true).length} goals met, ${missed.length} missed${missed.length ? ` (${missed.join(', ')})` : ''}, ${figures.filter((f) => f.pass === null && f.note !== 'no goal').length} not measured, ${figures.filter((f) => f.note === 'no goal').length} shown without a goal; written to ${out}`);
};

if (require.main === module) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
