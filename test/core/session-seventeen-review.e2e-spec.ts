import { SignJWT } from 'jose';
import { rawGet } from '../helpers/raw-get';
import { startTestApp, TestApp, TEST_JWT_SECRET } from '../helpers/test-app';
import { MemoryEventStore } from '../../libs/event-store/src/memory-event-store';
import { centre, get, partyOf, post } from '../governance/governance-helpers';
import { countVotes } from '../../libs/domain/src/governance/board';

/**
 * Review of session seventeen's changes (428b9b3..HEAD), the HTTP half: BOARD.TERM_ENDS_BEFORE_VOTE
 * (deputies, several terms, closed proposals, the same day), GET /audit/position-at without asOf,
 * the token lifetime bound (LEDGER_JWT_MAX_HOURS, iat in the future, clock skew), NFKC name keys on a
 * ledger whose names an older version let collide, the rate limit taken once per request before
 * routing, a correction's retry answered with its own entry id, opensStream over HTTP. The store-level
 * half is session-seventeen-review.int.spec.ts. Each check asserts what a user of the ledger would
 * expect; a failing check is a finding.
 */

type Auth = { Authorization: string };
const nowS = () => Math.floor(Date.now() / 1000);
const HOUR = 3600;
const secret = new TextEncoder().encode(TEST_JWT_SECRET);
const hs = (claims: Record<string, unknown>) => new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(secret);
const bearer = (token: string): Auth => ({ Authorization: `Bearer ${token}` });

// ---------------------------------------------------------------------------------------------------
// BOARD.TERM_ENDS_BEFORE_VOTE
// ---------------------------------------------------------------------------------------------------

describe('a term cannot end before a vote cast in it (BOARD.TERM_ENDS_BEFORE_VOTE)', () => {
  let t: TestApp;
  let fo: Auth;
  let auditor: Auth;
  let admin: Auth;
  const member = (personId: string) => t.auth('board-member', [], personId);
  const end = (board: string, personId: string, endedOn: string) => t.http().post(`/boards/${board}/members/${personId}/end`).set(fo).send({ endedOn, reason: 'Etter protokollen' });
  const head = () => t.store.headPosition();

  beforeAll(async () => {
    t = await startTestApp({ seed: true, env: { LEDGER_RATE_LIMIT_PER_MINUTE: '0' } });
    fo = await t.auth('finance-officer', ['ostfold']);
    auditor = await t.auth('auditor');
    admin = await t.auth('admin', [], 's17-board-admin');
    await centre(t, fo, 's17-kc', 'ostfold', 'Karriere Halden', 'Halden');
    await partyOf(t, fo, 's17-fk', 'Østfold fylkeskommune', 'county-authority', 'ostfold');
    await partyOf(t, fo, 's17-nav', 'NAV Østfold', 'nav-county-office', 'ostfold');
  });
  afterAll(async () => t?.close());

  describe('several terms and a deputy', () => {
    beforeAll(async () => {
      await post(t, fo, '/boards', { boardId: 's17-b1', countyId: 'ostfold', centreIds: ['s17-kc'], name: 'Styret for Karriere Halden', establishedOn: '2012-01-01' });
      const appoint = (personId: string, name: string, role: string, term: object) => post(t, fo, '/boards/s17-b1/members', { personId, name, partyId: 's17-fk', role, term });
      await appoint('b1-chair', 'Per Leder', 'chair', { from: '2012-01-01' });
      // Siri: a member in 2012-2013, then a deputy member from 2014.
      await appoint('b1-siri', 'Siri Saksbehandler', 'member', { from: '2012-01-01', to: '2013-12-31' });
      await appoint('b1-siri', 'Siri Saksbehandler', 'deputy-member', { from: '2014-01-01' });
      await appoint('b1-anne', 'Anne Medlem', 'member', { from: '2012-01-01' });
      await post(t, await member('b1-chair'), '/boards/s17-b1/proposals', { proposalId: 'b1-p2013', kind: 'goals', year: 2013, title: 'Mål for 2013', content: { goals: ['Mål'] }, tabledOn: '2013-03-01' });
      // Recorded from the minutes by an administrator (her 2013 term has ended: she cannot record it herself now).
      await post(t, admin, '/boards/s17-b1/proposals/b1-p2013/votes', { personId: 'b1-siri', vote: 'for', castOn: '2013-03-05' });
      await post(t, await member('b1-chair'), '/boards/s17-b1/proposals', { proposalId: 'b1-p2014', kind: 'goals', year: 2014, title: 'Mål for 2014', content: { goals: ['Mål'] }, tabledOn: '2014-02-01' });
      // Siri, now a deputy, stands in for Anne.
      await post(t, await member('b1-siri'), '/boards/s17-b1/proposals/b1-p2014/votes', { vote: 'for', castOn: '2014-02-05', standingInFor: 'b1-anne' });
    });

    it("a deputy's own term cannot end before the vote they cast standing in (details name the deputy as castBy)", async () => {
      const before = await head();
      const res = await end('s17-b1', 'b1-siri', '2014-02-04');
      expect([res.status, res.body.code, res.body.details?.castBy, res.body.details?.proposalId]).toEqual([422, 'BOARD.TERM_ENDS_BEFORE_VOTE', 'b1-siri', 'b1-p2014']);
      expect(await head()).toBe(before);
    });

    it("the earlier term of the same person: correcting its end to before the vote cast in it is refused, while the vote in the later term does not count against it", async () => {
      const early = await end('s17-b1', 'b1-siri', '2013-03-04');
      expect([early.status, early.body.code, early.body.details?.proposalId]).toEqual([422, 'BOARD.TERM_ENDS_BEFORE_VOTE', 'b1-p2013']);
      // After the 2013 vote but before the 2014 one (cast in the later term): accepted.
      const later = await end('s17-b1', 'b1-siri', '2013-06-30');
      expect(later.status).toBe(200);
      const terms = (await get(t, auditor, '/boards/s17-b1')).members.filter((m: any) => m.personId === 'b1-siri').map((m: any) => m.term);
      expect(terms).toEqual([
        { from: '2012-01-01', to: '2013-06-30' },
        { from: '2014-01-01', to: null },
      ]);
    });

    it("the absent member's seat: Anne's term cannot end before the deputy's vote for her seat; the deputy's own term ends on that day", async () => {
      expect((await end('s17-b1', 'b1-anne', '2014-02-04')).body.code).toBe('BOARD.TERM_ENDS_BEFORE_VOTE');
      expect((await end('s17-b1', 'b1-siri', '2014-02-05')).status).toBe(200);
    });
  });

  describe('a closed proposal', () => {
    beforeAll(async () => {
      await post(t, fo, '/boards', { boardId: 's17-b2', countyId: 'ostfold', centreIds: ['s17-kc'], name: 'Styret for Karriere Halden II', establishedOn: '2012-01-01' });
      const appoint = (personId: string, name: string, role: string, partyId = 's17-fk') => post(t, fo, '/boards/s17-b2/members', { personId, name, partyId, role, term: { from: '2012-01-01' } });
      await appoint('b2-chair', 'Per Leder', 'chair');
      await appoint('b2-kari', 'Kari Nordmann', 'member', 's17-nav');
      await appoint('b2-ola', 'Ola Nordmann', 'member');
      await post(t, await member('b2-chair'), '/boards/s17-b2/proposals', { proposalId: 'b2-p', kind: 'goals', year: 2014, title: 'Mål for 2014', content: { goals: ['Mål'] }, tabledOn: '2014-02-01' });
      await post(t, await member('b2-chair'), '/boards/s17-b2/proposals/b2-p/votes', { vote: 'against', castOn: '2014-02-10' });
      await post(t, await member('b2-kari'), '/boards/s17-b2/proposals/b2-p/votes', { vote: 'for', castOn: '2014-02-10' });
      await post(t, await member('b2-ola'), '/boards/s17-b2/proposals/b2-p/votes', { vote: 'for', castOn: '2014-02-10' });
      // Decided on 20 February: three seats held that day, all three votes counted, adopted 2-1.
      await post(t, await member('b2-chair'), '/boards/s17-b2/proposals/b2-p/close', { closedOn: '2014-02-20' }, 200);
    });

    it('a vote on a closed proposal blocks an end before it, as one on an open proposal does', async () => {
      expect((await end('s17-b2', 'b2-ola', '2014-02-09')).body.code).toBe('BOARD.TERM_ENDS_BEFORE_VOTE');
    });

    it("an end after a member's vote but before the decision that counted her seat (closedOn) is refused too: the decision counted Kari's vote because her seat was held on 2014-02-20 (a vote counts only if its seat is held on the closing date: the close check's rule, read backwards)", async () => {
      const recorded = (await get(t, auditor, '/boards/s17-b2')).proposals.find((p: any) => p.proposalId === 'b2-p').decision;
      expect([recorded.outcome, recorded.tally.takingPart, recorded.tally.seats]).toEqual(['adopted', 3, 3]);
      const before = await head();
      const res = await end('s17-b2', 'b2-kari', '2014-02-15');
      // The votes as the register now reads them, counted by the rules on the decision's day.
      const board = await get(t, auditor, '/boards/s17-b2');
      const votes = Object.fromEntries(board.proposals.find((p: any) => p.proposalId === 'b2-p').votes.map((v: any) => [v.standingInFor ?? v.personId, { vote: v.vote, castBy: v.personId, castOn: v.castOn }]));
      const recount = countVotes({ members: board.members, rules: board.rules }, { votes }, '2014-02-20');
      expect({ status: res.status, code: res.body.code, recordedMoved: (await head()) !== before, recountNow: recount.outcome }).toEqual({
        status: 422,
        code: expect.stringMatching(/^BOARD\./),
        recordedMoved: false,
        // Accepted instead: the register keeps "adopted 2-1, 3 of 3 seats" while the rules applied to
        // the record now give a 1-1 tie the chair breaks against it (rejected).
        recountNow: recorded.outcome,
      });
    });
  });
});

// ---------------------------------------------------------------------------------------------------
// GET /audit/position-at, tokens, names, the rate limit, corrections, opensStream: one app
// ---------------------------------------------------------------------------------------------------

describe('session seventeen over HTTP', () => {
  let t: TestApp;
  let kari: Auth;
  let admin: Auth;
  let auditor: Auth;

  beforeAll(async () => {
    t = await startTestApp({ seed: true, env: { LEDGER_RATE_LIMIT_PER_MINUTE: '0' } });
    kari = await t.auth('finance-officer', ['telemark'], 's17-kari');
    admin = await t.auth('admin', [], 's17-admin');
    auditor = await t.auth('auditor', [], 's17-auditor');
    await post(t, admin, '/parties', { partyId: 'porsgrunn-kommune', name: 'Porsgrunn kommune', kind: 'municipality', countyId: 'telemark' });
    await post(t, admin, '/centres', { centreId: 'kc-skien', countyId: 'telemark', name: 'Karrieresenteret Skien', municipality: 'Skien', openedOn: '2009-01-01' });
  });
  afterAll(async () => t?.close());

  it('GET and HEAD /audit/position-at without asOf are 400 REQUEST.BAD_AS_OF; with asOf beside an unknown parameter the usual VALIDATION.UNKNOWN_FIELD; a bare date is answered', async () => {
    const headReq = await t.http().head('/audit/position-at').set(auditor);
    expect(headReq.status).toBe(400);
    const dated = await t.http().get('/audit/position-at?asOf=2014-05-09').set(auditor);
    expect(dated.status).toBe(200);
    const extra = await t.http().get('/audit/position-at?asOf=2014-05-09&x=1').set(auditor);
    expect([extra.status, extra.body.code]).toEqual([400, 'VALIDATION.UNKNOWN_FIELD']);
  });

  it('a correction retried with its key after the entry was corrected again answers its own new entry (`.c1`), not the latest (`.c2`)', async () => {
    await t.http().post('/centres/kc-skien/funding/operating-grants').set(kari).send({ entryId: 's17-g', fiscalYear: 2014, partyId: 'porsgrunn-kommune', amount: '1000.00', decidedOn: '2014-01-10' }).expect(201);
    const first = await t.http().post('/centres/kc-skien/funding/entries/s17-g/correction').set(kari).set('Idempotency-Key', 's17-corr-1').send({ reason: 'Feil beløp', amount: '2000.00' });
    expect([first.status, first.body.entryId]).toEqual([201, 's17-g.c1']);
    const second = await t.http().post('/centres/kc-skien/funding/entries/s17-g.c1/correction').set(kari).set('Idempotency-Key', 's17-corr-2').send({ reason: 'Feil igjen', amount: '3000.00' });
    expect([second.status, second.body.entryId]).toEqual([201, 's17-g.c2']);
    const retry = await t.http().post('/centres/kc-skien/funding/entries/s17-g/correction').set(kari).set('Idempotency-Key', 's17-corr-1').send({ reason: 'Feil beløp', amount: '2000.00' });
    expect({ status: retry.status, body: retry.body }).toEqual({ status: 201, body: first.body });
  });

  it('opensStream over HTTP: a new entry is 201; the same id again (another key, another amount) 409 ENTRY.ALREADY_EXISTS and nothing recorded; the first key still answers 201 with the first entry', async () => {
    const body = { entryId: 's17-new', fiscalYear: 2014, partyId: 'porsgrunn-kommune', amount: '500.00', decidedOn: '2014-02-01' };
    const first = await t.http().post('/centres/kc-skien/funding/operating-grants').set(kari).set('Idempotency-Key', 's17-os-1').send(body);
    expect(first.status).toBe(201);
    const head = await t.store.headPosition();
    const dup = await t.http().post('/centres/kc-skien/funding/operating-grants').set(kari).set('Idempotency-Key', 's17-os-2').send({ ...body, amount: '600.00' });
    expect([dup.status, dup.body.code]).toEqual([409, 'ENTRY.ALREADY_EXISTS']);
    expect(await t.store.headPosition()).toBe(head);
    const again = await t.http().post('/centres/kc-skien/funding/operating-grants').set(kari).set('Idempotency-Key', 's17-os-1').send(body);
    expect({ status: again.status, body: again.body }).toEqual({ status: 201, body: first.body });
  });
});

describe('the token lifetime bound (LEDGER_JWT_MAX_HOURS unset: 24 h)', () => {
  // Only tokens made here (hs): the helper's own tokens live three days, longer than this server accepts.
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { LEDGER_RATE_LIMIT_PER_MINUTE: '0', LEDGER_JWT_MAX_HOURS: '' } });
  });
  afterAll(async () => t?.close());

  const base = (over: Record<string, unknown> = {}) => ({ sub: 's17-probe', name: 'Probe', roles: ['auditor'], counties: [], iat: nowS(), exp: nowS() + 600, ...over });
  const status = async (claims: Record<string, unknown>) => {
    const res = await t.http().get('/counties').set(bearer(await hs(claims)));
    return [res.status, res.body?.code ?? null];
  };

  it('an issuer whose clock runs 4 minutes ahead (iat 4 min in the future) and whose tokens live 24 h is let in; 10 minutes ahead with a 24 h token is refused (beyond the 5-minute leeway)', async () => {
    expect(await status(base({ iat: nowS() + 240, exp: nowS() + 240 + 24 * HOUR }))).toEqual([200, null]);
    expect(await status(base({ iat: nowS() + 600, exp: nowS() + 600 + 24 * HOUR }))).toEqual([401, 'AUTH.TOKEN_INVALID']);
  });

  it('without iat: exp up to 24 h + 5 min from now is let in, beyond it refused', async () => {
    const { iat: _iat, ...noIat } = base();
    expect(await status({ ...noIat, exp: nowS() + 24 * HOUR + 240 })).toEqual([200, null]);
    expect(await status({ ...noIat, exp: nowS() + 24 * HOUR + 400 })).toEqual([401, 'AUTH.TOKEN_INVALID']);
  });

  it('an iat far in the past with exp an hour from now (exp − iat a year) is refused: the bound is the lifetime the token claims, not what is left of it', async () => {
    expect(await status(base({ iat: nowS() - 365 * 86400, exp: nowS() + HOUR }))).toEqual([401, 'AUTH.TOKEN_INVALID']);
  });
});

// ---------------------------------------------------------------------------------------------------
// NFKC name keys on a ledger an older version wrote, with names that now collide
// ---------------------------------------------------------------------------------------------------

describe('NFKC name keys on an existing ledger whose party names now collide', () => {
  let t: TestApp;
  let admin: Auth;
  beforeAll(async () => {
    const store = new MemoryEventStore();
    t = await startTestApp({ store, seed: true, env: { LEDGER_RATE_LIMIT_PER_MINUTE: '0' } });
    admin = await t.auth('admin', [], 's17-nfkc-admin');
    // As an older version let it be recorded: two municipalities whose names differ only by a ligature
    // (NFC kept "ﬁ" apart from "fi"). Recorded through the app before the fold was NFKC is not possible
    // now, so the second registration's event is written into the store as that version wrote it.
    await post(t, admin, '/parties', { partyId: 's17-fiskum', name: 'Fiskum kommune', kind: 'municipality', countyId: 'buskerud' });
    const [registered] = await store.readStream('party-s17-fiskum');
    await store.append('party-s17-fiskum-2', [{ eventId: 's17-legacy-1', type: 'PartyRegistered', data: { ...registered.data, partyId: 's17-fiskum-2', name: 'ﬁskum kommune' }, schemaVersion: registered.schemaVersion, metadata: registered.metadata }], 'no_stream');
  });
  afterAll(async () => t?.close());

  it('both are read and listed; a third party with either spelling is 409 PARTY.NAME_TAKEN; either may be renamed to a name of its own', async () => {
    const p2 = await t.http().get('/parties/s17-fiskum-2').set(admin);
    expect([p2.status, p2.body.name]).toEqual([200, 'ﬁskum kommune']);
    const third = await t.http().post('/parties').set(admin).send({ partyId: 's17-fiskum-3', name: 'FISKUM KOMMUNE', kind: 'municipality', countyId: 'buskerud' });
    expect([third.status, third.body.code]).toEqual([409, 'PARTY.NAME_TAKEN']);
    const renamed = await t.http().post('/parties/s17-fiskum-2/rename').set(admin).send({ name: 'Fiskum sokn', effectiveFrom: '2014-01-01' });
    expect(renamed.status).toBe(200);
  });
});

// ---------------------------------------------------------------------------------------------------
// The rate limit: one decision per request, before routing; /health exempt
// ---------------------------------------------------------------------------------------------------

describe('the rate limit, one decision per request', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { LEDGER_RATE_LIMIT_PER_MINUTE: '3' } });
  });
  afterAll(async () => t?.close());

  it('a routed request, a cached answer and a 404 each count once (x-ratelimit-remaining 2, 1, 0), then 429; GET /health?probe=1 and HEAD /health stay 200 without being counted', async () => {
    const server = t.app.getHttpServer();
    const auth = await t.auth('auditor', [], 's17-rl');
    const remaining: unknown[] = [];
    for (const url of ['/counties', '/counties', '/nowhere']) {
      const r = await rawGet(server, url, url === '/nowhere' ? {} : auth);
      remaining.push([r.statusCode, r.headers['x-ratelimit-remaining']]);
    }
    expect(remaining).toEqual([
      [200, '2'],
      [200, '1'],
      [404, '0'],
    ]);
    expect((await rawGet(server, '/counties', auth)).statusCode).toBe(429);
    expect([(await rawGet(server, '/health?probe=1')).statusCode, (await rawGet(server, '/health', {}, 'HEAD')).statusCode]).toEqual([200, 200]);
  });

  it('without the raw answer path (LEDGER_ANSWER_CACHE_MB=0) every request is still counted exactly once, a refused URL included', async () => {
    const plain = await startTestApp({ env: { LEDGER_RATE_LIMIT_PER_MINUTE: '4', LEDGER_ANSWER_CACHE_MB: '0' } });
    try {
      const server = plain.app.getHttpServer();
      const auth = await plain.auth('auditor', [], 's17-rl-plain');
      const seen: unknown[] = [];
      for (const [url, h] of [['/counties', auth], ['/nowhere', {}], ['/%ZZ', {}], ['/counties', auth]] as const) {
        const r = await rawGet(server, url, h as Record<string, string>);
        seen.push([r.statusCode, r.headers['x-ratelimit-remaining']]);
      }
      expect(seen).toEqual([
        [200, '3'],
        [404, '2'],
        [400, '1'],
        [200, '0'],
      ]);
      expect((await rawGet(server, '/%ZZ')).statusCode).toBe(429);
    } finally {
      await plain.close();
    }
  });
});
