import { randomUUID } from 'node:crypto';
import { EventBus } from '@nestjs/cqrs';
import { LedgerEventsAppended } from '../../apps/api/src/ledger/ledger-command';
import { WrongExpectedRevisionError } from '../../libs/event-store/src/errors';
import { MemoryEventStore } from '../../libs/event-store/src/memory-event-store';
import { EventStore } from '../../libs/event-store/src/port';
import { startTestApp, TestApp } from '../helpers/test-app';

const centre = (id: string) => ({ centreId: id, countyId: 'telemark', name: `Centre ${id}`, municipality: 'Skien', openedOn: '2014-03-01' });

describe('the command path over HTTP', () => {
  describe('with a store where centre streams always conflict', () => {
    let t: TestApp;
    let attempts = 0;
    beforeAll(async () => {
      const real = new MemoryEventStore();
      const store = new Proxy(real, {
        get(target, prop, receiver) {
          if (prop === 'append') {
            return async (...a: Parameters<EventStore['append']>) => {
              if (a[0].startsWith('centre-')) {
                attempts++;
                throw new WrongExpectedRevisionError(a[0], a[2], 7);
              }
              return target.append(...a);
            };
          }
          const v = Reflect.get(target, prop, receiver);
          return typeof v === 'function' ? v.bind(target) : v;
        },
      });
      t = await startTestApp({ store, seed: true });
    });
    afterAll(() => t.close());

    it('a conflict that outlasts the bounded retries is 409 STREAM.WRONG_EXPECTED_REVISION carrying the current revision', async () => {
      const res = await t.http().post('/centres').set(await t.auth('admin')).send(centre('kc-1'));
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ statusCode: 409, code: 'STREAM.WRONG_EXPECTED_REVISION', details: { streamId: 'centre-kc-1', currentRevision: 7 } });
      expect(attempts).toBe(5); // re-read and re-decided, then gave up
    });
  });

  describe('with a memory store', () => {
    let t: TestApp;
    const published: LedgerEventsAppended[] = [];
    beforeAll(async () => {
      t = await startTestApp({ seed: true });
      t.app.get(EventBus).subscribe((e) => {
        if (e instanceof LedgerEventsAppended) published.push(e);
      });
    });
    afterAll(() => t.close());

    it('publishes on the event bus only what was appended, after the append, and nothing for a refusal or a replay', async () => {
      published.length = 0;
      const admin = await t.auth('admin');
      const ok = await t.http().post('/centres').set(admin).set('Idempotency-Key', 'bus-1').send(centre('kc-bus'));
      expect(ok.status).toBe(201);
      expect(published).toHaveLength(1);
      expect(published[0].outcome.result).toEqual(ok.body);
      expect(published[0].outcome.events.map((e) => e.type)).toEqual(['CentreRegistered']);
      // by the time it is published, the store holds it
      expect((await t.store.readStream('centre-kc-bus')).map((e) => e.eventId)).toEqual(published[0].outcome.result.eventIds);
      const replay = await t.http().post('/centres').set(admin).set('Idempotency-Key', 'bus-1').send(centre('kc-bus'));
      expect(replay.status).toBe(201);
      const refused = await t.http().post('/centres').set(admin).send(centre('kc-bus'));
      expect(refused.status).toBe(409);
      expect(published).toHaveLength(1);
    });

    it('the views follow the store\'s log, not the bus: an event appended by another writer shows up in queries', async () => {
      const r = await t.store.append('county-testland', [
        { eventId: randomUUID(), type: 'CountyRegistered', schemaVersion: 1, data: { countyId: 'testland', name: 'Testland', countyNumber: '99' }, metadata: { actorId: 'other-process', actorRole: 'admin', correlationId: 'c', causationId: null, idempotencyKey: null } },
      ], 'no_stream');
      const res = await t.http().get('/counties/testland').set(await t.auth('auditor')).set('X-Ledger-Position', String(r.position));
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ countyId: 'testland', name: 'Testland', countyNumber: '99' });
    });

    it('a client naming a position the views have not reached waits, then gets 503 VIEWS.CATCHING_UP rather than a stale answer', async () => {
      const head = await t.store.headPosition();
      const res = await t.http().get('/centres').set(await t.auth('auditor')).set('X-Ledger-Position', String(head + 1000));
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ code: 'VIEWS.CATCHING_UP', details: { wanted: head + 1000 } });
    }, 20_000);

    it('deny by default: every route in the OpenAPI document except /health and /docs refuses a request without a token (401)', async () => {
      const doc = (await t.http().get('/docs-json')).body as { paths: Record<string, Record<string, unknown>> };
      const open: string[] = [];
      let checked = 0;
      for (const [path, ops] of Object.entries(doc.paths)) {
        if (path === '/health' || path.startsWith('/docs')) continue;
        const url = path.replace(/\{[^}]+\}/g, 'x1');
        for (const method of Object.keys(ops).filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))) {
          const res = await (t.http() as unknown as Record<string, (u: string) => { send: (b: object) => Promise<{ status: number }> }>)[method](url).send({});
          checked++;
          if (res.status !== 401) open.push(`${method.toUpperCase()} ${path} → ${res.status}`);
        }
      }
      expect(checked).toBeGreaterThanOrEqual(7);
      expect(open).toEqual([]);
    });
  });
});
