import { validatePayload } from '../../libs/application/src/validation';
import { RegisterCountyDto } from '../../libs/application/src/counties/dtos';
import { startTestApp, TestApp } from '../helpers/test-app';

/**
 * A field named like something every object has (`toString`, `valueOf`, `hasOwnProperty`…) was
 * dropped on the way to the request's DTO (class-transformer skips such names), so the check that
 * refuses unknown fields never saw it: the write went through without a word. Unknown fields are
 * refused, not dropped: these too.
 */
describe('fields named like an object\'s own methods are refused as unknown, not dropped', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ seed: false });
  });
  afterAll(async () => t?.close());

  it.each(['toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', '__defineGetter__'])('POST /counties with a field %s: 400 VALIDATION.UNKNOWN_FIELD naming it, nothing recorded', async (name) => {
    const head = await t.store.headPosition();
    const res = await t.http().post('/counties').set(await t.auth('admin', [], 'keys-admin')).send({ countyId: 'telemark', name: 'Telemark', countyNumber: '08', [name]: 'x' });
    expect([res.status, res.body.code, res.body.details?.fields?.map((f: { field: string }) => f.field)]).toEqual([400, 'VALIDATION.UNKNOWN_FIELD', [name]]);
    expect(res.body.message).toContain(`${name} is not a field of this request`);
    // Said as any unknown field is.
    const other = await t.http().post('/counties').set(await t.auth('admin', [], 'keys-admin')).send({ countyId: 'telemark', name: 'Telemark', countyNumber: '08', other: 'x' });
    expect(res.body.message).toBe(other.body.message.replaceAll('other', name));
    expect(await t.store.headPosition()).toBe(head);
  });

  it('the same body without it is recorded', async () => {
    const res = await t.http().post('/counties').set(await t.auth('admin', [], 'keys-admin')).send({ countyId: 'telemark', name: 'Telemark', countyNumber: '08' });
    expect(res.status).toBe(201);
  });

  it('a query parameter toString on a route that checks its parameters: 400 VALIDATION.UNKNOWN_FIELD', async () => {
    const res = await t.http().get('/audit/events?limit=5&toString=1').set(await t.auth('auditor', [], 'keys-auditor'));
    expect([res.status, res.body.code]).toEqual([400, 'VALIDATION.UNKNOWN_FIELD']);
  });

  it('ledger import\'s check of a payload (validatePayload) refuses it too', async () => {
    await expect(validatePayload(RegisterCountyDto, { countyId: 'nordland', name: 'Nordland', countyNumber: '18', valueOf: 1 })).rejects.toMatchObject({ code: 'VALIDATION.UNKNOWN_FIELD' });
    await expect(validatePayload(RegisterCountyDto, { countyId: 'nordland', name: 'Nordland', countyNumber: '18' })).resolves.toBeInstanceOf(RegisterCountyDto);
  });
});
