import Database from 'better-sqlite3';
import { SqliteEventStore } from '../../libs/event-store/src/sqlite-event-store';

/** An import line registering a Telemark centre, with its own idempotency key. */
export const centreLine = (id: string) => ({ command: 'RegisterCentre', payload: { centreId: id, countyId: 'telemark', name: `KC ${id}`, municipality: 'Skien', openedOn: '2014-03-01' }, idempotencyKey: `reg-${id}` });

/** Lines as a JSON Lines file's text. */
export const jsonl = (lines: unknown[]) => lines.map((l) => JSON.stringify(l)).join('\n') + '\n';

/** The ledger file's head position, read on a connection of its own (0 when empty). */
export const headOf = (path: string): number => {
  const db = new Database(path, { readonly: true });
  try {
    return (db.prepare('SELECT COALESCE(MAX(position), 0) FROM events').pluck().get() as number) ?? 0;
  } finally {
    db.close();
  }
};

/**
 * Runs `fn` while the `nth` SQLite append to a stream starting with `streamPrefix` throws `error()`
 * instead of writing (nothing of it recorded); every other append goes through.
 */
export const whileAppendFails = async <T>(streamPrefix: string, nth: number, error: (streamId: string) => Error, fn: () => Promise<T>): Promise<T> => {
  const original = SqliteEventStore.prototype.append;
  let calls = 0;
  const spy = jest.spyOn(SqliteEventStore.prototype, 'append').mockImplementation(async function (this: SqliteEventStore, ...a: Parameters<SqliteEventStore['append']>) {
    if (String(a[0]).startsWith(streamPrefix) && ++calls === nth) throw error(String(a[0]));
    return original.apply(this, a);
  });
  try {
    return await fn();
  } finally {
    spy.mockRestore();
  }
};
