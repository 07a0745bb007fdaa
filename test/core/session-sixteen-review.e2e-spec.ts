import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jsonEvent } from '@eventstore/db-client';
import { ConfigError, loadConfig, localJwtSecret } from '../../apps/api/src/config';
import { onlyFields } from '../../apps/api/src/http/refused-retry';
import { EVENT_TYPES } from '../../libs/domain/src/event-types';
import { parseFteMilli } from '../../libs/domain/src/funding/common';
import { parseOre } from '../../libs/domain/src/shared/money';
import { ev } from '../../libs/event-store/src/event-store.contract';
import { EventStoreDbEventStore } from '../../libs/event-store/src/eventstoredb-event-store';
import { FakeEsdbClient } from '../../libs/event-store/src/eventstoredb-fake-client.fixture';
import { startTestApp, TestApp } from '../helpers/test-app';
import { sleep, until } from '../../libs/event-store/src/wait-until.fixture';

/**
 * Review of session sixteen's changes (e751fa2..HEAD): the event-type catalogue and
 * AUDIT.UNKNOWN_EVENT_TYPE, the JWT secret length rule, the EventStoreDB adapter's paged $all reads
 * and subscription retries, correction rules and messages, COUNTY.NOT_FOUND hints, the funding-mix
 * CSV's partial totals, a correction answering its entryId, onlyFields. Each check can fail; a
 * failing check is a finding.
 */

type Auth = { Authorization: string };

/** The DomainError (or any error) `f` throws; fails the check when it throws nothing. */
const thrown = (f: () => unknown): any => {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('nothing was thrown');
};


// ---------------------------------------------------------------------------------------------------
// Pure functions: the new amount and FTE messages, onlyFields
// ---------------------------------------------------------------------------------------------------

describe('amount and FTE messages (parseOre, parseFteMilli)', () => {
  it('"999.9999" offers the two nearest whole-øre amounts ("999.99" or "1000.00"); "1.000.000" (and "12.500.000", the example of fractionalOreMessage) are told to write "1000000.00" / "12500000.00"', () => {
    const nines = thrown(() => parseOre('999.9999'));
    expect([nines.code, nines.message]).toEqual(['MONEY.FRACTIONAL_ORE', expect.stringMatching(/"999\.99"[\s\S]*"1000\.00"/)]);
    // One group ("1.000") reaches the thousands hint; with two or more groups the guard /^\d+\.\d{3,}$/ (one point) lets none through.
    const one = thrown(() => parseOre('1.000'));
    expect(one.message).toContain('"1000.00"');
    const million = thrown(() => parseOre('1.000.000'));
    const twelve = thrown(() => parseOre('12.500.000'));
    expect([million.code, million.message, twelve.message]).toEqual([expect.any(String), expect.stringContaining('"1000000.00"'), expect.stringContaining('"12500000.00"')]);
  });

  it('"0.000" and "0.005" are not read as thousands separators (the hint "0000.00" / "0005.00" names no amount anyone meant)', () => {
    const zero = thrown(() => parseOre('0.000'));
    const half = thrown(() => parseOre('0.005'));
    expect([zero.code, half.code]).toEqual(['MONEY.FRACTIONAL_ORE', 'MONEY.FRACTIONAL_ORE']);
    expect([zero.message, half.message]).toEqual([expect.not.stringContaining('"0000.00"'), expect.not.stringContaining('"0005.00"')]);
    // 0.005 kr lies between 0.00 and 0.01; only "0.01" is an amount the ledger takes.
    expect(half.message).toContain('"0.01"');
  });

  it('the whole-øre hint does not propose amounts the ledger refuses as too large ("1000000000000.999" → "1000000000000.99" or "1000000000001.00", both above NOK 10^12)', () => {
    const e = thrown(() => parseOre('1000000000000.999'));
    const proposed = [...String(e.message).matchAll(/"(\d+\.\d\d)"/g)].map((m) => m[1]);
    // Each amount the message proposes should be one parseOre takes (else the answer is MONEY.TOO_LARGE, not a hint).
    const refusedAsTooLarge = proposed.filter((a) => {
      try {
        parseOre(a);
        return false;
      } catch (x) {
        return (x as { code?: string }).code === 'MONEY.TOO_LARGE';
      }
    });
    expect([e.code, refusedAsTooLarge]).toEqual([e.code, []]);
  });

  it('FTE "1" is full time; "50" and "100" say how a percentage is written ("0.5", "1"); "0" gets no percentage hint', () => {
    expect(parseFteMilli('1')).toBe(1000);
    const fifty = thrown(() => parseFteMilli('50'));
    const hundred = thrown(() => parseFteMilli('100'));
    const zero = thrown(() => parseFteMilli('0'));
    expect([fifty.code, hundred.code, zero.code]).toEqual(['STAFF.FTE_OUT_OF_RANGE', 'STAFF.FTE_OUT_OF_RANGE', 'STAFF.FTE_OUT_OF_RANGE']);
    expect(fifty.message).toContain('write "0.5"');
    expect(hundred.message).toContain('write "1"');
    expect(zero.message).not.toMatch(/%/);
  });

  it('FTE "25%" (a percentage written with its sign) also says to write "0.25"', () => {
    const e = thrown(() => parseFteMilli('25%'));
    expect(e.message).toContain('"0.25"');
  });

  it('onlyFields lets a body with only the payload\'s fields through and throws on any other field', () => {
    expect(() => onlyFields({}, ['note'])).not.toThrow();
    expect(() => onlyFields({ note: 'x' }, ['note'])).not.toThrow();
    expect(() => onlyFields({ note: 'x', extra: 1 }, ['note'])).toThrow(/extra/);
    expect(() => onlyFields({ reason: 'r', overrides: [], note: 'n' }, ['reason', 'overrides'])).toThrow(/note/);
  });
});

// ---------------------------------------------------------------------------------------------------
// The JWT secret rule and the start-up path check (apps/api/src/config.ts)
// ---------------------------------------------------------------------------------------------------

describe('LEDGER_JWT_SECRET and the kept jwt-secret', () => {
  const dirs: string[] = [];
  const tmp = () => {
    const d = mkdtempSync(join(tmpdir(), 'ledger-s16-'));
    dirs.push(d);
    return d;
  };
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  const memory = (env: Record<string, string>) => loadConfig({ LEDGER_STORE: 'memory', ...env } as NodeJS.ProcessEnv);

  it('counts bytes, not characters: 16 × "ø" (32 bytes) is taken; 15 × "ø" + "a" (16 characters, 31 bytes) is refused naming 31', () => {
    expect(memory({ LEDGER_JWT_SECRET: 'ø'.repeat(16) }).jwtSecret).toBe('ø'.repeat(16));
    const e = thrown(() => memory({ LEDGER_JWT_SECRET: `${'ø'.repeat(15)}a` }));
    expect(e).toBeInstanceOf(ConfigError);
    expect(e.message).toMatch(/not 31\b/);
  });

  it('a secret of 32 spaces is no secret: refused, as a kept jwt-secret of only whitespace is', () => {
    // The kept file is trimmed and refused when empty; the variable is taken as it is.
    const dir = tmp();
    writeFileSync(join(dir, 'jwt-secret'), ' '.repeat(40));
    expect(thrown(() => localJwtSecret(join(dir, 'ledger.sqlite')))).toBeInstanceOf(ConfigError);
    expect(() => memory({ LEDGER_JWT_SECRET: ' '.repeat(32) })).toThrow(ConfigError);
  });

  it('a kept jwt-secret with a trailing newline is read without it; 31 bytes plus a newline (32 in the file) is still refused', () => {
    const good = tmp();
    const hex = 'a1'.repeat(32);
    writeFileSync(join(good, 'jwt-secret'), `${hex}\n`);
    expect(localJwtSecret(join(good, 'ledger.sqlite'))).toBe(hex);
    const short = tmp();
    writeFileSync(join(short, 'jwt-secret'), `${'b'.repeat(31)}\n`);
    const e = thrown(() => localJwtSecret(join(short, 'ledger.sqlite')));
    expect([e instanceof ConfigError, e.message]).toEqual([true, expect.stringContaining('31 bytes')]);
  });

  it('with LEDGER_JWKS_URL (no local secret is used, README) a leftover short LEDGER_JWT_SECRET does not stop the start', () => {
    expect(() => memory({ LEDGER_JWKS_URL: 'https://idp.example.org/.well-known/jwks.json', LEDGER_JWT_SECRET: 'old-short-secret' })).not.toThrow();
  });

  it('a LEDGER_SQLITE_PATH that is a directory is refused before a jwt-secret is written beside it', () => {
    const dir = tmp();
    const asFolder = join(dir, 'ledger.sqlite');
    mkdirSync(asFolder);
    const e = thrown(() => loadConfig({ LEDGER_SQLITE_PATH: asFolder } as NodeJS.ProcessEnv));
    expect([e instanceof ConfigError, e.message]).toEqual([true, expect.stringContaining('is a directory')]);
    expect(existsSync(join(dir, 'jwt-secret'))).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------------
// EventStoreDB adapter: paged $all reads and the subscription's retries (FakeEsdbClient)
// ---------------------------------------------------------------------------------------------------

describe('EventStoreDB adapter (FakeEsdbClient)', () => {
  const foreign = (n: number) => Array.from({ length: n }, (_, i) => jsonEvent({ type: 'Imported', data: { i } }));
  const unique = (name: string) => `${name}-${randomUUID().slice(0, 8)}`;

  describe('readAll across pages of foreign records', () => {
    let server: FakeEsdbClient;
    let store: EventStoreDbEventStore;
    let a: number;
    let b: number;
    let c: number;
    beforeAll(async () => {
      server = new FakeEsdbClient();
      store = new EventStoreDbEventStore(server);
      a = (await store.append(unique('s'), [ev('A')], 'no_stream')).position;
      await server.appendToStream(unique('other-app'), foreign(700));
      b = (await store.append(unique('s'), [ev('B')], 'no_stream')).position;
      await server.appendToStream(unique('other-app'), foreign(700));
      c = (await store.append(unique('s'), [ev('C')], 'no_stream')).position;
      await server.appendToStream(unique('other-app'), foreign(100));
    });
    afterAll(() => store.close());

    it('upTo stops at the named position across pages; types and maxCount 1 still read on past 700 foreign records', async () => {
      expect((await store.readAll({ after: 0, upTo: b })).map((e) => e.type)).toEqual(['A', 'B']);
      expect((await store.readAll({ after: a, upTo: b - 1 })).map((e) => e.type)).toEqual([]);
      expect((await store.readAll({ after: 0, types: ['C'] })).map((e) => e.type)).toEqual(['C']);
      expect((await store.readAll({ after: 0, types: ['B', 'C'], maxCount: 1 })).map((e) => e.type)).toEqual(['B']);
      expect((await store.readAll({ after: a, maxCount: 1 })).map((e) => e.type)).toEqual(['B']);
      expect((await store.readAll({ after: 0, maxCount: 1 })).map((e) => e.type)).toEqual(['A']);
    });

    it('after at the last ledger position (100 foreign records after it) is an empty page; so is after at the very end of the log', async () => {
      expect(await store.readAll({ after: c })).toEqual([]);
      expect(await store.readAll({ after: c, upTo: c })).toEqual([]);
      expect(await store.readAll({ after: c + 1_000_000 })).toEqual([]);
    });

    it('headPosition is the last ledger event past 100 trailing foreign records (backwards reads of 32)', async () => {
      expect(await store.headPosition()).toBe(c);
    });
  });

  it('a subscription unsubscribed during a retry pause reads no more, reports no error, and warned once for the outage', async () => {
    class Down extends FakeEsdbClient {
      down = false;
      forwardReads = 0;
      override readAll(o: any = {}): any {
        if (o.direction === 'backwards') return super.readAll(o);
        this.forwardReads++;
        if (!this.down) return super.readAll(o);
        return (async function* () {
          throw Object.assign(new Error('14 UNAVAILABLE: node restarting'), { code: 14 });
        })();
      }
    }
    const server = new Down();
    const store = new EventStoreDbEventStore(server);
    const warnings: string[] = [];
    const warn = jest.spyOn(process, 'emitWarning').mockImplementation(((w: string | Error) => void warnings.push(String(w))) as typeof process.emitWarning);
    try {
      await store.append(unique('s'), [ev('One')], 'no_stream');
      const errors: unknown[] = [];
      const seen: string[] = [];
      const sub = store.subscribe(0, (batch) => void seen.push(...batch.map((e) => e.type)), (e) => errors.push(e));
      expect(await until(() => seen.length === 1, 2_000)).toBe(true);
      server.down = true;
      const before = server.forwardReads;
      // The poll (500 ms) reads and fails, then 100 ms and 200 ms pauses: wait for three failed reads, then stop in the next pause.
      expect(await until(() => server.forwardReads >= before + 3, 3_000)).toBe(true);
      await sleep(20);
      sub.unsubscribe();
      const atStop = server.forwardReads;
      await sleep(1_200);
      expect([server.forwardReads - atStop, errors, warnings.length]).toEqual([0, [], 1]);
    } finally {
      warn.mockRestore();
      await store.close();
    }
  });
});

// ---------------------------------------------------------------------------------------------------
// Over HTTP
// ---------------------------------------------------------------------------------------------------

describe('session sixteen over HTTP', () => {
  let t: TestApp;
  let kari: Auth; // finance officer, Telemark
  let admin: Auth;
  let auditor: Auth;

  const post = (path: string, body: unknown, who: Auth = kari, key?: string) => {
    const r = t.http().post(path).set(who);
    if (key !== undefined) r.set('Idempotency-Key', key);
    return r.send(body as object);
  };
  const get = (path: string, who: Auth = admin) => t.http().get(path).set(who);
  const ok = async (path: string, body: unknown, who: Auth = kari, key?: string) => {
    const res = await post(path, body, who, key);
    if (res.status >= 300) throw new Error(`POST ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const logLength = async (): Promise<number> => (await get('/audit/digest', auditor)).body.headPosition;
  const SKIEN = '/centres/kc-skien';
  const correct = (entryId: string, body: Record<string, unknown>, key?: string) => post(`${SKIEN}/funding/entries/${entryId}/correction`, { reason: 'Rettelse', ...body }, kari, key);
  const grant = (entryId: string, fiscalYear: number, amount: string | null = '100.00') => ok(`${SKIEN}/funding/operating-grants`, { entryId, fiscalYear, partyId: 'telemark-fk', decidedOn: `${fiscalYear - 1}-12-10`, amount });

  beforeAll(async () => {
    t = await startTestApp({ seed: true, env: { LEDGER_RATE_LIMIT_PER_MINUTE: '0' } });
    kari = await t.auth('finance-officer', ['telemark'], 'kari-telemark');
    admin = await t.auth('admin', [], 'admin-1');
    auditor = await t.auth('auditor', [], 'revisor');
    for (const p of [
      { partyId: 'telemark-fk', name: 'Telemark fylkeskommune', kind: 'county-authority', countyId: 'telemark' },
      { partyId: 'nav-telemark', name: 'NAV Telemark', kind: 'nav-county-office', countyId: 'telemark' },
      { partyId: 'skien-kommune', name: 'Skien kommune', kind: 'municipality', countyId: 'telemark' },
    ]) await ok('/parties', p);
    await ok('/centres', { centreId: 'kc-skien', countyId: 'telemark', name: 'Karrieresenteret Skien', municipality: 'Skien', openedOn: '2009-09-01' });
    await ok('/centres', { centreId: 'kc-bo', countyId: 'telemark', name: 'Karrieresenteret Bø', municipality: 'Bø', openedOn: '2010-01-01' });
  });
  afterAll(() => t?.close());

  // ------------------------------------------------------------------------------------------------
  describe('corrections by kind: each allowed field, each foreign field', () => {
    it('an in-kind contribution takes each of its fields in turn (inKindKind, estimatedValue, null value, note, reference, decidedOn, partyId, fiscalYear), each answer naming the new entry', async () => {
      await ok(`${SKIEN}/funding/in-kind-contributions`, { entryId: 'ik-1', fiscalYear: 2016, partyId: 'skien-kommune', decidedOn: '2015-12-10', inKindKind: 'premises', estimatedValue: '1000.00' });
      const steps: Record<string, unknown>[] = [{ inKindKind: 'it' }, { estimatedValue: '2000.00' }, { estimatedValue: null }, { note: 'Lokaler og IT' }, { reference: 'Avtale 7' }, { decidedOn: '2015-12-11' }, { partyId: 'telemark-fk' }, { fiscalYear: 2017 }];
      const answers: unknown[] = [];
      let live = 'ik-1';
      for (const [i, step] of steps.entries()) {
        const res = await correct(live, step);
        answers.push([Object.keys(step)[0], res.status, res.body.entryId ?? res.body.code]);
        if (res.status === 201) live = res.body.entryId;
        else break;
        expect(live).toBe(`ik-1.c${i + 1}`);
      }
      expect(answers).toEqual(steps.map((s, i) => [Object.keys(s)[0], 201, `ik-1.c${i + 1}`]));
    });

    it('an in-kind contribution refuses purpose, contractReference, period and incomeKind (400 ENTRY.FIELD_NOT_FOR_KIND naming the field and what it may change) and an amount (400 IN_KIND.NO_AMOUNT); nothing recorded', async () => {
      const before = await logLength();
      const foreignFields: Record<string, unknown>[] = [{ purpose: 'Formål' }, { contractReference: 'K-1' }, { period: { from: '2017-01-01', to: null } }, { incomeKind: 'sales' }];
      for (const f of foreignFields) {
        const res = await correct('ik-1.c8', f);
        const name = Object.keys(f)[0];
        expect([name, res.status, res.body.code, res.body.details?.fields]).toEqual([name, 400, 'ENTRY.FIELD_NOT_FOR_KIND', [name]]);
        expect(res.body.details.allowed).toEqual(['fiscalYear', 'partyId', 'decidedOn', 'reference', 'note', 'inKindKind', 'estimatedValue']);
        expect(res.body.message).toContain(name);
      }
      const amount = await correct('ik-1.c8', { amount: '5.00' });
      expect([amount.status, amount.body.code]).toEqual([400, 'IN_KIND.NO_AMOUNT']);
      expect(await logLength()).toBe(before);
    });

    it('earmarked funds take purpose, period and amount, and refuse contractReference, incomeKind, inKindKind, estimatedValue', async () => {
      await ok(`${SKIEN}/funding/earmarked-funds`, { entryId: 'em-1', fiscalYear: 2016, partyId: 'telemark-fk', decidedOn: '2015-12-10', amount: '100.00', purpose: 'Realkompetanse', period: { from: '2016-01-01', to: '2016-12-31' } });
      const allowed = [await correct('em-1', { purpose: 'Veiledning' }), await correct('em-1.c1', { period: { from: '2016-02-01', to: null } }), await correct('em-1.c2', { amount: '200.00' })];
      expect(allowed.map((r) => [r.status, r.body.entryId])).toEqual([[201, 'em-1.c1'], [201, 'em-1.c2'], [201, 'em-1.c3']]);
      for (const f of [{ contractReference: 'K-1' }, { incomeKind: 'sales' }, { inKindKind: 'it' }, { estimatedValue: '5.00' }]) {
        const res = await correct('em-1.c3', f);
        expect([Object.keys(f)[0], res.status, res.body.code]).toEqual([Object.keys(f)[0], 400, 'ENTRY.FIELD_NOT_FOR_KIND']);
      }
    });

    it('a tender award takes contractReference and period, and refuses purpose, incomeKind, inKindKind, estimatedValue', async () => {
      await ok(`${SKIEN}/funding/tender-awards`, { entryId: 'td-1', fiscalYear: 2016, partyId: 'nav-telemark', decidedOn: '2015-12-10', amount: '300.00', contractReference: 'NAV-2016/1', period: { from: '2016-01-01', to: '2016-06-30' } });
      const allowed = [await correct('td-1', { contractReference: 'NAV-2016/2' }), await correct('td-1.c1', { period: { from: '2016-01-01', to: '2016-12-31' } })];
      expect(allowed.map((r) => [r.status, r.body.entryId])).toEqual([[201, 'td-1.c1'], [201, 'td-1.c2']]);
      for (const f of [{ purpose: 'Formål' }, { incomeKind: 'sales' }, { inKindKind: 'it' }, { estimatedValue: '5.00' }]) {
        const res = await correct('td-1.c2', f);
        expect([Object.keys(f)[0], res.status, res.body.code]).toEqual([Object.keys(f)[0], 400, 'ENTRY.FIELD_NOT_FOR_KIND']);
      }
    });
  });

  // ------------------------------------------------------------------------------------------------
  describe('the entry in force after several corrections', () => {
    beforeAll(async () => {
      await grant('ch-1', 2017, '10.00');
      for (const [id, amount] of [['ch-1', '11.00'], ['ch-1.c1', '12.00']]) {
        const res = await correct(id, { amount });
        if (res.status !== 201) throw new Error(`correcting ${id}: ${res.status} ${JSON.stringify(res.body)}`);
      }
      await grant('once-1', 2017, '20.00');
      await correct('once-1', { amount: '21.00' });
      await grant('rv-1', 2017, '30.00');
      await correct('rv-1', { amount: '31.00' });
      await ok(`${SKIEN}/funding/entries/rv-1.c1/reversal`, { reason: 'Ført ved en feil' });
    });

    it('correcting the corrected entry ch-1.c1 (replaced by ch-1.c2) names ch-1.c2', async () => {
      const res = await correct('ch-1.c1', { amount: '13.00' });
      expect([res.status, res.body.code, res.body.details?.correctedByEntryId]).toEqual([409, 'ENTRY.ALREADY_REVERSED', 'ch-1.c2']);
    });

    it('correcting the first entry of a chain corrected twice (ch-1 → ch-1.c1 → ch-1.c2) names the entry in force, ch-1.c2, not ch-1.c1', async () => {
      const res = await correct('ch-1', { amount: '13.00' });
      expect([res.status, res.body.code]).toEqual([409, 'ENTRY.ALREADY_REVERSED']);
      // README: details.correctedByEntryId is "the entry to reverse or correct now"; ch-1.c1 is itself reversed.
      expect([res.body.details.correctedByEntryId, res.body.message]).toEqual(['ch-1.c2', expect.stringContaining('ch-1.c2')]);
    });

    it('reversing ch-1 (corrected twice) likewise names ch-1.c2 as the entry to reverse', async () => {
      const res = await post(`${SKIEN}/funding/entries/ch-1/reversal`, { reason: 'Feil' });
      expect([res.status, res.body.code]).toEqual([409, 'ENTRY.ALREADY_REVERSED']);
      expect([res.body.details.correctedByEntryId, res.body.message]).toEqual(['ch-1.c2', expect.stringContaining('ch-1.c2')]);
    });

    it('reversing or correcting an entry corrected once names its correction (once-1 → once-1.c1)', async () => {
      const rev = await post(`${SKIEN}/funding/entries/once-1/reversal`, { reason: 'Feil' });
      const cor = await correct('once-1', { amount: '22.00' });
      expect([rev.status, rev.body.details?.correctedByEntryId, cor.status, cor.body.details?.correctedByEntryId]).toEqual([409, 'once-1.c1', 409, 'once-1.c1']);
    });

    it('when the correction was itself reversed (rv-1 → rv-1.c1, then rv-1.c1 reversed) the refusal does not call rv-1.c1 "the entry in force" or invite correcting it', async () => {
      const res = await correct('rv-1', { amount: '32.00' });
      expect([res.status, res.body.code]).toEqual([409, 'ENTRY.ALREADY_REVERSED']);
      expect(res.body.message).not.toMatch(/in force/);
      expect(res.body.message).not.toMatch(/(reverse or correct|correct) rv-1\.c1 instead/);
      // Following that advice is itself refused:
      const follow = await correct('rv-1.c1', { amount: '32.00' });
      expect(follow.status).toBe(409);
    });
  });

  // ------------------------------------------------------------------------------------------------
  describe('a correction\'s answer and its Idempotency-Key', () => {
    it('a keyed retry of a correction gets the same answer, entryId included, and records once', async () => {
      await grant('kr-1', 2018, '100.00');
      const before = await logLength();
      const a = await correct('kr-1', { amount: '150.00' }, 'korr-kr-1');
      const b = await correct('kr-1', { amount: '150.00' }, 'korr-kr-1');
      expect([a.status, b.status, a.body.entryId]).toEqual([201, 201, 'kr-1.c1']);
      expect(b.body).toEqual(a.body);
      expect(await logLength()).toBe(before + 2);
    });

    it('the retry still names kr-1.c1 after kr-1.c1 was corrected again (kr-1.c2), and records nothing', async () => {
      const second = await correct('kr-1.c1', { amount: '175.00' });
      expect([second.status, second.body.entryId]).toEqual([201, 'kr-1.c2']);
      const before = await logLength();
      const retry = await correct('kr-1', { amount: '150.00' }, 'korr-kr-1');
      expect([retry.status, retry.body.entryId]).toEqual([201, 'kr-1.c1']);
      expect(await logLength()).toBe(before);
    });

    it('the key with another body (another amount, or an added field the entry lacks) is 409 IDEMPOTENCY_KEY_REUSED, nothing recorded', async () => {
      const before = await logLength();
      const other = await correct('kr-1', { amount: '160.00' }, 'korr-kr-1');
      const added = await correct('kr-1', { amount: '150.00', purpose: 'Formål' }, 'korr-kr-1');
      expect([other.status, other.body.code, added.status, added.body.code]).toEqual([409, 'IDEMPOTENCY_KEY_REUSED', 409, 'IDEMPOTENCY_KEY_REUSED']);
      expect(await logLength()).toBe(before);
    });

    it('the OpenAPI document says a correction answers the new entry\'s id (CommandResult.entryId names record and reversal only)', async () => {
      const docs = await t.http().get('/docs-json');
      const entryIdDoc: string = docs.body.components.schemas.CommandResult.properties.entryId.description;
      const op = docs.body.paths['/centres/{centreId}/funding/entries/{entryId}/correction'].post;
      // The record routes say "The answer adds `entryId`"; a client generated from the document should learn the correction's answer names `<id>.c<n>`.
      expect([/correct/i.test(entryIdDoc), /answer[^.]*entryId/i.test(op.description ?? '')]).toContain(true);
    });

    it('a key first used for a reversal is 409 IDEMPOTENCY_KEY_REUSED on a correction; a key whose correction was refused (FIELD_NOT_FOR_KIND) is free for the corrected body', async () => {
      await grant('kr-2', 2018, '10.00');
      await grant('kr-3', 2018, '10.00');
      expect((await post(`${SKIEN}/funding/entries/kr-2/reversal`, { reason: 'Feil' }, kari, 'key-rev')).status).toBe(201);
      const reused = await correct('kr-3', { amount: '11.00' }, 'key-rev');
      expect([reused.status, reused.body.code]).toEqual([409, 'IDEMPOTENCY_KEY_REUSED']);
      const refusedFirst = await correct('kr-3', { amount: '11.00', purpose: 'Formål' }, 'key-kr-3');
      expect([refusedFirst.status, refusedFirst.body.code]).toEqual([400, 'ENTRY.FIELD_NOT_FOR_KIND']);
      const then = await correct('kr-3', { amount: '11.00' }, 'key-kr-3');
      expect([then.status, then.body.entryId]).toEqual([201, 'kr-3.c1']);
    });
  });

  // ------------------------------------------------------------------------------------------------
  describe('COUNTY.NOT_FOUND names the registered id for a case typo', () => {
    it('on every read route that can answer it ("Telemark" → telemark)', async () => {
      const paths = [
        '/counties/Telemark',
        '/counties/Telemark/funding-mix/2019',
        '/key-figures/2019?counties=Telemark',
        '/key-figures/2019?counties=telemark,Telemark',
        '/reports/funding-mix/2019/csv?county=Telemark',
        '/reports/key-figures/2019/csv?county=Telemark',
        '/reports/2019/xlsx?county=Telemark',
        '/parties?countyId=Telemark',
        '/boards?countyId=Telemark',
        '/nav-links?countyId=Telemark',
        '/counties/Telemark/partnership',
        '/counties/Telemark/county-line-decisions',
        '/owner-agreements/cost-share-compliance/2019?countyId=Telemark',
        '/stimulus-grants?countyId=Telemark',
      ];
      const answers = [];
      for (const path of paths) {
        const res = await get(path);
        answers.push([path, res.status, res.body?.code, res.body?.message]);
      }
      expect(answers).toEqual(paths.map((p) => [p, 404, 'COUNTY.NOT_FOUND', expect.stringContaining('did you mean telemark?')]));
    });

    it('an id that is no county in any case points to GET /counties', async () => {
      const res = await get('/counties/atlantis/funding-mix/2019');
      expect([res.status, res.body.code, res.body.message]).toEqual([404, 'COUNTY.NOT_FOUND', expect.stringContaining('GET /counties')]);
    });

    it('on writes naming the county as an admin (register a centre, a party, sign a partnership), as a finance officer\'s write already does', async () => {
      const officer = await post('/centres', { centreId: 'kc-x1', countyId: 'Telemark', name: 'X1', municipality: 'Skien', openedOn: '2010-01-01' }, kari);
      expect([officer.status, officer.body.code, officer.body.message]).toEqual([404, 'COUNTY.NOT_FOUND', expect.stringContaining('did you mean telemark?')]);
      const writes: [string, unknown][] = [
        ['/centres', { centreId: 'kc-x2', countyId: 'Telemark', name: 'X2', municipality: 'Skien', openedOn: '2010-01-01' }],
        ['/parties', { partyId: 'p-x', name: 'Part X', kind: 'municipality', countyId: 'Telemark' }],
        ['/counties/Telemark/partnership-agreements', { partnershipId: 'pa-x', parties: ['telemark-fk', 'nav-telemark'], signedOn: '2014-02-01', period: { from: '2014-02-01', to: null } }],
      ];
      const answers = [];
      for (const [path, body] of writes) {
        const res = await post(path, body, admin);
        answers.push([path, res.status, res.body.code, res.body.message]);
      }
      expect(answers).toEqual(writes.map(([p]) => [p, 404, 'COUNTY.NOT_FOUND', expect.stringContaining('did you mean telemark?')]));
    });
  });

  // ------------------------------------------------------------------------------------------------
  describe('the audit log\'s type filter', () => {
    const events = (q: string) => get(`/audit/events?${q}&limit=500`, auditor);

    it('an empty item ("CentreRegistered,,PartyRegistered") or an empty filter is a 400, never a 500 or an empty page', async () => {
      for (const q of ['type=CentreRegistered,,PartyRegistered', 'type=CentreRegistered,', 'type=']) {
        const res = await events(q);
        expect([q, res.status]).toEqual([q, 400]);
        expect(res.body.message).not.toMatch(/no event of type ;|type ,/);
      }
    });

    it('a type named twice answers each event once, as the type named once does', async () => {
      const once = await events('type=CentreRegistered');
      const twice = await events('type=CentreRegistered,CentreRegistered');
      expect([once.status, twice.status]).toEqual([200, 200]);
      expect(once.body.events.length).toBe(2);
      expect(twice.body.events.map((e: any) => e.position)).toEqual(once.body.events.map((e: any) => e.position));
    });

    it('20 known types are taken, 21 are a 400', async () => {
      const twenty = await events(`type=${EVENT_TYPES.slice(0, 20).join(',')}`);
      expect(twenty.status).toBe(200);
      expect(twenty.body.events.length).toBeGreaterThan(0);
      expect((await events(`type=${EVENT_TYPES.slice(0, 21).join(',')}`)).status).toBe(400);
    });

    it('case variants are 400 AUDIT.UNKNOWN_EVENT_TYPE naming the recorded spelling', async () => {
      const res = await events('type=CENTREREGISTERED,entryreversed,PartyRegistered');
      expect([res.status, res.body.code]).toEqual([400, 'AUDIT.UNKNOWN_EVENT_TYPE']);
      expect(res.body.details.unknown).toEqual(['CENTREREGISTERED', 'entryreversed']);
      expect(res.body.details.didYouMean).toEqual({ CENTREREGISTERED: 'CentreRegistered', entryreversed: 'EntryReversed' });
    });

    it('every type this app has recorded is in the catalogue and filters to itself', async () => {
      const all = await events('after=0');
      const types = [...new Set<string>(all.body.events.map((e: any) => e.type))];
      expect(types.filter((x) => !(EVENT_TYPES as readonly string[]).includes(x))).toEqual([]);
      const res = await events(`type=${types.join(',')}`);
      expect(res.status).toBe(200);
      expect(res.body.events.length).toBe(all.body.events.length);
    });
  });

  // ------------------------------------------------------------------------------------------------
  describe('the funding-mix report CSV (2019, Telemark)', () => {
    let rows: string[][];
    const row = (label: string, second?: string) => rows.find((r) => r[0] === label && (second === undefined || r[1] === second));
    beforeAll(async () => {
      const y = { fiscalYear: 2019, decidedOn: '2018-12-10' };
      await ok(`${SKIEN}/funding/operating-grants`, { ...y, entryId: 'mx-drift', partyId: 'telemark-fk', amount: '100.00' });
      await ok(`${SKIEN}/funding/earmarked-funds`, { ...y, entryId: 'mx-em-fk', partyId: 'telemark-fk', amount: '50.00', purpose: 'P', period: { from: '2019-01-01', to: null } });
      await ok(`${SKIEN}/funding/earmarked-funds`, { ...y, entryId: 'mx-em-nav', partyId: 'nav-telemark', amount: null, purpose: 'P', period: { from: '2019-01-01', to: null } });
      await ok('/centres/kc-bo/funding/operating-grants', { ...y, entryId: 'mx-bo', partyId: 'telemark-fk', amount: '7.00' });
      await ok(`${SKIEN}/funding/in-kind-contributions`, { ...y, entryId: 'mx-ik-1', partyId: 'skien-kommune', inKindKind: 'premises', estimatedValue: '10.00' });
      await ok(`${SKIEN}/funding/in-kind-contributions`, { ...y, entryId: 'mx-ik-2', partyId: 'skien-kommune', inKindKind: 'it', estimatedValue: null });
      const res = await get('/reports/funding-mix/2019/csv?county=telemark', kari);
      expect(res.status).toBe(200);
      rows = res.text.replace(/^\uFEFF/, '').split('\r\n').map((l: string) => l.split(';'));
    });

    it('partial totals say "+ ikke oppgitt" (Sum, earmarked, kc-skien), a party with none reported says "ikke oppgitt", complete ones stay numbers', () => {
      expect(row('Sum')?.[2]).toBe('157,00 + ikke oppgitt');
      expect(row('Øremerkede midler', '')?.[2]).toBe('50,00 + ikke oppgitt');
      expect(row('Driftsmidler', '')?.[2]).toBe('107,00');
      expect(row('NAV Telemark')?.[2]).toBe('ikke oppgitt');
      expect(row('Telemark fylkeskommune', 'Fylkeskommune')?.[2]).toBe('157,00');
      expect(row('Karrieresenteret Skien')?.[2]).toBe('150,00 + ikke oppgitt');
      expect(row('Karrieresenteret Bø')?.[2]).toBe('7,00');
    });

    it('the in-kind estimate that leaves out an unvalued contribution says so too ("10,00 + ikke oppgitt"), not a bare 10,00', () => {
      const inKind = rows.find((r) => r[0] === 'Skien kommune' && r[1] === '');
      expect(inKind?.[2]).toBe('10,00 + ikke oppgitt');
    });
  });
});
