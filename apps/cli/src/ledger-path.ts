import { statSync } from 'node:fs';
import { hasSqliteHeader, tableNamesOf } from '../../../libs/event-store/src/sqlite-file';

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
    if (!hasSqliteHeader(path)) return `${path} is not a ledger (not an SQLite database)`;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM') return `${path} cannot be read: permission denied`;
    return undefined;
  }
  return tableNamesOf(path)?.includes('events') === false ? `${path} is not a ledger (an SQLite database without the ledger's events table)` : undefined;
};
