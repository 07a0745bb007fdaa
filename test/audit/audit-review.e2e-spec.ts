import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportCommand } from '../../apps/cli/src/commands/export';
import { verifyCommand } from '../../apps/cli/src/commands/verify';
import { RecordedEvent } from '../../libs/domain/src/shared';
import { MemoryEventStore } from '../../libs/event-store/src/memory-event-store';
import { SqliteEventStore } from '../../libs/event-store/src/sqlite-event-store';
import { cliHarness } from '../helpers/cli-harness';
import { ledgerChild } from '../helpers/ledger-child';
import { fakeDateOnly } from '../helpers/fake-date';
import { seedCounties, startTestApp, TestApp } from '../helpers/test-app';
import { steppingClock } from './fixtures';

/**
 * Adversarial review of the auditor's features: as-of and atPosition answers against a ledger
 * rebuilt from the log cut at that point, instants (zones, DST, one millisecond), the cuts each
 * route must honour or refuse, tamper detection over HTTP and with the CLI on a real SQLite file,
 * digests across restarts, and paging the log while others append.
 */

type Auth = { Authorization: string };

const mustPost = async (t: TestApp, auth: Auth, url: string, body: object): Promise<any> => {
  const res = await t.http().post(url).set(auth).send(body);
  if (res.status !== 200 && res.status !== 201) throw new Error(`POST ${url} answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
};

/** A copy of `events` in a new memory store: each appended alone, in order, at its own recorded time (so the same ids, positions and hashes). */
const storeOf = async (events: readonly RecordedEvent[]): Promise<MemoryEventStore> => {
  let now = new Date(0);
  const copy = new MemoryEventStore(() => now);
  for (const e of events) {
    now = new Date(e.recordedAt);
    await copy.append(e.streamId, [{ eventId: e.eventId, type: e.type, data: e.data, schemaVersion: e.schemaVersion, metadata: e.metadata }], 'any');
  }
  return copy;
};

const withQuery = (path: string, q: string): string => `${path}${path.includes('?') ? '&' : '?'}${q}`;

/** A small but complete ledger through HTTP: directory, parties, governance, money and corrections, staff, grant evidence, scheme, allocation. */
const recordRichLedger = async (t: TestApp): Promise<void> => {
  await seedCounties(t);
  const fo = await t.auth('finance-officer', ['telemark'], 'fo-telemark');
  const foVa = await t.auth('finance-officer', ['vest-agder'], 'fo-va');
  const vox = await t.auth('vox', [], 'vox-1');
  const member = (p: string) => t.auth('board-member', [], p);
  await mustPost(t, fo, '/parties', { partyId: 'telemark-fk', name: 'Telemark fylkeskommune', kind: 'county-authority', countyId: 'telemark' });
  await mustPost(t, fo, '/parties', { partyId: 'nav-telemark', name: 'NAV Telemark', kind: 'nav-county-office', countyId: 'telemark' });
  await mustPost(t, fo, '/centres', { centreId: 'kc-tm', countyId: 'telemark', name: 'Karrieresenter Telemark', municipality: 'Skien', openedOn: '2009-01-01' });
  await mustPost(t, vox, '/grant-schemes', { year: 2014, baseGrant: '4200000.02', criteriaSetId: 'criteria-2014', judgingDate: '2014-03-01', note: 'Grunntilskudd 2014' });
  await mustPost(t, fo, '/counties/telemark/partnership-agreements', { partnershipId: 'tm-p', parties: ['telemark-fk', 'nav-telemark'], signedOn: '2013-09-01', period: { from: '2013-09-01', to: null } });
  await mustPost(t, fo, '/counties/telemark/coordinating-function', { holderPartyId: 'telemark-fk', description: 'Koordinerer', from: '2013-01-01' });
  const base = '/centres/kc-tm/grant-evidence';
  await mustPost(t, fo, `${base}/service-declarations`, { effectiveFrom: '2013-01-01', freeOfCharge: true, openToAllAdults: true, fromAge: 19 });
  const groups = ['primary-lower-secondary-counsellors', 'upper-secondary-counsellors', 'nav-staff'];
  for (const [i, g] of groups.entries()) await mustPost(t, fo, `${base}/competence-development`, { deliveredOn: `2013-0${i + 3}-15`, kind: 'course', targetGroups: [g], participants: 10 + i, description: `Kurs ${g}` });
  await mustPost(t, fo, `${base}/user-survey-participations`, { period: { from: '2013-01-01', to: '2013-12-31' } });
  await mustPost(t, fo, `${base}/annual-reports`, { year: 2013, submittedOn: '2014-02-20' });
  const grant = { fiscalYear: 2013, partyId: 'telemark-fk', decidedOn: '2012-12-12', reference: 'FT-sak 88/12' };
  await mustPost(t, fo, '/centres/kc-tm/funding/operating-grants', { ...grant, entryId: 'tm-drift-fk', amount: '2363000.00' });
  await mustPost(t, fo, '/centres/kc-tm/funding/operating-grants', { ...grant, entryId: 'tm-drift-nav', partyId: 'nav-telemark', amount: '1325000.00' });
  await mustPost(t, fo, '/centres/kc-tm/funding/earmarked-funds', { ...grant, entryId: 'tm-ear', amount: '731000.00', purpose: 'Prosjekt', period: { from: '2013-01-01', to: '2013-12-31' } });
  await mustPost(t, fo, '/centres/kc-tm/staff-positions', { positionId: 'tm-p1', title: 'Veileder', employerKind: 'county-authority', employerPartyId: 'telemark-fk', fte: '1', payer: { kind: 'centre' }, startedOn: '2013-01-01' });
  await mustPost(t, fo, '/centres/kc-tm/owner-agreements', { agreementId: 'oa-1', parties: [{ partyId: 'telemark-fk', shareBp: 5000 }, { partyId: 'nav-telemark', shareBp: 5000 }], period: { from: '2009-01-01' }, signedOn: '2009-01-01' });
  await mustPost(t, fo, '/boards', { boardId: 'tm-board', countyId: 'telemark', centreIds: ['kc-tm'], name: 'Styret', establishedOn: '2012-01-01' });
  await mustPost(t, fo, '/boards/tm-board/members', { personId: 'anne', name: 'Anne', partyId: 'telemark-fk', role: 'chair', term: { from: '2012-01-01' } });
  await mustPost(t, fo, '/boards/tm-board/members', { personId: 'nils', name: 'Nils', partyId: 'nav-telemark', role: 'member', term: { from: '2012-01-01' } });
  await mustPost(t, await member('anne'), '/boards/tm-board/proposals', { proposalId: 'b-2013', kind: 'budget', year: 2013, title: 'Budsjett 2013', content: { lines: [{ partyId: 'telemark-fk', moneyKind: 'operating-grant', amount: '2300000.00' }] }, tabledOn: '2013-01-10' });
  await mustPost(t, await member('anne'), '/boards/tm-board/proposals/b-2013/votes', { vote: 'for', castOn: '2013-01-15' });
  await mustPost(t, await member('nils'), '/boards/tm-board/proposals/b-2013/votes', { vote: 'for', castOn: '2013-01-15' });
  await mustPost(t, await member('anne'), '/boards/tm-board/proposals/b-2013/close', { closedOn: '2013-01-15', outcome: 'adopted' });
  await mustPost(t, fo, '/centres/kc-tm/co-locations', { from: '2013-01-01', premises: 'NAV-huset', sharedWith: [{ kind: 'nav-county-office', partyId: 'nav-telemark' }] });
  await mustPost(t, foVa, '/centres', { centreId: 'kc-va', countyId: 'vest-agder', name: 'Karrieresenter Kristiansand', municipality: 'Kristiansand', openedOn: '2010-01-01' });
  await mustPost(t, foVa, '/counties/vest-agder/county-line-decisions', { decisionId: 'cl-1', centreIds: ['kc-va'], kind: 'goals', year: 2013, title: 'Mål', content: { goals: ['g'] }, decidedOn: '2013-01-20' });
  await mustPost(t, vox, '/grant-schemes/2014/allocation', { note: 'Grunntilskudd 2014' });
  await mustPost(t, fo, '/centres/kc-tm/funding/entries/tm-drift-fk/correction', { reason: 'Feil beløp', amount: '2400000.00' });
  await mustPost(t, fo, '/centres/kc-tm/funding/entries/tm-ear/reversal', { reason: 'Feilført' });
  await mustPost(t, fo, '/centres/kc-tm/rename', { name: 'Karriere Telemark', effectiveFrom: '2014-03-01' });
  await mustPost(t, fo, '/stimulus-grants', { applicationId: 'st-1', countyId: 'telemark', year: 2014, purpose: 'development', centreId: 'kc-tm', amountAsked: '100000.00', description: 'Utvikling', appliedOn: '2014-02-01' });
  await mustPost(t, fo, '/centres/kc-tm/staff-positions/tm-p1/changes', { effectiveFrom: '2013-07-01', fte: '0.5' });
  await mustPost(t, fo, '/centres/kc-tm/close', { closedOn: '2015-01-01', reason: 'Nedlagt' });
};

/** Every read route README says takes asOf, over the rich ledger (business dates fixed; "today", the directory's name in force, is the day of the asOf instant). */
const AS_OF_ROUTES = [
  '/counties', '/counties/telemark', '/centres', '/centres/kc-tm', '/parties', '/parties/telemark-fk',
  '/boards', '/boards/tm-board', '/boards/tm-board/proposals/b-2013',
  '/centres/kc-tm/governance?date=2013-06-01', '/centres/kc-tm/nav-link?date=2013-06-01', '/nav-links?date=2013-06-01',
  '/centres/kc-tm/owner-agreements?date=2013-06-01', '/centres/kc-tm/owner-agreements/oa-1?date=2013-06-01', '/owner-agreements/oa-1?date=2013-06-01',
  '/counties/telemark/partnership?date=2014-03-01', '/partnerships?date=2014-03-01',
  '/counties/vest-agder/county-line-decisions', '/centres/kc-tm/co-locations', '/centres/kc-tm/staff-positions?year=2013',
  '/centres/kc-tm/funding-mix/2013', '/counties/telemark/funding-mix/2013', '/funding-mix/2013', '/key-figures/2013', '/key-figures/2013?format=csv',
  '/owner-agreements/cost-share-compliance/2013', '/centres/kc-tm/owner-agreements/oa-1/cost-share-compliance/2013',
  '/grant-schemes', '/grant-schemes/2014', '/grant-schemes/2014/allocation', '/centres/kc-tm/grant-evidence', '/stimulus-grants', '/stimulus-grants/st-1',
  '/reports/key-figures/2013/csv', '/reports/funding-mix/2013/csv?county=telemark',
  '/audit/streams/centre-kc-tm', '/audit/streams/funding-entry-tm-drift-fk',
];
const ELIGIBILITY_ROUTES = ['/grant-schemes/2014/eligibility', '/grant-schemes/2014/eligibility?detail=summary', '/grant-schemes/2014/eligibility/telemark', '/counties/telemark/eligibility/2014'];

describe('as-of and atPosition answers equal a fresh ledger holding only the log up to that point', () => {
  let t: TestApp;
  let log: RecordedEvent[];
  const clock = steppingClock('2014-01-01T08:00:00.000Z', 1000);

  beforeAll(async () => {
    t = await startTestApp({ store: new MemoryEventStore(() => (clock.tick(), clock.clock())) });
    await recordRichLedger(t);
    log = await t.store.readAll({ maxCount: 10_000 });
  });
  afterAll(() => t.close());

  it('at every cut of the log (before the first event too): every asOf route, the eligibility routes by asOf and atPosition, the digest and position-at', async () => {
    const auditor = await t.auth('auditor', [], 'revisor');
    const diffs: string[] = [];
    expect(log.length).toBeGreaterThan(50);
    // Every cut from the first registration on (the 19 county registrations before it are alike: cut after the first and the last).
    const cuts = [0, 1, ...Array.from({ length: log.length - 18 }, (_, i) => i + 19)];
    for (const n of cuts) {
      // An instant names every event recorded in its millisecond: cut by time only between appends (a correction is two events in one append).
      const instantCut = n === 0 || n === log.length || log[n].recordedAt !== log[n - 1].recordedAt;
      const instant = n === 0 ? '2013-12-31T23:59:59.999Z' : log[n - 1].recordedAt;
      const asOf = encodeURIComponent(instant);
      const ref = await startTestApp({ store: await storeOf(log.slice(0, n)) });
      // The fresh ledger is asked at that instant (its clock then): as of a past moment, "today" (the directory's
      // names in force, upcomingRename) is that moment's day in Norway, as the ledger answered then.
      const then = async <T>(f: () => Promise<T>): Promise<T> => {
        fakeDateOnly(Date.parse(instant));
        try {
          return await f();
        } finally {
          jest.useRealTimers();
        }
      };
      const refAuditor = await then(() => ref.auth('auditor', [], 'revisor'));
      try {
        const compare = async (path: string, q: string) => {
          const a = await t.http().get(withQuery(path, q)).set(auditor);
          const b = await then(async () => ref.http().get(path).set(refAuditor));
          if (a.status !== b.status || a.text !== b.text) diffs.push(`n=${n} ${withQuery(path, q)}: ${a.status} ${a.text.slice(0, 160)} | fresh: ${b.status} ${b.text.slice(0, 160)}`);
        };
        for (const path of ELIGIBILITY_ROUTES) await compare(path, `atPosition=${n}`);
        if (instantCut) {
          for (const path of [...AS_OF_ROUTES, ...ELIGIBILITY_ROUTES]) await compare(path, `asOf=${asOf}`);
          const at = await t.http().get(`/audit/position-at?asOf=${asOf}`).set(auditor);
          if (at.body.position !== n) diffs.push(`n=${n} position-at answered ${at.body.position}`);
        }
        const d = await t.http().get(`/audit/digest?position=${n}`).set(auditor);
        const fresh = await then(async () => ref.http().get('/audit/digest').set(refAuditor));
        if (d.body.digest !== fresh.body.digest) diffs.push(`n=${n} digest ${d.body.digest} | fresh ${fresh.body.digest}`);
      } finally {
        await ref.close();
      }
    }
    expect(diffs).toEqual([]);
  });
});

describe('asOf instants: zones, DST days, the Norwegian day, one millisecond', () => {
  let t: TestApp;
  let now = 0;
  let auditor: Auth;
  const at: Record<string, number> = {};
  // County registrations at instants around Oslo midnights (summer time ends 26 Oct 2014, starts 30 Mar 2014).
  const INSTANTS: [string, string][] = [
    ['a', '2014-03-30T21:59:59.999Z'], // 23:59:59.999 CEST, 30 March
    ['b', '2014-03-30T22:00:00.000Z'], // 00:00 CEST, 31 March
    ['c', '2014-06-01T21:59:59.999Z'], // last ms of 1 June in Norway
    ['d', '2014-06-01T22:00:00.000Z'], // first ms of 2 June in Norway
    ['e', '2014-06-02T21:59:59.999Z'], // last ms of 2 June in Norway
    ['f', '2014-06-02T22:00:00.000Z'], // first ms of 3 June in Norway
    ['g', '2014-10-26T22:59:59.999Z'], // 23:59:59.999 CET, 26 October (a 25-hour day)
    ['h', '2014-10-26T23:00:00.000Z'], // 00:00 CET, 27 October
  ];

  beforeAll(async () => {
    t = await startTestApp({ store: new MemoryEventStore(() => new Date(now)) });
    auditor = await t.auth('auditor', [], 'revisor');
    const admin = await t.auth('admin');
    for (const [i, [id, instant]] of INSTANTS.entries()) {
      now = Date.parse(instant);
      const res = await mustPost(t, admin, '/counties', { countyId: id, name: `Fylke ${id}`, countyNumber: String(30 + i) });
      at[id] = res.position;
    }
    // Two writes in one millisecond, then one later.
    now = Date.parse('2014-11-01T10:00:00.000Z');
    at.i = (await mustPost(t, admin, '/counties', { countyId: 'i', name: 'Fylke i', countyNumber: '50' })).position;
    at.j = (await mustPost(t, admin, '/counties', { countyId: 'j', name: 'Fylke j', countyNumber: '51' })).position;
    now = Date.parse('2014-11-01T10:00:00.001Z');
    at.k = (await mustPost(t, admin, '/counties', { countyId: 'k', name: 'Fylke k', countyNumber: '52' })).position;
  });
  afterAll(() => t.close());

  const ids = async (url: string): Promise<string[]> => {
    const res = await t.http().get(url).set(auditor);
    expect([url, res.status]).toEqual([url, 200]);
    return res.body.map((c: any) => c.countyId).sort();
  };
  const logIds = async (url: string): Promise<string[]> => {
    const res = await t.http().get(url).set(auditor);
    expect([url, res.status]).toEqual([url, 200]);
    return res.body.events.map((e: any) => e.data.countyId);
  };

  it('a bare asOf date is the end of that day in Norway, on both DST days and in summer', async () => {
    expect(await ids('/counties?asOf=2014-03-30')).toEqual(['a']);
    expect(await ids('/counties?asOf=2014-06-01')).toEqual(['a', 'b', 'c']);
    expect(await ids('/counties?asOf=2014-06-02')).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(await ids('/counties?asOf=2014-10-26')).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g']);
    expect(await ids('/counties?asOf=2014-03-29')).toEqual([]);
    const pos = await t.http().get('/audit/position-at?asOf=2014-10-26').set(auditor);
    expect(pos.body).toMatchObject({ asOf: '2014-10-26T22:59:59.999Z', position: at.g });
  });

  it('an instant with an offset names the same moment as in UTC (+01:00, +0200, -00:00, fractions beyond the millisecond)', async () => {
    expect(await ids(`/counties?asOf=${encodeURIComponent('2014-10-26T23:59:59.999+01:00')}`)).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g']);
    expect(await ids(`/counties?asOf=${encodeURIComponent('2014-10-27T00:00:00+01:00')}`)).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']);
    expect(await ids(`/counties?asOf=${encodeURIComponent('2014-06-02T00:00:00+0200')}`)).toEqual(['a', 'b', 'c', 'd']);
    expect(await ids(`/counties?asOf=${encodeURIComponent('2014-06-01T21:59:59.999-00:00')}`)).toEqual(['a', 'b', 'c']);
    // 21:59:59.9999 is still before 22:00:00.000: d is not in it.
    expect(await ids(`/counties?asOf=${encodeURIComponent('2014-06-01T21:59:59.9999Z')}`)).toEqual(['a', 'b', 'c']);
  });

  it('/audit/events?from=D&to=D lists exactly the events recorded on the Norwegian day D', async () => {
    // With explicit Oslo offsets the range is right:
    expect(await logIds(`/audit/events?from=${encodeURIComponent('2014-06-02T00:00:00+02:00')}&to=${encodeURIComponent('2014-06-02T23:59:59.999+02:00')}`)).toEqual(['d', 'e']);
    // Guards: a bare `from` date starts at 00:00 in Norway, as a bare `to` ends at the end of that Norwegian
    // day (it was midnight UTC, which lost d, recorded 00:00 in Oslo on 2 June).
    expect(await logIds('/audit/events?from=2014-06-02&to=2014-06-02')).toEqual(['d', 'e']);
    expect(await logIds('/audit/events?from=2014-06-02')).toEqual(['d', 'e', 'f', 'g', 'h', 'i', 'j', 'k']);
  });

  it('/audit/events?from=D&to=D on the DST days: the 23-hour and the 25-hour Norwegian day', async () => {
    // 30 March 2014 starts in winter time (23:00Z the day before) and ends in summer time (21:59:59.999Z).
    expect(await logIds('/audit/events?from=2014-03-30&to=2014-03-30')).toEqual(['a']);
    expect(await logIds('/audit/events?from=2014-03-31&to=2014-03-31')).toEqual(['b']);
    // 26 October 2014 starts in summer time (22:00Z the day before) and ends in winter time (22:59:59.999Z).
    expect(await logIds('/audit/events?from=2014-10-26&to=2014-10-26')).toEqual(['g']);
    expect(await logIds('/audit/events?from=2014-10-27&to=2014-10-27')).toEqual(['h']);
    expect(await logIds('/audit/events?from=2014-03-31&to=2014-10-26')).toEqual(['b', 'c', 'd', 'e', 'f', 'g']);
  });

  it('/audit/events?from= an instant between two milliseconds does not list the event of the earlier millisecond', async () => {
    // "Recorded at or after" 10:00:00.0005: the events recorded at 10:00:00.000 were recorded before it.
    // Guards: `from` finer than a millisecond is rounded up to the next one (it was truncated, listing i and j).
    expect(await logIds(`/audit/events?from=${encodeURIComponent('2014-11-01T10:00:00.0005Z')}`)).toEqual(['k']);
    expect(await logIds(`/audit/events?from=${encodeURIComponent('2014-11-01T10:00:00.000000001Z')}`)).toEqual(['k']);
    // Whole milliseconds, however written, stay as they are.
    expect(await logIds(`/audit/events?from=${encodeURIComponent('2014-11-01T10:00:00.0000Z')}`)).toEqual(['i', 'j', 'k']);
    expect(await logIds(`/audit/events?from=${encodeURIComponent('2014-11-01T10:00:00.0010Z')}`)).toEqual(['k']);
    // `to` keeps truncating: to=10:00:00.0005 includes what was recorded at 10:00:00.000.
    expect(await logIds(`/audit/events?from=2014-11-01&to=${encodeURIComponent('2014-11-01T10:00:00.0005Z')}`)).toEqual(['i', 'j']);
  });

  it('two writes in one millisecond: asOf names both, position-at names the later, the second is 404 as of the millisecond before', async () => {
    expect(at.j).toBe(at.i + 1);
    const instant = encodeURIComponent('2014-11-01T10:00:00.000Z');
    expect(await ids(`/counties?asOf=${instant}`)).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j']);
    expect((await t.http().get(`/audit/position-at?asOf=${instant}`).set(auditor)).body.position).toBe(at.j);
    const j = await t.http().get(`/audit/events?after=${at.i}&limit=1`).set(auditor);
    expect((await t.http().get(`/audit/events/${j.body.events[0].eventId}?asOf=${instant}`).set(auditor)).status).toBe(200);
    expect((await t.http().get(`/audit/events/${j.body.events[0].eventId}?asOf=${encodeURIComponent('2014-11-01T09:59:59.999Z')}`).set(auditor)).status).toBe(404);
    expect((await t.http().get(`/audit/streams/county-j?asOf=${encodeURIComponent('2014-11-01T09:59:59.999Z')}`).set(auditor)).status).toBe(404);
  });

  it('asOf before the first event: empty lists, 404 for single items, position 0', async () => {
    const before = encodeURIComponent('2014-01-01T00:00:00Z');
    expect(await ids(`/counties?asOf=${before}`)).toEqual([]);
    expect((await t.http().get(`/counties/a?asOf=${before}`).set(auditor)).status).toBe(404);
    expect((await t.http().get(`/audit/position-at?asOf=${before}`).set(auditor)).body).toMatchObject({ position: 0, lastEvent: null });
    expect((await t.http().get(`/audit/streams/county-a?asOf=${before}`).set(auditor)).status).toBe(404);
    expect((await t.http().get(`/key-figures/2013?asOf=${before}`).set(auditor)).body.counties).toEqual([]);
  });
});

describe('which routes honour which cut', () => {
  let t: TestApp;
  let auditor: Auth;
  let head: number;
  const clock = steppingClock('2014-01-01T08:00:00.000Z', 1000);

  beforeAll(async () => {
    t = await startTestApp({ store: new MemoryEventStore(() => (clock.tick(), clock.clock())) });
    auditor = await t.auth('auditor', [], 'revisor');
    await recordRichLedger(t);
    head = await t.store.headPosition();
  });
  afterAll(() => t.close());

  it('the eligibility routes take atPosition (0 to the head); beyond the head, malformed or with asOf is 400', async () => {
    for (const path of ELIGIBILITY_ROUTES) {
      expect((await t.http().get(withQuery(path, `atPosition=${head}`)).set(auditor)).status).toBe(200);
      expect((await t.http().get(withQuery(path, 'atPosition=0')).set(auditor)).body.code).toBe('GRANT_SCHEME.NOT_FOUND');
      for (const bad of [String(head + 1), '-1', '1.5', '1e3', '0x10', '']) {
        const res = await t.http().get(withQuery(path, `atPosition=${encodeURIComponent(bad)}`)).set(auditor);
        expect([path, bad, res.status, res.body.code]).toEqual([path, bad, 400, 'REQUEST.BAD_POSITION']);
      }
      const both = await t.http().get(withQuery(path, `atPosition=${head}&asOf=2014-01-02`)).set(auditor);
      expect([path, both.status, both.body.code]).toEqual([path, 400, 'REQUEST.AS_OF_WITH_AT_POSITION']);
    }
  });

  it('the log, the digest and verify name their cut another way: asOf there is refused, not ignored', async () => {
    for (const path of ['/audit/events', '/audit/digest', '/audit/verify']) {
      const res = await t.http().get(`${path}?asOf=2014-01-01`).set(auditor);
      expect([path, res.status, res.body.code]).toEqual([path, 400, 'REQUEST.AS_OF_NOT_SUPPORTED']);
    }
  });

  it('atPosition on a route that does not take it is refused, not silently answered at the head', async () => {
    // Guards: every read route but the eligibility routes refuses atPosition with 400
    // REQUEST.AT_POSITION_NOT_SUPPORTED (http/read-cuts.ts); they used to answer from the head with 200, so an
    // auditor reproducing a snapshot by position on, say, the key figures got today's figures without a word.
    const [first] = (await t.http().get('/audit/events?limit=1').set(auditor)).body.events;
    const answered: string[] = [];
    for (const path of [
      ...AS_OF_ROUTES,
      '/grant-criteria-sets',
      '/grant-evidence/streams/centre-kc-tm/revisions/0',
      '/reports/2013/xlsx',
      '/audit/events',
      `/audit/events/${first.eventId}`,
      '/audit/digest',
      '/audit/verify',
      '/audit/position-at?asOf=2014-01-02',
    ]) {
      for (const value of ['20', '0', '']) {
        const res = await t.http().get(withQuery(path, `atPosition=${value}`)).set(auditor);
        if (res.status !== 400 || res.body.code !== 'REQUEST.AT_POSITION_NOT_SUPPORTED') answered.push(`${withQuery(path, `atPosition=${value}`)} → ${res.status} ${res.body.code ?? ''}`);
      }
    }
    expect(answered).toEqual([]);
    const res = await t.http().get('/key-figures/2013?atPosition=20').set(auditor);
    expect(res.body.message).toContain('/grant-schemes/{year}/eligibility');
    expect(res.body.details.takenBy).toHaveLength(3);
    // Refused after the guard: a caller without a token is told that first.
    expect((await t.http().get('/key-figures/2013?atPosition=20')).body.code).toBe('AUTH.MISSING_TOKEN');
    // The eligibility routes still take it.
    for (const path of ELIGIBILITY_ROUTES) expect((await t.http().get(withQuery(path, `atPosition=${head}`)).set(auditor)).status).toBe(200);
  });

  it('a malformed X-Ledger-Position is 400 REQUEST.BAD_POSITION on the audit routes too', async () => {
    // README: "anything else (empty, 0x10, 1e3, -1, 1.5, the header twice) is 400 REQUEST.BAD_POSITION on every read route".
    // Guards: the audit routes parse the header (QueryGate.storeAt) as every read route does; they ignored it.
    const [first] = (await t.http().get('/audit/events?limit=1').set(auditor)).body.events;
    const answered: string[] = [];
    for (const path of ['/audit/events', '/audit/streams/centre-kc-tm', `/audit/events/${first.eventId}`, '/audit/digest', '/audit/verify', '/audit/position-at?asOf=2014-01-02']) {
      const res = await t.http().get(path).set(auditor).set('X-Ledger-Position', '0x10');
      if (res.status !== 400 || res.body.code !== 'REQUEST.BAD_POSITION') answered.push(`${path} → ${res.status} ${res.body.code ?? ''}`);
    }
    expect(answered).toEqual([]);
  });

  it('X-Ledger-Position beyond the head on the audit routes is waited for, as on every read route', async () => {
    const now = await t.store.headPosition();
    const read = t.http().get(`/audit/events?after=${now}`).set(auditor).set('X-Ledger-Position', String(now + 1));
    const answered = read.then((r) => r);
    await new Promise((r) => setTimeout(r, 200));
    await mustPost(t, await t.auth('admin'), '/counties', { countyId: 'waited', name: 'Fylke venta', countyNumber: '77' });
    const res = await answered;
    expect(res.status).toBe(200);
    expect(res.body.events.map((e: any) => e.data.countyId)).toEqual(['waited']);
    // Up to the head (and 0) are answered at once.
    for (const value of ['0', String(now + 1)]) expect((await t.http().get('/audit/digest').set(auditor).set('X-Ledger-Position', value)).status).toBe(200);
  });

  it('a malformed asOf on /audit/position-at is 400 REQUEST.BAD_AS_OF, as on every route that takes asOf', async () => {
    expect((await t.http().get('/audit/position-at?asOf=2014-02-30').set(auditor)).body.code).toBe('REQUEST.BAD_AS_OF');
    // Guards: PositionAtQuery leaves the check to parseAsOf (it was a class-validator @Matches: 400 VALIDATION.FAILED).
    for (const bad of ['tomorrow', '2014-05-09T10:00:00']) {
      const res = await t.http().get(`/audit/position-at?asOf=${encodeURIComponent(bad)}`).set(auditor);
      expect([bad, res.status, res.body.code]).toEqual([bad, 400, 'REQUEST.BAD_AS_OF']);
    }
  });

  it('an asOf (or from/to) in a year before 1970 is 400 REQUEST.BAD_AS_OF naming the year, not read as 1914 (a bare 0014-05-09 was) nor answered as an empty ledger', async () => {
    for (const url of ['/audit/position-at?asOf=0014-05-09', '/centres?asOf=0014-05-09', '/key-figures/2013?asOf=0099-12-31', '/centres?asOf=0014-05-09T10:00:00Z', '/audit/streams/centre-kc-tm?asOf=1969-12-31', '/audit/events?from=0014-05-09', '/audit/events?to=0001-01-01']) {
      const res = await t.http().get(url).set(auditor);
      expect([url, res.status, res.body.code, res.body.message]).toEqual([url, 400, 'REQUEST.BAD_AS_OF', expect.stringContaining('1970')]);
    }
    expect((await t.http().get('/audit/position-at?asOf=1970-01-01').set(auditor)).body.position).toBe(0);
  });
});

describe('SQLite ledger: tampering found by GET /audit/verify and ledger verify alike; digests; the history routes', () => {
  const { out, run, freshLedger } = cliHarness('audit-review-');
  let path: string;
  let t: TestApp;
  let auditor: Auth;
  let head: number;
  let digest: string;
  let original: any[];
  const clock = steppingClock('2014-01-01T08:00:00.000Z', 1000);
  const sqliteApp = () => startTestApp({ store: new SqliteEventStore({ path, clock: () => (clock.tick(), clock.clock()) }) });
  const rowsOf = (db: Database.Database): any[] => db.prepare('SELECT * FROM events ORDER BY position').all();
  const COLS = ['position', 'event_id', 'stream_id', 'revision', 'type', 'schema_version', 'data', 'metadata', 'recorded_at', 'prev_hash', 'hash'];
  const restore = () => {
    const db = new Database(path);
    const ins = db.prepare(`INSERT INTO events (${COLS.join(', ')}) VALUES (${COLS.map((c) => `@${c}`).join(', ')})`);
    db.transaction(() => {
      db.prepare('DELETE FROM events').run();
      for (const r of original) ins.run(r);
    })();
    db.close();
  };
  const tamper = (fn: (db: Database.Database) => void) => {
    const db = new Database(path);
    db.transaction(() => fn(db))();
    db.close();
  };
  const pos = (streamId: string, revision: number) => original.find((r) => r.stream_id === streamId && r.revision === revision).position as number;

  beforeAll(async () => {
    path = freshLedger('tamper');
    t = await sqliteApp();
    auditor = await t.auth('auditor', [], 'revisor');
    await seedCounties(t);
    const fo = await t.auth('finance-officer', ['telemark'], 'fo-telemark');
    await mustPost(t, fo, '/parties', { partyId: 'telemark-fk', name: 'Telemark fylkeskommune', kind: 'county-authority', countyId: 'telemark' });
    await mustPost(t, fo, '/centres', { centreId: 'kc-a', countyId: 'telemark', name: 'Karrieresenter A', municipality: 'Skien', openedOn: '2009-01-01' });
    await mustPost(t, fo, '/centres', { centreId: 'kc-b', countyId: 'telemark', name: 'Karrieresenter B', municipality: 'Bø', openedOn: '2009-01-01' });
    await mustPost(t, fo, '/centres/kc-a/funding/operating-grants', { fiscalYear: 2013, partyId: 'telemark-fk', decidedOn: '2012-12-12', reference: 'r', entryId: 'e-1', amount: '1000.00' });
    await mustPost(t, fo, '/centres/kc-a/rename', { name: 'Karriere A', effectiveFrom: '2014-03-01' });
    await mustPost(t, fo, '/centres/kc-b/rename', { name: 'Karriere B', effectiveFrom: '2014-03-01' });
    await mustPost(t, fo, '/centres/kc-a/rename', { name: 'Karriere A2', effectiveFrom: '2014-04-01' });
    const d = await t.http().get('/audit/digest').set(auditor);
    head = d.body.position;
    digest = d.body.digest;
    const db = new Database(path, { readonly: true });
    original = rowsOf(db);
    db.close();
    expect(original).toHaveLength(head);
  });
  afterAll(() => t?.close());

  const bothVerify = async (): Promise<{ http: any; cli: any; cliCode: number }> => {
    const http = (await t.http().get(`/audit/verify?digest=${digest}&position=${head}`).set(auditor)).body;
    const cliCode = await run(verifyCommand, ['verify', '--digest', digest, '--position', String(head), '--json']);
    return { http, cli: JSON.parse(out.join('\n')), cliCode };
  };

  it('an untouched ledger verifies over HTTP and with the CLI, with the same head digest', async () => {
    const { http, cli, cliCode } = await bothVerify();
    expect(http).toMatchObject({ ok: true, firstBadPosition: null, digest: { matches: true } });
    expect(cliCode).toBe(0);
    expect(cli.headDigest).toEqual(http.headDigest);
    expect(http.headDigest).toEqual({ position: head, digest });
  });

  it('each kind of change to a stored row is named at its first bad position by both, and the ledger verifies again once restored', async () => {
    const p = pos('centre-kc-a', 0);
    const p1 = pos('centre-kc-a', 1);
    const last = original[original.length - 1];
    const other = pos('centre-kc-b', 0);
    const cases: [string, (db: Database.Database) => void, number, { streamId: string; revision: number } | null][] = [
      ['data', (db) => db.prepare('UPDATE events SET data = replace(data, \'Karrieresenter A\', \'Karrieresenter Z\') WHERE position = ?').run(p), p, { streamId: 'centre-kc-a', revision: 0 }],
      ['metadata', (db) => db.prepare('UPDATE events SET metadata = replace(metadata, \'"finance-officer"\', \'"admin"\') WHERE position = ?').run(p), p, { streamId: 'centre-kc-a', revision: 0 }],
      ['recorded_at', (db) => db.prepare('UPDATE events SET recorded_at = replace(recorded_at, \'.000Z\', \'.001Z\') WHERE position = ?').run(p), p, { streamId: 'centre-kc-a', revision: 0 }],
      ['type', (db) => db.prepare('UPDATE events SET type = \'CentreRenamed\' WHERE position = ?').run(p), p, { streamId: 'centre-kc-a', revision: 0 }],
      ['schema_version', (db) => db.prepare('UPDATE events SET schema_version = 2 WHERE position = ?').run(p), p, { streamId: 'centre-kc-a', revision: 0 }],
      ['revision', (db) => db.prepare('UPDATE events SET revision = 7 WHERE position = ?').run(p1), p1, { streamId: 'centre-kc-a', revision: 7 }],
      ['stream_id', (db) => db.prepare('UPDATE events SET stream_id = \'centre-kc-b\', revision = 9 WHERE position = ?').run(p1), p1, null],
      ['prev_hash', (db) => db.prepare('UPDATE events SET prev_hash = ? WHERE position = ?').run('f'.repeat(64), p1), p1, { streamId: 'centre-kc-a', revision: 1 }],
      ['hash', (db) => db.prepare('UPDATE events SET hash = ? WHERE position = ?').run('e'.repeat(64), p), p, { streamId: 'centre-kc-a', revision: 0 }],
      ['event_id', (db) => db.prepare('UPDATE events SET event_id = ? WHERE position = ?').run(randomUUID(), p), p, { streamId: 'centre-kc-a', revision: 0 }],
      ['deleted row', (db) => db.prepare('DELETE FROM events WHERE position = ?').run(p), p, null],
      ['position moved to the end', (db) => db.prepare('UPDATE events SET position = ? WHERE position = ?').run(head + 10, p), p, null],
      [
        'two rows swapped',
        (db) => {
          const a = original.find((r) => r.position === p);
          const b = original.find((r) => r.position === other);
          const set = db.prepare(`UPDATE events SET ${COLS.filter((c) => c !== 'position').map((c) => `${c} = @${c}`).join(', ')} WHERE position = @position`);
          set.run({ ...a, event_id: 'tmp', stream_id: 'tmp', revision: -1 });
          set.run({ ...a, position: other });
          set.run({ ...b, position: p });
        },
        p,
        null,
      ],
      ['last row deleted (found through the digest kept at the head)', (db) => db.prepare('DELETE FROM events WHERE position = ?').run(last.position), last.position, null],
    ];
    const missed: string[] = [];
    for (const [name, fn, first, stream] of cases) {
      tamper(fn);
      const { http, cli, cliCode } = await bothVerify();
      const problems: string[] = [];
      if (http.ok !== false || http.firstBadPosition !== first) problems.push(`HTTP ok=${http.ok} first=${http.firstBadPosition}`);
      if (cliCode !== 1 || cli.firstBadPosition !== first) problems.push(`CLI exit ${cliCode} first=${cli.firstBadPosition}`);
      if (stream && !http.brokenStreams.some((b: any) => b.streamId === stream.streamId && b.revision === stream.revision && b.position === first)) problems.push(`HTTP did not name ${stream.streamId}@${stream.revision}`);
      if (problems.length) missed.push(`${name} (expected ${first}): ${problems.join('; ')}`);
      restore();
    }
    expect(missed).toEqual([]);
    const again = await bothVerify();
    expect([again.http.ok, again.cliCode]).toEqual([true, 0]);
  });

  it('a removed last event is invisible without a kept digest (as documented), and named with one', async () => {
    tamper((db) => db.prepare('DELETE FROM events WHERE position = ?').run(head));
    try {
      expect((await t.http().get('/audit/verify').set(auditor)).body.ok).toBe(true);
      const withDigest = (await t.http().get(`/audit/verify?digest=${digest}&position=${head}`).set(auditor)).body;
      expect(withDigest.logProblems).toEqual([expect.objectContaining({ kind: 'log-ends-before-digest-position', from: head, to: head })]);
    } finally {
      restore();
    }
  });

  it('the audit history routes show what is stored, so an auditor reading them sees a tampered row as verify does', async () => {
    const p = pos('centre-kc-a', 0);
    // The stream and the log tail are in the server's caches (the renames re-read the centre's stream).
    expect((await t.http().get('/audit/streams/centre-kc-a').set(auditor)).body.events[0].data.name).toBe('Karrieresenter A');
    tamper((db) => db.prepare('UPDATE events SET data = replace(data, \'Karrieresenter A\', \'Karrieresenter Z\') WHERE position = ?').run(p));
    try {
      await new Promise((r) => setTimeout(r, 10));
      const verify = (await t.http().get('/audit/verify').set(auditor)).body;
      expect([verify.ok, verify.firstBadPosition]).toEqual([false, p]);
      const single = (await t.http().get(`/audit/events/${original.find((r) => r.position === p).event_id}`).set(auditor)).body;
      expect(single.data.name).toBe('Karrieresenter Z');
      // Guards: the audit history routes read the stored rows (uncached reads), not the store's stream cache or
      // tail, which keep what the ledger wrote while the head does not move (README: "Caches of the ledger's own
      // writes"); GET /audit/streams/:id used to show the cached content, with a hash that still checked out.
      const history = (await t.http().get('/audit/streams/centre-kc-a').set(auditor)).body;
      expect(history.events[0].data.name).toBe('Karrieresenter Z');
      const log = (await t.http().get(`/audit/events?after=${p - 1}&limit=1`).set(auditor)).body;
      expect(log.events[0].data.name).toBe('Karrieresenter Z');
      // The event a base-grant verdict cites (its readerLink) is read as stored too.
      const cited = (await t.http().get('/grant-evidence/streams/centre-kc-a/revisions/0').set(auditor)).body;
      expect(cited.data.name).toBe('Karrieresenter Z');
    } finally {
      restore();
    }
  });

  it('a digest at a position is the same across restarts and after later appends, and equals the export\'s at that position', async () => {
    const before = (await t.http().get(`/audit/digest?position=${head - 2}`).set(auditor)).body;
    await t.close();
    t = await sqliteApp();
    auditor = await t.auth('auditor', [], 'revisor');
    const restarted = (await t.http().get(`/audit/digest?position=${head - 2}`).set(auditor)).body;
    expect(restarted.digest).toBe(before.digest);
    await mustPost(t, await t.auth('finance-officer', ['telemark']), '/centres/kc-b/rename', { name: 'Karriere B2', effectiveFrom: '2014-05-01' });
    expect((await t.http().get(`/audit/digest?position=${head - 2}`).set(auditor)).body.digest).toBe(before.digest);
    expect((await t.http().get(`/audit/verify?digest=${before.digest}&position=${head - 2}`).set(auditor)).body).toMatchObject({ ok: true, digest: { matches: true } });
    const dir = join(path, '..', 'export-up-to');
    expect(await run(exportCommand, ['export', '--to', dir, '--up-to', String(head - 2)])).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'digest.json'), 'utf8'))).toMatchObject({ position: head - 2, digest: before.digest });
    expect(await run(verifyCommand, ['verify', '--from-export', dir, '--digest', before.digest, '--position', String(head - 2)])).toBe(0);
  });

  it('an export fed to ledger import is refused whole and records nothing', async () => {
    const dir = join(path, '..', 'export-for-import');
    expect(await run(exportCommand, ['export', '--to', dir])).toBe(0);
    const headBefore = await t.store.headPosition();
    const res = await ledgerChild(['import', join(dir, 'events.jsonl')], { LEDGER_SQLITE_PATH: path, LEDGER_JWT_SECRET: 'review-secret-of-at-least-32-bytes' });
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/rejected, nothing applied/);
    expect(await t.store.headPosition()).toBe(headBefore);
    expect((await t.http().get('/audit/verify').set(auditor)).body.ok).toBe(true);
  });

  it('paging the log (plain and filtered) while others append neither skips nor repeats an event', async () => {
    const admin = await t.auth('admin');
    const start = await t.store.headPosition();
    const writers = Promise.all(
      Array.from({ length: 4 }, (_, w) =>
        (async () => {
          for (let i = 0; i < 15; i++) await mustPost(t, admin, '/parties', { partyId: `p-${w}-${i}`, name: `Part ${w} ${i}`, kind: 'other' });
        })(),
      ),
    );
    const page = async (qs: string, limit: number, writersDone: () => boolean): Promise<number[]> => {
      const seen: number[] = [];
      let after = 0;
      for (let guard = 0; guard < 2000; guard++) {
        // Once every write was acknowledged before a page was asked for, a page that ends the range ends the log.
        const finished = writersDone();
        const res = await t.http().get(`/audit/events?${qs}after=${after}&limit=${limit}`).set(auditor);
        expect(res.status).toBe(200);
        seen.push(...res.body.events.map((e: any) => e.position));
        if (res.body.nextAfter !== null) after = res.body.nextAfter;
        else if (finished) break;
        else after = Math.max(after, res.body.scannedTo);
      }
      return seen;
    };
    let done = false;
    void writers.then(() => (done = true));
    const [plain, filtered] = await Promise.all([page('', 3, () => done), page('type=PartyRegistered&', 2, () => done)]);
    await writers;
    const end = await t.store.headPosition();
    expect(end).toBe(start + 60);
    expect(plain).toEqual(Array.from({ length: end }, (_, i) => i + 1));
    const parties = (await t.store.readAll({ maxCount: 10_000 })).filter((e) => e.type === 'PartyRegistered').map((e) => e.position);
    expect(filtered).toEqual(parties);
  });
});

describe('ledger export of a ledger with a damaged row', () => {
  const { root, err, run, freshLedger } = cliHarness('audit-review-damaged-');

  it('names the unreadable position and leaves no half-written export behind', async () => {
    const path = freshLedger('damaged');
    const { clock, tick } = steppingClock();
    const store = new SqliteEventStore({ path, clock: () => (tick(), clock()) });
    const meta = { actorId: 'a', actorRole: 'admin', correlationId: 'c', causationId: null, idempotencyKey: null };
    for (let i = 0; i < 12; i++) await store.append(`s-${i % 3}`, [{ eventId: randomUUID(), type: 'T', schemaVersion: 1, data: { i }, metadata: meta }], 'any');
    await store.close();
    const db = new Database(path);
    db.prepare('UPDATE events SET data = \'{broken\' WHERE position = 7').run();
    db.close();
    // verify names it:
    expect(await run(verifyCommand, ['verify'])).toBe(1);
    const dir = join(root, 'damaged-export');
    const code = await run(exportCommand, ['export', '--to', dir]);
    expect(code).toBe(1);
    // Guards: writeExport reads SQLite's rows raw, as verify does, so the error names the position (it was
    // JSON.parse's bare "… in JSON at position 1"), and removes what it wrote (events.jsonl was left behind
    // without digest.json, and a retry into the folder was refused).
    expect({ message: err.join('\n'), left: existsSync(join(dir, 'events.jsonl')) }).toEqual({ message: expect.stringMatching(/\bposition 7\b/), left: false });
    expect(existsSync(dir)).toBe(false); // the folder it made is gone too
    // Into a folder that exists (empty): it stays, empty.
    mkdirSync(dir);
    expect(await run(exportCommand, ['export', '--to', dir])).toBe(1);
    expect(err.join('\n')).toMatch(/\bposition 7 \(stream s-0, revision 2\)/);
    expect(readdirSync(dir)).toEqual([]);
  });
});
