import { Actor } from '../../../domain/src/shared';
import { MemoryEventStore } from '../../../event-store/src/memory-event-store';
import { CommandExecutor } from '../command-executor';
import { CommandRegistry } from '../command-registry';
import { validatePayload } from '../validation';

const admin: Actor = { id: 'admin', name: 'Admin', roles: ['admin'], counties: [], actingRole: 'admin' };
const fo: Actor = { id: 'fo', name: 'FO Telemark', roles: ['finance-officer'], counties: ['telemark'], actingRole: 'finance-officer' };

const setup = async () => {
  const store = new MemoryEventStore();
  const registry = new CommandRegistry();
  const exec = new CommandExecutor(store, registry, null);
  const run = async (command: string, payload: object, actor: Actor = admin, idempotencyKey?: string) =>
    exec.execute({ command, payload: await validatePayload(registry.get(command).payload, payload), actor, idempotencyKey });
  await run('RegisterCounty', { countyId: 'telemark', name: 'Telemark', countyNumber: '08' });
  await run('RegisterParty', { partyId: 'telemark-fk', name: 'Telemark fylkeskommune', kind: 'county-authority', countyId: 'telemark' });
  await run('RegisterCentre', { centreId: 'tm', countyId: 'telemark', name: 'Karrieresenter Telemark', municipality: 'Skien', openedOn: '2009-09-01' });
  return { store, run };
};

describe('funding commands through the command path (integration, memory store)', () => {
  it('an operating grant reads only the centre (once), the party and its own short entry stream', async () => {
    const { store, run } = await setup();
    const reads: string[] = [];
    const readStream = store.readStream.bind(store);
    store.readStream = (streamId, options) => {
      reads.push(streamId);
      return readStream(streamId, options);
    };
    const out = await run('RecordOperatingGrant', { entryId: 'g1', centreId: 'tm', fiscalYear: 2013, partyId: 'telemark-fk', amount: '2363000.00', decidedOn: '2012-12-11' }, fo);
    expect(out.result.streamId).toBe('funding-entry-g1');
    expect(reads.sort()).toEqual(['centre-tm', 'funding-entry-g1', 'party-telemark-fk']);
    const stored = await store.readStream('funding-entry-g1');
    expect(stored.map((e) => [e.type, e.data.amountOre, e.data.countyId, e.metadata.actorId, e.schemaVersion])).toEqual([['OperatingGrantRecorded', 236300000, 'telemark', 'fo', 1]]);
  });

  it('a correction appends the reversal and the new entry together, at one revision', async () => {
    const { store, run } = await setup();
    await run('RecordOperatingGrant', { entryId: 'g1', centreId: 'tm', fiscalYear: 2013, partyId: 'telemark-fk', amount: '2336000.00', decidedOn: '2012-12-11' });
    const out = await run('CorrectEntry', { entryId: 'g1', centreId: 'tm', reason: 'Sifrene byttet om', amount: '2363000.00' });
    expect(out.result).toMatchObject({ streamId: 'funding-entry-g1', revision: 2 });
    const events = await store.readStream('funding-entry-g1');
    expect(events.map((e) => [e.type, e.data.entryId, e.type === 'EntryReversed' ? e.data.correctedByEntryId : e.data.correctsEntryId])).toEqual([
      ['OperatingGrantRecorded', 'g1', null],
      ['EntryReversed', 'g1.reversal', 'g1.c1'],
      ['OperatingGrantRecorded', 'g1.c1', 'g1'],
    ]);
    expect(events[1].position + 1).toBe(events[2].position);
  });

  it('refusals append nothing: a finance officer of another county, an unknown centre, a bad amount', async () => {
    const { store, run } = await setup();
    const head = await store.headPosition();
    const other: Actor = { ...fo, counties: ['ostfold'] };
    await expect(run('RecordOperatingGrant', { entryId: 'g1', centreId: 'tm', fiscalYear: 2013, partyId: 'telemark-fk', amount: '1.00', decidedOn: '2013-01-01' }, other)).rejects.toMatchObject({ code: 'ACCESS.OTHER_COUNTY' });
    await expect(run('RecordOperatingGrant', { entryId: 'g1', centreId: 'nowhere', fiscalYear: 2013, partyId: 'telemark-fk', amount: '1.00', decidedOn: '2013-01-01' })).rejects.toMatchObject({ code: 'CENTRE.NOT_FOUND' });
    await expect(run('RecordOperatingGrant', { entryId: 'g1', centreId: 'tm', fiscalYear: 2013, partyId: 'telemark-fk', amount: '1.001', decidedOn: '2013-01-01' })).rejects.toMatchObject({ code: 'MONEY.FRACTIONAL_ORE' });
    await expect(run('ReverseEntry', { entryId: 'g1', centreId: 'tm', reason: 'x' }, { ...admin, roles: ['auditor'], actingRole: 'auditor' })).rejects.toMatchObject({ code: 'ACCESS.ROLE_NOT_ALLOWED' });
    expect(await store.headPosition()).toBe(head);
  });

  it('client entry ids may not look like a correction or a reversal', async () => {
    const registry = new CommandRegistry();
    for (const entryId of ['x.c1', 'x.reversal', 'a'.repeat(57)]) {
      await expect(validatePayload(registry.get('RecordOperatingGrant').payload, { entryId, centreId: 'tm', fiscalYear: 2013, partyId: 'p', amount: '1', decidedOn: '2013-01-01' })).rejects.toMatchObject({ code: 'VALIDATION.FAILED' });
    }
    await expect(validatePayload(registry.get('RecordOperatingGrant').payload, { entryId: 'x.c', centreId: 'tm', fiscalYear: 2013, partyId: 'p', amount: '1', decidedOn: '2013-01-01' })).resolves.toBeDefined();
  });
});
