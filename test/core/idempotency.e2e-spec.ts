import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { handleCommand } from '../../libs/application/src/handle-command';
import { countyCommands } from '../../libs/application/src/counties/commands';
import { Actor, DomainError } from '../../libs/domain/src/shared';
import Database from 'better-sqlite3';
import { sqliteIdempotencyProblems } from '../../libs/application/src/audit/integrity';
import { toLayoutBeforeSenders } from '../../libs/event-store/src/legacy-idempotency.fixture';
import { SqliteEventStore } from '../../libs/event-store/src/sqlite-event-store';
import { startTestApp, TestApp } from '../helpers/test-app';

const centre = (over: Record<string, unknown> = {}) => ({ centreId: 'kc-skien', countyId: 'telemark', name: 'Karrieresenteret Skien', municipality: 'Skien', openedOn: '2014-03-01', ...over });

describe('idempotency over HTTP (memory store)', () => {
  let t: TestApp;
  let officer: { Authorization: string };
  beforeAll(async () => {
    t = await startTestApp({ seed: true });
    officer = await t.auth('finance-officer', ['telemark'], 'kari');
  });
  afterAll(() => t.close());

  it('50 concurrent retries of one key: exactly one event, 50 identical answers', async () => {
    const head = await t.store.headPosition();
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => t.http().post('/centres').set(officer).set('Idempotency-Key', 'reg-skien-1').send(centre())),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(50).fill(201));
    const bodies = answers.map((a) => JSON.stringify(a.body));
    expect(new Set(bodies).size).toBe(1);
    expect(answers[0].body).toMatchObject({ streamId: 'centre-kc-skien', revision: 0, position: head + 1 });
    expect(answers[0].body.eventIds).toHaveLength(1);
    const events = await t.store.readAll({ after: head });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'CentreRegistered', eventId: answers[0].body.eventIds[0], metadata: { idempotencyKey: 'reg-skien-1', actorId: 'kari', actorRole: 'finance-officer' } });
  });

  it('a later retry of the same key and body gets the first answer again and records nothing', async () => {
    const head = await t.store.headPosition();
    const first = (await t.store.findIdempotency('reg-skien-1', 'kari'))!.result;
    const again = await t.http().post('/centres').set(officer).set('Idempotency-Key', 'reg-skien-1').send(centre());
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first);
    expect(await t.store.headPosition()).toBe(head);
  });

  it('the same key with another body is 409 IDEMPOTENCY_KEY_REUSED and records nothing', async () => {
    const head = await t.store.headPosition();
    const res = await t.http().post('/centres').set(officer).set('Idempotency-Key', 'reg-skien-1').send(centre({ centreId: 'kc-notodden', name: 'Notodden' }));
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ statusCode: 409, code: 'IDEMPOTENCY_KEY_REUSED' });
    expect(await t.store.headPosition()).toBe(head);
    const lookup = await t.http().get('/centres/kc-notodden').set(officer);
    expect(lookup.status).toBe(404);
  });

  it('the same key and body from another user is not answered from the first user\'s record: a key is its sender\'s, so it is their own write (refused here by the rules: the centre exists)', async () => {
    const other = await t.auth('finance-officer', ['telemark'], 'ola');
    const head = await t.store.headPosition();
    const res = await t.http().post('/centres').set(other).set('Idempotency-Key', 'reg-skien-1').send(centre());
    expect([res.status, res.body.code]).toEqual([409, 'CENTRE.ALREADY_REGISTERED']);
    expect(res.body.eventIds).toBeUndefined();
    expect(await t.store.headPosition()).toBe(head);
    // …and their own write under the same key is recorded, once, and answered from their own receipt.
    const own = await t.http().post('/centres').set(other).set('Idempotency-Key', 'reg-skien-1').send(centre({ centreId: 'kc-bamble', name: 'Bamble', municipality: 'Bamble' }));
    expect([own.status, own.body.streamId]).toEqual([201, 'centre-kc-bamble']);
    const again = await t.http().post('/centres').set(other).set('Idempotency-Key', 'reg-skien-1').send(centre({ centreId: 'kc-bamble', name: 'Bamble', municipality: 'Bamble' }));
    expect([again.status, again.body]).toEqual([201, own.body]);
    expect(await t.store.headPosition()).toBe(head + 1);
  });

  it('someone without access to the write reusing a key gets 403, not 409: the key is not revealed', async () => {
    const outsider = await t.auth('finance-officer', ['vestfold'], 'per');
    const head = await t.store.headPosition();
    const res = await t.http().post('/centres').set(outsider).set('Idempotency-Key', 'reg-skien-1').send(centre());
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('ACCESS.OTHER_COUNTY');
    expect(JSON.stringify(res.body)).not.toContain('reg-skien-1');
    expect(await t.store.headPosition()).toBe(head);
  });

  it('50 concurrent retries of a rename (a stream that already exists) also give one event and identical answers', async () => {
    const head = await t.store.headPosition();
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => t.http().post('/centres/kc-skien/rename').set(officer).set('Idempotency-Key', 'rename-1').send({ name: 'Karriere Telemark', effectiveFrom: '2016-01-01' })),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(50).fill(200));
    expect(new Set(answers.map((a) => JSON.stringify(a.body))).size).toBe(1);
    expect(await t.store.readAll({ after: head })).toHaveLength(1);
  });

  it('an invalid Idempotency-Key is refused with 400', async () => {
    const res = await t.http().post('/centres').set(officer).set('Idempotency-Key', 'x'.repeat(201)).send(centre({ centreId: 'kc-bo' }));
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('IDEMPOTENCY_KEY_INVALID');
  });
});

describe('idempotency on SQLite through handleCommand', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-idem-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const admin: Actor = { id: 'admin-1', name: 'Admin', roles: ['admin'], counties: [], actingRole: 'admin' };
  const officer: Actor = { id: 'kari', name: 'Kari', roles: ['finance-officer'], counties: ['telemark'], actingRole: 'finance-officer' };
  const def = (name: string) => countyCommands.find((c) => c.name === name)!;

  it('50 concurrent retries (each on its own connection) → one event, identical results; another body → IDEMPOTENCY_KEY_REUSED; still so after re-opening', async () => {
    const path = join(dir, 'idem.sqlite');
    const setup = new SqliteEventStore({ path });
    await handleCommand({ store: setup }, def('RegisterCounty'), { countyId: 'telemark', name: 'Telemark', countyNumber: '08' }, { actor: admin });
    const head = await setup.headPosition();
    const conns = Array.from({ length: 50 }, () => new SqliteEventStore({ path }));
    const outcomes = await Promise.all(conns.map((store) => handleCommand({ store }, def('RegisterCentre'), centre(), { actor: officer, idempotencyKey: 'k-1' })));
    expect(outcomes.filter((o) => !o.replayed)).toHaveLength(1);
    expect(new Set(outcomes.map((o) => JSON.stringify(o.result))).size).toBe(1);
    expect(await setup.readAll({ after: head })).toHaveLength(1);
    const err = await handleCommand({ store: conns[0] }, def('RegisterCentre'), centre({ name: 'Other' }), { actor: officer, idempotencyKey: 'k-1' }).catch((e) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect(err.code).toBe('IDEMPOTENCY_KEY_REUSED');
    for (const c of conns) await c.close();
    await setup.close();
    const reopened = new SqliteEventStore({ path });
    const again = await handleCommand({ store: reopened }, def('RegisterCentre'), centre(), { actor: officer, idempotencyKey: 'k-1' });
    expect(again).toEqual({ result: outcomes[0].result, events: [], replayed: true });
    expect(await reopened.headPosition()).toBe(head + 1);
    await reopened.close();
  });

  it('two senders with one key, 25 retries each on connections of their own, all at once: both recorded, once each; each sender\'s answers identical', async () => {
    const path = join(dir, 'two-senders.sqlite');
    const setup = new SqliteEventStore({ path });
    await handleCommand({ store: setup }, def('RegisterCounty'), { countyId: 'telemark', name: 'Telemark', countyNumber: '08' }, { actor: admin });
    const head = await setup.headPosition();
    const ola: Actor = { ...officer, id: 'ola', name: 'Ola' };
    const conns = Array.from({ length: 50 }, () => new SqliteEventStore({ path }));
    const outcomes = await Promise.all(
      conns.map((store, i) =>
        i % 2 === 0
          ? handleCommand({ store }, def('RegisterCentre'), centre(), { actor: officer, idempotencyKey: 'k-shared' })
          : handleCommand({ store }, def('RegisterCentre'), centre({ centreId: 'kc-notodden', name: 'Notodden', municipality: 'Notodden' }), { actor: ola, idempotencyKey: 'k-shared' }),
      ),
    );
    const answers = (even: boolean) => new Set(outcomes.filter((_, i) => (i % 2 === 0) === even).map((o) => JSON.stringify(o.result)));
    expect([answers(true).size, answers(false).size, outcomes.filter((o) => !o.replayed).length]).toEqual([1, 1, 2]);
    expect((await setup.readAll({ after: head })).map((e) => [e.streamId, e.metadata.actorId]).sort()).toEqual([
      ['centre-kc-notodden', 'ola'],
      ['centre-kc-skien', 'kari'],
    ]);
    expect(sqliteIdempotencyProblems(setup.db)).toEqual([]);
    for (const c of conns) await c.close();
    await setup.close();
  });
});

describe('a ledger kept from before keys were per sender (SQLite, over HTTP)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-idem-legacy-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('its receipts (the key alone) still answer their sender\'s retries with the first answer, with a token of another role too; another body of theirs is 409; another sender\'s own write under the key is recorded; verify\'s cross-check finds nothing', async () => {
    const path = join(dir, 'old.sqlite');
    const body = centre({ centreId: 'kc-old', name: 'Karrieresenteret Gammel' });
    // The ledger as the server wrote it, then its idempotency table as it was before this change.
    const before = await startTestApp({ store: new SqliteEventStore({ path }), seed: true });
    const first = await before.http().post('/centres').set(await before.auth('finance-officer', ['telemark'], 'kari')).set('Idempotency-Key', 'reg-old').send(body);
    expect(first.status).toBe(201);
    await before.close();
    await before.store.close();
    const raw = new Database(path);
    toLayoutBeforeSenders(raw);
    expect(raw.prepare('SELECT key FROM idempotency WHERE key = ?').pluck().get('reg-old')).toBe('reg-old');
    raw.close();

    const store = new SqliteEventStore({ path });
    const t = await startTestApp({ store });
    try {
      const kari = await t.auth('finance-officer', ['telemark'], 'kari');
      const head = await store.headPosition();
      const retries = await Promise.all(Array.from({ length: 10 }, () => t.http().post('/centres').set(kari).set('Idempotency-Key', 'reg-old').send(body)));
      expect(retries.map((r) => [r.status, r.text])).toEqual(retries.map(() => [201, first.text]));
      const otherRole = await t.http().post('/centres').set(await t.auth(['finance-officer', 'admin'], ['telemark'], 'kari')).set('Idempotency-Key', 'reg-old').send(body);
      expect([otherRole.status, otherRole.text]).toEqual([201, first.text]);
      const otherBody = await t.http().post('/centres').set(kari).set('Idempotency-Key', 'reg-old').send(centre({ centreId: 'kc-new', name: 'Ny' }));
      expect([otherBody.status, otherBody.body.code]).toEqual([409, 'IDEMPOTENCY_KEY_REUSED']);
      expect(await store.headPosition()).toBe(head);
      // Another sender: not blocked, not told the key exists; their write is their own, once.
      const ola = await t.auth('finance-officer', ['telemark'], 'ola');
      const olaBody = centre({ centreId: 'kc-ola', name: 'Olas senter' });
      const olas = await Promise.all(Array.from({ length: 5 }, () => t.http().post('/centres').set(ola).set('Idempotency-Key', 'reg-old').send(olaBody)));
      expect(olas.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
      expect(new Set(olas.map((r) => r.text)).size).toBe(1);
      expect(olas[0].body.streamId).toBe('centre-kc-ola');
      expect(await store.headPosition()).toBe(head + 1);
      expect(store.db.prepare("SELECT actor_id, key FROM idempotency_receipts WHERE key = 'reg-old' ORDER BY actor_id").all()).toEqual([
        { actor_id: '', key: 'reg-old' },
        { actor_id: 'ola', key: 'reg-old' },
      ]);
      expect(sqliteIdempotencyProblems(store.db)).toEqual([]);
    } finally {
      await t.close();
      await store.close();
    }
  });
});
