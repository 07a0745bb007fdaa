import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommandBus } from '@nestjs/cqrs';
import { LedgerCommand } from '../../apps/api/src/ledger/ledger-command';
import { stoppedAt } from '../../apps/cli/src/commands/import';
import { CLI_ACTOR } from '../../apps/cli/src/cli-context';
import { CommandRegistry } from '../../libs/application/src/command-registry';
import { dryRunImport, ImportLine, importRequest } from '../../libs/application/src/import-file';
import { ProjectionEngine } from '../../libs/application/src/projection-engine';
import { validatePayload } from '../../libs/application/src/validation';
import { StreamDeletedOnNodeError } from '../../libs/event-store/src/errors';
import { EventStoreDbEventStore } from '../../libs/event-store/src/eventstoredb-event-store';
import { FakeEsdbClient } from '../../libs/event-store/src/eventstoredb-fake-client.fixture';
import { startTestApp, TestApp } from '../helpers/test-app';

/**
 * `ledger import` on EventStoreDB when a line needs a stream an administrator hard-deleted on the
 * node: the dry run names the line with STORE.STREAM_DELETED (it threw the store's error past the
 * line, and the CLI printed the message alone), and a line that meets the deletion only when applied
 * is told as nothing recorded, to be run again once the stream is restored (it was told as an
 * "unexpected error" of the import itself, a full disk or a fault).
 */
describe('ledger import and a stream hard-deleted on the EventStoreDB node', () => {
  let t: TestApp;
  let server: FakeEsdbClient;
  let dir: string;
  let quiet: jest.SpyInstance;
  let registry: CommandRegistry;

  const line = async (n: number, command: string, payload: object): Promise<ImportLine> => ({
    line: n,
    command,
    payload: await validatePayload(registry.get(command).payload, payload),
    idempotencyKey: `deleted-${n}`,
  });
  const grant = (entryId: string) => ({ entryId, fiscalYear: 2014, partyId: 'telemark-fk', amount: '1000.00', decidedOn: '2014-01-15', reference: null });

  beforeAll(async () => {
    // The views stop at the tombstone and say so on stderr: expected here.
    quiet = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    server = new FakeEsdbClient();
    dir = mkdtempSync(join(tmpdir(), 'import-deleted-'));
    t = await startTestApp({ store: new EventStoreDbEventStore(server), env: { LEDGER_SQLITE_PATH: join(dir, 'ledger.sqlite') } });
    registry = t.app.get(CommandRegistry);
    const admin = await t.auth('admin', [], 'import-admin');
    expect((await t.http().post('/counties').set(admin).send({ countyId: 'telemark', name: 'Telemark', countyNumber: '08' })).status).toBe(201);
    for (const centreId of ['kc-skien', 'kc-notodden']) {
      const res = await t.http().post('/centres').set(admin).send({ centreId, countyId: 'telemark', name: centreId, municipality: 'Skien', openedOn: '2014-01-01' });
      expect(res.status).toBe(201);
    }
    expect((await t.http().post('/parties').set(admin).send({ partyId: 'telemark-fk', name: 'Telemark fylkeskommune', kind: 'county-authority', countyId: 'telemark' })).status).toBe(201);
    server.tombstone('centre-kc-skien');
  });
  afterAll(async () => {
    await t?.close();
    quiet.mockRestore();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the dry run names the line that needs the deleted stream with STORE.STREAM_DELETED, and goes on to the next lines', async () => {
    const lines = [
      await line(1, 'RecordOperatingGrant', { ...grant('g-notodden'), centreId: 'kc-notodden' }),
      await line(2, 'RecordOperatingGrant', { ...grant('g-skien'), centreId: 'kc-skien' }),
      await line(3, 'RecordOperatingGrant', { ...grant('g-notodden-2'), centreId: 'kc-notodden' }),
    ];
    const problems = await dryRunImport(t.store, registry, lines, CLI_ACTOR, t.app.get(ProjectionEngine));
    expect(problems.map((p) => [p.line, p.code])).toEqual([[2, 'STORE.STREAM_DELETED']]);
    expect(problems[0].message).toContain('(stream centre-kc-skien) has been deleted from the EventStoreDB node');
    expect(server.stream('centre-kc-skien').map((e) => e.type)).toEqual(['CentreRegistered']);
  });

  it('applied through the command bus, such a line fails with the store\'s StreamDeletedOnNodeError, which the import tells as nothing recorded, to be run again once the stream is restored', async () => {
    const l = await line(4, 'RecordOperatingGrant', { ...grant('g-skien-2'), centreId: 'kc-skien' });
    const thrown = await t.app.get(CommandBus).execute(new LedgerCommand(importRequest(l, CLI_ACTOR))).then(
      () => null,
      (e: unknown) => e,
    );
    expect(thrown).toBeInstanceOf(StreamDeletedOnNodeError);
    const told = stoppedAt('grants.jsonl', l, thrown, 3).join('\n');
    expect(told).toContain('grants.jsonl: line 4 (RecordOperatingGrant) not applied: STORE.STREAM_DELETED Part of the ledger');
    expect(told).toContain('nothing of it was recorded. 3 line(s) before it were applied.');
    expect(told).toContain('Once an administrator has restored the stream (centre-kc-skien) on the node, run the same file again: it goes on from line 4');
    expect(told).not.toMatch(/unexpected error|full disk/);
  });
});
