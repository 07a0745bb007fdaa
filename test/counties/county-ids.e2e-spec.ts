import { startTestApp, TestApp } from '../helpers/test-app';

/** A county's stream is county-<id>, its county-line decisions county-line-<id>: the two must never share a stream. */
describe('county ids that would share a stream', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ seed: true });
  });
  afterAll(() => t.close());

  it('a county id starting with "line-" is 400 COUNTY.ID_RESERVED and nothing is recorded; "linen" is an ordinary id', async () => {
    const admin = await t.auth('admin');
    const head = await t.store.headPosition();
    const res = await t.http().post('/counties').set(admin).send({ countyId: 'line-telemark', name: 'Linje', countyNumber: '91' });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('COUNTY.ID_RESERVED');
    expect(res.body.details).toEqual({ countyId: 'line-telemark' });
    expect(await t.store.headPosition()).toBe(head);
    expect(await t.store.readStream('county-line-telemark')).toEqual([]);
    const ok = await t.http().post('/counties').set(admin).send({ countyId: 'linen', name: 'Linen', countyNumber: '92' });
    expect(ok.status).toBe(201);
  });
});
