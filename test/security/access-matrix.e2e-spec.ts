import { registeredRoutes } from '../../apps/api/src/bootstrap';
import { Role } from '../../libs/domain/src/shared';
import { ACCESS_MATRIX, expectedStatus } from './access-matrix';
import { ALL_ROLES, Built, OWN, Variant, World } from './world';

/**
 * Every route × every role × own county / other county → the expected status, from the one table
 * in access-matrix.ts. A route the app answers without an entry in the table fails the first test.
 */
describe('access matrix', () => {
  let w: World;
  beforeAll(async () => {
    w = await World.create();
  });
  afterAll(() => w?.close());

  const send = async (b: Built, role: Role | null) => {
    const req = b.method === 'GET' ? w.t.http().get(b.path) : w.t.http().post(b.path).send(b.body ?? {});
    if (role) req.set(await w.t.auth(role, [OWN], role === 'board-member' || role === 'finance-officer' ? b.sub ?? `${role}-matrix` : `${role}-matrix`));
    return req;
  };

  it('has exactly one entry for every route the app answers (HEAD aside)', () => {
    const live = [...new Set(registeredRoutes(w.t.app).filter((r) => r.method !== 'HEAD').map((r) => `${r.method} ${r.url}`))].sort();
    const table = Object.keys(ACCESS_MATRIX).sort();
    expect({ routesWithoutEntry: live.filter((r) => !table.includes(r)), entriesWithoutRoute: table.filter((r) => !live.includes(r)) }).toEqual({ routesWithoutEntry: [], entriesWithoutRoute: [] });
    expect(live.length).toBeGreaterThan(50);
  });

  describe.each(Object.keys(ACCESS_MATRIX))('%s', (route) => {
    it('answers each role, for its own county and another county, as the table says; and 401 without a token', async () => {
      const spec = ACCESS_MATRIX[route];
      const got: string[] = [];
      const want: string[] = [];
      for (const v of ['own', 'other'] as Variant[]) {
        for (const role of [...ALL_ROLES, null]) {
          const built = await spec.build(w, v, role ?? 'admin');
          const res = await send(built, role);
          const expected = built.ok !== undefined && expectedStatus(spec, role, v) === spec.ok ? built.ok : expectedStatus(spec, role, v);
          want.push(`${v} ${role ?? 'no token'} → ${expected}`);
          got.push(`${v} ${role ?? 'no token'} → ${res.status}${res.status !== expected ? ` ${JSON.stringify(res.body).slice(0, 200)}` : ''}`);
        }
      }
      expect(got).toEqual(want);
    });
  });
});
