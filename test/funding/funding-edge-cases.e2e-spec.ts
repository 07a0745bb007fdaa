import { startTestApp, TestApp } from '../helpers/test-app';

/**
 * Edge cases of the funding area (money entries, corrections, staff-years, funding mix, key
 * figures, cost-share compliance), driven through the real HTTP app; first written as a review.
 * Each describe block uses its own county so the tests do not disturb each other.
 */
describe('funding edge cases (e2e)', () => {
  let t: TestApp;
  let admin: { Authorization: string };
  const fos: Record<string, { Authorization: string }> = {};
  const fo = (county: string) => fos[county];
  const post = (path: string, body: object, auth: { Authorization: string }) => t.http().post(path).set(auth).send(body);
  const get = (path: string, auth: { Authorization: string } = admin) => t.http().get(path).set(auth);

  const party = async (partyId: string, kind: string, countyId: string | null) => {
    const res = await post('/parties', { partyId, name: partyId, kind, countyId }, admin);
    expect([partyId, res.status]).toEqual([partyId, 201]);
  };
  const centre = async (centreId: string, countyId: string, openedOn = '2009-01-01') => {
    const res = await post('/centres', { centreId, countyId, name: `Senter ${centreId}`, municipality: 'X', openedOn }, fo(countyId));
    expect([centreId, res.status, res.body]).toEqual([centreId, 201, expect.anything()]);
  };
  const grant = (over: object = {}) => ({ fiscalYear: 2013, amount: '100000.00', decidedOn: '2013-01-10', reference: null, ...over });

  beforeAll(async () => {
    t = await startTestApp({ seed: true });
    admin = await t.auth('admin');
    for (const c of ['telemark', 'troms', 'ostfold', 'vest-agder', 'finnmark', 'hedmark', 'oppland', 'buskerud', 'rogaland']) fos[c] = await t.auth('finance-officer', [c], `fo-${c}`);
    for (const c of ['telemark', 'troms', 'ostfold', 'vest-agder', 'finnmark', 'hedmark', 'oppland', 'buskerud', 'rogaland']) {
      await party(`${c}-fk`, 'county-authority', c);
      await party(`nav-${c}`, 'nav-county-office', c);
    }
    await party('nav-lokal-skien', 'nav-local-office', 'telemark');
    await party('skien-k', 'municipality', 'telemark');
  });
  afterAll(() => t.close());

  // ---------------------------------------------------------------- corrections
  describe('corrections', () => {
    beforeAll(async () => {
      await centre('tm-a', 'telemark');
    });

    it('a correction that changes only the period (earmarked funds, tender award) is recorded, not refused as "changes nothing"', async () => {
      const c = fo('telemark');
      const rec = await post('/centres/tm-a/funding/earmarked-funds', grant({ entryId: 'ear-period', partyId: 'telemark-fk', purpose: 'Prosjekt', period: { from: '2013-01-01', to: '2013-06-30' } }), c);
      expect(rec.status).toBe(201);
      const rec2 = await post('/centres/tm-a/funding/tender-awards', grant({ entryId: 'ten-period', partyId: 'nav-telemark', contractReference: 'NAV-1', period: { from: '2013-03-01', to: null } }), c);
      expect(rec2.status).toBe(201);
      const corr = await post('/centres/tm-a/funding/entries/ear-period/correction', { reason: 'Feil periode', period: { from: '2013-01-01', to: '2013-12-31' } }, c);
      const corr2 = await post('/centres/tm-a/funding/entries/ten-period/correction', { reason: 'Kontrakten gikk ut', period: { from: '2013-03-01', to: '2014-02-28' } }, c);
      expect([corr.status, corr.body.code, corr2.status, corr2.body.code]).toEqual([201, undefined, 201, undefined]);
      const events = await t.store.readStream('funding-entry-ear-period');
      expect(events.map((e) => e.type)).toEqual(['EarmarkedFundsRecorded', 'EntryReversed', 'EarmarkedFundsRecorded']);
      expect((events[2].data as any).period).toEqual({ from: '2013-01-01', to: '2013-12-31' });
    });

    it('correct, correct the correction across years, reverse the last: nothing double-counted or lost', async () => {
      const c = fo('telemark');
      expect((await post('/centres/tm-a/funding/operating-grants', grant({ entryId: 'chain', partyId: 'telemark-fk', amount: '1000.10', fiscalYear: 2012 }), c)).status).toBe(201);
      expect((await post('/centres/tm-a/funding/entries/chain/correction', { reason: 'beløp', amount: null }, c)).status).toBe(201);
      let m2012 = (await get('/centres/tm-a/funding-mix/2012')).body;
      expect(m2012.total).toMatchObject({ amount: null, entries: 1, unreportedEntries: 1, complete: false });
      expect(m2012.unreported.map((u: any) => u.entryId)).toEqual(['chain.c1']);
      const c2 = await post('/centres/tm-a/funding/entries/chain.c1/correction', { reason: 'år og beløp', fiscalYear: 2011, amount: '2000.00' }, c);
      expect(c2.status).toBe(201);
      m2012 = (await get('/centres/tm-a/funding-mix/2012')).body;
      expect(m2012.total).toMatchObject({ amount: '0.00', entries: 0, unreportedEntries: 0, complete: true });
      expect(m2012.unreported).toEqual([]);
      const m2011 = (await get('/centres/tm-a/funding-mix/2011')).body;
      expect(m2011.total).toMatchObject({ amount: '2000.00', entries: 1 });
      // the original and the first correction are already reversed
      expect((await post('/centres/tm-a/funding/entries/chain/reversal', { reason: 'x' }, c)).body.code).toBe('ENTRY.ALREADY_REVERSED');
      expect((await post('/centres/tm-a/funding/entries/chain.c1/correction', { reason: 'x', amount: '5.00' }, c)).body.code).toBe('ENTRY.ALREADY_REVERSED');
      expect((await post('/centres/tm-a/funding/entries/chain.c2/reversal', { reason: 'feil' }, c)).status).toBe(201);
      expect((await get('/centres/tm-a/funding-mix/2011')).body.total).toMatchObject({ amount: '0.00', entries: 0 });
      expect((await post('/centres/tm-a/funding/entries/chain.c3/reversal', { reason: 'x' }, c)).body.code).toBe('ENTRY.NOT_FOUND');
    });

    it('a correction moving money to another party moves it between parties, in-kind stays out of totals', async () => {
      const c = fo('telemark');
      expect((await post('/centres/tm-a/funding/operating-grants', grant({ entryId: 'mv', partyId: 'telemark-fk', amount: '300.00', fiscalYear: 2010 }), c)).status).toBe(201);
      expect((await post('/centres/tm-a/funding/in-kind-contributions', { entryId: 'ik-mv', fiscalYear: 2010, partyId: 'skien-k', decidedOn: '2010-01-01', inKindKind: 'premises', estimatedValue: '50.00' }, c)).status).toBe(201);
      expect((await post('/centres/tm-a/funding/entries/mv/correction', { reason: 'feil part', partyId: 'nav-telemark' }, c)).status).toBe(201);
      expect((await post('/centres/tm-a/funding/entries/ik-mv/correction', { reason: 'verdi', estimatedValue: '70.00' }, c)).status).toBe(201);
      const mix = (await get('/centres/tm-a/funding-mix/2010')).body;
      expect(mix.total).toMatchObject({ amount: '300.00', entries: 1 });
      expect(mix.byParty.map((p: any) => [p.partyId, p.amount, p.sharePercent])).toEqual([['nav-telemark', '300.00', '100.0']]);
      expect(mix.inKind).toEqual([expect.objectContaining({ partyId: 'skien-k', estimatedValue: '70.00', entries: 1 })]);
    });

    it('refuses bad correction input with 4xx and records nothing', async () => {
      const c = fo('telemark');
      expect((await post('/centres/tm-a/funding/operating-grants', grant({ entryId: 'badcorr', partyId: 'telemark-fk' }), c)).status).toBe(201);
      const before = await t.store.headPosition();
      for (const [body, code] of [
        [{ reason: 'x', fiscalYear: 2013.5 }, 'FISCAL_YEAR.OUT_OF_RANGE'],
        [{ reason: 'x', fiscalYear: '2014' }, 'FISCAL_YEAR.OUT_OF_RANGE'],
        [{ reason: 'x', amount: 12.5 }, 'MONEY.NOT_A_DECIMAL_STRING'],
        [{ reason: 'x', amount: '0' }, 'MONEY.ZERO'],
        [{ reason: 'x', partyId: 'ghost' }, 'PARTY.NOT_FOUND'],
        [{ reason: 'x' }, 'ENTRY.CORRECTION_CHANGES_NOTHING'],
      ] as [object, string][]) {
        const res = await post('/centres/tm-a/funding/entries/badcorr/correction', body, c);
        expect([JSON.stringify(body), res.status >= 400 && res.status < 500, res.body.code]).toEqual([JSON.stringify(body), true, code]);
      }
      expect(await t.store.headPosition()).toBe(before);
    });
  });

  // ---------------------------------------------------------------- staff-years
  describe('staff-years and 31.12 headcounts', () => {
    const start = (centreId: string, county: string, over: object) =>
      post(`/centres/${centreId}/staff-positions`, { title: 'Veileder', employerKind: 'county-authority', fte: '1', payer: { kind: 'centre' }, startedOn: '2012-01-01', ...over }, fo(county));

    beforeAll(async () => {
      await centre('tr-a', 'troms');
      const c = fo('troms');
      expect((await start('tr-a', 'troms', { positionId: 'tr-pA' })).status).toBe(201);
      expect((await start('tr-a', 'troms', { positionId: 'tr-pB', employerKind: 'nav-county-office', fte: '0.5', startedOn: '2012-03-01' })).status).toBe(201);
      expect((await post('/centres/tr-a/staff-positions/tr-pB/changes', { effectiveFrom: '2012-09-01', fte: '0.81' }, c)).status).toBe(201);
      expect((await t.http().post('/centres/tr-a/staff-positions/tr-pB/end').set(c).send({ endedOn: '2013-06-30' })).status).toBe(200);
      expect((await start('tr-a', 'troms', { positionId: 'tr-pC', employerKind: 'municipality', fte: '0.809', startedOn: '2012-06-15' })).status).toBe(201);
      expect((await t.http().post('/centres/tr-a/staff-positions/tr-pC/end').set(c).send({ endedOn: '2012-12-31' })).status).toBe(200);
      expect((await start('tr-a', 'troms', { positionId: 'tr-pD', employerKind: 'other', fte: 1, startedOn: '2012-02-01' })).status).toBe(201);
      expect((await t.http().post('/centres/tr-a/staff-positions/tr-pD/end').set(c).send({ endedOn: '2012-12-30' })).status).toBe(200);
    });

    it('leap year 2012: FTE integrated day by day, mid-year starts, an FTE change, ends on 30.12 and 31.12', async () => {
      const kf = (await get('/key-figures/2012?counties=troms')).body.counties[0];
      // pA 366 000 + pB 500×184 + 810×122 + pC 809×200 + pD 1000×334
      const fteDays = 366_000 + 500 * 184 + 810 * 122 + 809 * 200 + 334_000;
      expect(kf.staffYearsExact).toEqual({ fteDays, denominator: 366_000 });
      expect(kf.staffYears).toBe('2.9');
      expect(kf.personsByEmployer).toEqual({ centre: 0, 'county-authority': 1, 'nav-county-office': 1, 'nav-local-office': 0, municipality: 1, other: 0 });
      expect(kf.fullTime).toBe(2); // 1.0 and 0.81 count, 0.809 does not
      const mix = (await get('/counties/troms/funding-mix/2012')).body;
      expect(mix.staff.staffYearsExact).toEqual({ fteDays, denominator: 366_000 });
      const list = (await get('/centres/tr-a/staff-positions?year=2012')).body;
      expect(list.map((p: any) => [p.positionId, p.year.fteDays, p.year.onDecember31])).toEqual([
        ['tr-pA', 366_000, true],
        ['tr-pD', 334_000, false],
        ['tr-pB', 500 * 184 + 810 * 122, true],
        ['tr-pC', 809 * 200, true],
      ]);
    });

    it('the next year: the open-ended position counts in full, the ended one up to its last day', async () => {
      const kf = (await get('/key-figures/2013?counties=troms')).body.counties[0];
      expect(kf.staffYearsExact).toEqual({ fteDays: 365_000 + 810 * 181, denominator: 365_000 });
      expect(kf.staffYears).toBe('1.4');
      expect([kf.fullTime, kf.personsByEmployer['county-authority'], kf.personsByEmployer['nav-county-office']]).toEqual([1, 1, 0]);
      const far = (await get('/key-figures/2100?counties=troms')).body.counties[0];
      expect([far.staffYears, far.fullTime]).toEqual(['1.0', 1]);
    });

    it('a half staff-year rounds away from zero once (0.25 FTE a whole year = 0.3)', async () => {
      await centre('tr-b', 'troms', '2014-01-01');
      expect((await start('tr-b', 'troms', { positionId: 'tr-quarter', fte: '0.25', startedOn: '2014-01-01', employerKind: 'centre' })).status).toBe(201);
      const mix = (await get('/centres/tr-b/funding-mix/2014')).body;
      expect(mix.staff).toMatchObject({ staffYears: '0.3', staffYearsExact: { fteDays: 91_250, denominator: 365_000 } });
    });
  });

  // ---------------------------------------------------------------- closed centres
  describe('closed and not-yet-opened centres: funding mix against key figures', () => {
    it('a closed centre\'s open-ended position does not keep adding staff-years to the county after it closed, and can be ended with a last day before the closing date', async () => {
      const c = fo('ostfold');
      await centre('of-a', 'ostfold');
      await centre('of-b', 'ostfold');
      for (const [positionId, centreId] of [['of-pa', 'of-a'], ['of-pb', 'of-b']]) {
        const res = await post(`/centres/${centreId}/staff-positions`, { positionId, title: 'Veileder', employerKind: 'county-authority', fte: '1', startedOn: '2013-01-01' }, c);
        expect(res.status).toBe(201);
      }
      // closedOn is the first day closed: closed from 1 January 2015, the centre is not one of 2015's
      expect((await t.http().post('/centres/of-b/close').set(c).send({ closedOn: '2015-01-01', reason: 'Slått sammen' })).status).toBe(200);
      // while the closed centre's position is still open, the county counts only the centres of the year
      const kf = (await get('/key-figures/2015?counties=ostfold')).body.counties[0];
      expect([kf.centres, kf.staffYears]).toEqual([1, '1.0']);
      const mix = (await get('/counties/ostfold/funding-mix/2015')).body;
      expect([mix.centreIds, mix.staff.staffYears]).toEqual([['of-a'], kf.staffYears]);
      expect((await get('/funding-mix/2015')).body.parts.find((p: any) => p.id === 'ostfold').total).toMatchObject({ entries: 0 });
      // the position can be ended with a last day before the closing date, not on it nor after it; nothing dated from the closing date on is recorded for the centre
      const before = await t.store.headPosition();
      for (const endedOn of ['2015-01-01', '2015-01-31']) {
        const late = await t.http().post('/centres/of-b/staff-positions/of-pb/end').set(c).send({ endedOn });
        expect([late.status, late.body.code]).toEqual([422, 'CENTRE.CLOSED']);
        expect(late.body.message).toContain('a last day before the closing date (2014-12-31 at the latest)');
      }
      const change = await post('/centres/of-b/staff-positions/of-pb/changes', { effectiveFrom: '2015-01-01', fte: '0.5' }, c);
      expect([change.status, change.body.code]).toEqual([422, 'CENTRE.CLOSED']);
      expect(await t.store.headPosition()).toBe(before);
      const end = await t.http().post('/centres/of-b/staff-positions/of-pb/end').set(c).send({ endedOn: '2014-12-31' });
      expect([end.status, end.body.code]).toEqual([200, undefined]);
      const closedMix = (await get('/centres/of-b/funding-mix/2015')).body;
      expect(closedMix.staff.staffYears).toBe('0.0');
      expect((await get('/centres/of-b/funding-mix/2014')).body.staff.staffYears).toBe('1.0');
    });

    it('money and staff for a year before a centre opened: the county funding mix and the key figures agree', async () => {
      await centre('fm-a', 'finnmark', '2014-03-01');
      const rec = await post('/centres/fm-a/funding/operating-grants', grant({ entryId: 'fm-2013', partyId: 'finnmark-fk', amount: '500000.00', fiscalYear: 2013 }), fo('finnmark'));
      // Either refused (the centre did not exist in 2013) or counted the same way everywhere.
      const pos = await post('/centres/fm-a/staff-positions', { positionId: 'fm-p', title: 't', employerKind: 'county-authority', fte: '1', startedOn: '2013-01-01' }, fo('finnmark'));
      if (pos.status === 201) {
        const kf = (await get('/key-figures/2013?counties=finnmark')).body.counties[0];
        const mix = (await get('/counties/finnmark/funding-mix/2013')).body;
        expect({ staffYears: mix.staff.staffYears }).toEqual({ staffYears: kf.staffYears });
      } else expect(pos.status).toBeLessThan(500);
      if (rec.status === 201) {
        const kf = (await get('/key-figures/2013?counties=finnmark')).body.counties[0];
        const mix = (await get('/counties/finnmark/funding-mix/2013')).body;
        const line = mix.byPartyAndKind.find((l: any) => l.partyId === 'finnmark-fk' && l.kind === 'operating-grant');
        expect(kf.money['operatingGrant.countyAuthority'].amount).toBe(line?.amount ?? null);
      } else expect(rec.status).toBeLessThan(500);
    });
  });

  // ---------------------------------------------------------------- cost shares
  describe('owner cost-share compliance', () => {
    it('weights an amendment by days in a leap year and values directly paid staff by days paid', async () => {
      const c = fo('hedmark');
      await centre('he-a', 'hedmark');
      const reg = await post('/centres/he-a/owner-agreements', { agreementId: 'he-owners', parties: [{ partyId: 'hedmark-fk', shareBp: 5000 }, { partyId: 'nav-hedmark', shareBp: 5000 }], period: { from: '2012-01-01', to: null }, signedOn: '2011-12-01' }, c);
      expect(reg.status).toBe(201);
      const am = await post('/centres/he-a/owner-agreements/he-owners/amend', { effectiveFrom: '2012-07-01', parties: [{ partyId: 'hedmark-fk', shareBp: 6000 }, { partyId: 'nav-hedmark', shareBp: 4000 }], period: { from: '2012-01-01', to: null } }, c);
      expect([am.status < 300, am.body.code]).toEqual([true, undefined]);
      expect((await post('/centres/he-a/funding/operating-grants', grant({ partyId: 'hedmark-fk', amount: '600000.00', fiscalYear: 2012 }), c)).status).toBe(201);
      expect((await post('/centres/he-a/funding/operating-grants', grant({ partyId: 'nav-hedmark', amount: '400000.00', fiscalYear: 2012 }), c)).status).toBe(201);
      expect((await post('/centres/he-a/funding/in-kind-contributions', { fiscalYear: 2012, partyId: 'nav-hedmark', decidedOn: '2012-01-01', inKindKind: 'premises', estimatedValue: '999999.00' }, c)).status).toBe(201);
      const pos = await post('/centres/he-a/staff-positions', { positionId: 'he-nav', title: 'NAV-veileder', employerKind: 'nav-county-office', fte: '1', payer: { kind: 'party', partyId: 'nav-hedmark' }, annualCost: '366000.00', startedOn: '2012-07-01' }, c);
      expect(pos.status).toBe(201);
      const res = await get('/owner-agreements/he-owners/cost-share-compliance/2012');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ daysInForce: 366, ownersActualTotal: '1184000.00', complete: true });
      expect(res.body.parties.map((p: any) => [p.partyId, p.agreedSharePercent, p.money, p.staffValue, p.actual, p.actualSharePercent, p.differencePercentagePoints, p.differenceNok])).toEqual([
        ['hedmark-fk', '55.0', '600000.00', '0.00', '600000.00', '50.7', '-4.4', '-51523.50'],
        ['nav-hedmark', '45.0', '400000.00', '184000.00', '584000.00', '49.3', '4.4', '51523.50'],
      ]);
    });

    it('a termination from 1 January takes the agreement out of that year; the last day before it still counts', async () => {
      const c = fo('oppland');
      await centre('op-a', 'oppland');
      expect((await post('/centres/op-a/owner-agreements', { agreementId: 'op-owners', parties: [{ partyId: 'oppland-fk', shareBp: 10000 }], period: { from: '2012-12-31', to: null }, signedOn: '2012-12-01' }, c)).status).toBe(201);
      const term = await post('/centres/op-a/owner-agreements/op-owners/terminate', { effectiveFrom: '2013-01-01', reason: 'Ny avtale' }, c);
      expect([term.status, term.body.code]).toEqual([expect.any(Number), undefined]);
      expect((await get('/owner-agreements/op-owners/cost-share-compliance/2013')).body.code).toBe('OWNER_AGREEMENT.NOT_IN_FORCE');
      expect((await get('/owner-agreements/cost-share-compliance/2013?countyId=oppland')).body).toEqual([]);
      const y2012 = (await get('/owner-agreements/op-owners/cost-share-compliance/2012')).body;
      expect(y2012).toMatchObject({ daysInForce: 1, parties: [expect.objectContaining({ partyId: 'oppland-fk', agreedSharePercent: '100.0', actualSharePercent: null })] });
    });
  });

  // ---------------------------------------------------------------- indicators, shares, stale answers
  describe('key figures indicators and funding-mix shares', () => {
    beforeAll(async () => {
      const c = fo('vest-agder');
      for (const id of ['va-1', 'va-2', 'va-3']) await centre(id, 'vest-agder');
      await party('va-kommune', 'municipality', 'vest-agder');
      // operating grant from the county authority at every centre, one of them with the amount not reported
      expect((await post('/centres/va-1/funding/operating-grants', grant({ partyId: 'vest-agder-fk', amount: '100.00' }), c)).status).toBe(201);
      expect((await post('/centres/va-2/funding/operating-grants', grant({ partyId: 'vest-agder-fk', amount: '100.00' }), c)).status).toBe(201);
      expect((await post('/centres/va-3/funding/operating-grants', grant({ partyId: 'vest-agder-fk', amount: null }), c)).status).toBe(201);
      // earmarked from NAV at one centre; from the municipality at one centre, then reversed
      expect((await post('/centres/va-1/funding/earmarked-funds', grant({ partyId: 'nav-vest-agder', amount: '100.00', purpose: 'p', period: { from: '2013-01-01', to: '2013-12-31' } }), c)).status).toBe(201);
      expect((await post('/centres/va-2/funding/operating-grants', grant({ entryId: 'va-mun', partyId: 'va-kommune', amount: '100.00' }), c)).status).toBe(201);
      expect((await post('/centres/va-2/funding/entries/va-mun/reversal', { reason: 'feil' }, c)).status).toBe(201);
      // staff paid directly by NAV at one centre, only for part of the year
      expect((await post('/centres/va-3/staff-positions', { positionId: 'va-nav', title: 'v', employerKind: 'nav-county-office', fte: '0.5', payer: { kind: 'centre' }, startedOn: '2013-01-01' }, c)).status).toBe(201);
      expect((await post('/centres/va-3/staff-positions/va-nav/changes', { effectiveFrom: '2013-10-01', payer: { kind: 'party', partyId: 'nav-vest-agder' } }, c)).status).toBe(201);
    });

    it('Ja with a partly unreported total, Varierer, "-" after a reversal; staff paid directly from the day the payer changed', async () => {
      const kf = (await get('/key-figures/2013?counties=vest-agder')).body.counties[0];
      expect(kf.money['operatingGrant.countyAuthority']).toMatchObject({ indicator: 'Ja', centresWith: 3, amount: '200.00', unreportedEntries: 1 });
      expect(kf.money['earmarked.navCountyOffice']).toMatchObject({ indicator: 'Varierer', centresWith: 1, amount: '100.00' });
      expect(kf.money['operatingGrant.municipalities']).toMatchObject({ indicator: '-', centresWith: 0, amount: null });
      // 500 × 92 days (Oct–Dec) = 46 000 FTE-days → 0.1
      expect(kf.staffPaidDirectly['staffPaidDirectly.navCountyOffice']).toMatchObject({ indicator: 'Varierer', centresWith: 1, staffYears: '0.1', fteDays: 46_000 });
      const csv = (await get('/key-figures/2013?counties=vest-agder&format=csv')).text;
      expect(csv).toContain(`"Driftsmidler fra fylkeskommunen, kr",200.00 + ikke oppgitt`);
      expect(csv).toContain('Øremerkede midler fra NAV fylke,Varierer');
      const mix = (await get('/counties/vest-agder/funding-mix/2013')).body;
      const sum = (l: any[]) => l.reduce((s, p) => s + (p.sharePercent === null ? 0 : Math.round(Number(p.sharePercent) * 10)), 0);
      expect(sum(mix.byParty)).toBe(1000);
      expect(sum(mix.byKind)).toBe(1000);
      // 200 of 300 from the county authority, 100 from NAV: 66.7 / 33.3
      expect(mix.byParty.map((p: any) => [p.partyId, p.amount, p.sharePercent])).toEqual([['vest-agder-fk', '200.00', '66.7'], ['nav-vest-agder', '100.00', '33.3']]);
      expect(mix.staff.paidDirectly).toEqual([expect.objectContaining({ partyId: 'nav-vest-agder', staffYears: '0.1', value: null, valueComplete: false })]);
    });

    it('answers follow a write at once (no stale cached funding mix, key figures JSON/CSV, staff positions)', async () => {
      const c = fo('vest-agder');
      const urls = ['/key-figures/2013?counties=vest-agder', '/key-figures/2013?counties=vest-agder&format=csv', '/counties/vest-agder/funding-mix/2013', '/centres/va-2/funding-mix/2013', '/funding-mix/2013', '/centres/va-2/staff-positions?year=2013'];
      const auditor = await t.auth('auditor');
      const before = await Promise.all(urls.map((u) => get(u, auditor)));
      for (const b of before) expect(b.status).toBe(200);
      const w = await post('/centres/va-2/funding/earmarked-funds', grant({ partyId: 'nav-vest-agder', amount: '0.01', purpose: 'p', period: { from: '2013-01-01', to: null } }), c);
      expect(w.status).toBe(201);
      const s = await post('/centres/va-2/staff-positions', { positionId: 'va-2-new', title: 'v', employerKind: 'centre', fte: '1', startedOn: '2013-12-31' }, c);
      expect(s.status).toBe(201);
      const after = await Promise.all(urls.map((u) => get(u, auditor)));
      const kf = after[0].body.counties[0];
      expect(kf.money['earmarked.navCountyOffice']).toMatchObject({ indicator: 'Varierer', centresWith: 2, amount: '100.01' });
      expect(kf.personsByEmployer.centre).toBe(1);
      expect(after[1].text).toContain(`"Øremerkede midler fra NAV fylke, kr",100.01`);
      expect(after[2].body.total.amount).toBe('300.01');
      expect(after[3].body.byKind.find((k: any) => k.kind === 'earmarked')).toMatchObject({ amount: '0.01' });
      expect(after[4].body.parts.find((p: any) => p.id === 'vest-agder').total.amount).toBe('300.01');
      expect(after[5].body.map((p: any) => p.positionId)).toContain('va-2-new');
    });
  });

  // ---------------------------------------------------------------- bad input
  describe('bad input is refused with a stable 4xx code and records nothing', () => {
    beforeAll(async () => {
      await centre('bu-a', 'buskerud');
    });
    it('operating grant: malformed amounts, years, dates and ids', async () => {
      for (const [what, over, code] of [
        ['amount with a thousands separator', { amount: '1 000.00' }, 'MONEY.INVALID'],
        ['amount with a plus sign', { amount: '+100' }, 'MONEY.INVALID'],
        ['amount in exponent form', { amount: '1e5' }, 'MONEY.INVALID'],
        ['amount missing', { amount: undefined }, 'MONEY.MISSING'],
        ['fiscal year as a string', { fiscalYear: '2013' }, 'FISCAL_YEAR.OUT_OF_RANGE'],
        ['fiscal year fractional', { fiscalYear: 2013.5 }, 'FISCAL_YEAR.OUT_OF_RANGE'],
        ['decidedOn not a real date', { decidedOn: '2013-02-29' }, 'DATE.INVALID'],
        // A date in another form is the same mistake as one not in the calendar (was VALIDATION.FAILED).
        ['decidedOn written day.month.year', { decidedOn: '15.01.2013' }, 'DATE.INVALID'],
        ['decidedOn without leading zeros', { decidedOn: '2013-1-5' }, 'DATE.INVALID'],
        ['decidedOn with a time', { decidedOn: '2013-01-15T00:00:00Z' }, 'DATE.INVALID'],
        ['entry id ending like a correction', { entryId: 'x.c7' }, 'VALIDATION.FAILED'],
      ] as [string, any, string][]) {
        const before = await t.store.headPosition();
        const body: any = grant({ partyId: 'buskerud-fk', ...over });
        if ('amount' in over && over.amount === undefined) delete body.amount;
        const res = await post('/centres/bu-a/funding/operating-grants', body, fo('buskerud'));
        expect([what, res.status >= 400 && res.status < 500, res.body.code]).toEqual([what, true, code]);
        expect(await t.store.headPosition()).toBe(before);
      }
    });

    it('staff positions: FTE with four decimals, FTE as null, a payer party that is not registered, change before start', async () => {
      const c = fo('buskerud');
      const before = await t.store.headPosition();
      const start = (over: object) => post('/centres/bu-a/staff-positions', { positionId: 'bu-p', title: 't', employerKind: 'centre', fte: '1', startedOn: '2013-01-01', ...over }, c);
      for (const [over, code] of [
        [{ fte: '0.8105' }, 'STAFF.FTE_INVALID'],
        [{ fte: null }, 'STAFF.FTE_INVALID'],
        [{ fte: '1.5' }, 'STAFF.FTE_OUT_OF_RANGE'],
        [{ payer: { kind: 'party', partyId: 'ghost' } }, 'PARTY.NOT_FOUND'],
        [{ payer: { kind: 'party' } }, 'STAFF.PAYER_INVALID'],
        [{ annualCost: 650000 }, 'MONEY.NOT_A_DECIMAL_STRING'],
        [{ startedOn: '2013-13-01' }, undefined],
      ] as [object, string | undefined][]) {
        const res = await start(over);
        expect([JSON.stringify(over), res.status >= 400 && res.status < 500, code === undefined || res.body.code === code]).toEqual([JSON.stringify(over), true, true]);
      }
      expect(await t.store.headPosition()).toBe(before);
      expect((await start({})).status).toBe(201);
      const early = await post('/centres/bu-a/staff-positions/bu-p/changes', { effectiveFrom: '2012-12-31', fte: '0.5' }, c);
      expect([early.status, early.body.code]).toEqual([422, 'STAFF.CHANGED_BEFORE_START']);
    });
  });

  // ---------------------------------------------------------------- auditor's as-of, ids
  describe('as of a recorded time; entry ids', () => {
    it('the funding mix and key figures as of the moment before a correction show the old amount', async () => {
      const c = fo('rogaland');
      await centre('ro-a', 'rogaland');
      const first = await post('/centres/ro-a/funding/operating-grants', grant({ entryId: 'ro-g', partyId: 'rogaland-fk', amount: '100.00' }), c);
      expect(first.status).toBe(201);
      await new Promise((r) => setTimeout(r, 20));
      const corr = await post('/centres/ro-a/funding/entries/ro-g/correction', { reason: 'beløp', amount: '250.00' }, c);
      expect(corr.status).toBe(201);
      expect(corr.body.recordedAt > first.body.recordedAt).toBe(true);
      const auditor = await t.auth('auditor');
      const then = (await get(`/centres/ro-a/funding-mix/2013?asOf=${encodeURIComponent(first.body.recordedAt)}`, auditor)).body;
      expect(then.total).toMatchObject({ amount: '100.00', entries: 1 });
      const now = (await get(`/centres/ro-a/funding-mix/2013?asOf=${encodeURIComponent(corr.body.recordedAt)}`, auditor)).body;
      expect(now.total).toMatchObject({ amount: '250.00', entries: 1 });
      const kfThen = (await get(`/key-figures/2013?counties=rogaland&asOf=${encodeURIComponent(first.body.recordedAt)}`, auditor)).body.counties[0];
      expect(kfThen.money['operatingGrant.countyAuthority'].amount).toBe('100.00');
    });

    it('an entry id already used at another centre is refused (409) and the first entry is untouched', async () => {
      const c = fo('rogaland');
      await centre('ro-b', 'rogaland');
      const dup = await post('/centres/ro-b/funding/operating-grants', grant({ entryId: 'ro-g', partyId: 'rogaland-fk', amount: '1.00' }), c);
      expect([dup.status, dup.body.code]).toEqual([409, 'ENTRY.ALREADY_EXISTS']);
      const other = await post('/centres/ro-b/funding/entries/ro-g.c1/correction', { reason: 'x', amount: '2.00' }, c);
      expect([other.status, other.body.code]).toEqual([422, 'ENTRY.OTHER_CENTRE']);
    });

    it('a position change that changes nothing records nothing and does not fail', async () => {
      const c = fo('rogaland');
      expect((await post('/centres/ro-a/staff-positions', { positionId: 'ro-p', title: 't', employerKind: 'centre', fte: '0.5', startedOn: '2013-01-01' }, c)).status).toBe(201);
      const before = await t.store.headPosition();
      const same = await post('/centres/ro-a/staff-positions/ro-p/changes', { effectiveFrom: '2013-06-01', fte: '0.500' }, c);
      expect(same.status).toBeLessThan(300);
      expect(await t.store.headPosition()).toBe(before);
    });
  });
});
