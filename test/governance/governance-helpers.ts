import { TestApp } from '../helpers/test-app';

type Auth = { Authorization: string };

/** Posts and asserts the status, returning the body (so a journey reads as a list of steps). */
export const post = async (t: TestApp, auth: Auth, url: string, body: object, status = 201): Promise<any> => {
  const res = await t.http().post(url).set(auth).send(body);
  if (res.status !== status) throw new Error(`POST ${url} answered ${res.status}, expected ${status}: ${JSON.stringify(res.body)}`);
  return res.body;
};

export const get = async (t: TestApp, auth: Auth, url: string, status = 200): Promise<any> => {
  const res = await t.http().get(url).set(auth);
  if (res.status !== status) throw new Error(`GET ${url} answered ${res.status}, expected ${status}: ${JSON.stringify(res.body)}`);
  return res.body;
};

export const centre = (t: TestApp, auth: Auth, centreId: string, countyId: string, name: string, municipality: string, openedOn = '2005-01-01') =>
  post(t, auth, '/centres', { centreId, countyId, name, municipality, openedOn });

export const partyOf = (t: TestApp, auth: Auth, partyId: string, name: string, kind: string, countyId?: string) => post(t, auth, '/parties', { partyId, name, kind, ...(countyId ? { countyId } : {}) });
