import type { Database } from 'better-sqlite3';

/**
 * Versioned migrations, applied in order inside one transaction each.
 * Global position is the row id, assigned by us inside the write transaction so it can be hashed.
 */
const MIGRATIONS: { version: number; sql: string }[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE events (
        position       INTEGER PRIMARY KEY,
        event_id       TEXT    NOT NULL,
        stream_id      TEXT    NOT NULL,
        revision       INTEGER NOT NULL,
        type           TEXT    NOT NULL,
        schema_version INTEGER NOT NULL,
        data           TEXT    NOT NULL,
        metadata       TEXT    NOT NULL,
        recorded_at    TEXT    NOT NULL,
        prev_hash      TEXT,
        hash           TEXT    NOT NULL,
        UNIQUE (stream_id, revision),
        UNIQUE (event_id)
      );
      CREATE INDEX events_recorded_at ON events (recorded_at);
      CREATE TABLE idempotency (
        key          TEXT PRIMARY KEY,
        request_hash TEXT NOT NULL,
        result       TEXT NOT NULL,
        recorded_at  TEXT NOT NULL
      );
      CREATE TABLE projection_snapshots (
        name       TEXT    NOT NULL,
        version    INTEGER NOT NULL,
        position   INTEGER NOT NULL,
        state      TEXT    NOT NULL,
        saved_at   TEXT    NOT NULL,
        PRIMARY KEY (name, position)
      );
    `,
  },
  {
    // A snapshot may keep parts of its view in rows of their own (e.g. one per year), read only
    // when asked for. A part's text is stored once by its hash: consecutive history snapshots share
    // the parts that did not change (past years, untouched buckets).
    version: 2,
    sql: `
      CREATE TABLE projection_snapshot_texts (
        hash  TEXT PRIMARY KEY,
        state TEXT NOT NULL
      );
      CREATE TABLE projection_snapshot_parts (
        name     TEXT    NOT NULL,
        position INTEGER NOT NULL,
        part     TEXT    NOT NULL,
        hash     TEXT    NOT NULL,
        PRIMARY KEY (name, position, part)
      );
      CREATE INDEX projection_snapshot_parts_hash ON projection_snapshot_parts (hash);
    `,
  },
  {
    // A key belongs to its sender: receipts are claimed and looked up by (actor_id, key), so two
    // senders who pick the same key never meet. The receipts stored before (the key alone) are kept
    // as they were, under the sender LEGACY_SENDER (''; a sender's id is never empty); the command
    // path reads them as their own sender's when their events say so (see handleCommand).
    version: 3,
    sql: `
      CREATE TABLE idempotency_by_sender (
        actor_id     TEXT NOT NULL,
        key          TEXT NOT NULL,
        request_hash TEXT NOT NULL,
        result       TEXT NOT NULL,
        recorded_at  TEXT NOT NULL,
        PRIMARY KEY (actor_id, key)
      );
      INSERT INTO idempotency_by_sender (actor_id, key, request_hash, result, recorded_at)
        SELECT '', key, request_hash, result, recorded_at FROM idempotency;
      DROP TABLE idempotency;
      ALTER TABLE idempotency_by_sender RENAME TO idempotency;
    `,
  },
];

/** The sender of a receipt stored before keys were per sender (schema version 3): the key alone named it. */
export const LEGACY_SENDER = '';

/**
 * Whether the idempotency table has the sender column (schema version 3 on). A ledger file made
 * before, opened read-only (verify, export: no migration), still has the key alone; every receipt
 * in it is then a receipt of LEGACY_SENDER.
 */
export const idempotencyHasSender = (db: Database): boolean => db.prepare("SELECT 1 FROM pragma_table_info('idempotency') WHERE name = 'actor_id'").get() !== undefined;

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

export const migrate = (db: Database): void => {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
  const applied = new Set((db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => r.version));
  for (const m of MIGRATIONS) {
    if (applied.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(m.version, new Date().toISOString());
    }).immediate();
  }
};
