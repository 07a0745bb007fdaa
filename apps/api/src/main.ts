import type { AddressInfo } from 'node:net';
import { createEventStore } from '../../../libs/event-store/src/create-event-store';
import { NewerSchemaError } from '../../../libs/event-store/src/sqlite-schema';
import { createApp, nestLogLevels } from './bootstrap';
import { ConfigError, LedgerConfig, loadConfig } from './config';
import { listenProblem, sqlitePathProblem } from './startup-checks';

/** The SQLite store, or a refusal naming LEDGER_SQLITE_PATH (a newer version's file: its own one line). */
const openSqlite = (config: LedgerConfig) => {
  const problem = sqlitePathProblem(config.sqlitePath);
  if (problem) throw new ConfigError(problem);
  try {
    return createEventStore(config);
  } catch (e) {
    if (e instanceof NewerSchemaError || !/^SQLITE_/.test(String((e as { code?: unknown }).code))) throw e;
    throw new ConfigError(`LEDGER_SQLITE_PATH=${config.sqlitePath} cannot be opened as the ledger (${(e as Error).message}).`);
  }
};

const main = async (): Promise<void> => {
  const config = loadConfig();
  // The SQLite file is opened (and migrated) here, before Nest: a file it refuses (NewerSchemaError) is told as one line below, not as Nest's logged stack.
  const app = await createApp(config, config.store === 'sqlite' ? openSqlite(config) : undefined);
  // Nest would log a failed listen itself, with the error: it is told below as one line naming the setting.
  app.useLogger(false);
  try {
    await app.listen(config.port, config.host);
  } catch (e) {
    throw listenProblem(e, config);
  }
  app.useLogger(nestLogLevels(config));
  // The port listened on (PORT=0 takes any free one).
  const port = (app.getHttpServer().address() as AddressInfo | null)?.port ?? config.port;
  // One line a person can act on; the rest of the logging is opt-in (LEDGER_LOG=info).
  console.log(`ledger listening on http://${config.host}:${port} (store: ${config.store}${config.store === 'sqlite' ? ` at ${config.sqlitePath}` : ''}); API docs at /docs`);
};

void main().catch((e) => {
  // A bad setting, or a ledger file of a newer version, is told as one line; anything else with its stack.
  console.error(e instanceof ConfigError || e instanceof NewerSchemaError ? e.message : e);
  process.exit(1);
});
