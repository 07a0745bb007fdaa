import Database from 'better-sqlite3';
import { migrate } from '../../event-store/src/sqlite-schema';
import { SqliteSnapshotStore } from './snapshot-store';

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
