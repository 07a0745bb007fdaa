import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLedgerReadonly, SqliteEventStore } from './sqlite-event-store';

const meta = { actorId: 't', actorRole: 'admin', correlationId: 'c', causationId: null, idempotencyKey: null };

describe('read-only opens of a SQLite ledger leave its folder as they found it', () => {
  const root = mkdtempSync(join(tmpdir(), 'ledger-readonly-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  let n = 0;

  /** A ledger with one event, cleanly closed (no -wal, no -shm). */
  const closedLedger = async (): Promise<{ dir: string; path: string }> => {
    const dir = join(root, `d${++n}`);
    const path = join(dir, 'ledger.sqlite');
    const store = new SqliteEventStore({ path });
    await store.append('s', [{ eventId: 'e-1', type: 'T', schemaVersion: 1, data: { a: 1 }, metadata: meta }], 'no_stream');
    await store.close();
    expect(readdirSync(dir)).toEqual(['ledger.sqlite']);
    return { dir, path };
  };

  it('SqliteEventStore readonly and openLedgerReadonly: no -wal or -shm left next to a cleanly closed ledger, the file unchanged', async () => {
    const { dir, path } = await closedLedger();
    const bytes = readFileSync(path);
    const store = new SqliteEventStore({ path, readonly: true });
    expect((await store.readAll()).map((e) => e.eventId)).toEqual(['e-1']);
    expect(readdirSync(dir).sort()).toEqual(['ledger.sqlite', 'ledger.sqlite-shm', 'ledger.sqlite-wal']);
    await store.close();
    expect(readdirSync(dir)).toEqual(['ledger.sqlite']);
    const { db, close } = openLedgerReadonly(path);
    expect((db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n).toBe(1);
    close();
    expect(readdirSync(dir)).toEqual(['ledger.sqlite']);
    expect(readFileSync(path).equals(bytes)).toBe(true);
  });

  it('-wal and -shm that were there before (a writer has the ledger open) are left, and so is the writer\'s work', async () => {
    const { dir, path } = await closedLedger();
    const writer = new SqliteEventStore({ path });
    await writer.append('s', [{ eventId: 'e-2', type: 'T', schemaVersion: 1, data: { a: 2 }, metadata: meta }], 0);
    const { db, close } = openLedgerReadonly(path);
    expect((db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n).toBe(2);
    close();
    expect(readdirSync(dir).sort()).toEqual(['ledger.sqlite', 'ledger.sqlite-shm', 'ledger.sqlite-wal']);
    await writer.append('s', [{ eventId: 'e-3', type: 'T', schemaVersion: 1, data: { a: 3 }, metadata: meta }], 1);
    await writer.close();
    const check = new Database(path, { readonly: true });
    expect((check.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n).toBe(3);
    check.close();
  });

  it('files it created but another connection opened meanwhile (a server started during verify) uses are left to that connection', async () => {
    const { dir, path } = await closedLedger();
    const { db, close } = openLedgerReadonly(path);
    db.prepare('SELECT count(*) FROM events').get();
    const server = new SqliteEventStore({ path });
    await server.headPosition();
    close();
    expect(existsSync(`${path}-wal`) && existsSync(`${path}-shm`)).toBe(true);
    await server.append('s', [{ eventId: 'e-2', type: 'T', schemaVersion: 1, data: { a: 2 }, metadata: meta }], 0);
    const other = new SqliteEventStore({ path });
    expect((await other.readAll()).map((e) => e.eventId)).toEqual(['e-1', 'e-2']);
    await other.close();
    await server.close();
    expect(readdirSync(dir)).toEqual(['ledger.sqlite']);
  });
});
