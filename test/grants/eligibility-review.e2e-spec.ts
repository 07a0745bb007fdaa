import { MemoryEventStore } from '../../libs/event-store/src/memory-event-store';
import { appendAsOldLedger } from '../helpers/append-as-old-ledger';
import { startTestApp, TestApp } from '../helpers/test-app';
import { centreCrit, post } from './grants-fixture';

/**
 * Adversarial review of Vox's base-grant eligibility and allocation, through HTTP only: every
 * criterion at the edges of its window (README "Default windows", all ends inclusive; DOMAIN.md
 * "The state grant that Vox manages"), the events each verdict cites, centres closed before or on
 * the window, superseded service declarations, age limits, the øre split with its remainder,
 * corrections after eligibility changed, and "what did the ledger say on date D".
 * Expected values are computed here from the inputs, never copied from the ledger's answers.
 */

type Auth = { Authorization: string };
const ALL = ['primary-lower-secondary-counsellors', 'upper-secondary-counsellors', 'nav-staff'];
const J = '2014-03-01'; // the 2014 scheme's judging date in these tests
const DAY_BEFORE_J = '2014-02-28';
const DAY_AFTER_J = '2014-03-02';

/** The official county numbers of 2014 (DOMAIN.md: 19 counties; the seed's input data). */
const NUMBER: Record<string, string> = {
  ostfold: '01', akershus: '02', oslo: '03', hedmark: '04', oppland: '05', buskerud: '06', vestfold: '07', telemark: '08', 'aust-agder': '09', 'vest-agder': '10',
  rogaland: '11', hordaland: '12', 'sogn-og-fjordane': '14', 'more-og-romsdal': '15', 'sor-trondelag': '16', 'nord-trondelag': '17', nordland: '18', troms: '19', finnmark: '20',
};

/** Øre (BigInt) as the ledger's decimal NOK string with two decimals. */
const nok = (ore: bigint): string => `${ore / 100n}.${String(ore % 100n).padStart(2, '0')}`;
/** A NOK string as BigInt øre. */
const ore = (s: string): bigint => {
  const [k, o = ''] = s.split('.');
  return BigInt(k) * 100n + BigInt((o + '00').slice(0, 2));
};
/** The documented split: floor(sum / n) each, the remainder one øre each to the lowest county numbers. */
const expectedSplit = (sum: string, counties: string[]): [string, string][] => {
  const total = ore(sum);
  const sorted = [...counties].sort((a, b) => (NUMBER[a] < NUMBER[b] ? -1 : 1));
  const n = BigInt(sorted.length);
  const base = total / n;
  const r = Number(total % n);
  return sorted.map((c, i) => [c, nok(base + (i < r ? 1n : 0n))]);
};

interface CentreOpts {
  centreId: string;
  openedOn?: string;
  fromAge?: number;
  /** Declarations instead of the default one (free, all adults, fromAge) from 2013-01-01. */
  declarations?: { effectiveFrom: string; freeOfCharge: boolean; openToAllAdults: boolean; fromAge: number }[];
  groups?: string[];
  survey?: boolean;
  report?: { year: number; submittedOn: string } | null;
}

interface CountyOpts {
  /** The partnership agreement body (partnershipId and parties default), or null for none. */
  partnership?: { signedOn?: string; period?: { from: string; to: string | null }; parties?: string[] } | null;
  /** The coordinating function, or null for none. */
  coordinating?: { from: string; to?: string | null } | null;
  centres: CentreOpts[];
}

/** Records a county's partnership, coordinating function and centres with evidence, as its finance officer. */
const recordCounty = async (t: TestApp, countyId: string, opts: CountyOpts): Promise<void> => {
  const fo = await t.auth('finance-officer', [countyId]);
  await post(t, fo, '/parties', { partyId: `${countyId}-fk`, name: `${countyId} fylkeskommune`, kind: 'county-authority', countyId });
  await post(t, fo, '/parties', { partyId: `nav-${countyId}`, name: `NAV ${countyId}`, kind: 'nav-county-office', countyId });
  if (opts.partnership !== null) {
    const p = opts.partnership ?? {};
    await post(t, fo, `/counties/${countyId}/partnership-agreements`, {
      partnershipId: `${countyId}-partnerskap`,
      parties: p.parties ?? [`${countyId}-fk`, `nav-${countyId}`],
      signedOn: p.signedOn ?? '2013-09-01',
      period: p.period ?? { from: '2013-09-01', to: null },
    });
  }
  if (opts.coordinating !== null) {
    const c = opts.coordinating ?? { from: '2013-01-01' };
    await post(t, fo, `/counties/${countyId}/coordinating-function`, { holderPartyId: `${countyId}-fk`, description: 'Koordinerer veiledningsaktørene', from: c.from, ...(c.to !== undefined ? { to: c.to } : {}) });
  }
  for (const c of opts.centres) await recordCentre(t, fo, countyId, c);
};

const recordCentre = async (t: TestApp, fo: Auth, countyId: string, c: CentreOpts): Promise<void> => {
  await post(t, fo, '/centres', { centreId: c.centreId, countyId, name: `Karrieresenter ${c.centreId}`, municipality: 'Kommune', openedOn: c.openedOn ?? '2010-01-01' });
  const base = `/centres/${c.centreId}/grant-evidence`;
  for (const d of c.declarations ?? [{ effectiveFrom: '2013-01-01', freeOfCharge: true, openToAllAdults: true, fromAge: c.fromAge ?? 19 }]) await post(t, fo, `${base}/service-declarations`, d);
  for (const [i, g] of (c.groups ?? ALL).entries()) {
    await post(t, fo, `${base}/competence-development`, { deliveredOn: `2013-0${i + 3}-15`, kind: 'course', targetGroups: [g], participants: 10, description: `Kurs for ${g}` });
  }
  if (c.survey !== false) await post(t, fo, `${base}/user-survey-participations`, { period: { from: '2013-01-01', to: '2013-12-31' } });
  if (c.report !== null) {
    const r = c.report ?? { year: 2013, submittedOn: '2014-02-20' };
    await post(t, fo, `${base}/annual-reports`, r);
  }
};

const crit = (answer: any, id: string): any => answer.criteria.find((c: any) => c.id === id);
/** The cited events of a verdict, resolved through the answer's `events`. */
const cited = (answer: any, verdict: any): any[] => verdict.evidence.map((e: any) => answer.events.find((x: any) => x.position === e.position));

// =====================================================================================================
// Criteria 1, 2 and 3a at the edges of the judging date
// =====================================================================================================

describe('base-grant eligibility review: criteria at the judging date (e2e)', () => {
  let now = Date.parse('2014-03-05T08:00:00.000Z');
  const store = new MemoryEventStore(() => new Date(now++));
  let t: TestApp;
  let vox: Auth;
  let admin: Auth;
  const fo = (c: string) => t.auth('finance-officer', [c]);
  const eligibility = async (county: string, year = 2014) => {
    const res = await t.http().get(`/grant-schemes/${year}/eligibility/${county}`).set(vox);
    if (res.status !== 200) throw new Error(`eligibility ${county} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body;
  };

  beforeAll(async () => {
    t = await startTestApp({ store, seed: true });
    vox = await t.auth('vox', [], 'vox-saksbehandler');
    admin = await t.auth('admin', [], 'admin');
    await post(t, vox, '/grant-schemes', { year: 2014, baseGrant: '100.00', criteriaSetId: 'criteria-2014', judgingDate: J });
  });

  afterAll(async () => {
    await t.close();
  });

  it('criterion 1: an agreement signed on the judging date, in force from it, passes and cites that signing', async () => {
    await recordCounty(t, 'ostfold', { partnership: { signedOn: J, period: { from: J, to: null } }, centres: [{ centreId: 'rv-ostfold' }] });
    const a = await eligibility('ostfold');
    expect(crit(a, '1').passed).toBe(true);
    const signed = cited(a, crit(a, '1')).find((e: any) => e.type === 'PartnershipAgreementSigned');
    expect(signed.dates.signedOn).toBe(J);
    expect(a.eligible).toBe(true);
  });

  it('criterion 1: an agreement signed earlier but whose period starts the day after the judging date fails', async () => {
    await recordCounty(t, 'akershus', { partnership: { signedOn: '2014-02-01', period: { from: DAY_AFTER_J, to: null } }, centres: [{ centreId: 'rv-akershus' }] });
    const a = await eligibility('akershus');
    expect(crit(a, '1').passed).toBe(false);
    expect(crit(a, '1').reason.en).toContain(DAY_AFTER_J);
    expect(a.eligible).toBe(false);
  });

  it('criterion 1: an agreement terminated with effect from the day after the judging date was still in force on it (termination date = first day no longer in force)', async () => {
    await recordCounty(t, 'oslo', { centres: [{ centreId: 'rv-oslo' }] });
    await post(t, await fo('oslo'), '/counties/oslo/partnership-agreements/oslo-partnerskap/terminate', { effectiveFrom: DAY_AFTER_J, reason: 'Ny avtale' });
    const a = await eligibility('oslo');
    expect(crit(a, '1').passed).toBe(true);
    expect(a.eligible).toBe(true);
  });

  it("criterion 1: another county's NAV county office is no party to this county's agreement (422 PARTNERSHIP.PARTY_OF_OTHER_COUNTY), and one recorded before that rule does not count as this county's", async () => {
    // Not "NAV oppland": recordCounty registers oppland's own NAV county office under that name later (PARTY.NAME_TAKEN).
    await post(t, admin, '/parties', { partyId: 'rv-nav-oppland', name: 'NAV Oppland fylke', kind: 'nav-county-office', countyId: 'oppland' });
    await recordCounty(t, 'hedmark', { partnership: null, centres: [{ centreId: 'rv-hedmark' }] });
    const agreement = { partnershipId: 'hedmark-partnerskap', parties: ['hedmark-fk', 'rv-nav-oppland'], signedOn: '2013-09-01', period: { from: '2013-09-01', to: null } };
    const refused = await post(t, await fo('hedmark'), '/counties/hedmark/partnership-agreements', agreement, [422]);
    expect(refused.body.code).toBe('PARTNERSHIP.PARTY_OF_OTHER_COUNTY');
    // The same agreement as a ledger recorded before the rule holds it: criterion 1 still counts only the county's own.
    const position = await appendAsOldLedger(store, 'partnership-hedmark', 'PartnershipAgreementSigned', { ...agreement, countyId: 'hedmark' });
    const res = await t.http().get('/grant-schemes/2014/eligibility/hedmark').set(vox).set('X-Ledger-Position', String(position));
    const a = res.body;
    expect(crit(a, '1').passed).toBe(false);
    expect(crit(a, '1').reason.en).toContain('NAV county office');
    expect(a.eligible).toBe(false);
  });

  it('criterion 1: "at least" the county authority and NAV county office: a third party (a municipality) does not spoil it', async () => {
    await post(t, admin, '/parties', { partyId: 'rv-gjovik-kommune', name: 'Gjøvik kommune', kind: 'municipality', countyId: 'oppland' });
    await recordCounty(t, 'oppland', { partnership: { parties: ['oppland-fk', 'nav-oppland', 'rv-gjovik-kommune'] }, centres: [{ centreId: 'rv-oppland' }] });
    const a = await eligibility('oppland');
    expect(crit(a, '1').passed).toBe(true);
    expect(a.eligible).toBe(true);
  });

  it('criterion 1: an amendment effective on the judging date that brings in the NAV county office passes, citing the amendment', async () => {
    await post(t, admin, '/parties', { partyId: 'rv-drammen-kommune', name: 'Drammen kommune', kind: 'municipality', countyId: 'buskerud' });
    await recordCounty(t, 'buskerud', { partnership: { parties: ['buskerud-fk', 'rv-drammen-kommune'] }, centres: [{ centreId: 'rv-buskerud' }] });
    const amended = await post(t, await fo('buskerud'), '/counties/buskerud/partnership-agreements/buskerud-partnerskap/amend', {
      effectiveFrom: J,
      parties: ['buskerud-fk', 'nav-buskerud', 'rv-drammen-kommune'],
      period: { from: '2013-09-01', to: null },
    });
    const a = await eligibility('buskerud');
    expect(crit(a, '1').passed).toBe(true);
    expect(crit(a, '1').evidence.map((e: any) => e.position)).toContain(amended.body.position);
  });

  it('criterion 1: an amendment from the day after the judging date that drops NAV changes nothing on the judging date and is not cited', async () => {
    await post(t, admin, '/parties', { partyId: 'rv-tonsberg-kommune', name: 'Tønsberg kommune', kind: 'municipality', countyId: 'vestfold' });
    await recordCounty(t, 'vestfold', { centres: [{ centreId: 'rv-vestfold' }] });
    const amended = await post(t, await fo('vestfold'), '/counties/vestfold/partnership-agreements/vestfold-partnerskap/amend', {
      effectiveFrom: DAY_AFTER_J,
      parties: ['vestfold-fk', 'rv-tonsberg-kommune'],
      period: { from: '2013-09-01', to: null },
    });
    const a = await eligibility('vestfold');
    expect(crit(a, '1').passed).toBe(true);
    expect(crit(a, '1').evidence.map((e: any) => e.position)).not.toContain(amended.body.position);
    expect(a.eligible).toBe(true);
  });

  it('criterion 2: a coordinating function from the judging date, or planned to end on it, passes; from the day after, or planned to end the day before, fails', async () => {
    await recordCounty(t, 'telemark', { coordinating: { from: J }, centres: [{ centreId: 'rv-telemark' }] });
    await recordCounty(t, 'aust-agder', { coordinating: { from: DAY_AFTER_J }, centres: [{ centreId: 'rv-aust-agder' }] });
    await recordCounty(t, 'vest-agder', { coordinating: { from: '2013-01-01', to: DAY_BEFORE_J }, centres: [{ centreId: 'rv-vest-agder' }] });
    await recordCounty(t, 'rogaland', { coordinating: { from: '2013-01-01', to: J }, centres: [{ centreId: 'rv-rogaland' }] });
    const verdicts: [string, boolean, boolean][] = [];
    for (const c of ['telemark', 'aust-agder', 'vest-agder', 'rogaland']) {
      const a = await eligibility(c);
      verdicts.push([c, crit(a, '2').passed, a.eligible]);
    }
    expect(verdicts).toEqual([
      ['telemark', true, true],
      ['aust-agder', false, false],
      ['vest-agder', false, false],
      ['rogaland', true, true],
    ]);
    // the failing verdicts cite the term that decides them
    const va = await eligibility('vest-agder');
    expect(cited(va, crit(va, '2')).map((e: any) => [e.type, e.dates.to])).toContainEqual(['CoordinatingFunctionAssigned', DAY_BEFORE_J]);
  });

  it('3a age limit: from 18 or 19 passes ("over 19" read as 19 and older), from 20 fails; a scheme with maxFromAge 20 lets from 20 pass', async () => {
    await recordCounty(t, 'hordaland', { centres: [{ centreId: 'rv-bergen', fromAge: 18 }] });
    await recordCounty(t, 'sogn-og-fjordane', { centres: [{ centreId: 'rv-forde', fromAge: 20 }] });
    const h = await eligibility('hordaland');
    expect(centreCrit(h.centres[0], '3a').passed).toBe(true);
    const s = await eligibility('sogn-og-fjordane');
    expect(centreCrit(s.centres[0], '3a').passed).toBe(false);
    expect(centreCrit(s.centres[0], '3a').reason.en).toContain('only from age 20');
    expect(s.eligible).toBe(false);
    // the window is data: a scheme may raise the age
    await post(t, vox, '/grant-schemes', {
      year: 2015,
      baseGrant: '10.00',
      criteriaSetId: 'criteria-2014',
      judgingDate: '2015-03-01',
      windows: { freeGuidance: { maxFromAge: 20 }, competenceDevelopment: { from: '2013-01-01' }, userSurvey: { from: '2013-01-01', to: '2013-12-31' }, annualReport: { reportYear: 2013 } },
    });
    const s15 = await eligibility('sogn-og-fjordane', 2015);
    expect(centreCrit(s15.centres[0], '3a').passed).toBe(true);
    expect(s15.eligible).toBe(true);
  });

  it('3a superseded declarations: a non-free declaration from the day after the judging date does not count yet; the free one in effect on the day is the one cited', async () => {
    await recordCounty(t, 'more-og-romsdal', {
      centres: [
        {
          centreId: 'rv-molde',
          declarations: [
            { effectiveFrom: '2013-01-01', freeOfCharge: true, openToAllAdults: true, fromAge: 19 },
            { effectiveFrom: DAY_AFTER_J, freeOfCharge: false, openToAllAdults: true, fromAge: 19 },
          ],
        },
      ],
    });
    const a = await eligibility('more-og-romsdal');
    const c3a = centreCrit(a.centres[0], '3a');
    expect(c3a.passed).toBe(true);
    expect(cited(a, c3a).map((e: any) => [e.type, e.dates.effectiveFrom])).toEqual([['ServiceDeclared', '2013-01-01']]);
    expect(a.eligible).toBe(true);
  });

  it('3a superseded declarations: a paid service replaced by a free one from the judging date passes, citing only the free one', async () => {
    await recordCounty(t, 'sor-trondelag', {
      centres: [
        {
          centreId: 'rv-trondheim',
          declarations: [
            { effectiveFrom: '2013-01-01', freeOfCharge: false, openToAllAdults: true, fromAge: 19 },
            { effectiveFrom: J, freeOfCharge: true, openToAllAdults: true, fromAge: 19 },
          ],
        },
      ],
    });
    const a = await eligibility('sor-trondelag');
    const c3a = centreCrit(a.centres[0], '3a');
    expect(c3a.passed).toBe(true);
    expect(cited(a, c3a).map((e: any) => e.dates.effectiveFrom)).toEqual([J]);
  });

  it('3a superseded declarations: of two declarations from the same day, the one recorded later is in effect (a correction of the first)', async () => {
    await recordCounty(t, 'nord-trondelag', {
      centres: [
        {
          centreId: 'rv-steinkjer',
          declarations: [
            { effectiveFrom: '2014-01-01', freeOfCharge: true, openToAllAdults: true, fromAge: 19 },
            { effectiveFrom: '2014-01-01', freeOfCharge: true, openToAllAdults: true, fromAge: 25 },
          ],
        },
      ],
    });
    const a = await eligibility('nord-trondelag');
    const c3a = centreCrit(a.centres[0], '3a');
    expect(c3a.passed).toBe(false);
    expect(cited(a, c3a).map((e: any) => e.dates.fromAge)).toEqual([25]);
  });

  it('3a: withdrawing the later, paid declaration puts the earlier free one back in effect, and it is the one cited', async () => {
    await recordCounty(t, 'nordland', {
      centres: [
        {
          centreId: 'rv-bodo',
          declarations: [
            { effectiveFrom: '2013-01-01', freeOfCharge: true, openToAllAdults: true, fromAge: 19 },
            { effectiveFrom: '2014-01-01', freeOfCharge: false, openToAllAdults: true, fromAge: 19 },
          ],
        },
      ],
    });
    expect((await eligibility('nordland')).eligible).toBe(false);
    const f = await fo('nordland');
    const evidence = (await t.http().get('/centres/rv-bodo/grant-evidence').set(f)).body;
    const paid = evidence.serviceDeclarations.find((d: any) => d.freeOfCharge === false);
    await post(t, f, `/centres/rv-bodo/grant-evidence/${paid.declarationId}/withdrawal`, { reason: 'Feilregistrert' });
    const a = await eligibility('nordland');
    const c3a = centreCrit(a.centres[0], '3a');
    expect(c3a.passed).toBe(true);
    expect(cited(a, c3a).map((e: any) => e.dates.effectiveFrom)).toEqual(['2013-01-01']);
    expect(a.eligible).toBe(true);
  });

  it('a centre closed from the day after the judging date was open on it and qualifies', async () => {
    await recordCounty(t, 'troms', { centres: [{ centreId: 'rv-tromso' }] });
    await post(t, await fo('troms'), '/centres/rv-tromso/close', { closedOn: DAY_AFTER_J, reason: 'Nedlagt' });
    const a = await eligibility('troms');
    expect(a.centresNotConsidered).toEqual([]);
    expect(a.qualifyingCentres.map((c: any) => c.centreId)).toEqual(['rv-tromso']);
    expect(a.eligible).toBe(true);
  });

  it('no centre open on the judging date (one closed before it, one opened after it): criterion 3 cites each registration and the closure, nothing else', async () => {
    await recordCounty(t, 'finnmark', { centres: [] });
    const f = await fo('finnmark');
    const a1 = await post(t, f, '/centres', { centreId: 'rv-vadso', countyId: 'finnmark', name: 'KC Vadsø', municipality: 'Vadsø', openedOn: '2010-01-01' });
    const closed = await post(t, f, '/centres/rv-vadso/close', { closedOn: '2014-02-01', reason: 'Flyttet' });
    const b1 = await post(t, f, '/centres', { centreId: 'rv-alta', countyId: 'finnmark', name: 'KC Alta', municipality: 'Alta', openedOn: DAY_AFTER_J });
    const a = await eligibility('finnmark');
    expect(crit(a, '3').passed).toBe(false);
    expect(a.centres).toEqual([]);
    expect(a.centresNotConsidered.map((c: any) => [c.centreId, c.openedOn, c.closedOn])).toEqual([
      ['rv-vadso', '2010-01-01', '2014-02-01'],
      ['rv-alta', DAY_AFTER_J, null],
    ]);
    expect(crit(a, '3').evidence.map((e: any) => e.position)).toEqual([a1.body.position, closed.body.position, b1.body.position]);
    expect(a.eligible).toBe(false);
  });
});

// =====================================================================================================
// Several centres, the cited events, windows as data, as of a date
// =====================================================================================================

describe('base-grant eligibility review: centres, evidence, windows and as-of (e2e)', () => {
  let now = Date.parse('2014-03-03T08:00:00.000Z');
  const at = (iso: string) => {
    now = Date.parse(iso);
  };
  const store = new MemoryEventStore(() => new Date(now++));
  let t: TestApp;
  let vox: Auth;
  let auditor: Auth;
  const fo = (c: string) => t.auth('finance-officer', [c]);
  const eligibility = async (county: string, query = '', year = 2014) => {
    const res = await t.http().get(`/grant-schemes/${year}/eligibility/${county}${query}`).set(vox);
    if (res.status !== 200) throw new Error(`eligibility ${county} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body;
  };

  beforeAll(async () => {
    t = await startTestApp({ store, seed: true });
    vox = await t.auth('vox', [], 'vox-saksbehandler');
    auditor = await t.auth('auditor', [], 'riksrevisjonen');
    await post(t, vox, '/grant-schemes', { year: 2014, baseGrant: '100.00', criteriaSetId: 'criteria-2014', judgingDate: J });
  });

  afterAll(async () => {
    await t.close();
  });

  it('three centres, only the middle one passes: the county is eligible, that centre alone qualifies and is the one criterion 3 cites', async () => {
    await recordCounty(t, 'ostfold', {
      centres: [
        { centreId: 'rv-halden', fromAge: 20 },
        { centreId: 'rv-sarpsborg' },
        { centreId: 'rv-moss', groups: ALL.slice(0, 2) },
      ],
    });
    const a = await eligibility('ostfold');
    expect(a.centres.map((c: any) => [c.centreId, c.qualifies])).toEqual([
      ['rv-halden', false],
      ['rv-sarpsborg', true],
      ['rv-moss', false],
    ]);
    expect(a.qualifyingCentres.map((c: any) => c.centreId)).toEqual(['rv-sarpsborg']);
    expect(crit(a, '3').passed).toBe(true);
    expect(crit(a, '3').reason.en).toContain('1 of 3');
    expect(cited(a, crit(a, '3')).map((e: any) => [e.type, e.streamId])).toEqual([['CentreRegistered', 'centre-rv-sarpsborg']]);
    expect(a.eligible).toBe(true);
    expect(a.missing).toEqual([]);
    // the summary lists only the events the county-level criteria cite
    const summary = await eligibility('ostfold', '?detail=summary');
    const countyLevel = new Set<number>(a.criteria.flatMap((c: any) => c.evidence.map((e: any) => e.position)));
    expect(summary.events.map((e: any) => e.position)).toEqual([...countyLevel].sort((x, y) => x - y));
    expect(summary.centres.map((c: any) => [c.centreId, c.failedCriteria])).toEqual([
      ['rv-halden', ['3a']],
      ['rv-sarpsborg', []],
      ['rv-moss', ['3b-nav-staff']],
    ]);
    // the CSV counts centres passing each of 3a, 3b, 3c: Halden fails 3a, Moss 3b, all three pass 3c
    const csv = await t.http().get('/grant-schemes/2014/eligibility').set(vox).set('Accept', 'text/csv');
    const row = csv.text.split('\r\n').find((l: string) => l.startsWith("'01,"))!;
    expect(row.split(',').slice(2, 9)).toEqual(['yes', 'pass', 'pass', 'pass', "'2/3", "'2/3", "'3/3"]);
  });

  it('a centre closed before the window is listed as not considered; the county still qualifies through its open centre', async () => {
    await recordCounty(t, 'akershus', { centres: [{ centreId: 'rv-asker' }] });
    const f = await fo('akershus');
    await post(t, f, '/centres', { centreId: 'rv-lillestrom', countyId: 'akershus', name: 'KC Lillestrøm', municipality: 'Lillestrøm', openedOn: '2010-01-01' });
    await post(t, f, '/centres/rv-lillestrom/close', { closedOn: '2014-01-01', reason: 'Slått sammen' });
    const a = await eligibility('akershus');
    expect(a.centres.map((c: any) => c.centreId)).toEqual(['rv-asker']);
    expect(a.centresNotConsidered.map((c: any) => [c.centreId, c.closedOn])).toEqual([['rv-lillestrom', '2014-01-01']]);
    expect(a.centresNotConsidered[0].reason.en).toContain('closed from 2014-01-01');
    expect(cited(a, crit(a, '3')).map((e: any) => e.streamId)).toEqual(['centre-rv-asker']);
    expect(a.eligible).toBe(true);
  });

  it('3b counts only activities inside 2013-01-01..judging date, for the named group, and cites the latest one in the window', async () => {
    await recordCounty(t, 'oslo', { centres: [{ centreId: 'rv-oslo', groups: ALL.slice(0, 2) }] });
    const f = await fo('oslo');
    const base = '/centres/rv-oslo/grant-evidence/competence-development';
    const act = (deliveredOn: string, targetGroups: string[]) => post(t, f, base, { deliveredOn, kind: 'network-meeting', targetGroups, participants: 5, description: 'Nettverksmøte' });
    // only "others" (not one of the three groups), and NAV staff the day after the judging date: neither counts
    await act('2013-06-01', ['others']);
    await act(DAY_AFTER_J, ['nav-staff']);
    let a = await eligibility('oslo');
    expect(centreCrit(a.centres[0], '3b-nav-staff').passed).toBe(false);
    expect(a.missing.map((m: any) => m.criterion)).toEqual(['3b-nav-staff']);
    // two inside the window: the later one decides and is cited; the count is 2 (the one after J is not counted)
    const early = await act('2013-05-15', ['nav-staff']);
    const late = await act('2014-02-10', ['nav-staff', 'others']);
    a = await eligibility('oslo');
    const nav = centreCrit(a.centres[0], '3b-nav-staff');
    expect(nav.passed).toBe(true);
    expect(nav.reason.en).toContain('2 activities');
    expect(nav.reason.en).toContain('the latest on 2014-02-10');
    expect(nav.evidence.map((e: any) => e.position)).toEqual([late.body.position]);
    expect(nav.evidence.map((e: any) => e.position)).not.toContain(early.body.position);
    expect(a.eligible).toBe(true);
  });

  it("3c: overlapping survey periods that together cover 2013 pass and are cited; a report for 2012 is not 2013's report", async () => {
    // (A report for 2014 submitted in February 2014 is refused now: ANNUAL_REPORT.SUBMITTED_BEFORE_YEAR_END.)
    await recordCounty(t, 'hedmark', { centres: [{ centreId: 'rv-hamar', survey: false, report: { year: 2012, submittedOn: '2014-02-15' } }] });
    const f = await fo('hedmark');
    const base = '/centres/rv-hamar/grant-evidence/user-survey-participations';
    const old = await post(t, f, base, { period: { from: '2011-01-01', to: '2011-12-31' } });
    const s1 = await post(t, f, base, { period: { from: '2012-07-01', to: '2013-06-30' } });
    const s2 = await post(t, f, base, { period: { from: '2013-05-01', to: '2014-01-31' } });
    const a = await eligibility('hedmark');
    const survey = centreCrit(a.centres[0], '3c-i');
    expect(survey.passed).toBe(true);
    expect(survey.evidence.map((e: any) => e.position)).toEqual([s1.body.position, s2.body.position]);
    expect(survey.evidence.map((e: any) => e.position)).not.toContain(old.body.position);
    const report = centreCrit(a.centres[0], '3c-ii');
    expect(report.passed).toBe(false);
    expect(report.reason.en).toContain('2013');
    expect(a.missing.map((m: any) => m.criterion)).toEqual(['3c-ii']);
    expect(a.eligible).toBe(false);
  });

  it('every cited event can be fetched by its readerLink (and link, for auditors) and says what its `dates` say', async () => {
    await recordCounty(t, 'telemark', { coordinating: { from: '2013-01-01', to: '2015-12-31' }, centres: [{ centreId: 'rv-skien' }, { centreId: 'rv-notodden', survey: false }] });
    const a = await eligibility('telemark');
    expect(a.eligible).toBe(true);
    const types = new Set(a.events.map((e: any) => e.type));
    for (const ty of ['PartnershipAgreementSigned', 'PartyRegistered', 'CoordinatingFunctionAssigned', 'CentreRegistered', 'ServiceDeclared', 'CompetenceDevelopmentDelivered', 'UserSurveyParticipationRecorded', 'AnnualReportSubmitted']) {
      expect([ty, types.has(ty)]).toEqual([ty, true]);
    }
    // every reference in every verdict is listed in events, with the same id
    const refs: any[] = [];
    const walk = (v: any) => {
      refs.push(...v.evidence);
      (v.subCriteria ?? []).forEach(walk);
    };
    a.criteria.forEach(walk);
    a.centres.forEach((c: any) => c.criteria.forEach(walk));
    for (const r of refs) expect(a.events.find((e: any) => e.position === r.position)?.eventId).toBe(r.eventId);
    for (const e of a.events) {
      const res = await t.http().get(e.readerLink).set(vox);
      expect([e.readerLink, res.status]).toEqual([e.readerLink, 200]);
      expect([res.body.eventId, res.body.type, res.body.streamId, res.body.revision, res.body.position, res.body.recordedAt]).toEqual([e.eventId, e.type, e.streamId, e.revision, e.position, e.recordedAt]);
      const data = res.body.data;
      for (const [k, v] of Object.entries(e.dates)) {
        const actual = k in data ? data[k] : data.period && k in data.period ? data.period[k] : undefined;
        expect([e.type, k, actual ?? null]).toEqual([e.type, k, v]);
      }
      const audit = await t.http().get(e.link).set(auditor);
      expect([e.link, audit.status, audit.body.eventId]).toEqual([e.link, 200, e.eventId]);
    }
    // the centre without a survey is judged, fails 3c-i, and cites no survey
    const notodden = a.centres.find((c: any) => c.centreId === 'rv-notodden');
    expect([notodden.qualifies, centreCrit(notodden, '3c-i').evidence]).toEqual([false, []]);
  });

  it('the windows a scheme stores are the documented defaults; moving the judging date moves them (a window Vox set stays) and the verdict follows', async () => {
    // Vest-Agder's agreement runs until 2015-03-10: in force on 2015-03-01, lapsed on 2015-03-15.
    await recordCounty(t, 'vest-agder', { partnership: { period: { from: '2013-09-01', to: '2015-03-10' } }, centres: [{ centreId: 'rv-kristiansand' }] });
    await post(t, vox, '/grant-schemes', {
      year: 2015,
      baseGrant: '10.00',
      criteriaSetId: 'criteria-2014',
      judgingDate: '2015-03-01',
      windows: { userSurvey: { from: '2013-01-01', to: '2013-12-31' }, annualReport: { reportYear: 2013 } },
    });
    const defaults = (jd: string) => ({
      partnershipAgreement: { from: jd, to: jd },
      coordinatingFunction: { from: jd, to: jd },
      freeGuidance: { from: jd, to: jd, maxFromAge: 19 },
      competenceDevelopment: { from: '2014-01-01', to: jd },
      userSurvey: { from: '2013-01-01', to: '2013-12-31' },
      annualReport: { reportYear: 2013, deadline: jd },
    });
    expect((await t.http().get('/grant-schemes/2015').set(vox)).body.windows).toEqual(defaults('2015-03-01'));
    const before = await eligibility('vest-agder', '', 2015);
    expect(crit(before, '1').passed).toBe(true);
    expect(crit(before, '1').window).toEqual({ from: '2015-03-01', to: '2015-03-01' });
    at('2014-03-03T15:00:00.000Z');
    await post(t, vox, '/grant-schemes/2015/amendments', { judgingDate: '2015-03-15', reason: 'Ny vurderingsdato' });
    expect((await t.http().get('/grant-schemes/2015').set(vox)).body.windows).toEqual(defaults('2015-03-15'));
    const after = await eligibility('vest-agder', '', 2015);
    expect(crit(after, '1').passed).toBe(false);
    expect(crit(after, '1').reason.en).toContain('2015-03-10');
    expect(after.centreCriteria.find((c: any) => c.id === '3a').window).toEqual({ from: '2015-03-15', to: '2015-03-15', maxFromAge: 19 });
    // as of before the amendment was recorded, the ledger judged on 2015-03-01 and said "pass"
    const then = await eligibility('vest-agder', `?asOf=${encodeURIComponent('2014-03-03T14:00:00.000Z')}`, 2015);
    expect([then.scheme.version, then.scheme.judgingDate, crit(then, '1').passed]).toEqual([1, '2015-03-01', true]);
  });

  it('criterion 1 and 2 reasons name the parties as they were named on the judging date, not by a later rename', async () => {
    await recordCounty(t, 'buskerud', { centres: [{ centreId: 'rv-drammen' }] });
    const f = await fo('buskerud');
    await post(t, f, '/parties/nav-buskerud/rename', { name: 'NAV Viken', effectiveFrom: '2020-01-01' });
    await post(t, f, '/parties/buskerud-fk/rename', { name: 'Viken fylkeskommune', effectiveFrom: '2020-01-01' });
    const a = await eligibility('buskerud');
    expect(crit(a, '1').reason.en).toContain('NAV buskerud');
    expect(crit(a, '1').reason.en).toContain('buskerud fylkeskommune');
    expect(crit(a, '1').reason.en).not.toContain('Viken');
    expect(crit(a, '2').reason.en).toContain('buskerud fylkeskommune');
    expect(crit(a, '2').reason.en).not.toContain('Viken');
  });

  it('windows of several days: a one-day gap between two coordinating functions, or a paid month inside the free-guidance window, fails and names the day', async () => {
    await post(t, vox, '/grant-schemes', {
      year: 2016,
      baseGrant: '10.00',
      criteriaSetId: 'criteria-2014',
      judgingDate: '2016-03-01',
      windows: {
        coordinatingFunction: { from: '2015-06-01' },
        freeGuidance: { from: '2015-06-01' },
        competenceDevelopment: { from: '2013-01-01' },
        userSurvey: { from: '2013-01-01', to: '2013-12-31' },
        annualReport: { reportYear: 2013 },
      },
    });
    // Oppland: the county authority held it until 2015-08-30, NAV from 2015-09-01
    await recordCounty(t, 'oppland', { centres: [{ centreId: 'rv-gjovik' }] });
    const f = await fo('oppland');
    await post(t, f, '/counties/oppland/coordinating-function/end', { holderPartyId: 'oppland-fk', endedOn: '2015-08-30' });
    await post(t, f, '/counties/oppland/coordinating-function', { holderPartyId: 'nav-oppland', description: 'NAV koordinerer', from: '2015-09-01' });
    const o = await eligibility('oppland', '', 2016);
    expect(crit(o, '2').passed).toBe(false);
    expect(crit(o, '2').reason.en).toContain('2015-08-31');
    // Vestfold: free guidance, then paid from 2015-10-01, free again from 2015-11-01
    await recordCounty(t, 'vestfold', {
      centres: [
        {
          centreId: 'rv-tonsberg',
          declarations: [
            { effectiveFrom: '2013-01-01', freeOfCharge: true, openToAllAdults: true, fromAge: 19 },
            { effectiveFrom: '2015-10-01', freeOfCharge: false, openToAllAdults: true, fromAge: 19 },
            { effectiveFrom: '2015-11-01', freeOfCharge: true, openToAllAdults: true, fromAge: 19 },
          ],
        },
      ],
    });
    const v = await eligibility('vestfold', '', 2016);
    const c3a = centreCrit(v.centres[0], '3a');
    expect(c3a.passed).toBe(false);
    expect(cited(v, c3a).map((e: any) => [e.dates.effectiveFrom, e.type])).toEqual([['2015-10-01', 'ServiceDeclared']]);
    expect(v.eligible).toBe(false);
    // the same county judged only on 2014-03-01 passes
    expect((await eligibility('vestfold')).eligible).toBe(true);
  });

  /** Every event an answer lists is exactly the stored one (id, type, stream, revision, position, recorded time). */
  const expectEventsAsStored = async (answer: any) => {
    const log = await store.readAll();
    for (const e of answer.events) {
      const stored = log.find((x) => x.position === e.position)!;
      expect([e.eventId, e.type, e.streamId, e.revision, e.position, e.recordedAt]).toEqual([stored.eventId, stored.type, stored.streamId, stored.revision, stored.position, stored.recordedAt]);
    }
  };

  it('3b: an activity naming the three groups in another order (with "others" among them) counts for each of them', async () => {
    await recordCounty(t, 'aust-agder', { centres: [{ centreId: 'rv-arendal', groups: [] }] });
    const act = await post(t, await fo('aust-agder'), '/centres/rv-arendal/grant-evidence/competence-development', {
      deliveredOn: '2013-10-10',
      kind: 'lecture',
      targetGroups: ['nav-staff', 'others', 'upper-secondary-counsellors', 'primary-lower-secondary-counsellors'],
      participants: 40,
      description: 'Felles fagdag',
    });
    const a = await eligibility('aust-agder');
    for (const g of ALL) {
      const sub = centreCrit(a.centres[0], `3b-${g}`);
      expect([g, sub.passed, sub.evidence.map((e: any) => e.position)]).toEqual([g, true, [act.body.position]]);
    }
    expect(a.eligible).toBe(true);
    await expectEventsAsStored(a);
  });

  it('evidence from before 1970 and evidence dated after its recording are judged and cited like any other', async () => {
    // A centre opened in 1965: a user-survey period from 1969 to 2013 covers 2013; an activity from 1969 is outside the window
    await recordCounty(t, 'hordaland', { centres: [{ centreId: 'rv-bergen-1965', openedOn: '1965-08-01', survey: false, groups: ALL.slice(1) }] });
    const f = await fo('hordaland');
    await post(t, f, '/centres/rv-bergen-1965/grant-evidence/competence-development', { deliveredOn: '1969-05-05', kind: 'course', targetGroups: ['primary-lower-secondary-counsellors'], participants: 3, description: 'Gammelt kurs' });
    const survey = await post(t, f, '/centres/rv-bergen-1965/grant-evidence/user-survey-participations', { period: { from: '1969-01-01', to: '2013-12-31' } });
    let a = await eligibility('hordaland');
    expect(centreCrit(a.centres[0], '3c-i').passed).toBe(true);
    expect(centreCrit(a.centres[0], '3c-i').evidence.map((e: any) => e.position)).toEqual([survey.body.position]);
    expect(centreCrit(a.centres[0], '3b-primary-lower-secondary-counsellors').passed).toBe(false);
    expect(a.missing.map((m: any) => m.criterion)).toEqual(['3b-primary-lower-secondary-counsellors']);
    await expectEventsAsStored(a);
    const inWindow = await post(t, f, '/centres/rv-bergen-1965/grant-evidence/competence-development', { deliveredOn: '2013-12-31', kind: 'course', targetGroups: ['primary-lower-secondary-counsellors'], participants: 3, description: 'Nytt kurs' });
    a = await eligibility('hordaland');
    expect(centreCrit(a.centres[0], '3b-primary-lower-secondary-counsellors').evidence.map((e: any) => e.position)).toEqual([inWindow.body.position]);
    expect(a.eligible).toBe(true);
    await expectEventsAsStored(a);
    // the 2016 answer cites declarations dated 2015, recorded (by this store's clock) in 2014
    await expectEventsAsStored(await eligibility('vestfold', '', 2016));
  });

  it('"what did the ledger say on date D": a bare asOf date is the end of that day in Norway, not in UTC', async () => {
    at('2014-03-04T10:00:00.000Z');
    await recordCounty(t, 'rogaland', { centres: [{ centreId: 'rv-stavanger', groups: ALL.slice(0, 2) }] });
    expect((await eligibility('rogaland')).eligible).toBe(false);
    const f = await fo('rogaland');
    // 22:30 UTC on 2014-03-05 is 23:30 in Norway (CET): still the Norwegian 5 March
    at('2014-03-05T22:30:00.000Z');
    const nav = await post(t, f, '/centres/rv-stavanger/grant-evidence/competence-development', { deliveredOn: '2013-11-20', kind: 'triangle-conversation', targetGroups: ['nav-staff'], participants: 4, description: 'Trekantsamtale' });
    // 23:00 UTC on 2014-03-05 is midnight in Norway: already 6 March
    at('2014-03-05T23:00:00.000Z');
    await post(t, f, '/counties/rogaland/partnership-agreements/rogaland-partnerskap/terminate', { effectiveFrom: '2014-02-01', reason: 'Avtalen ble sagt opp' });
    const on5 = await eligibility('rogaland', '?asOf=2014-03-05');
    expect([on5.eligible, on5.asOfPosition]).toEqual([true, nav.body.position]);
    const on5County = (await t.http().get('/counties/rogaland/eligibility/2014?asOf=2014-03-05').set(await fo('rogaland'))).body;
    expect(on5County.eligible).toBe(true);
    const on6 = await eligibility('rogaland', '?asOf=2014-03-06');
    expect(on6.eligible).toBe(false);
    expect(crit(on6, '1').passed).toBe(false);
    const on4 = await eligibility('rogaland', '?asOf=2014-03-04');
    expect(on4.eligible).toBe(false);
    expect(centreCrit(on4.centres[0], '3b-nav-staff').passed).toBe(false);
  });
});

// =====================================================================================================
// The money: the split to the øre, and what follows when eligibility changes after the allocation
// =====================================================================================================

describe('base-grant allocation review: øre, remainder, corrections (e2e)', () => {
  const store = new MemoryEventStore();
  let t: TestApp;
  let vox: Auth;
  let auditor: Auth;
  const fo = (c: string) => t.auth('finance-officer', [c]);
  // Recorded deliberately out of county-number order; Nordland misses NAV staff and is not eligible.
  const ELIGIBLE = ['troms', 'ostfold', 'vest-agder', 'oslo', 'finnmark', 'telemark', 'akershus'];
  const REUSE_2013 = { competenceDevelopment: { from: '2013-01-01' }, userSurvey: { from: '2013-01-01', to: '2013-12-31' }, annualReport: { reportYear: 2013 } };
  const allocationOf = async (year: number) => {
    const res = await t.http().get(`/grant-schemes/${year}/allocation`).set(auditor);
    if (res.status !== 200) throw new Error(`allocation ${year} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const partsOf = (a: any): [string, string][] => a.parts.map((p: any) => [p.countyId, p.amount]);

  beforeAll(async () => {
    t = await startTestApp({ store, seed: true });
    vox = await t.auth('vox', [], 'vox-saksbehandler');
    auditor = await t.auth('auditor', [], 'riksrevisjonen');
    for (const c of ELIGIBLE) await recordCounty(t, c, { centres: [{ centreId: `rm-${c}` }] });
    await recordCounty(t, 'nordland', { centres: [{ centreId: 'rm-nordland', groups: ALL.slice(0, 2) }] });
  });

  afterAll(async () => {
    await t.close();
  });

  let allocated2014: any;

  it('the equal split: floor(sum/n) øre each, the remainder øre one each to the lowest county numbers, in county-number order, adding up to the sum', async () => {
    // 1 400 000.06 NOK among 7 counties: 140 000 006 øre = 7 × 20 000 000 + 6, so six counties get one øre more
    await post(t, vox, '/grant-schemes', { year: 2014, baseGrant: '1400000.06', criteriaSetId: 'criteria-2014', judgingDate: J });
    const all = (await t.http().get('/grant-schemes/2014/eligibility').query({ detail: 'summary' }).set(vox)).body;
    expect(all.counties.filter((c: any) => c.eligible).map((c: any) => c.countyId).sort()).toEqual([...ELIGIBLE].sort());
    await post(t, vox, '/grant-schemes/2014/allocation', { note: 'Grunntilskudd 2014' });
    allocated2014 = await allocationOf(2014);
    const expected = expectedSplit('1400000.06', ELIGIBLE);
    expect(partsOf(allocated2014)).toEqual(expected);
    expect(expected.filter(([, amount]) => amount === '200000.01')).toHaveLength(6);
    expect(expected[6]).toEqual(['finnmark', '200000.00']);
    expect(allocated2014.total).toBe('1400000.06');
    expect(allocated2014.parts.reduce((s: bigint, p: any) => s + ore(p.amount), 0n)).toBe(ore('1400000.06'));
    expect(allocated2014.parts.map((p: any) => BigInt(p.amountOre))).toEqual(expected.map(([, a]) => ore(a)));
    expect(allocated2014.verdicts.find((v: any) => v.countyId === 'nordland')).toMatchObject({ eligible: false });
    expect(allocated2014.parts.map((p: any) => [p.countyId, p.countyNumber, p.remainderOre])).toEqual(expected.map(([c], i) => [c, NUMBER[c], i < 6 ? 1 : 0]));
    expect(allocated2014.verdicts.find((v: any) => v.countyId === 'ostfold')).toMatchObject({ eligible: true, failedCriteria: [], qualifyingCentreIds: ['rm-ostfold'] });
  });

  it('a sum smaller than the number of counties: the øre go one each to the lowest numbers, the rest get 0.00, and nothing is lost', async () => {
    await post(t, vox, '/grant-schemes', { year: 2015, baseGrant: '0.05', criteriaSetId: 'criteria-2014', judgingDate: '2015-03-01', windows: REUSE_2013 });
    await post(t, vox, '/grant-schemes/2015/allocation', {});
    const a = await allocationOf(2015);
    expect(partsOf(a)).toEqual([
      ['ostfold', '0.01'],
      ['akershus', '0.01'],
      ['oslo', '0.01'],
      ['telemark', '0.01'],
      ['vest-agder', '0.01'],
      ['troms', '0.00'],
      ['finnmark', '0.00'],
    ]);
    expect(partsOf(a)).toEqual(expectedSplit('0.05', ELIGIBLE));
    expect(a.total).toBe('0.05');
  });

  it('the largest sum the ledger takes (999 999 999 999.99) is split exactly to the øre', async () => {
    await post(t, vox, '/grant-schemes', { year: 2016, baseGrant: '999999999999.99', criteriaSetId: 'criteria-2014', judgingDate: '2016-03-01', windows: REUSE_2013 });
    await post(t, vox, '/grant-schemes/2016/allocation', {});
    const a = await allocationOf(2016);
    expect(partsOf(a)).toEqual(expectedSplit('999999999999.99', ELIGIBLE));
    expect(a.parts.reduce((s: bigint, p: any) => s + ore(p.amount), 0n)).toBe(ore('999999999999.99'));
    expect(a.total).toBe('999999999999.99');
  });

  it('a county that loses eligibility after the allocation (termination backdated before the judging date): the allocation stands until corrected, the correction re-splits among the rest', async () => {
    const f = await fo('troms');
    await post(t, f, '/counties/troms/partnership-agreements/troms-partnerskap/terminate', { effectiveFrom: '2014-02-01', reason: 'Avtalen falt bort' });
    // live eligibility follows the log; the recorded allocation does not
    const live = (await t.http().get('/grant-schemes/2014/eligibility/troms').set(vox)).body;
    expect([live.eligible, crit(live, '1').passed]).toEqual([false, false]);
    expect(await allocationOf(2014)).toEqual(allocated2014);
    await post(t, vox, '/grant-schemes/2014/allocation/corrections', { reason: 'Troms hadde ingen gyldig partnerskapsavtale på vurderingsdatoen' });
    const c = await allocationOf(2014);
    const rest = ELIGIBLE.filter((x) => x !== 'troms');
    expect(partsOf(c)).toEqual(expectedSplit('1400000.06', rest));
    expect(c.parts.reduce((s: bigint, p: any) => s + ore(p.amount), 0n)).toBe(ore('1400000.06'));
    expect(c.verdicts.find((v: any) => v.countyId === 'troms')).toMatchObject({ eligible: false, failedCriteria: ['1'] });
    expect(c.history.map((h: any) => h.kind)).toEqual(['allocated', 'corrected']);
    expect(c.history[0].parts).toEqual(allocated2014.parts);
    expect(c.correctionNo).toBe(1);
  });

  it('a termination from the day after the judging date, recorded after the allocation, changes no verdict: a correction is 422 CORRECTION_CHANGES_NOTHING and records nothing', async () => {
    await post(t, await fo('oslo'), '/counties/oslo/partnership-agreements/oslo-partnerskap/terminate', { effectiveFrom: DAY_AFTER_J, reason: 'Ny avtale fra mars' });
    expect((await t.http().get('/grant-schemes/2014/eligibility/oslo').set(vox)).body.eligible).toBe(true);
    const head = await store.headPosition();
    const res = await t.http().post('/grant-schemes/2014/allocation/corrections').set(vox).send({ reason: 'Oslo sa opp avtalen' });
    expect([res.status, res.body.code]).toEqual([422, 'BASE_GRANT.CORRECTION_CHANGES_NOTHING']);
    expect(await store.headPosition()).toBe(head);
  });

  it('the recorded allocation as of the instant before the correction still shows the first split; after it, the corrected one', async () => {
    const log = await store.readAll();
    const corr = log.find((e) => e.type === 'BaseGrantAllocationCorrected' && (e.data as any).year === 2014)!;
    const prev = log[corr.position - 2];
    if (prev.recordedAt < corr.recordedAt) {
      const before = await t.http().get(`/grant-schemes/2014/allocation?asOf=${encodeURIComponent(prev.recordedAt)}`).set(auditor);
      expect(partsOf(before.body)).toEqual(expectedSplit('1400000.06', ELIGIBLE));
    }
    const after = await t.http().get(`/grant-schemes/2014/allocation?asOf=${encodeURIComponent(corr.recordedAt)}`).set(auditor);
    expect(partsOf(after.body)).toEqual(expectedSplit('1400000.06', ELIGIBLE.filter((x) => x !== 'troms')));
  });
});
