import Database from 'better-sqlite3';
import { migrate } from '../../event-store/src/sqlite-schema';
import { MemorySnapshotStore, SnapshotStore, SqliteSnapshotStore } from './snapshot-store';

describe('SqliteSnapshotStore.atomically', () => {
  it('keeps the previous checkpoint of every view when a save fails half-way', () => {
    const db = new Database(':memory:');
    migrate(db);
    const store = new SqliteSnapshotStore(db);
    store.atomically(() => {
      store.save({ name: 'a', version: 1, position: 10, state: '{"n":1}' }, 'latest-only');
      store.save({ name: 'b', version: 1, position: 10, state: '{"n":1}' }, 'latest-only');
    });
    expect(() =>
      store.atomically(() => {
        store.save({ name: 'a', version: 1, position: 20, state: '{"n":2}' }, 'latest-only');
        throw new Error('crash between two saves');
      }),
    ).toThrow('crash between two saves');
    expect(store.latest('a')).toMatchObject({ position: 10, state: '{"n":1}' });
    expect(store.latest('b')).toMatchObject({ position: 10 });
    store.atomically(() => store.save({ name: 'a', version: 1, position: 30, state: '{"n":3}' }, 'latest-only'));
    expect(store.latest('a')).toMatchObject({ position: 30, state: '{"n":3}' });
    db.close();
  });
});

describe.each([
  ['SQLite', () => {
    const db = new Database(':memory:');
    migrate(db);
    const count = (table: string) => db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get() as number;
    return { store: new SqliteSnapshotStore(db) as SnapshotStore, rows: (): number | null => count('projection_snapshot_parts'), texts: (): number | null => count('projection_snapshot_texts') };
  }],
  ['memory', () => ({ store: new MemorySnapshotStore() as SnapshotStore, rows: (): number | null => null, texts: (): number | null => null })],
])('%s snapshot store: parts', (_kind, make) => {
  it('reads parts back one by one or all at once, and refuses a part it does not have', () => {
    const { store } = make();
    store.save({ name: 'v', version: 1, position: 10, state: '{"a":1}', parts: { 'money/2014': '{"x":1}', staff: '[]' } }, 'keep-history');
    const s = store.atOrBefore('v', 1, 15)!;
    expect(s.state).toBe('{"a":1}');
    expect(s.part('money/2014')).toBe('{"x":1}');
    expect(s.allParts()).toEqual({ 'money/2014': '{"x":1}', staff: '[]' });
    expect(() => s.part('money/2013')).toThrow('has no part money/2013');
  });

  it('drops the parts of replaced checkpoints, and of the same position saved again', () => {
    const { store, rows } = make();
    store.save({ name: 'v', version: 1, position: 10, state: '{}', parts: { a: '1', b: '2' } }, 'latest-only');
    store.save({ name: 'v', version: 1, position: 20, state: '{}', parts: { a: '3' } }, 'latest-only');
    expect(store.latest('v')!.allParts()).toEqual({ a: '3' });
    store.save({ name: 'v', version: 1, position: 20, state: '{}', parts: { c: '4' } }, 'latest-only');
    expect(store.latest('v')!.allParts()).toEqual({ c: '4' });
    if (rows() !== null) expect(rows()).toBe(1);
  });

  it('stores a text that several snapshots share once, and forgets it when no part names it', () => {
    const { store, texts } = make();
    store.save({ name: 'h', version: 1, position: 10, state: '{}', parts: { 'money/2013': 'same', 'money/2014': 'a' } }, 'keep-history');
    store.save({ name: 'h', version: 1, position: 20, state: '{}', parts: { 'money/2013': 'same', 'money/2014': 'b' } }, 'keep-history');
    store.save({ name: 'v', version: 1, position: 20, state: '{}', parts: { x: 'same' } }, 'latest-only');
    if (texts() !== null) expect(texts()).toBe(3);
    expect(store.atOrBefore('h', 1, 15)!.allParts()).toEqual({ 'money/2013': 'same', 'money/2014': 'a' });
    expect(store.atOrBefore('h', 1, 25)!.allParts()).toEqual({ 'money/2013': 'same', 'money/2014': 'b' });
    store.save({ name: 'v', version: 1, position: 30, state: '{}', parts: { x: 'new' } }, 'latest-only');
    if (texts() !== null) expect(texts()).toBe(4);
    store.discardOtherVersions(['h'], 2);
    if (texts() !== null) expect(texts()).toBe(1);
    expect(store.latest('v')!.part('x')).toBe('new');
  });

  it("discards another version's snapshots and their parts, history included, keeping the current version's", () => {
    const { store, rows } = make();
    store.save({ name: 'history:v', version: 1, position: 10, state: '{}', parts: { a: 'old' } }, 'keep-history');
    store.save({ name: 'history:v', version: 2, position: 20, state: '{}', parts: { a: 'new' } }, 'keep-history');
    store.save({ name: 'v', version: 1, position: 30, state: '{}', parts: { a: 'old' } }, 'latest-only');
    expect(store.discardOtherVersions(['v', 'history:v'], 2)).toBe(2);
    expect(store.latest('v')).toBeNull();
    expect(store.atOrBefore('history:v', 1, 100)).toBeNull();
    expect(store.atOrBefore('history:v', 2, 100)!.part('a')).toBe('new');
    if (rows() !== null) expect(rows()).toBe(1);
  });
});
