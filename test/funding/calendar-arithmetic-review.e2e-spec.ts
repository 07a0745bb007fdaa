/**
 * Adversarial review of calendar and time arithmetic, through HTTP only: staff-years pro rata by days
 * in leap and common years, one-day positions, 29 February, positions across a year boundary, rounding
 * once (README "Staff positions": Σ(FTE per mille × days) ÷ (days in year × 1000), rounded once to one
 * decimal, halves away from zero); directly paid staff valued at annual cost × days ÷ days in year
 * (README "Cost-share compliance"); owner-agreement periods ending 28/29 February, one-day periods,
 * amendments and terminations from 1 January, signing on 31 December; "today" at Norway's midnight
 * (README '"Today" is the date in Norway'); asOf on the DST days (README "As of a recorded time": a bare
 * date is the end of that day in Norway); centres closed from 1 January / 31 December or opened on
 * 31 December; base-grant evidence on the first and last day of its window, and 29 February in it.
 *
 * Every expected figure is worked out by hand in a comment above its assertion, from DOMAIN.md and the
 * README, never copied from an answer of the ledger. A check marked `// Failed before its fix:` failed
 * when the review was written, for the reason it names; it passes since the fix (commit 23875db).
 */
import { MemoryEventStore } from '../../libs/event-store/src/memory-event-store';
import { fakeDateOnly } from '../helpers/fake-date';
import { startTestApp, TestApp } from '../helpers/test-app';
import { get } from '../governance/governance-helpers';
import { centreCrit, post, recordCounty } from '../grants/grants-fixture';

type Auth = { Authorization: string };

const NO_RATE_LIMIT = { LEDGER_RATE_LIMIT_PER_MINUTE: '0' };
const GROUPS = ['primary-lower-secondary-counsellors', 'upper-secondary-counsellors', 'nav-staff'];

/** The parties every county here uses: its county authority and its NAV county office. */
const countyParties = async (t: TestApp, auth: Auth, countyId: string) => {
  await post(t, auth, '/parties', { partyId: `${countyId}-fk`, name: `${countyId} fylkeskommune`, kind: 'county-authority', countyId });
  await post(t, auth, '/parties', { partyId: `${countyId}-nav`, name: `NAV ${countyId}`, kind: 'nav-county-office', countyId });
};
const registerCentre = (t: TestApp, auth: Auth, centreId: string, countyId: string, openedOn = '2010-01-01') =>
  post(t, auth, '/centres', { centreId, countyId, name: `Karrieresenter ${centreId}`, municipality: 'Kommune', openedOn });

/** A refused write: status and code as expected, and nothing recorded. */
const refused = async (t: TestApp, auth: Auth, path: string, body: object, status: number, code: string) => {
  const before = await t.store.headPosition();
  const res = await post(t, auth, path, body, [status]);
  expect([path, res.status, res.body.code]).toEqual([path, status, code]);
  expect(await t.store.headPosition()).toBe(before);
  return res.body;
};

// =====================================================================================================
// Staff-years, pro rata by days
// =====================================================================================================

describe('staff-years by the day: leap years, one-day positions, 29 February, year boundaries, rounding once (e2e)', () => {
  let t: TestApp;
  let admin: Auth;

  interface Pos {
    fte: string;
    startedOn: string;
    endedOn?: string;
    payer?: string;
    annualCost?: string;
  }
  const position = async (centreId: string, positionId: string, p: Pos) => {
    await post(t, admin, `/centres/${centreId}/staff-positions`, {
      positionId,
      title: 'Karriereveileder',
      employerKind: 'county-authority',
      employerPartyId: null,
      fte: p.fte,
      payer: p.payer ? { kind: 'party', partyId: p.payer } : { kind: 'centre' },
      ...(p.annualCost ? { annualCost: p.annualCost } : {}),
      startedOn: p.startedOn,
    });
    if (p.endedOn) await post(t, admin, `/centres/${centreId}/staff-positions/${positionId}/end`, { endedOn: p.endedOn });
  };
  /** positionId → its figures for the year, from the position listing. */
  const listing = async (centreId: string, year: number): Promise<Record<string, { staffYears: string; fteDays: number; denominator: number; onDecember31: boolean }>> =>
    Object.fromEntries((await get(t, admin, `/centres/${centreId}/staff-positions?year=${year}`)).map((p: any) => [p.positionId, p.year]));
  const kf = async (countyId: string, year: number) => {
    const body = await get(t, admin, `/key-figures/${year}?counties=${countyId}`);
    return body.counties[0];
  };
  const staffOf = (c: any) => ({ staffYears: c.staffYears, fteDays: c.staffYearsExact.fteDays, denominator: c.staffYearsExact.denominator, persons: c.personsByEmployer['county-authority'], fullTime: c.fullTime });

  beforeAll(async () => {
    t = await startTestApp({ seed: true, env: NO_RATE_LIMIT });
    admin = await t.auth('admin');
    for (const c of ['ostfold', 'akershus', 'oslo', 'hedmark', 'oppland', 'buskerud', 'vestfold', 'telemark', 'aust-agder', 'vest-agder']) await countyParties(t, admin, c);
  });
  afterAll(() => t.close());

  it('1 July – 31 December is 184 days in 2016 and in 2015, divided by 366 000 and 365 000: 0.5 both, exact FTE-days equal', async () => {
    await registerCentre(t, admin, 'sy-half', 'ostfold');
    await position('sy-half', 'half-2015', { fte: '1', startedOn: '2015-07-01', endedOn: '2015-12-31' });
    await position('sy-half', 'half-2016', { fte: '1', startedOn: '2016-07-01', endedOn: '2016-12-31' });
    // July 31 + Aug 31 + Sep 30 + Oct 31 + Nov 30 + Dec 31 = 184 days × 1000 ‰ = 184 000 FTE-days in either year.
    // 2015: 184 000 / 365 000 = 0.5041 → 0.5; 2016 (leap): 184 000 / 366 000 = 0.5027 → 0.5.
    const l15 = await listing('sy-half', 2015);
    const l16 = await listing('sy-half', 2016);
    expect([l15['half-2015'], l16['half-2016']]).toEqual([
      { staffYears: '0.5', fteDays: 184_000, denominator: 365_000, onDecember31: true },
      { staffYears: '0.5', fteDays: 184_000, denominator: 366_000, onDecember31: true },
    ]);
    // Neither position adds a day to the other year.
    expect([l15['half-2016'].fteDays, l16['half-2015'].fteDays]).toEqual([0, 0]);
    expect([staffOf(await kf('ostfold', 2015)), staffOf(await kf('ostfold', 2016))]).toEqual([
      { staffYears: '0.5', fteDays: 184_000, denominator: 365_000, persons: 1, fullTime: 1 },
      { staffYears: '0.5', fteDays: 184_000, denominator: 366_000, persons: 1, fullTime: 1 },
    ]);
  });

  it('one-day positions: started on 31 December (open), ended on 1 January, started and ended on one day: each counts exactly one day', async () => {
    await registerCentre(t, admin, 'sy-oneday', 'akershus');
    await position('sy-oneday', 'od-dec31', { fte: '1', startedOn: '2015-12-31' });
    await position('sy-oneday', 'od-jan1', { fte: '1', startedOn: '2015-06-01', endedOn: '2016-01-01' });
    await position('sy-oneday', 'od-same', { fte: '0.5', startedOn: '2015-06-15', endedOn: '2015-06-15' });
    const l15 = await listing('sy-oneday', 2015);
    const l16 = await listing('sy-oneday', 2016);
    // od-dec31: 2015 has 1 day × 1000 = 1 000 (0.0027 → 0.0), on 31.12; 2016: all 366 days open-ended = 366 000 → 1.0.
    // od-jan1: 2015-06-01..2015-12-31 = 30+31+31+30+31+30+31 = 214 days = 214 000 (0.586 → 0.6); 2016: 1 day = 1 000, not on 31.12.2016.
    // od-same: 2015-06-15 only: 1 day × 500 = 500.
    expect({ dec31: [l15['od-dec31'], l16['od-dec31']], jan1: [l15['od-jan1'], l16['od-jan1']], same: l15['od-same'] }).toEqual({
      dec31: [
        { staffYears: '0.0', fteDays: 1_000, denominator: 365_000, onDecember31: true },
        { staffYears: '1.0', fteDays: 366_000, denominator: 366_000, onDecember31: true },
      ],
      jan1: [
        { staffYears: '0.6', fteDays: 214_000, denominator: 365_000, onDecember31: true },
        { staffYears: '0.0', fteDays: 1_000, denominator: 366_000, onDecember31: false },
      ],
      same: { staffYears: '0.0', fteDays: 500, denominator: 365_000, onDecember31: false },
    });
    // The county: 2015 = 1 000 + 214 000 + 500 = 215 500 → 0.59 → 0.6, two persons on 31.12 (both full time);
    // 2016 = 366 000 + 1 000 = 367 000 → 1.0027 → 1.0, one person on 31.12.
    expect([staffOf(await kf('akershus', 2015)), staffOf(await kf('akershus', 2016))]).toEqual([
      { staffYears: '0.6', fteDays: 215_500, denominator: 365_000, persons: 2, fullTime: 2 },
      { staffYears: '1.0', fteDays: 367_000, denominator: 366_000, persons: 1, fullTime: 1 },
    ]);
  });

  it('February is 29 days in 2016 and 28 in 2015; 29 February alone is one day; 2015-02-29 is no date (400 DATE.INVALID, nothing recorded)', async () => {
    await registerCentre(t, admin, 'sy-feb', 'oslo');
    await position('sy-feb', 'feb-2015', { fte: '1', startedOn: '2015-02-01', endedOn: '2015-02-28' });
    await position('sy-feb', 'feb-2016', { fte: '1', startedOn: '2016-02-01', endedOn: '2016-02-29' });
    await position('sy-feb', 'leap-day', { fte: '0.8', startedOn: '2016-02-29', endedOn: '2016-02-29' });
    // 28 × 1000 = 28 000; 29 × 1000 = 29 000; 1 × 800 = 800.
    const l15 = await listing('sy-feb', 2015);
    const l16 = await listing('sy-feb', 2016);
    expect([l15['feb-2015'].fteDays, l16['feb-2016'].fteDays, l16['leap-day'].fteDays]).toEqual([28_000, 29_000, 800]);
    const body = (positionId: string, startedOn: string) => ({ positionId, title: 'Veileder', employerKind: 'county-authority', employerPartyId: null, fte: '1', payer: { kind: 'centre' }, startedOn });
    await refused(t, admin, '/centres/sy-feb/staff-positions', body('feb-bad', '2015-02-29'), 400, 'DATE.INVALID');
    await position('sy-feb', 'feb-end', { fte: '1', startedOn: '2015-02-01' });
    await refused(t, admin, '/centres/sy-feb/staff-positions/feb-end/end', { endedOn: '2015-02-29' }, 400, 'DATE.INVALID');
  });

  it('an FTE change on 29 February: 59 days at the old FTE, 307 at the new in 2016, and the open-ended tail of 2017 at the new FTE for 365 days', async () => {
    await registerCentre(t, admin, 'sy-chg', 'hedmark');
    await position('sy-chg', 'chg', { fte: '1', startedOn: '2016-01-01' });
    await post(t, admin, '/centres/sy-chg/staff-positions/chg/changes', { effectiveFrom: '2016-02-29', fte: '0.5' });
    // 2016-01-01..2016-02-28 = 31 + 28 = 59 days × 1000 = 59 000; 2016-02-29..2016-12-31 = 366 − 59 = 307 days × 500 = 153 500.
    // 212 500 / 366 000 = 0.5806 → 0.6. 2017: 365 × 500 = 182 500 / 365 000 = 0.5 exactly → 0.5.
    const l16 = await listing('sy-chg', 2016);
    const l17 = await listing('sy-chg', 2017);
    expect([l16.chg, l17.chg]).toEqual([
      { staffYears: '0.6', fteDays: 212_500, denominator: 366_000, onDecember31: true },
      { staffYears: '0.5', fteDays: 182_500, denominator: 365_000, onDecember31: true },
    ]);
    // On 31.12.2016 the FTE is 0.5: one person, not full time.
    expect(staffOf(await kf('hedmark', 2016))).toEqual({ staffYears: '0.6', fteDays: 212_500, denominator: 366_000, persons: 1, fullTime: 0 });
  });

  it('a position across a year boundary is split between the two years, and the two parts add up to the whole (366 days)', async () => {
    await registerCentre(t, admin, 'sy-span', 'oppland');
    await position('sy-span', 'span', { fte: '0.8', startedOn: '2015-07-01', endedOn: '2016-06-30' });
    // 2015: 1 July – 31 December = 184 days × 800 = 147 200 → 147 200 / 365 000 = 0.403 → 0.4.
    // 2016: 31 + 29 + 31 + 30 + 31 + 30 = 182 days × 800 = 145 600 → 145 600 / 366 000 = 0.398 → 0.4.
    // Whole: 2015-07-01..2016-06-30 = 184 + 182 = 366 days × 800 = 292 800.
    const a = (await listing('sy-span', 2015)).span;
    const b = (await listing('sy-span', 2016)).span;
    expect([a, b]).toEqual([
      { staffYears: '0.4', fteDays: 147_200, denominator: 365_000, onDecember31: true },
      { staffYears: '0.4', fteDays: 145_600, denominator: 366_000, onDecember31: false },
    ]);
    expect(a.fteDays + b.fteDays).toBe(366 * 800);
    // The county's key figures split it the same way; the year after holds nothing.
    expect([(await kf('oppland', 2015)).staffYearsExact.fteDays, (await kf('oppland', 2016)).staffYearsExact.fteDays, (await kf('oppland', 2017)).staffYearsExact.fteDays]).toEqual([147_200, 145_600, 0]);
  });

  it('100 positions of one day each (the last 100 days of 2015) are 100 FTE-days, 0.3 staff-years, and one person on 31.12', async () => {
    await registerCentre(t, admin, 'sy-hundred', 'buskerud');
    // 2015-09-23 is day 266 of 2015 (31+28+31+30+31+30+31+31 = 243, + 23); day 266..365 are 100 days.
    const start = Date.UTC(2015, 8, 23);
    for (let i = 0; i < 100; i++) {
      const day = new Date(start + i * 86_400_000).toISOString().slice(0, 10);
      await position('sy-hundred', `d${String(i).padStart(3, '0')}`, { fte: '1', startedOn: day, endedOn: day });
    }
    const l = await listing('sy-hundred', 2015);
    expect(Object.keys(l)).toHaveLength(100);
    expect(Object.values(l).every((p) => p.fteDays === 1_000)).toBe(true);
    expect(l.d099).toEqual({ staffYears: '0.0', fteDays: 1_000, denominator: 365_000, onDecember31: true });
    // 100 × 1 000 = 100 000 / 365 000 = 0.274 → 0.3; only d099 (31 December) is held on 31.12: one person, full time.
    expect(staffOf(await kf('buskerud', 2015))).toEqual({ staffYears: '0.3', fteDays: 100_000, denominator: 365_000, persons: 1, fullTime: 1 });
    const mix = await get(t, admin, '/centres/sy-hundred/funding-mix/2015');
    expect([mix.staff.staffYears, mix.staff.staffYearsExact]).toEqual(['0.3', { fteDays: 100_000, denominator: 365_000 }]);
  });

  it('the same 18 250 FTE-days are exactly 0.05 in 2015 (→ 0.1, halves away from zero) and 0.0499 in 2016 (→ 0.0)', async () => {
    await registerCentre(t, admin, 'sy-half-tenth', 'vestfold');
    // 2015-01-01..2015-03-14 = 31 + 28 + 14 = 73 days; 2016-01-01..2016-03-13 = 31 + 29 + 13 = 73 days. 73 × 250 = 18 250.
    await position('sy-half-tenth', 'q-2015', { fte: '0.25', startedOn: '2015-01-01', endedOn: '2015-03-14' });
    await position('sy-half-tenth', 'q-2016', { fte: '0.25', startedOn: '2016-01-01', endedOn: '2016-03-13' });
    // 18 250 × 10 / 365 000 = 0.5 tenth exactly → 1 tenth = 0.1; 18 250 × 10 / 366 000 = 0.4986 tenth → 0.0.
    expect([(await kf('vestfold', 2015)).staffYears, (await kf('vestfold', 2016)).staffYears]).toEqual(['0.1', '0.0']);
    expect([(await listing('sy-half-tenth', 2015))['q-2015'].staffYears, (await listing('sy-half-tenth', 2016))['q-2016'].staffYears]).toEqual(['0.1', '0.0']);
  });

  it('rounded once: three centres of 0.35 FTE all of 2016 are shown 0.4 each, and the county 1.1, not 0.4 + 0.4 + 0.4 = 1.2 (key figures, county mix)', async () => {
    for (const c of ['sy-r1', 'sy-r2', 'sy-r3']) {
      await registerCentre(t, admin, c, 'telemark');
      await position(c, `${c}-p`, { fte: '0.35', startedOn: '2016-01-01', endedOn: '2016-12-31' });
    }
    // Each: 366 × 350 = 128 100 / 366 000 = 0.35 exactly → 0.4. County: 3 × 128 100 = 384 300 / 366 000 = 1.05 exactly → 1.1.
    const centres = [];
    for (const c of ['sy-r1', 'sy-r2', 'sy-r3']) centres.push((await get(t, admin, `/centres/${c}/funding-mix/2016`)).staff.staffYears);
    expect(centres).toEqual(['0.4', '0.4', '0.4']);
    const county = await kf('telemark', 2016);
    const countyMix = await get(t, admin, '/counties/telemark/funding-mix/2016');
    expect([county.staffYears, county.staffYearsExact.fteDays, countyMix.staff.staffYears]).toEqual(['1.1', 384_300, '1.1']);
  });

  it('staff paid directly, valued at annual cost × days ÷ days in year: across the year boundary (184/365 and 182/366) and in a leap-year half year', async () => {
    await registerCentre(t, admin, 'sy-paid', 'aust-agder');
    await position('sy-paid', 'paid-span', { fte: '1', startedOn: '2015-07-01', endedOn: '2016-06-30', payer: 'aust-agder-nav', annualCost: '365000.00' });
    await position('sy-paid', 'paid-leap', { fte: '1', startedOn: '2016-07-01', endedOn: '2016-12-31', payer: 'aust-agder-fk', annualCost: '366000.00' });
    const paid = async (year: number) => Object.fromEntries((await get(t, admin, `/centres/sy-paid/funding-mix/${year}`)).staff.paidDirectly.map((p: any) => [p.partyId, [p.staffYears, p.value]]));
    // 2015, NAV: 365 000.00 × 184 / 365 = 184 000.00; 184 000 FTE-days → 0.5.
    // 2016, NAV: 365 000.00 × 182 / 366 = 181 502.732… → 181 502.73; 182 000 / 366 000 = 0.497 → 0.5.
    // 2016, county authority: 366 000.00 × 184 / 366 = 184 000.00; 184 000 / 366 000 → 0.5.
    expect([await paid(2015), await paid(2016)]).toEqual([
      { 'aust-agder-nav': ['0.5', '184000.00'] },
      { 'aust-agder-nav': ['0.5', '181502.73'], 'aust-agder-fk': ['0.5', '184000.00'] },
    ]);
    const k16 = await kf('aust-agder', 2016);
    expect([k16.staffPaidDirectly['staffPaidDirectly.navCountyOffice'].fteDays, k16.staffPaidDirectly['staffPaidDirectly.countyAuthority'].fteDays]).toEqual([182_000, 184_000]);
  });

  it('cost-share compliance in the leap year: those two owners\' staff values weighed exactly (øre × days ÷ 366), shares by largest remainder, differences rounded once', async () => {
    await post(t, admin, '/centres/sy-paid/owner-agreements', { agreementId: 'sy-paid-own', parties: [{ partyId: 'aust-agder-fk', shareBp: 5000 }, { partyId: 'aust-agder-nav', shareBp: 5000 }], period: { from: '2015-01-01', to: null }, signedOn: '2014-12-01' });
    const c = await get(t, admin, '/centres/sy-paid/owner-agreements/sy-paid-own/cost-share-compliance/2016');
    // Exact contributions × 366, in øre-days: NAV 36 500 000 × 182 = 6 643 000 000; county 36 600 000 × 184 = 6 734 400 000;
    // total 13 377 400 000 → 13 377 400 000 / 366 = 36 550 273.2 øre → 365 502.73.
    // Shares in tenths: NAV 6 643 000 000 × 1000 / 13 377 400 000 = 496.58, county 503.42 → 496 + 503 = 999; the missing tenth to
    // the larger remainder (NAV, .58): 49.7 / 50.3. Difference, NAV: (6 643 000 000 − 6 688 700 000) / 366 = −124 863.4 øre → −1 248.63;
    // in points: (0.496584 − 0.5) × 100 = −0.34 → −0.3. The county: +1 248.63, +0.3.
    const byParty = Object.fromEntries(c.parties.map((p: any) => [p.partyId, [p.staffValue, p.actualSharePercent, p.differenceNok, p.differencePercentagePoints]]));
    expect([c.daysInForce, c.ownersActualTotal, byParty]).toEqual([
      366,
      '365502.73',
      { 'aust-agder-fk': ['184000.00', '50.3', '1248.63', '0.3'], 'aust-agder-nav': ['181502.73', '49.7', '-1248.63', '-0.3'] },
    ]);
  });

  it('a directly paid position halved on 29 February 2016 with its cost at the new FTE: 59 days at NOK 366 000 and 307 at NOK 183 000 a year', async () => {
    await registerCentre(t, admin, 'sy-paid-chg', 'vest-agder');
    await position('sy-paid-chg', 'halved', { fte: '1', startedOn: '2016-01-01', endedOn: '2016-12-31', payer: 'vest-agder-nav', annualCost: '366000.00' });
    await post(t, admin, '/centres/sy-paid-chg/staff-positions/halved/changes', { effectiveFrom: '2016-02-29', fte: '0.5', annualCost: '183000.00' });
    // Value: (366 000.00 × 59 + 183 000.00 × 307) / 366 = (21 594 000 + 56 181 000) / 366 = 77 775 000 / 366 = 212 500.00.
    // Staff-years: 59 × 1000 + 307 × 500 = 212 500 FTE-days / 366 000 = 0.58 → 0.6.
    const mix = await get(t, admin, '/centres/sy-paid-chg/funding-mix/2016');
    expect(mix.staff.paidDirectly.map((p: any) => [p.partyId, p.staffYears, p.staffYearsExact.fteDays, p.value, p.valueComplete])).toEqual([['vest-agder-nav', '0.6', 212_500, '212500.00', true]]);
  });
});

// =====================================================================================================
// Owner agreements and money: periods in days
// =====================================================================================================

describe('owner-agreement and money periods: 28/29 February, one day, amended or terminated from 1 January, signed on 31 December (e2e)', () => {
  let t: TestApp;
  let admin: Auth;
  const C = 'hordaland';
  const shares = (fk: number) => (fk === 10000 ? [{ partyId: `${C}-fk`, shareBp: 10000 }] : [{ partyId: `${C}-fk`, shareBp: fk }, { partyId: `${C}-nav`, shareBp: 10000 - fk }]);
  const agreement = async (centreId: string, agreementId: string, from: string, to: string | null, signedOn: string, fk = 5000) => {
    await registerCentre(t, admin, centreId, C);
    await post(t, admin, `/centres/${centreId}/owner-agreements`, { agreementId, parties: shares(fk), period: { from, to }, signedOn });
  };
  const compliance = (centreId: string, agreementId: string, year: number) => get(t, admin, `/centres/${centreId}/owner-agreements/${agreementId}/cost-share-compliance/${year}`);
  const agreed = (c: any) => Object.fromEntries(c.parties.map((p: any) => [p.partyId, p.agreedSharePercent]));
  const inForceOn = async (centreId: string, date: string) => {
    const body = await get(t, admin, `/centres/${centreId}/owner-agreements?date=${date}`);
    return body.inForce === null ? null : [body.inForce.agreementId, body.inForce.parties.map((p: any) => p.shareBp)];
  };

  beforeAll(async () => {
    t = await startTestApp({ seed: true, env: NO_RATE_LIMIT });
    admin = await t.auth('admin');
    await countyParties(t, admin, C);
  });
  afterAll(() => t.close());

  it('a period ending 28 February 2015 is 59 days in force, one ending 29 February 2016 is 60; in force on 29.2.2016 and not on 1.3; 2015-02-29 is 400 DATE.INVALID', async () => {
    await agreement('ag-feb15', 'feb15', '2015-01-01', '2015-02-28', '2014-12-01');
    await agreement('ag-feb16', 'feb16', '2016-01-01', '2016-02-29', '2015-12-01');
    // 31 + 28 = 59; 31 + 29 = 60.
    expect([(await compliance('ag-feb15', 'feb15', 2015)).daysInForce, (await compliance('ag-feb16', 'feb16', 2016)).daysInForce]).toEqual([59, 60]);
    expect([await inForceOn('ag-feb16', '2016-02-29'), await inForceOn('ag-feb16', '2016-03-01'), await inForceOn('ag-feb15', '2015-02-28'), await inForceOn('ag-feb15', '2015-03-01')]).toEqual([
      ['feb16', [5000, 5000]],
      null,
      ['feb15', [5000, 5000]],
      null,
    ]);
    await registerCentre(t, admin, 'ag-feb-bad', C);
    await refused(t, admin, '/centres/ag-feb-bad/owner-agreements', { agreementId: 'bad', parties: shares(5000), period: { from: '2015-01-01', to: '2015-02-29' }, signedOn: '2014-12-01' }, 400, 'DATE.INVALID');
  });

  it('a one-day agreement (from = to) is in force on that day only, 1 day in the year', async () => {
    await agreement('ag-one', 'one', '2015-06-15', '2015-06-15', '2015-06-01');
    expect([await inForceOn('ag-one', '2015-06-14'), await inForceOn('ag-one', '2015-06-15'), await inForceOn('ag-one', '2015-06-16')]).toEqual([null, ['one', [5000, 5000]], null]);
    const c = await compliance('ag-one', 'one', 2015);
    expect([c.daysInForce, agreed(c)]).toEqual([1, { [`${C}-fk`]: '50.0', [`${C}-nav`]: '50.0' }]);
  });

  it('amended effective 1 January: the old terms hold all of 2014 (365 days, 50/50), the new all of 2015 (365 days, 70/30); the answers switch on 1.1', async () => {
    await agreement('ag-jan1', 'jan1', '2014-01-01', null, '2013-12-01');
    await post(t, admin, '/centres/ag-jan1/owner-agreements/jan1/amend', { effectiveFrom: '2015-01-01', parties: shares(7000), period: { from: '2014-01-01', to: null } });
    const c14 = await compliance('ag-jan1', 'jan1', 2014);
    const c15 = await compliance('ag-jan1', 'jan1', 2015);
    expect([c14.daysInForce, agreed(c14), c15.daysInForce, agreed(c15)]).toEqual([365, { [`${C}-fk`]: '50.0', [`${C}-nav`]: '50.0' }, 365, { [`${C}-fk`]: '70.0', [`${C}-nav`]: '30.0' }]);
    expect([await inForceOn('ag-jan1', '2014-12-31'), await inForceOn('ag-jan1', '2015-01-01')]).toEqual([
      ['jan1', [5000, 5000]],
      ['jan1', [7000, 3000]],
    ]);
  });

  it('amended from 1 March: the agreed share is weighted by the days of each version, 60 + 306 in 2016 (66.7 / 33.3) and 59 + 306 in 2015 (66.8 / 33.2)', async () => {
    await agreement('ag-mar16', 'mar16', '2016-01-01', null, '2015-12-01');
    await post(t, admin, '/centres/ag-mar16/owner-agreements/mar16/amend', { effectiveFrom: '2016-03-01', parties: shares(7000), period: { from: '2016-01-01', to: null } });
    await agreement('ag-mar15', 'mar15', '2015-01-01', null, '2014-12-01');
    await post(t, admin, '/centres/ag-mar15/owner-agreements/mar15/amend', { effectiveFrom: '2015-03-01', parties: shares(7000), period: { from: '2015-01-01', to: null } });
    // 2016: county authority (5000 × 60 + 7000 × 306) / (10000 × 366) = 2 442 000 / 3 660 000 = 66.721 % → 66.7;
    //       NAV (5000 × 60 + 3000 × 306) / 3 660 000 = 1 218 000 / 3 660 000 = 33.279 % → 33.3.
    // 2015: county authority (5000 × 59 + 7000 × 306) / 3 650 000 = 2 437 000 / 3 650 000 = 66.767 % → 66.8;
    //       NAV (5000 × 59 + 3000 × 306) / 3 650 000 = 1 213 000 / 3 650 000 = 33.233 % → 33.2.
    const c16 = await compliance('ag-mar16', 'mar16', 2016);
    const c15 = await compliance('ag-mar15', 'mar15', 2015);
    expect([c16.daysInForce, agreed(c16), c15.daysInForce, agreed(c15)]).toEqual([366, { [`${C}-fk`]: '66.7', [`${C}-nav`]: '33.3' }, 365, { [`${C}-fk`]: '66.8', [`${C}-nav`]: '33.2' }]);
    expect([await inForceOn('ag-mar16', '2016-02-29'), await inForceOn('ag-mar16', '2016-03-01')]).toEqual([
      ['mar16', [5000, 5000]],
      ['mar16', [7000, 3000]],
    ]);
  });

  it('terminated from 1 January (the first day no longer in force): all 365 days of 2014 in force, no day of 2015 (404 OWNER_AGREEMENT.NOT_IN_FORCE)', async () => {
    await agreement('ag-term', 'term', '2014-01-01', null, '2013-12-01');
    await post(t, admin, '/centres/ag-term/owner-agreements/term/terminate', { effectiveFrom: '2015-01-01', reason: 'Ny eierskapsmodell' });
    expect((await compliance('ag-term', 'term', 2014)).daysInForce).toBe(365);
    const none = await get(t, admin, '/centres/ag-term/owner-agreements/term/cost-share-compliance/2015', 404);
    expect(none.code).toBe('OWNER_AGREEMENT.NOT_IN_FORCE');
    expect([await inForceOn('ag-term', '2014-12-31'), await inForceOn('ag-term', '2015-01-01')]).toEqual([['term', [5000, 5000]], null]);
  });

  it('signed on 31 December with a period backdated to 1 January: 1 day in force in that year, 365 the next', async () => {
    await agreement('ag-sign', 'sign', '2014-01-01', null, '2014-12-31');
    // In force only from the signing (README: signedOn ≤ D): 2014-12-31 alone; 2015: every day.
    expect([(await compliance('ag-sign', 'sign', 2014)).daysInForce, (await compliance('ag-sign', 'sign', 2015)).daysInForce]).toEqual([1, 365]);
    expect([await inForceOn('ag-sign', '2014-12-30'), await inForceOn('ag-sign', '2014-12-31')]).toEqual([null, ['sign', [5000, 5000]]]);
  });

  it('earmarked funds and a tender for periods ending 29.2.2016, of one day, and 29.2.2015 (400) or ending the day before they start (422): only the valid ones count, in their fiscal year', async () => {
    await registerCentre(t, admin, 'mo-periods', C);
    const base = { fiscalYear: 2016, decidedOn: '2016-01-10', reference: null };
    const path = '/centres/mo-periods/funding/earmarked-funds';
    await post(t, admin, path, { ...base, entryId: 'ear-feb', partyId: `${C}-fk`, amount: '1000.00', purpose: 'Prosjekt', period: { from: '2016-01-01', to: '2016-02-29' } });
    await post(t, admin, path, { ...base, entryId: 'ear-day', partyId: `${C}-fk`, amount: '0.50', purpose: 'Kurs', period: { from: '2016-06-15', to: '2016-06-15' } });
    await refused(t, admin, path, { ...base, entryId: 'ear-bad', partyId: `${C}-fk`, amount: '7.00', purpose: 'Prosjekt', period: { from: '2015-01-01', to: '2015-02-29' } }, 400, 'DATE.INVALID');
    await refused(t, admin, path, { ...base, entryId: 'ear-back', partyId: `${C}-fk`, amount: '9.00', purpose: 'Prosjekt', period: { from: '2016-06-15', to: '2016-06-14' } }, 422, 'PERIOD.ENDS_BEFORE_START');
    await post(t, admin, '/centres/mo-periods/funding/tender-awards', { ...base, entryId: 'ten-leap', partyId: `${C}-nav`, amount: '2.00', contractReference: 'NAV-29', period: { from: '2016-02-29', to: '2016-02-29' } });
    // Earmarked, county authority: 1000.00 + 0.50 = 1000.50 (two entries); tender from NAV: 2.00. Nothing in 2015.
    const k16 = (await get(t, admin, `/key-figures/2016?counties=${C}`)).counties[0];
    expect([k16.money['earmarked.countyAuthority'].amount, k16.money['earmarked.countyAuthority'].entries, k16.money['tender.navCountyOffice'].amount]).toEqual(['1000.50', 2, '2.00']);
    const k15 = (await get(t, admin, `/key-figures/2015?counties=${C}`)).counties[0];
    expect([k15.money['earmarked.countyAuthority'].entries, k15.money['tender.navCountyOffice'].entries]).toEqual([0, 0]);
  });
});

// =====================================================================================================
// "Today" at Norway's midnight (the Date faked, as test/http/oslo-today.e2e-spec.ts does)
// =====================================================================================================

describe('"today" around midnight in Norway on 31 December: the owner agreement in force and the NAV link\'s year (e2e)', () => {
  let t: TestApp;
  let admin: Auth;
  const C = 'rogaland';
  /** Runs `f` with only the Date faked at `instant`, with a token issued then. */
  const at = async <T>(instant: string, f: (auth: Auth) => Promise<T>): Promise<T> => {
    fakeDateOnly(Date.parse(instant));
    try {
      return await f(await t.auth('auditor', [], 'midnight-revisor'));
    } finally {
      jest.useRealTimers();
    }
  };
  const owners = (instant: string) =>
    at(instant, async (auth) => {
      const body = await get(t, auth, '/centres/mn-kc/owner-agreements');
      return [body.date, body.inForce?.agreementId ?? null];
    });

  beforeAll(async () => {
    t = await startTestApp({ seed: true, env: NO_RATE_LIMIT });
    admin = await t.auth('admin');
    await countyParties(t, admin, C);
    await registerCentre(t, admin, 'mn-kc', C);
    await post(t, admin, '/centres/mn-kc/owner-agreements', { agreementId: 'mn-2025', parties: [{ partyId: `${C}-fk`, shareBp: 10000 }], period: { from: '2025-01-01', to: '2025-12-31' }, signedOn: '2024-12-01' });
    await post(t, admin, '/centres/mn-kc/owner-agreements', { agreementId: 'mn-2026', parties: [{ partyId: `${C}-fk`, shareBp: 5000 }, { partyId: `${C}-nav`, shareBp: 5000 }], period: { from: '2026-01-01', to: null }, signedOn: '2025-11-01' });
    await post(t, admin, '/centres/mn-kc/funding/operating-grants', { entryId: 'mn-nav-2025', fiscalYear: 2025, partyId: `${C}-nav`, amount: '1000.00', decidedOn: '2025-01-10', reference: null });
  });
  afterAll(() => t.close());

  it('22:59:59.999 UTC on 31 December is still 31 December in Oslo (the 2025 agreement); from 23:00 UTC it is 1 January (the 2026 agreement)', async () => {
    // Winter time, UTC+1: 22:59:59.999Z = 23:59:59.999 on 31.12; 23:00:00.000Z = 00:00 on 1.1; 23:30Z = 00:30 on 1.1.
    expect([await owners('2025-12-31T22:59:59.999Z'), await owners('2025-12-31T23:00:00.000Z'), await owners('2025-12-31T23:30:00.000Z')]).toEqual([
      ['2025-12-31', 'mn-2025'],
      ['2026-01-01', 'mn-2026'],
      ['2026-01-01', 'mn-2026'],
    ]);
    // The agreement's own route names the same day and terms.
    const own = await at('2025-12-31T23:30:00.000Z', (auth) => get(t, auth, '/owner-agreements/mn-2026'));
    expect([own.inForceOn.date, own.inForceOn.terms?.effectiveFrom]).toEqual(['2026-01-01', '2026-01-01']);
  });

  it('the NAV link\'s financier ground reads the year of Norway\'s today: NAV money for 2025 holds at 22:59 UTC on 31.12, and at 23:30 UTC (1.1.2026) nothing is funded yet ("unknown")', async () => {
    const link = (instant: string) =>
      at(instant, async (auth) => {
        const body = await get(t, auth, '/centres/mn-kc/nav-link');
        return [body.date, body.grounds.financier.holds];
      });
    expect([await link('2025-12-31T22:59:59.999Z'), await link('2025-12-31T23:30:00.000Z')]).toEqual([
      ['2025-12-31', true],
      ['2026-01-01', 'unknown'],
    ]);
  });
});

// =====================================================================================================
// asOf on the DST days (the store's clock pinned, as test/audit/audit-review.e2e-spec.ts does)
// =====================================================================================================

describe('asOf on the days summer time starts and ends (30 March and 26 October 2014), and on 31 December (e2e)', () => {
  let t: TestApp;
  let auditor: Auth;
  let now = Date.parse('2014-01-02T08:00:00.000Z');
  const C = 'telemark';

  const grantsAsOf = async (asOf: string) => {
    const c = (await get(t, auditor, `/key-figures/2014?counties=${C}&asOf=${encodeURIComponent(asOf)}`)).counties[0];
    return c.money['operatingGrant.countyAuthority'].amount;
  };
  const ownersAsOf = async (asOf: string) => {
    const body = await get(t, auditor, `/centres/dst-kc/owner-agreements?asOf=${encodeURIComponent(asOf)}`);
    return [body.date, body.inForce?.agreementId ?? null];
  };

  beforeAll(async () => {
    t = await startTestApp({ store: new MemoryEventStore(() => new Date(now)), seed: true, env: NO_RATE_LIMIT });
    const admin = await t.auth('admin');
    auditor = await t.auth('auditor', [], 'dst-revisor');
    await countyParties(t, admin, C);
    await registerCentre(t, admin, 'dst-kc', C);
    const ag = (agreementId: string, from: string, to: string | null, fk: number) =>
      post(t, admin, '/centres/dst-kc/owner-agreements', {
        agreementId,
        parties: fk === 10000 ? [{ partyId: `${C}-fk`, shareBp: 10000 }] : [{ partyId: `${C}-fk`, shareBp: fk }, { partyId: `${C}-nav`, shareBp: 10000 - fk }],
        period: { from, to },
        signedOn: '2013-12-01',
      });
    await ag('dst-a', '2014-01-01', '2014-03-30', 10000);
    await ag('dst-b', '2014-03-31', '2014-10-26', 5000);
    await ag('dst-c', '2014-10-27', '2014-12-31', 4000);
    await ag('dst-d', '2015-01-01', null, 2500);
    // Operating grants recorded at instants around the Norwegian midnights; each amount names its grant.
    const grants: [string, string, string][] = [
      ['g1', '2014-03-30T21:59:59.999Z', '100.00'], // 23:59:59.999 CEST, 30 March
      ['g2', '2014-03-30T22:00:00.000Z', '20.00'], //  00:00 CEST, 31 March
      ['g3', '2014-10-26T21:59:59.999Z', '3.00'], //   22:59:59.999 CET, 26 October (the 25-hour day)
      ['g4', '2014-10-26T22:00:00.000Z', '0.40'], //   23:00 CET, still 26 October
      ['g5', '2014-10-26T22:59:59.999Z', '0.05'], //   23:59:59.999 CET, 26 October
      ['g6', '2014-10-26T23:00:00.000Z', '0.01'], //   00:00 CET, 27 October
    ];
    for (const [entryId, instant, amount] of grants) {
      now = Date.parse(instant);
      await post(t, admin, '/centres/dst-kc/funding/operating-grants', { entryId, fiscalYear: 2014, partyId: `${C}-fk`, amount, decidedOn: '2014-01-15', reference: null });
    }
  });
  afterAll(() => t.close());

  it('a bare asOf of 30 March 2014 ends at 21:59:59.999Z (summer time from 01:00 UTC): the grant of 21:59:59.999Z is in, the one of 22:00:00.000Z is not', async () => {
    // 29 March: nothing yet (null: no entry); 30 March: g1 = 100.00; 31 March: g1 + g2 = 120.00.
    expect([await grantsAsOf('2014-03-29'), await grantsAsOf('2014-03-30'), await grantsAsOf('2014-03-31')]).toEqual([null, '100.00', '120.00']);
  });

  it('a bare asOf of 26 October 2014 ends at 22:59:59.999Z (winter time again): the grants of 21:59:59.999Z, 22:00:00.000Z and 22:59:59.999Z are in, the one of 23:00:00.000Z is not', async () => {
    // 25 October ends 21:59:59.999Z (still summer time): g1 + g2 = 120.00.
    // 26 October: + g3 + g4 + g5 = 120.00 + 3.00 + 0.40 + 0.05 = 123.45; 27 October: + g6 = 123.46.
    expect([await grantsAsOf('2014-10-25'), await grantsAsOf('2014-10-26'), await grantsAsOf('2014-10-27')]).toEqual(['120.00', '123.45', '123.46']);
  });

  it('as of an instant, "today" is that instant\'s day in Oslo, with the offset of that day: 22:30Z is 31 March after the spring change, 26 October after the autumn one', async () => {
    // 2014-03-29T22:30Z = 23:30 CET on 29.3 → dst-a; 2014-03-30T21:30Z = 23:30 CEST on 30.3 → dst-a (its last day);
    // 2014-03-30T22:30Z = 00:30 CEST on 31.3 → dst-b; 2014-10-25T22:30Z = 00:30 CEST on 26.10 → dst-b;
    // 2014-10-26T22:30Z = 23:30 CET on 26.10 → dst-b (its last day); 2014-10-26T23:00Z = 00:00 CET on 27.10 → dst-c.
    expect([
      await ownersAsOf('2014-03-29T22:30:00Z'),
      await ownersAsOf('2014-03-30T21:30:00Z'),
      await ownersAsOf('2014-03-30T22:30:00Z'),
      await ownersAsOf('2014-10-25T22:30:00Z'),
      await ownersAsOf('2014-10-26T22:30:00Z'),
      await ownersAsOf('2014-10-26T23:00:00Z'),
      await ownersAsOf('2014-10-26'),
    ]).toEqual([
      ['2014-03-29', 'dst-a'],
      ['2014-03-30', 'dst-a'],
      ['2014-03-31', 'dst-b'],
      ['2014-10-26', 'dst-b'],
      ['2014-10-26', 'dst-b'],
      ['2014-10-27', 'dst-c'],
      ['2014-10-26', 'dst-b'],
    ]);
  });

  it('as of 23:30 UTC on 31 December the day is already 1 January in Oslo: the agreement from 1 January is in force; a bare 2014-12-31 is still the old one', async () => {
    // 2014-12-31T22:59:59.999Z = 23:59:59.999 CET on 31.12 → dst-c; 23:30Z = 00:30 on 1.1.2015 → dst-d.
    expect([await ownersAsOf('2014-12-31T22:59:59.999Z'), await ownersAsOf('2014-12-31T23:30:00Z'), await ownersAsOf('2014-12-31')]).toEqual([
      ['2014-12-31', 'dst-c'],
      ['2015-01-01', 'dst-d'],
      ['2014-12-31', 'dst-c'],
    ]);
  });
});

// =====================================================================================================
// Centres closed from 1 January / 31 December, or opened on 31 December
// =====================================================================================================

describe('centres closed from 1 January or 31 December, or opened on 31 December: figures, money and annual reports (e2e)', () => {
  let t: TestApp;
  let admin: Auth;

  const kf = async (countyId: string, year: number) => (await get(t, admin, `/key-figures/${year}?counties=${countyId}`)).counties[0];
  const figures = (c: any) => ({ centres: c.centres, staffYears: c.staffYears, fteDays: c.staffYearsExact.fteDays, persons: c.personsByEmployer['county-authority'], fullTime: c.fullTime });
  const positionBody = (positionId: string, startedOn: string, payer?: string) => ({
    positionId,
    title: 'Veileder',
    employerKind: 'county-authority',
    employerPartyId: null,
    fte: '1',
    payer: payer ? { kind: 'party', partyId: payer } : { kind: 'centre' },
    ...(payer ? { annualCost: '365000.00' } : {}),
    startedOn,
  });
  const start = (centreId: string, positionId: string, startedOn: string, payer?: string) => post(t, admin, `/centres/${centreId}/staff-positions`, positionBody(positionId, startedOn, payer));
  const grant = (centreId: string, countyId: string, fiscalYear: number) => ({ fiscalYear, partyId: `${countyId}-fk`, amount: '100.00', decidedOn: `${fiscalYear}-01-10`, reference: null });

  beforeAll(async () => {
    t = await startTestApp({ seed: true, env: NO_RATE_LIMIT });
    admin = await t.auth('admin');
    for (const c of ['sogn-og-fjordane', 'more-og-romsdal', 'sor-trondelag', 'nord-trondelag']) await countyParties(t, admin, c);
  });
  afterAll(() => t.close());

  it('closed from 1 January 2015 with a position left open: 2014 counts 184 days and one person on 31.12; 2015 has no centre, no day, no money and no annual report', async () => {
    const K = 'sogn-og-fjordane';
    await registerCentre(t, admin, 'cl-jan1', K);
    await start('cl-jan1', 'cl-jan1-p', '2014-07-01');
    await post(t, admin, '/centres/cl-jan1/funding/operating-grants', grant('cl-jan1', K, 2014));
    await post(t, admin, '/centres/cl-jan1/close', { closedOn: '2015-01-01', reason: 'Lagt ned' });
    // 2014: 1 July – 31 December = 184 days → 184 000 / 365 000 = 0.504 → 0.5; held on 31.12.2014, FTE 1 → full time.
    expect(figures(await kf(K, 2014))).toEqual({ centres: 1, staffYears: '0.5', fteDays: 184_000, persons: 1, fullTime: 1 });
    // 2015: the centre is open on no day (openedOn ≤ D < closedOn), so no centre and nothing counted.
    expect(figures(await kf(K, 2015))).toEqual({ centres: 0, staffYears: '0.0', fteDays: 0, persons: 0, fullTime: 0 });
    const pos = (await get(t, admin, '/centres/cl-jan1/staff-positions')).find((p: any) => p.positionId === 'cl-jan1-p');
    expect([pos.endedOn, pos.countedUntil]).toEqual([null, '2014-12-31']);
    await refused(t, admin, '/centres/cl-jan1/funding/operating-grants', grant('cl-jan1', K, 2015), 422, 'CENTRE.CLOSED');
    await refused(t, admin, '/centres/cl-jan1/grant-evidence/annual-reports', { year: 2015, submittedOn: '2016-01-05' }, 422, 'CENTRE.CLOSED');
    // The final report for 2014 is filed after the closing (README: never refused CENTRE.CLOSED for its submission date).
    await post(t, admin, '/centres/cl-jan1/grant-evidence/annual-reports', { year: 2014, submittedOn: '2015-01-01' });
  });

  it('closed from 31 December 2015: open 364 days of 2015 (1.0 staff-year), nobody employed on 31.12; the final report from the closing day on', async () => {
    const K = 'more-og-romsdal';
    await registerCentre(t, admin, 'cl-dec31', K);
    await start('cl-dec31', 'cl-dec31-p', '2015-01-01');
    await post(t, admin, '/centres/cl-dec31/close', { closedOn: '2015-12-31', reason: 'Lagt ned' });
    // 2015-01-01..2015-12-30 = 364 days → 364 000 / 365 000 = 0.997 → 1.0; not held on 31.12 (closed): 0 persons.
    expect(figures(await kf(K, 2015))).toEqual({ centres: 1, staffYears: '1.0', fteDays: 364_000, persons: 0, fullTime: 0 });
    const pos = (await get(t, admin, '/centres/cl-dec31/staff-positions?year=2015')).find((p: any) => p.positionId === 'cl-dec31-p');
    expect([pos.countedUntil, pos.year.fteDays, pos.year.onDecember31]).toEqual(['2015-12-30', 364_000, false]);
    // A centre closed during the year reports from its closing date on (README "Evidence dates").
    await refused(t, admin, '/centres/cl-dec31/grant-evidence/annual-reports', { year: 2015, submittedOn: '2015-12-30' }, 422, 'ANNUAL_REPORT.SUBMITTED_BEFORE_YEAR_END');
    await post(t, admin, '/centres/cl-dec31/grant-evidence/annual-reports', { year: 2015, submittedOn: '2015-12-31' });
    await post(t, admin, '/centres/cl-dec31/funding/operating-grants', grant('cl-dec31', K, 2015));
    await refused(t, admin, '/centres/cl-dec31/funding/operating-grants', grant('cl-dec31', K, 2016), 422, 'CENTRE.CLOSED');
  });

  it('opened on 31 December 2015, open on that one day of 2015: one centre, one day of staff, money and the annual report for 2015; nothing for 2014 or before the opening', async () => {
    const K = 'sor-trondelag';
    await registerCentre(t, admin, 'op-dec31', K, '2015-12-31');
    await refused(t, admin, '/centres/op-dec31/staff-positions', { ...positionBody('op-early', '2015-12-30') }, 422, 'STAFF.BEFORE_OPENING');
    await start('op-dec31', 'op-p', '2015-12-31');
    // 2015: 1 day × 1000 = 1 000 → 0.0027 → 0.0; held on 31.12 at FTE 1: one person, full time.
    expect(figures(await kf(K, 2015))).toEqual({ centres: 1, staffYears: '0.0', fteDays: 1_000, persons: 1, fullTime: 1 });
    await post(t, admin, '/centres/op-dec31/funding/operating-grants', grant('op-dec31', K, 2015));
    await refused(t, admin, '/centres/op-dec31/funding/operating-grants', grant('op-dec31', K, 2014), 422, 'ENTRY.BEFORE_OPENING');
    await post(t, admin, '/centres/op-dec31/grant-evidence/annual-reports', { year: 2015, submittedOn: '2016-01-01' });
    await refused(t, admin, '/centres/op-dec31/grant-evidence/annual-reports', { year: 2014, submittedOn: '2016-01-01' }, 422, 'ANNUAL_REPORT.YEAR_BEFORE_OPENING');
  });

  // Failed before its fix: the NAV link said NAV "financed the centre in 2015" (financier true, hasNavLink true, citing the position's start) although the position counts no day of 2015 and the 2015 funding mix shows no staff paid by NAV; README ("A position counts no day its centre is closed", "financier (NAV money or a NAV-paid position for the centre in D's year)") makes it a position of 2014 only.
  it('closed from 1 January 2015 with a NAV-paid position left open: NAV pays nothing in 2015 in the figures, so the NAV link\'s financier ground for 2015 does not hold', async () => {
    const K = 'nord-trondelag';
    await registerCentre(t, admin, 'cl-nav', K);
    await start('cl-nav', 'cl-nav-p', '2014-07-01', `${K}-nav`);
    await post(t, admin, '/centres/cl-nav/close', { closedOn: '2015-01-01', reason: 'Lagt ned' });
    // The position counts until 2014-12-31 (countedUntil): 2014 NAV-paid 184 000 FTE-days; 2015 none.
    const mix15 = await get(t, admin, '/centres/cl-nav/funding-mix/2015');
    expect(mix15.staff.paidDirectly).toEqual([]);
    const l14 = await get(t, admin, '/centres/cl-nav/nav-link?date=2014-12-31');
    expect(l14.grounds.financier.holds).toBe(true);
    // 2015: no money is recorded for the centre and no position counts a day: nothing is funded ("unknown").
    const l15 = await get(t, admin, '/centres/cl-nav/nav-link?date=2015-06-01');
    expect(l15.grounds.financier.holds).toBe('unknown');
  });
});

// =====================================================================================================
// The NAV link's financier ground: the days a party paid, by date
// =====================================================================================================

describe('the NAV link\'s financier ground counts the days NAV paid, by their dates, as the figures do (e2e)', () => {
  let t: TestApp;
  let admin: Auth;
  const K = 'finnmark';
  const start = (positionId: string, startedOn: string, payer: string | null) =>
    post(t, admin, '/centres/nf-kc/staff-positions', {
      positionId,
      title: 'Veileder',
      employerKind: 'county-authority',
      employerPartyId: null,
      fte: '1',
      payer: payer ? { kind: 'party', partyId: payer } : { kind: 'centre' },
      startedOn,
    });
  const payer = (positionId: string, effectiveFrom: string, partyId: string | null) =>
    post(t, admin, `/centres/nf-kc/staff-positions/${positionId}/changes`, { effectiveFrom, payer: partyId ? { kind: 'party', partyId } : { kind: 'centre' } });
  const paidBy = async (year: number) => Object.fromEntries((await get(t, admin, `/centres/nf-kc/funding-mix/${year}`)).staff.paidDirectly.map((p: any) => [p.partyId, p.staffYearsExact.fteDays]));
  const financier = async (date: string) => (await get(t, admin, `/centres/nf-kc/nav-link?date=${date}`)).grounds.financier.holds;

  beforeAll(async () => {
    t = await startTestApp({ seed: true, env: NO_RATE_LIMIT });
    admin = await t.auth('admin');
    await countyParties(t, admin, K);
    await registerCentre(t, admin, 'nf-kc', K);
  });
  afterAll(() => t.close());

  // Failed before its fix: the NAV link said NAV financed the centre in 2016 (financier true, citing the start) although the change recorded on the start day replaced NAV as payer before NAV paid a single day, and the 2016 funding mix shows no staff paid by NAV; the ledger keeps the empty period [1.3, 1.3) as a day of NAV payment.
  it('a NAV-paid start replaced on its own start day by the centre\'s budget: NAV paid no day of 2016, so with money from the county only, NAV is no financier', async () => {
    await post(t, admin, '/centres/nf-kc/funding/operating-grants', { entryId: 'nf-fk-2016', fiscalYear: 2016, partyId: `${K}-fk`, amount: '1000.00', decidedOn: '2016-01-10', reference: null });
    await start('nf-same', '2016-03-01', `${K}-nav`);
    // README: a change on the start date replaces the start terms, so from 2016-03-01 the centre pays: NAV 0 days.
    await payer('nf-same', '2016-03-01', null);
    expect(await paidBy(2016)).toEqual({});
    // Funding is recorded for 2016 (the county's grant), none of it from NAV: the ground does not hold (false).
    expect(await financier('2016-06-01')).toBe(false);
  });

  // Failed before its fix: for 2018 the NAV link said nothing is funded ("unknown") although by the changes' dates NAV has paid the position since 1.9.2017 and the 2018 funding mix shows 365 000 FTE-days paid by NAV; the ledger keeps the payer periods in the order they were recorded, not by date, so the backdated change cut NAV's period to [1.9.2017, 1.3.2017).
  it('payer changes recorded out of date order: county from 1.1.2017, centre from 1.3 (recorded last), NAV from 1.9: NAV pays every day of 2018, as the funding mix says', async () => {
    await start('nf-order', '2017-01-01', `${K}-fk`);
    await payer('nf-order', '2017-09-01', `${K}-nav`);
    await payer('nf-order', '2017-03-01', null);
    // By date: county authority 1.1–28.2.2017 (59 days), the centre 1.3–31.8, NAV from 1.9.2017 (122 days of 2017), all 365 days of 2018.
    expect([await paidBy(2017), await paidBy(2018)]).toEqual([{ [`${K}-fk`]: 59_000, [`${K}-nav`]: 122_000 }, { [`${K}-nav`]: 365_000 }]);
    expect([await financier('2017-06-01'), await financier('2018-06-01')]).toEqual([true, true]);
  });
});

// =====================================================================================================
// Base-grant evidence on the first and last day of its windows, and 29 February
// =====================================================================================================

describe('base-grant evidence dated on the first or last day of a window, and the 29 February of a survey year (e2e)', () => {
  let t: TestApp;
  let vox: Auth;
  const eligibility = (year: number, countyId: string) => get(t, vox, `/grant-schemes/${year}/eligibility/${countyId}`);
  /** A county with its partnership (signed 2013-09-01), coordinating function (from 2013-01-01) and one centre declaring free guidance from 2013-01-01, no other evidence. */
  const bareCounty = async (countyId: string, centreId: string) => {
    await recordCounty(t, countyId, countyId, [{ centreId, name: `Karrieresenter ${centreId}`, municipality: 'Kommune', groups: [], survey: false, reportSubmittedOn: null }]);
    return t.auth('finance-officer', [countyId]);
  };
  const activity = (fo: Auth, centreId: string, deliveredOn: string, targetGroups: string[]) =>
    post(t, fo, `/centres/${centreId}/grant-evidence/competence-development`, { deliveredOn, kind: 'course', targetGroups, participants: 10, description: 'Kurs' });
  const survey = (fo: Auth, centreId: string, from: string, to: string) => post(t, fo, `/centres/${centreId}/grant-evidence/user-survey-participations`, { period: { from, to } });
  const report = (fo: Auth, centreId: string, year: number, submittedOn: string) => post(t, fo, `/centres/${centreId}/grant-evidence/annual-reports`, { year, submittedOn });

  beforeAll(async () => {
    t = await startTestApp({ seed: true, env: NO_RATE_LIMIT });
    vox = await t.auth('vox', [], 'vox-kalender');
    await post(t, vox, '/grant-schemes', { year: 2014, baseGrant: '100.00', criteriaSetId: 'criteria-2014', judgingDate: '2014-03-01' });
    await post(t, vox, '/grant-schemes', { year: 2017, baseGrant: '100.00', criteriaSetId: 'criteria-2014', judgingDate: '2017-03-01' });
  });
  afterAll(() => t.close());

  it('evidence on the windows\' edges counts: activities on 1.1.2013, 31.12.2013 and the judging date, a survey from 1.1 to 31.12 in two pieces, the report submitted on 1.1.2014', async () => {
    const fo = await bareCounty('ostfold', 'ev-edge');
    // Windows of the 2014 scheme (J = 2014-03-01): competence 2013-01-01..J; user survey 2013-01-01..2013-12-31; report for 2013 by J.
    await activity(fo, 'ev-edge', '2013-01-01', [GROUPS[0]]);
    await activity(fo, 'ev-edge', '2013-12-31', [GROUPS[1]]);
    await activity(fo, 'ev-edge', '2014-03-01', [GROUPS[2]]);
    await survey(fo, 'ev-edge', '2013-01-01', '2013-01-01');
    await survey(fo, 'ev-edge', '2013-01-02', '2013-12-31');
    await report(fo, 'ev-edge', 2013, '2014-01-01');
    const a = await eligibility(2014, 'ostfold');
    const c = a.centres[0];
    expect([...GROUPS.map((g) => centreCrit(c, `3b-${g}`).passed), centreCrit(c, '3c-i').passed, centreCrit(c, '3c-ii').passed, a.eligible]).toEqual([true, true, true, true, true, true]);
  });

  it('evidence one day outside counts not: an activity on 31.12.2012 or the day after the judging date, a survey from 2.1 or to 30.12, a report one day late', async () => {
    const fo = await bareCounty('akershus', 'ev-out');
    await activity(fo, 'ev-out', '2012-12-31', [GROUPS[0]]);
    await activity(fo, 'ev-out', '2013-12-31', [GROUPS[1]]);
    await activity(fo, 'ev-out', '2014-03-02', [GROUPS[2]]);
    await survey(fo, 'ev-out', '2013-01-02', '2013-12-31');
    await report(fo, 'ev-out', 2013, '2014-03-02');
    const a = await eligibility(2014, 'akershus');
    const c = a.centres[0];
    expect(GROUPS.map((g) => centreCrit(c, `3b-${g}`).passed)).toEqual([false, true, false]);
    // The one day missing from the survey year is 1 January; the report came 1 day after the deadline (J).
    expect([centreCrit(c, '3c-i').passed, centreCrit(c, '3c-i').missing[0].en]).toEqual([false, 'Karrieresenter ev-out: user-survey participation from 2013-01-01 to 2013-01-01.']);
    expect([centreCrit(c, '3c-ii').passed, centreCrit(c, '3c-ii').reason.en]).toEqual([false, "Karrieresenter ev-out's annual report for 2013 was submitted on 2014-03-02, 1 day(s) after the deadline 2014-03-01."]);
    expect(a.eligible).toBe(false);
    // A second centre whose survey stops on 30 December misses exactly 31 December.
    await post(t, fo, '/centres', { centreId: 'ev-out2', countyId: 'akershus', name: 'Karrieresenter ev-out2', municipality: 'Kommune', openedOn: '2010-01-01' });
    await survey(fo, 'ev-out2', '2013-01-01', '2013-12-30');
    const b = await eligibility(2014, 'akershus');
    const c2 = b.centres.find((x: any) => x.centreId === 'ev-out2');
    expect(centreCrit(c2, '3c-i').missing[0].en).toBe('Karrieresenter ev-out2: user-survey participation from 2013-12-31 to 2013-12-31.');
  });

  it('the 2017 scheme\'s survey year 2016 has a 29 February: periods to 28.2 and from 1.3 leave exactly that day uncovered until a one-day period fills it', async () => {
    const fo = await bareCounty('oslo', 'ev-leap');
    // Windows of the 2017 scheme (J = 2017-03-01): competence 2016-01-01..J, user survey all of 2016 (366 days), report for 2016 by J.
    await activity(fo, 'ev-leap', '2016-02-29', GROUPS);
    await survey(fo, 'ev-leap', '2016-01-01', '2016-02-28');
    await survey(fo, 'ev-leap', '2016-03-01', '2016-12-31');
    await report(fo, 'ev-leap', 2016, '2017-01-02');
    let a = await eligibility(2017, 'oslo');
    const before = centreCrit(a.centres[0], '3c-i');
    expect([before.passed, before.missing[0].en, a.eligible]).toEqual([false, 'Karrieresenter ev-leap: user-survey participation from 2016-02-29 to 2016-02-29.', false]);
    // The activity on 29.2.2016 reaches all three groups inside 2016-01-01..2017-03-01.
    expect(GROUPS.map((g) => centreCrit(a.centres[0], `3b-${g}`).passed)).toEqual([true, true, true]);
    await refused(t, fo, '/centres/ev-leap/grant-evidence/user-survey-participations', { period: { from: '2015-02-29', to: '2015-02-29' } }, 400, 'DATE.INVALID');
    await survey(fo, 'ev-leap', '2016-02-29', '2016-02-29');
    a = await eligibility(2017, 'oslo');
    expect([centreCrit(a.centres[0], '3c-i').passed, a.eligible]).toEqual([true, true]);
  });

  it('a judging date of 29 February in a common year is no date (400 GRANT_SCHEME.JUDGING_DATE_INVALID); in a leap year it moves the windows to end on it', async () => {
    await refused(t, vox, '/grant-schemes', { year: 2018, baseGrant: '100.00', criteriaSetId: 'criteria-2014', judgingDate: '2018-02-29' }, 400, 'GRANT_SCHEME.JUDGING_DATE_INVALID');
    await post(t, vox, '/grant-schemes', { year: 2016, baseGrant: '100.00', criteriaSetId: 'criteria-2014', judgingDate: '2016-02-29' });
    // Defaults (README): competence 1 Jan Y−1 .. J; user survey all of Y−1; the report for Y−1 by J.
    const s = await get(t, vox, '/grant-schemes/2016');
    expect([s.windows.competenceDevelopment, s.windows.userSurvey, s.windows.annualReport]).toEqual([
      { from: '2015-01-01', to: '2016-02-29' },
      { from: '2015-01-01', to: '2015-12-31' },
      { reportYear: 2015, deadline: '2016-02-29' },
    ]);
  });
});
