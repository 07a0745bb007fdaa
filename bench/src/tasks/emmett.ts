/**
 * The peer: Emmett's SQLite event store (@event-driven-io/emmett-sqlite 0.38.5, used only here),
 * appending the same operating-grant events one per call to the same number of streams.
 */
import { rmSync } from 'node:fs';
import { report } from '../lib/child';
import { backToBackFor } from '../lib/timed';
import { scratch } from '../lib/paths';
import { operatingGrantData, STREAMS } from '../lib/rows';

interface Args { seconds?: number; streams?: number }
const args = JSON.parse(process.argv[2]) as Args;

const main = async (): Promise<void> => {
  const { getSQLiteEventStore } = require('@event-driven-io/emmett-sqlite') as typeof import('@event-driven-io/emmett-sqlite');
  const file = scratch(`emmett-${process.pid}.sqlite`);
  const streams = args.streams ?? STREAMS;
  const store = getSQLiteEventStore({ fileName: file, schema: { autoMigration: 'CreateOrUpdate' } });
  let n = 0;
  const one = async (): Promise<void> => {
    const i = n % streams;
    n++;
    await store.appendToStream(`funding-bench-centre-${i}-2014`, [{ type: 'OperatingGrantRecorded', data: operatingGrantData(i, n) }]);
  };
  for (let k = 0; k < 5; k++) await one(); // warm-up (creates the schema)
  const start = n;
  const elapsed = await backToBackFor(args.seconds ?? 3, one);
  for (const s of ['', '-wal', '-shm']) rmSync(file + s, { force: true });
  report({ eventsPerSecond: (n - start) / elapsed, events: n - start, seconds: elapsed });
};

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
