import { ChildProcess, execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { SignJWT } from 'jose';
import { unzip } from '../../libs/application/src/audit/xlsx';
import { ReleaseServer, startReleaseServer, stopReleaseServer } from '../helpers/release-server';
import { ledgerChild } from '../helpers/ledger-child';

/**
 * UPGRADE review of this session (428b9b3..HEAD): a SQLite ledger file written by the previous release
 * (commit 428b9b3, the start of the session, built here from the repository's own history as
 * upgrade-from-previous-release.int.spec.ts builds cefa938) and then opened by this release.
 *
 * The old release itself writes, with data this release's new rules would refuse or treat differently:
 * - two Telemark municipalities whose names differ only by fullwidth letters ("Skien kommune" and
 *   "Ｓｋｉｅｎ kommune"), and two Telemark centres likewise (089dca4: names compared NFKC-folded);
 * - on the Østfold board, a member's term ended before the vote they cast (and before the decision that
 *   counted it), and another's ended between their vote and that decision (af5ff97, 9f838f6);
 * - a Vestfold centre closed on 2013-07-01 with user-survey participation up to its closing, judged by a
 *   2014 scheme whose free-guidance window takes it in, and the allocation of that scheme (Telemark's
 *   own centre meets every criterion, so that allocation has a county to share with) (af5ff97);
 * - staff paid directly by NAV, valued for one position only, and a centre whose only money was reversed
 *   (the report files b0b43f9 changed);
 * - 5,000 keyed money entries by `ledger import` (history snapshot of the funding view at 5,000, the
 *   checkpoint at the head), keyed HTTP writes (receipts), and a local jwt-secret it made itself
 *   (no LEDGER_JWT_SECRET), and tokens its `ledger token` issued (8 h, 24 h, a week: 089dca4).
 * This release then starts on that file and is checked: start, verify, replay, answers against the
 * old release's (every difference tied to its commit and looked at cell by cell), keyed retries, tokens,
 * new writes on top, and a history snapshot this release writes on top of the old one's texts.
 * One check fails on a product bug (a term end before a vote accepted once the proposal is closed; see there).
 * The build of the previous release takes ~10-15 s; the whole file ~45 s.
 */

const ROOT = resolve(__dirname, '../..');
const OLD_COMMIT = '428b9b3';

const hasOldCommit = ((): boolean => {
  try {
    execFileSync('git', ['-C', ROOT, 'cat-file', '-e', `${OLD_COMMIT}^{commit}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

jest.setTimeout(180_000);

const dir = mkdtempSync(join(tmpdir(), 'ledger-upgrade-s16-'));
const oldRoot = join(dir, 'old-release');
const ledgerDir = join(dir, 'ledger');
const file = join(ledgerDir, 'ledger.sqlite');
const secretFile = join(ledgerDir, 'jwt-secret');

/** Every server child, killed at the end whatever a test left running. */
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** The environment of every process here: the ledger file, the local jwt-secret beside it (no LEDGER_JWT_SECRET). */
const baseEnv = (): Record<string, string> => {
  const env = { ...process.env, LEDGER_SQLITE_PATH: file, LEDGER_RATE_LIMIT_PER_MINUTE: '0' } as Record<string, string>;
  for (const k of ['LEDGER_JWT_SECRET', 'EVENTSTORE_CONNECTION_STRING', 'LEDGER_STORE', 'LEDGER_LOG', 'LEDGER_JWT_MAX_HOURS', 'LEDGER_JWKS_URL', 'LEDGER_JWT_ISSUER', 'LEDGER_JWT_AUDIENCE']) delete env[k];
  return env;
};

/** The old release's CLI (its dist), as a child process. */
const oldCli = (args: string[]): Promise<{ code: number; stdout: string; stderr: string }> =>
  new Promise((done) => {
    execFile(process.execPath, [join(oldRoot, 'dist/apps/cli/src/main.js'), ...args], { cwd: oldRoot, env: baseEnv(), timeout: 60_000, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) =>
      done({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
  });
/** This release's CLI (TypeScript via swc), on the same file and local secret. */
const newCli = (args: string[]) => ledgerChild(args, { LEDGER_SQLITE_PATH: file, LEDGER_RATE_LIMIT_PER_MINUTE: '0' }, { timeoutMs: 120_000 });

type Server = ReleaseServer;

const startServer = (opts: { old?: boolean } = {}): Promise<Server> =>
  startReleaseServer(baseEnv(), { children, oldRoot: opts.old ? oldRoot : undefined, cwd: opts.old ? oldRoot : ROOT, pollMs: 25 });

const stop = stopReleaseServer;

// ---------- who writes ----------

const SENDERS: Record<string, { roles: string[]; counties: string[] }> = {
  'fo-telemark': { roles: ['finance-officer'], counties: ['telemark'] },
  'fo-vestfold': { roles: ['finance-officer'], counties: ['vestfold'] },
  'fo-ostfold': { roles: ['finance-officer'], counties: ['ostfold'] },
  'vox-saksbehandler': { roles: ['vox'], counties: [] },
  riksrevisjonen: { roles: ['auditor'], counties: [] },
  'ostfold-chair': { roles: ['board-member'], counties: [] },
  'ostfold-nav': { roles: ['board-member'], counties: [] },
  'ostfold-sarpsborg': { roles: ['board-member'], counties: [] },
  'ostfold-udf': { roles: ['board-member'], counties: [] },
};
/** The local secret the old release made (read once it exists). */
const localSecret = (): string => readFileSync(secretFile, 'utf8');
const token = (sub: string) =>
  new SignJWT({ name: sub, roles: SENDERS[sub].roles, counties: SENDERS[sub].counties })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime('2h')
    .sign(new TextEncoder().encode(localSecret()));

const send = async (s: Server, sub: string, path: string, body: unknown, key: string | null) => {
  const headers: Record<string, string> = { authorization: `Bearer ${await token(sub)}`, 'content-type': 'application/json' };
  if (key) headers['idempotency-key'] = key;
  const res = await fetch(s.base + path, { method: 'POST', headers, body: JSON.stringify(body) });
  return { status: res.status, text: await res.text() };
};
/** A read as the auditor; a workbook's bytes as base64 (compared byte for byte too). */
const read = async (s: Server, path: string, bearer?: string) => {
  const res = await fetch(s.base + path, { headers: { authorization: `Bearer ${bearer ?? (await token('riksrevisjonen'))}`, 'accept-encoding': 'identity' } });
  const binary = (res.headers.get('content-type') ?? '').includes('spreadsheetml');
  return { status: res.status, text: binary ? `base64:${Buffer.from(await res.arrayBuffer()).toString('base64')}` : await res.text() };
};
const head = async (s: Server) => ((await (await fetch(`${s.base}/health`)).json()) as { headPosition: number }).headPosition;
const json = (text: string): any => JSON.parse(text);

const tableRows = (sql: string): Record<string, unknown>[] => {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all() as Record<string, unknown>[];
  } finally {
    db.close();
  }
};
const EVENTS_SQL = 'SELECT position, event_id, stream_id, revision, type, schema_version, data, metadata, recorded_at, prev_hash, hash FROM events ORDER BY position';
const RECEIPTS_SQL = 'SELECT actor_id, key, request_hash, result, recorded_at FROM idempotency_receipts ORDER BY actor_id, key';
const SNAPSHOTS_SQL = 'SELECT name, version, position, state, saved_at FROM projection_snapshots ORDER BY name, position';

/** `ledger import` lines: 5,000 keyed money entries (one event each), enough for the funding view's history snapshot at 5,000. */
const bulkLines = (prefix: string, from: number, n: number, year: number): string =>
  Array.from({ length: n }, (_, j) => {
    const i = from + j;
    return JSON.stringify({
      command: 'RecordOtherIncome',
      payload: { entryId: `${prefix}-${i}`, centreId: 'telemark-kc', fiscalYear: year, partyId: 'telemark-fk', amount: `${100 + i}.${String(i % 100).padStart(2, '0')}`, decidedOn: `${year}-01-0${1 + (i % 9)}`, reference: `Kurs ${i}`, incomeKind: 'other' },
      idempotencyKey: `${prefix}-${i}`,
    });
  }).join('\n') + '\n';

// ---------- what the old release wrote and answered ----------

interface OldWrite { name: string; sender: string; path: string; body: object; key: string | null; status: number; text: string }
const old = {
  writes: [] as OldWrite[],
  reads: {} as Record<string, { status: number; text: string }>,
  mid: '',
  cli: {} as Record<string, { code: number; stdout: string; stderr: string }>,
  /** Tokens the old `ledger token` issued with the local secret it made: default (8 h), 24 h, a week. */
  tokens: {} as Record<'h8' | 'h24' | 'week', string>,
  /** The old server's answers to a read with each of those tokens. */
  tokenAnswers: {} as Record<string, number>,
  secret: '',
  buildMs: 0,
  makeMs: 0,
};

const S = '2014-12-01'; // the day the governance reads are asked for (they default to today otherwise)
const PARTY_FW = 'Ｓｋｉｅｎ kommune'; // fullwidth S, k, i, e, n: "Skien kommune" under NFKC
const CENTRE_FW = 'Ｋａｒｒｉｅｒｅｓｅｎｔｅｒｅｔ Bø';
const readsToCapture = (mid: string): string[] => {
  const at = encodeURIComponent(mid);
  return [
    '/counties', '/counties/telemark', '/counties/vestfold', '/centres', '/centres/telemark-bo', '/centres/telemark-bo-fw', '/centres/vestfold-kc',
    '/parties', '/parties/skien-kommune', '/parties/skien-kommune-fw',
    '/boards', '/boards/ostfold-board', '/boards/ostfold-board/proposals/ostfold-goals-2015', '/boards/ostfold-board/proposals/ostfold-strategic-plan-2014',
    '/centres/telemark-kc/staff-positions?year=2013', '/centres/ostfold-kc/staff-positions?year=2013',
    '/centres/telemark-kc/funding-mix/2013', '/centres/telemark-kc/funding-mix/2014', '/centres/vestfold-kc/funding-mix/2013', '/counties/telemark/funding-mix/2014', '/funding-mix/2013', '/funding-mix/2014',
    '/key-figures/2013', '/key-figures/2014',
    '/reports/key-figures/2013/csv', '/reports/funding-mix/2013/csv', '/reports/funding-mix/2013/csv?centre=ostfold-kc', '/reports/funding-mix/2013/csv?centre=vestfold-kc', '/reports/2013/xlsx?centre=ostfold-kc',
    '/reports/funding-mix/2013/csv?centre=telemark-bo', '/reports/2013/xlsx?centre=telemark-bo', '/reports/funding-mix/2013/csv?centre=telemark-bo-fw', '/reports/2013/xlsx?centre=telemark-bo-fw', '/centres/telemark-bo/funding-mix/2013', '/centres/telemark-bo-fw/funding-mix/2013',
    '/owner-agreements/cost-share-compliance/2013',
    '/grant-schemes', '/grant-schemes/2014', '/grant-schemes/2014/allocation', '/grant-schemes/2014/eligibility', '/grant-schemes/2014/eligibility/vestfold', '/counties/vestfold/eligibility/2014', '/counties/telemark/eligibility/2014',
    '/centres/vestfold-kc/grant-evidence',
    `/centres/ostfold-kc/governance?date=${S}`, `/centres/vestfold-kc/governance?date=${S}`, `/counties/vestfold/partnership?date=${S}`,
    '/audit/digest', '/audit/verify', '/audit/streams/party-skien-kommune-fw', '/audit/streams/board-ostfold-board', '/audit/streams/centre-vestfold-kc',
    '/audit/position-at', `/audit/position-at?asOf=${at}`,
    // As of a moment after the 5,000 imported entries: from the funding view's history snapshot at 5,000 (written by the old release), folded forward.
    `/key-figures/2013?asOf=${at}`, `/centres/telemark-kc/funding-mix/2013?asOf=${at}`, `/reports/funding-mix/2013/csv?centre=telemark-kc&asOf=${at}`,
    `/parties?asOf=${at}`, `/boards/ostfold-board?asOf=${at}`, `/grant-schemes/2014/eligibility/vestfold?asOf=${at}`,
  ];
};

/** Builds the old release and makes the ledger with it (server and CLI), capturing every answer. */
const makeOldLedger = async (): Promise<void> => {
  let t0 = Date.now();
  mkdirSync(oldRoot, { recursive: true });
  execFileSync('sh', ['-c', `git -C "${ROOT}" archive ${OLD_COMMIT} | tar -x -C "${oldRoot}"`]);
  symlinkSync(join(ROOT, 'node_modules'), join(oldRoot, 'node_modules'));
  execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: oldRoot });
  old.buildMs = Date.now() - t0;
  t0 = Date.now();
  mkdirSync(ledgerDir, { recursive: true });
  // The CLI as `ledger-cli`: seed, the two fixtures, 5,000 entries (receipts under ledger-cli).
  old.cli.seed = await oldCli(['seed']);
  old.secret = localSecret();
  old.cli.counties = await oldCli(['import', join(oldRoot, 'fixtures/case-counties-2013.jsonl')]);
  old.cli.governance = await oldCli(['import', join(oldRoot, 'fixtures/governance-2014.jsonl')]);
  writeFileSync(join(dir, 'bulk-old.jsonl'), bulkLines('bulk', 0, 5000, 2013));
  old.cli.bulk = await oldCli(['import', join(dir, 'bulk-old.jsonl')]);
  for (const [k, ttl] of [['h8', null], ['h24', '86400'], ['week', '604800']] as const) {
    const run = await oldCli(['token', '--role', 'auditor', '--sub', `old-token-${k}`, ...(ttl ? ['--ttl', ttl] : [])]);
    old.tokens[k] = run.stdout.trim();
  }

  const s = await startServer({ old: true });
  const w = async (name: string, sender: string, path: string, body: object, key: string | null = `s16-${name}`) => {
    const res = await send(s, sender, path, body, key);
    old.writes.push({ name, sender, path, body, key, status: res.status, text: res.text });
  };
  const fo = 'fo-telemark';
  // 1. Names that collide only under NFKC: a party pair and a centre pair, both in Telemark, same kind, both open.
  await w('party-skien', fo, '/parties', { partyId: 'skien-kommune', name: 'Skien kommune', kind: 'municipality', countyId: 'telemark' });
  await w('party-skien-fw', fo, '/parties', { partyId: 'skien-kommune-fw', name: PARTY_FW, kind: 'municipality', countyId: 'telemark' });
  await w('centre-bo', fo, '/centres', { centreId: 'telemark-bo', countyId: 'telemark', name: 'Karrieresenteret Bø', municipality: 'Bø', openedOn: '2012-01-02' });
  await w('centre-bo-fw', fo, '/centres', { centreId: 'telemark-bo-fw', countyId: 'telemark', name: CENTRE_FW, municipality: 'Bø', openedOn: '2013-01-02' });
  // 2. Money with keys: a grant, its correction, a reversal.
  await w('drift-2014', fo, '/centres/telemark-kc/funding/operating-grants', { entryId: 'tm-2014-drift-fk', fiscalYear: 2014, partyId: 'telemark-fk', amount: '2400000.00', decidedOn: '2013-12-10', reference: 'Fylkestinget, budsjett 2014' });
  await w('correction-2014', fo, '/centres/telemark-kc/funding/entries/tm-2014-drift-fk/correction', { reason: 'Feil beløp', amount: '2410000.00' });
  await w('annet-2014', fo, '/centres/telemark-kc/funding/other-income', { entryId: 'tm-2014-annet', fiscalYear: 2014, partyId: 'skien-kommune-fw', amount: '25000.00', decidedOn: '2014-02-01', reference: 'Kurs', incomeKind: 'other' });
  await w('annet-2014-reversal', fo, '/centres/telemark-kc/funding/entries/tm-2014-annet/reversal', { reason: 'Ført på feil part' });
  // 3. The Østfold board: a proposal voted on 2014-11-10 (udf, sarpsborg, chair) and 2014-11-12 (nav), decided 2014-11-20;
  //    then udf's term ended on 2014-11-05 (before the vote and the decision) and sarpsborg's on 2014-11-15 (between them).
  await w('table-goals', 'ostfold-chair', '/boards/ostfold-board/proposals', { proposalId: 'ostfold-goals-2015', kind: 'goals', year: 2015, title: 'Mål for 2015', content: { goals: ['Flere voksne får karriereveiledning'] }, tabledOn: '2014-11-03' });
  for (const [who, on] of [['ostfold-udf', '2014-11-10'], ['ostfold-sarpsborg', '2014-11-10'], ['ostfold-chair', '2014-11-10'], ['ostfold-nav', '2014-11-12']]) {
    await w(`vote-${who}`, who, '/boards/ostfold-board/proposals/ostfold-goals-2015/votes', { vote: 'for', castOn: on });
  }
  await w('close-goals', 'ostfold-chair', '/boards/ostfold-board/proposals/ostfold-goals-2015/close', { closedOn: '2014-11-20', outcome: 'adopted' });
  await w('end-udf-before-vote', 'fo-ostfold', '/boards/ostfold-board/members/ostfold-udf/end', { endedOn: '2014-11-05', reason: 'Gikk ut av styret' });
  await w('end-sarpsborg-before-decision', 'fo-ostfold', '/boards/ostfold-board/members/ostfold-sarpsborg/end', { endedOn: '2014-11-15', reason: 'Ny representant' });
  // 4. Vestfold: one centre, closed from 2013-07-01, user survey up to its closing; every other criterion met.
  const fv = 'fo-vestfold';
  await w('vf-fk', fv, '/parties', { partyId: 'vestfold-fk', name: 'Vestfold fylkeskommune', kind: 'county-authority', countyId: 'vestfold' });
  await w('vf-nav', fv, '/parties', { partyId: 'nav-vestfold', name: 'NAV Vestfold', kind: 'nav-county-office', countyId: 'vestfold' });
  await w('vf-partnership', fv, '/counties/vestfold/partnership-agreements', { partnershipId: 'vestfold-partnerskap', parties: ['vestfold-fk', 'nav-vestfold'], signedOn: '2012-09-01', period: { from: '2012-09-01', to: null } });
  await w('vf-coordinating', fv, '/counties/vestfold/coordinating-function', { holderPartyId: 'vestfold-fk', description: 'Koordinerer veiledningsaktørene i Vestfold', from: '2012-01-01' });
  await w('vf-centre', fv, '/centres', { centreId: 'vestfold-kc', countyId: 'vestfold', name: 'Karrieresenteret i Vestfold', municipality: 'Tønsberg', openedOn: '2010-01-04' });
  const ev = '/centres/vestfold-kc/grant-evidence';
  await w('vf-service', fv, `${ev}/service-declarations`, { effectiveFrom: '2012-01-01', freeOfCharge: true, openToAllAdults: true, fromAge: 19 });
  for (const [i, g] of ['primary-lower-secondary-counsellors', 'upper-secondary-counsellors', 'nav-staff'].entries()) {
    await w(`vf-competence-${i}`, fv, `${ev}/competence-development`, { deliveredOn: `2013-0${i + 3}-15`, kind: 'course', targetGroups: [g], participants: 10 + i, description: `Kompetanseheving for ${g}` });
  }
  await w('vf-survey', fv, `${ev}/user-survey-participations`, { period: { from: '2013-01-01', to: '2013-06-30' } });
  await w('vf-drift-2013', fv, '/centres/vestfold-kc/funding/operating-grants', { entryId: 'vf-2013-drift', fiscalYear: 2013, partyId: 'vestfold-fk', amount: '600000.00', decidedOn: '2012-12-12', reference: 'Budsjett 2013' });
  await w('vf-close', fv, '/centres/vestfold-kc/close', { closedOn: '2013-07-01', reason: 'Slått sammen med Karrieresenteret i Telemark' });
  await w('vf-report-2013', fv, `${ev}/annual-reports`, { year: 2013, submittedOn: '2014-02-15' });
  // Telemark's own centre meets every criterion (so the old release's allocation has a county to share with).
  const et = '/centres/telemark-kc/grant-evidence';
  await w('tm-service', fo, `${et}/service-declarations`, { effectiveFrom: '2012-01-01', freeOfCharge: true, openToAllAdults: true, fromAge: 19 });
  for (const [i, g] of ['primary-lower-secondary-counsellors', 'upper-secondary-counsellors', 'nav-staff'].entries()) {
    await w(`tm-competence-${i}`, fo, `${et}/competence-development`, { deliveredOn: `2013-0${i + 3}-20`, kind: 'course', targetGroups: [g], participants: 20 + i, description: `Kurs for ${g}` });
  }
  await w('tm-survey', fo, `${et}/user-survey-participations`, { period: { from: '2013-01-01', to: '2013-12-31' } });
  await w('tm-report-2013', fo, `${et}/annual-reports`, { year: 2013, submittedOn: '2014-02-20' });
  // For the report files (b0b43f9): staff paid directly by NAV, one position with an annual cost and one without;
  // and a centre whose only money of 2013 was reversed.
  await w('bo-staff-valued', fo, '/centres/telemark-bo/staff-positions', { positionId: 'bo-nav-1', title: 'Veileder (NAV)', employerKind: 'nav-county-office', employerPartyId: 'nav-telemark', fte: '1', payer: { kind: 'party', partyId: 'nav-telemark' }, annualCost: '600000.00', startedOn: '2013-01-02' });
  await w('bo-staff-unvalued', fo, '/centres/telemark-bo/staff-positions', { positionId: 'bo-nav-2', title: 'Veileder (NAV)', employerKind: 'nav-county-office', employerPartyId: 'nav-telemark', fte: '0.5', payer: { kind: 'party', partyId: 'nav-telemark' }, startedOn: '2013-01-02' });
  await w('bofw-annet-2013', fo, '/centres/telemark-bo-fw/funding/other-income', { entryId: 'bofw-2013-annet', fiscalYear: 2013, partyId: 'skien-kommune', amount: '5000.00', decidedOn: '2013-02-01', reference: 'Kurs', incomeKind: 'other' });
  await w('bofw-annet-2013-reversal', fo, '/centres/telemark-bo-fw/funding/entries/bofw-2013-annet/reversal', { reason: 'Feil senter' });
  // The 2014 scheme judges free guidance over the first half of 2013 (so the closed centre is judged), and its allocation.
  await w('scheme-2014', 'vox-saksbehandler', '/grant-schemes', { year: 2014, baseGrant: '4200000.00', criteriaSetId: 'criteria-2014', judgingDate: '2014-03-01', note: 'Grunntilskudd 2014', windows: { freeGuidance: { from: '2013-01-01', to: '2013-06-30' } } });
  await w('allocation-2014', 'vox-saksbehandler', '/grant-schemes/2014/allocation', { note: 'Grunntilskudd 2014' });
  old.mid = new Date().toISOString();
  await new Promise((r) => setTimeout(r, 20));
  await w('drift-2015', fo, '/centres/telemark-kc/funding/operating-grants', { entryId: 'tm-2015-drift-fk', fiscalYear: 2015, partyId: 'telemark-fk', amount: '2450000.00', decidedOn: '2014-12-10', reference: 'Budsjett 2015' });

  for (const path of readsToCapture(old.mid)) old.reads[path] = await read(s, path);
  for (const [k, t] of Object.entries(old.tokens)) old.tokenAnswers[k] = (await read(s, '/counties/telemark', t)).status;
  const how = await stop(s);
  if (how !== 'ok') throw new Error(`old server did not stop cleanly: ${how}`);
  old.makeMs = Date.now() - t0;
  console.log(`previous release (${OLD_COMMIT}) built in ${old.buildMs} ms; ledger made in ${old.makeMs} ms`);
};

// ---------- what this release changed on purpose ----------

const NFKC = '089dca4';
const SURVEY = 'af5ff97 (user survey of a centre closed during its window judged up to the day before closedOn, the closure cited)';
const POSITION_AT = 'af5ff97 (GET /audit/position-at without asOf: 400 REQUEST.BAD_AS_OF naming the parameter, was VALIDATION.FAILED)';
const PAID_DIRECTLY = "b0b43f9 (report files): NAV Telemark's staff paid directly, valued for one position and not the other, reads '598356,16 + ikke oppgitt' in the CSV (was '598356,16'); the workbook keeps the number and adds a «Merknad» column";
const SUM_SHARE = 'b0b43f9 (report files): the funding mix\'s «Sum» share is empty, not 100,0 %, over a mix with no reported amount (0,00)';
/** Reads whose answer this session changed on purpose, each tied to its commit (each difference was looked at: nothing else in them changed). */
const INTENDED_READ_CHANGES = (mid: string): Record<string, string> => {
  const at = encodeURIComponent(mid);
  return {
    '/grant-schemes/2014/eligibility': `${SURVEY}: Vestfold eligible (vestfold-kc passes 3c-i)`,
    '/grant-schemes/2014/eligibility/vestfold': `${SURVEY}: Vestfold eligible`,
    '/counties/vestfold/eligibility/2014': `${SURVEY}: Vestfold eligible`,
    [`/grant-schemes/2014/eligibility/vestfold?asOf=${at}`]: `${SURVEY}; README: as of a past instant, the rules applied are this version's`,
    '/audit/position-at': POSITION_AT,
    '/reports/funding-mix/2013/csv': PAID_DIRECTLY,
    '/reports/funding-mix/2013/csv?centre=telemark-bo': `${PAID_DIRECTLY}; ${SUM_SHARE}`,
    '/reports/2013/xlsx?centre=telemark-bo': `${PAID_DIRECTLY}; ${SUM_SHARE} (cell D4 of «Finansieringsmiks» left out)`,
    '/reports/funding-mix/2013/csv?centre=telemark-bo-fw': SUM_SHARE,
    '/reports/2013/xlsx?centre=telemark-bo-fw': `${SUM_SHARE} (cell D4 left out)`,
  };
};

/** This release's answers on the upgraded file, before any new write. */
const newReads: Record<string, { status: number; text: string }> = {};

const describeWithOldRelease = hasOldCommit ? describe : describe.skip;
if (!hasOldCommit) {
  describe.skip(`upgrade from ${OLD_COMMIT} (skipped: the commit is not in this clone; clone with its history, e.g. git fetch --unshallow)`, () => {
    it('opens a ledger the previous release wrote', () => undefined);
  });
}

describeWithOldRelease(`upgrading a SQLite ledger written by the previous release (${OLD_COMMIT}) to this one`, () => {
  let server: Server | null = null;
  const before = { events: [] as Record<string, unknown>[], receipts: [] as Record<string, unknown>[], snapshots: [] as Record<string, unknown>[], migrations: [] as unknown[] };

  beforeAll(async () => {
    await makeOldLedger();
    before.events = tableRows(EVENTS_SQL);
    before.receipts = tableRows(RECEIPTS_SQL);
    before.snapshots = tableRows(SNAPSHOTS_SQL);
    before.migrations = tableRows('SELECT version FROM schema_migrations ORDER BY version').map((r) => r.version);
  }, 170_000);
  afterAll(async () => {
    if (server) await stop(server);
  });

  it('the old release wrote what this review needs: every write accepted (the ones this release refuses included), history snapshot and checkpoint, its own jwt-secret', () => {
    expect([old.cli.seed.code, old.cli.counties.code, old.cli.governance.code, old.cli.bulk.code]).toEqual([0, 0, 0, 0]);
    expect(old.cli.bulk.stdout).toContain('5000 applied');
    expect(old.writes.filter((x) => x.status >= 300).map((x) => [x.name, x.status, x.text.slice(0, 300)])).toEqual([]);
    expect(old.secret).toMatch(/^[0-9a-f]{64}$/);
    expect(before.migrations).toEqual([1, 2, 3]);
    const headPos = before.events.length;
    expect(before.events[headPos - 1].position).toBe(headPos);
    // The funding view's history snapshot at 5,000 and every view's checkpoint at the head.
    expect(before.snapshots.filter((x) => String(x.name).startsWith('history:')).map((x) => [x.name, x.position])).toEqual([['history:funding', 5000]]);
    expect(before.snapshots.filter((x) => !String(x.name).startsWith('history:')).every((x) => x.position === headPos)).toBe(true);
    expect(before.receipts.filter((r) => r.actor_id === 'ledger-cli').length).toBeGreaterThanOrEqual(5000);
    // What the old server said to the tokens its CLI issued: all three let in.
    expect(old.tokenAnswers).toEqual({ h8: 200, h24: 200, week: 200 });
  });

  it('`ledger verify` of this release: OK on the file as the old release left it, and nothing of it changed', async () => {
    const run = await newCli(['verify']);
    expect([run.code, run.stdout.trim().split('\n')[0]]).toEqual([0, expect.stringMatching(/^OK/)]);
    expect(tableRows(EVENTS_SQL)).toEqual(before.events);
    expect(tableRows(SNAPSHOTS_SQL)).toEqual(before.snapshots);
  });

  it('this release starts on it with the jwt-secret the old one made: no migration, every event, receipt and checkpoint as it was (restored, not folded again), still WAL', async () => {
    server = await startServer();
    console.log(`this release's first start on the old file: ${server.readyMs} ms`);
    expect(server.stderr()).not.toMatch(/warn|error|has no part|folded again/i);
    expect(tableRows('SELECT version FROM schema_migrations ORDER BY version').map((r) => r.version)).toEqual(before.migrations);
    expect(tableRows(EVENTS_SQL)).toEqual(before.events);
    expect(tableRows(RECEIPTS_SQL)).toEqual(before.receipts);
    // No view changed version this session: every checkpoint and the history snapshot restored as stored, none written again.
    expect(tableRows(SNAPSHOTS_SQL)).toEqual(before.snapshots);
    expect(readFileSync(secretFile, 'utf8')).toBe(old.secret);
    expect(tableRows('PRAGMA journal_mode')[0]).toEqual({ journal_mode: 'wal' });
  });

  it('read answers equal the old release\'s, except the ones this session changed on purpose (each tied to its commit)', async () => {
    for (const path of Object.keys(old.reads)) newReads[path] = await read(server!, path);
    const differ = Object.keys(old.reads).filter((p) => old.reads[p].status !== newReads[p].status || old.reads[p].text !== newReads[p].text);
    console.log(`reads that differ from ${OLD_COMMIT}: ${JSON.stringify(differ, null, 1)}`);
    expect(differ.sort()).toEqual(Object.keys(INTENDED_READ_CHANGES(old.mid)).sort());
    // NFKC (089dca4) changed only how names are compared: the look-alike pairs read as they were given.
    for (const p of ['/parties/skien-kommune-fw', '/centres/telemark-bo-fw']) expect([NFKC, p, newReads[p].status, json(newReads[p].text).name]).toEqual([NFKC, p, 200, p.startsWith('/parties') ? PARTY_FW : CENTRE_FW]);
  });

  it('each report-file difference is exactly what b0b43f9 changed, and nothing else in the file', () => {
    const lines = (t: string) => t.split(/\r?\n/);
    const changedLines = (p: string) => {
      const [a, b] = [lines(old.reads[p].text), lines(newReads[p].text)];
      expect([p, a.length]).toEqual([p, b.length]);
      return a.flatMap((l, i) => (l === b[i] ? [] : [[l, b[i]]]));
    };
    const nav = ['NAV Telemark;NAV fylke;1,5;598356,16', 'NAV Telemark;NAV fylke;1,5;598356,16 + ikke oppgitt'];
    const sum = ['Sum;;0,00;100,0;0;0', 'Sum;;0,00;;0;0'];
    expect(changedLines('/reports/funding-mix/2013/csv')).toEqual([nav]);
    expect(changedLines('/reports/funding-mix/2013/csv?centre=telemark-bo')).toEqual([sum, nav]);
    expect(changedLines('/reports/funding-mix/2013/csv?centre=telemark-bo-fw')).toEqual([sum]);
    // The workbooks: every part the same but the «Finansieringsmiks» sheet, and in it only these cells.
    const CELL = /<c r="([A-Z]+\d+)"[^>]*?(?:\/>|>[\s\S]*?<\/c>)/g;
    const changedCells = (p: string) => {
      const [a, b] = [old.reads[p], newReads[p]].map((r) => unzip(Buffer.from(r.text.replace(/^base64:/, ''), 'base64')));
      expect([...a.keys()]).toEqual([...b.keys()]);
      const parts = [...a.keys()].filter((k) => !a.get(k)!.equals(b.get(k)!));
      expect(parts).toEqual(['xl/worksheets/sheet2.xml']);
      const [x, y] = [a, b].map((z) => z.get('xl/worksheets/sheet2.xml')!.toString('utf8'));
      expect(x.replace(CELL, '')).toBe(y.replace(CELL, ''));
      const [cx, cy] = [x, y].map((z) => new Map([...z.matchAll(CELL)].map((m) => [m[1], m[0]])));
      const text = (c: string | undefined) => (c === undefined ? null : c.replace(/<[^>]+>/g, ''));
      return [...new Set([...cx.keys(), ...cy.keys()])].filter((r) => cx.get(r) !== cy.get(r)).map((r) => [r, text(cx.get(r)), text(cy.get(r))]);
    };
    expect(changedCells('/reports/2013/xlsx?centre=telemark-bo')).toEqual([
      ['D4', '1', null],
      ['E11', null, 'Merknad'],
      ['E12', null, 'årlig kostnad ikke oppgitt for noen stillinger (ikke med i verdien)'],
    ]);
    expect(changedCells('/reports/2013/xlsx?centre=telemark-bo-fw')).toEqual([['D4', '1', null]]);
  });

  it('the user-survey change is what af5ff97 says: vestfold-kc\'s 3c-i is judged up to 2013-06-30 (closed from 2013-07-01), passes citing the closure, and Vestfold becomes eligible; the recorded allocation stays as recorded', () => {
    const path = '/grant-schemes/2014/eligibility/vestfold';
    const find = (cs: any[], id: string): any => cs.map((x) => (x.id === id ? x : x.subCriteria ? find(x.subCriteria, id) : undefined)).find((x) => x);
    const judge = (text: string) => {
      const r = json(text);
      const c = r.centres.find((x: any) => x.centreId === 'vestfold-kc');
      const survey = find(c.criteria, '3c-i');
      return { eligible: r.eligible, qualifies: c.qualifies, passed: survey.passed, reason: survey.reason.en, evidence: survey.evidence.map((e: any) => r.events.find((x: any) => x.position === e.position).type) };
    };
    expect(judge(old.reads[path].text)).toEqual({
      eligible: false,
      qualifies: false,
      passed: false,
      reason: 'Karrieresenteret i Vestfold did not take part in the user survey from 2013-07-01 to 2013-12-31.',
      evidence: ['UserSurveyParticipationRecorded'],
    });
    expect(judge(newReads[path].text)).toEqual({
      eligible: true,
      qualifies: true,
      passed: true,
      reason: 'Karrieresenteret i Vestfold took part in the user survey throughout 2013-01-01 – 2013-06-30 (closed from 2013-07-01).',
      evidence: ['UserSurveyParticipationRecorded', 'CentreClosed'],
    });
    // Apart from that criterion (and what follows from it: the centre's and the county's verdicts, their texts), the answer is the old one.
    const strip = (text: string) => {
      const r = json(text);
      const c = r.centres.find((x: any) => x.centreId === 'vestfold-kc');
      return { ...r, eligible: null, reason: null, missing: null, qualifyingCentres: null, criteria: r.criteria.filter((x: any) => x.id !== '3'), centres: [{ ...c, qualifies: null, criteria: c.criteria.filter((x: any) => x.id !== '3c') }], events: null };
    };
    expect(strip(newReads[path].text)).toEqual(strip(old.reads[path].text));
    // As of the old moment, this version's rule too (README: as of a past instant, the rules applied are this version's).
    expect(judge(newReads[`${path}?asOf=${encodeURIComponent(old.mid)}`].text)).toMatchObject({ eligible: true, passed: true });
    // Every county but Vestfold judged as before; one more county eligible.
    const all = (text: string) => json(text);
    const [o, n] = [all(old.reads['/grant-schemes/2014/eligibility'].text), all(newReads['/grant-schemes/2014/eligibility'].text)];
    expect(n.eligibleCount).toBe(o.eligibleCount + 1);
    expect(n.counties.filter((c: any) => c.countyId !== 'vestfold')).toEqual(o.counties.filter((c: any) => c.countyId !== 'vestfold'));
    const eligibleIds = (r: any) => r.counties.filter((c: any) => c.eligible).map((c: any) => c.countyId).sort();
    expect([eligibleIds(o), eligibleIds(n)]).toEqual([['telemark'], ['telemark', 'vestfold']]);
    // The allocation the old release recorded (Vestfold not eligible then) is a recorded fact: answered as recorded.
    expect(newReads['/grant-schemes/2014/allocation']).toEqual(old.reads['/grant-schemes/2014/allocation']);
  });

  it('keyed retries of every old write (the ones this release\'s rules now refuse included) are answered from their receipts, byte for byte, recording nothing', async () => {
    const h0 = await head(server!);
    const answers: [string, number, string][] = [];
    for (const w of old.writes) {
      const res = await send(server!, w.sender, w.path, w.body, w.key);
      answers.push([w.name, res.status, res.text]);
    }
    expect(answers).toEqual(old.writes.map((w) => [w.name, w.status, w.text]));
    expect(await head(server!)).toBe(h0);
  });

  it('tokens the old `ledger token` issued with its jwt-secret: 8 h and 24 h still let in; a week is now 401 AUTH.TOKEN_INVALID (089dca4, LEDGER_JWT_MAX_HOURS 24)', async () => {
    const got: Record<string, unknown> = {};
    for (const [k, t] of Object.entries(old.tokens)) {
      const res = await read(server!, '/counties/telemark', t);
      got[k] = res.status === 200 ? 200 : [res.status, json(res.text).code];
    }
    expect(got).toEqual({ h8: 200, h24: 200, week: [401, 'AUTH.TOKEN_INVALID'] });
    // And this release's `ledger token` signs with the same secret, taken by the server.
    const mine = await newCli(['token', '--role', 'auditor', '--sub', 'new-token']);
    expect(mine.code).toBe(0);
    expect((await read(server!, '/counties/telemark', mine.stdout.trim())).status).toBe(200);
  });

  describe('new writes on top', () => {
    const at = () => head(server!);
    const post = (sub: string, path: string, body: object) => send(server!, sub, path, body, null);

    it('the NFKC-colliding parties: a rename of either to its own name records nothing; to the other\'s name (or a case variant of it) is 409 PARTY.NAME_TAKEN naming the other; to a third name works, and frees the name', async () => {
      const h0 = await at();
      const fo = 'fo-telemark';
      for (const [id, name] of [['skien-kommune', 'Skien kommune'], ['skien-kommune-fw', PARTY_FW]]) {
        const res = await post(fo, `/parties/${id}/rename`, { name, effectiveFrom: '2014-06-01' });
        expect([id, res.status]).toEqual([id, 200]);
      }
      expect(await at()).toBe(h0);
      const toOther = await post(fo, '/parties/skien-kommune-fw/rename', { name: 'Skien kommune', effectiveFrom: '2014-06-01' });
      expect([toOther.status, json(toOther.text).code, json(toOther.text).details?.partyId]).toEqual([409, 'PARTY.NAME_TAKEN', 'skien-kommune']);
      const caseVariant = await post(fo, '/parties/skien-kommune/rename', { name: 'SKIEN kommune', effectiveFrom: '2014-06-01' });
      expect([caseVariant.status, json(caseVariant.text).code, json(caseVariant.text).details?.partyId]).toEqual([409, 'PARTY.NAME_TAKEN', 'skien-kommune-fw']);
      const again = await post(fo, '/parties', { partyId: 'skien-kommune-3', name: 'Skien Kommune', kind: 'municipality', countyId: 'telemark' });
      expect([again.status, json(again.text).code]).toEqual([409, 'PARTY.NAME_TAKEN']);
      expect(await at()).toBe(h0);
      // A third name from 2015: recorded; from then the pair no longer collides.
      const third = await post(fo, '/parties/skien-kommune-fw/rename', { name: 'Skien kommune, voksenopplæringen', effectiveFrom: '2015-01-01' });
      expect(third.status).toBe(200);
      expect(await at()).toBe(h0 + 1);
      const party = json((await read(server!, '/parties/skien-kommune-fw')).text);
      expect(JSON.stringify(party)).toContain('Skien kommune, voksenopplæringen');
      const freed = await post(fo, '/parties/skien-kommune/rename', { name: 'SKIEN kommune', effectiveFrom: '2015-01-01' });
      expect(freed.status).toBe(200);
      expect(await at()).toBe(h0 + 2);
    });

    it('the NFKC-colliding centres: a rename to its own name records nothing; to a third name works; a new centre with the name is 409 CENTRE.NAME_TAKEN', async () => {
      const h0 = await at();
      const fo = 'fo-telemark';
      const same = await post(fo, '/centres/telemark-bo-fw/rename', { name: CENTRE_FW, effectiveFrom: '2014-01-01' });
      expect(same.status).toBe(200);
      const sameAscii = await post(fo, '/centres/telemark-bo/rename', { name: 'Karrieresenteret Bø', effectiveFrom: '2014-01-01' });
      expect(sameAscii.status).toBe(200);
      const toOther = await post(fo, '/centres/telemark-bo-fw/rename', { name: 'Karrieresenteret Bø', effectiveFrom: '2014-01-01' });
      expect([toOther.status, json(toOther.text).code, json(toOther.text).details?.centreId]).toEqual([409, 'CENTRE.NAME_TAKEN', 'telemark-bo']);
      expect(await at()).toBe(h0);
      const third = await post(fo, '/centres/telemark-bo-fw/rename', { name: 'Karrieresenteret Seljord', effectiveFrom: '2015-01-01' });
      expect(third.status).toBe(200);
      expect(await at()).toBe(h0 + 1);
      const dup = await post(fo, '/centres', { centreId: 'telemark-bo-2', countyId: 'telemark', name: 'KARRIERESENTERET BØ', municipality: 'Bø', openedOn: '2016-01-04' });
      expect([dup.status, json(dup.text).code, json(dup.text).details?.centreId]).toEqual([409, 'CENTRE.NAME_TAKEN', 'telemark-bo']);
      expect(await at()).toBe(h0 + 1);
    });

    it('board terms: another member\'s term ends; the new rule holds for a member whose vote and decision are in the term; the legacy udf end (already before its vote) can be moved earlier', async () => {
      const h0 = await at();
      const fo = 'fo-ostfold';
      const staff = await post(fo, '/boards/ostfold-board/members/ostfold-staff-2/end', { endedOn: '2014-12-31', reason: 'Sluttet' });
      expect(staff.status).toBe(200);
      // nav voted on 2014-11-12, the decision of 2014-11-20 counted the seat: not before the decision (9f838f6).
      const nav = await post(fo, '/boards/ostfold-board/members/ostfold-nav/end', { endedOn: '2014-11-15', reason: 'Ny representant' });
      expect([nav.status, json(nav.text).code, json(nav.text).details]).toEqual([
        422,
        'BOARD.TERM_ENDS_BEFORE_VOTE',
        { personId: 'ostfold-nav', endedOn: '2014-11-15', proposalId: 'ostfold-goals-2015', castOn: '2014-11-12', castBy: 'ostfold-nav', decidedOn: '2014-11-20', earliestEndedOn: '2014-11-20', voteCount: 1 },
      ]);
      expect(await at()).toBe(h0 + 1);
      // udf's term, ended on 2014-11-05 by the old release (its vote of 2014-11-10 already outside it): moved earlier, nothing more falls outside.
      const udf = await post(fo, '/boards/ostfold-board/members/ostfold-udf/end', { endedOn: '2014-11-01', reason: 'Rettet dato' });
      expect(udf.status).toBe(200);
      expect(await at()).toBe(h0 + 2);
      const board = json((await read(server!, '/boards/ostfold-board')).text);
      expect(board.members.filter((m: any) => ['ostfold-udf', 'ostfold-staff-2'].includes(m.personId)).map((m: any) => [m.personId, m.term.to])).toEqual([
        ['ostfold-udf', '2014-11-01'],
        ['ostfold-staff-2', '2014-12-31'],
      ]);
    });

    // sarpsborg voted on 2014-11-10; the old release ended the term on 2014-11-15, before the decision of 2014-11-20.
    // Ending it again on 2014-11-09 takes that vote out of the term: af5ff97's rule (a term cannot end before a vote cast in it)
    // refuses it. PRODUCT BUG (fails): it is recorded. requireNoVoteAfterEnd (9f838f6) judges a seat holder's vote on a closed
    // proposal only by the decision's day (mustHold: closedOn when later than castOn) instead of by both days; the decision's
    // day is already outside this term, so the vote's own day is never looked at. Not only legacy data: in this release alone,
    // end a term after the holder's vote, close the proposal later (allowed: the seat is not counted), then end the term again
    // before the vote - refused before the close, accepted after it.
    it('a legacy term ended between its vote and the decision: ending it again before the vote is still 422 BOARD.TERM_ENDS_BEFORE_VOTE', async () => {
      const h0 = await at();
      const res = await post('fo-ostfold', '/boards/ostfold-board/members/ostfold-sarpsborg/end', { endedOn: '2014-11-09', reason: 'Rettet dato' });
      const body = json(res.text);
      expect([res.status, body.code, body.details?.castOn, body.details?.earliestEndedOn]).toEqual([422, 'BOARD.TERM_ENDS_BEFORE_VOTE', '2014-11-10', '2014-11-10']);
      expect(await at()).toBe(h0);
    });
  });

  it('after a normal stop: `ledger verify` OK and `ledger replay` exit 0, every view equal to a fold from 0', async () => {
    expect(await stop(server!)).toBe('ok');
    server = null;
    const verify = await newCli(['verify']);
    expect([verify.code, verify.stdout.trim().split('\n')[0]]).toEqual([0, expect.stringMatching(/^OK/)]);
    const replay = await newCli(['replay']);
    expect([replay.code, replay.stdout.match(/DIFFERS.*$/gm) ?? []]).toEqual([0, []]);
    expect(replay.stdout).toMatch(/compared at position \d+/);
  });

  it('`ledger import` of this release: the old 5,000 lines are answered from their receipts (nothing twice); 5,000 more cross position 10,000, and the history snapshot this release writes there (beside the old one) answers as of that moment as the live views did', async () => {
    const h0 = tableRows('SELECT max(position) AS p FROM events')[0].p as number;
    writeFileSync(join(dir, 'bulk-new.jsonl'), bulkLines('bulk', 0, 5000, 2013) + bulkLines('bulk-new', 5000, 5000, 2013));
    const imp = await newCli(['import', join(dir, 'bulk-new.jsonl')]);
    expect([imp.code, imp.stderr]).toEqual([0, '']);
    expect(imp.stdout).toContain('5000 applied (5000 events), 5000 already applied earlier');
    expect(tableRows('SELECT max(position) AS p FROM events')[0].p).toBe(h0 + 5000);
    const history = tableRows("SELECT name, position FROM projection_snapshots WHERE name LIKE 'history:%' ORDER BY position").map((r) => [r.name, r.position]);
    expect(history).toEqual([
      ['history:funding', 5000],
      ['history:funding', 10000],
    ]);
    server = await startServer();
    const path = '/centres/telemark-kc/funding-mix/2013';
    const live = await read(server, path);
    const kf = await read(server, '/key-figures/2013');
    const t = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 20));
    expect((await send(server, 'fo-telemark', '/centres/telemark-kc/funding/other-income', { entryId: 'after-t', fiscalYear: 2013, partyId: 'telemark-fk', amount: '1.00', decidedOn: '2013-05-05', reference: 'Etter', incomeKind: 'other' }, null)).status).toBe(201);
    expect(await read(server, `${path}?asOf=${encodeURIComponent(t)}`)).toEqual(live);
    expect(await read(server, `/key-figures/2013?asOf=${encodeURIComponent(t)}`)).toEqual(kf);
    // ...and as of the old moment, from the old release's snapshot at 5,000, still the answer it gave.
    const oldAsOf = `/key-figures/2013?asOf=${encodeURIComponent(old.mid)}`;
    expect(await read(server, oldAsOf)).toEqual(old.reads[oldAsOf]);
    expect(await stop(server)).toBe('ok');
    server = null;
    const replay = await newCli(['replay']);
    expect([replay.code, replay.stdout.match(/DIFFERS.*$/gm) ?? []]).toEqual([0, []]);
    expect(existsSync(secretFile) && readFileSync(secretFile, 'utf8')).toBe(old.secret);
    // No draft of a new secret left beside it (17cd14f writes one only when there is no jwt-secret).
    expect(readdirSync(ledgerDir).filter((f) => f.startsWith('jwt-secret'))).toEqual(['jwt-secret']);
  });
});
