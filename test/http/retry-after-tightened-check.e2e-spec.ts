import { createHash, randomUUID } from 'node:crypto';
import { requestHash } from '../../libs/application/src/handle-command';
import { AppendResult, EventToAppend } from '../../libs/event-store/src/port';
import { startTestApp, TestApp } from '../helpers/test-app';

/**
 * A keyed write recorded before a request check was tightened (a body today's DTO refuses) is
 * simulated by writing its event and its receipt straight to the store, as an older build would have
 * (store.append's 4th argument claims the key: actor id, key, request hash as handle-command computes
 * it). Its retry is answered from the receipt; any other request under the key meets the check.
 */
describe('a retry of a keyed write whose body a request check added since refuses', () => {
  let t: TestApp;
  let kari: { Authorization: string };
  let ola: { Authorization: string };
  beforeAll(async () => {
    t = await startTestApp({ seed: true });
    kari = await t.auth('finance-officer', ['telemark'], 'kari');
    ola = await t.auth('finance-officer', ['telemark'], 'ola');
  });
  afterAll(() => t.close());

  /** The events a valid request recorded, to copy from (the event shapes are the command's). */
  const eventsOf = async (r: AppendResult) => (await t.store.readStream(r.streamId)).filter((e) => r.eventIds.includes(e.eventId));

  /** Records `events` on `streamId` as the command `command` of sender `sender` with `payload` under `key`, as an older build would have. */
  const recordedBefore = (streamId: string, events: { type: string; data: Record<string, unknown> }[], expected: number | 'no_stream', command: string, payload: object, sender: string, key: string): Promise<AppendResult> => {
    const toAppend: EventToAppend[] = events.map((e) => ({
      eventId: randomUUID(),
      type: e.type,
      data: e.data,
      schemaVersion: 1,
      metadata: { actorId: sender, actorRole: 'finance-officer', correlationId: randomUUID(), causationId: null, idempotencyKey: key },
    }));
    return t.store.append(streamId, toAppend, expected, { actorId: sender, key, requestHash: requestHash(command, payload, sender) });
  };

  // 123456789 fails the mod-11 check (and does not start with 8 or 9): today's request check refuses it.
  const party = { partyId: 'skien-kommune', name: 'Skien kommune', kind: 'municipality', countyId: 'telemark', organisationNumber: '123456789' };
  let first: AppendResult;

  it('today\'s check refuses the body (no key): 400 PARTY.ORGANISATION_NUMBER_INVALID', async () => {
    const res = await t.http().post('/parties').set(kari).send(party);
    expect([res.status, res.body.code]).toEqual([400, 'PARTY.ORGANISATION_NUMBER_INVALID']);
  });

  it('the retry of the recorded write (same sender, key and body) gets the first answer (201, same body) and records nothing', async () => {
    const valid = await t.http().post('/parties').set(kari).set('Idempotency-Key', 'party-porsgrunn').send({ ...party, partyId: 'porsgrunn-kommune', name: 'Porsgrunn kommune', organisationNumber: null });
    expect(valid.status).toBe(201);
    const [shape] = await eventsOf(valid.body);
    first = await recordedBefore('party-skien-kommune', [{ type: shape.type, data: { ...shape.data, partyId: party.partyId, name: party.name, organisationNumber: party.organisationNumber } }], 'no_stream', 'RegisterParty', party, 'kari', 'party-skien');
    const head = await t.store.headPosition();
    const retry = await t.http().post('/parties').set(kari).set('Idempotency-Key', 'party-skien').send(party);
    expect({ status: retry.status, body: retry.body }).toEqual({ status: 201, body: first });
    expect(await t.store.headPosition()).toBe(head);
    expect((await t.http().get('/parties/skien-kommune').set(kari)).body).toMatchObject({ partyId: 'skien-kommune', organisationNumber: '123456789' });
  });

  it('another sender with the same key and body gets the check\'s refusal (their key is their own), and nothing is recorded', async () => {
    const head = await t.store.headPosition();
    const res = await t.http().post('/parties').set(ola).set('Idempotency-Key', 'party-skien').send(party);
    expect([res.status, res.body.code]).toEqual([400, 'PARTY.ORGANISATION_NUMBER_INVALID']);
    expect(await t.store.headPosition()).toBe(head);
  });

  it('the same sender and key with another body the check refuses gets the check\'s refusal (not the receipt, not 409)', async () => {
    const head = await t.store.headPosition();
    const blank = await t.http().post('/parties').set(kari).set('Idempotency-Key', 'party-skien').send({ ...party, name: '   ' });
    expect([blank.status, blank.body.code]).toEqual([400, 'VALIDATION.BLANK']);
    const otherNumber = await t.http().post('/parties').set(kari).set('Idempotency-Key', 'party-skien').send({ ...party, organisationNumber: '000000000' });
    expect([otherNumber.status, otherNumber.body.code]).toEqual([400, 'PARTY.ORGANISATION_NUMBER_INVALID']);
    expect(await t.store.headPosition()).toBe(head);
  });

  it('the same sender and body under another key (or none) gets the check\'s refusal', async () => {
    const res = await t.http().post('/parties').set(kari).set('Idempotency-Key', 'party-skien-2').send(party);
    expect([res.status, res.body.code]).toEqual([400, 'PARTY.ORGANISATION_NUMBER_INVALID']);
  });

  it('a route answering 200 whose payload takes a path parameter: a rename to a blank name recorded before is answered 200 from its receipt', async () => {
    const valid = await t.http().post('/parties/porsgrunn-kommune/rename').set(kari).set('Idempotency-Key', 'rename-ok').send({ name: 'Porsgrunn kommune (ny)', effectiveFrom: '2014-01-01' });
    expect(valid.status).toBe(200);
    const [shape] = await eventsOf(valid.body);
    const body = { name: '  ', effectiveFrom: '2014-02-01' };
    const recorded = await recordedBefore('party-porsgrunn-kommune', [{ type: shape.type, data: { ...shape.data, name: '  ', effectiveFrom: '2014-02-01' } }], valid.body.revision, 'RenameParty', { ...body, partyId: 'porsgrunn-kommune' }, 'kari', 'rename-blank');
    const head = await t.store.headPosition();
    const unkeyed = await t.http().post('/parties/porsgrunn-kommune/rename').set(kari).send(body);
    expect([unkeyed.status, unkeyed.body.code]).toEqual([400, 'VALIDATION.BLANK']);
    const retry = await t.http().post('/parties/porsgrunn-kommune/rename').set(kari).set('Idempotency-Key', 'rename-blank').send(body);
    expect({ status: retry.status, body: retry.body }).toEqual({ status: 200, body: recorded });
    // The same body on another party's route is another request: the check's refusal.
    const elsewhere = await t.http().post('/parties/skien-kommune/rename').set(kari).set('Idempotency-Key', 'rename-blank').send(body);
    expect([elsewhere.status, elsewhere.body.code]).toEqual([400, 'VALIDATION.BLANK']);
    expect(await t.store.headPosition()).toBe(head);
  });

  it('a money entry (the answer adds its entryId, derived from the key): answered as the first time', async () => {
    await t.http().post('/centres').set(kari).send({ centreId: 'kc-skien', countyId: 'telemark', name: 'Karrieresenteret Skien', municipality: 'Skien', openedOn: '2014-03-01' }).expect(201);
    const grant = { fiscalYear: 2014, partyId: 'porsgrunn-kommune', amount: '1000.00', decidedOn: '2014-01-10', reference: 'Vedtak 1' };
    const valid = await t.http().post('/centres/kc-skien/funding/operating-grants').set(kari).set('Idempotency-Key', 'grant-ok').send(grant);
    expect(valid.status).toBe(201);
    const [shape] = await eventsOf(valid.body);
    // A reference today's check refuses (a control character: not plain text).
    const body = { ...grant, reference: 'Vedtak\u0007 1' };
    // The id the route derives for key 'grant-blank' when the body names none (sha-256 of sender and key).
    const entryId = `k-${createHash('sha256').update('kari\u0000grant-blank').digest('hex').slice(0, 40)}`;
    const payload = { ...body, entryId, centreId: 'kc-skien' };
    const recorded = await recordedBefore(valid.body.streamId.replace(valid.body.entryId, entryId), [{ type: shape.type, data: { ...shape.data, entryId, reference: body.reference } }], 'no_stream', 'RecordOperatingGrant', payload, 'kari', 'grant-blank');
    const head = await t.store.headPosition();
    const unkeyed = await t.http().post('/centres/kc-skien/funding/operating-grants').set(kari).send(body);
    expect([unkeyed.status, unkeyed.body.code]).toEqual([400, 'VALIDATION.NOT_PLAIN_TEXT']);
    const retry = await t.http().post('/centres/kc-skien/funding/operating-grants').set(kari).set('Idempotency-Key', 'grant-blank').send(body);
    expect({ status: retry.status, body: retry.body }).toEqual({ status: 201, body: { ...recorded, entryId } });
    expect(await t.store.headPosition()).toBe(head);
  });

  it('a correction (the answer adds the new entry\'s id, read back from what it recorded): answered as the first time, entryId included', async () => {
    const grant = { fiscalYear: 2014, partyId: 'porsgrunn-kommune', amount: '1000.00', decidedOn: '2014-01-10', reference: 'Vedtak 2' };
    for (const entryId of ['g-shape', 'g-bell']) await t.http().post('/centres/kc-skien/funding/operating-grants').set(kari).send({ ...grant, entryId }).expect(201);
    const valid = await t.http().post('/centres/kc-skien/funding/entries/g-shape/correction').set(kari).set('Idempotency-Key', 'corr-ok').send({ reason: 'Feil beløp', amount: '2000.00' });
    expect([valid.status, valid.body.entryId]).toEqual([201, 'g-shape.c1']);
    // The same correction of g-bell, with a reason today's check refuses (a control character), as an older build recorded it.
    const body = { reason: 'Feil\u0007 beløp', amount: '2000.00' };
    const shapes = await eventsOf(valid.body);
    const events = shapes.map((e) => ({ type: e.type, data: { ...(JSON.parse(JSON.stringify(e.data).replaceAll('g-shape', 'g-bell')) as Record<string, unknown>), ...('reason' in e.data ? { reason: body.reason } : {}) } }));
    const recorded = await recordedBefore(valid.body.streamId.replace('g-shape', 'g-bell'), events, 0, 'CorrectEntry', { ...body, entryId: 'g-bell', centreId: 'kc-skien' }, 'kari', 'corr-bell');
    const head = await t.store.headPosition();
    const unkeyed = await t.http().post('/centres/kc-skien/funding/entries/g-bell/correction').set(kari).send(body);
    expect([unkeyed.status, unkeyed.body.code]).toEqual([400, 'VALIDATION.NOT_PLAIN_TEXT']);
    const retry = await t.http().post('/centres/kc-skien/funding/entries/g-bell/correction').set(kari).set('Idempotency-Key', 'corr-bell').send(body);
    expect({ status: retry.status, body: retry.body }).toEqual({ status: 201, body: { ...recorded, entryId: 'g-bell.c1' } });
    expect(await t.store.headPosition()).toBe(head);
  });
});
