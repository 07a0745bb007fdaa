/**
 * Adversarial review of one property: two ledger servers on one EventStoreDB node behave as one ledger.
 *
 * Two HTTP apps (test/helpers/test-app.ts), each with its own EventStoreDbEventStore and its own
 * checkpoint folder, over ONE FakeEsdbClient (the in-process stand-in of the node). Each server reaches
 * the node through a thin wire of its own (every call goes to the same FakeEsdbClient instance), so a
 * test can make one server's appends slow, or hold one server's append at the port (after its decision,
 * before the adapter checks its conditions) while the other server writes.
 *
 * What the README promises and what it documents as a limit (README "Architecture", *What a decision
 * read elsewhere*): on EventStoreDB a decision's conditions are checked just before its append, "a
 * write from another process landing in that gap is not seen". The simultaneous cross-stream races
 * below are therefore judged against that sentence: exactly one recorded, or the README still saying so.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RecordedEvent } from '../../libs/domain/src/shared';
import { EventStoreDbEventStore, EsdbClient } from '../../libs/event-store/src/eventstoredb-event-store';
import { FakeEsdbClient } from '../../libs/event-store/src/eventstoredb-fake-client.fixture';
import { EventStore } from '../../libs/event-store/src/port';
import { startTestApp, TestApp } from '../helpers/test-app';

type Auth = { Authorization: string };
type Res = { status: number; body: any; headers: Record<string, string> };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const README = readFileSync(join(__dirname, '../../README.md'), 'utf8').replace(/\s+/g, ' ');
/** The README's own words for the cross-process gap on EventStoreDB (Architecture, What a decision read elsewhere). */
const GAP_DOCUMENTED = README.includes('a write from another process landing in that gap is not seen');

/** Ordering of what the wires see, across both servers. */
let tick = 0;

interface Sent {
  server: string;
  stream: string;
  types: string[];
  sentAt: number;
  landedAt: number;
  ok: boolean;
}

/** One server's way to the shared node: every call goes to the same FakeEsdbClient. */
class Wire implements EsdbClient {
  slowMs = 0;
  /** Runs before an append of ledger events (not claims) reaches the node. */
  beforeEvents: ((stream: string, types: string[]) => Promise<void> | void) | null = null;
  /** Lands the next append of ledger events on the node, then fails it as a lost answer would (a deadline). */
  landThenFail = false;
  /** Runs after a key's claim (IdempotencyKeyClaimed) landed on the node, before the adapter goes on. */
  afterClaim: (() => Promise<void> | void) | null = null;
  /** Told of every stream read (name). */
  onReadStream: ((stream: string) => void) | null = null;
  readonly sent: Sent[] = [];
  readonly allReads: { from: unknown; direction: unknown }[] = [];
  constructor(
    readonly node: FakeEsdbClient,
    readonly name: string,
  ) {}
  appendToStream = (async (stream: string, events: any, options: any) => {
    const list = Array.isArray(events) ? events : [events];
    const ledger = !stream.startsWith('ledger_');
    const rec: Sent = { server: this.name, stream, types: list.map((e: any) => e.type), sentAt: ++tick, landedAt: -1, ok: false };
    if (ledger) this.sent.push(rec);
    if (ledger) await this.beforeEvents?.(stream, rec.types);
    if (ledger && this.slowMs) await sleep(this.slowMs);
    try {
      const r = await this.node.appendToStream(stream, events, options);
      rec.ok = true;
      if (ledger && this.landThenFail) {
        this.landThenFail = false;
        throw Object.assign(new Error('Deadline exceeded (the append may have been written)'), { code: 4 });
      }
      if (!ledger && rec.types.includes('IdempotencyKeyClaimed') && this.afterClaim) {
        const h = this.afterClaim;
        this.afterClaim = null;
        await h();
      }
      return r;
    } finally {
      rec.landedAt = ++tick;
    }
  }) as any;
  readStream = ((s: string, o: any) => {
    this.onReadStream?.(s);
    return this.node.readStream(s, o);
  }) as any;
  readAll = ((o: any) => {
    this.allReads.push({ from: o?.fromPosition, direction: o?.direction });
    return this.node.readAll(o);
  }) as any;
  dispose = async (): Promise<void> => undefined;
}

/**
 * The server's store as its app sees it: `hold` runs (to completion) before the first append of the
 * matching stream goes into the adapter, i.e. after the command decided and before the adapter reads
 * the head, claims the key and checks the conditions.
 */
const heldStore = (store: EventStoreDbEventStore) => {
  const ctl = { hold: null as null | { stream: string; meanwhile: () => Promise<unknown> }, held: 0, appendsTo: new Map<string, number>() };
  const proxy = new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === 'append') {
        return async (...a: Parameters<EventStore['append']>) => {
          ctl.appendsTo.set(a[0], (ctl.appendsTo.get(a[0]) ?? 0) + 1);
          const h = ctl.hold;
          if (h && h.stream === a[0]) {
            ctl.hold = null;
            await h.meanwhile();
            ctl.held++;
          }
          return target.append(...a);
        };
      }
      const v = Reflect.get(target, prop, receiver);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
  return { proxy, ctl };
};

interface Server {
  name: string;
  t: TestApp;
  wire: Wire;
  store: EventStoreDbEventStore;
  ctl: ReturnType<typeof heldStore>['ctl'];
  dir: string;
}

const node = new FakeEsdbClient();
const dirs: string[] = [];
const started: Server[] = [];

const startServer = async (name: string, dir?: string, clock?: () => Date, leaseMs?: number): Promise<Server> => {
  const folder = dir ?? mkdtempSync(join(tmpdir(), `two-servers-${name}-`));
  if (!dir) dirs.push(folder);
  const wire = new Wire(node, name);
  const store = new EventStoreDbEventStore(wire, clock, leaseMs ? { leaseMs } : {});
  const { proxy, ctl } = heldStore(store);
  const t = await startTestApp({ store: proxy, env: { LEDGER_SQLITE_PATH: join(folder, 'ledger.sqlite') } });
  const s = { name, t, wire, store, ctl, dir: folder };
  started.push(s);
  return s;
};

let A: Server;
let B: Server;
let adminA: Auth;
let adminB: Auth;
let auditorA: Auth;
let auditorB: Auth;
let foA: Auth;
let foB: Auth;
let adminOther: Auth;

const post = (s: Server, auth: Auth, url: string, body: object, key?: string): Promise<Res> => {
  const r = s.t.http().post(url).set(auth);
  if (key) r.set('Idempotency-Key', key);
  // Started now (supertest sends only once .then is called): a race needs both requests under way.
  return new Promise<Res>((resolve, reject) => r.send(body).then((x) => resolve(x as unknown as Res), reject));
};
const get = (s: Server, auth: Auth, url: string, position?: number): Promise<Res> => {
  const r = s.t.http().get(url).set(auth);
  if (position !== undefined) r.set('X-Ledger-Position', String(position));
  return r as unknown as Promise<Res>;
};
const ok = async (p: Promise<Res>): Promise<Res> => {
  const res = await p;
  if (res.status !== 200 && res.status !== 201) throw new Error(`expected 2xx, got ${res.status}: ${JSON.stringify(res.body)}`);
  return res;
};
const log = async (): Promise<RecordedEvent[]> => A.store.readAll({ after: 0, maxCount: 10_000 });
/** Two requests whose in-flight appends of ledger events overlapped: both had passed their checks before either landed. */
const overlapped = (x: Sent | undefined, y: Sent | undefined): boolean => !!x && !!y && x.sentAt < y.landedAt && y.sentAt < x.landedAt;
const lastSent = (s: Server, stream: string): Sent | undefined => [...s.wire.sent].reverse().find((e) => e.stream === stream);

/** What each simultaneous race came to, printed at the end (for the report). */
const outcomes: string[] = [];

beforeAll(async () => {
  A = await startServer('A');
  B = await startServer('B');
  adminA = await A.t.auth('admin', [], 'admin-1');
  adminB = await B.t.auth('admin', [], 'admin-1');
  auditorA = await A.t.auth('auditor', [], 'auditor-1');
  auditorB = await B.t.auth('auditor', [], 'auditor-1');
  foA = await A.t.auth('finance-officer', ['telemark'], 'fo-telemark');
  foB = await B.t.auth('finance-officer', ['telemark'], 'fo-telemark');
  adminOther = await B.t.auth('admin', [], 'admin-2');
  await ok(post(A, adminA, '/counties', { countyId: 'telemark', name: 'Telemark', countyNumber: '08' }));
  await ok(post(B, adminB, '/counties', { countyId: 'ostfold', name: 'Østfold', countyNumber: '01' }));
  await ok(post(A, adminA, '/parties', { partyId: 'telemark-fk', name: 'Telemark fylkeskommune', kind: 'county-authority', countyId: 'telemark' }));
  await ok(post(B, foB, '/centres', { centreId: 'kc-skien', countyId: 'telemark', name: 'Karrieresenter Skien', municipality: 'Skien', openedOn: '2009-09-01' }));
}, 60_000);

afterAll(async () => {
  for (const s of started) await s.t.close().catch(() => undefined);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  if (outcomes.length) console.log(`simultaneous races on a slow node (README documents the cross-process gap: ${GAP_DOCUMENTED}):\n${outcomes.join('\n')}`);
}, 30_000);

afterEach(() => {
  for (const s of [A, B]) {
    s.wire.slowMs = 0;
    s.wire.beforeEvents = null;
    s.wire.afterClaim = null;
    s.wire.onReadStream = null;
    s.wire.landThenFail = false;
    s.ctl.hold = null;
  }
});

// ---------------------------------------------------------------------------------------------
// Uniqueness rules across servers
// ---------------------------------------------------------------------------------------------

interface Rule {
  what: string;
  /** true: both writes go to one stream (the node's expected revision decides), false: a cross-stream rule (AppendConditions). */
  sameStream: boolean;
  code: string;
  status: number;
  /** [url, body, the stream it writes] for server A's and server B's write. */
  a: (n: string) => [string, object, string];
  b: (n: string) => [string, object, string];
  /** How many such registrations the log holds (for run n). */
  count: (events: RecordedEvent[], n: string) => number;
}

const grant = (entryId: string, amount: string) => ({ entryId, fiscalYear: 2014, partyId: 'telemark-fk', amount, decidedOn: '2013-12-01' });
const ORG = ['912345688', '987654325', '974600951', '971032081'];
let orgIndex = 0;
const orgOf = new Map<string, string>();
const org = (n: string) => {
  if (!orgOf.has(n)) orgOf.set(n, ORG[orgIndex++ % ORG.length]);
  return orgOf.get(n)!;
};
const numberOf = (n: string) => String(40 + (Number(n.replace(/\D/g, '')) % 60)).padStart(2, '0');

const RULES: Rule[] = [
  {
    what: 'a county number',
    sameStream: false,
    code: 'COUNTY.NUMBER_TAKEN',
    status: 409,
    a: (n) => ['/counties', { countyId: `cn-a-${n}`, name: `County A ${n}`, countyNumber: numberOf(n) }, `county-cn-a-${n}`],
    b: (n) => ['/counties', { countyId: `cn-b-${n}`, name: `County B ${n}`, countyNumber: numberOf(n) }, `county-cn-b-${n}`],
    count: (ev, n) => ev.filter((e) => e.type === 'CountyRegistered' && (e.data as any).countyNumber === numberOf(n)).length,
  },
  {
    what: 'a centre name within a county',
    sameStream: false,
    code: 'CENTRE.NAME_TAKEN',
    status: 409,
    a: (n) => ['/centres', { centreId: `nm-a-${n}`, countyId: 'telemark', name: `Karrieresenter Felles ${n}`, municipality: 'Bø', openedOn: '2010-01-01' }, `centre-nm-a-${n}`],
    b: (n) => ['/centres', { centreId: `nm-b-${n}`, countyId: 'telemark', name: `karrieresenter  felles ${n}`, municipality: 'Bø', openedOn: '2010-01-01' }, `centre-nm-b-${n}`],
    count: (ev, n) => ev.filter((e) => e.type === 'CentreRegistered' && (e.data as any).name.toLowerCase().replace(/\s+/g, ' ') === `karrieresenter felles ${n}`).length,
  },
  {
    what: 'an organisation number',
    sameStream: false,
    code: 'PARTY.ORGANISATION_NUMBER_TAKEN',
    status: 409,
    a: (n) => ['/parties', { partyId: `org-a-${n}`, name: `Org A ${n}`, kind: 'other', organisationNumber: org(n) }, `party-org-a-${n}`],
    b: (n) => ['/parties', { partyId: `org-b-${n}`, name: `Org B ${n}`, kind: 'other', organisationNumber: org(n) }, `party-org-b-${n}`],
    count: (ev, n) => ev.filter((e) => e.type === 'PartyRegistered' && (e.data as any).organisationNumber === org(n)).length,
  },
  {
    what: 'a party id (written in another case)',
    sameStream: false,
    code: 'PARTY.ALREADY_REGISTERED',
    status: 409,
    a: (n) => ['/parties', { partyId: `pid-${n}`, name: `Party lower ${n}`, kind: 'other' }, `party-pid-${n}`],
    b: (n) => ['/parties', { partyId: `PID-${n}`, name: `Party upper ${n}`, kind: 'other' }, `party-PID-${n}`],
    count: (ev, n) => ev.filter((e) => e.type === 'PartyRegistered' && (e.data as any).partyId.toLowerCase() === `pid-${n}`).length,
  },
  {
    what: 'a centre id (written in another case)',
    sameStream: false,
    code: 'CENTRE.ALREADY_REGISTERED',
    status: 409,
    a: (n) => ['/centres', { centreId: `cid-${n}`, countyId: 'telemark', name: `Centre lower ${n}`, municipality: 'Bø', openedOn: '2010-01-01' }, `centre-cid-${n}`],
    b: (n) => ['/centres', { centreId: `CID-${n}`, countyId: 'telemark', name: `Centre upper ${n}`, municipality: 'Bø', openedOn: '2010-01-01' }, `centre-CID-${n}`],
    count: (ev, n) => ev.filter((e) => e.type === 'CentreRegistered' && (e.data as any).centreId.toLowerCase() === `cid-${n}`).length,
  },
  {
    what: 'an entry id',
    sameStream: true,
    code: 'ENTRY.ALREADY_EXISTS',
    status: 409,
    a: (n) => ['/centres/kc-skien/funding/operating-grants', grant(`e-${n}`, '100000.00'), `funding-entry-e-${n}`],
    b: (n) => ['/centres/kc-skien/funding/operating-grants', grant(`e-${n}`, '200000.00'), `funding-entry-e-${n}`],
    count: (ev, n) => ev.filter((e) => e.type === 'OperatingGrantRecorded' && (e.data as any).entryId === `e-${n}`).length,
  },
  {
    what: 'a county id',
    sameStream: true,
    code: 'COUNTY.ALREADY_REGISTERED',
    status: 409,
    a: (n) => ['/counties', { countyId: `same-${n}`, name: `Same A ${n}`, countyNumber: String(70 + Number(n.replace(/\D/g, '')) % 30) }, `county-same-${n}`],
    b: (n) => ['/counties', { countyId: `same-${n}`, name: `Same B ${n}`, countyNumber: String(70 + Number(n.replace(/\D/g, '')) % 30) }, `county-same-${n}`],
    count: (ev, n) => ev.filter((e) => e.type === 'CountyRegistered' && (e.data as any).countyId === `same-${n}`).length,
  },
];
const authFor = (s: Server, url: string): Auth => (url === '/counties' ? (s === A ? adminA : adminB) : s === A ? foA : foB);

describe('uniqueness across two servers on one node', () => {
  let run = 0;
  it.each(RULES.map((r) => [r.what, r] as const))(
    '%s: A decided, B\'s conflicting write recorded before A\'s append reaches the adapter: A is decided again and refused with the documented code; exactly one recorded',
    async (_what, rule) => {
      const n = `s${++run}`;
      const [urlA, bodyA, streamA] = rule.a(n);
      const [urlB, bodyB] = rule.b(n);
      let bAnswer: Res | null = null;
      A.ctl.hold = { stream: streamA, meanwhile: async () => (bAnswer = await post(B, authFor(B, urlB), urlB, bodyB)) };
      const aAnswer = await post(A, authFor(A, urlA), urlA, bodyA);
      expect(A.ctl.held).toBeGreaterThan(0); // the race was staged: B's write ran while A's decided append waited
      A.ctl.held = 0;
      expect(bAnswer!.status).toBe(201);
      expect([aAnswer.status, aAnswer.body.code]).toEqual([rule.status, rule.code]);
      expect(rule.count(await log(), n)).toBe(1);
    },
    20_000,
  );

  it.each(RULES.map((r) => [r.what, r] as const))(
    '%s: both servers at the same moment on a slow node (every ledger append 25 ms in flight): exactly one recorded, the other refused with the code (cross-stream: or the README still documents the gap)',
    async (_what, rule) => {
      const n = `m${++run}`;
      const [urlA, bodyA, streamA] = rule.a(n);
      const [urlB, bodyB, streamB] = rule.b(n);
      A.wire.slowMs = 25;
      B.wire.slowMs = 25;
      const [ra, rb] = await Promise.all([post(A, authFor(A, urlA), urlA, bodyA), post(B, authFor(B, urlB), urlB, bodyB)]);
      const recorded = rule.count(await log(), n);
      const raced = overlapped(A.wire.sent.find((e) => e.stream === streamA), B.wire.sent.find((e) => e.stream === streamB));
      outcomes.push(`  ${rule.what}: A ${ra.status} ${ra.body.code ?? ''} / B ${rb.status} ${rb.body.code ?? ''}; recorded ${recorded}; appends in flight together: ${raced}`);
      // Every answer is a success or the rule's documented refusal: never a 500, never an unknown outcome.
      for (const r of [ra, rb]) expect([201, rule.status]).toContain(r.status);
      for (const r of [ra, rb]) if (r.status !== 201) expect(r.body.code).toBe(rule.code);
      expect(raced).toBe(true); // the race happened: both appends were sent before either landed
      if (rule.sameStream || !GAP_DOCUMENTED) {
        expect(recorded).toBe(1);
        expect([ra.status, rb.status].sort()).toEqual([201, rule.status]);
      } else {
        // Documented: "a write from another process landing in that gap is not seen" (both may land).
        expect([1, 2]).toContain(recorded);
        expect(recorded).toBe([ra.status, rb.status].filter((s) => s === 201).length);
      }
    },
    20_000,
  );
});

// ---------------------------------------------------------------------------------------------
// One Idempotency-Key (one sender) on both servers
// ---------------------------------------------------------------------------------------------

const centreBody = (id: string, over: object = {}) => ({ centreId: id, countyId: 'telemark', name: `Karrieresenter ${id}`, municipality: 'Notodden', openedOn: '2011-01-01', ...over });
const registrations = async (centreId: string) => (await log()).filter((e) => e.type === 'CentreRegistered' && (e.data as any).centreId === centreId);

describe('one Idempotency-Key sent to both servers', () => {
  it('same key, same body, both servers at once (slow node): one event, two identical 201 answers', async () => {
    A.wire.slowMs = 25;
    B.wire.slowMs = 25;
    const [ra, rb] = await Promise.all([post(A, foA, '/centres', centreBody('idem-1'), 'k-idem-1'), post(B, foB, '/centres', centreBody('idem-1'), 'k-idem-1')]);
    expect([ra.status, rb.status]).toEqual([201, 201]);
    expect(rb.body).toEqual(ra.body);
    expect(await registrations('idem-1')).toHaveLength(1);
    // Only one of them sent the event: the other found the key claimed and was answered from the record.
    expect(A.wire.sent.filter((e) => e.stream === 'centre-idem-1').length + B.wire.sent.filter((e) => e.stream === 'centre-idem-1').length).toBe(1);
  }, 20_000);

  it('same key, different bodies, both servers at once: one 201, the other 409 IDEMPOTENCY_KEY_REUSED; only the 201\'s write recorded', async () => {
    A.wire.slowMs = 25;
    B.wire.slowMs = 25;
    const [ra, rb] = await Promise.all([post(A, foA, '/centres', centreBody('idem-2a'), 'k-idem-2'), post(B, foB, '/centres', centreBody('idem-2b'), 'k-idem-2')]);
    expect([ra.status, rb.status].sort()).toEqual([201, 409]);
    const loser = ra.status === 409 ? ra : rb;
    const winner = ra.status === 201 ? ra : rb;
    expect(loser.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect((await registrations('idem-2a')).length + (await registrations('idem-2b')).length).toBe(1);
    expect((await registrations(winner.body.streamId.replace('centre-', ''))).length).toBe(1);
  }, 20_000);

  it('a retry on B after A answered: the same answer, nothing recorded, and B\'s next read (no header) includes the write it acknowledged', async () => {
    const first = await post(A, foA, '/centres', centreBody('idem-3'), 'k-idem-3');
    expect(first.status).toBe(201);
    const head = await A.store.headPosition();
    const retry = await post(B, foB, '/centres', centreBody('idem-3'), 'k-idem-3');
    expect([retry.status, retry.body]).toEqual([201, first.body]);
    expect(await A.store.headPosition()).toBe(head);
    const read = await get(B, foB, '/centres/idem-3');
    expect(read.status).toBe(200);
    expect(read.body.centreId).toBe('idem-3');
    // and with another body on B: 409 IDEMPOTENCY_KEY_REUSED
    const other = await post(B, foB, '/centres', centreBody('idem-3x'), 'k-idem-3');
    expect([other.status, other.body.code]).toEqual([409, 'IDEMPOTENCY_KEY_REUSED']);
  }, 20_000);

  it('a key whose first attempt (on A) was refused by the rules may be sent to B with a corrected body, and is then the key of that write on both servers', async () => {
    const refused = await post(A, foA, '/centres', centreBody('idem-4', { countyId: 'ostfold' }), 'k-idem-4');
    expect([refused.status, refused.body.code]).toEqual([403, 'ACCESS.OTHER_COUNTY']);
    const taken = await post(A, foA, '/centres', centreBody('idem-4', { name: 'Karrieresenter Skien' }), 'k-idem-4');
    expect([taken.status, taken.body.code]).toEqual([409, 'CENTRE.NAME_TAKEN']);
    const corrected = await post(B, foB, '/centres', centreBody('idem-4'), 'k-idem-4');
    expect(corrected.status).toBe(201);
    const againA = await post(A, foA, '/centres', centreBody('idem-4'), 'k-idem-4');
    expect([againA.status, againA.body]).toEqual([201, corrected.body]);
    const oldBodyA = await post(A, foA, '/centres', centreBody('idem-4', { name: 'Karrieresenter Skien' }), 'k-idem-4');
    expect([oldBodyA.status, oldBodyA.body.code]).toEqual([409, 'IDEMPOTENCY_KEY_REUSED']);
    expect(await registrations('idem-4')).toHaveLength(1);
  }, 20_000);

  it('same key, same body at once: B decided, then meets A\'s claim; A\'s append is then refused (a third request took the county number) and A answers the rule: B answers that refusal too (or records), not 409 IDEMPOTENCY_KEY_IN_FLIGHT ("still being recorded") for a key nothing holds', async () => {
    const body = { countyId: 'idem-5', name: 'Idem 5', countyNumber: '99' };
    let aAnswer: Promise<Res> | null = null;
    let third: Promise<Res> | null = null;
    let bMetClaim = false;
    let openA: () => void = () => undefined;
    const gateA = new Promise<void>((r) => (openA = r));
    // B has decided (its county stream is empty, the number free) and is about to append: A now claims the key and waits.
    B.ctl.hold = {
      stream: 'county-idem-5',
      meanwhile: async () => {
        let claimed: () => void = () => undefined;
        const aClaimed = new Promise<void>((r) => (claimed = r));
        A.wire.afterClaim = async () => {
          claimed();
          await gateA;
        };
        aAnswer = post(A, adminA, '/counties', body, 'k-idem-5');
        await aClaimed;
        // When B reads the key's claim stream (A's claim is there), a third sender takes the number, then A goes on.
        B.wire.onReadStream = (stream) => {
          if (!stream.startsWith('ledger_idempotency_by_sender-') || bMetClaim) return;
          bMetClaim = true;
          third = post(B, adminOther, '/counties', { countyId: 'idem-5-other', name: 'Idem 5 other', countyNumber: '99' });
          void third.then(() => openA());
        };
      },
    };
    const rb = await post(B, adminB, '/counties', body, 'k-idem-5');
    expect(B.ctl.held).toBeGreaterThan(0);
    B.ctl.held = 0;
    expect(bMetClaim).toBe(true); // B's append found A's claim in flight
    const ra = await aAnswer!;
    expect((await third!).status).toBe(201);
    expect([ra.status, ra.body.code]).toEqual([409, 'COUNTY.NUMBER_TAKEN']);
    expect((await log()).filter((e) => e.type === 'CountyRegistered' && (e.data as any).countyNumber === '99')).toHaveLength(1);
    expect([rb.status, rb.body.code]).toEqual([409, 'COUNTY.NUMBER_TAKEN']);
  }, 20_000);
});

describe('an append whose outcome A could not tell, retried on another server', () => {
  let C: Server;
  let foC: Auth;
  beforeAll(async () => {
    C = await startServer('C', undefined, undefined, 400);
    foC = await C.t.auth('finance-officer', ['telemark'], 'fo-telemark');
  }, 20_000);
  afterAll(async () => {
    await C.t.close();
    started.splice(started.indexOf(C), 1);
  });

  it('a keyed append the node took without confirming is answered 503 STORE.OUTCOME_UNKNOWN with Retry-After: 60 (README), not 409 IDEMPOTENCY_KEY_IN_FLIGHT', async () => {
    A.wire.landThenFail = true;
    const first = await post(A, foA, '/centres', centreBody('unknown-1'), 'k-unknown-1');
    expect(await registrations('unknown-1')).toHaveLength(1); // it did land
    expect([first.status, first.body.code, first.headers['retry-after']]).toEqual([503, 'STORE.OUTCOME_UNKNOWN', '60']);
  }, 20_000);

  it('the same key then sent to server C (its claim lease 400 ms) gets the recorded answer, never a second record; A\'s own retry gets the same', async () => {
    A.wire.landThenFail = true;
    const first = await post(A, foA, '/centres', centreBody('unknown-2'), 'k-unknown-2');
    expect(first.status).toBeGreaterThanOrEqual(400);
    expect(await registrations('unknown-2')).toHaveLength(1);
    const retry = await post(C, foC, '/centres', centreBody('unknown-2'), 'k-unknown-2');
    expect(retry.status).toBe(201);
    const [recorded] = await registrations('unknown-2');
    expect([retry.body.eventIds, retry.body.position]).toEqual([[recorded.eventId], recorded.position]);
    const again = await post(A, foA, '/centres', centreBody('unknown-2'), 'k-unknown-2');
    expect([again.status, again.body]).toEqual([201, retry.body]);
    expect(await registrations('unknown-2')).toHaveLength(1);
    const read = await get(C, foC, '/centres/unknown-2');
    expect([read.status, read.body.centreId]).toEqual([200, 'unknown-2']);
  }, 20_000);
});

// ---------------------------------------------------------------------------------------------
// Read-your-writes across servers (README: X-Ledger-Position)
// ---------------------------------------------------------------------------------------------

/** The position the node gives the next event (the stand-in counts in steps of 137; nothing else may write meanwhile). */
const nextPosition = (): number => Number((node as any).nextPosition);
const health = async (s: Server) => (await s.t.http().get('/health')).body as { viewsPosition: number; headPosition: number };

describe('read-your-writes: a write on A read on B', () => {
  it('B asked with X-Ledger-Position for the position A is about to write waits, then answers 200 with the write (never without it)', async () => {
    const p = nextPosition();
    const read = get(B, foB, '/centres/ryw-1', p);
    const pending = new Promise<Res>((resolve, reject) => read.then((x) => resolve(x as Res), reject));
    await sleep(50); // B is waiting for a position nobody has written yet
    const write = await post(A, foA, '/centres', centreBody('ryw-1'));
    expect([write.status, write.body.position]).toEqual([201, p]);
    const res = await pending;
    expect([res.status, res.body.centreId]).toEqual([200, 'ryw-1']);
  }, 20_000);

  it('after A\'s write, B\'s answers with the header include it on every kind of read (views, a centre\'s detail, the audit log), and B\'s plain reads after that never go back to before it (answer cache)', async () => {
    // B has a cached answer of the list from before the write.
    const before = await get(B, foB, '/centres');
    expect(before.status).toBe(200);
    expect((await get(B, foB, '/centres')).body).toEqual(before.body);
    let attempt = 0;
    let behind = false;
    let w: Res;
    // B's views follow the log by polling (every 500 ms): the write must be one they had not folded yet when B was asked.
    do {
      w = await post(A, foA, '/centres', centreBody(`ryw-2-${++attempt}`));
      expect(w.status).toBe(201);
      behind = (await health(B)).viewsPosition < w.body.position;
    } while (!behind && attempt < 5);
    expect(behind).toBe(true);
    const id = `ryw-2-${attempt}`;
    const [list, one, governance, audit, stream] = await Promise.all([
      get(B, foB, '/centres', w.body.position),
      get(B, foB, `/centres/${id}`, w.body.position),
      get(B, foB, `/centres/${id}/governance`, w.body.position),
      get(B, auditorB, `/audit/events?after=${w.body.position - 1}`, w.body.position),
      get(B, auditorB, `/audit/streams/centre-${id}`, w.body.position),
    ]);
    expect(list.body.map((c: any) => c.centreId)).toContain(id);
    expect([one.status, one.body.centreId]).toEqual([200, id]);
    expect(governance.status).toBe(200);
    expect(audit.body.events.map((e: any) => e.position)).toContain(w.body.position);
    expect(stream.body.events).toHaveLength(1);
    const plain = await get(B, foB, '/centres');
    expect(plain.body.map((c: any) => c.centreId)).toContain(id);
  }, 20_000);

  it('B asked for a position beyond the head that nobody writes: 503 VIEWS.CATCHING_UP after the wait (README: 5 s)', async () => {
    const head = await A.store.headPosition();
    const res = await get(B, foB, '/centres', head + 1_000_000);
    expect([res.status, res.body.code]).toEqual([503, 'VIEWS.CATCHING_UP']);
  }, 20_000);
});

// ---------------------------------------------------------------------------------------------
// Decisions that read other streams, across servers
// ---------------------------------------------------------------------------------------------

let centreNo = 0;
const newCentre = async (s: Server, prefix: string, name?: string): Promise<string> => {
  const id = `${prefix}-${++centreNo}`;
  await ok(post(s, s === A ? foA : foB, '/centres', centreBody(id, name ? { name } : {})));
  return id;
};
const grantFor = (s: Server, centreId: string, entryId: string) => post(s, s === A ? foA : foB, `/centres/${centreId}/funding/operating-grants`, grant(entryId, '500000.00'));
const closeOf = (s: Server, centreId: string) => post(s, s === A ? foA : foB, `/centres/${centreId}/close`, { closedOn: '2013-12-31', reason: 'Lagt ned' });
const closedAndFunded = async (centreId: string) => {
  const ev = await log();
  return {
    closed: ev.filter((e) => e.type === 'CentreClosed' && e.streamId === `centre-${centreId}`).length,
    grants: ev.filter((e) => e.type === 'OperatingGrantRecorded' && (e.data as any).centreId === centreId).length,
  };
};

describe('closing a centre on one server while the other records money for it', () => {
  it('grant for 2014 recorded on A, then at once a closing from 2013-12-31 on B (whose views have not folded the grant): 409 CENTRE.CLOSE_BEFORE_ACTIVITY, nothing closed', async () => {
    let attempt = 0;
    let behind = false;
    let id = '';
    let close: Res;
    do {
      id = await newCentre(A, 'close-1');
      await sleep(600); // B's views have the centre
      const g = await grantFor(A, id, `g-${id}`);
      expect(g.status).toBe(201);
      behind = (await health(B)).viewsPosition < g.body.position;
      close = await closeOf(B, id);
    } while (!behind && ++attempt < 4);
    expect(behind).toBe(true);
    expect([close!.status, close!.body.code]).toEqual([409, 'CENTRE.CLOSE_BEFORE_ACTIVITY']);
    expect(await closedAndFunded(id)).toEqual({ closed: 0, grants: 1 });
  }, 30_000);

  it('closing recorded on B, then at once a 2014 grant on A: 422 CENTRE.CLOSED, nothing funded', async () => {
    const id = await newCentre(B, 'close-2');
    expect((await closeOf(B, id)).status).toBe(200);
    const g = await grantFor(A, id, `g-${id}`);
    expect([g.status, g.body.code]).toEqual([422, 'CENTRE.CLOSED']);
    expect(await closedAndFunded(id)).toEqual({ closed: 1, grants: 0 });
  }, 20_000);

  it('staged: B\'s closing decided, A\'s grant lands before B\'s append reaches the adapter: B decided again, 409 CENTRE.CLOSE_BEFORE_ACTIVITY', async () => {
    const id = await newCentre(A, 'close-3');
    let g: Res | null = null;
    B.ctl.hold = { stream: `centre-${id}`, meanwhile: async () => (g = await grantFor(A, id, `g-${id}`)) };
    const close = await closeOf(B, id);
    expect(B.ctl.held).toBe(1);
    B.ctl.held = 0;
    expect(g!.status).toBe(201);
    expect([close.status, close.body.code]).toEqual([409, 'CENTRE.CLOSE_BEFORE_ACTIVITY']);
    expect(await closedAndFunded(id)).toEqual({ closed: 0, grants: 1 });
  }, 20_000);

  it('staged: A\'s grant decided, B\'s closing lands before A\'s append reaches the adapter: A decided again, 422 CENTRE.CLOSED', async () => {
    const id = await newCentre(A, 'close-4');
    let c: Res | null = null;
    A.ctl.hold = { stream: `funding-entry-g-${id}`, meanwhile: async () => (c = await closeOf(B, id)) };
    const g = await grantFor(A, id, `g-${id}`);
    expect(A.ctl.held).toBe(1);
    A.ctl.held = 0;
    expect(c!.status).toBe(200);
    expect([g.status, g.body.code]).toEqual([422, 'CENTRE.CLOSED']);
    expect(await closedAndFunded(id)).toEqual({ closed: 1, grants: 0 });
  }, 20_000);

  it('simultaneous on a slow node: one of the two is refused (or the README still documents the cross-process gap)', async () => {
    const id = await newCentre(A, 'close-5');
    await sleep(600);
    A.wire.slowMs = 25;
    B.wire.slowMs = 25;
    const [g, c] = await Promise.all([grantFor(A, id, `g-${id}`), closeOf(B, id)]);
    const raced = overlapped(lastSent(A, `funding-entry-g-${id}`), lastSent(B, `centre-${id}`));
    const result = await closedAndFunded(id);
    outcomes.push(`  grant on A / closing on B: ${g.status} ${g.body.code ?? ''} / ${c.status} ${c.body.code ?? ''}; ${JSON.stringify(result)}; appends in flight together: ${raced}`);
    expect(raced).toBe(true);
    expect([201, 422]).toContain(g.status);
    expect([200, 409]).toContain(c.status);
    if (!GAP_DOCUMENTED || !(result.closed === 1 && result.grants === 1)) expect(result.closed + result.grants).toBe(1);
    expect(result.closed).toBe(c.status === 200 ? 1 : 0);
    expect(result.grants).toBe(g.status === 201 ? 1 : 0);
  }, 20_000);
});

describe('a board vote on A while the chair closes the proposal on B (one board stream)', () => {
  let boardNo = 0;
  const member = (s: Server, personId: string) => s.t.auth('board-member', [], personId);
  const setUp = async () => {
    const b = `board-${++boardNo}`;
    await ok(post(A, foA, '/boards', { boardId: b, countyId: 'telemark', centreIds: ['kc-skien'], name: `Styret ${b}`, establishedOn: '2012-01-01' }));
    for (const [personId, role] of [[`${b}-chair`, 'chair'], [`${b}-m1`, 'member'], [`${b}-m2`, 'member']]) {
      await ok(post(A, foA, `/boards/${b}/members`, { personId, name: personId, partyId: 'telemark-fk', role, term: { from: '2012-01-01' } }));
    }
    await ok(post(A, await member(A, `${b}-chair`), `/boards/${b}/proposals`, { proposalId: 'p1', kind: 'goals', year: 2014, title: 'Mål 2014', content: { goals: ['g'] }, tabledOn: '2014-02-01' }));
    for (const who of ['chair', 'm2']) await ok(post(A, await member(A, `${b}-${who}`), `/boards/${b}/proposals/p1/votes`, { vote: 'for', castOn: '2014-02-10' }));
    return b;
  };
  const vote = async (s: Server, b: string) => post(s, await member(s, `${b}-m1`), `/boards/${b}/proposals/p1/votes`, { vote: 'against', castOn: '2014-02-10' });
  const closeProposal = async (s: Server, b: string) => post(s, await member(s, `${b}-chair`), `/boards/${b}/proposals/p1/close`, { closedOn: '2014-02-10' });
  /** The decision recorded counts exactly the votes recorded before it in the board's stream. */
  const consistent = async (b: string) => {
    const events = await A.store.readStream(`board-${b}`);
    const closedAt = events.findIndex((e) => e.type === 'ProposalClosed' || e.type.includes('Closed') || e.type.includes('Decided'));
    const votesBefore = events.slice(0, closedAt < 0 ? events.length : closedAt).filter((e) => e.type.includes('Vote')).length;
    const votesAfter = closedAt < 0 ? 0 : events.slice(closedAt).filter((e) => e.type.includes('Vote')).length;
    const proposal = (await get(A, auditorA, `/boards/${b}/proposals/p1`, await A.store.headPosition())).body;
    return { closed: closedAt >= 0, votesBefore, votesAfter, takingPart: proposal.decision?.tally?.takingPart ?? null, votesShown: proposal.votes.length };
  };

  it('staged both ways, and simultaneous: the decision counts exactly the votes recorded before it; a vote after it is 409 BOARD.PROPOSAL_CLOSED', async () => {
    // the vote lands while the close waits: the close is decided again, counting it
    const b1 = await setUp();
    let v1: Res | null = null;
    B.ctl.hold = { stream: `board-${b1}`, meanwhile: async () => (v1 = await vote(A, b1)) };
    const c1 = await closeProposal(B, b1);
    expect(B.ctl.held).toBe(1);
    B.ctl.held = 0;
    expect([v1!.status, c1.status]).toEqual([201, 200]);
    expect(await consistent(b1)).toEqual({ closed: true, votesBefore: 3, votesAfter: 0, takingPart: 3, votesShown: 3 });
    // the close lands while the vote waits: the vote is decided again and refused
    const b2 = await setUp();
    let c2: Res | null = null;
    A.ctl.hold = { stream: `board-${b2}`, meanwhile: async () => (c2 = await closeProposal(B, b2)) };
    const v2 = await vote(A, b2);
    expect(A.ctl.held).toBe(1);
    A.ctl.held = 0;
    expect([c2!.status, v2.status, v2.body.code]).toEqual([200, 409, 'BOARD.PROPOSAL_CLOSED']);
    expect(await consistent(b2)).toEqual({ closed: true, votesBefore: 2, votesAfter: 0, takingPart: 2, votesShown: 2 });
    // both at once on a slow node
    const b3 = await setUp();
    await sleep(600);
    A.wire.slowMs = 25;
    B.wire.slowMs = 25;
    const [fromA, fromB] = [A.wire.sent.length, B.wire.sent.length];
    const [v3, c3] = await Promise.all([vote(A, b3), closeProposal(B, b3)]);
    // The first append of each (the loser's was refused by the node's expected revision, then decided again).
    const raced = overlapped(A.wire.sent.slice(fromA).find((e) => e.stream === `board-${b3}`), B.wire.sent.slice(fromB).find((e) => e.stream === `board-${b3}`));
    expect(raced).toBe(true);
    expect(c3.status).toBe(200);
    const state = await consistent(b3);
    expect(state.votesAfter).toBe(0);
    expect(state.takingPart).toBe(state.votesBefore);
    expect(v3.status === 201 ? [3, undefined] : [2, v3.body.code]).toEqual([state.votesBefore, v3.status === 201 ? undefined : 'BOARD.PROPOSAL_CLOSED']);
  }, 30_000);
});

describe('a rename on A while B registers a centre under the new name (county-wide name rule)', () => {
  const rename = (s: Server, id: string, name: string) => post(s, s === A ? foA : foB, `/centres/${id}/rename`, { name, effectiveFrom: '2014-01-01' });
  const holders = async (name: string) => {
    const ev = await log();
    return ev.filter((e) => (e.type === 'CentreRegistered' || e.type === 'CentreRenamed') && (e.data as any).name === name).length;
  };

  it('staged: A\'s rename decided, B\'s registration under that name lands first: A decided again, 409 CENTRE.NAME_TAKEN naming B\'s centre', async () => {
    const id = await newCentre(A, 'ren-1');
    let r: Res | null = null;
    A.ctl.hold = { stream: `centre-${id}`, meanwhile: async () => (r = await post(B, foB, '/centres', centreBody('ren-1-new', { name: 'Karrieresenter Grenland 1' }))) };
    const res = await rename(A, id, 'Karrieresenter Grenland 1');
    expect(A.ctl.held).toBe(1);
    A.ctl.held = 0;
    expect(r!.status).toBe(201);
    expect([res.status, res.body.code, res.body.details?.centreId]).toEqual([409, 'CENTRE.NAME_TAKEN', 'ren-1-new']);
    expect(await holders('Karrieresenter Grenland 1')).toBe(1);
  }, 20_000);

  it('staged: B\'s registration decided, A\'s rename to that name lands first: B decided again, 409 CENTRE.NAME_TAKEN naming A\'s centre', async () => {
    const id = await newCentre(A, 'ren-2');
    let r: Res | null = null;
    B.ctl.hold = { stream: 'centre-ren-2-new', meanwhile: async () => (r = await rename(A, id, 'Karrieresenter Grenland 2')) };
    const res = await post(B, foB, '/centres', centreBody('ren-2-new', { name: 'Karrieresenter Grenland 2' }));
    expect(B.ctl.held).toBe(1);
    B.ctl.held = 0;
    expect(r!.status).toBe(200);
    expect([res.status, res.body.code, res.body.details?.centreId]).toEqual([409, 'CENTRE.NAME_TAKEN', id]);
    expect(await holders('Karrieresenter Grenland 2')).toBe(1);
  }, 20_000);

  it('simultaneous on a slow node: one is refused (or the README still documents the cross-process gap)', async () => {
    const id = await newCentre(A, 'ren-3');
    A.wire.slowMs = 25;
    B.wire.slowMs = 25;
    const [rn, rg] = await Promise.all([rename(A, id, 'Karrieresenter Grenland 3'), post(B, foB, '/centres', centreBody('ren-3-new', { name: 'Karrieresenter Grenland 3' }))]);
    const raced = overlapped(lastSent(A, `centre-${id}`), lastSent(B, 'centre-ren-3-new'));
    const n = await holders('Karrieresenter Grenland 3');
    outcomes.push(`  rename on A / registration on B: ${rn.status} ${rn.body.code ?? ''} / ${rg.status} ${rg.body.code ?? ''}; holders of the name: ${n}; appends in flight together: ${raced}`);
    expect(raced).toBe(true);
    for (const r of [rn, rg]) if (r.status >= 400) expect(r.body.code).toBe('CENTRE.NAME_TAKEN');
    if (!GAP_DOCUMENTED || n !== 2) expect(n).toBe(1);
    expect(n).toBe([rn, rg].filter((r) => r.status < 300).length);
  }, 20_000);
});

// ---------------------------------------------------------------------------------------------
// The audit routes on both servers at one moment
// ---------------------------------------------------------------------------------------------

describe('audit routes on both servers at the same moment', () => {
  it('verify and digest at the head agree between A and B (quiet log); while A writes, each digest equals the other server\'s digest at its position', async () => {
    const [va, vb, da, db] = await Promise.all([get(A, auditorA, '/audit/verify'), get(B, auditorB, '/audit/verify'), get(A, auditorA, '/audit/digest'), get(B, auditorB, '/audit/digest')]);
    expect([va.status, vb.status, da.status, db.status]).toEqual([200, 200, 200, 200]);
    expect(va.body.ok).toBe(true);
    expect(vb.body).toEqual(va.body);
    expect(db.body).toEqual(da.body);
    // B's verify of A's digest at A's position
    const check = await get(B, auditorB, `/audit/verify?digest=${da.body.digest}&position=${da.body.headPosition}`);
    expect(check.body.ok).toBe(true);
    // while A writes
    const writes = Promise.all([1, 2, 3, 4, 5].map((i) => post(A, foA, '/centres', centreBody(`aud-${i}`))));
    const digests = await Promise.all([1, 2, 3].flatMap(() => [get(A, auditorA, '/audit/digest'), get(B, auditorB, '/audit/digest')]));
    for (const w of await writes) expect(w.status).toBe(201);
    for (const [i, d] of digests.entries()) {
      const other = await get(i % 2 === 0 ? B : A, auditorA, `/audit/digest?position=${d.body.headPosition}`);
      expect(other.body.digest).toBe(d.body.digest);
    }
  }, 20_000);
});

// ---------------------------------------------------------------------------------------------
// recordedAt along the log when both servers write (README: "never earlier than the previous event's")
// ---------------------------------------------------------------------------------------------

describe('recordedAt along the shared log', () => {
  it('A seals its event, B records one meanwhile, then A\'s lands: recordedAt runs behind the log by no more than that append took (documented), and an as-of answer never includes an event recorded after its instant', async () => {
    let bWrite: Res | null = null;
    A.wire.beforeEvents = async (stream) => {
      if (stream !== 'centre-clk-a') return;
      A.wire.beforeEvents = null;
      await sleep(20); // B's clock reads later than the instant A sealed with
      bWrite = await post(B, foB, '/centres', centreBody('clk-b'));
    };
    const aWrite = await post(A, foA, '/centres', centreBody('clk-a'));
    expect([aWrite.status, bWrite!.status]).toEqual([201, 201]);
    expect(bWrite!.body.position).toBeLessThan(aWrite.body.position); // B's event landed first (the race happened)
    const events = await log();
    const a = events.find((e) => e.streamId === 'centre-clk-a')!;
    const b = events.find((e) => e.streamId === 'centre-clk-b')!;
    // What an auditor sees as of A's instant: the log up to it, and the views at the position it names.
    const asOf = a.recordedAt;
    const at = await get(B, auditorB, `/audit/position-at?asOf=${encodeURIComponent(asOf)}`);
    const listed = await get(B, auditorB, `/audit/events?to=${encodeURIComponent(asOf)}&type=CentreRegistered&limit=500`);
    const centres = await get(B, auditorB, `/centres?asOf=${encodeURIComponent(asOf)}`);
    const inView = centres.body.map((c: any) => c.centreId);
    const inLog = listed.body.events.map((e: any) => e.data.centreId);
    expect({ positionBeforeB: at.body.position < b.position, clkBInView: inView.includes('clk-b'), clkBInLog: inLog.includes('clk-b') }).toEqual({ positionBeforeB: true, clkBInView: false, clkBInLog: false });
    // As of B's instant both are in: A's event was recorded before it, and nothing after B's instant precedes it.
    const atB = await get(B, auditorB, `/audit/position-at?asOf=${encodeURIComponent(b.recordedAt)}`);
    const centresAtB = (await get(B, auditorB, `/centres?asOf=${encodeURIComponent(b.recordedAt)}`)).body.map((c: any) => c.centreId);
    expect({ position: atB.body.position >= a.position, a: centresAtB.includes('clk-a'), b: centresAtB.includes('clk-b') }).toEqual({ position: true, a: true, b: true });
    // The race inverted recordedAt along the log (A's event after B's, recorded before it), by less than A's append took: the README's documented window.
    const order = events.map((e) => Date.parse(e.recordedAt));
    const inversions = order.map((r, i) => (i > 0 && r < order[i - 1] ? order[i - 1] - r : 0)).filter((d) => d > 0);
    expect({ bBeforeA: b.position < a.position, aRecordedBeforeB: a.recordedAt < b.recordedAt, inverted: inversions.length > 0 }).toEqual({ bBeforeA: true, aRecordedBeforeB: true, inverted: true });
    expect(Math.max(...inversions)).toBeLessThan(10_000);
  }, 20_000);
});

// ---------------------------------------------------------------------------------------------
// Restart of one server while the other keeps writing (last: B is replaced)
// ---------------------------------------------------------------------------------------------

describe('B restarted while A keeps writing', () => {
  it('B restores its checkpoint (no fold from position 0), catches up past the events it did not write, and answers as A does', async () => {
    const { START, FORWARDS } = await import('@eventstore/db-client');
    const beforeStop = await health(B);
    const dir = B.dir;
    await B.t.close();
    started.splice(started.indexOf(B), 1);
    // A writes while B is down...
    const down: Res[] = [];
    for (let i = 1; i <= 4; i++) down.push(await post(A, foA, '/centres', centreBody(`rs-${i}`)));
    down.push(await grantFor(A, 'rs-1', 'g-rs-1'));
    down.push(await post(A, adminA, '/parties', { partyId: 'rs-party', name: 'Restart AS', kind: 'other', organisationNumber: '971032081' }));
    down.push(await post(A, foA, '/centres/rs-2/rename', { name: 'Karrieresenter Omdøpt', effectiveFrom: '2014-01-01' }));
    for (const r of down) expect([200, 201]).toContain(r.status);
    // ...and while B starts again on its own folder.
    const during = Promise.all([5, 6, 7].map((i) => post(A, foA, '/centres', centreBody(`rs-${i}`))));
    const B2 = await startServer('B2', dir);
    for (const r of await during) expect(r.status).toBe(201);
    const fromZero = B2.wire.allReads.filter((r) => r.direction === FORWARDS && (r.from === START || r.from === undefined));
    const head = await A.store.headPosition();
    expect(beforeStop.viewsPosition).toBeGreaterThan(0);
    expect(fromZero).toEqual([]); // restored from the checkpoint B saved at its stop
    const routes = ['/counties', '/centres', '/parties', '/boards', '/centres/rs-2', '/centres/kc-skien/funding-mix/2014', '/key-figures/2014', '/funding-mix/2014', '/nav-links'];
    for (const url of routes) {
      const [ra, rb] = await Promise.all([get(A, auditorA, url, head), get(B2, auditorB, url, head)]);
      expect([url, rb.status, rb.body]).toEqual([url, ra.status, ra.body]);
    }
    // keyed writes from before the restart still answer on B2 (claims live on the node)
    const retry = await post(B2, foB, '/centres', centreBody('idem-3'), 'k-idem-3');
    expect(retry.status).toBe(201);
    const h = await health(B2);
    expect(h.viewsPosition).toBe(h.headPosition);
    B = B2;
  }, 30_000);
});
