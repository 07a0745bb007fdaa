import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { answerCacheOf } from '../../apps/api/src/http/answer-cache';
import { CommandRegistry } from '../../libs/application/src/command-registry';
import { dryRunImport, parseImportFile } from '../../libs/application/src/import-file';
import { ProjectionEngine } from '../../libs/application/src/projection-engine';
import { loadConfig } from '../../apps/api/src/config';
import { todayInNorway } from '../../apps/api/src/ledger/today';
import { unzip } from '../../libs/application/src/audit/xlsx';
import { addDays } from '../../libs/domain/src/shared';
import { SqliteEventStore } from '../../libs/event-store/src/sqlite-event-store';
import { fakeDateOnly, osloMidnight } from '../helpers/fake-date';
import { rawGet } from '../helpers/raw-get';
import { seedCounties, startTestApp, TestApp } from '../helpers/test-app';
import { recordCounty } from '../grants/grants-fixture';

/**
 * Adversarial review of the day's features: stimulus-grant decision corrections, co-location
 * corrections and withdrawals, parties renamed from a date, LEDGER_TRUST_PROXY and the funding mix's
 * budget.overlaps. Each test pins a promise (one found a bug, fixed with it).
 */
type Auth = { Authorization: string };

const binary = (res: any, cb: (e: Error | null, b: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

describe("today's features, reviewed (memory store)", () => {
  let t: TestApp;
  let admin: Auth;
  let vox: Auth;
  let auditor: Auth;
  let fo: Auth;
  let foOther: Auth;

  const post = (path: string, body: object, auth: Auth = admin, headers: Record<string, string> = {}) => t.http().post(path).set(auth).set(headers).send(body);
  const ok = async (path: string, body: object, auth: Auth = admin) => {
    const res = await post(path, body, auth);
    if (res.status !== 200 && res.status !== 201) throw new Error(`POST ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const get = async (path: string, auth: Auth = auditor) => {
    const res = await t.http().get(path).set(auth);
    if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const head = () => t.store.headPosition();
  const tick = () => new Promise((r) => setTimeout(r, 15));
  const grant = (centreId: string, entryId: string, partyId: string, fiscalYear: number, amount = '1000.00') =>
    ok(`/centres/${centreId}/funding/operating-grants`, { entryId, partyId, amount, fiscalYear, decidedOn: `${fiscalYear}-01-10`, reference: null });
  const party = (partyId: string, name: string, kind = 'nav-local-office', countyId: string | null = 'telemark') => ok('/parties', { partyId, name, kind, countyId });
  const rename = (partyId: string, name: string, effectiveFrom?: string) => ok(`/parties/${partyId}/rename`, { name, ...(effectiveFrom ? { effectiveFrom } : {}) });
  const centre = (centreId: string, countyId = 'telemark', openedOn = '2010-01-01') => ok('/centres', { centreId, countyId, name: `KC ${centreId}`, municipality: 'Skien', openedOn });
  const mixNames = async (path: string) => (await get(path)).byParty.map((p: any) => [p.partyId, p.partyName]);

  beforeAll(async () => {
    t = await startTestApp({ seed: true });
    admin = await t.auth('admin', [], 'review-admin');
    vox = await t.auth('vox', [], 'review-vox');
    auditor = await t.auth('auditor', [], 'review-auditor');
    fo = await t.auth('finance-officer', ['telemark'], 'review-fo');
    foOther = await t.auth('finance-officer', ['troms'], 'review-fo-troms');
    await recordCounty(t, 'telemark', 'Telemark', [{ centreId: 'kc-tm', name: 'Karrieresenter Telemark', municipality: 'Skien' }]);
    await ok('/grant-schemes', { year: 2014, baseGrant: '26600000.00', criteriaSetId: 'criteria-2014', judgingDate: '2014-03-01' }, vox);
  });
  afterAll(() => t.close());

  // ------------------------------------------------------------------ parties renamed from a date

  describe('parties renamed from a date', () => {
    it('renames recorded out of date order (2020 first, then 2018): each year keeps its own name, names in date order, previousName is the name in force that day', async () => {
      await party('rv-nav', 'NAV A');
      for (const y of [2017, 2019, 2021]) await grant('kc-tm', `rv-nav-${y}`, 'rv-nav', y);
      await rename('rv-nav', 'NAV C', '2020-01-01');
      await rename('rv-nav', 'NAV B', '2018-01-01');
      const p = await get('/parties/rv-nav');
      expect([p.name, p.upcomingRename, p.names]).toEqual(['NAV C', null, [{ name: 'NAV A', from: '0000-01-01' }, { name: 'NAV B', from: '2018-01-01' }, { name: 'NAV C', from: '2020-01-01' }]]);
      for (const [y, name] of [[2017, 'NAV A'], [2019, 'NAV B'], [2021, 'NAV C']] as const) {
        expect([y, await mixNames(`/centres/kc-tm/funding-mix/${y}`)]).toEqual([y, expect.arrayContaining([['rv-nav', name]])]);
      }
      const events = (await t.store.readStream('party-rv-nav')).map((e) => e.data as any);
      expect(events.slice(1).map((d) => [d.name, d.previousName, d.effectiveFrom])).toEqual([['NAV C', 'NAV A', '2020-01-01'], ['NAV B', 'NAV A', '2018-01-01']]);
    });

    it('two renames from the same day: the one recorded last holds that day; renaming back to an earlier name that same day is recorded', async () => {
      await party('rv-same', 'Same A');
      await grant('kc-tm', 'rv-same-2020', 'rv-same', 2020);
      await rename('rv-same', 'Same B', '2020-03-01');
      await rename('rv-same', 'Same C', '2020-03-01');
      expect(await mixNames('/centres/kc-tm/funding-mix/2020')).toContainEqual(['rv-same', 'Same C']);
      const back = await ok('/parties/rv-same/rename', { name: 'Same B', effectiveFrom: '2020-03-01' });
      expect(back.eventIds).toHaveLength(1);
      expect(await mixNames('/centres/kc-tm/funding-mix/2020')).toContainEqual(['rv-same', 'Same B']);
      // the name already in force on that day: nothing recorded
      const again = await ok('/parties/rv-same/rename', { name: 'Same B', effectiveFrom: '2020-06-01' });
      expect(again.eventIds).toEqual([]);
    });

    it('parties with the ids "constructor" and "toString" are registered, renamed from a date and named by year like any other; "__proto__" is refused, never a 500', async () => {
      await party('constructor', 'Kommune Constructor', 'municipality');
      await party('toString', 'Kommune ToString', 'municipality');
      await grant('kc-tm', 'rv-ctor-2013', 'constructor', 2013);
      await grant('kc-tm', 'rv-ctor-2021', 'constructor', 2021);
      await grant('kc-tm', 'rv-tostr-2013', 'toString', 2013);
      await rename('constructor', 'Kommune Constructor (ny)', '2020-01-01');
      await rename('toString', 'Kommune ToString (ny)', '2020-01-01');
      expect(await mixNames('/centres/kc-tm/funding-mix/2013')).toEqual(expect.arrayContaining([['constructor', 'Kommune Constructor'], ['toString', 'Kommune ToString']]));
      expect(await mixNames('/centres/kc-tm/funding-mix/2021')).toContainEqual(['constructor', 'Kommune Constructor (ny)']);
      const one = await get('/parties/constructor');
      expect([one.partyId, one.name, one.names.length]).toEqual(['constructor', 'Kommune Constructor (ny)', 2]);
      const list = await get('/parties?countyId=telemark&kind=municipality');
      expect(list.map((p: any) => p.partyId)).toEqual(expect.arrayContaining(['constructor', 'toString']));
      const proto = await t.http().get('/parties/__proto__').set(auditor);
      expect([proto.status, proto.body.code]).toEqual([404, 'PARTY.NOT_FOUND']);
      const protoRename = await post('/parties/__proto__/rename', { name: 'x', effectiveFrom: '2020-01-01' });
      expect(protoRename.status).toBeGreaterThanOrEqual(400);
      expect(protoRename.status).toBeLessThan(500);
    });

    it('the funding-mix CSV and XLSX name a party as on 31 December of the year', async () => {
      await party('rv-csv', 'NAV Gammel', 'nav-county-office');
      await grant('kc-tm', 'rv-csv-2013', 'rv-csv', 2013);
      await grant('kc-tm', 'rv-csv-2021', 'rv-csv', 2021);
      await rename('rv-csv', 'NAV Ny', '2020-01-01');
      const csv2013 = (await t.http().get('/reports/funding-mix/2013/csv?centre=kc-tm').set(auditor)).text as string;
      expect(csv2013).toContain('NAV Gammel');
      expect(csv2013).not.toContain('NAV Ny');
      const csv2021 = (await t.http().get('/reports/funding-mix/2021/csv?county=telemark').set(auditor)).text as string;
      expect(csv2021).toContain('NAV Ny');
      const res = await t.http().get('/reports/2013/xlsx?centre=kc-tm').set(auditor).buffer(true).parse(binary);
      expect(res.status).toBe(200);
      const text = [...unzip(res.body as Buffer).values()].map((b) => b.toString('utf8')).join('\n');
      expect(text).toContain('NAV Gammel');
      expect(text).not.toContain('NAV Ny');
    });

    it('owners, cost-share, board register, profile and NAV link name a party on their own date', async () => {
      await party('rv-own-nav', 'NAV Eier 2009', 'nav-county-office');
      await centre('rv-own-kc');
      await ok('/centres/rv-own-kc/owner-agreements', { agreementId: 'rv-eier', parties: [{ partyId: 'telemark-fk', shareBp: 5000 }, { partyId: 'rv-own-nav', shareBp: 5000 }], period: { from: '2009-01-01', to: null }, signedOn: '2009-01-01' });
      await grant('rv-own-kc', 'rv-own-2013', 'rv-own-nav', 2013);
      await ok('/boards', { boardId: 'rv-board', countyId: 'telemark', centreIds: ['rv-own-kc'], name: 'Styret RV', establishedOn: '2011-01-01' });
      await ok('/boards/rv-board/members', { personId: 'rv-p1', name: 'Per', partyId: 'rv-own-nav', role: 'member', term: { from: '2011-01-01' } });
      await rename('rv-own-nav', 'NAV Eier 2020', '2020-01-01');
      const owners2013 = await get('/centres/rv-own-kc/owner-agreements?date=2013-06-01');
      expect(JSON.stringify(owners2013)).toContain('NAV Eier 2009');
      expect(JSON.stringify(owners2013)).not.toContain('NAV Eier 2020');
      const owners2021 = await get('/centres/rv-own-kc/owner-agreements?date=2021-06-01');
      expect(JSON.stringify(owners2021)).toContain('NAV Eier 2020');
      const cost = await get('/centres/rv-own-kc/owner-agreements/rv-eier/cost-share-compliance/2013');
      expect(JSON.stringify(cost)).toContain('NAV Eier 2009');
      expect(JSON.stringify(cost)).not.toContain('NAV Eier 2020');
      const board = await get('/boards/rv-board');
      expect(board.members.find((m: any) => m.personId === 'rv-p1').partyName).toBe('NAV Eier 2009');
      const profile2021 = await get('/centres/rv-own-kc/governance?date=2021-06-01');
      expect(JSON.stringify(profile2021.board)).toContain('NAV Eier 2020');
      const link2013 = await get('/centres/rv-own-kc/nav-link?date=2013-06-01');
      expect(link2013.grounds.board.why).toContain('NAV Eier 2009');
      expect(link2013.grounds.owner.why).toContain('NAV Eier 2009');
      expect(link2013.grounds.financier.why).toContain('NAV Eier 2009');
      const link2021 = await get('/centres/rv-own-kc/nav-link?date=2021-06-01');
      expect(link2021.grounds.owner.why).toContain('NAV Eier 2020');
    });

    it('partnership listing, coordinating function and the co-located ground name a party renamed out of order by their date', async () => {
      await rename('nav-telemark', 'NAV Vestfold og Telemark', '2020-01-01');
      await rename('nav-telemark', 'NAV Telemark (2016)', '2016-01-01');
      await rename('telemark-fk', 'Vestfold og Telemark fylkeskommune', '2020-01-01');
      const names = async (date: string) => {
        const all = await get(`/partnerships?date=${date}`);
        const tm = all.find((p: any) => p.countyId === 'telemark');
        return [tm.agreement.parties.map((x: any) => x.name), tm.coordinatingFunction.holderName];
      };
      expect(await names('2014-06-01')).toEqual([['Telemark fylkeskommune', 'NAV Telemark'], 'Telemark fylkeskommune']);
      expect(await names('2017-06-01')).toEqual([['Telemark fylkeskommune', 'NAV Telemark (2016)'], 'Telemark fylkeskommune']);
      expect(await names('2021-06-01')).toEqual([['Vestfold og Telemark fylkeskommune', 'NAV Vestfold og Telemark'], 'Vestfold og Telemark fylkeskommune']);
      await centre('rv-coloc');
      await ok('/centres/rv-coloc/co-locations', { from: '2012-01-01', premises: 'NAV-huset', sharedWith: [{ kind: 'nav-county-office', partyId: 'nav-telemark', name: null }] });
      expect((await get('/centres/rv-coloc/nav-link?date=2013-01-01')).grounds.coLocated.why).toContain('NAV Telemark.');
      expect((await get('/centres/rv-coloc/nav-link?date=2017-01-01')).grounds.coLocated.why).toContain('NAV Telemark (2016)');
      expect((await get('/centres/rv-coloc/nav-link?date=2021-01-01')).grounds.coLocated.why).toContain('NAV Vestfold og Telemark');
      // the base-grant reasons: as on the day judged (2014-03-01)
      const reasons = JSON.stringify((await get('/grant-schemes/2014/eligibility/telemark')).criteria.map((c: any) => c.reason));
      expect(reasons).toContain('Telemark fylkeskommune og NAV Telemark');
      expect(reasons).not.toContain('(2016)');
      expect(reasons).not.toContain('Vestfold og Telemark');
    });

    it('a legacy rename (recorded before names had dates) holds for every day; a dated rename after it keeps the legacy name for the days before', async () => {
      await party('rv-legacy', 'Legacy A');
      await grant('kc-tm', 'rv-legacy-2013', 'rv-legacy', 2013);
      await grant('kc-tm', 'rv-legacy-2021', 'rv-legacy', 2021);
      const [reg] = await t.store.readStream('party-rv-legacy');
      await t.store.append(
        'party-rv-legacy',
        [{ eventId: '7f3b1c2e-0000-4000-8000-00000000beef', type: 'PartyRenamed', schemaVersion: 1, data: { partyId: 'rv-legacy', name: 'Legacy B', previousName: 'Legacy A' }, metadata: reg.metadata }],
        reg.revision,
      );
      expect(await mixNames('/centres/kc-tm/funding-mix/2013')).toContainEqual(['rv-legacy', 'Legacy B']);
      await rename('rv-legacy', 'Legacy C', '2020-01-01');
      expect(await mixNames('/centres/kc-tm/funding-mix/2013')).toContainEqual(['rv-legacy', 'Legacy B']);
      expect(await mixNames('/centres/kc-tm/funding-mix/2021')).toContainEqual(['rv-legacy', 'Legacy C']);
      const last = (await t.store.readStream('party-rv-legacy')).slice(-1)[0].data as any;
      expect(last.previousName).toBe('Legacy B');
    });

    it('a finance officer renames their own county\'s party, not another county\'s (403) nor a national one (403 ACCESS.ROLE_NOT_ALLOWED); vox and auditors may not rename', async () => {
      await party('rv-acc', 'Acc A', 'municipality');
      await ok('/parties', { partyId: 'rv-acc-union', name: 'Forbund', kind: 'union', countyId: null });
      expect((await post('/parties/rv-acc/rename', { name: 'Acc B', effectiveFrom: '2015-01-01' }, fo)).status).toBe(200);
      const before = await head();
      expect((await post('/parties/rv-acc/rename', { name: 'Acc C' }, foOther)).body.code).toBe('ACCESS.OTHER_COUNTY');
      const national = await post('/parties/rv-acc-union/rename', { name: 'Forbund 2' }, fo);
      expect([national.status, national.body.code]).toEqual([403, 'ACCESS.ROLE_NOT_ALLOWED']);
      for (const who of [vox, auditor]) expect((await post('/parties/rv-acc/rename', { name: 'Acc D' }, who)).status).toBe(403);
      expect(await head()).toBe(before);
    });

    it('the directory with a rename from tomorrow: kept out of the answer cache, and the new name shows from Oslo midnight', async () => {
      await party('rv-midnight', 'Midnatt A');
      const day = addDays(todayInNorway(), 1);
      await rename('rv-midnight', 'Midnatt B', day);
      const token = await t.tokens.issue({ sub: 'rv-midnight', name: 'Midnatt', roles: ['auditor'], counties: [] }, 3 * 86400);
      const cache = answerCacheOf(t.app.getHttpAdapter().getInstance())!;
      const ask = async (url: string) => {
        const res = await rawGet(t.app.getHttpServer(), url, { authorization: `Bearer ${token}` });
        expect(res.statusCode).toBe(200);
        return JSON.parse(res.body);
      };
      fakeDateOnly(osloMidnight(day) - 10_000);
      try {
        for (let i = 0; i < 2; i++) expect((await ask('/parties/rv-midnight')).upcomingRename).toEqual({ name: 'Midnatt B', effectiveFrom: day });
        const list = await ask('/parties?countyId=telemark');
        expect(list.find((p: any) => p.partyId === 'rv-midnight').name).toBe('Midnatt A');
        expect(cache.size).toBe(0);
        jest.setSystemTime(osloMidnight(day) + 1_000);
        const after = await ask('/parties/rv-midnight');
        expect([after.name, after.upcomingRename]).toEqual(['Midnatt B', null]);
        expect((await ask('/parties?countyId=telemark')).find((p: any) => p.partyId === 'rv-midnight').name).toBe('Midnatt B');
      } finally {
        jest.useRealTimers();
      }
    });
  });

  // ------------------------------------------------------------------ co-location corrected or withdrawn

  describe('co-location corrected or withdrawn', () => {
    const nav = { kind: 'nav-county-office', partyId: 'nav-telemark', name: null };
    const record = (centreId: string, from: string, premises: string, sharedWith: object[]) => ok(`/centres/${centreId}/co-locations`, { from, premises, sharedWith });
    const correction = (centreId: string, from: string, body: object, auth: Auth = admin, headers: Record<string, string> = {}) => post(`/centres/${centreId}/co-locations/${from}/correction`, body, auth, headers);
    const withdrawal = (centreId: string, from: string, body: object, auth: Auth = admin, headers: Record<string, string> = {}) => post(`/centres/${centreId}/co-locations/${from}/withdrawal`, body, auth, headers);
    const coLocated = async (centreId: string, date: string, asOf?: string) =>
      (await get(`/centres/${centreId}/nav-link?date=${date}${asOf ? `&asOf=${encodeURIComponent(asOf)}` : ''}`)).grounds.coLocated;

    it('corrected, then withdrawn, then the right record entered for that date: listing, NAV link and every asOf in between', async () => {
      await centre('cl-a');
      const rec = await record('cl-a', '2012-08-01', 'Rådhuset', []);
      const t1 = new Date(Date.parse(rec.recordedAt)).toISOString();
      await tick();
      const corr = (await correction('cl-a', '2012-08-01', { premises: 'NAV-huset', sharedWith: [nav], reason: 'NAV ble glemt' })).body;
      const t2 = corr.recordedAt;
      await tick();
      const wd = (await withdrawal('cl-a', '2012-08-01', { reason: 'Feil dato' })).body;
      const t3 = wd.recordedAt;
      await tick();
      await record('cl-a', '2012-08-01', 'Skolen', [{ kind: 'upper-secondary-school', partyId: null, name: 'Skien vgs' }]);
      const now = await get('/centres/cl-a/co-locations');
      expect(now.records.map((r: any) => [r.from, r.premises, r.corrections.length])).toEqual([['2012-08-01', 'Skolen', 0]]);
      expect(now.withdrawn.map((r: any) => [r.from, r.premises, r.corrections.length, r.withdrawal.reason])).toEqual([['2012-08-01', 'NAV-huset', 1, 'Feil dato']]);
      expect((await coLocated('cl-a', '2013-01-01')).holds).toBe(false);
      expect((await coLocated('cl-a', '2013-01-01', t1)).holds).toBe(false);
      const asCorrected = await coLocated('cl-a', '2013-01-01', t2);
      expect([asCorrected.holds, asCorrected.evidence[0]?.type]).toEqual([true, 'CoLocationCorrected']);
      const asWithdrawn = await coLocated('cl-a', '2013-01-01', t3);
      expect(asWithdrawn.holds).toBe(false);
      expect(asWithdrawn.why).toContain('No premises');
      const listedThen = await get(`/centres/cl-a/co-locations?asOf=${encodeURIComponent(t2)}`);
      expect(listedThen.records.map((r: any) => r.premises)).toEqual(['NAV-huset']);
      // the record standing now can be corrected and withdrawn in its turn
      expect((await correction('cl-a', '2012-08-01', { premises: 'Skolen', sharedWith: [nav], reason: 'NAV deler også' })).status).toBe(200);
      expect((await coLocated('cl-a', '2013-01-01')).holds).toBe(true);
      expect((await withdrawal('cl-a', '2012-08-01', { reason: 'igjen feil' })).status).toBe(200);
      const end = await get('/centres/cl-a/co-locations');
      expect([end.records.length, end.withdrawn.length]).toEqual([0, 2]);
    });

    it('the latest record withdrawn: a record between the earlier one and it may be entered; the earlier one withdrawn while a later stands: that date is OUT_OF_ORDER', async () => {
      await centre('cl-b');
      await record('cl-b', '2012-01-01', 'A', []);
      await record('cl-b', '2014-01-01', 'B', [nav]);
      expect((await withdrawal('cl-b', '2014-01-01', { reason: 'feil' })).status).toBe(200);
      await record('cl-b', '2013-01-01', 'C', [nav]);
      expect((await get('/centres/cl-b/co-locations')).records.map((r: any) => r.from)).toEqual(['2012-01-01', '2013-01-01']);
      expect((await coLocated('cl-b', '2012-06-01')).holds).toBe(false);
      expect((await coLocated('cl-b', '2013-06-01')).holds).toBe(true);
      expect((await withdrawal('cl-b', '2012-01-01', { reason: 'feil' })).status).toBe(200);
      const before = await head();
      const again = await post('/centres/cl-b/co-locations', { from: '2012-01-01', premises: 'A2', sharedWith: [] });
      expect([again.status, again.body.code]).toEqual([422, 'CO_LOCATION.OUT_OF_ORDER']);
      expect(await head()).toBe(before);
    });

    it('centres with the ids "constructor" and "toString": recorded, corrected, withdrawn and listed; "__proto__" is refused, never a 500', async () => {
      for (const id of ['constructor', 'toString']) {
        await centre(id);
        await record(id, '2012-08-01', 'Huset', []);
        expect((await correction(id, '2012-08-01', { premises: 'Huset', sharedWith: [nav], reason: 'r' })).status).toBe(200);
        expect((await coLocated(id, '2013-01-01')).holds).toBe(true);
        expect((await withdrawal(id, '2012-08-01', { reason: 'r' })).status).toBe(200);
        const listed = await get(`/centres/${id}/co-locations`);
        expect([listed.centreId, listed.records.length, listed.withdrawn.length]).toEqual([id, 0, 1]);
      }
      for (const res of [await correction('__proto__', '2012-08-01', { premises: 'x', sharedWith: [], reason: 'r' }), await withdrawal('__proto__', '2012-08-01', { reason: 'r' }), await t.http().get('/centres/__proto__/co-locations').set(auditor)]) {
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
      }
    });

    it('closing: a withdrawn record no longer blocks, a re-recorded one does again; the closed centre\'s records can still be corrected', async () => {
      await centre('cl-close');
      await record('cl-close', '2012-01-01', 'A', []);
      await record('cl-close', '2015-01-01', 'B', []);
      const blocked = await post('/centres/cl-close/close', { closedOn: '2014-01-01', reason: 'nedlagt' });
      expect([blocked.status, blocked.body.code]).toEqual([409, 'CENTRE.CLOSE_BEFORE_ACTIVITY']);
      await withdrawal('cl-close', '2015-01-01', { reason: 'feil dato' });
      await record('cl-close', '2013-01-01', 'C', []);
      const blockedAgain = await post('/centres/cl-close/close', { closedOn: '2013-01-01', reason: 'nedlagt' });
      expect([blockedAgain.status, blockedAgain.body.details?.earliestClosedOn]).toEqual([409, '2013-01-02']);
      expect((await post('/centres/cl-close/close', { closedOn: '2014-01-01', reason: 'nedlagt' })).status).toBe(200);
      expect((await correction('cl-close', '2013-01-01', { premises: 'C', sharedWith: [nav], reason: 'NAV manglet' })).status).toBe(200);
      expect((await coLocated('cl-close', '2013-06-01')).holds).toBe(true);
      const late = await post('/centres/cl-close/co-locations', { from: '2014-02-01', premises: 'D', sharedWith: [] });
      expect([late.status, late.body.code]).toEqual([422, 'CENTRE.CLOSED']);
    });

    it('codes: a bad :from is 400 DATE.INVALID, a missing record 404, no change 422, another county 403, vox/auditor 403; nothing recorded', async () => {
      await centre('cl-codes');
      await record('cl-codes', '2012-08-01', 'A', [nav]);
      const before = await head();
      const cases: [Promise<any>, number, string][] = [
        [correction('cl-codes', '2012-8-1', { premises: 'B', sharedWith: [], reason: 'r' }), 400, 'DATE.INVALID'],
        [withdrawal('cl-codes', '2012-02-30', { reason: 'r' }), 400, 'DATE.INVALID'],
        [correction('cl-codes', '2012-08-02', { premises: 'B', sharedWith: [], reason: 'r' }), 404, 'CO_LOCATION.NOT_FOUND'],
        [correction('cl-codes', '2012-08-01', { premises: 'A', sharedWith: [nav], reason: 'r' }), 422, 'CO_LOCATION.CORRECTION_CHANGES_NOTHING'],
        [correction('cl-codes', '2012-08-01', { premises: 'B', sharedWith: [], reason: 'r' }, foOther), 403, 'ACCESS.OTHER_COUNTY'],
        [withdrawal('nowhere-centre', '2012-08-01', { reason: 'r' }), 404, 'CENTRE.NOT_FOUND'],
        [correction('cl-codes', '2012-08-01', { premises: 'B', sharedWith: [{ kind: 'nav-local-office', partyId: 'telemark-fk', name: null }], reason: 'r' }), 422, 'CO_LOCATION.KIND_MISMATCH'],
      ];
      for (const [p, status, code] of cases) {
        const res = await p;
        expect([res.status, res.body.code]).toEqual([status, code]);
      }
      for (const who of [vox, auditor]) expect((await withdrawal('cl-codes', '2012-08-01', { reason: 'r' }, who)).status).toBe(403);
      expect(await head()).toBe(before);
    });
  });

  // ------------------------------------------------------------------ stimulus-grant decision corrected

  describe('stimulus-grant decisions corrected', () => {
    const apply = (id: string) =>
      ok('/stimulus-grants', { applicationId: id, countyId: 'telemark', year: 2014, purpose: 'development', centreId: 'kc-tm', amountAsked: '700000.00', description: 'Utvikling', appliedOn: '2014-02-10' }, fo);
    const correct = (id: string, body: object, auth: Auth = vox, headers: Record<string, string> = {}) => post(`/stimulus-grants/${id}/decision-correction`, body, auth, headers);

    it('corrected twice: asOf before, between and after each correction shows the decision then, in the listing and the detail', async () => {
      await apply('st-asof');
      const award = await ok('/stimulus-grants/st-asof/award', { amount: '500000.00', note: 'Første' }, vox);
      await tick();
      const c1 = (await correct('st-asof', { outcome: 'rejected', reason: 'Feil søknad', correctionReason: 'omgjort' })).body;
      await tick();
      const c2 = (await correct('st-asof', { outcome: 'awarded', amount: '400000.00', correctionReason: 'omgjort igjen' })).body;
      const at = async (asOf: string) => {
        const one = await get(`/stimulus-grants/st-asof?asOf=${encodeURIComponent(asOf)}`);
        const listed = (await get(`/stimulus-grants?countyId=telemark&asOf=${encodeURIComponent(asOf)}`)).find((s: any) => s.applicationId === 'st-asof');
        return [one.status, one.amountAwarded, one.corrections.length, listed.status, listed.amountAwarded];
      };
      expect(await at(award.recordedAt)).toEqual(['awarded', '500000.00', 0, 'awarded', '500000.00']);
      expect(await at(c1.recordedAt)).toEqual(['rejected', null, 1, 'rejected', null]);
      expect(await at(c2.recordedAt)).toEqual(['awarded', '400000.00', 2, 'awarded', '400000.00']);
      const rejectedThen = await get(`/stimulus-grants?status=rejected&asOf=${encodeURIComponent(c1.recordedAt)}`);
      expect(rejectedThen.map((s: any) => s.applicationId)).toContain('st-asof');
      const one = await get('/stimulus-grants/st-asof');
      expect(one.corrections.map((c: any) => [c.previous.status, c.previous.amountAwarded, c.decision.status, c.decision.amountAwarded])).toEqual([
        ['awarded', '500000.00', 'rejected', null],
        ['rejected', null, 'awarded', '400000.00'],
      ]);
      expect(one.corrections[1].previous.event.eventId).toBe(one.corrections[0].event.eventId);
    });

    it('application ids "constructor" and "toString" are corrected and listed; "__proto__" is never a 500', async () => {
      for (const id of ['constructor', 'toString']) {
        await apply(id);
        await ok(`/stimulus-grants/${id}/award`, { amount: '100000.00' }, vox);
        expect((await correct(id, { outcome: 'awarded', amount: '90000.00', correctionReason: 'r' })).status).toBe(200);
        const one = await get(`/stimulus-grants/${id}`);
        expect([one.applicationId, one.amountAwarded, one.corrections.length]).toEqual([id, '90000.00', 1]);
        expect((await get('/stimulus-grants?countyId=telemark')).filter((s: any) => s.applicationId === id)).toHaveLength(1);
      }
      const res = await correct('__proto__', { outcome: 'awarded', amount: '1.00', correctionReason: 'r' });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      const read = await t.http().get('/stimulus-grants/__proto__').set(auditor);
      expect([read.status, read.body.code]).toEqual([404, 'STIMULUS_GRANT.NOT_FOUND']);
    });

    it('an Idempotency-Key retry of a correction gets the first answer and records once; a plain repeat is 422 CORRECTION_CHANGES_NOTHING', async () => {
      await apply('st-idem');
      await ok('/stimulus-grants/st-idem/award', { amount: '300000.00' }, vox);
      const body = { outcome: 'awarded', amount: '250000.00', correctionReason: 'r' };
      const first = await correct('st-idem', body, vox, { 'Idempotency-Key': 'st-idem-1' });
      const before = await head();
      const retry = await correct('st-idem', body, vox, { 'Idempotency-Key': 'st-idem-1' });
      expect([retry.status, retry.body]).toEqual([first.status, first.body]);
      expect(await head()).toBe(before);
      const plain = await correct('st-idem', body);
      expect([plain.status, plain.body.code]).toEqual([422, 'STIMULUS_GRANT.CORRECTION_CHANGES_NOTHING']);
      const otherApp = await correct('st-asof', body, vox, { 'Idempotency-Key': 'st-idem-1' });
      expect([otherApp.status, otherApp.body.code]).toEqual([409, 'IDEMPOTENCY_KEY_REUSED']);
    });

    it('the other outcome\'s fields are 400 STIMULUS_GRANT.DECISION_FIELDS whatever their value: a rejection with an amount of "0.00" or "abc" too', async () => {
      // README: "the other outcome's fields are 400 STIMULUS_GRANT.DECISION_FIELDS". A rejection's amount used to be
      // parsed first (0.00 answered MONEY.ZERO, abc MONEY.INVALID); only an award's amount is read now.
      await apply('st-fields');
      await ok('/stimulus-grants/st-fields/award', { amount: '1000.00' }, vox);
      const before = await head();
      for (const amount of ['1.00', '0.00', 'abc', '-5.00']) {
        const res = await correct('st-fields', { outcome: 'rejected', reason: 'nei', amount, correctionReason: 'r' });
        expect([amount, res.status, res.body.code]).toEqual([amount, 400, 'STIMULUS_GRANT.DECISION_FIELDS']);
      }
      expect(await head()).toBe(before);
    });

    it('the route lists each code it answers in /docs-json', async () => {
      const docs = (await t.http().get('/docs-json')).body;
      const op = docs.paths['/stimulus-grants/{applicationId}/decision-correction'].post;
      const text = JSON.stringify(op.responses);
      for (const code of ['STIMULUS_GRANT.NOT_DECIDED', 'STIMULUS_GRANT.DECISION_FIELDS', 'STIMULUS_GRANT.UNKNOWN_OUTCOME', 'STIMULUS_GRANT.CORRECTION_CHANGES_NOTHING', 'STIMULUS_GRANT.AWARD_ABOVE_ASKED', 'STIMULUS_GRANT.NOT_FOUND']) expect(text).toContain(code);
      expect(JSON.stringify(op.responses['422'] ?? {})).toContain('STIMULUS_GRANT.CORRECTION_CHANGES_NOTHING');
      const co = docs.paths['/centres/{centreId}/co-locations/{from}/correction'].post;
      expect(JSON.stringify(co.responses['422'] ?? {})).toContain('CO_LOCATION.CORRECTION_CHANGES_NOTHING');
      const rn = docs.paths['/parties/{partyId}/rename'].post;
      expect(JSON.stringify(rn.responses['400'] ?? {})).toContain('DATE.INVALID');
    });
  });

  // ------------------------------------------------------------------ budget.overlaps

  describe('funding mix: budget.overlaps', () => {
    const line = (partyId: string, amount: string) => ({ partyId, moneyKind: 'operating-grant', amount });
    const countyLine = (decisionId: string, centreIds: string[], lines: object[], decidedOn: string) =>
      ok('/counties/nordland/county-line-decisions', { decisionId, kind: 'budget', year: 2014, centreIds, decidedOn, title: decisionId, content: { lines } });

    it('a joint budget for three centres, two of which adopt their own: both overlaps named, nothing summed, actual still given; the third centre\'s own mix compares the joint budget with all three', async () => {
      await party('nl-fk', 'Nordland fylkeskommune', 'county-authority', 'nordland');
      for (const id of ['nl-a', 'nl-b', 'nl-c']) await centre(id, 'nordland');
      await countyLine('nl-joint', ['nl-a', 'nl-b', 'nl-c'], [line('nl-fk', '900000.00')], '2013-12-01');
      for (const [id, amount] of [['nl-a', '100000.00'], ['nl-b', '200000.00'], ['nl-c', '300000.00']]) await grant(id, `${id}-g`, 'nl-fk', 2014, amount);
      await countyLine('nl-a-own', ['nl-a'], [line('nl-fk', '150000.00')], '2014-02-01');
      await countyLine('nl-b-own', ['nl-b'], [line('nl-fk', '250000.00')], '2014-03-01');
      const county = (await get('/counties/nordland/funding-mix/2014')).budget;
      expect(county.overlaps.map((o: any) => o.centreId).sort()).toEqual(['nl-a', 'nl-b']);
      expect(county.lines).toEqual([{ partyId: 'nl-fk', moneyKind: 'operating-grant', budget: null, actual: '600000.00', difference: null, actualUnreportedEntries: 0 }]);
      const c = (await get('/centres/nl-c/funding-mix/2014')).budget;
      expect([c.coversCentreIds, c.overlaps, c.lines[0].budget, c.lines[0].actual]).toEqual([['nl-a', 'nl-b', 'nl-c'], [], '900000.00', '600000.00']);
      const a = (await get('/centres/nl-a/funding-mix/2014')).budget;
      expect([a.coversCentreIds, a.overlaps, a.lines[0].budget, a.lines[0].actual]).toEqual([['nl-a'], [], '150000.00', '100000.00']);
      // Once the third adopts its own too, the joint budget is in force for none: the county adds the three own budgets.
      await countyLine('nl-c-own', ['nl-c'], [line('nl-fk', '350000.00')], '2014-04-01');
      const after = (await get('/counties/nordland/funding-mix/2014')).budget;
      expect([after.overlaps, after.lines[0].budget, after.lines[0].difference]).toEqual([[], '750000.00', '-150000.00']);
    });
  });

  // ------------------------------------------------------------------ today is Norway's date

  describe("'today' is the date in Norway, also just after midnight (UTC still the day before)", () => {
    it('a rename without effectiveFrom takes effect from Norway\'s date, and a decision correction is correctedOn Norway\'s date', async () => {
      await party('rv-oslo', 'Oslo A');
      await ok('/stimulus-grants', { applicationId: 'st-oslo', countyId: 'telemark', year: 2014, purpose: 'development', centreId: 'kc-tm', amountAsked: '700000.00', description: 'Utvikling', appliedOn: '2014-02-10' }, fo);
      await ok('/stimulus-grants/st-oslo/award', { amount: '1000.00' }, vox);
      const day = addDays(todayInNorway(), 1);
      fakeDateOnly(osloMidnight(day) + 60_000);
      try {
        const a = await t.auth('admin', [], 'rv-oslo-admin');
        const v = await t.auth('vox', [], 'rv-oslo-vox');
        expect(new Date().toISOString().slice(0, 10)).not.toBe(day); // UTC is still the day before
        expect((await post('/parties/rv-oslo/rename', { name: 'Oslo B' }, a)).status).toBe(200);
        expect(((await t.store.readStream('party-rv-oslo')).slice(-1)[0].data as any).effectiveFrom).toBe(day);
        expect((await post('/stimulus-grants/st-oslo/decision-correction', { outcome: 'awarded', amount: '900.00', correctionReason: 'r' }, v)).status).toBe(200);
        const one = (await t.http().get('/stimulus-grants/st-oslo').set(a)).body;
        expect([one.corrections[0].correctedOn, one.decision.decidedOn]).toEqual([day, day]);
        const p = (await t.http().get('/parties/rv-oslo').set(a)).body;
        expect([p.name, p.upcomingRename]).toEqual(['Oslo B', null]);
      } finally {
        jest.useRealTimers();
      }
    });
  });

  // ------------------------------------------------------------------ ledger import's dry run

  describe("ledger import's dry run", () => {
    it('a file that withdraws a premises record entered with the wrong date and then closes the centre passes; without the withdrawal the close is refused', async () => {
      await centre('imp-cl');
      await ok('/centres/imp-cl/co-locations', { from: '2012-01-01', premises: 'A', sharedWith: [] });
      await ok('/centres/imp-cl/co-locations', { from: '2016-01-01', premises: 'B', sharedWith: [] });
      const lines = [
        { command: 'CorrectCoLocation', payload: { centreId: 'imp-cl', from: '2012-01-01', premises: 'A2', sharedWith: [], reason: 'skrivefeil' } },
        { command: 'WithdrawCoLocation', payload: { centreId: 'imp-cl', from: '2016-01-01', reason: 'feil dato' } },
        { command: 'CloseCentre', payload: { centreId: 'imp-cl', closedOn: '2015-06-30', reason: 'nedlagt' } },
      ];
      const registry = t.app.get(CommandRegistry);
      const actor = { id: 'fo-telemark', name: 'FO', roles: ['finance-officer' as const], counties: ['telemark'], actingRole: 'finance-officer' as const };
      const parsed = await parseImportFile(lines.map((l) => JSON.stringify(l)).join('\n'), registry);
      expect(parsed.problems).toEqual([]);
      const without = await parseImportFile([lines[0], lines[2]].map((l) => JSON.stringify(l)).join('\n'), registry);
      const before = await head();
      for (const engine of [t.app.get(ProjectionEngine), null]) {
        expect(await dryRunImport(t.store, registry, parsed.lines, actor, engine)).toEqual([]);
        expect((await dryRunImport(t.store, registry, without.lines, actor, engine)).map((p) => [p.line, p.code])).toEqual([[2, 'CENTRE.CLOSE_BEFORE_ACTIVITY']]);
      }
      expect(await head()).toBe(before);
    });

    it('a rename from a date and a decision correction are importable lines', async () => {
      await party('imp-party', 'Imp A');
      await ok('/stimulus-grants', { applicationId: 'imp-st', countyId: 'telemark', year: 2014, purpose: 'development', centreId: 'kc-tm', amountAsked: '700000.00', description: 'Utvikling', appliedOn: '2014-02-10' }, fo);
      await ok('/stimulus-grants/imp-st/award', { amount: '1000.00' }, vox);
      const registry = t.app.get(CommandRegistry);
      const rename = await parseImportFile(JSON.stringify({ command: 'RenameParty', payload: { partyId: 'imp-party', name: 'Imp B', effectiveFrom: '2019-01-01' } }), registry);
      expect(rename.problems).toEqual([]);
      expect(await dryRunImport(t.store, registry, rename.lines, { id: 'a', name: 'A', roles: ['admin'], counties: [], actingRole: 'admin' } as any, null)).toEqual([]);
      const corr = await parseImportFile(JSON.stringify({ command: 'CorrectStimulusGrantDecision', payload: { applicationId: 'imp-st', outcome: 'rejected', reason: 'nei', correctionReason: 'omgjort' } }), registry);
      expect(corr.problems).toEqual([]);
      expect(await dryRunImport(t.store, registry, corr.lines, { id: 'v', name: 'V', roles: ['vox'], counties: [], actingRole: 'vox' } as any, null)).toEqual([]);
    });
  });

  // ------------------------------------------------------------------ LEDGER_TRUST_PROXY

  describe('LEDGER_TRUST_PROXY', () => {
    it('refuses a list that trusts every address ("no trust all"): 0.0.0.0/0 or ::/0 would let any client choose its own budget', () => {
      for (const value of ['0.0.0.0/0', '::/0', '10.0.0.1,0.0.0.0/0']) {
        expect(() => loadConfig({ LEDGER_STORE: 'memory', LEDGER_JWT_SECRET: 'x'.repeat(32), LEDGER_TRUST_PROXY: value } as NodeJS.ProcessEnv)).toThrow(/LEDGER_TRUST_PROXY/);
      }
    });

    it('a bad value stops start-up with one line naming the setting; a good one is kept', () => {
      for (const value of ['true', '*', 'loopback,', '10.0.0.1/33', 'localhost']) {
        expect(() => loadConfig({ LEDGER_STORE: 'memory', LEDGER_JWT_SECRET: 'x'.repeat(32), LEDGER_TRUST_PROXY: value } as NodeJS.ProcessEnv)).toThrow(/LEDGER_TRUST_PROXY/);
      }
      expect(loadConfig({ LEDGER_STORE: 'memory', LEDGER_JWT_SECRET: 'x'.repeat(32), LEDGER_TRUST_PROXY: ' loopback , 10.1.0.0/16 ' } as NodeJS.ProcessEnv).trustProxy).toEqual(['loopback', '10.1.0.0/16']);
    });
  });
});

// ------------------------------------------------------------------ views restored from a checkpoint (SQLite)

describe("today's features, reviewed: the same answers after a restart from the views' checkpoint (SQLite)", () => {
  let dir: string;
  let path: string;
  let t: TestApp;
  /** Instants between the writes, for asOf answers before and after each feature's event. */
  const cuts: Record<string, string> = {};
  const start = () => startTestApp({ store: new SqliteEventStore({ path }) });
  const answersOf = async (app: TestApp) => {
    const auditor = await app.auth('auditor', [], 'ck-auditor');
    const urls = [
      '/parties/ck-nav',
      '/parties?countyId=telemark',
      '/centres/kc-tm/funding-mix/2013',
      '/centres/kc-tm/funding-mix/2021',
      '/counties/telemark/funding-mix/2013',
      '/reports/funding-mix/2013/csv?county=telemark',
      '/counties/telemark/partnership?date=2014-06-01',
      '/centres/kc-tm/co-locations',
      '/centres/kc-tm/nav-link?date=2013-06-01',
      '/centres/kc-tm/governance?date=2013-06-01',
      '/stimulus-grants/ck-stim',
      '/stimulus-grants?countyId=telemark',
      '/grant-schemes/2014/eligibility/telemark',
      '/counties/nordland/funding-mix/2014',
      ...Object.values(cuts).flatMap((cut) => {
        const q = `asOf=${encodeURIComponent(cut)}`;
        return [`/parties/ck-nav?${q}`, `/centres/kc-tm/funding-mix/2013?${q}`, `/centres/kc-tm/co-locations?${q}`, `/centres/kc-tm/nav-link?date=2013-06-01&${q}`, `/stimulus-grants/ck-stim?${q}`, `/counties/nordland/funding-mix/2014?${q}`];
      }),
    ];
    const out: Record<string, unknown> = {};
    for (const url of urls) {
      const res = await app.http().get(url).set(auditor);
      out[url] = [res.status, res.type.includes('json') ? res.body : res.text];
    }
    return out;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'todays-features-'));
    path = join(dir, 'ledger.sqlite');
    t = await start();
    await seedCounties(t);
    const admin = await t.auth('admin', [], 'ck-admin');
    const vox = await t.auth('vox', [], 'ck-vox');
    const fo = await t.auth('finance-officer', ['telemark'], 'ck-fo');
    const must = async (url: string, body: object, auth = admin) => {
      const res = await t.http().post(url).set(auth).send(body);
      if (res.status !== 200 && res.status !== 201) throw new Error(`POST ${url} answered ${res.status}: ${JSON.stringify(res.body)}`);
      await new Promise((r) => setTimeout(r, 3));
      if (res.body.recordedAt) cuts[`after ${url} ${Object.keys(cuts).length}`] = res.body.recordedAt;
    };
    await recordCounty(t, 'telemark', 'Telemark', [{ centreId: 'kc-tm', name: 'Karrieresenter Telemark', municipality: 'Skien' }]);
    await must('/grant-schemes', { year: 2014, baseGrant: '26600000.00', criteriaSetId: 'criteria-2014', judgingDate: '2014-03-01' }, vox);
    await must('/parties', { partyId: 'ck-nav', name: 'NAV Før', kind: 'nav-local-office', countyId: 'telemark' });
    for (const y of [2013, 2021]) await must('/centres/kc-tm/funding/operating-grants', { entryId: `ck-${y}`, partyId: 'ck-nav', amount: '1000.00', fiscalYear: y, decidedOn: `${y}-01-10`, reference: null });
    await must('/parties/ck-nav/rename', { name: 'NAV Etter', effectiveFrom: '2020-01-01' });
    await must('/parties/ck-nav/rename', { name: 'NAV Mellom', effectiveFrom: '2018-01-01' });
    await must('/parties/nav-telemark/rename', { name: 'NAV Vestfold og Telemark', effectiveFrom: '2020-01-01' });
    await must('/parties/ck-nav/rename', { name: 'NAV Fremtid', effectiveFrom: addDays(todayInNorway(), 30) });
    await must('/centres/kc-tm/co-locations', { from: '2012-08-01', premises: 'Rådhuset', sharedWith: [] });
    await must('/centres/kc-tm/co-locations/2012-08-01/correction', { premises: 'NAV-huset', sharedWith: [{ kind: 'nav-local-office', partyId: 'ck-nav', name: null }], reason: 'NAV manglet' });
    await must('/centres/kc-tm/co-locations', { from: '2015-01-01', premises: 'Feil', sharedWith: [] });
    await must('/centres/kc-tm/co-locations/2015-01-01/withdrawal', { reason: 'Feil dato' });
    await must('/stimulus-grants', { applicationId: 'ck-stim', countyId: 'telemark', year: 2014, purpose: 'development', centreId: 'kc-tm', amountAsked: '700000.00', description: 'Utvikling', appliedOn: '2014-02-10' }, fo);
    await must('/stimulus-grants/ck-stim/award', { amount: '500000.00', note: 'Første' }, vox);
    await must('/stimulus-grants/ck-stim/decision-correction', { outcome: 'rejected', reason: 'Feil', correctionReason: 'omgjort' }, vox);
    await must('/parties', { partyId: 'ck-nl-fk', name: 'Nordland fylkeskommune', kind: 'county-authority', countyId: 'nordland' });
    for (const id of ['ck-nl-a', 'ck-nl-b']) await must('/centres', { centreId: id, countyId: 'nordland', name: `KC ${id}`, municipality: 'Bodø', openedOn: '2010-01-01' });
    const budget = (decisionId: string, centreIds: string[], amount: string, decidedOn: string) =>
      must('/counties/nordland/county-line-decisions', { decisionId, kind: 'budget', year: 2014, centreIds, decidedOn, title: decisionId, content: { lines: [{ partyId: 'ck-nl-fk', moneyKind: 'operating-grant', amount }] } });
    await budget('ck-joint', ['ck-nl-a', 'ck-nl-b'], '1000000.00', '2013-12-01');
    await budget('ck-a-own', ['ck-nl-a'], '400000.00', '2014-02-01');
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('every answer touched by the day\'s features is the same after close and a new app on the same file', async () => {
    const before = await answersOf(t);
    // sanity: what was written is what is answered
    expect((before['/parties/ck-nav'] as any)[1]).toMatchObject({ name: 'NAV Etter', upcomingRename: { name: 'NAV Fremtid' } });
    expect(JSON.stringify((before['/centres/kc-tm/funding-mix/2013'] as any)[1])).toContain('NAV Før');
    expect(((before['/stimulus-grants/ck-stim'] as any)[1] as any).corrections).toHaveLength(1);
    expect(((before['/counties/nordland/funding-mix/2014'] as any)[1] as any).budget.overlaps).toHaveLength(1);
    await t.close();
    t = await start();
    const after = await answersOf(t);
    expect(after).toEqual(before);
    // and the restored views keep folding: a further rename and a correction after the restart
    const admin = await t.auth('admin', [], 'ck-admin');
    expect((await t.http().post('/parties/ck-nav/rename').set(admin).send({ name: 'NAV Tidlig', effectiveFrom: '2010-01-01' })).status).toBe(200);
    const auditor = await t.auth('auditor', [], 'ck-auditor');
    const p = (await t.http().get('/parties/ck-nav').set(auditor)).body;
    expect(p.names.map((n: any) => n.name)).toEqual(['NAV Før', 'NAV Tidlig', 'NAV Mellom', 'NAV Etter', 'NAV Fremtid']);
    const mix2013 = (await t.http().get('/centres/kc-tm/funding-mix/2013').set(auditor)).body;
    expect(mix2013.byParty.find((x: any) => x.partyId === 'ck-nav').partyName).toBe('NAV Tidlig');
  });
});
