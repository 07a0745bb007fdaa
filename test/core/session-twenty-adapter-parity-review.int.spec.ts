/**
 * Session twenty: adversarial review of one property, "the same commands give the same ledger and
 * the same answers on every adapter" (SQLite, memory, the EventStoreDB adapter on its in-process
 * stand-in FakeEsdbClient). A failing check is a finding.
 *
 * Positions: EventStoreDB's are commit positions (README, Running on EventStoreDB: increasing, not
 * contiguous), and its hashes leave the position out (Architecture, the hash chain). Those two are
 * documented, so every answer is compared with positions replaced by the ledger's own ordinal
 * (1, 2, 3… in log order) and, for EventStoreDB, with hashes and digests left out. Everything else
 * must be equal.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { generateLedger } from '../../bench/src/generate';
import { RecordedEvent } from '../../libs/domain/src/shared';
import { EventStoreDbEventStore } from '../../libs/event-store/src/eventstoredb-event-store';
import { FakeEsdbClient } from '../../libs/event-store/src/eventstoredb-fake-client.fixture';
import { MemoryEventStore } from '../../libs/event-store/src/memory-event-store';
import { EventStore } from '../../libs/event-store/src/port';
import { EVENT_COLUMNS, EventArray, eventOfRow, SqliteEventStore } from '../../libs/event-store/src/sqlite-event-store';
import { fakeDateOnly } from '../helpers/fake-date';
import { seedCounties, startTestApp, TestApp } from '../helpers/test-app';

jest.setTimeout(60_000);

const dir = mkdtempSync(join(tmpdir(), 'parity-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const eventsOf = (file: string): RecordedEvent[] => {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare(`SELECT ${EVENT_COLUMNS} FROM events ORDER BY position`).raw(true).all() as EventArray[]).map(eventOfRow);
  } finally {
    db.close();
  }
};

/** Appends the events one by one, each with its own recordedAt (the store's clock), its id, data and metadata. */
const copyInto = async (events: RecordedEvent[], make: (clock: () => Date) => EventStore): Promise<EventStore> => {
  let at = '';
  const store = make(() => new Date(at));
  // The generator writes an allocation's basedOnPosition as its own (SQLite) position: the same log on
  // another store names that store's position of the same event, as the allocation command would.
  const positions = new Map<number, number>([[0, 0]]);
  for (const e of events) {
    at = e.recordedAt;
    const data = typeof e.data.basedOnPosition === 'number' ? { ...e.data, basedOnPosition: positions.get(e.data.basedOnPosition) } : e.data;
    const r = await store.append(e.streamId, [{ eventId: e.eventId, type: e.type, schemaVersion: e.schemaVersion, data, metadata: e.metadata }], e.revision === 0 ? 'no_stream' : e.revision - 1);
    positions.set(e.position, r.position);
  }
  return store;
};

interface Side {
  name: 'sqlite' | 'memory' | 'esdb';
  t: TestApp;
  store: EventStore;
  /** The store's global position → the ledger's ordinal (1-based, log order). */
  ord: Map<number, number>;
  /** ordinal → the store's position. */
  pos: (ordinal: number) => number;
}

const allEvents = async (s: EventStore): Promise<RecordedEvent[]> => {
  const out: RecordedEvent[] = [];
  for (let after = 0; ; ) {
    const page = await s.readAll({ after, maxCount: 10_000, uncached: true });
    out.push(...page);
    if (page.length === 0) return out;
    after = page[page.length - 1].position;
  }
};

const sideOf = async (name: Side['name'], store: EventStore, env: Record<string, string> = {}): Promise<Side> => {
  const events = await allEvents(store);
  const ord = new Map<number, number>([[0, 0]]);
  events.forEach((e, i) => ord.set(e.position, i + 1));
  const byOrd = [0, ...events.map((e) => e.position)];
  const t = await startTestApp({ store, env: { LEDGER_RATE_LIMIT_PER_MINUTE: '0', LEDGER_ANSWER_CACHE_MB: '0', ...env } });
  return { name, t, store, ord, pos: (n) => byOrd[n] };
};

const POSITION_KEY = /position|^after$|^nextAfter$|^scannedTo$|^upTo$/i;
const HASH_KEY = /^(hash|prevHash|digest|expectedDigest|actualDigest)$/;

/**
 * An answer with the side's positions as ordinals, without hashes and digests (EventStoreDB's leave the
 * position out by design; memory's and SQLite's are compared on their own, A1 and A6).
 */
const norm = (side: Side, v: unknown, key = ''): unknown => {
  const mapPos = (n: number): string | number => (side.ord.has(n) ? side.ord.get(n)! : `unmapped:${n}`);
  if (Array.isArray(v)) return v.map((x) => norm(side, x, key));
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      if (HASH_KEY.test(k)) continue;
      out[k] = norm(side, x, k);
    }
    return out;
  }
  if (typeof v === 'number' && POSITION_KEY.test(key)) return mapPos(v);
  if (typeof v === 'string') {
    let s = v.replace(/\b(position|atPosition|after|upTo)=(\d+)/g, (_m, k, n) => `${k}=${mapPos(Number(n))}`);
    s = s.replace(/\bdigest=[0-9a-f]{64}/g, 'digest=…');
    return s;
  }
  return v;
};

/** What to compare of an answer: status, content type, and the body (JSON normalised; text and bytes as they are). */
const answer = async (side: Side, url: string, headers: Record<string, string>, binary = false) => {
  let r = side.t.http().get(url).set(headers);
  if (binary) r = r.buffer(true).parse((res, cb) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => cb(null, Buffer.concat(chunks)));
  });
  const res = await r;
  const type = String(res.headers['content-type'] ?? '');
  const body = binary ? (res.body as Buffer).toString('base64') : type.includes('json') ? norm(side, res.body) : norm(side, res.text);
  return { status: res.status, type, body };
};

/** The first side's answer, and every side whose answer differs from it (url, side, the two answers). */
const differences = async (sides: Side[], urls: string[], headers: Record<string, string>, binary = false) => {
  const diffs: { url: string; side: string; base: unknown; other: unknown }[] = [];
  for (const url of urls) {
    const [base, ...rest] = await Promise.all(sides.map((s) => answer(s, url, headers, binary)));
    rest.forEach((a, i) => {
      if (JSON.stringify(a) !== JSON.stringify(base)) diffs.push({ url, side: sides[i + 1].name, base, other: a });
    });
  }
  return diffs;
};

/** A short, readable account of differences for a failing expectation. */
const summary = (diffs: { url: string; side: string; base: unknown; other: unknown }[]) =>
  diffs.map((d) => ({ url: d.url, side: d.side, ...firstDiff(d.base, d.other) }));

/** Where two JSON values first differ: the path and the two values there (shortened). */
const firstDiff = (a: unknown, b: unknown, path = ''): { path: string; base: string; other: string } | Record<string, never> => {
  if (JSON.stringify(a) === JSON.stringify(b)) return {};
  if (a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    for (const k of keys) {
      const d = firstDiff((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
      if ('path' in d) return d;
    }
  }
  return { path, base: String(JSON.stringify(a)).slice(0, 300), other: String(JSON.stringify(b)).slice(0, 300) };
};

describe('A. a generated ledger of 6,000 events, the same on every adapter', () => {
  let events: RecordedEvent[];
  let sides: Side[];
  let auditor: Record<string, string>;

  beforeAll(async () => {
    const file = join(dir, 'gen.sqlite');
    generateLedger({ events: 6_000, seed: 20, out: file });
    events = eventsOf(file);
    const sqlitePath = join(dir, 'a-ledger.sqlite');
    copyFileSync(file, sqlitePath);
    const mem = await copyInto(events, (c) => new MemoryEventStore(c));
    const es = await copyInto(events, (c) => new EventStoreDbEventStore(new FakeEsdbClient(), c));
    sides = [await sideOf('sqlite', new SqliteEventStore({ path: sqlitePath })), await sideOf('memory', mem), await sideOf('esdb', es, { LEDGER_SQLITE_PATH: join(dir, 'a-esdb.sqlite') })];
    auditor = await sides[0].t.auth('auditor');
  }, 120_000);
  afterAll(async () => {
    for (const s of sides ?? []) await s.t.close();
  });

  it('A1 the stores hold the same log: ids, streams, revisions, types, data, metadata, recordedAt, positions as ordinals; memory and SQLite hashes equal', async () => {
    const strip = (e: RecordedEvent, side: Side, withHash: boolean) => ({
      ...e,
      position: side.ord.get(e.position),
      data: typeof e.data.basedOnPosition === 'number' ? { ...e.data, basedOnPosition: side.ord.get(e.data.basedOnPosition) } : e.data,
      hash: withHash ? e.hash : null,
      prevHash: withHash ? e.prevHash : null,
    });
    const [a, b, c] = await Promise.all(sides.map((s) => allEvents(s.store)));
    expect(a).toHaveLength(6_000);
    expect(b.map((e) => strip(e, sides[1], true))).toEqual(a.map((e) => strip(e, sides[0], true)));
    expect(c.map((e) => strip(e, sides[2], false))).toEqual(a.map((e) => strip(e, sides[0], false)));
  });

  /** Every read route's URLs for the ids this ledger holds (taken from the memory side's lists). */
  const readUrls = async (): Promise<string[]> => {
    const get = async (url: string) => (await sides[1].t.http().get(url).set(auditor)).body;
    const counties: { countyId: string }[] = await get('/counties');
    const centres: { centreId: string }[] = await get('/centres');
    const boards: { boardId: string }[] = await get('/boards');
    const parties: { partyId: string }[] = await get('/parties');
    const grants: { applicationId: string }[] = await get('/stimulus-grants');
    const schemes: { year: number }[] = await get('/grant-schemes');
    const years = [2009, 2012, 2014, 2018, 2020, 2024, 2027];
    const urls = ['/counties', '/centres', '/boards', '/parties', '/partnerships', '/nav-links', '/stimulus-grants', '/grant-schemes', '/grant-criteria-sets', '/counties?limit=7', '/centres?limit=3', '/parties?limit=50'];
    for (const c of counties) urls.push(`/counties/${c.countyId}`, `/counties/${c.countyId}/partnership?date=2020-06-01`, `/counties/${c.countyId}/county-line-decisions`);
    for (const c of centres) {
      urls.push(`/centres/${c.centreId}`, `/centres/${c.centreId}/governance?date=2019-06-01`, `/centres/${c.centreId}/nav-link?date=2019-06-01`, `/centres/${c.centreId}/owner-agreements?date=2019-06-01`, `/centres/${c.centreId}/co-locations`, `/centres/${c.centreId}/staff-positions`, `/centres/${c.centreId}/grant-evidence`);
      for (const y of years) urls.push(`/centres/${c.centreId}/funding-mix/${y}`);
      const ags: { agreementId: string }[] = await get(`/centres/${c.centreId}/owner-agreements?date=2019-06-01`);
      for (const a of (Array.isArray(ags) ? ags : []).slice(0, 2)) urls.push(`/owner-agreements/${a.agreementId}?date=2019-06-01`, `/owner-agreements/${a.agreementId}/cost-share-compliance/2019`);
    }
    for (const b of boards.slice(0, 6)) {
      urls.push(`/boards/${b.boardId}`, `/boards/${b.boardId}?year=2015`);
      const detail = await get(`/boards/${b.boardId}`);
      const props: { proposalId: string }[] = detail?.proposals ?? [];
      for (const p of props.slice(0, 3)) urls.push(`/boards/${b.boardId}/proposals/${p.proposalId}`);
    }
    for (const p of parties.slice(0, 40)) urls.push(`/parties/${p.partyId}`);
    for (const g of grants.slice(0, 10)) urls.push(`/stimulus-grants/${g.applicationId}`);
    for (const y of years) urls.push(`/key-figures/${y}`, `/funding-mix/${y}`, `/owner-agreements/cost-share-compliance/${y}`, `/counties/${counties[2].countyId}/funding-mix/${y}`, `/key-figures/${y}?format=csv`);
    for (const s of schemes) {
      urls.push(`/grant-schemes/${s.year}`, `/grant-schemes/${s.year}/eligibility`, `/grant-schemes/${s.year}/allocation`);
      for (const c of counties.slice(0, 4)) urls.push(`/grant-schemes/${s.year}/eligibility/${c.countyId}`, `/counties/${c.countyId}/eligibility/${s.year}?detail=true`);
    }
    return urls;
  };

  it('A2 every read route answers the same (JSON parsed, positions as ordinals)', async () => {
    const urls = await readUrls();
    expect(urls.length).toBeGreaterThan(200);
    const diffs = await differences(sides, urls, auditor);
    expect(summary(diffs)).toEqual([]);
  }, 120_000);
  /** Ordinals at and around the stores' page sizes (ALL_PAGE 500 on EventStoreDB, BULK_PAGE 1,000, MAX_AUDIT_PAGE 500, a 5,000-event scan). */
  const EDGES = [1, 2, 499, 500, 501, 999, 1_000, 1_001, 2_500, 4_999, 5_000, 5_001, 5_999, 6_000];

  it('A3 as-of answers agree at the same instants: an event\'s own recordedAt, a millisecond before it, and bare dates', async () => {
    const instants: string[] = [];
    for (const k of EDGES) {
      const at = events[k - 1].recordedAt;
      instants.push(at, new Date(Date.parse(at) - 1).toISOString());
    }
    instants.push('2009-01-01', '2014-05-09', '2020-12-31', '2008-12-31T23:59:59Z');
    const routes = ['/centres', '/counties/telemark', '/key-figures/2012', '/funding-mix/2013', '/parties?limit=5', '/grant-schemes', '/audit/streams/county-telemark', '/boards'];
    const urls = instants.flatMap((at) => routes.map((r) => `${r}${r.includes('?') ? '&' : '?'}asOf=${encodeURIComponent(at)}`));
    const positions = instants.map((at) => `/audit/position-at?asOf=${encodeURIComponent(at)}`);
    const diffs = await differences(sides, [...positions, ...urls], auditor);
    expect(summary(diffs)).toEqual([]);
  }, 120_000);

  it('A4 eligibility at the same log position (atPosition: each store\'s own position of the same event) agrees, at page edges too', async () => {
    const schemes: { year: number }[] = (await sides[1].t.http().get('/grant-schemes').set(auditor)).body;
    const year = schemes[Math.floor(schemes.length / 2)].year;
    const diffs: { url: string; side: string; base: unknown; other: unknown }[] = [];
    for (const k of [0, ...EDGES]) {
      const got = await Promise.all(sides.map((s) => answer(s, `/grant-schemes/${year}/eligibility?atPosition=${s.pos(k)}`, auditor)));
      const got2 = await Promise.all(sides.map((s) => answer(s, `/counties/telemark/eligibility/${year}?detail=true&atPosition=${s.pos(k)}`, auditor)));
      for (const g of [got, got2]) g.slice(1).forEach((a, i) => {
        if (JSON.stringify(a) !== JSON.stringify(g[0])) diffs.push({ url: `ordinal ${k}`, side: sides[i + 1].name, base: g[0], other: a });
      });
    }
    expect(summary(diffs)).toEqual([]);
  }, 120_000);

  it('A5 GET /audit/verify agrees (positions as ordinals; EventStoreDB without hashes)', async () => {
    const diffs = await differences(sides, ['/audit/verify'], auditor);
    expect(summary(diffs)).toEqual([]);
  }, 60_000);

  it('A6 GET /audit/digest: memory and SQLite give the same digest at the head and at every edge position; every adapter the same head and stream count', async () => {
    const urls = (s: Side) => ['/audit/digest', ...EDGES.map((k) => `/audit/digest?position=${s.pos(k)}`), `/audit/digest?position=0`];
    const got = await Promise.all(sides.map(async (s) => Promise.all(urls(s).map(async (u) => { const r = await s.t.http().get(u).set(auditor); return { status: r.status, body: r.body }; }))));
    expect(got[1]).toEqual(got[0]);
    const esdb = got[2].map((r) => ({ status: r.status, body: norm(sides[2], r.body) }));
    expect(esdb).toEqual(got[0].map((r) => ({ status: r.status, body: norm(sides[0], r.body) })));
  }, 60_000);

  /** Every page of /audit/events from `first`, following nextAfter, normalised. */
  const pages = async (s: Side, query: string, max = 40) => {
    const out: unknown[] = [];
    let after: number | null = 0;
    for (let n = 0; after !== null && n < max; n++) {
      const r: { status: number; body: { nextAfter: number | null } } = await s.t.http().get(`/audit/events?${query}${query ? '&' : ''}after=${after}`).set(auditor);
      out.push({ status: r.status, body: norm(s, r.body) });
      after = r.status === 200 ? r.body.nextAfter : null;
    }
    return out;
  };

  it('A7 /audit/events pages (limit 500, 499, 1) agree page for page, through to the end', async () => {
    for (const q of ['limit=500', 'limit=499', 'limit=1000']) {
      const got = await Promise.all(sides.map((s) => pages(s, q)));
      expect({ q, pages: got[1] }).toEqual({ q, pages: got[0] });
      expect({ q, pages: got[2] }).toEqual({ q, pages: got[0] });
    }
    const one = await Promise.all(sides.map((s) => Promise.all(EDGES.map(async (k) => norm(s, (await s.t.http().get(`/audit/events?limit=1&after=${s.pos(k - 1)}`).set(auditor)).body)))));
    expect(one[1]).toEqual(one[0]);
    expect(one[2]).toEqual(one[0]);
  }, 120_000);

  it('A8 filtered /audit/events (type, stream prefix, actor, county, recorded-time range) agree page for page', async () => {
    const centres: { centreId: string }[] = (await sides[1].t.http().get('/centres').set(auditor)).body;
    const last = centres[centres.length - 1].centreId;
    const queries = [
      'type=OperatingGrantRecorded&limit=100',
      'type=BaseGrantAllocated,GrantSchemePublished&limit=3',
      `stream=centre-${last}&limit=20`,
      'county=telemark&limit=50',
      'actor=vox&limit=200',
      `from=${events[999].recordedAt}&to=${events[4999].recordedAt}&limit=500`,
      'from=2015-03-02&to=2015-03-02&limit=10',
      // the log's last few events only: a filter that matches nothing in the first 5,000 events
      `type=${events[5_999].type}&from=${events[5_990].recordedAt}&limit=5`,
    ];
    const differing: { q: string; side: string }[] = [];
    for (const q of queries) {
      const got = await Promise.all(sides.map((s) => pages(s, q, 60)));
      got.slice(1).forEach((g, i) => {
        if (JSON.stringify(g) !== JSON.stringify(got[0])) differing.push({ q, side: sides[i + 1].name, ...firstDiff(got[0], g) });
      });
    }
    expect(differing).toEqual([]);
  }, 120_000);

  it('A9 a filter whose matches lie past the first 5,000 events: the first page finds them on every adapter (a filtered page reads up to 50,000 events)', async () => {
    const types = new Map<string, number>();
    events.forEach((e, i) => { if (!types.has(e.type)) types.set(e.type, i); });
    // the type whose first event comes last in the log
    const [lateType, firstAt] = [...types].sort((a, b) => b[1] - a[1])[0];
    expect(firstAt).toBeGreaterThan(0);
    // a stream prefix whose only events are late: the last stream begun
    const lateStream = events.reduce((acc, e, i) => (e.revision === 0 ? { id: e.streamId, at: i } : acc), { id: '', at: 0 });
    const got = await Promise.all(sides.map(async (s) => Promise.all([`type=${lateType}&limit=1`, `stream=${lateStream.id}&limit=1`].map(async (q) => {
      const r = await s.t.http().get(`/audit/events?${q}`).set(auditor);
      return { q, status: r.status, events: r.body.events.map((e: { eventId: string }) => e.eventId), nextAfter: norm(s, r.body.nextAfter, 'nextAfter'), scannedTo: norm(s, r.body.scannedTo, 'scannedTo') };
    }))));
    expect({ at: lateStream.at, memory: got[1] }).toEqual({ at: lateStream.at, memory: got[0] });
    expect({ at: lateStream.at, esdb: got[2] }).toEqual({ at: lateStream.at, esdb: got[0] });
  }, 60_000);

  it('A10 /audit/streams/:id pages (fromRevision, limit at and across the end), /audit/events/:id and cited events agree', async () => {
    const lengths = new Map<string, number>();
    for (const e of events) lengths.set(e.streamId, (lengths.get(e.streamId) ?? 0) + 1);
    const [longest, n] = [...lengths].sort((a, b) => b[1] - a[1])[0];
    expect(n).toBeGreaterThan(100);
    const urls = [
      `/audit/streams/${longest}`, `/audit/streams/${longest}?limit=500`, `/audit/streams/${longest}?fromRevision=${n - 1}&limit=1`, `/audit/streams/${longest}?fromRevision=${n}`,
      `/audit/streams/${longest}?fromRevision=${n + 5}`, `/audit/streams/${longest}?fromRevision=${n - 100}&limit=100`, `/audit/streams/${longest}?fromRevision=${n - 100}&limit=99`,
      `/audit/streams/no-such-stream`, `/audit/streams/no-such-stream?fromRevision=3`, `/audit/streams/${longest}?asOf=${encodeURIComponent(events[2_999].recordedAt)}`,
      `/audit/streams/${events[5_999].streamId}?asOf=${encodeURIComponent(events[0].recordedAt)}`, `/audit/streams/${events[5_999].streamId}?fromRevision=1&asOf=2008-01-01`,
    ];
    for (const k of EDGES) urls.push(`/audit/events/${events[k - 1].eventId}`, `/audit/events/${events[k - 1].eventId}?asOf=${encodeURIComponent(events[k - 1].recordedAt)}`, `/audit/events/${events[k - 1].eventId}?asOf=${encodeURIComponent(new Date(Date.parse(events[k - 1].recordedAt) - 1).toISOString())}`);
    const cited = events.filter((e) => /^(partnership-|coordinating-|centre-|county-line-)/.test(e.streamId)).slice(0, 3);
    for (const e of cited) urls.push(`/grant-evidence/streams/${e.streamId}/revisions/${e.revision}`, `/grant-evidence/streams/${e.streamId}/revisions/${e.revision + 100_000}`);
    const diffs = await differences(sides, urls, auditor);
    expect(summary(diffs)).toEqual([]);
  }, 60_000);

  it('A11 report files: key-figures and funding-mix CSV, the XLSX workbook, byte for byte', async () => {
    const urls: string[] = [];
    for (const y of [2010, 2014, 2021]) urls.push(`/reports/key-figures/${y}/csv`, `/reports/funding-mix/${y}/csv`, `/reports/funding-mix/${y}/csv?county=telemark`, `/reports/key-figures/${y}/csv?asOf=2016-01-01`);
    expect(summary(await differences(sides, urls, auditor))).toEqual([]);
    const x = [`/reports/2014/xlsx`, `/reports/2021/xlsx?county=telemark`, `/reports/2014/xlsx?asOf=2016-01-01`];
    expect(summary(await differences(sides, x, auditor, true))).toEqual([]);
  }, 60_000);
});

describe('B. the same HTTP commands, refused ones included, on every adapter (Date pinned: every event of a batch at one instant)', () => {
  const T0 = Date.parse('2025-06-02T10:00:00.000Z');
  const T1 = T0 + 3_600_000;
  let sides: Side[];
  /** Per side, every write's answer in order (normalised after the run, once every event id is known). */
  const answers: Record<string, { step: string; status: number; body: unknown }[]> = {};

  const UUIDISH = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
  /** norm, and event ids as E<ordinal> (other ids, e.g. correlation ids, as U<order of first appearance>). */
  const normIds = (side: Side, ids: Map<string, string>, v: unknown): unknown => {
    const others = new Map<string, string>();
    const walk = (x: unknown): unknown => {
      if (Array.isArray(x)) return x.map(walk);
      if (x && typeof x === 'object') return Object.fromEntries(Object.entries(x).map(([k, y]) => [k, walk(y)]));
      if (typeof x === 'string') return x.replace(UUIDISH, (u) => ids.get(u) ?? (others.has(u) ? others.get(u)! : (others.set(u, `U${others.size + 1}`), `U${others.size}`)));
      return x;
    };
    return walk(norm(side, v));
  };

  const scenario = async (side: Side, batch: 1 | 2): Promise<void> => {
    const t = side.t;
    const log = (answers[side.name] ??= []);
    const admin = await t.auth('admin');
    const fo = await t.auth('finance-officer', ['telemark'], 'fo-telemark');
    const post = async (step: string, url: string, body: object, who: Record<string, string>, key?: string) => {
      const r = t.http().post(url).set(who);
      const res = await (key ? r.set('Idempotency-Key', key) : r).send(body);
      log.push({ step, status: res.status, body: res.body });
      return res;
    };
    const grant = (entryId: string, amount: string) => ({ entryId, partyId: 'telemark-fk', fiscalYear: 2024, amount, decidedOn: '2024-01-10', reference: null });
    if (batch === 1) {
      await seedCounties(t);
      await post('county again', '/counties', { countyId: 'telemark', countyNumber: '08', name: 'Telemark' }, admin);
      await post('county number taken', '/counties', { countyId: 'telemark-2', countyNumber: '08', name: 'Telemark 2' }, admin);
      await post('party', '/parties', { partyId: 'telemark-fk', name: 'Telemark fylkeskommune', kind: 'county-authority', countyId: 'telemark' }, admin);
      await post('centre a', '/centres', { centreId: 'kc-a', countyId: 'telemark', name: 'KC A', municipality: 'Skien', openedOn: '2014-01-01' }, fo, 'reg-a');
      await post('centre a, key again, same body', '/centres', { centreId: 'kc-a', countyId: 'telemark', name: 'KC A', municipality: 'Skien', openedOn: '2014-01-01' }, fo, 'reg-a');
      await post('centre a, key again, other body', '/centres', { centreId: 'kc-b', countyId: 'telemark', name: 'KC B', municipality: 'Skien', openedOn: '2014-01-01' }, fo, 'reg-a');
      await post('centre a again, other case', '/centres', { centreId: 'KC-A', countyId: 'telemark', name: 'KC A2', municipality: 'Skien', openedOn: '2014-01-01' }, fo);
      await post('centre name taken', '/centres', { centreId: 'kc-c', countyId: 'telemark', name: 'kc  a', municipality: 'Skien', openedOn: '2014-01-01' }, fo);
      await post('centre unknown county', '/centres', { centreId: 'kc-x', countyId: 'Telemark', name: 'KC X', municipality: 'Skien', openedOn: '2014-01-01' }, admin);
      await post('centre b', '/centres', { centreId: 'kc-b', countyId: 'telemark', name: 'KC B', municipality: 'Skien', openedOn: '2014-01-01' }, fo);
      await post('grant g1', '/centres/kc-a/funding/operating-grants', grant('g1', '1000.00'), fo, 'g1');
      await post('grant g1, key again on another route', '/centres/kc-b/funding/operating-grants', grant('g1', '1000.00'), fo, 'g1');
      await post('grant g1 again', '/centres/kc-a/funding/operating-grants', grant('g1', '1000.00'), fo);
      await post('grant, unknown centre', '/centres/kc-zz/funding/operating-grants', grant('g9', '1000.00'), fo);
      await post('correct g1', '/centres/kc-a/funding/entries/g1/correction', { reason: 'beløp', amount: '1500.00' }, fo);
      await post('reverse g1.c1', '/centres/kc-a/funding/entries/g1.c1/reversal', { reason: 'feil' }, fo, 'rev-1');
      await post('reverse g1.c1, key again', '/centres/kc-a/funding/entries/g1.c1/reversal', { reason: 'feil' }, fo, 'rev-1');
      await post('reverse g1.c1 again', '/centres/kc-a/funding/entries/g1.c1/reversal', { reason: 'feil' }, fo);
      await post('correct reversed g1.c1', '/centres/kc-a/funding/entries/g1.c1/correction', { reason: 'x', amount: '5.00' }, fo);
      await post('correct corrected g1', '/centres/kc-a/funding/entries/g1/correction', { reason: 'x', amount: '5.00' }, fo);
      await post('reverse unknown entry', '/centres/kc-a/funding/entries/nope/reversal', { reason: 'feil' }, fo);
      // a stream of more than one read page of EventStoreDB's $all (500), the SQLite cache (64) and the audit page (100)
      for (let i = 0; i < 130; i++) await post(`rename ${i}`, '/centres/kc-b/rename', { name: `KC B ${i % 2 ? 'nord' : 'sør'}`, effectiveFrom: '2015-01-01' }, fo);
      await post('grant g0', '/centres/kc-a/funding/operating-grants', grant('g0', '10.00'), fo);
      await post('close before activity', '/centres/kc-a/close', { closedOn: '2020-01-01', reason: 'x' }, fo);
    } else {
      await post('grant g2', '/centres/kc-a/funding/operating-grants', grant('g2', '2000.00'), fo, 'g2');
      await post('grant g2, key again, same body', '/centres/kc-a/funding/operating-grants', grant('g2', '2000.00'), fo, 'g2');
      await post('close b', '/centres/kc-b/close', { closedOn: '2030-01-01', reason: 'flytting' }, fo);
      await post('grant on closed b', '/centres/kc-b/funding/operating-grants', { ...grant('g3', '1.00'), fiscalYear: 2031, decidedOn: '2026-01-01' }, fo);
    }
  };

  beforeAll(async () => {
    const es = new EventStoreDbEventStore(new FakeEsdbClient());
    sides = [];
    for (const [name, store, env] of [
      ['sqlite', new SqliteEventStore({ path: join(dir, 'b-ledger.sqlite') }), {}],
      ['memory', new MemoryEventStore(), {}],
      ['esdb', es, { LEDGER_SQLITE_PATH: join(dir, 'b-esdb.sqlite') }],
    ] as const) {
      const t = await startTestApp({ store, env: { LEDGER_RATE_LIMIT_PER_MINUTE: '0', LEDGER_ANSWER_CACHE_MB: '0', ...env } });
      sides.push({ name, t, store, ord: new Map(), pos: () => 0 });
    }
    try {
      fakeDateOnly(T0);
      for (const s of sides) await scenario(s, 1);
      fakeDateOnly(T1);
      for (const s of sides) await scenario(s, 2);
    } finally {
      jest.useRealTimers();
    }
    // positions and event ids, now that the log is written
    for (const s of sides) {
      const events = await allEvents(s.store);
      s.ord = new Map<number, number>([[0, 0]]);
      events.forEach((e, i) => s.ord.set(e.position, i + 1));
      const byOrd = [0, ...events.map((e) => e.position)];
      s.pos = (n) => byOrd[n];
      (s as Side & { ids: Map<string, string> }).ids = new Map(events.map((e, i) => [e.eventId, `E${i + 1}`]));
    }
  }, 150_000);
  afterAll(async () => {
    for (const s of sides ?? []) await s.t.close();
  });

  const ids = (s: Side) => (s as Side & { ids: Map<string, string> }).ids;
  const same = async (urls: string[]) => {
    const auditor = await sides[0].t.auth('auditor');
    const diffs: { url: string; side: string }[] = [];
    for (const url of urls) {
      const got = await Promise.all(sides.map(async (s) => {
        const res = await s.t.http().get(url.replace(/\{pos:(\d+)\}/g, (_m, k) => String(s.pos(Number(k))))).set(auditor);
        return { status: res.status, body: normIds(s, ids(s), String(res.headers['content-type']).includes('json') ? res.body : res.text) };
      }));
      got.slice(1).forEach((g, i) => {
        if (JSON.stringify(g) !== JSON.stringify(got[0])) diffs.push({ url, side: sides[i + 1].name, ...firstDiff(got[0], g) });
      });
    }
    return diffs;
  };

  it('B1 every write answers the same: status, code, message, details, revision, position (as ordinal), recordedAt', () => {
    const n = (s: Side) => answers[s.name].map((a) => ({ step: a.step, status: a.status, body: normIds(s, ids(s), a.body) }));
    const base = n(sides[0]);
    expect(base.length).toBeGreaterThan(150);
    // the scenario refuses what it should on the reference adapter (SQLite)
    const codes = Object.fromEntries(base.filter((a) => a.status >= 400).map((a) => [a.step, `${a.status} ${(a.body as { code: string }).code}`]));
    expect(Object.keys(codes).length).toBeGreaterThanOrEqual(10);
    const differing: unknown[] = [];
    for (const s of sides.slice(1)) n(s).forEach((a, i) => {
      if (JSON.stringify(a) !== JSON.stringify(base[i])) differing.push({ side: s.name, step: a.step, ...firstDiff(base[i], a) });
    });
    expect(differing).toEqual([]);
  });

  it('B2 the logs agree: streams, revisions, types, data, metadata (actor, role, key; ids as ordinals), recordedAt, order of same-instant events', async () => {
    const logs = await Promise.all(sides.map(async (s) => (await allEvents(s.store)).map((e) => normIds(s, ids(s), { ...e, hash: null, prevHash: null }))));
    expect(logs[0].length).toBeGreaterThan(150);
    expect(logs[1]).toEqual(logs[0]);
    expect(logs[2]).toEqual(logs[0]);
  });

  it('B3 read routes, as of the first batch\'s instant, a millisecond before it, and now, agree', async () => {
    const routes = ['/centres', '/centres/kc-a', '/centres/kc-b', '/counties/telemark', '/centres/kc-a/funding-mix/2024', '/key-figures/2024', '/funding-mix/2024', '/parties', '/audit/streams/centre-kc-b?limit=500', '/audit/streams/centre-kc-b?fromRevision=64&limit=3', '/audit/streams/funding-entry-g1'];
    const instants = [new Date(T0).toISOString(), new Date(T0 - 1).toISOString(), new Date(T1 - 1).toISOString(), new Date(T1).toISOString(), '2025-06-02'];
    const urls = [...routes, ...instants.flatMap((at) => [`/audit/position-at?asOf=${encodeURIComponent(at)}`, ...routes.map((r) => `${r}${r.includes('?') ? '&' : '?'}asOf=${encodeURIComponent(at)}`)])];
    expect(await same(urls)).toEqual([]);
  }, 60_000);

  it('B4 audit routes agree: the log in pages at the edges, type filters, verify, digest head, events by id', async () => {
    const head = sides[0].ord.size - 1;
    const urls = [
      '/audit/events?limit=500', '/audit/events?limit=100', `/audit/events?after={pos:100}&limit=100`, `/audit/events?after={pos:${head - 1}}`, `/audit/events?after={pos:${head}}`,
      '/audit/events?type=CentreRenamed&limit=64', '/audit/events?type=OperatingGrantRecorded,EntryReversed&limit=2', '/audit/events?stream=funding-entry-&limit=10',
      `/audit/events?from=${new Date(T1).toISOString()}`, `/audit/events?to=${new Date(T0).toISOString()}&limit=3`, `/audit/events?from=${new Date(T0 + 1).toISOString()}&to=${new Date(T1 - 1).toISOString()}`,
      '/audit/events?actor=fo-telemark&limit=5', '/audit/events?correlation=nope', '/audit/events?type=CentreRenamd',
      '/audit/verify', '/audit/digest', `/audit/digest?position={pos:${head}}`, `/audit/digest?position={pos:1}`, `/audit/verify?digest=${'0'.repeat(64)}&position={pos:5}`,
      '/audit/streams/centre-kc-zz', '/audit/streams/centre-kc-a?fromRevision=99', '/audit/events/00000000-0000-7000-8000-000000000000',
    ];
    expect(await same(urls)).toEqual([]);
  }, 60_000);
});

describe('C. an empty ledger on every adapter', () => {
  it('C1 audit routes and reads of an empty ledger, a missing stream and position 0 answer the same', async () => {
    const made: Side[] = [];
    try {
      for (const [name, store, env] of [
        ['sqlite', new SqliteEventStore({ path: join(dir, 'c-ledger.sqlite') }), {}],
        ['memory', new MemoryEventStore(), {}],
        ['esdb', new EventStoreDbEventStore(new FakeEsdbClient()), { LEDGER_SQLITE_PATH: join(dir, 'c-esdb.sqlite') }],
      ] as const) {
        const t = await startTestApp({ store, env: { LEDGER_RATE_LIMIT_PER_MINUTE: '0', LEDGER_ANSWER_CACHE_MB: '0', ...env } });
        made.push({ name, t, store, ord: new Map([[0, 0]]), pos: () => 0 });
      }
      const auditor = await made[0].t.auth('auditor');
      const urls = [
        '/audit/events', '/audit/events?type=CentreRegistered', '/audit/verify', '/audit/digest', '/audit/digest?position=0', '/audit/digest?position=1', '/audit/verify?digest=' + '0'.repeat(64) + '&position=0',
        '/audit/position-at?asOf=2020-01-01', '/audit/streams/centre-kc-a', '/audit/events/00000000-0000-7000-8000-000000000000', '/counties', '/centres', '/key-figures/2014', '/grant-schemes',
        '/grant-schemes/2014/eligibility?atPosition=0', '/centres?asOf=2020-01-01', '/counties/telemark',
      ];
      expect(summary(await differences(made, urls, auditor))).toEqual([]);
    } finally {
      for (const s of made) await s.t.close();
    }
  }, 60_000);
});
