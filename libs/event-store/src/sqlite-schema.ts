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
    // The table gets a new name (RECEIPTS_TABLE) and the old one is dropped, so a build from before
    // (which prepares its statements on `idempotency` when it opens the file, and ignores migrations
    // it does not know) fails at start on a migrated file instead of failing every keyed write.
    version: 3,
    sql: `
      CREATE TABLE idempotency_receipts (
        actor_id     TEXT NOT NULL,
        key          TEXT NOT NULL,
        request_hash TEXT NOT NULL,
        result       TEXT NOT NULL,
        recorded_at  TEXT NOT NULL,
        PRIMARY KEY (actor_id, key)
      );
      INSERT INTO idempotency_receipts (actor_id, key, request_hash, result, recorded_at)
        SELECT '', key, request_hash, result, recorded_at FROM idempotency;
      DROP TABLE idempotency;
    `,
  },
];

/** The receipts of idempotency keys, per sender (schema version 3 on). */
export const RECEIPTS_TABLE = 'idempotency_receipts';

/** The receipts' table of schema versions 1–2 (the key alone): read only in a file opened read-only, not migrated. */
export const LEGACY_RECEIPTS_TABLE = 'idempotency';

/** The sender of a receipt stored before keys were per sender (schema version 3): the key alone named it. */
export const LEGACY_SENDER = '';

/**
 * Whether the file keeps its receipts per sender (RECEIPTS_TABLE, schema version 3 on). A ledger
 * file made before, opened read-only (verify, export: no migration), still has LEGACY_RECEIPTS_TABLE
 * with the key alone; every receipt in it is then a receipt of LEGACY_SENDER.
 */
export const idempotencyHasSender = (db: Database): boolean => db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(RECEIPTS_TABLE) !== undefined;

/**
 * The receipts of a file as rows (actor_id, key, request_hash, result, recorded_at), in either
 * layout: a table name or a subquery, for a FROM clause.
 */
export const receiptsSource = (db: Database): string =>
  idempotencyHasSender(db) ? RECEIPTS_TABLE : `(SELECT '${LEGACY_SENDER}' AS actor_id, key, request_hash, result, recorded_at FROM ${LEGACY_RECEIPTS_TABLE})`;

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

/**
 * The file's schema version (the highest migration recorded in schema_migrations) is newer than
 * this code knows: a later version of the ledger wrote it. Nothing was changed in the file.
 */
export class NewerSchemaError extends Error {
  constructor(readonly fileVersion: number, readonly knownVersion: number = SCHEMA_VERSION) {
    super(`this ledger file was written by a newer version of the ledger (schema ${fileVersion}; this version knows up to ${knownVersion}): use that version or newer`);
    this.name = 'NewerSchemaError';
  }
}

export const migrate = (db: Database): void => {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
  const applied = new Set((db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => r.version));
  // A migration this code does not know means a newer build wrote the file: refuse it rather than read or write a layout we do not know.
  const newest = Math.max(0, ...applied);
  if (newest > SCHEMA_VERSION) throw new NewerSchemaError(newest);
  const isApplied = db.prepare('SELECT 1 FROM schema_migrations WHERE version = ?').pluck();
  for (const m of MIGRATIONS) {
    if (applied.has(m.version)) continue;
    db.transaction(() => {
      // Asked again under the write lock: another process opening the same new file at the same moment may have applied it meanwhile.
      if (isApplied.get(m.version) !== undefined) return;
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(m.version, new Date().toISOString());
    }).immediate();
  }
};

/**
 * A read-only open (verify, export, a read-only store) migrates nothing, but must not read a layout a
 * newer version wrote either (verify would report its unknown tables' rows as wrong, or pass them
 * unchecked): NewerSchemaError as at start. A file without schema_migrations is left to the caller.
 */
export const refuseNewerSchema = (db: Database): void => {
  const hasTable = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get() !== undefined;
  if (!hasTable) return;
  const newest = (db.prepare('SELECT max(version) FROM schema_migrations').pluck().get() as number | null) ?? 0;
  if (newest > SCHEMA_VERSION) throw new NewerSchemaError(newest);
};
