import { MemoryEventStore } from '../../libs/event-store/src/memory-event-store';
import { startTestApp, TestApp } from '../helpers/test-app';

/**
 * Adversarial review from Vox's seat, through HTTP only: Vox publishes the yearly grant scheme
 * (windows, sums, years at the edge, a second scheme for a year, amendments), checks every one of the
 * 19 counties of 2014 against the base-grant criteria with the recorded facts behind every verdict,
 * asks what the ledger said at a past recorded time, and sees late evidence, evidence after the
 * window, reversals of the facts a verdict relies on, counties without centres and a centre closed
 * mid-year. Promises: README "A first call" and "Vox base grant"; DOMAIN.md "The state grant that
 * Vox manages" (criteria 1, 2, 3a–3c; about NOK 1.4 million to each county; Nordland's nine centres,
 * Vest-Agder's three; Hordaland, Møre og Romsdal, Sør-Trøndelag and Finnmark without a centre in 2014).
 * Every expected value is computed here from what the test recorded and those rules, never read
 * back from the ledger. Reviews of the same routes that this file does not repeat:
 * eligibility-review, stimulus-and-schemes-review, base-grant-2014, grant-money-edge-cases.
 */

type Auth = { Authorization: string };
type Ref = { eventId: string; position: number };

const GROUPS = ['primary-lower-secondary-counsellors', 'upper-secondary-counsellors', 'nav-staff'] as const;
const J = '2014-03-01';
/** DOMAIN.md: "About NOK 1.4 million a year has gone to each county"; 19 counties in 2014. */
const PER_COUNTY_NOK = 1_400_000;
const SUM_2014 = `${PER_COUNTY_NOK * 19}.00`;

/** The 19 counties of 2014 (DOMAIN.md) with their official numbers and names. */
const COUNTIES: [string, string, string][] = [
  ['ostfold', '01', 'Østfold'],
  ['akershus', '02', 'Akershus'],
  ['oslo', '03', 'Oslo'],
  ['hedmark', '04', 'Hedmark'],
  ['oppland', '05', 'Oppland'],
  ['buskerud', '06', 'Buskerud'],
  ['vestfold', '07', 'Vestfold'],
  ['telemark', '08', 'Telemark'],
  ['aust-agder', '09', 'Aust-Agder'],
  ['vest-agder', '10', 'Vest-Agder'],
  ['rogaland', '11', 'Rogaland'],
  ['hordaland', '12', 'Hordaland'],
  ['sogn-og-fjordane', '14', 'Sogn og Fjordane'],
  ['more-og-romsdal', '15', 'Møre og Romsdal'],
  ['sor-trondelag', '16', 'Sør-Trøndelag'],
  ['nord-trondelag', '17', 'Nord-Trøndelag'],
  ['nordland', '18', 'Nordland'],
  ['troms', '19', 'Troms'],
  ['finnmark', '20', 'Finnmark'],
];
const NAME = Object.fromEntries(COUNTIES.map(([id, , n]) => [id, n]));

/** README "Default windows" (Y = scheme year, J = judging date, all ends inclusive). */
const defaultWindows = (y: number, jd: string) => ({
  partnershipAgreement: { from: jd, to: jd },
  coordinatingFunction: { from: jd, to: jd },
  freeGuidance: { from: jd, to: jd, maxFromAge: 19 },
  competenceDevelopment: { from: `${y - 1}-01-01`, to: jd },
  userSurvey: { from: `${y - 1}-01-01`, to: `${y - 1}-12-31` },
  annualReport: { reportYear: y - 1, deadline: jd },
});

const ore = (s: string): bigint => {
  const [k, o = ''] = s.split('.');
  return BigInt(k) * 100n + BigInt((o + '00').slice(0, 2));
};
const nok = (o: bigint): string => `${o / 100n}.${String(o % 100n).padStart(2, '0')}`;
const daysBetween = (a: string, b: string): number => Math.round((Date.parse(b) - Date.parse(a)) / 86_400_000);
const msBefore = (iso: string): string => new Date(Date.parse(iso) - 1).toISOString();

/** What the test recorded for one centre, and the facts that record it. */
interface CentreSpec {
  id: string;
  name: string;
  municipality: string;
  fromAge?: number;
  free?: boolean;
  groups?: string[];
  survey?: boolean;
  /** submittedOn of the 2013 report (null: none). */
  report?: string | null;
}
interface CentreFacts {
  registered: Ref;
  declaration: Ref;
  activities: Record<string, Ref>;
  survey: Ref | null;
  report: Ref | null;
}
interface CountyFacts {
  ca: Ref;
  nav: Ref;
  partnership: Ref | null;
  coordinating: Ref | null;
  centres: Record<string, CentreFacts>;
}
/** The test's own model of every county: what it recorded, from which the verdicts are computed. */
interface CountyModel {
  partnership: boolean;
  coordinating: boolean;
  centres: CentreSpec[];
}

/** The leaves a centre fails (README/DOMAIN criteria 3a, 3b per group, 3c-i, 3c-ii), in the order the ledger judges them. */
const centreFailures = (c: CentreSpec, deadline: string): string[] => {
  const f: string[] = [];
  if ((c.fromAge ?? 19) > 19 || c.free === false) f.push('3a');
  for (const g of GROUPS) if (!(c.groups ?? GROUPS).includes(g)) f.push(`3b-${g}`);
  if (c.survey === false) f.push('3c-i');
  const r = c.report === undefined ? '2014-02-20' : c.report;
  if (r === null || r > deadline) f.push('3c-ii');
  return f;
};
const verdictOf = (m: CountyModel | undefined, deadline: string) => {
  const centres = m?.centres ?? [];
  const qualifying = centres.filter((c) => centreFailures(c, deadline).length === 0);
  const c1 = m?.partnership ?? false;
  const c2 = m?.coordinating ?? false;
  const c3 = qualifying.length > 0;
  return { c1, c2, c3, eligible: c1 && c2 && c3, qualifying: qualifying.map((c) => c.id) };
};

describe("Vox's review: schemes, every county's eligibility and the facts behind it (e2e)", () => {
  let now = Date.parse('2014-02-03T08:00:00.000Z');
  const at = (iso: string) => {
    now = Math.max(now, Date.parse(iso));
  };
  const store = new MemoryEventStore(() => new Date(now++));
  let t: TestApp;
  let vox: Auth;
  let vox2: Auth;
  let auditor: Auth;
  const model: Record<string, CountyModel> = {};
  const facts: Record<string, CountyFacts> = {};
  let deadline2014 = J;

  const head = () => store.headPosition();
  const send = (auth: Auth, path: string, body: object, headers: Record<string, string> = {}) => t.http().post(path).set(auth).set(headers).send(body);
  const ok = async (auth: Auth, path: string, body: object, headers: Record<string, string> = {}) => {
    const res = await send(auth, path, body, headers);
    if (res.status !== 200 && res.status !== 201) throw new Error(`POST ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res;
  };
  const refOf = (res: { body: { eventIds: string[]; position: number } }): Ref => {
    expect(res.body.eventIds).toHaveLength(1);
    return { eventId: res.body.eventIds[0], position: res.body.position };
  };
  const get = (path: string, auth: Auth = vox) => t.http().get(path).set(auth);
  const elig = async (county: string, year = 2014, query = '') => {
    const res = await get(`/grant-schemes/${year}/eligibility/${county}${query}`);
    if (res.status !== 200) throw new Error(`eligibility ${county} ${year}${query} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const crit = (a: any, id: string): any => a.criteria.find((c: any) => c.id === id);
  const leaf = (centre: any, id: string): any => {
    const walk = (cs: any[]): any => {
      for (const c of cs) {
        if (c.id === id) return c;
        const f = c.subCriteria ? walk(c.subCriteria) : undefined;
        if (f) return f;
      }
      return undefined;
    };
    return walk(centre.criteria);
  };
  const positions = (v: any): number[] => v.evidence.map((e: any) => e.position);
  const sorted = (refs: Ref[]): number[] => refs.map((r) => r.position).sort((a, b) => a - b);
  /** A message a lay person can act on: a sentence, naming what it is about, with no program internals. */
  const expectLay = (res: any, ...mustName: string[]) => {
    const m: string = res.body.message;
    expect(typeof m).toBe('string');
    expect([m, /undefined|\[object|NaN|TypeError|Exception|at \w+ \(/.test(m)]).toEqual([m, false]);
    for (const s of mustName) expect([m, m.includes(s)]).toEqual([m, true]);
  };

  const fo = (county: string) => t.auth('finance-officer', [county], `okonomi-${county}`);

  const recordCentre = async (auth: Auth, countyId: string, c: CentreSpec): Promise<CentreFacts> => {
    const registered = refOf(await ok(auth, '/centres', { centreId: c.id, countyId, name: c.name, municipality: c.municipality, openedOn: '2010-01-01' }));
    const base = `/centres/${c.id}/grant-evidence`;
    const declaration = refOf(await ok(auth, `${base}/service-declarations`, { effectiveFrom: '2013-01-01', freeOfCharge: c.free ?? true, openToAllAdults: true, fromAge: c.fromAge ?? 19 }));
    const activities: Record<string, Ref> = {};
    for (const [i, g] of (c.groups ?? GROUPS).entries()) {
      activities[g] = refOf(await ok(auth, `${base}/competence-development`, { deliveredOn: `2013-0${i + 3}-15`, kind: 'course', targetGroups: [g], participants: 12, description: `Kurs for ${g}` }));
    }
    const survey = c.survey === false ? null : refOf(await ok(auth, `${base}/user-survey-participations`, { participationId: `${c.id}-survey-2013`, period: { from: '2013-01-01', to: '2013-12-31' } }));
    const r = c.report === undefined ? '2014-02-20' : c.report;
    const report = r === null ? null : refOf(await ok(auth, `${base}/annual-reports`, { reportId: `${c.id}-report-2013`, year: 2013, submittedOn: r }));
    return { registered, declaration, activities, survey, report };
  };

  const recordCounty = async (countyId: string, m: CountyModel): Promise<void> => {
    const auth = await fo(countyId);
    const name = NAME[countyId];
    const ca = refOf(await ok(auth, '/parties', { partyId: `${countyId}-fk`, name: `${name} fylkeskommune`, kind: 'county-authority', countyId }));
    const nav = refOf(await ok(auth, '/parties', { partyId: `nav-${countyId}`, name: `NAV ${name}`, kind: 'nav-county-office', countyId }));
    const partnership = m.partnership
      ? refOf(await ok(auth, `/counties/${countyId}/partnership-agreements`, { partnershipId: `${countyId}-partnerskap`, parties: [`${countyId}-fk`, `nav-${countyId}`], signedOn: '2013-09-01', period: { from: '2013-09-01', to: null } }))
      : null;
    const coordinating = m.coordinating ? refOf(await ok(auth, `/counties/${countyId}/coordinating-function`, { holderPartyId: `${countyId}-fk`, description: 'Koordinerer veiledningsaktørene i fylket', from: '2013-01-01' })) : null;
    const centres: Record<string, CentreFacts> = {};
    for (const c of m.centres) centres[c.id] = await recordCentre(auth, countyId, c);
    model[countyId] = m;
    facts[countyId] = { ca, nav, partnership, coordinating, centres };
  };

  /** Nordland's nine centres (DOMAIN.md): only Bodø meets 3a–3c; each other one misses one thing. */
  const NORDLAND: CentreSpec[] = [
    { id: 'kc-bodo', name: 'Karrieresenter Bodø', municipality: 'Bodø' },
    { id: 'kc-narvik', name: 'Karrieresenter Narvik', municipality: 'Narvik', fromAge: 25 },
    { id: 'kc-mo-i-rana', name: 'Karrieresenter Mo i Rana', municipality: 'Rana', groups: [GROUPS[0], GROUPS[1]] },
    { id: 'kc-mosjoen', name: 'Karrieresenter Mosjøen', municipality: 'Vefsn', groups: [GROUPS[0], GROUPS[2]] },
    { id: 'kc-sandnessjoen', name: 'Karrieresenter Sandnessjøen', municipality: 'Alstahaug', survey: false },
    { id: 'kc-bronnoysund', name: 'Karrieresenter Brønnøysund', municipality: 'Brønnøy', report: null },
    { id: 'kc-svolvaer', name: 'Karrieresenter Svolvær', municipality: 'Vågan', report: '2014-03-02' },
    { id: 'kc-sortland', name: 'Karrieresenter Sortland', municipality: 'Sortland', free: false },
    { id: 'kc-fauske', name: 'Karrieresenter Fauske', municipality: 'Fauske', groups: [GROUPS[1], GROUPS[2]] },
  ];

  beforeAll(async () => {
    t = await startTestApp({ store, seed: true });
    vox = await t.auth('vox', [], 'vox-saksbehandler');
    vox2 = await t.auth('vox', [], 'vox-kollega');
    auditor = await t.auth('auditor', [], 'riksrevisjonen');
    await recordCounty('ostfold', { partnership: true, coordinating: true, centres: [{ id: 'kc-ostfold', name: 'Karrieresenter Østfold', municipality: 'Sarpsborg' }] });
    await recordCounty('telemark', { partnership: true, coordinating: true, centres: [{ id: 'kc-telemark', name: 'Karriere Telemark', municipality: 'Skien' }] });
    await recordCounty('vest-agder', {
      partnership: true,
      coordinating: true,
      centres: [
        { id: 'kc-kristiansand', name: 'Karrieresenteret i Kristiansand', municipality: 'Kristiansand' },
        { id: 'kc-mandal', name: 'Karrieresenteret i Mandal', municipality: 'Mandal', survey: false },
        { id: 'kc-flekkefjord', name: 'Karrieresenteret i Flekkefjord', municipality: 'Flekkefjord', survey: false },
      ],
    });
    await recordCounty('nordland', { partnership: true, coordinating: true, centres: NORDLAND });
    // Troms reached the school counsellors in 2013 but (so far) not NAV staff.
    await recordCounty('troms', { partnership: true, coordinating: true, centres: [{ id: 'kc-tromso', name: 'Karrieresenteret i Tromsø', municipality: 'Tromsø', groups: [GROUPS[0], GROUPS[1]] }] });
    // Buskerud's 2013 report reached Vox three days after the judging date.
    await recordCounty('buskerud', { partnership: true, coordinating: true, centres: [{ id: 'kc-drammen', name: 'Karrieresenter Drammen', municipality: 'Drammen', report: '2014-03-04' }] });
    await recordCounty('aust-agder', { partnership: true, coordinating: true, centres: [{ id: 'kc-arendal', name: 'Karrieresenter Arendal', municipality: 'Arendal' }] });
    // DOMAIN.md: in 2014 these four got stimulus money to establish a centre: they had none.
    for (const c of ['hordaland', 'more-og-romsdal', 'sor-trondelag', 'finnmark']) await recordCounty(c, { partnership: true, coordinating: true, centres: [] });
  });

  afterAll(async () => {
    await t.close();
  });

  // =============================================================================================
  // Publishing the scheme
  // =============================================================================================

  it('a finance officer (of every county), a board member, an auditor and an admin may not publish: 403 ACCESS.ROLE_NOT_ALLOWED naming their role and that Vox may; nothing recorded, no scheme', async () => {
    at('2014-02-10T09:00:00.000Z');
    const before = await head();
    const everyCounty = await t.auth('finance-officer', COUNTIES.map(([id]) => id), 'okonomi-alle');
    const callers: [string, Auth][] = [
      ['finance-officer', everyCounty],
      ['board-member', await t.auth('board-member', ['telemark'], 'styremedlem')],
      ['auditor', auditor],
      ['admin', await t.auth('admin', [], 'drift')],
    ];
    for (const [role, auth] of callers) {
      const res = await send(auth, '/grant-schemes', { year: 2014, baseGrant: SUM_2014, criteriaSetId: 'criteria-2014', judgingDate: J });
      expect([role, res.status, res.body.code, res.body.details?.allowed]).toEqual([role, 403, 'ACCESS.ROLE_NOT_ALLOWED', ['vox']]);
      expect(res.body.message).toMatch(/it is open to the role vox\.$/);
      expectLay(res, role);
    }
    expect(await head()).toBe(before);
    const none = await get('/grant-schemes/2014');
    expect([none.status, none.body.code]).toEqual([404, 'GRANT_SCHEME.NOT_FOUND']);
    expectLay(none, '2014');
  });

  let published: any;

  it('Vox publishes 2014 (NOK 1.4 million × 19 counties) with an Idempotency-Key: the stored windows are the README defaults; a retry gets the first answer and records nothing', async () => {
    const body = { year: 2014, baseGrant: SUM_2014, criteriaSetId: 'criteria-2014', judgingDate: J, note: 'Grunntilskudd 2014' };
    published = await ok(vox, '/grant-schemes', body, { 'Idempotency-Key': 'ordning-2014' });
    expect([published.status, published.body.streamId, published.body.eventIds.length]).toEqual([201, 'grant-scheme-2014', 1]);
    const after = await head();
    const retry = await send(vox, '/grant-schemes', body, { 'Idempotency-Key': 'ordning-2014' });
    expect([retry.status, retry.body]).toEqual([201, published.body]);
    expect(await head()).toBe(after);
    const s = (await get('/grant-schemes/2014', auditor)).body;
    expect([s.year, s.version, s.baseGrant, BigInt(s.baseGrantOre), s.judgingDate, s.criteriaSetId]).toEqual([2014, 1, '26600000.00', ore(SUM_2014), J, 'criteria-2014']);
    expect(s.windows).toEqual(defaultWindows(2014, J));
    expect(s.windowOverrides).toEqual({});
  });

  it('a second 2014 scheme (same key with other terms, a new key, another Vox officer) is refused: 409 IDEMPOTENCY_KEY_REUSED / GRANT_SCHEME.ALREADY_PUBLISHED telling Vox to amend; the first terms stand', async () => {
    const before = await head();
    const other = { year: 2014, baseGrant: '30000000.00', criteriaSetId: 'criteria-2014', judgingDate: '2014-04-01' };
    const reused = await send(vox, '/grant-schemes', other, { 'Idempotency-Key': 'ordning-2014' });
    expect([reused.status, reused.body.code]).toEqual([409, 'IDEMPOTENCY_KEY_REUSED']);
    expectLay(reused);
    for (const [who, auth, key] of [['new key', vox, 'ordning-2014-b'], ['colleague', vox2, 'ordning-2014']] as const) {
      const res = await send(auth, '/grant-schemes', other, { 'Idempotency-Key': key });
      expect([who, res.status, res.body.code]).toEqual([who, 409, 'GRANT_SCHEME.ALREADY_PUBLISHED']);
      expectLay(res, '2014', 'amend');
    }
    expect(await head()).toBe(before);
    const s = (await get('/grant-schemes/2014')).body;
    expect([s.version, s.baseGrant, s.judgingDate, s.history.length]).toEqual([1, '26600000.00', J, 1]);
  });

  it('years at the edge: 2000 judged on 1999-12-31 and 2100 judged on 2101-12-31 are published with their defaults; a day further either way is 422 naming the date or window; refusals record nothing', async () => {
    const before = await head();
    const cases: [object, string, Record<string, unknown>][] = [
      // judged before the user-survey year (1999) has ended: the default window ends after J
      [{ year: 2000, judgingDate: '1999-12-30' }, 'GRANT_SCHEME.WINDOW_AFTER_JUDGING_DATE', { window: 'userSurvey', to: '1999-12-31', judgingDate: '1999-12-30' }],
      [{ year: 2100, judgingDate: '2102-01-01' }, 'GRANT_SCHEME.JUDGING_DATE_OUT_OF_RANGE', { judgingDate: '2102-01-01' }],
      [{ year: 2100, judgingDate: '2098-12-31' }, 'GRANT_SCHEME.JUDGING_DATE_OUT_OF_RANGE', { judgingDate: '2098-12-31' }],
    ];
    for (const [terms, code, details] of cases) {
      const res = await send(vox, '/grant-schemes', { baseGrant: '1.00', criteriaSetId: 'criteria-2014', ...terms });
      expect([terms, res.status, res.body.code]).toEqual([terms, 422, code]);
      expect(res.body.details).toMatchObject(details);
      expectLay(res, (terms as any).judgingDate);
    }
    expect(await head()).toBe(before);
    for (const [year, jd] of [[2000, '1999-12-31'], [2100, '2101-12-31']] as const) {
      await ok(vox, '/grant-schemes', { year, baseGrant: '0.01', criteriaSetId: 'criteria-2014', judgingDate: jd });
      const s = (await get(`/grant-schemes/${year}`)).body;
      expect([year, s.judgingDate, s.baseGrant, s.windows]).toEqual([year, jd, '0.01', defaultWindows(year, jd)]);
    }
    expect(await head()).toBe(before + 2);
  });

  it('bad scheme terms get a 4xx whose message names the bad value in plain words: 29 February of a common year, an unknown criteria set (naming the known one), an age limit of 15, a window past the judging date; nothing recorded', async () => {
    const before = await head();
    const base = { year: 2015, baseGrant: '1000.00', criteriaSetId: 'criteria-2014', judgingDate: '2015-03-01' };
    const cases: [string, object, number, string, string[]][] = [
      ['29 Feb 2015', { judgingDate: '2015-02-29' }, 400, 'GRANT_SCHEME.JUDGING_DATE_INVALID', ['2015-02-29']],
      ['unknown set', { criteriaSetId: 'criteria-2015' }, 400, 'GRANT_SCHEME.UNKNOWN_CRITERIA_SET', ['criteria-2015', 'criteria-2014']],
      ['age 15', { windows: { freeGuidance: { maxFromAge: 15 } } }, 400, 'GRANT_SCHEME.WINDOW_INVALID_AGE', ['16', '67']],
      ['window past J', { windows: { competenceDevelopment: { to: '2015-03-02' } } }, 422, 'GRANT_SCHEME.WINDOW_AFTER_JUDGING_DATE', ['competenceDevelopment', '2015-03-02', '2015-03-01']],
      ['report year too old', { windows: { annualReport: { reportYear: 2009 } } }, 400, 'GRANT_SCHEME.WINDOW_INVALID_REPORT_YEAR', ['2010', '2015', '2009']],
    ];
    for (const [what, change, status, code, named] of cases) {
      const res = await send(vox, '/grant-schemes', { ...base, ...change });
      expect([what, res.status, res.body.code]).toEqual([what, status, code]);
      expectLay(res, ...named);
    }
    expect(await head()).toBe(before);
    expect((await get('/grant-schemes/2015')).status).toBe(404);
  });

  it('an amendment without a reason is 400 naming the field; one whose judging date leaves the user-survey year unfinished is 422 naming the window; nothing recorded', async () => {
    const before = await head();
    const noReason = await send(vox, '/grant-schemes/2014/amendments', { baseGrant: '27000000.00' });
    expect(noReason.status).toBe(400);
    expectLay(noReason, 'reason');
    const early = await send(vox, '/grant-schemes/2014/amendments', { judgingDate: '2013-12-30', reason: 'Tidligere vurdering' });
    expect([early.status, early.body.code, early.body.details]).toEqual([422, 'GRANT_SCHEME.WINDOW_AFTER_JUDGING_DATE', { window: 'userSurvey', to: '2013-12-31', judgingDate: '2013-12-30' }]);
    expectLay(early, 'userSurvey', '2013-12-30');
    const none = await send(vox, '/grant-schemes/2099/amendments', { baseGrant: '1.00', reason: 'x' });
    expect([none.status, none.body.code]).toEqual([404, 'GRANT_SCHEME.NOT_FOUND']);
    expectLay(none, '2099');
    expect(await head()).toBe(before);
    expect((await get('/grant-schemes/2014')).body.version).toBe(1);
  });

  // =============================================================================================
  // Every county's verdict and the facts behind it
  // =============================================================================================

  it('all 19 counties are judged, in county-number order, each verdict as computed from what the county recorded', async () => {
    at('2014-03-05T09:00:00.000Z');
    const all = (await get('/grant-schemes/2014/eligibility?detail=summary')).body;
    const expected = COUNTIES.map(([id, number, name]) => {
      const v = verdictOf(model[id], deadline2014);
      return [id, number, name, v.eligible, [v.c1, v.c2, v.c3]];
    });
    expect(all.counties.map((c: any) => [c.countyId, c.countyNumber, c.countyName, c.eligible, c.criteria.map((x: any) => x.passed)])).toEqual(expected);
    expect([all.countyCount, all.eligibleCount]).toEqual([19, expected.filter((e) => e[3]).length]);
    // the verdict's reason names every failed criterion of the county
    for (const c of all.counties) {
      const failed = c.criteria.filter((x: any) => !x.passed).map((x: any) => `criterion ${x.id}`);
      for (const f of failed) expect([c.countyId, c.reason.en.includes(f)]).toEqual([c.countyId, true]);
      if (!failed.length) expect(c.reason.en).toBe(`${NAME[c.countyId]} meets every base-grant criterion for 2014.`);
    }
  });

  it("Telemark: every verdict cites exactly the facts the county recorded for it, and `events` lists each cited fact once, in log order, with its type", async () => {
    const a = await elig('telemark');
    const f = facts.telemark;
    const c = f.centres['kc-telemark'];
    expect(a.eligible).toBe(true);
    expect(positions(crit(a, '1'))).toEqual(sorted([f.partnership!, f.ca, f.nav]));
    expect(positions(crit(a, '2'))).toEqual(sorted([f.coordinating!, f.ca]));
    expect(positions(crit(a, '3'))).toEqual([c.registered.position]);
    const centre = a.centres[0];
    expect(positions(leaf(centre, '3a'))).toEqual([c.declaration.position]);
    for (const g of GROUPS) expect([g, positions(leaf(centre, `3b-${g}`))]).toEqual([g, [c.activities[g].position]]);
    expect(positions(leaf(centre, '3c-i'))).toEqual([c.survey!.position]);
    expect(positions(leaf(centre, '3c-ii'))).toEqual([c.report!.position]);
    const all: [Ref, string][] = [
      [f.ca, 'PartyRegistered'],
      [f.nav, 'PartyRegistered'],
      [f.partnership!, 'PartnershipAgreementSigned'],
      [f.coordinating!, 'CoordinatingFunctionAssigned'],
      [c.registered, 'CentreRegistered'],
      [c.declaration, 'ServiceDeclared'],
      ...GROUPS.map((g) => [c.activities[g], 'CompetenceDevelopmentDelivered'] as [Ref, string]),
      [c.survey!, 'UserSurveyParticipationRecorded'],
      [c.report!, 'AnnualReportSubmitted'],
    ];
    all.sort((x, y) => x[0].position - y[0].position);
    expect(a.events.map((e: any) => [e.eventId, e.position, e.type])).toEqual(all.map(([r, type]) => [r.eventId, r.position, type]));
    const report = a.events.find((e: any) => e.position === c.report!.position);
    expect(report.dates).toEqual({ year: 2013, submittedOn: '2014-02-20' });
    expect(a.missing).toEqual([]);
  });

  it('a county with no centre (Hordaland, Møre og Romsdal, Sør-Trøndelag, Finnmark in 2014): criteria 1 and 2 pass, 3 fails with "no registered career centre", no evidence and exactly one missing item', async () => {
    for (const id of ['hordaland', 'more-og-romsdal', 'sor-trondelag', 'finnmark']) {
      const a = await elig(id);
      const c3 = crit(a, '3');
      expect([id, crit(a, '1').passed, crit(a, '2').passed, c3.passed, a.eligible]).toEqual([id, true, true, false, false]);
      expect([id, c3.reason.en, c3.evidence, a.centres, a.centresNotConsidered, a.qualifyingCentres]).toEqual([id, 'The county has no registered career centre.', [], [], [], []]);
      expect(a.missing.map((m: any) => [m.criterion, m.centreId])).toEqual([['3', null]]);
      expect(a.reason.en).toBe(`${NAME[id]} does not meet the base-grant criteria for 2014: criterion 3 (at least one career centre meeting 3a–3c).`);
    }
  });

  it('a county that recorded nothing (Oslo) fails 1, 2 and 3, each saying nothing is recorded, citing nothing, and missing one item each', async () => {
    const a = await elig('oslo');
    expect(a.criteria.map((c: any) => [c.id, c.passed, c.evidence])).toEqual([
      ['1', false, []],
      ['2', false, []],
      ['3', false, []],
    ]);
    expect(crit(a, '1').reason.en).toBe('The county has no recorded partnership agreement.');
    expect(crit(a, '2').reason.en).toBe('The county has no recorded coordinating function.');
    expect(a.missing.map((m: any) => m.criterion)).toEqual(['1', '2', '3']);
    expect(a.events).toEqual([]);
  });

  it("Nordland's nine centres: each centre fails exactly what it lacks; criterion 3 passes through Bodø alone, says 1 of 9 and cites only Bodø's registration", async () => {
    const a = await elig('nordland', 2014, '?detail=summary');
    expect(a.centres.map((c: any) => [c.centreId, c.name, c.qualifies, c.failedCriteria])).toEqual(
      NORDLAND.map((c) => [c.id, c.name, centreFailures(c, deadline2014).length === 0, centreFailures(c, deadline2014)]),
    );
    const qualifying = NORDLAND.filter((c) => centreFailures(c, deadline2014).length === 0);
    expect(qualifying.map((c) => c.id)).toEqual(['kc-bodo']);
    const c3 = crit(a, '3');
    expect([c3.passed, c3.reason.en]).toEqual([true, `${qualifying.length} of ${NORDLAND.length} centres meet 3a–3c: ${qualifying[0].name}.`]);
    expect(positions(c3)).toEqual([facts.nordland.centres['kc-bodo'].registered.position]);
    expect(a.qualifyingCentres).toEqual([{ centreId: 'kc-bodo', name: 'Karrieresenter Bodø' }]);
    expect(a.eligible).toBe(true);
    // Svolvær's report came one day after the deadline, Brønnøysund's never: the full answer says so
    const full = await elig('nordland');
    const svolvaer = full.centres.find((c: any) => c.centreId === 'kc-svolvaer');
    expect(leaf(svolvaer, '3c-ii').reason.en).toContain(`${daysBetween(J, '2014-03-02')} day(s) after the deadline ${J}`);
    expect(positions(leaf(svolvaer, '3c-ii'))).toEqual([facts.nordland.centres['kc-svolvaer'].report!.position]);
    const bronnoy = full.centres.find((c: any) => c.centreId === 'kc-bronnoysund');
    expect([leaf(bronnoy, '3c-ii').reason.en, leaf(bronnoy, '3c-ii').evidence]).toEqual(['Karrieresenter Brønnøysund has not submitted an annual report for 2013.', []]);
  });

  it('the CSV gives every county one row in county-number order with the same verdicts, and per criterion how many centres pass of those judged', async () => {
    const res = await get('/grant-schemes/2014/eligibility').set('Accept', 'text/csv');
    expect([res.status, res.headers['content-type']]).toEqual([200, expect.stringContaining('text/csv')]);
    const rows = res.text.trimEnd().split('\r\n').slice(1).map((l: string) => l.split(',').slice(0, 9));
    const pf = (b: boolean) => (b ? 'pass' : 'fail');
    const count = (id: string, prefix: string) => {
      const cs = model[id]?.centres ?? [];
      // The CSV marks the count as text ('), so a spreadsheet does not read "1/2" as a date.
      return `'${cs.filter((c) => !centreFailures(c, deadline2014).some((x) => x.startsWith(prefix))).length}/${cs.length}`;
    };
    expect(rows).toEqual(
      COUNTIES.map(([id, number, name]) => {
        const v = verdictOf(model[id], deadline2014);
        return [number.startsWith('0') ? `'${number}` : number, name, v.eligible ? 'yes' : 'no', pf(v.c1), pf(v.c2), pf(v.c3), count(id, '3a'), count(id, '3b'), count(id, '3c')];
      }),
    );
  });

  // =============================================================================================
  // Late evidence, evidence after the window, as of a past recorded time
  // =============================================================================================

  it("evidence after the window: Troms's NAV activity delivered the day after the judging date does not count, and the reason names the window", async () => {
    at('2014-03-06T09:00:00.000Z');
    const after = await ok(await fo('troms'), '/centres/kc-tromso/grant-evidence/competence-development', {
      deliveredOn: '2014-03-02',
      kind: 'triangle-conversation',
      targetGroups: ['nav-staff'],
      participants: 3,
      description: 'Trekantsamtale',
    });
    const a = await elig('troms');
    const nav = leaf(a.centres[0], '3b-nav-staff');
    const w = defaultWindows(2014, J).competenceDevelopment;
    expect([nav.passed, nav.reason.en, nav.evidence]).toEqual([false, `No competence development for NAV staff between ${w.from} and ${w.to}.`, []]);
    expect(a.events.map((e: any) => e.position)).not.toContain(after.body.position);
    expect(a.missing.map((m: any) => [m.criterion, m.centreId])).toEqual([['3b-nav-staff', 'kc-tromso']]);
    expect(a.eligible).toBe(false);
  });

  let tromsLate: any;

  it('evidence recorded late (after the judging date, dated inside the window) counts from its recording on: as of before it Troms fails, as of it Troms passes, by instant and by log position', async () => {
    at('2014-03-10T09:00:00.000Z');
    tromsLate = await ok(await fo('troms'), '/centres/kc-tromso/grant-evidence/competence-development', {
      deliveredOn: '2013-11-20',
      kind: 'network-meeting',
      targetGroups: ['nav-staff'],
      participants: 8,
      description: 'Nettverksmøte med NAV Troms',
    });
    model.troms.centres[0].groups = [...GROUPS];
    const live = await elig('troms');
    expect([live.eligible, positions(leaf(live.centres[0], '3b-nav-staff'))]).toEqual([verdictOf(model.troms, deadline2014).eligible, [tromsLate.body.position]]);
    const before = await elig('troms', 2014, `?asOf=${encodeURIComponent(msBefore(tromsLate.body.recordedAt))}`);
    expect([before.eligible, leaf(before.centres[0], '3b-nav-staff').passed, before.asOfPosition]).toEqual([false, false, tromsLate.body.position - 1]);
    const atIt = await elig('troms', 2014, `?asOf=${encodeURIComponent(tromsLate.body.recordedAt)}`);
    expect([atIt.eligible, atIt.asOfPosition]).toEqual([true, tromsLate.body.position]);
    // bare dates are whole days in Norway: the 9th (before) and the 10th (the day it was recorded)
    expect((await elig('troms', 2014, '?asOf=2014-03-09')).eligible).toBe(false);
    expect((await elig('troms', 2014, '?asOf=2014-03-10')).eligible).toBe(true);
    expect((await elig('troms', 2014, `?atPosition=${tromsLate.body.position - 1}`)).eligible).toBe(false);
    expect((await elig('troms', 2014, `?atPosition=${tromsLate.body.position}`)).eligible).toBe(true);
    const csvRow = async (q: string) => (await get(`/grant-schemes/2014/eligibility${q}`).set('Accept', 'text/csv')).text.split('\r\n').find((l: string) => l.startsWith('19,'))!.split(',')[2];
    expect([await csvRow(`?asOf=${encodeURIComponent(msBefore(tromsLate.body.recordedAt))}`), await csvRow('')]).toEqual(['no', 'yes']);
  });

  let amend1: any;
  let amend2: any;

  it("a late annual report (Buskerud, three days after the deadline) fails 3c-ii citing it; Vox amends the deadline: J+2 still fails by one day, J+3 passes (ends inclusive); as of each amendment the verdict then", async () => {
    const late = facts.buskerud.centres['kc-drammen'].report!;
    const a = await elig('buskerud');
    const r = leaf(a.centres[0], '3c-ii');
    expect([r.passed, positions(r)]).toEqual([false, [late.position]]);
    expect(r.reason.en).toBe(`Karrieresenter Drammen's annual report for 2013 was submitted on 2014-03-04, ${daysBetween(J, '2014-03-04')} day(s) after the deadline ${J}.`);
    at('2014-03-11T09:00:00.000Z');
    amend1 = await ok(vox, '/grant-schemes/2014/amendments', { windows: { annualReport: { deadline: '2014-03-03' } }, reason: 'Frist for årsrapport forlenget' }, { 'Idempotency-Key': 'frist-1' });
    const a1 = await elig('buskerud');
    expect(leaf(a1.centres[0], '3c-ii').reason.en).toContain(`${daysBetween('2014-03-03', '2014-03-04')} day(s) after the deadline 2014-03-03`);
    amend2 = await ok(vox, '/grant-schemes/2014/amendments', { windows: { annualReport: { deadline: '2014-03-04' } }, reason: 'Frist for årsrapport forlenget igjen' }, { 'Idempotency-Key': 'frist-2' });
    deadline2014 = '2014-03-04';
    const a2 = await elig('buskerud');
    expect([leaf(a2.centres[0], '3c-ii').passed, a2.eligible]).toEqual([true, verdictOf(model.buskerud, deadline2014).eligible]);
    expect(a2.scheme.windows).toEqual({ ...defaultWindows(2014, J), annualReport: { reportYear: 2013, deadline: '2014-03-04' } });
    // Nordland's Svolvær (report 2014-03-02) now passes too: Nordland has two qualifying centres
    const n = await elig('nordland', 2014, '?detail=summary');
    expect(n.qualifyingCentres.map((c: any) => c.centreId)).toEqual(NORDLAND.filter((c) => centreFailures(c, deadline2014).length === 0).map((c) => c.id));
    // what the ledger said as of each version of the scheme
    const v1 = await elig('buskerud', 2014, `?asOf=${encodeURIComponent(msBefore(amend1.body.recordedAt))}`);
    const v2 = await elig('buskerud', 2014, `?asOf=${encodeURIComponent(amend1.body.recordedAt)}`);
    const v3 = await elig('buskerud', 2014, `?asOf=${encodeURIComponent(amend2.body.recordedAt)}`);
    expect([v1, v2, v3].map((x) => [x.scheme.version, x.scheme.windows.annualReport.deadline, x.eligible])).toEqual([
      [1, J, false],
      [2, '2014-03-03', false],
      [3, '2014-03-04', true],
    ]);
  });

  it('Idempotency-Key retries of scheme writes are answered with their first result even after the scheme moved on; nothing recorded', async () => {
    const before = await head();
    const again1 = await send(vox, '/grant-schemes/2014/amendments', { windows: { annualReport: { deadline: '2014-03-03' } }, reason: 'Frist for årsrapport forlenget' }, { 'Idempotency-Key': 'frist-1' });
    expect([again1.status, again1.body]).toEqual([200, amend1.body]);
    const again0 = await send(vox, '/grant-schemes', { year: 2014, baseGrant: SUM_2014, criteriaSetId: 'criteria-2014', judgingDate: J, note: 'Grunntilskudd 2014' }, { 'Idempotency-Key': 'ordning-2014' });
    expect([again0.status, again0.body]).toEqual([201, published.body]);
    expect(await head()).toBe(before);
    expect((await get('/grant-schemes/2014')).body.windows.annualReport.deadline).toBe('2014-03-04');
  });

  // =============================================================================================
  // Reversals and corrections of the facts a verdict relies on
  // =============================================================================================

  it("Østfold's coordinating function ended back-dated before the judging date: criterion 2 fails and cites the ending; as of before the ending it passed; a new term from the judging date restores it, citing the new term", async () => {
    at('2014-03-12T09:00:00.000Z');
    const auth = await fo('ostfold');
    const ended = await ok(auth, '/counties/ostfold/coordinating-function/end', { holderPartyId: 'ostfold-fk', endedOn: '2014-02-28' });
    model.ostfold.coordinating = false;
    const a = await elig('ostfold');
    const c2 = crit(a, '2');
    expect([c2.passed, a.eligible]).toEqual([false, false]);
    expect(c2.reason.en).toBe(`Nobody holds the coordinating function on ${J}: ostfold-fk held it until 2014-02-28.`);
    expect(positions(c2)).toEqual(sorted([facts.ostfold.coordinating!, refOf(ended), facts.ostfold.ca]));
    const before = await elig('ostfold', 2014, `?asOf=${encodeURIComponent(msBefore(ended.body.recordedAt))}`);
    expect([crit(before, '2').passed, before.eligible, positions(crit(before, '2'))]).toEqual([true, true, sorted([facts.ostfold.coordinating!, facts.ostfold.ca])]);
    const renewed = await ok(auth, '/counties/ostfold/coordinating-function', { holderPartyId: 'nav-ostfold', description: 'NAV Østfold koordinerer fra 1. mars', from: J });
    model.ostfold.coordinating = true;
    const b = await elig('ostfold');
    expect([crit(b, '2').passed, b.eligible, positions(crit(b, '2'))]).toEqual([true, true, sorted([refOf(renewed), facts.ostfold.nav])]);
    expect(crit(b, '2').reason.en).toBe(`Coordinating function in force on ${J}, held by NAV Østfold.`);
  });

  it("Vest-Agder: withdrawing Kristiansand's user-survey participation leaves no qualifying centre (as of before the withdrawal it had one); Mandal recording its survey makes the county eligible through Mandal", async () => {
    at('2014-03-13T09:00:00.000Z');
    const auth = await fo('vest-agder');
    const withdrawn = await ok(auth, '/centres/kc-kristiansand/grant-evidence/kc-kristiansand-survey-2013/withdrawal', { reason: 'Registrert for feil senter' });
    model['vest-agder'].centres[0].survey = false;
    const a = await elig('vest-agder');
    const krs = a.centres.find((c: any) => c.centreId === 'kc-kristiansand');
    expect([leaf(krs, '3c-i').passed, leaf(krs, '3c-i').evidence, a.qualifyingCentres, a.eligible]).toEqual([false, [], [], false]);
    expect(a.events.map((e: any) => e.position)).not.toContain(facts['vest-agder'].centres['kc-kristiansand'].survey!.position);
    const listing = (await get('/centres/kc-kristiansand/grant-evidence')).body;
    expect(listing.withdrawn.map((w: any) => [w.evidenceId, w.evidenceType, w.event.eventId])).toEqual([['kc-kristiansand-survey-2013', 'UserSurveyParticipationRecorded', withdrawn.body.eventIds[0]]]);
    const before = await elig('vest-agder', 2014, `?asOf=${encodeURIComponent(msBefore(withdrawn.body.recordedAt))}`);
    expect([before.eligible, before.qualifyingCentres.map((c: any) => c.centreId)]).toEqual([true, ['kc-kristiansand']]);
    const survey = await ok(auth, '/centres/kc-mandal/grant-evidence/user-survey-participations', { period: { from: '2013-01-01', to: '2013-12-31' } });
    model['vest-agder'].centres[1].survey = true;
    const b = await elig('vest-agder');
    const v = verdictOf(model['vest-agder'], deadline2014);
    expect([b.eligible, b.qualifyingCentres.map((c: any) => c.centreId)]).toEqual([v.eligible, v.qualifying]);
    expect(positions(crit(b, '3'))).toEqual([facts['vest-agder'].centres['kc-mandal'].registered.position]);
    expect(positions(leaf(b.centres.find((c: any) => c.centreId === 'kc-mandal'), '3c-i'))).toEqual([survey.body.position]);
  });

  it('a centre opened during the survey year (Førde, 2013-08-01) is judged on the survey from its opening day: a period from before it opened is refused (422 BEFORE_OPENING), a gap after it still fails and is named, full cover from the opening passes', async () => {
    at('2014-03-14T09:00:00.000Z');
    const county = 'sogn-og-fjordane';
    await recordCounty(county, { partnership: true, coordinating: true, centres: [] });
    const auth = await fo(county);
    const opened = '2013-08-01';
    await ok(auth, '/centres', { centreId: 'kc-forde', countyId: county, name: 'Karrieresenter Førde', municipality: 'Førde', openedOn: opened });
    const base = '/centres/kc-forde/grant-evidence';
    await ok(auth, `${base}/service-declarations`, { effectiveFrom: opened, freeOfCharge: true, openToAllAdults: true, fromAge: 19 });
    for (const [i, g] of GROUPS.entries()) await ok(auth, `${base}/competence-development`, { deliveredOn: `2013-1${i}-15`, kind: 'course', targetGroups: [g], participants: 6, description: `Kurs for ${g}` });
    await ok(auth, `${base}/annual-reports`, { year: 2013, submittedOn: '2014-02-20' });
    const before = await head();
    const early = await send(auth, `${base}/user-survey-participations`, { period: { from: '2013-01-01', to: '2013-12-31' } });
    expect([early.status, early.body.code]).toEqual([422, 'GRANT_EVIDENCE.BEFORE_OPENING']);
    expectLay(early, opened);
    expect(await head()).toBe(before);
    const autumn = refOf(await ok(auth, `${base}/user-survey-participations`, { period: { from: '2013-09-01', to: '2013-12-31' } }));
    const gap = await elig(county);
    const s1 = leaf(gap.centres[0], '3c-i');
    expect([s1.passed, s1.reason.en]).toEqual([false, `Karrieresenter Førde did not take part in the user survey from ${opened} to 2013-08-31.`]);
    const august = refOf(await ok(auth, `${base}/user-survey-participations`, { period: { from: opened, to: '2013-08-31' } }));
    model[county].centres = [{ id: 'kc-forde', name: 'Karrieresenter Førde', municipality: 'Førde' }];
    const a = await elig(county);
    const s2 = leaf(a.centres[0], '3c-i');
    expect([s2.passed, positions(s2)]).toEqual([true, sorted([august, autumn])]);
    expect([a.eligible, a.missing]).toEqual([verdictOf(model[county], deadline2014).eligible, []]);
  });

  it('Vox reads evidence but may not record or withdraw it, and a finance officer of another county may not withdraw it: 403, nothing recorded, the verdict unchanged', async () => {
    const before = await head();
    const answer = await elig('telemark');
    const attempts: [string, Auth, string, object][] = [
      ['vox withdraws', vox, '/centres/kc-telemark/grant-evidence/kc-telemark-report-2013/withdrawal', { reason: 'Vox fant feil' }],
      ['vox records', vox, '/centres/kc-telemark/grant-evidence/annual-reports', { year: 2012, submittedOn: '2013-02-01' }],
      ['other county withdraws', await fo('ostfold'), '/centres/kc-telemark/grant-evidence/kc-telemark-report-2013/withdrawal', { reason: 'Feil' }],
    ];
    for (const [what, auth, path, body] of attempts) {
      const res = await send(auth, path, body);
      expect([what, res.status]).toEqual([what, 403]);
      expectLay(res);
    }
    expect(await head()).toBe(before);
    expect(await elig('telemark')).toEqual(answer);
  });

  // =============================================================================================
  // A centre closed mid-year
  // =============================================================================================

  let closed: any;

  it('a centre closed mid-2014 (Aust-Agder, closed from 2014-07-01) was open on the 2014 judging date and qualifies; its final 2014 report is refused before the closing date and recorded on it', async () => {
    at('2014-06-19T09:00:00.000Z');
    await ok(vox, '/grant-schemes', { year: 2015, baseGrant: SUM_2014, criteriaSetId: 'criteria-2014', judgingDate: '2015-03-01' });
    at('2014-06-20T09:00:00.000Z');
    const auth = await fo('aust-agder');
    closed = await ok(auth, '/centres/kc-arendal/close', { closedOn: '2014-07-01', reason: 'Slått sammen med fylkets veiledningstjeneste' });
    const a = await elig('aust-agder');
    expect([a.eligible, a.qualifyingCentres.map((c: any) => c.centreId), a.centresNotConsidered]).toEqual([verdictOf(model['aust-agder'], deadline2014).eligible, ['kc-arendal'], []]);
    at('2014-07-02T09:00:00.000Z');
    const before = await head();
    const early = await send(auth, '/centres/kc-arendal/grant-evidence/annual-reports', { year: 2014, submittedOn: '2014-06-30' });
    expect([early.status, early.body.code, early.body.details?.earliestSubmittedOn]).toEqual([422, 'ANNUAL_REPORT.SUBMITTED_BEFORE_YEAR_END', '2014-07-01']);
    expectLay(early, '2014-06-30');
    expect(await head()).toBe(before);
    await ok(auth, '/centres/kc-arendal/grant-evidence/annual-reports', { reportId: 'kc-arendal-report-2014', year: 2014, submittedOn: '2014-07-01' });
  });

  it('the 2015 scheme does not consider the closed centre: criterion 3 says no centre was open on the judging date and cites its registration and closure; as of before the closure was recorded the centre was judged', async () => {
    const a = await elig('aust-agder', 2015);
    const reg = facts['aust-agder'].centres['kc-arendal'].registered;
    expect(a.centres).toEqual([]);
    expect(a.centresNotConsidered.map((c: any) => [c.centreId, c.openedOn, c.closedOn])).toEqual([['kc-arendal', '2010-01-01', '2014-07-01']]);
    expect(a.centresNotConsidered[0].reason.en).toBe('Karrieresenter Arendal is closed from 2014-07-01, so it was not open on 2015-03-01.');
    expect([crit(a, '3').passed, crit(a, '3').reason.en]).toEqual([false, 'The county had no open career centre on 2015-03-01.']);
    expect(positions(crit(a, '3'))).toEqual(sorted([reg, refOf(closed)]));
    const before = await elig('aust-agder', 2015, `?asOf=${encodeURIComponent(msBefore(closed.body.recordedAt))}`);
    expect([before.centres.map((c: any) => c.centreId), before.centresNotConsidered]).toEqual([['kc-arendal'], []]);
  });

  // =============================================================================================
  // What Vox is told when it asks wrongly
  // =============================================================================================

  it('reads asked wrongly get a 4xx a lay person can act on: a year without a scheme, a county written with a capital letter (told the registered id), an unknown county, a time before the scheme existed, a malformed time', async () => {
    const noScheme = await get('/grant-schemes/2016/eligibility/telemark');
    expect([noScheme.status, noScheme.body.code]).toEqual([404, 'GRANT_SCHEME.NOT_FOUND']);
    expectLay(noScheme, '2016');
    for (const path of ['/grant-schemes/2014/eligibility/Telemark', '/counties/Telemark/eligibility/2014']) {
      const res = await get(path);
      expect([path, res.status, res.body.code]).toEqual([path, 404, 'COUNTY.NOT_FOUND']);
      expectLay(res, 'Telemark', 'did you mean telemark?');
    }
    const unknown = await get('/grant-schemes/2014/eligibility/telemark-fylke');
    expect([unknown.status, unknown.body.code]).toEqual([404, 'COUNTY.NOT_FOUND']);
    expectLay(unknown, 'telemark-fylke', 'GET /counties');
    const beforeScheme = await get(`/grant-schemes/2014/eligibility/telemark?asOf=${encodeURIComponent(msBefore(published.body.recordedAt))}`);
    expect([beforeScheme.status, beforeScheme.body.code]).toEqual([404, 'GRANT_SCHEME.NOT_FOUND']);
    const badTime = await get('/grant-schemes/2014/eligibility/telemark?asOf=yesterday');
    expect([badTime.status, badTime.body.code]).toEqual([400, 'REQUEST.BAD_AS_OF']);
    expectLay(badTime, 'asOf', 'such as');
  });

  // =============================================================================================
  // The money
  // =============================================================================================

  let allocated: any;

  it('the 2014 allocation: a finance officer may not allocate (403, nothing recorded); Vox allocates NOK 26.6 million equally among the counties computed eligible, to the øre; a retry gets the first answer', async () => {
    at('2014-07-10T09:00:00.000Z');
    const before = await head();
    const refused = await send(await fo('telemark'), '/grant-schemes/2014/allocation', { note: 'Grunntilskudd 2014' });
    expect([refused.status, refused.body.code]).toEqual([403, 'ACCESS.ROLE_NOT_ALLOWED']);
    expect(await head()).toBe(before);
    const first = await ok(vox, '/grant-schemes/2014/allocation', { note: 'Grunntilskudd 2014' }, { 'Idempotency-Key': 'tildeling-2014' });
    expect(await head()).toBe(before + 1);
    const retry = await send(vox, '/grant-schemes/2014/allocation', { note: 'Grunntilskudd 2014' }, { 'Idempotency-Key': 'tildeling-2014' });
    expect([retry.status, retry.body]).toEqual([first.status, first.body]);
    expect(await head()).toBe(before + 1);
    allocated = (await get('/grant-schemes/2014/allocation', auditor)).body;
    const eligible = COUNTIES.filter(([id]) => verdictOf(model[id], deadline2014).eligible);
    const total = ore(SUM_2014);
    const n = BigInt(eligible.length);
    const r = Number(total % n);
    expect(allocated.parts.map((p: any) => [p.countyId, p.countyNumber, p.amount])).toEqual(eligible.map(([id, number], i) => [id, number, nok(total / n + (i < r ? 1n : 0n))]));
    expect(allocated.parts.reduce((s: bigint, p: any) => s + ore(p.amount), 0n)).toBe(total);
    expect([allocated.total, allocated.schemeVersion, allocated.basedOnPosition]).toEqual([SUM_2014, 3, first.body.position - 1]);
    expect(allocated.verdicts.map((v: any) => [v.countyId, v.eligible, v.failedCriteria, v.qualifyingCentreIds])).toEqual(
      COUNTIES.map(([id]) => {
        const v = verdictOf(model[id], deadline2014);
        return [id, v.eligible, (['1', '2', '3'] as const).filter((_, i) => ![v.c1, v.c2, v.c3][i]), v.qualifying];
      }),
    );
  });

  it('after the allocation the scheme cannot be amended (422, telling Vox to record a correction), yet an amendment retried under its own key still gets its first answer', async () => {
    const before = await head();
    const amend = await send(vox, '/grant-schemes/2014/amendments', { baseGrant: '27000000.00', reason: 'Økt ramme' });
    expect([amend.status, amend.body.code]).toEqual([422, 'GRANT_SCHEME.ALREADY_ALLOCATED']);
    expectLay(amend, '2014', 'correction');
    const retry = await send(vox, '/grant-schemes/2014/amendments', { windows: { annualReport: { deadline: '2014-03-04' } }, reason: 'Frist for årsrapport forlenget igjen' }, { 'Idempotency-Key': 'frist-2' });
    expect([retry.status, retry.body]).toEqual([200, amend2.body]);
    expect(await head()).toBe(before);
    expect((await get(allocated.reproduceWith)).body.counties.map((c: any) => [c.countyId, c.eligible])).toEqual(allocated.verdicts.map((v: any) => [v.countyId, v.eligible]));
  });
});
