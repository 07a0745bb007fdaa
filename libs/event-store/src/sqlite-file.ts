import { closeSync, openSync, readSync } from 'node:fs';
import { openLedgerReadonly } from './sqlite-event-store';

/** What is in a file that may be a ledger, looked at without changing it (no -wal or -shm left behind). */

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

/** Whether the file starts with a whole SQLite database header (100 bytes, the magic first); fs errors are thrown. */
export const hasSqliteHeader = (path: string): boolean => {
  const fd = openSync(path, 'r');
  try {
    const header = Buffer.alloc(100);
    return readSync(fd, header, 0, 100, 0) === 100 && header.subarray(0, 16).equals(SQLITE_MAGIC);
  } finally {
    closeSync(fd);
  }
};

/** The database's own tables as SQLite sees them (the -wal applied), by name; undefined when it cannot be opened. */
export const tableNamesOf = (path: string): string[] | undefined => {
  let opened: ReturnType<typeof openLedgerReadonly> | undefined;
  try {
    opened = openLedgerReadonly(path);
    return opened.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
  } catch {
    return undefined;
  } finally {
    opened?.close();
  }
};
