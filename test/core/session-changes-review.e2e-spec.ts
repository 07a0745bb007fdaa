/**
 * Adversarial review of the session's changes (4319963..HEAD): close-before-activity, the date-aware
 * closed-centre rule, signed agreements, Norway's "today", uniqueness via eventsOfTypes, CLI argument
 * rules, access before idempotency. Each test names the rule it checks; a failing one is a bug.
 */
import { checkArgs, parseArgs } from '../../apps/cli/src/args';
import { exportShape } from '../../apps/cli/src/commands/export';
import { importShape } from '../../apps/cli/src/commands/import';
import { CommandRegistry } from '../../libs/application/src/command-registry';
import { dryRunImport, parseImportFile } from '../../libs/application/src/import-file';
import { ProjectionEngine } from '../../libs/application/src/projection-engine';
import { addDays } from '../../libs/domain/src/shared';
import { fakeDateOnly, osloMidnight } from '../helpers/fake-date';
import { MemoryEventStore } from '../../libs/event-store/src/memory-event-store';
import { startTestApp, TestApp } from '../helpers/test-app';

type Auth = { Authorization: string };

describe('session changes: adversarial review (e2e)', () => {
  let t: TestApp;
  let fo: Auth;
  let auditor: Auth;

  const post = (path: string, body: object, auth: Auth = fo, key?: string) => {
    const r = t.http().post(path).set(auth);
    if (key) r.set('Idempotency-Key', key);
    return r.send(body);
  };
  const ok = async (path: string, body: object, auth: Auth = fo, key?: string) => {
    const res = await post(path, body, auth, key);
    if (res.status >= 300) throw new Error(`POST ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const get = (path: string, auth: Auth = auditor) => t.http().get(path).set(auth);
  const centre = (centreId: string, openedOn = '2010-01-01') => ok('/centres', { centreId, countyId: 'telemark', name: `KC ${centreId}`, municipality: 'Skien', openedOn });
  const grant = (centreId: string, entryId: string, fiscalYear: number) =>
    ok(`/centres/${centreId}/funding/operating-grants`, { entryId, fiscalYear, partyId: 'sr-fk', amount: '1000.00', decidedOn: `${fiscalYear}-01-10`, reference: null });

  beforeAll(async () => {
    t = await startTestApp({ seed: true });
    fo = await t.auth('finance-officer', ['telemark'], 'sr-fo');
    auditor = await t.auth('auditor', [], 'sr-auditor');
    await ok('/parties', { partyId: 'sr-fk', name: 'Telemark fylkeskommune', kind: 'county-authority', countyId: 'telemark' });
  });
  afterAll(() => t?.close());

  describe('close-before-activity for centre ids Object.prototype has', () => {
    for (const id of ['constructor', 'toString', 'hasOwnProperty']) {
      it(`centre "${id}" with money for a later year cannot be closed before that year (409 CENTRE.CLOSE_BEFORE_ACTIVITY)`, async () => {
        await centre(id);
        await grant(id, `${id}-g2016`, 2016);
        const res = await post(`/centres/${id}/close`, { closedOn: '2015-01-01', reason: 'nedlagt' });
        expect([res.status, res.body.code]).toEqual([409, 'CENTRE.CLOSE_BEFORE_ACTIVITY']);
      });
    }
  });

  describe('import dry run: uniqueness rules see the file\'s earlier lines', () => {
    it('two lines registering parties with one organisation number: the second is refused in the dry run', async () => {
      const registry = t.app.get(CommandRegistry);
      const text = [
        JSON.stringify({ command: 'RegisterParty', payload: { partyId: 'dr-a', name: 'Org A', kind: 'other', countyId: 'telemark', organisationNumber: '911111128' }, idempotencyKey: 'dr-a' }),
        JSON.stringify({ command: 'RegisterParty', payload: { partyId: 'dr-b', name: 'Org B', kind: 'other', countyId: 'telemark', organisationNumber: '911111128' }, idempotencyKey: 'dr-b' }),
      ].join('\n');
      const { lines, problems } = await parseImportFile(text, registry);
      expect(problems).toEqual([]);
      const refused = await dryRunImport(t.store, registry, lines, { id: 'sr-admin', name: 'a', roles: ['admin'], counties: [], actingRole: 'admin' } as never, t.app.get(ProjectionEngine));
      expect(refused.map((p) => [p.line, p.code])).toEqual([[2, 'PARTY.ORGANISATION_NUMBER_TAKEN']]);
    });
  });

  describe('CLI: an option that takes one value, given twice', () => {
    it('export --to A --to B is refused (exit 2) instead of silently exporting to B only', () => {
      const problems = checkArgs('export', exportShape, parseArgs(['export', '--to', 'a', '--to', 'b']));
      expect(problems.join('\n')).toMatch(/--to/);
    });
    it('import FILE --token X --token Y is refused instead of acting as the last token\'s user', () => {
      const problems = checkArgs('import', importShape, parseArgs(['import', 'f.jsonl', '--token', 'x', '--token', 'y']));
      expect(problems.join('\n')).toMatch(/--token/);
    });
  });
  describe('two writers on one store (another process): the close rule reads what the other wrote', () => {
    it('money recorded through a second app for 2016 stops a close from 2015 through the first, at once', async () => {
      // Its own store and two apps on it (closing an app ends the store's subscriptions).
      const store = new MemoryEventStore();
      const a = await startTestApp({ store, seed: true });
      const b = await startTestApp({ store });
      try {
        const foA = await a.auth('finance-officer', ['telemark'], 'sr-foA');
        const foB = await b.auth('finance-officer', ['telemark'], 'sr-foB');
        expect((await a.http().post('/parties').set(foA).send({ partyId: 'tw-fk', name: 'Telemark fylkeskommune', kind: 'county-authority', countyId: 'telemark', organisationNumber: '922222223' })).status).toBe(201);
        expect((await a.http().post('/centres').set(foA).send({ centreId: 'tw-kc', countyId: 'telemark', name: 'KC', municipality: 'Skien', openedOn: '2010-01-01' })).status).toBe(201);
        const res2 = await b.http().post('/centres/tw-kc/funding/operating-grants').set(foB).send({ entryId: 'tw-g2016', fiscalYear: 2016, partyId: 'tw-fk', amount: '5.00', decidedOn: '2016-01-10', reference: null });
        expect(res2.status).toBe(201);
        const res = await a.http().post('/centres/tw-kc/close').set(foA).send({ closedOn: '2015-01-01', reason: 'nedlagt' });
        expect([res.status, res.body.code]).toEqual([409, 'CENTRE.CLOSE_BEFORE_ACTIVITY']);
        const dup = await b.http().post('/parties').set(foB).send({ partyId: 'tw-p2', name: 'P2', kind: 'other', countyId: 'telemark', organisationNumber: '922222223' });
        expect([dup.status, dup.body.code]).toEqual([409, 'PARTY.ORGANISATION_NUMBER_TAKEN']);
      } finally {
        await b.close();
        await a.close();
      }
    });
  });

  describe('directory across midnight in Norway (answer cache, ETag)', () => {
    it('a rename from tomorrow shows as upcomingRename today and as the name from Oslo midnight, with a new ETag (no stale cached answer)', async () => {
      const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Oslo', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
      const tomorrow = addDays(today, 1);
      await centre('mn-kc');
      await ok('/centres/mn-kc/rename', { name: 'KC Ny', effectiveFrom: tomorrow });
      const before = await get('/centres/mn-kc');
      if (before.status !== 200) throw new Error(`GET answered ${before.status}: ${JSON.stringify(before.body)}`);
      expect([before.body.name, before.body.upcomingRename]).toEqual(['KC mn-kc', { name: 'KC Ny', effectiveFrom: tomorrow }]);
      await get('/centres/mn-kc'); // a second time: would be served from the cache if it were kept
      fakeDateOnly(osloMidnight(tomorrow) + 60_000);
      try {
        const after = await get('/centres/mn-kc').set('If-None-Match', before.headers.etag);
        expect([after.status, after.body.name, after.body.upcomingRename]).toEqual([200, 'KC Ny', null]);
        const county = await get('/counties/telemark');
        expect(county.body.centres.find((c: { centreId: string }) => c.centreId === 'mn-kc').name).toBe('KC Ny');
      } finally {
        jest.useRealTimers();
      }
    });
  });

  describe('OpenAPI documents the new refusals', () => {
    it('/docs-json: the close route names 409 CENTRE.CLOSE_BEFORE_ACTIVITY; party and county registration name their *_TAKEN 409s', async () => {
      const doc = (await t.http().get('/docs-json')).body;
      const text = (path: string) => JSON.stringify(doc.paths[path]?.post ?? {});
      expect(text('/centres/{centreId}/close')).toContain('CENTRE.CLOSE_BEFORE_ACTIVITY');
      expect(text('/parties')).toContain('PARTY.ORGANISATION_NUMBER_TAKEN');
      expect(text('/counties')).toContain('COUNTY.NUMBER_TAKEN');
    });
  });
});
