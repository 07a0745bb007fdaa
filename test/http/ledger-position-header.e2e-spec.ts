import { randomUUID } from 'node:crypto';
import { parseLedgerPosition } from '../../apps/api/src/ledger/query-gate';
import { rawGet, RawAnswer } from '../helpers/raw-get';
import { startTestApp, TestApp } from '../helpers/test-app';

/**
 * X-Ledger-Position (read-your-writes): a global log position written in digits only. Everything else
 * is 400 REQUEST.BAD_POSITION on every kind of read (one view, several views at one position, a route
 * with atPosition, with asOf), never read the way Number() reads it ('' as 0, 0x10 as 16, 1e3 as 1000).
 * A well-formed position beyond the log's head is not refused at once: as the README says, the read
 * waits for the views to include it (another writer may be about to record it), then 503 VIEWS.CATCHING_UP.
 */

const ERROR_KEYS = ['code', 'details', 'message', 'statusCode'];

describe('X-Ledger-Position', () => {
  let t: TestApp;
  let auditor: Record<string, string>;
  const get = (url: string, headers: Record<string, string | string[]> = {}): Promise<RawAnswer> => rawGet(t.app.getHttpServer(), url, { ...auditor, ...headers });

  beforeAll(async () => {
    t = await startTestApp({ seed: true, env: { LEDGER_RATE_LIMIT_PER_MINUTE: '0' } });
    auditor = await t.auth('auditor', [], 'position-auditor');
  });
  afterAll(() => t.close());

  const MALFORMED = ['', '0x10', '0X10', '1e3', '1E3', '-1', '+5', '1.5', '1.', '.5', '1_000', '1,000', 'Infinity', 'NaN', 'abc', '5abc', '0b101', '0o17', '99999999999999999', '99999999999999999999'];

  it('the parser takes digits only (at most 16, a safe integer), leading zeros included', () => {
    expect(parseLedgerPosition(undefined)).toBeNull();
    expect(parseLedgerPosition('0')).toBe(0);
    expect(parseLedgerPosition('007')).toBe(7);
    expect(parseLedgerPosition('9007199254740991')).toBe(Number.MAX_SAFE_INTEGER);
    // '\u0663' is ARABIC-INDIC DIGIT THREE (not sendable in a header; Number() would refuse it too, \d must not match it).
    for (const bad of [...MALFORMED, '\u0663', '9007199254740992', ['1', '2'], 5, null]) {
      expect(() => parseLedgerPosition(bad)).toThrow(expect.objectContaining({ code: 'REQUEST.BAD_POSITION', kind: 'invalid' }));
    }
  });

  it.each([
    ['one view (a cached route)', '/counties'],
    ['one item', '/counties/telemark'],
    ['several views at one position', '/partnerships'],
    ['a route with atPosition', '/counties/telemark/eligibility/2014?atPosition=0'],
    ['a read with asOf', '/counties?asOf=2014-01-01'],
  ])('a malformed value is 400 REQUEST.BAD_POSITION in the one error shape: %s', async (_what, url) => {
    for (const value of MALFORMED) {
      const res = await get(url, { 'x-ledger-position': value });
      expect([value, res.statusCode]).toEqual([value, 400]);
      const body = JSON.parse(res.body);
      expect(Object.keys(body).sort()).toEqual(ERROR_KEYS);
      expect(body.code).toBe('REQUEST.BAD_POSITION');
      expect(body.details).toEqual({ header: 'X-Ledger-Position', value });
    }
  });

  it('two header lines (joined "1, 2") are one malformed value, not the first or the larger', async () => {
    const res = await get('/counties', { 'x-ledger-position': ['1', '2'] });
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(res.body)).toMatchObject({ code: 'REQUEST.BAD_POSITION', details: { value: '1, 2' } });
  });

  it('0, leading zeros and the head itself are answered', async () => {
    const head = await t.store.headPosition();
    for (const value of ['0', '00', String(head), `000${head}`]) {
      const res = await get('/counties', { 'x-ledger-position': value });
      expect([value, res.statusCode]).toEqual([value, 200]);
    }
  });

  it('a position beyond the head is waited for: recorded meanwhile (by another writer), the read is answered with it', async () => {
    const head = await t.store.headPosition();
    const read = get('/counties/waitland', { 'x-ledger-position': String(head + 1) });
    await new Promise((r) => setTimeout(r, 300));
    await t.store.append('county-waitland', [
      { eventId: randomUUID(), type: 'CountyRegistered', schemaVersion: 1, data: { countyId: 'waitland', name: 'Waitland', countyNumber: '98' }, metadata: { actorId: 'other-writer', actorRole: 'admin', correlationId: 'c', causationId: null, idempotencyKey: null } },
    ], 'no_stream');
    const res = await read;
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ countyId: 'waitland', name: 'Waitland' });
  });

  it('a position beyond the head that is never written: 503 VIEWS.CATCHING_UP after the wait (documented), not 400 and not a stale answer', async () => {
    const head = await t.store.headPosition();
    const res = await get('/counties', { 'x-ledger-position': String(head + 50) });
    expect(res.statusCode).toBe(503);
    expect(JSON.parse(res.body)).toMatchObject({ code: 'VIEWS.CATCHING_UP', details: { wanted: head + 50 } });
  }, 20_000);
});
