import { QueryGate } from '../../apps/api/src/ledger/query-gate';
import { startTestApp, TestApp } from '../helpers/test-app';

/**
 * Paged list routes through the real app: following Link rel="next" until there is none gives the
 * unpaged list, bad limits and cursors are 400 with stable codes, `asOf` and filters stay in the next
 * link, and a page served from the answer cache keeps its Link header.
 */
type Auth = { Authorization: string };

const NEXT = /^<([^>]+)>; rel="next"$/;

const nextOf = (link: unknown): string | null => {
  if (link === undefined) return null;
  const m = NEXT.exec(String(link));
  if (!m) throw new Error(`not a Link rel="next": ${String(link)}`);
  return m[1];
};

describe('paged list routes (HTTP)', () => {
  let t: TestApp;
  let auditor: Auth;
  /** Centres registered before `asOf`; two more are registered after it. */
  let asOf: string;
  const early = ['kc-skien', 'kc-notodden', 'kc-porsgrunn', 'kc-kragero', 'kc-sarpsborg', 'kc-fredrikstad'];
  const late = ['kc-halden', 'kc-moss'];

  /** GET every page from `first`, following Link rel="next"; returns the pages' bodies and the links followed. */
  const walk = async (first: string, auth: Auth = auditor) => {
    const pages: unknown[][] = [];
    const links: string[] = [];
    let url: string | null = first;
    while (url !== null) {
      const res = await t.http().get(url).set(auth);
      if (res.status !== 200) throw new Error(`GET ${url} answered ${res.status}: ${JSON.stringify(res.body)}`);
      expect(Array.isArray(res.body)).toBe(true);
      pages.push(res.body);
      url = nextOf(res.headers['link']);
      if (url !== null) links.push(url);
      if (pages.length > 50) throw new Error('paging did not end');
    }
    return { pages, links };
  };

  beforeAll(async () => {
    t = await startTestApp({ seed: true, env: { LEDGER_RATE_LIMIT_PER_MINUTE: '0' } });
    auditor = await t.auth('auditor', [], 'paging-auditor');
    const fo = await t.auth('finance-officer', ['telemark', 'ostfold']);
    const register = async (centreId: string) => {
      const countyId = ['kc-sarpsborg', 'kc-fredrikstad', 'kc-halden', 'kc-moss'].includes(centreId) ? 'ostfold' : 'telemark';
      const res = await t.http().post('/centres').set(fo).send({ centreId, countyId, name: `Karrieresenteret ${centreId.slice(3)}`, municipality: centreId.slice(3), openedOn: '2010-01-01' });
      if (res.status !== 201) throw new Error(`registering ${centreId}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body as { recordedAt: string; position: number };
    };
    let last = { recordedAt: '', position: 0 };
    for (const id of early) last = await register(id);
    asOf = last.recordedAt;
    await new Promise((resolve) => setTimeout(resolve, 20));
    for (const id of late) last = await register(id);

    const board = (boardId: string, countyId: string, centreIds: string[]) =>
      t.http().post('/boards').set(fo).send({ boardId, countyId, centreIds, name: `Styret ${boardId}`, establishedOn: '2012-01-01' });
    for (const [boardId, countyId, centreIds] of [
      ['telemark-board', 'telemark', ['kc-skien']],
      ['ostfold-board', 'ostfold', ['kc-sarpsborg']],
      ['notodden-group', 'telemark', ['kc-notodden']],
      ['halden-board', 'ostfold', ['kc-halden']],
      ['moss-board', 'ostfold', ['kc-moss']],
    ] as const) {
      const res = await board(boardId, countyId, [...centreIds]);
      if (res.status !== 201) throw new Error(`establishing ${boardId}: ${res.status} ${JSON.stringify(res.body)}`);
      last = res.body;
    }
    // Read-your-writes once, so the later requests (without X-Ledger-Position) see every write.
    expect((await t.http().get('/boards').set(auditor).set('X-Ledger-Position', String(last.position))).status).toBe(200);
  });
  afterAll(async () => t?.close());

  it('pages /centres with limit=2 following Link headers until none; the pages together are the unpaged list', async () => {
    const whole = await t.http().get('/centres').set(auditor);
    expect(whole.status).toBe(200);
    expect(whole.body).toHaveLength(early.length + late.length);
    // Without limit the answer is as it always was: no paging headers.
    expect(whole.headers['link']).toBeUndefined();
    expect(whole.headers['x-total-count']).toBeUndefined();

    const { pages, links } = await walk('/centres?limit=2');
    expect(pages.map((p) => p.length)).toEqual([2, 2, 2, 2]);
    expect(pages.flat()).toEqual(whole.body);
    expect(links).toHaveLength(3);
    for (const l of links) expect(l).toMatch(/^\/centres\?limit=2&after=[A-Za-z0-9_-]+$/);

    const first = await t.http().get('/centres?limit=3').set(auditor);
    expect(first.headers['x-total-count']).toBe(String(whole.body.length));
    const { pages: threes } = await walk('/centres?limit=3');
    expect(threes.map((p) => p.length)).toEqual([3, 3, 2]);
    expect(threes.flat()).toEqual(whole.body);
  });

  it('a limit of 1000 or the exact length answers the whole list in one page without a next link', async () => {
    const whole = (await t.http().get('/centres').set(auditor)).body;
    for (const limit of ['1000', String(whole.length)]) {
      const res = await t.http().get(`/centres?limit=${limit}`).set(auditor);
      expect(res.status).toBe(200);
      expect(res.body).toEqual(whole);
      expect(res.headers['link']).toBeUndefined();
      expect(res.headers['x-total-count']).toBe(String(whole.length));
    }
  });

  it('a bad limit and a bad cursor are 400 with their codes and record nothing', async () => {
    const head = await t.store.headPosition();
    for (const limit of ['0', '1001', 'ten', '-2', '']) {
      const res = await t.http().get(`/centres?limit=${limit}`).set(auditor);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, code: 'REQUEST.BAD_LIMIT' });
      expect(res.body.message).toMatch(/from 1 to 1000/);
    }
    const twice = await t.http().get('/centres?limit=2&limit=3').set(auditor);
    expect(twice.status).toBe(400);
    expect(twice.body.code).toBe('REQUEST.BAD_LIMIT');
    const nobody = Buffer.from('kc-nowhere').toString('base64url');
    for (const after of [nobody, '%%%', 'not*a*cursor']) {
      const res = await t.http().get(`/centres?limit=2&after=${after}`).set(auditor);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, code: 'REQUEST.BAD_CURSOR' });
    }
    // A cursor from another list (a board id) names no centre.
    const boards = await t.http().get('/boards?limit=1').set(auditor);
    const boardCursor = new URLSearchParams(nextOf(boards.headers['link'])!.split('?')[1]).get('after');
    const foreign = await t.http().get(`/centres?limit=2&after=${boardCursor}`).set(auditor);
    expect(foreign.status).toBe(400);
    expect(foreign.body.code).toBe('REQUEST.BAD_CURSOR');
    expect(await t.store.headPosition()).toBe(head);
  });

  it('the next link keeps asOf: an auditor pages through the list as it was', async () => {
    const then = await t.http().get(`/centres?asOf=${asOf}`).set(auditor);
    expect(then.status).toBe(200);
    expect(then.body.map((c: { centreId: string }) => c.centreId)).toEqual(early);
    const { pages, links } = await walk(`/centres?asOf=${asOf}&limit=2`);
    expect(pages.flat()).toEqual(then.body);
    expect(links).toHaveLength(2);
    for (const l of links) expect(l).toContain(`asOf=${asOf}`);
    // the same cursors, without asOf, continue in today's list (which has the two later centres)
    const today = await walk(`/centres?limit=2&after=${new URLSearchParams(links[1].split('?')[1]).get('after')}`);
    expect(today.pages.flat().map((c) => (c as { centreId: string }).centreId)).toEqual([...early.slice(4), ...late]);
  });

  it('/boards pages the same way, with its countyId filter kept in the next link', async () => {
    const whole = await t.http().get('/boards').set(auditor);
    expect(whole.body).toHaveLength(5);
    const { pages } = await walk('/boards?limit=2');
    expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
    expect(pages.flat()).toEqual(whole.body);

    const ostfold = await t.http().get('/boards?countyId=ostfold').set(auditor);
    expect(ostfold.body.map((b: { boardId: string }) => b.boardId)).toEqual(['ostfold-board', 'halden-board', 'moss-board']);
    const paged = await walk('/boards?countyId=ostfold&limit=2');
    expect(paged.links.every((l) => l.includes('countyId=ostfold'))).toBe(true);
    expect(paged.pages.flat()).toEqual(ostfold.body);
  });

  it('/parties (sorted by id) and /counties page the same way', async () => {
    const admin = await t.auth('admin');
    for (const partyId of ['nav-telemark', 'udf', 'ks', 'nho', 'lo']) {
      const res = await t.http().post('/parties').set(admin).send({ partyId, name: partyId.toUpperCase(), kind: 'other' });
      expect(res.status).toBe(201);
    }
    const parties = await t.http().get('/parties').set(auditor).set('X-Ledger-Position', String(await t.store.headPosition()));
    expect(parties.body.map((p: { partyId: string }) => p.partyId)).toEqual(['ks', 'lo', 'nav-telemark', 'nho', 'udf']);
    const { pages } = await walk('/parties?limit=2');
    expect(pages.flat()).toEqual(parties.body);

    const counties = await t.http().get('/counties').set(auditor);
    expect(counties.body).toHaveLength(19);
    const c = await walk('/counties?limit=5');
    expect(c.pages.map((p) => p.length)).toEqual([5, 5, 5, 4]);
    expect(c.pages.flat()).toEqual(counties.body);
  });

  it('a page served from the answer cache keeps its Link and X-Total-Count; each page is its own entry', async () => {
    const views = jest.spyOn(t.app.get(QueryGate), 'view');
    try {
      const auth = await t.auth('auditor', [], 'paging-cache');
      const first = await t.http().get('/centres?limit=2').set(auth);
      const second = await t.http().get(nextOf(first.headers['link'])!).set(auth);
      expect(views).toHaveBeenCalledTimes(2);
      const again = await t.http().get(nextOf(first.headers['link'])!).set(auth);
      expect(views).toHaveBeenCalledTimes(2); // served from the cache, not computed
      expect(again.body).toEqual(second.body);
      expect(again.headers['link']).toBe(second.headers['link']);
      expect(again.headers['x-total-count']).toBe(second.headers['x-total-count']);
      expect(nextOf(again.headers['link'])).toMatch(/^\/centres\?limit=2&after=/);
      expect(second.body).not.toEqual(first.body);
    } finally {
      views.mockRestore();
    }
  });

  it('the OpenAPI document names limit and after on every list route', async () => {
    const doc = (await t.http().get('/docs-json')).body;
    for (const path of ['/counties', '/centres', '/parties', '/boards', '/partnerships', '/nav-links', '/stimulus-grants', '/grant-schemes', '/grant-criteria-sets']) {
      const names = (doc.paths[path].get.parameters as { name: string; in: string }[]).filter((p) => p.in === 'query').map((p) => p.name);
      expect(names).toEqual(expect.arrayContaining(['limit', 'after']));
    }
  });

  it('/nav-links keeps its shape: the counts describe every centre, links is paged', async () => {
    const whole = await t.http().get('/nav-links?date=2014-06-01').set(auditor);
    expect(whole.status).toBe(200);
    expect(whole.body.links).toHaveLength(early.length + late.length);
    const res = await t.http().get('/nav-links?date=2014-06-01&limit=3').set(auditor);
    expect(res.body).toEqual({ ...whole.body, links: whole.body.links.slice(0, 3) });
    const next = nextOf(res.headers['link'])!;
    expect(next).toContain('date=2014-06-01');
    const rest = await t.http().get(next).set(auditor);
    expect(rest.body.links).toEqual(whole.body.links.slice(3, 6));
  });
});
