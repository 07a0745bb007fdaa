/**
 * One "today": the date in Norway (Europe/Oslo), everywhere the ledger takes today's date. At 23:30 UTC
 * it is already the next day in Oslo (00:30 in winter, 01:30 in summer), where the UTC date is still the
 * day before. Before, the `?date=` default of the read routes, the dates a command leaves out (tabledOn,
 * castOn, closedOn, decidedOn, appliedOn), the base grant's judging-date check and the stimulus-grant,
 * board, county-line and partnership "in the future" checks read the UTC date, while evidence and the
 * centre directory read Norway's: between midnight and 01:00/02:00 Norwegian time they disagreed.
 */
import { addDays } from '../../libs/domain/src/shared';
import { fakeDateOnly } from '../helpers/fake-date';
import { startTestApp, TestApp } from '../helpers/test-app';

type Auth = { Authorization: string };

describe('"today" is the date in Norway, also between midnight in Oslo and midnight UTC (e2e)', () => {
  let t: TestApp;
  let fo: Auth;
  let auditor: Auth;
  let vox: Auth;
  let chair: Auth;
  // The UTC date now, and the instant 23:30 UTC on it: in Oslo that is already the next day.
  const utcDay = new Date().toISOString().slice(0, 10);
  const at = Date.parse(`${utcDay}T23:30:00Z`);
  const osloToday = addDays(utcDay, 1);
  const osloTomorrow = addDays(utcDay, 2);

  const post = (path: string, body: object, auth: Auth = fo) => t.http().post(path).set(auth).send(body);
  const ok = async (path: string, body: object, auth: Auth = fo) => {
    const res = await post(path, body, auth);
    if (res.status >= 300) throw new Error(`POST ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const get = async (path: string) => {
    const res = await t.http().get(path).set(auditor);
    if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body;
  };
  /** Runs `f` with only the Date faked at 23:30 UTC today (the next day in Oslo). */
  const at2330Utc = async (f: () => Promise<void>) => {
    fakeDateOnly(at);
    try {
      await f();
    } finally {
      jest.useRealTimers();
    }
  };
  const refused = async (path: string, body: object, auth: Auth, status: number, code: string) => {
    const before = await t.store.headPosition();
    const res = await post(path, body, auth);
    expect([path, res.status, res.body.code]).toEqual([path, status, code]);
    expect(await t.store.headPosition()).toBe(before);
    return res.body;
  };

  beforeAll(async () => {
    t = await startTestApp({ seed: true });
    // tokens valid for three days: the faked clock is at most a day ahead
    const token = async (sub: string, roles: string[], counties: string[] = []) => ({ Authorization: `Bearer ${await t.tokens.issue({ sub, name: sub, roles, counties } as never, 3 * 86400)}` });
    fo = await token('ot-fo', ['finance-officer'], ['telemark']);
    auditor = await token('ot-auditor', ['auditor']);
    vox = await token('ot-vox', ['vox']);
    chair = await token('ot-chair', ['board-member']);
    await ok('/parties', { partyId: 'ot-fk', name: 'Telemark fylkeskommune', kind: 'county-authority', countyId: 'telemark' });
    await ok('/parties', { partyId: 'ot-nav', name: 'NAV Telemark', kind: 'nav-county-office', countyId: 'telemark' });
    await ok('/centres', { centreId: 'ot-kc', countyId: 'telemark', name: 'KC Skien', municipality: 'Skien', openedOn: '2010-01-01' });
    await ok('/centres/ot-kc/owner-agreements', { agreementId: 'ot-2009', parties: [{ partyId: 'ot-nav', shareBp: 5000 }, { partyId: 'ot-fk', shareBp: 5000 }], period: { from: '2009-01-01' }, signedOn: '2009-03-01' });
    await ok('/boards', { boardId: 'ot-board', countyId: 'telemark', centreIds: ['ot-kc'], name: 'Styret', establishedOn: '2013-01-01' });
    await ok('/boards/ot-board/members', { personId: 'ot-chair', name: 'Leder', partyId: 'ot-fk', role: 'chair', term: { from: '2013-01-01' } });
  });
  afterAll(() => t?.close());

  it('at 23:30 UTC the date in Oslo is the next day (what the cases below rely on)', () => {
    const oslo = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Oslo', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(at));
    expect(oslo).toBe(osloToday);
  });

  it('a ?date= left out (absent, empty, bare) is Norway\'s date', async () => {
    await at2330Utc(async () => {
      for (const q of ['', '?date=', '?date']) {
        expect([q, (await get(`/centres/ot-kc/governance${q}`)).date]).toEqual([q, osloToday]);
        expect([q, (await get(`/centres/ot-kc/nav-link${q}`)).date]).toEqual([q, osloToday]);
        expect([q, (await get(`/counties/telemark/partnership${q}`)).date]).toEqual([q, osloToday]);
        expect([q, (await get(`/centres/ot-kc/owner-agreements${q}`)).date]).toEqual([q, osloToday]);
        expect([q, (await get(`/owner-agreements/ot-2009${q}`)).inForceOn.date]).toEqual([q, osloToday]);
      }
    });
  });

  it('"in the future" is after Norway\'s date: a board decision dated today in Oslo (tomorrow by UTC) is recorded, one dated the day after is refused naming today', async () => {
    await ok('/boards/ot-board/proposals', { proposalId: 'ot-a', kind: 'goals', year: 2014, title: 'Mål', content: { goals: ['g'] }, tabledOn: '2014-01-10' }, chair);
    await ok('/boards/ot-board/proposals', { proposalId: 'ot-b', kind: 'goals', year: 2014, title: 'Mål', content: { goals: ['g'] }, tabledOn: '2014-01-10' }, chair);
    await at2330Utc(async () => {
      const late = await refused('/boards/ot-board/proposals/ot-a/close', { closedOn: osloTomorrow }, chair, 422, 'BOARD.DECIDED_IN_FUTURE');
      expect(late.details).toEqual({ closedOn: osloTomorrow, today: osloToday });
      expect((await post('/boards/ot-board/proposals/ot-a/close', { closedOn: osloToday }, chair)).status).toBe(200);
      // a decision date left out is today in Oslo
      await ok('/boards/ot-board/proposals/ot-b/votes', { vote: 'for' }, chair);
      await ok('/boards/ot-board/proposals/ot-b/close', {}, chair);
    });
    const b = await get('/boards/ot-board/proposals/ot-b');
    expect(b.decision.closedOn).toBe(osloToday);
  });

  it('county line, partnership, owner agreement and stimulus grant: Norway\'s today is not in the future, and a date left out is Norway\'s', async () => {
    await at2330Utc(async () => {
      const line = (decisionId: string, decidedOn?: string) => ({ decisionId, centreIds: ['ot-kc'], kind: 'goals', year: 2014, title: 'Mål', content: { goals: ['g'] }, ...(decidedOn ? { decidedOn } : {}) });
      await refused('/counties/telemark/county-line-decisions', line('ot-cl-late', osloTomorrow), fo, 422, 'COUNTY_LINE.DECIDED_IN_FUTURE');
      await ok('/counties/telemark/county-line-decisions', line('ot-cl-today', osloToday));
      await ok('/counties/telemark/county-line-decisions', line('ot-cl-default'));
      await refused('/counties/telemark/partnership-agreements', { partnershipId: 'ot-late', parties: ['ot-fk', 'ot-nav'], signedOn: osloTomorrow, period: { from: '2014-01-01', to: null } }, fo, 422, 'PARTNERSHIP.SIGNED_IN_FUTURE');
      await ok('/counties/telemark/partnership-agreements', { partnershipId: 'ot-p', parties: ['ot-fk', 'ot-nav'], signedOn: osloToday, period: { from: '2014-01-01', to: null } });
      await ok('/centres', { centreId: 'ot-kc2', countyId: 'telemark', name: 'KC Porsgrunn', municipality: 'Porsgrunn', openedOn: '2010-01-01' });
      const owners = { parties: [{ partyId: 'ot-fk', shareBp: 10000 }], period: { from: '2014-01-01' } };
      const future = await refused('/centres/ot-kc2/owner-agreements', { agreementId: 'ot-late', ...owners, signedOn: osloTomorrow }, fo, 422, 'OWNER_AGREEMENT.SIGNED_IN_FUTURE');
      expect(future.details).toEqual({ signedOn: osloTomorrow, today: osloToday });
      await ok('/centres/ot-kc2/owner-agreements', { agreementId: 'ot-today', ...owners, signedOn: osloToday });
      const apply = (applicationId: string, appliedOn?: string) => ({ applicationId, countyId: 'telemark', year: 2014, purpose: 'development', amountAsked: '1.00', description: 'Utvikling', centreId: 'ot-kc', ...(appliedOn ? { appliedOn } : {}) });
      const stim = await refused('/stimulus-grants', apply('ot-s-late', osloTomorrow), fo, 422, 'STIMULUS_GRANT.IN_FUTURE');
      expect(stim.details).toEqual({ appliedOn: osloTomorrow, today: osloToday });
      await ok('/stimulus-grants', apply('ot-s-today', osloToday));
      await ok('/stimulus-grants', apply('ot-s-default'));
      await ok('/stimulus-grants/ot-s-today/award', { amount: '1.00' }, vox);
    });
    const decisions = await get('/counties/telemark/county-line-decisions');
    expect(decisions.find((d: { decisionId: string }) => d.decisionId === 'ot-cl-default').decidedOn).toBe(osloToday);
    expect((await get('/stimulus-grants/ot-s-default')).appliedOn).toBe(osloToday);
    expect((await get('/stimulus-grants/ot-s-today')).decision.decidedOn).toBe(osloToday);
  });

  it('the base grant can be allocated on its judging date in Norway, though the UTC date is the day before', async () => {
    const year = Number(osloToday.slice(0, 4)) - 1;
    await ok('/grant-schemes', { year, baseGrant: '1000.00', criteriaSetId: 'criteria-2014', judgingDate: osloToday }, vox);
    await at2330Utc(async () => {
      const res = await post(`/grant-schemes/${year}/allocation`, {}, vox);
      // past the judging-date check: no county here meets the criteria, which is the next refusal
      expect([res.status, res.body.code]).toEqual([422, 'BASE_GRANT.NO_ELIGIBLE_COUNTY']);
    });
    // the real clock (UTC day's, earlier than 23:30 UTC): before the judging date in Norway too, unless it is already past midnight there
    const now = await post(`/grant-schemes/${year}/allocation`, {}, vox);
    expect(['BASE_GRANT.BEFORE_JUDGING_DATE', 'BASE_GRANT.NO_ELIGIBLE_COUNTY']).toContain(now.body.code);
  });
});
