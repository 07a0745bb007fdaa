/** Writes a small ledger (19 counties, their county authorities, 2,000 centres) for the HTTP command benchmark. */
import { rmSync } from 'node:fs';
import { SqliteEventStore } from '../../../libs/event-store/src/sqlite-event-store';
import { report } from '../lib/child';
import { seedLedger } from '../lib/ledger-setup';

interface Args { file: string; streams?: number }
const args = JSON.parse(process.argv[2]) as Args;

const main = async (): Promise<void> => {
  for (const s of ['', '-wal', '-shm']) rmSync(args.file + s, { force: true });
  const store = new SqliteEventStore({ path: args.file });
  await seedLedger(store, args.streams);
  const head = await store.headPosition();
  await store.close();
  report({ events: head });
};

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
