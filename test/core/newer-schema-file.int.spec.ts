import Database from 'better-sqlite3';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ev } from '../../libs/event-store/src/event-store.contract';
import { openLedgerReadonly, SqliteEventStore } from '../../libs/event-store/src/sqlite-event-store';
import { NewerSchemaError, SCHEMA_VERSION } from '../../libs/event-store/src/sqlite-schema';
import { ledgerChild } from '../helpers/ledger-child';

/**
 * A ledger file a newer version of the ledger wrote (its schema_migrations names a version this code
 * does not know) is refused by every way in: the server and writing commands (they migrate) and the
 * read-only ones (verify, export, replay), each with the same one line, exit 1, and the file as it was.
 */
const dir = mkdtempSync(join(tmpdir(), 'ledger-newer-schema-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const newerFile = async (name: string): Promise<string> => {
  const path = join(dir, name);
  const store = new SqliteEventStore({ path });
  await store.append('s-1', [ev()], 'no_stream');
  await store.close();
  const raw = new Database(path);
  raw.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(SCHEMA_VERSION + 1, new Date().toISOString());
  raw.pragma('wal_checkpoint(TRUNCATE)');
  raw.close();
  return path;
};
const digest = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');
const LINE = `this ledger file was written by a newer version of the ledger (schema ${SCHEMA_VERSION + 1}; this version knows up to ${SCHEMA_VERSION}): use that version or newer`;

describe('a ledger file written by a newer version', () => {
  it('is refused by a read-only open as by a writing one (NewerSchemaError), leaving no -wal/-shm behind', async () => {
    const path = await newerFile('store.sqlite');
    const before = digest(path);
    expect(() => openLedgerReadonly(path)).toThrow(NewerSchemaError);
    expect(() => new SqliteEventStore({ path, readonly: true })).toThrow(LINE);
    expect(() => new SqliteEventStore({ path })).toThrow(LINE);
    expect([existsSync(`${path}-wal`), existsSync(`${path}-shm`), digest(path)]).toEqual([false, false, before]);
  });

  it.each([
    ['verify', ['verify']],
    ['verify --json', ['verify', '--json']],
    ['export', ['export', '--to', 'EXPORT_DIR']],
    ['replay', ['replay']],
    ['seed', ['seed']],
  ])('ledger %s says so in one line and exits 1, changing nothing', async (name, args) => {
    const path = await newerFile(`cli-${name.replace(/\W+/g, '-')}.sqlite`);
    const before = digest(path);
    const exportDir = join(dir, `export-${name.replace(/\W+/g, '-')}`);
    const run = await ledgerChild(args.map((a) => (a === 'EXPORT_DIR' ? exportDir : a)), { LEDGER_SQLITE_PATH: path, LEDGER_JWT_SECRET: 'newer-schema-secret-of-32-bytes-or-more' });
    expect({ code: run.code, stderr: run.stderr.trim(), stdout: run.stdout.trim() }).toEqual({ code: 1, stderr: LINE, stdout: '' });
    expect([existsSync(`${path}-wal`), existsSync(`${path}-shm`), digest(path), existsSync(exportDir)]).toEqual([false, false, before, false]);
  }, 60_000);

  it('a file of the version this code knows still verifies (the check refuses only newer ones)', async () => {
    const path = join(dir, 'same.sqlite');
    const store = new SqliteEventStore({ path });
    await store.append('s-1', [ev()], 'no_stream');
    await store.close();
    const opened = openLedgerReadonly(path);
    opened.close();
    const run = await ledgerChild(['verify'], { LEDGER_SQLITE_PATH: path, LEDGER_JWT_SECRET: 'newer-schema-secret-of-32-bytes-or-more' });
    expect(run.code).toBe(0);
  }, 60_000);

  it('the server says so in one line at start and exits 1, changing nothing', async () => {
    const path = await newerFile('server.sqlite');
    const before = digest(path);
    const root = resolve(__dirname, '../..');
    const env = { ...process.env, LEDGER_SQLITE_PATH: path, LEDGER_JWT_SECRET: 'newer-schema-secret-of-32-bytes-or-more', PORT: '0', HOST: '127.0.0.1' } as Record<string, string>;
    delete env.EVENTSTORE_CONNECTION_STRING;
    delete env.LEDGER_STORE;
    const run = await new Promise<{ code: number; stderr: string }>((done) =>
      execFile(process.execPath, ['-r', join(root, 'test/helpers/swc-register.js'), join(root, 'apps/api/src/main.ts')], { cwd: root, env, timeout: 60_000 }, (err, _out, stderr) =>
        done({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stderr }),
      ),
    );
    expect({ code: run.code, stderr: run.stderr.trim() }).toEqual({ code: 1, stderr: LINE });
    expect([existsSync(`${path}-wal`), existsSync(`${path}-shm`), digest(path)]).toEqual([false, false, before]);
  }, 60_000);
});
