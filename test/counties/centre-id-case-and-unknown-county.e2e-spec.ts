import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommandExecutor } from '../../libs/application/src/command-executor';
import { CommandRegistry } from '../../libs/application/src/command-registry';
import { validatePayload } from '../../libs/application/src/validation';
import { Actor, DomainError } from '../../libs/domain/src/shared';
import { MemoryEventStore } from '../../libs/event-store/src/memory-event-store';
import { EventStore } from '../../libs/event-store/src/port';
import { SqliteEventStore } from '../../libs/event-store/src/sqlite-event-store';
import { allEvents, holdFirstAppend } from '../helpers/held-append';
import { startTestApp, TestApp } from '../helpers/test-app';

/**
 * One centre is registered once: an id is compared without regard to case ("KC-Notodden" beside
 * "kc-notodden" is 409 CENTRE.ALREADY_REGISTERED naming it), a name is one centre's per county while
 * both are open (409 CENTRE.NAME_TAKEN), party ids likewise (PARTY.ALREADY_REGISTERED). And a county
 * id that is not registered is 404 COUNTY.NOT_FOUND for every role on every write that names one,
 * before the county access check (403 ACCESS.OTHER_COUNTY stays for a registered county outside the
 * token).
 */

type Auth = { Authorization: string };
const centre = (over: Record<string, unknown> = {}) => ({ centreId: 'kc-notodden', countyId: 'telemark', name: 'Karrieresenteret Notodden', municipality: 'Notodden', openedOn: '2010-03-01', ...over });

describe('centre and party ids in another case, centre names, and county ids that are not registered (HTTP)', () => {
  let t: TestApp;
  let kari: Auth; // finance officer, Telemark
  let admin: Auth;

  const post = (path: string, body: object, who: Auth = kari) => t.http().post(path).set(who).send(body);
  /** A refusal that records nothing: status, code and the log's head unchanged. */
  const refused = async (path: string, body: object, status: number, code: string, who: Auth = kari) => {
    const before = await t.store.headPosition();
    const res = await post(path, body, who);
    expect([res.status, res.body.code, res.body.message]).toEqual([status, code, expect.any(String)]);
    expect(await t.store.headPosition()).toBe(before);
    return res;
  };
  const centreIds = async (): Promise<string[]> => (await t.http().get('/centres').set(admin)).body.map((c: { centreId: string }) => c.centreId);

  beforeAll(async () => {
    t = await startTestApp({ seed: true, env: { LEDGER_RATE_LIMIT_PER_MINUTE: '0' } });
    kari = await t.auth('finance-officer', ['telemark'], 'kari');
    admin = await t.auth('admin', [], 'admin');
    expect((await post('/centres', centre())).status).toBe(201);
    expect((await post('/parties', { partyId: 'nav-telemark', name: 'NAV Telemark', kind: 'nav-county-office', countyId: 'telemark' })).status).toBe(201);
  });
  afterAll(() => t?.close());

  describe('a centre id in another case', () => {
    it('"KC-Notodden" beside "kc-notodden" is 409 CENTRE.ALREADY_REGISTERED naming kc-notodden, for an officer and an admin, whatever the name; no second centre', async () => {
      for (const [who, body] of [
        [kari, centre({ centreId: 'KC-Notodden' })],
        [admin, centre({ centreId: 'KC-NOTODDEN' })],
        [kari, centre({ centreId: 'Kc-notodden', name: 'Notodden karrieresenter', municipality: 'Notodden' })],
      ] as const) {
        const res = await refused('/centres', body, 409, 'CENTRE.ALREADY_REGISTERED', who);
        expect(res.body.details).toEqual({ centreId: 'kc-notodden' });
        expect(res.body.message).toContain('kc-notodden');
        expect(res.body.message).toContain(body.centreId);
      }
      expect((await centreIds()).filter((id) => id.toLowerCase() === 'kc-notodden')).toEqual(['kc-notodden']);
    });

    it('the exact id again is refused as before; a centre whose id only contains another\'s is recorded', async () => {
      await refused('/centres', centre(), 409, 'CENTRE.ALREADY_REGISTERED');
      expect((await post('/centres', centre({ centreId: 'kc-notodden-2', name: 'Karrieresenteret Notodden vest' }))).status).toBe(201);
    });
  });

  describe('a centre name another centre of the county has', () => {
    it('the same name in another case, with other whitespace or decomposed letters is 409 CENTRE.NAME_TAKEN naming the other centre', async () => {
      expect((await post('/centres', centre({ centreId: 'kc-bo', name: 'Karrieresenteret Bø og Åmot', municipality: 'Bø' }))).status).toBe(201);
      for (const name of ['Karrieresenteret Bø og Åmot', 'KARRIERESENTERET  BØ OG ÅMOT', ' karrieresenteret bø og åmot', 'Karrieresenteret Bø og A\u030Amot']) {
        const res = await refused('/centres', centre({ centreId: 'kc-bo-2', name, municipality: 'Bø' }), 409, 'CENTRE.NAME_TAKEN');
        expect(res.body.details).toEqual({ centreId: 'kc-bo', name: 'Karrieresenteret Bø og Åmot', countyId: 'telemark' });
        expect(res.body.message).toContain('kc-bo');
      }
      // An admin is held to the same rule.
      await refused('/centres', centre({ centreId: 'kc-bo-2', name: 'Karrieresenteret Bø og Åmot' }), 409, 'CENTRE.NAME_TAKEN', admin);
    });

    it('the same name in another county is another centre (201)', async () => {
      expect((await post('/centres', centre({ centreId: 'kc-bo-vestfold', countyId: 'vestfold', name: 'Karrieresenteret Bø' }), admin)).status).toBe(201);
    });

    it('a merger: a centre closed from the day the new one opens leaves its name free; one still open that day does not', async () => {
      expect((await post('/centres', centre({ centreId: 'kc-kragero', name: 'Karrieresenteret Kragerø', municipality: 'Kragerø', openedOn: '2009-01-05' }))).status).toBe(201);
      expect((await post('/centres/kc-kragero/close', { closedOn: '2015-01-01', reason: 'Slått sammen med Karriere Telemark' })).status).toBe(200);
      const newer = centre({ centreId: 'kc-kragero-ny', name: 'karrieresenteret kragerø', municipality: 'Kragerø' });
      const early = await refused('/centres', { ...newer, openedOn: '2014-12-31' }, 409, 'CENTRE.NAME_TAKEN');
      expect(early.body.details.centreId).toBe('kc-kragero');
      expect((await post('/centres', { ...newer, openedOn: '2015-01-01' })).status).toBe(201);
    });

    it('a name the other centre no longer had when the new one opens is free; one it takes later (a rename recorded for a later date) is not', async () => {
      expect((await post('/centres', centre({ centreId: 'kc-seljord', name: 'Karrieresenteret Seljord', municipality: 'Seljord', openedOn: '2009-01-05' }))).status).toBe(201);
      expect((await post('/centres/kc-seljord/rename', { name: 'Karriere Vest-Telemark', effectiveFrom: '2013-01-01' })).status).toBe(200);
      expect((await post('/centres', centre({ centreId: 'kc-seljord-2', name: 'Karrieresenteret Seljord', municipality: 'Seljord', openedOn: '2014-01-01' }))).status).toBe(201);
      const later = await refused('/centres', centre({ centreId: 'kc-vinje', name: 'Karriere Vest-Telemark', municipality: 'Vinje', openedOn: '2011-01-01' }), 409, 'CENTRE.NAME_TAKEN');
      expect(later.body.details).toMatchObject({ centreId: 'kc-seljord', name: 'Karriere Vest-Telemark' });
    });

    it('a rename is held to the same rule: not to a name another open centre of the county has while the new name would hold', async () => {
      const add = async (centreId: string, name: string, extra: Record<string, unknown> = {}) =>
        expect((await post('/centres', centre({ centreId, name, municipality: 'Skien', ...extra }))).status).toBe(201);
      const rename = (centreId: string, name: string, effectiveFrom: string) => post(`/centres/${centreId}/rename`, { name, effectiveFrom });
      await add('kc-skien', 'Karrieresenteret Skien');
      await add('kc-porsgrunn', 'Karrieresenteret Porsgrunn');
      // Another case, same name: refused, naming the centre that has it; nothing recorded.
      const taken = await refused('/centres/kc-porsgrunn/rename', { name: 'KARRIERESENTERET SKIEN', effectiveFrom: '2016-01-01' }, 409, 'CENTRE.NAME_TAKEN');
      expect(taken.body.details).toEqual({ centreId: 'kc-skien', name: 'Karrieresenteret Skien', countyId: 'telemark' });
      expect(taken.body.message).toContain('kc-porsgrunn would have that name');
      // The same name in another county, and a centre's own name in another case, are free.
      expect((await rename('kc-porsgrunn', 'Karrieresenteret Bø', '2016-01-01')).status).toBe(200);
      expect((await rename('kc-skien', 'KARRIERESENTERET SKIEN', '2016-01-01')).status).toBe(200);
      // A name its holder gave up before the rename takes effect is free from that day, not before.
      expect((await rename('kc-skien', 'Karriere Grenland', '2018-01-01')).status).toBe(200);
      await refused('/centres/kc-porsgrunn/rename', { name: 'Karrieresenteret Skien', effectiveFrom: '2017-12-31' }, 409, 'CENTRE.NAME_TAKEN');
      expect((await rename('kc-porsgrunn', 'Karrieresenteret Skien', '2018-01-01')).status).toBe(200);
      // A closed centre's name is free from its closing day.
      await add('kc-bamble', 'Karrieresenteret Bamble', { openedOn: '2011-01-01' });
      expect((await post('/centres/kc-bamble/close', { closedOn: '2019-01-01', reason: 'Lagt ned' })).status).toBe(200);
      await add('kc-langesund', 'Karrieresenteret Langesund', { openedOn: '2011-01-01' });
      await refused('/centres/kc-langesund/rename', { name: 'Karrieresenteret Bamble', effectiveFrom: '2018-06-01' }, 409, 'CENTRE.NAME_TAKEN');
      expect((await rename('kc-langesund', 'Karrieresenteret Bamble', '2019-01-01')).status).toBe(200);
      // The new name's window ends at the centre's own next rename: a name another centre takes only
      // after that is free; the same rename with no later one of its own is not.
      await add('kc-drangedal', 'Karrieresenteret Drangedal', { openedOn: '2011-01-01' });
      await add('kc-nissedal', 'Karrieresenteret Nissedal', { openedOn: '2011-01-01' });
      expect((await rename('kc-nissedal', 'Karriere Midt-Telemark', '2020-01-01')).status).toBe(200);
      expect((await rename('kc-drangedal', 'Karriere Drangedal og Nome', '2015-01-01')).status).toBe(200);
      expect((await rename('kc-drangedal', 'Karriere Midt-Telemark', '2012-01-01')).status).toBe(200); // 2012–2014 only
      const late = await refused('/centres/kc-drangedal/rename', { name: 'Karriere Midt-Telemark', effectiveFrom: '2016-01-01' }, 409, 'CENTRE.NAME_TAKEN');
      expect(late.body.details).toMatchObject({ centreId: 'kc-nissedal', name: 'Karriere Midt-Telemark' });
      // And registering beside a rename recorded for a later date is refused too (the rule both ways).
      await refused('/centres', centre({ centreId: 'kc-kviteseid', name: 'Karriere Midt-Telemark', municipality: 'Kviteseid', openedOn: '2016-01-01' }), 409, 'CENTRE.NAME_TAKEN');
    });
  });

  it('a party id in another case ("NAV-Telemark" beside "nav-telemark") is 409 PARTY.ALREADY_REGISTERED naming nav-telemark, whatever the name', async () => {
    const res = await refused('/parties', { partyId: 'NAV-Telemark', name: 'NAV Telemark fylke', kind: 'nav-county-office', countyId: 'telemark' }, 409, 'PARTY.ALREADY_REGISTERED');
    expect(res.body.details).toEqual({ partyId: 'nav-telemark' });
    expect(res.body.message).toContain('nav-telemark');
    expect((await t.http().get('/parties/NAV-Telemark').set(kari)).status).toBe(404);
  });

  describe('a county id that is not registered', () => {
    const writes = (countyId: string): [string, object][] => [
      ['/centres', centre({ centreId: 'kc-ukjent', countyId })],
      ['/parties', { partyId: 'ukjent-fk', name: 'Ukjent fylkeskommune', kind: 'county-authority', countyId }],
      ['/boards', { boardId: 'styre-ukjent', countyId, centreIds: ['kc-notodden'], name: 'Styret', establishedOn: '2012-01-01' }],
      [`/counties/${countyId}/partnership-agreements`, { partnershipId: 'pa-ukjent', parties: ['nav-telemark', 'telemark-fk'], signedOn: '2013-01-01', period: { from: '2013-01-01', to: '2013-12-31' } }],
      [`/counties/${countyId}/coordinating-function`, { holderPartyId: 'nav-telemark', description: 'Koordinerer', from: '2013-01-01', to: '2013-12-31' }],
      [`/counties/${countyId}/county-line-decisions`, { decisionId: 'cld-ukjent', centreIds: ['kc-notodden'], kind: 'goals', year: 2013, title: 'Mål 2013', content: { goals: ['Mål'] }, decidedOn: '2012-12-12' }],
      ['/stimulus-grants', { applicationId: 'stim-ukjent', countyId, year: 2014, purpose: 'development', amountAsked: '100000.00', description: 'Utviklingsarbeid', centreId: 'kc-notodden', appliedOn: '2014-02-01' }],
    ];

    it('"Telemark" and "telemark-fylke" are 404 COUNTY.NOT_FOUND for the county\'s own officer, another county\'s officer and an admin, on every write that names a county; "Telemark" is told the registered id', async () => {
      const vestfold = await t.auth('finance-officer', ['vestfold'], 'per');
      for (const countyId of ['Telemark', 'telemark-fylke']) {
        for (const [path, body] of writes(countyId)) {
          for (const who of [kari, vestfold, admin]) {
            const res = await refused(path, body, 404, 'COUNTY.NOT_FOUND', who);
            expect([path, res.body.message]).toEqual([path, expect.stringContaining(countyId)]);
            expect(res.body.message).not.toMatch(/you may only act|belongs to county/i);
            if (who !== admin) {
              expect(res.body.details).toEqual({ countyId });
              if (countyId === 'Telemark') expect(res.body.message).toContain('did you mean telemark?');
            }
          }
        }
      }
    });

    it('a registered county outside the token is still 403 ACCESS.OTHER_COUNTY, on the same writes', async () => {
      for (const [path, body] of writes('vestfold')) {
        const res = await refused(path, body, 403, 'ACCESS.OTHER_COUNTY');
        expect(res.body.details).toEqual({ countyId: 'vestfold' });
      }
    });

    it('the reads that take a county answer 404 COUNTY.NOT_FOUND for it too, to every reader', async () => {
      const auditor = await t.auth('auditor', [], 'revisor');
      for (const who of [kari, auditor]) {
        for (const path of ['/counties/Telemark', '/counties/Telemark/partnership', '/counties/Telemark/funding-mix/2014', '/parties?countyId=Telemark']) {
          const res = await t.http().get(path).set(who);
          expect([path, res.status, res.body.code]).toEqual([path, 404, 'COUNTY.NOT_FOUND']);
        }
      }
    });

    it('every list filter ?countyId= answers 404 COUNTY.NOT_FOUND for a county that is not registered (told the registered id when only the case differs), not an empty list; a registered county with nothing to list is still 200 []', async () => {
      const lists = (countyId: string): string[] => [
        `/parties?countyId=${countyId}`,
        `/boards?countyId=${countyId}`,
        `/nav-links?date=2014-06-01&countyId=${countyId}`,
        `/stimulus-grants?countyId=${countyId}`,
        `/owner-agreements/cost-share-compliance/2014?countyId=${countyId}`,
      ];
      for (const path of lists('Telemark')) {
        const res = await t.http().get(path).set(kari);
        expect([path, res.status, res.body.code, res.body.details]).toEqual([path, 404, 'COUNTY.NOT_FOUND', { countyId: 'Telemark' }]);
        expect(res.body.message).toContain('did you mean telemark?');
      }
      for (const path of lists('telemark-fylke')) {
        const res = await t.http().get(path).set(kari);
        expect([path, res.status, res.body.code]).toEqual([path, 404, 'COUNTY.NOT_FOUND']);
        expect(res.body.message).toContain('GET /counties');
      }
      for (const path of lists('finnmark')) {
        const res = await t.http().get(path).set(kari);
        expect([path, res.status]).toEqual([path, 200]);
      }
    });
  });
});

describe.each([
  ['memory', () => ({ store: new MemoryEventStore() as EventStore, done: async () => undefined })],
  [
    'sqlite',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'centre-id-case-'));
      const store = new SqliteEventStore({ path: join(dir, 'ledger.sqlite') });
      return {
        store: store as EventStore,
        done: async () => {
          await store.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  ],
] as const)('two registrations raced (%s store, command path)', (_name, make) => {
  const admin: Actor = { id: 'admin', name: 'Admin', roles: ['admin'], counties: [], actingRole: 'admin' };
  const kari: Actor = { id: 'kari', name: 'Kari', roles: ['finance-officer'], counties: ['telemark'], actingRole: 'finance-officer' };
  const ola: Actor = { id: 'ola', name: 'Ola', roles: ['finance-officer'], counties: ['telemark'], actingRole: 'finance-officer' };
  let store: EventStore;
  let done: () => Promise<void>;
  const exec = (s: EventStore) => {
    const registry = new CommandRegistry();
    const executor = new CommandExecutor(s, registry, null);
    return async (command: string, payload: object, actor: Actor = kari) => executor.execute({ command, payload: await validatePayload(registry.get(command).payload, payload), actor });
  };
  const settle = (p: Promise<unknown>): Promise<'recorded' | string> => p.then(() => 'recorded', (e: unknown) => (e instanceof DomainError ? e.code : Promise.reject(e)));
  const registered = async (type: string, field: string): Promise<string[]> => (await allEvents(store)).filter((e) => e.type === type).map((e) => (e.data as Record<string, string>)[field]);

  beforeEach(async () => {
    ({ store, done } = make());
    await exec(store)('RegisterCounty', { countyId: 'telemark', name: 'Telemark', countyNumber: '08' }, admin);
  });
  afterEach(() => done());

  it('"kc-notodden" and "KC-Notodden" sent at the same moment: exactly one is recorded, the other is 409 CENTRE.ALREADY_REGISTERED', async () => {
    const outcomes = await Promise.all([settle(exec(store)('RegisterCentre', centre(), kari)), settle(exec(store)('RegisterCentre', centre({ centreId: 'KC-Notodden' }), ola))]);
    expect([...outcomes].sort()).toEqual(['CENTRE.ALREADY_REGISTERED', 'recorded']);
    expect(await registered('CentreRegistered', 'centreId')).toHaveLength(1);
  });

  it('one decided while the other was not yet recorded, whose append comes after it, is decided again and refused (the append\'s condition)', async () => {
    const other = () => exec(store)('RegisterCentre', centre({ centreId: 'KC-Notodden', name: 'Notodden karrieresenter' }), ola);
    const { view, state } = holdFirstAppend(store, 'centre-kc-notodden', other);
    expect(await settle(exec(view)('RegisterCentre', centre(), kari))).toBe('CENTRE.ALREADY_REGISTERED');
    expect(state.attempts).toBe(1); // refused when decided again, before a second append
    expect(await registered('CentreRegistered', 'centreId')).toEqual(['KC-Notodden']);
  });

  it('two ids, one name, raced: the second is decided again and refused CENTRE.NAME_TAKEN', async () => {
    const other = () => exec(store)('RegisterCentre', centre({ centreId: 'kc-notodden-2', name: 'KARRIERESENTERET NOTODDEN' }), ola);
    const { view, state } = holdFirstAppend(store, 'centre-kc-notodden', other);
    expect(await settle(exec(view)('RegisterCentre', centre(), kari))).toBe('CENTRE.NAME_TAKEN');
    expect(state.attempts).toBe(1);
    expect(await registered('CentreRegistered', 'centreId')).toEqual(['kc-notodden-2']);
  });

  it('a rename of another centre to the name, landing after the decision, makes the registration decided again and refused', async () => {
    await exec(store)('RegisterCentre', centre({ centreId: 'kc-bo', name: 'Karrieresenteret Bø', municipality: 'Bø' }), kari);
    const rename = () => exec(store)('RenameCentre', { centreId: 'kc-bo', name: 'Karrieresenteret Notodden', effectiveFrom: '2012-01-01' }, ola);
    const { view } = holdFirstAppend(store, 'centre-kc-notodden', rename);
    expect(await settle(exec(view)('RegisterCentre', centre(), kari))).toBe('CENTRE.NAME_TAKEN');
    expect(await registered('CentreRegistered', 'centreId')).toEqual(['kc-bo']);
  });

  it('"nav-telemark" and "NAV-Telemark" sent at the same moment: exactly one party is recorded, the other is 409 PARTY.ALREADY_REGISTERED', async () => {
    const party = (partyId: string, name: string) => ({ partyId, name, kind: 'nav-county-office', countyId: 'telemark' });
    const outcomes = await Promise.all([settle(exec(store)('RegisterParty', party('nav-telemark', 'NAV Telemark'), kari)), settle(exec(store)('RegisterParty', party('NAV-Telemark', 'NAV Telemark fylke'), ola))]);
    expect([...outcomes].sort()).toEqual(['PARTY.ALREADY_REGISTERED', 'recorded']);
    expect(await registered('PartyRegistered', 'partyId')).toHaveLength(1);
  });
});
