import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { generateLedger } from '../../bench/src/generate';
import { ProjectionEngine as ProjectionEngineToken } from '../../libs/application/src/projection-engine';
import { SqliteEventStore } from '../../libs/event-store/src/sqlite-event-store';
import { fakeDateOnly } from '../helpers/fake-date';
import { startTestApp, TestApp } from '../helpers/test-app';

/**
 * Session twenty's review of ONE property: a view restored from a checkpoint or a history snapshot,
 * then folded on, answers exactly what a fold of the same log from position 0 answers, on every read
 * route, byte for byte; and an as-of answer at a recorded instant equals a fresh server's answer on a
 * copy of the log cut at that instant.
 *
 * The engine's cadences are not settings of the app (apps/api/src/ledger/ledger.module.ts builds the
 * engine with its defaults: checkpoints every 50,000 positions and at shutdown, history every 50,000,
 * the funding view every 5,000). To cross many boundaries with small ledgers, this file wraps the
 * engine class (jest.mock below) so that a test may choose the cadences (REVIEW_ENGINE.options); left
 * unset, the app's defaults apply.
 */
const REVIEW_ENGINE: { options: Record<string, number> } = ((globalThis as any).__reviewEngine ??= { options: {} });

jest.mock('../../libs/application/src/projection-engine', () => {
  const actual = jest.requireActual('../../libs/application/src/projection-engine');
  class ReviewEngine extends actual.ProjectionEngine {
    constructor(store: unknown, projections: unknown, snapshots: unknown, options: Record<string, unknown> = {}) {
      super(store, projections, snapshots, { ...((globalThis as any).__reviewEngine?.options ?? {}), ...options });
    }
  }
  return { ...actual, ProjectionEngine: ReviewEngine };
});

const dir = mkdtempSync(join(tmpdir(), 'restore-review-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// ------------------------------------------------------------------------------------------------
// Files: a generated ledger, cuts of it, rows appended from it, copies without snapshots.
// ------------------------------------------------------------------------------------------------

const generated = new Map<string, string>();
/** The benchmark generator's ledger of `events` events for `seed` (written once per file). */
const fullLedger = (seed: number, events: number): string => {
  const key = `${seed}-${events}`;
  let file = generated.get(key);
  if (!file) {
    file = join(dir, `full-${key}.sqlite`);
    generateLedger({ events, seed, out: file });
    generated.set(key, file);
  }
  return file;
};

let copies = 0;
/** A consistent copy of `src` (VACUUM INTO) holding events up to `upTo` only, and no snapshot at all. */
const eventsOnlyCopy = (src: string, upTo = Number.MAX_SAFE_INTEGER): string => {
  const dst = join(dir, `copy-${++copies}.sqlite`);
  const from = new Database(src, { readonly: true });
  try {
    from.prepare('VACUUM INTO ?').run(dst);
  } finally {
    from.close();
  }
  const db = new Database(dst);
  try {
    db.prepare('DELETE FROM events WHERE position > ?').run(upTo);
    for (const table of ['projection_snapshot_parts', 'projection_snapshot_texts', 'projection_snapshots']) db.prepare(`DELETE FROM ${table}`).run();
  } finally {
    db.close();
  }
  return dst;
};

/** Appends the generated rows (from, to] of `src` to `dst` (nothing else has it open). */
const appendRows = (src: string, dst: string, from: number, to: number): void => {
  const db = new Database(dst);
  try {
    db.prepare('ATTACH DATABASE ? AS src').run(src);
    db.prepare('INSERT INTO events SELECT * FROM src.events WHERE position > ? AND position <= ? ORDER BY position').run(from, to);
    db.prepare('DETACH DATABASE src').run();
  } finally {
    db.close();
  }
};

const sql = <T = any>(file: string, query: string, ...args: unknown[]): T[] => {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare(query).all(...args) as T[];
  } finally {
    db.close();
  }
};
const headOf = (file: string): number => sql<{ h: number | null }>(file, 'SELECT max(position) AS h FROM events')[0].h ?? 0;
const snapshotRows = (file: string): { name: string; position: number }[] => sql(file, 'SELECT name, position FROM projection_snapshots ORDER BY name, position');

// ------------------------------------------------------------------------------------------------
// Apps on files, and what they answer.
// ------------------------------------------------------------------------------------------------

const startOn = async (file: string): Promise<TestApp> =>
  startTestApp({ store: new SqliteEventStore({ path: file }), env: { LEDGER_RATE_LIMIT_PER_MINUTE: '0', LEDGER_SQLITE_PATH: file } });

/** A read to make: its path (with query) and the Accept it is asked with. */
interface Ask {
  path: string;
  accept?: string;
}
const askKey = (a: Ask): string => `${a.path}${a.accept ? ` [Accept: ${a.accept}]` : ''}`;

interface Answer {
  status: number;
  type: string;
  body: string;
}

const binary = (res: any, cb: (e: Error | null, b: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

const withQuery = (path: string, q: string): string => (q ? `${path}${path.includes('?') ? '&' : '?'}${q}` : path);

const answerOf = async (t: TestApp, auth: Record<string, string>, ask: Ask, query = ''): Promise<Answer> => {
  let req = t.http().get(withQuery(ask.path, query)).set(auth).set('Accept-Encoding', 'identity');
  if (ask.accept) req = req.set('Accept', ask.accept);
  const res = await req.buffer(true).parse(binary);
  const bytes = Buffer.isBuffer(res.body) ? (res.body as Buffer) : Buffer.from(res.text ?? '');
  const type = String(res.headers['content-type'] ?? '');
  return { status: res.status, type, body: type.includes('json') || type.includes('csv') ? bytes.toString('utf8') : bytes.toString('base64') };
};

const answersOf = async (t: TestApp, auth: Record<string, string>, asks: readonly Ask[], query = ''): Promise<Map<string, Answer>> => {
  const out = new Map<string, Answer>();
  for (const ask of asks) out.set(askKey(ask), await answerOf(t, auth, ask, query));
  return out;
};

/** Where two answers first differ, shortly (and whether parsed JSON bodies are equal at least). */
const firstDifference = (a: string, b: string): string => {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return `at char ${i}: restored …${a.slice(Math.max(0, i - 80), i + 120)}… | fresh …${b.slice(Math.max(0, i - 80), i + 120)}…`;
};
const parsedEqual = (a: string, b: string): boolean => {
  try {
    return isDeepStrictEqual(JSON.parse(a), JSON.parse(b));
  } catch {
    return false;
  }
};

/** Every ask whose answer differs (status, type or body bytes), described. */
const differences = (label: string, got: Map<string, Answer>, want: Map<string, Answer>): string[] => {
  const out: string[] = [];
  if (process.env.REVIEW_DEBUG) console.log(label, [...want].filter(([, w]) => w.status !== 200).map(([k, w]) => `${k}=${w.status}`).join(' '));
  for (const [k, w] of want) {
    const g = got.get(k)!;
    if (g.status === w.status && g.type === w.type && g.body === w.body) continue;
    const same = parsedEqual(g.body, w.body) ? ' (parsed JSON equal: key order only)' : '';
    out.push(`${label} ${k}: status ${g.status} vs fresh ${w.status}${same}; ${g.body === w.body ? 'same body' : firstDifference(g.body, w.body)}`);
  }
  return out;
};

// ------------------------------------------------------------------------------------------------
// What to ask of a generated ledger: every read route, with ids the generator uses.
// ------------------------------------------------------------------------------------------------

interface Ids {
  county: string;
  centre: string;
  centre2: string;
  party: string;
  board: string;
  proposal: string;
  agreement: string;
  grant: string;
  years: number[];
  schemeYear: number;
  firstEventId: string;
}

const idsOf = (file: string): Ids => {
  const first = <T = any>(type: string, order = 'ASC'): T => {
    const row = sql<{ data: string }>(file, `SELECT data FROM events WHERE type = ? ORDER BY position ${order} LIMIT 1`, type)[0];
    return (row ? JSON.parse(row.data) : {}) as T;
  };
  const centres = sql<{ data: string }>(file, "SELECT data FROM events WHERE type = 'CentreRegistered' ORDER BY position").map((r) => JSON.parse(r.data));
  const renamed = first('CentreRenamed');
  const centre = renamed.centreId ?? centres[0].centreId;
  const proposal = first('ProposalTabled');
  const corrected = first('StimulusGrantDecisionCorrected');
  const schemes = sql<{ data: string }>(file, "SELECT data FROM events WHERE type = 'GrantSchemePublished' ORDER BY position").map((r) => JSON.parse(r.data).year ?? null);
  const fiscal = sql<{ y: number }>(file, "SELECT DISTINCT json_extract(data, '$.fiscalYear') AS y FROM events WHERE type = 'OperatingGrantRecorded' ORDER BY y").map((r) => r.y);
  const mid = fiscal[Math.floor(fiscal.length / 2)] ?? 2013;
  return {
    county: centres.find((c) => c.centreId === centre)?.countyId ?? centres[0].countyId,
    centre,
    centre2: (centres.find((c) => c.centreId !== centre) ?? centres[0]).centreId,
    party: first('PartyRenamed').partyId ?? 'vox',
    board: proposal.boardId,
    proposal: proposal.proposalId,
    agreement: `oa-${centre}`,
    grant: corrected.applicationId ?? first('StimulusGrantApplied').applicationId,
    years: [fiscal[0] ?? 2010, mid, fiscal[fiscal.length - 1] ?? 2020],
    schemeYear: (schemes.filter((y) => y !== null) as number[])[Math.floor(schemes.length / 2)] ?? 2014,
    firstEventId: sql<{ event_id: string }>(file, 'SELECT event_id FROM events ORDER BY position LIMIT 1')[0].event_id,
  };
};

/** Every read route that takes asOf (as test/audit/as-of-review.e2e-spec.ts lists them), with the generated ledger's ids. */
const asksFor = (i: Ids): Ask[] => {
  const [y0, y1, y2] = i.years;
  const paths = [
    '/counties', '/counties?limit=5', `/counties/${i.county}`,
    '/centres', '/centres?limit=3', `/centres/${i.centre}`, `/centres/${i.centre2}`,
    '/parties', `/parties?countyId=${i.county}`, '/parties?kind=nav-county-office', `/parties/${i.party}`,
    '/boards', `/boards?countyId=${i.county}`, `/boards/${i.board}`, `/boards/${i.board}?year=${y1}`, `/boards/${i.board}/proposals/${i.proposal}`,
    `/centres/${i.centre}/governance?date=${y1}-06-01`, `/centres/${i.centre}/nav-link?date=${y1}-06-01`, `/nav-links?date=${y1}-06-01`, `/nav-links?date=${y1}-06-01&countyId=${i.county}`,
    `/centres/${i.centre}/owner-agreements?date=${y1}-06-01`, `/centres/${i.centre}/owner-agreements/${i.agreement}?date=${y1}-06-01`, `/owner-agreements/${i.agreement}?date=${y1}-06-01`,
    `/counties/${i.county}/partnership?date=${y1}-06-01`, `/partnerships?date=${y1}-06-01`,
    `/counties/${i.county}/county-line-decisions`, `/centres/${i.centre}/co-locations`,
    `/centres/${i.centre}/staff-positions`, `/centres/${i.centre}/staff-positions?year=${y1}`, `/centres/${i.centre}/staff-positions?year=${y2}`,
    ...[y0, y1, y2].flatMap((y) => [`/centres/${i.centre}/funding-mix/${y}`, `/counties/${i.county}/funding-mix/${y}`, `/funding-mix/${y}`, `/key-figures/${y}`, `/key-figures/${y}?format=csv`, `/owner-agreements/cost-share-compliance/${y}`]),
    `/key-figures/${y1}?counties=${i.county}`, `/owner-agreements/${i.agreement}/cost-share-compliance/${y1}`, `/centres/${i.centre}/owner-agreements/${i.agreement}/cost-share-compliance/${y1}`,
    `/centres/${i.centre2}/funding-mix/${y1}`,
    '/grant-criteria-sets', '/grant-schemes', `/grant-schemes/${i.schemeYear}`, `/grant-schemes/${i.schemeYear}/allocation`,
    `/grant-schemes/${i.schemeYear}/eligibility?detail=summary`, `/grant-schemes/${i.schemeYear}/eligibility/${i.county}`, `/counties/${i.county}/eligibility/${i.schemeYear}`,
    `/centres/${i.centre}/grant-evidence`, '/stimulus-grants', '/stimulus-grants?status=awarded', `/stimulus-grants/${i.grant}`,
    `/reports/key-figures/${y1}/csv`, `/reports/key-figures/${y1}/csv?county=${i.county}`, `/reports/funding-mix/${y1}/csv?county=${i.county}`, `/reports/funding-mix/${y1}/csv?centre=${i.centre}`,
    `/reports/${y1}/xlsx`, `/reports/${y2}/xlsx?centre=${i.centre}`,
    `/audit/streams/centre-${i.centre}`, `/audit/events/${i.firstEventId}`,
  ];
  return paths.map((path): Ask => ({ path })).concat([{ path: `/grant-schemes/${i.schemeYear}/eligibility`, accept: 'text/csv' }, { path: `/key-figures/${y1}`, accept: 'text/csv' }]);
};

const AUDITOR = { roles: ['auditor'] as const, sub: 'revisor' };
const auditorOf = async (t: TestApp): Promise<Record<string, string>> => t.auth([...AUDITOR.roles], [], AUDITOR.sub);

/** The answers of an app on `file` (started, asked, stopped). */
const answersOnFile = async (file: string, asks: readonly Ask[]): Promise<Map<string, Answer>> => {
  const t = await startOn(file);
  try {
    return await answersOf(t, await auditorOf(t), asks);
  } finally {
    await t.close();
  }
};

/** What a fresh app (no snapshot, folded from 0) answers on the log of `file` cut at `upTo`. */
const freshAnswers = async (file: string, asks: readonly Ask[], upTo?: number): Promise<Map<string, Answer>> => answersOnFile(eventsOnlyCopy(file, upTo), asks);

// ------------------------------------------------------------------------------------------------
// The checks.
// ------------------------------------------------------------------------------------------------

describe('restored views answer what a fold from 0 answers', () => {
  afterEach(() => {
    REVIEW_ENGINE.options = {};
  });

  it('R1 default cadences: a server stopped at 4,999 / 5,000 / 5,001 / 7,777 / 9,999 / 10,001 / 12,000 and restarted after more rows answers every route like a fresh fold', async () => {
    const full = fullLedger(11, 12_000);
    const asks = asksFor(idsOf(full));
    const work = eventsOnlyCopy(full, 4_999);
    const problems: string[] = [];
    const stops = [5_000, 5_001, 7_777, 9_999, 10_001, 12_000];
    // The first start folds from 0 and leaves a checkpoint at 4,999.
    await answersOnFile(work, asks.slice(0, 1));
    let at = 4_999;
    for (const next of stops) {
      appendRows(full, work, at, next);
      at = next;
      const restored = await answersOnFile(work, asks);
      const fresh = await freshAnswers(full, asks, next);
      problems.push(...differences(`@${next}`, restored, fresh));
    }
    expect(snapshotRows(work).filter((r) => r.name === 'history:funding').map((r) => r.position)).toEqual([5_000, 10_000]);
    expect(problems).toEqual([]);
  }, 150_000);

  it('R2 fine cadences (history every 1,000, checkpoints every 300): stops at 999 / 1,000 / 1,001 / 2,450 / 3,000, restarted twice without new rows, then 6,001 and 8,000: every route like a fresh fold', async () => {
    REVIEW_ENGINE.options = { historyEvery: 1_000, snapshotEvery: 300 };
    const full = fullLedger(29, 8_000);
    const asks = asksFor(idsOf(full));
    const work = eventsOnlyCopy(full, 999);
    await answersOnFile(work, asks.slice(0, 1));
    const problems: string[] = [];
    let at = 999;
    for (const next of [1_000, 1_001, 2_450, 3_000, 3_000, 3_000, 6_001, 8_000]) {
      appendRows(full, work, at, next);
      at = next;
      const restored = await answersOnFile(work, asks);
      problems.push(...differences(`@${next}`, restored, await freshAnswers(full, asks, next)));
    }
    // Not vacuous: history snapshots at every 1,000 of every view, and the routes answer.
    expect(snapshotRows(work).filter((r) => r.name === 'history:funding').map((r) => r.position)).toEqual([1_000, 2_000, 3_000, 4_000, 5_000, 6_000, 7_000, 8_000]);
    expect(problems).toEqual([]);
  }, 150_000);
});

// ------------------------------------------------------------------------------------------------
// As of recorded instants, on a server restored from its checkpoint and history snapshots.
// ------------------------------------------------------------------------------------------------

const recordedAtOf = (file: string, position: number): string => sql<{ r: string }>(file, 'SELECT recorded_at AS r FROM events WHERE position = ?', position)[0].r;

/**
 * What a fresh app on the log cut at `position` answers, asked at the instant that position was
 * recorded: "today" is then that instant's day (as an as-of answer takes it), capped at the real today.
 */
const freshAnswersThen = async (full: string, asks: readonly Ask[], position: number): Promise<Map<string, Answer>> => {
  const instant = Date.parse(recordedAtOf(full, position));
  const t = await startOn(eventsOnlyCopy(full, position));
  try {
    if (instant < Date.now()) fakeDateOnly(instant);
    const auth = await auditorOf(t);
    return await answersOf(t, auth, asks);
  } finally {
    jest.useRealTimers();
    await t.close();
  }
};

describe('as of a recorded instant, from a history snapshot folded forward', () => {
  afterEach(() => {
    REVIEW_ENGINE.options = {};
  });

  const asOfCheck = async (label: string, full: string, work: string, positions: number[]): Promise<string[]> => {
    const asks = asksFor(idsOf(full));
    const problems: string[] = [];
    const t = await startOn(work);
    try {
      const auth = await auditorOf(t);
      for (const position of positions) {
        const q = `asOf=${encodeURIComponent(recordedAtOf(full, position))}`;
        const want = await freshAnswersThen(full, asks, position);
        // Twice in a row (the second from the kept as-of view), then every route at once.
        const first = await answersOf(t, auth, asks, q);
        const second = await answersOf(t, auth, asks, q);
        const together = new Map<string, Answer>();
        await Promise.all(asks.map(async (ask) => together.set(askKey(ask), await answerOf(t, auth, ask, q))));
        problems.push(...differences(`${label} asOf@${position} (1st)`, first, want), ...differences(`${label} asOf@${position} (2nd)`, second, want), ...differences(`${label} asOf@${position} (concurrent)`, together, want));
      }
    } finally {
      await t.close();
    }
    return problems;
  };

  it('A1 default cadences (funding history every 5,000): as of positions 4,999 / 5,000 / 5,001 / 9,999 / 11,500 equals a fresh server on the log cut there', async () => {
    const full = fullLedger(11, 12_000);
    const work = eventsOnlyCopy(full, 6_000);
    await answersOnFile(work, [{ path: '/counties' }]);
    appendRows(full, work, 6_000, 12_000);
    await answersOnFile(work, [{ path: '/counties' }]);
    expect(snapshotRows(work).filter((r) => r.name === 'history:funding').map((r) => r.position)).toEqual([5_000, 10_000]);
    const problems = await asOfCheck('default', full, work, [4_999, 5_000, 5_001, 9_999, 11_500]);
    expect(problems).toEqual([]);
  }, 170_000);

  it('A2 fine cadences (history every 1,000): as of positions 999 / 1,000 / 1,001 / 2,450 / 5,999 / 7,001 equals a fresh server on the log cut there', async () => {
    REVIEW_ENGINE.options = { historyEvery: 1_000, snapshotEvery: 300 };
    const full = fullLedger(29, 8_000);
    const work = eventsOnlyCopy(full, 4_321);
    await answersOnFile(work, [{ path: '/counties' }]);
    appendRows(full, work, 4_321, 8_000);
    await answersOnFile(work, [{ path: '/counties' }]);
    const problems = await asOfCheck('fine', full, work, [999, 1_000, 1_001, 2_450, 5_999, 7_001]);
    expect(problems).toEqual([]);
  }, 170_000);
});

// ------------------------------------------------------------------------------------------------
// Writes of every awkward kind over HTTP, a stop right after each, a restart, a comparison.
// ------------------------------------------------------------------------------------------------

interface Write {
  what: string;
  run: (t: TestApp) => Promise<{ status: number; body: any }>;
}

const post = async (t: TestApp, auth: Record<string, string>, url: string, body: object): Promise<{ status: number; body: any }> => {
  const res = await t.http().post(url).set(auth).send(body);
  return { status: res.status, body: res.body };
};

/** Writes over HTTP on a generated ledger's ids: a party rename, a centre rename, a reversal, a correction, a decision, a closing, a scheme amendment, staff changes. */
const awkwardWrites = (full: string, upTo: number): Write[] => {
  const i = idsOf(full);
  const one = <T = any>(query: string, ...args: unknown[]): T => {
    const row = sql<{ data: string }>(full, query, ...args)[0];
    if (!row) throw new Error(`nothing for ${query}`);
    return JSON.parse(row.data) as T;
  };
  // An operating grant of the centre recorded by then and never reversed, and a second one to correct.
  const grants = sql<{ data: string }>(
    full,
    "SELECT data FROM events e WHERE type = 'OperatingGrantRecorded' AND position <= ? AND json_extract(data, '$.centreId') = ? AND NOT EXISTS (SELECT 1 FROM events r WHERE r.type = 'EntryReversed' AND json_extract(r.data, '$.reversedEntryId') = json_extract(e.data, '$.entryId')) ORDER BY position",
    upTo,
    i.centre,
  ).map((r) => JSON.parse(r.data));
  const position = one("SELECT data FROM events WHERE type = 'StaffPositionStarted' AND position <= ? AND json_extract(data, '$.centreId') = ? ORDER BY position DESC LIMIT 1", upTo, i.centre2);
  const party = one("SELECT data FROM events WHERE type = 'PartyRegistered' AND position <= ? AND json_extract(data, '$.countyId') = ? ORDER BY position LIMIT 1", upTo, i.county);
  const scheme = one("SELECT data FROM events WHERE type = 'GrantSchemePublished' AND position <= ? ORDER BY position DESC LIMIT 1", upTo);
  const centre2County = one("SELECT data FROM events WHERE type = 'CentreRegistered' AND json_extract(data, '$.centreId') = ?", i.centre2).countyId as string;
  const fo = (t: TestApp, county = i.county) => t.auth('finance-officer', [county], `fo-${county}`);
  return [
    { what: 'party renamed from a past date', run: async (t) => post(t, await fo(t), `/parties/${party.partyId}/rename`, { name: `${party.name} (omdøpt)`, effectiveFrom: `${i.years[1]}-03-01` }) },
    { what: 'centre renamed from a past date', run: async (t) => post(t, await fo(t), `/centres/${i.centre}/rename`, { name: 'Karriere Omdøpt', effectiveFrom: `${i.years[1]}-01-01` }) },
    { what: 'an operating grant reversed', run: async (t) => post(t, await fo(t), `/centres/${i.centre}/funding/entries/${grants[0].entryId}/reversal`, { reason: 'Feil senter' }) },
    { what: 'an operating grant corrected', run: async (t) => post(t, await fo(t), `/centres/${i.centre}/funding/entries/${grants[1].entryId}/correction`, { reason: 'Feil beløp', amount: '1234567.89' }) },
    { what: 'a staff position changed from a past date', run: async (t) => post(t, await fo(t, centre2County), `/centres/${i.centre2}/staff-positions/${position.positionId}/changes`, { effectiveFrom: `${i.years[1]}-07-01`, fte: '0.3', annualCost: '300000.00' }) },
    {
      what: 'a centre closed (at the earliest day its facts allow)',
      run: async (t) => {
        const auth = await fo(t, centre2County);
        const tried = await post(t, auth, `/centres/${i.centre2}/close`, { closedOn: `${i.years[1]}-06-01`, reason: 'Nedlagt' });
        if (tried.status !== 409 || !tried.body?.details?.earliestClosedOn) return tried;
        return post(t, auth, `/centres/${i.centre2}/close`, { closedOn: tried.body.details.earliestClosedOn, reason: 'Nedlagt' });
      },
    },
    {
      what: 'a county-line budget decision',
      run: async (t) =>
        post(t, await fo(t), `/counties/${i.county}/county-line-decisions`, {
          decisionId: 'review-decision-1', centreIds: [i.centre], kind: 'budget', year: i.years[1] + 1, title: 'Budsjett',
          content: { lines: [{ partyId: party.partyId, moneyKind: 'operating-grant', amount: '500000.00' }] }, decidedOn: `${i.years[1]}-12-01`,
        }),
    },
    { what: 'a grant scheme amended', run: async (t) => post(t, await t.auth('vox', [], 'vox-1'), `/grant-schemes/${scheme.year}/amendments`, { baseGrant: '12345678.90', reason: 'Ny ramme' }) },
  ];
};

describe('writes over HTTP, a stop right after each, a restart', () => {
  afterEach(() => {
    REVIEW_ENGINE.options = {};
  });

  const writeAndRestart = async (label: string, seed: number, events: number, head: number): Promise<{ problems: string[]; outcomes: string[] }> => {
    const full = fullLedger(seed, events);
    const asks = asksFor(idsOf(full));
    const work = eventsOnlyCopy(full, head);
    const problems: string[] = [];
    const outcomes: string[] = [];
    for (const w of awkwardWrites(full, head)) {
      const t = await startOn(work);
      let res: { status: number; body: any };
      try {
        res = await w.run(t);
      } finally {
        await t.close();
      }
      outcomes.push(`${w.what}: ${res.status}${res.status >= 300 ? ` ${JSON.stringify(res.body).slice(0, 200)}` : ''}`);
      const restored = await answersOnFile(work, asks);
      problems.push(...differences(`${label} after ${w.what} (@${headOf(work)})`, restored, await answersOnFile(eventsOnlyCopy(work), asks)));
    }
    return { problems, outcomes };
  };

  it('W1 default cadences, the log 3 positions before the funding view\'s 5,000: every write recorded, every route after each restart like a fresh fold', async () => {
    const { problems, outcomes } = await writeAndRestart('default', 11, 12_000, 4_997);
    expect(outcomes.filter((o) => !/: 20[01]$/.test(o))).toEqual([]);
    expect(problems).toEqual([]);
  }, 120_000);

  it('W2 fine cadences (history every 1,000, a checkpoint after every write), the log at 996: every route after each restart like a fresh fold', async () => {
    REVIEW_ENGINE.options = { historyEvery: 1_000, snapshotEvery: 1 };
    const { problems, outcomes } = await writeAndRestart('fine', 29, 8_000, 996);
    expect(outcomes.filter((o) => !/: 20[01]$/.test(o))).toEqual([]);
    expect(problems).toEqual([]);
  }, 120_000);
});

describe('as of the instants of writes folded forward from a history snapshot (a closing, a reversal, renames across the boundary)', () => {
  afterEach(() => {
    REVIEW_ENGINE.options = {};
  });

  const writeThenAskAsOf = async (label: string, seed: number, events: number, head: number, sameServer = false): Promise<{ problems: string[]; outcomes: string[]; positions: number[] }> => {
    const full = fullLedger(seed, events);
    const work = eventsOnlyCopy(full, head);
    const outcomes: string[] = [];
    const positions: number[] = [];
    // sameServer: a first start leaves a checkpoint at `head`; the writes and the questions are then made on one server (its checkpoint stays at `head`).
    if (sameServer) await answersOnFile(work, [{ path: '/counties' }]);
    const t = await startOn(work);
    try {
      for (const w of awkwardWrites(full, head)) {
        const res = await w.run(t);
        outcomes.push(`${w.what}: ${res.status}${res.status >= 300 ? ` ${JSON.stringify(res.body).slice(0, 200)}` : ''}`);
        positions.push(await t.store.headPosition());
      }
    } finally {
      if (!sameServer) await t.close();
    }
    if (sameServer) expect(snapshotRows(work).filter((r) => r.name === 'funding').map((r) => r.position)).toEqual([head]);
    // The instants must tell the writes apart (the generated log's last instant lies before now).
    const instants = positions.map((p) => recordedAtOf(work, p));
    expect(new Set(instants).size).toBe(instants.length);
    const asks = asksFor(idsOf(full));
    const problems: string[] = [];
    const s = sameServer ? t : await startOn(work);
    try {
      const auth = await auditorOf(s);
      for (const position of positions) {
        const q = `asOf=${encodeURIComponent(recordedAtOf(work, position))}`;
        const want = await freshAnswersThen(work, asks, position);
        const first = await answersOf(s, auth, asks, q);
        const together = new Map<string, Answer>();
        await Promise.all(asks.map(async (ask) => together.set(askKey(ask), await answerOf(s, auth, ask, q))));
        problems.push(...differences(`${label} asOf@${position}`, first, want), ...differences(`${label} asOf@${position} (concurrent)`, together, want));
      }
    } finally {
      await s.close();
    }
    return { problems, outcomes, positions };
  };

  it('A3 default cadences: writes at 4,998…5,00x cross the funding view\'s 5,000; as of each write equals a fresh server cut there', async () => {
    const { problems, outcomes, positions } = await writeThenAskAsOf('default', 11, 12_000, 4_997);
    expect(outcomes.filter((o) => !/: 20[01]$/.test(o))).toEqual([]);
    expect(positions[positions.length - 1]).toBeGreaterThan(5_000);
    expect(problems).toEqual([]);
  }, 120_000);

  it('A4 fine cadences (history every 1,000): writes at 997…1,00x; as of each write equals a fresh server cut there', async () => {
    REVIEW_ENGINE.options = { historyEvery: 1_000, snapshotEvery: 300 };
    const { problems, outcomes, positions } = await writeThenAskAsOf('fine', 29, 8_000, 996);
    expect(outcomes.filter((o) => !/: 20[01]$/.test(o))).toEqual([]);
    expect(positions[positions.length - 1]).toBeGreaterThan(1_000);
    expect(problems).toEqual([]);
  }, 120_000);

  it('A5 default cadences, one server: its checkpoint at 4,997, writes across 5,000, then as of each write (from the checkpoint or the history snapshot, whichever is nearer) equals a fresh server cut there', async () => {
    const { problems, outcomes } = await writeThenAskAsOf('one server', 11, 12_000, 4_997, true);
    expect(outcomes.filter((o) => !/: 20[01]$/.test(o))).toEqual([]);
    expect(problems).toEqual([]);
  }, 120_000);
});

describe('a crash (the file as a SIGKILL leaves it) after the views crossed a history boundary', () => {
  afterEach(() => {
    REVIEW_ENGINE.options = {};
  });

  /** A consistent copy of a file a running server has open, snapshots included: what a SIGKILL at this moment leaves. */
  const crashCopy = (file: string): string => {
    const dst = join(dir, `crash-${++copies}.sqlite`);
    const db = new Database(file, { readonly: true });
    try {
      db.prepare('VACUUM INTO ?').run(dst);
    } finally {
      db.close();
    }
    return dst;
  };

  it('K1 fine cadences (history every 1,000, no checkpoint but at stops): killed after writes crossed 1,000, restarted from the history set, restarted again: every route like a fresh fold', async () => {
    REVIEW_ENGINE.options = { historyEvery: 1_000, snapshotEvery: 1_000_000 };
    const full = fullLedger(29, 8_000);
    const asks = asksFor(idsOf(full));
    const work = eventsOnlyCopy(full, 996);
    await answersOnFile(work, asks.slice(0, 1)); // a checkpoint at 996
    const t = await startOn(work);
    let crashed: string;
    const outcomes: string[] = [];
    try {
      for (const w of awkwardWrites(full, 996)) outcomes.push(`${w.what}: ${(await w.run(t)).status}`);
      await answerOf(t, await auditorOf(t), { path: '/counties' }); // the views have folded every write
      (t.app.get(ProjectionEngineToken) as any).snapshots?.flush?.();
      crashed = crashCopy(work);
    } finally {
      await t.close();
    }
    expect(outcomes.filter((o) => !/: 20[01]$/.test(o))).toEqual([]);
    const rows = snapshotRows(crashed);
    expect(rows.filter((r) => r.name === 'history:funding').map((r) => r.position)).toEqual([1_000]);
    expect(rows.filter((r) => r.name === 'funding').map((r) => r.position)).toEqual([996]);
    const fresh = await answersOnFile(eventsOnlyCopy(crashed), asks);
    const problems = [...differences('first start after the crash', await answersOnFile(crashed, asks), fresh), ...differences('second start after the crash', await answersOnFile(crashed, asks), fresh)];
    expect(problems).toEqual([]);
  }, 90_000);
});
