import type { Database } from 'better-sqlite3';

export interface Snapshot {
  name: string;
  version: number;
  position: number;
  state: string;
}

/** Where projection checkpoints live between restarts. */
export interface SnapshotStore {
  latest(name: string): Snapshot | null;
  /** The newest snapshot at or before `position`. */
  atOrBefore(name: string, version: number, position: number): Snapshot | null;
  save(s: Snapshot, keep: 'latest-only' | 'keep-history'): void;
  /** Runs several saves as one: all of them are stored, or none (a crash mid-way leaves the previous checkpoint whole). */
  atomically(fn: () => void): void;
}

export class MemorySnapshotStore implements SnapshotStore {
  private readonly byName = new Map<string, Snapshot[]>();
  atomically(fn: () => void): void {
    fn();
  }
  latest(name: string): Snapshot | null {
    const list = this.byName.get(name) ?? [];
    return list[list.length - 1] ?? null;
  }
  atOrBefore(name: string, version: number, position: number): Snapshot | null {
    const list = (this.byName.get(name) ?? []).filter((s) => s.version === version && s.position <= position);
    return list[list.length - 1] ?? null;
  }
  save(s: Snapshot, keep: 'latest-only' | 'keep-history'): void {
    const list = keep === 'latest-only' ? [] : (this.byName.get(s.name) ?? []).filter((x) => x.position < s.position);
    list.push(s);
    this.byName.set(s.name, list);
  }
}

/** Snapshots in the ledger's own SQLite file (table projection_snapshots). */
export class SqliteSnapshotStore implements SnapshotStore {
  constructor(private readonly db: Database) {}
  atomically(fn: () => void): void {
    this.db.transaction(fn)();
  }
  latest(name: string): Snapshot | null {
    return (this.db.prepare('SELECT name, version, position, state FROM projection_snapshots WHERE name = ? ORDER BY position DESC LIMIT 1').get(name) as Snapshot | undefined) ?? null;
  }
  atOrBefore(name: string, version: number, position: number): Snapshot | null {
    return (
      (this.db
        .prepare('SELECT name, version, position, state FROM projection_snapshots WHERE name = ? AND version = ? AND position <= ? ORDER BY position DESC LIMIT 1')
        .get(name, version, position) as Snapshot | undefined) ?? null
    );
  }
  save(s: Snapshot, keep: 'latest-only' | 'keep-history'): void {
    this.db.transaction(() => {
      if (keep === 'latest-only') this.db.prepare('DELETE FROM projection_snapshots WHERE name = ? AND position <> ?').run(s.name, s.position);
      this.db
        .prepare('INSERT OR REPLACE INTO projection_snapshots (name, version, position, state, saved_at) VALUES (?, ?, ?, ?, ?)')
        .run(s.name, s.version, s.position, s.state, new Date().toISOString());
    })();
  }
}
