import { startTestApp, TestApp } from '../helpers/test-app';

/**
 * Review as a demanding county finance officer (role `finance-officer`, scoped to own counties).
 *
 * Kari keeps Telemark's books; Ola keeps Østfold's. Everything goes through HTTP, as their
 * spreadsheets and integrations would. Every expected figure below is worked out by hand from what
 * the test itself records (øre sums, FTE × days, largest-remainder shares); the comments show the
 * arithmetic. Each check can fail; a failing check is a finding, not a test to be weakened.
 *
 * Years are kept apart so that the checks do not disturb each other:
 *  - 2013: the funding mix and key figures of Telemark (kc-skien and kc-notodden)
 *  - 2014: large amounts and tie-breaking shares (kc-notodden)
 *  - 2015/2016 money: reversals, corrections, idempotency (kc-skien)
 *  - staff: kc-rjukan (opened 2015) in 2016 (leap year), 2017, 2018, 2019; full time at kc-skien in 2018
 */

type Auth = { Authorization: string };

/** A stable code: upper-case words joined by dots, e.g. MONEY.INVALID. */
const CODE = /^[A-Z][A-Z0-9_]*(\.[A-Z][A-Z0-9_]*)*$/;

describe('a county finance officer reviews the ledger over HTTP', () => {
  let t: TestApp;
  let kari: Auth; // finance officer, Telemark
  let kariAgain: Auth; // the same person (same sub), a fresh token
  let ola: Auth; // finance officer, Østfold
  let revisor: Auth; // auditor, to count the log

  const post = (path: string, body: unknown, who: Auth = kari, key?: string) => {
    const r = t.http().post(path).set(who);
    if (key !== undefined) r.set('Idempotency-Key', key);
    return r.send(body as object);
  };
  const get = (path: string, who: Auth = kari) => t.http().get(path).set(who);

  const ok = async (path: string, body: unknown, who: Auth = kari, key?: string) => {
    const res = await post(path, body, who, key);
    if (res.status >= 300) throw new Error(`POST ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body;
  };

  /** The length of the log as the auditor sees it (the head position of the digest). */
  const logLength = async (): Promise<number> => {
    const res = await get('/audit/digest', revisor);
    expect(res.status).toBe(200);
    return res.body.headPosition;
  };

  const mix = async (path: string, who: Auth = kari) => {
    const res = await get(path, who);
    expect(res.status).toBe(200);
    return res.body;
  };

  /** A refusal as promised: status, stable code, the one error shape, a message in words, nothing recorded. */
  const refused = async (path: string, body: unknown, status: number, code: string, opts: { who?: Auth; key?: string } = {}) => {
    const before = await logLength();
    const res = await post(path, body, opts.who ?? kari, opts.key);
    const seen = `${res.status} ${res.body?.code}: ${res.body?.message}`;
    expect([res.status, res.body?.code, seen]).toEqual([status, code, seen]);
    expect(Object.keys(res.body).sort()).toEqual(['code', 'details', 'message', 'statusCode']);
    expect(res.body.statusCode).toBe(status);
    expect(res.body.code).toMatch(CODE);
    expect(typeof res.body.message).toBe('string');
    expect(res.body.message).not.toMatch(/\bundefined\b|\bNaN\b|\[object Object\]|\n\s+at\s/);
    expect(await logLength()).toBe(before);
    return res;
  };

  const byKey = <T extends Record<string, any>>(list: T[], key: string): Record<string, T> => Object.fromEntries(list.map((x) => [x[key], x]));

  const SKIEN = '/centres/kc-skien';
  const NOTODDEN = '/centres/kc-notodden';
  const RJUKAN = '/centres/kc-rjukan';
  const grant = (over: Record<string, unknown> = {}) => ({ fiscalYear: 2015, partyId: 'telemark-fk', decidedOn: '2014-12-10', amount: '100000.00', reference: 'FT-sak 88/14', ...over });
  const position = (over: Record<string, unknown> = {}) => ({ title: 'Karriereveileder', employerKind: 'county-authority', employerPartyId: 'telemark-fk', fte: '1', payer: { kind: 'centre' }, ...over });

  beforeAll(async () => {
    t = await startTestApp({ seed: true, env: { LEDGER_RATE_LIMIT_PER_MINUTE: '0' } });
    kari = await t.auth('finance-officer', ['telemark'], 'kari-telemark');
    kariAgain = await t.auth('finance-officer', ['telemark'], 'kari-telemark');
    ola = await t.auth('finance-officer', ['ostfold'], 'ola-ostfold');
    revisor = await t.auth('auditor', [], 'revisor');
    for (const p of [
      { partyId: 'telemark-fk', name: 'Telemark fylkeskommune', kind: 'county-authority', countyId: 'telemark' },
      { partyId: 'nav-telemark', name: 'NAV Telemark', kind: 'nav-county-office', countyId: 'telemark' },
      { partyId: 'skien-kommune', name: 'Skien kommune', kind: 'municipality', countyId: 'telemark' },
    ]) await ok('/parties', p, kari);
    for (const p of [
      { partyId: 'ostfold-fk', name: 'Østfold fylkeskommune', kind: 'county-authority', countyId: 'ostfold' },
      { partyId: 'nav-ostfold', name: 'NAV Østfold', kind: 'nav-county-office', countyId: 'ostfold' },
    ]) await ok('/parties', p, ola);
    await ok('/centres', { centreId: 'kc-skien', countyId: 'telemark', name: 'Karrieresenteret Skien', municipality: 'Skien', openedOn: '2009-09-01' });
    await ok('/centres', { centreId: 'kc-notodden', countyId: 'telemark', name: 'Karrieresenteret Notodden', municipality: 'Notodden', openedOn: '2010-01-01' });
    await ok('/centres', { centreId: 'kc-rjukan', countyId: 'telemark', name: 'Karrieresenteret Rjukan', municipality: 'Tinn', openedOn: '2015-01-01' });
    await ok('/centres', { centreId: 'kc-sarpsborg', countyId: 'ostfold', name: 'Karrieresenteret i Østfold', municipality: 'Sarpsborg', openedOn: '2008-01-01' }, ola);
  });
  afterAll(() => t?.close());

  // ------------------------------------------------------------------------------------------------
  // Recording each kind of money (2013, kc-skien) and the funding mix it gives
  // ------------------------------------------------------------------------------------------------

  describe('the 2013 books of Telemark', () => {
    beforeAll(async () => {
      const y = { fiscalYear: 2013, decidedOn: '2012-12-12' };
      await ok(`${SKIEN}/funding/operating-grants`, { ...y, entryId: 'sk13-drift', partyId: 'telemark-fk', amount: '2363000.00', reference: 'FT-sak 88/12' });
      await ok(`${SKIEN}/funding/earmarked-funds`, { ...y, entryId: 'sk13-oremerket-fk', partyId: 'telemark-fk', amount: '731000.00', purpose: 'Realkompetansevurdering', period: { from: '2013-01-01', to: '2013-12-31' } });
      await ok(`${SKIEN}/funding/earmarked-funds`, { ...y, entryId: 'sk13-oremerket-nav', partyId: 'nav-telemark', amount: null, purpose: 'Oppstartsveiledning', period: { from: '2013-01-01', to: null } });
      await ok(`${SKIEN}/funding/tender-awards`, { ...y, entryId: 'sk13-anbud', partyId: 'nav-telemark', amount: '300000.50', contractReference: 'NAV-2013/417', period: { from: '2013-03-01', to: '2013-12-31' } });
      await ok(`${SKIEN}/funding/other-income`, { ...y, entryId: 'sk13-kurs', partyId: 'skien-kommune', amount: '2500.01', incomeKind: 'course-fees' });
      await ok(`${SKIEN}/funding/in-kind-contributions`, { ...y, entryId: 'sk13-lokaler', partyId: 'skien-kommune', inKindKind: 'premises', estimatedValue: '120000.00' });
      await ok(`${NOTODDEN}/funding/operating-grants`, { ...y, entryId: 'no13-drift', partyId: 'telemark-fk', amount: '500000.00' });
      await ok(`${NOTODDEN}/funding/earmarked-funds`, { ...y, entryId: 'no13-oremerket-nav', partyId: 'nav-telemark', amount: null, purpose: 'Oppstartsveiledning', period: { from: '2013-01-01', to: '2013-12-31' } });
      // Staff: a full-time county employee at Skien all year; a half-time counsellor at Notodden from 1 July, employed by the centre, paid directly by NAV Telemark.
      await ok(`${SKIEN}/staff-positions`, position({ positionId: 'sk13-leder', startedOn: '2013-01-01' }));
      await ok(`${SKIEN}/staff-positions/sk13-leder/end`, { endedOn: '2013-12-31' });
      await ok(`${NOTODDEN}/staff-positions`, position({ positionId: 'no13-veileder', employerKind: 'centre', employerPartyId: null, fte: '0.5', payer: { kind: 'party', partyId: 'nav-telemark' }, startedOn: '2013-07-01' }));
      await ok(`${NOTODDEN}/staff-positions/no13-veileder/end`, { endedOn: '2013-12-31' });
    });

    it('records each kind of money: the centre total is the øre sum of the reported cash, in-kind apart, unreported listed, shares by the largest-remainder rule adding up to 100.0 (README: Funding, The rounding rule)', async () => {
      const m = await mix(`${SKIEN}/funding-mix/2013`);
      // 2 363 000.00 + 731 000.00 + 300 000.50 + 2 500.01 = 3 396 500.51 (the NAV earmarked entry has no amount)
      expect(m.total).toMatchObject({ amount: '3396500.51', amountOre: 339650051, entries: 5, unreportedEntries: 1, complete: false });
      expect(m.unreported.map((u: any) => u.entryId)).toEqual(['sk13-oremerket-nav']);
      expect(m.inKind).toEqual([expect.objectContaining({ partyId: 'skien-kommune', estimatedValue: '120000.00', entries: 1, unvaluedEntries: 0 })]);
      const kinds = byKey(m.byKind, 'kind');
      expect(kinds['operating-grant']).toMatchObject({ amount: '2363000.00', entries: 1 });
      expect(kinds.earmarked).toMatchObject({ amount: '731000.00', entries: 2, unreportedEntries: 1 });
      expect(kinds.tender).toMatchObject({ amount: '300000.50', entries: 1 });
      expect(kinds['other-income']).toMatchObject({ amount: '2500.01', entries: 1 });
      expect(kinds['in-kind']).toBeUndefined();
      // Shares (README, The rounding rule). By kind, ‰ of 339 650 051 øre: operating 695.716, earmarked 215.222, tender 88.326,
      // other 0.736 → floors 695+215+88+0 = 998; the 2 missing tenths go to the largest remainders: other income (.736), operating grant (.716).
      expect(Object.fromEntries(Object.entries(kinds).map(([k, v]) => [k, v.sharePercent]))).toEqual({ 'operating-grant': '69.6', earmarked: '21.5', tender: '8.8', 'other-income': '0.1' });
      // By party: telemark-fk 309 400 000 øre → 910.938; nav-telemark 30 000 050 → 88.326; skien-kommune 250 001 → 0.736 → 910+88+0 = 998; +1 to telemark-fk (.938) and skien (.736).
      expect(m.byParty.map((p: any) => [p.partyId, p.amount, p.sharePercent])).toEqual([
        ['telemark-fk', '3094000.00', '91.1'],
        ['nav-telemark', '300000.50', '8.8'],
        ['skien-kommune', '2500.01', '0.1'],
      ]);
      const tenths = (list: any[]) => list.reduce((s, x) => s + Math.round(Number(x.sharePercent) * 10), 0);
      expect([tenths(m.byParty), tenths(m.byKind)]).toEqual([1000, 1000]);
    });

    it('the county mix adds both centres to the øre and names each centre\'s part (README: a county\'s mix counts the centres the key figures count)', async () => {
      const m = await mix('/counties/telemark/funding-mix/2013');
      // 3 396 500.51 + 500 000.00 (Notodden's operating grant; its NAV earmarked entry has no amount)
      expect(m.total).toMatchObject({ amount: '3896500.51', entries: 7, unreportedEntries: 2, complete: false });
      expect(m.parts.map((p: any) => [p.id, p.total.amount])).toEqual([
        ['kc-skien', '3396500.51'],
        ['kc-notodden', '500000.00'],
      ]);
      // telemark-fk 2 363 000 + 731 000 + 500 000 = 3 594 000.00; ‰ of 389 650 051: 922.366 / 76.993 / 0.642 → 922+76+0 = 998; +1 to nav (.993), +1 to skien (.642)
      expect(m.byParty.map((p: any) => [p.partyId, p.amount, p.sharePercent])).toEqual([
        ['telemark-fk', '3594000.00', '92.2'],
        ['nav-telemark', '300000.50', '7.7'],
        ['skien-kommune', '2500.01', '0.1'],
      ]);
    });

    it('key figures give Ja / Varierer / - per row, and Ja with no sum when only "amount not reported" came (DOMAIN: key figures; README: Unreported amounts)', async () => {
      const res = await get('/key-figures/2013?counties=telemark');
      expect(res.status).toBe(200);
      const tm = res.body.counties.find((c: any) => c.countyId === 'telemark');
      const row = (k: string) => [tm.money[k].indicator, tm.money[k].amount];
      expect(tm.centres).toBe(2); // Rjukan opened in 2015
      expect(row('operatingGrant.countyAuthority')).toEqual(['Ja', '2863000.00']); // both centres: 2 363 000 + 500 000
      expect(row('operatingGrant.navCountyOffice')).toEqual(['-', null]);
      expect(row('operatingGrant.municipalities')).toEqual(['-', null]);
      expect(row('earmarked.countyAuthority')).toEqual(['Varierer', '731000.00']); // Skien only
      expect(row('earmarked.navCountyOffice')).toEqual(['Ja', null]); // both, neither with an amount
      expect(row('tender.navCountyOffice')).toEqual(['Varierer', '300000.50']);
      expect(row('otherIncome')).toEqual(['Varierer', '2500.01']);
    });

    it('key figures count staff: persons on 31.12 by employer, full time, staff-years with one decimal, staff-years paid directly by NAV (DOMAIN: key figures)', async () => {
      const tm = (await get('/key-figures/2013?counties=telemark')).body.counties[0];
      expect(tm.personsByEmployer).toMatchObject({ 'county-authority': 1, centre: 1, 'nav-county-office': 0 });
      expect(tm.fullTime).toBe(1);
      // 1.0 × 365 days + 0.5 × 184 days (1 Jul–31 Dec) = 365 000 + 92 000 = 457 000 FTE‰-days of 365 000 → 1.252 → 1.3
      expect(tm.staffYearsExact).toEqual({ fteDays: 457000, denominator: 365000 });
      expect(tm.staffYears).toBe('1.3');
      // NAV pays 92 000 / 365 000 = 0.252 → 0.3, at Notodden only
      expect(tm.staffPaidDirectly['staffPaidDirectly.navCountyOffice']).toMatchObject({ indicator: 'Varierer', staffYears: '0.3' });
      expect(tm.staffPaidDirectly['staffPaidDirectly.countyAuthority']).toMatchObject({ indicator: '-', staffYears: null });
    });

    it('the key figures CSV (?format=csv) shows the same cells, "ikke oppgitt" where the money came without an amount (README: Unreported amounts)', async () => {
      const res = await get('/key-figures/2013?counties=telemark&format=csv');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv/);
      const lines = res.text.replace(/^\uFEFF/, '').split('\r\n');
      // A label holding a comma is quoted ("Driftsmidler fra fylkeskommunen, kr"); the county cells here hold none.
      const cell = (label: string) => {
        const quoted = label.includes(',') ? `"${label}",` : `${label},`;
        return lines.find((l) => l.startsWith(quoted))?.slice(quoted.length).split(',');
      };
      expect(cell('Driftsmidler fra fylkeskommunen')).toEqual(['Ja']);
      expect(cell('Driftsmidler fra fylkeskommunen, kr')).toEqual(['2863000.00']);
      expect(cell('Øremerkede midler fra NAV fylke')).toEqual(['Ja']);
      expect(cell('Øremerkede midler fra NAV fylke, kr')).toEqual(['ikke oppgitt']);
      expect(cell('Årsverk')).toEqual(['1.3']);
    });

    it('the funding-mix report CSV for the county writes the total with a decimal comma and says "+ ikke oppgitt" when part of it has no amount (README, Auditing: report routes)', async () => {
      const res = await get('/reports/funding-mix/2013/csv?county=telemark');
      expect(res.status).toBe(200);
      const rows = res.text.replace(/^\uFEFF/, '').split('\r\n').map((l: string) => l.split(';'));
      const party = rows.find((r: string[]) => r[0] === 'Telemark fylkeskommune');
      expect(party?.slice(2, 5)).toEqual(['3594000,00', '92,2', '3']); // Skien's two entries and Notodden's one
      const sum = rows.find((r: string[]) => r[0] === 'Sum');
      // The county total leaves out the two entries without an amount: the README promises "<sum> + ikke oppgitt".
      expect(sum?.[2]).toBe('3896500,51 + ikke oppgitt');
    });
  });

  // ------------------------------------------------------------------------------------------------
  // Large and tiny amounts, ties
  // ------------------------------------------------------------------------------------------------

  it('large and tiny amounts add up exactly to the øre ("123456789012.34" + "987654321.99" + "0.01"), shares still 100.0 (README: The limit of exact sums)', async () => {
    const y = { fiscalYear: 2014, decidedOn: '2014-01-15' };
    await ok(`${NOTODDEN}/funding/operating-grants`, { ...y, partyId: 'telemark-fk', amount: '123456789012.34' });
    await ok(`${NOTODDEN}/funding/tender-awards`, { ...y, partyId: 'nav-telemark', amount: '987654321.99', contractReference: 'NAV-2014/1', period: { from: '2014-01-01', to: '2014-12-31' } });
    await ok(`${NOTODDEN}/funding/other-income`, { ...y, partyId: 'skien-kommune', amount: '0.01', incomeKind: 'sales' });
    const m = await mix(`${NOTODDEN}/funding-mix/2014`);
    // 12 345 678 901 234 + 98 765 432 199 + 1 = 12 444 444 333 434 øre
    expect(m.total).toMatchObject({ amount: '124444443334.34', amountOre: 12444444333434, entries: 3, complete: true });
    // ‰: 992.063 / 7.937 / 0.000 → 992+7+0 = 999; the missing tenth to nav (.937)
    expect(m.byParty.map((p: any) => [p.partyId, p.amount, p.sharePercent])).toEqual([
      ['telemark-fk', '123456789012.34', '99.2'],
      ['nav-telemark', '987654321.99', '0.8'],
      ['skien-kommune', '0.01', '0.0'],
    ]);
  });

  it('three equal parties get 33.4 / 33.3 / 33.3, the odd tenth by the documented tie rule (larger amount, then id) (README: The rounding rule)', async () => {
    const y = { fiscalYear: 2014, decidedOn: '2014-01-15' };
    for (const partyId of ['telemark-fk', 'skien-kommune', 'nav-telemark']) await ok(`${SKIEN}/funding/operating-grants`, { ...y, partyId, amount: '100.00' });
    const m = await mix(`${SKIEN}/funding-mix/2014`);
    const shares = Object.fromEntries(m.byParty.map((p: any) => [p.partyId, p.sharePercent]));
    // Equal remainders, equal amounts: the id decides, alphabetically first: nav-telemark.
    expect(shares).toEqual({ 'nav-telemark': '33.4', 'skien-kommune': '33.3', 'telemark-fk': '33.3' });
    expect(m.total.amount).toBe('300.00');
  });

  // ------------------------------------------------------------------------------------------------
  // Reversals and corrections (2015, kc-skien)
  // ------------------------------------------------------------------------------------------------

  describe('reversals and corrections', () => {
    it('a reversal takes the entry out of every total and answers the reversal\'s id; a second reversal is 409 ENTRY.ALREADY_REVERSED, nothing recorded', async () => {
      await ok(`${SKIEN}/funding/operating-grants`, grant({ entryId: 'sk15-dobbel', amount: '45000.00' }));
      await ok(`${SKIEN}/funding/operating-grants`, grant({ entryId: 'sk15-drift', amount: '1800000.00' }));
      const rev = await post(`${SKIEN}/funding/entries/sk15-dobbel/reversal`, { reason: 'Ført to ganger' });
      expect(rev.status).toBe(201);
      expect(rev.body.entryId).toBe('sk15-dobbel.reversal');
      const m = await mix(`${SKIEN}/funding-mix/2015`);
      expect(m.total).toMatchObject({ amount: '1800000.00', entries: 1 });
      const again = await refused(`${SKIEN}/funding/entries/sk15-dobbel/reversal`, { reason: 'Igjen' }, 409, 'ENTRY.ALREADY_REVERSED');
      expect(again.body.message).toContain('sk15-dobbel');
    });

    it('a correction answers with the id of the new entry it made, so the officer can find (and correct) it again (README: a correction is a reversal plus a new entry `<id>.c<n>`)', async () => {
      await ok(`${SKIEN}/funding/operating-grants`, grant({ entryId: 'sk15-feil', amount: '250000.00' }));
      const res = await post(`${SKIEN}/funding/entries/sk15-feil/correction`, { reason: 'Feil beløp i vedtaket', amount: '255000.00' });
      expect(res.status).toBe(201);
      expect(res.body.streamId).toBe('funding-entry-sk15-feil');
      // The record routes answer `entryId`; a reversal answers `<id>.reversal`; a correction should name `sk15-feil.c1`.
      expect(res.body.entryId).toBe('sk15-feil.c1');
    });

    it('correcting an entry already corrected is refused (409 ENTRY.ALREADY_REVERSED) with a message that points at the entry now in force', async () => {
      // sk15-feil was corrected by sk15-feil.c1 above.
      const res = await refused(`${SKIEN}/funding/entries/sk15-feil/correction`, { reason: 'Enda en feil', amount: '256000.00' }, 409, 'ENTRY.ALREADY_REVERSED');
      // "has already been reversed; nothing is left to reverse" does not tell the officer which entry to correct instead.
      expect(`${res.body.message} ${JSON.stringify(res.body.details)}`).toContain('sk15-feil.c1');
    });

    it('a correction of a correction works (`.c2`), and the mix shows only the last amount', async () => {
      const res = await post(`${SKIEN}/funding/entries/sk15-feil.c1/correction`, { reason: 'Tilleggsbevilgning', amount: '260000.50' });
      expect(res.status).toBe(201);
      const m = await mix(`${SKIEN}/funding-mix/2015`);
      // live: sk15-drift 1 800 000.00 + sk15-feil.c2 260 000.50 = 2 060 000.50
      expect(m.total).toMatchObject({ amount: '2060000.50', entries: 2 });
      const reversed = await refused(`${SKIEN}/funding/entries/sk15-dobbel/correction`, { reason: 'Var likevel riktig', amount: '45000.00' }, 409, 'ENTRY.ALREADY_REVERSED');
      expect(reversed.body.message).toContain('sk15-dobbel');
    });

    it('a correction that changes nothing ("1800000" for "1800000.00", the same party) is 422 ENTRY.CORRECTION_CHANGES_NOTHING, nothing recorded', async () => {
      const res = await refused(`${SKIEN}/funding/entries/sk15-drift/correction`, { reason: 'Kontroll', amount: '1800000', partyId: 'telemark-fk' }, 422, 'ENTRY.CORRECTION_CHANGES_NOTHING');
      expect(res.body.message).toContain('sk15-drift');
      expect((await mix(`${SKIEN}/funding-mix/2015`)).total.amount).toBe('2060000.50');
    });

    it('a correction giving a field an operating grant does not have (purpose) is a 400 naming it: not "changes nothing" when alone, not silently dropped beside a new amount', async () => {
      await ok(`${NOTODDEN}/funding/operating-grants`, grant({ entryId: 'no15-drift', amount: '400000.00' }));
      const before = await logLength();
      const alone = await post(`${NOTODDEN}/funding/entries/no15-drift/correction`, { reason: 'Formål manglet', purpose: 'Veiledning for innvandrere' });
      // With a new amount as well, the amount would be recorded and the purpose vanish without a word.
      const beside = await post(`${NOTODDEN}/funding/entries/no15-drift/correction`, { reason: 'Rett beløp og formål', amount: '410000.00', purpose: 'Veiledning for innvandrere' });
      const seen = (r: any) => `${r.status} ${r.body?.code}: ${r.body?.message}`;
      expect([alone.status, beside.status, seen(alone), seen(beside)]).toEqual([400, 400, seen(alone), seen(beside)]);
      expect(alone.body.message).toMatch(/purpose/);
      expect(await logLength()).toBe(before);
      expect((await mix(`${NOTODDEN}/funding-mix/2015`)).total.amount).toBe('400000.00');
    });

    it('a correction moving an entry to another fiscal year takes it out of the one and into the other', async () => {
      await ok(`${SKIEN}/funding/other-income`, grant({ entryId: 'sk15-salg', partyId: 'skien-kommune', amount: '999.99', incomeKind: 'sales' }));
      expect((await post(`${SKIEN}/funding/entries/sk15-salg/correction`, { reason: 'Gjelder 2016', fiscalYear: 2016 })).status).toBe(201);
      expect((await mix(`${SKIEN}/funding-mix/2015`)).total.amount).toBe('2060000.50');
      const m16 = await mix(`${SKIEN}/funding-mix/2016`);
      expect(byKey(m16.byKind, 'kind')['other-income']).toMatchObject({ amount: '999.99', entries: 1 });
    });

    it('a bad amount in a correction ("1 000,50") is 400 MONEY.INVALID saying what to write ("1000.50"); the entry stays as it was', async () => {
      const res = await refused(`${SKIEN}/funding/entries/sk15-drift/correction`, { reason: 'Feil', amount: '1 000,50' }, 400, 'MONEY.INVALID');
      expect(res.body.message).toContain('"1000.50"');
      expect((await mix(`${SKIEN}/funding-mix/2015`)).total.amount).toBe('2060000.50');
    });
  });

  // ------------------------------------------------------------------------------------------------
  // Another county's finance officer
  // ------------------------------------------------------------------------------------------------

  describe('what the Østfold officer is refused for Telemark', () => {
    it('recording money for a Telemark centre: 403 ACCESS.OTHER_COUNTY, the log and Telemark\'s mix unchanged', async () => {
      const mixBefore = await mix(`${SKIEN}/funding-mix/2015`);
      await refused(`${SKIEN}/funding/operating-grants`, grant({ partyId: 'telemark-fk' }), 403, 'ACCESS.OTHER_COUNTY', { who: ola });
      await refused(`${SKIEN}/funding/in-kind-contributions`, { fiscalYear: 2015, partyId: 'telemark-fk', decidedOn: '2015-01-01', inKindKind: 'it' }, 403, 'ACCESS.OTHER_COUNTY', { who: ola });
      expect((await mix(`${SKIEN}/funding-mix/2015`)).total).toEqual(mixBefore.total);
    });

    it('reversing or correcting a Telemark entry through the Telemark centre: 403 ACCESS.OTHER_COUNTY; through Østfold\'s own centre: 422 ENTRY.OTHER_CENTRE; nothing recorded', async () => {
      await refused(`${SKIEN}/funding/entries/sk15-drift/reversal`, { reason: 'Sabotasje' }, 403, 'ACCESS.OTHER_COUNTY', { who: ola });
      await refused(`${SKIEN}/funding/entries/sk15-drift/correction`, { reason: 'x', amount: '1.00' }, 403, 'ACCESS.OTHER_COUNTY', { who: ola });
      await refused('/centres/kc-sarpsborg/funding/entries/sk15-drift/reversal', { reason: 'x' }, 422, 'ENTRY.OTHER_CENTRE', { who: ola });
      expect((await mix(`${SKIEN}/funding-mix/2015`)).total.amount).toBe('2060000.50');
    });

    it('staff: starting, changing or ending a Telemark position is 403 ACCESS.OTHER_COUNTY, nothing recorded', async () => {
      await ok(`${RJUKAN}/staff-positions`, position({ positionId: 'rj-fast', startedOn: '2015-01-01' }));
      await refused(`${RJUKAN}/staff-positions`, position({ positionId: 'rj-ola', startedOn: '2015-01-01' }), 403, 'ACCESS.OTHER_COUNTY', { who: ola });
      await refused(`${RJUKAN}/staff-positions/rj-fast/changes`, { effectiveFrom: '2015-06-01', fte: '0.2' }, 403, 'ACCESS.OTHER_COUNTY', { who: ola });
      await refused(`${RJUKAN}/staff-positions/rj-fast/end`, { endedOn: '2015-01-31' }, 403, 'ACCESS.OTHER_COUNTY', { who: ola });
      await ok(`${RJUKAN}/staff-positions/rj-fast/end`, { endedOn: '2015-12-31' });
    });

    it('refusals about the other county\'s entries do not invite the officer to act on them ("correct that entry", "correct it through its own centre")', async () => {
      await ok('/centres/kc-sarpsborg/funding/operating-grants', grant({ entryId: 'of15-drift', partyId: 'ostfold-fk', amount: '690400.00' }), ola);
      // Kari already has sk15-drift; Ola picks the same id for Østfold's own money.
      const taken = await refused('/centres/kc-sarpsborg/funding/operating-grants', grant({ entryId: 'sk15-drift', partyId: 'ostfold-fk' }), 409, 'ENTRY.ALREADY_EXISTS', { who: ola });
      const other = await refused(`${SKIEN}/funding/entries/of15-drift/reversal`, { reason: 'Feil senter' }, 422, 'ENTRY.OTHER_CENTRE');
      expect((await mix('/centres/kc-sarpsborg/funding-mix/2015', ola)).total.amount).toBe('690400.00');
      // Neither officer may correct the other county's entry (403 ACCESS.OTHER_COUNTY, checked above): the answer should not tell them to.
      expect([taken.body.message, other.body.message]).toEqual([expect.not.stringMatching(/\bcorrect\b/), expect.not.stringMatching(/\bcorrect\b/)]);
    });
  });

  // ------------------------------------------------------------------------------------------------
  // Idempotency (2016, kc-skien)
  // ------------------------------------------------------------------------------------------------

  describe('idempotency (README: Idempotency, permanently)', () => {
    const body = { fiscalYear: 2016, partyId: 'telemark-fk', decidedOn: '2015-12-15', amount: '2400000.00' };

    it('the same key and body twice (and with a fresh token of the same officer): one entry, the same answer', async () => {
      const before = await logLength();
      const a = await post(`${SKIEN}/funding/operating-grants`, body, kari, 'drift-2016');
      const b = await post(`${SKIEN}/funding/operating-grants`, body, kari, 'drift-2016');
      const c = await post(`${SKIEN}/funding/operating-grants`, body, kariAgain, 'drift-2016');
      expect([a.status, b.status, c.status]).toEqual([201, 201, 201]);
      expect(b.body).toEqual(a.body);
      expect(c.body).toEqual(a.body);
      expect(await logLength()).toBe(before + 1);
      const og = byKey((await mix(`${SKIEN}/funding-mix/2016`)).byKind, 'kind')['operating-grant'];
      expect(og).toMatchObject({ amount: '2400000.00', entries: 1 });
    });

    it('the same key with another amount, or the same body for another centre, is 409 IDEMPOTENCY_KEY_REUSED, nothing recorded (not the first answer)', async () => {
      await refused(`${SKIEN}/funding/operating-grants`, { ...body, amount: '2500000.00' }, 409, 'IDEMPOTENCY_KEY_REUSED', { key: 'drift-2016' });
      await refused(`${NOTODDEN}/funding/operating-grants`, body, 409, 'IDEMPOTENCY_KEY_REUSED', { key: 'drift-2016' });
      expect((await mix(`${NOTODDEN}/funding-mix/2016`)).total.entries).toBe(0);
    });

    it('a reversal or a correction retried with its key gets its first answer, not 409 ENTRY.ALREADY_REVERSED, and is recorded once', async () => {
      await ok(`${SKIEN}/funding/other-income`, { ...body, entryId: 'sk16-feilfort', partyId: 'skien-kommune', amount: '3000.00', incomeKind: 'other' });
      const before = await logLength();
      const a = await post(`${SKIEN}/funding/entries/sk16-feilfort/reversal`, { reason: 'Feilført' }, kari, 'rev-sk16-feilfort');
      const b = await post(`${SKIEN}/funding/entries/sk16-feilfort/reversal`, { reason: 'Feilført' }, kari, 'rev-sk16-feilfort');
      expect([a.status, b.status, b.body.entryId]).toEqual([201, 201, 'sk16-feilfort.reversal']);
      expect(b.body).toEqual(a.body);
      expect(await logLength()).toBe(before + 1);
      // Likewise a correction (a reversal and a new entry, once).
      await ok(`${SKIEN}/funding/tender-awards`, { ...body, entryId: 'sk16-anbud', partyId: 'nav-telemark', amount: '75000.00', contractReference: 'NAV-2016/3', period: { from: '2016-01-01', to: '2016-06-30' } });
      const beforeCorr = await logLength();
      const corr = { reason: 'Kontrakten ble forlenget', period: { from: '2016-01-01', to: '2016-12-31' }, amount: '150000.00' };
      const c1 = await post(`${SKIEN}/funding/entries/sk16-anbud/correction`, corr, kari, 'anbud-korr-1');
      const c2 = await post(`${SKIEN}/funding/entries/sk16-anbud/correction`, corr, kari, 'anbud-korr-1');
      expect([c1.status, c2.status]).toEqual([201, 201]);
      expect(c2.body).toEqual(c1.body);
      expect(await logLength()).toBe(beforeCorr + 2); // one reversal and one new entry, once
      expect(byKey((await mix(`${SKIEN}/funding-mix/2016`)).byKind, 'kind').tender).toMatchObject({ amount: '150000.00', entries: 1 });
    });

    it('two officers of different counties using the same key each get their own write recorded', async () => {
      const before = await logLength();
      const a = await post(`${SKIEN}/funding/other-income`, { ...body, partyId: 'skien-kommune', amount: '10.00', incomeKind: 'course-fees' }, kari, 'kurs-1');
      const b = await post('/centres/kc-sarpsborg/funding/other-income', { ...body, partyId: 'ostfold-fk', amount: '10.00', incomeKind: 'course-fees' }, ola, 'kurs-1');
      expect([a.status, b.status]).toEqual([201, 201]);
      expect(a.body.entryId).not.toBe(b.body.entryId);
      expect(await logLength()).toBe(before + 2);
    });
  });

  // ------------------------------------------------------------------------------------------------
  // Staff positions and staff-years (kc-rjukan)
  // ------------------------------------------------------------------------------------------------

  describe('staff positions and staff-years (README: Staff-years = Σ(FTE‰ × days) ÷ (days in year × 1000), rounded once)', () => {
    it('0.5 FTE from 1 July: 0.5 × 184 days = 92 000 of 365 000 → 0.252 → "0.3"', async () => {
      await ok(`${RJUKAN}/staff-positions`, position({ positionId: 'rj18-halv', fte: '0.5', startedOn: '2018-07-01' }));
      await ok(`${RJUKAN}/staff-positions/rj18-halv/end`, { endedOn: '2018-12-31' });
      const m = await mix(`${RJUKAN}/funding-mix/2018`);
      expect(m.staff.staffYearsExact).toEqual({ fteDays: 92000, denominator: 365000 });
      expect(m.staff.staffYears).toBe('0.3');
    });

    it('FTE changed mid-year, then ended: 0.8 from 1 Mar, 0.6 from 15 Aug, last day 30 Nov 2017 → 167×800 + 108×600 = 198 400 → 0.5', async () => {
      await ok(`${RJUKAN}/staff-positions`, position({ positionId: 'rj17-endret', fte: '0.8', startedOn: '2017-03-01' }));
      expect((await post(`${RJUKAN}/staff-positions/rj17-endret/changes`, { effectiveFrom: '2017-08-15', fte: '0.6' })).status).toBe(201);
      expect((await post(`${RJUKAN}/staff-positions/rj17-endret/end`, { endedOn: '2017-11-30' })).status).toBe(200);
      const m = await mix(`${RJUKAN}/funding-mix/2017`);
      expect(m.staff.staffYearsExact).toEqual({ fteDays: 198400, denominator: 365000 });
      expect(m.staff.staffYears).toBe('0.5');
      const listed = (await get(`${RJUKAN}/staff-positions?year=2017`)).body.find((p: any) => p.positionId === 'rj17-endret');
      expect(listed).toMatchObject({ startedOn: '2017-03-01', endedOn: '2017-11-30' });
      expect(listed.terms.map((x: any) => [x.from, x.fte])).toEqual([
        ['2017-03-01', '0.8'],
        ['2017-08-15', '0.6'],
      ]);
      expect(listed.year).toMatchObject({ fteDays: 198400, denominator: 365000, staffYears: '0.5', onDecember31: false });
    });

    it('a leap year divides by 366: 1.0 from 29 Feb 2016 (307 days) + 0.5 from 1 Jul (184 days) = 399 000 of 366 000 → 1.1', async () => {
      await ok(`${RJUKAN}/staff-positions`, position({ positionId: 'rj16-skudd', startedOn: '2016-02-29' }));
      await ok(`${RJUKAN}/staff-positions/rj16-skudd/end`, { endedOn: '2016-12-31' });
      await ok(`${RJUKAN}/staff-positions`, position({ positionId: 'rj16-halv', fte: '0.5', startedOn: '2016-07-01' }));
      await ok(`${RJUKAN}/staff-positions/rj16-halv/end`, { endedOn: '2016-12-31' });
      const m = await mix(`${RJUKAN}/funding-mix/2016`);
      expect(m.staff.staffYearsExact).toEqual({ fteDays: 399000, denominator: 366000 });
      expect(m.staff.staffYears).toBe('1.1');
      const listed = byKey((await get(`${RJUKAN}/staff-positions?year=2016`)).body, 'positionId');
      expect(listed['rj16-skudd'].year).toMatchObject({ fteDays: 307000, denominator: 366000, staffYears: '0.8', onDecember31: true });
    });

    it('an end recorded with the wrong last day is corrected by ending again (README: Staff positions); the same day again is 409 STAFF.ALREADY_ENDED', async () => {
      await ok(`${RJUKAN}/staff-positions`, position({ positionId: 'rj19-kvart', fte: '0.25', startedOn: '2019-01-01' }));
      await ok(`${RJUKAN}/staff-positions/rj19-kvart/end`, { endedOn: '2019-03-31' });
      expect((await post(`${RJUKAN}/staff-positions/rj19-kvart/end`, { endedOn: '2019-12-31' })).status).toBe(200);
      await refused(`${RJUKAN}/staff-positions/rj19-kvart/end`, { endedOn: '2019-12-31' }, 409, 'STAFF.ALREADY_ENDED');
      // 0.25 × 365 = 91 250 of 365 000 = exactly 0.25 → one decimal, halves away from zero: 0.3
      const m = await mix(`${RJUKAN}/funding-mix/2019`);
      expect(m.staff.staffYearsExact).toEqual({ fteDays: 91250, denominator: 365000 });
      expect(m.staff.staffYears).toBe('0.3');
    });

    it('full time on 31.12 means FTE ≥ 0.81 (DOMAIN: "full time means 81–100 %"): 0.81 counts, 0.809 does not; county staff-years to one decimal', async () => {
      await ok(`${SKIEN}/staff-positions`, position({ positionId: 'sk18-081', fte: '0.81', startedOn: '2018-01-01' }));
      await ok(`${SKIEN}/staff-positions/sk18-081/end`, { endedOn: '2018-12-31' });
      await ok(`${SKIEN}/staff-positions`, position({ positionId: 'sk18-0809', fte: '0.809', startedOn: '2018-01-01' }));
      await ok(`${SKIEN}/staff-positions/sk18-0809/end`, { endedOn: '2018-12-31' });
      const tm = (await get('/key-figures/2018?counties=telemark')).body.counties[0];
      // On 31.12.2018: rj18-halv (0.5), sk18-081 (0.81), sk18-0809 (0.809), all employed by the county authority.
      expect([tm.centres, tm.personsByEmployer['county-authority'], tm.fullTime]).toEqual([3, 3, 1]);
      // 500 × 184 + 810 × 365 + 809 × 365 = 92 000 + 295 650 + 295 285 = 682 935 of 365 000 → 1.871 → 1.9
      expect(tm.staffYearsExact).toEqual({ fteDays: 682935, denominator: 365000 });
      expect(tm.staffYears).toBe('1.9');
    });

    it('changing the FTE of a position with an annual cost but no new cost is 422 STAFF.ANNUAL_COST_REQUIRED, saying which cost to give', async () => {
      await ok(`${RJUKAN}/staff-positions`, position({ positionId: 'rj-kost', startedOn: '2016-01-01', annualCost: '650000.00' }));
      const res = await refused(`${RJUKAN}/staff-positions/rj-kost/changes`, { effectiveFrom: '2016-09-01', fte: '0.5' }, 422, 'STAFF.ANNUAL_COST_REQUIRED');
      expect(res.body.message).toMatch(/annualCost/);
      expect(res.body.message).toContain('0.5');
      await ok(`${RJUKAN}/staff-positions/rj-kost/end`, { endedOn: '2016-01-31' });
    });

    it('an FTE typed as a percentage ("50 %", "50") or with a decimal comma ("0,5") is 400 with a STAFF code whose message shows "0.5"', async () => {
      for (const fte of ['50 %', '0,5', '50']) {
        const res = await refused(`${RJUKAN}/staff-positions`, position({ positionId: `rj-pct-${fte.length}`, fte, startedOn: '2016-01-01' }), 400, fte === '50' ? 'STAFF.FTE_OUT_OF_RANGE' : 'STAFF.FTE_INVALID');
        expect([fte, res.body.message]).toEqual([fte, expect.stringContaining('0.5')]);
      }
    });
  });

  // ------------------------------------------------------------------------------------------------
  // What a finance officer types by mistake
  // ------------------------------------------------------------------------------------------------

  describe('bad input: a 4xx with a stable code, a message saying what to write instead, nothing recorded', () => {
    const G = `${SKIEN}/funding/operating-grants`;

    it('amounts typed the Norwegian way ("1 000,50", "1.000,50", "kr 500") are 400 MONEY.INVALID showing the amount as the ledger takes it', async () => {
      for (const [amount, fixed] of [
        ['1 000,50', '"1000.50"'],
        ['1.000,50', '"1000.50"'],
        ['kr 500', '"500.00"'],
      ]) {
        const res = await refused(G, grant({ amount }), 400, 'MONEY.INVALID');
        expect([amount, res.body.message]).toEqual([amount, expect.stringContaining(fixed)]);
        expect(res.body.details).toMatchObject({ field: 'amount' });
      }
    });

    it('three decimals ("10.005", or "1.000" as a Norwegian writes one thousand) is 400 MONEY.FRACTIONAL_ORE with a message showing what to write', async () => {
      for (const amount of ['10.005', '1.000']) {
        const res = await refused(G, grant({ amount }), 400, 'MONEY.FRACTIONAL_ORE');
        // "has more than two decimals; amounts are in whole øre." names the problem but not the form to write.
        expect([amount, res.body.message]).toEqual([amount, expect.stringMatching(/"\d+\.\d\d"/)]);
      }
    });

    it('a negative amount is 400 MONEY.NEGATIVE pointing to a reversal; a float (1000.5) is 400 MONEY.NOT_A_DECIMAL_STRING showing a decimal string', async () => {
      const neg = await refused(G, grant({ amount: '-500.00' }), 400, 'MONEY.NEGATIVE');
      expect(neg.body.message).toMatch(/reversal/);
      const float = await refused(G, grant({ amount: 1000.5 }), 400, 'MONEY.NOT_A_DECIMAL_STRING');
      expect(float.body.message).toContain('"1800000.00"');
    });

    it('dates like 31.12.2013 or 2013-02-30 are 400 DATE.INVALID naming the field and the form YYYY-MM-DD; 2012-02-29 is a real day', async () => {
      for (const decidedOn of ['31.12.2013', '2013-02-30']) {
        const res = await refused(G, grant({ decidedOn }), 400, 'DATE.INVALID');
        expect([decidedOn, res.body.message]).toEqual([decidedOn, expect.stringMatching(/decidedOn[\s\S]*YYYY-MM-DD|YYYY-MM-DD[\s\S]*decidedOn/)]);
        expect(res.body.details.field).toBe('decidedOn');
      }
      const period = await refused(`${SKIEN}/funding/earmarked-funds`, grant({ purpose: 'p', period: { from: '31.12.2013', to: null } }), 400, 'DATE.INVALID');
      expect(period.body.message).toContain('YYYY-MM-DD');
      expect((await post(G, grant({ fiscalYear: 2012, decidedOn: '2012-02-29', amount: '1.00' }))).status).toBe(201);
    });

    it('a fiscal year out of range (1989, 2101) is 400 FISCAL_YEAR.OUT_OF_RANGE naming 1990–2100, on writes and on the funding-mix route alike', async () => {
      for (const fiscalYear of [1989, 2101]) {
        const res = await refused(G, grant({ fiscalYear }), 400, 'FISCAL_YEAR.OUT_OF_RANGE');
        expect(res.body.message).toMatch(/1990[\s\S]*2100/);
      }
      const read = await get(`${SKIEN}/funding-mix/2101`);
      expect([read.status, read.body.code, read.body.details?.field]).toEqual([400, 'FISCAL_YEAR.OUT_OF_RANGE', 'year']);
    });

    it('a reversal without a reason, or with only spaces, is 400 naming reason (DOMAIN: corrections carry a reason)', async () => {
      const none = await refused(`${SKIEN}/funding/entries/sk15-drift/reversal`, {}, 400, 'VALIDATION.FAILED');
      expect(none.body.message).toMatch(/reason/);
      const blank = await refused(`${SKIEN}/funding/entries/sk15-drift/reversal`, { reason: '   ' }, 400, 'VALIDATION.BLANK');
      expect(blank.body.message).toMatch(/reason/);
    });

    it('"Telemark" (capital T) on the key figures, the county mix and the report is 404 COUNTY.NOT_FOUND naming the registered id "telemark", as the list filters do (README: Counties and centres)', async () => {
      const paths = ['/parties?countyId=Telemark', '/key-figures/2013?counties=Telemark', '/counties/Telemark/funding-mix/2013', '/reports/funding-mix/2013/csv?county=Telemark'];
      const answers = await Promise.all(paths.map(async (path) => {
        const res = await get(path);
        return [path, res.status, res.body.code, res.body.message];
      }));
      // The list filter (first) already says "County ids are written as registered: did you mean telemark?"
      expect(answers).toEqual(paths.map((path) => [path, 404, 'COUNTY.NOT_FOUND', expect.stringMatching(/\btelemark\b/)]));
    });

    it('an in-kind contribution with an amount is 400 IN_KIND.NO_AMOUNT telling the officer to give estimatedValue', async () => {
      const res = await refused(`${SKIEN}/funding/in-kind-contributions`, { fiscalYear: 2015, partyId: 'skien-kommune', decidedOn: '2015-01-01', inKindKind: 'premises', amount: '120000.00' }, 400, 'IN_KIND.NO_AMOUNT');
      expect(res.body.message).toContain('estimatedValue');
    });
  });

  // ------------------------------------------------------------------------------------------------
  // Reports a finance officer takes to the county council
  // ------------------------------------------------------------------------------------------------

  it('the key-figures report CSV (/reports/key-figures/2013/csv?county=telemark) writes the NOK total with a decimal comma and ";"', async () => {
    const res = await get('/reports/key-figures/2013/csv?county=telemark');
    expect(res.status).toBe(200);
    const rows = res.text.replace(/^\uFEFF/, '').split('\r\n').map((l: string) => l.split(';'));
    const row = (label: string) => rows.find((r: string[]) => r[0] === label)?.slice(1);
    expect(row('Driftsmidler fra fylkeskommunen, kr')).toEqual(['2863000,00']);
    expect(row('Øremerkede midler fra fylkeskommunen')).toEqual(['Varierer']);
    expect(row('Årsverk')).toEqual(['1,3']);
  });
});
