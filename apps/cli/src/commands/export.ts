import { writeExport } from '../../../../libs/application/src/audit/export';
import { createEventStore } from '../../../../libs/event-store/src/create-event-store';
import { EventStore } from '../../../../libs/event-store/src/port';
import { SqliteEventStore } from '../../../../libs/event-store/src/sqlite-event-store';
import { Args, checked, CommandShape, flag, shellWord, usageError } from '../args';
import { badPosition, parsePosition } from '../positions';
import { ledgerPathProblem } from '../ledger-path';
import { readOnlyConfig } from '../read-only-config';

export const exportHelp = 'export --to DIR [--up-to P]     write an offline audit export: events (JSONL), digest + position, schema versions, README';
export const exportShape: CommandShape = {
  help: exportHelp,
  operands: [],
  extraOperandHint: (arg) =>
    `it exports the ledger LEDGER_SQLITE_PATH (or EVENTSTORE_CONNECTION_STRING) names into the folder --to names: LEDGER_SQLITE_PATH=${shellWord(arg)} ledger export --to DIR for that SQLite file, ledger export --to ${shellWord(arg)} for that folder`,
};

/** Writes the offline audit export that `ledger verify --from-export DIR` checks without the server. */
export const exportCommand = checked('export', exportShape, async (args: Args): Promise<number> => {
  const dir = flag(args, 'to');
  if (dir === undefined) return usageError(exportHelp, 'export needs --to DIR, the folder to write the export into');
  const upTo = parsePosition(args, 'up-to');
  if (upTo === null) return usageError(exportHelp, badPosition(args, 'up-to'));
  const config = readOnlyConfig();
  let store: EventStore;
  if (config.store === 'sqlite') {
    // As verify does: a mistyped path is refused, not answered with a new empty ledger, and the
    // file is opened read-only, so an auditor's export changes nothing.
    const notLedger = ledgerPathProblem(config.sqlitePath);
    if (notLedger) {
      console.error(notLedger);
      return 2;
    }
    store = new SqliteEventStore({ path: config.sqlitePath, readonly: true });
  } else {
    store = createEventStore(config);
  }
  try {
    // An export "up to" a position the ledger has not reached would be an export at its head under
    // another name: refused, so the position an auditor asked for is the one the digest is taken at.
    if (upTo !== undefined) {
      const head = await store.headPosition();
      if (upTo > head) {
        console.error(`position ${upTo} is beyond the ledger's last position ${head}; nothing exported`);
        return 2;
      }
    }
    const r = await writeExport(store, dir, { upTo });
    console.log(`exported ${r.events.toLocaleString('en-US')} events in ${r.streams.toLocaleString('en-US')} streams to ${r.dir}`);
    console.log(`digest at position ${r.position}: ${r.digest}`);
    console.log(`keep this digest outside the ledger; verify later with: ledger verify --from-export ${r.dir} --digest ${r.digest} --position ${r.position}`);
    return 0;
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    return 1;
  } finally {
    await store.close();
  }
});
