import { answerCacheOf } from '../../apps/api/src/http/answer-cache';
import { MemoryEventStore } from '../../libs/event-store/src/memory-event-store';
import { startTestApp, TestApp } from '../helpers/test-app';
import { osloDateOf } from '../../libs/domain/src/shared/dates';

/**
 * Budgets (board and county line), budget against actual in the funding mix, owner cost-share
 * compliance, and owner-agreement ids shared by several centres. Each test uses its own centres so
 * they do not disturb each other. (Budget sums beyond NOK 90 trillion are out of scope: unrealistic.)
 */
describe('budgets and cost-share compliance: edge cases (e2e)', () => {
  let t: TestApp;
  let admin: { Authorization: string };
  let now = new Date('2015-01-01T00:00:00Z');
  const post = async (path: string, body: object, status = 201) => {
    const res = await t.http().post(path).set(admin).send(body);
    if (res.status !== status) throw new Error(`POST ${path} answered ${res.status}, expected ${status}: ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const get = async (path: string) => {
    const res = await t.http().get(path).set(admin);
    if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const party = (partyId: string, kind: string, countyId: string | null) => post('/parties', { partyId, name: partyId, kind, countyId });
  const centre = (centreId: string, countyId: string, openedOn = '2009-01-01') => post('/centres', { centreId, countyId, name: `Senter ${centreId}`, municipality: 'X', openedOn });
  const board = async (boardId: string, countyId: string, centreIds: string[], establishedOn = '2010-01-01') => {
    await post('/boards', { boardId, countyId, centreIds, name: `Styret ${boardId}`, establishedOn });
    await post(`/boards/${boardId}/members`, { personId: `${boardId}-chair`, name: 'Leder', partyId: `${countyId}-fk`, role: 'chair', term: { from: establishedOn } });
  };
  type Line = { partyId: string; moneyKind: string; amount: string };
  /** Tables a budget, the chair votes `vote`, the chair closes: adopted for 'for', rejected for 'against'. */
  const boardBudget = async (boardId: string, proposalId: string, year: number, lines: Line[], on: string, vote: 'for' | 'against' = 'for', centreIds?: string[]) => {
    await post(`/boards/${boardId}/proposals`, { proposalId, kind: 'budget', year, title: `Budsjett ${year}`, content: { lines }, tabledOn: on, ...(centreIds ? { centreIds } : {}) });
    await post(`/boards/${boardId}/proposals/${proposalId}/votes`, { personId: `${boardId}-chair`, vote, castOn: on });
    return post(`/boards/${boardId}/proposals/${proposalId}/close`, { closedOn: on }, 200);
  };
  const countyLine = (countyId: string, decisionId: string, centreIds: string[], year: number, lines: Line[], decidedOn: string) =>
    post(`/counties/${countyId}/county-line-decisions`, { decisionId, centreIds, kind: 'budget', year, title: `Budsjett ${year}`, content: { lines }, decidedOn });
  const grant = (centreId: string, entryId: string, partyId: string, amount: string | null, fiscalYear = 2014) =>
    post(`/centres/${centreId}/funding/operating-grants`, { entryId, partyId, amount, fiscalYear, decidedOn: `${fiscalYear}-01-10`, reference: null });
  const line = (partyId: string, amount: string, moneyKind = 'operating-grant'): Line => ({ partyId, moneyKind, amount });
  /** How the funding mix names a budget decision (`budget.decisionIds`). */
  const byBoard = (boardId: string, proposalId: string) => ({ source: 'board', boardId, proposalId });
  const byCountyLine = (countyId: string, decisionId: string) => ({ source: 'county-line', countyId, decisionId });
  /** The governance profile's current budget, named as the funding mix names it. */
  const asMixNamesIt = (d: { governedBy: string; boardId: string | null; decisionId: string }, countyId: string) => (d.governedBy === 'board' ? byBoard(d.boardId!, d.decisionId) : byCountyLine(countyId, d.decisionId));

  const COUNTIES = ['telemark', 'troms', 'ostfold', 'vest-agder', 'nordland', 'hedmark', 'oppland', 'buskerud', 'rogaland', 'finnmark', 'sogn-og-fjordane'];

  beforeAll(async () => {
    t = await startTestApp({ seed: true, store: new MemoryEventStore(() => now) });
    admin = await t.auth('admin');
    for (const c of COUNTIES) {
      await party(`${c}-fk`, 'county-authority', c);
      await party(`nav-${c}`, 'nav-county-office', c);
    }
    await party('vox', 'vox', null);
    await party('sarpsborg-k', 'municipality', 'ostfold');
  });
  afterAll(() => t?.close());

  // ------------------------------------------------------------------ which budget counts

  it('two boards that both call their budget proposal "budsjett-2014": each centre is compared with its own board\'s budget', async () => {
    // Nordland has nine centres, each with its own board; proposal ids are unique per board only.
    await centre('no-bodo', 'nordland');
    await centre('no-narvik', 'nordland');
    await board('b-bodo', 'nordland', ['no-bodo']);
    await board('b-narvik', 'nordland', ['no-narvik']);
    await boardBudget('b-bodo', 'budsjett-2014', 2014, [line('nordland-fk', '1000000.00')], '2013-12-01');
    await boardBudget('b-narvik', 'budsjett-2014', 2014, [line('nav-nordland', '250000.00')], '2013-12-02');
    const bodo = await get('/centres/no-bodo/funding-mix/2014');
    expect(bodo.budget).toMatchObject({ coversCentreIds: ['no-bodo'], lines: [{ partyId: 'nordland-fk', budget: '1000000.00' }] });
    const narvik = await get('/centres/no-narvik/funding-mix/2014');
    expect(narvik.budget).toMatchObject({ coversCentreIds: ['no-narvik'], lines: [{ partyId: 'nav-nordland', budget: '250000.00' }] });
    // The county compares both budgets with both centres' actual.
    expect([bodo.budget.decisionIds, narvik.budget.decisionIds]).toEqual([[byBoard('b-bodo', 'budsjett-2014')], [byBoard('b-narvik', 'budsjett-2014')]]);
    const county = await get('/counties/nordland/funding-mix/2014');
    expect(county.budget.lines.map((l: any) => [l.partyId, l.budget]).sort()).toEqual([['nav-nordland', '250000.00'], ['nordland-fk', '1000000.00']]);
    expect(county.budget.decisionIds).toEqual([byBoard('b-bodo', 'budsjett-2014'), byBoard('b-narvik', 'budsjett-2014')]);
  });

  it('a county-line decision id equal to another county\'s board proposal id does not replace that board\'s budget', async () => {
    await centre('he-a', 'hedmark');
    await centre('op-a', 'oppland');
    await board('b-he', 'hedmark', ['he-a']);
    await boardBudget('b-he', 'budget-2014', 2014, [line('hedmark-fk', '800000.00')], '2013-11-01');
    await countyLine('oppland', 'budget-2014', ['op-a'], 2014, [line('oppland-fk', '600000.00')], '2013-11-02');
    const he = await get('/centres/he-a/funding-mix/2014');
    expect(he.budget).toMatchObject({ coversCentreIds: ['he-a'], lines: [{ partyId: 'hedmark-fk', budget: '800000.00' }] });
    const op = await get('/centres/op-a/funding-mix/2014');
    expect(op.budget).toMatchObject({ coversCentreIds: ['op-a'], lines: [{ partyId: 'oppland-fk', budget: '600000.00' }] });
    expect([he.budget.decisionIds, op.budget.decisionIds]).toEqual([[byBoard('b-he', 'budget-2014')], [byCountyLine('oppland', 'budget-2014')]]);
  });

  it('the latest adopted budget is the latest decided, not the last typed in: a backfilled earlier decision does not replace a later one', async () => {
    await centre('va-late', 'vest-agder');
    // The June revision is recorded first; the minutes of the original December budget are entered afterwards.
    await countyLine('vest-agder', 'va-late-revised-2014', ['va-late'], 2014, [line('vest-agder-fk', '500000.00')], '2014-06-01');
    await countyLine('vest-agder', 'va-late-original-2014', ['va-late'], 2014, [line('vest-agder-fk', '400000.00')], '2013-12-10');
    const profile = await get('/centres/va-late/governance?date=2014-12-31');
    expect(profile.currentBudget.decisionId).toBe('va-late-revised-2014');
    const mix = await get('/centres/va-late/funding-mix/2014');
    expect(mix.budget.decisionIds).toEqual([asMixNamesIt(profile.currentBudget, 'vest-agder')]);
    expect(mix.budget.lines[0].budget).toBe('500000.00');
  });

  it('a board budget and a county-line budget for the same centre and year: the funding mix and the governance profile agree on which counts', async () => {
    await centre('bu-a', 'buskerud');
    await board('b-bu', 'buskerud', ['bu-a']);
    await boardBudget('b-bu', 'bu-budget-2014', 2014, [line('buskerud-fk', '700000.00')], '2014-03-01');
    // Recorded afterwards, decided earlier (the county's own December budget, entered late).
    await countyLine('buskerud', 'bu-cl-budget-2014', ['bu-a'], 2014, [line('buskerud-fk', '650000.00')], '2013-12-15');
    const profile = await get('/centres/bu-a/governance?date=2014-12-31');
    const mix = await get('/centres/bu-a/funding-mix/2014');
    expect(mix.budget.decisionIds).toEqual([asMixNamesIt(profile.currentBudget, 'buskerud')]);
    expect(mix.budget.decisionIds).toEqual([byBoard('b-bu', 'bu-budget-2014')]);
    expect(mix.budget.lines[0].budget).toBe('700000.00');
  });

  it('adopted, then a later budget rejected: the adopted one still counts; then a later one adopted replaces it', async () => {
    await centre('ro-a', 'rogaland');
    await board('b-ro', 'rogaland', ['ro-a']);
    await boardBudget('b-ro', 'ro-b1', 2014, [line('rogaland-fk', '100000.00')], '2013-12-01');
    const rejected = await boardBudget('b-ro', 'ro-b2', 2014, [line('rogaland-fk', '999999.00')], '2014-02-01', 'against');
    expect(rejected.eventIds).toHaveLength(1);
    let mix = await get('/centres/ro-a/funding-mix/2014');
    expect(mix.budget).toMatchObject({ decisionIds: [byBoard('b-ro', 'ro-b1')], lines: [{ budget: '100000.00' }] });
    // an open (never closed) proposal does not count either
    await post('/boards/b-ro/proposals', { proposalId: 'ro-open', kind: 'budget', year: 2014, title: 'x', content: { lines: [line('rogaland-fk', '5.00')] }, tabledOn: '2014-03-01' });
    mix = await get('/centres/ro-a/funding-mix/2014');
    expect(mix.budget.decisionIds).toEqual([byBoard('b-ro', 'ro-b1')]);
    await boardBudget('b-ro', 'ro-b3', 2014, [line('rogaland-fk', '120000.00')], '2014-04-01');
    mix = await get('/centres/ro-a/funding-mix/2014');
    expect(mix.budget).toMatchObject({ decisionIds: [byBoard('b-ro', 'ro-b3')], lines: [{ budget: '120000.00' }] });
    // 2013 and 2015 have no budget; the 2014 budget decided in 2013 belongs to 2014 only
    expect((await get('/centres/ro-a/funding-mix/2013')).budget).toBeNull();
    expect((await get('/centres/ro-a/funding-mix/2015')).budget).toBeNull();
  });

  it('a budget adopted by a board that is later dissolved, for a centre later closed, still stands for its year', async () => {
    await centre('fi-a', 'finnmark');
    await board('b-fi', 'finnmark', ['fi-a']);
    await boardBudget('b-fi', 'fi-b', 2014, [line('finnmark-fk', '300000.00')], '2014-01-05');
    await grant('fi-a', 'fi-g1', 'finnmark-fk', '310000.00');
    await post('/boards/b-fi/dissolve', { dissolvedOn: '2014-07-01' }, 200);
    await post('/centres/fi-a/close', { closedOn: '2014-09-30', reason: 'nedlagt' }, 200);
    const mix = await get('/centres/fi-a/funding-mix/2014');
    expect(mix.budget).toEqual({
      decisionIds: [byBoard('b-fi', 'fi-b')],
      coversCentreIds: ['fi-a'],
      overlaps: [],
      lines: [{ partyId: 'finnmark-fk', moneyKind: 'operating-grant', budget: '300000.00', actual: '310000.00', difference: '10000.00', actualUnreportedEntries: 0 }],
    });
    // a new proposal for the closed centre is refused
    const res = await t.http().post('/counties/finnmark/county-line-decisions').set(admin).send({ decisionId: 'fi-late', centreIds: ['fi-a'], kind: 'budget', year: 2015, title: 'x', content: { lines: [line('finnmark-fk', '1.00')] }, decidedOn: '2014-10-01' });
    expect([res.status, res.body.code]).toEqual([422, 'CENTRE.CLOSED']);
  });

  // ------------------------------------------------------------------ budget against actual

  it('lines without actual, unreported actual, corrections and reversals, exact to the øre', async () => {
    await centre('te-a', 'telemark');
    await countyLine('telemark', 'te-budget-2014', ['te-a'], 2014, [
      line('telemark-fk', '1234567.89'),
      line('nav-telemark', '500000.00'),
      line('vox', '100000.00', 'earmarked'),
      line('telemark-fk', '0.01', 'other-income'),
    ], '2013-12-01');
    await grant('te-a', 'te-g1', 'telemark-fk', '1000000.00');
    await grant('te-a', 'te-g2', 'telemark-fk', '234567.90');
    await grant('te-a', 'te-g3', 'nav-telemark', null);
    let mix = await get('/centres/te-a/funding-mix/2014');
    const byKey = (m: any) => Object.fromEntries(m.budget.lines.map((l: any) => [`${l.partyId}/${l.moneyKind}`, l]));
    let lines = byKey(mix);
    expect(lines['telemark-fk/operating-grant']).toMatchObject({ budget: '1234567.89', actual: '1234567.90', difference: '0.01', actualUnreportedEntries: 0 });
    expect(lines['nav-telemark/operating-grant']).toMatchObject({ budget: '500000.00', actual: null, difference: null, actualUnreportedEntries: 1 });
    expect(lines['vox/earmarked']).toMatchObject({ budget: '100000.00', actual: '0.00', difference: '-100000.00', actualUnreportedEntries: 0 });
    expect(lines['telemark-fk/other-income']).toMatchObject({ budget: '0.01', actual: '0.00', difference: '-0.01' });
    // correct the second grant down by one øre, and reverse the first
    await post('/centres/te-a/funding/entries/te-g2/correction', { reason: 'øre', amount: '234567.88' });
    await post('/centres/te-a/funding/entries/te-g1/reversal', { reason: 'feil' });
    mix = await get('/centres/te-a/funding-mix/2014');
    lines = byKey(mix);
    expect(lines['telemark-fk/operating-grant']).toMatchObject({ actual: '234567.88', difference: '-1000000.01' });
    // the unreported grant corrected to an amount
    await post('/centres/te-a/funding/entries/te-g3/correction', { reason: 'beløp', amount: '499999.99' });
    lines = byKey(await get('/centres/te-a/funding-mix/2014'));
    expect(lines['nav-telemark/operating-grant']).toMatchObject({ actual: '499999.99', difference: '-0.01', actualUnreportedEntries: 0 });
  });

  it('one budget for two centres: each centre\'s mix and the county mix compare it with both centres\' actual once (no double counting)', async () => {
    await centre('tr-a', 'troms');
    await centre('tr-b', 'troms');
    await countyLine('troms', 'tr-budget-2014', ['tr-a', 'tr-b'], 2014, [line('troms-fk', '1000000.00')], '2013-12-01');
    await grant('tr-a', 'tr-g1', 'troms-fk', '600000.00');
    await grant('tr-b', 'tr-g2', 'troms-fk', '300000.00');
    for (const id of ['tr-a', 'tr-b']) {
      const m = await get(`/centres/${id}/funding-mix/2014`);
      expect(m.budget).toMatchObject({ decisionIds: [byCountyLine('troms', 'tr-budget-2014')], coversCentreIds: ['tr-a', 'tr-b'], lines: [{ budget: '1000000.00', actual: '900000.00', difference: '-100000.00' }] });
    }
    const county = await get('/counties/troms/funding-mix/2014');
    expect(county.budget).toMatchObject({ decisionIds: [byCountyLine('troms', 'tr-budget-2014')], lines: [{ budget: '1000000.00', actual: '900000.00', difference: '-100000.00' }] });
  });

  it('as of a recorded time: the budget in force then, not the one adopted afterwards', async () => {
    await centre('os-asof', 'ostfold');
    now = new Date('2015-02-01T00:00:00Z');
    await countyLine('ostfold', 'os-asof-1', ['os-asof'], 2014, [line('ostfold-fk', '100.00')], '2013-12-01');
    now = new Date('2015-03-01T00:00:00Z');
    await countyLine('ostfold', 'os-asof-2', ['os-asof'], 2014, [line('ostfold-fk', '200.00')], '2014-06-01');
    const then = await get('/centres/os-asof/funding-mix/2014?asOf=2015-02-15T00:00:00Z');
    expect(then.budget).toMatchObject({ decisionIds: [byCountyLine('ostfold', 'os-asof-1')], lines: [{ budget: '100.00' }] });
    const before = await get('/centres/os-asof/funding-mix/2014?asOf=2015-01-15T00:00:00Z');
    expect(before.budget).toBeNull();
    expect((await get('/centres/os-asof/funding-mix/2014')).budget).toMatchObject({ decisionIds: [byCountyLine('ostfold', 'os-asof-2')] });
  });

  it('bad budget input is refused with a stable 4xx and records nothing', async () => {
    await centre('va-bad', 'vest-agder');
    const base = { decisionId: 'va-bad-1', centreIds: ['va-bad'], kind: 'budget', year: 2014, title: 'x', decidedOn: '2013-12-01' };
    const cases: [object, number, string][] = [
      [{ ...base, content: { lines: [] } }, 400, 'PROPOSAL.BUDGET_WITHOUT_LINES'],
      [{ ...base, content: {} }, 400, 'PROPOSAL.BUDGET_WITHOUT_LINES'],
      [{ ...base, content: { lines: [line('vest-agder-fk', '0.00')] } }, 400, 'MONEY.ZERO'],
      [{ ...base, content: { lines: [line('vest-agder-fk', '1.001')] } }, 400, 'MONEY.FRACTIONAL_ORE'],
      [{ ...base, content: { lines: [line('vest-agder-fk', '-5.00')] } }, 400, 'MONEY.NEGATIVE'],
      [{ ...base, content: { lines: [{ partyId: 'vest-agder-fk', moneyKind: 'operating-grant', amount: null }] } }, 400, ''],
      [{ ...base, content: { lines: [{ partyId: 'vest-agder-fk', moneyKind: 'salary', amount: '1.00' }] } }, 400, ''],
      [{ ...base, content: { lines: [line('nobody', '1.00')] } }, 0, ''],
      [{ ...base, year: 1989, content: { lines: [line('vest-agder-fk', '1.00')] } }, 400, ''],
      [{ ...base, year: 2014.5, content: { lines: [line('vest-agder-fk', '1.00')] } }, 400, ''],
      [{ ...base, content: { lines: [line('vest-agder-fk', '1.00')], goals: ['x'] } }, 400, 'PROPOSAL.CONTENT_NOT_FOR_KIND'],
    ];
    const before = (await t.store.readStream('county-line-vest-agder')).length;
    for (const [body, status, code] of cases) {
      const res = await t.http().post('/counties/vest-agder/county-line-decisions').set(admin).send(body);
      expect([JSON.stringify(body), res.status >= 400 && res.status < 500, status === 0 || res.status === status, code === '' || res.body.code === code]).toEqual([JSON.stringify(body), true, true, true]);
    }
    expect((await t.store.readStream('county-line-vest-agder')).length).toBe(before);
  });

  // ------------------------------------------------------------------ cost-share compliance

  it('two centres whose owner agreements share an id each keep their own cost-share compliance', async () => {
    await centre('he-own', 'hedmark');
    await centre('op-own', 'oppland');
    await post('/centres/he-own/owner-agreements', { agreementId: 'eierskapsavtale', parties: [{ partyId: 'hedmark-fk', shareBp: 5000 }, { partyId: 'nav-hedmark', shareBp: 5000 }], period: { from: '2010-01-01' }, signedOn: '2009-12-01' });
    await post('/centres/op-own/owner-agreements', { agreementId: 'eierskapsavtale', parties: [{ partyId: 'oppland-fk', shareBp: 6000 }, { partyId: 'nav-oppland', shareBp: 4000 }], period: { from: '2011-01-01' }, signedOn: '2010-12-01' });
    await grant('he-own', 'he-own-g', 'hedmark-fk', '100.00', 2013);
    await grant('op-own', 'op-own-g', 'oppland-fk', '100.00', 2013);
    const all = await get('/owner-agreements/cost-share-compliance/2013');
    const ours = all.filter((c: any) => c.agreementId === 'eierskapsavtale');
    expect(ours.map((c: any) => c.centreId).sort()).toEqual(['he-own', 'op-own']);
    const he = await get('/owner-agreements/cost-share-compliance/2013?countyId=hedmark');
    expect(he.map((c: any) => [c.centreId, c.parties.map((p: any) => [p.partyId, p.agreedSharePercent])])).toEqual([['he-own', [['hedmark-fk', '50.0'], ['nav-hedmark', '50.0']]]]);
  });

  it('amended mid-year in a leap year, a party paying staff directly half the year: days-weighted shares, NOK exact', async () => {
    await centre('ro-own', 'rogaland');
    await post('/centres/ro-own/owner-agreements', { agreementId: 'ro-own-ag', parties: [{ partyId: 'rogaland-fk', shareBp: 5000 }, { partyId: 'nav-rogaland', shareBp: 5000 }], period: { from: '2010-01-01' }, signedOn: '2009-12-01' });
    // 2012: 1 Jan – 30 Jun (182 days) 50/50, 1 Jul – 31 Dec (184 days) 70/30
    await post('/centres/ro-own/owner-agreements/ro-own-ag/amend', { effectiveFrom: '2012-07-01', parties: [{ partyId: 'rogaland-fk', shareBp: 7000 }, { partyId: 'nav-rogaland', shareBp: 3000 }], period: { from: '2010-01-01' } }, 200);
    await grant('ro-own', 'ro-own-g', 'rogaland-fk', '600000.00', 2012);
    // NAV pays one counsellor directly from 1 July: 184/366 of NOK 366 000 = NOK 184 000
    await post('/centres/ro-own/staff-positions', { positionId: 'ro-own-p', title: 'Rådgiver', employerKind: 'nav-county-office', fte: '1', payer: { kind: 'party', partyId: 'nav-rogaland' }, annualCost: '366000.00', startedOn: '2012-07-01' });
    const c = await get('/owner-agreements/ro-own-ag/cost-share-compliance/2012');
    expect(c).toMatchObject({ daysInForce: 366, ownersActualTotal: '784000.00', complete: true });
    // agreed fk = (5000×182 + 7000×184)/(10000×366) = 60.0546…% → 60.1; actual 600000/784000 = 76.53…% → 76.5
    // difference NOK = 600000 − 0.600546… × 784000 = 129171.58 (−129171.58 for NAV)
    expect(c.parties.map((p: any) => [p.partyId, p.agreedSharePercent, p.money, p.staffValue, p.actual, p.actualSharePercent, p.differencePercentagePoints, p.differenceNok])).toEqual([
      ['rogaland-fk', '60.1', '600000.00', '0.00', '600000.00', '76.5', '16.5', '129171.58'],
      ['nav-rogaland', '39.9', '0.00', '184000.00', '184000.00', '23.5', '-16.5', '-129171.58'],
    ]);
  });

  it('terminated mid-year: days in force count; not in force the next year', async () => {
    await centre('bu-own', 'buskerud');
    await post('/centres/bu-own/owner-agreements', { agreementId: 'bu-own-ag', parties: [{ partyId: 'buskerud-fk', shareBp: 5000 }, { partyId: 'nav-buskerud', shareBp: 5000 }], period: { from: '2010-01-01' }, signedOn: '2009-12-01' });
    await post('/centres/bu-own/owner-agreements/bu-own-ag/terminate', { effectiveFrom: '2013-07-01' }, 200);
    const c = await get('/owner-agreements/bu-own-ag/cost-share-compliance/2013');
    expect(c.daysInForce).toBe(181);
    const res = await t.http().get('/owner-agreements/bu-own-ag/cost-share-compliance/2014').set(admin);
    expect([res.status, res.body.code]).toEqual([404, 'OWNER_AGREEMENT.NOT_IN_FORCE']);
  });

  it('shares 33.33/33.33/33.34 with each owner paying exactly its share: differences are zero; equal contributions give actual shares adding up to 100.0', async () => {
    await centre('os-3', 'ostfold');
    await post('/centres/os-3/owner-agreements', { agreementId: 'os-3-ag', parties: [{ partyId: 'ostfold-fk', shareBp: 3333 }, { partyId: 'nav-ostfold', shareBp: 3333 }, { partyId: 'sarpsborg-k', shareBp: 3334 }], period: { from: '2010-01-01' }, signedOn: '2009-12-01' });
    await grant('os-3', 'os-3-a', 'ostfold-fk', '333300.00', 2013);
    await grant('os-3', 'os-3-b', 'nav-ostfold', '333300.00', 2013);
    await grant('os-3', 'os-3-c', 'sarpsborg-k', '333400.00', 2013);
    const c = await get('/owner-agreements/os-3-ag/cost-share-compliance/2013');
    expect(c.parties.map((p: any) => [p.differencePercentagePoints, p.differenceNok])).toEqual([['0.0', '0.00'], ['0.0', '0.00'], ['0.0', '0.00']]);
    // equal contributions: 1/3 each
    await grant('os-3', 'os-3-d', 'sarpsborg-k', '100.00', 2012);
    await grant('os-3', 'os-3-e', 'ostfold-fk', '100.00', 2012);
    await grant('os-3', 'os-3-f', 'nav-ostfold', '100.00', 2012);
    const c12 = await get('/owner-agreements/os-3-ag/cost-share-compliance/2012');
    const sumTenths = c12.parties.reduce((s: number, p: any) => s + Math.round(Number(p.actualSharePercent) * 10), 0);
    expect(sumTenths).toBe(1000);
    // The funding mix's rule: the missing tenth goes to the largest remainder; all equal, to the first party id.
    expect(c12.parties.map((p: any) => [p.partyId, p.actualSharePercent])).toEqual([['ostfold-fk', '33.3'], ['nav-ostfold', '33.4'], ['sarpsborg-k', '33.3']]);
    const mix12 = await get('/centres/os-3/funding-mix/2012');
    expect(mix12.byParty.map((p: any) => [p.partyId, p.sharePercent]).sort()).toEqual(c12.parties.map((p: any) => [p.partyId, p.actualSharePercent]).sort());
  });

  it('a third owner joins mid-year (leap year), and as-of answers show the terms recorded by then', async () => {
    await centre('fi-own', 'finnmark');
    now = new Date('2015-04-01T00:00:00Z');
    await post('/centres/fi-own/owner-agreements', { agreementId: 'fi-own-ag', parties: [{ partyId: 'finnmark-fk', shareBp: 10000 }], period: { from: '2012-03-01' }, signedOn: '2012-02-01' });
    await grant('fi-own', 'fi-own-a', 'finnmark-fk', '300000.00', 2012);
    await grant('fi-own', 'fi-own-b', 'nav-finnmark', '100000.00', 2012);
    now = new Date('2015-05-01T00:00:00Z');
    // from 1 Sep 2012 NAV owns 40 %: 1 Mar – 31 Aug = 184 days at 0 %, 1 Sep – 31 Dec = 122 days at 40 %
    await post('/centres/fi-own/owner-agreements/fi-own-ag/amend', { effectiveFrom: '2012-09-01', parties: [{ partyId: 'finnmark-fk', shareBp: 6000 }, { partyId: 'nav-finnmark', shareBp: 4000 }], period: { from: '2012-03-01' } }, 200);
    const c = await get('/owner-agreements/fi-own-ag/cost-share-compliance/2012');
    expect(c.daysInForce).toBe(306);
    // NAV agreed = 4000×122 / (10000×306) = 15.947…% → 15.9; actual 25.0; NOK 100000 − 0.15947… × 400000 = 36209.15
    expect(c.parties.map((p: any) => [p.partyId, p.agreedSharePercent, p.actualSharePercent, p.differencePercentagePoints, p.differenceNok])).toEqual([
      ['finnmark-fk', '84.1', '75.0', '-9.1', '-36209.15'],
      ['nav-finnmark', '15.9', '25.0', '9.1', '36209.15'],
    ]);
    const then = await get('/owner-agreements/fi-own-ag/cost-share-compliance/2012?asOf=2015-04-15T00:00:00Z');
    expect(then.parties.map((p: any) => [p.partyId, p.agreedSharePercent, p.money])).toEqual([['finnmark-fk', '100.0', '300000.00']]);
  });

  it('unreported money: compliance says incomplete and counts the entry; reversal restores completeness', async () => {
    await centre('te-own', 'telemark');
    await post('/centres/te-own/owner-agreements', { agreementId: 'te-own-ag', parties: [{ partyId: 'telemark-fk', shareBp: 5000 }, { partyId: 'nav-telemark', shareBp: 5000 }], period: { from: '2010-01-01' }, signedOn: '2009-12-01' });
    await grant('te-own', 'te-own-a', 'telemark-fk', '100000.00', 2013);
    await grant('te-own', 'te-own-b', 'nav-telemark', null, 2013);
    let c = await get('/owner-agreements/te-own-ag/cost-share-compliance/2013');
    expect(c.complete).toBe(false);
    expect(c.parties.find((p: any) => p.partyId === 'nav-telemark')).toMatchObject({ money: '0.00', moneyUnreportedEntries: 1 });
    await post('/centres/te-own/funding/entries/te-own-b/reversal', { reason: 'x' });
    c = await get('/owner-agreements/te-own-ag/cost-share-compliance/2013');
    expect(c.complete).toBe(true);
    // bad year parameters are a 4xx with a stable code
    for (const y of ['1989', '2101', '2013.5', 'abc']) {
      const res = await t.http().get(`/owner-agreements/te-own-ag/cost-share-compliance/${y}`).set(admin);
      expect([y, res.status, res.body.code]).toEqual([y, 400, 'FISCAL_YEAR.OUT_OF_RANGE']);
    }
  });

  // ------------------------------------------------------------------ which budget counts: more orders

  it('one budget for two centres, then later decisions for one of them: each centre keeps the latest decided; a same-day decision recorded later wins', async () => {
    await centre('te-p1', 'telemark');
    await centre('te-p2', 'telemark');
    await board('b-te-p1', 'telemark', ['te-p1']);
    await countyLine('telemark', 'te-pair-2014', ['te-p1', 'te-p2'], 2014, [line('telemark-fk', '200.00')], '2013-12-01');
    await boardBudget('b-te-p1', 'te-p1-2014', 2014, [line('telemark-fk', '150.00')], '2014-02-01');
    // Backfilled: decided before both, recorded after both; it counts for neither.
    await countyLine('telemark', 'te-pair-old', ['te-p1', 'te-p2'], 2014, [line('telemark-fk', '1.00')], '2013-11-01');
    const mixOf = async (id: string) => (await get(`/centres/${id}/funding-mix/2014`)).budget;
    expect((await mixOf('te-p1')).decisionIds).toEqual([byBoard('b-te-p1', 'te-p1-2014')]);
    expect(await mixOf('te-p2')).toMatchObject({ decisionIds: [byCountyLine('telemark', 'te-pair-2014')], coversCentreIds: ['te-p1', 'te-p2'], lines: [{ budget: '200.00' }] });
    // The same day as the board's, recorded later: the county line's is now in force for te-p1.
    await countyLine('telemark', 'te-p1-same-day', ['te-p1'], 2014, [line('telemark-fk', '175.00')], '2014-02-01');
    for (const id of ['te-p1', 'te-p2']) {
      const profile = await get(`/centres/${id}/governance?date=2014-12-31`);
      expect([id, (await mixOf(id)).decisionIds]).toEqual([id, [asMixNamesIt(profile.currentBudget, 'telemark')]]);
    }
    expect((await mixOf('te-p1')).decisionIds).toEqual([byCountyLine('telemark', 'te-p1-same-day')]);
    // The county compares each budget in force once.
    const county = await get('/counties/telemark/funding-mix/2014');
    expect(county.budget.decisionIds).toEqual(expect.arrayContaining([byCountyLine('telemark', 'te-p1-same-day'), byCountyLine('telemark', 'te-pair-2014')]));
    expect(county.budget.decisionIds).not.toContainEqual(byBoard('b-te-p1', 'te-p1-2014'));
    expect(county.budget.decisionIds).not.toContainEqual(byCountyLine('telemark', 'te-pair-old'));
  });

  it('a joint budget for two centres, then one centre\'s own: the county does not add them up (that counted the first centre twice) but names the overlap', async () => {
    await centre('sf-a', 'sogn-og-fjordane');
    await centre('sf-b', 'sogn-og-fjordane');
    await countyLine('sogn-og-fjordane', 'sf-joint-2014', ['sf-a', 'sf-b'], 2014, [line('sogn-og-fjordane-fk', '1000000.00')], '2013-12-01');
    await grant('sf-a', 'sf-g1', 'sogn-og-fjordane-fk', '400000.00');
    await grant('sf-b', 'sf-g2', 'sogn-og-fjordane-fk', '500000.00');
    let county = await get('/counties/sogn-og-fjordane/funding-mix/2014');
    expect(county.budget).toMatchObject({ overlaps: [], lines: [{ budget: '1000000.00', actual: '900000.00', difference: '-100000.00' }] });
    await countyLine('sogn-og-fjordane', 'sf-a-own-2014', ['sf-a'], 2014, [line('sogn-og-fjordane-fk', '450000.00')], '2014-03-01');
    // Each centre: the budget in force for it, compared with what that budget covers; nothing overlaps.
    const a = await get('/centres/sf-a/funding-mix/2014');
    expect(a.budget).toMatchObject({ decisionIds: [byCountyLine('sogn-og-fjordane', 'sf-a-own-2014')], coversCentreIds: ['sf-a'], overlaps: [], lines: [{ budget: '450000.00', actual: '400000.00', difference: '-50000.00' }] });
    const b = await get('/centres/sf-b/funding-mix/2014');
    expect(b.budget).toMatchObject({ decisionIds: [byCountyLine('sogn-og-fjordane', 'sf-joint-2014')], coversCentreIds: ['sf-a', 'sf-b'], overlaps: [], lines: [{ budget: '1000000.00', actual: '900000.00' }] });
    // The county: 1,000,000 + 450,000 would count sf-a's part of the joint budget twice.
    county = await get('/counties/sogn-og-fjordane/funding-mix/2014');
    expect(county.budget.overlaps).toEqual([{ centreId: 'sf-a', budgetInForce: byCountyLine('sogn-og-fjordane', 'sf-a-own-2014'), alsoCoveredBy: [byCountyLine('sogn-og-fjordane', 'sf-joint-2014')] }]);
    expect(county.budget.lines).toEqual([{ partyId: 'sogn-og-fjordane-fk', moneyKind: 'operating-grant', budget: null, actual: '900000.00', difference: null, actualUnreportedEntries: 0 }]);
    // The country's mix asks about every centre: the same overlap, the same refusal to add up.
    const country = await get('/funding-mix/2014');
    expect(country.budget.overlaps).toContainEqual({ centreId: 'sf-a', budgetInForce: byCountyLine('sogn-og-fjordane', 'sf-a-own-2014'), alsoCoveredBy: [byCountyLine('sogn-og-fjordane', 'sf-joint-2014')] });
    expect(country.budget.lines.every((l: any) => l.budget === null && l.difference === null)).toBe(true);
  });

  // ------------------------------------------------------------------ owner-agreement ids shared by centres

  it('an owner-agreement id two centres share: the global routes answer 409 naming both, the centre-scoped routes each answer their own', async () => {
    await centre('no-own', 'nordland');
    await centre('tr-own', 'troms');
    now = new Date('2015-06-01T00:00:00Z');
    await post('/centres/no-own/owner-agreements', { agreementId: 'avtale-1', parties: [{ partyId: 'nordland-fk', shareBp: 5000 }, { partyId: 'nav-nordland', shareBp: 5000 }], period: { from: '2010-01-01' }, signedOn: '2009-12-01' });
    // While one centre has it, the global route answers as before.
    expect((await get('/owner-agreements/avtale-1')).centreId).toBe('no-own');
    now = new Date('2015-07-01T00:00:00Z');
    await post('/centres/tr-own/owner-agreements', { agreementId: 'avtale-1', parties: [{ partyId: 'troms-fk', shareBp: 7000 }, { partyId: 'nav-troms', shareBp: 3000 }], period: { from: '2011-01-01' }, signedOn: '2010-12-01' });
    await grant('no-own', 'no-own-g', 'nordland-fk', '100.00', 2013);
    await grant('tr-own', 'tr-own-g', 'troms-fk', '100.00', 2013);

    for (const [path, scoped] of [
      ['/owner-agreements/avtale-1', '/owner-agreements/avtale-1'],
      ['/owner-agreements/avtale-1/cost-share-compliance/2013', '/owner-agreements/avtale-1/cost-share-compliance/2013'],
    ]) {
      const res = await t.http().get(path).set(admin);
      expect([path, res.status, res.body.code, res.body.details]).toEqual([path, 409, 'OWNER_AGREEMENT.AMBIGUOUS_ID', { agreementId: 'avtale-1', centreIds: ['no-own', 'tr-own'] }]);
      expect(res.body.message).toContain(`/centres/no-own${scoped}`);
      expect(res.body.message).toContain(`/centres/tr-own${scoped}`);
    }
    // As recorded before the second centre's agreement, the id was unambiguous.
    expect((await get('/owner-agreements/avtale-1?date=2013-01-01&asOf=2015-06-15T00:00:00Z')).inForceOn.terms.parties[0].partyId).toBe('nordland-fk');

    const no = await get('/centres/no-own/owner-agreements/avtale-1?date=2013-01-01');
    const tr = await get('/centres/tr-own/owner-agreements/avtale-1?date=2013-01-01');
    expect([no.centreId, no.inForceOn.terms.parties.map((p: any) => p.partyId)]).toEqual(['no-own', ['nordland-fk', 'nav-nordland']]);
    expect([tr.centreId, tr.inForceOn.terms.parties.map((p: any) => p.partyId)]).toEqual(['tr-own', ['troms-fk', 'nav-troms']]);
    const noC = await get('/centres/no-own/owner-agreements/avtale-1/cost-share-compliance/2013');
    const trC = await get('/centres/tr-own/owner-agreements/avtale-1/cost-share-compliance/2013');
    // An owner that contributed nothing has a 0.0 share of what the owners gave.
    expect(noC.parties.map((p: any) => [p.partyId, p.agreedSharePercent, p.actualSharePercent])).toEqual([['nordland-fk', '50.0', '100.0'], ['nav-nordland', '50.0', '0.0']]);
    expect(trC.parties.map((p: any) => [p.partyId, p.agreedSharePercent, p.actualSharePercent])).toEqual([['troms-fk', '70.0', '100.0'], ['nav-troms', '30.0', '0.0']]);
    expect([noC.centreId, noC.countyId, trC.centreId, trC.countyId]).toEqual(['no-own', 'nordland', 'tr-own', 'troms']);

    // Amending or terminating one centre's agreement leaves the other's alone, in both views.
    await post('/centres/no-own/owner-agreements/avtale-1/amend', { effectiveFrom: '2013-07-01', parties: [{ partyId: 'nordland-fk', shareBp: 6000 }, { partyId: 'nav-nordland', shareBp: 4000 }], period: { from: '2010-01-01' } }, 200);
    await post('/centres/tr-own/owner-agreements/avtale-1/terminate', { effectiveFrom: '2014-01-01' }, 200);
    expect((await get('/centres/no-own/owner-agreements/avtale-1')).versions).toHaveLength(2);
    expect((await get('/centres/tr-own/owner-agreements/avtale-1')).versions).toHaveLength(1);
    expect((await get('/centres/no-own/owner-agreements/avtale-1')).terminatedFrom).toBeNull();
    expect((await get('/centres/no-own/owner-agreements/avtale-1/cost-share-compliance/2013')).parties[1].agreedSharePercent).toBe('45.0');
    expect((await get('/centres/tr-own/owner-agreements/avtale-1/cost-share-compliance/2013')).parties[1].agreedSharePercent).toBe('30.0');
    expect((await get('/centres/no-own/owner-agreements/avtale-1/cost-share-compliance/2014')).daysInForce).toBe(365);
    const ended = await t.http().get('/centres/tr-own/owner-agreements/avtale-1/cost-share-compliance/2014').set(admin);
    expect([ended.status, ended.body.code]).toEqual([404, 'OWNER_AGREEMENT.NOT_IN_FORCE']);

    // Every read that finds an agreement through its centre sees that centre's.
    expect((await get('/centres/tr-own/owner-agreements?date=2013-06-01')).inForce.parties.map((p: any) => p.partyId)).toEqual(['troms-fk', 'nav-troms']);
    expect((await get('/centres/tr-own/owner-agreements?date=2013-06-01')).agreements.map((a: any) => a.centreId)).toEqual(['tr-own']);
    expect((await get('/centres/no-own/governance?date=2013-08-01')).owners.parties.map((p: any) => [p.partyId, p.shareBp])).toEqual([['nordland-fk', 6000], ['nav-nordland', 4000]]);
    expect((await get('/centres/tr-own/nav-link?date=2013-08-01')).grounds.owner.why).toContain('30.00 %');
    const listed = (await get('/owner-agreements/cost-share-compliance/2013')).filter((c: any) => c.agreementId === 'avtale-1');
    expect(listed.map((c: any) => c.centreId)).toEqual(['no-own', 'tr-own']);
  });

  it('centre-scoped owner-agreement routes: an unknown centre or agreement is a 404 with a stable code', async () => {
    await centre('bu-scoped', 'buskerud');
    await post('/centres/bu-scoped/owner-agreements', { agreementId: 'bu-scoped-ag', parties: [{ partyId: 'buskerud-fk', shareBp: 10000 }], period: { from: '2010-01-01' }, signedOn: '2009-12-01' });
    const cases: [string, number, string][] = [
      ['/centres/nowhere/owner-agreements/bu-scoped-ag', 404, 'CENTRE.NOT_FOUND'],
      ['/centres/bu-scoped/owner-agreements/nope', 404, 'OWNER_AGREEMENT.NOT_FOUND'],
      ['/centres/nowhere/owner-agreements/bu-scoped-ag/cost-share-compliance/2013', 404, 'CENTRE.NOT_FOUND'],
      ['/centres/bu-scoped/owner-agreements/nope/cost-share-compliance/2013', 404, 'OWNER_AGREEMENT.NOT_FOUND'],
      ['/centres/bu-scoped/owner-agreements/bu-scoped-ag/cost-share-compliance/2009', 404, 'OWNER_AGREEMENT.NOT_IN_FORCE'],
      ['/centres/bu-scoped/owner-agreements/bu-scoped-ag/cost-share-compliance/1989', 400, 'FISCAL_YEAR.OUT_OF_RANGE'],
      ['/centres/bu-scoped/owner-agreements/bu-scoped-ag?date=2013-13-01', 400, 'REQUEST.BAD_DATE'],
      ['/owner-agreements/nope', 404, 'OWNER_AGREEMENT.NOT_FOUND'],
      ['/owner-agreements/nope/cost-share-compliance/2013', 404, 'OWNER_AGREEMENT.NOT_FOUND'],
    ];
    for (const [path, status, code] of cases) {
      const res = await t.http().get(path).set(admin);
      expect([path, res.status, res.body.code]).toEqual([path, status, code]);
    }
    // Unambiguous ids answer the same through both forms.
    expect(await get('/centres/bu-scoped/owner-agreements/bu-scoped-ag?date=2013-01-01')).toEqual(await get('/owner-agreements/bu-scoped-ag?date=2013-01-01'));
    expect(await get('/centres/bu-scoped/owner-agreements/bu-scoped-ag/cost-share-compliance/2013')).toEqual(await get('/owner-agreements/bu-scoped-ag/cost-share-compliance/2013'));
  });

  it('the centre-scoped agreement route is cached like the global one: a named date is kept, a date left out (today) is not', async () => {
    await centre('ro-cache', 'rogaland');
    await post('/centres/ro-cache/owner-agreements', { agreementId: 'ro-cache-ag', parties: [{ partyId: 'rogaland-fk', shareBp: 10000 }], period: { from: '2010-01-01' }, signedOn: '2009-12-01' });
    const cache = answerCacheOf(t.app.getHttpAdapter().getInstance())!;
    await get('/centres/ro-cache/owner-agreements/ro-cache-ag?date=2013-01-01'); // the first read at the new position empties the cache
    const size = cache.size;
    for (const q of ['', '?date=', '?date']) expect((await get(`/centres/ro-cache/owner-agreements/ro-cache-ag${q}`)).inForceOn.date).toBe(osloDateOf(new Date().toISOString())); // today in Norway, as the ledger says
    expect(cache.size).toBe(size);
    await get('/centres/ro-cache/owner-agreements/ro-cache-ag?date=2013-06-01');
    expect(cache.size).toBe(size + 1);
  });
});
