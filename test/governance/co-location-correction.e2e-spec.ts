import { startTestApp, TestApp } from '../helpers/test-app';

/**
 * Correcting and withdrawing a centre's premises record (co-location): new events, never an erasure.
 * The listing shows the records standing with their corrections and the ones withdrawn; the NAV link's
 * co-located ground judges the records as corrected (a withdrawn one no longer counts); an as-of answer
 * before the correction shows the record as it was. Every refusal leaves the log as it was.
 */
describe('co-location: correction and withdrawal', () => {
  let t: TestApp;
  type Auth = { Authorization: string };
  let admin: Auth;
  let fo: Auth;
  let foOther: Auth;
  let auditor: Auth;
  let member: Auth;
  const post = (path: string, body: object, auth: Auth = fo, headers: Record<string, string> = {}) => t.http().post(path).set(auth).set(headers).send(body);
  const get = async (path: string) => {
    const res = await t.http().get(path).set(auditor);
    if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const ok = async (p: PromiseLike<any>, status = 201) => {
    const res = await p;
    if (res.status !== status) throw new Error(`answered ${res.status}, expected ${status}: ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const head = () => t.store.headPosition();
  const refused = async (p: PromiseLike<any>, status: number, code: string) => {
    const before = await head();
    const res = await p;
    expect([res.status, res.body.code]).toEqual([status, code]);
    expect(await head()).toBe(before);
    return res.body;
  };
  const centre = (centreId: string, openedOn = '2010-01-01') => ok(post('/centres', { centreId, countyId: 'vest-agder', name: `KC ${centreId}`, municipality: 'Kristiansand', openedOn }));
  const record = (centreId: string, from: string, premises: string, sharedWith: object[]) => ok(post(`/centres/${centreId}/co-locations`, { from, premises, sharedWith }));
  const correction = (centreId: string, from: string, body: object, auth: Auth = fo, headers: Record<string, string> = {}) => post(`/centres/${centreId}/co-locations/${from}/correction`, body, auth, headers);
  const withdrawal = (centreId: string, from: string, body: object, auth: Auth = fo, headers: Record<string, string> = {}) => post(`/centres/${centreId}/co-locations/${from}/withdrawal`, body, auth, headers);
  const navKrs = { kind: 'nav-local-office', partyId: 'cc-nav-krs', name: null };
  const school = { kind: 'upper-secondary-school', partyId: null, name: 'Kvadraturen vgs' };
  /** A moment strictly between two writes: as-of answers cut by recorded time (milliseconds). */
  const tick = () => new Promise((r) => setTimeout(r, 15));

  beforeAll(async () => {
    t = await startTestApp({ seed: true });
    admin = await t.auth('admin', [], 'cc-admin');
    fo = await t.auth('finance-officer', ['vest-agder'], 'cc-fo');
    foOther = await t.auth('finance-officer', ['telemark'], 'cc-fo-telemark');
    auditor = await t.auth('auditor', [], 'cc-auditor');
    member = await t.auth('board-member', [], 'cc-member');
    await ok(post('/parties', { partyId: 'cc-nav-krs', name: 'NAV Kristiansand', kind: 'nav-local-office', countyId: 'vest-agder' }, admin));
    await ok(post('/parties', { partyId: 'cc-nav-va', name: 'NAV Vest-Agder', kind: 'nav-county-office', countyId: 'vest-agder' }, admin));
    await ok(post('/parties', { partyId: 'cc-kommune', name: 'Kristiansand kommune', kind: 'municipality', countyId: 'vest-agder' }, admin));
  });
  afterAll(() => t.close());

  it('a record that wrongly named a NAV office, corrected to none: the listing shows the corrected record and its history, and the co-located ground no longer holds (an as-of answer before it still shows it as it was)', async () => {
    await centre('cc-a');
    const rec = await record('cc-a', '2012-08-01', 'NAV-huset', [navKrs]);
    const link = await get('/centres/cc-a/nav-link?date=2013-06-01');
    expect(link.grounds.coLocated).toMatchObject({ holds: true, evidence: [{ eventId: rec.eventIds[0], partyId: 'cc-nav-krs' }] });
    expect(link.hasNavLink).toBe(true);
    await tick();

    const fixed = await ok(correction('cc-a', '2012-08-01', { premises: 'Kvadraturen', sharedWith: [school], reason: 'Feil: senteret deler lokaler med skolen, ikke NAV' }), 200);
    expect(fixed).toMatchObject({ streamId: 'co-location-cc-a', position: rec.position + 1, eventIds: [expect.any(String)] });

    const listing = await get('/centres/cc-a/co-locations');
    expect(listing).toEqual({
      centreId: 'cc-a',
      records: [
        {
          from: '2012-08-01',
          premises: 'Kvadraturen',
          sharedWith: [school],
          event: { eventId: rec.eventIds[0], position: rec.position, type: 'CoLocationRecorded' },
          corrections: [
            {
              premises: 'Kvadraturen',
              sharedWith: [school],
              previous: { premises: 'NAV-huset', sharedWith: [navKrs] },
              reason: 'Feil: senteret deler lokaler med skolen, ikke NAV',
              event: { eventId: fixed.eventIds[0], position: fixed.position, type: 'CoLocationCorrected' },
            },
          ],
        },
      ],
      withdrawn: [],
    });

    const after = await get('/centres/cc-a/nav-link?date=2013-06-01');
    expect(after.grounds.coLocated).toMatchObject({ holds: false, evidence: [] });
    expect(after.grounds.coLocated.why).toContain('Kvadraturen');
    expect(after.hasNavLink).not.toBe(true);
    expect((await get('/centres/cc-a/governance?date=2013-06-01')).coLocation).toMatchObject({ premises: 'Kvadraturen', sharedWith: [school] });
    expect((await get('/nav-links?date=2013-06-01&countyId=vest-agder')).links.find((l: any) => l.centreId === 'cc-a').grounds.coLocated.holds).toBe(false);

    // As the ledger said before the correction was recorded: the record as it was, and the ground it gave.
    const asOf = encodeURIComponent(rec.recordedAt);
    const then = await get(`/centres/cc-a/co-locations?asOf=${asOf}`);
    expect(then.records).toEqual([expect.objectContaining({ premises: 'NAV-huset', sharedWith: [navKrs], corrections: [] })]);
    expect((await get(`/centres/cc-a/nav-link?date=2013-06-01&asOf=${asOf}`)).grounds.coLocated.holds).toBe(true);

    // The original event is still in the stream, unchanged.
    const stream = await get('/audit/streams/co-location-cc-a');
    expect(JSON.stringify(stream)).toContain('NAV-huset');
  });

  it('and vice versa: a record that left NAV out, corrected to name the NAV office, gives the co-located ground, with the correction as its evidence', async () => {
    await centre('cc-b');
    await record('cc-b', '2012-08-01', 'Rådhuset', [{ kind: 'other', partyId: 'cc-kommune', name: null }]);
    expect((await get('/centres/cc-b/nav-link?date=2013-06-01')).grounds.coLocated.holds).toBe(false);
    const fixed = await ok(correction('cc-b', '2012-08-01', { premises: 'NAV-huset', sharedWith: [navKrs, { kind: 'other', partyId: 'cc-kommune', name: null }], reason: 'NAV-kontoret var utelatt' }), 200);
    const link = await get('/centres/cc-b/nav-link?date=2013-06-01');
    expect(link.grounds.coLocated).toMatchObject({ holds: true, evidence: [{ eventId: fixed.eventIds[0], type: 'CoLocationCorrected', partyId: 'cc-nav-krs' }] });
    expect(link.grounds.coLocated.why).toContain('as corrected');
    expect(link.hasNavLink).toBe(true);
    // A second correction: the history keeps both, the second's previous is the first's contents.
    await ok(correction('cc-b', '2012-08-01', { premises: 'NAV-huset', sharedWith: [{ kind: 'nav-county-office', partyId: 'cc-nav-va', name: null }], reason: 'Fylkeskontoret, ikke lokalkontoret' }), 200);
    const [r] = (await get('/centres/cc-b/co-locations')).records;
    expect(r.corrections.map((c: any) => c.previous.premises)).toEqual(['Rådhuset', 'NAV-huset']);
    expect(r.sharedWith).toEqual([{ kind: 'nav-county-office', partyId: 'cc-nav-va', name: null }]);
    expect((await get('/centres/cc-b/nav-link?date=2013-06-01')).grounds.coLocated.evidence).toEqual([expect.objectContaining({ partyId: 'cc-nav-va', detail: 'nav-county-office' })]);
  });

  it('withdraws the latest record (entered with the wrong date), then records the right one for that same date', async () => {
    await centre('cc-c');
    await record('cc-c', '2012-01-01', 'Eget bygg', []);
    const wrong = await record('cc-c', '2013-01-01', 'NAV-huset', [navKrs]);
    expect((await get('/centres/cc-c/nav-link?date=2014-06-01')).grounds.coLocated.holds).toBe(true);
    // Before the withdrawal, 2013-01-01 (and anything up to it) is out of order.
    await refused(post('/centres/cc-c/co-locations', { from: '2013-01-01', premises: 'Eget bygg, 2. etasje', sharedWith: [] }), 422, 'CO_LOCATION.OUT_OF_ORDER');

    const gone = await ok(withdrawal('cc-c', '2013-01-01', { reason: 'Feil dato: flyttingen var i 2014' }), 200);
    const listing = await get('/centres/cc-c/co-locations');
    expect(listing.records.map((r: any) => r.from)).toEqual(['2012-01-01']);
    expect(listing.withdrawn).toEqual([
      {
        from: '2013-01-01',
        premises: 'NAV-huset',
        sharedWith: [navKrs],
        event: { eventId: wrong.eventIds[0], position: wrong.position, type: 'CoLocationRecorded' },
        corrections: [],
        withdrawal: { reason: 'Feil dato: flyttingen var i 2014', event: { eventId: gone.eventIds[0], position: gone.position, type: 'CoLocationWithdrawn' } },
      },
    ]);
    // The withdrawn record no longer counts: the one from 2012 holds on.
    expect((await get('/centres/cc-c/nav-link?date=2014-06-01')).grounds.coLocated).toMatchObject({ holds: false });
    expect((await get('/centres/cc-c/governance?date=2014-06-01')).coLocation).toMatchObject({ from: '2012-01-01', premises: 'Eget bygg' });

    // The right record, for the same date (OUT_OF_ORDER looks at the latest record still standing), and the right one later.
    await record('cc-c', '2013-01-01', 'Eget bygg, 2. etasje', []);
    await record('cc-c', '2014-01-01', 'NAV-huset', [navKrs]);
    const now = await get('/centres/cc-c/co-locations');
    expect(now.records.map((r: any) => [r.from, r.premises])).toEqual([['2012-01-01', 'Eget bygg'], ['2013-01-01', 'Eget bygg, 2. etasje'], ['2014-01-01', 'NAV-huset']]);
    expect(now.withdrawn).toHaveLength(1);
    expect((await get('/centres/cc-c/nav-link?date=2013-06-01')).grounds.coLocated.holds).toBe(false);
    expect((await get('/centres/cc-c/nav-link?date=2014-06-01')).grounds.coLocated.holds).toBe(true);
  });

  it('a date with no record standing is 404 CO_LOCATION.NOT_FOUND (never recorded, or withdrawn), with nothing recorded', async () => {
    await centre('cc-d');
    await record('cc-d', '2012-08-01', 'NAV-huset', [navKrs]);
    await refused(correction('cc-d', '2012-08-02', { premises: 'X', sharedWith: [], reason: 'feil' }), 404, 'CO_LOCATION.NOT_FOUND');
    await refused(withdrawal('cc-d', '2011-01-01', { reason: 'feil' }), 404, 'CO_LOCATION.NOT_FOUND');
    await ok(withdrawal('cc-d', '2012-08-01', { reason: 'feil' }), 200);
    const again = await refused(withdrawal('cc-d', '2012-08-01', { reason: 'feil' }), 404, 'CO_LOCATION.NOT_FOUND');
    expect(again.details).toMatchObject({ from: '2012-08-01', standing: [] });
    await refused(correction('cc-d', '2012-08-01', { premises: 'X', sharedWith: [], reason: 'feil' }), 404, 'CO_LOCATION.NOT_FOUND');
    // A centre never registered, and a date that is not one.
    await refused(correction('cc-nowhere', '2012-08-01', { premises: 'X', sharedWith: [], reason: 'feil' }), 404, 'CENTRE.NOT_FOUND');
    await refused(withdrawal('cc-d', '2012-02-30', { reason: 'feil' }), 400, 'DATE.INVALID');
    await refused(withdrawal('cc-d', '1.8.2012', { reason: 'feil' }), 400, 'DATE.INVALID');
  });

  it('a correction that changes nothing is 422 CO_LOCATION.CORRECTION_CHANGES_NOTHING (the order of sharedWith aside); the corrected sharedWith follows the rules of recording', async () => {
    await centre('cc-e');
    await record('cc-e', '2012-08-01', 'NAV-huset', [navKrs, school]);
    const same = await refused(correction('cc-e', '2012-08-01', { premises: 'NAV-huset', sharedWith: [navKrs, school], reason: 'feil' }), 422, 'CO_LOCATION.CORRECTION_CHANGES_NOTHING');
    expect(same.details).toMatchObject({ from: '2012-08-01' });
    await refused(correction('cc-e', '2012-08-01', { premises: 'NAV-huset', sharedWith: [school, navKrs], reason: 'feil' }), 422, 'CO_LOCATION.CORRECTION_CHANGES_NOTHING');
    const body = (sharedWith: object[]) => ({ premises: 'NAV-huset', sharedWith, reason: 'feil kontor' });
    await refused(correction('cc-e', '2012-08-01', body([{ kind: 'nav-local-office', partyId: 'cc-kommune' }])), 422, 'CO_LOCATION.KIND_MISMATCH');
    await refused(correction('cc-e', '2012-08-01', body([{ kind: 'nav-local-office', partyId: 'cc-nav-va' }])), 422, 'CO_LOCATION.KIND_MISMATCH');
    await refused(correction('cc-e', '2012-08-01', body([{ kind: 'other', partyId: 'cc-ghost' }])), 404, 'PARTY.NOT_FOUND');
    await refused(correction('cc-e', '2012-08-01', body([{ kind: 'other' }])), 400, 'CO_LOCATION.SHARED_WITH_UNNAMED');
    await refused(correction('cc-e', '2012-08-01', body([{ kind: 'library', name: 'Biblioteket' }])), 400, 'CO_LOCATION.UNKNOWN_KIND');
    await refused(correction('cc-e', '2012-08-01', { ...body([]), reason: ' ' }), 400, 'VALIDATION.BLANK');
    await refused(correction('cc-e', '2012-08-01', { premises: 'NAV-huset', sharedWith: [] }), 400, 'VALIDATION.FAILED');
    await refused(withdrawal('cc-e', '2012-08-01', {}), 400, 'VALIDATION.FAILED');
    await refused(withdrawal('cc-e', '2012-08-01', { reason: 'feil', centreId: 'cc-a' }), 400, 'VALIDATION.UNKNOWN_FIELD');
    expect((await get('/centres/cc-e/co-locations')).records[0].corrections).toEqual([]);
  });

  it('a finance officer of another county is 403 ACCESS.OTHER_COUNTY, a board member 403 ACCESS.ROLE_NOT_ALLOWED; an admin may', async () => {
    await centre('cc-f');
    await record('cc-f', '2012-08-01', 'NAV-huset', [navKrs]);
    await refused(correction('cc-f', '2012-08-01', { premises: 'Rådhuset', sharedWith: [], reason: 'feil' }, foOther), 403, 'ACCESS.OTHER_COUNTY');
    await refused(withdrawal('cc-f', '2012-08-01', { reason: 'feil' }, foOther), 403, 'ACCESS.OTHER_COUNTY');
    await refused(correction('cc-f', '2012-08-01', { premises: 'Rådhuset', sharedWith: [], reason: 'feil' }, member), 403, 'ACCESS.ROLE_NOT_ALLOWED');
    await refused(withdrawal('cc-f', '2012-08-01', { reason: 'feil' }, auditor), 403, 'ACCESS.ROLE_NOT_ALLOWED');
    await ok(correction('cc-f', '2012-08-01', { premises: 'Rådhuset', sharedWith: [], reason: 'feil' }, admin), 200);
  });

  it('an Idempotency-Key retry answers the first result and records once (correction and withdrawal)', async () => {
    await centre('cc-g');
    await record('cc-g', '2012-08-01', 'NAV-huset', [navKrs]);
    await record('cc-g', '2013-08-01', 'Eget bygg', []);
    const before = await head();
    const body = { premises: 'NAV-huset', sharedWith: [], reason: 'Ikke samlokalisert' };
    const a = await correction('cc-g', '2012-08-01', body, fo, { 'Idempotency-Key': 'cc-corr-1' });
    const b = await correction('cc-g', '2012-08-01', body, fo, { 'Idempotency-Key': 'cc-corr-1' });
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(b.body).toEqual(a.body);
    expect(await head()).toBe(before + 1);
    const w1 = await withdrawal('cc-g', '2013-08-01', { reason: 'feil' }, fo, { 'Idempotency-Key': 'cc-wd-1' });
    const w2 = await withdrawal('cc-g', '2013-08-01', { reason: 'feil' }, fo, { 'Idempotency-Key': 'cc-wd-1' });
    expect([w1.status, w2.status]).toEqual([200, 200]);
    expect(w2.body).toEqual(w1.body);
    expect(await head()).toBe(before + 2);
    const listing = await get('/centres/cc-g/co-locations');
    expect([listing.records[0].corrections.length, listing.withdrawn.length]).toEqual([1, 1]);
    // The same key for another body is refused, nothing recorded.
    await refused(correction('cc-g', '2012-08-01', { ...body, premises: 'Annet' }, fo, { 'Idempotency-Key': 'cc-corr-1' }), 409, 'IDEMPOTENCY_KEY_REUSED');
  });

  it('a closed centre: its records can still be corrected and withdrawn; a withdrawn record no longer blocks closing', async () => {
    await centre('cc-h');
    await record('cc-h', '2012-08-01', 'NAV-huset', [navKrs]);
    await record('cc-h', '2014-03-01', 'Rådhuset', []);
    // Premises from 2014-03-01 stand: the centre cannot be closed from that day.
    await refused(post('/centres/cc-h/close', { closedOn: '2014-01-01', reason: 'Slått sammen' }), 409, 'CENTRE.CLOSE_BEFORE_ACTIVITY');
    await ok(withdrawal('cc-h', '2014-03-01', { reason: 'Registrert for feil senter' }), 200);
    await ok(post('/centres/cc-h/close', { closedOn: '2014-01-01', reason: 'Slått sammen' }), 200);
    // After the closing: the record from 2012 (a day it was open) is corrected; a new one from the closing date is refused.
    await ok(correction('cc-h', '2012-08-01', { premises: 'NAV-huset', sharedWith: [], reason: 'Ikke samlokalisert' }), 200);
    await refused(post('/centres/cc-h/co-locations', { from: '2014-01-01', premises: 'X', sharedWith: [] }), 422, 'CENTRE.CLOSED');
    await ok(withdrawal('cc-h', '2012-08-01', { reason: 'Feil senter' }), 200);
    expect((await get('/centres/cc-h/co-locations')).records).toEqual([]);
  });

  it('the OpenAPI document names each new code on its route', async () => {
    const doc = (await t.http().get('/docs-json')).body;
    const codes = (path: string) => JSON.stringify(doc.paths[path]?.post?.responses ?? {});
    const corr = codes('/centres/{centreId}/co-locations/{from}/correction');
    for (const c of ['CO_LOCATION.NOT_FOUND', 'CO_LOCATION.CORRECTION_CHANGES_NOTHING', 'CO_LOCATION.KIND_MISMATCH', 'CO_LOCATION.SHARED_WITH_UNNAMED', 'CO_LOCATION.UNKNOWN_KIND', 'PARTY.NOT_FOUND', 'ACCESS.OTHER_COUNTY']) expect(corr).toContain(c);
    const wd = codes('/centres/{centreId}/co-locations/{from}/withdrawal');
    expect(wd).toContain('CO_LOCATION.NOT_FOUND');
    expect(wd).not.toContain('CO_LOCATION.CORRECTION_CHANGES_NOTHING');
    expect(codes('/centres/{centreId}/co-locations')).toContain('CO_LOCATION.OUT_OF_ORDER');
  });
});
