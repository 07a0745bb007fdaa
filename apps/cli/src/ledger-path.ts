import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { openLedgerReadonly } from '../../../libs/event-store/src/sqlite-event-store';

/**
 * Whether the SQLite file at `path` is something a command may use as the ledger, looked at
 * without changing anything (no file, folder, -wal or -shm created): the reason it may not, one
 * line naming the path, or undefined. `create`: a path where nothing exists yet is fine (seed and
 * import start a ledger there); without it (verify, export, replay) it is "no ledger at PATH".
 * Only what is certainly not a ledger is refused: a folder, an empty file, a file that is not an
 * SQLite database, or an SQLite database without the ledger's `events` table.
 */
export const ledgerPathProblem = (path: string, { create = false }: { create?: boolean } = {}): string | undefined => {
  let stat;
  try {
    stat = statSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return create ? undefined : `no ledger at ${path}`;
    if (code === 'ENOTDIR') return create ? `no ledger can be created at ${path}: a part of the path is not a folder` : `no ledger at ${path} (a part of the path is not a folder)`;
    if (code === 'EACCES' || code === 'EPERM') return `${path} cannot be read: permission denied`;
    return `${path} cannot be read: ${e instanceof Error ? e.message : String(e)}`;
  }
  if (stat.isDirectory()) return `${path} is a directory, not a ledger`;
  if (!stat.isFile()) return `${path} is not a ledger (not a regular file)`;
  if (stat.size === 0) return `${path} is not a ledger (an empty file)`;
  try {
    const header = readAt(path, 0, 100);
    if (header.length < 100 || !header.subarray(0, 16).equals(SQLITE_MAGIC)) return `${path} is not a ledger (not an SQLite database)`;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM') return `${path} cannot be read: permission denied`;
    return undefined;
  }
  return hasEventsTable(path) === false ? `${path} is not a ledger (an SQLite database without the ledger's events table)` : undefined;
};

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

const readAt = (path: string, offset: number, length: number): Buffer => {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(length);
    const n = readSync(fd, buf, 0, length, offset);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
};

/**
 * Whether SQLite sees an `events` table (the -wal applied), through the store's read-only open,
 * which leaves no -wal/-shm behind; undefined when the file cannot be opened (left to the command).
 */
const hasEventsTable = (path: string): boolean | undefined => {
  let opened: ReturnType<typeof openLedgerReadonly> | undefined;
  try {
    opened = openLedgerReadonly(path);
    return opened.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'events'").get() !== undefined;
  } catch {
    return undefined;
  } finally {
    opened?.close();
  }
};
