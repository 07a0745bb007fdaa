import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { hasSqliteHeader, tableNamesOf } from '../../../libs/event-store/src/sqlite-file';
import type { LedgerConfig } from './config';
import { ConfigError } from './config-error';

/** What stops the server at start before it opens its ledger or listens: each as one line naming the setting. */

const writable = (path: string): boolean => {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
};

/**
 * Why the server cannot keep its ledger at LEDGER_SQLITE_PATH, as one line to act on (undefined: it can).
 * Checked before the file is opened, so a folder, a file of something else or a place this user may
 * not write stops the start instead of a stack trace, or a server that starts and fails every write.
 */
export const sqlitePathProblem = (path: string): string | undefined => {
  const say = (what: string) => `LEDGER_SQLITE_PATH=${path} ${what}`;
  let stat;
  try {
    stat = statSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR') return say('cannot be a ledger file: a part of the path is a file, not a folder; name a file in a folder.');
    if (code !== 'ENOENT') return say(`cannot be read (${code}); check the path and its permissions.`);
    // Nothing there yet: the file (and the folders it lacks) are created in the nearest folder that exists.
    let dir = dirname(resolve(path));
    while (!existsSync(dir)) dir = dirname(dir);
    return writable(dir) ? undefined : say(`cannot be created: the folder ${dir} cannot be written by this user; choose a writable place or change the folder's permissions.`);
  }
  if (stat.isDirectory()) return say(`is a directory; name the ledger file in it, e.g. ${join(path, 'ledger.sqlite')}.`);
  if (!stat.isFile()) return say('is not a regular file; name the ledger file.');
  if (stat.size > 0 && !hasSqliteHeader(path)) return say('is not an SQLite file (it was left as it is); name the ledger file, or a path where none exists yet.');
  const others = stat.size > 0 ? tablesOfSomethingElse(path) : undefined;
  if (others) return say(`is an SQLite database of something else (tables ${others}; none of the ledger's), left as it is; name the ledger file, or a path where none exists yet.`);
  if (!writable(path) || !writable(dirname(path))) {
    return say('cannot be written by this user (the server writes the file, and its -wal and -shm beside it); change the permissions of the file and its folder, or run as their owner.');
  }
  return undefined;
};

/** A failed listen as one line naming the setting (else the error itself). */
export const listenProblem = (e: unknown, config: LedgerConfig): unknown => {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') return new ConfigError(`PORT=${config.port} is already in use on ${config.host} (another process listens there); stop it or choose another PORT.`);
  if (code === 'EACCES') return new ConfigError(`PORT=${config.port} may not be listened on by this user (ports below 1024 need privileges); choose a PORT of 1024 or more.`);
  if (code === 'ENOTFOUND' || code === 'EADDRNOTAVAIL' || code === 'EAI_AGAIN' || code === 'EAI_FAIL') {
    return new ConfigError(`HOST=${config.host} is not an address of this machine (${code}); use 127.0.0.1, 0.0.0.0 (every interface) or one of its addresses.`);
  }
  return e;
};

/**
 * The tables of an SQLite file that holds tables but neither the ledger's events nor its migrations (another
 * application's database: the server would add the ledger's tables to it), named for the message; else undefined.
 * A file the ledger began (migrations recorded, no events yet) is its own.
 */
const tablesOfSomethingElse = (path: string): string | undefined => {
  const tables = tableNamesOf(path);
  if (!tables?.length || tables.includes('events') || tables.includes('schema_migrations')) return undefined;
  return tables.slice(0, 5).join(', ') + (tables.length > 5 ? ', …' : '');
};
