import { startTestApp, TestApp } from '../helpers/test-app';

/**
 * Edge cases of recording, changing and withdrawing base-grant evidence, partnership agreements
 * and coordinating functions (first found in a review).
 */
describe('recording base-grant evidence and partnerships: edge cases (e2e)', () => {
  let t: TestApp;
  type Auth = { Authorization: string };
  let telemark: Auth;
  let ostfold: Auth;
  let admin: Auth;
  let vox: Auth;
  let auditor: Auth;

  const today = new Date().toISOString().slice(0, 10);
  const addDays = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

  const post = (auth: Auth, url: string, body: object, headers: Record<string, string> = {}) => t.http().post(url).set(auth).set(headers).send(body);
  const ok = async (auth: Auth, url: string, body: object) => {
    const res = await post(auth, url, body);
    if (res.status !== 200 && res.status !== 201) throw new Error(`POST ${url} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const head = () => t.store.headPosition();
  const evidenceOf = async (centreId: string) => (await t.http().get(`/centres/${centreId}/grant-evidence`).set(auditor)).body;
  const activity = (extra: object = {}) => ({ deliveredOn: '2013-03-15', kind: 'course', targetGroups: ['nav-staff'], participants: 5, description: 'Kurs for NAV-veiledere', ...extra });

  beforeAll(async () => {
    t = await startTestApp({ seed: true });
    telemark = await t.auth('finance-officer', ['telemark']);
    ostfold = await t.auth('finance-officer', ['ostfold']);
    admin = await t.auth('admin');
    vox = await t.auth('vox');
    auditor = await t.auth('auditor');
    for (const [auth, c, name] of [
      [telemark, 'telemark', 'Telemark'],
      [ostfold, 'ostfold', 'Østfold'],
    ] as const) {
      await ok(auth, '/parties', { partyId: `${c}-fk`, name: `${name} fylkeskommune`, kind: 'county-authority', countyId: c });
      await ok(auth, '/parties', { partyId: `nav-${c}`, name: `NAV ${name}`, kind: 'nav-county-office', countyId: c });
      await ok(auth, '/parties', { partyId: `${c}-kommune`, name: `${name} kommune`, kind: 'municipality', countyId: c });
    }
    await ok(telemark, '/centres', { centreId: 'skien', countyId: 'telemark', name: 'Karriere Telemark', municipality: 'Skien', openedOn: '2010-01-01' });
    await ok(telemark, '/centres', { centreId: 'notodden', countyId: 'telemark', name: 'Karriere Notodden', municipality: 'Notodden', openedOn: '2014-02-01' });
    await ok(telemark, '/centres', { centreId: 'kragero', countyId: 'telemark', name: 'Karriere Kragerø', municipality: 'Kragerø', openedOn: '2010-01-01' });
    await ok(telemark, '/centres/kragero/close', { closedOn: '2013-12-31', reason: 'Slått sammen med Skien' });
    await ok(ostfold, '/centres', { centreId: 'sarpsborg', countyId: 'ostfold', name: 'Karrieresenter Østfold', municipality: 'Sarpsborg', openedOn: '2010-01-01' });
  });

  afterAll(async () => {
    await t.close();
  });

  // ---------------- who may record, for which centre ----------------

  it("a finance officer cannot record or withdraw evidence for another county's centre (403, nothing recorded)", async () => {
    const before = await head();
    const r1 = await post(telemark, '/centres/sarpsborg/grant-evidence/competence-development', activity());
    expect([r1.status, r1.body.code]).toEqual([403, 'ACCESS.OTHER_COUNTY']);
    const r2 = await post(telemark, '/centres/sarpsborg/grant-evidence/x1/withdrawal', { reason: 'x' });
    expect([r2.status, r2.body.code]).toEqual([403, 'ACCESS.OTHER_COUNTY']);
    const r3 = await post(vox, '/centres/skien/grant-evidence/competence-development', activity());
    expect(r3.status).toBe(403);
    expect(await head()).toBe(before);
  });

  it('evidence for an unknown centre is 404 CENTRE.NOT_FOUND, for a closed one 422 CENTRE.CLOSED, nothing recorded', async () => {
    const before = await head();
    const r1 = await post(admin, '/centres/nowhere/grant-evidence/annual-reports', { year: 2013, submittedOn: '2014-02-01' });
    expect([r1.status, r1.body.code]).toEqual([404, 'CENTRE.NOT_FOUND']);
    // Kragerø is closed from 2013-12-31: a report for 2014, a year it is open on no day of, is refused
    const r2 = await post(telemark, '/centres/kragero/grant-evidence/annual-reports', { year: 2014, submittedOn: '2015-02-01' });
    expect([r2.status, r2.body.code]).toEqual([422, 'CENTRE.CLOSED']);
    const r3 = await post(telemark, '/centres/kragero/grant-evidence/competence-development', activity({ deliveredOn: '2014-01-10' }));
    expect([r3.status, r3.body.code]).toEqual([422, 'CENTRE.CLOSED']);
    expect(await head()).toBe(before);
  });

  // ---------------- dates ----------------

  it('impossible and out-of-order dates are refused with stable codes', async () => {
    const before = await head();
    const cases: [string, object, number, string][] = [
      ['user-survey-participations', { period: { from: '2013-12-31', to: '2013-01-01' } }, 422, 'PERIOD.ENDS_BEFORE_START'],
      ['user-survey-participations', { period: { from: '2013-02-30', to: '2013-12-31' } }, 400, 'DATE.INVALID'],
      ['annual-reports', { year: 2014, submittedOn: '2013-12-31' }, 422, 'ANNUAL_REPORT.SUBMITTED_BEFORE_YEAR'],
      // Two days after the UTC date: "today" is the date in Norway, a day ahead of UTC late in the evening.
      ['annual-reports', { year: 2013, submittedOn: addDays(today, 2) }, 422, 'GRANT_EVIDENCE.IN_FUTURE'],
      ['competence-development', activity({ deliveredOn: addDays(today, 2) }), 422, 'GRANT_EVIDENCE.IN_FUTURE'],
      ['competence-development', activity({ deliveredOn: '2009-12-31' }), 422, 'GRANT_EVIDENCE.BEFORE_OPENING'],
      ['service-declarations', { effectiveFrom: '2009-12-31', freeOfCharge: true, openToAllAdults: true, fromAge: 19 }, 422, 'GRANT_EVIDENCE.BEFORE_OPENING'],
      ['service-declarations', { effectiveFrom: '2013-01-01', freeOfCharge: true, openToAllAdults: true, fromAge: 19.5 }, 400, 'VALIDATION.FAILED'],
    ];
    const got = [];
    for (const [kind, body] of cases) {
      const r = await post(telemark, `/centres/skien/grant-evidence/${kind}`, body);
      got.push([kind, r.status, r.body.code]);
    }
    expect(got.map(([k, s, c]) => [k, s, s === 400 ? (c === 'DATE.INVALID' ? c : 'VALIDATION.FAILED') : c])).toEqual(cases.map(([k, , s, c]) => [k, s, c]));
    expect(await head()).toBe(before);
  });

  // ---------------- ids, withdrawals ----------------

  it('withdrawing evidence that does not exist (404), twice (409), or via another centre (404) records nothing', async () => {
    await ok(telemark, '/centres/skien/grant-evidence/competence-development', activity({ activityId: 'act-w1' }));
    const before = await head();
    const none = await post(telemark, '/centres/skien/grant-evidence/no-such/withdrawal', { reason: 'x' });
    expect([none.status, none.body.code]).toEqual([404, 'GRANT_EVIDENCE.NOT_FOUND']);
    const elsewhere = await post(telemark, '/centres/notodden/grant-evidence/act-w1/withdrawal', { reason: 'x' });
    expect([elsewhere.status, elsewhere.body.code]).toEqual([404, 'GRANT_EVIDENCE.NOT_FOUND']);
    const noReason = await post(telemark, '/centres/skien/grant-evidence/act-w1/withdrawal', {});
    expect(noReason.status).toBe(400);
    expect(await head()).toBe(before);
    expect((await post(telemark, '/centres/skien/grant-evidence/act-w1/withdrawal', { reason: 'feil' })).status).toBe(200);
    const again = await post(telemark, '/centres/skien/grant-evidence/act-w1/withdrawal', { reason: 'feil' });
    expect([again.status, again.body.code]).toEqual([409, 'GRANT_EVIDENCE.ALREADY_WITHDRAWN']);
    const reuse = await post(telemark, '/centres/skien/grant-evidence/competence-development', activity({ activityId: 'act-w1' }));
    expect([reuse.status, reuse.body.code]).toEqual([409, 'GRANT_EVIDENCE.ID_TAKEN']);
  });

  it('the same evidence id on two centres (and two counties) does not collide in the views; withdrawing one leaves the other', async () => {
    await ok(telemark, '/centres/skien/grant-evidence/annual-reports', { reportId: 'rep-2013', year: 2013, submittedOn: '2014-02-20' });
    await ok(telemark, '/centres/notodden/grant-evidence/annual-reports', { reportId: 'rep-2013', year: 2014, submittedOn: '2015-02-20' });
    await ok(ostfold, '/centres/sarpsborg/grant-evidence/annual-reports', { reportId: 'rep-2013', year: 2013, submittedOn: '2014-02-21' });
    await ok(telemark, '/centres/skien/grant-evidence/rep-2013/withdrawal', { reason: 'feil dato' });
    expect((await evidenceOf('skien')).annualReports).toEqual([]);
    expect((await evidenceOf('notodden')).annualReports.map((r: any) => [r.reportId, r.year])).toEqual([['rep-2013', 2014]]);
    expect((await evidenceOf('notodden')).withdrawn).toEqual([]);
    expect((await evidenceOf('sarpsborg')).annualReports.map((r: any) => [r.reportId, r.submittedOn])).toEqual([['rep-2013', '2014-02-21']]);
    // the year is free again on skien once withdrawn
    expect((await post(telemark, '/centres/skien/grant-evidence/annual-reports', { year: 2013, submittedOn: '2014-02-19' })).status).toBe(201);
    const dup = await post(telemark, '/centres/skien/grant-evidence/annual-reports', { year: 2013, submittedOn: '2014-02-18' });
    expect([dup.status, dup.body.code]).toEqual([409, 'ANNUAL_REPORT.ALREADY_SUBMITTED']);
  });

  it('an idempotent retry of evidence with a generated id records it once and answers the same', async () => {
    const before = await head();
    const body = activity({ description: 'Idempotent' });
    const a = await post(telemark, '/centres/skien/grant-evidence/competence-development', body, { 'Idempotency-Key': 'ev-retry-1' });
    const b = await post(telemark, '/centres/skien/grant-evidence/competence-development', body, { 'Idempotency-Key': 'ev-retry-1' });
    expect(a.status).toBe(201);
    expect(b.body).toEqual(a.body);
    expect(await head()).toBe(before + 1);
    const other = await post(telemark, '/centres/skien/grant-evidence/competence-development', { ...body, participants: 6 }, { 'Idempotency-Key': 'ev-retry-1' });
    expect([other.status, other.body.code]).toEqual([409, 'IDEMPOTENCY_KEY_REUSED']);
  });

  it('an idempotent retry of a withdrawal gets the first answer, not 409, and records once', async () => {
    await ok(telemark, '/centres/skien/grant-evidence/competence-development', activity({ activityId: 'act-w2' }));
    const before = await head();
    const a = await post(telemark, '/centres/skien/grant-evidence/act-w2/withdrawal', { reason: 'feil' }, { 'Idempotency-Key': 'wd-retry-1' });
    const b = await post(telemark, '/centres/skien/grant-evidence/act-w2/withdrawal', { reason: 'feil' }, { 'Idempotency-Key': 'wd-retry-1' });
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(b.body).toEqual(a.body);
    expect(await head()).toBe(before + 1);
  });

  it('bad bodies are 400 with nothing recorded: unknown field, countyId smuggled in, empty target groups, float participants', async () => {
    const before = await head();
    const bodies = [
      { ...activity(), countyId: 'ostfold' },
      activity({ targetGroups: [] }),
      activity({ targetGroups: ['nav-staff', 'nav-staff'] }),
      activity({ participants: 2.5 }),
      activity({ participants: 0 }),
      activity({ kind: 'party' }),
    ];
    const statuses = [];
    for (const b of bodies) statuses.push((await post(telemark, '/centres/skien/grant-evidence/competence-development', b)).status);
    expect(statuses.every((s) => s >= 400 && s < 500)).toBe(true);
    expect(await head()).toBe(before);
  });

  // ---------------- partnership agreements ----------------

  it('a partnership agreement without the NAV county office is recorded (it is only judged), but another county cannot record it', async () => {
    const other = await post(ostfold, '/counties/telemark/partnership-agreements', { partnershipId: 'p-x', parties: ['telemark-fk', 'telemark-kommune'], signedOn: '2012-01-01', period: { from: '2012-01-01', to: '2012-12-31' } });
    expect([other.status, other.body.code]).toEqual([403, 'ACCESS.OTHER_COUNTY']);
    const r = await post(telemark, '/counties/telemark/partnership-agreements', { partnershipId: 'p-2012', parties: ['telemark-fk', 'telemark-kommune'], signedOn: '2012-01-01', period: { from: '2012-01-01', to: '2012-12-31' } });
    expect(r.status).toBe(201);
  });

  it('overlapping partnership agreements are refused; termination twice is 409; amending a terminated one is 409', async () => {
    await ok(telemark, '/counties/telemark/partnership-agreements', { partnershipId: 'p-2013', parties: ['telemark-fk', 'nav-telemark'], signedOn: '2013-01-01', period: { from: '2013-01-01', to: null } });
    const before = await head();
    const overlap = await post(telemark, '/counties/telemark/partnership-agreements', { partnershipId: 'p-other', parties: ['telemark-fk', 'nav-telemark'], signedOn: '2014-01-01', period: { from: '2014-01-01', to: null } });
    expect([overlap.status, overlap.body.code]).toEqual([409, 'PARTNERSHIP.OVERLAPS']);
    const backwards = await post(telemark, '/counties/telemark/partnership-agreements', { partnershipId: 'p-back', parties: ['telemark-fk', 'nav-telemark'], signedOn: '2011-01-01', period: { from: '2011-06-01', to: '2011-01-01' } });
    expect([backwards.status, backwards.body.code]).toEqual([422, 'AGREEMENT.ENDS_BEFORE_START']);
    const dupParty = await post(telemark, '/counties/telemark/partnership-agreements', { partnershipId: 'p-dup', parties: ['telemark-fk', 'telemark-fk'], signedOn: '2011-01-01', period: { from: '2011-01-01', to: '2011-06-01' } });
    expect(dupParty.status).toBeGreaterThanOrEqual(400);
    expect(dupParty.status).toBeLessThan(500);
    const unknownParty = await post(telemark, '/counties/telemark/partnership-agreements', { partnershipId: 'p-unk', parties: ['telemark-fk', 'nav-nowhere'], signedOn: '2011-01-01', period: { from: '2011-01-01', to: '2011-06-01' } });
    expect([unknownParty.status, unknownParty.body.code]).toEqual([404, 'PARTY.NOT_FOUND']);
    expect(await head()).toBe(before);
    expect((await post(telemark, '/counties/telemark/partnership-agreements/p-2013/terminate', { effectiveFrom: '2016-01-01' })).status).toBe(200);
    const twice = await post(telemark, '/counties/telemark/partnership-agreements/p-2013/terminate', { effectiveFrom: '2016-01-01' });
    expect([twice.status, twice.body.code]).toEqual([409, 'AGREEMENT.TERMINATED']);
    const amend = await post(telemark, '/counties/telemark/partnership-agreements/p-2013/amend', { effectiveFrom: '2015-01-01', parties: ['telemark-fk', 'nav-telemark'], period: { from: '2013-01-01', to: null } });
    expect([amend.status, amend.body.code]).toEqual([409, 'AGREEMENT.TERMINATED']);
    const unknown = await post(telemark, '/counties/telemark/partnership-agreements/p-none/terminate', { effectiveFrom: '2016-01-01' });
    expect([unknown.status, unknown.body.code]).toEqual([404, 'PARTNERSHIP.NOT_FOUND']);
  });

  it.each(['constructor', 'toString', 'valueOf', 'hasOwnProperty'])('a partnership agreement may be called %s (a valid id) and is then terminable', async (id) => {
    // Østfold has no agreement yet; each id gets its own non-overlapping year.
    const year = 2000 + ['constructor', 'toString', 'valueOf', 'hasOwnProperty'].indexOf(id);
    const signed = await post(ostfold, '/counties/ostfold/partnership-agreements', { partnershipId: id, parties: ['ostfold-fk', 'nav-ostfold'], signedOn: `${year}-01-01`, period: { from: `${year}-01-01`, to: `${year}-12-31` } });
    expect([signed.status, signed.body.code]).toEqual([201, undefined]);
    const terminated = await post(ostfold, `/counties/ostfold/partnership-agreements/${id}/terminate`, { effectiveFrom: `${year}-06-01` });
    expect([terminated.status, terminated.body.code]).toEqual([200, undefined]);
  });

  it('amending a partnership agreement that was never signed, with an id like "valueOf", is 404 PARTNERSHIP.NOT_FOUND', async () => {
    const r = await post(telemark, '/counties/telemark/partnership-agreements/valueOf/amend', { effectiveFrom: '2015-01-01', parties: ['telemark-fk', 'nav-telemark'], period: { from: '2013-01-01', to: null } });
    expect([r.status, r.body.code]).toEqual([404, 'PARTNERSHIP.NOT_FOUND']);
  });

  // ---------------- coordinating function ----------------

  it('coordinating function: overlapping assignment is 409, end before start 422, unknown holder 404', async () => {
    await ok(telemark, '/counties/telemark/coordinating-function', { holderPartyId: 'telemark-fk', description: 'Koordinerer', from: '2013-01-01', to: null });
    const before = await head();
    const overlap = await post(telemark, '/counties/telemark/coordinating-function', { holderPartyId: 'nav-telemark', description: 'Koordinerer', from: '2014-01-01', to: null });
    expect([overlap.status, overlap.body.code]).toEqual([409, 'COORDINATING_FUNCTION.OVERLAPS']);
    const backwards = await post(telemark, '/counties/telemark/coordinating-function', { holderPartyId: 'nav-telemark', description: 'Koordinerer', from: '2012-06-01', to: '2012-01-01' });
    expect([backwards.status, backwards.body.code]).toEqual([422, 'COORDINATING_FUNCTION.ENDS_BEFORE_START']);
    const unknownHolder = await post(telemark, '/counties/telemark/coordinating-function', { holderPartyId: 'nobody', description: 'Koordinerer', from: '2011-01-01', to: '2011-12-31' });
    expect([unknownHolder.status, unknownHolder.body.code]).toEqual([404, 'PARTY.NOT_FOUND']);
    const endNotHeld = await post(telemark, '/counties/telemark/coordinating-function/end', { holderPartyId: 'nav-telemark', endedOn: '2014-06-30' });
    expect([endNotHeld.status, endNotHeld.body.code]).toEqual([422, 'COORDINATING_FUNCTION.NOT_HELD']);
    expect(await head()).toBe(before);
  });

  it('handing over: end the holder, then assign the next from the following day', async () => {
    await ok(telemark, '/counties/telemark/coordinating-function/end', { holderPartyId: 'telemark-fk', endedOn: '2014-06-30' });
    const r = await post(telemark, '/counties/telemark/coordinating-function', { holderPartyId: 'nav-telemark', description: 'Koordinerer', from: '2014-07-01', to: null });
    expect(r.status).toBe(201);
    const p = (await t.http().get('/counties/telemark/partnership').query({ date: '2014-07-01' }).set(auditor)).body;
    expect(JSON.stringify(p)).toContain('nav-telemark');
  });

  it('ending a coordinating function that was already ended on that very day records nothing (no duplicate end event)', async () => {
    const before = await head();
    const r = await post(telemark, '/counties/telemark/coordinating-function/end', { holderPartyId: 'telemark-fk', endedOn: '2014-06-30' });
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(r.status).toBeLessThan(500);
    expect([r.status, r.body.code]).toEqual([409, 'COORDINATING_FUNCTION.ALREADY_ENDED']);
    expect(r.body.message).toContain('already ends on 2014-06-30');
    expect(await head()).toBe(before);
  });

  it('ending a coordinating function again with an earlier date shortens it', async () => {
    await ok(telemark, '/counties/telemark/coordinating-function/end', { holderPartyId: 'telemark-fk', endedOn: '2014-03-31' });
    const p = (await t.http().get('/counties/telemark/partnership').query({ date: '2014-04-01' }).set(auditor)).body;
    expect(p.coordinatingFunction).toBeNull();
    const held = (await t.http().get('/counties/telemark/partnership').query({ date: '2014-03-31' }).set(auditor)).body;
    expect(JSON.stringify(held.coordinatingFunction)).toContain('telemark-fk');
  });

  it('a term recorded after a later term of the same holder can still be ended early (the holder held it that day)', async () => {
    // Østfold: the county authority holds the function from 2015 (recorded first), and held it in
    // 2010-2012 (backfilled later). It actually gave it up on 2011-06-30.
    await ok(ostfold, '/counties/ostfold/coordinating-function', { holderPartyId: 'ostfold-fk', description: 'Koordinerer', from: '2015-01-01', to: null });
    await ok(ostfold, '/counties/ostfold/coordinating-function', { holderPartyId: 'ostfold-fk', description: 'Koordinerer', from: '2010-01-01', to: '2012-12-31' });
    const r = await post(ostfold, '/counties/ostfold/coordinating-function/end', { holderPartyId: 'ostfold-fk', endedOn: '2011-06-30' });
    expect([r.status, r.body.code]).toEqual([200, undefined]);
    const p = (await t.http().get('/counties/ostfold/partnership').query({ date: '2012-01-01' }).set(auditor)).body;
    expect(p.coordinatingFunction).toBeNull();
  });

  it('ending that backfilled term again on its new last day is 409 COORDINATING_FUNCTION.ALREADY_ENDED; the later term is untouched', async () => {
    const before = await head();
    const r = await post(ostfold, '/counties/ostfold/coordinating-function/end', { holderPartyId: 'ostfold-fk', endedOn: '2011-06-30' });
    expect([r.status, r.body.code]).toEqual([409, 'COORDINATING_FUNCTION.ALREADY_ENDED']);
    expect(await head()).toBe(before);
    const p = (await t.http().get('/counties/ostfold/partnership').query({ date: '2016-01-01' }).set(auditor)).body;
    expect(JSON.stringify(p.coordinatingFunction)).toContain('ostfold-fk');
  });

  // ---------------- opening date ----------------

  it('an annual report submitted before the centre opened is 422 GRANT_EVIDENCE.BEFORE_OPENING, as the other kinds are; submitted after, for a year that ended before the opening, 422 ANNUAL_REPORT.YEAR_BEFORE_OPENING', async () => {
    // Notodden opened on 2014-02-01.
    const before = await head();
    const r = await post(telemark, '/centres/notodden/grant-evidence/annual-reports', { year: 2013, submittedOn: '2014-01-31' });
    expect([r.status, r.body.code]).toEqual([422, 'GRANT_EVIDENCE.BEFORE_OPENING']);
    const onOpening = await post(telemark, '/centres/notodden/grant-evidence/annual-reports', { year: 2013, submittedOn: '2014-02-01' });
    expect([onOpening.status, onOpening.body.code]).toEqual([422, 'ANNUAL_REPORT.YEAR_BEFORE_OPENING']);
    expect(await head()).toBe(before);
  });
});
