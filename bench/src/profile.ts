/**
 * Where the time goes: runs the ledger server on a generated ledger with the CPU profiler on,
 * puts one kind of load on it (reads or commands, 10 connections, loopback only), and prints the
 * self time by area and by function.
 *
 *   node dist/bench/src/profile.js --file bench/data/ledger-1000000-42.sqlite --load key-figures --seconds 10
 *   loads: funding-mix | funding-mix-all | key-figures | eligibility | operating-grant | as-of (add --gzip to send Accept-Encoding: gzip)
 *   funding-mix-all asks distinct questions as the benchmark does (every centre × every year but the last, in a shuffled
 *   order, each once until all are asked), so nearly every answer is computed rather than served from the answer cache.
 *   operating-grant POSTs to a freshly seeded ledger (removed afterwards), or to the --file given: pass a copy, it is written to.
 *   --latency: no CPU profile; prints what requests wait behind instead (each group commit's duration, the event
 *   loop's delay, garbage-collection pauses, the history snapshots taken on the main thread), from lib/latency-hook.
 *   A generated ledger whose .json records another generator version (or none: an older generator) is refused, with
 *   the command that regenerates it; --allow-stale profiles it anyway (its figures are then of the older log).
 */
import { join } from 'node:path';
import { COUNTIES_2014 } from '../../libs/application/src/seed/counties-2014';
import { TokenService } from '../../apps/api/src/auth/token.service';
import { BENCH_DIST, cpuMsOf, runTask, sleep, startServer } from './lib/child';
import { fetchOnce, firstAnswer, freePort, load } from './lib/http-load';
import { REPO_ROOT, scratch } from './lib/paths';
import { summariseProfile } from './lib/profile-summary';
import { closeSync, existsSync, fsyncSync, openSync, rmSync } from 'node:fs';
import { readLedgerMeta, regenerateCommand, staleLedgerReason } from './lib/ledger-meta';
import { centreIdOf, countyAuthorityOf, countyOf, generatedCentreIdOf, STREAMS } from './lib/rows';
import { prng } from './lib/stats';

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};

/** What the generator wrote beside a ledger (its centres and years), or a message saying how to get it. */
const ledgerMeta = (file: string): { centres: number; years: number[] } => {
  const meta = readLedgerMeta(file);
  if (meta?.centres === undefined || meta.years === undefined) {
    throw new Error(`${file}.json is missing or unreadable: generate the ledger with npm run bench or \`${regenerateCommand(file, 1_000_000)}\` (with its size), which write it`);
  }
  return { centres: meta.centres, years: meta.years };
};

/**
 * A generated ledger written by an older generator is another log than the benchmark's: refused
 * (saying how to regenerate it) unless --allow-stale. One without its .json is let through with a
 * note (a copy, or a ledger from elsewhere): the loads that need the .json say so themselves.
 */
const checkGenerator = (file: string): void => {
  const meta = readLedgerMeta(file);
  if (meta === undefined) {
    console.log(`note: ${file}.json is missing: which generator version wrote ${file} is unknown`);
    return;
  }
  const stale = staleLedgerReason(file);
  if (stale === null) return;
  const how = `Regenerate it (about a minute per 1,000,000 events) with \`${regenerateCommand(file, meta.events ?? 1_000_000, meta.seed)}\``;
  if (!process.argv.includes('--allow-stale')) throw new Error(`${file} is stale: ${stale}. ${how}, or pass --allow-stale to profile it as it is`);
  console.log(`warning: profiling a stale ledger (--allow-stale): ${stale}; ${how.charAt(0).toLowerCase()}${how.slice(1)}`);
};

const main = async (): Promise<void> => {
  const kind = arg('load', 'key-figures');
  const seconds = Number(arg('seconds', '10'));
  let file = arg('file', join(REPO_ROOT, 'bench', 'data', 'ledger-1000000-42.sqlite'));
  // A command load writes: it gets a freshly seeded ledger unless --file names one (a copy, say, of the generated ledger).
  const seeded = kind === 'operating-grant' && !process.argv.includes('--file');
  if (seeded) {
    file = scratch(`profile-command-${process.pid}.sqlite`);
    await runTask('seed-ledger', { file, streams: STREAMS }, 120_000);
  } else checkGenerator(file);
  // A ledger copied just before (cp) has its pages still dirty in the page cache, and the server's
  // first fsync would write them all out (a first commit of 0.5-0.7 s was measured on a fresh copy
  // of the 1,000,000-event ledger): they are written out before the server starts.
  for (const f of [file, `${file}-wal`]) {
    if (!existsSync(f)) continue;
    const fd = openSync(f, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
  const secret = 'bench-profile-secret-of-32-bytes-or-more';
  const out = scratch(`server-${kind}-${process.pid}.cpuprofile`);
  const port = await freePort();
  const t0 = process.hrtime.bigint();
  // --latency: instead of the CPU profiler, time what a request waits behind (commits, event-loop delay, GC).
  const latency = process.argv.includes('--latency');
  const hook = join(BENCH_DIST, 'lib', latency ? 'latency-hook.js' : 'cpu-profile-hook.js');
  const s = startServer(join(REPO_ROOT, 'dist', 'apps', 'api', 'src', 'main.js'), [], { LEDGER_SQLITE_PATH: file, LEDGER_JWT_SECRET: secret, LEDGER_RATE_LIMIT_PER_MINUTE: '100000000', BENCH_CPU_PROFILE: out }, port, ['-r', hook]);
  const tokens = new TokenService({ jwtSecret: secret, jwksUrl: null, jwtIssuer: null, jwtAudience: null });
  const token = await tokens.issue({ sub: 'bench', name: 'Bench', roles: kind === 'operating-grant' ? ['finance-officer'] : ['auditor'], counties: COUNTIES_2014.map((c) => c.countyId) });
  // --gzip: the load says Accept-Encoding: gzip, as browsers and most HTTP clients do.
  const auth: Record<string, string> = { authorization: `Bearer ${token}`, ...(process.argv.includes('--gzip') ? { 'accept-encoding': 'gzip' } : {}) };
  try {
    const ms = await firstAnswer(`http://127.0.0.1:${port}/counties`, auth, t0, 10 * 60_000, () => s.child.exitCode === null);
    console.log(`first answer after ${Math.round(ms)} ms`);
    const rnd = prng(1);
    const years = Array.from({ length: 15 }, (_, i) => 2010 + i);
    const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)];
    const counties = COUNTIES_2014.map((c) => c.countyId);
    // funding-mix-all: the benchmark's centre ids (kc-<county>-<k>, as run.ts builds them) × its years, shuffled once.
    const distinct: string[] = [];
    if (kind === 'funding-mix-all') {
      const meta = ledgerMeta(file);
      const ys = meta.years.slice(0, Math.max(1, meta.years.length - 1));
      for (let i = 0; i < meta.centres; i++) for (const y of ys) distinct.push(`/centres/${generatedCentreIdOf(i)}/funding-mix/${y}`);
      for (let i = distinct.length - 1; i > 0; i--) {
        const j = Math.floor(rnd() * (i + 1));
        [distinct[i], distinct[j]] = [distinct[j], distinct[i]];
      }
    }
    // The seeded ledger's centres, or a generated ledger's (centre i is in county i % 19 in both, as countyOf says).
    const commandCentres = seeded ? STREAMS : kind === 'operating-grant' ? ledgerMeta(file).centres : 0;
    const commandCentre = seeded ? centreIdOf : generatedCentreIdOf;
    let n = 0;
    const next = (): { path: string; body?: string } => {
      n++;
      switch (kind) {
        case 'funding-mix-all':
          return { path: distinct[(n - 1) % distinct.length] };
        case 'funding-mix':
          return { path: `/centres/kc-${pick(counties)}-1/funding-mix/${pick(years)}` };
        case 'eligibility':
          return { path: `/counties/${pick(counties)}/eligibility/${pick(years)}` };
        case 'operating-grant': {
          const i = n % commandCentres;
          return { path: `/centres/${commandCentre(i)}/funding/operating-grants`, body: JSON.stringify({ entryId: `p-${process.pid}-${i}-${n}`, fiscalYear: 2014, partyId: countyAuthorityOf(countyOf(i)), amount: '1250000.00', decidedOn: '2014-01-15', reference: `2014/${n}`, note: 'x' }) };
        }
        case 'as-of':
          return { path: `/key-figures/2013?asOf=${new Date(Date.UTC(2009, 0, 1) + rnd() * 20 * 365 * 86400_000).toISOString()}` };
        default:
          return { path: `/key-figures/${pick(years)}` };
      }
    };
    const probe = next();
    const first = await fetchOnce(`http://127.0.0.1:${port}${probe.path}`, probe.body ? { ...auth } : auth, probe.body ? 'POST' : 'GET', probe.body);
    console.log(`probe ${probe.path} → ${first.status}`);
    s.child.kill('SIGWINCH');
    for (let k = 0; k < 100 && !s.output().includes('profile-started'); k++) await sleep(50);
    if (!s.output().includes('profile-started')) throw new Error(`profiler did not start: ${s.output().slice(-500)}`);
    // The server's own CPU time (user + system, from /proc) while the load ran: per request, it moves less than req/s when other work shares the cores.
    const cpuBefore = cpuMsOf(s.child.pid!);
    const res = await load({ url: `http://127.0.0.1:${port}/`, method: kind === 'operating-grant' ? 'POST' : 'GET', headers: auth, seconds, connections: kind === 'as-of' ? 1 : 10, next });
    const cpuMs = cpuMsOf(s.child.pid!) - cpuBefore;
    console.log(`${kind}: ${Math.round(res.requestsPerSecond)} req/s, p50 ${res.p50Ms} ms, p99 ${res.p99Ms} ms, status ${JSON.stringify(res.statusCodes)}`);
    if (cpuMs >= 0) console.log(`server CPU: ${Math.round(cpuMs)} ms (user + system), ${res.requests > 0 ? Math.round((cpuMs * 1000) / res.requests) : 0} µs per request`);
    s.child.kill('SIGWINCH');
    for (let k = 0; k < 100 && !s.output().includes('profile-written'); k++) await sleep(100);
    if (latency) {
      const line = s.output().split('\n').find((l) => l.startsWith('latency '));
      if (!line) throw new Error(`the latency hook wrote nothing: ${s.output().slice(-500)}`);
      console.log(JSON.stringify(JSON.parse(line.slice('latency '.length)), null, 2));
    } else {
      console.log(summariseProfile(out, Number(arg('top', '30'))));
      console.log(`profile: ${out}`);
    }
  } finally {
    await s.stop();
    // The ledger seeded for a command load is scratch (the profile is what this run keeps).
    if (seeded) for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
  }
};

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
