import { startTestApp, TestApp } from '../helpers/test-app';

/**
 * Correcting a Vox decision on a stimulus-grant application: a new event replaces the decision in
 * force (another amount, or the other outcome) and the award or rejection stays in the log.
 */
describe('stimulus grants: correcting a decision (e2e)', () => {
  let t: TestApp;
  type Auth = { Authorization: string };
  let vox: Auth;
  let hordaland: Auth;
  let auditor: Auth;
  let admin: Auth;

  const osloToday = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Oslo', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
  const head = () => t.store.headPosition();
  const post = (auth: Auth, url: string, body: object, headers: Record<string, string> = {}) => t.http().post(url).set(auth).set(headers).send(body);
  const ok = async (auth: Auth, url: string, body: object) => {
    const res = await post(auth, url, body);
    if (res.status !== 200 && res.status !== 201) throw new Error(`POST ${url} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res;
  };
  const correction = (id: string, body: object, auth: Auth = vox, headers: Record<string, string> = {}) => post(auth, `/stimulus-grants/${id}/decision-correction`, body, headers);
  const detail = async (id: string, query = '') => (await t.http().get(`/stimulus-grants/${id}${query}`).set(auditor)).body;
  const listed = async (id: string, query: Record<string, string> = {}) =>
    ((await t.http().get('/stimulus-grants').query({ countyId: 'hordaland', ...query }).set(auditor)).body as any[]).find((s) => s.applicationId === id);
  /** An application to establish a centre in Hordaland asking NOK 700 000.00, optionally decided. */
  const application = async (id: string, decide?: { award: string; note?: string } | { reject: string }) => {
    await ok(hordaland, '/stimulus-grants', { applicationId: id, countyId: 'hordaland', year: 2014, purpose: 'establish-centre', amountAsked: '700000.00', description: 'Etablere karrieresenter i Bergen', appliedOn: '2014-02-10' });
    if (decide && 'award' in decide) await ok(vox, `/stimulus-grants/${id}/award`, { amount: decide.award, ...(decide.note ? { note: decide.note } : {}) });
    if (decide && 'reject' in decide) await ok(vox, `/stimulus-grants/${id}/rejection`, { reason: decide.reject });
    return id;
  };

  beforeAll(async () => {
    t = await startTestApp({ seed: true });
    vox = await t.auth('vox', [], 'vox-saksbehandler');
    hordaland = await t.auth('finance-officer', ['hordaland']);
    auditor = await t.auth('auditor', [], 'riksrevisjonen');
    admin = await t.auth('admin');
  });

  afterAll(async () => {
    await t.close();
  });

  it('an award corrected to another amount: the listing and the detail show the new amount, the detail the correction with the amount it replaced, the log both', async () => {
    const id = await application('corr-amount', { award: '650000.00', note: 'Tildelt etter søknad' });
    const before = await head();
    const res = await correction(id, { outcome: 'awarded', amount: '600000.00', correctionReason: 'Skrivefeil: 650 000 skulle vært 600 000' });
    expect(res.status).toBe(200);
    expect(res.body.streamId).toBe(`stimulus-grant-${id}`);
    expect(await head()).toBe(before + 1);
    const today = osloToday();

    const item = await listed(id);
    expect([item.status, item.amountAwarded, item.decision.note, item.decision.reason]).toEqual(['awarded', '600000.00', null, null]);
    expect([item.decision.decidedOn, item.decision.event.type]).toEqual([today, 'StimulusGrantDecisionCorrected']);

    const one = await detail(id);
    expect([one.status, one.amountAwarded, one.amountAsked]).toEqual(['awarded', '600000.00', '700000.00']);
    expect(one.corrections).toHaveLength(1);
    const [c] = one.corrections;
    expect(c).toMatchObject({
      correctedOn: today,
      correctionReason: 'Skrivefeil: 650 000 skulle vært 600 000',
      previous: { status: 'awarded', amountAwarded: '650000.00', note: 'Tildelt etter søknad', reason: null, decidedOn: today },
      decision: { status: 'awarded', amountAwarded: '600000.00', note: null, reason: null },
    });
    expect([c.previous.event.type, c.event.type, c.event.eventId]).toEqual(['StimulusGrantAwarded', 'StimulusGrantDecisionCorrected', res.body.eventIds[0]]);

    // The award stays in the log; the correction names the decision it replaced.
    const { events } = (await t.http().get(`/audit/streams/stimulus-grant-${id}`).set(auditor)).body;
    expect(events.map((e: any) => e.type)).toEqual(['StimulusGrantApplied', 'StimulusGrantAwarded', 'StimulusGrantDecisionCorrected']);
    expect(events[2].data).toEqual({
      applicationId: id,
      countyId: 'hordaland',
      year: 2014,
      outcome: 'awarded',
      amountOre: 600_000_00,
      note: null,
      reason: null,
      correctionReason: 'Skrivefeil: 650 000 skulle vært 600 000',
      correctedOn: today,
      previous: { outcome: 'awarded', amountOre: 650_000_00, note: 'Tildelt etter søknad', reason: null },
    });

    // As of before the correction, the award as it was.
    const then = await detail(id, `?asOf=${encodeURIComponent(new Date(Date.parse(res.body.recordedAt) - 1).toISOString())}`);
    expect([then.amountAwarded, then.corrections]).toEqual(['650000.00', []]);

    // Corrected again: measured against the decision in force, both corrections listed oldest first.
    await ok(vox, `/stimulus-grants/${id}/decision-correction`, { outcome: 'awarded', amount: '600000.00', note: 'Rettet', correctionReason: 'Merknaden manglet' });
    const twice = await detail(id);
    expect(twice.corrections.map((x: any) => [x.previous.amountAwarded, x.previous.note, x.decision.amountAwarded, x.decision.note])).toEqual([
      ['650000.00', 'Tildelt etter søknad', '600000.00', null],
      ['600000.00', null, '600000.00', 'Rettet'],
    ]);
  });

  it('a rejection corrected to an award: the listing shows the award, the detail the rejection it replaced', async () => {
    const id = await application('corr-reject', { reject: 'Rammen er brukt opp' });
    expect((await listed(id, { status: 'rejected' }))?.status).toBe('rejected');
    const res = await correction(id, { outcome: 'awarded', amount: '500000.00', note: 'Avslått ved en feil', correctionReason: 'Feil søknad ble avslått' });
    expect(res.status).toBe(200);
    expect(await listed(id, { status: 'rejected' })).toBeUndefined();
    const item = await listed(id, { status: 'awarded' });
    expect([item.status, item.amountAwarded, item.decision.reason, item.decision.note]).toEqual(['awarded', '500000.00', null, 'Avslått ved en feil']);
    const one = await detail(id);
    expect(one.corrections).toHaveLength(1);
    expect(one.corrections[0]).toMatchObject({
      correctionReason: 'Feil søknad ble avslått',
      previous: { status: 'rejected', amountAwarded: null, note: null, reason: 'Rammen er brukt opp' },
      decision: { status: 'awarded', amountAwarded: '500000.00', note: 'Avslått ved en feil', reason: null },
    });
    expect(one.corrections[0].previous.event.type).toBe('StimulusGrantRejected');
    // Back to a rejection: the award's amount is gone from the listing.
    await ok(vox, `/stimulus-grants/${id}/decision-correction`, { outcome: 'rejected', reason: 'Rammen er brukt opp likevel', correctionReason: 'Vedtaket ble omgjort' });
    const back = await listed(id);
    expect([back.status, back.amountAwarded, back.decision.reason]).toEqual(['rejected', null, 'Rammen er brukt opp likevel']);
  });

  it('correcting an application not decided yet is 409 STIMULUS_GRANT.NOT_DECIDED; an unknown one 404; nothing recorded', async () => {
    const id = await application('corr-undecided');
    const before = await head();
    const res = await correction(id, { outcome: 'awarded', amount: '100.00', correctionReason: 'x' });
    expect([res.status, res.body.code]).toEqual([409, 'STIMULUS_GRANT.NOT_DECIDED']);
    expect(res.body.message).toContain('decide it first: award or reject');
    const none = await correction('corr-nope', { outcome: 'rejected', reason: 'x', correctionReason: 'x' });
    expect([none.status, none.body.code]).toEqual([404, 'STIMULUS_GRANT.NOT_FOUND']);
    expect(await head()).toBe(before);
    expect((await detail(id)).status).toBe('applied');
  });

  it('a correction that changes nothing is 422 STIMULUS_GRANT.CORRECTION_CHANGES_NOTHING; nothing recorded', async () => {
    const awarded = await application('corr-same-award', { award: '400000.00', note: 'Merknad' });
    const rejected = await application('corr-same-reject', { reject: 'For sent' });
    const before = await head();
    const same = await correction(awarded, { outcome: 'awarded', amount: '400000.00', note: 'Merknad', correctionReason: 'x' });
    expect([same.status, same.body.code]).toEqual([422, 'STIMULUS_GRANT.CORRECTION_CHANGES_NOTHING']);
    const sameReject = await correction(rejected, { outcome: 'rejected', reason: 'For sent', correctionReason: 'x' });
    expect([sameReject.status, sameReject.body.code]).toEqual([422, 'STIMULUS_GRANT.CORRECTION_CHANGES_NOTHING']);
    expect(await head()).toBe(before);
  });

  it('an award above the amount asked is 422 STIMULUS_GRANT.AWARD_ABOVE_ASKED; nothing recorded', async () => {
    const id = await application('corr-above', { reject: 'For sent' });
    const before = await head();
    const res = await correction(id, { outcome: 'awarded', amount: '700000.01', correctionReason: 'x' });
    expect([res.status, res.body.code]).toEqual([422, 'STIMULUS_GRANT.AWARD_ABOVE_ASKED']);
    expect(await head()).toBe(before);
    expect((await detail(id)).status).toBe('rejected');
  });

  it('only Vox corrects: a finance officer (of the county), an admin and an auditor get 403; nothing recorded', async () => {
    const id = await application('corr-roles', { award: '100000.00' });
    const before = await head();
    for (const auth of [hordaland, admin, auditor]) {
      const res = await correction(id, { outcome: 'awarded', amount: '90000.00', correctionReason: 'x' }, auth);
      expect(res.status).toBe(403);
    }
    expect(await head()).toBe(before);
    expect((await detail(id)).amountAwarded).toBe('100000.00');
  });

  it('bad bodies are 400 with a stable code and record nothing', async () => {
    const id = await application('corr-bodies', { award: '100000.00' });
    const before = await head();
    const cases: [string, object, string][] = [
      ['unknown outcome', { outcome: 'granted', amount: '1.00', correctionReason: 'x' }, 'STIMULUS_GRANT.UNKNOWN_OUTCOME'],
      ['award without amount', { outcome: 'awarded', correctionReason: 'x' }, 'STIMULUS_GRANT.DECISION_FIELDS'],
      ['award with a reason', { outcome: 'awarded', amount: '1.00', reason: 'x', correctionReason: 'x' }, 'STIMULUS_GRANT.DECISION_FIELDS'],
      ['rejection without reason', { outcome: 'rejected', correctionReason: 'x' }, 'STIMULUS_GRANT.DECISION_FIELDS'],
      ['rejection with an amount', { outcome: 'rejected', amount: '1.00', reason: 'x', correctionReason: 'x' }, 'STIMULUS_GRANT.DECISION_FIELDS'],
      ['rejection with a note', { outcome: 'rejected', note: 'x', reason: 'x', correctionReason: 'x' }, 'STIMULUS_GRANT.DECISION_FIELDS'],
      ['amount as a number', { outcome: 'awarded', amount: 99.5, correctionReason: 'x' }, 'MONEY.NOT_A_DECIMAL_STRING'],
      ['fractional øre', { outcome: 'awarded', amount: '1.001', correctionReason: 'x' }, 'MONEY.FRACTIONAL_ORE'],
      ['no correctionReason', { outcome: 'awarded', amount: '1.00' }, 'VALIDATION.FAILED'],
      ['blank correctionReason', { outcome: 'awarded', amount: '1.00', correctionReason: '   ' }, 'VALIDATION.BLANK'],
      ['applicationId in the body', { applicationId: 'other', outcome: 'awarded', amount: '1.00', correctionReason: 'x' }, 'VALIDATION.UNKNOWN_FIELD'],
    ];
    for (const [what, body, code] of cases) {
      const res = await correction(id, body);
      expect([what, res.status, res.body.code]).toEqual([what, 400, code]);
    }
    expect(await head()).toBe(before);
  });

  it('a retry with the same Idempotency-Key gets the first answer and records once; the key with another body is 409', async () => {
    const id = await application('corr-retry', { award: '300000.00' });
    const before = await head();
    const body = { outcome: 'awarded', amount: '250000.00', correctionReason: 'Skrivefeil' };
    const a = await correction(id, body, vox, { 'Idempotency-Key': 'corr-retry-1' });
    const b = await correction(id, body, vox, { 'Idempotency-Key': 'corr-retry-1' });
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(b.body).toEqual(a.body);
    expect(await head()).toBe(before + 1);
    // Without the key, the same correction again changes nothing.
    const again = await correction(id, body);
    expect([again.status, again.body.code]).toEqual([422, 'STIMULUS_GRANT.CORRECTION_CHANGES_NOTHING']);
    const other = await correction(id, { ...body, amount: '240000.00' }, vox, { 'Idempotency-Key': 'corr-retry-1' });
    expect([other.status, other.body.code]).toEqual([409, 'IDEMPOTENCY_KEY_REUSED']);
    expect(await head()).toBe(before + 1);
    expect((await detail(id)).corrections).toHaveLength(1);
  });

  it('a second award or rejection is still 409 ALREADY_DECIDED, and the OpenAPI document names the route with its codes', async () => {
    const id = await application('corr-decided', { award: '1000.00' });
    const again = await post(vox, `/stimulus-grants/${id}/rejection`, { reason: 'x' });
    expect([again.status, again.body.code]).toEqual([409, 'STIMULUS_GRANT.ALREADY_DECIDED']);
    const doc = (await t.http().get('/docs-json')).body;
    const op = doc.paths['/stimulus-grants/{applicationId}/decision-correction']?.post;
    expect(op).toBeDefined();
    const named = JSON.stringify(op.responses);
    for (const code of ['STIMULUS_GRANT.NOT_DECIDED', 'STIMULUS_GRANT.CORRECTION_CHANGES_NOTHING', 'STIMULUS_GRANT.AWARD_ABOVE_ASKED', 'STIMULUS_GRANT.UNKNOWN_OUTCOME', 'STIMULUS_GRANT.DECISION_FIELDS', 'STIMULUS_GRANT.NOT_FOUND']) {
      expect([code, named.includes(code)]).toEqual([code, true]);
    }
    expect(op.parameters.map((p: any) => p.name)).toContain('Idempotency-Key');
  });
});
