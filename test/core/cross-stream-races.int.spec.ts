import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommandExecutor } from '../../libs/application/src/command-executor';
import { CommandRegistry } from '../../libs/application/src/command-registry';
import { validatePayload } from '../../libs/application/src/validation';
import { Actor, DomainError } from '../../libs/domain/src/shared';
import { MemoryEventStore } from '../../libs/event-store/src/memory-event-store';
import { EventStore, EventToAppend } from '../../libs/event-store/src/port';
import { SqliteEventStore } from '../../libs/event-store/src/sqlite-event-store';
import { startTestApp } from '../helpers/test-app';
import { allEvents, holdFirstAppend } from '../helpers/held-append';

/**
 * Rules that read other streams than the one they write to, raced: another request's write lands
 * after the decision read what it rests on and before its own append. Each race is staged exactly
 * by holding the first command's append until the other command has been recorded. Without the
 * append's conditions (handleCommand's decisionIo, AppendConditions), every one of these lets the
 * first command land on what it no longer should.
 */

const admin: Actor = { id: 'admin', name: 'Admin', roles: ['admin'], counties: [], actingRole: 'admin' };
const fo: Actor = { id: 'fo', name: 'FO Telemark', roles: ['finance-officer'], counties: ['telemark'], actingRole: 'finance-officer' };


const stores: [string, () => { store: EventStore; done: () => Promise<void> }][] = [
  ['memory', () => ({ store: new MemoryEventStore(), done: async () => undefined })],
  [
    'sqlite',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'races-'));
      const store = new SqliteEventStore({ path: join(dir, 'ledger.sqlite') });
      return {
        store,
        done: async () => {
          await store.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  ],
];

describe.each(stores)('cross-stream rules raced (%s store, command path without views)', (_name, make) => {
  let store: EventStore;
  let done: () => Promise<void>;
  beforeEach(async () => {
    ({ store, done } = make());
    await exec(store)('RegisterCounty', { countyId: 'telemark', name: 'Telemark', countyNumber: '08' });
    await exec(store)('RegisterParty', { partyId: 'telemark-fk', name: 'Telemark fylkeskommune', kind: 'county-authority', countyId: 'telemark' });
    await exec(store)('RegisterCentre', { centreId: 'tm', countyId: 'telemark', name: 'Karrieresenter Telemark', municipality: 'Skien', openedOn: '2009-09-01' });
    await exec(store)('RegisterCentre', { centreId: 'tm2', countyId: 'telemark', name: 'Karrieresenter Notodden', municipality: 'Notodden', openedOn: '2009-09-01' });
  });
  afterEach(() => done());

  const exec = (s: EventStore) => {
    const registry = new CommandRegistry();
    const executor = new CommandExecutor(s, registry, null);
    return async (command: string, payload: object, actor: Actor = admin) => executor.execute({ command, payload: await validatePayload(registry.get(command).payload, payload), actor });
  };
  const refusal = (p: Promise<unknown>): Promise<DomainError> =>
    p.then(
      () => {
        throw new Error('expected a refusal, but it was recorded');
      },
      (e: unknown) => e as DomainError,
    );
  const grant2014 = (centreId: string, entryId: string) => ({ entryId, centreId, fiscalYear: 2014, partyId: 'telemark-fk', amount: '1000000.00', decidedOn: '2013-12-01' });

  it('an operating grant decided while the centre was open, whose append comes after the closing that beat it, is decided again and refused', async () => {
    const close = () => exec(store)('CloseCentre', { centreId: 'tm', closedOn: '2013-12-31', reason: 'Lagt ned' }, fo);
    const { view, state } = holdFirstAppend(store, 'funding-entry-g2014', close);
    const err = await refusal(exec(view)('RecordOperatingGrant', grant2014('tm', 'g2014'), fo));
    expect(err.code).toBe('CENTRE.CLOSED');
    expect(state.attempts).toBe(1); // refused when decided again, before a second append
    const events = await allEvents(store);
    expect(events.map((e) => e.type)).toContain('CentreClosed');
    expect(events.filter((e) => e.type === 'OperatingGrantRecorded')).toEqual([]);
  });

  it('a closing decided before a later year\'s grant was recorded, whose append comes after it, is decided again and refused naming the grant', async () => {
    const grant = () => exec(store)('RecordOperatingGrant', grant2014('tm', 'g2014'), fo);
    const { view, state } = holdFirstAppend(store, 'centre-tm', grant);
    const err = await refusal(exec(view)('CloseCentre', { centreId: 'tm', closedOn: '2013-12-31', reason: 'Lagt ned' }, fo));
    expect(err.code).toBe('CENTRE.CLOSE_BEFORE_ACTIVITY');
    expect(state.attempts).toBe(1);
    const events = await allEvents(store);
    expect(events.map((e) => e.type)).not.toContain('CentreClosed');
    expect(events.filter((e) => e.type === 'OperatingGrantRecorded').map((e) => e.data.centreId)).toEqual(['tm']);
  });

  it('a write about another centre in the meantime does not disturb the closing: one append, recorded', async () => {
    const other = () => exec(store)('RecordOperatingGrant', grant2014('tm2', 'g-other'), fo);
    const { view, state } = holdFirstAppend(store, 'centre-tm', other);
    const out = await exec(view)('CloseCentre', { centreId: 'tm', closedOn: '2013-12-31', reason: 'Lagt ned' }, fo);
    expect(out.result.eventIds).toHaveLength(1);
    expect(state.attempts).toBe(1);
    expect((await allEvents(store)).map((e) => e.type).slice(-2)).toEqual(['OperatingGrantRecorded', 'CentreClosed']);
  });

  it('two parties registered at the same moment with one organisation number: the second written is decided again and refused', async () => {
    const first = () => exec(store)('RegisterParty', { partyId: 'org-b', name: 'Org B', kind: 'other', organisationNumber: '912345688' });
    const { view, state } = holdFirstAppend(store, 'party-org-a', first);
    const err = await refusal(exec(view)('RegisterParty', { partyId: 'org-a', name: 'Org A', kind: 'other', organisationNumber: '912345688' }));
    expect(err.code).toBe('PARTY.ORGANISATION_NUMBER_TAKEN');
    expect(state.attempts).toBe(1);
    const withNumber = (await allEvents(store)).filter((e) => e.type === 'PartyRegistered' && e.data.organisationNumber === '912345688');
    expect(withNumber.map((e) => e.data.partyId)).toEqual(['org-b']);
  });

  it('two county authorities of one county registered at the same moment under one name: the second written is decided again and refused', async () => {
    await exec(store)('RegisterCounty', { countyId: 'ostfold', name: 'Østfold', countyNumber: '01' });
    const first = () => exec(store)('RegisterParty', { partyId: 'ostfold-fk', name: 'Østfold fylkeskommune', kind: 'county-authority', countyId: 'ostfold' });
    const { view, state } = holdFirstAppend(store, 'party-ostfold-fylkeskommune', first);
    const err = await refusal(exec(view)('RegisterParty', { partyId: 'ostfold-fylkeskommune', name: 'østfold  Fylkeskommune', kind: 'county-authority', countyId: 'ostfold' }));
    expect([err.code, err.details?.partyId]).toEqual(['PARTY.NAME_TAKEN', 'ostfold-fk']);
    expect(state.attempts).toBe(1);
    expect((await allEvents(store)).filter((e) => e.type === 'PartyRegistered' && e.data.countyId === 'ostfold').map((e) => e.data.partyId)).toEqual(['ostfold-fk']);
  });

  it('a rename to a name another party is given meanwhile (a rename of its own) is decided again and refused; a rename to another name does not disturb it', async () => {
    await exec(store)('RegisterParty', { partyId: 'kom-a', name: 'Skien kommune', kind: 'municipality', countyId: 'telemark' });
    await exec(store)('RegisterParty', { partyId: 'kom-b', name: 'Porsgrunn kommune', kind: 'municipality', countyId: 'telemark' });
    const raced = holdFirstAppend(store, 'party-kom-b', () => exec(store)('RenameParty', { partyId: 'kom-a', name: 'Grenland kommune', effectiveFrom: '2014-01-01' }));
    const err = await refusal(exec(raced.view)('RenameParty', { partyId: 'kom-b', name: 'Grenland kommune', effectiveFrom: '2014-01-01' }));
    expect([err.code, err.details?.partyId, raced.state.attempts]).toEqual(['PARTY.NAME_TAKEN', 'kom-a', 1]);
    const other = holdFirstAppend(store, 'party-kom-b', () => exec(store)('RenameParty', { partyId: 'kom-a', name: 'Skien bykommune', effectiveFrom: '2015-01-01' }));
    await exec(other.view)('RenameParty', { partyId: 'kom-b', name: 'Porsgrunn bykommune', effectiveFrom: '2015-01-01' });
    expect(other.state.attempts).toBe(1);
  });

  it('two counties registered at the same moment with one county number: the second written is refused', async () => {
    const first = () => exec(store)('RegisterCounty', { countyId: 'vestfold', name: 'Vestfold', countyNumber: '07' });
    const { view } = holdFirstAppend(store, 'county-vestfold-2', first);
    const err = await refusal(exec(view)('RegisterCounty', { countyId: 'vestfold-2', name: 'Vestfold 2', countyNumber: '07' }));
    expect(err.code).toBe('COUNTY.NUMBER_TAKEN');
    expect((await allEvents(store)).filter((e) => e.type === 'CountyRegistered' && e.data.countyNumber === '07')).toHaveLength(1);
  });

  it('a party registered meanwhile with another number does not disturb a registration', async () => {
    const other = () => exec(store)('RegisterParty', { partyId: 'org-b', name: 'Org B', kind: 'other', organisationNumber: '987654325' });
    const { view, state } = holdFirstAppend(store, 'party-org-a', other);
    await exec(view)('RegisterParty', { partyId: 'org-a', name: 'Org A', kind: 'other', organisationNumber: '912345688' });
    // Only a registration of the same number would break the decision: recorded at the first append.
    expect(state.attempts).toBe(1);
    expect((await allEvents(store)).filter((e) => e.type === 'PartyRegistered').map((e) => e.data.partyId).slice(-2)).toEqual(['org-b', 'org-a']);
  });

  it('a command whose other streams keep changing is refused 409 STREAM.CONCURRENT_CHANGE after 5 decisions, with nothing recorded', async () => {
    let n = 0;
    // Every append of the grant is preceded by a rename of its centre (the centre stream moves each time).
    const view = new Proxy(store, {
      get(target, prop, receiver) {
        if (prop === 'append') {
          return async (...a: Parameters<EventStore['append']>) => {
            if (a[0] === 'funding-entry-busy') await exec(store)('RenameCentre', { centreId: 'tm', name: `Karrieresenter Telemark ${++n}`, effectiveFrom: '2014-01-01' }, fo);
            return target.append(...(a as [string, EventToAppend[], Parameters<EventStore['append']>[2]]));
          };
        }
        const v = Reflect.get(target, prop, receiver);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
    const err = await refusal(exec(view)('RecordOperatingGrant', grant2014('tm', 'busy'), fo));
    expect(err.code).toBe('STREAM.CONCURRENT_CHANGE');
    expect(err.details).toMatchObject({ streamId: 'centre-tm' });
    expect(n).toBe(5);
    expect((await allEvents(store)).filter((e) => e.type === 'OperatingGrantRecorded')).toEqual([]);
  });
});

describe('cross-stream race through HTTP, with the views (SQLite)', () => {
  it('a closing raced by a grant for a later year: 409 CENTRE.CLOSE_BEFORE_ACTIVITY naming it, nothing closed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'races-http-'));
    const real = new SqliteEventStore({ path: join(dir, 'ledger.sqlite') });
    let meanwhile: (() => Promise<unknown>) | null = null;
    const store = new Proxy(real, {
      get(target, prop, receiver) {
        if (prop === 'append') {
          return async (...a: Parameters<EventStore['append']>) => {
            const run = a[0] === 'centre-kc-skien' && a[1].some((e) => e.type === 'CentreClosed') ? meanwhile : null;
            meanwhile = run ? null : meanwhile;
            if (run) await run();
            return target.append(...a);
          };
        }
        const v = Reflect.get(target, prop, receiver);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
    const t = await startTestApp({ store, seed: true });
    try {
      const officer = await t.auth('finance-officer', ['telemark']);
      const adminAuth = await t.auth('admin');
      const ok = async (r: Promise<{ status: number; body: any }>) => {
        const res = await r;
        expect([200, 201]).toContain(res.status);
        return res;
      };
      await ok(t.http().post('/parties').set(adminAuth).send({ partyId: 'telemark-fk', name: 'Telemark fylkeskommune', kind: 'county-authority', countyId: 'telemark' }));
      await ok(t.http().post('/centres').set(officer).send({ centreId: 'kc-skien', countyId: 'telemark', name: 'Karrieresenter Skien', municipality: 'Skien', openedOn: '2009-09-01' }));
      meanwhile = () => ok(t.http().post('/centres/kc-skien/funding/operating-grants').set(officer).send({ entryId: 'g-2014', fiscalYear: 2014, partyId: 'telemark-fk', amount: '500000.00', decidedOn: '2013-12-01' }));
      const res = await t.http().post('/centres/kc-skien/close').set(officer).send({ closedOn: '2013-12-31', reason: 'Lagt ned' });
      expect(meanwhile).toBeNull(); // the grant did land in between
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('CENTRE.CLOSE_BEFORE_ACTIVITY');
      expect(JSON.stringify(res.body.details)).toContain('2014');
      const events = await real.readAll({ after: 0, maxCount: 10_000 });
      expect(events.map((e) => e.type)).not.toContain('CentreClosed');
    } finally {
      await t.close();
      await real.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
