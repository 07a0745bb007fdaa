import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventStoreDbEventStore } from '../../libs/event-store/src/eventstoredb-event-store';
import { FakeEsdbClient } from '../../libs/event-store/src/eventstoredb-fake-client.fixture';
import { startTestApp, TestApp } from '../helpers/test-app';

/**
 * The HTTP app on the EventStoreDB adapter (over its in-process stand-in of the client), after an
 * administrator hard-deleted one of the ledger's streams on the node: the reads and writes that
 * meet it answer 500 STORE.STREAM_DELETED in plain words (they answered 500 INTERNAL), as the
 * document says for those routes; a keyed write's retry gets the same answer, not 409
 * IDEMPOTENCY_KEY_IN_FLIGHT; GET /audit/verify names the stream.
 */
describe('a stream hard-deleted on the EventStoreDB node, over HTTP', () => {
  let t: TestApp;
  let server: FakeEsdbClient;
  let stopped: jest.SpyInstance;

  beforeAll(async () => {
    // The views stop at the tombstone and say so on stderr (projection engine): expected here.
    stopped = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    server = new FakeEsdbClient();
    t = await startTestApp({ store: new EventStoreDbEventStore(server) });
    const admin = await t.auth('admin', [], 'esdb-admin');
    const fo = await t.auth('finance-officer', ['telemark'], 'esdb-fo');
    expect((await t.http().post('/counties').set(admin).send({ countyId: 'telemark', name: 'Telemark', countyNumber: '08' })).status).toBe(201);
    expect((await t.http().post('/centres').set(fo).send({ centreId: 'kc-skien', countyId: 'telemark', name: 'Skien', municipality: 'Skien', openedOn: '2014-03-01' })).status).toBe(201);
    server.tombstone('centre-kc-skien');
  });
  afterAll(async () => {
    await t?.close();
    stopped.mockRestore();
  });

  const documented500 = async (method: 'get' | 'post', path: string): Promise<string> => ((await t.http().get('/docs-json')).body.paths[path][method].responses['500']?.description ?? '') as string;

  it('reading its history is 500 STORE.STREAM_DELETED naming it, as the route documents', async () => {
    const res = await t.http().get('/audit/streams/centre-kc-skien').set(await t.auth('auditor', [], 'esdb-auditor'));
    expect([res.status, res.body.code, res.body.details]).toEqual([500, 'STORE.STREAM_DELETED', { streamId: 'centre-kc-skien' }]);
    expect(res.body.message).toMatch(/^Part of the ledger's recorded history \(stream centre-kc-skien\) has been deleted from the EventStoreDB node/);
    expect(await documented500('get', '/audit/streams/{streamId}')).toContain('- `STORE.STREAM_DELETED` — ');
  });

  it('a keyed write to it is 500 STORE.STREAM_DELETED, and so is its retry with the same key (not 409 IDEMPOTENCY_KEY_IN_FLIGHT); nothing recorded', async () => {
    const fo = await t.auth('finance-officer', ['telemark'], 'esdb-fo');
    const send = () => t.http().post('/centres/kc-skien/rename').set(fo).set('Idempotency-Key', 'rename-1').send({ name: 'Karriere Telemark', effectiveFrom: '2016-01-01' });
    const first = await send();
    const retry = await send();
    expect([first.status, first.body.code, retry.status, retry.body.code]).toEqual([500, 'STORE.STREAM_DELETED', 500, 'STORE.STREAM_DELETED']);
    expect(first.headers['retry-after']).toBeUndefined();
    expect(server.stream('centre-kc-skien').map((e) => e.type)).toEqual(['CentreRegistered']);
    expect(await documented500('post', '/centres/{centreId}/rename')).toContain('- `STORE.STREAM_DELETED` — ');
  });

  it('GET /audit/verify answers 200 with ok=false, naming the stream as deleted at its tombstone', async () => {
    const res = await t.http().get('/audit/verify').set(await t.auth('auditor', [], 'esdb-auditor'));
    expect(res.status).toBe(200);
    expect(res.body.ok).toBe(false);
    expect(res.body.brokenStreams).toEqual([expect.objectContaining({ streamId: 'centre-kc-skien', reasons: ['stream-deleted'] })]);
  });
});

/**
 * The views at the tombstone, over HTTP: a read that needs them past it is refused at once with
 * 500 STORE.STREAM_DELETED (never 503 VIEWS.CATCHING_UP "try again in a moment" for good), GET /health
 * says so (still 200: the server is alive), and once the node is restored they go on by themselves.
 */
describe('the views at a stream hard-deleted on the EventStoreDB node, over HTTP', () => {
  let t: TestApp;
  let server: FakeEsdbClient;
  let warn: jest.SpyInstance;
  let dir: string;
  beforeAll(async () => {
    warn = jest.spyOn(process, 'emitWarning').mockImplementation((() => undefined) as typeof process.emitWarning);
    server = new FakeEsdbClient();
    // The views' checkpoints in a folder of its own (the stand-in's positions repeat from run to run).
    dir = mkdtempSync(join(tmpdir(), 'esdb-views-stopped-'));
    t = await startTestApp({ store: new EventStoreDbEventStore(server), env: { LEDGER_SQLITE_PATH: join(dir, 'ledger.sqlite') } });
  });
  afterAll(async () => {
    await t?.close();
    warn.mockRestore();
    rmSync(dir, { recursive: true, force: true });
  });

  it('GET /health names the stop (viewsStopped, 200) and view reads past it are 500 STORE.STREAM_DELETED at once; restored, both are as before', async () => {
    const admin = await t.auth('admin', [], 'esdb-admin');
    const fo = await t.auth('finance-officer', ['telemark'], 'esdb-fo');
    const auditor = await t.auth('auditor', [], 'esdb-auditor');
    expect((await t.http().post('/counties').set(admin).send({ countyId: 'telemark', name: 'Telemark', countyNumber: '08' })).status).toBe(201);
    for (const centreId of ['kc-skien', 'kc-notodden']) {
      expect((await t.http().post('/centres').set(fo).send({ centreId, countyId: 'telemark', name: centreId, municipality: 'Skien', openedOn: '2014-03-01' })).status).toBe(201);
    }
    const fine = await t.http().get('/health');
    expect([fine.status, fine.body.status, fine.body.viewsStopped]).toEqual([200, 'ok', null]);
    const tombstone = Number(server.tombstone('centre-kc-skien').position);
    // A write that reads nothing across the log is still recorded past the tombstone.
    const declaration = { declarationId: '6f1c1d6e-8a8e-4a53-9d0e-2f8a4c1b7e11', effectiveFrom: '2014-03-02', freeOfCharge: true, openToAllAdults: true, fromAge: 25 };
    expect((await t.http().post('/centres/kc-notodden/grant-evidence/service-declarations').set(fo).send(declaration)).status).toBe(201);
    const started = Date.now();
    const read = await t.http().get('/counties').set(auditor);
    expect([read.status, read.body.code, read.body.details]).toEqual([500, 'STORE.STREAM_DELETED', { streamId: 'centre-kc-skien', position: tombstone }]);
    expect(Date.now() - started).toBeLessThan(3_000);
    const health = await t.http().get('/health');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'ok', viewsStopped: { code: 'STORE.STREAM_DELETED', details: { streamId: 'centre-kc-skien', position: tombstone }, retrying: true } });
    expect(health.body.viewsStopped.message).toMatch(/^Part of the ledger's recorded history \(stream centre-kc-skien\)/);
    expect(health.body.viewsPosition).toBeLessThan(tombstone);
    // The node restored from a backup: the views go on without a restart.
    server.restore('centre-kc-skien');
    let after = await t.http().get('/health');
    for (const end = Date.now() + 5_000; after.body.viewsStopped !== null && Date.now() < end; after = await t.http().get('/health')) await new Promise((r) => setTimeout(r, 50));
    expect([after.body.viewsStopped, after.body.viewsPosition]).toEqual([null, after.body.headPosition]);
    const again = await t.http().get('/centres').set(auditor);
    expect(again.status).toBe(200);
    expect(JSON.stringify(again.body)).toContain('kc-skien');
  }, 30_000);
});
