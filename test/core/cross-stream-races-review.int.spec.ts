import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommandExecutor } from '../../libs/application/src/command-executor';
import { CommandRegistry } from '../../libs/application/src/command-registry';
import { dryRunImport, ImportLine } from '../../libs/application/src/import-file';
import { validatePayload } from '../../libs/application/src/validation';
import { centreStream } from '../../libs/domain/src/counties';
import { positionStream } from '../../libs/domain/src/funding';
import { boardStream, coLocationStream, countyLineStream, ownerAgreementsStream } from '../../libs/domain/src/governance';
import { grantEvidenceStream } from '../../libs/domain/src/grants/evidence';
import { grantSchemeStream } from '../../libs/domain/src/grants/scheme';
import { stimulusGrantStream } from '../../libs/domain/src/grants/stimulus';
import { organisationNumberCheckDigit, partyStream } from '../../libs/domain/src/parties';
import { Actor, DomainError, RecordedEvent } from '../../libs/domain/src/shared';
import { ConcurrentChangeError } from '../../libs/event-store/src/errors';
import { MemoryEventStore } from '../../libs/event-store/src/memory-event-store';
import { EventStore, EventToAppend } from '../../libs/event-store/src/port';
import { SqliteEventStore } from '../../libs/event-store/src/sqlite-event-store';
import { post, recordCounty } from '../grants/grants-fixture';
import { startTestApp } from '../helpers/test-app';
import { allEvents, holdFirstAppend } from '../helpers/held-append';

/**
 * Adversarial review of the append conditions (handleCommand's decisionIo, AppendConditions) for the
 * cross-stream rules that test/core/cross-stream-races.int.spec.ts does not race: every fact a
 * closing weighs, raced by the closing both ways (README "What a decision read elsewhere"; DOMAIN.md:
 * nothing is recorded for a closed centre after its closing date), the board's own rules, party
 * renames, the same Idempotency-Key across a re-decision, the dry run of `ledger import`, SQLite's
 * group commit, a base-grant allocation raced by evidence, and no 409 for unrelated concurrent writes.
 * Races are staged as in cross-stream-races.int.spec.ts: the first command's first append is held
 * until the other command has been recorded.
 */

const admin: Actor = { id: 'admin', name: 'Admin', roles: ['admin'], counties: [], actingRole: 'admin' };
const fo: Actor = { id: 'fo', name: 'FO Telemark', roles: ['finance-officer'], counties: ['telemark'], actingRole: 'finance-officer' };

const ofType = async (store: EventStore, type: string): Promise<RecordedEvent[]> => (await allEvents(store)).filter((e) => e.type === type);

type Made = { store: EventStore; done: () => Promise<void> };
const makeSqlite = (): Made & { sqlite: SqliteEventStore } => {
  const dir = mkdtempSync(join(tmpdir(), 'races-review-'));
  const sqlite = new SqliteEventStore({ path: join(dir, 'ledger.sqlite') });
  return {
    store: sqlite,
    sqlite,
    done: async () => {
      await sqlite.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
};
const stores: [string, () => Made][] = [
  ['memory', () => ({ store: new MemoryEventStore(), done: async () => undefined })],
  ['sqlite', makeSqlite],
];

const execOn = (s: EventStore) => {
  const registry = new CommandRegistry();
  const executor = new CommandExecutor(s, registry, null);
  return async (command: string, payload: object, actor: Actor = admin, idempotencyKey: string | null = null) =>
    executor.execute({ command, payload: await validatePayload(registry.get(command).payload, payload), actor, idempotencyKey });
};

const refusal = (p: Promise<unknown>): Promise<DomainError> =>
  p.then(
    () => {
      throw new Error('expected a refusal, but it was recorded');
    },
    (e: unknown) => e as DomainError,
  );

const CLOSED_ON = '2014-01-01';
const close = { centreId: 'tm', closedOn: CLOSED_ON, reason: 'Lagt ned' };
const grant2014 = (centreId: string, entryId: string) => ({ entryId, centreId, fiscalYear: 2014, partyId: 'telemark-fk', amount: '1000000.00', decidedOn: '2013-12-01' });

/** The county, two centres and what the facts below build on: a board with a member and an open 2013 proposal, a position, an owner agreement. */
const setUp = async (store: EventStore): Promise<void> => {
  const exec = execOn(store);
  await exec('RegisterCounty', { countyId: 'telemark', name: 'Telemark', countyNumber: '08' });
  await exec('RegisterParty', { partyId: 'telemark-fk', name: 'Telemark fylkeskommune', kind: 'county-authority', countyId: 'telemark' });
  await exec('RegisterParty', { partyId: 'nav-telemark', name: 'NAV Telemark', kind: 'nav-county-office', countyId: 'telemark' });
  await exec('RegisterCentre', { centreId: 'tm', countyId: 'telemark', name: 'Karrieresenter Telemark', municipality: 'Skien', openedOn: '2009-09-01' });
  await exec('RegisterCentre', { centreId: 'tm2', countyId: 'telemark', name: 'Karrieresenter Notodden', municipality: 'Notodden', openedOn: '2009-09-01' });
  await exec('EstablishBoard', { boardId: 'tmb', countyId: 'telemark', centreIds: ['tm'], name: 'Styret for Karrieresenter Telemark', establishedOn: '2010-01-01' });
  await exec('AppointBoardMember', { boardId: 'tmb', personId: 'kari', name: 'Kari Nordmann', partyId: 'telemark-fk', role: 'chair', term: { from: '2010-01-01', to: null } });
  await exec('AppointBoardMember', { boardId: 'tmb', personId: 'ola', name: 'Ola Nordmann', partyId: 'nav-telemark', role: 'member', term: { from: '2010-01-01', to: null } });
  await exec('TableProposal', { boardId: 'tmb', proposalId: 'p-2013', kind: 'other', year: 2013, title: 'Sak 2013', content: { summary: 'Sak' }, tabledOn: '2013-06-01' });
  await exec('StartStaffPosition', { positionId: 'pos-1', centreId: 'tm', title: 'Karriereveileder', employerKind: 'centre', fte: '1.0', startedOn: '2012-01-01' });
  await exec('RegisterOwnerAgreement', { agreementId: 'oa-1', centreId: 'tm', parties: [{ partyId: 'telemark-fk', shareBp: 10000 }], period: { from: '2009-09-01', to: null }, signedOn: '2009-08-01' });
};

/** A fact about centre tm that needs it open on 2014-02-01 (after the closing date): the command, its payload, the stream it writes to. */
type Fact = [label: string, command: string, payload: object, stream: string];
const FACTS: Fact[] = [
  ['a staff position started', 'StartStaffPosition', { positionId: 'pos-2', centreId: 'tm', title: 'Rådgiver', employerKind: 'centre', fte: '0.5', startedOn: '2014-02-01' }, positionStream('pos-2')],
  ['a staff position changed', 'ChangeStaffPosition', { positionId: 'pos-1', centreId: 'tm', effectiveFrom: '2014-02-01', fte: '0.5' }, positionStream('pos-1')],
  ['a staff position ended after the closing date', 'EndStaffPosition', { positionId: 'pos-1', centreId: 'tm', endedOn: '2014-06-30' }, positionStream('pos-1')],
  ['a board vote on a proposal about the centre', 'CastVote', { boardId: 'tmb', proposalId: 'p-2013', personId: 'kari', vote: 'for', castOn: '2014-02-01' }, boardStream('tmb')],
  ['a proposal tabled (its centres from the board)', 'TableProposal', { boardId: 'tmb', proposalId: 'p-2014', kind: 'other', year: 2014, title: 'Sak 2014', content: { summary: 'Sak' }, tabledOn: '2014-02-01' }, boardStream('tmb')],
  ['a new board established for the centre', 'EstablishBoard', { boardId: 'tmb2', countyId: 'telemark', centreIds: ['tm'], name: 'Nytt styre', establishedOn: '2014-02-01' }, boardStream('tmb2')],
  ['a service declaration (grant evidence)', 'DeclareService', { centreId: 'tm', declarationId: 'sd-2014', effectiveFrom: '2014-02-01', freeOfCharge: true, openToAllAdults: true, fromAge: 19 }, grantEvidenceStream('tm')],
  ['a co-location record', 'RecordCoLocation', { centreId: 'tm', from: '2014-02-01', premises: 'NAV-huset, Skien', sharedWith: [{ kind: 'nav-county-office', partyId: 'nav-telemark' }] }, coLocationStream('tm')],
  ['an owner-agreement amendment', 'AmendOwnerAgreement', { agreementId: 'oa-1', centreId: 'tm', effectiveFrom: '2014-02-01', parties: [{ partyId: 'telemark-fk', shareBp: 5000 }, { partyId: 'nav-telemark', shareBp: 5000 }], period: { from: '2009-09-01', to: null } }, ownerAgreementsStream('tm')],
  ['a county-line decision naming the centre', 'RecordCountyLineDecision', { decisionId: 'cl-2014', countyId: 'telemark', centreIds: ['tm'], kind: 'other', year: 2014, title: 'Sak 2014', content: { summary: 'Sak' }, decidedOn: '2014-02-01' }, countyLineStream('telemark')],
  ['a stimulus-grant application for the centre', 'ApplyForStimulusGrant', { applicationId: 'sg-2014', countyId: 'telemark', year: 2014, purpose: 'development', amountAsked: '100000.00', description: 'Utvikling', centreId: 'tm', appliedOn: '2014-02-01' }, stimulusGrantStream('sg-2014')],
];

describe.each(stores)('every fact a closing weighs, raced by the closing (%s store, command path without views)', (_name, make) => {
  let store: EventStore;
  let done: () => Promise<void>;
  beforeEach(async () => {
    ({ store, done } = make());
    await setUp(store);
  });
  afterEach(() => done());

  it.each(FACTS)('%s, decided while the centre was open and appended after the closing that beat it: decided again and refused CENTRE.CLOSED, nothing recorded', async (_label, command, payload, stream) => {
    const before = (await store.readStream(stream)).length;
    const { view, state } = holdFirstAppend(store, stream, () => execOn(store)('CloseCentre', close, fo));
    const err = await refusal(execOn(view)(command, payload));
    expect(err.code).toBe('CENTRE.CLOSED');
    expect(state.attempts).toBe(1);
    expect(await ofType(store, 'CentreClosed')).toHaveLength(1);
    expect(await store.readStream(stream)).toHaveLength(before);
  });

  it.each(FACTS)('a closing decided before %s (dated after the closing date) was recorded, appended after it: decided again and refused CENTRE.CLOSE_BEFORE_ACTIVITY', async (_label, command, payload, stream) => {
    const before = (await store.readStream(stream)).length;
    const { view, state } = holdFirstAppend(store, centreStream('tm'), () => execOn(store)(command, payload));
    const err = await refusal(execOn(view)('CloseCentre', close, fo));
    expect(err.code).toBe('CENTRE.CLOSE_BEFORE_ACTIVITY');
    expect(state.attempts).toBe(1);
    expect(await ofType(store, 'CentreClosed')).toEqual([]);
    expect((await store.readStream(stream)).length).toBeGreaterThan(before);
  });
});

describe.each(stores)('other cross-stream and same-stream rules raced (%s store)', (_name, make) => {
  let store: EventStore;
  let done: () => Promise<void>;
  beforeEach(async () => {
    ({ store, done } = make());
    await setUp(store);
  });
  afterEach(() => done());

  it("a vote raced by the end of the voter's term (the board's own stream): decided again and refused, no vote recorded", async () => {
    const end = () => execOn(store)('EndBoardMember', { boardId: 'tmb', personId: 'ola', endedOn: '2013-12-31' });
    const { view, state } = holdFirstAppend(store, boardStream('tmb'), end);
    const err = await refusal(execOn(view)('CastVote', { boardId: 'tmb', proposalId: 'p-2013', personId: 'ola', vote: 'for', castOn: '2014-02-01' }));
    expect(err.code).toMatch(/^BOARD\./);
    expect(state.attempts).toBe(1);
    expect(await ofType(store, 'VoteCast')).toEqual([]);
    expect(await ofType(store, 'BoardMemberEnded')).toHaveLength(1);
  });

  it('a party renamed while an owner-agreement amendment naming it is decided: the amendment is decided again and recorded once, the rename kept', async () => {
    const rename = () => execOn(store)('RenameParty', { partyId: 'nav-telemark', name: 'NAV Vestfold og Telemark', effectiveFrom: '2013-06-01' });
    const { view, state } = holdFirstAppend(store, ownerAgreementsStream('tm'), rename);
    const out = await execOn(view)('AmendOwnerAgreement', FACTS.find((f) => f[1] === 'AmendOwnerAgreement')![2] as object);
    expect(out.events).toHaveLength(1);
    expect(state.attempts).toBe(2); // the party's stream moved: decided again
    expect(await ofType(store, 'OwnerAgreementAmended')).toHaveLength(1);
    expect(await ofType(store, 'PartyRenamed')).toHaveLength(1);
    expect((await store.readStream(partyStream('nav-telemark'))).length).toBe(2);
  });

  it('the same Idempotency-Key across a re-decision (the centre renamed meanwhile): one grant, and a retry with the key is answered the same', async () => {
    const rename = () => execOn(store)('RenameCentre', { centreId: 'tm', name: 'Karriere Telemark', effectiveFrom: '2014-01-01' }, fo);
    const { view, state } = holdFirstAppend(store, 'funding-entry-g-key', rename);
    const first = await execOn(view)('RecordOperatingGrant', grant2014('tm', 'g-key'), fo, 'key-g-1');
    expect(state.attempts).toBe(2);
    expect(first.replayed).toBe(false);
    const again = await execOn(store)('RecordOperatingGrant', grant2014('tm', 'g-key'), fo, 'key-g-1');
    expect(again.replayed).toBe(true);
    expect(again.result).toEqual(first.result);
    expect(await ofType(store, 'OperatingGrantRecorded')).toHaveLength(1);
    expect((await store.findIdempotency('key-g-1', fo.id))?.result).toEqual(first.result);
  });

  it('a retry of the same request (same key) recorded while the first waits, with a write breaking its condition: the first is answered with the retry\'s result, one grant', async () => {
    const meanwhile = async () => {
      await execOn(store)('RenameCentre', { centreId: 'tm', name: 'Karriere Telemark', effectiveFrom: '2014-01-01' }, fo);
      await execOn(store)('RecordOperatingGrant', grant2014('tm', 'g-twice'), fo, 'key-twice');
    };
    const { view } = holdFirstAppend(store, 'funding-entry-g-twice', meanwhile);
    const first = await execOn(view)('RecordOperatingGrant', grant2014('tm', 'g-twice'), fo, 'key-twice');
    expect(first.replayed).toBe(true);
    expect(first.result).toEqual((await store.findIdempotency('key-twice', fo.id))?.result);
    expect(await ofType(store, 'OperatingGrantRecorded')).toHaveLength(1);
  });

  it('a keyed grant refused after the re-decision (closed meanwhile) leaves no key record: a retry with the key is refused the same, nothing recorded', async () => {
    const { view } = holdFirstAppend(store, 'funding-entry-g-closed', () => execOn(store)('CloseCentre', { ...close, closedOn: '2013-12-31' }, fo));
    const err = await refusal(execOn(view)('RecordOperatingGrant', grant2014('tm', 'g-closed'), fo, 'key-closed'));
    expect(err.code).toBe('CENTRE.CLOSED');
    expect(await store.findIdempotency('key-closed', fo.id)).toBeNull();
    const again = await refusal(execOn(store)('RecordOperatingGrant', grant2014('tm', 'g-closed'), fo, 'key-closed'));
    expect(again.code).toBe('CENTRE.CLOSED');
    expect(await ofType(store, 'OperatingGrantRecorded')).toEqual([]);
  });

  it('no spurious refusals: 20 concurrent operating grants to 20 other centres and one closing, all recorded', async () => {
    const exec = execOn(store);
    for (let i = 0; i < 20; i++) await exec('RegisterCentre', { centreId: `c${i}`, countyId: 'telemark', name: `Senter ${i}`, municipality: 'Skien', openedOn: '2009-09-01' });
    const results = await Promise.allSettled([
      ...Array.from({ length: 20 }, (_, i) => exec('RecordOperatingGrant', grant2014(`c${i}`, `g-c${i}`), fo)),
      exec('CloseCentre', { centreId: 'tm2', closedOn: CLOSED_ON, reason: 'Lagt ned' }, fo),
    ]);
    const refused = results.flatMap((r) => (r.status === 'rejected' ? [(r.reason as DomainError).code ?? String(r.reason)] : []));
    expect(refused).toEqual([]);
    expect(await ofType(store, 'OperatingGrantRecorded')).toHaveLength(20);
    expect(await ofType(store, 'CentreClosed')).toHaveLength(1);
  });

  it('no spurious refusals: 20 parties registered at once, each with its own organisation number, all recorded', async () => {
    const exec = execOn(store);
    // Twenty valid organisation numbers: eight-digit starts from 91000000, each with its mod-11 check digit (those without one skipped).
    const numbers = Array.from({ length: 40 }, (_, i) => String(91000000 + i)).flatMap((first) => {
      const check = organisationNumberCheckDigit(first);
      return check === null ? [] : [`${first}${check}`];
    });
    const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => exec('RegisterParty', { partyId: `org-${i}`, name: `Org ${i}`, kind: 'other', organisationNumber: numbers[i] })));
    const refused = results.flatMap((r) => (r.status === 'rejected' ? [(r.reason as DomainError).code ?? String(r.reason)] : []));
    expect(refused).toEqual([]);
    expect((await ofType(store, 'PartyRegistered')).filter((e) => String(e.data.partyId).startsWith('org-'))).toHaveLength(20);
  });
});

describe('SQLite group commit: appends in one transaction, a later one\'s condition broken by an earlier one', () => {
  let made: ReturnType<typeof makeSqlite>;
  let batches: number[];
  beforeEach(async () => {
    made = makeSqlite();
    await setUp(made.store);
    batches = [];
    const s = made.sqlite as unknown as { flush: () => void; pending: unknown[] };
    const flush = s.flush.bind(made.sqlite);
    s.flush = () => {
      batches.push(s.pending.length);
      flush();
    };
  });
  afterEach(() => made.done());

  /** Holds the first append to each of the two streams until both have come, then hands them to the store in `order` in one tick (one batch). */
  const together = (store: EventStore, order: [string, string]) => {
    const held = new Map<string, () => void>();
    const released = new Set<string>();
    return new Proxy(store, {
      get(target, prop, receiver) {
        if (prop === 'append') {
          return (...a: Parameters<EventStore['append']>) => {
            const id = a[0];
            if (!order.includes(id) || released.has(id)) return target.append(...a);
            return new Promise((resolve, reject) => {
              held.set(id, () => target.append(...a).then(resolve, reject));
              if (held.size === 2) for (const s of order) {
                released.add(s);
                held.get(s)!();
              }
            });
          };
        }
        const v = Reflect.get(target, prop, receiver);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
  };

  it('a grant and a closing decided at once, the grant first in the batch: the closing is decided again and refused, the grant recorded', async () => {
    const view = together(made.store, ['funding-entry-g-batch', centreStream('tm')]);
    const exec = execOn(view);
    const [g, c] = await Promise.allSettled([exec('RecordOperatingGrant', grant2014('tm', 'g-batch'), fo), exec('CloseCentre', close, fo)]);
    expect(batches).toContain(2);
    expect(g.status).toBe('fulfilled');
    expect(c.status).toBe('rejected');
    expect(((c as PromiseRejectedResult).reason as DomainError).code).toBe('CENTRE.CLOSE_BEFORE_ACTIVITY');
    expect(await ofType(made.store, 'CentreClosed')).toEqual([]);
    expect(await ofType(made.store, 'OperatingGrantRecorded')).toHaveLength(1);
  });

  it('a closing and a vote decided at once, the closing first in the batch: the vote is decided again and refused, the closing recorded', async () => {
    const view = together(made.store, [centreStream('tm'), boardStream('tmb')]);
    const exec = execOn(view);
    const [c, v] = await Promise.allSettled([exec('CloseCentre', close, fo), exec('CastVote', { boardId: 'tmb', proposalId: 'p-2013', personId: 'kari', vote: 'for', castOn: '2014-02-01' })]);
    expect(batches).toContain(2);
    expect(c.status).toBe('fulfilled');
    expect(v.status).toBe('rejected');
    expect(((v as PromiseRejectedResult).reason as DomainError).code).toBe('CENTRE.CLOSED');
    expect(await ofType(made.store, 'VoteCast')).toEqual([]);
  });

  it('an earlier append of the batch that fails (rolled back to its savepoint) does not break a later one\'s condition', async () => {
    const head = await made.store.headPosition();
    const ev = (type: string): EventToAppend => ({ eventId: `${type}-${Math.random().toString(36).slice(2)}`, type, data: { centreId: 'tm' }, schemaVersion: 1, metadata: { actorId: 'admin', actorRole: 'admin', correlationId: 'c', causationId: null, idempotencyKey: null } });
    const conditions = { nothingAfter: [{ after: head, affects: (e: { data: unknown }) => (e.data as { centreId?: string }).centreId === 'tm' }] };
    const [a, b, c] = await Promise.allSettled([
      made.store.append('probe-a', [ev('ProbeA')], 5), // wrong expected revision: refused, rolled back
      made.store.append('probe-b', [ev('ProbeB')], 'no_stream', undefined, conditions),
      made.store.append('probe-c', [ev('ProbeC')], 'no_stream', undefined, conditions), // broken by probe-b in the same batch
    ]);
    expect(batches).toContain(3);
    expect(a.status).toBe('rejected');
    expect(b.status).toBe('fulfilled');
    expect(c.status).toBe('rejected');
    expect((c as PromiseRejectedResult).reason).toBeInstanceOf(ConcurrentChangeError);
    expect((await allEvents(made.store)).filter((e) => e.type.startsWith('Probe')).map((e) => e.type)).toEqual(['ProbeB']);
  });
});

describe.each(stores)('ledger import dry run (DryRunStore) with conditions (%s store)', (_name, make) => {
  let store: EventStore;
  let done: () => Promise<void>;
  const registry = new CommandRegistry();
  beforeEach(async () => {
    ({ store, done } = make());
    await setUp(store);
  });
  afterEach(() => done());

  const line = async (n: number, command: string, payload: object): Promise<ImportLine> => ({ line: n, command, payload: await validatePayload(registry.get(command).payload, payload), idempotencyKey: `dry-${n}` });

  it('a closing after a grant for a later year in the same file is refused in the dry run; nothing is written', async () => {
    const head = await store.headPosition();
    const problems = await dryRunImport(store, registry, [await line(1, 'RecordOperatingGrant', grant2014('tm', 'g-dry')), await line(2, 'CloseCentre', close)], admin);
    expect(problems.map((p) => [p.line, p.code])).toEqual([[2, 'CENTRE.CLOSE_BEFORE_ACTIVITY']]);
    expect(await store.headPosition()).toBe(head);
  });

  it('another writer registering parties between two lines of the file does not make a later registration line 409 in the dry run', async () => {
    const lines = [await line(1, 'RegisterParty', { partyId: 'org-a', name: 'Org A', kind: 'other', organisationNumber: '911111128' }), await line(2, 'RegisterParty', { partyId: 'org-c', name: 'Org C', kind: 'other', organisationNumber: '933333337' })];
    // Before line 2 is looked up, the server (another writer on the same ledger) records two things.
    let fired = false;
    const real = new Proxy(store, {
      get(target, prop, receiver) {
        if (prop === 'findIdempotency') {
          return async (key: string, actorId: string | null) => {
            if (key === 'dry-2' && !fired) {
              fired = true;
              await execOn(store)('RenameCentre', { centreId: 'tm2', name: 'Karriere Notodden', effectiveFrom: '2014-01-01' });
              await execOn(store)('RegisterParty', { partyId: 'org-b', name: 'Org B', kind: 'other', organisationNumber: '922222223' });
            }
            return target.findIdempotency(key, actorId);
          };
        }
        const v = Reflect.get(target, prop, receiver);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
    const problems = await dryRunImport(real, registry, lines, admin);
    expect(fired).toBe(true);
    expect(problems).toEqual([]);
  });
});

describe('cross-stream race through HTTP, with the views (SQLite)', () => {
  it('a closing raced by a vote dated after it on a proposal about the centre: 409 CENTRE.CLOSE_BEFORE_ACTIVITY, nothing closed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'races-review-http-'));
    const real = new SqliteEventStore({ path: join(dir, 'ledger.sqlite') });
    let meanwhile: (() => Promise<unknown>) | null = null;
    const store = new Proxy(real, {
      get(target, prop, receiver) {
        if (prop === 'append') {
          return async (...a: Parameters<EventStore['append']>) => {
            const run = a[0] === centreStream('tm') && a[1].some((e) => e.type === 'CentreClosed') ? meanwhile : null;
            meanwhile = run ? null : meanwhile;
            if (run) await run();
            return target.append(...a);
          };
        }
        const v = Reflect.get(target, prop, receiver);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
    await setUp(real);
    const t = await startTestApp({ store });
    try {
      const officer = await t.auth('finance-officer', ['telemark']);
      const kari = await t.auth('board-member', ['telemark'], 'kari');
      meanwhile = async () => {
        const res = await t.http().post('/boards/tmb/proposals/p-2013/votes').set(kari).send({ vote: 'for', castOn: '2014-02-01' });
        expect([200, 201]).toContain(res.status);
      };
      const res = await t.http().post('/centres/tm/close').set(officer).send({ closedOn: CLOSED_ON, reason: 'Lagt ned' });
      expect(meanwhile).toBeNull();
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('CENTRE.CLOSE_BEFORE_ACTIVITY');
      expect(await ofType(real, 'CentreClosed')).toEqual([]);
      expect(await ofType(real, 'VoteCast')).toHaveLength(1);
    } finally {
      await t.close();
      await real.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a base-grant allocation raced by a change in eligibility evidence (HTTP, memory store)', () => {
  it('evidence withdrawn between the eligibility snapshot and the allocation\'s append: the recorded verdicts are those of the ledger when it was recorded', async () => {
    const real = new MemoryEventStore();
    let meanwhile: (() => Promise<unknown>) | null = null;
    const store = new Proxy(real, {
      get(target, prop, receiver) {
        if (prop === 'append') {
          return async (...a: Parameters<EventStore['append']>) => {
            const run = a[0] === grantSchemeStream(2014) && a[1].some((e) => e.type === 'BaseGrantAllocated') ? meanwhile : null;
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
      const vox = await t.auth('vox', [], 'vox-saksbehandler');
      await post(t, vox, '/grant-schemes', { year: 2014, baseGrant: '100.00', criteriaSetId: 'criteria-2014', judgingDate: '2014-03-01' });
      await recordCounty(t, 'telemark', 'Telemark', [{ centreId: 'tm-kc', name: 'Karrieresenter Telemark', municipality: 'Skien', reportSubmittedOn: null }]);
      await recordCounty(t, 'vestfold', 'Vestfold', [{ centreId: 'vf-kc', name: 'Karrieresenter Vestfold', municipality: 'Tønsberg' }]);
      const tfo = await t.auth('finance-officer', ['telemark']);
      await post(t, tfo, '/centres/tm-kc/grant-evidence/annual-reports', { reportId: 'tm-rep-2013', year: 2013, submittedOn: '2014-02-20' });
      const eligibleAt = async (atPosition?: number): Promise<string[]> => {
        const res = await t.http().get(`/grant-schemes/2014/eligibility${atPosition === undefined ? '' : `?atPosition=${atPosition}`}`).set(vox);
        expect(res.status).toBe(200);
        return (res.body.counties as { countyId: string; eligible: boolean }[]).filter((c) => c.eligible).map((c) => c.countyId).sort();
      };
      expect(await eligibleAt()).toEqual(['telemark', 'vestfold']);
      meanwhile = () => post(t, tfo, '/centres/tm-kc/grant-evidence/tm-rep-2013/withdrawal', { reason: 'Registrert ved en feil' });
      const res = await t.http().post('/grant-schemes/2014/allocation').set(vox).send({});
      expect(meanwhile).toBeNull(); // the withdrawal did land in between
      // Refused (the snapshot is no longer the ledger's), nothing recorded; the retry recomputes it.
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('STREAM.CONCURRENT_CHANGE');
      expect(await ofType(real, 'BaseGrantAllocated')).toEqual([]);
      const retry = await t.http().post('/grant-schemes/2014/allocation').set(vox).send({});
      expect([200, 201]).toContain(retry.status);
      const [allocated] = await ofType(real, 'BaseGrantAllocated');
      const recorded = (allocated.data.verdicts as { countyId: string; eligible: boolean }[]).filter((v) => v.eligible).map((v) => v.countyId).sort();
      expect(recorded).toEqual(['vestfold']);
      expect(recorded).toEqual(await eligibleAt(allocated.position - 1));
    } finally {
      await t.close();
    }
  });
});
