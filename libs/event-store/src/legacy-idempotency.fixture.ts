/**
 * For tests (like event-store.contract.ts, not part of the runtime): a SQLite ledger as it was
 * before keys were per sender (schema version 2), made from one written by the current store.
 */
import type { Database } from 'better-sqlite3';

/**
 * Rewrites a ledger's receipts (idempotency_receipts) to the layout of schema versions 1–2
 * (the table idempotency, the key alone, as migration 1 created it), keeping every receipt, and
 * forgets migration 3: the file is then what a
 * ledger of that time was, and the next writable open migrates it again. Every key must be stored
 * once (no two senders' receipts of one key: such a ledger could not have been made then).
 */
export const toLayoutBeforeSenders = (db: Database): void => {
  db.transaction(() => {
    db.exec(`
      CREATE TABLE idempotency (
        key          TEXT PRIMARY KEY,
        request_hash TEXT NOT NULL,
        result       TEXT NOT NULL,
        recorded_at  TEXT NOT NULL
      );
      INSERT INTO idempotency (key, request_hash, result, recorded_at) SELECT key, request_hash, result, recorded_at FROM idempotency_receipts;
      DROP TABLE idempotency_receipts;
      DELETE FROM schema_migrations WHERE version >= 3;
    `);
  })();
};
