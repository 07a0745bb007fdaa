import { MemoryEventStore } from '../../libs/event-store/src/memory-event-store';
import { parseCsv } from '../funding/import-fixture';
import { startTestApp, TestApp } from '../helpers/test-app';

/**
 * An independent audit of the ledger against ../shared/DOMAIN.md, rule by rule.
 *
 * Every expected value below is worked out by hand from DOMAIN.md (the arithmetic is in the
 * comments); no product function is called to compute one. Where DOMAIN.md is silent and the
 * README documents the ledger's choice, the comment says so.
 *
 * One app, one in-memory store whose clock is pinned (recorded times read like 2014 and move only
 * forward), so the as-of checks at the end can place writes on either side of midnight in Norway.
 */
type Auth = { Authorization: string };

describe('DOMAIN.md audit: the ledger does what the specification says (e2e)', () => {
  let now = Date.parse('2014-01-06T08:00:00.000Z');
  const store = new MemoryEventStore(() => new Date(now++));
  let t: TestApp;
  let admin: Auth;
  let auditor: Auth;
  let vox: Auth;
  const fos: Record<string, Auth> = {};
  const fo = (countyId: string) => fos[countyId];

  const ok = async (auth: Auth, path: string, body: object): Promise<any> => {
    const res = await t.http().post(path).set(auth).send(body);
    if (res.status !== 200 && res.status !== 201) throw new Error(`POST ${path} ${JSON.stringify(body)} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const get = async (path: string, auth: Auth = auditor): Promise<any> => {
    const res = await t.http().get(path).set(auth);
    if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body;
  };
  /** Posts, expects the refusal (status and code) and that nothing was recorded. */
  const refused = async (auth: Auth, path: string, body: object, status: number, code?: string) => {
    const head = await store.headPosition();
    const res = await t.http().post(path).set(auth).send(body);
    const got = code === undefined ? [res.status] : [res.status, res.body.code];
    expect({ path, body, got }).toEqual({ path, body, got: code === undefined ? [status] : [status, code] });
    expect(await store.headPosition()).toBe(head);
    return res;
  };

  const registered = new Set<string>();
  const party = async (partyId: string, name: string, kind: string, countyId: string) => {
    if (registered.has(partyId)) return;
    await ok(admin, '/parties', { partyId, name, kind, countyId });
    registered.add(partyId);
  };
  /** The county authority `<c>-fk`, the NAV county office `nav-<c>` and a NAV local office `nav-<c>-lokal`. */
  const coreParties = async (c: string) => {
    await party(`${c}-fk`, `${c} fylkeskommune`, 'county-authority', c);
    await party(`nav-${c}`, `NAV ${c}`, 'nav-county-office', c);
    await party(`nav-${c}-lokal`, `NAV ${c} lokal`, 'nav-local-office', c);
  };
  const centre = (countyId: string, centreId: string, openedOn = '2010-01-01') =>
    ok(fo(countyId), '/centres', { centreId, countyId, name: `Karrieresenter ${centreId}`, municipality: `Kommune ${centreId}`, openedOn });

  const money = (c: string, centreId: string, route: string, body: object) =>
    ok(fo(c), `/centres/${centreId}/funding/${route}`, { fiscalYear: 2013, decidedOn: '2013-01-10', reference: 'sak', ...body });
  const position = (c: string, centreId: string, positionId: string, body: object) =>
    ok(fo(c), `/centres/${centreId}/staff-positions`, { positionId, title: 'Karriereveileder', payer: { kind: 'centre' }, ...body });
  const caPosition = (c: string, centreId: string, positionId: string, fte: string, startedOn: string, extra: object = {}) =>
    position(c, centreId, positionId, { employerKind: 'county-authority', employerPartyId: `${c}-fk`, fte, startedOn, ...extra });
  const end = (c: string, centreId: string, positionId: string, endedOn: string) => ok(fo(c), `/centres/${centreId}/staff-positions/${positionId}/end`, { endedOn });

  const keyFigures = async (year: number, counties: string, query = '') => {
    const body = await get(`/key-figures/${year}?counties=${counties}${query}`);
    return Object.fromEntries(body.counties.map((c: any) => [c.countyId, c]));
  };
  const cell = (c: any, key: string) => [c.money[key].indicator, c.money[key].amount];

  // ---------------------------------------------------------------------------------- Vox evidence
  const GROUPS = ['primary-lower-secondary-counsellors', 'upper-secondary-counsellors', 'nav-staff'];
  interface Evidence {
    fromAge?: number;
    free?: boolean;
    allAdults?: boolean;
    /** [target group, deliveredOn] */
    activities?: [string, string][];
    surveys?: [string, string][];
    reportOn?: string | null;
    /** The year the annual report is for (default 2013). */
    reportYear?: number;
    /** One activity reaching all three groups instead of one per group. */
    combined?: boolean;
  }
  const FULL: Required<Evidence> = {
    fromAge: 19,
    free: true,
    allAdults: true,
    activities: [[GROUPS[0], '2013-03-15'], [GROUPS[1], '2013-04-15'], [GROUPS[2], '2013-05-15']],
    surveys: [['2013-01-01', '2013-12-31']],
    reportOn: '2014-02-20',
    reportYear: 2013,
    combined: false,
  };
  const evidence = async (c: string, centreId: string, over: Evidence = {}) => {
    const e = { ...FULL, ...over };
    const base = `/centres/${centreId}/grant-evidence`;
    await ok(fo(c), `${base}/service-declarations`, { declarationId: `${centreId}-decl`, effectiveFrom: '2013-01-01', freeOfCharge: e.free, openToAllAdults: e.allAdults, fromAge: e.fromAge });
    if (e.combined) await ok(fo(c), `${base}/competence-development`, { activityId: `${centreId}-cd-all`, deliveredOn: '2013-05-15', kind: 'network-meeting', targetGroups: GROUPS, participants: 30, description: 'Nettverkssamling for alle veiledere' });
    else {
      for (const [i, [group, on]] of e.activities.entries()) {
        await ok(fo(c), `${base}/competence-development`, { activityId: `${centreId}-cd-${i}`, deliveredOn: on, kind: 'course', targetGroups: [group], participants: 10, description: `Kurs for ${group}` });
      }
    }
    for (const [i, [from, to]] of e.surveys.entries()) await ok(fo(c), `${base}/user-survey-participations`, { participationId: `${centreId}-us-${i}`, period: { from, to } });
    if (e.reportOn !== null) await ok(fo(c), `${base}/annual-reports`, { reportId: `${centreId}-ar-2013`, year: e.reportYear, submittedOn: e.reportOn });
  };
  /** Partnership agreement and coordinating function, as the 2014 criteria 1 and 2 look at them. */
  const guidancePartnership = async (c: string, o: { parties?: string[]; signedOn?: string; from?: string; to?: string; terminateFrom?: string; coordinationEndsOn?: string } = {}) => {
    await ok(fo(c), `/counties/${c}/partnership-agreements`, {
      partnershipId: `${c}-partnerskap`,
      parties: o.parties ?? [`${c}-fk`, `nav-${c}`],
      signedOn: o.signedOn ?? '2013-09-01',
      period: { from: o.from ?? '2013-09-01', to: o.to ?? null },
    });
    if (o.terminateFrom) await ok(fo(c), `/counties/${c}/partnership-agreements/${c}-partnerskap/terminate`, { effectiveFrom: o.terminateFrom, reason: 'Ny avtale' });
    await ok(fo(c), `/counties/${c}/coordinating-function`, { holderPartyId: `${c}-fk`, description: 'Koordinerer veiledningsaktørene i fylket', from: '2013-01-01' });
    if (o.coordinationEndsOn) await ok(fo(c), `/counties/${c}/coordinating-function/end`, { holderPartyId: `${c}-fk`, endedOn: o.coordinationEndsOn });
  };

  const COUNTIES = ['ostfold', 'akershus', 'oslo', 'hedmark', 'oppland', 'buskerud', 'vestfold', 'telemark', 'aust-agder', 'vest-agder', 'rogaland', 'hordaland', 'sogn-og-fjordane', 'more-og-romsdal', 'sor-trondelag', 'nord-trondelag', 'nordland', 'troms', 'finnmark'];

  beforeAll(async () => {
    t = await startTestApp({ store, seed: true });
    admin = await t.auth('admin', [], 'audit-admin');
    auditor = await t.auth('auditor', [], 'audit-auditor');
    vox = await t.auth('vox', [], 'audit-vox');
    for (const c of COUNTIES) fos[c] = await t.auth('finance-officer', [c], `fo-${c}`);

    // ------------------------------------------------------------ Telemark 2013 (DOMAIN.md column)
    await coreParties('telemark');
    await centre('telemark', 'tm-kc', '2009-09-01');
    // Owner agreement (2009): "50 % mutually committed … each responsible for 50 % of the resources".
    await ok(fo('telemark'), '/centres/tm-kc/owner-agreements', { agreementId: 'tm-2009', parties: [{ partyId: 'telemark-fk', shareBp: 5000 }, { partyId: 'nav-telemark', shareBp: 5000 }], period: { from: '2009-01-01' }, signedOn: '2009-03-01' });
    // Operating grant, county authority: Ja 2 363 000 = 1 181 500.50 (a typo 2 336 000 corrected) + 1 181 499.50; a 500 000 entry reversed.
    await money('telemark', 'tm-kc', 'operating-grants', { entryId: 'tm-op-a', partyId: 'telemark-fk', amount: '2336000.00' });
    await ok(fo('telemark'), '/centres/tm-kc/funding/entries/tm-op-a/correction', { reason: 'Feil beløp', amount: '1181500.50' });
    await money('telemark', 'tm-kc', 'operating-grants', { entryId: 'tm-op-b', partyId: 'telemark-fk', amount: '1181499.50' });
    await money('telemark', 'tm-kc', 'operating-grants', { entryId: 'tm-op-c', partyId: 'telemark-fk', amount: '500000.00' });
    await ok(fo('telemark'), '/centres/tm-kc/funding/entries/tm-op-c/reversal', { reason: 'Dobbeltført' });
    await money('telemark', 'tm-kc', 'operating-grants', { entryId: 'tm-op-nav', partyId: 'nav-telemark', amount: '1325000.00' });
    await money('telemark', 'tm-kc', 'earmarked-funds', { entryId: 'tm-ear-fk', partyId: 'telemark-fk', amount: '731000.00', purpose: 'Prosjekt', period: { from: '2013-01-01', to: '2013-12-31' } });
    // "earmarked, NAV county office | Ja (no sum)"
    await money('telemark', 'tm-kc', 'earmarked-funds', { entryId: 'tm-ear-nav', partyId: 'nav-telemark', amount: null, purpose: 'Prosjekt', period: { from: '2013-01-01', to: '2013-12-31' } });
    // Staff: 4 × 1.0 all year, one at exactly 0.81 (full time: "81–100 %"), one 1.0 who left 10 March.
    for (const i of [1, 2, 3, 4]) await caPosition('telemark', 'tm-kc', `tm-p${i}`, '1', '2010-01-01');
    await caPosition('telemark', 'tm-kc', 'tm-p5', '0.81', '2010-01-01');
    await caPosition('telemark', 'tm-kc', 'tm-p6', '1', '2012-01-01');
    await end('telemark', 'tm-kc', 'tm-p6', '2013-03-10');

    // ------------------------------------------------------------------ Troms 2013 (DOMAIN.md column)
    await coreParties('troms');
    await centre('troms', 'tr-kc', '2011-01-01');
    await money('troms', 'tr-kc', 'earmarked-funds', { partyId: 'troms-fk', amount: '980773.00', purpose: 'Prosjekt', period: { from: '2013-01-01', to: '2013-12-31' } });
    // "NAV county office paid a start-up-advice position from earmarked funds that stopped in 2014"
    await money('troms', 'tr-kc', 'earmarked-funds', { partyId: 'nav-troms', amount: '550000.00', purpose: 'Etablererveiledning', period: { from: '2013-01-01', to: '2013-12-31' } });
    await caPosition('troms', 'tr-kc', 'tr-p1', '1', '2011-01-01');
    await caPosition('troms', 'tr-kc', 'tr-p2', '1', '2011-01-01');
    await caPosition('troms', 'tr-kc', 'tr-p3', '0.991', '2011-01-01');
    await caPosition('troms', 'tr-kc', 'tr-p4', '0.809', '2011-01-01'); // just under 81 %: not full time

    // ---------------------------------------------------------------- Østfold 2013 (DOMAIN.md column)
    await coreParties('ostfold');
    await party('sarpsborg', 'Sarpsborg kommune', 'municipality', 'ostfold');
    await centre('ostfold', 'of-kc', '2008-01-01');
    await money('ostfold', 'of-kc', 'operating-grants', { partyId: 'ostfold-fk', amount: '690400.00' });
    // "in-kind contributions such as free premises (Sarpsborg municipality)"
    await ok(fo('ostfold'), '/centres/of-kc/funding/in-kind-contributions', { fiscalYear: 2013, partyId: 'sarpsborg', decidedOn: '2013-01-01', inKindKind: 'premises', estimatedValue: '240000.00' });
    for (const i of [1, 2, 3]) await caPosition('ostfold', 'of-kc', `of-p${i}`, '1', '2012-01-01');
    await caPosition('ostfold', 'of-kc', 'of-p4', '0.45', '2012-01-01');
    await ok(fo('ostfold'), '/centres/of-kc/staff-positions/of-p4/changes', { effectiveFrom: '2013-07-01', fte: '0.55' });
    // "NAV county office pays two counsellors' salaries and travel"
    for (const i of [1, 2]) {
      await position('ostfold', 'of-kc', `of-n${i}`, { employerKind: 'nav-county-office', employerPartyId: 'nav-ostfold', fte: '1', startedOn: '2012-01-01', payer: { kind: 'party', partyId: 'nav-ostfold' }, annualCost: '650000.00' });
    }

    // ------------------------------------------------------------- Vest-Agder 2013 (DOMAIN.md column)
    await coreParties('vest-agder');
    for (const id of ['va-krs', 'va-lister', 'va-lindesnes']) await centre('vest-agder', id);
    // "a little over NOK 5 million for its three centres": 2 730 000.10 + 1 364 999.95 + 1 364 999.95 = 5 460 000.00
    await money('vest-agder', 'va-krs', 'operating-grants', { partyId: 'vest-agder-fk', amount: '2730000.10' });
    await money('vest-agder', 'va-lister', 'operating-grants', { partyId: 'vest-agder-fk', amount: '1364999.95' });
    await money('vest-agder', 'va-lindesnes', 'operating-grants', { partyId: 'vest-agder-fk', amount: '1364999.95' });
    // "Kristiansand has a full-time leader and two counsellor posts, the two others a 50 % leader each and one counsellor post each."
    await caPosition('vest-agder', 'va-krs', 'krs-leder', '1', '2010-01-01');
    await caPosition('vest-agder', 'va-krs', 'krs-v1', '1', '2010-01-01');
    await caPosition('vest-agder', 'va-krs', 'krs-v2', '1', '2010-01-01');
    await caPosition('vest-agder', 'va-lister', 'lister-leder', '0.5', '2010-01-01');
    await caPosition('vest-agder', 'va-lister', 'lister-v1', '1', '2010-01-01');
    await caPosition('vest-agder', 'va-lindesnes', 'lindesnes-leder', '0.5', '2010-01-01');
    await caPosition('vest-agder', 'va-lindesnes', 'lindesnes-v1', '1', '2010-01-01');
    // Three more part-time county employees (invented, to reach the published 10 persons and 7.5 staff-years).
    await caPosition('vest-agder', 'va-krs', 'krs-r', '0.8', '2010-01-01');
    await caPosition('vest-agder', 'va-lister', 'lister-r', '0.4', '2010-01-01');
    await caPosition('vest-agder', 'va-lindesnes', 'lindesnes-r', '0.3', '2010-01-01');

    // -------------------------------------------------- Sogn og Fjordane: indicators, reversals, leap year
    await coreParties('sogn-og-fjordane');
    await party('flora-kommune', 'Flora kommune', 'municipality', 'sogn-og-fjordane');
    await party('forde-kommune', 'Førde kommune', 'municipality', 'sogn-og-fjordane');
    for (const id of ['sf-a', 'sf-b', 'sf-c']) await centre('sogn-og-fjordane', id);
    const sf = 'sogn-og-fjordane';
    // tenders from NAV county office: sf-a 200 000, sf-b 300 000, sf-c 1 000 reversed
    await money(sf, 'sf-a', 'tender-awards', { partyId: 'nav-sogn-og-fjordane', amount: '200000.00', contractReference: 'NAV-1', period: { from: '2013-01-01', to: '2013-12-31' } });
    await money(sf, 'sf-b', 'tender-awards', { partyId: 'nav-sogn-og-fjordane', amount: '300000.00', contractReference: 'NAV-2', period: { from: '2013-01-01', to: '2013-12-31' } });
    await money(sf, 'sf-c', 'tender-awards', { entryId: 'sf-c-tender', partyId: 'nav-sogn-og-fjordane', amount: '1000.00', contractReference: 'NAV-3', period: { from: '2013-01-01', to: '2013-12-31' } });
    await ok(fo(sf), '/centres/sf-c/funding/entries/sf-c-tender/reversal', { reason: 'Kontrakten ble ikke inngått' });
    // operating grants from municipalities: sf-a unreported, sf-b 250 000, sf-c 50 000
    await money(sf, 'sf-a', 'operating-grants', { partyId: 'flora-kommune', amount: null });
    await money(sf, 'sf-b', 'operating-grants', { partyId: 'forde-kommune', amount: '250000.00' });
    await money(sf, 'sf-c', 'operating-grants', { partyId: 'flora-kommune', amount: '50000.00' });
    // operating grants from a NAV local office at all three centres
    for (const id of ['sf-a', 'sf-b', 'sf-c']) await money(sf, id, 'operating-grants', { partyId: 'nav-sogn-og-fjordane-lokal', amount: '10000.00' });
    // an operating grant at sf-c recorded as from the county authority, corrected to the NAV county office
    await money(sf, 'sf-c', 'operating-grants', { entryId: 'sf-c-op', partyId: 'sogn-og-fjordane-fk', amount: '70000.00' });
    await ok(fo(sf), '/centres/sf-c/funding/entries/sf-c-op/correction', { reason: 'Feil part', partyId: 'nav-sogn-og-fjordane' });
    // earmarked funds from NAV at sf-a recorded with 40 000, corrected to "amount not reported"
    await money(sf, 'sf-a', 'earmarked-funds', { entryId: 'sf-a-ear', partyId: 'nav-sogn-og-fjordane', amount: '40000.00', purpose: 'Prosjekt', period: { from: '2013-01-01', to: '2013-12-31' } });
    await ok(fo(sf), '/centres/sf-a/funding/entries/sf-a-ear/correction', { reason: 'Beløpet er ikke kjent', amount: null });
    // other income at sf-a recorded for 2013, corrected to fiscal year 2014
    await money(sf, 'sf-a', 'other-income', { entryId: 'sf-a-kurs', partyId: 'sogn-og-fjordane-fk', amount: '10000.00', incomeKind: 'course-fees' });
    await ok(fo(sf), '/centres/sf-a/funding/entries/sf-a-kurs/correction', { reason: 'Feil år', fiscalYear: 2014 });
    // staff paid directly: NAV county (sf-a, from 1 July 2012, NOK 366 000 a year), a municipality (sf-b, 0.5), the county authority (sf-c, 0.25)
    await position(sf, 'sf-a', 'sf-nav1', { employerKind: 'nav-county-office', employerPartyId: 'nav-sogn-og-fjordane', fte: '1', startedOn: '2012-07-01', payer: { kind: 'party', partyId: 'nav-sogn-og-fjordane' }, annualCost: '366000.00' });
    await position(sf, 'sf-b', 'sf-kom', { employerKind: 'municipality', employerPartyId: 'forde-kommune', fte: '0.5', startedOn: '2013-01-01', payer: { kind: 'party', partyId: 'forde-kommune' } });
    await caPosition(sf, 'sf-c', 'sf-fkpay', '0.25', '2013-01-01', { payer: { kind: 'party', partyId: 'sogn-og-fjordane-fk' } });
    // 2012 (leap year): one full-time post 1 Jan – 7 May 2012 = 31 + 29 + 31 + 30 + 7 = 128 days
    await caPosition(sf, 'sf-c', 'sf-leap', '1', '2012-01-01');
    await end(sf, 'sf-c', 'sf-leap', '2012-05-07');
    // owner agreement of sf-a: 50/50 from 2010, amended to 60/40 (county authority 60) from 1 July 2012; 2012 operating grant from the county
    await ok(fo(sf), '/centres/sf-a/owner-agreements', { agreementId: 'sf-eiere', parties: [{ partyId: 'sogn-og-fjordane-fk', shareBp: 5000 }, { partyId: 'nav-sogn-og-fjordane', shareBp: 5000 }], period: { from: '2010-01-01' }, signedOn: '2010-01-01' });
    await ok(fo(sf), '/centres/sf-a/owner-agreements/sf-eiere/amend', { effectiveFrom: '2012-07-01', parties: [{ partyId: 'sogn-og-fjordane-fk', shareBp: 6000 }, { partyId: 'nav-sogn-og-fjordane', shareBp: 4000 }], period: { from: '2010-01-01' }, note: 'Ny fordeling' });
    await money(sf, 'sf-a', 'operating-grants', { fiscalYear: 2012, decidedOn: '2012-01-10', partyId: 'sogn-og-fjordane-fk', amount: '1000000.00' });
    // co-location of sf-b: with an upper secondary school from 2012, with the NAV local office from 2014
    await ok(fo(sf), '/centres/sf-b/co-locations', { from: '2012-01-01', premises: 'Skulebygget', sharedWith: [{ kind: 'upper-secondary-school', name: 'Firda vgs' }] });
    await ok(fo(sf), '/centres/sf-b/co-locations', { from: '2014-01-01', premises: 'NAV-huset', sharedWith: [{ kind: 'nav-local-office', partyId: 'nav-sogn-og-fjordane-lokal' }] });

    // --------------------------------------------------------- Nord-Trøndelag: persons on 31 December
    await coreParties('nord-trondelag');
    await party('nt-kommune', 'Steinkjer kommune', 'municipality', 'nord-trondelag');
    for (const id of ['nt-a', 'nt-b', 'nt-c']) await centre('nord-trondelag', id);
    // nt-c is closed from 1 January 2013: open on no day of 2013
    await ok(fo('nord-trondelag'), '/centres/nt-c/close', { closedOn: '2013-01-01', reason: 'Slått sammen med nt-a' });
    await caPosition('nord-trondelag', 'nt-a', 'nt-A', '1', '2013-01-01');
    await end('nord-trondelag', 'nt-a', 'nt-A', '2013-12-31'); // last day 31.12: on 31.12
    await position('nord-trondelag', 'nt-a', 'nt-B', { employerKind: 'municipality', employerPartyId: 'nt-kommune', fte: '0.5', startedOn: '2013-12-31' });
    await caPosition('nord-trondelag', 'nt-a', 'nt-C', '0.97', '2013-01-01');
    await end('nord-trondelag', 'nt-a', 'nt-C', '2013-12-30'); // left the day before: not on 31.12

    // ---------------------------------------- Akershus: FTE changes on and after 31 December
    await coreParties('akershus');
    await centre('akershus', 'ak-kc');
    await caPosition('akershus', 'ak-kc', 'ak-p1', '0.5', '2013-01-01');
    await ok(fo('akershus'), '/centres/ak-kc/staff-positions/ak-p1/changes', { effectiveFrom: '2013-12-31', fte: '0.81' });
    await caPosition('akershus', 'ak-kc', 'ak-p2', '1', '2013-01-01');
    await ok(fo('akershus'), '/centres/ak-kc/staff-positions/ak-p2/changes', { effectiveFrom: '2014-01-01', fte: '0.5' });

    // ---------------------------------------- Møre og Romsdal: a centre closed from 1 January 2014
    await coreParties('more-og-romsdal');
    await centre('more-og-romsdal', 'mr-kc');
    await caPosition('more-og-romsdal', 'mr-kc', 'mr-p1', '1', '2013-01-01'); // left open
    await ok(fo('more-og-romsdal'), '/centres/mr-kc/close', { closedOn: '2014-01-01', reason: 'Nedlagt' });
    // mr-b: closed from 31 December 2013, its post left open: counted 1 Jan – 30 Dec only
    await centre('more-og-romsdal', 'mr-b');
    await caPosition('more-og-romsdal', 'mr-b', 'mr-b-p1', '1', '2013-01-01');
    await ok(fo('more-og-romsdal'), '/centres/mr-b/close', { closedOn: '2013-12-31', reason: 'Nedlagt' });
  });

  afterAll(async () => {
    await t?.close();
  });

  // =============================================================== the key figures table, 2013
  describe('key figures table (DOMAIN.md "The key figures table (per county, year 2013)")', () => {
    let kf: Record<string, any>;
    beforeAll(async () => {
      kf = await keyFigures(2013, 'telemark,troms,ostfold,vest-agder,sogn-og-fjordane,nord-trondelag,more-og-romsdal,akershus');
    });

    it('Telemark column: centres 1, county employees 5, full time 5, staff-years 5.0, operating grants Ja 2 363 000 / Ja 1 325 000, earmarked Ja 731 000 / "Ja (no sum)"', () => {
      const c = kf.telemark;
      // persons on 31.12: tm-p1..p5 (tm-p6 left 10 March). Full time "81–100 %": 4 × 1.0 and 0.81 → 5.
      // staff-years: 4 × 1000 × 365 + 810 × 365 + 1000 × 69 (1 Jan – 10 Mar) = 1 460 000 + 295 650 + 69 000 = 1 824 650
      //              / 365 000 = 4.99904 → 5.0
      expect([c.centres, c.personsByEmployer['county-authority'], c.personsByEmployer['nav-county-office'], c.fullTime, c.staffYears]).toEqual([1, 5, 0, 5, '5.0']);
      expect(c.staffYearsExact).toEqual({ fteDays: 1_824_650, denominator: 365_000 });
      // 1 181 500.50 (corrected) + 1 181 499.50 = 2 363 000.00; the reversed 500 000 does not count
      expect(cell(c, 'operatingGrant.countyAuthority')).toEqual(['Ja', '2363000.00']);
      expect(cell(c, 'operatingGrant.navCountyOffice')).toEqual(['Ja', '1325000.00']);
      expect(cell(c, 'earmarked.countyAuthority')).toEqual(['Ja', '731000.00']);
      // "An indicator can be `Ja` with no amount reported."
      expect(cell(c, 'earmarked.navCountyOffice')).toEqual(['Ja', null]);
      expect(c.staffPaidDirectly['staffPaidDirectly.navCountyOffice'].indicator).toBe('-');
    });

    it('Troms column: county employees 4, full time 3 (0.809 is not "81–100 %"), staff-years 3.8, operating grant -, earmarked Ja 980 773 / Ja 550 000', () => {
      const c = kf.troms;
      // 1000 + 1000 + 991 + 809 = 3 800 per mille × 365 = 1 387 000 / 365 000 = 3.8 exactly
      expect([c.centres, c.personsByEmployer['county-authority'], c.personsByEmployer['nav-county-office'], c.fullTime, c.staffYears]).toEqual([1, 4, 0, 3, '3.8']);
      expect(cell(c, 'operatingGrant.countyAuthority')).toEqual(['-', null]);
      expect(cell(c, 'operatingGrant.navCountyOffice')).toEqual(['-', null]);
      expect(cell(c, 'earmarked.countyAuthority')).toEqual(['Ja', '980773.00']);
      expect(cell(c, 'earmarked.navCountyOffice')).toEqual(['Ja', '550000.00']);
    });

    it('Østfold column: county employees 4, NAV county employees 2, full time 5, staff-years 5.5, operating grant Ja 690 400, staff-years paid directly by NAV county office Ja 2.0', () => {
      const c = kf.ostfold;
      // 3 × 365 000 + (450 × 181 + 550 × 184) + 2 × 365 000 = 1 095 000 + 182 650 + 730 000 = 2 007 650
      //   / 365 000 = 5.50041 → 5.5. Full time: 3 county + 2 NAV at 1.0 (0.55 is not) → 5.
      expect([c.centres, c.personsByEmployer['county-authority'], c.personsByEmployer['nav-county-office'], c.fullTime, c.staffYears]).toEqual([1, 4, 2, 5, '5.5']);
      expect(cell(c, 'operatingGrant.countyAuthority')).toEqual(['Ja', '690400.00']);
      expect(cell(c, 'earmarked.countyAuthority')).toEqual(['-', null]);
      // two full-time NAV Østfold counsellors paid directly: 2 × 365 000 / 365 000 = 2.0
      const paid = c.staffPaidDirectly['staffPaidDirectly.navCountyOffice'];
      expect([paid.indicator, paid.staffYears]).toEqual(['Ja', '2.0']);
    });

    it('Vest-Agder column: centres 3, county employees 10, full time 5, staff-years 7.5, operating grant county authority Ja 5 460 000 (øre split over three centres)', () => {
      const c = kf['vest-agder'];
      // leaders 1 + 0.5 + 0.5 = 2 full leader posts; counsellors 2 + 1 + 1 = 4; advisers 0.8 + 0.4 + 0.3 = 1.5 → 7.5
      // persons 3 + 1 + 3 + 3 = 10; full time (≥ 0.81): krs leader, 2 krs counsellors, 1 Lister, 1 Lindesnes = 5
      expect([c.centres, c.personsByEmployer['county-authority'], c.personsByEmployer['nav-county-office'], c.fullTime, c.staffYears]).toEqual([3, 10, 0, 5, '7.5']);
      // 2 730 000.10 + 1 364 999.95 + 1 364 999.95 = 5 460 000.00
      expect(cell(c, 'operatingGrant.countyAuthority')).toEqual(['Ja', '5460000.00']);
      expect(cell(c, 'operatingGrant.navCountyOffice')).toEqual(['-', null]);
      expect(c.staffPaidDirectly['staffPaidDirectly.navCountyOffice'].indicator).toBe('-');
    });

    it('the indicator rule: "Ja" when every centre has that kind of money, "Varierer" when some but not all do, "-" when none; a reversed entry is no money; the NOK figure is the county total', () => {
      const c = kf['sogn-og-fjordane'];
      expect(c.centres).toBe(3);
      // tenders from NAV county office: 200 000 + 300 000 at two of three centres; sf-c's 1 000 was reversed → Varierer 500 000
      expect(cell(c, 'tender.navCountyOffice')).toEqual(['Varierer', '500000.00']);
      // operating grants from municipalities at all three centres (one without amount) → Ja; 250 000 + 50 000 = 300 000 reported
      expect(cell(c, 'operatingGrant.municipalities')).toEqual(['Ja', '300000.00']);
      expect(c.money['operatingGrant.municipalities'].unreportedEntries).toBe(1);
      // NAV local office at every centre: 3 × 10 000 = 30 000
      expect(cell(c, 'operatingGrant.navLocalOffice')).toEqual(['Ja', '30000.00']);
      // other income moved by a correction to fiscal year 2014: none in 2013
      expect(cell(c, 'otherIncome')).toEqual(['-', null]);
    });

    it('corrections move money between rows: a new party moves it to that party\'s row; a new amount "not reported" leaves "Ja/Varierer" with no sum', () => {
      const c = kf['sogn-og-fjordane'];
      // sf-c's 70 000 corrected from the county authority to the NAV county office
      expect(cell(c, 'operatingGrant.countyAuthority')).toEqual(['-', null]);
      expect(cell(c, 'operatingGrant.navCountyOffice')).toEqual(['Varierer', '70000.00']);
      // sf-a's NAV earmarked funds corrected to an unreported amount: counted, no sum
      expect(cell(c, 'earmarked.navCountyOffice')).toEqual(['Varierer', null]);
      expect(c.money['earmarked.navCountyOffice']).toMatchObject({ entries: 1, unreportedEntries: 1 });
    });

    it('staff-years paid directly by county authority / NAV county / municipalities: indicator per centre and staff-years, one decimal (0.25 → 0.3, 1.75 → 1.8: halves rounded up)', () => {
      const c = kf['sogn-og-fjordane'];
      const paid = (k: string) => [c.staffPaidDirectly[k].indicator, c.staffPaidDirectly[k].staffYears];
      expect(paid('staffPaidDirectly.navCountyOffice')).toEqual(['Varierer', '1.0']); // sf-a only, 1.0 all of 2013
      expect(paid('staffPaidDirectly.municipalities')).toEqual(['Varierer', '0.5']); // sf-b only
      expect(paid('staffPaidDirectly.countyAuthority')).toEqual(['Varierer', '0.3']); // sf-c: 250 × 365 / 365 000 = 0.25 → 0.3
      expect(paid('staffPaidDirectly.navLocalOffice')).toEqual(['-', null]);
      // county staff-years: 365 000 + 182 500 + 91 250 = 638 750 / 365 000 = 1.75 exactly → 1.8
      expect(c.staffYearsExact).toEqual({ fteDays: 638_750, denominator: 365_000 });
      expect(c.staffYears).toBe('1.8');
    });

    it('persons "on 31.12": a post whose last day is 31 December counts, one starting 31 December counts, one ending 30 December does not; a centre closed from 1 January is not one of the year\'s centres', () => {
      const c = kf['nord-trondelag'];
      // centres open on some day of 2013: nt-a, nt-b (nt-c closed from 2013-01-01)
      expect(c.centres).toBe(2);
      expect(c.personsByEmployer).toEqual({ centre: 0, 'county-authority': 1, 'nav-county-office': 0, 'nav-local-office': 0, municipality: 1, other: 0 });
      expect(c.fullTime).toBe(1); // nt-A (1.0); nt-B is 0.5
      // 1000 × 365 + 500 × 1 + 970 × 364 = 365 000 + 500 + 353 080 = 718 580 / 365 000 = 1.9687 → 2.0
      expect(c.staffYearsExact).toEqual({ fteDays: 718_580, denominator: 365_000 });
      expect(c.staffYears).toBe('2.0');
      // Møre og Romsdal: mr-kc (closed from 2014-01-01) and mr-b (closed from 2013-12-31) were both open in 2013
      expect(kf['more-og-romsdal'].centres).toBe(2);
    });

    it('"closedOn" is the first day closed: a post left open at a centre closed from 31 December is not on 31.12 and counts 364 days; at one closed from 1 January it is on 31.12', () => {
      const c = kf['more-og-romsdal'];
      // mr-p1 (mr-kc, closed from 2014-01-01) is held on 31.12; mr-b-p1 (mr-b, closed from 2013-12-31) is not
      expect([c.personsByEmployer['county-authority'], c.fullTime]).toEqual([1, 1]);
      // 1000 × 365 + 1000 × 364 = 729 000 / 365 000 = 1.9973 → 2.0
      expect(c.staffYearsExact).toEqual({ fteDays: 729_000, denominator: 365_000 });
      expect(c.staffYears).toBe('2.0');
    });

    it('full time on 31.12 reads the FTE of that day: 0.5 → 0.81 from 31 December is full time; 1.0 → 0.5 from 1 January 2014 is full time on 31.12.2013', () => {
      const c = kf.akershus;
      expect([c.personsByEmployer['county-authority'], c.fullTime]).toEqual([2, 2]);
      // 500 × 364 + 810 × 1 + 1000 × 365 = 182 000 + 810 + 365 000 = 547 810 / 365 000 = 1.5008 → 1.5
      expect(c.staffYearsExact).toEqual({ fteDays: 547_810, denominator: 365_000 });
      expect(c.staffYears).toBe('1.5');
    });

    it('columns are the counties with a centre that year, in county-number order (Østfold 01, Telemark 08, Vest-Agder 10, Troms 19)', async () => {
      const body = await get('/key-figures/2013?counties=troms,telemark,vest-agder,ostfold');
      expect(body.counties.map((c: any) => c.name)).toEqual(['Østfold', 'Telemark', 'Vest-Agder', 'Troms']);
    });

    it('the CSV gives the same cells: "Ja (no sum)" for Telemark\'s NAV earmarked funds, 5 460 000 for Vest-Agder', async () => {
      const res = await t.http().get('/key-figures/2013?counties=telemark,vest-agder').set(auditor).set('Accept', 'text/csv').buffer(true).parse((r, cb) => {
        let data = '';
        r.setEncoding('utf8');
        r.on('data', (chunk: string) => (data += chunk));
        r.on('end', () => cb(null, data));
      });
      expect(res.status).toBe(200);
      const rows = parseCsv((res.body as string).replace(/^\uFEFF/, ''));
      const row = (label: string) => rows.find((r) => r[0] === label);
      expect(row('Årsverk')?.slice(1)).toEqual(['5.0', '7.5']);
      expect(row('Øremerkede midler fra NAV fylke')?.slice(1)).toEqual(['Ja', '-']);
      expect(row('Driftsmidler fra fylkeskommunen, kr')?.slice(1)).toEqual(['2363000.00', '5460000.00']);
    });
  });

  // =============================================================== staff-years arithmetic
  describe('staff-years: "FTE integrated over the year, one decimal"', () => {
    it('a leap year has 366 days: 1 Jan – 7 May 2012 full time (128 days, 29 February included) is 128/366 = 0.3497 → 0.3 (not 128/365 = 0.3507 → 0.4)', async () => {
      const list = await get('/centres/sf-c/staff-positions?year=2012');
      const p = list.find((x: any) => x.positionId === 'sf-leap');
      expect(p.year).toMatchObject({ fteDays: 128_000, staffYears: '0.3' });
      const kf = await keyFigures(2012, 'sogn-og-fjordane');
      // 2012: sf-leap 128 000 + sf-nav1 1000 × 184 (1 Jul – 31 Dec) = 312 000 over 366 000
      expect(kf['sogn-og-fjordane'].staffYearsExact).toEqual({ fteDays: 312_000, denominator: 366_000 });
      // paid directly by NAV from 1 July 2012: 184 000 / 366 000 = 0.5027 → 0.5
      const paid = kf['sogn-og-fjordane'].staffPaidDirectly['staffPaidDirectly.navCountyOffice'];
      expect([paid.indicator, paid.fteDays, paid.staffYears]).toEqual(['Varierer', 184_000, '0.5']);
    });

    it('the country total is FTE integrated over the year and rounded once ("add up to 112 (one decimal: 112.1)"), not a sum of rounded county figures', async () => {
      const mix = await get('/funding-mix/2013');
      // Counties with staff in 2013: Telemark 1 824 650, Troms 1 387 000, Østfold 2 007 650, Vest-Agder 2 737 500,
      // Sogn og Fjordane 638 750, Nord-Trøndelag 718 580, Møre og Romsdal 729 000, Akershus 547 810 → 10 590 940
      // FTE-days / 365 000 = 29.0163 → 29.0. (The county figures rounded and added: 5.0+3.8+5.5+7.5+1.8+2.0+2.0+1.5 = 29.1.)
      expect(mix.staff.staffYearsExact).toEqual({ fteDays: 10_590_940, denominator: 365_000 });
      expect(mix.staff.staffYears).toBe('29.0');
    });
  });

  // =============================================================== funding mix
  describe('funding mix: categories and shares', () => {
    it('Telemark 2013 with the published figures: total 4 419 000 (complete: false for the unreported NAV earmarked funds), by party 70.0/30.0, by kind 83.5/16.5 adding to 100.0', async () => {
      const mix = await get('/centres/tm-kc/funding-mix/2013');
      // 2 363 000 + 1 325 000 + 731 000 = 4 419 000
      expect(mix.total).toMatchObject({ amount: '4419000.00', complete: false, unreportedEntries: 1 });
      // by party: 3 094 000 / 4 419 000 = 70.0158 % → 70.0; 1 325 000 / 4 419 000 = 29.9841 % → 29.9 + the missing tenth → 30.0
      expect(Object.fromEntries(mix.byParty.map((p: any) => [p.partyId, [p.amount, p.sharePercent]]))).toEqual({ 'telemark-fk': ['3094000.00', '70.0'], 'nav-telemark': ['1325000.00', '30.0'] });
      // by kind: operating 3 688 000 / 4 419 000 = 83.4578 % → 83.4 (remainder .578), earmarked 731 000 / 4 419 000 = 16.5422 % → 16.5
      // (remainder .422); the missing tenth goes to the larger remainder → 83.5 + 16.5 = 100.0
      const byKind = Object.fromEntries(mix.byKind.filter((k: any) => k.sharePercent !== null).map((k: any) => [k.kind, [k.amount, k.sharePercent]]));
      expect(byKind).toEqual({ 'operating-grant': ['3688000.00', '83.5'], earmarked: ['731000.00', '16.5'] });
    });

    it('Østfold: in-kind contributions (Sarpsborg\'s free premises) are kept beside the money; NAV\'s directly paid staff are shown as staff-years and value', async () => {
      const mix = await get('/centres/of-kc/funding-mix/2013');
      expect(mix.total.amount).toBe('690400.00');
      expect(mix.byParty.map((p: any) => [p.partyId, p.sharePercent])).toEqual([['ostfold-fk', '100.0']]);
      expect(mix.inKind).toEqual([expect.objectContaining({ partyId: 'sarpsborg', estimatedValue: '240000.00' })]);
      // 2 × NOK 650 000 a year, paid all of 2013 → 1 300 000.00; 2.0 staff-years
      expect(mix.staff.paidDirectly).toEqual([expect.objectContaining({ partyId: 'nav-ostfold', staffYears: '2.0', value: '1300000.00' })]);
    });

    it('three equal contributions share 100.0 % exactly (33.4 + 33.3 + 33.3)', async () => {
      for (const [p, id] of [['nord-trondelag-fk', 'eq-1'], ['nav-nord-trondelag', 'eq-2'], ['nt-kommune', 'eq-3']]) {
        await money('nord-trondelag', 'nt-b', 'operating-grants', { entryId: id, fiscalYear: 2014, decidedOn: '2014-01-10', partyId: p, amount: '100.00' });
      }
      const mix = await get('/centres/nt-b/funding-mix/2014');
      const shares = mix.byParty.map((x: any) => x.sharePercent);
      // 100/300 = 33.333… % each → 33.3 each, one tenth missing → one of them 33.4
      expect([...shares].sort()).toEqual(['33.3', '33.3', '33.4']);
      expect(mix.total.amount).toBe('300.00');
    });
  });

  // =============================================================== owner cost-share compliance
  describe('owner agreements and cost-share compliance ("each party\'s cost share (the shares sum to 100 %)")', () => {
    it('Telemark 2013 against its 50/50 agreement: the county authority gave 3 094 000 (70.0 %), NAV 1 325 000 (30.0 %); ±20.0 points, ±884 500.00 NOK', async () => {
      const a = await get('/owner-agreements/tm-2009/cost-share-compliance/2013');
      expect(a.daysInForce).toBe(365);
      expect(a.ownersActualTotal).toBe('4419000.00');
      expect(a.complete).toBe(false); // NAV's earmarked funds have no amount
      // agreed 50 % of 4 419 000 = 2 209 500; 3 094 000 − 2 209 500 = 884 500; 1 325 000 − 2 209 500 = −884 500
      // points: 70.0158 − 50 = 20.0158 → 20.0; 29.9842 − 50 = −20.0158 → −20.0
      const by = Object.fromEntries(a.parties.map((p: any) => [p.partyId, [p.agreedSharePercent, p.actual, p.actualSharePercent, p.differencePercentagePoints, p.differenceNok]]));
      expect(by).toEqual({
        'telemark-fk': ['50.0', '3094000.00', '70.0', '20.0', '884500.00'],
        'nav-telemark': ['50.0', '1325000.00', '30.0', '-20.0', '-884500.00'],
      });
    });

    it('leap year 2012, amended from 1 July 50/50 → 60/40, NAV paying staff directly from 1 July: agreed share weighted by days, staff valued by days paid', async () => {
      const a = await get('/centres/sf-a/owner-agreements/sf-eiere/cost-share-compliance/2012');
      // days: 1 Jan – 30 Jun 2012 = 182 (29 Feb included), 1 Jul – 31 Dec = 184; 366 in all
      // agreed county authority: (50 × 182 + 60 × 184) / 366 = 20 140 / 366 = 55.027 % → 55.0; NAV (50 × 182 + 40 × 184) / 366 = 44.973 % → 45.0
      // actual: county 1 000 000.00; NAV staff value 366 000 × 184 / 366 = 184 000.00; total 1 184 000.00
      // actual shares: 1 000 000 / 1 184 000 = 84.4595 % → 84.4 (rem .595), 15.5405 % → 15.5 (rem .405) → 84.5 / 15.5
      // points: 84.4595 − 55.0273 = 29.432 → 29.4; −29.4
      // NOK: 1 000 000 − 1 184 000 × 20 140 / 36 600 = 1 000 000 − 651 523.4973 = 348 476.5027 → 348 476.50; NAV −348 476.50
      expect(a.daysInForce).toBe(366);
      expect(a.ownersActualTotal).toBe('1184000.00');
      const by = Object.fromEntries(a.parties.map((p: any) => [p.partyId, [p.agreedSharePercent, p.money, p.staffValue, p.actual, p.actualSharePercent, p.differencePercentagePoints, p.differenceNok]]));
      expect(by).toEqual({
        'sogn-og-fjordane-fk': ['55.0', '1000000.00', '0.00', '1000000.00', '84.5', '29.4', '348476.50'],
        'nav-sogn-og-fjordane': ['45.0', '0.00', '184000.00', '184000.00', '15.5', '-29.4', '-348476.50'],
      });
    });

    it('"Agreements are amended and terminated, never erased": the amendment keeps the first version in the history', async () => {
      const h = await get('/centres/sf-a/owner-agreements/sf-eiere');
      expect(h.versions.map((v: any) => [v.effectiveFrom, v.parties.map((p: any) => p.shareBp)])).toEqual([['2010-01-01', [5000, 5000]], ['2012-07-01', [6000, 4000]]]);
    });

    it('shares that do not sum to 100 % (5000 + 4999 bp) and an agreement that ends before it starts are refused, nothing recorded; 3333 + 3333 + 3334 and a one-day period are accepted', async () => {
      const nt = fo('nord-trondelag');
      await refused(nt, '/centres/nt-b/owner-agreements', { agreementId: 'x1', parties: [{ partyId: 'nord-trondelag-fk', shareBp: 5000 }, { partyId: 'nav-nord-trondelag', shareBp: 4999 }], period: { from: '2013-01-01' }, signedOn: '2013-01-01' }, 422);
      await refused(nt, '/centres/nt-b/owner-agreements', { agreementId: 'x2', parties: [{ partyId: 'nord-trondelag-fk', shareBp: 10000 }], period: { from: '2013-01-01', to: '2012-12-31' }, signedOn: '2013-01-01' }, 422);
      await ok(nt, '/centres/nt-b/owner-agreements', { agreementId: 'tredelt', parties: [{ partyId: 'nord-trondelag-fk', shareBp: 3333 }, { partyId: 'nav-nord-trondelag', shareBp: 3333 }, { partyId: 'nt-kommune', shareBp: 3334 }], period: { from: '2013-01-01' }, signedOn: '2013-01-01' });
      // a period from 1 May to 1 May 2013 does not end before it starts: one day in force
      await ok(nt, '/centres/nt-a/owner-agreements', { agreementId: 'en-dag', parties: [{ partyId: 'nord-trondelag-fk', shareBp: 10000 }], period: { from: '2013-05-01', to: '2013-05-01' }, signedOn: '2013-05-01' });
      const one = await get('/centres/nt-a/owner-agreements/en-dag/cost-share-compliance/2013');
      expect(one.daysInForce).toBe(1);
    });
  });

  describe('owner agreements: periods and rounding at half an øre', () => {
    it('an agreement whose period ends on 31 December 2013 is in force 366 days of 2012 (leap year), 365 of 2013 and no day of 2014', async () => {
      await ok(fo('vest-agder'), '/centres/va-krs/owner-agreements', { agreementId: 'krs-eiere', parties: [{ partyId: 'vest-agder-fk', shareBp: 10000 }], period: { from: '2012-01-01', to: '2013-12-31' }, signedOn: '2012-01-01' });
      expect((await get('/centres/va-krs/owner-agreements/krs-eiere/cost-share-compliance/2012')).daysInForce).toBe(366);
      expect((await get('/centres/va-krs/owner-agreements/krs-eiere/cost-share-compliance/2013')).daysInForce).toBe(365);
      const res = await t.http().get('/centres/va-krs/owner-agreements/krs-eiere/cost-share-compliance/2014').set(auditor);
      expect(res.status).toBe(404);
    });

    it('differences of half an øre round away from zero, symmetrically: 50/50 of 2 000 000.01 is 1 000 000.005 each → +0.01 / −0.01', async () => {
      await money('telemark', 'tm-kc', 'operating-grants', { fiscalYear: 2016, decidedOn: '2016-01-10', partyId: 'telemark-fk', amount: '1000000.01' });
      await money('telemark', 'tm-kc', 'operating-grants', { fiscalYear: 2016, decidedOn: '2016-01-10', partyId: 'nav-telemark', amount: '1000000.00' });
      const a = await get('/owner-agreements/tm-2009/cost-share-compliance/2016');
      // agreed 50 % × 2 000 000.01 = 1 000 000.005; county 1 000 000.01 − 1 000 000.005 = +0.005 → 0.01; NAV −0.005 → −0.01
      // shares: 100 000 001 × 1000 / 200 000 001 = 500.0000025 → 500; NAV 499.9999975 → 499 + the missing tenth → 50.0 / 50.0
      const by = Object.fromEntries(a.parties.map((p: any) => [p.partyId, [p.actual, p.actualSharePercent, p.differenceNok]]));
      expect(by).toEqual({ 'telemark-fk': ['1000000.01', '50.0', '0.01'], 'nav-telemark': ['1000000.00', '50.0', '-0.01'] });
    });
  });

  // =============================================================== reversals and corrections
  describe('corrections by reversal, never by deletion', () => {
    let chainHead: string;

    it('a correction of a correction replaces it; the earlier entries stay in the log; only the last counts', async () => {
      const sf = fo('sogn-og-fjordane');
      await money('sogn-og-fjordane', 'sf-b', 'earmarked-funds', { entryId: 'e1', partyId: 'sogn-og-fjordane-fk', amount: '100.00', purpose: 'Prosjekt', period: { from: '2013-01-01', to: '2013-12-31' } });
      const c1 = await ok(sf, '/centres/sf-b/funding/entries/e1/correction', { reason: 'Feil beløp', amount: '200.00' });
      const c2 = await ok(sf, `/centres/sf-b/funding/entries/${c1.entryId}/correction`, { reason: 'Feil beløp igjen', amount: '300.00' });
      chainHead = c2.entryId;
      const kf = await keyFigures(2013, 'sogn-og-fjordane');
      // only the last correction counts: 300.00 at one of three centres
      expect(cell(kf['sogn-og-fjordane'], 'earmarked.countyAuthority')).toEqual(['Varierer', '300.00']);
      const stream = await get('/audit/streams/funding-entry-e1');
      expect(stream.events.map((e: any) => e.type).filter((x: string) => x === 'EarmarkedFundsRecorded')).toHaveLength(3);
    });

    it('reversing an entry a correction already replaced is refused (409), naming the entry in force; nothing is recorded', async () => {
      const res = await refused(fo('sogn-og-fjordane'), '/centres/sf-b/funding/entries/e1/reversal', { reason: 'Igjen' }, 409, 'ENTRY.ALREADY_REVERSED');
      expect(res.body.details.correctedByEntryId).toBe(chainHead);
    });

    it('after the last correction is reversed the money is gone ("-"); a correction of that reversed entry is refused (409), nothing recorded', async () => {
      await ok(fo('sogn-og-fjordane'), `/centres/sf-b/funding/entries/${chainHead}/reversal`, { reason: 'Prosjektet ble avlyst' });
      const kf = await keyFigures(2013, 'sogn-og-fjordane');
      expect(cell(kf['sogn-og-fjordane'], 'earmarked.countyAuthority')).toEqual(['-', null]);
      await refused(fo('sogn-og-fjordane'), `/centres/sf-b/funding/entries/${chainHead}/correction`, { reason: 'Likevel', amount: '400.00' }, 409, 'ENTRY.ALREADY_REVERSED');
    });

    it('a correction that points at an entry that does not exist is 404, nothing recorded', async () => {
      await refused(fo('sogn-og-fjordane'), '/centres/sf-b/funding/entries/finnes-ikke/correction', { reason: 'x', amount: '1.00' }, 404, 'ENTRY.NOT_FOUND');
      await refused(fo('sogn-og-fjordane'), '/centres/sf-b/funding/entries/finnes-ikke/reversal', { reason: 'x' }, 404, 'ENTRY.NOT_FOUND');
    });
  });

  // =============================================================== bad input
  describe('"What bad input looks like here (each gets a clear 4xx answer, and nothing is recorded)"', () => {
    const grant = (over: object) => ({ fiscalYear: 2013, partyId: 'telemark-fk', amount: '1000.00', decidedOn: '2013-01-10', ...over });

    it('a negative or fractional-øre amount, or a number where a decimal string is expected, is refused; NOK 0.01 (one øre) is accepted', async () => {
      const f = fo('telemark');
      await refused(f, '/centres/tm-kc/funding/operating-grants', grant({ amount: '-1.00' }), 400, 'MONEY.NEGATIVE');
      await refused(f, '/centres/tm-kc/funding/operating-grants', grant({ amount: '0.001' }), 400, 'MONEY.FRACTIONAL_ORE');
      await refused(f, '/centres/tm-kc/funding/operating-grants', grant({ amount: 1000.5 }), 400, 'MONEY.NOT_A_DECIMAL_STRING');
      await refused(f, '/centres/tm-kc/funding/operating-grants', grant({ amount: 2363000 }), 400, 'MONEY.NOT_A_DECIMAL_STRING');
      await refused(f, '/centres/tm-kc/staff-positions', { positionId: 'cost-x', title: 't', employerKind: 'centre', fte: '1', startedOn: '2015-01-01', annualCost: '650000.005' }, 400);
      await ok(f, '/centres/tm-kc/funding/operating-grants', grant({ fiscalYear: 2015, decidedOn: '2015-01-10', amount: '0.01' }));
    });

    it('an FTE fraction ≤ 0 or > 1 is refused (also as a change); 0.001 and 1 are accepted', async () => {
      const f = fo('telemark');
      const p = (positionId: string, fte: unknown) => ({ positionId, title: 't', employerKind: 'centre', fte, startedOn: '2015-01-01' });
      await refused(f, '/centres/tm-kc/staff-positions', p('fte-0', '0'), 400);
      await refused(f, '/centres/tm-kc/staff-positions', p('fte-neg', '-0.5'), 400);
      await refused(f, '/centres/tm-kc/staff-positions', p('fte-big', '1.001'), 400);
      await ok(f, '/centres/tm-kc/staff-positions', p('fte-min', '0.001'));
      await ok(f, '/centres/tm-kc/staff-positions', p('fte-max', '1'));
      await refused(f, '/centres/tm-kc/staff-positions/fte-max/changes', { effectiveFrom: '2015-06-01', fte: '0' }, 400);
      await refused(f, '/centres/tm-kc/staff-positions/fte-max/changes', { effectiveFrom: '2015-06-01', fte: '1.5' }, 400);
    });

    it('an FTE sent as a binary float that is no exact decimal (0.1 + 0.2 = 0.30000000000000004) is refused, nothing recorded', async () => {
      // DOMAIN.md: "a float where a decimal string is expected" is bad input. (The ledger documents that it takes
      // an FTE as a JSON number too; one that is not an exact FTE of at most three decimals must not be rounded silently.)
      await refused(fo('telemark'), '/centres/tm-kc/staff-positions', { positionId: 'fte-float', title: 't', employerKind: 'centre', fte: 0.1 + 0.2, startedOn: '2015-01-01' }, 400);
    });

    it('only finance officers (and admins) record: an auditor ("reads everything, changes nothing") and Vox cannot record money, nothing recorded', async () => {
      await refused(auditor, '/centres/tm-kc/funding/operating-grants', grant({}), 403);
      await refused(vox, '/centres/tm-kc/funding/operating-grants', grant({}), 403);
      await refused(await t.auth('board-member', [], 'anne'), '/centres/tm-kc/funding/operating-grants', grant({}), 403);
    });

    it('closedOn is the first day closed for every kind of event: evidence, premises, an owner agreement, a rename and a board dated on it are refused, nothing recorded', async () => {
      const mr = fo('more-og-romsdal');
      await party('mr-x', 'Molde kommune', 'municipality', 'more-og-romsdal');
      await refused(mr, '/centres/mr-kc/grant-evidence/service-declarations', { effectiveFrom: '2014-01-01', freeOfCharge: true, openToAllAdults: true, fromAge: 19 }, 422, 'CENTRE.CLOSED');
      await refused(mr, '/centres/mr-kc/co-locations', { from: '2014-01-01', premises: 'Rådhuset', sharedWith: [{ kind: 'other', name: 'Biblioteket' }] }, 422, 'CENTRE.CLOSED');
      await refused(mr, '/centres/mr-kc/owner-agreements', { agreementId: 'mr-sent', parties: [{ partyId: 'more-og-romsdal-fk', shareBp: 10000 }], period: { from: '2014-01-01' }, signedOn: '2014-01-01' }, 422, 'CENTRE.CLOSED');
      await refused(mr, '/centres/mr-kc/rename', { name: 'Nytt navn', effectiveFrom: '2014-01-01' }, 422, 'CENTRE.CLOSED');
      await refused(mr, '/boards', { boardId: 'mr-styre', countyId: 'more-og-romsdal', centreIds: ['mr-kc'], name: 'Styret', establishedOn: '2014-01-01' }, 422, 'CENTRE.CLOSED');
    });

    it('dates: 29 February 2013 is no date (400); 29 February 2012 is', async () => {
      const f = fo('nord-trondelag');
      await refused(f, '/centres/nt-b/funding/other-income', { fiscalYear: 2013, partyId: 'nt-kommune', amount: '10.00', decidedOn: '2013-02-29', incomeKind: 'sales' }, 400, 'DATE.INVALID');
      await ok(f, '/centres/nt-b/funding/other-income', { fiscalYear: 2012, partyId: 'nt-kommune', amount: '10.00', decidedOn: '2012-02-29', incomeKind: 'sales' });
    });

    it('a finance officer recording money for a centre of another county is refused (403), nothing recorded', async () => {
      await refused(fo('telemark'), '/centres/of-kc/funding/operating-grants', grant({ partyId: 'ostfold-fk' }), 403, 'ACCESS.OTHER_COUNTY');
      await refused(fo('telemark'), '/centres/of-kc/staff-positions', { positionId: 'other-county', title: 't', employerKind: 'centre', fte: '1', startedOn: '2014-01-01' }, 403, 'ACCESS.OTHER_COUNTY');
    });

    it('an event for a centre never registered is 404; for a closed centre it is refused from the closing day on (closedOn is the first day closed)', async () => {
      const mr = fo('more-og-romsdal');
      await refused(mr, '/centres/mr-finnes-ikke/funding/operating-grants', grant({ partyId: 'more-og-romsdal-fk' }), 404, 'CENTRE.NOT_FOUND');
      // mr-kc is closed from 2014-01-01: money for 2014 and a post starting 2014-01-01 are refused
      await refused(mr, '/centres/mr-kc/funding/operating-grants', grant({ fiscalYear: 2014, decidedOn: '2013-12-01', partyId: 'more-og-romsdal-fk' }), 422, 'CENTRE.CLOSED');
      await refused(mr, '/centres/mr-kc/staff-positions', { positionId: 'mr-late', title: 't', employerKind: 'centre', fte: '1', startedOn: '2014-01-01' }, 422, 'CENTRE.CLOSED');
      // … while 2013 is still open: money for 2013 is recorded
      await ok(mr, '/centres/mr-kc/funding/operating-grants', grant({ partyId: 'more-og-romsdal-fk', amount: '5.00' }));
    });

    it('board: a vote from someone not on the board, a second vote from the same member, and adopting without quorum are refused, nothing recorded', async () => {
      const f = fo('ostfold');
      await ok(f, '/boards', { boardId: 'of-styre', countyId: 'ostfold', centreIds: ['of-kc'], name: 'Styret', establishedOn: '2012-01-01' });
      for (const [personId, partyId, role] of [['anne', 'ostfold-fk', 'chair'], ['nils', 'nav-ostfold', 'deputy-chair'], ['siri', 'sarpsborg', 'member'], ['stine', null, 'staff-representative']]) {
        await ok(f, '/boards/of-styre/members', { personId, name: personId, partyId, role, term: { from: '2012-01-01' } });
      }
      const member = (p: string) => t.auth('board-member', [], p);
      await ok(await member('anne'), '/boards/of-styre/proposals', { proposalId: 'b-2014', kind: 'action-plan', year: 2014, title: 'Handlingsplan 2014', content: { goals: ['Nå 1000 voksne'] }, tabledOn: '2014-01-10' });
      await refused(await member('outsider'), '/boards/of-styre/proposals/b-2014/votes', { vote: 'for', castOn: '2014-01-10' }, 403);
      await ok(await member('anne'), '/boards/of-styre/proposals/b-2014/votes', { vote: 'for', castOn: '2014-01-10' });
      await refused(await member('anne'), '/boards/of-styre/proposals/b-2014/votes', { vote: 'against', castOn: '2014-01-10' }, 409);
      await ok(await member('nils'), '/boards/of-styre/proposals/b-2014/votes', { vote: 'for', castOn: '2014-01-10' });
      // 2 of 4 seats took part: not more than half → no quorum
      await refused(await member('anne'), '/boards/of-styre/proposals/b-2014/close', { closedOn: '2014-01-10', outcome: 'adopted' }, 422, 'BOARD.NO_QUORUM');
    });
  });

  // =============================================================== NAV link
  describe('NAV link ("kobling NAV")', () => {
    it('a NAV local office as financier is a NAV link; co-location with a school is not, with the NAV office it is', async () => {
      const a = await get('/centres/sf-a/nav-link?date=2013-06-01');
      expect([a.grounds.financier.holds, a.hasNavLink]).toEqual([true, true]);
      const before = await get('/centres/sf-b/nav-link?date=2013-06-01');
      const after = await get('/centres/sf-b/nav-link?date=2014-06-01');
      expect([before.grounds.coLocated.holds, after.grounds.coLocated.holds]).toEqual([false, true]);
    });

    it('a NAV local office sitting on the board ("NAV (county or local) sits on its board") is a NAV link', async () => {
      const sf = fo('sogn-og-fjordane');
      await ok(sf, '/boards', { boardId: 'sf-c-styre', countyId: 'sogn-og-fjordane', centreIds: ['sf-c'], name: 'Styret', establishedOn: '2013-01-01' });
      await ok(sf, '/boards/sf-c-styre/members', { personId: 'kari', name: 'Kari', partyId: 'nav-sogn-og-fjordane-lokal', role: 'member', term: { from: '2013-01-01' } });
      const link = await get('/centres/sf-c/nav-link?date=2013-06-01');
      expect(link.grounds.board.holds).toBe(true);
    });
  });

  // =============================================================== Vox base grant
  describe('Vox base grant 2014 (judging date 2014-03-01, the default windows)', () => {
    const J = '2014-03-01';
    let all: any;
    const county = (id: string) => all.counties.find((c: any) => c.countyId === id);
    const crit = (id: string, n: string) => county(id).criteria.find((c: any) => c.id === n);
    let nordland: Record<string, any>;

    beforeAll(async () => {
      // Østfold: everything in place (its centre of-kc)
      await guidancePartnership('ostfold');
      await evidence('ostfold', 'of-kc');
      // Akershus: the partnership agreement is with a NAV local office, not the NAV county office
      await guidancePartnership('akershus', { parties: ['akershus-fk', 'nav-akershus-lokal'] });
      await evidence('akershus', 'ak-kc');
      // Oslo: the partnership agreement is terminated from the judging date (first day no longer in force)
      await coreParties('oslo');
      await centre('oslo', 'os-kc');
      await guidancePartnership('oslo', { terminateFrom: J });
      await evidence('oslo', 'os-kc');
      // Hedmark: terminated from the day after the judging date: still in force on J
      await coreParties('hedmark');
      await centre('hedmark', 'he-kc');
      await guidancePartnership('hedmark', { terminateFrom: '2014-03-02' });
      // … and one network meeting that reached all three groups at once
      await evidence('hedmark', 'he-kc', { combined: true });
      // Oppland: in force from 1 January 2014 but signed only on 2 March 2014
      await coreParties('oppland');
      await centre('oppland', 'op-kc');
      await guidancePartnership('oppland', { signedOn: '2014-03-02', from: '2014-01-01' });
      // … and its centre's annual report on file is the one for 2012, not 2013
      await evidence('oppland', 'op-kc', { reportYear: 2012, reportOn: '2013-02-20' });
      // Hordaland (no centre): the agreement amended from 1 February 2014 to name a NAV local office instead of the county office
      await coreParties('hordaland');
      await guidancePartnership('hordaland');
      await ok(fo('hordaland'), '/counties/hordaland/partnership-agreements/hordaland-partnerskap/amend', { effectiveFrom: '2014-02-01', parties: ['hordaland-fk', 'nav-hordaland-lokal'], period: { from: '2013-09-01', to: null } });
      // Finnmark (no centre yet): the same amendment, but only from the day after J
      await coreParties('finnmark');
      await guidancePartnership('finnmark');
      await ok(fo('finnmark'), '/counties/finnmark/partnership-agreements/finnmark-partnerskap/amend', { effectiveFrom: '2014-03-02', parties: ['finnmark-fk', 'nav-finnmark-lokal'], period: { from: '2013-09-01', to: null } });
      // Sør-Trøndelag (no centre in 2014): a partnership agreement whose period ends on the judging date
      await coreParties('sor-trondelag');
      await guidancePartnership('sor-trondelag', { to: J });
      // Buskerud: coordinating function ended the day before the judging date
      await coreParties('buskerud');
      await centre('buskerud', 'bu-kc');
      await guidancePartnership('buskerud', { coordinationEndsOn: '2014-02-28' });
      await evidence('buskerud', 'bu-kc');
      // Vestfold: coordinating function's last day is the judging date
      await coreParties('vestfold');
      await centre('vestfold', 've-kc');
      await guidancePartnership('vestfold', { coordinationEndsOn: J });
      await evidence('vestfold', 've-kc');
      // Aust-Agder: one centre has 3a + 3b but no survey or report, the other 3a + 3c but no NAV staff reached
      await coreParties('aust-agder');
      await centre('aust-agder', 'aa-1');
      await centre('aust-agder', 'aa-2');
      await guidancePartnership('aust-agder');
      await evidence('aust-agder', 'aa-1', { surveys: [], reportOn: null });
      await evidence('aust-agder', 'aa-2', { activities: FULL.activities.slice(0, 2) });
      // Rogaland: its only centre, complete, closed from 1 February 2014
      await coreParties('rogaland');
      await centre('rogaland', 'ro-kc');
      await guidancePartnership('rogaland');
      await evidence('rogaland', 'ro-kc', { reportOn: '2014-01-20' });
      await ok(fo('rogaland'), '/centres/ro-kc/close', { closedOn: '2014-02-01', reason: 'Nedlagt' });
      // Nordland: 9 centres ("a county may have several (Nordland 9)"), each with one boundary
      await coreParties('nordland');
      await guidancePartnership('nordland');
      const nl = (id: string) => centre('nordland', id);
      for (const id of ['n-ok', 'n-age25', 'n-notfree', 'n-notall', 'n-cd-early', 'n-survey-gap', 'n-report-late', 'n-withdrawn', 'n-decl-later']) await nl(id);
      // n-ok: guidance from 19, NAV staff reached on J, two adjacent survey periods, report submitted on J,
      //       a later declaration (from age 25) taking effect only the day after J
      await evidence('nordland', 'n-ok', { activities: [[GROUPS[0], '2013-03-15'], [GROUPS[1], '2013-04-15'], [GROUPS[2], J]], surveys: [['2013-01-01', '2013-06-30'], ['2013-07-01', '2013-12-31']], reportOn: J });
      await ok(fo('nordland'), '/centres/n-ok/grant-evidence/service-declarations', { declarationId: 'n-ok-decl-2', effectiveFrom: '2014-03-02', freeOfCharge: true, openToAllAdults: true, fromAge: 25 });
      await evidence('nordland', 'n-age25', { fromAge: 25 });
      await evidence('nordland', 'n-notfree', { free: false });
      await evidence('nordland', 'n-notall', { allAdults: false });
      await evidence('nordland', 'n-cd-early', { activities: [[GROUPS[0], '2013-03-15'], [GROUPS[1], '2013-04-15'], [GROUPS[2], '2012-12-31']] });
      await evidence('nordland', 'n-survey-gap', { surveys: [['2013-01-01', '2013-06-30'], ['2013-07-02', '2013-12-31']] });
      await evidence('nordland', 'n-report-late', { reportOn: '2014-03-02' });
      await evidence('nordland', 'n-withdrawn');
      // n-decl-later: a declaration from 2014-01-01 that guidance is no longer free replaces the free one of 2013
      await evidence('nordland', 'n-decl-later');
      await ok(fo('nordland'), '/centres/n-decl-later/grant-evidence/service-declarations', { declarationId: 'n-decl-later-2', effectiveFrom: '2014-01-01', freeOfCharge: false, openToAllAdults: true, fromAge: 19 });

      // 4 × NOK 1 400 000 ("About NOK 1.4 million a year has gone to each county") + 3 øre
      await ok(vox, '/grant-schemes', { year: 2014, baseGrant: '5600000.03', criteriaSetId: 'criteria-2014', judgingDate: J });
      // withdrawn after the scheme was published (so the as-of check below has a scheme to judge by)
      await ok(fo('nordland'), '/centres/n-withdrawn/grant-evidence/n-withdrawn-us-0/withdrawal', { reason: 'Feilregistrert' });
      all = await get('/grant-schemes/2014/eligibility', vox);
      nordland = Object.fromEntries((await get('/grant-schemes/2014/eligibility/nordland?detail=summary', vox)).centres.map((c: any) => [c.centreId, c]));
    });

    it('criterion 1: a partnership agreement "between, at least, the county authority and the NAV county office"; one with a NAV local office instead fails', () => {
      expect(crit('ostfold', '1').passed).toBe(true);
      expect(crit('akershus', '1').passed).toBe(false);
      expect(county('akershus').eligible).toBe(false);
    });

    it('criterion 1 on the judging date: terminated from J fails, terminated from J+1 passes; signed after J fails ("signed partnership agreement")', () => {
      expect([crit('oslo', '1').passed, county('oslo').eligible]).toEqual([false, false]);
      expect([crit('hedmark', '1').passed, county('hedmark').eligible]).toEqual([true, true]);
      expect([crit('oppland', '1').passed, county('oppland').eligible]).toEqual([false, false]);
    });

    it('criterion 1: an agreement whose period ends on J ("all ends inclusive") is in force on J; a county with no centre still fails criterion 3', () => {
      expect([crit('sor-trondelag', '1').passed, crit('sor-trondelag', '3').passed, county('sor-trondelag').eligible]).toEqual([true, false, false]);
    });

    it('criterion 1 reads the terms in force on J: amended before J to drop the NAV county office fails (Hordaland); amended only from J+1 passes (Finnmark)', () => {
      expect(crit('hordaland', '1').passed).toBe(false);
      expect(crit('finnmark', '1').passed).toBe(true);
    });

    it('"19 counties in 2014": every county is judged once', () => {
      expect(all.counties.map((c: any) => c.countyId).sort()).toEqual([...COUNTIES].sort());
    });

    it('3b: one activity that reached all three groups at once meets "all three" (Hedmark is eligible)', () => {
      expect(county('hedmark').centres[0].qualifies).toBe(true);
    });

    it('3c: "annual reporting to Vox" means the report for the year before the scheme year: a 2012 report on file does not meet the 2014 criterion', async () => {
      const op = await get('/grant-schemes/2014/eligibility/oppland?detail=summary', vox);
      expect(op.centres.map((c: any) => [c.centreId, c.qualifies, c.failedCriteria])).toEqual([['op-kc', false, ['3c-ii']]]);
    });

    it('criterion 2: a coordinating function ended the day before J fails; one whose last day is J passes', () => {
      expect([crit('buskerud', '2').passed, county('buskerud').eligible]).toEqual([false, false]);
      expect([crit('vestfold', '2').passed, county('vestfold').eligible]).toEqual([true, true]);
    });

    it('criterion 3: "at least one county career centre that" meets a, b and c: two centres each meeting only part of it do not make the county eligible', () => {
      expect(crit('aust-agder', '1').passed).toBe(true);
      expect(crit('aust-agder', '2').passed).toBe(true);
      expect([crit('aust-agder', '3').passed, county('aust-agder').eligible]).toEqual([false, false]);
    });

    it('criterion 3: a centre closed before the judging date is no county career centre on that day', () => {
      expect([crit('rogaland', '3').passed, county('rogaland').eligible]).toEqual([false, false]);
    });

    it('the boundaries of 3a–3c at one of Nordland\'s 9 centres all pass: guidance from 19, NAV staff reached on J, adjacent survey periods, report submitted on J, a declaration taking effect after J ignored', () => {
      expect(nordland['n-ok']).toMatchObject({ qualifies: true, failedCriteria: [] });
      expect(county('nordland').eligible).toBe(true);
    });

    it('3a "free career guidance to all adults over 19": from age 25, not free, or not open to all adults fails; the declaration in effect on J counts', () => {
      for (const id of ['n-age25', 'n-notfree', 'n-notall', 'n-decl-later']) expect([id, nordland[id].qualifies, nordland[id].failedCriteria]).toEqual([id, false, ['3a']]);
    });

    it('3b "competence development for … primary/lower secondary school, upper secondary education and NAV (all three)": NAV staff reached only on 2012-12-31, before the window, fails', () => {
      const c = nordland['n-cd-early'];
      expect(c.qualifies).toBe(false);
      expect(c.failedCriteria.some((x: string) => x.startsWith('3b'))).toBe(true);
      expect(c.failedCriteria.every((x: string) => x.startsWith('3b'))).toBe(true);
    });

    it('3c "quality-assures its work through the user survey and annual reporting to Vox": a one-day gap (1 July) in the survey, a withdrawn survey, a report one day after J each fail', () => {
      for (const id of ['n-survey-gap', 'n-withdrawn', 'n-report-late']) {
        expect([id, nordland[id].qualifies]).toEqual([id, false]);
        expect([id, nordland[id].failedCriteria.every((x: string) => x.startsWith('3c'))]).toEqual([id, true]);
      }
    });

    it('"show, for every county and criterion, pass or fail with the recorded events that decide it": every verdict of Østfold cites events that are in the log', async () => {
      const o = county('ostfold');
      expect(o.eligible).toBe(true);
      const log = new Map((await store.readAll()).map((e) => [e.eventId, e]));
      for (const c of o.criteria) {
        expect([c.id, c.evidence.length > 0]).toEqual([c.id, true]);
        for (const ev of c.evidence) expect([c.id, log.get(ev.eventId)?.position]).toEqual([c.id, ev.position]);
      }
      // "sees why a county passes or fails": a reason for each, in Norwegian and English
      for (const c of o.criteria) expect([c.id, typeof c.reason?.nb, typeof c.reason?.en, c.reason.nb.length > 0, c.reason.en.length > 0]).toEqual([c.id, 'string', 'string', true, true]);
      const partnership = o.criteria.find((c: any) => c.id === '1').evidence.map((e: any) => log.get(e.eventId)?.type);
      expect(partnership).toContain('PartnershipAgreementSigned');
    });

    it('a failing verdict cites the recorded events that decide it: the termination (Oslo, 1), the end of the function (Buskerud, 2), the late report and the later declaration (Nordland, 3c-ii, 3a)', async () => {
      const log = await store.readAll();
      const byId = new Map(log.map((e) => [e.eventId, e]));
      const types = (evidence: any[]) => evidence.map((e: any) => byId.get(e.eventId)?.type);
      expect(types(crit('oslo', '1').evidence)).toEqual(expect.arrayContaining(['PartnershipAgreementSigned', expect.stringMatching(/Terminated/)]));
      expect(types(crit('buskerud', '2').evidence)).toEqual(expect.arrayContaining([expect.stringMatching(/CoordinatingFunction.*End/)]));
      const full = await get('/grant-schemes/2014/eligibility/nordland', vox);
      const find = (centreId: string, id: string) => {
        const walk = (cs: any[]): any => cs.reduce((f: any, c: any) => f ?? (c.id === id ? c : c.subCriteria ? walk(c.subCriteria) : undefined), undefined);
        return walk(full.centres.find((c: any) => c.centreId === centreId).criteria);
      };
      const eventOf = (pred: (d: any) => boolean) => log.find((e) => pred(e.data as any))!.eventId;
      const lateReport = eventOf((d) => d.reportId === 'n-report-late-ar-2013');
      const laterDeclaration = eventOf((d) => d.declarationId === 'n-decl-later-2');
      expect(find('n-report-late', '3c-ii').evidence.map((e: any) => e.eventId)).toContain(lateReport);
      expect(find('n-decl-later', '3a').evidence.map((e: any) => e.eventId)).toContain(laterDeclaration);
    });

    it('allocation: "the same sum to every county authority" that is eligible; 5 600 000.03 over 4 counties, the 3 øre left to the lowest county numbers', async () => {
      expect(all.counties.filter((c: any) => c.eligible).map((c: any) => c.countyId)).toEqual(['ostfold', 'hedmark', 'vestfold', 'nordland']);
      await ok(vox, '/grant-schemes/2014/allocation', { note: 'Grunntilskudd 2014' });
      const a = await get('/grant-schemes/2014/allocation', vox);
      // 560 000 003 øre / 4 = 140 000 000 remainder 3 → 01, 04, 07 get one øre more
      expect(a.parts.map((p: any) => [p.countyId, p.amount])).toEqual([
        ['ostfold', '1400000.01'],
        ['hedmark', '1400000.01'],
        ['vestfold', '1400000.01'],
        ['nordland', '1400000.00'],
      ]);
    });

    it('a leap day is a day of the user-survey year: periods that skip 29 February 2012 do not cover 2012 (2013 scheme)', async () => {
      const f = fo('nordland');
      await ok(f, '/centres/n-ok/grant-evidence/user-survey-participations', { participationId: 'n-ok-2012-a', period: { from: '2012-01-01', to: '2012-02-29' } });
      await ok(f, '/centres/n-ok/grant-evidence/user-survey-participations', { participationId: 'n-ok-2012-b', period: { from: '2012-03-01', to: '2012-12-31' } });
      await ok(f, '/centres/n-survey-gap/grant-evidence/user-survey-participations', { participationId: 'n-gap-2012-a', period: { from: '2012-01-01', to: '2012-02-28' } });
      await ok(f, '/centres/n-survey-gap/grant-evidence/user-survey-participations', { participationId: 'n-gap-2012-b', period: { from: '2012-03-01', to: '2012-12-31' } });
      await ok(vox, '/grant-schemes', { year: 2013, baseGrant: '1000.00', criteriaSetId: 'criteria-2014', judgingDate: '2013-03-01' });
      const e = await get('/grant-schemes/2013/eligibility/nordland', vox);
      const survey = (centreId: string) => {
        const walk = (cs: any[]): any => cs.reduce((found: any, c: any) => found ?? (c.id === '3c-i' ? c : c.subCriteria ? walk(c.subCriteria) : undefined), undefined);
        return walk(e.centres.find((c: any) => c.centreId === centreId).criteria);
      };
      expect([survey('n-ok').passed, survey('n-survey-gap').passed]).toEqual([true, false]);
    });

    it('"Vox publish each year\'s scheme (its criteria windows …) as data": a user-survey window amended to start 1 March 2012 makes the centre that missed 29 February pass', async () => {
      await ok(vox, '/grant-schemes/2013/amendments', { windows: { userSurvey: { from: '2012-03-01', to: '2012-12-31' } }, reason: 'Undersøkelsen startet 1. mars' });
      const e = await get('/grant-schemes/2013/eligibility/nordland', vox);
      const walk = (cs: any[]): any => cs.reduce((found: any, c: any) => found ?? (c.id === '3c-i' ? c : c.subCriteria ? walk(c.subCriteria) : undefined), undefined);
      expect(walk(e.centres.find((c: any) => c.centreId === 'n-survey-gap').criteria).passed).toBe(true);
    });

    it('"what did the ledger say on date D": as of just before the survey was withdrawn, n-withdrawn still qualified', async () => {
      const w = (await store.readAll()).find((e) => e.type === 'GrantEvidenceWithdrawn' && (e.data as any).centreId === 'n-withdrawn')!;
      const before = new Date(Date.parse(w.recordedAt) - 1).toISOString();
      const then = await get(`/grant-schemes/2014/eligibility/nordland?detail=summary&asOf=${encodeURIComponent(before)}`, vox);
      expect(then.centres.find((c: any) => c.centreId === 'n-withdrawn')).toMatchObject({ qualifies: true, failedCriteria: [] });
    });
  });

  // =============================================================== stimulus grant
  describe('stimulus grant ("by application … establishing a centre in a county that has none (prioritised in 2014)")', () => {
    it('applications to establish a centre in a county that has none (Hordaland, Finnmark, Møre og Romsdal after its closing) are listed before the rest', async () => {
      const apply = (c: string, applicationId: string, extra: object) =>
        ok(fo(c), '/stimulus-grants', { applicationId, countyId: c, year: 2014, purpose: 'establish-centre', amountAsked: '700000.00', description: 'Etablere karrieresenter', appliedOn: '2014-02-10', ...extra });
      await apply('telemark', 'tm-utvikling', { purpose: 'development', centreId: 'tm-kc', amountAsked: '300000.00', description: 'Utviklingsarbeid', appliedOn: '2014-02-01' });
      await apply('telemark', 'tm-etablering', { description: 'Et senter nummer to' });
      await apply('hordaland', 'ho-etablering', {});
      await apply('finnmark', 'fm-etablering', {});
      await apply('more-og-romsdal', 'mr-etablering', {});
      // Finnmark then established its centre with the money ("In 2014 … Finnmark got money to establish a centre")
      await ok(fo('finnmark'), '/centres', { centreId: 'fm-kc', countyId: 'finnmark', name: 'Karrieresenter Finnmark', municipality: 'Vadsø', openedOn: '2014-09-01' });
      const ids = (await get('/stimulus-grants')).map((s: any) => s.applicationId);
      expect(ids).toEqual(expect.arrayContaining(['tm-utvikling', 'tm-etablering', 'ho-etablering', 'fm-etablering', 'mr-etablering']));
      const last = Math.min(ids.indexOf('tm-utvikling'), ids.indexOf('tm-etablering'));
      for (const id of ['ho-etablering', 'fm-etablering', 'mr-etablering']) expect([id, ids.indexOf(id) < last]).toEqual([id, true]);
    });

    it('key-figure columns follow the centres: Finnmark (centre opened 2014-09-01) has a 2014 column and no 2013 one; Møre og Romsdal (both centres closed by 1 January 2014) a 2013 column and no 2014 one', async () => {
      // the whole table (no ?counties= filter): "one column per county with a centre that year"
      const cols = async (year: number) => (await get(`/key-figures/${year}`)).counties.filter((c: any) => ['finnmark', 'more-og-romsdal'].includes(c.countyId)).map((c: any) => [c.countyId, c.centres]);
      expect(await cols(2013)).toEqual([['more-og-romsdal', 2]]);
      expect(await cols(2014)).toEqual([['finnmark', 1]]);
    });

    it('an award is at most the amount asked, and is not money of any funding mix', async () => {
      await refused(vox, '/stimulus-grants/tm-utvikling/award', { amount: '300000.01' }, 422, 'STIMULUS_GRANT.AWARD_ABOVE_ASKED');
      await ok(vox, '/stimulus-grants/tm-utvikling/award', { amount: '300000.00' });
      const mix = await get('/centres/tm-kc/funding-mix/2014');
      // only the one-øre operating grant for 2015 was recorded besides; 2014 has no money at tm-kc
      expect(mix.total.amountOre).toBe(0);
    });
  });

  // =============================================================== dates and as-of
  describe('"what did the ledger say on date D about year Y" (auditor, as of a recorded time)', () => {
    it('asOf a date is the end of that day in Norway: a write at 23:30 in Oslo (21:30 UTC) is in it, a correction at 00:30 the next day (22:30 UTC) is not', async () => {
      now = Date.parse('2014-05-09T21:30:00.000Z');
      await money('nord-trondelag', 'nt-a', 'other-income', { entryId: 'nt-kurs', partyId: 'nt-kommune', amount: '1000.00', incomeKind: 'course-fees' });
      now = Date.parse('2014-05-09T22:30:00.000Z');
      await ok(fo('nord-trondelag'), '/centres/nt-a/funding/entries/nt-kurs/correction', { reason: 'Feil beløp', amount: '2000.00' });
      const at = async (asOf: string) => cell((await keyFigures(2013, 'nord-trondelag', `&asOf=${encodeURIComponent(asOf)}`))['nord-trondelag'], 'otherIncome');
      expect(await at('2014-05-09T21:29:59.999Z')).toEqual(['-', null]);
      // other income at one of Nord-Trøndelag's two 2013 centres (nt-a, nt-b): Varierer
      expect(await at('2014-05-09')).toEqual(['Varierer', '1000.00']);
      expect(await at('2014-05-10')).toEqual(['Varierer', '2000.00']);
      expect(cell((await keyFigures(2013, 'nord-trondelag'))['nord-trondelag'], 'otherIncome')).toEqual(['Varierer', '2000.00']);
    });

    it('no recorded event was altered: the auditor\'s verify answers ok over the whole log', async () => {
      const v = await get('/audit/verify');
      expect(v.ok).toBe(true);
    });
  });
});
