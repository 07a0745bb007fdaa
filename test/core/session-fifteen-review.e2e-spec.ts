/**
 * Adversarial review of the session's changes (git log aecea44^..HEAD), through HTTP where possible:
 * BOARD.TABLED_IN_FUTURE at Norway's midnight, PROPOSAL.PARTY_OF_OTHER_COUNTY on boards and the county
 * line, BOARD.FORMER_MEMBER's endedOn, the user-survey criterion from a centre's opening day,
 * /audit/events from/to refusals, STREAM.NOT_FOUND, ACCESS.ROLE_NOT_ALLOWED's allowed roles, a
 * malformed asOf repeated, the year's details.field, and the centre/party name rules after the
 * centresAlike rewrite and the partyNameKey memo.
 *
 * Expected values are computed here from the inputs and README rules, never read back from the ledger.
 */
import { addDays, osloDateOf } from '../../libs/domain/src/shared';
import { partyNameKey } from '../../libs/domain/src/parties/party';
import { fakeDateOnly, osloMidnight } from '../helpers/fake-date';
import { startTestApp, TestApp } from '../helpers/test-app';

type Auth = { Authorization: string };
type Res = { status: number; body: any };

describe('session fifteen review (HTTP)', () => {
  let t: TestApp;
  let foOs: Auth; // Østfold finance officer
  let foTel: Auth; // Telemark finance officer
  let foVa: Auth; // Vest-Agder finance officer
  let admin: Auth;
  let auditor: Auth;
  let vox: Auth;

  const send = (auth: Auth, url: string, body: object): Promise<Res> => t.http().post(url).set(auth).send(body) as any;
  const ok = async (auth: Auth, url: string, body: object): Promise<any> => {
    const res = await send(auth, url, body);
    if (res.status >= 300) throw new Error(`POST ${url} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const get = (url: string, auth: Auth = auditor): Promise<Res> => t.http().get(url).set(auth) as any;
  const head = () => t.store.headPosition();
  /** A refusal that records nothing. */
  const refused = async (auth: Auth, url: string, body: object, status: number, code: string): Promise<any> => {
    const before = await head();
    const res = await send(auth, url, body);
    expect([url, res.status, res.body?.code]).toEqual([url, status, code]);
    expect(await head()).toBe(before);
    return res.body;
  };
  const member = (personId: string) => t.auth('board-member', [], personId);
  const centre = (auth: Auth, centreId: string, countyId: string, name: string, openedOn = '2005-01-01') =>
    send(auth, '/centres', { centreId, countyId, name, municipality: 'Kommune', openedOn });
  const okCentre = async (auth: Auth, centreId: string, countyId: string, name: string, openedOn = '2005-01-01') => {
    const res = await centre(auth, centreId, countyId, name, openedOn);
    if (res.status !== 201) throw new Error(`centre ${centreId}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };

  beforeAll(async () => {
    t = await startTestApp({ seed: true });
    foOs = await t.auth('finance-officer', ['ostfold'], 's15-fo-ostfold');
    foTel = await t.auth('finance-officer', ['telemark'], 's15-fo-telemark');
    foVa = await t.auth('finance-officer', ['vest-agder'], 's15-fo-vest-agder');
    admin = await t.auth('admin', [], 's15-admin');
    auditor = await t.auth('auditor', [], 's15-auditor');
    vox = await t.auth('vox', [], 's15-vox');
    await ok(foOs, '/parties', { partyId: 's15-os-fk', name: 'Østfold fylkeskommune', kind: 'county-authority', countyId: 'ostfold' });
    await ok(foOs, '/parties', { partyId: 's15-nav-os', name: 'NAV Østfold', kind: 'nav-county-office', countyId: 'ostfold' });
    await ok(foTel, '/parties', { partyId: 's15-nav-tel', name: 'NAV Telemark', kind: 'nav-county-office', countyId: 'telemark' });
    await ok(foVa, '/parties', { partyId: 's15-va-fk', name: 'Vest-Agder fylkeskommune', kind: 'county-authority', countyId: 'vest-agder' });
    await ok(admin, '/parties', { partyId: 's15-vox', name: 'Vox', kind: 'vox', countyId: null });
    // The board: Østfold's, one centre, a chair and a member whose two terms have both ended.
    await okCentre(foOs, 's15-c-board', 'ostfold', 'Karriere S15 Styre');
    await ok(foOs, '/boards', { boardId: 's15-b', countyId: 'ostfold', centreIds: ['s15-c-board'], name: 'Styret S15', establishedOn: '2009-01-01' });
    await ok(foOs, '/boards/s15-b/members', { personId: 's15-chair', name: 'Leder', partyId: 's15-os-fk', role: 'chair', term: { from: '2009-01-01' } });
    // Recorded out of date order: the later term first, so "the last recorded" and "the latest" differ.
    await ok(foOs, '/boards/s15-b/members', { personId: 's15-gone', name: 'Tidligere', partyId: 's15-nav-os', role: 'member', term: { from: '2012-01-01', to: '2012-06-30' } });
    await ok(foOs, '/boards/s15-b/members', { personId: 's15-gone', name: 'Tidligere', partyId: 's15-nav-os', role: 'member', term: { from: '2010-01-01', to: '2010-12-31' } });
    // The county line: a Vest-Agder centre.
    await okCentre(foVa, 's15-c-va', 'vest-agder', 'Karriere S15 Vest-Agder');
  });
  afterAll(() => t?.close());

  const table = async (proposalId: string, body: object, by: Auth | string = 's15-chair'): Promise<Res> =>
    send(typeof by === 'string' ? await member(by) : by, '/boards/s15-b/proposals', { proposalId, year: 2014, title: `Sak ${proposalId}`, ...body });
  const budget = (lines: { partyId: string; moneyKind?: string; amount?: string }[], extra: object = {}) => ({
    kind: 'budget',
    content: { lines: lines.map((l) => ({ moneyKind: 'operating-grant', amount: '100000.00', ...l })), ...extra },
    tabledOn: '2014-02-01',
  });

  // =====================================================================================================
  // BOARD.TABLED_IN_FUTURE: today is Norway's date
  // =====================================================================================================

  describe("a proposal tabled after today (Norway's date)", () => {
    afterEach(() => jest.useRealTimers());

    it('at 23:00/22:00 UTC the day before, tomorrow (Oslo) is refused with details.today the Oslo date; one second after Oslo midnight the same day is recorded and the next is refused', async () => {
      const realToday = osloDateOf(new Date().toISOString());
      const d = addDays(realToday, 1);
      const midnight = osloMidnight(d);
      fakeDateOnly(midnight - 10_000);
      // Still the day before in Oslo (and in UTC).
      const before = await refused(await member('s15-chair'), '/boards/s15-b/proposals', { proposalId: 's15-fut-1', kind: 'goals', year: 2014, title: 'Fremtid', content: { goals: ['Mål'] }, tabledOn: d }, 422, 'BOARD.TABLED_IN_FUTURE');
      expect(before.details).toMatchObject({ tabledOn: d, today: realToday });
      expect(before.message).toContain(d);
      // An admin is held to it too.
      await refused(admin, '/boards/s15-b/proposals', { proposalId: 's15-fut-2', kind: 'goals', year: 2014, title: 'Fremtid', content: { goals: ['Mål'] }, tabledOn: d }, 422, 'BOARD.TABLED_IN_FUTURE');

      jest.setSystemTime(midnight + 1_000);
      // UTC is still the day before (22:00/23:00 + 1 s); Oslo is on d.
      expect(new Date().toISOString().slice(0, 10)).toBe(realToday);
      const okRes = await table('s15-fut-1', { kind: 'goals', content: { goals: ['Mål'] }, tabledOn: d });
      expect([okRes.status, okRes.body.code]).toEqual([201, undefined]);
      const after = await refused(await member('s15-chair'), '/boards/s15-b/proposals', { proposalId: 's15-fut-3', kind: 'goals', year: 2014, title: 'Fremtid', content: { goals: ['Mål'] }, tabledOn: addDays(d, 1) }, 422, 'BOARD.TABLED_IN_FUTURE');
      expect(after.details).toMatchObject({ tabledOn: addDays(d, 1), today: d });
      // Left out, tabledOn is today in Norway (d), not the UTC date.
      const dflt = await table('s15-fut-4', { kind: 'goals', content: { goals: ['Mål'] } });
      expect(dflt.status).toBe(201);
      const p = await get('/boards/s15-b/proposals/s15-fut-4');
      expect(p.body.tabledOn).toBe(d);
    });
  });

  // =====================================================================================================
  // PROPOSAL.PARTY_OF_OTHER_COUNTY
  // =====================================================================================================

  describe('a budget line naming a party of another county', () => {
    it("a board's budget naming Telemark's NAV office is 422 with partyId, partyCountyId and countyId; nothing recorded", async () => {
      const body = await refused(await member('s15-chair'), '/boards/s15-b/proposals', { proposalId: 's15-bud-x', year: 2014, title: 'Budsjett', ...budget([{ partyId: 's15-os-fk' }, { partyId: 's15-nav-tel', moneyKind: 'earmarked' }]) }, 422, 'PROPOSAL.PARTY_OF_OTHER_COUNTY');
      expect(body.details).toMatchObject({ partyId: 's15-nav-tel', partyCountyId: 'telemark', countyId: 'ostfold' });
      expect(body.message).toContain('s15-nav-tel');
      expect(body.message).toContain('telemark');
      expect((await get('/boards/s15-b/proposals/s15-bud-x')).status).toBe(404);
    });

    it("a board's budget naming its own county's parties and a national party (no county) is recorded", async () => {
      const res = await table('s15-bud-ok', budget([{ partyId: 's15-os-fk' }, { partyId: 's15-nav-os', moneyKind: 'earmarked' }, { partyId: 's15-vox', moneyKind: 'other-income' }]));
      expect([res.status, res.body.code]).toEqual([201, undefined]);
    });

    it('a party of another county, renamed since, is still of that county: refused, the message naming the id; an own party renamed is still allowed', async () => {
      await ok(foTel, '/parties/s15-nav-tel/rename', { name: 'NAV Vestfold og Telemark', effectiveFrom: '2020-01-01' });
      await ok(foOs, '/parties/s15-nav-os/rename', { name: 'NAV Øst-Viken', effectiveFrom: '2020-01-01' });
      const body = await refused(await member('s15-chair'), '/boards/s15-b/proposals', { proposalId: 's15-bud-r', year: 2014, title: 'Budsjett', ...budget([{ partyId: 's15-nav-tel' }]) }, 422, 'PROPOSAL.PARTY_OF_OTHER_COUNTY');
      expect(body.details).toMatchObject({ partyId: 's15-nav-tel', partyCountyId: 'telemark', countyId: 'ostfold' });
      const res = await table('s15-bud-r2', budget([{ partyId: 's15-nav-os' }]));
      expect(res.status).toBe(201);
    });

    it('an unregistered party in a budget line is still 404 PARTY.NOT_FOUND, not the county rule', async () => {
      await refused(await member('s15-chair'), '/boards/s15-b/proposals', { proposalId: 's15-bud-nf', year: 2014, title: 'Budsjett', ...budget([{ partyId: 's15-nobody' }]) }, 404, 'PARTY.NOT_FOUND');
    });

    it("a county-line budget naming another county's party is 422 (countyId the deciding county); its own and national parties are recorded", async () => {
      const base = { centreIds: ['s15-c-va'], kind: 'budget', year: 2014, title: 'Budsjett', decidedOn: '2014-01-10' };
      const body = await refused(foVa, '/counties/vest-agder/county-line-decisions', { ...base, decisionId: 's15-cl-x', content: { lines: [{ partyId: 's15-os-fk', moneyKind: 'operating-grant', amount: '5000.00' }] } }, 422, 'PROPOSAL.PARTY_OF_OTHER_COUNTY');
      expect(body.details).toMatchObject({ partyId: 's15-os-fk', partyCountyId: 'ostfold', countyId: 'vest-agder' });
      const res = await send(foVa, '/counties/vest-agder/county-line-decisions', { ...base, decisionId: 's15-cl-ok', content: { lines: [{ partyId: 's15-va-fk', moneyKind: 'operating-grant', amount: '5000.00' }, { partyId: 's15-vox', moneyKind: 'earmarked', amount: '100.00' }] } });
      expect([res.status, res.body.code]).toEqual([201, undefined]);
    });

    it('a plan (and a budget) whose formal input comes from another county\'s party is refused as its budget lines are (session sixteen: formal input is a NAV-link ground too)', async () => {
      const plan = await table('s15-plan-in', { kind: 'action-plan', content: { goals: ['Samarbeid over fylkesgrensen'], inputFromPartyIds: ['s15-nav-tel'] }, tabledOn: '2014-02-01' });
      expect([plan.status, plan.body.code, plan.body.details?.field]).toEqual([422, 'PROPOSAL.PARTY_OF_OTHER_COUNTY', 'inputFromPartyIds']);
      const bud = await table('s15-bud-in', budget([{ partyId: 's15-os-fk' }], { inputFromPartyIds: ['s15-nav-tel'] }));
      expect([bud.status, bud.body.code]).toEqual([422, 'PROPOSAL.PARTY_OF_OTHER_COUNTY']);
    });
  });

  // =====================================================================================================
  // BOARD.FORMER_MEMBER details.endedOn
  // =====================================================================================================

  it('a former member acting is told when the latest of their ended terms ended (not the one recorded last)', async () => {
    const body = await refused(await member('s15-gone'), '/boards/s15-b/proposals', { proposalId: 's15-fm', kind: 'goals', year: 2014, title: 'Mål', content: { goals: ['Mål'] }, tabledOn: '2014-02-01' }, 403, 'BOARD.FORMER_MEMBER');
    expect(body.details).toMatchObject({ personId: 's15-gone', endedOn: '2012-06-30' });
    expect(body.message).toContain('2012-06-30');
    // Between the two terms: the one that had ended by then.
    const between = await refused(await member('s15-gone'), '/boards/s15-b/proposals', { proposalId: 's15-fm2', kind: 'goals', year: 2011, title: 'Mål', content: { goals: ['Mål'] }, tabledOn: '2011-05-01' }, 403, 'BOARD.FORMER_MEMBER');
    expect(between.details).toMatchObject({ endedOn: '2010-12-31' });
  });

  // =====================================================================================================
  // ACCESS.ROLE_NOT_ALLOWED
  // =====================================================================================================

  describe('403 ACCESS.ROLE_NOT_ALLOWED names who may', () => {
    it('a route refusal names the roles that may, in the message and details.allowed', async () => {
      const body = await refused(auditor, '/centres', { centreId: 's15-c-aud', countyId: 'ostfold', name: 'X', municipality: 'Y', openedOn: '2010-01-01' }, 403, 'ACCESS.ROLE_NOT_ALLOWED');
      expect([...body.details.allowed].sort()).toEqual(['admin', 'finance-officer']);
      expect(body.message).toContain('auditor');
      for (const r of ['finance-officer', 'admin']) expect(body.message).toContain(r);
    });

    it('a token with no role is told it carries none (401 at verification, not an empty role list)', async () => {
      const token = await t.tokens.issue({ sub: 's15-norole', name: 'Ingen', roles: [], counties: [] } as never, 3600);
      const res = await t.http().post('/centres').set({ Authorization: `Bearer ${token}` }).send({ centreId: 's15-c-nr', countyId: 'ostfold', name: 'X', municipality: 'Y', openedOn: '2010-01-01' });
      // Refused when the token is verified (no known role: 401), before any route's roles are weighed; it says why.
      expect([res.status, res.body.code]).toEqual([401, 'AUTH.TOKEN_INVALID']);
      expect(res.body.message).toMatch(/no known role/);
      expect(res.body.message).not.toMatch(/\(\)/);
    });

    it("a finance officer renaming a national party: 403 with details.allowed ['admin']", async () => {
      const body = await refused(foOs, '/parties/s15-vox/rename', { name: 'Kompetanse Norge', effectiveFrom: '2017-01-01' }, 403, 'ACCESS.ROLE_NOT_ALLOWED');
      expect(body.details.allowed).toEqual(['admin']);
    });
  });

  // =====================================================================================================
  // asOf, from and to: the value repeated, the parameter named
  // =====================================================================================================

  describe('malformed cuts', () => {
    it('a malformed asOf repeats the value, quoted; given twice says so', async () => {
      const one = await get('/centres?asOf=2014-13-01');
      expect([one.status, one.body.code]).toEqual([400, 'REQUEST.BAD_AS_OF']);
      expect(one.body.message).toContain('"2014-13-01"');
      const two = await get('/centres?asOf=2014-01-01&asOf=2014-01-02');
      expect([two.status, two.body.code]).toEqual([400, 'REQUEST.BAD_AS_OF']);
      expect(two.body.message).toMatch(/more than once/);
    });

    it.each([
      ['from', 'nonsense', /from 00:00 that day in Norway/],
      ['from', '2014-02-30', /from 00:00 that day in Norway/],
      ['from', '1970-13-01', /from 00:00 that day in Norway/],
      ['to', '1970-13-01', /end of that day in Norway/],
      ['to', '2014-05-09T24:00Z', /end of that day in Norway/],
    ])('/audit/events %s=%s is 400 REQUEST.BAD_AS_OF naming the parameter, its meaning and the value', async (param, value, meaning) => {
      const res = await get(`/audit/events?${param}=${encodeURIComponent(value)}`);
      expect([res.status, res.body.code]).toEqual([400, 'REQUEST.BAD_AS_OF']);
      expect(res.body.details).toMatchObject({ parameter: param, [param]: value });
      expect(res.body.message.startsWith(`${param} `)).toBe(true);
      expect(res.body.message).toMatch(meaning);
      expect(res.body.message).toContain(JSON.stringify(value));
      expect(res.body.message).not.toMatch(/\basOf\b/);
    });

    it('/audit/events from before 1970 names from; from twice says so', async () => {
      const early = await get('/audit/events?from=0014-05-09');
      expect([early.status, early.body.code, early.body.details.parameter]).toEqual([400, 'REQUEST.BAD_AS_OF', 'from']);
      expect(early.body.message).toMatch(/^from names a recorded time, which is never before 1970/);
      const twice = await get('/audit/events?to=2014-01-01&to=2014-01-02');
      expect([twice.status, twice.body.code, twice.body.details.parameter]).toEqual([400, 'REQUEST.BAD_AS_OF', 'to']);
      expect(twice.body.message).toMatch(/more than once/);
    });

    it('/audit/events?actor= takes a subject as recorded (auth0|…), finding exactly its events; a control character is refused', async () => {
      const sub = 'auth0|5f7c s15 æøå';
      const who = await t.auth('finance-officer', ['ostfold'], sub);
      const rec = await ok(who, '/parties', { partyId: 's15-p-actor', name: 'Aktør AS', kind: 'other', countyId: 'ostfold' });
      const res = await get(`/audit/events?actor=${encodeURIComponent(sub)}`);
      expect(res.status).toBe(200);
      expect(res.body.events.map((e: any) => e.eventId)).toEqual(rec.eventIds);
      const bad = await get(`/audit/events?actor=${encodeURIComponent('a\u0007b')}`);
      expect(bad.status).toBe(400);
    });

    it('a well-formed from/to still answers (a bare date is the Norwegian day)', async () => {
      const res = await get('/audit/events?from=2014-01-01&to=2099-12-31&limit=1');
      expect(res.status).toBe(200);
    });
  });

  // =====================================================================================================
  // STREAM.NOT_FOUND
  // =====================================================================================================

  it('a stream page: 404 for a stream that does not exist whatever fromRevision, or did not yet as of the cut; an empty page past the end of one that does', async () => {
    for (const from of [0, 1, 7]) {
      const res = await get(`/audit/streams/s15-no-such-stream?fromRevision=${from}`);
      expect([from, res.status, res.body.code]).toEqual([from, 404, 'STREAM.NOT_FOUND']);
    }
    const past = await get('/audit/streams/centre-s15-c-board?fromRevision=50');
    expect(past.status).toBe(200);
    expect(past.body.events).toEqual([]);
    // Registered now: as of 2014 the stream did not exist yet.
    await okCentre(foOs, 's15-c-late', 'ostfold', 'Karriere S15 Sen');
    await ok(foOs, '/centres/s15-c-late/rename', { name: 'Karriere S15 Senere', effectiveFrom: '2015-01-01' });
    for (const from of [0, 1]) {
      const res = await get(`/audit/streams/centre-s15-c-late?fromRevision=${from}&asOf=2014-01-01`);
      expect([from, res.status, res.body.code]).toEqual([from, 404, 'STREAM.NOT_FOUND']);
    }
    const now = await get('/audit/streams/centre-s15-c-late?fromRevision=1');
    expect([now.status, now.body.events.length]).toEqual([200, 1]);
  });

  // =====================================================================================================
  // details.field for years
  // =====================================================================================================

  it.each(['/reports/key-figures/1989/csv', '/key-figures/1989', '/reports/funding-mix/2101/csv', '/reports/2101/xlsx'])('%s: FISCAL_YEAR.OUT_OF_RANGE with details.field year and one message form', async (url) => {
    const res = await get(url);
    expect([res.status, res.body.code]).toEqual([400, 'FISCAL_YEAR.OUT_OF_RANGE']);
    const y = url.match(/\d{4}/)![0];
    expect(res.body.details).toMatchObject({ field: 'year', year: y });
    expect(res.body.message).toBe(`The year must be a four-digit year from 1990 to 2100, not "${y}".`);
  });

  it('money with a fiscal year out of range names details.field fiscalYear', async () => {
    const res = await send(foOs, '/centres/s15-c-board/funding/operating-grants', { entryId: 's15-fy', fiscalYear: 1989, partyId: 's15-os-fk', amount: '1.00', decidedOn: '2014-01-15', reference: null });
    expect([res.status, res.body.code]).toEqual([400, 'FISCAL_YEAR.OUT_OF_RANGE']);
    expect(res.body.details.field).toBe('fiscalYear');
  });

  // =====================================================================================================
  // The user-survey criterion from the opening day
  // =====================================================================================================

  describe('user survey (3c-i) of a centre opened during the window', () => {
    // Scheme 2015: the survey window is all of 2014 (README default), judged on J.
    const J = '2015-03-01';
    const W = { from: '2014-01-01', to: '2014-12-31' };
    const refs: Record<string, string[]> = {};
    const find = (node: any, id: string): any => {
      if (node === null || typeof node !== 'object') return undefined;
      if (node.id === id && 'passed' in node) return node;
      for (const v of Object.values(node)) {
        const hit = find(v, id);
        if (hit) return hit;
      }
      return undefined;
    };
    const surveyOf = async (centreId: string) => {
      const res = await get('/grant-schemes/2015/eligibility/telemark');
      expect(res.status).toBe(200);
      const c = res.body.centres.find((x: any) => x.centreId === centreId);
      expect(c).toBeDefined();
      const s = find(c, '3c-i');
      expect(s).toBeDefined();
      return s;
    };
    const CENTRES: [id: string, name: string, openedOn: string, periods: [string, string][]][] = [
      ['s15-sv-first', 'Karriere Første', '2014-01-01', [['2014-01-01', '2014-12-31']]],
      ['s15-sv-last', 'Karriere Siste', '2014-12-31', [['2014-12-31', '2014-12-31']]],
      ['s15-sv-after', 'Karriere Etter', '2015-01-10', [['2015-01-10', '2015-02-01']]],
      ['s15-sv-mid', 'Karriere Midt', '2014-06-01', [['2014-06-01', '2014-09-30'], ['2014-10-01', '2014-12-31']]],
      ['s15-sv-gap', 'Karriere Hull', '2014-06-01', [['2014-06-01', '2014-09-30']]],
      ['s15-sv-none', 'Karriere Ingen', '2014-06-01', []],
    ];

    beforeAll(async () => {
      for (const [id, name, openedOn, periods] of CENTRES) {
        await okCentre(foTel, id, 'telemark', name, openedOn);
        refs[id] = [];
        for (const [i, [from, to]] of periods.entries()) {
          const r = await ok(foTel, `/centres/${id}/grant-evidence/user-survey-participations`, { participationId: `${id}-p${i}`, period: { from, to } });
          refs[id].push(r.eventIds[0]);
        }
      }
      // A centre closed during the window is closed on J: not judged (README: centres open on J).
      await okCentre(foTel, 's15-sv-closed', 'telemark', 'Karriere Stengt', '2010-01-01');
      await ok(foTel, '/centres/s15-sv-closed/close', { closedOn: '2014-07-01', reason: 'Slått sammen' });
      await ok(vox, '/grant-schemes', { year: 2015, baseGrant: '1000000.00', criteriaSetId: 'criteria-2014', judgingDate: J });
    });

    it('opened on the first day: the whole window, no opening note', async () => {
      const s = await surveyOf('s15-sv-first');
      expect(s.passed).toBe(true);
      expect(s.reason.en).toBe(`Karriere Første took part in the user survey throughout ${W.from} – ${W.to}.`);
      expect(s.reason.nb).toBe(`Karriere Første deltok i brukerundersøkelsen i hele perioden ${W.from}–${W.to}.`);
      expect(s.evidence.map((e: any) => e.eventId)).toEqual(refs['s15-sv-first']);
    });

    it('opened on the last day: judged on that day alone, the reason says from its opening', async () => {
      const s = await surveyOf('s15-sv-last');
      expect(s.passed).toBe(true);
      expect(s.reason.en).toBe('Karriere Siste took part in the user survey throughout 2014-12-31 – 2014-12-31 (from its opening on 2014-12-31).');
      expect(s.reason.nb).toBe('Karriere Siste deltok i brukerundersøkelsen i hele perioden 2014-12-31–2014-12-31 (fra åpningsdagen 2014-12-31).');
      expect(s.evidence.map((e: any) => e.eventId)).toEqual(refs['s15-sv-last']);
      // The criterion's window, given once for every centre, is still the scheme's.
      const all = await get('/grant-schemes/2015/eligibility/telemark');
      const def = (node: any): any => (node === null || typeof node !== 'object' ? undefined : node.id === '3c-i' ? node : Object.values(node).map(def).find((x) => x));
      expect(def(all.body.centreCriteria)?.window).toEqual(W);
    });

    it('opened after the window: judged on the whole window, which it has no participation in', async () => {
      const s = await surveyOf('s15-sv-after');
      expect(s.passed).toBe(false);
      expect(s.reason.en).toBe(`Karriere Etter has no recorded user-survey participation in ${W.from} – ${W.to}.`);
      expect(s.evidence).toEqual([]);
    });

    it('opened mid-window and covered from its opening in two periods: passes citing both', async () => {
      const s = await surveyOf('s15-sv-mid');
      expect(s.passed).toBe(true);
      expect(s.reason.en).toContain('2014-06-01 – 2014-12-31 (from its opening on 2014-06-01)');
      expect(s.evidence.map((e: any) => e.eventId)).toEqual(refs['s15-sv-mid']);
      expect(s.missing).toEqual([]);
    });

    it('opened mid-window with a gap at the end: fails naming the gap in both languages', async () => {
      const s = await surveyOf('s15-sv-gap');
      expect(s.passed).toBe(false);
      expect(s.reason).toEqual({ nb: 'Karriere Hull deltok ikke i brukerundersøkelsen 2014-10-01–2014-12-31.', en: 'Karriere Hull did not take part in the user survey from 2014-10-01 to 2014-12-31.' });
      expect(s.missing).toEqual([{ nb: 'Karriere Hull: deltakelse i brukerundersøkelsen 2014-10-01–2014-12-31.', en: 'Karriere Hull: user-survey participation from 2014-10-01 to 2014-12-31.' }]);
      expect(s.evidence.map((e: any) => e.eventId)).toEqual(refs['s15-sv-gap']);
    });

    it('opened mid-window with none: fails from the opening day, in both languages', async () => {
      const s = await surveyOf('s15-sv-none');
      expect(s.passed).toBe(false);
      expect(s.reason).toEqual({
        nb: 'Karriere Ingen har ingen registrert deltakelse i brukerundersøkelsen i perioden 2014-06-01–2014-12-31 (fra åpningsdagen 2014-06-01).',
        en: 'Karriere Ingen has no recorded user-survey participation in 2014-06-01 – 2014-12-31 (from its opening on 2014-06-01).',
      });
      expect(s.missing).toEqual([{ nb: 'Karriere Ingen: deltakelse i brukerundersøkelsen 2014-06-01–2014-12-31.', en: 'Karriere Ingen: user-survey participation from 2014-06-01 to 2014-12-31.' }]);
    });

    it('a centre closed in the window is not judged but listed as not considered', async () => {
      const res = await get('/grant-schemes/2015/eligibility/telemark');
      expect(res.body.centres.map((c: any) => c.centreId)).not.toContain('s15-sv-closed');
      const nc = res.body.centresNotConsidered.find((c: any) => c.centreId === 's15-sv-closed');
      expect(nc).toMatchObject({ closedOn: '2014-07-01' });
    });
  });

  // =====================================================================================================
  // Centre names and ids after the centresAlike rewrite
  // =====================================================================================================

  describe('CENTRE.NAME_TAKEN and ids', () => {
    it('a name written another way (case, spaces, NFD, zero-width space) in the same county is taken, naming the other; another county may use it', async () => {
      await okCentre(foOs, 's15-n-alfa', 'ostfold', 'Karriere Ålfa');
      for (const [i, name] of ['  karriere  ÅLFA ', 'Karriere A\u030Alfa', 'Karriere\u200B Ålfa', 'KARRIEREÅLFA'].entries()) {
        const before = await head();
        const res = await centre(foOs, `s15-n-alfa-${i}`, 'ostfold', name);
        expect([name, res.status, res.body.code, res.body.details?.centreId]).toEqual([name, 409, 'CENTRE.NAME_TAKEN', 's15-n-alfa']);
        expect(await head()).toBe(before);
      }
      expect((await centre(foTel, 's15-n-alfa-tel', 'telemark', 'Karriere Ålfa')).status).toBe(201);
      // A different letter is a different name (the memo keeps no wrong key).
      expect((await centre(foOs, 's15-n-alfa-x', 'ostfold', 'Karriere Ålfá')).status).toBe(201);
    });

    it('an id differing only in case is CENTRE.ALREADY_REGISTERED naming the registered id, whatever the name', async () => {
      const res = await centre(foOs, 'S15-N-ALFA', 'ostfold', 'Noe helt annet');
      expect([res.status, res.body.code, res.body.details?.centreId]).toEqual([409, 'CENTRE.ALREADY_REGISTERED', 's15-n-alfa']);
    });

    it("a closed centre's name is free from its closing day, not before", async () => {
      await okCentre(foOs, 's15-n-old', 'ostfold', 'Karriere Fusjon', '2005-01-01');
      await ok(foOs, '/centres/s15-n-old/close', { closedOn: '2014-01-01', reason: 'Fusjon' });
      const early = await centre(foOs, 's15-n-new0', 'ostfold', 'Karriere Fusjon', '2013-12-31');
      expect([early.status, early.body.details?.centreId]).toEqual([409, 's15-n-old']);
      expect((await centre(foOs, 's15-n-new', 'ostfold', 'Karriere Fusjon', '2014-01-01')).status).toBe(201);
    });

    it('a name given by a rename that a later-recorded same-day rename replaced is free; the replacing one is taken; a name renamed away is free from then', async () => {
      await okCentre(foOs, 's15-n-r', 'ostfold', 'Karriere Gammel', '2005-01-01');
      await ok(foOs, '/centres/s15-n-r/rename', { name: 'Karriere Mellom', effectiveFrom: '2014-05-01' });
      await ok(foOs, '/centres/s15-n-r/rename', { name: 'Karriere Endelig', effectiveFrom: '2014-05-01' });
      expect((await centre(foOs, 's15-n-r1', 'ostfold', 'Karriere Mellom', '2010-01-01')).status).toBe(201);
      const taken = await centre(foOs, 's15-n-r2', 'ostfold', 'karriere endelig', '2015-01-01');
      expect([taken.status, taken.body.details?.centreId]).toEqual([409, 's15-n-r']);
      const before = await centre(foOs, 's15-n-r3', 'ostfold', 'Karriere Gammel', '2014-04-30');
      expect([before.status, before.body.details?.centreId]).toEqual([409, 's15-n-r']);
      expect((await centre(foOs, 's15-n-r4', 'ostfold', 'Karriere Gammel', '2014-05-01')).status).toBe(201);
    });

    it("a rename to another open centre's name is taken; to its own current name written another way records nothing", async () => {
      const body = await refused(foOs, '/centres/s15-n-r1/rename', { name: 'KARRIERE ÅLFA', effectiveFrom: '2014-06-01' }, 409, 'CENTRE.NAME_TAKEN');
      expect(body.details.centreId).toBe('s15-n-alfa');
      // A name only another county's centre has is free.
      const res = await send(foOs, '/centres/s15-n-r1/rename', { name: 'Karriere S15 Vest-Agder', effectiveFrom: '2014-06-01' });
      expect(res.status).toBe(200);
    });
  });

  // =====================================================================================================
  // partyNameKey memo
  // =====================================================================================================

  it('party names: a second one written another way (NFD, case, spaces) is PARTY.NAME_TAKEN; a different letter is not', async () => {
    await ok(foOs, '/parties', { partyId: 's15-p-a', name: 'Ålesund kommune', kind: 'municipality', countyId: 'ostfold' });
    for (const [i, name] of ['A\u030Alesund kommune', 'ÅLESUND   KOMMUNE', ' ålesund\u00A0kommune '].entries()) {
      const body = await refused(foOs, '/parties', { partyId: `s15-p-a${i}`, name, kind: 'municipality', countyId: 'ostfold' }, 409, 'PARTY.NAME_TAKEN');
      expect(body.details.partyId).toBe('s15-p-a');
    }
    expect((await send(foOs, '/parties', { partyId: 's15-p-b', name: 'Ålesund kommuné', kind: 'municipality', countyId: 'ostfold' })).status).toBe(201);
  });

  it('partyNameKey memo: over more names than it keeps, every key equals the key worked out afresh, whatever order they are asked in', () => {
    const fresh = (n: string) => n.normalize('NFKC').toLowerCase().normalize('NFKC').replace(/[\p{White_Space}\u200B\uFEFF]+/gu, '');
    const names: string[] = [];
    for (let i = 0; i < 25_000; i++) names.push(i % 3 === 0 ? `Å Navn ${i}` : i % 3 === 1 ? `A\u030A NAVN\u00A0${i}` : `å\u200Bnavn ${i} `);
    for (const n of names) expect(partyNameKey(n)).toBe(fresh(n));
    for (let i = names.length - 1; i >= 0; i -= 7) expect(partyNameKey(names[i])).toBe(fresh(names[i]));
    expect(partyNameKey('A\u030A')).toBe(partyNameKey('Å'));
    expect(partyNameKey('Å')).toBe('å');
  });
});
