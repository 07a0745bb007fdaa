import { createApp } from './bootstrap';
import { ConfigError, loadConfig } from './config';

const main = async (): Promise<void> => {
  const config = loadConfig();
  const app = await createApp(config);
  await app.listen(config.port, config.host);
  // One line a person can act on; the rest of the logging is opt-in (LEDGER_LOG=info).
  console.log(`ledger listening on http://${config.host}:${config.port} (store: ${config.store}${config.store === 'sqlite' ? ` at ${config.sqlitePath}` : ''}); API docs at /docs`);
};

void main().catch((e) => {
  // A bad setting is told as one line naming the variable; anything else with its stack.
  console.error(e instanceof ConfigError ? e.message : e);
  process.exit(1);
});
