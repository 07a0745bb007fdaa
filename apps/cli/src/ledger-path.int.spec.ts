import Database from 'better-sqlite3';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../../../libs/event-store/src/sqlite-event-store';
import { ledgerPathProblem } from './ledger-path';

const root = mkdtempSync(join(tmpdir(), 'ledger-path-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = (): string => {
  const d = join(root, `d${++n}`);
  mkdirSync(d);
  return d;
};

describe('ledgerPathProblem', () => {
  it('nothing at the path: "no ledger at PATH", unless a ledger may be started there (seed, import); nothing is created', () => {
    const path = join(fresh(), 'typo', 'ledger.sqlite');
    expect(ledgerPathProblem(path)).toBe(`no ledger at ${path}`);
    expect(ledgerPathProblem(path, { create: true })).toBeUndefined();
    expect(existsSync(join(path, '..'))).toBe(false);
  });

  it('a part of the path that is a file: refused in both modes, naming the path', () => {
    const dir = fresh();
    writeFileSync(join(dir, 'file'), 'x');
    const path = join(dir, 'file', 'ledger.sqlite');
    expect(ledgerPathProblem(path)).toBe(`no ledger at ${path} (a part of the path is not a folder)`);
    expect(ledgerPathProblem(path, { create: true })).toBe(`no ledger can be created at ${path}: a part of the path is not a folder`);
  });

  it('an empty file or a folder is refused even where a ledger may be started', () => {
    const dir = fresh();
    const empty = join(dir, 'empty.sqlite');
    writeFileSync(empty, '');
    expect(ledgerPathProblem(empty, { create: true })).toBe(`${empty} is not a ledger (an empty file)`);
    expect(ledgerPathProblem(dir, { create: true })).toBe(`${dir} is a directory, not a ledger`);
  });

  it('a ledger (WAL, cleanly closed) is accepted, read without creating a -wal or -shm file; another SQLite database is not a ledger', async () => {
    const dir = fresh();
    const path = join(dir, 'ledger.sqlite');
    await new SqliteEventStore({ path }).close();
    const before = readdirSync(dir);
    const bytes = readFileSync(path);
    expect(ledgerPathProblem(path)).toBeUndefined();
    expect({ files: readdirSync(dir), same: readFileSync(path).equals(bytes) }).toEqual({ files: before, same: true });
    const foreign = join(dir, 'crm.sqlite');
    const db = new Database(foreign);
    db.exec('CREATE TABLE customers (id INTEGER PRIMARY KEY); CREATE TABLE eventsx (id INTEGER)');
    db.close();
    expect(ledgerPathProblem(foreign)).toBe(`${foreign} is not a ledger (an SQLite database without the ledger's events table)`);
  });

  it('a schema spread over several pages (an interior page at the root) is followed to the events table', () => {
    const path = join(fresh(), 'big.sqlite');
    const db = new Database(path);
    db.pragma('page_size = 512');
    db.exec(Array.from({ length: 200 }, (_, i) => `CREATE TABLE t${i} (id INTEGER PRIMARY KEY, some_rather_long_column_name_${i} TEXT);`).join('\n'));
    db.exec('CREATE TABLE events (position INTEGER PRIMARY KEY)');
    db.close();
    expect(readFileSync(path)[100]).toBe(0x05);
    expect(ledgerPathProblem(path)).toBeUndefined();
  });

  it('a ledger whose tables are still only in its -wal file (a server that has just started it) is accepted', () => {
    const path = join(fresh(), 'ledger.sqlite');
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma('wal_autocheckpoint = 0');
    db.exec('CREATE TABLE events (position INTEGER PRIMARY KEY)');
    try {
      expect(existsSync(`${path}-wal`)).toBe(true);
      expect(ledgerPathProblem(path)).toBeUndefined();
    } finally {
      db.close();
    }
  });
});
