import { existsSync } from 'node:fs';
import { writeExport } from '../../../../libs/application/src/audit/export';
import { createEventStore } from '../../../../libs/event-store/src/create-event-store';
import { EventStore } from '../../../../libs/event-store/src/port';
import { SqliteEventStore } from '../../../../libs/event-store/src/sqlite-event-store';
import { loadConfig } from '../../../api/src/config';
import { Args, flag } from '../args';

export const exportHelp = 'export --to DIR [--up-to P]     write an offline audit export: events (JSONL), digest + position, schema versions, README';

/** Writes the offline audit export that `ledger verify --from-export DIR` checks without the server. */
export const exportCommand = async (args: Args): Promise<number> => {
  const dir = flag(args, 'to');
  const upToRaw = flag(args, 'up-to');
  if (!dir || dir === 'true' || (upToRaw !== undefined && !/^\d{1,15}$/.test(upToRaw))) {
    console.error(`usage: ledger ${exportHelp}`);
    return 2;
  }
  const config = loadConfig();
  let store: EventStore;
  if (config.store === 'sqlite') {
    // As verify does: a mistyped path is refused, not answered with a new empty ledger, and the
    // file is opened read-only, so an auditor's export changes nothing.
    if (!existsSync(config.sqlitePath)) {
      console.error(`no ledger at ${config.sqlitePath}`);
      return 2;
    }
    store = new SqliteEventStore({ path: config.sqlitePath, readonly: true });
  } else {
    store = createEventStore(config);
  }
  try {
    const r = await writeExport(store, dir, { upTo: upToRaw === undefined ? undefined : Number(upToRaw) });
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
};
