import Database from 'better-sqlite3';
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';

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
  let hasEvents: boolean | undefined;
  try {
    const header = readAt(path, 0, 100);
    if (header.length < 100 || !header.subarray(0, 16).equals(SQLITE_MAGIC)) return `${path} is not a ledger (not an SQLite database)`;
    hasEvents = schemaHasTable(path, header, 'events');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM') return `${path} cannot be read: permission denied`;
    // A page we could not follow: not certainly foreign, so left to the command (and to verify).
    return undefined;
  }
  // A schema written since the last checkpoint is in the -wal file, which SQLite reads (it already
  // exists, so opening read-only creates nothing new).
  if (hasEvents === false && existsSync(`${path}-wal`)) hasEvents = walSchemaHasEvents(path);
  return hasEvents === false ? `${path} is not a ledger (an SQLite database without the ledger's events table)` : undefined;
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

/** A varint of the SQLite file format at `at`: its value (small enough here) and the next offset. */
const varint = (b: Buffer, at: number): [number, number] => {
  let v = 0;
  for (let i = 0; i < 8; i++) {
    const byte = b[at + i];
    if (byte === undefined) throw new Error('truncated varint');
    v = v * 128 + (byte & 0x7f);
    if (!(byte & 0x80)) return [v, at + i + 1];
  }
  if (b[at + 8] === undefined) throw new Error('truncated varint');
  return [v * 256 + b[at + 8], at + 9];
};

/** The byte length of a record value of serial type `t`. */
const serialSize = (t: number): number => (t >= 12 ? Math.floor((t - 12) / 2) : [0, 1, 2, 3, 4, 6, 8, 8, 0, 0, 0, 0][t]);

/**
 * Whether the schema table (the b-tree rooted at page 1) names a table `name`, read from the main
 * file's pages. Only each row's first two columns (type, name) are read: they are always within
 * the part of the row stored on its page, so overflow pages are never needed.
 */
const schemaHasTable = (path: string, header: Buffer, name: string): boolean => {
  const raw = header.readUInt16BE(16);
  const pageSize = raw === 1 ? 65536 : raw;
  if (pageSize < 512 || (pageSize & (pageSize - 1)) !== 0) throw new Error('bad page size');
  const fileSize = statSync(path).size;
  const pending = [1];
  const seen = new Set<number>();
  while (pending.length) {
    const page = pending.pop()!;
    if (seen.has(page) || seen.size > 10_000 || page < 1 || page * pageSize > fileSize) throw new Error('bad page');
    seen.add(page);
    const buf = readAt(path, (page - 1) * pageSize, pageSize);
    const h = page === 1 ? 100 : 0;
    const kind = buf[h];
    const cells = buf.readUInt16BE(h + 3);
    const interior = kind === 0x05;
    if (!interior && kind !== 0x0d) throw new Error('not a table b-tree page');
    const pointers = h + (interior ? 12 : 8);
    if (interior) pending.push(buf.readUInt32BE(h + 8));
    for (let c = 0; c < cells; c++) {
      const cell = buf.readUInt16BE(pointers + 2 * c);
      if (interior) {
        pending.push(buf.readUInt32BE(cell));
        continue;
      }
      const [, afterSize] = varint(buf, cell);
      const [, payload] = varint(buf, afterSize);
      const [headerSize, firstType] = varint(buf, payload);
      const [typeType, nameTypeAt] = varint(buf, firstType);
      const [nameType] = varint(buf, nameTypeAt);
      const body = payload + headerSize;
      const text = (t: number, at: number): string => (t >= 13 && t % 2 === 1 ? buf.toString('latin1', at, at + serialSize(t)) : '');
      if (text(typeType, body) === 'table' && text(nameType, body + serialSize(typeType)).toLowerCase() === name) return true;
    }
  }
  return false;
};

/** The schema as SQLite sees it with the -wal file applied; undefined when it cannot be read. */
const walSchemaHasEvents = (path: string): boolean | undefined => {
  try {
    const db = new Database(path, { readonly: true, fileMustExist: true });
    try {
      return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'events'").get() !== undefined;
    } finally {
      db.close();
    }
  } catch {
    return undefined;
  }
};
