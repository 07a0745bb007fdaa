import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpRequest, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommandRegistry } from '../../libs/application/src/command-registry';
import { dryRunImport, parseImportFile } from '../../libs/application/src/import-file';
import { Actor } from '../../libs/domain/src/shared';
import { EventStore } from '../../libs/event-store/src/port';
import { MemoryEventStore } from '../../libs/event-store/src/memory-event-store';
import { SqliteEventStore } from '../../libs/event-store/src/sqlite-event-store';
import { startTestApp, TestApp } from '../helpers/test-app';

/**
 * Adversarial review of idempotency and the HTTP write protocol: "Bad input gets a clear 4xx with a
 * stable error code and a message a finance officer understands, and nothing is recorded. Nothing is
 * ever lost or recorded twice: retries with the same idempotency key are answered with the first result."
 *
 * Decisions this file takes where the README is silent:
 * - a refused first attempt (any 4xx) is not remembered under its key: the same key with a corrected
 *   body is a new attempt and is recorded once; once something was recorded, the key answers with it;
 * - a key is the sender's own: two users who happen to pick the same key for their own writes do not
 *   collide (and one learns nothing about the other's writes from the answer).
 */

type Auth = { Authorization: string };
type Answer = { status: number; headers: Record<string, string | string[] | undefined>; text: string; body: any };

/** A POST over a real socket, with exact bytes and headers (an array value is sent as repeated header lines). */
const rawPost = async (server: Server, path: string, headers: Record<string, string | string[]>, body: Buffer | string): Promise<Answer> => {
  if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method: 'POST', headers: { 'content-length': String(bytes.length), ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: unknown = undefined;
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = undefined;
        }
        resolve({ status: res.statusCode!, headers: res.headers, text, body: parsed });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(bytes);
  });
};

/** The headers a replay must repeat (the rate-limit counters and Date naturally differ). */
const PROTOCOL_HEADERS = ['content-type', 'content-length', 'location', 'etag', 'x-ledger-position', 'cache-control', 'content-encoding'];
const protocolHeaders = (h: Record<string, unknown>) => Object.fromEntries(PROTOCOL_HEADERS.map((n) => [n, h[n]]));

const ERROR_KEYS = ['code', 'details', 'message', 'statusCode'];

describe('idempotency and the HTTP write protocol, reviewed (memory store)', () => {
  let t: TestApp;
  let kari: Auth; // finance officer, Telemark
  let ola: Auth; // finance officer, Østfold
  let auditor: Auth;
  const member = (personId: string) => t.auth('board-member', [], personId);

  /** Every event recorded under this Idempotency-Key, as the auditor's log shows it. */
  const keyed = async (key: string): Promise<any[]> => {
    const out: any[] = [];
    for (let after = 0; ; ) {
      const res = await t.http().get(`/audit/events?after=${after}&limit=500`).set(auditor);
      expect(res.status).toBe(200);
      out.push(...res.body.events.filter((e: any) => e.metadata?.idempotencyKey === key));
      if (res.body.nextAfter === null || res.body.events.length === 0) break;
      after = res.body.nextAfter;
    }
    return out;
  };
  const head = () => t.store.headPosition();
  const post = (path: string, auth: Auth, key: string | null, body: object) => {
    const r = t.http().post(path).set(auth);
    if (key !== null) r.set('Idempotency-Key', key);
    return r.send(body);
  };
  const mustPost = async (path: string, auth: Auth, body: object, key: string | null = null) => {
    const res = await post(path, auth, key, body);
    if (res.status >= 300) throw new Error(`POST ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const grant = (over: Record<string, unknown> = {}) => ({ fiscalYear: 2014, partyId: 'tm-fk', decidedOn: '2014-01-10', amount: '1000.00', ...over });
  let n = 0;
  const fresh = (p: string) => `${p}-${++n}`;

  beforeAll(async () => {
    t = await startTestApp({ seed: true });
    kari = await t.auth('finance-officer', ['telemark'], 'kari');
    ola = await t.auth('finance-officer', ['ostfold'], 'ola');
    auditor = await t.auth('auditor', [], 'revisor');
    await mustPost('/centres', kari, { centreId: 'kc-tm', countyId: 'telemark', name: 'Karrieresenteret Telemark', municipality: 'Skien', openedOn: '2010-01-01' });
    await mustPost('/centres', kari, { centreId: 'kc-tm2', countyId: 'telemark', name: 'Karrieresenteret Notodden', municipality: 'Notodden', openedOn: '2010-01-01' });
    await mustPost('/centres', ola, { centreId: 'kc-of', countyId: 'ostfold', name: 'Karriere Østfold', municipality: 'Sarpsborg', openedOn: '2010-01-01' });
    await mustPost('/parties', kari, { partyId: 'tm-fk', name: 'Telemark fylkeskommune', kind: 'county-authority', countyId: 'telemark' });
    await mustPost('/parties', kari, { partyId: 'nav-tm', name: 'NAV Telemark', kind: 'nav-county-office', countyId: 'telemark' });
    await mustPost('/parties', ola, { partyId: 'of-fk', name: 'Østfold fylkeskommune', kind: 'county-authority', countyId: 'ostfold' });
    await mustPost('/boards', kari, { boardId: 'tm-board', countyId: 'telemark', centreIds: ['kc-tm'], name: 'Styret', establishedOn: '2012-01-01' });
    for (const [personId, partyId, role] of [['anne', 'tm-fk', 'chair'], ['bjorn', 'nav-tm', 'member'], ['cato', 'tm-fk', 'member']]) {
      await mustPost('/boards/tm-board/members', kari, { personId, name: personId, partyId, role, term: { from: '2012-01-01' } });
    }
  });
  afterAll(() => t?.close());

  // ------------------------------------------------------------------ the replayed answer

  it('a replay repeats the first answer exactly: status, protocol headers and body bytes; one event in the log', async () => {
    const key = fresh('replay-bytes');
    const first = await post('/centres/kc-tm/funding/operating-grants', kari, key, grant());
    expect(first.status).toBe(201);
    const before = await head();
    const again = await post('/centres/kc-tm/funding/operating-grants', kari, key, grant());
    expect(again.status).toBe(first.status);
    expect(protocolHeaders(again.headers)).toEqual(protocolHeaders(first.headers));
    expect(again.text).toBe(first.text);
    expect(await head()).toBe(before);
    const events = await keyed(key);
    expect(events.map((e) => [e.type, e.eventId])).toEqual([['OperatingGrantRecorded', first.body.eventIds[0]]]);
  });

  it('a retry that sends the same JSON with its fields in another order and other whitespace is the same request', async () => {
    const key = fresh('reordered');
    const body = grant({ amount: '2500.00', note: 'Driftstilskudd' });
    const first = await t.http().post('/centres/kc-tm/funding/operating-grants').set(kari).set('Idempotency-Key', key).set('Content-Type', 'application/json').send(JSON.stringify(body));
    expect(first.status).toBe(201);
    const reordered = `{\n  "note": "Driftstilskudd",\n  "amount": "2500.00",\n\t"decidedOn": "2014-01-10", "partyId": "tm-fk",  "fiscalYear": 2014 }`;
    const again = await t.http().post('/centres/kc-tm/funding/operating-grants').set(kari).set('Idempotency-Key', key).set('Content-Type', 'application/json').send(reordered);
    expect([again.status, again.text]).toEqual([201, first.text]);
    expect(await keyed(key)).toHaveLength(1);
  });

  // ------------------------------------------------------------------ every kind of fact, exactly once

  it('money and staff facts (grant, correction, reversal, staff position and its change, owner agreement), each sent 8× at once then 3× in turn under one key: recorded once, every answer the first', async () => {
    const entry = await mustPost('/centres/kc-tm/funding/operating-grants', kari, grant({ amount: '500.00' }), fresh('base-entry'));
    const entry2 = await mustPost('/centres/kc-tm/funding/operating-grants', kari, grant({ amount: '600.00' }), fresh('base-entry'));
    const cases: [string, string, object, number][] = [
      ['RecordOperatingGrant', '/centres/kc-tm/funding/operating-grants', grant({ amount: '1234.56' }), 201],
      ['RecordEarmarkedFunds', '/centres/kc-tm/funding/earmarked-funds', grant({ partyId: 'nav-tm', amount: '731000.00', purpose: 'Oppstartsveiledning', period: { from: '2014-01-01', to: '2014-12-31' } }), 201],
      ['CorrectEntry', `/centres/kc-tm/funding/entries/${entry.entryId}/correction`, { reason: 'Feil beløp', amount: '550.00' }, 201],
      ['ReverseEntry', `/centres/kc-tm/funding/entries/${entry2.entryId}/reversal`, { reason: 'Ført på feil senter' }, 201],
      ['StartStaffPosition', '/centres/kc-tm/staff-positions', { positionId: 'tm-leder', title: 'Leder', employerKind: 'county-authority', fte: '1.0', startedOn: '2013-01-01' }, 201],
      ['ChangeStaffPosition', '/centres/kc-tm/staff-positions/tm-leder/changes', { effectiveFrom: '2014-01-01', fte: '0.8' }, 201],
      ['RegisterOwnerAgreement', '/centres/kc-tm/owner-agreements', { agreementId: 'tm-2009', parties: [{ partyId: 'nav-tm', shareBp: 5000 }, { partyId: 'tm-fk', shareBp: 5000 }], period: { from: '2009-01-01' }, signedOn: '2009-03-01' }, 201],
    ];
    const seen: string[] = [];
    for (const [name, path, body, status] of cases) {
      const key = fresh(`fact-${name}`);
      const before = await head();
      // 8 at once (a client that fires its retries without waiting), then 3 more in turn
      const answers = await Promise.all(Array.from({ length: 8 }, () => post(path, kari, key, body)));
      for (let i = 0; i < 3; i++) answers.push(await post(path, kari, key, body));
      seen.push(name);
      expect([name, answers.map((a) => a.status)]).toEqual([name, answers.map(() => status)]);
      expect([name, new Set(answers.map((a) => a.text)).size]).toEqual([name, 1]);
      const recorded = await keyed(key);
      const eventsPerAppend = answers[0].body.eventIds.length;
      expect(eventsPerAppend).toBeGreaterThan(0);
      expect([name, recorded.length, (await head()) - before]).toEqual([name, eventsPerAppend, eventsPerAppend]);
      expect(recorded.map((e) => e.eventId)).toEqual(answers[0].body.eventIds);
    }
    expect(seen).toHaveLength(cases.length);
  });

  it('governance facts (party, board proposal, a vote, the board decision, a centre rename), each sent 8× at once then 3× in turn under one key: recorded once', async () => {
    const steps: [string, () => Promise<Auth>, string, object, number][] = [
      ['RegisterParty', async () => kari, '/parties', { partyId: 'skien-kommune', name: 'Skien kommune', kind: 'municipality', countyId: 'telemark' }, 201],
      ['TableProposal', () => member('anne'), '/boards/tm-board/proposals', { proposalId: 'ap-2014', kind: 'action-plan', year: 2014, title: 'Handlingsplan 2014', content: { goals: ['Nå 1000 voksne'] }, tabledOn: '2014-02-01' }, 201],
      ['CastVote anne', () => member('anne'), '/boards/tm-board/proposals/ap-2014/votes', { vote: 'for', castOn: '2014-02-10' }, 201],
      ['CastVote bjorn', () => member('bjorn'), '/boards/tm-board/proposals/ap-2014/votes', { vote: 'for', castOn: '2014-02-10' }, 201],
      ['CloseProposal', () => member('anne'), '/boards/tm-board/proposals/ap-2014/close', { closedOn: '2014-02-10', outcome: 'adopted' }, 200],
      ['RenameCentre', async () => kari, '/centres/kc-tm2/rename', { name: 'Karriere Notodden', effectiveFrom: '2015-01-01' }, 200],
    ];
    for (const [name, who, path, body, status] of steps) {
      const auth = await who();
      const key = fresh(`gov-${name.replace(' ', '-')}`);
      const before = await head();
      const answers = await Promise.all(Array.from({ length: 8 }, () => post(path, auth, key, body)));
      for (let i = 0; i < 3; i++) answers.push(await post(path, auth, key, body));
      expect([name, answers.map((a) => a.status)]).toEqual([name, answers.map(() => status)]);
      expect([name, new Set(answers.map((a) => a.text)).size]).toEqual([name, 1]);
      expect([name, (await keyed(key)).length, (await head()) - before]).toEqual([name, 1, 1]);
    }
    const register = await t.http().get('/boards/tm-board/proposals/ap-2014').set(auditor);
    expect(register.body.votes.map((v: any) => v.personId)).toEqual(['anne', 'bjorn']);
    expect(register.body.decision).toMatchObject({ outcome: 'adopted' });
  });

  // ------------------------------------------------------------------ same key, another request

  it('the same key with different bodies fired together (20 rounds of 6): exactly one is recorded, the others are 409 IDEMPOTENCY_KEY_REUSED', async () => {
    for (let round = 0; round < 20; round++) {
      const key = fresh('race-bodies');
      const before = await head();
      const bodies = Array.from({ length: 6 }, (_, i) => grant({ amount: `${100 + i}.00` }));
      const answers = await Promise.all(bodies.map((b) => post('/centres/kc-tm/funding/operating-grants', kari, key, b)));
      const won = answers.filter((a) => a.status === 201);
      const lost = answers.filter((a) => a.status !== 201);
      expect(won).toHaveLength(1);
      expect(lost.map((a) => [a.status, a.body.code])).toEqual(lost.map(() => [409, 'IDEMPOTENCY_KEY_REUSED']));
      expect((await head()) - before).toBe(1);
      const [event] = await keyed(key);
      expect(event.eventId).toBe(won[0].body.eventIds[0]);
      // and the key keeps answering with the winner, for the winner's body only
      const winnerBody = bodies[answers.indexOf(won[0])];
      const again = await post('/centres/kc-tm/funding/operating-grants', kari, key, winnerBody);
      expect([again.status, again.text]).toEqual([201, won[0].text]);
    }
  });

  it('the same key on two routes fired together: one fact recorded, the other 409 IDEMPOTENCY_KEY_REUSED (20 rounds)', async () => {
    for (let round = 0; round < 20; round++) {
      const key = fresh('race-routes');
      const before = await head();
      const answers = await Promise.all([
        post('/centres/kc-tm/funding/operating-grants', kari, key, grant()),
        post('/centres/kc-tm/funding/other-income', kari, key, { ...grant(), incomeKind: 'course-fees' }),
        post('/centres/kc-tm/staff-positions', kari, key, { positionId: `p-${key}`, title: 'Veileder', employerKind: 'centre', fte: '0.5', startedOn: '2013-01-01' }),
      ]);
      expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409]);
      expect(answers.filter((a) => a.status === 409).map((a) => a.body.code)).toEqual(['IDEMPOTENCY_KEY_REUSED', 'IDEMPOTENCY_KEY_REUSED']);
      expect((await head()) - before).toBe(1);
    }
  });

  it('the same key on another route afterwards is 409 IDEMPOTENCY_KEY_REUSED with a message that says what to do, and records nothing', async () => {
    const key = fresh('other-route');
    expect((await post('/centres/kc-tm/funding/operating-grants', kari, key, grant())).status).toBe(201);
    const before = await head();
    const res = await post('/centres/kc-tm/funding/other-income', kari, key, { ...grant(), incomeKind: 'course-fees' });
    expect([res.status, res.body.code, Object.keys(res.body).sort()]).toEqual([409, 'IDEMPOTENCY_KEY_REUSED', ERROR_KEYS]);
    expect(res.body.message).toMatch(/new key/i);
    expect(await head()).toBe(before);
  });

  it('the same person retrying with a token for another of her roles gets her first answer, and nothing is recorded again', async () => {
    const key = fresh('role-switch');
    const first = await post('/centres/kc-tm/funding/operating-grants', kari, key, grant({ amount: '77.00' }));
    expect(first.status).toBe(201);
    const before = await head();
    const asAdmin = await t.auth(['finance-officer', 'admin'], ['telemark'], 'kari');
    const again = await post('/centres/kc-tm/funding/operating-grants', asAdmin, key, grant({ amount: '77.00' }));
    expect([again.status, again.text]).toEqual([201, first.text]);
    expect(await head()).toBe(before);
  });

  it('two senders who pick the same key for their own writes are both recorded (a key is the sender\'s own): officers of two counties, two board members voting', async () => {
    const results: string[] = [];
    const key = 'driftstilskudd-2014';
    const telemark = await post('/centres/kc-tm/funding/operating-grants', kari, key, grant({ amount: '2363000.00' }));
    let before = await head();
    const ostfold = await post('/centres/kc-of/funding/operating-grants', ola, key, grant({ partyId: 'of-fk', amount: '690400.00' }));
    results.push(`officers: ${telemark.status} then ${ostfold.status} ${ostfold.body.code ?? ''} +${(await head()) - before}`);
    // a board portal that keys each vote by the proposal
    await mustPost('/boards/tm-board/proposals', await member('cato'), { proposalId: 'gp-2015', kind: 'goals', year: 2015, title: 'Mål 2015', content: { goals: ['Flere voksne'] }, tabledOn: '2015-01-05' });
    const voteKey = 'vote-tm-board-gp-2015';
    const anne = await post('/boards/tm-board/proposals/gp-2015/votes', await member('anne'), voteKey, { vote: 'for', castOn: '2015-01-10' });
    before = await head();
    const cato = await post('/boards/tm-board/proposals/gp-2015/votes', await member('cato'), voteKey, { vote: 'against', castOn: '2015-01-10' });
    results.push(`voters: ${anne.status} then ${cato.status} ${cato.body.code ?? ''} +${(await head()) - before}`);
    expect(results).toEqual(['officers: 201 then 201  +1', 'voters: 201 then 201  +1']);
  });

  it('a retry after the sender lost access to the county is refused 403 (README: access first), nothing recorded', async () => {
    const key = fresh('access-gone');
    expect((await post('/centres/kc-tm/funding/operating-grants', kari, key, grant({ amount: '88.00' }))).status).toBe(201);
    const before = await head();
    const moved = await t.auth('finance-officer', ['ostfold'], 'kari');
    const res = await post('/centres/kc-tm/funding/operating-grants', moved, key, grant({ amount: '88.00' }));
    expect([res.status, res.body.code]).toEqual([403, 'ACCESS.OTHER_COUNTY']);
    expect(res.body.eventIds).toBeUndefined();
    expect(await head()).toBe(before);
  });

  // ------------------------------------------------------------------ a first attempt that was refused

  it('a key whose first attempt was 400: the same bad body is refused again (not replayed), the corrected body is then recorded once (5 at once), and any other body is then 409', async () => {
    const key = fresh('first-400');
    const before = await head();
    const bad = await post('/centres/kc-tm/funding/operating-grants', kari, key, grant({ amount: '12.345' }));
    expect([bad.status, bad.body.code]).toEqual([400, 'MONEY.FRACTIONAL_ORE']);
    const badAgain = await post('/centres/kc-tm/funding/operating-grants', kari, key, grant({ amount: '12.345' }));
    expect([badAgain.status, badAgain.body.code]).toEqual([400, 'MONEY.FRACTIONAL_ORE']);
    expect(await head()).toBe(before);
    const fixed = await Promise.all(Array.from({ length: 5 }, () => post('/centres/kc-tm/funding/operating-grants', kari, key, grant({ amount: '12.34' }))));
    expect(fixed.map((a) => a.status)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(fixed.map((a) => a.text)).size).toBe(1);
    expect((await head()) - before).toBe(1);
    // the key now names a recorded fact: another body under it (even the bad one) is told so, and nothing is recorded
    const badLater = await post('/centres/kc-tm/funding/operating-grants', kari, key, grant({ amount: '12.345' }));
    expect([badLater.status, badLater.body.code]).toEqual([409, 'IDEMPOTENCY_KEY_REUSED']);
    const otherLater = await post('/centres/kc-tm/funding/operating-grants', kari, key, grant({ amount: '12.35' }));
    expect([otherLater.status, otherLater.body.code]).toEqual([409, 'IDEMPOTENCY_KEY_REUSED']);
    expect((await head()) - before).toBe(1);
  });

  it('a key whose first attempt was refused by a rule (unknown party): once the party is registered, the same key and body are recorded, once', async () => {
    const key = fresh('first-404');
    const body = grant({ partyId: 'porsgrunn-kommune', amount: '40000.00' });
    const before = await head();
    const refused = await Promise.all(Array.from({ length: 4 }, () => post('/centres/kc-tm/funding/operating-grants', kari, key, body)));
    expect(refused.map((a) => a.status)).toEqual(refused.map(() => refused[0].status));
    expect(refused[0].status).toBeGreaterThanOrEqual(400);
    expect(refused[0].status).toBeLessThan(500);
    expect(refused[0].body.code).toMatch(/^PARTY\./);
    expect(await head()).toBe(before);
    await mustPost('/parties', kari, { partyId: 'porsgrunn-kommune', name: 'Porsgrunn kommune', kind: 'municipality', countyId: 'telemark' });
    const mid = await head();
    const ok = await Promise.all(Array.from({ length: 4 }, () => post('/centres/kc-tm/funding/operating-grants', kari, key, body)));
    expect(ok.map((a) => a.status)).toEqual([201, 201, 201, 201]);
    expect((await head()) - mid).toBe(1);
  });

  it('the README says what happens to a key whose first attempt was refused', () => {
    const readme = readFileSync(join(__dirname, '../../README.md'), 'utf8');
    const start = readme.indexOf('**Idempotency, permanently.**');
    const paragraph = readme.slice(start, readme.indexOf('\n\n', start)).replace(/\s+/g, ' ');
    expect(paragraph.length).toBeGreaterThan(100);
    const sentences = paragraph.split(/(?<=\.) /);
    // a sentence about a refused (4xx) attempt under a key that says whether the refusal is kept and whether the key may be sent again
    const says = sentences.filter((s) => /(refused|rejected|refusal|4xx|\b4\d\d\b)/i.test(s) && /\bkey\b/i.test(s) && /(not (kept|stored|remembered|claimed|replayed)|nothing is (kept|stored)|stays free|is free|(may|can) be (re)?used|sent again|corrected)/i.test(s));
    expect(sentences.length).toBeGreaterThan(3);
    expect(says).not.toEqual([]);
  });

  it('a key whose first attempt ended 409 STREAM.CONCURRENT_CHANGE (5 writes landing in between) is recorded once by its retry', async () => {
    // A store whose appends to the new entry's stream each let a rename of the centre land first.
    const inner = new MemoryEventStore();
    let interfere = 0;
    let renames = 0;
    let app: TestApp | undefined;
    const store = new Proxy(inner, {
      get(target, prop, receiver) {
        if (prop === 'append') {
          return async (...a: Parameters<EventStore['append']>) => {
            if (a[0].startsWith('funding-entry-') && interfere > 0) {
              interfere--;
              const res = await app!.http().post('/centres/kc-x/rename').set(await app!.auth('admin', [], 'other-writer')).send({ name: `Karriere X ${++renames}`, effectiveFrom: '2016-01-01' });
              if (res.status !== 200) throw new Error(`rename answered ${res.status}`);
            }
            return target.append(...a);
          };
        }
        const v = Reflect.get(target, prop, receiver);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
    app = await startTestApp({ store, seed: true });
    try {
      const fo = await app.auth('finance-officer', ['telemark'], 'kari');
      for (const [path, body] of [
        ['/centres', { centreId: 'kc-x', countyId: 'telemark', name: 'Karriere X', municipality: 'Skien', openedOn: '2010-01-01' }],
        ['/parties', { partyId: 'tm-fk', name: 'Telemark fylkeskommune', kind: 'county-authority', countyId: 'telemark' }],
      ] as const) {
        expect((await app.http().post(path).set(fo).send(body)).status).toBe(201);
      }
      const key = 'conflicted-1';
      interfere = 5;
      const before = await inner.headPosition();
      const first = await app.http().post('/centres/kc-x/funding/operating-grants').set(fo).set('Idempotency-Key', key).send(grant());
      expect([first.status, first.body.code]).toEqual([409, 'STREAM.CONCURRENT_CHANGE']);
      expect(first.body.message.length).toBeGreaterThan(20);
      expect((await inner.headPosition()) - before).toBe(5); // the five renames, nothing of the grant
      expect(interfere).toBe(0);
      const retry = await app.http().post('/centres/kc-x/funding/operating-grants').set(fo).set('Idempotency-Key', key).send(grant());
      expect(retry.status).toBe(201);
      const again = await app.http().post('/centres/kc-x/funding/operating-grants').set(fo).set('Idempotency-Key', key).send(grant());
      expect([again.status, again.text]).toEqual([201, retry.text]);
      const grants = (await inner.readAll({ after: before })).filter((e) => e.type === 'OperatingGrantRecorded');
      expect(grants.map((e) => e.metadata.idempotencyKey)).toEqual([key]);
    } finally {
      await app.close();
    }
  });

  // ------------------------------------------------------------------ the key header itself

  it('key length: 200 visible ASCII characters are a key (and replay); 201, empty and blank are 400 IDEMPOTENCY_KEY_INVALID, nothing recorded', async () => {
    const longest = `k${'~!#$%&*+-./:;<=>?@[]^_`{|}'.repeat(10)}`.slice(0, 200);
    expect(longest).toHaveLength(200);
    const first = await post('/centres/kc-tm/funding/operating-grants', kari, longest, grant({ amount: '1.01' }));
    expect(first.status).toBe(201);
    const again = await post('/centres/kc-tm/funding/operating-grants', kari, longest, grant({ amount: '1.01' }));
    expect([again.status, again.text]).toEqual([201, first.text]);
    const before = await head();
    for (const key of [`${longest}x`, '', '   ']) {
      const res = await post('/centres/kc-tm/funding/operating-grants', kari, key, grant({ amount: '1.02' }));
      expect([JSON.stringify(key).slice(0, 12), res.status, res.body.code]).toEqual([JSON.stringify(key).slice(0, 12), 400, 'IDEMPOTENCY_KEY_INVALID']);
      expect(res.body.message).toMatch(/Idempotency-Key/);
    }
    expect(await head()).toBe(before);
  });

  it('a non-ASCII key (Latin-1 "ø", or UTF-8 bytes) is 400 IDEMPOTENCY_KEY_INVALID, nothing recorded', async () => {
    const server = t.app.getHttpServer() as Server;
    const before = await head();
    const token = kari.Authorization;
    for (const key of ['nøkkel-1', Buffer.from('nøkkel-2', 'utf8').toString('latin1'), Buffer.from('键-3', 'utf8').toString('latin1')]) {
      const res = await rawPost(server, '/centres/kc-tm/funding/operating-grants', { authorization: token, 'content-type': 'application/json', 'idempotency-key': key }, JSON.stringify(grant({ amount: '3.03' })));
      expect([res.status, res.body?.code]).toEqual([400, 'IDEMPOTENCY_KEY_INVALID']);
    }
    expect(await head()).toBe(before);
  });

  it('the Idempotency-Key header sent twice (same or different values) is refused 400, never recorded under one of them', async () => {
    const server = t.app.getHttpServer() as Server;
    const before = await head();
    for (const keys of [['twice-a', 'twice-a'], ['twice-b', 'twice-c']]) {
      const res = await rawPost(server, '/centres/kc-tm/funding/operating-grants', { authorization: kari.Authorization, 'content-type': 'application/json', 'idempotency-key': keys }, JSON.stringify(grant({ amount: '4.04' })));
      expect([keys.join('+'), res.status, res.body?.code]).toEqual([keys.join('+'), 400, 'IDEMPOTENCY_KEY_INVALID']);
    }
    expect(await head()).toBe(before);
    for (const k of ['twice-a', 'twice-b', 'twice-c']) expect(await keyed(k)).toEqual([]);
  });

  it('a write with a query parameter no write route takes (?dryRun=true, ?validateOnly=1) is refused 400, nothing recorded', async () => {
    const results: string[] = [];
    for (const q of ['dryRun=true', 'validateOnly=1']) {
      const before = await head();
      const res = await post(`/centres/kc-tm/funding/operating-grants?${q}`, kari, fresh('dry-query'), grant({ amount: '6.66' }));
      results.push(`${q}: ${res.status} ${res.body.code} +${(await head()) - before}`);
    }
    expect(results).toEqual(['dryRun=true: 400 REQUEST.UNKNOWN_QUERY +0', 'validateOnly=1: 400 REQUEST.UNKNOWN_QUERY +0']);
  });

  // ------------------------------------------------------------------ replays after the ledger moved on

  it('a replay after the entry was reversed and the centre closed still answers with the first result, recording nothing', async () => {
    await mustPost('/centres', kari, { centreId: 'kc-late', countyId: 'telemark', name: 'Karriere Bø', municipality: 'Bø', openedOn: '2010-01-01' });
    const key = fresh('moved-on');
    const body = grant({ fiscalYear: 2013, amount: '5000.00' });
    const first = await post('/centres/kc-late/funding/operating-grants', kari, key, body);
    expect(first.status).toBe(201);
    await mustPost(`/centres/kc-late/funding/entries/${first.body.entryId}/reversal`, kari, { reason: 'Feil senter' });
    const closed = await post('/centres/kc-late/close', kari, null, { closedOn: '2016-01-01', reason: 'Slått sammen' });
    expect(closed.status).toBeLessThan(300);
    const before = await head();
    const again = await post('/centres/kc-late/funding/operating-grants', kari, key, body);
    expect([again.status, again.text]).toEqual([201, first.text]);
    expect(await head()).toBe(before);
  });

  // ------------------------------------------------------------------ refused bodies: a clear 4xx, nothing recorded, the key not spent

  it('refused requests carrying a key: each its stable code in the one error shape, nothing recorded, and the key still free for the corrected request', async () => {
    const server = t.app.getHttpServer() as Server;
    const json = { 'content-type': 'application/json' };
    const good = (i: number) => JSON.stringify(grant({ amount: `${i}.99` }));
    const cases: [string, string, Record<string, string>, (i: number) => Buffer | string, number, string][] = [
      ['JSON as text/plain', kari.Authorization, { 'content-type': 'text/plain' }, good, 415, 'REQUEST.UNSUPPORTED_MEDIA_TYPE'],
      ['JSON as a form', kari.Authorization, { 'content-type': 'application/x-www-form-urlencoded' }, good, 415, 'REQUEST.UNSUPPORTED_MEDIA_TYPE'],
      ['JSON without a content type', kari.Authorization, {}, good, 415, 'REQUEST.UNSUPPORTED_MEDIA_TYPE'],
      ['JSON as application/vnd.api+json', kari.Authorization, { 'content-type': 'application/vnd.api+json' }, good, 415, 'REQUEST.UNSUPPORTED_MEDIA_TYPE'],
      ['body over the limit', kari.Authorization, json, () => JSON.stringify({ ...grant(), note: 'x'.repeat(70_000) }), 413, 'REQUEST.TOO_LARGE'],
      ['nested 40 deep', kari.Authorization, json, () => `{"note":${'['.repeat(40)}${']'.repeat(40)}}`, 400, 'REQUEST.TOO_DEEP'],
      ['broken JSON', kari.Authorization, json, (i) => good(i).slice(0, -1), 400, 'REQUEST.INVALID_JSON'],
      ['a JSON array', kari.Authorization, json, (i) => `[${good(i)}]`, 400, 'REQUEST.BODY_NOT_OBJECT'],
      ['__proto__ in the body', kari.Authorization, json, (i) => `{"__proto__":{"x":1},${good(i).slice(1)}`, 400, 'REQUEST.INVALID'],
      ['unknown field', kari.Authorization, json, () => JSON.stringify({ ...grant(), approvedBy: 'kari' }), 400, 'VALIDATION.UNKNOWN_FIELD'],
      ['amount as a number', kari.Authorization, json, () => JSON.stringify({ ...grant(), amount: 1000 }), 400, 'MONEY.NOT_A_DECIMAL_STRING'],
      ['a role that may not write', auditor.Authorization, json, good, 403, 'ACCESS.ROLE_NOT_ALLOWED'],
      ['another county\'s centre', ola.Authorization, json, good, 403, 'ACCESS.OTHER_COUNTY'],
    ];
    const wrong: string[] = [];
    for (const [i, [label, authorization, headers, body, status, code]] of cases.entries()) {
      const key = fresh('refused-body');
      const before = await head();
      const res = await rawPost(server, '/centres/kc-tm/funding/operating-grants', { authorization, 'idempotency-key': key, ...headers }, body(i + 1));
      const clear = typeof res.body?.message === 'string' && res.body.message.length > 15 && !/Error:|at \w+ \(|FST_/.test(res.body.message);
      const after = await head();
      // the same key with the corrected request (the officer's own token, JSON) is recorded once
      const fixed = await rawPost(server, '/centres/kc-tm/funding/operating-grants', { authorization: kari.Authorization, 'idempotency-key': key, ...json }, good(i + 1));
      const line = `${label}: ${res.status} ${res.body?.code} shape=${Object.keys(res.body ?? {}).sort().join(',')} clear=${clear} recorded=${after - before} fixed=${fixed.status} +${(await head()) - before}`;
      if (line !== `${label}: ${status} ${code} shape=${ERROR_KEYS.join(',')} clear=true recorded=0 fixed=201 +1`) wrong.push(line);
    }
    expect(wrong).toEqual([]);
  });

  it('the media type is read as RFC 9110 says: case-insensitive, with parameters; application/json alone is accepted', async () => {
    const server = t.app.getHttpServer() as Server;
    const results: string[] = [];
    for (const [i, ct] of ['application/json; charset=utf-8', 'application/json;charset=UTF-8', 'Application/JSON', 'APPLICATION/JSON; CHARSET=UTF-8', 'application/json-patch+json', 'text/json'].entries()) {
      const before = await head();
      const res = await rawPost(server, '/centres/kc-tm/funding/operating-grants', { authorization: kari.Authorization, 'content-type': ct, 'idempotency-key': fresh('media') }, JSON.stringify(grant({ amount: `${i + 1}.11` })));
      results.push(`${ct} → ${res.status} ${res.body?.code ?? ''} +${(await head()) - before}`.trim());
    }
    expect(results).toEqual([
      'application/json; charset=utf-8 → 201  +1',
      'application/json;charset=UTF-8 → 201  +1',
      'Application/JSON → 201  +1',
      'APPLICATION/JSON; CHARSET=UTF-8 → 201  +1',
      'application/json-patch+json → 415 REQUEST.UNSUPPORTED_MEDIA_TYPE +0',
      'text/json → 415 REQUEST.UNSUPPORTED_MEDIA_TYPE +0',
    ]);
  });

  it('øre amounts: 1e3, "1e3", 0.1+0.2, "0.30000000000000004", -0, "-0", "-0.00", "12,50" are each a clear 400; "12.50" is recorded as exactly NOK 12.50', async () => {
    const server = t.app.getHttpServer() as Server;
    const raw = (amountJson: string) => `{"fiscalYear":2015,"partyId":"tm-fk","decidedOn":"2015-01-10","amount":${amountJson}}`;
    const cases: [string, string][] = [
      ['1e3', 'MONEY.NOT_A_DECIMAL_STRING'],
      ['"1e3"', 'MONEY.INVALID'],
      [String(0.1 + 0.2), 'MONEY.NOT_A_DECIMAL_STRING'],
      [JSON.stringify(String(0.1 + 0.2)), 'MONEY.FRACTIONAL_ORE'],
      ['-0', 'MONEY.NOT_A_DECIMAL_STRING'],
      ['"-0"', 'MONEY.NEGATIVE'],
      ['"-0.00"', 'MONEY.NEGATIVE'],
      ['"12,50"', 'MONEY.INVALID'],
      ['12.50', 'MONEY.NOT_A_DECIMAL_STRING'],
    ];
    const before = await head();
    for (const [amount, code] of cases) {
      const res = await rawPost(server, '/centres/kc-tm2/funding/operating-grants', { authorization: kari.Authorization, 'content-type': 'application/json', 'idempotency-key': fresh('ore') }, raw(amount));
      expect([amount, res.status, res.body?.code]).toEqual([amount, 400, code]);
      expect(res.body.message).toMatch(/amount/);
    }
    expect(await head()).toBe(before);
    const ok = await rawPost(server, '/centres/kc-tm2/funding/operating-grants', { authorization: kari.Authorization, 'content-type': 'application/json', 'idempotency-key': fresh('ore') }, raw('"12.50"'));
    expect(ok.status).toBe(201);
    const mix = await t.http().get('/centres/kc-tm2/funding-mix/2015').set(auditor).set('X-Ledger-Position', String(ok.body.position));
    expect(mix.status).toBe(200);
    expect(JSON.stringify(mix.body)).toContain('"12.50"');
  });

  it('a body naming a field twice is refused 400 (which amount was meant?), nothing recorded', async () => {
    const server = t.app.getHttpServer() as Server;
    const before = await head();
    const body = '{"fiscalYear":2014,"partyId":"tm-fk","decidedOn":"2014-01-10","amount":"5.00","amount":"5000000.00"}';
    const res = await rawPost(server, '/centres/kc-tm/funding/operating-grants', { authorization: kari.Authorization, 'content-type': 'application/json', 'idempotency-key': fresh('dup-names') }, body);
    expect([res.status, Object.keys(res.body ?? {}).sort()]).toEqual([400, ERROR_KEYS]);
    expect([res.body.code, res.body.details]).toEqual(['REQUEST.DUPLICATE_FIELD', { field: 'amount' }]);
    expect(await head()).toBe(before);
  });

  it('a body that is not UTF-8 (declared ISO-8859-1, or invalid UTF-8 bytes) is refused 4xx, never recorded with U+FFFD in a name', async () => {
    const server = t.app.getHttpServer() as Server;
    const before = await head();
    const json = (id: string) => `{"centreId":"${id}","countyId":"telemark","name":"Karrieresenteret Bø","municipality":"Bø","openedOn":"2014-03-01"}`;
    const latin1 = await rawPost(server, '/centres', { authorization: kari.Authorization, 'content-type': 'application/json; charset=iso-8859-1', 'idempotency-key': fresh('latin1') }, Buffer.from(json('kc-latin1'), 'latin1'));
    const invalid = await rawPost(server, '/centres', { authorization: kari.Authorization, 'content-type': 'application/json', 'idempotency-key': fresh('bad-utf8') }, Buffer.from(json('kc-badutf8'), 'latin1'));
    const recorded = (await t.store.readAll({ after: before })).map((e) => (e.data as { name?: string }).name);
    expect({ latin1: latin1.status, invalid: invalid.status, recorded }).toEqual({ latin1: expect.any(Number), invalid: expect.any(Number), recorded: [] });
    expect([latin1.status, latin1.body?.code]).toEqual([415, 'REQUEST.UNSUPPORTED_MEDIA_TYPE']);
    expect([invalid.status, invalid.body?.code]).toEqual([400, 'REQUEST.NOT_UTF8']);
  });

  it('text with NUL or other control characters is refused 400 VALIDATION.NOT_PLAIN_TEXT in every free-text field, nothing recorded', async () => {
    const before = await head();
    const entry = await mustPost('/centres/kc-tm/funding/operating-grants', kari, grant({ amount: '31.00' }), fresh('nul-base'));
    const mid = await head();
    const nul = 'Leder\u0000 \u0007';
    const cases: [string, string, () => Promise<Auth>, object][] = [
      ['staff title', '/centres/kc-tm/staff-positions', async () => kari, { positionId: 'nul-pos', title: nul, employerKind: 'centre', fte: '1', startedOn: '2013-01-01' }],
      ['reversal reason', `/centres/kc-tm/funding/entries/${entry.entryId}/reversal`, async () => kari, { reason: nul }],
      ['money note', '/centres/kc-tm/funding/operating-grants', async () => kari, grant({ note: nul })],
      ['money reference', '/centres/kc-tm/funding/operating-grants', async () => kari, grant({ reference: nul })],
      ['earmarked purpose', '/centres/kc-tm/funding/earmarked-funds', async () => kari, grant({ purpose: nul, period: { from: '2014-01-01', to: null } })],
      ['proposal title', '/boards/tm-board/proposals', () => member('anne'), { proposalId: 'nul-prop', kind: 'action-plan', year: 2015, title: nul, content: { goals: ['Mål'] }, tabledOn: '2015-02-01' }],
      ['board member name', '/boards/tm-board/members', async () => kari, { personId: 'nul-person', name: nul, partyId: 'tm-fk', role: 'member', term: { from: '2014-01-01' } }],
    ];
    const wrong: string[] = [];
    for (const [label, path, who, body] of cases) {
      const res = await post(path, await who(), fresh('nul'), body);
      if (res.status !== 400 || res.body.code !== 'VALIDATION.NOT_PLAIN_TEXT') wrong.push(`${label}: ${res.status} ${res.body.code ?? ''}`);
    }
    expect({ wrong, recorded: (await head()) - mid }).toEqual({ wrong: [], recorded: 0 });
    expect(mid - before).toBe(1);
  });
});

// ------------------------------------------------------------------ SQLite: restarts and two servers on one file

describe('idempotency across restarts and servers on one SQLite file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'idem-review-'));
  const path = join(dir, 'ledger.sqlite');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const grant = (over: Record<string, unknown> = {}) => ({ fiscalYear: 2014, partyId: 'tm-fk', decidedOn: '2014-01-10', amount: '1000.00', ...over });

  it('a replay after a restart on the same file repeats the first answer byte for byte; another body is still 409; concurrent retries after the restart record nothing', async () => {
    let t = await startTestApp({ store: new SqliteEventStore({ path }), seed: true });
    let kari = await t.auth('finance-officer', ['telemark'], 'kari');
    expect((await t.http().post('/centres').set(kari).send({ centreId: 'kc-tm', countyId: 'telemark', name: 'Karriere Telemark', municipality: 'Skien', openedOn: '2010-01-01' })).status).toBe(201);
    expect((await t.http().post('/parties').set(kari).send({ partyId: 'tm-fk', name: 'Telemark fylkeskommune', kind: 'county-authority', countyId: 'telemark' })).status).toBe(201);
    const first = await t.http().post('/centres/kc-tm/funding/operating-grants').set(kari).set('Idempotency-Key', 'restart-1').send(grant());
    const firstCentre = await t.http().post('/centres').set(kari).set('Idempotency-Key', 'restart-centre').send({ centreId: 'kc-2', countyId: 'telemark', name: 'Karriere Notodden', municipality: 'Notodden', openedOn: '2010-01-01' });
    expect([first.status, firstCentre.status]).toEqual([201, 201]);
    await t.close();

    t = await startTestApp({ store: new SqliteEventStore({ path }) });
    try {
      kari = await t.auth('finance-officer', ['telemark'], 'kari');
      const before = await t.store.headPosition();
      const again = await t.http().post('/centres/kc-tm/funding/operating-grants').set(kari).set('Idempotency-Key', 'restart-1').send(grant());
      expect([again.status, again.text, protocolHeaders(again.headers)]).toEqual([201, first.text, protocolHeaders(first.headers)]);
      const againCentre = await t.http().post('/centres').set(kari).set('Idempotency-Key', 'restart-centre').send({ centreId: 'kc-2', countyId: 'telemark', name: 'Karriere Notodden', municipality: 'Notodden', openedOn: '2010-01-01' });
      expect([againCentre.status, againCentre.text]).toEqual([201, firstCentre.text]);
      const other = await t.http().post('/centres/kc-tm/funding/operating-grants').set(kari).set('Idempotency-Key', 'restart-1').send(grant({ amount: '999.00' }));
      expect([other.status, other.body.code]).toEqual([409, 'IDEMPOTENCY_KEY_REUSED']);
      const burst = await Promise.all(Array.from({ length: 20 }, () => t.http().post('/centres/kc-tm/funding/operating-grants').set(kari).set('Idempotency-Key', 'restart-1').send(grant())));
      expect(burst.map((a) => a.status)).toEqual(burst.map(() => 201));
      expect(new Set(burst.map((a) => a.text))).toEqual(new Set([first.text]));
      expect(await t.store.headPosition()).toBe(before);
    } finally {
      await t.close();
    }
  });

  it('two servers on one file, the same key sent to both at once (15 rounds of 4 + 4): one event per round, identical answers', async () => {
    const a = await startTestApp({ store: new SqliteEventStore({ path }) });
    const b = await startTestApp({ store: new SqliteEventStore({ path }) });
    try {
      const ka = await a.auth('finance-officer', ['telemark'], 'kari');
      const kb = await b.auth('finance-officer', ['telemark'], 'kari');
      for (let round = 0; round < 15; round++) {
        const key = `two-servers-${round}`;
        const before = await a.store.headPosition();
        const body = grant({ amount: `${round + 1}.00` });
        const answers = await Promise.all([
          ...Array.from({ length: 4 }, () => a.http().post('/centres/kc-tm/funding/operating-grants').set(ka).set('Idempotency-Key', key).send(body)),
          ...Array.from({ length: 4 }, () => b.http().post('/centres/kc-tm/funding/operating-grants').set(kb).set('Idempotency-Key', key).send(body)),
        ]);
        expect([round, answers.map((x) => x.status)]).toEqual([round, answers.map(() => 201)]);
        expect([round, new Set(answers.map((x) => x.text)).size]).toEqual([round, 1]);
        const recorded = (await a.store.readAll({ after: before })).filter((e) => e.metadata.idempotencyKey === key);
        expect([round, recorded.length]).toEqual([round, 1]);
      }
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('ledger import\'s dry run with keys: a key already answered over HTTP for the same request applies nothing, for another request is IDEMPOTENCY_KEY_REUSED, and a dry run claims no key', async () => {
    const t = await startTestApp({ store: new SqliteEventStore({ path }) });
    try {
      const kari = await t.auth('finance-officer', ['telemark'], 'kari');
      const http = await t.http().post('/centres/kc-tm/funding/operating-grants').set(kari).set('Idempotency-Key', 'dry-1').send(grant({ entryId: 'dry-entry-1', amount: '70.00' }));
      expect(http.status).toBe(201);
      const registry = t.app.get(CommandRegistry);
      const actor: Actor = { id: 'kari', name: 'Test kari', roles: ['finance-officer'], counties: ['telemark'] } as Actor;
      const line = (key: string, payload: object) => JSON.stringify({ command: 'RecordOperatingGrant', payload: { ...payload, centreId: 'kc-tm' }, idempotencyKey: key });
      const file = [
        line('dry-1', grant({ entryId: 'dry-entry-1', amount: '70.00' })),
        line('dry-1', grant({ entryId: 'dry-entry-2', amount: '71.00' })),
        line('dry-new', grant({ entryId: 'dry-entry-3', amount: '72.00' })),
      ].join('\n');
      const parsed = await parseImportFile(file, registry);
      expect(parsed.problems).toEqual([]);
      const before = await t.store.headPosition();
      const problems = await dryRunImport(t.store, registry, parsed.lines, actor);
      expect(problems.map((p) => [p.line, p.code])).toEqual([[2, 'IDEMPOTENCY_KEY_REUSED']]);
      expect(await t.store.headPosition()).toBe(before);
      // the dry run's "dry-new" was never claimed: another request may take it
      const later = await t.http().post('/centres/kc-tm/funding/operating-grants').set(kari).set('Idempotency-Key', 'dry-new').send(grant({ amount: '73.00' }));
      expect(later.status).toBe(201);
    } finally {
      await t.close();
    }
  });
});
