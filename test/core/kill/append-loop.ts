/**
 * Kill-test child: appends in a loop through the real command path (CommandExecutor → handleCommand →
 * SQLite) with the projection engine checkpointing into the same file. After each append resolves it
 * prints one line `ACK {...}` to stdout; the parent kills it with SIGKILL at a random moment.
 * Run: node -r test/helpers/swc-register.js test/core/kill/append-loop.ts  (env LEDGER_SQLITE_PATH, KILL_RUN)
 */
import 'reflect-metadata';
import { CommandExecutor } from '../../../libs/application/src/command-executor';
import { CommandRegistry } from '../../../libs/application/src/command-registry';
import { countyCommands } from '../../../libs/application/src/counties/commands';
import { ProjectionEngine } from '../../../libs/application/src/projection-engine';
import { SqliteSnapshotStore } from '../../../libs/application/src/snapshot-store';
import { Actor } from '../../../libs/domain/src/shared';
import { SqliteEventStore } from '../../../libs/event-store/src/sqlite-event-store';
import { centreDirectory } from '../../../libs/projections/src/directory/centre-directory';
import { tickCommand } from '../counter-command';
import { streamStats } from './kill-projection';

const admin: Actor = { id: 'kill-test', name: 'Kill test', roles: ['admin'], counties: [], actingRole: 'admin' };
const run = Number(process.env.KILL_RUN ?? 0);

const main = async () => {
  const store = new SqliteEventStore({ path: process.env.LEDGER_SQLITE_PATH! });
  const engine = new ProjectionEngine(store, [centreDirectory, streamStats], new SqliteSnapshotStore(store.db, { writeIntent: store.writeIntent }), { snapshotEvery: 7 });
  await engine.start();
  const executor = new CommandExecutor(store, new CommandRegistry([...countyCommands, tickCommand]), engine);
  process.stdout.write(`READY ${JSON.stringify({ run, position: engine.position })}\n`);
  const ack = (key: string, eventIds: string[], position: number) => process.stdout.write(`ACK ${JSON.stringify({ key, eventIds, position })}\n`);
  const exec = async (command: string, payload: object, key: string) => {
    const out = await executor.execute({ command, payload, actor: admin, idempotencyKey: key });
    ack(key, out.result.eventIds, out.result.position);
  };
  await exec('RegisterCounty', { countyId: 'telemark', name: 'Telemark', countyNumber: '08' }, 'county-telemark');
  for (let i = 0; ; i++) {
    const id = `r${run}-${i}`;
    switch (i % 4) {
      case 0:
        await exec('RegisterCentre', { centreId: `kc-${id}`, countyId: 'telemark', name: `Centre ${id}`, municipality: 'Skien', openedOn: '2014-03-01' }, `reg-${id}`);
        break;
      case 1:
        await exec('RenameCentre', { centreId: `kc-r${run}-${i - 1}`, name: `Renamed ${id}`, effectiveFrom: '2015-01-01' }, `ren-${id}`);
        break;
      default:
        await exec('Tick', { streamId: `tick-${i % 3}`, writer: run, seq: i }, `tick-${id}`);
    }
    // Now and then save the views' checkpoint right away (as shutdown would), so kills also land mid-save.
    if (i % 5 === 0) {
      await engine.caughtUp();
      engine.saveCheckpoint();
    }
  }
};

main().catch((e) => {
  process.stderr.write(`append-loop failed: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
