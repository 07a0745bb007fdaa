/**
 * A centre's closing and the days a party paid, through HTTP:
 *
 * - Cost-share compliance counts an owner agreement's days in force only on days its centre is open
 *   (openedOn ≤ D < closedOn, README "Cost-share compliance"): an agreement left open at a centre closed
 *   from 1 July counts half a year, and a centre closed (or not yet opened) the whole year is not listed
 *   for it, as the key figures and the county and country funding mixes do not count it.
 * - The NAV link's financier ground counts the days a party paid as the funding figures do: by the
 *   terms' dates whatever order they were recorded in, a version replaced on its own first day paid no
 *   day, and no day counts from the centre's closing on (heldTerms and countedUntil in
 *   libs/projections/src/funding/staff-years.ts, which both use).
 *
 * Expected figures are worked out by hand in a comment above each assertion.
 */
import { heldTerms } from '../../libs/projections/src/funding/staff-years';
import { dayNumber } from '../../libs/domain/src/shared/dates';
import { startTestApp, TestApp } from '../helpers/test-app';
import { centre, get, partyOf, post } from '../governance/governance-helpers';

type Auth = { Authorization: string };

const NO_RATE_LIMIT = { LEDGER_RATE_LIMIT_PER_MINUTE: '0' };

/** A county's authority and NAV county office. */
const countyParties = async (t: TestApp, auth: Auth, countyId: string) => {
  await partyOf(t, auth, `${countyId}-fk`, `${countyId} fylkeskommune`, 'county-authority', countyId);
  await partyOf(t, auth, `${countyId}-nav`, `NAV ${countyId}`, 'nav-county-office', countyId);
};

const positionBody = (positionId: string, startedOn: string, payer: string | null, annualCost?: string) => ({
  positionId,
  title: 'Karriereveileder',
  employerKind: 'county-authority',
  employerPartyId: null,
  fte: '1',
  payer: payer ? { kind: 'party', partyId: payer } : { kind: 'centre' },
  ...(annualCost ? { annualCost } : {}),
  startedOn,
});

describe('heldTerms: the days each version of a position\'s terms held (the rule the figures and the NAV link share)', () => {
  const d = dayNumber;
  const terms = (...froms: string[]) => froms.map((from, i) => ({ from, i }));
  const held = (startedOn: string, ts: { from: string; i: number }[], lastDay: string | null) => heldTerms(startedOn, ts, lastDay).map((h) => [h.terms.i, h.from, h.to]);

  it('each version holds from its date to the day before the next, the last to the last day counted (or open-ended)', () => {
    expect(held('2016-01-01', terms('2016-01-01', '2016-03-01'), null)).toEqual([
      [0, d('2016-01-01'), d('2016-02-29')],
      [1, d('2016-03-01'), null],
    ]);
    expect(held('2016-01-01', terms('2016-01-01', '2016-03-01'), '2016-06-30')).toEqual([
      [0, d('2016-01-01'), d('2016-02-29')],
      [1, d('2016-03-01'), d('2016-06-30')],
    ]);
  });

  it('a version from after the last day counted (a change planned past the end or the closing) holds no day', () => {
    expect(held('2015-01-01', terms('2015-01-01', '2015-09-01'), '2015-06-30')).toEqual([[0, d('2015-01-01'), d('2015-06-30')]]);
    // A version from the very day after the last counted holds none; one from the last day holds that one day.
    expect(held('2015-01-01', terms('2015-01-01', '2015-07-01'), '2015-06-30')).toEqual([[0, d('2015-01-01'), d('2015-06-30')]]);
    expect(held('2015-01-01', terms('2015-01-01', '2015-06-30'), '2015-06-30')).toEqual([
      [0, d('2015-01-01'), d('2015-06-29')],
      [1, d('2015-06-30'), d('2015-06-30')],
    ]);
  });

  it('a position whose last day counted is before its start (closed before it began to count) holds no day at all', () => {
    expect(held('2015-01-01', terms('2015-01-01'), '2014-12-31')).toEqual([]);
  });
});

// =====================================================================================================
// Cost-share compliance: days in force only while the centre is open
// =====================================================================================================

describe('cost-share compliance counts an owner agreement\'s days in force only on days its centre is open (e2e)', () => {
  let t: TestApp;
  let admin: Auth;
  const K = 'hordaland';
  const shares = (fk: number) => [
    { partyId: `${K}-fk`, shareBp: fk },
    { partyId: `${K}-nav`, shareBp: 10000 - fk },
  ];
  const compliance = (centreId: string, agreementId: string, year: number, status = 200) => get(t, admin, `/centres/${centreId}/owner-agreements/${agreementId}/cost-share-compliance/${year}`, status);
  /** centreId → daysInForce in the year's listing of the county. */
  const listed = async (year: number) => Object.fromEntries((await get(t, admin, `/owner-agreements/cost-share-compliance/${year}?countyId=${K}`)).map((c: any) => [c.centreId, c.daysInForce]));

  beforeAll(async () => {
    t = await startTestApp({ seed: true, env: NO_RATE_LIMIT });
    admin = await t.auth('admin');
    await countyParties(t, admin, K);
  });
  afterAll(() => t.close());

  it('closed from 1 July 2015 with the agreement left open: 181 days in force in 2015, the agreed share weighted by open days only; 2016 not listed (404 for the one agreement)', async () => {
    await centre(t, admin, 'cs-jul', K, 'Karrieresenter cs-jul', 'Kommune', '2010-01-01');
    await post(t, admin, '/centres/cs-jul/owner-agreements', { agreementId: 'cs-jul-own', parties: shares(5000), period: { from: '2014-01-01', to: null }, signedOn: '2013-12-01' });
    await post(t, admin, '/centres/cs-jul/owner-agreements/cs-jul-own/amend', { effectiveFrom: '2015-04-01', parties: shares(7000), period: { from: '2014-01-01', to: null } }, 200);
    await post(t, admin, '/centres/cs-jul/staff-positions', positionBody('cs-jul-p', '2015-01-01', `${K}-nav`, '365000.00'));
    await post(t, admin, '/centres/cs-jul/funding/operating-grants', { entryId: 'cs-jul-g', fiscalYear: 2015, partyId: `${K}-fk`, amount: '181000.00', decidedOn: '2015-01-10', reference: null });
    await post(t, admin, '/centres/cs-jul/close', { closedOn: '2015-07-01', reason: 'Lagt ned' }, 200);

    // Open in 2015 from 1.1 to 30.6: 31 + 28 + 31 + 30 + 31 + 30 = 181 days (not 365): 50/50 for 1.1–31.3 (90 days),
    // 70/30 for 1.4–30.6 (91 days). Agreed, county authority: (5000 × 90 + 7000 × 91) / (10000 × 181) = 1 087 000 / 1 810 000
    // = 60.055 % → 60.1; NAV: (5000 × 90 + 3000 × 91) / 1 810 000 = 723 000 / 1 810 000 = 39.945 % → 39.9.
    // (Over 365 days it would be (450 000 + 7000 × 275) / 3 650 000 = 65.1 / 34.9.)
    // Actual: county authority 181 000.00 in money; NAV's position counts until 30.6 (countedUntil): 365 000.00 × 181 / 365
    // = 181 000.00. Total 362 000.00, 50.0 / 50.0. Difference, county authority: 181 000.00 − 0.60055… × 362 000.00
    // = 181 000.00 − 217 400.00 = −36 400.00 (1 087 000 / 1 810 000 × 362 000 = 217 400 exactly); NAV +36 400.00;
    // in points 50 − 60.0552… = −10.0552… → −10.1 and +10.1.
    const c15 = await compliance('cs-jul', 'cs-jul-own', 2015);
    const byParty = Object.fromEntries(c15.parties.map((p: any) => [p.partyId, [p.agreedSharePercent, p.staffValue, p.actualSharePercent, p.differencePercentagePoints, p.differenceNok]]));
    expect([c15.daysInForce, c15.ownersActualTotal, byParty]).toEqual([
      181,
      '362000.00',
      { [`${K}-fk`]: ['60.1', '0.00', '50.0', '-10.1', '-36400.00'], [`${K}-nav`]: ['39.9', '181000.00', '50.0', '10.1', '36400.00'] },
    ]);
    // 2014, a whole year open: 365 days at 50/50, as before.
    expect((await compliance('cs-jul', 'cs-jul-own', 2014)).daysInForce).toBe(365);
    // 2016: the centre is open on no day, so the agreement counts none: not listed, and the one agreement is 404.
    expect((await listed(2016))['cs-jul']).toBeUndefined();
    expect((await compliance('cs-jul', 'cs-jul-own', 2016, 404)).code).toBe('OWNER_AGREEMENT.NOT_IN_FORCE');
    expect((await listed(2015))['cs-jul']).toBe(181);
    // As the key figures do: a centre closed the whole year is not one of the year's centres.
    expect((await get(t, admin, `/key-figures/2016?counties=${K}`)).counties[0].centres).toBe(0);
  });

  it('closed from 1 January 2016: 365 days in 2015, and the agreement left open is not listed for 2016 or any later year', async () => {
    await centre(t, admin, 'cs-jan', K, 'Karrieresenter cs-jan', 'Kommune', '2010-01-01');
    await post(t, admin, '/centres/cs-jan/owner-agreements', { agreementId: 'cs-jan-own', parties: shares(5000), period: { from: '2014-01-01', to: null }, signedOn: '2013-12-01' });
    await post(t, admin, '/centres/cs-jan/close', { closedOn: '2016-01-01', reason: 'Slått sammen' }, 200);
    expect((await listed(2015))['cs-jan']).toBe(365);
    expect([(await listed(2016))['cs-jan'], (await listed(2017))['cs-jan']]).toEqual([undefined, undefined]);
    // The answer says why: the centre's closing, not the agreement's own dates (open-ended from 2014).
    expect(await compliance('cs-jan', 'cs-jan-own', 2016, 404)).toMatchObject({
      code: 'OWNER_AGREEMENT.NOT_IN_FORCE',
      message: 'Owner agreement cs-jan-own of centre cs-jan was in force on no day of 2016: the centre closed on 2016-01-01, and an agreement covers only days its centre is open.',
      details: { closedOn: '2016-01-01', openedOn: '2010-01-01', year: 2016 },
    });
  });

  it('closed from 31 December: the last day of the year is not counted (364 of 365), the centre still listed', async () => {
    await centre(t, admin, 'cs-dec', K, 'Karrieresenter cs-dec', 'Kommune', '2010-01-01');
    await post(t, admin, '/centres/cs-dec/owner-agreements', { agreementId: 'cs-dec-own', parties: shares(5000), period: { from: '2015-01-01', to: null }, signedOn: '2014-12-01' });
    await post(t, admin, '/centres/cs-dec/close', { closedOn: '2015-12-31', reason: 'Lagt ned' }, 200);
    expect((await listed(2015))['cs-dec']).toBe(364);
  });

  it('an agreement whose period begins before the centre opens counts from the opening: opened 1 March 2016, 306 days of 2016', async () => {
    await centre(t, admin, 'cs-mar', K, 'Karrieresenter cs-mar', 'Kommune', '2016-03-01');
    await post(t, admin, '/centres/cs-mar/owner-agreements', { agreementId: 'cs-mar-own', parties: shares(5000), period: { from: '2016-01-01', to: null }, signedOn: '2015-12-01' });
    // 2016 is a leap year: 366 − (31 + 29) = 306 days from 1 March.
    expect((await compliance('cs-mar', 'cs-mar-own', 2016)).daysInForce).toBe(306);
  });
});

// =====================================================================================================
// The NAV link's financier ground: the days NAV paid, as the funding mix counts them
// =====================================================================================================

describe('the NAV link\'s financier ground counts only days NAV paid while the centre was open, by the terms\' dates (e2e)', () => {
  let t: TestApp;
  let admin: Auth;
  const K = 'troms';
  const start = (centreId: string, positionId: string, startedOn: string, payer: string | null) => post(t, admin, `/centres/${centreId}/staff-positions`, positionBody(positionId, startedOn, payer));
  const payer = (centreId: string, positionId: string, effectiveFrom: string, partyId: string | null) =>
    post(t, admin, `/centres/${centreId}/staff-positions/${positionId}/changes`, { effectiveFrom, payer: partyId ? { kind: 'party', partyId } : { kind: 'centre' } });
  const paidBy = async (centreId: string, year: number) => Object.fromEntries((await get(t, admin, `/centres/${centreId}/funding-mix/${year}`)).staff.paidDirectly.map((p: any) => [p.partyId, p.staffYearsExact.fteDays]));
  const financier = async (centreId: string, date: string) => (await get(t, admin, `/centres/${centreId}/nav-link?date=${date}`)).grounds.financier;

  beforeAll(async () => {
    t = await startTestApp({ seed: true, env: NO_RATE_LIMIT });
    admin = await t.auth('admin');
    await countyParties(t, admin, K);
  });
  afterAll(() => t.close());

  it('closed from 1 July 2015 with a NAV-paid position left open: NAV financed 2015 (181 days), not 2016, when the centre is closed all year', async () => {
    await centre(t, admin, 'nf-jul', K, 'Karrieresenter nf-jul', 'Kommune', '2010-01-01');
    await start('nf-jul', 'nf-jul-p', '2015-01-01', `${K}-nav`);
    await post(t, admin, '/centres/nf-jul/close', { closedOn: '2015-07-01', reason: 'Lagt ned' }, 200);
    // 1.1–30.6.2015 = 181 days × 1000; nothing in 2016.
    expect([await paidBy('nf-jul', 2015), await paidBy('nf-jul', 2016)]).toEqual([{ [`${K}-nav`]: 181_000 }, {}]);
    const f15 = await financier('nf-jul', '2015-03-01');
    expect([f15.holds, f15.evidence.map((e: any) => [e.type, e.partyId])]).toEqual([true, [['StaffPositionStarted', `${K}-nav`]]]);
    // 2016: no money and no day of staff: nothing is funded ("unknown"), not NAV.
    expect((await financier('nf-jul', '2016-03-01')).holds).toBe('unknown');
  });

  it('a NAV start on 1 March replaced on its own day, NAV again from 1 July: only the change is cited, NAV pays 184 days of 2016', async () => {
    await centre(t, admin, 'nf-same', K, 'Karrieresenter nf-same', 'Kommune', '2010-01-01');
    await start('nf-same', 'nf-same-p', '2016-03-01', `${K}-nav`);
    await payer('nf-same', 'nf-same-p', '2016-03-01', null);
    await payer('nf-same', 'nf-same-p', '2016-07-01', `${K}-nav`);
    // 1.7–31.12.2016 = 31 + 31 + 30 + 31 + 30 + 31 = 184 days.
    expect(await paidBy('nf-same', 2016)).toEqual({ [`${K}-nav`]: 184_000 });
    const f = await financier('nf-same', '2016-09-01');
    // The start's terms were replaced on their own first day: NAV paid no day under them, so only the change is evidence.
    expect([f.holds, f.evidence.map((e: any) => e.type)]).toEqual([true, ['StaffPositionChanged']]);
  });

  it('a back-dated change recorded last ends NAV\'s period at its date: NAV 1.1–28.2.2017, the county authority until 31.12, the centre from 2018', async () => {
    await centre(t, admin, 'nf-back', K, 'Karrieresenter nf-back', 'Kommune', '2010-01-01');
    await start('nf-back', 'nf-back-p', '2017-01-01', `${K}-nav`);
    await payer('nf-back', 'nf-back-p', '2018-01-01', null);
    await payer('nf-back', 'nf-back-p', '2017-03-01', `${K}-fk`);
    // By date: NAV 1.1–28.2.2017 (59 days), the county authority 1.3–31.12.2017 (306 days), the centre's budget from 2018.
    expect([await paidBy('nf-back', 2017), await paidBy('nf-back', 2018)]).toEqual([{ [`${K}-nav`]: 59_000, [`${K}-fk`]: 306_000 }, {}]);
    const f17 = await financier('nf-back', '2017-06-01');
    expect([f17.holds, f17.evidence.map((e: any) => [e.type, e.partyId])]).toEqual([true, [['StaffPositionStarted', `${K}-nav`]]]);
    // 2018: only the centre's own budget pays and no money is recorded: nothing is funded ("unknown"); the
    // county authority's period does not run on past the change to the centre recorded before it.
    expect((await financier('nf-back', '2018-06-01')).holds).toBe('unknown');
  });
});
