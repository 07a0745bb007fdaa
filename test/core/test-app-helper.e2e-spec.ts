import { COUNTIES_2014 } from '../../libs/application/src/seed/counties-2014';
import { seedCounties, startTestApp, TestApp } from '../helpers/test-app';

describe('test helper: startTestApp + seedCounties', () => {
  let t: TestApp;
  beforeAll(async () => { t = await startTestApp(); });
  afterAll(async () => { await t.close(); });

  it('seeds the 19 counties through HTTP, and a second seed records nothing', async () => {
    expect(await seedCounties(t)).toBe(19);
    expect(await seedCounties(t)).toBe(0);
    const res = await t.http().get('/counties').set(await t.auth('auditor'));
    expect(res.status).toBe(200);
    expect(res.body.map((c: { countyId: string }) => c.countyId).sort()).toEqual(COUNTIES_2014.map((c) => c.countyId).sort());
  });
});
