/** Full rebuild of every projection (ProjectionEngine.rebuild) from a ledger file. */
import { ProjectionEngine } from '../../../libs/application/src/projection-engine';
import { SqliteEventStore } from '../../../libs/event-store/src/sqlite-event-store';
import { ALL_PROJECTIONS } from '../../../libs/projections/src';
import { report } from '../lib/child';

interface Args { file: string }
const args = JSON.parse(process.argv[2]) as Args;

const main = async (): Promise<void> => {
  const store = new SqliteEventStore({ path: args.file });
  const engine = new ProjectionEngine(store, ALL_PROJECTIONS, null);
  const t0 = process.hrtime.bigint();
  const { position, views } = await engine.rebuild();
  const elapsed = Number(process.hrtime.bigint() - t0) / 1e9;
  const viewBytes = Object.fromEntries([...views].map(([name, v]) => [name, JSON.stringify(v).length]));
  await store.close();
  report({ eventsPerSecond: position / elapsed, events: position, seconds: elapsed, projections: ALL_PROJECTIONS.map((p) => p.name), viewBytes, rss: process.memoryUsage().rss });
};

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
