import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { toLayoutBeforeSenders } from '../../../event-store/src/legacy-idempotency.fixture';
import { SqliteEventStore } from '../../../event-store/src/sqlite-event-store';
import { EVENTS_FILE, exportSource, readExportDigest, writeExport } from './export';
import { sqliteIdempotencyProblems, verifySource, verifySqliteSync, withLogProblems } from './integrity';

const meta = (idempotencyKey: string | null = null, actorId = 't') => ({ actorId, actorRole: 'admin', correlationId: 'c', causationId: null, idempotencyKey });

/** An in-memory SQLite ledger: s-1 (two events, key k-1), s-2 (one event, key k-2), an append of nothing under k-3, s-3 without a key. */
const ledger = async (): Promise<SqliteEventStore> => {
  const store = new SqliteEventStore({ path: ':memory:' });
  const ev = (id: string, key: string | null) => ({ eventId: id, type: 'T', schemaVersion: 1, data: { centreId: id, name: `Name ${id}` }, metadata: meta(key) });
  await store.append('s-1', [ev('e-1', 'k-1'), ev('e-2', 'k-1')], 'no_stream', { actorId: 't', key: 'k-1', requestHash: 'h1' });
  await store.append('s-2', [ev('e-3', 'k-2')], 'no_stream', { actorId: 't', key: 'k-2', requestHash: 'h2' });
  await store.append('s-2', [], 'any', { actorId: 't', key: 'k-3', requestHash: 'h3' });
  await store.append('s-3', [ev('e-4', null)], 'no_stream');
  return store;
};

const problemsOf = async (change: (db: SqliteEventStore['db']) => void) => {
  const store = await ledger();
  try {
    change(store.db);
    return sqliteIdempotencyProblems(store.db).map((p) => ({ kind: p.kind, key: 'key' in p ? p.key : null, detail: p.detail }));
  } finally {
    await store.close();
  }
};

describe('verify on SQLite: stored JSON text that parses to the same event', () => {
  it('a key written twice into a row\'s data or metadata is content-altered, naming the stream and position', async () => {
    const store = await ledger();
    try {
      expect(verifySqliteSync(store.db, { hashCoversPosition: true }).ok).toBe(true);
      store.db.prepare(`UPDATE events SET data = replace(data, '{"centreId"', '{"name":"Forged","centreId"') WHERE event_id = 'e-3'`).run();
      store.db.prepare(`UPDATE events SET metadata = replace(metadata, '{"actorId"', '{"actorId":"x","actorId"') WHERE event_id = 'e-1'`).run();
      const r = verifySqliteSync(store.db, { hashCoversPosition: true });
      expect(r.ok).toBe(false);
      expect(r.brokenStreams).toEqual([
        expect.objectContaining({ streamId: 's-1', position: 1, reasons: ['content-altered'], detail: expect.stringContaining('stored metadata text') }),
        expect.objectContaining({ streamId: 's-2', position: 3, reasons: ['content-altered'], detail: expect.stringContaining('stored data text') }),
      ]);
    } finally {
      await store.close();
    }
  });

  it('whitespace added to a row\'s JSON is content-altered too; the export refuses such a row', async () => {
    const store = await ledger();
    const dir = mkdtempSync(join(tmpdir(), 'ledger-altered-'));
    try {
      store.db.prepare(`UPDATE events SET data = replace(data, ',', ', ') WHERE event_id = 'e-4'`).run();
      expect(verifySqliteSync(store.db, { hashCoversPosition: true }).brokenStreams).toEqual([expect.objectContaining({ streamId: 's-3', reasons: ['content-altered'] })]);
      await expect(writeExport(store, join(dir, 'x'))).rejects.toThrow(/position 4 \(stream s-3, revision 0\) cannot be exported/);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an export line rewritten with a key written twice fails verify --from-export; the export as written verifies', async () => {
    const store = await ledger();
    const dir = mkdtempSync(join(tmpdir(), 'ledger-altered-'));
    try {
      const out = join(dir, 'x');
      await writeExport(store, out);
      const d = readExportDigest(out);
      const options = { hashCoversPosition: true, expectedDigest: d.digest, digestPosition: d.position };
      expect((await verifySource(exportSource(out), options)).ok).toBe(true);
      const file = join(out, EVENTS_FILE);
      writeFileSync(file, readFileSync(file, 'utf8').replace('{"centreId":"e-3"', '{"centreId":"forged","centreId":"e-3"'));
      const r = await verifySource(exportSource(out), options);
      expect({ ok: r.ok, digest: r.digest?.matches }).toEqual({ ok: false, digest: true });
      expect(r.brokenStreams).toEqual([expect.objectContaining({ streamId: 's-2', position: 3, reasons: ['content-altered'], detail: expect.stringContaining('text of line 3') })]);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('verify on SQLite: the idempotency receipts against the log', () => {
  it('an untouched ledger (receipts of appends with events and of one that recorded nothing) has no problem', async () => {
    expect(await problemsOf(() => {})).toEqual([]);
  });

  it('an event deleted (without a digest, verify\'s walk sees only a gap): its receipt names an event that is not in the log', async () => {
    expect(await problemsOf((db) => db.prepare("DELETE FROM events WHERE event_id = 'e-3'").run())).toEqual([
      { kind: 'idempotency-mismatch', key: 'k-2', detail: 'idempotency key "k-2" of sender "t": its receipt names event e-3, which is not in the log' },
    ]);
    // The last row, recorded without a key: no receipt to disagree with.
    expect(await problemsOf((db) => db.prepare('DELETE FROM events WHERE position = (SELECT max(position) FROM events)').run())).toEqual([]);
  });

  it('a receipt deleted: the events recorded under its key are named', async () => {
    expect(await problemsOf((db) => db.prepare("DELETE FROM idempotency_receipts WHERE key = 'k-1'").run())).toEqual([
      { kind: 'idempotency-mismatch', key: 'k-1', detail: expect.stringContaining('2 events (the first at position 1) were recorded under this key, which has no receipt') },
    ]);
  });

  it('a receipt rewritten to name another event, fewer events, another position, or nothing beyond the log', async () => {
    const rewrite = (key: string, change: (r: Record<string, unknown>) => Record<string, unknown>) => (db: SqliteEventStore['db']) => {
      const row = db.prepare('SELECT result FROM idempotency_receipts WHERE key = ?').get(key) as { result: string };
      db.prepare('UPDATE idempotency_receipts SET result = ? WHERE key = ?').run(JSON.stringify(change(JSON.parse(row.result))), key);
    };
    expect(await problemsOf(rewrite('k-2', (r) => ({ ...r, eventIds: ['e-4'], position: 4 })))).toEqual([
      { kind: 'idempotency-mismatch', key: 'k-2', detail: 'idempotency key "k-2" of sender "t": its receipt names event e-4 (position 4), which was recorded without an idempotency key' },
    ]);
    expect(await problemsOf(rewrite('k-1', (r) => ({ ...r, eventIds: ['e-2'] })))).toEqual([
      { kind: 'idempotency-mismatch', key: 'k-1', detail: 'idempotency key "k-1" of sender "t": 2 events (the first at position 1) were recorded under this key, but its receipt names 1' },
    ]);
    expect(await problemsOf(rewrite('k-2', (r) => ({ ...r, position: 2 })))).toEqual([
      { kind: 'idempotency-mismatch', key: 'k-2', detail: 'idempotency key "k-2" of sender "t": its receipt says position 2, revision 0, but its last event is at position 3, revision 0' },
    ]);
    expect(await problemsOf(rewrite('k-3', (r) => ({ ...r, position: 99 })))).toEqual([
      { kind: 'idempotency-mismatch', key: 'k-3', detail: "idempotency key \"k-3\" of sender \"t\": its receipt of an append that recorded nothing names position 99, beyond the log's last position 4" },
    ]);
    expect(await problemsOf((db) => db.prepare("UPDATE idempotency_receipts SET result = '{}' WHERE key = 'k-3'").run())).toEqual([
      { kind: 'idempotency-mismatch', key: 'k-3', detail: expect.stringContaining('its receipt is not a readable append result') },
    ]);
  });

  it('an event\'s key changed (hash recomputed aside): it is named by its receipt and as an event without one', async () => {
    const problems = await problemsOf((db) => db.prepare(`UPDATE events SET metadata = replace(metadata, '"k-2"', '"k-9"') WHERE event_id = 'e-3'`).run());
    expect(problems.map((p) => p.detail)).toEqual([
      'idempotency key "k-2" of sender "t": its receipt names event e-3 (position 3), which was recorded under the key "k-9"',
      expect.stringContaining('idempotency key "k-9" of sender "t": the event at position 3 was recorded under this key, which has no receipt'),
    ]);
  });

  it('withLogProblems makes the report not ok and names the first bad position', async () => {
    const store = await ledger();
    try {
      const report = verifySqliteSync(store.db, { hashCoversPosition: true });
      expect(withLogProblems(report, [])).toBe(report);
      const r = withLogProblems(report, [{ kind: 'idempotency-mismatch', key: 'k', position: 3, detail: 'x' }]);
      expect({ ok: r.ok, first: r.firstBadPosition, problems: r.logProblems.length }).toEqual({ ok: false, first: 3, problems: 1 });
    } finally {
      await store.close();
    }
  });
});

describe('verify on SQLite: receipts are per sender, and receipts stored before they were', () => {
  const evBy = (actorId: string, id: string, key: string) => ({ eventId: id, type: 'T', schemaVersion: 1, data: { centreId: id }, metadata: meta(key, actorId) });

  it('two senders who used one key: each receipt names its own sender\'s events, no problem; a receipt moved to the other sender is named (it names the first sender\'s event), and so are that sender\'s events left without one', async () => {
    const store = await ledger();
    try {
      await store.append('s-4', [evBy('u', 'e-5', 'k-2')], 'no_stream', { actorId: 'u', key: 'k-2', requestHash: 'h-u' });
      expect(sqliteIdempotencyProblems(store.db)).toEqual([]);
      store.db.prepare("DELETE FROM idempotency_receipts WHERE actor_id = 'u'").run();
      store.db.prepare("UPDATE idempotency_receipts SET actor_id = 'u' WHERE key = 'k-2'").run();
      expect(sqliteIdempotencyProblems(store.db).map((p) => ['key' in p ? p.key : null, 'actorId' in p ? p.actorId : null, p.detail])).toEqual([
        ['k-2', 'u', 'idempotency key "k-2" of sender "u": its receipt names event e-3 (position 3), which was recorded by the sender "t"'],
        ['k-2', 't', expect.stringContaining('idempotency key "k-2" of sender "t": the event at position 3 was recorded under this key, which has no receipt')],
      ]);
    } finally {
      await store.close();
    }
  });

  it('a ledger made before keys were per sender (receipts of the key alone) has no problem, read-only as it is and once migrated, with a receipt of another sender under one of its keys; a receipt of the key alone deleted is still named', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ledger-legacy-receipts-'));
    const path = join(dir, 'old.sqlite');
    try {
      const made = new SqliteEventStore({ path });
      await made.append('s-1', [evBy('t', 'e-1', 'k-1'), evBy('t', 'e-2', 'k-1')], 'no_stream', { actorId: 't', key: 'k-1', requestHash: 'h1' });
      await made.append('s-2', [], 'any', { actorId: 't', key: 'k-3', requestHash: 'h3' });
      await made.close();
      const raw = new Database(path);
      toLayoutBeforeSenders(raw);
      raw.close();
      // Read-only (verify): not migrated, the key alone.
      const ro = new Database(path, { readonly: true });
      expect((ro.prepare("SELECT count(*) AS n FROM pragma_table_info('idempotency') WHERE name = 'actor_id'").get() as { n: number }).n).toBe(0);
      expect(sqliteIdempotencyProblems(ro)).toEqual([]);
      ro.close();
      const store = new SqliteEventStore({ path });
      try {
        expect((store.db.prepare('SELECT actor_id, key FROM idempotency_receipts ORDER BY key').all() as { actor_id: string; key: string }[]).map((r) => [r.actor_id, r.key])).toEqual([
          ['', 'k-1'],
          ['', 'k-3'],
        ]);
        expect(sqliteIdempotencyProblems(store.db)).toEqual([]);
        await store.append('s-9', [evBy('u', 'e-9', 'k-1')], 'no_stream', { actorId: 'u', key: 'k-1', requestHash: 'h-u' });
        expect(sqliteIdempotencyProblems(store.db)).toEqual([]);
        store.db.prepare("DELETE FROM idempotency_receipts WHERE actor_id = '' AND key = 'k-1'").run();
        expect(sqliteIdempotencyProblems(store.db).map((p) => p.detail)).toEqual([expect.stringContaining('idempotency key "k-1" of sender "t": 2 events (the first at position 1) were recorded under this key, which has no receipt')]);
        store.db.prepare("UPDATE idempotency_receipts SET result = '{}' WHERE key = 'k-3'").run();
        expect(sqliteIdempotencyProblems(store.db).map((p) => p.detail)).toContainEqual(expect.stringMatching(/^idempotency key "k-3": its receipt is not a readable append result/));
      } finally {
        await store.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
