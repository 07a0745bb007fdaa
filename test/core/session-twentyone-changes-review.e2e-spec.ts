/**
 * Review of session twenty-one's own changes (commits 08c523b, 6210c22, 0816a51): each claim tried
 * to break, one check each. Checks named FINDING fail on the code as reviewed; the others passed and
 * are kept as guards.
 *
 * 1. ENTRY.DECIDED_IN_FUTURE at Norway's midnight, through `ledger import`'s checks, in /docs-json.
 * 2. Optional texts given "" or blank: VALIDATION.BLANK, in nested objects and import lines too.
 * 3. The SQLite stream cache's running total of stored text (cachedUnits) on every path.
 * 4. keepAsText against what LibreOffice Calc 7.4 (installed on the review host) did with the text.
 * 5. The OpenAPI document's request-body and error examples.
 * 6. GET /nav-links answers kept per (position, date, county) against a fresh computation.
 * 7. Deciders folded in place: ids like __proto__, frozen events.
 * 9. readEvent on the memory store behind GET /audit/events/:eventId.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CentreGovernanceController } from '../../apps/api/src/governance/centre-governance.controller';
import { CLI_ACTOR } from '../../apps/cli/src/cli-context';
import { CommandRegistry } from '../../libs/application/src/command-registry';
import { dryRunImport, parseImportFile } from '../../libs/application/src/import-file';
import { boardDecider } from '../../libs/domain/src/governance/board';
import { countyLineDecider } from '../../libs/domain/src/governance/county-line';
import { addDays, osloDateOf } from '../../libs/domain/src/shared';
import { CACHE_TEXT_UNITS, SqliteEventStore } from '../../libs/event-store/src/sqlite-event-store';
import { keepAsText } from '../../libs/projections/src/funding/csv-field';
import { fakeDateOnly, osloMidnight } from '../helpers/fake-date';
import { startTestApp, TestApp } from '../helpers/test-app';

type Auth = { Authorization: string };

const okStatus = (res: { status: number; body: unknown }, what: string) => {
  if (res.status !== 201 && res.status !== 200) throw new Error(`${what} answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body as Record<string, unknown>;
};

describe('session twenty-one changes review (e2e)', () => {
  let t: TestApp;
  let admin: Auth;
  let fo: Auth;
  let auditor: Auth;
  const today = () => osloDateOf(new Date().toISOString());
  const thisYear = () => Number(today().slice(0, 4));
  const post = (path: string, body: object, who: Auth = fo) => t.http().post(path).set(who).send(body);
  const ok = async (path: string, body: object, who: Auth = fo) => okStatus(await post(path, body, who), `POST ${path}`);
  const grant = (entryId: string, extra: object = {}) => ({ entryId, fiscalYear: thisYear(), partyId: 'rv-fk', amount: '1000.00', decidedOn: today(), ...extra });

  beforeAll(async () => {
    t = await startTestApp({ seed: true });
    admin = await t.auth('admin', [], 'rv-admin');
    fo = await t.auth('finance-officer', ['telemark'], 'rv-fo');
    auditor = await t.auth('auditor', [], 'rv-auditor');
    await ok('/parties', { partyId: 'rv-fk', name: 'Telemark fylkeskommune RV', kind: 'county-authority', countyId: 'telemark' }, admin);
    await ok('/parties', { partyId: 'rv-nav', name: 'NAV Telemark RV', kind: 'nav-county-office', countyId: 'telemark' }, admin);
    await ok('/centres', { centreId: 'rv-kc', countyId: 'telemark', name: 'KC RV', municipality: 'Skien', openedOn: '2010-01-01' }, admin);
  });
  afterAll(() => t?.close());

  describe('1. ENTRY.DECIDED_IN_FUTURE', () => {
    it('held: at Norway\'s midnight (23:00 or 22:00 UTC the day before) tomorrow\'s money is refused one millisecond before and taken at it', async () => {
      // An app of its own: the clock moves ahead here, and back after.
      const own = await startTestApp({ seed: true });
      try {
        const a = await own.auth('admin', [], 'rv-admin2');
        await own.http().post('/parties').set(a).send({ partyId: 'm-fk', name: 'Telemark fylkeskommune M', kind: 'county-authority', countyId: 'telemark' }).expect(201);
        await own.http().post('/centres').set(a).send({ centreId: 'm-kc', countyId: 'telemark', name: 'KC M', municipality: 'Skien', openedOn: '2010-01-01' }).expect(201);
        const tomorrow = addDays(today(), 1);
        const midnight = osloMidnight(tomorrow);
        const body = (entryId: string) => ({ entryId, fiscalYear: Number(tomorrow.slice(0, 4)), partyId: 'm-fk', amount: '10.00', decidedOn: tomorrow });
        try {
          fakeDateOnly(midnight - 1);
          const before = await own.http().post('/centres/m-kc/funding/operating-grants').set(a).send(body('m-before'));
          expect({ status: before.status, code: before.body.code, details: before.body.details }).toEqual({ status: 422, code: 'ENTRY.DECIDED_IN_FUTURE', details: { decidedOn: tomorrow, today: addDays(tomorrow, -1) } });
          fakeDateOnly(midnight);
          // At 23:00 (or 22:00) UTC the UTC date is still today's: only Norway's date takes it.
          expect(new Date(midnight).toISOString().slice(0, 10)).toBe(addDays(tomorrow, -1));
          const at = await own.http().post('/centres/m-kc/funding/operating-grants').set(a).send(body('m-at'));
          expect(at.status).toBe(201);
        } finally {
          jest.useRealTimers();
        }
      } finally {
        await own.close();
      }
    });

    it('held: `ledger import`\'s checks refuse a line of money decided after today in the dry run, and a blank note in the shape check', async () => {
      const registry = t.app.get(CommandRegistry);
      const line = (idem: string, payload: object) => ({ command: 'RecordOperatingGrant', payload: { centreId: 'rv-kc', ...payload }, idempotencyKey: idem });
      const text = [line('imp-future', grant('rv-imp-future', { decidedOn: addDays(today(), 1) })), line('imp-ok', grant('rv-imp-ok'))].map((l) => JSON.stringify(l)).join('\n') + '\n';
      const parsed = await parseImportFile(text, registry);
      expect(parsed.problems).toEqual([]);
      const problems = await dryRunImport(t.store, registry, parsed.lines, CLI_ACTOR);
      expect(problems.map((p) => [p.line, p.code])).toEqual([[1, 'ENTRY.DECIDED_IN_FUTURE']]);
      const blank = await parseImportFile(JSON.stringify(line('imp-blank', grant('rv-imp-blank', { note: ' ' }))) + '\n', registry);
      expect(blank.problems.map((p) => [p.line, p.code])).toEqual([[1, 'VALIDATION.BLANK']]);
    });

    it('held: /docs-json names 422 ENTRY.DECIDED_IN_FUTURE on each route recording money and on the correction, and on no route that cannot give it', async () => {
      const doc = (await t.http().get('/docs-json').expect(200)).body as { paths: Record<string, Record<string, { responses?: Record<string, { description?: string }> }>> };
      const naming = Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).filter(([, op]) => (op.responses?.['422']?.description ?? '').includes('ENTRY.DECIDED_IN_FUTURE')).map(([m]) => `${m.toUpperCase()} ${path}`));
      expect(naming.sort()).toEqual(
        [
          'POST /centres/{centreId}/funding/entries/{entryId}/correction',
          'POST /centres/{centreId}/funding/operating-grants',
          'POST /centres/{centreId}/funding/earmarked-funds',
          'POST /centres/{centreId}/funding/tender-awards',
          'POST /centres/{centreId}/funding/other-income',
          ...naming.filter((n) => /in-kind/.test(n)),
        ].sort(),
      );
    });
  });

  describe('2. optional texts given empty or blank', () => {
    it('FINDING: a co-location\'s sharedWith name (an optional text of a nested object) given "" is recorded as "" beside a partyId, where every other optional text is 400 VALIDATION.BLANK (libs/application/src/governance/dtos.ts SharedWithDto.name: @IsNotBlank passes "")', async () => {
      const res = await post('/centres/rv-kc/co-locations', { from: '2012-08-01', premises: 'NAV-huset RV', sharedWith: [{ kind: 'nav-county-office', partyId: 'rv-nav', name: '' }] }, admin);
      expect({ status: res.status, code: res.body.code }).toEqual({ status: 400, code: 'VALIDATION.BLANK' });
    });

    it('held: a blank (whitespace-only) sharedWith name is 400 VALIDATION.BLANK', async () => {
      const res = await post('/centres/rv-kc/co-locations', { from: '2012-09-01', premises: 'NAV-huset RV', sharedWith: [{ kind: 'nav-county-office', partyId: 'rv-nav', name: '  ' }] }, admin);
      expect({ status: res.status, code: res.body.code }).toEqual({ status: 400, code: 'VALIDATION.BLANK' });
    });
  });

  describe('3. the SQLite stream cache\'s running total of stored text', () => {
    it('held: on seeded random appends (one and batched, refused for their revision or idempotency key, long streams), reads, another connection\'s commits, cachedUnits is the sum of the cached streams\' own units and each is its events\' stored text', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'rv21-cache-'));
      const a = new SqliteEventStore({ path: join(dir, 'l.sqlite') });
      const b = new SqliteEventStore({ path: join(dir, 'l.sqlite') });
      type Cache = { streamCache: Map<string, { events: { data: unknown; metadata: unknown }[]; units: number }>; cachedUnits: number };
      const cache = () => a as unknown as Cache;
      let seed = 2101;
      const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
      let n = 0;
      const ev = () => ({ eventId: `e-${++n}`, type: 'T', schemaVersion: 1, data: { n, text: 'é'.repeat(Math.floor(rnd() * 300)), nested: { k: ['ø', n] } }, metadata: { actorId: 't', actorRole: 'admin', correlationId: `c${n}`, causationId: null, idempotencyKey: null } });
      const revisions = new Map<string, number>();
      const streams = Array.from({ length: 5 }, (_, i) => `s-${i}`);
      const storedText = new WeakMap<object, number>();
      const stored = (e: { data: unknown; metadata: unknown }): number => {
        let u = storedText.get(e);
        if (u === undefined) storedText.set(e, (u = JSON.stringify(e.data).length + JSON.stringify(e.metadata).length));
        return u;
      };
      const check = async (step: number) => {
        // What a read serves (the cache as it is once the connection has looked) is the file's.
        for (const id of [...cache().streamCache.keys()]) expect({ id, events: (await a.readStream(id)).map((e) => e.data) }).toEqual({ id, events: (await a.readStream(id, { uncached: true })).map((e) => e.data) });
        const c = cache();
        const sum = [...c.streamCache.values()].reduce((s, x) => s + x.units, 0);
        const own = [...c.streamCache.values()].map((x) => [x.units, x.events.reduce((s, e) => s + stored(e), 0)]);
        expect({ step, total: c.cachedUnits, own }).toEqual({ step, total: sum, own: own.map(([, u]) => [u, u]) });
        expect(c.cachedUnits).toBeLessThanOrEqual(Math.max(CACHE_TEXT_UNITS, Math.max(0, ...own.map(([u]) => u))));
      };
      try {
        for (let step = 0; step < 400; step++) {
          const r = rnd();
          const s = streams[Math.floor(rnd() * streams.length)];
          const rev = revisions.get(s) ?? -1;
          const next = (id: string, count: number) => {
            revisions.set(id, (revisions.get(id) ?? -1) + count);
          };
          if (r < 0.3) {
            const count = 1 + Math.floor(rnd() * 3);
            await a.append(s, Array.from({ length: count }, ev), rev === -1 ? 'no_stream' : rev);
            next(s, count);
          } else if (r < 0.4) {
            // A batch: several appends in one turn (one group commit), one of them refused for its revision.
            const s2 = streams[(streams.indexOf(s) + 1) % streams.length];
            const rev2 = revisions.get(s2) ?? -1;
            const results = await Promise.allSettled([a.append(s, [ev()], rev === -1 ? 'no_stream' : rev), a.append(s, [ev()], rev === -1 ? 'no_stream' : rev), a.append(s2, [ev(), ev()], rev2 === -1 ? 'no_stream' : rev2)]);
            expect(results.map((x) => x.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
            next(s, 1);
            next(s2, 2);
          } else if (r < 0.45) {
            await expect(a.append(s, [ev()], rev + 5)).rejects.toThrow();
          } else if (r < 0.5) {
            const key = { actorId: 'k', key: `key-${Math.floor(rnd() * 3)}`, requestHash: 'h' };
            const res = await a.append(s, [ev()], 'any', key).then(() => 'ok', () => 'refused');
            if (res === 'ok') next(s, 1);
          } else if (r < 0.6) {
            await b.append(s, [ev()], rev === -1 ? 'no_stream' : rev);
            next(s, 1);
          } else {
            await a.readStream(s, { maxCount: rnd() < 0.2 ? 1 : undefined });
          }
          await check(step);
        }
        // Streams that grew past the 64 events a cached stream may hold: none of them cached, the total still its streams'.
        expect([...revisions.values()].some((r) => r >= 64)).toBe(true);
      } finally {
        await a.close();
        await b.close();
        rmSync(dir, { recursive: true, force: true });
      }
    }, 60_000);
  });

  describe('4. CSV text cells a spreadsheet would show otherwise', () => {
    // Each was put through LibreOffice Calc 7.4.7 (soffice --headless --convert-to csv, CSV import
    // UTF-8, "detect special numbers" on, locale nb-NO 1044 and en-US 1033) as keepAsText leaves it;
    // Calc showed what follows the arrow.
    const convertedUnmarked: [string, string][] = [
      ['(123)', 'the number -123 (nb-NO and en-US)'],
      ['1,50', 'the number 1,5 (nb-NO)'],
      ['12. mai 2013', 'the date 2013-05-12 (nb-NO)'],
      ['mai 2013', 'the date 2013-05-01 (nb-NO)'],
      ['12.05.2013 10:00', 'a date and time (nb-NO)'],
      ['kr 100', 'a currency amount 100 (nb-NO)'],
      ['50 %', 'the number 0,5 shown 50,00 % (nb-NO and en-US)'],
      ['2013-05-12T10:00', 'the date-time 2013-05-12T10:00:00 (nb-NO and en-US)'],
      ['123.450', 'the number 123.45 (en-US)'],
      ['March 2013', 'the date 2013-03-01 (en-US)'],
    ];
    it('FINDING: text Calc turned into a number, date or currency is still written without the \' mark (libs/projections/src/funding/csv-field.ts SHOWN_OTHERWISE): a negative in parentheses, a decimal comma, a Norwegian written date, a date-time, a currency, a percentage', () => {
      const unmarked = convertedUnmarked.filter(([text]) => keepAsText(text) === text).map(([text, shown]) => `${text} -> ${shown}`);
      expect(unmarked).toEqual([]);
    });

    it('held: text Calc kept as written is left as it is, the forms the session names are marked, an ISO date is left to stay that date', () => {
      for (const text of ['JA', 'Ja', 'Varierer', '-', 'ikke oppgitt', '1234,50 + ikke oppgitt', 'KC Skien', 'FT-sak 88/12', '2012-12-12']) expect(keepAsText(text)).toBe(text);
      for (const text of ['00123', '01', '1E5', '1/2', '12.05.2013', '12:30', 'TRUE', 'sann', '1 000', '1234567890123456', '=1+1']) expect(keepAsText(text)).toBe(`'${text}`);
    });
  });

  describe('5. the OpenAPI document', () => {
    type Schema = { $ref?: string; properties?: Record<string, Schema>; required?: string[]; example?: unknown; allOf?: Schema[]; nullable?: boolean; type?: string };
    let doc: { openapi: string; paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: Schema }> }; responses?: Record<string, { content?: Record<string, { example?: { statusCode?: number; code?: string } }>; description?: string }>; parameters?: { required?: boolean; example?: unknown; schema?: Schema }[] }>>; components: { schemas: Record<string, Schema> } };
    beforeAll(async () => {
      doc = (await t.http().get('/docs-json').expect(200)).body;
    });
    const resolve = (s: Schema): Schema => (s.$ref ? resolve(doc.components.schemas[s.$ref.split('/').pop()!]) : s);

    it('held: OpenAPI 3.0; each request body\'s example names only fields of its schema and every required one, recursively', () => {
      expect(doc.openapi).toMatch(/^3\.0\./);
      const problems: string[] = [];
      const walk = (where: string, s: Schema, value: unknown) => {
        const r = resolve(s.allOf?.[0] ?? s);
        if (!r.properties || value === null || typeof value !== 'object' || Array.isArray(value)) return;
        for (const k of Object.keys(value)) if (!(k in r.properties)) problems.push(`${where}.${k} is not a field`);
        for (const k of r.required ?? []) if (!(k in (value as object))) problems.push(`${where}.${k} (required) is missing`);
        for (const [k, v] of Object.entries(value)) if (r.properties[k]) walk(`${where}.${k}`, r.properties[k], Array.isArray(v) ? v[0] : v);
      };
      let bodies = 0;
      for (const [path, ops] of Object.entries(doc.paths))
        for (const [method, op] of Object.entries(ops)) {
          const schema = op.requestBody?.content?.['application/json']?.schema;
          if (!schema) continue;
          const r = resolve(schema);
          if (r.example === undefined) continue;
          bodies++;
          walk(`${method} ${path}`, schema, r.example);
        }
      expect(bodies).toBeGreaterThan(20);
      expect(problems).toEqual([]);
    });

    it('held: every error example is of its own status with a code that status lists; no optional parameter carries an example', () => {
      const problems: string[] = [];
      for (const [path, ops] of Object.entries(doc.paths))
        for (const [method, op] of Object.entries(ops)) {
          for (const [status, r] of Object.entries(op.responses ?? {})) {
            if (Number(status) < 400) continue;
            const ex = r.content?.['application/json']?.example;
            if (!ex) continue;
            if (ex.statusCode !== Number(status) || !(r.description ?? '').includes(String(ex.code))) problems.push(`${method} ${path} ${status}: ${JSON.stringify(ex)}`);
          }
          for (const p of op.parameters ?? []) if (!p.required && (p.example !== undefined || p.schema?.example !== undefined)) problems.push(`${method} ${path}: optional parameter with an example`);
        }
      expect(problems).toEqual([]);
    });
  });

  describe('6. GET /nav-links kept per (position, date, county)', () => {
    it('held: every kept answer equals one worked out afresh, live, as of an earlier instant, on the as-of day, with X-Ledger-Position, before and after writes', async () => {
      const controller = t.app.get(CentreGovernanceController) as unknown as { navLinksKept: Map<string, unknown> };
      const get = async (path: string, headers: Record<string, string> = {}) => {
        const res = await t.http().get(path).set(admin).set(headers);
        expect(res.status).toBe(200);
        return res.body;
      };
      const fresh = async (path: string, headers: Record<string, string> = {}) => {
        controller.navLinksKept.clear();
        return get(path, headers);
      };
      const w1 = await ok('/centres/rv-kc/owner-agreements', { agreementId: 'rv-owners', parties: [{ partyId: 'rv-fk', shareBp: 5000 }, { partyId: 'rv-nav', shareBp: 5000 }], period: { from: '2012-01-01' }, signedOn: '2012-01-01' }, admin);
      const before = new Date(Date.parse(String(w1.recordedAt)) - 1).toISOString();
      const paths = ['/nav-links?date=2014-06-01&countyId=telemark', '/nav-links?countyId=telemark', `/nav-links?countyId=telemark&asOf=${encodeURIComponent(before)}`, `/nav-links?date=2014-06-01&asOf=${encodeURIComponent(before)}`, '/nav-links?date=2014-06-01&countyId=telemark&limit=1'];
      for (const p of paths) {
        const kept = await get(p);
        expect({ p, kept: await get(p) }).toEqual({ p, kept });
        expect({ p, kept }).toEqual({ p, kept: await fresh(p) });
        await get(p);
      }
      await ok('/centres', { centreId: 'rv-kc2', countyId: 'telemark', name: 'KC RV 2', municipality: 'Skien', openedOn: '2010-01-01' }, admin);
      const w2 = await ok('/centres/rv-kc2/owner-agreements', { agreementId: 'rv-owners2', parties: [{ partyId: 'rv-fk', shareBp: 9000 }, { partyId: 'rv-nav', shareBp: 1000 }], period: { from: '2012-01-01' }, signedOn: '2012-01-01' }, admin);
      for (const p of paths) {
        const kept = await get(p, { 'X-Ledger-Position': String(w2.position) });
        expect({ p, kept }).toEqual({ p, kept: await fresh(p) });
      }
      expect((await get('/nav-links?date=2014-06-01&countyId=telemark')).links.map((l: { centreId: string }) => l.centreId)).toContain('rv-kc2');
    });
  });

  describe('7. deciders folded in place', () => {
    const deepFreeze = <T>(o: T): T => {
      if (o !== null && typeof o === 'object' && !Object.isFrozen(o)) {
        Object.freeze(o);
        for (const v of Object.values(o as object)) deepFreeze(v);
      }
      return o;
    };
    it('held: proposal, vote and decision ids such as __proto__ and constructor are entries of their own; the prototype and the frozen events are untouched; two folds of one history are equal', () => {
      const board = deepFreeze([
        { type: 'BoardEstablished', data: { boardId: 'b', countyId: '10', centreIds: ['c1'], name: 'B', bodyKind: 'board', establishedOn: '2011-01-01', rules: { quorum: { kind: 'more-than-half' }, tieBreak: 'chair-decides' } } },
        { type: 'ProposalTabled', data: { boardId: 'b', countyId: '10', proposalId: '__proto__', centreIds: ['c1'], kind: 'other', year: 2014, title: 'T', content: { inputFromPartyIds: [], summary: null }, tabledBy: 'x', tabledOn: '2014-02-01' } },
        { type: 'ProposalTabled', data: { boardId: 'b', countyId: '10', proposalId: 'constructor', centreIds: ['c1'], kind: 'other', year: 2014, title: 'U', content: { inputFromPartyIds: [], summary: null }, tabledBy: 'x', tabledOn: '2014-02-01' } },
        { type: 'VoteCast', data: { boardId: 'b', countyId: '10', proposalId: '__proto__', personId: '__proto__', vote: 'for', standingInFor: null, castOn: '2014-02-02' } },
      ]);
      const text = JSON.stringify(board);
      const fold = () => board.reduce((s, e) => boardDecider.evolve(s as never, e as never), boardDecider.initialState()) as unknown as { proposals: Record<string, { title: string; votes: Record<string, { vote: string }> }> };
      const s1 = fold();
      const s2 = fold();
      expect(Object.keys(s1.proposals)).toEqual(['__proto__', 'constructor']);
      expect(Object.getPrototypeOf(s1.proposals)).toBe(Object.prototype);
      expect(Object.getOwnPropertyDescriptor(s1.proposals, '__proto__')?.value.title).toBe('T');
      expect(Object.keys(Object.getOwnPropertyDescriptor(s1.proposals, '__proto__')?.value.votes)).toEqual(['__proto__']);
      expect(JSON.stringify(s1)).toBe(JSON.stringify(s2));
      expect(s1).not.toBe(s2);
      expect(JSON.stringify(board)).toBe(text);
      expect(({} as Record<string, unknown>).title).toBeUndefined();
      const lines = deepFreeze([{ type: 'CountyLineDecisionRecorded', data: { decisionId: '__proto__', countyId: '10', centreIds: ['c1'] } }]);
      const c1 = lines.reduce((s, e) => countyLineDecider.evolve(s as never, e as never), countyLineDecider.initialState()) as unknown as { decisionIds: Record<string, boolean> };
      const c2 = countyLineDecider.initialState() as unknown as { decisionIds: Record<string, boolean> };
      expect(Object.keys(c1.decisionIds)).toEqual(['__proto__']);
      expect(Object.keys(c2.decisionIds)).toEqual([]); // a fresh state each fold, never a shared one
    });
  });

  describe('9. readEvent on the memory store (GET /audit/events/:eventId)', () => {
    it('held: each event as the log holds it; an unknown id or one recorded after asOf is 404; nothing else of the store changed by a read', async () => {
      const all = await t.store.readAll({ after: 0 });
      expect(all.length).toBeGreaterThan(20);
      for (const e of [all[0], all[Math.floor(all.length / 2)], all[all.length - 1]]) {
        const res = await t.http().get(`/audit/events/${e.eventId}`).set(auditor);
        expect(res.status).toBe(200);
        expect({ eventId: res.body.eventId, position: res.body.position, hash: res.body.hash, data: res.body.data }).toEqual({ eventId: e.eventId, position: e.position, hash: e.hash, data: JSON.parse(JSON.stringify(e.data)) });
      }
      const last = all[all.length - 1];
      const asOf = new Date(Date.parse(last.recordedAt) - 1).toISOString();
      const earlier = all.filter((e) => e.recordedAt < last.recordedAt);
      const laterOne = all.find((e) => e.recordedAt >= last.recordedAt)!;
      expect((await t.http().get(`/audit/events/${laterOne.eventId}?asOf=${encodeURIComponent(asOf)}`).set(auditor)).status).toBe(404);
      expect((await t.http().get(`/audit/events/${earlier[0].eventId}?asOf=${encodeURIComponent(asOf)}`).set(auditor)).status).toBe(200);
      const unknown = all[0].eventId.replace(/[0-9a-f]/, (c) => (c === '0' ? '1' : '0'));
      expect((await t.http().get(`/audit/events/${unknown}`).set(auditor)).status).toBe(404);
      expect((await t.store.readAll({ after: 0 })).length).toBe(all.length);
    });
  });
});
