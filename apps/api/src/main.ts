import { createEventStore } from '../../../libs/event-store/src/create-event-store';
import { NewerSchemaError } from '../../../libs/event-store/src/sqlite-schema';
import { createApp } from './bootstrap';
import { ConfigError, loadConfig } from './config';

const main = async (): Promise<void> => {
  const config = loadConfig();
  // The SQLite file is opened (and migrated) here, before Nest: a file it refuses (NewerSchemaError) is told as one line below, not as Nest's logged stack.
  const app = await createApp(config, config.store === 'sqlite' ? createEventStore(config) : undefined);
  await app.listen(config.port, config.host);
  // One line a person can act on; the rest of the logging is opt-in (LEDGER_LOG=info).
  console.log(`ledger listening on http://${config.host}:${config.port} (store: ${config.store}${config.store === 'sqlite' ? ` at ${config.sqlitePath}` : ''}); API docs at /docs`);
};

void main().catch((e) => {
  // A bad setting, or a ledger file of a newer version, is told as one line; anything else with its stack.
  console.error(e instanceof ConfigError || e instanceof NewerSchemaError ? e.message : e);
  process.exit(1);
});
