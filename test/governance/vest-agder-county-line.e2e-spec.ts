import { startTestApp, TestApp } from '../helpers/test-app';
import { centre, get, partyOf, post } from './governance-helpers';

describe("Vest-Agder's three centres governed along the county line", () => {
  let t: TestApp;
  let fo: { Authorization: string };
  const ids = ['va-kristiansand', 'va-mandal', 'va-flekkefjord'];
  beforeAll(async () => {
    t = await startTestApp({ seed: true });
    fo = await t.auth('finance-officer', ['vest-agder']);
    await centre(t, fo, 'va-kristiansand', 'vest-agder', 'Karrieresenter Kristiansand', 'Kristiansand');
    await centre(t, fo, 'va-mandal', 'vest-agder', 'Karrieresenter Mandal', 'Mandal');
    await centre(t, fo, 'va-flekkefjord', 'vest-agder', 'Karrieresenter Flekkefjord', 'Flekkefjord');
    await partyOf(t, fo, 'va-fk', 'Vest-Agder fylkeskommune', 'county-authority', 'vest-agder');
    await partyOf(t, fo, 'nav-va', 'NAV Vest-Agder', 'nav-county-office', 'vest-agder');
    await partyOf(t, fo, 'vox', 'Vox', 'vox');
    await partyOf(t, fo, 'nav-krs', 'NAV Kristiansand', 'nav-local-office', 'vest-agder');
  });
  afterAll(async () => t?.close());

  it('the county authority records the budget and goals for all three centres directly; each profile says county line', async () => {
    const budget = await post(t, fo, '/counties/vest-agder/county-line-decisions', {
      decisionId: 'va-budget-2013',
      centreIds: ids,
      kind: 'budget',
      year: 2013,
      title: 'Budsjett 2013 for karrieresentrene',
      content: { lines: [{ partyId: 'va-fk', moneyKind: 'operating-grant', amount: '4460000.00' }, { partyId: 'vox', moneyKind: 'earmarked', amount: '1000000' }] },
      decidedOn: '2012-12-12',
    });
    expect(budget.streamId).toBe('county-line-vest-agder');
    await post(t, fo, '/counties/vest-agder/county-line-decisions', {
      decisionId: 'va-goals-2013',
      centreIds: ids,
      kind: 'goals',
      year: 2013,
      title: 'Mål 2013',
      content: { goals: ['Free guidance for adults over 19'], targetGroups: ['adults'], inputFromPartyIds: ['nav-va'] },
      decidedOn: '2013-01-15',
    });
    const reader = await t.auth('auditor');
    for (const id of ids) {
      const p = await get(t, reader, `/centres/${id}/governance?date=2013-06-30`);
      expect(p.governedBy).toBe('county-line');
      expect(p.board).toBeNull();
      expect(p.currentBudget).toMatchObject({ decisionId: 'va-budget-2013', governedBy: 'county-line', content: { lines: [{ amountOre: 446_000_000 }, { amountOre: 100_000_000 }] } });
      expect(p.currentPlan).toMatchObject({ decisionId: 'va-goals-2013', governedBy: 'county-line' });
    }
    const before = await get(t, reader, '/centres/va-mandal/governance?date=2012-12-01');
    expect(before.governedBy).toBe('not-recorded');
    const list = await get(t, reader, '/counties/vest-agder/county-line-decisions');
    expect(list.map((d: any) => [d.decisionId, d.decidedBy])).toEqual([['va-budget-2013', 'finance-officer@vest-agder'], ['va-goals-2013', 'finance-officer@vest-agder']]);

    const link = await get(t, reader, '/centres/va-flekkefjord/nav-link?date=2013-06-30');
    expect(link.grounds.formalInput.holds).toBe(true);
    expect(link.grounds.board.holds).toBe(false);
  });

  it('co-location with NAV Kristiansand from 2012 shows in the profile and the NAV link', async () => {
    const rec = await post(t, fo, '/centres/va-kristiansand/co-locations', { from: '2012-08-01', premises: 'NAV-huset Kristiansand', sharedWith: [{ kind: 'nav-local-office', partyId: 'nav-krs' }] });
    const reader = await t.auth('vox');
    const p = await get(t, reader, '/centres/va-kristiansand/governance?date=2013-01-01');
    expect(p.coLocation).toMatchObject({ premises: 'NAV-huset Kristiansand', sharedWith: [{ kind: 'nav-local-office', partyId: 'nav-krs', name: null }] });
    const link = await get(t, reader, '/centres/va-kristiansand/nav-link?date=2013-01-01');
    expect(link.grounds.coLocated).toMatchObject({ holds: true, evidence: [{ eventId: rec.eventIds[0], partyId: 'nav-krs' }] });
    const all = await get(t, reader, '/nav-links?date=2013-06-30&countyId=vest-agder');
    expect(all.centres).toBe(3);
    expect(all.withNavLink).toBe(3);
  });

  it('refuses another county, a centre of another county and a closed centre', async () => {
    const body = { decisionId: 'x', centreIds: ids, kind: 'other', year: 2013, title: 'x', content: {} };
    const other = await t.http().post('/counties/vest-agder/county-line-decisions').set(await t.auth('finance-officer', ['telemark'])).send(body);
    expect(other.status).toBe(403);
    const admin = await t.auth('admin');
    await centre(t, admin, 'tm-kc', 'telemark', 'Telemark', 'Skien');
    const foreign = await t.http().post('/counties/vest-agder/county-line-decisions').set(fo).send({ ...body, centreIds: ['tm-kc'] });
    expect(foreign.status).toBe(422);
    expect(foreign.body.code).toBe('COUNTY_LINE.CENTRE_OF_OTHER_COUNTY');
    await post(t, fo, '/centres/va-flekkefjord/close', { closedOn: '2014-06-30', reason: 'merged' }, 200);
    const closed = await t.http().post('/counties/vest-agder/county-line-decisions').set(fo).send(body);
    expect(closed.status).toBe(422);
    expect(closed.body.code).toBe('CENTRE.CLOSED');
    const list = await get(t, await t.auth('auditor'), '/counties/vest-agder/county-line-decisions');
    expect(list).toHaveLength(2);
  });

  it("every county's partnership: Vest-Agder's agreement and coordinating function, others none", async () => {
    await post(t, fo, '/counties/vest-agder/partnership-agreements', { partnershipId: 'va-p-2014', parties: ['va-fk', 'nav-va'], signedOn: '2014-03-01', period: { from: '2014-03-01' } });
    await post(t, fo, '/counties/vest-agder/coordinating-function', { holderPartyId: 'va-fk', description: 'Koordinerende enhet for karriereveiledning', from: '2014-03-01' });
    const reader = await t.auth('vox');
    const all = await get(t, reader, '/partnerships?date=2014-06-01');
    expect(all).toHaveLength(19);
    const va = all.find((p: any) => p.countyId === 'vest-agder');
    expect(va.agreement).toMatchObject({ partnershipId: 'va-p-2014', parties: [{ partyId: 'va-fk' }, { partyId: 'nav-va', kind: 'nav-county-office' }] });
    expect(va.coordinatingFunction).toMatchObject({ holderPartyId: 'va-fk', holderName: 'Vest-Agder fylkeskommune' });
    expect(all.find((p: any) => p.countyId === 'telemark').agreement).toBeNull();
    const before = await get(t, reader, '/counties/vest-agder/partnership?date=2014-02-28');
    expect(before.agreement).toBeNull();
    expect(before.history.agreements['va-p-2014'].versions).toHaveLength(1);
  });
});
