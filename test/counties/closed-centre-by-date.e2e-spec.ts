/**
 * The closed-centre rule for recording is by date (README, Governance): a fact dated D is refused as
 * 422 CENTRE.CLOSED only when the centre is not open on D (D ≥ closedOn); money for fiscal year Y only
 * when the centre is open on no day of Y. It is the rule closing uses (409 CENTRE.CLOSE_BEFORE_ACTIVITY):
 * the same date per fact (`openUntilOf`) and the same comparison. Before, any command was refused once a
 * closure was recorded, whatever its date, so a centre whose county decided in November to close it
 * from 1 January could no longer get money for the current year, though it is open all of it.
 */
import { addDays, osloDateOf } from '../../libs/domain/src/shared';
import { startTestApp, TestApp } from '../helpers/test-app';

type Auth = { Authorization: string };

describe('a centre with a closure recorded is closed from its closedOn, not before (e2e)', () => {
  let t: TestApp;
  let fo: Auth; // finance officer of Telemark
  let auditor: Auth;
  const today = osloDateOf(new Date().toISOString());
  const year = Number(today.slice(0, 4));
  const nextJanuary = `${year + 1}-01-01`;

  const post = (path: string, body: object, auth: Auth = fo) => t.http().post(path).set(auth).send(body);
  const ok = async (path: string, body: object, status = 201, auth: Auth = fo) => {
    const res = await post(path, body, auth);
    if (res.status !== status) throw new Error(`POST ${path} answered ${res.status}, expected ${status}: ${JSON.stringify(res.body)}`);
    return res.body;
  };
  /** Refused as CENTRE.CLOSED, with nothing recorded: the answer's body. */
  const closed = async (path: string, body: object, auth: Auth = fo) => {
    const before = await t.store.headPosition();
    const res = await post(path, body, auth);
    expect([path, res.status, res.body.code]).toEqual([path, 422, 'CENTRE.CLOSED']);
    expect(await t.store.headPosition()).toBe(before);
    return res.body;
  };
  const get = async (path: string) => {
    const res = await t.http().get(path).set(auditor);
    if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const centre = (centreId: string, openedOn = '2010-01-01') => ok('/centres', { centreId, countyId: 'telemark', name: `KC ${centreId}`, municipality: 'Skien', openedOn });
  const close = (centreId: string, closedOn: string) => ok(`/centres/${centreId}/close`, { closedOn, reason: 'Fylkestinget vedtok nedleggelse' }, 200);
  const grant = (centreId: string, entryId: string, fiscalYear: number) =>
    post(`/centres/${centreId}/funding/operating-grants`, { entryId, fiscalYear, partyId: 'cd-fk', amount: '1000000.00', decidedOn: `${year}-01-10`, reference: null });
  const start = (centreId: string, positionId: string, startedOn: string) =>
    post(`/centres/${centreId}/staff-positions`, { positionId, title: 'Karriereveileder', employerKind: 'county-authority', fte: '1', payer: { kind: 'centre' }, startedOn });

  beforeAll(async () => {
    t = await startTestApp({ seed: true });
    fo = await t.auth('finance-officer', ['telemark'], 'cd-fo');
    auditor = await t.auth('auditor', [], 'cd-auditor');
    await ok('/parties', { partyId: 'cd-fk', name: 'Telemark fylkeskommune', kind: 'county-authority', countyId: 'telemark' });
    await ok('/parties', { partyId: 'cd-nav', name: 'NAV Telemark', kind: 'nav-county-office', countyId: 'telemark' });
  });
  afterAll(() => t?.close());

  describe('closure recorded for next 1 January (decided now, in force from the new year)', () => {
    beforeAll(async () => {
      await centre('cd-next');
      await close('cd-next', nextJanuary);
    });

    it(`money for the current year is recorded; money for next year is refused (422 CENTRE.CLOSED), nothing recorded`, async () => {
      expect((await grant('cd-next', 'cd-this-year', year)).status).toBe(201);
      const next = await closed('/centres/cd-next/funding/operating-grants', { entryId: 'cd-next-year', fiscalYear: year + 1, partyId: 'cd-fk', amount: '1000000.00', decidedOn: `${year}-01-10`, reference: null });
      expect(next.message).toBe(`Career centre KC cd-next is closed from ${nextJanuary}; an operating grant for ${year + 1} falls after that: the centre is open on no day of ${year + 1}.`);
      expect(next.details).toEqual({ centreId: 'cd-next', closedOn: nextJanuary, fiscalYear: year + 1, latestDate: `${year}-12-31` });
      // a correction into next year is a new entry for next year: refused; the entry can still be reversed
      await closed('/centres/cd-next/funding/entries/cd-this-year/correction', { reason: 'feil år', fiscalYear: year + 1 });
    });

    it('a position started before the closing date is recorded (and ended with its last day before it); one started on it is refused', async () => {
      expect((await start('cd-next', 'cd-p-before', `${year}-01-01`)).status).toBe(201);
      const refused = await closed('/centres/cd-next/staff-positions', { positionId: 'cd-p-after', title: 'Karriereveileder', employerKind: 'county-authority', fte: '1', payer: { kind: 'centre' }, startedOn: nextJanuary });
      expect(refused.message).toBe(`Career centre KC cd-next is closed from ${nextJanuary}; the start of staff position cd-p-after dated ${nextJanuary} falls after that.`);
      expect(refused.details).toEqual({ centreId: 'cd-next', closedOn: nextJanuary, date: nextJanuary, latestDate: `${year}-12-31` });
      await closed('/centres/cd-next/staff-positions/cd-p-before/changes', { effectiveFrom: nextJanuary, fte: '0.5' });
      expect((await post('/centres/cd-next/staff-positions/cd-p-before/changes', { effectiveFrom: `${year}-12-01`, fte: '0.5' })).status).toBe(201);
      const late = await closed('/centres/cd-next/staff-positions/cd-p-before/end', { endedOn: nextJanuary });
      expect(late.message).toContain(`a last day before the closing date (${year}-12-31 at the latest)`);
      expect((await post('/centres/cd-next/staff-positions/cd-p-before/end', { endedOn: `${year}-12-31` })).status).toBe(200);
    });

    it('a board decision today is recorded (the centre is open today); governance facts dated on the closing date are refused', async () => {
      await ok('/boards', { boardId: 'cd-board', countyId: 'telemark', centreIds: ['cd-next'], name: 'Styret for KC cd-next', establishedOn: `${year}-01-01` });
      await ok('/boards/cd-board/members', { personId: 'cd-chair', name: 'Leder', partyId: 'cd-fk', role: 'chair', term: { from: `${year}-01-01` } });
      const chair = await t.auth('board-member', [], 'cd-chair');
      await ok('/boards/cd-board/proposals', { proposalId: 'cd-budget', kind: 'budget', year, title: `Budsjett ${year}`, content: { lines: [{ partyId: 'cd-fk', moneyKind: 'operating-grant', amount: '1000000.00' }] }, tabledOn: `${year}-01-01` }, 201, chair);
      await ok('/boards/cd-board/proposals/cd-budget/votes', { vote: 'for', castOn: today }, 201, chair);
      const decision = await post('/boards/cd-board/proposals/cd-budget/close', { closedOn: today }, chair);
      expect([decision.status, decision.body.code]).toEqual([200, undefined]);
      // a board or a county-line decision dated on the closing date is refused (a later board act can only be dated after today, so it is refused as in the future first)
      await closed('/boards', { boardId: 'cd-board2', countyId: 'telemark', centreIds: ['cd-next'], name: 'Nytt styre', establishedOn: nextJanuary });
      await closed('/centres/cd-next/co-locations', { from: nextJanuary, premises: 'NAV-huset', sharedWith: [] });
      await ok('/centres/cd-next/co-locations', { from: `${year}-01-01`, premises: 'Rådhuset', sharedWith: [] });
    });

    it('the profile says open today and not from the closing date; the funding view counts the centre in its current year, with its money, and not in the next', async () => {
      expect((await get(`/centres/cd-next/governance?date=${today}`)).open).toBe(true);
      expect((await get(`/centres/cd-next/governance?date=${year}-12-31`)).open).toBe(true);
      expect((await get(`/centres/cd-next/governance?date=${nextJanuary}`)).open).toBe(false);
      expect((await get('/centres/cd-next/governance')).open).toBe(true); // ?date= left out: today
      const county = await get(`/counties/telemark/funding-mix/${year}`);
      // Telemark's only centre open this year (cd-past, below, is closed from 2014)
      expect(county.centreIds).toEqual(['cd-next']);
      expect(county.total).toMatchObject({ amount: '1000000.00', entries: 1 });
      expect((await get(`/centres/cd-next/funding-mix/${year}`)).total).toMatchObject({ amount: '1000000.00', entries: 1 });
      const kf = (await get(`/key-figures/${year}?counties=telemark`)).counties[0];
      expect(kf.centres).toBe(1);
      expect((await get(`/counties/telemark/funding-mix/${year + 1}`)).centreIds).not.toContain('cd-next');
      // the country's mix holds the county with that money
      const country = await get(`/funding-mix/${year}`);
      expect(country.parts.find((p: { id: string }) => p.id === 'telemark').total.amountOre).toBe(county.total.amountOre);
    });
  });

  describe('closure already in force: facts dated before it are recorded (backfilled), facts dated from it are refused', () => {
    beforeAll(async () => {
      await centre('cd-past');
      await ok('/boards', { boardId: 'cd-old', countyId: 'telemark', centreIds: ['cd-past'], name: 'Styret', establishedOn: '2013-01-01' });
      await ok('/boards/cd-old/members', { personId: 'cd-old-chair', name: 'Leder', partyId: 'cd-fk', role: 'chair', term: { from: '2013-01-01' } });
      await ok('/boards/cd-old/members', { personId: 'cd-old-nav', name: 'Medlem', partyId: 'cd-nav', role: 'member', term: { from: '2013-01-01' } });
      const chair = await t.auth('board-member', [], 'cd-old-chair');
      for (const proposalId of ['cd-p1', 'cd-p2']) {
        await ok('/boards/cd-old/proposals', { proposalId, kind: 'goals', year: 2014, title: 'Mål 2014', content: { goals: ['Flere voksne'] }, tabledOn: '2014-02-01' }, 201, chair);
        await ok(`/boards/cd-old/proposals/${proposalId}/votes`, { vote: 'for', castOn: '2014-02-10' }, 201, chair);
      }
      await close('cd-past', '2014-03-01');
    });

    it('a board decision dated before the closing date is recorded; one dated on or after it is refused', async () => {
      const chair = await t.auth('board-member', [], 'cd-old-chair');
      expect((await post('/boards/cd-old/proposals/cd-p1/close', { closedOn: '2014-02-28' }, chair)).status).toBe(200);
      const after = await closed('/boards/cd-old/proposals/cd-p2/close', { closedOn: '2014-03-01' }, chair);
      expect(after.message).toBe("Career centre KC cd-past is closed from 2014-03-01; board cd-old's decision on proposal cd-p2 dated 2014-03-01 falls after that.");
      expect(after.details).toEqual({ centreId: 'cd-past', closedOn: '2014-03-01', date: '2014-03-01', latestDate: '2014-02-28' });
      await closed('/boards/cd-old/proposals', { proposalId: 'cd-p3', kind: 'goals', year: 2014, title: 'x', content: { goals: ['x'] }, tabledOn: '2014-03-05' }, chair);
      await closed('/boards/cd-old/proposals/cd-p2/votes', { vote: 'for', castOn: '2014-03-01' }, await t.auth('board-member', [], 'cd-old-nav'));
    });

    it('money for a year it is open on some day of, and a position started before closing, are recorded; a rename dated from the closing date is refused; closing again is refused', async () => {
      expect((await grant('cd-past', 'cd-past-2014', 2014)).status).toBe(201);
      await closed('/centres/cd-past/funding/operating-grants', { entryId: 'cd-past-2015', fiscalYear: 2015, partyId: 'cd-fk', amount: '1.00', decidedOn: '2014-01-10', reference: null });
      expect((await start('cd-past', 'cd-past-p', '2014-02-01')).status).toBe(201);
      await closed('/centres/cd-past/rename', { name: 'For sent', effectiveFrom: '2014-03-01' });
      expect((await post('/centres/cd-past/rename', { name: 'KC Fortid', effectiveFrom: '2014-02-01' })).status).toBe(200);
      const again = await closed('/centres/cd-past/close', { closedOn: '2015-01-01', reason: 'x' });
      expect(again.details).toEqual({ centreId: 'cd-past', closedOn: '2014-03-01' });
    });
  });

  /**
   * The mirror, fact by fact: recording a fact dated D for a centre closed from D + 1 is accepted and for
   * one closed from D refused (CENTRE.CLOSED); with the fact recorded, closing from D is refused
   * (CENTRE.CLOSE_BEFORE_ACTIVITY) and from D + 1 accepted. Money and annual reports go by their year:
   * D = 1 January of it.
   */
  describe('the same date per fact decides recording (CENTRE.CLOSED) and closing (CENTRE.CLOSE_BEFORE_ACTIVITY)', () => {
    const D = '2014-03-03';
    const FACTS: [string, (centreId: string, n: string) => [string, object]][] = [
      ['money for 2015 (D = 2015-01-01)', (c, n) => [`/centres/${c}/funding/operating-grants`, { entryId: `m-${n}`, fiscalYear: 2015, partyId: 'cd-fk', amount: '1.00', decidedOn: '2014-12-10', reference: null }]],
      ['staff position started', (c, n) => [`/centres/${c}/staff-positions`, { positionId: `p-${n}`, title: 'Veileder', employerKind: 'centre', fte: '1', payer: { kind: 'centre' }, startedOn: D }]],
      ['board established', (c, n) => ['/boards', { boardId: `b-${n}`, countyId: 'telemark', centreIds: [c], name: 'Styret', establishedOn: D }]],
      ['county-line decision', (c, n) => ['/counties/telemark/county-line-decisions', { decisionId: `cl-${n}`, centreIds: [c], kind: 'goals', year: 2014, title: 'Mål', content: { goals: ['g'] }, decidedOn: D }]],
      ['premises', (c) => [`/centres/${c}/co-locations`, { from: D, premises: 'NAV-huset', sharedWith: [] }]],
      ['owner agreement signed on D (in force from earlier)', (c, n) => [`/centres/${c}/owner-agreements`, { agreementId: `oa-${n}`, parties: [{ partyId: 'cd-fk', shareBp: 10000 }], period: { from: '2014-01-01' }, signedOn: D }]],
      ['annual report for 2015 (D = 2015-01-01; submitted after the year, whenever the centre closed)', (c, n) => [`/centres/${c}/grant-evidence/annual-reports`, { reportId: `r-${n}`, year: 2015, submittedOn: '2016-02-01' }]],
      ['competence development', (c, n) => [`/centres/${c}/grant-evidence/competence-development`, { activityId: `a-${n}`, deliveredOn: D, kind: 'course', targetGroups: ['nav-staff'], participants: 3, description: 'Kurs' }]],
      ['stimulus-grant application', (c, n) => ['/stimulus-grants', { applicationId: `s-${n}`, countyId: 'telemark', year: 2014, purpose: 'development', amountAsked: '1.00', description: 'Utvikling', centreId: c, appliedOn: D }]],
    ];
    const dayOf = (kind: string) => (kind.startsWith('money') || kind.startsWith('annual report') ? '2015-01-01' : D);

    it.each(FACTS.map(([kind], i) => [kind, i] as [string, number]))('%s', async (kind, i) => {
      const make = FACTS[i][1];
      const day = dayOf(kind);
      const id = (s: string) => `cd-m${i}-${s}`;
      // recording for a centre closed from D + 1: accepted
      await centre(id('open'));
      await close(id('open'), addDays(day, 1));
      const [path1, body1] = make(id('open'), id('open'));
      expect([kind, (await post(path1, body1)).status]).toEqual([kind, 201]);
      // recording for a centre closed from D: refused
      await centre(id('shut'));
      await close(id('shut'), day);
      const [path2, body2] = make(id('shut'), id('shut'));
      const refused = await closed(path2, body2);
      expect(refused.details.closedOn).toBe(day);
      // with the fact recorded: closing from D refused, from D + 1 accepted
      await centre(id('rec'));
      const [path3, body3] = make(id('rec'), id('rec'));
      expect([kind, (await post(path3, body3)).status]).toEqual([kind, 201]);
      const early = await post(`/centres/${id('rec')}/close`, { closedOn: day, reason: 'x' });
      expect([kind, early.status, early.body.code, early.body.details?.earliestClosedOn]).toEqual([kind, 409, 'CENTRE.CLOSE_BEFORE_ACTIVITY', addDays(day, 1)]);
      await close(id('rec'), addDays(day, 1));
    });
  });
});
