/**
 * The command path in process: CommandExecutor → handleCommand (read the stream, fold, decide,
 * append with the expected revision) on a SQLite ledger with synchronous=FULL, one event per
 * command, spread over 2,000 streams, one command at a time (as the raw single-event baseline).
 */
import { rmSync } from 'node:fs';
import { CommandExecutor } from '../../../libs/application/src/command-executor';
import { CommandRegistry } from '../../../libs/application/src/command-registry';
import { SqliteEventStore } from '../../../libs/event-store/src/sqlite-event-store';
import { report } from '../lib/child';
import { backToBackFor } from '../lib/timed';
import { BenchCommand, commandFor, FINANCE_OFFICER, seedLedger } from '../lib/ledger-setup';
import { scratch } from '../lib/paths';
import { STREAMS } from '../lib/rows';

interface Args { command: BenchCommand; seconds?: number; streams?: number }
const args = JSON.parse(process.argv[2]) as Args;

const main = async (): Promise<void> => {
  const file = scratch(`command-path-${process.pid}.sqlite`);
  const streams = args.streams ?? STREAMS;
  const store = new SqliteEventStore({ path: file });
  await seedLedger(store, streams);
  const exec = new CommandExecutor(store, new CommandRegistry(), null);
  let n = 0;
  const one = async (): Promise<void> => {
    const { command, payload } = commandFor(args.command, n % streams, n);
    n++;
    const out = await exec.execute({ command, payload, actor: FINANCE_OFFICER });
    if (out.events.length !== 1) throw new Error(`${command} appended ${out.events.length} events, expected 1`);
  };
  for (let k = 0; k < 50; k++) await one(); // warm-up
  const start = n;
  const elapsed = await backToBackFor(args.seconds ?? 3, one);
  await store.close();
  for (const s of ['', '-wal', '-shm']) rmSync(file + s, { force: true });
  report({ eventsPerSecond: (n - start) / elapsed, events: n - start, seconds: elapsed });
};

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
