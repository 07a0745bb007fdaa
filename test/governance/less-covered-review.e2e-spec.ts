import { MemoryEventStore } from '../../libs/event-store/src/memory-event-store';
import { startTestApp, TestApp } from '../helpers/test-app';
import { recordCounty } from '../grants/grants-fixture';

/**
 * Adversarial review of the less-reviewed command areas: stimulus grants, parties, co-location,
 * partnership agreements and the coordinating function, the county line, the grant scheme and the
 * split, and how they show in the read answers (partnership, profile, NAV link, eligibility, as-of).
 * Each test asserts what README/DOMAIN.md (or a serious ledger) says should happen.
 */
describe('less-covered command areas: adversarial review', () => {
  const store = new MemoryEventStore();
  let t: TestApp;
  let admin: { Authorization: string };
  let vox: { Authorization: string };
  let auditor: { Authorization: string };
  let foTel: { Authorization: string };
  let foTroms: { Authorization: string };
  const post = (path: string, body: object, auth: { Authorization: string }, headers: Record<string, string> = {}) => t.http().post(path).set(auth).set(headers).send(body);
  const get = (path: string, auth: { Authorization: string } = auditor) => t.http().get(path).set(auth);
  const ok = async (p: Promise<any>) => {
    const res = await p;
    if (res.status >= 300) throw new Error(`answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res;
  };
  const today = () => new Date().toISOString().slice(0, 10);
  const head = () => store.headPosition();

  beforeAll(async () => {
    t = await startTestApp({ store, seed: true });
    admin = await t.auth('admin', [], 'rv-admin');
    vox = await t.auth('vox', [], 'rv-vox');
    auditor = await t.auth('auditor', [], 'rv-auditor');
    foTel = await t.auth('finance-officer', ['telemark'], 'rv-fo-telemark');
    foTroms = await t.auth('finance-officer', ['troms'], 'rv-fo-troms');
    // Telemark: eligible for 2014 (partnership signed 2013-09-01, coordinating function, one centre with evidence).
    await recordCounty(t, 'telemark', 'Telemark', [{ centreId: 'rv-skien', name: 'KC Telemark', municipality: 'Skien' }]);
    await ok(post('/parties', { partyId: 'troms-fk', name: 'Troms fylkeskommune', kind: 'county-authority', countyId: 'troms' }, foTroms));
    await ok(post('/parties', { partyId: 'nav-troms', name: 'NAV Troms', kind: 'nav-county-office', countyId: 'troms' }, foTroms));
    await ok(post('/parties', { partyId: 'tromso-kommune', name: 'Tromsø kommune', kind: 'municipality', countyId: 'troms' }, foTroms));
    await ok(post('/centres', { centreId: 'rv-tromso', countyId: 'troms', name: 'KC Tromsø', municipality: 'Tromsø', openedOn: '2012-06-01' }, foTroms));
  });
  afterAll(() => t.close());

  // ---------- parties ----------

  it('parties: a name of only spaces is refused (400) on register and on rename, and nothing is recorded', async () => {
    const before = await head();
    const reg = await post('/parties', { partyId: 'rv-blank', name: '   ', kind: 'union' }, admin);
    expect(reg.status).toBe(400);
    const rn = await post('/parties/nav-troms/rename', { name: ' \u00a0 ' }, foTroms);
    expect(rn.status).toBe(400);
    expect(await head()).toBe(before);
  });

  it('parties: GET /parties?kind= with a kind that does not exist is 400 REQUEST.BAD_FILTER (as ?status on /stimulus-grants), not an empty list', async () => {
    const res = await get('/parties?kind=bank');
    expect([res.status, res.body.code]).toEqual([400, 'REQUEST.BAD_FILTER']);
  });

  it('parties: prototype-named party ids are registered, read and renamed like any other', async () => {
    await ok(post('/parties', { partyId: 'constructor', name: 'Constructor AS', kind: 'other' }, admin));
    await ok(post('/parties/constructor/rename', { name: 'Constructor ASA' }, admin));
    const one = await get('/parties/constructor');
    expect([one.status, one.body.name]).toEqual([200, 'Constructor ASA']);
    const unknown = await get('/parties/toString');
    expect([unknown.status, unknown.body.code]).toEqual([404, 'PARTY.NOT_FOUND']);
  });

  // ---------- partnership ----------

  it('partnership: the county partnership answer on a day before the agreement was signed shows no agreement in force, as the eligibility does', async () => {
    // Signed on 2014-06-01, with a period backdated to 2014-01-01.
    await ok(post('/counties/troms/partnership-agreements', { partnershipId: 'troms-2014', parties: ['troms-fk', 'nav-troms'], signedOn: '2014-06-01', period: { from: '2014-01-01', to: null } }, foTroms));
    const p = await get('/counties/troms/partnership?date=2014-03-01');
    expect(p.status).toBe(200);
    // Not yet signed on 2014-03-01: not "in force" (README: signed, within its period, not terminated).
    expect(p.body.agreement).toBeNull();
    const profile = await get('/centres/rv-tromso/governance?date=2014-03-01');
    expect(profile.body.partnership.agreement).toBeNull();
  });

  it('partnership: an agreement cannot be recorded as signed on a day that has not come yet (422), and nothing is recorded', async () => {
    const fo = await t.auth('finance-officer', ['nordland']);
    await ok(post('/parties', { partyId: 'nordland-fk', name: 'Nordland fylkeskommune', kind: 'county-authority', countyId: 'nordland' }, fo));
    await ok(post('/parties', { partyId: 'nav-nordland', name: 'NAV Nordland', kind: 'nav-county-office', countyId: 'nordland' }, fo));
    const before = await head();
    const res = await post('/counties/nordland/partnership-agreements', { partnershipId: 'rv-future', parties: ['nordland-fk', 'nav-nordland'], signedOn: '2099-01-01', period: { from: '2014-01-01', to: null } }, fo);
    expect(res.status).toBe(422);
    expect(await head()).toBe(before);
  });

  it('partnership: leap days and impossible dates (400 DATE.INVALID); another county\'s officer 403; unknown prototype-named parties 404', async () => {
    const bad = await post('/counties/troms/partnership-agreements', { partnershipId: 'rv-leap', parties: ['troms-fk', 'nav-troms'], signedOn: '2015-02-29', period: { from: '2015-03-01', to: null } }, foTroms);
    expect([bad.status, bad.body.code]).toEqual([400, 'DATE.INVALID']);
    const other = await post('/counties/troms/partnership-agreements', { partnershipId: 'rv-other', parties: ['troms-fk', 'nav-troms'], signedOn: '2016-02-29', period: { from: '2016-02-29', to: null } }, foTel);
    expect([other.status, other.body.code]).toEqual([403, 'ACCESS.OTHER_COUNTY']);
    const proto = await post('/counties/troms/partnership-agreements', { partnershipId: 'toString', parties: ['valueOf', 'hasOwnProperty'], signedOn: '2013-01-01', period: { from: '2013-01-01', to: '2013-12-31' } }, foTroms);
    expect([proto.status, proto.body.code]).toEqual([404, 'PARTY.NOT_FOUND']);
  });

  it('coordinating function: an end before the start of the only term is 422; the partnership answer follows an end as of a recorded time', async () => {
    await ok(post('/counties/troms/coordinating-function', { holderPartyId: 'troms-fk', description: 'Koordinerer', from: '2014-01-01' }, foTroms));
    const early = await post('/counties/troms/coordinating-function/end', { holderPartyId: 'troms-fk', endedOn: '2013-12-31' }, foTroms);
    expect([early.status, early.body.code]).toEqual([422, 'COORDINATING_FUNCTION.ENDS_BEFORE_START']);
    const mark = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 15));
    await ok(post('/counties/troms/coordinating-function/end', { holderPartyId: 'troms-fk', endedOn: '2014-12-31' }, foTroms));
    const now = await get('/counties/troms/partnership?date=2015-01-01');
    expect(now.body.coordinatingFunction).toBeNull();
    const then = await get(`/counties/troms/partnership?date=2015-01-01&asOf=${encodeURIComponent(mark)}`);
    expect(then.body.coordinatingFunction?.holderPartyId).toBe('troms-fk');
  });

  // ---------- co-location ----------

  it('co-location: premises cannot be recorded from a day before the centre opened (422), and nothing is recorded', async () => {
    const before = await head();
    const res = await post('/centres/rv-tromso/co-locations', { from: '2011-01-01', premises: 'NAV-huset, Tromsø', sharedWith: [{ kind: 'nav-county-office', partyId: 'nav-troms' }] }, foTroms);
    expect(res.status).toBe(422);
    expect(await head()).toBe(before);
    // The NAV link must not claim a co-location for a day the centre did not exist.
    const link = await get('/centres/rv-tromso/nav-link?date=2011-06-01');
    expect(link.body.grounds?.coLocated?.holds ?? false).toBe(false);
  });

  it('co-location: a centre with a closure recorded for a later date is still open before it; its premises can be recorded for a day it is open', async () => {
    await ok(post('/centres', { centreId: 'rv-closing', countyId: 'troms', name: 'KC Harstad', municipality: 'Harstad', openedOn: '2010-01-01' }, foTroms));
    await ok(post('/centres/rv-closing/close', { closedOn: '2099-01-01', reason: 'Planned merger' }, foTroms));
    const profile = await get(`/centres/rv-closing/governance?date=${today()}`);
    expect(profile.body.open).toBe(true);
    const res = await post('/centres/rv-closing/co-locations', { from: '2012-01-01', premises: 'Rådhuset', sharedWith: [] }, foTroms);
    expect(res.status).toBe(201);
  });

  it('co-location: a NAV kind naming a party that is not NAV is refused (422), so the NAV link never reports a municipality as NAV', async () => {
    const before = await head();
    const res = await post('/centres/rv-tromso/co-locations', { from: '2013-05-01', premises: 'Rådhuset', sharedWith: [{ kind: 'nav-local-office', partyId: 'tromso-kommune' }] }, foTroms);
    expect(res.status).toBe(422);
    expect(await head()).toBe(before);
  });

  it('co-location: a prototype-named unregistered party is 404 PARTY.NOT_FOUND, not a 500', async () => {
    const res = await post('/centres/rv-skien/co-locations', { from: '2013-02-01', premises: 'X', sharedWith: [{ kind: 'other', partyId: 'toString' }] }, foTel);
    expect([res.status, res.body.code]).toEqual([404, 'PARTY.NOT_FOUND']);
  });

  // ---------- county line ----------

  it('county line: a decision dated before a centre it names opened is refused (422), and nothing is recorded', async () => {
    const before = await head();
    const res = await post('/counties/troms/county-line-decisions', { decisionId: 'rv-old', centreIds: ['rv-tromso'], kind: 'budget', year: 2011, title: 'Budsjett 2011', content: { lines: [{ partyId: 'troms-fk', moneyKind: 'operating-grant', amount: '100.00' }] }, decidedOn: '2011-01-15' }, foTroms);
    expect(res.status).toBe(422);
    expect(await head()).toBe(before);
  });

  it('county line: leap day 2013-02-29 is 400 DATE.INVALID; a decision id named like a prototype member is recorded once, then 409', async () => {
    const body = (decidedOn: string) => ({ decisionId: 'constructor', centreIds: ['rv-tromso'], kind: 'goals', year: 2013, title: 'Mål 2013', content: { goals: ['Flere voksne får veiledning'] }, decidedOn });
    const leap = await post('/counties/troms/county-line-decisions', body('2013-02-29'), foTroms);
    expect([leap.status, leap.body.code]).toEqual([400, 'DATE.INVALID']);
    await ok(post('/counties/troms/county-line-decisions', body('2013-02-28'), foTroms));
    const again = await post('/counties/troms/county-line-decisions', body('2013-03-01'), foTroms);
    expect([again.status, again.body.code]).toEqual([409, 'COUNTY_LINE.DECISION_EXISTS']);
    const list = await get('/counties/troms/county-line-decisions');
    expect(list.status).toBe(200);
    expect(list.body.filter((d: any) => d.decisionId === 'constructor')).toHaveLength(1);
  });

  // ---------- stimulus grants ----------

  it('stimulus: development work in a centre cannot be applied for on a day before the centre opened (422), and nothing is recorded', async () => {
    const before = await head();
    const res = await post('/stimulus-grants', { applicationId: 'rv-dev-early', countyId: 'troms', year: 2012, purpose: 'development', amountAsked: '1000.00', description: 'Utvikling', centreId: 'rv-tromso', appliedOn: '2012-01-10' }, foTroms);
    expect(res.status).toBe(422);
    expect(await head()).toBe(before);
  });

  it('stimulus: a rejection reason or a description of only spaces is refused (400), and nothing is recorded', async () => {
    await ok(post('/stimulus-grants', { applicationId: 'rv-blank-reason', countyId: 'troms', year: 2014, purpose: 'development', amountAsked: '1000.00', description: 'Utvikling', centreId: 'rv-tromso', appliedOn: '2014-01-10' }, foTroms));
    const before = await head();
    const rej = await post('/stimulus-grants/rv-blank-reason/rejection', { reason: '   ' }, vox);
    expect(rej.status).toBe(400);
    const desc = await post('/stimulus-grants', { applicationId: 'rv-blank-desc', countyId: 'troms', year: 2014, purpose: 'development', amountAsked: '1000.00', description: ' \t ', centreId: 'rv-tromso', appliedOn: '2014-01-10' }, foTroms);
    expect(desc.status).toBe(400);
    expect(await head()).toBe(before);
  });

  it('stimulus: development in a centre with a closure recorded for a later date can be applied for while it is open', async () => {
    const res = await post('/stimulus-grants', { applicationId: 'rv-dev-closing', countyId: 'troms', year: 2014, purpose: 'development', amountAsked: '1000.00', description: 'Utvikling', centreId: 'rv-closing', appliedOn: '2014-01-10' }, foTroms);
    expect(res.status).toBe(201);
  });

  it('stimulus: priority at the boundaries: a centre opening on the application day counts (not prioritised); one closed from that day does not (prioritised)', async () => {
    const fo = await t.auth('finance-officer', ['finnmark', 'hordaland']);
    await ok(post('/centres', { centreId: 'rv-alta', countyId: 'finnmark', name: 'KC Alta', municipality: 'Alta', openedOn: '2014-02-01' }, fo));
    await ok(post('/centres', { centreId: 'rv-bergen', countyId: 'hordaland', name: 'KC Bergen', municipality: 'Bergen', openedOn: '2010-01-01' }, fo));
    await ok(post('/centres/rv-bergen/close', { closedOn: '2014-02-01', reason: 'Nedlagt' }, fo));
    await ok(post('/stimulus-grants', { applicationId: 'rv-fin-est', countyId: 'finnmark', year: 2014, purpose: 'establish-centre', amountAsked: '700000.00', description: 'Etablering', appliedOn: '2014-02-01' }, fo));
    await ok(post('/stimulus-grants', { applicationId: 'rv-hor-est', countyId: 'hordaland', year: 2014, purpose: 'establish-centre', amountAsked: '700000.00', description: 'Etablering', appliedOn: '2014-02-01' }, fo));
    const fin = await get('/stimulus-grants/rv-fin-est');
    const hor = await get('/stimulus-grants/rv-hor-est');
    expect([fin.body.prioritised, hor.body.prioritised]).toEqual([false, true]);
  });

  it('stimulus: appliedOn 2014-02-29 is 400 DATE.INVALID; 2012-02-29 is a real day; a prototype-named application id reads back', async () => {
    const bad = await post('/stimulus-grants', { applicationId: 'rv-leap', countyId: 'troms', year: 2014, purpose: 'establish-centre', amountAsked: '1.00', description: 'x', appliedOn: '2014-02-29' }, foTroms);
    expect([bad.status, bad.body.code]).toEqual([400, 'DATE.INVALID']);
    await ok(post('/stimulus-grants', { applicationId: 'valueOf', countyId: 'troms', year: 2012, purpose: 'establish-centre', amountAsked: '0.01', description: 'x', appliedOn: '2012-02-29' }, foTroms));
    const one = await get('/stimulus-grants/valueOf');
    expect([one.status, one.body.amountAsked, one.body.appliedOn]).toEqual([200, '0.01', '2012-02-29']);
    const list = await get('/stimulus-grants?year=2012');
    expect(list.body.map((s: any) => s.applicationId)).toContain('valueOf');
  });

  it('stimulus: an idempotent retry of an award gets the first answer; the same key with another amount is 409; as of before the application it is unknown', async () => {
    const mark = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 15));
    await ok(post('/stimulus-grants', { applicationId: 'rv-idem', countyId: 'troms', year: 2014, purpose: 'establish-centre', amountAsked: '500.00', description: 'x', appliedOn: '2014-01-02' }, foTroms));
    const a = await ok(post('/stimulus-grants/rv-idem/award', { amount: '499.99' }, vox, { 'Idempotency-Key': 'rv-award-1' }));
    const b = await ok(post('/stimulus-grants/rv-idem/award', { amount: '499.99' }, vox, { 'Idempotency-Key': 'rv-award-1' }));
    expect(b.body).toEqual(a.body);
    const c = await post('/stimulus-grants/rv-idem/award', { amount: '500.00' }, vox, { 'Idempotency-Key': 'rv-award-1' });
    expect([c.status, c.body.code]).toEqual([409, 'IDEMPOTENCY_KEY_REUSED']);
    const then = await get(`/stimulus-grants/rv-idem?asOf=${encodeURIComponent(mark)}`);
    expect([then.status, then.body.code]).toEqual([404, 'STIMULUS_GRANT.NOT_FOUND']);
    const now = await get('/stimulus-grants/rv-idem');
    expect([now.body.status, now.body.amountAwarded]).toEqual(['awarded', '499.99']);
  });

  // ---------- the grant scheme and the split ----------

  it('scheme: impossible judging dates and window dates are 400; nothing is recorded', async () => {
    const before = await head();
    const j = await post('/grant-schemes', { year: 2013, baseGrant: '1.00', criteriaSetId: 'criteria-2014', judgingDate: '2013-02-29' }, vox);
    expect([j.status, j.body.code]).toEqual([400, 'GRANT_SCHEME.JUDGING_DATE_INVALID']);
    const w = await post('/grant-schemes', { year: 2013, baseGrant: '1.00', criteriaSetId: 'criteria-2014', judgingDate: '2013-03-01', windows: { userSurvey: { to: '2012-02-30' } } }, vox);
    expect([w.status, w.body.code]).toEqual([400, 'GRANT_SCHEME.WINDOW_INVALID_DATE']);
    expect(await head()).toBe(before);
  });

  it('scheme: an amendment reason of only spaces is refused (400)', async () => {
    await ok(post('/grant-schemes', { year: 2016, baseGrant: '100.00', criteriaSetId: 'criteria-2014', judgingDate: '2016-02-29' }, vox));
    const before = await head();
    const res = await post('/grant-schemes/2016/amendments', { baseGrant: '200.00', reason: '   ' }, vox);
    expect(res.status).toBe(400);
    expect(await head()).toBe(before);
  });

  it('split: a county number is unique: registering a second county with number 08 is refused (the remainder rule orders by it)', async () => {
    const before = await head();
    const res = await post('/counties', { countyId: 'rv-telemark-2', name: 'Telemark II', countyNumber: '08' }, admin);
    expect(res.status).toBe(409);
    expect(await head()).toBe(before);
  });

  it('split: a sum smaller than the number of eligible counties still adds up exactly; remainder øre go in ascending county number', async () => {
    // Troms is made eligible too: a partnership in force on the judging date and a centre with all the evidence.
    const fo = foTroms;
    await ok(post('/grant-schemes', { year: 2015, baseGrant: '0.01', criteriaSetId: 'criteria-2014', judgingDate: '2015-03-01', windows: { coordinatingFunction: { from: '2014-12-01', to: '2014-12-01' } } }, vox));
    const base = '/centres/rv-tromso/grant-evidence';
    await ok(post(`${base}/service-declarations`, { effectiveFrom: '2013-01-01', freeOfCharge: true, openToAllAdults: true, fromAge: 19 }, fo));
    for (const [i, g] of ['primary-lower-secondary-counsellors', 'upper-secondary-counsellors', 'nav-staff'].entries()) {
      await ok(post(`${base}/competence-development`, { deliveredOn: `2014-0${i + 3}-15`, kind: 'course', targetGroups: [g], participants: 5, description: 'Kurs' }, fo));
    }
    await ok(post(`${base}/user-survey-participations`, { period: { from: '2014-01-01', to: '2014-12-31' } }, fo));
    await ok(post(`${base}/annual-reports`, { year: 2014, submittedOn: '2015-02-01' }, fo));
    const skien = '/centres/rv-skien/grant-evidence';
    await ok(post(`${skien}/user-survey-participations`, { period: { from: '2014-01-01', to: '2014-12-31' } }, foTel));
    await ok(post(`${skien}/annual-reports`, { year: 2014, submittedOn: '2015-02-01' }, foTel));
    await ok(post(`${skien}/competence-development`, { deliveredOn: '2014-05-05', kind: 'course', targetGroups: ['primary-lower-secondary-counsellors', 'upper-secondary-counsellors', 'nav-staff'], participants: 5, description: 'Kurs' }, foTel));
    const elig = await get('/grant-schemes/2015/eligibility?detail=summary');
    const eligible = elig.body.counties.filter((c: any) => c.eligible).map((c: any) => c.countyId);
    expect(eligible).toEqual(expect.arrayContaining(['telemark', 'troms']));
    await ok(post('/grant-schemes/2015/allocation', {}, vox));
    const a = await get('/grant-schemes/2015/allocation');
    expect([a.body.baseGrant, a.body.total, a.body.eligibleCount]).toEqual(['0.01', '0.01', 2]);
    // Telemark (08) comes before Troms (19): it gets the one øre; the parts add up to the sum exactly.
    expect(a.body.parts.map((p: any) => [p.countyId, p.amount, p.remainderOre])).toEqual([
      ['telemark', '0.01', 1],
      ['troms', '0.00', 0],
    ]);
  });
  // ---------- ambiguous: README/DOMAIN.md is silent; each test states the recommended decision ----------
  describe('ambiguous (README silent): recommended decisions', () => {
    it('parties: the same organisation number cannot be registered as two parties (409)', async () => {
      await ok(post('/parties', { partyId: 'rv-org-a', name: 'Troms fylkeskommune (org)', kind: 'county-authority', countyId: 'troms', organisationNumber: '974600951' }, foTroms));
      const before = await head();
      const dup = await post('/parties', { partyId: 'rv-org-b', name: 'Troms FK igjen', kind: 'county-authority', countyId: 'troms', organisationNumber: '974600951' }, foTroms);
      expect(dup.status).toBe(409);
      expect(await head()).toBe(before);
    });

    it('co-location: a shared-with entry must name a party or a name (an anonymous "other" says nothing)', async () => {
      const before = await head();
      const res = await post('/centres/rv-skien/co-locations', { from: '2013-01-01', premises: 'Kulturhuset', sharedWith: [{ kind: 'other', partyId: null, name: null }] }, foTel);
      expect(res.status).toBe(400);
      expect(await head()).toBe(before);
    });

    it('county line: a decision dated in the future is refused (422): the ledger records decisions taken', async () => {
      const before = await head();
      const res = await post('/counties/troms/county-line-decisions', { decisionId: 'rv-future', centreIds: ['rv-tromso'], kind: 'budget', year: 2099, title: 'Budsjett 2099', content: { lines: [{ partyId: 'troms-fk', moneyKind: 'operating-grant', amount: '100.00' }] }, decidedOn: '2099-01-15' }, foTroms);
      expect(res.status).toBe(422);
      expect(await head()).toBe(before);
    });

    it('scheme: a window that ends after the judging date is refused: the verdicts are those "on the day Vox judges"', async () => {
      const before = await head();
      const res = await post('/grant-schemes', { year: 2017, baseGrant: '100.00', criteriaSetId: 'criteria-2014', judgingDate: '2017-03-01', windows: { competenceDevelopment: { to: '2017-12-31' } } }, vox);
      expect(res.status).toBe(422);
      expect(await head()).toBe(before);
    });

    it('parties: a county authority or NAV county office is a county-level party: registering one without a county is refused (400/422)', async () => {
      const res = await post('/parties', { partyId: 'rv-ca-nowhere', name: 'Fylkeskommunen', kind: 'county-authority' }, foTel);
      expect([400, 422]).toContain(res.status);
    });

    it('parties: a finance officer of one county cannot rename a national party (no county) that every county relies on (403)', async () => {
      await ok(post('/parties', { partyId: 'rv-vox', name: 'Vox', kind: 'vox' }, admin));
      const res = await post('/parties/rv-vox/rename', { name: 'Troms sin Vox' }, foTroms);
      expect(res.status).toBe(403);
    });

    it('parties: a rename to the same name in another Unicode form (NFD "Ø") or with edge spaces changes nothing and records nothing', async () => {
      await ok(post('/parties', { partyId: 'rv-ostfold-fk', name: 'Østfold fylkeskommune', kind: 'county-authority', countyId: 'ostfold' }, admin));
      const before = await head();
      await ok(post('/parties/rv-ostfold-fk/rename', { name: 'Østfold fylkeskommune'.normalize('NFD') }, admin));
      await ok(post('/parties/rv-ostfold-fk/rename', { name: ' Østfold fylkeskommune ' }, admin));
      expect(await head()).toBe(before);
    });

    it('stimulus: an application to establish a centre does not name an existing centre (400)', async () => {
      const res = await post('/stimulus-grants', { applicationId: 'rv-est-existing', countyId: 'troms', year: 2014, purpose: 'establish-centre', amountAsked: '1.00', description: 'x', centreId: 'rv-tromso', appliedOn: '2014-01-10' }, foTroms);
      expect(res.status).toBe(400);
    });
  });
});
