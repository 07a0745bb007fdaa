import { EVENT_TYPES } from '../../libs/domain/src/event-types';
import { MemoryEventStore } from '../../libs/event-store/src/memory-event-store';
import { startTestApp, TestApp } from '../helpers/test-app';
import { steppingClock } from './fixtures';

describe('auditor over HTTP: history, single events, verify, digest, as-of', () => {
  let t: TestApp;
  const clock = steppingClock('2014-01-01T08:00:00.000Z', 1000);
  let auditor: { Authorization: string };
  let telemarkFo: { Authorization: string };
  let beforeRename: string;
  let renamePosition: number;

  beforeAll(async () => {
    t = await startTestApp({ store: new MemoryEventStore(() => (clock.tick(), clock.clock())) });
    auditor = await t.auth('auditor', [], 'revisor-1');
    telemarkFo = await t.auth('finance-officer', ['telemark'], 'fo-telemark');
    const { seedCounties } = await import('../helpers/test-app');
    expect(await seedCounties(t)).toBe(19);
    const reg = await t.http().post('/centres').set(telemarkFo).set('X-Correlation-Id', 'corr-register').send({ centreId: 'kc-telemark', countyId: 'telemark', name: 'Karrieresenter Telemark', municipality: 'Skien', openedOn: '2009-01-01' });
    expect(reg.status).toBe(201);
    clock.advance(86_400_000 * 30);
    beforeRename = clock.now();
    clock.advance(86_400_000);
    const ren = await t.http().post('/centres/kc-telemark/rename').set(telemarkFo).send({ name: 'Karriere Telemark', effectiveFrom: '2014-03-01' });
    expect(ren.status).toBe(200);
    renamePosition = ren.body.position;
    const ost = await t.http().post('/centres').set(await t.auth('finance-officer', ['ostfold'], 'fo-ostfold')).send({ centreId: 'kc-ostfold', countyId: 'ostfold', name: 'Karrieresenter Østfold', municipality: 'Sarpsborg', openedOn: '2010-01-01' });
    expect(ost.status).toBe(201);
  });

  afterAll(() => t.close());

  it('filters the log by event type as recorded; a type the ledger never records is 400 AUDIT.UNKNOWN_EVENT_TYPE with the near spelling, not an empty page', async () => {
    const all = await t.http().get('/audit/events?limit=500').set(auditor);
    expect(all.status).toBe(200);
    const recorded = new Set<string>(all.body.events.map((e: any) => e.type));
    for (const type of recorded) expect(EVENT_TYPES).toContain(type);
    const renamed = await t.http().get('/audit/events?type=CentreRenamed').set(auditor);
    expect(renamed.body.events.map((e: any) => e.type)).toEqual(['CentreRenamed']);
    for (const [filter, hint] of [['CentreRenammed', 'CentreRenammed (did you mean CentreRenamed?)'], ['centrerenamed', 'centrerenamed (did you mean CentreRenamed?)'], ['CentreRenamed,Renamed', 'no event of type Renamed;']]) {
      const res = await t.http().get(`/audit/events?type=${filter}`).set(auditor);
      expect([res.status, res.body.code]).toEqual([400, 'AUDIT.UNKNOWN_EVENT_TYPE']);
      expect(res.body.details.known).toEqual([...EVENT_TYPES]);
      expect(res.body.details.unknown).toEqual(filter.split(',').filter((n) => n !== 'CentreRenamed'));
      expect(res.body.message).toContain(hint);
      expect(res.body.events).toBeUndefined();
    }
  });

  it('reads a stream\'s full history with who, role, when, correlation and causation', async () => {
    const res = await t.http().get('/audit/streams/centre-kc-telemark').set(auditor);
    expect(res.status).toBe(200);
    expect(res.body.events.map((e: any) => [e.revision, e.type])).toEqual([
      [0, 'CentreRegistered'],
      [1, 'CentreRenamed'],
    ]);
    const first = res.body.events[0];
    expect(first.metadata).toEqual({ actorId: 'fo-telemark', actorRole: 'finance-officer', correlationId: 'corr-register', causationId: null, idempotencyKey: null });
    expect(first.recordedAt).toBe('2014-01-01T08:00:20.000Z');
    expect(first.links.self).toBe(`/audit/events/${first.eventId}`);
    expect(res.body.nextRevision).toBeNull();
    const page = await t.http().get('/audit/streams/centre-kc-telemark?limit=1').set(auditor);
    expect(page.body.events).toHaveLength(1);
    expect(page.body.nextRevision).toBe(1);
    expect((await t.http().get('/audit/streams/no-such-stream').set(auditor)).status).toBe(404);
  });

  it('pages through the global log and follows nextAfter to the end', async () => {
    const seen: number[] = [];
    let after = 0;
    for (let i = 0; i < 10; i++) {
      const res = await t.http().get(`/audit/events?after=${after}&limit=7`).set(auditor);
      expect(res.status).toBe(200);
      seen.push(...res.body.events.map((e: any) => e.position));
      if (res.body.nextAfter === null) break;
      after = res.body.nextAfter;
    }
    expect(seen).toEqual(Array.from({ length: 22 }, (_, i) => i + 1));
    expect((await t.http().get('/audit/events?limit=501').set(auditor)).status).toBe(400);
    expect((await t.http().get('/audit/events?limit=0').set(auditor)).status).toBe(400);
    expect((await t.http().get('/audit/events?bogus=1').set(auditor)).body.code).toBe('VALIDATION.UNKNOWN_FIELD');
  });

  it('filters by actor, role, county (through the centre), centre, type and recorded-time range', async () => {
    const types = async (qs: string) => (await t.http().get(`/audit/events?${qs}`).set(auditor)).body.events.map((e: any) => `${e.type}:${e.streamId}`);
    expect(await types('actor=fo-telemark')).toEqual(['CentreRegistered:centre-kc-telemark', 'CentreRenamed:centre-kc-telemark']);
    expect(await types('role=finance-officer&centre=kc-ostfold')).toEqual(['CentreRegistered:centre-kc-ostfold']);
    expect(await types('county=telemark')).toEqual(['CountyRegistered:county-telemark', 'CentreRegistered:centre-kc-telemark', 'CentreRenamed:centre-kc-telemark']);
    expect(await types('type=CentreRenamed,CentreClosed')).toEqual(['CentreRenamed:centre-kc-telemark']);
    expect(await types(`from=${encodeURIComponent(beforeRename)}`)).toEqual(['CentreRenamed:centre-kc-telemark', 'CentreRegistered:centre-kc-ostfold']);
    expect(await types(`to=${encodeURIComponent(beforeRename)}&type=CentreRegistered`)).toEqual(['CentreRegistered:centre-kc-telemark']);
    expect(await types('from=2014-01-31&to=2014-02-01')).toEqual(['CentreRenamed:centre-kc-telemark', 'CentreRegistered:centre-kc-ostfold']);
    expect(await types('from=2014-01-02&to=2014-01-31')).toEqual([]);
    expect((await t.http().get('/audit/events?from=yesterday').set(auditor)).status).toBe(400);
  });

  it('reads any single event by id at /audit/events/:eventId', async () => {
    const [e] = (await t.http().get('/audit/events?type=CentreRenamed').set(auditor)).body.events;
    const res = await t.http().get(`/audit/events/${e.eventId}`).set(auditor);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(e);
    expect(res.body.position).toBe(renamePosition);
    expect(res.body.hash).toMatch(/^[0-9a-f]{64}$/);
    const missing = await t.http().get('/audit/events/00000000-0000-0000-0000-000000000000').set(auditor);
    expect([missing.status, missing.body.code]).toEqual([404, 'EVENT.NOT_FOUND']);
    expect((await t.http().get('/audit/events/%24%7Bbad%7D').set(auditor)).status).toBe(400);
  });

  it('verifies the chains and checks a digest an auditor kept', async () => {
    const d = await t.http().get('/audit/digest?position=20').set(auditor);
    expect(d.status).toBe(200);
    expect(d.body).toMatchObject({ position: 20, events: 20, streams: 20 });
    expect(d.body.digest).toMatch(/^[0-9a-f]{64}$/);
    const ok = await t.http().get(`/audit/verify?digest=${d.body.digest}&position=20`).set(auditor);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ ok: true, eventsChecked: 22, streamsChecked: 21, brokenStreams: [], logProblems: [], digest: { matches: true } });
    const wrong = await t.http().get(`/audit/verify?digest=${'0'.repeat(64)}&position=20`).set(auditor);
    expect(wrong.body.ok).toBe(false);
    expect(wrong.body.digest.matches).toBe(false);
    expect((await t.http().get('/audit/verify?position=20').set(auditor)).status).toBe(400);
    expect((await t.http().get('/audit/digest?position=999').set(auditor)).body.code).toBe('AUDIT.POSITION_BEYOND_HEAD');
  });

  it('answers any read as of a recorded time (?asOf=), separate from the business dates', async () => {
    const now = await t.http().get('/centres/kc-telemark').set(telemarkFo);
    expect(now.body.name).toBe('Karriere Telemark');
    const then = await t.http().get(`/centres/kc-telemark?asOf=${encodeURIComponent(beforeRename)}`).set(telemarkFo);
    expect(then.status).toBe(200);
    expect(then.body.name).toBe('Karrieresenter Telemark');
    expect(then.body.names).toEqual([{ name: 'Karrieresenter Telemark', from: '2009-01-01' }]);
    const beforeAny = await t.http().get('/centres/kc-telemark?asOf=2013-12-31T23:59:59Z').set(telemarkFo);
    expect(beforeAny.status).toBe(404);
    const list = await t.http().get('/counties?asOf=2013-12-31').set(auditor);
    expect(list.body).toEqual([]);
    const day = await t.http().get('/counties?asOf=2014-01-01').set(auditor);
    expect(day.body).toHaveLength(19);
    for (const bad of ['2014-13-01', '2014-02-30T00:00:00Z', 'tomorrow', '2014-05-09T25:00:00Z', '2014-05-09T10:00:00']) {
      const res = await t.http().get(`/counties?asOf=${encodeURIComponent(bad)}`).set(auditor);
      expect([bad, res.status, res.body.code]).toEqual([bad, 400, 'REQUEST.BAD_AS_OF']);
    }
    const twice = await t.http().get('/counties?asOf=2014-01-01&asOf=2014-01-02').set(auditor);
    expect(twice.status).toBe(400);
    const at = await t.http().get(`/audit/position-at?asOf=${encodeURIComponent(beforeRename)}`).set(auditor);
    expect(at.body.position).toBe(renamePosition - 1);
  });

  it('is for auditors and admins only', async () => {
    for (const role of ['finance-officer', 'board-member', 'vox'] as const) {
      const res = await t.http().get('/audit/events').set(await t.auth(role, ['telemark']));
      expect([role, res.status]).toEqual([role, 403]);
    }
    expect((await t.http().get('/audit/events').set(await t.auth('admin'))).status).toBe(200);
    expect((await t.http().get('/audit/events')).status).toBe(401);
  });
});
